"""The text layout: the seed document, each of its defects on its line, and the laws."""

from __future__ import annotations

import contextlib
import gc
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given

from iki_core.errors import IkiError, IkiParseError, UnknownIndicatorError
from iki_core.loaders import (
    Candidate,
    IndicatorOverride,
    Inference,
    LoaderOptions,
    detect_format,
    dumps,
    get_format,
    load,
    loads,
)
from iki_core.model import (
    Aggregation,
    Count,
    Document,
    EventReport,
    PercentageFormula,
    Polarity,
    Sheet,
)
from iki_core.units import BARE, PERCENT, get_registry
from tests.strategies import loader_sheets, odd_texts, table_texts, without_sources

SEED = (
    Path(__file__).resolve().parent.parent / "examples" / "kesbangpol_lampung_barat_2018-2022.txt"
)


@pytest.fixture(scope="module")
def seed() -> Document:
    return load(SEED)


def lines_of(doc: Document, code: str) -> list[int | None]:
    return [d.line for d in doc.diagnostics if d.code == code]


def only(doc: Document, code: str) -> str:
    (message,) = [str(d) for d in doc.diagnostics if d.code == code]
    return message


# --- structure ----------------------------------------------------------------------------
def test_seed_has_five_sheets_with_their_indicators(seed: Document) -> None:
    assert [s.number for s in seed.sheets] == [1, 2, 3, 4, 5]
    # sheet 2: table 1 has 14 (1.1-1.2, 2.1-2.3, 3, 4.1-4.2, 5.1-5.2, 6-9), table 2 has 20
    # (10-18, 19.1-19.11), table 3 has 81 (20-100, the 71 repeated rows kept)
    assert [len(s.indicators) for s in seed.sheets] == [2, 115, 5, 5, 8]
    assert [len(s.objectives) for s in seed.sheets] == [2, 100, 5, 5, 8]
    assert all(s.plan_years == (2018, 2019, 2020, 2021, 2022) for s in seed.sheets)
    assert seed.source == str(SEED)


def test_ids_follow_no_and_continuations(seed: Document) -> None:
    ids = [i.id for i in seed.sheet(2).indicators]
    assert ids[:14] == [
        "1.1", "1.2", "2.1", "2.2", "2.3", "3", "4.1", "4.2", "5.1", "5.2", "6", "7", "8", "9",
    ]  # fmt: skip
    assert ids[14:23] == [str(n) for n in range(10, 19)]
    assert ids[23:34] == [f"19.{k}" for k in range(1, 12)]
    assert ids[34:] == [str(n) for n in range(20, 101)]
    letters = seed.indicator("2:1.2")
    assert letters.name == "Jumlah surat keluar"
    objective = seed.sheet(2).objective_of("1.2")
    assert objective.name == "Tersedianya jasa surat menyurat"
    assert objective.source is not None
    assert objective.source.line == 42
    assert letters.source is not None
    assert letters.source.line == 43
    assert letters.source.get("No") == ""
    assert letters.explanation == "Cukup Jelas"
    assert [t.text for t in letters.targets] == ["450"] * 5


def test_unknown_reference_names_the_known_ones(seed: Document) -> None:
    with pytest.raises(UnknownIndicatorError) as info:
        seed.indicator("2:1.9")
    assert str(info.value).startswith("no indicator '2:1.9' (known: 1:1, 1:2, 2:1.1, 2:1.2,")


def test_header_block(seed: Document) -> None:
    one, two, three = seed.sheets[:3]
    assert one.title == "INDIKATOR KINERJA INDIVIDU (IKI)"
    assert one.position == "KEPALA KANTOR KESATUAN BANGSA DAN POLITIK KABUPATEN LAMPUNG BARAT"
    assert one.duty.startswith("Melaksanakan penyusunan dan pelaksanaan kebijakan daerah")
    assert len(one.functions) == 5
    assert one.functions[0] == (
        "Perumusan kebijakan teknis di bidang kesatuan bangsa, politik dan hubungan antar lembaga;"
    )
    assert one.functions[4] == "Pelayanan administratif di kantor kesatuan bangsa dan politik."
    assert two.position.endswith("DAN POLITIK KABUPATEN")
    assert three.duty.endswith("di bidang kesatuan bangsa")
    assert len(three.functions) == 4
    assert three.source is not None
    assert three.source.line == 182
    assert (
        three.source.get("Tugas")
        == (
            " Menyiapkan bahan dalam rangka membantu melaksanakan penjabaran kebijakan teknis di "
            "bidang kesatuan bangsa  "
        )[1:]
    )


