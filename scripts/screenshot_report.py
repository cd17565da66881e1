"""Render the HTML report of the bundled example in headless Chromium to a PNG for the
docs (docs/images/report-q3.png), and write the two example charts beside it.

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
from iki_core.engine import achievements, rollup
from iki_core.realisations import load_realisations
from iki_core.report import build_table, chart_indicator, chart_sheet, write_html
from iki_core.rules import DEFAULT_RULES

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    doc = loaders.load(ROOT / "examples" / "kesbangpol_lampung_barat_2018-2022.txt")
    rs = load_realisations(ROOT / "examples" / "realisasi_2021.csv", doc).raise_for_errors()
    quarters = [Period.parse(f"2021-Q{q}") for q in range(1, 5)]
    year = achievements(doc, rs.realisations, quarters)
    IMAGES.mkdir(parents=True, exist_ok=True)
    mine = [a for a in year if a.reference == "2:1.1"]
    (IMAGES / "chart-indicator.png").write_bytes(chart_indicator(mine, DEFAULT_RULES.scale))
    sheet = [r for r in rollup(year, doc, level="sheet") if r.reference == "2"]
    (IMAGES / "chart-sheet.png").write_bytes(chart_sheet(sheet, DEFAULT_RULES.scale))
    q3 = [a for a in year if a.period == quarters[2]]
    table = build_table(doc, q3, DEFAULT_RULES, lang="id")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        with page.open("w", encoding="utf-8") as out:
            write_html(table, out)
        shot = IMAGES / "report-q3.png"
        subprocess.run(
            [
                args.chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1280,900",
                f"--screenshot={shot}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    print(f"wrote {shot} and the charts in {IMAGES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
