"""The LKjIP table as an Excel workbook (openpyxl): one worksheet per sheet of the
document, real numbers with number formats (never text), frozen headers, merged cells for
the objective (sasaran) over its indicators, the notes and the signature block.

Figures are written as :class:`~decimal.Decimal` values, which openpyxl stores exactly as
written; Excel shows them through the number format, in the reader's own locale.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import IO, TYPE_CHECKING

from iki_core import messages
from iki_core.model import Signatory
from iki_core.report.layout import Out, Row, body_rows, header_rows, width
from iki_core.report.lkjip import LkjipTable, SheetTable

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["write_xlsx"]

PERCENT_FORMAT = "0.00"
"""Capaian, nilai and means: two decimals (the rules' places when they differ)."""


def _amount_format(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < 0 and value != value.to_integral_value():
        return "#,##0.00" if exponent < -2 else "#,##0." + "0" * -exponent
    return "#,##0"


def write_xlsx(table: LkjipTable, out: IO[bytes]) -> None:
    """Write ``table`` as an xlsx workbook to the binary stream ``out``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    for blank in wb.worksheets:  # the workbook starts with one empty worksheet
        wb.remove(blank)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    fills = {
        "head": PatternFill("solid", fgColor="D9E1F2"),
        "mean": PatternFill("solid", fgColor="F2F2F2"),
        "sheet_mean": PatternFill("solid", fgColor="F2F2F2"),
    }
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    dash = Alignment(horizontal="center", vertical="top")

    def style(cell: Cell | MergedCell, key: _Key) -> None:
        role, number_format, centred = key
        cell.border = border
        if role in fills:
            cell.font = bold
            cell.fill = fills[role]
        cell.alignment = centre if role == "head" else dash if centred else wrap
        cell.number_format = number_format

    percent_format = "0." + "0" * table.places if table.places else "0"
    n = width(table)
    for sheet in table.sheets:
        ws = wb.create_sheet(_title(table, sheet))
        ws.append([table.title])
        ws.cell(1, 1).font = Font(bold=True, size=13)
        ws.append(
            [messages.text("lkjip.sheet", table.lang, number=sheet.number, position=sheet.position)]
        )
        ws.append([table.rules_line])
        ws.append([])
        top = 5
        styles = _Styles(style)
        r = _write_rows(ws, header_rows(table), top, styles, percent_format, head=True)
        ws.freeze_panes = ws.cell(r, 1)
        first_body = r
        r = _write_rows(ws, body_rows(table, sheet), r, styles, percent_format)
        r += 1
        notes = [
            (ir.reference, note) for b in sheet.objectives for ir in b.rows for note in ir.notes
        ]
        if notes:
            ws.cell(r, 1, messages.text("lkjip.notes", table.lang)).font = bold
            r += 1
            for ref, note in notes:
                ws.cell(r, 1, ref)
                ws.cell(r, 2, note)
                r += 1
            r += 1
        ws.cell(r, 1, messages.text("lkjip.legend", table.lang))
        r += 2
        _signatures(ws, sheet.signatories, r, n, table.lang, bold)
        widths = [8, 34, 40, 10] + [14] * (n - 4)
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.print_title_rows = f"{top}:{first_body - 1}"
    wb.save(out)


def _title(table: LkjipTable, sheet: SheetTable) -> str:
    # worksheet titles: at most 31 characters, none of []:*?/\
    return messages.text("lkjip.sheet_name", table.lang, number=sheet.number)[:31]


_Key = tuple[str, str, bool]
"""A cell's style: its row's role ("head", "body", "mean", "sheet_mean"), its number
format, and whether it is centred (a "-" for a figure that is missing)."""


class _Styles:
    """Styles applied once per distinct key, then copied: openpyxl hashes every style
    object it is given, which costs more than the rest of the workbook on a large one."""

    def __init__(self, make: Callable[[Cell | MergedCell, _Key], None]) -> None:
        self.make = make
        self.made: dict[_Key, object] = {}

    def apply(self, cell: Cell | MergedCell, key: _Key) -> None:
        found = self.made.get(key)
        if found is None:
            self.make(cell, key)
            self.made[key] = copy.copy(cell._style)  # type: ignore[union-attr]
        else:
            cell._style = copy.copy(found)  # type: ignore[union-attr]


def _merge(ws: Worksheet, row: int, col: int, rows: int, cols: int) -> None:
    """Merge a range known not to overlap another (the layout's spans never do),
    without openpyxl's check against every range merged before (quadratic)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.merge import MergedCellRange

    coord = f"{get_column_letter(col)}{row}:{get_column_letter(col + cols - 1)}{row + rows - 1}"
    merged = MergedCellRange(ws, coord)
    ws.merged_cells.ranges.add(merged)
    ws._clean_merge_range(merged)  # type: ignore[attr-defined]


def _write_rows(
    ws: Worksheet,
    rows: list[Row],
    start: int,
    styles: _Styles,
    percent_format: str,
    *,
    head: bool = False,
) -> int:
    """Write and style ``rows`` from row ``start``, honouring spans; the next free row."""
    taken: set[tuple[int, int]] = set()
    r = start
    for row in rows:
        role = "head" if head else row.style if row.style in ("mean", "sheet_mean") else "body"
        col = 1
        for out in row.cells:
            while (r, col) in taken:
                col += 1
            cell = ws.cell(r, col)
            key = _put(cell, out, role, percent_format)
            if out.colspan > 1 or out.rowspan > 1:
                _merge(ws, r, col, out.rowspan, out.colspan)
            for dr in range(out.rowspan):
                for dc in range(out.colspan):
                    taken.add((r + dr, col + dc))
                    styles.apply(cell if dr == dc == 0 else ws.cell(r + dr, col + dc), key)
            col += out.colspan
        r += 1
    return r


def _put(cell: Cell | MergedCell, out: Out, role: str, percent_format: str) -> _Key:
    """Write ``out`` into ``cell``; the style it takes."""
    v = out.value
    if v is None:
        cell.value = None if out.kind == "text" else "-"
        return (role, "General", out.kind != "text")
    cell.value = v
    if isinstance(v, Decimal):
        return (role, percent_format if out.kind == "percent" else _amount_format(v), False)
    return (role, "General", False)


def _signatures(
    ws: Worksheet, signatories: tuple[Signatory, ...], row: int, n: int, lang: str, bold: Font
) -> None:
    columns = (2, max(n - 2, 3))
    for i, s in enumerate(signatories[:2]):
        col = columns[i % 2]
        r = row
        lines = signature_lines(s, lang)
        for k, line in enumerate(lines):
            cell = ws.cell(r, col, line)
            if k == len(lines) - 3 or (s.rank is None and s.nip is None and k == len(lines) - 1):
                cell.font = bold
            r += 1


def signature_lines(s: Signatory, lang: str) -> list[str]:
    """A signature block as printed: place and date, role, title, space to sign, the
    name, the rank and the NIP (as the document holds them)."""
    lines: list[str] = []
    if s.place_date is not None:
        lines.append(s.place_date.text)
    if s.role == "approver":
        lines.append(messages.text("lkjip.approver", lang) + ",")
    if s.title:
        lines.append(s.title)
    lines += ["", ""]
    lines.append(s.name)
    lines.append(s.rank.text if s.rank is not None else "")
    lines.append(f"NIP. {s.nip}" if s.nip is not None else "")
    while lines and not lines[-1]:
        lines.pop()
    return lines
