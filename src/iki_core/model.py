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
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar, Final, Literal, TypeAlias, TypeVar

import attrs

from iki_core.errors import (
    IkiTypeError,
    InvalidValueError,
    QuantityParseError,
    UnknownIndicatorError,
)
from iki_core.numbers import to_decimal
from iki_core.periods import Period, PlaceDate
from iki_core.personnel import Nip, Rank
from iki_core.units import PERCENT, Quantity, Unit, UnitRegistry, get_registry

__all__ = [
    "Aggregation",
    "Count",
    "Diagnostic",
    "Document",
    "EventReport",
    "EventWindow",
    "Indicator",
    "IndicatorKind",
    "Objective",
    "PercentageFormula",
    "Polarity",
    "QuarterlyPlan",
    "Range",
    "Realisation",
    "Severity",
    "Sheet",
    "Signatory",
    "SourceText",
    "Target",
]

NO_TARGET_MARKS: Final = frozenset({"-", "\u2013", "\u2014", "\u2212", "--"})
"""How sheets write "no target this year" (not zero)."""


class _ReprEnum(StrEnum):
    def __repr__(self) -> str:
        return repr(self.value)


_E = TypeVar("_E", bound=_ReprEnum)


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


Severity: TypeAlias = Literal["error", "warning", "info"]


