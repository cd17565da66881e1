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
2. year Y has a single target or a range ("80-90 persen"; not "-", not missing) written as
   numbers in the indicator's unit (or bare), and every entry of Y's quarterly plan, if
   there is one, a single number likewise or "-"; a range is met as
   :class:`~iki_core.rules.RangeRule` says (the bound compared with, or 100% inside it;
   a realisation of 0 inside a range from 0 goes to the engine); a target of 0 (the
   year's, or a period's under the plan, as
   :class:`~iki_core.rules.PeriodTarget` states) gives the figure of the zero rules
   (:class:`~iki_core.rules.ZeroTargetHigher`, :class:`~iki_core.rules.ZeroTargetLower`),
   as the engine does;
3. every realisation of the indicator (all years) is of the indicator's shape: a value in
   its unit or bare (counts), X and Y (percentages), nothing negative;
4. the realisations of Y that end by the end of P, in period order, cover the months
   from January to the end of P exactly once (no gap, no overlap), the last of them lies
   within P, none reports X above Y, and none was reported more than
   ``rules.report_grace_days`` after the end of P: the engine would warn otherwise;
5. for percentages sum(Y) > 0; under ``LowerIsBetterFormula.INVERSE`` a realisation above
   zero (or a target of 0).

The chunks of a table written indicator by indicator, one row per indicator, its
realisations one per period wanted and in order (the periods following one another from
January: the quarters, the months, the semesters or the year) are *aligned*: their
realisation rows are the result rows, and rule 4 is read along each indicator's row
without sorting or looking an entry up (:mod:`iki_core.columnar._to_date`).

Text columns may be dictionaries (categoricals, as
:func:`~iki_core.columnar.readers.read_indicators_parquet` gives them); the results'
``reference`` and ``period`` are dictionary columns.

Every row the kernel computes has no warning in the engine either.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from iki_core import rules as _rules
from iki_core.model import Document, Realisation
from iki_core.periods import Period
from iki_core.rules import Rules

from ._realised import Collector, Realised
from ._results import Fetch, Results
from ._route import IndicatorColumns, indicator_codes, route, unit_codes
from .kernel import Kernel
from .tables import (
    INDICATOR_SCHEMA,
    REALISATION_SCHEMA,
    indicators_table,
    realisations_table,
)

__all__ = [
    "COMPUTED",
    "RESULT_COLUMNS",
    "achievements_from_parquet",
    "achievements_from_tables",
    "achievements_table",
]

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


# --- inputs ------------------------------------------------------------------------------------
def _arrow(data: object, schema: pa.Schema, key: str) -> pa.Table:
    """An Arrow table from an Arrow table, a polars or a pandas frame, its columns of
    ``schema`` in their types (a frame loses them: an empty column has no type); a text
    column may stay a dictionary of texts (categorical), which the computation reads as
    it is, and the ``key`` column (the indicator's reference) an integer code, as int64."""
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
            if field.name == key and _integer(column.type):
                table = table.set_column(at, field.name, column.cast(pa.int64()))
                continue
            if pa.types.is_dictionary(column.type):
                if column.type.value_type == field.type:
                    continue
                column = column.cast(column.type.value_type)
            table = table.set_column(at, field, column.cast(field.type))
    return table


def _integer(kind: pa.DataType) -> bool:
    """An integer type, or a dictionary of integers."""
    if pa.types.is_dictionary(kind):
        return bool(pa.types.is_integer(kind.value_type))
    return bool(pa.types.is_integer(kind))


def _keys(ind: pa.Table, real: pa.Table) -> tuple[pa.Table, pa.Table]:
    """The tables with references of one type: integer codes on both sides stay codes
    (matched as numbers, no text compared); an integer code facing text references
    is read as its text ("17"), as before integer codes were accepted."""
    ref, named = ind["reference"], real["indicator"]
    if _integer(ref.type) == _integer(named.type):
        return ind, real
    if _integer(ref.type):
        at = ind.schema.get_field_index("reference")
        return ind.set_column(at, "reference", ref.cast(pa.string())), real
    at = real.schema.get_field_index("indicator")
    return ind, real.set_column(at, "indicator", named.cast(pa.string()))


