"""The LKjIP measurement table ("Pengukuran Kinerja"): what the xlsx, HTML and PDF reports
lay out, built once from a document and its achievements.

Per sheet (jabatan), the table groups indicators under their objective (sasaran) and gives
Satuan, Target, Realisasi, Capaian (%), Predikat (and Nilai under a scale that has one),
then the mean per objective and per sheet (the "rata-rata capaian kinerja" rows of the
Permendagri 86/2017 evaluation form, :func:`iki_core.engine.rollup`), the notes and the
sheet's signature block. Two layouts:

- ``long``: one row per indicator and period, as ``iki report`` prints;
- ``wide``: one row per indicator, with TW I, TW II, TW III, TW IV and the year side by
  side (target, realisation and capaian for each).

Every figure stays a :class:`~decimal.Decimal` (writers choose how to show it); every label
comes from the message catalogue of ``lang``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Literal

import attrs

from iki_core import messages
from iki_core.engine import Achievement, Rollup, Status, rollup
from iki_core.model import Document, Sheet, Signatory
from iki_core.numbers import format_number
from iki_core.periods import Period, PeriodKind
from iki_core.rules import Rules
from iki_core.units import PERCENT, Quantity, Unit

__all__ = ["Cell", "IndicatorRow", "LkjipTable", "ObjectiveBlock", "SheetTable", "build_table"]

Layout = Literal["long", "wide"]


@attrs.frozen
class Cell:
    """One period's figures of one indicator: the target to date, the realisation to
    date, the capaian (%) and its status, predikat and nilai. A grade, a rank or a ratio
    is its text ("WTP", "Peringkat 3", "1:32")."""

    period: Period
    target: Decimal | str | None
    realised: Decimal | str | None
    percent: Decimal | None
    status: Status
    rating: str | None
    nilai: Decimal | None


@attrs.frozen
class IndicatorRow:
    """An indicator with its figures: one :class:`Cell` (long layout, one row per
    indicator and period) or one per period side by side (wide layout)."""

    reference: str
    name: str
    unit: str
    cells: tuple[Cell, ...]
    notes: tuple[str, ...] = ()


@attrs.frozen
class ObjectiveBlock:
    """An objective (sasaran), its indicator rows and its mean capaian per period."""

    reference: str
    name: str
    rows: tuple[IndicatorRow, ...]
    means: tuple[Rollup, ...]


@attrs.frozen
class SheetTable:
    """One sheet of the report: the position, its objective blocks, the mean per period,
    and the signatories as the document holds them."""

    number: int
    position: str
    objectives: tuple[ObjectiveBlock, ...]
    means: tuple[Rollup, ...]
    signatories: tuple[Signatory, ...]


@attrs.frozen
class LkjipTable:
    """The whole report: title, periods, layout, the rules line, the sheets, and whether a
    Nilai column is shown (the rules' scale defines a nilai)."""

    title: str
    periods: tuple[Period, ...]
    layout: Layout
    lang: str
    rules_line: str
    sheets: tuple[SheetTable, ...]
    nilai: bool
    places: int

    def label(self, key: str) -> str:
        """The catalogue text ``lkjip.<key>`` in the report's language."""
        return messages.text(f"lkjip.{key}", self.lang)

    def period_label(self, period: Period) -> str:
        """A column or row label for ``period``: "TW III 2021", "Q3 2021", "2021"."""
        return period.label(self.lang, short=True)


def unit_label(unit: Unit) -> str:
    """The Satuan column: "%" for percentages, the unit's name, "-" for a bare number."""
    if unit.dimension == PERCENT.dimension:
        return "%"
    return unit.name or "-"


def _magnitude(q: Quantity | None, lang: str) -> Decimal | str | None:
    if q is None:
        return None
    if q.unit.labels or q.unit.form:  # a grade, a rank, a ratio: as written, "1:17,5"
        number = format_number(q.magnitude, lang=lang, grouping=False)
        return q.unit.written(q.magnitude, number) or q.magnitude
    return q.magnitude


def _cell(a: Achievement, lang: str) -> Cell:
    return Cell(
        a.period,
        _magnitude(a.target, lang),
        _magnitude(a.realised, lang),
        a.percent,
        a.status,
        a.rating,
        a.nilai,
    )


def rules_line(rules: Rules, lang: str) -> str:
    """The rules the figures were computed under, in one line."""
    cap = "-" if rules.cap is None else f"{rules.cap}%"
    return messages.text(
        "lkjip.rules",
        lang,
        target=messages.text(f"report.period_target.{rules.period_target.value}", lang),
        lower=str(rules.lower_is_better),
        scale=rules.scale.key,
        cap=cap,
        places=str(rules.places),
    )


def build_table(
    document: Document,
    achievements: Iterable[Achievement],
    rules: Rules,
    *,
    lang: str = "id",
    layout: Layout = "long",
) -> LkjipTable:
    """The LKjIP table of ``achievements`` (computed from ``document`` under ``rules``).

    Sheets, objectives and indicators keep the document's order; periods the order in
    which they first appear. An indicator without an achievement is left out, and a sheet
    or objective left empty is too, so a report of one sheet or of a few indicators shows
    just those.
    """
    messages.check_lang(lang)
    if layout not in ("long", "wide"):
        raise_layout(layout)
    items = list(achievements)
    periods = tuple(dict.fromkeys(a.period for a in items))
    by_ref: dict[str, list[Achievement]] = {}
    for a in items:
        by_ref.setdefault(a.reference or a.indicator.id, []).append(a)
    objective_means = _means(items, document, rules, "objective")
    sheet_means = _means(items, document, rules, "sheet")
    sheets = tuple(
        s
        for s in (
            _sheet(sheet, by_ref, objective_means, sheet_means, layout, lang)
            for sheet in document.sheets
        )
        if s.objectives
    )
    years = sorted({p.year for p in periods})
    shown = [Period(y, PeriodKind.YEAR, 1) for y in years] if layout == "wide" else list(periods)
    title = messages.text(
        "lkjip.title", lang, periods=", ".join(p.label(lang) for p in shown).upper()
    )
    nilai = any(b.nilai is not None for b in rules.scale.bands)
    return LkjipTable(
        title, periods, layout, lang, rules_line(rules, lang), sheets, nilai, rules.places
    )


def raise_layout(layout: object) -> None:
    from iki_core.errors import InvalidValueError

    raise InvalidValueError(field="layout", expected="'long' or 'wide'", value=layout)


def _means(
    items: Sequence[Achievement],
    document: Document,
    rules: Rules,
    level: Literal["objective", "sheet"],
) -> dict[str, list[Rollup]]:
    out: dict[str, list[Rollup]] = {}
    with_ref = [a for a in items if a.reference is not None]
    for r in rollup(with_ref, document, level=level, rules=rules):
        out.setdefault(r.reference, []).append(r)
    return out


def _sheet(
    sheet: Sheet,
    by_ref: dict[str, list[Achievement]],
    objective_means: dict[str, list[Rollup]],
    sheet_means: dict[str, list[Rollup]],
    layout: Layout,
    lang: str,
) -> SheetTable:
    blocks: list[ObjectiveBlock] = []
    for objective in sheet.objectives:
        rows: list[IndicatorRow] = []
        for ind in objective.indicators:
            ref = f"{sheet.number}:{ind.id}"
            mine = by_ref.get(ref)
            if not mine:
                continue
            unit = unit_label(ind.kind.unit)
            several = len({a.period for a in mine}) > 1
            if layout == "wide":
                notes = tuple(
                    (f"{a.period.label(lang, short=True)}: {w}" if several else w)
                    for a in mine
                    for w in a.warnings_in(lang)
                )
                rows.append(
                    IndicatorRow(ref, ind.name, unit, tuple(_cell(a, lang) for a in mine), notes)
                )
            else:
                rows.extend(
                    IndicatorRow(ref, ind.name, unit, (_cell(a, lang),), a.warnings_in(lang))
                    for a in mine
                )
        if rows:
            oref = f"{sheet.number}:{objective.number}"
            blocks.append(
                ObjectiveBlock(
                    oref, objective.name, tuple(rows), tuple(objective_means.get(oref, ()))
                )
            )
    return SheetTable(
        sheet.number,
        sheet.position,
        tuple(blocks),
        tuple(sheet_means.get(str(sheet.number), ())),
        sheet.signatories,
    )


def year_and_quarters(year: int) -> tuple[Period, ...]:
    """The periods of the wide layout: TW I-IV and the year."""
    return (
        *(Period(year, PeriodKind.QUARTER, q) for q in range(1, 5)),
        Period(year, PeriodKind.YEAR, 1),
    )
