"""Numbers as Indonesian documents write them, read into :class:`~decimal.Decimal`.

The Indonesian locale writes a decimal comma and a thousands dot, and a
percent sign with no space: ``"1.250"`` is one thousand two hundred fifty,
``"95,5"`` is ninety-five and a half, ``"100,00%"`` is one hundred percent.

>>> parse_number("1.250")
Decimal('1250')
>>> parse_number("1.234,56")
Decimal('1234.56')
>>> parse_number("1,234.56", lang="en")
Decimal('1234.56')
>>> format_number(Decimal("95.8333"), places=2, percent=True)
'95,83%'
>>> format_number(Decimal("1250"))
'1.250'
>>> format_number(Decimal("1250.5"), lang="en")
'1,250.5'

Floats are never accepted: a float has already lost the value the user
wrote (``0.1`` is not one tenth), so it raises :class:`~iki_core.errors.IkiTypeError`.
"""

from __future__ import annotations

import re
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from fractions import Fraction
from typing import Final, Literal

from iki_core._memo import remember
from iki_core.errors import IkiTypeError, InvalidValueError, NumberParseError
from iki_core.messages import text as message

__all__ = [
    "DIVIDE",
    "EXACT",
    "Lang",
    "divide",
    "format_number",
    "out_of_range",
    "parse_number",
    "round_half_up",
    "to_decimal",
]

_TRAPS: Final = [InvalidOperation, DivisionByZero, Overflow]
EXACT: Final = Context(
    prec=MAX_PREC,
    rounding=ROUND_HALF_UP,
    Emin=MIN_EMIN,
    Emax=MAX_EMAX,
    capitals=1,
    clamp=0,
    flags=[],
    traps=_TRAPS,
)
"""The library's context for sums, products, quantize and scaleb: unbounded precision, so
exact; every field stated, so nothing depends on :func:`decimal.getcontext` (or on
:data:`decimal.DefaultContext`) of the application that embeds the library."""
DIVIDE: Final = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    Emin=MIN_EMIN,
    Emax=MAX_EMAX,
    capitals=1,
    clamp=0,
    flags=[],
    traps=_TRAPS,
)
"""The library's context for a quotient that may not end (1/3): 28 significant digits,
Python's default, stated here so the host's context cannot change it."""

Lang = Literal["id", "en"]
"""Number conventions: ``"id"`` (decimal comma, thousands dot) or ``"en"``."""

MINUS_SIGNS: Final = ("-", "\u2212", "\u2013")
"""How a minus is written: hyphen-minus, minus sign, en dash (word processors turn one
into another)."""

NO_TARGET_MARKS: Final = frozenset({*MINUS_SIGNS, "\u2014", "--"})
"""How sheets write "no target this year" (not zero): a minus sign alone, an em dash, or
two hyphens."""
_SPACES: Final = re.compile(r"[\s\u00a0\u202f]+")

MAX_NUMBER_LENGTH: Final = 100
"""The longest text read as a number (a 100,000-digit numeral is refused, not parsed)."""
MAX_WHOLE_DIGITS: Final = 30
"""A magnitude is below 10**30 (a thousand times the largest state budget in rupiah)."""
MAX_DECIMALS: Final = 40
"""A magnitude has at most 40 decimals (28 significant digits of a quotient below 1e-12)."""
_INT_LIMIT: Final = 10**MAX_WHOLE_DIGITS
_RANGE: Final = (
    f"at most {MAX_WHOLE_DIGITS} digits before the decimal separator and {MAX_DECIMALS} after"
)


def out_of_range(value: Decimal) -> bool:
    """True when the finite ``value`` is outside the sane range of magnitudes: its integer
    part has more than :data:`MAX_WHOLE_DIGITS` digits or it has more than
    :data:`MAX_DECIMALS` decimals. Such a number would turn into a fraction of millions of
    digits (``1E+999999999``), so every reader and constructor refuses it.

    >>> out_of_range(Decimal("1E+999999999")), out_of_range(Decimal("12.5"))
    (True, False)
    """
    exponent = value.as_tuple().exponent
    return (
        not isinstance(exponent, int)
        or exponent < -MAX_DECIMALS
        or (value.adjusted() >= MAX_WHOLE_DIGITS and not value.is_zero())
        or exponent >= MAX_WHOLE_DIGITS
    )


def _separators(lang: str) -> tuple[str, str]:
    """The (group, decimal) separators of ``lang``, from its message catalogue."""
    return message("number.group", lang), message("number.decimal", lang)


_READ: Final[dict[tuple[str, str, str], Decimal]] = {}
"""Numerals already read, by (text, group separator, decimal separator)."""


