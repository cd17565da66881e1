"""Hostile hosts and hostile input: results that do not depend on the embedding application,
and only :class:`~iki_core.errors.IkiError` (or a documented exit status) on any input.

The command is run in-process here (``cli.main``), because what is under test is the state
of the calling process: its decimal context, its threads, its standard output.
"""

from __future__ import annotations

import contextlib
import decimal
import gzip
import io
import json
import os
import random
import shlex
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from iki_core import cli, loaders
from iki_core.errors import IkiParseError
from iki_core.messages import text
from iki_core.realisations import load_realisations, loads_realisations
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


def test_the_json_report_rounds_the_realised_value_half_up(tmp_path: Path) -> None:
    # docs/cli.md: the realised value is rounded half-up to four places. 1/3200 x 100 is
    # 0.03125: half-up 0.0313 (half-even, the default context's rounding, gave 0.0312).
    csv_path = tmp_path / "r.csv"
    csv_path.write_text(
        "indicator,period,value,numerator,denominator\n1:1,2021-Q1,,1,3200\n", encoding="utf-8"
    )
    status, out = run("report", SEED, "-r", str(csv_path), "--period", "2021-Q1", "-f", "json")
    assert status == 0
    [row] = [r for r in json.loads(out) if r["indicator"] == "1:1"]
    assert row["realised"]["value"] == "0.0313"


# --- bytes that are not a text document -----------------------------------------------------------
def _subprocess(*args: str, shell_suffix: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "utf-8"}
    command = " ".join(shlex.quote(a) for a in (sys.executable, "-m", "iki_core", *args))
    return subprocess.run(
        command + shell_suffix,
        shell=True,
        capture_output=not shell_suffix,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        check=False,
    )


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (gzip.compress(b"No\tSasaran\tIndikator", mtime=0), "a gzip archive"),
        ((ROOT / "docs/images/report-q3.png").read_bytes()[:4096], "a PNG image"),
        (b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 4, "an ELF executable"),
        (random.Random(14).randbytes(4096), "binary data"),
    ],
)
def test_binary_files_are_refused_naming_the_format(
    tmp_path: Path, content: bytes, kind: str
) -> None:
    # They loaded as "1 sheets, 0 indicators" with exit status 0.
    path = tmp_path / "document.txt"
    path.write_bytes(content)
    doc = loaders.load(path)
    assert not doc.sheets
    assert [d.code for d in doc.diagnostics] == ["binary-file"]
    assert kind in doc.diagnostics[0].message
    status, _ = run("check", str(path))
    assert status == 1
    status, _ = run("report", SEED, "-r", str(path), "--period", "2021-Q3")
    assert status == 1
    with pytest.raises(IkiParseError) as info:
        load_realisations(path, doc)
    assert [d.code for d in info.value.diagnostics] == ["binary-file"]


def test_utf16_is_read_by_its_byte_order_mark() -> None:
    # A UTF-16 file loaded as 0 indicators with exit status 0.
    text = Path(SEED).read_text(encoding="utf-8")
    for codec in ("utf-16", "utf-16-be", "utf-32"):
        data = text.encode(codec) if codec != "utf-16-be" else b"\xfe\xff" + text.encode(codec)
        assert loaders.loads(data, source=SEED) == loaders.loads(text, source=SEED)


def test_one_stray_byte_keeps_the_utf8_around_it() -> None:
    # One byte that is not UTF-8 turned every accented letter into mojibake (the whole
    # file was read as Windows-1252); now only that byte is, and it is flagged.
    data = "indicator,period,value,note\n2:1.1,2021-01,41,Pemeriksaan \u00e9tape\n".encode()
    data += b"2:1.1,2021-02,38,caf\xe9\n"
    doc = loaders.load(SEED)
    rs = loads_realisations(data, doc)
    notes = [r.note for r in rs.realisations]
    assert notes == ["Pemeriksaan \u00e9tape", "caf\u00e9"]
    assert [(d.code, d.line) for d in rs.diagnostics] == [("encoding", 3)]


