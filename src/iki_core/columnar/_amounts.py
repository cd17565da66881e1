"""Decimal columns and target texts as scaled integers, for the kernel.

A decimal column becomes int64 values x 10**6 (:func:`ints`), exact, with a mask of the
rows where that is possible; :func:`common_places` finds the fewest decimals that hold a
set of such columns, and :func:`parse_amounts` reads the target cells the kernel covers
("12,5 orang" in the indicator's unit) as decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from .tables import decimal_type

__all__ = [
    "PLACES",
    "Bools",
    "Coded",
    "Ints",
    "common_places",
    "fractions",
    "ints",
    "parse_amounts",
    "parse_ranges",
    "present",
]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
_NUMBER: Final = r"^(?P<n>[0-9]+(?:,[0-9]+)?)(?: (?P<u>.+))?$"
_RANGE: Final = r"^(?P<n>[0-9]+(?:,[0-9]+)?)-(?P<h>[0-9]+(?:,[0-9]+)?)(?: (?P<u>.+))?$"

PLACES: Final = 6
"""Decimals the kernel's integers carry at most; a value with more goes to the engine."""


def present(column: pa.ChunkedArray | pa.Array) -> Bools:
    """Where a column is not null."""
    return np.asarray(pc.is_valid(column).to_numpy(zero_copy_only=False), np.bool_)


def ints(column: pa.ChunkedArray | pa.Array, written: Bools | None = None) -> tuple[Ints, Bools]:
    """Decimals x 10**6 as int64 (exact) and where that is possible (False: null, more
    than six decimals or beyond int64); ``written``: where the column is not null, when
    known. The rows not possible read 0 (set by a product: numpy assigns through a mask
    several times slower)."""
    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    n = len(arr)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.bool_)
    valid = written if written is not None else present(arr)
    fast = _divided(arr, valid)
    if fast is not None:
        return fast
    try:
        scaled = pc.cast(arr, decimal_type(PLACES))  # refuses to lose digits
        whole = valid
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        scaled = pc.cast(arr, decimal_type(PLACES), safe=False)
        back = pc.cast(scaled, arr.type)
        whole = valid & pc.fill_null(pc.equal(back, arr), False).to_numpy(zero_copy_only=False)
    low, high = _words(scaled)
    ok = whole & (high == (low >> 63))
    return low * ok, ok


def _words(arr: pa.Array) -> tuple[Ints, Ints]:
    """The low and high 64-bit words of a decimal128 array's values."""
    n = len(arr)
    words = np.frombuffer(arr.buffers()[1], dtype=np.int64)
    words = words[2 * arr.offset : 2 * (arr.offset + n)].reshape(n, 2)
    return words[:, 0], words[:, 1]


def _divided(arr: pa.Array, valid: Bools) -> tuple[Ints, Bools] | None:
    """:func:`ints` by integer arithmetic on the decimal's two words, for a column of
    ``decimal128(p, s)`` with ``6 < s <= 18`` (the tables' decimals have 18 places): the
    value v (x 10**s) divided by u = 10**(s - 6). A floating-point estimate q' of v / u
    (only an estimate, within 2**11 of it when |v / u| < 2**62) leaves the exact rest
    d = v - q' x u, small, which int64 arithmetic gets right from the low word alone
    (mod 2**64); v / u is an integer exactly when u divides d, and then it is
    q' + d / u. None where this does not apply (a column with a quotient near 2**63:
    Arrow's cast does it)."""
    if not pa.types.is_decimal128(arr.type):
        return None
    k = arr.type.scale - PLACES
    if not 0 < k <= 12:
        return None
    low, high = _words(arr)
    if arr.null_count:
        high = high * valid
    shifted = _shifted(low, high, k, valid)
    if shifted is not None:
        return shifted
    unit = 10**k
    approx = high.astype(np.float64)
    approx += low < 0  # the low word is unsigned: 2**64 more where its sign bit is set
    approx *= 2.0**64 / unit
    approx += low.astype(np.float64) * (1.0 / unit)
    if arr.null_count:
        approx[~valid] = 0.0
    if not (approx.max() < 2.0**62 and approx.min() > -(2.0**62)):
        return None
    value = np.rint(approx, out=approx).astype(np.int64)
    rest = np.multiply(value, np.int64(unit))
    with np.errstate(over="ignore"):
        np.subtract(low, rest, out=rest)  # exact: the true rest is far below 2**63
    ok = valid & (rest == 0)  # the estimate exact, as it is below 2**51
    off = np.flatnonzero(valid & ~ok)  # the others: divide their rest
    if len(off):
        quotient, left = np.divmod(rest[off], np.int64(unit))
        value[off] += quotient
        ok[off] = left == 0
    value *= ok
    return value, ok


