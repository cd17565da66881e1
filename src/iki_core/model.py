"""The indicator model: sheets, objectives, indicators, targets and realisations.

Every object is frozen and validated when it is created, so an invalid
indicator, target or realisation cannot exist. Each keeps the text it was
read from beside what was understood.

>>> from iki_core.units import parse_quantity
>>> participants = Indicator(
...     id="1",
...     name="Jumlah peserta sosialisasi",
...     kind=Count(parse_quantity("1 orang").unit),
...     targets=(Target.parse(2021, "250 orang peserta"), Target.parse(2022, "-")),
... )
>>> participants.target_for(2021).value
Quantity(magnitude=Decimal('250'), unit=Unit(name='orang', ...), text='250 orang peserta', ...)
>>> participants.target_for(2022).is_set
False
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, Final, Literal

import attrs

from iki_core._enums import ReprStrEnum
from iki_core._fields import (
    enum_fields,
    exact,
    field_name,
    instance_of,
    items_of,
    nonempty,
    one_of,
    to_optional_decimal,
    to_tuple,
)
from iki_core.diagnostics import Diagnostic, Severity, SourceText
from iki_core.errors import (
    IkiTypeError,
    InvalidValueError,
    PeriodParseError,
    UnknownIndicatorError,
)
from iki_core.kinds import (
    VALUE_KINDS,
    Count,
    EventReport,
    EventWindow,
    GradeKind,
    IndicatorKind,
    PercentageFormula,
    QuarterlyPlan,
    Range,
    RankKind,
    RatioKind,
    ScoreKind,
    Target,
    check_value_kind,
)
from iki_core.periods import Period, PlaceDate, parse_date
from iki_core.personnel import Nip, Rank
from iki_core.units import Quantity, Unit

__all__ = [
    "DOCUMENT_KINDS",
    "Aggregation",
    "Count",
    "Diagnostic",
    "Document",
    "EventReport",
    "EventWindow",
    "GradeKind",
    "Indicator",
    "IndicatorKind",
    "Objective",
    "PercentageFormula",
    "Polarity",
    "QuarterlyPlan",
    "Range",
    "RankKind",
    "RatioKind",
    "Realisation",
    "ScoreKind",
    "Severity",
    "Sheet",
    "Signatory",
    "SourceText",
    "Target",
    "document_kind",
]


_ReprEnum = ReprStrEnum


class Polarity(_ReprEnum):
    """Which direction is good.

    Lower is better is written "semakin rendah/kecil semakin baik" or
    "polaritas negatif" in sheets (Kemenkeu calls it "minimize").
    """

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


class Aggregation(_ReprEnum):
    """How realisations of several periods combine (Kemenkeu "jenis konsolidasi
    periode", DHIS2 aggregation types).

    - ``SUM``: flows (participants, letters). For percentage formulas it means
      sum(X) / sum(Y) over the periods, never the mean of percentages.
    - ``LAST``: stocks (motorbikes owned, % progress): the latest value.
    - ``AVERAGE``, ``MAX``: the mean or the largest value (counts only).
    """

    SUM = "sum"
    LAST = "last"
    AVERAGE = "average"
    MAX = "max"


def _reported_on(value: dt.date | str | None) -> dt.date | None:
    """A datetime becomes its date; a text is read as the CSV reader reads it (ISO
    ``2021-10-05``, ``5 Oktober 2021``, ``05/10/2021`` day first); else as it is."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return parse_date(value)
        except PeriodParseError:
            pass
    return value  # type: ignore[return-value]


def _a_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    name = field_name(instance, attribute)
    if isinstance(value, str):
        parse_date(value, field=name)  # raises, with the reason
    if value is not None and not isinstance(value, dt.date):
        raise IkiTypeError(field=name, expected="a date, a datetime or a date text", value=value)


# The converters of the sequence fields are one function, to_tuple, typed once per item
# type because mypy's attrs plugin reads a field's __init__ type from its converter.
def _plans(values: Iterable[QuarterlyPlan]) -> tuple[QuarterlyPlan, ...]:
    return to_tuple(values)


def _indicators(values: Iterable[Indicator]) -> tuple[Indicator, ...]:
    return to_tuple(values)


def _objectives(values: Iterable[Objective]) -> tuple[Objective, ...]:
    return to_tuple(values)


def _signatories(values: Iterable[Signatory]) -> tuple[Signatory, ...]:
    return to_tuple(values)


def _sheets(values: Iterable[Sheet]) -> tuple[Sheet, ...]:
    return to_tuple(values)


def _diagnostics(values: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    return to_tuple(values)


def _texts(values: Iterable[str]) -> tuple[str, ...]:
    return to_tuple(values)


def _years(values: Iterable[int]) -> tuple[int, ...]:
    return to_tuple(values)


def _targets(values: Iterable[Target]) -> tuple[Target, ...]:
    """The targets by year (when they are targets: else left to the validator)."""
    items = to_tuple(values)
    if isinstance(items, tuple) and all(isinstance(t, Target) for t in items):
        return tuple(sorted(items, key=lambda t: t.year))
    return items


def _default_polarity(ind: Indicator) -> Polarity:
    """Ranks are lower-is-better (rank 1 is first) unless the indicator says otherwise."""
    lower = isinstance(ind.kind, RankKind)
    return Polarity.LOWER_IS_BETTER if lower else Polarity.HIGHER_IS_BETTER


def _default_aggregation(ind: Indicator) -> Aggregation:
    """Grades, ranks, ratios and scores are levels: the last one reported stands."""
    return Aggregation.LAST if isinstance(ind.kind, VALUE_KINDS) else Aggregation.SUM


# --- indicators ----------------------------------------------------------------------------
def _pairs(values: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(field), str(text)) for field, text in values)


@attrs.frozen(field_transformer=enum_fields)
class Indicator:
    """An indicator of performance (indikator kinerja) with its yearly targets.

    ``id`` is unique within its sheet ("1", "1.2"); ``kind`` is a
    :class:`PercentageFormula`, a :class:`Count`, an :class:`EventReport` or a value kind
    (:class:`GradeKind`, :class:`RankKind`, :class:`RatioKind`, :class:`ScoreKind`: a rank
    defaults to lower is better, and all four to the last value reported).
    Every target (and plan entry) must be in a unit compatible with the kind's:
    loaders re-express a bare "12" in the indicator's unit and keep the text.

    A Renstra/RPJMD table also gives the ``baseline`` (Kondisi Awal, with its year)
    and the ``end_target`` of the plan (Kondisi Akhir / Target Akhir, with its year);
    ``verbatim`` keeps, as ``(field, text)``, the cells the model cannot represent yet
    (a grade "WTP", a ratio "1:32", a rank).
    """

    id: str = attrs.field(validator=nonempty)
    name: str
    kind: IndicatorKind = attrs.field(
        validator=instance_of(
            (PercentageFormula, Count, EventReport, *VALUE_KINDS),
            "PercentageFormula, Count, EventReport or a value kind",
        )
    )
    targets: tuple[Target, ...] = attrs.field(
        default=(), converter=_targets, validator=items_of(Target, "Target")
    )
    polarity: Polarity = attrs.field(
        default=attrs.Factory(_default_polarity, takes_self=True),
        converter=Polarity,
    )
    aggregation: Aggregation = attrs.field(
        default=attrs.Factory(_default_aggregation, takes_self=True),
        converter=Aggregation,
    )
    plans: tuple[QuarterlyPlan, ...] = attrs.field(
        default=(), converter=_plans, validator=items_of(QuarterlyPlan, "QuarterlyPlan")
    )
    explanation: str = ""
    data_source: str = ""
    source: SourceText | None = None
    baseline: Target | None = attrs.field(
        default=None, validator=instance_of((Target, type(None)), "a Target or None")
    )
    end_target: Target | None = attrs.field(
        default=None, validator=instance_of((Target, type(None)), "a Target or None")
    )
    verbatim: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)

    def __attrs_post_init__(self) -> None:
        unit = self.kind.unit
        years = [t.year for t in self.targets]
        if len(set(years)) != len(years):
            raise InvalidValueError(
                field=f"Indicator {self.id} targets", expected="one target per year", value=years
            )
        for t in self.targets:
            if t.value is not None and not t.value.unit.is_compatible(unit):
                raise InvalidValueError(
                    field=f"Indicator {self.id} target {t.year}",
                    expected=f"a quantity in {unit.name or 'a bare number'}",
                    value=t.text or str(t.value),
                )
        plan_years = [p.year for p in self.plans]
        if len(set(plan_years)) != len(plan_years):
            raise InvalidValueError(
                field=f"Indicator {self.id} plans", expected="one plan per year", value=plan_years
            )
        for p in self.plans:
            for q in p.quarters:
                if q is not None and not q.unit.is_compatible(unit):
                    raise InvalidValueError(
                        field=f"Indicator {self.id} plan {p.year}",
                        expected=f"quantities in {unit.name or 'a bare number'}",
                        value=str(q),
                    )
        if isinstance(self.kind, PercentageFormula) and self.aggregation not in (
            Aggregation.SUM,
            Aggregation.LAST,
        ):
            raise InvalidValueError(
                field=f"Indicator {self.id} aggregation",
                expected="sum (sum(X)/sum(Y)) or last for a percentage formula",
                value=str(self.aggregation),
            )
        check_value_kind(
            self.id,
            self.kind,
            summed=self.aggregation is Aggregation.SUM,
            lower=self.polarity is Polarity.LOWER_IS_BETTER,
            targets=(*self.targets, self.baseline, self.end_target),
        )

    @property
    def unit(self) -> Unit:
        """The unit of the indicator's targets and realisations."""
        return self.kind.unit

    @property
    def years(self) -> tuple[int, ...]:
        """The years that have a target entry (set or "-")."""
        return tuple(t.year for t in self.targets)

    def target_for(self, year: int) -> Target | None:
        """The target entry of ``year``; None when the sheet has none for it."""
        for t in self.targets:
            if t.year == year:
                return t
        return None

    def target_text(self, year: int) -> str:
        """The target of ``year`` as the document wrote it, as the writers write it back:
        the text read ("-" for a year marked without a target), else the cell kept as
        written when no target could be read from it, else ""."""
        t = self.target_for(year)
        if t is not None:
            return t.text or str(t.value or "-")
        return (self.source.get(f"target {year}") if self.source else "") or ""

    def plan_for(self, year: int) -> QuarterlyPlan | None:
        """The quarterly plan (Rencana Aksi) of ``year``, if any."""
        for p in self.plans:
            if p.year == year:
                return p
        return None


