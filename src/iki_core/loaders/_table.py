"""The table of a sheet, shared by the text and CSV loaders.

Both loaders split their input into rows of cells with a line number and feed
them to one :class:`TableBuilder`, which recognises header rows, rows of years,
column-number rows and data rows, groups continuation rows under their
objective, reads the targets, infers each indicator's kind and reports every
defect as a :class:`~iki_core.model.Diagnostic`.
"""

from __future__ import annotations

import operator
import re
import sys
from collections.abc import Sequence
from typing import Final

import attrs

from iki_core._loaded import (
    loaded_objective,
    loaded_source,
)
from iki_core.diagnostics import worded_maker
from iki_core.loaders._columns import (
    _HEADER_STARTS,
    FIELD_NAMES,
    INDIKATOR,
    NO,
    PENJELASAN,
    SASARAN,
    SATUAN,
    SUMBER,
    TARGET,
    _Columns,
    _is_column_number_row,
    _is_year_row,
    classify_header,
)
from iki_core.loaders._rowindicators import IndicatorReader
from iki_core.loaders._rowtargets import Report, _Row, sheet_report
from iki_core.loaders.context import ReadContext
from iki_core.model import (
    Indicator,
    Objective,
)
from iki_core.numbers import Lang

__all__ = ["TableBuilder"]

_TEXT: Final = operator.itemgetter(1)
_ABSENT: Final = sys.maxsize
"""The position of a column the header does not name: beyond every row's last cell."""


# --- rows and objectives ------------------------------------------------------------------
@attrs.define
class _Group:
    line: int
    key: str
    number: str
    no_raw: str
    sasaran: str
    sasaran_raw: str
    rows: list[_Row] = attrs.field(factory=list)


@attrs.frozen
class _Layout:
    """Where the fields of a data row are, under one header (:class:`_Columns`)."""

    columns: _Columns
    width: int
    fields: tuple[str, ...]
    year_numbers: tuple[int, ...]
    year_columns: tuple[int, ...]
    year_slice: slice | None
    """The target columns when they are side by side in order, as one slice."""
    year_end: int
    # the column of each field, _ABSENT when there is none
    indikator: int
    penjelasan: int
    satuan: int
    sumber: int
    no: int
    sasaran: int
    pairs: tuple[dict[str, tuple[str, str]], ...]
    """The (field, text) tuples of the sheet made so far, by text, for each column."""


def sas_i_known(columns: _Columns | None) -> bool:
    """True when the table has a Sasaran column (an empty Sasaran is then worth a word)."""
    return columns is not None and columns.index(SASARAN) is not None


def _normalise_no(text: str) -> str:
    return text.strip().rstrip(".").strip().replace(":", ".") if text else text


