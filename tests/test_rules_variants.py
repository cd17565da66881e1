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


# --- value kinds and the baseline measure -------------------------------------------------------
@attrs.frozen
class KindCase:
    """One worked case of a value kind: the indicator's kind, its target as written, its
    realisations as (period, text as a realisations file writes it), and the figures
    expected. ``baseline`` is the indicator's Kondisi Awal."""

    name: str
    kind: Any
    target: str
    reals: tuple[tuple[str, str], ...]
    percent: str | None
    status: Status = Status.ACHIEVED
    rules: dict[str, Any] = attrs.field(factory=dict)
    period: str = "2021"
    polarity: Polarity | None = None
    baseline: str | None = None


def _kind_indicator(case: KindCase) -> Indicator:
    from iki_core.kinds import parse_value

    kind = case.kind
    changes: dict[str, Any] = {}
    if case.polarity is not None:
        changes["polarity"] = case.polarity
    if case.baseline is not None:
        changes["baseline"] = Target(2020, parse_value(case.baseline), case.baseline)
    return Indicator(
        "1", "Nilai", kind, targets=(Target.parse(Y, case.target, kind=kind),), **changes
    )


def _kind_reals(case: KindCase) -> list[Realisation]:
    from iki_core.kinds import parse_value

    return [
        Realisation("1:1", Period.parse(p), value=parse_value(v, kind=case.kind))
        for p, v in case.reals
    ]


def _kinds() -> dict[str, Any]:
    from iki_core.kinds import GradeKind, RankKind, RatioKind, ScoreKind

    reg = get_registry()
    return {
        "opini": GradeKind("opini-bpk"),
        "sakip": GradeKind("nilai-sakip"),
        "rs": GradeKind("akreditasi-rs"),
        "spip": GradeKind("maturitas-spip"),
        "rank": RankKind(),
        "ratio": RatioKind(),
        "jam": Count(reg.unit("jam")),
        "hari": Count(reg.unit("hari")),
        "rupiah": Count(reg.unit("rupiah")),
        "ikm": ScoreKind(0, 100, "IKM"),
        "percent": Count(reg.unit("%")),
        "orang": Count(reg.unit("orang")),
    }


