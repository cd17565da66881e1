"""What the deferred fields of the lean path's achievements are built from: the
:class:`Frame` of an indicator's year (see :mod:`~iki_core.engine.lean`)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from iki_core.engine.compiled import CompiledIndicator, months_of
from iki_core.engine.general import NO_WARNINGS, fast_quantity
from iki_core.engine.notices import NO_NOTICES
from iki_core.engine.ratios import Ratio, to_decimal
from iki_core.engine.results import (
    Achievement,
    forget_pending,
    set_annual_target,
    set_nilai,
    set_notices,
    set_realisations,
    set_realised,
    set_rules,
    set_target,
    set_warnings,
)
from iki_core.model import Count, Indicator, PercentageFormula, Realisation
from iki_core.units import BARE, Quantity, Unit

if TYPE_CHECKING:  # the run reads this module's Frame
    from iki_core.engine.run import Run

__all__ = ["Factor", "Frame", "frame"]

Factor = tuple[Unit, Unit, int, int]
"""A unit, the indicator's unit and the factor from one to the other as an integer ratio."""


class Frame:
    """What the deferred fields (:data:`~iki_core.engine.results.DEFERRED`) of the lean
    achievements of one indicator are built from, by :meth:`fill`: the indicator, its
    realisations (of one year, in period order), its target and plan for the year as
    integer ratios and the run. The compiled indicator is made only when needed (a unit
    the run has no factor for, the general path) and then shared."""

    __slots__ = (
        "annual",
        "built",
        "c",
        "indicator",
        "lasts",
        "quarters",
        "realisations",
        "reference",
        "run",
        "sums",
        "written",
        "ysums",
    )

    run: Run
    indicator: Indicator
    realisations: Sequence[Realisation]
    reference: str | None
    c: CompiledIndicator | None
    # the target as written and in the indicator's unit, the plan's quarters, and per
    # realisation its last month and the running sum (or X) and Y, flat (n and d of the
    # first, of the first two, ...: one tuple of integers, which the collector stops
    # tracking once it has seen it)
    written: Quantity | None
    annual: Ratio
    quarters: tuple[Ratio | None, ...] | None
    lasts: tuple[int, ...]
    sums: tuple[int, ...]
    ysums: tuple[int, ...]
    # what fill() built last: k, the realised, the realisations counted, the target
    built: tuple[int, Quantity, tuple[Realisation, ...], Ratio, Quantity] | None
    # made empty, every slot then set: by frame() for the lean path's loop, or by a kernel
    # (iki_core.engine.unrolled) inline, which costs a third of a call to an __init__
    __init__ = object.__init__

    def compiled(self) -> CompiledIndicator:
        """The indicator compiled against the run's rules (made once)."""
        c = self.c
        if c is None:
            c = self.c = CompiledIndicator(self.indicator, self.run.rules, self.run.shared)
        return c

    def ratio(self, q: Quantity, r: Realisation | None = None) -> Ratio:
        """``q`` in the indicator's unit, exactly (a realisation ``r`` names the error)."""
        unit = self.indicator.kind.unit
        u = q.unit
        if u is unit or u is BARE:
            return q.magnitude.as_integer_ratio()
        factors = self.run.factors
        f = factors.get((id(u), id(unit)))
        if f is None or f[0] is not u or f[1] is not unit:
            f = _factor(factors, u, unit)
        if f is None:  # the same unit written otherwise, or a mismatch to report
            c = self.compiled()
            if r is None:
                return c.convert(q, f"Indicator {self.indicator.id}")
            return c.convert(q, c.field(self.reference, r))
        n, d = q.magnitude.as_integer_ratio()
        return (n * f[2], d * f[3])

    def fill(self, a: Achievement) -> None:
        """Set the deferred fields of ``a``, a lean achievement, as the general path sets
        them: the target of the period, the realisation to date, the shared fields."""
        run = self.run
        ind = self.indicator
        kind = ind.kind
        unit = kind.unit
        period = a.period
        months = run.shared.months
        m = months.get(id(period))
        if m is None or m[0] is not period:
            m = months_of(months, period)
        _, first, last, _ = m
        k = bisect_right(self.lasts, last)
        annual = self.annual
        if run.annual_rule:  # PeriodTarget.ANNUAL
            t: Ratio | None = annual
        else:
            t = _target(type(kind) is Count, annual, self.quarters, first, last)
        assert t is not None  # the lean path computed this period
        value = self.written
        assert value is not None
        built = self.built  # the periods before, read from the same realisations (Q4, year)
        if built is not None and built[0] == k:
            realised, counted = built[1], built[2]
        else:
            i = 2 * k - 2  # the running sum (or X) and Y, flat: n and d of each
            sums = self.sums
            n, d = sums[i], sums[i + 1]
            if isinstance(kind, PercentageFormula):
                ysums = self.ysums
                yn, yd = ysums[i], ysums[i + 1]
                fn, fd = kind.factor.as_integer_ratio()
                n, d = n * yd * fn, d * yn * fd
            realised = fast_quantity(to_decimal((n, d)), unit)
            counted = tuple(self.realisations[:k])
        if built is not None and built[0] == k and built[3] == t:
            target = built[4]
        elif (self.quarters is not None and not run.annual_rule) or t != annual:
            target = fast_quantity(to_decimal(t), unit)
        elif value.unit is unit or value.unit == unit:  # the annual target as written
            target = value
        else:
            target = Quantity(to_decimal(annual), unit)
        self.built = (k, realised, counted, t, target)
        nilai_of = run.shared.nilai
        percent = a.percent
        set_target(a, target)
        set_annual_target(a, value)
        set_realised(a, realised)
        set_warnings(a, NO_WARNINGS)
        set_nilai(a, None if nilai_of is None or percent is None else nilai_of(percent, run.places))
        set_realisations(a, counted)
        set_rules(a, run.rules)
        set_notices(a, NO_NOTICES)
        forget_pending(a)


