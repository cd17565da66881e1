"""Benchmark of the columnar path (figures in docs/benchmarks.md, "Columnar path").

Everything is measured in one run, with the garbage collector on (as users run it), each
figure the median of several rounds (``--rounds``):

- kernel: :class:`iki_core.columnar.Kernel` on int64 columns (realisation to date, the
  period's target and the annual target as exact ratios: counts with prorated targets,
  percentages sum(X)/sum(Y), a share lower is better), against the same percent computed
  with numpy on floats (``np.round(r / t * 100, 2)``: fast and inexact, the baseline) and
  against a naive loop with a pint Quantity per value;
- the object engine (:func:`iki_core.engine.achievements`) on the same indicators;
- tables: :func:`iki_core.columnar.achievements_from_tables` from an Arrow table of
  indicators and one of realisations to an Arrow table of results, on a dataset the kernel
  computes whole and on a realistic one (late, missing reports and range targets go to the
  engine), the clean one also with integer indicator codes in place of the "sheet:id"
  references, with the peak memory (VmHWM) of a fresh process computing 1,000,000
  achievements from Parquet: read whole, read batch by batch into Arrow tables (only the
  columns computed, repeated texts as dictionaries), and through
  :func:`iki_core.columnar.achievements_from_parquet` (each batch into the kernel's
  integer columns) under Arrow's default allocator and jemalloc;
- readers: :func:`iki_core.columnar.readers.read_realisations_csv` and
  ``read_realisations_parquet`` against the row reader
  (:func:`iki_core.realisations.load_realisations`).

    python benchmarks/bench_columnar.py              # about a minute on 2 cores
    python benchmarks/bench_columnar.py --quick      # a few seconds
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from iki_core import engine
from iki_core.columnar import (
    Kernel,
    achievements_from_parquet,
    achievements_from_tables,
    document_from_indicators,
    realisations_from_table,
)
from iki_core.columnar.readers import (
    read_indicators_parquet,
    read_realisations_csv,
    read_realisations_parquet,
)
from iki_core.columnar.synthetic import INDICATORS_PER_SERVANT, agency_tables
from iki_core.periods import Period
from iki_core.realisations import load_realisations
from iki_core.rules import DEFAULT_RULES

PERIODS = [Period.parse(f"2025-Q{q}") for q in range(1, 5)]


CPU: dict[float, float] = {}
"""The median CPU seconds (all threads of this process) of each median wall time."""


def median_time(fn: Callable[[], object], rounds: int) -> float:
    """The median wall time of ``rounds`` calls (its CPU time in :data:`CPU`)."""
    times, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    wall = statistics.median(times)
    CPU[wall] = statistics.median(cpu)
    return wall


def rate(n: int, seconds: float) -> str:
    cpu = CPU.get(seconds)
    per_cpu = f"; {n / cpu:>13,.0f} per CPU s" if cpu else ""
    return f"{n / seconds:>13,.0f} /s  ({seconds * 1000:8.1f} ms for {n:,}{per_cpu})"


def kernel_columns(n: int, seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    pct = rng.random(n) < 0.35
    last = rng.choice([3, 6, 9, 12], n)
    target = rng.integers(4, 401, n)
    y = rng.integers(10, 2001, n)
    x = np.floor(y * rng.uniform(0.4, 1.0, n)).astype(np.int64)
    r = np.floor(target * last / 12 * rng.uniform(0.5, 1.5, n)).astype(np.int64)
    return {
        "rn": np.where(pct, x * 100, r),
        "rd": np.where(pct, y, 1),
        "tn": np.where(pct, target, target * last),
        "td": np.where(pct, 1, 12),
        "an": target.astype(np.int64),
        "ad": np.ones(n, np.int64),
        "lower": rng.random(n) < 0.15,
    }


def naive_pint(cols: dict[str, np.ndarray], n: int) -> float:
    import pint

    ureg = pint.UnitRegistry(non_int_type=Decimal)
    rows = [
        (int(cols["rn"][i]), int(cols["rd"][i]), int(cols["tn"][i]), int(cols["td"][i]))
        for i in range(n)
    ]
    start = time.perf_counter()
    out = []
    for rn, rd, tn, td in rows:
        r = ureg.Quantity(Decimal(rn) / Decimal(rd), "count")
        t = ureg.Quantity(Decimal(tn) / Decimal(td), "count")
        out.append(round((r / t * 100).to("dimensionless").magnitude, 2))
    return time.perf_counter() - start


def national(servants: int, clean: bool, seed: int = 5) -> tuple[pa.Table, pa.Table]:
    if clean:
        return agency_tables("BENCH", servants, seed=seed, late=0, missing=0, ranges=0)
    return agency_tables("BENCH", servants, seed=seed)


def integer_codes(ind: pa.Table, real: pa.Table) -> tuple[pa.Table, pa.Table]:
    """The tables with each indicator's reference replaced by an integer code (its row)."""
    codes = pa.array(np.arange(len(ind), dtype=np.int64))
    named = pc.take(codes, pc.index_in(real["indicator"], value_set=ind["reference"]))
    return ind.set_column(0, "reference", codes), real.set_column(0, "indicator", named)


