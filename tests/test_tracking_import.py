"""The in-memory ledger works without SQLAlchemy: nothing of it is imported until the SQL
store is asked for (the ``db`` extra is optional)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_PROGRAM = """
import sys
sys.modules["sqlalchemy"] = None  # as if it were not installed: importing it fails
import datetime as dt
from iki_core import Period, parse_quantity
from iki_core.tracking import WIB, Ledger, Report, completeness, realisations_from_records
from iki_core.tracking.cli import add_track_parser
ledger = Ledger()
ledger.add(Report("1:1", Period.parse("2021-Q1"), value=parse_quantity("3 orang"),
                  reported_at=dt.datetime(2021, 4, 5, tzinfo=WIB), reported_by="Ani"))
print(len(ledger.realisations()))
try:
    from iki_core.tracking import SqlLedger
except ImportError:
    print("no store")
"""


def test_the_ledger_needs_no_sqlalchemy() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROGRAM],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT / "src")},
        cwd=ROOT,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "1\nno store\n", "")
