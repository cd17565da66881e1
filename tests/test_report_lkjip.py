"""The LKjIP report: xlsx, HTML and PDF of the bundled example, and the charts.

Figures are those of the example document and realisations (examples/), computed by hand
from the rules of docs/rules.md: "Jumlah surat masuk" (2:1.1) has an annual target of 550
letters, so its target to Q3 is 550 x 9/12 = 412.5; 407 letters were received by
September: capaian 407 / 412.5 x 100 = 98.6666... -> 98.67 (half-up), Sangat Tinggi
(>= 91, Permendagri 86/2017). Sheet 1's two percentages stand at 6/7 = 85.71% and 3/4 =
75.00% in Q3; their mean (85.71 + 75.00) / 2 = 80.355 -> 80.36 (rollup, half-up).
"""

from __future__ import annotations

import io
import struct
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from iki_core import Period, loaders
from iki_core.engine import achievements, rollup
from iki_core.model import Document
from iki_core.realisations import RealisationSet, load_realisations
from iki_core.report.chart import chart_indicator, chart_sheet, rating_colour
from iki_core.report.html import render_html
from iki_core.report.layout import body_rows, text_of
from iki_core.report.lkjip import LkjipTable, build_table, year_and_quarters
from iki_core.report.pdf import write_pdf
from iki_core.report.xlsx import cell_number, write_xlsx
from iki_core.rules import DEFAULT_RULES, SCALES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def doc() -> Document:
    return loaders.load(EXAMPLES / "kesbangpol_lampung_barat_2018-2022.txt")


@pytest.fixture(scope="module")
def rs(doc: Document) -> RealisationSet:
    return load_realisations(EXAMPLES / "realisasi_2021.csv", doc).raise_for_errors()


def _table(doc: Document, rs: RealisationSet, layout: str = "long", lang: str = "id") -> LkjipTable:
    periods = year_and_quarters(2021) if layout == "wide" else [Period.parse("2021-Q3")]
    a = achievements(doc, rs.realisations, periods)
    return build_table(doc, a, DEFAULT_RULES, lang=lang, layout=layout)  # type: ignore[arg-type]


def test_xlsx_holds_numbers_with_formats(doc: Document, rs: RealisationSet) -> None:
    from openpyxl import load_workbook

    buf = io.BytesIO()
    write_xlsx(_table(doc, rs), buf)
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    assert wb.sheetnames == ["Lembar 1", "Lembar 2", "Lembar 3", "Lembar 4", "Lembar 5"]
    ws = wb["Lembar 2"]
    assert ws["A1"].value == "PENGUKURAN KINERJA TRIWULAN III 2021"
    header = [c.value for c in ws[5]]
    assert header == [
        "No",
        "Sasaran",
        "Indikator Kinerja",
        "Satuan",
        "Target",
        "Realisasi",
        "Capaian (%)",
        "Predikat",
    ]
    assert ws.freeze_panes == "A6"
    row = next(r for r in ws.iter_rows(min_row=6) if r[0].value == "2:1.1")
    target, realised, percent, rating = row[4], row[5], row[6], row[7]
    assert (target.value, target.number_format) == (412.5, "#,##0.0")
    assert (realised.value, realised.number_format) == (407, "#,##0")
    assert (percent.value, percent.number_format) == (98.67, "0.00")
    assert rating.value == "Sangat Tinggi"
    assert row[1].value == "Tersedianya jasa surat menyurat"
    assert "B6:B7" in {str(m) for m in ws.merged_cells.ranges}  # sasaran over its 2 indicators
    ws1 = wb["Lembar 1"]
    sheet_mean = next(
        r for r in ws1.iter_rows(min_row=6) if r[1].value == "Rata-rata capaian lembar"
    )
    assert sheet_mean[6].value == 80.36
    texts = [c.value for r in ws1.iter_rows() for c in r if isinstance(c.value, str)]
    assert "NIP. 19660512 198803 1 004" in texts
    assert "Mengetahui," in texts


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_xlsx_numbers_read_back_as_the_figures_shown(
    doc: Document, rs: RealisationSet, layout: str
) -> None:
    """Every figure of the table, in row order, is a number in the workbook whose
    Decimal(str(value)) is the figure the HTML and PDF reports print (capaian at the
    rules' two places; amounts at their own places, more than two rounded half-up to
    two: a realisation of 6/7 x 100 = 85.714...% is 85,71)."""
    from openpyxl import load_workbook

    table = _table(doc, rs, layout)
    buf = io.BytesIO()
    write_xlsx(table, buf)
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    for sheet, name in zip(table.sheets, wb.sheetnames, strict=True):
        ws = wb[name]
        first = 6 if layout == "long" else 7  # below the title lines and the header rows
        numbers = [
            Decimal(str(c.value))
            for r in ws.iter_rows(min_row=first)
            for c in r
            if isinstance(c.value, int | float)
        ]
        shown = [
            Decimal(text_of(o, table).replace(".", "").replace(",", "."))
            for row in body_rows(table, sheet)
            for o in row.cells
            if isinstance(o.value, Decimal)
        ]
        assert numbers
        assert numbers == shown