def peak_rss_mb() -> int:
    """This process's peak resident memory in MB: ``VmHWM`` of /proc/self/status, the
    high-water mark of its own address space. (``getrusage``'s ``ru_maxrss`` is no use
    in a child: Linux carries into it the peak of the parent it was forked from, here
    the benchmark's own process holding the whole dataset.)"""
    import resource

    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


COMPUTED = ["indicator", "period", "value", "unit", "numerator", "denominator", "reported_on"]
"""The realisation columns an achievement computation reads (not ``note``)."""


def memory_child(folder: str, how: str) -> None:
    """In a fresh process: read the tables in ``folder``, compute their achievements and
    print the rows, the peak RSS after imports, after reading and after computing (MB)
    and Arrow's pool peak. ``how``: ``plain`` reads every column as written (as before
    the streaming readers), ``streamed`` batch by batch, only the columns computed, the
    repeated texts as dictionaries."""
    imported = peak_rss_mb()
    if how == "parquet":  # the realisations streamed into the kernel's integer columns
        before = imported
        table = achievements_from_parquet(
            Path(folder) / "indicators.parquet", Path(folder) / "realisations.parquet", PERIODS
        )
        after = peak_rss_mb()
        print(len(table), imported, before, after, pa.default_memory_pool().max_memory())
        return
    if how == "plain":
        ind = pq.read_table(Path(folder) / "indicators.parquet")
        real = read_realisations_parquet(Path(folder) / "realisations.parquet")
    else:
        ind = read_indicators_parquet(Path(folder) / "indicators.parquet")
        real = read_realisations_parquet(
            Path(folder) / "realisations.parquet", columns=COMPUTED, dictionary=True
        )
    before = peak_rss_mb()
    table = achievements_from_tables(ind, real, PERIODS)
    after = peak_rss_mb()
    assert isinstance(table, pa.Table)
    print(len(table), imported, before, after, pa.default_memory_pool().max_memory())


def _keep(kept: list[object], ind: pa.Table, real: pa.Table) -> None:
    kept.append(achievements_from_tables(ind, real, PERIODS))


