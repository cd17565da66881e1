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


# --- the kinds in the model, through the engine's achievements() --------------------------------
def _percent_of(kind: Any, target: str, realised: str, **changes: Any) -> Decimal | None:
    """The percent of year 2021 for an indicator of ``kind`` with ``target`` and one Q4
    realisation ``realised``, both as documents write them, through achievements()."""
    import attrs

    from iki_core.engine import achievements
    from iki_core.kinds import parse_value
    from iki_core.model import Document, Indicator, Objective, Realisation, Sheet, Target
    from iki_core.periods import Period
    from iki_core.rules import DEFAULT_RULES

    rules = attrs.evolve(DEFAULT_RULES, **changes.pop("rules", {}))
    ind = Indicator("1", "Nilai", kind, targets=(Target.parse(2021, target, kind=kind),), **changes)
    doc = Document((Sheet(1, "x", objectives=(Objective("1", "o", (ind,)),)),))
    real = Realisation("1:1", Period.parse("2021-Q4"), value=parse_value(realised, kind=kind))
    (a,) = achievements(doc, [real], [Period.parse("2021")], rules)
    return a.percent


@given(grade_scales(), st.data())
def test_grades_through_the_engine_are_ordered(scale: Any, data: st.DataObject) -> None:
    # a better realised grade never gives a lower percent, under either grade rule; the
    # target is reached exactly when the percent is 100 or more
    from iki_core.kinds import GradeKind

    kind = GradeKind(scale)
    target = data.draw(st.sampled_from(scale.grades))
    worse, better = sorted(
        data.draw(st.lists(st.sampled_from(scale.grades), min_size=2, max_size=2)),
        key=scale.position,
    )
    for rule in GradeRule:
        low = _percent_of(kind, target, worse, rules={"grade_rule": rule})
        high = _percent_of(kind, target, better, rules={"grade_rule": rule})
        assert low is not None
        assert high is not None
        assert low <= high
        assert (high >= 100) == (scale.position(better) >= scale.position(target))


@given(st.integers(1, 50), st.integers(1, 50), st.integers(1, 50), st.booleans())
def test_ranks_and_ratios_through_the_engine_are_monotonic(
    t: int, r1: int, r2: int, higher: bool
) -> None:
    # a rank defaults to lower is better: a smaller place never gives less; a ratio follows
    # the indicator's polarity
    from iki_core.kinds import RankKind, RatioKind

    lo, hi = sorted((r1, r2))
    assert _percent_of(RankKind(), f"Peringkat {t}", f"Peringkat {lo}") >= _percent_of(  # type: ignore[operator]
        RankKind(), f"Peringkat {t}", f"Peringkat {hi}"
    )
    polarity = "higher_is_better" if higher else "lower_is_better"
    small = _percent_of(RatioKind(), f"1:{t}", f"1:{lo}", polarity=polarity)
    large = _percent_of(RatioKind(), f"1:{t}", f"1:{hi}", polarity=polarity)
    assert small is not None
    assert large is not None
    assert (small <= large) if higher else (small >= large)


@given(st.integers(1, 600), minutes, st.booleans())
def test_durations_through_the_engine_do_not_depend_on_the_unit(
    target: int, realised: int, lower: bool
) -> None:
    # the same time written in menit or in jam (and detik) gives the same percent
    from iki_core.model import Count
    from iki_core.units import get_registry

    polarity = "lower_is_better" if lower else "higher_is_better"
    kind = Count(get_registry().unit("menit"))
    in_minutes = _percent_of(kind, f"{target} menit", f"{realised} menit", polarity=polarity)
    seconds = f"{realised * 60} detik"
    assert _percent_of(kind, f"{target} menit", seconds, polarity=polarity) == in_minutes
    if realised % 3 == 0:  # then realised / 60 jam is a finite decimal
        hours = f"{Decimal(realised) / 60} jam".replace(".", ",")
        assert _percent_of(kind, f"{target} menit", hours, polarity=polarity) == in_minutes


