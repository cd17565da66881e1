"""Realisations from records an application already holds: dicts, named tuples, ORM rows.

:func:`realisations_from_records` makes the checks of the realisations CSV reader
(:mod:`iki_core.realisations`) on records instead of text, so that an application that
keeps its own tables need not write them out as CSV first:

>>> from iki_core import loaders
>>> doc = loaders.load("examples/kesbangpol_lampung_barat_2018-2022.txt")
>>> rs = realisations_from_records([
...     {"indicator": "3:1", "period": "2021-Q3", "value": "95 orang", "reported_on": "2021-10-06"},
...     {"indicator": "2:1.1", "period": "2021-07", "value": 41.0},
...     {"indicator": "1:1", "period": "2021-Q1", "numerator": 2, "denominator": 2},
... ], doc)
>>> [(r.indicator, str(r.period), r.reported_on) for r in rs]
[('3:1', '2021-Q3', datetime.date(2021, 10, 6)), ('1:1', '2021-Q1', None)]
>>> for d in rs.diagnostics:
...     print(d)
error [bad-value] record 1: value: expected Decimal or int (floats lose digits; pass \
Decimal(str(x))), got float 41.0
>>> rs.skipped
(1,)

A record is read by field name: a mapping's keys, a named tuple's fields, an SQLAlchemy
row's columns or any object's attributes (an ORM instance). The names are those of the
CSV format (``indicator``, ``period``, ``value``, ``numerator``, ``denominator``,
``reported_on``, ``note``) or their Indonesian aliases, in any case; ``fields`` maps other
names (``{"indicator": "kode_indikator"}``). Values may be text as in the CSV file
(``"2021-Q3"``, ``"95 orang"``, ``"1.250"``) or Python values: a
:class:`~iki_core.periods.Period`, a :class:`~iki_core.units.Quantity`, an ``int`` or a
``Decimal`` (a bare number, in the indicator's unit), a ``date`` or a ``datetime``. A
``float`` is refused: it has lost digits already.

Every bad record is reported, with its index (from 0, the position in ``records``), and
left out; the others are kept, in order. Indices are in ``skipped``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Final

from iki_core.errors import IkiError, UnitMismatchError
from iki_core.messages import text
from iki_core.model import (
    Diagnostic,
    Document,
    Indicator,
    Realisation,
    SourceText,
    shape_problem,
)
from iki_core.numbers import parse_number, to_decimal
from iki_core.periods import Period, parse_date
from iki_core.realisation_checks import kind_problems, period_problems
from iki_core.realisations import COLUMN_ALIASES, COLUMNS, RealisationSet, check_realisations
from iki_core.units import BARE, Quantity, UnitRegistry, get_registry

__all__ = ["realisations_from_records"]

_ALIASES: Final[Mapping[str, str]] = {k: v for k, v in COLUMN_ALIASES.items() if v in COLUMNS}
"""The Indonesian names of the realisation fields, as the CSV reader accepts them."""


class _Bad(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @classmethod
    def worded(cls, code: str, section: str = "reader", **params: object) -> _Bad:
        """The problem ``code``, worded as the realisations reader (``section`` "reader")
        or :func:`check_realisations` ("check") words it."""
        return cls(code, text(f"diagnostic.{section}.{code}", "en", **params))


def _fields(record: object, names: Mapping[str, str]) -> dict[str, object]:
    """The record's values under the format's names."""
    raw: Mapping[str, object] | None
    if isinstance(record, Mapping):
        raw = record
    else:
        mapping = getattr(record, "_mapping", None)  # an SQLAlchemy row
        asdict = getattr(record, "_asdict", None)  # a named tuple
        if isinstance(mapping, Mapping):
            raw = mapping
        elif callable(asdict):
            raw = asdict()
        else:
            raw = None
    out: dict[str, object] = {}
    for column in COLUMNS:
        wanted = names.get(column)
        if wanted is not None:
            keys = [wanted]
        else:
            keys = [column, *(a for a, c in _ALIASES.items() if c == column)]
        for key in keys:
            if raw is not None:
                found = next((v for k, v in raw.items() if str(k).lower() == key), None)
            else:
                found = getattr(record, key, None)
            if found is not None and found != "":
                out[column] = found
                break
    return out


def _period(value: object) -> Period:
    if isinstance(value, Period):
        return value
    if isinstance(value, str):
        try:
            return Period.parse(value, field="period")
        except IkiError as exc:
            raise _Bad("bad-period", str(exc)) from None
    raise _Bad("bad-period", f"period: expected a Period or text such as '2021-Q3', got {value!r}")


def _number(value: object, field: str) -> Decimal:
    try:
        number = parse_number(value) if isinstance(value, str) else to_decimal(value, field=field)
    except IkiError as exc:
        text = str(exc)
        raise _Bad("bad-number", text if text.startswith(field) else f"{field}: {text}") from None
    if number < 0:
        raise _Bad("negative", f"{field}: {value!r} is negative")
    return number


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip()).date()
        except ValueError:
            pass
        try:
            return parse_date(value, field="reported_on")
        except IkiError as exc:
            raise _Bad("bad-date", str(exc)) from None
    raise _Bad("bad-date", f"reported_on: expected a date or text, got {value!r}")


class _Converter:
    def __init__(self, document: Document, registry: UnitRegistry) -> None:
        self.registry = registry
        self.indicators: dict[str, Indicator] = dict(document.references())

    def quantity(self, value: object, indicator: Indicator, reference: str) -> Quantity:
        try:
            if isinstance(value, Quantity):
                q = value
            elif isinstance(value, str):
                q = self.registry.parse_quantity(value, field="value")
            else:
                q = Quantity(to_decimal(value, field="value"), BARE)
        except IkiError as exc:
            raise _Bad("bad-value", str(exc)) from None
        unit = indicator.unit
        text = q.text if q.text is not None else (value if isinstance(value, str) else None)
        if q.magnitude < 0 and unit.dimension != "[persen]":
            raise _Bad("negative", f"value: {value!r} is negative")
        if q.unit.is_bare:
            return Quantity(q.magnitude, unit, text=text, noun=q.noun)
        if not q.unit.is_compatible(unit):
            err = UnitMismatchError(
                text or str(q),
                unit.name or "a bare number",
                left_unit=q.unit.name,
                right_unit=unit.name,
                field=f"value for {reference}",
            )
            raise _Bad("unit-mismatch", str(err))
        if q.unit == unit:
            return q
        return Quantity(q.to(unit).magnitude, unit, text=text, noun=q.noun)

    def convert(self, cells: dict[str, object], index: int) -> Realisation:
        reference = "".join(str(cells.get("indicator", "")).split())
        if not reference:
            raise _Bad.worded("missing-indicator")
        indicator = self.indicators.get(reference)
        if indicator is None:
            raise _Bad.worded("unknown-indicator", text=reference)
        if "period" not in cells:
            raise _Bad.worded("missing-period")
        period = _period(cells["period"])
        if "period-kind" in period_problems(period, ()):
            raise _Bad.worded(
                "period-kind", "check", reference=reference, period=period, kind=period.kind
            )
        has_value = "value" in cells
        shape = shape_problem(
            value=has_value, numerator="numerator" in cells, denominator="denominator" in cells
        )
        if shape == "incomplete-ratio":
            missing = "denominator" if "numerator" in cells else "numerator"
            raise _Bad.worded(shape, reference=reference, column=missing)
        if shape is not None:
            raise _Bad.worded(shape, reference=reference)
        value = numerator = denominator = None
        if not has_value:
            numerator = _number(cells["numerator"], "numerator")
            denominator = _number(cells["denominator"], "denominator")
        else:
            if "value-for-percentage" in kind_problems(indicator, value=True, ratio=False):
                raise _Bad.worded("value-for-percentage", "check", reference=reference)
            value = self.quantity(cells["value"], indicator, reference)
        reported_on = _date(cells["reported_on"]) if "reported_on" in cells else None
        note = cells.get("note", "")
        return Realisation(
            reference,
            period,
            value=value,
            numerator=numerator,
            denominator=denominator,
            reported_on=reported_on,
            note=note if isinstance(note, str) else str(note),
            source=SourceText(cells=tuple((k, str(v)) for k, v in cells.items())),
        )


def realisations_from_records(
    records: Iterable[object],
    document: Document,
    *,
    fields: Mapping[str, str] | None = None,
    registry: UnitRegistry | None = None,
) -> RealisationSet:
    """Read realisations from ``records`` against ``document`` (see the module
    documentation): every bad record reported with its index, the good ones kept."""
    converter = _Converter(document, registry or get_registry())
    names = {k: v.lower() for k, v in (fields or {}).items()}
    for name in names:
        if name not in COLUMNS:
            raise _invalid_field(name)
    good: list[tuple[int, Realisation]] = []
    problems: dict[int, list[Diagnostic]] = {}
    count = 0
    for index, record in enumerate(records):
        count += 1
        try:
            good.append((index, converter.convert(_fields(record, names), index)))
        except _Bad as bad:
            problems.setdefault(index, []).append(_diag(index, bad.code, bad.message))
        except IkiError as exc:  # a rule of the model (Realisation's own checks)
            problems.setdefault(index, []).append(_diag(index, "bad-record", str(exc)))
    for d in check_realisations(document, [r for _, r in good]):
        head, _, rest = d.message.partition(": ")
        position = int(head.split()[-1])  # "realisation 3": its position among the good
        index = good[position - 1][0]
        message = _renumber(rest, good)
        problems.setdefault(index, []).append(_diag(index, d.code, message))
    skipped = sorted(problems)
    kept = [r for i, r in good if i not in problems]
    diagnostics = [d for i in skipped for d in problems[i]]
    return RealisationSet(kept, diagnostics, skipped, source=f"{count} records")


def _renumber(message: str, good: list[tuple[int, Realisation]]) -> str:
    # "... reported on realisation 2 (...)" names a position among the good records
    marker = "reported on realisation "
    if marker not in message:
        return message
    head, _, tail = message.partition(marker)
    number, _, rest = tail.partition(" ")
    return f"{head}reported in record {good[int(number) - 1][0]} {rest}"


def _diag(index: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(None, "error", code, f"record {index}: {message}")


def _invalid_field(name: str) -> IkiError:
    from iki_core.errors import InvalidValueError

    return InvalidValueError(
        field="fields", expected=f"names among {', '.join(COLUMNS)}", value=name
    )