K = _kinds()
POS = {"grade_rule": "position_ratio"}
KIND_CASES = [
    # grades (Rules.grade_rule; positions from the lowest: opini TMP 1, TW 2, WDP 3, WTP 4;
    # nilai SAKIP D 1, C 2, CC 3, B 4, BB 5, A 6, AA 7; akreditasi Dasar 1 ... Paripurna 4)
    KindCase("opini_wtp_reached", K["opini"], "WTP", (("2021", "WTP"),), "100.00"),
    # all or nothing (default): WDP is not WTP
    KindCase("opini_wdp_all_or_nothing", K["opini"], "WTP", (("2021", "WDP"),), "0.00", NA),
    # position ratio: 3 / 4 = 75%
    KindCase("opini_wdp_positions", K["opini"], "WTP", (("2021", "WDP"),), "75.00", NA, POS),
    # A above BB: reached, 100 all or nothing; positions 6 / 5 = 120%
    KindCase("sakip_a_over_bb", K["sakip"], "BB", (("2021", "A"),), "100.00"),
    KindCase("sakip_a_over_bb_positions", K["sakip"], "BB", (("2021", "A"),), "120.00", rules=POS),
    # Madya (2) against Paripurna (4): 2 / 4 = 50%
    KindCase("akreditasi_madya", K["rs"], "Paripurna", (("2021", "Madya"),), "50.00", NA, POS),
    # level 4 reaches level 3
    KindCase("spip_level_4_of_3", K["spip"], "Level 3", (("2021", "Level 4"),), "100.00"),
    # a grade is a level: the last reported (Q4 WTP) stands, not a sum
    KindCase(
        "opini_last_reported", K["opini"], "WTP", (("2021-Q2", "WDP"), ("2021-Q4", "WTP")), "100.00"
    ),
    # ranks: lower is better by default, kondisi khusus (2T - R) / T
    # T 3, R 4: (6 - 4) / 3 = 66.67%
    KindCase(
        "rank_fourth_of_third", K["rank"], "Peringkat 3", (("2021", "Peringkat 4"),), "66.67", NA
    ),
    # "3 besar" is 3; rank 1: (6 - 1) / 3 = 166.67%
    KindCase("rank_first_of_top_three", K["rank"], "3 besar", (("2021", "Rangking 1"),), "166.67"),
    # T / R (lower_is_better = inverse): 3 / 4 = 75%
    KindCase(
        "rank_inverse",
        K["rank"],
        "Peringkat 3",
        (("2021", "peringkat ke-4"),),
        "75.00",
        NA,
        {"lower_is_better": "inverse"},
    ),
    # ratios on their second term: 1:40 pupils per teacher against 1:32, lower is better:
    # (64 - 40) / 32 = 75%; 1 : 28: (64 - 28) / 32 = 112.5%
    KindCase(
        "ratio_40_of_32", K["ratio"], "1:32", (("2021", "1:40"),), "75.00", NA, polarity=LOWER
    ),
    KindCase("ratio_28_of_32", K["ratio"], "1:32", (("2021", "1 : 28"),), "112.50", polarity=LOWER),
    # higher is better (the indicator's polarity): 25 / 20 = 125%
    KindCase("ratio_higher", K["ratio"], "1:20", (("2021", "1:25"),), "125.00"),
    # durations convert to the target's unit: 90 menit is 1.5 jam, (4 - 1.5) / 2 = 125%
    KindCase(
        "duration_minutes_of_hours",
        K["jam"],
        "2 jam",
        (("2021", "90 menit"),),
        "125.00",
        polarity=LOWER,
    ),
    # 1 minggu is 7 hari against 3 hari: (6 - 7) / 3 < 0, floored at 0
    KindCase(
        "duration_week_of_days",
        K["hari"],
        "3 hari",
        (("2021", "1 minggu"),),
        "0.00",
        NA,
        polarity=LOWER,
    ),
    # money, exact: 1.200 juta against Rp 1,5 M (miliar): 1.2 / 1.5 = 80%
    KindCase(
        "money_juta_of_miliar", K["rupiah"], "Rp 1,5 M", (("2021", "1.200 juta"),), "80.00", NA
    ),
    # a flow of money to Q2: 500 + 750 juta against 6/12 x 2 M = 1 M: 125%
    KindCase(
        "money_to_q2",
        K["rupiah"],
        "Rp 2 M",
        (("2021-Q1", "Rp 500 juta"), ("2021-Q2", "750 juta")),
        "125.00",
        period="2021-Q2",
    ),
    # IKM 82,5 against 80: 103.125 -> 103.13 (half-up)
    KindCase("ikm_score", K["ikm"], "80", (("2021", "82,5"),), "103.13"),
    # the baseline measure (Rules.measure = baseline): (R - B) / (T - B)
    # B 11%, T 9%, R 9.2%, lower is better: (9.2 - 11) / (9 - 11) = 90%
    KindCase(
        "baseline_reduction",
        K["percent"],
        "9%",
        (("2021", "9,2%"),),
        "90.00",
        NA,
        {"measure": "baseline"},
        polarity=LOWER,
        baseline="11%",
    ),
    # a target of 0 measured from the baseline is an ordinary target, not the zero rules':
    # B 11%, T 0%, R 4.4%, lower is better: (4.4 - 11) / (0 - 11) = 60%
    KindCase(
        "baseline_to_zero",
        K["percent"],
        "0%",
        (("2021", "4,4%"),),
        "60.00",
        NA,
        {"measure": "baseline"},
        polarity=LOWER,
        baseline="11%",
    ),
    # B 40, T 60, R 55: 15 / 20 = 75%; the default measure gives 55 / 60 = 91.67%
    KindCase(
        "baseline_higher",
        K["orang"],
        "60 orang",
        (("2021", "55 orang"),),
        "75.00",
        NA,
        {"measure": "baseline"},
        baseline="40 orang",
    ),
    KindCase(
        "baseline_not_measured",
        K["orang"],
        "60 orang",
        (("2021", "55 orang"),),
        "91.67",
        NA,
        baseline="40 orang",
    ),
    # no baseline: the polarity's formula stands, 55 / 60
    KindCase(
        "baseline_missing",
        K["orang"],
        "60 orang",
        (("2021", "55 orang"),),
        "91.67",
        NA,
        {"measure": "baseline"},
    ),
    # R beyond T from B 40 to T 60: R 70 gives 30 / 20 = 150%
    KindCase(
        "baseline_beyond",
        K["orang"],
        "60 orang",
        (("2021", "70 orang"),),
        "150.00",
        rules={"measure": "baseline"},
        baseline="40 orang",
    ),
]


@pytest.mark.parametrize("case", KIND_CASES, ids=[c.name for c in KIND_CASES])
def test_worked_value_kind_case(case: KindCase) -> None:
    rules: Rules = attrs.evolve(DEFAULT_RULES, **case.rules)
    ind = _kind_indicator(case)
    period = Period.parse(case.period)
    a = achievement(ind, _kind_reals(case), period, rules)
    assert a.percent == (None if case.percent is None else Decimal(case.percent))
    assert a.status == case.status
    c = CompiledIndicator(ind, rules)
    series = c.prepare(_kind_reals(case), None).get(Y)
    general, _ = work(c, series, PeriodFacts(period, rules), None)
    assert general == a
    assert a.explain()


def test_there_are_at_least_forty_worked_cases_with_the_value_kinds() -> None:
    assert len(CASES) + len(KIND_CASES) >= 60


def test_explain_shows_grades_and_the_baseline() -> None:
    def first(name: str) -> str:
        case = next(c for c in KIND_CASES if c.name == name)
        rules: Rules = attrs.evolve(DEFAULT_RULES, **case.rules)
        a = achievement(_kind_indicator(case), _kind_reals(case), Period.parse(case.period), rules)
        return a.explain("en").splitlines()[0]

    assert first("opini_wdp_positions") == (
        "Realised year 2021: latest value (2021) = WDP (3); target year 2021: WTP (4); "
        "achievement = 3 / 4 x 100% = 75.00%"
    )
    assert first("baseline_higher").endswith("achievement = (55 - 40) / (60 - 40) x 100% = 75.00%")
