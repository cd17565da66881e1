"""Bytes to text and the separator of delimited text: one rule each, shared by the
document loaders and the realisations reader.

>>> decode(b"\\xef\\xbb\\xbfNo;Indikator")
Decoded(text='No;Indikator', bad_offset=None, bad_line=None, bad_byte=None)
>>> decode("rapat \\xe9valuasi".encode("cp1252"))
Decoded(text='rapat évaluasi', bad_offset=6, bad_line=1, bad_byte=233)
>>> sniff_delimiter('\\nNo;Sasaran;"Indikator, kinerja";2021')
';'
"""

from __future__ import annotations

import codecs
from typing import Final

import attrs

__all__ = ["Decoded", "binary_kind", "decode", "sniff_delimiter"]

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


def _byte_by_byte(error: UnicodeError) -> tuple[str, int]:
    """The bytes that are not UTF-8, each read as Windows-1252 (Latin-1 for the five bytes
    it lacks); the UTF-8 around them stays as it is."""
    assert isinstance(error, UnicodeDecodeError)
    out = []
    for b in error.object[error.start : error.end]:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out), error.end


codecs.register_error("iki_core.cp1252", _byte_by_byte)

DELIMITERS: Final = (",", ";", "\t")
"""The separators a delimited file may use, preferred in this order on a tie."""


@attrs.frozen
class Decoded:
    """Text decoded from bytes, and where the bytes stopped being UTF-8 (all None when
    they are UTF-8): the offset, the line (from 1) and the value of the first bad byte."""

    text: str
    bad_offset: int | None = None
    bad_line: int | None = None
    bad_byte: int | None = None


def decode(data: bytes) -> Decoded:
    """``data`` as text: UTF-8 (a byte-order mark is skipped), or UTF-16/UTF-32 when a
    byte-order mark says so. A byte that is not UTF-8 is read as Windows-1252, as
    spreadsheets on Windows save CSV (Latin-1 for the five bytes Windows-1252 lacks), and
    only that byte: the valid UTF-8 around it stays, and no byte the user gave is lost."""
    codec = _unicode_bom(data)
    if codec is not None:
        try:
            return Decoded(
                data[len(codecs.BOM_UTF16_LE) * (1 + codec.startswith("utf-32")) :].decode(codec)
            )
        except UnicodeDecodeError as exc:
            at = exc.start + len(codecs.BOM_UTF16_LE) * (1 + codec.startswith("utf-32"))
            text = data.decode("latin-1")
            return Decoded(text, at, data[:at].count(b"\n") + 1, data[at])
    try:
        return Decoded(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        at = exc.start
    text = data.decode("utf-8-sig", errors="iki_core.cp1252")
    return Decoded(text, at, data[:at].count(b"\n") + 1, data[at])


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