@given(rupiah_millions, rupiah_millions)
def test_money_through_the_engine_does_not_depend_on_how_it_is_written(t: int, r: int) -> None:
    # "N juta", "Rp N.000.000" and N/1000 miliar are one amount
    from iki_core.model import Count
    from iki_core.units import get_registry

    kind = Count(get_registry().unit("rupiah"))
    as_juta = _percent_of(kind, f"{t} juta", f"{r} juta")
    written = f"Rp {r * 1_000_000:,}".replace(",", ".")
    assert _percent_of(kind, f"{t} juta", written) == as_juta
    miliar = f"{Decimal(r) / 1000}".replace(".", ",")
    target = f"Rp {t * 1_000_000:,}".replace(",", ".")
    assert _percent_of(kind, target, f"Rp {miliar} M") == as_juta


@given(st.integers(1, 1000), st.integers(0, 1000), st.integers(0, 1000))
def test_scores_through_the_engine_are_monotonic_and_bounded(t: int, r1: int, r2: int) -> None:
    from iki_core.kinds import ScoreKind

    ikm = ScoreKind(0, 100, "IKM")

    def tenths(n: int) -> str:
        return f"{n // 10},{n % 10}"

    lo, hi = sorted((r1, r2))
    assert _percent_of(ikm, tenths(t), tenths(lo)) <= _percent_of(ikm, tenths(t), tenths(hi))  # type: ignore[operator]


def test_a_score_outside_its_bounds_is_refused_naming_it() -> None:
    from iki_core.kinds import ScoreKind, parse_value

    with pytest.raises(InvalidValueError) as caught:
        parse_value("120", kind=ScoreKind(0, 100, "IKM"), field="value")
    assert str(caught.value) == "value (IKM): expected a value from 0 to 100, got Decimal('120')"


def test_a_hand_built_realisation_of_a_score_outside_its_bounds_is_refused() -> None:
    # the reader refuses an IKM of 120 (above); a Realisation built by a host reaches the
    # engine without the reader, and the engine refuses it the same way, naming it
    from iki_core.engine import achievements
    from iki_core.kinds import ScoreKind
    from iki_core.model import Document, Indicator, Objective, Realisation, Sheet, Target
    from iki_core.periods import Period
    from iki_core.units import BARE, Quantity

    ikm = ScoreKind(0, 100, "IKM")
    ind = Indicator("1", "Nilai IKM", ikm, targets=(Target.parse(2021, "80", kind=ikm),))
    doc = Document((Sheet(1, "x", objectives=(Objective("1", "o", (ind,)),)),))
    year = [Period.parse("2021")]
    real = Realisation("1:1", Period.parse("2021-Q4"), value=Quantity(D("120"), BARE))
    with pytest.raises(InvalidValueError) as caught:
        achievements(doc, [real], year)
    assert str(caught.value) == (
        "realisation 1:1 2021-Q4 (IKM): expected a value from 0 to 100, got Decimal('120')"
    )
    # within the bounds it counts: 88 against 80, higher is better: 88 / 80 x 100 = 110.00
    real = Realisation("1:1", Period.parse("2021-Q4"), value=Quantity(D("88"), BARE))
    (a,) = achievements(doc, [real], year)
    assert a.percent == D("110.00")


def test_an_ambiguous_grade_names_its_scales() -> None:
    from iki_core.model import Target

    with pytest.raises(QuantityParseError) as caught:
        Target.parse(2021, "A", line=7)
    assert str(caught.value) == (
        "line 7, target 2021: cannot read 'A' as a quantity: a grade of several scales "
        "(nilai-sakip, akreditasi-abc): name the scale of the indicator"
    )


def test_a_long_value_is_refused_before_any_pattern_reads_it() -> None:
    # "Rp 1" then spaces then a letter and "!" would cost a backtracking pattern quadratic
    # time; every reader stops at the quantity reader's bound instead
    from iki_core.kinds import parse_value
    from iki_core.units import MAX_QUANTITY_LENGTH

    with pytest.raises(QuantityParseError) as caught:
        parse_value("Rp 1" + " " * 100_000 + "x!")
    assert caught.value.reason == f"longer than {MAX_QUANTITY_LENGTH} characters"
    assert parse_value("Rp 1" + " " * 900 + "juta").magnitude == 1_000_000