@attrs.frozen
class Objective:
    """An objective (sasaran) and the indicators that measure it."""

    number: str
    name: str
    indicators: tuple[Indicator, ...] = attrs.field(
        default=(), converter=_indicators, validator=items_of(Indicator, "Indicator")
    )
    source: SourceText | None = None


@attrs.frozen
class Signatory:
    """A signature block: who signed, in which role, with rank and NIP.

    ``role`` is ``"approver"`` for the "Mengetahui" block and ``"owner"`` for
    the holder of the position. ``text`` keeps the block as written.
    """

    name: str
    title: str = ""
    rank: Rank | None = None
    nip: Nip | None = None
    role: Literal["approver", "owner"] = attrs.field(
        default="owner", validator=one_of(("approver", "owner"))
    )
    place_date: PlaceDate | None = None
    text: str = ""
    line: int | None = None


DOCUMENT_KINDS: Final = (
    ("Manual IKU", re.compile(r"\bMANUAL\s+(?:INDIKATOR|IKU)", re.IGNORECASE)),
    ("Rencana Aksi", re.compile(r"\bRENCANA\s+AKSI\b", re.IGNORECASE)),
    ("PK", re.compile(r"\bPERJANJIAN\s+KINERJA\b", re.IGNORECASE)),
    ("LKjIP", re.compile(r"\b(?:LKJIP|LKIP|PENGUKURAN\s+KINERJA|CAPAIAN\s+KINERJA)\b", re.I)),
    ("Renstra/RPJMD", re.compile(r"\b(?:RENSTRA|RPJMD|RENCANA\s+STRATEGIS)\b", re.IGNORECASE)),
    ("IKU", re.compile(r"\b(?:INDIKATOR\s+KINERJA\s+UTAMA|IKU)\b", re.IGNORECASE)),
    ("IKI", re.compile(r"\b(?:INDIKATOR\s+KINERJA\s+INDIVIDU|IKI)\b", re.IGNORECASE)),
)
"""The kinds of document, each recognised by its title (the first that matches wins)."""