def csv_text(real: pa.Table) -> bytes:
    """A realisations CSV in the file format (semicolons, Indonesian numbers)."""
    out = io.StringIO()
    out.write("indicator;period;value;numerator;denominator;reported_on\n")
    cols = [
        real[c].to_pylist()
        for c in ("indicator", "period", "value", "numerator", "denominator", "reported_on")
    ]
    for ref, period, value, x, y, reported in zip(*cols, strict=True):
        cells = ["" if v is None else f"{int(v)}" for v in (value, x, y)]
        out.write(f"{ref};{period};{cells[0]};{cells[1]};{cells[2]};{reported}\n")
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--memory-child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--memory-how", default="streamed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.memory_how)
        return
    quick = args.quick
    rounds = args.rounds
    n_kernel = 200_000 if quick else 2_000_000
    n_pint = 2_000 if quick else 20_000
    servants_engine = 250 if quick else 2_500  # x 8 indicators x 4 quarters
    servants_tables = 2_500 if quick else 31_250  # 1,000,000 achievements
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, pyarrow {pa.__version__}")
    print(f"garbage collector on; medians of {rounds} rounds\n")

    # kernel against numpy floats and naive pint
    cols = kernel_columns(n_kernel)
    kernel = Kernel(DEFAULT_RULES)
    t_kernel = median_time(lambda: kernel.compute(**cols), rounds)
    r = cols["rn"] / cols["rd"]
    t = cols["tn"] / cols["td"]
    t_float = median_time(lambda: np.round(r / t * 100, 2), rounds)
    t_pint = naive_pint(cols, n_pint) * n_kernel / n_pint
    CPU[t_pint] = t_pint  # a single-threaded loop timed alone
    print("kernel (exact, int64)       ", rate(n_kernel, t_kernel))
    print("numpy on floats (inexact)   ", rate(n_kernel, t_float))
    print("naive pint, one per value   ", rate(n_kernel, t_pint), f"[{n_pint:,} timed]")
    print(f"  kernel vs numpy floats: {t_float / t_kernel:.2f}x the speed")
    print(f"  kernel vs naive pint:   {t_pint / t_kernel:,.0f}x faster\n")

    # the object engine and the tables, on the same synthetic indicators
    ind, real = national(servants_engine, clean=True)
    doc, reals = document_from_indicators(ind), realisations_from_table(real)
    n_engine = servants_engine * INDICATORS_PER_SERVANT * len(PERIODS)
    t_engine = median_time(lambda: engine.achievements(doc, reals, PERIODS), max(rounds // 2, 1))
    t_small = median_time(lambda: achievements_from_tables(ind, real, PERIODS), rounds)
    print("object engine               ", rate(n_engine, t_engine))
    print("tables, same indicators     ", rate(n_engine, t_small))
    print(f"  tables vs object engine: {t_engine / t_small:.1f}x faster\n")

    n_tables = servants_tables * INDICATORS_PER_SERVANT * len(PERIODS)
    for clean in (True, False):
        ind, real = national(servants_tables, clean=clean)
        kept: list[object] = []
        # the realistic run is dominated by the engine's rows: timed once
        t_tables = median_time(partial(_keep, kept, ind, real), max(rounds // 2, 1) if clean else 1)
        result = kept[0]
        assert isinstance(result, pa.Table)
        kernel_rows = pc.sum(pc.equal(result["path"].cast(pa.string()), "kernel")).as_py()
        label = "tables, clean dataset      " if clean else "tables, realistic (1 run)  "
        print(label, rate(n_tables, t_tables), f"kernel rows {kernel_rows / n_tables:.1%}")
        if clean:  # the same with integer indicator codes in place of "sheet:id"
            ind, real = integer_codes(ind, real)
            t_codes = median_time(partial(_keep, kept, ind, real), max(rounds // 2, 1))
            print("tables, clean, integer ids  ", rate(n_tables, t_codes))
    ind, real = national(servants_tables, clean=True)
    with tempfile.TemporaryDirectory() as tmp:
        # row groups of 65,536 rows, as a producer writing batch by batch leaves them
        pq.write_table(ind, Path(tmp) / "indicators.parquet", row_group_size=65_536)
        pq.write_table(real, Path(tmp) / "realisations.parquet", row_group_size=65_536)
        del ind, real
        # Arrow's default allocator (mimalloc) keeps what it freed for Arrow's next use;
        # jemalloc (ARROW_DEFAULT_MEMORY_POOL, a setting of the process) gives it back
        runs = (("plain", ""), ("streamed", ""), ("parquet", ""), ("parquet", "jemalloc"))
        for how, allocator in runs:
            env = dict(os.environ)
            if allocator:
                env["ARROW_DEFAULT_MEMORY_POOL"] = allocator
            child = subprocess.run(
                [sys.executable, __file__, "--memory-child", tmp, "--memory-how", how],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            rows, imported, before, after, pool = (int(v) for v in child.stdout.split())
            print(
                f"peak memory ({how} inputs, {allocator or 'default'} allocator), {rows:,} "
                f"achievements in a fresh process: {after} MB VmHWM ({imported} MB after "
                f"imports, {before} MB after reading the inputs; Arrow pool peak "
                f"{pool / 2**20:.0f} MB)"
            )
    print()

    # readers
    ind, real = national(servants_tables // 4, clean=False)
    data = csv_text(real)
    n_rows = len(real)
    t_csv = median_time(lambda: read_realisations_csv(data), rounds)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.parquet"
        pq.write_table(read_realisations_csv(data), path)
        t_parquet = median_time(lambda: read_realisations_parquet(path), rounds)
        n_row = min(n_rows, 3_000 if quick else 30_000)
        lines = data.split(b"\n")
        sample = b"\n".join(lines[: n_row + 1]) + b"\n"
        doc = document_from_indicators(ind)
        csv_path = Path(tmp) / "r.csv"
        csv_path.write_bytes(sample)
        t_row = median_time(lambda: load_realisations(csv_path, doc), max(rounds // 2, 1))
    print("bulk CSV reader             ", rate(n_rows, t_csv), f"{len(data) / 2**20:.0f} MB")
    print("bulk Parquet reader         ", rate(n_rows, t_parquet))
    print("row reader (today)          ", rate(n_row, t_row))
    print(f"  bulk CSV vs row reader: {(n_rows / t_csv) / (n_row / t_row):.0f}x faster")


if __name__ == "__main__":
    main()
