"""The engine's side of value kinds and baselines: the formula a compiled indicator uses
in place of its polarity's when its kind or the rules call for one.

- A grade (:class:`~iki_core.kinds.GradeKind`) compares positions on its scale, counted
  from the lowest grade as 1, by :class:`~iki_core.rules.GradeRule`: all or nothing
  (default) or the ratio of the positions.
- Ranks, ratios, durations, money and scores are numbers in their own units: the
  polarity's formula applies to them as it is (a rank defaults to lower is better).
- With ``Rules.measure = BASELINE`` an indicator with a baseline B is measured from it:
  (R - B) / (T - B), for either polarity.

The formula is chosen once per indicator (:func:`kind_formula`), so the fast path and
the general path share it.

>>> GRADE_ALL_OR_NOTHING.percent((3, 1), (4, 1)), GRADE_ALL_OR_NOTHING.percent((4, 1), (4, 1))
((0, 1), (100, 1))
>>> baseline_formula((40, 1)).percent((55, 1), (60, 1))  # (55 - 40) / (60 - 40) = 75%
(1500, 20)
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Final

from iki_core.engine.formulas import Formula
from iki_core.engine.ratios import Ratio
from iki_core.kinds import GradeKind
from iki_core.model import Indicator, Range
from iki_core.rules import GradeRule, Measure, Rules
from iki_core.units import Quantity

__all__ = [
    "GRADE_ALL_OR_NOTHING",
    "GRADE_POSITION_RATIO",
    "baseline_formula",
    "kind_formula",
]


def _all_or_nothing(rn: int, rd: int, tn: int, td: int) -> Ratio | None:
    return (1, 1) if rn * td >= tn * rd else (0, 1)


def _positions(rn: int, rd: int, tn: int, td: int) -> Ratio | None:
    d = rd * tn
    return (rn * td, d) if d > 0 else (-rn * td, -d)


GRADE_ALL_OR_NOTHING: Final = Formula(
    "grade_all_or_nothing",
    "no regulation fixes it; a grade target is met or not (a WDP is not a WTP)",
    "100 when pos(R) >= pos(T), else 0",
    _all_or_nothing,
    "({R} >= {T} ? 1 : 0)",
)
"""A grade against its target grade: 100% when it reaches the target's position, else 0."""

GRADE_POSITION_RATIO: Final = Formula(
    "grade_position_ratio",
    "no regulation fixes it; apps that turn grades into numbers (positions from the "
    "lowest grade, 1)",
    "pos(R) / pos(T)",
    _positions,
    "{R} / {T}",
)
"""A grade against its target grade as the ratio of their positions (WDP 3 of WTP 4: 75%)."""


def baseline_formula(base: Ratio) -> Formula:
    """(R - B) / (T - B) with the baseline ``base`` = B, for either polarity (its mirror
    (B - R) / (B - T) is the same number); no value when T = B."""
    bn, bd = base

    def from_baseline(rn: int, rd: int, tn: int, td: int) -> Ratio | None:
        n = (rn * bd - bn * rd) * td
        d = (tn * bd - bn * td) * rd
        if d == 0:
            return None
        return (n, d) if d > 0 else (-n, -d)

    shown = str(Decimal(bn) / Decimal(bd)) if bd != 1 else str(bn)
    return Formula(
        "baseline_relative",
        "no regulation fixes it; OKR-style tools (Akvo RSR) measure from the baseline "
        "(kondisi awal)",
        "(R - B) / (T - B)",
        from_baseline,
        f"({{R}} - {shown}) / ({{T}} - {shown})",
    )


def kind_formula(
    indicator: Indicator, rules: Rules, convert: Callable[[Quantity, str], Ratio]
) -> Formula | None:
    """The formula ``indicator`` uses instead of its polarity's under ``rules``, or None:
    a grade's by ``rules.grade_rule``; the baseline-relative one under
    ``Measure.BASELINE`` when the indicator has a baseline (``convert`` puts it in the
    indicator's unit)."""
    if isinstance(indicator.kind, GradeKind):
        if rules.grade_rule is GradeRule.POSITION_RATIO:
            return GRADE_POSITION_RATIO
        return GRADE_ALL_OR_NOTHING
    if rules.measure is Measure.BASELINE:
        b = indicator.baseline
        if b is not None and b.value is not None and not isinstance(b.value, Range):
            return baseline_formula(convert(b.value, f"Indicator {indicator.id} baseline"))
    return None
