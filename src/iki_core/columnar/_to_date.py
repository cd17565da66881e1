"""The realisation to date of every (indicator, period) row of a chunk, and whether the
kernel may compute from it: rules 3 and 4 of :mod:`iki_core.columnar.frame`, over
columns.

:func:`to_date` reads a chunk's realisations two ways. When the chunk is *aligned* (one
indicator row per reference, of the one year the periods wanted belong to, those periods
following one another from January, and the realisations exactly one per reference and
period, in that order, as a table written indicator by indicator and period by period
is) the realisation rows are the result rows themselves: the running figures are sums
along each reference's row of a (references x periods) matrix and no entry is looked up
(:func:`_aligned`). Otherwise the realisations are put in period order within each
indicator-year and the entry ending each period is found by its key (:func:`_general`).
Both give the same rows: the first is the second's special case.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Final, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from iki_core.periods import Period

from ._amounts import Bools, Ints
from ._realised import COUNT, OVER, PERCENT, Realised

__all__ = ["LIMIT", "ToDate", "Wanted", "to_date"]

LIMIT: Final = float(2**61)
"""Sums and products estimated below this stay exact in int64."""
_EPOCH: Final = dt.date(1970, 1, 1)


@attrs.frozen
class Wanted:
    """The periods wanted as columns: year, first and last month, the last day a report
    is on time (days since 1970-01-01), the first year and the number of years, and
    ``chain``: whether they follow one another from January of one year (Q1, Q2, Q3,
    Q4; or the months; or S1, S2; or the year), each ending where the next begins."""

    periods: tuple[Period, ...]
    year: Ints
    first: Ints
    last: Ints
    late: Ints
    y0: int
    ny: int
    chain: bool

    @classmethod
    def of(cls, wanted: Sequence[Period], grace: int | None) -> Wanted:
        """The columns of ``wanted`` (made once for a table's every chunk)."""
        return _wanted(tuple(wanted), grace)

    @classmethod
    def _of(cls, wanted: Sequence[Period], grace: int | None) -> Wanted:
        year = np.array([p.year for p in wanted], np.int64)
        first = np.array([p.first_month for p in wanted], np.int64)
        last = np.array([p.last_month for p in wanted], np.int64)
        late = np.array(
            [(p.end - _EPOCH).days + grace if grace is not None else 2**40 for p in wanted],
            np.int64,
        )
        y0 = int(year.min()) if len(wanted) else 0
        ny = int(year.max()) - y0 + 1 if len(wanted) else 1
        ends = [0, *last.tolist()[:-1]]
        chain = bool(len(wanted)) and ny == 1 and first.tolist() == [e + 1 for e in ends]
        return cls(tuple(wanted), year, first, last, late, y0, ny, chain)


_G = TypeVar("_G", bound=np.generic)


@functools.lru_cache(maxsize=8)
def _wanted(wanted: tuple[Period, ...], grace: int | None) -> Wanted:
    return Wanted._of(wanted, grace)


@attrs.frozen
class ToDate:
    """Every (indicator, period) row of a chunk: its reference, its period, its
    indicator row (``at``: index into the chunk's indicator rows), whether the kernel may
    compute it so far (``ok``), the realisation to date (the sum of the amounts) and the
    sum of Y (percentages)."""

    rows_ref: Ints
    rows_p: Ints
    at: Ints
    ok: Bools
    realised: Ints
    y_sum: Ints
    pct: Bools
    """Whether the row's indicator is a percentage."""
    aligned: bool = False
    """Whether the rows are the aligned chunk's: ``at`` is each reference repeated for
    every period (one indicator row per reference) and ``rows_p`` the periods over and
    over, so that a column of the indicator rows is :meth:`per_indicator` by a repeat."""

    def per_indicator(self, values: npt.NDArray[_G]) -> npt.NDArray[_G]:
        """Each row's value of a column of the chunk's indicator rows."""
        if self.aligned:
            return np.repeat(values, len(self.rows_p) // max(len(values), 1))
        return values[self.at]

    def per_period(self, values: npt.NDArray[_G]) -> npt.NDArray[_G]:
        """Each row's value of a column of the periods wanted."""
        if self.aligned:
            return np.tile(values, len(self.rows_p) // max(len(values), 1))
        return values[self.rows_p]


def to_date(
    year: Ints,
    pct: Bools,
    eligible: Bools,
    real: Realised,
    wanted: Wanted,
    i_ref: Ints,
    nref: int,
    ref_unit: Ints,
) -> ToDate:
    """The rows of the ``nref`` references x ``wanted``. ``year``, ``pct`` and
    ``eligible`` are the indicator rows' (each row's reference ``i_ref``), ``ref_unit``
    each reference's unit among ``real.units`` (-1: none of them)."""
    done = _aligned(year, pct, eligible, real, wanted, i_ref, nref, ref_unit)
    if done is not None:
        return done
    return _general(year, pct, eligible, real, wanted, i_ref, nref, ref_unit)


def _aligned(
    year: Ints,
    pct: Bools,
    eligible: Bools,
    real: Realised,
    wanted: Wanted,
    i_ref: Ints,
    nref: int,
    ref_unit: Ints,
) -> ToDate | None:
    """:func:`to_date` for an aligned chunk (see the module), None for any other. The
    realisations of a chunk are in reference order (:func:`~iki_core.columnar.frame.compute`
    sorts them once): each reference's first and last row tell its rows. A clean chunk
    (every report on time, no X above Y) costs one pass per check; the running figures
    are column by column (numpy's accumulations along a row of a narrow matrix are
    slow)."""
    nper = len(wanted.periods)
    if not wanted.chain or len(real.code) != nref * nper or len(year) != nref or not nref:
        return None
    if not ((year == wanted.y0).all() and i_ref[0] == 0 and i_ref[-1] == nref - 1):
        return None  # (i_ref never decreases and steps by 1: it is 0 ... nref - 1)
    shape = (nref, nper)
    code = real.code.reshape(shape)
    ref = np.arange(nref, dtype=code.dtype)
    if not ((code[:, 0] == ref).all() and (code[:, -1] == ref).all()):
        return None
    # (each reference's values repeated and each period's tiled to the flat rows: numpy
    # broadcasts a matrix of a few columns row by row, several times slower)
    at = {p: k for k, p in enumerate(real.periods)}
    codes = np.array([at.get(p, -1) for p in wanted.periods], real.period.dtype)
    if not (real.period == np.tile(codes, nref)).all():
        return None
    for col in (real.amount, real.y):  # (never negative) no running sum can pass 2**61
        if float(col.max()) * nper >= LIMIT:
            return None
    # the rows of the indicator's shape: a count's form is COUNT (0) in its unit or bare,
    # a percentage's PERCENT (1) plus OVER where X is above Y
    form = real.form
    pct_rows = np.repeat(pct, nper)
    shaped = (form & 3) == pct_rows.view(np.int8)
    if real.unit.any():  # a unit written: a count's is its indicator's
        mine = np.repeat(ref_unit.astype(real.unit.dtype), nper)
        shaped &= (real.unit == 0) | (real.unit == mine) | pct_rows
    ref_ok = eligible if shaped.all() else eligible & _every(shaped.reshape(shape))
    ok = np.repeat(ref_ok, nper)
    # each period's entry is the row itself: the months are covered unless an entry so
    # far reports X above Y; on time unless one so far was late (the ends increase)
    if (form >= OVER).any():
        ok &= ~_running((form >= OVER).reshape(shape), np.logical_or).ravel()
    late = np.tile(wanted.late, nref)
    if not (real.reported <= late).all():
        ok &= _running(real.reported.reshape(shape), np.maximum).ravel() <= late
    r_sum = _running(real.amount.reshape(shape), np.add).ravel()
    y_sum = _running(real.y.reshape(shape), np.add).ravel()
    ok &= (y_sum > 0) | ~pct_rows
    rows_ref = np.repeat(np.arange(nref, dtype=np.int64), nper)
    rows_p = np.tile(np.arange(nper, dtype=np.int64), nref)
    flat = (ok, r_sum, y_sum, pct_rows)
    return ToDate(rows_ref, rows_p, rows_ref, *flat, aligned=True)


def _running(values: npt.NDArray[_G], op: np.ufunc) -> npt.NDArray[_G]:
    """The running ``op`` (add, maximum, logical_or) along each row of a matrix, column
    by column."""
    out = values.copy()
    for k in range(1, values.shape[1]):
        op(out[:, k - 1], out[:, k], out=out[:, k])
    return out


def _every(values: Bools) -> Bools:
    """Whether each row of a boolean matrix is all True, column by column."""
    out = values[:, 0].copy()
    for k in range(1, values.shape[1]):
        out &= values[:, k]
    return out


def _general(
    i_year: Ints,
    is_pct_i: Bools,
    i_ok: Bools,
    real: Realised,
    wanted: Wanted,
    i_ref: Ints,
    nref: int,
    ref_unit: Ints,
) -> ToDate:
    """:func:`to_date` for any chunk."""
    nper, y0, ny = len(wanted.periods), wanted.y0, wanted.ny
    # realisations: which indicator, which months (each period text parsed once per table)
    pidx = real.period.astype(np.intp)
    rref = real.code.astype(np.int64)
    r_year = np.array([p.year for p in real.periods] or [0], np.int64)[pidx]
    r_first = np.array([p.first_month for p in real.periods] or [0], np.int64)[pidx]
    r_last = np.array([p.last_month for p in real.periods] or [0], np.int64)[pidx]

    # indicator-years
    iy = np.full(nref * ny, -1, np.int64)
    inside = (i_year >= y0) & (i_year < y0 + ny)
    iy[i_ref[inside] * ny + (i_year[inside] - y0)] = np.flatnonzero(inside)
    ref_pct = np.zeros(nref, np.bool_)
    ref_pct[i_ref] = is_pct_i

    # realisation rows of the indicator's shape; a reference with any other goes whole to
    # the engine (which converts units, warns, or refuses the row as it would)
    pct_row = ref_pct[rref]
    form = real.form
    unit_ok = (real.unit == 0) | (real.unit == ref_unit[rref])
    shaped = np.where(pct_row, (form & 3) == PERCENT, (form == COUNT) & unit_ok)
    ref_dirty = np.zeros(nref, np.bool_)
    ref_dirty[rref[~shaped]] = True
    amount, y = real.amount, real.y

    # period order within each indicator-year, then running figures to each entry
    keep = (r_year >= y0) & (r_year < y0 + ny)
    reported = real.reported.astype(np.int64)
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
    dirty = (first != prev_last + 1) | (pct_in & (_at(form, order) >= OVER))
    bad = _segmented_sum(dirty.astype(np.int64), gs)
    grp = np.cumsum(start) if m else idx
    latest = np.maximum.accumulate(_at(reported, order) + (grp << 32)) - (grp << 32) if m else idx
    sums: list[tuple[Ints, Bools]] = []
    for col in (_at(amount, order), _at(y, order)):
        total = _segmented_sum(col.astype(np.int64), gs)
        # no running sum can pass 2**61 when the whole column's cannot (one bound)
        bound = float(np.abs(col).max()) * m if m else 0.0
        if bound < LIMIT:
            big = np.zeros(m, np.bool_)
        else:
            big = _segmented_sum(np.abs(col).astype(np.float64), gs) >= LIMIT
        sums.append((total, big))
    (r_total, r_big), (y_total, y_big) = sums

    # every (indicator, period): the entry that ends the period, looked up by its key
    rows_ref = np.repeat(np.arange(nref, dtype=np.int64), nper)
    rows_p = np.tile(np.arange(nper, dtype=np.int64), nref)
    q_year, q_first, q_last = wanted.year[rows_p], wanted.first[rows_p], wanted.last[rows_p]
    gq = rows_ref * ny + (q_year - y0)
    j = iy[gq]
    pos = _ending(g * 16 + last, gq * 16 + q_last, nref * ny * 16)
    # an entry computed from: in period order, unbroken, no sum near int64's end; a
    # sentinel entry at index m, read by the rows with no entry (pos = -1)
    good = np.append((bad == 0) & ~r_big & ~y_big, False)
    first, latest = np.append(first, 0), np.append(latest, 0)
    r_total, y_total = np.append(r_total, 0), np.append(y_total, 0)
    posc = np.where(pos >= 0, pos, m)
    jc = np.where(j >= 0, j, 0)
    ok = good[posc] & ~ref_dirty[rows_ref]
    if len(i_year):
        ok &= (j >= 0) & i_ok[jc] & (first[posc] >= q_first)
        ok &= latest[posc] <= wanted.late[rows_p]
    else:
        ok[:] = False
    y_sum, pct = y_total[posc], ref_pct[rows_ref]
    ok &= ~pct | (y_sum > 0)
    return ToDate(rows_ref, rows_p, jc, ok, r_total[posc], y_sum, pct)


def _ending(keys: Ints, queries: Ints, span: int) -> Ints:
    """The index of the last of the sorted ``keys`` equal to each query (-1: none), the
    keys and queries lying in ``[0, span)``: by a table of the span when it is small,
    else by a binary search."""
    m = len(keys)
    if span > 4 * (m + len(queries)) + 2**16:
        near = np.searchsorted(keys, queries, side="right") - 1
        found = near >= 0
        found[found] = keys[near[found]] == queries[found]
        return np.where(found, near, -1)
    table = np.full(span, -1, np.int32)  # (half the memory to write of int64)
    lasts = np.ones(m, np.bool_)  # the last entry of each key (an overlap repeats one)
    lasts[:-1] = keys[1:] != keys[:-1]
    at = np.flatnonzero(lasts)
    table[keys[at]] = at
    pos: Ints = table[queries].astype(np.int64)
    return pos


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


_N = TypeVar("_N", np.int64, np.float64)


def _segmented_sum(values: npt.NDArray[_N], gs: Ints) -> npt.NDArray[_N]:
    """Running sums restarting at each group (``gs``: the index where each row's group
    starts)."""
    if not len(values):
        return values
    c = np.cumsum(values)
    return c - (c[gs] - values[gs])
