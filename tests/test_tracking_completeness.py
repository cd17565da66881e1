"""Reporting completeness and timeliness, computed by hand from the rules of
iki_core.tracking.reporting (DHIS2: reporting rate = actual / expected reports, on time
= within the expiry days; here Rules.report_grace_days, default 30)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from iki_core import Period, parse_quantity
from iki_core.model import (
    Count,
    Document,
    EventReport,
    EventWindow,
    Indicator,
    Objective,
    PercentageFormula,
    QuarterlyPlan,
    Sheet,
    Target,
)
from iki_core.rules import DEFAULT_RULES
from iki_core.tracking import WIB, Ledger, Report, ReportStatus, completeness

ORANG = parse_quantity("1 orang").unit


def document() -> Document:
    """A: people, target 400 (a report every quarter). B: a percentage with a Rencana Aksi
    of "-" in Q1 (reports from Q2). C: an election desk active July-September 2021 (Q3
    only). D: no target in 2021 ("-": no report)."""
    pct = parse_quantity("90%")
    a = Indicator("A", "Peserta", Count(ORANG), [Target.parse(2021, "400 orang")])
    b = Indicator(
        "B",
        "Persentase",
        PercentageFormula("X", "Y"),
        [Target.parse(2021, "90%")],
        plans=[QuarterlyPlan(2021, (None, pct, pct, pct))],
    )
    c = Indicator(
        "C",
        "Laporan posko pilkada",
        EventReport(parse_quantity("1 laporan").unit, [EventWindow(2021, 7, 9)]),
        [Target.parse(2021, "3 laporan")],
    )
    d = Indicator("D", "Tanpa target", Count(ORANG), [Target.parse(2021, "-")])
    return Document(
        [
            Sheet(
                1,
                "Kepala Bidang",
                plan_years=[2021],
                objectives=[Objective("1", "Satu", [a, b]), Objective("2", "Dua", [c, d])],
            ),
        ]
    )


def on(month: int, day: int) -> dt.datetime:
    return dt.datetime(2021, month, day, 10, tzinfo=WIB)


def count(ref: str, period: str, value: str, at: dt.datetime) -> Report:
    return Report(
        ref, Period.parse(period), value=parse_quantity(value), reported_at=at, reported_by="Ani"
    )


def ratio(ref: str, period: str, at: dt.datetime) -> Report:
    return Report(
        ref, Period.parse(period), numerator=9, denominator=10, reported_at=at, reported_by="Ani"
    )


def filled_ledger() -> tuple[Ledger, list[dt.datetime]]:
    moments: list[dt.datetime] = []

    def clock() -> dt.datetime:
        moments.append(dt.datetime(2021, 12, 1, tzinfo=dt.UTC) + dt.timedelta(hours=len(moments)))
        return moments[-1]

    ledger = Ledger(clock=clock)
    ledger.add(count("1:A", "2021-Q1", "90 orang", on(4, 5)))  # 1: on time (Q1 + 30 = 30 Apr)
    ledger.add(count("1:A", "2021-Q2", "95 orang", on(8, 15)))  # 2: late (30 Jun + 30 = 30 Jul)
    ledger.add(ratio("1:B", "2021-04", on(5, 3)))  # 3: Q2 by months, May and June missing
    ledger.add(ratio("1:B", "2021-05", on(6, 3)))  # 4
    b_q3 = ledger.add(ratio("1:B", "2021-Q3", on(10, 10)))  # 5: on time
    ledger.review(b_q3.seq, "verified", reviewer="Budi")  # 6
    for month, day in ((7, 5), (8, 5), (9, 20)):  # 7-9: C by months, the last on 20 Oct
        ledger.add(count("1:C", f"2021-{month:02}", "1 laporan", on(10, day)))
    ledger.review(7, "verified", reviewer="Budi")  # 10: one month of three verified
    ledger.add(count("1:A", "2021-Q1", "92 orang", on(11, 30)))  # 11: a late correction
    ledger.add(count("1:D", "2021-Q1", "5 orang", on(4, 1)))  # 12: not expected, not counted
    return ledger, moments


def test_expected_reports_and_their_status() -> None:
    ledger, _ = filled_ledger()
    result = completeness(document(), ledger, "2021-Q3")
    got = [
        (r.indicator, str(r.period), r.status.value, r.verified, r.entries) for r in result.reports
    ]
    assert got == [
        ("1:A", "2021-Q1", "on_time", False, (11,)),  # the first report came on 5 April
        ("1:A", "2021-Q2", "late", False, (2,)),
        ("1:A", "2021-Q3", "missing", False, ()),
        ("1:B", "2021-Q2", "missing", False, (3, 4)),  # June never came
        ("1:B", "2021-Q3", "on_time", True, (5,)),
        ("1:C", "2021-Q3", "on_time", False, (7, 8, 9)),  # arrived 20 Oct, within 30 days
    ]
    assert result.reports[0].arrived_at == on(4, 5)
    assert [str(r.period) for r in result.missing] == ["2021-Q3", "2021-Q2"]


def test_rates_per_indicator_objective_sheet_and_document() -> None:
    ledger, _ = filled_ledger()
    result = completeness(document(), ledger, "2021-Q3")
    a = result.rate("indicator", "1:A")
    # 3 expected, 2 arrived (2/3 = 66.666..% -> 66.67, half up), 1 on time (33.33)
    assert (a.expected, a.arrived, a.on_time, a.late, a.missing, a.verified) == (3, 2, 1, 1, 1, 0)
    assert (a.reporting_rate, a.on_time_rate, a.verified_rate) == (
        Decimal("66.67"),
        Decimal("33.33"),
        Decimal("0.00"),
    )
    d = result.rate("indicator", "1:D")
    assert (d.expected, d.reporting_rate) == (0, None)  # no target, no report expected
    one = result.rate("objective", "1:1")  # A and B: 5 expected, 3 arrived, 2 on time
    assert (one.expected, one.arrived, one.on_time, one.verified) == (5, 3, 2, 1)
    assert result.rate("objective", "1:2").reporting_rate == Decimal("100.00")  # C alone
    doc = result.rate("document")
    # 6 expected: 4 arrived (66.67%), 3 on time (50.00%), 1 verified (16.67%)
    assert (doc.reporting_rate, doc.on_time_rate, doc.verified_rate) == (
        Decimal("66.67"),
        Decimal("50.00"),
        Decimal("16.67"),
    )
    assert result.rate("sheet", "1") == attrs.evolve(
        doc, level="sheet", key="1", name="Kepala Bidang"
    )


def test_as_of_and_grace_rule() -> None:
    ledger, moments = filled_ledger()
    early = completeness(document(), ledger, "2021-Q3", as_of=moments[4])  # entries 1-5
    assert early.rate("document").arrived == 3  # A Q1, A Q2, B Q3; C not yet
    assert early.rate("document").verified == 0
    # a grace of 100 days makes A Q2 (15 Aug, 46 days after 30 June) on time
    lenient = completeness(
        document(),
        ledger,
        Period.parse("2021-Q3"),
        rules=attrs.evolve(DEFAULT_RULES, report_grace_days=100),
    )
    assert lenient.rate("document").on_time == 4
    whole = completeness(document(), ledger, "2021")  # Q4 expected of A and B too
    assert whole.rate("document").expected == 8
    assert [r.status for r in whole.reports if str(r.period) == "2021-Q4"] == [
        ReportStatus.MISSING,
        ReportStatus.MISSING,
    ]


def test_table_in_both_languages() -> None:
    ledger, _ = filled_ledger()
    result = completeness(document(), ledger, "2021-Q3")
    assert result.table("en", levels=["sheet", "document"]) == (
        "REPORTING COMPLETENESS up to 2021-Q3\n"
        "unit      expected  arrived  on time  late  verified  missing  reporting %"
        "  on time %  verified %\n"
        "sheet 1          6        4        3     1         1        2        66.67"
        "      50.00       16.67\n"
        "document         6        4        3     1         1        2        66.67"
        "      50.00       16.67\n"
    )
    assert result.table("id", levels=["document"]).splitlines()[2] == (
        "dokumen      6      4            3          1              1            2    66,67"
        "          50,00            16,67"
    )
