"""Benchmark of realisation tracking on SQLite (figures in docs/tracking.md, "Benchmark").

Measures, in one run, the ledger the way it was and the way it is:

- **before**: ``--entries`` report entries (default 1,000,000) recorded in one
  ``add_many`` call (each a :class:`~iki_core.tracking.Report` built and checked), and
  the queries grouped in Python over every entry's marks (:class:`RowByRow`: the
  base ledger's queries over the store's ``marks``, as the store answered them before);
- **after**: the same entries as realisation files, one per reporting round (a file has
  one row per indicator and month; the next round's file corrects it), each imported
  with :meth:`~iki_core.tracking.SqlLedger.import_realisations` (read in columns, written
  with executemany), and the queries grouped by the database.

Then, on each ledger, 21,000 reviews (one entry in fifty verified, one in a thousand
rejected), the completeness of a generated document of ``--indicators`` indicators
(default 10,000) for 2021, and the effective realisations. Both ledgers hold the same
reports (who, when, what) and the run checks that both give the same completeness and
the same realisations.

Entry ``i`` reports indicator ``i mod N`` for month ``(i div N) mod 12 + 1``, made by the
round's reporter from 5 to 64 days after the month ended (so that some quarters arrive
late). Each side runs in a fresh process of its own (``spawn``), so that its peak memory
(VmHWM) is its own; times are wall-clock seconds, with the process's CPU seconds
(``time.process_time``: every thread of it, SQLite's work included) beside them, the
garbage collector on, each step run once.

    python benchmarks/bench_tracking.py                                   # the full run
    python benchmarks/bench_tracking.py --entries 20000 --indicators 500  # a quick run
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import hashlib
import multiprocessing
import resource
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from iki_core.model import Count, Document, Indicator, Objective, Sheet, Target
from iki_core.periods import Period
from iki_core.tracking import WIB, Report, bulk, completeness
from iki_core.tracking.ledger import BaseLedger, Entry, Mark
from iki_core.tracking.store import SqlLedger
from iki_core.units import Quantity, get_registry

YEAR = 2021
PER_SHEET = 1000
PER_OBJECTIVE = 10
NINE = dt.time(9, tzinfo=WIB)


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


def entry(i: int, n: int) -> tuple[int, int, int, dt.date, int]:
    """(indicator, month, value, report date, round) of entry ``i`` of ``n`` indicators."""
    month = (i // n) % 12 + 1
    end = Period.month(YEAR, month).end
    day = end + dt.timedelta(days=5 + (i * 7919) % 60)
    return i % n, month, i % 200, day, i // (12 * n)


def reports(n_entries: int, references: list[str]) -> Iterator[Report]:
    unit = get_registry().unit("orang")
    months = [Period.month(YEAR, m) for m in range(1, 13)]
    values = [Quantity(v, unit) for v in range(200)]
    n = len(references)
    for i in range(n_entries):
        ind, month, value, day, round_ = entry(i, n)
        yield Report(
            references[ind],
            months[month - 1],
            value=values[value],
            reported_at=dt.datetime.combine(day, NINE),
            reported_by=f"pegawai {round_}",
        )


def write_files(n_entries: int, references: list[str], folder: Path) -> list[Path]:
    """The entries as realisation files, one per round (its rows: every indicator and
    month once)."""
    n = len(references)
    per_round = 12 * n
    paths = []
    for first in range(0, n_entries, per_round):
        path = folder / f"realisasi_{first // per_round + 1}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["indicator", "period", "value", "reported_on"])
            for i in range(first, min(first + per_round, n_entries)):
                ind, month, value, day, _ = entry(i, n)
                writer.writerow([references[ind], f"{YEAR}-{month:02d}", value, day.isoformat()])
        paths.append(path)
    return paths


class RowByRow(BaseLedger):
    """The queries as the store answered them before they were grouped in SQL: every
    entry's marks read into Python and grouped there, the chosen entries read 500 at a
    time."""

    def __init__(self, ledger: SqlLedger) -> None:
        self.ledger = ledger

    def marks(self, *, until: dt.datetime | None = None) -> Iterator[Mark]:
        return self.ledger.marks(until=until)

    def entries_at(self, seqs: object) -> dict[int, Entry]:
        return self.ledger.entries_at(seqs)  # type: ignore[arg-type]


def peak_rss_mb() -> int:
    """This process's peak resident memory in MB: ``VmHWM`` of /proc/self/status, the
    high-water mark of its own address space."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


