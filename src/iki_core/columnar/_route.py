"""Which rows of a results table the kernel computes, with the kernel's inputs for
them: the eligibility rule of :mod:`iki_core.columnar.frame`, stated over columns.

:func:`route` reads an indicators and a realisations table (whose realisations all name
one of the indicators) and returns, for every (indicator, period) row, whether the kernel
covers it and the exact ratios it computes from (realisation to date, the period's
target, the annual target, the polarity).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final, TypeVar

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from iki_core.periods import Period
from iki_core.rules import PeriodTarget, Rules

from ._amounts import PLACES, Bools, Ints, common_places, ints, parse_amounts
from .kernel import Kernel

__all__ = ["IndicatorColumns", "Inputs", "Routed", "route"]

_LIMIT: Final = float(2**61)
_EPOCH: Final = dt.date(1970, 1, 1)

Inputs = tuple[Ints, Ints, Ints, Ints, Ints, Ints, Bools]
"""The kernel's columns: rn, rd (realisation to date), tn, td (the period's target), an,
ad (the annual target) and lower (lower is better)."""


@attrs.frozen
class Routed:
    """The rows of a results table, indicator by indicator (``refs``, in their order)
    and period by period: ``rows_ref`` and ``rows_p`` index ``refs`` and the periods,
    ``ok`` marks the rows the kernel computes from ``inputs``."""

    refs: pa.Array
    rows_ref: Ints
    rows_p: Ints
    ok: Bools
    inputs: Inputs


Codes = tuple[pa.Array, Ints, Ints]
"""The distinct references of an indicators table, in order, and each indicator row's and
each realisation's index among them."""


def codes_of(ind: pa.Table, real: pa.Table) -> tuple[pa.Array, Ints, Ints]:
    """The references of ``ind`` in order, each indicator row's index among them, and
    each realisation's (-1 where it names none): the only string matching of a
    computation, done once whatever the chunks.

    Rows come in runs of one reference (an indicator's years, its realisations): only
    the first of each run is matched, and when the realisations' runs name the
    indicators in their order (a file written indicator by indicator) the codes are the
    runs' numbers, with no hashing at all."""
    i_values, i_run = _runs(ind["reference"])
    coded = i_values.dictionary_encode(null_encoding="encode")  # first appearance order
    refs = coded.dictionary
    i_ref = np.asarray(coded.indices.to_numpy(zero_copy_only=False), np.int64)[i_run]
    r_values, r_run = _runs(real["indicator"])
    same = len(r_values) == len(refs) and not r_values.null_count
    if same and pc.all(pc.equal(r_values, refs)).as_py() is True:
        return refs, i_ref, r_run
    at = pc.fill_null(pc.index_in(r_values, value_set=refs), -1)
    return refs, i_ref, np.asarray(at.to_numpy(zero_copy_only=False), np.int64)[r_run]


def _runs(column: pa.ChunkedArray) -> tuple[pa.Array, Ints]:
    """The first value of each run of equal values of a text column, and each row's run
    (chunk by chunk: the column is not copied)."""
    starts = []
    heads = []
    previous = None
    for chunk in column.chunks:
        n = len(chunk)
        if not n:
            continue
        start = np.ones(n, np.bool_)
        if n > 1:
            same = pc.fill_null(pc.equal(chunk.slice(1), chunk.slice(0, n - 1)), False)
            start[1:] = ~np.asarray(same.to_numpy(zero_copy_only=False), np.bool_)
        if previous is not None and previous == chunk[0].as_py():
            start[0] = False
        previous = chunk[n - 1].as_py()  # None for a null: never the same as the next
        head = chunk.filter(pa.array(start))
        if pa.types.is_dictionary(head.type):  # the texts themselves, in their order
            head = head.cast(head.type.value_type)
        starts.append(start)
        heads.append(head)
    if not starts:
        return pa.array([], pa.string()), np.zeros(0, np.int64)
    run = np.cumsum(np.concatenate(starts), dtype=np.int64) - 1
    return pa.concat_arrays(heads), run


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
    unit's name."""

    year: Ints
    pct: Bools
    lower: Bools
    eligible: Bools
    target: Ints
    factor: Ints
    plan: Ints
    has_plan: Bools
    unit: pa.Array

    @classmethod
    def of(cls, ind: pa.Table) -> IndicatorColumns:
        unit = ind["unit"].combine_chunks()
        tgt, fits = parse_amounts(pc.fill_null(ind["target_text"], "-"), unit)
        has_plan = np.zeros(len(ind), np.bool_)
        plan_ok = np.ones(len(ind), np.bool_)
        plan_cols = _plan_columns([ind[q] for q in ("q1", "q2", "q3", "q4")], unit)
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
            self.factor[at],
            self.plan[at],
            self.has_plan[at],
            unit,
        )


