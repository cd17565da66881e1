"""Reporting periods of a fiscal year (the calendar year): year, semester, quarter, month.

Indonesian reports speak of *triwulan* (TW I-IV, quarters) and *semester*
(I-II, half-years); the fiscal year is the calendar year.

>>> p = Period.parse("TW III 2021")
>>> p, str(p), p.label()
(Period(year=2021, kind='quarter', index=3), '2021-Q3', 'Triwulan III 2021')
>>> p.start, p.end
(datetime.date(2021, 7, 1), datetime.date(2021, 9, 30))
>>> Period.parse("Juli 2021") in p, p in Period.parse("2021")
(True, True)
>>> [str(q) for q in Period.parse("Semester II 2021").children("quarter")]
['2021-Q3', '2021-Q4']

Dates written the Indonesian way parse with :func:`parse_date` (a
python-dateutil ``parserinfo`` that knows the Indonesian month names), and a
signature line "Liwa, 2021" with :func:`parse_place_date`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any, Final

import attrs
from dateutil import parser as du_parser

from iki_core._enums import ReprStrEnum
from iki_core._memo import remember
from iki_core.errors import InvalidValueError, PeriodParseError

__all__ = [
    "IndonesianParserInfo",
    "Period",
    "PeriodKind",
    "PlaceDate",
    "parse_date",
    "parse_place_date",
]


class PeriodKind(ReprStrEnum):
    """The length of a period, longest first."""

    YEAR = "year"
    SEMESTER = "semester"
    QUARTER = "quarter"
    MONTH = "month"

    @property
    def months(self) -> int:
        """How many months a period of this kind spans."""
        return _MONTHS_PER[self]


_MONTHS_PER: Final = {
    PeriodKind.YEAR: 12,
    PeriodKind.SEMESTER: 6,
    PeriodKind.QUARTER: 3,
    PeriodKind.MONTH: 1,
}
_COUNT: Final = {k: 12 // v for k, v in _MONTHS_PER.items()}

MONTHS_ID: Final = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
MONTHS_EN: Final = tuple(calendar.month_name[1:])
ROMAN_NUMERALS: Final = ("I", "II", "III", "IV")
"""The Roman numerals of quarters (TW I-IV) and semesters, the library's one table of them."""
_ROMAN: Final = {r: i for i, r in enumerate(ROMAN_NUMERALS, start=1)}


def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for i, (ind, eng) in enumerate(zip(MONTHS_ID, MONTHS_EN, strict=True), start=1):
        for n in (ind, eng, ind[:3], eng[:3]):
            names[n.lower()] = i
    names.update({"pebruari": 2, "agt": 8, "agus": 8, "sept": 9, "nopember": 11, "nop": 11})
    return names


_MONTH_NAMES: Final = _month_names()


def _kind(value: PeriodKind | str) -> PeriodKind:
    try:
        return PeriodKind(value)
    except ValueError:
        raise InvalidValueError(
            field="Period.kind",
            expected="one of " + ", ".join(k.value for k in PeriodKind),
            value=value,
        ) from None


def _validate_index(instance: Period, attribute: attrs.Attribute[int], value: int) -> None:
    count = _COUNT[instance.kind]
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= count:
        raise InvalidValueError(
            field="Period.index", expected=f"1 to {count} for a {instance.kind}", value=value
        )


