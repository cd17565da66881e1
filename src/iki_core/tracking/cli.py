"""The ``iki track`` commands, and the ledger options of ``iki report``.

.. code-block:: text

    iki track init --db FILE
    iki track add DOCUMENT --db FILE --indicator 2:1.1 --period 2021-Q3
                  (--value "95 orang" | --numerator X --denominator Y) --by NAME
                  [--note TEXT] [--evidence PATH|URL#sha256=HEX ...] [--reported-at TIME]
    iki track import DOCUMENT REALISATIONS --db FILE --by NAME [--reported-at TIME]
    iki track verify SEQ... --db FILE --by NAME [--reject REASON]
    iki track history INDICATOR PERIOD --db FILE
    iki track status DOCUMENT --db FILE --period 2021-Q3 [--as-of TIME] [--lang id|en]

``--db`` is a SQLite file or a database URL (``postgresql+psycopg://user@host/db``). A
time is ISO 8601 (``2021-10-15T12:00``, ``2021-10-15T12:00+08:00``); without an offset
it is WIB (UTC+7); a date alone is the end of that day. Exit status: 0 done, 1 errors
in the input (nothing was written), 2 usage errors.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TextIO

import attrs

from iki_core import loaders
from iki_core.errors import IkiError, IkiParseError
from iki_core.messages import text
from iki_core.model import Document
from iki_core.periods import Period
from iki_core.realisations import RealisationSet, check_realisations
from iki_core.rules import DEFAULT_RULES
from iki_core.tracking.ledger import WIB, Entry, Evidence, Report, Review, ReviewState
from iki_core.tracking.records import realisations_from_records
from iki_core.tracking.reporting import completeness

__all__ = [
    "add_report_ledger_arguments",
    "add_track_parser",
    "ledger_realisations",
    "parse_moment",
    "run_track",
]

EXIT_OK: Final = 0
EXIT_INPUT: Final = 1
EXIT_USAGE: Final = 2


def parse_moment(value: str) -> dt.datetime:
    """A moment from ISO 8601 text: WIB when it has no offset, the end of the day for a
    date alone.

    >>> parse_moment("2021-10-15T12:00").isoformat()
    '2021-10-15T12:00:00+07:00'
    >>> parse_moment("2021-10-15").isoformat()
    '2021-10-15T23:59:59.999999+07:00'
    """
    text_ = value.strip()
    try:
        moment = dt.datetime.fromisoformat(text_)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a time such as 2021-10-15T12:00 or 2021-10-15T12:00+08:00, got {value!r}"
        ) from None
    if len(text_) == 10:  # a date alone: the whole of that day
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=WIB)


def _period(value: str) -> Period:
    try:
        return Period.parse(value, field="period")
    except IkiError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _evidence(value: str) -> Evidence:
    location, sep, digest = value.partition("#sha256=")
    try:
        if sep:
            return Evidence(location, digest)
        if "://" in value:
            raise argparse.ArgumentTypeError(
                f"evidence {value!r}: a URL needs its content hash: URL#sha256=HEX"
            )
        return Evidence.of_file(value)
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"evidence {value!r}: {exc.strerror}") from None
    except IkiError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_report_ledger_arguments(report: argparse.ArgumentParser) -> None:
    """Add ``--db``, ``--as-of`` and ``--verified-only`` to the ``iki report`` parser."""
    report.add_argument(
        "--db", metavar="FILE", help="read the realisations from this ledger (file or URL)"
    )
    report.add_argument(
        "--as-of",
        type=parse_moment,
        metavar="TIME",
        help="the figures as the ledger held them at TIME (default: now)",
    )
    report.add_argument(
        "--verified-only", action="store_true", help="only the reports a reviewer verified"
    )


def ledger_realisations(
    db: str,
    document: Document,
    *,
    as_of: dt.datetime | None = None,
    verified_only: bool = False,
) -> RealisationSet:
    """The effective realisations of the ledger ``db`` as of a moment, checked against
    ``document`` (its diagnostics as the CSV reader gives them)."""
    from iki_core.tracking.store import SqlLedger

    with SqlLedger.open(db) as ledger:
        rs = ledger.realisations(as_of=as_of, verified_only=verified_only)
    problems = check_realisations(document, rs.realisations)
    bad = {d.line for d in problems if d.severity == "error"}
    kept = [r for r in rs.realisations if r.source is None or r.source.line not in bad]
    return RealisationSet(kept, problems, sorted(n for n in bad if n is not None), source=db)


def add_track_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``track`` command to the ``iki`` command's subparsers; its handler is
    :func:`run_track` (set as the ``handler`` default)."""
    track: argparse.ArgumentParser = subparsers.add_parser(
        "track",
        help="keep realisation reports in a ledger (SQLite file or database URL)",
        description="A ledger of realisation reports: corrections, verification, "
        "evidence, history and reporting completeness. See docs/tracking.md.",
    )
    track.set_defaults(handler=run_track)
    actions = track.add_subparsers(dest="track_command", metavar="ACTION")
    actions.required = True

    def action(name: str, help_: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = actions.add_parser(name, help=help_, description=help_)
        p.add_argument("--db", required=True, metavar="FILE", help="SQLite file or database URL")
        return p

    action("init", "create a ledger (or bring an older one up to date)")
    add = action("add", "record one report (a correction supersedes the previous one)")
    add.add_argument("document", metavar="DOCUMENT", type=Path, help="the IKI document")
    add.add_argument("--indicator", required=True, help="the reference 'sheet:id', e.g. 2:1.1")
    add.add_argument("--period", required=True, help="a month or quarter: 2021-07, 2021-Q3")
    add.add_argument("--value", help="the realisation: '95 orang', '41'")
    add.add_argument("--numerator", help="X of a percentage formula")
    add.add_argument("--denominator", help="Y of a percentage formula")
    add.add_argument("--note", default="")
    _reporter(add)
    add.add_argument(
        "--evidence",
        type=_evidence,
        action="append",
        default=[],
        metavar="PATH|URL#sha256=HEX",
        help="evidence (bukti dukung): a file (hashed now) or a URL with its SHA-256",
    )
    imp = action("import", "record every row of a realisations file, all or none")
    imp.add_argument("document", metavar="DOCUMENT", type=Path, help="the IKI document")
    imp.add_argument("realisations", metavar="REALISATIONS", type=Path, help="CSV or xlsx")
    _reporter(imp)
    verify = action("verify", "verify (or reject) reports by their entry number")
    verify.add_argument("seqs", metavar="SEQ", type=int, nargs="+")
    verify.add_argument("--by", required=True, help="the reviewer")
    verify.add_argument("--reject", metavar="REASON", help="reject, for this reason")
    history = action("history", "every entry of one indicator and period")
    history.add_argument("indicator", metavar="INDICATOR")
    history.add_argument("period", metavar="PERIOD", type=_period)
    status = action("status", "reporting completeness and timeliness")
    status.add_argument("document", metavar="DOCUMENT", type=Path, help="the IKI document")
    status.add_argument("--period", required=True, type=_period, help="2021-Q3, 2021")
    status.add_argument("--as-of", type=parse_moment, metavar="TIME")
    status.add_argument("--lang", choices=("id", "en"), default="id")
    status.add_argument(
        "--late-after",
        type=int,
        default=DEFAULT_RULES.report_grace_days,
        metavar="DAYS",
        help="a report is late after the quarter's end plus DAYS (default %(default)s)",
    )
    return track


def _reporter(p: argparse.ArgumentParser) -> None:
    p.add_argument("--by", required=True, help="who reports (name or NIP)")
    p.add_argument(
        "--reported-at",
        type=parse_moment,
        metavar="TIME",
        help="when it was reported (default: now)",
    )


def run_track(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run an ``iki track`` action from parsed ``args``; return the exit status."""
    out = out if out is not None else sys.stdout
    from iki_core.tracking.store import SqlLedger

    name = f"iki track {args.track_command}"
    try:
        if args.track_command == "init":
            with SqlLedger.open(args.db, create=True) as ledger:
                print(text("track.init", "en", db=ledger.location, count=len(ledger)), file=out)
            return EXIT_OK
        with SqlLedger.open(args.db) as ledger:
            handler = _HANDLERS[args.track_command]
            return handler(ledger, args, out)
    except FileNotFoundError as exc:
        print(f"{name}: error: no such file: {exc.filename}", file=sys.stderr)
        return EXIT_USAGE
    except IkiParseError as exc:
        for d in exc.diagnostics:
            print(f"{exc.source or ''}: {d}", file=sys.stderr)
        print(f"{name}: error: nothing was recorded", file=sys.stderr)
        return EXIT_INPUT
    except IkiError as exc:
        print(f"{name}: error: {exc}", file=sys.stderr)
        return EXIT_INPUT


def _document(path: Path) -> Document:
    if not path.is_file():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    return loaders.load(path)


def _now(args: argparse.Namespace) -> dt.datetime:
    moment: dt.datetime | None = args.reported_at
    return moment if moment is not None else dt.datetime.now(WIB)


def _add(ledger: Any, args: argparse.Namespace, out: TextIO) -> int:
    document = _document(args.document)
    record = {
        "indicator": args.indicator,
        "period": args.period,
        "value": args.value,
        "numerator": args.numerator,
        "denominator": args.denominator,
        "note": args.note,
    }
    rs = realisations_from_records([{k: v for k, v in record.items() if v}], document)
    if not rs.ok:
        raise IkiParseError(list(rs.diagnostics), source=str(args.document))
    (real,) = rs.realisations
    report = Report.of(real, reported_at=_now(args), reported_by=args.by, evidence=args.evidence)
    entry = ledger.add(report)
    print(
        text("track.added", "en", seq=entry.seq, indicator=real.indicator, period=str(real.period)),
        file=out,
    )
    return EXIT_OK


def _xlsx_as_csv(path: Path) -> str:
    """The first worksheet of an Excel file as CSV text (cells as Excel shows them)."""
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl is in the db extra
        raise IkiError(f"{path}: reading xlsx needs openpyxl (pip install 'iki-core[db]')") from exc
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for row in sheet.iter_rows():
            writer.writerow(
                ["" if c.value is None else _cell(c.value, c.number_format) for c in row]
            )
    finally:
        book.close()
    return buffer.getvalue() + ("\n" if "\n" not in buffer.getvalue() else "")


def _cell(value: object, number_format: str | None) -> str:
    """A cell as CSV text the realisations reader takes: dates in ISO, numbers with a
    decimal comma; a cell formatted as a percentage (Excel stores 0.95 and shows 95%)
    as the percentage it shows."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    # Excel keeps numbers as binary floats; the shortest repr is the number it shows
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    percent = "%" in (number_format or "")
    if percent:
        number *= 100
    plain = f"{number.normalize():f}".replace(".", ",")
    return plain + ("%" if percent else "")


def _import(ledger: Any, args: argparse.Namespace, out: TextIO) -> int:
    document = _document(args.document)
    path: Path = args.realisations
    if not path.is_file():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    source: str | Path = path
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        source = _xlsx_as_csv(path)
    result = ledger.import_realisations(
        source, document, reported_by=args.by, reported_at=_now(args)
    )
    for d in result.diagnostics:
        print(f"{path}: {d}", file=sys.stderr)
    if not result.ok:
        print(
            text("track.import_refused", "en", count=len(result.skipped), file=str(path)),
            file=sys.stderr,
        )
        return EXIT_INPUT
    print(text("track.imported", "en", count=result.count, file=str(path)), file=out)
    return EXIT_OK


def _verify(ledger: Any, args: argparse.Namespace, out: TextIO) -> int:
    state = ReviewState.REJECTED if args.reject else ReviewState.VERIFIED
    entries = ledger.review_many(args.seqs, state, reviewer=args.by, reason=args.reject or "")
    for seq, entry in zip(args.seqs, entries, strict=True):
        print(text(f"track.{state.value}", "en", seq=seq, entry=entry.seq), file=out)
    return EXIT_OK


def _history(ledger: Any, args: argparse.Namespace, out: TextIO) -> int:
    entries: Sequence[Entry] = ledger.history(args.indicator, args.period)
    if not entries:
        print(
            text("track.no_history", "en", indicator=args.indicator, period=str(args.period)),
            file=out,
        )
        return EXIT_OK
    for line in history_lines(entries):
        print(line, file=out)
    return EXIT_OK


def history_lines(entries: Sequence[Entry], lang: str = "en") -> list[str]:
    """One line per entry: number, when recorded, what (a report and its figures, or a
    review), by whom, and the note, evidence or reason."""
    lines: list[str] = []
    for e in entries:
        when = e.recorded_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        item = e.item
        if isinstance(item, Review):
            lines.append(
                text(
                    "track.history_review",
                    lang,
                    seq=e.seq,
                    recorded=when,
                    state=item.state.value,
                    report=item.report,
                    by=item.reviewer,
                    reason=item.reason,
                ).rstrip(" :")
            )
            continue
        figure = (
            str(item.value) if item.value is not None else f"{item.numerator}/{item.denominator}"
        )
        lines.append(
            text(
                "track.history_report",
                lang,
                seq=e.seq,
                recorded=when,
                figure=figure,
                by=item.reported_by,
                reported=item.reported_at.isoformat(timespec="minutes"),
                note=item.note,
            ).rstrip(" :")
        )
        lines.extend(f"    {ev.location} sha256:{ev.sha256}" for ev in item.evidence)
    return lines


def _status(ledger: Any, args: argparse.Namespace, out: TextIO) -> int:
    document = _document(args.document)
    rules = attrs.evolve(DEFAULT_RULES, report_grace_days=args.late_after)
    result = completeness(document, ledger, args.period, rules=rules, as_of=args.as_of)
    out.write(result.table(lang=args.lang))
    return EXIT_OK


_HANDLERS: Final = {
    "add": _add,
    "import": _import,
    "verify": _verify,
    "history": _history,
    "status": _status,
}