def test_every_line_with_bytes_not_utf8_is_flagged() -> None:
    # Only the first line with a byte that is not UTF-8 was flagged; an operator fixing
    # the file needs each line. Lines 3 and 5 hold Windows-1252 bytes (0xe9, 0x96), the
    # UTF-8 of line 2 is kept.
    data = "indicator,period,value,note\n2:1.1,2021-01,41,\u00e9tape\n".encode()
    data += b"2:1.1,2021-02,38,caf\xe9 caf\xe9\n2:1.1,2021-03,39,ok\n2:1.1,2021-04,40,a\x96b\n"
    doc = loaders.load(SEED)
    rs = loads_realisations(data, doc)
    assert [r.note for r in rs.realisations] == [
        "\u00e9tape",
        "caf\u00e9 caf\u00e9",
        "ok",
        "a\u2013b",
    ]
    assert [(d.code, d.line, d.message) for d in rs.diagnostics] == [
        ("encoding", 3, text("diagnostic.reader.encoding", "en")),
        (
            "encoding",
            5,
            "this line also has bytes that are not UTF-8 (the first 0x96); "
            "read as Windows-1252 / Latin-1",
        ),
    ]
    # The same bytes as a document: one not-utf8 warning per line, with its first byte's
    # offset: lines 1 and 2 are 28 and 24 bytes ("\u00e9" is two), so 0xe9 of line 3 is
    # at 52 + 17 + 3 = 72; lines 3 and 4 are 27 and 20 bytes, so 0x96 of line 5 is at
    # 99 + 18 = 117.
    found = [(d.line, d.message) for d in loaders.loads(data).diagnostics if d.code == "not-utf8"]
    assert found == [
        (3, "the input is not UTF-8 (byte 0xe9 at offset 72); read as Windows-1252 / Latin-1"),
        (5, "the input is not UTF-8 (byte 0x96 at offset 117); read as Windows-1252 / Latin-1"),
    ]


def test_lines_not_utf8_past_ten_are_named_in_one_diagnostic() -> None:
    # A file saved whole in Windows-1252 (header and 25 rows, each with an "\u00e9"): ten
    # lines named one by one (2 to 11), the 15 after them (12 to 26) in one more warning.
    rows = "".join(f"2:1.1,2021-{m:02d},{m},caf\u00e9\n" for m in range(1, 13)) * 2
    rows += "2:1.2,2021-01,1,caf\u00e9\n"
    data = ("indicator,period,value,note\n" + rows).encode("cp1252")
    doc = loaders.load(SEED)
    found = [d for d in loads_realisations(data, doc).diagnostics if d.code == "encoding"]
    assert [d.line for d in found] == [*range(2, 12), 12]
    assert found[-1].message == (
        "15 more lines have bytes that are not UTF-8, from line 12 to line 26; "
        "read as Windows-1252 / Latin-1"
    )
    assert found[-1].render("id").startswith("15 baris lagi berisi bita yang bukan UTF-8")
    notes = [d for d in loaders.loads(data).diagnostics if d.code == "not-utf8"]
    assert [d.line for d in notes] == [*range(2, 12), 12]
    assert notes[-1].message == found[-1].message


def test_closed_standard_output_ends_without_a_traceback() -> None:
    # `iki report ... >&-` ended in AttributeError: 'NoneType' object has no attribute 'write'.
    done = _subprocess(
        "report", SEED, "-r", REALISATIONS, "--period", "2021-Q3", shell_suffix=" >&-"
    )
    assert done.returncode == 2
    assert done.stderr == "iki report: error: standard output is closed; nothing was written\n"


