"""Small helpers on the values of a table's cells, shared by the table reader and the
columns read after it (baseline, end of plan, quarters)."""

from __future__ import annotations

from iki_core.model import Range
from iki_core.units import Quantity, Unit

__all__ = ["in_unit", "markup_part"]


def in_unit(value: Quantity | Range, unit: Unit) -> Quantity | Range:
    """``value`` (a quantity or a range) with its magnitudes in ``unit``, as written."""
    if isinstance(value, Range):
        low, high = in_unit(value.low, unit), in_unit(value.high, unit)
        assert isinstance(low, Quantity)
        assert isinstance(high, Quantity)
        return Range(low, high)
    return Quantity(value.magnitude, unit, text=value.text, noun=value.noun)


def markup_part(text: str) -> str:
    """The TeX-like part of an explanation (``$...$``), or its first 40 characters."""
    start = text.find("$")
    if start >= 0:
        end = text.find("$", start + 1)
        return text[start : end + 1] if end > start else text[start:]
    return text[:40]
