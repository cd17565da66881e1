"""Realisation tracking: a ledger of reports with revisions, review and evidence, as-of
queries, reporting completeness, and stores in SQLite or PostgreSQL.

The in-memory :class:`Ledger` needs nothing beyond iki_core; :class:`SqlLedger` (and
:data:`SCHEMA_VERSION`, :class:`SchemaVersionError`) need the ``db`` extra and are
imported on first use. See docs/tracking.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from iki_core.tracking.imports import Imported, import_realisations
from iki_core.tracking.ledger import (
    WIB,
    Change,
    Entry,
    Evidence,
    KeyState,
    Ledger,
    LedgerError,
    Report,
    Review,
    ReviewState,
    UnknownEntryError,
)
from iki_core.tracking.records import realisations_from_records
from iki_core.tracking.reporting import (
    Completeness,
    ExpectedReport,
    Rate,
    ReportStatus,
    completeness,
)

if TYPE_CHECKING:
    from iki_core.tracking.store import SCHEMA_VERSION, SchemaVersionError, SqlLedger

__all__ = [
    "SCHEMA_VERSION",
    "WIB",
    "Change",
    "Completeness",
    "Entry",
    "Evidence",
    "ExpectedReport",
    "Imported",
    "KeyState",
    "Ledger",
    "LedgerError",
    "Rate",
    "Report",
    "ReportStatus",
    "Review",
    "ReviewState",
    "SchemaVersionError",
    "SqlLedger",
    "UnknownEntryError",
    "completeness",
    "import_realisations",
    "realisations_from_records",
]

_STORE = ("SCHEMA_VERSION", "SchemaVersionError", "SqlLedger")


def __getattr__(name: str) -> object:
    # the SQL store imports SQLAlchemy: only when it is asked for
    if name in _STORE:
        from iki_core.tracking import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
