"""The table of document formats: one reader and one writer per format, found by name,
by file suffix and by content (docs/extending.md, "A new document format").

Every reader has one signature, ``reader(text, context) -> Document`` (``text`` is
``bytes`` for a format registered with ``binary=True``, such as a spreadsheet), and
every writer ``writer(document) -> str`` (``bytes`` for a binary format). The
``context`` (:class:`ReadContext`) holds the unit registry, the loader options, the
source and the diagnostics found so far.

>>> formats()
('text', 'csv', 'json', 'markdown', 'xlsx', 'docx', 'pdf')
>>> format_for_suffix(".CSV").name, format_for_suffix(".xlsx").name, format_for_suffix(".ods")
('csv', 'xlsx', None)
>>> detect_format('{"format": "iki-core-document"}'), detect_format("No;Indikator;2021")
('json', 'csv')
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Final, TypeAlias, cast

import attrs

from iki_core._textio import sniff_delimiter
from iki_core.errors import IkiTypeError, InvalidValueError
from iki_core.loaders._columns import classify_header
from iki_core.loaders.context import ReadContext
from iki_core.loaders.csv import format_csv, parse_csv
from iki_core.loaders.json import format_json, parse_json
from iki_core.loaders.layout import recognise
from iki_core.loaders.markdown import is_markdown, read_markdown
from iki_core.loaders.office import is_docx, is_xlsx, read_docx, read_xlsx
from iki_core.loaders.pdf import is_pdf, read_pdf
from iki_core.loaders.text import format_text, parse_text
from iki_core.loaders.writers import write_docx, write_pdf, write_xlsx
from iki_core.model import Document

__all__ = [
    "DocumentFormat",
    "ReadContext",
    "detect_format",
    "format_for_suffix",
    "formats",
    "get_format",
    "register_format",
    "unregister_format",
]

TextReader: TypeAlias = Callable[[str, ReadContext], Document]
BytesReader: TypeAlias = Callable[[bytes, ReadContext], Document]
Reader: TypeAlias = TextReader | BytesReader
Writer: TypeAlias = Callable[[Document], str] | Callable[[Document], bytes]
Sniffer: TypeAlias = Callable[[str], bool] | Callable[[bytes], bool]

FALLBACK: Final = "text"
"""The format of content that no format's sniffer claims (text extracted from a PDF)."""


def _suffix(value: str) -> str:
    return value.lower() if value.startswith(".") else "." + value.lower()


def _suffixes(values: object) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, tuple | list | frozenset | set):
        raise IkiTypeError(field="suffixes", expected="a sequence of suffixes", value=values)
    out = []
    for v in values:
        if not isinstance(v, str) or not v.strip(". "):
            raise InvalidValueError(field="suffixes", expected="suffixes such as '.csv'", value=v)
        out.append(_suffix(v))
    return tuple(out)


