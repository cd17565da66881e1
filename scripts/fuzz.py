"""Mutate the bundled documents and realisations and check what the library makes of them.

Every input is one of the bundled files (the seed document as text, as CSV and as JSON,
the realisations CSV, and with ``--formats`` the seed document as a workbook, a Word
document and a PDF) with a few random mutations: bytes inserted, deleted, repeated or
flipped, and cells replaced by hostile values (huge exponents, "%%", NUL bytes, runs of
spaces or tabs, digits of other scripts, negative numbers, number forms such as "1/0" and
"0x1p3"); JSON documents also have their values replaced, keeping the syntax, and office
files the text of their cells, inside the zip. For each input it checks:

- only :class:`~iki_core.errors.IkiError` escapes (anything else is counted as a crash);
- the time to load it is within ``--ratio`` times the time of a well-formed input of the
  same size (the bundled file repeated to that length), plus 0.25 s;
- a document that loads survives the JSON round trip exactly (``loads(dumps(doc)) == doc``);
- every cell of a table row of a text document that loads, header rows included, is found
  in the model (in its JSON, or in a diagnostic's text): nothing the user wrote is dropped.

The ledger has its own check, ``scripts/fuzz_ledger.py``.

Run it from the repository root (it is not part of the test suite)::

    nice -n 10 env PYTHONPATH=src python3 scripts/fuzz.py --seed 14 --inputs 100000 --jobs 1

It prints its figures (inputs, crashes, slow inputs, round-trip failures, the slowest
ratio) and the first failures in full; exit status 1 when any check failed. Each input
has its own seed: ``--only N`` checks input N of a run alone.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import random
import re
import sys
import time
import traceback
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import attrs

from iki_core import loaders
from iki_core.errors import IkiError
from iki_core.model import Document
from iki_core.realisations import loads_realisations

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "kesbangpol_lampung_barat_2018-2022.txt"
REALISATIONS = ROOT / "examples" / "realisasi_2021.csv"

HOSTILE: tuple[str, ...] = (
    "1E+999999999",
    "100%%",
    "5 %%",
    "1" + " " * 300 + "x",
    "\x00",
    "\t" * 500,
    "9" * 5000,
    "\u0662\u0660\u0662\u0661-Q1",
    "-8",
    "-",
    "1.000.000.000.000.000.000.000.000.000.000",
    "0,0000000000000000000000000000000000000000001",
    '"unterminated',
    "2021-Q5",
    "1 " + "a" * 2000,
    "80-90%",
    "\ufeff",
    "\u00e9\u00e8",
    "#",
    "SK#HU",
    # Number forms Python's own parsers treat apart (Fraction("1/0") is a ZeroDivisionError,
    # Decimal("nan") a number, float("0x1p3") hexadecimal, int("1_000") valid).
    "1/0",
    "0/0",
    "1e",
    "nan",
    "sNaN",
    "Infinity",
    "0x1p3",
    "1_000",
    "1" + "_000" * 40,
    "1/3",
    "1e-999999",
    "\u00bd",
)

DEFAULT_FORMATS: Final = ("csv", "json", "realisations", "text")
ALL_FORMATS: Final = (*DEFAULT_FORMATS, "xlsx", "docx", "pdf")

JSON_HOSTILE: tuple[object, ...] = (*HOSTILE, 0, -1, 1.5, 10**40, None, True, [], {})
"""Values put in place of a JSON document's values: the texts, and values of other types."""


@dataclass
class Figures:
    """What a run found."""

    inputs: int = 0
    loaded: int = 0
    refused: int = 0
    crashes: list[str] = field(default_factory=list)
    slow: list[str] = field(default_factory=list)
    round_trip: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    worst_ratio: float = 0.0

    @property
    def failures(self) -> int:
        return len(self.crashes) + len(self.slow) + len(self.round_trip) + len(self.lost)


def bundled() -> dict[str, bytes]:
    """The inputs that mutations start from, by name."""
    doc = loaders.load(SEED)
    return {
        "text": SEED.read_bytes(),
        "csv": loaders.dumps(doc, format="csv").encode(),
        "json": loaders.dumps(doc).encode(),
        "realisations": REALISATIONS.read_bytes(),
    }


