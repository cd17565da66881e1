"""The table of document formats (iki_core.loaders.registry) and the shared byte decoder
and delimiter sniffer (iki_core._textio)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from iki_core._textio import decode, sniff_delimiter
from iki_core.errors import IkiTypeError, InvalidValueError
from iki_core.loaders import (
    FORMATS,
    ReadContext,
    detect_format,
    dump,
    dumps,
    format_for_suffix,
    formats,
    get_format,
    load,
    loads,
    register_format,
    unregister_format,
)
from iki_core.model import Document

CSV = (
    "No;Sasaran;Indikator;Penjelasan;2021;Sumber Data\n"
    "1;Tersedianya jasa surat;Jumlah surat masuk;Cukup Jelas;550;Agenda\n"
)


def _read_pipe(text: str, context: ReadContext) -> Document:
    """A Markdown pipe table, read as the CSV it is once its pipes are semicolons."""
    rows = [line.strip().strip("|") for line in text.splitlines() if line.strip()]
    rows = [r for r in rows if set(r) - set("-| :")]
    csv = "\n".join(";".join(c.strip() for c in r.split("|")) for r in rows)
    return get_format("csv").read(csv, context)


def _write_pipe(document: Document) -> str:
    lines = dumps(document, format="csv").splitlines()
    return "\n".join("| " + " | ".join(line.split(",")) + " |" for line in lines) + "\n"


def _read_zip(data: bytes, context: ReadContext) -> Document:
    context.report(None, "info", "zipped", f"{len(data)} bytes")
    return loads(data[4:].decode(), format="csv", source=context.source)


@pytest.fixture
def pipe() -> Iterator[None]:
    register_format(
        "pipe",
        reader=_read_pipe,
        writer=_write_pipe,
        suffixes=["MDT"],
        sniff=lambda text: text.lstrip().startswith("|"),
    )
    yield
    unregister_format("pipe")


def test_the_shipped_formats() -> None:
    assert formats() == FORMATS == ("text", "csv", "json", "markdown", "xlsx", "docx", "pdf")
    suffixes = (".json", ".CSV", ".txt", ".md", ".tsv", ".xlsx", ".docx", ".pdf")
    assert [format_for_suffix(s).name for s in suffixes] == [  # type: ignore[union-attr]
        "json",
        "csv",
        "text",
        "markdown",
        "text",
        "xlsx",
        "docx",
        "pdf",
    ]
    assert format_for_suffix(".ods") is None
    assert format_for_suffix("") is None
    assert detect_format("  {}") == "json"
    assert detect_format(CSV) == "csv"
    assert detect_format("No\tSasaran\tIndikator\n") == "text"


def test_an_unknown_format_names_those_there_are() -> None:
    with pytest.raises(InvalidValueError) as err:
        loads(CSV, format="xml")
    assert str(err.value) == (
        "format: expected 'text', 'csv', 'json', 'markdown', 'xlsx', 'docx' or 'pdf', got 'xml'"
    )
    with pytest.raises(InvalidValueError):
        dumps(Document(), format="xml")


def test_a_registered_text_format_is_found_by_name_suffix_and_content(
    pipe: None, tmp_path: Path
) -> None:
    assert formats() == (*FORMATS, "pipe")
    table = (
        "| No | Sasaran | Indikator | 2021 |\n|---|---|---|---|\n"
        "| 1 | Surat | Surat masuk | 550 |\n"
    )
    assert detect_format(table) == "pipe"
    by_content = loads(table)
    by_name = loads(table, format="pipe", source="t.mdt")
    assert by_content.indicator("1:1").target_for(2021).text == "550"  # type: ignore[union-attr]
    assert by_name.source == "t.mdt"
    path = tmp_path / "doc.mdt"
    dump(by_content, path)
    assert path.read_text().startswith("| No | Sasaran | Indikator | Penjelasan | 2021 |")
    again = load(path)
    assert again.indicator("1:1").targets == by_content.indicator("1:1").targets
    assert again.indicator("1:1").name == "Surat masuk"
    assert again.source == str(path)


def test_names_are_not_taken_twice(pipe: None) -> None:
    with pytest.raises(InvalidValueError, match="not yet registered"):
        register_format("pipe", reader=_read_pipe, writer=_write_pipe)
    with pytest.raises(InvalidValueError):
        register_format("csv", reader=_read_pipe, writer=_write_pipe)
    with pytest.raises(IkiTypeError, match="reader: expected a function"):
        register_format("x", reader="csv", writer=_write_pipe)  # type: ignore[arg-type]


def test_replacing_a_shipped_format_and_getting_it_back() -> None:
    register_format("csv", reader=_read_pipe, writer=lambda d: "replaced", replace=True)
    try:
        assert dumps(loads(CSV, format="json"), format="csv") == "replaced"
    finally:
        unregister_format("csv")
    assert dumps(loads(CSV), format="csv").startswith("No,")
    assert formats() == FORMATS


def test_a_binary_format_reads_bytes_claimed_by_its_sniffer() -> None:
    register_format(
        "zipped",
        reader=_read_zip,
        writer=lambda d: b"ZIP!" + dumps(d, format="csv").encode(),
        sniff=lambda data: data[:4] == b"ZIP!",
        binary=True,
    )
    try:
        data = b"ZIP!" + CSV.encode()
        doc = loads(data)
        assert doc.indicator("1:1").name == "Jumlah surat masuk"
        assert doc.diagnostics[-1].code == "zipped"
        assert doc.diagnostics[-1].message == f"{len(data)} bytes"
        with pytest.raises(IkiTypeError):
            loads(CSV, format="zipped")  # text given to a bytes reader
        with pytest.raises(InvalidValueError, match="a text format"):
            dumps(doc, format="zipped")
        assert detect_format(CSV) == "csv"  # a bytes sniffer never sees text
    finally:
        unregister_format("zipped")


def test_the_decoder_loses_no_byte() -> None:
    # 0x81 is not Windows-1252: Latin-1 keeps it rather than a replacement character
    got = decode(b"ok\nrapat \x81 \xe9")
    assert got.text == "ok\nrapat \x81 é"
    assert (got.bad_offset, got.bad_line, got.bad_byte) == (9, 2, 0x81)
    assert decode("é".encode()).bad_line is None
    doc = loads(CSV.replace("Agenda", "Agenda \xe9").encode("cp1252"))
    assert doc.indicator("1:1").data_source == "Agenda é"
    assert [d.message for d in doc.diagnostics if d.code == "not-utf8"] == [
        "the input is not UTF-8 (byte 0xe9 at offset 116); read as Windows-1252 / Latin-1"
    ]


def test_the_sniffer_counts_separators_outside_quotes_only() -> None:
    assert sniff_delimiter('indicator,"a;b;c";value') == ","
    assert sniff_delimiter("\n\nindicator;period;value") == ";"
    assert sniff_delimiter("indicator\tperiod\tvalue") == "\t"
    assert sniff_delimiter("a;b,c") == ","  # a tie: comma
    assert sniff_delimiter("") == ","
