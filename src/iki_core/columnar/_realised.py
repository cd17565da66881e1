"""Realisations as the kernel's integer columns, read once for the whole table, batch by
batch.

:class:`Collector` takes a realisations table (or the batches of a file, one after the
other) and keeps of each row only what the routing reads, about 29 bytes: the run of
equal references it belongs to (resolved to the indicator's index at the end, one match
per run), its period (an index among the distinct period texts, each parsed once), the
amount x 10**6 (the value of a count, X of a percentage), Y x 10**6, the day it was
reported, its form and its unit (an index among the distinct unit texts). The Arrow rows
themselves can then be dropped: the engine reads back only the realisations of the
indicators it computes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from iki_core.errors import UnknownIndicatorError
from iki_core.periods import Period

from ._amounts import PLACES, Ints, fractions, ints, present

__all__ = ["COUNT", "NOT_REPORTED", "OTHER", "OVER", "PERCENT", "Collector", "Realised", "runs"]

COUNT: Final = 0
"""Form of a row with a value and no X (a count's shape), nothing negative."""
PERCENT: Final = 1
"""Form of a row with X and Y and no value (a percentage's shape), nothing negative."""
OTHER: Final = 2
"""Form of any other row (the engine reads it: it converts, warns or refuses)."""
OVER: Final = 4
"""Added to :data:`PERCENT` where X is above Y."""
NOT_REPORTED: Final = -(2**30)
"""The report day of a row without one (never late)."""
_KINDS: Final = (np.int32, np.int16, np.int64, np.int64, np.int32, np.int8, np.int16)
BATCH: Final = 65_536
"""Rows read at a time."""


@attrs.frozen
class Realised:
    """The realisations' integer columns, one entry per row: ``code`` (the indicator's
    index among the references), ``period`` (index into ``periods``), ``amount`` and ``y``
    (x 10**6, or x 10**places once :meth:`rescale`), ``reported`` (days since
    1970-01-01), ``form`` (:data:`COUNT`, :data:`PERCENT`, plus :data:`OVER`, or
    :data:`OTHER`) and ``unit`` (index into ``units``; 0 is no unit, "")."""

    code: npt.NDArray[np.int32]
    period: npt.NDArray[np.int16]
    amount: Ints
    y: Ints
    reported: npt.NDArray[np.int32]
    form: npt.NDArray[np.int8]
    unit: npt.NDArray[np.int16]
    periods: Sequence[Period]
    units: Sequence[str]
    places: int
    """The fewest decimals that hold every amount and Y."""

    def rows(self, at: slice | Ints) -> Realised:
        """The rows ``at`` (a slice, or indices)."""
        return attrs.evolve(
            self,
            code=self.code[at],
            period=self.period[at],
            amount=self.amount[at],
            y=self.y[at],
            reported=self.reported[at],
            form=self.form[at],
            unit=self.unit[at],
        )

    def rescale(self, places: int) -> None:
        """Make the amounts x 10**``places`` (``places`` >= :attr:`places`), exactly, in
        place (the columns are the collector's own)."""
        shift = 10 ** (PLACES - places)
        if shift > 1:
            np.floor_divide(self.amount, shift, out=self.amount)
            np.floor_divide(self.y, shift, out=self.y)


class Collector:
    """The integer columns of realisations, added table by table (:meth:`add`) and
    resolved against the indicators' references at the end (:meth:`finish`)."""

    def __init__(self, rows: int = 0) -> None:
        """``rows``: the number of rows expected (when known, as a Parquet file's
        metadata or a table tells it), whose columns are allocated at once and filled
        batch by batch; any more are kept batch by batch and joined at the end."""
        self._heads: list[pa.Array] = []
        # the kept columns: run, period, amount, y, reported, form, unit
        self._full = [np.empty(rows, kind) for kind in _KINDS]
        self._filled = 0
        self._columns: list[list[npt.NDArray[np.generic]]] = [[] for _ in _KINDS]
        self._run_count = 0
        self._period_at: dict[str, int] = {}
        self._unit_at: dict[str, int] = {"": 0}
        self._places = 0  # the decimals the amounts need

    def add(self, table: pa.Table) -> None:
        """Read the rows of ``table`` (:data:`~iki_core.columnar.REALISATION_SCHEMA`
        columns; ``unit`` and ``reported_on`` optional), :data:`BATCH` rows at a time:
        the arrays of a batch are small enough to be reused from one batch to the next
        (the allocator maps and zeroes fresh pages for every large one)."""
        for low in range(0, len(table), BATCH):
            self._add(table.slice(low, BATCH))

    def _add(self, table: pa.Table) -> None:
        n = len(table)
        if not n:
            return
        heads, run = runs(table["indicator"])
        self._heads.append(heads)
        run += self._run_count
        self._run_count += len(heads)
        period = _indices(table["period"], self._period_at).astype(np.int16)
        names = table.column_names
        unit = np.zeros(n, np.int16)  # 0: no unit, ""
        if "unit" in names:
            column = table["unit"]
            if pa.types.is_dictionary(column.type):
                unit = _indices(column, self._unit_at).astype(np.int16)
            else:  # most rows have none (a bare count, a percentage): read the others
                written = pc.fill_null(pc.not_equal(column, ""), False)
                at = np.flatnonzero(written.to_numpy(zero_copy_only=False))
                if len(at):
                    some = column.take(pa.array(at))
                    unit[at] = _indices(some, self._unit_at)
        v_valid = present(table["value"])
        x_valid = present(table["numerator"])
        value, v_ok = ints(table["value"], v_valid)
        x, x_ok = ints(table["numerator"], x_valid)
        y, y_ok = ints(table["denominator"])
        fine = (value >= 0) & (x >= 0) & (y >= 0)  # 0 where not read
        count = v_ok & ~x_valid & fine
        percent = x_ok & y_ok & ~v_valid & fine
        # by products on the masks (numpy assigns through a mask several times slower):
        # the forms, the value of a count or X of a percentage (0 where not read), Y
        form = (percent & (x > y)).view(np.int8) * np.int8(OVER)
        form += percent.view(np.int8) * np.int8(PERCENT - OTHER)
        form += count.view(np.int8) * np.int8(COUNT - OTHER)
        form += np.int8(OTHER)
        amount = value * count + x * percent
        y *= percent
        if "reported_on" in names:
            rep = pc.cast(table["reported_on"], pa.int32())
            reported = pc.fill_null(rep, NOT_REPORTED).to_numpy(zero_copy_only=False)
        else:
            reported = np.full(n, NOT_REPORTED, np.int32)
        for column in (amount, y):  # the decimals they need: those of the nonzero rests
            self._places = max(self._places, _places_of(fractions(column)))
        kept = (run, period, amount, y, reported, form, unit)
        low = self._filled
        if low + n <= len(self._full[0]):
            for column, full in zip(kept, self._full, strict=True):
                full[low : low + n] = column
            self._filled += n
        else:
            for column, batches, kind in zip(kept, self._columns, _KINDS, strict=True):
                batches.append(column.astype(kind, copy=False))

    def needed_places(self) -> int:
        """The fewest decimals that hold every amount and Y read so far."""
        return self._places

    def finish(self, refs: pa.Array) -> Realised:
        """The columns, each row's run resolved to its reference's index in ``refs``.
        Raises :class:`~iki_core.errors.UnknownIndicatorError` for a realisation naming
        no indicator, as the engine does."""
        heads = pa.concat_arrays(self._heads) if self._heads else pa.array([], refs.type)
        same = len(heads) == len(refs) and not heads.null_count
        if same and pc.all(pc.equal(heads, refs)).as_py() is True:
            at = np.arange(len(heads), dtype=np.int32)
        else:
            found = pc.fill_null(pc.index_in(heads, value_set=refs), -1)
            at = np.asarray(found.to_numpy(zero_copy_only=False), np.int32)
            if (at < 0).any():
                unknown = heads.filter(pa.array(at < 0))
                raise UnknownIndicatorError(
                    str(sorted(set(unknown.to_pylist()))[0]),
                    known=[str(r) for r in refs.to_pylist()],
                )
        columns = []
        for k in range(len(_KINDS)):  # one column at a time, its batches freed after it
            full, batches = self._full[k][: self._filled], self._columns[k]
            self._full[k], self._columns[k] = self._full[k][:0], []
            columns.append(np.concatenate([full, *batches]) if batches else full)
            del full, batches
        run, *columns = columns
        code = at[run]
        del run
        periods = [Period.parse(t, field="period") for t in self._period_at]
        period, amount, y, reported, form, unit = columns
        return Realised(
            code,
            period.astype(np.int16, copy=False),
            amount.astype(np.int64, copy=False),
            y.astype(np.int64, copy=False),
            reported.astype(np.int32, copy=False),
            form.astype(np.int8, copy=False),
            unit.astype(np.int16, copy=False),
            periods,
            list(self._unit_at),
            self.needed_places(),
        )


def _places_of(rests: Ints) -> int:
    """The fewest decimals that hold values whose rests modulo 10**6 are ``rests``."""
    for places in range(PLACES):
        if not (rests % 10 ** (PLACES - places)).any():
            return places
    return PLACES


def _indices(column: pa.ChunkedArray, known: dict[str, int]) -> Ints:
    """Each row's index among the distinct texts of ``known`` (extended with the new
    ones; null reads as "")."""
    arr = column.combine_chunks()
    if pa.types.is_dictionary(arr.type):
        words, idx = arr.dictionary, arr.indices
    elif known and not arr.null_count:  # the texts seen so far: looked up, not inserted
        hit = pc.index_in(arr, value_set=pa.array(list(known), arr.type))
        if not hit.null_count:
            seen: Ints = np.asarray(hit.to_numpy(zero_copy_only=False), np.int64)
            return seen
        coded = arr.dictionary_encode()
        words, idx = coded.dictionary, coded.indices
    else:
        coded = arr.dictionary_encode()
        words, idx = coded.dictionary, coded.indices
    texts = [w if w is not None else "" for w in words.to_pylist()]
    lookup = np.array([known.setdefault(t, len(known)) for t in texts] or [0], np.int64)
    if not idx.null_count:
        found: Ints = lookup[np.asarray(idx.to_numpy(zero_copy_only=False), np.int64)]
        return found
    null = known.setdefault("", len(known))
    indices = pc.fill_null(idx, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    out: Ints = lookup[np.maximum(indices, 0)]
    out[indices < 0] = null
    return out


def runs(column: pa.ChunkedArray) -> tuple[pa.Array, Ints]:
    """The first value of each run of equal values of a column (texts or integer codes),
    and each row's run (chunk by chunk: the column is not copied)."""
    starts = []
    heads = []
    for chunk in column.chunks:
        if not len(chunk):
            continue
        values = chunk.indices if pa.types.is_dictionary(chunk.type) else chunk
        start = np.ones(len(chunk), np.bool_)
        if len(chunk) > 1:
            same = pc.equal(values.slice(1), values.slice(0, len(chunk) - 1))
            start[1:] = ~np.asarray(pc.fill_null(same, False).to_numpy(zero_copy_only=False))
        head = chunk.filter(pa.array(start))
        if pa.types.is_dictionary(head.type):
            head = head.cast(head.type.value_type)
        starts.append(start)
        heads.append(head)
    if not starts:
        return pa.array([], pa.string()), np.zeros(0, np.int64)
    run = np.cumsum(np.concatenate(starts), dtype=np.int64) - 1
    return pa.concat_arrays(heads), run
