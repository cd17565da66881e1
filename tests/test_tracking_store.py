"""The ledger in SQL: the same answers as in memory, on SQLite and on a real PostgreSQL
server that the test run starts (the Debian ``postgresql`` package's initdb and pg_ctl,
run as the ``postgres`` user when the tests run as root), integrity under concurrent and
killed writers, and the schema version."""

from __future__ import annotations

import datetime as dt
import glob
import itertools
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

sa = pytest.importorskip("sqlalchemy", reason="the db extra (sqlalchemy) is not installed")

from iki_core import Period, parse_quantity  # noqa: E402
from iki_core.tracking import WIB, Evidence, Report, ReviewState  # noqa: E402
from iki_core.tracking.store import SchemaVersionError, SqlLedger  # noqa: E402
from tests.strategies import TRACKING_KEYS, ledger_operations  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
Q1, Q2 = Period.quarter(2021, 1), Period.quarter(2021, 2)
START = dt.datetime(2021, 4, 1, tzinfo=dt.UTC)


# --- a PostgreSQL server for the test run ---------------------------------------------------
def _pg_bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of a PostgreSQL server started for this test run, stopped after it."""
    pytest.importorskip("psycopg", reason="the db extra (psycopg) is not installed")
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server programs (initdb, pg_ctl): apt-get install postgresql")
    base = Path(tempfile.mkdtemp(prefix="iki-pg-"))
    as_postgres: list[str] | None = None  # how to run a command as "postgres", when root
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as "postgres"
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base)
            pytest.skip("running as root and there is no 'postgres' user to run the server")
        os.chown(base, user.pw_uid, user.pw_gid)
        if shutil.which("runuser"):
            as_postgres = ["runuser", "-u", "postgres", "--"]
        elif shutil.which("su"):
            as_postgres = ["su", "postgres", "-s", "/bin/sh", "-c"]
        else:
            shutil.rmtree(base)
            pytest.skip("running as root without runuser or su to start PostgreSQL as postgres")
    data, port = base / "data", _free_port()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        if as_postgres is None:
            command = list(args)
        elif as_postgres[0] == "su":
            command = [*as_postgres, shlex.join(args)]
        else:
            command = [*as_postgres, *args]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    init = run(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-A",
        "trust",
        "-U",
        "postgres",
        "--no-sync",
        "-E",
        "UTF8",
    )
    if init.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"initdb failed: {init.stderr.strip()[-300:]}")
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -F"
    start = run(
        str(bindir / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(base / "log"),
        "-w",
        "-t",
        "60",
        "start",
    )
    if start.returncode != 0:
        log = (base / "log").read_text() if (base / "log").exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"PostgreSQL did not start: {start.stderr.strip()[-200:]} {log[-300:]}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


_databases = iter(range(1, 1_000_000))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    server: str = request.getfixturevalue("pg_server")
    name = f"iki_test_{next(_databases)}"
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return server.rsplit("/", 1)[0] + f"/{name}"


def _clock(minutes: int = 1) -> tuple[list[dt.datetime], Callable[[], dt.datetime]]:
    moments: list[dt.datetime] = []

    def clock() -> dt.datetime:
        moments.append(START + dt.timedelta(minutes=minutes * (len(moments) + 1)))
        return moments[-1]

    return moments, clock


def _report(ref: str, period: Period, **kw: Any) -> Report:
    fields: dict[str, Any] = {
        "reported_at": dt.datetime(2021, 4, 5, 9, 30, tzinfo=WIB),
        "reported_by": "Ani",
    }
    fields.update(kw)
    return Report(ref, period, **fields)


# --- the same answers as in memory ------------------------------------------------------------
def test_round_trip_keeps_every_digit_and_field(db_url: str) -> None:
    moments, clock = _clock()
    with SqlLedger.open(db_url, create=True, clock=clock) as ledger:
        assert ledger.schema_version == 1
        evidence = Evidence("https://drive.example/bukti.pdf", "AB" * 32)
        a = ledger.add(
            _report(
                "1:1",
                Q1,
                numerator=Decimal("0.1000000000000000000000000001"),
                denominator=3,
                note="daftar hadir",
                evidence=[evidence],
            )
        )
        b = ledger.add(
            _report(
                "2:1.1",
                Q1,
                value=parse_quantity("2 lusin"),
                reported_at=dt.datetime(2021, 4, 6, 1, tzinfo=dt.UTC),
            )
        )
        r = ledger.review(a.seq, "rejected", reviewer="Budi", reason="Y is 4")
    with SqlLedger.open(db_url) as again:
        entries = list(again.entries())
    assert entries == [a, b, r]
    got = entries[0].report
    assert got.numerator == Decimal("0.1000000000000000000000000001")
    assert got.evidence == (Evidence("https://drive.example/bukti.pdf", "ab" * 32),)
    assert entries[1].report.value is not None
    assert str(entries[1].report.value) == "2 lusin"
    assert entries[1].report.reported_at == dt.datetime(2021, 4, 6, 8, tzinfo=WIB)
    assert [e.recorded_at for e in entries] == moments


def test_queries_as_of_history_and_changes(db_url: str) -> None:
    moments, clock = _clock()
    with SqlLedger.open(db_url, create=True, clock=clock) as ledger:
        a = ledger.add(_report("1:1", Q1, value=parse_quantity("120 orang")))
        ledger.add(_report("1:1", Q2, value=parse_quantity("80 orang")))
        ledger.review(a.seq, ReviewState.VERIFIED, reviewer="Budi")
        fix = ledger.add(_report("1:1", Q1, value=parse_quantity("125 orang")))
        assert [str(r.value) for r in ledger.realisations()] == ["125 orang", "80 orang"]
        assert [str(r.value) for r in ledger.realisations(verified_only=True)] == ["120 orang"]
        assert [str(r.value) for r in ledger.realisations(as_of=moments[2])] == [
            "120 orang",
            "80 orang",
        ]
        assert [e.seq for e in ledger.history("1:1", Q1)] == [1, 3, 4]
        (change,) = ledger.changes(moments[2])
        assert (change.before, change.after) == (a, fix)
        assert ledger.state(a.seq) is ReviewState.VERIFIED
        assert len(ledger) == 4


def test_entries_cannot_be_updated_or_deleted(db_url: str) -> None:
    with SqlLedger.open(db_url, create=True) as ledger:
        evidence = [Evidence("bukti/daftar_hadir.pdf", "0" * 64)]
        ledger.add(_report("1:1", Q1, value=parse_quantity("120 orang"), evidence=evidence))
        for statement in (
            "UPDATE iki_entry SET note = 'x'",
            "DELETE FROM iki_entry",
            "DELETE FROM iki_evidence",
        ):
            with pytest.raises(sa.exc.DatabaseError) as info, ledger.engine.begin() as conn:
                conn.execute(sa.text(statement))
            assert "append-only" in str(info.value)
        assert len(ledger) == 1


def test_newer_schema_is_refused_and_no_ledger_is_said(db_url: str) -> None:
    SqlLedger.open(db_url, create=True).close()
    engine = sa.create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE iki_meta SET value = '2' WHERE key = 'schema_version'"))
    engine.dispose()
    with pytest.raises(SchemaVersionError) as info:
        SqlLedger.open(db_url)
    shown = info.value.location
    assert str(info.value) == (
        f"{shown}: the ledger's schema is version 2; this version of iki_core reads versions "
        "up to 1 (upgrade iki_core to use this ledger)"
    )


def test_opening_nothing_is_refused(tmp_path: Path) -> None:
    from iki_core.tracking import LedgerError

    with pytest.raises(LedgerError) as info:
        SqlLedger.open(tmp_path / "none.db")
    assert str(info.value) == (
        f"{tmp_path / 'none.db'}: no such ledger (create it with 'iki track init')"
    )
    assert not (tmp_path / "none.db").exists()


# --- integrity with several processes ---------------------------------------------------------
_WRITER = textwrap.dedent(
    """
    import datetime as dt, sys, time
    from pathlib import Path
    from iki_core import Period, parse_quantity
    from iki_core.tracking import WIB, Report
    from iki_core.tracking.store import SqlLedger

    url, who, count, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    at = dt.datetime(2021, 4, 5, 9, tzinfo=WIB)
    def report(i):
        return Report(f"1:{who}", Period.month(2021, 1 + i % 12),
                      value=parse_quantity(f"{i} orang"), reported_at=at, reported_by=who)
    with SqlLedger.open(url) as ledger:
        if mode.startswith("one-by-one:"):  # start when told, to add at the same time
            folder = Path(mode.partition(":")[2])
            (folder / who).touch()
            while not (folder / "go").exists():
                time.sleep(0.01)
            for i in range(count):
                ledger.add(report(i))
        else:
            def reports():
                for i in range(count):
                    if i == count - 10:
                        Path(mode).touch()  # most rows are written, not yet committed
                        time.sleep(120)
                    yield report(i)
            ledger.add_many(reports())
    """
)


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen([sys.executable, "-c", _WRITER, *args], env=env, cwd=ROOT)


def test_two_processes_adding_at_once_lose_nothing(db_url: str, tmp_path: Path) -> None:
    SqlLedger.open(db_url, create=True).close()
    writers = [_spawn(db_url, who, "40", f"one-by-one:{tmp_path}") for who in ("A", "B")]
    deadline = time.monotonic() + 120
    while not ((tmp_path / "A").exists() and (tmp_path / "B").exists()):
        assert all(w.poll() is None for w in writers), "a writer ended before it started"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    (tmp_path / "go").touch()
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    with SqlLedger.open(db_url) as ledger:
        entries = list(ledger.entries())
    assert [e.seq for e in entries] == list(range(1, 81))
    assert sorted(e.report.reported_by for e in entries) == ["A"] * 40 + ["B"] * 40
    assert all(a.recorded_at <= b.recorded_at for a, b in itertools.pairwise(entries))


def test_a_writer_killed_mid_import_leaves_the_ledger_as_before(
    db_url: str, tmp_path: Path
) -> None:
    with SqlLedger.open(db_url, create=True) as ledger:
        ledger.add(_report("1:1", Q1, value=parse_quantity("120 orang")))
        before = list(ledger.entries())
    marker = tmp_path / "mid-import"
    writer = _spawn(db_url, "K", "12000", str(marker))  # 12,000 rows: two batches written
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert writer.poll() is None, "the writer ended before the middle of its import"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    with SqlLedger.open(db_url) as ledger:
        assert list(ledger.entries()) == before
        after = ledger.add(_report("1:1", Q2, value=parse_quantity("5 orang")))
    assert after.seq == 2


def test_a_database_that_cannot_be_opened_is_said_so(tmp_path: Path) -> None:
    from iki_core.tracking import LedgerError

    target = tmp_path / "no-such-folder" / "ledger.db"
    with pytest.raises(LedgerError) as info:
        SqlLedger.create(target)
    assert str(info.value) == f"{target}: cannot open the ledger: unable to open database file"


@settings(max_examples=15)
@given(ledger_operations())
def test_sqlite_answers_as_the_memory_ledger(ops: list[tuple[str, int, int]]) -> None:
    # the same reports and reviews at the same moments: the same entries, the same
    # effective reports at every moment, read back from the file
    from iki_core.tracking import Ledger

    moments_a, clock_a = _clock()
    moments_b, clock_b = _clock()
    memory = Ledger(clock=clock_a)
    folder = Path(tempfile.mkdtemp(prefix="iki-prop-"))
    try:
        with SqlLedger.create(folder / "l.db", clock=clock_b) as sql:
            seqs: list[int] = []
            for kind, n, value in ops:
                if kind == "report":
                    ref, period = TRACKING_KEYS[n]
                    r = _report(
                        ref, period, value=parse_quantity(f"{value} orang"), reported_at=_at(value)
                    )
                    seqs.append(memory.add(r).seq)
                    assert sql.add(r).seq == seqs[-1]
                else:
                    reason = "wrong figure" if kind == "rejected" else ""
                    a = memory.review(seqs[n], kind, reviewer="Budi", reason=reason)
                    assert sql.review(seqs[n], kind, reviewer="Budi", reason=reason) == a
            assert list(sql.entries()) == list(memory.entries())
            for moment in moments_a:
                for verified_only in (False, True):
                    assert sql.effective(as_of=moment, verified_only=verified_only) == (
                        memory.effective(as_of=moment, verified_only=verified_only)
                    )
                    assert sql.realisations(as_of=moment, verified_only=verified_only) == (
                        memory.realisations(as_of=moment, verified_only=verified_only)
                    )
                assert sql.key_states(as_of=moment) == memory.key_states(as_of=moment)
            assert sql.key_states() == memory.key_states()
    finally:
        shutil.rmtree(folder)
    assert moments_a == moments_b


WITA = dt.timezone(dt.timedelta(hours=8), "WITA")


def _at(value: int) -> dt.datetime:
    """A report time that ``value`` picks: a day and minute, a zone among WIB, WITA and
    UTC, with or without a fraction of a second (the text of each orders differently)."""
    zone = (WIB, WITA, dt.UTC)[value % 3]
    moment = START + dt.timedelta(days=value % 7, minutes=value % 50, microseconds=value % 2)
    return moment.astimezone(zone)


def test_the_database_groups_as_the_memory_ledger(db_url: str) -> None:
    # SQL's grouping (the effective reports, the state of each key for completeness)
    # against the memory ledger's Python, on SQLite and PostgreSQL: corrections,
    # rejections, a review sent back, and the first report of a key made in another zone
    from iki_core.tracking import Ledger

    moments_a, clock_a = _clock()
    moments_b, clock_b = _clock()
    memory = Ledger(clock=clock_a)
    m2 = Period.parse("2021-02")
    with SqlLedger.open(db_url, create=True, clock=clock_b) as sql:
        early_wita = dt.datetime(2021, 4, 5, 9, tzinfo=WITA)  # 08:00 WIB: the earlier
        steps = [
            _report("1:1", Q1, value=parse_quantity("1 orang")),  # 09:30 WIB
            _report("1:1", Q1, value=parse_quantity("2 orang"), reported_at=early_wita),
            _report("1:1", m2, value=parse_quantity("3 orang")),
            _report("2:1", Q1, value=parse_quantity("4 orang")),
            _report("2:1", Q1, value=parse_quantity("5 orang")),
        ]
        for r in steps:
            assert sql.add(r) == memory.add(r)
        reviews = [
            (2, "verified", ""),
            (5, "rejected", "salah"),
            (4, "verified", ""),
            (3, "verified", ""),
            (3, "submitted", ""),
        ]
        for seq, state, reason in reviews:
            assert sql.review(seq, state, reviewer="Budi", reason=reason) == memory.review(
                seq, state, reviewer="Budi", reason=reason
            )
        for moment in [*moments_a, None]:
            assert sql.key_states(as_of=moment) == memory.key_states(as_of=moment)
            for verified_only in (False, True):
                assert sql.effective(as_of=moment, verified_only=verified_only) == (
                    memory.effective(as_of=moment, verified_only=verified_only)
                )
                assert sql.realisations(as_of=moment, verified_only=verified_only) == (
                    memory.realisations(as_of=moment, verified_only=verified_only)
                )
        states = sql.key_states()
        # 1:1 Q1: entry 2 is the last, verified; its first report is the WITA one
        assert states[("1:1", Q1)] == (2, True, early_wita)
        # 2:1 Q1: entry 5 rejected, entry 4 in force again, verified
        assert states[("2:1", Q1)] == (4, True, dt.datetime(2021, 4, 5, 9, 30, tzinfo=WIB))
        # 1:1 2021-02: verified, then sent back: not verified
        assert states[("1:1", m2)].verified is False
    assert moments_a == moments_b


def test_the_same_moment_in_two_zones_keeps_each_zone(tmp_path: Path) -> None:
    wib = dt.datetime(2021, 10, 6, 8, tzinfo=WIB)
    utc = wib.astimezone(dt.UTC)  # the same instant, written in UTC
    with SqlLedger.create(tmp_path / "l.db") as ledger:
        ledger.add_many(
            [
                _report("1:1", Q1, value=parse_quantity("1 orang"), reported_at=wib),
                _report("1:1", Q2, value=parse_quantity("2 orang"), reported_at=utc),
            ]
        )
        got = [e.report.reported_at.isoformat() for e in ledger.entries()]
    assert got == ["2021-10-06T08:00:00+07:00", "2021-10-06T01:00:00+00:00"]


def test_a_file_imported_in_bulk_reads_as_imported_row_by_row(db_url: str) -> None:
    # the bulk import (written with executemany) on SQLite and PostgreSQL: the entries,
    # the effective realisations and the completeness of the row path (a memory ledger)
    pytest.importorskip("pyarrow", reason="the columnar extra (pyarrow) is not installed")
    import attrs

    from iki_core import loaders
    from iki_core.tracking import Ledger, completeness

    doc = loaders.load(ROOT / "examples" / "kesbangpol_lampung_barat_2018-2022.txt")
    rows = ROOT / "examples" / "realisasi_2021.csv"
    at = dt.datetime(2022, 1, 5, 10, tzinfo=WIB)
    memory = Ledger(clock=lambda: START)
    by_rows = memory.import_realisations(rows, doc, reported_by="Sekretariat", reported_at=at)
    with SqlLedger.open(db_url, create=True, clock=lambda: START) as sql:
        in_bulk = sql.import_realisations(rows, doc, reported_by="Sekretariat", reported_at=at)
        assert in_bulk.bulk
        assert attrs.evolve(in_bulk, bulk=False) == by_rows
        assert (in_bulk.count, in_bulk.first, in_bulk.last) == (51, 1, 51)
        assert list(sql.entries()) == list(memory.entries())
        assert sql.realisations() == memory.realisations()
        assert completeness(doc, sql, "2021") == completeness(doc, memory, "2021")
