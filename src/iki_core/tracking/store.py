"""The ledger in a database: SQLite by default, PostgreSQL by URL, through SQLAlchemy Core.

Needs the ``db`` extra (``pip install "iki-core[db]"``). A store is opened with a path
(a SQLite file) or a database URL (``postgresql+psycopg://user@host/db``):

- Its schema is versioned: :data:`SCHEMA_VERSION` is kept in the ``iki_meta`` table;
  :meth:`SqlLedger.open` brings an older schema up to date with the migrations, in one
  transaction, and refuses a newer one (:class:`SchemaVersionError`) rather than write
  what an older library does not understand.
- Entries are only ever inserted: the store issues no UPDATE or DELETE of entries, and
  the database refuses them (a trigger on each table raises).
- Every write is one transaction that holds the writers' lock from its start (SQLite
  ``BEGIN IMMEDIATE``, a PostgreSQL table lock), so that several processes may add at
  once: none is lost, the numbers follow the order of time, and a writer that dies in
  the middle leaves the database as it was.
- Decimals are stored as text (never as floating point), moments as UTC text of fixed
  width, so that they compare in order in any database.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from iki_core.model import Realisation, SourceText
from iki_core.periods import Period
from iki_core.realisations import RealisationSet
from iki_core.tracking import queries
from iki_core.tracking.ledger import (
    BaseLedger,
    Clock,
    Entry,
    Evidence,
    Key,
    KeyState,
    LedgerError,
    Mark,
    Report,
    Review,
    ReviewState,
    UnknownEntryError,
    aware,
)
from iki_core.tracking.schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    SchemaVersionError,
    entry_table,
    evidence_table,
    meta_table,
    metadata,
)
from iki_core.units import Quantity, Unit, UnitRegistry, get_registry

if TYPE_CHECKING:
    from iki_core.tracking.bulk import Prepared

__all__ = ["SCHEMA_VERSION", "SchemaVersionError", "SqlLedger"]

_BATCH: Final = 5000


def _moment(value: dt.datetime) -> str:
    """A moment as UTC text of fixed width: text order is time order."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _read_moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _engine(target: str | os.PathLike[str]) -> tuple[Engine, str]:
    text = os.fspath(target)
    if "://" in text:
        url = sa.make_url(text)
        shown = url.render_as_string(hide_password=True)
    else:
        url = sa.URL.create("sqlite+pysqlite", database=str(Path(text)))
        shown = text
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": 60})

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_connection: object, record: object) -> None:
            # let SQLAlchemy's "begin" event below issue BEGIN, not the driver
            dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
            cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            write = conn.get_execution_options().get("iki_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    else:
        engine = sa.create_engine(url)
    return engine, shown


class SqlLedger(BaseLedger):
    """The ledger in a SQL database (see the module documentation).

    Open one with :meth:`open` (``create=True`` to make a new one), or :meth:`create`;
    close it with :meth:`close` or use it as a context manager. ``clock`` gives the
    moment of each new entry (default now, in UTC); a moment before the last entry's is
    raised to it.
    """

    def __init__(
        self,
        engine: Engine,
        location: str,
        *,
        clock: Clock | None = None,
        registry: UnitRegistry | None = None,
    ) -> None:
        self.engine = engine
        self.location = location
        self._clock: Clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._registry = registry or get_registry()
        self._units: dict[str, Unit] = {}
        self._periods: dict[str, Period] = {}

    @classmethod
    def open(
        cls,
        target: str | os.PathLike[str],
        *,
        create: bool = False,
        clock: Clock | None = None,
        registry: UnitRegistry | None = None,
    ) -> SqlLedger:
        """Open the ledger at ``target`` (a SQLite file path or a database URL), bringing
        an older schema up to date; with ``create``, make the ledger if there is none.

        Raises :class:`SchemaVersionError` for a newer schema and :class:`LedgerError`
        when there is no ledger and ``create`` is False.
        """
        engine, shown = _engine(target)
        if not create and engine.dialect.name == "sqlite":
            database = engine.url.database
            if database and database != ":memory:" and not Path(database).exists():
                engine.dispose()
                raise LedgerError(f"{shown}: no such ledger (create it with 'iki track init')")
        ledger = cls(engine, shown, clock=clock, registry=registry)
        try:
            ledger._prepare(create)
        except sa.exc.SQLAlchemyError as exc:
            engine.dispose()
            reason = getattr(exc, "orig", None) or exc
            raise LedgerError(f"{shown}: cannot open the ledger: {reason}") from exc
        except BaseException:
            engine.dispose()
            raise
        return ledger

    @classmethod
    def create(
        cls,
        target: str | os.PathLike[str],
        *,
        clock: Clock | None = None,
        registry: UnitRegistry | None = None,
    ) -> SqlLedger:
        """Open the ledger at ``target``, making it when there is none."""
        return cls.open(target, create=True, clock=clock, registry=registry)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> SqlLedger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- schema ------------------------------------------------------------------------
    def _write(self) -> Connection:
        return self.engine.connect().execution_options(iki_write=True)

    def _lock(self, conn: Connection) -> None:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("LOCK TABLE iki_meta IN SHARE ROW EXCLUSIVE MODE"))

    def _prepare(self, create: bool) -> None:
        with self._write() as conn, conn.begin():
            if not sa.inspect(conn).has_table("iki_meta"):
                if not create:
                    raise LedgerError(
                        f"{self.location}: not an iki ledger (no iki_meta table; create one "
                        "with 'iki track init')"
                    )
                metadata.create_all(conn, tables=[meta_table])
                conn.execute(sa.insert(meta_table).values(key="schema_version", value="0"))
            self._lock(conn)
            version = self._version(conn)
            if version > SCHEMA_VERSION:
                raise SchemaVersionError(self.location, version, SCHEMA_VERSION)
            for step in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[step](conn)
                conn.execute(
                    sa.update(meta_table)
                    .where(meta_table.c.key == "schema_version")
                    .values(value=str(step))
                )

    def _version(self, conn: Connection) -> int:
        text = conn.execute(
            sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
        ).scalar_one_or_none()
        if text is None or not text.isdigit():
            raise LedgerError(f"{self.location}: iki_meta has no valid schema_version: {text!r}")
        return int(text)

    @property
    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return self._version(conn)

    # --- writing -----------------------------------------------------------------------
    def _start(self, conn: Connection) -> tuple[int, dt.datetime]:
        """Take the writers' lock; the next sequence number and the moment of now."""
        self._lock(conn)
        last = conn.execute(
            sa.select(sa.func.max(entry_table.c.seq), sa.func.max(entry_table.c.recorded_at))
        ).one()
        now = aware(self._clock(), "clock()").astimezone(dt.UTC)
        if last[1] is not None:
            now = max(now, _read_moment(last[1]))
        return (last[0] or 0) + 1, now

    def add_many(self, reports: Iterable[Report]) -> tuple[Entry, ...]:
        """Record every report at one moment in one transaction: all, or none when
        anything fails (a bad item, the process killed)."""
        out: list[Entry] = []
        with self._write() as conn, conn.begin():
            seq, now = self._start(conn)
            recorded = _moment(now)
            rows: list[dict[str, object]] = []
            evidence: list[dict[str, object]] = []
            texts: dict[object, str] = {}
            for report in reports:
                if not isinstance(report, Report):
                    raise LedgerError(
                        f"add_many: item {len(out)} is a {type(report).__name__}, not a Report"
                    )
                rows.append(_report_row(seq, recorded, report, texts))
                evidence.extend(
                    {"report_seq": seq, "position": i, "location": e.location, "sha256": e.sha256}
                    for i, e in enumerate(report.evidence)
                )
                out.append(Entry(seq, now, report))
                seq += 1
                if len(rows) >= _BATCH:
                    self._insert(conn, rows, evidence)
            self._insert(conn, rows, evidence)
        return tuple(out)

    def add_prepared(self, prepared: Prepared, reported_by: str) -> tuple[int, int, dt.datetime]:
        """Record the rows of a file read the bulk way (:mod:`iki_core.tracking.bulk`) as
        reports by ``reported_by``, at one moment, in one transaction, inserted
        ``executemany`` a chunk at a time; (first entry, last entry, the moment)."""
        columns = (
            "seq, recorded_at, kind, indicator, period, magnitude, unit, value_text, noun, "
            "numerator, denominator, reported_at, reported_by, note"
        )
        with self._write() as conn, conn.begin():
            first, now = self._start(conn)
            recorded = _moment(now)
            mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
            sql = f"INSERT INTO iki_entry ({columns}) VALUES ({', '.join([mark] * 14)})"
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            try:
                for rows in prepared.rows(first, recorded, reported_by, _BATCH * 4):
                    cursor.executemany(sql, rows)
            finally:
                cursor.close()
        return first, first + prepared.count - 1, now

    def _insert(
        self, conn: Connection, rows: list[dict[str, object]], evidence: list[dict[str, object]]
    ) -> None:
        if rows:
            conn.execute(sa.insert(entry_table), rows)
            rows.clear()
        if evidence:
            conn.execute(sa.insert(evidence_table), evidence)
            evidence.clear()

    def review_many(
        self, seqs: Iterable[int], state: ReviewState | str, *, reviewer: str, reason: str = ""
    ) -> tuple[Entry, ...]:
        """Record the same review of the reports of entries ``seqs`` at one moment, all or
        none (an entry that is not a report records nothing)."""
        items = [Review(seq, state, reviewer=reviewer, reason=reason) for seq in seqs]
        out: list[Entry] = []
        with self._write() as conn, conn.begin():
            new, now = self._start(conn)
            wanted = sorted({r.report for r in items})
            kinds: dict[int, str] = {}
            for i in range(0, len(wanted), 500):
                query = sa.select(entry_table.c.seq, entry_table.c.kind).where(
                    entry_table.c.seq.in_(wanted[i : i + 500])
                )
                kinds.update((seq, kind) for seq, kind in conn.execute(query))
            rows: list[dict[str, object]] = []
            for item in items:
                kind = kinds.get(item.report)
                if kind is None:
                    raise UnknownEntryError(item.report)
                if kind != "report":
                    raise UnknownEntryError(item.report, reason="it is a review, not a report")
                rows.append(
                    {
                        **_EMPTY,
                        "seq": new,
                        "recorded_at": _moment(now),
                        "kind": "review",
                        "report_seq": item.report,
                        "state": item.state.value,
                        "reviewer": item.reviewer,
                        "reason": item.reason,
                    }
                )
                out.append(Entry(new, now, item))
                new += 1
            self._insert(conn, rows, [])
        return tuple(out)

    # --- reading -----------------------------------------------------------------------
    def __len__(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(entry_table)).scalar() or 0
            )

    def entries(
        self, *, since: dt.datetime | None = None, until: dt.datetime | None = None
    ) -> Iterator[Entry]:
        query = sa.select(entry_table).order_by(entry_table.c.seq)
        if since is not None:
            query = query.where(entry_table.c.recorded_at > _moment(aware(since, "since")))
        if until is not None:
            query = query.where(entry_table.c.recorded_at <= _moment(aware(until, "until")))
        return self._read(query, evidence_of=None)

    def marks(self, *, until: dt.datetime | None = None) -> Iterator[Mark]:
        c = entry_table.c
        query = sa.select(c.seq, c.indicator, c.period, c.reported_at, c.report_seq, c.state)
        if until is not None:
            query = query.where(c.recorded_at <= _moment(aware(until, "until")))
        states = {s.value: s for s in ReviewState}
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=_BATCH).execute(query.order_by(c.seq))
            for seq, indicator, period, reported_at, report_seq, state in result:
                if indicator is not None:
                    key = (indicator, self._period(period))
                    yield Mark(seq, key, _read_moment(reported_at), None, None)
                else:
                    yield Mark(seq, None, None, report_seq, states[state])

    def entries_at(self, seqs: Iterable[int]) -> dict[int, Entry]:
        wanted = sorted(set(seqs))
        out: dict[int, Entry] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            query = sa.select(entry_table).where(entry_table.c.seq.in_(chunk))
            evidence_of = sa.select(evidence_table.c.report_seq).where(
                evidence_table.c.report_seq.in_(chunk)
            )
            out.update((e.seq, e) for e in self._read(query, evidence_of=evidence_of))
        return out

    def effective(
        self, *, as_of: dt.datetime | None = None, verified_only: bool = False
    ) -> dict[Key, Entry]:
        """The effective report entry of each indicator and period as of a moment: chosen
        by the database (:mod:`iki_core.tracking.queries`), then read in full."""
        chosen = self._chosen(as_of, verified_only)
        query = sa.select(entry_table).join(chosen, chosen.c.seq == entry_table.c.seq)
        found = self._read(query, evidence_of=sa.select(chosen.c.seq))
        return {e.report.key: e for e in found}

    def realisations(
        self, *, as_of: dt.datetime | None = None, verified_only: bool = False
    ) -> RealisationSet:
        """The effective realisations as of a moment, read from the chosen rows straight
        into realisations (no entry built), ordered by indicator and period."""
        chosen = self._chosen(as_of, verified_only)
        c = entry_table.c
        query = sa.select(
            c.seq,
            c.indicator,
            c.period,
            c.magnitude,
            c.unit,
            c.value_text,
            c.noun,
            c.numerator,
            c.denominator,
            c.reported_at,
            c.reported_by,
            c.note,
        ).join(chosen, chosen.c.seq == c.seq)
        values: dict[tuple[object, ...], Quantity] = {}  # a value read once, shared
        with self.engine.connect() as conn:
            rows = conn.execution_options(yield_per=_BATCH).execute(query)
            found = [self._realisation(tuple(row), values) for row in rows]
        found.sort(key=lambda r: (r.indicator, r.period))
        label = "ledger" if as_of is None else f"ledger as of {as_of.isoformat()}"
        return RealisationSet(found, source=label)

    def _realisation(
        self, row: tuple[object, ...], values: dict[tuple[object, ...], Quantity]
    ) -> Realisation:
        """The realisation of a report row, as :meth:`Entry.realisation` gives it."""
        seq, indicator, period, magnitude, unit, value_text, noun = row[:7]
        numerator, denominator, reported_at, reported_by, note = row[7:]
        value = None
        if magnitude is not None:
            value = values.get(row[3:7])
            if value is None:
                value = values[row[3:7]] = Quantity(
                    Decimal(str(magnitude)),
                    self._unit(str(unit or "")),
                    text=_opt(value_text),
                    noun=_opt(noun),
                )
        return Realisation(
            str(indicator),
            self._period(str(period)),
            value=value,
            numerator=_decimal(numerator),
            denominator=_decimal(denominator),
            reported_on=_read_moment(str(reported_at)).date(),
            note=str(note or ""),
            source=SourceText(line=int(str(seq)), cells=(("reported_by", str(reported_by)),)),
        )

    def key_states(self, *, as_of: dt.datetime | None = None) -> dict[Key, KeyState]:
        """The state of each indicator and period, grouped by the database
        (:func:`iki_core.tracking.queries.key_states`)."""
        with self.engine.connect() as conn:
            return queries.key_states(conn, self._until(as_of), self._period)

    def _until(self, as_of: dt.datetime | None) -> str | None:
        return None if as_of is None else _moment(aware(as_of, "as_of"))

    def _chosen(self, as_of: dt.datetime | None, verified_only: bool) -> sa.Subquery:
        statement = queries.chosen(self._until(as_of), verified_only=verified_only)
        return statement.columns(sa.column("seq", sa.Integer)).subquery("chosen")

    def key_entries(self, indicator: str, period: Period) -> Iterator[Entry]:
        reports = sa.select(entry_table.c.seq).where(
            entry_table.c.indicator == indicator, entry_table.c.period == str(period)
        )
        query = (
            sa.select(entry_table)
            .where(sa.or_(entry_table.c.seq.in_(reports), entry_table.c.report_seq.in_(reports)))
            .order_by(entry_table.c.seq)
        )
        return self._read(query, evidence_of=reports)

    def _read(
        self, query: sa.Select[tuple[object, ...]], evidence_of: sa.Select[tuple[int]] | None
    ) -> Iterator[Entry]:
        with self.engine.connect() as conn:
            ev_query = sa.select(evidence_table).order_by(
                evidence_table.c.report_seq, evidence_table.c.position
            )
            if evidence_of is not None:
                ev_query = ev_query.where(evidence_table.c.report_seq.in_(evidence_of))
            evidence: dict[int, list[Evidence]] = {}
            for ev in conn.execute(ev_query):
                evidence.setdefault(ev.report_seq, []).append(Evidence(ev.location, ev.sha256))
            result = conn.execution_options(yield_per=_BATCH).execute(query)
            for row in result:
                yield self._entry(row._mapping, evidence)

    def _entry(self, row: sa.RowMapping, evidence: Mapping[int, list[Evidence]]) -> Entry:
        seq = int(str(row["seq"]))
        recorded = _read_moment(str(row["recorded_at"]))
        if row["kind"] == "review":
            item: Report | Review = Review(
                int(str(row["report_seq"])),
                str(row["state"]),
                reviewer=str(row["reviewer"]),
                reason=str(row["reason"] or ""),
            )
            return Entry(seq, recorded, item)
        value: Quantity | None = None
        if row["magnitude"] is not None:
            value = Quantity(
                Decimal(str(row["magnitude"])),
                self._unit(str(row["unit"] or "")),
                text=_opt(row["value_text"]),
                noun=_opt(row["noun"]),
            )
        report = Report(
            str(row["indicator"]),
            self._period(str(row["period"])),
            value=value,
            numerator=_decimal(row["numerator"]),
            denominator=_decimal(row["denominator"]),
            reported_at=_read_moment(str(row["reported_at"])),
            reported_by=str(row["reported_by"]),
            note=str(row["note"] or ""),
            evidence=evidence.get(seq, ()),
        )
        return Entry(seq, recorded, report)

    def _unit(self, name: str) -> Unit:
        unit = self._units.get(name)
        if unit is None:
            unit = self._units[name] = self._registry.unit(name)
        return unit

    def _period(self, text: str) -> Period:
        period = self._periods.get(text)
        if period is None:
            period = self._periods[text] = Period.parse(text)
        return period


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


_EMPTY: Final[dict[str, object]] = {c.name: None for c in entry_table.columns}


def _report_row(seq: int, recorded: str, r: Report, texts: dict[object, str]) -> dict[str, object]:
    """The row of a report; ``texts`` caches the text of periods and times, which an
    import repeats."""
    value = r.value
    period = texts.get(r.period)
    if period is None:
        period = texts[r.period] = str(r.period)
    moment = (r.reported_at, r.reported_at.utcoffset())  # equal instants, other zones differ
    reported_at = texts.get(moment)
    if reported_at is None:
        reported_at = texts[moment] = r.reported_at.isoformat()
    return {
        "seq": seq,
        "recorded_at": recorded,
        "kind": "report",
        "indicator": r.indicator,
        "period": period,
        "magnitude": None if value is None else str(value.magnitude),
        "unit": None if value is None else value.unit.name,
        "value_text": None if value is None else value.text,
        "noun": None if value is None else value.noun,
        "numerator": None if r.numerator is None else str(r.numerator),
        "denominator": None if r.denominator is None else str(r.denominator),
        "reported_at": reported_at,
        "reported_by": r.reported_by,
        "note": r.note,
        "report_seq": None,
        "state": None,
        "reviewer": None,
        "reason": None,
    }
