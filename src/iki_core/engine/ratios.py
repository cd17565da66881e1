"""Exact rationals as integer pairs, the engine's arithmetic.

A :data:`Ratio` is ``(numerator, denominator)`` with ``denominator > 0``: cheaper than
:class:`fractions.Fraction` in the hot path, and exact. Results are rounded once, at the
end, half away from zero (:func:`round_ratio`).

>>> add((1, 3), (1, 6))
(9, 18)
>>> round_ratio((1, 8), 2), round_ratio((-1, 8), 2)
(Decimal('0.13'), Decimal('-0.13'))
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from iki_core.numbers import DIVIDE, EXACT

__all__ = [
    "DIVIDE",
    "EXACT",
    "HUNDRED",
    "ONE",
    "ZERO",
    "Ratio",
    "add",
    "lt",
    "normalised",
    "round_ratio",
    "to_decimal",
]

Ratio = tuple[int, int]
"""An exact rational as (numerator, denominator > 0)."""

ONE: Final[Ratio] = (1, 1)
HUNDRED: Final[Ratio] = (100, 1)
ZERO: Final[Ratio] = (0, 1)


def add(a: Ratio, b: Ratio) -> Ratio:
    """``a + b``, not reduced."""
    if a[1] == b[1]:
        return (a[0] + b[0], a[1])
    return (a[0] * b[1] + b[0] * a[1], a[1] * b[1])


def lt(a: Ratio, b: Ratio) -> bool:
    """``a < b``."""
    return a[0] * b[1] < b[0] * a[1]


def normalised(numerator: int, denominator: int) -> Ratio:
    """The ratio with its sign on the numerator (``denominator`` is not 0)."""
    if denominator < 0:
        return (-numerator, -denominator)
    return (numerator, denominator)


def round_ratio(value: Ratio, places: int) -> Decimal:
    """``value`` rounded once, half away from zero, to ``places`` decimals."""
    n, d = value
    q, r = divmod(abs(n) * 10**places, d)
    if 2 * r >= d:
        q += 1
    return Decimal(-q if n < 0 else q).scaleb(-places, EXACT)


def to_decimal(value: Ratio) -> Decimal:
    """Exact when ``value`` has a finite decimal expansion, else 28 significant digits
    (the convention of :meth:`iki_core.units.Quantity.to`); percent and progress are
    always computed from the exact ratio, never from this."""
    n, d = value
    if d == 1:
        return Decimal(n)
    return DIVIDE.divide(Decimal(n), Decimal(d))
