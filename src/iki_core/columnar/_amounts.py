"""Decimal columns and target texts as scaled integers, for the kernel.

A decimal column becomes int64 values x 10**6 (:func:`ints`), exact, with a mask of the
rows where that is possible; :func:`common_places` finds the fewest decimals that hold a
set of such columns, and :func:`parse_amounts` reads the target cells the kernel covers
("12,5 orang" in the indicator's unit) as decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from .tables import decimal_type

__all__ = ["PLACES", "Bools", "Ints", "common_places", "ints", "parse_amounts"]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
_NUMBER: Final = r"^(?P<n>[0-9]+(?:,[0-9]+)?)(?: (?P<u>.+))?$"

PLACES: Final = 6
"""Decimals the kernel's integers carry at most; a value with more goes to the engine."""


def ints(column: pa.ChunkedArray | pa.Array) -> tuple[Ints, Bools]:
    """Decimals x 10**6 as int64 (exact) and where that is possible (False: null, more
    than six decimals or beyond int64)."""
    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    n = len(arr)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.bool_)
    valid = pc.is_valid(arr).to_numpy(zero_copy_only=False)
    try:
        scaled = pc.cast(arr, decimal_type(PLACES))  # refuses to lose digits
        whole = valid
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        scaled = pc.cast(arr, decimal_type(PLACES), safe=False)
        back = pc.cast(scaled, arr.type)
        whole = valid & pc.fill_null(pc.equal(back, arr), False).to_numpy(zero_copy_only=False)
    words = np.frombuffer(scaled.buffers()[1], dtype=np.int64)
    words = words[2 * scaled.offset : 2 * (scaled.offset + n)].reshape(n, 2)
    low, high = words[:, 0].copy(), words[:, 1]
    ok = whole & (high == (low >> 63))
    low[~ok] = 0
    return low, ok


def common_places(columns: Sequence[tuple[Ints, Bools]]) -> int:
    """The fewest decimals that hold every value of ``columns`` (each x 10**6) exactly."""
    for places in range(PLACES):
        unit = 10 ** (PLACES - places)
        if all(not (v[ok] % unit).any() for v, ok in columns):
            return places
    return PLACES


def parse_amounts(text: pa.ChunkedArray, unit: pa.ChunkedArray) -> tuple[pa.Array, Bools]:
    """Target texts "12,5 orang" in the indicator's unit as decimals; False where the text
    is anything else (a range, another unit, thousands dots: the engine reads those)."""
    found = pc.extract_regex(text.combine_chunks(), _NUMBER)
    number = pc.struct_field(found, "n")
    same_unit = pc.equal(pc.struct_field(found, "u"), unit.combine_chunks())
    ok = pc.fill_null(pc.and_(pc.is_valid(found), same_unit), False)
    number = pc.if_else(ok, pc.replace_substring(number, ",", "."), "0")
    value = pc.cast(number, decimal_type())
    return value, ok.to_numpy(zero_copy_only=False)
