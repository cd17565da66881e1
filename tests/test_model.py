"""The indicator model: frozen, validated at creation; an invalid object cannot exist."""

from __future__ import annotations

import datetime as dt
import pickle
import re
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iki_core._loaded import loaded_indicator
from iki_core.errors import (
    IkiError,
    IkiTypeError,
    InvalidValueError,
    QuantityParseError,
    UnknownIndicatorError,
)
from iki_core.model import (
    Aggregation,
    Count,
    Diagnostic,
    Document,
    EventReport,
    EventWindow,
    Indicator,
    Objective,
    PercentageFormula,
    Polarity,
    QuarterlyPlan,
    Range,
    Realisation,
    Sheet,
    Signatory,
    SourceText,
    Target,
)
from iki_core.periods import Period
from iki_core.units import BARE, PERCENT, Quantity, Unit, get_registry, parse_quantity
from tests.strategies import indicators, non_negative_decimals, realisations, unit_spellings

Q3 = Period.quarter(2021, 3)


def unit(text: str) -> Unit:
    return get_registry().unit(text)


def participants(**changes: object) -> Indicator:
    """Sheet 3, indicator 1 of the seed: participants of the socialisation."""
    fields: dict[str, object] = {
        "id": "1",
        "name": "Jumlah peserta sosialisasi",
        "kind": Count(unit("orang")),
        "targets": tuple(
            Target.parse(year, text)
            for year, text in zip(
                range(2018, 2023),
                ("200 orang peserta", "200 orang peserta", "250 orang peserta", "-", "100 orang"),
                strict=True,
            )
        ),
    }
    fields.update(changes)
    return Indicator(**fields)  # type: ignore[arg-type]


def invalid(build: object) -> str:
    """The message of the IkiError that ``build()`` raises."""
    assert callable(build)
    with pytest.raises(IkiError) as info:
        build()
    return str(info.value)


# --- targets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100,00%", parse_quantity("100%")),
        ("3 unit", parse_quantity("3 unit")),
        ("550", parse_quantity("550")),
        ("200 orang peserta", parse_quantity("200 orang")),
        ("-", None),
        ("\u2013", None),
        ("\u2014", None),
        (" - ", None),
    ],
)
def test_target_parse(text: str, expected: Quantity | None) -> None:
    target = Target.parse(2021, text)
    assert target.value == expected
    assert target.is_set is (expected is not None)
    assert target.text == text
    assert target.year == 2021


def test_no_target_is_not_zero() -> None:
    target = Target.parse(2018, "-")
    assert target.value is None
    assert target.unit is None
    assert target.value != parse_quantity("0")


def test_range_target() -> None:
    target = Target.parse(2021, "80-90%")
    assert target.is_range
    assert isinstance(target.value, Range)
    assert (target.value.low, target.value.high) == (parse_quantity("80%"), parse_quantity("90%"))
    assert target.unit == PERCENT


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "target 2018: cannot read '' as a quantity: empty (write '-' for no target)"),
        ("dokum", "line 92, target 2018: cannot read 'dokum' as a quantity: it does not start "
         "with a number"),
        ("90-80%", "line 92, target 2018: cannot read '90-80%' as a quantity: the lower bound "
         "is above the upper bound"),
    ],
)  # fmt: skip
def test_target_parse_errors(text: str, message: str) -> None:
    line = None if not text else 92
    with pytest.raises(QuantityParseError) as info:
        Target.parse(2018, text, line=line)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Target(2021, "3 unit"),  # type: ignore[arg-type]
         "Target.value: expected a Quantity, a Range or None, got str '3 unit'"),
        (lambda: Target("2021", None),  # type: ignore[arg-type]
         "Target.year: expected a whole number 1900-2999, got '2021'"),
    ],
)  # fmt: skip
def test_invalid_targets(build: object, message: str) -> None:
    assert invalid(build) == message


def test_range_validation() -> None:
    assert invalid(lambda: Range(parse_quantity("90%"), parse_quantity("80%"))) == (
        "Range: expected a lower bound <= the upper bound, got '90% to 80%'"
    )
    assert invalid(lambda: Range(parse_quantity("3 unit"), parse_quantity("200 orang"))) == (
        "Range: expected two bounds in one unit, got '3 unit to 200 orang'"
    )
    assert invalid(lambda: Range("80", parse_quantity("90%"))) == (  # type: ignore[arg-type]
        "Range.low: expected Quantity, got str '80'"
    )
    # Convertible bounds are one unit: 2 lusin (24 buah) to 30 buah.
    assert Range(parse_quantity("2 lusin"), parse_quantity("30 buah")).unit.name == "lusin"
    assert Range(parse_quantity("80%"), parse_quantity("80%")).low == parse_quantity("80%")


