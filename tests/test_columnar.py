"""The columnar path equals the object engine on every row (iki_core.columnar).

The engine (``iki_core.engine.achievements``) is the reference: the kernel's figures are
held equal to it on generated documents (counts, percentages, lower-is-better, quarterly
plans, ranges, zero targets, late and missing reports), ties at x.xx5 forced, under every
combination of rules; the rows the kernel does not cover must come back from the engine.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

import attrs
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iki_core import engine
from iki_core.columnar import (
    Kernel,
    achievements_from_tables,
    achievements_table,
    document_from_indicators,
    indicators_table,
    realisations_from_table,
    realisations_table,
)
from iki_core.errors import UnknownIndicatorError
from iki_core.model import (
    Count,
    Document,
    Indicator,
    Objective,
    PercentageFormula,
    Polarity,
    QuarterlyPlan,
    Realisation,
    Sheet,
    Target,
)
from iki_core.periods import Period
from iki_core.rules import (
    DEFAULT_RULES,
    LowerIsBetterFormula,
    Rules,
    ZeroTargetHigher,
    ZeroTargetLower,
)
from iki_core.units import Quantity, get_registry, parse_quantity
from tests.strategies import ENGINE_YEAR, engine_cases, engine_magnitudes, engine_rules

YEAR_PERIODS = [
    Period.parse(t)
    for t in (
        "2021-01",
        "2021-02",
        "2021-03",
        "2021-Q1",
        "2021-Q2",
        "2021-S1",
        "2021-Q3",
        "2021-Q4",
        "2021-12",
        "2021-S2",
        "2021",
    )
]


def engine_rows(doc: Document, reals: list[Realisation], rules: Rules) -> list[tuple[object, ...]]:
    return [
        (
            a.reference,
            str(a.period),
            a.percent,
            a.progress,
            a.status.value,
            a.rating,
            a.nilai,
            list(a.warnings),
        )
        for a in engine.achievements(doc, reals, YEAR_PERIODS, rules)
    ]


def table_rows(table: pa.Table) -> list[tuple[object, ...]]:
    cols = [
        table[c].to_pylist()
        for c in (
            "reference",
            "period",
            "percent",
            "progress",
            "status",
            "rating",
            "nilai",
            "warnings",
        )
    ]
    return list(zip(*cols, strict=True))


@st.composite
def documents_and_realisations(
    draw: st.DrawFn, complete: bool | None = None
) -> tuple[Document, list[Realisation]]:
    """A sheet of up to six generated indicators with their realisations, half of them
    with a baseline (which the baseline measure, ``Rules.measure``, computes from)."""
    indicators, reals = [], []
    for i in range(draw(st.integers(1, 6))):
        full = draw(st.booleans()) if complete is None else complete
        ind, rs = draw(engine_cases(complete=full))
        ind = attrs.evolve(ind, id=str(i + 1))
        if draw(st.booleans()):  # a baseline (kondisi awal) in the indicator's unit
            magnitude = draw(engine_magnitudes(500))
            ind = attrs.evolve(
                ind,
                baseline=Target(ENGINE_YEAR - 1, Quantity(magnitude, ind.kind.unit), "awal"),
            )
        indicators.append(ind)
        reals += [attrs.evolve(r, indicator=f"1:{i + 1}") for r in rs]
    doc = Document([Sheet(1, "Kepala", objectives=[Objective("1", "Sasaran", indicators)])])
    return doc, reals


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=documents_and_realisations(), rules=engine_rules())
def test_columnar_equals_engine_on_generated_documents(
    case: tuple[Document, list[Realisation]], rules: Rules
) -> None:
    doc, reals = case
    table = achievements_table(doc, reals, YEAR_PERIODS, rules)
    assert table_rows(table) == engine_rows(doc, reals, rules)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=documents_and_realisations(complete=True))
def test_complete_reports_go_through_the_kernel(case: tuple[Document, list[Realisation]]) -> None:
    doc, reals = case
    table = achievements_table(doc, reals, YEAR_PERIODS, DEFAULT_RULES)
    assert table_rows(table) == engine_rows(doc, reals, DEFAULT_RULES)
    # rows with a single positive target and complete on-time reports are the kernel's
    by_engine = engine.achievements(doc, reals, YEAR_PERIODS)
    paths = table["path"].to_pylist()
    for a, path in zip(by_engine, paths, strict=True):
        if path == "engine":
            continue
        assert a.warnings == ()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=documents_and_realisations(), rules=engine_rules())
def test_tables_round_trip_through_the_engine(
    case: tuple[Document, list[Realisation]], rules: Rules
) -> None:
    """Without the objects, the engine rows are computed from the tables themselves."""
    doc, reals = case
    table = achievements_from_tables(
        indicators_table(doc), realisations_table(reals), YEAR_PERIODS, rules
    )
    assert isinstance(table, pa.Table)
    assert table_rows(table) == engine_rows(doc, reals, rules)
    assert realisations_from_table(realisations_table(reals)) == [
        attrs.evolve(r, source=None) for r in reals
    ]
    rebuilt = document_from_indicators(indicators_table(doc))
    assert engine_rows(rebuilt, reals, rules) == engine_rows(doc, reals, rules)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=documents_and_realisations(), rules=engine_rules(), chunk=st.integers(1, 3))
def test_chunks_of_indicators_give_the_same_rows(
    case: tuple[Document, list[Realisation]], rules: Rules, chunk: int
) -> None:
    """Indicators computed a few at a time (their references matched once, the engine's
    rows period by period) give the engine's rows, in the same order."""
    doc, reals = case
    table = achievements_from_tables(
        indicators_table(doc), realisations_table(reals), YEAR_PERIODS, rules, chunk=chunk
    )
    assert isinstance(table, pa.Table)
    assert table_rows(table) == engine_rows(doc, reals, rules)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=documents_and_realisations(),
    rules=engine_rules(),
    chunk=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_realisations_in_any_order_give_the_same_rows(
    case: tuple[Document, list[Realisation]], rules: Rules, chunk: int, seed: int
) -> None:
    """Realisation rows shuffled (no runs of one indicator to slice: each chunk's rows are
    taken by index), in chunks of a few indicators: the engine's rows."""
    doc, reals = case
    real = realisations_table(reals)
    shuffled = real.take(pa.array(np.random.default_rng(seed).permutation(len(real))))
    table = achievements_from_tables(
        indicators_table(doc), shuffled, YEAR_PERIODS, rules, chunk=chunk
    )
    assert isinstance(table, pa.Table)
    assert table_rows(table) == engine_rows(doc, reals, rules)


