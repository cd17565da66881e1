"""The report side of the ``iki`` command, run in-process: the LKjIP outputs and layouts,
``--sheet``/``--indicator``, ``-r -``, ``iki chart``, ``iki template`` and the progress line.

Figures are those of the bundled example (examples/embed.py and docs/cli.md work them
out): 2:1.1 Jumlah surat masuk, 550 a year, 131 letters by March (137.5 to date: 95.27%),
271 by June (275: 98.55%), 407 by September (412.5: 98.67%), nothing reported for
October-December (no data: missing is never zero).
"""

from __future__ import annotations

import csv
import io
import struct
import sys
from pathlib import Path

import pytest

from iki_core.cli import main
from iki_core.periods import Period
from iki_core.report.commands import Progress, expand_years

ROOT = Path(__file__).resolve().parent.parent
SEED = str(ROOT / "examples" / "kesbangpol_lampung_barat_2018-2022.txt")
REALISATIONS = str(ROOT / "examples" / "realisasi_2021.csv")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_indicator_and_sheet_keep_the_document_order(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "report", SEED, "-r", REALISATIONS, "-p", "2021-Q3", "-f", "csv", "--lang", "en",
        "--indicator", "3:1", "--indicator", "2:1.1",
    )  # fmt: skip
    assert status == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert [r[0] for r in rows[1:]] == ["2:1.1", "3:1"]
    assert rows[1][7] == "98.67"
    status, out, _ = run(capsys, "check", SEED, "--sheet", "3", "--sheet", "1")
    assert status == 0
    assert "  2 sheets, 7 indicators" in out
    assert [line.split(":")[0] for line in out.splitlines() if line.startswith("  sheet")] == [
        "  sheet 1",
        "  sheet 3",
    ]
    status, out, _ = run(capsys, "convert", SEED, "--to", "json", "--indicator", "3:2")
    assert status == 0
    assert '"Jumlah laporan"' in out
    assert "Jumlah peserta sosialisasi" not in out


def test_an_unknown_sheet_or_indicator_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = run(capsys, "check", SEED, "--sheet", "9")
    assert status == 2
    assert "--sheet: expected a sheet of the document (1, 2, 3, 4, 5), got 9" in err
    status, _, err = run(capsys, "report", SEED, "-r", REALISATIONS, "-p", "2021-Q3",
                         "--indicator", "2:1.9")  # fmt: skip
    assert status == 2
    assert "--indicator: expected a reference 'sheet:id' of the document such as" in err


def test_realisations_from_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = Path(REALISATIONS).read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    status, out, _ = run(capsys, "report", SEED, "-r", "-", "-p", "2021-Q3", "--sheet", "2")
    assert status == 0
    line = next(x for x in out.splitlines() if x.startswith("2:1.1 "))
    assert line.split()[4:8] == ["412,5", "407", "98,67", "74,00"]
    assert "Lembar 1." not in out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_binary_output_to_a_terminal_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdout", _Terminal())
    status = main(["report", SEED, "-r", REALISATIONS, "-p", "2021-Q3", "-f", "xlsx"])
    err = capsys.readouterr().err
    assert status == 2
    assert "the xlsx output is a binary file: name one with -o FILE" in err


def test_the_wide_xlsx_has_the_quarters_and_the_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "2021.xlsx"
    status, _, _ = run(
        capsys, "report", SEED, "-r", REALISATIONS, "-p", "2021-Q3",
        "--layout", "wide", "--sheet", "2", "-o", str(out), "--lang", "en",
    )  # fmt: skip
    assert status == 0
    ws = load_workbook(out)["Sheet 2"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(n for n, r in enumerate(rows) if r[0] == "No")
    periods = [x for x in rows[header][4:] if x is not None]
    assert periods == ["Q1 2021", "Q2 2021", "Q3 2021", "Q4 2021", "2021", "Rating 2021"]
    assert rows[header + 1][4:7] == ["Target", "Realisation", "Achievement (%)"]
    assert ws.freeze_panes == f"A{header + 3}"
    letters = next(r for r in rows if r[0] == "2:1.1")
    # (target, realisation, capaian) per quarter, then the year: 407 of 550 = 74.00%
    assert letters[4:19] == [
        137.5, 131, 95.27, 275, 271, 98.55, 412.5, 407, 98.67, 550, "-", "-", 550, 407, 74,
    ]  # fmt: skip
    assert letters[19] == "Sedang"  # 74.00 on Permendagri 86/2017: 66-75 is "Sedang"


def test_chart_of_one_indicator_as_svg_and_refusals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "surat.svg"
    status, _, _ = run(capsys, "chart", SEED, "-r", REALISATIONS, "-p", "2021",
                       "--indicator", "2:1.1", "-o", str(out), "--lang", "en")  # fmt: skip
    assert status == 0
    svg = out.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml")
    for text in ("95.27%", "98.55%", "98.67%", "Q4 2021"):
        assert text in svg
    status, _, err = run(capsys, "chart", SEED, "-r", REALISATIONS, "-p", "2021",
                         "-o", str(tmp_path / "x.gif"), "--sheet", "1")  # fmt: skip
    assert status == 2
    assert "the chart is written as .png or .svg" in err
    status, _, err = run(capsys, "chart", SEED, "-r", REALISATIONS, "-p", "2021",
                         "-o", str(out), "-i", "2:1.1", "-i", "2:1.2")  # fmt: skip
    assert status == 2
    assert "name one indicator (--indicator REF) or one sheet (--sheet N)" in err
    png = tmp_path / "lembar1.png"
    status, _, _ = run(capsys, "chart", SEED, "-r", REALISATIONS, "-p", "2021", "--sheet", "1",
                       "--size", "640x360", "-o", str(png))  # fmt: skip
    assert status == 0
    assert struct.unpack(">II", png.read_bytes()[16:24]) == (640, 360)


def test_template_to_standard_output_and_by_month(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "template", SEED, "--year", "2021", "--sheet", "1")
    assert status == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0].startswith("indikator,periode,nama_indikator,satuan,target_sd_periode,nilai")
    assert len(lines) == 1 + 2 * 4
    target = tmp_path / "bulanan.csv"
    status, _, err = run(capsys, "template", SEED, "-y", "2021", "-i", "3:1", "--by", "month",
                         "-o", str(target))  # fmt: skip
    assert status == 0
    assert "bulanan.csv: 12 rows to fill (1 indicators, 12 periods)" in err
    assert len(target.read_text(encoding="utf-8").splitlines()) == 13
    status, _, err = run(capsys, "template", SEED, "--year", "2030")
    assert status == 1
    assert "--year: expected a plan year of the document (2018, 2019, 2020, 2021, 2022)" in err
    status, _, err = run(capsys, "template", SEED, "--year", "2021", "-o", "t.ods")
    assert status == 2


