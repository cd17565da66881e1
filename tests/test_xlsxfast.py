"""The lean xlsx reader against openpyxl, the reference: the same values, number formats
and merged ranges for workbooks written by openpyxl and by XlsxWriter (shared strings,
rich text, number and date formats), and only IkiError for hostile archives."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iki_core import _xlsxfast
from iki_core._xlsxfast import Worksheet, read_workbook
from iki_core.errors import IkiError, InvalidValueError
from iki_core.loaders import load, loads
from iki_core.loaders.office import read_xlsx
from iki_core.loaders.writers import write_xlsx
from tests.test_loaders_grid import _pk_workbook

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "kesbangpol_lampung_barat_2018-2022.txt"


def _seed_book() -> bytes:
    return write_xlsx(load(SEED))


def _reference(data: bytes) -> tuple[Worksheet, ...]:
    """The worksheets as openpyxl reads them (full mode: it exposes the merged ranges)."""
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    out = []
    for ws in book.worksheets:
        cells = tuple(
            (c.row, c.column, c.value, str(c.number_format))
            for row in ws.iter_rows()
            for c in row
            if c.value is not None and isinstance(c.row, int) and isinstance(c.column, int)
        )
        merged = tuple((r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges)
        out.append(Worksheet(ws.title, cells, merged))  # type: ignore[arg-type]
    return tuple(out)


def _xlsxwriter_book() -> bytes:
    """A Perjanjian Kinerja as Excel itself stores it: shared strings (one in rich text),
    a merged title and a merged "Target" header, a percent, a date, a custom format with a
    unit in quotes, a boolean, a formula's cached result."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet("PK 2023")
    bold = book.add_format({"bold": True})
    ws.merge_range("A1:F1", "PERJANJIAN KINERJA TAHUN 2023", bold)
    ws.write_rich_string("A2", "DINAS ", bold, "KOMINFO", " (contoh rekaan)")
    ws.write_row(3, 0, ["No", "Indikator Kinerja", "Satuan", "Target", None, "Tanggal"])
    ws.merge_range("D4:E4", "Target")
    ws.write_row(4, 0, [1, "Persentase aduan selesai", "%"])
    ws.write_number(4, 3, 0.855, book.add_format({"num_format": "0.0%"}))
    ws.write_number(4, 4, 12.5, book.add_format({"num_format": '0.0 "hari"'}))
    ws.write_datetime(4, 5, dt.datetime(2023, 3, 31), book.add_format({"num_format": "dd/mm/yyyy"}))
    ws.write_row(5, 0, [2, "Jumlah siaran pers", "dokumen", 120, 1250.75])
    ws.write_boolean(6, 0, True)
    ws.write_formula(6, 1, "=D6*2", None, 240)
    ws.write_string(7, 1, "1.250")
    book.add_worksheet("Kosong")
    book.close()
    return out.getvalue()


@pytest.mark.parametrize("name", ["openpyxl", "xlsxwriter", "seed"])
def test_the_same_cells_and_merged_ranges_as_openpyxl(name: str) -> None:
    makers: dict[str, Callable[[], bytes]] = {
        "openpyxl": _pk_workbook,
        "xlsxwriter": _xlsxwriter_book,
        "seed": _seed_book,
    }
    data = makers[name]()
    fast = read_workbook(data)
    reference = _reference(data)
    assert [w.title for w in fast] == [w.title for w in reference]
    for mine, theirs in zip(fast, reference, strict=True):
        assert mine.cells == theirs.cells
        assert sorted(mine.merged) == sorted(theirs.merged)


def test_what_the_xlsxwriter_book_holds() -> None:
    (sheet, empty) = read_workbook(_xlsxwriter_book())
    cells = {(r, c): (v, f) for r, c, v, f in sheet.cells}
    assert cells[(2, 1)] == ("DINAS KOMINFO (contoh rekaan)", "General")  # rich text joined
    assert cells[(5, 4)] == (0.855, "0.0%")
    assert cells[(5, 6)] == (dt.datetime(2023, 3, 31), "dd/mm/yyyy")
    assert cells[(7, 1)] == (True, "General")
    assert cells[(7, 2)] == (240, "General")
    assert (1, 1, 1, 6) in sheet.merged
    assert (4, 4, 4, 5) in sheet.merged
    assert empty.cells == ()
    # the grid: each cell as the sheet shows it, the merged first cells spanning
    grid = read_xlsx(_xlsxwriter_book())[0]
    shown = {(c.row, c.column): (c.text, c.rows, c.columns) for c in grid.cells}
    assert shown[(4, 4)] == ("Target", 1, 2)
    assert shown[(5, 4)] == ("85,5%", 1, 1)
    assert shown[(5, 5)] == ("12,5", 1, 1)
    assert shown[(5, 6)] == ("2023-03-31", 1, 1)
    assert shown[(6, 5)] == ("1250,75", 1, 1)
    assert [line.text for line in grid.lines][:2] == [
        "PERJANJIAN KINERJA TAHUN 2023",
        "DINAS KOMINFO (contoh rekaan)",
    ]


def test_the_bundled_document_as_xlsx_gives_the_same_grid_as_openpyxl() -> None:
    data = write_xlsx(load(SEED))
    reference = _reference(data)
    grids = read_xlsx(data)
    assert len(grids) == len(reference) == 5
    for grid, ws in zip(grids, reference, strict=True):
        texts = {(c.row, c.column): c.text for c in grid.cells}
        lines = {line.line: line.text for line in grid.lines}
        for row, column, value, _ in ws.cells:
            if (row, column) in texts:
                assert texts[(row, column)] == str(value)
            else:  # a line of text around the table, as written less its edge spaces
                assert lines[row] == str(value).strip()