# --- each defect on its line -----------------------------------------------------------------
def test_continuation_rows_are_reported(seed: Document) -> None:
    assert lines_of(seed, "continuation-row") == [43, 45, 46, 49, 51, *range(70, 80)]
    first = next(d for d in seed.diagnostics if d.code == "continuation-row")
    assert str(first) == (
        "line 43: info [continuation-row] empty No and Sasaran: indicator 'Jumlah surat "
        "keluar' is 1.2 of objective 1 (line 42)"
    )
    assert first.sheet == 2


def test_column_number_rows_are_skipped(seed: Document) -> None:
    assert lines_of(seed, "column-number-row") == [59, 83, 193, 225, 257]
    assert all(i.name != "3" for i in seed.sheet(2).indicators)


def test_tables_restarting_mid_sheet(seed: Document) -> None:
    assert lines_of(seed, "table-restart") == [57, 81]


def test_data_source_that_looks_like_a_sixth_target(seed: Document) -> None:
    assert lines_of(seed, "data-source-looks-like-target") == [
        *range(60, 80),
        *range(84, 165),
    ]
    meals = seed.indicator("2:10")
    assert meals.data_source == "12 kali"
    assert [t.text for t in meals.targets] == ["12 kali"] * 5
    first = next(d for d in seed.diagnostics if d.code == "data-source-looks-like-target")
    assert first.message == (
        "Sumber Data '12 kali' looks like a target of one more year (the table has 5 year "
        "columns); kept as the data source"
    )


def test_truncated_targets_keep_their_text(seed: Document) -> None:
    assert lines_of(seed, "truncated-target") == [93] * 5
    texts = [d.text for d in seed.diagnostics if d.code == "truncated-target"]
    assert texts == ["dokum", "dokume", "dokum", "dokume", "dokume"]
    docs = seed.indicator("2:29")
    assert docs.targets == ()
    assert docs.source is not None
    assert docs.source.get("target 2018") == "dokum"
    assert docs.source.get("target 2019") == "dokume"
    assert docs.data_source == "dokume"
    first = next(d for d in seed.diagnostics if d.code == "truncated-target")
    assert str(first) == (
        "line 93: warning [truncated-target] target 2018 'dokum' is cut off (no number; the "
        "start of 'dokumen'); no target for 2018, text kept"
    )


def test_identical_rows_are_one_diagnostic_per_run(seed: Document) -> None:
    assert only(seed, "repeated-row") == (
        "line 94: warning [repeated-row] lines 94-164 (No 30-100): 71 identical rows 'Jumlah "
        "dokumen keuangan' (only No differs), probably repeated by the extraction; all kept as "
        "71 indicators"
    )
    repeated = [seed.indicator(f"2:{n}") for n in range(30, 101)]
    assert {i.name for i in repeated} == {"Jumlah dokumen keuangan"}


def test_percentages_counts_and_bare_numbers(seed: Document) -> None:
    conflicts = seed.indicator("1:1")
    assert conflicts.kind == PercentageFormula(
        "Jumlah gejala konflik yang dapat diatasi", "Jumlah gejala konflik dalam setahun"
    )
    target = conflicts.target_for(2021)
    assert target is not None
    assert target.text == "100,00%"
    assert target.value == get_registry().quantity(Decimal("100.00"), PERCENT)
    assert conflicts.explanation.startswith("$(X/Y) * 100 \\%$ X = ")
    participants = seed.indicator("3:1")
    assert participants.kind == Count(get_registry().unit("orang"))
    assert [t.text for t in participants.targets][2] == "250 orang peserta"
    assert seed.indicator("2:3").kind == Count(get_registry().unit("unit"))
    letters = seed.indicator("2:1.1")
    assert letters.kind == Count(BARE)
    first = letters.target_for(2018)
    assert first is not None
    assert first.value == get_registry().quantity(550)
    assert first.text == "550"
    assert lines_of(seed, "unitless-target")[:3] == [42, 43, 44]
    assert lines_of(seed, "formula-markup") == [15, 16]


