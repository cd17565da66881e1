"""What a loader infers about an indicator, and how an application overrides it.

A sheet writes an indicator's name, explanation (penjelasan) and targets; it
does not say whether the indicator is a percentage formula, a count or an
event report, which direction is good, or how its periods add up. The loader
infers these with the rules below (no regulation fixes them; each is a
documented default) and lets the embedding application change any of it:

1. :func:`infer` applies the default rules to a :class:`Candidate`;
2. ``LoaderOptions.infer``, when given, receives the candidate and that
   inference and returns the one to use;
3. ``LoaderOptions.overrides`` (by reference ``"sheet:id"``) has the last word,
   field by field.

>>> from iki_core.units import get_registry
>>> reg = get_registry()
>>> c = Candidate(reference="2:1.1", name="Jumlah surat masuk", explanation="Cukup Jelas",
...               targets=((2018, reg.parse_quantity("550")),))
>>> inferred = infer(c, LoaderOptions())
>>> inferred.kind.unit.is_bare, str(inferred.polarity), str(inferred.aggregation)
(True, 'higher_is_better', 'sum')
>>> c2 = attrs.evolve(c, name="Jumlah motor yang dimiliki")
>>> str(infer(c2, LoaderOptions()).aggregation)
'last'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Final

import attrs

from iki_core._memo import remember
from iki_core.errors import InvalidValueError
from iki_core.kinds import VALUE_KINDS, RankKind, kind_of_unit
from iki_core.loaders._locale import check_number_locale
from iki_core.model import (
    Aggregation,
    Count,
    EventReport,
    IndicatorKind,
    PercentageFormula,
    Polarity,
    Range,
)
from iki_core.units import BARE, PERCENT, Quantity, Unit

__all__ = [
    "DEFAULT_LOWER_IS_BETTER_PHRASES",
    "DEFAULT_REPORT_WORDS",
    "DEFAULT_STOCK_PHRASES",
    "Candidate",
    "IndicatorOverride",
    "Inference",
    "LoaderOptions",
    "find_formula",
    "infer",
]

DEFAULT_LOWER_IS_BETTER_PHRASES: Final = (
    "semakin rendah semakin baik",
    "semakin kecil semakin baik",
    "makin rendah makin baik",
    "makin kecil makin baik",
    "polaritas negatif",
)
"""Phrases of an explanation that make an indicator lower-is-better (DOMAIN: Kemenkeu
"minimize"); matched without regard to case or repeated spaces."""

DEFAULT_STOCK_PHRASES: Final = (
    "yang dimiliki",
    "dimiliki",
    "kepemilikan",
    "yang tersedia",
    "progres",
)
"""Phrases of an indicator's name that make it a stock (aggregated by its last
value): things owned ("Jumlah motor yang dimiliki") and progress levels. No
regulation fixes this list; it is a documented default."""

DEFAULT_REPORT_WORDS: Final = ("laporan",)
"""Words that make a count a report count (with the unit "laporan")."""

_MARKUP: Final = re.compile(r"\$|\\(?=%)|\\(?:left|right)\b|\\text\{([^}]*)\}")
_TIMES: Final = re.compile(r"\\times|\\cdot")
_FORMULA: Final = re.compile(r"\(?\s*X\s*/\s*Y\s*\)?\s*[*x×·]\s*(?P<factor>\d+(?:[.,]\d+)?)\s*%?")
_X_DESC: Final = re.compile(
    r"(?<![A-Za-z])X\s*[=:]\s*(?P<x>.*?)\s*(?:(?<![A-Za-z])Y\s*[=:]\s*(?P<y>.*))?$"
)
_Y_DESC: Final = re.compile(r"(?<![A-Za-z])Y\s*[=:]\s*(?P<y>.*)$")


def _normalise(text: str) -> str:
    # str.split() splits at the characters "\s" matches (str.isspace), runs and ends alike
    return " ".join(text.split()).lower()


_FORMULAS: Final[dict[str, PercentageFormula | None]] = {}
"""The formula each explanation writes (documents repeat "Cukup Jelas" and formulas)."""


def find_formula(explanation: str) -> PercentageFormula | None:
    """The percentage formula written in an explanation, with X and Y described.

    Markup around it (``$...$``, ``\\%``, ``\\times``) is ignored.

    >>> f = find_formula(r"$(X/Y) * 100 \\%$ X = Jumlah kasus selesai Y = Jumlah kasus")
    >>> f.numerator, f.denominator, f.factor
    ('Jumlah kasus selesai', 'Jumlah kasus', Decimal('100'))
    >>> find_formula("Cukup Jelas") is None
    True
    """
    try:
        return _FORMULAS[explanation]
    except KeyError:
        return remember(_FORMULAS, explanation, _find_formula(explanation))


def _find_formula(explanation: str) -> PercentageFormula | None:
    plain = _TIMES.sub("x", explanation)
    plain = _MARKUP.sub(lambda m: m.group(1) or "", plain)
    m = _FORMULA.search(plain)
    if m is None:
        return _other_formula(plain)
    factor = Decimal(m.group("factor").replace(",", "."))
    rest = plain[m.end() :]
    x = y = ""
    mx = _X_DESC.search(rest)
    if mx is not None:
        x = mx.group("x").strip()
        y = (mx.group("y") or "").strip()
    else:
        my = _Y_DESC.search(rest)
        if my is not None:
            y = my.group("y").strip()
    return PercentageFormula(x, y, factor)


_LETTERS_FORMULA: Final = re.compile(
    r"\(?\s*(?P<x>[A-Za-z])\s*/\s*(?P<y>[A-Za-z])\s*\)?\s*[*x×·]\s*(?P<factor>100)\s*%",
    re.IGNORECASE,
)
_WORDS_FORMULA: Final = re.compile(
    r"(?P<x>(?:jumlah|banyaknya|total)\b.*?)\s+dibagi(?:\s+dengan)?\s+(?P<y>.*?)\s*"
    r"(?:dikali(?:kan)?(?:\s+dengan)?|x|×|\*)\s*(?P<factor>100)\s*%?",
    re.IGNORECASE,
)


def _other_formula(plain: str) -> PercentageFormula | None:
    """The other common ways of writing a percentage: "A/B X 100 %" (any two letters,
    any case) and "jumlah ... dibagi jumlah ... dikali 100%".

    >>> f = _other_formula("jumlah aduan selesai dibagi jumlah aduan masuk dikali 100%")
    >>> f.numerator, f.denominator, f.factor
    ('jumlah aduan selesai', 'jumlah aduan masuk', Decimal('100'))
    >>> _other_formula("a/b x 100 %").factor
    Decimal('100')
    """
    m = _WORDS_FORMULA.search(plain)
    if m is not None:
        return PercentageFormula(m.group("x").strip(), m.group("y").strip(), Decimal(100))
    m = _LETTERS_FORMULA.search(plain)
    if m is not None:
        return PercentageFormula("", "", Decimal(100))
    return None


@attrs.frozen
class Candidate:
    """What the sheet wrote about one indicator, as the inference rules see it.

    ``targets`` holds each readable year: a :class:`Quantity`, a :class:`Range`, or
    None for "-" (no target that year). Unreadable cells ("dokum") are absent.
    ``unit`` is the unit of the row's Satuan cell (None when the sheet has no such
    column or the cell is empty).
    """

    reference: str
    name: str
    explanation: str = ""
    objective: str = ""
    data_source: str = ""
    targets: tuple[tuple[int, Quantity | Range | None], ...] = ()
    unit: Unit | None = None
    line: int | None = None


@attrs.frozen
class Inference:
    """The kind, polarity and aggregation chosen for an indicator."""

    kind: IndicatorKind
    polarity: Polarity = Polarity.HIGHER_IS_BETTER
    aggregation: Aggregation = Aggregation.SUM


@attrs.frozen
class IndicatorOverride:
    """Fields to force for one indicator; None keeps what was inferred."""

    kind: IndicatorKind | None = None
    polarity: Polarity | None = None
    aggregation: Aggregation | None = None


def _overrides(value: Mapping[str, IndicatorOverride]) -> dict[str, IndicatorOverride]:
    result = dict(value)
    for key, item in result.items():
        if not isinstance(item, IndicatorOverride):
            raise InvalidValueError(
                field=f"LoaderOptions.overrides[{key!r}]",
                expected="an IndicatorOverride",
                value=item,
            )
    return result


def _phrases(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, tuple | list):
        raise InvalidValueError(
            field="LoaderOptions phrases", expected="a tuple or list of texts", value=value
        )
    return tuple(_normalise(str(p)) for p in value)


def _year(instance: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is not None and (
        not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2100
    ):
        raise InvalidValueError(field="LoaderOptions.year", expected="a year", value=value)


def _number_locale(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_number_locale(value, "LoaderOptions.number_locale")


@attrs.frozen
class LoaderOptions:
    """How a loader decides what the sheet does not say.

    ``overrides`` maps a reference (``"2:1.2"``) to the fields to force;
    ``infer`` is called for every indicator with the candidate and the default
    inference and returns the inference to use. The phrase lists replace the
    defaults of the rules (see docs/formats.md, "Inference").

    >>> from iki_core.units import get_registry
    >>> lower = IndicatorOverride(polarity=Polarity.LOWER_IS_BETTER)
    >>> opts = LoaderOptions(overrides={"2:1.1": lower})
    >>> c = Candidate(reference="2:1.1", name="Jumlah surat masuk")
    >>> str(opts.decide(c).polarity)
    'lower_is_better'
    """

    overrides: dict[str, IndicatorOverride] = attrs.field(factory=dict, converter=_overrides)
    infer: Callable[[Candidate, Inference], Inference] | None = None
    lower_is_better_phrases: tuple[str, ...] = attrs.field(
        default=DEFAULT_LOWER_IS_BETTER_PHRASES, converter=_phrases
    )
    stock_phrases: tuple[str, ...] = attrs.field(default=DEFAULT_STOCK_PHRASES, converter=_phrases)
    report_words: tuple[str, ...] = attrs.field(default=DEFAULT_REPORT_WORDS, converter=_phrases)
    year: int | None = attrs.field(default=None, validator=_year)
    """The year of a table's single "Target" column (a Perjanjian Kinerja), when its
    title does not say it; the caller's word wins over the title."""
    number_locale: str = attrs.field(default="auto", validator=_number_locale)
    """How the numbers of the tables are written: ``"id"`` (decimal comma, thousands
    dot), ``"en"`` (decimal point, as machine exports write them) or ``"auto"``
    (detected for each column from all its cells; docs/formats.md, "Number locale")."""

    def decide(self, candidate: Candidate) -> Inference:
        """The inference for ``candidate``: default rules, then ``infer``, then overrides."""
        return self.revise(candidate, infer(candidate, self))

    def revise(self, candidate: Candidate, result: Inference) -> Inference:
        """``result``, the default rules' inference for ``candidate``, as ``infer`` and
        then the overrides change it (the second half of :meth:`decide`)."""
        if self.infer is not None:
            result = self.infer(candidate, result)
            if not isinstance(result, Inference):
                raise InvalidValueError(
                    field="LoaderOptions.infer", expected="an Inference", value=result
                )
        override = self.overrides.get(candidate.reference)
        if override is not None:
            result = Inference(
                kind=override.kind if override.kind is not None else result.kind,
                polarity=override.polarity if override.polarity is not None else result.polarity,
                aggregation=(
                    override.aggregation if override.aggregation is not None else result.aggregation
                ),
            )
        return result


