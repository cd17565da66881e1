"""Reading realisations (realisasi) from a CSV file, checked against a document.

A realisations file has one row per indicator and period, each value for
that period alone (not cumulative):

.. code-block:: text

    indicator,period,value,numerator,denominator,reported_on,note
    1:1,2021-Q1,,2,2,2021-04-07,
    2:1.1,2021-01,41,,,2021-02-02,
    3:1,2021-Q3,95 orang,,,2021-10-06,dialog di tiga kecamatan

Columns (names are matched without regard to case; the Indonesian names in
brackets are accepted too):

- ``indicator`` (``indikator``): the indicator's reference ``"sheet:id"``
  (``"2:1.1"``), as :meth:`~iki_core.model.Document.references` lists them.
- ``period`` (``periode``): a month (``2021-07``, ``Juli 2021``) or a quarter
  (``2021-Q3``, ``TW III 2021``) of a plan year of the indicator's sheet.
- ``value`` (``nilai``, ``realisasi``): a count, with or without a unit
  (``"150 orang"``, ``"3 unit"``, ``"2 lusin"``). A bare number is in the
  indicator's unit; a unit is converted to the indicator's unit when it can
  be (``"2 lusin"`` for a target in ``buah``) and refused when it cannot.
- ``numerator`` and ``denominator`` (``pembilang``, ``penyebut``): X and Y
  of a percentage indicator (X / Y x 100). Give these, not a percentage:
  over several periods the achievement is sum(X) / sum(Y).
- ``reported_on`` (``tanggal_lapor``), optional: the date of the report
  (``2021-10-05``, ``5 Oktober 2021``, ``05/10/2021``, day first).
- ``note`` (``catatan``, ``keterangan``), optional: free text, kept.
- ``name`` (``nama_indikator``, ``nama``), ``unit`` (``satuan``) and ``target``
  (``target_to_date``, ``target_sd_periode``): shown by the template ``iki template``
  writes, read past.

A row whose value, numerator and denominator are all still empty (and that has no
date or note either) is *not yet reported*: it is left out, listed in
:attr:`RealisationSet.not_reported` and noted with an info diagnostic
``not-reported``, never an error, so a template filled in part reads.

Numbers are read the Indonesian way: a dot groups thousands and a comma
marks decimals, so ``"1.250"`` is one thousand two hundred and fifty and
``"95,5"`` ninety-five and a half; ``"1.25"`` is refused as ambiguous. With
``lang="en"`` (``iki report --input-lang en``) they are read the English way
(``"1,250"``, ``"95.5"``), as a file written with ``--lang en`` holds them. A
value with a decimal comma must be quoted in a comma-separated file
(``"95,5"``), or the file separated by semicolons, as spreadsheets set to
Indonesian save it. Fields may be separated by commas, semicolons or tabs
(whichever the header line uses); the file is UTF-8, with or without a byte
order mark. Blank lines and lines starting with ``#`` are ignored.

An Excel workbook (``.xlsx``, or any file that starts as one) is read too: its first
worksheet, row by row, each cell as the text it shows (a number through its shortest
decimal form and its number format, never as a binary float: see
:mod:`iki_core._xlsxin`); its row numbers are the lines of the diagnostics. So is a
Parquet file (with the ``columnar`` extra's pyarrow), each cell as the same text, its
header line 1 and its first row line 2 (:mod:`iki_core._parquetin`).

Every bad row is reported at once, with its line number, and left out of
:attr:`RealisationSet.realisations`; :meth:`RealisationSet.raise_for_errors`
refuses a file that had any:

>>> from iki_core.model import Count, Document, Indicator, Objective, Sheet, Target
>>> from iki_core.units import parse_quantity
>>> participants = Indicator(
...     id="1", name="Jumlah peserta sosialisasi",
...     kind=Count(parse_quantity("1 orang").unit),
...     targets=[Target.parse(2021, "250 orang peserta")])
>>> doc = Document([Sheet(1, "Kepala Bidang", plan_years=[2021],
...                       objectives=[Objective("1", "Sosialisasi", [participants])])])
>>> rs = loads_realisations(
...     "indicator;period;value\\n1:1;2021-Q3;150 orang\\n1:1;2021-Q4;lima\\n", doc)
>>> [str(r.value) for r in rs.realisations]
['150 orang']
>>> for d in rs.diagnostics:
...     print(d)
line 3: error [bad-value] value: cannot read 'lima' as a quantity: it does not start \
with a number
>>> rs.skipped
(3,)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import attrs

from iki_core._parquetin import is_parquet, parquet_to_csv
from iki_core._realisations_csv import COLUMN_ALIASES, COLUMNS, PERIOD_NAMES, Reader
from iki_core._textio import Decoded, binary_kind, decode
from iki_core._xlsxin import XLSX_MAGIC, xlsx_to_csv
from iki_core.errors import (
    IkiParseError,
    IkiTypeError,
    file_error,
)
from iki_core.model import (
    Diagnostic,
    Document,
    Realisation,
)
from iki_core.numbers import Lang
from iki_core.realisation_checks import (
    check_realisation,
    check_realisations,
)
from iki_core.units import UnitRegistry, get_registry

__all__ = [
    "COLUMNS",
    "COLUMN_ALIASES",
    "RealisationSet",
    "check_realisation",
    "check_realisations",
    "load_realisations",
    "loads_realisations",
]


def _realisations(items: Iterable[Realisation]) -> tuple[Realisation, ...]:
    return tuple(items)


def _diagnostics(items: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(items)


def _lines(items: Iterable[int]) -> tuple[int, ...]:
    return tuple(items)


@attrs.frozen
class RealisationSet:
    """The realisations read from one file, with what was wrong in it.

    ``realisations`` holds the good rows only, in file order.
    ``diagnostics`` lists every problem with the line of the file it is on
    (errors for rows that were left out, warnings for rows that were kept);
    ``skipped`` the line numbers of the rows left out for an error;
    ``not_reported`` those of the rows not yet filled in (not errors).
    """

    realisations: tuple[Realisation, ...] = attrs.field(default=(), converter=_realisations)
    diagnostics: tuple[Diagnostic, ...] = attrs.field(default=(), converter=_diagnostics)
    skipped: tuple[int, ...] = attrs.field(default=(), converter=_lines)
    source: str | None = None
    not_reported: tuple[int, ...] = attrs.field(default=(), converter=_lines)

    def __iter__(self) -> Iterator[Realisation]:
        return iter(self.realisations)

    def __len__(self) -> int:
        return len(self.realisations)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The diagnostics of severity "error" (one or more per skipped row)."""
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def ok(self) -> bool:
        """True when no row had an error."""
        return not self.errors

    def raise_for_errors(self) -> RealisationSet:
        """Raise :class:`~iki_core.errors.IkiParseError` with every diagnostic when
        any row had an error; return the set itself otherwise, so that calls chain:
        ``load_realisations(path, doc).raise_for_errors().realisations``.
        """
        if self.errors:
            raise IkiParseError(self.diagnostics, source=self.source)
        return self

    def for_indicator(self, reference: str) -> tuple[Realisation, ...]:
        """The realisations of one indicator (``"2:1.1"``), in file order."""
        return tuple(r for r in self.realisations if r.indicator == reference)


