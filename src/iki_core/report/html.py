"""The LKjIP table as one HTML page that prints on A4 landscape: a section per sheet with
its table (headers repeat on each printed page), mean rows, notes, optional charts and
the signature block. The page is rendered from the Jinja2 template
``iki_core/data/templates/lkjip.html.j2`` with autoescaping on: text from a document can
never become markup.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import TextIO

import attrs

from iki_core import messages
from iki_core.report.layout import Row, body_rows, header_rows, text_of
from iki_core.report.lkjip import LkjipTable
from iki_core.report.xlsx import signature_lines

__all__ = ["render_html", "write_html"]


@attrs.frozen
class _Cell:
    text: str
    kind: str
    colspan: int
    rowspan: int


@attrs.frozen
class _Row:
    cells: tuple[_Cell, ...]
    style: str


def _rows(rows: Sequence[Row], table: LkjipTable) -> list[_Row]:
    return [
        _Row(
            tuple(_Cell(text_of(c, table), c.kind, c.colspan, c.rowspan) for c in row.cells),
            row.style,
        )
        for row in rows
    ]


def render_html(
    table: LkjipTable, charts: Mapping[int, Sequence[bytes]] | None = None, *, per_row: int = 1
) -> str:
    """The report as an HTML page; ``charts`` maps a sheet number to SVG images to show
    under its table, ``per_row`` of them side by side (1 or 2)."""
    import jinja2

    source = (resources.files("iki_core") / "data" / "templates" / "lkjip.html.j2").read_text(
        encoding="utf-8"
    )
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(source)
    sheets = []
    for sheet in table.sheets:
        sheets.append(
            {
                "number": sheet.number,
                "heading": messages.text(
                    "lkjip.sheet", table.lang, number=sheet.number, position=sheet.position
                ),
                "rows": _rows(body_rows(table, sheet), table),
                "notes": [
                    (ir.reference, n) for b in sheet.objectives for ir in b.rows for n in ir.notes
                ],
                "signatures": [
                    "\n".join(signature_lines(s, table.lang)) for s in sheet.signatories
                ],
                "charts": [
                    {
                        "alt": messages.text("lkjip.chart_axis", table.lang),
                        "data": base64.b64encode(svg).decode("ascii"),
                    }
                    for svg in (charts or {}).get(sheet.number, ())
                ],
            }
        )
    labels = {k: messages.text(f"lkjip.{k}", table.lang) for k in ("notes", "legend")}
    return template.render(
        table=table,
        sheets=sheets,
        header=_rows(header_rows(table), table),
        labels=labels,
        per_row=2 if per_row > 1 else 1,
    )


def write_html(
    table: LkjipTable,
    out: TextIO,
    charts: Mapping[int, Sequence[bytes]] | None = None,
    *,
    per_row: int = 1,
) -> None:
    """Write the page of :func:`render_html` to ``out``."""
    out.write(render_html(table, charts, per_row=per_row))
