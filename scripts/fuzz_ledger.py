"""The ledger under hostile use: writers at once in threads and processes on one SQLite
file, and an import killed with SIGKILL midway; then the ledger must open and its history
be intact, nothing half-written (docs/reliability.md, "Fuzzing").

Run it from the repository root (it is not part of the test suite; one round is)::

    PYTHONPATH=src python3 scripts/fuzz_ledger.py --seed 14 --rounds 20

It prints what each round found and the number of rounds where the ledger was not
intact; exit status 1 when there was one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from iki_core.tracking import Entry

ROOT = Path(__file__).resolve().parent.parent


_LEDGER_WRITER: Final = """
import datetime as dt, random, sys
from iki_core import Period, parse_quantity
from iki_core.tracking import Report
from iki_core.tracking.store import SqlLedger

path, who, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rnd = random.Random(seed)
at = dt.datetime(2021, 4, 5, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))
def report(batch, i, n):
    return Report(f"1:{rnd.randint(1, 3)}", Period.month(2021, rnd.randint(1, 12)),
                  value=parse_quantity(f"{rnd.randint(0, 999)} orang"), reported_at=at,
                  reported_by=who, note=f"{who}/{batch}/{i}/{n}")
with SqlLedger.open(path) as ledger:
    for batch in range(int(sys.argv[4])):
        n = int(sys.argv[5]) if len(sys.argv) > 5 else rnd.randint(1, 40)
        mid = rnd.randrange(n) if len(sys.argv) > 5 else -1
        def reports():
            for i in range(n):
                if i == mid:  # the killer waits for this line: killed mid-import
                    print("mid", flush=True)
                yield report(batch, i, n)
        if n == 1 and rnd.random() < 0.5:
            ledger.add(report(batch, 0, 1))
        else:
            ledger.add_many(reports())
        print(batch, flush=True)
"""


def _spawn_writer(path: Path, who: str, seed: int, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-c", _LEDGER_WRITER, str(path), who, str(seed), *args],
        env=env,
        stdout=subprocess.PIPE if who == "K" else subprocess.DEVNULL,  # K says "mid"
    )


def ledger_round(folder: Path, seed: int) -> list[str]:
    """One round on one SQLite file: writers in threads and in processes add reports one by
    one and in batches at once, while one more process imports a large batch and is killed
    (SIGKILL) at a random moment; then the ledger must open and hold exactly the batches
    that were committed, whole, numbered 1, 2, 3... in the order recorded. The problems
    found (none when it holds)."""
    from iki_core import Period, parse_quantity
    from iki_core.tracking import Report
    from iki_core.tracking.store import SqlLedger

    rnd = random.Random(seed)
    path = folder / f"ledger-{seed}.db"
    SqlLedger.open(path, create=True).close()
    at = dt.datetime(2021, 4, 5, 9, tzinfo=dt.UTC)
    processes = [_spawn_writer(path, f"P{k}", rnd.randrange(10**6), "4") for k in range(2)]
    victim = _spawn_writer(path, "K", rnd.randrange(10**6), "1", str(rnd.randint(2000, 9000)))
    errors: list[str] = []

    def thread_writer(who: str, seed: int) -> None:
        own = random.Random(seed)
        try:
            with SqlLedger.open(path) as ledger:
                for batch in range(4):
                    n = own.randint(1, 30)
                    reports = [
                        Report(
                            f"1:{own.randint(1, 3)}",
                            Period.month(2021, own.randint(1, 12)),
                            value=parse_quantity(f"{own.randint(0, 999)} orang"),
                            reported_at=at,
                            reported_by=who,
                            note=f"{who}/{batch}/{i}/{n}",
                        )
                        for i in range(n)
                    ]
                    ledger.add_many(reports)
                    if own.random() < 0.5:  # a review of an entry of this batch
                        last = max(e.seq for e in ledger.entries() if e.kind == "report")
                        ledger.review(last, "verified", reviewer=who)
        except Exception:
            errors.append(f"thread {who}: {traceback.format_exc(limit=-3)}")

    threads = [
        threading.Thread(target=thread_writer, args=(f"T{k}", rnd.randrange(10**6)))
        for k in range(3)
    ]
    for t in threads:
        t.start()
    assert victim.stdout is not None
    victim.stdout.readline()  # "mid": its import has begun (or it ended: b"")
    time.sleep(rnd.uniform(0.0, 0.3))
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=60)
    victim.stdout.close()
    for t in threads:
        t.join(timeout=300)
    for p in processes:
        if p.wait(timeout=300) != 0:
            errors.append(f"process writer ended with status {p.returncode}")
    try:
        with SqlLedger.open(path) as ledger:
            entries = list(ledger.entries())
    except Exception:
        return [*errors, f"the ledger does not open: {traceback.format_exc(limit=-3)}"]
    expected = {(f"T{k}", str(b)) for k in range(3) for b in range(4)}
    expected |= {(f"P{k}", str(b)) for k in range(2) for b in range(4)}
    return [*errors, *ledger_problems(entries, expected)]


def ledger_problems(entries: Sequence[Entry], expected: set[tuple[str, str]]) -> list[str]:
    """What is wrong with ``entries`` (read back from a ledger): numbers not 1, 2, 3...,
    moments out of order, a batch (reports noted "writer/batch/i/n") not whole, an
    ``expected`` batch (writer, batch) missing, more than one batch of the killed writer K."""
    problems = []
    if [e.seq for e in entries] != list(range(1, len(entries) + 1)):
        problems.append("the entries are not numbered 1, 2, 3... in order")
    if any(a.recorded_at > b.recorded_at for a, b in itertools.pairwise(entries)):
        problems.append("an entry is recorded before the one it follows")
    batches: dict[tuple[str, str], set[int]] = {}
    sizes: dict[tuple[str, str], int] = {}
    for e in entries:
        if e.kind == "report":
            who, batch, i, n = e.report.note.split("/")
            batches.setdefault((who, batch), set()).add(int(i))
            sizes[(who, batch)] = int(n)
    for key, seen in batches.items():
        if seen != set(range(sizes[key])):  # a batch half written
            problems.append(f"batch {key} holds {len(seen)} of its {sizes[key]} reports")
    if missing := expected - set(batches):
        problems.append(f"batches committed but not found: {sorted(missing)}")
    if (killed := sum(1 for key in batches if key[0] == "K")) > 1:
        problems.append(f"the killed writer has {killed} batches")
    return problems


def ledger_main(seed: int, rounds: int) -> int:
    """Run ``rounds`` rounds of :func:`ledger_round`; print what each found."""
    started = time.perf_counter()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="iki-ledger-fuzz-") as folder:
        for k in range(rounds):
            problems = ledger_round(Path(folder), seed * 1000 + k)
            failed += bool(problems)
            for problem in problems:
                print(f"round {k}: {problem}")
    print(f"seed {seed}: {rounds} ledger rounds in {time.perf_counter() - started:.0f} s")
    print(f"  rounds where the ledger was not intact: {failed}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    return ledger_main(args.seed, args.rounds)


if __name__ == "__main__":
    sys.exit(main())