# --- kinds -----------------------------------------------------------------------------------


def test_kinds_and_their_units() -> None:
    assert PercentageFormula().unit == PERCENT
    assert PercentageFormula().factor == Decimal(100)
    assert Count(unit("laporan")).unit.name == "laporan"
    assert Count(BARE).unit.is_bare
    report = EventReport(unit("laporan"), [EventWindow(2019, 4, 9)])
    assert report.window(2019) == EventWindow(2019, 4, 9)
    assert report.window(2019).months == 6
    assert report.window(2022) == EventWindow(2022, 1, 12)  # no window: the whole year
    assert report.window(2022).months == 12


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: EventWindow(2019, 4, 3),
         "EventWindow: expected 1 <= first_month <= last_month <= 12, got (4, 3)"),
        (lambda: EventWindow(2019, 0, 3),
         "EventWindow.first_month: expected a whole number 1-12, got 0"),
        (lambda: EventWindow(2019, 1, 13),
         "EventWindow.last_month: expected a whole number 1-12, got 13"),
        (lambda: EventWindow(2019, True, 12),
         "EventWindow.first_month: expected a whole number 1-12, got True"),
        (lambda: EventWindow("2019"),  # type: ignore[arg-type]
         "EventWindow.year: expected a whole number 1900-2999, got '2019'"),
        (lambda: EventReport(unit("laporan"), [EventWindow(2019), EventWindow(2019, 3, 4)]),
         "EventReport.windows: expected one window per year, got [2019, 2019]"),
        (lambda: EventReport(unit("laporan"), ["2019"]),  # type: ignore[list-item]
         "EventReport.windows: expected EventWindow, got str '2019'"),
        (lambda: Count("unit"),  # type: ignore[arg-type]
         "Count.unit: expected a Unit, got str 'unit'"),
        (lambda: PercentageFormula(factor=0),
         "PercentageFormula.factor: expected a number > 0 (100 for percent), got Decimal('0')"),
        (lambda: PercentageFormula(factor=100.0),
         "PercentageFormula.factor: expected Decimal or int (floats lose digits; pass "
         "Decimal(str(x))), got float 100.0"),
    ],
)  # fmt: skip
def test_invalid_kinds(build: object, message: str) -> None:
    assert invalid(build) == message


# --- indicators ------------------------------------------------------------------------------


def test_indicator() -> None:
    ind = participants()
    assert ind.years == (2018, 2019, 2020, 2021, 2022)
    target = ind.target_for(2020)
    assert target is not None
    assert target.value == parse_quantity("250 orang")
    no_target = ind.target_for(2021)
    assert no_target is not None
    assert not no_target.is_set
    assert ind.target_for(2030) is None
    assert ind.unit.name == "orang"
    assert ind.polarity is Polarity.HIGHER_IS_BETTER
    assert ind.aggregation is Aggregation.SUM


def test_targets_are_sorted_by_year() -> None:
    ind = participants(targets=[Target.parse(2022, "3 orang"), Target.parse(2019, "-")])
    assert ind.years == (2019, 2022)


def test_enums_from_text() -> None:
    ind = participants(polarity="lower_is_better", aggregation="last")
    assert ind.polarity is Polarity.LOWER_IS_BETTER
    assert ind.aggregation is Aggregation.LAST
    assert repr(Polarity.LOWER_IS_BETTER) == "'lower_is_better'"


def test_convertible_targets_are_accepted() -> None:
    ind = participants(kind=Count(unit("buah")), targets=[Target.parse(2021, "2 lusin")])
    assert ind.target_for(2021) is not None


