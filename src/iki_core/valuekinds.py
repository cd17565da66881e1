"""Values beyond counts and percentages: grades, ranks, ratios, durations, money, scores.

Real indicator tables hold targets such as "WTP", "BB", "Peringkat 3", "1:32",
"15 menit", "Rp 1,5 M" and "IKM 82,5". This module reads each and compares a realisation
with its target under the same :class:`~iki_core.rules.Rules` as the engine (the
percent is computed by :func:`iki_core.engine.achievement` on a one-row indicator, so
the formulas, zero rules, cap and rounding are those of a report).

Grades on ordinal scales are data (``iki_core/data/grade_scales.json``: opini BPK, nilai
SAKIP, akreditasi, maturitas SPIP), each with its source; a host defines its own with
:class:`GradeScale`. A grade is achieved when the realised grade reaches the target's;
its percent follows :class:`GradeRule`:

>>> opini = GRADE_SCALES["opini-bpk"]
>>> opini.grades, opini.parse("wajar tanpa pengecualian")
(('WTP', 'WDP', 'TW', 'TMP'), 'WTP')
>>> grade_achievement(opini, "WTP", "WDP")
(False, Decimal('0.00'))
>>> grade_achievement(opini, "WTP", "WDP", rule=GradeRule.POSITION_RATIO)
(False, Decimal('75.00'))
>>> grade_achievement(GRADE_SCALES["nilai-sakip"], "BB", "A")
(True, Decimal('100.00'))

Ranks are lower-is-better numbers, ratios are compared on their second term, money is
exact rupiah, durations convert between jam, menit and detik:

>>> parse_rank("Rangking 6"), parse_rank("Peringkat 3"), parse_rank("3 besar")
(6, 3, 3)
>>> rank_percent("Peringkat 3", "Peringkat 4")  # kondisi khusus: (2 x 3 - 4) / 3
Decimal('66.67')
>>> parse_ratio("1:32"), parse_ratio("1 : 17,5"), parse_ratio("2:45")
(Decimal('32'), Decimal('17.5'), Decimal('22.5'))
>>> ratio_percent("1:32", "1:40", lower=True)  # pupils per teacher: (64 - 40) / 32
Decimal('75.00')
>>> parse_money("Rp 1,5 M"), parse_money("2,3 miliar"), parse_money("Rp 1.500.000")
(Decimal('1500000000'), Decimal('2300000000'), Decimal('1500000'))
>>> duration_percent("15 menit", "1 jam", lower=True)  # (30 - 60) / 15: floored at 0
Decimal('0.00')
>>> IKM = BoundedScore(Decimal(0), Decimal(100), "IKM")
>>> IKM.percent("80", "82,5")
Decimal('103.13')
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from importlib import resources
from typing import Any, Final

import attrs

from iki_core._lazy import LazyTable
from iki_core.errors import InvalidValueError, QuantityParseError
from iki_core.numbers import parse_number
from iki_core.rules import GradeRule, Rules, default_rules
from iki_core.units import Quantity, get_registry

__all__ = [
    "GRADE_SCALES",
    "BoundedScore",
    "GradeRule",
    "GradeScale",
    "compare",
    "duration_percent",
    "grade_achievement",
    "looks_like_money",
    "money_percent",
    "parse_duration",
    "parse_money",
    "parse_rank",
    "parse_ratio",
    "rank_percent",
    "ratio_percent",
    "read_rank",
]


def _key(text: str) -> str:
    return re.sub(r"[\s.]+", " ", text.strip().lower()).strip()


# --- the one comparison -----------------------------------------------------------------------
def compare(
    target: Decimal, realised: Decimal, *, lower: bool, rules: Rules | None = None
) -> Decimal | None:
    """``realised`` against ``target`` in percent under ``rules`` (the polarity's formula,
    the zero rules, cap and rounding), as the engine computes a year's single target.

    >>> compare(Decimal(8), Decimal(9), lower=True)
    Decimal('87.50')
    """
    # imported here: the engine imports the model, which a value kind module must not
    from iki_core.engine.audit import percent_of

    return percent_of(target, realised, lower, rules if rules is not None else default_rules())


# --- grades -----------------------------------------------------------------------------------
def _grades(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise InvalidValueError(
            field="GradeScale.grades", expected="a list of grades, highest first", value=value
        )
    grades = tuple(str(g).strip() for g in value)
    if (
        len(grades) < 2
        or any(not g for g in grades)
        or len({_key(g) for g in grades}) < len(grades)
    ):
        raise InvalidValueError(
            field="GradeScale.grades",
            expected="at least two distinct non-empty grades, highest first",
            value=list(grades),
        )
    return grades


def _aliases(value: object) -> tuple[tuple[str, str], ...]:
    if isinstance(value, Mapping):
        return tuple((str(k), str(v)) for k, v in value.items())
    if isinstance(value, tuple):
        return value
    raise InvalidValueError(
        field="GradeScale.aliases", expected="a mapping of written form -> grade", value=value
    )


@attrs.frozen
class GradeScale:
    """An ordinal scale: ``grades`` highest first ("WTP", "WDP", "TW", "TMP"), the
    ``aliases`` documents write for them ("wajar tanpa pengecualian"), its ``source`` and
    whether that source was checked (``verified``)."""

    key: str
    name: str
    grades: tuple[str, ...] = attrs.field(converter=_grades)
    source: str = ""
    verified: bool = False
    aliases: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_aliases)
    _lookup: dict[str, str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        lookup = {_key(g): g for g in self.grades}
        for written, grade in self.aliases:
            if _key(grade) not in lookup:
                raise InvalidValueError(
                    field=f"GradeScale {self.key} alias {written!r}",
                    expected="one of " + ", ".join(self.grades),
                    value=grade,
                )
            lookup[_key(written)] = lookup[_key(grade)]
        object.__setattr__(self, "_lookup", lookup)

    def parse(self, text: str) -> str:
        """The grade ``text`` names (case, spaces and dots aside; "Opini WTP" and
        "predikat BB" name WTP and BB)."""
        k = _key(text)
        found = self._lookup.get(k)
        if found is None:
            k = re.sub(r"^(opini|predikat|nilai|level|tingkat|akreditasi)\s+", "", k)
            found = self._lookup.get(k)
        if found is None:
            raise InvalidValueError(
                field=f"grade ({self.key})", expected="one of " + ", ".join(self.grades), value=text
            )
        return found

    def position(self, grade: str) -> int:
        """The grade's position counted from the lowest (1) up."""
        return len(self.grades) - self.grades.index(self.parse(grade))


