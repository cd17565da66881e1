"""The ``iki`` command: check an IKI document, report achievements, convert formats.

.. code-block:: text

    iki check FILE [--strict] [--sheet N]... [--indicator REF]...
    iki report FILE --realisations CSV|XLSX|- --period 2021-Q3
               [--format table|json|csv|xlsx|html|pdf] [--output FILE] [--layout long|wide]
               [--lang id|en] [--input-lang id|en] [--sheet N]... [--indicator REF]...
               [--skip-invalid] [a rule option per field of iki_core.rules.Rules:
               --lower-is-better, --zero-target-higher, ...]
    iki convert FILE --to json|csv [--sheet N]... [--indicator REF]...
    iki chart FILE -r CSV --period 2021 [--indicator REF | --sheet N] -o FILE.png|.svg
    iki template FILE --year 2021 [--sheet N] [--by quarter|month] [-o FILE.xlsx|.csv]
    iki batch DATASET --period 2025-Q1 --output DIR [--workers N | --scheduler ADDRESS]

Exit status: 0 when the command did its work; 1 when the input has errors
(``check --strict`` with error diagnostics, a realisations file with bad rows,
a document that cannot be read); 2 for usage errors (an unknown option, a
period or number that cannot be read, a file that does not exist).

The options of the rules are made from the fields of :class:`~iki_core.rules.Rules`: each
field is an option (``zero_target_higher`` is ``--zero-target-higher``), its choices those
of its enum, its help the field's documentation. Messages come from the ``cli`` section of
the message catalogue, in English unless the environment variable ``IKI_LANG`` names
another language with a catalogue; the report itself is in the language of ``--lang``.
See docs/cli.md for the output formats.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final, TextIO

from iki_core import loaders, messages
from iki_core.cli_batch import add_batch_parser, run_batch
from iki_core.cli_check import print_check, years_text
from iki_core.cli_rules import (
    RuleOption,
    _lang,
    _t,
    add_profile_argument,
    add_rule_arguments,
    rule_options,
    rules_from,
)
from iki_core.engine import Achievement, achievements
from iki_core.errors import (
    FileReadError,
    IkiError,
    IkiParseError,
    PeriodParseError,
)
from iki_core.model import Document, Realisation
from iki_core.periods import Period, PeriodKind
from iki_core.realisations import RealisationSet, load_realisations
from iki_core.report import (
    Output,
    Report,
    get_output,
    output_for,
    output_names,
    report_rows,
    year_and_quarters,
)
from iki_core.report.commands import (
    Progress,
    add_chart_parser,
    add_selection,
    add_template_parser,
    run_chart,
    run_template,
)
from iki_core.report.select import select_document
from iki_core.tracking.cli import (
    add_report_ledger_arguments,
    add_track_parser,
    ledger_realisations,
    run_track,
)

__all__ = ["main", "report_rows"]

EXIT_OK: Final = 0
EXIT_INPUT: Final = 1
EXIT_USAGE: Final = 2

OPTIONAL_MODULES: Final = {
    "openpyxl": "xlsx",
    "xlsxwriter": "xlsx",
    "docx": "docx",
    "jinja2": "html",
    "matplotlib": "chart",
    "fpdf": "pdf",
    "pdfplumber": "pdf",
    "sqlalchemy": "db",
    "psycopg": "db",
    "pyarrow": "frames",
    "pandas": "frames",
    "polars": "frames",
    "numpy": "columnar",
    "dask": "dask",
    "distributed": "dask",
}
COMMAND_EXTRAS: Final = {"batch": "columnar"}
"""The extra a command needs whatever module it misses of it (``iki batch`` reads Parquet
with pyarrow, which the ``frames`` extra has too, but computes with numpy as well)."""
"""The libraries of the optional extras (pyproject.toml), by the extra that installs them:
a command that needs one that is missing says which extra to install."""


class _UsageError(Exception):
    """A usage problem found after argument parsing (exit status 2)."""


class _NoDocument(Exception):
    """The file was read but holds no sheet (exit status 1)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, _t("error", command=self.prog, message=message) + "\n")


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodParseError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# --- the parser ------------------------------------------------------------------------------
def _parser() -> tuple[argparse.ArgumentParser, tuple[RuleOption, ...]]:
    from iki_core import __version__

    parser = _Parser(prog="iki", description=_t("description"), epilog=_t("epilog"))
    parser.add_argument("--version", action="version", version=f"iki {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    check = sub.add_parser("check", help=_t("check.help"), description=_t("check.description"))
    check.add_argument("file", metavar="FILE", type=Path, help=_t("check.file"))
    check.add_argument("--strict", action="store_true", help=_t("check.strict"))
    add_selection(check)
    check.add_argument(
        "--layout", action="store_true", help=messages.text("diagnostic.layout.help", _lang())
    )
    _number_locale_option(check)

    report = sub.add_parser("report", help=_t("report.help"), description=_t("report.description"))
    report.add_argument("file", metavar="FILE", type=Path, help=_t("document"))
    report.add_argument(
        "--realisations",
        "-r",
        metavar="CSV",
        default=None,
        help=_t("report.realisations"),
    )
    report.add_argument(
        "--period",
        "-p",
        metavar="PERIOD",
        type=_period,
        action="append",
        required=True,
        help=_t("report.period"),
    )
    report.add_argument(
        "--format", "-f", choices=output_names(), default=None, help=_t("report.format")
    )
    report.add_argument(
        "--output", "-o", metavar="FILE", type=Path, default=None, help=_t("report.output")
    )
    report.add_argument(
        "--layout", choices=("long", "wide"), default="long", help=_t("report.layout")
    )
    report.add_argument(
        "--charts",
        choices=("sheet", "indicator", "none"),
        default="sheet",
        help=_t("report.charts"),
    )
    report.add_argument("--no-charts", action="store_true", help=_t("report.no_charts"))
    report.add_argument(
        "--lang", choices=messages.languages(), default="id", help=_t("report.lang")
    )
    report.add_argument("--input-lang", choices=("id", "en"), default="id", help=_t("input_lang"))
    add_selection(report)
    add_profile_argument(report)
    options = rule_options()
    add_rule_arguments(report, options)
    report.add_argument("--skip-invalid", action="store_true", help=_t("report.skip_invalid"))
    _number_locale_option(report)
    add_report_ledger_arguments(report)

    convert = sub.add_parser(
        "convert", help=_t("convert.help"), description=_t("convert.description")
    )
    convert.add_argument("file", metavar="FILE", type=Path, help=_t("document"))
    convert.add_argument("--to", required=True, choices=("json", "csv"), help=_t("convert.to"))
    _number_locale_option(convert)
    add_selection(convert)
    add_chart_parser(sub, _period, options)
    add_template_parser(sub)
    add_track_parser(sub)
    add_batch_parser(sub, _period, options)
    return parser, options


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``iki`` command with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    With standard error closed (``2>&-``) its messages go nowhere and the exit status alone
    tells what happened: the same status as with standard error open, never a traceback,
    and never a message written into the output instead."""
    if _usable(sys.stderr):
        return _main(argv)
    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stderr(sink):
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser, options = _parser()
    args = parser.parse_args(argv)
    args.rule_options = options
    out = sys.stdout
    if out is None or not _usable(out):  # started with standard output closed (... >&-)
        print(
            _t("error", command=f"iki {args.command}", message=_t("closed_output")), file=sys.stderr
        )
        return EXIT_USAGE
    commands: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
        "check": _check,
        "report": _report,
        "convert": _convert,
        "chart": run_chart,
        "template": run_template,
        "track": run_track,
        "batch": run_batch,
    }
    command = f"iki {args.command}"

    def error(message: str) -> None:
        print(_t("error", command=command, message=message), file=sys.stderr)

    try:
        status = commands[args.command](args, out)
        out.flush()  # a write that fails fails here, with its message, not at exit
        return status
    except _UsageError as exc:
        parser.print_usage(sys.stderr)
        error(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:  # the reader of the output went away (iki check FILE | head)
        _drop_output(out)
        return EXIT_OK
    except FileNotFoundError as exc:
        error(_t("no_such_file", path=exc.filename))
        return EXIT_USAGE
    except FileReadError as exc:  # a directory, no permission
        error(str(exc))
        return EXIT_USAGE
    except OSError as exc:
        if exc.filename is None:  # the output cannot be written: a full disk, a closed file
            _drop_output(out)
            error(messages.text("cli.output_failed", _lang(), reason=exc.strerror))
            return EXIT_USAGE
        error(_t("os_error", path=exc.filename, reason=exc.strerror))
        return EXIT_USAGE
    except _NoDocument as exc:
        error(str(exc))
        return EXIT_INPUT
    except IkiParseError as exc:
        for d in exc.diagnostics:
            print(f"{exc.source or args.file}: {d}", file=sys.stderr)
        error(_t("not_read", path=exc.source or args.file))
        return EXIT_INPUT
    except IkiError as exc:
        error(str(exc))
        return EXIT_INPUT
    except ModuleNotFoundError as exc:  # an optional reader or writer that is not installed
        extra = OPTIONAL_MODULES.get((exc.name or "").partition(".")[0])
        if extra is None:
            raise
        if extra != "dask":
            extra = COMMAND_EXTRAS.get(args.command, extra)
        error(_t("missing_extra", module=exc.name, extra=extra))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130  # the shell's status for an interrupted command


def _number_locale_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--number-locale",
        choices=("auto", "id", "en"),
        default="auto",
        help=messages.text("diagnostic.layout.number_locale_help", _lang()),
    )


def _usable(stream: TextIO | None) -> bool:
    """Whether ``stream`` can be written: not None and, when it is a file, its descriptor
    open for writing (a command started with ``2>&-`` has no standard error, or one on a
    descriptor that Python reused for a file it reads)."""
    if stream is None:
        return False
    try:
        fileno = stream.fileno()
    except (OSError, ValueError):  # not a file (a StringIO, a test's capture)
        return True
    try:
        import fcntl  # POSIX: is the descriptor open, and for writing?
    except ImportError:  # pragma: no cover - Windows: a closed descriptor fails fstat
        try:
            os.fstat(fileno)
        except OSError:
            return False
        return True
    try:
        mode = fcntl.fcntl(fileno, fcntl.F_GETFL) & os.O_ACCMODE
    except OSError:
        return False
    # Python may have opened a file of its own (read only) on a descriptor left closed.
    return mode in (os.O_WRONLY, os.O_RDWR)


def _drop_output(out: TextIO) -> None:
    """Send what is left of the output to the null device, so that Python's flush at exit
    raises no second error (a traceback, status 120) after the command has ended."""
    try:
        fileno = out.fileno()
    except (OSError, ValueError):  # not a file (a StringIO of a caller): nothing to flush at exit
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


# --- check -------------------------------------------------------------------------------
def _load(path: Path, number_locale: str = "auto") -> Document:
    if not path.is_file():
        if not path.exists():
            raise FileNotFoundError(2, "No such file or directory", str(path))
        raise _UsageError(_t("not_a_file", path=path))
    options = (
        None if number_locale == "auto" else loaders.LoaderOptions(number_locale=number_locale)
    )
    document = loaders.load(path, options=options)
    if not document.sheets:
        for d in document.diagnostics:
            print(f"{path}: {d}", file=sys.stderr)
        raise _NoDocument(_t("no_sheet", path=path))
    return document


def _selected(args: argparse.Namespace, document: Document) -> Document:
    """``document`` cut down to the ``--sheet`` and ``--indicator`` of ``args``."""
    try:
        return select_document(document, sheets=args.sheet, indicators=args.indicator)
    except IkiError as exc:
        raise _UsageError(str(exc)) from None


def _check(args: argparse.Namespace, out: TextIO) -> int:
    document = _selected(args, _load(args.file, args.number_locale))
    failed = print_check(
        document,
        args.file,
        out,
        strict=args.strict,
        layout=getattr(args, "layout", False),
        number_locale=args.number_locale,
    )
    return EXIT_INPUT if failed else EXIT_OK


# --- convert -----------------------------------------------------------------------------
def _convert(args: argparse.Namespace, out: TextIO) -> int:
    document = _selected(args, _load(args.file, args.number_locale))
    text = loaders.dumps(document, format=args.to)
    out.write(text if text.endswith("\n") else text + "\n")
    if document.diagnostics:
        print(
            _t(
                "convert.summary",
                count=len(document.diagnostics),
                errors=len(document.errors),
                path=args.file,
            ),
            file=sys.stderr,
        )
    if not any(s.indicators for s in document.sheets):
        print(_t("convert.no_indicator", path=args.file), file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK


# --- report ------------------------------------------------------------------------------
def _report(args: argparse.Namespace, out: TextIO) -> int:
    try:
        output = get_output(args.format) if args.format else None
        if output is None:
            output = output_for(args.output) if args.output else get_output("table")
    except IkiError as exc:
        raise _UsageError(_t("bad_output", error=exc)) from None
    if output.binary and args.output is None and out.isatty():
        raise _UsageError(_t("binary_to_terminal", format=output.name))
    if (args.db is None) == (args.realisations is None):
        raise _UsageError(_t("report.one_source"))
    progress = Progress(4)
    progress.step(_t("progress.document"))
    whole = _load(args.file, args.number_locale)
    document = _selected(args, whole)
    periods: list[Period] = sorted(set(args.period))
    if args.layout == "wide":
        # TW I-IV, then the year: the order of the wide table's columns
        periods = [q for y in sorted({p.year for p in periods}) for q in year_and_quarters(y)]
    plan_years = {y for s in document.sheets for y in s.plan_years} or {
        t.year for _, i in document.references() for t in i.targets
    }
    for p in periods:
        if plan_years and p.year not in plan_years:
            raise _UsageError(
                _t("outside_plan", period=p, path=args.file, years=years_text(plan_years))
            )
    progress.step(_t("progress.realisations"))
    realisations = _read_realisations(args, whole, document)
    if realisations is None:
        progress.close()
        return EXIT_INPUT
    rules = rules_from(args, args.rule_options)
    progress.step(_t("progress.compute"))
    history: list[Achievement] = []
    charts = "none" if args.no_charts else args.charts
    if output.name in ("html", "pdf") and charts != "none":
        history = achievements(document, realisations, _chart_periods(periods), rules)
    report = Report(
        document,
        achievements(document, realisations, periods, rules),
        periods,
        rules,
        args.lang,
        document_source=str(args.file),
        realisations_source=str(args.realisations or args.db),
        realisation_count=len(realisations),
        layout=args.layout,
        charts=charts,
        history=history,
    )
    progress.step(_t("progress.write", path=args.output or "-"))
    try:
        _write(output, report, out, args.output)
    finally:
        progress.close()
    return EXIT_OK


def _chart_periods(periods: Sequence[Period]) -> list[Period]:
    """The quarters the charts of a report of ``periods`` draw: those of each year up to
    the last quarter a period reaches (2021-Q3: TW I-III; 2021-08: TW I-III; 2021: all)."""
    last: dict[int, int] = {}
    for p in periods:
        quarter = (p.end.month + 2) // 3
        last[p.year] = max(last.get(p.year, 0), quarter)
    return [Period(y, PeriodKind.QUARTER, q) for y in sorted(last) for q in range(1, last[y] + 1)]


def _write(output: Output, report: Report, out: TextIO, path: Path | None) -> None:
    """Write ``report`` with ``output`` to ``path`` (to ``out`` without one)."""
    if path is None:
        output.write(report, out)
    elif output.binary:
        with path.open("wb") as raw, io.TextIOWrapper(raw, encoding="utf-8") as file:
            output.write(report, file)
    else:
        with path.open("w", encoding="utf-8", newline="") as file:
            output.write(report, file)


def _read_realisations(
    args: argparse.Namespace, whole: Document, document: Document
) -> list[Realisation] | None:
    """The realisations ``args`` name (``-r FILE``, ``-r -`` for standard input, or
    ``--db``), read against the ``whole`` document and kept for the indicators of the
    selected ``document``; None when bad rows stop the command (already reported)."""
    db = getattr(args, "db", None)
    if db is not None:
        rs = ledger_realisations(db, whole, as_of=args.as_of, verified_only=args.verified_only)
    elif args.realisations == "-":
        data = sys.stdin.buffer.read()
        rs = load_realisations(io.BytesIO(data), whole, lang=args.input_lang)
    else:
        path = Path(args.realisations)
        if not path.exists():
            raise FileNotFoundError(2, "No such file or directory", str(path))
        rs = load_realisations(path, whole, lang=args.input_lang)
    if not _report_realisation_problems(rs, args):
        return None
    if document is whole:
        return list(rs.realisations)
    wanted = {ref for ref, _ in document.references()}
    return [r for r in rs.realisations if r.indicator in wanted]


def _report_realisation_problems(rs: RealisationSet, args: argparse.Namespace) -> bool:
    """Print the diagnostics of the realisations file; False when nothing may be computed."""
    name = args.realisations or getattr(args, "db", None)
    for d in rs.diagnostics:
        if d.severity != "error" and d.code != "not-reported":
            print(f"{name}: {d}", file=sys.stderr)
    if rs.not_reported:
        lines = ", ".join(str(n) for n in rs.not_reported)
        print(
            _t("report.not_reported", path=name, count=len(rs.not_reported), lines=lines),
            file=sys.stderr,
        )
    errors = rs.errors
    if not errors:
        return True
    if args.skip_invalid:
        for d in errors:
            print(_t("report.skipped_row", path=name, diagnostic=d), file=sys.stderr)
        lines = ", ".join(str(n) for n in rs.skipped)
        print(_t("report.skipped", count=len(rs.skipped), path=name, lines=lines), file=sys.stderr)
        return True
    for d in errors:
        print(f"{name}: {d}", file=sys.stderr)
    print(_t("report.bad_rows", count=len(rs.skipped), path=name), file=sys.stderr)
    return False


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
