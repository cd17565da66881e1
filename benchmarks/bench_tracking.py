"""Benchmark of realisation tracking on SQLite (figures in docs/tracking.md).

Imports ``--entries`` report entries (default 1,000,000) into a new SQLite ledger in one
``add_many`` call (one transaction), then computes the completeness of a generated document
of ``--indicators`` indicators (default 10,000) for the year 2021, and the effective
realisations the engine takes.

The entries report the document's indicators month by month: entry ``i`` reports indicator
``i mod N`` for month ``(i div N) mod 12 + 1``, so each month of each indicator is reported
several times over (the later reports are corrections), one in fifty is verified and one
in a thousand rejected. Reports are dated from 5 to 64 days after their month ends, so
that some quarters arrive late.

    python benchmarks/bench_tracking.py                                 # the full run
    python benchmarks/bench_tracking.py --entries 20000 --indicators 500  # a quick run

Each step runs once, with the garbage collector on; the figures are wall-clock seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from iki_core.model import Count, Document, Indicator, Objective, Sheet, Target
from iki_core.periods import Period
from iki_core.tracking import WIB, Report, completeness
from iki_core.tracking.store import SqlLedger
from iki_core.units import Quantity, get_registry

YEAR = 2021
PER_SHEET = 1000
PER_OBJECTIVE = 10


def document(n: int) -> Document:
    """``n`` counts of people with a target of 1,200 orang in 2021, 1,000 per sheet."""
    target = Target.parse(YEAR, "1200 orang")
    kind = Count(get_registry().unit("orang"))
    sheets = []
    for s in range(0, n, PER_SHEET):
        objectives = []
        for o in range(s, min(s + PER_SHEET, n), PER_OBJECTIVE):
            indicators = [
                Indicator(str(i - s + 1), f"Indikator {i}", kind, [target])
                for i in range(o, min(o + PER_OBJECTIVE, n))
            ]
            objectives.append(Objective(str((o - s) // PER_OBJECTIVE + 1), "Sasaran", indicators))
        sheets.append(
            Sheet(s // PER_SHEET + 1, "Jabatan", plan_years=[YEAR], objectives=objectives)
        )
    return Document(sheets)


def reports(n_entries: int, references: list[str]) -> Iterator[Report]:
    unit = get_registry().unit("orang")
    months = [Period.month(YEAR, m) for m in range(1, 13)]
    values = [Quantity(v, unit) for v in range(200)]
    n = len(references)
    for i in range(n_entries):
        month = (i // n) % 12
        late = 5 + (i * 7919) % 60
        end = months[month].end
        at = dt.datetime(end.year, end.month, end.day, 9, tzinfo=WIB) + dt.timedelta(days=late)
        yield Report(
            references[i % n],
            months[month],
            value=values[i % 200],
            reported_at=at,
            reported_by=f"pegawai {i % 997}",
        )


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--indicators", type=int, default=10_000)
    args = parser.parse_args()
    doc = document(args.indicators)
    references = [ref for ref, _ in doc.references()]
    folder = Path(tempfile.mkdtemp(prefix="iki-bench-"))
    path = folder / "ledger.db"
    print(f"{args.entries:,} entries, {args.indicators:,} indicators, SQLite {path}")

    ledger = SqlLedger.create(path)
    start = time.perf_counter()
    entries = ledger.add_many(reports(args.entries, references))
    imported = time.perf_counter() - start
    print(
        f"import (build, check and write, one transaction): {imported:.1f} s, "
        f"{args.entries / imported:,.0f} entries/s, file {path.stat().st_size / 1e6:,.0f} MB"
    )

    start = time.perf_counter()
    verified = ledger.review_many([e.seq for e in entries[::50]], "verified", reviewer="atasan")
    rejected = ledger.review_many(
        [e.seq for e in entries[::1000]], "rejected", reviewer="atasan", reason="bukti kurang"
    )
    reviewed = time.perf_counter() - start
    print(f"{len(verified) + len(rejected):,} reviews, in two transactions: {reviewed:.1f} s")
    del entries

    start = time.perf_counter()
    result = completeness(doc, ledger, str(YEAR))
    took = time.perf_counter() - start
    rate = result.rate("document")
    print(
        f"completeness of {args.indicators:,} indicators for {YEAR}: {took:.1f} s "
        f"({rate.expected:,} expected, {rate.arrived:,} arrived, {rate.on_time:,} on time, "
        f"{rate.verified:,} verified; reporting {rate.reporting_rate}%, on time "
        f"{rate.on_time_rate}%)"
    )

    start = time.perf_counter()
    realisations = ledger.realisations()
    took = time.perf_counter() - start
    print(f"effective realisations: {took:.1f} s ({len(realisations):,} realisations)")
    print(f"peak memory: {peak_rss_mb():,} MB (VmHWM of this process)")
    ledger.close()
    path.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
