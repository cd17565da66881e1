"""The bulk readers read what the row reader reads (iki_core.columnar.readers)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from iki_core.columnar import indicators_table, realisations_from_table
from iki_core.columnar.readers import (
    ALIASES,
    read_indicators_parquet,
    read_realisations_csv,
    read_realisations_parquet,
)
from iki_core.errors import IkiParseError
from iki_core.model import Count, Document, Indicator, Objective, PercentageFormula, Sheet, Target
from iki_core.realisations import loads_realisations
from iki_core.units import parse_quantity

CSV = """\ufeff# realisasi 2021
indikator;periode;nilai;pembilang;penyebut;tanggal_lapor;catatan
1:1;2021-Q1;;2;4;2021-04-07;
1:2;2021-01;1.250;;;2021-02-02;
1:2;TW II 2021;"95,5 orang peserta";;;5 Oktober 2021;dialog di tiga kecamatan

1:2;Juli 2021;3;;;05/10/2021;
1:2;2021-08;2 lusin;;;;
"""


def _doc() -> Document:
    pct = Indicator(
        "1", "Persentase", PercentageFormula("X", "Y"), targets=[Target.parse(2021, "80%")]
    )
    count = Indicator(
        "2",
        "Peserta",
        Count(parse_quantity("1 orang").unit),
        targets=[Target.parse(2021, "200 orang")],
    )
    return Document(
        [Sheet(1, "K", plan_years=[2021], objectives=[Objective("1", "S", [pct, count])])]
    )


def _facts(reals: object) -> list[tuple[object, ...]]:
    return [
        (
            r.indicator,
            r.period,
            None if r.value is None else r.value.magnitude,
            None if r.value is None else r.value.unit.name,
            r.numerator,
            r.denominator,
            r.reported_on,
            r.note,
        )
        for r in reals  # type: ignore[attr-defined]
    ]


def test_csv_reads_what_the_row_reader_reads() -> None:
    bulk = read_realisations_csv(CSV.encode())
    rows = loads_realisations(CSV, _doc())
    # "2 lusin" for a count in orang is refused by the row reader (units of another
    # dimension); the bulk reader keeps the row as written, the computation refuses it
    assert [d.code for d in rows.errors] == ["unit-mismatch"]
    # a bare number stays bare (unit ""): the engine reads it in the indicator's unit, as
    # the row reader does when it writes that unit in
    bare_as_orang = [
        (*f[:3], f[3] or ("orang" if f[2] is not None else None), *f[4:])
        for f in _facts(realisations_from_table(bulk))
    ]
    assert bare_as_orang[:-1] == _facts(rows.realisations)
    assert bulk["unit"].to_pylist()[-1] == "lusin"
    assert bulk["value"].to_pylist()[1] == Decimal(1250)  # "1.250": a thousands dot


def test_bad_cells_are_all_reported_with_their_lines() -> None:
    data = b"indicator,period,value,reported_on\n1:1,2021,lima,\n\n1:1,2021,1.25,kemarin\n"
    with pytest.raises(IkiParseError) as caught:
        read_realisations_csv(data, source="r.csv")
    assert [(d.line, d.code) for d in caught.value.diagnostics] == [
        (2, "bad-value"),
        (4, "bad-value"),
        (4, "bad-date"),
    ]
    assert str(caught.value).startswith("r.csv: 3 problem(s) found\n  line 2: error [bad-value]")


def test_a_header_without_the_columns_is_refused() -> None:
    with pytest.raises(IkiParseError, match="no column period"):
        read_realisations_csv(b"indicator,value\n1:1,3\n")


def test_parquet_reads_typed_and_text_columns(tmp_path: Path) -> None:
    table = read_realisations_csv(CSV.encode())
    pq.write_table(table, tmp_path / "typed.parquet")
    assert read_realisations_parquet(tmp_path / "typed.parquet").equals(table)
    raw = pq.read_table(tmp_path / "typed.parquet")
    import pyarrow as pa

    as_text = raw.set_column(2, "nilai", pa.array(["", "1.250", "95,5 orang", "3", "2 lusin"]))
    as_text = as_text.drop_columns(["unit"])
    pq.write_table(as_text, tmp_path / "text.parquet")
    assert read_realisations_parquet(tmp_path / "text.parquet").equals(table)


def test_aliases_are_the_row_readers() -> None:
    from iki_core import realisations

    assert dict(ALIASES) == {
        k: v for k, v in realisations.COLUMN_ALIASES.items() if v in realisations.COLUMNS
    }
    assert ALIASES["realisasi"] == "value"
    assert "nama" not in ALIASES  # the template's name column is read past, not bulk-read


def test_parquet_is_read_batch_by_batch(tmp_path: Path) -> None:
    """Row groups of two rows read two rows at a time: the same table; only the columns
    asked for (the others empty); the repeated texts as dictionaries when asked."""
    import pyarrow as pa

    table = read_realisations_csv(CSV.encode())
    pq.write_table(table, tmp_path / "r.parquet", row_group_size=2)
    path = tmp_path / "r.parquet"
    assert read_realisations_parquet(path, batch_size=2).equals(table)
    no_note = read_realisations_parquet(path, columns=["indicator", "periode", "value"])
    assert no_note["period"].equals(table["period"])  # "periode": its Indonesian name
    assert no_note["note"].null_count == len(table) == no_note["numerator"].null_count
    coded = read_realisations_parquet(path, dictionary=True, batch_size=2)
    assert pa.types.is_dictionary(coded.schema.field("period").type)
    assert coded.cast(table.schema).equals(table)


def test_bad_parquet_cells_of_every_batch_are_reported_with_their_rows(tmp_path: Path) -> None:
    import pyarrow as pa

    text = pa.table(
        {
            "indicator": ["1:1"] * 5,
            "period": ["2021"] * 5,
            "value": ["1", "lima", "2", "3", "enam"],  # rows 2 and 5, in two batches
        }
    )
    pq.write_table(text, tmp_path / "t.parquet", row_group_size=2)
    with pytest.raises(IkiParseError) as caught:
        read_realisations_parquet(tmp_path / "t.parquet", batch_size=2)
    messages = [d.message for d in caught.value.diagnostics]
    assert [m.split(":")[0] for m in messages] == ["row 2", "row 5"]


def test_indicators_parquet_keeps_every_column(tmp_path: Path) -> None:
    import pyarrow as pa

    table = indicators_table(_doc())
    pq.write_table(table, tmp_path / "i.parquet", row_group_size=1)
    coded = read_indicators_parquet(tmp_path / "i.parquet", batch_size=1)
    assert pa.types.is_dictionary(coded.schema.field("target_text").type)
    assert coded.cast(table.schema).equals(table)
    assert read_indicators_parquet(tmp_path / "i.parquet", dictionary=False).equals(table)