def _validate_year(instance: Period, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2999:
        raise InvalidValueError(field="Period.year", expected="a year 1900-2999", value=value)


@attrs.frozen(order=False)
class Period:
    """A year, semester, quarter (triwulan) or month of a fiscal year.

    ``index`` numbers the period within its year from 1 (the third quarter
    has index 3); a year has index 1. Periods order by start date, then by
    end date, so a month comes before the quarter that starts with it.
    """

    year: int = attrs.field(validator=_validate_year)
    kind: PeriodKind = attrs.field(converter=_kind, default=PeriodKind.YEAR)
    index: int = attrs.field(default=1, validator=_validate_index)

    # --- construction -----------------------------------------------------------------
    @classmethod
    def year_of(cls, year: int) -> Period:
        """The whole fiscal year."""
        return cls(year)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """Triwulan ``quarter`` (1-4) of ``year``."""
        return cls(year, PeriodKind.QUARTER, quarter)

    @classmethod
    def semester(cls, year: int, semester: int) -> Period:
        """Semester ``semester`` (1-2) of ``year``."""
        return cls(year, PeriodKind.SEMESTER, semester)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """Month ``month`` (1-12) of ``year``."""
        return cls(year, PeriodKind.MONTH, month)

    @classmethod
    def of(cls, date: dt.date, kind: PeriodKind | str = PeriodKind.QUARTER) -> Period:
        """The period of ``kind`` that contains ``date``.

        >>> Period.of(dt.date(2021, 8, 17))
        Period(year=2021, kind='quarter', index=3)
        """
        k = _kind(kind)
        return cls(date.year, k, (date.month - 1) // k.months + 1)

    @classmethod
    def parse(cls, text: str, *, field: str | None = None, line: int | None = None) -> Period:
        """Read "2021", "2021-Q3", "Q3 2021", "TW III 2021", "Triwulan III 2021",
        "2021-S1", "Semester II 2021", "2021-07", "07/2021", "Juli 2021".

        >>> Period.parse("Semester II 2021")
        Period(year=2021, kind='semester', index=2)
        >>> Period.parse("2021-Q5")
        Traceback (most recent call last):
        ...
        iki_core.errors.PeriodParseError: cannot read '2021-Q5' as a period: quarter 5 \
does not exist (1 to 4)
        """
        if not isinstance(text, str):  # guards untyped callers
            raise PeriodParseError(repr(text), reason="not text", field=field, line=line)
        known = _PERIODS.get(text) if cls is Period else None
        if known is not None:
            return known
        if len(text) > MAX_PERIOD_LENGTH:
            raise PeriodParseError(
                text,
                reason=f"longer than {MAX_PERIOD_LENGTH} characters",
                field=field,
                line=line,
            )
        if any(c.isdigit() and not c.isascii() for c in text):
            # "٢٠٢١" or "２０２１": read nowhere else (numbers take ASCII digits only), so
            # refused rather than read as 2021 here and refused in the value beside it.
            raise PeriodParseError(
                text, reason="digits must be written 0-9", field=field, line=line
            )
        s = re.sub(r"\s+", " ", text.strip()).lower()
        for pattern, kind_of in _PATTERNS:
            m = pattern.fullmatch(s)
            if m is None:
                continue
            year = int(m.group("year"))
            kind, index = kind_of(m)
            if index is None:
                raise PeriodParseError(text, reason="unknown month name", field=field, line=line)
            count = _COUNT[kind]
            if not 1 <= index <= count:
                raise PeriodParseError(
                    text,
                    reason=f"{kind} {index} does not exist (1 to {count})",
                    field=field,
                    line=line,
                )
            if not 1900 <= year <= 2999:
                raise PeriodParseError(
                    text, reason=f"year {year} is out of range", field=field, line=line
                )
            period = cls(year, kind, index)
            return remember(_PERIODS, text, period) if cls is Period else period
        raise PeriodParseError(
            text,
            reason="expected a year (2021), quarter (2021-Q3, TW III 2021), semester "
            "(2021-S1, Semester II 2021) or month (2021-07, Juli 2021)",
            field=field,
            line=line,
        )

    # --- dates ------------------------------------------------------------------------
    @property
    def first_month(self) -> int:
        """The number (1-12) of the period's first month."""
        return (self.index - 1) * self.kind.months + 1

    @property
    def last_month(self) -> int:
        """The number (1-12) of the period's last month: the months of the year
        elapsed by the end of the period."""
        return self.index * self.kind.months

    @property
    def start(self) -> dt.date:
        """The first day of the period."""
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        m = self.last_month
        return dt.date(self.year, m, calendar.monthrange(self.year, m)[1])

    # --- relations --------------------------------------------------------------------
    def contains(self, other: Period | dt.date) -> bool:
        """True when ``other`` (a period or a date) lies wholly inside this period."""
        if isinstance(other, Period):
            return (
                other.year == self.year
                and self.first_month <= other.first_month
                and other.last_month <= self.last_month
            )
        day = other.date() if isinstance(other, dt.datetime) else other
        return self.start <= day <= self.end

    def __contains__(self, other: object) -> bool:
        return isinstance(other, Period | dt.date) and self.contains(other)

    def within(self, other: Period) -> bool:
        """True when this period lies inside ``other``."""
        return other.contains(self)

    def enclosing(self, kind: PeriodKind | str) -> Period:
        """The period of ``kind`` that contains this one (its quarter, its year...).

        >>> Period.parse("2021-08").enclosing("semester")
        Period(year=2021, kind='semester', index=2)
        """
        k = _kind(kind)
        if k.months < self.kind.months:
            raise InvalidValueError(
                field="kind", expected=f"a kind no shorter than {self.kind}", value=str(k)
            )
        return Period(self.year, k, (self.first_month - 1) // k.months + 1)

    @property
    def year_period(self) -> Period:
        """The fiscal year this period lies in."""
        return Period(self.year)

    def children(self, kind: PeriodKind | str) -> tuple[Period, ...]:
        """The periods of ``kind`` that tile this one, in order."""
        k = _kind(kind)
        if k.months > self.kind.months:
            raise InvalidValueError(
                field="kind", expected=f"a kind no longer than {self.kind}", value=str(k)
            )
        first = (self.first_month - 1) // k.months + 1
        last = self.last_month // k.months
        return tuple(Period(self.year, k, i) for i in range(first, last + 1))

    @property
    def sort_key(self) -> tuple[dt.date, dt.date]:
        """(start, end): the order of periods."""
        return (self.start, self.end)

    def __lt__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __le__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key <= other.sort_key

    def __gt__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key > other.sort_key

    def __ge__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key >= other.sort_key

    # --- text -------------------------------------------------------------------------
    def __str__(self) -> str:
        if self.kind is PeriodKind.YEAR:
            return str(self.year)
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.index:02d}"
        letter = "Q" if self.kind is PeriodKind.QUARTER else "S"
        return f"{self.year}-{letter}{self.index}"

    def label(self, lang: str = "id", *, short: bool = False) -> str:
        """A label for people: "Triwulan III 2021" (``short``: "TW III 2021"),
        "Semester I 2021", "Juli 2021"; in English "Q3 2021", "Semester 1 2021",
        "July 2021".

        >>> Period.parse("2021-Q3").label(short=True)
        'TW III 2021'
        >>> Period.parse("2021-07").label("en")
        'July 2021'
        """
        k, i, y = self.kind, self.index, self.year
        if k is PeriodKind.YEAR:
            return str(y)
        if k is PeriodKind.MONTH:
            return f"{(MONTHS_ID if lang == 'id' else MONTHS_EN)[i - 1]} {y}"
        if lang == "id":
            if k is PeriodKind.QUARTER:
                return f"{'TW' if short else 'Triwulan'} {ROMAN_NUMERALS[i - 1]} {y}"
            return f"Semester {ROMAN_NUMERALS[i - 1]} {y}"
        if k is PeriodKind.QUARTER:
            return f"Q{i} {y}"
        return f"{'H' if short else 'Semester '}{i} {y}"


_PERIODS: Final[dict[str, Period]] = {}
"""Periods already read, by their text as written."""


def _num(text: str) -> int:
    return _ROMAN[text.upper()] if text.upper() in _ROMAN else int(text)


_IDX: Final = r"(?P<index>[1-9]|i{1,3}|iv)"
_YEAR: Final = r"(?P<year>\d{4})"
_QWORD: Final = r"(?:q|tw|triwulan|trw|kuartal|quarter)"
_SWORD: Final = r"(?:s|sm|smt|sem|semester|h)"
_KE: Final = r"(?:ke[- ]?)?"


def _quarter(m: re.Match[str]) -> tuple[PeriodKind, int | None]:
    return PeriodKind.QUARTER, _num(m.group("index"))


def _semester(m: re.Match[str]) -> tuple[PeriodKind, int | None]:
    return PeriodKind.SEMESTER, _num(m.group("index"))


def _month_number(m: re.Match[str]) -> tuple[PeriodKind, int | None]:
    return PeriodKind.MONTH, int(m.group("index"))


def _month_name(m: re.Match[str]) -> tuple[PeriodKind, int | None]:
    return PeriodKind.MONTH, _MONTH_NAMES.get(m.group("name").rstrip("."))


def _year(m: re.Match[str]) -> tuple[PeriodKind, int | None]:
    return PeriodKind.YEAR, 1


MAX_PERIOD_LENGTH: Final = 100
"""The longest text read as a period ("Triwulan ke-III tahun 2021" is 26 characters)."""

_PATTERNS: Final = (
    (re.compile(rf"(?:tahun |ta |fy )?{_YEAR}"), _year),
    (re.compile(rf"{_YEAR} ?[-/ ]? ?{_QWORD} ?{_IDX}"), _quarter),
    (re.compile(rf"{_QWORD} ?{_KE}{_IDX} ?(?:[-/,]|tahun)? ?{_YEAR}"), _quarter),
    (re.compile(rf"{_YEAR} ?[-/ ]? ?{_SWORD} ?{_IDX}"), _semester),
    (re.compile(rf"{_SWORD} ?{_KE}{_IDX} ?(?:[-/,]|tahun)? ?{_YEAR}"), _semester),
    (re.compile(rf"{_YEAR}[-/](?P<index>\d{{1,2}})"), _month_number),
    (re.compile(rf"(?P<index>\d{{1,2}})[-/]{_YEAR}"), _month_number),
    (re.compile(rf"(?:bulan )?(?P<name>[a-z]+\.?) ?[-/,]? ?{_YEAR}"), _month_name),
)


# --- dates --------------------------------------------------------------------------
class IndonesianParserInfo(du_parser.parserinfo):
    """python-dateutil ``parserinfo`` with Indonesian month and day names.

    English names keep working; days come first ("12/01/2021" is 12 January).
    """

    MONTHS: list[Any] = [  # noqa: RUF012 - parserinfo reads class attributes
        (m[:3], m, e, e[:3]) for m, e in zip(MONTHS_ID, MONTHS_EN, strict=True)
    ]
    MONTHS[1] = (*MONTHS[1], "Pebruari")
    MONTHS[7] = (*MONTHS[7], "Agt", "Agus")
    MONTHS[8] = (*MONTHS[8], "Sept")
    MONTHS[10] = (*MONTHS[10], "Nopember", "Nop")
    WEEKDAYS: list[Any] = [  # noqa: RUF012
        ("Sen", "Senin", "Monday", "Mon"),
        ("Sel", "Selasa", "Tuesday", "Tue"),
        ("Rab", "Rabu", "Wednesday", "Wed"),
        ("Kam", "Kamis", "Thursday", "Thu"),
        ("Jum", "Jumat", "Jum'at", "Friday", "Fri"),
        ("Sab", "Sabtu", "Saturday", "Sat"),
        ("Min", "Minggu", "Sunday", "Sun"),
    ]
    JUMP: list[str] = [  # noqa: RUF012
        " ", ".", ",", ";", "-", "/", "'", "tanggal", "tgl", "pada", "hari", "of", "the",
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__(dayfirst=True, yearfirst=False)


_PARSERINFO: Final = IndonesianParserInfo()


def parse_date(text: str, *, field: str | None = None, line: int | None = None) -> dt.date:
    """Read a date written the Indonesian way: "12 Januari 2021", "17-08-2021",
    "Senin, 3 Mei 2021", "2021-05-03".

    >>> parse_date("12 Januari 2021")
    datetime.date(2021, 1, 12)
    >>> parse_date("17/08/2021")
    datetime.date(2021, 8, 17)
    """
    if not isinstance(text, str):  # guards untyped callers
        raise PeriodParseError(repr(text), reason="not text", field=field, line=line)
    known = _DATES.get(text)
    if known is not None:
        return known
    s = text.strip()
    if len(s) > MAX_PERIOD_LENGTH:
        raise PeriodParseError(
            text, reason=f"longer than {MAX_PERIOD_LENGTH} characters", field=field, line=line
        )
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        try:
            return remember(_DATES, text, dt.date.fromisoformat(s))
        except ValueError as exc:
            raise PeriodParseError(text, reason=str(exc), field=field, line=line) from exc
    if not re.search(r"\d", s) or re.fullmatch(r"\d{4}", s):
        raise PeriodParseError(
            text, reason="not a full date (day, month and year)", field=field, line=line
        )
    try:
        # Parsed twice with different defaults: a part that follows the default was not
        # written ("Mei 2021" has no day), and is never invented.
        result = du_parser.parse(s, parserinfo=_PARSERINFO, default=_NO_DAY)
        other = du_parser.parse(s, parserinfo=_PARSERINFO, default=_NO_DAY_2)
    except (ValueError, OverflowError, TypeError, IndexError) as exc:  # dateutil's kinds
        raise PeriodParseError(
            text, reason="not a date (expected e.g. '12 Januari 2021')", field=field, line=line
        ) from exc
    for part in ("year", "month", "day"):
        if getattr(result, part) != getattr(other, part):
            raise PeriodParseError(text, reason=f"the {part} is missing", field=field, line=line)
    return remember(_DATES, text, result.date())


_NO_DAY: Final = dt.datetime(1, 1, 1)
_NO_DAY_2: Final = dt.datetime(4, 3, 2)
_DATES: Final[dict[str, dt.date]] = {}
"""Dates already read, by their text as written."""


@attrs.frozen
class PlaceDate:
    """The place and date line above a signature: "Liwa, 2021", "Liwa, 12 Januari 2021".

    ``date`` is set when a whole date was written, ``year`` whenever a year was;
    ``text`` keeps the line as written.
    """

    place: str | None
    date: dt.date | None
    year: int | None
    text: str


def parse_place_date(text: str) -> PlaceDate:
    """Split a signature's place-and-date line.

    >>> parse_place_date("Liwa, 2021")
    PlaceDate(place='Liwa', date=None, year=2021, text='Liwa, 2021')
    >>> parse_place_date("Liwa, 12 Januari 2021").date
    datetime.date(2021, 1, 12)
    >>> parse_place_date("Lima,")
    PlaceDate(place='Lima', date=None, year=None, text='Lima,')
    """
    place, sep, rest = text.partition(",")
    if not sep:
        place, rest = "", text
    place_s = place.strip() or None
    rest = rest.strip()
    date: dt.date | None = None
    year: int | None = None
    if re.fullmatch(r"\d{4}", rest):
        year = int(rest)
    elif rest:
        try:
            date = parse_date(rest)
            year = date.year
        except PeriodParseError:
            m = re.search(r"\b(19|20)\d{2}\b", rest)
            year = int(m.group(0)) if m else None
    return PlaceDate(place_s, date, year, text)
