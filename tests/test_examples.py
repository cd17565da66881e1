"""The examples and the README's commands run as a new user runs them."""

from __future__ import annotations

import doctest
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
INSTALL = "python3 -m pip install -e . && "
FIRST = (
    "python3 -m pip install -e . && python3 -m iki_core report "
    "examples/kesbangpol_lampung_barat_2018-2022.txt --realisations examples/realisasi_2021.csv "
    "--period 2021-Q3"
)
SECOND = 'python3 -m pip install -e ".[test]" && python3 -m pytest'


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
        timeout=120,
    )


def _sh_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", README.read_text(encoding="utf-8"), re.DOTALL)


def test_readme_set_up_commands_are_the_documented_ones() -> None:
    blocks = _sh_blocks()
    assert blocks[:2] == [FIRST, SECOND]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert SECOND in ci.splitlines()


def test_readme_first_command_prints_the_quarterly_table() -> None:
    # The install step has been done by the test run itself; run what follows it, verbatim,
    # with this interpreter standing for "python3".
    command = shlex.split(_sh_blocks()[0].removeprefix(INSTALL))
    assert command[:3] == ["python3", "-m", "iki_core"]
    result = _run([sys.executable, *command[1:]])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "CAPAIAN KINERJA TRIWULAN III 2021"
    assert any(
        line.startswith("Lembar 1. KEPALA KANTOR KESATUAN BANGSA DAN POLITIK") for line in lines
    )
    # 2:1.1 Jumlah surat masuk: 407 letters by September against 550 x 9/12 = 412.5.
    [letters] = [line.split() for line in lines if line.startswith("2:1.1 ")]
    assert letters[4:8] == ["412,5", "407", "98,67", "74,00"]
    assert "Capaian per lembar" in result.stdout