def _shifted(low: Ints, high: Ints, k: int, valid: Bools) -> tuple[Ints, Bools] | None:
    """:func:`_divided` for the values below 2**(63 + k) in magnitude (v / 10**k below
    some 3.7 x 10**4 for k = 12), in integers only: 10**k is 2**k x 5**k, so v is
    divided exactly by 2**k when its low k bits are 0 (the shift of the two words then
    loses nothing) and the quotient by 5**k when the rest is 0. None when a value is
    beyond that range."""
    top = 1 << (k - 1)
    if not (int(high.max()) < top and int(high.min()) >= -top):
        return None
    low_bits = low.view(np.uint64)
    ok = (low_bits & np.uint64((1 << k) - 1)) == 0
    whole = np.left_shift(high, 64 - k)
    whole += (low_bits >> np.uint64(k)).view(np.int64)
    five = np.int64(5**k)
    value = whole // five  # (numpy's divmod by a constant is slower than // and a product)
    ok &= value * five == whole
    ok &= valid
    value *= ok
    return value, ok


def common_places(columns: Sequence[tuple[Ints, Bools]]) -> int:
    """The fewest decimals that hold every value of ``columns`` (each x 10**6) exactly."""
    # a value's decimals are those of its rest modulo 10**6: test the nonzero rests only
    rests = [fractions(v) for v, _ in columns]  # v is 0 where not ok
    left = np.concatenate(rests) if rests else np.zeros(0, np.int64)
    for places in range(PLACES):
        if not (left % 10 ** (PLACES - places)).any():
            return places
    return PLACES


@attrs.frozen
class Coded:
    """A text column as each row's index among its distinct texts (``at``, into
    ``words``; a null reads as ""): encoded once, read by every pattern."""

    at: npt.NDArray[np.int32]
    """(Arrow's own indices, not copied.)"""
    words: pa.Array

    @classmethod
    def of(cls, column: pa.ChunkedArray | pa.Array) -> Coded:
        coded = pc.fill_null(_combined(column), "").dictionary_encode()
        at = np.asarray(coded.indices.to_numpy(zero_copy_only=False), np.int32)
        return cls(at, coded.dictionary)

    def take(self, rows: Ints) -> Coded:
        """The rows ``rows``."""
        return Coded(self.at[rows], self.words)


def fractions(values: Ints) -> Ints:
    """The nonzero rests of ``values`` (x 10**6) modulo 10**6: the decimals they carry.
    Most values are whole: those are found by a division and a product (numpy divides
    by a constant faster than it takes a rest), the others' rests taken alone."""
    unit = np.int64(10**PLACES)
    whole = values // unit
    whole *= unit
    off = values[whole != values]
    rests: Ints = off % unit
    return rests


def parse_amounts(text: Coded, unit: Coded) -> tuple[Ints, Bools]:
    """Target texts "12,5 orang" in the indicator's unit as decimals x 10**6 (int64, as
    :func:`ints`); False where the text is anything else (a range, another unit, thousands
    dots: the engine reads those) or the value does not fit. The texts repeat (a few
    hundred distinct targets for thousands of indicators): each distinct text is read
    once."""
    (values,), ok = _parse(text, unit, _NUMBER, ("n",))
    return values, ok


def parse_ranges(text: Coded, unit: Coded) -> tuple[Ints, Ints, Bools]:
    """Range targets "80-90 persen", "10,5-20 orang" (in the indicator's unit, the lower
    bound first, as :meth:`iki_core.model.Target.parse` requires) as their two bounds x
    10**6, as :func:`parse_amounts` reads a single one."""
    (low, high), ok = _parse(text, unit, _RANGE, ("n", "h"))
    ok &= low <= high
    return low, high, ok


def _parse(
    text: Coded, unit: Coded, pattern: str, groups: tuple[str, ...]
) -> tuple[list[Ints], Bools]:
    # null cells read as "" (never a number, never a unit a text names)
    found = pc.extract_regex(text.words, pattern)
    read = pc.is_valid(found)
    usable = np.asarray(read.to_numpy(zero_copy_only=False), np.bool_)
    numbers = []
    for group in groups:
        number = pc.struct_field(found, group)
        number = pc.if_else(read, pc.replace_substring(number, ",", "."), "0")
        values, fits = ints(pc.cast(number, decimal_type()))
        usable &= fits
        numbers.append(values)
    # each distinct text's unit among the distinct units (-1: none, or not among them)
    named = pc.index_in(pc.struct_field(found, "u"), value_set=unit.words)
    named = pc.fill_null(named, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    at = text.at
    ok = usable[at] & (named[at] == unit.at)
    return [np.where(ok, v[at], 0) for v in numbers], ok


def _combined(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
