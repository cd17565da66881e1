"""The roles of a sheet's columns: which header names No, Sasaran, Indikator, Penjelasan,
Satuan, Sumber Data or a year, shared by the text and CSV loaders (docs/formats.md).

>>> classify_header("Indikator Kinerja"), classify_header("Target 2021")
('indikator', 2021)
>>> classify_header("Nama Indikator"), classify_header("N0"), classify_header("Cara Perhitungan")
('indikator', 'no', 'penjelasan')
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Final

import attrs

__all__ = ["FIELD_NAMES", "classify_header"]

# --- roles of columns ---------------------------------------------------------------------
NO, SASARAN, INDIKATOR, PENJELASAN, SATUAN, SUMBER, TARGET = (
    "no",
    "sasaran",
    "indikator",
    "penjelasan",
    "satuan",
    "sumber",
    "target",
)

FIELD_NAMES: Final = {
    NO: "No",
    SASARAN: "Sasaran",
    INDIKATOR: "Indikator",
    PENJELASAN: "Penjelasan",
    SATUAN: "Satuan",
    SUMBER: "Sumber Data",
}
"""The name of each column in :class:`~iki_core.model.SourceText` cells; year columns
are named ``"target 2018"``, columns of unknown headers keep their header text."""

_YEAR: Final = re.compile(r"(?:target|tahun|year)?\s*((?:19|20)\d\d)", re.IGNORECASE)
_NO_HEADER: Final = frozenset(
    {"no", "no.", "nomor", "number", "nr", "nr.", "#", "n0", "n0.", "no urut", "nomor urut"}
)
_ROLE_WORDS: Final = (
    (SASARAN, ("sasaran", "objective", "goal", "tujuan")),
    (
        INDIKATOR,
        ("indikator", "indicator", "performance indicator", "key performance", "nama indikator"),
    ),
    (
        PENJELASAN,
        (
            "penjelasan",
            "explanation",
            "formula",
            "definisi",
            "definition",
            "alasan",
            "rumus",
            "cara perhitungan",
            "metode perhitungan",
        ),
    ),
    (SUMBER, ("sumber", "data source", "source")),
)
_HEADER_STARTS: Final = frozenset({"indi", "perf", "key ", "nama"})
"""How an Indikator header starts: rows without such a cell are not headers."""
_SATUAN_HEADER: Final = frozenset({"satuan", "unit", "units"})
_SPACES: Final = re.compile(r"\s+")
_WORD: Final = re.compile(r"[A-Za-z]+")
_CLASSIFIER_WORDS: Final = (
    "dokumen",
    "laporan",
    "orang",
    "peserta",
    "kegiatan",
    "unit",
    "kali",
    "paket",
    "berkas",
    "buku",
    "jenis",
    "persen",
)


def classify_header(cell: str) -> str | int | None:
    """The role of a header cell: a role name, a year (int), or None when unknown.

    >>> classify_header("Sasaran / Kinerja"), classify_header("Target 2021"), classify_header("x")
    ('sasaran', 2021, None)
    """
    text = _SPACES.sub(" ", cell).strip().lower()
    if not text:
        return None
    if text in _NO_HEADER:
        return NO
    m = _YEAR.fullmatch(text)
    if m is not None:
        return int(m.group(1))
    if text == TARGET:
        return TARGET
    if text in _SATUAN_HEADER:
        return SATUAN
    for role, words in _ROLE_WORDS:
        if text.startswith(words):
            return role
    return None


_INDICATOR_STARTS: Final = frozenset(
    w[:3] for role, words in _ROLE_WORDS if role == INDIKATOR for w in words
)
"""The first three letters of every Indikator header word ("ind", "per", "key", "nam")."""


def may_name_indicator(cells: Sequence[str]) -> bool:
    """False when no cell of a row can be an Indikator header (:func:`classify_header`
    would read none as "indikator"), without normalising each cell: that reading needs the
    normalised text to start with an Indikator word, whose first three letters are not
    spaces, so the cell's own first three characters after its leading spaces, lowered
    one by one, start with the same three letters (lowering neither makes nor unmakes a
    space). The whole row, lowered, holds those letters first: one search of one text
    for the many rows of data that do not.

    >>> may_name_indicator(["1", "  Indikator Kinerja"]), may_name_indicator(["12 laporan"])
    (True, False)
    >>> may_name_indicator(["Jumlah peserta", "Kenaikan indeks"])
    False
    """
    row = "\t".join(cells).lower()
    if not any(start in row for start in _INDICATOR_STARTS):
        return False
    return any(c.lstrip()[:3].lower()[:3] in _INDICATOR_STARTS for c in cells)


def _is_year_row(cells: Sequence[str]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and all(_YEAR.fullmatch(c) and c[:1].isdigit() for c in filled)


def _is_column_number_row(cells: Sequence[str]) -> bool:
    filled = [c for c in cells if c]
    if len(filled) < 4 or filled[0] != "1":  # most rows: found without numbering them all
        return False
    return filled == [str(i) for i in range(1, len(filled) + 1)]


@attrs.define(slots=False)
class _Columns:
    roles: dict[int, str]
    years: list[tuple[int, int]]
    names: dict[int, str]
    line: int

    def index(self, role: str) -> int | None:
        return self._positions.get(role)

    @functools.cached_property
    def _positions(self) -> dict[str, int]:
        """The first column of each role."""
        positions: dict[str, int] = {}
        for i, r in self.roles.items():
            positions.setdefault(r, i)
        return positions

    def field(self, index: int) -> str:
        role = self.roles.get(index)
        if role is not None:
            return FIELD_NAMES[role]
        for i, year in self.years:
            if i == index:
                return f"target {year}"
        return self.names.get(index) or f"column {index + 1}"

    @functools.cached_property
    def fields(self) -> list[str]:
        """The field name of each column, in order."""
        return [self.field(i) for i in range(self.width)]

    @functools.cached_property
    def width(self) -> int:
        """The number of columns the header names (the last one's position, plus one)."""
        indices = [*self.roles, *(i for i, _ in self.years), *self.names]
        return max(indices) + 1 if indices else 0