IKU = (
    "**INDIKATOR KINERJA UTAMA (IKU)**\n\n"
    "No\tSasaran\tIndikator Kinerja\tPenjelasan\tTarget\t\t\tSumber Data\n"
    "\t\t\t\t2021\t2022\t2023\t\n"
    "1\tAkuntabilitas\tOpini BPK atas LKPD\tCukup Jelas\tWTP\tWTP\tWTP\tBPK\n"
    "2\tAkuntabilitas\tNilai SAKIP\tCukup Jelas\tA\tA\tAA\tKemenPANRB\n"
    "3\tDaya saing\tPeringkat daya saing\tCukup Jelas\tPeringkat 6\tPeringkat 5\t3 besar\tX\n"
    "4\tPendidikan\tRasio guru murid SD\tsemakin rendah semakin baik\t1:32\t1:30\t1:28\tX\n"
    "5\tPendapatan\tPendapatan asli daerah\tCukup Jelas\tRp 1,5 M\tRp 1,6 M\t1.700 juta\tX\n"
    "6\tPelayanan\tWaktu pelayanan izin\tsemakin rendah semakin baik\t3 hari\t2 hari\t1 hari\tX\n"
)


def test_a_document_of_value_kinds_reads_reports_and_checks(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from iki_core.cli import main
    from iki_core.engine import achievements
    from iki_core.loaders import load
    from iki_core.periods import Period
    from iki_core.realisations import load_realisations

    path = tmp_path / "iku.txt"
    path.write_text(IKU, encoding="utf-8")
    doc = load(path)
    kinds = [(r, i.kind.name, str(i.polarity), str(i.aggregation)) for r, i in doc.references()]
    assert kinds == [
        ("1:1", "grade", "higher_is_better", "last"),
        ("1:2", "grade", "higher_is_better", "last"),  # "A" beside "AA": nilai SAKIP
        ("1:3", "rank", "lower_is_better", "last"),
        ("1:4", "ratio", "lower_is_better", "last"),
        ("1:5", "count", "higher_is_better", "sum"),  # rupiah
        ("1:6", "count", "lower_is_better", "sum"),  # hari
    ]
    assert [t.text for t in doc.indicator("1:2").targets] == ["A", "A", "AA"]
    csv = (
        "indicator,period,value\n1:1,2021-Q4,WDP\n1:2,2021-Q4,A\n1:3,2021-Q4,Peringkat 4\n"
        '1:4,2021-Q4,1:30\n1:5,2021-Q4,"Rp 1,2 M"\n1:6,2021-Q4,4 hari\n'
    )
    reals = load_realisations(csv, doc)
    assert reals.diagnostics == ()
    got = [
        (str(a.target), str(a.realised), a.percent)
        for a in achievements(doc, reals.realisations, [Period(2021)])
    ]
    # by hand: WDP does not reach WTP (all or nothing); A reaches A; rank 4 against 6,
    # lower is better: (12 - 4) / 6; 1:30 against 1:32: (64 - 30) / 32; 1,2 of 1,5 miliar;
    # 4 hari against 3, lower is better: (6 - 4) / 3
    assert got == [
        ("WTP", "WDP", D("0.00")),
        ("A", "A", D("100.00")),
        ("Peringkat 6", "Peringkat 4", D("133.33")),
        ("1:32", "1:30", D("106.25")),
        ("Rp 1.500.000.000", "Rp 1.200.000.000", D("80.00")),
        ("3 hari", "4 hari", D("66.67")),
    ]
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "6 indicators (2 count, 2 grade, 1 rank, 1 ratio)" in out
    assert "info [value-kind] indicator 'Nilai SAKIP': targets read as nilai-sakip" in out


def test_money_and_spip_levels_are_written_as_documents_write_them() -> None:
    # Money is written "Rp" and the amount (Rp 1,5 M is 1.500.000.000 rupiah); the SPIP
    # maturity levels of Peraturan BPKP 5/2021 are written "Level 1" to "Level 5", and a
    # bare "3" or the level's name reads as its level when the kind is maturity.
    from iki_core.kinds import GradeKind, parse_value

    money = parse_value("Rp 1,5 M")
    assert money.format() == "Rp 1.500.000.000"
    assert money.format(lang="en") == "Rp 1,500,000,000"
    assert parse_value("750 juta").format() == "Rp 750.000.000"
    spip = GradeKind("maturitas-spip")
    assert [parse_value(t, kind=spip).format() for t in ("3", "terdefinisi", "level 3")] == [
        "Level 3",
        "Level 3",
        "Level 3",
    ]
    assert parse_value("Level 4").magnitude == D(4)  # positions from the lowest, Level 1 = 1
