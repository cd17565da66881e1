"""The lean path's loop written out per shape (iki_core.engine.unrolled): it must give what
the loop gives, field by field, or hand the indicator back having appended nothing.
Figures worked by hand cite the rule they follow."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from typing import Any
from unittest import mock

import attrs
from hypothesis import given
from hypothesis import strategies as st

from iki_core.engine import Status, achievements, unrolled
from iki_core.engine.compiled import PeriodFacts, Shared
from iki_core.engine.run import KHUSUS, NORMAL, OTHER, Run
from iki_core.model import (
    Aggregation,
    Count,
    Document,
    Indicator,
    Objective,
    Polarity,
    QuarterlyPlan,
    Realisation,
    Sheet,
    Target,
)
from iki_core.periods import Period
from iki_core.rules import DEFAULT_RULES, Measure, PeriodTarget, Rounding, Rules, YearToDate
from iki_core.units import Quantity, get_registry, parse_quantity
from tests.strategies import engine_cases, engine_periods, engine_rules
from tests.test_engine_lean import assert_same_results

D = Decimal
Y = 2021
KASUS = get_registry().unit("kasus")
ORANG = get_registry().unit("orang")
FIVE = [*(Period.quarter(Y, q) for q in range(1, 5)), Period(Y)]


def _document(*inds: Indicator) -> Document:
    return Document((Sheet(1, "Kepala", objectives=(Objective("1", "Sasaran", inds),)),))


def _quarters(unit: Any, *values: int, ref: str = "1:1") -> list[Realisation]:
    return [
        Realisation(ref, Period.quarter(Y, i), value=Quantity(D(v), unit))
        for i, v in enumerate(values, start=1)
    ]


def _loop_only() -> AbstractContextManager[object]:
    """The lean path with its loop alone: no kernel is made."""
    return mock.patch("iki_core.engine.lean.kernel", return_value=None)


@contextmanager
def _kernel_calls() -> Iterator[list[bool | None]]:
    """What each kernel made meanwhile returned, in order."""
    made = unrolled.kernel
    returned: list[bool | None] = []

    def spy(*args: Any) -> unrolled.Kernel | None:
        k = made(*args)
        if k is None:
            return None

        def called(*a: Any) -> bool | None:
            returned.append(k(*a))
            return returned[-1]

        return called

    with mock.patch("iki_core.engine.lean.kernel", spy):
        yield returned


_ASKED = (
    FIVE,
    [Period.parse(f"{Y}-S1"), Period.parse(f"{Y}-S2"), Period(Y)],
    [Period.quarter(Y, 3)],
    [Period(Y)],
    [Period.parse(f"{Y}-{m:02d}") for m in (2, 5, 6, 12)],
)
"""Periods asked as reports ask them: the quarters and the year, the semesters..."""
_COMMON = engine_cases(
    kinds=("count", "percentage"), aggregation=Aggregation.SUM, complete=True, shapes=("single",)
)
"""What the kernels cover: a count or a formula, summed, a single target, every period
reported on time, with or without a plan."""


@st.composite
def _plain_rules(draw: st.DrawFn) -> Rules:
    """The rules of a report (the defaults, or the annual target for every period), or
    any rules the lean path runs under."""
    if draw(st.integers(0, 2)):
        return draw(st.sampled_from(_REPORTS))
    drawn = draw(engine_rules())
    assert isinstance(drawn, Rules)
    return attrs.evolve(drawn, year_to_date=YearToDate.RATIO, measure=Measure.TARGET)


_REPORTS = (DEFAULT_RULES, attrs.evolve(DEFAULT_RULES, period_target=PeriodTarget.ANNUAL))


@given(
    _COMMON,
    st.sampled_from(_ASKED).flatmap(lambda asked: st.permutations(asked))
    | st.lists(engine_periods(), min_size=1, max_size=4, unique=True),
    _plain_rules(),
    st.randoms(use_true_random=False),
)
def test_the_loop_written_out_gives_what_the_loop_gives(
    case: tuple[Indicator, list[Realisation]],
    periods: list[Period],
    rules: object,
    rng: random.Random,
) -> None:
    assert isinstance(rules, Rules)
    ind, reals = case
    if rng.random() < 0.2:
        rng.shuffle(reals)
    written_out = achievements(_document(ind), reals, periods, rules)
    with _loop_only():
        looped = achievements(_document(ind), reals, periods, rules)
    assert_same_results(written_out, looped)


@given(
    st.lists(_COMMON, min_size=2, max_size=5),
    st.sampled_from(_ASKED),
    st.sampled_from(_REPORTS),
)
def test_indicators_of_several_shapes_in_turn(
    cases: list[tuple[Indicator, list[Realisation]]], periods: list[Period], rules: Rules
) -> None:
    # each indicator first tries the kernel of the one before of its case, which checks
    # the shape of the realisations itself: another shape's answers None, and the
    # indicator's own is found
    inds: list[Indicator] = []
    reals: list[Realisation] = []
    for i, (ind, rs) in enumerate(cases, start=1):
        inds.append(attrs.evolve(ind, id=str(i)))
        reals.extend(attrs.evolve(r, indicator=f"1:{i}") for r in rs)
    written_out = achievements(_document(*inds), reals, periods, rules)
    with _loop_only():
        looped = achievements(_document(*inds), reals, periods, rules)
    assert_same_results(written_out, looped)


def test_the_kernel_of_the_indicator_before_checks_the_shape() -> None:
    # three counts in orang, 120 a year: reported each quarter, each month, each quarter
    inds = [
        Indicator(str(i), "Jumlah", Count(ORANG), targets=(Target.parse(Y, "120 orang"),))
        for i in (1, 2, 3)
    ]
    months = [Period.parse(f"{Y}-{m:02d}") for m in range(1, 13)]
    reals = [
        *(Realisation("1:1", p, value=Quantity(D(30), ORANG)) for p in FIVE[:4]),
        *(Realisation("1:2", p, value=Quantity(D(m), ORANG)) for m, p in enumerate(months, 1)),
        *(Realisation("1:3", p, value=Quantity(D(20), ORANG)) for p in FIVE[:4]),
    ]
    with _kernel_calls() as returned:
        out = achievements(_document(*inds), reals, FIVE)
    # the first: its own kernel; the second: the first's, not its shape (None), then its
    # own; the third: the second's (None), then the first's, found by its shape
    assert returned == [True, None, True, None, True]
    # the second in Q2: 1 + 2 + ... + 6 = 21 orang to date against 6/12 x 120 = 60
    # (prorated, PeriodTarget.CUMULATIVE): 35.00
    assert (out[6].percent, out[6].realised) == (D("35.00"), parse_quantity("21 orang"))
    # the third in Q3: 60 orang against 90: 66.666... rounded half-up once, 66.67
    assert out[12].percent == D("66.67")


def test_kondisi_khusus_written_out() -> None:
    # lower is better: 8 kasus a year, 1, 2, 3 and 3 kasus in the quarters
    ind = Indicator(
        "1",
        "Jumlah kasus",
        Count(KASUS),
        targets=(Target.parse(Y, "8 kasus"),),
        polarity=Polarity.LOWER_IS_BETTER,
    )
    with _kernel_calls() as returned:
        q1, q2, q3, q4, year = achievements(_document(ind), _quarters(KASUS, 1, 2, 3, 3), FIVE)
    assert returned == [True]
    # (2T - R) / T x 100 (PermenPANRB 8/2021, kondisi khusus), T prorated to date:
    # Q1: R 1, T 2: 150.00; progress against the year's 8: (16 - 1) / 8 = 187.50
    assert (q1.percent, q1.progress) == (D("150.00"), D("187.50"))
    # Q2: R 3, T 4: 125.00; progress (16 - 3) / 8 = 162.50
    assert (q2.percent, q2.progress) == (D("125.00"), D("162.50"))
    # Q3: R 6, T 6: 100.00; progress (16 - 6) / 8 = 125.00
    assert (q3.percent, q3.progress, q3.status) == (D("100.00"), D("125.00"), Status.ACHIEVED)
    # Q4 and the year: R 9, T 8: 87.50, the progress the same (the annual target)
    for a in (q4, year):
        assert (a.percent, a.progress, a.status) == (D("87.50"), D("87.50"), Status.NOT_ACHIEVED)
        assert a.rating == "Tinggi"  # 76-90, Permendagri 86/2017
    assert year.realised == parse_quantity("9 kasus")
    assert q1.target == parse_quantity("2 kasus")


def test_a_count_in_another_unit_written_out() -> None:
    # 120 buah a year, reported in lusin (12 buah): 2, 3 lusin in Q1 and Q2
    reg = get_registry()
    buah = reg.unit("buah")
    ind = Indicator("1", "Jumlah barang", Count(buah), targets=(Target.parse(Y, "120 buah"),))
    periods = [Period.quarter(Y, 1), Period.quarter(Y, 2)]
    with _kernel_calls() as returned:
        q1, q2 = achievements(_document(ind), _quarters(reg.unit("lusin"), 2, 3), periods)
    assert returned == [True]
    # Q1: 24 buah against 3/12 x 120 = 30 (prorated): 80.00; progress 24 / 120 = 20.00
    assert (q1.percent, q1.progress) == (D("80.00"), D("20.00"))
    # Q2: 60 buah against 60: 100.00; progress 50.00
    assert (q2.percent, q2.progress) == (D("100.00"), D("50.00"))
    assert q2.realised == parse_quantity("60 buah")


def test_a_plan_without_an_entry_hands_the_indicator_to_the_loop() -> None:
    # the plan 10, -, 30, 40 orang: Q2 has no target of its own, which the loop sends to
    # the general path; the kernel hands the whole indicator back, appending nothing
    plan = QuarterlyPlan(
        Y, (parse_quantity("10 orang"), None, *map(parse_quantity, ("30 orang", "40 orang")))
    )
    ind = Indicator(
        "1", "Jumlah", Count(ORANG), targets=(Target.parse(Y, "100 orang"),), plans=(plan,)
    )
    with _kernel_calls() as returned:
        out = achievements(_document(ind), _quarters(ORANG, 5, 10, 20, 25), FIVE)
    assert returned == [False]
    assert len(out) == 5
    assert out[1].status is Status.NO_TARGET
    # Q3: 35 against 10 + 30 = 40 (PeriodTarget.CUMULATIVE): 87.50
    assert out[2].percent == D("87.50")


def test_a_dated_report_hands_the_indicator_to_the_loop() -> None:
    import datetime as dt

    ind = Indicator("1", "Jumlah", Count(ORANG), targets=(Target.parse(Y, "100 orang"),))
    reals = [attrs.evolve(r, reported_on=dt.date(Y, 4, 5)) for r in _quarters(ORANG, 25, 25)]
    with _kernel_calls() as returned:
        q1, q2 = achievements(_document(ind), reals, FIVE[:2])
    assert returned == [False]  # the loop checks the deadline of each period
    # Q2: 50 against 50: 100.00
    assert (q1.percent, q2.percent) == (D("100.00"), D("100.00"))


def test_the_same_realisations_against_the_same_target_are_computed_once() -> None:
    # a count with its annual target prorated; four quarterly realisations, the five
    # periods: Q1 to Q3 each a percent and a progress, Q4 the percent alone (its target is
    # the annual one, and so the progress), the year Q4's figures
    rows = ((1, 3, 0, 3, 1), (2, 6, 1, 3, 2), (3, 9, 2, 3, 3), (4, 12, 3, 3, 4), (4, 12, 3, 3, 1))
    text = unrolled.source(4, False, False, NORMAL, False, rows)
    assert text.count("divmod(") == 3 * 2 + 1
    assert "a.percent, a.status, a.rating = f3" in text.split("a.period = P4")[1]
    # a percentage formula: its target is never prorated, so Q4 and the year are computed
    # once, Q1 to Q3 once each, the progress being the percent
    assert unrolled.source(4, True, False, KHUSUS, False, rows).count("divmod(") == 4
    compile(text, "<kernel>", "exec")


def test_no_kernel_under_rules_the_loop_alone_states() -> None:
    periods = (PeriodFacts(Period.quarter(Y, 1), DEFAULT_RULES),)
    rows = ((1, 3, 0, 3, 1),)
    made = unrolled.kernel(
        Run(DEFAULT_RULES, Shared(DEFAULT_RULES), periods),
        (periods[0].period,),
        (3,),
        (periods[0].period,),
        rows,
        False,
        False,
        NORMAL,
    )
    assert made is not None
    # a year of 65 realisations: the loop computes it (the kernel's text would grow)
    many = unrolled.kernel(
        Run(DEFAULT_RULES, Shared(DEFAULT_RULES), periods),
        (periods[0].period,) * 65,
        (3,) * 65,
        (periods[0].period,),
        rows,
        False,
        False,
        NORMAL,
    )
    assert many is None
    for rules, code in (
        (attrs.evolve(DEFAULT_RULES, cap=D(120)), NORMAL),
        (attrs.evolve(DEFAULT_RULES, rounding=Rounding.HALF_EVEN), NORMAL),
        (DEFAULT_RULES, OTHER),
    ):
        run = Run(rules, Shared(rules), periods)
        one = (periods[0].period,)
        assert unrolled.kernel(run, one, (3,), one, rows, False, False, code) is None
