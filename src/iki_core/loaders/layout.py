"""The one layout recogniser: grids (:mod:`iki_core.loaders.grid`) of any format become
sheets (docs/formats.md, "Spreadsheets, Word and PDF").

Each grid is laid out as the text layout reads it (a line per row: table rows with
their cells, the lines around the tables as written) and read by the text layout's
reader, so that a sheet in a worksheet, a Word table or a PDF page gives the same
indicators, targets, header items and signatures as the same sheet in text. What the
text layout does not know is settled here first: the title of the other kinds of
document (Perjanjian Kinerja, IKU, Renstra...; :func:`~iki_core.model.document_kind`),
the year of a single "Target" column, column-number rows written "(1) (2) (3)", and
definition sheets with no targets.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Final

import attrs

from iki_core.loaders._columns import (
    TARGET,
    _is_year_row,
    classify_header,
    may_name_indicator,
)
from iki_core.loaders._columns_more import column_role, is_quarter_row, quarter_of
from iki_core.loaders._enrich import enrich
from iki_core.loaders.context import ReadContext
from iki_core.loaders.grid import Grid, flat
from iki_core.loaders.text import parse_text
from iki_core.model import (
    DOCUMENT_KINDS,
    Diagnostic,
    Indicator,
    Objective,
    Sheet,
    SourceText,
    document_kind,
)

__all__ = ["layout_of", "recognise"]

_IKI_TITLE: Final = "INDIKATOR KINERJA INDIVIDU (IKI)"
_TEXT_TITLE: Final = re.compile(
    r"^[\s*#_]*INDIKATOR\s+KINERJA\s+(?:INDIVIDU|UTAMA)(?:\s*\((?:IKI|IKU)\))?[\s*_]*$",
    re.IGNORECASE,
)
_TITLE_YEAR: Final = re.compile(r"\b(?:TAHUN|TA\.?|YEAR)\s*((?:19|20)\d\d)\b", re.IGNORECASE)
_ANY_YEAR: Final = re.compile(r"\b((?:19|20)\d\d)\b")
_NUMBER_CELL: Final = re.compile(r"^[(\[]?\s*(\d{1,2})\s*[)\]]?\.?$")
_TARGET_WORDS: Final = frozenset(
    {"target", "target kinerja", "target (kinerja)", "target tahunan", "target tahun ini"}
)
_DEFINITIONS: Final = frozenset({"IKU", "Manual IKU"})
_HEADING: Final = re.compile(
    r"^(?P<level>tujuan|sasaran(?:\s+strategis|\s+program|\s+kegiatan)?|program|kegiatan"
    r"|sub\s*kegiatan)\b\s*(?P<number>\d+(?:\.\d+)*\.?)?\s*[:.\-]?\s*(?P<name>\S.*)$",
    re.IGNORECASE,
)
"""A heading row spanning the table: Tujuan, Sasaran (Strategis), Program, Kegiatan."""
_LEVELS: Final = ("tujuan", "sasaran", "program", "kegiatan", "subkegiatan")
_NOT_FOR_OTHER_KINDS: Final = frozenset({"missing-position", "missing-title"})


@attrs.frozen
class _Title:
    line: int
    text: str
    kind: str
    year: int | None


def _titles(grid: Grid) -> dict[int, _Title]:
    """The title lines of the kinds of document the text layout does not know."""
    found: dict[int, _Title] = {}
    for line in grid.lines:
        text = flat(line.text).strip(" *#_")
        if not text or _TEXT_TITLE.match(line.text) or len(text) > 160:
            continue
        letters = [ch for ch in text if ch.isalpha()]
        if not letters or any(ch.islower() for ch in letters) or ":" in text:
            continue
        for kind, pattern in DOCUMENT_KINDS:
            if kind != "IKI" and pattern.search(text):
                m = _TITLE_YEAR.search(text) or _ANY_YEAR.search(text)
                year = int(m.group(1)) if m is not None else None
                found[line.line] = _Title(line.line, re.sub(r"\s+", " ", text).upper(), kind, year)
                break
    return found


def _number_row(cells: list[str]) -> list[str] | None:
    """A column-number row written "(1) (2) (3)" or "1. 2. 3." as "1 2 3"."""
    filled = [c for c in map(str.strip, cells) if c]
    if len(filled) < 4 or not all(map(_NUMBER_CELL.match, filled)):  # most fail at the first
        return None
    if filled == [str(i) for i in range(1, len(filled) + 1)]:
        return None
    out = []
    for c in cells:
        m = _NUMBER_CELL.match(c.strip())
        out.append(m.group(1) if m is not None else c)
    return out


@attrs.define
class _Layout:
    """The text of one grid and what was settled while making it."""

    lines: dict[int, str] = attrs.field(factory=dict)
    headings: dict[int, tuple[str, str, str]] = attrs.field(factory=dict)
    heading_text: dict[int, str] = attrs.field(factory=dict)
    titles: dict[int, _Title] = attrs.field(factory=dict)
    no_targets: set[int] = attrs.field(factory=set)
    years: dict[int, int] = attrs.field(factory=dict)


_Role = str | int | None


def _roles(cells: list[str], memo: dict[str, _Role]) -> list[_Role] | None:
    """The role of each cell of a row (:func:`classify_header`, each text read once per
    grid), or None when no cell can name the Indikator column: most rows are data, and
    only a row with an Indikator header is a header here."""
    if not may_name_indicator(cells):
        return None
    roles: list[_Role] = []
    for c in cells:
        role = memo[c] if c in memo else memo.setdefault(c, classify_header(c))
        roles.append(role)
    return roles


def _two_row_headers(
    rows: list[tuple[int, list[str]]], memo: dict[str, _Role]
) -> list[tuple[int, list[str]]]:
    """Two-row headers made one: "Triwulan" above I-IV gives "TW I"... (the row of
    quarters is merged into the header); "Kondisi Awal" or "Target Akhir" above a year
    gives "Kondisi Awal 2019" (that year is not a target column)."""
    out: list[tuple[int, list[str]]] = []
    skip = False
    for k, (line, cells) in enumerate(rows):
        if skip:
            skip = False
            continue
        following = rows[k + 1][1] if k + 1 < len(rows) else []
        roles = _roles(cells, memo) if following else None
        if roles is None or "indikator" not in roles:
            out.append((line, cells))
            continue
        head = list(cells)
        below = list(following)
        width = max(len(head), len(below))
        head += [""] * (width - len(head))
        below += [""] * (width - len(below))
        if is_quarter_row(below):
            n = 0
            for j, c in enumerate(below):
                if c.strip():
                    n += 1
                    head[j] = f"TW {('I', 'II', 'III', 'IV')[n - 1]}"
            out.append((line, head))
            skip = True
            continue
        if _is_year_row([c.strip() for c in below]):
            above = ""
            for j in range(width):
                above = head[j] if head[j].strip() else above
                role = column_role(above)
                if below[j].strip() and role is not None and role[0] in ("baseline", "end"):
                    head[j] = f"{above.strip()} {below[j].strip()}"
                    below[j] = ""
            out.append((line, head))
            out.append((rows[k + 1][0], below))
            skip = True
            continue
        out.append((line, cells))
    return out


def _sheet_at(line: int, starts: list[int]) -> int:
    """The number (from 1, in this grid) of the sheet that ``line`` is part of."""
    return max(1, sum(1 for s in starts if s <= line))


def _layout(grid: Grid, ctx: ReadContext) -> _Layout:
    out = _Layout(titles=_titles(grid))
    starts = []
    row_lines = sorted({c.row for c in grid.cells})
    for text_line in grid.lines:
        title = out.titles.get(text_line.line)
        heading = _HEADING.match(flat(text_line.text).strip(" *#_"))
        inside = bool(row_lines) and row_lines[0] < text_line.line < row_lines[-1]
        if heading is not None and inside and title is None:
            level = heading.group("level").lower().replace(" ", "")
            level = "sasaran" if level.startswith("sasaran") else level
            number = (heading.group("number") or "").rstrip(".")
            out.headings[text_line.line] = (level, number, heading.group("name").strip())
            out.heading_text[text_line.line] = text_line.text
            continue
        out.lines[text_line.line] = _IKI_TITLE if title is not None else text_line.text
        if title is not None or _TEXT_TITLE.match(text_line.text):
            starts.append(text_line.line)
    current: _Title | None = None
    memo: dict[str, _Role] = {}
    rows = _two_row_headers([(line, list(map(flat, cells))) for line, cells in grid.rows()], memo)
    title_lines = sorted(out.titles)
    for k, (line, cells) in enumerate(rows):
        before = bisect.bisect_left(title_lines, line)
        current = out.titles[title_lines[before - 1]] if before else None
        numbered = _number_row(cells)
        if numbered is not None:
            cells = numbered
        roles = _roles(cells, memo)
        if roles is not None and "indikator" in roles:
            sheet = _sheet_at(line, starts)
            year = ctx.options.year
            if year is None and current is not None:
                year = current.year
            if year is not None:
                out.years[sheet] = year
        if (
            roles is not None
            and "indikator" in roles
            and not any(isinstance(r, int) for r in roles)
        ):
            following = rows[k + 1][1] if k + 1 < len(rows) else []
            if not _is_year_row([c.strip() for c in following]):
                cells = _settle_target(cells, line, current, ctx, _sheet_at(line, starts), out)
        if len(cells) < 2:
            cells = [*cells, ""]
        out.lines[line] = "\t".join(cells)
    return out


def _settle_target(
    cells: list[str], line: int, title: _Title | None, ctx: ReadContext, sheet: int, out: _Layout
) -> list[str]:
    """A header with one "Target" column and no year: the year from the caller's option
    or the title, never guessed; a definition sheet (IKU, Manual IKU) with no target
    column is normal."""
    targets = [
        i
        for i, c in enumerate(cells)
        if re.sub(r"\s+", " ", c).strip().lower() in _TARGET_WORDS or classify_header(c) == TARGET
    ]
    kind = title.kind if title is not None else "IKI"
    if not targets:
        if any(quarter_of(c) is not None for c in cells):
            out.no_targets.add(line)  # a quarterly plan alone: its year is the sheet's
        elif kind in _DEFINITIONS:
            out.no_targets.add(line)
            ctx.note(line, "info", "no-targets", {"kind": kind}, sheet=sheet)
        return cells
    year = ctx.options.year
    origin = "option"
    if year is None and title is not None and title.year is not None:
        year, origin = title.year, "title"
    if year is None:
        ctx.note(line, "error", "target-year-unknown", {"header": cells[targets[0]]}, sheet=sheet)
        return cells
    key = "target-year-from-title" if origin == "title" else "target-year-from-option"
    params = {"year": year, "header": cells[targets[0]]}
    ctx.note(line, "info", "target-year", params, key=key, sheet=sheet)
    return [f"Target {year}" if i == targets[0] else c for i, c in enumerate(cells)]


def recognise(grids: Sequence[Grid], ctx: ReadContext) -> tuple[Sheet, ...]:
    """The sheets of ``grids``, in order; diagnostics go to ``ctx`` with the sheet
    numbers of the whole document."""
    sheets: list[Sheet] = []
    for grid in grids:
        offset = len(sheets)
        sub = ReadContext(ctx.registry, ctx.options, source=ctx.source)
        layout = _layout(grid, sub)
        if not layout.lines:
            continue
        last = max(layout.lines)
        text = "\n".join(layout.lines.get(n, "") for n in range(1, last + 1))
        found = parse_text(text, sub)
        other: set[int] = set()
        for sheet in found:
            line = sheet.source.line if sheet.source is not None else None
            title = layout.titles.get(line) if line is not None else None
            cells = sheet.source.cells if sheet.source is not None else ()
            if title is not None or document_kind(sheet.title) != "IKI":
                other.add(sheet.number)
            if title is not None:
                cells = (("title", title.text), *(c for c in cells if c[0] != "title"))
            sheet = enrich(sheet, layout.years.get(sheet.number), sub)
            if layout.headings:
                sheet = _by_headings(sheet, layout.headings, layout.heading_text)
            sheets.append(
                attrs.evolve(
                    sheet,
                    number=offset + sheet.number,
                    title=title.text if title is not None else sheet.title,
                    source=SourceText(line, (("place", grid.place), *cells)),
                )
            )
        if not any(sh.indicators for sh in found) and grid.cells:
            _no_table(grid, sub)
        for found_d in sub.diagnostics:
            if found_d.sheet in other and found_d.code in _NOT_FOR_OTHER_KINDS:
                continue
            if found_d.code == "missing-years" and found_d.line in layout.no_targets:
                continue
            kept = _unknown_columns(found_d) if found_d.code == "unknown-column" else found_d
            if kept is None:
                continue
            d = kept
            if d.sheet is not None and offset:  # the first grid's are numbered already
                d = attrs.evolve(d, sheet=d.sheet + offset)
            ctx.diagnostics.append(d)
    return tuple(sheets)


def _unknown_columns(d: Diagnostic) -> Diagnostic | None:
    """The unknown-column diagnostic without the columns the recogniser reads (TW I-IV,
    baseline, end target, realisation, achievement); None when none is left."""
    params = dict(d.params or ())
    names = re.findall(r"'((?:[^'\\]|\\.)*)'", str(params.get("columns", "")))
    left = [n for n in names if quarter_of(n) is None and column_role(n) is None]
    if len(left) == len(names):
        return d
    if not left:
        return None
    shown = ", ".join(repr(n) for n in left)
    return Diagnostic.of(
        d.code,
        "document.unknown-column",
        {"columns": shown},
        line=d.line,
        severity=d.severity,
        text=d.text,
        sheet=d.sheet,
        scope="document",
    )


def layout_of(sheet: Sheet) -> tuple[tuple[int, str, str], ...]:
    """How the columns of ``sheet``'s table were read: (column number from 1, the field
    it was read as, its role: "no", "objective", "indicator", "explanation", "unit",
    "data-source", "target", "quarter", "baseline", "end", "realisation",
    "achievement" or "text"), from the cells of its first indicator."""
    roles = {
        "No": "no",
        "Sasaran": "objective",
        "Indikator": "indicator",
        "Penjelasan": "explanation",
        "Satuan": "unit",
        "Sumber Data": "data-source",
    }
    first = next((i for i in sheet.indicators if i.source is not None), None)
    if first is None or first.source is None:
        return ()
    out = []
    for n, (field, _) in enumerate(first.source.cells, start=1):
        role = roles.get(field)
        if role is None:
            more = column_role(field)
            if field.startswith("target ") and field[7:].isdigit():
                role = "target"
            elif quarter_of(field) is not None:
                role = "quarter"
            else:
                role = more[0] if more is not None else "text"
        out.append((n, field, role))
    return tuple(out)


def _by_headings(
    sheet: Sheet, headings: dict[int, tuple[str, str, str]], raw: dict[int, str]
) -> Sheet:
    """The sheet's indicators grouped under the heading rows above them: the nearest
    Sasaran heading (else the deepest heading) is the objective, the headings above it
    its parents, kept in the objective's source. Objectives the table names itself (a
    Sasaran column) are kept as they are."""
    if any(o.name for o in sheet.objectives):
        return sheet
    marks = sorted(headings)
    text_of = {h: raw.get(line, "") for line, h in headings.items()}
    groups: dict[tuple[tuple[str, str, str], ...], list[Indicator]] = {}
    first_line: dict[tuple[tuple[str, str, str], ...], int] = {}
    for ind in sheet.indicators:
        line = ind.source.line if ind.source is not None else None
        path: dict[str, tuple[str, str, str]] = {}
        at = 0
        for mark in marks:
            if line is None or mark > line:
                break
            level = headings[mark][0]
            depth = _LEVELS.index(level) if level in _LEVELS else len(_LEVELS)
            path = {k: v for k, v in path.items() if _LEVELS.index(k) < depth}
            path[level] = headings[mark]
            at = mark
        key = tuple(path[k] for k in _LEVELS if k in path)
        groups.setdefault(key, []).append(ind)
        first_line.setdefault(key, at)
    objectives = []
    for n, (key, indicators) in enumerate(groups.items(), start=1):
        own = next((h for h in key if h[0] == "sasaran"), key[-1] if key else None)
        number = own[1] if own is not None and own[1] else str(n)
        name = own[2] if own is not None else ""
        cells = tuple((h[0].capitalize(), text_of.get(h, h[2])) for h in key)
        objectives.append(
            Objective(number, name, tuple(indicators), SourceText(first_line[key] or None, cells))
        )
    return attrs.evolve(sheet, objectives=tuple(objectives))


_NEEDED: Final = ("indikator", "no")


def _no_table(grid: Grid, ctx: ReadContext) -> None:
    """No indicator read from a grid that has table rows: name the row closest to a
    header (the most cells read as a column) and what it lacks."""
    best: tuple[int, int, list[str]] | None = None
    for line, cells in grid.rows():
        roles = [classify_header(flat(c)) for c in cells]
        known = sum(1 for r in roles if r is not None)
        if best is None or known > best[1]:
            best = (line, known, cells)
    if best is None:
        return
    line, _, cells = best
    found = {classify_header(flat(c)) for c in cells}
    missing = []
    if "indikator" not in found:
        missing.append("Indikator")
    if "no" not in found and "sasaran" not in found:
        missing.append("No or Sasaran")
    if not any(isinstance(r, int) for r in found) and "target" not in found:
        missing.append("Target / a year")
    shown = " | ".join(flat(c).strip() for c in cells if c.strip())
    params = {"line": line, "row": shown, "missing": ", ".join(missing) or "-"}
    ctx.note(line, "error", "no-table", params, text=shown)
