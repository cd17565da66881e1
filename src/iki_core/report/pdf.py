"""The LKjIP table as a PDF on A4 landscape (fpdf2, pure Python: no system packages):
a page group per sheet with the table (its header repeated on every page), mean rows,
notes, optional charts and the signature block.

Text is set in DejaVu Sans, the font matplotlib ships (the ``pdf`` extra installs both),
so every character a document may hold prints.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from iki_core import messages
from iki_core.report.layout import body_rows, header_rows, text_of, width
from iki_core.report.lkjip import LkjipTable
from iki_core.report.xlsx import signature_lines

__all__ = ["write_pdf"]


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def write_pdf(
    table: LkjipTable,
    out: IO[bytes],
    charts: Mapping[int, Sequence[bytes]] | None = None,
    *,
    per_row: int = 1,
) -> None:
    """Write ``table`` as a PDF to the binary stream ``out``; ``charts`` maps a sheet
    number to PNG images to place under its table, ``per_row`` of them side by side."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(True, margin=12)
    fonts = _font_dir()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title(table.title)
    n = width(table)
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    lead = [12.0, 48.0, 52.0, 14.0] if table.layout == "long" else [10.0, 32.0, 38.0, 11.0]
    rest = n - len(lead)
    if table.layout == "long" and len(table.periods) > 1:
        lead.append(22.0)
        rest -= 1
    each = (usable - sum(lead)) / max(rest, 1)
    widths = tuple(lead + [each] * rest)
    head = FontFace(emphasis="BOLD", fill_color=(217, 225, 242))
    mean = FontFace(emphasis="BOLD", fill_color=(242, 242, 242))
    size = 7.5 if table.layout == "long" else 6.0
    for sheet in table.sheets:
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(0, 6, table.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 7.5)
        pdf.multi_cell(0, 4, table.rules_line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "B", 10)
        heading = messages.text(
            "lkjip.sheet", table.lang, number=sheet.number, position=sheet.position
        )
        pdf.multi_cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        pdf.set_font("DejaVu", "", size)
        headers = header_rows(table)
        with pdf.table(
            col_widths=widths,
            width=usable,
            num_heading_rows=len(headers),
            headings_style=head,
            line_height=size * 0.5,
            text_align="LEFT",
        ) as t:
            for hrow in headers:
                row = t.row()
                for c in hrow.cells:
                    row.cell(
                        text_of(c, table), align="CENTER", colspan=c.colspan, rowspan=c.rowspan
                    )
            for brow in body_rows(table, sheet):
                style = mean if brow.style in ("mean", "sheet_mean") else None
                row = t.row(style=style)
                for c in brow.cells:
                    align = "RIGHT" if c.kind != "text" else "LEFT"
                    row.cell(text_of(c, table), align=align, colspan=c.colspan, rowspan=c.rowspan)
        notes = [(ir.reference, x) for b in sheet.objectives for ir in b.rows for x in ir.notes]
        pdf.ln(2)
        if notes:
            pdf.set_font("DejaVu", "B", 7.5)
            pdf.cell(0, 4, messages.text("lkjip.notes", table.lang), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 7)
            for ref, note in notes:
                pdf.multi_cell(0, 3.5, f"{ref}: {note}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 7)
        pdf.multi_cell(
            0, 4, messages.text("lkjip.legend", table.lang), new_x="LMARGIN", new_y="NEXT"
        )
        _charts(pdf, (charts or {}).get(sheet.number, ()), per_row)
        _signatures(pdf, table, sheet.signatories)
    out.write(bytes(pdf.output()))


def _charts(pdf: object, images: Sequence[bytes], per_row: int) -> None:
    """Place ``images`` under the table: one a row at 75 mm high, or ``per_row`` side by
    side across the page, each at its own aspect ratio."""
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    if per_row <= 1:
        for png in images:
            if pdf.will_page_break(80):
                pdf.add_page()
            pdf.image(io.BytesIO(png), h=75)
        return
    gap = 4.0
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    w = (usable - gap * (per_row - 1)) / per_row
    for start in range(0, len(images), per_row):
        row = images[start : start + per_row]
        heights = [w * _png_ratio(png) for png in row]
        if pdf.will_page_break(max(heights) + 2):
            pdf.add_page()
        top = pdf.get_y() + 1
        for k, png in enumerate(row):
            pdf.image(io.BytesIO(png), x=pdf.l_margin + k * (w + gap), y=top, w=w)
        pdf.set_xy(pdf.l_margin, top + max(heights) + 1)


def _png_ratio(png: bytes) -> float:
    """Height over width of a PNG image, from its header."""
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    return height / width if width else 1.0


def _signatures(pdf: object, table: LkjipTable, signatories: Sequence[object]) -> None:
    from fpdf import FPDF

    from iki_core.model import Signatory

    assert isinstance(pdf, FPDF)
    blocks = [signature_lines(s, table.lang) for s in signatories if isinstance(s, Signatory)]
    if not blocks:
        return
    height = 4 * max(len(b) for b in blocks) + 6
    if pdf.will_page_break(height):
        pdf.add_page()
    pdf.ln(6)
    top = pdf.get_y()
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    column = usable / 2
    pdf.set_font("DejaVu", "", 8)
    for i, lines in enumerate(blocks[:2]):
        pdf.set_xy(pdf.l_margin + i * column, top)
        for line in lines:
            pdf.set_x(pdf.l_margin + i * column)
            pdf.cell(column, 4, line, align="C", new_x="LEFT", new_y="NEXT")