def _callable(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not callable(value):
        raise IkiTypeError(field=attribute.name, expected="a function", value=value)


@attrs.frozen
class DocumentFormat:
    """One document format: its ``name``, its ``reader`` and ``writer``, the file
    ``suffixes`` that select it, the ``sniff`` test that recognises its content (None:
    only by name or suffix), and whether it reads and writes bytes (``binary``) or text."""

    name: str
    reader: Reader = attrs.field(validator=_callable)
    writer: Writer = attrs.field(validator=_callable)
    suffixes: tuple[str, ...] = attrs.field(default=(), converter=_suffixes)
    sniff: Sniffer | None = attrs.field(default=None, validator=_callable)
    binary: bool = False

    def read(self, data: str | bytes, context: ReadContext) -> Document:
        """The document of ``data``, problems reported to ``context``."""
        if self.binary:
            if not isinstance(data, bytes):
                raise IkiTypeError(field="text", expected=f"bytes ({self.name})", value=data)
            return cast(BytesReader, self.reader)(data, context)
        if not isinstance(data, str):
            raise IkiTypeError(field="text", expected="str", value=data)
        return cast(TextReader, self.reader)(data, context)

    def write(self, document: Document) -> str | bytes:
        """``document`` in this format."""
        return self.writer(document)

    def claims(self, data: str | bytes) -> bool:
        """True when ``sniff`` recognises ``data`` (text for a text format, bytes for a
        binary one; the other kind is never claimed)."""
        if self.sniff is None or isinstance(data, bytes) != self.binary:
            return False
        if isinstance(data, bytes):
            return bool(cast(Callable[[bytes], bool], self.sniff)(data))
        return bool(cast(Callable[[str], bool], self.sniff)(data))


# --- the formats that ship ----------------------------------------------------------------
def _read_text(text: str, context: ReadContext) -> Document:
    return Document(parse_text(text, context), source=context.source)


def _read_csv(text: str, context: ReadContext) -> Document:
    return Document(parse_csv(text, context), source=context.source)


def _write_text(document: Document) -> str:
    return format_text(document.sheets)


def _write_csv(document: Document) -> str:
    return format_csv(document.sheets)


def _is_json(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").startswith("{")


def _is_csv(text: str) -> bool:
    """A first line of CSV header cells, at least three, one of them Indikator (a
    tab-separated first line is the text layout)."""
    first = text.lstrip("\ufeff \t\r\n").split("\n", 1)[0]
    if "\t" in first:
        return False
    cells = [c.strip().strip('"') for c in first.split(sniff_delimiter(first))]
    return len(cells) >= 3 and "indikator" in [classify_header(c) for c in cells]


def _read_markdown(text: str, context: ReadContext) -> Document:
    return Document(recognise((read_markdown(text),), context), source=context.source)


def _read_xlsx(data: bytes, context: ReadContext) -> Document:
    return Document(recognise(read_xlsx(data), context), source=context.source)


def _read_docx(data: bytes, context: ReadContext) -> Document:
    return Document(recognise(read_docx(data), context), source=context.source)


def _read_pdf(data: bytes, context: ReadContext) -> Document:
    return Document(recognise(read_pdf(data), context), source=context.source)


_BUILTIN: Final = (
    DocumentFormat("text", _read_text, _write_text, (".txt", ".text", ".tsv")),
    DocumentFormat("csv", _read_csv, _write_csv, (".csv",), _is_csv),
    DocumentFormat("json", parse_json, format_json, (".json",), _is_json),
    DocumentFormat("markdown", _read_markdown, _write_text, (".md", ".markdown"), is_markdown),
    DocumentFormat("xlsx", _read_xlsx, write_xlsx, (".xlsx", ".xlsm"), is_xlsx, binary=True),
    DocumentFormat("docx", _read_docx, write_docx, (".docx",), is_docx, binary=True),
    DocumentFormat("pdf", _read_pdf, write_pdf, (".pdf",), is_pdf, binary=True),
)
_SNIFF_ORDER: Final = ("json", "csv")  # "{" first: a JSON string may hold CSV-like text

_lock = threading.Lock()
_table: dict[str, DocumentFormat] = {f.name: f for f in _BUILTIN}


def formats() -> tuple[str, ...]:
    """The names of the registered formats: the shipped ones, then those registered."""
    return tuple(_table)


def get_format(name: object) -> DocumentFormat:
    """The format registered as ``name``, else :class:`~iki_core.errors.InvalidValueError`
    listing those there are."""
    found = _table.get(name) if isinstance(name, str) else None
    if found is None:
        names = [repr(n) for n in _table]
        expected = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
        raise InvalidValueError(field="format", expected=expected, value=name)
    return found


def format_for_suffix(suffix: str) -> DocumentFormat | None:
    """The format a file suffix (``".csv"``, case ignored) selects; None when none does
    (the latest registration wins when two claim a suffix)."""
    key = _suffix(suffix) if suffix else ""
    for f in reversed(_table.values()):
        if key in f.suffixes:
            return f
    return None


def detect_format(text: str | bytes) -> str:
    """The name of the format of ``text`` from its content: the first format whose
    sniffer claims it (JSON when it starts with "{", CSV when its first line is a header
    row of CSV cells, then the formats registered, in order, then Markdown pipe tables
    and the signatures of xlsx, docx and PDF files), else the text layout."""
    shipped = {f.name for f in _BUILTIN}
    order = [
        *_SNIFF_ORDER,
        *(n for n in _table if n not in shipped),
        *(n for n in _table if n in shipped and n not in _SNIFF_ORDER),
    ]
    for name in order:
        f = _table.get(name)
        if f is not None and f.claims(text):
            return name
    return FALLBACK


def register_format(
    name: str,
    *,
    reader: Reader,
    writer: Writer,
    suffixes: tuple[str, ...] | list[str] = (),
    sniff: Sniffer | None = None,
    binary: bool = False,
    replace: bool = False,
) -> DocumentFormat:
    """Add a document format to the table that :func:`~iki_core.loaders.load`,
    :func:`~iki_core.loaders.loads`, :func:`~iki_core.loaders.dump` and
    :func:`~iki_core.loaders.dumps` read (see the module documentation for the
    signatures). A name already registered is refused unless ``replace=True``.
    Thread-safe; returns the registered :class:`DocumentFormat`."""
    if not isinstance(name, str) or not name.isidentifier():
        raise InvalidValueError(field="name", expected="a format name such as 'xlsx'", value=name)
    fmt = DocumentFormat(name, reader, writer, tuple(suffixes), sniff, bool(binary))
    with _lock:
        if name in _table and not replace:
            raise InvalidValueError(
                field="name", expected="a name not yet registered (or replace=True)", value=name
            )
        _table[name] = fmt
    return fmt


def unregister_format(name: str) -> None:
    """Remove a format registered by :func:`register_format`; a shipped format that was
    replaced gets its own reader and writer back."""
    with _lock:
        get_format(name)
        builtin = {f.name: f for f in _BUILTIN}.get(name)
        if builtin is None:
            del _table[name]
        else:
            _table[name] = builtin
