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


def test_a_realisation_of_ten_to_the_27_is_reported(tmp_path: Path) -> None:
    # The JSON report ended in a bare decimal.InvalidOperation (quantize beyond precision).
    csv_path = tmp_path / "r.csv"
    huge = "1" + "0" * 27
    csv_path.write_text(
        f"indicator,period,value,numerator,denominator\n2:1.1,2021-01,{huge},,\n",
        encoding="utf-8",
    )
    for fmt in ("json", "table", "csv"):
        status, out = run("report", SEED, "-r", str(csv_path), "--period", "2021-01", "-f", fmt)
        assert status == 0
        assert "1000000000000000000000000000" in out.replace(".", "").replace(",", "")


# --- the API refuses misuse with IkiError, never a builtin from deep inside ----------------------
def test_api_misuse_raises_iki_errors() -> None:
    from fractions import Fraction

    from iki_core import loaders
    from iki_core.engine import achievements
    from iki_core.engine.rollup import rollup
    from iki_core.errors import IkiError, IkiTypeError, MissingFileError
    from iki_core.numbers import round_half_up
    from iki_core.periods import Period
    from iki_core.realisations import load_realisations, loads_realisations

    doc = loaders.load(SEED)
    raw = Path(REALISATIONS).read_bytes()
    with pytest.raises(IkiTypeError, match="path: expected a path"):
        loaders.load(None)  # type: ignore[arg-type]
    with pytest.raises(IkiTypeError, match=r"periods\[0\]: expected a Period"):
        achievements(doc, [], ["2021-Q1"])  # type: ignore[list-item]
    with pytest.raises(IkiTypeError, match="reference: expected 'sheet:id' text"):
        doc.indicator(None)  # type: ignore[arg-type]
    with pytest.raises(MissingFileError) as missing:
        load_realisations("/nonexistent/realisasi.csv", doc)
    assert isinstance(missing.value, FileNotFoundError)
    assert isinstance(missing.value, IkiError)
    assert str(missing.value) == (
        "/nonexistent/realisasi.csv: cannot read the file: No such file or directory"
    )
    with pytest.raises(IkiError):
        load_realisations(str(ROOT), doc)  # a directory
    with pytest.raises(IkiTypeError, match="value: expected Decimal, Fraction or int"):
        round_half_up(1.5)  # type: ignore[arg-type]
    assert round_half_up(Fraction(3, 2), 0) == Decimal("2")
    # Bytes are decoded as a file's bytes would be.
    from_bytes = loads_realisations(raw, doc)
    assert from_bytes.realisations == load_realisations(REALISATIONS, doc).realisations
    q3 = achievements(doc, from_bytes.realisations, [Period.parse("2021-Q3")])
    for weight in (Decimal("NaN"), Decimal("Infinity"), Decimal("1E+999999999")):
        with pytest.raises(IkiError, match=r"weights\['1:1'\]"):
            rollup(q3, doc, weights={"1:1": weight})
