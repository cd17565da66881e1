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
from iki_core.model import Count, Indicator, Polarity, Realisation, Target
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

__all__ = ["Match", "explain_published", "percent_of"]

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
    t = _number(target, "target")
    if realised is None:
        if numerator is None or denominator is None:
            raise IkiTypeError(
                field="realised", expected="a realisation, or numerator and denominator", value=None
            )
        y = _number(denominator, "denominator")
        if y == 0:
            return ()
        r = _number(numerator, "numerator") * 100 / y
    else:
        r = _number(realised, "realised")
    shown = _number(published, "published")
    base = base if base is not None else default_rules()
    base = attrs.evolve(base, places=_places(shown))
    caps: list[Decimal | None] = [None, *(_number(c, "cap") for c in cap_values)]
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
                percent = percent_of(t, r, as_lower, rules)
                if percent is not None and percent == shown:
                    found.append(Match(tuple(settings), percent, rules))
    return _simplest(found)


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


def percent_of(t: Decimal, r: Decimal, lower: bool, rules: Rules) -> Decimal | None:
    """Realisation ``r`` against the year's single target ``t`` under ``rules``, in percent,
    as a report computes it (a one-row indicator through
    :func:`~iki_core.engine.achievement`)."""
    indicator = Indicator(
        "1",
        "audit",
        Count(PERCENT),
        targets=(Target(_YEAR, Quantity(t, PERCENT)),),
        polarity=Polarity.LOWER_IS_BETTER if lower else Polarity.HIGHER_IS_BETTER,
    )
    real = Realisation("1", _PERIOD, value=Quantity(r, PERCENT))
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
