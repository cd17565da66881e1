"""The bulk import (docs/tracking.md, "Importing a file"): a realisations file read in
columns records the same entries, and says the same things, as the row reader and
``add_many`` do, row by row: on generated files with good and bad rows, on SQLite (and
on PostgreSQL in tests/test_tracking_store.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("sqlalchemy", reason="the db extra (sqlalchemy) is not installed")
pytest.importorskip("pyarrow", reason="the columnar extra (pyarrow) is not installed")

from iki_core import loaders
from iki_core.errors import IkiParseError
from iki_core.model import Count, Document, Indicator, Objective, PercentageFormula, Sheet, Target
from iki_core.tracking import WIB, Ledger
from iki_core.tracking.store import SqlLedger
from iki_core.units import get_registry

ROOT = Path(__file__).resolve().parent.parent
KESBANGPOL = loaders.load(ROOT / "examples" / "kesbangpol_lampung_barat_2018-2022.txt")
# a sheet counted in buah, so that "2 lusin" is converted (24 buah), as the row reader does
GOODS = Sheet(
    6,
    "Pengurus Barang",
    plan_years=[2021],
    objectives=[
        Objective(
            "1",
            "Persediaan",
            [
                Indicator(
                    "1",
                    "Jumlah barang",
                    Count(get_registry().unit("buah")),
                    [Target.parse(2021, "240 buah")],
                )
            ],
        )
    ],
)
DOC = Document([*KESBANGPOL.sheets, GOODS])
REFS = [ref for ref, _ in DOC.references()]
FORMULAS = [ref for ref, ind in DOC.references() if isinstance(ind.kind, PercentageFormula)]
COUNTS = [ref for ref in REFS if ref not in FORMULAS]
UNITS = {ref: ind.unit.name for ref, ind in DOC.references()}
AT = dt.datetime(2022, 1, 5, 10, 30, tzinfo=WIB)
NOW = dt.datetime(2022, 1, 6, 3, tzinfo=dt.UTC)
HEADER = ["indicator", "period", "value", "numerator", "denominator", "reported_on", "note"]

MONTHS = [f"2021-{m:02d}" for m in range(1, 13)]
PERIODS = [*MONTHS, "2021-Q1", "2021-Q3", "Juli 2021", "TW IV 2021", "2021", "2030-01", "bulan"]
VALUES = ["41", " 7 ", "1.250", "95,5", "0", "3 unit", "2 lusin", "120 orang peserta", "-5", "lima"]
NUMBERS = ["2", "1,5", "10", "0", "-1", "x"]
DATES = ["2021-10-05", "5 Oktober 2021", "05/11/2021", "2020-01-01", "32/13/2021"]
NOTES = ["catatan", "  spasi di tepi  ", "koma, di dalam", "baris\nbaru", 'kutip "ganda"']


@st.composite
def clean_rows(draw: st.DrawFn) -> list[list[str]]:
    """Rows the row reader reads without a word: one per indicator and month, a value
    for a count (bare, or in the indicator's unit), X and Y for a formula."""
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(REFS), st.sampled_from(MONTHS)), min_size=1, max_size=40
        ).map(lambda ks: list(dict.fromkeys(ks)))
    )
    rows = []
    for ref, month in keys:
        date = draw(st.sampled_from(["", "2021-12-20", "20 Desember 2021", "31/12/2021"]))
        note = draw(st.sampled_from(["", *NOTES]))
        if ref in FORMULAS:
            x, y = draw(st.sampled_from(NUMBERS[:4])), draw(st.sampled_from(NUMBERS[:3]))
            rows.append([ref, month, "", x, y, date, note])
            continue
        unit = UNITS[ref]
        written = [" 7 ", "41", "1.250", "0"]
        if unit:
            written += [f"3 {unit}", f"12 {unit}"]
        if unit == "buah":
            written.append("2 lusin")
        if unit == "orang":
            written.append("120 orang peserta")
        rows.append([ref, month, draw(st.sampled_from(written)), "", "", date, note])
    return rows


def _quarter(month: str) -> str:
    return f"2021-Q{(int(month[5:]) - 1) // 3 + 1}"


@st.composite
def any_rows(draw: st.DrawFn) -> list[list[str]]:
    """Clean rows with one to three defects: a row repeated, a quarter over one of its
    months, a cell replaced by a bad or odd one (unknown indicator, period outside the
    plan, bad number or date, X and Y for a count, a value for a formula, a date before
    the period), a row with nothing reported yet, a comment line or a blank row."""
    rows = draw(clean_rows())
    clean = list(rows)
    pools = [
        ["9:9", " 2:1.1 ", "", *FORMULAS],
        ["", *PERIODS],
        ["", *VALUES],
        ["", *NUMBERS],
        ["", *NUMBERS],
        ["", *DATES],
        ["", *NOTES],
    ]
    for _ in range(draw(st.integers(1, 3))):
        row = list(draw(st.sampled_from(clean)))
        defect = draw(st.sampled_from(["repeat", "quarter", "cell", "cell", "empty", "line"]))
        if defect == "quarter" and row[1] in MONTHS:
            row[1] = _quarter(row[1])
        elif defect == "cell":
            column = draw(st.integers(0, 6))
            row[column] = draw(st.sampled_from(pools[column]))
            if len(rows) > 1:  # often the row itself, changed
                rows.remove(draw(st.sampled_from(rows)))
        elif defect == "empty":
            row[2:7] = ["", "", "", "", ""]
        elif defect == "line":
            row = draw(st.sampled_from([["# komentar"], ["", "", ""], ["  "]]))
        rows.insert(draw(st.integers(0, len(rows))), row)
    return rows


