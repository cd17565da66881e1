"""Aligned chunks (one row per indicator, its realisations one per period wanted, in
order: iki_core.columnar._to_date) give the object engine's rows, and the same rows as
the general way of looking each period's entry up.

The engine (``iki_core.engine.achievements``) is the reference, as in test_columnar.py;
here the periods wanted follow one another from January (the quarters, the months, the
semesters, the year), the realisations are drawn at every grain (so that some chunks are
aligned and some are not), late, missing, X above Y, in other units.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iki_core import engine
from iki_core.columnar import (
    _to_date,
    achievements_from_tables,
    indicators_table,
    realisations_table,
)
from iki_core.columnar.synthetic import agency_tables
from iki_core.model import Document, Realisation
from iki_core.periods import Period, PeriodKind
from iki_core.rules import DEFAULT_RULES, Rules
from tests.strategies import ENGINE_YEAR, engine_rules
from tests.test_columnar import documents_and_realisations, table_rows

CHAINS = [Period(ENGINE_YEAR).children(kind) for kind in PeriodKind] + [[Period(ENGINE_YEAR)]]
"""The quarters, the months, the semesters and the year of the generated documents."""


def _rows(
    doc: Document, reals: list[Realisation], periods: list[Period], rules: Rules
) -> list[tuple[object, ...]]:
    return [
        (
            a.reference,
            str(a.period),
            a.percent,
            a.progress,
            a.status.value,
            a.rating,
            a.nilai,
            list(a.warnings),
        )
        for a in engine.achievements(doc, reals, periods, rules)
    ]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=documents_and_realisations(),
    rules=engine_rules(),
    chain=st.sampled_from(range(len(CHAINS))),
    chunk=st.integers(1, 8),
)
def test_aligned_chunks_equal_the_engine(
    case: tuple[Document, list[Realisation]], rules: Rules, chain: int, chunk: int
) -> None:
    doc, reals = case
    periods = list(CHAINS[chain])
    table = achievements_from_tables(
        indicators_table(doc), realisations_table(reals), periods, rules, chunk=chunk
    )
    assert isinstance(table, pa.Table)
    assert table_rows(table) == _rows(doc, reals, periods, rules)


def _counted(monkeypatch: pytest.MonkeyPatch, aligned: bool) -> list[bool]:
    """Which way each chunk took (True: aligned); with ``aligned`` False, never aligned."""
    taken: list[bool] = []
    original: Callable[..., _to_date.ToDate | None] = _to_date._aligned

    def spy(*args: object) -> _to_date.ToDate | None:
        done = original(*args) if aligned else None
        taken.append(done is not None)
        return done

    monkeypatch.setattr(_to_date, "_aligned", spy)
    return taken


@pytest.mark.parametrize("late", [0.0, 0.3])
@pytest.mark.parametrize("ranges", [0.0, 0.2])
def test_aligned_and_general_give_the_same_table(
    monkeypatch: pytest.MonkeyPatch, late: float, ranges: float
) -> None:
    """A synthetic agency without missing reports: every chunk is aligned (late reports
    and range targets included), and its table is the general way's, column by column."""
    ind, real = agency_tables("T", 300, seed=3, late=late, missing=0, ranges=ranges)
    periods = [Period.quarter(2025, q) for q in range(1, 5)]
    taken = _counted(monkeypatch, aligned=True)
    fast = achievements_from_tables(ind, real, periods, DEFAULT_RULES, chunk=512)
    assert taken == [True] * 5  # 2,400 indicators, 512 a chunk
    monkeypatch.undo()
    taken = _counted(monkeypatch, aligned=False)
    slow = achievements_from_tables(ind, real, periods, DEFAULT_RULES, chunk=512)
    assert taken == [False] * 5
    assert isinstance(fast, pa.Table)
    assert isinstance(slow, pa.Table)
    assert fast.equals(slow)
    paths = np.asarray(fast["path"].cast(pa.string()).to_pylist())
    if late:  # a late report sends its period and the later ones to the engine
        assert 0 < (paths == "engine").sum() < len(paths)
    elif not ranges:
        assert (paths == "kernel").all()


def test_a_missing_report_leaves_the_chunk_to_the_general_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One report fewer than indicators x periods: not aligned, the same rows."""
    ind, real = agency_tables("T", 50, seed=3, late=0, missing=0, ranges=0)
    real = real.slice(1)  # the first indicator's first quarter is not reported
    periods = [Period.quarter(2025, q) for q in range(1, 5)]
    taken = _counted(monkeypatch, aligned=True)
    table = achievements_from_tables(ind, real, periods, DEFAULT_RULES)
    assert taken == [False]
    assert isinstance(table, pa.Table)
    # the first indicator has no entry for Q1 nor a run of entries from January (rule 4
    # of iki_core.columnar.frame): the engine's, no figure for Q1, a warning after it
    assert table["path"].cast(pa.string()).to_pylist()[:4] == ["engine"] * 4
    assert table["percent"].to_pylist()[0] is None
    assert all(table["warnings"].to_pylist()[1:4])
    assert table["path"].cast(pa.string()).to_pylist()[4:] == ["kernel"] * (len(table) - 4)
