"""The ledger's queries in SQL: the database groups the entries, Python reads the result.

The effective report of an indicator and period as of a moment is the last report
recorded up to then whose latest review up to then did not reject it (with
``verified_only``: did verify it), as :func:`iki_core.tracking.ledger.pick` chooses in
Python. Here one statement finds, for every report, the state its latest review gave
(``GROUP BY report_seq`` with ``max(seq)``), and groups the reports by indicator and
period with ``max(seq)``: the same on SQLite and PostgreSQL, each reading the million
rows of a national ledger once, without building an object per row.

A report's time (``reported_at``) is kept as written, ISO 8601 text in the zone it was
made in. Within one zone the text orders as the time does (the seconds have a fixed
width and a fraction sorts after none: ``.`` follows ``+`` and ``-``), so the earliest
report of a key is ``min(reported_at)`` grouped by the zone as well; the few keys
reported in several zones are compared here as times.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from iki_core.periods import Period
from iki_core.tracking.ledger import Key, KeyState

__all__ = ["chosen", "key_states"]

_ZONE: Final = (
    "CASE WHEN substr(r.reported_at, 20, 1) = '.' THEN substr(r.reported_at, 27) "
    "ELSE substr(r.reported_at, 20) END"
)
"""The zone of ``reported_at`` text: what follows the seconds and their fraction."""


def _states(until: str | None) -> str:
    """The reports with the state their latest review (up to ``until``) gave them."""
    when = "AND recorded_at <= :until" if until is not None else ""
    return (
        "WITH latest AS (SELECT report_seq, max(seq) AS seq FROM iki_entry "
        f"WHERE kind = 'review' {when} GROUP BY report_seq), "
        "reviewed AS (SELECT latest.report_seq, e.state FROM latest "
        "JOIN iki_entry e ON e.seq = latest.seq) "
    )


def _reports(until: str | None) -> str:
    when = "AND r.recorded_at <= :until" if until is not None else ""
    return (
        "FROM iki_entry r LEFT JOIN reviewed v ON v.report_seq = r.seq "
        f"WHERE r.kind = 'report' {when} "
    )


def chosen(until: str | None, *, verified_only: bool) -> sa.TextClause:
    """The statement whose rows are the entry number (``seq``) of the effective report of
    each indicator and period as of ``until`` (UTC text of fixed width, or None: now)."""
    wanted = (
        "v.state = 'verified'" if verified_only else "(v.state IS NULL OR v.state <> 'rejected')"
    )
    sql = (
        _states(until)
        + "SELECT max(r.seq) AS seq "
        + _reports(until)
        + f"AND {wanted} GROUP BY r.indicator, r.period"
    )
    query = sa.text(sql)
    return query.bindparams(until=until) if until is not None else query


def key_states(
    conn: Connection, until: str | None, period: Callable[[str], Period]
) -> dict[Key, KeyState]:
    """The :class:`~iki_core.tracking.ledger.KeyState` of each indicator and period with a
    report not rejected as of ``until``; ``period`` reads a period's text."""
    sql = (
        _states(until)
        + f"SELECT r.indicator, r.period, {_ZONE} AS zone, max(r.seq), "
        + "max(CASE WHEN v.state = 'verified' THEN r.seq END), min(r.reported_at) "
        + _reports(until)
        + "AND (v.state IS NULL OR v.state <> 'rejected') "
        + f"GROUP BY r.indicator, r.period, {_ZONE}"
    )
    query = sa.text(sql)
    if until is not None:
        query = query.bindparams(until=until)
    out: dict[Key, KeyState] = {}
    # one row per key and zone: (last, last verified, first time) of each zone, combined
    found: dict[Key, tuple[int, int, dt.datetime]] = {}
    for indicator, text, _zone, last, verified, first in _rows(conn, query):
        key = (indicator, period(text))
        at = dt.datetime.fromisoformat(first)
        seen = found.get(key)
        if seen is not None:
            last, verified = max(last, seen[0]), max(verified or 0, seen[1])
            at = min(at, seen[2])
        found[key] = (last, verified or 0, at)
    for key, (last, verified, at) in found.items():
        out[key] = KeyState(last, verified == last, at)
    return out


def _rows(
    conn: Connection, query: sa.TextClause
) -> Iterator[tuple[str, str, str, int, int | None, str]]:
    for row in conn.execution_options(yield_per=5000).execute(query):
        yield row[0], row[1], row[2], int(row[3]), None if row[4] is None else int(row[4]), row[5]
