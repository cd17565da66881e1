"""Bytes to text and the separator of delimited text: one rule each, shared by the
document loaders and the realisations reader.

>>> decode(b"\\xef\\xbb\\xbfNo;Indikator")
Decoded(text='No;Indikator', bad=())
>>> decode("rapat \\xe9valuasi\\nok\\nr\\xe9sum\\xe9".encode("cp1252"))
Decoded(text='rapat évaluasi\\nok\\nrésumé', bad=(BadLine(line=1, offset=6, byte=233), \
BadLine(line=3, offset=19, byte=233)))
>>> sniff_delimiter('\\nNo;Sasaran;"Indikator, kinerja";2021')
';'
"""

from __future__ import annotations

import codecs
import re
from typing import Final

import attrs

__all__ = ["SHOWN_BAD_LINES", "BadLine", "Decoded", "binary_kind", "decode", "sniff_delimiter"]

_MAGIC: Final = (
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"PK\x03\x04", "a zip archive"),
    (b"%PDF-", "a PDF file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.xls/.doc)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def binary_kind(data: bytes) -> str | None:
    """What ``data`` is when it is not text: a known file signature ("a gzip archive"),
    or "binary data" when its first 8 KB hold NUL or other control bytes that no text
    file has; None for text (UTF-16 and UTF-32 with a byte-order mark are text).

    >>> binary_kind(b"\\x1f\\x8b\\x08"), binary_kind(b"No;Indikator"), binary_kind(b"\\x00\\x01")
    ('a gzip archive', None, 'binary data')
    """
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:8192]
    controls = sum(
        head.count(bytes([b])) for b in (*range(9), 11, 14, *range(16, 27), *range(28, 32))
    )
    if b"\x00" in head or controls * 100 > len(head):
        return "binary data"
    return None


def _unicode_bom(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def _cp1252(raw: str) -> str:
    """Bytes that are not UTF-8 (as ``surrogateescape`` left them), each read as
    Windows-1252, or Latin-1 for the five bytes Windows-1252 lacks."""
    out = []
    for char in raw:
        b = ord(char) - 0xDC00
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


_ESCAPED: Final = re.compile("[\udc80-\udcff]+")
"""Runs of bytes that are not UTF-8, as ``surrogateescape`` decodes them (valid UTF-8 never
decodes to a lone surrogate, so nothing else matches)."""

DELIMITERS: Final = (",", ";", "\t")
"""The separators a delimited file may use, preferred in this order on a tie."""


SHOWN_BAD_LINES: Final = 10
"""Lines with bytes that are not UTF-8 named one diagnostic each; those after are named
together in one more (a file saved whole in Windows-1252 would otherwise give a warning
for every line, and hide the other diagnostics)."""


@attrs.frozen
class BadLine:
    """A line (from 1) with bytes that are not UTF-8: the offset and value of its first."""

    line: int
    offset: int
    byte: int


@attrs.frozen
class Decoded:
    """Text decoded from bytes, and every line where the bytes are not UTF-8 (none when
    they are UTF-8)."""

    text: str
    bad: tuple[BadLine, ...] = ()

    @property
    def shown(self) -> tuple[BadLine, ...]:
        """The lines named one diagnostic each (the first :data:`SHOWN_BAD_LINES`)."""
        return self.bad[:SHOWN_BAD_LINES]

    @property
    def more(self) -> tuple[BadLine, ...]:
        """The lines after those, named together."""
        return self.bad[SHOWN_BAD_LINES:]

    @property
    def bad_offset(self) -> int | None:
        """The offset of the first byte that is not UTF-8."""
        return self.bad[0].offset if self.bad else None

    @property
    def bad_line(self) -> int | None:
        """The line of the first byte that is not UTF-8."""
        return self.bad[0].line if self.bad else None

    @property
    def bad_byte(self) -> int | None:
        """The value of the first byte that is not UTF-8."""
        return self.bad[0].byte if self.bad else None


def decode(data: bytes) -> Decoded:
    """``data`` as text: UTF-8 (a byte-order mark is skipped), or UTF-16/UTF-32 when a
    byte-order mark says so. A byte that is not UTF-8 is read as Windows-1252, as
    spreadsheets on Windows save CSV (Latin-1 for the five bytes Windows-1252 lacks), and
    only that byte: the valid UTF-8 around it stays, no byte the user gave is lost, and
    every line that holds such bytes is named (in time linear in the input)."""
    codec = _unicode_bom(data)
    if codec is not None:
        skip = len(codecs.BOM_UTF16_LE) * (1 + codec.startswith("utf-32"))
        try:
            return Decoded(data[skip:].decode(codec))
        except UnicodeDecodeError as exc:
            at = exc.start + skip
            first = BadLine(data[:at].count(b"\n") + 1, at, data[at])
            return Decoded(data.decode("latin-1"), (first,))
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return Decoded(data[skip:].decode("utf-8"))
    except UnicodeDecodeError:
        pass
    escaped = data[skip:].decode("utf-8", errors="surrogateescape")
    parts: list[str] = []
    bad: list[BadLine] = []
    line, counted, offset, done = 1, 0, skip, 0
    for run in _ESCAPED.finditer(escaped):
        before = escaped[done : run.start()]
        parts.extend((before, _cp1252(run.group())))
        offset += len(before.encode("utf-8", errors="surrogateescape"))
        line += escaped.count("\n", counted, run.start())
        counted = run.start()
        if not bad or bad[-1].line != line:
            bad.append(BadLine(line, offset, ord(run.group()[0]) - 0xDC00))
        offset += len(run.group())
        done = run.end()
    parts.append(escaped[done:])
    return Decoded("".join(parts), tuple(bad))


def sniff_delimiter(text: str) -> str:
    """The separator of the first non-empty line of ``text``: the most frequent of
    comma, semicolon and tab outside double quotes (comma on a tie, and when none).

    >>> sniff_delimiter('a,b;c;d'), sniff_delimiter('"1,5";"2,5"'), sniff_delimiter('x')
    (';', ';', ',')
    """
    for line in text.splitlines():
        if line.strip():
            outside = "".join(part for i, part in enumerate(line.split('"')) if i % 2 == 0)
            count, _, best = max((outside.count(d), -i, d) for i, d in enumerate(DELIMITERS))
            return best if count else ","
    return ","
