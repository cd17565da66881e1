"""The lean path: every period of an indicator in one pass over its realisations.

The common case of a document's indicators (a count aggregated by sum or a percentage
formula X / Y, a single positive target for each year asked, with or without a quarterly
plan, realisations of each year in period order, without overlaps, warnings or late
reports) is computed here without the objects the general path builds per realisation and
per period: the realisations of a year are read once into running totals kept as
integers; each period costs integer arithmetic on scaled integers (the percent and the
progress x ``10**places``, each rounded once, the shipped formulas stated inline), one
look-up of the figures of that integer (its Decimal, status and rating, kept for the
process: :meth:`Run.figure`) and the :class:`~iki_core.engine.Achievement` itself, whose
quantities and shared fields are built when first read (:class:`Frame`). Every rule of
the target to date is taken here: the cumulative target (prorated, or the plan's quarters
added up), the annual target (``PeriodTarget.ANNUAL``), the quarters reported
(``REPORTED_QUARTERS``, which adds every quarter wherever this path computes), and a cap.

A period the lean path does not cover (no realisation within it, a gap before it, a
report after its deadline, a plan entry "-", a target or a denominator of 0, a formula
without a value) goes to :func:`~iki_core.engine.general.evaluate`; an indicator it does
not cover at all (another kind or aggregation, a range or no target for a year asked,
realisations out of order, overlapping or calling for a warning, rules that average the
periods or measure against the baseline) goes to
:func:`~iki_core.engine.fast.evaluate_many`. The tests hold the three equal.
What every indicator of a computation reads, resolved once, is its
:class:`~iki_core.engine.run.Run`. Under the common rules the loop over the periods is
not run but its text written out once for each shape of realisations and case met
(:mod:`~iki_core.engine.unrolled`), which computes every period or hands the indicator
back to the loop.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import chain
from operator import attrgetter
from typing import Final

from iki_core.engine.compiled import PeriodFacts, Series, months_of
from iki_core.engine.frame import Factor, Frame
from iki_core.engine.frame import frame as new_frame
from iki_core.engine.general import evaluate
from iki_core.engine.ratios import Ratio
from iki_core.engine.results import Achievement, Building
from iki_core.engine.run import KHUSUS, NO_FIGURE, NORMAL, Run, Shape, points
from iki_core.engine.unrolled import Kernel, kernel
from iki_core.model import (
    Aggregation,
    Count,
    Indicator,
    PercentageFormula,
    Polarity,
    Realisation,
)
from iki_core.periods import Period
from iki_core.units import BARE, Quantity

# Factor and Frame: from iki_core.engine.frame; Run and Shape: from iki_core.engine.run
__all__ = ["Factor", "Frame", "Run", "Shape", "lean"]

_SUM: Final = Aggregation.SUM
_LOWER: Final = Polarity.LOWER_IS_BETTER
_SHAPES: Final = 1 << 10
"""How many shapes of realisations a run keeps per year (parsed periods give a few)."""
_NOT_LEAN: Final[Shape] = ((), None, (), (), {})
"""The shape of realisations out of order or overlapping: the lean path takes none."""
_period_of: Final = attrgetter("period")


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
    if year is not None:
        return _lean_year(run, ind, reals, reference, out, year, run.periods)
    if run.years is None:
        return False
    # periods of several years: each year from its own realisations, in the order asked
    mine: dict[int, list[Realisation]] = {y: [] for y, _, _ in run.years}
    for r in reals:
        bucket = mine.get(r.period.year)
        if bucket is not None:  # the other years' change nothing here
            bucket.append(r)
    slots: list[Achievement | None] = [None] * len(run.periods)
    part: list[Achievement] = []
    for y, indexes, periods in run.years:
        if not _lean_year(run, ind, mine[y], reference, part, y, periods):
            return False
        for i, a in zip(indexes, part, strict=True):
            slots[i] = a
        part.clear()
    for done in slots:
        assert done is not None  # every period belongs to a year
        out.append(done)
    return True


def _shape(run: Run, periods: tuple[Period, ...], year: int, asked: Sequence[PeriodFacts]) -> Shape:
    """The shape of realisations of these ``periods`` in ``year`` (:data:`Shape`): those of
    the year must be in period order without overlap; a period asked is lean when a
    realisation lies within it, every month from January to its end is reported and the
    last realisation counted ends with it."""
    months = run.shared.months
    mine = [i for i, p in enumerate(periods) if p.year == year]
    prev = 0  # the last month of the realisation before
    gapless = 0  # how many realisations from January on follow each other without a gap
    lasts: list[int] = []
    firsts: list[int] = []
    for i in mine:
        m = months_of(months, periods[i])
        first = m[1]
        if first <= prev:  # out of order or overlapping
            return _NOT_LEAN
        if first == prev + 1 and gapless == len(lasts):
            gapless += 1
        prev = m[2]
        lasts.append(prev)
        firsts.append(first)
    rows: list[tuple[PeriodFacts, Period, int, int]] = []
    for pf in asked:
        last = pf.last
        k = bisect_right(lasts, last)
        lean = k and firsts[k - 1] >= pf.first and k <= gapless and lasts[k - 1] == last
        rows.append((pf, pf.period, k if lean else 0, last))
    kept = None if len(mine) == len(periods) else tuple(mine)
    return (periods, kept, tuple(lasts), tuple(rows), {})


def _kernel(
    run: Run,
    shape: Shape,
    is_pct: bool,
    plan: bool,
    code: int,
) -> Kernel | None:
    """The loop over the shape's periods asked written out
    (:mod:`~iki_core.engine.unrolled`), when the lean path computes every one of them."""
    periods, mine, lasts, rows, _ = shape
    if not all(k for _, _, k, _ in rows):
        return None
    return kernel(
        run,
        periods if mine is None else tuple(periods[i] for i in mine),
        lasts,
        tuple(period for _, period, _, _ in rows),
        tuple((k, last, pf.quarter, pf.part, pf.first_quarter) for pf, _, k, last in rows),
        is_pct,
        plan,
        code,
    )


def _on_time(reals: Sequence[Realisation], k: int, pf: PeriodFacts) -> bool:
    """Whether the first ``k`` realisations were all reported by the period's deadline."""
    newest = max((r.reported_on for r in reals[:k] if r.reported_on is not None), default=None)
    return newest is None or newest <= pf.late_after


