"""Tests of iki_core.valuekinds: grades, ranks, ratios, durations, money and bounded scores.

Figures are worked by hand from the rule named beside them (docs/rules.md, "Value kinds");
the properties are the laws of each kind: grades ordered, percents monotonic in the
realisation by polarity, durations and money invariant under a change of unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iki_core.errors import InvalidValueError, QuantityParseError
from iki_core.valuekinds import (
    GRADE_SCALES,
    BoundedScore,
    GradeRule,
    GradeScale,
    duration_percent,
    grade_achievement,
    money_percent,
    parse_duration,
    parse_money,
    parse_rank,
    parse_ratio,
    rank_percent,
    ratio_percent,
)
from tests.strategies import grade_scales, minutes, rank_texts, rupiah_millions

D = Decimal


# --- grades -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("scale", "target", "realised", "rule", "reached", "percent"),
    [
        # opini BPK positions from the lowest: TMP 1, TW 2, WDP 3, WTP 4
        ("opini-bpk", "WTP", "WTP", "all_or_nothing", True, "100.00"),
        ("opini-bpk", "WTP", "WDP", "all_or_nothing", False, "0.00"),
        ("opini-bpk", "WTP", "WDP", "position_ratio", False, "75.00"),  # 3 / 4
        ("opini-bpk", "WDP", "Opini WTP", "position_ratio", True, "133.33"),  # 4 / 3
        # nilai SAKIP: D 1, C 2, CC 3, B 4, BB 5, A 6, AA 7
        ("nilai-sakip", "BB", "B", "position_ratio", False, "80.00"),  # 4 / 5
        ("nilai-sakip", "A", "predikat AA", "all_or_nothing", True, "100.00"),
        # SPIP maturity: level 3 against 4: 3 / 4
        ("maturitas-spip", "Level 4", "3", "position_ratio", False, "75.00"),
        ("akreditasi-rs", "Paripurna", "utama", "position_ratio", False, "75.00"),  # 3 / 4
        ("akreditasi-abc", "A", "Baik Sekali", "position_ratio", False, "66.67"),  # 2 / 3
    ],
)
def test_grade_worked_cases(
    scale: str, target: str, realised: str, rule: str, reached: bool, percent: str
) -> None:
    got = grade_achievement(GRADE_SCALES[scale], target, realised, rule=GradeRule(rule))
    assert got == (reached, D(percent))


def test_unknown_grade_is_refused_naming_the_scale() -> None:
    with pytest.raises(InvalidValueError) as exc:
        GRADE_SCALES["opini-bpk"].parse("WTP-DPP")
    assert str(exc.value) == "grade (opini-bpk): expected one of WTP, WDP, TW, TMP, got 'WTP-DPP'"


def test_a_host_scale_refuses_repeated_grades() -> None:
    with pytest.raises(InvalidValueError):
        GradeScale("x", "x", ["A", "a"])


@given(scale=grade_scales(), data=st.data())
def test_grades_are_ordered(scale: Any, data: st.DataObject) -> None:
    grades = scale.grades
    i = data.draw(st.integers(min_value=0, max_value=len(grades) - 1))
    j = data.draw(st.integers(min_value=0, max_value=len(grades) - 1))
    target, realised = grades[i], grades[j]
    # highest first: a smaller index is a better grade
    assert (scale.position(realised) >= scale.position(target)) == (j <= i)
    for rule in GradeRule:
        reached, percent = grade_achievement(scale, target, realised, rule=rule)
        assert reached == (j <= i)
        assert (percent >= 100) == reached
        if j > 0:  # one grade better never gives less
            better = grade_achievement(scale, target, grades[j - 1], rule=rule)[1]
            assert better >= percent


# --- ranks and ratios -------------------------------------------------------------------------
def test_rank_worked_cases() -> None:
    assert parse_rank("peringkat ke-2") == 2
    # kondisi khusus on ranks, target 3: rank 3 gives 100, rank 2 (6 - 2) / 3 = 133.33,
    # rank 7 (6 - 7) / 3 < 0, floored 0
    assert [rank_percent("Peringkat 3", f"Peringkat {r}") for r in (3, 2, 7)] == [
        D("100.00"),
        D("133.33"),
        D("0.00"),
    ]
    with pytest.raises(QuantityParseError):
        parse_rank("juara umum")
    # an indicator that says a higher rank number is better: 4 / 3 = 133.33%
    assert rank_percent("Peringkat 3", "Peringkat 4", lower=False) == D("133.33")


@given(target=st.integers(1, 50), r=st.integers(1, 50), data=st.data())
def test_ranks_lower_is_better(target: int, r: int, data: st.DataObject) -> None:
    t_text = data.draw(rank_texts(target))
    worse = rank_percent(t_text, data.draw(rank_texts(r + 1)))
    better = rank_percent(t_text, data.draw(rank_texts(r)))
    assert worse is not None
    assert better is not None
    assert worse <= better


def test_ratio_worked_cases() -> None:
    assert parse_ratio("1 : 17,5") == D("17.5")
    # higher is better (doctors per 1 puskesmas): 1:4 against 1:5 is 4 / 5 = 80%
    assert ratio_percent("1:5", "1:4", lower=False) == D("80.00")
    with pytest.raises(QuantityParseError):
        parse_ratio("1/32")
    with pytest.raises(InvalidValueError):
        parse_ratio("0:32")


@given(t=st.integers(1, 200), r=st.integers(0, 200), lower=st.booleans())
def test_ratios_are_monotonic_by_polarity(t: int, r: int, lower: bool) -> None:
    at = ratio_percent(f"1:{t}", f"1:{r}", lower=lower)
    more = ratio_percent(f"1:{t}", f"1:{r + 1}", lower=lower)
    assert at is not None
    assert more is not None
    assert (more <= at) if lower else (more >= at)


# --- durations and money ----------------------------------------------------------------------
def test_duration_worked_cases() -> None:
    assert parse_duration("90 menit").magnitude == 90
    # target 2 jam, realised 90 menit = 1.5 jam: (4 - 1.5) / 2 = 125%
    assert duration_percent("2 jam", "90 menit") == D("125.00")
    with pytest.raises(InvalidValueError):
        duration_percent("2 jam", "1 hari")  # a working day has no fixed hours
    with pytest.raises(InvalidValueError):
        parse_duration("3 orang")


@given(target=minutes, hours=st.integers(0, 100), lower=st.booleans())
def test_durations_do_not_depend_on_the_unit(target: int, hours: int, lower: bool) -> None:
    in_hours = duration_percent(f"{target} menit", f"{hours} jam", lower=lower)
    in_minutes = duration_percent(f"{target} menit", f"{hours * 60} menit", lower=lower)
    assert in_hours == in_minutes


@given(target=minutes, r=minutes)
def test_service_times_lower_is_better(target: int, r: int) -> None:
    slower = duration_percent(f"{target} menit", f"{r + 1} menit")
    faster = duration_percent(f"{target} menit", f"{r} menit")
    assert slower is not None
    assert faster is not None
    assert slower <= faster


def test_money_worked_cases() -> None:
    assert parse_money("Rp 2 T") == D("2000000000000")
    assert parse_money("750 juta") == D("750000000")
    assert parse_money("Rp. 15 ribu") == D("15000")
    assert parse_money("Rp 1.250,50") == D("1250.50")
    # revenue: 1,2 M against a target of 1,5 M: 80%
    assert money_percent("Rp 1,5 M", "Rp 1,2 M") == D("80.00")
    with pytest.raises(QuantityParseError):
        parse_money("Rp 5 gajah")


@given(target=rupiah_millions, r=rupiah_millions, lower=st.booleans())
def test_money_does_not_depend_on_how_it_is_written(target: int, r: int, lower: bool) -> None:
    plain = f"Rp {r * 10**6:,}".replace(",", ".")
    assert parse_money(plain) == parse_money(f"{r} juta") == r * 10**6
    written = money_percent(f"{target} juta", f"{r} juta", lower=lower)
    assert written == money_percent(f"{target * 1000} ribu", plain, lower=lower)
    more = money_percent(f"{target} juta", f"{r + 1} juta", lower=lower)
    assert written is not None
    assert more is not None
    assert (more <= written) if lower else (more >= written)


# --- bounded scores ---------------------------------------------------------------------------
def test_bounded_scores() -> None:
    ikm = BoundedScore(D(0), D(100), "IKM")
    assert ikm.percent("80", "82,5") == D("103.13")  # 82.5 / 80 = 103.125
    with pytest.raises(InvalidValueError) as exc:
        ikm.read("120")
    assert str(exc.value) == "IKM: expected a value from 0 to 100, got '120'"


@given(t=st.integers(1, 100), r=st.integers(0, 99))
def test_scores_are_monotonic(t: int, r: int) -> None:
    ikm = BoundedScore(D(0), D(100), "IKM")
    low, high = ikm.percent(D(t), D(r)), ikm.percent(D(t), D(r + 1))
    assert low is not None
    assert high is not None
    assert high >= low
