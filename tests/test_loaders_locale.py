"""The number locale of each column: detected from all its cells, stated in one diagnostic
per column, or set by the loader option (docs/formats.md, "Number locale")."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iki_core.cli import main
from iki_core.errors import InvalidValueError
from iki_core.loaders import LoaderOptions, loads
from iki_core.loaders._locale import detect, evidence
from iki_core.model import Document

# Column 2021 is a machine export ("3.2": a decimal point), column 2022 has only "1.250"
# and "2.500" (a dot before three digits reads both ways), column 2023 is written the
# Indonesian way ("3,2": a decimal comma), column 2024 mixes two English cells with one
# Indonesian cell.
TABLE = "\n".join(
    [
        "INDIKATOR KINERJA INDIVIDU (IKI)",
        "1. Jabatan : KEPALA SEKSI (contoh rekaan)",
        "",
        "No\tSasaran\tIndikator\tPenjelasan\t2021\t2022\t2023\t2024\tSumber Data",
        "1\tTersedianya data\tJumlah data A\tCukup Jelas\t3.2\t1.250\t3,2\t4.5\tLaporan",
        "2\tTersedianya arsip\tJumlah data B\tCukup Jelas\t1.250\t2.500\t1.250\t1,5\tLaporan",
        "3\tTersedianya rapat\tJumlah data C\tCukup Jelas\t12\t-\t7\t2.75\tLaporan",
    ]
)


def _values(doc: Document) -> dict[tuple[str, int], Decimal | None]:
    out: dict[tuple[str, int], Decimal | None] = {}
    for ind in doc.sheets[0].indicators:
        for t in ind.targets:
            value = getattr(t.value, "magnitude", None)
            out[(ind.id, t.year)] = value
    return out


def _locale_notes(doc: Document) -> list[tuple[int | None, str, str]]:
    return [(d.line, d.severity, d.message) for d in doc.diagnostics if d.code == "number-locale"]


def test_each_column_is_read_in_the_locale_its_cells_show() -> None:
    doc = loads(TABLE, format="text")
    values = _values(doc)
    # 2021 English: "3.2" is 3.2 and "1.250" is 1.25 (the decimal point of the column)
    assert (values[("1", 2021)], values[("2", 2021)], values[("3", 2021)]) == (
        Decimal("3.2"),
        Decimal("1.25"),
        Decimal("12"),
    )
    # 2022 ambiguous, Indonesian by default: "1.250" is one thousand two hundred fifty
    assert (values[("1", 2022)], values[("2", 2022)]) == (Decimal("1250"), Decimal("2500"))
    assert ("3", 2022) in values
    assert values[("3", 2022)] is None  # "-": no target
    # 2023 Indonesian: "3,2" is 3.2, "1.250" is 1250
    assert (values[("1", 2023)], values[("2", 2023)]) == (Decimal("3.2"), Decimal("1250"))
    # 2024: two English cells against one Indonesian: English; "1,5" cannot be read so
    assert (values[("1", 2024)], values[("3", 2024)]) == (Decimal("4.5"), Decimal("2.75"))
    assert ("2", 2024) not in values
    assert _locale_notes(doc) == [
        (
            4,
            "info",
            "column 'target 2021': numbers are written with a decimal point ('3.2'); every"
            " number of the column is read the English way (decimal point, thousands comma)",
        ),
        (
            4,
            "info",
            "column 'target 2022': every separator is followed by three digits ('1.250'),"
            " which reads both ways; read the Indonesian way (thousands dot, decimal comma);"
            " set the number locale to 'en' (LoaderOptions(number_locale='en'),"
            " --number-locale en) if the column is a machine export",
        ),
        (
            4,
            "warning",
            "column 'target 2024': 2 cell(s) are written the English way ('4.5') and 1 the"
            " Indonesian way ('1,5'); the column is read the English way (the most cells), a"
            " cell that cannot be read so is reported",
        ),
    ]
    unreadable = [d for d in doc.diagnostics if d.code == "unreadable-target"]
    assert [(d.line, d.text) for d in unreadable] == [(6, "1,5")]
    note = next(d for d in doc.diagnostics if d.code == "number-locale")
    assert note.render("id") == (
        "kolom 'target 2021': angka ditulis dengan titik desimal ('3.2'); setiap angka di"
        " kolom ini dibaca cara Inggris (titik desimal, koma ribuan)"
    )


def test_the_option_sets_the_locale_and_says_which_cells_disagree() -> None:
    english = loads(TABLE, format="text", options=LoaderOptions(number_locale="en"))
    values = _values(english)
    # every column English: "1.250" is 1.25, "2.500" is 2.5, "3,2" cannot be read
    assert (values[("2", 2021)], values[("1", 2022)], values[("2", 2022)]) == (
        Decimal("1.25"),
        Decimal("1.25"),
        Decimal("2.5"),
    )
    assert values[("2", 2023)] == Decimal("1.25")
    assert ("1", 2023) not in values
    assert _locale_notes(english) == [
        (
            4,
            "warning",
            "column 'target 2023' is read the English way, as the loader option says, though"
            " 1 cell(s) look written the Indonesian way ('3,2')",
        ),
        (
            4,
            "warning",
            "column 'target 2024' is read the English way, as the loader option says, though"
            " 1 cell(s) look written the Indonesian way ('1,5')",
        ),
    ]
    indonesian = loads(TABLE, format="text", options=LoaderOptions(number_locale="id"))
    values = _values(indonesian)
    # every column Indonesian: "1.250" is 1250 in 2021 too, "3.2" cannot be read
    assert values[("2", 2021)] == Decimal("1250")
    assert ("1", 2021) not in values
    assert values[("2", 2024)] == Decimal("1.5")
    assert [m for _, _, m in _locale_notes(indonesian)] == [
        "column 'target 2021' is read the Indonesian way, as the loader option says, though"
        " 1 cell(s) look written the English way ('3.2')",
        "column 'target 2024' is read the Indonesian way, as the loader option says, though"
        " 2 cell(s) look written the English way ('4.5')",
    ]


def test_quarterly_columns_of_a_rencana_aksi_export() -> None:
    md = "\n".join(
        [
            "**RENCANA AKSI TAHUN 2023**",
            "",
            "| No | Indikator Kinerja | Satuan | TW I | TW II | TW III | TW IV |",
            "|---|---|---|---|---|---|---|",
            "| 1 | Indeks kepuasan masyarakat | indeks | 20.5 | 41.25 | 61.5 | 82.5 |",
            "| 2 | Jumlah data terbit | dokumen | 1.250 | 2.500 | 3.750 | 5.000 |",
        ]
    )
    doc = loads(md, format="markdown")
    plans = {
        i.name: [getattr(q, "magnitude", None) for q in i.plans[0].quarters]
        for i in doc.sheets[0].indicators
    }
    # each quarter column has one English cell ("20.5") and one ambiguous ("1.250"):
    # English, so "1.250" is 1.25
    assert plans == {
        "Indeks kepuasan masyarakat": [
            Decimal("20.5"),
            Decimal("41.25"),
            Decimal("61.5"),
            Decimal("82.5"),
        ],
        "Jumlah data terbit": [Decimal("1.25"), Decimal("2.5"), Decimal("3.75"), Decimal("5")],
    }
    notes = [d for d in doc.diagnostics if d.code == "number-locale"]
    assert [dict(d.params or ())["column"] for d in notes] == ["TW I", "TW II", "TW III", "TW IV"]


def test_evidence_of_one_cell() -> None:
    assert [
        evidence(t)
        for t in ("1.234,56", "1,234.56", "1.000.000", "1,000,000", "95,5%", "95.5%", "550")
    ] == ["id", "en", "id", "en", "id", "en", None]
    assert [evidence(t) for t in ("1.250 orang", "1,250", "80-90%", "1.5 dan 2,5")] == [
        "ambiguous",
        "ambiguous",
        None,
        None,
    ]


@given(st.lists(st.sampled_from(["550", "-", "3 unit", "100%", "dokum"]), max_size=8))
def test_a_column_without_separators_reads_the_indonesian_way_unstated(texts: list[str]) -> None:
    found = detect(texts)
    assert (found.lang, found.stated) == ("id", False)


def test_the_option_is_checked() -> None:
    with pytest.raises(InvalidValueError) as info:
        LoaderOptions(number_locale="fr")
    assert str(info.value) == "LoaderOptions.number_locale: expected 'auto', 'id' or 'en', got 'fr'"


def test_the_command_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.txt"
    path.write_text(TABLE + "\n", encoding="utf-8")
    assert main(["convert", str(path), "--to", "json", "--number-locale", "en"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = doc["sheets"][0]["objectives"][1]["indicators"][0]["targets"]
    assert [(t["year"], t["text"]) for t in rows][:2] == [(2021, "1.250"), (2022, "2.500")]
    # read the English way: 1.25, not 1250 (the JSON document keeps the digits written)
    assert [Decimal(t["value"]["magnitude"]) for t in rows][:2] == [Decimal("1.25"), Decimal("2.5")]
    again = loads(json.dumps(doc), format="json")
    target = again.indicator("1:2").target_for(2022)
    assert target is not None
    assert getattr(target.value, "magnitude", None) == Decimal("2.5")


def test_an_lkjip_table_exported_with_decimal_points_is_audited_the_english_way() -> None:
    from iki_core.loaders.lkjip import audit, realisations_of

    md = "\n".join(
        [
            "**PENGUKURAN KINERJA TAHUN 2022**",
            "",
            "| No | Sasaran Strategis | Indikator Kinerja | Satuan | Target | Realisasi"
            " | Capaian (%) |",
            "|---|---|---|---|---|---|---|",
            "| 1 | Meningkatnya layanan | Indeks kepuasan masyarakat | indeks | 80 | 70.5"
            " | 88.13 |",
            "| 2 | Meningkatnya partisipasi | Jumlah sosialisasi | kali | 12 | 15 | 125.00 |",
        ]
    )
    doc = loads(md, format="markdown")
    reals = realisations_of(doc)
    assert [(r.indicator, getattr(r.value, "magnitude", None)) for r in reals] == [
        ("1:1", Decimal("70.5")),
        ("1:2", Decimal("15")),
    ]
    assert [(d.code, d.message) for d in reals.diagnostics] == [
        (
            "number-locale",
            "column 'Realisasi 2022': numbers are written with a decimal point ('70.5'); every"
            " number of the column is read the English way (decimal point, thousands comma)",
        )
    ]
    # by hand (higher is better, R / T x 100): 70.5 / 80 = 88.125, half-up 88.13;
    # 15 / 12 = 125.00: both published figures are reproduced ("88.13" is not 8813)
    assert audit(doc) == ()


def test_the_number_locale_option_reaches_the_lkjip_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from iki_core.loaders.lkjip import audit, realisations_of

    md = "\n".join(
        [
            "**PENGUKURAN KINERJA TAHUN 2022**",
            "",
            "| No | Sasaran Strategis | Indikator Kinerja | Satuan | Target | Realisasi"
            " | Capaian (%) |",
            "|---|---|---|---|---|---|---|",
            "| 1 | Meningkatnya layanan | Jumlah peserta pelatihan | orang | 1200 | 1.250"
            " | 104.17 |",
        ]
    )
    doc = loads(md, format="markdown")
    # detected: "1.250" alone is ambiguous, read the Indonesian way (1250); "104.17" is
    # English. By hand: 1250 / 1200 x 100 = 104.1666..., half-up 104.17: reproduced
    assert audit(doc) == ()
    # as the option says, every column English: 1.25 / 1200 x 100 = 0.1041..., 0.10
    english = audit(doc, number_locale="en")
    assert [(m.reference, m.published, m.computed) for m in english] == [
        ("1:1", "104.17", Decimal("0.10"))
    ]
    assert [r.value.magnitude for r in realisations_of(doc, number_locale="en") if r.value] == [
        Decimal("1.25")
    ]
    # every column Indonesian: "104.17" is 10417 (published with no decimals), 1250 / 1200
    # x 100 rounded to whole percent is 104
    indonesian = audit(doc, number_locale="id")
    assert [(m.published, m.computed) for m in indonesian] == [("104.17", Decimal("104"))]
    with pytest.raises(InvalidValueError) as info:
        audit(doc, number_locale="fr")
    assert str(info.value) == "number_locale: expected 'auto', 'id' or 'en', got 'fr'"
    path = tmp_path / "lkjip.md"
    path.write_text(md + "\n", encoding="utf-8")
    main(["check", str(path)])
    assert "published capaian the engine does not reproduce (default rules): 0" in (
        capsys.readouterr().out
    )
    main(["check", str(path), "--number-locale", "en"])
    out = capsys.readouterr().out
    assert "published capaian the engine does not reproduce (default rules): 1" in out
    assert "  1:1 2022: published 104.17, computed 0,10" in out
