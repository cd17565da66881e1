"""Achievements of a national dataset on Dask: one task per agency, the columnar path in
each.

The dataset is a directory of Parquet files partitioned by agency (``agency=<code>``
directories, as Hive, Spark and ``pyarrow.dataset`` write them):

.. code-block:: text

    <root>/indicators/agency=<code>/*.parquet     iki_core.columnar.INDICATOR_SCHEMA
    <root>/realisations/agency=<code>/*.parquet   iki_core.columnar.REALISATION_SCHEMA

Each task reads one agency's two tables (a few thousand civil servants: a few MB), computes
its achievements with :func:`~iki_core.columnar.achievements_from_parquet` (the kernel and,
for the rows it does not cover, the object engine) and writes them to
``<output>/agency=<code>/part-0.parquet``; only a small summary travels back to the client,
so no process ever holds more than one agency. The result is the same whatever the number
of workers, and the same as one process (:func:`compute_agency` in a loop): the tests hold
them equal.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from iki_core import rules as _rules
from iki_core.errors import InvalidValueError
from iki_core.periods import Period
from iki_core.rules import Rules

from .frame import achievements_from_parquet

__all__ = ["AgencySummary", "agencies", "compute_agency", "compute_dataset", "write_agency"]


@attrs.frozen
class AgencySummary:
    """What one agency's task did: its rows, how many the kernel computed, how many of
    them are achieved, and the seconds it took (reading, computing and writing): on the
    clock and on the worker's processor (``cpu_seconds``; less when the machine is
    shared)."""

    agency: str
    rows: int
    kernel_rows: int
    achieved: int
    seconds: float
    cpu_seconds: float


def write_agency(
    root: str | Path, agency: str, indicators: pa.Table, realisations: pa.Table
) -> None:
    """Write one agency's indicators and realisations tables into the dataset at
    ``root``."""
    for name, table in (("indicators", indicators), ("realisations", realisations)):
        folder = Path(root) / name / f"agency={agency}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / "part-0.parquet")


def agencies(root: str | Path) -> list[str]:
    """The agencies of the dataset at ``root``, sorted."""
    folder = Path(root) / "indicators"
    return sorted(p.name.partition("=")[2] for p in folder.glob("agency=*") if p.is_dir())


def compute_agency(
    root: str,
    agency: str,
    periods: Sequence[str],
    rules: Rules | None = None,
    output: str | None = None,
) -> AgencySummary | pa.Table:
    """One agency's achievements in ``periods`` ("2021-Q1", ...): written under
    ``output`` (in ``agency=<code>``; then a summary is returned) or returned as a table
    with an ``agency`` column."""
    started, started_cpu = time.perf_counter(), time.process_time()
    base = Path(root)
    # the realisations batch by batch into the kernel's integer columns, without the
    # notes the computation does not read: a worker holds one agency's columns, not its
    # files; the engine's indicators' realisations are read again, those only
    wanted = [Period.parse(p) for p in periods]
    table = achievements_from_parquet(
        base / "indicators" / f"agency={agency}",
        base / "realisations" / f"agency={agency}",
        wanted,
        rules,
    )
    assert isinstance(table, pa.Table)
    if output is None:
        return table.append_column("agency", pa.array([agency] * len(table), pa.string()))
    folder = Path(output) / f"agency={agency}"  # the agency is in the path
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / "part-0.parquet")
    return AgencySummary(
        agency,
        len(table),
        pc.sum(pc.equal(table["path"].cast(pa.string()), "kernel")).as_py() or 0,
        pc.sum(pc.equal(table["status"].cast(pa.string()), "achieved")).as_py() or 0,
        time.perf_counter() - started,
        time.process_time() - started_cpu,
    )


def compute_dataset(
    root: str | Path,
    periods: Iterable[str],
    rules: Rules | None = None,
    *,
    client: object = None,
    output: str | Path | None = None,
    on_done: Callable[[AgencySummary], None] | None = None,
    only: Iterable[str] | None = None,
) -> list[AgencySummary] | pa.Table:
    """Every agency's achievements, one Dask task per agency on ``client`` (a
    ``distributed.Client``; None: one after the other in this process); with ``only``,
    those agencies alone (an agency the dataset does not have is refused, naming the
    ones it has), for an agency computed again once its data is mended.

    With ``output`` each task writes its agency's results there and a summary per agency
    is returned, in agency order; ``on_done`` is called with each summary as its agency
    is done (in the order they finish on a cluster), for a progress report. Without
    ``output`` the tables are gathered and concatenated in agency order (for small
    datasets and tests).
    """
    rules = rules if rules is not None else _rules.DEFAULT_RULES
    names = agencies(root)
    if only is not None:
        asked = set(only)
        unknown = sorted(asked - set(names))
        if unknown:
            raise InvalidValueError(
                field="agency",
                expected="an agency of the dataset: " + ", ".join(names),
                value=unknown[0],
            )
        names = [a for a in names if a in asked]
    wanted = list(periods)
    out = None if output is None else str(output)
    results: list[AgencySummary | pa.Table]
    if client is None:
        results = []
        for a in names:
            results.append(compute_agency(str(root), a, wanted, rules, out))
            _report(results[-1], on_done)
    else:
        futures = client.map(  # type: ignore[attr-defined]
            compute_agency,
            [str(root)] * len(names),
            names,
            [wanted] * len(names),
            [rules] * len(names),
            [out] * len(names),
            pure=False,
        )
        if on_done is not None:
            from distributed import as_completed

            for done in as_completed(futures):  # type: ignore[no-untyped-call]
                _report(done.result(), on_done)
        results = client.gather(futures)  # type: ignore[attr-defined]
    if output is not None:
        return [r for r in results if isinstance(r, AgencySummary)]
    return pa.concat_tables([r for r in results if isinstance(r, pa.Table)])


def _report(
    result: AgencySummary | pa.Table, on_done: Callable[[AgencySummary], None] | None
) -> None:
    if on_done is not None and isinstance(result, AgencySummary):
        on_done(result)
