"""Excel workbooks (.xlsx, the lean reader of :mod:`iki_core._xlsxfast`, nothing to
install) and Word documents (.docx, python-docx: ``pip install "iki-core[docx]"``) read
into grids (docs/formats.md, "Spreadsheets, Word and PDF").

A number cell is written as the sheet shows it, through its number format, in the
Indonesian way the target reader expects (a decimal comma):

>>> cell_text(0.855, "0.0%"), cell_text(3.25, "General"), cell_text(1250, "#,##0")
('85,5%', '3,25', '1250')
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

from iki_core._xlsxfast import read_workbook
from iki_core.errors import IkiError, InvalidValueError
from iki_core.loaders.grid import Grid, RowCells, grid_of

__all__ = ["cell_text", "is_docx", "is_xlsx", "read_docx", "read_xlsx"]

_PLACES: Final = re.compile(r"0\.(0+)")


def _zip_members(data: bytes) -> frozenset[str]:
    if not data.startswith(b"PK\x03\x04"):
        return frozenset()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return frozenset(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return frozenset()


def is_xlsx(data: bytes) -> bool:
    """True for a ZIP file holding an Excel workbook (``xl/workbook.xml``)."""
    return data.startswith(b"PK\x03\x04") and "xl/workbook.xml" in _zip_members(data)


def is_docx(data: bytes) -> bool:
    """True for a ZIP file holding a Word document (``word/document.xml``)."""
    return data.startswith(b"PK\x03\x04") and "word/document.xml" in _zip_members(data)


def _decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def cell_text(value: object, number_format: str = "General") -> str:
    """The text of a cell value as its number format shows it (a float is read from its
    shortest decimal form, never kept as a binary fraction)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            return str(value)
        if not number.is_finite():
            return str(value)
        fmt = number_format or "General"
        percent = "%" in fmt
        if percent:
            number *= 100
        m = _PLACES.search(fmt)
        if m is not None:
            number = number.quantize(Decimal(1).scaleb(-len(m.group(1))), ROUND_HALF_UP)
            text = format(number, "f").replace(".", ",")
        elif fmt != "General" and "0" in fmt and "." not in fmt:
            text = format(number.quantize(Decimal(1), ROUND_HALF_UP), "f")
        else:
            text = _decimal_text(number)
        return text + "%" if percent else text
    return str(value)


def _refuse(kind: str, exc: BaseException) -> InvalidValueError:
    return InvalidValueError(field="file", expected=kind, value=f"{type(exc).__name__}: {exc}")


def read_xlsx(data: bytes) -> tuple[Grid, ...]:
    """One grid per worksheet, streamed by the lean reader of :mod:`iki_core._xlsxfast`
    (a 10,000-row sheet reads in about a second); a merged range's text is in its first
    cell, which spans the range, the cells it covers are empty."""
    if not is_xlsx(data):
        raise InvalidValueError(
            field="file", expected="an Excel workbook (.xlsx)", value=_head(data)
        )
    grids = []
    for ws in read_workbook(data):
        spans = {
            (top, left): (bottom - top + 1, right - left + 1)
            for top, left, bottom, right in ws.merged
        }
        rows: list[tuple[int, RowCells]] = []
        out: list[tuple[int, str, int, int]] = []
        line = 0
        for row, column, value, fmt in ws.cells:
            if row != line:
                if out:
                    rows.append((line, out))
                out, line = [], row
            rs, cs = spans.get((row, column), (1, 1))
            out.append((column, cell_text(value, fmt), rs, cs))
        if out:
            rows.append((line, out))
        grids.append(grid_of(f"worksheet {ws.title!r}", rows))
    return tuple(grids)


def _head(data: bytes) -> str:
    return repr(data[:8]) + (f" ({len(data)} bytes)" if len(data) > 8 else "")


def read_docx(data: bytes) -> tuple[Grid, ...]:
    """One grid for the body of a Word document: each paragraph a line, each table row
    a row of cells (a cell spanning columns counts once), numbered in reading order."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        raise _refuse('an installed reader (pip install "iki-core[docx]")', exc) from exc
    if not is_docx(data):
        raise InvalidValueError(field="file", expected="a Word document (.docx)", value=_head(data))
    try:
        document = docx.Document(io.BytesIO(data))
        rows: list[tuple[int, RowCells]] = []
        line = 0
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                for part in block.text.split("\n"):
                    line += 1
                    rows.append((line, [(1, part, 1, 1)]))
                continue
            assert isinstance(block, Table)
            above: list[object] = []
            for row in block.rows:
                line += 1
                out: list[tuple[int, str, int, int]] = []
                seen: list[object] = []
                for c, cell in enumerate(row.cells, start=1):
                    tc = cell._tc
                    if tc in seen:
                        continue
                    seen.append(tc)
                    span = sum(1 for x in row.cells if x._tc is tc)
                    taken = c - 1 < len(above) and above[c - 1] is tc
                    text = "" if taken else "\n".join(p.text for p in cell.paragraphs)
                    out.append((c, text, 1, span))
                above = [x._tc for x in row.cells]
                rows.append((line, out))
            line += 1
            rows.append((line, []))
    except IkiError:
        raise
    except Exception as exc:  # a damaged document fails in many ways inside python-docx
        raise _refuse("a Word document (.docx)", exc) from exc
    return (grid_of("document", rows),)
