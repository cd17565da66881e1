"""The ``iki track`` actions and the ledger options of ``iki report``, run through their
own parser and handler (docs/tracking.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import io
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy", reason="the db extra (sqlalchemy) is not installed")

from iki_core import loaders
from iki_core.engine import achievements
from iki_core.periods import Period
from iki_core.realisations import load_realisations
from iki_core.tracking import WIB
from iki_core.tracking.cli import (
    add_report_ledger_arguments,
    add_track_parser,
    ledger_realisations,
)
from iki_core.tracking.store import SqlLedger

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "examples" / "kesbangpol_lampung_barat_2018-2022.txt"
CSV = ROOT / "examples" / "realisasi_2021.csv"


def track(*argv: str | Path) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="iki")
    add_track_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args([str(a) for a in argv])
    out = io.StringIO()
    status = args.handler(args, out)
    return status, out.getvalue()


def test_init_import_verify_history_and_report(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    assert track("track", "init", "--db", db) == (0, f"ledger {db} is ready (0 entries)\n")
    status, out = track(
        "track", "import", DOC, CSV, "--db", db, "--by", "Ani", "--reported-at", "2022-01-15T10:00"
    )
    assert (status, out) == (0, f"recorded 51 reports from {CSV}\n")
    # a row's own reported_on date is kept, at the time of --reported-at
    (first,) = SqlLedger.open(db).history("1:1", "2021-Q1")
    assert first.report.reported_at == dt.datetime(2021, 4, 7, 10, tzinfo=WIB)
    # the report as the engine reads it: the same as from the CSV file
    document = loaders.load(DOC)
    from_db = ledger_realisations(str(db), document)
    from_csv = load_realisations(CSV, document)
    q3 = [Period.parse("2021-Q3")]
    assert from_db.ok
    assert [(a.indicator.id, a.percent) for a in achievements(document, from_db, q3)] == [
        (a.indicator.id, a.percent) for a in achievements(document, from_csv, q3)
    ]
    assert track("track", "verify", "1", "2", "--db", db, "--by", "Budi") == (
        0,
        "entry 1 verified (review entry 52)\nentry 2 verified (review entry 53)\n",
    )
    status, out = track(
        "track", "verify", "3", "--db", db, "--by", "Budi", "--reject", "X lebih besar dari Y?"
    )
    assert out == "entry 3 rejected (review entry 54)\n"
    status, out = track("track", "history", "1:1", "TW I 2021", "--db", db)
    lines = out.splitlines()
    assert lines[0].startswith("#1  ")
    assert lines[0].endswith("  report  2/2  by Ani, reported 2021-04-07T10:00+07:00")
    assert lines[1].endswith("  verified #1  by Budi")
    verified = ledger_realisations(str(db), document, verified_only=True)
    assert [(r.indicator, str(r.period)) for r in verified] == [
        ("1:1", "2021-Q1"),
        ("1:1", "2021-Q2"),
    ]
    # and as of a moment before the import there was nothing
    before = ledger_realisations(str(db), document, as_of=dt.datetime(2000, 1, 1, tzinfo=WIB))
    assert len(before) == 0


def test_add_with_evidence_and_a_correction(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    track("track", "init", "--db", db)
    proof = tmp_path / "daftar_hadir.pdf"
    proof.write_bytes(b"abc")
    status, out = track(
        "track",
        "add",
        DOC,
        "--db",
        db,
        "--indicator",
        "3:1",
        "--period",
        "2021-Q3",
        "--value",
        "95 orang",
        "--by",
        "Ani",
        "--evidence",
        proof,
        "--evidence",
        "https://drive.example/foto.jpg#sha256=" + "c" * 64,
        "--reported-at",
        "2021-10-06T08:00",
    )
    assert (status, out) == (0, "recorded entry 1: 3:1 2021-Q3\n")
    track(
        "track",
        "add",
        DOC,
        "--db",
        db,
        "--indicator",
        "3:1",
        "--period",
        "2021-Q3",
        "--value",
        "97",
        "--by",
        "Ani",
        "--note",
        "dua daftar hadir terlewat",
    )
    status, out = track("track", "history", "3:1", "2021-Q3", "--db", db)
    lines = out.splitlines()
    assert lines[1] == (
        f"    {proof} sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert lines[2] == "    https://drive.example/foto.jpg sha256:" + "c" * 64
    assert " report  97 orang  by Ani, reported " in lines[3]
    assert lines[3].endswith(": dua daftar hadir terlewat")


def test_bad_input_records_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ledger.db"
    track("track", "init", "--db", db)
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,period,value\n3:1,2021-Q1,5 orang\n3:1,2021-Q2,lima\n")
    assert track("track", "import", DOC, bad, "--db", db, "--by", "Ani") == (1, "")
    err = capsys.readouterr().err
    assert "line 3: error [bad-value]" in err
    assert f"1 bad row(s) in {bad}; nothing was recorded" in err
    assert track(
        "track",
        "add",
        DOC,
        "--db",
        db,
        "--indicator",
        "3:9",
        "--period",
        "2021-Q1",
        "--value",
        "1",
        "--by",
        "Ani",
    ) == (1, "")
    assert "record 0: indicator '3:9': the document has no such indicator" in (
        capsys.readouterr().err
    )
    assert track("track", "verify", "7", "--db", db, "--by", "Budi") == (1, "")
    assert capsys.readouterr().err == (
        "iki track verify: error: entry 7: the ledger has no such entry\n"
    )
    assert len(SqlLedger.open(db)) == 0
    assert track("track", "history", "3:1", "2021-Q1", "--db", tmp_path / "none.db")[0] == 1


def test_import_xlsx_and_status(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["indicator", "period", "value", "numerator", "denominator", "reported_on"])
    sheet.append(["3:1", "2021-Q1", "50 orang", None, None, dt.datetime(2021, 4, 2)])
    sheet.append(["3:1", "2021-Q2", 45, None, None, dt.datetime(2021, 8, 20)])
    sheet.append(["1:1", "2021-Q1", None, 2, 2.5, None])
    sheet.append(["2:1.1", "2021-01", 41.0, None, None, None])
    path = tmp_path / "realisasi.xlsx"
    book.save(path)
    db = tmp_path / "ledger.db"
    track("track", "init", "--db", db)
    status, out = track(
        "track", "import", DOC, path, "--db", db, "--by", "Ani", "--reported-at", "2021-04-03T09:00"
    )
    assert (status, out) == (0, f"recorded 4 reports from {path}\n")
    ledger = SqlLedger.open(db)
    (x,) = ledger.realisations().for_indicator("1:1")
    assert str(x.denominator) == "2.5"  # the cell showed 2.5, read as "2,5"
    (letters,) = ledger.realisations().for_indicator("2:1.1")
    assert letters.value is not None
    assert letters.value.magnitude == 41  # the float 41.0 of the cell, as the 41 it shows
    status, out = track("track", "status", DOC, "--db", db, "--period", "2021-Q2", "--lang", "en")
    rows = {line.split("  ")[0].strip(): line.split() for line in out.splitlines()[2:]}
    # 3:1 expects Q1 and Q2: Q1 on time (2 April), Q2 late (20 August > 30 June + 30 days)
    assert rows["indicator 3:1"][2:9] == ["2", "2", "1", "1", "0", "0", "100.00"]


def test_report_arguments() -> None:
    parser = argparse.ArgumentParser()
    add_report_ledger_arguments(parser)
    args = parser.parse_args(["--db", "x.db", "--as-of", "2021-10-15", "--verified-only"])
    assert (args.db, args.as_of, args.verified_only) == (
        "x.db",
        dt.datetime(2021, 10, 15, 23, 59, 59, 999999, tzinfo=WIB),
        True,
    )
    with pytest.raises(SystemExit):
        parser.parse_args(["--as-of", "15 Oktober"])


def test_xlsx_cells_as_the_sheet_shows_them() -> None:
    from iki_core.tracking.cli import _cell

    # Excel stores a cell shown as 95% as 0.95 (DOMAIN.md, "Excel percent cells")
    assert [_cell(0.95, "0%"), _cell(0.955, "0.00%"), _cell(95.5, "General")] == [
        "95%",
        "95,5%",
        "95,5",
    ]
    assert [_cell(1250.0, "General"), _cell(3, None), _cell("3 unit", "@")] == [
        "1250",
        "3",
        "3 unit",
    ]
    assert _cell(dt.datetime(2021, 4, 2), "yyyy-mm-dd") == "2021-04-02"


def test_import_parquet_records_what_the_csv_file_records(tmp_path: Path) -> None:
    # the example CSV file's columns as a Parquet file: the same 51 reports, the same entries
    pacsv = pytest.importorskip("pyarrow.csv")
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    text = [line for line in CSV.read_text("utf-8").splitlines() if not line.startswith("#")]
    table = pacsv.read_csv(
        io.BytesIO("\n".join(text).encode("utf-8")),
        parse_options=pacsv.ParseOptions(delimiter=";" if ";" in text[0] else ","),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in text[0].replace(";", ",").split(",")},
            strings_can_be_null=True,
        ),
    )
    path = tmp_path / "realisasi.parquet"
    pq.write_table(table, path)
    entries = []
    for source in (CSV, path):
        db = tmp_path / f"{source.suffix[1:]}.db"
        track("track", "init", "--db", db)
        status, out = track(
            "track",
            "import",
            DOC,
            source,
            "--db",
            db,
            "--by",
            "Ani",
            "--reported-at",
            "2022-01-15T10:00",
        )
        assert (status, out) == (0, f"recorded 51 reports from {source}\n")
        entries.append([e.report for e in SqlLedger.open(db).entries()])
    assert entries[0] == entries[1]
