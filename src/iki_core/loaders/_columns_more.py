"""The columns the text layout keeps as text and the other kinds of document give
meaning to (docs/formats.md, "Spreadsheets, Word and PDF"): the baseline and the end of
a Renstra/RPJMD plan, the quarters of a Rencana Aksi, the realisation and the published
achievement of an LKjIP measurement table, and the cells the model cannot represent.

>>> quarter_of("TW I"), quarter_of("Triwulan IV"), quarter_of("Q3"), quarter_of("Target")
(1, 4, 3, None)
>>> column_role("Kondisi Awal 2019"), column_role("Target Akhir Renstra"), column_role("Realisasi")
(('baseline', 2019), ('end', None), ('realisation', None))
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["column_role", "quarter_of"]

_QUARTER: Final = re.compile(
    r"^(?:tw|triwulan|trw|tri\s*wulan|q|kuartal)\s*[-.]?\s*(iv|i{1,3}|[1-4])\.?$", re.IGNORECASE
)
_ROMAN: Final = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ROLES: Final = (
    ("baseline", re.compile(r"^(?:kondisi|status|capaian|posisi)\s+awal|^baseline", re.I)),
    ("end", re.compile(r"^(?:kondisi|target|status)\s+akhir", re.IGNORECASE)),
    ("realisation", re.compile(r"^realisasi\b", re.IGNORECASE)),
    ("achievement", re.compile(r"^(?:%\s*)?(?:persentase\s+)?capaian\b", re.IGNORECASE)),
)
_YEAR: Final = re.compile(r"\b((?:19|20)\d\d)\b")


def quarter_of(header: str) -> int | None:
    """The quarter (1-4) a header such as "TW II" or "Triwulan 3" names."""
    m = _QUARTER.match(re.sub(r"\s+", " ", header).strip())
    if m is None:
        return None
    q = m.group(1).lower()
    return _ROMAN.get(q) or int(q)


def column_role(header: str) -> tuple[str, int | None] | None:
    """("baseline" | "end" | "realisation" | "achievement", the year in the header)."""
    text = re.sub(r"\s+", " ", header).strip()
    for role, pattern in _ROLES:
        if pattern.match(text):
            m = _YEAR.search(text)
            return role, int(m.group(1)) if m is not None else None
    return None


def is_quarter_row(cells: list[str]) -> bool:
    """A row of quarter numbers under a "Triwulan" header: I II III IV or 1 2 3 4."""
    filled = [c.strip().lower().rstrip(".") for c in cells if c.strip()]
    return len(filled) == 4 and (
        filled == ["i", "ii", "iii", "iv"]
        or filled == ["1", "2", "3", "4"]
        or all(quarter_of(c) is not None for c in filled)
    )
