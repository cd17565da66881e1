"""The first worksheet of an xlsx workbook as CSV text, for the realisations reader.

Each cell becomes the text a person sees, never a binary float: a number is read through
its shortest decimal form (``repr``: the float 0.1 is ``"0.1"``, not
``0.1000000000000000055...``), times 100 with a ``%`` when its number format is a
percentage (0.95 shown as "95%" is ``"95%"``), then written with the decimal separator
of the language the reader parses (``"95,5"`` in Indonesian, ``"95.5"`` in English) and
no grouping. A date is written ``2021-10-05``; in the period column, the first of a
month (what a spreadsheet makes of "Juli 2021" or "2021-07") is that month,
``2021-07``. Rows keep their numbers: row 5 of the worksheet is line 5 of the text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import IO

from iki_core._xlsxfast import Value, read_workbook
from iki_core.errors import InvalidValueError

__all__ = ["XLSX_MAGIC", "cell_text", "number_text", "xlsx_to_csv"]

XLSX_MAGIC = b"PK\x03\x04"
"""The first bytes of an xlsx file (a zip archive)."""
MAX_CELLS = 50_000_000
"""The most cells (rows times columns, from A1) a worksheet of realisations may span: a
file with one cell in A1 and one in XFD1048576 is refused, not padded to 17 billion."""


def number_text(value: int | float | Decimal, number_format: str, lang: str) -> str:
    """A number cell as text: exact, percent-aware, with ``lang``'s decimal separator.

    >>> number_text(0.955, "0.0%", "id"), number_text(1250.5, "#,##0.0", "en")
    ('95,5%', '1250.5')
    """
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    percent = "%" in number_format
    if percent:
        number *= 100
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    text = format(number, "f")
    if lang != "en":
        text = text.replace(".", ",")
    return text + ("%" if percent else "")


def cell_text(value: object, number_format: str, lang: str, period: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return number_text(value, number_format, lang)
    if isinstance(value, dt.datetime | dt.date):
        if period and value.day == 1:
            return f"{value.year}-{value.month:02d}"
        return value.strftime("%Y-%m-%d")
    return str(value)


def xlsx_to_csv(data: bytes | IO[bytes], lang: str, period_names: frozenset[str]) -> str:
    """The first worksheet of the workbook ``data`` as comma-separated text; a column
    whose header (lower case) is in ``period_names`` is read as periods. Read by the lean
    reader of :mod:`iki_core._xlsxfast` (bytes that are not a workbook raise
    :class:`~iki_core.errors.InvalidValueError`): every row from the first to the last
    filled one, each as wide as the widest."""
    raw = data if isinstance(data, bytes) else data.read()
    sheets = read_workbook(raw)
    if not sheets or not sheets[0].cells:
        return ""
    cells = sheets[0].cells
    height = max(row for row, _, _, _ in cells)
    width = max(column for _, column, _, _ in cells)
    if height * width > MAX_CELLS:
        raise InvalidValueError(
            field="file",
            expected=f"a worksheet of at most {MAX_CELLS:,} cells from A1 to its last cell",
            value=f"{height:,} rows of {width:,} columns",
        )
    by_row: dict[int, dict[int, tuple[Value, str]]] = {}
    for row, column, value, fmt in cells:
        by_row.setdefault(row, {})[column] = (value, fmt)
    first = by_row.get(1, {})
    period_at = {
        column - 1
        for column, (value, _) in first.items()
        if isinstance(value, str) and value.strip().lower() in period_names
    }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([""] * width)
    empty = out.getvalue()  # an empty row, as the writer writes it
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in range(1, height + 1):
        found = by_row.get(row)
        if found is None:
            out.write(empty)
            continue
        texts = [""] * width
        for column, (value, fmt) in found.items():
            texts[column - 1] = cell_text(value, fmt, lang, column - 1 in period_at)
        writer.writerow(texts)
    return out.getvalue()
