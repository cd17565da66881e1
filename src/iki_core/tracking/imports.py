"""Importing a realisations file into a ledger: every row recorded, or none.

:func:`import_realisations` (also :meth:`BaseLedger.import_realisations
<iki_core.tracking.ledger.BaseLedger.import_realisations>`) reads a realisations file
(the CSV format of :mod:`iki_core.realisations`, an xlsx workbook or a Parquet file)
against a document, and records each row as a report made by ``reported_by`` at the time of
``reported_at`` on the row's ``reported_on`` date (at ``reported_at`` itself when the
row has none). When any row has an error nothing is recorded and the diagnostics say
what and where, as :func:`~iki_core.realisations.load_realisations` words them.

A SQL ledger takes a clean CSV or Parquet file the bulk way
(:mod:`iki_core.tracking.bulk`, with the ``columnar`` extra's pyarrow): read in columns
and written with ``executemany``, without a Python object per row (a Parquet file is
first written as the CSV text the row reader reads: :mod:`iki_core._parquetin`). Any
other file, or a ledger in memory, goes row by row; both record the same entries and
give the same diagnostics.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import attrs

from iki_core._parquetin import is_parquet, parquet_to_csv
from iki_core._realisations_csv import COLUMN_ALIASES
from iki_core._xlsxin import XLSX_MAGIC
from iki_core.model import Diagnostic, Document
from iki_core.realisations import load_realisations, loads_realisations
from iki_core.tracking.ledger import Report, aware
from iki_core.units import UnitRegistry, get_registry

if TYPE_CHECKING:
    from iki_core.tracking.bulk import Prepared
    from iki_core.tracking.ledger import BaseLedger

__all__ = ["Imported", "import_realisations"]

Source = str | os.PathLike[str] | bytes


@runtime_checkable
class _BulkStore(Protocol):
    """A store that writes prepared rows itself (:meth:`SqlLedger.add_prepared
    <iki_core.tracking.store.SqlLedger.add_prepared>`)."""

    def add_prepared(
        self, prepared: Prepared, reported_by: str
    ) -> tuple[int, int, dt.datetime]: ...


@attrs.frozen
class Imported:
    """What an import did: ``count`` entries recorded, numbered ``first`` to ``last``
    at ``recorded_at`` (none, and None, when it was refused), every diagnostic of the
    file (errors refuse it; warnings and notes do not), the lines of the rows in error
    (``skipped``), and whether the rows went the bulk way."""

    count: int
    first: int | None
    last: int | None
    recorded_at: dt.datetime | None
    diagnostics: tuple[Diagnostic, ...] = ()
    skipped: tuple[int, ...] = ()
    bulk: bool = False

    @property
    def ok(self) -> bool:
        """True when the rows were recorded (no row had an error)."""
        return not any(d.severity == "error" for d in self.diagnostics)


def _bytes(source: Source) -> bytes | None:
    """The bytes of a file (None when it cannot be read: the row reader says why)."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, str) and "\n" in source:
        return source.encode("utf-8")
    try:
        return Path(source).read_bytes()
    except OSError:
        return None


def import_realisations(
    ledger: BaseLedger,
    source: Source,
    document: Document,
    *,
    reported_by: str,
    reported_at: dt.datetime,
    registry: UnitRegistry | None = None,
) -> Imported:
    """Record every row of the realisations file ``source`` (a path, its bytes, or CSV
    text; CSV, xlsx or Parquet) in ``ledger``, in one transaction, or none when any row
    has an error (see the module documentation)."""
    at = aware(reported_at, "reported_at")
    registry = registry or get_registry()
    data = _bytes(source)
    if data is not None and is_parquet(data):  # its rows as CSV, the way the bulk reader reads
        data = parquet_to_csv(data, "id", COLUMN_ALIASES).encode("utf-8")
    if (
        data is not None
        and isinstance(ledger, _BulkStore)
        and not data.startswith(XLSX_MAGIC)
        and isinstance(reported_by, str)
        and reported_by.strip()
    ):
        try:
            from iki_core.tracking import bulk
        except ImportError:  # pragma: no cover - without pyarrow: row by row
            pass
        else:
            prepared = bulk.prepare(data, document, registry, at)
            if prepared is not None:
                first, last, moment = ledger.add_prepared(prepared, reported_by)
                return Imported(prepared.count, first, last, moment, bulk=True)
    if isinstance(source, bytes):
        rs = loads_realisations(source, document, registry=registry)
    else:
        rs = load_realisations(source, document, registry=registry)
    if not rs.ok:
        return Imported(0, None, None, None, rs.diagnostics, rs.skipped)
    reports = [
        Report.of(
            r,
            reported_at=at if r.reported_on is None else _on(r.reported_on, at),
            reported_by=reported_by,
        )
        for r in rs.realisations
    ]
    entries = ledger.add_many(reports)
    if not entries:
        return Imported(0, None, None, None, rs.diagnostics)
    return Imported(
        len(entries), entries[0].seq, entries[-1].seq, entries[0].recorded_at, rs.diagnostics
    )


def _on(day: dt.date, at: dt.datetime) -> dt.datetime:
    """The moment of a report dated ``day``: the time of ``at`` on that day."""
    return dt.datetime.combine(day, at.timetz())
