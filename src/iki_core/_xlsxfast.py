"""A lean reader of xlsx workbooks: the cell values of each worksheet and its merged
ranges, streamed from the zip archive with :mod:`xml.etree.ElementTree` ``iterparse``
(docs/formats.md, "Spreadsheets, Word and PDF").

It gives what openpyxl gives in its read-only, values-only mode (openpyxl stays the
reference in the tests): shared and inline strings (rich text joined), numbers as ``int``
or ``float`` exactly as openpyxl casts them, a number in a date format as a
:class:`~datetime.datetime` (1900 or 1904 date system), booleans, formula results and
error codes as text, each cell with the number format of its style (built-in or
``numFmts``), so that a float cell is still read through its format by the caller. Unlike
openpyxl's read-only mode it also reads the worksheet's ``<mergeCells>``.

Hostile input: the bytes read out of the archive are bounded (:data:`MAX_UNCOMPRESSED`,
whatever sizes the archive declares), a document type declaration (the road to entity
expansion) is refused, cell references beyond Excel's grid are refused, and every failure
is an :class:`~iki_core.errors.InvalidValueError` naming the format.

>>> import io, zipfile
>>> out = io.BytesIO()
>>> with zipfile.ZipFile(out, "w") as z:
...     z.writestr("xl/workbook.xml", '<workbook xmlns="urn:x" xmlns:r="urn:r"><sheets>'
...                '<sheet name="PK" sheetId="1" r:id="rId1"/></sheets></workbook>')
...     z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" '
...                'Target="worksheets/sheet1.xml"/></Relationships>')
...     z.writestr("xl/worksheets/sheet1.xml", '<worksheet><sheetData><row r="1">'
...                '<c r="A1" t="inlineStr"><is><t>Target</t></is></c><c r="C1"><v>0.855</v>'
...                '</c></row></sheetData><mergeCells><mergeCell ref="A1:B1"/></mergeCells>'
...                '</worksheet>')
>>> (sheet,) = read_workbook(out.getvalue())
>>> sheet.title, sheet.cells, sheet.merged
('PK', ((1, 1, 'Target', 'General'), (1, 3, 0.855, 'General')), ((1, 1, 1, 2),))
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Final
from xml.etree.ElementTree import Element, ParseError, iterparse

import attrs

from iki_core.errors import InvalidValueError

__all__ = ["MAX_UNCOMPRESSED", "Value", "Worksheet", "read_workbook"]

MAX_UNCOMPRESSED: Final = 256 * 1024 * 1024
"""The most bytes read out of one workbook's archive, all parts together (a 10,000-row
worksheet is about 5 MB): a zip bomb is refused when it passes this, not decompressed."""
MAX_ROW: Final = 1_048_576
MAX_COLUMN: Final = 16_384
"""Excel's grid: a reference beyond it is refused (a cell at column 10**9 would make every
row of the grid a billion cells wide)."""

Value = str | int | float | bool | dt.datetime
"""A cell's value as openpyxl gives it."""

_KIND: Final = "xlsx"
_EXPECTED: Final = "an Excel workbook (.xlsx)"
_REF: Final = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_BUILTIN_FORMATS: Final = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)",
    38: "#,##0_);[Red](#,##0)",
    39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    44: '_("$"* #,##0.00_)_("$"* \\(#,##0.00\\)_("$"* "-"??_)_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}
"""The number formats every workbook has without stating them (ECMA-376 part 1, 18.8.30),
as openpyxl names them."""
_DATE_PARTS: Final = re.compile(r'"[^"]*"|\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]|\\.|_.|\*.')
_DATE_LETTERS: Final = re.compile(r"[dmyhs]", re.IGNORECASE)
_WINDOWS_EPOCH: Final = dt.datetime(1899, 12, 30)
_MAC_EPOCH: Final = dt.datetime(1904, 1, 1)


@attrs.frozen
class Worksheet:
    """One worksheet: its ``title``, its ``cells`` as (row, column, value, number format)
    in reading order, and its ``merged`` ranges as (first row, first column, last row,
    last column)."""

    title: str
    cells: tuple[tuple[int, int, Value, str], ...]
    merged: tuple[tuple[int, int, int, int], ...] = ()


class _Budget:
    """The bytes still allowed out of the archive."""

    def __init__(self, limit: int) -> None:
        self.left = limit


class _Bounded(io.RawIOBase):
    """A member of the archive read through the shared budget; a document type
    declaration is refused."""

    def __init__(self, stream: IO[bytes], budget: _Budget) -> None:
        self._stream = stream
        self._budget = budget
        self._tail = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._stream.read(len(buffer))
        self._budget.left -= len(data)
        if self._budget.left < 0:
            raise InvalidValueError(
                field="file",
                expected=f"{_EXPECTED} of at most {MAX_UNCOMPRESSED:,} bytes uncompressed",
                value="a larger archive",
            )
        window = self._tail + data
        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
            raise InvalidValueError(
                field="file", expected=f"{_EXPECTED} without a DTD", value="a <!DOCTYPE>"
            )
        self._tail = data[-9:]
        buffer[: len(data)] = data
        return len(data)


