"""The ``iki`` command: check an IKI document, report achievements, convert formats.

.. code-block:: text

    iki check FILE [--strict]
    iki report FILE --realisations CSV --period 2021-Q3 [--format table|json|csv]
               [--lang id|en] [--lower-is-better kondisi_khusus|inverse]
               [--scale NAME] [--cap N|none] [--skip-invalid]
    iki convert FILE --to json|csv

Exit status: 0 when the command did its work; 1 when the input has errors
(``check --strict`` with error diagnostics, a realisations file with bad rows,
a document that cannot be read); 2 for usage errors (an unknown option, a
period or number that cannot be read, a file that does not exist).

See docs/cli.md for the output formats.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Final, TextIO

import attrs

from iki_core import loaders
from iki_core.engine import Achievement, Rollup, Status, achievements, rollup
from iki_core.errors import IkiError, IkiParseError, NumberParseError, PeriodParseError
from iki_core.model import Diagnostic, Document, Range
from iki_core.numbers import Lang, format_number, parse_number
from iki_core.periods import Period
from iki_core.realisations import RealisationSet, load_realisations
from iki_core.rules import (
    DEFAULT_RULES,
    SCALES,
    LowerIsBetterFormula,
    PeriodTarget,
    Rules,
    ZeroDenominator,
)
from iki_core.units import PERCENT, Quantity

__all__ = ["main", "report_rows"]

EXIT_OK: Final = 0
EXIT_INPUT: Final = 1
EXIT_USAGE: Final = 2

STATUS_LABELS: Final[dict[str, dict[str, str]]] = {
    "id": {
        Status.ACHIEVED: "tercapai",
        Status.NOT_ACHIEVED: "belum tercapai",
        Status.NO_TARGET: "tanpa target",
        Status.NO_DATA: "belum ada data",
        Status.UNDEFINED: "tak terdefinisi",
    },
    "en": {
        Status.ACHIEVED: "achieved",
        Status.NOT_ACHIEVED: "not achieved",
        Status.NO_TARGET: "no target",
        Status.NO_DATA: "no data",
        Status.UNDEFINED: "undefined",
    },
}

_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "title": "CAPAIAN KINERJA {period}",
        "document": "Dokumen",
        "realisations": "Realisasi",
        "rows": "baris",
        "sheet": "Lembar",
        "ref": "No",
        "indicator": "Indikator Kinerja",
        "period": "Periode",
        "target": "Target",
        "realised": "Realisasi",
        "percent": "Capaian (%)",
        "progress": "Progres (%)",
        "status": "Status",
        "rating": "Predikat",
        "nilai": "Nilai",
        "objectives": "Capaian per sasaran",
        "sheets": "Capaian per lembar",
        "notes": "Catatan:",
        "objective": "Sasaran",
        "position": "Jabatan",
        "count": "Jml. indikator",
        "legend": "Capaian: realisasi kumulatif s.d. periode terhadap target s.d. periode; "
        "Progres: realisasi kumulatif terhadap target tahunan.",
        "rules": "Aturan: target periode {target}; polaritas negatif {lower}; skala {scale}; "
        "batas atas {cap}.",
        "no_cap": "tidak ada",
        "target_cumulative": "kumulatif s.d. periode",
        "target_annual": "tahunan",
        "lower_kondisi_khusus": "kondisi_khusus, (2T - R) / T",
        "lower_inverse": "inverse, T / R",
    },
    "en": {
        "title": "PERFORMANCE ACHIEVEMENT {period}",
        "document": "Document",
        "realisations": "Realisations",
        "rows": "rows",
        "sheet": "Sheet",
        "ref": "Ref",
        "indicator": "Indicator",
        "period": "Period",
        "target": "Target",
        "realised": "Realised",
        "percent": "Achievement (%)",
        "progress": "Progress (%)",
        "status": "Status",
        "rating": "Rating",
        "nilai": "Nilai",
        "objectives": "Achievement per objective",
        "sheets": "Achievement per sheet",
        "notes": "Notes:",
        "objective": "Objective",
        "position": "Position",
        "count": "Indicators",
        "legend": "Achievement: cumulative realisation to date against the target to date; "
        "Progress: cumulative realisation against the annual target.",
        "rules": "Rules: period target {target}; lower is better by {lower}; scale {scale}; "
        "cap {cap}.",
        "no_cap": "none",
        "target_cumulative": "cumulative to the period",
        "target_annual": "annual",
        "lower_kondisi_khusus": "kondisi_khusus, (2T - R) / T",
        "lower_inverse": "inverse, T / R",
    },
}

NAME_WIDTH: Final = 44
"""Indicator and objective names wrap at this width in the table."""

JSON_KEYS: Final = (
    "indicator",
    "name",
    "period",
    "target",
    "realised",
    "percent",
    "progress",
    "status",
    "rating",
    "nilai",
    "warnings",
)
"""The keys of each object of ``iki report --format json`` (a stable format)."""


class _UsageError(Exception):
    """A usage problem found after argument parsing (exit status 2)."""


class _NoDocument(Exception):
    """The file was read but holds no sheet (exit status 1)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodParseError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _cap(text: str) -> Decimal | None:
    if text.strip().lower() in ("none", "tidak", "no"):
        return None
    try:
        value = parse_number(text, lang="en" if "." in text and "," not in text else "id")
    except NumberParseError as exc:
        raise argparse.ArgumentTypeError(f"{exc} (or 'none' for no cap)") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"cap must be above 0, got {text!r}")
    return value