def _like(table: pa.Table, data: object) -> object:
    """``table`` as the kind of frame ``data`` is."""
    if isinstance(data, pa.Table):
        return table
    module = type(data).__module__.split(".")[0]
    if module == "polars":
        import polars as pl

        return pl.from_arrow(table)
    return table.to_pandas()


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
    chunk: int = 8_192,
) -> object:
    """The achievements of the indicators table in each of ``periods`` from the
    realisations table (see :mod:`iki_core.columnar.tables`), as a results table
    (:data:`RESULT_COLUMNS`) of the kind ``realisations`` is: an Arrow table, a polars or
    a pandas frame. ``document`` and ``objects``, when given, are what the tables were
    made of: the engine reads them for the rows the kernel does not compute instead of
    rebuilding them from the tables.

    Indicators are computed ``chunk`` at a time (with their realisations), so that the
    memory a computation needs beyond its inputs and result stays bounded. The
    references may be integer codes on both sides (``reference`` and ``indicator``):
    they are matched as numbers, and the results give them (see
    :mod:`iki_core.columnar.tables`).

    Raises :class:`~iki_core.errors.UnknownIndicatorError` for a realisation naming no
    indicator, as the engine does.
    """
    rules = rules if rules is not None else _rules.DEFAULT_RULES
    ind = _arrow(indicators, INDICATOR_SCHEMA, "reference")
    real = _arrow(realisations, REALISATION_SCHEMA, "indicator")
    ind, real = _keys(ind, real)
    collector = Collector(len(real))
    collector.add(real)
    refs, i_ref = indicator_codes(ind)
    held = Held(ind, collector.finish(refs))
    assert held.realised is not None
    code = held.realised.code  # (the rows' references: the engine's rows are taken by them)

    def fetch(names: pa.Array) -> tuple[pa.Table, pa.Table]:
        engine_ref = np.zeros(len(refs), np.bool_)
        engine_ref[pc.index_in(names, value_set=refs).to_numpy(zero_copy_only=False)] = True
        rows = np.flatnonzero(engine_ref[code])
        return ind.filter(pa.array(engine_ref[i_ref])), real.take(pa.array(rows))

    table = compute(
        held,
        refs,
        i_ref,
        list(dict.fromkeys(periods)),
        rules,
        fetch,
        document=document,
        objects=objects,
        chunk=chunk,
    )
    return _like(table, realisations)


COMPUTED: Final = (
    "indicator",
    "period",
    "value",
    "unit",
    "numerator",
    "denominator",
    "reported_on",
)
"""The realisation columns an achievement computation reads (not ``note``)."""


def achievements_from_parquet(
    indicators: str | os.PathLike[str],
    realisations: str | os.PathLike[str],
    periods: Iterable[Period],
    rules: Rules | None = None,
    *,
    batch_size: int = 65_536,
    chunk: int = 8_192,
) -> pa.Table:
    """:func:`achievements_from_tables` from Parquet files (or directories of them), in
    bounded memory: the indicators are read whole (their texts as dictionaries), the
    realisations ``batch_size`` rows at a time, only the columns computed (not ``note``),
    each batch turned into the kernel's integer columns (about 29 bytes a row) before
    the next is read; the realisations of the indicators the engine computes (a late or
    missing report, a range target) are read again from the file, those only."""
    from .readers import iter_realisations_parquet, read_indicators_parquet

    rules = rules if rules is not None else _rules.DEFAULT_RULES
    ind = read_indicators_parquet(indicators)
    refs, i_ref = indicator_codes(ind)
    collector = Collector(_row_count(realisations))
    pool = pa.default_memory_pool()
    for batch in iter_realisations_parquet(
        realisations, columns=COMPUTED, dictionary=True, batch_size=batch_size
    ):
        collector.add(batch)
        del batch
        pool.release_unused()  # the batch's memory, back to the system before the next
    held = Held(ind, collector.finish(refs))
    del collector, ind  # (the computation frees them once read)

    def fetch(names: pa.Array) -> tuple[pa.Table, pa.Table]:
        mine = read_indicators_parquet(indicators, filters=[("reference", "in", names)])
        parts = [
            batch.filter(pc.is_in(batch["indicator"], value_set=names))
            for batch in iter_realisations_parquet(realisations, batch_size=batch_size)
        ]
        return mine, pa.concat_tables(parts)

    wanted = list(dict.fromkeys(periods))
    return compute(held, refs, i_ref, wanted, rules, fetch, chunk=chunk)


