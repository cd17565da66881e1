"""Tests of iki_core.engine: achievement per period, its rules, warnings, explain, rollups.

Every expected figure below is worked out by hand from the rule named beside it
(docs/rules.md, PermenPANRB 8/2021 annex, Permendagri 86/2017).
"""

from __future__ import annotations

import datetime as dt
from decimal import Context, Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from iki_core.engine import (
    Achievement,
    Formula,
    Notice,
    Rollup,
    Status,
    achievement,
    achievements,
    formula,
    range_formula,
    register_formula,
    rollup,
)
from iki_core.engine.compiled import CompiledIndicator, PeriodFacts
from iki_core.engine.formulas import INVERSE, KONDISI_KHUSUS, KONDISI_NORMAL
from iki_core.engine.general import evaluate, work
from iki_core.engine.steps import RealisedStep, TargetStep
from iki_core.errors import InvalidValueError, UnitMismatchError, UnknownIndicatorError
from iki_core.model import (
    Aggregation,
    Count,
    Document,
    EventReport,
    EventWindow,
    Indicator,
    Objective,
    PercentageFormula,
    Polarity,
    QuarterlyPlan,
    Realisation,
    Sheet,
    Target,
)
from iki_core.numbers import format_number
from iki_core.periods import Period
from iki_core.rules import (
    DEFAULT_RULES,
    SCALES,
    LowerIsBetterFormula,
    RangeRule,
    Rules,
    ZeroDenominator,
    ZeroTargetHigher,
    ZeroTargetLower,
)
from iki_core.units import BARE, PERCENT, Quantity, get_registry, parse_quantity
from tests.strategies import (
    ENGINE_YEAR,
    engine_cases,
    engine_percent_value_cases,
    engine_periods,
    engine_rules,
)

D = Decimal
Y = 2021
REG = get_registry()


def q(text: str) -> Quantity:
    return parse_quantity(text)


def p(text: str) -> Period:
    return Period.parse(text)


def count(
    target: str,
    unit: str = "orang",
    *,
    polarity: Polarity = Polarity.HIGHER_IS_BETTER,
    aggregation: Aggregation = Aggregation.SUM,
    plans: tuple[QuarterlyPlan, ...] = (),
    id: str = "1",
) -> Indicator:
    return Indicator(
        id,
        "Jumlah",
        Count(REG.unit(unit)),
        targets=(Target.parse(Y, target),),
        polarity=polarity,
        aggregation=aggregation,
        plans=plans,
    )


def percentage(target: str = "100,00%", aggregation: Aggregation = Aggregation.SUM) -> Indicator:
    return Indicator(
        "1",
        "Persentase",
        PercentageFormula("X", "Y"),
        targets=(Target.parse(Y, target),),
        aggregation=aggregation,
    )


def real(period: str, value: str, **kw: object) -> Realisation:
    return Realisation("1:1", p(period), value=q(value), **kw)  # type: ignore[arg-type]


def ratio(period: str, x: int, y: int, **kw: object) -> Realisation:
    return Realisation("1:1", p(period), numerator=x, denominator=y, **kw)  # type: ignore[arg-type]


def rules(**changes: Any) -> Rules:
    return attrs.evolve(DEFAULT_RULES, **changes)


# --- worked examples (PermenPANRB 8/2021 annex, "kondisi khusus") ------------------------------
def test_lower_is_better_target_8_realisation_9_is_87_50() -> None:
    ind = count("8 kasus", "kasus", polarity=Polarity.LOWER_IS_BETTER)
    a = achievement(ind, [real("2021", "9 kasus")], Period(Y))
    # (2 x 8 - 9) / 8 x 100 = 87.5
    assert a.percent == D("87.50")
    assert a.status is Status.NOT_ACHIEVED
    assert a.explain().splitlines()[0] == (
        "Realisasi tahun 2021: 9 kasus; target tahun 2021: 8 kasus; "
        "capaian = (2 x 8 - 9) / 8 x 100% = 87,50%"
    )


def test_lower_is_better_target_7_realisation_6_5_is_107_14() -> None:
    ind = count("7 kasus", "kasus", polarity=Polarity.LOWER_IS_BETTER)
    a = achievement(ind, [real("2021", "6,5 kasus")], Period(Y))
    # (14 - 6.5) / 7 x 100 = 107.142857... -> 107.14
    assert a.percent == D("107.14")
    assert a.status is Status.ACHIEVED
    assert a.rating == "Sangat Tinggi"


def test_the_documented_explain_example() -> None:
    ind = count("200 orang")
    a = achievement(ind, [real("2021-Q3", "450 orang")], p("2021-Q3"))
    assert a.explain().splitlines()[0] == (
        "Realisasi s.d. TW III: 450 orang; target s.d. TW III: 9/12 x 200 = 150 orang; "
        "capaian = 450 / 150 x 100% = 300,00%"
    )
    assert a.explain("en").splitlines()[0] == (
        "Realised to Q3: 450 orang; target to Q3: 9/12 x 200 = 150 orang; "
        "achievement = 450 / 150 x 100% = 300.00%"
    )


def test_explain_in_full() -> None:
    ind = count("200 orang peserta")
    reals = [real("2021-Q1", "100 orang"), real("2021-Q2", "150 orang")]
    a = achievement(ind, reals, p("2021-Q2"))
    assert a.explain() == (
        "Realisasi s.d. TW II: 100 + 150 = 250 orang; target s.d. TW II: 6/12 x 200 = "
        "100 orang; capaian = 250 / 100 x 100% = 250,00%\n"
        "progres terhadap target tahunan = 250 / 200 x 100% = 125,00%\n"
        "status: tercapai; predikat: Sangat Tinggi (permendagri-86-2017)"
    )


def test_explain_refuses_other_languages() -> None:
    a = achievement(count("200 orang"), [], Period(Y))
    with pytest.raises(InvalidValueError) as exc:
        a.explain("fr")
    assert str(exc.value) == "lang: expected one of 'en', 'id', got 'fr'"


# --- targets for the period ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("period", "target", "percent"),
    [
        # counts aggregated by sum: annual x months elapsed / 12 (cumulative)
        ("2021-01", "50", "240.00"),  # 1/12 x 600 = 50; realised 120
        ("2021-Q1", "150", "80.00"),  # 3/12 x 600; 120 / 150
        ("2021-S1", "300", "40.00"),  # 6/12 x 600
        ("2021-08", "400", "30.00"),  # 8/12 x 600
        ("2021", "600", "20.00"),
    ],
)
def test_sum_targets_are_prorated_by_months(period: str, target: str, percent: str) -> None:
    ind = count("600 orang")
    reals = [real("2021-01", "120 orang"), real("2021-08", "0 orang")]
    a = achievement(ind, reals, p(period))
    assert a.target == Quantity(D(target), REG.unit("orang"))
    assert a.percent == D(percent)
    assert a.progress == D("20.00")  # 120 / 600, the Permendagri 86/2017 view


@pytest.mark.parametrize("aggregation", [Aggregation.LAST, Aggregation.AVERAGE, Aggregation.MAX])
def test_stocks_and_levels_take_the_annual_target(aggregation: Aggregation) -> None:
    ind = count("3 unit", "unit", aggregation=aggregation)
    a = achievement(ind, [real("2021-Q1", "3 unit")], p("2021-Q1"))
    assert a.target == q("3 unit")
    assert a.percent == D("100.00")


