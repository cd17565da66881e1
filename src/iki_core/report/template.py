"""A realisations file to fill in (``iki template``): one row per indicator and period of
a year, the indicator's name, unit and target to date shown beside the empty cells.

The file is a realisations file as :func:`iki_core.realisations.load_realisations` reads
it: the reader reads past the name, unit and target columns, and takes a row still empty
as *not yet reported* (never an error), so a template filled in part reads. Headers are
in the language asked for (the Indonesian ones are the reader's aliases); the target is
the target to date the report compares the cumulative realisation with, as the report
shows it (exact up to two decimals, else rounded half-up to two).

>>> import io
>>> from iki_core import loaders
>>> doc = loaders.load("examples/kesbangpol_lampung_barat_2018-2022.txt")
>>> rows = template_rows(doc, 2021, sheets=[3])
>>> out = io.StringIO()
>>> write_template_csv(rows, out, lang="en")
>>> print(out.getvalue().splitlines()[0])
indicator,period,name,unit,target_to_date,value,numerator,denominator,reported_on,note
>>> print(out.getvalue().splitlines()[3])
3:1,2021-Q3,Jumlah peserta sosialisasi,orang,187.5,,,,,
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Literal, TextIO

import attrs

from iki_core import messages
from iki_core.engine import achievements
from iki_core.errors import InvalidValueError
from iki_core.model import Document, PercentageFormula
from iki_core.periods import Period, PeriodKind
from iki_core.rules import Rules

from .lkjip import unit_label
from .model import number_text
from .select import select_document

__all__ = [
    "TEMPLATE_COLUMNS",
    "TemplateRow",
    "template_columns",
    "template_rows",
    "write_template_csv",
    "write_template_xlsx",
]

TEMPLATE_COLUMNS = (
    "indicator",
    "period",
    "name",
    "unit",
    "target_to_date",
    "value",
    "numerator",
    "denominator",
    "reported_on",
    "note",
)
"""The template's columns (keys of the catalogue's ``[template.column]``), in order."""

By = Literal["quarter", "month"]


@attrs.frozen
class TemplateRow:
    """One row to fill: an indicator in a period, its target to date beside it."""

    reference: str
    name: str
    unit: str
    period: Period
    target: Decimal | None
    ratio: bool


def template_columns(lang: str) -> tuple[str, ...]:
    """The header of the template in ``lang`` (names the realisations reader reads)."""
    return tuple(messages.text(f"template.column.{c}", lang) for c in TEMPLATE_COLUMNS)


def template_rows(
    document: Document,
    year: int,
    *,
    by: By = "quarter",
    sheets: Iterable[int] = (),
    indicators: Iterable[str] = (),
    rules: Rules | None = None,
) -> list[TemplateRow]:
    """The rows of the template of ``year`` (quarters, or months with ``by="month"``),
    for the sheets and indicators named (all when none), in document order."""
    if by not in ("quarter", "month"):
        raise InvalidValueError(field="by", expected="'quarter' or 'month'", value=by)
    document = select_document(document, sheets=sheets, indicators=indicators)
    years = {y for s in document.sheets for y in s.plan_years}
    if years and year not in years:
        raise InvalidValueError(
            field="--year",
            expected="a plan year of the document (" + ", ".join(map(str, sorted(years))) + ")",
            value=year,
        )
    kind, count = (PeriodKind.QUARTER, 4) if by == "quarter" else (PeriodKind.MONTH, 12)
    periods = [Period(year, kind, i) for i in range(1, count + 1)]
    rows = []
    for a in achievements(document, (), periods, rules):
        ind = a.indicator
        target = None if a.target is None else _shown(a.target.magnitude)
        rows.append(
            TemplateRow(
                a.reference or ind.id,
                ind.name,
                unit_label(ind.kind.unit),
                a.period,
                target,
                isinstance(ind.kind, PercentageFormula),
            )
        )
    return rows


def _shown(value: Decimal) -> Decimal:
    """A target as the report shows it: exact up to two decimals, else rounded half-up to
    two (250 x 7/12 = 145.8333... is 145.83)."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return value


def _unit(row: TemplateRow, lang: str) -> str:
    return messages.text("template.ratio", lang) if row.ratio else row.unit


def write_template_csv(rows: Sequence[TemplateRow], out: TextIO, *, lang: str = "id") -> None:
    """The template as CSV (comma-separated, numbers written the ``lang`` way)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(template_columns(lang))
    seps = {ord(","): "", ord("."): messages.text("number.decimal", lang)}
    for r in rows:
        target = "" if r.target is None else number_text(r.target, seps, grouping=False)
        writer.writerow(
            [r.reference, str(r.period), r.name, _unit(r, lang), target, "", "", "", "", ""]
        )


def write_template_xlsx(rows: Sequence[TemplateRow], out: IO[bytes], *, lang: str = "id") -> None:
    """The template as an xlsx workbook: one worksheet, the header frozen, the target a
    number with a number format, the cells to fill left empty."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook has one worksheet
    ws.title = messages.text("template.sheet", lang)
    ws.append(list(template_columns(lang)))
    fill = PatternFill("solid", fgColor="D9E1F2")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
    for r in rows:
        ws.append([r.reference, str(r.period), r.name, _unit(r, lang), r.target])
        if r.target is not None:
            cell = ws.cell(ws.max_row, 5)
            exponent = r.target.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            cell.number_format = "#,##0" + ("." + "0" * places if places else "")
    for letter, size in zip("ABCDEFGHIJ", (10, 10, 48, 14, 12, 12, 12, 12, 14, 30), strict=True):
        ws.column_dimensions[letter].width = size
    ws.freeze_panes = "A2"
    wb.save(out)
