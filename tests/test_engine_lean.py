"""The lean path (iki_core.engine.lean): all periods of an indicator in one pass, the
quantities of each result built when first read. It must give what the general path gives,
field by field, for any periods asked together, and keep each result one object for the
garbage collector. Figures worked by hand cite the rule they follow."""

from __future__ import annotations

import gc
import pickle
import random
from decimal import Decimal

import attrs
from hypothesis import given
from hypothesis import strategies as st

from iki_core.engine import Achievement, Status, achievement, achievements
from iki_core.engine.compiled import CompiledIndicator, PeriodFacts
from iki_core.engine.general import evaluate
from iki_core.engine.lean import Frame
from iki_core.engine.results import _get_pending
from iki_core.model import (
    Count,
    Document,
    Indicator,
    Objective,
    QuarterlyPlan,
    Realisation,
    Sheet,
    Target,
)
from iki_core.periods import Period
from iki_core.rules import DEFAULT_RULES, Measure, PeriodTarget, Rules, YearToDate
from iki_core.units import Quantity, get_registry, parse_quantity
from tests.strategies import (
    engine_cases,
    engine_percent_value_cases,
    engine_periods,
    engine_rules,
)

D = Decimal
Y = 2021
ORANG = get_registry().unit("orang")


def _document(ind: Indicator) -> Document:
    return Document((Sheet(1, "Kepala", objectives=(Objective("1", "Sasaran", (ind,)),)),))


def _general(ind: Indicator, reals: list[Realisation], period: Period, rules: Rules) -> Achievement:
    """The general path alone, for one period."""
    compiled = CompiledIndicator(ind, rules)
    series = compiled.prepare(reals, "1:1").get(period.year)
    return evaluate(compiled, series, PeriodFacts(period, rules), "1:1")


def _fields(a: Achievement) -> list[object]:
    """Every field, as its type and its text: equal values written alike."""
    names = [f.name for f in attrs.fields(Achievement)]
    return [(type(getattr(a, n)), repr(getattr(a, n))) for n in names]


def assert_same_results(got: list[Achievement], expected: list[Achievement]) -> None:
    """``got`` equals ``expected`` and is alike field by field: each field's type and
    text, the realisations counted and the working explained."""
    assert got == expected
    for a, b in zip(got, expected, strict=True):
        assert _fields(a) == _fields(b)
        assert a._realisations == b._realisations
        assert a.explain("en") == b.explain("en")


@st.composite
def _plain_rules(draw: st.DrawFn) -> object:
    """Rules the lean path runs under (the ratio of sums, measured against the target),
    every other field drawn: a cap or none, each period target rule; sometimes the
    defaults."""
    if draw(st.booleans()):
        return DEFAULT_RULES
    drawn = draw(engine_rules())
    assert isinstance(drawn, Rules)
    return attrs.evolve(drawn, year_to_date=YearToDate.RATIO, measure=Measure.TARGET)


@given(
    engine_cases()
    | engine_cases(kinds=("count", "percentage"), complete=True, shapes=("single",))
    | engine_percent_value_cases(),
    st.lists(engine_periods(), min_size=1, max_size=8, unique=True),
    _plain_rules() | engine_rules(),
    st.randoms(use_true_random=False),
)
def test_every_period_asked_together_is_what_the_general_path_gives(
    case: tuple[Indicator, list[Realisation]],
    periods: list[Period],
    rules: object,
    rng: random.Random,
) -> None:
    assert isinstance(rules, Rules)
    ind, reals = case
    if rng.random() < 0.2:  # out of order: the lean path hands the indicator on
        rng.shuffle(reals)
    together = achievements(_document(ind), reals, periods, rules)
    one_by_one = [_general(ind, reals, period, rules) for period in periods]
    assert_same_results(together, one_by_one)
    for a, b in zip(together, one_by_one, strict=True):
        assert a.notices == b.notices
        assert a._rules is b._rules


