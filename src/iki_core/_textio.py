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

from typing import Final

import attrs

__all__ = ["Decoded", "decode", "sniff_delimiter"]

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
    """``data`` as text: UTF-8 (a byte-order mark is skipped); else Windows-1252, as
    spreadsheets on Windows save CSV; else Latin-1, which reads every byte, so that no
    byte the user gave is lost or replaced."""
    try:
        return Decoded(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        at = exc.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d are not Windows-1252
        text = data.decode("latin-1")
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