def _nonempty(field: str) -> Callable[[object, attrs.Attribute[str], str], None]:
    def check(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise InvalidValueError(field=field, expected="a non-empty text", value=value)

    return check


def _instance_of(
    field: str, types: type | tuple[type, ...], expected: str
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, types):
            raise IkiTypeError(field=field, expected=expected, value=value)

    return check


def _one_of(
    field: str, choices: tuple[str, ...]
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in choices:
            raise InvalidValueError(
                field=field, expected=f"one of {', '.join(choices)}", value=value
            )

    return check


def _integer(
    field: str, low: int, high: int
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidValueError(
                field=field, expected=f"a whole number {low}-{high}", value=value
            )

    return check


def _items(values: Iterable[Any], field: str, types: type | tuple[type, ...], expected: str) -> Any:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise IkiTypeError(field=field, expected=f"a sequence of {expected}", value=values)
    items = tuple(values)
    for item in items:
        if not isinstance(item, types):
            raise IkiTypeError(field=field, expected=expected, value=item)
    return items


def _windows(values: Iterable[EventWindow]) -> tuple[EventWindow, ...]:
    items: tuple[EventWindow, ...] = _items(
        values, "EventReport.windows", EventWindow, "EventWindow"
    )
    return items


def _plan_entries(
    values: Iterable[Quantity | None],
) -> tuple[Quantity | None, Quantity | None, Quantity | None, Quantity | None]:
    entries: tuple[Quantity | None, Quantity | None, Quantity | None, Quantity | None] = _items(
        values, "QuarterlyPlan.quarters", (Quantity, type(None)), "a Quantity or None"
    )
    return entries


def _plans(values: Iterable[QuarterlyPlan]) -> tuple[QuarterlyPlan, ...]:
    items: tuple[QuarterlyPlan, ...] = _items(
        values, "Indicator.plans", QuarterlyPlan, "QuarterlyPlan"
    )
    return items


def _indicators(values: Iterable[Indicator]) -> tuple[Indicator, ...]:
    items: tuple[Indicator, ...] = _items(values, "Objective.indicators", Indicator, "Indicator")
    return items


def _objectives(values: Iterable[Objective]) -> tuple[Objective, ...]:
    items: tuple[Objective, ...] = _items(values, "Sheet.objectives", Objective, "Objective")
    return items


def _signatories(values: Iterable[Signatory]) -> tuple[Signatory, ...]:
    items: tuple[Signatory, ...] = _items(values, "Sheet.signatories", Signatory, "Signatory")
    return items


def _sheets(values: Iterable[Sheet]) -> tuple[Sheet, ...]:
    items: tuple[Sheet, ...] = _items(values, "Document.sheets", Sheet, "Sheet")
    return items


def _diagnostics(values: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    items: tuple[Diagnostic, ...] = _items(values, "Document.diagnostics", Diagnostic, "Diagnostic")
    return items


def _functions(values: Iterable[str]) -> tuple[str, ...]:
    items: tuple[str, ...] = _items(values, "Sheet.functions", str, "str")
    return items


def _plan_years(values: Iterable[int]) -> tuple[int, ...]:
    items: tuple[int, ...] = _items(values, "Sheet.plan_years", int, "int")
    return items


def _enum(cls: type[_E], value: object, field: str) -> _E:
    if isinstance(value, cls):
        return value
    if isinstance(value, str) and value in cls._value2member_map_:
        return cls(value)
    raise InvalidValueError(
        field=field, expected=f"one of {', '.join(m.value for m in cls)}", value=value
    )


def _polarity(value: Polarity | str) -> Polarity:
    return _enum(Polarity, value, "Indicator.polarity")


def _aggregation(value: Aggregation | str) -> Aggregation:
    return _enum(Aggregation, value, "Indicator.aggregation")


def _factor(value: object) -> Decimal:
    factor = to_decimal(value, field="PercentageFormula.factor")
    if factor <= 0:
        raise InvalidValueError(
            field="PercentageFormula.factor",
            expected="a number > 0 (100 for percent)",
            value=factor,
        )
    return factor


def _numerator(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, field="Realisation.numerator")


def _denominator(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, field="Realisation.denominator")


# --- provenance -------------------------------------------------------------------------
@attrs.frozen
class SourceText:
    """Where an object was read from and the text of each of its fields as written.

    ``cells`` pairs a field name with its original text, e.g.
    ``(("target 2018", "dokum"), ("Sumber Data", "12 kali"))``.
    """

    line: int | None = None
    cells: tuple[tuple[str, str], ...] = ()

    def get(self, field: str, default: str | None = None) -> str | None:
        """The original text of ``field``."""
        for name, text in self.cells:
            if name == field:
                return text
        return default


@attrs.frozen
class Diagnostic:
    """A problem found while reading a document, with where it is.

    ``code`` is stable (``"truncated-target"``, ``"repeated-row"``...) so that
    applications can filter on it; ``text`` holds the offending line or cell.

    >>> str(Diagnostic(line=92, severity="warning", code="truncated-target",
    ...                message="target 2018 'dokum' is not a quantity; kept as text"))
    "line 92: warning [truncated-target] target 2018 'dokum' is not a quantity; kept as text"
    """

    line: int | None
    severity: Severity = attrs.field(
        validator=_one_of("Diagnostic.severity", ("error", "warning", "info"))
    )
    code: str = attrs.field(validator=_nonempty("Diagnostic.code"))
    message: str
    text: str | None = None
    sheet: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.severity} [{self.code}] {self.message}"


# --- indicator kinds ----------------------------------------------------------------------
@attrs.frozen
class PercentageFormula:
    """A percentage indicator: value = X / Y x ``factor`` (factor 100).

    ``numerator`` and ``denominator`` describe X and Y as the sheet does
    ("Jumlah gejala konflik yang dapat diatasi"). Realisations report X and Y.
    """

    numerator: str = ""
    denominator: str = ""
    factor: Decimal = attrs.field(default=Decimal(100), converter=_factor)
    name: ClassVar[str] = "percentage"

    @property
    def unit(self) -> Unit:
        """Percentage indicators are in percent."""
        return PERCENT


@attrs.frozen
class Count:
    """A count in a unit: "200 orang peserta", "24 laporan", "3 unit", a bare "550"."""

    unit: Unit = attrs.field(validator=_instance_of("Count.unit", Unit, "a Unit"))
    name: ClassVar[str] = "count"


@attrs.frozen
class EventWindow:
    """The months of ``year`` in which an event is active (an election's desk works
    from ``first_month`` to ``last_month``, inclusive)."""

    year: int = attrs.field(validator=_integer("EventWindow.year", 1900, 2999))
    first_month: int = attrs.field(default=1, validator=_integer("EventWindow.first_month", 1, 12))
    last_month: int = attrs.field(default=12, validator=_integer("EventWindow.last_month", 1, 12))

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

    unit: Unit = attrs.field(validator=_instance_of("EventReport.unit", Unit, "a Unit"))
    windows: tuple[EventWindow, ...] = attrs.field(default=(), converter=_windows)
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


IndicatorKind: TypeAlias = PercentageFormula | Count | EventReport


# --- targets -------------------------------------------------------------------------------
@attrs.frozen
class Range:
    """A range target "80-90%": inside it counts as met (PermenPANRB 8/2021 annex)."""

    low: Quantity = attrs.field(validator=_instance_of("Range.low", Quantity, "Quantity"))
    high: Quantity = attrs.field(validator=_instance_of("Range.high", Quantity, "Quantity"))

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

    year: int = attrs.field(validator=_integer("Target.year", 1900, 2999))
    value: Quantity | Range | None = attrs.field(
        validator=_instance_of(
            "Target.value", (Quantity, Range, type(None)), "a Quantity, a Range or None"
        )
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
    ) -> Target:
        """Read a target cell: "100,00%", "3 unit", "550", "-", "80-90%".

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
        return cls(year, reg.parse_quantity(stripped, field=field, line=line), text)

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

    year: int = attrs.field(validator=_integer("QuarterlyPlan.year", 1900, 2999))
    quarters: tuple[Quantity | None, Quantity | None, Quantity | None, Quantity | None] = (
        attrs.field(converter=_plan_entries)
    )

    def __attrs_post_init__(self) -> None:
        if len(self.quarters) != 4:
            raise InvalidValueError(
                field="QuarterlyPlan.quarters", expected="4 entries", value=self.quarters
            )


# --- indicators ----------------------------------------------------------------------------
def _sorted_targets(targets: Sequence[Target]) -> tuple[Target, ...]:
    items: tuple[Target, ...] = _items(targets, "Indicator.targets", Target, "Target")
    return tuple(sorted(items, key=lambda t: t.year))


@attrs.frozen
class Indicator:
    """An indicator of performance (indikator kinerja) with its yearly targets.

    ``id`` is unique within its sheet ("1", "1.2"); ``kind`` is a
    :class:`PercentageFormula`, a :class:`Count` or an :class:`EventReport`.
    Every target (and plan entry) must be in a unit compatible with the kind's:
    loaders re-express a bare "12" in the indicator's unit and keep the text.
    """

    id: str = attrs.field(validator=_nonempty("Indicator.id"))
    name: str
    kind: IndicatorKind = attrs.field(
        validator=_instance_of(
            "Indicator.kind",
            (PercentageFormula, Count, EventReport),
            "PercentageFormula, Count or EventReport",
        )
    )
    targets: tuple[Target, ...] = attrs.field(default=(), converter=_sorted_targets)
    polarity: Polarity = attrs.field(default=Polarity.HIGHER_IS_BETTER, converter=_polarity)
    aggregation: Aggregation = attrs.field(default=Aggregation.SUM, converter=_aggregation)
    plans: tuple[QuarterlyPlan, ...] = attrs.field(default=(), converter=_plans)
    explanation: str = ""
    data_source: str = ""
    source: SourceText | None = None

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
    indicators: tuple[Indicator, ...] = attrs.field(default=(), converter=_indicators)
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
        default="owner", validator=_one_of("Signatory.role", ("approver", "owner"))
    )
    place_date: PlaceDate | None = None
    text: str = ""
    line: int | None = None


@attrs.frozen
class Sheet:
    """One IKI sheet: a position (jabatan), its duty and functions, the plan years,
    the objectives with their indicators, and the signatures."""

    number: int
    position: str
    duty: str = ""
    functions: tuple[str, ...] = attrs.field(default=(), converter=_functions)
    plan_years: tuple[int, ...] = attrs.field(default=(), converter=_plan_years)
    objectives: tuple[Objective, ...] = attrs.field(default=(), converter=_objectives)
    signatories: tuple[Signatory, ...] = attrs.field(default=(), converter=_signatories)
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

    sheets: tuple[Sheet, ...] = attrs.field(default=(), converter=_sheets)
    diagnostics: tuple[Diagnostic, ...] = attrs.field(default=(), converter=_diagnostics)
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
def _validate_period(instance: object, attribute: attrs.Attribute[Period], value: Period) -> None:
    if not isinstance(value, Period):
        raise IkiTypeError(field="Realisation.period", expected="Period", value=value)


@attrs.frozen
class Realisation:
    """What was realised (realisasi) for one indicator in one period, that period alone.

    Either ``value`` (a count or a percentage as a :class:`Quantity`) or both
    ``numerator`` and ``denominator`` (X and Y of a percentage formula) are
    given. ``indicator`` is the indicator's reference ("2:1.2", or its id).

    >>> from iki_core.units import parse_quantity
    >>> Realisation("3:1", Period.parse("2021-Q3"), value=parse_quantity("150 orang"))
    Realisation(indicator='3:1', period=Period(year=2021, kind='quarter', index=3), ...)
    >>> Realisation("1:1", Period.parse("2021-Q1"), numerator=3)
    Traceback (most recent call last):
    ...
    iki_core.errors.InvalidValueError: Realisation 1:1 2021-Q1: expected either a value \
or both numerator and denominator, got 'numerator=3, denominator=None, value=None'
    """

    indicator: str = attrs.field(validator=_nonempty("Realisation.indicator"))
    period: Period = attrs.field(validator=_validate_period)
    value: Quantity | None = attrs.field(
        default=None,
        validator=_instance_of("Realisation.value", (Quantity, type(None)), "a Quantity or None"),
        kw_only=True,
    )
    numerator: Decimal | None = attrs.field(
        default=None,
        converter=_numerator,
        kw_only=True,
    )
    denominator: Decimal | None = attrs.field(
        default=None,
        converter=_denominator,
        kw_only=True,
    )
    reported_on: dt.date | None = attrs.field(default=None, kw_only=True)
    note: str = attrs.field(default="", kw_only=True)
    source: SourceText | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        where = f"Realisation {self.indicator} {self.period}"
        has_ratio = self.numerator is not None or self.denominator is not None
        if (self.value is None) == (not has_ratio) or (
            has_ratio and (self.numerator is None or self.denominator is None)
        ):
            raise InvalidValueError(
                field=where,
                expected="either a value or both numerator and denominator",
                value=f"numerator={self.numerator}, denominator={self.denominator}, "
                f"value={self.value}",
            )
        for name in ("numerator", "denominator"):
            v = getattr(self, name)
            if v is not None and v < 0:
                raise InvalidValueError(
                    field=f"{where} {name}", expected="a number >= 0", value=str(v)
                )
        value = self.value
        if value is not None and value.magnitude < 0 and value.unit.dimension != "[persen]":
            # a count of things cannot fall below zero; a percentage (a growth rate) can
            raise InvalidValueError(
                field=f"{where} value",
                expected="a count >= 0 (only percentages may be negative)",
                value=value.text or str(value),
            )

    @property
    def is_ratio(self) -> bool:
        """True when X and Y were reported (a percentage formula)."""
        return self.numerator is not None