class TableBuilder:
    """Reads the rows of one sheet's table(s), in order, and builds its objectives."""

    def __init__(self, ctx: ReadContext, sheet: int) -> None:
        self.ctx = ctx
        self.sheet = sheet
        self.columns: _Columns | None = None
        self.plan_years: list[int] = []
        self._pending: tuple[int, list[str], list[str | int | None]] | None = None
        self._first_header: int | None = None
        self._groups: list[_Group] = []
        self._numbers: dict[str, tuple[int, int]] = {}
        self._run: list[tuple[int, str, str]] = []  # (line, No, name) of identical rows
        self.rows = 0
        self.header_rows: list[str] = []
        """The text of each header row as written, its cells joined by tabs, in order (the
        first, any restart and the row of years under a two-row header): structure to the
        reader, but what the user wrote, kept in the sheet's source."""
        self._last_layout: _Layout | None = None
        # one (field, text) tuple for each field and text of the sheet, by field and text
        self._pairs: dict[str, dict[str, tuple[str, str]]] = {}
        self.report: Report = sheet_report(ctx, sheet)
        self._indicators = IndicatorReader(ctx, sheet, self.report)
        self._diagnostics = ctx.diagnostics
        self._continuation = worded_maker(
            "continuation-row", "document.continuation-row", "info", sheet=sheet
        )
        self._run_name = ""
        self._run_cells: list[str] = []
        self._run_no = _ABSENT

    # --- feeding ----------------------------------------------------------------------
    def feed(self, line: int, cells: Sequence[str], text: str | None = None) -> None:
        """One row of cells as written (not stripped) at ``line``; ``text``, when given,
        is the row as written, its cells joined by tabs (the text layout's line)."""
        stripped = list(map(str.strip, cells))
        if not any(stripped):
            return
        if text is None:
            text = "\t".join(cells)
        if _HEADER_START.search("\t" + text.lower()) is not None:
            roles = [classify_header(c) for c in stripped]
            known = sum(1 for r in roles if r is not None)
            if INDIKATOR in roles and (NO in roles or SASARAN in roles) and known >= 3:
                self._header(line, list(cells), roles)
                return
        if self._pending is not None and _is_year_row(stripped):
            head_line, head, head_roles = self._pending
            self._pending = None
            self.header_rows.append("\t".join(cells))
            self._set_columns(head_line, head, head_roles, stripped)
            return
        if "1" in stripped and _is_column_number_row(stripped):  # it starts with "1"
            self.report(
                line,
                "info",
                "column-number-row",
                {"numbers": " ".join(c for c in stripped if c)},
                "\t".join(cells),
            )
            return
        if self._pending is not None:
            head_line, head, head_roles = self._pending
            self._pending = None
            self._set_columns(head_line, head, head_roles, None)
        if self.columns is None:
            self.report(
                line,
                "error",
                "row-before-header",
                None,
                "\t".join(cells),
            )
            return
        self._data_row(line, cells, stripped)

    def _header(self, line: int, cells: list[str], roles: list[str | int | None]) -> None:
        self.header_rows.append("\t".join(cells))
        if self._pending is not None:
            head_line, head, head_roles = self._pending
            self._set_columns(head_line, head, head_roles, None)
        if self._first_header is None:
            self._first_header = line
        else:
            self.report(
                line,
                "info",
                "table-restart",
                {"first": self._first_header},
                "\t".join(cells),
            )
        self._flush_run()
        if any(isinstance(r, int) for r in roles):
            self._set_columns(line, cells, roles, None)
            self._pending = None
        else:
            self._pending = (line, cells, roles)

    def _set_columns(
        self,
        line: int,
        cells: list[str],
        roles: list[str | int | None],
        year_row: list[str] | None,
    ) -> None:
        found: dict[int, str] = {}
        years: list[tuple[int, int]] = []
        names: dict[int, str] = {}
        for i, role in enumerate(roles):
            if isinstance(role, int):
                years.append((i, role))
            elif role is None or role == TARGET:
                if cells[i].strip() and role is None:
                    names[i] = cells[i].strip()
            elif role in found.values():
                names[i] = cells[i].strip()
            else:
                found[i] = role
        if year_row is not None:
            for i, cell in enumerate(year_row):
                if cell:
                    years.append((i, int(cell)))
                    found.pop(i, None)
                    names.pop(i, None)
        years.sort()
        if not years:
            self.report(
                line,
                "error",
                "missing-years",
                None,
                "\t".join(cells),
            )
        if names:
            shown = ", ".join(repr(n) for n in names.values())
            self.report(
                line,
                "info",
                "unknown-column",
                {"columns": shown},
            )
        if INDIKATOR not in found.values():
            self.report(line, "error", "missing-column")
        year_list = [y for _, y in years]
        if self.plan_years and year_list and year_list != self.plan_years:
            self.report(
                line,
                "warning",
                "years-differ",
                {"years": year_list, "first": self.plan_years},
            )
        for y in year_list:
            if y not in self.plan_years:
                self.plan_years.append(y)
        self.columns = _Columns(found, years, names, line)

    def _layout(self, cols: _Columns) -> _Layout:
        """Where the fields of a data row are under ``cols``, found once per header."""
        layout = self._last_layout
        if layout is None or layout.columns is not cols:

            def at(role: str) -> int:
                i = cols.index(role)
                return _ABSENT if i is None else i

            columns = tuple(i for i, _ in cols.years)
            side_by_side = bool(columns) and columns == tuple(
                range(columns[0], columns[0] + len(columns))
            )
            layout = _Layout(
                cols,
                cols.width,
                tuple(cols.fields),
                tuple(y for _, y in cols.years),
                columns,
                slice(columns[0], columns[-1] + 1) if side_by_side else None,
                columns[-1] + 1 if columns else 0,
                at(INDIKATOR),
                at(PENJELASAN),
                at(SATUAN),
                at(SUMBER),
                at(NO),
                at(SASARAN),
                tuple(self._pairs.setdefault(f, {}) for f in cols.fields),
            )
            self._last_layout = layout
        return layout

    def _data_row(self, line: int, cells: Sequence[str], stripped: list[str]) -> None:
        cols = self.columns
        assert cols is not None
        layout = self._last_layout
        if layout is None or layout.columns is not cols:
            layout = self._layout(cols)
        count = len(stripped)
        at = layout.indikator
        name = stripped[at] if at < count else ""
        at = layout.penjelasan
        explanation = stripped[at] if at < count else ""
        at = layout.satuan
        unit = stripped[at] if at < count else ""
        at = layout.sumber
        source = stripped[at] if at < count else ""
        width = layout.width
        n = len(cells)
        if n > width and not cells[-1].strip():
            cells = list(cells)
            while len(cells) > width and not cells[-1].strip():
                cells.pop()
            n = len(cells)
        pairs = layout.pairs
        found = list(map(dict.get, pairs, cells))  # the sheet's tuple of each cell, if any
        if None in found:
            fields = layout.fields
            for k, pair in enumerate(found):
                if pair is None:  # made now, unless a column before it of the same
                    text = cells[k]  # field made it in this row
                    made = pairs[k].get(text)
                    if made is None:
                        made = pairs[k][text] = (fields[k], text)
                    found[k] = made
        # no None left in found: a tuple of pairs (no call of typing.cast, one a row)
        source_cells: tuple[tuple[str, str], ...] = tuple(found)  # type: ignore[arg-type]
        if n > width:
            source_cells += tuple((f"column {i + 1}", cells[i]) for i in range(width, n))
            extra = [c for c in cells[width:] if c.strip()]
            self.report(
                line,
                "warning",
                "extra-cells",
                {
                    "count": len(extra),
                    "width": width,
                    "cells": ", ".join(repr(c.strip()) for c in extra),
                },
                "\t".join(cells),
            )
        span = layout.year_slice
        if span is not None and n >= layout.year_end:  # the texts of the sheet's tuples:
            raws = list(map(_TEXT, source_cells[span]))  # one object for each text, looked up
            # again when the row is built (TargetCells.cells), its hash at hand
        else:
            raws = [cells[i] if i < n else "" for i in layout.year_columns]
        no_at = layout.no
        no_raw = cells[no_at] if no_at < n else ""
        at = layout.sasaran
        sas_raw = cells[at] if at < n else ""
        row = _Row(line, name, explanation, unit, source, layout.year_numbers, raws, source_cells)
        self.rows += 1
        # --- identical rows: a run of rows equal but for their No
        no = stripped[no_at] if no_at < count else ""
        run = self._run
        if (
            run
            and name == self._run_name  # rows of other names differ: no key to compare
            and _repeat_key(stripped, no_at) == _repeat_key(self._run_cells, self._run_no)
        ):
            run.append((line, no, name))
        else:
            if len(run) > 1:
                self._flush_run()
            self._run = [(line, no, name)]
            self._run_name, self._run_cells, self._run_no = name, stripped, no_at
        # --- its objective: a row of no No and no Sasaran continues the last one (what
        # _place does with it, in one call fewer: most rows are such)
        groups = self._groups
        if not no_raw and groups and (not sas_raw or sas_raw.isspace()):
            group = groups[-1]
            group.rows.append(row)
            self._diagnostics.append(
                self._continuation(
                    line,
                    {
                        "name": name,
                        "id": f"{group.key}.{len(group.rows)}",
                        "objective": group.number or group.key,
                        "at": group.line,
                    },
                )
            )
            if not name:
                self.report(line, "warning", "missing-indicator-name")
        else:
            self._place(row, no_raw, sas_raw)

    # --- identical rows -----------------------------------------------------------
    def _flush_run(self) -> None:
        run, self._run = self._run, []
        if len(run) < 2:
            return
        (first, first_no, name), (last, last_no, _) = run[0], run[-1]
        params = {"first": first, "last": last, "count": len(run), "name": name}
        if first_no and last_no:
            params |= {"first_no": first_no, "last_no": last_no}
        key = "repeated-row-numbered" if first_no and last_no else None
        self.report(first, "warning", "repeated-row", params, key=key)

    # --- objectives -----------------------------------------------------------------
    def _place(self, row: _Row, no_raw: str, sas_raw: str) -> None:
        no = _normalise_no(no_raw)
        sasaran = sas_raw.strip()
        line = row.line
        if no:
            first_line, count = self._numbers.get(no, (line, 0))
            count += 1
            self._numbers[no] = (first_line, count)
            key = no if count == 1 else f"{no}~{count}"
            if count > 1:
                self.report(
                    line,
                    "warning",
                    "duplicate-number",
                    {"no": no, "first": first_line, "key": key},
                )
            if not sasaran and sas_i_known(self.columns):
                self.report(line, "warning", "missing-objective", {"no": no})
            self._groups.append(_Group(line, key, no, no_raw, sasaran, sas_raw, [row]))
        elif sasaran or not self._groups:
            code = "missing-number" if sasaran else "orphan-continuation"
            self.report(line, "warning", code, {"id": f"L{line}"})
            self._groups.append(_Group(line, f"L{line}", "", no_raw, sasaran, sas_raw, [row]))
        else:
            group = self._groups[-1]
            group.rows.append(row)
            self._diagnostics.append(
                self._continuation(
                    line,
                    {
                        "name": row.name,
                        "id": f"{group.key}.{len(group.rows)}",
                        "objective": group.number or group.key,
                        "at": group.line,
                    },
                )
            )
        if not row.name:
            self.report(line, "warning", "missing-indicator-name")

    # --- building -------------------------------------------------------------------
    def finish(self) -> tuple[Objective, ...]:
        """The objectives with their indicators, in order."""
        self._flush_run()
        if self._pending is not None:
            head_line, head, head_roles = self._pending
            self._pending = None
            self._set_columns(head_line, head, head_roles, None)
        self._indicators.langs = self._locales()
        used: set[str] = set()
        objectives: list[Objective] = []
        no_field, sasaran_field = FIELD_NAMES[NO], FIELD_NAMES[SASARAN]
        indicator_of = self._indicators.indicator
        for group in self._groups:
            indicators: list[Indicator] = []
            rows, key = group.rows, group.key
            single = len(rows) == 1
            for k, row in enumerate(rows, start=1):
                ident = key if single else f"{key}.{k}"
                if ident in used:
                    n = 2
                    while f"{ident}~{n}" in used:
                        n += 1
                    self.report(
                        row.line,
                        "warning",
                        "duplicate-id",
                        {"id": ident, "new": f"{ident}~{n}"},
                    )
                    ident = f"{ident}~{n}"
                used.add(ident)
                indicator = indicator_of(row, ident, group.sasaran)
                if indicator is not None:
                    indicators.append(indicator)
            objectives.append(
                loaded_objective(
                    group.number,
                    group.sasaran,
                    tuple(indicators),
                    loaded_source(
                        group.line,
                        ((no_field, group.no_raw), (sasaran_field, group.sasaran_raw)),
                    ),
                )
            )
        return tuple(objectives)

    def _locales(self) -> dict[int, Lang]:
        """The number locale of each year column, from all its cells (docs/formats.md,
        "Number locale")."""
        cells: dict[int, list[str]] = {}
        # the rows under one header in a batch, whose columns are read at once
        batches: list[tuple[tuple[int, ...], list[list[str]]]] = []
        years: tuple[int, ...] | None = None
        batch: list[list[str]] = []
        for group in self._groups:
            for row in group.rows:
                if row.years is not years:
                    years, batch = row.years, []
                    batches.append((years, batch))
                batch.append(row.raws)
        for years, batch in batches:
            if len(set(years)) == len(years):  # column by column: the same order
                for year, column in zip(years, zip(*batch, strict=True), strict=False):
                    cells.setdefault(year, []).extend(column)
                continue
            for raws in batch:  # two columns of one year: their cells row by row
                for year, raw in zip(years, raws, strict=True):
                    cells.setdefault(year, []).append(raw)
        return {
            year: self.ctx.column_locale(
                f"target {year}", texts, line=self._first_header, sheet=self.sheet
            )
            for year, texts in cells.items()
        }


