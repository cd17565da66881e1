"""The general path: one period of one indicator, any case, step by step.

:func:`evaluate` gives the achievement; :func:`work` gives it with its :class:`Working`
(the typed steps :meth:`~iki_core.engine.Achievement.explain` puts into words). The fast
path (:mod:`iki_core.engine.fast`) hands every period it does not compute inline to
:func:`evaluate`, and the tests hold the two equal.
"""

from __future__ import annotations

from bisect import bisect_right
from decimal import Decimal
from typing import Final, Literal

from iki_core.engine.compiled import CompiledIndicator, Entry, PeriodFacts, Series, YearTargets
from iki_core.engine.formulas import range_formula
from iki_core.engine.notices import NO_NOTICES, months_text, no_entry_notice, notices
from iki_core.engine.ratios import HUNDRED, ZERO, Ratio, add, lt, normalised, round_ratio
from iki_core.engine.ratios import to_decimal as ratio_decimal
from iki_core.engine.results import Achievement, Notice, Param, Status
from iki_core.engine.steps import How, PercentStep, RealisedStep, TargetStep, Working
from iki_core.errors import InvalidValueError
from iki_core.model import Aggregation, Realisation
from iki_core.rules import (
    MissingPeriod,
    PeriodTarget,
    Rules,
    YearToDate,
    ZeroDenominator,
    ZeroRealisation,
    ZeroTargetHigher,
    ZeroTargetLower,
)
from iki_core.units import Quantity, Unit

__all__ = ["evaluate", "fast_quantity", "finish", "work"]

NO_WARNINGS: Final[tuple[str, ...]] = ()

_new = object.__new__
_QUANTITY_SLOTS: Final = Quantity.__dict__  # attrs gives Quantity __slots__
set_magnitude: Final = _QUANTITY_SLOTS["magnitude"].__set__
set_unit: Final = _QUANTITY_SLOTS["unit"].__set__
set_text: Final = _QUANTITY_SLOTS["text"].__set__
set_noun: Final = _QUANTITY_SLOTS["noun"].__set__


def fast_quantity(magnitude: Decimal, unit: Unit) -> Quantity:
    """``Quantity(magnitude, unit)`` without re-validating what the engine built itself
    (a Decimal and a resolved Unit): its slots are set directly, which costs a third of
    the checked constructor. The fast path inlines this."""
    q: Quantity = _new(Quantity)
    set_magnitude(q, magnitude)
    set_unit(q, unit)
    set_text(q, None)
    set_noun(q, None)
    return q


def _quantity(value: Ratio, c: CompiledIndicator, y: YearTargets | None = None) -> Quantity:
    if y is not None and value is y.annual:
        q = y.quantity
        if isinstance(q, Quantity) and q.unit is c.unit:
            return q
    return fast_quantity(ratio_decimal(value), c.unit)


# --- the target -------------------------------------------------------------------------------
def target_step(
    c: CompiledIndicator, y: YearTargets, pf: PeriodFacts, covered: int = -1
) -> TargetStep:
    """The target of the period, by the rule :class:`~iki_core.rules.PeriodTarget` states;
    ``covered`` is the bit mask of the months reported to date (for ``REPORTED_QUARTERS``)."""
    last = pf.last
    if y.quantity is None:
        return TargetStep("none", reason="no_entry" if y.target_text is None else "dash")
    w = y.window
    if w is not None and (last < w.first_month or pf.first > w.last_month):
        return TargetStep("none", reason="window")
    if c.annual_rule:
        return TargetStep("annual_rule", y.annual, y.bounds)
    if y.quarters is not None:
        return _plan_target(c, y.quarters, pf.first, last, covered)
    if not c.prorate or last == 12:
        return TargetStep("annual", y.annual, y.bounds)
    if w is not None:
        elapsed = min(last, w.last_month) - w.first_month + 1
        if elapsed == w.months:
            return TargetStep("annual", y.annual, y.bounds)
        num, den = elapsed, w.months
        kind: Literal["event", "prorated"] = "event"
    else:
        num, den = last, 12
        kind = "prorated"
    if y.low is not None and y.high is not None:
        low = (y.low[0] * num, y.low[1] * den)
        high = (y.high[0] * num, y.high[1] * den)
        return TargetStep(kind, None, (low, high), elapsed=(num, den))
    assert y.annual is not None
    return TargetStep(kind, (y.annual[0] * num, y.annual[1] * den), elapsed=(num, den))


