"""``iki batch`` (iki_core.cli_batch): a national dataset computed agency by agency, in
this process or on a local Dask cluster, written as the library writes it, with a line
per agency and the totals."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from iki_core.cli import main
from iki_core.columnar.distributed import compute_agency, write_agency
from iki_core.columnar.synthetic import INDICATORS_PER_SERVANT, agency_tables

PERIODS = ["2025-Q1", "2025"]
SERVANTS = {"A01": 20, "A02": 25}  # invented agencies of the synthetic generator


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("national")
    for agency, servants in SERVANTS.items():
        indicators, realisations = agency_tables(agency, servants=servants, seed=3)
        write_agency(root, agency, indicators, realisations)
    return root


def _batch(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main(["batch", *(str(a) for a in args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _periods() -> list[str]:
    return [arg for p in PERIODS for arg in ("--period", p)]


def test_every_agency_is_written_as_the_library_computes_it(
    dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _batch(capsys, dataset, *_periods(), "--output", tmp_path / "out")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 3
    kernel = achieved = 0
    for line, (agency, servants) in zip(lines, SERVANTS.items(), strict=False):
        expected = compute_agency(str(dataset), agency, PERIODS)
        assert isinstance(expected, pa.Table)
        written = pq.read_table(tmp_path / "out" / f"agency={agency}" / "part-0.parquet")
        assert written.equals(expected.drop_columns(["agency"]))
        rows = servants * INDICATORS_PER_SERVANT * len(PERIODS)  # 20 x 8 x 2 = 320
        assert len(written) == rows
        k = pc.sum(pc.equal(written["path"], "kernel")).as_py()
        a = pc.sum(pc.equal(written["status"], "achieved")).as_py()
        assert line.startswith(
            f"agency {agency}: {rows:,} achievements ({k:,} by the kernel), {a:,} achieved, "
        )
        kernel, achieved = kernel + k, achieved + a
    assert lines[2].startswith(
        f"2 agencies: 720 achievements ({kernel:,} by the kernel), {achieved:,} achieved; "
    )


def test_a_rule_option_reaches_every_agency(
    dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # without a cap some percents pass 100 (a count realised over its target); --cap 100
    # holds them at 100 (Rules.cap: a host's choice; no regulation caps the plain percent)
    _batch(capsys, dataset, *_periods(), "--output", tmp_path / "free")
    status, _, _ = _batch(
        capsys, dataset, *_periods(), "--output", tmp_path / "capped", "--cap", "100"
    )
    assert status == 0
    free = pq.read_table(tmp_path / "free")
    capped = pq.read_table(tmp_path / "capped")
    assert pc.max(free["percent"]).as_py() > 100
    assert pc.max(capped["percent"]).as_py() == 100
    assert capped["reference"].equals(free["reference"])


def test_two_local_workers_write_what_one_process_writes(
    dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("distributed")
    _batch(capsys, dataset, *_periods(), "--output", tmp_path / "one")
    status, out, _ = _batch(
        capsys, dataset, *_periods(), "--output", tmp_path / "two", "--workers", "2"
    )
    assert status == 0
    assert sorted(line.split(":")[0] for line in out.splitlines()[:2]) == [
        "agency A01",
        "agency A02",
    ]  # in the order they were done
    for agency in SERVANTS:
        one = pq.read_table(tmp_path / "one" / f"agency={agency}")
        two = pq.read_table(tmp_path / "two" / f"agency={agency}")
        assert two.equals(one)


def test_what_cannot_be_computed_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _batch(capsys, tmp_path / "nowhere", "-p", "2025", "-o", tmp_path / "o")
    assert (status, out) == (2, "")
    assert f"no such file: {tmp_path / 'nowhere'}" in err
    (tmp_path / "empty").mkdir()
    status, _, err = _batch(capsys, tmp_path / "empty", "-p", "2025", "-o", tmp_path / "o")
    assert status == 2
    assert "no agency in" in err
    with pytest.raises(SystemExit) as exit_:
        main(["batch", str(tmp_path), "-p", "2025", "-o", str(tmp_path), "--workers", "0"])
    assert exit_.value.code == 2
    assert "expected a number of worker processes, 1 or more, got 0" in capsys.readouterr().err


def test_one_agency_computed_again(
    dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _batch(
        capsys, dataset, *_periods(), "--output", tmp_path / "out", "--agency", "A02"
    )
    assert (status, err) == (0, "")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["agency=A02"]
    lines = out.splitlines()
    # 25 servants x 8 indicators x 2 periods (synthetic generator): 400 achievements
    assert lines[0].startswith("agency A02: 400 achievements (")
    assert lines[1].startswith("1 agencies: 400 achievements (")
    expected = compute_agency(str(dataset), "A02", PERIODS)
    assert isinstance(expected, pa.Table)
    written = pq.read_table(tmp_path / "out" / "agency=A02" / "part-0.parquet")
    assert written.equals(expected.drop_columns(["agency"]))
    status, out, err = _batch(capsys, dataset, "-p", "2025", "-o", tmp_path / "x", "-a", "B09")
    assert (status, out) == (2, "")
    assert f"no agency B09 in {dataset}: its agencies are A01, A02" in err
    assert not (tmp_path / "x").exists()


def test_a_missing_pyarrow_names_the_columnar_extra(
    dataset: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # an install without the "columnar" extra: pyarrow is in "frames" too, but the batch
    # also needs numpy, which "columnar" brings
    import builtins
    import sys

    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: object, **kwargs: object) -> object:
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    for name in [m for m in sys.modules if m.startswith("iki_core.columnar")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    status, out, err = _batch(capsys, dataset, "-p", "2025", "-o", tmp_path / "out")
    assert (status, out) == (2, "")
    assert "this needs pyarrow, which is not installed" in err
    assert 'pip install "iki-core[columnar]"' in err