def test_percentages_take_the_annual_target() -> None:
    a = achievement(percentage("80%"), [ratio("2021-Q1", 3, 4)], p("2021-Q1"))
    # realised 3/4 = 75%; 75 / 80 x 100 = 93.75
    assert a.target == q("80%")
    assert a.realised == q("75%")
    assert a.percent == D("93.75")


def test_period_target_annual_rule_compares_with_the_whole_year() -> None:
    ind = count("600 orang")
    a = achievement(
        ind, [real("2021-Q1", "120 orang")], p("2021-Q1"), rules(period_target="annual")
    )
    assert a.target == q("600 orang")
    assert a.percent == a.progress == D("20.00")
    assert "(target tahunan, rules.period_target = annual)" in a.explain()


def test_quarterly_plan_sums_the_quarters_for_sums() -> None:
    plan = QuarterlyPlan(Y, (q("40 orang"), q("50 orang"), q("60 orang"), q("50 orang")))
    ind = count("200 orang", plans=(plan,))
    reals = [real("2021-Q1", "40 orang"), real("2021-Q2", "50 orang"), real("2021-Q3", "45 orang")]
    a = achievement(ind, reals, p("2021-Q3"))
    assert a.target == q("150 orang")  # 40 + 50 + 60 (Rencana Aksi)
    assert a.percent == D("90.00")  # 135 / 150
    assert a.progress == D("67.50")  # 135 / 200
    assert "target s.d. TW III (rencana aksi): 40 + 50 + 60 = 150 orang" in a.explain()
    august = achievement(ind, [*reals[:2], real("2021-08", "30 orang")], p("2021-08"))
    # 40 + 50 + 2/3 x 60 = 130
    assert august.target == q("130 orang")
    assert august.percent == D("92.31")  # 120 / 130 = 0.923076...


def test_quarterly_plan_entry_is_the_level_for_others() -> None:
    plan = QuarterlyPlan(Y, (q("25%"), q("50%"), q("75%"), q("100%")))
    ind = Indicator(
        "1", "Progres", PercentageFormula(), targets=(Target.parse(Y, "100%"),),
        aggregation=Aggregation.LAST, plans=(plan,),
    )  # fmt: skip
    a = achievement(ind, [real("2021-Q2", "40%")], p("2021-Q2"))
    assert a.target == q("50%")
    assert a.percent == D("80.00")
    assert a.progress == D("40.00")


def test_plan_dash_means_no_target_for_that_quarter() -> None:
    plan = QuarterlyPlan(Y, (None, None, q("2 unit"), q("1 unit")))
    ind = count("3 unit", "unit", aggregation=Aggregation.LAST, plans=(plan,))
    a = achievement(ind, [real("2021-Q1", "0 unit")], p("2021-Q1"))
    assert a.status is Status.NO_TARGET
    assert a.target is None
    assert "rencana aksi TW I: '-' (tidak ada target)" in a.explain()


def test_event_reports_prorate_over_their_window() -> None:
    ind = Indicator(
        "6", "Laporan desk pilkada", EventReport(REG.unit("laporan"), (EventWindow(Y, 7, 12),)),
        targets=(Target.parse(Y, "24 laporan"),),
    )  # fmt: skip
    reals = [real("2021-08", "4 laporan"), real("2021-09", "4 laporan")]
    before = achievement(ind, reals, p("2021-Q2"))
    assert before.status is Status.NO_TARGET  # no target before the window opens
    assert before.target is None
    assert before.annual_target == q("24 laporan")
    august = achievement(ind, reals, p("2021-08"))
    assert august.target == q("8 laporan")  # 2/6 x 24
    assert august.percent == D("50.00")  # 4 / 8
    q3 = achievement(ind, reals, p("2021-Q3"))
    assert q3.target == q("12 laporan")  # 3/6 x 24
    assert q3.percent == D("66.67")  # 8 / 12
    assert q3.warnings == (
        "no realisation for 2021-07: the figures to date count the reported periods only "
        "(missing is not zero)",
    )  # months before the window are not expected
    assert q3.warnings_in("id") == (
        "tidak ada realisasi untuk 2021-07: angka s.d. periode hanya menghitung periode yang "
        "dilaporkan (data kosong bukan nol)",
    )
    assert "3/6 x 24 = 12 laporan (kegiatan aktif Juli-Desember 2021)" in q3.explain()
    year = achievement(ind, reals, Period(Y))
    assert year.target == q("24 laporan")
    assert year.percent == D("33.33")


def test_event_period_after_the_window_has_no_target() -> None:
    ind = Indicator(
        "7", "Laporan desk", EventReport(REG.unit("laporan"), (EventWindow(Y, 1, 6),)),
        targets=(Target.parse(Y, "12 laporan"),),
    )  # fmt: skip
    reals = [real("2021-Q1", "6 laporan"), real("2021-Q2", "6 laporan")]
    assert achievement(ind, reals, p("2021-Q4")).status is Status.NO_TARGET
    assert achievement(ind, reals, Period(Y)).percent == D("100.00")


@pytest.mark.parametrize("text", ["-", "\u2013"])
def test_a_dash_target_is_no_target_not_zero(text: str) -> None:
    ind = count(text)
    a = achievement(ind, [real("2021-Q1", "5 orang")], p("2021-Q1"))
    assert a.status is Status.NO_TARGET
    assert a.percent is None
    assert a.realised == q("5 orang")  # still shown
    assert "tidak ada target untuk 2021 ('-')" in a.explain()


def test_a_year_without_a_target_entry_has_no_target() -> None:
    a = achievement(count("200 orang"), [], Period(2030))
    assert a.status is Status.NO_TARGET
    assert a.annual_target is None


# --- realised to date ------------------------------------------------------------------------
def test_missing_is_never_zero() -> None:
    ind = count("120 orang")
    reals = [real("2021-Q1", "30 orang"), real("2021-Q2", "30 orang")]
    a = achievement(ind, reals, p("2021-Q3"))
    assert a.status is Status.NO_DATA
    assert a.percent is None
    assert a.realised is None
    assert a.target == q("90 orang")


def test_realisations_after_the_period_are_ignored() -> None:
    ind = count("120 orang")
    reals = [real("2021-Q1", "30 orang"), real("2021-Q2", "60 orang"), real("2021", "500 orang")]
    a = achievement(ind, reals, p("2021-Q1"))
    assert a.realised == q("30 orang")
    assert a.percent == D("100.00")


def test_a_month_counts_in_its_quarter() -> None:
    ind = count("120 orang")
    reals = [real("2021-01", "10 orang"), real("2021-02", "10 orang"), real("2021-03", "10 orang")]
    a = achievement(ind, reals, p("2021-Q1"))
    assert a.realised == q("30 orang")
    assert a.warnings == ()


def test_other_years_are_ignored() -> None:
    ind = count("120 orang")
    a = achievement(ind, [real("2020-Q1", "30 orang")], p("2021-Q1"))
    assert a.status is Status.NO_DATA