def _plan_target(
    c: CompiledIndicator,
    quarters: tuple[Ratio | None, ...],
    first: int,
    last: int,
    covered: int = -1,
) -> TargetStep:
    """The target of the period from months ``first`` to ``last`` under the quarterly plan
    ("-" is no target, not 0); under ``PeriodTarget.REPORTED_QUARTERS`` a sum leaves out
    the quarters with no month in ``covered`` (the months reported)."""
    qe = (last - 1) // 3 + 1
    current = quarters[qe - 1]
    if not c.prorate:
        if current is None:
            return TargetStep("none", reason="plan_dash", quarters=(qe, qe))
        return TargetStep("plan_level", current, quarters=(qe, qe))
    qf = (first - 1) // 3 + 1
    if all(e is None for e in quarters[qf - 1 : qe]):
        return TargetStep("none", reason="plan_dash", quarters=(qf, qe))
    if c.rules.period_target is PeriodTarget.REPORTED_QUARTERS:
        quarters = tuple(
            e if covered & (0b111 << (3 * i)) else None for i, e in enumerate(quarters)
        )
        current = quarters[qe - 1]
    used = quarters[: qe - 1]
    part = last - 3 * (qe - 1)
    total = ZERO
    for e in used:
        if e is not None:
            total = add(total, e)
    if current is not None:
        total = add(total, (current[0] * part, current[1] * 3))
    return TargetStep("plan_sum", total, used=used, current=current, part=part)


# --- the realisation to date ------------------------------------------------------------------
def realised_step(c: CompiledIndicator, s: Series, k: int) -> RealisedStep:
    """The realisation to date (the first ``k`` entries of the year), aggregated."""
    if c.is_pct:
        return _realised_ratio(c, s, k)
    agg = c.agg
    if agg is Aggregation.SUM:
        return RealisedStep("sum", s.state[k][3], tuple(s.entries[:k]))
    if agg is Aggregation.LAST:
        e = s.entries[k - 1]
        return RealisedStep("last", e.value, (e,))
    if agg is Aggregation.AVERAGE:
        total = s.state[k][3]
        return RealisedStep("average", (total[0], total[1] * k), tuple(s.entries[:k]))
    return RealisedStep("max", s.state[k][3], tuple(s.entries[:k]))


def _realised_ratio(c: CompiledIndicator, s: Series, k: int) -> RealisedStep:
    counted = s.entries[:k]
    if s.all_ratio:
        ratios = counted
    else:
        ratios = [e for e in counted if e.x is not None]
        if not ratios:
            return RealisedStep("pct_last_value", counted[-1].value, (counted[-1],))
        bad = next(e for e in counted if e.x is None)
        raise InvalidValueError(
            field=f"realisation {c.indicator.id} {bad.real.period}",
            expected="X and Y (numerator and denominator) like the other realisations "
            "of this percentage formula",
            value=str(bad.real.value),
        )
    chosen: tuple[Entry, ...]
    if c.sum:
        x, y = s.state[k][3], s.state[k][4]
        chosen = tuple(ratios)
    else:
        last = ratios[-1]
        assert last.x is not None
        assert last.y is not None
        x, y = last.x, last.y
        chosen = (last,)
    if y[0] == 0:
        policy = c.rules.zero_denominator
        value = (
            None
            if policy is ZeroDenominator.UNDEFINED
            else ZERO
            if policy is ZeroDenominator.ZERO
            else HUNDRED
        )
        return RealisedStep("ratio", value, chosen, x, y, zero_denominator=True)
    f = c.factor
    value = normalised(x[0] * y[1] * f[0], x[1] * y[0] * f[1])
    return RealisedStep("ratio", value, chosen, x, y)


# --- the percent ------------------------------------------------------------------------------
def achieve(c: CompiledIndicator, r: Ratio, t: Ratio) -> tuple[Ratio | None, How]:
    """Realisation ``r`` against target ``t``, in percent (exact), and the rule applied: a
    target of 0 by the rules' zero rule, any other by the polarity's formula."""
    rn = r[0]
    if t[0] == 0 and c.zero_rules:
        rules = c.rules
        if c.lower:
            policy_lower = rules.zero_target_lower
            if policy_lower is ZeroTargetLower.ALL_OR_NOTHING:
                return (HUNDRED if rn == 0 else ZERO), "zero_lower"
            if policy_lower is ZeroTargetLower.ZERO:
                return ZERO, "zero_lower"
            return None, "zero_lower"
        policy = rules.zero_target_higher
        if policy is ZeroTargetHigher.UNDEFINED:
            return None, "zero_higher"
        if policy is ZeroTargetHigher.ZERO:
            return ZERO, "zero_higher"
        return (HUNDRED if rn >= 0 else ZERO), "zero_higher"
    value = c.arithmetic(rn, r[1], t[0], t[1])
    if value is None:
        at_zero = c.rules.zero_realisation
        if rn == 0 and at_zero is not ZeroRealisation.UNDEFINED:
            return (HUNDRED if at_zero is ZeroRealisation.FULL else ZERO), "zero_realisation"
        return None, "undefined"
    n, d = value
    floor = c.floor
    if floor is not None and n * 100 < floor * d:
        return (floor, 1), "floored"
    return (n * 100, d), "formula"