def _categorical(table: pa.Table) -> pa.Table:
    """Every text column of ``table`` as a dictionary column (as a Parquet reader or a
    categorical frame gives them)."""
    for i, field in enumerate(table.schema):
        if pa.types.is_string(field.type):
            table = table.set_column(i, field.name, table.column(i).dictionary_encode())
    return table


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=documents_and_realisations(), rules=engine_rules(), chunk=st.integers(1, 3))
def test_dictionary_columns_give_the_same_rows(
    case: tuple[Document, list[Realisation]], rules: Rules, chunk: int
) -> None:
    """Text columns as dictionaries (categoricals), in chunks of a few indicators: the
    engine's rows."""
    doc, reals = case
    ind, real = indicators_table(doc), realisations_table(reals)
    table = achievements_from_tables(
        _categorical(ind), _categorical(real), YEAR_PERIODS, rules, chunk=chunk
    )
    assert isinstance(table, pa.Table)
    assert table_rows(table) == engine_rows(doc, reals, rules)


def _count_doc(target: str, polarity: Polarity = Polarity.HIGHER_IS_BETTER) -> Document:
    unit = parse_quantity("1 orang").unit
    ind = Indicator(
        "1", "Peserta", Count(unit), targets=[Target.parse(2021, target)], polarity=polarity
    )
    return Document([Sheet(1, "Kepala", objectives=[Objective("1", "S", [ind])])])