def _repeat_key(stripped: list[str], no_at: int) -> tuple[str, ...]:
    """What two rows equal but for their No share: their stripped cells, the No column
    and the trailing empty cells left out."""
    cells = stripped[:no_at] + stripped[no_at + 1 :]
    end = len(cells)
    while end and not cells[end - 1]:  # trailing empty cells, found in one pass
        end -= 1
    return tuple(cells) if end == len(cells) else tuple(cells[:end])


_HEADER_START: Final = re.compile(
    "\t[^\\S\t]*(?:" + "|".join(re.escape(s) for s in sorted(_HEADER_STARTS)) + ")"
)
"""A cell of a row (the row's cells as written, each after a tab, in lower case) that
starts, once stripped, as an Indikator header does (``_HEADER_STARTS``, four letters
each): one search of one text instead of a look-up per cell. Between the tab and the
start, only the white space ``str.strip`` removes other than a tab (``\\s`` and
``str.strip`` agree on every character), so the search finds a start exactly where a
stripped cell begins with one (an empty cell before it ends at the next tab), in time
linear in the row's length however many empty cells it has. Lower case is
taken of the whole row, not of each cell's first four characters: the same for these
ASCII starts, since no character lowers to more than one letter that begins one of them.
A cell holding a tab before such a start (a quoted CSV cell) also passes: the header
check that follows decides."""
