"""Documents as JSON (docs/formats.md, "JSON"): everything the model holds, exactly.

Numbers that are magnitudes (targets, factors, unit scales) are written as
strings, never as JSON numbers with a fraction, so that no float ever touches
them; units are listed once in a ``units`` table and named by key elsewhere.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from contextvars import ContextVar
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, NoReturn

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from iki_core.errors import IkiError, InvalidValueError
from iki_core.loaders._jsonerrors import At, schema_errors
from iki_core.loaders.context import ReadContext
from iki_core.model import (
    Count,
    Diagnostic,
    Document,
    EventReport,
    EventWindow,
    GradeKind,
    Indicator,
    IndicatorKind,
    PercentageFormula,
    Range,
    RankKind,
    RatioKind,
    ScoreKind,
    SourceText,
    Target,
)
from iki_core.numbers import to_decimal
from iki_core.personnel import Golongan, Nip, Rank
from iki_core.units import Quantity, Unit
from iki_core.valuekinds import GradeScale

__all__ = ["FORMAT", "VERSION", "format_json", "parse_json"]

FORMAT: Final = "iki-core-document"
VERSION: Final = 1

_units: ContextVar[dict[str, Unit]] = ContextVar("iki_core_json_units")
_keys: ContextVar[dict[Unit, str]] = ContextVar("iki_core_json_unit_keys")


def _schema(expected: str, value: object, field: str = "JSON") -> NoReturn:
    raise InvalidValueError(field=field, expected=expected, value=value)


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        _schema(f"{what} as a string", value)
    return value


# --- units and quantities ------------------------------------------------------------------
def _unit_key(unit: Unit) -> str:
    keys = _keys.get()
    key = keys.get(unit)
    if key is None:
        key = unit.name
        n = 2
        while key in _units.get():
            key = f"{unit.name}#{n}"
            n += 1
        keys[unit] = key
        _units.get()[key] = unit
    return key


def _unit_from(key: object) -> Unit:
    table = _units.get()
    k = _text(key, "a unit key")
    if k not in table:
        _schema(f"a unit listed in 'units' (known: {sorted(table)})", k)
    return table[k]


_DECIMAL: Final = re.compile(r"-?[0-9]{1,100}(?:\.[0-9]{1,100})?(?:[eE][-+]?[0-9]{1,9})?")
"""A magnitude as the writer writes it (``str`` of a Decimal). Decimal alone also takes
" 1", "1_000", "NaN" and the digits of other scripts ("١٢"), which no reader of the
document's other formats takes: refused, so a magnitude reads the same everywhere."""