def test_embed_example_prints_the_quarters() -> None:
    result = _run([sys.executable, "examples/embed.py"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Capaian kumulatif 2021 (%), 51 realisasi"
    assert lines[1].split() == [
        "No", "Indikator", "Kinerja", "TW", "I", "2021", "TW", "II", "2021",
        "TW", "III", "2021", "TW", "IV", "2021",
    ]  # fmt: skip
    rows = {line.split()[0]: line.split() for line in lines[2:] if line.strip()}
    # 2:1.1, 550 a year: Q1 131 / 137.5 = 95.27; Q2 271 / 275 = 98.55; Q3 407 / 412.5 =
    # 98.67; Q4: no month of October-December reported: no data (missing is not zero).
    assert rows["2:1.1"][-4:] == ["95,27", "98,55", "98,67", "-"]
    # 1:1, X/Y summed: Q1 2/2 = 100; Q2 3/4 = 75; Q3 6/7 = 85.71; Q4 7/8 = 87.50.
    assert rows["1:1"][-4:] == ["100,00", "75,00", "85,71", "87,50"]
    # 4:1 has no realisation in 2021: not listed.
    assert "4:1" not in rows
    # Sheet 1 rolls up 1:1 and 1:2: Q2 (75 + 100) / 2 = 87.50; Q3 (85.71 + 75) / 2 = 80.36;
    # Q4 only 1:1 has data: 87.50.
    [sheet_1] = [line.split() for line in lines if line.startswith("Lembar 1 ")]
    assert sheet_1[-4:] == ["100,00", "87,50", "80,36", "87,50"]


def test_readme_python_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(
        str(README),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 0
    assert result.failed == 0


# --- docs/cli.md, "Reports to hand in": the walkthrough, run verbatim ----------------------
class _Page(HTMLParser):
    """The cells of an HTML page's table rows, and its images."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.images: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._in = True
            self.rows[-1].append("")
        elif tag == "img":
            self.images.append(dict(attrs).get("src") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.rows[-1][-1] += data.strip()


def _walkthrough() -> tuple[list[str], list[tuple[str, str, int]]]:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = text.split("## Reports to hand in", 1)[1].split("\n## ", 1)[0]
    commands = [
        line
        for block in re.findall(r"```sh\n(.*?)\n```", section, re.DOTALL)
        for line in block.splitlines()
    ]
    typed = re.findall(r"^\| (\d:\d) \| (2021-Q\d) \| (\d+) \|$", section, re.MULTILINE)
    return commands, [(ref, period, int(value)) for ref, period, value in typed]


def test_walkthrough_of_the_cli_docs_runs_verbatim(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from openpyxl.cell.cell import Cell, MergedCell

    commands, typed = _walkthrough()
    assert len(commands) == 5
    assert len(typed) == 8
    shutil.copytree(ROOT / "examples", tmp_path / "examples")

    import iki_core

    # the iki_core under test, wherever the commands run
    path = os.pathsep.join(
        [str(Path(iki_core.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]
    )

    def run(command: str) -> subprocess.CompletedProcess[str]:
        words = shlex.split(command)
        assert words[0] == "iki"
        result = subprocess.run(
            [sys.executable, "-m", "iki_core", *words[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": path},
            check=False,
            timeout=120,
        )
        assert result.returncode == 0, (command, result.stderr)
        return result

    # 1. The template: sheet 3 has 5 indicators, 4 quarters each.
    run(commands[0])
    book = load_workbook(tmp_path / "lembar3-2021.xlsx")
    [sheet] = book.worksheets
    assert sheet.title == "Realisasi"
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == (
        "indikator",
        "periode",
        "nama_indikator",
        "satuan",
        "target_sd_periode",
        "nilai",
    )
    assert len(rows) == 1 + 5 * 4
    # 3:1, 250 orang a year: the target to date of TW III is 250 x 9/12 = 187.5, a number.
    assert rows[3][:5] == ("3:1", "2021-Q3", "Jumlah peserta sosialisasi", "orang", 187.5)
    assert sheet.cell(4, 5).number_format == "#,##0.0"
    # The person fills in the column nilai, as the docs' table says.
    at = {(r[0], r[1]): n for n, r in enumerate(rows[1:], start=2)}
    for ref, period, value in typed:
        sheet.cell(at[ref, period], 6).value = value
    book.save(tmp_path / "lembar3-2021.xlsx")

    # 2. The Q3 report as xlsx. 3:1: 120 + 95 = 215 of 187.5 = 114.67%; 3:3: 1 of
    # 1 x 9/12 = 0.75 = 133.33%; 3:5: 3 + 3 + 3 = 9 of 12 x 9/12 = 9 = 100.00%; 3:2 and 3:4
    # have no row in Q3: no data. Sheet mean (114.67 + 133.33 + 100) / 3 = 116.00
    # (Permendagri 86/2017 mean of the indicators with a capaian, iki_core.engine.rollup).
    report = run(commands[1])
    assert "lembar3-2021.xlsx: 12 row(s) not yet reported (lines 2, 5, 8," in report.stderr
    book = load_workbook(tmp_path / "lembar3-q3.xlsx")
    assert book.sheetnames == ["Lembar 3"]
    ws = book["Lembar 3"]
    cells: dict[object, tuple[Cell | MergedCell, ...]] = {}
    for xrow in ws.iter_rows():  # the first row of each reference: the indicator's
        cells.setdefault(xrow[0].value, xrow)
    row_31 = cells["3:1"]
    assert [c.value for c in row_31[2:8]] == [
        "Jumlah peserta sosialisasi", "orang", 187.5, 215, 114.67, "Sangat Tinggi",
    ]  # fmt: skip
    assert [c.number_format for c in row_31[4:7]] == ["#,##0.0", "#,##0", "0.00"]
    assert [c.value for c in cells["3:5"][4:7]] == [9, 9, 100]
    assert cells["3"][6].value == 116
    assert cells["3"][1].value == "Rata-rata capaian lembar"
    assert ws.freeze_panes is not None

    # 3. The HTML: the same figures, Indonesian, and the chart of TW I-III as SVG.
    run(commands[2])
    page = _Page()
    page.feed((tmp_path / "lembar3-q3.html").read_text(encoding="utf-8"))
    table: dict[str, list[str]] = {}
    for cells_of_row in page.rows:
        if cells_of_row:
            table.setdefault(cells_of_row[0], cells_of_row)
    assert table["3:1"][-4:] == ["187,5", "215", "114,67", "Sangat Tinggi"]
    assert table["3:3"][-4:] == ["0,75", "1", "133,33", "Sangat Tinggi"]
    assert table["3"][-2:] == ["116,00", "Sangat Tinggi"]
    assert page.images
    assert page.images[0].startswith("data:image/svg+xml;base64,")

    # 4. The PDF: its text holds the figures.
    run(commands[3])
    import pdfplumber

    with pdfplumber.open(tmp_path / "lembar3-q3.pdf") as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
        assert pdf.pages[0].width > pdf.pages[0].height  # A4 landscape
    assert "3:1 Jumlah peserta sosialisasi orang 187,5 215 114,67 Sangat Tinggi" in text
    assert "3 Rata-rata capaian lembar 116,00 Sangat Tinggi" in text

    # 5. The chart: a PNG of 800 x 450 pixels.
    run(commands[4])
    data = (tmp_path / "lembar3-2021.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (800, 450)
