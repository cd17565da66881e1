"""The lean path: every period of an indicator in one pass over its realisations.

The common case of a document's indicators (a count aggregated by sum or a percentage
formula X / Y, a single positive target for the year, with or without a quarterly plan,
realisations of that year in period order, without overlaps, warnings or late reports) is
computed here without the objects the general path builds per realisation and per
period: the realisations are read once into running totals kept as integers, each period
costs integer arithmetic, two Decimals and the :class:`~iki_core.engine.Achievement`
itself, whose quantities and shared fields are built when first read (:class:`Frame`).

A period the lean path does not cover (no realisation within it, a gap before it, a
report after its deadline, a plan entry "-", a target or a denominator of 0, a formula
without a value) goes to :func:`~iki_core.engine.general.evaluate`; an indicator it does
not cover at all (another kind, aggregation or year, a range or no target, realisations
out of order, overlapping or calling for a warning, rules with a cap or the annual or
reported-quarters target) goes to :func:`~iki_core.engine.fast.evaluate_many`. The tests
hold the three equal.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from typing import Final

from iki_core.engine.compiled import CompiledIndicator, PeriodFacts, Series, Shared, months_of
from iki_core.engine.formulas import Arithmetic
from iki_core.engine.general import NO_WARNINGS, evaluate, fast_quantity
from iki_core.engine.notices import NO_NOTICES
from iki_core.engine.ratios import EXACT, Ratio, round_points, to_decimal
from iki_core.engine.results import (
    Achievement,
    Status,
    forget_pending,
    pending_result,
    set_annual_target,
    set_nilai,
    set_notices,
    set_realisations,
    set_realised,
    set_rules,
    set_target,
    set_warnings,
)
from iki_core.model import (
    Aggregation,
    Count,
    Indicator,
    PercentageFormula,
    Polarity,
    Realisation,
)
from iki_core.rules import Measure, PeriodTarget, Rules, YearToDate
from iki_core.units import BARE, Quantity, Unit

__all__ = ["Factor", "Frame", "Run", "lean"]

Factor = tuple[Unit, Unit, int, int]
"""A unit, the indicator's unit and the factor from one to the other as an integer ratio."""

_SUM: Final = Aggregation.SUM
_ACHIEVED: Final = Status.ACHIEVED
_NOT_ACHIEVED: Final = Status.NOT_ACHIEVED
_multiply: Final = EXACT.multiply


class Run:
    """What every indicator of one computation reads, resolved once: the periods asked
    for, and whether the rules let the lean path run at all (``year`` is None when not,
    or when the periods span several years)."""

    __slots__ = (
        "cent",
        "factors",
        "half_up",
        "higher",
        "higher_floor",
        "hundred",
        "labels",
        "lower",
        "lower_floor",
        "mode",
        "periods",
        "places",
        "rules",
        "scale",
        "shared",
        "thresholds",
        "year",
    )

    def __init__(self, rules: Rules, shared: Shared, periods: Sequence[PeriodFacts]) -> None:
        self.rules = rules
        self.shared = shared
        self.factors: dict[tuple[int, int], Factor] = {}  # the units met, kept alive here
        self.periods = tuple(periods)
        years = {pf.year for pf in periods}
        plain = (
            rules.cap is None
            and rules.period_target is PeriodTarget.CUMULATIVE
            and rules.year_to_date is YearToDate.RATIO
            and rules.measure is Measure.TARGET  # the baseline-relative formula is not lean
        )
        self.year: int | None = years.pop() if plain and len(years) == 1 else None
        self.places = rules.places
        self.scale = 100 * 10**rules.places  # percent points, then the places kept
        self.mode = rules.rounding.value
        self.half_up = self.mode == "half_up"
        self.hundred = shared.hundred
        self.cent = shared.cent
        self.thresholds = shared.thresholds
        self.labels = shared.labels
        self.higher: Arithmetic = shared.higher.arithmetic
        self.lower: Arithmetic = shared.lower.arithmetic
        unit = 10**rules.places
        floor = shared.higher.floor
        self.higher_floor: int | None = None if floor is None else floor * unit
        floor = shared.lower.floor
        self.lower_floor: int | None = None if floor is None else floor * unit

    def points(self, exact: Ratio, floor: int | None) -> int:
        """The formula's ratio in units of the last place kept: floored (``floor`` in those
        units), rounded once by ``rules.rounding`` (as
        :func:`~iki_core.engine.ratios.round_ratio`)."""
        n, d = exact
        n *= self.scale
        if floor is not None and n < floor * d:
            n = floor * d
        if n < 0:  # a formula of a host application may go below zero
            return -round_points(-n, d, self.mode)
        return round_points(n, d, self.mode)


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

    def __init__(
        self,
        run: Run,
        indicator: Indicator,
        realisations: Sequence[Realisation],
        reference: str | None,
    ) -> None:
        self.run = run
        self.indicator = indicator
        self.realisations = realisations
        self.reference = reference
        self.c: CompiledIndicator | None = None
        # set by lean(): the target as written and in the indicator's unit, the plan's
        # quarters, and per realisation its last month and the running sum (or X) and Y
        self.written: Quantity | None = None
        self.annual: Ratio = (1, 1)
        self.quarters: tuple[Ratio | None, ...] | None = None
        self.lasts: tuple[int, ...] = ()
        self.sums: tuple[Ratio, ...] = ()
        self.ysums: tuple[Ratio, ...] = ()
        # what fill() built last: k, the realised, the realisations counted, the target
        self.built: tuple[int, Quantity, tuple[Realisation, ...], Ratio, Quantity] | None = None

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
        t = _target(type(kind) is Count, annual, self.quarters, first, last)
        assert t is not None  # the lean path computed this period
        value = self.written
        assert value is not None
        built = self.built  # the periods before, read from the same realisations (Q4, year)
        if built is not None and built[0] == k:
            realised, counted = built[1], built[2]
        else:
            n, d = self.sums[k - 1]
            if isinstance(kind, PercentageFormula):
                yn, yd = self.ysums[k - 1]
                fn, fd = kind.factor.as_integer_ratio()
                n, d = n * yd * fn, d * yn * fd
            realised = fast_quantity(to_decimal((n, d)), unit)
            counted = tuple(self.realisations[:k])
        if built is not None and built[0] == k and built[3] == t:
            target = built[4]
        elif self.quarters is not None or t != annual:
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