def _grace_days(text: str) -> int | None:
    if text.strip().lower() in ("none", "tidak", "no"):
        return None
    if not text.strip().isdigit() or not 0 <= int(text) <= 366:
        raise argparse.ArgumentTypeError(
            f"expected a number of days from 0 to 366 or 'none', got {text!r}"
        )
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="iki",
        description="Read IKI (Indikator Kinerja Individu) documents and compute achievement "
        "(capaian) from realisations.",
        epilog="Exit status: 0 done, 1 errors in the input, 2 usage error. "
        "Documentation: docs/cli.md.",
    )
    from iki_core import __version__

    parser.add_argument("--version", action="version", version=f"iki {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    check = sub.add_parser(
        "check",
        help="summarise a document and list what the loader noticed",
        description="Load FILE and print a summary (sheets, indicators by kind, plan years) "
        "and the diagnostics. Exit 0 when the document loads; with --strict, 1 when any "
        "diagnostic is an error.",
    )
    check.add_argument(
        "file", metavar="FILE", type=Path, help="an IKI document (.txt, .csv, .json)"
    )
    check.add_argument("--strict", action="store_true", help="exit 1 on any error diagnostic")

    report = sub.add_parser(
        "report",
        help="achievement of every indicator for a period",
        description="Compute the achievement (capaian) of every indicator of FILE up to a "
        "period from a realisations CSV file, then the roll-ups per objective and sheet.",
    )
    report.add_argument("file", metavar="FILE", type=Path, help="an IKI document")
    report.add_argument(
        "--realisations",
        "-r",
        metavar="CSV",
        type=Path,
        required=True,
        help="realisations: indicator,period,value,numerator,denominator[,reported_on,note]",
    )
    report.add_argument(
        "--period",
        "-p",
        metavar="PERIOD",
        type=_period,
        action="append",
        required=True,
        help="the period to report (2021-Q3, 'TW III 2021', 2021-S1, 2021-07, 2021); "
        "repeat for several",
    )
    report.add_argument("--format", "-f", choices=("table", "json", "csv"), default="table")
    report.add_argument(
        "--lang",
        choices=("id", "en"),
        default="id",
        help="labels and numbers: Indonesian ('95,83', '1.250', the default) or English",
    )
    report.add_argument(
        "--lower-is-better",
        choices=[f.value for f in LowerIsBetterFormula],
        default=DEFAULT_RULES.lower_is_better.value,
        help="formula for lower-is-better indicators (default %(default)s: (2T - R) / T "
        "x 100, PermenPANRB 8/2021; inverse: T / R x 100)",
    )
    report.add_argument(
        "--scale",
        choices=sorted(SCALES),
        default=DEFAULT_RULES.scale.key,
        help="rating scale (default %(default)s)",
    )
    report.add_argument(
        "--cap",
        type=_cap,
        default=DEFAULT_RULES.cap,
        metavar="N",
        help="cap achievements at N percent ('120'), or 'none' (default: "
        f"{DEFAULT_RULES.cap if DEFAULT_RULES.cap is not None else 'none'})",
    )
    report.add_argument(
        "--period-target",
        choices=[t.value for t in PeriodTarget],
        default=DEFAULT_RULES.period_target.value,
        help="what a quarter is measured against (default %(default)s: the target to date, "
        "Rencana Aksi practice; annual: the whole annual target, Permendagri 86/2017)",
    )
    report.add_argument(
        "--zero-denominator",
        choices=[z.value for z in ZeroDenominator],
        default=DEFAULT_RULES.zero_denominator.value,
        help="the value of X/Y when the sum of Y is 0 (default %(default)s)",
    )
    report.add_argument(
        "--late-after",
        type=_grace_days,
        default=DEFAULT_RULES.report_grace_days,
        metavar="DAYS",
        help="warn of a realisation reported more than DAYS after the end of the period "
        "(default %(default)s; 'none' turns the warning off)",
    )
    report.add_argument(
        "--skip-invalid",
        action="store_true",
        help="leave out bad rows of the realisations file (listed on stderr) instead of "
        "refusing the file",
    )

    convert = sub.add_parser(
        "convert",
        help="write a document as JSON or CSV",
        description="Load FILE and write it to standard output as JSON or CSV.",
    )
    convert.add_argument("file", metavar="FILE", type=Path, help="an IKI document")
    convert.add_argument("--to", required=True, choices=("json", "csv"), help="output format")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``iki`` command with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    out = sys.stdout
    commands: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
        "check": _check,
        "report": _report,
        "convert": _convert,
    }
    try:
        return commands[args.command](args, out)
    except _UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"iki {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # the reader of the output went away (iki check FILE | head)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes at exit
        return EXIT_OK
    except FileNotFoundError as exc:
        print(f"iki {args.command}: error: no such file: {exc.filename}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"iki {args.command}: error: {exc.filename}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    except _NoDocument as exc:
        print(f"iki {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except IkiParseError as exc:
        for d in exc.diagnostics:
            print(f"{exc.source or args.file}: {d}", file=sys.stderr)
        print(f"iki {args.command}: error: {exc.source or args.file} was not read", file=sys.stderr)
        return EXIT_INPUT
    except IkiError as exc:
        print(f"iki {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130  # the shell's status for an interrupted command


# --- check -------------------------------------------------------------------------------
def _load(path: Path) -> Document:
    if not path.is_file():
        if not path.exists():
            raise FileNotFoundError(2, "No such file or directory", str(path))
        raise _UsageError(f"{path} is not a file")
    document = loaders.load(path)
    if not document.sheets:
        for d in document.diagnostics:
            print(f"{path}: {d}", file=sys.stderr)
        raise _NoDocument(f"{path}: no IKI sheet found (is it an IKI document?)")
    return document


def _years(years: Iterable[int]) -> str:
    ys = sorted(set(years))
    if not ys:
        return "-"
    if ys == list(range(ys[0], ys[-1] + 1)) and len(ys) > 1:
        return f"{ys[0]}-{ys[-1]}"
    return ", ".join(str(y) for y in ys)


def _kinds(counts: Counter[str]) -> str:
    names = {"percentage": "percentage", "count": "count", "event_report": "event report"}
    parts = [f"{counts[k]} {label}" for k, label in names.items() if counts[k]]
    return ", ".join(parts) or "none"


def _check(args: argparse.Namespace, out: TextIO) -> int:
    document = _load(args.file)
    indicators = [i for s in document.sheets for i in s.indicators]
    kinds = Counter(i.kind.name for i in indicators)
    years = [y for s in document.sheets for y in (s.plan_years or ())]
    print(f"{args.file}", file=out)
    print(
        f"  {len(document.sheets)} sheets, {len(indicators)} indicators ({_kinds(kinds)}), "
        f"plan years {_years(years)}",
        file=out,
    )
    for sheet in document.sheets:
        sk = Counter(i.kind.name for i in sheet.indicators)
        print(
            f"  sheet {sheet.number}: {len(sheet.objectives)} objectives, "
            f"{len(sheet.indicators)} indicators ({_kinds(sk)}), "
            f"plan years {_years(sheet.plan_years)}: {sheet.position}",
            file=out,
        )
    severities = Counter(d.severity for d in document.diagnostics)
    print(
        f"diagnostics: {severities['error']} errors, {severities['warning']} warnings, "
        f"{severities['info']} notes",
        file=out,
    )
    for d in document.diagnostics:
        print(f"  {_diagnostic(d)}", file=out)
    if args.strict and severities["error"]:
        print(
            f"iki check: {severities['error']} error diagnostic(s) in {args.file} (--strict)",
            file=sys.stderr,
        )
        return EXIT_INPUT
    return EXIT_OK


def _diagnostic(d: Diagnostic) -> str:
    sheet = f" (sheet {d.sheet})" if d.sheet is not None else ""
    return f"{d}{sheet}"


# --- convert -----------------------------------------------------------------------------
def _convert(args: argparse.Namespace, out: TextIO) -> int:
    document = _load(args.file)
    text = loaders.dumps(document, format=args.to)
    out.write(text if text.endswith("\n") else text + "\n")
    errors = len(document.errors)
    if document.diagnostics:
        print(
            f"iki convert: {len(document.diagnostics)} diagnostic(s), {errors} error(s) in "
            f"{args.file}; see 'iki check {args.file}'",
            file=sys.stderr,
        )
    return EXIT_OK


# --- report ------------------------------------------------------------------------------
def _report(args: argparse.Namespace, out: TextIO) -> int:
    document = _load(args.file)
    if not args.realisations.exists():
        raise FileNotFoundError(2, "No such file or directory", str(args.realisations))
    periods: list[Period] = sorted(set(args.period))
    plan_years = {y for s in document.sheets for y in s.plan_years} or {
        t.year for _, i in document.references() for t in i.targets
    }
    for p in periods:
        if plan_years and p.year not in plan_years:
            raise _UsageError(
                f"argument --period: {p} is outside the plan years of {args.file} "
                f"({_years(plan_years)})"
            )
    realisations = load_realisations(args.realisations, document)
    if not _report_realisation_problems(realisations, args):
        return EXIT_INPUT
    rules = attrs.evolve(
        DEFAULT_RULES,
        lower_is_better=LowerIsBetterFormula(args.lower_is_better),
        scale=SCALES[args.scale],
        cap=args.cap,
        period_target=PeriodTarget(args.period_target),
        zero_denominator=ZeroDenominator(args.zero_denominator),
        report_grace_days=args.late_after,
    )
    rows = achievements(document, realisations.realisations, periods, rules)
    lang: Lang = args.lang
    if args.format == "json":
        json.dump(report_rows(rows), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "csv":
        _write_csv(rows, out, lang)
    else:
        objectives = rollup(rows, document, level="objective", rules=rules)
        sheets = rollup(rows, document, level="sheet", rules=rules)
        header = _header(args, realisations, periods, rules, lang)
        has_nilai = any(b.nilai is not None for b in rules.scale.bands)
        out.write(
            _table(document, rows, objectives, sheets, periods, header, lang, nilai=has_nilai)
        )
    return EXIT_OK


def _report_realisation_problems(rs: RealisationSet, args: argparse.Namespace) -> bool:
    """Print the diagnostics of the realisations file; False when nothing may be computed."""
    name = args.realisations
    for d in rs.diagnostics:
        if d.severity != "error":
            print(f"{name}: {d}", file=sys.stderr)
    errors = rs.errors
    if not errors:
        return True
    if args.skip_invalid:
        for d in errors:
            print(f"{name}: skipped {d}", file=sys.stderr)
        print(
            f"iki report: skipped {len(rs.skipped)} bad row(s) of {name} "
            f"(lines {', '.join(str(n) for n in rs.skipped)})",
            file=sys.stderr,
        )
        return True
    for d in errors:
        print(f"{name}: {d}", file=sys.stderr)
    print(
        f"iki report: error: {len(rs.skipped)} bad row(s) in {name}; nothing computed "
        "(correct them, or pass --skip-invalid to leave them out)",
        file=sys.stderr,
    )
    return False


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value.quantize(Decimal("0.01")), "f")


def _plain(value: Decimal) -> str:
    """A Decimal as JSON text: exact when it has at most 4 decimals, else rounded to 4."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        value = value.quantize(Decimal("0.0001"))
    return format(value, "f")


def _quantity_json(q: Quantity | Range | None) -> dict[str, str] | None:
    if q is None:
        return None
    if isinstance(q, Range):
        return {
            "low": _plain(q.low.magnitude),
            "high": _plain(q.high.magnitude),
            "unit": q.unit.name,
        }
    return {"value": _plain(q.magnitude), "unit": q.unit.name}


def report_rows(rows: Iterable[Achievement]) -> list[dict[str, object]]:
    """The achievements as the objects of the stable JSON format (docs/cli.md).

    ``percent`` and ``progress`` are decimal strings with two places
    (``"95.83"``) or None; ``target`` and ``realised`` are ``{"value": "412.5",
    "unit": "orang"}`` or None; ``status`` is one of achieved, not_achieved,
    no_target, no_data, undefined; ``nilai`` is the nilai capaian as a decimal string
    (``"114.44"``), or None when the scale has no nilai or there is no percent.
    """
    return [
        {
            "indicator": a.reference,
            "name": a.indicator.name,
            "period": str(a.period),
            "target": _quantity_json(a.target),
            "realised": _quantity_json(a.realised),
            "percent": _decimal(a.percent),
            "progress": _decimal(a.progress),
            "status": str(a.status.value),
            "rating": a.rating,
            "nilai": _decimal(a.nilai),
            "warnings": list(a.warnings),
        }
        for a in rows
    ]


def _write_csv(rows: Iterable[Achievement], out: TextIO, lang: Lang) -> None:
    # Indonesian spreadsheets read ';'-separated files with decimal commas.
    writer = csv.writer(out, delimiter=";" if lang == "id" else ",", lineterminator="\n")
    writer.writerow(
        [
            "indicator",
            "name",
            "period",
            "target",
            "target_unit",
            "realised",
            "realised_unit",
            "percent",
            "progress",
            "status",
            "rating",
        ]
    )

    def number(value: Decimal | None) -> str:
        return "" if value is None else format_number(value, places=2, lang=lang, grouping=False)

    def amount(q: Quantity | None) -> tuple[str, str]:
        if q is None:
            return "", ""
        return _amount(q.magnitude, lang, grouping=False), q.unit.name

    for a in rows:
        writer.writerow(
            [
                a.reference,
                a.indicator.name,
                str(a.period),
                *amount(a.target),
                *amount(a.realised),
                number(a.percent),
                number(a.progress),
                a.status.value,
                a.rating or "",
            ]
        )


def _amount(value: Decimal, lang: Lang, *, grouping: bool = True) -> str:
    """A magnitude as written in the table: exact up to two decimals, else rounded to two."""
    exponent = value.as_tuple().exponent
    places = 2 if isinstance(exponent, int) and exponent < -2 else None
    if places is None and value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return format_number(value, places=places, lang=lang, grouping=grouping)


def _quantity_text(q: Quantity | None, lang: Lang) -> str:
    if q is None:
        return "-"
    if q.unit.dimension == PERCENT.dimension:
        return format_number(q.magnitude, places=2, lang=lang, percent=True)
    number = _amount(q.magnitude, lang)
    return f"{number} {q.unit.name}" if q.unit.name else number


def _header(
    args: argparse.Namespace,
    rs: RealisationSet,
    periods: Sequence[Period],
    rules: Rules,
    lang: Lang,
) -> list[str]:
    t = _TEXT[lang]
    label = ", ".join(p.label(lang) for p in periods)
    cap = format_number(rules.cap, lang=lang) + "%" if rules.cap is not None else t["no_cap"]
    return [
        t["title"].format(period=label.upper()),
        f"{t['document']}: {args.file}",
        f"{t['realisations']}: {args.realisations} ({len(rs)} {t['rows']})",
        t["rules"].format(
            target=t.get("target_" + rules.period_target.value, rules.period_target.value),
            lower=t.get("lower_" + rules.lower_is_better.value, rules.lower_is_better.value),
            scale=rules.scale.key,
            cap=cap,
        ),
    ]


def _render(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    """Rows of cells as aligned text; a cell may hold several lines."""
    split = [[cell.split("\n") for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in split:
        for i, lines in enumerate(row):
            widths[i] = max(widths[i], *(len(x) for x in lines))

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    for row in split:
        height = max(len(lines) for lines in row)
        for k in range(height):
            out.append(line([lines[k] if k < len(lines) else "" for lines in row]))
    return out


def _wrap(text: str) -> str:
    return "\n".join(textwrap.wrap(" ".join(text.split()), NAME_WIDTH)) or "-"


def _table(
    document: Document,
    rows: Sequence[Achievement],
    objectives: Sequence[Rollup],
    sheets: Sequence[Rollup],
    periods: Sequence[Period],
    header: list[str],
    lang: Lang,
    *,
    nilai: bool = False,
) -> str:
    t = _TEXT[lang]
    labels = STATUS_LABELS[lang]
    several = len(periods) > 1

    def pct(value: Decimal | None) -> str:
        return "-" if value is None else format_number(value, places=2, lang=lang)

    lines = [*header, ""]
    columns = [t["ref"], t["indicator"]]
    if several:
        columns.append(t["period"])
    columns += [t["target"], t["realised"], t["percent"], t["progress"], t["status"], t["rating"]]
    right = {len(columns) - 6, len(columns) - 5, len(columns) - 4, len(columns) - 3}
    if nilai:  # only under a scale that defines a nilai (PermenPANRB 8/2021)
        columns.append(t["nilai"])
        right.add(len(columns) - 1)
    for sheet in document.sheets:
        prefix = f"{sheet.number}:"
        mine = [a for a in rows if (a.reference or "").startswith(prefix)]
        if not mine:
            continue
        lines.append(f"{t['sheet']} {sheet.number}. {sheet.position}")
        body: list[list[str]] = []
        for a in mine:
            cells = [a.reference or a.indicator.id, _wrap(a.indicator.name)]
            if several:
                cells.append(a.period.label(lang, short=True))
            cells += [
                _quantity_text(a.target, lang),
                _quantity_text(a.realised, lang),
                pct(a.percent),
                pct(a.progress),
                labels[a.status],
                a.rating or "-",
            ]
            if nilai:
                cells.append(pct(a.nilai))
            body.append(cells)
        lines += _render(columns, body, right)
        notes = [
            f"  {a.reference or a.indicator.id}"
            f"{f' ({a.period.label(lang, short=True)})' if several else ''}: {w}"
            for a in mine
            for w in a.warnings_in(lang)
        ]
        if notes:
            lines += [t["notes"], *notes]
        lines.append("")
    lines.append(t["legend"])
    for title, level_rows, name_header in (
        (t["objectives"], objectives, t["objective"]),
        (t["sheets"], sheets, t["position"]),
    ):
        lines += ["", title]
        cols = [t["ref"], name_header]
        if several:
            cols.append(t["period"])
        cols += [t["count"], t["percent"], t["rating"]]
        body = []
        for r in level_rows:
            cells = [r.reference, _wrap(r.name)]
            if several:
                cells.append(r.period.label(lang, short=True))
            cells += [str(r.count), pct(r.percent), r.rating or "-"]
            body.append(cells)
        lines += _render(cols, body, {len(cols) - 3, len(cols) - 2})
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
