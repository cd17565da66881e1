"""iki_core.report: the JSON rows, the converter, the Report object and the output registry.

Figures are those of the seed document (examples/kesbangpol_lampung_barat_2018-2022.txt)
with examples/realisasi_2021.csv at 2021-Q3, worked by hand in tests/test_cli.py: 2:1.1,
550 letters a year, 407 by September against 550 x 9/12 = 412.5: 98.67%, 74.00% of the
year; 3:1 has no row for Q1 (missing is not zero, docs/rules.md).
"""

from __future__ import annotations

import io
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import TextIO

import pytest

from iki_core import Period, loaders, messages
from iki_core.cli import main
from iki_core.engine import Achievement, achievements
from iki_core.errors import InvalidValueError
from iki_core.model import Document
from iki_core.realisations import load_realisations
from iki_core.report import (
    CSV_COLUMNS,
    JSON_KEYS,
    Report,
    formula_text,
    get_output,
    make_converter,
    output_for,
    output_names,
    register_output,
    render_table,
    report_rows,
    rollup_rows,
    unregister_output,
)
from iki_core.report.model import number_text
from iki_core.rules import Rules

ROOT = Path(__file__).resolve().parent.parent
SEED = "examples/kesbangpol_lampung_barat_2018-2022.txt"
REALISATIONS = "examples/realisasi_2021.csv"
Q3 = Period.parse("2021-Q3")


@pytest.fixture(scope="module")
def seed() -> tuple[Document, list[Achievement], int]:
    document = loaders.load(ROOT / SEED)
    rs = load_realisations(ROOT / REALISATIONS, document).raise_for_errors()
    return document, achievements(document, rs.realisations, [Q3]), len(rs)


def _row(rows: list[Achievement], reference: str) -> Achievement:
    return next(a for a in rows if a.reference == reference)


# --- rows -------------------------------------------------------------------------------------
def test_report_rows_are_the_documented_json(seed: tuple[Document, list[Achievement], int]) -> None:
    _, rows, _ = seed
    by_ref = {r["indicator"]: r for r in report_rows(rows)}
    assert tuple(by_ref["2:1.1"]) == JSON_KEYS
    letters = by_ref["2:1.1"]
    assert (letters["target"], letters["realised"]) == (
        {"value": "412.5", "unit": ""},
        {"value": "407", "unit": ""},
    )
    assert (letters["percent"], letters["progress"], letters["nilai"]) == ("98.67", "74.00", None)
    assert (letters["status"], letters["rating"]) == ("not_achieved", "Sangat Tinggi")
    assert (letters["warnings"], letters["notices"]) == ([], [])
    # 1:1: X = 6, Y = 7: 6/7 x 100 = 85.714285... written to four places
    assert by_ref["1:1"]["realised"] == {"value": "85.7143", "unit": "persen"}


def test_notices_carry_the_code_and_the_text_in_the_language(
    seed: tuple[Document, list[Achievement], int],
) -> None:
    _, rows, _ = seed
    english = (
        "no realisation for 2021-Q1: the figures to date count the reported periods only "
        "(missing is not zero)"
    )
    [id_row] = report_rows([_row(rows, "3:1")])
    [en_row] = report_rows([_row(rows, "3:1")], lang="en")
    assert id_row["warnings"] == en_row["warnings"] == [english]
    assert en_row["notices"] == [{"code": "missing", "text": english}]
    assert id_row["notices"] == [
        {
            "code": "missing",
            "text": "tidak ada realisasi untuk 2021-Q1: angka s.d. periode hanya menghitung "
            "periode yang dilaporkan (data kosong bukan nol)",
        }
    ]
    with pytest.raises(InvalidValueError, match="lang: expected one of 'en', 'id'"):
        report_rows(rows, lang="fr")


