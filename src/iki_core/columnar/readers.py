"""Bulk readers: realisations from CSV or Parquet straight into columns.

:func:`read_realisations_csv` reads the realisations file of
:mod:`iki_core.realisations` (same columns, Indonesian names, separators and numbers)
with Arrow's multithreaded CSV reader, and parses the cells column by column: a number
written the Indonesian way ("1.250", "95,5", "12 orang") is read by one regular
expression over the whole column, and only the cells it does not match go through the
row reader's own parsers (:func:`iki_core.units.parse_quantity`,
:func:`iki_core.periods.parse_date`), so every cell is read as the row reader reads it.
Every cell that cannot be read is reported at once, with its line, in an
:class:`~iki_core.errors.IkiParseError`. :func:`read_realisations_parquet` reads a file
or a partitioned directory whose columns are either already typed (decimals, dates) or
text like the CSV's.

The result has the columns of :data:`iki_core.columnar.REALISATION_SCHEMA`, ready for
:func:`iki_core.columnar.achievements_from_tables`. Unlike the row reader, the bulk
readers do not check the rows against a document (the achievement computation refuses
an unknown indicator); what they return is every row, exactly as written.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from iki_core.errors import IkiError, IkiParseError
from iki_core.model import Diagnostic
from iki_core.periods import parse_date
from iki_core.realisations import COLUMN_ALIASES, COLUMNS
from iki_core.units import get_registry

from .tables import INDICATOR_SCHEMA, REALISATION_SCHEMA, decimal_type

__all__ = [
    "ALIASES",
    "iter_realisations_parquet",
    "read_indicators_parquet",
    "read_realisations_csv",
    "read_realisations_parquet",
]

ALIASES: Final[Mapping[str, str]] = {k: v for k, v in COLUMN_ALIASES.items() if v in COLUMNS}
"""The Indonesian column names of the realisations file (as the row reader accepts them)."""

_NUMBER: Final = r"(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?"
_QUANTITY: Final = rf"^\s*(?P<n>{_NUMBER})(?:\s+(?P<u>\S.*?))?\s*$"
_ISO_DATE: Final = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*$"


def _sniff(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _name(cell: str) -> str:
    name = "_".join(cell.strip().lower().split())
    return ALIASES.get(name, name)


class _Problems:
    """Every unreadable cell, reported at once with its line."""

    def __init__(self, lines: Sequence[int] | None, source: str | None, first_row: int = 0) -> None:
        self.lines = lines
        self.source = source
        self.first_row = first_row  # the rows before this batch's
        self.found: list[Diagnostic] = []

    def add(self, row: int, code: str, message: str) -> None:
        line = self.lines[row] if self.lines is not None else None
        where = "" if line is not None else f"row {self.first_row + row + 1}: "
        self.found.append(Diagnostic(line, "error", code, where + message))

    def raise_any(self) -> None:
        if self.found:
            raise IkiParseError(self.found, source=self.source)


def _quantities(
    text: pa.Array, column: str, problems: _Problems, *, units: bool
) -> tuple[pa.Array, pa.Array]:
    """Decimals (and the unit names) of a column of numbers written the Indonesian way;
    blank cells are null."""
    text = pc.utf8_trim_whitespace(text)
    blank = pc.fill_null(pc.equal(text, ""), True)
    found = pc.extract_regex(text, _QUANTITY)
    number = pc.replace_substring(
        pc.replace_substring(pc.struct_field(found, "n"), ".", ""), ",", "."
    )
    unit_text = pc.struct_field(found, "u")
    matched = pc.is_valid(found)
    if not units:
        matched = pc.and_(matched, pc.equal(unit_text, ""))
    value = pc.cast(pc.if_else(matched, number, None), decimal_type())
    value = value.to_pylist() if not pc.all(pc.or_(matched, blank)).as_py() else value
    registry = get_registry()
    names: dict[str, str] = {}
    for u in pc.unique(pc.if_else(matched, unit_text, "")).to_pylist():
        if u:
            try:
                names[u] = registry.parse_quantity(f"1 {u}").unit.name
            except IkiError:
                names[u] = u  # a word no definition covers keeps its own unit
    unit = pc.if_else(
        matched,
        pc.take(
            pa.array(["", *names.values()]),
            pc.index_in(unit_text, value_set=pa.array(["", *names])),
        ),
        None,
    )
    if isinstance(value, list):  # cells the expression did not read: the row reader's way
        unit_list = unit.to_pylist()
        cells = text.to_pylist()
        ok, odd = matched.to_pylist(), blank.to_pylist()
        for row, cell in enumerate(cells):
            if ok[row] or odd[row]:
                continue
            try:
                q = registry.parse_quantity(cell, field=column)
            except IkiError as exc:
                problems.add(row, f"bad-{column}", str(exc))
                continue
            if not units and q.unit.name:
                problems.add(row, f"bad-{column}", f"{column}: {cell!r} is not a plain number")
                continue
            value[row] = q.magnitude
            unit_list[row] = q.unit.name
        value = pa.array(value, decimal_type())
        unit = pa.array(unit_list, pa.string())
    return value, unit


def _dates(text: pa.Array, problems: _Problems) -> pa.Array:
    text = pc.utf8_trim_whitespace(text)
    blank = pc.fill_null(pc.equal(text, ""), True)
    iso = pc.fill_null(pc.match_substring_regex(text, _ISO_DATE), False)
    if pc.all(pc.or_(iso, blank)).as_py():
        return pc.cast(pc.strptime(pc.if_else(iso, text, None), "%Y-%m-%d", "s"), pa.date32())
    out: list[dt.date | None] = []
    for row, (cell, empty) in enumerate(zip(text.to_pylist(), blank.to_pylist(), strict=True)):
        if empty:
            out.append(None)
            continue
        try:
            out.append(parse_date(cell, field="reported_on"))
        except IkiError as exc:
            problems.add(row, "bad-date", str(exc))
            out.append(None)
    return pa.array(out, pa.date32())


def _trimmed(col: pa.Array, dictionary: bool) -> pa.Array:
    """A text column without surrounding blanks; a dictionary column trimmed in its
    dictionary only, and kept as one when ``dictionary``."""
    if pa.types.is_dictionary(col.type):
        col = pa.DictionaryArray.from_arrays(col.indices, _trim(col.dictionary))
        return col if dictionary else col.cast(pa.string())
    return _trim(col)


def _trim(col: pa.Array) -> pa.Array:
    """Texts without surrounding blanks: the column itself when none has any (no copy)."""
    text = col.cast(pa.string())
    padded = pc.match_substring_regex(text, r"^\s|\s$")
    return pc.utf8_trim_whitespace(text) if pc.any(padded).as_py() else text


def _normalise(table: pa.Table, problems: _Problems, dictionary: bool = False) -> pa.Table:
    """Text columns as the schema's types, parsed; typed columns cast (``dictionary``:
    the repeated texts, period, unit and note, as dictionary columns)."""
    columns = {}
    n = len(table)
    for name in ("indicator", "period", "note"):
        col = table[name].combine_chunks() if name in table.column_names else None
        columns[name] = (
            _trimmed(col, dictionary and name != "indicator")
            if col is not None
            else pa.nulls(n, pa.string())
        )
    units = None
    for name in ("value", "numerator", "denominator"):
        if name not in table.column_names:
            columns[name] = pa.nulls(n, decimal_type())
            continue
        col = table[name].combine_chunks()
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            value, unit = _quantities(col, name, problems, units=name == "value")
            columns[name] = value
            if name == "value":
                units = unit
        else:
            columns[name] = col.cast(decimal_type())
    if "unit" in table.column_names:
        unit = table["unit"].combine_chunks()
        keep = dictionary and pa.types.is_dictionary(unit.type)
        columns["unit"] = unit if keep else unit.cast(pa.string())
    else:
        columns["unit"] = units if units is not None else pa.nulls(n, pa.string())
    if "reported_on" in table.column_names:
        col = table["reported_on"].combine_chunks()
        columns["reported_on"] = (
            _dates(col, problems) if pa.types.is_string(col.type) else col.cast(pa.date32())
        )
    else:
        columns["reported_on"] = pa.nulls(n, pa.date32())
    problems.raise_any()
    if not dictionary:
        return pa.table([columns[f.name] for f in REALISATION_SCHEMA], schema=REALISATION_SCHEMA)
    return pa.table({f.name: columns[f.name] for f in REALISATION_SCHEMA})


def _data_lines(data: bytes) -> list[int]:
    """The line of each data row (after the header), skipping blank and # lines; only
    read to name lines in a diagnostic."""
    out = []
    header = False
    for number, line in enumerate(io.BytesIO(data), 1):
        s = line.strip()
        if not s or s.startswith(b"#"):
            continue
        if header:
            out.append(number)
        header = True
    return out


def read_realisations_csv(
    path_or_data: str | os.PathLike[str] | bytes, *, source: str | None = None
) -> pa.Table:
    """Read a realisations CSV file (a path, or its bytes) into a realisations table.

    Raises :class:`~iki_core.errors.IkiParseError` naming every unreadable cell, its line
    and column, and a header that lacks ``indicator``, ``period`` or a value column.
    """
    if isinstance(path_or_data, bytes):
        data = path_or_data
    else:
        source = source or str(path_or_data)
        data = Path(path_or_data).read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"#" in data:  # comment lines: Arrow has no notion of them
        data = b"".join(line for line in io.BytesIO(data) if not line.lstrip().startswith(b"#"))
    first = next((line for line in io.BytesIO(data) if line.strip()), b"")
    header = first.decode("utf-8", errors="replace")
    delimiter = _sniff(header)
    names = [_name(c) for c in header.strip().split(delimiter)]
    missing = [c for c in ("indicator", "period") if c not in names]
    if "value" not in names and not {"numerator", "denominator"} <= set(names):
        missing.append("value (or numerator and denominator)")
    if missing:
        raise IkiParseError(
            [
                Diagnostic(1, "error", "missing-column", f"the header has no column {m}")
                for m in missing
            ],
            source=source,
        )
    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
        parse_options=pacsv.ParseOptions(delimiter=delimiter),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False,
            include_columns=[n for n in names if n in COLUMNS],
        ),
    )
    problems = _Problems(None, source)
    try:
        return _normalise(table, problems)
    except IkiParseError:
        lines = _data_lines(data)
        problems = _Problems(lines, source)
        return _normalise(table, problems)


def read_realisations_parquet(
    path: str | os.PathLike[str],
    *,
    filters: object = None,
    columns: Sequence[str] | None = None,
    dictionary: bool = False,
    batch_size: int = 65_536,
) -> pa.Table:
    """Read realisations from a Parquet file or a directory of them (partitioned, e.g.
    ``agency=...``); ``filters`` as :func:`pyarrow.parquet.read_table` takes them.

    The file is read ``batch_size`` rows at a time, each batch parsed before the next is
    read, so that only one batch's raw columns are in memory beside the result.
    ``columns`` names the columns to read (of :data:`~iki_core.columnar.REALISATION_SCHEMA`,
    or their Indonesian names; the others come back empty, e.g. without ``note`` for an
    achievement computation, which does not read it); ``dictionary`` returns the repeated
    texts (period, unit, note) as dictionary columns, a fraction of their memory, which
    :func:`~iki_core.columnar.achievements_from_tables` reads as they are."""
    return _read_parquet(
        path, filters, columns, batch_size, ("period", "unit", "note"), _realisations(dictionary)
    )


def _realisations(dictionary: bool) -> Callable[[pa.Table, int, str], pa.Table]:
    def batch(table: pa.Table, first_row: int, source: str) -> pa.Table:
        renamed = table.rename_columns([_name(c) for c in table.column_names])
        return _normalise(renamed, _Problems(None, source, first_row), dictionary)

    return batch


def read_indicators_parquet(
    path: str | os.PathLike[str],
    *,
    filters: object = None,
    dictionary: bool = True,
    batch_size: int = 65_536,
) -> pa.Table:
    """Read an indicators table (:data:`~iki_core.columnar.INDICATOR_SCHEMA`) from a
    Parquet file or a partitioned directory, ``batch_size`` rows at a time; its repeated
    texts (kind, unit, polarity, aggregation, name, the targets and plans as written,
    windows) as dictionary columns unless ``dictionary`` is False."""
    texts = tuple(
        f.name
        for f in INDICATOR_SCHEMA
        if pa.types.is_string(f.type) and f.name not in ("reference", "id")
    )

    def batch(table: pa.Table, first_row: int, source: str) -> pa.Table:
        out = {}
        for field in INDICATOR_SCHEMA:
            if field.name not in table.column_names:
                out[field.name] = pa.nulls(len(table), field.type)
                continue
            col = table[field.name].combine_chunks()
            if pa.types.is_dictionary(col.type) and dictionary:
                out[field.name] = col.cast(pa.dictionary(pa.int32(), field.type))
            else:
                out[field.name] = col.cast(field.type)
        return pa.table(out)

    return _read_parquet(path, filters, None, batch_size, texts if dictionary else (), batch)


def _read_parquet(
    path: str | os.PathLike[str],
    filters: object,
    columns: Sequence[str] | None,
    batch_size: int,
    texts: Sequence[str],
    parse: Callable[[pa.Table, int, str], pa.Table],
) -> pa.Table:
    """A Parquet file or directory read batch by batch, each batch parsed by ``parse``
    (with the number of rows before it, for diagnostics), as one table."""
    parts = list(_parsed_batches(path, filters, columns, batch_size, texts, parse))
    # the raw batches are gone: hand what Arrow's allocator kept of them back to the
    # system, for the computation that follows
    pa.default_memory_pool().release_unused()
    return pa.concat_tables(parts)


def iter_realisations_parquet(
    path: str | os.PathLike[str],
    *,
    filters: object = None,
    columns: Sequence[str] | None = None,
    dictionary: bool = False,
    batch_size: int = 65_536,
) -> Iterator[pa.Table]:
    """:func:`read_realisations_parquet` one batch at a time: each batch parsed is given
    before the next is read, so that a computation reading them one by one
    (:func:`~iki_core.columnar.achievements_from_parquet`) never holds the whole file.
    The unreadable cells of every batch are reported together, after the last batch."""
    return _parsed_batches(
        path, filters, columns, batch_size, ("period", "unit", "note"), _realisations(dictionary)
    )


def _parsed_batches(
    path: str | os.PathLike[str],
    filters: object,
    columns: Sequence[str] | None,
    batch_size: int,
    texts: Sequence[str],
    parse: Callable[[pa.Table, int, str], pa.Table],
) -> Iterator[pa.Table]:
    """The batches of a Parquet file or directory, each parsed by ``parse``; at least
    one (empty when the file has no rows)."""
    source = str(path)
    coded = [*texts, *map(_alias, texts)]
    wanted = None if columns is None else {_name(c) for c in columns}
    batches: Iterable[pa.RecordBatch]
    if filters is None and Path(path).is_file():  # one file: without the dataset layer
        schema = pq.read_schema(path)
        single = pq.ParquetFile(path, read_dictionary=[c for c in coded if c in schema.names])
        chosen = [n for n in schema.names if wanted is None or _name(n) in wanted]
        # one row group at a time (threads would decode several at once, each in memory)
        batches = single.iter_batches(batch_size, columns=chosen, use_threads=False)
    else:
        import pyarrow.dataset as pads

        fmt = pads.ParquetFileFormat(read_options={"dictionary_columns": coded})
        data = pads.dataset(source, format=fmt, partitioning="hive")
        schema = data.schema
        chosen = [n for n in schema.names if wanted is None or _name(n) in wanted]
        expression = None if filters is None else pq.filters_to_expression(filters)
        batches = data.to_batches(columns=chosen, filter=expression, batch_size=batch_size)
    first_row = 0
    given = 0
    found: list[Diagnostic] = []  # every batch's unreadable cells, reported at once
    for batch in batches:
        try:
            parsed = parse(pa.Table.from_batches([batch]), first_row, source)
        except IkiParseError as exc:
            found += exc.diagnostics
        else:
            given += 1
            yield parsed
        first_row += batch.num_rows
    if found:
        raise IkiParseError(found, source=source)
    if not given:
        empty = pa.Table.from_batches([], schema.empty_table().select(chosen).schema)
        yield parse(empty, 0, source)


def _alias(name: str) -> str:
    """An Indonesian name of a column (the first the row reader accepts), for reading it
    as a dictionary column whichever of the two names the file uses."""
    return next((k for k, v in ALIASES.items() if v == name), name)