_LOCAL: dict[str, str] = {}


def _local(tag: str) -> str:
    """A tag without its namespace (the transitional and the strict one alike)."""
    try:
        return _LOCAL[tag]
    except KeyError:
        name = tag.rpartition("}")[2]
        if len(_LOCAL) < 1000:
            _LOCAL[tag] = name
        return name


class _Book:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.zip = archive
        self.names = set(archive.namelist())
        self.budget = _Budget(MAX_UNCOMPRESSED)

    def events(self, name: str) -> Iterator[Element]:
        """The elements of part ``name`` as each ends (none when the part is missing)."""
        if name not in self.names:
            return
        with self.zip.open(name) as raw:
            stream = io.BufferedReader(_Bounded(raw, self.budget), 1 << 16)
            for _, elem in iterparse(stream, events=("end",)):
                yield elem

    def tree(self, name: str) -> list[Element]:
        return list(self.events(name))


def _attr(elem: Element, name: str) -> str | None:
    """An attribute by its local name, in whatever namespace (r:id)."""
    value = elem.get(name)
    if value is not None:
        return value
    for key, v in elem.attrib.items():
        if _local(key) == name:
            return v
    return None


def _sheets(book: _Book) -> tuple[list[tuple[str, str]], bool, dict[str, str]]:
    """(title, part) of each worksheet in the workbook's order (chart sheets left out);
    whether dates count from 1904; the parts of the shared strings and the styles."""
    targets: dict[str, tuple[str, str]] = {}
    parts = {"sharedStrings": "xl/sharedStrings.xml", "styles": "xl/styles.xml"}
    for elem in book.events("xl/_rels/workbook.xml.rels"):
        if _local(elem.tag) == "Relationship":
            rid, target = elem.get("Id"), elem.get("Target")
            kind = (elem.get("Type") or "").rpartition("/")[2]
            if rid and target:
                path = target.lstrip("/") if target.startswith("/") else "xl/" + target
                targets[rid] = (kind, posixpath.normpath(path))
                if kind in parts:
                    parts[kind] = targets[rid][1]
    found: list[tuple[str, str]] = []
    date1904 = False
    for elem in book.events("xl/workbook.xml"):
        tag = _local(elem.tag)
        if tag == "workbookPr":
            date1904 = elem.get("date1904", "0").lower() in ("1", "true")
        elif tag == "sheet":
            kind, part = targets.get(_attr(elem, "id") or "", ("", ""))
            sheet = kind == "worksheet" or (not kind and "/worksheets/" in part)
            if sheet and part in book.names:
                found.append((elem.get("name", ""), part))
    return found, date1904, parts


def _strings(book: _Book, part: str) -> list[str]:
    """The shared strings, rich text runs joined (phonetic runs left out)."""
    out: list[str] = []
    parts: list[str] = []
    for elem in book.events(part):
        tag = _local(elem.tag)
        if tag == "t":
            parts.append(elem.text or "")
        elif tag == "rPh":  # its text (a reading aid) was taken as a run: put it back
            phonetic = sum(1 for c in elem.iter() if _local(c.tag) == "t")
            del parts[len(parts) - phonetic :]
        elif tag == "si":
            out.append("".join(parts))
            parts = []
            elem.clear()
    return out


def _styles(book: _Book, part: str) -> list[str]:
    """The number format of each cell style (``cellXfs``), by style index."""
    custom: dict[int, str] = {}
    formats: list[str] = []
    in_xfs = False
    for elem in book.events(part):
        tag = _local(elem.tag)
        if tag == "numFmt":
            number = elem.get("numFmtId")
            if number is not None and number.isdigit():
                custom[int(number)] = elem.get("formatCode", "General")
        elif tag == "xf" and not in_xfs:
            formats.append(elem.get("numFmtId", "0"))
        elif tag == "cellStyleXfs":
            formats = []
        elif tag == "cellXfs":
            in_xfs = True
    out = []
    for number in formats:
        n = int(number) if number.isdigit() else 0
        out.append(custom.get(n) or _BUILTIN_FORMATS.get(n, "General"))
    return out


def is_date_format(fmt: str) -> bool:
    """True when a number format shows a date or a time (a letter d, m, y, h or s outside
    quoted text and brackets).

    >>> is_date_format("dd/mm/yyyy"), is_date_format("0.0%"), is_date_format('0 "hari"')
    (True, False, False)
    """
    if fmt in ("General", "@") or not fmt:
        return False
    bare = _DATE_PARTS.sub("", fmt.split(";")[0])
    return _DATE_LETTERS.search(bare) is not None