def _shell(*args: str, redirect: str) -> subprocess.CompletedProcess[str]:
    """``iki ARGS REDIRECT`` in bash with ``pipefail`` (the status is iki's in a pipeline),
    its standard error sent to a file when ``redirect`` leaves it open."""
    command = " ".join(shlex.quote(a) for a in (sys.executable, "-m", "iki_core", *args))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command + " " + redirect],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_output_that_cannot_be_delivered_ends_quietly_with_its_status() -> None:
    # docs/cli.md, "Output that cannot be delivered": never a traceback.
    report = ("report", SEED, "-r", REALISATIONS, "--period", "2021-Q3")
    # The reader goes away after one byte of the 300 KB JSON document: status 0, quiet.
    gone = _shell("convert", SEED, "--to", "json", redirect="| head -c 1")
    assert (gone.returncode, gone.stdout) == (0, "{")
    assert gone.stderr.startswith("iki convert: 228 diagnostic(s)")  # its summary, no more
    assert gone.stderr.count("\n") == 1
    if Path("/dev/full").exists():  # a write that fails: before, "None: No space left..."
        full = _shell(*report, redirect=">/dev/full")
        assert (full.returncode, full.stdout) == (2, "")
        assert full.stderr == (
            "iki report: error: standard output cannot be written (No space left on device); "
            "the output is incomplete\n"
        )
    # Standard error closed: the status of the run, and no message written into the
    # output instead (before: a traceback that nobody sees, and status 1).
    missing = _shell(
        "report", SEED, "-r", "/nonexistent.csv", "--period", "2021-Q3", redirect="2>&-"
    )
    assert (missing.returncode, missing.stdout, missing.stderr) == (2, "", "")
    fine = _shell(*report, redirect="2>&-")
    assert fine.returncode == 0
    assert "Tersedianya" in fine.stdout
    nothing = _shell("check", REALISATIONS, redirect="2>&-")  # a CSV of realisations: no document
    assert nothing.returncode == 1  # as with standard error open (docs/cli.md)


def test_a_directory_and_a_missing_file_are_usage_errors(tmp_path: Path) -> None:
    assert run("check", str(tmp_path))[0] == 2
    assert run("check", str(tmp_path / "none.txt"))[0] == 2
    assert run("report", SEED, "-r", str(tmp_path), "--period", "2021-Q3")[0] == 2
    assert run("report", SEED, "-r", str(tmp_path / "none.csv"), "--period", "2021-Q3")[0] == 2
    with pytest.raises(SystemExit) as bad_option:  # argparse's own exit
        run("report", SEED, "--period", "2021-Q3", "--no-such-option")
    assert bad_option.value.code == 2


def test_eight_threads_with_their_own_decimal_contexts_get_the_same_results() -> None:
    # Each thread sets a different context first, as the host's own threads would.
    import threading

    from iki_core.engine import achievements
    from iki_core.periods import Period

    periods = [Period.parse(p) for p in ("2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4", "2021")]

    def work() -> tuple[str, list[tuple[object, ...]], list[str]]:
        doc = loaders.load(SEED)
        rs = load_realisations(REALISATIONS, doc)
        found = achievements(doc, rs.realisations, periods)
        rows: list[tuple[object, ...]] = [
            (a.reference, a.period, a.percent, a.progress, a.status) for a in found
        ]
        texts = [str(a.realised) for a in found]
        return loaders.dumps(doc), rows, texts

    expected = work()
    results: list[object] = []

    def thread(prec: int) -> None:
        decimal.setcontext(decimal.Context(prec=prec, rounding=decimal.ROUND_DOWN))
        results.append(work())

    threads = [threading.Thread(target=thread, args=(p,)) for p in (1, 2, 3, 5, 9, 17, 33, 60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    assert all(r == expected for r in results)


# --- number shapes that Python's own parsers treat apart -----------------------------------------
@pytest.mark.parametrize("text", [" 1", "1_000", "\u0661\u0662", "\uff11", "+1", "nan", "1/3"])
def test_json_magnitudes_in_spellings_only_decimal_takes_are_refused(text: str) -> None:
    # Decimal(" 1"), Decimal("1_000") and Decimal("١٢") are numbers to Python, not to the
    # document's other readers: a JSON magnitude read the same text differently.
    seed = loaders.dumps(loaders.load(SEED))
    changed = seed.replace('"magnitude": "100.00"', f'"magnitude": {json.dumps(text)}', 1)
    assert changed != seed
    doc = loaders.loads(changed)
    assert [d.code for d in doc.errors] == ["json-schema"]
    assert doc.errors[0].message.endswith(
        "@ $.sheets[0].objectives[0].indicators[0].targets[0].value.magnitude"
    )
    assert (
        loaders.loads(seed.replace('"magnitude": "100.00"', '"magnitude": "1E+2"', 1)).errors == ()
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "1E+999999999",
            "a magnitude of at most 30 digits before the decimal separator and 40 after",
        ),
        ("1/0", "a decimal string such as '12.5'"),
        ("nan", "a decimal string such as '12.5'"),
    ],
)
def test_a_refused_json_magnitude_names_its_field_value_path_and_line(
    text: str, expected: str
) -> None:
    # cattrs wrapped the error: "invalid value for type, expected Target @ ...targets[0]",
    # neither the field, nor the value as written, nor where it is in the file.
    seed = loaders.dumps(loaders.load(SEED))
    at = seed.index('"magnitude": "100.00"')
    line = seed.count("\n", 0, at) + 1  # the JSON writer puts one magnitude on a line
    changed = seed[:at] + f'"magnitude": "{text}"' + seed[at + len('"magnitude": "100.00"') :]
    doc = loaders.loads(changed)
    path = "$.sheets[0].objectives[0].indicators[0].targets[0].value.magnitude"
    assert [(d.code, d.line, d.message) for d in doc.errors] == [
        ("json-schema", line, f"magnitude: expected {expected}, got {text!r} @ {path}")
    ]
    with pytest.raises(IkiParseError) as raised:
        loaders.loads(changed, strict=True)
    assert f"line {line}: error [json-schema] magnitude:" in str(raised.value)