@pytest.mark.parametrize(
    ("aggregation", "realised", "percent"),
    [
        (Aggregation.SUM, "9", "300.00"),  # 2 + 3 + 4 against 9/12 x 4 = 3
        (Aggregation.LAST, "4", "100.00"),  # the latest, against the annual 4
        (Aggregation.AVERAGE, "3", "75.00"),  # (2 + 3 + 4) / 3
        (Aggregation.MAX, "4", "100.00"),
    ],
)
def test_aggregations(aggregation: Aggregation, realised: str, percent: str) -> None:
    ind = count("4 unit", "unit", aggregation=aggregation)
    reals = [real("2021-Q2", "3 unit"), real("2021-Q1", "2 unit"), real("2021-Q3", "4 unit")]
    a = achievement(ind, reals, p("2021-Q3"))
    assert a.realised == Quantity(D(realised), REG.unit("unit"))
    assert a.percent == D(percent)


def test_last_prefers_the_latest_reported() -> None:
    ind = count("4 unit", "unit", aggregation=Aggregation.LAST)
    reals = [
        real("2021-Q1", "3 unit", reported_on=dt.date(2021, 4, 20)),
        real("2021-Q1", "2 unit", reported_on=dt.date(2021, 4, 2)),
    ]
    a = achievement(ind, reals, p("2021-Q1"))
    assert a.realised == q("3 unit")  # the correction reported later wins


def test_percentages_are_sum_x_over_sum_y() -> None:
    ind = percentage()
    reals = [ratio("2021-Q1", 3, 4), ratio("2021-Q2", 4, 4), ratio("2021-Q3", 0, 0)]
    a = achievement(ind, reals, p("2021-Q3"))
    # (3 + 4 + 0) / (4 + 4 + 0) = 87.5%, never the mean of 75%, 100% and "no value"
    assert a.realised == q("87,5%")
    assert a.percent == D("87.50")
    assert a.explain().splitlines()[0] == (
        "Realisasi s.d. TW III: X = 3 + 4 + 0 = 7, Y = 4 + 4 + 0 = 8; 7 / 8 x 100% = 87,5%; "
        "target s.d. TW III: 100% (target tahunan); capaian = 87,5 / 100 x 100% = 87,50%"
    )


def test_percentage_last_takes_the_latest_ratio() -> None:
    ind = percentage(aggregation=Aggregation.LAST)
    a = achievement(ind, [ratio("2021-Q1", 1, 4), ratio("2021-Q2", 3, 4)], p("2021-Q2"))
    assert a.realised == q("75%")


@pytest.mark.parametrize(
    ("policy", "realised", "status"),
    [
        (ZeroDenominator.UNDEFINED, None, Status.UNDEFINED),  # DHIS2: no value
        (ZeroDenominator.ZERO, "0%", Status.NOT_ACHIEVED),
        (ZeroDenominator.FULL, "100%", Status.ACHIEVED),
    ],
)
def test_zero_denominator(policy: ZeroDenominator, realised: str | None, status: Status) -> None:
    a = achievement(
        percentage(), [ratio("2021-Q2", 0, 0)], p("2021-Q2"), rules(zero_denominator=policy)
    )
    assert a.realised == (None if realised is None else q(realised))
    assert a.status is status


def test_percentages_reported_as_values_warn() -> None:
    a = achievement(percentage(), [real("2021-Q1", "60%"), real("2021-Q2", "80%")], p("2021-Q2"))
    assert a.realised == q("80%")
    assert a.warnings == (
        "percentages were reported as values, not as X and Y: sum(X)/sum(Y) cannot be "
        "formed, the latest value is used",
    )
    assert [n.code for n in a.notices] == ["percent-values"]
    assert a.warnings_in("id") == (
        "persentase dilaporkan sebagai nilai, bukan sebagai X dan Y: sum(X)/sum(Y) tidak "
        "dapat dibentuk, nilai terakhir yang dipakai",
    )


def test_mixed_percentage_realisations_are_refused() -> None:
    with pytest.raises(InvalidValueError) as exc:
        achievement(percentage(), [ratio("2021-Q1", 1, 2), real("2021-Q2", "80%")], p("2021-Q2"))
    assert str(exc.value) == (
        "realisation 1 2021-Q2: expected X and Y (numerator and denominator) like the other "
        "realisations of this percentage formula, got '80%'"
    )


def test_counts_take_values_not_ratios() -> None:
    with pytest.raises(InvalidValueError) as exc:
        achievement(count("10 orang"), [ratio("2021-Q1", 1, 2)], p("2021-Q1"), reference="3:1")
    assert str(exc.value) == (
        "realisation 3:1 2021-Q1: expected a value in orang (numerator and denominator "
        "belong to percentage formulas), got 'numerator=1, denominator=2'"
    )


# --- units ---------------------------------------------------------------------------------
def test_compatible_units_are_converted() -> None:
    ind = count("48 buah", "buah")
    a = achievement(ind, [real("2021-Q1", "1 lusin"), real("2021-Q2", "6 buah")], p("2021-Q2"))
    assert a.realised == q("18 buah")  # 12 + 6
    assert a.percent == D("75.00")  # 18 / 24
    assert "12 (= 1 lusin) + 6 = 18 buah" in a.explain()


def test_a_bare_number_is_read_in_the_indicator_unit() -> None:
    ind = count("10 laporan", "laporan")
    a = achievement(ind, [Realisation("1:1", p("2021"), value=Quantity(7, BARE))], Period(Y))
    assert a.realised == q("7 laporan")
    assert a.percent == D("70.00")


def test_incompatible_units_raise() -> None:
    ind = count("3 unit", "unit")
    with pytest.raises(UnitMismatchError) as exc:
        achievement(ind, [real("2021-Q3", "150 orang")], p("2021-Q3"), reference="2:3")
    assert str(exc.value) == (
        "realisation 2:3 2021-Q3: '150 orang' is not convertible to 'unit' (orang is not unit)"
    )


# --- formulas and zero policies ------------------------------------------------------------
def test_kondisi_khusus_is_floored_at_zero() -> None:
    ind = count("7 kasus", "kasus", polarity=Polarity.LOWER_IS_BETTER)
    a = achievement(ind, [real("2021", "20 kasus")], Period(Y))
    # (14 - 20) / 7 x 100 = -85.71...; floored at 0
    assert a.percent == D("0.00")
    assert "= \u2248 -85,71% \u2192 0,00% (tidak kurang dari 0)" in a.explain()


def test_inverse_formula_is_selectable() -> None:
    # docs/rules.md: at T = 10, R = 5, T / R gives 200% where kondisi khusus gives 150%
    ind = count("10 kasus", "kasus", polarity=Polarity.LOWER_IS_BETTER)
    reals = [real("2021", "5 kasus")]
    assert achievement(ind, reals, Period(Y)).percent == D("150.00")
    inverse = rules(lower_is_better=LowerIsBetterFormula.INVERSE)
    a = achievement(ind, reals, Period(Y), inverse)
    assert a.percent == D("200.00")
    assert "capaian = 10 / 5 x 100% = 200,00%" in a.explain()
    zero = achievement(ind, [real("2021", "0 kasus")], Period(Y), inverse)
    assert zero.status is Status.UNDEFINED  # T / 0 has no value


