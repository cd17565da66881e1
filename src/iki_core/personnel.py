"""Signatory metadata: the civil servant number (NIP) and rank (pangkat / golongan).

NIP of a PNS (Peraturan Kepala BKN No. 22 Tahun 2007): 18 digits, birth date
YYYYMMDD, appointment as CPNS (TMT) YYYYMM, gender (1 male, 2 female) and a
three-digit sequence, written "19660512 198803 1 004".

>>> nip = Nip.parse("NIP.19660512 198803 1 004")
>>> str(nip), nip.birth_date, nip.appointed, nip.gender
('19660512 198803 1 004', datetime.date(1966, 5, 12), (1988, 3), 'male')

Ranks follow PP 99/2000: golongan I/a to IV/e, each with its pangkat name.

>>> rank = parse_rank("Pembina Tk.I /IV.b")
>>> rank.pangkat, str(rank.golongan), rank.consistent
('Pembina Tingkat I', 'IV/b', True)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, Literal

import attrs

from iki_core.errors import InvalidValueError
from iki_core.periods import ROMAN_NUMERALS

__all__ = ["GOLONGAN_PANGKAT", "Golongan", "Nip", "Rank", "parse_rank"]

Gender = Literal["male", "female"]
NipScheme = Literal["pns", "pppk"]


@attrs.frozen
class Nip:
    """A decoded civil servant number (Nomor Induk Pegawai).

    ``scheme`` says which layout applied: ``"pns"`` when the middle block is an
    appointment year and month (Perka BKN 22/2007), ``"pppk"`` when its last two
    digits are not a month (PPPK numbers carry the appointment year and a code
    there), in which case ``appointed`` has no month.
    """

    digits: str
    birth_date: dt.date
    appointed: tuple[int, int | None]
    gender: Gender
    sequence: int
    scheme: NipScheme
    text: str

    @classmethod
    def parse(cls, text: str, *, field: str = "NIP", line: int | None = None) -> Nip:
        """Read a NIP as written ("NIP. 19790125 200212 1 003"); raise when invalid.

        >>> Nip.parse("19790125 200213 1 003").scheme
        'pppk'
        >>> Nip.parse("19661305 198803 1 004")
        Traceback (most recent call last):
        ...
        iki_core.errors.InvalidValueError: NIP: expected a birth date YYYYMMDD in the \