def test_unknown_unit(seed: Document) -> None:
    assert only(seed, "unknown-unit") == (
        "line 55: warning [unknown-unit] unit 'SKHU' (target '4 SKHU') is not a known unit; "
        "counted as a unit of its own"
    )
    skhu = seed.indicator("2:9")
    assert skhu.unit.name == "SKHU"
    assert not skhu.unit.known


def test_headers_cut_off_or_indented(seed: Document) -> None:
    assert lines_of(seed, "truncated-header") == [33, 184]
    assert lines_of(seed, "indented-header-item") == [185, 186, 217, 218, 249, 250]


def test_signature_blocks(seed: Document) -> None:
    assert lines_of(seed, "bold-markup") == [19, 167, 201, 233, 268]
    assert lines_of(seed, "letter-spaced-name") == [174]
    approver, owner = seed.sheet(1).signatories
    assert (approver.role, approver.name, approver.title) == (
        "approver",
        "PAROSIL MABSUS",
        "BUPATI LAMPUNG BARAT",
    )
    assert approver.nip is None
    assert approver.rank is None
    assert owner.name == "MUZAKAR, SE"
    assert owner.title == "KEPALA KANTOR KESBANG DAN POLITIK KABUPATEN LAMPUNG BARAT"
    assert owner.rank is not None
    assert owner.rank.pangkat == "Pembina Tingkat I"
    assert str(owner.rank.golongan) == "IV/b"
    assert owner.nip is not None
    assert str(owner.nip) == "19660512 198803 1 004"
    assert owner.place_date is not None
    assert (owner.place_date.place, owner.place_date.year) == ("Liwa", 2021)
    assert owner.line == 27
    assert "**MUZAKAR, SE**" in owner.text
    spaced = seed.sheet(2).signatories[0]
    assert spaced.name == "MUZAKAR, SE"
    assert spaced.rank is not None
    assert spaced.rank.text == "Pembina Tk.1 /IV.b"
    assert spaced.rank.consistent
    last = seed.sheet(5).signatories[1]
    assert (last.name, str(last.rank.golongan if last.rank else None)) == (
        "PANGKU HAZARONI, S. Pd",
        "IV/a",
    )


def test_ocr_slip_in_place(seed: Document) -> None:
    assert only(seed, "place-differs") == (
        "line 170: warning [place-differs] place 'Lima' ('Lima,') differs from 'Liwa' used in "
        "4 other signature block(s); probably 'Liwa' (kept as written)"
    )
    assert lines_of(seed, "place-date-incomplete") == [170]
    owner = seed.sheet(2).signatories[1]
    assert owner.place_date is not None
    assert owner.place_date.text == "Lima,"


def test_seed_diagnostic_codes_and_order(seed: Document) -> None:
    lines = [d.line for d in seed.diagnostics]
    assert lines == sorted(lines, key=lambda n: n or 0)
    assert {d.severity for d in seed.diagnostics} == {"info", "warning"}
    assert len(seed.diagnostics) == 228


