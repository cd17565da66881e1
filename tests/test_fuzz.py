"""Mutated bundled documents and realisations: only IkiError, bounded cost, nothing lost;
and the ledger under writers at once and a killed import.

The mutations and checks are those of ``scripts/fuzz.py`` (the long run, not in CI, whose
figures are in docs/reliability.md); here Hypothesis draws a few dozen inputs of each
text format and a few office files, and one ledger round runs, so the suite stays within
about half a minute. Time is bounded relative to a well-formed input of the same size
measured in the same process (never an absolute time).
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"iki_{name}", ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"iki_{name}"] = module
    spec.loader.exec_module(module)
    return module


fuzz = _script("fuzz")
fuzz_ledger = _script("fuzz_ledger")


@pytest.fixture(scope="module")
def checker() -> object:
    return fuzz.Checker(ratio=50.0)


FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.parametrize("name", ["text", "csv", "json", "realisations"])
@FUZZ
@given(rnd=st.randoms(use_true_random=False))
def test_mutated_inputs_raise_only_iki_errors_in_bounded_time(
    checker: object, name: str, rnd: random.Random
) -> None:
    figures = fuzz.Figures()
    checker.check(name, fuzz.mutate(checker.base[name], rnd), figures)  # type: ignore[attr-defined]
    assert figures.crashes == []
    assert figures.slow == []
    assert figures.round_trip == []
    assert figures.lost == []


@pytest.fixture(scope="module")
def office() -> object:
    # The first sheet of the bundled document as a workbook, a Word document and a PDF:
    # the PDF reader takes seconds on all five sheets, the suite's budget is half a minute.
    pytest.importorskip("openpyxl")
    pytest.importorskip("docx")
    pytest.importorskip("pdfplumber")
    return fuzz.Checker(ratio=50.0, formats=fuzz.OFFICE, sheets=1)


@pytest.mark.parametrize(("name", "count"), [("xlsx", 8), ("docx", 6), ("pdf", 3)])
def test_mutated_office_files_raise_only_iki_errors_in_bounded_time(
    office: object, name: str, count: int
) -> None:
    # Cells replaced by hostile values inside the zip, its XML or bytes broken, a PDF's
    # bytes mutated: drawn as the long run draws them (scripts/fuzz.py --formats).
    figures = fuzz.Figures()
    for i in range(count):
        data = office.draw(name, i, fuzz.draw(14, i))  # type: ignore[attr-defined]
        office.check(name, data, figures)  # type: ignore[attr-defined]
    assert figures.inputs == count
    assert (figures.crashes, figures.slow, figures.round_trip) == ([], [], [])


def test_office_mutations_reach_the_cells() -> None:
    # A hostile value replaces the text of a cell of the workbook's sheet XML, and the
    # zip still opens: the readers are tried on content, not only on broken containers.
    import io
    import zipfile

    pytest.importorskip("openpyxl")
    from iki_core.loaders.writers import write_xlsx

    doc = fuzz.loaders.load(fuzz.SEED)
    base = write_xlsx(fuzz.attrs.evolve(doc, sheets=doc.sheets[:1]))
    changed = 0
    for i in range(20):
        data = fuzz.mutate_office(base, fuzz.draw(3, i))
        try:  # one input in five has the zip's own bytes mutated
            parts = zipfile.ZipFile(io.BytesIO(data))
            bodies = {n: parts.read(n) for n in parts.namelist()}
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            continue
        before = zipfile.ZipFile(io.BytesIO(base))
        changed += any(bodies.get(n) != before.read(n) for n in before.namelist())
    assert changed >= 10


def test_the_ledger_holds_under_writers_at_once_and_a_killed_import(tmp_path: Path) -> None:
    # Three threads and two processes add reports at once on one SQLite file while a
    # third process, mid-import of thousands of reports, is killed with SIGKILL: the
    # ledger opens, every committed batch is whole, the killed one whole or absent.
    pytest.importorskip("sqlalchemy")
    assert fuzz_ledger.ledger_round(tmp_path, 14) == []


def test_the_ledger_check_sees_a_half_written_batch(tmp_path: Path) -> None:
    # The check itself can fail: a batch with a report missing is named.
    import datetime as dt

    pytest.importorskip("sqlalchemy")
    from iki_core import Period, parse_quantity
    from iki_core.tracking import Report
    from iki_core.tracking.store import SqlLedger

    at = dt.datetime(2021, 4, 5, 9, tzinfo=dt.UTC)
    with SqlLedger.open(tmp_path / "l.db", create=True) as ledger:
        ledger.add(
            Report(
                "1:1",
                Period.month(2021, 1),
                value=parse_quantity("1 orang"),
                reported_at=at,
                reported_by="T0",
                note="T0/0/0/2",  # the first of two, the second never written
            )
        )
        entries = list(ledger.entries())
    assert fuzz_ledger.ledger_problems(entries, expected=set()) == [
        "batch ('T0', '0') holds 1 of its 2 reports"
    ]


@pytest.mark.parametrize("value", fuzz.HOSTILE)
def test_each_hostile_value_in_each_cell_kind(checker: object, value: str) -> None:
    # Every hostile value, as a target (2021), a Sumber Data cell and a realisation value.
    seed = checker.base["text"].decode()  # type: ignore[attr-defined]
    row = next(line for line in seed.splitlines() if line.startswith("1\tTersedianya"))
    cells = row.split("\t")
    for at in (7, len(cells) - 1):
        hostile = "\t".join([*cells[:at], value, *cells[at + 1 :]])
        figures = fuzz.Figures()
        checker.check("text", seed.replace(row, hostile).encode(), figures)  # type: ignore[attr-defined]
        assert figures.failures == 0, figures
    base = checker.base["realisations"].decode()  # type: ignore[attr-defined]
    figures = fuzz.Figures()
    checker.check("realisations", base.replace(",41,", f",{value},", 1).encode(), figures)  # type: ignore[attr-defined]
    assert figures.failures == 0, figures


def test_the_checks_catch_what_they_claim_to() -> None:
    # A check that cannot fail proves nothing: a lost cell and a raw exception are seen.
    seed = fuzz.SEED.read_bytes()
    doc = fuzz.loaders.loads(seed)
    assert fuzz.lost_cells(seed, doc) == []  # header rows included
    extra = seed.replace(b"\tCukup Jelas\t", b"\tCukup Jelas ZZZ\t", 1)
    assert "Cukup Jelas ZZZ" in fuzz.lost_cells(extra, doc)  # the model of the seed lacks it
    label = seed.replace(b"\tTarget\t", b"\t1E+999999999Target\t", 1)  # a header row's cell
    assert fuzz.lost_cells(label, doc) == ["1E+999999999Target"]
    assert fuzz.lost_cells(label, fuzz.loaders.loads(label)) == []
    figures = fuzz.Figures()

    class Broken(fuzz.Checker):  # type: ignore[misc,name-defined]
        def read(self, name: str, data: bytes) -> object:
            raise ZeroDivisionError

    Broken().check("text", seed, figures)
    assert len(figures.crashes) == 1
