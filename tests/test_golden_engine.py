"""Golden snapshot: a year of quarterly achievements of the seed document's indicators.

The seed (examples/kesbangpol_lampung_barat_2018-2022.txt) is loaded with the loaders, its
2021 realisations (examples/realisasi_2021.csv) with the realisations reader; the
achievements of Q1-Q4 and the year 2021, under the default rules, are written to
tests/golden/seed_2021_achievements.json for every indicator that has a realisation.
Entries checked by hand are asserted below, with their working.

Regenerate the golden file after an intended change of the engine with::

    python -m tests.test_golden_engine     (from the project's root)
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from iki_core.engine import Achievement, Status, achievements, rollup
from iki_core.loaders import load
from iki_core.model import Document, Range
from iki_core.periods import Period
from iki_core.realisations import load_realisations
from iki_core.units import Quantity

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "kesbangpol_lampung_barat_2018-2022.txt"
REALISATIONS = ROOT / "examples" / "realisasi_2021.csv"
GOLDEN = ROOT / "tests" / "golden" / "seed_2021_achievements.json"
PERIODS = (*(Period.quarter(2021, q) for q in range(1, 5)), Period(2021))


def _text(value: Quantity | Range | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, Range):
        return f"{value.low}-{value.high}"
    return str(value)


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _entry(a: Achievement) -> dict[str, Any]:
    return {
        "reference": a.reference,
        "indicator": a.indicator.name,
        "period": str(a.period),
        "annual_target": _text(a.annual_target),
        "target": _text(a.target),
        "realised": _text(a.realised),
        "percent": _decimal(a.percent),
        "progress": _decimal(a.progress),
        "status": a.status.value,
        "rating": a.rating,
        "warnings": list(a.warnings),
        "explain": a.explain("en").splitlines(),
    }


def compute() -> tuple[Document, list[Achievement]]:
    document = load(SEED)
    realisations = load_realisations(REALISATIONS, document)
    assert not realisations.errors, realisations.errors
    return document, achievements(document, realisations.realisations, PERIODS)


def snapshot() -> str:
    _, computed = compute()
    reported = {a.reference for a in computed if a.realised is not None}
    entries = [_entry(a) for a in computed if a.reference in reported]
    return json.dumps(entries, ensure_ascii=False, indent=1) + "\n"


@pytest.fixture(scope="module")
def computed() -> dict[tuple[str, str], Achievement]:
    _, out = compute()
    return {(a.reference or "", str(a.period)): a for a in out}


def test_the_seed_year_matches_its_golden_snapshot() -> None:
    assert snapshot() == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("reference", "period", "target", "realised", "percent", "progress", "status"),
    [
        # 2:1.2 Jumlah surat keluar, target 450 (a bare count), reported per quarter:
        # Q1 104 against 3/12 x 450 = 112.5: 92.444... -> 92.44; progress 104 / 450
        ("2:1.2", "2021-Q1", "112,5", "104", "92.44", "23.11", Status.NOT_ACHIEVED),
        # Q4: 104 + 118 + 109 + 121 = 452 against 450: 100.444... -> 100.44
        ("2:1.2", "2021-Q4", "450", "452", "100.44", "100.44", Status.ACHIEVED),
        ("2:1.2", "2021", "450", "452", "100.44", "100.44", Status.ACHIEVED),
        # 2:1.1 Jumlah surat masuk, 550, reported per month: Q1 41 + 38 + 52 = 131
        # against 137.5: 95.2727... -> 95.27; Q4 has no month reported: no data
        ("2:1.1", "2021-Q1", "137,5", "131", "95.27", "23.82", Status.NOT_ACHIEVED),
        ("2:1.1", "2021-Q4", "550", None, None, None, Status.NO_DATA),
        # the year counts the reported months only (a warning says so): 407 / 550 = 74.00
        ("2:1.1", "2021", "550", "407", "74.00", "74.00", Status.NOT_ACHIEVED),
        # 1:1 Persentase konflik SARA yang terselesaikan, 100%: sum(X) / sum(Y)
        # Q3: (2 + 1 + 3) / (2 + 2 + 3) = 6/7 = 85.714...% -> 85.71
        ("1:1", "2021-Q3", "100,00%", None, "85.71", "85.71", Status.NOT_ACHIEVED),
        # year: 7 / 8 = 87.5%
        ("1:1", "2021", "100,00%", "87,5%", "87.50", "87.50", Status.NOT_ACHIEVED),
        # 1:2: Q2 reported X = 0, Y = 0 (no case): to date (1 + 0) / (1 + 0) = 100%
        ("1:2", "2021-Q2", "100,00%", "100%", "100.00", "100.00", Status.ACHIEVED),
        # 3:1 Jumlah peserta sosialisasi, 250 orang: Q2 120 against 6/12 x 250 = 125: 96.00
        ("3:1", "2021-Q2", "125 orang", "120 orang", "96.00", "48.00", Status.NOT_ACHIEVED),
        # Q1 not reported: no data, never 0
        ("3:1", "2021-Q1", "62,5 orang", None, None, None, Status.NO_DATA),
        # year: 120 + 95 + 40 = 255 against 250: 102.00
        ("3:1", "2021", "250 orang", "255 orang", "102.00", "102.00", Status.ACHIEVED),
    ],
)
def test_entries_checked_by_hand(
    computed: dict[tuple[str, str], Achievement],
    reference: str,
    period: str,
    target: str | None,
    realised: str | None,
    percent: str | None,
    progress: str | None,
    status: Status,
) -> None:
    a = computed[(reference, period)]
    assert _text(a.target) == target
    if realised is not None:
        assert _text(a.realised) == realised
    elif percent is None:
        assert a.realised is None
    assert a.percent == (None if percent is None else Decimal(percent))
    assert a.progress == (None if progress is None else Decimal(progress))
    assert a.status is status


def test_indicators_without_realisations_have_no_data_or_no_target(
    computed: dict[tuple[str, str], Achievement],
) -> None:
    silent = [a for a in computed.values() if a.realised is None and a.percent is None]
    assert all(a.status in (Status.NO_DATA, Status.NO_TARGET) for a in silent)
    # the Gubernur and Legislatif election desks (5:7, 5:8) have "-" in 2021
    assert computed[("5:7", "2021")].status is Status.NO_TARGET
    assert computed[("5:8", "2021")].status is Status.NO_TARGET


def test_the_rata_rata_row_of_sheet_2() -> None:
    document, out = compute()
    sheets = {
        r.reference: r for r in rollup(out, document, level="sheet") if r.period.kind == "year"
    }
    sheet2 = sheets["2"]
    year = [
        a for a in out if a.reference and a.reference.startswith("2:") and a.period.kind == "year"
    ]
    percents = [a.percent for a in year if a.percent is not None]
    # the mean of the published percents of sheet 2's indicators, rounded once
    assert sheet2.count == len(percents)
    mean = sum(percents, Decimal(0)) / len(percents)
    assert sheet2.percent == mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def regenerate() -> None:
    """Write the golden snapshot anew."""
    GOLDEN.write_text(snapshot(), encoding="utf-8")


if __name__ == "__main__":
    regenerate()