def grade_achievement(
    scale: GradeScale,
    target: str,
    realised: str,
    *,
    rule: GradeRule = GradeRule.ALL_OR_NOTHING,
    rules: Rules | None = None,
) -> tuple[bool, Decimal]:
    """Whether ``realised`` reaches ``target`` on ``scale``, and the percent by ``rule``
    (``POSITION_RATIO`` through the higher-is-better formula of ``rules``)."""
    t = scale.position(target)
    r = scale.position(realised)
    reached = r >= t
    if rule is GradeRule.ALL_OR_NOTHING:
        places = (rules if rules is not None else default_rules()).places
        return reached, Decimal(100 if reached else 0).quantize(Decimal(1).scaleb(-places))
    percent = compare(Decimal(t), Decimal(r), lower=False, rules=rules)
    assert percent is not None  # positions are >= 1
    return reached, percent


def _scale_from(key: str, spec: Mapping[str, Any]) -> GradeScale:
    return GradeScale(
        key,
        spec["name"],
        spec["grades"],
        source=spec["source"],
        verified=spec["verified"],
        aliases=spec.get("aliases", {}),
    )


def _read_grade_scales() -> dict[str, GradeScale]:
    text = (
        resources.files("iki_core")
        .joinpath("data", "grade_scales.json")
        .read_text(encoding="utf-8")
    )
    data = json.loads(text)["scales"]
    return {k: _scale_from(k, v) for k, v in data.items()}


