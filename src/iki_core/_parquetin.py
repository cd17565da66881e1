"""A Parquet file of realisations as CSV text, for the realisations reader and the ledger.

A national batch keeps its realisations as Parquet (docs/scale.md); the same file can be
read row by row (:func:`~iki_core.realisations.load_realisations`) and recorded in a
ledger (:func:`~iki_core.tracking.import_realisations`). Each cell becomes text exactly
as an xlsx cell does (:func:`~iki_core._xlsxin.cell_text`): a decimal keeps its digits
(without the zeros its column's scale pads it with: ``12.500`` of a ``decimal(9, 3)``
column is ``"12,5"``), a binary float is read through its shortest decimal form
(``repr``: the float 0.1 is ``"0.1"``), written with the decimal separator of the
language the reader parses; a date is ``2021-10-05``, and in the period column the first
of a month is that month (``2021-07``); a moment with a time of day keeps it
(``2021-10-05T08:30:00``), so that the reader refuses it by name rather than dropping
the time. Rows are numbered as a spreadsheet's: the header is line 1, the first row of
the file line 2. Column names are those of the CSV format (Indonesian names too).

A number in the ``value`` column is read in the unit of the ``unit`` column beside it,
when that cell is filled: ``2`` with ``lusin`` is the text ``"2 lusin"``, as the columnar
path reads the same file (:data:`~iki_core.columnar.REALISATION_SCHEMA`: a decimal value
and its unit). In a CSV file or a workbook the ``unit`` column only reminds the person
filling it of the indicator's unit, and a value carries its own unit in its text.

Reading needs pyarrow, the ``columnar`` extra: ``pip install "iki-core[columnar]"``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from typing import Final

from iki_core._xlsxin import cell_text
from iki_core.errors import InvalidValueError

__all__ = ["PARQUET_MAGIC", "is_parquet", "parquet_to_csv"]

PARQUET_MAGIC: Final = b"PAR1"
"""The first (and last) four bytes of a Parquet file."""
_BATCH: Final = 65_536


def is_parquet(data: bytes) -> bool:
    """Whether ``data`` is a Parquet file: it starts and ends with ``PAR1``.

    >>> is_parquet(b"PAR1...PAR1"), is_parquet(b"indicator,period,value\\n")
    (True, False)
    """
    return len(data) >= 8 and data.startswith(PARQUET_MAGIC) and data.endswith(PARQUET_MAGIC)


def parquet_to_csv(data: bytes, lang: str, aliases: Mapping[str, str]) -> str:
    """The Parquet file ``data`` as comma-separated text (see the module documentation);
    a column is known by its name as the CSV header reads it, lower case, its words
    joined by ``_``, through ``aliases`` (``"periode"`` is ``"period"``). Raises
    :class:`~iki_core.errors.InvalidValueError` when pyarrow is missing, when the bytes
    are not a readable Parquet file, or when a column holds what no CSV cell can
    (nested values, bytes that are not UTF-8), naming the column and the line."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise InvalidValueError(
            field="file",
            expected='pyarrow installed to read a Parquet file (pip install "iki-core[columnar]")',
            value="a Parquet file",
        ) from exc
    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
    except (pa.ArrowException, OSError) as exc:
        raise InvalidValueError(field="file", expected="a Parquet file", value=str(exc)) from exc
    schema = parquet.schema_arrow
    names = schema.names
    # each column's type of value (a dictionary column's, of its values)
    kinds = [f.type.value_type if pa.types.is_dictionary(f.type) else f.type for f in schema]
    for field, kind in zip(schema, kinds, strict=True):
        if pa.types.is_nested(kind):
            raise InvalidValueError(
                field=f"column {field.name}",
                expected="numbers, text or dates (one value a cell)",
                value=str(field.type),
                line=1,
            )
    known = [_known(name, aliases) for name in names]
    periods = [k == "period" for k in known]
    texts = [pa.types.is_string(k) or pa.types.is_large_string(k) for k in kinds]
    value_at = known.index("value") if known.count("value") == 1 else None
    unit_at = known.index("unit") if known.count("unit") == 1 else None
    numeric = (pa.types.is_integer, pa.types.is_floating, pa.types.is_decimal)
    if value_at is not None and not any(is_(kinds[value_at]) for is_ in numeric):
        value_at = None  # a quantity as text carries its own unit
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    line = 2
    try:
        for batch in parquet.iter_batches(batch_size=_BATCH):
            columns = [
                ["" if v is None else v for v in values]
                if texts[i]  # text as it is: the common column, read without a call a cell
                else [_text(v, lang, periods[i], names[i], line + k) for k, v in enumerate(values)]
                for i, values in enumerate(batch.to_pydict().values())
            ]
            if value_at is not None and unit_at is not None:
                columns[value_at] = [
                    f"{v} {u.strip()}" if v and u.strip() else v
                    for v, u in zip(columns[value_at], columns[unit_at], strict=True)
                ]
            writer.writerows(zip(*columns, strict=True))
            line += batch.num_rows
    except (pa.ArrowException, OSError) as exc:  # a damaged page: from the rows it starts
        raise InvalidValueError(
            field="file", expected="a readable Parquet file", value=str(exc), line=line
        ) from exc
    return out.getvalue()


def _known(name: str, aliases: Mapping[str, str]) -> str:
    """A column's name as the CSV header reads it (``"Periode"`` is ``"period"``)."""
    name = "_".join(name.strip().lower().split())
    return aliases.get(name, name)


def _text(value: object, lang: str, period: bool, column: str, line: int) -> str:
    if isinstance(value, dt.datetime) and value.time() != dt.time(0):
        return value.isoformat()  # the time kept: the reader names what it cannot read
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidValueError(
                field=f"column {column}", expected="UTF-8 text", value=value[:40], line=line
            ) from None
    return cell_text(value, "", lang, period)
