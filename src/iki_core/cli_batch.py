"""``iki batch``: the achievements of a national dataset, agency by agency.

.. code-block:: text

    iki batch DATASET --period 2025-Q1 [--period ...] --output DIR
              [--workers N | --scheduler ADDRESS] [--profile NAME] [rule options]

``DATASET`` is a directory of Parquet files partitioned by agency, as docs/scale.md
lays it out (``indicators/agency=<code>/`` and ``realisations/agency=<code>/``). Each
agency is computed by :func:`~iki_core.columnar.distributed.compute_agency` (the
columnar path, and the object engine for the rows it does not cover) and written to
``DIR/agency=<code>/part-0.parquet``: in this process one agency after the other, on a
local Dask cluster of ``N`` worker processes (``--workers N``, started and stopped by the
command), or on a running cluster (``--scheduler tcp://host:8786``). A line is printed
for each agency as it is done, then the totals. Needs the ``dask`` extra for a cluster,
the ``columnar`` extra otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from iki_core.cli_rules import (
    RuleOption,
    _lang,
    _t,
    add_profile_argument,
    add_rule_arguments,
    rules_from,
)
from iki_core.numbers import format_number
from iki_core.periods import Period

if TYPE_CHECKING:  # the columnar extra is imported when the command runs
    from iki_core.columnar.distributed import AgencySummary

__all__ = ["add_batch_parser", "run_batch"]

P = TypeVar("P", bound=argparse.ArgumentParser)


def add_batch_parser(
    sub: argparse._SubParsersAction[P],
    period: Callable[[str], Period],
    options: Sequence[RuleOption],
) -> None:
    """The ``iki batch`` subcommand."""
    batch = sub.add_parser("batch", help=_t("batch.help"), description=_t("batch.description"))
    batch.add_argument("dataset", metavar="DATASET", type=Path, help=_t("batch.dataset"))
    batch.add_argument(
        "--period", "-p", metavar="PERIOD", type=period, action="append", required=True,
        help=_t("batch.period"),
    )  # fmt: skip
    batch.add_argument(
        "--output", "-o", metavar="DIR", type=Path, required=True, help=_t("batch.output")
    )
    batch.add_argument(
        "--agency", "-a", metavar="CODE", action="append", help=_t("batch.agency_option")
    )
    where = batch.add_mutually_exclusive_group()
    where.add_argument("--workers", metavar="N", type=_workers, help=_t("batch.workers"))
    where.add_argument("--scheduler", metavar="ADDRESS", help=_t("batch.scheduler"))
    add_profile_argument(batch)
    add_rule_arguments(batch, options)


def _workers(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(_t("batch.bad_workers", value=text))
    return int(text)


def run_batch(args: argparse.Namespace, out: TextIO) -> int:
    """Compute every agency of ``args.dataset`` and write the results under ``args.output``."""
    from iki_core import cli
    from iki_core.columnar.distributed import agencies, compute_dataset

    root: Path = args.dataset
    if not root.is_dir():
        raise FileNotFoundError(2, "No such directory", str(root))
    names = agencies(root)
    if not names:
        raise cli._UsageError(_t("batch.no_agency", path=root))
    for code in args.agency or ():
        if code not in names:
            raise cli._UsageError(
                _t("batch.unknown_agency", agency=code, path=root, known=", ".join(names))
            )
    rules = rules_from(args, args.rule_options)
    periods = [str(p) for p in dict.fromkeys(args.period)]
    started = time.perf_counter()
    done: list[AgencySummary] = []

    def agency_done(summary: AgencySummary) -> None:
        done.append(summary)
        print(_agency_line(summary), file=out, flush=True)

    with _client(args) as client:
        compute_dataset(
            root,
            periods,
            rules,
            client=client,
            output=args.output,
            on_done=agency_done,
            only=args.agency,
        )
    print(_totals_line(done, time.perf_counter() - started), file=out)
    return cli.EXIT_OK


@contextlib.contextmanager
def _client(args: argparse.Namespace) -> Iterator[Any]:
    """No client (this process), a local cluster of ``--workers`` processes started and
    stopped here, or a client of the cluster at ``--scheduler``."""
    if args.workers is None and args.scheduler is None:
        yield None
        return
    import distributed

    if args.scheduler is not None:
        with distributed.Client(args.scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    with (
        distributed.LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


def _n(value: int) -> str:
    return format_number(value, lang=_lang())


def _seconds(value: float) -> str:
    return format_number(Decimal(f"{value:.1f}"), places=1, lang=_lang())


def _agency_line(s: AgencySummary) -> str:
    return _t(
        "batch.agency",
        agency=s.agency,
        rows=_n(s.rows),
        kernel=_n(s.kernel_rows),
        achieved=_n(s.achieved),
        seconds=_seconds(s.seconds),
    )


def _totals_line(done: Sequence[AgencySummary], seconds: float) -> str:
    rows = sum(s.rows for s in done)
    return _t(
        "batch.totals",
        agencies=_n(len(done)),
        rows=_n(rows),
        kernel=_n(sum(s.kernel_rows for s in done)),
        achieved=_n(sum(s.achieved for s in done)),
        seconds=_seconds(seconds),
        rate=_n(int(rows / seconds) if seconds > 0 else rows),
    )
