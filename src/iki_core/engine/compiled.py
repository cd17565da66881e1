"""An indicator compiled against rules: what every period of a computation reads.

:class:`CompiledIndicator` resolves once what does not change between periods (the unit
factors, the polarity's formula, each year's targets and plan), :class:`Series` holds one
year of its realisations in period order with running totals, :class:`PeriodFacts` the
facts of one period, :class:`Shared` what every indicator of one computation shares (the
rating thresholds as integers, a cache of months). Each period then costs integer
arithmetic only.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from decimal import Decimal
from typing import Final

from iki_core.engine.formulas import Arithmetic, Formula, formula
from iki_core.engine.graded import kind_formula
from iki_core.engine.ratios import HUNDRED, ONE, ZERO, Ratio, add, lt, to_decimal
from iki_core.engine.results import Notice, Param, Status
from iki_core.errors import InvalidValueError, UnitMismatchError
from iki_core.model import (
    Aggregation,
    EventReport,
    EventWindow,
    Indicator,
    PercentageFormula,
    Polarity,
    Range,
    Realisation,
    ScoreKind,
)
from iki_core.periods import Period
from iki_core.realisation_checks import kind_problems
from iki_core.rules import PeriodTarget, Rules, YearToDate
from iki_core.units import BARE, Quantity, Unit

__all__ = [
    "CompiledIndicator",
    "Entry",
    "Months",
    "PeriodFacts",
    "Resolved",
    "Series",
    "Shared",
    "YearTargets",
]

_SUM: Final = Aggregation.SUM
_AVERAGE: Final = Aggregation.AVERAGE
_MAX: Final = Aggregation.MAX

Months = tuple[Period, int, int, int]
"""A period with its first and last month and the bit mask of its months."""

Resolved = tuple[
    Realisation, Months, "Ratio | None", "Ratio | None", "Ratio | None", "Notice | None"
]
"""A realisation resolved: its months, its value (or X and Y) in the indicator's unit, and
a warning of its own."""


class Entry:
    """A realisation resolved once: its months and its value(s) as exact ratios in the
    indicator's unit."""

    __slots__ = ("first", "last", "mask", "real", "value", "warning", "x", "y")

    def __init__(
        self,
        real: Realisation,
        months: Months,
        value: Ratio | None,
        x: Ratio | None = None,
        y: Ratio | None = None,
        warning: Notice | None = None,
    ) -> None:
        self.real = real
        _, self.first, self.last, self.mask = months
        self.value = value
        self.x = x
        self.y = y
        self.warning = warning


def months_of(cache: dict[int, Months], period: Period) -> Months:
    """The months of ``period``, cached by identity (the entry keeps the period alive)."""
    m = cache.get(id(period))
    if m is None or m[0] is not period:
        first, last = period.first_month, period.last_month
        m = (period, first, last, ((1 << last) - 1) ^ ((1 << (first - 1)) - 1))
        cache[id(period)] = m
    return m


class YearTargets:
    """What one year of an indicator asks for, resolved once."""

    __slots__ = (
        "annual",
        "bounds",
        "conflict",
        "high",
        "low",
        "quantity",
        "quarters",
        "simple",
        "target_q",
        "target_text",
        "window",
        "window_mask",
    )

    def __init__(self) -> None:
        self.annual: Ratio | None = None  # a single target, in the indicator's unit
        self.low: Ratio | None = None  # a range target's bounds
        self.high: Ratio | None = None
        self.bounds: tuple[Ratio, Ratio] | None = None
        self.quantity: Quantity | Range | None = None  # as written
        self.target_text: str | None = None  # None: no entry for the year at all
        self.quarters: tuple[Ratio | None, ...] | None = None  # the quarterly plan
        self.conflict = False  # a plan with targets under a "-" year
        self.window: EventWindow | None = None
        self.window_mask = (1 << 12) - 1
        self.simple = False  # a single positive target, no plan, no event window
        self.target_q: Quantity | None = None  # the annual target in the indicator's unit


