"""Quantities with Indonesian units (satuan): "200 orang peserta", "3 unit", "2 lusin".

Units are defined as data in ``iki_core/data/units.txt`` and loaded into a
pint registry built from that file only. Each classifier (orang, unit,
laporan, kali...) is a dimension of its own, so counts of different things
never add up, while the fixed trade conversions hold:

>>> parse_quantity("2 lusin") == parse_quantity("24 buah")
True
>>> parse_quantity("200 orang peserta").unit.name
'orang'
>>> str(parse_quantity("1.250 unit"))
'1.250 unit'
>>> parse_quantity("3 unit").to(parse_quantity("1 orang").unit)
Traceback (most recent call last):
...
iki_core.errors.UnitMismatchError: '3 unit' is not convertible to 'orang' (unit is not orang)

A word the registry does not know (the "SKHU" of ``"4 SKHU"``) becomes a
counting unit of its own, flagged ``known=False`` so that a loader can warn:

>>> q = parse_quantity("4 SKHU")
>>> q.unit.name, q.unit.known
('SKHU', False)

Units are resolved once and cached per spelling; :class:`Unit` holds the
exact conversion scale so that hot loops convert with one multiplication.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from functools import total_ordering
from importlib import resources
from pathlib import Path
from typing import Any, Final

import attrs

from iki_core._memo import remember
from iki_core.errors import (
    IkiTypeError,
    InvalidValueError,
    NumberParseError,
    QuantityParseError,
    UnitMismatchError,
    UnknownUnitError,
)
from iki_core.numbers import (
    NO_TARGET_MARKS,
    Lang,
    _separators,
    divide,
    format_number,
    parse_number,
    to_decimal,
)

__all__ = [
    "BARE",
    "PERCENT",
    "Quantity",
    "Unit",
    "UnitRegistry",
    "get_registry",
    "parse_quantity",
    "set_registry",
]


MAX_SCALE_DIGITS: Final = 40
"""The most digits of the numerator and of the denominator of a unit's scale."""
_SCALE_LIMIT: Final = 10**MAX_SCALE_DIGITS


def _check_scale(instance: object, attribute: attrs.Attribute[Fraction], value: object) -> None:
    if not isinstance(value, Fraction):
        raise IkiTypeError(field="Unit.scale", expected="a Fraction", value=value)
    if value <= 0 or value.numerator >= _SCALE_LIMIT or value.denominator >= _SCALE_LIMIT:
        bits = max(value.numerator.bit_length(), value.denominator.bit_length())
        shown = value if value <= 0 else f"a fraction of about {bits * 3 // 10} digits"
        raise InvalidValueError(
            field="Unit.scale",
            expected=f"a positive scale of at most {MAX_SCALE_DIGITS} digits above and below "
            "the fraction bar",
            value=shown,
        )


def _labels(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, tuple | list):
        raise IkiTypeError(field="Unit.labels", expected="a tuple of texts", value=value)
    return tuple(str(v) for v in value)


