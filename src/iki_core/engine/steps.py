"""The working of one achievement, as typed records: what the general path did, step by
step, for :meth:`~iki_core.engine.Achievement.explain` to put into words.

:func:`iki_core.engine.general.work` returns a :class:`Working`: the :class:`TargetStep`
(which target, and how it was reached), the :class:`RealisedStep` (which realisations,
aggregated how) and a :class:`PercentStep` for ``percent`` and one for ``progress``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import attrs

from iki_core.engine.compiled import Entry
from iki_core.engine.formulas import Formula, Position
from iki_core.engine.ratios import Ratio

__all__ = [
    "How",
    "NoTargetReason",
    "PercentStep",
    "RealisedKind",
    "RealisedStep",
    "TargetKind",
    "TargetStep",
    "Working",
]

TargetKind = Literal["none", "annual", "annual_rule", "plan_level", "plan_sum", "prorated", "event"]
"""How the target of a period was reached: none; the annual target (as the period ends the
year, or as the indicator is not prorated); the annual target by ``rules.period_target``;
the plan's entry for the quarter; the plan's quarters added up; the annual target prorated
over the months elapsed, or over the event's active months."""

NoTargetReason = Literal["no_entry", "dash", "window", "plan_dash"]
"""Why a period has no target: no entry for the year, a "-" year, outside the event's
window, a "-" in the quarterly plan."""

RealisedKind = Literal[
    "none", "sum", "last", "average", "max", "ratio", "pct_last_value", "as_zero"
]
"""How the realisations to date were aggregated; ``pct_last_value``: a percentage
reported as values, the latest taken; ``as_zero``: a missing period counted as a
realisation of 0 (``rules.missing_period``)."""

How = Literal[
    "formula",
    "floored",
    "undefined",
    "zero_lower",
    "zero_higher",
    "inside",
    "zero_realisation",
    "mean_of_periods",
]
"""Which rule gave a percent: the polarity's formula, the formula at its floor, the formula
without a value (T / R at R = 0), a zero target's rule, inside a range (100%), or
``rules.zero_realisation`` where the formula has no value at R = 0, or the mean of the
periods' percents (``rules.year_to_date``)."""


@attrs.frozen
class TargetStep:
    """The target of the period: ``value`` (a single target) or ``bounds`` (a range), in
    the indicator's unit, and the facts of ``kind``: ``reason`` (none), ``quarters`` (the
    first and last quarter of a plan's entry or "-"), ``used``, ``current`` and ``part``
    (a plan's sum: the whole quarters before, the quarter the period ends in and its months
    counted), ``elapsed`` (prorated or event: months elapsed, months of the year or event)."""

    kind: TargetKind
    value: Ratio | None = None
    bounds: tuple[Ratio, Ratio] | None = None
    reason: NoTargetReason | None = None
    quarters: tuple[int, int] = (0, 0)
    used: tuple[Ratio | None, ...] = ()
    current: Ratio | None = None
    part: int = 3
    elapsed: tuple[int, int] = (1, 1)


@attrs.frozen
class RealisedStep:
    """The realisation to date: ``value`` (None: no value), the ``entries`` it was made of
    and, for a percentage formula, sum(X) or the latest X (``x``), the same of Y (``y``)
    and whether Y was 0 (``zero_denominator``, then ``rules.zero_denominator`` applied)."""

    kind: RealisedKind
    value: Ratio | None = None
    entries: tuple[Entry, ...] = ()
    x: Ratio | None = None
    y: Ratio | None = None
    zero_denominator: bool = False


@attrs.frozen
class PercentStep:
    """A percent (``percent`` or ``progress``): the exact value before the cap and
    rounding (``exact``), the rule that gave it (``how``, with the ``formula`` of the
    polarity), the target it was compared with (``compared``: a range's bound or the
    target), the realisation's ``position`` against a range, the published ``result``
    and whether ``rules.cap`` cut it (``capped``)."""

    exact: Ratio | None
    how: How
    formula: Formula
    compared: Ratio | None
    position: Position | None
    result: Decimal | None
    capped: bool
    parts: tuple[Ratio, ...] = ()


@attrs.frozen
class Working:
    """Every step of one achievement: target, realisation, percent and progress (None
    when there was nothing to compare)."""

    target: TargetStep
    realised: RealisedStep
    percent: PercentStep | None = None
    progress: PercentStep | None = None
