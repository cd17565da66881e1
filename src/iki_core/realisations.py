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
:mod:`iki_core._xlsxin`); its row numbers are the lines of the diagnostics.

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

import csv
import datetime as dt
import difflib
import io
import os
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import IO, Final

import attrs

from iki_core._textio import binary_kind, decode, sniff_delimiter
from iki_core._xlsxin import XLSX_MAGIC, xlsx_to_csv
from iki_core.errors import (
    IkiError,
    IkiParseError,
    IkiTypeError,
    NumberParseError,
    PeriodParseError,
    QuantityParseError,
    file_error,
)
from iki_core.model import (
    Diagnostic,
    Document,
    Indicator,
    Realisation,
    Severity,
    Sheet,
    SourceText,
    shape_problem,
)
from iki_core.numbers import Lang, parse_number
from iki_core.periods import Period, parse_date
from iki_core.realisation_checks import (
    check_realisation,
    check_realisations,
    clash,
    kind_problems,
    mismatch_params,
    period_problems,
    unit_mismatch,
)
from iki_core.units import Quantity, UnitRegistry, get_registry

__all__ = [
    "COLUMNS",
    "COLUMN_ALIASES",
    "RealisationSet",
    "check_realisation",
    "check_realisations",
    "load_realisations",
    "loads_realisations",
]

COLUMNS: Final = ("indicator", "period", "value", "numerator", "denominator", "reported_on", "note")
"""The columns of a realisations file, in the order of the format's documentation."""

INFO_COLUMNS: Final = ("name", "unit", "target")
"""Columns the template shows beside each row and the reader reads past."""

COLUMN_ALIASES: Final[Mapping[str, str]] = {
    "nama_indikator": "name",
    "nama": "name",
    "indikator_kinerja": "name",
    "satuan": "unit",
    "target_to_date": "target",
    "target_sd_periode": "target",
    "indikator": "indicator",
    "periode": "period",
    "nilai": "value",
    "realisasi": "value",
    "pembilang": "numerator",
    "penyebut": "denominator",
    "tanggal_lapor": "reported_on",
    "tanggal": "reported_on",
    "catatan": "note",
    "keterangan": "note",
}


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
    """Read a realisations CSV or xlsx file (a path or an open file) against ``document``.

    A ``str`` that contains a line break is read as the CSV text itself; bytes that start
    as a zip archive are read as an xlsx workbook. ``lang`` is how numbers are written
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
    if isinstance(data, bytes) and data.startswith(XLSX_MAGIC):
        periods = frozenset(k for k, v in COLUMN_ALIASES.items() if v == "period") | {"period"}
        text = xlsx_to_csv(data, lang, periods)
        return loads_realisations(text, document, registry=registry, source=source, lang=lang)
    text, warning = _decode(data)
    result = loads_realisations(text, document, registry=registry, source=source, lang=lang)
    if warning is None:
        return result
    return attrs.evolve(result, diagnostics=(warning, *result.diagnostics))


def _decode(data: str | bytes) -> tuple[str, Diagnostic | None]:
    if isinstance(data, str):
        return data, None
    kind = binary_kind(data)
    if kind is not None:
        problem = Diagnostic.of("binary-file", "reader.binary-file", {"kind": kind})
        raise IkiParseError([problem])
    decoded = decode(data)
    if decoded.bad_line is None:
        return decoded.text, None
    warning = Diagnostic.of("encoding", "reader.encoding", line=decoded.bad_line)
    return decoded.text, warning


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
        if data.startswith(XLSX_MAGIC):
            periods = frozenset(k for k, v in COLUMN_ALIASES.items() if v == "period") | {"period"}
            return loads_realisations(
                xlsx_to_csv(data, lang, periods),
                document,
                registry=registry,
                source=source,
                lang=lang,
            )
        decoded, warning = _decode(data)
        result = loads_realisations(decoded, document, registry=registry, source=source, lang=lang)
        return (
            result
            if warning is None
            else attrs.evolve(result, diagnostics=(warning, *result.diagnostics))
        )
    if not isinstance(text, str):
        raise IkiTypeError(field="text", expected="CSV text (str or bytes)", value=text)
    if not isinstance(document, Document):
        raise IkiTypeError(field="document", expected="a Document", value=document)
    reader = _Reader(document, registry or get_registry(), source, lang)
    return reader.read(text.lstrip("\ufeff"))


def _rows(reader: Iterator[list[str]], source: str | None) -> Iterator[list[str]]:
    """The rows of ``reader``; the csv module's own failure (a field over its limit of
    131,072 characters) becomes an :class:`~iki_core.errors.IkiParseError` with the line."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = getattr(reader, "line_num", 0)
            key = "field-too-large" if "field larger" in str(exc) else "csv-syntax"
            diagnostic = Diagnostic.of(key, f"reader.{key}", {"reason": exc}, line=line)
            raise IkiParseError([diagnostic], source=source) from exc
        yield cells


