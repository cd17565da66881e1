"""The LKjIP table as rows of typed cells, shared by the xlsx, HTML and PDF writers so the
three show the same table: one statement of its columns, spans and mean rows.

A cell holds text or a Decimal and says what kind of figure it is (``amount`` for targets
and realisations, ``percent`` for capaian and nilai); each writer formats it its own way
(a number with a number format in xlsx, Indonesian or English digits in HTML and PDF).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import attrs

from iki_core import messages
from iki_core.engine import Rollup
from iki_core.numbers import EXACT, format_number
from iki_core.report.lkjip import Cell, LkjipTable, SheetTable

__all__ = ["Out", "Row", "body_rows", "header_rows", "text_of"]

Kind = Literal["text", "amount", "percent"]
Style = Literal["", "objective", "mean", "sheet_mean"]


@attrs.frozen
class Out:
    """One cell of the laid-out table."""

    value: str | Decimal | None
    kind: Kind = "text"
    colspan: int = 1
    rowspan: int = 1


@attrs.frozen
class Row:
    """A row of cells; ``style`` marks the mean rows."""

    cells: tuple[Out, ...]
    style: Style = ""


def _figure_labels(table: LkjipTable) -> list[str]:
    """The figures under each period: all of them in the long layout; target,
    realisation and capaian in the wide one (its predikat and nilai columns close the
    row, for the last period)."""
    keys = ["target", "realised", "percent"]
    if table.layout == "long":
        keys += _closing_keys(table)
    return [table.label(k) for k in keys]


def _closing_keys(table: LkjipTable) -> list[str]:
    return ["rating", "nilai"] if table.nilai else ["rating"]


def header_rows(table: LkjipTable) -> list[Row]:
    """One header row (long layout) or two (wide: the period over its figures)."""
    lead = [table.label(k) for k in ("no", "objective", "indicator", "unit")]
    figures = _figure_labels(table)
    if table.layout == "long":
        cells = [Out(x) for x in lead]
        if len(table.periods) > 1:
            cells.append(Out(table.label("period")))
        cells += [Out(x) for x in figures]
        return [Row(tuple(cells))]
    top = [Out(x, rowspan=2) for x in lead]
    top += [Out(table.period_label(p), colspan=len(figures)) for p in table.periods]
    closing = _closing_keys(table)
    last = table.period_label(table.periods[-1]) if table.periods else ""
    top += [Out(f"{table.label(k)} {last}".strip(), rowspan=2) for k in closing]
    bottom = [Out(x) for _ in table.periods for x in figures]
    return [Row(tuple(top)), Row(tuple(bottom))]


def width(table: LkjipTable) -> int:
    """The number of columns."""
    figures = len(_figure_labels(table))
    if table.layout == "long":
        return 4 + (len(table.periods) > 1) + figures
    return 4 + figures * len(table.periods) + len(_closing_keys(table))


def _figures(cell: Cell | None, table: LkjipTable) -> list[Out]:
    if cell is None:
        n = len(_figure_labels(table))
        return [Out(None) for _ in range(n)]
    out = [Out(cell.target, "amount"), Out(cell.realised, "amount"), Out(cell.percent, "percent")]
    if table.layout == "long":
        out += _closing(cell, table)
    return out


def _closing(cell: Cell | None, table: LkjipTable) -> list[Out]:
    if cell is None:
        return [Out(None) for _ in _closing_keys(table)]
    out = [Out(cell.rating)]
    if table.nilai:
        out.append(Out(cell.nilai, "percent"))
    return out


def _mean_cells(means: tuple[Rollup, ...], table: LkjipTable) -> list[Out]:
    """The figure columns of a mean row: capaian and predikat under each period."""
    by_period = {r.period: r for r in means}
    out: list[Out] = []
    for p in table.periods:
        r = by_period.get(p)
        out += [Out(None), Out(None), Out(None if r is None else r.percent, "percent")]
    r = by_period.get(table.periods[-1]) if table.periods else None
    out.append(Out(None if r is None else r.rating))
    if table.nilai:
        out.append(Out(None))
    return out


def body_rows(table: LkjipTable, sheet: SheetTable) -> list[Row]:
    """The rows of ``sheet``: each objective's indicators with the objective's name
    spanning them, then its mean, and the sheet's mean at the end."""
    rows: list[Row] = []
    several = table.layout == "long" and len(table.periods) > 1
    lead = 4 + several
    for block in sheet.objectives:
        first = True
        for ir in block.rows:
            cells = [Out(ir.reference)]
            if first:
                cells.append(Out(block.name, rowspan=len(block.rows)))
            cells += [Out(ir.name), Out(ir.unit)]
            if table.layout == "long":
                if several:
                    cells.append(Out(table.period_label(ir.cells[0].period)))
                cells += _figures(ir.cells[0], table)
            else:
                mine = {c.period: c for c in ir.cells}
                for p in table.periods:
                    cells += _figures(mine.get(p), table)
                cells += _closing(mine.get(table.periods[-1]), table)
            rows.append(Row(tuple(cells), "objective" if first else ""))
            first = False
        rows += _mean_rows(table, block.means, "lkjip.mean_objective", block.reference, lead)
    rows += _mean_rows(table, sheet.means, "lkjip.mean_sheet", str(sheet.number), lead)
    return rows


def _mean_rows(
    table: LkjipTable, means: tuple[Rollup, ...], key: str, reference: str, lead: int
) -> list[Row]:
    label = messages.text(key, table.lang)
    style: Style = "sheet_mean" if key.endswith("sheet") else "mean"
    if table.layout == "wide":
        cells = (Out(reference), Out(label, colspan=lead - 1), *_mean_cells(means, table))
        return [Row(cells, style)]
    rows = []
    for r in means:
        text = label if len(table.periods) == 1 else f"{label} ({table.period_label(r.period)})"
        cells = (
            Out(reference),
            Out(text, colspan=lead - 1),
            Out(None),
            Out(None),
            Out(r.percent, "percent"),
            Out(r.rating),
            *([Out(None)] if table.nilai else []),
        )
        rows.append(Row(cells, style))
    return rows


def amount_text(value: Decimal, lang: str) -> str:
    """A target or realisation as written in a report: exact up to two decimals, else
    rounded (half-up) to two."""
    exponent = value.as_tuple().exponent
    places = 2 if isinstance(exponent, int) and exponent < -2 else None
    if places is None and value == value.to_integral_value(context=EXACT):
        value = value.quantize(Decimal(1), context=EXACT)
    return format_number(value, places=places, lang=_number_lang(lang))


def _number_lang(lang: str) -> Literal["id", "en"]:
    return "en" if lang == "en" else "id"


def text_of(out: Out, table: LkjipTable) -> str:
    """The cell as a person reads it in HTML or PDF."""
    v = out.value
    if v is None:
        return "" if out.kind == "text" else "-"
    if isinstance(v, str):
        return v
    if out.kind == "percent":
        return format_number(v, places=table.places, lang=_number_lang(table.lang))
    return amount_text(v, table.lang)
