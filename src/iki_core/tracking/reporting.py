"""Reporting completeness and timeliness: which reports were expected, which arrived, on
time or late, verified or not, and which are missing, with the rates DHIS2 reports.

Reports are expected each quarter of the year up to the period asked for, for every
indicator with something to reach in that quarter:

- with a quarterly plan (Rencana Aksi) for the year, in the quarters whose plan entry is
  set ("-" in a quarter: no report expected for it);
- otherwise, when the year's target is set (a "-" target: no report expected that year);
  an event report (:class:`~iki_core.model.EventReport`) only in the quarters that meet
  its active window.

A quarter's report has arrived when the ledger holds, as of the moment asked for, an
effective report for the quarter, or for every month of it (the months of the event
window, for an event report). It arrived when its first report (not rejected) did, and
is on time when that date is within the rules' ``report_grace_days`` after the quarter
ended (:class:`~iki_core.rules.Rules`; None: every report is on time): a correction
made later does not make a report late. It is verified when its effective report (each
of them, for months) is verified as of that moment.

As DHIS2 does, rates are out of the reports expected: reporting rate = arrived /
expected x 100, on time = arrived on time / expected x 100, and here also verified =
verified / expected x 100, rounded once to two decimals, half up; no report expected
gives no rate (None), not 0 or 100.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from typing import Final, Literal

import attrs

from iki_core.messages import text
from iki_core.model import Document, EventReport, Indicator
from iki_core.numbers import Lang, divide, format_number, round_half_up
from iki_core.periods import Period
from iki_core.rules import DEFAULT_RULES, Rules
from iki_core.tracking.ledger import BaseLedger, aware

__all__ = ["Completeness", "ExpectedReport", "Rate", "ReportStatus", "completeness"]

Level = Literal["indicator", "objective", "sheet", "document"]
LEVELS: Final[tuple[Level, ...]] = ("indicator", "objective", "sheet", "document")


class ReportStatus(StrEnum):
    """What became of an expected report."""

    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


@attrs.frozen
class ExpectedReport:
    """One report expected of ``indicator`` for ``period`` (a quarter): its status, when
    it arrived (the first report's ``reported_at``), whether it is verified, and the
    entries of the effective reports that make it up."""

    indicator: str
    period: Period
    status: ReportStatus
    arrived_at: dt.datetime | None = None
    verified: bool = False
    entries: tuple[int, ...] = ()

    @property
    def arrived(self) -> bool:
        return self.status is not ReportStatus.MISSING


def _rate(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else round_half_up(divide(part * 100, whole), 2)


@attrs.frozen
class Rate:
    """The counts and rates of one indicator (``key`` "2:1.1"), objective ("2:1"), sheet
    ("2") or the document ("")."""

    level: Level
    key: str
    name: str
    expected: int
    arrived: int
    on_time: int
    verified: int

    @property
    def late(self) -> int:
        return self.arrived - self.on_time

    @property
    def missing(self) -> int:
        return self.expected - self.arrived

    @property
    def reporting_rate(self) -> Decimal | None:
        """Arrived / expected x 100 (DHIS2 "reporting rate"); None when none expected."""
        return _rate(self.arrived, self.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        """On time / expected x 100 (DHIS2 "reporting rate on time")."""
        return _rate(self.on_time, self.expected)

    @property
    def verified_rate(self) -> Decimal | None:
        """Verified / expected x 100."""
        return _rate(self.verified, self.expected)


@attrs.frozen
class Completeness:
    """The expected reports of a document up to ``period`` and their rates."""

    period: Period
    as_of: dt.datetime | None
    reports: tuple[ExpectedReport, ...]
    rates: tuple[Rate, ...]

    def rate(self, level: Level, key: str = "") -> Rate:
        """The rate of one indicator, objective, sheet or (``"document"``) the document."""
        for r in self.rates:
            if r.level == level and r.key == key:
                return r
        raise KeyError(f"no {level} {key!r} in this completeness report")

    @property
    def missing(self) -> tuple[ExpectedReport, ...]:
        return tuple(r for r in self.reports if r.status is ReportStatus.MISSING)

    def table(self, lang: Lang = "id", levels: Iterable[Level] = LEVELS) -> str:
        """The rates as a plain-text table, one row per indicator, objective, sheet and
        the document (``levels`` picks which)."""
        wanted = set(levels)
        heads = [text(f"track.column.{c}", lang) for c in _COLUMNS]
        rows = [
            [
                text(f"track.level.{r.level}", lang) + (f" {r.key}" if r.key else ""),
                str(r.expected),
                str(r.arrived),
                str(r.on_time),
                str(r.late),
                str(r.verified),
                str(r.missing),
                *(_pct(v, lang) for v in (r.reporting_rate, r.on_time_rate, r.verified_rate)),
            ]
            for r in self.rates
            if r.level in wanted
        ]
        widths = [max(len(row[i]) for row in [heads, *rows]) for i in range(len(heads))]

        def line(cells: list[str]) -> str:
            first = cells[0].ljust(widths[0])
            rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
            return "  ".join([first, *rest]).rstrip()

        title = text("track.completeness_title", lang, period=str(self.period))
        return "\n".join([title, line(heads), *(line(r) for r in rows)]) + "\n"


_COLUMNS: Final = (
    "unit",
    "expected",
    "arrived",
    "on_time",
    "late",
    "verified",
    "missing",
    "reporting_rate",
    "on_time_rate",
    "verified_rate",
)


def _pct(value: Decimal | None, lang: Lang) -> str:
    return "-" if value is None else format_number(value, places=2, lang=lang)


def expected_quarters(indicator: Indicator, year: int, last: int) -> list[tuple[Period, int, int]]:
    """(quarter, first month, last month) of each quarter 1..``last`` of ``year`` in which
    ``indicator`` must report (see the module documentation)."""
    target = indicator.target_for(year)
    plan = indicator.plan_for(year)
    out: list[tuple[Period, int, int]] = []
    kind = indicator.kind
    window = kind.window(year) if isinstance(kind, EventReport) else None
    for q in range(1, last + 1):
        quarter = Period.quarter(year, q)
        first, end = quarter.first_month, quarter.last_month
        if plan is not None:
            if plan.quarters[q - 1] is None:
                continue
        elif target is None or not target.is_set:
            continue
        if window is not None:
            first, end = max(first, window.first_month), min(end, window.last_month)
            if first > end:
                continue
        out.append((quarter, first, end))
    return out


def completeness(
    document: Document,
    ledger: BaseLedger,
    period: Period | str,
    *,
    rules: Rules | None = None,
    as_of: dt.datetime | None = None,
) -> Completeness:
    """The reports ``document`` expects in the quarters of ``period``'s year up to the end
    of ``period`` (2021-Q3: the first three quarters; 2021: all four), as the ``ledger``
    holds them as of a moment (default now)."""
    p = period if isinstance(period, Period) else Period.parse(period, field="period")
    rules = rules if rules is not None else DEFAULT_RULES
    last = p.end.month // 3
    months = [Period.month(p.year, m) for m in range(1, 13)]
    grace = rules.report_grace_days
    as_of = None if as_of is None else aware(as_of, "as_of")
    known = ledger.key_states(as_of=as_of)

    reports: list[ExpectedReport] = []
    rates: list[Rate] = []
    doc_counts = [0, 0, 0, 0]
    for sheet in document.sheets:
        sheet_counts = [0, 0, 0, 0]
        for objective in sheet.objectives:
            obj_counts = [0, 0, 0, 0]
            for ind in objective.indicators:
                ref = f"{sheet.number}:{ind.id}"
                counts = [0, 0, 0, 0]
                for quarter, m1, m2 in expected_quarters(ind, p.year, last):
                    parts = [(ref, quarter)]
                    state = known.get(parts[0])
                    found = [state] if state is not None else []
                    if state is None:
                        parts = [(ref, months[m - 1]) for m in range(m1, m2 + 1)]
                        found = [s for s in map(known.get, parts) if s is not None]
                    if len(found) < len(parts) or not found:
                        status, at, verified = ReportStatus.MISSING, None, False
                    else:
                        at = max(s.first_at for s in found)
                        deadline = None if grace is None else quarter.end + dt.timedelta(days=grace)
                        late = deadline is not None and at.date() > deadline
                        status = ReportStatus.LATE if late else ReportStatus.ON_TIME
                        verified = all(s.verified for s in found)
                    reports.append(
                        ExpectedReport(
                            ref, quarter, status, at, verified, tuple(s.seq for s in found)
                        )
                    )
                    step = (
                        1,
                        status is not ReportStatus.MISSING,
                        status is ReportStatus.ON_TIME,
                        verified,
                    )
                    for c in (counts, obj_counts, sheet_counts, doc_counts):
                        for i, v in enumerate(step):
                            c[i] += int(v)
                rates.append(Rate("indicator", ref, ind.name, *counts))
            key = f"{sheet.number}:{objective.number}"
            rates.append(Rate("objective", key, objective.name, *obj_counts))
        rates.append(Rate("sheet", str(sheet.number), sheet.position, *sheet_counts))
    rates.append(Rate("document", "", "", *doc_counts))
    return Completeness(p, as_of, tuple(reports), tuple(rates))
