"""The table of a sheet, shared by the text and CSV loaders.

Both loaders split their input into rows of cells with a line number and feed
them to one :class:`TableBuilder`, which recognises header rows, rows of years,
column-number rows and data rows, groups continuation rows under their
objective, reads the targets, infers each indicator's kind and reports every
defect as a :class:`~iki_core.model.Diagnostic`.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from iki_core._loaded import loaded_indicator
from iki_core.errors import IkiError
from iki_core.kinds import VALUE_KINDS, GradeKind
from iki_core.loaders._cellvalues import markup_part
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
from iki_core.loaders._rowtargets import Report, TargetCells, sheet_report
from iki_core.loaders.context import ReadContext
from iki_core.loaders.options import Candidate, Inferrer, find_formula
from iki_core.model import (
    Indicator,
    Objective,
    SourceText,
)
from iki_core.numbers import NO_TARGET_MARKS, Lang
from iki_core.units import Unit

__all__ = ["TableBuilder"]


# --- rows and objectives ------------------------------------------------------------------
@attrs.define
class _Row:
    line: int
    name: str
    explanation: str
    unit_text: str
    data_source: str
    years: list[tuple[int, str]]
    cells: tuple[tuple[str, str], ...]


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
    years: tuple[tuple[int, int], ...]
    indikator: int | None
    penjelasan: int | None
    satuan: int | None
    sumber: int | None
    no: int | None
    sasaran: int | None


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
        self._run_key: tuple[str, ...] | None = None
        self.rows = 0
        self.header_rows: list[str] = []
        """The text of each header row as written, its cells joined by tabs, in order (the
        first, any restart and the row of years under a two-row header): structure to the
        reader, but what the user wrote, kept in the sheet's source."""
        self._langs: dict[int, Lang] = {}
        self._inferrer = Inferrer(ctx.options)
        self._last_layout: _Layout | None = None
        self._pairs: dict[tuple[str, str], tuple[str, str]] = {}
        self.report: Report = sheet_report(ctx, sheet)
        self._targets = TargetCells(ctx, self.report)

    # --- feeding ----------------------------------------------------------------------
    def feed(self, line: int, cells: Sequence[str]) -> None:
        """One row of cells as written (not stripped) at ``line``."""
        stripped = list(map(str.strip, cells))
        if not any(stripped):
            return
        if _may_be_header("\t" + "\t".join(stripped).lower()):
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
        if _is_column_number_row(stripped):
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
        self._data_row(line, list(cells), stripped)

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
            layout = _Layout(
                cols,
                cols.width,
                tuple(cols.fields),
                tuple(cols.years),
                cols.index(INDIKATOR),
                cols.index(PENJELASAN),
                cols.index(SATUAN),
                cols.index(SUMBER),
                cols.index(NO),
                cols.index(SASARAN),
            )
            self._last_layout = layout
        return layout

    def _data_row(self, line: int, cells: list[str], stripped: list[str]) -> None:
        cols = self.columns
        assert cols is not None
        layout = self._layout(cols)
        count = len(stripped)
        name, explanation, unit, source = (
            stripped[i] if i is not None and i < count else ""
            for i in (layout.indikator, layout.penjelasan, layout.satuan, layout.sumber)
        )
        width = layout.width
        while len(cells) > width and not cells[-1].strip():
            cells.pop()
        fields = layout.fields
        pairs = self._pairs  # one tuple for each (field, text) of the sheet
        source_cells = tuple([pairs.setdefault(p, p) for p in zip(fields, cells, strict=False)])
        n = len(cells)
        if n > len(fields):
            source_cells += tuple((f"column {i + 1}", cells[i]) for i in range(len(fields), n))
        if n > width:
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
        years = [(y, cells[i] if i < n else "") for i, y in layout.years]
        no_i = layout.no
        no_raw = cells[no_i] if no_i is not None and no_i < n else ""
        sas_i = layout.sasaran
        sas_raw = cells[sas_i] if sas_i is not None and sas_i < n else ""
        row = _Row(line, name, explanation, unit, source, years, source_cells)
        self.rows += 1
        self._track_repeats(line, stripped, no_i, row.name)
        self._place(row, no_raw, sas_raw)

    # --- identical rows -----------------------------------------------------------
    def _track_repeats(self, line: int, stripped: list[str], no_i: int | None, name: str) -> None:
        cells = stripped if no_i is None else stripped[:no_i] + stripped[no_i + 1 :]
        end = len(cells)
        while end and not cells[end - 1]:  # trailing empty cells, found in one pass
            end -= 1
        key = tuple(cells) if end == len(cells) else tuple(cells[:end])
        no = stripped[no_i] if no_i is not None and no_i < len(stripped) else ""
        if key == self._run_key:
            self._run.append((line, no, name))
            return
        self._flush_run()
        self._run_key = key
        self._run = [(line, no, name)]

    def _flush_run(self) -> None:
        run, self._run, self._run_key = self._run, [], None
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
            self.report(
                line,
                "info",
                "continuation-row",
                {
                    "name": row.name,
                    "id": f"{group.key}.{len(group.rows)}",
                    "objective": group.number or group.key,
                    "at": group.line,
                },
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
        self._langs = self._locales()
        used: set[str] = set()
        objectives: list[Objective] = []
        for group in self._groups:
            indicators: list[Indicator] = []
            for k, row in enumerate(group.rows, start=1):
                ident = group.key if len(group.rows) == 1 else f"{group.key}.{k}"
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
                indicator = self._indicator(row, ident, group.sasaran)
                if indicator is not None:
                    indicators.append(indicator)
            objectives.append(
                Objective(
                    group.number,
                    group.sasaran,
                    indicators,
                    SourceText(
                        group.line,
                        (
                            (FIELD_NAMES[NO], group.no_raw),
                            (FIELD_NAMES[SASARAN], group.sasaran_raw),
                        ),
                    ),
                )
            )
        return tuple(objectives)

    def _locales(self) -> dict[int, Lang]:
        """The number locale of each year column, from all its cells (docs/formats.md,
        "Number locale")."""
        cells: dict[int, list[str]] = {}
        for group in self._groups:
            for row in group.rows:
                for year, raw in row.years:
                    cells.setdefault(year, []).append(raw)
        return {
            year: self.ctx.column_locale(
                f"target {year}", texts, line=self._first_header, sheet=self.sheet
            )
            for year, texts in cells.items()
        }

    def _indicator(self, row: _Row, ident: str, objective: str) -> Indicator | None:
        ctx = self.ctx
        line = row.line
        texts, readable = self._targets.read(row, self._langs)
        unit: Unit | None = ctx.registry.unit(row.unit_text) if row.unit_text else None
        values = tuple([(y, v) for y, v, _, _ in readable])
        inference = self._inferrer.infer(row.name, row.explanation, values, unit)
        options = ctx.options
        if options.infer is not None or options.overrides:
            candidate = Candidate(
                reference=f"{self.sheet}:{ident}",
                name=row.name,
                explanation=row.explanation,
                objective=objective,
                data_source=row.data_source,
                targets=values,
                unit=unit,
                line=line,
            )
            inference = options.revise(candidate, inference)
        kind = inference.kind
        kind_unit = kind.unit
        if isinstance(kind, VALUE_KINDS):
            what = kind.scale.key if isinstance(kind, GradeKind) else kind.name
            self.report(line, "info", "value-kind", {"name": row.name, "kind": what})
        if kind.name == "percentage":
            units = tuple(v.unit for _, v in values if v is not None)
            rule = self._inferrer.percentage_rule(row.name, row.explanation, units, unit)
            if rule is not None:
                self.report(
                    line,
                    "info",
                    "percentage-inferred",
                    {"name": row.name},
                    key=f"percentage-from-{rule}",
                )
        targets = self._targets.targets(row, readable, kind_unit)
        self._check_data_source(row, texts)
        if "$" in row.explanation or "\\" in row.explanation:
            formula = find_formula(row.explanation)
            self.report(
                line,
                "info",
                "formula-markup",
                {
                    "markup": markup_part(row.explanation),
                    "factor": formula.factor if formula is not None else "",
                },
                row.explanation,
                key=None if formula is not None else "formula-markup-kept",
            )
        try:
            return loaded_indicator(
                ident,
                row.name,
                kind,
                tuple(targets),
                inference.polarity,
                inference.aggregation,
                row.explanation,
                row.data_source,
                SourceText(line, row.cells),
            )
        except IkiError as exc:  # not read: the row's text is kept with the error
            row_text = "\t".join(text for _, text in row.cells)
            self.report(line, "error", "invalid-indicator", {"reason": exc}, row_text)
            return None

    def _check_data_source(self, row: _Row, texts: list[str]) -> None:
        ds = row.data_source
        if not ds:
            return
        looks = (
            ds in NO_TARGET_MARKS or ds in texts or not isinstance(self.ctx.parse_value(ds), str)
        )
        if looks:
            self.report(
                row.line,
                "warning",
                "data-source-looks-like-target",
                {"text": ds, "years": len(row.years)},
                ds,
            )


def _may_be_header(row: str) -> bool:
    """True when a cell of ``row`` (the row's stripped cells, each after a tab, in lower
    case) starts as an Indikator header does (``_HEADER_STARTS``, four letters each):
    four searches of one text instead of a look-up per cell. Lower case is taken of the
    whole row, not of each cell's first four characters: the same for these ASCII starts,
    since no character lowers to more than one letter that begins one of them. A cell
    holding a tab before such a start (a quoted CSV cell) also passes: the header check
    that follows decides."""
    return any(f"\t{start}" in row for start in _HEADER_STARTS)