def _unit_of(value: Quantity | Range | None) -> Unit | None:
    return None if value is None else value.unit


def _is_percentage(name: str, units: list[Unit], named: list[Unit], row: Unit | None) -> bool:
    """A percent target or Satuan "%", or a name "Persentase ..." with no other unit."""
    if any(u == PERCENT for u in units) or (row is not None and row == PERCENT):
        return True
    return name.startswith(("persentase ", "prosentase ")) and not named and row is None


def new_percentage_rule(candidate: Candidate) -> str | None:
    """Which of the later percentage rules makes ``candidate`` a percentage, if one
    does: "formula" (written "A/B X 100 %" or "jumlah ... dibagi ... dikali 100%") or
    "name" ("Persentase ..."); None when the first rules decide (docs/formats.md)."""
    units = tuple(u for _, v in candidate.targets if (u := _unit_of(v)) is not None)
    return Inferrer(LoaderOptions()).percentage_rule(
        candidate.name, candidate.explanation, units, candidate.unit
    )


def infer(candidate: Candidate, options: LoaderOptions) -> Inference:
    """The default rules (docs/formats.md, "Inference"):

    - kind: a formula "(X/Y) x 100%" in the explanation or a percent target makes a
      :class:`PercentageFormula`; a report count (unit "laporan" or "laporan" in the
      name) with targets in fewer years than it has "-" (an event, such as an election,
      falls in a minority of the plan years; a report started in the plan's second
      year is recurring) makes an :class:`EventReport`; anything else is a
      :class:`Count` in the unit of the first target that has one (the Satuan cell
      first, when the sheet has that column), or a bare count;
    - polarity: lower is better when the explanation says so in one of
      ``options.lower_is_better_phrases``, else higher is better;
    - aggregation: ``last`` when the name has one of ``options.stock_phrases``
      (stocks), else ``sum`` (flows; for percentages sum(X) / sum(Y)).
    """
    return Inferrer(options).infer(
        candidate.name, candidate.explanation, candidate.targets, candidate.unit
    )


