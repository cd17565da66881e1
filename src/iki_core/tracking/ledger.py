"""The ledger of realisation reports: an append-only log with revisions and review.

Every report of a realisation (realisasi) is an :class:`Entry` holding a :class:`Report`:
who reported what for one indicator and period, when, with a note and its evidence (bukti
dukung). A correction is a new report for the same indicator and period that supersedes
the previous one; a review by a superior (verifikasi) is an entry of its own holding a
:class:`Review`. Nothing is overwritten or deleted, so the ledger answers what an auditor
asks: what did the figures say at a given moment, who changed what since, which figures
were verified.

Each entry gets a sequence number and the moment the ledger recorded it
(``recorded_at``, from the ledger's clock, never before the previous entry's). The
*effective* report of an indicator and period as of a moment is the last one recorded up
to that moment that was not rejected as of that moment; with ``verified_only`` it is the
last one verified as of that moment.

>>> import datetime as dt
>>> from iki_core import Period, parse_quantity
>>> clock = iter(dt.datetime(2021, 10, d, 9, tzinfo=dt.timezone.utc) for d in (5, 6, 7, 8))
>>> ledger = Ledger(clock=lambda: next(clock))
>>> q3 = Period.parse("2021-Q3")
>>> first = ledger.add(Report("3:1", q3, value=parse_quantity("95 orang"),
...                           reported_at=dt.datetime(2021, 10, 5, 8, tzinfo=WIB),
...                           reported_by="Ani"))
>>> fix = ledger.add(Report("3:1", q3, value=parse_quantity("97 orang"),
...                         reported_at=dt.datetime(2021, 10, 6, 8, tzinfo=WIB),
...                         reported_by="Ani", note="two sign-in sheets were missed"))
>>> _ = ledger.review(fix.seq, "verified", reviewer="Budi")
>>> [str(r.value) for r in ledger.realisations()]
['97 orang']
>>> [str(r.value) for r in ledger.realisations(as_of=first.recorded_at)]
['95 orang']
>>> [(e.seq, e.kind) for e in ledger.history("3:1", q3)]
[(1, 'report'), (2, 'report'), (3, 'review')]
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Final, Literal, NamedTuple

import attrs

from iki_core.errors import IkiError, IkiTypeError, InvalidValueError
from iki_core.model import Document, Realisation, SourceText
from iki_core.numbers import to_decimal
from iki_core.periods import Period
from iki_core.realisations import RealisationSet
from iki_core.tracking.evidence import Evidence, evidence_tuple
from iki_core.units import Quantity, UnitRegistry

if TYPE_CHECKING:
    from iki_core.tracking.imports import Imported

__all__ = [
    "WIB",
    "Change",
    "Entry",
    "Evidence",
    "KeyState",
    "Ledger",
    "LedgerError",
    "Mark",
    "Report",
    "Review",
    "ReviewState",
    "UnknownEntryError",
]

WIB: Final = dt.timezone(dt.timedelta(hours=7), "WIB")
"""Waktu Indonesia Barat (UTC+7): the zone given to a time written without an offset."""

Clock = Callable[[], dt.datetime]
Key = tuple[str, Period]


class LedgerError(IkiError, ValueError):
    """A ledger or its store refused an operation (the message says what and why)."""


class UnknownEntryError(IkiError, KeyError):
    """A review names an entry the ledger does not hold, or one that is not a report."""

    def __init__(self, seq: int, *, reason: str = "the ledger has no such entry") -> None:
        self.seq = seq
        self.reason = reason
        super().__init__(f"entry {seq}: {reason}", seq=seq, reason=reason)

    def __str__(self) -> str:  # KeyError would quote the message again
        return str(self.args[0])


class ReviewState(StrEnum):
    """The review state of a report: submitted (not reviewed yet, or sent back for review),
    verified (diverifikasi) or rejected (ditolak) by a reviewer."""

    SUBMITTED = "submitted"
    VERIFIED = "verified"
    REJECTED = "rejected"

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


def aware(value: object, field: str) -> dt.datetime:
    """``value`` if it is a timezone-aware datetime; a clear error otherwise."""
    if not isinstance(value, dt.datetime):
        raise IkiTypeError(field=field, expected="a datetime with a time zone", value=value)
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValueError(
            field=field,
            expected="a datetime with a time zone (e.g. tzinfo=iki_core.tracking.WIB)",
            value=value.isoformat(),
        )
    return value


def _reported_at(value: object) -> dt.datetime:
    return aware(value, "Report.reported_at")


def _text(field: str) -> Callable[[object, attrs.Attribute[str], object], None]:
    def check(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
        if not isinstance(value, str):
            raise IkiTypeError(field=field, expected="a str", value=value)

    return check


def _numerator(value: Decimal | int | None) -> Decimal | None:
    return None if value is None else to_decimal(value, field="Report.numerator")


def _denominator(value: Decimal | int | None) -> Decimal | None:
    return None if value is None else to_decimal(value, field="Report.denominator")


@attrs.frozen
class Report:
    """One report of a realisation: what ``reported_by`` reported at ``reported_at`` for
    ``indicator`` (``"2:1.1"``) in ``period`` (a month or a quarter, that period alone).

    Either ``value`` or both ``numerator`` and ``denominator`` (X and Y) are given, as
    for :class:`~iki_core.model.Realisation`, which checks them. ``reported_at`` is a
    timezone-aware datetime: the late-report rule reads its date.
    """

    indicator: str
    period: Period
    value: Quantity | None = attrs.field(default=None, kw_only=True)
    numerator: Decimal | None = attrs.field(default=None, kw_only=True, converter=_numerator)
    denominator: Decimal | None = attrs.field(default=None, kw_only=True, converter=_denominator)
    reported_at: dt.datetime = attrs.field(kw_only=True, converter=_reported_at)
    reported_by: str = attrs.field(kw_only=True, validator=_text("Report.reported_by"))
    note: str = attrs.field(default="", kw_only=True, validator=_text("Report.note"))
    evidence: tuple[Evidence, ...] = attrs.field(default=(), kw_only=True, converter=evidence_tuple)

    def __attrs_post_init__(self) -> None:
        # the realisation's own checks (value or X and Y, no negative count), once
        Realisation(
            self.indicator,
            self.period,
            value=self.value,
            numerator=self.numerator,
            denominator=self.denominator,
        )
        if not self.reported_by.strip():
            raise InvalidValueError(
                field=f"Report {self.indicator} {self.period} reported_by",
                expected="the name or id of who reported",
                value=self.reported_by,
            )

    @property
    def key(self) -> Key:
        """(indicator, period): the reports of one key supersede each other."""
        return (self.indicator, self.period)

    @classmethod
    def of(
        cls,
        realisation: Realisation,
        *,
        reported_at: dt.datetime,
        reported_by: str,
        evidence: Iterable[Evidence] = (),
    ) -> Report:
        """The report of a :class:`~iki_core.model.Realisation` (its note kept)."""
        return cls(
            realisation.indicator,
            realisation.period,
            value=realisation.value,
            numerator=realisation.numerator,
            denominator=realisation.denominator,
            reported_at=reported_at,
            reported_by=reported_by,
            note=realisation.note,
            evidence=tuple(evidence),
        )


def _state(value: ReviewState | str) -> ReviewState:
    try:
        return ReviewState(value)
    except ValueError:
        raise InvalidValueError(
            field="Review.state",
            expected=f"one of {', '.join(s.value for s in ReviewState)}",
            value=value,
        ) from None


@attrs.frozen
class Review:
    """A review of the report recorded as entry ``report``: verified or rejected (or sent
    back to submitted) by ``reviewer``, with the reason."""

    report: int
    state: ReviewState = attrs.field(converter=_state)
    reviewer: str = attrs.field(kw_only=True, validator=_text("Review.reviewer"))
    reason: str = attrs.field(default="", kw_only=True, validator=_text("Review.reason"))

    def __attrs_post_init__(self) -> None:
        if not self.reviewer.strip():
            raise InvalidValueError(
                field="Review.reviewer", expected="the name or id of the reviewer", value=""
            )
        if self.state is ReviewState.REJECTED and not self.reason.strip():
            raise InvalidValueError(
                field="Review.reason",
                expected="a reason for the rejection (the reporter must know what to correct)",
                value=self.reason,
            )


@attrs.frozen
class Entry:
    """An entry of the ledger: its sequence number (from 1, in the order recorded), the
    moment the ledger recorded it, and the report or the review it holds."""

    seq: int
    recorded_at: dt.datetime
    item: Report | Review

    @property
    def kind(self) -> Literal["report", "review"]:
        return "report" if isinstance(self.item, Report) else "review"

    @property
    def report(self) -> Report:
        """The report this entry holds (a :class:`LedgerError` for a review entry)."""
        if not isinstance(self.item, Report):
            raise LedgerError(f"entry {self.seq} is a review, not a report")
        return self.item

    def realisation(self) -> Realisation:
        """The report as the engine takes it: ``reported_on`` is the date of
        ``reported_at`` in its own zone; ``source.line`` is the entry's number."""
        r = self.report
        return Realisation(
            r.indicator,
            r.period,
            value=r.value,
            numerator=r.numerator,
            denominator=r.denominator,
            reported_on=r.reported_at.date(),
            note=r.note,
            source=SourceText(line=self.seq, cells=(("reported_by", r.reported_by),)),
        )