def test_a_refused_unit_scale_names_its_unit_and_line() -> None:
    data = json.loads(loaders.dumps(loaders.load(SEED)))
    key = next(iter(data["units"]))
    data["units"][key]["scale"] = "1/0"
    changed = json.dumps(data, indent=1)
    line = changed[: changed.index('"1/0"')].count("\n") + 1
    doc = loaders.loads(changed)
    assert [(d.line, d.message) for d in doc.errors] == [
        (
            line,
            "scale: expected a positive scale such as '12' or '1/3', got '1/0'"
            f" @ $.units.{key}.scale",
        )
    ]


def test_a_missing_json_field_is_placed_at_the_object_that_lacks_it() -> None:
    data = json.loads(loaders.dumps(loaders.load(SEED)))
    del data["sheets"][1]["number"]
    changed = json.dumps(data, indent=1)
    # the second sheet object opens at the second '{' that follows '"sheets": ['
    start = changed.index('"sheets": [')
    first = changed.index("\n  {", start)
    second = changed.index("\n  {", first + 1)
    doc = loaders.loads(changed)
    assert [(d.line, d.message) for d in doc.errors] == [
        (changed.count("\n", 0, second) + 2, "required field missing @ $.sheets[1].number")
    ]


@pytest.mark.parametrize(
    ("text", "before"),
    [("1/0", "ZeroDivisionError"), ("abc", "ValueError from Fraction"), ("1_0", "read as 10")],
)
def test_rating_scale_numbers_are_checked_before_fraction_sees_them(text: str, before: str) -> None:
    # NilaiFormula("1/0", ...) raised ZeroDivisionError, "abc" Fraction's ValueError, and
    # "1e999999999" built an integer of a billion digits (the process hung).
    from iki_core.errors import InvalidValueError
    from iki_core.scales import Band, NilaiFormula

    for bad in (text, "1e999999999"):
        with pytest.raises(InvalidValueError, match=r"rating scale: expected a number as text"):
            NilaiFormula(bad, "1", "0")
    assert NilaiFormula("110", "10/9", "-2.5").slope == Fraction(10, 9)
    for bad in ("NaN", "1e999999999", "1/0"):
        with pytest.raises(InvalidValueError, match="threshold: expected a number"):
            Band("Sangat Tinggi", bad)


@pytest.mark.parametrize(
    "text", ["1/0", "0/0", "nan", "sNaN", "0x1p3", "1_000", "Infinity", "1e-999999"]
)
def test_realisation_values_python_would_parse_are_a_bad_value_of_their_row(text: str) -> None:
    # Each is a number to float(), Decimal() or Fraction() (or their ZeroDivisionError):
    # here the row's bad-value diagnostic, with its line; the other rows are read.
    raw = Path(REALISATIONS).read_text(encoding="utf-8")
    doc = loaders.load(SEED)
    line = raw[: raw.index(",41,")].count("\n") + 1
    rs = loads_realisations(raw.replace(",41,", f",{text},", 1), doc)
    assert [(d.code, d.line) for d in rs.diagnostics] == [("bad-value", line)]
    assert repr(text) in rs.diagnostics[0].message
    assert len(rs.realisations) == len(loads_realisations(raw, doc).realisations) - 1


