"""The rules a realisation (realisasi) must keep against its indicator, stated once: the
realisations reader applies them to each row, :func:`check_realisations` to realisations
built in code, and the engine to what it computes from. Each rule is a function that
returns diagnostic codes; the callers word them (docs/formats.md, "Realisation
diagnostic codes").

- ``period-kind``: a realisation is of a month or a quarter; ``outside-plan``: of a plan
  year of the indicator's sheet (its target years when the sheet lists none);
- ``ratio-for-count``: X and Y only for a percentage formula; ``value-for-percentage``:
  a percentage formula aggregated by sum takes X and Y, not a percentage, because
  several periods combine as sum(X) / sum(Y) (docs/rules.md);
- ``unit-mismatch``: a value in a unit convertible to the indicator's (a bare number is
  in the indicator's unit);
- ``duplicate-row``, ``overlapping-period``: one realisation per indicator and period,
  and no month counted twice.

>>> from iki_core.model import Count, Indicator, Realisation, Target
>>> from iki_core.periods import Period
>>> from iki_core.units import parse_quantity
>>> ind = Indicator("1", "Jumlah peserta", Count(parse_quantity("1 orang").unit),
...                 targets=[Target.parse(2021, "250 orang")])
>>> r = Realisation("1:1", Period.parse("2022-Q1"), numerator=1, denominator=2)
>>> for d in check_realisation(r, ind, plan_years=(2021,)):
...     print(d)
error [outside-plan] 1:1 2022-Q1 is outside the plan years
error [ratio-for-count] 1:1 is a count, not a percentage formula: give its value
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from iki_core.diagnostics import Diagnostic
from iki_core.model import (
    Aggregation,
    Document,
    Indicator,
    PercentageFormula,
    Realisation,
    Sheet,
)
from iki_core.periods import Period, PeriodKind
from iki_core.units import Unit

__all__ = [
    "PERIOD_KINDS",
    "check_realisation",
    "check_realisations",
    "clash",
    "kind_problems",
    "mismatch_params",
    "period_problems",
    "unit_mismatch",
]

PERIOD_KINDS: Final = (PeriodKind.MONTH, PeriodKind.QUARTER)
"""The periods a realisation may be of (longer ones are computed from them)."""


def period_problems(period: Period, plan_years: Sequence[int]) -> tuple[str, ...]:
    """``period-kind`` when ``period`` is not a month or a quarter, ``outside-plan``
    when its year is not one of ``plan_years`` (no check when there are none)."""
    codes = []
    if period.kind not in PERIOD_KINDS:
        codes.append("period-kind")
    if plan_years and period.year not in plan_years:
        codes.append("outside-plan")
    return tuple(codes)


def kind_problems(indicator: Indicator, *, value: bool, ratio: bool) -> tuple[str, ...]:
    """``ratio-for-count`` when X and Y are given (``ratio``) for an indicator that is
    not a percentage formula, ``value-for-percentage`` when a ``value`` is given for a
    percentage formula aggregated by sum."""
    is_formula = isinstance(indicator.kind, PercentageFormula)
    codes = []
    if ratio and not is_formula:
        codes.append("ratio-for-count")
    if value and is_formula and indicator.aggregation is Aggregation.SUM:
        codes.append("value-for-percentage")
    return tuple(codes)


def unit_mismatch(unit: Unit, indicator: Indicator) -> bool:
    """True when a value in ``unit`` cannot be expressed in the indicator's unit (a bare
    number always can)."""
    return not unit.is_bare and not unit.is_compatible(indicator.unit)


def mismatch_params(text: str, unit: Unit, indicator: Indicator) -> dict[str, str]:
    """The parameters of a ``unit-mismatch`` message: the value as written (``text``),
    the units on either side."""
    return {
        "text": text,
        "unit": indicator.unit.name or "a bare number",
        "text_unit": unit.name or "a bare number",
        "unit_name": indicator.unit.name or "a bare number",
    }


def clash(seen: Mapping[Period, int], period: Period) -> tuple[str, Period, int] | None:
    """(code, other period, its line or position) when ``period`` repeats
    (``duplicate-row``) or overlaps (``overlapping-period``) one already reported for the
    same indicator (``seen`` maps those periods to their line or position)."""
    if not seen:
        return None
    # Periods of one year are equal when they span the same months, and one contains the
    # other when its months do (Period.contains); the spans are computed once here.
    year, first, last = period.year, period.first_month, period.last_month
    for other, at in seen.items():
        if other.year != year:
            continue
        other_first, other_last = other.first_month, other.last_month
        if other_first == first and other_last == last:
            return ("duplicate-row", other, at)
        if (other_first <= first and last <= other_last) or (
            first <= other_first and other_last <= last
        ):
            return ("overlapping-period", other, at)
    return None


def check_realisation(
    realisation: Realisation,
    indicator: Indicator,
    *,
    plan_years: Sequence[int] = (),
    reference: str | None = None,
    line: int | None = None,
) -> tuple[Diagnostic, ...]:
    """Every error of ``realisation`` against ``indicator`` (codes ``period-kind``,
    ``outside-plan``, ``ratio-for-count``, ``value-for-percentage``, ``unit-mismatch``),
    none raised. ``plan_years`` are those of the indicator's sheet (the indicator's
    target years when empty); ``reference`` names the indicator in the messages (the
    realisation's own when None); ``line`` is the diagnostics' line (the realisation's
    ``source.line`` when None). Repeats and overlaps between realisations are
    :func:`check_realisations`'s (they need the others)."""
    ref = realisation.indicator if reference is None else reference
    if line is None and realisation.source is not None:
        line = realisation.source.line
    period = realisation.period
    out: list[Diagnostic] = []

    def error(code: str, **params: object) -> None:
        params["reference"] = ref
        out.append(Diagnostic.of(code, f"check.{code}", params, line=line))

    for code in period_problems(period, plan_years or indicator.years):
        error(code, period=period, kind=period.kind)
    value = realisation.value
    kinds = kind_problems(indicator, value=value is not None, ratio=realisation.is_ratio)
    for code in kinds:
        error(code)
    mismatch = value is not None and unit_mismatch(value.unit, indicator)
    if value is not None and mismatch and "value-for-percentage" not in kinds:
        error("unit-mismatch", **mismatch_params(value.text or str(value), value.unit, indicator))
    return tuple(out)


def check_realisations(
    document: Document, realisations: Iterable[Realisation]
) -> tuple[Diagnostic, ...]:
    """The checks the realisations reader makes, for realisations built in code (from a
    database, a form): every problem at once, none raised.

    Errors (codes as in the CSV reader): ``unknown-indicator``, ``period-kind`` (a
    realisation is of a month or a quarter), ``outside-plan``, ``duplicate-row``,
    ``overlapping-period``, ``unit-mismatch``, ``ratio-for-count`` and
    ``value-for-percentage``. A diagnostic's ``line`` is the realisation's
    ``source.line`` when it has one; its message names the realisation's position
    (from 1) and reference. Nothing is computed from realisations with errors by
    :func:`~iki_core.engine.achievements`, which raises on the first unknown reference.

    >>> from iki_core import Period, parse_quantity, Realisation, loaders
    >>> doc = loaders.load("examples/kesbangpol_lampung_barat_2018-2022.txt")
    >>> q3 = Period.parse("2021-Q3")
    >>> rows = [Realisation("3:1", q3, value=parse_quantity("95 orang")),
    ...         Realisation("3:1", Period.parse("2021-08"), value=parse_quantity("5 orang")),
    ...         Realisation("3:9", q3, value=parse_quantity("1 orang"))]
    >>> for d in check_realisations(doc, rows):
    ...     print(d)
    error [overlapping-period] realisation 2: 3:1 2021-08 overlaps 2021-Q3 reported on \
realisation 1 (the same months would be counted twice)
    error [unknown-indicator] realisation 3: the document has no indicator '3:9'
    """
    sheets: dict[str, tuple[Indicator, Sheet]] = {
        f"{sheet.number}:{ind.id}": (ind, sheet)
        for sheet in document.sheets
        for ind in sheet.indicators
    }
    seen: dict[str, dict[Period, int]] = {}
    out: list[Diagnostic] = []
    for position, r in enumerate(realisations, start=1):
        line = r.source.line if r.source is not None else None

        def add(d: Diagnostic, *, _p: int = position) -> None:
            at = {"position": _p, "message": d}
            out.append(Diagnostic.of(d.code, "check.at", at, line=d.line))

        found = sheets.get(r.indicator)
        if found is None:
            ref = {"reference": r.indicator}
            add(Diagnostic.of("unknown-indicator", "check.unknown-indicator", ref, line=line))
            continue
        indicator, sheet = found
        problems = check_realisation(r, indicator, plan_years=sheet.plan_years, line=line)
        first = [d for d in problems if d.code in ("period-kind", "outside-plan")]
        for d in first:
            add(d)
        found_clash = clash(seen.get(r.indicator, {}), r.period)
        if found_clash is not None:
            code, other, at = found_clash
            add(
                Diagnostic.of(
                    code,
                    f"check.{code}",
                    {"reference": r.indicator, "period": r.period, "other": other, "at": at},
                    line=line,
                )
            )
        else:
            seen.setdefault(r.indicator, {})[r.period] = position
        for d in problems:
            if d not in first:
                add(d)
    return tuple(out)