def _no_grade_scale(key: str, scales: Mapping[str, GradeScale]) -> Exception:
    return InvalidValueError(field="grade scale", expected="one of " + ", ".join(scales), value=key)


GRADE_SCALES: Final[Mapping[str, GradeScale]] = LazyTable(
    "GRADE_SCALES", _read_grade_scales, _no_grade_scale
)
"""The shipped grade scales by key: ``opini-bpk``, ``nilai-sakip``, ``akreditasi-rs``,
``akreditasi-abc``, ``maturitas-spip``."""


# --- ranks and ratios -------------------------------------------------------------------------
_RANK: Final = re.compile(
    r"^(?:(?:rangking|ranking|peringkat|urutan|juara)\s*(?:ke\s*-?\s*)?(\d+)"
    r"|(\d+)\s*besar|ke\s*-?\s*(\d+))$"
)


def parse_rank(text: str) -> int:
    """A rank: "Rangking 6", "Peringkat 3", "peringkat ke-2", "3 besar" (within the top
    3, read as 3), "ke-5". Lower is better."""
    n = read_rank(text)
    if n is None:
        raise QuantityParseError(text, reason="not a rank such as 'Peringkat 3' or '3 besar'")
    return n


def read_rank(text: str) -> int | None:
    """:func:`parse_rank`, or None when ``text`` is not written as a rank (most values of
    a document are not: a reader asks this first, without an error to build).

    >>> read_rank("peringkat ke-2"), read_rank("3 unit")
    (2, None)
    """
    m = _RANK.match(_key(text))
    if m is None:
        return None
    n = int(next(g for g in m.groups() if g is not None))
    if n < 1:
        raise InvalidValueError(field="rank", expected="a rank of 1 or more", value=text)
    return n


def rank_percent(
    target: str, realised: str, rules: Rules | None = None, *, lower: bool = True
) -> Decimal | None:
    """A realised rank against a target rank, lower is better (rank 1 is first) unless
    the indicator says otherwise (``lower=False``), by the polarity's formula of
    ``rules``."""
    return compare(
        Decimal(parse_rank(target)), Decimal(parse_rank(realised)), lower=lower, rules=rules
    )


_RATIO: Final = re.compile(r"^\s*([0-9.,]+)\s*:\s*([0-9.,]+)\s*$")


def parse_ratio(text: str) -> Decimal:
    """A ratio "1:32" or "1 : 17,5" as its second term per one of the first (32, 17.5;
    "2:45" is 22.5): exact when the quotient ends, else to 28 significant digits."""
    m = _RATIO.match(text)
    if m is None:
        raise QuantityParseError(text, reason="not a ratio such as '1:32'")
    first = parse_number(m.group(1), field="ratio")
    second = parse_number(m.group(2), field="ratio")
    if first <= 0:
        raise InvalidValueError(field="ratio", expected="a first term above 0", value=text)
    return second / first


def ratio_percent(
    target: str, realised: str, *, lower: bool, rules: Rules | None = None
) -> Decimal | None:
    """Ratios compared on their second term, with the indicator's polarity."""
    return compare(parse_ratio(target), parse_ratio(realised), lower=lower, rules=rules)


# --- durations and money ----------------------------------------------------------------------
def parse_duration(text: str) -> Quantity:
    """A duration "15 menit", "2 jam", "3 hari" (units of ``data/units.txt``: jam, menit and
    detik convert into each other; hari and minggu do; a working day has no fixed hours,
    so hari never converts into jam)."""
    q = get_registry().parse_quantity(text, field="duration")
    if q.unit.dimension not in ("[jam]", "[hari]", "[bulan]"):
        raise InvalidValueError(
            field="duration", expected="a time such as '15 menit' or '3 hari'", value=text
        )
    return q