def _plan_indicator() -> Indicator:
    # the plan of the PeriodTarget docs: 10, -, 30, 40 orang, under an annual target of 100
    plan = QuarterlyPlan(
        Y, (parse_quantity("10 orang"), None, *map(parse_quantity, ("30 orang", "40 orang")))
    )
    return Indicator(
        "1",
        "Jumlah peserta",
        Count(ORANG),
        targets=(Target.parse(Y, "100 orang"),),
        plans=(plan,),
    )


def _quarters(*values: int) -> list[Realisation]:
    return [
        Realisation("1:1", Period.quarter(Y, i), value=Quantity(D(v), ORANG))
        for i, v in enumerate(values, start=1)
    ]


def test_a_quarterly_plan_on_the_lean_path() -> None:
    ind = _plan_indicator()
    periods = [*(Period.quarter(Y, i) for i in range(1, 5)), Period(Y)]
    q1, q2, q3, q4, year = achievements(_document(ind), _quarters(5, 10, 20, 25), periods)
    # Q1: 5 / 10 = 50.00%; progress against the year's 100: 5.00%
    assert (q1.percent, q1.progress, q1.target) == (
        D("50.00"),
        D("5.00"),
        parse_quantity("10 orang"),
    )
    # Q2: the plan's Q2 is "-": no target for a period whose own quarter has none
    assert q2.status is Status.NO_TARGET
    assert q2.percent is None
    # Q3: 5 + 10 + 20 = 35 against 10 + 30 = 40 (PeriodTarget.CUMULATIVE): 87.50%
    assert (q3.percent, q3.progress) == (D("87.50"), D("35.00"))
    assert q3.target == parse_quantity("40 orang")
    assert q3.realised == parse_quantity("35 orang")
    # Q4 and the year: 60 against 10 + 30 + 40 = 80: 75.00%; progress 60 / 100
    for a in (q4, year):
        assert (a.percent, a.progress, a.status) == (D("75.00"), D("60.00"), Status.NOT_ACHIEVED)
        assert a.target == parse_quantity("80 orang")
        assert a.rating == "Sedang"  # 66-75, Permendagri 86/2017
        assert len(a._realisations) == 4


def test_deferred_fields_are_built_once_with_the_general_paths_values() -> None:
    ind = Indicator("1", "Jumlah peserta", Count(ORANG), targets=(Target.parse(Y, "200 orang"),))
    reals = _quarters(100, 150, 200)
    q3 = Period.quarter(Y, 3)
    a = achievement(ind, reals, q3, reference="1:1")
    slot = Achievement.__dict__["target"]
    try:
        slot.__get__(a, Achievement)
        built_before = True
    except AttributeError:
        built_before = False
    assert not built_before  # left to be built when read
    # 450 orang to date against 9/12 x 200 = 150 (prorated): 300.00%; progress 450 / 200
    assert (a.percent, a.progress) == (D("300.00"), D("225.00"))
    assert a.target == parse_quantity("150 orang")
    assert a.target is a.target  # built once
    assert a.realised == parse_quantity("450 orang")
    assert a.annual_target == parse_quantity("200 orang")
    assert (a.warnings, a.notices, a.nilai) == ((), (), None)
    general = _general(ind, reals, q3, DEFAULT_RULES)
    assert a == general
    assert hash(a) == hash(general)
    assert repr(a) == repr(general)
    later = achievement(ind, reals, q3, reference="1:1")  # read only through equality
    assert pickle.loads(pickle.dumps(later)) == general
    assert attrs.evolve(achievement(ind, reals, q3, reference="1:1"), rating="x").target == (
        parse_quantity("150 orang")
    )


def test_a_computation_leaves_no_cycle_for_the_collector() -> None:
    # the run keeps the kernels it made and they keep nothing of the run: once the results
    # are dropped, everything the computation made is freed by its reference count
    # (and so nothing is left for the collector to find, wherever the results were kept)
    ind = Indicator("1", "Jumlah", Count(ORANG), targets=(Target.parse(Y, "400 orang"),))
    plan = QuarterlyPlan(Y, tuple(parse_quantity(f"{v} orang") for v in (50, 100, 100, 150)))
    planned = attrs.evolve(ind, id="2", plans=(plan,))
    doc = Document((Sheet(1, "Kepala", objectives=(Objective("1", "Sasaran", [ind, planned]),)),))
    quarters = [Period.quarter(Y, i) for i in range(1, 5)]
    reals = [
        Realisation(ref, period, value=Quantity(D(90), ORANG))
        for ref in ("1:1", "1:2")
        for period in quarters
    ]
    gc.collect()
    out = achievements(doc, reals, [*quarters, Period(Y)])
    assert [a.percent for a in out[:2]] == [D("90.00"), D("90.00")]  # 90 / (3/12 x 400)
    assert out[5].percent == D("180.00")  # Q1 of the plan: 90 against its 50
    del out
    assert gc.collect() == 0