@attrs.frozen
class Change:
    """How the effective report of one indicator and period differs between two moments
    (``before`` or ``after`` is None when there was none)."""

    indicator: str
    period: Period
    before: Entry | None
    after: Entry | None


class Mark(NamedTuple):
    """What the queries need of an entry: its number and, for a report, its key and when
    it was reported; for a review, the report reviewed and the state given."""

    seq: int
    key: Key | None
    reported_at: dt.datetime | None
    report: int | None
    state: ReviewState | None

    @classmethod
    def of(cls, e: Entry) -> Mark:
        item = e.item
        if isinstance(item, Report):
            return cls(e.seq, item.key, item.reported_at, None, None)
        return cls(e.seq, None, None, item.report, item.state)


def index(marks: Iterable[Mark]) -> tuple[dict[Key, list[Mark]], dict[int, ReviewState]]:
    """One pass over the marks (in order): the reports of each key in order, and the latest
    review state of each report reviewed."""
    reports: dict[Key, list[Mark]] = {}
    states: dict[int, ReviewState] = {}
    for m in marks:
        if m.key is not None:
            found = reports.get(m.key)
            if found is None:
                reports[m.key] = [m]
            else:
                found.append(m)
        elif m.report is not None and m.state is not None:
            states[m.report] = m.state
    return reports, states


