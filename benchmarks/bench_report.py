"""How long ``iki report`` takes on a 10,000-indicator document with 40,000 realisations.

Run from the project's root::

    python benchmarks/bench_report.py [--rounds 3] [--indicators 10000] [--no-xlsx]

The document is built in code like the loader benchmark's: one sheet of 2,000 objectives
of five indicators each, counts in several units and percentages X / Y (one in seven),
"-" years, five plan years (2018-2022); it is written in the text layout with
``iki_core.loaders.dumps`` and read back from the file, as the command reads it. Each
indicator has a realisation for each quarter of 2021 (40,000 rows: counts as bare
numbers or with their unit, percentages as X and Y, with the date of the report).

The report is that of the README's command, the table of 2021-Q3. The script times each
stage the command goes through (load the document, read the realisations, compute the
achievements, the roll-ups per objective and per sheet, render the table), then the
command end to end (``iki_core.cli.main``, its output to memory), with the garbage
collector on, as every user runs it, and prints the median of the rounds: on the clock
and in CPU seconds of this process (``time.process_time``), which is what a dedicated
core gives on a shared machine. The unit registry is built before the first round, so
that no round pays for it.

Then the LKjIP workbook of the year: the achievements of TW I-IV and 2021 (the wide
layout), the table built and written as xlsx (``get_output("xlsx")``, to memory), and
``iki report -p 2021 --layout wide -o FILE.xlsx`` end to end.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from iki_core import loaders
from iki_core.cli import main as iki
from iki_core.engine import achievements
from iki_core.model import Count, Document, Indicator, Objective, PercentageFormula, Sheet, Target
from iki_core.periods import Period
from iki_core.realisations import load_realisations
from iki_core.report import Report, get_output, render_table, year_and_quarters
from iki_core.rules import Rules
from iki_core.units import get_registry, parse_quantity

T = TypeVar("T")
YEARS = (2018, 2019, 2020, 2021, 2022)
YEAR = 2021
UNITS = ("orang peserta", "unit", "kali", "laporan", "dokumen", "jenis", "buku", "")
PER_OBJECTIVE = 5
PERIOD = "2021-Q3"


def _is_percentage(i: int) -> bool:
    return i % 7 == 0


def _annual(i: int, year: int) -> int:
    return (i * 7 + year) % 500 + 1


def build_document(indicators: int) -> Document:
    """One sheet of ``indicators`` indicators, five per objective."""
    rows: list[Indicator] = []
    for i in range(indicators):
        if _is_percentage(i):
            kind: Count | PercentageFormula = PercentageFormula(
                "Jumlah kasus selesai", "Jumlah kasus"
            )
            name = f"Persentase kasus {i} yang terselesaikan"
            texts = [f"{90 + (i + y) % 10},00%" for y in YEARS]
        else:
            unit = UNITS[i % len(UNITS)]
            kind = Count(parse_quantity(f"1 {unit}").unit)
            name = f"Jumlah kegiatan {i}"
            texts = ["-" if (i + y) % 11 == 0 else f"{_annual(i, y)} {unit}".strip() for y in YEARS]
        targets = tuple(Target.parse(y, t) for y, t in zip(YEARS, texts, strict=True))
        rows.append(
            Indicator(
                str(i // PER_OBJECTIVE + 1) + f".{i % PER_OBJECTIVE + 1}",
                name,
                kind,
                targets=targets,
            )
        )
    objectives = [
        Objective(
            str(k // PER_OBJECTIVE + 1),
            f"Terlaksananya kegiatan {k // PER_OBJECTIVE + 1}",
            rows[k : k + PER_OBJECTIVE],
        )
        for k in range(0, len(rows), PER_OBJECTIVE)
    ]
    sheet = Sheet(
        1,
        "KEPALA KANTOR KESATUAN BANGSA DAN POLITIK KABUPATEN LAMPUNG BARAT",
        duty="Melaksanakan kebijakan daerah",
        plan_years=YEARS,
        objectives=objectives,
    )
    return Document((sheet,))


def build_realisations(document: Document) -> str:
    """A realisations CSV file: one row per indicator and quarter of 2021."""
    lines = ["indicator,period,value,numerator,denominator,reported_on"]
    for n, (reference, indicator) in enumerate(document.references()):
        for q in range(1, 5):
            reported = f"{YEAR + (q == 4)}-{(3 * q) % 12 + 1:02d}-05"
            if isinstance(indicator.kind, PercentageFormula):
                y = 10 + (n + q) % 7
                lines.append(f"{reference},{YEAR}-Q{q},,{y - (n + q) % 3},{y},{reported}")
            else:
                value = (n * 3 + q * 11) % 200
                unit = indicator.kind.unit.name
                text = f"{value} {unit}" if n % 3 == 0 and unit else str(value)
                lines.append(f"{reference},{YEAR}-Q{q},{text},,,{reported}")
    return "\n".join(lines) + "\n"


Seconds = tuple[float, float]
"""(on the clock, CPU seconds of this process)."""


def timed(fn: Callable[[], T]) -> tuple[T, Seconds]:
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, (time.perf_counter() - start, time.process_time() - cpu)


def end_to_end(doc_path: Path, csv_path: Path) -> Seconds:
    """The seconds of ``iki report`` as a user runs it, its table written to memory."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status, seconds = timed(
            lambda: iki(["report", str(doc_path), "-r", str(csv_path), "-p", PERIOD])
        )
    assert status == 0, "the command failed"
    return seconds


