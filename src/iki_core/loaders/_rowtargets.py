"""The target cells of a table row: each read as its column's number locale says, or as
a value of the kind the row's other cells are ("A" beside "AA" is nilai SAKIP), then made
the row's :class:`~iki_core.model.Target` values in the unit of the indicator's kind,
every cell that cannot be read reported with its text (docs/formats.md, "Targets")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Protocol

import attrs

from iki_core.errors import IkiError
from iki_core.kinds import IndicatorKind, detect_kind
from iki_core.loaders._cellvalues import in_unit
from iki_core.loaders._columns import _CLASSIFIER_WORDS, _WORD
from iki_core.loaders.context import Parsed, ReadContext
from iki_core.model import Diagnostic, Severity, Target
from iki_core.numbers import NO_TARGET_MARKS, Lang
from iki_core.units import Quantity, Unit

__all__ = ["Report", "TargetCells", "sheet_report"]

_Reading = Lang | IndicatorKind
"""How a target cell was read: its numbers written the ``Lang`` way, or as a value of
the kind its row's other cells are (:func:`_value_kind_hint`)."""

Readable = list[tuple[int, Parsed, str, _Reading]]
"""The readable target cells of a row: (year, value or None for "-", text, reading)."""


@attrs.define
class _Row:
    """A data row of a table, its fields stripped, as the table keeps it until the
    number locale of its year columns is known."""

    line: int
    name: str
    explanation: str
    unit_text: str
    data_source: str
    years: tuple[int, ...]
    """The year of each target column (one tuple for the rows under one header)."""
    raws: list[str]
    """The target cell of each of ``years`` as written ("" beyond the row's end)."""
    cells: tuple[tuple[str, str], ...]


class Report(Protocol):
    """Reports ``code`` worded by the catalogue's ``diagnostic.document.<key or code>``."""

    def __call__(
        self,
        line: int | None,
        severity: Severity,
        code: str,
        params: Mapping[str, object] | None = None,
        text: str | None = None,
        *,
        key: str | None = None,
    ) -> None: ...


def sheet_report(ctx: ReadContext, sheet: int) -> Report:
    """What the table of ``sheet`` reports with: a :class:`Diagnostic` of the document
    worded by the catalogue (:meth:`ReadContext.note`, one call shorter: a load reports
    for most rows). A function, not a method, so that what holds it holds no builder."""
    diagnostics = ctx.diagnostics
    of = Diagnostic.of

    def report(
        line: int | None,
        severity: Severity,
        code: str,
        params: Mapping[str, object] | None = None,
        text: str | None = None,
        *,
        key: str | None = None,
    ) -> None:
        diagnostics.append(
            of(
                code,
                f"document.{key or code}",
                params,
                line=line,
                severity=severity,
                text=text,
                sheet=sheet,
                scope="document",
            )
        )

    return report