def pick(
    reports: dict[Key, list[Mark]], states: dict[int, ReviewState], *, verified_only: bool
) -> dict[Key, int]:
    """The entry number of the effective report of each key: the last report not rejected,
    or with ``verified_only`` the last one whose latest review verified it."""
    out: dict[Key, int] = {}
    for key, marks in reports.items():
        for m in reversed(marks):
            state = states.get(m.seq, ReviewState.SUBMITTED)
            if state is ReviewState.VERIFIED or (
                not verified_only and state is ReviewState.SUBMITTED
            ):
                out[key] = m.seq
                break
    return out


class KeyState(NamedTuple):
    """What completeness needs of one indicator and period as of a moment: the entry of
    its effective report (the last one not rejected), whether that report is verified,
    and when the first report not rejected was made (the earliest ``reported_at``)."""

    seq: int
    verified: bool
    first_at: dt.datetime


def key_states(
    reports: dict[Key, list[Mark]], states: dict[int, ReviewState]
) -> dict[Key, KeyState]:
    """The :class:`KeyState` of each key with a report not rejected, from :func:`index`."""
    out: dict[Key, KeyState] = {}
    for key, marks in reports.items():
        usable = [m for m in marks if states.get(m.seq) is not ReviewState.REJECTED]
        if usable:
            last = usable[-1].seq
            first = min(m.reported_at for m in usable if m.reported_at is not None)
            out[key] = KeyState(last, states.get(last) is ReviewState.VERIFIED, first)
    return out


