"""PDF documents read into grids with pdfplumber (docs/formats.md, "Spreadsheets, Word and
PDF"): ``pip install "iki-core[pdf]"``. The ruled tables of each page (as Word and
LibreOffice export them) become table rows; the text lines outside them (title, header
items, signatures) become lines, in the order they stand on the page. Lines are numbered
through the whole file.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping, Sequence
from typing import Final

from iki_core.errors import IkiError, InvalidValueError
from iki_core.loaders.grid import Grid, RowCells, grid_of

__all__ = ["is_pdf", "read_pdf"]

_SIGNATURE: Final = b"%PDF-"
_GAP: Final = 0.8
"""A space between two text lines taller than this share of a line's height is a blank
line: the paragraphs of a signature block stay apart, as in the text layout."""


def _is_bold(char: Mapping[str, object]) -> bool:
    name = str(char.get("fontname", "")).lower()
    return "bold" in name or name.endswith((",b", "-b", "black", "heavy"))


def _with_bold(text: str, chars: Sequence[Mapping[str, object]]) -> str:
    """The line's text with its bold runs between ``**`` marks, as the text layout writes
    them (the signature names and titles): each non-space character of ``text`` is
    paired with the next non-space glyph of the line; when they cannot be paired the
    text is kept as it is.

    >>> b, r = {"text": "A", "fontname": "DejaVuSans-Bold"}, {"text": "A", "fontname": "F1"}
    >>> _with_bold("AA AA A", [b, b, b, b, r]), _with_bold("AA", [b])
    ('**AA AA** A', 'AA')
    """
    glyphs = [c for c in chars if not str(c.get("text", "")).isspace()]
    if len(glyphs) != sum(1 for ch in text if not ch.isspace()):
        return text
    out: list[str] = []
    bold = False
    k = 0
    for ch in text:
        if ch.isspace():
            out.append(ch)
            continue
        now = _is_bold(glyphs[k])
        k += 1
        if now != bold:
            at = len(out)
            while not now and at and out[at - 1].isspace():
                at -= 1  # a closing mark stands before the spaces
            out.insert(at, "**")
            bold = now
        out.append(ch)
    if bold:
        text = "".join(out).rstrip()
        return text + "**"
    return "".join(out)


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
            bottom: float | None = None  # of the text line above, if the last item was one
            for page in pdf.pages:
                items: list[tuple[float, RowCells | None, list[RowCells], float]] = []
                tables = page.find_tables()
                boxes = [t.bbox for t in tables]
                for table in tables:
                    body: list[RowCells] = []
                    for row in table.extract():
                        body.append([(c, (t or ""), 1, 1) for c, t in enumerate(row, start=1)])
                    items.append((table.bbox[1], None, body, table.bbox[3]))
                for text_line in page.extract_text_lines():
                    middle = (text_line["top"] + text_line["bottom"]) / 2
                    if any(b[1] <= middle <= b[3] for b in boxes):
                        continue
                    text = _with_bold(str(text_line["text"]), text_line.get("chars", ()))
                    items.append((text_line["top"], [(1, text, 1, 1)], [], text_line["bottom"]))
                items.sort(key=lambda item: item[0])
                page_start = True
                for top, single, body, end in items:
                    if single is not None:
                        height = end - top
                        if bottom is not None and (page_start or top - bottom > _GAP * height):
                            line += 1  # a blank line between two paragraphs
                            rows.append((line, []))
                        page_start = False
                        line += 1
                        rows.append((line, single))
                        bottom = end
                        continue
                    bottom = None
                    page_start = False
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