@attrs.frozen
class Unit:
    """A resolved unit: its canonical name, its dimension and its exact scale.

    ``scale`` is the size of one of this unit in the base unit of its
    dimension (``lusin`` is 12 ``buah``). ``known`` is False for a classifier
    word that no definition covers ("SKHU"): it still counts, in a dimension
    of its own. The bare count (no unit, as in "550") is :data:`BARE`. An ordinal unit
    names its whole values with ``labels``, highest first (a grade scale: position 1 is
    the last label); ``form`` writes a magnitude with ``{}`` for the number ("Peringkat
    {}", "1:{}").
    """

    name: str
    dimension: str
    scale: Fraction = attrs.field(default=Fraction(1), validator=_check_scale)
    known: bool = True
    labels: tuple[str, ...] = attrs.field(default=(), converter=_labels, kw_only=True)
    form: str = attrs.field(default="", kw_only=True)

    def is_compatible(self, other: Unit) -> bool:
        """True when quantities of the two units convert into each other."""
        return self.dimension == other.dimension

    def factor_to(self, other: Unit) -> Fraction:
        """The exact factor that turns a magnitude in this unit into ``other``.

        >>> reg = get_registry()
        >>> reg.unit("lusin").factor_to(reg.unit("buah"))
        Fraction(12, 1)
        """
        if self.dimension != other.dimension:
            raise UnitMismatchError(
                self.name, other.name, left_unit=self.name, right_unit=other.name
            )
        if self.scale == other.scale:
            return Fraction(1)
        return self.scale / other.scale

    @property
    def is_bare(self) -> bool:
        """True for the unit of a bare number ("550")."""
        return self.dimension == ""

    def written(self, magnitude: Decimal, number: str) -> str | None:
        """``magnitude`` as this unit writes it, when it has ``labels`` or a ``form``
        (``number`` is the magnitude already formatted); None otherwise.

        >>> Unit("opini", "[grade opini]", labels=("WTP", "WDP")).written(Decimal(2), "2")
        'WTP'
        """
        labels = self.labels
        if labels and magnitude == magnitude.to_integral_value() and 1 <= magnitude <= len(labels):
            return labels[len(labels) - int(magnitude)]
        if self.form:
            return self.form.replace("{}", number)
        return None

    def __str__(self) -> str:
        return self.name


BARE: Final = Unit("", "", Fraction(1))
"""The unit of a bare number such as "550": a count of unnamed things."""

PERCENT: Final = Unit("persen", "[persen]", Fraction(1))
"""Percent points, as in "100,00%"."""


MONEY_DIMENSION: Final = "[rupiah]"
"""The dimension of money (``rupiah`` in ``units.txt``), written "Rp 1.500.000" as amounts
are in Indonesian budgets."""


def _magnitude(value: object) -> Decimal:
    return to_decimal(value, field="Quantity.magnitude")


def _check_unit(instance: object, attribute: attrs.Attribute[Unit], value: object) -> None:
    if not isinstance(value, Unit):
        raise IkiTypeError(field="Quantity.unit", expected="a Unit", value=value)


@total_ordering
@attrs.frozen(eq=False)
class Quantity:
    """A Decimal magnitude in a :class:`Unit`, with the text it was read from.

    Quantities of convertible units compare by value ("2 lusin" equals
    "24 buah"); ordering quantities of incompatible units raises
    :class:`~iki_core.errors.UnitMismatchError`. ``text`` keeps what the user
    wrote (``"200 orang peserta"``), ``noun`` the words after the classifier
    that name what is counted ("3 unit komputer" has noun "komputer").
    """

    magnitude: Decimal = attrs.field(converter=_magnitude)
    unit: Unit = attrs.field(validator=_check_unit)
    text: str | None = attrs.field(default=None, kw_only=True)
    noun: str | None = attrs.field(default=None, kw_only=True)

    def _base(self) -> Fraction:
        return Fraction(self.magnitude) * self.unit.scale

    def to(self, unit: Unit) -> Quantity:
        """This quantity in ``unit``; exact when the result is a finite decimal.

        >>> parse_quantity("2 lusin").to(get_registry().unit("buah"))
        Quantity(magnitude=Decimal('24'), unit=Unit(name='buah', ...), text=None, noun=None)
        """
        if unit == self.unit:
            return self
        if not self.unit.is_compatible(unit):
            raise UnitMismatchError(
                self.text or str(self),
                unit.name,
                left_unit=self.unit.name,
                right_unit=unit.name,
            )
        value = Fraction(self.magnitude) * self.unit.factor_to(unit)
        return Quantity(_fraction_to_decimal(value), unit)

    def _check(self, other: object) -> Quantity:
        if not isinstance(other, Quantity):
            raise IkiTypeError(field="comparison", expected="Quantity", value=other)
        if not self.unit.is_compatible(other.unit):
            raise UnitMismatchError(
                self.text or str(self),
                other.text or str(other),
                left_unit=self.unit.name,
                right_unit=other.unit.name,
            )
        return other

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self.unit.dimension == other.unit.dimension and self._base() == other._base()

    def __hash__(self) -> int:
        return hash((self.unit.dimension, self._base()))

    def __lt__(self, other: object) -> bool:
        o = self._check(other)
        return self._base() < o._base()

    def format(self, *, lang: Lang = "id", places: int | None = None) -> str:
        """The quantity written out: ``"1.250 unit"``, ``"95,50%"``, ``"Rp 1.500.000"``.

        >>> parse_quantity("95,5%").format(lang="en", places=2)
        '95.50%'
        """
        number = format_number(self.magnitude, places=places, lang=lang)
        if self.unit.labels or self.unit.form:
            written = self.unit.written(self.magnitude, number)
            if written is not None:
                return written
        if self.unit.is_bare:
            return number
        if self.unit.dimension == PERCENT.dimension:
            return number + "%"
        if self.unit.dimension == MONEY_DIMENSION:
            return "Rp " + number
        return f"{number} {self.unit.name}"

    def __str__(self) -> str:
        return self.format()