def percent_step(
    c: CompiledIndicator, r: Ratio, t: Ratio | None, bounds: tuple[Ratio, Ratio] | None
) -> PercentStep:
    """The exact percent for a single or range target, before the cap and rounding."""
    if bounds is None:
        assert t is not None
        p, how = achieve(c, r, t)
        return PercentStep(p, how, c.formula, t, None, None, False)
    low, high = bounds
    position, bound = range_formula(c.rules.range_target).choose(r, low, high, c.lower)
    if bound is None:  # inside the range
        return PercentStep(
            HUNDRED, "inside", c.formula, high if c.lower else low, position, None, False
        )
    p, how = achieve(c, r, bound)
    return PercentStep(p, how, c.formula, bound, position, None, False)


def finish(rules: Rules, p: Ratio | None) -> tuple[Decimal | None, bool]:
    """The published figure: capped (``rules.cap``) and rounded once (``rules.rounding``,
    half-up by default)."""
    if p is None:
        return None, False
    cap = rules.cap
    mode = rules.rounding.value
    if cap is not None:
        limit = cap.as_integer_ratio()
        if lt(limit, p):
            return round_ratio(limit, rules.places, mode), True
    return round_ratio(p, rules.places, mode), False


def _published(rules: Rules, step: PercentStep) -> PercentStep:
    result, capped = finish(rules, step.exact)
    return PercentStep(
        step.exact, step.how, step.formula, step.compared, step.position, result, capped, step.parts
    )


def mean_of_periods(
    c: CompiledIndicator, s: Series, k: int, y: YearTargets, compared: Ratio
) -> PercentStep | None:
    """The mean of the percents of the first ``k`` entries, each against its own target
    (``YearToDate.MEAN_OF_PERIODS``): the plan's entry for its quarter (a flow's scaled to
    its months), else a flow's annual target prorated to its months, else the annual
    target. None when an entry has no percent of its own (no target, no value)."""
    annual = y.annual
    if annual is None:
        return None
    parts: list[Ratio] = []
    total = ZERO
    for e in s.entries[:k]:
        if c.is_pct:
            if e.x is None or e.y is None or e.y[0] == 0:
                return None
            f = c.factor
            r = normalised(e.x[0] * e.y[1] * f[0], e.x[1] * e.y[0] * f[1])
        elif e.value is None:
            return None
        else:
            r = e.value
        months = e.last - e.first + 1
        qf, ql = (e.first - 1) // 3, (e.last - 1) // 3
        t: Ratio | None
        if y.quarters is not None and qf == ql:
            t = y.quarters[qf]
            if t is not None and c.prorate:
                t = (t[0] * months, t[1] * 3)
        elif c.prorate:
            t = (annual[0] * months, annual[1] * 12)
        else:
            t = annual
        if t is None:
            return None
        p, _ = achieve(c, r, t)
        if p is None:
            return None
        parts.append(p)
        total = add(total, p)
    mean = normalised(total[0], total[1] * len(parts))
    return PercentStep(
        mean, "mean_of_periods", c.formula, compared, None, None, False, tuple(parts)
    )


# --- a missing period -------------------------------------------------------------------------
def _as_zero(c: CompiledIndicator, rl: RealisedStep, k: int) -> RealisedStep:
    """The realisation to date when the missing period counts as one realisation of 0
    (``MissingPeriod.AS_ZERO``): a sum (or sum(X) / sum(Y)) is unchanged, the last value
    is 0, the mean counts one more entry, the highest is at least 0."""
    kind = rl.kind
    v = rl.value
    if kind == "sum" or v is None or (kind == "ratio" and c.sum):
        return rl
    if kind == "average":
        total = (v[0] * k, v[1])  # the mean back to the total of the k entries
        value: Ratio = (total[0], total[1] * (k + 1))
    elif kind == "max":
        value = ZERO if lt(v, ZERO) else v
    else:  # the last value: the missing period's own
        value = ZERO
    return RealisedStep("as_zero", value, rl.entries, rl.x, rl.y)


def missing_period_notice(rule: MissingPeriod, s: Series, k: int, pf: PeriodFacts) -> Notice:
    """The warning of a period with no realisation of its own that ``rule`` filled in."""
    own = ((1 << pf.last) - 1) ^ ((1 << (pf.first - 1)) - 1)
    params: dict[str, Param] = {
        "period": str(pf.period),
        "months": months_text(pf.year, own & ~s.state[k][0]),
        "last": str(s.reals[k - 1].period),
    }
    return Notice(f"missing-period-{rule.value.replace('_', '-')}", params)


