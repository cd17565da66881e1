"""How long reading a 10,000-indicator document takes (text layout, CSV and xlsx).

Run from the project's root::

    python benchmarks/bench_loader.py [--indicators 100000] [--formats text,csv,xlsx]
    python benchmarks/bench_loader.py --indicators 10000,100000 --formats text,csv \
        --against /path/to/other/checkout/src [--rounds 2]

The document is built like the seed: 2,000 objectives of five indicators each (one
numbered row and four continuation rows), targets in several units, percentages with
their formula, "-" years, over five plan years. The figure is the best of five runs
(of three for the workbook, written once with the xlsx writer), with the garbage
collector on, on the clock and in CPU seconds of this process (``time.process_time``,
what a dedicated core gives on a shared machine); the unit registry is built first.

``--against`` compares two versions of the code, this checkout's ``src`` and the one
given, in one run: each load in a fresh process (one document, one load, the collector
on, the unit registry built first), the two versions alternately, ``--rounds`` times
each, and prints the median CPU and clock seconds of each with the collections the
collector made during the load and the first one after it (which walks the objects the
load made, as it would in the host).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from iki_core.loaders import dumps, get_format, loads
from iki_core.model import Document
from iki_core.units import get_registry

INDICATORS = 10_000
UNITS = ("orang peserta", "unit", "kali", "laporan", "dokumen", "jenis", "buku", "")


def build_text(indicators: int = INDICATORS) -> str:
    """A document in the text layout with ``indicators`` indicator rows."""
    lines = [
        "**INDIKATOR KINERJA INDIVIDU (IKI)**",
        "",
        "1. Jabatan : KEPALA KANTOR KESATUAN BANGSA DAN POLITIK KABUPATEN LAMPUNG BARAT",
        "2. Tugas : Melaksanakan kebijakan daerah",
        "3. Fungsi : a. Perumusan kebijakan teknis;",
        "",
        "No\tSasaran / Kinerja\tIndikator Kinerja\tPenjelasan / Alasan\tTarget"
        "\t\t\t\t\tSumber Data",
        "\t\t\t\t2018\t2019\t2020\t2021\t2022\t",
    ]
    for i in range(indicators):
        no, k = divmod(i, 5)
        head = [str(no + 1), f"Terlaksananya kegiatan {no + 1}"] if k == 0 else ["", ""]
        if i % 7 == 0:
            row = [
                f"Persentase kasus {i} yang terselesaikan",
                "$(X/Y) * 100 \\%$ X = Jumlah kasus selesai Y = Jumlah kasus",
                *(f"{90 + (i + y) % 10},00%" for y in range(5)),
            ]
        else:
            unit = UNITS[i % len(UNITS)]
            row = [f"Jumlah kegiatan {i}", "Cukup Jelas"]
            row += [
                "-" if (i + y) % 11 == 0 else f"{(i * 7 + y) % 500 + 1} {unit}".strip()
                for y in range(5)
            ]
        lines.append("\t".join([*head, *row, "Laporan kegiatan"]))
    return "\n".join(lines) + "\n"


def best_of(runs: int, text: str | bytes, fmt: str) -> tuple[float, float, int]:
    """The best time on the clock and in CPU seconds of ``runs`` loads, and the count of
    indicators read."""
    best = cpu_best = float("inf")
    count = 0
    for _ in range(runs):
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        doc = loads(text, format=fmt)
        best = min(best, time.perf_counter() - start)
        cpu_best = min(cpu_best, time.process_time() - cpu)
        count = sum(len(s.indicators) for s in doc.sheets)
        del doc
    return best, cpu_best, count


def one_load(indicators: int, fmt: str) -> dict[str, float]:
    """One load of the generated document in ``fmt``, in this process, with the collector
    on: CPU and clock seconds of the load, the collections during it (count, seconds)
    and the seconds of the first collection after it."""
    get_registry()
    text = build_text(indicators)
    data: str | bytes = text
    if fmt == "csv":
        data = dumps(loads(text, format="text"), format="csv")
    elif fmt == "xlsx":
        data = dumps_binary(loads(text, format="text"))
    gc.enable()
    gc.collect()
    spent = [0.0, 0.0]
    during: list[float] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            spent[0] = time.process_time()
        else:
            during.append(time.process_time() - spent[0])

    gc.callbacks.append(watch)
    start, cpu = time.perf_counter(), time.process_time()
    doc = loads(data, format=fmt)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    collections, in_load = len(during), sum(during)
    after = time.process_time()
    gc.collect(0)  # the young collection the host's next allocations would trigger
    after = time.process_time() - after
    gc.callbacks.remove(watch)
    count = sum(len(s.indicators) for s in doc.sheets)
    return {
        "cpu": cpu,
        "wall": wall,
        "collections": collections,
        "collector": in_load,
        "after": after,
        "indicators": count,
    }


def compare(sizes: list[int], formats: list[str], against: str, rounds: int) -> None:
    """This checkout's code against ``against`` (another checkout's ``src``): each load in
    a fresh process, the two alternately, ``rounds`` times; medians printed."""
    here = str(Path(__file__).resolve().parent.parent / "src")
    versions = (("before", against), ("after", here))
    for fmt in formats:
        for size in sizes:
            runs: dict[str, list[dict[str, float]]] = {name: [] for name, _ in versions}
            for _ in range(rounds):
                for name, src in versions:
                    env = dict(os.environ, PYTHONPATH=src)
                    out = subprocess.run(
                        [sys.executable, __file__, "--one", f"{fmt}:{size}"],
                        env=env,
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    runs[name].append(json.loads(out.stdout.splitlines()[-1]))
            for name, _ in versions:
                r = runs[name]

                def median(field: str, r: list[dict[str, float]] = r) -> float:
                    return statistics.median(x[field] for x in r)

                print(
                    f"{fmt} {size:,} {name}: {median('cpu'):.2f} s CPU, {median('wall'):.2f} s"
                    f" clock; collector {median('collections'):.0f} collections,"
                    f" {median('collector'):.2f} s CPU in the load and"
                    f" {median('after'):.2f} s in the first collection after it"
                )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--indicators", default=str(INDICATORS))
    parser.add_argument("--formats", default="text,csv,xlsx")
    parser.add_argument("--against", help="another checkout's src folder, to compare with")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # format:size, in a child process
    args = parser.parse_args(argv)
    formats = args.formats.split(",")
    if args.one:
        fmt, size = args.one.split(":")
        print(json.dumps(one_load(int(size), fmt)))
        return
    sizes = [int(n) for n in args.indicators.split(",")]
    if args.against:
        compare(sizes, formats, args.against, args.rounds)
        return
    args.indicators = sizes[0]
    gc.enable()
    get_registry()
    text = build_text(args.indicators)
    if "text" in formats:
        seconds, cpu, count = best_of(5, text, "text")
        print(f"text layout: {count:,} indicators in {seconds:.3f} s ({cpu:.3f} s CPU)")
    if "csv" in formats:
        csv_text = dumps(loads(text, format="text"), format="csv")
        seconds, cpu, count = best_of(5, csv_text, "csv")
        print(f"CSV: {count:,} indicators in {seconds:.3f} s ({cpu:.3f} s CPU)")
    if "xlsx" in formats:
        workbook = dumps_binary(loads(text, format="text"))
        seconds, cpu, count = best_of(3, workbook, "xlsx")
        print(
            f"xlsx: {count:,} indicators in {seconds:.3f} s ({cpu:.3f} s CPU, "
            f"{len(workbook):,} bytes)"
        )


def dumps_binary(document: Document) -> bytes:
    """The document as an Excel workbook (the xlsx writer of the format table)."""
    out = get_format("xlsx").write(document)
    assert isinstance(out, bytes)
    return out


def xlsx_reader() -> None:
    """The 10,000-indicator workbook read by the lean xlsx reader, into cells and into the
    grid (the format's own part), then loaded whole (grid, recogniser and text layout), in
    wall-clock and processor seconds (best of three each; openpyxl's read-only mode, the
    reader before, took about 3 s of processor time for the grid alone)."""
    from iki_core._xlsxfast import read_workbook
    from iki_core.loaders.office import read_xlsx

    workbook = dumps_binary(loads(build_text(), format="text"))
    steps = (
        ("cells", lambda: read_workbook(workbook)),
        ("grid", lambda: read_xlsx(workbook)),
        ("document", lambda: loads(workbook, format="xlsx")),
    )
    for name, step in steps:
        wall = cpu = float("inf")
        for _ in range(3):
            w, c = time.perf_counter(), time.process_time()
            step()
            wall = min(wall, time.perf_counter() - w)
            cpu = min(cpu, time.process_time() - c)
        print(f"xlsx reader, {name}: {wall:.3f} s wall, {cpu:.3f} s processor")


if __name__ == "__main__":
    main()
    if "--one" not in sys.argv and "--against" not in sys.argv:
        xlsx_reader()
