"""Worked cases of every rule variant: rounding, formulas, zero rules, the cumulative target
over reported quarters, missing periods and band closure.

Each expected figure is computed by hand in the comment beside it, from the rule named in
its :mod:`iki_core.rules` docstring (docs/rules.md shows the same examples). Every case is
computed through :func:`iki_core.engine.achievement` (the fast path where it applies) and
again on the general path with its working, which must agree and explain itself.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest

from iki_core.engine import Status, achievement
from iki_core.engine.compiled import CompiledIndicator, PeriodFacts
from iki_core.engine.general import work
from iki_core.model import (
    Aggregation,
    Count,
    Indicator,
    Polarity,
    QuarterlyPlan,
    Realisation,
    Target,
)
from iki_core.periods import Period
from iki_core.rules import DEFAULT_RULES, RatingScale, Rules
from iki_core.units import get_registry, parse_quantity

Y = 2021
LOWER = Polarity.LOWER_IS_BETTER
HIGHER = Polarity.HIGHER_IS_BETTER
SUM = Aggregation.SUM
LAST = Aggregation.LAST
AVERAGE = Aggregation.AVERAGE

TRAFFIC_UPPER = RatingScale.from_thresholds(
    "traffic-upper", [("90", "hijau"), ("70", "kuning")], below="merah", closed="upper"
)
TRAFFIC_LOWER = RatingScale.from_thresholds(
    "traffic-lower", [("90", "hijau"), ("70", "kuning")], below="merah"
)


@attrs.frozen
class Case:
    """One worked case: an indicator (target, polarity, aggregation, plan), its
    realisations as (period, value), the period asked, the rules changed, and the figures
    expected: percent (None: no figure), status, rating (when checked) and the codes of
    the notices."""

    name: str
    target: str
    reals: tuple[tuple[str, str], ...]
    period: str = "2021"
    rules: dict[str, Any] = attrs.field(factory=dict)
    percent: str | None = None
    status: Status = Status.ACHIEVED
    polarity: Polarity = HIGHER
    aggregation: Aggregation = SUM
    plan: tuple[str | None, ...] | None = None
    rating: str | None = None
    notices: tuple[str, ...] = ()
    unit: str = " orang"
    """The unit as written after a number ("%" or " orang")."""


def _indicator(case: Case) -> Indicator:
    reg = get_registry()
    plans: tuple[QuarterlyPlan, ...] = ()
    if case.plan is not None:
        plans = (
            QuarterlyPlan(Y, tuple(None if e is None else parse_quantity(e) for e in case.plan)),
        )
    return Indicator(
        "1",
        "Jumlah",
        Count(reg.unit(case.unit.strip())),
        targets=(Target.parse(Y, case.target),),
        polarity=case.polarity,
        aggregation=case.aggregation,
        plans=plans,
    )


NA = Status.NOT_ACHIEVED
UNDEF = Status.UNDEFINED

CASES = [
    # --- rounding (Rules.rounding), T = 8 orang, places 0 ------------------------------------
    # R = 7: 7 / 8 x 100 = 87.5 -> half-up 88, truncated 87, half-even 88 (87 is odd)
    Case("half_up_87_5", "8 orang", (("2021", "7"),), rules={"places": 0}, percent="88", status=NA),
    Case(
        "truncate_87_5",
        "8 orang",
        (("2021", "7"),),
        rules={"places": 0, "rounding": "truncate"},
        percent="87",
        status=NA,
    ),
    Case(
        "half_even_87_5",
        "8 orang",
        (("2021", "7"),),
        rules={"places": 0, "rounding": "half_even"},
        percent="88",
        status=NA,
    ),
    # R = 5: 62.5 -> half-up 63, truncated 62, half-even 62 (62 is even)
    Case("half_up_62_5", "8 orang", (("2021", "5"),), rules={"places": 0}, percent="63", status=NA),
    Case(
        "truncate_62_5",
        "8 orang",
        (("2021", "5"),),
        rules={"places": 0, "rounding": "truncate"},
        percent="62",
        status=NA,
    ),
    Case(
        "half_even_62_5",
        "8 orang",
        (("2021", "5"),),
        rules={"places": 0, "rounding": "half_even"},
        percent="62",
        status=NA,
    ),
    # T = 3, R = 2: 66.666... -> half-up 66.67, truncated 66.66, half-even 66.67
    Case("half_up_two_thirds", "3 orang", (("2021", "2"),), percent="66.67", status=NA),
    Case(
        "truncate_two_thirds",
        "3 orang",
        (("2021", "2"),),
        rules={"rounding": "truncate"},
        percent="66.66",
        status=NA,
    ),
    Case(
        "half_even_two_thirds",
        "3 orang",
        (("2021", "2"),),
        rules={"rounding": "half_even"},
        percent="66.67",
        status=NA,
    ),
    # truncation keeps 99.99 below 100: T = 10001, R = 10000 -> 99.990000... either way, and
    # T = 3, R = 2.99999 -> 99.99966..., half-up 100.00 (achieved), truncated 99.99 (not)
    Case("half_up_reaches_100", "3 orang", (("2021", "2,99999"),), percent="100.00"),
    Case(
        "truncate_stays_below_100",
        "3 orang",
        (("2021", "2,99999"),),
        rules={"rounding": "truncate"},
        percent="99.99",
        status=NA,
    ),
    # --- lower-is-better formulas, T = 10, R = 5 ---------------------------------------------
    # kondisi khusus (2 x 10 - 5) / 10 = 150%; T / R = 10 / 5 = 200%; (T - R) / T = 50%
    Case(
        "kondisi_khusus",
        "10 kasus",
        (("2021", "5"),),
        percent="150.00",
        polarity=LOWER,
        unit=" kasus",
    ),
    Case(
        "inverse",
        "10 kasus",
        (("2021", "5"),),
        rules={"lower_is_better": "inverse"},
        percent="200.00",
        polarity=LOWER,
        unit=" kasus",
    ),
    Case(
        "reduction",
        "10 kasus",
        (("2021", "5"),),
        rules={"lower_is_better": "reduction"},
        percent="50.00",
        status=NA,
        polarity=LOWER,
        unit=" kasus",
    ),
    # (T - R) / T with R = 12 > T = 10: -2 / 10 = -20%
    Case(
        "reduction_negative",
        "10 kasus",
        (("2021", "12"),),
        rules={"lower_is_better": "reduction"},
        percent="-20.00",
        status=NA,
        polarity=LOWER,
        unit=" kasus",
    ),
    # T = 8, R = 20 > 2T: (16 - 20) / 8 = -50%, floored at 0 unless unfloored
    Case(
        "kondisi_khusus_floored",
        "8 kasus",
        (("2021", "20"),),
        percent="0.00",
        status=NA,
        polarity=LOWER,
        unit=" kasus",
    ),
    Case(
        "kondisi_khusus_unfloored",
        "8 kasus",
        (("2021", "20"),),
        rules={"lower_is_better": "kondisi_khusus_unfloored"},
        percent="-50.00",
        status=NA,
        polarity=LOWER,
        unit=" kasus",
    ),
    # --- higher is better below zero (a growth rate): T = 10%, R = -2%: -20%, floored 0% ---
    Case("normal_negative", "10%", (("2021", "-2"),), percent="-20.00", status=NA, unit="%"),
    Case(
        "normal_floored",
        "10%",
        (("2021", "-2"),),
        rules={"higher_is_better": "kondisi_normal_floored"},
        percent="0.00",
        status=NA,
        unit="%",
    ),
    # --- T / R at R = 0 (Rules.zero_realisation), T = 10 --------------------------------------
    Case(
        "inverse_r0_undefined",
        "10 kasus",
        (("2021", "0"),),
        rules={"lower_is_better": "inverse"},
        status=UNDEF,
        polarity=LOWER,
        unit=" kasus",
    ),
    Case(
        "inverse_r0_full",
        "10 kasus",
        (("2021", "0"),),
        rules={"lower_is_better": "inverse", "zero_realisation": "full"},
        percent="100.00",
        polarity=LOWER,
        unit=" kasus",
    ),
    Case(
        "inverse_r0_zero",
        "10 kasus",
        (("2021", "0"),),
        rules={"lower_is_better": "inverse", "zero_realisation": "zero"},
        percent="0.00",
        status=NA,
        polarity=LOWER,
        unit=" kasus",
    ),
    # --- a target of 0 when lower is better (Rules.zero_target_lower) ------------------------
    Case(
        "zero_lower_nothing_happened",
        "0 kasus",
        (("2021", "0"),),
        percent="100.00",
        polarity=LOWER,
        unit=" kasus",
    ),
    Case(
        "zero_lower_something_happened",
        "0 kasus",
        (("2021", "3"),),
        percent="0.00",
        status=NA,
        polarity=LOWER,
        unit=" kasus",
    ),
    Case(
        "zero_lower_always_zero",
        "0 kasus",
        (("2021", "0"),),
        rules={"zero_target_lower": "zero"},
        percent="0.00",
        status=NA,
        polarity=LOWER,
        unit=" kasus",
    ),
    Case(
        "zero_lower_undefined",
        "0 kasus",
        (("2021", "0"),),
        rules={"zero_target_lower": "undefined"},
        status=UNDEF,
        polarity=LOWER,
        unit=" kasus",
    ),
    # --- cap: T = 8, R = 10: 125% capped at 100 ----------------------------------------------
    Case("capped_at_100", "8 orang", (("2021", "10"),), rules={"cap": 100}, percent="100.00"),
    # --- the cumulative target over the reported quarters (Rules.period_target) --------------
    # plan 10, 20, 30, 40; Q1 = 10 and Q3 = 30 reported, Q2 not. At Q3 the cumulative plan is
    # 10 + 20 + 30 = 60 and 40 / 60 = 66.67%; over the reported quarters 10 + 30 = 40: 100%.
    Case(
        "plan_cumulative",
        "100 orang",
        (("2021-Q1", "10"), ("2021-Q3", "30")),
        period="2021-Q3",
        plan=("10 orang", "20 orang", "30 orang", "40 orang"),
        percent="66.67",
        status=NA,
        notices=("missing",),
    ),
    Case(
        "plan_reported_quarters",
        "100 orang",
        (("2021-Q1", "10"), ("2021-Q3", "30")),
        period="2021-Q3",
        plan=("10 orang", "20 orang", "30 orang", "40 orang"),
        rules={"period_target": "reported_quarters"},
        percent="100.00",
        notices=("missing",),
    ),
    # --- missing periods (Rules.missing_period) ----------------------------------------------
    # a flow, target 120 a year: Q1 = 30, Q2 = 30, Q3 asked and not reported. To date: 60
    # against 9/12 x 120 = 90: 66.67%. As zero: 60 + 0 against 90, the same, flagged.
    Case(
        "flow_missing_no_data",
        "120 orang",
        (("2021-Q1", "30"), ("2021-Q2", "30")),
        period="2021-Q3",
        status=Status.NO_DATA,
        notices=("missing",),
    ),
    Case(
        "flow_missing_to_date",
        "120 orang",
        (("2021-Q1", "30"), ("2021-Q2", "30")),
        period="2021-Q3",
        rules={"missing_period": "to_date"},
        percent="66.67",
        status=NA,
        notices=("missing", "missing-period-to-date"),
    ),
    Case(
        "flow_missing_as_zero",
        "120 orang",
        (("2021-Q1", "30"), ("2021-Q2", "30")),
        period="2021-Q3",
        rules={"missing_period": "as_zero"},
        percent="66.67",
        status=NA,
        notices=("missing", "missing-period-as-zero"),
    ),
    # a stock, target 50 unit: Q1 = 20, Q2 = 40, Q3 asked. Carried: 40 / 50 = 80%; as zero:
    # 0 / 50 = 0%.
    Case(
        "stock_missing_no_data",
        "50 unit",
        (("2021-Q1", "20"), ("2021-Q2", "40")),
        period="2021-Q3",
        aggregation=LAST,
        unit=" unit",
        status=Status.NO_DATA,
    ),
    Case(
        "stock_missing_carry_last",
        "50 unit",
        (("2021-Q1", "20"), ("2021-Q2", "40")),
        period="2021-Q3",
        aggregation=LAST,
        unit=" unit",
        rules={"missing_period": "carry_last"},
        percent="80.00",
        status=NA,
        notices=("missing-period-carry-last",),
    ),
    Case(
        "stock_missing_as_zero",
        "50 unit",
        (("2021-Q1", "20"), ("2021-Q2", "40")),
        period="2021-Q3",
        aggregation=LAST,
        unit=" unit",
        rules={"missing_period": "as_zero"},
        percent="0.00",
        status=NA,
        notices=("missing-period-as-zero",),
    ),
    # a mean, target 10: Q1 = 8, Q2 = 12, Q3 asked. To date (8 + 12) / 2 = 10: 100%; as zero
    # (8 + 12 + 0) / 3 = 6.666...: 66.67%.
    Case(
        "average_missing_to_date",
        "10 orang",
        (("2021-Q1", "8"), ("2021-Q2", "12")),
        period="2021-Q3",
        aggregation=AVERAGE,
        rules={"missing_period": "to_date"},
        percent="100.00",
        notices=("missing", "missing-period-to-date"),
    ),
    Case(
        "average_missing_as_zero",
        "10 orang",
        (("2021-Q1", "8"), ("2021-Q2", "12")),
        period="2021-Q3",
        aggregation=AVERAGE,
        rules={"missing_period": "as_zero"},
        percent="66.67",
        status=NA,
        notices=("missing", "missing-period-as-zero"),
    ),
    # --- year to date as the mean of period percents (Rules.year_to_date) ------------------
    # plan 10, 20, 30, 40 (annual 100); Q1..Q4 = 10, 10, 30, 50. The ratio: 100 / 100 = 100%.
    # The mean: (10/10 + 10/20 + 30/30 + 50/40) / 4 = (100 + 50 + 100 + 125) / 4 = 93.75%.
    Case(
        "ytd_ratio",
        "100 orang",
        (("2021-Q1", "10"), ("2021-Q2", "10"), ("2021-Q3", "30"), ("2021-Q4", "50")),
        plan=("10 orang", "20 orang", "30 orang", "40 orang"),
        percent="100.00",
    ),
    Case(
        "ytd_mean_of_periods",
        "100 orang",
        (("2021-Q1", "10"), ("2021-Q2", "10"), ("2021-Q3", "30"), ("2021-Q4", "50")),
        plan=("10 orang", "20 orang", "30 orang", "40 orang"),
        rules={"year_to_date": "mean_of_periods"},
        percent="93.75",
        status=NA,
        notices=("mean-of-periods",),
    ),
    # a stock, target 50 unit: Q1 = 20, Q2 = 40. At Q2 the last value 40 / 50 = 80%; the
    # mean of 20 / 50 = 40% and 40 / 50 = 80% is 60%.
    Case(
        "ytd_mean_stock",
        "50 unit",
        (("2021-Q1", "20"), ("2021-Q2", "40")),
        period="2021-Q2",
        aggregation=LAST,
        unit=" unit",
        rules={"year_to_date": "mean_of_periods"},
        percent="60.00",
        status=NA,
        notices=("mean-of-periods",),
    ),
    # --- band closure (RatingScale.closed): T = 10, R = 9: exactly 90% ------------------------
    Case(
        "band_lower_closed_90",
        "10 orang",
        (("2021", "9"),),
        rules={"scale": TRAFFIC_LOWER},
        percent="90.00",
        status=NA,
        rating="hijau",
    ),
    Case(
        "band_upper_closed_90",
        "10 orang",
        (("2021", "9"),),
        rules={"scale": TRAFFIC_UPPER},
        percent="90.00",
        status=NA,
        rating="kuning",
    ),
    # 90.01% (T = 10000, R = 9001) is above the bound either way: hijau
    Case(
        "band_upper_closed_90_01",
        "10000 orang",
        (("2021", "9001"),),
        rules={"scale": TRAFFIC_UPPER},
        percent="90.01",
        status=NA,
        rating="hijau",
    ),
]


def _reals(case: Case) -> list[Realisation]:
    return [
        Realisation("1:1", Period.parse(period), value=parse_quantity(f"{v}{case.unit}"))
        for period, v in case.reals
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_worked_case(case: Case) -> None:
    rules: Rules = attrs.evolve(DEFAULT_RULES, **case.rules)
    ind = _indicator(case)
    period = Period.parse(case.period)
    a = achievement(ind, _reals(case), period, rules)
    assert a.percent == (None if case.percent is None else Decimal(case.percent))
    assert a.status == case.status
    if case.rating is not None:
        assert a.rating == case.rating
    assert tuple(n.code for n in a.notices) == case.notices
    # the general path, with its working, agrees and puts every step into words
    c = CompiledIndicator(ind, rules)
    series = c.prepare(_reals(case), None).get(Y)
    general, _ = work(c, series, PeriodFacts(period, rules), None)
    assert general == a
    assert a.explain()


def test_there_are_at_least_forty_worked_cases() -> None:
    assert len(CASES) >= 40


def _explained(name: str, lang: str = "en") -> str:
    case = next(c for c in CASES if c.name == name)
    rules: Rules = attrs.evolve(DEFAULT_RULES, **case.rules)
    a = achievement(_indicator(case), _reals(case), Period.parse(case.period), rules)
    return a.explain(lang).splitlines()[0]


def test_explain_names_each_variant_rule() -> None:
    # 2 / 3 = 66.666...%: truncated to 66.66, the digits cut shown
    assert _explained("truncate_two_thirds") == (
        "Realised year 2021: 2 orang; target year 2021: 3 orang; achievement = 2 / 3 x 100% = "
        "\u2248 66.6667% \u2192 66.66% (rules.rounding = truncate)"
    )
    # T / R at R = 0 read as 100 by rules.zero_realisation
    assert _explained("inverse_r0_full") == (
        "Realised year 2021: 0 kasus; target year 2021: 10 kasus; achievement = 10 / 0 x 100%: "
        "R = 0, 100.00% (rules.zero_realisation = full)"
    )
    # a stock's missing Q3 counted as 0
    assert _explained("stock_missing_as_zero", "id") == (
        "Realisasi s.d. TW III: TW III tidak dilaporkan, dihitung 0 (rules.missing_period = "
        "as_zero): 0 unit; target s.d. TW III: 50 unit (target tahunan); capaian = 0 / 50 x "
        "100% = 0,00%"
    )
    # the mean of the quarters' percents
    assert _explained("ytd_mean_of_periods").endswith(
        "achievement = mean of the periods' percents (100% + 50% + 100% + 125%) / 4 = 93.75% "
        "(rules.year_to_date = mean_of_periods)"
    )