def lean(
    run: Run,
    ind: Indicator,
    reals: Sequence[Realisation],
    reference: str | None,
    out: list[Achievement],
) -> bool:
    """Append the achievement of each of the run's periods to ``out`` and return True; or
    return False, having appended nothing, when the indicator is not a lean case."""
    year = run.year
    kind = ind.kind
    tk = type(kind)
    if year is None or ind.aggregation is not _SUM:
        return False
    if tk is Count:
        is_pct = False
    elif tk is PercentageFormula:
        is_pct = True
    else:
        return False
    tgt = None
    for entry in ind.targets:
        if entry.year == year:
            tgt = entry
            break
    if tgt is None:
        return False
    value = tgt.value
    if type(value) is not Quantity:  # "-" or a range
        return False
    unit = kind.unit
    frame = Frame(run, ind, reals, reference)
    frame.written = value
    annual = frame.annual = frame.ratio(value)
    an, ad = annual
    if an <= 0:
        return False
    quarters: tuple[Ratio | None, ...] | None = None
    before: list[Ratio] = []  # the plan's entries of the quarters before each, added up
    entered: list[int] = []  # the last quarter up to each that has an entry (0: none)
    for plan in ind.plans:
        if plan.year == year:
            quarters = frame.quarters = tuple(
                None if e is None else frame.ratio(e) for e in plan.quarters
            )
            n, d = 0, 1
            has = 0
            for i, e in enumerate(quarters, start=1):
                before.append((n, d))
                if e is not None:
                    n, d = (n + e[0], d) if d == e[1] else (n * e[1] + e[0] * d, d * e[1])
                    has = i
                entered.append(has)
            break

    # the realisations to date, as running totals: sum (or X) and Y, as integer ratios
    lasts: list[int] = []
    firsts: list[int] = []
    sums: list[Ratio] = []
    ysums: list[Ratio] = []
    latest: list[dt.date | None] | None = None
    months = run.shared.months
    prev = 0  # the last month of the realisation before
    gapless = 0  # how many realisations from January on follow each other without a gap
    n, d = 0, 1
    yn, yd = 0, 1
    newest: dt.date | None = None
    for r in reals:
        period = r.period
        m = months.get(id(period))
        if m is None or m[0] is not period:
            m = months_of(months, period)
        first = m[1]
        if period.year != year or first <= prev:  # another year, out of order, overlapping
            return False
        if is_pct:
            x, yv = r.numerator, r.denominator
            if x is None or yv is None or x > yv:  # a value, or a warning to give
                return False
            vn, vd = x.as_integer_ratio()
            n, d = (n + vn, d) if d == vd else (n * vd + vn * d, d * vd)
            vn, vd = yv.as_integer_ratio()
            yn, yd = (yn + vn, yd) if yd == vd else (yn * vd + vn * yd, yd * vd)
            ysums.append((yn, yd))
        else:
            v = r.value
            if v is None:  # X and Y for a count: the general path says why not
                return False
            vu = v.unit
            if vu is unit or vu is BARE:
                vn, vd = v.magnitude.as_integer_ratio()
            else:  # another unit: its factor to the indicator's, found once per run
                vn, vd = frame.ratio(v, r)
            n, d = (n + vn, d) if d == vd else (n * vd + vn * d, d * vd)
        reported = r.reported_on
        if reported is not None:
            if latest is None:
                latest = [None] * len(lasts)
            if newest is None or reported > newest:
                newest = reported
        if latest is not None:
            latest.append(newest)
        if first == prev + 1 and gapless == len(lasts):
            gapless += 1
        prev = m[2]
        lasts.append(prev)
        firsts.append(first)
        sums.append((n, d))

    # kept as tuples of integers, which the collector stops tracking once it has seen them
    frame.lasts = tuple(lasts)
    frame.sums = tuple(sums)
    frame.ysums = tuple(ysums)
    lower = ind.polarity is Polarity.LOWER_IS_BETTER
    arithmetic = run.lower if lower else run.higher
    floor = run.lower_floor if lower else run.higher_floor
    prorate = not is_pct
    fn, fd = kind.factor.as_integer_ratio() if isinstance(kind, PercentageFormula) else (1, 1)
    points = run.points
    scale = run.scale
    half_up = run.half_up
    cent = run.cent
    judge = run.shared.judge
    series: dict[int, Series] | None = None
    prev_k = prev_tn = prev_td = -1
    percent = progress = cent
    status = _NOT_ACHIEVED
    rating = ""
    for pf in run.periods:
        last = pf.last
        k = bisect_right(lasts, last)
        if not (
            k
            and firsts[k - 1] >= pf.first  # a realisation within the period
            and k <= gapless  # every month to date reported (sums only)
            and lasts[k - 1] == last
            and (latest is None or (latest[k - 1] or dt.date.min) <= pf.late_after)
        ):
            exact = None
        else:
            # the target to date (as _target() states it, inline)
            if quarters is None:  # the annual target, prorated for a sum of counts
                tn, td = (an * last, ad * 12) if prorate and last != 12 else annual
                whole_year = tn == an and td == ad
            else:
                whole_year = False
                qe = (last + 2) // 3
                current = quarters[qe - 1]
                if not prorate:  # the level of the quarter the period ends in
                    tn, td = (0, 1) if current is None else current
                elif entered[qe - 1] < (pf.first + 2) // 3:  # its quarters are all "-"
                    tn, td = 0, 1
                else:
                    tn, td = before[qe - 1]
                    if current is not None:
                        part = last - 3 * (qe - 1)
                        cn, cd = current[0] * part, current[1] * 3
                        tn, td = (tn + cn, td) if td == cd else (tn * cd + cn * td, td * cd)
            if k == prev_k and tn == prev_tn and td == prev_td:  # Q4 and the year:
                exact = annual  # the same realisations against the same target
            else:
                rn, rd = sums[k - 1]
                if is_pct:
                    yn, yd = ysums[k - 1]
                    rn, rd = rn * yd * fn, rd * yn * fd
                exact = None
                if tn > 0 and (not is_pct or yn):
                    exact = arithmetic(rn, rd, tn, td)
                if exact is not None:
                    en, ed = exact
                    en *= scale
                    if floor is not None and en < floor * ed:
                        en = floor * ed
                    if half_up and en >= 0:  # rounded once, half-up (the default), inline
                        q, rem = divmod(en, ed)
                        if 2 * rem >= ed:
                            q += 1
                    else:
                        q = points(exact, floor)
                    percent = _multiply(q, cent)  # q x 10**-places, exactly
                    if whole_year:
                        progress = percent
                    else:
                        exact = arithmetic(rn, rd, an, ad)
                        assert exact is not None  # defined at T, so at the annual T
                        en, ed = exact
                        en *= scale
                        if floor is not None and en < floor * ed:
                            en = floor * ed
                        if half_up and en >= 0:
                            g, rem = divmod(en, ed)
                            if 2 * rem >= ed:
                                g += 1
                        else:
                            g = points(exact, floor)
                        progress = _multiply(g, cent)
                    status, rating = judge(q)
                    prev_k, prev_tn, prev_td = k, tn, td
        if exact is None:  # the general path
            c = frame.compiled()
            if series is None:
                series = c.prepare(reals, reference)
            out.append(evaluate(c, series.get(year), pf, reference))
            continue
        # the quantities, the shared fields and the realisations counted are built when
        # first read (Frame.fill): each result is one object for the garbage collector
        out.append(
            pending_result(ind, pf.period, reference, percent, progress, status, rating, frame)
        )
    return True
