"""realisations_from_records: the CSV reader's checks on dicts, named tuples and rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

import pytest

from iki_core import Period, parse_quantity
from iki_core.errors import InvalidValueError
from iki_core.model import (
    Count,
    Document,
    Indicator,
    Objective,
    PercentageFormula,
    Sheet,
    Target,
)
from iki_core.tracking import realisations_from_records


def document() -> Document:
    """1:1 people (orang), 1:2 items (buah), 1:3 a percentage formula X/Y."""
    reg_orang = parse_quantity("1 orang").unit
    reg_buah = parse_quantity("1 buah").unit
    indicators = [
        Indicator("1", "Peserta", Count(reg_orang), [Target.parse(2021, "400 orang")]),
        Indicator("2", "Barang", Count(reg_buah), [Target.parse(2021, "48 buah")]),
        Indicator("3", "Persentase", PercentageFormula("X", "Y"), [Target.parse(2021, "90%")]),
    ]
    return Document(
        [
            Sheet(
                1,
                "Kepala Bidang",
                plan_years=[2021],
                objectives=[Objective("1", "Sasaran", indicators)],
            )
        ]
    )


class Row(NamedTuple):
    indicator: str
    period: str
    value: object = None
    numerator: object = None
    denominator: object = None


class OrmRow:
    """An ORM instance: fields are attributes, under the application's own names."""

    def __init__(self, kode: str, periode: str, nilai: object) -> None:
        self.kode_indikator = kode
        self.periode = periode
        self.nilai = nilai


def test_python_values_convert_exactly() -> None:
    rs = realisations_from_records(
        [
            {
                "Indicator": "1:1",
                "period": Period.quarter(2021, 3),
                "value": 95,
                "reported_on": dt.datetime(2021, 10, 6, 14, 30),
            },
            Row("1:2", "TW II 2021", value="2 lusin"),
            Row("1:3", "2021-Q1", numerator=Decimal("2.5"), denominator="1.250"),
            {
                "indikator": "1:1",
                "periode": "2021-01",
                "realisasi": parse_quantity("5 orang"),
                "tanggal_lapor": "2021-02-02T09:00:00+07:00",
                "catatan": "desa",
            },
        ],
        document(),
    )
    assert rs.ok
    one, items, ratio, july = rs.realisations
    assert (one.value, one.reported_on) == (parse_quantity("95 orang"), dt.date(2021, 10, 6))
    assert one.value is not None
    assert one.value.unit.name == "orang"  # a bare number is in the indicator's unit
    # lusin = 12 buah (docs/units.md): converted to the indicator's unit, text kept
    assert items.value is not None
    assert (items.value.magnitude, items.value.unit.name, items.value.text) == (
        Decimal(24),
        "buah",
        "2 lusin",
    )
    # "1.250" is one thousand two hundred fifty, the Indonesian way (DOMAIN, Numbers)
    assert (ratio.numerator, ratio.denominator) == (Decimal("2.5"), Decimal(1250))
    assert (july.period, july.reported_on, july.note) == (
        Period.month(2021, 1),
        dt.date(2021, 2, 2),
        "desa",
    )


def test_every_bad_record_is_reported_with_its_index_and_no_good_one_dropped() -> None:
    records = [
        {"indicator": "1:1", "period": "2021-Q1", "value": "120 orang"},  # 0 good
        {"indicator": "1:1", "period": "2021-Q2", "value": 12.5},  # 1 float
        {"indicator": "1:9", "period": "2021-Q2", "value": 3},  # 2 unknown
        {"indicator": "1:2", "period": "2021-Q2", "value": "3 orang"},  # 3 unit
        {"indicator": "1:3", "period": "2021-Q2", "numerator": 1},  # 4 incomplete
        {"indicator": "1:1", "period": "2021-02", "value": 4},  # 5 overlaps 0
        {"indicator": "1:2", "period": "2021-Q3", "value": "6 buah"},  # 6 good
        {"indicator": "1:1", "period": "2021", "value": 4},  # 7 a year
        {"indicator": "1:3", "period": "2021-Q3", "value": "50%"},  # 8 percentage value
        {"indicator": "1:1", "period": "2021-Q4", "value": "-3"},  # 9 negative
        {"indicator": "1:1", "period": "2021-Q4", "value": 3, "reported_on": "besok"},  # 10
    ]
    rs = realisations_from_records(records, document())
    assert [(r.indicator, str(r.period)) for r in rs.realisations] == [
        ("1:1", "2021-Q1"),
        ("1:2", "2021-Q3"),
    ]
    assert rs.skipped == (1, 2, 3, 4, 5, 7, 8, 9, 10)
    assert [str(d) for d in rs.diagnostics] == [
        "error [bad-value] record 1: value: expected Decimal or int (floats lose digits; "
        "pass Decimal(str(x))), got float 12.5",
        "error [unknown-indicator] record 2: indicator '1:9': the document has no such indicator",
        "error [unit-mismatch] record 3: " + rs.diagnostics[2].message.split(": ", 1)[1],
        "error [incomplete-ratio] record 4: 1:3: denominator is empty (X and Y go together)",
        "error [overlapping-period] record 5: 1:1 2021-02 overlaps 2021-Q1 reported in record 0 "
        "(the same months would be counted twice)",
        # worded as check_realisations words the same rule (diagnostic.check.period-kind)
        "error [period-kind] record 7: 1:1 2021 is a year; realisations are of a month or a "
        "quarter",
        "error [value-for-percentage] record 8: 1:3 is a percentage formula X/Y: give "
        "numerator and denominator",
        "error [negative] record 9: value: '-3' is negative",
        "error [bad-date] record 10: " + rs.diagnostics[8].message.split(": ", 1)[1],
    ]
    assert "'3 orang'" in rs.diagnostics[2].message
    assert "besok" in rs.diagnostics[8].message


def test_orm_objects_with_field_names() -> None:
    rows = [OrmRow("1:1", "2021-Q1", "7"), OrmRow("1:1", "2021-Q1", "8")]
    rs = realisations_from_records(rows, document(), fields={"indicator": "kode_indikator"})
    assert [str(r.value) for r in rs.realisations] == ["7 orang"]
    assert [d.code for d in rs.errors] == ["duplicate-row"]
    assert rs.errors[0].message.startswith("record 1: 1:1 2021-Q1 is already reported in record 0")
    with pytest.raises(InvalidValueError):
        realisations_from_records(rows, document(), fields={"kode": "kode_indikator"})


def test_sqlalchemy_rows() -> None:
    sa = pytest.importorskip("sqlalchemy")
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT '1:1' AS indicator, '2021-Q2' AS period, '41' AS value")
        ).all()
    engine.dispose()
    rs = realisations_from_records(rows, document())
    assert [str(r.value) for r in rs.realisations] == ["41 orang"]
