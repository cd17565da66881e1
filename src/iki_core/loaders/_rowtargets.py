"""The target cells of a table row: each read as its column's number locale says, or as
a value of the kind the row's other cells are ("A" beside "AA" is nilai SAKIP), then made
the row's :class:`~iki_core.model.Target` values in the unit of the indicator's kind,
every cell that cannot be read reported with its text (docs/formats.md, "Targets")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from iki_core.errors import IkiError
from iki_core.kinds import IndicatorKind, detect_kind
from iki_core.loaders._cellvalues import in_unit
from iki_core.loaders._columns import _CLASSIFIER_WORDS, _WORD
from iki_core.loaders.context import Parsed, ReadContext
from iki_core.model import Diagnostic, Severity, Target
from iki_core.numbers import NO_TARGET_MARKS, Lang
from iki_core.units import Quantity, Unit

if TYPE_CHECKING:
    from iki_core.loaders._table import _Row

__all__ = ["Report", "TargetCells", "sheet_report"]

_Reading = Lang | IndicatorKind
"""How a target cell was read: its numbers written the ``Lang`` way, or as a value of
the kind its row's other cells are (:func:`_value_kind_hint`)."""

Readable = list[tuple[int, Parsed, str, _Reading]]
"""The readable target cells of a row: (year, value or None for "-", text, reading)."""


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

    def read(self, row: _Row, langs: dict[int, Lang]) -> tuple[list[str], Readable]:
        """The row's target texts (stripped) and its readable cells; an empty or
        unreadable cell is reported."""
        ctx = self.ctx
        line = row.line
        readable: list[tuple[int, Parsed, str, _Reading]] = []
        texts = [raw.strip() for _, raw in row.years]
        parse = ctx.parse_value
        as_written = [parse(t) if t else None for t in texts]  # numbers the Indonesian way
        hint = _value_kind_hint(texts, as_written)
        for (year, raw), text, value_id in zip(row.years, texts, as_written, strict=True):
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
        made = self._made
        line = row.line
        for year, value, text, reading in readable:
            if value is None:
                key = (year, text, reading, 0)
                target = made.get(key)
                if target is None:
                    target = made[key] = Target(year, None, text)
                targets.append(target)
                continue
            value_unit = value.unit
            if not value_unit.known:
                unknown.setdefault(value_unit.name, text)
            if value_unit.dimension == kind_unit.dimension:  # Unit.is_compatible
                if kind_unit.is_bare:
                    bare.append(text)
                key = (year, text, reading, 0)
                target = made.get(key)
                if target is None:
                    target = made[key] = Target(year, value, text)
                targets.append(target)
            elif value_unit.is_bare:
                bare.append(text)
                key = (year, text, reading, id(kind_unit))  # its targets keep it alive
                target = made.get(key)
                if target is None:
                    target = made[key] = Target(year, in_unit(value, kind_unit), text)
                targets.append(target)
            else:
                self.report(
                    line,
                    "warning",
                    "target-unit-mismatch",
                    {
                        "year": year,
                        "text": text,
                        "unit": value_unit.name or "no unit",
                        "indicator_unit": kind_unit.name or "(bare number)",
                    },
                    text,
                )
        for name, text in unknown.items():
            self.report(
                line,
                "warning",
                "unknown-unit",
                {"unit": name, "text": text},
                text,
            )
        if bare:
            shown = ", ".join(repr(b) for b in dict.fromkeys(bare))
            params = {"targets": shown, "name": row.name, "unit": kind_unit.name}
            key_ = "unitless-target-bare" if kind_unit.is_bare else None
            self.report(line, "info", "unitless-target", params, key=key_)
        return targets


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