def test_plans() -> None:
    plan = QuarterlyPlan(
        2021, (parse_quantity("50 orang"), None, parse_quantity("100 orang"), None)
    )
    ind = participants(plans=[plan])
    assert ind.plan_for(2021) == plan
    assert ind.plan_for(2022) is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": ""}, "Indicator.id: expected a non-empty text, got ''"),
        ({"id": "  "}, "Indicator.id: expected a non-empty text, got '  '"),
        ({"id": 1}, "Indicator.id: expected a non-empty text, got 1"),
        ({"kind": "count"},
         "Indicator.kind: expected PercentageFormula, Count, EventReport or a value kind, "
             "got str 'count'"),
        ({"kind": Count(unit("unit"))},
         "Indicator 1 target 2018: expected a quantity in unit, got '200 orang peserta'"),
        ({"kind": Count(BARE)},
         "Indicator 1 target 2018: expected a quantity in a bare number, got '200 orang peserta'"),
        ({"targets": [Target.parse(2021, "3 orang"), Target.parse(2021, "-")]},
         "Indicator 1 targets: expected one target per year, got [2021, 2021]"),
        ({"targets": ["3 orang"]}, "Indicator.targets: expected Target, got str '3 orang'"),
        ({"targets": "3 orang"},
         "Indicator.targets: expected a sequence of Target, got str '3 orang'"),
        ({"polarity": "up"},
         "Indicator.polarity: expected one of higher_is_better, lower_is_better, got 'up'"),
        ({"aggregation": "median"},
         "Indicator.aggregation: expected one of sum, last, average, max, got 'median'"),
        ({"kind": PercentageFormula(), "targets": (), "aggregation": "average"},
         "Indicator 1 aggregation: expected sum (sum(X)/sum(Y)) or last for a percentage "
         "formula, got 'average'"),
        ({"plans": [QuarterlyPlan(2021, (parse_quantity("3 unit"), None, None, None))]},
         "Indicator 1 plan 2021: expected quantities in orang, got '3 unit'"),
        ({"plans": [QuarterlyPlan(2021, (None,) * 4), QuarterlyPlan(2021, (None,) * 4)]},
         "Indicator 1 plans: expected one plan per year, got [2021, 2021]"),
        ({"plans": ["2021"]}, "Indicator.plans: expected QuarterlyPlan, got str '2021'"),
    ],
)  # fmt: skip
def test_invalid_indicators(changes: dict[str, object], message: str) -> None:
    assert invalid(lambda: participants(**changes)) == message


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: QuarterlyPlan(2021, (None, None, None)),
         "QuarterlyPlan.quarters: expected 4 entries, got (None, None, None)"),
        (lambda: QuarterlyPlan(2021, (None, None, None, "3")),  # type: ignore[arg-type]
         "QuarterlyPlan.quarters: expected a Quantity or None, got str '3'"),
    ],
)  # fmt: skip
def test_invalid_plans(build: object, message: str) -> None:
    assert invalid(build) == message


def test_objects_are_frozen() -> None:
    ind = participants()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ind.id = "2"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        Q3.year = 2022  # type: ignore[misc]


@given(indicators())
def test_generated_indicators_are_consistent(ind: Indicator) -> None:
    assert list(ind.years) == sorted(ind.years)
    for target in ind.targets:
        assert ind.target_for(target.year) is target
        if target.value is not None:
            assert target.value.unit.is_compatible(ind.unit)
    assert attrs.evolve(ind) == ind


@given(non_negative_decimals(), unit_spellings())
def test_target_parse_reads_a_written_quantity(magnitude: Decimal, spelling: str) -> None:
    q = get_registry().quantity(magnitude, spelling)
    target = Target.parse(2021, str(q))
    assert target.value == q


# --- realisations ----------------------------------------------------------------------------


def test_realisation_of_a_count() -> None:
    r = Realisation("3:1", Q3, value=parse_quantity("150 orang"), reported_on=dt.date(2021, 10, 5))
    assert not r.is_ratio
    assert r.value == parse_quantity("150 orang peserta")