def duration_percent(
    target: str, realised: str, *, lower: bool = True, rules: Rules | None = None
) -> Decimal | None:
    """A realised duration against a target one (lower is better by default: service
    times), the realisation converted into the target's unit exactly."""
    t = parse_duration(target)
    r = parse_duration(realised)
    if not r.unit.is_compatible(t.unit):
        raise InvalidValueError(
            field="duration",
            expected=f"a time convertible to {t.unit.name}",
            value=realised,
        )
    factor = r.unit.factor_to(t.unit)
    value = r.magnitude * factor.numerator / factor.denominator
    return compare(t.magnitude, value, lower=lower, rules=rules)


_SCALE_WORDS: Final = {
    "ribu": 10**3,
    "rb": 10**3,
    "juta": 10**6,
    "jt": 10**6,
    "miliar": 10**9,
    "milyar": 10**9,
    "m": 10**9,
    "triliun": 10**12,
    "t": 10**12,
}
_MONEY: Final = re.compile(r"^(?:rp\.?|idr)?\s*(-?[0-9.,]+)\s*([a-z]*)\.?\s*(?:rupiah)?$")


_MONEY_WORDS: Final = re.compile(
    r"^(?:rp\.?|idr)\s*[-0-9]|^-?[0-9][0-9.,]*\s*(?:ribu|juta|miliar|milyar|triliun|rupiah)\.?$"
)


def looks_like_money(text: str) -> bool:
    """Whether ``text`` is written as money: "Rp ..." or "IDR ...", or a number with
    ribu, juta, miliar, triliun or rupiah ("750 juta"); "1,5 M" alone is not (M and T
    are read as miliar and triliun only after "Rp").

    >>> looks_like_money("Rp 1,5 M"), looks_like_money("750 juta"), looks_like_money("1,5 M")
    (True, True, False)
    """
    return _MONEY_WORDS.match(text.strip().lower()) is not None


def parse_money(text: str) -> Decimal:
    """An amount of rupiah, exactly: "Rp 1.500.000", "Rp 1,5 M" (miliar), "2,3 miliar",
    "750 juta", "Rp 2 T" (triliun), "15 ribu"."""
    m = _MONEY.match(text.strip().lower())
    if m is None or (m.group(2) and m.group(2) not in _SCALE_WORDS):
        raise QuantityParseError(text, reason="not an amount such as 'Rp 1,5 M' or '750 juta'")
    amount = parse_number(m.group(1), field="money")
    if m.group(2):
        amount *= _SCALE_WORDS[m.group(2)]
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


def money_percent(
    target: str, realised: str, *, lower: bool = False, rules: Rules | None = None
) -> Decimal | None:
    """A realised amount against a target amount (revenue: higher is better; spending
    against a ceiling: ``lower=True``)."""
    return compare(parse_money(target), parse_money(realised), lower=lower, rules=rules)


# --- bounded scores ---------------------------------------------------------------------------
@attrs.frozen
class BoundedScore:
    """An index or score with bounds (IKM 0-100, IPM 0-100): a value outside them is
    refused, naming the score."""

    low: Decimal
    high: Decimal
    name: str = "score"

    def read(self, text: str | Decimal) -> Decimal:
        """The score ``text`` gives, within the bounds."""
        value = parse_number(text, field=self.name)
        if not self.low <= value <= self.high:
            raise InvalidValueError(
                field=self.name, expected=f"a value from {self.low} to {self.high}", value=text
            )
        return value

    def percent(
        self, target: str | Decimal, realised: str | Decimal, *, rules: Rules | None = None
    ) -> Decimal | None:
        """The realised score against the target score (higher is better)."""
        return compare(self.read(target), self.read(realised), lower=False, rules=rules)
