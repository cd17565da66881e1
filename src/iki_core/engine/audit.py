"""Which rule made this figure? The rule settings that reproduce a published capaian.

An evaluator checking an LKjIP table has, per row, a target T, a realisation R (or its X
and Y) and the capaian the agency printed. :func:`explain_published` recomputes that row
under every combination of the settings published tables differ in: the formula of
either polarity (the agency may have used the other polarity's), the rule of a zero
target or a zero realisation, the cap (none, 100, 120) and the rounding (half-up,
truncation, half-even) at the published figure's own decimals. It returns the
combinations that give the printed figure, the simplest first (those changing fewest
rules, then in the order listed); an empty tuple means no setting reproduces it: an
arithmetic slip in the document, or a rule iki_core does not know.

>>> from decimal import Decimal
>>> [m.describe() for m in explain_published(8, 9, "87,50", lower=True)]
['the defaults']
>>> [m.describe() for m in explain_published(10, 5, "200,00", lower=True)]
['lower_is_better = inverse']
>>> [m.describe() for m in explain_published(10, 12, "100", cap_values=(100,))]
['cap = 100']
>>> [m.describe() for m in explain_published(3, 2, "66,66")]
['rounding = truncate']
>>> explain_published(8, 9, "88,00", lower=True)
()

Every figure is computed by the engine itself (:func:`iki_core.engine.achievement` on a
one-row indicator), so a setting listed here gives the same figure in a report.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Final

import attrs

from iki_core.engine.fast import achievement
from iki_core.errors import IkiTypeError
from iki_core.model import Count, Indicator, PercentageFormula, Polarity, Realisation, Target
from iki_core.numbers import parse_number, to_decimal
from iki_core.periods import Period
from iki_core.rules import (
    HigherIsBetterFormula,
    LowerIsBetterFormula,
    Rounding,
    Rules,
    ZeroRealisation,
    ZeroTargetHigher,
    ZeroTargetLower,
    default_rules,
)
from iki_core.units import PERCENT, Quantity

__all__ = [
    "Match",
    "PublishedRow",
    "TableFit",
    "explain_published",
    "explain_table",
    "percent_of",
]

_YEAR: Final = 2000
_PERIOD: Final = Period.parse("2000")

Number = Decimal | int | str
"""A number as Decimal, int, or text read the Indonesian way ("87,50", "1.250")."""


@attrs.frozen
class Match:
    """Settings that reproduce a published figure: ``settings`` are the (Rules field,
    value) pairs changed from the defaults (``polarity`` when the figure was computed as
    if the indicator had the other polarity), ``percent`` the figure they give, ``rules``
    the rules themselves."""

    settings: tuple[tuple[str, str], ...]
    percent: Decimal
    rules: Rules

    def describe(self) -> str:
        """The settings as "field = value, ...", or "the defaults"."""
        if not self.settings:
            return "the defaults"
        return ", ".join(f"{k} = {v}" for k, v in self.settings)


def _number(value: Number, field: str) -> Decimal:
    if isinstance(value, str):
        return parse_number(value)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise IkiTypeError(field=field, expected="a Decimal, an int or a text", value=value)
    return to_decimal(value, field=field)


def _places(published: Decimal) -> int:
    exponent = published.as_tuple().exponent
    assert isinstance(exponent, int)  # parse_number gives finite numbers
    return max(0, min(6, -exponent))


def explain_published(
    target: Number,
    realised: Number | None,
    published: Number,
    *,
    lower: bool = False,
    numerator: Number | None = None,
    denominator: Number | None = None,
    cap_values: Iterable[Number] = (100, 120),
    base: Rules | None = None,
) -> tuple[Match, ...]:
    """The rule settings under which target ``target`` and realisation ``realised`` (or
    ``numerator`` / ``denominator`` x 100, a percentage formula's X and Y) give the
    ``published`` capaian, at its own decimals ("87,5" has one). ``lower``: the indicator
    is lower-is-better. ``cap_values`` are the caps tried besides none; ``base`` the rules
    the settings change (default :func:`~iki_core.rules.default_rules`)."""
    row = PublishedRow(
        target, realised, published, lower=lower, numerator=numerator, denominator=denominator
    )
    return _simplest(_matches(row, cap_values, base))


def _numbers(
    row: PublishedRow,
) -> tuple[Decimal, Decimal, tuple[Decimal, Decimal] | None, Decimal] | None:
    """The row's target, realisation (and X and Y) and printed figure; None on Y = 0."""
    t = _number(row.target, "target")
    ratio: tuple[Decimal, Decimal] | None = None
    if row.realised is None:
        if row.numerator is None or row.denominator is None:
            raise IkiTypeError(
                field="realised", expected="a realisation, or numerator and denominator", value=None
            )
        ratio = (_number(row.numerator, "numerator"), _number(row.denominator, "denominator"))
        if ratio[1] == 0:
            return None
        r = ratio[0] * 100 / ratio[1]  # to choose the candidates only: the figure is exact
    else:
        r = _number(row.realised, "realised")
    return t, r, ratio, _number(row.published, "published")


def _matches(row: PublishedRow, cap_values: Iterable[Number], base: Rules | None) -> list[Match]:
    """Every combination of settings that reproduces ``row`` (not pruned)."""
    numbers = _numbers(row)
    if numbers is None:
        return []
    t, r, ratio, shown = numbers
    base = base if base is not None else default_rules()
    base = attrs.evolve(base, places=_places(shown))
    caps: list[Decimal | None] = [None, *(_number(c, "cap") for c in cap_values)]
    lower = row.lower
    found: list[Match] = []
    for flipped in (False, True):
        as_lower = lower != flipped
        for changes in _candidates(as_lower, t, r, base):
            for cap, rounding in itertools.product(caps, Rounding):
                settings = list(changes)
                if flipped:
                    settings.insert(
                        0, ("polarity", "higher_is_better" if lower else "lower_is_better")
                    )
                fields: dict[str, object] = dict(changes)
                if cap != base.cap:
                    fields["cap"] = cap
                    settings.append(("cap", "none" if cap is None else str(cap)))
                if rounding is not base.rounding:
                    fields["rounding"] = rounding
                    settings.append(("rounding", rounding.value))
                rules = attrs.evolve(base, **fields)  # type: ignore[arg-type]  # converters check
                percent = percent_of(t, r, as_lower, rules, ratio=ratio)
                if percent is not None and percent == shown:
                    found.append(Match(tuple(settings), percent, rules))
    return found


@attrs.frozen
class PublishedRow:
    """One row of a published table: target, realisation (or ``numerator`` and
    ``denominator``, X and Y), the printed capaian, the polarity and a ``label`` (the
    indicator's name or row number) for the reader."""

    target: Number
    realised: Number | None
    published: Number
    lower: bool = False
    numerator: Number | None = None
    denominator: Number | None = None
    label: str = ""


@attrs.frozen
class TableFit:
    """One combination of settings over a whole table: the rows it reproduces and those
    it does not (indexes into the rows given)."""

    settings: tuple[tuple[str, str], ...]
    reproduced: tuple[int, ...]
    missed: tuple[int, ...]

    def describe(self) -> str:
        """The settings as "field = value, ...", or "the defaults"."""
        return Match(self.settings, Decimal(0), default_rules()).describe()


def explain_table(
    rows: Sequence[PublishedRow],
    *,
    cap_values: Iterable[Number] = (100, 120),
    base: Rules | None = None,
) -> tuple[TableFit, ...]:
    """The settings that reproduce the most rows of a published table (an LKjIP
    measurement table), best first: most rows, then fewest settings. The rows the best
    one misses are where the table departs from its own rule (a slip, or a row computed
    another way).

    >>> rows = [PublishedRow("10", "5", "100", lower=True), PublishedRow("8", "9", "87,5",
    ...         lower=True), PublishedRow("100", "80", "80")]
    >>> best = explain_table(rows)[0]
    >>> best.describe(), best.reproduced, best.missed
    ('cap = 100', (0, 1, 2), ())
    """
    caps = tuple(cap_values)
    keys: dict[tuple[tuple[str, str], ...], None] = {}
    for row in rows:
        for m in _matches(row, caps, base):
            keys[m.settings] = None
    fits = []
    for key in keys:
        hit = tuple(i for i, row in enumerate(rows) if _reproduces(key, row, base))
        fits.append(TableFit(key, hit, tuple(i for i in range(len(rows)) if i not in hit)))
    fits.sort(key=lambda f: (-len(f.reproduced), len(f.settings)))
    return tuple(fits)


def _reproduces(
    settings: tuple[tuple[str, str], ...], row: PublishedRow, base: Rules | None
) -> bool:
    """Whether ``settings`` applied to ``row`` give its printed figure (``polarity``
    names the polarity the row is computed as)."""
    numbers = _numbers(row)
    if numbers is None:
        return False
    t, r, ratio, shown = numbers
    fields: dict[str, object] = {}
    as_lower = row.lower
    for k, v in settings:
        if k == "polarity":
            as_lower = v == "lower_is_better"
        elif k == "cap":
            fields[k] = None if v == "none" else Decimal(v)
        else:
            fields[k] = v
    rules = attrs.evolve(base if base is not None else default_rules(), places=_places(shown))
    rules = attrs.evolve(rules, **fields)  # type: ignore[arg-type]  # the converters check them
    return percent_of(t, r, as_lower, rules, ratio=ratio) == shown


def _candidates(lower: bool, t: Decimal, r: Decimal, base: Rules) -> list[list[tuple[str, str]]]:
    """The formula and zero-rule settings worth trying for one polarity."""
    out: list[list[tuple[str, str]]] = []
    if t == 0:  # only the zero target's rule decides
        if lower:
            for zl in ZeroTargetLower:
                out.append(
                    [] if zl is base.zero_target_lower else [("zero_target_lower", zl.value)]
                )
        else:
            for zh in ZeroTargetHigher:
                out.append(
                    [] if zh is base.zero_target_higher else [("zero_target_higher", zh.value)]
                )
        return out
    field = "lower_is_better" if lower else "higher_is_better"
    current = base.lower_is_better if lower else base.higher_is_better
    names: Sequence[str] = [
        m.value for m in (LowerIsBetterFormula if lower else HigherIsBetterFormula)
    ]
    for name in names:
        change = [] if name == current.value else [(field, name)]
        if r == 0 and name == LowerIsBetterFormula.INVERSE.value:
            for zr in ZeroRealisation:
                extra = [] if zr is base.zero_realisation else [("zero_realisation", zr.value)]
                out.append(change + extra)
        else:
            out.append(change)
    return out


def percent_of(
    t: Decimal,
    r: Decimal,
    lower: bool,
    rules: Rules,
    *,
    ratio: tuple[Decimal, Decimal] | None = None,
) -> Decimal | None:
    """Realisation ``r`` (or X and Y, ``ratio``, exactly) against the year's single target
    ``t`` under ``rules``, in percent, as a report computes it (a one-row indicator through
    :func:`~iki_core.engine.achievement`)."""
    kind: Count | PercentageFormula = Count(PERCENT) if ratio is None else PercentageFormula()
    indicator = Indicator(
        "1",
        "audit",
        kind,
        targets=(Target(_YEAR, Quantity(t, PERCENT)),),
        polarity=Polarity.LOWER_IS_BETTER if lower else Polarity.HIGHER_IS_BETTER,
    )
    if ratio is None:
        real = Realisation("1", _PERIOD, value=Quantity(r, PERCENT))
    else:
        real = Realisation("1", _PERIOD, numerator=ratio[0], denominator=ratio[1])
    return achievement(indicator, (real,), _PERIOD, rules).percent


def _simplest(found: list[Match]) -> tuple[Match, ...]:
    """The matches no simpler match explains: one whose settings include all the settings
    of another match is left out."""
    kept: list[Match] = []
    for m in sorted(found, key=lambda m: len(m.settings)):
        mine = set(m.settings)
        if any(set(k.settings) <= mine for k in kept):
            continue
        kept.append(m)
    return tuple(kept)
