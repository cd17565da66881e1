"""The ``iki chart`` and ``iki template`` commands, and the progress line of long runs.

.. code-block:: text

    iki chart FILE -r CSV --period 2021 [--indicator REF | --sheet N] -o FILE.png|.svg
    iki template FILE --year 2021 [--sheet N] [--indicator REF] [--by quarter|month]
                 [-o FILE.xlsx|.csv] [--lang id|en]

Both are wired into :func:`iki_core.cli.main`, which handles their errors and exit
status; docs/cli.md describes them.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from iki_core import messages
from iki_core.engine import Achievement, achievements, rollup
from iki_core.periods import Period, PeriodKind

from .chart import chart_indicator, chart_sheet
from .select import select_document
from .template import template_rows, write_template_csv, write_template_xlsx

if TYPE_CHECKING:
    from iki_core.cli_rules import RuleOption

P = TypeVar("P", bound=argparse.ArgumentParser)

__all__ = [
    "Progress",
    "add_chart_parser",
    "add_selection",
    "add_template_parser",
    "expand_years",
    "run_chart",
    "run_template",
]


class Progress:
    """A one-line progress bar on ``stream`` (standard error) while a command works
    through ``steps`` named steps; silent when the stream is not a terminal (a pipe, a
    file, a test), so scripts and logs see nothing of it."""

    WIDTH = 24

    def __init__(self, steps: int, stream: TextIO | None = None) -> None:
        self.steps = max(steps, 1)
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        isatty = getattr(self.stream, "isatty", None)
        self.shown = bool(isatty and isatty())

    def step(self, label: str) -> None:
        """Start the next step, called ``label``."""
        self.done = min(self.done + 1, self.steps)
        if self.shown:
            filled = self.WIDTH * (self.done - 1) // self.steps
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.stream.write(f"\r\x1b[K[{bar}] {self.done}/{self.steps} {label}")
            self.stream.flush()

    def close(self) -> None:
        """Clear the line (the command's own output follows on a clean line)."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _t(key: str, /, **params: object) -> str:
    from iki_core.cli_rules import _lang

    return messages.text(f"cli.{key}", _lang(), **params)


def add_selection(parser: argparse.ArgumentParser) -> None:
    """The ``--sheet N`` and ``--indicator REF`` options (repeatable)."""
    parser.add_argument(
        "--sheet", "-s", metavar="N", type=int, action="append", default=[], help=_t("sheet")
    )
    parser.add_argument(
        "--indicator",
        "-i",
        metavar="REF",
        action="append",
        default=[],
        help=_t("indicator"),
    )


def expand_years(periods: Sequence[Period]) -> list[Period]:
    """``periods`` sorted and distinct, a year standing for its four quarters."""
    out: set[Period] = set()
    for p in periods:
        if p.kind is PeriodKind.YEAR:
            out.update(Period(p.year, PeriodKind.QUARTER, q) for q in range(1, 5))
        else:
            out.add(p)
    return sorted(out)


# --- iki chart ---------------------------------------------------------------------------
def _size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    if not (sep and width.isdigit() and height.isdigit() and int(width) and int(height)):
        raise argparse.ArgumentTypeError(_t("chart.bad_size", value=repr(text)))
    return int(width), int(height)


def add_chart_parser(
    sub: argparse._SubParsersAction[P],
    period: Callable[[str], Period],
    options: Sequence[RuleOption],
) -> None:
    """The ``iki chart`` subcommand."""
    chart = sub.add_parser("chart", help=_t("chart.help"), description=_t("chart.description"))
    chart.add_argument("file", metavar="FILE", type=Path, help=_t("document"))
    chart.add_argument(
        "--realisations", "-r", metavar="CSV", required=True, help=_t("report.realisations")
    )
    chart.add_argument(
        "--period", "-p", metavar="PERIOD", type=period, action="append", required=True,
        help=_t("chart.period"),
    )  # fmt: skip
    add_selection(chart)
    chart.add_argument(
        "--output", "-o", metavar="FILE", type=Path, required=True, help=_t("chart.output")
    )
    chart.add_argument(
        "--size", metavar="WxH", type=_size, default=(800, 450), help=_t("chart.size")
    )
    chart.add_argument("--lang", choices=messages.languages(), default="id", help=_t("report.lang"))
    chart.add_argument("--input-lang", choices=("id", "en"), default="id", help=_t("input_lang"))
    from iki_core.cli_rules import add_rule_arguments

    add_rule_arguments(chart, options)


def run_chart(args: argparse.Namespace, out: TextIO) -> int:
    """Draw the chart ``args`` ask for and write it to ``args.output``."""
    from iki_core import cli, cli_rules

    fmt = args.output.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise cli._UsageError(_t("chart.bad_suffix", path=args.output))
    whole = cli._load(args.file)
    subject: str
    if len(args.indicator) == 1 and not args.sheet:
        subject = args.indicator[0]
        document = select_document(whole, indicators=args.indicator)
    elif not args.indicator and (len(args.sheet) == 1 or len(whole.sheets) == 1):
        number = args.sheet[0] if args.sheet else whole.sheets[0].number
        subject = str(number)
        document = select_document(whole, sheets=[number])
    else:
        raise cli._UsageError(_t("chart.one_subject"))
    realisations = cli._read_realisations(args, whole, document)
    if realisations is None:
        return cli.EXIT_INPUT
    rules = cli_rules.rules_from(args, args.rule_options)
    periods = expand_years(args.period)
    rows: list[Achievement] = achievements(document, realisations, periods, rules)
    if args.indicator:
        image = (
            chart_indicator(rows, rules.scale, lang=args.lang, format=fmt, size=args.size)
            if rows
            else b""
        )
    else:
        means = list(rollup(rows, document, level="sheet", rules=rules))
        means.sort(key=lambda r: r.period)
        image = (
            chart_sheet(means, rules.scale, lang=args.lang, format=fmt, size=args.size)
            if means
            else b""
        )
    if not image:
        raise cli._UsageError(_t("chart.nothing", subject=subject))
    args.output.write_bytes(image)
    return cli.EXIT_OK


# --- iki template ------------------------------------------------------------------------
def add_template_parser(sub: argparse._SubParsersAction[P]) -> None:
    """The ``iki template`` subcommand."""
    template = sub.add_parser(
        "template", help=_t("template.help"), description=_t("template.description")
    )
    template.add_argument("file", metavar="FILE", type=Path, help=_t("document"))
    template.add_argument(
        "--year", "-y", metavar="YEAR", type=int, required=True, help=_t("template.year")
    )
    add_selection(template)
    template.add_argument(
        "--by", choices=("quarter", "month"), default="quarter", help=_t("template.by")
    )
    template.add_argument(
        "--output", "-o", metavar="FILE", type=Path, default=None, help=_t("template.output")
    )
    template.add_argument(
        "--lang", choices=messages.languages(), default="id", help=_t("template.lang")
    )


def run_template(args: argparse.Namespace, out: TextIO) -> int:
    """Write the template ``args`` ask for to ``args.output`` (CSV to ``out`` without)."""
    from iki_core import cli

    suffix = args.output.suffix.lower() if args.output is not None else ".csv"
    if suffix not in (".xlsx", ".csv"):
        raise cli._UsageError(_t("template.bad_suffix", path=args.output))
    document = cli._load(args.file)
    rows = template_rows(
        document, args.year, by=args.by, sheets=args.sheet, indicators=args.indicator
    )
    if args.output is None:
        write_template_csv(rows, out, lang=args.lang)
        return cli.EXIT_OK
    if suffix == ".xlsx":
        buffer = io.BytesIO()
        write_template_xlsx(rows, buffer, lang=args.lang)
        args.output.write_bytes(buffer.getvalue())
    else:
        with args.output.open("w", encoding="utf-8", newline="") as file:
            write_template_csv(rows, file, lang=args.lang)
    print(
        _t(
            "template.written",
            path=args.output,
            rows=len(rows),
            indicators=len({r.reference for r in rows}),
            periods=len({r.period for r in rows}),
        ),
        file=sys.stderr,
    )
    return cli.EXIT_OK