@pytest.mark.parametrize(
    ("policy", "percent", "status"),
    [
        (ZeroTargetHigher.UNDEFINED, None, Status.UNDEFINED),
        (ZeroTargetHigher.ZERO, "0.00", Status.NOT_ACHIEVED),
        (ZeroTargetHigher.FULL, "100.00", Status.ACHIEVED),
    ],
)
def test_zero_target_higher_is_better(
    policy: ZeroTargetHigher, percent: str | None, status: Status
) -> None:
    a = achievement(
        count("0 orang"), [real("2021", "3 orang")], Period(Y), rules(zero_target_higher=policy)
    )
    assert a.percent == (None if percent is None else D(percent))
    assert a.status is status


@pytest.mark.parametrize(
    ("policy", "realised", "percent", "status"),
    [
        (ZeroTargetLower.ALL_OR_NOTHING, "0 kasus", "100.00", Status.ACHIEVED),
        (ZeroTargetLower.ALL_OR_NOTHING, "2 kasus", "0.00", Status.NOT_ACHIEVED),
        (ZeroTargetLower.UNDEFINED, "0 kasus", None, Status.UNDEFINED),
    ],
)
def test_zero_target_lower_is_better(
    policy: ZeroTargetLower, realised: str, percent: str | None, status: Status
) -> None:
    ind = count("0 kasus", "kasus", polarity=Polarity.LOWER_IS_BETTER)
    a = achievement(ind, [real("2021", realised)], Period(Y), rules(zero_target_lower=policy))
    assert a.percent == (None if percent is None else D(percent))
    assert a.status is status


@pytest.mark.parametrize(
    ("realised", "percent", "target"),
    [
        # PermenPANRB 8/2021 annex: below the range, the lower bound; above, the upper
        ("75%", "93.75", "80%"),  # 75 / 80
        ("85%", "100.00", "80%"),  # inside: 100
        ("95%", "105.56", "90%"),  # 95 / 90 = 1.05555...
    ],
)
def test_range_targets(realised: str, percent: str, target: str) -> None:
    ind = count("80-90%", "%", aggregation=Aggregation.LAST)
    a = achievement(ind, [real("2021", realised)], Period(Y))
    assert a.percent == D(percent)
    assert a.target == q(target)
    assert a.progress == D(percent)


def test_range_entry_bound_rule() -> None:
    ind = count("80-90%", "%", aggregation=Aggregation.LAST)
    a = achievement(
        ind, [real("2021", "95%")], Period(Y), rules(range_target=RangeRule.ENTRY_BOUND)
    )
    assert a.percent == D("118.75")  # 95 / 80


def test_cap_bounds_percent_and_progress() -> None:
    ind = count("200 orang")
    a = achievement(ind, [real("2021-Q3", "450 orang")], p("2021-Q3"), rules(cap=D(120)))
    assert a.percent == D("120.00")  # 300% capped
    assert a.progress == D("120.00")  # 225% capped
    assert "= 300% \u2192 120,00% (dibatasi rules.cap)" in a.explain()


def test_rounding_is_half_up_once() -> None:
    ind = count("200 orang")
    a = achievement(ind, [real("2021", "24,69 orang")], Period(Y))
    assert a.percent == D("12.35")  # 12.345 exactly: half up, not half to even (12.34)
    whole = achievement(ind, [real("2021", "24,69 orang")], Period(Y), rules(places=0))
    assert whole.percent == D("12")


def test_rating_follows_the_scale_in_the_rules() -> None:
    ind = count("100 orang")
    reals = [real("2021", "90,5 orang")]
    assert achievement(ind, reals, Period(Y)).rating == "Tinggi"  # Permendagri 86/2017
    pp46 = rules(scale=SCALES["pp-46-2011"])
    assert achievement(ind, reals, Period(Y), pp46).rating == "Baik"


# --- warnings -----------------------------------------------------------------------------
def test_numerator_above_denominator_warns() -> None:
    a = achievement(percentage(), [ratio("2021-Q1", 5, 4)], p("2021-Q1"))
    assert a.percent == D("125.00")
    assert a.warnings == (
        "realisation 2021-Q1: numerator 5 is above its denominator 4 (cases carried over "
        "from the previous year can do that)",
    )
    assert a.notices == (
        Notice(
            "numerator-above-denominator",
            (("period", "2021-Q1"), ("numerator", D(5)), ("denominator", D(4))),
        ),
    )
    assert a.notices[0].en == a.warnings[0]
    assert a.notices[0].id == (
        "realisasi 2021-Q1: pembilang 5 melebihi penyebutnya 4 (hal ini dapat terjadi "
        "karena kasus limpahan dari tahun sebelumnya)"
    )
    assert a.warnings_in("en") == a.warnings
    assert a.explain().endswith(
        "peringatan: realisasi 2021-Q1: pembilang 5 melebihi penyebutnya 4 (hal ini dapat "
        "terjadi karena kasus limpahan dari tahun sebelumnya)"
    )
    decimals = achievement(percentage(), [ratio("2021-Q1", 2500, 1000)], p("2021-Q1"))
    assert decimals.warnings_in("id") == (
        "realisasi 2021-Q1: pembilang 2.500 melebihi penyebutnya 1.000 (hal ini dapat "
        "terjadi karena kasus limpahan dari tahun sebelumnya)",
    )  # numbers written the Indonesian way


def test_late_report_warns() -> None:
    # Rules.report_grace_days (default 30): 2021-03-31 + 30 days = 2021-04-30.
    on_time = [real("2021-Q1", "30 orang", reported_on=dt.date(2021, 4, 30))]
    assert achievement(count("120 orang"), on_time, p("2021-Q1")).warnings == ()
    reals = [real("2021-Q1", "30 orang", reported_on=dt.date(2021, 5, 1))]
    a = achievement(count("120 orang"), reals, p("2021-Q1"))
    assert a.percent == D("100.00")
    assert a.warnings == (
        "realisation 2021-Q1 was reported on 2021-05-01, more than 30 days after the end of "
        "2021-Q1 (2021-03-31)",
    )
    assert a.notices[0].code == "late-report"
    assert a.warnings_in("id") == (
        "realisasi 2021-Q1 dilaporkan 2021-05-01, lebih dari 30 hari setelah akhir 2021-Q1 "
        "(2021-03-31)",
    )
    assert a.explain().endswith(
        "peringatan: realisasi 2021-Q1 dilaporkan 2021-05-01, lebih dari 30 hari setelah "
        "akhir 2021-Q1 (2021-03-31)"
    )
    assert a.explain("en").endswith(
        "warning: realisation 2021-Q1 was reported on 2021-05-01, more than 30 days after "
        "the end of 2021-Q1 (2021-03-31)"
    )
    strict = attrs.evolve(DEFAULT_RULES, report_grace_days=0)
    early = [real("2021-Q1", "30 orang", reported_on=dt.date(2021, 4, 1))]
    assert achievement(count("120 orang"), early, p("2021-Q1"), strict).warnings == (
        "realisation 2021-Q1 was reported on 2021-04-01, more than 0 days after the end of "
        "2021-Q1 (2021-03-31)",
    )
    off = attrs.evolve(DEFAULT_RULES, report_grace_days=None)
    assert achievement(count("120 orang"), reals, p("2021-Q1"), off).warnings == ()