def _values(*pairs: tuple[str, str]) -> list[Realisation]:
    return [Realisation("1:1", Period.parse(p), value=parse_quantity(v)) for p, v in pairs]


def test_ties_round_half_up_in_the_kernel() -> None:
    # 1 / 8 x 100 = 12.5 exactly: half-up gives 13 with no decimals (rules.places = 0),
    # where round() would give 12 (DOMAIN.md "Rounding": ROUND_HALF_UP).
    doc = _count_doc("8 orang")
    reals = _values(("2021", "1 orang"))
    table = achievements_table(doc, reals, [Period.parse("2021")], Rules(places=0))
    assert table["percent"].to_pylist() == [Decimal(13)]
    assert table["path"].to_pylist() == ["kernel"]
    # 0.02 / 16 x 100 = 0.125: two places give 0.13
    doc = _count_doc("16 orang")
    table = achievements_table(doc, _values(("2021", "0,02 orang")), [Period.parse("2021")])
    assert table["percent"].to_pylist() == [Decimal("0.13")]


def test_worked_example_of_the_engine() -> None:
    # engine docstring: 100 + 150 + 200 = 450 against 9/12 x 200 = 150 -> 300.00%,
    # progress 450 / 200 = 225.00%, Sangat Tinggi (Permendagri 86/2017)
    doc = _count_doc("200 orang peserta")
    reals = _values(("2021-Q1", "100 orang"), ("2021-Q2", "150 orang"), ("2021-Q3", "200 orang"))
    row = table_rows(achievements_table(doc, reals, [Period.parse("2021-Q3")]))[0]
    assert row[2:6] == (Decimal("300.00"), Decimal("225.00"), "achieved", "Sangat Tinggi")


def test_lower_is_better_kondisi_khusus_and_floor() -> None:
    # PermenPANRB 8/2021 annex: target 8, realisation 9 -> (2 x 8 - 9) / 8 = 87.50%;
    # realisation 20 -> below zero, floored at 0.
    doc = _count_doc("8 orang", Polarity.LOWER_IS_BETTER)
    for value, expected in (("9 orang", Decimal("87.50")), ("20 orang", Decimal("0.00"))):
        table = achievements_table(doc, _values(("2021", value)), [Period.parse("2021")])
        assert table["percent"].to_pylist() == [expected]
        assert table["path"].to_pylist() == ["kernel"]


def test_range_targets_in_the_kernel() -> None:
    # PermenPANRB 8/2021 annex (DOMAIN.md "Range target", RangeRule.NEAREST_BOUND): below
    # the range against the lower bound, above it against the upper one, inside 100%
    year = [Period.parse("2021")]
    doc = _count_doc("80-90 orang")
    for value, expected in (
        ("85 orang", "100.00"),  # inside
        ("72 orang", "90.00"),  # 72 / 80
        ("99 orang", "110.00"),  # 99 / 90
        ("80 orang", "100.00"),  # on the lower bound: inside
    ):
        table = achievements_table(doc, _values(("2021", value)), year)
        assert table["percent"].to_pylist() == [Decimal(expected)]
        assert table["path"].to_pylist() == ["kernel"]
    # the period's range scales with the months, as a single target does: Q2 has
    # 80 x 6/12 = 40 to 90 x 6/12 = 45; 20 + 25 = 45 is inside (100%), and against the
    # year's 80-90 it is below: 45 / 80 = 56.25% progress
    reals = _values(("2021-Q1", "20 orang"), ("2021-Q2", "25 orang"))
    row = table_rows(achievements_table(doc, reals, [Period.parse("2021-Q2")]))[0]
    assert row[2:4] == (Decimal("100.00"), Decimal("56.25"))
    # lower is better above the range: (2 x 90 - 99) / 90 = 90.00% (kondisi khusus)
    lower = _count_doc("80-90 orang", Polarity.LOWER_IS_BETTER)
    table = achievements_table(lower, _values(("2021", "99 orang")), year)
    assert table["percent"].to_pylist() == [Decimal("90.00")]
    # RangeRule.ENTRY_BOUND: the lower bound when higher is better, 85 / 80 = 106.25%
    entry = Rules(range_target="entry_bound")
    table = achievements_table(doc, _values(("2021", "85 orang")), year, entry)
    assert table["percent"].to_pylist() == [Decimal("106.25")]
    assert table["path"].to_pylist() == ["kernel"]
    # inside "0-5 orang" with nothing realised: the engine's (100%, "inside")
    table = achievements_table(_count_doc("0-5 orang"), _values(("2021", "0 orang")), year)
    assert table["path"].to_pylist() == ["engine"]
    assert table["percent"].to_pylist() == [Decimal("100.00")]


