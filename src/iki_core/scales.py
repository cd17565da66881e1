"""Rating scales (predikat): bands of achievement percent, as data, and the PermenPANRB
6/2022 predikat matrix.

The scales are read from ``iki_core/data/rating_scales.json`` once, on first use: nothing
is read when this module is imported. :mod:`iki_core.rules` re-exports every public name
here; a :class:`~iki_core.rules.Rules` holds the scale of its ``rating``.

>>> from decimal import Decimal
>>> SCALES["permendagri-86-2017"].rate(Decimal("90.50"))
'Tinggi'
>>> SCALES["permenpanrb-8-2021"].nilai(Decimal("99.50"))
Decimal('89.50')
>>> skp_predikat("Di Atas Ekspektasi", "Sesuai Ekspektasi")
'Baik'
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from typing import Any, Final

import attrs

from iki_core._lazy import LazyTable
from iki_core.errors import InvalidValueError, UnknownScaleError
from iki_core.numbers import round_half_up, to_decimal

__all__ = [
    "DEFAULT_SCALE",
    "SCALES",
    "Band",
    "NilaiFormula",
    "RatingScale",
    "skp_predikat",
]

DEFAULT_SCALE: Final = "permendagri-86-2017"
"""The key of the default rating scale in :data:`SCALES`."""


# --- rating scales ----------------------------------------------------------------------
_EXACT: Final = re.compile(r"-?[0-9]{1,40}(?:\.[0-9]{1,40})?(?:/[0-9]{1,40})?")
"""A number of a rating scale's formula as text: "110", "-2.5", "49/59"; checked before
Fraction sees it ("1/0" is its ZeroDivisionError, "abc" its ValueError, "1e999999999" a
number of a billion digits)."""


def _fraction(text: object) -> Fraction:
    if isinstance(text, int) and not isinstance(text, bool):
        return Fraction(to_decimal(text, field="rating scale"))
    expected = "a number as text such as '110', '2.5' or '49/59'"
    if not isinstance(text, str) or not _EXACT.fullmatch(text):
        raise InvalidValueError(field="rating scale", expected=expected, value=text)
    try:
        return Fraction(text)
    except ZeroDivisionError:  # "1/0"
        raise InvalidValueError(field="rating scale", expected=expected, value=text) from None


@attrs.frozen
class NilaiFormula:
    """nilai = ``base`` + ``slope`` x (percent - ``origin``), exactly.

    The PermenPANRB 8/2021 conversion of achievement to "nilai capaian IKI" is a line of
    this form within each band (e.g. 110 + 10/9 x (c - 101) for 101-110%).
    """

    base: Fraction = attrs.field(converter=_fraction)
    slope: Fraction = attrs.field(converter=_fraction)
    origin: Fraction = attrs.field(converter=_fraction)

    def __call__(self, percent: Fraction) -> Fraction:
        return self.base + self.slope * (percent - self.origin)


def _optional_decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, str):
        return _threshold(value)
    return to_decimal(value, field="Band.min")


@attrs.frozen
class Band:
    """One band of a rating scale: percents from ``min`` (inclusive) up to the next band's
    ``min`` (exclusive) get ``label``; ``min`` None is the lowest band (no lower bound)."""

    label: str
    min: Decimal | None = attrs.field(converter=_optional_decimal)
    nilai: NilaiFormula | None = None


def _bands(value: Iterable[Band]) -> tuple[Band, ...]:
    return tuple(value)


def _check_bands(instance: RatingScale, attribute: object, bands: tuple[Band, ...]) -> None:
    mins = [b.min for b in bands]
    if not bands or any(m is None for m in mins[:-1]):
        raise InvalidValueError(
            field=f"RatingScale {instance.key} bands",
            expected="bands, highest first, with a lower bound on all but the last",
            value=[str(m) for m in mins],
        )
    bounded = [m for m in mins if m is not None]
    if any(a <= b for a, b in itertools.pairwise(bounded)):
        raise InvalidValueError(
            field=f"RatingScale {instance.key} bands",
            expected="strictly decreasing lower bounds",
            value=[str(m) for m in bounded],
        )


def _check_closed(instance: object, attribute: object, value: object) -> None:
    if value not in ("lower", "upper"):
        raise InvalidValueError(
            field="RatingScale.closed", expected="'lower' or 'upper'", value=value
        )


@attrs.frozen
class RatingScale:
    """A rating scale: bands of achievement percent, each with a label (and, for
    PermenPANRB 8/2021, a nilai formula).

    Bands are lower-inclusive and listed highest first: a percent gets the label of the
    first band whose ``min`` it reaches. ``source`` cites the regulation; ``verified`` is
    False when the bands were seen only in secondary sources or apps' code; ``closure``
    says how the gaps the printed bands leave are closed here. ``closed`` is ``"lower"``
    (default: a band holds its ``min``, ">= 90 hijau") or ``"upper"`` (a bound belongs to
    the band below it, "<= 90 kuning", as some apps close them: a band needs more than
    its ``min``); no regulation fixes it.

    >>> scale = RatingScale.from_thresholds(
    ...     "traffic-light", [("90", "hijau"), ("70", "kuning")], below="merah",
    ...     source="no regulation: a dashboard convention")
    >>> [scale.rate(Decimal(p)) for p in ("95", "90", "89.99", "12")]
    ['hijau', 'hijau', 'kuning', 'merah']
    >>> upper = RatingScale.from_thresholds(
    ...     "traffic-light-upper", [("90", "hijau"), ("70", "kuning")], below="merah",
    ...     closed="upper")
    >>> [upper.rate(Decimal(p)) for p in ("95", "90.01", "90", "70", "69.99")]
    ['hijau', 'hijau', 'kuning', 'merah', 'merah']
    >>> upper.thresholds(2)
    (7001, 9001)
    """

    key: str
    name: str
    bands: tuple[Band, ...] = attrs.field(converter=_bands, validator=_check_bands)
    source: str = ""
    verified: bool = True
    printed: str = ""
    closure: str = ""
    nilai_floor: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    closed: str = attrs.field(default="lower", validator=_check_closed, kw_only=True)
    _mins: tuple[Decimal, ...] = attrs.field(init=False, eq=False, repr=False)
    _ordered: tuple[Band, ...] = attrs.field(init=False, eq=False, repr=False)
    _scaled: dict[int, tuple[int, ...]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        # The one statement of the band boundaries: the lower bounds, ascending, with the
        # bands between them. rate(), band(), thresholds() and the engine's integer lookup
        # all bisect these.
        ordered = self.bands[::-1]
        object.__setattr__(self, "_mins", tuple(b.min for b in ordered if b.min is not None))
        if ordered[0].min is not None:  # below the lowest bound is still the lowest band
            ordered = (ordered[0], *ordered)
        object.__setattr__(self, "_ordered", ordered)
        object.__setattr__(self, "_scaled", {})

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels from the lowest band up: ``labels[bisect_right(thresholds, q)]``."""
        return tuple(b.label for b in self._ordered)

    def thresholds(self, places: int) -> tuple[int, ...]:
        """The lower bounds, ascending, as integers in units of ``10**-places`` rounded up,
        so that for a percent ``q x 10**-places``, ``q >= thresholds[i]`` exactly when the
        percent reaches the bound: ``labels[bisect_right(thresholds(places), q)]`` is
        :meth:`rate` without a Decimal (the engine's hot path).

        >>> SCALES["permendagri-86-2017"].thresholds(2)
        (5100, 6600, 7600, 9100)
        """
        found = self._scaled.get(places)
        if found is None:
            unit = 10**places
            pairs = (m.as_integer_ratio() for m in self._mins)
            if self.closed == "upper":  # q reaches the band when q > min: q >= floor + 1
                found = tuple((n * unit) // d + 1 for n, d in pairs)
            else:
                found = tuple(-((-n * unit) // d) for n, d in pairs)
            self._scaled[places] = found
        return found

    @classmethod
    def from_thresholds(
        cls,
        key: str,
        thresholds: Iterable[tuple[Decimal | int | str, str]],
        *,
        below: str,
        name: str | None = None,
        source: str = "user-defined thresholds; no regulation",
        closed: str = "lower",
    ) -> RatingScale:
        """A scale from (threshold, label) pairs and the label ``below`` the lowest
        threshold. Thresholds may come in any order; they are lower-inclusive unless
        ``closed`` is ``"upper"``."""
        pairs = [(_threshold(t), label) for t, label in thresholds]
        pairs.sort(key=lambda p: p[0], reverse=True)
        bands = [Band(label, t) for t, label in pairs]
        bands.append(Band(below, None))
        return cls(key, name or key, tuple(bands), source=source, verified=True, closed=closed)

    def band(self, percent: Decimal) -> Band:
        """The band ``percent`` falls in."""
        if self.closed == "upper":
            return self._ordered[bisect_left(self._mins, percent)]
        return self._ordered[bisect_right(self._mins, percent)]

    def rate(self, percent: Decimal) -> str:
        """The label of ``percent`` (an achievement in percent points)."""
        return self.band(percent).label

    def nilai(self, percent: Decimal, places: int = 2) -> Decimal | None:
        """The nilai of ``percent`` under this scale's formula, rounded once, half-up;
        None for scales without one (all but PermenPANRB 8/2021).

        >>> s = SCALES["permenpanrb-8-2021"]
        >>> [str(s.nilai(Decimal(p))) for p in ("100.5", "105.5", "59.5", "130")]
        ['109.00', '115.00', '49.42', '120.00']
        """
        formula = self.band(percent).nilai
        if formula is None:
            return None
        value = formula(Fraction(percent))
        if self.nilai_floor is not None and value < self.nilai_floor:
            value = Fraction(self.nilai_floor)
        return round_half_up(value, places)


def _threshold(value: Decimal | int | str) -> Decimal:
    if isinstance(value, str):
        # The digits 0-9 and a point only: Decimal alone takes "NaN", "1e999999999",
        # "1_000" and the digits of other scripts.
        if not _EXACT.fullmatch(value) or "/" in value:
            raise InvalidValueError(
                field="threshold", expected="a number such as '90' or '75.5'", value=value
            )
        return Decimal(value)
    return to_decimal(value, field="threshold")


# --- the data file, read once on first use ------------------------------------------------
_data: dict[str, Any] | None = None
_data_lock = threading.Lock()


def _load() -> dict[str, Any]:
    global _data
    if _data is None:
        with _data_lock:
            if _data is None:
                text = (
                    resources.files("iki_core")
                    .joinpath("data", "rating_scales.json")
                    .read_text(encoding="utf-8")
                )
                _data = json.loads(text)
    return _data


def _scale_from(key: str, spec: Mapping[str, Any]) -> RatingScale:
    bands = tuple(
        Band(
            b["label"],
            b["min"],
            NilaiFormula(**b["nilai"]) if b.get("nilai") is not None else None,
        )
        for b in spec["bands"]
    )
    return RatingScale(
        key,
        spec["name"],
        bands,
        source=spec["source"],
        verified=spec["verified"],
        printed=spec.get("printed", ""),
        closure=spec.get("closure", ""),
        nilai_floor=spec.get("nilai_floor"),
        closed=spec.get("closed", "lower"),
    )


def _read_scales() -> dict[str, RatingScale]:
    return {k: _scale_from(k, v) for k, v in _load()["scales"].items()}


def _no_scale(key: str, scales: Mapping[str, RatingScale]) -> Exception:
    return UnknownScaleError(key, known=tuple(scales))


SCALES: Final[Mapping[str, RatingScale]] = LazyTable("SCALES", _read_scales, _no_scale)
"""The shipped rating scales, by key.

- ``"permendagri-86-2017"`` (default): Permendagri 86/2017 RKPD evaluation, tingkat
  capaian: Sangat Tinggi >= 91 (including above 100), Tinggi >= 76, Sedang >= 66,
  Rendah >= 51, Sangat Rendah below. The printed bands (91-100, 76-90...) leave gaps; they
  are closed lower-inclusive at the printed lower bounds.
- ``"permenpanrb-8-2021"``: PermenPANRB 8/2021 nilai capaian IKI (unverified in part):
  labels and :meth:`RatingScale.nilai`. 99.5% is Cukup (nilai 89.5), 100.5% is Baik
  (nilai 109): each band runs up to the next band's lower bound.
- ``"pp-46-2011"``: PP 46/2011 sebutan nilai (old SKP): Sangat Baik >= 91, Baik >= 76,
  Cukup >= 61, Kurang >= 51, Buruk below.
- ``"traffic-light"`` and ``"traffic-light-upper"``: app dashboards (no regulation): hijau
  from 90, kuning from 70, merah below; the second closes each band at its top ("<= 90
  kuning"), so 90 is kuning there.
"""


# --- PermenPANRB 6/2022 predikat matrix ----------------------------------------------------
_EXPECTATION_ALIASES: Final = {
    "di atas": "Di Atas Ekspektasi",
    "diatas": "Di Atas Ekspektasi",
    "above": "Di Atas Ekspektasi",
    "sesuai": "Sesuai Ekspektasi",
    "meets": "Sesuai Ekspektasi",
    "as expected": "Sesuai Ekspektasi",
    "di bawah": "Di Bawah Ekspektasi",
    "dibawah": "Di Bawah Ekspektasi",
    "below": "Di Bawah Ekspektasi",
}


def _expectation(field: str, value: str) -> str:
    if not isinstance(value, str):
        raise InvalidValueError(
            field=field, expected="Di Atas, Sesuai or Di Bawah Ekspektasi", value=value
        )
    words = re.sub(r"\s+", " ", value.strip().lower())
    words = re.sub(r"\s*(ekspektasi|expectations?)$", "", words)
    try:
        return _EXPECTATION_ALIASES[words]
    except KeyError:
        raise InvalidValueError(
            field=field, expected="Di Atas, Sesuai or Di Bawah Ekspektasi", value=value
        ) from None


def skp_predikat(hasil_kerja: str, perilaku: str) -> str:
    """The predikat kinerja of a civil servant from the rating of work results (hasil
    kerja) and of behaviour (perilaku), per the PermenPANRB 6/2022 matrix.

    Unverified: the matrix is taken from apps' code and BKN slides, not checked against
    the regulation text (docs/rules.md). Each rating is "Di Atas", "Sesuai" or "Di Bawah"
    (Ekspektasi), in any case; "above", "meets" and "below" are accepted too.

    >>> skp_predikat("Di Atas Ekspektasi", "Di Atas Ekspektasi")
    'Sangat Baik'
    >>> skp_predikat("sesuai", "di bawah")
    'Kurang/Misconduct'
    >>> skp_predikat("baik", "sesuai")
    Traceback (most recent call last):
    ...
    iki_core.errors.InvalidValueError: hasil_kerja: expected Di Atas, Sesuai or Di Bawah \
Ekspektasi, got 'baik'
    """
    h = _expectation("hasil_kerja", hasil_kerja)
    p = _expectation("perilaku", perilaku)
    result: str = _load()["predikat"]["matrix"][h][p]
    return result
