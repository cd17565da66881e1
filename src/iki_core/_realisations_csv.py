"""The realisations CSV format: its columns, their Indonesian names, and the row reader
behind :func:`iki_core.realisations.loads_realisations` (which documents the format)."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Final, NamedTuple

import attrs

from iki_core._memo import remember
from iki_core._textio import sniff_delimiter
from iki_core.errors import (
    IkiError,
    IkiParseError,
    NumberParseError,
    PeriodParseError,
    QuantityParseError,
)
from iki_core.kinds import parse_value
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
    clash,
    kind_problems,
    mismatch_params,
    period_problems,
    unit_mismatch,
)
from iki_core.units import Quantity, UnitRegistry

__all__ = [
    "COLUMNS",
    "COLUMN_ALIASES",
    "INFO_COLUMNS",
    "PERIOD_NAMES",
    "Read",
    "Reader",
    "checked_realisation",
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
PERIOD_NAMES: Final = frozenset(k for k, v in COLUMN_ALIASES.items() if v == "period") | {"period"}
"""The names of a period column (lower case): a spreadsheet's date there is a month."""


class Read(NamedTuple):
    """What the reader read: the good rows, every diagnostic, and the lines of the rows
    left out and of those not yet reported."""

    realisations: list[Realisation]
    diagnostics: list[Diagnostic]
    skipped: list[int]
    not_reported: list[int]


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


# --- the realisations of good rows -----------------------------------------------------
_REALISATION_FIELDS: Final = (
    "indicator",
    "period",
    "value",
    "numerator",
    "denominator",
    "reported_on",
    "note",
    "source",
)
_SLOTS: Final = Realisation.__dict__  # attrs gives Realisation __slots__
_SETTERS: Final = (
    tuple(_SLOTS[name].__set__ for name in _REALISATION_FIELDS)
    if tuple(f.name for f in attrs.fields(Realisation)) == _REALISATION_FIELDS
    else None
)
"""The slot setters of :class:`Realisation`, in the order of its fields; None when its
fields are not those above (then every realisation goes through the constructor)."""
_new = object.__new__


def checked_realisation(
    indicator: str,
    period: Period,
    value: Quantity | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    reported_on: dt.date | None,
    note: str,
    source: SourceText,
) -> Realisation:
    """The :class:`Realisation` of a row the reader has checked by the realisation rules
    (a known reference, a month or quarter of a plan year, a value or both X and Y, none
    below zero, each a Decimal or Quantity read from the row): its slots are set directly,
    which costs a fifth of the constructor's checks of the same rules, as the engine does
    for the quantities it builds."""
    if _SETTERS is None:  # pragma: no cover - only if the model's fields change
        return Realisation(
            indicator,
            period,
            value=value,
            numerator=numerator,
            denominator=denominator,
            reported_on=reported_on,
            note=note,
            source=source,
        )
    r: Realisation = _new(Realisation)
    set_indicator, set_period, set_value, set_num, set_den, set_date, set_note, set_source = (
        _SETTERS
    )
    set_indicator(r, indicator)
    set_period(r, period)
    set_value(r, value)
    set_num(r, numerator)
    set_den(r, denominator)
    set_date(r, reported_on)
    set_note(r, note)
    set_source(r, source)
    return r


# --- reading ----------------------------------------------------------------------------
_FILLED: Final = ("value", "numerator", "denominator", "reported_on", "note")
"""The columns a row fills in when it is reported (a row with none is not yet reported)."""


class _Row:
    """One row being read: its cells as written (kept in the realisation's source), the
    same cells stripped, the indicator's reference and the problems found so far. Its
    text as written (``raw``, lines ``line`` to ``end`` of the file) is joined only for a
    diagnostic."""

    __slots__ = ("_end", "_lines", "cells", "line", "problems", "reference", "values")

    def __init__(self, line: int, cells: dict[str, str], lines: list[str], end: int) -> None:
        self.line = line
        self.cells = cells
        self._lines = lines
        self._end = end
        self.values = dict(zip(cells, map(str.strip, cells.values()), strict=True))
        self.reference = "".join(self.values.get("indicator", "").split())
        self.problems: list[Diagnostic] = []

    @property
    def raw(self) -> str:
        return "\n".join(self._lines[self.line - 1 : self._end])

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
        return self.values.get(column, "")

    def errors(self) -> bool:
        return any(d.severity == "error" for d in self.problems)


class Reader:
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
        # values already read, by (text, id of the indicator's unit); the units are the
        # document's, alive as long as the reader
        self._values: dict[tuple[str, int], Quantity] = {}

    def read(self, text: str) -> Read:
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
            # a blank row: no cell has anything but spaces (one join, not a strip per cell)
            if not "".join(cells).strip() or cells[0].lstrip().startswith("#"):
                continue
            if columns is None:
                columns = self._header(cells, line, diagnostics)
                continue
            row = self._cells(columns, cells, line, lines, end)
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
        return Read(realisations, diagnostics, skipped, not_reported)

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

    def _cells(
        self, columns: list[str], cells: list[str], line: int, lines: list[str], end: int
    ) -> _Row:
        row = _Row(line, dict(zip(columns, cells, strict=False)), lines, end)
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
        values = row.values
        if any(values.get(c) for c in _FILLED):
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
        source = SourceText(line=row.line, cells=tuple(row.cells.items()))
        return checked_realisation(
            reference, period, value, numerator, denominator, reported_on, note, source
        )

    def _reference(self, row: _Row) -> str:
        return row.reference

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
        value = self._value(row, value_text, indicator) if value_text else None
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

    def _value(self, row: _Row, text: str, indicator: Indicator | None) -> Quantity | None:
        """The value of ``text`` for ``indicator`` (:meth:`_quantity`), read once per
        spelling and unit: a value read without a problem reads the same on every row."""
        if indicator is None:
            return self._quantity(row, text, indicator)
        key = (text, id(indicator.unit))
        known = self._values.get(key)
        if known is not None:
            return known
        problems = len(row.problems)
        value = self._quantity(row, text, indicator)
        if value is None or len(row.problems) != problems:
            return value
        return remember(self._values, key, value)

    def _quantity(self, row: _Row, text: str, indicator: Indicator | None) -> Quantity | None:
        try:
            kind = None if indicator is None else indicator.kind
            q = parse_value(text, kind=kind, registry=self.registry, lang=self.lang, field="value")
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
