"""Workbooks, Word documents, PDF files and Markdown pipe tables: one grid, one layout
recogniser (docs/formats.md, "Spreadsheets, Word and PDF")."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iki_core.errors import IkiError, InvalidValueError
from iki_core.loaders import LoaderOptions, detect_format, dumps, load, loads
from iki_core.loaders.writers import write_docx, write_pdf, write_xlsx
from iki_core.model import Document

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _key(doc: Document) -> list[tuple[int, str, str, list[tuple[int, object]]]]:
    return [
        (s.number, i.id, " ".join(i.name.split()), [(t.year, t.value) for t in i.targets])
        for s in doc.sheets
        for i in s.indicators
    ]


@pytest.fixture(scope="module")
def seed_doc() -> Document:
    return load(EXAMPLES / "kesbangpol_lampung_barat_2018-2022.txt")


@pytest.mark.parametrize(
    ("writer", "name"), [(write_xlsx, "xlsx"), (write_docx, "docx"), (write_pdf, "pdf")]
)
def test_the_bundled_document_in_every_format_loads_to_the_same_indicators(
    seed_doc: Document, writer: object, name: str
) -> None:
    assert callable(writer)
    data = writer(seed_doc)
    assert detect_format(data) == name
    again = loads(data)
    assert _key(again) == _key(seed_doc)
    assert len(_key(again)) == 135  # every indicator of the bundled document
    assert [s.position for s in again.sheets] == [s.position for s in seed_doc.sheets]
    assert again.sheets[0].source is not None
    assert again.sheets[0].source.cells[0][0] == "place"
    # the ten signature blocks (two per sheet) read back whole: bold names and titles,
    # the paragraphs between them, ranks, NIPs and the place and date
    assert _signatures(again) == _signatures(seed_doc)
    assert sum(len(s) for s in _signatures(again)) == 10


def _signatures(doc: Document) -> list[list[tuple[object, ...]]]:
    return [
        [(g.role, g.name, g.title, g.rank, g.nip, g.place_date) for g in s.signatories]
        for s in doc.sheets
    ]


def _pk_workbook(title: str = "PERJANJIAN KINERJA TAHUN 2023") -> bytes:
    """A Perjanjian Kinerja as agencies keep it: a merged title row, a header with one
    Target column, an empty column B, a float percentage cell formatted 0.0%."""
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "PK 2023"
    ws["A1"] = title
    ws.merge_cells("A1:G1")
    ws["A2"] = "DINAS KOMUNIKASI DAN INFORMATIKA (contoh rekaan)"
    ws.merge_cells("A2:G2")
    ws.append([])
    ws.append(["No", None, "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target"])
    ws.append(["(1)", None, "(2)", "(3)", "(4)", "(5)"])
    ws.append([1, None, "Meningkatnya layanan informasi", "Persentase aduan selesai", "%", 0.855])
    ws["F6"].number_format = "0.0%"
    ws.append([None, None, None, "Jumlah siaran pers", "dokumen", 120])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_perjanjian_kinerja_workbook_takes_its_year_from_the_title() -> None:
    doc = loads(_pk_workbook())
    sheet = doc.sheets[0]
    assert sheet.kind == "PK"
    assert sheet.title == "PERJANJIAN KINERJA TAHUN 2023"
    assert sheet.plan_years == (2023,)
    first, second = sheet.indicators
    # 0.855 formatted 0.0% shows 85,5% (the cell as the sheet shows it)
    target = first.target_for(2023)
    assert target is not None
    assert target.text == "85,5%"
    assert target.value is not None
    assert target.value.magnitude == Decimal("85.5")  # type: ignore[union-attr]
    assert first.unit.name == "persen"
    second_target = second.target_for(2023)
    assert second_target is not None
    assert second_target.value.magnitude == Decimal(120)  # type: ignore[union-attr]
    codes = {d.code for d in doc.diagnostics}
    assert "target-year" in codes
    assert "column-number-row" in codes
    assert "missing-position" not in codes
    assert sheet.source is not None
    assert sheet.source.get("place") == "worksheet 'PK 2023'"


def test_a_target_column_without_a_year_is_never_guessed() -> None:
    doc = loads(_pk_workbook("PERJANJIAN KINERJA"))
    assert [d.code for d in doc.errors][:1] == ["target-year-unknown"]
    assert doc.sheets[0].indicators[0].targets == ()
    given = loads(_pk_workbook("PERJANJIAN KINERJA"), options=LoaderOptions(year=2024))
    assert given.sheets[0].plan_years == (2024,)
    with pytest.raises(InvalidValueError, match=r"LoaderOptions\.year"):
        LoaderOptions(year=23)


def test_a_merged_target_header_over_the_years_and_several_worksheets() -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Catatan"
    first["A1"] = "lembar catatan tanpa tabel"
    ws = book.create_sheet("IKU")
    ws["A1"] = "INDIKATOR KINERJA UTAMA (IKU)"
    ws.merge_cells("A1:F1")
    ws.append(["No", "Sasaran", "Indikator", "Target", None, "Sumber Data"])
    ws.merge_cells("D2:E2")
    ws.merge_cells("A2:A3")
    ws.append([None, None, None, 2021, 2022, None])
    ws.append(
        [1, "Tersedianya data", "Jumlah dataset terbit", "12 dataset", "15 dataset", "Bidang"]
    )
    out = io.BytesIO()
    book.save(out)
    doc = loads(out.getvalue())
    (sheet,) = doc.sheets
    assert sheet.kind == "IKU"
    assert sheet.plan_years == (2021, 2022)
    (ind,) = sheet.indicators
    assert [(t.year, t.text) for t in ind.targets] == [(2021, "12 dataset"), (2022, "15 dataset")]
    assert ind.data_source == "Bidang"


def test_a_word_document_with_paragraphs_around_its_table() -> None:
    d = docx.Document()
    d.add_paragraph("RENCANA AKSI TAHUN 2023")
    table = d.add_table(rows=0, cols=4)
    for row in (
        ["No", "Sasaran", "Indikator Kinerja", "Target"],
        ["1", "Meningkatnya tata kelola", "Jumlah laporan kinerja", "4 laporan"],
    ):
        cells = table.add_row().cells
        for i, text in enumerate(row):
            cells[i].text = text
    d.add_paragraph("Liwa, 2 Januari 2023")
    out = io.BytesIO()
    d.save(out)
    doc = loads(out.getvalue())
    (sheet,) = doc.sheets
    assert sheet.kind == "Rencana Aksi"
    (ind,) = sheet.indicators
    assert [(t.year, t.text) for t in ind.targets] == [(2023, "4 laporan")]


def test_a_markdown_pipe_table_and_a_definition_sheet_without_targets() -> None:
    text = (
        "**MANUAL INDIKATOR KINERJA UTAMA**\n\n"
        "| No | Indikator Kinerja | Formula | Satuan | Sumber Data |\n"
        "|---|---|---|---|---|\n"
        "| 1 | Persentase aduan selesai | (X/Y) x 100% | % | Aplikasi aduan |\n"
    )
    assert detect_format(text) == "markdown"
    doc = loads(text)
    (sheet,) = doc.sheets
    assert sheet.kind == "Manual IKU"
    (ind,) = sheet.indicators
    assert ind.targets == ()
    assert ind.explanation == "(X/Y) x 100%"
    assert "no-targets" in {d.code for d in doc.diagnostics}
    assert doc.errors == ()


def test_a_workbook_given_as_csv_is_routed_and_garbage_is_refused_naming_the_format() -> None:
    doc = loads(_pk_workbook(), format="csv")
    assert doc.sheets[0].kind == "PK"
    assert "routed-format" in {d.code for d in doc.diagnostics}
    with pytest.raises(InvalidValueError, match="an Excel workbook"):
        loads(b"PK\x03\x04 not a zip", format="xlsx")
    with pytest.raises(InvalidValueError, match="a PDF document"):
        loads(b"%PDF-1.4 broken", format="pdf")
    with pytest.raises(InvalidValueError, match="a Word document"):
        loads(b"hello", format="docx")


def test_the_invented_perjanjian_kinerja_example_loads() -> None:
    doc = load(EXAMPLES / "perjanjian_kinerja_2023_contoh.md")
    (sheet,) = doc.sheets
    assert sheet.kind == "PK"
    assert sheet.plan_years == (2023,)
    texts = [(i.name, [t.text for t in i.targets]) for i in sheet.indicators]
    assert texts == [
        ("Persentase pengaduan masyarakat yang diselesaikan", ["90%"]),
        ("Jumlah rekomendasi kebijakan yang ditindaklanjuti", ["6 rekomendasi"]),
        ("Indeks kepuasan masyarakat", ["82,5"]),
    ]
    assert doc.errors == ()


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf", "markdown"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300))
def test_any_bytes_raise_only_iki_errors(fmt: str, data: bytes) -> None:
    prefix = {"xlsx": b"PK\x03\x04", "docx": b"PK\x03\x04", "pdf": b"%PDF-1.4\n", "markdown": b""}
    for body in (data, prefix[fmt] + data):
        try:
            doc = loads(body, format=fmt)
        except IkiError:
            continue
        assert isinstance(doc, Document)


# --- the invented examples of each kind (examples/*_contoh.md) ------------------------------
def test_the_invented_iku_reads_grades_as_grades() -> None:
    doc = load(EXAMPLES / "iku_2021-2023_contoh.md")
    (sheet,) = doc.sheets
    assert sheet.kind == "IKU"
    assert "missing-position" not in {d.code for d in doc.diagnostics}
    opini = sheet.indicator("1.2")
    # opini BPK: WTP is the highest of four grades (position 4), the text kept
    assert opini.kind.name == "grade"
    assert opini.aggregation == "last"
    assert [(t.year, t.text, t.value.magnitude) for t in opini.targets] == [  # type: ignore[union-attr]
        (2021, "WTP", Decimal(4)),
        (2022, "WTP", Decimal(4)),
        (2023, "WTP", Decimal(4)),
    ]
    assert opini.verbatim == ()
    (info,) = [d for d in doc.diagnostics if d.code == "value-kind"]
    assert "opini-bpk" in info.message
    sakip = sheet.indicator("1.1")
    assert [(t.year, t.value.magnitude) for t in sakip.targets] == [  # type: ignore[union-attr]
        (2021, Decimal(60)),
        (2022, Decimal(65)),
        (2023, Decimal(70)),
    ]
    # the verbatim cells survive the JSON round trip
    again = loads(dumps(doc))
    assert again.sheets[0].indicator("1.2").verbatim == opini.verbatim


def test_the_invented_manual_iku_is_a_definition_sheet() -> None:
    doc = load(EXAMPLES / "manual_iku_contoh.md")
    (sheet,) = doc.sheets
    assert sheet.kind == "Manual IKU"
    assert doc.errors == ()
    first, second = sheet.indicators
    assert first.targets == second.targets == ()
    assert first.kind.name == "percentage"
    assert first.explanation.startswith("jumlah layanan selesai tepat waktu dibagi")
    assert first.source is not None
    assert first.source.get("Penanggung Jawab") == "Sekretaris"


def test_the_invented_renstra_keeps_baseline_and_end_target_with_their_years() -> None:
    doc = load(EXAMPLES / "renstra_2019-2023_contoh.md")
    (sheet,) = doc.sheets
    assert sheet.kind == "Renstra/RPJMD"
    assert sheet.plan_years == (2019, 2020, 2021, 2022, 2023)
    forum = sheet.indicator("2")
    assert forum.baseline is not None
    assert forum.end_target is not None
    assert (forum.baseline.year, forum.baseline.text) == (2018, "12 forum")
    assert (forum.end_target.year, forum.end_target.text) == (2023, "22 forum")
    assert forum.baseline.value.magnitude == Decimal(12)  # type: ignore[union-attr]
    again = loads(dumps(doc))
    assert again.sheets[0].indicator("2").baseline == forum.baseline
    assert again.sheets[0].indicator("2").end_target == forum.end_target


def test_the_invented_rencana_aksi_gives_quarterly_plans() -> None:
    doc = load(EXAMPLES / "rencana_aksi_2023_contoh.md")
    (sheet,) = doc.sheets
    assert sheet.kind == "Rencana Aksi"
    sosialisasi, layanan = sheet.indicators
    plan = sosialisasi.plan_for(2023)
    assert plan is not None
    assert [q.magnitude for q in plan.quarters if q is not None] == [Decimal(3)] * 4
    assert sosialisasi.target_for(2023).text == "12 kali"  # type: ignore[union-attr]
    plan2 = layanan.plan_for(2023)
    assert plan2 is not None
    assert [q.text for q in plan2.quarters if q is not None] == ["90%", "92%", "94%", "95%"]
    assert loads(dumps(doc)).sheets[0].indicator("1").plans == sosialisasi.plans


def test_the_invented_lkjip_table_gives_realisations_and_an_audit() -> None:
    from iki_core.loaders.lkjip import audit, realisations_of

    doc = load(EXAMPLES / "lkjip_pengukuran_2022_contoh.md")
    (sheet,) = doc.sheets
    assert sheet.kind == "LKjIP"
    assert [t.text for i in sheet.indicators for t in i.targets] == [
        "12 kali",
        "10 dokumen",
        "200 kasus",
    ]
    reals = realisations_of(doc)
    assert [(r.indicator, r.period.year, r.value.text) for r in reals] == [  # type: ignore[union-attr]
        ("1:1", 2022, "15 kali"),
        ("1:2", 2022, "9 dokumen"),
        ("1:3", 2022, "150 kasus"),
    ]
    # by hand (higher is better, R / T x 100): 15/12 = 125, 9/10 = 90,00, 150/200 = 75;
    # the table publishes 80 for the third
    (wrong,) = audit(doc)
    assert (wrong.reference, wrong.published, wrong.computed) == ("1:3", "80", Decimal(75))


def test_iki_check_shows_the_layout_and_the_audit(capsys: pytest.CaptureFixture[str]) -> None:
    from iki_core.cli import main

    assert main(["check", "--layout", str(EXAMPLES / "lkjip_pengukuran_2022_contoh.md")]) == 0
    out = capsys.readouterr().out
    assert "  column 5: 'Realisasi' read as realisation (Realisasi)" in out
    assert "  1:3 2022: published 80, computed 75" in out


def test_percentages_are_inferred_from_other_formulas_and_the_name_each_stated() -> None:
    text = (
        "| No | Sasaran | Indikator | Penjelasan | 2023 |\n|---|---|---|---|---|\n"
        "| 1 | S | Persentase aduan selesai | Cukup Jelas | 90 |\n"
        "| 2 | S | Tingkat aduan | jumlah aduan selesai dibagi jumlah aduan masuk"
        " dikali 100% | 90 |\n"
        "| 3 | S | Tingkat layanan | a/b X 100 % | 90 |\n"
        "| 4 | S | Rasio guru murid | Cukup Jelas | 1:32 |\n"
    )
    doc = loads(text)
    first, second, third, fourth = doc.sheets[0].indicators
    assert [i.kind.name for i in (first, second, third, fourth)] == [
        "percentage",
        "percentage",
        "percentage",
        "ratio",  # "1:32": a ratio, compared on its second term
    ]
    assert (second.kind.numerator, second.kind.denominator) == (  # type: ignore[union-attr]
        "jumlah aduan selesai",
        "jumlah aduan masuk",
    )
    keys = [d.key for d in doc.diagnostics if d.code == "percentage-inferred"]
    assert keys == [
        "document.percentage-from-name",
        "document.percentage-from-formula",
        "document.percentage-from-formula",
    ]
    assert fourth.verbatim == ()
    assert [(t.text, t.value.magnitude) for t in fourth.targets] == [("1:32", Decimal(32))]  # type: ignore[union-attr]


def test_heading_rows_spanning_the_table_become_the_objectives() -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["PERJANJIAN KINERJA TAHUN 2023"])
    ws.merge_cells("A1:D1")
    ws.append(["No", "Indikator Kinerja", "Satuan", "Target"])
    for row in (
        ["Tujuan 1: Meningkatnya tata kelola pemerintahan"],
        ["Sasaran Strategis 1.1: Meningkatnya akuntabilitas kinerja"],
        [1, "Nilai SAKIP", "nilai", 70],
        [2, "Nilai reformasi birokrasi", "nilai", 65],
        ["Sasaran Strategis 1.2: Meningkatnya kualitas layanan"],
        [3, "Indeks kepuasan masyarakat", "indeks", 82.5],
    ):
        ws.append(row)
        if len(row) == 1:
            ws.merge_cells(f"A{ws.max_row}:D{ws.max_row}")
    out = io.BytesIO()
    book.save(out)
    doc = loads(out.getvalue())
    (sheet,) = doc.sheets
    assert [(o.number, o.name, [i.id for i in o.indicators]) for o in sheet.objectives] == [
        ("1.1", "Meningkatnya akuntabilitas kinerja", ["1", "2"]),
        ("1.2", "Meningkatnya kualitas layanan", ["3"]),
    ]
    first = sheet.objectives[0]
    assert first.source is not None
    assert first.source.get("Tujuan") == "Tujuan 1: Meningkatnya tata kelola pemerintahan"
    # 82.5 is a float cell in General format: read as its shortest decimal, 82,5
    assert sheet.indicator("3").target_for(2023).text == "82,5"  # type: ignore[union-attr]
    codes = {d.code for d in doc.diagnostics}
    assert "missing-objective" not in codes
    assert "unrecognised-line" not in codes


def test_no_table_names_the_closest_header_and_what_it_lacks() -> None:
    doc = loads("**PERJANJIAN KINERJA TAHUN 2023**\n\n| Nomor | Uraian | Target |\n|---|---|---|\n")
    (no_table,) = [d for d in doc.diagnostics if d.code == "no-table"]
    assert no_table.line == 3
    assert no_table.message.endswith("('Nomor | Uraian | Target'), which lacks Indikator")


def test_headers_match_by_meaning() -> None:
    text = (
        "| N0 | Sasaran | Nama Indikator | Cara Perhitungan | Tahun 2021 |\n|---|---|---|---|---|\n"
        "| 1 | Tersedianya data | Jumlah dataset | Cukup Jelas | 12 dataset |\n"
    )
    doc = loads(text)
    ind = doc.indicator("1:1")
    assert (ind.name, ind.explanation) == ("Jumlah dataset", "Cukup Jelas")
    assert ind.target_for(2021).text == "12 dataset"  # type: ignore[union-attr]


def test_iki_check_names_the_settings_of_each_unreproduced_row() -> None:
    from iki_core.loaders.lkjip import audit

    text = (
        "**PENGUKURAN KINERJA TAHUN 2022**\n\n"
        "| No | Sasaran | Indikator Kinerja | Target | Realisasi | Capaian (%) |\n"
        "|---|---|---|---|---|---|\n"
        "| 1 | S | Jumlah sosialisasi | 12 kali | 15 kali | 100 |\n"
        "| 2 | S | Jumlah dokumen | 3 dokumen | 2 dokumen | 66,66 |\n"
        "| 3 | S | Jumlah aduan | 200 kasus | 150 kasus | 80 |\n"
    )
    found = audit(loads(text, format="markdown"))
    # by hand: 15 / 12 = 125% printed 100: capped at 100; 2 / 3 = 66.666...% printed 66,66:
    # truncated; 150 / 200 = 75% printed 80: no setting gives it
    assert [(m.reference, m.settings) for m in found] == [
        ("1:1", ("cap = 100",)),
        ("1:2", ("rounding = truncate",)),
        ("1:3", ()),
    ]
    assert found[0].settings_text() == "    reproduced by: cap = 100"
    assert found[2].settings_text("id") == (
        "    tidak ada pengaturan aturan yang menghasilkannya: salah hitung dalam dokumen, "
        "atau aturan yang tidak dikenal iki_core"
    )
