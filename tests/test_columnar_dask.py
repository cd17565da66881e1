"""A partitioned dataset on a local Dask cluster of two worker processes gives the same
achievements as one process, and as the object engine (iki_core.columnar.distributed)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from iki_core import engine
from iki_core.columnar import document_from_indicators, realisations_from_table
from iki_core.columnar.distributed import (
    AgencySummary,
    agencies,
    compute_agency,
    compute_dataset,
    write_agency,
)
from iki_core.columnar.synthetic import agency_tables
from iki_core.errors import InvalidValueError
from iki_core.periods import Period

PERIODS = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2025"]
AGENCIES = ("A01", "A02", "B01", "B02")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("national")
    for i, agency in enumerate(AGENCIES):
        indicators, realisations = agency_tables(agency, servants=20 + 5 * i, seed=3)
        write_agency(root, agency, indicators, realisations)
    return root


def test_one_process_equals_the_engine(dataset: Path) -> None:
    assert agencies(dataset) == list(AGENCIES)
    table = compute_agency(str(dataset), "A02", PERIODS)
    assert isinstance(table, pa.Table)
    indicators = pq.read_table(dataset / "indicators" / "agency=A02")
    realisations = pq.read_table(dataset / "realisations" / "agency=A02")
    expected = engine.achievements(
        document_from_indicators(indicators),
        realisations_from_table(realisations),
        [Period.parse(p) for p in PERIODS],
    )
    assert [
        (a.reference, str(a.period), a.percent, a.progress, a.status.value, a.rating)
        for a in expected
    ] == list(
        zip(
            *(
                table[c].to_pylist()
                for c in ("reference", "period", "percent", "progress", "status", "rating")
            ),
            strict=True,
        )
    )
    assert set(table["path"].to_pylist()) == {"kernel", "engine"}  # both paths taken


def test_some_agencies_alone(dataset: Path) -> None:
    some = compute_dataset(dataset, PERIODS, only=["B01", "A02"])
    assert isinstance(some, pa.Table)
    # in the dataset's order, each as compute_agency gives it
    parts = [compute_agency(str(dataset), a, PERIODS) for a in ("A02", "B01")]
    assert some.equals(pa.concat_tables([p for p in parts if isinstance(p, pa.Table)]))
    with pytest.raises(InvalidValueError) as error:
        compute_dataset(dataset, PERIODS, only=["A02", "C07"])
    assert str(error.value) == (
        "agency: expected an agency of the dataset: A01, A02, B01, B02, got 'C07'"
    )


def test_two_workers_equal_one_process(dataset: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    local = compute_dataset(dataset, PERIODS)
    assert isinstance(local, pa.Table)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        gathered = compute_dataset(dataset, PERIODS, client=client)
        summaries = compute_dataset(dataset, PERIODS, client=client, output=tmp_path / "out")
        workers = {w for w, _ in client.run(lambda: None).items()}
    assert len(workers) == 2
    assert isinstance(gathered, pa.Table)
    assert gathered.equals(local)
    written = pq.read_table(tmp_path / "out")  # agency=A01 ... B02, in that order
    assert written.column("percent").to_pylist() == local.column("percent").to_pylist()
    assert isinstance(summaries, list)
    assert all(isinstance(s, AgencySummary) for s in summaries)
    assert sum(s.rows for s in summaries) == len(local)