class Series:
    """One year of an indicator's realisations, in period order, with running state: each
    period reads its to-date figures at one index instead of re-adding.

    ``state[k]`` describes the first ``k`` entries: (months covered as a bit mask, the
    latest first month, whether anything calls for a warning besides gaps, the running
    aggregate: sum, or X for percentages, or maximum, and the running sum of Y);
    ``latest[k]`` the latest date on which one of them was reported."""

    __slots__ = ("_entries", "all_ratio", "lasts", "latest", "raw", "reals", "state")

    def __init__(self, compiled: CompiledIndicator, raw: list[Resolved]) -> None:
        last = 0
        for item in raw:
            if item[1][2] <= last:  # out of order, or two periods ending together
                raw.sort(key=_period_order)
                break
            last = item[1][2]
        self.raw = raw
        self._entries: list[Entry] | None = None
        self.lasts: list[int] = []
        lasts = self.lasts
        reals: list[Realisation] = []
        is_pct = compiled.is_pct
        pct_sum = is_pct and compiled.sum
        is_max = compiled.agg is _MAX and not is_pct
        all_ratio = True
        covered = maxfirst = 0
        trouble = False
        n, d = 0, 1
        yn, yd = 0, 1
        best: Ratio = ZERO
        latest: dt.date | None = None
        self.state: list[tuple[int, int, bool, Ratio, Ratio]] = [(0, 0, False, ZERO, ZERO)]
        self.latest: list[dt.date | None] = [None]
        state = self.state
        latest_list = self.latest
        for r, (_, first, last, mask), v, x, y, warning in raw:
            reals.append(r)
            lasts.append(last)
            if (
                covered & mask
                or warning is not None
                or (pct_sum and x is None)  # a percentage reported without X and Y
            ):
                trouble = True
            reported = r.reported_on
            if reported is not None and (latest is None or reported > latest):
                latest = reported
            covered |= mask
            if first > maxfirst:
                maxfirst = first
            latest_list.append(latest)
            if is_pct:
                if x is None or y is None:
                    all_ratio = False
                elif all_ratio:
                    n, d = add((n, d), x)
                    yn, yd = add((yn, yd), y)
                state.append((covered, maxfirst, trouble, (n, d), (yn, yd)))
                continue
            assert v is not None
            if is_max:
                if len(state) == 1 or lt(best, v):
                    best = v
                state.append((covered, maxfirst, trouble, best, ZERO))
                continue
            if v[1] == d:
                n += v[0]
            else:
                n, d = n * v[1] + v[0] * d, d * v[1]
            state.append((covered, maxfirst, trouble, (n, d), ZERO))
        self.reals = tuple(reals)
        self.all_ratio = all_ratio

    @property
    def entries(self) -> list[Entry]:
        """The realisations as entries, in period order (built when first asked for)."""
        if self._entries is None:
            self._entries = [Entry(*item) for item in self.raw]
        return self._entries


class Shared:
    """What every indicator of one computation shares: the rules' rating thresholds as
    integers (:meth:`~iki_core.rules.RatingScale.thresholds`), the scale's nilai (None
    when no band has a nilai formula, so that scales without one cost nothing per period),
    the formula of each polarity and a cache of the months of each period met."""

    __slots__ = ("cent", "higher", "hundred", "labels", "lower", "months", "nilai", "thresholds")

    def __init__(self, rules: Rules) -> None:
        scale = rules.scale
        unit = 10**rules.places
        self.thresholds = scale.thresholds(rules.places)
        self.labels = scale.labels
        self.hundred = 100 * unit
        self.cent = Decimal((0, (1,), -rules.places))  # one unit of the last place kept
        self.months: dict[int, Months] = {}
        self.nilai = scale.nilai if any(b.nilai is not None for b in scale.bands) else None
        self.higher: Formula = formula(rules.higher_is_better)
        self.lower: Formula = formula(rules.lower_is_better)

    def judge(self, points: int) -> tuple[Status, str]:
        """The status and the rating of a percent of ``points`` units of the last place
        kept: achieved from 100 (PermenPANRB 8/2021), rated by the rules' scale."""
        status = Status.ACHIEVED if points >= self.hundred else Status.NOT_ACHIEVED
        return status, self.labels[bisect_right(self.thresholds, points)]


