"""The warnings of an achievement (:class:`~iki_core.engine.Notice`), by code; their texts
are the catalogue's ``notice.<code>``."""

from __future__ import annotations

from typing import Final

from iki_core.engine.compiled import CompiledIndicator, PeriodFacts, Series, YearTargets
from iki_core.engine.results import Notice, Param
from iki_core.periods import Period, PeriodKind

__all__ = ["NO_NOTICES", "no_entry_notice", "notices"]

NO_NOTICES: Final[tuple[Notice, ...]] = ()


def no_entry_notice(year: int) -> Notice:
    """No target entry for ``year`` at all (an unreadable cell, usually)."""
    return Notice("no-target-entry", {"year": str(year)})


def notices(
    compiled: CompiledIndicator, s: Series, k: int, pf: PeriodFacts, y: YearTargets
) -> tuple[Notice, ...]:
    """The warnings of the period ``pf`` whose figures count the first ``k`` entries."""
    out: list[Notice] = []
    period = str(pf.period)
    end = pf.end.isoformat()
    counted = s.entries[:k]
    for e in counted:
        if e.warning is not None:
            out.append(e.warning)
        reported = e.real.reported_on
        if reported is not None and reported > pf.late_after:
            days = compiled.rules.report_grace_days
            assert days is not None  # late_after is the end of time without a grace
            params: dict[str, Param] = {
                "realisation": str(e.real.period),
                "reported": reported.isoformat(),
                "days": days,
                "period": period,
                "end": end,
            }
            out.append(Notice("late-report", params))
    overlap = seen = 0
    for e in counted:
        overlap |= seen & e.mask
        seen |= e.mask
    if compiled.additive and overlap:
        out.append(Notice("overlap", {"months": months_text(pf.year, overlap)}))
    missing = pf.full & y.window_mask & ~seen
    if compiled.additive and missing:
        out.append(Notice("missing", {"months": months_text(pf.year, missing)}))
    if compiled.is_pct and compiled.sum and all(e.x is None for e in counted):
        out.append(Notice("percent-values"))
    if y.conflict:
        out.append(Notice("plan-conflict", {"year": str(pf.year), "target": repr(y.target_text)}))
    return tuple(out) if out else NO_NOTICES


def months_text(year: int, mask: int) -> str:
    """Months in ``mask`` as periods: whole quarters as 2021-Q2, else months 2021-08."""
    parts: list[str] = []
    for q in range(4):
        qmask = 0b111 << (3 * q)
        if mask & qmask == qmask:
            parts.append(str(Period(year, PeriodKind.QUARTER, q + 1)))
            continue
        for m in range(3 * q + 1, 3 * q + 4):
            if mask & (1 << (m - 1)):
                parts.append(str(Period(year, PeriodKind.MONTH, m)))
    return ", ".join(parts)
