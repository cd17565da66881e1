"""Achievements and roll-ups as JSON-ready data: typed rows and the converter that makes them.

The rows of ``iki report --format json`` are a stable format (docs/cli.md): numbers are
decimal strings, so that no reader turns them into binary floats. :func:`make_converter`
builds a cattrs converter (in the style of ``cattrs.preconf``: one per call or per
configuration, never a shared one) that unstructures :class:`~iki_core.engine.Achievement`
into an :class:`AchievementRow` and :class:`~iki_core.engine.Rollup` into a
:class:`RollupRow`; the notices' texts are in the converter's language.

>>> from decimal import Decimal
>>> from iki_core.engine import Rollup
>>> from iki_core.periods import Period
>>> q3 = Period.parse("2021-Q3")
>>> make_converter("en").unstructure(
...     Rollup("sheet", "1", "KEPALA KANTOR", q3, Decimal("80.36"), 2, "Tinggi"))
{'level': 'sheet', 'reference': '1', 'name': 'KEPALA KANTOR', 'period': '2021-Q3', \
'percent': '80.36', 'count': 2, 'rating': 'Tinggi'}
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Final, NotRequired, TextIO, TypedDict

import cattrs
from cattrs.gen import make_dict_unstructure_fn, override
from cattrs.preconf.json import make_converter as _json_converter

from iki_core import messages
from iki_core.engine import Achievement, Notice, Rollup
from iki_core.model import Range
from iki_core.numbers import EXACT
from iki_core.periods import Period
from iki_core.units import Quantity

from .model import Report

__all__ = [
    "JSON_KEYS",
    "AchievementRow",
    "NoticeRow",
    "QuantityRow",
    "RangeRow",
    "RollupRow",
    "make_converter",
    "report_rows",
    "rollup_rows",
    "write_json",
]


class QuantityRow(TypedDict):
    """A quantity: ``{"value": "412.5", "unit": ""}`` (the unit's name, "" for a bare count);
    a grade, a rank or a ratio adds its ``text`` ("WTP", "Peringkat 3", "1:32")."""

    value: str
    unit: str
    text: NotRequired[str]


class RangeRow(TypedDict):
    """A range target: ``{"low": "80", "high": "90", "unit": "persen"}``."""

    low: str
    high: str
    unit: str


class NoticeRow(TypedDict):
    """A notice: its stable ``code`` and its ``text`` in the report's language."""

    code: str
    text: str


class AchievementRow(TypedDict):
    """One object of ``iki report --format json`` (docs/cli.md, "The JSON format")."""

    indicator: str | None
    name: str
    period: str
    target: QuantityRow | RangeRow | None
    realised: QuantityRow | RangeRow | None
    percent: str | None
    progress: str | None
    status: str
    rating: str | None
    nilai: str | None
    warnings: list[str]
    notices: list[NoticeRow]


class RollupRow(TypedDict):
    """A roll-up per objective or sheet, as JSON-ready data."""

    level: str
    reference: str
    name: str
    period: str
    percent: str | None
    count: int
    rating: str | None


JSON_KEYS: Final = tuple(AchievementRow.__annotations__)
"""The keys of each object of ``iki report --format json``, in order (a stable format)."""


def _places(places: int) -> Callable[[Decimal | None], str | None]:
    """A percent as JSON text with ``places`` decimals (2: ``"95.83"``), or None."""
    step = Decimal(1).scaleb(-places, EXACT)

    def text(value: Decimal | None) -> str | None:
        return None if value is None else format(value.quantize(step, context=EXACT), "f")

    return text


def _plain(value: Decimal) -> str:
    """A magnitude as JSON text: exact when it has at most 4 decimals, else rounded to 4."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        value = value.quantize(Decimal("0.0001"), context=EXACT)
    return format(value, "f")


def _quantity_row(q: Quantity) -> QuantityRow:
    row: QuantityRow = {"value": _plain(q.magnitude), "unit": q.unit.name}
    if q.unit.labels or q.unit.form:
        written = q.unit.written(q.magnitude, format(q.magnitude, "f"))
        if written is not None:
            row["text"] = written
    return row


def _range_row(r: Range) -> RangeRow:
    return {"low": _plain(r.low.magnitude), "high": _plain(r.high.magnitude), "unit": r.unit.name}


def _amount_row(q: Quantity | Range | None) -> QuantityRow | RangeRow | None:
    if q is None:
        return None
    return _range_row(q) if isinstance(q, Range) else _quantity_row(q)


def make_converter(lang: str = "id", *, places: int = 2) -> cattrs.Converter:
    """A new converter that unstructures achievements, roll-ups, notices, quantities,
    ranges and periods into JSON-ready data, with notices' texts in ``lang`` and percents
    with ``places`` decimals (those of the rules, :attr:`iki_core.rules.Rules.places`).

    Each call builds its own converter: register more hooks on it freely.
    """
    messages.check_lang(lang)
    converter = _json_converter()
    percent = _places(places)

    def notice_row(n: Notice) -> NoticeRow:
        return {"code": n.code, "text": n.text(lang)}

    def achievement_row(a: Achievement) -> AchievementRow:
        return {
            "indicator": a.reference,
            "name": a.indicator.name,
            "period": str(a.period),
            "target": _amount_row(a.target),
            "realised": _amount_row(a.realised),
            "percent": percent(a.percent),
            "progress": percent(a.progress),
            "status": str(a.status.value),
            "rating": a.rating,
            "nilai": percent(a.nilai),
            "warnings": list(a.warnings),
            "notices": [notice_row(n) for n in a.notices],
        }

    converter.register_unstructure_hook(Period, str)
    converter.register_unstructure_hook(Quantity, _quantity_row)
    converter.register_unstructure_hook(Range, _range_row)
    converter.register_unstructure_hook(Notice, notice_row)
    converter.register_unstructure_hook(Achievement, achievement_row)
    converter.register_unstructure_hook(
        Rollup,
        make_dict_unstructure_fn(Rollup, converter, percent=override(unstruct_hook=percent)),
    )
    return converter


def report_rows(
    rows: Iterable[Achievement], *, lang: str = "id", places: int = 2
) -> list[AchievementRow]:
    """The achievements as the objects of the stable JSON format (docs/cli.md).

    ``percent``, ``progress`` and ``nilai`` are decimal strings with two places
    (``"95.83"``) or None; ``target`` and ``realised`` are ``{"value": "412.5", "unit":
    "orang"}`` or None; ``status`` is one of achieved, not_achieved, no_target, no_data,
    undefined; ``warnings`` are the notices' texts in English and ``notices`` each notice's
    ``code`` and ``text`` in ``lang``. Percents have ``places`` decimals: pass the
    ``places`` of the rules the achievements were computed under.
    """
    converter = make_converter(lang, places=places)
    hook: Callable[[Achievement], AchievementRow] = converter.get_unstructure_hook(Achievement)
    return [hook(a) for a in rows]


def rollup_rows(rollups: Iterable[Rollup], *, places: int = 2) -> list[RollupRow]:
    """The roll-ups as JSON-ready data: ``percent`` a decimal string with ``places``
    decimals."""
    converter = make_converter(places=places)
    hook: Callable[[Rollup], RollupRow] = converter.get_unstructure_hook(Rollup)
    return [hook(r) for r in rollups]


def write_json(report: Report, out: TextIO) -> None:
    """The ``json`` output: :func:`report_rows` of the report's achievements, in its
    language and with the places of its rules, as an indented JSON array."""
    rows = report_rows(report.achievements, lang=report.lang, places=report.rules.places)
    json.dump(rows, out, ensure_ascii=False, indent=2)
    out.write("\n")