def test_each_result_is_one_object_for_the_garbage_collector() -> None:
    # 200 counts, 4 quarterly realisations each, 5 periods: 1,000 achievements
    inds = [
        Indicator(str(i), "Jumlah", Count(ORANG), targets=(Target.parse(Y, "400 orang"),))
        for i in range(1, 201)
    ]
    doc = Document((Sheet(1, "Kepala", objectives=(Objective("1", "Sasaran", inds),)),))
    quarters = [Period.quarter(Y, i) for i in range(1, 5)]
    reals = [
        Realisation(f"1:{i}", period, value=Quantity(D(90 + i % 7), ORANG))
        for i in range(1, 201)
        for period in quarters
    ]
    periods = [*quarters, Period(Y)]
    # the process keeps the figures of each percent met, a bounded number (lean.Run.figure):
    # met once here, so that what is counted below is what each computation leaves
    achievements(doc, reals, periods)
    gc.collect()
    before = len(gc.get_objects())
    out = achievements(doc, reals, periods)
    # twice: a tuple of tuples of integers is untracked once the collector finds its
    # items untracked, which one collection may see only after the tuple itself
    gc.collect()
    gc.collect()
    grown = len(gc.get_objects()) - before
    assert len(out) == 1000
    # the achievement itself and, per indicator, what its deferred fields are built from
    # (its realisations' list and a frame), and the run's few objects (its periods, the
    # one shape of realisations met and its kernel: a function and a cell for each name it
    # is made with); the general path kept four per achievement: the achievement, two
    # quantities and the realisations counted
    assert grown <= 1000 + 2 * 200 + 50, grown
    assert out[0].percent == D("91.00")  # Q1: 91 / (3/12 x 400) = 91 / 100


def _took_the_lean_path(a: Achievement) -> bool:
    """Whether ``a`` came from the lean path (its deferred fields not yet built)."""
    return type(_get_pending(a)) is Frame


def _count(*targets: tuple[int, str]) -> Indicator:
    return Indicator(
        "1", "Jumlah peserta", Count(ORANG), targets=tuple(Target.parse(y, t) for y, t in targets)
    )


def test_a_cap_on_the_lean_path() -> None:
    ind = _count((Y, "100 orang"))
    rules = attrs.evolve(DEFAULT_RULES, cap=D(120))
    periods = [Period.quarter(Y, 1), Period(Y)]
    q1, year = achievements(_document(ind), _quarters(50, 50, 50, 50), periods, rules)
    assert _took_the_lean_path(q1)
    assert _took_the_lean_path(year)
    # Q1: 50 against 3/12 x 100 = 25: 200% capped at 120.00 (Rules.cap); progress 50 / 100
    assert (q1.percent, q1.progress, q1.status) == (D("120.00"), D("50.00"), Status.ACHIEVED)
    assert q1.rating == "Sangat Tinggi"  # from 91, Permendagri 86/2017
    # the year: 200 against 100, 200% capped, and so is the progress against the same target
    assert (year.percent, year.progress) == (D("120.00"), D("120.00"))
    assert q1 == _general(ind, _quarters(50, 50, 50, 50), periods[0], rules)


def test_the_annual_period_target_on_the_lean_path() -> None:
    ind = _count((Y, "100 orang"))
    rules = attrs.evolve(DEFAULT_RULES, period_target=PeriodTarget.ANNUAL)
    q1, q2 = achievements(
        _document(ind), _quarters(50, 50), [Period.quarter(Y, 1), Period.quarter(Y, 2)], rules
    )
    assert _took_the_lean_path(q1)
    assert _took_the_lean_path(q2)
    # PeriodTarget.ANNUAL: every period against the whole 100 (Permendagri 86/2017 form)
    assert (q1.percent, q1.progress, q1.status) == (D("50.00"), D("50.00"), Status.NOT_ACHIEVED)
    assert (q2.percent, q2.status, q2.target) == (
        D("100.00"),
        Status.ACHIEVED,
        parse_quantity("100 orang"),
    )