first 8 digits (month 13 does not exist), got '19661305 198803 1 004'
        """
        raw = re.sub(r"^\s*NIP\s*[.:]?\s*", "", text, flags=re.IGNORECASE)
        digits = re.sub(r"[\s.\-]", "", raw)

        def bad(expected: str) -> InvalidValueError:
            return InvalidValueError(field=field, expected=expected, value=raw.strip(), line=line)

        if not (digits.isascii() and digits.isdigit()) or len(digits) != 18:
            raise bad(f"18 digits (got {len(digits)} characters)")
        try:
            birth = dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
        except ValueError as exc:
            month = int(digits[4:6])
            why = f"month {month} does not exist" if not 1 <= month <= 12 else str(exc)
            raise bad(f"a birth date YYYYMMDD in the first 8 digits ({why})") from exc
        year, month = int(digits[8:12]), int(digits[12:14])
        scheme: NipScheme = "pns" if 1 <= month <= 12 else "pppk"
        if year < birth.year:
            raise bad("an appointment year (digits 9-12) after the birth year")
        gender_digit = digits[14]
        if gender_digit not in "12":
            raise bad(f"gender digit 1 or 2 at position 15, not {gender_digit}")
        return cls(
            digits=digits,
            birth_date=birth,
            appointed=(year, month if scheme == "pns" else None),
            gender="male" if gender_digit == "1" else "female",
            sequence=int(digits[15:]),
            scheme=scheme,
            text=text,
        )

    def __str__(self) -> str:
        d = self.digits
        return f"{d[:8]} {d[8:14]} {d[14]} {d[15:]}"


_GOLONGAN: Final = re.compile(r"\s*(IV|III|II|I)\s*[/.\-]?\s*([a-e])\s*", re.IGNORECASE)


@attrs.frozen(order=True)
class Golongan:
    """A civil service grade: ``room`` I-IV (as 1-4) and ``grade`` a-e."""

    room: int = attrs.field()
    grade: str = attrs.field()

    @room.validator
    def _check_room(self, attribute: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value not in (1, 2, 3, 4):
            raise InvalidValueError(
                field="Golongan.room", expected="1, 2, 3 or 4 (golongan I-IV)", value=value
            )

    @grade.validator
    def _check_grade(self, attribute: attrs.Attribute[str], value: str) -> None:
        allowed = "abcde" if self.room == 4 else "abcd"
        if not isinstance(value, str) or len(value) != 1 or value not in allowed:
            raise InvalidValueError(
                field="Golongan.grade",
                expected=f"one of {', '.join(allowed)} for golongan "
                f"{ROMAN_NUMERALS[self.room - 1]}",
                value=value,
            )

    @classmethod
    def parse(cls, text: str) -> Golongan:
        """Read "IV/b", "IV.b", "IV b", "III/d".

        >>> Golongan.parse("III.c")
        Golongan(room=3, grade='c')
        """
        m = _GOLONGAN.fullmatch(text)
        if m is None:
            raise InvalidValueError(
                field="golongan", expected="a golongan such as 'III/c' or 'IV.b'", value=text
            )
        return cls(ROMAN_NUMERALS.index(m.group(1).upper()) + 1, m.group(2).lower())

    def __str__(self) -> str:
        return f"{ROMAN_NUMERALS[self.room - 1]}/{self.grade}"


GOLONGAN_PANGKAT: Final[dict[str, str]] = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}
"""Pangkat of each golongan (PP 99/2000, annex)."""

_PANGKAT_NAMES: Final = {v.lower(): v for v in GOLONGAN_PANGKAT.values()}


@attrs.frozen
class Rank:
    """A rank line as written ("Pembina Tk.I /IV.b"), with what was understood.

    ``consistent`` is False when both were written and the pangkat is not
    the one PP 99/2000 gives the golongan.
    """

    pangkat: str | None
    golongan: Golongan | None
    text: str

    @property
    def consistent(self) -> bool:
        if self.pangkat is None or self.golongan is None:
            return True
        return GOLONGAN_PANGKAT[str(self.golongan)] == self.pangkat

    @property
    def expected_pangkat(self) -> str | None:
        """The pangkat of the written golongan, if any."""
        return GOLONGAN_PANGKAT[str(self.golongan)] if self.golongan else None


def _normalise_pangkat(text: str) -> str | None:
    s = re.sub(r"\s+", " ", text).strip(" ,/").lower()
    # "Tk.I", "Tk. 1", "Tkt I", "Tingkat 1" all mean Tingkat I ("1" is a common OCR slip)
    s = re.sub(r"\b(?:tk|tkt|tingkat)\s*\.?\s*(?:i|1)\b", "tingkat i", s)
    return _PANGKAT_NAMES.get(s)


def parse_rank(text: str) -> Rank:
    """Read a pangkat / golongan line: "Pembina Tk.I /IV.b", "PEMBINA IV/a",
    "Penata /III.c", "Penata Tingkat I /III.d", "Penata Muda (III/a)".

    A golongan that does not exist ("IV/f") is left out; the pangkat is still read.

    >>> parse_rank("Pembina /III.c").consistent
    False
    >>> parse_rank("Pembina IV/f")
    Rank(pangkat='Pembina', golongan=None, text='Pembina IV/f')
    """
    stripped = text.strip()
    m = re.search(
        r"(?<![A-Za-z])\(?\s*((?:IV|III|II|I)\s*[/.\-]?\s*[a-z])\s*\)?$",
        stripped,
        re.IGNORECASE,
    )
    golongan = None
    head = text
    if m is not None:
        head = stripped[: m.start()]
        try:
            golongan = Golongan.parse(m.group(1))
        except InvalidValueError:
            golongan = None
    return Rank(_normalise_pangkat(head), golongan, text)
