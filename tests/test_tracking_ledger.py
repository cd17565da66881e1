"""The in-memory ledger: entries, corrections, reviews, as-of queries (docs/tracking.md)."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import pytest
from hypothesis import given

from iki_core import Period, parse_quantity
from iki_core.engine import achievements
from iki_core.errors import IkiTypeError, InvalidValueError
from iki_core.model import Count, Document, Indicator, Objective, Sheet, Target
from iki_core.tracking import (
    WIB,
    Entry,
    Evidence,
    Ledger,
    Report,
    Review,
    ReviewState,
    UnknownEntryError,
)
from iki_core.tracking.ledger import LedgerError
from tests.strategies import TRACKING_KEYS, ledger_operations

Q1, Q2, Q3 = (Period.quarter(2021, q) for q in (1, 2, 3))
START = dt.datetime(2021, 4, 1, tzinfo=dt.UTC)


def tracking_document() -> Document:
    """Two counts of people with a target of 400 orang in 2021."""
    unit = parse_quantity("1 orang").unit
    indicators = [
        Indicator(i, f"Jumlah peserta {i}", Count(unit), [Target.parse(2021, "400 orang")])
        for i in ("1", "2")
    ]
    return Document(
        [
            Sheet(
                1,
                "Kepala Bidang",
                plan_years=[2021],
                objectives=[Objective("1", "Sosialisasi", indicators)],
            )
        ]
    )


def ticking(minutes: int = 1) -> tuple[Ledger, list[dt.datetime]]:
    """A ledger whose clock moves ``minutes`` forward at each entry; the moments given."""
    moments: list[dt.datetime] = []

    def clock() -> dt.datetime:
        moments.append(START + dt.timedelta(minutes=minutes * (len(moments) + 1)))
        return moments[-1]

    return Ledger(clock=clock), moments


def report(ref: str, period: Period, value: str, day: int = 5, by: str = "Ani") -> Report:
    return Report(
        ref,
        period,
        value=parse_quantity(value),
        reported_at=dt.datetime(
            2021, period.end.month + 1 if period.end.month < 12 else 12, day, 9, tzinfo=WIB
        ),
        reported_by=by,
    )


# --- the entries --------------------------------------------------------------------------
def test_report_checks_its_fields() -> None:
    with pytest.raises(InvalidValueError) as info:
        Report(
            "1:1",
            Q1,
            value=parse_quantity("3 orang"),
            reported_at=dt.datetime(2021, 4, 5),
            reported_by="Ani",
        )
    assert str(info.value) == (
        "Report.reported_at: expected a datetime with a time zone (e.g. "
        "tzinfo=iki_core.tracking.WIB), got '2021-04-05T00:00:00'"
    )
    with pytest.raises(InvalidValueError) as info:
        Report("1:1", Q1, numerator=3, reported_at=START, reported_by="Ani")
    assert str(info.value).startswith("Realisation 1:1 2021-Q1: expected either a value")
    with pytest.raises(InvalidValueError) as info:
        Report("1:1", Q1, value=parse_quantity("3 orang"), reported_at=START, reported_by=" ")
    assert str(info.value) == (
        "Report 1:1 2021-Q1 reported_by: expected the name or id of who reported, got ' '"
    )
    with pytest.raises(IkiTypeError):
        Report("1:1", Q1, numerator=0.5, denominator=1, reported_at=START, reported_by="Ani")  # type: ignore[arg-type]


def test_review_of_a_rejection_needs_a_reason() -> None:
    with pytest.raises(InvalidValueError) as info:
        Review(1, "rejected", reviewer="Budi")
    assert str(info.value) == (
        "Review.reason: expected a reason for the rejection (the reporter must know what to "
        "correct), got ''"
    )
    with pytest.raises(InvalidValueError) as info:
        Review(1, "approved", reviewer="Budi")
    assert str(info.value) == (
        "Review.state: expected one of submitted, verified, rejected, got 'approved'"
    )


def test_evidence_hashes_the_file(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "daftar_hadir.pdf"  # type: ignore[operator]
    path.write_bytes(b"abc")
    # SHA-256 of "abc", FIPS 180-2 appendix B.1
    assert Evidence.of_file(path).sha256 == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    with pytest.raises(InvalidValueError) as info:
        Evidence("https://drive.example/x.pdf", "abc")
    assert (
        str(info.value) == "Evidence.sha256: expected 64 hexadecimal digits (a SHA-256), got 'abc'"
    )


def test_unknown_entry_error_is_picklable() -> None:
    err = UnknownEntryError(7)
    assert str(err) == "entry 7: the ledger has no such entry"
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err)
    assert isinstance(err, KeyError)


# --- queries -----------------------------------------------------------------------------
def test_correction_supersedes_and_history_keeps_both() -> None:
    ledger, moments = ticking()
    first = ledger.add(report("1:1", Q1, "120 orang"))
    ledger.add(report("1:2", Q1, "80 orang"))
    fix = ledger.add(report("1:1", Q1, "125 orang", day=20))
    assert [str(r.value) for r in ledger.realisations()] == ["125 orang", "80 orang"]
    assert [str(r.value) for r in ledger.realisations(as_of=moments[1])] == [
        "120 orang",
        "80 orang",
    ]
    assert [e.seq for e in ledger.history("1:1", "2021-Q1")] == [first.seq, fix.seq]
    (change,) = ledger.changes(moments[1])
    assert (change.indicator, change.before, change.after) == ("1:1", first, fix)
    assert ledger.changes(moments[2]) == ()


def test_the_realisation_carries_the_report_date() -> None:
    ledger, _ = ticking()
    entry = ledger.add(report("1:1", Q1, "120 orang", day=9))
    (real,) = ledger.realisations()
    assert real.reported_on == dt.date(2021, 4, 9)
    assert real.source is not None
    assert real.source.line == entry.seq


def test_rejection_falls_back_and_verified_only() -> None:
    ledger, moments = ticking()
    a = ledger.add(report("1:1", Q1, "120 orang"))
    ledger.review(a.seq, "verified", reviewer="Budi")
    b = ledger.add(report("1:1", Q1, "999 orang"))
    assert [str(r.value) for r in ledger.realisations()] == ["999 orang"]
    # a correction awaiting review leaves the verified figure in force for verified_only
    assert [str(r.value) for r in ledger.realisations(verified_only=True)] == ["120 orang"]
    ledger.review(b.seq, ReviewState.REJECTED, reviewer="Budi", reason="no attendance list")
    assert [str(r.value) for r in ledger.realisations()] == ["120 orang"]
    assert ledger.state(b.seq) is ReviewState.REJECTED
    assert ledger.state(b.seq, as_of=moments[2]) is ReviewState.SUBMITTED
    assert [str(r.value) for r in ledger.realisations(as_of=moments[2])] == ["999 orang"]


def test_review_of_an_unknown_or_review_entry_is_refused() -> None:
    ledger, _ = ticking()
    a = ledger.add(report("1:1", Q1, "120 orang"))
    r = ledger.review(a.seq, "verified", reviewer="Budi")
    with pytest.raises(UnknownEntryError) as info:
        ledger.review(9, "verified", reviewer="Budi")
    assert str(info.value) == "entry 9: the ledger has no such entry"
    with pytest.raises(UnknownEntryError) as info:
        ledger.review(r.seq, "verified", reviewer="Budi")
    assert str(info.value) == "entry 2: it is a review, not a report"
    with pytest.raises(LedgerError):
        _ = r.report
    assert len(ledger) == 2


def test_add_many_is_all_or_nothing_and_clock_never_goes_back() -> None:
    times = iter([START, START - dt.timedelta(days=1), START + dt.timedelta(days=1)])
    ledger = Ledger(clock=lambda: next(times))
    ledger.add(report("1:1", Q1, "1 orang"))
    with pytest.raises(IkiTypeError):
        ledger.add_many([report("1:1", Q2, "1 orang"), "1:1,2021-Q3,5"])  # type: ignore[list-item]
    assert len(ledger) == 1
    (e,) = ledger.add_many([report("1:2", Q1, "2 orang")])
    assert e.recorded_at == START  # the clock said a day earlier: raised to the last entry


def test_a_naive_clock_is_refused() -> None:
    ledger = Ledger(clock=lambda: dt.datetime(2021, 4, 1))
    with pytest.raises(InvalidValueError) as info:
        ledger.add(report("1:1", Q1, "1 orang"))
    assert str(info.value).startswith("clock(): expected a datetime with a time zone")


# --- the laws ----------------------------------------------------------------------------
def _replay(ops: list[tuple[str, int, int]]) -> tuple[Ledger, list[dt.datetime], list[Entry]]:
    ledger, moments = ticking()
    reports: list[Entry] = []
    for kind, n, value in ops:
        if kind == "report":
            ref, period = TRACKING_KEYS[n]
            reports.append(ledger.add(report(ref, period, f"{value} orang")))
        else:
            reason = "wrong figure" if kind == "rejected" else ""
            ledger.review(reports[n].seq, kind, reviewer="Budi", reason=reason)
    return ledger, moments, reports


def _naive(entries: list[Entry], verified_only: bool) -> dict[tuple[str, Period], Entry]:
    """The rule, stated plainly: per key, the latest report (in order of recording) whose
    latest review up to the moment is not a rejection (a verification, for verified_only)."""
    out: dict[tuple[str, Period], Entry] = {}
    for e in entries:
        if not isinstance(e.item, Report):
            continue
        reviews = [
            x.item.state for x in entries if isinstance(x.item, Review) and x.item.report == e.seq
        ]
        state = reviews[-1] if reviews else ReviewState.SUBMITTED
        ok = state is ReviewState.VERIFIED if verified_only else state is not ReviewState.REJECTED
        if ok:
            out[e.item.key] = e
    return out


@given(ledger_operations())
def test_replay_matches_the_naive_rule_at_every_moment(ops: list[tuple[str, int, int]]) -> None:
    ledger, moments, _ = _replay(ops)
    everything = list(ledger.entries())
    for i, moment in enumerate(moments):
        for verified_only in (False, True):
            assert ledger.effective(as_of=moment, verified_only=verified_only) == _naive(
                everything[: i + 1], verified_only
            )


@given(ledger_operations())
def test_as_of_a_report_reproduces_its_figures(ops: list[tuple[str, int, int]]) -> None:
    document = tracking_document()
    ledger, moments = ticking()
    published: list[list[tuple[str, Decimal | None]]] = []
    reports: list[Entry] = []
    periods = [Q1, Q2]
    for kind, n, value in ops:
        if kind == "report":
            ref, period = TRACKING_KEYS[n]
            reports.append(ledger.add(report(ref, period, f"{value} orang")))
        else:
            reason = "wrong figure" if kind == "rejected" else ""
            ledger.review(reports[n].seq, kind, reviewer="Budi", reason=reason)
        rows = achievements(document, ledger.realisations(), periods)
        published.append([(a.indicator.id, a.percent) for a in rows])
    for moment, figures in zip(moments, published, strict=True):
        rows = achievements(document, ledger.realisations(as_of=moment), periods)
        assert [(a.indicator.id, a.percent) for a in rows] == figures