def test_periods_of_two_years_on_the_lean_path() -> None:
    ind = _count((Y, "100 orang"), (Y + 1, "200 orang"))
    reals = [
        Realisation("1:1", Period.quarter(Y + 1, 1), value=Quantity(D(50), ORANG)),
        Realisation("1:1", Period.quarter(Y, 1), value=Quantity(D(50), ORANG)),
    ]
    later, earlier = achievements(
        _document(ind), reals, [Period.quarter(Y + 1, 1), Period.quarter(Y, 1)]
    )
    assert _took_the_lean_path(later)
    assert _took_the_lean_path(earlier)
    # each year from its own realisations and target, prorated (PeriodTarget.CUMULATIVE):
    # 2022-Q1: 50 against 3/12 x 200 = 50, 100.00%; 2021-Q1: 50 against 25, 200.00%
    assert (later.percent, later.progress) == (D("100.00"), D("25.00"))
    assert (earlier.percent, earlier.progress) == (D("200.00"), D("50.00"))
    assert later.realised == parse_quantity("50 orang")
    assert earlier._realisations == (reals[1],)


def _next_year(p: Period) -> Period:
    return attrs.evolve(p, year=p.year + 1)


@given(
    engine_cases() | engine_cases(kinds=("count", "percentage"), complete=True, shapes=("single",)),
    st.lists(engine_periods(), min_size=1, max_size=6, unique=True),
    _plain_rules(),
    st.randoms(use_true_random=False),
)
def test_periods_of_several_years_are_what_the_general_path_gives(
    case: tuple[Indicator, list[Realisation]],
    periods: list[Period],
    rules: object,
    rng: random.Random,
) -> None:
    assert isinstance(rules, Rules)
    ind, reals = case
    # the same indicator a year later, with some of its realisations, the years interleaved
    ind = attrs.evolve(
        ind,
        targets=(*ind.targets, *(attrs.evolve(t, year=t.year + 1) for t in ind.targets)),
        plans=(*ind.plans, *(attrs.evolve(p, year=p.year + 1) for p in ind.plans)),
    )
    later = [
        attrs.evolve(
            r,
            period=_next_year(r.period),
            reported_on=None if r.reported_on is None else r.reported_on.replace(year=Y + 2),
        )
        for r in reals
        if rng.random() < 0.8
    ]
    reals = [r for pair in zip(reals, later, strict=False) for r in pair] + reals[len(later) :]
    asked = list(dict.fromkeys(_next_year(p) if rng.random() < 0.5 else p for p in periods))
    together = achievements(_document(ind), reals, asked, rules)
    one_by_one = [_general(ind, reals, period, rules) for period in asked]
    assert_same_results(together, one_by_one)


def test_under_the_annual_rule_a_plan_leaves_the_target_as_written() -> None:
    # PeriodTarget.ANNUAL: every period is measured against the whole annual target, a
    # quarterly plan notwithstanding; the target is the one written, 0.30 (not 0.3), as
    # the general path gives it
    ind = Indicator(
        "1",
        "Indikator",
        Count(ORANG),
        targets=(Target(Y, Quantity(D("0.30"), ORANG), "0,30 orang"),),
        plans=(QuarterlyPlan(Y, (None, None, None, None)),),
    )
    reals = [Realisation("1:1", Period.parse("2021"), value=Quantity(D("0.00"), ORANG))]
    rules = attrs.evolve(DEFAULT_RULES, period_target=PeriodTarget.ANNUAL)
    (a,) = achievements(_document(ind), reals, [Period.parse("2021")], rules)
    assert a.target is not None
    assert str(a.target.magnitude) == "0.30"
    assert _fields(a) == _fields(_general(ind, reals, Period.parse("2021"), rules))