class PeriodFacts:
    """The facts of a period the hot path reads, computed once per period."""

    __slots__ = (
        "end",
        "first",
        "first_quarter",
        "full",
        "last",
        "late_after",
        "part",
        "period",
        "quarter",
        "year",
    )

    def __init__(self, period: Period, rules: Rules) -> None:
        self.period = period
        self.year = period.year
        self.first = period.first_month
        self.last = period.last_month
        self.end = period.end
        self.full = (1 << self.last) - 1
        grace = rules.report_grace_days
        # a report dated after this day is late (rules.report_grace_days)
        self.late_after = dt.date.max if grace is None else self.end + dt.timedelta(days=grace)
        # for a quarterly plan: the index of the quarter the period ends in (from 0), how
        # many of its months the period reaches, and the quarter it starts in (from 1)
        self.quarter = (self.last - 1) // 3
        self.part = self.last - 3 * self.quarter
        self.first_quarter = (self.first + 2) // 3


class CompiledIndicator:
    """An indicator compiled against rules: unit factors, its polarity's formula and its
    targets resolved once, so that each period costs only integer arithmetic."""

    __slots__ = (
        "additive",
        "agg",
        "annual_rule",
        "arithmetic",
        "event",
        "factor",
        "factors",
        "fast_ratio",
        "fast_sum",
        "floor",
        "formula",
        "indicator",
        "is_pct",
        "lower",
        "months",
        "places",
        "prorate",
        "rate",
        "rules",
        "scale",
        "score",
        "shared",
        "simple",
        "sum",
        "unit",
        "years",
        "zero_rules",
    )

    def __init__(self, indicator: Indicator, rules: Rules, shared: Shared | None = None) -> None:
        kind = indicator.kind
        self.indicator = indicator
        self.rules = rules
        self.unit: Unit = kind.unit
        self.is_pct = type(kind) is PercentageFormula
        self.factor: Ratio = (
            kind.factor.as_integer_ratio() if isinstance(kind, PercentageFormula) else HUNDRED
        )
        self.event: EventReport | None = kind if isinstance(kind, EventReport) else None
        self.score: ScoreKind | None = kind if isinstance(kind, ScoreKind) else None
        self.agg = agg = indicator.aggregation
        self.sum = agg is _SUM
        self.additive = agg is _SUM or agg is _AVERAGE
        self.prorate = self.sum and not self.is_pct
        self.lower = indicator.polarity is Polarity.LOWER_IS_BETTER
        self.annual_rule = rules.period_target is PeriodTarget.ANNUAL
        self.factors: dict[int, tuple[Unit, Ratio]] = {}
        self.years: dict[int, YearTargets] = {}
        self.shared = shared if shared is not None else Shared(rules)
        self.formula: Formula = self.shared.lower if self.lower else self.shared.higher
        special = kind_formula(indicator, rules, self.convert)  # grades, baselines
        if special is not None:
            self.formula = special
        # a target of 0 takes the rules' zero rules (R / T has no value there), but not a
        # formula measured from the baseline, whose denominator is T - B
        self.zero_rules = special is None or special.name != "baseline_relative"
        self.arithmetic: Arithmetic = self.formula.arithmetic  # resolved once: the hot path
        self.floor: int | None = self.formula.floor
        self.months = self.shared.months
        self.places = rules.places
        self.scale: int = 100 * 10**rules.places  # percent points, then the places kept
        self.rate = rules.scale.rate
        self.fast_sum = self.sum and not self.is_pct  # the realised value is the running sum
        self.fast_ratio = self.sum and self.is_pct
        self.simple = (
            rules.cap is None and not self.annual_rule and rules.year_to_date is YearToDate.RATIO
        )

    # units -------------------------------------------------------------------------
    def convert(self, q: Quantity, field: str) -> Ratio:
        """``q`` in the indicator's unit (a bare number is read in it), exactly."""
        u = q.unit
        n, d = q.magnitude.as_integer_ratio()
        if u is self.unit or u is BARE:
            return (n, d)
        cached = self.factors.get(id(u))
        if cached is None or cached[0] is not u:
            if u == self.unit or u.is_bare:
                cached = (u, ONE)
            elif not u.is_compatible(self.unit):
                raise UnitMismatchError(
                    q.text or str(q),
                    self.unit.name or "a bare number",
                    left_unit=u.name,
                    right_unit=self.unit.name,
                    field=field,
                )
            else:
                fr = u.factor_to(self.unit)
                cached = (u, (fr.numerator, fr.denominator))
            self.factors[id(u)] = cached
        f = cached[1]
        if f is ONE:
            return (n, d)
        return (n * f[0], d * f[1])

    # targets -----------------------------------------------------------------------
    def year(self, year: int) -> YearTargets:
        """The targets of ``year``, resolved once."""
        y = self.years.get(year)
        if y is not None:
            return y
        y = YearTargets()
        ind = self.indicator
        t = ind.target_for(year)
        if t is not None:
            value = t.value
            y.target_text = t.text or ("-" if value is None else str(value))
            y.quantity = value
            if isinstance(value, Range):
                field = f"Indicator {ind.id} target {year}"
                y.low = self.convert(value.low, field)
                y.high = self.convert(value.high, field)
                y.bounds = (y.low, y.high)
            elif value is not None:
                u = value.unit
                if u is self.unit or u is BARE:  # as convert() would, without its label
                    y.annual = value.magnitude.as_integer_ratio()
                else:
                    y.annual = self.convert(value, f"Indicator {ind.id} target {year}")
        p = ind.plan_for(year)
        if p is not None:
            field = f"Indicator {ind.id} plan {year}"
            y.quarters = tuple(None if q is None else self.convert(q, field) for q in p.quarters)
            y.conflict = y.quantity is None and any(q is not None for q in y.quarters)
        if self.event is not None:
            w = y.window = self.event.window(year)
            y.window_mask = ((1 << w.last_month) - 1) ^ ((1 << (w.first_month - 1)) - 1)
        if y.annual is not None:
            q = y.quantity
            assert isinstance(q, Quantity)
            same = q.unit is self.unit or q.unit == self.unit
            y.target_q = q if same else Quantity(to_decimal(y.annual), self.unit)
        y.simple = (
            y.annual is not None and y.annual[0] > 0 and y.quarters is None and y.window is None
        )
        self.years[year] = y
        return y

    # realisations --------------------------------------------------------------------
    def prepare(
        self, realisations: Iterable[Realisation], reference: str | None
    ) -> dict[int, Series]:
        """The realisations resolved and grouped by year, each year's in period order."""
        by_year: dict[int, list[Resolved]] = {}
        months = self.months
        unit = self.unit
        for r in realisations:
            period = r.period
            m = months.get(id(period))
            if m is None or m[0] is not period:
                m = months_of(months, period)
            v = r.value
            if v is not None:
                if self.score is not None:  # a score outside its bounds (IKM 0-100)
                    self.score.check(v.magnitude, self.field(reference, r))
                u = v.unit
                if u is unit or u is BARE:
                    value = v.magnitude.as_integer_ratio()
                else:
                    value = self.convert(v, self.field(reference, r))
                e: Resolved = (r, m, value, None, None, None)
            else:
                e = self._ratio_entry(r, m, reference)
            bucket = by_year.get(period.year)
            if bucket is None:
                by_year[period.year] = [e]
            else:
                bucket.append(e)
        return {year: Series(self, entries) for year, entries in by_year.items()}

    def field(self, reference: str | None, r: Realisation) -> str:
        """How an error names realisation ``r`` of this indicator."""
        return f"realisation {reference or self.indicator.id} {r.period}"

    def _ratio_entry(self, r: Realisation, months: Months, reference: str | None) -> Resolved:
        assert r.numerator is not None
        assert r.denominator is not None
        if kind_problems(self.indicator, value=False, ratio=True):  # ratio-for-count
            raise InvalidValueError(
                field=self.field(reference, r),
                expected=f"a value in {self.unit.name or 'a bare number'} "
                "(numerator and denominator belong to percentage formulas)",
                value=f"numerator={r.numerator}, denominator={r.denominator}",
            )
        warning = None
        if r.numerator > r.denominator:
            params: dict[str, Param] = {
                "period": str(r.period),
                "numerator": r.numerator,
                "denominator": r.denominator,
            }
            warning = Notice("numerator-above-denominator", params)
        return (
            r,
            months,
            None,
            r.numerator.as_integer_ratio(),
            r.denominator.as_integer_ratio(),
            warning,
        )


def _period_order(raw: Resolved) -> tuple[int, int, dt.date]:
    """Period order: by last month, then first month, then date reported (the sort is
    stable: ties keep the order given)."""
    return (raw[1][2], raw[1][1], raw[0].reported_on or dt.date.min)