def test_places_follow_the_rules(seed: tuple[Document, list[Achievement], int]) -> None:
    document, _, _ = seed
    rs = load_realisations(ROOT / REALISATIONS, document)
    rules = Rules(places=3)
    rows = achievements(document, rs.realisations, [Q3], rules)
    # 407 / 412.5 = 98.6666... -> 98.667; 407 / 550 = 74 -> 74.000
    [letters] = report_rows([_row(rows, "2:1.1")], places=3)
    assert (letters["percent"], letters["progress"]) == ("98.667", "74.000")


def test_each_converter_is_its_own(seed: tuple[Document, list[Achievement], int]) -> None:
    _, rows, _ = seed
    mine = make_converter("en")
    mine.register_unstructure_hook(Period, lambda p: p.label("en"))
    assert mine.unstructure(Q3) == "Q3 2021"
    # a hook added to one converter changes no other, nor report_rows
    assert make_converter("en").unstructure(Q3) == "2021-Q3"
    assert report_rows([_row(rows, "2:1.1")])[0]["period"] == "2021-Q3"


def test_rollup_rows(seed: tuple[Document, list[Achievement], int]) -> None:
    document, rows, _ = seed
    report = Report(document, rows, [Q3])
    # objective 2:1 holds 2:1.1 (98.67) and 2:1.2 (98.07): mean 98.37; sheet 1 holds 1:1
    # (85.71) and 1:2 (75.00): mean 80.355 -> 80.36 (half-up)
    objective = next(r for r in rollup_rows(report.objectives) if r["reference"] == "2:1")
    assert objective == {
        "level": "objective",
        "reference": "2:1",
        "name": objective["name"],
        "period": "2021-Q3",
        "percent": "98.37",
        "count": 2,
        "rating": "Sangat Tinggi",
    }
    assert rollup_rows(report.sheets)[0]["percent"] == "80.36"
    assert report.objectives is report.objectives  # computed once


# --- the report and the table -----------------------------------------------------------------
def test_report_checks_its_language_and_orders_its_periods(
    seed: tuple[Document, list[Achievement], int],
) -> None:
    document, rows, _ = seed
    q1 = Period.parse("2021-Q1")
    assert Report(document, rows, [Q3, q1, Q3]).periods == (q1, Q3)
    with pytest.raises(InvalidValueError) as info:
        Report(document, rows, [Q3], lang="fr")
    assert str(info.value) == "Report.lang: expected one of 'en', 'id', got 'fr'"