# --- inference --------------------------------------------------------------------------------
def test_stocks_and_event_reports(seed: Document) -> None:
    assert seed.indicator("2:20").aggregation == Aggregation.LAST  # motor yang dimiliki
    assert seed.indicator("2:24").aggregation == Aggregation.LAST  # genset yang dimiliki
    assert seed.indicator("2:10").aggregation == Aggregation.SUM
    for ref in ("5:6", "5:7", "5:8"):  # election desks: one year set, four "-"
        assert isinstance(seed.indicator(ref).kind, EventReport), ref
    # early-warning team reports: "-" in 2018, then 12 a year: recurring, not an event
    assert seed.indicator("3:5").kind == Count(get_registry().unit("laporan"))
    assert seed.indicator("3:3").kind == Count(get_registry().unit("kali"))
    assert seed.indicator("3:2").kind == Count(get_registry().unit("laporan"))
    election = seed.indicator("5:7")
    assert [t.is_set for t in election.targets] == [True, False, False, False, False]
    assert all(i.polarity == Polarity.HIGHER_IS_BETTER for _, i in seed.references())


TABLE = "No\tSasaran\tIndikator\tPenjelasan\t2021\t2022\tSumber Data\n"


def test_polarity_from_the_explanation() -> None:
    doc = loads(TABLE + "1\tMenurunnya konflik\tJumlah konflik\tSemakin kecil semakin baik\t3 kasus"
                "\t2 kasus\tLaporan\n")  # fmt: skip
    assert doc.indicator("1:1").polarity == Polarity.LOWER_IS_BETTER


def test_overrides_by_reference_and_callback() -> None:
    text = TABLE + "1\tX\tJumlah surat\tCukup Jelas\t5\t6\tAgenda\n"
    lower = LoaderOptions(overrides={"1:1": IndicatorOverride(polarity=Polarity.LOWER_IS_BETTER)})
    assert loads(text, options=lower).indicator("1:1").polarity == Polarity.LOWER_IS_BETTER
    seen: list[Candidate] = []

    def in_letters(candidate: Candidate, inferred: Inference) -> Inference:
        seen.append(candidate)
        return Inference(Count(get_registry().unit("lembar")), inferred.polarity, Aggregation.MAX)

    doc = loads(text, options=LoaderOptions(infer=in_letters))
    ind = doc.indicator("1:1")
    assert (ind.unit.name, ind.aggregation) == ("lembar", Aggregation.MAX)
    assert [t.text for t in ind.targets] == ["5", "6"]
    assert seen[0].reference == "1:1"
    assert seen[0].data_source == "Agenda"


def test_bare_target_in_the_rows_unit_and_mismatches() -> None:
    doc = loads(TABLE + "1\tX\tJumlah rapat\tCukup Jelas\t5 kali\t6\t\n"
                "2\tY\tJumlah alat\tCukup Jelas\t2 unit\t3 orang\t\n")  # fmt: skip
    meetings = doc.indicator("1:1")
    t = meetings.target_for(2022)
    assert t is not None
    assert t.text == "6"
    assert t.value == get_registry().quantity(6, "kali")
    assert [str(d) for d in doc.diagnostics if d.code == "target-unit-mismatch"] == [
        "line 3: warning [target-unit-mismatch] target 2022 '3 orang' is in orang, not in "
        "the indicator's unit unit; no target for 2022, text kept"
    ]
    assert doc.indicator("1:2").target_for(2022) is None


def test_repeated_numbers_get_deterministic_ids() -> None:
    doc = loads(TABLE + "1\tA\tJumlah a\tCukup Jelas\t1\t1\t\n1\tB\tJumlah b\tCukup Jelas\t2\t2\t\n"
                "\t\tJumlah c\tCukup Jelas\t3\t3\t\n")  # fmt: skip
    assert [i.id for i in doc.sheets[0].indicators] == ["1", "1~2.1", "1~2.2"]
    assert [str(d) for d in doc.diagnostics if d.code == "duplicate-number"] == [
        "line 3: warning [duplicate-number] No '1' is used again (first at line 2); the "
        "indicators of this row get ids starting with '1~2'"
    ]