def test_realisation_of_a_ratio() -> None:
    r = Realisation("1:1", Q3, numerator=3, denominator=Decimal("4"))
    assert r.is_ratio
    assert (r.numerator, r.denominator) == (Decimal(3), Decimal(4))
    # Y = 0 is allowed here: the ratio is undefined, which the engine reports.
    assert Realisation("1:1", Q3, numerator=0, denominator=0).denominator == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "Realisation 1:1 2021-Q3: expected either a value or both numerator and "
         "denominator, got 'numerator=None, denominator=None, value=None'"),
        ({"numerator": 3}, "Realisation 1:1 2021-Q3: expected either a value or both numerator "
         "and denominator, got 'numerator=3, denominator=None, value=None'"),
        ({"denominator": 3}, "Realisation 1:1 2021-Q3: expected either a value or both "
         "numerator and denominator, got 'numerator=None, denominator=3, value=None'"),
        ({"numerator": 3, "denominator": 4, "value": parse_quantity("3 unit")},
         "Realisation 1:1 2021-Q3: expected either a value or both numerator and denominator, "
         "got 'numerator=3, denominator=4, value=3 unit'"),
        ({"numerator": -1, "denominator": 4},
         "Realisation 1:1 2021-Q3 numerator: expected a number >= 0, got '-1'"),
        ({"numerator": 1, "denominator": -4},
         "Realisation 1:1 2021-Q3 denominator: expected a number >= 0, got '-4'"),
        ({"numerator": 1.0, "denominator": 4},
         "Realisation.numerator: expected Decimal or int (floats lose digits; pass "
         "Decimal(str(x))), got float 1.0"),
        ({"numerator": 1, "denominator": Decimal("NaN")},
         "Realisation.denominator: expected a finite Decimal, got Decimal Decimal('NaN')"),
        ({"value": "3 unit"}, "Realisation.value: expected a Quantity or None, got str '3 unit'"),
    ],
)  # fmt: skip
def test_invalid_realisations(kwargs: dict[str, object], message: str) -> None:
    assert invalid(lambda: Realisation("1:1", Q3, **kwargs)) == message  # type: ignore[arg-type]


def test_realisation_needs_an_indicator_and_a_period() -> None:
    assert invalid(lambda: Realisation("", Q3, value=parse_quantity("1 unit"))) == (
        "Realisation.indicator: expected a non-empty text, got ''"
    )
    with pytest.raises(IkiTypeError) as info:
        Realisation("1:1", "2021-Q3", value=parse_quantity("1 unit"))  # type: ignore[arg-type]
    assert str(info.value) == "Realisation.period: expected Period, got str '2021-Q3'"


@given(st.data())
def test_generated_realisations_match_their_indicator(data: st.DataObject) -> None:
    ind = data.draw(indicators())
    r = data.draw(realisations(ind))
    assert r.is_ratio is isinstance(ind.kind, PercentageFormula)
    if r.value is not None:
        assert r.value.unit.is_compatible(ind.unit)


# --- sheets, documents, diagnostics, signatories ---------------------------------------------


def sheet(number: int = 3) -> Sheet:
    reports = Indicator(id="2", name="Jumlah laporan", kind=Count(unit("laporan")))
    return Sheet(
        number,
        "KEPALA BIDANG KEWASPADAAN NASIONAL",
        functions=["a. Penyiapan bahan", "b. Perencanaan"],
        plan_years=range(2018, 2023),
        objectives=[
            Objective("1", "Terlaksananya sosialisasi wawasan", [participants()]),
            Objective("2", "Terlaksananya rapat koordinasi", [reports]),
        ],
    )


def test_sheet_and_document() -> None:
    s = sheet()
    assert [i.id for i in s.indicators] == ["1", "2"]
    assert s.indicator("2").name == "Jumlah laporan"
    assert s.objective_of("2").number == "2"
    assert s.plan_years == (2018, 2019, 2020, 2021, 2022)
    doc = Document([sheet(1), s], source="iki.txt")
    assert [ref for ref, _ in doc.references()] == ["1:1", "1:2", "3:1", "3:2"]
    assert doc.indicator("3:2").name == "Jumlah laporan"
    assert doc.indicator(" 3 : 2 ").name == "Jumlah laporan"
    assert doc.sheet(3) is s