def stages(doc_path: Path, csv_path: Path) -> dict[str, Seconds]:
    """The seconds of each stage of ``iki report``, done as the command does them."""
    seconds: dict[str, Seconds] = {}
    period = [Period.parse(PERIOD)]
    rules = Rules()
    document, seconds["load the document"] = timed(lambda: loaders.load(doc_path))
    rs, seconds["read the realisations"] = timed(lambda: load_realisations(csv_path, document))
    assert not rs.errors, rs.errors[:3]
    rows, seconds["compute the achievements"] = timed(
        lambda: achievements(document, rs.realisations, period, rules)
    )
    assert sum(a.percent is not None for a in rows) > len(rows) // 2, "too few percents"
    report = Report(
        document,
        rows,
        period,
        rules,
        "id",
        document_source=str(doc_path),
        realisations_source=str(csv_path),
        realisation_count=len(rs),
    )
    _, seconds["roll up per objective"] = timed(lambda: report.objectives)
    _, seconds["roll up per sheet"] = timed(lambda: report.sheets)
    _, seconds["render the table"] = timed(lambda: render_table(report))
    return seconds


def xlsx_stages(doc_path: Path, csv_path: Path) -> dict[str, Seconds]:
    """The seconds of the wide xlsx report of 2021: its achievements, then the workbook."""
    seconds: dict[str, Seconds] = {}
    rules = Rules()
    document = loaders.load(doc_path)
    rs = load_realisations(csv_path, document)
    periods = list(year_and_quarters(YEAR))
    rows, seconds["xlsx: compute TW I-IV and the year"] = timed(
        lambda: achievements(document, rs.realisations, periods, rules)
    )
    report = Report(document, rows, periods, rules, "id", layout="wide")
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    _, seconds["xlsx: build and write the workbook"] = timed(
        lambda: get_output("xlsx").write(report, out)
    )
    assert out.buffer.getvalue()[:2] == b"PK", "not an xlsx workbook"
    return seconds


def xlsx_end_to_end(doc_path: Path, csv_path: Path) -> Seconds:
    """The seconds of ``iki report -p 2021 --layout wide -o FILE.xlsx``."""
    target = doc_path.with_name("2021.xlsx")
    status, seconds = timed(
        lambda: iki(
            [
                "report",
                str(doc_path),
                "-r",
                str(csv_path),
                "-p",
                str(YEAR),
                "--layout",
                "wide",
                "-o",
                str(target),
            ]
        )
    )
    assert status == 0, "the command failed"
    return seconds


def one_round(doc_path: Path, csv_path: Path, xlsx: bool) -> dict[str, Seconds]:
    """The stages, then the command end to end, each from nothing kept in memory."""
    seconds = stages(doc_path, csv_path)
    gc.collect()
    seconds["iki report, end to end"] = end_to_end(doc_path, csv_path)
    gc.collect()
    if not xlsx:
        return seconds
    seconds.update(xlsx_stages(doc_path, csv_path))
    gc.collect()
    seconds["iki report --layout wide -o 2021.xlsx"] = xlsx_end_to_end(doc_path, csv_path)
    gc.collect()
    return seconds


