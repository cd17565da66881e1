"""The ``csv`` output: one row per achievement, for spreadsheets.

The columns are keys, like the JSON keys, the same in every language (:data:`CSV_COLUMNS`);
numbers are written with the decimal separator of the report's language, without
grouping. A language whose decimal separator is a comma (Indonesian) separates the fields
with semicolons, as spreadsheets set to that language save CSV; others with commas.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Final, TextIO

from iki_core import messages
from iki_core.units import Quantity

from .model import Report, amount_text, number_text, separators

__all__ = ["CSV_COLUMNS", "write_csv"]

CSV_COLUMNS: Final = (
    "indicator",
    "name",
    "period",
    "target",
    "target_unit",
    "realised",
    "realised_unit",
    "percent",
    "progress",
    "status",
    "rating",
)
"""The header of ``iki report --format csv`` (a stable format, like the JSON keys)."""


def write_csv(report: Report, out: TextIO) -> None:
    """The ``csv`` output: the report's achievements, one per line."""
    lang, places = report.lang, report.rules.places
    numbers = separators(lang)
    comma = messages.text("number.decimal", lang) == ","
    writer = csv.writer(out, delimiter=";" if comma else ",", lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def number(value: Decimal | None) -> str:
        return "" if value is None else number_text(value, numbers, places=places, grouping=False)

    def amount(q: Quantity | None) -> tuple[str, str]:
        if q is None:
            return "", ""
        number = amount_text(q.magnitude, numbers, grouping=False)
        return q.unit.written(q.magnitude, number) or number, q.unit.name

    for a in report.achievements:
        writer.writerow(
            [
                a.reference,
                a.indicator.name,
                str(a.period),
                *amount(a.target),
                *amount(a.realised),
                number(a.percent),
                number(a.progress),
                a.status.value,
                a.rating or "",
            ]
        )