def test_overlapping_realisations_warn() -> None:
    reals = [real("2021-07", "10 orang"), real("2021-Q3", "30 orang")]
    a = achievement(
        count("120 orang"),
        [real("2021-Q1", "0 orang"), real("2021-Q2", "0 orang"), *reals],
        p("2021-Q3"),
    )
    assert a.realised == q("40 orang")
    assert a.warnings == (
        "realisations overlap in 2021-07: those months are counted more than once",
    )
    assert [n.code for n in a.notices] == ["overlap"]
    assert a.warnings_in("id") == (
        "realisasi tumpang tindih pada 2021-07: bulan-bulan itu terhitung lebih dari sekali",
    )


def test_gaps_warn() -> None:
    reals = [real("2021-Q1", "30 orang"), real("2021-Q3", "30 orang")]
    a = achievement(count("120 orang"), reals, p("2021-Q3"))
    assert a.realised == q("60 orang")
    assert a.warnings == (
        "no realisation for 2021-Q2: the figures to date count the reported periods only "
        "(missing is not zero)",
    )
    assert [n.code for n in a.notices] == ["missing"]
    assert a.warnings_in("id") == (
        "tidak ada realisasi untuk 2021-Q2: angka s.d. periode hanya menghitung periode yang "
        "dilaporkan (data kosong bukan nol)",
    )


def test_a_plan_under_a_dash_year_warns() -> None:
    plan = QuarterlyPlan(Y, (q("10 orang"), q("20 orang"), q("30 orang"), q("40 orang")))
    a = achievement(count("-", plans=(plan,)), [real("2021-Q1", "5 orang")], p("2021-Q1"))
    assert a.status is Status.NO_TARGET
    assert a.warnings == ("the plan of 2021 has quarterly targets but the year's target is '-'",)
    assert [n.code for n in a.notices] == ["plan-conflict"]
    assert a.warnings_in("id") == (
        "rencana aksi 2021 memuat target triwulanan, tetapi target tahunannya '-'",
    )


def test_notices_follow_the_order_of_the_warnings() -> None:
    reals = [
        ratio("2021-Q1", 5, 4),
        ratio("2021-Q3", 1, 2, reported_on=dt.date(2021, 12, 1)),
    ]
    a = achievement(percentage(), reals, p("2021-Q3"))
    assert [n.code for n in a.notices] == ["numerator-above-denominator", "late-report", "missing"]
    assert tuple(n.en for n in a.notices) == a.warnings
    assert tuple(n.text("id") for n in a.notices) == a.warnings_in("id") == a.warnings_in()
    assert tuple(n.text("en") for n in a.notices) == a.warnings_in("en")
    with pytest.raises(InvalidValueError):
        a.warnings_in("fr")
    with pytest.raises(InvalidValueError):
        a.notices[0].text("fr")
    # built by hand without notices: the warnings as written, in either language
    by_hand = attrs.evolve(a, warnings=("see the note",), notices=())
    assert by_hand.warnings_in("id") == by_hand.warnings_in("en") == ("see the note",)
    assert by_hand == attrs.evolve(a, warnings=("see the note",))  # notices are not compared


# --- many indicators, rollups ----------------------------------------------------------------
def _document() -> Document:
    ind = [count(f"{t} orang", id=str(i)) for i, t in enumerate((100, 200, 300), start=1)]
    sheet1 = Sheet(
        1,
        "Kepala",
        objectives=(Objective("1", "Sasaran A", ind[:2]), Objective("2", "Sasaran B", ind[2:])),
    )
    sheet2 = Sheet(2, "Kabid", objectives=(Objective("1", "Sasaran C", (percentage(),)),))
    return Document((sheet1, sheet2))


def _document_realisations() -> list[Realisation]:
    return [
        Realisation("1:1", p("2021"), value=q("50 orang")),  # 50%
        Realisation("1:2", p("2021"), value=q("200 orang")),  # 100%
        Realisation("2:1", p("2021"), numerator=9, denominator=10),  # 90%
    ]


def test_achievements_of_a_document_in_order() -> None:
    doc = _document()
    periods = [Period(Y), p("2021-Q1")]
    out = achievements(doc, _document_realisations(), periods)
    assert [(a.reference, str(a.period)) for a in out] == [
        ("1:1", "2021"), ("1:1", "2021-Q1"), ("1:2", "2021"), ("1:2", "2021-Q1"),
        ("1:3", "2021"), ("1:3", "2021-Q1"), ("2:1", "2021"), ("2:1", "2021-Q1"),
    ]  # fmt: skip
    assert [a.percent for a in out if a.period.kind == "year"] == [
        D("50.00"), D("100.00"), None, D("90.00"),
    ]  # fmt: skip
    assert out[4].status is Status.NO_DATA


def test_achievements_refuse_unknown_references() -> None:
    reals = [*_document_realisations(), Realisation("9:9", p("2021"), value=q("1 orang"))]
    with pytest.raises(UnknownIndicatorError) as exc:
        achievements(_document(), reals, [Period(Y)])
    assert str(exc.value) == "no indicator '9:9' (known: 1:1, 1:2, 1:3, 2:1)"


def test_rollup_per_objective_and_sheet() -> None:
    doc = _document()
    out = achievements(doc, _document_realisations(), [Period(Y)])
    objectives = rollup(out, doc)
    assert objectives == [
        Rollup("objective", "1:1", "Sasaran A", Period(Y), D("75.00"), 2, "Sedang"),
        Rollup("objective", "1:2", "Sasaran B", Period(Y), None, 0, None),
        Rollup("objective", "2:1", "Sasaran C", Period(Y), D("90.00"), 1, "Tinggi"),
    ]  # (50 + 100) / 2 = 75: Sedang (66-75); 1:3 has no data
    sheets = rollup(out, doc, level="sheet")
    assert [(r.reference, r.name, r.percent, r.count) for r in sheets] == [
        ("1", "Kepala", D("75.00"), 2),
        ("2", "Kabid", D("90.00"), 1),
    ]
    weighted = rollup(out, doc, level="sheet", weights={"1:1": D(3), "1:2": D(1)})
    assert weighted[0].percent == D("62.50")  # (3 x 50 + 1 x 100) / 4
    assert weighted[0].rating == "Rendah"


def test_rollup_needs_references() -> None:
    a = achievement(count("10 orang"), [], Period(Y))
    with pytest.raises(InvalidValueError) as exc:
        rollup([a], _document())
    assert str(exc.value) == (
        "rollup: expected achievements computed from a document (with a reference), got '1 2021'"
    )


# --- properties ---------------------------------------------------------------------------------
def _general(
    ind: Indicator, reals: list[Realisation], period: Period, rules_: Rules
) -> Achievement:
    """The general path (the one explain() retraces), bypassing the inline fast path."""
    compiled = CompiledIndicator(ind, rules_)
    series = compiled.prepare(reals, None).get(period.year)
    return evaluate(compiled, series, PeriodFacts(period, rules_), None)


@given(
    engine_cases()
    | engine_cases(
        kinds=("count", "percentage"),
        aggregation=Aggregation.SUM,
        complete=True,
        shapes=("single",),
        with_plans=False,
    )
    | engine_percent_value_cases(),
    engine_periods(),
    engine_rules() | st.just(DEFAULT_RULES),
)
def test_the_fast_path_and_the_general_path_agree(
    case: tuple[Indicator, list[Realisation]], period: Period, rules_: object
) -> None:
    assert isinstance(rules_, Rules)
    ind, reals = case
    fast = achievement(ind, reals, period, rules_)
    assert fast == _general(ind, reals, period, rules_)
    compiled = CompiledIndicator(ind, rules_)
    series = compiled.prepare(reals, None).get(period.year)
    recorded, working = work(compiled, series, PeriodFacts(period, rules_), None)
    assert recorded == fast
    assert (working.percent.result if working.percent else None) == fast.percent
    text = fast.explain("id")
    assert text.count("\n") >= 1
    if fast.percent is not None:
        assert format_number(fast.percent, percent=True) in text