def load_realisations(
    path_or_text: str | os.PathLike[str] | IO[str] | IO[bytes],
    document: Document,
    *,
    registry: UnitRegistry | None = None,
    lang: Lang = "id",
) -> RealisationSet:
    """Read a realisations CSV, xlsx or Parquet file (a path or an open file) against
    ``document``.

    A ``str`` that contains a line break is read as the CSV text itself; bytes that start
    as a zip archive are read as an xlsx workbook, bytes that start and end with
    ``PAR1`` as a Parquet file. ``lang`` is how numbers are written
    (``"id"``: ``"1.250,5"``; ``"en"``: ``"1,250.5"``).
    Raises :class:`OSError` when the file cannot be read and
    :class:`~iki_core.errors.IkiParseError` when its header lacks a required
    column; problems in rows are returned as diagnostics (see
    :class:`RealisationSet`).
    """
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        return loads_realisations(path_or_text, document, registry=registry, lang=lang)
    if isinstance(path_or_text, str | os.PathLike):
        path = Path(path_or_text)
        try:
            data: str | bytes = path.read_bytes()
        except OSError as exc:
            raise file_error(str(path), exc) from exc
        source: str | None = str(path)
    elif not callable(getattr(path_or_text, "read", None)):
        raise IkiTypeError(
            field="path_or_text", expected="a path, CSV text or an open file", value=path_or_text
        )
    else:
        data = path_or_text.read()
        source = getattr(path_or_text, "name", None)
        source = source if isinstance(source, str) else None
    table = _table_text(data, lang) if isinstance(data, bytes) else None
    if table is not None:
        return loads_realisations(table, document, registry=registry, source=source, lang=lang)
    text, warnings = _decode(data)
    result = loads_realisations(text, document, registry=registry, source=source, lang=lang)
    if not warnings:
        return result
    return attrs.evolve(result, diagnostics=(*warnings, *result.diagnostics))


