"""What every indicator of one computation on the lean path reads, resolved once: the
:class:`Run`, and the arithmetic of a period's percent under any formula (:func:`points`).
See :mod:`~iki_core.engine.lean`."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from iki_core.engine.compiled import PeriodFacts, Shared
from iki_core.engine.formulas import KONDISI_KHUSUS, KONDISI_NORMAL, Arithmetic, Formula
from iki_core.engine.frame import Factor
from iki_core.engine.ratios import EXACT, Ratio, round_points
from iki_core.engine.results import Status
from iki_core.periods import Period
from iki_core.rules import Measure, PeriodTarget, Rules, YearToDate

if TYPE_CHECKING:  # the kernels are made from the run
    from iki_core.engine.unrolled import Kernel

__all__ = ["KHUSUS", "NORMAL", "NO_FIGURE", "OTHER", "Figure", "Run", "Shape", "points"]

_ACHIEVED: Final = Status.ACHIEVED
_NOT_ACHIEVED: Final = Status.NOT_ACHIEVED
_multiply: Final = EXACT.multiply
Figure = tuple[Decimal, Status, str]
"""A percent as published, its status and its rating."""
_FIGURES: Final = 1 << 15
"""How many percents the process keeps the figures of, per scale (about 6 MB at most)."""
_KEPT: Final[dict[tuple[int, tuple[int, ...], tuple[str, ...]], dict[int, Figure]]] = {}
"""The figures of the percents met, per places kept and rating scale (at most 16 kept)."""
OTHER, NORMAL, KHUSUS = 0, 1, 2
"""How a polarity's formula is computed inline: by its arithmetic (any formula), or as
R / T (kondisi normal) or (2T - R) / T floored at 0 (kondisi khusus) on scaled integers."""


Shape = tuple[
    tuple[Period, ...],
    tuple[int, ...] | None,
    tuple[int, ...],
    tuple[tuple[PeriodFacts, Period, int, int], ...],
    dict[int, "Kernel | None"],
]
"""The shape of an indicator's realisations in one year, for the periods asked of it: the
periods of its realisations (kept, so that their identities stay theirs), which of them
are of the year (None: all), the last month of each of the year's, and for each period
asked its facts, the period, how many of the year's realisations count to date when the
lean path computes it (0 when it does not) and its last month; and the loop over those
periods written out for each case met (:mod:`~iki_core.engine.unrolled`), by kind, plan
and formula."""

NO_FIGURE: Final = (Decimal(0), Status.NOT_ACHIEVED, "")  # a placeholder, never published


def _code(f: Formula) -> int:
    if f is KONDISI_NORMAL:
        return NORMAL
    return KHUSUS if f is KONDISI_KHUSUS else OTHER


class Run:
    """What every indicator of one computation reads, resolved once: the periods asked
    for, whether the rules let the lean path run at all (``year`` is None when not, or
    when the periods span several years), the formula of each polarity, the cap in units
    of the last place kept, and the figures of each percent met (:meth:`figure`)."""

    __slots__ = (
        "annual_rule",
        "cap",
        "cent",
        "factors",
        "figures",
        "half_up",
        "higher",
        "higher_code",
        "higher_floor",
        "hundred",
        "labels",
        "lower",
        "lower_code",
        "lower_floor",
        "mode",
        "periods",
        "places",
        "recent",
        "rules",
        "scale",
        "shapes",
        "shared",
        "thresholds",
        "year",
        "years",
    )

    def __init__(self, rules: Rules, shared: Shared, periods: Sequence[PeriodFacts]) -> None:
        self.rules = rules
        self.shared = shared
        self.factors: dict[tuple[int, int], Factor] = {}  # the units met, kept alive here
        # per year, the shapes of the realisations met, by the identities of their periods
        self.shapes: dict[int, dict[tuple[int, ...], Shape]] = {}
        # the kernel last met per year and case (year x 16 + case): tried first, it checks
        # the shape itself, which most often is that of the indicator before
        self.recent: dict[int, Kernel] = {}
        self.periods = tuple(periods)
        years = {pf.year for pf in periods}
        plain = (
            rules.year_to_date is YearToDate.RATIO
            and rules.measure is Measure.TARGET  # the baseline-relative formula is not lean
        )
        self.year: int | None = years.pop() if plain and len(years) == 1 else None
        # several years: the indexes and the facts of each year's periods, in the order asked
        self.years: tuple[tuple[int, tuple[int, ...], tuple[PeriodFacts, ...]], ...] | None = None
        if plain and len(years) > 1:
            self.years = tuple(
                (
                    y,
                    tuple(i for i, pf in enumerate(periods) if pf.year == y),
                    tuple(pf for pf in periods if pf.year == y),
                )
                for y in sorted(years)
            )
        # the whole annual target for every period (PeriodTarget.ANNUAL); the quarters
        # reported (REPORTED_QUARTERS) are every quarter to date wherever the lean path
        # computes, so that rule gives the cumulative target there
        self.annual_rule = rules.period_target is PeriodTarget.ANNUAL
        self.places = rules.places
        unit = 10**rules.places
        self.scale = 100 * unit  # percent points, then the places kept
        self.mode = rules.rounding.value
        self.half_up = self.mode == "half_up"
        cap = rules.cap
        # rounding is monotone, so rounding the capped ratio is capping the rounded one
        self.cap: int | None = None if cap is None else self.rounded(*_scaled(cap, unit))
        self.hundred = shared.hundred
        self.cent = shared.cent
        self.thresholds = shared.thresholds
        self.labels = shared.labels
        self.higher: Arithmetic = shared.higher.arithmetic
        self.lower: Arithmetic = shared.lower.arithmetic
        self.higher_code = _code(shared.higher)
        self.lower_code = _code(shared.lower)
        floor = shared.higher.floor
        self.higher_floor: int | None = None if floor is None else floor * unit
        floor = shared.lower.floor
        self.lower_floor: int | None = None if floor is None else floor * unit
        key = (rules.places, shared.thresholds, shared.labels)
        figures = _KEPT.get(key)
        if figures is None:
            figures = {}
            if len(_KEPT) < 16:
                _KEPT[key] = figures
        self.figures = figures

    def rounded(self, n: int, d: int) -> int:
        """``n / d`` (``d > 0``) rounded once by ``rules.rounding``, half away from zero
        by default (as :func:`~iki_core.engine.ratios.round_ratio`)."""
        if n < 0:  # a formula of a host application may go below zero
            return -round_points(-n, d, self.mode)
        return round_points(n, d, self.mode)

    def points(self, exact: Ratio, floor: int | None) -> int:
        """The formula's ratio in units of the last place kept: floored (``floor`` in those
        units), rounded once by ``rules.rounding``."""
        n, d = exact
        n *= self.scale
        if floor is not None and n < floor * d:
            n = floor * d
        return self.rounded(n, d)

    def figure(self, q: int) -> Figure:
        """The percent of ``q`` units of the last place kept, exactly (``q x 10**-places``),
        its status (achieved from 100, PermenPANRB 8/2021) and its rating (the rules'
        scale, at its integer thresholds); kept for the process's next result with the
        same percent under the same scale, so that results share their Decimal and most
        cost one look-up."""
        found = (
            _multiply(q, self.cent),
            _ACHIEVED if q >= self.hundred else _NOT_ACHIEVED,
            self.labels[bisect_right(self.thresholds, q)],
        )
        if len(self.figures) < _FIGURES:
            self.figures[q] = found
        return found


def _scaled(value: Decimal, unit: int) -> Ratio:
    n, d = value.as_integer_ratio()
    return (n * unit, d)


def points(
    run: Run,
    code: int,
    arithmetic: Arithmetic,
    floor: int | None,
    half_up: bool,
    scale: int,
    rn: int,
    rd: int,
    tn: int,
    td: int,
) -> int | None:
    """R = ``rn / rd`` against T = ``tn / td`` (``rd``, ``tn``, ``td`` > 0) under the
    polarity's formula, in units of the last place kept, floored and rounded once; None
    when the formula has no value there."""
    if code == NORMAL:  # R / T x 100 (PermenPANRB 8/2021 annex, ch. VI, kondisi normal)
        n, d = rn * td * scale, rd * tn
    elif code == KHUSUS:  # (2T - R) / T x 100, floored at 0 (kondisi khusus)
        d = tn * rd
        n = (2 * d - rn * td) * scale
        if n < 0:
            return 0
    else:
        exact = arithmetic(rn, rd, tn, td)
        if exact is None:
            return None
        n, d = exact
        n *= scale
        if floor is not None and n < floor * d:
            n = floor * d
    if half_up and n >= 0:  # rounded once, half-up (the default)
        q, rem = divmod(n, d)
        return q + 1 if 2 * rem >= d else q
    return run.rounded(n, d)
