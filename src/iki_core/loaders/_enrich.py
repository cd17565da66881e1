"""What the recogniser adds to an indicator read by the text layout's reader, from the
cells that reader keeps as text: the quarterly plan of a Rencana Aksi (TW I-IV), the
baseline and end target of a Renstra/RPJMD table, and the cells the model cannot
represent (kept verbatim). Each addition is stated in a diagnostic."""

from __future__ import annotations

import functools

import attrs

from iki_core.errors import IkiError
from iki_core.kinds import VALUE_KINDS, GradeKind, IndicatorKind, RankKind, detect_kind
from iki_core.loaders._cellvalues import in_unit
from iki_core.loaders._columns_more import column_role as _column_role
from iki_core.loaders._columns_more import quarter_of as _quarter_of
from iki_core.loaders.context import ReadContext
from iki_core.model import Indicator, QuarterlyPlan, Range, Sheet, Target
from iki_core.numbers import NO_TARGET_MARKS, Lang
from iki_core.units import Quantity

__all__ = ["enrich"]

# A sheet repeats its few field names on every indicator: each is classified once.
column_role = functools.lru_cache(maxsize=4096)(_column_role)
quarter_of = functools.lru_cache(maxsize=4096)(_quarter_of)


def _value(
    text: str, ind: Indicator, ctx: ReadContext, lang: Lang = "id"
) -> Quantity | Range | str | None:
    """The value of a cell in the indicator's unit, or the reason it has none."""
    stripped = text.strip()
    if stripped in NO_TARGET_MARKS:
        return None
    value = ctx.parse_value(stripped, lang)
    if value is None or isinstance(value, str):
        return value
    unit = ind.kind.unit
    if value.unit.is_bare and not unit.is_bare:
        return in_unit(value, unit)
    if not value.unit.is_compatible(unit):
        return f"{value.unit.name} is not {unit.name or 'a bare number'}"
    return value


def _value_kind(
    ind: Indicator, unread: list[tuple[int, str]]
) -> tuple[IndicatorKind, tuple[Target, ...], list[tuple[int, str]]]:
    """The indicator's kind and targets with the target cells no plain reading took
    (``unread``, by year) read as the value kind they all are ("A" on the scale the row's
    other grades name), and the cells still unread."""
    kind = ind.kind
    if not unread:
        return kind, ind.targets, unread
    if not isinstance(kind, VALUE_KINDS):
        if any(t.is_set for t in ind.targets):
            return kind, ind.targets, unread
        found = detect_kind(text for _, text in unread)
        if found is None:
            return kind, ind.targets, unread
        kind = found
    read: list[Target] = []
    left: list[tuple[int, str]] = []
    for y, text in unread:
        try:
            read.append(Target.parse(y, text, kind=kind))
        except IkiError:
            left.append((y, text))
    if not read:
        return ind.kind, ind.targets, unread
    return kind, (*ind.targets, *read), left


def enrich(sheet: Sheet, year: int | None, ctx: ReadContext) -> Sheet:
    """``sheet`` with plans, baselines, end targets and verbatim cells added; ``year``
    is the year of the sheet's quarters when its title or the options give one."""
    objectives = []
    changed = False
    langs = _locales(sheet, ctx)
    for objective in sheet.objectives:
        indicators = []
        for ind in objective.indicators:
            new = _indicator(ind, sheet, year, ctx, langs)
            changed = changed or new is not ind
            indicators.append(new)
        objectives.append(attrs.evolve(objective, indicators=tuple(indicators)))
    return attrs.evolve(sheet, objectives=tuple(objectives)) if changed else sheet


def _locales(sheet: Sheet, ctx: ReadContext) -> dict[str, Lang]:
    """The number locale of each quarter, baseline and end-target column of the sheet,
    from all its cells (docs/formats.md, "Number locale")."""
    cells: dict[str, list[str]] = {}
    line: dict[str, int | None] = {}
    for ind in sheet.indicators:
        for field, text in ind.source.cells if ind.source is not None else ():
            role = column_role(field)
            if quarter_of(field) is not None or (
                role is not None and role[0] in ("baseline", "end")
            ):
                cells.setdefault(field, []).append(text)
                line.setdefault(field, ind.source.line if ind.source is not None else None)
    return {
        field: ctx.column_locale(field, texts, line=line[field], sheet=sheet.number)
        for field, texts in cells.items()
    }