def parse_number(
    text: str | int | Decimal,
    *,
    lang: Lang = "id",
    field: str | None = None,
    line: int | None = None,
) -> Decimal:
    """Read a numeral written the Indonesian (default) or English way.

    Grouping separators must separate groups of three digits, so the
    ambiguous ``"1.25"`` is refused in Indonesian rather than guessed. A
    trailing percent sign is allowed and ignored (the value is in percent
    points). ``field`` and ``line`` only serve the error message.

    >>> parse_number("95,5%")
    Decimal('95.5')
    >>> parse_number("-1.000.000")
    Decimal('-1000000')
    >>> parse_number("1.25")
    Traceback (most recent call last):
    ...
    iki_core.errors.NumberParseError: cannot read '1.25' as a number: the group after '.' \
must have three digits (Indonesian numbers write the decimal part after a comma, e.g. '1,25')
    """
    if isinstance(text, bool) or not isinstance(text, str | int | Decimal):
        raise IkiTypeError(field=field or "number", expected="str, int or Decimal", value=text)
    if not isinstance(text, str):
        return to_decimal(text, field=field or "number")
    group, decimal = _separators(lang)
    key = (text, group, decimal)
    known = _READ.get(key)
    if known is not None:
        return known
    s = text.strip()
    if len(s) > MAX_NUMBER_LENGTH:
        raise NumberParseError(
            text,
            reason=f"longer than {MAX_NUMBER_LENGTH} characters",
            field=field,
            line=line,
        )
    if s.endswith("%"):
        s = s[:-1].rstrip()
    sign = ""
    if s[:1] in MINUS_SIGNS:
        sign, s = "-", s[1:].lstrip()
    elif s[:1] == "+":
        s = s[1:].lstrip()
    if not s:
        raise NumberParseError(text, reason="no digits", field=field, line=line)
    if _SPACES.search(s):
        # A space may group thousands ("1 000"), never join two numbers ("12 5").
        whole_s, sep, frac_s = s.partition(decimal)
        chunks = _SPACES.split(whole_s)
        if (
            group in whole_s
            or _SPACES.search(frac_s)
            or not 1 <= len(chunks[0]) <= 3
            or any(len(c) != 3 for c in chunks[1:])
        ):
            raise NumberParseError(
                text,
                reason="a space inside a number may only separate groups of three digits",
                field=field,
                line=line,
            )
        s = "".join(chunks) + sep + frac_s
    if s.count(decimal) > 1:
        raise NumberParseError(
            text, reason=f"more than one decimal {_name(decimal)}", field=field, line=line
        )
    whole, _, frac = s.partition(decimal)
    if decimal in s and not frac:
        raise NumberParseError(
            text, reason=f"no digits after the decimal {_name(decimal)}", field=field, line=line
        )
    if decimal in s and not whole:
        raise NumberParseError(
            text, reason=f"no digits before the decimal {_name(decimal)}", field=field, line=line
        )
    groups = whole.split(group)
    if not all(g.isascii() and g.isdigit() for g in groups) or (
        frac and not (frac.isascii() and frac.isdigit())
    ):
        bad = next(
            (c for c in s if not (c.isascii() and c.isdigit()) and c not in (group, decimal)),
            None,
        )
        reason = f"unexpected character {bad!r}" if bad else "misplaced separator"
        raise NumberParseError(text, reason=reason, field=field, line=line)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        hint = (
            " (Indonesian numbers write the decimal part after a comma, e.g. "
            f"'{whole.replace(group, decimal)}')"
            if lang == "id" and len(groups) == 2
            else ""
        )
        raise NumberParseError(
            text,
            reason=f"the group after {group!r} must have three digits{hint}",
            field=field,
            line=line,
        )
    digits = "".join(groups)
    result = Decimal(f"{sign}{digits}.{frac}" if frac else f"{sign}{digits}")
    if out_of_range(result):
        raise NumberParseError(text, reason=_RANGE, field=field, line=line)
    return remember(_READ, key, result)


def divide(numerator: int | Decimal, denominator: int | Decimal) -> Decimal:
    """``numerator / denominator`` in :data:`DIVIDE`: exact when the quotient has at most 28
    significant digits, else rounded to 28, whatever context the host set.

    >>> divide(1, 8), divide(1, 3)
    (Decimal('0.125'), Decimal('0.3333333333333333333333333333'))
    """
    return DIVIDE.divide(Decimal(numerator), Decimal(denominator))


def _name(sep: str) -> str:
    return "comma" if sep == "," else "point"


