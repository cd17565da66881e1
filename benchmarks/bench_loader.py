"""How long reading a 10,000-indicator document takes (text layout, CSV and xlsx).

Run from the project's root::

    python benchmarks/bench_loader.py [--indicators 100000] [--formats text,csv,xlsx]

The document is built like the seed: 2,000 objectives of five indicators each (one
numbered row and four continuation rows), targets in several units, percentages with
their formula, "-" years, over five plan years. The figure is the best of five runs
(of three for the workbook, written once with the xlsx writer), with the garbage
collector on, on the clock and in CPU seconds of this process (``time.process_time``,
what a dedicated core gives on a shared machine); the unit registry is built first.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Sequence

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


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--indicators", type=int, default=INDICATORS)
    parser.add_argument("--formats", default="text,csv,xlsx")
    args = parser.parse_args(argv)
    formats = args.formats.split(",")
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
    xlsx_reader()
