"""The number locale of a column, read from all its cells (docs/formats.md, "Number
locale").

An Indonesian document writes a decimal comma and a thousands dot ("3,2", "1.250"); a
machine export writes a decimal point ("3.2"). Each number of a cell is evidence:

- both separators: the last one is the decimal ("1.234,5" Indonesian, "1,234.5" English);
- one separator used twice or more groups thousands ("1.250.000" Indonesian,
  "1,250,000" English);
- one separator once, followed by other than three digits, is the decimal ("3,2" and
  "95,50" Indonesian, "3.2" and "95.50" English);
- one separator once, followed by exactly three digits ("1.250", "1,250"), reads both ways:
  it is no evidence, and a column with nothing else is ambiguous.

>>> evidence("1.234,5 orang"), evidence("3.2"), evidence("1.250"), evidence("80-90%")
('id', 'en', 'ambiguous', None)
>>> detect(["3.2", "1.250", "-", "12"]).lang
'en'
>>> found = detect(["1.250", "2.500"])
>>> found.lang, found.ambiguous, found.example
('id', '1.250', '1.250')
>>> detect(["95,5%", "100,00%"]).stated
False
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Final, Literal

import attrs

from iki_core.errors import InvalidValueError
from iki_core.numbers import Lang

__all__ = [
    "NUMBER_LOCALES",
    "ColumnLocale",
    "Evidence",
    "check_number_locale",
    "detect",
    "evidence",
]

NUMBER_LOCALES: Final = ("auto", "id", "en")
"""The number locales a reader takes: detected per column, Indonesian or English."""


def check_number_locale(value: object, field: str) -> None:
    """Refuse a number locale other than :data:`NUMBER_LOCALES`, naming ``field``."""
    if value not in NUMBER_LOCALES:
        raise InvalidValueError(field=field, expected="'auto', 'id' or 'en'", value=value)


Evidence = Literal["id", "en", "ambiguous"]

_NUMERAL: Final = re.compile(r"\d[\d.,]*\d|\d")


def _numeral(n: str) -> Evidence | None:
    dot, comma = n.rfind("."), n.rfind(",")
    if dot >= 0 and comma >= 0:
        return "id" if comma > dot else "en"
    if n.count(".") > 1:
        return "id"
    if n.count(",") > 1:
        return "en"
    at = max(dot, comma)
    if at < 0:
        return None
    if len(n) - at - 1 == 3:
        return "ambiguous"
    return "en" if dot >= 0 else "id"


def evidence(text: str) -> Evidence | None:
    """What the numbers of one cell say of its locale: ``"id"``, ``"en"``,
    ``"ambiguous"`` (a separator before three digits only) or None (no separator)."""
    found = {_numeral(n) for n in _NUMERAL.findall(text)} - {None}
    decisive: Evidence
    for decisive in ("id", "en"):
        if decisive in found and len(found - {"ambiguous"}) == 1:
            return decisive
    if len(found - {"ambiguous"}) > 1:
        return None  # a cell that says both is no evidence
    return "ambiguous" if found else None


@attrs.frozen
class ColumnLocale:
    """How a column's numbers are read: ``lang``; how many cells read each way
    (``id_cells``, ``en_cells``) and one of each (``id_example``, ``en_example``); the
    first ``ambiguous`` cell ("" when none); ``chosen`` when the loader option set it."""

    lang: Lang
    id_cells: int = 0
    en_cells: int = 0
    id_example: str = ""
    en_example: str = ""
    ambiguous: str = ""
    chosen: bool = False

    @property
    def example(self) -> str:
        """The cell that shows how the column is written."""
        own = self.en_example if self.lang == "en" else self.id_example
        return own or self.ambiguous

    @property
    def stated(self) -> bool:
        """True when the reading is worth a diagnostic: an English column, an ambiguous
        one, a column with cells of both kinds, or an option the cells contradict."""
        if self.chosen:
            return (self.en_cells if self.lang == "id" else self.id_cells) > 0
        return (
            self.lang == "en" or self.en_cells > 0 or (self.id_cells == 0 and bool(self.ambiguous))
        )


def detect(texts: Iterable[str], choice: str = "auto") -> ColumnLocale:
    """The locale of a column of cells ``texts``: the option's ``choice`` when it is
    ``"id"`` or ``"en"``; else English when more cells are decisively English than
    Indonesian, Indonesian otherwise (a tie, an ambiguous column and a column without
    separators read the Indonesian way, the convention of the documents)."""
    counts = {"id": 0, "en": 0}
    examples = {"id": "", "en": ""}
    ambiguous = ""
    # each distinct text once, with how many cells hold it, in order of first cell
    # (counted in one pass of C: a column repeats few texts over many rows)
    for text, cells in Counter(texts).items():
        if "." not in text and "," not in text:
            continue
        found = evidence(text)
        if found is None:
            continue
        if found == "ambiguous":
            ambiguous = ambiguous or text.strip()
            continue
        counts[found] += cells
        examples[found] = examples[found] or text.strip()
    lang: Lang
    if choice in ("id", "en"):
        lang = "en" if choice == "en" else "id"
    else:
        lang = "en" if counts["en"] > counts["id"] else "id"
    return ColumnLocale(
        lang,
        counts["id"],
        counts["en"],
        examples["id"],
        examples["en"],
        ambiguous,
        choice in ("id", "en"),
    )