def xlsx_workbooks(indicators: int, rounds: int) -> None:
    """The xlsx part alone: the LKjIP workbook of ``indicators`` indicators with a year of
    quarterly realisations, long (2021-Q3) and wide (TW I-IV and 2021), the table built
    and written to memory; wall and CPU seconds, median of ``rounds``."""
    from iki_core.report import build_table
    from iki_core.report.xlsx import write_xlsx

    document = build_document(indicators)
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "realisasi.csv"
        csv_path.write_text(build_realisations(document), encoding="utf-8")
        rs = load_realisations(csv_path, document)
    rules = Rules()
    print(
        f"xlsx: {indicators:,} indicators, {len(rs):,} realisations; "
        f"garbage collector on; median of {rounds} round(s)"
    )
    for layout, periods in (
        ("long", [Period.parse(PERIOD)]),
        ("wide", list(year_and_quarters(YEAR))),
    ):
        rows = achievements(document, rs.realisations, periods, rules)
        table = build_table(document, rows, rules, lang="id", layout=layout)  # type: ignore[arg-type]
        walls, cpus, size = [], [], 0
        for _ in range(rounds):
            gc.collect()
            buf = io.BytesIO()
            _, (wall, cpu) = timed(lambda: write_xlsx(table, buf))  # noqa: B023
            cpus.append(cpu)
            walls.append(wall)
            size = len(buf.getvalue())
        print(
            f"  write the {layout} workbook ({size / 1e6:.1f} MB)  "
            f"{statistics.median(walls):6.2f} s wall  {statistics.median(cpus):6.2f} s CPU"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--indicators", type=int, default=10_000)
    parser.add_argument("--xlsx", action="store_true", help="only the xlsx workbooks")
    parser.add_argument("--no-xlsx", action="store_true", help="time the table only")
    args = parser.parse_args(argv)
    gc.enable()
    get_registry()
    if args.xlsx:
        xlsx_workbooks(args.indicators, args.rounds)
        return
    document = build_document(args.indicators)
    with tempfile.TemporaryDirectory() as folder:
        doc_path = Path(folder) / "iki.txt"
        csv_path = Path(folder) / "realisasi.csv"
        doc_path.write_text(loaders.dumps(document, format="text"), encoding="utf-8")
        csv_path.write_text(build_realisations(document), encoding="utf-8")
        rows = csv_path.read_text(encoding="utf-8").count("\n") - 1
        print(
            f"document: {args.indicators:,} indicators, {doc_path.stat().st_size / 1e6:.1f} MB "
            f"(text layout); realisations: {rows:,} rows; period {PERIOD}; "
            f"garbage collector on; median of {args.rounds} round(s)"
        )
        rounds = [one_round(doc_path, csv_path, not args.no_xlsx) for _ in range(args.rounds)]
    width = max(len(k) for k in rounds[0])
    print(f"  {'':<{width}}  {'clock':>8}   {'CPU':>8}   (each round on the clock)")
    for stage in rounds[0]:
        wall = [r[stage][0] for r in rounds]
        cpu = statistics.median(r[stage][1] for r in rounds)
        each = " ".join(f"{x:.2f}" for x in wall)
        print(f"  {stage:<{width}}  {statistics.median(wall):8.2f} s {cpu:8.2f} s   ({each})")
    table = [k for k in rounds[0] if not k.startswith(("iki", "xlsx"))]
    wall_sum = sum(statistics.median(r[k][0] for r in rounds) for k in table)
    cpu_sum = sum(statistics.median(r[k][1] for r in rounds) for k in table)
    print(f"  {'sum of the table stages':<{width}}  {wall_sum:8.2f} s {cpu_sum:8.2f} s")
    read = "read the realisations"
    wall_read = statistics.median(r[read][0] for r in rounds)
    cpu_read = statistics.median(r[read][1] for r in rounds)
    print(
        f"  row reader: {rows / wall_read:,.0f} rows/s on the clock, "
        f"{rows / cpu_read:,.0f} per CPU second"
    )


if __name__ == "__main__":
    main()