def document_kind(title: str) -> str:
    """The kind of document a title names: "IKI", "IKU", "PK", "Renstra/RPJMD",
    "Rencana Aksi", "Manual IKU" or "LKjIP"; "IKI" when the title names none.

    >>> document_kind("PERJANJIAN KINERJA TAHUN 2023"), document_kind("MANUAL IKU")
    ('PK', 'Manual IKU')
    """
    for kind, pattern in DOCUMENT_KINDS:
        if pattern.search(title):
            return kind
    return "IKI"


@attrs.frozen
class Sheet:
    """One IKI sheet: a position (jabatan), its duty and functions, the plan years,
    the objectives with their indicators, and the signatures."""

    number: int
    position: str
    duty: str = ""
    functions: tuple[str, ...] = attrs.field(
        default=(), converter=_texts, validator=items_of(str, "str")
    )
    plan_years: tuple[int, ...] = attrs.field(
        default=(), converter=_years, validator=items_of(int, "int")
    )
    objectives: tuple[Objective, ...] = attrs.field(
        default=(), converter=_objectives, validator=items_of(Objective, "Objective")
    )
    signatories: tuple[Signatory, ...] = attrs.field(
        default=(), converter=_signatories, validator=items_of(Signatory, "Signatory")
    )
    title: str = "INDIKATOR KINERJA INDIVIDU (IKI)"
    source: SourceText | None = None

    def __attrs_post_init__(self) -> None:
        ids = [i.id for o in self.objectives for i in o.indicators]
        if len(set(ids)) != len(ids):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            raise InvalidValueError(
                field=f"Sheet {self.number} indicator ids", expected="unique ids", value=dup
            )

    @property
    def kind(self) -> str:
        """The kind of document the sheet is, from its title (:func:`document_kind`)."""
        return document_kind(self.title)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """All indicators of the sheet, in order."""
        return tuple(i for o in self.objectives for i in o.indicators)

    def indicator(self, id: str) -> Indicator:
        """The indicator with ``id`` in this sheet."""
        for i in self.indicators:
            if i.id == id:
                return i
        raise UnknownIndicatorError(id, known=[i.id for i in self.indicators])

    def objective_of(self, id: str) -> Objective:
        """The objective that holds the indicator ``id``."""
        for o in self.objectives:
            if any(i.id == id for i in o.indicators):
                return o
        raise UnknownIndicatorError(id, known=[i.id for i in self.indicators])


