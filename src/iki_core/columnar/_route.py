"""Which rows of a results table the kernel computes, with the kernel's inputs for
them: the eligibility rule of :mod:`iki_core.columnar.frame`, stated over columns.

:func:`route` reads an indicators and a realisations table (whose realisations all name
one of the indicators) and returns, for every (indicator, period) row, whether the kernel
covers it and the exact ratios it computes from (realisation to date, the period's
target, the annual target, the polarity).
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from iki_core.periods import Period
from iki_core.rules import PeriodTarget, RangeRule, Rules

from ._amounts import (
    PLACES,
    Bools,
    Coded,
    Ints,
    common_places,
    ints,
    parse_amounts,
    parse_ranges,
)
from ._realised import Realised, runs
from ._to_date import LIMIT, Wanted, to_date
from .kernel import Kernel

__all__ = ["IndicatorColumns", "Inputs", "Routed", "indicator_codes", "route", "unit_codes"]


Inputs = tuple[Ints, Ints, Ints, Ints, Ints, Ints, Bools]
"""The kernel's columns: rn, rd (realisation to date), tn, td (the period's target), an,
ad (the annual target) and lower (lower is better)."""


@attrs.frozen
class Routed:
    """The rows of a results table, indicator by indicator and period by period:
    ``rows_ref`` and ``rows_p`` index the references and the periods, ``ok`` marks the
    rows the kernel computes from ``inputs``."""

    rows_ref: Ints
    rows_p: Ints
    ok: Bools
    inputs: Inputs


def indicator_codes(ind: pa.Table) -> tuple[pa.Array, Ints]:
    """The references of ``ind`` in order and each indicator row's index among them (the
    rows of one indicator come in a run: only the first of each run is matched)."""
    i_values, i_run = runs(ind["reference"])
    coded = i_values.dictionary_encode(null_encoding="encode")  # first appearance order
    refs = coded.dictionary
    i_ref = np.asarray(coded.indices.to_numpy(zero_copy_only=False), np.int64)[i_run]
    return refs, i_ref


def _flag(column: pa.ChunkedArray, value: str) -> Bools:
    """Where a text column equals ``value`` (False where null)."""
    same = pc.fill_null(pc.equal(column, value), False)
    return np.asarray(same.to_numpy(zero_copy_only=False), np.bool_)


@attrs.frozen
class IndicatorColumns:
    """What the routing reads of an indicators table, parsed once for the whole table
    (:meth:`of`) and taken chunk by chunk (:meth:`rows`): the year, percentage or not,
    lower is better or not, ``eligible`` (a count or percentage summed, without event
    windows, its target, plan and factor amounts the kernel reads: rule 1 and 2 of
    :mod:`~iki_core.columnar.frame` but the period's target), the target, the factor
    and the plan's four quarters x 10**6 (-1: no entry), whether it has a plan, and the
    unit's name. A range target "80-90 persen" is read as its two bounds (``ranged``)."""

    year: Ints
    pct: Bools
    lower: Bools
    eligible: Bools
    target: Ints
    high: Ints
    """A range target's upper bound (``target`` is its lower bound); ``target`` else."""
    ranged: Bools
    factor: Ints
    plan: Ints
    has_plan: Bools
    unit: pa.Array
    places: int = PLACES
    """The decimal scale of ``target``, ``factor`` and ``plan`` (x 10**places)."""
    plan_row: Ints | None = None
    """Each row's index among the rows with a plan (-1: none), once :meth:`planned`."""
    plan_targets: tuple[Ints, Ints, Bools] | None = None
    """The period targets of the rows with a plan (one row each, one column per period
    wanted): numerator, denominator and whether the plan gives one, once :meth:`planned`."""

    def planned(self, wanted: list[Period]) -> IndicatorColumns:
        """With the period targets of the rows with a plan, for the periods ``wanted``,
        computed once for the whole table (in place of the plans' entries)."""
        rows = np.flatnonzero(self.has_plan)
        plan_row = np.full(len(self.year), -1, np.int64)
        plan_row[rows] = np.arange(len(rows))
        n, nper = len(rows), len(wanted)
        tn, td = np.zeros((n, nper), np.int64), np.ones((n, nper), np.int64)
        ok = np.zeros((n, nper), np.bool_)
        plan, pct = self.plan[rows], self.pct[rows]
        for k, p in enumerate(wanted):
            first, last = np.full(n, p.first_month), np.full(n, p.last_month)
            tn[:, k], td[:, k], ok[:, k] = _plan_targets(plan, first, last, pct)
        # the plans' entries are read: only their targets are kept
        none = np.zeros((0, 4), np.int64)
        return attrs.evolve(self, plan=none, plan_row=plan_row, plan_targets=(tn, td, ok))

    def needed_places(self) -> int:
        """The fewest decimals that hold every amount the kernel reads."""
        entries = np.maximum(self.plan[self.has_plan], 0).ravel()  # (the rows with a plan)
        amounts = [(self.target, self.eligible), (self.factor, self.eligible)]
        amounts.append((self.high[self.ranged], self.eligible[self.ranged]))
        return common_places([*amounts, (entries, entries >= 0)])

    def rescaled(self, places: int) -> IndicatorColumns:
        """The amounts x 10**``places`` (``places`` >= :meth:`needed_places`), exactly."""
        shift = 10 ** (self.places - places)
        if shift == 1:
            return self
        plan = np.full_like(self.plan, -1)  # -1: "-", no entry (every row without a plan)
        rows = np.flatnonzero(self.has_plan)
        entries = self.plan[rows]
        plan[rows] = np.where(entries >= 0, entries // shift, -1)
        return attrs.evolve(
            self,
            target=self.target // shift,
            high=self.high // shift,
            factor=self.factor // shift,
            plan=plan,
            places=places,
        )

    @classmethod
    def of(cls, ind: pa.Table) -> IndicatorColumns:
        unit = ind["unit"].combine_chunks()
        texts = Coded.of(pc.fill_null(ind["target_text"], "-"))
        units = Coded.of(unit)  # (each distinct text read once, by each pattern)
        tgt, fits = parse_amounts(texts, units)
        low, high, ranged = parse_ranges(texts, units)
        del texts
        tgt = np.where(ranged, low, tgt)
        high = np.where(ranged, high, tgt)
        fits |= ranged
        has_plan = np.zeros(len(ind), np.bool_)
        plan_ok = np.ones(len(ind), np.bool_)
        plan_cols = _plan_columns([ind[q] for q in ("q1", "q2", "q3", "q4")], units)
        del units, low  # (read: freed before the columns below are made)
        for present, ok, dash, _ in plan_cols:
            has_plan |= present
            plan_ok &= ok | ~present | dash
        fnum, f_fits = ints(pc.fill_null(ind["factor"], Decimal(100)))
        pct = _flag(ind["kind"], "percentage")
        eligible = (
            (_flag(ind["kind"], "count") | pct)
            & _flag(ind["aggregation"], "sum")
            & fits
            & (tgt >= 0)
            & plan_ok
            & f_fits
            & pc.is_null(ind["windows"]).to_numpy(zero_copy_only=False)
        )
        plans = [np.where(ok, v, -1) for _, ok, _, v in plan_cols]
        return cls(
            pc.fill_null(ind["year"], -1).to_numpy(zero_copy_only=False).astype(np.int64),
            pct,
            _flag(ind["polarity"], "lower_is_better"),
            eligible,
            tgt,
            high,
            ranged,
            fnum,
            np.stack(plans, axis=1) if len(ind) else np.zeros((0, 4), np.int64),
            has_plan,
            unit,
        )

    def rows(self, at: slice | Ints) -> IndicatorColumns:
        """The rows ``at`` (a slice of consecutive rows, or their indices)."""
        if isinstance(at, slice):
            unit = self.unit.slice(at.start, at.stop - at.start)
        else:
            unit = self.unit.take(pa.array(at))
        return IndicatorColumns(
            self.year[at],
            self.pct[at],
            self.lower[at],
            self.eligible[at],
            self.target[at],
            self.high[at],
            self.ranged[at],
            self.factor[at],
            self.plan if self.plan_targets is not None else self.plan[at],
            self.has_plan[at],
            unit,
            self.places,
            None if self.plan_row is None else self.plan_row[at],
            self.plan_targets,
        )


def route(
    ind: IndicatorColumns,
    real: Realised,
    wanted: list[Period],
    kernel: Kernel,
    i_ref: Ints,
    nref: int,
    ref_unit: Ints,
) -> Routed:
    """The rows of the ``nref`` indicators ``ind`` x ``wanted`` and those the kernel
    computes. ``ind`` and ``real`` are in one decimal scale (``ind.places``); ``i_ref``
    is each indicator row's reference (0 to ``nref`` - 1, as ``real.code``) and
    ``ref_unit`` each reference's unit among ``real.units`` (-1: none of them)."""
    rules: Rules = kernel.rules
    w = Wanted.of(wanted, rules.report_grace_days)
    done = to_date(ind.year, ind.pct, ind.eligible, real, w, i_ref, nref, ref_unit)
    rows_ref, rows_p, jc, ok = done.rows_ref, done.rows_p, done.at, done.ok
    tgt, fnum, plan, has_plan = ind.target, ind.factor, ind.plan, ind.has_plan
    pct = done.pct
    each = done.per_indicator

    # targets of the period and of the year, and the realisation to date, as ratios; a
    # choice between two values by the kind is arithmetic on its 0 or 1 (``pi``: numpy's
    # where is several times slower on a mask that changes from row to row)
    pi = pct.astype(np.int64)
    annual = each(tgt)
    if rules.period_target is PeriodTarget.ANNUAL:
        tn, td = annual.copy(), np.ones_like(annual)
    else:
        # a count's target to the end of the period: the year's x months / 12 (but the
        # year's own), a percentage's the year's
        months = done.per_period(np.where(w.last != 12, w.last, 1) - 1)
        twelfths = done.per_period(np.where(w.last != 12, 12, 1) - 1)
        npi = 1 - pi
        tn = annual * (npi * months + 1)
        td = npi * twelfths + 1
        # the rows under a plan only
        planned = np.flatnonzero(each(has_plan)) if has_plan.any() else np.zeros(0, np.int64)
        if len(planned):
            at = jc[planned]
            if ind.plan_row is not None and ind.plan_targets is not None:
                k, p = ind.plan_row[at], rows_p[planned]
                pn, pd, p_ok = (
                    ind.plan_targets[0][k, p],
                    ind.plan_targets[1][k, p],
                    ind.plan_targets[2][k, p],
                )
            else:
                p = rows_p[planned]
                pn, pd, p_ok = _plan_targets(plan[at], w.first[p], w.last[p], pct[planned])
            tn[planned], td[planned] = pn, pd
            ok[planned] &= p_ok
    unit_n = 10**ind.places
    fn = each(fnum)
    realised = done.realised
    rn = realised * (pi * (fn - 1) + 1)  # X x factor / (Y x 10**places) for percentages
    rd = pi * (done.y_sum * unit_n - 1) + 1
    ad = pi * (unit_n - 1) + 1
    tdd = td * ad
    lower = each(ind.lower)
    if ind.ranged.any():
        ranged = np.flatnonzero(each(ind.ranged) & ok)
        if len(ranged):  # (the plan gives the period's target under the cumulative rule only)
            by_plan = has_plan[jc[ranged]] & (rules.period_target is not PeriodTarget.ANNUAL)
            high = ind.high[jc[ranged]]
            tail = (by_plan, w.last[rows_p[ranged]], pct[ranged], lower, ok)
            _range_targets(ranged, rules, high, annual, rn, rd, tn, tdd, ad, *tail)
    ok &= kernel.covers(rn, rd, tn, tdd, lower) & kernel.covers(rn, rd, annual, ad, lower)
    if len(fn) and float(_largest(realised)) * float(_largest(fn)) >= LIMIT:
        ok &= np.abs(realised).astype(np.float64) * np.abs(fn).astype(np.float64) < LIMIT
    return Routed(rows_ref, rows_p, ok, (rn, rd, tn, tdd, annual, ad, lower))


def _largest(values: Ints) -> int:
    """The largest magnitude of ``values`` (two reductions, no array of magnitudes)."""
    return max(int(values.max()), -int(values.min()))


def _range_targets(
    at: Ints,
    rules: Rules,
    high: Ints,
    annual: Ints,
    rn: Ints,
    rd: Ints,
    tn: Ints,
    tdd: Ints,
    ad: Ints,
    planned: Bools,
    last: Ints,
    pct: Bools,
    lower: Bools,
    ok: Bools,
) -> None:
    """The rows ``at`` have a range target, whose lower bound ``annual`` and ``tn`` hold
    (the year's, and the period's as for a single target): make them the bound the
    engine compares the realisation with (``engine.general.percent_step``), in place.
    Under ``RangeRule.NEAREST_BOUND`` the lower bound below the range, the upper one above
    it, and inside it the realisation itself (100% by every formula; a realisation of 0
    inside "0-5" is left to the engine, where the zero rules would apply to the kernel's
    target of 0); under ``ENTRY_BOUND`` the lower bound, or the upper one when lower is
    better. The period's bounds scale with the months as a single target does (a count's
    annual bounds x months / 12); under a quarterly plan the period's target is the plan's
    and only the year's is a range. Rows whose comparisons could leave int64 go to the
    engine."""
    r_n, r_d = rn[at], rd[at]
    # the period's upper bound: prorated as the lower one in tn (months / 12 for counts)
    prorated = ~pct & (last != 12) & ~planned
    if rules.period_target is PeriodTarget.ANNUAL:
        prorated[:] = False
    high_period = np.where(prorated, high * last, high)
    nearest = rules.range_target is RangeRule.NEAREST_BOUND
    for n_col, d_col, hi, only in (
        (tn, tdd, high_period, ~planned),
        (annual, ad, high, np.ones(len(at), np.bool_)),
    ):
        lo_n, d = n_col[at], d_col[at]
        bound = float(max(int(hi.max()), 1)) * float(r_d.max()) + float(r_n.max()) * float(d.max())
        if bound >= LIMIT:  # the products of the comparisons could leave int64
            ok[at] = False
            return
        if nearest:
            below = r_n * d < lo_n * r_d
            above = r_n * d > hi * r_d
            inside = ~below & ~above
            new_n = np.where(above, hi, lo_n)
            new_d = d
            new_n = np.where(inside, r_n, new_n)
            new_d = np.where(inside, r_d, new_d)
            ok[at[only & inside & (r_n == 0)]] = False
        else:
            new_n, new_d = np.where(lower[at], hi, lo_n), d
        n_col[at[only]] = new_n[only]
        d_col[at[only]] = new_d[only]


def _plan_columns(
    columns: list[pa.ChunkedArray], unit: Coded
) -> list[tuple[Bools, Bools, Bools, Ints]]:
    """The quarters of the plans, each as: where it is written, where it is an amount the
    kernel reads (with its value x 10**6 fitting int64), where it is "-", and those
    values (0 elsewhere). Only the written cells are read (most indicators have no plan),
    the four quarters at once."""
    n = len(unit.at)
    present = [np.asarray(pc.is_valid(c).to_numpy(zero_copy_only=False), np.bool_) for c in columns]
    at = [np.flatnonzero(p) for p in present]
    rows = np.concatenate(at) if n else np.zeros(0, np.int64)
    texts = pa.concat_arrays(
        [
            pc.take(c.combine_chunks(), pa.array(a)).cast(pa.string())
            for c, a in zip(columns, at, strict=True)
        ]
    )
    scaled, read = parse_amounts(Coded.of(texts), unit.take(rows))
    dash = np.asarray(pc.equal(texts, "-").to_numpy(zero_copy_only=False), np.bool_)
    out = []
    low = 0
    for p, a in zip(present, at, strict=True):
        high = low + len(a)
        ok, values, is_dash = np.zeros(n, np.bool_), np.zeros(n, np.int64), np.zeros(n, np.bool_)
        ok[a], values[a], is_dash[a] = read[low:high], scaled[low:high], dash[low:high]
        out.append((p, ok, is_dash, values))
        low = high
    return out


def unit_codes(unit: pa.Array, i_ref: Ints, nref: int, units: list[str]) -> Ints:
    """Each reference's unit (that of its first indicator row) as an index among
    ``units`` (-1: none of them)."""
    first = np.full(nref, -1, np.int64)
    first[i_ref[::-1]] = np.arange(len(i_ref))[::-1]
    names = pc.take(unit, pa.array(first)).cast(pa.string())
    at = pc.fill_null(pc.index_in(names, value_set=pa.array(units, pa.string())), -1)
    return np.asarray(at.to_numpy(zero_copy_only=False), np.int64)


def _plan_targets(plan: Ints, first: Ints, last: Ints, pct: Bools) -> tuple[Ints, Ints, Bools]:
    """The period's target under the quarterly plan (``PeriodTarget.CUMULATIVE``):
    percentages the entry of the quarter the period ends in, sums the quarters before it
    plus the elapsed months' share of it; -1 is "-"."""
    qe = (last - 1) // 3
    qf = (first - 1) // 3
    rows = np.arange(len(plan))
    current = plan[rows, qe]
    part = last - 3 * qe
    before = np.zeros(len(plan), np.int64)
    some = np.zeros(len(plan), np.bool_)
    for q in range(4):
        entry = plan[:, q]
        before += np.where((q < qe) & (entry >= 0), entry, 0)
        some |= (q >= qf) & (q <= qe) & (entry >= 0)
    n = 3 * before + np.where(current >= 0, current * part, 0)
    tn = np.where(pct, current, n)
    td = np.where(pct, 1, 3)
    ok = np.where(pct, current >= 0, some)
    return tn, td, ok