def mutate(data: bytes, rnd: random.Random, *, count: int | None = None) -> bytes:
    """``data`` with 1 to 4 (or ``count``) random mutations."""
    out = bytearray(data)
    for _ in range(count if count is not None else rnd.randint(1, 4)):
        at = rnd.randrange(len(out) + 1)
        kind = rnd.randrange(7)
        if kind == 0:  # insert random bytes
            out[at:at] = rnd.randbytes(rnd.randint(1, 8))
        elif kind == 1:  # delete a range
            del out[at : at + rnd.randint(1, 200)]
        elif kind == 2:  # repeat a range
            piece = out[at : at + rnd.randint(1, 400)]
            out[at:at] = piece * rnd.randint(1, 20)
        elif kind == 3 and out:  # flip a byte
            out[min(at, len(out) - 1)] ^= 1 << rnd.randrange(8)
        else:  # a hostile value at a separator (a cell of any format)
            seps = [m.start() for m in re.finditer(rb"[\t,;\n\"]", bytes(out[at : at + 300]))]
            where = at + (rnd.choice(seps) + 1 if seps else 0)
            value = rnd.choice(HOSTILE).encode()
            end = where + rnd.randint(0, 12)
            out[where:end] = value
    return bytes(out)


def mutate_json(data: bytes, rnd: random.Random) -> bytes:
    """The JSON document ``data`` with 1 to 4 of its values (a magnitude, a unit's scale or
    name, a period, any text) replaced by hostile ones, still well-formed JSON: what a
    byte mutation rarely reaches, since it breaks the syntax first."""
    tree = json.loads(data)
    slots: list[tuple[dict[str, object] | list[object], str | int]] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                slots.append((value, key))
                walk(item)
        elif isinstance(value, list):
            for at, item in enumerate(value):
                slots.append((value, at))
                walk(item)

    walk(tree)
    for _ in range(rnd.randint(1, 4)):
        parent, key = rnd.choice(slots)
        parent[key] = rnd.choice(JSON_HOSTILE)  # type: ignore[index]
    return json.dumps(tree, ensure_ascii=False).encode()


def _cells(data: bytes) -> list[str]:
    text = data.decode("utf-8", errors="strict")
    cells: list[str] = []
    for line in text.splitlines():  # header rows too: their text is in the sheet's source
        if "\t" in line:
            cells.extend(c for c in (" ".join(c.split()) for c in line.split("\t")) if c)
    return cells


def _blob(doc: Document, dumped: str | None = None) -> str:
    strings: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            strings.append(" ".join(value.split()))
        elif isinstance(value, dict):
            for k, v in value.items():
                strings.append(str(k))
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(json.loads(loaders.dumps(doc) if dumped is None else dumped))
    strings.extend(" ".join(str(d).split()) for d in doc.diagnostics)
    return "\n".join(strings)


def lost_cells(data: bytes, doc: Document, dumped: str | None = None) -> list[str]:
    """The cells of the table rows of a UTF-8 text document that the model does not hold
    (``dumped``: the document's JSON when already written)."""
    try:
        cells = _cells(data)
    except UnicodeDecodeError:
        return []
    blob = _blob(doc, dumped)
    return [c for c in cells if c not in blob]


