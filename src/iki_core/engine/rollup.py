"""Roll-ups: the mean achievement of an objective (sasaran) or a sheet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal

from iki_core.engine.ratios import EXACT
from iki_core.engine.results import Achievement, Rollup
from iki_core.errors import InvalidValueError, UnknownIndicatorError
from iki_core.model import Document
from iki_core.numbers import MAX_WHOLE_DIGITS, out_of_range, round_half_up
from iki_core.periods import Period

# The default rules are built on first use (they read the rating scales file): ask for
# them by calling default_rules().
from iki_core.rules import Rules, default_rules

__all__ = ["rollup"]

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_add: Final = EXACT.add
_multiply: Final = EXACT.multiply

Group = tuple[int, int]
"""(the sheet's position in the document, the objective's position in the sheet, or 0)."""


def _index(
    document: Document, level: Literal["objective", "sheet"]
) -> dict[str, tuple[Group, str, str]]:
    """Each indicator reference ("2:1.2") with its group, the group's reference and name,
    read from the document once."""
    index: dict[str, tuple[Group, str, str]] = {}
    for si, sheet in enumerate(document.sheets):
        number = sheet.number
        if level == "sheet":
            entry = ((si, 0), str(number), sheet.position)
            for ind in sheet.indicators:
                index.setdefault(f"{number}:{ind.id}", entry)
            continue
        for oi, objective in enumerate(sheet.objectives):
            entry = ((si, oi), f"{number}:{objective.number}", objective.name)
            for ind in objective.indicators:
                index.setdefault(f"{number}:{ind.id}", entry)  # the first holds it
    return index


def rollup(
    achievements: Iterable[Achievement],
    document: Document,
    *,
    level: Literal["objective", "sheet"] = "objective",
    weights: Mapping[str, Decimal] | None = None,
    rules: Rules | None = None,
) -> list[Rollup]:
    """Mean achievement per objective (sasaran) or per sheet, per period, with its rating:
    the "rata-rata capaian kinerja" row of the Permendagri 86/2017 evaluation form.

    The mean is taken over the published percents (as the form averages its printed
    column), only those that exist: achievements without a percent (no target, no data,
    undefined) are left out and ``count`` says how many were averaged. ``weights`` maps
    indicator references ("2:1.2") to weights; an indicator missing from it weighs 1. No
    regulation fixes the weights. The result is rounded once, half-up, to
    ``rules.places`` and rated on ``rules.scale``; it is ordered by sheet, objective, then
    period as first met. The document is indexed once, whatever the number of
    achievements.
    """
    if level not in ("objective", "sheet"):
        raise InvalidValueError(field="level", expected="'objective' or 'sheet'", value=level)
    rules = rules if rules is not None else default_rules()
    index = _index(document, level)
    groups: dict[tuple[int, int, Period], list[Achievement]] = {}
    names: dict[Group, tuple[str, str]] = {}
    period_order: dict[Period, int] = {}
    for a in achievements:
        if a.reference is None:
            raise InvalidValueError(
                field="rollup",
                expected="achievements computed from a document (with a reference)",
                value=f"{a.indicator.id} {a.period}",
            )
        found = index.get(a.reference)
        if found is None:
            raise UnknownIndicatorError(a.reference, known=[r for r, _ in document.references()])
        group, reference, name = found
        names.setdefault(group, (reference, name))
        period_order.setdefault(a.period, len(period_order))
        groups.setdefault((*group, a.period), []).append(a)
    out: list[Rollup] = []
    for key in sorted(groups, key=lambda k: (k[0], k[1], period_order[k[2]])):
        members = groups[key]
        reference, name = names[(key[0], key[1])]
        total = weight = _ZERO  # sums of Decimals in an unbounded context: exact
        count = 0
        for a in members:
            p = a.percent
            if p is None:
                continue
            if weights is None:
                total = _add(total, p)
                weight = _add(weight, _ONE)
            else:
                w = _weight(weights, a.reference)
                total = _add(total, _multiply(w, p))
                weight = _add(weight, w)
            count += 1
        percent = (
            round_half_up(Fraction(total) / Fraction(weight), rules.places) if weight else None
        )
        out.append(
            Rollup(
                level,
                reference,
                name,
                key[2],
                percent,
                count,
                None if percent is None else rules.scale.rate(percent),
            )
        )
    return out


def _weight(weights: Mapping[str, Decimal], reference: str | None) -> Decimal:
    if reference is None or reference not in weights:
        return _ONE
    w: object = weights[reference]
    if (
        isinstance(w, bool)
        or not isinstance(w, Decimal | int)
        or (isinstance(w, Decimal) and (not w.is_finite() or out_of_range(w)))
        or (isinstance(w, int) and abs(w) >= 10**MAX_WHOLE_DIGITS)
        or w < 0
    ):
        raise InvalidValueError(
            field=f"weights[{reference!r}]", expected="a Decimal or int >= 0", value=w
        )
    return Decimal(w)