def _lean_year(
    run: Run,
    ind: Indicator,
    reals: Sequence[Realisation],
    reference: str | None,
    out: list[Achievement],
    year: int,
    periods: Sequence[PeriodFacts],
) -> bool:
    """:func:`lean` for the ``periods`` of one ``year``: ``reals`` are the indicator's
    realisations, all of that year for its periods to be lean."""
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
    entries: tuple[Quantity | None, ...] | None = None  # the year's quarterly plan
    for plan in ind.plans:
        if plan.year == year:
            entries = plan.quarters
            break
    lower = ind.polarity is _LOWER
    code = run.lower_code if lower else run.higher_code
    # the loop below written out for the shape of the realisations and this case, when it
    # can be: it computes all or nothing (False), and checks the shape first (None: not
    # its own); the one of the indicator before is most often the one
    flags = is_pct + 2 * (entries is not None) + 4 * code
    key = year * 16 + flags
    recent = run.recent
    kern = recent.get(key)
    tried = None
    if kern is not None:
        tried = kern(run, ind, kind, reals, reference, value, entries, out)
        if tried:
            return True

    # the periods of the realisations: their order, gaps and overlaps, and how many count
    # to date in each period asked, worked out once per run for each shape met
    shapes = run.shapes.get(year)
    if shapes is None:
        shapes = run.shapes[year] = {}
    ids = tuple(map(id, map(_period_of, reals)))
    shape = shapes.get(ids)
    if shape is None:
        shape = _shape(run, tuple(map(_period_of, reals)), year, periods)
        if len(shapes) < _SHAPES:  # periods built one by one, not parsed: as many as reals
            shapes[ids] = shape
    if shape is _NOT_LEAN:
        return False
    _, mine, lasts, rows, kernels = shape
    if mine is not None:  # other years' realisations: this year's alone (they change nothing)
        reals = [reals[i] for i in mine]
    if tried is None:  # not tried: this shape's own
        if flags in kernels:
            kern = kernels[flags]
        else:
            kern = kernels[flags] = _kernel(run, shape, is_pct, entries is not None, code)
        if kern is not None:
            recent[key] = kern
            if kern(run, ind, kind, reals, reference, value, entries, out):
                return True

    unit = kind.unit
    frame = new_frame(run, ind, reals, reference)
    frame.written = value
    annual = frame.annual = frame.ratio(value)
    an, ad = annual
    if an <= 0:
        return False
    frame.lasts = lasts
    if lower:
        arithmetic, floor = run.lower, run.lower_floor
    else:
        arithmetic, floor = run.higher, run.higher_floor
    fn, fd = kind.factor.as_integer_ratio() if is_pct else (1, 1)  # type: ignore[union-attr]
    quarters: tuple[Ratio | None, ...] | None = None
    before: list[Ratio] = []  # the plan's entries of the quarters before each, added up
    upto: list[Ratio] = []  # and of the quarters up to each
    entered: list[int] = []  # the last quarter up to each that has an entry (0: none)
    if entries is not None:
        quarters = frame.quarters = tuple(None if e is None else frame.ratio(e) for e in entries)
        n, d = 0, 1
        has = 0
        for i, e in enumerate(quarters, start=1):
            before.append((n, d))
            if e is not None:
                n, d = (n + e[0], d) if d == e[1] else (n * e[1] + e[0] * d, d * e[1])
                has = i
            upto.append((n, d))
            entered.append(has)

    # the realisations to date, as running totals: sum (or X) and Y, as integer ratios
    sums: list[Ratio] = []
    ysums: list[Ratio] = []
    dated = False  # a realisation with its date of report
    n, d = 0, 1
    if is_pct:
        yn, yd = 0, 1
        for r in reals:
            x, yv = r.numerator, r.denominator
            if x is None or yv is None or x > yv:  # a value, or a warning to give
                return False
            if r.reported_on is not None:
                dated = True
            vn, vd = x.as_integer_ratio()
            n, d = (n + vn, d) if d == vd else (n * vd + vn * d, d * vd)
            vn, vd = yv.as_integer_ratio()
            yn, yd = (yn + vn, yd) if yd == vd else (yn * vd + vn * yd, yd * vd)
            sums.append((n, d))
            ysums.append((yn, yd))
    else:
        for r in reals:
            v = r.value
            if v is None:  # X and Y for a count: the general path says why not
                return False
            if r.reported_on is not None:
                dated = True
            vu = v.unit
            if vu is unit or vu is BARE:
                vn, vd = v.magnitude.as_integer_ratio()
            else:  # another unit: its factor to the indicator's, found once per run
                vn, vd = frame.ratio(v, r)
            n, d = (n + vn, d) if d == vd else (n * vd + vn * d, d * vd)
            sums.append((n, d))

    frame.sums = tuple(chain.from_iterable(sums))  # flat: see Frame
    frame.ysums = tuple(chain.from_iterable(ysums))
    prorate = not is_pct
    scale = run.scale
    half_up = run.half_up
    annual_rule = run.annual_rule
    cap = run.cap
    figures = run.figures
    series: dict[int, Series] | None = None
    prev_k = prev_tn = prev_td = -1
    fig = NO_FIGURE
    progress = fig[0]
    # each period: scaled integers to the percent and the progress, each rounded once;
    # their Decimal, status and rating looked up by that integer (Run.figure)
    for pf, period, k, last in rows:
        if k and (not dated or _on_time(reals, k, pf)):
            # the target to date (as _target() states it, inline)
            if quarters is None or annual_rule:  # the annual target, prorated for a sum
                if prorate and last != 12 and not annual_rule:
                    tn, td = an * last, ad * 12
                else:
                    tn, td = an, ad
            else:
                qi = pf.quarter  # the quarter the period ends in, from 0
                if not prorate:  # the level of the quarter the period ends in
                    current = quarters[qi]
                    tn, td = (0, 1) if current is None else current
                elif entered[qi] < pf.first_quarter:  # its quarters are all "-"
                    tn, td = 0, 1
                elif pf.part == 3:  # to the end of a quarter: its entries added up
                    tn, td = upto[qi]
                else:  # to a month inside it: its share of the quarter's entry
                    tn, td = before[qi]
                    current = quarters[qi]
                    if current is not None:
                        cn, cd = current[0] * pf.part, current[1] * 3
                        tn, td = (tn + cn, td) if td == cd else (tn * cd + cn * td, td * cd)
            if k != prev_k or tn != prev_tn or td != prev_td:  # else Q4 and the year: the
                rn, rd = sums[k - 1]  # same realisations against the same target
                if is_pct:
                    yn, yd = ysums[k - 1]
                    if not yn:  # sum(Y) = 0: the general path says so
                        tn = 0
                    rn, rd = rn * yd * fn, rd * yn * fd
                if tn <= 0:  # no target, or 0: the general path
                    q = g = None
                else:  # as points() states it, inline for the shipped formulas, half-up
                    if code == NORMAL:  # R / T x 100
                        pn, pd = rn * td * scale, rd * tn
                    elif code == KHUSUS:  # (2T - R) / T x 100, floored at 0
                        pd = tn * rd
                        pn = (2 * pd - rn * td) * scale
                        if pn < 0:
                            pn = 0
                    else:
                        pn = pd = 0
                    if code and half_up and pn >= 0:
                        q, rem = divmod(pn, pd)
                        if 2 * rem >= pd:
                            q += 1
                    else:
                        q = points(run, code, arithmetic, floor, half_up, scale, rn, rd, tn, td)
                    if tn == an and td == ad:
                        g = q
                    elif q is None:
                        g = None
                    else:  # the progress: against the annual target
                        if code == NORMAL:
                            pn, pd = rn * ad * scale, rd * an
                        elif code == KHUSUS:
                            pd = an * rd
                            pn = (2 * pd - rn * ad) * scale
                            if pn < 0:
                                pn = 0
                        if code and half_up and pn >= 0:
                            g, rem = divmod(pn, pd)
                            if 2 * rem >= pd:
                                g += 1
                        else:
                            g = points(run, code, arithmetic, floor, half_up, scale, rn, rd, an, ad)
                        assert g is not None  # defined at T, so at the annual T
                if q is None or g is None:
                    prev_k = -1
                else:
                    if cap is not None:
                        q = min(q, cap)
                        g = min(g, cap)
                    fig = figures.get(q) or run.figure(q)
                    progress = fig[0] if g == q else (figures.get(g) or run.figure(g))[0]
                    prev_k, prev_tn, prev_td = k, tn, td
        else:
            prev_k = -1
        if prev_k < 0:  # the general path
            c = frame.compiled()
            if series is None:
                series = c.prepare(reals, reference)
            out.append(evaluate(c, series.get(year), pf, reference))
            continue
        # one object for the garbage collector: its quantities, shared fields and the
        # realisations counted are built when first read (Frame.fill)
        a = Building()  # empty: Building.__init__ is object.__init__
        a.indicator = ind
        a.period = period
        a.reference = reference
        a.percent, a.status, a.rating = fig
        a.progress = progress
        a._pending = frame
        a.__class__ = Achievement  # its base: see Building
        out.append(a)
    return True