@given(
    engine_cases(kinds=("count",), polarity=Polarity.HIGHER_IS_BETTER, aggregation=Aggregation.SUM),
    engine_periods(),
    st.integers(0, 5000),
)
def test_percent_never_falls_as_realisation_rises(
    case: tuple[Indicator, list[Realisation]], period: Period, extra: int
) -> None:
    ind, reals = case
    assume(ind.polarity is Polarity.HIGHER_IS_BETTER and isinstance(ind.kind, Count))
    assume(ind.aggregation is Aggregation.SUM)
    before = achievement(ind, reals, period)
    assume(before.percent is not None and reals)
    assert before.percent is not None
    first = reals[0]
    assert first.value is not None
    more = attrs.evolve(first, value=Quantity(first.value.magnitude + extra, first.value.unit))
    after = achievement(ind, [more, *reals[1:]], period)
    if first.period.last_month <= period.last_month:
        assert after.percent is not None
        assert after.percent >= before.percent


@given(
    engine_cases(kinds=("count",), polarity=Polarity.LOWER_IS_BETTER, aggregation=Aggregation.SUM),
    engine_periods(),
    st.integers(0, 5000),
)
def test_lower_is_better_percent_never_rises(
    case: tuple[Indicator, list[Realisation]], period: Period, extra: int
) -> None:
    ind, reals = case
    assume(ind.polarity is Polarity.LOWER_IS_BETTER and isinstance(ind.kind, Count))
    assume(ind.aggregation is Aggregation.SUM)
    for lower_rule in LowerIsBetterFormula:
        r = rules(lower_is_better=lower_rule)
        before = achievement(ind, reals, period, r)
        if before.percent is None or not reals:
            continue
        first = reals[0]
        assert first.value is not None
        more = attrs.evolve(first, value=Quantity(first.value.magnitude + extra, first.value.unit))
        after = achievement(ind, [more, *reals[1:]], period, r)
        if after.percent is not None:
            assert after.percent <= before.percent


@given(
    engine_cases(kinds=("count", "event"), units=("buah", "lembar")),
    engine_periods(),
    engine_rules(),
)
def test_converting_realisations_changes_nothing(
    case: tuple[Indicator, list[Realisation]], period: Period, rules_: object
) -> None:
    assert isinstance(rules_, Rules)
    ind, reals = case
    assume(ind.unit.name in ("buah", "lembar"))
    big = REG.unit("lusin" if ind.unit.name == "buah" else "rim")
    factor = 12 if big.name == "lusin" else 500
    small = [
        attrs.evolve(r, value=Quantity(r.value.magnitude * factor, ind.unit))
        if r.value is not None and r.value.unit == big
        else r
        for r in reals
    ]  # every realisation in the indicator's own unit
    a, b = achievement(ind, reals, period, rules_), achievement(ind, small, period, rules_)
    assert (a.percent, a.progress, a.status, a.rating, a.target) == (
        b.percent, b.progress, b.status, b.rating, b.target,
    )  # fmt: skip
    assert a.realised == b.realised


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 50)), min_size=4, max_size=4))
def test_a_percentage_year_is_sum_x_over_sum_y_of_its_quarters(
    pairs: list[tuple[int, int]],
) -> None:
    ind = percentage("90%")
    reals = [ratio(f"2021-Q{i}", x, y) for i, (x, y) in enumerate(pairs, start=1)]
    a = achievement(ind, reals, Period(Y))
    sx = sum(x for x, _ in pairs)
    sy = sum(y for _, y in pairs)
    assert a.realised == Quantity(Context(prec=28).divide(D(sx * 100), D(sy)), PERCENT)
    # percent = (sum(X) / sum(Y) x 100) / 90 x 100, exact, rounded once half-up
    exact = Fraction(sx * 100, sy) / 90 * 100
    whole, rest = divmod(exact.numerator * 100, exact.denominator)
    assert a.percent == D(whole + (2 * rest >= exact.denominator)).scaleb(-2)


@given(engine_cases(), st.integers(1, 4))
def test_a_quarter_without_realisations_is_no_data_never_zero(
    case: tuple[Indicator, list[Realisation]], quarter: int
) -> None:
    ind, reals = case
    period = Period.quarter(ENGINE_YEAR, quarter)
    inside = [r for r in reals if period.contains(r.period)]
    kept = [r for r in reals if r not in inside]
    a = achievement(ind, kept, period)
    assert a.status in (Status.NO_DATA, Status.NO_TARGET)
    assert a.percent is None
    assert a.realised is None
    assert a.progress is None


def test_the_engine_builds_quantities_with_all_their_fields() -> None:
    # the hot path fills Quantity's slots directly: it must know every field
    assert [f.name for f in attrs.fields(Quantity)] == ["magnitude", "unit", "text", "noun"]
    a = achievement(count("200 orang"), [real("2021-Q1", "30 orang")], p("2021-Q1"))
    assert a.realised is not None
    assert a.target is not None
    assert (a.realised.text, a.realised.noun, a.target.text) == (None, None, None)
    assert repr(a.target) == repr(Quantity(D(50), REG.unit("orang")))


# --- review findings: a missing target, "-" in the plan, the nilai capaian -----------------
SEED = "examples/kesbangpol_lampung_barat_2018-2022.txt"
PANRB = attrs.evolve(DEFAULT_RULES, scale=SCALES["permenpanrb-8-2021"])


def test_an_unreadable_target_is_no_target_with_a_warning() -> None:
    # the seed's 2:29 ("Jumlah dokumen keuangan") has truncated targets "dokum"/"dokume":
    # the loader keeps no Target, so 2021 has no entry at all (docs/formats.md, truncated
    # targets); missing is not "-", so the status comes with a reason
    from iki_core.loaders import load

    ind = load(SEED).indicator("2:29")
    assert ind.target_for(2021) is None
    a = achievement(ind, [real("2021-Q1", "3")], p("2021-Q1"))  # its unit is bare
    assert a.status is Status.NO_TARGET
    assert a.percent is None
    assert a.warnings == (
        "no readable target for 2021: the indicator has no target entry for that year "
        "(a '-' would mean no target; a missing entry is usually a cell of the sheet that "
        "could not be read as a target, e.g. a truncated one)",
    )
    assert [n.code for n in a.notices] == ["no-target-entry"]
    assert a.warnings_in("id") == (
        "tidak ada target yang terbaca untuk 2021: indikator tidak memiliki isian target untuk "
        "tahun itu ('-' berarti tidak ada target; isian yang hilang biasanya sel lembar yang "
        "tidak dapat dibaca sebagai target, misalnya yang terpotong)",
    )
    text = a.explain("en")
    assert "target to Q1: no readable target for 2021" in text
    assert "warning: no readable target for 2021" in text
    assert "peringatan: tidak ada target yang terbaca untuk 2021: " in a.explain()
    # without realisations too: still no_target, still the warning
    assert achievement(ind, [], p("2021-Q1")).warnings == a.warnings


