"""Achievements as data frames for analysts: one flat row per indicator and period, typed
columns, decimals kept exact (Arrow decimals, never floats).

Columns: ``sheet`` (int), ``objective`` (its number, "2:1"), ``objective_name``, ``order``
(the indicator's position in the document, from 1), ``reference`` ("2:1.1"),
``indicator`` (its name), ``period`` ("2021-Q3"), ``target``, ``unit``, ``realised``,
``percent``, ``progress``, ``status``, ``rating``, ``nilai`` and ``notices`` (a list of
notice codes). Decimal columns take the smallest Arrow decimal type that holds every value
exactly (decimal128 up to 38 digits, else decimal256).

:func:`to_arrow` needs pyarrow (the ``frames`` extra); :func:`to_pandas` and
:func:`to_polars` build on it (pandas holds the decimals as :class:`~decimal.Decimal`
objects, polars as its Decimal type).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from iki_core.engine import Achievement
from iki_core.errors import InvalidValueError
from iki_core.model import Document
from iki_core.units import PERCENT, Quantity

if TYPE_CHECKING:
    import pandas
    import polars
    import pyarrow

__all__ = ["COLUMNS", "to_arrow", "to_pandas", "to_polars"]

COLUMNS = (
    "sheet",
    "objective",
    "objective_name",
    "order",
    "reference",
    "indicator",
    "period",
    "target",
    "unit",
    "realised",
    "percent",
    "progress",
    "status",
    "rating",
    "nilai",
    "notices",
)
"""The columns of every frame, in order."""

_DECIMALS = ("target", "realised", "percent", "progress", "nilai")


def _magnitude(q: Quantity | None) -> Decimal | None:
    return None if q is None else q.magnitude


def _unit(q: Quantity | None, fallback: str) -> str:
    if q is None:
        return fallback
    return "%" if q.unit.dimension == PERCENT.dimension else q.unit.name


def _decimal_type(values: Sequence[Decimal | None]) -> pyarrow.DataType:
    import pyarrow as pa

    scale = 0
    whole = 1
    for v in values:
        if v is None:
            continue
        t = v.as_tuple()
        exponent = t.exponent if isinstance(t.exponent, int) else 0
        scale = max(scale, -exponent)
        whole = max(whole, len(t.digits) + exponent)
    precision = whole + scale
    if precision <= 38:
        return pa.decimal128(max(precision, 1), scale)
    if precision <= 76:
        return pa.decimal256(precision, scale)
    raise InvalidValueError(
        field="frame decimal", expected="at most 76 significant digits", value=precision
    )


def _rows(document: Document, achievements: Iterable[Achievement]) -> dict[str, list[object]]:
    where: dict[str, tuple[int, str, str, int, str]] = {}
    order = 0
    for sheet in document.sheets:
        for objective in sheet.objectives:
            for ind in objective.indicators:
                order += 1
                where[f"{sheet.number}:{ind.id}"] = (
                    sheet.number,
                    f"{sheet.number}:{objective.number}",
                    objective.name,
                    order,
                    "%" if ind.kind.unit.dimension == PERCENT.dimension else ind.kind.unit.name,
                )
    cols: dict[str, list[object]] = {c: [] for c in COLUMNS}
    for a in achievements:
        ref = a.reference
        if ref is None or ref not in where:
            raise InvalidValueError(
                field="achievements",
                expected="achievements computed from this document (with its references)",
                value=f"{a.indicator.id} {a.period}",
            )
        sheet_no, objective_ref, objective_name, position, unit = where[ref]
        for name, value in (
            ("sheet", sheet_no),
            ("objective", objective_ref),
            ("objective_name", objective_name),
            ("order", position),
            ("reference", ref),
            ("indicator", a.indicator.name),
            ("period", str(a.period)),
            ("target", _magnitude(a.target)),
            ("unit", _unit(a.target or a.realised, unit)),
            ("realised", _magnitude(a.realised)),
            ("percent", a.percent),
            ("progress", a.progress),
            ("status", a.status.value),
            ("rating", a.rating),
            ("nilai", a.nilai),
            ("notices", [n.code for n in a.notices]),
        ):
            cols[name].append(value)
    return cols


def to_arrow(document: Document, achievements: Iterable[Achievement]) -> pyarrow.Table:
    """The achievements as an Arrow table (see the module's docstring for the columns).

    >>> from iki_core import Period, loaders
    >>> from iki_core.engine import achievements
    >>> from iki_core.realisations import load_realisations
    >>> doc = loaders.load("examples/kesbangpol_lampung_barat_2018-2022.txt")
    >>> rs = load_realisations("examples/realisasi_2021.csv", doc)
    >>> t = to_arrow(doc, achievements(doc, rs.realisations, [Period.parse("2021-Q3")]))
    >>> t.num_rows, str(t.schema.field("percent").type)
    (135, 'decimal128(5, 2)')
    >>> t.column("percent")[2].as_py()
    Decimal('98.67')
    """
    import pyarrow as pa

    cols = _rows(document, achievements)
    arrays = {}
    for name in COLUMNS:
        values = cols[name]
        if name in _DECIMALS:
            arrays[name] = pa.array(values, type=_decimal_type(values))  # type: ignore[arg-type]
        elif name in ("sheet", "order"):
            arrays[name] = pa.array(values, type=pa.int32())
        elif name == "notices":
            arrays[name] = pa.array(values, type=pa.list_(pa.string()))
        else:
            arrays[name] = pa.array(values, type=pa.string())
    return pa.table(arrays)


def to_pandas(document: Document, achievements: Iterable[Achievement]) -> pandas.DataFrame:
    """The achievements as a pandas DataFrame; decimal columns hold exact
    :class:`~decimal.Decimal` objects."""
    import pandas as pd

    frame = to_arrow(document, achievements).to_pandas()
    assert isinstance(frame, pd.DataFrame)
    return frame


def to_polars(document: Document, achievements: Iterable[Achievement]) -> polars.DataFrame:
    """The achievements as a polars DataFrame, decimals as polars Decimal columns."""
    import polars as pl

    frame = pl.from_arrow(to_arrow(document, achievements))
    assert isinstance(frame, pl.DataFrame)
    return frame
