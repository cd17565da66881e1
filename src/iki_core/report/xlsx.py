"""The LKjIP table as an Excel workbook (XlsxWriter): one worksheet per sheet of the
document, real numbers with number formats (never text), frozen headers, merged cells for
the objective (sasaran) over its indicators, the notes, the rules line and the signature
block, set up to print on A4 landscape with the header repeated on every page.

An xlsx cell holds an IEEE double, so each figure is first rounded (half-up) to the places
the report shows: the rules' places for capaian and nilai, two for an amount with more
than two decimals, an amount's own places otherwise. A decimal of at most 15 significant
digits written so reads back as the same decimal (``Decimal(str(value))``) and shows
exactly through the cell's number format; a figure with more digits than a double holds is
written as the text the HTML report shows, so nothing is lost.
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, TYPE_CHECKING

from iki_core import messages
from iki_core.model import Signatory
from iki_core.numbers import EXACT
from iki_core.report.layout import Out, Row, body_rows, header_rows, text_of, width
from iki_core.report.lkjip import LkjipTable, SheetTable

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

__all__ = ["write_xlsx"]

PERCENT_FORMAT = "0.00"
"""Capaian, nilai and means: two decimals (the rules' places when they differ)."""

DOUBLE_DIGITS = 15
"""Significant digits an xlsx number (an IEEE double) holds exactly, as Excel shows them."""

_FILLS = {"head": "#D9E1F2", "mean": "#F2F2F2", "sheet_mean": "#F2F2F2"}


def _amount_format(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < 0 and value != value.to_integral_value():
        return "#,##0.00" if exponent < -2 else "#,##0." + "0" * -exponent
    return "#,##0"


def _shown(value: Decimal, places: int | None) -> Decimal:
    """``value`` rounded half-up to ``places`` (None: an amount's own rule, as
    :func:`~iki_core.report.layout.amount_text` shows it)."""
    if places is None:
        exponent = value.as_tuple().exponent
        if not (isinstance(exponent, int) and exponent < -2):
            return value
        places = 2
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=EXACT)


def cell_number(value: Decimal, places: int | None) -> float | None:
    """The number an xlsx cell holds for ``value`` shown at ``places``: the rounded
    decimal as a double, or None when it has more significant digits than a double holds
    exactly (it is then written as text)."""
    shown = _shown(value, places)
    if not shown.is_finite():
        return None
    digits = shown.normalize(context=EXACT).as_tuple().digits
    if len(digits) > DOUBLE_DIGITS:
        return None
    return float(shown)


_Key = tuple[str, str, bool]
"""A cell's style: its row's role ("head", "body", "mean", "sheet_mean"), its number
format, and whether it is centred (a "-" for a figure that is missing)."""


class _Formats:
    """Each distinct cell style made once, as XlsxWriter wants, and each distinct figure
    turned into a cell's number and number format once (a report repeats them)."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self.made: dict[_Key, Format] = {}
        self.numbers: dict[tuple[str, bool], tuple[float | None, str]] = {}
        self.title = wb.add_format({"bold": True, "font_size": 13})
        self.bold = wb.add_format({"bold": True})

    def get(self, key: _Key) -> Format:
        found = self.made.get(key)
        if found is None:
            role, number_format, centred = key
            props: dict[str, object] = {
                "border": 1,
                "border_color": "#808080",
                "num_format": number_format,
                "valign": "vcenter" if role == "head" else "top",
            }
            if role in _FILLS:
                props.update(bold=True, bg_color=_FILLS[role], pattern=1)
            if role == "head" or centred:
                props["align"] = "center"
            if role == "head" or not centred:
                props["text_wrap"] = True
            found = self.made[key] = self.wb.add_format(props)
        return found


def write_xlsx(table: LkjipTable, out: IO[bytes]) -> None:
    """Write ``table`` as an xlsx workbook to the binary stream ``out``."""
    from xlsxwriter import Workbook

    buffer = io.BytesIO()
    wb = Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    formats = _Formats(wb)
    percent_format = "0." + "0" * table.places if table.places else "0"
    n = width(table)
    for sheet in table.sheets:
        ws = wb.add_worksheet(_title(table, sheet))
        ws.write_string(0, 0, table.title, formats.title)
        number = messages.text(
            "lkjip.sheet", table.lang, number=sheet.number, position=sheet.position
        )
        ws.write_string(1, 0, number)
        ws.write_string(2, 0, table.rules_line)
        top = 4  # rows count from 0 here: the header starts on the workbook's row 5
        r = _write_rows(ws, header_rows(table), top, formats, table, percent_format, head=True)
        ws.freeze_panes(r, 0)
        ws.repeat_rows(top, r - 1)
        r = _write_rows(ws, body_rows(table, sheet), r, formats, table, percent_format)
        r += 1
        notes = [
            (ir.reference, note) for b in sheet.objectives for ir in b.rows for note in ir.notes
        ]
        if notes:
            ws.write_string(r, 0, messages.text("lkjip.notes", table.lang), formats.bold)
            r += 1
            for ref, note in notes:
                ws.write_string(r, 0, ref)
                ws.write_string(r, 1, note)
                r += 1
            r += 1
        ws.write_string(r, 0, messages.text("lkjip.legend", table.lang))
        r += 2
        _signatures(ws, sheet.signatories, r, n, table.lang, formats.bold)
        for i, w in enumerate([8, 34, 40, 10] + [14] * (n - 4)):
            ws.set_column(i, i, w)
        ws.set_landscape()
        ws.set_paper(9)  # A4
    wb.close()
    out.write(buffer.getvalue())


def _title(table: LkjipTable, sheet: SheetTable) -> str:
    # worksheet titles: at most 31 characters, none of []:*?/\
    return messages.text("lkjip.sheet_name", table.lang, number=sheet.number)[:31]


def _write_rows(
    ws: Worksheet,
    rows: list[Row],
    start: int,
    formats: _Formats,
    table: LkjipTable,
    percent_format: str,
    *,
    head: bool = False,
) -> int:
    """Write and style ``rows`` from row ``start`` (from 0), honouring spans; the next
    free row."""
    taken: set[tuple[int, int]] = set()
    r = start
    for row in rows:
        role = "head" if head else row.style if row.style in ("mean", "sheet_mean") else "body"
        col = 0
        for out in row.cells:
            while (r, col) in taken:
                col += 1
            spans = out.colspan > 1 or out.rowspan > 1
            if spans:
                last = (r + out.rowspan - 1, col + out.colspan - 1)
                for dr in range(out.rowspan):
                    for dc in range(out.colspan):
                        taken.add((r + dr, col + dc))
                # the layout spans only text; a merged range takes its style everywhere
                text = out.value if isinstance(out.value, str) else ""
                ws.merge_range(r, col, *last, text, formats.get((role, "General", False)))
            else:
                _put(ws, r, col, out, role, formats, table, percent_format)
            col += out.colspan
        r += 1
    return r


def _put(
    ws: Worksheet,
    r: int,
    col: int,
    out: Out,
    role: str,
    formats: _Formats,
    table: LkjipTable,
    percent_format: str,
) -> None:
    """Write ``out`` into the cell at row ``r``, column ``col``, with its style."""
    v = out.value
    if v is None:
        if out.kind == "text":
            ws.write_blank(r, col, None, formats.get((role, "General", False)))
        else:
            ws.write_string(r, col, "-", formats.get((role, "General", True)))
    elif isinstance(v, str):
        ws.write_string(r, col, v, formats.get((role, "General", False)))
    else:
        percent = out.kind == "percent"
        known = formats.numbers.get((str(v), percent))
        if known is None:
            number = cell_number(v, table.places if percent else None)
            number_format = percent_format if percent else _amount_format(v)
            known = formats.numbers[str(v), percent] = (number, number_format)
        number, number_format = known
        if number is None:
            ws.write_string(r, col, text_of(out, table), formats.get((role, "General", False)))
        else:
            ws.write_number(r, col, number, formats.get((role, number_format, False)))


def _signatures(
    ws: Worksheet, signatories: tuple[Signatory, ...], row: int, n: int, lang: str, bold: Format
) -> None:
    columns = (1, max(n - 3, 2))
    for i, s in enumerate(signatories[:2]):
        col = columns[i % 2]
        r = row
        lines = signature_lines(s, lang)
        for k, line in enumerate(lines):
            if k == len(lines) - 3 or (s.rank is None and s.nip is None and k == len(lines) - 1):
                ws.write_string(r, col, line, bold)
            elif line:
                ws.write_string(r, col, line)
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