def test_a_dash_target_stays_silent() -> None:
    a = achievement(count("-"), [real("2021-Q1", "5 orang")], p("2021-Q1"))
    assert a.status is Status.NO_TARGET
    assert a.warnings == ()


def test_a_year_outside_the_targets_gets_the_missing_target_warning() -> None:
    a = achievement(count("200 orang"), [], Period(2030))
    assert a.status is Status.NO_TARGET
    assert len(a.warnings) == 1
    assert a.warnings[0].startswith("no readable target for 2030")


def _dash_plan() -> Indicator:
    plan = QuarterlyPlan(Y, (q("10 orang"), None, q("30 orang"), q("40 orang")))
    return count("80 orang", plans=(plan,))


def test_a_dash_plan_entry_is_no_target_for_its_quarter() -> None:
    # plan 10, -, 30, 40 orang, sum: "-" = no target that period, not zero (docs/rules.md,
    # Glossary "Target"; PeriodTarget in rules.py)
    ind = _dash_plan()
    reals = [real("2021-Q1", "10 orang"), real("2021-Q2", "20 orang")]
    q2 = achievement(ind, reals, p("2021-Q2"))
    assert q2.status is Status.NO_TARGET  # Q2's own entry is "-"
    assert q2.target is None
    assert q2.percent is None
    assert q2.realised == q("30 orang")  # 10 + 20, still shown
    assert "target to Q2: action plan Q2: '-' (no target)" in q2.explain("en")
    assert achievement(ind, reals, p("2021-05")).status is Status.NO_TARGET  # inside Q2
    # the first semester covers Q1 (10) and Q2 ("-"): target 10, 30 / 10 = 300.00%
    s1 = achievement(ind, reals, p("2021-S1"))
    assert s1.target == q("10 orang")
    assert s1.percent == D("300.00")
    # Q3: the quarters to date with an entry, 10 + 30 = 40; realised 10 + 20 + 10 = 40
    q3 = achievement(ind, [*reals, real("2021-Q3", "10 orang")], p("2021-Q3"))
    assert q3.target == q("40 orang")
    assert q3.percent == D("100.00")
    assert "(action plan): 10 + 30 = 40 orang" in q3.explain("en")
    # August: 10 + 2/3 x 30 = 30
    aug = achievement(ind, [*reals, real("2021-08", "15 orang")], p("2021-08"))
    assert aug.target == q("30 orang")


def test_a_dash_plan_covering_a_whole_semester_is_no_target() -> None:
    plan = QuarterlyPlan(Y, (None, None, q("30 orang"), q("40 orang")))
    a = achievement(count("70 orang", plans=(plan,)), [real("2021-Q1", "5 orang")], p("2021-S1"))
    assert a.status is Status.NO_TARGET
    assert "rencana aksi TW I-II: '-' (tidak ada target)" in a.explain()


@pytest.mark.parametrize(
    ("realised", "percent", "nilai"),
    [
        # docs/rules.md "Rating scales", PermenPANRB 8/2021 (by hand):
        ("105", "105.00", "114.44"),  # 110 + 10/9 x (105 - 101) = 114.444...
        ("90", "90.00", "80.00"),  # 70 + (90 - 80)
        ("100", "100.00", "109.00"),  # exactly 100%: 109
        ("115", "115.00", "120.00"),  # above 110%: 120
        ("30", "30.00", "24.92"),  # 49 x 30 / 59 = 24.915...
    ],
)
def test_nilai_capaian_under_permenpanrb_8_2021(realised: str, percent: str, nilai: str) -> None:
    ind = count("100 orang")
    a = achievement(ind, [real("2021", f"{realised} orang")], Period(Y), PANRB)
    assert a.percent == D(percent)
    assert a.nilai == D(nilai)
    assert str(a.nilai) == nilai  # rounded to rules.places
    # the general path (through the plan) gives the same nilai as the inline one
    plan = QuarterlyPlan(Y, (None, None, None, q("100 orang")))
    b = achievement(count("100 orang", plans=(plan,)), [real("2021", f"{realised} orang")],
                    Period(Y), PANRB)  # fmt: skip
    assert b.nilai == D(nilai)


def test_nilai_is_shown_by_explain() -> None:
    a = achievement(count("100 orang"), [real("2021", "105 orang")], Period(Y), PANRB)
    assert "nilai capaian = 110 + 10/9 x (105,00 - 101) = 114,44" in a.explain()
    c = achievement(count("100 orang"), [real("2021", "30 orang")], Period(Y), PANRB)
    assert "nilai capaian = 49/59 x 30.00 = 24.92" in c.explain("en")


def test_nilai_is_none_without_a_nilai_scale_or_a_percent() -> None:
    a = achievement(count("100 orang"), [real("2021", "105 orang")], Period(Y))
    assert a.nilai is None  # Permendagri 86/2017 has no nilai
    assert "nilai" not in a.explain()
    none = achievement(count("-"), [real("2021", "105 orang")], Period(Y), PANRB)
    assert none.nilai is None
    places = attrs.evolve(PANRB, places=0)
    b = achievement(count("100 orang"), [real("2021", "105 orang")], Period(Y), places)
    assert b.nilai == D("114")  # 114.44... rounded once to 0 places


# --- zero targets and negative realisations (docs/rules.md, "zero_target_higher/lower") ---------
def _percent_values(target: str, value: str, polarity: Polarity) -> tuple[Indicator, Realisation]:
    ind = Indicator(
        "1",
        "Pertumbuhan",
        PercentageFormula("X", "Y"),
        targets=(Target.parse(Y, target),),
        polarity=polarity,
    )
    return ind, Realisation("1:1", Period(Y), value=q(value))


def test_zero_target_full_needs_a_realisation_of_at_least_zero() -> None:
    # ZeroTargetHigher.FULL: any R >= 0 meets a target of 0 (100%); R = -5% falls short (0%).
    full = rules(zero_target_higher=ZeroTargetHigher.FULL)
    ind, below = _percent_values("0%", "-5%", Polarity.HIGHER_IS_BETTER)
    a = achievement(ind, [below], Period(Y), full)
    assert (a.percent, a.status) == (D("0.00"), Status.NOT_ACHIEVED)
    assert "achievement = target 0: 0.00% (rules.zero_target_higher = full)" in a.explain("en")
    _, zero = _percent_values("0%", "0%", Polarity.HIGHER_IS_BETTER)
    assert achievement(ind, [zero], Period(Y), full).percent == D("100.00")


def test_zero_target_all_or_nothing_gives_100_only_at_zero() -> None:
    # ZeroTargetLower.ALL_OR_NOTHING: 100% when R = 0, else 0%, a negative R included.
    ind, below = _percent_values("0%", "-5%", Polarity.LOWER_IS_BETTER)
    a = achievement(ind, [below], Period(Y))
    assert (a.percent, a.status) == (D("0.00"), Status.NOT_ACHIEVED)
    assert "realised -5: 0.00% (rules.zero_target_lower = all_or_nothing)" in a.explain("en")
    _, zero = _percent_values("0%", "0%", Polarity.LOWER_IS_BETTER)
    assert achievement(ind, [zero], Period(Y)).percent == D("100.00")