def _fraction_to_decimal(value: Fraction) -> Decimal:
    """Exact when ``value`` has a finite decimal expansion, else 28 digits."""
    return divide(value.numerator, value.denominator)


_NUMBER: Final = re.compile(r"^\s*([+\-\u2212]?\d[\d.,]*)(.*)$", re.DOTALL)
_RANGE_SEP: Final = re.compile(r"\s*[-\u2013\u2212]\s*")
_WS: Final = re.compile(r"\s+")
_UNIT_TEXT: Final = re.compile(r"^[^\d]*$")
_RANGE_LOW: Final = re.compile(r"(\d[\d.,]*)([^\d\-\u2013\u2212]*)[-\u2013\u2212](.*)", re.DOTALL)
_RANGE_HIGH: Final = re.compile(r"(\d[\d.,]*)(\D*)", re.DOTALL)
MAX_UNIT_WORD: Final = 64
"""The longest word looked up as a unit name: a longer word is a unit of its own, never
handed to pint, whose parser is quadratic in the length of a name."""
MAX_QUANTITY_LENGTH: Final = 1000
"""The longest text read as a quantity (a number, a unit and the words after it)."""


def _default_definitions() -> str:
    return resources.files("iki_core").joinpath("data", "units.txt").read_text(encoding="utf-8")