def _timed(call: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


class Checker:
    """Loads inputs and applies the checks; per-byte costs of well-formed inputs cached."""

    def __init__(
        self, ratio: float = 20.0, formats: Sequence[str] = (), *, sheets: int | None = None
    ) -> None:
        self.ratio = ratio
        self.base = bundled()
        self.document = loaders.load(SEED)
        if set(formats) & set(OFFICE):  # written once, the first ``sheets`` sheets (all)
            written = attrs.evolve(self.document, sheets=self.document.sheets[:sheets])
            self.base |= {k: v for k, v in office_bases(written).items() if k in formats}
        self._rate: dict[str, float] = {}

    def rate(self, name: str) -> float:
        """Seconds per byte to read a well-formed input of ``name`` (best of three runs, on
        the bundled file repeated to 64 KB)."""
        if name not in self._rate:
            data = self.base[name]
            if name == "realisations":
                head, _, rows = data.partition(b"\n")
                plain = head + b"\n" + rows * (65536 // len(data) + 1)
            else:  # a JSON or office file repeated is not one: the file itself
                plain = data * (65536 // len(data) + 1) if name in ("text", "csv") else data
            times = [_timed(lambda: self.read(name, plain))[0] for _ in range(3)]
            self._rate[name] = min(times) / len(plain)
        return self._rate[name]

    def read(self, name: str, data: bytes) -> object:
        if name == "realisations":
            return loads_realisations(data, self.document)
        return loaders.loads(data, format=name)

    def draw(self, name: str, index: int, rnd: random.Random) -> bytes:
        """Input ``index`` of format ``name``: the bundled file mutated."""
        base = self.base[name]
        if name in OFFICE:
            return mutate_office(base, rnd)
        if name == "json" and index % 2:  # every other JSON input: its values
            return mutate_json(base, rnd)
        return mutate(base, rnd)

    def check(self, name: str, data: bytes, figures: Figures) -> None:
        """Load ``data`` as input ``name`` and record what happened in ``figures``."""
        figures.inputs += 1
        label = f"{name} #{figures.inputs} ({len(data)} bytes)"
        try:
            seconds, result = _timed(lambda: self.read(name, data))
        except IkiError:
            figures.refused += 1
            return
        except Exception:
            figures.crashes.append(f"{label}: {traceback.format_exc(limit=-4)}{data[:300]!r}")
            return
        figures.loaded += 1
        bound = self.ratio * self.rate(name) * max(len(data), 1) + 0.25
        if seconds > bound:  # the machine may be busier now: measure both again, now
            del self._rate[name]
            seconds = min(seconds, _timed(lambda: self.read(name, data))[0])
            bound = self.ratio * self.rate(name) * max(len(data), 1) + 0.25
        ratio = seconds / (self.rate(name) * max(len(data), 1))
        figures.worst_ratio = max(figures.worst_ratio, ratio)
        if seconds > bound:
            figures.slow.append(f"{label}: {seconds:.2f} s, bound {bound:.2f} s")
        if isinstance(result, Document):
            try:  # written once: the text serves the round trip and the lost-cell check
                dumped = loaders.dumps(result)
                again = loaders.loads(dumped)
            except Exception:
                figures.round_trip.append(f"{label}: {traceback.format_exc(limit=-4)}")
                return
            if again != result:
                figures.round_trip.append(f"{label}: loads(dumps(doc)) != doc; {data[:300]!r}")
            if name == "text" and result.sheets:
                missing = lost_cells(data, result, dumped)
                if missing:
                    figures.lost.append(f"{label}: cells not in the model: {missing[:3]!r}")


# --- the office formats ----------------------------------------------------------------------
OFFICE: Final = ("xlsx", "docx", "pdf")
_TEXT_NODE: Final = re.compile(rb">([^<]{1,200})<")
_ZIP_PARTS: Final = re.compile(r"xl/worksheets/.*\.xml|xl/sharedStrings\.xml|word/document\.xml")


def office_bases(document: Document) -> dict[str, bytes]:
    """``document`` written as a workbook, a Word document and a PDF (those whose optional
    extra is installed)."""
    from iki_core.loaders import writers

    out: dict[str, bytes] = {}
    for name, write in (
        ("xlsx", writers.write_xlsx),
        ("docx", writers.write_docx),
        ("pdf", writers.write_pdf),
    ):
        try:
            out[name] = write(document)
        except IkiError:  # the extra (openpyxl, python-docx, fpdf2) is not installed
            continue
    return out


def _xml_escape(value: str) -> bytes:
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # XML 1.0 has no NUL or other C0 controls: such a cell arrives as bytes mutation does
    return text.encode()


def mutate_office(data: bytes, rnd: random.Random) -> bytes:
    """An office file with 1 to 4 mutations. A zip (xlsx, docx): the cells of its sheets or
    the text of its document replaced by hostile values (the XML still well-formed), or the
    bytes of one of those parts mutated (the XML broken), or the zip's own bytes mutated; a
    PDF: its bytes mutated."""
    if not data.startswith(b"PK\x03\x04") or rnd.random() < 0.2:
        return mutate(data, rnd)
    source = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in source.namelist() if _ZIP_PARTS.fullmatch(n)]
    target = rnd.choice(names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == target:
                if rnd.random() < 0.3:
                    body = mutate(body, rnd)
                else:
                    nodes = list(_TEXT_NODE.finditer(body))
                    for node in sorted(
                        rnd.sample(nodes, min(len(nodes), rnd.randint(1, 4))),
                        key=lambda m: -m.start(),
                    ):
                        hostile = _xml_escape(rnd.choice(HOSTILE).replace("\x00", ""))
                        body = body[: node.start(1)] + hostile + body[node.end(1) :]
            copy.writestr(info, body)
    return out.getvalue()


def draw(seed: int, index: int) -> random.Random:
    """The random source of input ``index`` of a run: each input can be drawn again alone
    (``--only``), whatever the number of processes."""
    return random.Random(f"{seed}:{index}")


def check_range(
    checker: Checker,
    seed: int,
    indices: range,
    report: Callable[[str], None],
    formats: Sequence[str] = DEFAULT_FORMATS,
) -> Figures:
    """Check the inputs ``indices`` of the run ``seed`` (``formats`` in turn)."""
    figures = Figures()
    for i in indices:
        name = formats[i % len(formats)]
        before = figures.failures
        checker.check(name, checker.draw(name, i // len(formats), draw(seed, i)), figures)
        if figures.failures > before:  # shown at once: a long run may be stopped early
            every = [*figures.crashes, *figures.slow, *figures.round_trip, *figures.lost]
            report(f"input {i} (--only {i}): {every[-1]}")
    return figures


def merge(into: Figures, part: Figures) -> None:
    into.inputs += part.inputs
    into.loaded += part.loaded
    into.refused += part.refused
    into.crashes += part.crashes
    into.slow += part.slow
    into.round_trip += part.round_trip
    into.lost += part.lost
    into.worst_ratio = max(into.worst_ratio, part.worst_ratio)


_WORKER: Checker | None = None


def _start_worker(ratio: float, formats: Sequence[str]) -> None:
    global _WORKER
    _WORKER = Checker(ratio, formats)


def _work(job: tuple[int, int, int, tuple[str, ...]]) -> Figures:
    seed, begin, end, formats = job
    assert _WORKER is not None
    say = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    return check_range(_WORKER, seed, range(begin, end), say, formats)


def run(
    seed: int,
    count: int,
    ratio: float,
    report: Callable[[str], None],
    *,
    jobs: int = 1,
    chunk: int = 500,
    formats: Sequence[str] = DEFAULT_FORMATS,
    start: int = 0,
) -> Figures:
    """Check the mutated inputs ``start`` to ``count`` drawn with ``seed``, in ``jobs``
    processes (each measures its own well-formed inputs, so the bound is relative to its
    own conditions)."""
    figures = Figures()
    started = time.perf_counter()
    chunks = [(seed, b, min(b + chunk, count), tuple(formats)) for b in range(start, count, chunk)]

    def progress() -> None:
        report(
            f"{figures.inputs} inputs, {time.perf_counter() - started:.0f} s: "
            f"{len(figures.crashes)} crashes, {len(figures.slow)} slow "
            f"(slowest {figures.worst_ratio:.1f}x), {len(figures.round_trip)} round-trip "
            f"failures, {len(figures.lost)} lost"
        )

    if jobs <= 1:
        checker = Checker(ratio, formats)
        for _, begin, end, _ in chunks:
            merge(figures, check_range(checker, seed, range(begin, end), report, formats))
            progress()
        return figures
    context = multiprocessing.get_context("spawn")
    with context.Pool(jobs, initializer=_start_worker, initargs=(ratio, formats)) as pool:
        for part in pool.imap_unordered(_work, chunks):
            merge(figures, part)
            progress()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--inputs", "--count", type=int, default=10_000, dest="inputs")
    parser.add_argument("--jobs", type=int, default=1, help="processes (default 1)")
    parser.add_argument("--only", type=int, help="check input number ONLY of the run, alone")
    parser.add_argument(
        "--start", type=int, default=0, help="begin at input START (a run stopped early)"
    )
    parser.add_argument("--ratio", type=float, default=20.0, help="time bound (x well-formed)")
    parser.add_argument(
        "--formats",
        default=",".join(DEFAULT_FORMATS),
        help=f"inputs drawn in turn, of {', '.join(ALL_FORMATS)} (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    formats = tuple(args.formats.split(","))
    if set(formats) - set(ALL_FORMATS):
        parser.error(f"--formats: one or more of {', '.join(ALL_FORMATS)}")
    started = time.perf_counter()
    say = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    if args.only is not None:
        only = range(args.only, args.only + 1)
        figures = check_range(Checker(args.ratio, formats), args.seed, only, say, formats)
    else:
        figures = run(
            args.seed,
            args.inputs,
            args.ratio,
            say,
            jobs=args.jobs,
            formats=formats,
            start=args.start,
        )
    print(f"seed {args.seed}: {figures.inputs} inputs in {time.perf_counter() - started:.0f} s")
    print(f"  loaded {figures.loaded}, refused with IkiError {figures.refused}")
    print(f"  exceptions other than IkiError: {len(figures.crashes)}")
    print(
        f"  slower than {args.ratio:g}x a well-formed input of the same size: {len(figures.slow)}"
    )
    print(f"  slowest, relative to a well-formed input of its size: {figures.worst_ratio:.1f}x")
    print(f"  JSON round trips not exact: {len(figures.round_trip)}")
    print(f"  text documents with a cell not in the model: {len(figures.lost)}")
    for failure in [*figures.crashes, *figures.slow, *figures.round_trip, *figures.lost][:10]:
        print("\n" + failure)
    return 1 if figures.failures else 0


if __name__ == "__main__":
    sys.exit(main())
