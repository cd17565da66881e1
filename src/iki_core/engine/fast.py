"""Achievements of many periods, the common case computed inline: the fast path, and the
public entry points :func:`achievement` and :func:`achievements`."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final

from iki_core._collector import collector_paused
from iki_core.engine.compiled import CompiledIndicator, PeriodFacts, Series, Shared, YearTargets
from iki_core.engine.general import NO_WARNINGS, evaluate, fast_quantity
from iki_core.engine.lean import Run, lean
from iki_core.engine.notices import NO_NOTICES
from iki_core.engine.ratios import DIVIDE, EXACT, Ratio, round_points
from iki_core.engine.results import (
    Achievement,
    Status,
    forget_pending,
    pending_result,
    set_annual_target,
    set_nilai,
    set_notices,
    set_realisations,
    set_realised,
    set_rules,
    set_target,
    set_warnings,
)
from iki_core.errors import IkiTypeError, UnknownIndicatorError
from iki_core.model import Document, Indicator, Realisation
from iki_core.periods import Period

# The default rules are built on first use (they read the rating scales file), so the
# engine asks for them by calling default_rules(), never by importing DEFAULT_RULES.
from iki_core.rules import Rules, default_rules
from iki_core.units import Quantity

__all__ = ["SeriesFrame", "achievement", "achievements", "evaluate_many"]

_ACHIEVED: Final = Status.ACHIEVED
_NOT_ACHIEVED: Final = Status.NOT_ACHIEVED
_NO_DECIMAL: Final = Decimal(0)  # a placeholder, never published
_NO_YEAR: Final = YearTargets()  # a placeholder, never read
_multiply: Final = EXACT.multiply
_divide: Final = DIVIDE.divide


def evaluate_many(
    c: CompiledIndicator,
    by_year: Mapping[int, Series],
    periods: Sequence[PeriodFacts],
    reference: str | None,
    out: list[Achievement],
) -> None:
    """Append the achievement of each period to ``out``.

    The common case is computed inline, with everything that does not change between
    periods read once: a single positive annual target without plan, event window, range
    or cap, a realisation within the period and nothing to warn about. The percent is the
    polarity's formula (``c.arithmetic``, resolved once per indicator), floored, rounded
    once half-up; the rating the rules' scale read at integer thresholds. Every other
    period goes to :func:`~iki_core.engine.general.evaluate`, the general path, which gives
    the same figures (the tests hold the two equal)."""
    indicator = c.indicator
    rules = c.rules
    shared = c.shared
    judge = shared.judge
    cent = shared.cent
    scale = c.scale
    arithmetic = c.arithmetic
    floor = c.floor
    floor_scaled: int | None = None if floor is None else floor * 10**c.places
    prorate = c.prorate
    fast_sum = c.fast_sum
    fast_ratio = c.fast_ratio
    additive = c.additive
    factor_n, factor_d = c.factor
    simple = c.simple
    mode = rules.rounding.value
    half_up = mode == "half_up"

    def points(exact: Ratio) -> int:
        """The formula's ratio in units of the last place kept: floored, rounded once by
        ``rules.rounding``, half away from zero by default (as
        :func:`~iki_core.engine.ratios.round_ratio`)."""
        n, d = exact
        n *= scale
        if floor_scaled is not None and n < floor_scaled * d:
            n = floor_scaled * d
        if n < 0:  # a formula of a host application may go below zero
            if not half_up:
                return -round_points(-n, d, mode)
            q, rem = divmod(-n, d)
            return -(q + 1) if 2 * rem >= d else -q
        if not half_up:
            return round_points(n, d, mode)
        q, rem = divmod(n, d)
        return q + 1 if 2 * rem >= d else q

    seen_year = 0
    s: Series | None = None
    y = _NO_YEAR
    prev_s: Series | None = None  # the last period computed inline, for reuse
    prev_k = prev_last = 0
    percent = progress = _NO_DECIMAL
    status = _NOT_ACHIEVED
    rating = ""
    frame = SeriesFrame(c, None, y, reference)
    for pf in periods:
        year = pf.year
        if year != seen_year:  # periods mostly share a year: look it up once
            seen_year = year
            s = by_year.get(year)
            y = c.year(year)
        if not simple or s is None or not y.simple:
            out.append(evaluate(c, s, pf, reference))
            continue
        last = pf.last
        k = bisect_right(s.lasts, last)
        covered, maxfirst, trouble, (rn, rd), (yn, yd) = s.state[k]
        reported = s.latest[k]
        if (
            not k
            or maxfirst < pf.first
            or trouble
            or (additive and pf.full & ~covered)
            or (reported is not None and reported > pf.late_after)
        ):
            out.append(evaluate(c, s, pf, reference))
            continue
        # the same realisations against the same target as the period before (Q4 and the
        # year, both to December) keep its figures: only the computation is skipped
        if s is not prev_s or k != prev_k or last != prev_last:
            if fast_sum:
                pass
            elif fast_ratio and s.all_ratio and yn != 0:
                rn, rd = rn * yd * factor_n, rd * yn * factor_d
            else:
                out.append(evaluate(c, s, pf, reference))
                continue
            annual = y.annual
            assert annual is not None  # y.simple: a single positive target
            an, ad = annual
            if prorate and last != 12:
                tn, td = an * last, ad * 12
            else:
                tn, td = an, ad
            exact = arithmetic(rn, rd, tn, td)
            if exact is None:  # the formula has no value here: say so on the general path
                out.append(evaluate(c, s, pf, reference))
                continue
            q = points(exact)
            percent = _multiply(q, cent)  # q x 10**-places, exactly
            if td == ad and tn == an:
                progress = percent
            else:
                exact = arithmetic(rn, rd, an, ad)
                if exact is None:  # pragma: no cover - defined at T, so at the annual T
                    out.append(evaluate(c, s, pf, reference))
                    continue
                progress = _multiply(points(exact), cent)
            status, rating = judge(q)
            prev_s, prev_k, prev_last = s, k, last
            if s is not frame.s:
                frame = SeriesFrame(c, s, y, reference)
        # the quantities, the shared fields and the realisations counted are built when
        # first read (SeriesFrame.fill): each result is one object for the garbage collector
        out.append(
            pending_result(
                indicator, pf.period, reference, percent, progress, status, rating, frame
            )
        )


class SeriesFrame:
    """What the deferred fields (:data:`~iki_core.engine.results.DEFERRED`) of the
    inline achievements of one indicator in one year are built from, by :meth:`fill`, with
    the values the general path gives them: the compiled indicator and its series."""

    __slots__ = ("c", "reference", "s", "y")

    def __init__(
        self, c: CompiledIndicator, s: Series | None, y: YearTargets, reference: str | None
    ) -> None:
        self.c = c
        self.s = s
        self.y = y
        self.reference = reference

    def fill(self, a: Achievement) -> None:
        """Set the deferred fields of ``a``, an achievement of the fast path."""
        c, s, y = self.c, self.s, self.y
        assert s is not None
        assert y.annual is not None
        last = a.period.last_month
        k = bisect_right(s.lasts, last)
        _, _, _, (rn, rd), (yn, yd) = s.state[k]
        if not c.fast_sum:  # sum(X) / sum(Y) x the formula's factor
            fn, fd = c.factor
            rn, rd = rn * yd * fn, rd * yn * fd
        an, ad = y.annual
        target: Quantity | None = y.target_q  # the annual target, in the indicator's unit
        if c.prorate and last != 12:
            tn, td = an * last, ad * 12
            whole, part = divmod(tn, td)
            target = fast_quantity(
                Decimal(whole) if not part else _divide(Decimal(tn), Decimal(td)), c.unit
            )
        realised = fast_quantity(
            Decimal(rn) if rd == 1 else _divide(Decimal(rn), Decimal(rd)), c.unit
        )
        nilai_of = c.shared.nilai
        percent = a.percent
        set_target(a, target)
        set_annual_target(a, y.quantity)
        set_realised(a, realised)
        set_warnings(a, NO_WARNINGS)
        set_nilai(a, None if nilai_of is None or percent is None else nilai_of(percent, c.places))
        set_realisations(a, s.reals[:k])
        set_rules(a, c.rules)
        set_notices(a, NO_NOTICES)
        forget_pending(a)


# --- public entry points ------------------------------------------------------------------------
def achievement(
    indicator: Indicator,
    realisations: Iterable[Realisation],
    period: Period,
    rules: Rules | None = None,
    *,
    reference: str | None = None,
) -> Achievement:
    """The achievement of ``indicator`` in ``period`` from its ``realisations``.

    ``realisations`` are this indicator's (they are not filtered by reference); those of
    other years, and those that end after ``period``, are ignored. A realisation in the
    bare unit is read in the indicator's unit; one in another compatible unit is
    converted exactly ("2 lusin" is 24 buah); an incompatible one raises
    :class:`~iki_core.errors.UnitMismatchError`. ``rules`` defaults to
    :func:`~iki_core.rules.default_rules`; ``reference`` ("2:1.2") is only recorded.

    >>> from iki_core.model import Count, Indicator, Polarity, Realisation, Target
    >>> from iki_core.units import parse_quantity
    >>> kasus = Indicator("1", "Jumlah kasus", Count(parse_quantity("1 kasus").unit),
    ...                   targets=[Target.parse(2021, "8 kasus")],
    ...                   polarity=Polarity.LOWER_IS_BETTER)
    >>> year = Period.parse("2021")
    >>> achievement(kasus, [Realisation("1", year, value=parse_quantity("9 kasus"))], year).percent
    Decimal('87.50')
    """
    rules = rules if rules is not None else default_rules()
    shared = Shared(rules)
    reals = list(realisations)
    out: list[Achievement] = []
    run = Run(rules, shared, (PeriodFacts(period, rules),))
    if not reals or not lean(run, indicator, reals, reference, out):
        c = CompiledIndicator(indicator, rules, shared)
        evaluate_many(c, c.prepare(reals, reference), run.periods, reference, out)
    return out[0]


def achievements(
    document: Document,
    realisations: Iterable[Realisation],
    periods: Iterable[Period],
    rules: Rules | None = None,
) -> list[Achievement]:
    """The achievements of every indicator of ``document`` in each of ``periods``.

    Realisations are matched to indicators by their reference (``Realisation.indicator ==
    "sheet:id"``, e.g. "2:1.2"); one naming no indicator of the document raises
    :class:`~iki_core.errors.UnknownIndicatorError`. Each indicator is compiled once
    (units, formulas, targets) and its realisations resolved once for all periods. The
    result is ordered by sheet, then indicator order, then period in the order given.

    The garbage collector is paused while it computes, as while a document loads
    (:mod:`iki_core._collector`, docs/embedding.md): the results are values without
    cycles, held until it returns.
    """
    with collector_paused():
        return _achievements(document, realisations, periods, rules)


def _achievements(
    document: Document,
    realisations: Iterable[Realisation],
    periods: Iterable[Period],
    rules: Rules | None,
) -> list[Achievement]:
    rules = rules if rules is not None else default_rules()
    if not isinstance(document, Document):
        raise IkiTypeError(field="document", expected="a Document", value=document)
    if isinstance(periods, str | Period):
        raise IkiTypeError(field="periods", expected="a list of Period", value=periods)
    asked = list(periods)
    for i, p in enumerate(asked):
        if not isinstance(p, Period):
            raise IkiTypeError(
                field=f"periods[{i}]", expected="a Period (Period.parse('2021-Q1'))", value=p
            )
    wanted = [PeriodFacts(p, rules) for p in dict.fromkeys(asked)]
    shared = Shared(rules)
    run = Run(rules, shared, wanted)
    by_ref: dict[str, list[Realisation]] = {}
    for r in realisations:
        bucket = by_ref.get(r.indicator)
        if bucket is None:
            by_ref[r.indicator] = [r]
        else:
            bucket.append(r)
    out: list[Achievement] = []
    seen = 0
    for sheet in document.sheets:
        prefix = f"{sheet.number}:"
        for ind in sheet.indicators:
            ref = prefix + ind.id
            reals = by_ref.get(ref)
            if reals is not None:
                seen += 1
                if lean(run, ind, reals, ref, out):
                    continue
            c = CompiledIndicator(ind, rules, shared)
            by_year: dict[int, Series] = {} if reals is None else c.prepare(reals, ref)
            evaluate_many(c, by_year, wanted, ref, out)
    if seen != len(by_ref):
        known = [ref for ref, _ in document.references()]
        unknown = sorted(set(by_ref) - set(known))
        raise UnknownIndicatorError(unknown[0], known=known)
    return out
