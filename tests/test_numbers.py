"""Numbers as Indonesian documents write them: parse_number, format_number, round_half_up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iki_core.errors import IkiError, IkiTypeError, NumberParseError
from iki_core.numbers import Lang, format_number, parse_number, round_half_up, to_decimal
from tests.strategies import LANGS, indonesian_numerals, numerals, two_place_decimals

# --- parse_number ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Indonesian locale: thousands dot, decimal comma (the seed's "100,00%", "550").
        ("1.250", Decimal("1250")),
        ("95,5", Decimal("95.5")),
        ("1.234,56", Decimal("1234.56")),
        ("100,00", Decimal("100.00")),
        ("100,00%", Decimal("100.00")),
        ("550", Decimal("550")),
        ("-1.000.000", Decimal("-1000000")),
        ("1.000.000,5", Decimal("1000000.5")),
        ("0,5", Decimal("0.5")),
        ("00,50", Decimal("0.50")),
        ("+5", Decimal("5")),
        ("\u22125", Decimal("-5")),  # minus sign
        ("\u20135", Decimal("-5")),  # en dash used as minus
        ("- 5", Decimal("-5")),
        ("5 %", Decimal("5")),
        (" \t1.250 \n", Decimal("1250")),
        ("1 000", Decimal("1000")),  # a space grouping thousands
        ("1\u00a0000,5", Decimal("1000.5")),  # a no-break space grouping thousands
        # "1,000" in Indonesian is one, written with three decimals.
        ("1,000", Decimal("1.000")),
    ],
)
def test_parse_indonesian(text: str, expected: Decimal) -> None:
    result = parse_number(text)
    assert result == expected
    assert str(result) == str(expected)  # the places written are kept


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", Decimal("1234.56")),
        ("1,000", Decimal("1000")),
        ("95.5%", Decimal("95.5")),
        ("1.250", Decimal("1.250")),
        ("-0.25", Decimal("-0.25")),
    ],
)
def test_parse_english(text: str, expected: Decimal) -> None:
    result = parse_number(text, lang="en")
    assert result == expected
    assert str(result) == str(expected)


def test_parse_programmatic_numbers() -> None:
    assert parse_number(7) == Decimal(7)
    assert str(parse_number(Decimal("2.50"))) == "2.50"


@pytest.mark.parametrize(
    ("text", "lang", "message"),
    [
        ("-", "id", "cannot read '-' as a number: no digits"),
        ("", "id", "cannot read '' as a number: no digits"),
        ("%", "id", "cannot read '%' as a number: no digits"),
        ("1.", "id", "cannot read '1.' as a number: misplaced separator"),
        ("1.", "en", "cannot read '1.' as a number: no digits after the decimal point"),
        (",5", "id", "cannot read ',5' as a number: no digits before the decimal comma"),
        (".5", "en", "cannot read '.5' as a number: no digits before the decimal point"),
        ("1.000,", "id", "cannot read '1.000,' as a number: no digits after the decimal comma"),
        ("1,2,3", "id", "cannot read '1,2,3' as a number: more than one decimal comma"),
        ("1..000", "id", "cannot read '1..000' as a number: misplaced separator"),
        ("1e5", "id", "cannot read '1e5' as a number: unexpected character 'e'"),
        ("--5", "id", "cannot read '--5' as a number: unexpected character '-'"),
        ("5%%", "id", "cannot read '5%%' as a number: unexpected character '%'"),
        (
            "1.25",
            "id",
            "cannot read '1.25' as a number: the group after '.' must have three digits "
            "(Indonesian numbers write the decimal part after a comma, e.g. '1,25')",
        ),
        (
            "12.34.567",
            "id",
            "cannot read '12.34.567' as a number: the group after '.' must have three digits",
        ),
        (
            "95,5",
            "en",
            "cannot read '95,5' as a number: the group after ',' must have three digits",
        ),
        (
            "1.234,56",
            "en",
            "cannot read '1.234,56' as a number: misplaced separator",
        ),
        # Two numbers run together by a table extraction are not one number.
        (
            "12 5",
            "id",
            "cannot read '12 5' as a number: a space inside a number may only separate groups "
            "of three digits",
        ),
        (
            "1.250 000",
            "id",
            "cannot read '1.250 000' as a number: a space inside a number may only separate "
            "groups of three digits",
        ),
    ],
)
def test_parse_errors(text: str, lang: Lang, message: str) -> None:
    with pytest.raises(NumberParseError) as info:
        parse_number(text, lang=lang)
    assert str(info.value) == message
    assert info.value.text == text
    assert isinstance(info.value, ValueError)


def test_parse_error_names_field_and_line() -> None:
    with pytest.raises(NumberParseError) as info:
        parse_number("1.25", field="target 2021", line=17)
    assert str(info.value).startswith("line 17, target 2021: cannot read '1.25' as a number")
    assert (info.value.field, info.value.line) == ("target 2021", 17)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0.1, "number: expected str, int or Decimal, got float 0.1"),
        (True, "number: expected str, int or Decimal, got bool True"),
        (None, "number: expected str, int or Decimal, got NoneType None"),
        (Fraction(1, 4), "number: expected str, int or Decimal, got Fraction Fraction(1, 4)"),
        (Decimal("NaN"), "number: expected a finite Decimal, got Decimal Decimal('NaN')"),
        (
            Decimal("-Infinity"),
            "number: expected a finite Decimal, got Decimal Decimal('-Infinity')",
        ),
    ],
)
def test_parse_refuses_floats_and_non_numbers(value: object, message: str) -> None:
    with pytest.raises(IkiTypeError) as info:
        parse_number(value)  # type: ignore[arg-type]
    assert str(info.value) == message
    assert isinstance(info.value, TypeError)


@given(indonesian_numerals())
def test_parse_reads_indonesian_numerals(pair: tuple[str, Decimal]) -> None:
    text, value = pair
    assert parse_number(text) == value


@given(st.sampled_from(LANGS).flatmap(lambda lang: st.tuples(st.just(lang), numerals(lang))))
def test_parse_reads_numerals_of_either_language(
    case: tuple[Lang, tuple[str, Decimal]],
) -> None:
    lang, (text, value) = case
    assert parse_number(text, lang=lang) == value


@given(two_place_decimals(), st.sampled_from(LANGS))
def test_parse_inverts_format(value: Decimal, lang: Lang) -> None:
    # Law of the format: parse_number(format_number(x)) == x for two-place Decimals.
    assert parse_number(format_number(value, lang=lang), lang=lang) == value
    assert parse_number(format_number(value, lang=lang, places=2), lang=lang) == value
    assert parse_number(format_number(value, lang=lang, percent=True), lang=lang) == value


# --- format_number ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (Decimal("95.8333"), {"places": 2, "percent": True}, "95,83%"),
        (Decimal("1250"), {}, "1.250"),
        (Decimal("1250.5"), {"lang": "en"}, "1,250.5"),
        (Decimal("1234.5"), {"places": 2}, "1.234,50"),
        (Decimal("87.5"), {"places": 2, "percent": True, "lang": "en"}, "87.50%"),
        (Decimal("-1234567.891"), {"places": 2}, "-1.234.567,89"),
        (Decimal("1234567"), {"grouping": False}, "1234567"),
        (Decimal("100.00"), {"percent": True}, "100,00%"),
        (Decimal("123"), {}, "123"),
        (Decimal("0.5"), {}, "0,5"),
        (Decimal("1E+3"), {}, "1.000"),
        (7, {"places": 2}, "7,00"),
        # Half-up, once: 107.145 -> 107.15 (half-to-even would give 107.14).
        (Decimal("107.145"), {"places": 2, "percent": True}, "107,15%"),
        (Decimal("2.5"), {"places": 0}, "3"),
        (Decimal("-2.5"), {"places": 0}, "-3"),
        # No negative zero.
        (Decimal("-0.004"), {"places": 2}, "0,00"),
        (Decimal("-0.00"), {}, "0,00"),
        (Decimal("-0.005"), {"places": 2}, "-0,01"),
    ],
)
def test_format(value: Decimal, kwargs: dict[str, object], expected: str) -> None:
    assert format_number(value, **kwargs) == expected  # type: ignore[arg-type]


def test_format_refuses_float() -> None:
    with pytest.raises(IkiTypeError) as info:
        format_number(95.5)  # type: ignore[arg-type]
    assert str(info.value) == (
        "value: expected Decimal or int (floats lose digits; pass Decimal(str(x))), got float 95.5"
    )


@given(two_place_decimals(), st.sampled_from(LANGS))
def test_format_with_places_writes_exactly_two_decimals(value: Decimal, lang: Lang) -> None:
    text = format_number(value, places=2, lang=lang)
    decimal_mark = "," if lang == "id" else "."
    whole, mark, frac = text.rpartition(decimal_mark)
    assert mark == decimal_mark
    assert len(frac) == 2
    assert frac.isdigit()
    assert all(len(g) == 3 for g in whole.lstrip("-").split("." if lang == "id" else ",")[1:])


# --- round_half_up and to_decimal ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("107.145"), 2, "107.15"),
        (Decimal("2.675"), 2, "2.68"),  # round(2.675, 2) on a float gives 2.67
        (Decimal("-0.125"), 2, "-0.13"),  # half away from zero, as PHP round()
        (Decimal("87.5"), 2, "87.50"),
        (Decimal("1.5"), 0, "2"),
        (Decimal("0.5"), 0, "1"),  # Python round() gives 0
        (Fraction(2, 3), 2, "0.67"),
        (Fraction(-1, 8), 2, "-0.13"),
        (Fraction(1, 8), 2, "0.13"),
        (Fraction(5, 2), 0, "3"),
        (Fraction(-5, 2), 0, "-3"),
        # The lower-is-better example of PermenPANRB 8/2021: (2*7 - 6.5) / 7 * 100.
        (Fraction(2 * 7 * 2 - 13, 2 * 7) * 100, 2, "107.14"),
        (5, 2, "5.00"),
    ],
)
def test_round_half_up(value: Decimal | Fraction | int, places: int, expected: str) -> None:
    result = round_half_up(value, places)
    assert str(result) == expected


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False))
def test_round_half_up_agrees_on_decimal_and_fraction(value: Decimal) -> None:
    assert round_half_up(value) == round_half_up(Fraction(value))


def test_to_decimal() -> None:
    assert to_decimal(3) == Decimal(3)
    assert to_decimal(Fraction(1, 4)) == Decimal("0.25")
    with pytest.raises(IkiTypeError) as info:
        to_decimal(Fraction(1, 3), field="target")
    assert str(info.value) == (
        "target: expected a Fraction with an exact decimal expansion, got Fraction Fraction(1, 3)"
    )
    with pytest.raises(IkiTypeError) as info:
        to_decimal("12", field="target")
    assert isinstance(info.value, IkiError)
    assert str(info.value) == (
        "target: expected Decimal or int (floats lose digits; pass Decimal(str(x))), got str '12'"
    )


def test_a_language_brings_its_own_separators(monkeypatch: pytest.MonkeyPatch) -> None:
    # numbers.format_number: the separators are the catalogue's [number] group and decimal
    # (docs in messages.py: a third language is one more catalogue).
    import tomllib
    from importlib import resources

    from iki_core import messages
    from iki_core.messages import register_language

    # the language is registered for this test only
    monkeypatch.setattr(messages, "_registered", dict(messages._registered))
    monkeypatch.setattr(messages, "_catalogues", dict(messages._catalogues))

    en = tomllib.loads((resources.files("iki_core") / "data/messages/en.toml").read_text())
    en["number"] = {"group": "\u202f", "decimal": ","}
    register_language("xx", en)
    assert format_number(Decimal("1234567.891"), places=2, lang="xx") == "1\u202f234\u202f567,89"
    assert format_number(Decimal("1234567.891"), places=2, lang="id") == "1.234.567,89"
    assert format_number(Decimal("1234567.891"), places=2, lang="en") == "1,234,567.89"


# --- sane magnitudes and bounded cost ---------------------------------------------------------
def test_a_100000_digit_number_is_refused_before_it_is_parsed() -> None:
    with pytest.raises(NumberParseError, match=r"longer than 100 characters") as info:
        parse_number("1" * 100_000, field="target 2021", line=7)
    assert info.value.text == "1" * 100_000  # kept whole; the message quotes 200 characters
    assert str(info.value).endswith(
        "... (100000 characters in all) as a number: longer than 100 characters"
    )


def test_magnitudes_outside_the_sane_range_are_refused() -> None:
    # A billion-digit exponent would become a fraction of a billion digits.
    with pytest.raises(IkiError, match=r"at most 30 digits before the decimal separator"):
        to_decimal(Decimal("1E+999999999"), field="target")
    with pytest.raises(IkiError, match=r"an int of about \d+ digits"):
        to_decimal(10**100_000, field="target")
    with pytest.raises(IkiError):
        to_decimal(Decimal("1E-41"))
    with pytest.raises(NumberParseError, match=r"at most 30 digits"):
        parse_number("1" + ".000" * 10)  # 10**30
    assert parse_number("1" + ".000" * 9) == Decimal(10) ** 27
    assert to_decimal(Decimal("0.0000000001")) == Decimal("1E-10")


# --- numerals read once ------------------------------------------------------------------------
def test_a_numeral_read_again_is_the_same_and_an_error_names_each_place() -> None:
    # numbers.parse_number keeps what each spelling read to (iki_core._memo): the second
    # reading is the first's value; a numeral that fails is read again each time, so each
    # error names its own field and line.
    assert parse_number("1.250") == parse_number("1.250") == Decimal(1250)
    for line in (3, 9):
        with pytest.raises(NumberParseError) as info:
            parse_number("1.25", field="numerator", line=line)
        assert str(info.value).startswith(f"line {line}, numerator: cannot read '1.25'")


def test_a_numeral_is_remembered_per_pair_of_separators(monkeypatch: pytest.MonkeyPatch) -> None:
    # The same text reads by the separators of its language's catalogue: "1.250" is 1250 in
    # Indonesian, 1.25 in a language whose decimal separator is a point.
    import tomllib
    from importlib import resources

    from iki_core import messages
    from iki_core.messages import register_language

    monkeypatch.setattr(messages, "_registered", dict(messages._registered))
    monkeypatch.setattr(messages, "_catalogues", dict(messages._catalogues))
    assert parse_number("1.250") == Decimal(1250)
    en = tomllib.loads((resources.files("iki_core") / "data/messages/en.toml").read_text())
    register_language("xx", en)
    assert parse_number("1.250", lang="xx") == Decimal("1.250")  # type: ignore[arg-type]
    assert parse_number("1.250", lang="id") == Decimal(1250)


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        # digits grouped by three from the decimal separator, the sign kept (docs/rules.md)
        (Decimal("-1234567.891"), {"places": 2}, "-1.234.567,89"),
        (Decimal("1E+5"), {}, "100.000"),
        (Decimal("1E+5"), {"grouping": False}, "100000"),
        (Decimal("123"), {"lang": "en"}, "123"),
        (Decimal("-1000.5"), {"lang": "en"}, "-1,000.5"),
        # a negative that rounds to zero, and negative zero, are written without a sign
        (Decimal("-0.004"), {"places": 2}, "0,00"),
        (Decimal("-0.005"), {"places": 2}, "-0,01"),
        (Decimal("-0"), {}, "0"),
        (Decimal("-0.00"), {"percent": True}, "0,00%"),
    ],
)
def test_format_groups_and_signs(value: Decimal, kwargs: dict[str, object], expected: str) -> None:
    assert format_number(value, **kwargs) == expected  # type: ignore[arg-type]