def test_unknown_references() -> None:
    doc = Document([sheet(1)])
    with pytest.raises(UnknownIndicatorError) as info:
        doc.indicator("1:9")
    assert str(info.value) == "no indicator '1:9' (known: 1:1, 1:2)"
    assert isinstance(info.value, KeyError)
    with pytest.raises(UnknownIndicatorError) as info:
        doc.indicator("2")
    assert str(info.value) == "no indicator '2' (known: 1:1, 1:2)"
    with pytest.raises(UnknownIndicatorError) as info:
        doc.sheet(2)
    assert str(info.value) == "no indicator '2:' (known: 1)"
    with pytest.raises(UnknownIndicatorError) as info:
        sheet().indicator("9")
    assert str(info.value) == "no indicator '9' (known: 1, 2)"
    with pytest.raises(UnknownIndicatorError):
        sheet().objective_of("9")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Sheet(1, "x", objectives=[Objective("1", "a", [participants()]),
                                           Objective("2", "b", [participants()])]),
         "Sheet 1 indicator ids: expected unique ids, got ['1']"),
        (lambda: Sheet(1, "x", objectives=["1"]),  # type: ignore[list-item]
         "Sheet.objectives: expected Objective, got str '1'"),
        (lambda: Sheet(1, "x", signatories=["MUZAKAR"]),  # type: ignore[list-item]
         "Sheet.signatories: expected Signatory, got str 'MUZAKAR'"),
        (lambda: Sheet(1, "x", functions="a. Penyiapan bahan"),
         "Sheet.functions: expected a sequence of str, got str 'a. Penyiapan bahan'"),
        (lambda: Sheet(1, "x", plan_years=["2018"]),  # type: ignore[list-item]
         "Sheet.plan_years: expected int, got str '2018'"),
        (lambda: Objective("1", "a", ["1"]),  # type: ignore[list-item]
         "Objective.indicators: expected Indicator, got str '1'"),
        (lambda: Document(["sheet"]),  # type: ignore[list-item]
         "Document.sheets: expected Sheet, got str 'sheet'"),
        (lambda: Document(diagnostics=["warning"]),  # type: ignore[list-item]
         "Document.diagnostics: expected Diagnostic, got str 'warning'"),
        (lambda: Diagnostic(1, "fatal", "x", "m"),  # type: ignore[arg-type]
         "Diagnostic.severity: expected one of error, warning, info, got 'fatal'"),
        (lambda: Diagnostic(1, "error", "", "m"),
         "Diagnostic.code: expected a non-empty text, got ''"),
        (lambda: Signatory("MUZAKAR", role="boss"),  # type: ignore[arg-type]
         "Signatory.role: expected one of approver, owner, got 'boss'"),
    ],
)  # fmt: skip
def test_invalid_containers(build: object, message: str) -> None:
    assert invalid(build) == message


def test_diagnostics() -> None:
    warning = Diagnostic(
        line=92,
        severity="warning",
        code="truncated-target",
        message="target 2018 'dokum' is not a quantity; kept as text",
        text="dokum",
    )
    error = Diagnostic(line=None, severity="error", code="no-table", message="no table found")
    assert str(warning) == (
        "line 92: warning [truncated-target] target 2018 'dokum' is not a quantity; kept as text"
    )
    assert str(error) == "error [no-table] no table found"
    assert Document(diagnostics=[warning, error]).errors == (error,)


def test_source_text() -> None:
    source = SourceText(line=92, cells=(("target 2018", "dokum"), ("Sumber Data", "12 kali")))
    assert source.get("Sumber Data") == "12 kali"
    assert source.get("target 2019") is None
    assert source.get("target 2019", "-") == "-"


def test_a_negative_count_cannot_be_realised() -> None:
    # Counts (orang, unit, a bare number) are of things; only a percentage may be negative.
    with pytest.raises(InvalidValueError) as exc:
        Realisation("2:1.1", Period.parse("2021-Q3"), value=parse_quantity("-5"))
    assert str(exc.value) == (
        "Realisation 2:1.1 2021-Q3 value: expected a count >= 0 (only percentages may be "
        "negative), got '-5'"
    )
    growth = Realisation("9:1", Period.parse("2021"), value=parse_quantity("-2,5%"))
    assert growth.value is not None
    assert growth.value.magnitude == Decimal("-2.5")


def test_reported_on_is_a_date_whatever_it_was_given_as() -> None:
    # Realisation's docstring: a datetime counts by its own date, a text is read as the
    # realisations reader reads the reported_on column (ISO, "5 Oktober 2021", day first).
    def made(reported_on: dt.date | str | None) -> dt.date | None:
        three = parse_quantity("3")
        return Realisation("1:1", Q3, value=three, reported_on=reported_on).reported_on

    assert made(dt.date(2021, 10, 5)) == dt.date(2021, 10, 5)
    assert made(dt.datetime(2021, 10, 5, 23, 59)) == dt.date(2021, 10, 5)
    assert type(made(dt.datetime(2021, 10, 5, 23, 59))) is dt.date
    assert made("2021-10-05") == dt.date(2021, 10, 5)
    assert made("5 Oktober 2021") == dt.date(2021, 10, 5)
    assert made("05/10/2021") == dt.date(2021, 10, 5)
    assert made(None) is None