class UnitRegistry:
    """Indonesian units, loaded from a definitions file into a private pint registry.

    The package's own ``data/units.txt`` is read unless ``definitions`` gives
    another text or path; ``extra`` adds definitions (pint syntax, one per
    item). Resolutions are cached per spelling, so :meth:`unit` costs a dict
    lookup after the first call.

    >>> reg = UnitRegistry(extra=["SKHU = [skhu] = surat_keterangan_hasil_ujian"])
    >>> reg.unit("skhu").known
    True
    """

    def __init__(self, definitions: str | Path | None = None, *, extra: Iterable[str] = ()) -> None:
        import pint  # imported here: building a registry is the only use

        self._pint: Any = pint.UnitRegistry(
            None,
            non_int_type=Fraction,
            case_sensitive=False,
            cache_folder=None,
            autoconvert_offset_to_baseunit=False,
        )
        if definitions is None:
            text = _default_definitions()
        elif isinstance(definitions, Path):
            text = definitions.read_text(encoding="utf-8")
        else:
            text = definitions
        self._pint.load_definitions(text.splitlines())
        for line in extra:
            self._pint.define(line)
        self._cache: dict[str, tuple[Unit, str | None] | None] = {}
        # quantities already read, by (text, group separator, decimal separator)
        self._quantities: dict[tuple[str, str, str], Quantity] = {}
        self._lock = threading.Lock()

    def define(self, definition: str) -> None:
        """Add a unit in pint's definition syntax, e.g. ``"rumah = [rumah]"``.

        >>> reg = UnitRegistry()
        >>> reg.define("rumah = [rumah] = rmh")
        >>> reg.unit("rmh").name
        'rumah'
        """
        with self._lock:
            self._pint.define(definition)
            self._cache.clear()
            self._quantities.clear()

    def unit(self, text: str, *, allow_unknown: bool = True) -> Unit:
        """Resolve a unit as written ("orang peserta", "%", "Unit", "") to a :class:`Unit`.

        An unknown word becomes a unit of its own (``known=False``) unless
        ``allow_unknown`` is False, which raises
        :class:`~iki_core.errors.UnknownUnitError`.
        """
        resolved = self._resolve(text)
        if resolved is None:
            name = _WS.sub(" ", text.strip())
            if not allow_unknown:
                raise UnknownUnitError(name)
            return Unit(name, f"[{name.lower()}]", Fraction(1), known=False)
        return resolved[0]

    def _resolve(self, text: str) -> tuple[Unit, str | None] | None:
        """(unit, noun) for a known spelling; None when unknown. Cached."""
        key = text.strip()
        try:
            return self._cache[key]
        except KeyError:
            pass
        result = self._lookup(key)
        with self._lock:
            self._cache[key] = result
        return result

    def _lookup(self, text: str) -> tuple[Unit, str | None] | None:
        words = _WS.sub(" ", text).strip()
        if not words:
            return BARE, None
        if words == "%":
            return PERCENT, None
        whole = self._from_pint(words.replace(" ", "_"))
        if whole is None and "-" in words:  # "orang-hari" is the alias orang_hari
            whole = self._from_pint(re.sub(r"\s*-\s*", "_", words).replace(" ", "_"))
        if whole is not None:
            return whole, None
        first, _, rest = words.partition(" ")
        if rest:
            head = self._from_pint(first)
            if head is not None:
                return head, rest
        return None

    def _from_pint(self, name: str) -> Unit | None:
        if len(name) > MAX_UNIT_WORD or not re.fullmatch(
            r"[A-Za-z_%][\w%]*(?:\s*[*/]\s*[A-Za-z_][\w]*)*", name
        ):
            return None
        try:
            pu = self._pint.parse_units(name)
            one = self._pint.Quantity(Fraction(1), pu)
            base = one.to_base_units()
            dimension = str(one.dimensionality)
            pint_name = str(pu)
        except Exception:  # pint raises several kinds (TypeError on "%%") for odd names
            return None
        if dimension == "dimensionless":
            dimension = ""
        try:
            return Unit(pint_name, dimension, Fraction(base.magnitude))
        except InvalidValueError:  # a definition whose scale is out of range
            return None

    def quantity(self, magnitude: Decimal | int, unit: str | Unit = "") -> Quantity:
        """Build a quantity from a number and a unit name.

        >>> get_registry().quantity(3, "unit")
        Quantity(magnitude=Decimal('3'), unit=Unit(name='unit', ...), text=None, noun=None)
        """
        u = unit if isinstance(unit, Unit) else self.unit(unit)
        return Quantity(magnitude, u)

    def parse_quantity(
        self,
        text: str,
        *,
        lang: Lang = "id",
        field: str | None = None,
        line: int | None = None,
    ) -> Quantity:
        """Read "200 orang peserta", "3 unit", "550", "100,00%", "2 lusin", "10 rim"."""
        if not isinstance(text, str):
            raise IkiTypeError(field=field or "quantity", expected="str", value=text)
        key = (text, *_separators(lang))
        known = self._quantities.get(key)
        if known is not None:
            return known
        if len(text) > MAX_QUANTITY_LENGTH:
            raise QuantityParseError(
                text,
                reason=f"longer than {MAX_QUANTITY_LENGTH} characters",
                field=field,
                line=line,
            )
        m = _NUMBER.match(text)
        if m is None:
            stripped = text.strip()
            reason = (
                "'-' means no target, not a quantity"
                if stripped in NO_TARGET_MARKS
                else "empty"
                if not stripped
                else "it does not start with a number"
            )
            raise QuantityParseError(text, reason=reason, field=field, line=line)
        number_text, unit_text = m.group(1), m.group(2)
        try:
            magnitude = parse_number(number_text, lang=lang, field=field, line=line)
        except NumberParseError as exc:
            raise QuantityParseError(text, reason=exc.reason, field=field, line=line) from exc
        unit_text = unit_text.strip()
        if not _UNIT_TEXT.match(unit_text):
            raise QuantityParseError(
                text,
                reason=f"unexpected text after the number: {unit_text!r}",
                field=field,
                line=line,
            )
        resolved = self._resolve(unit_text)
        if resolved is None:
            unit, noun = self.unit(unit_text), None
        else:
            unit, noun = resolved
        return remember(self._quantities, key, Quantity(magnitude, unit, text=text, noun=noun))

    def parse_range(
        self,
        text: str,
        *,
        lang: Lang = "id",
        field: str | None = None,
        line: int | None = None,
    ) -> tuple[Quantity, Quantity] | None:
        """Read a range "80-90%", "80% - 90%", "10-12 kali"; None if ``text`` is no range.

        The unit written once at the end applies to both bounds.

        >>> low, high = get_registry().parse_range("80-90%")
        >>> str(low), str(high)
        ('80%', '90%')
        """
        # Two anchored patterns with no two neighbouring parts that can take the same
        # characters, so the cost is linear in the text (one pattern with optional spaces
        # on both sides of a lazy unit backtracked cubically on "1", spaces, "x").
        low_m = _RANGE_LOW.fullmatch(text.strip())
        if low_m is None:
            return None
        low_n, low_u, rest = low_m.groups()
        high_m = _RANGE_HIGH.fullmatch(rest.lstrip())
        if high_m is None:
            return None
        high_n, high_u = high_m.groups()
        low_u, high_u = low_u.strip(), high_u.strip()
        if low_u and high_u and self.unit(low_u) != self.unit(high_u):
            raise QuantityParseError(
                text, reason="the two bounds have different units", field=field, line=line
            )
        unit_text = high_u or low_u
        low = self.parse_quantity(f"{low_n} {unit_text}", lang=lang, field=field, line=line)
        high = self.parse_quantity(f"{high_n} {unit_text}", lang=lang, field=field, line=line)
        if high < low:
            raise QuantityParseError(
                text, reason="the lower bound is above the upper bound", field=field, line=line
            )
        return attrs.evolve(low, text=text), attrs.evolve(high, text=text)