class Clock:
    """Wall-clock and CPU seconds of a step."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def sqlite_alone(n_indicators: int, folder: str) -> tuple[float, float]:
    """The floor under the import, in a process of its own: the same rows, built as
    tuples beforehand, inserted into a new ledger with the same ``executemany``, one
    transaction per file (SQLite's B-trees and indexes alone)."""
    doc = document(n_indicators)
    path = Path(folder) / "alone.db"
    target = SqlLedger.create(path)
    files = sorted(path.parent.glob("realisasi_*.csv"), key=lambda p: len(p.name))
    at = dt.datetime.combine(dt.date(YEAR, 1, 1), NINE)
    batches = []
    first = 1
    for file in files:
        prepared = bulk.prepare(file.read_bytes(), doc, get_registry(), at)
        assert prepared is not None
        batches.append(list(prepared.rows(first, "2022-01-01T00:00:00.000000+00:00", "x", 20_000)))
        first += prepared.count
    columns = (
        "seq, recorded_at, kind, indicator, period, magnitude, unit, value_text, noun, "
        "numerator, denominator, reported_at, reported_by, note"
    )
    sql = f"INSERT INTO iki_entry ({columns}) VALUES ({', '.join('?' * 14)})"
    with Clock() as c:
        for chunks in batches:
            with target.engine.connect() as conn, conn.begin():
                cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
                for rows in chunks:
                    cursor.executemany(sql, rows)
    target.close()
    path.unlink()
    return c.wall, c.cpu


@dataclasses.dataclass
class Figures:
    """What one side measured: (wall, CPU) seconds of each step, and what it found."""

    steps: dict[str, tuple[float, float]]
    size: int
    rates: tuple[int, int, int, int]
    found: tuple[int, str]
    peak: int


def side(name: str, n_entries: int, n_indicators: int, folder: str) -> Figures:
    """One side of the run, in a process of its own: its figures."""
    doc = document(n_indicators)
    references = [ref for ref, _ in doc.references()]
    path = Path(folder) / f"{name}.db"
    ledger = SqlLedger.create(path)
    steps: dict[str, tuple[float, float]] = {}
    with Clock() as c:
        if name == "before":
            entries = ledger.add_many(reports(n_entries, references))
            seqs = [e.seq for e in entries]
            del entries
        else:
            for file in sorted(Path(folder).glob("realisasi_*.csv"), key=lambda p: len(p.name)):
                round_ = int(file.stem.split("_")[1]) - 1
                ledger.import_realisations(
                    file,
                    doc,
                    reported_by=f"pegawai {round_}",
                    reported_at=dt.datetime.combine(dt.date(YEAR, 1, 1), NINE),
                )
            seqs = list(range(1, n_entries + 1))
    steps["import"] = (c.wall, c.cpu)
    size = path.stat().st_size
    with Clock() as c:
        ledger.review_many(seqs[::50], "verified", reviewer="atasan")
        ledger.review_many(seqs[::1000], "rejected", reviewer="atasan", reason="bukti kurang")
    steps["reviews"] = (c.wall, c.cpu)
    asked = RowByRow(ledger) if name == "before" else ledger
    with Clock() as c:
        result = completeness(doc, asked, str(YEAR))
    steps["completeness"] = (c.wall, c.cpu)
    rate = result.rate("document")
    rates = (rate.expected, rate.arrived, rate.on_time, rate.verified)
    with Clock() as c:
        realisations = asked.realisations()
    steps["realisations"] = (c.wall, c.cpu)
    digest = hashlib.sha256()
    for r in realisations:
        digest.update(f"{r.indicator} {r.period} {r.value} {r.reported_on}\n".encode())
    peak = peak_rss_mb()
    ledger.close()
    path.unlink()
    return Figures(steps, size, rates, (len(realisations), digest.hexdigest()), peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--indicators", type=int, default=10_000)
    args = parser.parse_args()
    doc = document(args.indicators)
    references = [ref for ref, _ in doc.references()]
    folder = Path(tempfile.mkdtemp(prefix="iki-bench-"))
    files = write_files(args.entries, references, folder)
    megabytes = sum(f.stat().st_size for f in files) / 1e6
    print(
        f"{args.entries:,} entries, {args.indicators:,} indicators; {len(files)} files "
        f"({megabytes:,.0f} MB) of one reporting round each; SQLite in {folder}"
    )
    spawn = multiprocessing.get_context("spawn")
    figures: dict[str, Figures] = {}
    try:
        for name in ("before", "after"):
            with spawn.Pool(1) as pool:
                figures[name] = pool.apply(side, (name, args.entries, args.indicators, str(folder)))
        with spawn.Pool(1) as pool:
            floor = pool.apply(sqlite_alone, (args.indicators, str(folder)))
    finally:
        shutil.rmtree(folder)
    before, after = figures["before"], figures["after"]
    assert before.rates == after.rates, (before.rates, after.rates)
    assert before.found == after.found, "the two ledgers give other realisations"

    def row(label: str, key: str, per_second: int = 0) -> None:
        (bw, bc), (aw, ac) = before.steps[key], after.steps[key]
        rate = ""
        if per_second:
            rate = (
                f"; {per_second / bc:,.0f} -> {per_second / ac:,.0f} entries per CPU s"
                f" ({bc / ac:.1f}x)"
            )
        print(
            f"{label}: {bw:.1f} s wall ({bc:.1f} s CPU) -> {aw:.1f} s wall ({ac:.1f} s CPU)"
            f", {bw / aw:.1f}x{rate}"
        )

    row("import", "import", args.entries)
    wall, cpu = floor
    print(
        f"  of which SQLite inserting the rows (the same executemany of tuples built "
        f"beforehand): {wall:.1f} s wall ({cpu:.1f} s CPU)"
    )
    print(f"  ledger file: {before.size / 1e6:,.0f} MB -> {after.size / 1e6:,.0f} MB")
    reviews = -(-args.entries // 50) + -(-args.entries // 1000)
    row(f"{reviews:,} reviews (two transactions)", "reviews")
    expected, arrived, on_time, verified = after.rates
    row(
        f"completeness of {args.indicators:,} indicators for {YEAR} ({expected:,} expected, "
        f"{arrived:,} arrived, {on_time:,} on time, {verified:,} verified)",
        "completeness",
    )
    count, _ = after.found
    row(f"effective realisations ({count:,})", "realisations")
    print(f"peak memory (VmHWM): {before.peak:,} MB -> {after.peak:,} MB")
    print("both ledgers: the same completeness and the same effective realisations")


if __name__ == "__main__":
    main()
