"""Achievements over columns: indicators and realisations tables in, a results table out.

:func:`achievements_from_tables` computes what :func:`iki_core.engine.achievements`
computes, one row per indicator (in the order of the indicators table) and period (in the
order given), with the exact kernel (:mod:`iki_core.columnar.kernel`) on every row it
covers and the object engine on the others, so the result is always complete and equal
to the engine's on every row.

**Which rows the kernel computes** (the eligibility rule). A row (indicator, period P of
year Y) is computed by the kernel when all of these hold, and by the engine otherwise:

1. the indicator is a count or a percentage formula aggregated by ``sum`` (event reports,
   ``last``, ``average`` and ``max`` go to the engine);
2. year Y has a single target (not "-", not a range, not missing) written as a number in
   the indicator's unit (or bare), above zero, and every entry of Y's quarterly plan, if
   there is one, likewise or "-"; the period's target (cumulative, as
   :class:`~iki_core.rules.PeriodTarget` states) is above zero;
3. every realisation of the indicator (all years) is of the indicator's shape: a value in
   its unit or bare (counts), X and Y (percentages), nothing negative;
4. the realisations of Y that end by the end of P, in period order, cover the months
   from January to the end of P exactly once (no gap, no overlap), the last of them lies
   within P, none reports X above Y, and none was reported more than
   ``rules.report_grace_days`` after the end of P: the engine would warn otherwise;
5. for percentages sum(Y) > 0; under ``LowerIsBetterFormula.INVERSE`` a realisation above
   zero.

Every row the kernel computes has no warning in the engine either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Final, TypeVar

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from iki_core import engine
from iki_core import rules as _rules
from iki_core.errors import UnknownIndicatorError
from iki_core.model import Document, Objective, Realisation, Sheet
from iki_core.periods import Period
from iki_core.rules import PeriodTarget, Rules

from .kernel import Kernel, KernelResult
from .tables import (
    INDICATOR_SCHEMA,
    REALISATION_SCHEMA,
    decimal_type,
    document_from_indicators,
    indicators_table,
    realisations_from_table,
    realisations_table,
)

__all__ = ["RESULT_COLUMNS", "achievements_from_tables", "achievements_table"]

RESULT_COLUMNS: Final = (
    "reference",
    "period",
    "percent",
    "progress",
    "status",
    "rating",
    "nilai",
    "warnings",
    "path",
)
"""The columns of a results table. ``path`` is ``kernel`` or ``engine``: which computed
the row (the figures are the same either way)."""

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
_STATUSES: Final = tuple(s.value for s in engine.Status)
_LIMIT: Final = float(2**61)
_EPOCH: Final = dt.date(1970, 1, 1)
_NUMBER: Final = r"^(?P<n>[0-9]+(?:,[0-9]+)?)(?: (?P<u>.+))?$"


# --- inputs ------------------------------------------------------------------------------------
def _arrow(data: object, schema: pa.Schema) -> pa.Table:
    """An Arrow table from an Arrow table, a polars or a pandas frame, its columns of
    ``schema`` in their types (a frame loses them: an empty column has no type)."""
    if isinstance(data, pa.Table):
        table = data
    elif callable(getattr(data, "to_arrow", None)):  # polars
        table = data.to_arrow()  # type: ignore[attr-defined]
    else:
        table = pa.Table.from_pandas(data, preserve_index=False)
    assert isinstance(table, pa.Table)
    for field in schema:
        at = table.schema.get_field_index(field.name)
        if at >= 0 and table.schema.field(at).type != field.type:
            column = table.column(at)
            if pa.types.is_dictionary(column.type):
                column = column.cast(column.type.value_type)
            table = table.set_column(at, field, column.cast(field.type))
    return table


def _like(table: pa.Table, data: object) -> object:
    """``table`` as the kind of frame ``data`` is."""
    if isinstance(data, pa.Table):
        return table
    module = type(data).__module__.split(".")[0]
    if module == "polars":
        import polars as pl

        return pl.from_arrow(table)
    return table.to_pandas()


_PLACES: Final = 6
"""Decimals the kernel's integers carry at most; a value with more goes to the engine."""