class TargetCells:
    """Reads the target cells of the rows of one sheet and makes their targets, sharing
    each equal target within the sheet."""

    def __init__(self, ctx: ReadContext, report: Report) -> None:
        self.ctx = ctx
        self.report = report
        # targets already made in this sheet, by (year, text, how it was read, the id of
        # the unit a bare number was put in or 0): documents repeat "100,00%" and "1 unit"
        # year after year, and a Target is a frozen value
        self._made: dict[tuple[int, str, _Reading, int], Target] = {}
        # the plain cells read, by year and text as written (TargetCells.cells)
        self._by_year: dict[int, dict[str, _Cell]] = {}
        self._memos: dict[tuple[int, ...], tuple[dict[str, _Cell], ...]] = {}
        self._last_years: tuple[int, ...] | None = None
        self._last_memos: tuple[dict[str, _Cell], ...] = ()
        self.plain_texts: set[str] = set()
        """The text of every plain cell read (:meth:`cells`): a text not in it is no
        plain cell of any row."""

    def read(self, row: _Row, langs: dict[int, Lang]) -> tuple[list[str], Readable]:
        """The row's target texts (stripped) and its readable cells; an empty or
        unreadable cell is reported."""
        ctx = self.ctx
        line = row.line
        readable: list[tuple[int, Parsed, str, _Reading]] = []
        texts = [raw.strip() for raw in row.raws]
        parse = ctx.parse_value
        as_written = [parse(t) if t else None for t in texts]  # numbers the Indonesian way
        hint = _value_kind_hint(texts, as_written)
        for year, raw, text, value_id in zip(row.years, row.raws, texts, as_written, strict=True):
            if not text:
                self.report(
                    line,
                    "warning",
                    "empty-target",
                    {"year": year},
                )
                continue
            lang: Lang = langs.get(year, "id")
            if text in NO_TARGET_MARKS:
                readable.append((year, None, text, lang))
                continue
            value = value_id if lang == "id" else parse(text, lang)
            reading: _Reading = lang
            if isinstance(value, str) and hint is not None:  # "A" beside "AA": nilai SAKIP
                value = _as_kind(text, hint, value)
                reading = hint
            if isinstance(value, str):
                word = _truncated(text, row.name, row.data_source)
                if word is not None:
                    self.report(
                        line,
                        "warning",
                        "truncated-target",
                        {"year": year, "text": text, "word": word},
                        raw,
                    )
                else:
                    self.report(
                        line,
                        "warning",
                        "unreadable-target",
                        {"year": year, "text": text, "reason": value},
                        raw,
                    )
                continue
            if isinstance(value, Quantity) and value.magnitude < 0:
                # Kept as written, but no achievement rule covers a target below zero:
                # the ratio would come out negative and be rated as if it were low.
                self.report(line, "warning", "negative-target", {"year": year, "text": text}, raw)
            readable.append((year, value, text, reading))
        return texts, readable

    def targets(self, row: _Row, readable: Readable, kind_unit: Unit) -> list[Target]:
        """The targets of ``readable`` in ``kind_unit`` (a bare number is put in it); a
        value in another unit, an unknown unit and bare numbers are reported."""
        targets: list[Target] = []
        bare: list[str] = []
        unknown: dict[str, str] = {}
        line = row.line
        for year, value, text, reading in readable:
            if value is not None and not value.unit.known:
                unknown.setdefault(value.unit.name, text)
            target, written_bare = self._target(year, value, text, reading, kind_unit)
            if target is None:
                assert value is not None
                self.report(
                    line,
                    "warning",
                    "target-unit-mismatch",
                    {
                        "year": year,
                        "text": text,
                        "unit": value.unit.name or "no unit",
                        "indicator_unit": kind_unit.name or "(bare number)",
                    },
                    text,
                )
                continue
            if written_bare:
                bare.append(text)
            targets.append(target)
        for name, text in unknown.items():
            self.report(
                line,
                "warning",
                "unknown-unit",
                {"unit": name, "text": text},
                text,
            )
        self._report_bare(row, bare, kind_unit)
        return targets

    def _report_bare(self, row: _Row, bare: list[str], kind_unit: Unit) -> None:
        if bare:
            shown = ", ".join(repr(b) for b in dict.fromkeys(bare))
            params = {"targets": shown, "name": row.name, "unit": kind_unit.name}
            key_ = "unitless-target-bare" if kind_unit.is_bare else None
            self.report(row.line, "info", "unitless-target", params, key=key_)

    def _target(
        self, year: int, value: Parsed, text: str, reading: _Reading, kind_unit: Unit
    ) -> tuple[Target | None, bool]:
        """The target of a readable cell in ``kind_unit`` (shared within the sheet) and
        whether it counts as written without a unit; None when ``value`` is in a unit
        that is neither ``kind_unit``'s dimension nor bare."""
        made = self._made
        if value is None:
            key = (year, text, reading, 0)
            target = made.get(key)
            if target is None:
                target = made[key] = Target(year, None, text)
            return target, False
        value_unit = value.unit
        if value_unit.dimension == kind_unit.dimension:  # Unit.is_compatible
            key = (year, text, reading, 0)
            target = made.get(key)
            if target is None:
                target = made[key] = Target(year, value, text)
            return target, kind_unit.is_bare
        if value_unit.is_bare:
            key = (year, text, reading, id(kind_unit))  # its targets keep it alive
            target = made.get(key)
            if target is None:
                target = made[key] = Target(year, in_unit(value, kind_unit), text)
            return target, True
        return None, False

    # --- the plain rows -----------------------------------------------------------
    def cells(self, row: _Row, langs: dict[int, Lang]) -> list[_Cell] | None:
        """The target cells of ``row`` when each of them is plain (:class:`_Cell`), each
        spelling of a year's cell read once per sheet; None when one is not (the row is
        then read by :meth:`read`, which reports it)."""
        years = row.years
        if years is self._last_years:
            memos = self._last_memos
        else:
            found_memos = self._memos.get(years)
            if found_memos is None:
                by_year = self._by_year
                found_memos = tuple(by_year.setdefault(y, {}) for y in years)
                self._memos[years] = found_memos
            memos = found_memos
            self._last_years, self._last_memos = years, memos
        raws = row.raws
        found: list[_Cell | None] = list(map(dict.get, memos, raws))
        if None in found:
            for k, cell in enumerate(found):
                if cell is None:
                    found[k] = memos[k][raws[k]] = self._cell(years[k], raws[k], langs)
        if _NOT_PLAIN in found:
            return None
        return found  # type: ignore[return-value]

    def _cell(self, year: int, raw: str, langs: dict[int, Lang]) -> _Cell:
        """The cell ``raw`` of ``year`` as :meth:`read` reads it, or ``_NOT_PLAIN`` when
        :meth:`read` would report it or read it by its row's other cells: empty,
        unreadable as a value, below zero, or in a unit no definition covers."""
        text = raw.strip()
        if not text:
            return _NOT_PLAIN
        lang: Lang = langs.get(year, "id")
        if text in NO_TARGET_MARKS:
            self.plain_texts.add(text)
            return _Cell(year, text, None, lang)
        parse = self.ctx.parse_value
        value = parse(text)  # read() reads every cell the Indonesian way first
        if lang != "id":
            value = parse(text, lang)
        if (
            value is None
            or isinstance(value, str)
            or not value.unit.known
            or (isinstance(value, Quantity) and value.magnitude < 0)
        ):
            return _NOT_PLAIN
        self.plain_texts.add(text)
        return _Cell(year, text, value, lang)

    def plain_targets(self, row: _Row, cells: list[_Cell], kind_unit: Unit) -> list[Target] | None:
        """:meth:`targets` of plain ``cells`` (reporting the bare numbers as it does),
        the target of each cell in ``kind_unit`` remembered by the cell; None when a
        cell's unit is neither ``kind_unit``'s dimension nor bare (:meth:`targets`
        reports it)."""
        targets: list[Target] = []
        bare: list[str] = []
        for k, cell in enumerate(cells):
            target = cell.target
            if cell.kind_unit is kind_unit or (cell.value is None and target is not None):
                written_bare = cell.bare  # "-" is no target in any unit
            else:  # a target made now keeps this row's text, as read() would give it
                text = row.raws[k].strip()
                target, written_bare = self._target(
                    cell.year, cell.value, text, cell.reading, kind_unit
                )
                cell.kind_unit, cell.target, cell.bare = kind_unit, target, written_bare
            if target is None:
                return None
            if written_bare:
                bare.append(cell.text)
            targets.append(target)
        if bare:
            self._report_bare(row, bare, kind_unit)
        return targets