def route(
    ind: IndicatorColumns, real: pa.Table, wanted: list[Period], kernel: Kernel, codes: Codes
) -> Routed:
    """The rows of the indicators ``ind`` x ``wanted`` and those the kernel computes;
    ``codes`` index the references of ``ind`` (:func:`codes_of`)."""
    rules: Rules = kernel.rules
    refs, i_ref, rref = codes
    nref, nper = len(refs), len(wanted)
    w_year = np.array([p.year for p in wanted], np.int64)
    w_first = np.array([p.first_month for p in wanted], np.int64)
    w_last = np.array([p.last_month for p in wanted], np.int64)
    grace = rules.report_grace_days
    w_late = np.array(
        [(p.end - _EPOCH).days + grace if grace is not None else 2**40 for p in wanted],
        np.int64,
    )
    y0 = int(w_year.min()) if nper else 0
    ny = int(w_year.max()) - y0 + 1 if nper else 1

    # realisations: which indicator, which months
    coded = real["period"].combine_chunks().dictionary_encode()
    parsed = [Period.parse(str(t), field="period") for t in coded.dictionary.to_pylist()]
    pidx = coded.indices.to_numpy(zero_copy_only=False)
    r_year = np.array([p.year for p in parsed], np.int64)[pidx] if parsed else rref
    r_first = np.array([p.first_month for p in parsed], np.int64)[pidx] if parsed else rref
    r_last = np.array([p.last_month for p in parsed], np.int64)[pidx] if parsed else rref

    # indicator-years (parsed once for the whole table), in one decimal scale with the
    # realisations
    i_year, is_pct_i, unit = ind.year, ind.pct, ind.unit
    val, v_ok = ints(real["value"])
    x, x_ok = ints(real["numerator"])
    y, y_ok = ints(real["denominator"])
    entries = np.maximum(ind.plan, 0).ravel()
    amounts = [(ind.target, ind.eligible), (ind.factor, ind.eligible), (val, v_ok), (x, x_ok)]
    places = common_places([*amounts, (y, y_ok), (entries, entries >= 0)])
    shift = 10 ** (PLACES - places)
    tgt, fnum, val, x, y = (a // shift for a in (ind.target, ind.factor, val, x, y))
    i_ok = ind.eligible
    plan = np.where(ind.plan >= 0, ind.plan // shift, -1)  # -1: "-", no entry
    has_plan = ind.has_plan
    iy = np.full(nref * ny, -1, np.int64)
    inside = (i_year >= y0) & (i_year < y0 + ny)
    iy[i_ref[inside] * ny + (i_year[inside] - y0)] = np.flatnonzero(inside)
    ref_pct = np.zeros(nref, np.bool_)
    ref_pct[i_ref] = is_pct_i

    # realisation rows of the indicator's shape; a reference with any other goes whole to
    # the engine (which converts units, warns, or refuses the row as it would)
    r_unit = (
        pc.fill_null(real["unit"], "").combine_chunks()
        if "unit" in real.column_names
        else pa.array([""] * len(real))
    )
    unit_ok = np.asarray(pc.equal(r_unit, "").to_numpy(zero_copy_only=False), np.bool_)
    written = np.flatnonzero(~unit_ok)  # a unit written with the value: the indicator's?
    if len(written):
        ind_unit = pc.take(_first_units(unit, i_ref, nref), pa.array(rref[written]))
        mine = r_unit.take(pa.array(written)).cast(pa.string())
        same = pc.fill_null(pc.equal(mine, ind_unit.cast(pa.string())), False)
        unit_ok[written] = same.to_numpy(zero_copy_only=False)
    pct_row = ref_pct[rref]
    v_null = pc.is_null(real["value"]).to_numpy(zero_copy_only=False)
    shaped = np.where(
        pct_row,
        x_ok & y_ok & v_null,
        v_ok & unit_ok & pc.is_null(real["numerator"]).to_numpy(zero_copy_only=False),
    )
    shaped &= (val >= 0) & (x >= 0) & (y >= 0)
    ref_dirty = np.zeros(nref, np.bool_)
    ref_dirty[rref[~shaped]] = True

    # period order within each indicator-year, then running figures to each entry
    keep = (r_year >= y0) & (r_year < y0 + ny)
    if "reported_on" in real.column_names:
        rep = pc.cast(real["reported_on"], pa.int32())
        reported = pc.fill_null(rep, -(2**30)).to_numpy(zero_copy_only=False).astype(np.int64)
    else:
        reported = np.full(len(real), -(2**30), np.int64)
    order: Ints | None
    if keep.all():  # every realisation, often written in period order already
        g = rref * ny + (r_year - y0)
        order = _period_order(g, r_last, r_first, reported)
        g = _at(g, order)
    else:
        sel = np.flatnonzero(keep)
        g = rref[sel] * ny + (r_year[sel] - y0)
        within = _period_order(g, r_last[sel], r_first[sel], reported[sel])
        order, g = (sel, g) if within is None else (sel[within], g[within])
    first, last = _at(r_first, order), _at(r_last, order)
    m = len(g)
    start = np.ones(m, np.bool_)
    start[1:] = g[1:] != g[:-1]
    idx = np.arange(m)
    gs = np.maximum.accumulate(np.where(start, idx, 0)) if m else idx
    prev_last = np.zeros(m, np.int64)
    prev_last[1:] = last[:-1]
    prev_last[start] = 0
    pct_in = _at(pct_row, order)
    dirty = (first != prev_last + 1) | (pct_in & (_at(x, order) > _at(y, order)))
    bad = _segmented_sum(dirty.astype(np.int64), gs)
    grp = np.cumsum(start) if m else idx
    latest = np.maximum.accumulate(_at(reported, order) + (grp << 32)) - (grp << 32) if m else idx
    sums: list[tuple[Ints, Bools]] = []
    for col in (np.where(pct_in, _at(x, order), _at(val, order)), _at(y, order)):
        total = _segmented_sum(col.astype(np.int64), gs)
        # no running sum can pass 2**61 when the whole column's cannot (one bound)
        bound = float(np.abs(col).max()) * m if m else 0.0
        if bound < _LIMIT:
            big = np.zeros(m, np.bool_)
        else:
            big = _segmented_sum(np.abs(col).astype(np.float64), gs) >= _LIMIT
        sums.append((total, big))
    (r_total, r_big), (y_total, y_big) = sums

    # every (indicator, period): find the entry that ends the period
    rows_ref = np.repeat(np.arange(nref, dtype=np.int64), nper)
    rows_p = np.tile(np.arange(nper, dtype=np.int64), nref)
    q_year, q_first, q_last = w_year[rows_p], w_first[rows_p], w_last[rows_p]
    gq = rows_ref * ny + (q_year - y0)
    j = iy[gq]
    pos = np.searchsorted(g * 16 + last, gq * 16 + q_last, side="right") - 1
    # a sentinel entry at index m, read by the rows with no entry (pos = -1)
    g, last, first, bad, latest = (np.append(a, -1) for a in (g, last, first, bad, latest))
    r_total, y_total = np.append(r_total, 0), np.append(y_total, 0)
    r_big, y_big = np.append(r_big, True), np.append(y_big, True)
    posc = np.where(pos >= 0, pos, m)
    jc = np.where(j >= 0, j, 0)
    ok = (j >= 0) & ~ref_dirty[rows_ref] & (pos >= 0)
    if len(ind.year):
        ok &= i_ok[jc] & (g[posc] == gq) & (last[posc] == q_last) & (first[posc] >= q_first)
        ok &= (bad[posc] == 0) & (latest[posc] <= w_late[rows_p]) & ~r_big[posc] & ~y_big[posc]
    pct = ref_pct[rows_ref]
    ok &= ~pct | (y_total[posc] > 0)

    # targets of the period and of the year, and the realisation to date, as ratios
    annual = tgt[jc]
    tn, td = annual.copy(), np.ones_like(annual)
    if rules.period_target is not PeriodTarget.ANNUAL:
        prorate = ~pct & (q_last != 12)
        tn = np.where(prorate, annual * q_last, tn)
        td = np.where(prorate, 12, td)
        planned = np.flatnonzero(has_plan[jc])  # the rows under a plan only
        if len(planned):
            at = jc[planned]
            pn, pd, p_ok = _plan_targets(plan[at], q_first[planned], q_last[planned], pct[planned])
            tn[planned], td[planned] = pn, pd
            ok[planned] &= p_ok
    unit_n = 10**places
    fn = fnum[jc]
    realised = r_total[posc]
    rn = np.where(pct, realised * fn, realised)
    rd = np.where(pct, y_total[posc] * unit_n, 1)
    tdd = np.where(pct, td * unit_n, td)
    ad = np.where(pct, unit_n, 1)
    lower = ind.lower[jc]
    ok &= kernel.covers(rn, rd, tn, tdd, lower) & kernel.covers(rn, rd, annual, ad, lower)
    if len(fn) and float(np.abs(realised).max()) * float(np.abs(fn).max()) >= _LIMIT:
        ok &= np.abs(realised).astype(np.float64) * np.abs(fn).astype(np.float64) < _LIMIT
    return Routed(refs, rows_ref, rows_p, ok, (rn, rd, tn, tdd, annual, ad, lower))


def _plan_columns(
    columns: list[pa.ChunkedArray], unit: pa.Array
) -> list[tuple[Bools, Bools, Bools, Ints]]:
    """The quarters of the plans, each as: where it is written, where it is an amount the
    kernel reads (with its value x 10**6 fitting int64), where it is "-", and those
    values (0 elsewhere). Only the written cells are read (most indicators have no plan),
    the four quarters at once."""
    n = len(unit)
    present = [np.asarray(pc.is_valid(c).to_numpy(zero_copy_only=False), np.bool_) for c in columns]
    at = [np.flatnonzero(p) for p in present]
    rows = pa.array(np.concatenate(at)) if n else pa.array([], pa.int64())
    texts = pa.concat_arrays(
        [
            pc.take(c.combine_chunks(), pa.array(a)).cast(pa.string())
            for c, a in zip(columns, at, strict=True)
        ]
    )
    scaled, read = parse_amounts(texts, pc.take(unit, rows))
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


def _period_order(g: Ints, last: Ints, first: Ints, reported: Ints) -> Ints | None:
    """The realisations' order by indicator-year, last month, first month and report
    date (None: they are in that order already, as a table written indicator by
    indicator and period by period is): one stable sort of a packed key when the
    ranges allow it (they do unless an indicator-year index passes 2**22), else numpy's
    lexsort."""
    if len(g) < 2:
        return None
    low = int(reported.min())
    span = int(reported.max()) - low
    if int(g.max()) < 2**22 and span < 2**32:
        key = (g << 41) | (last << 37) | (first << 33) | (reported - low)
        if (key[1:] >= key[:-1]).all():
            return None
        return np.argsort(key, kind="stable")
    return np.lexsort((reported, first, last, g))


_T = TypeVar("_T", bound=np.generic)


def _at(values: npt.NDArray[_T], order: Ints | None) -> npt.NDArray[_T]:
    """``values`` in ``order`` (None: as they are)."""
    return values if order is None else values[order]


def _first_units(unit: pa.Array, i_ref: npt.NDArray[np.int64], nref: int) -> pa.Array:
    first = np.full(nref, -1, np.int64)
    first[i_ref[::-1]] = np.arange(len(i_ref))[::-1]
    return pc.take(unit, pa.array(first))


_N = TypeVar("_N", np.int64, np.float64)


def _segmented_sum(values: npt.NDArray[_N], gs: Ints) -> npt.NDArray[_N]:
    """Running sums restarting at each group (``gs``: the index where each row's group
    starts)."""
    if not len(values):
        return values
    c = np.cumsum(values)
    return c - (c[gs] - values[gs])


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
