"""PDF documents read into grids with pdfplumber (docs/formats.md, "Spreadsheets, Word and
PDF"): ``pip install "iki-core[pdf]"``. The ruled tables of each page (as Word and
LibreOffice export them) become table rows; the text lines outside them (title, header
items, signatures) become lines, in the order they stand on the page. Lines are numbered
through the whole file.
"""

from __future__ import annotations

import io
import logging
from typing import Final

from iki_core.errors import IkiError, InvalidValueError
from iki_core.loaders.grid import Grid, RowCells, grid_of

__all__ = ["is_pdf", "read_pdf"]

_SIGNATURE: Final = b"%PDF-"


def is_pdf(data: bytes) -> bool:
    """True for bytes that start as a PDF file does (``%PDF-``)."""
    return data.lstrip(b"\x00\t\r\n ")[:5] == _SIGNATURE


def _refuse(exc: BaseException) -> InvalidValueError:
    return InvalidValueError(
        field="file", expected="a PDF document", value=f"{type(exc).__name__}: {exc}"
    )


def read_pdf(data: bytes) -> tuple[Grid, ...]:
    """One grid for the whole file: every page's tables and lines, in reading order."""
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        raise _refuse(exc) from exc
    if not is_pdf(data):
        raise InvalidValueError(field="file", expected="a PDF document", value=repr(data[:8]))
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    rows: list[tuple[int, RowCells]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            line = 0
            for page in pdf.pages:
                items: list[tuple[float, RowCells | None, list[RowCells]]] = []
                tables = page.find_tables()
                boxes = [t.bbox for t in tables]
                for table in tables:
                    body: list[RowCells] = []
                    for row in table.extract():
                        body.append([(c, (t or ""), 1, 1) for c, t in enumerate(row, start=1)])
                    items.append((table.bbox[1], None, body))
                for text_line in page.extract_text_lines():
                    middle = (text_line["top"] + text_line["bottom"]) / 2
                    if any(b[1] <= middle <= b[3] for b in boxes):
                        continue
                    items.append((text_line["top"], [(1, str(text_line["text"]), 1, 1)], []))
                items.sort(key=lambda item: item[0])
                for _, single, body in items:
                    if single is not None:
                        line += 1
                        rows.append((line, single))
                        continue
                    for row_cells in body:
                        line += 1
                        rows.append((line, row_cells))
                    line += 1
                    rows.append((line, []))
    except IkiError:
        raise
    except Exception as exc:  # a damaged PDF fails in many ways inside pdfminer
        raise _refuse(exc) from exc
    return (grid_of("document", rows),)