def test_structural_defects_of_synthetic_input() -> None:
    text = (
        "INDIKATOR KINERJA INDIVIDU (IKI)\n"
        "1. Jabatan : KEPALA SEKSI 2. Tugas : Membantu\n"
        "1\tbefore\n" + TABLE + "1\tA\tJumlah a\tCukup Jelas\t\t2\t\textra\n"
        "\nMengetahui,\n**KEPALA DINAS,**\n\nLiwa, 12 Januari 2021\n**KEPALA SEKSI,**\n\n"
        "**BUDI**\nPembina /III.c\nNIP. 19661305 198803 1 004\n\n**ANI**\nPenata /III.c\n"
    )
    doc = loads(text)
    codes = {d.code: d.line for d in doc.diagnostics}
    assert codes["joined-header-items"] == 2
    assert codes["row-before-header"] == 3
    assert codes["empty-target"] == 5
    assert codes["extra-cells"] == 5
    assert codes["rank-mismatch"] == 14
    assert codes["invalid-nip"] == 15
    sheet = doc.sheets[0]
    assert (sheet.position, sheet.duty) == ("KEPALA SEKSI", "Membantu")
    approver, owner = sheet.signatories
    assert approver.rank is not None
    assert not approver.rank.consistent
    assert approver.nip is None
    assert owner.place_date is not None
    assert str(owner.place_date.date) == "2021-01-12"
    assert [d.message for d in doc.diagnostics if d.code == "rank-mismatch"] == [
        "pangkat 'Pembina' does not match golongan III/c (PP 99/2000 gives 'Penata')"
    ]


def test_strict_raises_with_every_diagnostic() -> None:
    with pytest.raises(IkiParseError) as info:
        load(SEED, strict=True)
    err = info.value
    assert len(err.diagnostics) == 228
    assert isinstance(err, ValueError)
    assert str(err).startswith(
        f"{SEED}: 228 problem(s) found\n  line 15: info [formula-markup] the explanation"
    )
    assert str(err).endswith("\n  ... and 208 more")
    clean = TABLE + "1\tA\tJumlah a\tCukup Jelas\t1 kali\t2 kali\tAgenda\n"
    assert loads(
        "INDIKATOR KINERJA INDIVIDU (IKI)\n1. Jabatan : KEPALA SEKSI UMUM\n" + clean, strict=True
    )


def test_unknown_format_is_refused() -> None:
    with pytest.raises(IkiError, match=r"expected 'text', 'csv', .* or 'pdf', got 'xml'"):
        loads("", format="xml")


# --- laws ---------------------------------------------------------------------------------
@given(odd_texts())
@example(b"%PDF-")  # a PDF signature and nothing else, given as text: routed, then refused
def test_anything_raises_nothing_but_iki_errors(text: str | bytes) -> None:
    for fmt in (None, "text", "csv", "json"):
        if get_format(detect_format(text)).binary:
            # bytes with the signature of a workbook or a PDF are read as one, whatever
            # format was asked, or refused naming the format (tests/test_loaders_grid.py)
            with contextlib.suppress(IkiError):
                loads(text, format=fmt)
            continue
        doc = loads(text, format=fmt)
        assert isinstance(doc, Document)
        if any(d.severity != "info" for d in doc.diagnostics):
            with pytest.raises(IkiParseError) as info:
                loads(text, format=fmt, strict=True)
            assert info.value.diagnostics == doc.diagnostics
        else:
            assert loads(text, format=fmt, strict=True) == doc


@given(loader_sheets())
def test_a_generated_sheet_written_as_text_loads_back_equal(sheet: Sheet) -> None:
    text = dumps(Document((sheet,)), format="text")
    doc = loads(text, format="text")
    assert doc.errors == ()
    assert [without_sources(s) for s in doc.sheets] == [sheet]


def test_the_seed_written_as_text_loads_back_equal(seed: Document) -> None:
    again = loads(dumps(seed, format="text"))
    assert [without_sources(s) for s in again.sheets] == [without_sources(s) for s in seed.sheets]
    assert {d.code for d in again.diagnostics} >= {"truncated-target", "repeated-row"}


