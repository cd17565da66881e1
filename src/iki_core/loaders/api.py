"""The entry points: :func:`load`, :func:`loads`, :func:`dump`, :func:`dumps`; the
formats they read and write come from one table (:mod:`iki_core.loaders.registry`).

>>> doc = loads("No\\tSasaran\\tIndikator\\tPenjelasan\\t2021\\tSumber Data\\n"
...             "1\\tTersedianya jasa surat\\tJumlah surat masuk\\tCukup Jelas\\t550\\tAgenda\\n")
>>> doc.indicator("1:1").target_for(2021).text
'550'
>>> [d.code for d in doc.diagnostics]
['missing-title', 'missing-position', 'unitless-target']
"""

from __future__ import annotations

import operator
import os
from pathlib import Path
from typing import Final

from iki_core._collector import collector_paused
from iki_core._textio import binary_kind, decode
from iki_core.errors import IkiParseError, IkiTypeError, InvalidValueError, file_error
from iki_core.loaders.context import ReadContext
from iki_core.loaders.options import LoaderOptions
from iki_core.loaders.registry import (
    FALLBACK,
    DocumentFormat,
    detect_format,
    format_for_suffix,
    get_format,
)
from iki_core.model import Diagnostic, Document
from iki_core.units import UnitRegistry, get_registry

__all__ = ["FORMATS", "dump", "dumps", "load", "loads"]

FORMATS: Final = ("text", "csv", "json", "markdown", "xlsx", "docx", "pdf")
"""The formats that ship with iki_core (:func:`~iki_core.loaders.formats` lists those
registered since as well)."""


def _check_format(format: str | None) -> DocumentFormat | None:
    return None if format is None else get_format(format)


def _decode(data: bytes, ctx: ReadContext) -> str:
    kind = binary_kind(data)
    if kind is not None:
        ctx.note(None, "error", "binary-file", {"kind": kind})
        return ""
    decoded = decode(data)
    for bad in decoded.shown:  # each line with bytes that are not UTF-8, up to a bound
        params = {"byte": f"{bad.byte:#04x}", "offset": bad.offset}
        ctx.note(bad.line, "warning", "not-utf8", params)
    if decoded.more:
        first, last = decoded.more[0].line, decoded.more[-1].line
        params = {"count": len(decoded.more), "first": first, "last": last}
        ctx.diagnostics.append(
            Diagnostic.of("not-utf8", "reader.encoding-more", params, line=first, scope="document")
        )
    return decoded.text


_line: Final = operator.attrgetter("line")


def _finish(doc: Document, ctx: ReadContext, strict: bool) -> Document:
    # by line, stably, those without a line last
    found = [d for d in ctx.diagnostics if d.line is not None]
    found.sort(key=_line)
    found += [d for d in ctx.diagnostics if d.line is None]
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
    """Read a document from ``text`` (a registered format, :func:`formats`: "text",
    "csv", "json"; from the content when ``format`` is None). Bytes are decoded as UTF-8
    (a byte-order mark is skipped) for a text format.

    Problems become :attr:`Document.diagnostics`; with ``strict=True`` any error or
    warning raises :class:`~iki_core.errors.IkiParseError` carrying all of them.
    ``options`` overrides the inference rules (docs/formats.md, "Inference").
    """
    fmt = _check_format(format)
    if options is not None and not isinstance(options, LoaderOptions):
        raise IkiTypeError(field="options", expected="LoaderOptions", value=options)
    if not isinstance(text, str | bytes):
        raise IkiTypeError(field="text", expected="str or bytes", value=text)
    with collector_paused():  # docs/embedding.md
        return _read(
            text,
            fmt,
            strict,
            ReadContext(registry or get_registry(), options or LoaderOptions(), source=source),
        )


def _read(
    text: str | bytes, fmt: DocumentFormat | None, strict: bool, ctx: ReadContext
) -> Document:
    if isinstance(text, bytes):
        claimed = detect_format(text)  # a binary format may claim the bytes
        if fmt is None:
            fmt = None if claimed == FALLBACK else get_format(claimed)
        elif claimed != fmt.name and get_format(claimed).binary:
            params = {"found": claimed, "given": fmt.name}
            ctx.note(None, "info", "routed-format", params)
            fmt = get_format(claimed)
        if fmt is None or not fmt.binary:
            text = _decode(text, ctx)
    if isinstance(text, str):
        text = text.removeprefix("\ufeff")
    fmt = fmt or get_format(detect_format(text))
    return _finish(fmt.read(text, ctx), ctx, strict)


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
    if not isinstance(path, str | os.PathLike):
        raise IkiTypeError(field="path", expected="a path (str or os.PathLike)", value=path)
    p = Path(path)
    fmt = _check_format(format) or format_for_suffix(p.suffix)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise file_error(str(path), exc) from exc
    return loads(
        data,
        format=fmt.name if fmt else None,
        strict=strict,
        source=str(path),
        registry=registry,
        options=options,
    )


def dumps(document: Document, *, format: str = "json") -> str:
    """``document`` as JSON (everything, exactly), CSV (one block per sheet), the text
    layout, or another registered text format."""
    fmt = get_format(format)
    if not isinstance(document, Document):
        raise IkiTypeError(field="document", expected="Document", value=document)
    out = fmt.write(document)
    if not isinstance(out, str):
        raise InvalidValueError(
            field="format", expected="a text format (write a binary one with dump)", value=format
        )
    return out


def dump(document: Document, path: str | os.PathLike[str], *, format: str | None = None) -> None:
    """Write ``document`` to ``path`` (text in UTF-8); the format from ``format`` or the
    suffix (JSON when the suffix says nothing)."""
    p = Path(path)
    fmt = _check_format(format) or format_for_suffix(p.suffix) or get_format("json")
    if not isinstance(document, Document):
        raise IkiTypeError(field="document", expected="Document", value=document)
    out = fmt.write(document)
    try:
        if isinstance(out, bytes):
            p.write_bytes(out)
        else:
            p.write_text(out, encoding="utf-8", newline="")
    except OSError as exc:
        raise InvalidValueError(
            field="path", expected=f"a writable file ({exc.strerror})", value=str(path)
        ) from exc
