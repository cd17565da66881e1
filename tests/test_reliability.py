"""Hostile hosts and hostile input: results that do not depend on the embedding application,
and only :class:`~iki_core.errors.IkiError` (or a documented exit status) on any input.

The command is run in-process here (``cli.main``), because what is under test is the state
of the calling process: its decimal context, its threads, its standard output.
"""

from __future__ import annotations

import contextlib
import decimal
import io
from decimal import Decimal
from pathlib import Path

import pytest

from iki_core import cli
from iki_core.units import get_registry, parse_quantity

ROOT = Path(__file__).resolve().parent.parent
SEED = str(ROOT / "examples/kesbangpol_lampung_barat_2018-2022.txt")
REALISATIONS = str(ROOT / "examples/realisasi_2021.csv")


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli.main(list(argv))
    return status, out.getvalue()


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_report_does_not_depend_on_the_host_decimal_context(fmt: str) -> None:
    # An application that sets its own precision before calling must get the same bytes:
    # before, precision 5 made the JSON report fail with InvalidOperation.
    argv = ("report", SEED, "-r", REALISATIONS, "--period", "2021", "--format", fmt)
    default = run(*argv)
    assert default[0] == 0
    for prec in (5, 50):
        with decimal.localcontext(prec=prec):
            assert run(*argv) == default
    hostile = decimal.Context(prec=1, Emax=3, Emin=-3, traps=[decimal.Inexact, decimal.Rounded])
    with decimal.localcontext(hostile):
        assert run(*argv) == default


def test_conversion_does_not_depend_on_the_host_decimal_context() -> None:
    # 1 buah is 1/12 lusin: 28 significant digits (Python's default), whatever the host set.
    lusin = get_registry().unit("lusin")
    with decimal.localcontext(prec=5):
        value = parse_quantity("1 buah").to(lusin).magnitude
    assert value == Decimal("0.08333333333333333333333333333")