def frame(
    run: Run, indicator: Indicator, realisations: Sequence[Realisation], reference: str | None
) -> Frame:
    """The frame of ``indicator``'s ``realisations`` of one year in ``run``, its target,
    plan and sums still to be set."""
    f: Frame = Frame()
    f.run = run
    f.indicator = indicator
    f.realisations = realisations
    f.reference = reference
    f.c = None
    f.written = None
    f.annual = (1, 1)
    f.quarters = None
    f.lasts = ()
    f.sums = ()
    f.ysums = ()
    f.built = None
    return f


def _factor(factors: dict[tuple[int, int], Factor], u: Unit, unit: Unit) -> Factor | None:
    """The factor from ``u`` to ``unit``, kept in ``factors``; None when ``u`` is ``unit``
    written otherwise or cannot be converted (the compiled indicator says why)."""
    if u == unit or u.is_bare or not u.is_compatible(unit):
        return None
    fr = u.factor_to(unit)
    f = factors[(id(u), id(unit))] = (u, unit, fr.numerator, fr.denominator)
    return f


def _target(
    prorate: bool,
    annual: Ratio,
    quarters: tuple[Ratio | None, ...] | None,
    first: int,
    last: int,
) -> Ratio | None:
    """The cumulative target of the months ``first`` to ``last`` (as
    :func:`~iki_core.engine.general.target_step` under ``PeriodTarget.CUMULATIVE``); None
    when the plan gives none ("-")."""
    if quarters is None:
        if prorate and last != 12:
            return (annual[0] * last, annual[1] * 12)
        return annual
    qe = (last - 1) // 3 + 1
    current = quarters[qe - 1]
    if not prorate:
        return current
    for e in quarters[(first - 1) // 3 : qe]:
        if e is not None:
            break
    else:  # every quarter the period covers is "-"
        return None
    n, d = 0, 1
    for e in quarters[: qe - 1]:
        if e is not None:
            n, d = (n + e[0], d) if d == e[1] else (n * e[1] + e[0] * d, d * e[1])
    if current is not None:
        part = last - 3 * (qe - 1)
        cn, cd = current[0] * part, current[1] * 3
        n, d = (n + cn, d) if d == cd else (n * cd + cn * d, d * cd)
    return (n, d)