def _ints(column: pa.ChunkedArray | pa.Array) -> tuple[Ints, Bools]:
    """Decimals x 10**6 as int64 (exact) and where that is possible (False: null, more
    than six decimals or beyond int64)."""
    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    n = len(arr)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.bool_)
    valid = pc.is_valid(arr).to_numpy(zero_copy_only=False)
    try:
        scaled = pc.cast(arr, decimal_type(_PLACES))  # refuses to lose digits
        whole = valid
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        scaled = pc.cast(arr, decimal_type(_PLACES), safe=False)
        back = pc.cast(scaled, arr.type)
        whole = valid & pc.fill_null(pc.equal(back, arr), False).to_numpy(zero_copy_only=False)
    words = np.frombuffer(scaled.buffers()[1], dtype=np.int64)
    words = words[2 * scaled.offset : 2 * (scaled.offset + n)].reshape(n, 2)
    low, high = words[:, 0].copy(), words[:, 1]
    ok = whole & (high == (low >> 63))
    low[~ok] = 0
    return low, ok


def _common_places(columns: Sequence[tuple[Ints, Bools]]) -> int:
    """The fewest decimals that hold every value of ``columns`` (each x 10**6) exactly."""
    for places in range(_PLACES):
        unit = 10 ** (_PLACES - places)
        if all(not (v[ok] % unit).any() for v, ok in columns):
            return places
    return _PLACES


def _parse_amounts(text: pa.ChunkedArray, unit: pa.ChunkedArray) -> tuple[pa.Array, Bools]:
    """Target texts "12,5 orang" in the indicator's unit as decimals; False where the text
    is anything else (a range, another unit, thousands dots: the engine reads those)."""
    found = pc.extract_regex(text.combine_chunks(), _NUMBER)
    number = pc.struct_field(found, "n")
    same_unit = pc.equal(pc.struct_field(found, "u"), unit.combine_chunks())
    ok = pc.fill_null(pc.and_(pc.is_valid(found), same_unit), False)
    number = pc.if_else(ok, pc.replace_substring(number, ",", "."), "0")
    value = pc.cast(number, decimal_type())
    return value, ok.to_numpy(zero_copy_only=False)


# --- the computation ---------------------------------------------------------------------------
def achievements_table(
    document: Document,
    realisations: Iterable[Realisation],
    periods: Iterable[Period],
    rules: Rules | None = None,
) -> pa.Table:
    """:func:`iki_core.engine.achievements` as an Arrow table (:data:`RESULT_COLUMNS`),
    the kernel on the rows it covers and the engine, given ``document`` and the
    realisation objects themselves, on the others."""
    reals = list(realisations)
    table = achievements_from_tables(
        indicators_table(document),
        realisations_table(reals),
        periods,
        rules,
        document=document,
        objects=reals,
    )
    assert isinstance(table, pa.Table)
    return table


def achievements_from_tables(
    indicators: object,
    realisations: object,
    periods: Iterable[Period],
    rules: Rules | None = None,
    *,
    document: Document | None = None,
    objects: Sequence[Realisation] | None = None,
    chunk: int = 32_768,
) -> object:
    """The achievements of the indicators table in each of ``periods`` from the
    realisations table (see :mod:`iki_core.columnar.tables`), as a results table
    (:data:`RESULT_COLUMNS`) of the kind ``realisations`` is: an Arrow table, a polars or
    a pandas frame. ``document`` and ``objects``, when given, are what the tables were
    made of: the engine reads them for the rows the kernel does not compute instead of
    rebuilding them from the tables.

    Indicators are computed ``chunk`` at a time (with their realisations), so that the
    memory a computation needs beyond its inputs and result stays bounded.

    Raises :class:`~iki_core.errors.UnknownIndicatorError` for a realisation naming no
    indicator, as the engine does.
    """
    rules = rules if rules is not None else _rules.DEFAULT_RULES
    ind = _arrow(indicators, INDICATOR_SCHEMA)
    real = _arrow(realisations, REALISATION_SCHEMA)
    wanted = list(dict.fromkeys(periods))
    refs = pc.unique(ind["reference"])
    r_ref = pc.index_in(real["indicator"], value_set=refs)
    if r_ref.null_count:
        unknown = pc.filter(real["indicator"], pc.is_null(r_ref))
        known = refs.to_pylist()
        raise UnknownIndicatorError(sorted(set(unknown.to_pylist()))[0], known=known)
    if len(refs) <= chunk:
        return _like(_tables(ind, real, wanted, rules, document, objects), realisations)
    i_at = pc.index_in(ind["reference"], value_set=refs).to_numpy(zero_copy_only=False)
    r_at = r_ref.to_numpy(zero_copy_only=False)
    parts = []
    for low in range(0, len(refs), chunk):
        high = low + chunk
        part_ind = ind.take(pa.array(np.flatnonzero((i_at >= low) & (i_at < high))))
        part_real = real.take(pa.array(np.flatnonzero((r_at >= low) & (r_at < high))))
        parts.append(_tables(part_ind, part_real, wanted, rules, document, objects))
    return _like(pa.concat_tables(parts), realisations)


