"""Mutated bundled documents and realisations: only IkiError, bounded cost, nothing lost.

The mutations and checks are those of ``scripts/fuzz.py`` (the long run, not in CI, whose
figures are in docs/reliability.md); here Hypothesis draws a few dozen inputs of each
format, so the suite stays within about half a minute. Time is bounded relative to a
well-formed input of the same size measured in the same process (never an absolute time).
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


def _fuzz_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("iki_fuzz", ROOT / "scripts" / "fuzz.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["iki_fuzz"] = module
    spec.loader.exec_module(module)
    return module


fuzz = _fuzz_module()


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
    assert fuzz.lost_cells(seed, doc) == []  # header rows are structure, not content
    extra = seed.replace(b"\tCukup Jelas\t", b"\tCukup Jelas ZZZ\t", 1)
    assert "Cukup Jelas ZZZ" in fuzz.lost_cells(extra, doc)  # the model of the seed lacks it
    figures = fuzz.Figures()

    class Broken(fuzz.Checker):  # type: ignore[misc,name-defined]
        def read(self, name: str, data: bytes) -> object:
            raise ZeroDivisionError

    Broken().check("text", seed, figures)
    assert len(figures.crashes) == 1
