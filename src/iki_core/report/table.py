"""The ``table`` output: the achievements as the aligned text tables of an LKjIP.

For each sheet, its position, then one row per indicator (and period) with the target to
date, the cumulative realisation, achievement, progress, status, rating and, under a scale
that defines one, the nilai; the notes under each sheet; then the legend and the roll-ups
per objective and per sheet. Every label comes from the message catalogue, in the
report's language; numbers use that language's separators.
"""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Sequence
from decimal import Decimal
from typing import Final, TextIO

from iki_core.engine import Achievement, Rollup, Status
from iki_core.errors import InvalidValueError
from iki_core.units import PERCENT, Quantity

from .model import Report, amount_text, formula_text, notice_texts, number_text, separators

__all__ = ["NAME_WIDTH", "render_table", "write_table"]

NAME_WIDTH: Final = 44
"""Indicator and objective names wrap at this width in the table."""


def write_table(report: Report, out: TextIO) -> None:
    """The ``table`` output: :func:`render_table` written to ``out``."""
    out.write(render_table(report))


def render_table(report: Report) -> str:
    """The report as the text of ``iki report`` (docs/cli.md, "The table")."""
    return _Table(report).render()


def _wrap(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= NAME_WIDTH:  # what textwrap gives, without its cost
        return flat or "-"
    return "\n".join(textwrap.wrap(flat, NAME_WIDTH))


def _render(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    """Rows of cells as aligned text; a cell may hold several lines."""
    split = [[cell.split("\n") for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in split:
        for i, lines in enumerate(row):
            widths[i] = max(widths[i], *(len(x) for x in lines))

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    for row in split:
        height = max(len(lines) for lines in row)
        for k in range(height):
            out.append(line([lines[k] if k < len(lines) else "" for lines in row]))
    return out


class _Table:
    """The table of one report: its labels looked up once, then rows rendered."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.lang = report.lang
        self.several = len(report.periods) > 1
        self.places = report.rules.places
        self.numbers = separators(self.lang)
        self.statuses = {s: report.text(f"status.{s.value}") for s in Status}

    def column(self, name: str) -> str:
        return self.report.text(f"report.column.{name}")

    def pct(self, value: Decimal | None) -> str:
        return "-" if value is None else number_text(value, self.numbers, places=self.places)

    def quantity(self, q: Quantity | None) -> str:
        if q is None:
            return "-"
        if q.unit.dimension == PERCENT.dimension:
            return number_text(q.magnitude, self.numbers, places=2, percent=True)
        number = amount_text(q.magnitude, self.numbers)
        written = q.unit.written(q.magnitude, number)  # a grade, a rank, a ratio
        if written is not None:
            return written
        return f"{number} {q.unit.name}" if q.unit.name else number

    def period(self, a: Achievement | Rollup) -> list[str]:
        return [a.period.label(self.lang, short=True)] if self.several else []

    def header(self) -> list[str]:
        r, rules = self.report, self.report.rules
        label = ", ".join(p.label(self.lang) for p in r.periods)
        lines = [r.text("report.title", period=label.upper())]
        if r.document_source:
            lines.append(r.text("report.document", source=r.document_source))
        if r.realisations_source:
            lines.append(
                r.text(
                    "report.realisations",
                    source=r.realisations_source,
                    rows=r.realisation_count,
                )
            )
        cap = (
            number_text(rules.cap, self.lang) + "%"
            if rules.cap is not None
            else r.text("report.no_cap")
        )
        target = str(rules.period_target.value)
        with contextlib.suppress(InvalidValueError):  # a choice the catalogue does not name
            target = r.text(f"report.period_target.{target}")
        lines.append(
            r.text(
                "report.rules",
                target=target,
                lower=formula_text(rules),
                scale=rules.scale.key,
                cap=cap,
            )
        )
        return lines

    def render(self) -> str:
        r = self.report
        nilai = any(b.nilai is not None for b in r.rules.scale.bands)
        lines = [*self.header(), ""]
        columns = [self.column("ref"), self.column("indicator")]
        if self.several:
            columns.append(self.column("period"))
        columns += [
            self.column(name)
            for name in ("target", "realised", "percent", "progress", "status", "rating")
        ]
        right = {len(columns) - 6, len(columns) - 5, len(columns) - 4, len(columns) - 3}
        if nilai:  # only under a scale that defines a nilai (PermenPANRB 8/2021)
            columns.append(self.column("nilai"))
            right.add(len(columns) - 1)
        by_sheet: dict[str, list[Achievement]] = {}
        for a in r.achievements:
            by_sheet.setdefault((a.reference or "").partition(":")[0], []).append(a)
        for sheet in r.document.sheets:
            mine = by_sheet.get(str(sheet.number))
            if not mine:
                continue
            lines.append(r.text("report.sheet", number=sheet.number, position=sheet.position))
            lines += _render(columns, [self.row(a, nilai) for a in mine], right)
            notes = [
                f"  {a.reference or a.indicator.id}"
                f"{f' ({a.period.label(self.lang, short=True)})' if self.several else ''}: {w}"
                for a in mine
                for w in notice_texts(a, self.lang)
            ]
            if notes:
                lines += [r.text("report.notes"), *notes]
            lines.append("")
        lines.append(r.text("report.legend"))
        for title, level_rows, name_header in (
            ("report.objectives", r.objectives, "objective"),
            ("report.sheets", r.sheets, "position"),
        ):
            lines += ["", r.text(title)]
            cols = [self.column("ref"), self.column(name_header)]
            if self.several:
                cols.append(self.column("period"))
            cols += [self.column("count"), self.column("percent"), self.column("rating")]
            body = [
                [
                    x.reference,
                    _wrap(x.name),
                    *self.period(x),
                    str(x.count),
                    self.pct(x.percent),
                    x.rating or "-",
                ]
                for x in level_rows
            ]
            lines += _render(cols, body, {len(cols) - 3, len(cols) - 2})
        return "\n".join(lines) + "\n"

    def row(self, a: Achievement, nilai: bool) -> list[str]:
        cells = [
            a.reference or a.indicator.id,
            _wrap(a.indicator.name),
            *self.period(a),
            self.quantity(a.target),
            self.quantity(a.realised),
            self.pct(a.percent),
            self.pct(a.progress),
            self.statuses[a.status],
            a.rating or "-",
        ]
        if nilai:
            cells.append(self.pct(a.nilai))
        return cells