def test_indonesian_explain_uses_the_status_labels_of_the_catalogue() -> None:
    # 50 of 200 orang: 25% (R / T x 100), not achieved: "belum tercapai" as in the table
    a = achievement(count("200 orang"), [real("2021", "50 orang")], Period(Y))
    assert a.status is Status.NOT_ACHIEVED
    assert "status: belum tercapai; predikat: Sangat Rendah" in a.explain()
    assert "status: not achieved; rating: Sangat Rendah" in a.explain("en")
    assert Status.NO_DATA.label("id") == "belum ada data"


# --- formulas (iki_core.engine.formulas) ---------------------------------------------------------
def test_the_shipped_formulas_state_their_arithmetic_once() -> None:
    assert formula("kondisi_normal") is KONDISI_NORMAL
    assert formula(LowerIsBetterFormula.KONDISI_KHUSUS) is KONDISI_KHUSUS
    assert formula("inverse") is INVERSE
    assert [f.symbol for f in (KONDISI_NORMAL, KONDISI_KHUSUS, INVERSE)] == [
        "R / T",
        "(2T - R) / T",
        "T / R",
    ]
    assert KONDISI_NORMAL.citation == 'PermenPANRB 8/2021 annex, ch. VI ("kondisi normal")'
    assert INVERSE.citation.startswith("no regulation fixes it")
    # PermenPANRB 8/2021 annex: T 8, R 9 gives 87.5%; T 7, R 6.5 gives 107.14...%
    assert Fraction(*KONDISI_KHUSUS.percent((9, 1), (8, 1))) == Fraction(175, 2)  # type: ignore[misc]
    assert Fraction(*KONDISI_KHUSUS.percent((13, 2), (7, 1))) == Fraction(750, 7)  # type: ignore[misc]
    assert KONDISI_KHUSUS.percent((17, 1), (8, 1)) == (0, 1)  # (16 - 17) / 8 < 0: floored
    # T = 10, R = 5: 200% by T / R, 150% by the annex; T / R has no value at R = 0
    assert Fraction(*INVERSE.percent((5, 1), (10, 1))) == 200  # type: ignore[misc]
    assert INVERSE.percent((0, 1), (10, 1)) is None
    assert Fraction(*KONDISI_NORMAL.percent((3, 1), (4, 1))) == 75  # type: ignore[misc]
    assert range_formula("nearest_bound").choose((95, 1), (80, 1), (90, 1), False) == (
        "above",
        (90, 1),
    )
    assert range_formula("entry_bound").choose((95, 1), (80, 1), (90, 1), True) == (
        "entry",
        (90, 1),
    )


def _reduction(rn: int, rd: int, tn: int, td: int) -> tuple[int, int] | None:
    n, d = tn * rd - rn * td, tn * rd
    return (-n, -d) if d < 0 else (n, d)


def test_a_formula_registered_by_a_host_is_selected_by_name() -> None:
    # (T - R) / T, as one app computes lower-is-better (docs/rules.md): T 10, R 4 gives 60%
    mine = register_formula(
        Formula(
            "test_reduction",
            "no regulation fixes it",
            "(T - R) / T",
            _reduction,
            "({T} - {R}) / {T}",
        ),
        replace=True,
    )
    assert formula("test_reduction") is mine
    chosen = rules(lower_is_better="test_reduction")
    assert chosen.lower_is_better == "test_reduction"
    assert chosen.lower_is_better.value == "test_reduction"
    ind = count("10 kasus", "kasus", polarity=Polarity.LOWER_IS_BETTER)
    a = achievement(ind, [real("2021", "4 kasus")], Period(Y), chosen)
    assert (a.percent, a.status) == (D("60.00"), Status.NOT_ACHIEVED)
    assert "achievement = (10 - 4) / 10 x 100% = 60.00%" in a.explain("en")
    higher = rules(higher_is_better="test_reduction")
    assert achievement(count("10 orang"), [real("2021", "4 orang")], Period(Y), higher).percent == (
        D("60.00")
    )


def test_register_formula_refuses_what_it_cannot_keep_apart() -> None:
    with pytest.raises(InvalidValueError) as exc:
        register_formula(Formula("inverse", "mine", "T / R", _reduction))
    assert str(exc.value) == "Formula.name: expected a name not registered yet, got 'inverse'"
    register_formula(Formula("test_once", "mine", "R", _reduction), replace=True)
    with pytest.raises(InvalidValueError) as exc:
        register_formula(Formula("test_once", "mine", "R", _reduction))
    assert str(exc.value) == (
        "Formula.name: expected a name not registered yet (or replace=True), got 'test_once'"
    )
    with pytest.raises(InvalidValueError) as exc:
        Formula("My Formula", "mine", "R", _reduction)
    assert str(exc.value) == (
        "Formula.name: expected a lowercase name of letters, digits and '_' such as "
        "'my_formula', got 'My Formula'"
    )
    with pytest.raises(InvalidValueError) as exc:
        formula("minimize")
    assert str(exc.value).startswith("formula: expected one of kondisi_normal, kondisi_khusus, ")


def test_an_undefined_formula_is_explained_with_its_working() -> None:
    # T / R at R = 0 has no value (LowerIsBetterFormula.INVERSE): status undefined
    ind = count("10 kasus", "kasus", polarity=Polarity.LOWER_IS_BETTER)
    a = achievement(ind, [real("2021", "0 kasus")], Period(Y), rules(lower_is_better="inverse"))
    assert (a.percent, a.status) == (None, Status.UNDEFINED)
    assert (
        "achievement = 10 / 0 x 100%: undefined (realised 0, rules.lower_is_better = inverse)"
        in a.explain("en")
    )


# --- the working, as typed steps -----------------------------------------------------------------
def test_the_general_path_records_typed_steps() -> None:
    # 100 + 150 + 200 orang to Q3 against 9/12 x 200 = 150 orang: 450 / 150 x 100 = 300%
    ind = count("200 orang")
    reals = [real(f"2021-Q{i}", f"{v} orang") for i, v in ((1, 100), (2, 150), (3, 200))]
    compiled = CompiledIndicator(ind, DEFAULT_RULES)
    series = compiled.prepare(reals, None)[Y]
    a, working = work(compiled, series, PeriodFacts(p("2021-Q3"), DEFAULT_RULES), None)
    assert working.target == TargetStep("prorated", (1800, 12), elapsed=(9, 12))
    assert isinstance(working.realised, RealisedStep)
    assert (working.realised.kind, working.realised.value) == ("sum", (450, 1))
    assert [e.real for e in working.realised.entries] == reals
    assert working.percent is not None
    assert working.percent.formula is KONDISI_NORMAL
    assert working.percent.how == "formula"
    assert Fraction(*working.percent.exact) == 300  # type: ignore[misc]
    assert working.percent.result == a.percent == D("300.00")
    assert working.progress is not None
    assert working.progress.result == D("225.00")  # 450 / 200 x 100


def test_rollup_refuses_an_indicator_the_document_does_not_hold() -> None:
    doc = _document()
    a = achievement(count("10 orang"), [], Period(Y), reference="1:9")
    with pytest.raises(UnknownIndicatorError) as exc:
        rollup([a], doc)
    assert str(exc.value) == "no indicator '1:9' (known: 1:1, 1:2, 1:3, 2:1)"
