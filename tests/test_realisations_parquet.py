"""Realisations from a Parquet file (iki_core._parquetin): read row by row as the same rows
written as CSV are, with a number in ``value`` read in the unit beside it; recorded in a
ledger the bulk way and row by row alike."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from iki_core.errors import InvalidValueError
from iki_core.model import Count, Document, Indicator, Objective, PercentageFormula, Sheet, Target
from iki_core.realisations import load_realisations, loads_realisations
from iki_core.tracking import WIB, Ledger
from iki_core.units import get_registry

BUAH = get_registry().unit("buah")
DOC = Document(
    [
        Sheet(
            1,
            "Pengurus Barang (contoh rekaan)",
            plan_years=[2021],
            objectives=[
                Objective(
                    "1",
                    "Persediaan",
                    [
                        Indicator(
                            "1", "Jumlah map arsip", Count(BUAH), [Target.parse(2021, "48 buah")]
                        ),
                        Indicator(
                            "2",
                            "Persentase surat terjawab",
                            PercentageFormula("Surat dijawab", "Surat masuk"),
                            [Target.parse(2021, "90%")],
                        ),
                    ],
                )
            ],
        )
    ]
)
AT = dt.datetime(2022, 1, 5, 10, 30, tzinfo=WIB)
NOW = dt.datetime(2022, 1, 6, 3, tzinfo=dt.UTC)


def _parquet(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def _typed() -> bytes:
    """Invented rows as the columnar path writes them (REALISATION_SCHEMA's types)."""
    return _parquet(
        pa.table(
            {
                "indicator": ["1:1", "1:1", "1:2", "1:1"],
                "period": ["2021-Q1", "2021-Q2", "2021-Q1", "2021-Q3"],
                "value": pa.array(
                    [Decimal("2"), Decimal("12.500"), None, Decimal("7")], pa.decimal128(9, 3)
                ),
                "unit": ["lusin", "buah", None, ""],
                "numerator": pa.array([None, None, Decimal("45"), None], pa.decimal128(9, 3)),
                "denominator": pa.array([None, None, Decimal("50"), None], pa.decimal128(9, 3)),
                "reported_on": pa.array(
                    [dt.date(2021, 4, 2), None, dt.date(2021, 4, 9), None], pa.date32()
                ),
                "note": ["stok opname", None, "", None],
            }
        )
    )


def test_typed_columns_read_as_the_text_a_person_would_write() -> None:
    rs = loads_realisations(_typed(), DOC)
    assert rs.diagnostics == ()
    boxes, half, letters, bare = rs.realisations
    # units.txt: 1 lusin = 12 buah, so 2 in the unit column's lusin are 24 buah, kept as written
    assert boxes.value is not None
    assert (str(boxes.value.magnitude), boxes.value.unit.name, boxes.value.text) == (
        "24",
        "buah",
        "2 lusin",
    )
    assert (boxes.reported_on, boxes.note) == (dt.date(2021, 4, 2), "stok opname")
    # 12.500 of a decimal(9, 3) column is 12.5: the column's padding is not a digit written
    assert half.value is not None
    assert (str(half.value.magnitude), half.value.text) == ("12.5", "12,5 buah")
    assert (letters.numerator, letters.denominator) == (Decimal(45), Decimal(50))
    # an empty unit cell: the number alone, in the indicator's unit
    assert bare.value is not None
    assert (str(bare.value.magnitude), bare.value.unit.name) == ("7", "buah")


def test_a_parquet_file_reads_as_its_rows_written_as_csv(tmp_path: Path) -> None:
    text = (
        "Indikator,Periode,Realisasi,Catatan\n"
        '1:1,2021-01,"2,25",a\n'
        "1:1,2021-02,3 lusin,\n"
        "1:1,Maret 2021,lima,salah\n"
    )
    data = _parquet(
        pa.table(
            {
                "Indikator": ["1:1", "1:1", "1:1"],
                "Periode": ["2021-01", "2021-02", "Maret 2021"],
                "Realisasi": ["2,25", "3 lusin", "lima"],
                "Catatan": ["a", None, "salah"],
            }
        )
    )
    (tmp_path / "r.parquet").write_bytes(data)
    from_csv = loads_realisations(text, DOC)
    from_parquet = load_realisations(tmp_path / "r.parquet", DOC)
    assert from_parquet.realisations == from_csv.realisations
    assert from_parquet.diagnostics == from_csv.diagnostics
    # the header is line 1, the third row line 4, as in a spreadsheet
    (problem,) = from_parquet.diagnostics
    assert str(problem).startswith("line 4: error [bad-value]")
    assert from_parquet.skipped == (4,)


def test_a_binary_float_is_read_through_its_shortest_decimal() -> None:
    # the float 0.1 is 0.1000000000000000055...; a person reading the file sees 0.1
    data = _parquet(pa.table({"indicator": ["1:1"], "period": ["2021-01"], "value": [0.1]}))
    (r,) = loads_realisations(data, DOC).realisations
    assert r.value is not None
    assert r.value.magnitude == Decimal("0.1")


def test_a_date_in_the_period_column_is_its_month() -> None:
    periods = pa.array([dt.date(2021, 7, 1)], pa.date32())
    data = _parquet(pa.table({"indicator": ["1:1"], "period": periods, "value": [3]}))
    (r,) = loads_realisations(data, DOC).realisations
    assert str(r.period) == "2021-07"


def test_what_no_cell_can_hold_is_refused_by_column() -> None:
    data = _parquet(pa.table({"indicator": ["1:1"], "period": ["2021-01"], "value": [[1, 2]]}))
    with pytest.raises(InvalidValueError, match="column value") as caught:
        loads_realisations(data, DOC)
    assert caught.value.line == 1


def test_a_damaged_parquet_file_is_refused() -> None:
    data = _typed()
    damaged = data[:4] + b"\x00" * 64 + data[68:]
    with pytest.raises(InvalidValueError, match="Parquet"):
        loads_realisations(damaged, DOC)


def test_a_parquet_file_is_recorded_alike_in_bulk_and_row_by_row(tmp_path: Path) -> None:
    sqlalchemy = pytest.importorskip("sqlalchemy")
    assert sqlalchemy
    from iki_core.tracking.store import SqlLedger

    data = _typed()
    memory = Ledger(clock=lambda: NOW)
    by_rows = memory.import_realisations(data, DOC, reported_by="Ani", reported_at=AT)
    with SqlLedger.create(tmp_path / "l.db", clock=lambda: NOW) as sql:
        in_bulk = sql.import_realisations(data, DOC, reported_by="Ani", reported_at=AT)
        assert (in_bulk.count, in_bulk.bulk, by_rows.bulk) == (4, True, False)
        assert attrs.evolve(in_bulk, bulk=False) == by_rows
        assert list(sql.entries()) == list(memory.entries())
        first = next(iter(sql.entries())).report
    # a dated row is reported at the time of reported_at on its date
    assert first.reported_at.isoformat() == "2021-04-02T10:30:00+07:00"
    assert first.value is not None
    assert (str(first.value.magnitude), first.value.text) == ("24", "2 lusin")