# --- reading ----------------------------------------------------------------------------
@attrs.define
class _Row:
    line: int
    cells: dict[str, str]
    raw: str
    problems: list[Diagnostic] = attrs.Factory(list)

    def error(self, code: str, key: str | None = None, **params: object) -> None:
        """Report ``code``, worded by the catalogue's ``diagnostic.reader.<key or code>``."""
        self.problems.append(self._diag("error", code, key, params))

    def warn(self, code: str, key: str | None = None, **params: object) -> None:
        self.problems.append(self._diag("warning", code, key, params))

    def _diag(
        self, severity: Severity, code: str, key: str | None, params: dict[str, object]
    ) -> Diagnostic:
        return Diagnostic.of(
            code, f"reader.{key or code}", params, line=self.line, severity=severity, text=self.raw
        )

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def errors(self) -> bool:
        return any(d.severity == "error" for d in self.problems)


class _Reader:
    def __init__(
        self, document: Document, registry: UnitRegistry, source: str | None, lang: Lang
    ) -> None:
        self.registry = registry
        self.source = source
        self.lang: Lang = lang
        self.indicators: dict[str, tuple[Indicator, Sheet]] = {}
        for sheet in document.sheets:
            for ind in sheet.indicators:
                self.indicators[f"{sheet.number}:{ind.id}"] = (ind, sheet)
        # (reference, period) -> line of the row that reported it
        self.seen: dict[str, dict[Period, int]] = {}

    def read(self, text: str) -> RealisationSet:
        lines = text.splitlines()
        header_at = next(
            (i for i, s in enumerate(lines) if s.strip() and not s.lstrip().startswith("#")),
            None,
        )
        if header_at is None:
            raise IkiParseError(
                [Diagnostic.of("empty-file", "reader.empty-file")],
                source=self.source,
            )
        delimiter = sniff_delimiter(lines[header_at])
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        diagnostics: list[Diagnostic] = []
        columns: list[str] | None = None
        realisations: list[Realisation] = []
        skipped: list[int] = []
        not_reported: list[int] = []
        end = 0
        for cells in _rows(reader, self.source):
            line, end = end + 1, reader.line_num
            if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                continue
            if columns is None:
                columns = self._header(cells, line, diagnostics)
                continue
            raw = "\n".join(lines[line - 1 : end])
            row = self._cells(columns, cells, line, raw)
            if not row.problems and self._not_reported(row):
                not_reported.append(line)
                diagnostics.extend(row.problems)
                continue
            realisation = self._row(row) if not row.problems else None
            diagnostics.extend(row.problems)
            if realisation is None:
                skipped.append(line)
            else:
                realisations.append(realisation)
        return RealisationSet(realisations, diagnostics, skipped, self.source, not_reported)

    def _header(self, cells: list[str], line: int, diagnostics: list[Diagnostic]) -> list[str]:
        columns: list[str] = []
        for cell in cells:
            name = "_".join(cell.strip().lower().split())
            name = COLUMN_ALIASES.get(name, name)
            if name not in COLUMNS and name not in INFO_COLUMNS:
                diagnostics.append(
                    Diagnostic.of(
                        "unknown-column",
                        "reader.unknown-column",
                        {"column": cell.strip(), "columns": ", ".join(COLUMNS)},
                        line=line,
                    )
                )
            columns.append(name)
        missing = [c for c in ("indicator", "period") if c not in columns]
        keys = ["reader.missing-column"] * len(missing)
        if "value" not in columns and not {"numerator", "denominator"} <= set(columns):
            missing.append("value")
            keys.append("reader.missing-value-column")
        duplicated = sorted({c for c in columns if c in COLUMNS and columns.count(c) > 1})
        header = ", ".join(cells)
        problems = [
            Diagnostic.of(
                "missing-column",
                key,
                {"column": name, "header": header},
                line=line,
                text=",".join(cells),
            )
            for name, key in zip(missing, keys, strict=True)
        ] + [
            Diagnostic.of(
                "duplicate-column", "reader.duplicate-column", {"column": name}, line=line
            )
            for name in duplicated
        ]
        if problems:
            raise IkiParseError([*diagnostics, *problems], source=self.source)
        return columns

    def _cells(self, columns: list[str], cells: list[str], line: int, raw: str) -> _Row:
        row = _Row(line, dict(zip(columns, cells, strict=False)), raw)
        if len(cells) > len(columns):
            extra = cells[len(columns) :]
            row.error(
                "ragged-row",
                cells=len(cells),
                columns=len(columns),
                extra=", ".join(repr(c) for c in extra),
            )
        return row

    # --- one row ----------------------------------------------------------------------
    def _not_reported(self, row: _Row) -> bool:
        """A row of a known indicator and a good period with nothing filled in yet (no
        value, numerator, denominator, date or note): noted, not an error."""
        if any(row.get(c) for c in ("value", "numerator", "denominator", "reported_on", "note")):
            return False
        found = self.indicators.get(self._reference(row))
        if found is None or not row.get("period"):
            return False
        try:
            period = Period.parse(row.get("period"))
        except PeriodParseError:
            return False
        if period_problems(period, found[1].plan_years or found[0].years):
            return False
        row.problems.append(
            Diagnostic.of(
                "not-reported",
                "reader.not-reported",
                {"reference": self._reference(row), "period": period},
                line=row.line,
                text=row.raw,
            )
        )
        return True

    def _row(self, row: _Row) -> Realisation | None:
        found = self._indicator(row)
        period = self._period(row, found)
        reported_on = self._date(row, period)
        if found is None:
            self._numbers(row, None)  # still report what else is wrong with the row
            return None
        indicator, _sheet = found
        reference = self._reference(row)
        value, numerator, denominator = self._numbers(row, indicator)
        if period is not None:
            self._overlap(row, reference, period)
        if row.errors() or period is None:
            return None
        self.seen.setdefault(reference, {})[period] = row.line
        note = row.get("note")
        source = SourceText(line=row.line, cells=tuple((k, v) for k, v in row.cells.items()))
        return Realisation(
            reference,
            period,
            value=value,
            numerator=numerator,
            denominator=denominator,
            reported_on=reported_on,
            note=note,
            source=source,
        )

    def _reference(self, row: _Row) -> str:
        return "".join(row.get("indicator").split())

    def _indicator(self, row: _Row) -> tuple[Indicator, Sheet] | None:
        text = row.get("indicator")
        if not text:
            row.error("missing-indicator")
            return None
        reference = self._reference(row)
        found = self.indicators.get(reference)
        if found is not None:
            return found
        if ":" not in reference:
            row.error("unknown-indicator", "unknown-indicator-no-sheet", text=text)
            return None
        close = self._near(reference)
        if close:
            near = " or ".join(repr(c) for c in close)
            row.error("unknown-indicator", "unknown-indicator-near", text=text, near=near)
        else:
            row.error("unknown-indicator", text=text)
        return None

    def _near(self, reference: str) -> list[str]:
        """References a user may have meant: the indicators of the same row, else look-alikes."""
        head = reference.split(".", 1)[0]
        same_row = [r for r in self.indicators if r == head or r.startswith(head + ".")]
        if same_row:
            return same_row[:5]
        return difflib.get_close_matches(reference, list(self.indicators), n=3, cutoff=0.6)

    def _period(self, row: _Row, found: tuple[Indicator, Sheet] | None) -> Period | None:
        text = row.get("period")
        if not text:
            row.error("missing-period")
            return None
        try:
            period = Period.parse(text)
        except PeriodParseError as exc:
            row.error("bad-period", text=text, reason=exc.reason)
            return None
        years: tuple[int, ...] = ()
        if found is not None:
            indicator, sheet = found
            years = sheet.plan_years or indicator.years
        problems = period_problems(period, years)
        if "period-kind" in problems:
            row.error("period-kind", text=text, kind=period.kind)
        if "outside-plan" in problems and found is not None:
            span = f"{min(years)}-{max(years)}" if len(years) > 1 else str(years[0])
            row.error("outside-plan", text=text, sheet=found[1].number, years=span)
        if problems:
            return None
        return period

    def _date(self, row: _Row, period: Period | None) -> dt.date | None:
        text = row.get("reported_on")
        if not text:
            return None
        try:
            date = parse_date(text)
        except PeriodParseError as exc:
            row.error("bad-date", text=text, reason=exc.reason)
            return None
        if period is not None and date < period.start:
            row.warn("reported-early", text=text, period=period)
        return date

    def _numbers(
        self, row: _Row, indicator: Indicator | None
    ) -> tuple[Quantity | None, Decimal | None, Decimal | None]:
        value_text = row.get("value")
        num_text, den_text = row.get("numerator"), row.get("denominator")
        numerator = self._number(row, "numerator", num_text)
        denominator = self._number(row, "denominator", den_text)
        value = self._quantity(row, value_text, indicator) if value_text else None
        has_ratio = bool(num_text or den_text)
        ref = self._reference(row)
        shape = shape_problem(
            value=bool(value_text), numerator=bool(num_text), denominator=bool(den_text)
        )
        if shape == "incomplete-ratio":
            missing = "denominator" if num_text else "numerator"
            row.error(shape, reference=ref, column=missing)
        elif shape is not None:
            row.error(shape, reference=ref)
        if indicator is None:
            return value, numerator, denominator
        problems = kind_problems(indicator, value=bool(value_text), ratio=has_ratio)
        if "ratio-for-count" in problems:
            if indicator.unit.name:
                row.error("ratio-for-count", reference=ref, unit=indicator.unit.name)
            else:
                row.error("ratio-for-count", "ratio-for-bare-count", reference=ref)
        if "value-for-percentage" in problems:
            row.error("value-for-percentage", reference=ref)
        return value, numerator, denominator

    def _number(self, row: _Row, column: str, text: str) -> Decimal | None:
        if not text:
            return None
        try:
            number = parse_number(text, lang=self.lang)
        except NumberParseError as exc:
            row.error("bad-number", column=column, text=text, reason=exc.reason)
            return None
        if number < 0:
            row.error("negative", column=column, text=text)
            return None
        return number

    def _quantity(self, row: _Row, text: str, indicator: Indicator | None) -> Quantity | None:
        try:
            q = self.registry.parse_quantity(text, lang=self.lang, field="value")
        except QuantityParseError as exc:
            row.error("bad-value", text=exc.text, reason=exc.reason)
            return None
        except IkiError as exc:  # pragma: no cover - defensive: any other reading error
            row.error("bad-value", text=text, reason=str(exc))
            return None
        if q.magnitude < 0:
            row.error("negative", column="value", text=text)
            return None
        if indicator is None:
            return q
        unit = indicator.unit
        if q.unit.is_bare:
            return Quantity(q.magnitude, unit, text=text, noun=q.noun)
        if unit_mismatch(q.unit, indicator):
            ref = self._reference(row)
            row.error("unit-mismatch", reference=ref, **mismatch_params(text, q.unit, indicator))
            return None
        if q.unit == unit:
            return q
        return attrs.evolve(q.to(unit), text=text, noun=q.noun)

    def _overlap(self, row: _Row, reference: str, period: Period) -> None:
        found = clash(self.seen.get(reference, {}), period)
        if found is not None:
            code, other, at = found
            row.error(code, reference=reference, period=period, other=other, at=at)