def _date(serial: float, date1904: bool) -> dt.datetime:
    """A date serial as openpyxl reads it (milliseconds rounded; Excel's 1900 leap day
    bug kept for serials before 60)."""
    epoch = _MAC_EPOCH if date1904 else _WINDOWS_EPOCH
    if not date1904 and 0 < serial < 60:
        serial += 1
    day, fraction = divmod(serial, 1)
    return epoch + dt.timedelta(days=day, milliseconds=round(fraction * 86_400_000))


def _number(text: str) -> int | float:
    """A number as openpyxl casts it: a float when written with a point or an exponent."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


_COLUMNS: dict[str, int] = {}


def _where(ref: str) -> tuple[int, int]:
    letters = ref.rstrip("0123456789")
    column = _COLUMNS.get(letters)
    digits = ref[len(letters) :]
    if column is not None and digits.isascii() and digits.isdigit() and len(digits) < 8:
        row = int(digits)
        if 1 <= row <= MAX_ROW:
            return row, column
    m = _REF.match(ref)
    if m is None:
        raise InvalidValueError(field="cell reference", expected="such as 'B5'", value=ref)
    row, column = int(m.group(2)), _column(m.group(1))
    if not (1 <= row <= MAX_ROW and 1 <= column <= MAX_COLUMN):
        raise InvalidValueError(
            field="cell reference", expected="inside Excel's grid (XFD1048576)", value=ref
        )
    _COLUMNS[m.group(1)] = column  # at most 16,384 entries: Excel's columns
    return row, column


def _worksheet(
    book: _Book, title: str, part: str, strings: list[str], styles: list[str], date1904: bool
) -> Worksheet:
    cells: list[tuple[int, int, Value, str]] = []
    merged: list[tuple[int, int, int, int]] = []
    row = 0  # 0: a cell written without its reference, placed when its row ends
    column = 0
    last_row = 0
    row_start = 0
    value_text: str | None = None
    inline: list[str] = []
    for elem in book.events(part):
        tag = _local(elem.tag)
        if tag == "v":
            value_text = elem.text or ""
        elif tag == "t":
            inline.append(elem.text or "")
        elif tag == "c":
            ref = elem.get("r")
            if ref is not None:
                row, column = _where(ref)
            else:
                row, column = 0, column + 1
            kind = elem.get("t", "n")
            style = elem.get("s")
            fmt = "General"
            if style is not None and style.isdigit() and int(style) < len(styles):
                fmt = styles[int(style)]
            value: Value | None = None
            if kind == "inlineStr":
                value = "".join(inline) if inline else None
            elif value_text is not None:
                if kind == "s":
                    index = int(value_text)
                    value = strings[index] if index >= 0 else strings[len(strings)]
                elif kind in ("str", "e"):
                    value = value_text
                elif kind == "b":
                    value = value_text.strip() in ("1", "true")
                elif kind == "d":
                    value = dt.datetime.fromisoformat(value_text.strip().rstrip("Z"))
                elif value_text.strip():
                    number = _number(value_text.strip())
                    value = _date(number, date1904) if is_date_format(fmt) else number
            if value is not None:
                cells.append((row, column, value, fmt))
            value_text = None
            inline = []
            elem.clear()
        elif tag == "row":
            r = elem.get("r")
            last_row = int(r) if r is not None and r.isdigit() else last_row + 1
            if not 1 <= last_row <= MAX_ROW:
                raise InvalidValueError(field="row", expected="inside Excel's grid", value=r)
            for k in range(row_start, len(cells)):
                if cells[k][0] == 0:
                    cells[k] = (last_row, *cells[k][1:])
            row_start = len(cells)
            column = 0
            elem.clear()
        elif tag == "mergeCell":
            ref = elem.get("ref", "")
            first, _, last = ref.partition(":")
            top, left = _where(first)
            bottom, right = _where(last) if last else (top, left)
            merged.append((top, left, bottom, right))
    return Worksheet(title, tuple(cells), tuple(merged))


def read_workbook(data: bytes) -> tuple[Worksheet, ...]:
    """The worksheets of the xlsx workbook ``data``, in the workbook's order (chart sheets
    left out); :class:`~iki_core.errors.InvalidValueError` for bytes that are not one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            book = _Book(archive)
            if "xl/workbook.xml" not in book.names:
                raise InvalidValueError(
                    field="file", expected=_EXPECTED, value="a ZIP file without xl/workbook.xml"
                )
            found, date1904, parts = _sheets(book)
            strings = _strings(book, parts["sharedStrings"])
            styles = _styles(book, parts["styles"])
            return tuple(
                _worksheet(book, title, part, strings, styles, date1904) for title, part in found
            )
    except InvalidValueError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ParseError,
        OSError,
        EOFError,
        ValueError,
        KeyError,
        IndexError,
        OverflowError,
        NotImplementedError,
        RuntimeError,
        UnicodeError,
        MemoryError,
    ) as exc:
        raise InvalidValueError(
            field="file", expected=_EXPECTED, value=f"{type(exc).__name__}: {exc}"
        ) from exc
