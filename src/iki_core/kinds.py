"""Indicator kinds and targets: what an indicator counts (:class:`PercentageFormula`,
:class:`Count`, :class:`EventReport`, and the value kinds :class:`GradeKind`,
:class:`RankKind`, :class:`RatioKind`, :class:`ScoreKind`) and what it aims at each year
(:class:`Target`, a :class:`Range`, a :class:`QuarterlyPlan`). :mod:`iki_core.model`
re-exports them.

>>> Target.parse(2021, "100,00%").value.magnitude
Decimal('100.00')

Targets beyond counts and percentages are read into a :class:`~iki_core.units.Quantity`
whose unit is the value kind's (``text`` keeps what was written): a grade's magnitude is
its position on its scale counted from the lowest (WTP is 4 of 4), a rank's its place, a
ratio's its second term per one of the first, money is exact rupiah and durations keep
their time unit (:mod:`iki_core.valuekinds` reads each):

>>> [str(Target.parse(2021, t).value) for t in ("WTP", "Rangking 6", "1 : 17,5", "Rp 1,5 M")]
['WTP', 'Peringkat 6', '1:17,5', 'Rp 1.500.000.000']
>>> Target.parse(2021, "BB").value.magnitude, Target.parse(2021, "Level 3").value.unit.name
(Decimal('5'), 'maturitas-spip')
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, ClassVar, Final, TypeAlias

import attrs

from iki_core._fields import (
    exact,
    field_name,
    instance_of,
    items_of,
    to_decimal_or_keep,
    to_tuple,
    whole_number,
)
from iki_core.errors import IkiError, InvalidValueError, QuantityParseError
from iki_core.numbers import NO_TARGET_MARKS, Lang
from iki_core.units import (
    BARE,
    MAX_QUANTITY_LENGTH,
    PERCENT,
    Quantity,
    Unit,
    UnitRegistry,
    get_registry,
)
from iki_core.valuekinds import (
    GRADE_SCALES,
    GradeScale,
    looks_like_money,
    parse_money,
    parse_ratio,
    read_rank,
)

__all__ = [
    "RANK",
    "RATIO",
    "VALUE_KINDS",
    "Count",
    "EventReport",
    "EventWindow",
    "GradeKind",
    "IndicatorKind",
    "PercentageFormula",
    "QuarterlyPlan",
    "Range",
    "RankKind",
    "RatioKind",
    "ScoreKind",
    "Target",
    "check_value_kind",
    "detect_kind",
    "grade_unit",
    "kind_of_unit",
    "parse_value",
]


def _positive(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if value <= 0:
        raise InvalidValueError(
            field=field_name(instance, attribute),
            expected="a number > 0 (100 for percent)",
            value=value,
        )


def _windows(values: Iterable[EventWindow]) -> tuple[EventWindow, ...]:
    return to_tuple(values)


def _plan_entries(
    values: Iterable[Quantity | None],
) -> tuple[Quantity | None, Quantity | None, Quantity | None, Quantity | None]:
    return to_tuple(values)  # type: ignore[return-value]


# --- indicator kinds ----------------------------------------------------------------------
@attrs.frozen
class PercentageFormula:
    """A percentage indicator: value = X / Y x ``factor`` (factor 100).

    ``numerator`` and ``denominator`` describe X and Y as the sheet does
    ("Jumlah gejala konflik yang dapat diatasi"). Realisations report X and Y.
    """

    numerator: str = ""
    denominator: str = ""
    factor: Decimal = attrs.field(
        default=Decimal(100), converter=to_decimal_or_keep, validator=[exact, _positive]
    )
    name: ClassVar[str] = "percentage"

    @property
    def unit(self) -> Unit:
        """Percentage indicators are in percent."""
        return PERCENT


@attrs.frozen
class Count:
    """A count in a unit: "200 orang peserta", "24 laporan", "3 unit", a bare "550"."""

    unit: Unit = attrs.field(validator=instance_of(Unit, "a Unit"))
    name: ClassVar[str] = "count"


@attrs.frozen
class EventWindow:
    """The months of ``year`` in which an event is active (an election's desk works
    from ``first_month`` to ``last_month``, inclusive)."""

    year: int = attrs.field(validator=whole_number(1900, 2999))
    first_month: int = attrs.field(default=1, validator=whole_number(1, 12))
    last_month: int = attrs.field(default=12, validator=whole_number(1, 12))

    def __attrs_post_init__(self) -> None:
        if not self.first_month <= self.last_month:
            raise InvalidValueError(
                field="EventWindow",
                expected="1 <= first_month <= last_month <= 12",
                value=(self.first_month, self.last_month),
            )

    @property
    def months(self) -> int:
        """How many months the window spans."""
        return self.last_month - self.first_month + 1


@attrs.frozen
class EventReport:
    """A count whose target exists only in the years of an event (election desk
    reports: Pilgub 2018, Pileg 2019, Pilbup 2022): "-" elsewhere.

    ``windows`` optionally narrow an event year to its active months; a year
    without a window is active all year.
    """

    unit: Unit = attrs.field(validator=instance_of(Unit, "a Unit"))
    windows: tuple[EventWindow, ...] = attrs.field(
        default=(), converter=_windows, validator=items_of(EventWindow, "EventWindow")
    )
    name: ClassVar[str] = "event_report"

    def __attrs_post_init__(self) -> None:
        years = [w.year for w in self.windows]
        if len(set(years)) != len(years):
            raise InvalidValueError(
                field="EventReport.windows", expected="one window per year", value=years
            )

    def window(self, year: int) -> EventWindow:
        """The active window of ``year`` (the whole year when none was given)."""
        for w in self.windows:
            if w.year == year:
                return w
        return EventWindow(year)


# --- value kinds ---------------------------------------------------------------------------
RANK: Final = Unit("peringkat", "[peringkat]", form="Peringkat {}")
"""The unit of ranks ("Rangking 6", "Peringkat 3", "3 besar"): the place, 1 is first."""

RATIO: Final = Unit("rasio", "[rasio]", form="1:{}")
"""The unit of ratios "1:32": the second term per one of the first."""


def grade_unit(scale: GradeScale) -> Unit:
    """The unit of the grades of ``scale``: magnitudes are positions counted from the
    lowest grade (1), written as the grade.

    >>> grade_unit(GRADE_SCALES["opini-bpk"]).written(Decimal(3), "3")
    'WDP'
    """
    return Unit(scale.key, f"[grade {scale.key}]", labels=scale.grades)


def _scale(value: GradeScale | str) -> GradeScale:
    if isinstance(value, str):
        return GRADE_SCALES[value]
    if not isinstance(value, GradeScale):
        raise InvalidValueError(
            field="GradeKind.scale", expected="a GradeScale or a scale key", value=value
        )
    return value


@attrs.frozen
class GradeKind:
    """A grade on an ordinal scale (opini BPK "WTP", nilai SAKIP "BB", akreditasi
    "Paripurna", maturitas SPIP "Level 3", or a host's :class:`~iki_core.valuekinds.GradeScale`).
    Higher grades are better; realisations are reported as grades; the percent follows
    :class:`~iki_core.rules.GradeRule`."""

    scale: GradeScale = attrs.field(converter=_scale)
    name: ClassVar[str] = "grade"

    @property
    def unit(self) -> Unit:
        return grade_unit(self.scale)


@attrs.frozen
class RankKind:
    """A rank ("Rangking 6", "Peringkat 3", "3 besar"): lower is better unless the
    indicator says otherwise (an :class:`~iki_core.model.Indicator` of this kind defaults
    to lower is better)."""

    name: ClassVar[str] = "rank"

    @property
    def unit(self) -> Unit:
        return RANK


@attrs.frozen
class RatioKind:
    """A ratio "1:32" (pupils per teacher), compared on its second term with the
    indicator's polarity."""

    name: ClassVar[str] = "ratio"

    @property
    def unit(self) -> Unit:
        return RATIO


@attrs.frozen
class ScoreKind:
    """An index or score with bounds (IKM 0-100, IPM 0-100), higher is better by
    default: a target outside the bounds is refused, naming the score."""

    low: Decimal = attrs.field(converter=to_decimal_or_keep, validator=exact)
    high: Decimal = attrs.field(converter=to_decimal_or_keep, validator=exact)
    label: str = "skor"
    name: ClassVar[str] = "score"

    def __attrs_post_init__(self) -> None:
        if not self.low < self.high:
            raise InvalidValueError(
                field=f"ScoreKind {self.label}",
                expected="a lower bound below the upper bound",
                value=f"{self.low} to {self.high}",
            )

    @property
    def unit(self) -> Unit:
        return BARE

    def check(self, value: Decimal, field: str) -> None:
        """Refuse a value outside the bounds."""
        if not self.low <= value <= self.high:
            raise InvalidValueError(
                field=f"{field} ({self.label})",
                expected=f"a value from {self.low} to {self.high}",
                value=value,
            )


IndicatorKind: TypeAlias = (
    PercentageFormula | Count | EventReport | GradeKind | RankKind | RatioKind | ScoreKind
)

VALUE_KINDS: Final = (GradeKind, RankKind, RatioKind, ScoreKind)
"""The kinds whose values are grades, ranks, ratios and bounded scores."""


def check_value_kind(
    indicator: str,
    kind: IndicatorKind,
    *,
    summed: bool,
    lower: bool,
    targets: Iterable[Target | None],
) -> None:
    """Refuse what a value kind cannot be: grades, ranks and ratios are levels, never
    summed; a grade's order is its scale's (never lower is better); a score's targets lie
    within its bounds. ``indicator`` names the indicator in the error."""
    if isinstance(kind, GradeKind | RankKind | RatioKind) and summed:
        raise InvalidValueError(
            field=f"Indicator {indicator} aggregation",
            expected=f"last, average or max for a {kind.name} (levels are not summed)",
            value="sum",
        )
    if isinstance(kind, GradeKind) and lower:
        raise InvalidValueError(
            field=f"Indicator {indicator} polarity",
            expected=f"higher_is_better (the order of the {kind.scale.key} grades)",
            value="lower_is_better",
        )
    if isinstance(kind, ScoreKind):
        for t in targets:
            if t is not None and isinstance(t.value, Quantity):
                kind.check(t.value.magnitude, f"Indicator {indicator} target {t.year}")


def _grade(text: str, scale: GradeScale | None) -> Quantity | None:
    """``text`` as a grade of ``scale``, or of the one shipped scale that knows it."""
    scales = [scale] if scale is not None else list(GRADE_SCALES.values())
    found: list[tuple[GradeScale, str]] = []
    for s in scales:
        try:
            found.append((s, s.parse(text)))
        except IkiError:
            continue
    if not found:
        return None
    if len(found) > 1:
        keys = ", ".join(s.key for s, _ in found)
        raise QuantityParseError(
            text, reason=f"a grade of several scales ({keys}): name the scale of the indicator"
        )
    s, grade = found[0]
    return Quantity(s.position(grade), grade_unit(s), text=text)


def parse_value(
    text: str,
    *,
    kind: IndicatorKind | None = None,
    registry: UnitRegistry | None = None,
    lang: Lang = "id",
    field: str | None = None,
    line: int | None = None,
) -> Quantity:
    """A value as documents write it, in the unit of what it is: money ("Rp 1,5 M",
    "750 juta"), a rank ("Peringkat 3", "3 besar"), a ratio ("1:32"), a quantity ("3 unit",
    "2 jam", "95,5%"), else a grade of the one scale that knows it ("WTP", "BB"). With
    ``kind`` a grade is read on the kind's scale (where "A" is no longer ambiguous) and a
    score is checked against its bounds; ``text`` is kept on the quantity.

    >>> parse_value("3 besar").format(), parse_value("2:45").magnitude
    ('Peringkat 3', Decimal('22.5'))
    >>> parse_value("A", kind=GradeKind("nilai-sakip")).magnitude
    Decimal('6')
    """
    if isinstance(text, str) and len(text) > MAX_QUANTITY_LENGTH:  # the readers' one bound
        raise QuantityParseError(
            text[:40] + "...",
            reason=f"longer than {MAX_QUANTITY_LENGTH} characters",
            field=field,
            line=line,
        )
    stripped = text.strip()
    if isinstance(kind, GradeKind):
        q = _grade(stripped, kind.scale)
        if q is not None:
            return attrs.evolve(q, text=text)
    try:
        if looks_like_money(stripped):
            return Quantity(
                parse_money(stripped), (registry or get_registry()).unit("rupiah"), text=text
            )
        if ":" in stripped:
            return Quantity(parse_ratio(stripped), RATIO, text=text)
        rank = read_rank(stripped)
        if rank is not None:
            return Quantity(rank, RANK, text=text)
    except QuantityParseError as exc:
        raise QuantityParseError(text, reason=exc.reason, field=field, line=line) from exc
    except IkiError as exc:
        raise QuantityParseError(text, reason=str(exc), field=field, line=line) from exc
    reg = registry or get_registry()
    try:
        q = reg.parse_quantity(text, lang=lang, field=field, line=line)
    except QuantityParseError:
        if isinstance(kind, GradeKind):
            raise QuantityParseError(
                text,
                reason="not a grade of " + kind.scale.key + ": " + ", ".join(kind.scale.grades),
                field=field,
                line=line,
            ) from None
        try:
            grade = _grade(stripped, None)
        except QuantityParseError as exc:
            raise QuantityParseError(text, reason=exc.reason, field=field, line=line) from exc
        if grade is None:
            raise
        return attrs.evolve(grade, text=text)
    if isinstance(kind, ScoreKind):
        kind.check(q.magnitude, field or "score")
    return q


def kind_of_unit(unit: Unit) -> IndicatorKind | None:
    """The value kind whose values are in ``unit`` (a rank's, a ratio's, a shipped grade
    scale's), or None for the units of counts and percentages.

    >>> kind_of_unit(RANK), kind_of_unit(PERCENT)
    (RankKind(), None)
    """
    if unit == RANK:
        return RankKind()
    if unit == RATIO:
        return RatioKind()
    if unit.labels and unit.name in GRADE_SCALES:
        scale = GRADE_SCALES[unit.name]
        if grade_unit(scale) == unit:
            return GradeKind(scale)
    return None


def detect_kind(texts: Iterable[str]) -> IndicatorKind | None:
    """The value kind every one of ``texts`` (cells that are not plain quantities) reads
    as: a grade of the first shipped scale that reads them all, ranks, ratios; None when
    they are of no one kind.

    >>> detect_kind(["A", "AA", "BB"]).scale.key, detect_kind(["Peringkat 3", "2 besar"])
    ('nilai-sakip', RankKind())
    """
    cells = [t.strip() for t in texts if t.strip() and t.strip() not in NO_TARGET_MARKS]
    if not cells:
        return None
    for kind in (RankKind(), RatioKind()):
        if all(_reads(c, kind) for c in cells):
            return kind
    for scale in GRADE_SCALES.values():
        grade = GradeKind(scale)
        if all(_reads(c, grade) for c in cells):
            return grade
    return None


def _reads(text: str, kind: IndicatorKind) -> bool:
    try:
        q = parse_value(text, kind=kind)
    except IkiError:
        return False
    return q.unit == kind.unit


# --- targets -------------------------------------------------------------------------------
@attrs.frozen
class Range:
    """A range target "80-90%": inside it counts as met (PermenPANRB 8/2021 annex)."""

    low: Quantity = attrs.field(validator=instance_of(Quantity, "Quantity"))
    high: Quantity = attrs.field(validator=instance_of(Quantity, "Quantity"))

    def __attrs_post_init__(self) -> None:
        low, high = self.low.format(), self.high.format()
        if not self.low.unit.is_compatible(self.high.unit):
            raise InvalidValueError(
                field="Range", expected="two bounds in one unit", value=f"{low} to {high}"
            )
        if self.high < self.low:
            raise InvalidValueError(
                field="Range", expected="a lower bound <= the upper bound", value=f"{low} to {high}"
            )

    @property
    def unit(self) -> Unit:
        return self.low.unit


@attrs.frozen
class Target:
    """The target of one year. ``value`` is None for "-" (no target that year,
    which is not zero), a :class:`Range` for "80-90%"; ``text`` is as written."""

    year: int = attrs.field(validator=whole_number(1900, 2999))
    value: Quantity | Range | None = attrs.field(
        validator=instance_of((Quantity, Range, type(None)), "a Quantity, a Range or None")
    )
    text: str = ""

    @classmethod
    def parse(
        cls,
        year: int,
        text: str,
        *,
        registry: UnitRegistry | None = None,
        line: int | None = None,
        kind: IndicatorKind | None = None,
    ) -> Target:
        """Read a target cell: "100,00%", "3 unit", "550", "-", "80-90%", and the value
        kinds :func:`parse_value` reads ("WTP", "Peringkat 3", "1:32", "Rp 1,5 M"); a grade
        on ``kind``'s scale when ``kind`` is a :class:`GradeKind`.

        >>> Target.parse(2021, "80-90%").value
        Range(low=Quantity(magnitude=Decimal('80'), ...), high=Quantity(...))
        >>> Target.parse(2018, "dokum", line=92)
        Traceback (most recent call last):
        ...
        iki_core.errors.QuantityParseError: line 92, target 2018: cannot read 'dokum' as a \
quantity: it does not start with a number
        """
        reg = registry or get_registry()
        field = f"target {year}"
        stripped = text.strip()
        if stripped in NO_TARGET_MARKS:
            return cls(year, None, text)
        if not stripped:
            raise QuantityParseError(
                text, reason="empty (write '-' for no target)", field=field, line=line
            )
        bounds = reg.parse_range(stripped, field=field, line=line)
        if bounds is not None:
            return cls(year, Range(*bounds), text)
        return cls(
            year, parse_value(stripped, kind=kind, registry=reg, field=field, line=line), text
        )

    @property
    def is_set(self) -> bool:
        """False for "-" (no target this year)."""
        return self.value is not None

    @property
    def is_range(self) -> bool:
        return isinstance(self.value, Range)

    @property
    def unit(self) -> Unit | None:
        return None if self.value is None else self.value.unit


@attrs.frozen
class QuarterlyPlan:
    """Rencana Aksi: the target of each quarter of ``year``, as planned.

    Each entry is that quarter's own target (None for "-"). For indicators
    aggregated by sum the engine adds the quarters up to the period; for the
    others (and percentages) the quarter's entry is the level to reach.
    """

    year: int = attrs.field(validator=whole_number(1900, 2999))
    quarters: tuple[Quantity | None, Quantity | None, Quantity | None, Quantity | None] = (
        attrs.field(
            converter=_plan_entries,
            validator=items_of((Quantity, type(None)), "a Quantity or None"),
        )
    )

    def __attrs_post_init__(self) -> None:
        if len(self.quarters) != 4:
            raise InvalidValueError(
                field="QuarterlyPlan.quarters", expected="4 entries", value=self.quarters
            )
