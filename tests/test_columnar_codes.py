"""Integer indicator codes in place of the "sheet:id" references (iki_core.columnar):
an indicators table whose ``reference`` is an integer and a realisations table whose
``indicator`` is the same integer give the object engine's rows, under the codes.

The engine (``iki_core.engine.achievements``) is the reference, as in test_columnar.py;
the codes are drawn at random (any distinct integers), in Arrow, dictionary and frame
columns.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iki_core.columnar import achievements_from_tables, indicators_table, realisations_table
from iki_core.errors import UnknownIndicatorError
from iki_core.model import Document, Realisation
from iki_core.periods import Period
from iki_core.rules import Rules
from tests.strategies import engine_rules
from tests.test_columnar import (
    YEAR_PERIODS,
    _count_doc,
    _values,
    documents_and_realisations,
    engine_rows,
    table_rows,
)


def _coded(
    ind: pa.Table, real: pa.Table, codes: dict[str, int], kind: pa.DataType
) -> tuple[pa.Table, pa.Table]:
    """The tables with each reference replaced by its code, as ``kind``."""
    keys, values = pa.array(list(codes)), pa.array(list(codes.values()), kind)
    out = []
    for table, name in ((ind, "reference"), (real, "indicator")):
        at = table.schema.get_field_index(name)
        coded = pc.take(values, pc.index_in(table[name], value_set=keys))
        out.append(table.set_column(at, name, coded))
    return out[0], out[1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=documents_and_realisations(),
    rules=engine_rules(),
    chunk=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
    kind=st.sampled_from([pa.int64(), pa.int32(), pa.uint16()]),
    dictionary=st.booleans(),
)
def test_integer_codes_give_the_engines_rows(
    case: tuple[Document, list[Realisation]],
    rules: Rules,
    chunk: int,
    seed: int,
    kind: pa.DataType,
    dictionary: bool,
) -> None:
    doc, reals = case
    ind, real = indicators_table(doc), realisations_table(reals)
    refs = list(dict.fromkeys(ind["reference"].to_pylist()))
    rng = np.random.default_rng(seed)
    drawn = rng.choice(60_000, len(refs), replace=False)  # distinct, in any order
    codes = {ref: int(c) for ref, c in zip(refs, drawn, strict=True)}
    ind, real = _coded(ind, real, codes, kind)
    if dictionary:
        real = real.set_column(0, "indicator", real["indicator"].dictionary_encode())
    table = achievements_from_tables(ind, real, YEAR_PERIODS, rules, chunk=chunk)
    assert isinstance(table, pa.Table)
    assert table.schema.field("reference").type.value_type == pa.int64()
    text_of = {c: ref for ref, c in codes.items()}
    rows = [(text_of[int(str(r[0]))], *r[1:]) for r in table_rows(table)]
    assert rows == engine_rows(doc, reals, rules)


def test_a_code_naming_no_indicator_is_refused() -> None:
    doc = _count_doc("8 orang")
    ind, real = _coded(
        indicators_table(doc),
        realisations_table(_values(("2021", "9 orang"))),
        {"1:1": 7},
        pa.int64(),
    )
    real = real.set_column(0, "indicator", pa.array([8], pa.int64()))
    with pytest.raises(UnknownIndicatorError, match="no indicator '8'"):
        achievements_from_tables(ind, real, [Period.parse("2021")])


def test_a_code_facing_text_references_is_read_as_its_text() -> None:
    """Integer codes on one side only: read as text ("7"), as before codes were
    accepted, so a text reference "7" meets the integer 7."""
    doc = _count_doc("8 orang")
    ind = indicators_table(doc)
    ind = ind.set_column(0, "reference", pa.array(["7"]))
    real = realisations_table(_values(("2021", "9 orang")))
    real = real.set_column(0, "indicator", pa.array([7], pa.int64()))
    table = achievements_from_tables(ind, real, [Period.parse("2021")])
    assert isinstance(table, pa.Table)
    assert table["reference"].to_pylist() == ["7"]
    # 9 against 8 orang (PermenPANRB 8/2021: R / T x 100) = 112.50
    assert table["percent"].to_pylist() == [Decimal("112.50")]


def test_codes_in_frames() -> None:
    pl = pytest.importorskip("polars")
    doc = _count_doc("8 orang")
    ind, real = _coded(
        indicators_table(doc),
        realisations_table(_values(("2021-Q1", "1 orang"), ("2021", "9 orang"))),
        {"1:1": 41},
        pa.int32(),
    )
    out = achievements_from_tables(pl.from_arrow(ind), pl.from_arrow(real), [Period.parse("2021")])
    assert isinstance(out, pl.DataFrame)
    assert out["reference"].to_list() == [41]
    # a quarter and the year overlap: the engine's row (it warns), under the code
    assert out["path"].to_list() == ["engine"]