def test_rows_the_kernel_does_not_cover_come_from_the_engine() -> None:
    doc = _count_doc("120 orang")  # a missing quarter: the engine warns
    reals = _values(("2021-Q1", "30 orang"), ("2021-Q3", "30 orang"))
    table = achievements_table(doc, reals, [Period.parse("2021-Q3")])
    assert table["path"].to_pylist() == ["engine"]
    assert table["warnings"].to_pylist()[0][0].startswith("no realisation for 2021-Q2")


def test_unknown_indicator_is_refused_as_the_engine_does() -> None:
    doc = _count_doc("8 orang")
    reals = [Realisation("1:9", Period.parse("2021"), value=parse_quantity("1 orang"))]
    with pytest.raises(UnknownIndicatorError, match="1:9"):
        achievements_table(doc, reals, [Period.parse("2021")])
    # a realisation naming no indicator at all, in the position of the only indicator's
    # run: refused, never taken for that indicator
    real = realisations_table(_values(("2021", "9 orang")))
    real = real.set_column(0, "indicator", pa.array([None], pa.string()))
    with pytest.raises(UnknownIndicatorError):
        achievements_from_tables(indicators_table(doc), real, [Period.parse("2021")])


def test_frames_in_frames_out() -> None:
    pl = pytest.importorskip("polars")
    pd = pytest.importorskip("pandas")
    doc = _count_doc("8 orang")
    reals = _values(("2021", "9 orang"))
    ind, real = indicators_table(doc), realisations_table(reals)
    periods = [Period.parse("2021")]
    as_polars = achievements_from_tables(pl.from_arrow(ind), pl.from_arrow(real), periods)
    assert isinstance(as_polars, pl.DataFrame)
    assert as_polars["percent"].to_list() == [Decimal("112.50")]
    as_pandas = achievements_from_tables(ind.to_pandas(), real.to_pandas(), periods)
    assert isinstance(as_pandas, pd.DataFrame)
    assert list(as_pandas["percent"]) == [Decimal("112.50")]


def test_kernel_overflow_guard_computes_big_rows_exactly() -> None:
    # R = 10**15, T = 3 x 10**14: R x 100 x 10**2 = 10**19 passes int64, so the guard
    # computes the row with Python integers: 10**19 / (3 x 10**14) = 33333.33... -> 33333
    # (333.33%); R = 10**17 against T = 3 gives a percent beyond int64: not the kernel's.
    k = Kernel(DEFAULT_RULES)
    one = np.ones(3, np.int64)
    out = k.compute(
        rn=np.array([10**15, 10**17, 9], np.int64),
        rd=one,
        tn=np.array([3 * 10**14, 3, 8], np.int64),
        td=one,
        an=np.array([10**15, 10**17, 8], np.int64),
        ad=one,
        lower=np.array([False, False, True]),
    )
    assert out.exact.tolist() == [True, True, False]
    assert out.fits.tolist() == [True, False, True]
    assert out.percent.tolist()[0::2] == [33333, 8750]
    assert out.progress.tolist()[0::2] == [10000, 8750]


def test_inverse_formula_in_the_kernel() -> None:
    # T / R x 100 (LowerIsBetterFormula.INVERSE): target 10, realisation 5 -> 200.00%
    # (DOMAIN.md, "at T=10, R=5 the two give 150% vs 200%")
    rules = Rules(lower_is_better=LowerIsBetterFormula.INVERSE)
    doc = _count_doc("10 orang", Polarity.LOWER_IS_BETTER)
    table = achievements_table(doc, _values(("2021", "5 orang")), [Period.parse("2021")], rules)
    assert table["percent"].to_pylist() == [Decimal("200.00")]
    assert table["path"].to_pylist() == ["kernel"]


