"""Render HTML reports of the bundled example in headless Chromium to PNGs for the docs
(docs/images/report-q3.png: sheet 3's third quarter with its chart, as ``iki report -o
FILE.html`` writes it; docs/images/report-wide.png: sheet 1's year in the wide layout;
docs/images/report-charts-indicator.png: sheet 3's third quarter with a chart per
indicator, ``--charts indicator``), and write the two example charts beside them.

Run by hand, not in the test run; needs the ``html`` and ``chart`` extras and a Chromium
(on Debian: ``apt-get install chromium``):

    python3 scripts/screenshot_report.py [--chromium PATH]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from iki_core import Period, loaders
from iki_core.cli import main as main_cli
from iki_core.engine import achievements, rollup
from iki_core.realisations import load_realisations
from iki_core.report import chart_indicator, chart_sheet
from iki_core.rules import DEFAULT_RULES

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
SEED = ROOT / "examples" / "kesbangpol_lampung_barat_2018-2022.txt"
REALISATIONS = ROOT / "examples" / "realisasi_2021.csv"


def _shoot(chromium: str, page: Path, shot: Path, size: str) -> None:
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--window-size={size}",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    doc = loaders.load(SEED)
    rs = load_realisations(REALISATIONS, doc).raise_for_errors()
    quarters = [Period.parse(f"2021-Q{q}") for q in range(1, 5)]
    year = achievements(doc, rs.realisations, quarters)
    IMAGES.mkdir(parents=True, exist_ok=True)
    mine = [a for a in year if a.reference == "2:1.1"]
    (IMAGES / "chart-indicator.png").write_bytes(chart_indicator(mine, DEFAULT_RULES.scale))
    sheet = [r for r in rollup(year, doc, level="sheet") if r.reference == "2"]
    (IMAGES / "chart-sheet.png").write_bytes(chart_sheet(sheet, DEFAULT_RULES.scale))
    with tempfile.TemporaryDirectory() as tmp:
        # the pages the command writes: sheet 3's Q3 report (with its chart), and sheet
        # 1's year in the wide layout
        q3, wide = Path(tmp) / "lembar3-q3.html", Path(tmp) / "lembar1-2021.html"
        each = Path(tmp) / "lembar3-q3-indikator.html"
        common = [str(SEED), "-r", str(REALISATIONS)]
        if main_cli(["report", *common, "--sheet", "3", "-p", "2021-Q3", "-o", str(q3)]):
            return 1
        if main_cli(["report", *common, "--sheet", "1", "-p", "2021", "--layout", "wide",
                     "--no-charts", "-o", str(wide)]):  # fmt: skip
            return 1
        if main_cli(["report", *common, "--sheet", "3", "-p", "2021-Q3",
                     "--charts", "indicator", "-o", str(each)]):  # fmt: skip
            return 1
        _shoot(args.chromium, q3, IMAGES / "report-q3.png", "1280,1160")
        _shoot(args.chromium, each, IMAGES / "report-charts-indicator.png", "1280,1160")
        _shoot(args.chromium, wide, IMAGES / "report-wide.png", "1280,470")
    print(f"wrote the reports and the charts in {IMAGES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
