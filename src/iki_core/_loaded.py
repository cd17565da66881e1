"""The loaders' constructor of :class:`~iki_core.model.Indicator`: the same object the
constructor makes, with its checks done in one pass for the plain kinds (a load builds
tens of thousands of indicators whose fields the loader has already read)."""

from __future__ import annotations

from typing import Final

import attrs

from iki_core.diagnostics import SourceText
from iki_core.kinds import Count, EventReport, IndicatorKind, PercentageFormula, Target
from iki_core.model import Aggregation, Indicator, Objective, Polarity

__all__ = [
    "built_indicator",
    "is_plain",
    "loaded_indicator",
    "loaded_objective",
    "loaded_source",
]

# The slot setters of Indicator, for loaded_indicator, which builds an indicator of the
# plain kinds with the constructor's checks done in one pass.
_new: Final = object.__new__
_INDICATOR_SLOTS: Final = Indicator.__dict__
_PLAIN_KINDS: Final = (Count, PercentageFormula, EventReport)
_set_id: Final = _INDICATOR_SLOTS["id"].__set__
_set_name: Final = _INDICATOR_SLOTS["name"].__set__
_set_kind: Final = _INDICATOR_SLOTS["kind"].__set__
_set_targets: Final = _INDICATOR_SLOTS["targets"].__set__
_set_polarity: Final = _INDICATOR_SLOTS["polarity"].__set__
_set_aggregation: Final = _INDICATOR_SLOTS["aggregation"].__set__
_set_plans: Final = _INDICATOR_SLOTS["plans"].__set__
_set_explanation: Final = _INDICATOR_SLOTS["explanation"].__set__
_set_data_source: Final = _INDICATOR_SLOTS["data_source"].__set__
_set_source: Final = _INDICATOR_SLOTS["source"].__set__
_set_baseline: Final = _INDICATOR_SLOTS["baseline"].__set__
_set_end_target: Final = _INDICATOR_SLOTS["end_target"].__set__
_set_verbatim: Final = _INDICATOR_SLOTS["verbatim"].__set__
_SOURCE_SLOTS: Final = SourceText.__dict__
_set_source_line: Final = _SOURCE_SLOTS["line"].__set__
_set_source_cells: Final = _SOURCE_SLOTS["cells"].__set__
_OBJECTIVE_SLOTS: Final = Objective.__dict__
_set_number: Final = _OBJECTIVE_SLOTS["number"].__set__
_set_objective_name: Final = _OBJECTIVE_SLOTS["name"].__set__
_set_indicators: Final = _OBJECTIVE_SLOTS["indicators"].__set__
_set_objective_source: Final = _OBJECTIVE_SLOTS["source"].__set__
# every field is set above: a field added to one of these classes must be added there too
assert len(attrs.fields(Indicator)) == 13
assert len(attrs.fields(SourceText)) == 2
assert len(attrs.fields(Objective)) == 4


def loaded_indicator(
    id: str,
    name: str,
    kind: IndicatorKind,
    targets: tuple[Target, ...],
    polarity: Polarity,
    aggregation: Aggregation,
    explanation: str,
    data_source: str,
    source: SourceText,
) -> Indicator:
    """``Indicator(id, name, kind, targets, polarity, aggregation, explanation=...,
    data_source=..., source=...)``, the same object, made faster for the loaders: for a
    count, a percentage or an event report whose targets come in order of year, the
    constructor's checks (:class:`Indicator`) run here in one pass over the targets, and
    anything else goes through the constructor."""
    unit = kind.unit
    dimension = unit.dimension
    fast = (
        is_plain(kind, polarity, aggregation)
        and type(id) is str
        and id.strip() != ""
        and type(name) is str
        and type(explanation) is str
        and type(data_source) is str
        and type(source) is SourceText
        and type(targets) is tuple
    )
    year = 0
    for t in targets if fast else ():
        value = t.value
        if (
            type(t) is not Target
            or t.year <= year  # out of order or twice: the constructor sorts or refuses
            or (value is not None and value.unit.dimension != dimension)
        ):
            fast = False
            break
        year = t.year
    if not fast:
        return Indicator(
            id=id,
            name=name,
            kind=kind,
            targets=targets,
            polarity=polarity,
            aggregation=aggregation,
            explanation=explanation,
            data_source=data_source,
            source=source,
        )
    return built_indicator(
        id, name, kind, targets, polarity, aggregation, explanation, data_source, source
    )


def is_plain(kind: IndicatorKind, polarity: Polarity, aggregation: Aggregation) -> bool:
    """True when an indicator of ``kind``, ``polarity`` and ``aggregation`` whose other
    fields are texts, a :class:`SourceText` and targets in order of year in the unit of
    ``kind`` passes the constructor's checks: what :func:`built_indicator` requires."""
    return (
        type(kind) in _PLAIN_KINDS
        and type(polarity) is Polarity
        and type(aggregation) is Aggregation
        and (
            aggregation is Aggregation.SUM
            or aggregation is Aggregation.LAST
            or type(kind) is not PercentageFormula
        )
    )


def built_indicator(
    id: str,
    name: str,
    kind: IndicatorKind,
    targets: tuple[Target, ...],
    polarity: Polarity,
    aggregation: Aggregation,
    explanation: str,
    data_source: str,
    source: SourceText,
) -> Indicator:
    """The :class:`Indicator` of these fields, its checks left to the caller, who has
    made sure of what :func:`loaded_indicator` checks: ``is_plain(kind, polarity,
    aggregation)``, ``id`` a text that is not blank, ``name``, ``explanation`` and
    ``data_source`` texts, ``source`` a :class:`SourceText`, ``targets`` a tuple of
    :class:`Target` in increasing order of year whose values are in ``kind``'s
    dimension."""
    indicator: Indicator = _new(Indicator)
    _set_id(indicator, id)
    _set_name(indicator, name)
    _set_kind(indicator, kind)
    _set_targets(indicator, targets)
    _set_polarity(indicator, polarity)
    _set_aggregation(indicator, aggregation)
    _set_plans(indicator, ())
    _set_explanation(indicator, explanation)
    _set_data_source(indicator, data_source)
    _set_source(indicator, source)
    _set_baseline(indicator, None)
    _set_end_target(indicator, None)
    _set_verbatim(indicator, ())
    return indicator


def loaded_source(line: int | None, cells: tuple[tuple[str, str], ...]) -> SourceText:
    """``SourceText(line, cells)``, the same object, made without the constructor's call
    (SourceText has no checks)."""
    source: SourceText = _new(SourceText)
    _set_source_line(source, line)
    _set_source_cells(source, cells)
    return source


def loaded_objective(
    number: str, name: str, indicators: tuple[Indicator, ...], source: SourceText
) -> Objective:
    """``Objective(number, name, indicators, source)`` for texts, a tuple of indicators
    and a source, the same object, made without the constructor's checks, which these
    pass."""
    objective: Objective = _new(Objective)
    _set_number(objective, number)
    _set_objective_name(objective, name)
    _set_indicators(objective, indicators)
    _set_objective_source(objective, source)
    return objective