def test_percentage_sum_of_x_over_sum_of_y() -> None:
    # sum(X)/sum(Y): (1 + 2) / (2 + 6) x 100 = 37.50% against an 80% target -> 46.88%
    # (46.875, a tie, rounded half-up)
    ind = Indicator(
        "1", "Persentase", PercentageFormula("X", "Y"), targets=[Target.parse(ENGINE_YEAR, "80%")]
    )
    doc = Document([Sheet(1, "K", objectives=[Objective("1", "S", [ind])])])
    reals = [
        Realisation("1:1", Period.parse("2021-S1"), numerator=1, denominator=2),
        Realisation("1:1", Period.parse("2021-S2"), numerator=2, denominator=6),
    ]
    table = achievements_table(doc, reals, [Period.parse("2021")])
    assert table["percent"].to_pylist() == [Decimal("46.88")]
    assert table["path"].to_pylist() == ["kernel"]
    assert get_registry().unit("persen").name == "persen"


@settings(max_examples=80, deadline=None)
@given(
    target=st.sampled_from((8, 16, 40, 80, 125, 400)),
    q=st.integers(0, 30000),
    places=st.sampled_from((0, 1, 2, 3)),
    lower=st.booleans(),
    split=st.lists(st.integers(0, 100), min_size=3, max_size=3),
    ranged=st.booleans(),
)
def test_ties_at_half_are_rounded_up_on_every_row(
    target: int, q: int, places: int, lower: bool, split: list[int], ranged: bool
) -> None:
    """The year's percent falls exactly on a half of the last place kept (x.xx5 for two
    places), by construction: R / T x 100 x 10**places = q + 1/2 when higher is better,
    (2T - R) / T x 100 x 10**places = q + 1/2 when lower (kondisi khusus); the rounding
    goes up (DOMAIN.md "Rounding": ROUND_HALF_UP, never half to even). ``ranged``: T is
    the bound of a range target the realisation is compared with (below "T-2T", above
    "T/2-T": RangeRule.NEAREST_BOUND), in the kernel too."""
    scale = 100 * 10**places
    tie = Fraction(target * (2 * q + 1), 2 * scale)
    total = 2 * target - tie if lower else tie
    if total < 0:
        total = tie  # then higher is better
        lower = False
    as_decimal = Decimal(total.numerator) / Decimal(total.denominator)
    assert Fraction(as_decimal) == total  # T's factors are 2 and 5: a finite decimal
    # three quarters of small shares and the fourth the rest, all reported on time
    shares = [min(Decimal(s) / 1000, as_decimal / 4) for s in split]
    values = [*shares, as_decimal - sum(shares)]
    polarity = Polarity.LOWER_IS_BETTER if lower else Polarity.HIGHER_IS_BETTER
    text = f"{target} orang"
    if ranged and total != target:
        text = f"{target}-{2 * target} orang" if total < target else f"{target // 2}-{text}"
    doc = _count_doc(text, polarity)
    reals = [
        Realisation(
            "1:1",
            Period.parse(f"2021-Q{i + 1}"),
            value=parse_quantity(format(v, "f").replace(".", ",") + " orang"),
        )
        for i, v in enumerate(values)
    ]
    rules = Rules(places=places)
    table = achievements_table(doc, reals, YEAR_PERIODS, rules)
    assert table_rows(table) == engine_rows(doc, reals, rules)
    year = table_rows(table)[-1]
    # the kernel's integers carry six decimals at most: a value with more is the engine's
    six = all(int(v.as_tuple().exponent) >= -6 for v in values)
    assert table["path"].to_pylist()[-1] == ("kernel" if six else "engine")
    assert year[2] == Decimal(q + 1).scaleb(-places)


