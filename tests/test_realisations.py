"""Reading realisations CSV files (iki_core.realisations)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import pickle
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iki_core import loaders
from iki_core.errors import IkiParseError
from iki_core.model import (
    Count,
    Document,
    Indicator,
    Objective,
    PercentageFormula,
    Realisation,
    Sheet,
    Target,
)
from iki_core.numbers import format_number
from iki_core.periods import Period
from iki_core.realisations import (
    RealisationSet,
    check_realisations,
    load_realisations,
    loads_realisations,
)
from iki_core.units import get_registry, parse_quantity
from tests.strategies import non_negative_decimals

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
YEARS = range(2018, 2023)


def _targets(text: str) -> list[Target]:
    return [Target.parse(y, text) for y in YEARS]


def _document() -> Document:
    """A small document shaped like the seed: a percentage sheet and a count sheet."""
    conflicts = Indicator(
        id="1",
        name="Persentase konflik SARA yang terselesaikan",
        kind=PercentageFormula("Jumlah gejala konflik yang dapat diatasi", "Jumlah gejala"),
        targets=_targets("100,00%"),
    )
    letters_in = Indicator(
        id="1.1",
        name="Jumlah surat masuk",
        kind=Count(get_registry().unit("")),
        targets=_targets("550"),
    )
    letters_out = Indicator(
        id="1.2",
        name="Jumlah surat keluar",
        kind=Count(get_registry().unit("")),
        targets=_targets("450"),
    )
    participants = Indicator(
        id="2",
        name="Jumlah peserta sosialisasi",
        kind=Count(get_registry().unit("orang")),
        targets=_targets("250 orang peserta"),
    )
    supplies = Indicator(
        id="3",
        name="Jumlah map arsip",
        kind=Count(get_registry().unit("buah")),
        targets=_targets("48 buah"),
    )
    return Document(
        [
            Sheet(
                1,
                "Kepala Kantor",
                objectives=[Objective("1", "SARA", [conflicts])],
            ),
            Sheet(
                2,
                "Kepala Sub Bagian Tata Usaha",
                objectives=[
                    Objective("1", "Tersedianya jasa surat menyurat", [letters_in, letters_out]),
                    Objective("2", "Sosialisasi", [participants]),
                    Objective("3", "Tersedianya alat tulis kantor", [supplies]),
                ],
            ),
        ]
    )


DOC = _document()


def test_good_rows_are_read_with_their_units_and_sources() -> None:
    text = (
        "indicator,period,value,numerator,denominator,reported_on,note\n"
        "1:1,2021-Q1,,2,2,2021-04-07,\n"
        '1:1,2021-Q2,,"1.250","1.300",7 Juli 2021,"satu kasus, dimediasi"\n'
        "2:1.1,2021-01,41,,,2021-02-02,\n"
        "2:2,TW III 2021,150 orang,,,,\n"
        "2:3,2021-Q2,2 lusin,,,,\n"
    )
    rs = loads_realisations(text, DOC, source="r.csv")
    assert rs.ok
    assert rs.diagnostics == ()
    assert rs.skipped == ()
    assert len(rs) == 5
    first, second, letters, people, supplies = rs.realisations
    assert (first.indicator, first.period) == ("1:1", Period.quarter(2021, 1))
    assert (first.numerator, first.denominator, first.value) == (Decimal(2), Decimal(2), None)
    # "1.250" is one thousand two hundred fifty in Indonesian (docs/rules.md, Numbers).
    assert (second.numerator, second.denominator) == (Decimal(1250), Decimal(1300))
    assert second.reported_on == dt.date(2021, 7, 7)
    assert second.note == "satu kasus, dimediasi"
    # A bare value is in the indicator's unit (the bare count of "550").
    assert letters.value is not None
    assert letters.value.magnitude == Decimal(41)
    assert letters.value.unit.is_bare
    # "orang" is the unit of "orang peserta": no conversion, same unit.
    assert people.period == Period.quarter(2021, 3)
    assert people.value == parse_quantity("150 orang peserta")
    # 2 lusin = 24 buah (units.txt: lusin = 12 * buah): converted, the text kept.
    assert supplies.value is not None
    assert supplies.value.unit.name == "buah"
    assert supplies.value.magnitude == Decimal(24)
    assert supplies.value.text == "2 lusin"
    assert supplies.source is not None
    assert supplies.source.line == 6
    assert supplies.source.get("value") == "2 lusin"
    assert rs.for_indicator("1:1") == (first, second)


def test_semicolons_bom_indonesian_headers_and_decimal_comma() -> None:
    text = (
        "\ufeffIndikator;Periode;Realisasi;Pembilang;Penyebut;Tanggal Lapor;Catatan\n"
        "2:2;Juli 2021;95,5 orang;;;05/08/2021;setengah hari\n"
        "1:1;2021-Q3;;3;4;;\n"
    )
    rs = loads_realisations(text, DOC)
    assert rs.ok, rs.diagnostics
    people, ratio = rs.realisations
    assert people.period == Period.month(2021, 7)
    assert people.value is not None
    assert people.value.magnitude == Decimal("95.5")
    assert people.reported_on == dt.date(2021, 8, 5)  # day first
    assert people.note == "setengah hari"
    assert (ratio.numerator, ratio.denominator) == (Decimal(3), Decimal(4))


BAD = (
    "indicator,period,value,numerator,denominator,reported_on,note\n"
    "2:1.1,2021-01,41,,,,\n"  # line 2: good
    "2:9,2021-01,41,,,,\n"  # 3: unknown indicator
    "2:1.1,2021-02,empat puluh,,,,\n"  # 4: unreadable value
    "2:1.1,2021-Q5,40,,,,\n"  # 5: unreadable period
    "2:2,2021-Q1,3 unit,,,,\n"  # 6: incompatible unit
    "2:2,2024-Q1,30 orang,,,,\n"  # 7: outside the plan years 2018-2022
    "2:1.1,2021-01,12,,,,\n"  # 8: duplicate of line 2
    "2:1.1,2021-Q1,12,,,,\n"  # 9: overlaps line 2
    "2:1.2,2021-Q1,95,5,,,,\n"  # 10: unquoted decimal comma
    "2:1.2,2021-Q1,,3,4,,\n"  # 11: X/Y for a count
    "1:1,2021-Q1,95%,,,,\n"  # 12: a percentage alone
    "1:1,2021-Q2,,3,,,\n"  # 13: Y missing
    "2:1.2,2021,450,,,,\n"  # 14: a whole year
    "2:1.2,2021-Q2,110,,,31 Juni 2021,\n"  # 15: no such date
    "1:1,2021-Q3,,1.25,2,,\n"  # 16: ambiguous number
    "2:1.2,2021-Q3,-4,,,,\n"  # 17: negative
    "2:1.2,2021-Q4,,,,,\n"  # 18: nothing reported yet: not an error
    "2:1.2,2021-Q4,,,,2021-10-05,\n"  # 19: a date but no value
)


def test_every_bad_row_is_reported_with_its_line() -> None:
    rs = loads_realisations(BAD, DOC)
    assert [r.indicator for r in rs.realisations] == ["2:1.1"]
    assert rs.skipped == (*range(3, 18), 19)
    assert rs.not_reported == (18,)
    assert not rs.ok
    messages = [str(d) for d in rs.diagnostics]
    assert messages == [
        "line 3: error [unknown-indicator] indicator '2:9': the document has no such "
        "indicator (did you mean '2:3' or '2:2'?)",
        "line 4: error [bad-value] value: cannot read 'empat puluh' as a quantity: it does "
        "not start with a number",
        "line 5: error [bad-period] period: cannot read '2021-Q5' as a period: quarter 5 "
        "does not exist (1 to 4)",
        "line 6: error [unit-mismatch] value for 2:2: '3 unit' is not convertible to "
        "'orang' (unit is not orang)",
        "line 7: error [outside-plan] period '2024-Q1' is outside the plan years of sheet 2 "
        "(2018-2022)",
        "line 8: error [duplicate-row] 2:1.1 2021-01 is already reported on line 2 (each row "
        "is that period alone: one row per indicator and period)",
        "line 9: error [overlapping-period] 2:1.1 2021-Q1 overlaps 2021-01 reported on line 2 "
        "(the same months would be counted twice)",
        "line 10: error [ragged-row] the row has 8 cells but the header has 7 (extra: ''); a "
        'number with a decimal comma must be quoted ("95,5") or the file separated by '
        "semicolons",
        "line 11: error [ratio-for-count] 2:1.2 is a count in bare numbers, not a percentage "
        "formula: give its value, not numerator and denominator",
        "line 12: error [value-for-percentage] 1:1 is a percentage formula X/Y: give "
        "numerator and denominator (percentages of several periods are combined as "
        "sum(X)/sum(Y), so a percentage alone cannot be used)",
        "line 13: error [incomplete-ratio] 1:1: denominator is empty (X and Y go together)",
        "line 14: error [period-kind] period '2021' is a year; report each month or quarter "
        "on a row of its own (the achievement of longer periods is computed from them)",
        "line 15: error [bad-date] reported_on: cannot read '31 Juni 2021' as a period: not a "
        "date (expected e.g. '12 Januari 2021')",
        "line 16: error [bad-number] numerator: cannot read '1.25' as a number: the group "
        "after '.' must have three digits (Indonesian numbers write the decimal part after a "
        "comma, e.g. '1,25')",
        "line 17: error [negative] value: '-4' is negative",
        "line 18: info [not-reported] 2:1.2 2021-Q4: not yet reported (no value, numerator "
        "or denominator); left out",
        "line 19: error [missing-value] 2:1.2: no value and no numerator/denominator",
    ]
    # The offending row is kept as written.
    assert rs.diagnostics[1].text == "2:1.1,2021-02,empat puluh,,,,"


def test_raise_for_errors_carries_every_diagnostic() -> None:
    rs = loads_realisations(BAD, DOC, source="bad.csv")
    with pytest.raises(IkiParseError) as info:
        rs.raise_for_errors()
    assert len(info.value.diagnostics) == 17  # 16 errors and the not-reported note
    assert str(info.value).startswith(
        "bad.csv: 16 problem(s) found\n  line 3: error [unknown-indicator]"
    )
    assert isinstance(info.value, ValueError)
    good = loads_realisations(BAD.split("\n", 2)[0] + "\n" + BAD.split("\n", 2)[1], DOC)
    assert good.raise_for_errors() is good
    assert pickle.loads(pickle.dumps(rs)) == rs


def test_missing_column_refuses_the_file() -> None:
    with pytest.raises(IkiParseError) as info:
        loads_realisations("indicator,value\n2:1.1,41\n", DOC, source="r.csv")
    [diagnostic] = info.value.diagnostics
    assert str(diagnostic) == (
        "line 1: error [missing-column] the header has no column period; it has indicator, value"
    )


def test_unknown_columns_are_kept_and_warned_about() -> None:
    rs = loads_realisations("indicator,period,value,pic\n2:1.1,2021-01,41,Budi\n", DOC)
    assert [str(d) for d in rs.diagnostics] == [
        "line 1: warning [unknown-column] column 'pic' is not one of indicator, period, "
        "value, numerator, denominator, reported_on, note; its cells are kept with each "
        "realisation but not read"
    ]
    assert rs.ok
    source = rs.realisations[0].source
    assert source is not None
    assert source.get("pic") == "Budi"


def test_line_numbers_count_blank_comment_and_multiline_rows() -> None:
    text = (
        "# realisasi 2021\n"
        "indicator,period,value,note\n"
        "\n"
        '2:1.1,2021-01,41,"dua\nbaris"\n'
        "2:1.1,2021-02,x,\n"
    )
    rs = loads_realisations(text, DOC)
    assert rs.realisations[0].note == "dua\nbaris"
    assert rs.realisations[0].source is not None
    assert rs.realisations[0].source.line == 4
    assert rs.skipped == (6,)


def test_report_date_before_the_period_is_a_warning() -> None:
    rs = loads_realisations(
        "indicator,period,value,reported_on\n2:1.1,2021-Q3,41,2021-06-30\n", DOC
    )
    assert rs.ok
    assert [str(d) for d in rs.diagnostics] == [
        "line 2: warning [reported-early] reported_on '2021-06-30' is before the period "
        "2021-Q3 began"
    ]


def test_load_from_path_with_bom_and_from_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("\ufeffindicator;period;value\n2:1.1;2021-01;41\n".encode())
    rs = load_realisations(path, DOC)
    assert rs.source == str(path)
    assert rs.ok
    assert len(rs) == 1
    path.write_bytes(
        "indicator,period,value,note\n2:1.1,2021-01,41,rapat \xe9valuasi\n".encode("cp1252")
    )
    rs = load_realisations(str(path), DOC)
    assert rs.realisations[0].note == "rapat évaluasi"
    assert [d.code for d in rs.diagnostics] == ["encoding"]
    assert rs.diagnostics[0].line == 2
    rs = load_realisations("indicator,period,value\n2:1.1,2021-01,41\n", DOC)
    assert len(rs) == 1
    with pytest.raises(FileNotFoundError):
        load_realisations(tmp_path / "missing.csv", DOC)


def test_empty_file_is_refused() -> None:
    with pytest.raises(IkiParseError, match=r"\[empty-file\] no header line and no rows"):
        loads_realisations("\n# only a comment\n", DOC)


def test_the_example_file_reads_cleanly_against_the_seed_document() -> None:
    document = loaders.load(EXAMPLES / "kesbangpol_lampung_barat_2018-2022.txt")
    rs = load_realisations(EXAMPLES / "realisasi_2021.csv", document)
    assert rs.diagnostics == ()
    assert isinstance(rs, RealisationSet)
    assert len(rs) == 51
    kinds = {r.period.kind for r in rs}
    assert kinds == {"month", "quarter"}
    # Sheet 3 row 1 targets "250 orang peserta"; the file reports "95 orang" in 2021-Q3.
    [q3] = [r for r in rs.for_indicator("3:1") if r.period == Period.quarter(2021, 3)]
    assert q3.value == parse_quantity("95 orang peserta")
    # Letters received (2:1.1) are reported monthly: 41+38+52+47+44+49+39+51+46 = 407.
    letters = rs.for_indicator("2:1.1")
    assert sum(r.value.magnitude for r in letters if r.value is not None) == 407


@given(
    x=non_negative_decimals(),
    y=non_negative_decimals(),
    delimiter=st.sampled_from([",", ";", "\t"]),
    grouping=st.booleans(),
)
def test_indonesian_numbers_as_a_spreadsheet_writes_them_read_back_exactly(
    x: Decimal, y: Decimal, delimiter: str, grouping: bool
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["indicator", "period", "numerator", "denominator"])
    writer.writerow(
        ["1:1", "2021-Q1", format_number(x, grouping=grouping), format_number(y, grouping=grouping)]
    )
    rs = loads_realisations(buffer.getvalue(), DOC)
    assert rs.diagnostics == ()
    [realisation] = rs.realisations
    assert (realisation.numerator, realisation.denominator) == (x, y)


def test_check_realisations_built_in_code_reports_what_the_reader_would() -> None:
    # Realisations from an application's database skip the CSV reader; the same checks
    # apply, every problem at once.
    doc = loaders.load(EXAMPLES / "kesbangpol_lampung_barat_2018-2022.txt")
    q3 = Period.parse("2021-Q3")
    rows = [
        Realisation("3:1", q3, value=parse_quantity("95 orang")),  # fine
        Realisation("3:1", q3, value=parse_quantity("5 orang")),  # the same period again
        Realisation("2:3", q3, value=parse_quantity("3 orang")),  # 2:3 is in unit
        Realisation("2:3", Period.parse("2021-Q2"), numerator=1, denominator=2),
        Realisation("1:1", Period.parse("2023-Q1"), numerator=1, denominator=2),
        Realisation("1:2", Period.parse("2021"), value=parse_quantity("80%")),
    ]
    assert [(d.code, d.message) for d in check_realisations(doc, rows)] == [
        (
            "duplicate-row",
            "realisation 2: 3:1 2021-Q3 is already reported on realisation 1 (each row is "
            "that period alone: one row per indicator and period)",
        ),
        (
            "unit-mismatch",
            "realisation 3: value for 2:3: '3 orang' is not convertible to 'unit' "
            "(orang is not unit)",
        ),
        (
            "ratio-for-count",
            "realisation 4: 2:3 is a count, not a percentage formula: give its value",
        ),
        ("outside-plan", "realisation 5: 1:1 2023-Q1 is outside the plan years"),
        (
            "period-kind",
            "realisation 6: 1:2 2021 is a year; realisations are of a month or a quarter",
        ),
        (
            "value-for-percentage",
            "realisation 6: 1:2 is a percentage formula X/Y: give numerator and denominator",
        ),
    ]
    assert check_realisations(doc, rows[:1]) == ()


def test_a_reported_on_given_as_text_or_datetime_reaches_the_engine_as_a_date() -> None:
    # Realisation's docstring: reported_on is converted at creation, so check_realisations
    # and achievements() see the same date (before, the engine raised a plain TypeError).
    import datetime as dt

    from iki_core import achievements

    doc = loaders.load(EXAMPLES / "kesbangpol_lampung_barat_2018-2022.txt")
    q3 = Period.parse("2021-Q3")
    given: list[dt.date | str] = ["2021-10-05", dt.datetime(2021, 10, 5, 9, 30)]
    for reported_on in given:
        r = Realisation("3:1", q3, value=parse_quantity("95 orang"), reported_on=reported_on)
        assert r.reported_on == dt.date(2021, 10, 5)
        assert check_realisations(doc, [r]) == ()
        [a] = [a for a in achievements(doc, [r], [q3]) if a.reference == "3:1"]
        assert a.realised is not None


# --- templates, xlsx and English numbers ---------------------------------------------------
KESBANG = loaders.load(EXAMPLES / "kesbangpol_lampung_barat_2018-2022.txt")


def test_a_template_with_rows_left_empty_reads_as_not_reported() -> None:
    from iki_core.report.template import template_rows, write_template_csv

    out = io.StringIO()
    write_template_csv(template_rows(KESBANG, 2021, sheets=[1]), out, lang="id")
    lines = out.getvalue().splitlines()
    # 1:1 is a percentage formula X/Y: its unit cell says to give X and Y
    assert lines[1] == (
        "1:1,2021-Q1,Persentase konflik SARA yang terselesaikan,"
        '% (pembilang/penyebut),"100,00",,,,,'
    )
    lines[3] = lines[3].replace(",,,,,", ",,3,4,,")  # 1:1 2021-Q3: 3 of 4
    rs = loads_realisations("\n".join(lines) + "\n", KESBANG)
    assert rs.ok
    assert [(r.indicator, str(r.period), r.numerator, r.denominator) for r in rs] == [
        ("1:1", "2021-Q3", Decimal(3), Decimal(4))
    ]
    # 2 indicators x 4 quarters, one filled: 7 rows not yet reported, none an error,
    # no warning for the template's own columns
    assert rs.not_reported == (2, 3, 5, 6, 7, 8, 9)
    assert {d.code for d in rs.diagnostics} == {"not-reported"}
    assert {d.severity for d in rs.diagnostics} == {"info"}


def test_a_template_written_in_english_reads_back_with_english_numbers() -> None:
    from iki_core.report.template import template_rows, write_template_csv

    out = io.StringIO()
    write_template_csv(template_rows(KESBANG, 2021, sheets=[3], by="month"), out, lang="en")
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("indicator,period,name,unit,target_to_date,value,")
    # 3:1, 250 orang a year: July's target to date is 250 x 7/12 = 145.8333..., shown
    # as the report shows it, rounded half-up to two decimals
    july = next(n for n, line in enumerate(lines) if line.startswith("3:1,2021-07,"))
    assert lines[july].split(",")[4] == "145.83"
    lines[july] = lines[july].replace(",,,,,", ',"1,250.5",,,,')
    rs = loads_realisations("\n".join(lines) + "\n", KESBANG, lang="en")
    [r] = rs.realisations
    assert r.value is not None
    assert r.value.magnitude == Decimal("1250.5")
    # read the Indonesian way, "1,250.5" is refused, never guessed
    assert not loads_realisations("\n".join(lines) + "\n", KESBANG).ok


def _workbook(rows: list[list[object]], formats: dict[tuple[int, int], str]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    for (r, c), fmt in formats.items():
        ws.cell(r, c).number_format = fmt
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_xlsx_cells_are_read_as_they_show_never_as_binary_floats(tmp_path: Path) -> None:
    data = _workbook(
        [
            ["indikator", "periode", "nilai", "pembilang", "penyebut", "tanggal_lapor"],
            ["2:1.1", "2021-07", 0.1, None, None, dt.datetime(2021, 8, 2)],
            ["2:1.1", dt.datetime(2021, 8, 1), 1250.5, None, None, None],
            ["1:1", "2021-Q3", None, 3, 4, None],
            [None, None, None, None, None, None],
            ["3:1", "2021-Q3", 0.955, None, None, None],
            ["2:1.2", "2021-Q1", None, None, None, None],
        ],
        {(6, 3): "0.0%"},
    )
    path = tmp_path / "realisasi.xlsx"
    path.write_bytes(data)
    rs = load_realisations(path, KESBANG)
    by_ref = {(r.indicator, str(r.period)): r for r in rs.realisations}
    july = by_ref["2:1.1", "2021-07"]
    assert july.value is not None
    # 0.1 is the float 0.1000000000000000055...: read through its shortest form, exactly 0.1
    assert july.value.magnitude == Decimal("0.1")
    assert july.reported_on == dt.date(2021, 8, 2)
    august = by_ref["2:1.1", "2021-08"]  # a spreadsheet's 1 August is the month
    assert august.value is not None
    assert august.value.magnitude == Decimal("1250.5")
    ratio = by_ref["1:1", "2021-Q3"]
    assert (ratio.numerator, ratio.denominator) == (Decimal(3), Decimal(4))
    # 0.955 shown "95.5%" is read as "95,5%", which a count of orang refuses: row 6
    [bad] = rs.errors
    assert (bad.line, bad.code) == (6, "unit-mismatch")
    assert "'95,5%'" in bad.message
    # the empty row 5 is skipped, row 7 is not yet reported; row numbers are the lines
    assert rs.not_reported == (7,)
    assert rs.skipped == (6,)
    # an open binary file reads the same
    with path.open("rb") as file:
        assert load_realisations(file, KESBANG).realisations == rs.realisations


def test_an_oversized_cell_is_refused_with_its_line() -> None:
    # The csv module raised its own _csv.Error ("field larger than field limit (131072)").
    doc = loaders.load(
        Path(__file__).parent.parent / "examples/kesbangpol_lampung_barat_2018-2022.txt"
    )
    text = "indicator,period,value\n2:1.1,2021-01,41\n2:1.1,2021-02," + "1" * 140_000 + "\n"
    with pytest.raises(IkiParseError) as info:
        loads_realisations(text, doc)
    [problem] = info.value.diagnostics
    assert (problem.code, problem.line, problem.severity) == ("field-too-large", 3, "error")


def test_the_reader_builds_the_realisations_the_constructor_builds() -> None:
    # _realisations_csv.checked_realisation sets the slots of a row the reader has checked
    # by the realisation rules; each must equal (every field) the one Realisation's own
    # checks build, and the fast way must be in use (the model's fields are those it sets).
    import attrs

    from iki_core import _realisations_csv

    assert _realisations_csv._SETTERS is not None
    text = (
        "indicator,period,value,numerator,denominator,reported_on,note\n"
        "1:1,2021-Q1,,2,2,2021-04-07,\n"
        '1:1,2021-Q2,,"1.250","1.300",7 Juli 2021,"satu kasus"\n'
        "2:1.1,2021-01,41,,,2021-02-02,\n"
        "2:1.2,2021-01,41,,,,\n"
        "2:2,TW III 2021,150 orang,,,,\n"
        "2:3,2021-Q2,2 lusin,,,,\n"
    )
    rs = loads_realisations(text, DOC)
    assert len(rs) == 6
    for r in rs:
        fields = {f.name: getattr(r, f.name) for f in attrs.fields(Realisation)}
        built = Realisation(**fields)
        assert [getattr(built, k) for k in fields] == list(fields.values())
        assert built == r


def test_a_value_written_alike_for_indicators_of_different_units_takes_each_unit() -> None:
    # A bare number is in its indicator's unit (module docs): "12" is 12 letters (a bare
    # count) on one row and 12 people on the next, though the reader reads "12" once.
    text = (
        "indicator,period,value\n"
        "2:1.1,2021-Q1,12\n"
        "2:2,2021-Q1,12\n"
        "2:1.2,2021-Q1,12\n"
        "2:2,2021-Q2,12\n"
    )
    rs = loads_realisations(text, DOC)
    assert rs.diagnostics == ()
    units = [r.value.unit.name if r.value is not None else None for r in rs]
    assert units == ["", "orang", "", "orang"]
    assert all(r.value is not None and r.value.magnitude == 12 for r in rs)
    assert all(r.value is not None and r.value.text == "12" for r in rs)
