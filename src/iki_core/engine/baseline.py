"""Baselines and the plan period: achievement against the starting point, against the
end-of-plan target, and one indicator's trend over the plan years.

- :func:`baseline_achievement`: (R - B) / (T - B) x 100, the share of the way from the
  baseline B (kondisi awal) to the target T that the realisation R has come, as OKR-style
  tools (Akvo RSR, bambooBSC) compute progress from a baseline. For a "persentase
  penurunan" indicator (lower is better, T < B) the same expression reads (B - R) / (B - T):
  the reduction achieved over the reduction planned. No regulation prescribes it; the
  PermenPANRB 8/2021 annex compares R with T only.
- :func:`end_of_plan_achievement`: the realisation to date against the target of the
  plan's last year (kondisi akhir, the Renstra/RPJMD view), under the indicator's formula.
- :func:`trend`: per plan year, the realisation, the target, the percent and the change
  from the year before.

The baseline and the end target are the indicator's own (``Indicator.baseline``, the
Kondisi Awal of a Renstra/RPJMD table, and ``Indicator.end_target``, its Kondisi Akhir)
unless the caller gives another. ``Rules.measure = "baseline"``
(:class:`~iki_core.rules.Measure`) makes every ``percent`` of the engine the
baseline-relative one, from ``iki report --measure baseline`` too.

>>> from iki_core.model import Count, Indicator, Realisation, Target, Polarity
>>> from iki_core.periods import Period
>>> from iki_core.units import parse_quantity as q
>>> kemiskinan = Indicator("1", "Persentase penduduk miskin", Count(q("1%").unit),
...     targets=[Target.parse(2021, "10%"), Target.parse(2022, "9%"), Target.parse(2023, "8%")],
...     polarity=Polarity.LOWER_IS_BETTER)
>>> reals = [Realisation("1", Period(2021), value=q("10,5%")),
...          Realisation("1", Period(2022), value=q("9,2%"))]
>>> baseline_achievement(kemiskinan, reals, Period(2022), q("11%"))  # (11 - 9.2) / (11 - 9)
Decimal('90.00')
>>> end_of_plan_achievement(kemiskinan, reals, Period(2022))  # (2 x 8 - 9.2) / 8
Decimal('85.00')
>>> [(r.year, r.percent, r.change) for r in trend(kemiskinan, reals)]
[(2021, Decimal('95.00'), None), (2022, Decimal('97.78'), Decimal('-1.3')), (2023, None, None)]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from iki_core.engine.audit import percent_of
from iki_core.engine.fast import achievement
from iki_core.engine.general import finish
from iki_core.engine.results import Achievement
from iki_core.errors import InvalidValueError
from iki_core.model import Indicator, Polarity, Realisation
from iki_core.periods import Period
from iki_core.rules import Rules, default_rules
from iki_core.units import Quantity

__all__ = ["TrendRow", "baseline_achievement", "end_of_plan_achievement", "trend"]


def _in_unit(q: Quantity, a: Achievement, field: str) -> Decimal:
    unit = a.indicator.kind.unit
    if q.unit == unit or q.unit.is_bare:
        return q.magnitude
    if not q.unit.is_compatible(unit):
        raise InvalidValueError(
            field=field, expected=f"a value in {unit.name or 'a bare number'}", value=str(q)
        )
    f = q.unit.factor_to(unit)
    return q.magnitude * f.numerator / f.denominator  # factors of units.txt end in decimals


def baseline_achievement(
    indicator: Indicator,
    realisations: Iterable[Realisation],
    period: Period,
    baseline: Quantity | None = None,
    rules: Rules | None = None,
) -> Decimal | None:
    """(R - B) / (T - B) x 100 for ``period`` (R and T as :func:`achievement` gives them),
    capped and rounded by ``rules``; None without a figure, a single target, or when T =
    B (no way to go). Lower is better reads the same expression as (B - R) / (B - T).
    ``baseline`` defaults to the indicator's (``Indicator.baseline``); None when it has
    none."""
    rules = rules if rules is not None else default_rules()
    if baseline is None:
        own = indicator.baseline
        if own is None or not isinstance(own.value, Quantity):
            return None
        baseline = own.value
    a = achievement(indicator, realisations, period, rules)
    if a.realised is None or not isinstance(a.target, Quantity):
        return None
    r = a.realised.magnitude
    t = a.target.magnitude
    b = _in_unit(baseline, a, f"baseline of {indicator.id}")
    if t == b:
        return None
    share = Fraction(r - b) * 100 / Fraction(t - b)  # exact
    return finish(rules, (share.numerator, share.denominator))[0]


def end_of_plan_achievement(
    indicator: Indicator,
    realisations: Iterable[Realisation],
    period: Period,
    rules: Rules | None = None,
    end_target: Quantity | None = None,
) -> Decimal | None:
    """The realisation to ``period`` against the end-of-plan target (kondisi akhir), under
    the polarity's formula and ``rules``: ``end_target`` when given, else the indicator's
    (``Indicator.end_target``), else the target of the plan's last year that has one; None
    without a figure or when that target is a range or "-"."""
    rules = rules if rules is not None else default_rules()
    a = achievement(indicator, realisations, period, rules)
    end = end_target
    if end is None and indicator.end_target is not None:
        end = (
            indicator.end_target.value if isinstance(indicator.end_target.value, Quantity) else None
        )
    if end is None:
        years = [t for t in indicator.targets if isinstance(t.value, Quantity)]
        if years:
            last = max(years, key=lambda t: t.year).value
            assert isinstance(last, Quantity)
            end = last
    if a.realised is None or end is None:
        return None
    t = _in_unit(end, a, f"end target of {indicator.id}")
    lower = indicator.polarity is Polarity.LOWER_IS_BETTER
    return percent_of(t, a.realised.magnitude, lower, rules)


@attrs.frozen
class TrendRow:
    """One plan year of an indicator: its target and realisation (as
    :func:`achievement` gives them for the year), percent and the change of the
    realisation from the year before (None in the first year or after a year without
    one)."""

    year: int
    target: Quantity | None
    realised: Quantity | None
    percent: Decimal | None
    change: Decimal | None


def trend(
    indicator: Indicator,
    realisations: Sequence[Realisation],
    rules: Rules | None = None,
    years: Iterable[int] | None = None,
) -> tuple[TrendRow, ...]:
    """The indicator over ``years`` (default: the years of its targets), one row a year."""
    wanted = sorted(set(years) if years is not None else {t.year for t in indicator.targets})
    rows: list[TrendRow] = []
    before: Decimal | None = None
    for year in wanted:
        a = achievement(indicator, realisations, Period(year), rules)
        now = None if a.realised is None else a.realised.magnitude
        change = None if now is None or before is None else now - before
        target = a.target if isinstance(a.target, Quantity) else None
        rows.append(TrendRow(year, target, a.realised, a.percent, change))
        before = now
    return tuple(rows)
