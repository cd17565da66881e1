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
    "round_points",
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


def round_ratio(value: Ratio, places: int, rounding: str = "half_up") -> Decimal:
    """``value`` rounded once to ``places`` decimals: half away from zero (``"half_up"``,
    the default), toward zero (``"truncate"``) or half to even (``"half_even"``), as
    :class:`~iki_core.rules.Rounding` names them.

    >>> [str(round_ratio((87125, 1000), 2, m)) for m in ("half_up", "truncate", "half_even")]
    ['87.13', '87.12', '87.12']
    """
    n, d = value
    q = round_points(abs(n) * 10**places, d, rounding)
    return Decimal(-q if n < 0 else q).scaleb(-places, EXACT)


def round_points(n: int, d: int, rounding: str) -> int:
    """``n / d`` (``n >= 0``, ``d > 0``) rounded to an integer by ``rounding``."""
    q, r = divmod(n, d)
    if rounding == "half_up":
        return q + 1 if 2 * r >= d else q
    if rounding == "truncate":
        return q
    if 2 * r > d or (2 * r == d and q & 1):  # half_even
        return q + 1
    return q


def to_decimal(value: Ratio) -> Decimal:
    """Exact when ``value`` has a finite decimal expansion, else 28 significant digits
    (the convention of :meth:`iki_core.units.Quantity.to`); percent and progress are
    always computed from the exact ratio, never from this."""
    n, d = value
    if d == 1:
        return Decimal(n)
    return DIVIDE.divide(Decimal(n), Decimal(d))