class _Cell:
    """A plain target cell of a year: not empty, "-" or a value of its own (no other
    cell of its row needed to read it), not below zero, in a known unit: what
    :meth:`TargetCells.read` reads it as, with no report. Its target in the last unit
    asked for is kept with it (a sheet's cells are mostly of one indicator unit)."""

    __slots__ = ("bare", "kind_unit", "reading", "target", "text", "unit", "value", "year")

    def __init__(self, year: int, text: str, value: Parsed, reading: _Reading) -> None:
        self.year = year
        self.text = text
        self.value = value
        self.reading = reading
        self.unit: Unit | None = None if value is None else value.unit
        self.kind_unit: Unit | None = None
        self.target: Target | None = None
        self.bare = False


_NOT_PLAIN: Final = _Cell(0, "", None, "id")
"""The cell that is not plain (:meth:`TargetCells.cells`)."""


def _truncated(text: str, *contexts: str) -> str | None:
    """The word that ``text`` is the start of ("dokum" of "dokumen"), if any."""
    low = text.lower()
    if not (len(low) >= 2 and low.isalpha()):
        return None
    words: list[str] = [w.lower() for c in contexts for w in _WORD.findall(c)]
    for word in (*words, *_CLASSIFIER_WORDS):
        if len(word) > len(low) and word.startswith(low):
            return word
    return None


def _value_kind_hint(texts: list[str], values: list[Parsed | str]) -> IndicatorKind | None:
    """The value kind a row's target cells (``texts``, read the Indonesian way as
    ``values``, None for an empty cell) are, when a cell is no plain value but reads as
    one kind with the others ("A" is nilai SAKIP beside "AA"); None otherwise."""
    if str not in map(type, values):  # every cell empty or a plain value
        return None
    return detect_kind(texts)


def _as_kind(text: str, kind: IndicatorKind, reason: str) -> Parsed | str:
    try:
        return Target.parse(2000, text, kind=kind).value
    except IkiError:
        return reason
