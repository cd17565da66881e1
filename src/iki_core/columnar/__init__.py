"""The columnar path: exact achievements over Arrow columns, for a province or a country.

Install with ``pip install "iki-core[columnar]"`` (numpy, pyarrow; ``[frames]`` adds
polars and pandas, ``[dask]`` Dask). ``import iki_core`` does not import this package.

- :func:`achievements_table`, :func:`achievements_from_tables` and
  :func:`achievements_from_parquet` (in bounded memory) compute what
  :func:`iki_core.engine.achievements` computes, as a table, equal on every row (see
  :mod:`iki_core.columnar.frame` for which rows the kernel computes and which the engine;
  :mod:`iki_core.columnar._route` states that rule over columns, :mod:`._results` builds
  the results table);
- :class:`Kernel`: the exact scaled-integer arithmetic;
- :func:`read_realisations_csv`, :func:`read_realisations_parquet`: bulk readers;
- :mod:`iki_core.columnar.distributed`: the same over a dataset partitioned by agency, on
  Dask.
"""

from __future__ import annotations

from .frame import (
    RESULT_COLUMNS,
    achievements_from_parquet,
    achievements_from_tables,
    achievements_table,
)
from .kernel import Kernel, KernelResult
from .tables import (
    INDICATOR_SCHEMA,
    REALISATION_SCHEMA,
    document_from_indicators,
    indicators_table,
    realisations_from_table,
    realisations_table,
)

__all__ = [
    "INDICATOR_SCHEMA",
    "REALISATION_SCHEMA",
    "RESULT_COLUMNS",
    "Kernel",
    "KernelResult",
    "achievements_from_parquet",
    "achievements_from_tables",
    "achievements_table",
    "document_from_indicators",
    "indicators_table",
    "realisations_from_table",
    "realisations_table",
]