def test_progress_shows_on_a_terminal_only() -> None:
    quiet = io.StringIO()
    p = Progress(2, quiet)
    p.step("membaca")
    p.close()
    assert quiet.getvalue() == ""
    shown = _Terminal()
    p = Progress(2, shown)
    p.step("membaca dokumen")
    p.step("menghitung")
    p.close()
    text = shown.getvalue()
    assert "[------------------------] 1/2 membaca dokumen" in text
    assert "[############------------] 2/2 menghitung" in text
    assert text.endswith("\r\x1b[K")


def test_a_year_stands_for_its_quarters() -> None:
    periods = expand_years([Period.parse("2021"), Period.parse("2021-Q2")])
    assert [str(p) for p in periods] == ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]


def test_input_lang_reads_english_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 2:1.1 in English numbers: 131.5 letters in Q1 against 550 x 3/12 = 137.5: 95.64%
    path = tmp_path / "english.csv"
    path.write_text("indicator,period,value\n2:1.1,2021-Q1,131.5\n", encoding="utf-8")
    common = ["report", SEED, "-r", str(path), "-p", "2021-Q1", "-i", "2:1.1", "-f", "json"]
    status, out, _ = run(capsys, *common, "--input-lang", "en")
    assert status == 0
    assert '"percent": "95.64"' in out
    status, _, err = run(capsys, *common)  # read the Indonesian way, "131.5" is refused
    assert status == 1
    assert "[bad-value]" in err


def test_charts_per_indicator_in_the_html_and_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import base64
    import re

    import pdfplumber

    page = tmp_path / "q3.html"
    common = ["report", SEED, "-r", REALISATIONS, "-p", "2021-Q3", "--sheet", "3"]
    status, _, _ = run(capsys, *common, "--charts", "indicator", "--lang", "en", "-o", str(page))
    assert status == 0
    html = page.read_text(encoding="utf-8")
    assert '<div class="charts charts-2">' in html
    svgs = [base64.b64decode(x) for x in re.findall(r"base64,([A-Za-z0-9+/=]+)", html)]
    titles = [re.search(rb"Achievement per quarter: ([^<]+)", s) for s in svgs]
    # sheet 3's five indicators in document order; 3:4 has no capaian in TW I-III (no
    # realisation: see the table's notes), so it has no chart
    assert [t.group(1).split(b" ")[0] for t in titles if t] == [b"3:1", b"3:2", b"3:3", b"3:5"]
    # the sheet's mean chart (the default) and none at all
    status, _, _ = run(capsys, *common, "--lang", "en", "-o", str(page))
    assert status == 0
    assert page.read_text(encoding="utf-8").count("<figure>") == 1
    assert '<div class="charts charts-1">' in page.read_text(encoding="utf-8")
    for flags in (["--charts", "none"], ["--no-charts"]):
        status, _, _ = run(capsys, *common, *flags, "-o", str(page))
        assert status == 0
        assert "<figure>" not in page.read_text(encoding="utf-8")
    pdf = tmp_path / "q3.pdf"
    status, _, _ = run(capsys, *common, "--charts", "indicator", "-o", str(pdf))
    assert status == 0
    with pdfplumber.open(pdf) as doc:
        images = [im for p in doc.pages for im in p.images]
    assert len(images) == 4
    # two to a row: each image half the usable width of A4 landscape ((297 - 20 - 4) / 2 mm)
    widths = {round((im["x1"] - im["x0"]) / 72 * 25.4, 1) for im in images}
    assert widths == {136.5}