def test_nul_bytes_in_realisations_are_kept_or_refused_with_their_line() -> None:
    # A NUL in the first 8 KB is a binary file; past them, in a note, it is kept as
    # written; in a value it is that row's error. Python 3.11's csv reads NUL (3.10 raised
    # "line contains NUL").
    doc = loaders.load(SEED)
    head = "indicator,period,value,note\n"
    rows = "".join(f"2:1.1,2021-{m:02d},{m},{'x' * 700}\n" for m in range(1, 13))
    data = (head + rows).encode() + b"2:1.2,2021-01,4,a\x00b\n"
    rs = loads_realisations(data, doc)
    assert (rs.realisations[-1].note, rs.diagnostics) == ("a\x00b", ())
    with pytest.raises(IkiParseError) as binary:
        loads_realisations(b"\x00" + data, doc)
    assert [d.code for d in binary.value.diagnostics] == ["binary-file"]
    rs = loads_realisations(head + "2:1.2,2021-01,4\x00,ok\n", doc)
    assert [(d.code, d.line) for d in rs.diagnostics] == [("unit-mismatch", 2)]


# --- header rows: structure to the reader, text the user wrote -----------------------------------
def test_the_text_of_header_rows_is_kept_in_the_sheet_source() -> None:
    # "1E+999999999Target" typed into a header row was recognised (or not) and then gone:
    # no field of the model held it. Each header row (the first, every restart and the
    # row of years under it) is now a ("header", text) cell of its sheet's source, as
    # written, and survives the JSON round trip.
    seed = Path(SEED).read_text(encoding="utf-8")
    head = next(line for line in seed.splitlines() if line.startswith("No\tSasaran"))
    label = head.replace("\tTarget\t", "\t1E+999999999Target\t", 1)
    doc = loaders.loads(seed.replace(head, label, 1))
    first = doc.sheets[0].source
    assert first is not None
    assert [text for name, text in first.cells if name == "header"] == [
        label,
        "\t\t\t\t2018\t2019\t2020\t2021\t2022\t",
    ]
    # sheet 2 restarts its table twice: three header rows and three rows of years
    second = doc.sheets[1].source
    assert second is not None
    assert [name for name, _ in second.cells].count("header") == 6
    assert loaders.loads(loaders.dumps(doc)) == doc


def test_the_header_row_of_a_csv_block_is_kept_in_the_sheet_source() -> None:
    # The CSV reader goes through the same table builder: its header row (cells joined by
    # tabs, as the text layout writes them) is a "header" cell of the block's sheet.
    text = "No;Sasaran;Indikator;Penjelasan;2021 (target);Sumber Data\n1;S;I;P;10 %;BPS\n"
    doc = loaders.loads(text, format="csv")
    source = doc.sheets[0].source
    assert source is not None
    assert source.cells == (
        ("header", "No\tSasaran\tIndikator\tPenjelasan\t2021 (target)\tSumber Data"),
    )
    assert loaders.loads(loaders.dumps(doc)) == doc


_NUL_HEAD = "indicator,period,value,note\n"
_NUL_ROWS = "".join(f"2:1.1,2021-{m:02d},{m},{'x' * 700}\n" for m in range(1, 13))  # > 8 KB


@pytest.mark.parametrize(
    ("tail", "kept"),
    [
        ('2:1.2,2021-01,4,"a\x00b, c"\n', "a\x00b, c"),  # inside a quoted field
        ('2:1.2,2021-01,4,"a\x00\nb"\n', "a\x00\nb"),  # a quoted field over two lines
        ("2:1.2,2021-01,4,ab\x00", "ab\x00"),  # the last byte of the file
        ('2:1.2,2021-01,4,"ab\x00', "ab\x00"),  # the last byte, in a quote never closed
    ],
)
def test_a_nul_past_the_binary_check_is_kept_in_the_note(tail: str, kept: str) -> None:
    # Python 3.11's csv reads NUL as any character (3.10 raised "line contains NUL"): the
    # note keeps it as written, the row is read.
    doc = loaders.load(SEED)
    rs = loads_realisations(_NUL_HEAD + _NUL_ROWS + tail, doc)
    assert (rs.realisations[-1].note, rs.diagnostics) == (kept, ())