def _utc(moment: dt.datetime | None, field: str) -> dt.datetime | None:
    return None if moment is None else aware(moment, field)


class BaseLedger:
    """The queries of a ledger, over :meth:`entries` (which a store provides)."""

    def entries(
        self, *, since: dt.datetime | None = None, until: dt.datetime | None = None
    ) -> Iterator[Entry]:  # pragma: no cover - every ledger overrides it
        """The entries recorded after ``since`` and up to ``until`` (both optional), in
        order."""
        raise NotImplementedError

    def add(self, report: Report) -> Entry:
        """Record ``report``; return its entry."""
        return self.add_many([report])[0]

    def add_many(self, reports: Iterable[Report]) -> tuple[Entry, ...]:  # pragma: no cover
        """Record every report at one moment, all or none (each store provides it)."""
        raise NotImplementedError

    def import_realisations(
        self,
        source: str | os.PathLike[str] | bytes,
        document: Document,
        *,
        reported_by: str,
        reported_at: dt.datetime,
        registry: UnitRegistry | None = None,
    ) -> Imported:
        """Record every row of a realisations file, or none when any row has an error:
        :func:`iki_core.tracking.imports.import_realisations`."""
        from iki_core.tracking.imports import import_realisations

        return import_realisations(
            self,
            source,
            document,
            reported_by=reported_by,
            reported_at=reported_at,
            registry=registry,
        )

    def review(
        self, seq: int, state: ReviewState | str, *, reviewer: str, reason: str = ""
    ) -> Entry:
        """Record a review of the report of entry ``seq``."""
        return self.review_many([seq], state, reviewer=reviewer, reason=reason)[0]

    def review_many(
        self, seqs: Iterable[int], state: ReviewState | str, *, reviewer: str, reason: str = ""
    ) -> tuple[Entry, ...]:  # pragma: no cover - each store provides it
        """Record the same review of the reports of entries ``seqs`` at one moment."""
        raise NotImplementedError

    def marks(self, *, until: dt.datetime | None = None) -> Iterator[Mark]:
        """The :class:`Mark` of each entry recorded up to ``until``, in order (a store
        reads only the columns they need)."""
        return (Mark.of(e) for e in self.entries(until=until))

    def entries_at(self, seqs: Iterable[int]) -> dict[int, Entry]:
        """The entries of the given numbers."""
        wanted = set(seqs)
        return {e.seq: e for e in self.entries() if e.seq in wanted}

    def key_entries(self, indicator: str, period: Period) -> Iterator[Entry]:
        """The entries of one indicator and period: its reports and their reviews."""
        seqs: set[int] = set()
        for e in self.entries():
            item = e.item
            if isinstance(item, Report):
                if item.key == (indicator, period):
                    seqs.add(e.seq)
                    yield e
            elif item.report in seqs:
                yield e

    def effective(
        self, *, as_of: dt.datetime | None = None, verified_only: bool = False
    ) -> dict[Key, Entry]:
        """The effective report entry of each indicator and period as of a moment
        (default now: every entry)."""
        reports, states = index(self.marks(until=_utc(as_of, "as_of")))
        chosen = pick(reports, states, verified_only=verified_only)
        found = self.entries_at(chosen.values())
        return {key: found[seq] for key, seq in chosen.items()}

    def key_states(self, *, as_of: dt.datetime | None = None) -> dict[Key, KeyState]:
        """The :class:`KeyState` of each indicator and period with a report not rejected
        as of a moment (default now), for :func:`~iki_core.tracking.completeness`."""
        return key_states(*index(self.marks(until=_utc(as_of, "as_of"))))

    def realisations(
        self, *, as_of: dt.datetime | None = None, verified_only: bool = False
    ) -> RealisationSet:
        """The effective realisations as of a moment, for
        :func:`~iki_core.engine.achievements`, ordered by indicator and period."""
        found = self.effective(as_of=as_of, verified_only=verified_only)
        ordered = sorted(found.values(), key=lambda e: (e.report.indicator, e.report.period))
        label = "ledger" if as_of is None else f"ledger as of {as_of.isoformat()}"
        return RealisationSet([e.realisation() for e in ordered], source=label)

    def history(self, indicator: str, period: Period | str) -> tuple[Entry, ...]:
        """Every entry of one indicator and period, reports and reviews, in order."""
        p = period if isinstance(period, Period) else Period.parse(period, field="period")
        return tuple(self.key_entries(indicator, p))

    def state(self, seq: int, *, as_of: dt.datetime | None = None) -> ReviewState:
        """The review state of the report recorded as entry ``seq``, as of a moment."""
        state: ReviewState | None = None
        for m in self.marks(until=_utc(as_of, "as_of")):
            if m.seq == seq:
                if m.key is None:
                    raise UnknownEntryError(seq, reason="it is a review, not a report")
                state = ReviewState.SUBMITTED
            elif m.report == seq and m.state is not None:
                state = m.state
        if state is None:
            raise UnknownEntryError(seq)
        return state

    def changes(
        self, start: dt.datetime, end: dt.datetime | None = None, *, verified_only: bool = False
    ) -> tuple[Change, ...]:
        """What changed in the effective reports between ``start`` and ``end`` (default
        now), ordered by indicator and period."""
        before = self.effective(as_of=start, verified_only=verified_only)
        after = self.effective(as_of=end, verified_only=verified_only)
        keys = sorted(set(before) | set(after))
        return tuple(
            Change(k[0], k[1], before.get(k), after.get(k))
            for k in keys
            if before.get(k) != after.get(k)
        )