def _file(rows: list[list[str]], delimiter: str, extra: str = "") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return (out.getvalue() + extra).encode("utf-8")


def _both(data: bytes, plain: bool = True) -> None:
    """Import ``data`` row by row (a memory ledger) and the bulk way (SQLite): the same
    result and the same entries. A ``plain`` file (no comment line, no blank row) that
    the row reader reads without a word goes the bulk way."""
    folder = Path(tempfile.mkdtemp(prefix="iki-bulk-"))
    try:
        memory = Ledger(clock=lambda: NOW)
        by_rows = memory.import_realisations(data, DOC, reported_by="Ani", reported_at=AT)
        with SqlLedger.create(folder / "l.db", clock=lambda: NOW) as sql:
            in_bulk = sql.import_realisations(data, DOC, reported_by="Ani", reported_at=AT)
            assert attrs.evolve(in_bulk, bulk=False) == by_rows
            assert list(sql.entries()) == list(memory.entries())
        if plain:
            assert in_bulk.bulk == (not by_rows.diagnostics and by_rows.count > 0)
    finally:
        shutil.rmtree(folder)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clean_rows(), st.sampled_from([",", ";", "\t"]))
def test_clean_files_go_the_bulk_way_with_the_same_entries(
    rows: list[list[str]], delimiter: str
) -> None:
    _both(_file(rows, delimiter))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_rows(), st.sampled_from([",", ";"]), st.sampled_from(["", "# akhir\n", "\n,,,,,,\n"]))
def test_bulk_import_equals_the_row_path_on_any_file(
    rows: list[list[str]], delimiter: str, extra: str
) -> None:
    _both(_file(rows, delimiter, extra), plain=not extra and all(len(r) == 7 for r in rows))


def test_a_clean_file_is_stored_as_the_row_path_stores_it(tmp_path: Path) -> None:
    # by hand: 2 lusin is 24 buah (units.txt: lusin = 12 buah), kept as written; 1.250 is
    # one thousand two hundred fifty; X = 1,5 keeps its digits; a dated row is reported
    # at the time of reported_at on its date, in reported_at's zone
    data = _file(
        [
            ["6:1", "2021-03", "2 lusin", "", "", "2021-04-02", " stok opname "],
            ["2:1.1", "2021-03", "1.250", "", "", "", ""],
            ["1:1", "TW I 2021", "", "1,5", "2", "", ""],
        ],
        ";",
    )
    with SqlLedger.create(tmp_path / "l.db", clock=lambda: NOW) as sql:
        result = sql.import_realisations(data, DOC, reported_by="Ani", reported_at=AT)
        assert (result.count, result.first, result.last, result.bulk) == (3, 1, 3, True)
        goods, letters, ratio = (e.report for e in sql.entries())
    assert goods.value is not None
    assert letters.value is not None
    assert (str(goods.value.magnitude), goods.value.unit.name, goods.value.text) == (
        "24",
        "buah",
        "2 lusin",
    )
    assert goods.reported_at.isoformat() == "2021-04-02T10:30:00+07:00"
    assert goods.note == "stok opname"
    assert str(letters.value.magnitude) == "1250"
    assert letters.reported_at == AT
    assert (str(ratio.numerator), str(ratio.denominator), str(ratio.period)) == (
        "1.5",
        "2",
        "2021-Q1",
    )


def test_a_bad_row_records_nothing_and_is_named_with_its_line(tmp_path: Path) -> None:
    data = _file([["2:1.1", "2021-01", "41", "", "", "", ""], ["9:9", "2021-01", "4"]], ",")
    with SqlLedger.create(tmp_path / "l.db") as sql:
        result = sql.import_realisations(data, DOC, reported_by="Ani", reported_at=AT)
        assert len(sql) == 0
    assert (result.ok, result.count, result.skipped) == (False, 0, (3,))
    (problem,) = result.diagnostics
    assert str(problem).startswith("line 3: error [unknown-indicator]")


@pytest.mark.parametrize(
    "odd",
    [
        b"2:1.1,2021-02,5,,,,caf\xe9\n",  # Windows-1252, not UTF-8: warned of, line by line
        b"\n#,komentar,,,,,\n",  # a comment line: read past
    ],
)
def test_files_the_row_reader_has_words_for_go_its_way(odd: bytes) -> None:
    clean = _file([["2:1.1", "2021-01", "41", "", "", "", ""]], ",")
    _both(clean + odd, plain=False)


@pytest.mark.parametrize("at", [0, 9000])  # in the first 8 KB (binary data) and past them
def test_a_nul_byte_is_taken_the_same_way(at: int, tmp_path: Path) -> None:
    rows = [["2:1.1", "2021-01", "41", "", "", "", ""]]
    data = _file(rows, ",") + b"#" + b"-" * at + b"\n2:1.1,2021-02,5,,,,a\x00b\n"
    outcomes: list[object] = []
    ledgers = (Ledger(clock=lambda: NOW), SqlLedger.create(tmp_path / "l.db", clock=lambda: NOW))
    for ledger in ledgers:
        try:
            result = ledger.import_realisations(data, DOC, reported_by="Ani", reported_at=AT)
        except IkiParseError as exc:
            outcomes.append(exc.diagnostics)
        else:
            outcomes.append(attrs.evolve(result, bulk=False))
            assert not result.bulk
        outcomes.append(list(ledger.entries()))
    assert outcomes[:2] == outcomes[2:]
