"""The recogniser's quick test of a row (``may_name_indicator``) never turns away a row
that :func:`classify_header` reads as naming the Indikator column."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from iki_core.loaders._columns import classify_header, may_name_indicator

_WORDS = ("indikator", "indicator", "performance indicator", "key performance", "nama indikator")
_SPACES = st.text(alphabet=" \t\n\r\x0b\x0c\u00a0\u2003\u3000\x1c", max_size=3)
_CASES = st.sampled_from((str.lower, str.upper, str.title, str.swapcase))


@st.composite
def _cells(draw: st.DrawFn) -> str:
    word = draw(st.sampled_from(_WORDS))
    word = draw(_CASES)(word)
    word = word.replace(" ", draw(_SPACES) or " ")
    return draw(_SPACES) + word + draw(st.text(max_size=6)) + draw(_SPACES)


@given(st.lists(st.text(max_size=12), max_size=3), _cells(), st.lists(st.text(max_size=12)))
def test_no_indicator_header_is_turned_away(before: list[str], cell: str, after: list[str]) -> None:
    # An Indikator word after any spaces, in any case, its spaces any run of spaces:
    # classify_header reads it as the Indikator column (src/iki_core/loaders/_columns.py).
    assert classify_header(cell) == "indikator"
    assert may_name_indicator([*before, cell, *after])


@given(st.lists(st.text(max_size=12), max_size=6))
def test_any_text(cells: list[str]) -> None:
    if "indikator" in [classify_header(c) for c in cells]:
        assert may_name_indicator(cells)


def test_rows_of_data_are_turned_away() -> None:
    # Data rows as benchmarks/bench_loader.py writes them: no cell starts as a header does.
    assert not may_name_indicator(["1", "Terlaksananya kegiatan 1", "Jumlah kegiatan 0", "5 unit"])
    # A word inside a cell is not its start: "indeks" is found, then each cell is read.
    assert not may_name_indicator(["Jumlah peserta", "Kenaikan indeks"])
    assert may_name_indicator(["No", "Sasaran", "  INDIKATOR\tKinerja", "Target"])
    assert may_name_indicator(["Key\u3000Performance Indicator"])
    assert classify_header("Key\u3000Performance Indicator") == "indikator"
