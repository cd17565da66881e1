"""What every tabular format is read into: a :class:`Grid` of cells with their row and
column, merged spans, the worksheet or page they are on, and the lines of text around
the tables (title, header block, signatures). One recogniser
(:func:`iki_core.loaders.layout.recognise`) turns grids into sheets, whatever the format.

>>> g = grid_of("worksheet 'IKI'", [
...     (1, [(1, "INDIKATOR KINERJA INDIVIDU (IKI)", 1, 4)]),
...     (3, [(1, "No", 2, 1), (2, "Indikator", 2, 1), (3, "Target", 1, 2)]),
...     (4, [(3, "2021", 1, 1), (4, "2022", 1, 1)]),
... ])
>>> [(line.line, line.text) for line in g.lines]
[(1, 'INDIKATOR KINERJA INDIVIDU (IKI)')]
>>> g.rows()
[(3, ['No', 'Indikator', 'Target', '']), (4, ['', '', '2021', '2022'])]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

import attrs

__all__ = ["Cell", "Grid", "Line", "grid_of"]

_SPACE: Final = re.compile(r"[ \t\r\n\f\v\u00a0]+")


def flat(text: str) -> str:
    """A cell's text on one line: line breaks and tabs inside it become one space."""
    return _SPACE.sub(" ", text).strip() if "\n" in text or "\t" in text else text


@attrs.frozen
class Cell:
    """One cell of a table: its ``row`` (the line number it is reported at), its
    ``column`` (from 1), its ``text`` as written, and how many rows and columns it
    spans when merged (the cells it covers are not listed)."""

    row: int
    column: int
    text: str
    rows: int = 1
    columns: int = 1


@attrs.frozen
class Line:
    """One line of text outside the tables (a title, a header item, a signature)."""

    line: int
    text: str


@attrs.frozen
class Grid:
    """The tables of one worksheet, page run or document body, and the lines around
    them; ``place`` names where it is ("worksheet 'IKU'", "page 2")."""

    place: str
    cells: tuple[Cell, ...] = ()
    lines: tuple[Line, ...] = ()

    def rows(self) -> list[tuple[int, list[str]]]:
        """The table rows in order, each a list of cell texts by column (a cell covered
        by a merged one is empty, its text is in the merged cell's first column)."""
        by_row: dict[int, dict[int, str]] = {}
        width = 0
        for c in self.cells:
            by_row.setdefault(c.row, {})[c.column] = c.text
            width = max(width, c.column + c.columns - 1)
        return [
            (row, [cols.get(i, "") for i in range(1, width + 1)])
            for row, cols in sorted(by_row.items())
        ]


RowCells = Sequence[tuple[int, str, int, int]]
"""One row as a reader sees it: (column, text, rows spanned, columns spanned) per cell."""


def grid_of(place: str, rows: Iterable[tuple[int, RowCells]]) -> Grid:
    """The grid of rows read from a worksheet or a page, in order: a row with two or
    more filled cells is a table row; a row with one filled cell is a line of text
    around the tables (a title, a heading spanning the table, a signature), unless it
    is inside a table and not in its first column (a row with one value)."""
    cells: list[Cell] = []
    lines: list[Line] = []
    first_column: int | None = None
    for line, row in rows:
        filled = [(col, text, rs, cs) for col, text, rs, cs in row if text.strip()]
        if not filled:
            first_column = None
            continue
        lone = len(filled) == 1
        if lone and (first_column is None or filled[0][0] <= first_column):
            lines.append(Line(line, " ".join(t.strip() for _, t, _, _ in filled)))
            first_column = None
            continue
        if first_column is None:
            first_column = min(col for col, *_ in filled)
        cells += [Cell(line, col, text, rs, cs) for col, text, rs, cs in row]
    return Grid(place, tuple(cells), tuple(lines))