@attrs.frozen
class Document:
    """A loaded IKI document: its sheets in order and what the loader noticed.

    Indicators are referred to across the document as ``"sheet:id"`` with
    sheets numbered from 1 (``document.indicator("2:1.2")``).
    """

    sheets: tuple[Sheet, ...] = attrs.field(
        default=(), converter=_sheets, validator=items_of(Sheet, "Sheet")
    )
    diagnostics: tuple[Diagnostic, ...] = attrs.field(
        default=(), converter=_diagnostics, validator=items_of(Diagnostic, "Diagnostic")
    )
    source: str | None = None

    def references(self) -> Iterator[tuple[str, Indicator]]:
        """Every indicator with its document reference, in order."""
        for sheet in self.sheets:
            for ind in sheet.indicators:
                yield f"{sheet.number}:{ind.id}", ind

    def indicator(self, reference: str) -> Indicator:
        """The indicator named by ``"sheet:id"``.

        Raises :class:`~iki_core.errors.UnknownIndicatorError` (a ``KeyError``).
        """
        if not isinstance(reference, str):
            raise IkiTypeError(field="reference", expected="'sheet:id' text", value=reference)
        sheet_no, sep, ind_id = reference.partition(":")
        if sep:
            for sheet in self.sheets:
                if str(sheet.number) == sheet_no.strip():
                    for ind in sheet.indicators:
                        if ind.id == ind_id.strip():
                            return ind
        raise UnknownIndicatorError(reference, known=[r for r, _ in self.references()])

    def sheet(self, number: int) -> Sheet:
        """Sheet ``number`` (from 1)."""
        for s in self.sheets:
            if s.number == number:
                return s
        raise UnknownIndicatorError(f"{number}:", known=[str(s.number) for s in self.sheets])

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The diagnostics of severity "error"."""
        return tuple(d for d in self.diagnostics if d.severity == "error")


# --- realisations --------------------------------------------------------------------------
def shape_problem(*, value: bool, numerator: bool, denominator: bool) -> str | None:
    """What is wrong with a realisation that gives (True) or omits (False) a value, a
    numerator and a denominator, as a diagnostic code; None when it gives either a value
    or both X and Y. The one statement of the rule, for :class:`Realisation` and the
    realisations reader.

    >>> shape_problem(value=False, numerator=True, denominator=False)
    'incomplete-ratio'
    """
    if value and (numerator or denominator):
        return "value-and-ratio"
    if not (value or numerator or denominator):
        return "missing-value"
    if numerator != denominator:
        return "incomplete-ratio"
    return None


@attrs.frozen
class Realisation:
    """What was realised (realisasi) for one indicator in one period, that period alone.

    Either ``value`` (a count or a percentage as a :class:`Quantity`) or both
    ``numerator`` and ``denominator`` (X and Y of a percentage formula) are
    given. ``indicator`` is the indicator's reference ("2:1.2", or its id).
    ``reported_on`` is a date: a ``datetime`` is taken as its own date (the clock time and
    any time zone dropped), a text is read as the realisations reader reads that column
    (``"2021-10-05"``, ``"5 Oktober 2021"``, ``"05/10/2021"`` day first); anything else
    raises :class:`~iki_core.errors.IkiTypeError` naming ``Realisation.reported_on``.

    >>> from iki_core.units import parse_quantity
    >>> Realisation("3:1", Period.parse("2021-Q3"), value=parse_quantity("150 orang"))
    Realisation(indicator='3:1', period=Period(year=2021, kind='quarter', index=3), ...)
    >>> Realisation("1:1", Period.parse("2021-Q1"), numerator=3)
    Traceback (most recent call last):
    ...
    iki_core.errors.InvalidValueError: Realisation 1:1 2021-Q1: expected either a value \
