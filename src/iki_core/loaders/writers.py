"""Documents written as Excel workbooks, Word documents and PDF files, in the text layout
(title, header items, the table, signatures) that the readers of those formats read back
(docs/formats.md, "Spreadsheets, Word and PDF"). Each sheet goes to its own worksheet,
or follows the one before in Word and PDF."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from iki_core.errors import InvalidValueError
from iki_core.loaders.text import format_text
from iki_core.model import Document

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["blocks", "write_docx", "write_pdf", "write_xlsx"]


def blocks(document: Document) -> Iterator[tuple[int, list[str] | list[list[str]]]]:
    """Each sheet's text layout as blocks: ``(sheet, lines)`` of text and
    ``(sheet, rows)`` of a table (rows of cells); sheets are numbered from 0."""
    for n, sheet in enumerate(document.sheets):
        text: list[str] = []
        table: list[list[str]] = []
        for line in format_text((sheet,)).split("\n"):
            if "\t" in line:
                if text:
                    yield n, text
                    text = []
                table.append(line.split("\t"))
                continue
            if table:
                yield n, table
                table = []
            text.append(line)
        if table:
            yield n, table
        if text:
            yield n, text


def _missing(extra: str, exc: ImportError) -> InvalidValueError:
    return InvalidValueError(
        field="format", expected=f'an installed writer (pip install "iki-core[{extra}]")', value=exc
    )


def write_xlsx(document: Document) -> bytes:
    """A workbook with one worksheet per sheet; a table cell per table cell, a line of
    text in column A."""
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        raise _missing("xlsx", exc) from exc
    book = openpyxl.Workbook()
    book.remove(book.active) if book.active is not None else None
    sheets: dict[int, list[list[str]]] = {}
    for n, block in blocks(document):
        rows = sheets.setdefault(n, [])
        for item in block:
            rows.append(item if isinstance(item, list) else [item])
    for n in range(len(document.sheets)):
        ws = book.create_sheet(f"IKI {n + 1}")
        for row in sheets.get(n, []):
            ws.append([cell if cell else None for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_docx(document: Document) -> bytes:
    """A Word document: the lines as paragraphs, each table as a Word table."""
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        raise _missing("docx", exc) from exc
    doc = docx.Document()
    for _, block in blocks(document):
        if block and isinstance(block[0], list):
            width = max(len(r) for r in block)
            table = doc.add_table(rows=0, cols=width)
            for r in block:
                cells = table.add_row().cells
                for i, text in enumerate(r):
                    cells[i].text = str(text)
            continue
        for line in block:
            doc.add_paragraph(str(line))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _fonts() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def write_pdf(document: Document) -> bytes:
    """A PDF file (A4 landscape, DejaVu Sans): the lines as text, each table ruled."""
    try:
        from fpdf import FPDF
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        raise _missing("pdf", exc) from exc
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_auto_page_break(True, margin=10)
    pdf.add_font("DejaVu", "", str(_fonts() / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(_fonts() / "DejaVuSans-Bold.ttf"))
    pdf.set_font("DejaVu", "", 6)
    pdf.add_page()
    for _, block in blocks(document):
        if block and isinstance(block[0], list):
            width = max(len(r) for r in block)
            with pdf.table(first_row_as_headings=False, line_height=3) as table:
                for r in block:
                    row = table.row()
                    for text in [*r, *[""] * (width - len(r))]:
                        row.cell(str(text))
            continue
        bold = False
        for k, line in enumerate(block):
            if k == 0 or not str(block[k - 1]).strip():
                _keep_together(pdf, [str(x) for x in block[k:]])
            bold = _bold_line(pdf, str(line), bold)
    return bytes(pdf.output())


def _keep_together(pdf: FPDF, lines: list[str]) -> None:
    """Start a new page unless the paragraph that begins ``lines`` (up to a blank line)
    fits on this one: a page break then separates paragraphs, never the lines of one, as
    the PDF reader reads a page break between two lines of text."""
    height = 0.0
    for line in lines:
        if not line.strip():
            break
        width = pdf.get_string_width(line.replace("**", "")) or 1.0
        height += 3.5 * -(-width // pdf.epw)
    if height < pdf.eph and pdf.will_page_break(height):
        pdf.add_page()


def _bold_line(pdf: FPDF, line: str, bold: bool) -> bool:
    """Write one line of text, the parts between ``**`` marks in the bold face (a mark
    may open on one line and close on a later one: ``bold`` says whether the line starts
    inside one); returns whether the next line does."""
    parts = line.split("**")
    text = "".join(parts).strip()
    if not text:
        pdf.multi_cell(0, 3.5, " ", new_x="LMARGIN", new_y="NEXT")
        return bold if len(parts) % 2 else not bold
    pdf.set_x(pdf.l_margin)
    for k, part in enumerate(parts):
        if k:
            bold = not bold
        if k == 0:
            part = part.lstrip()
        if k == len(parts) - 1:
            part = part.rstrip()
        if part:
            pdf.set_font("DejaVu", "B" if bold else "", 6)
            pdf.write(3.5, part)
    pdf.set_font("DejaVu", "", 6)
    pdf.ln(3.5)
    return bold