def test_a_row_with_100000_trailing_tabs_loads_in_linear_time() -> None:
    # The repeated-row tracker trimmed trailing empty cells one copy at a time: 6 s.
    from tests.strategies import cost_ratio

    text = SEED.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("1\t"))
    hostile = "\n".join([*lines[: at + 1], lines[at] + "\t" * 100_000, *lines[at + 1 :]])
    plain = (text + "\n") * (len(hostile) // len(text) + 1)
    doc = loads(hostile, format="text")
    assert doc.indicator("1:1") == loads(text, format="text").indicator("1:1")
    assert (
        cost_ratio(lambda: loads(hostile, format="text"), lambda: loads(plain, format="text")) < 5
    )


def test_a_negative_target_is_diagnosed() -> None:
    # It gave -8.00% rated "Sangat Rendah" with no diagnostic at all.
    text = SEED.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("1\tTersedianya"))
    cells = row.split("\t")
    cells[7] = "-8"  # the 2021 target
    doc = loads(text.replace(row, "\t".join(cells)), format="text")
    [found] = [d for d in doc.diagnostics if d.code == "negative-target"]
    assert found.severity == "warning"
    assert found.message == (
        "the target for 2021 is negative ('-8'); no achievement rule reads a target below zero"
    )


def test_one_diagnostic_per_block_of_unrecognised_text() -> None:
    text = "\n".join(
        [
            "INDIKATOR KINERJA INDIVIDU (IKI)",
            "Lampiran II",  # 2: before the first header item
            "Keputusan Kepala Kantor",  # 3: the same block
            "1. Jabatan : KEPALA SEKSI",
            "",
            "No\tSasaran\tIndikator\tPenjelasan\t2021\tSumber Data",
            "1\tTersedianya surat\tJumlah surat masuk\tCukup Jelas\t550\tAgenda",
            "halaman 2 dari 3",  # 8: between table rows
            "",
            "dicetak 2021-01-04",  # 10: the same block (a blank line between)
            "2\tTersedianya arsip\tJumlah arsip\tCukup Jelas\t40\tAgenda",
            "catatan kaki",  # 12: a block of its own (a table row above)
            "3\tTersedianya rapat\tJumlah rapat\tCukup Jelas\t12\tNotulen",
        ]
    )
    doc = loads(text, format="text")
    found = [d for d in doc.diagnostics if d.code == "unrecognised-line"]
    assert [(d.line, d.message, d.text) for d in found] == [
        (
            2,
            "lines 2-3: 2 lines of text in the sheet's header are not numbered items; kept here",
            "Lampiran II\nKeputusan Kepala Kantor",
        ),
        (
            8,
            "lines 8-10: 2 lines of text between table rows are not part of the layout; kept here",
            "halaman 2 dari 3\ndicetak 2021-01-04",
        ),
        (
            12,
            "text between table rows is not part of the layout; kept here",
            "catatan kaki",
        ),
    ]
    assert found[1].render("id") == (
        "baris 8-10: 2 baris teks di antara baris tabel bukan bagian dari tata letak;"
        " disimpan di sini"
    )
    assert sum(len(s.indicators) for s in doc.sheets) == 3


def test_an_indicator_not_read_keeps_its_row_in_the_diagnostic() -> None:
    # A table of sheet 2 with its year 2021 written 2020 (a shape scripts/fuzz.py found,
    # seed 14, input 40175): each row under it has two targets for 2020, so no indicator is
    # read from it; each error keeps the row's text as written, nothing is lost.
    text = SEED.read_text(encoding="utf-8")
    header = "\t\t\t\t2018\t2019\t2020\t2021\t2022\t"
    first = text.index(header)
    second = text.index(header, first + 1)
    broken = text[:second] + header.replace("2021", "2020") + text[second + len(header) :]
    doc = loads(broken)
    errors = [d for d in doc.diagnostics if d.code == "invalid-indicator"]
    assert len(errors) == 14
    assert all(d.text is not None and d.text in broken for d in errors)
    row = next(line for line in broken.splitlines() if "Jumlah motor yang perizinan" in line)
    assert row in [d.text for d in errors]