def _table_text(data: bytes, lang: Lang) -> str | None:
    """An xlsx workbook's first worksheet or a Parquet file as CSV text; None for other
    bytes (a CSV file's own)."""
    if data.startswith(XLSX_MAGIC):
        return xlsx_to_csv(data, lang, PERIOD_NAMES)
    if is_parquet(data):
        return parquet_to_csv(data, lang, COLUMN_ALIASES)
    return None


def _decode(data: str | bytes) -> tuple[str, tuple[Diagnostic, ...]]:
    if isinstance(data, str):
        return data, ()
    kind = binary_kind(data)
    if kind is not None:
        problem = Diagnostic.of("binary-file", "reader.binary-file", {"kind": kind})
        raise IkiParseError([problem])
    decoded = decode(data)
    return decoded.text, _encoding_diagnostics(decoded)


def _encoding_diagnostics(decoded: Decoded) -> tuple[Diagnostic, ...]:
    """A warning for each line of ``decoded`` with bytes that are not UTF-8 (the first
    :data:`~iki_core._textio.SHOWN_BAD_LINES`), and one naming the lines after those."""
    found = [
        Diagnostic.of("encoding", "reader.encoding", line=bad.line)
        if i == 0
        else Diagnostic.of(
            "encoding", "reader.encoding-line", {"byte": f"{bad.byte:#04x}"}, line=bad.line
        )
        for i, bad in enumerate(decoded.shown)
    ]
    if decoded.more:
        first, last = decoded.more[0].line, decoded.more[-1].line
        params = {"count": len(decoded.more), "first": first, "last": last}
        found.append(Diagnostic.of("encoding", "reader.encoding-more", params, line=first))
    return tuple(found)


def loads_realisations(
    text: str | bytes,
    document: Document,
    *,
    registry: UnitRegistry | None = None,
    source: str | None = None,
    lang: Lang = "id",
) -> RealisationSet:
    """Read realisations from CSV ``text`` (see the module documentation).

    Raises :class:`~iki_core.errors.IkiParseError` when the header lacks a
    required column (no row could be read); problems in rows are returned as
    diagnostics.
    """
    if isinstance(text, bytes | bytearray):
        data = bytes(text)
        table = _table_text(data, lang)
        if table is not None:
            return loads_realisations(table, document, registry=registry, source=source, lang=lang)
        decoded, warnings = _decode(data)
        result = loads_realisations(decoded, document, registry=registry, source=source, lang=lang)
        if not warnings:
            return result
        return attrs.evolve(result, diagnostics=(*warnings, *result.diagnostics))
    if not isinstance(text, str):
        raise IkiTypeError(field="text", expected="CSV text (str or bytes)", value=text)
    if not isinstance(document, Document):
        raise IkiTypeError(field="document", expected="a Document", value=document)
    reader = Reader(document, registry or get_registry(), source, lang)
    read = reader.read(text.lstrip("\ufeff"))
    return RealisationSet(
        read.realisations, read.diagnostics, read.skipped, source, read.not_reported
    )
