"""Benchmark of a scaled-down national batch on Dask (figures in docs/scale.md and
docs/benchmarks.md).

Generates a synthetic national e-Kinerja year (:mod:`iki_core.columnar.synthetic`,
reproducible from ``--seed``): by default 1% of Indonesia's 4.3 million civil servants,
eight indicators each, quarterly reports, in agencies of ``--per-agency`` servants, written
one agency at a time as Parquet partitioned by agency (the whole country is never in
memory). Then computes the achievements of Q1 to Q4 on a local Dask cluster of one worker
process and of two (``--workers``), each task one agency, each writing its results as
Parquet, and prints the time, the throughput per worker, the scaling from one worker to
two, each worker's peak memory, and what the figures predict for the whole country. The
results of one and two workers are compared row by row. The garbage collector is on.

    python benchmarks/bench_national.py                     # 1%: 43,000 servants
    python benchmarks/bench_national.py --servants 4000     # a quick run
    python benchmarks/bench_national.py --data /big/disk    # keep the dataset there
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from iki_core.columnar.distributed import AgencySummary, compute_dataset, write_agency
from iki_core.columnar.synthetic import INDICATORS_PER_SERVANT, agency_tables

CIVIL_SERVANTS = 4_300_000
PERIODS = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]


def generate(root: Path, servants: int, per_agency: int, seed: int, clean: bool) -> int:
    """Write the dataset one agency at a time; the number of agencies."""
    share = 0.0 if clean else None
    count = 0
    for start in range(0, servants, per_agency):
        code = f"K{count:04d}"
        size = min(per_agency, servants - start)
        if share is None:
            indicators, realisations = agency_tables(code, size, seed=seed)
        else:
            indicators, realisations = agency_tables(
                code, size, seed=seed, late=share, missing=share, ranges=share
            )
        write_agency(root, code, indicators, realisations)
        count += 1
    return count


def peak_rss_mb() -> int:
    """This process's peak resident memory in MB: ``VmHWM`` of /proc/self/status, the
    high-water mark of its own address space. (``getrusage``'s ``ru_maxrss`` is no use
    in a forked process: Linux carries into it the peak of the parent it was forked
    from.)"""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def warm_up() -> None:
    """Import what a task uses and build the unit registry, once per worker."""
    from iki_core import engine  # noqa: F401
    from iki_core.units import get_registry

    get_registry()


def run(root: Path, workers: int, output: Path) -> tuple[float, list[AgencySummary], list[int]]:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        client.run(warm_up)  # workers up, imports done, before the clock starts
        start = time.perf_counter()
        summaries = compute_dataset(root, PERIODS, client=client, output=output)
        seconds = time.perf_counter() - start
        peaks = sorted(client.run(peak_rss_mb).values())
    assert isinstance(summaries, list)
    return seconds, summaries, peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--servants", type=int, default=CIVIL_SERVANTS // 100)
    parser.add_argument("--per-agency", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clean", action="store_true", help="no late or missing reports")
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.data) as tmp:
        root = Path(tmp) / "national"
        start = time.perf_counter()
        agencies = generate(root, args.servants, args.per_agency, args.seed, args.clean)
        generated = time.perf_counter() - start
        size = sum(p.stat().st_size for p in root.rglob("*.parquet"))
        indicators = args.servants * INDICATORS_PER_SERVANT
        rows = indicators * len(PERIODS)
        print(f"Python {sys.version.split()[0]}, pyarrow {pa.__version__}; GC on")
        print(
            f"dataset: {args.servants:,} servants ({args.servants / CIVIL_SERVANTS:.2%} of "
            f"{CIVIL_SERVANTS:,}), {indicators:,} indicators, {agencies} agencies, "
            f"{size / 2**20:.0f} MB of Parquet, generated in {generated:.1f} s "
            f"(peak {peak_rss_mb()} MB in this process)"
        )
        rates: dict[int, float] = {}
        cpu_rates: dict[int, float] = {}
        outputs = {}
        for workers in args.workers:
            outputs[workers] = Path(tmp) / f"out{workers}"
            seconds, summaries, peaks = run(root, workers, outputs[workers])
            done = sum(s.rows for s in summaries)
            kernel = sum(s.kernel_rows for s in summaries)
            cpu = sum(s.cpu_seconds for s in summaries)
            assert done == rows
            rates[workers] = done / seconds
            cpu_rates[workers] = done / cpu
            print(
                f"{workers} worker(s): {done:,} achievements in {seconds:.1f} s = "
                f"{done / seconds:,.0f}/s, {done / seconds / workers:,.0f}/s per worker; "
                f"kernel rows {kernel / done:.1%}; worker peak RSS {peaks} MB; "
                f"{done / cpu:,.0f} per worker CPU second ({cpu:.1f} CPU s in tasks)"
            )
        if len(outputs) > 1:
            first, *others = outputs.values()
            base = pq.read_table(first)
            for other in others:
                assert pq.read_table(other).equals(base), "results differ between runs"
            print("results of every run equal, row by row")
        if 1 in rates and 2 in rates:
            print(f"scaling 1 -> 2 workers: {rates[2] / rates[1]:.2f}x")
        country = CIVIL_SERVANTS * INDICATORS_PER_SERVANT * len(PERIODS)
        for label, per_worker in (
            ("measured on this machine", min(rates[w] / w for w in rates)),
            ("on dedicated cores (per CPU second)", min(cpu_rates.values())),
        ):
            print(
                f"whole country, {country:,} achievements, at {per_worker:,.0f}/s per "
                f"worker ({label}):"
            )
            for workers in (1, 16, 64, 256):
                hours = country / (per_worker * workers) / 3600
                print(f"  {workers:>4} workers: {hours:6.2f} h")


if __name__ == "__main__":
    main()
