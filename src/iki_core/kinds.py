"""Indicator kinds and targets: what an indicator counts (:class:`PercentageFormula`,
:class:`Count`, :class:`EventReport`) and what it aims at each year (:class:`Target`, a
:class:`Range`, a :class:`QuarterlyPlan`). :mod:`iki_core.model` re-exports them.

>>> Target.parse(2021, "100,00%").value.magnitude
Decimal('100.00')
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, ClassVar, TypeAlias

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
from iki_core.errors import InvalidValueError, QuantityParseError
from iki_core.numbers import NO_TARGET_MARKS
from iki_core.units import PERCENT, Quantity, Unit, UnitRegistry, get_registry

__all__ = [
    "Count",
    "EventReport",
    "EventWindow",
    "IndicatorKind",
    "PercentageFormula",
    "QuarterlyPlan",
    "Range",
    "Target",
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


IndicatorKind: TypeAlias = PercentageFormula | Count | EventReport


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