def _tables(
    ind: pa.Table,
    real: pa.Table,
    wanted: list[Period],
    rules: Rules,
    document: Document | None,
    objects: Sequence[Realisation] | None,
) -> pa.Table:
    """:func:`achievements_from_tables` on tables whose realisations all name one of
    their indicators."""
    kernel = Kernel(rules)
    refs = pc.unique(ind["reference"])
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
    r_ref = pc.index_in(real["indicator"], value_set=refs)
    rref = pc.fill_null(r_ref, 0).to_numpy(zero_copy_only=False).astype(np.int64)
    coded = real["period"].combine_chunks().dictionary_encode()
    parsed = [Period.parse(str(t), field="period") for t in coded.dictionary.to_pylist()]
    pidx = coded.indices.to_numpy(zero_copy_only=False)
    r_year = np.array([p.year for p in parsed], np.int64)[pidx] if parsed else rref
    r_first = np.array([p.first_month for p in parsed], np.int64)[pidx] if parsed else rref
    r_last = np.array([p.last_month for p in parsed], np.int64)[pidx] if parsed else rref

    # indicator-years: kind, target and plan, in one decimal scale with the realisations
    i_ref = pc.index_in(ind["reference"], value_set=refs).to_numpy(zero_copy_only=False)
    i_year = pc.fill_null(ind["year"], -1).to_numpy(zero_copy_only=False).astype(np.int64)
    kind = ind["kind"].to_numpy(zero_copy_only=False)
    is_pct_i = kind == "percentage"
    unit = ind["unit"]
    target, t_ok = _parse_amounts(pc.fill_null(ind["target_text"], "-"), unit)
    target = pc.if_else(pa.array(t_ok), target, None)
    plan_cols = []
    has_plan = np.zeros(len(ind), np.bool_)
    plan_ok = np.ones(len(ind), np.bool_)
    for q in ("q1", "q2", "q3", "q4"):
        col = ind[q]
        has_plan |= pc.is_valid(col).to_numpy(zero_copy_only=False)
        value, ok = _parse_amounts(pc.fill_null(col, "-"), unit)
        dash = pc.fill_null(pc.equal(col, "-"), True).to_numpy(zero_copy_only=False)
        plan_ok &= ok | dash
        plan_cols.append((value, ok))
    factor = pc.fill_null(ind["factor"], Decimal(100))
    tgt, fits = _ints(target)
    fits &= t_ok
    plan_ints = [_ints(value) for value, _ in plan_cols]
    fnum, f_fits = _ints(factor)
    val, v_ok = _ints(real["value"])
    x, x_ok = _ints(real["numerator"])
    y, y_ok = _ints(real["denominator"])
    places = _common_places(
        [(tgt, fits), (fnum, f_fits), (val, v_ok), (x, x_ok), (y, y_ok)]
        + [(v, f & ok) for (v, f), (_, ok) in zip(plan_ints, plan_cols, strict=True)]
    )
    shift = 10 ** (_PLACES - places)
    tgt, fnum, val, x, y = (a // shift for a in (tgt, fnum, val, x, y))
    i_ok = (
        ((kind == "count") | is_pct_i)
        & (ind["aggregation"].to_numpy(zero_copy_only=False) == "sum")
        & fits
        & (tgt > 0)
        & plan_ok
        & pc.is_null(ind["windows"]).to_numpy(zero_copy_only=False)
    )
    plans = []
    for (v, f), (_, ok) in zip(plan_ints, plan_cols, strict=True):
        i_ok &= f | ~ok
        plans.append(np.where(ok & f, v // shift, -1))  # -1: "-", no entry
    plan = np.stack(plans, axis=1) if len(ind) else np.zeros((0, 4), np.int64)
    i_ok &= f_fits
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
    ind_unit = pc.take(_first_units(unit, i_ref, nref), pa.array(rref))
    unit_ok = pc.or_(pc.equal(r_unit, ""), pc.equal(r_unit, ind_unit)).to_numpy(
        zero_copy_only=False
    )
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
    sel = np.flatnonzero(keep)
    g = rref[sel] * ny + (r_year[sel] - y0)
    order = sel[np.lexsort((reported[sel], r_first[sel], r_last[sel], g))]
    g = rref[order] * ny + (r_year[order] - y0)
    first, last = r_first[order], r_last[order]
    m = len(order)
    start = np.ones(m, np.bool_)
    start[1:] = g[1:] != g[:-1]
    idx = np.arange(m)
    gs = np.maximum.accumulate(np.where(start, idx, 0)) if m else idx
    prev_last = np.zeros(m, np.int64)
    prev_last[1:] = last[:-1]
    prev_last[start] = 0
    dirty = (first != prev_last + 1) | (pct_row[order] & (x[order] > y[order]))
    bad = _segmented_sum(dirty.astype(np.int64), gs)
    grp = np.cumsum(start) if m else idx
    latest = np.maximum.accumulate(reported[order] + (grp << 32)) - (grp << 32) if m else idx
    sums: list[tuple[Ints, Bools]] = []
    for col in (np.where(pct_row[order], x[order], val[order]), y[order]):
        total = _segmented_sum(col.astype(np.int64), gs)
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
    if len(ind):
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
        with_plan = has_plan[jc]
        if with_plan.any():
            pn, pd, p_ok = _plan_targets(plan[jc], q_first, q_last, pct)
            tn = np.where(with_plan, pn, tn)
            td = np.where(with_plan, pd, td)
            ok &= ~with_plan | p_ok
    unit_n = 10**places
    fn = fnum[jc]
    rn = np.where(pct, r_total[posc] * fn, r_total[posc])
    rd = np.where(pct, y_total[posc] * unit_n, 1)
    tdd = np.where(pct, td * unit_n, td)
    ad = np.where(pct, unit_n, 1)
    lower = ind["polarity"].to_numpy(zero_copy_only=False)[jc] == "lower_is_better"
    ok &= kernel.covers(rn, rd, tn, tdd, lower) & kernel.covers(rn, rd, annual, ad, lower)
    ok &= np.abs(r_total[posc]).astype(np.float64) * np.abs(fn).astype(np.float64) < _LIMIT
    return _assemble(
        kernel,
        refs,
        wanted,
        rows_ref,
        rows_p,
        ok,
        (rn, rd, tn, tdd, annual, ad, lower),
        ind,
        real,
        rules,
        document,
        objects,
    )


def _first_units(unit: pa.ChunkedArray, i_ref: npt.NDArray[np.int64], nref: int) -> pa.Array:
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


# --- the results -------------------------------------------------------------------------------
def _decimals(q: Ints, valid: Bools, places: int) -> pa.Array:
    """int64 ``q`` as decimals with ``places`` decimals (q x 10**-places, exactly)."""
    words = np.empty((len(q), 2), np.int64)
    words[:, 0] = q
    words[:, 1] = q >> 63
    mask = pa.array(valid, pa.bool_())
    validity = None if valid.all() else mask.buffers()[1]
    return pa.Array.from_buffers(
        decimal_type(places) if places else pa.decimal128(38, 0),
        len(q),
        [validity, pa.py_buffer(words.tobytes())],
    )


def _scaled(value: Decimal | None, places: int) -> int:
    """A published figure x 10**places (0 for None: its validity bit says so)."""
    return 0 if value is None else int(value.scaleb(places))


def _compute(
    kernel: Kernel, inputs: tuple[Ints, Ints, Ints, Ints, Ints, Ints, Bools], ok: Bools
) -> KernelResult:
    rn, rd, tn, td, an, ad, lower = inputs
    return kernel.compute(
        rn=rn[ok], rd=rd[ok], tn=tn[ok], td=td[ok], an=an[ok], ad=ad[ok], lower=lower[ok]
    )


def _assemble(
    kernel: Kernel,
    refs: pa.Array,
    wanted: list[Period],
    rows_ref: Ints,
    rows_p: Ints,
    ok: Bools,
    inputs: tuple[Ints, Ints, Ints, Ints, Ints, Ints, Bools],
    ind: pa.Table,
    real: pa.Table,
    rules: Rules,
    document: Document | None,
    objects: Sequence[Realisation] | None,
) -> pa.Table:
    n = len(rows_ref)
    places = rules.places
    result = _compute(kernel, inputs, ok)
    if not result.fits.all():  # a figure beyond int64: the engine's
        ok = ok.copy()
        ok[np.flatnonzero(ok)[~result.fits]] = False
        result = _compute(kernel, inputs, ok)
    percent = np.zeros(n, np.int64)
    progress = np.zeros(n, np.int64)
    has_percent = ok.copy()
    has_progress = ok.copy()
    status = np.zeros(n, np.int8)
    rating = np.zeros(n, np.int16)
    has_rating = ok.copy()
    percent[ok] = result.percent
    progress[ok] = result.progress
    status[ok] = np.where(result.achieved, 0, 1)  # _STATUSES order: achieved, not_achieved
    rating[ok] = result.rating
    labels = list(kernel.labels)
    notes: dict[int, tuple[str, ...]] = {}
    scale = rules.scale
    nilai = np.zeros(n, np.int64)
    has_nilai = np.zeros(n, np.bool_)
    if any(b.nilai is not None for b in scale.bands):
        unique, inverse = np.unique(result.percent, return_inverse=True)
        values = [scale.nilai(Decimal(int(u)).scaleb(-places), places) for u in unique]
        nilai[ok] = np.array([_scaled(v, places) for v in values], np.int64)[inverse]
        has_nilai[ok] = np.array([v is not None for v in values], np.bool_)[inverse]
    missing = np.flatnonzero(~ok)
    if len(missing):
        for i, a in _engine_rows(
            missing, refs, wanted, rows_ref, rows_p, ind, real, rules, document, objects
        ):
            has_percent[i] = a.percent is not None
            has_progress[i] = a.progress is not None
            percent[i] = _scaled(a.percent, places)
            progress[i] = _scaled(a.progress, places)
            status[i] = _STATUSES.index(a.status.value)
            if a.rating is not None:
                if a.rating not in labels:
                    labels.append(a.rating)
                rating[i] = labels.index(a.rating)
                has_rating[i] = True
            if a.warnings:
                notes[i] = a.warnings
            has_nilai[i] = a.nilai is not None
            nilai[i] = _scaled(a.nilai, places)
    lengths = np.zeros(n, np.int32)
    if notes:
        at = np.fromiter(notes, np.int64, len(notes))
        lengths[at] = [len(notes[i]) for i in at.tolist()]
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    texts = [w for i in sorted(notes) for w in notes[i]]
    warnings = pa.ListArray.from_arrays(pa.array(offsets), pa.array(texts, pa.string()))
    periods = pa.array([str(p) for p in wanted], pa.string())
    columns = {
        "reference": pc.take(refs, pa.array(rows_ref)),
        "period": pa.DictionaryArray.from_arrays(pa.array(rows_p.astype(np.int32)), periods),
        "percent": _decimals(percent, has_percent, places),
        "progress": _decimals(progress, has_progress, places),
        "status": pa.DictionaryArray.from_arrays(
            pa.array(status), pa.array(list(_STATUSES), pa.string())
        ),
        "rating": pa.DictionaryArray.from_arrays(
            pa.array(rating, mask=~has_rating), pa.array(labels, pa.string())
        ),
        "nilai": _decimals(nilai, has_nilai, places),
        "warnings": warnings,
        "path": pa.DictionaryArray.from_arrays(
            pa.array(np.where(ok, 0, 1).astype(np.int8)), pa.array(["kernel", "engine"])
        ),
    }
    return pa.table(columns)


def _engine_rows(
    missing: Ints,
    refs: pa.Array,
    wanted: list[Period],
    rows_ref: Ints,
    rows_p: Ints,
    ind: pa.Table,
    real: pa.Table,
    rules: Rules,
    document: Document | None,
    objects: Sequence[Realisation] | None,
) -> Iterable[tuple[int, engine.Achievement]]:
    """The achievements of the rows the kernel does not compute, by the object engine on
    the indicators they belong to (every period of those, then the rows picked)."""
    needed = sorted({int(r) for r in rows_ref[missing]})
    names = [str(refs[r]) for r in needed]
    chosen = set(names)
    if document is None:
        mask = pc.is_in(ind["reference"], value_set=pa.array(names))
        sub = document_from_indicators(ind.filter(mask))
    else:
        sub = _subdocument(document, chosen)
    if objects is None:
        reals = realisations_from_table(
            real.filter(pc.is_in(real["indicator"], value_set=pa.array(names)))
        )
    else:
        reals = [r for r in objects if r.indicator in chosen]
    computed = engine.achievements(sub, reals, wanted, rules)
    at = {name: k for k, name in enumerate(ref for ref, _ in sub.references())}
    nper = len(wanted)
    for i in missing:
        k = at[str(refs[int(rows_ref[i])])]
        yield int(i), computed[k * nper + int(rows_p[i])]


def _subdocument(document: Document, references: set[str]) -> Document:
    sheets = []
    for sheet in document.sheets:
        kept = [i for i in sheet.indicators if f"{sheet.number}:{i.id}" in references]
        if kept:
            sheets.append(
                Sheet(sheet.number, sheet.position, objectives=[Objective("1", "", kept)])
            )
    return Document(sheets)