# --- one period -------------------------------------------------------------------------------
def evaluate(
    c: CompiledIndicator, series: Series | None, pf: PeriodFacts, reference: str | None
) -> Achievement:
    """The achievement of the period ``pf``, any case."""
    return _evaluate(c, series, pf, reference, record=False)[0]


def work(
    c: CompiledIndicator, series: Series | None, pf: PeriodFacts, reference: str | None
) -> tuple[Achievement, Working]:
    """The achievement of the period ``pf`` with every step of its working."""
    a, working = _evaluate(c, series, pf, reference, record=True)
    assert working is not None
    return a, working


def _evaluate(
    c: CompiledIndicator,
    series: Series | None,
    pf: PeriodFacts,
    reference: str | None,
    *,
    record: bool,
) -> tuple[Achievement, Working | None]:
    y = c.years.get(pf.year) or c.year(pf.year)
    rules = c.rules

    # the realisations from the start of the year to the end of the period: the first k
    k = 0 if series is None else bisect_right(series.lasts, pf.last)
    in_period = k > 0 and series is not None and series.state[k][1] >= pf.first
    filled = MissingPeriod.NO_DATA  # the rule that stood in for a missing period
    mean_rule = rules.year_to_date is YearToDate.MEAN_OF_PERIODS
    if k and not in_period and rules.missing_period is not MissingPeriod.NO_DATA:
        in_period = True
        filled = rules.missing_period

    tgt = target_step(c, y, pf, series.state[k][0] if k and series is not None else 0)
    t = tgt.value
    bounds = tgt.bounds
    target_q = None if t is None else _quantity(t, c, y)

    found: tuple[Notice, ...] = NO_NOTICES
    reals: tuple[Realisation, ...] = ()
    if k:
        assert series is not None
        reals = series.reals[:k]
        reported = series.latest[k]
        if (
            series.state[k][2]
            or (reported is not None and reported > pf.late_after)
            or y.conflict
            or (c.additive and (pf.full & y.window_mask) & ~series.state[k][0])
        ):
            found = notices(c, series, k, pf, y)

    realised_q: Quantity | None = None
    percent: Decimal | None = None
    progress: Decimal | None = None
    rating: str | None = None
    nilai: Decimal | None = None
    rl = RealisedStep("none")
    pc: PercentStep | None = None
    pg: PercentStep | None = None
    if not in_period:
        if bounds is not None:
            target_q = _quantity(bounds[1] if c.lower else bounds[0], c)
        status = Status.NO_TARGET if tgt.kind == "none" else Status.NO_DATA
    else:
        assert series is not None
        if c.fast_sum and not record:  # the running sum, without its entries
            r: Ratio | None = series.state[k][3]
        else:
            rl = realised_step(c, series, k)
            if filled is MissingPeriod.AS_ZERO:
                rl = _as_zero(c, rl, k)
            r = rl.value
        realised_q = None if r is None else _quantity(r, c)

        if tgt.kind == "none":
            status = Status.NO_TARGET
        elif r is None:
            status = Status.UNDEFINED
            if bounds is not None:
                target_q = _quantity(bounds[1] if c.lower else bounds[0], c)
        else:
            step = percent_step(c, r, t, bounds)
            if mean_rule and bounds is None and t is not None and k > 1:
                assert series is not None
                mean = mean_of_periods(c, series, k, y, t)
                if mean is not None:
                    step = mean
                    found = (*found, Notice("mean-of-periods", {"period": str(pf.period)}))
            pc = _published(rules, step)
            if bounds is not None:
                assert pc.compared is not None
                target_q = _quantity(pc.compared, c)
            percent = pc.result
            if t is y.annual and bounds is y.bounds and pc.how != "mean_of_periods":
                pg = pc
            else:
                pg = _published(rules, percent_step(c, r, y.annual, y.bounds))
            progress = pg.result
            if percent is None:
                status = Status.UNDEFINED
            else:
                status = Status.ACHIEVED if percent >= 100 else Status.NOT_ACHIEVED
                rating = c.rate(percent)
                nilai_of = c.shared.nilai
                if nilai_of is not None:
                    nilai = nilai_of(percent, rules.places)
    if filled is not MissingPeriod.NO_DATA:
        assert series is not None
        found = (*found, missing_period_notice(filled, series, k, pf))
    if y.target_text is None:  # no Target entry for the year at all: say why
        found = (no_entry_notice(pf.year), *found)
    a = Achievement(
        c.indicator,
        pf.period,
        reference,
        target_q,
        y.quantity,
        realised_q,
        percent,
        progress,
        status,
        rating,
        tuple(n.en for n in found) if found else NO_WARNINGS,
        nilai,
        reals,
        rules,
        notices=found,
    )
    if not record:
        return a, None
    return a, Working(tgt, rl, pc, pg)