def _archive(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


_WORKBOOK = {
    "xl/workbook.xml": b'<workbook xmlns:r="urn:r"><sheets><sheet name="S" r:id="rId1"/>'
    b"</sheets></workbook>",
    "xl/_rels/workbook.xml.rels": b'<Relationships><Relationship Id="rId1" '
    b'Target="worksheets/sheet1.xml"/></Relationships>',
}


def test_a_zip_bomb_is_refused_past_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    row = b'<row><c t="inlineStr"><is><t>' + b"x" * 1000 + b"</t></is></c></row>"
    sheet = b"<worksheet><sheetData>" + row * 3000 + b"</sheetData></worksheet>"
    data = _archive({**_WORKBOOK, "xl/worksheets/sheet1.xml": sheet})
    assert len(data) < len(sheet) // 50  # 3 MB in the archive as a few kilobytes
    assert len(read_workbook(data)[0].cells) == 3000
    monkeypatch.setattr(_xlsxfast, "MAX_UNCOMPRESSED", 1_000_000)
    with pytest.raises(InvalidValueError) as info:
        read_workbook(data)
    assert str(info.value) == (
        "file: expected an Excel workbook (.xlsx) of at most 1,000,000 bytes uncompressed,"
        " got 'a larger archive'"
    )


def test_a_dtd_and_cells_beyond_the_grid_are_refused() -> None:
    bomb = (
        b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<worksheet><sheetData><row><c t="inlineStr"><is><t>&b;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    with pytest.raises(InvalidValueError, match="without a DTD"):
        read_workbook(_archive({**_WORKBOOK, "xl/worksheets/sheet1.xml": bomb}))
    far = b'<worksheet><sheetData><row><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>'
    with pytest.raises(InvalidValueError, match="inside Excel's grid"):
        read_workbook(_archive({**_WORKBOOK, "xl/worksheets/sheet1.xml": far}))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=4000), junk=st.binary(max_size=40))
def test_a_damaged_workbook_raises_only_iki_errors(cut: int, junk: bytes) -> None:
    # a real workbook's worksheet XML cut short and followed by junk, then the archive
    data = _xlsxwriter_book()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = parts[name][:cut] + junk
    try:
        doc = loads(_archive(parts), format="xlsx")
    except IkiError:
        return
    assert doc.sheets is not None


def _csv_by_openpyxl(data: bytes, lang: str, period_names: frozenset[str]) -> str:
    """The realisations workbook as CSV the way openpyxl's read-only mode gives its rows
    (the reader before the lean one): the reference of :func:`xlsx_to_csv`."""
    import csv

    from iki_core._xlsxin import cell_text

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    period_at: set[int] = set()
    for number, row in enumerate(sheet.iter_rows(), start=1):
        values = [getattr(c, "value", None) for c in row]
        if number == 1:
            period_at = {
                i
                for i, v in enumerate(values)
                if isinstance(v, str) and v.strip().lower() in period_names
            }
        formats = [str(getattr(c, "number_format", "General")) for c in row]
        writer.writerow(
            [
                cell_text(v, f, lang, i in period_at)
                for i, (v, f) in enumerate(zip(values, formats, strict=True))
            ]
        )
    book.close()
    return out.getvalue()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_realisations_workbook_as_csv_is_what_openpyxl_gives(lang: str) -> None:
    from iki_core._xlsxin import xlsx_to_csv
    from tests.test_realisations import _workbook

    data = _workbook(
        [
            ["indikator", "periode", "nilai", "pembilang", "penyebut", "tanggal_lapor"],
            ["2:1.1", "2021-07", 0.1, None, None, dt.datetime(2021, 8, 2)],
            ["2:1.1", dt.datetime(2021, 8, 1), 1250.5, None, None, None],
            [None, None, None, None, None, None],
            ["3:1", "2021-Q3", 0.955, None, None, True],
            ["1:1", "2021-Q3", None, 3, 4, None],
        ],
        {(5, 3): "0.0%"},
    )
    periods = frozenset({"periode", "period"})
    expected = _csv_by_openpyxl(data, lang, periods)
    assert xlsx_to_csv(data, lang, periods) == expected
    assert expected.splitlines()[2] == (
        "2:1.1,2021-08,1250.5,,," if lang == "en" else '2:1.1,2021-08,"1250,5",,,'
    )
    assert xlsx_to_csv(io.BytesIO(data), lang, periods) == expected
    with pytest.raises(InvalidValueError):
        xlsx_to_csv(b"PK\x03\x04 not a workbook", lang, periods)


def test_a_sasaran_merged_down_its_indicator_rows_is_one_objective() -> None:
    # an IKU sheet as agencies merge it: No and Sasaran merged over the two indicator rows
    # of the objective; the merged cells span those rows in the grid
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "IKU"
    ws["A1"] = "INDIKATOR KINERJA UTAMA (IKU)"
    ws.append(["No", "Sasaran", "Indikator", "Satuan", "2022", "2023"])
    ws.append([1, "Meningkatnya layanan", "Indeks kepuasan", "indeks", 80, 82])
    ws.append([None, None, "Jumlah aduan selesai", "aduan", 100, 120])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    out = io.BytesIO()
    book.save(out)
    (grid,) = read_xlsx(out.getvalue())
    spans = {(c.row, c.column): (c.rows, c.columns) for c in grid.cells if c.text}
    assert spans[(3, 1)] == (2, 1)
    assert spans[(3, 2)] == (2, 1)
    doc = loads(out.getvalue())
    (objective,) = doc.sheets[0].objectives
    assert objective.name == "Meningkatnya layanan"
    assert [(i.id, [t.text for t in i.targets]) for i in objective.indicators] == [
        ("1.1", ["80", "82"]),
        ("1.2", ["100", "120"]),
    ]