or both numerator and denominator, got 'numerator=3, denominator=None, value=None'
    """

    indicator: str = attrs.field(validator=nonempty)
    period: Period = attrs.field(validator=instance_of(Period, "Period"))
    value: Quantity | None = attrs.field(
        default=None,
        validator=instance_of((Quantity, type(None)), "a Quantity or None"),
        kw_only=True,
    )
    numerator: Decimal | None = attrs.field(
        default=None,
        converter=to_optional_decimal,
        validator=exact,
        kw_only=True,
    )
    denominator: Decimal | None = attrs.field(
        default=None,
        converter=to_optional_decimal,
        validator=exact,
        kw_only=True,
    )
    reported_on: dt.date | None = attrs.field(
        default=None, converter=_reported_on, validator=_a_date, kw_only=True
    )
    note: str = attrs.field(default="", kw_only=True)
    source: SourceText | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if (
            shape_problem(
                value=self.value is not None,
                numerator=self.numerator is not None,
                denominator=self.denominator is not None,
            )
            is not None
        ):
            raise InvalidValueError(
                field=self._where(),
                expected="either a value or both numerator and denominator",
                value=f"numerator={self.numerator}, denominator={self.denominator}, "
                f"value={self.value}",
            )
        for name in ("numerator", "denominator"):
            v = getattr(self, name)
            if v is not None and v < 0:
                raise InvalidValueError(
                    field=f"{self._where()} {name}", expected="a number >= 0", value=str(v)
                )
        value = self.value
        if value is not None and value.magnitude < 0 and value.unit.dimension != "[persen]":
            # a count of things cannot fall below zero; a percentage (a growth rate) can
            raise InvalidValueError(
                field=f"{self._where()} value",
                expected="a count >= 0 (only percentages may be negative)",
                value=value.text or str(value),
            )

    def _where(self) -> str:
        """The realisation as its error messages name it (written only for an error)."""
        return f"Realisation {self.indicator} {self.period}"

    @property
    def is_ratio(self) -> bool:
        """True when X and Y were reported (a percentage formula)."""
        return self.numerator is not None