def _indicator(
    ind: Indicator, sheet: Sheet, year: int | None, ctx: ReadContext, langs: dict[str, Lang]
) -> Indicator:
    if ind.source is None:
        return ind
    line = ind.source.line
    number = sheet.number

    def note(code: str, params: dict[str, object], text: str | None = None) -> None:
        sev = "warning" if code in ("plan-year-unknown", "baseline-year-unknown") else "info"
        ctx.note(line, sev, code, params, text=text, sheet=number)  # type: ignore[arg-type]

    quarters: dict[int, tuple[str, str]] = {}
    baseline, end, plans = ind.baseline, ind.end_target, ind.plans
    verbatim: list[tuple[str, str]] = list(ind.verbatim)
    for field, text in ind.source.cells:
        q = quarter_of(field)
        if q is not None:
            quarters[q] = (field, text)
            continue
        role = column_role(field)
        if role is None or role[0] not in ("baseline", "end") or not text.strip():
            continue
        kind, when = role
        if when is None and kind == "end" and sheet.plan_years:
            when = max(sheet.plan_years)
            note("end-year-from-plan", {"header": field, "year": when})
        value = _value(text, ind, ctx, langs.get(field, "id"))
        if when is None or isinstance(value, str):
            verbatim.append((field, text))
            code = "baseline-year-unknown" if when is None else "kept-verbatim"
            note(code, {"field": field, "text": text.strip()}, text)
            continue
        if kind == "baseline":
            baseline = Target(when, value, text)
        else:
            end = Target(when, value, text)
    plan_year = sheet.plan_years[0] if len(sheet.plan_years) == 1 else year
    if any(t.strip() for _, t in quarters.values()):
        if plan_year is None:
            note("plan-year-unknown", {"name": ind.name})
        else:
            entries: list[Quantity | None] = []
            for q in range(1, 5):
                field, text = quarters.get(q, (f"TW {q}", ""))
                value = _value(text, ind, ctx, langs.get(field, "id")) if text.strip() else None
                if isinstance(value, Quantity) or value is None:
                    entries.append(value)
                    continue
                entries.append(None)
                verbatim.append((field, text))
                note("kept-verbatim", {"field": field, "text": text.strip()}, text)
            if ind.plan_for(plan_year) is None and any(e is not None for e in entries):
                plans = (*ind.plans, QuarterlyPlan(plan_year, tuple(entries)))
                shown = ", ".join(
                    (quarters[q][1].strip() or "-") if q in quarters else "-" for q in range(1, 5)
                )
                note("quarterly-plan", {"year": plan_year, "quarters": shown})
    unread: list[tuple[int, str]] = []
    for y in sheet.plan_years:
        text = ind.source.get(f"target {y}") or ""
        if text.strip() and ind.target_for(y) is None and text.strip() not in NO_TARGET_MARKS:
            unread.append((y, text))
    value_kind, targets, unread = _value_kind(ind, unread)
    for y, text in unread:
        verbatim.append((f"target {y}", text))
        note("kept-verbatim", {"field": f"target {y}", "text": text.strip()}, text)
    if isinstance(value_kind, VALUE_KINDS) and value_kind != ind.kind:  # else said on reading
        what = value_kind.scale.key if isinstance(value_kind, GradeKind) else value_kind.name
        note("value-kind", {"name": ind.name, "kind": what})
    same = (value_kind, targets, baseline, end, plans, tuple(verbatim)) == (
        ind.kind,
        ind.targets,
        ind.baseline,
        ind.end_target,
        ind.plans,
        ind.verbatim,
    )
    if same:
        return ind
    try:
        changes: dict[str, object] = {}
        if value_kind != ind.kind:  # a level: the last value, ranks lower-is-better
            changes = {"kind": value_kind, "aggregation": "last"}
            if isinstance(value_kind, RankKind):
                changes["polarity"] = "lower_is_better"
        return attrs.evolve(
            ind,
            targets=targets,
            baseline=baseline,
            end_target=end,
            plans=plans,
            verbatim=tuple(verbatim),
            **changes,  # type: ignore[arg-type]  # the converters check them
        )
    except IkiError as exc:
        ctx.note(line, "error", "invalid-indicator", {"reason": exc}, sheet=number)
        return ind