def _decimal(value: object, what: str) -> Decimal:
    """The magnitude ``value`` of the field ``what``; refused naming the field and the value
    as written (the path and line are added by :func:`parse_json`)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        _schema("a string such as '12.5'", value, what)
    if isinstance(value, str) and not _DECIMAL.fullmatch(value):
        _schema("a decimal string such as '12.5'", value, what)
    try:
        return to_decimal(Decimal(value), field=what)
    except ArithmeticError:
        _schema("a decimal string", value, what)
    except IkiError as exc:  # out of range: "1E+999999999" as written, not as a Decimal
        _schema(getattr(exc, "expected", "a magnitude in range"), value, what)


def _quantity_out(q: Quantity) -> dict[str, Any]:
    out: dict[str, Any] = {"magnitude": str(q.magnitude), "unit": _unit_key(q.unit)}
    if q.text is not None:
        out["text"] = q.text
    if q.noun is not None:
        out["noun"] = q.noun
    return out


def _quantity_in(data: object) -> Quantity:
    if not isinstance(data, dict):
        _schema("a quantity object {magnitude, unit}", data)
    return Quantity(
        _decimal(data.get("magnitude"), "magnitude"),
        _unit_from(data.get("unit")),
        text=data.get("text"),
        noun=data.get("noun"),
    )


def _value_out(value: Quantity | Range | None) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, Range):
        return {"low": _quantity_out(value.low), "high": _quantity_out(value.high)}
    return _quantity_out(value)


def _value_in(data: object) -> Quantity | Range | None:
    if data is None:
        return None
    if isinstance(data, dict) and "low" in data:
        return Range(_quantity_in(data["low"]), _quantity_in(data.get("high")))
    return _quantity_in(data)


def _scale_out(scale: GradeScale) -> dict[str, Any]:
    return {
        "key": scale.key,
        "name": scale.name,
        "grades": list(scale.grades),
        "source": scale.source,
        "verified": scale.verified,
        "aliases": dict(scale.aliases),
    }


def _scale_in(data: object) -> GradeScale:
    if not isinstance(data, dict) or set(data) - {
        "key",
        "name",
        "grades",
        "source",
        "verified",
        "aliases",
    }:
        _schema("a grade scale {key, name, grades, source, verified, aliases}", data)
    verified = data.get("verified", False)
    if not isinstance(verified, bool):
        _schema("'verified' as true or false", verified)
    aliases = data.get("aliases", {})
    if not isinstance(aliases, dict):
        _schema("aliases as an object", aliases)
    return GradeScale(
        _text(data.get("key"), "a scale key"),
        _text(data.get("name", ""), "a scale name"),
        data.get("grades"),
        source=_text(data.get("source", ""), "a source"),
        verified=verified,
        aliases={_text(k, "an alias"): _text(v, "a grade") for k, v in aliases.items()},
    )


def _value_kind_out(kind: IndicatorKind) -> dict[str, Any] | None:
    if isinstance(kind, GradeKind):
        return {"type": kind.name, "scale": _scale_out(kind.scale)}
    if isinstance(kind, RankKind | RatioKind):
        return {"type": kind.name}
    if isinstance(kind, ScoreKind):
        return {
            "type": kind.name,
            "low": str(kind.low),
            "high": str(kind.high),
            "label": kind.label,
        }
    return None


def _value_kind_in(kind: object, data: dict[str, Any]) -> IndicatorKind | None:
    if kind == GradeKind.name:
        return GradeKind(_scale_in(data.get("scale")))
    if kind == RankKind.name:
        return RankKind()
    if kind == RatioKind.name:
        return RatioKind()
    if kind == ScoreKind.name:
        return ScoreKind(
            _decimal(data.get("low"), "low"),
            _decimal(data.get("high"), "high"),
            _text(data.get("label", "skor"), "label"),
        )
    return None


def _kind_out(kind: IndicatorKind) -> dict[str, Any]:
    value_kind = _value_kind_out(kind)
    if value_kind is not None:
        return value_kind
    if isinstance(kind, PercentageFormula):
        return {
            "type": kind.name,
            "numerator": kind.numerator,
            "denominator": kind.denominator,
            "factor": str(kind.factor),
        }
    out: dict[str, Any] = {"type": kind.name, "unit": _unit_key(kind.unit)}
    if isinstance(kind, EventReport):
        out["windows"] = [
            {"year": w.year, "first_month": w.first_month, "last_month": w.last_month}
            for w in kind.windows
        ]
    return out


def _kind_in(data: object, _: object = None) -> IndicatorKind:
    if not isinstance(data, dict):
        _schema("a kind object with a 'type'", data)
    kind = data.get("type")
    if kind == PercentageFormula.name:
        return PercentageFormula(
            _text(data.get("numerator", ""), "numerator"),
            _text(data.get("denominator", ""), "denominator"),
            _decimal(data.get("factor", "100"), "factor"),
        )
    value_kind = _value_kind_in(kind, data)
    if value_kind is not None:
        return value_kind
    if kind == Count.name:
        return Count(_unit_from(data.get("unit")))
    if kind == EventReport.name:
        windows = data.get("windows", [])
        if not isinstance(windows, list):
            _schema("a list of windows", windows)
        return EventReport(
            _unit_from(data.get("unit")),
            tuple(converter.structure(w, EventWindow) for w in windows),
        )
    _schema("a kind of type percentage, count, event_report, grade, rank, ratio or score", kind)


# --- the converter -------------------------------------------------------------------------
converter: Final = cattrs.Converter(forbid_extra_keys=True)
"""The cattrs converter of the JSON schema (hooks for units, quantities, kinds...)."""

converter.register_unstructure_hook(Decimal, str)
# a diagnostic's catalogue parameters are not part of the document: its message is
converter.register_unstructure_hook(
    Diagnostic,
    make_dict_unstructure_fn(
        Diagnostic, converter, params=override(omit=True), key=override(omit=True)
    ),
)
converter.register_structure_hook(
    Diagnostic,
    make_dict_structure_fn(
        Diagnostic,
        converter,
        params=override(omit=True),
        key=override(omit=True),
        _cattrs_forbid_extra_keys=True,
    ),
)
converter.register_structure_hook(Decimal, lambda v, _: _decimal(v, "number"))
converter.register_unstructure_hook(Fraction, str)
converter.register_unstructure_hook(dt.date, dt.date.isoformat)
converter.register_structure_hook(
    dt.date, lambda v, _: dt.date.fromisoformat(_text(v, "a date YYYY-MM-DD"))
)
converter.register_unstructure_hook(Quantity, _quantity_out)
converter.register_structure_hook(Quantity, lambda v, _: _quantity_in(v))
converter.register_unstructure_hook(
    Target, lambda t: {"year": t.year, "value": _value_out(t.value), "text": t.text}
)


def _target_in(data: object, _: object) -> Target:
    if not isinstance(data, dict) or set(data) - {"year", "value", "text"}:
        _schema("a target object {year, value, text}", data)
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        _schema("a year as an integer", year)
    return Target(year, _value_in(data.get("value")), _text(data.get("text", ""), "text"))


converter.register_structure_hook(Target, _target_in)
converter.register_unstructure_hook_func(lambda t: t == IndicatorKind, _kind_out)
converter.register_structure_hook_func(lambda t: t == IndicatorKind, _kind_in)
converter.register_unstructure_hook(
    SourceText, lambda s: {"line": s.line, "cells": [list(c) for c in s.cells]}
)


def _source_in(data: object, _: object) -> SourceText:
    if not isinstance(data, dict):
        _schema("a source object {line, cells}", data)
    cells = data.get("cells", [])
    if not isinstance(cells, list) or not all(
        isinstance(c, list) and len(c) == 2 and all(isinstance(x, str) for x in c) for c in cells
    ):
        _schema("cells as a list of [field, text] pairs", cells)
    line = data.get("line")
    if line is not None and (not isinstance(line, int) or isinstance(line, bool)):
        _schema("a line number", line)
    return SourceText(line, tuple((c[0], c[1]) for c in cells))


converter.register_structure_hook(SourceText, _source_in)
converter.register_unstructure_hook(
    Rank,
    lambda r: {
        "text": r.text,
        "pangkat": r.pangkat,
        "golongan": None if r.golongan is None else str(r.golongan),
    },
)


def _rank_in(data: object, _: object) -> Rank:
    if not isinstance(data, dict):
        _schema("a rank object {text, pangkat, golongan}", data)
    golongan = data.get("golongan")
    pangkat = data.get("pangkat")
    if pangkat is not None:
        _text(pangkat, "pangkat")
    return Rank(
        pangkat,
        None if golongan is None else Golongan.parse(_text(golongan, "golongan")),
        _text(data.get("text", ""), "text"),
    )


converter.register_structure_hook(Rank, _rank_in)
converter.register_unstructure_hook(
    Nip,
    lambda n: {
        "text": n.text,
        "digits": n.digits,
        "birth_date": n.birth_date.isoformat(),
        "appointed": list(n.appointed),
        "gender": n.gender,
        "sequence": n.sequence,
        "scheme": n.scheme,
    },
)


def _nip_in(data: object, _: object) -> Nip:
    if not isinstance(data, dict):
        _schema("a NIP object {text, ...}", data)
    nip = Nip.parse(_text(data.get("text"), "NIP text"))
    digits = data.get("digits", nip.digits)
    if digits != nip.digits:
        _schema(f"digits {nip.digits!r} as in the NIP's text", digits)
    return nip


converter.register_structure_hook(Nip, _nip_in)


# the fields of Renstra tables and unrepresentable cells are written only when present
_indicator_out = converter.get_unstructure_hook(Indicator)
_OPTIONAL: Final = ("baseline", "end_target", "verbatim")


def _indicator_unstructure(indicator: Indicator) -> dict[str, Any]:
    out: dict[str, Any] = _indicator_out(indicator)
    for key in _OPTIONAL:
        if out.get(key) in (None, [], ()):
            out.pop(key, None)
    return out


converter.register_unstructure_hook(Indicator, _indicator_unstructure)


# --- reading and writing -------------------------------------------------------------------
def format_json(document: Document) -> str:
    """The document as JSON text (indented, keys in model order)."""
    units: dict[str, Unit] = {}
    t1 = _units.set(units)
    t2 = _keys.set({})
    try:
        body = converter.unstructure(document)
    finally:
        _units.reset(t1)
        _keys.reset(t2)
    data = {
        "format": FORMAT,
        "version": VERSION,
        "source": body.pop("source"),
        "units": {key: _unit_out(key, u) for key, u in units.items()},
        **body,
    }
    return _render(data, "") + "\n"


def _unit_out(key: str, unit: Unit) -> dict[str, Any]:
    """A unit of the ``units`` table; its name is written out when the key does not give
    it back (a name with "#" in it, which the key's "#2" suffix would cut)."""
    out: dict[str, Any] = {}
    if key.split("#")[0] != unit.name:
        out["name"] = unit.name
    out |= {"dimension": unit.dimension, "scale": str(unit.scale), "known": unit.known}
    if unit.labels:
        out["labels"] = list(unit.labels)
    if unit.form:
        out["form"] = unit.form
    return out


_encode: Final = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(value, ensure_ascii=False)`` without a new encoder for every value."""


def _render(value: object, indent: str) -> str:
    """JSON with small objects and lists on one line (up to 100 characters).

    Built bottom-up from the children's text, each value encoded once: a container is
    written on one line when its children are and the line fits (a child too long for its
    own line makes its parent longer still), so the cost is linear in the document.
    """
    if not isinstance(value, dict | list) or not value:
        return _encode(value)
    inner = indent + "  "
    if isinstance(value, dict):
        parts = [f"{_encode(k)}: {_render(v, inner)}" for k, v in value.items()]
        opening, closing = "{", "}"
    else:
        parts = [_render(v, inner) for v in value]
        opening, closing = "[", "]"
    if not any("\n" in part for part in parts):
        flat = opening + ", ".join(parts) + closing
        if len(flat) + len(indent) <= 100:
            return flat
    return opening + "\n" + ",\n".join(inner + part for part in parts) + "\n" + indent + closing


def _no_float(text: str) -> NoReturn:
    raise InvalidValueError(
        field="number", expected="a string for a number with a fraction", value=text
    )


_SCALE: Final = re.compile(r"[0-9]{1,40}(?:\.[0-9]{1,40})?(?:/[0-9]{1,40})?")


def _units_in(data: object) -> dict[str, Unit]:
    if not isinstance(data, dict):
        _schema("'units' as an object", data)
    table: dict[str, Unit] = {}
    for key, spec in data.items():
        try:
            table[key] = _unit_in(key, spec)
        except IkiError as exc:
            raise At(("units", key), exc) from exc
    return table


def _unit_in(key: str, spec: object) -> Unit:
    if not isinstance(spec, dict) or set(spec) - {
        "name",
        "dimension",
        "scale",
        "known",
        "labels",
        "form",
    }:
        _schema("a unit {dimension, scale, known}", spec)
    labels = spec.get("labels", [])
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        _schema("labels as a list of texts", labels)
    known = spec.get("known", True)
    if not isinstance(known, bool):
        _schema("'known' as true or false", known)
    scale_text = _text(spec.get("scale", "1"), "scale")
    if not _SCALE.fullmatch(scale_text):
        # Checked before Fraction sees it: "1E+999999999" would be a fraction of a
        # billion digits, "0" and "-1" no scale at all.
        _schema("a positive scale such as '12' or '1/3'", scale_text, "scale")
    try:
        scale = Fraction(scale_text)
    except ZeroDivisionError:
        _schema("a positive scale such as '12' or '1/3'", scale_text, "scale")
    name = _text(spec.get("name", key.split("#")[0]), "unit name")
    return Unit(
        name,
        _text(spec.get("dimension", ""), "dimension"),
        scale,
        known,
        labels=tuple(labels),
        form=_text(spec.get("form", ""), "form"),
    )


def parse_json(text: str, ctx: ReadContext) -> Document:
    """The document of JSON ``text``; problems become error diagnostics."""
    source = ctx.source
    try:
        data = json.loads(text, parse_float=_no_float)
    except json.JSONDecodeError as exc:
        ctx.note(exc.lineno, "error", "json-syntax", {"reason": exc.msg})
        return Document(source=source)
    except (IkiError, RecursionError, ValueError) as exc:
        ctx.note(None, "error", "json-syntax", {"reason": exc})
        return Document(source=source)
    try:
        if not isinstance(data, dict):
            _schema("a JSON object", type(data).__name__)
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            _schema(
                f"format {FORMAT!r} version {VERSION}",
                f"{data.get('format')!r} version {data.get('version')!r}",
            )
        body = {k: v for k, v in data.items() if k not in ("format", "version", "units")}
        token = _units.set(_units_in(data.get("units", {})))
        try:
            document = converter.structure(body, Document)
        finally:
            _units.reset(token)
    except Exception as exc:  # cattrs groups, model validation, unexpected shapes
        errors = (
            schema_errors(exc, data, text)
            if isinstance(exc, cattrs.BaseValidationError | At)
            else [(None, str(exc))]
        )
        for line, message in errors:
            ctx.note(line, "error", "json-schema", {"reason": message})
        return Document(source=source)
    if document.source is None and source is not None:
        document = Document(document.sheets, document.diagnostics, source)
    return document
