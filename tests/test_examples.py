"""The examples and the README's commands run as a new user runs them."""

from __future__ import annotations

import doctest
import os
import re
import shlex
import subprocess
import sys
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