def test_the_table_is_what_the_command_prints(
    seed: tuple[Document, list[Achievement], int], capsys: pytest.CaptureFixture[str]
) -> None:
    document, rows, count = seed
    report = Report(
        document,
        rows,
        [Q3],
        document_source=SEED,
        realisations_source=REALISATIONS,
        realisation_count=count,
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        assert main(["report", SEED, "-r", REALISATIONS, "-p", "2021-Q3"]) == 0
    assert render_table(report) == capsys.readouterr().out
    lines = render_table(Report(document, rows, [Q3], lang="en")).splitlines()
    # without sources the header has the title and the rules line only
    assert lines[:2] == [
        "PERFORMANCE ACHIEVEMENT Q3 2021",
        "Rules: period target cumulative to the period; lower is better by kondisi_khusus, "
        "(2T - R) / T; scale permendagri-86-2017; cap none.",
    ]


def test_formula_text_and_numbers() -> None:
    assert formula_text(Rules()) == "kondisi_khusus, (2T - R) / T"
    assert formula_text(Rules(lower_is_better="inverse")) == "inverse, T / R"
    assert number_text(Decimal("1234567.891"), "id", places=2) == "1.234.567,89"
    assert number_text(Decimal("1234567.891"), "en", places=2, grouping=False) == "1234567.89"


# --- the registry -----------------------------------------------------------------------------
def _count(report: Report, out: TextIO) -> None:
    out.write(f"{len(report.achievements)} {report.lang}\n")


@pytest.fixture
def count_output() -> Iterator[None]:
    register_output("count", _count, suffixes=[".count"])
    yield
    unregister_output("count")


def test_the_shipped_outputs() -> None:
    assert output_names()[:3] == ("table", "json", "csv")
    assert [output_for(f"q3{s}").name for s in (".txt", ".JSON", ".csv")] == [
        "table",
        "json",
        "csv",
    ]
    with pytest.raises(InvalidValueError) as info:
        get_output("xml")
    assert str(info.value) == (
        "output: expected one of 'table', 'json', 'csv', 'xlsx', 'html', 'pdf', got 'xml'"
    )
    assert [output_for(f"q3{s}").name for s in (".xlsx", ".html", ".pdf")] == [
        "xlsx",
        "html",
        "pdf",
    ]
    assert [get_output(n).binary for n in ("csv", "xlsx", "html", "pdf")] == [
        False,
        True,
        False,
        True,
    ]


@pytest.mark.usefixtures("count_output")
def test_a_registered_output_is_an_option_of_the_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        args = ["report", SEED, "-r", REALISATIONS, "-p", "2021-Q3"]
        assert main([*args, "--format", "count", "--lang", "en"]) == 0
        assert capsys.readouterr().out == "135 en\n"  # one achievement per indicator
        assert main([*args, "-o", str(tmp_path / "q3.count")]) == 0
    assert (tmp_path / "q3.count").read_text(encoding="utf-8") == "135 id\n"


@pytest.mark.usefixtures("count_output")
def test_registry_refusals() -> None:
    with pytest.raises(InvalidValueError) as info:
        register_output("tally", _count, suffixes=[".count"])
    assert str(info.value) == (
        "register_output('tally') suffixes: expected suffixes no other output owns "
        "('count' owns them), got ['.count']"
    )
    assert "tally" not in output_names()
    with pytest.raises(InvalidValueError, match=r"Output\.name: expected a lower-case name"):
        register_output("Excel 2007", _count)
    with pytest.raises(InvalidValueError, match=r"Output\.suffixes: expected suffixes"):
        register_output("tally", _count, suffixes=["count"])
    with pytest.raises(InvalidValueError, match="output: expected one of"):
        unregister_output("tally")


# --- a third language -------------------------------------------------------------------------
@pytest.fixture
def third_language() -> Iterator[str]:
    source = resources.files("iki_core") / "data" / "messages" / "en.toml"
    catalogue = tomllib.loads(source.read_text(encoding="utf-8"))
    catalogue["number"] = {"group": " ", "decimal": ","}
    catalogue["report"]["column"]["percent"] = "Réalisation (%)"
    catalogue["status"]["not_achieved"] = "non atteint"
    messages.register_language("xx", catalogue)
    yield "xx"
    messages._registered.pop("xx", None)
    messages._catalogues.pop("xx", None)


def test_a_third_language_is_one_catalogue(
    seed: tuple[Document, list[Achievement], int], third_language: str
) -> None:
    document, rows, _ = seed
    letters = [_row(rows, "2:1.1"), _row(rows, "2:1.2")]
    report = Report(document, letters, [Q3], lang=third_language)
    table = render_table(report).splitlines()
    assert table[3].startswith("Sheet 2. KEPALA SUB BAGIAN TATA USAHA")
    assert "Réalisation (%)" in table[4]
    # 2:1.1: 412.5 to date, 98.67%, 74.00% with the catalogue's decimal comma
    assert table[6].split()[:10] == [
        "2:1.1", "Jumlah", "surat", "masuk", "412,5", "407", "98,67", "74,00", "non", "atteint",
    ]  # fmt: skip
    out = io.StringIO()
    get_output("csv").write(report, out)
    # a decimal comma separates the fields with semicolons
    assert out.getvalue().splitlines()[0] == ";".join(CSV_COLUMNS)
    assert out.getvalue().splitlines()[1].split(";")[7:9] == ["98,67", "74,00"]