def _planned_doc(target: str, plan: tuple[str, ...], polarity: Polarity) -> Document:
    unit = parse_quantity("1 orang").unit
    entries = tuple(parse_quantity(q) for q in plan)
    ind = Indicator(
        "1",
        "Peserta",
        Count(unit),
        targets=[Target.parse(ENGINE_YEAR, target)],
        polarity=polarity,
        plans=[QuarterlyPlan(ENGINE_YEAR, entries)],
    )
    return Document([Sheet(1, "Kepala", objectives=[Objective("1", "S", [ind])])])


def test_a_zero_plan_quarter_is_computed_by_the_kernel() -> None:
    # plan 0, 10, 10, 20 of 40 orang, realisations 0, 4, 6, 8 (cumulative 0, 4, 10, 18).
    # Q1's target is 0: higher is better gives no percent (ZeroTargetHigher.UNDEFINED,
    # rules.py: status undefined, no rating), progress 0 / 40 = 0.00%; lower is better
    # with nothing happened gives 100.00% (ZeroTargetLower.ALL_OR_NOTHING). Q2: target
    # 0 + 10 = 10, 4 / 10 = 40.00% (higher), (2 x 10 - 4) / 10 = 160.00% (lower).
    reals = _values(
        ("2021-Q1", "0 orang"),
        ("2021-Q2", "4 orang"),
        ("2021-Q3", "6 orang"),
        ("2021-Q4", "8 orang"),
    )
    plan = ("0 orang", "10 orang", "10 orang", "20 orang")
    q1, q2 = Period.parse("2021-Q1"), Period.parse("2021-Q2")
    for polarity, expected in (
        (
            Polarity.HIGHER_IS_BETTER,
            [(None, "undefined", None), (Decimal("40.00"), "not_achieved", "Sangat Rendah")],
        ),
        (
            Polarity.LOWER_IS_BETTER,
            [
                (Decimal("100.00"), "achieved", "Sangat Tinggi"),
                (Decimal("160.00"), "achieved", "Sangat Tinggi"),
            ],
        ),
    ):
        doc = _planned_doc("40 orang", plan, polarity)
        table = achievements_table(doc, reals, [q1, q2])
        assert table["path"].to_pylist() == ["kernel", "kernel"]
        got = list(
            zip(*(table[c].to_pylist() for c in ("percent", "status", "rating")), strict=True)
        )
        assert got == expected
        assert table_rows(table) == [
            (r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7])
            for r in engine_rows(doc, reals, DEFAULT_RULES)
            if r[1] in ("2021-Q1", "2021-Q2")
        ]
    # Q1's progress: 0 against the year's 40 (higher is better) is 0.00%
    doc = _planned_doc("40 orang", plan, Polarity.HIGHER_IS_BETTER)
    assert achievements_table(doc, reals, [q1])["progress"].to_pylist() == [Decimal("0.00")]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=st.lists(st.integers(0, 3).map(lambda v: 0 if v < 2 else 5 * v), min_size=4, max_size=4),
    annual=st.sampled_from((0, 0, 12, 40)),
    values=st.lists(st.integers(0, 9), min_size=4, max_size=4),
    polarity=st.sampled_from(tuple(Polarity)),
    higher=st.sampled_from(tuple(ZeroTargetHigher)),
    lower=st.sampled_from(tuple(ZeroTargetLower)),
    with_plan=st.booleans(),
    inverse=st.booleans(),
    cap=st.sampled_from((None, Decimal(100))),
)
def test_zero_targets_in_the_kernel_equal_the_engine(
    plan: list[int],
    annual: int,
    values: list[int],
    polarity: Polarity,
    higher: ZeroTargetHigher,
    lower: ZeroTargetLower,
    with_plan: bool,
    inverse: bool,
    cap: Decimal | None,
) -> None:
    """Zero plan quarters and zero annual targets, reported on time every quarter, under
    every zero rule: the kernel computes each row (no warning in the engine) and equals
    the engine on every row."""
    unit = parse_quantity("1 orang").unit
    plans = (
        [QuarterlyPlan(ENGINE_YEAR, tuple(Quantity(Decimal(q), unit) for q in plan))]
        if with_plan
        else []
    )
    ind = Indicator(
        "1",
        "Peserta",
        Count(unit),
        targets=[Target.parse(ENGINE_YEAR, f"{annual} orang")],
        polarity=polarity,
        plans=plans,
    )
    doc = Document([Sheet(1, "Kepala", objectives=[Objective("1", "S", [ind])])])
    reals = _values(*((f"2021-Q{i + 1}", f"{v} orang") for i, v in enumerate(values)))
    formula = LowerIsBetterFormula.INVERSE if inverse else LowerIsBetterFormula.KONDISI_KHUSUS
    rules = Rules(
        zero_target_higher=higher, zero_target_lower=lower, lower_is_better=formula, cap=cap
    )
    table = achievements_table(doc, reals, YEAR_PERIODS, rules)
    assert table_rows(table) == engine_rows(doc, reals, rules)
    for a, path in zip(
        engine.achievements(doc, reals, YEAR_PERIODS, rules), table["path"].to_pylist(), strict=True
    ):
        if not a.warnings and a.status.value not in ("no_data", "no_target"):
            # the kernel leaves to the engine only T / R at R = 0 under INVERSE
            undefined_inverse = inverse and polarity is Polarity.LOWER_IS_BETTER
            assert path == "kernel" or undefined_inverse


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(
        st.none()
        | st.decimals(min_value=-(10**19), max_value=10**19, places=18, allow_nan=False)
        | st.integers(0, 2**63).map(lambda v: Decimal(v).scaleb(-6))
        | st.integers(0, 10**8).map(lambda v: Decimal(v).scaleb(-3)),
        max_size=20,
    ),
    scale=st.sampled_from((18, 12, 6, 2)),
)
def test_decimal_columns_become_exact_scaled_integers(
    values: list[Decimal | None], scale: int
) -> None:
    """A decimal column x 10**6 as int64 (iki_core.columnar._amounts.ints), by the
    two-word division or by Arrow's cast: exactly the value x 10**6 where that is an
    integer within int64, else refused; computed here with Python's Decimal."""
    from iki_core.columnar._amounts import ints

    with localcontext() as ctx:
        ctx.prec = 80
        kept = [v if v is None else v.quantize(Decimal(1).scaleb(-scale)) for v in values]
        kept = [v if v is None or abs(v) < Decimal(10) ** (38 - scale) else None for v in kept]
        got, ok = ints(pa.array(kept, pa.decimal128(38, scale)))
        for v, g, k in zip(kept, got.tolist(), ok.tolist(), strict=True):
            scaled = None if v is None else v.scaleb(6)
            expected = (
                scaled is not None
                and scaled == scaled.to_integral_value()
                and -(2**63) <= scaled < 2**63
            )
            assert k == expected, (v, g)
            assert g == (int(scaled) if expected and scaled is not None else 0)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=documents_and_realisations(),
    rules=engine_rules(),
    batch=st.integers(1, 7),
    chunk=st.integers(1, 3),
)
def test_parquet_files_streamed_give_the_engines_rows(
    case: tuple[Document, list[Realisation]], rules: Rules, batch: int, chunk: int
) -> None:
    """Realisations read from Parquet a few rows at a time into the kernel's integer
    columns, the engine's rows read back from the file: the engine's rows."""
    import tempfile
    from pathlib import Path

    import pyarrow.parquet as pq

    from iki_core.columnar import achievements_from_parquet

    doc, reals = case
    with tempfile.TemporaryDirectory() as tmp:
        ind_path, real_path = Path(tmp) / "i.parquet", Path(tmp) / "r.parquet"
        pq.write_table(indicators_table(doc), ind_path)
        pq.write_table(realisations_table(reals), real_path, row_group_size=batch)
        table = achievements_from_parquet(
            ind_path, real_path, YEAR_PERIODS, rules, batch_size=batch, chunk=chunk
        )
    assert table_rows(table) == engine_rows(doc, reals, rules)