def test_xlsx_cell_number_rounds_half_up_to_the_places_shown() -> None:
    # capaian at the rules' 2 places, half-up (docs/rules.md): 98.665 -> 98.67
    assert cell_number(Decimal("98.665"), 2) == 98.67
    assert Decimal(str(cell_number(Decimal("2.345"), 2))) == Decimal("2.35")
    # amounts keep up to two decimals, more are rounded to two, half-up: 0.125 -> 0.13
    assert cell_number(Decimal("412.5"), None) == 412.5
    assert cell_number(Decimal("0.125"), None) == 0.13
    # 15 significant digits fit a double exactly; 16 do not, and the cell is text
    assert Decimal(str(cell_number(Decimal("9999999999999.99"), None))) == Decimal(
        "9999999999999.99"
    )
    assert cell_number(Decimal("99999999999999.99"), None) is None


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._in = True
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.rows[-1][-1] += data


def test_html_table_and_escaping(doc: Document, rs: RealisationSet) -> None:
    page = render_html(_table(doc, rs))
    assert "@page { size: A4 landscape" in page
    parser = _Cells()
    parser.feed(page)
    row = next(r for r in parser.rows if r and r[0] == "2:1.1")
    assert row == [
        "2:1.1",
        "Tersedianya jasa surat menyurat",
        "Jumlah surat masuk",
        "-",
        "412,5",
        "407",
        "98,67",
        "Sangat Tinggi",
    ]
    assert ["1", "Rata-rata capaian lembar", "", "", "80,36", "Tinggi"] in parser.rows


def test_html_wide_layout_in_english(doc: Document, rs: RealisationSet) -> None:
    parser = _Cells()
    parser.feed(render_html(_table(doc, rs, "wide", "en")))
    assert parser.rows[0][:6] == [
        "No",
        "Objective",
        "Performance indicator",
        "Unit",
        "Q1 2021",
        "Q2 2021",
    ]
    row = next(r for r in parser.rows if r and r[0] == "2:1.1")
    # Q1: 550 x 3/12 = 137.5 target, 131 received: 95.27%; the year: 407 / 550 = 74.00%
    assert row[4:7] == ["137.5", "131", "95.27"]
    assert row[16:] == ["550", "407", "74.00", "Sedang"]


def test_pdf_text_has_the_figures(doc: Document, rs: RealisationSet) -> None:
    import pdfplumber

    buf = io.BytesIO()
    write_pdf(_table(doc, rs), buf)
    with pdfplumber.open(io.BytesIO(buf.getvalue())) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "PENGUKURAN KINERJA TRIWULAN III 2021" in text
    assert "412,5 407 98,67 Sangat Tinggi" in text
    assert "80,36" in text
    assert "NIP. 19660512 198803 1 004" in text


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_charts_are_images_of_the_size_asked(doc: Document, rs: RealisationSet) -> None:
    periods = [Period.parse(f"2021-Q{q}") for q in range(1, 5)]
    a = achievements(doc, rs.realisations, periods)
    mine = [x for x in a if x.reference == "2:1.1"]
    assert _png_size(chart_indicator(mine, DEFAULT_RULES.scale, size=(640, 360))) == (640, 360)
    sheet = [r for r in rollup(a, doc, level="sheet") if r.reference == "2"]
    svg = chart_sheet(sheet, DEFAULT_RULES.scale, lang="en", format="svg")
    assert svg.startswith(b"<?xml")
    assert b"Mean achievement per quarter: sheet 2" in svg
    assert svg == chart_sheet(sheet, DEFAULT_RULES.scale, lang="en", format="svg")  # stable


def test_rating_colours_run_from_best_to_worst() -> None:
    scale = SCALES["permendagri-86-2017"]
    assert rating_colour(scale, "Sangat Tinggi") == "#1a9850"
    assert rating_colour(scale, "Sangat Rendah") == "#a50026"
    assert rating_colour(scale, None) == "#bdbdbd"


