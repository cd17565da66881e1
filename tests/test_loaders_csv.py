"""CSV: one sheet per block, Indonesian or English headers, comma or semicolon, BOM."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given

from iki_core.loaders import detect_format, dump, dumps, load, loads
from iki_core.model import Count, Document, Sheet
from iki_core.units import get_registry
from tests.strategies import loader_sheets, without_sources

SEED = (
    Path(__file__).resolve().parent.parent / "examples" / "kesbangpol_lampung_barat_2018-2022.txt"
)


def test_indonesian_headers_semicolons_and_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "iki.csv"
    path.write_bytes(
        "\ufeffNo;Sasaran / Kinerja;Indikator Kinerja;Penjelasan;2021;2022;Sumber Data\n"
        '1;Tersedianya jasa surat;Jumlah surat masuk;Cukup Jelas;550;"1.250";Agenda\n'
        ";;Jumlah surat keluar;Cukup Jelas;450;-;Agenda\n".encode()
    )
    doc = load(path)
    assert doc.errors == ()
    sheet = doc.sheet(1)
    assert [i.id for i in sheet.indicators] == ["1.1", "1.2"]
    incoming = doc.indicator("1:1.1")
    target = incoming.target_for(2022)
    assert target is not None
    assert target.value == get_registry().quantity(1250)
    assert incoming.data_source == "Agenda"
    assert incoming.source is not None
    assert incoming.source.line == 2
    assert incoming.source.cells[0] == ("No", "1")
    outgoing = doc.indicator("1:1.2")
    assert [t.is_set for t in outgoing.targets] == [True, False]
    assert [d.line for d in doc.diagnostics if d.code == "continuation-row"] == [3]


def test_english_headers_commas_and_a_unit_column() -> None:
    text = (
        "No,Objective,Indicator,Explanation,Unit,Target 2021,Target 2022,Data Source\n"
        '1,Meetings held,Number of meetings,"Plain, clear",kali,12,"1.000",Minutes\n'
    )
    assert detect_format(text) == "csv"
    doc = loads(text)
    meetings = doc.indicator("1:1")
    assert meetings.kind == Count(get_registry().unit("kali"))
    assert meetings.explanation == "Plain, clear"
    assert [t.text for t in meetings.targets] == ["12", "1.000"]
    assert meetings.source is not None
    assert meetings.source.get("Satuan") == "kali"


def test_several_blocks_are_several_sheets() -> None:
    block = "No,Sasaran,Indikator,Penjelasan,2021,Sumber Data\n1,A,Jumlah a,Cukup Jelas,3 unit,\n"
    doc = loads(block + "\n" + block.replace("Jumlah a", "Jumlah b"), format="csv")
    assert [s.number for s in doc.sheets] == [1, 2]
    assert doc.indicator("2:1").name == "Jumlah b"
    second = doc.indicator("2:1").source
    assert second is not None
    assert second.line == 5


def test_unknown_columns_and_rows_before_the_header() -> None:
    text = (
        "No,Sasaran,Indikator,Penjelasan,2021,Catatan,Sumber Data\n"
        "1,A,Jumlah a,Cukup Jelas,3 unit,lihat lampiran,Agenda\n"
    )
    doc = loads(text, format="csv")
    assert [str(d) for d in doc.diagnostics if d.code == "unknown-column"] == [
        "line 1: info [unknown-column] column(s) 'Catatan' are not part of the layout; their "
        "cells are kept as text"
    ]
    src = doc.indicator("1:1").source
    assert src is not None
    assert src.get("Catatan") == "lihat lampiran"


def test_the_seed_as_csv_keeps_every_indicator(tmp_path: Path) -> None:
    seed = load(SEED)
    path = tmp_path / "seed.csv"
    dump(seed, path)
    again = load(path)
    assert [len(s.indicators) for s in again.sheets] == [2, 115, 5, 5, 8]
    for before, after in zip(seed.sheets, again.sheets, strict=True):
        assert without_sources(after).objectives == without_sources(before).objectives
    # sheet 2 is the block from line 5; No 30 is its 45th row
    assert [d.line for d in again.diagnostics if d.code == "repeated-row"] == [50]


@given(loader_sheets())
def test_a_generated_sheet_written_as_csv_loads_back_equal(sheet: Sheet) -> None:
    doc = loads(dumps(Document((sheet,)), format="csv"), format="csv")
    assert doc.errors == ()
    (loaded,) = doc.sheets
    assert without_sources(loaded).objectives == sheet.objectives
    assert loaded.plan_years == sheet.plan_years


@given(loader_sheets(), loader_sheets(number=2))
def test_two_generated_sheets_as_csv_blocks(first: Sheet, second: Sheet) -> None:
    doc = loads(dumps(Document((first, second)), format="csv"))
    assert [without_sources(s).objectives for s in doc.sheets] == [
        first.objectives,
        second.objectives,
    ]
