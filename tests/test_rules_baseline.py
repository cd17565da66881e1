"""Tests of iki_core.engine.baseline: baseline-relative achievement, the end-of-plan target
and trends. Figures are worked by hand from (R - B) / (T - B) x 100 and the annex formulas
(docs/rules.md, "Baselines and the plan period")."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from iki_core.engine import TrendRow, baseline_achievement, end_of_plan_achievement, trend
from iki_core.errors import InvalidValueError
from iki_core.model import Count, Indicator, Polarity, Realisation, Target
from iki_core.periods import Period
from iki_core.rules import DEFAULT_RULES
from iki_core.units import parse_quantity as q

D = Decimal
Y = Period(2021)


def indicator(targets: dict[int, str], unit: str = "%", lower: bool = False) -> Indicator:
    return Indicator(
        "1",
        "Indikator",
        Count(q(f"1{unit}").unit),
        targets=[Target.parse(y, t) for y, t in targets.items()],
        polarity=Polarity.LOWER_IS_BETTER if lower else Polarity.HIGHER_IS_BETTER,
    )


def real(year: int, value: str) -> Realisation:
    return Realisation("1", Period(year), value=q(value))


@pytest.mark.parametrize(
    ("baseline", "target", "realised", "lower", "expected"),
    [
        ("40%", "60%", "55%", False, "75.00"),  # (55 - 40) / (60 - 40)
        ("40%", "60%", "35%", False, "-25.00"),  # (35 - 40) / 20: below the baseline
        ("40%", "60%", "70%", False, "150.00"),  # (70 - 40) / 20
        ("11%", "9%", "9,2%", True, "90.00"),  # penurunan: (11 - 9.2) / (11 - 9)
        ("11%", "9%", "8%", True, "150.00"),  # (11 - 8) / 2
        ("30%", "30%", "35%", False, None),  # T = B: no way to go
    ],
)
def test_baseline_relative(
    baseline: str, target: str, realised: str, lower: bool, expected: str | None
) -> None:
    ind = indicator({2021: target}, lower=lower)
    got = baseline_achievement(ind, [real(2021, realised)], Y, q(baseline))
    assert got == (None if expected is None else D(expected))


def test_baseline_in_another_unit_and_capped() -> None:
    ind = indicator({2021: "48 buah"}, unit=" buah")
    # B = 2 lusin = 24 buah: (36 - 24) / (48 - 24) = 50%
    assert baseline_achievement(ind, [real(2021, "36 buah")], Y, q("2 lusin")) == D("50.00")
    # (60 - 24) / 24 = 150%, capped at 100 by the rules
    capped = attrs.evolve(DEFAULT_RULES, cap=D(100))
    assert baseline_achievement(ind, [real(2021, "60 buah")], Y, q("2 lusin"), capped) == D(
        "100.00"
    )
    with pytest.raises(InvalidValueError):
        baseline_achievement(ind, [real(2021, "36 buah")], Y, q("3 orang"))


def test_no_realisation_no_baseline_figure() -> None:
    assert baseline_achievement(indicator({2021: "60%"}), [], Y, q("40%")) is None


def test_end_of_plan_target() -> None:
    # Renstra 2021-2025, kondisi akhir 2025 = 80%: realised 60% in 2021 is 60 / 80 = 75%
    ind = indicator({2021: "65%", 2022: "70%", 2025: "80%"})
    assert end_of_plan_achievement(ind, [real(2021, "60%")], Y) == D("75.00")
    # lower is better, end target 8: (16 - 10) / 8 = 75%
    low = indicator({2021: "10%", 2025: "8%"}, lower=True)
    assert end_of_plan_achievement(low, [real(2021, "10%")], Y) == D("75.00")
    # a "-" end year is skipped: the last year with a number counts
    dash = indicator({2021: "65%", 2026: "-"})
    assert end_of_plan_achievement(dash, [real(2021, "52%")], Y) == D("80.00")  # 52 / 65


def test_trend_over_the_plan_years() -> None:
    ind = indicator({2021: "60%", 2022: "65%", 2023: "70%"})
    reals = [real(2021, "54%"), real(2022, "65%"), real(2023, "63%")]
    rows = trend(ind, reals)
    # 54 / 60 = 90%; 65 / 65 = 100%, +11; 63 / 70 = 90%, -2
    assert [(r.year, r.percent, r.change) for r in rows] == [
        (2021, D("90.00"), None),
        (2022, D("100.00"), D("11")),
        (2023, D("90.00"), D("-2")),
    ]
    assert isinstance(rows[0], TrendRow)
    assert rows[0].target == q("60%")
    # a year without a realisation breaks the change
    gap = trend(ind, [reals[0], reals[2]])
    assert [r.change for r in gap] == [None, None, None]
    assert [r.year for r in trend(ind, reals, years=[2023, 2021])] == [2021, 2023]


def test_the_indicator_s_own_baseline_and_end_target_are_read() -> None:
    # Kondisi Awal 2020 40%, Kondisi Akhir 2025 80%; 2021 target 60%, realised 55%:
    # from the baseline (55 - 40) / (60 - 40) = 75%; against the end target 55 / 80 = 68.75%
    ind = attrs.evolve(
        indicator({2021: "60%", 2022: "65%"}),
        baseline=Target.parse(2020, "40%"),
        end_target=Target.parse(2025, "80%"),
    )
    reals = [real(2021, "55%")]
    assert baseline_achievement(ind, reals, Y) == D("75.00")
    assert end_of_plan_achievement(ind, reals, Y) == D("68.75")
    # a baseline given by the caller wins: (55 - 50) / (60 - 50) = 50%
    assert baseline_achievement(ind, reals, Y, q("50%")) == D("50.00")
    # without a baseline of its own there is no baseline-relative figure
    assert baseline_achievement(indicator({2021: "60%"}), reals, Y) is None
    # the same figure through the engine, by Rules.measure = baseline
    from iki_core.engine import achievement

    rules = attrs.evolve(DEFAULT_RULES, measure="baseline")
    assert achievement(ind, reals, Y, rules).percent == D("75.00")
    assert achievement(ind, reals, Y).percent == D("91.67")  # 55 / 60, the default
