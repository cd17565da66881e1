"""The LKjIP outputs of the registry: a :class:`~iki_core.report.Report` written as an
Excel workbook, an HTML page or a PDF (``iki report --format xlsx|html|pdf``).

Each writer builds the LKjIP table (:func:`~iki_core.report.build_table`) in the report's
language and layout, then hands it to the file writer. The HTML and PDF reports show,
under each sheet's table, the charts ``report.charts`` asks for (SVG in the HTML, PNG in
the PDF): the sheet's mean achievement per period (``"sheet"``), or each indicator's
achievement per period, two to a row (``"indicator"``), when there is more than one
quarter or month to draw (``report.history``, or the report's own periods). The xlsx and
PDF writers write bytes, to ``out.buffer``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, TextIO, TypeVar

from iki_core.engine import Achievement, Rollup, rollup
from iki_core.errors import InvalidValueError
from iki_core.periods import PeriodKind

from .chart import ImageFormat, chart_indicator, chart_sheet
from .html import write_html
from .lkjip import LkjipTable, build_table
from .model import Report
from .pdf import write_pdf
from .xlsx import write_xlsx

_Drawn = TypeVar("_Drawn", Rollup, Achievement)

__all__ = ["sheet_charts", "write_html_report", "write_pdf_report", "write_xlsx_report"]


def _table(report: Report) -> LkjipTable:
    return build_table(
        report.document,
        report.achievements,
        report.rules,
        lang=report.lang,
        layout=report.layout,
    )


def binary_stream(out: TextIO) -> IO[bytes]:
    """The bytes under the text stream ``out`` (``sys.stdout.buffer``, a file opened by
    :func:`open` in text mode); a stream without one is refused."""
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        raise InvalidValueError(
            field="out", expected="a text stream with a binary buffer", value=type(out).__name__
        )
    out.flush()
    return buffer  # type: ignore[no-any-return]


def chart_points(rows: Sequence[_Drawn]) -> list[_Drawn]:
    """The roll-ups or achievements a chart draws: the quarters and months, in period
    order (the year only when it is all there is)."""
    parts = [r for r in rows if r.period.kind is not PeriodKind.YEAR]
    return sorted(parts or rows, key=lambda r: r.period)


INDICATOR_CHART_SIZE = (600, 250)
"""Pixels of an indicator's chart in a report: two side by side and three rows of them
fit a page of A4 landscape."""


def sheet_charts(report: Report, format: ImageFormat) -> dict[int, list[bytes]]:
    """The charts under each sheet's table, by sheet number: the sheet's mean achievement
    per period (``report.charts == "sheet"``) or one chart per indicator, in document order
    (``"indicator"``); none for ``"none"``, nor for a sheet or indicator with a single
    period to draw, nor for an indicator without a capaian in any of them (the table
    already says why: no realisation, no target). The periods are those of
    ``report.history`` when it holds any, else the report's own."""
    if report.charts == "none":
        return {}
    if report.charts == "indicator":
        return _indicator_charts(report, format)
    out: dict[int, list[bytes]] = {}
    by_sheet: dict[str, list[Rollup]] = {}
    means = report.sheets
    if report.history:
        means = tuple(rollup(report.history, report.document, level="sheet", rules=report.rules))
    for r in means:
        by_sheet.setdefault(r.reference, []).append(r)
    for reference, rollups in by_sheet.items():
        points = chart_points(rollups)
        if len(points) > 1:
            image = chart_sheet(points, report.rules.scale, lang=report.lang, format=format)
            out[int(reference)] = [image]
    return out


def _indicator_charts(report: Report, format: ImageFormat) -> dict[int, list[bytes]]:
    """A chart of each indicator's achievement per period, by sheet number."""
    by_indicator: dict[str, list[Achievement]] = {}
    for a in report.history or report.achievements:
        if a.reference is not None:
            by_indicator.setdefault(a.reference, []).append(a)
    out: dict[int, list[bytes]] = {}
    for reference, rows in by_indicator.items():
        points = chart_points(rows)
        if len(points) > 1 and any(a.percent is not None for a in points):
            image = chart_indicator(
                points,
                report.rules.scale,
                lang=report.lang,
                format=format,
                size=INDICATOR_CHART_SIZE,
                reference=reference,
            )
            out.setdefault(int(reference.split(":", 1)[0]), []).append(image)
    return out


def charts_per_row(report: Report) -> int:
    """How many charts a row of the HTML or PDF report holds: two of the indicators'."""
    return 2 if report.charts == "indicator" else 1


def write_xlsx_report(report: Report, out: TextIO) -> None:
    """The LKjIP table of ``report`` as an xlsx workbook, to ``out.buffer``."""
    write_xlsx(_table(report), binary_stream(out))


def write_html_report(report: Report, out: TextIO) -> None:
    """The LKjIP table of ``report`` as an HTML page, with the sheets' charts as SVG."""
    charts: Mapping[int, Sequence[bytes]] = sheet_charts(report, "svg")
    write_html(_table(report), out, charts, per_row=charts_per_row(report))


def write_pdf_report(report: Report, out: TextIO) -> None:
    """The LKjIP table of ``report`` as a PDF, with the sheets' charts as PNG, to
    ``out.buffer``."""
    charts = sheet_charts(report, "png")
    write_pdf(_table(report), binary_stream(out), charts, per_row=charts_per_row(report))
