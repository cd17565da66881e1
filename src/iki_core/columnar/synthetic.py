"""A synthetic national e-Kinerja year, reproducible from a seed, one agency at a time.

For benchmarks and for trying a cluster: each civil servant has one sheet of eight
individual indicators (about 65% counts, 35% percentage formulas; 15% lower is better;
a fifth of the counts with a quarterly plan; 1% range targets) and reports each quarter
(2% of the reports late, 2% missing): the mix sends a few percent of the rows to the
object engine, as real data would. Nothing here is real data.

>>> ind, real = agency_tables("A001", servants=2, year=2025, seed=7)
>>> len(ind), len(real) <= 2 * 8 * 4
(16, True)
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from .tables import INDICATOR_SCHEMA, REALISATION_SCHEMA, decimal_type

__all__ = ["INDICATORS_PER_SERVANT", "agency_tables"]

INDICATORS_PER_SERVANT: Final = 8
_UNITS: Final = ("laporan", "orang", "dokumen", "kegiatan")


def _text(values: npt.NDArray[np.int64]) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def agency_tables(
    agency: str,
    servants: int,
    *,
    year: int = 2025,
    seed: int = 0,
    late: float = 0.02,
    missing: float = 0.02,
    ranges: float = 0.01,
) -> tuple[pa.Table, pa.Table]:
    """The indicators and realisations tables of one agency of ``servants`` civil
    servants (the same for the same arguments). ``late``, ``missing`` and ``ranges`` are
    the shares of late reports, missing reports and range targets (0 for a dataset the
    kernel computes whole)."""
    rng = np.random.default_rng([seed, *agency.encode()])
    n = servants * INDICATORS_PER_SERVANT
    sheet = np.repeat(np.arange(1, servants + 1), INDICATORS_PER_SERVANT)
    ident = np.tile(np.arange(1, INDICATORS_PER_SERVANT + 1), servants)
    reference = pc.binary_join_element_wise(_text(sheet), _text(ident), ":")
    pct = rng.random(n) < 0.35
    lower = rng.random(n) < 0.15
    unit = np.where(pct, "persen", np.array(_UNITS)[rng.integers(0, len(_UNITS), n)])
    target = np.where(pct, rng.integers(60, 101, n), rng.integers(4, 401, n))
    ranged = rng.random(n) < ranges
    target_text = pc.binary_join_element_wise(_text(target), pa.array(unit), " ")
    range_text = pc.binary_join_element_wise(
        _text(np.maximum(target - 10, 1)), _text(target), pa.array(unit), " "
    )
    range_text = pc.replace_substring(range_text, " ", "-", max_replacements=1)
    target_text = pc.if_else(pa.array(ranged), range_text, target_text)
    planned = ~pct & (rng.random(n) < 0.2)
    shares = rng.dirichlet(np.ones(4), n)
    quarters = np.floor(shares * target[:, None]).astype(np.int64)
    quarters[:, 3] += target - quarters.sum(axis=1)
    plan_cols = {}
    for q in range(4):
        text = pc.binary_join_element_wise(_text(quarters[:, q]), pa.array(unit), " ")
        plan_cols[f"q{q + 1}"] = pc.if_else(pa.array(planned), text, pa.nulls(n, pa.string()))
    indicators = pa.table(
        {
            "reference": reference,
            "sheet": pa.array(sheet, pa.int32()),
            "id": _text(ident),
            "name": pa.array(np.where(pct, "Persentase capaian", "Jumlah keluaran")),
            "kind": pa.array(np.where(pct, "percentage", "count")),
            "unit": pa.array(unit),
            "polarity": pa.array(np.where(lower, "lower_is_better", "higher_is_better")),
            "aggregation": pa.array(["sum"] * n),
            "factor": pa.array([None] * n, decimal_type()),
            "year": pa.array(np.full(n, year), pa.int32()),
            "target_text": target_text,
            **plan_cols,
            "windows": pa.nulls(n, pa.string()),
            "baseline_year": pa.nulls(n, pa.int32()),
            "baseline": pa.nulls(n, pa.string()),
        },
        schema=INDICATOR_SCHEMA,
    )
    # four quarterly reports per indicator, 2% missing, 2% late
    rows = np.repeat(np.arange(n), 4)
    quarter = np.tile(np.arange(1, 5), n)
    kept = rng.random(len(rows)) >= missing
    rows, quarter = rows[kept], quarter[kept]
    m = len(rows)
    is_pct = pct[rows]
    y = rng.integers(10, 201, m)
    x = np.floor(y * rng.uniform(0.5, 1.0, m)).astype(np.int64)
    value = np.floor(target[rows] / 4 * rng.uniform(0.5, 1.5, m)).astype(np.int64)
    end = np.array([(dt.date(year, 3 * q, 1) - dt.date(1970, 1, 1)).days + 30 for q in range(1, 5)])
    is_late = rng.random(m) < late
    delay = np.where(is_late, rng.integers(40, 90, m), rng.integers(1, 20, m))
    reported = end[quarter - 1] + delay
    period = pc.binary_join_element_wise(pa.array(np.full(m, str(year))), _text(quarter), "-Q")
    period = pc.replace_substring(period, "-Q-Q", "-Q")
    realisations = pa.table(
        {
            "indicator": pc.take(reference, pa.array(rows)),
            "period": period,
            "value": pa.array(np.where(is_pct, 0, value)).cast(decimal_type()),
            "unit": pc.if_else(pa.array(is_pct), None, ""),
            "numerator": pa.array(x).cast(decimal_type()),
            "denominator": pa.array(y).cast(decimal_type()),
            "reported_on": pa.array(reported.astype(np.int32)).cast(pa.date32()),
            "note": pa.array([""] * m),
        }
    )
    pct_rows = pa.array(is_pct)
    realisations = realisations.set_column(
        2, "value", pc.if_else(pct_rows, None, realisations["value"])
    )
    for i, name in ((4, "numerator"), (5, "denominator")):
        realisations = realisations.set_column(
            i, name, pc.if_else(pct_rows, realisations[name], None)
        )
    return indicators, realisations.cast(REALISATION_SCHEMA)
