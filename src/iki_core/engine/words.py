"""Numbers written in a catalogue's language, for notices and explain().

>>> from decimal import Decimal
>>> local_number(Decimal("1234.5"), "id"), local_number(Decimal("1234.5"), "en")
('1.234,5', '1,234.5')
>>> local_number(Decimal("87.5"), "id", places=2, percent=True)
'87,50%'
"""

from __future__ import annotations

from decimal import Decimal

from iki_core.messages import text
from iki_core.numbers import format_number

__all__ = ["local_number"]


def local_number(
    value: Decimal | int,
    lang: str,
    *,
    places: int | None = None,
    percent: bool = False,
    grouping: bool = True,
) -> str:
    """``value`` written with the separators of ``lang``'s catalogue (``number.group``,
    ``number.decimal``), rounded half-up to ``places`` when given."""
    if lang == "id":
        return format_number(value, places=places, lang="id", percent=percent, grouping=grouping)
    plain = format_number(value, places=places, lang="en", percent=percent, grouping=grouping)
    group, decimal = text("number.group", lang), text("number.decimal", lang)
    return "".join(group if c == "," else decimal if c == "." else c for c in plain)