def test_nilai_column_under_permenpanrb(doc: Document, rs: RealisationSet) -> None:
    import attrs

    rules = attrs.evolve(DEFAULT_RULES, scale=SCALES["permenpanrb-8-2021"])
    a = achievements(doc, rs.realisations, [Period.parse("2021-Q3")], rules)
    table = build_table(doc, a, rules, lang="id")
    parser = _Cells()
    parser.feed(render_html(table))
    assert parser.rows[0][-1] == "Nilai"
    row = next(r for r in parser.rows if r and r[0] == "2:1.1")
    # 98.67% is in the Cukup band: nilai 70 + (98.67 - 80) = 88.67 (PermenPANRB 8/2021)
    assert row[-2:] == ["Cukup", "88,67"]
    assert Decimal("88.67") == next(x.nilai for x in a if x.reference == "2:1.1")


def test_frames_keep_every_decimal_exact(doc: Document, rs: RealisationSet) -> None:
    from iki_core.report.frames import COLUMNS, to_arrow, to_pandas, to_polars

    periods = [Period.parse(f"2021-Q{q}") for q in range(1, 5)]
    a = achievements(doc, rs.realisations, periods)
    table = to_arrow(doc, a)
    assert tuple(table.column_names) == COLUMNS
    assert table.num_rows == 135 * 4
    for name, attr in (("percent", "percent"), ("progress", "progress"), ("nilai", "nilai")):
        assert table.column(name).to_pylist() == [getattr(x, attr) for x in a]
    # 6/7 of 100%: the engine's realised value to 28 significant digits, kept whole
    realised = table.column("realised").to_pylist()
    q3 = next(i for i, x in enumerate(a) if x.reference == "1:1" and str(x.period) == "2021-Q3")
    assert realised[q3] == Decimal("85.71428571428571428571428571")
    assert str(table.schema.field("percent").type) == "decimal128(5, 2)"
    frame = to_pandas(doc, a)
    assert list(frame.columns) == list(COLUMNS)
    assert frame.loc[q3, "percent"] == Decimal("85.71")
    assert frame.loc[q3, "objective"] == "1:1"
    assert frame.loc[q3, "order"] == 1
    pl_frame = to_polars(doc, a)
    assert pl_frame["percent"].to_list() == [x.percent for x in a]
    assert pl_frame["notices"][0].to_list() == []


def test_report_chart_modes_and_the_old_booleans(doc: Document) -> None:
    from iki_core.errors import InvalidValueError
    from iki_core.report import Report

    q3 = [Period.parse("2021-Q3")]
    assert Report(doc, [], q3).charts == "sheet"
    assert Report(doc, [], q3, charts=True).charts == "sheet"
    assert Report(doc, [], q3, charts=False).charts == "none"
    assert Report(doc, [], q3, charts="indicator").charts == "indicator"
    with pytest.raises(InvalidValueError) as caught:
        Report(doc, [], q3, charts="bar")
    assert "Report.charts" in str(caught.value)
    assert "'bar'" in str(caught.value)


@pytest.mark.parametrize(
    ("lang", "target", "realised"), [("id", "1:17,5", "1:16"), ("en", "1:17.5", "1:16")]
)
def test_a_ratio_is_written_in_the_language_of_the_table(
    lang: str, target: str, realised: str
) -> None:
    # Invented: one teacher per 17.5 pupils planned, 1:16 realised (lower is better, compared
    # on the second term). The cells show the ratio as written, its decimal in the table's
    # language; the capaian is (2 x 17.5 - 16) / 17.5 x 100 = 108.571... -> 108.57.
    from iki_core.kinds import RatioKind, parse_value
    from iki_core.model import Indicator, Objective, Polarity, Realisation, Sheet, Target

    kind = RatioKind()
    ind = Indicator(
        "1",
        "Rasio guru dan murid",
        kind,
        targets=(Target.parse(2021, "1:17,5", kind=kind),),
        polarity=Polarity.LOWER_IS_BETTER,
    )
    objective = Objective("1", "Mutu pendidikan meningkat", (ind,))
    doc = Document(sheets=(Sheet(1, "Kepala Dinas", plan_years=(2021,), objectives=(objective,)),))
    real = Realisation("1:1", Period.parse("2021"), value=parse_value("1:16", kind=kind))
    a = achievements(doc, [real], [Period.parse("2021")], DEFAULT_RULES)
    assert a[0].percent == Decimal("108.57")
    table = build_table(doc, a, DEFAULT_RULES, lang=lang)
    cells = [c for s in table.sheets for o in s.objectives for r in o.rows for c in r.cells]
    assert [(c.target, c.realised) for c in cells] == [(target, realised)]