def to_decimal(value: object, *, field: str = "value") -> Decimal:
    """Convert a programmatic number to Decimal, refusing floats and text.

    ``int``, ``Decimal`` and exactly representable ``Fraction`` are accepted.
    Text must go through :func:`parse_number`, which knows the locale.

    >>> to_decimal(3)
    Decimal('3')
    >>> to_decimal(0.1, field="target")
    Traceback (most recent call last):
    ...
    iki_core.errors.IkiTypeError: target: expected Decimal or int (floats lose digits; \
pass Decimal(str(x))), got float 0.1
    """
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise IkiTypeError(field=field, expected="a finite Decimal", value=value)
        if out_of_range(value):
            raise InvalidValueError(field=field, expected=f"a magnitude of {_RANGE}", value=value)
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if not -_INT_LIMIT < value < _INT_LIMIT:
            raise InvalidValueError(
                field=field,
                expected=f"a magnitude of {_RANGE}",
                value=f"an int of about {value.bit_length() * 3 // 10} digits",
            )
        return Decimal(value)
    if isinstance(value, Fraction):
        limit = _INT_LIMIT**2
        if abs(value.numerator) >= limit or value.denominator >= limit:
            raise InvalidValueError(
                field=field, expected=f"a magnitude of {_RANGE}", value="a huge Fraction"
            )
        result = divide(value.numerator, value.denominator)
        if Fraction(result) == value and not out_of_range(result):
            return result
        raise IkiTypeError(
            field=field, expected="a Fraction with an exact decimal expansion", value=value
        )
    raise IkiTypeError(
        field=field,
        expected="Decimal or int (floats lose digits; pass Decimal(str(x)))",
        value=value,
    )


_EXPONENTS: Final = tuple(Decimal(1).scaleb(-places, EXACT) for places in range(MAX_DECIMALS + 1))
"""``1E-places`` for each number of places :func:`round_half_up` rounds to."""


def round_half_up(value: Decimal | Fraction | int, places: int = 2) -> Decimal:
    """Round once, half away from zero, to ``places`` decimals.

    This is the rounding of the apps that publish achievements (PHP
    ``round``); Python's ``round`` would round half to even.

    >>> round_half_up(Decimal("107.145"))
    Decimal('107.15')
    >>> round_half_up(Fraction(2, 3))
    Decimal('0.67')
    >>> round_half_up(Decimal("-0.125"))
    Decimal('-0.13')
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | Fraction | int):
        raise IkiTypeError(field="value", expected="Decimal, Fraction or int", value=value)
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= MAX_DECIMALS:
        raise IkiTypeError(
            field="places", expected=f"an int from 0 to {MAX_DECIMALS}", value=places
        )
    exp = _EXPONENTS[places]
    if isinstance(value, Fraction):
        # Exact: scale, round the rational half away from zero, then scale back.
        scaled = value * 10**places
        q, r = divmod(abs(scaled.numerator), scaled.denominator)
        if 2 * r >= scaled.denominator:
            q += 1
        result = Decimal(q if scaled >= 0 else -q).scaleb(-places, EXACT)
        return result.quantize(exp, context=EXACT)
    try:
        return Decimal(value).quantize(exp, rounding=ROUND_HALF_UP, context=EXACT)
    except InvalidOperation as exc:  # pragma: no cover - only for absurd magnitudes
        raise IkiTypeError(field="value", expected="a Decimal of sane size", value=value) from exc


def format_number(
    value: Decimal | int,
    *,
    places: int | None = None,
    lang: str = "id",
    percent: bool = False,
    grouping: bool = True,
) -> str:
    """Write a number the Indonesian way (or the English way with ``lang="en"``): the
    separators are those of the language's message catalogue (``[number]`` ``group`` and
    ``decimal``), so a language added as a catalogue writes numbers its own way.

    ``places`` rounds half-up to that many decimals and keeps trailing zeros;
    without it the Decimal is written as it is.

    >>> format_number(Decimal("1234.5"), places=2)
    '1.234,50'
    >>> format_number(Decimal("87.5"), places=2, percent=True, lang="en")
    '87.50%'
    """
    d = to_decimal(value, field="value")
    if places is not None:
        d = round_half_up(d, places)
    # Python writes the digits (grouped by three with "," when asked) and "." before the
    # decimals; the catalogue's separators replace those two characters in one pass.
    out = format(d, ",f" if grouping else "f").translate(_separator_table(lang))
    if d.is_signed() and d.is_zero():
        out = out[1:]  # no "-0,00"
    return out + "%" if percent else out


def _separator_table(lang: str) -> dict[int, str]:
    """The ``str.translate`` table from Python's "," and "." to ``lang``'s separators."""
    group, decimal = _separators(lang)
    key = (group, decimal)
    table = _TABLES.get(key)
    if table is None:
        table = remember(_TABLES, key, {ord(","): group, ord("."): decimal})
    return table


_TABLES: Final[dict[tuple[str, str], dict[int, str]]] = {}