class Inferrer:
    """The default rules of :func:`infer` for one load, with what they found remembered
    by what they read: the explanation (its formula and polarity), the three traits of
    the name (starts "Persentase", names a report, names a stock), the units of the
    targets and of the Satuan cell, and how many years are set and how many "-". A
    document of many indicators repeats these, so each indicator after the first of its
    sort costs a look-up; the kinds found are shared between indicators (they are
    frozen values)."""

    def __init__(self, options: LoaderOptions) -> None:
        self.options = options
        self._explanations: dict[str, tuple[PercentageFormula | None, bool, str | None]] = {}
        self._found: dict[tuple[object, ...], tuple[Inference, object]] = {}
        # any(p in name for p in options.stock_phrases), in one search
        self._stock = re.compile("|".join(map(re.escape, options.stock_phrases)) or "(?!)")
        self._report_words = frozenset(options.report_words)

    def _explanation(self, explanation: str) -> tuple[PercentageFormula | None, bool, str | None]:
        """The formula written in ``explanation``, whether it says lower is better, and
        whether it writes one of the later percentage formulas ("formula"), the first
        one ("first") or none (None)."""
        try:
            return self._explanations[explanation]
        except KeyError:
            pass
        formula = find_formula(explanation)
        text = _normalise(explanation)
        lower = any(p in text for p in self.options.lower_is_better_phrases)
        plain = _MARKUP.sub(lambda m: m.group(1) or "", _TIMES.sub("x", explanation))
        written: str | None = None
        if _FORMULA.search(plain) is not None:
            written = "first"
        elif _other_formula(plain) is not None:
            written = "formula"
        found = (formula, lower, written)
        self._explanations[explanation] = found
        return found

    def infer(
        self,
        name: str,
        explanation: str,
        targets: tuple[tuple[int, Quantity | Range | None], ...],
        row_unit: Unit | None,
    ) -> Inference:
        """What :func:`infer` decides for a candidate of these fields."""
        units = tuple([v.unit for _, v in targets if v is not None])
        return self.infer_units(name, explanation, units, len(targets), row_unit)

    def infer_units(
        self,
        name: str,
        explanation: str,
        units: tuple[Unit, ...],
        years: int,
        row_unit: Unit | None,
    ) -> Inference:
        """:meth:`infer` of targets in ``years`` readable years, whose set ones are in
        ``units`` (in order of year; the others are "-")."""
        split = name.lower().split()  # _normalise(name), its words kept
        name = " ".join(split)
        traits = (
            name.startswith(("persentase ", "prosentase ")),
            not self._report_words.isdisjoint(split),
            self._stock.search(name) is not None,
        )
        key = (
            explanation,
            traits,
            id(row_unit),
            tuple(map(id, units)),
            years - len(units),
        )
        try:
            return self._found[key][0]
        except KeyError:
            pass
        inference = self._infer(name, explanation, traits, units, years, row_unit)
        self._found[key] = (inference, (units, row_unit))  # the units outlive their ids
        return inference

    def _infer(
        self,
        name: str,
        explanation: str,
        traits: tuple[bool, bool, bool],
        units: tuple[Unit, ...],
        years: int,
        row_unit: Unit | None,
    ) -> Inference:
        percentage_name, report_name, stock_name = traits
        named = [u for u in units if not u.is_bare]
        formula, lower, _ = self._explanation(explanation)
        kind: IndicatorKind
        if formula is not None:
            kind = formula
        elif (
            any(u == PERCENT for u in units)
            or (row_unit is not None and row_unit == PERCENT)
            or (percentage_name and not named and row_unit is None)
        ):
            kind = PercentageFormula()
        else:
            unit = row_unit or (named[0] if named else BARE)
            is_report = unit.name in self.options.report_words or report_name
            set_years = len(units)
            is_event = is_report and 0 < set_years < years - set_years
            kind = kind_of_unit(unit) or (EventReport(unit) if is_event else Count(unit))
        polarity = Polarity.LOWER_IS_BETTER if lower else Polarity.HIGHER_IS_BETTER
        aggregation = (
            Aggregation.LAST if stock_name or isinstance(kind, VALUE_KINDS) else Aggregation.SUM
        )
        if isinstance(kind, RankKind):  # rank 1 is first: lower is better
            polarity = Polarity.LOWER_IS_BETTER
        return Inference(kind, polarity, aggregation)

    def percentage_rule(
        self, name: str, explanation: str, units: tuple[Unit, ...], row_unit: Unit | None
    ) -> str | None:
        """What :func:`new_percentage_rule` says of a candidate of these fields."""
        written = self._explanation(explanation)[2]
        if written is not None:
            return None if written == "first" else written
        if any(u == PERCENT for u in units) or row_unit == PERCENT:
            return None
        named = [u for u in units if not u.is_bare]
        if _is_percentage(_normalise(name), list(units), named, row_unit):
            return "name"
        return None
