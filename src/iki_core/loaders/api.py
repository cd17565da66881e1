"""The entry points: :func:`load`, :func:`loads`, :func:`dump`, :func:`dumps`.

>>> doc = loads("No\\tSasaran\\tIndikator\\tPenjelasan\\t2021\\tSumber Data\\n"
...             "1\\tTersedianya jasa surat\\tJumlah surat masuk\\tCukup Jelas\\t550\\tAgenda\\n")
>>> doc.indicator("1:1").target_for(2021).text
'550'
>>> [d.code for d in doc.diagnostics]
['missing-title', 'missing-position', 'unitless-target']
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final, Literal

from iki_core.errors import IkiParseError, IkiTypeError, InvalidValueError
from iki_core.loaders._table import Context, classify_header
from iki_core.loaders.csv import format_csv, parse_csv, sniff_delimiter
from iki_core.loaders.json import format_json, parse_json
from iki_core.loaders.options import LoaderOptions
from iki_core.loaders.text import format_text, parse_text
from iki_core.model import Diagnostic, Document
from iki_core.units import UnitRegistry, get_registry

__all__ = ["FORMATS", "detect_format", "dump", "dumps", "load", "loads"]

Format = Literal["text", "csv", "json"]
FORMATS: Final[tuple[Format, ...]] = ("text", "csv", "json")
_SUFFIXES: Final[dict[str, Format]] = {
    ".json": "json",
    ".csv": "csv",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".tsv": "text",
}


def _check_format(format: str | None) -> Format | None:
    if format is None:
        return None
    for f in FORMATS:
        if format == f:
            return f
    raise InvalidValueError(field="format", expected="'text', 'csv' or 'json'", value=format)


def detect_format(text: str) -> Format:
    """The format of ``text`` from its content: JSON when it starts with "{", CSV when
    its first line is a header row of CSV cells, else the text layout.

    >>> detect_format('{"format": "iki-core-document"}'), detect_format("No;Indikator;2021")
    ('json', 'csv')
    """
    body = text.lstrip("\ufeff \t\r\n")
    if body.startswith("{"):
        return "json"
    first = body.split("\n", 1)[0]
    if "\t" not in first:
        delimiter = sniff_delimiter(first)
        cells = [c.strip().strip('"') for c in first.split(delimiter)]
        roles = [classify_header(c) for c in cells]
        if len(cells) >= 3 and "indikator" in roles:
            return "csv"
    return "text"


def _decode(data: bytes, ctx: Context) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        ctx.report(
            None,
            "warning",
            "not-utf8",
            f"the input is not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}); "
            "read as Windows-1252 / Latin-1",
        )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _finish(doc: Document, ctx: Context, strict: bool, source: str | None) -> Document:
    found = sorted(ctx.diagnostics, key=lambda d: (d.line is None, d.line or 0))
    diagnostics: tuple[Diagnostic, ...] = (*doc.diagnostics, *found)
    result = Document(doc.sheets, diagnostics, doc.source)
    if strict and any(d.severity in ("error", "warning") for d in found):
        raise IkiParseError(diagnostics, source=result.source)
    return result


def loads(
    text: str | bytes,
    *,
    format: str | None = None,
    strict: bool = False,
    source: str | None = None,
    registry: UnitRegistry | None = None,
    options: LoaderOptions | None = None,
) -> Document:
    """Read a document from ``text`` ("text", "csv" or "json"; from the content when
    ``format`` is None). Bytes are decoded as UTF-8 (a byte-order mark is skipped).

    Problems become :attr:`Document.diagnostics`; with ``strict=True`` any error or
    warning raises :class:`~iki_core.errors.IkiParseError` carrying all of them.
    ``options`` overrides the inference rules (docs/formats.md, "Inference").
    """
    fmt = _check_format(format)
    if options is not None and not isinstance(options, LoaderOptions):
        raise IkiTypeError(field="options", expected="LoaderOptions", value=options)
    ctx = Context(registry or get_registry(), options or LoaderOptions())
    if isinstance(text, bytes):
        text = _decode(text, ctx)
    elif not isinstance(text, str):
        raise IkiTypeError(field="text", expected="str or bytes", value=text)
    text = text.removeprefix("\ufeff")
    fmt = fmt or detect_format(text)
    if fmt == "json":
        doc = parse_json(text, ctx, source)
    elif fmt == "csv":
        doc = Document(parse_csv(text, ctx), source=source)
    else:
        doc = Document(parse_text(text, ctx), source=source)
    return _finish(doc, ctx, strict, source)


def load(
    path: str | os.PathLike[str],
    *,
    strict: bool = False,
    format: str | None = None,
    registry: UnitRegistry | None = None,
    options: LoaderOptions | None = None,
) -> Document:
    """Read the document at ``path``; the format comes from the suffix (.json, .csv,
    .txt/.md) or else from the content. The document's ``source`` is the path (a JSON
    document keeps the source it records, when it records one)."""
    p = Path(path)
    fmt = _check_format(format) or _SUFFIXES.get(p.suffix.lower())
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InvalidValueError(
            field="path", expected=f"a readable file ({exc.strerror})", value=str(path)
        ) from exc
    return loads(
        data, format=fmt, strict=strict, source=str(path), registry=registry, options=options
    )


def dumps(document: Document, *, format: str = "json") -> str:
    """``document`` as JSON (everything, exactly), CSV (one block per sheet) or the
    text layout."""
    fmt = _check_format(format)
    if not isinstance(document, Document):
        raise IkiTypeError(field="document", expected="Document", value=document)
    if fmt == "json":
        return format_json(document)
    if fmt == "csv":
        return format_csv(document.sheets)
    return format_text(document.sheets)


def dump(document: Document, path: str | os.PathLike[str], *, format: str | None = None) -> None:
    """Write ``document`` to ``path`` in UTF-8; the format from ``format`` or the suffix
    (JSON when the suffix says nothing)."""
    p = Path(path)
    fmt = _check_format(format) or _SUFFIXES.get(p.suffix.lower(), "json")
    text = dumps(document, format=fmt)
    try:
        p.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise InvalidValueError(
            field="path", expected=f"a writable file ({exc.strerror})", value=str(path)
        ) from exc