def test_the_collector_is_paused_for_the_load_and_put_back_as_it_was() -> None:
    seen: list[bool] = []

    def infer(candidate: Candidate, inference: Inference) -> Inference:
        seen.append(gc.isenabled())
        return inference

    table = "No\tSasaran\tIndikator\tPenjelasan\t2021\tSumber Data\n"
    row = "1\tTersedianya jasa surat\tJumlah surat masuk\tCukup Jelas\t550\tAgenda\n"
    assert gc.isenabled()
    loads(table + row, options=LoaderOptions(infer=infer))
    assert seen == [False]
    assert gc.isenabled()
    with pytest.raises(IkiParseError):  # a failed load puts it back too
        loads(table + "1\tSasaran\tJumlah\tCukup Jelas\tdokum\tAgenda\n", strict=True)
    assert gc.isenabled()
    gc.disable()
    try:
        loads(table + row)
        assert not gc.isenabled()  # a host's choice stands
    finally:
        gc.enable()


def test_overlapping_loads_share_one_pause() -> None:
    # load A starts, load B starts, A finishes while B still runs: B still runs paused,
    # and the collector is back on only when B, the last, finishes
    import threading

    b_started, a_finished = threading.Event(), threading.Event()
    seen: list[bool] = []

    def infer_a(candidate: Candidate, inference: Inference) -> Inference:
        assert b_started.wait(10)
        return inference

    def infer_b(candidate: Candidate, inference: Inference) -> Inference:
        b_started.set()
        assert a_finished.wait(10)
        seen.append(gc.isenabled())
        return inference

    table = "No\tSasaran\tIndikator\tPenjelasan\t2021\tSumber Data\n"
    row = "1\tTersedianya jasa surat\tJumlah surat masuk\tCukup Jelas\t550\tAgenda\n"

    def load_a() -> None:
        loads(table + row, options=LoaderOptions(infer=infer_a))
        seen.append(gc.isenabled())  # A is done, B is not
        a_finished.set()

    a = threading.Thread(target=load_a)
    a.start()
    loads(table + row, options=LoaderOptions(infer=infer_b))
    a.join(10)
    assert seen == [False, False]
    assert gc.isenabled()


def test_rows_alike_but_for_what_the_rules_read_of_the_name_are_told_apart() -> None:
    # docs/formats.md, "Inference": the inference is remembered by what it reads; rows with
    # the same explanation and units differ by the words of their names
    doc = loads(
        "No\tSasaran\tIndikator\tPenjelasan\t2021\t2022\t2023\tSumber Data\n"
        "1\tA\tJumlah kegiatan\tCukup Jelas\t-\t-\t3\tX\n"
        "\t\tJumlah laporan kegiatan\tCukup Jelas\t-\t-\t3\tX\n"
        "\t\tJumlah motor yang dimiliki\tCukup Jelas\t-\t-\t3\tX\n"
        "\t\tJumlah kegiatan lain\tCukup Jelas\t-\t-\t3\tX\n"
    )
    kinds = [type(i.kind).__name__ for i in doc.sheets[0].objectives[0].indicators]
    aggregations = [str(i.aggregation) for i in doc.sheets[0].objectives[0].indicators]
    # a report named in the name, set in one year of three: an event report
    assert kinds == ["Count", "EventReport", "Count", "Count"]
    assert aggregations == ["sum", "sum", "last", "sum"]
    first, *_, last = doc.sheets[0].objectives[0].indicators
    assert first.targets == last.targets


@given(table_texts())
def test_plain_rows_read_as_every_row_is_read(text: str) -> None:
    # docs/benchmarks.md, "Loader": a row whose target cells are plain is read in fewer
    # steps; an inference hook that changes nothing sends every row the whole way, so the
    # two loads must agree on the document, its diagnostics (codes, lines, messages,
    # texts, order) and their representations
    fast = loads(text, format="text")
    whole = loads(text, format="text", options=LoaderOptions(infer=lambda c, i: i))
    assert fast == whole
    assert repr(fast) == repr(whole)
    assert [str(d) for d in fast.diagnostics] == [str(d) for d in whole.diagnostics]
    assert [d.text for d in fast.diagnostics] == [d.text for d in whole.diagnostics]
    assert dumps(fast) == dumps(whole)
