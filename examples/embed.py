"""Embed iki_core in an application: the quarterly achievements of 2021, indicator by indicator.

Loads the bundled IKI document, reads the realisations of 2021 (refusing the file if a row
is bad), computes the cumulative achievement at the end of each quarter with the default
rules, and prints the indicators that have data, then the roll-up of each sheet
("-": nothing reported for that quarter; a missing quarter is not a zero).

    python3 examples/embed.py
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from iki_core import Period, format_number, loaders
from iki_core.engine import Achievement, Rollup, achievements, rollup
from iki_core.realisations import load_realisations

HERE = Path(__file__).resolve().parent


def percent(value: Decimal | None) -> str:
    """Two places the Indonesian way ("98,67"), or "-" when there is no value."""
    return "-" if value is None else format_number(value, places=2)


def main() -> None:
    document = loaders.load(HERE / "kesbangpol_lampung_barat_2018-2022.txt")
    realisations = load_realisations(HERE / "realisasi_2021.csv", document).raise_for_errors()
    quarters = Period.parse("2021").children("quarter")
    rows = achievements(document, realisations.realisations, quarters)

    by_indicator: dict[str, list[Achievement]] = defaultdict(list)
    for a in rows:
        by_indicator[a.reference or a.indicator.id].append(a)

    print(f"Capaian kumulatif 2021 (%), {len(realisations)} realisasi")
    print(
        f"{'No':10}{'Indikator Kinerja':42}"
        + "".join(f"{q.label(short=True):>13}" for q in quarters)
    )
    for reference, quarterly in by_indicator.items():
        if all(a.realised is None for a in quarterly):
            continue  # nothing reported for this indicator in 2021
        print(f"{reference:10}{short(quarterly[0].indicator.name):42}" + columns(quarterly))

    print()
    by_sheet: dict[str, list[Rollup]] = defaultdict(list)
    for r in rollup(rows, document, level="sheet"):
        by_sheet[r.reference].append(r)
    for number, quarterly_rollups in by_sheet.items():
        print(
            f"{'Lembar ' + number:10}{short(quarterly_rollups[0].name):42}"
            + columns(quarterly_rollups)
        )


def short(name: str, width: int = 40) -> str:
    """``name``, cut to ``width`` characters with "..." when longer."""
    return name if len(name) <= width else name[: width - 3] + "..."


def columns(quarterly: Sequence[Achievement] | Sequence[Rollup]) -> str:
    """The percent of each quarter, right-aligned."""
    return "".join(f"{percent(x.percent):>13}" for x in quarterly)


if __name__ == "__main__":
    main()
