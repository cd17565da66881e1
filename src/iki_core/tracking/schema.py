"""The ledger's database schema: its tables, the guards that keep them append-only, and
the migrations that bring an older schema up to date (see :mod:`iki_core.tracking.store`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from iki_core.tracking.ledger import LedgerError

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SchemaVersionError",
    "entry_table",
    "evidence_table",
    "meta_table",
    "metadata",
]

SCHEMA_VERSION: Final = 1
"""The version of the schema this library writes."""

metadata = sa.MetaData()
meta_table = sa.Table(
    "iki_meta",
    metadata,
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)
entry_table = sa.Table(
    "iki_entry",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("recorded_at", sa.String(32), nullable=False),
    sa.Column("kind", sa.String(6), nullable=False),
    # a report
    sa.Column("indicator", sa.String(100)),
    sa.Column("period", sa.String(16)),
    sa.Column("magnitude", sa.String(80)),
    sa.Column("unit", sa.String(200)),
    sa.Column("value_text", sa.Text),
    sa.Column("noun", sa.Text),
    sa.Column("numerator", sa.String(80)),
    sa.Column("denominator", sa.String(80)),
    sa.Column("reported_at", sa.String(40)),
    sa.Column("reported_by", sa.Text),
    sa.Column("note", sa.Text),
    # a review
    sa.Column("report_seq", sa.Integer, sa.ForeignKey("iki_entry.seq")),
    sa.Column("state", sa.String(10)),
    sa.Column("reviewer", sa.Text),
    sa.Column("reason", sa.Text),
    sa.CheckConstraint("kind IN ('report', 'review')", name="iki_entry_kind"),
    sa.Index("iki_entry_key", "indicator", "period"),
    sa.Index("iki_entry_recorded", "recorded_at"),
    sa.Index("iki_entry_report", "report_seq"),
)
evidence_table = sa.Table(
    "iki_evidence",
    metadata,
    sa.Column("report_seq", sa.Integer, sa.ForeignKey("iki_entry.seq"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("location", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
)

_SQLITE_GUARDS: Final = tuple(
    sa.text(
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
    )
    for table in ("iki_entry", "iki_evidence")
    for op in ("UPDATE", "DELETE")
)
_PG_GUARDS: Final = (
    sa.text(
        "CREATE FUNCTION iki_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
    ),
    *(
        sa.text(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION iki_append_only()"
        )
        for table in ("iki_entry", "iki_evidence")
    ),
    *(
        sa.text(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION iki_append_only()"
        )
        for table in ("iki_entry", "iki_evidence")
    ),
)


def _migrate_to_1(conn: Connection) -> None:
    """Version 1: the entries, their evidence, and the guards against UPDATE and DELETE."""
    metadata.create_all(conn, tables=[entry_table, evidence_table])
    guards = _PG_GUARDS if conn.dialect.name == "postgresql" else _SQLITE_GUARDS
    if conn.dialect.name in ("postgresql", "sqlite"):
        for ddl in guards:
            conn.execute(ddl)


MIGRATIONS: Final[Mapping[int, Callable[[Connection], None]]] = {1: _migrate_to_1}
"""The step that brings the schema from version n - 1 to n, for each n."""


class SchemaVersionError(LedgerError):
    """The database was written by a newer version of the library (or is no ledger)."""

    def __init__(self, location: str, found: int, supported: int) -> None:
        self.location = location
        self.found = found
        self.supported = supported
        super().__init__(
            f"{location}: the ledger's schema is version {found}; this version of iki_core "
            f"reads versions up to {supported} (upgrade iki_core to use this ledger)",
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (SchemaVersionError, (self.location, self.found, self.supported))