class Ledger(BaseLedger):
    """The ledger in memory: the entries in a list, nothing else needed.

    ``clock`` gives the moment of each new entry (default: now, in UTC); a moment before
    the previous entry's is raised to it, so that the order of the entries is the order
    of time.
    """

    def __init__(self, entries: Iterable[Entry] = (), *, clock: Clock | None = None) -> None:
        self._entries: list[Entry] = []
        self._clock: Clock = clock or (lambda: dt.datetime.now(dt.UTC))
        for e in entries:
            self._append(e.recorded_at, e.item)

    def __len__(self) -> int:
        return len(self._entries)

    def entries(
        self, *, since: dt.datetime | None = None, until: dt.datetime | None = None
    ) -> Iterator[Entry]:
        for e in self._entries:
            if since is not None and e.recorded_at <= since:
                continue
            if until is not None and e.recorded_at > until:
                break
            yield e

    def _now(self) -> dt.datetime:
        now = aware(self._clock(), "clock()")
        if self._entries and now < self._entries[-1].recorded_at:
            return self._entries[-1].recorded_at
        return now

    def _append(self, moment: dt.datetime, item: Report | Review) -> Entry:
        if isinstance(item, Review):
            self._target(item.report)
        elif not isinstance(item, Report):
            raise IkiTypeError(field="entry", expected="a Report or a Review", value=item)
        entry = Entry(len(self._entries) + 1, moment, item)
        self._entries.append(entry)
        return entry

    def add_many(self, reports: Iterable[Report]) -> tuple[Entry, ...]:
        """Record every report at one moment, all or none (a bad item records nothing)."""
        items = list(reports)
        for item in items:
            if not isinstance(item, Report):
                raise IkiTypeError(field="reports", expected="Report", value=item)
        now = self._now()
        return tuple(self._append(now, r) for r in items)

    def review_many(
        self, seqs: Iterable[int], state: ReviewState | str, *, reviewer: str, reason: str = ""
    ) -> tuple[Entry, ...]:
        """Record the same review of the reports of entries ``seqs`` at one moment, all or
        none (an entry that is not a report records nothing)."""
        items = [Review(seq, state, reviewer=reviewer, reason=reason) for seq in seqs]
        for item in items:
            self._target(item.report)
        now = self._now()
        return tuple(self._append(now, item) for item in items)

    def _target(self, seq: int) -> Entry:
        target = self._entries[seq - 1] if 0 < seq <= len(self) else None
        if target is None:
            raise UnknownEntryError(seq)
        if not isinstance(target.item, Report):
            raise UnknownEntryError(seq, reason="it is a review, not a report")
        return target
