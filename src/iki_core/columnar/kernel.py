"""The exact achievement kernel over columns: scaled integers, one half-up rounding.

Each row is a realisation to date ``rn / rd`` against a target ``tn / td`` (the period's
cumulative target) and an annual target ``an / ad``, all exact rationals with positive
denominators, and a polarity. The kernel computes, as the engine does
(:mod:`iki_core.engine`, PermenPANRB 8/2021 annex ch. VI):

- higher is better ("kondisi normal"): ``R / T x 100``;
- lower is better, ``kondisi khusus`` (default): ``(2T - R) / T x 100``, floored at 0;
- lower is better, ``inverse`` (``T / R x 100``), for rows with ``R > 0``;

and a target of 0 by the rules' zero rule (:class:`~iki_core.rules.ZeroTargetHigher`,
:class:`~iki_core.rules.ZeroTargetLower`: 100%, 0% or no percent, as the engine's
``achieve``), each as an integer ``q`` = the percent x ``10**places``, rounded once, half-up
(``2 x remainder >= divisor`` rounds up), so that ``q x 10**-places`` is exactly the
engine's Decimal, ties at x.xx5 included. A cap (``rules.cap``) is applied as
``min(q, round(cap))``: rounding half-up is monotone, so this equals rounding the capped
exact value, as the engine does.

The overflow guard: every product is estimated in floating point first (only to bound
its size, never to compute a result). Rows whose products could pass 2**61 are computed
with Python integers instead of int64, so the result is exact on every row whatever the
magnitudes.

>>> import numpy as np
>>> from iki_core.rules import DEFAULT_RULES
>>> k = Kernel(DEFAULT_RULES)
>>> one = np.ones(3, dtype=np.int64)
>>> out = k.compute(rn=np.array([450, 1, 9], dtype=np.int64), rd=one,
...                 tn=np.array([150, 3, 8], dtype=np.int64), td=one,
...                 an=np.array([200, 3, 8], dtype=np.int64), ad=one,
...                 lower=np.array([False, False, True]))
>>> out.percent.tolist(), out.progress.tolist()
([30000, 3333, 8750], [22500, 3333, 8750])
>>> [k.labels[i] for i in out.rating]
['Sangat Tinggi', 'Sangat Rendah', 'Tinggi']

A quarter whose planned target is 0 (higher is better: no percent under the default
``ZeroTargetHigher.UNDEFINED``; lower is better with nothing happened: 100%):

>>> out = k.compute(rn=np.array([5, 0], dtype=np.int64), rd=one[:2],
...                 tn=np.array([0, 0], dtype=np.int64), td=one[:2],
...                 an=np.array([20, 20], dtype=np.int64), ad=one[:2],
...                 lower=np.array([False, True]))
>>> out.defined.tolist(), out.percent.tolist(), out.progress.tolist()
([False, True], [0, 10000], [2500, 20000])
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from iki_core.rules import (
    LowerIsBetterFormula,
    Measure,
    PeriodTarget,
    Rounding,
    Rules,
    YearToDate,
    ZeroTargetHigher,
    ZeroTargetLower,
)

__all__ = ["Kernel", "KernelResult"]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Numbers = npt.NDArray[Any]
"""int64, or Python integers (dtype object) on the rows the overflow guard sends there."""

_LIMIT: Final = float(2**61)
"""Products estimated below this stay exact in int64 with room for ``2 x remainder``."""


def _ceil_scaled(value: Decimal, unit: int) -> int:
    """The least integer q with q / unit >= value (as the engine's rating thresholds)."""
    n, d = value.as_integer_ratio()
    return int(-((-n * unit) // d))


def _round_cap(cap: Decimal, places: int) -> int:
    """``cap`` x 10**places, rounded once, half away from zero."""
    n, d = cap.as_integer_ratio()
    q, r = divmod(abs(n) * int(10**places), d)
    if 2 * r >= d:
        q += 1
    return -q if n < 0 else q


@attrs.frozen
class KernelResult:
    """The kernel's columns, one entry per row.

    ``percent`` and ``progress`` are the published figures x ``10**places`` (int64);
    ``defined`` and ``progress_defined`` are False where a target of 0 gives no figure
    (the zero rules' ``UNDEFINED``: status ``undefined``, no rating; the figure reads 0);
    ``achieved`` is ``percent >= 100`` where defined; ``rating`` indexes
    :attr:`Kernel.labels` where defined;
    ``exact`` marks the rows the overflow guard sent to Python integers; ``fits`` is
    False where a figure itself does not fit in int64 (a percent above 10**14 or so):
    those rows are left to the object engine.
    """

    percent: Ints
    progress: Ints
    achieved: Bools
    rating: npt.NDArray[np.intp]
    exact: Bools
    fits: Bools
    defined: Bools
    progress_defined: Bools


class Kernel:
    """The kernel for one set of :class:`~iki_core.rules.Rules`, resolved once: the
    scale factor, the lower-is-better formula, the cap and the rating thresholds
    (percent x 10**places, rounded up, so that ``q >= threshold`` is exactly
    ``percent >= band.min``)."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.places = rules.places
        self.unit = 10**rules.places
        self.scale = 100 * self.unit
        self.inverse = rules.lower_is_better is LowerIsBetterFormula.INVERSE
        # the kernel states the shipped formulas only; a formula a host registered is
        # computed by the engine, for the polarity it serves
        self.higher_known = str(rules.higher_is_better.value) == "kondisi_normal"
        self.lower_known = str(rules.lower_is_better.value) in ("kondisi_khusus", "inverse")
        # the kernel rounds half-up, reads bands closed at their lower bound, forms the
        # cumulative ratio and measures against the target (not from the baseline, which
        # its tables do not carry); under any other of these rules every row goes to the
        # engine
        self.supported = (
            rules.measure is Measure.TARGET
            and rules.rounding is Rounding.HALF_UP
            and rules.scale.closed == "lower"
            and rules.year_to_date is YearToDate.RATIO
            and rules.period_target in (PeriodTarget.CUMULATIVE, PeriodTarget.ANNUAL)
        )
        self.cap = None if rules.cap is None else _round_cap(rules.cap, rules.places)
        ordered = rules.scale.bands[::-1]  # lowest first
        self.thresholds = np.array(
            [_ceil_scaled(b.min, self.unit) for b in ordered if b.min is not None],
            dtype=np.int64,
        )
        self.labels: tuple[str, ...] = tuple(b.label for b in ordered)
        self.hundred = 100 * self.unit
        # a target of 0 (rules.py, ZeroTargetHigher / ZeroTargetLower, as engine.general's
        # achieve): a fixed figure or none; lower is better's all-or-nothing gives 100%
        # where nothing happened (R = 0), else 0%. Higher is better's FULL gives 100% for
        # R >= 0, which every covered row has.
        higher = rules.zero_target_higher
        self.zero_higher: int | None = (
            None
            if higher is ZeroTargetHigher.UNDEFINED
            else 0
            if higher is ZeroTargetHigher.ZERO
            else self.hundred
        )
        lower = rules.zero_target_lower
        self.zero_lower: int | None = (
            None
            if lower is ZeroTargetLower.UNDEFINED
            else 0
            if lower is ZeroTargetLower.ZERO
            else -1  # all or nothing
        )

    def covers(self, rn: Ints, rd: Ints, tn: Ints, td: Ints, lower: Bools) -> Bools:
        """The rows the kernel computes: positive denominators, a non-negative target
        and realisation, and under ``inverse`` a positive realisation against a positive
        target (``T / R`` at ``R = 0`` is undefined: the engine says so)."""
        ok = (rd > 0) & (td > 0) & (tn >= 0) & (rn >= 0)
        if not self.supported:
            ok &= False
        if not self.higher_known:
            ok &= lower
        if not self.lower_known:
            ok &= ~lower
        if self.inverse:
            ok &= ~lower | (rn > 0) | (tn == 0)
        return ok

    def compute(
        self, *, rn: Ints, rd: Ints, tn: Ints, td: Ints, an: Ints, ad: Ints, lower: Bools
    ) -> KernelResult:
        """Percent against ``tn / td`` and progress against ``an / ad``; every row must
        be covered (:meth:`covers`, for both targets)."""
        pq, p_exact, p_fits, p_def = self._percent(rn, rd, tn, td, lower)
        # progress: the same figure wherever the period's target is the annual one
        other = np.flatnonzero((tn != an) | (td != ad))
        gq, g_exact, g_fits, g_def = pq.copy(), p_exact.copy(), p_fits.copy(), p_def.copy()
        if len(other):
            q, e, f, d = self._percent(rn[other], rd[other], an[other], ad[other], lower[other])
            gq[other], g_exact[other], g_fits[other], g_def[other] = q, e, f, d
        if self.cap is not None:
            np.minimum(pq, self.cap, out=pq)
            np.minimum(gq, self.cap, out=gq)
        rating = np.zeros(len(pq), np.intp)
        for threshold in self.thresholds.tolist():  # a handful of bands: one pass each
            rating += pq >= threshold
        achieved = pq >= self.hundred
        return KernelResult(
            pq, gq, achieved & p_def, rating, p_exact | g_exact, p_fits & g_fits, p_def, g_def
        )

    def _percent(
        self, rn: Ints, rd: Ints, tn: Ints, td: Ints, lower: Bools
    ) -> tuple[Ints, Bools, Bools, Bools]:
        n = len(rn)
        zero = np.flatnonzero(tn == 0)
        nothing = rn[zero] == 0
        if len(zero):  # computed as 1 against 1, then replaced by the zero rule's figure
            tn, rn = tn.copy(), rn.copy()
            tn[zero] = 1
            rn[zero] = 1
        exact = self._guard(rn, rd, tn, td, lower)
        q = _half_up(rn * td * self.scale, rd * tn)  # higher is better: R / T x 100
        low = np.flatnonzero(lower)
        if len(low):
            ln, ld = self._lower_terms(rn[low], rd[low], tn[low], td[low])
            q[low] = _half_up(ln, ld)
        fits = np.ones(n, np.bool_)
        if exact is not None and exact.any():
            idx = np.flatnonzero(exact)
            big = [a[idx].astype(object) for a in (rn, rd, tn, td)]
            hn, hd = big[0] * big[3] * self.scale, big[1] * big[2]
            ln, ld = self._lower_terms(big[0], big[1], big[2], big[3])
            on, od = np.where(lower[idx], ln, hn), np.where(lower[idx], ld, hd)
            values = [_half_up_int(int(a), int(b)) for a, b in zip(on, od, strict=True)]
            small = np.array([v < 2**62 for v in values], np.bool_)
            q[idx] = [v if ok else 0 for v, ok in zip(values, small, strict=True)]
            fits[idx] = small
        defined = np.ones(n, np.bool_)
        if len(zero):
            self._zero_target(q, defined, fits, zero, nothing, lower[zero])
        return q, (exact if exact is not None else np.zeros(n, np.bool_)), fits, defined

    def _zero_target(
        self, q: Ints, defined: Bools, fits: Bools, at: Ints, nothing: Bools, lower: Bools
    ) -> None:
        """The figures of the rows ``at`` whose target is 0, by the zero rules (``nothing``:
        the realisation is 0)."""
        fits[at] = True
        for rule, rows in ((self.zero_higher, ~lower), (self.zero_lower, lower)):
            if rule is None:
                q[at[rows]] = 0
                defined[at[rows]] = False
            elif rule == -1:  # all or nothing
                q[at[rows]] = np.where(nothing[rows], self.hundred, 0)
            else:
                q[at[rows]] = rule

    def _guard(self, rn: Ints, rd: Ints, tn: Ints, td: Ints, lower: Bools) -> Bools | None:
        """The rows whose products could pass 2**61 (None: none can). A bound over the
        whole batch first (four maxima); row by row only when that bound fails."""
        if not len(rn):
            return None
        s = float(self.scale)
        mr, md, mt, mtd = (float(a.max()) for a in (rn, rd, tn, td))
        if max(mr * mtd, 2 * mt * md + mr * mtd, mt * md, mtd * mr) * s < _LIMIT:
            return None
        f = np.float64
        frn, frd, ftn, ftd = rn.astype(f), rd.astype(f), tn.astype(f), td.astype(f)
        big = np.maximum(frn * ftd, frd * ftn)
        big = np.maximum(big, 2 * ftn * frd + frn * ftd) * s
        return ~(big < _LIMIT)  # NaN-safe: anything unbounded goes exact

    def _lower_terms(
        self, rn: Numbers, rd: Numbers, tn: Numbers, td: Numbers
    ) -> tuple[Numbers, Numbers]:
        """Numerator and divisor of lower is better: T / R x 100 (``inverse``) or
        (2T - R) / T x 100 floored at 0 (kondisi khusus)."""
        s = self.scale
        if self.inverse:
            return tn * rd * s, td * rn
        ln = (2 * tn * rd - rn * td) * s
        return np.where(ln < 0, 0, ln), tn * rd


def _half_up(n: Ints, d: Ints) -> Ints:
    """``n / d`` rounded half-up, for ``n >= 0`` and ``d > 0`` (covered rows only)."""
    q, r = np.divmod(n, d)
    r *= 2
    q += r >= d
    return q


def _half_up_int(n: int, d: int) -> int:
    q, r = divmod(n, d)
    return q + (2 * r >= d)