def test_a_reported_on_that_is_not_a_date_is_refused_naming_the_field() -> None:
    with pytest.raises(IkiTypeError) as exc:
        Realisation("1:1", Q3, value=parse_quantity("3"), reported_on=20211005)  # type: ignore[arg-type]
    assert str(exc.value) == (
        "Realisation.reported_on: expected a date, a datetime or a date text, got int 20211005"
    )
    with pytest.raises(IkiError) as bad:
        Realisation("1:1", Q3, value=parse_quantity("3"), reported_on="31 Juni 2021")
    assert str(bad.value) == (
        "Realisation.reported_on: cannot read '31 Juni 2021' as a period: not a date "
        "(expected e.g. '12 Januari 2021')"
    )


def test_the_shape_rule_is_the_one_the_reader_words() -> None:
    from iki_core.model import shape_problem

    cases = {
        (True, False, False): None,
        (False, True, True): None,
        (True, True, True): "value-and-ratio",
        (True, False, True): "value-and-ratio",
        (False, False, False): "missing-value",
        (False, True, False): "incomplete-ratio",
        (False, False, True): "incomplete-ratio",
    }
    for (value, numerator, denominator), code in cases.items():
        assert shape_problem(value=value, numerator=numerator, denominator=denominator) == code


def _loaded(**changes: object) -> tuple[Indicator, Indicator]:
    """The same fields through the constructor and through the loaders' fast path."""
    fields = _fields(
        {
            "targets": (Target.parse(2021, "250 orang"), Target.parse(2022, "-")),
            "explanation": "Cukup Jelas",
            "source": SourceText(4, (("Indikator Kinerja", "Jumlah peserta"),)),
        }
        | changes
    )
    return Indicator(**fields), loaded_indicator(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"kind": PercentageFormula("X", "Y"), "targets": (Target.parse(2021, "90%"),)},
        {"aggregation": Aggregation.LAST, "polarity": Polarity.LOWER_IS_BETTER},
        {"kind": EventReport(unit("laporan")), "targets": (Target.parse(2021, "2 laporan"),)},
        # out of order: the constructor sorts them
        {"targets": (Target.parse(2022, "3 orang"), Target.parse(2021, "2 orang"))},
    ],
)
def test_a_loaded_indicator_is_the_one_the_constructor_makes(changes: dict[str, object]) -> None:
    made, loaded = _loaded(**changes)
    assert loaded == made
    assert hash(loaded) == hash(made)
    assert repr(loaded) == repr(made)
    assert [t.year for t in loaded.targets] == sorted(t.year for t in made.targets)
    assert attrs.evolve(loaded, name="x") == attrs.evolve(made, name="x")
    assert pickle.loads(pickle.dumps(loaded)) == made


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"targets": (Target.parse(2021, "2 orang"), Target.parse(2021, "3 orang"))},
            "Indicator 1.2 targets: expected one target per year",
        ),
        (
            {"targets": (Target.parse(2021, "2 laporan"),)},
            "Indicator 1.2 target 2021: expected a quantity in orang",
        ),
        (
            {"kind": PercentageFormula(), "aggregation": Aggregation.MAX, "targets": ()},
            "Indicator 1.2 aggregation: expected sum",
        ),
        ({"id": " "}, "Indicator.id: expected a non-empty text"),
    ],
)
def test_a_loaded_indicator_is_refused_as_the_constructor_refuses_it(
    changes: dict[str, object], message: str
) -> None:
    fields = dict(changes)
    with pytest.raises(InvalidValueError, match=re.escape(message)):
        Indicator(**_fields(fields))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=re.escape(message)):
        loaded_indicator(**_fields(fields))  # type: ignore[arg-type]


def _fields(changes: dict[str, object]) -> dict[str, object]:
    return {
        "id": "1.2",
        "name": "Jumlah peserta",
        "kind": Count(unit("orang")),
        "targets": (),
        "polarity": Polarity.HIGHER_IS_BETTER,
        "aggregation": Aggregation.SUM,
        "explanation": "",
        "data_source": "",
        "source": SourceText(4, ()),
    } | changes