_registry: UnitRegistry | None = None
_registry_lock = threading.Lock()


def get_registry() -> UnitRegistry:
    """The shared registry, built from the package's definitions on first use.

    Nothing is read at import time; a host application may replace the
    registry with :func:`set_registry` or pass its own wherever a function
    takes ``registry=``.
    """
    global _registry
    if _registry is None:
        with _registry_lock:
            if _registry is None:
                _registry = UnitRegistry()
    return _registry


def set_registry(registry: UnitRegistry | None) -> None:
    """Replace the shared registry (``None`` goes back to the package's own)."""
    global _registry
    if registry is not None and not isinstance(registry, UnitRegistry):
        raise InvalidValueError(field="registry", expected="a UnitRegistry", value=registry)
    with _registry_lock:
        _registry = registry


def parse_quantity(
    text: str,
    *,
    registry: UnitRegistry | None = None,
    lang: Lang = "id",
    field: str | None = None,
    line: int | None = None,
) -> Quantity:
    """Read a quantity as Indonesian documents write it.

    >>> parse_quantity("100,00%")
    Quantity(magnitude=Decimal('100.00'), unit=Unit(name='persen', ...), text='100,00%', noun=None)
    >>> parse_quantity("550").unit.is_bare
    True
    >>> parse_quantity("10 rim") == parse_quantity("5.000 lembar")
    True
    """
    return (registry or get_registry()).parse_quantity(text, lang=lang, field=field, line=line)