def _row_count(path: str | os.PathLike[str]) -> int:
    """The rows of a Parquet file or directory, from its metadata."""
    import pyarrow.dataset as pads
    import pyarrow.parquet as pq

    if Path(path).is_file():
        return int(pq.ParquetFile(path).metadata.num_rows)
    return int(pads.dataset(str(path), format="parquet", partitioning="hive").count_rows())


@attrs.define
class Held:
    """The indicators table and the realisations' integer columns a computation reads
    first; :func:`compute` lets go of them once read, so that they are freed then
    unless the caller keeps them."""

    ind: pa.Table | None
    realised: Realised | None


def compute(
    held: Held,
    refs: pa.Array,
    i_ref: Ints,
    wanted: list[Period],
    rules: Rules,
    fetch: Fetch | None,
    *,
    document: Document | None = None,
    objects: Sequence[Realisation] | None = None,
    chunk: int = 8_192,
) -> pa.Table:
    """The results table of the indicators (their references ``refs``, each
    row's index among them ``i_ref``) from the realisations' integer columns (both
    ``held``, let go of once read), ``chunk`` references
    at a time; the engine's rows from ``document`` and ``objects``, or the tables
    ``fetch`` gives."""
    ind, realised = held.ind, held.realised
    assert ind is not None
    assert realised is not None
    held.ind = held.realised = None
    columns = IndicatorColumns.of(ind)  # the indicators' texts read once, not per chunk
    del ind
    pa.default_memory_pool().release_unused()  # what Arrow freed, back to the system
    places = max(columns.needed_places(), realised.places)
    columns = columns.rescaled(places)
    if rules.period_target is not _rules.PeriodTarget.ANNUAL:
        columns = columns.planned(wanted)
    realised.rescale(places)
    ref_unit = unit_codes(columns.unit, i_ref, len(refs), list(realised.units))
    kernel = Kernel(rules)
    results = Results(kernel, wanted, rules)
    _put_chunks(results, columns, realised, i_ref, len(refs), wanted, kernel, ref_unit, chunk)
    del realised, columns  # before the engine's rows
    results.complete(refs, fetch, document, objects)
    return results.table(refs)


Ints = npt.NDArray[np.int64]


def _put_chunks(
    results: Results,
    columns: IndicatorColumns,
    realised: Realised,
    i_ref: Ints,
    nref: int,
    wanted: list[Period],
    kernel: Kernel,
    ref_unit: Ints,
    chunk: int,
) -> None:
    """The kernel's rows, ``chunk`` references at a time."""
    i_part, r_part = _Parts(i_ref), _Parts(realised.code)
    if not r_part.ordered:  # once, so that each chunk's rows are a slice
        realised = realised.rows(np.argsort(realised.code, kind="stable"))
        r_part = _Parts(realised.code)
    for low in range(0, nref, chunk):
        high = min(low + chunk, nref)
        i_rows, i_codes = i_part.rows(low, high)
        r_rows, _ = r_part.rows(low, high)
        mine = realised.rows(r_rows)
        if low:
            mine = attrs.evolve(mine, code=mine.code - np.int32(low))
        part = columns if (low, high) == (0, nref) else columns.rows(i_rows)
        routed = route(part, mine, wanted, kernel, i_codes, high - low, ref_unit[low:high])
        results.put(low, routed)


class _Parts:
    """The rows whose codes lie in a range, with their codes less the range's start: a
    slice (no copy) when the codes never decrease, as in a table written indicator by
    indicator, else their indices."""

    def __init__(self, codes: npt.NDArray[np.int64] | npt.NDArray[np.int32]) -> None:
        self.codes = codes
        self.ordered = bool(len(codes) < 2 or (codes[1:] >= codes[:-1]).all())

    def rows(self, low: int, high: int) -> tuple[slice | Ints, Ints]:
        """The rows of the codes from ``low`` to ``high`` (a slice or their indices) and
        their codes less ``low``."""
        codes = self.codes
        if self.ordered:
            bounds = np.array([low, high], codes.dtype)  # of the codes' type: no cast of them
            first, last = (int(v) for v in np.searchsorted(codes, bounds))
            return slice(first, last), codes[first:last].astype(np.int64) - low
        at = np.flatnonzero((codes >= low) & (codes < high))
        return at, codes[at].astype(np.int64) - low
