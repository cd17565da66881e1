"""Reporting periods (year, semester, triwulan, month) and Indonesian dates."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from dateutil import parser as du_parser
from hypothesis import given
from hypothesis import strategies as st

from iki_core.errors import InvalidValueError, PeriodParseError
from iki_core.periods import (
    IndonesianParserInfo,
    Period,
    PeriodKind,
    PlaceDate,
    parse_date,
    parse_place_date,
)
from tests.strategies import periods, years

# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021", "2021"),
        ("Tahun 2021", "2021"),
        ("TA 2021", "2021"),
        ("2021-Q3", "2021-Q3"),
        ("Q3 2021", "2021-Q3"),
        ("q3 2021", "2021-Q3"),
        ("2021 Q3", "2021-Q3"),
        ("TW III 2021", "2021-Q3"),
        ("TW 3 2021", "2021-Q3"),
        ("tw3 2021", "2021-Q3"),
        ("Triwulan III 2021", "2021-Q3"),
        ("Triwulan ke-2 2021", "2021-Q2"),
        ("Triwulan II Tahun 2021", "2021-Q2"),
        ("TW IV 2021", "2021-Q4"),
        ("2021-S1", "2021-S1"),
        ("2021-s1", "2021-S1"),
        ("Semester II 2021", "2021-S2"),
        ("Semester 1 2021", "2021-S1"),
        ("H1 2021", "2021-S1"),
        ("2021-H2", "2021-S2"),
        ("2021-07", "2021-07"),
        ("07/2021", "2021-07"),
        ("7/2021", "2021-07"),
        ("Juli 2021", "2021-07"),
        ("juli 2021", "2021-07"),
        ("Bulan Juli 2021", "2021-07"),
        ("July 2021", "2021-07"),
        ("Agustus 2021", "2021-08"),
        ("Agt 2021", "2021-08"),
        ("Sept 2021", "2021-09"),
        ("Nopember 2021", "2021-11"),
        ("Desember 2021", "2021-12"),
        ("  Semester   II  2021 ", "2021-S2"),
    ],
)
def test_parse(text: str, expected: str) -> None:
    assert str(Period.parse(text)) == expected


GENERIC = (
    "expected a year (2021), quarter (2021-Q3, TW III 2021), semester (2021-S1, Semester II "
    "2021) or month (2021-07, Juli 2021)"
)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2021-Q5", "quarter 5 does not exist (1 to 4)"),
        ("TW 9 2021", "quarter 9 does not exist (1 to 4)"),
        ("Semester III 2021", "semester 3 does not exist (1 to 2)"),
        ("2021-13", "month 13 does not exist (1 to 12)"),
        ("2021-00", "month 0 does not exist (1 to 12)"),
        ("1899", "year 1899 is out of range"),
        ("3000", "year 3000 is out of range"),
        ("Foo 2021", "unknown month name"),
        ("21", GENERIC),
        ("", GENERIC),
        ("2021-07-01", GENERIC),
    ],
)
def test_parse_errors(text: str, reason: str) -> None:
    with pytest.raises(PeriodParseError) as info:
        Period.parse(text)
    assert str(info.value) == f"cannot read {text!r} as a period: {reason}"
    assert isinstance(info.value, ValueError)


def test_parse_error_names_field_and_line() -> None:
    with pytest.raises(PeriodParseError) as info:
        Period.parse("2021-Q5", field="period", line=4)
    assert str(info.value) == (
        "line 4, period: cannot read '2021-Q5' as a period: quarter 5 does not exist (1 to 4)"
    )


def test_parse_refuses_non_text() -> None:
    with pytest.raises(PeriodParseError) as info:
        Period.parse(2021)  # type: ignore[arg-type]
    assert str(info.value) == "cannot read '2021' as a period: not text"


# --- construction and validation -------------------------------------------------------------


def test_constructors() -> None:
    assert Period.quarter(2021, 3) == Period(2021, PeriodKind.QUARTER, 3) == Period.parse("2021-Q3")
    assert Period.semester(2021, 2) == Period(2021, "semester", 2)
    assert Period.month(2021, 7) == Period.parse("Juli 2021")
    assert Period.year_of(2021) == Period(2021)
    assert repr(Period.quarter(2021, 3)) == "Period(year=2021, kind='quarter', index=3)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((2021, "quarter", 5), "Period.index: expected 1 to 4 for a quarter, got 5"),
        ((2021, "month", 0), "Period.index: expected 1 to 12 for a month, got 0"),
        ((2021, "year", 2), "Period.index: expected 1 to 1 for a year, got 2"),
        ((2021, "quarter", True), "Period.index: expected 1 to 4 for a quarter, got True"),
        ((2021, "quarter", "3"), "Period.index: expected 1 to 4 for a quarter, got '3'"),
        ((2021, "month", 3.0), "Period.index: expected 1 to 12 for a month, got 3.0"),
        (
            (2021, "week", 1),
            "Period.kind: expected one of year, semester, quarter, month, got 'week'",
        ),
        ((1899, "year", 1), "Period.year: expected a year 1900-2999, got 1899"),
        (("2021", "year", 1), "Period.year: expected a year 1900-2999, got '2021'"),
    ],
)
def test_invalid_periods_cannot_exist(args: tuple[object, object, object], message: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        Period(*args)  # type: ignore[arg-type]
    assert str(info.value) == message


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2021", dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
        ("2021-S1", dt.date(2021, 1, 1), dt.date(2021, 6, 30)),
        ("2021-S2", dt.date(2021, 7, 1), dt.date(2021, 12, 31)),
        ("2021-Q1", dt.date(2021, 1, 1), dt.date(2021, 3, 31)),
        ("2021-Q2", dt.date(2021, 4, 1), dt.date(2021, 6, 30)),
        ("2021-Q3", dt.date(2021, 7, 1), dt.date(2021, 9, 30)),
        ("2021-Q4", dt.date(2021, 10, 1), dt.date(2021, 12, 31)),
        ("2020-02", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),  # leap year
        ("2021-02", dt.date(2021, 2, 1), dt.date(2021, 2, 28)),
        ("2100-02", dt.date(2100, 2, 1), dt.date(2100, 2, 28)),  # not a leap year
        ("2021-11", dt.date(2021, 11, 1), dt.date(2021, 11, 30)),
    ],
)
def test_start_and_end(text: str, start: dt.date, end: dt.date) -> None:
    p = Period.parse(text)
    assert (p.start, p.end) == (start, end)


def test_first_and_last_month() -> None:
    q3 = Period.parse("2021-Q3")
    assert (q3.first_month, q3.last_month) == (7, 9)
    assert PeriodKind.QUARTER.months == 3


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("year", "2021"), ("semester", "2021-S2"), ("quarter", "2021-Q3"), ("month", "2021-08")],
)
def test_period_of_a_date(kind: str, expected: str) -> None:
    assert str(Period.of(dt.date(2021, 8, 17), kind)) == expected


def test_period_of_is_a_quarter_by_default() -> None:
    assert Period.of(dt.datetime(2021, 12, 31, 23, 59)) == Period.quarter(2021, 4)


@given(st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 31)), st.sampled_from(list(PeriodKind)))
def test_period_of_contains_its_date(day: dt.date, kind: PeriodKind) -> None:
    p = Period.of(day, kind)
    assert p.kind is kind
    assert p.start <= day <= p.end
    assert day in p


# --- relations -------------------------------------------------------------------------------


def test_contains_and_within() -> None:
    q3 = Period.parse("2021-Q3")
    assert Period.parse("Juli 2021") in q3
    assert Period.parse("2021-06") not in q3
    assert q3 in Period.parse("2021")
    assert q3 in Period.parse("2021-S2")
    assert q3 not in Period.parse("2021-S1")
    assert q3 not in Period.parse("2022")
    assert q3.within(Period.parse("2021"))
    assert q3 in q3
    assert Period.parse("2021") not in q3
    assert dt.date(2021, 9, 30) in q3
    assert dt.date(2021, 10, 1) not in q3
    assert dt.datetime(2021, 8, 17, 10, 0) in q3
    assert "2021-Q3" not in q3


def test_enclosing() -> None:
    august = Period.parse("2021-08")
    assert august.enclosing("quarter") == Period.quarter(2021, 3)
    assert august.enclosing("semester") == Period.semester(2021, 2)
    assert august.enclosing(PeriodKind.YEAR) == Period(2021)
    assert august.enclosing("month") == august
    assert august.year_period == Period(2021)
    with pytest.raises(InvalidValueError) as info:
        Period.parse("2021-Q3").enclosing("month")
    assert str(info.value) == "kind: expected a kind no shorter than quarter, got 'month'"


def test_children() -> None:
    s2 = Period.parse("Semester II 2021")
    assert [str(p) for p in s2.children("quarter")] == ["2021-Q3", "2021-Q4"]
    assert [str(p) for p in s2.children("month")] == [f"2021-{m:02d}" for m in range(7, 13)]
    assert Period(2021).children("year") == (Period(2021),)
    with pytest.raises(InvalidValueError) as info:
        Period.parse("2021-Q3").children("year")
    assert str(info.value) == "kind: expected a kind no longer than quarter, got 'year'"
    with pytest.raises(InvalidValueError):
        Period(2021).children("fortnight")


@given(years(1900, 2999), st.integers(1, 4))
def test_every_quarter_lies_inside_its_year(year: int, index: int) -> None:
    q = Period.quarter(year, index)
    assert q.within(Period(year))
    assert q in Period(year)
    assert q.enclosing("year") == Period(year)
    assert not q.within(Period(year - 1 if year > 1900 else year + 1))


@given(years(1900, 2999))
def test_four_quarters_tile_the_year(year: int) -> None:
    quarters = Period(year).children("quarter")
    assert len(quarters) == 4
    assert quarters[0].start == dt.date(year, 1, 1)
    assert quarters[-1].end == dt.date(year, 12, 31)
    for before, after in itertools.pairwise(quarters):
        assert before.end + dt.timedelta(days=1) == after.start
    days = sum((q.end - q.start).days + 1 for q in quarters)
    assert days == (Period(year).end - Period(year).start).days + 1
    for month in Period(year).children("month"):
        assert sum(month in q for q in quarters) == 1


# --- order -----------------------------------------------------------------------------------


def test_order() -> None:
    texts = ["2021-Q3", "2021", "2021-01", "2020-Q4", "2021-S1", "2021-Q1", "2021-07", "2021-S2"]
    ordered = sorted(Period.parse(t) for t in texts)
    # By start date, then by end date: a month comes before the quarter that starts with it.
    assert [str(p) for p in ordered] == [
        "2020-Q4",
        "2021-01",
        "2021-Q1",
        "2021-S1",
        "2021",
        "2021-07",
        "2021-Q3",
        "2021-S2",
    ]


def test_order_with_other_types() -> None:
    with pytest.raises(TypeError):
        _ = Period(2021) < "2022"  # type: ignore[operator]
    other: object = "2021"
    assert Period(2021) != other


@given(periods(), periods())
def test_order_is_total_and_consistent_with_equality(a: Period, b: Period) -> None:
    assert [a < b, a == b, a > b].count(True) == 1
    assert (a <= b) == (a < b or a == b)
    assert (a >= b) == (a > b or a == b)
    assert (a < b) == (b > a)
    if a == b:
        assert hash(a) == hash(b)
        assert a.sort_key == b.sort_key
    else:
        assert a.sort_key != b.sort_key


@given(periods(), periods(), periods())
def test_order_is_transitive(a: Period, b: Period, c: Period) -> None:
    x, y, z = sorted((a, b, c))
    assert x <= y <= z
    assert x <= z


# --- text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "short", "label"),
    [
        ("2021-Q3", "id", False, "Triwulan III 2021"),
        ("2021-Q3", "id", True, "TW III 2021"),
        ("2021-Q3", "en", False, "Q3 2021"),
        ("2021-S1", "id", False, "Semester I 2021"),
        ("2021-S1", "en", False, "Semester 1 2021"),
        ("2021-S1", "en", True, "H1 2021"),
        ("2021-07", "id", False, "Juli 2021"),
        ("2021-07", "en", False, "July 2021"),
        ("2021", "id", False, "2021"),
    ],
)
def test_label(text: str, lang: str, short: bool, label: str) -> None:
    assert Period.parse(text).label(lang, short=short) == label


@given(periods())
def test_parse_inverts_str(p: Period) -> None:
    assert Period.parse(str(p)) == p


@given(periods(), st.sampled_from(["id", "en"]), st.booleans())
def test_parse_inverts_label(p: Period, lang: str, short: bool) -> None:
    assert Period.parse(p.label(lang, short=short)) == p


# --- Indonesian dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 Januari 2021", dt.date(2021, 1, 12)),
        ("17-08-2021", dt.date(2021, 8, 17)),
        ("17/08/2021", dt.date(2021, 8, 17)),
        ("01/02/2021", dt.date(2021, 2, 1)),  # day first
        ("Senin, 3 Mei 2021", dt.date(2021, 5, 3)),
        ("Kamis 4 Maret 2021", dt.date(2021, 3, 4)),
        ("2021-05-03", dt.date(2021, 5, 3)),
        ("29 Februari 2020", dt.date(2020, 2, 29)),
        ("1 Agt 2021", dt.date(2021, 8, 1)),
        ("tanggal 5 Nopember 2021", dt.date(2021, 11, 5)),
        ("5 Desember 2021", dt.date(2021, 12, 5)),
        ("12 January 2021", dt.date(2021, 1, 12)),
    ],
)
def test_parse_date(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # A missing part is never invented: "Mei 2021" is not 1 Mei 2021.
        ("Mei 2021", "the day is missing"),
        ("3 Mei", "the year is missing"),
        ("2021", "not a full date (day, month and year)"),
        ("Liwa", "not a full date (day, month and year)"),
        ("2021-02-30", "day is out of range for month"),
        ("29 Februari 2021", "not a date (expected e.g. '12 Januari 2021')"),
        ("12 Foo 2021", "not a date (expected e.g. '12 Januari 2021')"),
    ],
)
def test_parse_date_errors(text: str, reason: str) -> None:
    with pytest.raises(PeriodParseError) as info:
        parse_date(text)
    assert str(info.value) == f"cannot read {text!r} as a period: {reason}"


def test_parse_date_refuses_non_text() -> None:
    with pytest.raises(PeriodParseError) as info:
        parse_date(None)  # type: ignore[arg-type]
    assert str(info.value) == "cannot read 'None' as a period: not text"


def test_parserinfo_works_with_dateutil() -> None:
    info = IndonesianParserInfo()
    assert du_parser.parse("17 Agustus 1945", parserinfo=info) == dt.datetime(1945, 8, 17)
    assert du_parser.parse("05/04/2021", parserinfo=info) == dt.datetime(2021, 4, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Liwa, 2021", PlaceDate("Liwa", None, 2021, "Liwa, 2021")),
        # The seed's OCR slip "Lima," for "Liwa,": a place, no date.
        ("Lima,", PlaceDate("Lima", None, None, "Lima,")),
        (
            "Liwa, 12 Januari 2021",
            PlaceDate("Liwa", dt.date(2021, 1, 12), 2021, "Liwa, 12 Januari 2021"),
        ),
        ("Liwa, Januari 2021", PlaceDate("Liwa", None, 2021, "Liwa, Januari 2021")),
        ("Liwa, 31 Februari 2021", PlaceDate("Liwa", None, 2021, "Liwa, 31 Februari 2021")),
        (
            "Bandar Lampung, 5 Mei 2021",
            PlaceDate("Bandar Lampung", dt.date(2021, 5, 5), 2021, "Bandar Lampung, 5 Mei 2021"),
        ),
        ("2021", PlaceDate(None, None, 2021, "2021")),
        ("", PlaceDate(None, None, None, "")),
    ],
)
def test_parse_place_date(text: str, expected: PlaceDate) -> None:
    assert parse_place_date(text) == expected


def test_periods_in_other_digits_are_refused() -> None:
    # Numbers take the digits 0-9 only; a period does the same, rather than read "٢٠٢١" as
    # 2021 beside a value in the same digits that is refused (docs/formats.md).
    with pytest.raises(PeriodParseError, match="digits must be written 0-9"):
        Period.parse("\u0662\u0660\u0662\u0661-Q1")
    with pytest.raises(PeriodParseError, match="longer than 100 characters"):
        Period.parse("2021" + " " * 200 + "Q1")
    with pytest.raises(PeriodParseError, match="longer than 100 characters"):
        parse_date("1" * 10_000)


def test_a_period_or_date_read_again_is_the_same_and_an_error_names_each_place() -> None:
    # Period.parse and parse_date keep what each text read to (iki_core._memo); a text that
    # fails is read again each time, so each error names its own line.
    assert Period.parse("TW III 2021") is Period.parse("TW III 2021")
    assert Period.parse("TW III 2021") == Period.quarter(2021, 3)
    assert parse_date("5 Oktober 2021") == parse_date("5 Oktober 2021") == dt.date(2021, 10, 5)
    for line in (2, 7):
        with pytest.raises(PeriodParseError) as info:
            Period.parse("2021-Q5", field="period", line=line)
        assert str(info.value).startswith(f"line {line}, period:")
        with pytest.raises(PeriodParseError) as info:
            parse_date("Mei 2021", field="reported_on", line=line)
        assert str(info.value) == (
            f"line {line}, reported_on: cannot read 'Mei 2021' as a period: the day is missing"
        )
