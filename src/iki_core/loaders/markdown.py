r"""Markdown with pipe tables, as PDF-to-Markdown converters write them (docs/formats.md,
"Markdown"): a ``| No | Indikator | ... |`` row is a table row, a ``|---|---|`` row is
skipped, every other line is a line of text around the tables (title, header items,
signatures). Without pipe tables it is the text layout.

>>> g = read_markdown("**PERJANJIAN KINERJA TAHUN 2023**\n\n| No | Indikator |\n|---|---|\n"
...                   "| 1 | Jumlah surat \\| masuk |\n")
>>> [line.text for line in g.lines]
['**PERJANJIAN KINERJA TAHUN 2023**']
>>> g.rows()
[(3, ['No', 'Indikator']), (5, ['1', 'Jumlah surat | masuk'])]
"""

from __future__ import annotations

import itertools
import re
from typing import Final

from iki_core.loaders.grid import Grid, Line, RowCells, grid_of

__all__ = ["is_markdown", "read_markdown"]

_RULE: Final = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PIPE: Final = re.compile(r"(?<!\\)\|")


def is_markdown(text: str) -> bool:
    """True when the text holds a pipe table: a row of cells over a ``|---|`` rule."""
    lines = text.lstrip("\ufeff").splitlines()
    return any(
        _RULE.match(b) is not None and a.strip().startswith("|") and "-" in b
        for a, b in itertools.pairwise(lines)
    )


def _cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [c.strip().replace("\\|", "|") for c in _PIPE.split(body)]


def read_markdown(text: str) -> Grid:
    """The grid of a Markdown text: its pipe-table rows and the lines around them."""
    rows: list[tuple[int, RowCells]] = []
    lines: dict[int, str] = {}
    for n, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if raw.lstrip().startswith("|"):
            if _RULE.match(raw):
                continue
            cells = _cells(raw)
            rows.append((n, [(c, t, 1, 1) for c, t in enumerate(cells, start=1)]))
        elif raw.strip():
            lines[n] = raw
    grid = grid_of("document", rows)
    return Grid(grid.place, grid.cells, (*grid.lines, *(Line(n, t) for n, t in lines.items())))