def test_a_nul_alone_on_the_last_line_is_a_row_with_its_text() -> None:
    doc = loaders.load(SEED)
    rs = loads_realisations(_NUL_HEAD + _NUL_ROWS + "\x00", doc)
    line = (_NUL_HEAD + _NUL_ROWS).count("\n") + 1
    assert {(d.line, d.text) for d in rs.diagnostics} == {(line, "\x00")}
    assert len(rs.realisations) == 12


def test_a_nul_in_the_header_is_refused_or_kept() -> None:
    # In the first 8 KB: a binary file. Past them (a header with a very long column): an
    # unknown column, named with its NUL in the diagnostic's parameters.
    doc = loaders.load(SEED)
    with pytest.raises(IkiParseError) as binary:
        loads_realisations(("indicator,period,value,no\x00te\n" + _NUL_ROWS).encode(), doc)
    assert [d.code for d in binary.value.diagnostics] == ["binary-file"]
    column = "y" * 9000 + "\x00z"
    rs = loads_realisations(f"indicator,period,value,note,{column}\n{_NUL_ROWS}".encode(), doc)
    assert [(d.code, d.line) for d in rs.diagnostics] == [("unknown-column", 1)]
    assert dict(rs.diagnostics[0].params or ())["column"] == column
    assert len(rs.realisations) == 12


def test_a_csv_module_that_refuses_nul_gives_an_iki_error_with_the_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Whatever the csv module does with NUL: where it raises (Python 3.10, "line contains
    # NUL"), the reader's own failure is an IkiParseError naming the line, not csv.Error.
    import csv
    from collections.abc import Iterable

    real = csv.reader

    class Refusing:
        def __init__(self, lines: Iterable[str], delimiter: str = ",") -> None:
            self._reader = real(lines, delimiter=delimiter)

        @property
        def line_num(self) -> int:
            return int(self._reader.line_num)

        def __iter__(self) -> Refusing:
            return self

        def __next__(self) -> list[str]:
            cells: list[str] = next(self._reader)
            if any("\x00" in c for c in cells):
                raise csv.Error("line contains NUL")
            return cells

    monkeypatch.setattr(csv, "reader", Refusing)
    doc = loaders.load(SEED)
    with pytest.raises(IkiParseError) as raised:
        loads_realisations(_NUL_HEAD + _NUL_ROWS + "2:1.2,2021-01,4,a\x00b\n", doc)
    assert [(d.code, d.line) for d in raised.value.diagnostics] == [("csv-syntax", 14)]
    assert "line contains NUL" in str(raised.value)


@pytest.mark.parametrize("indent", [None, 1])
def test_the_offset_of_every_value_of_a_json_document_is_found(indent: int | None) -> None:
    # The line of a refused value comes from this walk of the text: every path of the
    # seed's first sheet (and the units table) must lead to the text of its own value.
    from iki_core.loaders._jsonerrors import _offsets

    data = json.loads(loaders.dumps(loaders.load(SEED)))
    data["sheets"] = data["sheets"][:1]
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    paths: dict[tuple[str | int, ...], object] = {}

    def walk(value: object, path: tuple[str | int, ...]) -> None:
        paths[path] = value
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for at, item in enumerate(value):
                walk(item, (*path, at))

    walk(data, ())
    found = _offsets(text, set(paths))
    assert set(found) == set(paths)
    decoder = json.JSONDecoder()
    assert all(decoder.raw_decode(text, found[p])[0] == v for p, v in paths.items())


def test_a_refused_json_value_is_named_under_its_own_key() -> None:
    # The quantity's text, written before its magnitude, is "1/0" too: the error names the
    # field magnitude, and the path goes there, not to the first "1/0" of the object.
    data = json.loads(loaders.dumps(loaders.load(SEED)))
    target = data["sheets"][0]["objectives"][0]["indicators"][0]["targets"][0]
    unit = target["value"]["unit"]
    target["value"] = {"text": "1/0", "magnitude": "1/0", "unit": unit}
    doc = loaders.loads(json.dumps(data))
    path = "$.sheets[0].objectives[0].indicators[0].targets[0].value.magnitude"
    assert [d.message.rpartition(" @ ")[2] for d in doc.errors] == [path]
