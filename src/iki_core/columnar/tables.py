"""Documents and realisations as Arrow tables, and back.

The columnar path reads two tables:

- **indicators**: one row per indicator and year of a document (:func:`indicators_table`):
  ``reference`` ("sheet:id"), ``sheet``, ``id``, ``name``, ``kind`` (``count``,
  ``percentage``, ``event_report``), ``unit`` (the unit's name, "" for a bare count),
  ``polarity``, ``aggregation``, ``factor`` (X / Y x factor, percentages), ``year``,
  ``target_text`` (the cell as written: "200 orang", "-", "80-90%"; null when the year has
  no entry), ``q1`` ... ``q4`` (the quarterly plan, as written; null without one),
  ``windows`` (an event report's active months, "2024:3-11"), ``baseline_year`` and
  ``baseline`` (the baseline, kondisi awal, as written; null without one, the same on
  every row of the indicator). The text columns are the
  truth; the engine reads them again (:func:`document_from_indicators`) for the rows the
  kernel does not compute.
- **realisations**: one row per realisation (:func:`realisations_table`): ``indicator``,
  ``period`` ("2021-Q3"), ``value``, ``unit`` (the value's unit when it has one, "" when
  bare), ``numerator``, ``denominator`` (decimals), ``reported_on`` (date) and ``note``.

The references may be integer codes instead of texts: an indicators table whose
``reference`` is an integer column and a realisations table whose ``indicator`` is the
same integers are matched as numbers (the results' ``reference`` gives the codes); the
engine, for the rows it computes, names each indicator by its ``sheet`` and ``id``. An
integer code facing text references is read as its text ("17").

Tables round-trip: ``document_from_indicators(indicators_table(doc))`` computes the same
achievements as ``doc``; the text a sheet had beyond its indicators (signatures, sources)
is not part of these tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Final

import pyarrow as pa

from iki_core.model import (
    Count,
    Document,
    EventReport,
    EventWindow,
    Indicator,
    Objective,
    PercentageFormula,
    QuarterlyPlan,
    Realisation,
    Sheet,
    Target,
)
from iki_core.periods import Period
from iki_core.units import BARE, Quantity, get_registry

__all__ = [
    "INDICATOR_SCHEMA",
    "REALISATION_SCHEMA",
    "decimal_type",
    "document_from_indicators",
    "indicators_table",
    "realisations_from_table",
    "realisations_table",
]

MAX_PLACES: Final = 18
"""Decimals kept by the tables' decimal columns (decimal128(38, 18)): more than any
realisation or target carries; the kernel reduces them to the fewest the data needs."""


def decimal_type(places: int = MAX_PLACES) -> pa.Decimal128Type:
    """The Arrow type of an exact decimal with ``places`` decimals."""
    return pa.decimal128(38, places)


INDICATOR_SCHEMA: Final = pa.schema(
    [
        ("reference", pa.string()),
        ("sheet", pa.int32()),
        ("id", pa.string()),
        ("name", pa.string()),
        ("kind", pa.string()),
        ("unit", pa.string()),
        ("polarity", pa.string()),
        ("aggregation", pa.string()),
        ("factor", decimal_type()),
        ("year", pa.int32()),
        ("target_text", pa.string()),
        ("q1", pa.string()),
        ("q2", pa.string()),
        ("q3", pa.string()),
        ("q4", pa.string()),
        ("windows", pa.string()),
        ("baseline_year", pa.int32()),
        ("baseline", pa.string()),
    ]
)
"""The columns of an indicators table."""

REALISATION_SCHEMA: Final = pa.schema(
    [
        ("indicator", pa.string()),
        ("period", pa.string()),
        ("value", decimal_type()),
        ("unit", pa.string()),
        ("numerator", decimal_type()),
        ("denominator", decimal_type()),
        ("reported_on", pa.date32()),
        ("note", pa.string()),
    ]
)
"""The columns of a realisations table."""


def _windows(kind: object) -> str | None:
    if not isinstance(kind, EventReport):
        return None
    return ";".join(f"{w.year}:{w.first_month}-{w.last_month}" for w in kind.windows)


def indicators_table(document: Document) -> pa.Table:
    """One row per indicator and year (of its targets and plans; one row with a null year
    for an indicator with neither), in document order."""
    rows: dict[str, list[object]] = {name: [] for name in INDICATOR_SCHEMA.names}
    for sheet in document.sheets:
        for ind in sheet.indicators:
            kind = ind.kind
            years = sorted({t.year for t in ind.targets} | {p.year for p in ind.plans})
            every: list[int | None] = [*years] if years else [None]
            for year in every:
                target = None if year is None else ind.target_for(year)
                plan = None if year is None else ind.plan_for(year)
                quarters: Sequence[Quantity | None] = (
                    plan.quarters if plan is not None else (None,) * 4
                )
                values: dict[str, object] = {
                    "reference": f"{sheet.number}:{ind.id}",
                    "sheet": sheet.number,
                    "id": ind.id,
                    "name": ind.name,
                    "kind": kind.name,
                    "unit": kind.unit.name,
                    "polarity": ind.polarity.value,
                    "aggregation": ind.aggregation.value,
                    "factor": kind.factor if isinstance(kind, PercentageFormula) else None,
                    "year": year,
                    "target_text": None if target is None else _target_text(target),
                    "windows": _windows(kind),
                    "baseline_year": None if ind.baseline is None else ind.baseline.year,
                    "baseline": None if ind.baseline is None else _target_text(ind.baseline),
                }
                for i, q in enumerate(quarters, 1):
                    values[f"q{i}"] = (
                        None if plan is None else "-" if q is None else _quantity_text(q)
                    )
                for name, column in rows.items():
                    column.append(values[name])
    return pa.table(rows, schema=INDICATOR_SCHEMA)


def _quantity_text(q: Quantity) -> str:
    """A quantity as text the target reader reads back exactly: "12,5 orang" (a decimal
    comma and no thousands dots, as Indonesian numbers are read)."""
    number = format(q.magnitude, "f").replace(".", ",")
    return f"{number} {q.unit.name}" if q.unit is not BARE else number


def _target_text(target: Target) -> str:
    value = target.value
    if value is None:
        return target.text.strip() or "-"
    if isinstance(value, Quantity):
        return _quantity_text(value)
    low, high = value.low, value.high
    if low.unit != high.unit:
        return target.text
    bounds = "-".join(format(q.magnitude, "f").replace(".", ",") for q in (low, high))
    return f"{bounds} {low.unit.name}" if low.unit is not BARE else bounds


def document_from_indicators(table: pa.Table) -> Document:
    """The document an indicators table describes (its indicators only), for the
    object engine."""
    registry = get_registry()
    targets_read: dict[tuple[int, str], Target] = {}  # the same cells recur: read each once
    quantities_read: dict[str, Quantity] = {}
    by_sheet: dict[int, dict[str, list[dict[str, object]]]] = {}
    for row in table.to_pylist():
        by_sheet.setdefault(int(str(row["sheet"])), {}).setdefault(str(row["id"]), []).append(row)
    sheets = []
    for number, indicators in by_sheet.items():
        built = []
        for ident, rows in indicators.items():
            first = rows[0]
            unit = registry.unit(str(first["unit"])) if first["unit"] else BARE
            kind: Count | PercentageFormula | EventReport
            if first["kind"] == "percentage":
                factor = _plain(first["factor"])
                kind = PercentageFormula(factor=Decimal(100) if factor is None else factor)
            elif first["kind"] == "event_report":
                kind = EventReport(unit, windows=_parse_windows(str(first["windows"] or "")))
            else:
                kind = Count(unit)
            targets, plans = [], []
            for row in rows:
                year = row["year"]
                if year is None:
                    continue
                if row["target_text"] is not None:
                    key = (int(str(year)), str(row["target_text"]))
                    target = targets_read.get(key)
                    if target is None:
                        target = targets_read[key] = Target.parse(*key)
                    targets.append(target)
                quarters = [row[f"q{i}"] for i in range(1, 5)]
                if any(q is not None for q in quarters):
                    plans.append(
                        QuarterlyPlan(
                            int(str(year)),
                            tuple(
                                None
                                if q in (None, "-")
                                else quantities_read.get(str(q))
                                or quantities_read.setdefault(
                                    str(q), registry.parse_quantity(str(q))
                                )
                                for q in quarters
                            ),
                        )
                    )
            baseline = None
            if first.get("baseline") is not None and first.get("baseline_year") is not None:
                key = (int(str(first["baseline_year"])), str(first["baseline"]))
                baseline = targets_read.get(key)
                if baseline is None:
                    baseline = targets_read[key] = Target.parse(*key)
            built.append(
                Indicator(
                    ident,
                    str(first["name"]),
                    kind,
                    targets=targets,
                    polarity=str(first["polarity"]),
                    aggregation=str(first["aggregation"]),
                    plans=plans,
                    baseline=baseline,
                )
            )
        sheets.append(Sheet(number, "", objectives=[Objective("1", "", built)]))
    return Document(sheets)


def _parse_windows(text: str) -> list[EventWindow]:
    out = []
    for part in filter(None, text.split(";")):
        year, _, months = part.partition(":")
        first, _, last = months.partition("-")
        out.append(EventWindow(int(year), int(first), int(last)))
    return out


def realisations_table(realisations: Iterable[Realisation]) -> pa.Table:
    """The realisations as a table (:data:`REALISATION_SCHEMA`), in the order given."""
    cols: dict[str, list[object]] = {name: [] for name in REALISATION_SCHEMA.names}
    for r in realisations:
        v = r.value
        cols["indicator"].append(r.indicator)
        cols["period"].append(str(r.period))
        cols["value"].append(None if v is None else v.magnitude)
        cols["unit"].append(None if v is None else v.unit.name)
        cols["numerator"].append(r.numerator)
        cols["denominator"].append(r.denominator)
        cols["reported_on"].append(r.reported_on)
        cols["note"].append(r.note)
    return pa.table(cols, schema=REALISATION_SCHEMA)


def _plain(value: object) -> Decimal | None:
    """A decimal of a table without the trailing zeros of its column's scale
    (1.000000000000000000 is 1, 2.500000000000000000 is 2.5), as it was written."""
    if value is None:
        return None
    d = Decimal(str(value))
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def realisations_from_table(table: pa.Table) -> list[Realisation]:
    """The realisations of a table (:data:`REALISATION_SCHEMA` columns; ``unit``,
    ``reported_on`` and ``note`` optional), as objects. The same texts and numbers recur
    row after row: each period, unit, quantity and decimal is built once."""
    registry = get_registry()
    n = len(table)

    def column(name: str) -> list[object]:
        return table[name].to_pylist() if name in table.column_names else [None] * n

    periods: dict[str, Period] = {}
    quantities: dict[tuple[object, object], Quantity] = {}
    plain: dict[object, Decimal | None] = {None: None}
    out = []
    for ref, text, value, unit, x, y, reported, note in zip(
        column("indicator"),
        column("period"),
        column("value"),
        column("unit"),
        column("numerator"),
        column("denominator"),
        column("reported_on"),
        column("note"),
        strict=True,
    ):
        period = periods.get(str(text))
        if period is None:
            period = periods[str(text)] = Period.parse(str(text), field="period")
        quantity = None
        if value is not None:
            quantity = quantities.get((value, unit))
            if quantity is None:
                u = registry.unit(str(unit)) if unit else BARE
                quantity = quantities[value, unit] = Quantity(_plain(value), u)
        for d in (x, y):
            if d not in plain:
                plain[d] = _plain(d)
        out.append(
            Realisation(
                str(ref),
                period,
                value=quantity,
                numerator=plain[x],
                denominator=plain[y],
                reported_on=reported if isinstance(reported, dt.date) else None,
                note=str(note or ""),
            )
        )
    return out
