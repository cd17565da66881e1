"""The achievement engine: capaian per month, quarter, semester and year, with its working.

Given an indicator, its realisations (realisasi) and a period P of year Y,
:func:`achievement` computes what Indonesian performance reports publish:

- ``target``: the target for P, cumulative (the quarterly plan when there is one;
  otherwise counts aggregated by sum get the annual target x months of Y elapsed by the
  end of P / 12, event reports their target prorated over the event's active months, and
  everything else the annual target; see :class:`~iki_core.rules.PeriodTarget`);
- ``realised``: the realisations from the start of Y to the end of P, aggregated by the
  indicator's aggregation (percentages: sum(X) / sum(Y));
- ``percent``: realised against ``target`` under the polarity's formula;
- ``progress``: realised against the whole annual target (Permendagri 86/2017);
- ``status`` and ``rating`` (:class:`~iki_core.rules.RatingScale`);
- ``warnings`` that do not stop the computation (``notices``: each with a stable code and
  its text in Indonesian and English), and :meth:`Achievement.explain`.

>>> from iki_core.model import Count, Indicator, Realisation, Target
>>> from iki_core.periods import Period
>>> from iki_core.units import parse_quantity
>>> peserta = Indicator("1", "Jumlah peserta sosialisasi", Count(parse_quantity("1 orang").unit),
...                     targets=[Target.parse(2021, "200 orang peserta")])
>>> reported = [Realisation("3:1", Period.parse(f"2021-Q{q}"), value=parse_quantity(v))
...             for q, v in ((1, "100 orang"), (2, "150 orang"), (3, "200 orang"))]
>>> a = achievement(peserta, reported, Period.parse("2021-Q3"))
>>> a.percent, a.progress, a.status, a.rating
(Decimal('300.00'), Decimal('225.00'), 'achieved', 'Sangat Tinggi')
>>> print(a.explain())
Realisasi s.d. TW III: 100 + 150 + 200 = 450 orang; target s.d. TW III: 9/12 x 200 = 150 orang; \
capaian = 450 / 150 x 100% = 300,00%
progres terhadap target tahunan = 450 / 200 x 100% = 225,00%
status: tercapai; predikat: Sangat Tinggi (permendagri-86-2017)

Arithmetic is exact (integer ratios inside) and rounded once, half-up, to
``rules.places`` decimals. Units are resolved once per indicator, not per value.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from decimal import MAX_PREC, Context, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, Final, Literal

import attrs

from iki_core import rules as _rules
from iki_core.errors import InvalidValueError, UnitMismatchError, UnknownIndicatorError
from iki_core.model import (
    Aggregation,
    Document,
    EventReport,
    EventWindow,
    Indicator,
    PercentageFormula,
    Polarity,
    Range,
    Realisation,
)
from iki_core.numbers import format_number, round_half_up
from iki_core.periods import MONTHS_EN, MONTHS_ID, Period, PeriodKind
from iki_core.rules import (
    LowerIsBetterFormula,
    PeriodTarget,
    RangeRule,
    Rules,
    ZeroDenominator,
    ZeroTargetHigher,
    ZeroTargetLower,
)
from iki_core.units import BARE, PERCENT, Quantity, Unit

__all__ = [
    "Achievement",
    "Notice",
    "Rollup",
    "Status",
    "achievement",
    "achievements",
    "rollup",
]

Ratio = tuple[int, int]
"""An exact rational as (numerator, denominator > 0): cheaper than Fraction in the hot path."""

_ONE: Final[Ratio] = (1, 1)
_HUNDRED: Final[Ratio] = (100, 1)
_ZERO: Final[Ratio] = (0, 1)
_EXACT: Final = Context(prec=MAX_PREC)
_DIVIDE: Final = Context(prec=28)
_multiply: Final = _EXACT.multiply
_divide: Final = _DIVIDE.divide
_NO_WARNINGS: Final[tuple[str, ...]] = ()
_NO_QUANTITY: Final = Quantity(0, BARE)  # placeholders, never published
_NO_DECIMAL: Final = Decimal(0)


class Status(StrEnum):
    """What an achievement amounts to.

    - ``ACHIEVED``: percent >= 100 (after rounding and the optional cap).
    - ``NOT_ACHIEVED``: percent < 100.
    - ``NO_TARGET``: the year's target is "-", or the indicator has no target entry for the
      year at all (an unreadable cell: then a warning says so); the quarterly plan gives no
      target for the period ("-", see :class:`~iki_core.rules.PeriodTarget`); or the period
      lies wholly outside the event's window.
    - ``NO_DATA``: no realisation within the period: missing is never zero.
    - ``UNDEFINED``: a zero denominator (sum(Y) = 0, a target of 0 when higher is better,
      T / R at R = 0), under the default zero rules.
    """

    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"
    UNDEFINED = "undefined"

    def __repr__(self) -> str:
        return repr(self.value)


_ACHIEVED: Final = Status.ACHIEVED
_NOT_ACHIEVED: Final = Status.NOT_ACHIEVED
_NO_TARGET: Final = Status.NO_TARGET
_NO_DATA: Final = Status.NO_DATA
_UNDEFINED: Final = Status.UNDEFINED
_SUM: Final = Aggregation.SUM
_LAST: Final = Aggregation.LAST
_AVERAGE: Final = Aggregation.AVERAGE
_MAX: Final = Aggregation.MAX
_LOWER: Final = Polarity.LOWER_IS_BETTER
_INVERSE: Final = LowerIsBetterFormula.INVERSE
_ANNUAL: Final = PeriodTarget.ANNUAL

_STATUS_TEXT: Final = {
    "id": {
        Status.ACHIEVED: "tercapai",
        Status.NOT_ACHIEVED: "tidak tercapai",
        Status.NO_TARGET: "tidak ada target",
        Status.NO_DATA: "tidak ada data",
        Status.UNDEFINED: "tidak terdefinisi",
    },
    "en": {
        Status.ACHIEVED: "achieved",
        Status.NOT_ACHIEVED: "not achieved",
        Status.NO_TARGET: "no target",
        Status.NO_DATA: "no data",
        Status.UNDEFINED: "undefined",
    },
}


# --- exact ratios ---------------------------------------------------------------------------
def _add(a: Ratio, b: Ratio) -> Ratio:
    if a[1] == b[1]:
        return (a[0] + b[0], a[1])
    return (a[0] * b[1] + b[0] * a[1], a[1] * b[1])


def _lt(a: Ratio, b: Ratio) -> bool:
    return a[0] * b[1] < b[0] * a[1]


def _ratio(numerator: int, denominator: int) -> Ratio:
    if denominator < 0:
        return (-numerator, -denominator)
    return (numerator, denominator)


def _round(value: Ratio, places: int) -> Decimal:
    """``value`` rounded once, half away from zero, to ``places`` decimals."""
    n, d = value
    q, r = divmod(abs(n) * 10**places, d)
    if 2 * r >= d:
        q += 1
    return Decimal(-q if n < 0 else q).scaleb(-places, _EXACT)


def _decimal(value: Ratio) -> Decimal:
    """Exact when ``value`` has a finite decimal expansion, else 28 significant digits
    (the convention of :meth:`iki_core.units.Quantity.to`); percent and progress are
    always computed from the exact ratio, never from this."""
    n, d = value
    if d == 1:
        return Decimal(n)
    return _DIVIDE.divide(Decimal(n), Decimal(d))


# --- results ----------------------------------------------------------------------------------
@attrs.frozen
class Notice:
    """A warning of an achievement: what does not stop the computation but a reviewer
    should know, with a stable ``code`` and its text in English (``en``) and Indonesian
    (``id``).

    Codes: ``numerator-above-denominator``, ``late-report``, ``overlap``, ``missing``
    (periods without a realisation inside the figures to date), ``percent-values``
    (percentages reported without X and Y), ``plan-conflict`` (quarterly targets under a
    year without one), ``no-target-entry`` (no readable target for the year).
    """

    code: str
    en: str
    id: str

    def text(self, lang: str = "id") -> str:
        """The text in ``lang``: ``"id"`` (default) or ``"en"``."""
        if lang == "id":
            return self.id
        if lang == "en":
            return self.en
        raise InvalidValueError(field="lang", expected="'id' or 'en'", value=lang)


_NO_NOTICES: Final[tuple[Notice, ...]] = ()


@attrs.frozen(slots=False)
class Achievement:
    """The achievement (capaian) of one indicator in one period, with its working.

    ``target`` is the target for the period (cumulative), ``annual_target`` the year's
    target as written, ``realised`` the realisation to date (in the indicator's unit),
    ``percent`` the achievement against ``target`` and ``progress`` against the annual
    target (both rounded once, half-up). ``nilai`` is the nilai capaian of ``percent`` when
    the rules' scale defines one (PermenPANRB 8/2021), rounded once, half-up, to
    ``rules.places``; None otherwise. ``reference`` is ``"sheet:id"`` when computed from a
    document. ``warnings`` are in English; ``notices`` are the same warnings, in the same
    order, each with a stable code and its Indonesian text (:class:`Notice`), and
    :meth:`warnings_in` gives them in either language. :meth:`explain` shows the
    derivation.
    """

    indicator: Indicator = attrs.field(repr=lambda i: repr(i.id))
    period: Period
    reference: str | None
    target: Quantity | None
    annual_target: Quantity | Range | None
    realised: Quantity | None
    percent: Decimal | None
    progress: Decimal | None
    status: Status
    rating: str | None
    warnings: tuple[str, ...] = ()
    nilai: Decimal | None = None
    _realisations: tuple[Realisation, ...] = attrs.field(default=(), eq=False, repr=False)
    _rules: Rules | None = attrs.field(default=None, eq=False, repr=False)
    notices: tuple[Notice, ...] = attrs.field(default=(), kw_only=True, eq=False, repr=False)

    def warnings_in(self, lang: str = "id") -> tuple[str, ...]:
        """The warnings in Indonesian (``"id"``, default) or English (``"en"``, the same as
        ``warnings``). An achievement built by hand without ``notices`` keeps its
        ``warnings`` as written in both languages."""
        if lang not in ("id", "en"):
            raise InvalidValueError(field="lang", expected="'id' or 'en'", value=lang)
        notices = self.notices
        if lang == "en" or len(notices) != len(self.warnings):
            return self.warnings
        return tuple(n.id for n in notices)

    def explain(self, lang: str = "id") -> str:
        """The derivation in words and numbers a reviewer can check, in Indonesian
        (``"id"``, default) or English (``"en"``)."""
        if lang not in ("id", "en"):
            raise InvalidValueError(field="lang", expected="'id' or 'en'", value=lang)
        rules = self._rules if self._rules is not None else _rules.DEFAULT_RULES
        plan = _Plan(self.indicator, rules)
        plan.fast_sum = False  # the general path records its working
        series = plan.prepare(self._realisations, self.reference).get(self.period.year)
        details: list[tuple[Any, ...]] = []
        _evaluate(plan, series, _PeriodInfo(self.period, rules), self.reference, details)
        return _Explainer(self, plan, lang).render(details)


@attrs.frozen
class Rollup:
    """A mean achievement over the indicators of an objective or a sheet: the
    "rata-rata capaian kinerja" row of the Permendagri 86/2017 evaluation form.

    ``reference`` is ``"2:1"`` (sheet 2, objective number 1) or ``"2"`` (sheet 2);
    ``percent`` is the (weighted) mean of the published percents that exist, rounded once;
    ``count`` how many were averaged.
    """

    level: Literal["objective", "sheet"]
    reference: str
    name: str
    period: Period
    percent: Decimal | None
    count: int
    rating: str | None


# --- the compiled plan of one indicator ---------------------------------------------------
class _Entry:
    """A realisation resolved once: its months and its value(s) as exact ratios in the
    indicator's unit."""

    __slots__ = ("first", "last", "mask", "real", "value", "warning", "x", "y")

    def __init__(
        self,
        real: Realisation,
        months: _Months,
        value: Ratio | None,
        x: Ratio | None = None,
        y: Ratio | None = None,
        warning: Notice | None = None,
    ) -> None:
        self.real = real
        _, self.first, self.last, self.mask = months
        self.value = value
        self.x = x
        self.y = y
        self.warning = warning


_Months = tuple[Period, int, int, int]
"""A period with its first and last month and the bit mask of its months."""

_Raw = tuple[Realisation, _Months, "Ratio | None", "Ratio | None", "Ratio | None", "Notice | None"]
"""A realisation resolved: its months, its value (or X and Y) in the indicator's unit, and
a warning of its own."""


def _months(cache: dict[int, _Months], period: Period) -> _Months:
    """The months of ``period``, cached by identity (the entry keeps the period alive)."""
    m = cache.get(id(period))
    if m is None or m[0] is not period:
        first, last = period.first_month, period.last_month
        m = (period, first, last, ((1 << last) - 1) ^ ((1 << (first - 1)) - 1))
        cache[id(period)] = m
    return m


class _Year:
    """What one year of an indicator asks for, resolved once."""

    __slots__ = (
        "annual",
        "bounds",
        "conflict",
        "high",
        "low",
        "plan",
        "quantity",
        "simple",
        "target_q",
        "target_text",
        "window",
        "window_mask",
    )

    def __init__(self) -> None:
        self.annual: Ratio | None = None  # a single target, in the indicator's unit
        self.low: Ratio | None = None  # a range target's bounds
        self.high: Ratio | None = None
        self.bounds: tuple[Ratio, Ratio] | None = None
        self.quantity: Quantity | Range | None = None  # as written
        self.target_text: str | None = None  # None: no entry for the year at all
        self.plan: tuple[Ratio | None, ...] | None = None
        self.conflict = False  # a plan with targets under a "-" year
        self.window: EventWindow | None = None
        self.window_mask = (1 << 12) - 1
        self.simple = False  # a single positive target, no plan, no event window
        self.target_q: Quantity | None = None  # the annual target in the indicator's unit


_NO_YEAR: Final = _Year()  # a placeholder, never read


class _Series:
    """One year of an indicator's realisations, in period order, with running state: each
    period reads its to-date figures at one index instead of re-adding.

    ``state[k]`` describes the first ``k`` entries: (months covered as a bit mask, the
    latest first month, whether anything calls for a warning besides gaps, the running
    aggregate: sum, or X for percentages, or maximum, and the running sum of Y);
    ``latest[k]`` the latest date on which one of them was reported."""

    __slots__ = ("_entries", "all_ratio", "lasts", "latest", "raw", "reals", "state")

    def __init__(self, plan: _Plan, raw: list[_Raw]) -> None:
        last = 0
        for item in raw:
            if item[1][2] <= last:  # out of order, or two periods ending together
                raw.sort(key=_raw_key)
                break
            last = item[1][2]
        self.raw = raw
        self._entries: list[_Entry] | None = None
        self.lasts: list[int] = []
        lasts = self.lasts
        reals: list[Realisation] = []
        is_pct = plan.is_pct
        pct_sum = is_pct and plan.sum
        is_max = plan.agg is _MAX and not is_pct
        all_ratio = True
        covered = maxfirst = 0
        trouble = False
        n, d = 0, 1
        yn, yd = 0, 1
        best: Ratio = _ZERO
        latest: dt.date | None = None
        self.state: list[tuple[int, int, bool, Ratio, Ratio]] = [(0, 0, False, _ZERO, _ZERO)]
        self.latest: list[dt.date | None] = [None]
        state = self.state
        latest_list = self.latest
        for r, (_, first, last, mask), v, x, y, warning in raw:
            reals.append(r)
            lasts.append(last)
            if (
                covered & mask
                or warning is not None
                or (pct_sum and x is None)  # a percentage reported without X and Y
            ):
                trouble = True
            reported = r.reported_on
            if reported is not None and (latest is None or reported > latest):
                latest = reported
            covered |= mask
            if first > maxfirst:
                maxfirst = first
            latest_list.append(latest)
            if is_pct:
                if x is None or y is None:
                    all_ratio = False
                elif all_ratio:
                    n, d = _add((n, d), x)
                    yn, yd = _add((yn, yd), y)
                state.append((covered, maxfirst, trouble, (n, d), (yn, yd)))
                continue
            assert v is not None
            if is_max:
                if len(state) == 1 or _lt(best, v):
                    best = v
                state.append((covered, maxfirst, trouble, best, _ZERO))
                continue
            if v[1] == d:
                n += v[0]
            else:
                n, d = n * v[1] + v[0] * d, d * v[1]
            state.append((covered, maxfirst, trouble, (n, d), _ZERO))
        self.reals = tuple(reals)
        self.all_ratio = all_ratio

    @property
    def entries(self) -> list[_Entry]:
        """The realisations as entries, in period order (built when first asked for)."""
        if self._entries is None:
            self._entries = [_Entry(*item) for item in self.raw]
        return self._entries


def _ceil_scaled(value: Decimal, unit: int) -> int:
    """The least integer q with q / unit >= value."""
    n, d = value.as_integer_ratio()
    return -((-n * unit) // d)


class _Shared:
    """What every indicator of one computation shares: the rules' rating thresholds as
    integers (percent x 10**places, rounded up, so that ``q >= threshold`` is exactly
    ``percent >= band.min``), the scale's nilai (None when no band has a nilai formula, so
    that scales without one cost nothing per period) and a cache of the months of each
    period met."""

    __slots__ = ("cent", "hundred", "labels", "months", "nilai", "thresholds")

    def __init__(self, rules: Rules) -> None:
        scale = rules.scale
        unit = 10**rules.places
        ordered = scale.bands[::-1]  # lowest first
        self.thresholds = [_ceil_scaled(b.min, unit) for b in ordered if b.min is not None]
        self.labels = tuple(b.label for b in ordered)
        self.hundred = 100 * unit
        self.cent = Decimal((0, (1,), -rules.places))  # one unit of the last place kept
        self.months: dict[int, _Months] = {}
        self.nilai = scale.nilai if any(b.nilai is not None for b in scale.bands) else None


class _PeriodInfo:
    """The facts of a period the hot path reads, computed once per period."""

    __slots__ = ("end", "first", "full", "last", "late_after", "period", "year")

    def __init__(self, period: Period, rules: Rules) -> None:
        self.period = period
        self.year = period.year
        self.first = period.first_month
        self.last = period.last_month
        self.end = period.end
        self.full = (1 << self.last) - 1
        grace = rules.report_grace_days
        # a report dated after this day is late (rules.report_grace_days)
        self.late_after = dt.date.max if grace is None else self.end + dt.timedelta(days=grace)


class _Plan:
    """An indicator compiled against rules: unit factors, formulas and targets resolved
    once, so that each period costs only integer arithmetic."""

    __slots__ = (
        "additive",
        "agg",
        "annual_rule",
        "event",
        "factor",
        "factors",
        "fast_ratio",
        "fast_sum",
        "indicator",
        "inverse",
        "is_pct",
        "lower",
        "months",
        "places",
        "prorate",
        "rate",
        "rules",
        "scale",
        "shared",
        "simple",
        "sum",
        "unit",
        "years",
    )

    def __init__(
        self,
        indicator: Indicator,
        rules: Rules,
        shared: _Shared | None = None,
    ) -> None:
        kind = indicator.kind
        self.indicator = indicator
        self.rules = rules
        self.unit: Unit = kind.unit
        self.is_pct = type(kind) is PercentageFormula
        self.factor: Ratio = (
            kind.factor.as_integer_ratio() if isinstance(kind, PercentageFormula) else _HUNDRED
        )
        self.event: EventReport | None = kind if isinstance(kind, EventReport) else None
        self.agg = agg = indicator.aggregation
        self.sum = agg is _SUM
        self.additive = agg is _SUM or agg is _AVERAGE
        self.prorate = self.sum and not self.is_pct
        self.lower = indicator.polarity is _LOWER
        self.inverse = rules.lower_is_better is _INVERSE
        self.annual_rule = rules.period_target is _ANNUAL
        self.factors: dict[int, tuple[Unit, Ratio]] = {}
        self.years: dict[int, _Year] = {}
        self.shared = shared if shared is not None else _Shared(rules)
        self.months = self.shared.months
        self.places = rules.places
        self.scale = 100 * 10**rules.places  # percent points, then the places kept
        self.rate = rules.scale.rate
        self.fast_sum = self.sum and not self.is_pct
        self.fast_ratio = self.sum and self.is_pct
        self.simple = rules.cap is None and not self.annual_rule

    # units -------------------------------------------------------------------------
    def convert(self, q: Quantity, field: str) -> Ratio:
        """``q`` in the indicator's unit (a bare number is read in it), exactly."""
        u = q.unit
        n, d = q.magnitude.as_integer_ratio()
        if u is self.unit or u is BARE:
            return (n, d)
        cached = self.factors.get(id(u))
        if cached is None or cached[0] is not u:
            if u == self.unit or u.is_bare:
                cached = (u, _ONE)
            elif not u.is_compatible(self.unit):
                raise UnitMismatchError(
                    q.text or str(q),
                    self.unit.name or "a bare number",
                    left_unit=u.name,
                    right_unit=self.unit.name,
                    field=field,
                )
            else:
                fr = u.factor_to(self.unit)
                cached = (u, (fr.numerator, fr.denominator))
            self.factors[id(u)] = cached
        f = cached[1]
        if f is _ONE:
            return (n, d)
        return (n * f[0], d * f[1])

    # targets -----------------------------------------------------------------------
    def year(self, year: int) -> _Year:
        y = self.years.get(year)
        if y is not None:
            return y
        y = _Year()
        ind = self.indicator
        t = ind.target_for(year)
        if t is not None:
            value = t.value
            y.target_text = t.text or ("-" if value is None else str(value))
            y.quantity = value
            if isinstance(value, Range):
                field = f"Indicator {ind.id} target {year}"
                y.low = self.convert(value.low, field)
                y.high = self.convert(value.high, field)
                y.bounds = (y.low, y.high)
            elif value is not None:
                u = value.unit
                if u is self.unit or u is BARE:  # as convert() would, without its label
                    y.annual = value.magnitude.as_integer_ratio()
                else:
                    y.annual = self.convert(value, f"Indicator {ind.id} target {year}")
        p = ind.plan_for(year)
        if p is not None:
            field = f"Indicator {ind.id} plan {year}"
            y.plan = tuple(None if q is None else self.convert(q, field) for q in p.quarters)
            y.conflict = y.quantity is None and any(q is not None for q in y.plan)
        if self.event is not None:
            w = y.window = self.event.window(year)
            y.window_mask = ((1 << w.last_month) - 1) ^ ((1 << (w.first_month - 1)) - 1)
        if y.annual is not None:
            q = y.quantity
            assert isinstance(q, Quantity)
            same = q.unit is self.unit or q.unit == self.unit
            y.target_q = q if same else Quantity(_decimal(y.annual), self.unit)
        y.simple = y.annual is not None and y.annual[0] > 0 and y.plan is None and y.window is None
        self.years[year] = y
        return y

    # realisations --------------------------------------------------------------------
    def prepare(
        self, realisations: Iterable[Realisation], reference: str | None
    ) -> dict[int, _Series]:
        """The realisations resolved and grouped by year, each year's in period order."""
        by_year: dict[int, list[_Raw]] = {}
        months = self.months
        unit = self.unit
        for r in realisations:
            period = r.period
            m = months.get(id(period))
            if m is None or m[0] is not period:
                m = _months(months, period)
            v = r.value
            if v is not None:
                u = v.unit
                if u is unit or u is BARE:
                    value = v.magnitude.as_integer_ratio()
                else:
                    value = self.convert(v, _field(self, reference, r))
                e: _Raw = (r, m, value, None, None, None)
            else:
                e = self._ratio_entry(r, m, reference)
            bucket = by_year.get(period.year)
            if bucket is None:
                by_year[period.year] = [e]
            else:
                bucket.append(e)
        return {year: _Series(self, entries) for year, entries in by_year.items()}

    def _ratio_entry(self, r: Realisation, months: _Months, reference: str | None) -> _Raw:
        assert r.numerator is not None
        assert r.denominator is not None
        if not self.is_pct:
            raise InvalidValueError(
                field=_field(self, reference, r),
                expected=f"a value in {self.unit.name or 'a bare number'} "
                "(numerator and denominator belong to percentage formulas)",
                value=f"numerator={r.numerator}, denominator={r.denominator}",
            )
        warning = None
        if r.numerator > r.denominator:
            x, y = format_number(r.numerator, lang="id"), format_number(r.denominator, lang="id")
            warning = Notice(
                "numerator-above-denominator",
                f"realisation {r.period}: numerator {r.numerator} is above its "
                f"denominator {r.denominator} (cases carried over from the previous "
                "year can do that)",
                f"realisasi {r.period}: pembilang {x} melebihi penyebutnya {y} (hal ini "
                "dapat terjadi karena kasus limpahan dari tahun sebelumnya)",
            )
        return (
            r,
            months,
            None,
            r.numerator.as_integer_ratio(),
            r.denominator.as_integer_ratio(),
            warning,
        )


def _field(plan: _Plan, reference: str | None, r: Realisation) -> str:
    return f"realisation {reference or plan.indicator.id} {r.period}"


def _raw_key(raw: _Raw) -> tuple[int, int, dt.date]:
    """Period order: by last month, then first month, then date reported (the sort is
    stable: ties keep the order given)."""
    return (raw[1][2], raw[1][1], raw[0].reported_on or dt.date.min)


# --- one period -------------------------------------------------------------------------------
def _target(plan: _Plan, y: _Year, pi: _PeriodInfo) -> tuple[Any, ...]:
    """(kind, target or None, bounds or None, details...) for the period."""
    last = pi.last
    if y.quantity is None:
        return ("none", None, None, "no_entry" if y.target_text is None else "dash")
    w = y.window
    if w is not None and (last < w.first_month or pi.first > w.last_month):
        return ("none", None, None, "window")
    if plan.annual_rule:
        return ("annual_rule", y.annual, y.bounds)
    if y.plan is not None:
        return _plan_target(plan, y.plan, pi.first, last)
    if not plan.prorate or last == 12:
        return ("annual", y.annual, y.bounds)
    if w is not None:
        elapsed = min(last, w.last_month) - w.first_month + 1
        if elapsed == w.months:
            return ("annual", y.annual, y.bounds)
        num, den = elapsed, w.months
        kind = "event"
    else:
        num, den = last, 12
        kind = "prorated"
    if y.low is not None and y.high is not None:
        low = (y.low[0] * num, y.low[1] * den)
        high = (y.high[0] * num, y.high[1] * den)
        return (kind, None, (low, high), num, den)
    assert y.annual is not None
    return (kind, (y.annual[0] * num, y.annual[1] * den), None, num, den)


def _plan_target(
    plan: _Plan, quarters: tuple[Ratio | None, ...], first: int, last: int
) -> tuple[Any, ...]:
    """The target of the period from months ``first`` to ``last`` under the quarterly plan,
    by the rule :class:`~iki_core.rules.PeriodTarget` states ("-" is no target, not 0)."""
    qe = (last - 1) // 3 + 1
    current = quarters[qe - 1]
    if not plan.prorate:
        if current is None:
            return ("none", None, None, "plan_dash", qe, qe)
        return ("plan_level", current, None, qe)
    qf = (first - 1) // 3 + 1
    if all(e is None for e in quarters[qf - 1 : qe]):
        return ("none", None, None, "plan_dash", qf, qe)
    used = quarters[: qe - 1]
    part = last - 3 * (qe - 1)
    total = _ZERO
    for e in used:
        if e is not None:
            total = _add(total, e)
    if current is not None:
        total = _add(total, (current[0] * part, current[1] * 3))
    return ("plan_sum", total, None, used, current, part)


def _realised(plan: _Plan, s: _Series, k: int) -> tuple[Any, ...]:
    """(kind, value or None, details...): the realisation to date (the first ``k``
    entries of the year), aggregated."""
    if plan.is_pct:
        return _realised_ratio(plan, s, k)
    agg = plan.agg
    if agg is _SUM:
        return ("sum", s.state[k][3], s.entries[:k])
    if agg is _LAST:
        return ("last", s.entries[k - 1].value, s.entries[k - 1])
    if agg is _AVERAGE:
        total = s.state[k][3]
        return ("average", (total[0], total[1] * k), s.entries[:k])
    return ("max", s.state[k][3], s.entries[:k])


def _realised_ratio(plan: _Plan, s: _Series, k: int) -> tuple[Any, ...]:
    counted = s.entries[:k]
    if s.all_ratio:
        ratios = counted
    else:
        ratios = [e for e in counted if e.x is not None]
        if not ratios:
            return ("pct_last_value", counted[-1].value, counted[-1])
        e = next(e for e in counted if e.x is None)
        raise InvalidValueError(
            field=f"realisation {plan.indicator.id} {e.real.period}",
            expected="X and Y (numerator and denominator) like the other realisations "
            "of this percentage formula",
            value=str(e.real.value),
        )
    if plan.sum:
        x, y = s.state[k][3], s.state[k][4]
        chosen: Sequence[_Entry] = ratios
    else:
        last = ratios[-1]
        assert last.x is not None
        assert last.y is not None
        x, y = last.x, last.y
        chosen = (last,)
    if y[0] == 0:
        policy = plan.rules.zero_denominator
        value = (
            None
            if policy is ZeroDenominator.UNDEFINED
            else _ZERO
            if policy is ZeroDenominator.ZERO
            else _HUNDRED
        )
        return ("ratio", value, chosen, x, y, True)
    f = plan.factor
    return ("ratio", _ratio(x[0] * y[1] * f[0], x[1] * y[0] * f[1]), chosen, x, y, False)


def _achieve(plan: _Plan, r: Ratio, t: Ratio) -> tuple[Ratio | None, str]:
    """Realisation ``r`` against target ``t``, in percent (exact), and the rule applied."""
    rn, rd = r
    tn, td = t
    if tn == 0:
        rules = plan.rules
        if plan.lower:
            if rules.zero_target_lower is ZeroTargetLower.ALL_OR_NOTHING:
                return (_HUNDRED if rn <= 0 else _ZERO), "zero_lower"
            return None, "zero_lower"
        policy = rules.zero_target_higher
        if policy is ZeroTargetHigher.UNDEFINED:
            return None, "zero_higher"
        return (_ZERO if policy is ZeroTargetHigher.ZERO else _HUNDRED), "zero_higher"
    if not plan.lower:
        n, d = rn * td * 100, rd * tn
        return ((n, d) if d > 0 else (-n, -d)), "higher"
    if plan.inverse:
        if rn == 0:
            return None, "inverse_zero"
        return _ratio(tn * rd * 100, td * rn), "inverse"
    p = _kondisi_khusus(r, t)
    if p[0] < 0:
        return _ZERO, "floored"
    return p, "kondisi_khusus"


def _kondisi_khusus(r: Ratio, t: Ratio) -> Ratio:
    """(2T - R) / T x 100 before the floor at 0 (PermenPANRB 8/2021 annex, "kondisi
    khusus"); T is not 0."""
    rn, rd = r
    tn, td = t
    return _ratio((2 * tn * rd - rn * td) * 100, tn * rd)


def _against(
    plan: _Plan, r: Ratio, t: Ratio | None, bounds: tuple[Ratio, Ratio] | None
) -> tuple[Ratio | None, str, Ratio | None, str]:
    """(percent, rule, the target compared with, range position) for a single or range
    target."""
    if bounds is None:
        assert t is not None
        p, how = _achieve(plan, r, t)
        return p, how, t, ""
    low, high = bounds
    if plan.rules.range_target is RangeRule.ENTRY_BOUND:
        bound = high if plan.lower else low
        p, how = _achieve(plan, r, bound)
        return p, how, bound, "entry"
    if _lt(r, low):
        p, how = _achieve(plan, r, low)
        return p, how, low, "below"
    if _lt(high, r):
        p, how = _achieve(plan, r, high)
        return p, how, high, "above"
    return _HUNDRED, "inside", low if not plan.lower else high, "inside"


def _finish(rules: Rules, p: Ratio | None) -> tuple[Decimal | None, bool]:
    """The published figure: capped (rules.cap) and rounded once, half-up."""
    if p is None:
        return None, False
    cap = rules.cap
    if cap is not None:
        c = cap.as_integer_ratio()
        if _lt(c, p):
            return _round(c, rules.places), True
    return _round(p, rules.places), False


_new = object.__new__
_QUANTITY_SLOTS: Final = Quantity.__dict__  # attrs gives Quantity __slots__
_set_magnitude: Final = _QUANTITY_SLOTS["magnitude"].__set__
_set_unit: Final = _QUANTITY_SLOTS["unit"].__set__
_set_text: Final = _QUANTITY_SLOTS["text"].__set__
_set_noun: Final = _QUANTITY_SLOTS["noun"].__set__


def _fast_quantity(magnitude: Decimal, unit: Unit) -> Quantity:
    """``Quantity(magnitude, unit)`` without re-validating what the engine built itself
    (a Decimal and a resolved Unit): its slots are set directly, which costs a third of
    the checked constructor. The hot path of :func:`_evaluate_many` inlines this."""
    q: Quantity = _new(Quantity)
    _set_magnitude(q, magnitude)
    _set_unit(q, unit)
    _set_text(q, None)
    _set_noun(q, None)
    return q


def _quantity(value: Ratio, plan: _Plan, y: _Year | None = None) -> Quantity:
    if y is not None and value is y.annual:
        q = y.quantity
        if isinstance(q, Quantity) and q.unit is plan.unit:
            return q
    return _fast_quantity(_decimal(value), plan.unit)


def _evaluate_many(
    plan: _Plan,
    by_year: Mapping[int, _Series],
    periods: Sequence[_PeriodInfo],
    reference: str | None,
    out: list[Achievement],
) -> None:
    """Append the achievement of each period to ``out``.

    The common case is computed inline, with everything that does not change between
    periods read once: a single positive annual target without plan, event window, range
    or cap, a realisation within the period and nothing to warn about. Every other period
    goes to :func:`_evaluate`, the general path, which gives the same figures (the tests
    hold the two equal)."""
    indicator = plan.indicator
    rules = plan.rules
    unit = plan.unit
    shared = plan.shared
    thresholds = shared.thresholds
    labels = shared.labels
    hundred = shared.hundred
    cent = shared.cent
    scale = plan.scale
    lower = plan.lower
    inverse = plan.inverse
    prorate = plan.prorate
    fast_sum = plan.fast_sum
    fast_ratio = plan.fast_ratio
    additive = plan.additive
    factor_n, factor_d = plan.factor
    simple = plan.simple
    nilai_of = shared.nilai  # None for scales without a nilai: resolved once per run
    places = plan.places
    nilai: Decimal | None = None
    seen_year = 0
    s: _Series | None = None
    y = _NO_YEAR
    prev_s: _Series | None = None  # the last period computed inline, for reuse
    prev_k = prev_last = 0
    target = realised = _NO_QUANTITY
    percent = progress = _NO_DECIMAL
    status = _NOT_ACHIEVED
    rating = ""
    reals: tuple[Realisation, ...] = ()
    for pi in periods:
        year = pi.year
        if year != seen_year:  # periods mostly share a year: look it up once
            seen_year = year
            s = by_year.get(year)
            y = plan.year(year)
        if not simple or s is None or not y.simple:
            out.append(_evaluate(plan, s, pi, reference, None))
            continue
        last = pi.last
        k = bisect_right(s.lasts, last)
        covered, maxfirst, trouble, (rn, rd), (yn, yd) = s.state[k]
        reported = s.latest[k]
        if (
            not k
            or maxfirst < pi.first
            or trouble
            or (additive and pi.full & ~covered)
            or (reported is not None and reported > pi.late_after)
        ):
            out.append(_evaluate(plan, s, pi, reference, None))
            continue
        # the same realisations against the same target as the period before (Q4 and the
        # year, both to December) keep its figures: only the computation is skipped
        if s is not prev_s or k != prev_k or last != prev_last:
            if fast_sum:
                pass
            elif fast_ratio and s.all_ratio:
                if yn == 0:
                    out.append(_evaluate(plan, s, pi, reference, None))
                    continue
                rn, rd = rn * yd * factor_n, rd * yn * factor_d
            else:
                out.append(_evaluate(plan, s, pi, reference, None))
                continue
            if lower and inverse and rn <= 0:
                out.append(_evaluate(plan, s, pi, reference, None))
                continue
            an, ad = y.annual  # type: ignore[misc]  # y.simple: a single positive target
            if prorate and last != 12:
                tn, td = an * last, ad * 12
                whole, part = divmod(tn, td)
                target = _new(Quantity)
                _set_magnitude(
                    target, Decimal(whole) if not part else _divide(Decimal(tn), Decimal(td))
                )
                _set_unit(target, unit)
                _set_text(target, None)
                _set_noun(target, None)
            else:
                tn, td = an, ad
                target = y.target_q  # type: ignore[assignment]  # set when y.simple
            if not lower:
                n, d = rn * td * scale, rd * tn
            elif inverse:
                n, d = tn * rd * scale, td * rn
            else:
                n, d = (2 * tn * rd - rn * td) * scale, tn * rd
                if n < 0:
                    n = 0
            q, rem = divmod(n, d)
            if 2 * rem >= d:
                q += 1
            percent = _multiply(q, cent)  # q x 10**-places, exactly
            if td == ad and tn == an:
                progress = percent
            else:
                if not lower:
                    n, d = rn * ad * scale, rd * an
                elif inverse:
                    n, d = an * rd * scale, ad * rn
                else:
                    n, d = (2 * an * rd - rn * ad) * scale, an * rd
                    if n < 0:
                        n = 0
                g, rem = divmod(n, d)
                if 2 * rem >= d:
                    g += 1
                progress = _multiply(g, cent)
            realised = _new(Quantity)
            _set_magnitude(realised, Decimal(rn) if rd == 1 else _divide(Decimal(rn), Decimal(rd)))
            _set_unit(realised, unit)
            _set_text(realised, None)
            _set_noun(realised, None)
            status = _ACHIEVED if q >= hundred else _NOT_ACHIEVED
            rating = labels[bisect_right(thresholds, q)]
            if nilai_of is not None:
                nilai = nilai_of(percent, places)
            reals = s.reals[:k]
            prev_s, prev_k, prev_last = s, k, last
        out.append(
            Achievement(
                indicator,
                pi.period,
                reference,
                target,
                y.quantity,
                realised,
                percent,
                progress,
                status,
                rating,
                _NO_WARNINGS,
                nilai,
                reals,
                rules,
            )
        )


def _evaluate(
    plan: _Plan,
    series: _Series | None,
    pi: _PeriodInfo,
    reference: str | None,
    details: list[tuple[Any, ...]] | None,
) -> Achievement:
    y = plan.years.get(pi.year) or plan.year(pi.year)
    rules = plan.rules

    # the realisations from the start of the year to the end of the period: the first k
    k = 0 if series is None else bisect_right(series.lasts, pi.last)
    in_period = k > 0 and series is not None and series.state[k][1] >= pi.first

    tgt = _target(plan, y, pi)
    kind = tgt[0]
    t: Ratio | None = tgt[1]
    bounds: tuple[Ratio, Ratio] | None = tgt[2]
    if details is not None:
        details.append(("target", *tgt))
    target_q = None if t is None else _quantity(t, plan, y)

    notices = _NO_NOTICES
    reals: tuple[Realisation, ...] = ()
    if k:
        assert series is not None
        reals = series.reals[:k]
        reported = series.latest[k]
        if (
            series.state[k][2]
            or (reported is not None and reported > pi.late_after)
            or y.conflict
            or (plan.additive and (pi.full & y.window_mask) & ~series.state[k][0])
        ):
            notices = _notices(plan, series, k, pi, y)

    realised_q: Quantity | None = None
    percent: Decimal | None = None
    progress: Decimal | None = None
    rating: str | None = None
    nilai: Decimal | None = None
    if not in_period:
        if details is not None:
            details.append(("realised", "none"))
        if bounds is not None:
            target_q = _quantity(bounds[1] if plan.lower else bounds[0], plan)
        status = _NO_TARGET if kind == "none" else _NO_DATA
    else:
        assert series is not None
        if plan.fast_sum:
            r: Ratio | None = series.state[k][3]
        else:
            rl = _realised(plan, series, k)
            r = rl[1]
            if details is not None:
                details.append(("realised", *rl))
        assert details is None or not plan.fast_sum
        realised_q = None if r is None else _quantity(r, plan)

        if kind == "none":
            status = _NO_TARGET
        elif r is None:
            status = _UNDEFINED
            if bounds is not None:
                target_q = _quantity(bounds[1] if plan.lower else bounds[0], plan)
        else:
            p, how, compared, position = _against(plan, r, t, bounds)
            if bounds is not None:
                assert compared is not None
                target_q = _quantity(compared, plan)
            percent, capped = _finish(rules, p)
            if t is y.annual and bounds is y.bounds:
                g, g_how, g_compared, g_position = p, how, compared, position
                progress, g_capped = percent, capped
            else:
                g, g_how, g_compared, g_position = _against(plan, r, y.annual, y.bounds)
                progress, g_capped = _finish(rules, g)
            if details is not None:
                details.append(("percent", p, how, compared, position, percent, capped))
                details.append(("progress", g, g_how, g_compared, g_position, progress, g_capped))
            if percent is None:
                status = _UNDEFINED
            else:
                status = _ACHIEVED if percent >= 100 else _NOT_ACHIEVED
                rating = plan.rate(percent)
                nilai_of = plan.shared.nilai
                if nilai_of is not None:
                    nilai = nilai_of(percent, rules.places)
    if y.target_text is None:  # no Target entry for the year at all: say why
        notices = (_no_entry_notice(pi.year), *notices)
    return Achievement(
        plan.indicator,
        pi.period,
        reference,
        target_q,
        y.quantity,
        realised_q,
        percent,
        progress,
        status,
        rating,
        tuple(n.en for n in notices) if notices else _NO_WARNINGS,
        nilai,
        reals,
        rules,
        notices=notices,
    )


def _no_entry_notice(year: int) -> Notice:
    return Notice(
        "no-target-entry",
        f"no readable target for {year}: the indicator has no target entry for that year "
        "(a '-' would mean no target; a missing entry is usually a cell of the sheet that "
        "could not be read as a target, e.g. a truncated one)",
        f"tidak ada target yang terbaca untuk {year}: indikator tidak memiliki isian target "
        "untuk tahun itu ('-' berarti tidak ada target; isian yang hilang biasanya sel "
        "lembar yang tidak dapat dibaca sebagai target, misalnya yang terpotong)",
    )


def _notices(plan: _Plan, s: _Series, k: int, pi: _PeriodInfo, y: _Year) -> tuple[Notice, ...]:
    out: list[Notice] = []
    period = pi.period
    end = pi.end
    counted = s.entries[:k]
    for e in counted:
        if e.warning is not None:
            out.append(e.warning)
        reported = e.real.reported_on
        if reported is not None and reported > pi.late_after:
            days = plan.rules.report_grace_days
            out.append(
                Notice(
                    "late-report",
                    f"realisation {e.real.period} was reported on {reported.isoformat()}, "
                    f"more than {days} days after the end of {period} ({end.isoformat()})",
                    f"realisasi {e.real.period} dilaporkan {reported.isoformat()}, lebih dari "
                    f"{days} hari setelah akhir {period} ({end.isoformat()})",
                )
            )
    overlap = seen = 0
    for e in counted:
        overlap |= seen & e.mask
        seen |= e.mask
    if plan.additive and overlap:
        months = _months_text(pi.year, overlap)
        out.append(
            Notice(
                "overlap",
                f"realisations overlap in {months}: those months are counted more than once",
                f"realisasi tumpang tindih pada {months}: bulan-bulan itu terhitung lebih "
                "dari sekali",
            )
        )
    missing = pi.full & y.window_mask & ~seen
    if plan.additive and missing:
        months = _months_text(pi.year, missing)
        out.append(
            Notice(
                "missing",
                f"no realisation for {months}: the figures to date count the reported "
                "periods only (missing is not zero)",
                f"tidak ada realisasi untuk {months}: angka s.d. periode hanya menghitung "
                "periode yang dilaporkan (data kosong bukan nol)",
            )
        )
    if plan.is_pct and plan.sum and all(e.x is None for e in counted):
        out.append(
            Notice(
                "percent-values",
                "percentages were reported as values, not as X and Y: sum(X)/sum(Y) cannot "
                "be formed, the latest value is used",
                "persentase dilaporkan sebagai nilai, bukan sebagai X dan Y: sum(X)/sum(Y) "
                "tidak dapat dibentuk, nilai terakhir yang dipakai",
            )
        )
    if y.conflict:
        out.append(
            Notice(
                "plan-conflict",
                f"the plan of {pi.year} has quarterly targets but the year's target is "
                f"{y.target_text!r}",
                f"rencana aksi {pi.year} memuat target triwulanan, tetapi target tahunannya "
                f"{y.target_text!r}",
            )
        )
    return tuple(out) if out else _NO_NOTICES


def _months_text(year: int, mask: int) -> str:
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
    :data:`~iki_core.rules.DEFAULT_RULES`; ``reference`` ("2:1.2") is only recorded.

    >>> from iki_core.model import Count, Indicator, Polarity, Realisation, Target
    >>> from iki_core.units import parse_quantity
    >>> kasus = Indicator("1", "Jumlah kasus", Count(parse_quantity("1 kasus").unit),
    ...                   targets=[Target.parse(2021, "8 kasus")],
    ...                   polarity=Polarity.LOWER_IS_BETTER)
    >>> year = Period.parse("2021")
    >>> achievement(kasus, [Realisation("1", year, value=parse_quantity("9 kasus"))], year).percent
    Decimal('87.50')
    """
    plan = _Plan(indicator, rules if rules is not None else _rules.DEFAULT_RULES)
    out: list[Achievement] = []
    _evaluate_many(
        plan,
        plan.prepare(realisations, reference),
        (_PeriodInfo(period, plan.rules),),
        reference,
        out,
    )
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
    """
    rules = rules if rules is not None else _rules.DEFAULT_RULES
    wanted = [_PeriodInfo(p, rules) for p in dict.fromkeys(periods)]
    shared = _Shared(rules)
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
            plan = _Plan(ind, rules, shared)
            if reals is None:
                by_year: dict[int, _Series] = {}
            else:
                seen += 1
                by_year = plan.prepare(reals, ref)
            _evaluate_many(plan, by_year, wanted, ref, out)
    if seen != len(by_ref):
        known = [ref for ref, _ in document.references()]
        unknown = sorted(set(by_ref) - set(known))
        raise UnknownIndicatorError(unknown[0], known=known)
    return out


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
    period as first met.
    """
    if level not in ("objective", "sheet"):
        raise InvalidValueError(field="level", expected="'objective' or 'sheet'", value=level)
    rules = rules if rules is not None else _rules.DEFAULT_RULES
    groups: dict[tuple[int, int, Period], list[Achievement]] = {}
    names: dict[tuple[int, int], tuple[str, str]] = {}
    period_order: dict[Period, int] = {}
    sheet_index = {s.number: i for i, s in enumerate(document.sheets)}
    for a in achievements:
        if a.reference is None:
            raise InvalidValueError(
                field="rollup",
                expected="achievements computed from a document (with a reference)",
                value=f"{a.indicator.id} {a.period}",
            )
        sheet_no, _, ind_id = a.reference.partition(":")
        try:
            number = int(sheet_no)
            sheet = document.sheet(number)
        except (ValueError, UnknownIndicatorError):
            raise UnknownIndicatorError(
                a.reference, known=[r for r, _ in document.references()]
            ) from None
        if level == "sheet":
            key2 = (sheet_index[number], 0)
            names.setdefault(key2, (str(number), sheet.position))
        else:
            objective = sheet.objective_of(ind_id)
            oi = next(i for i, o in enumerate(sheet.objectives) if o is objective)
            key2 = (sheet_index[number], oi)
            names.setdefault(key2, (f"{number}:{objective.number}", objective.name))
        period_order.setdefault(a.period, len(period_order))
        groups.setdefault((*key2, a.period), []).append(a)
    out: list[Rollup] = []
    for key in sorted(groups, key=lambda k: (k[0], k[1], period_order[k[2]])):
        members = groups[key]
        reference, name = names[(key[0], key[1])]
        total = Fraction(0)
        weight = Fraction(0)
        count = 0
        for a in members:
            if a.percent is None:
                continue
            w = _weight(weights, a.reference)
            total += w * Fraction(a.percent)
            weight += w
            count += 1
        percent = round_half_up(total / weight, rules.places) if weight else None
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


def _weight(weights: Mapping[str, Decimal] | None, reference: str | None) -> Fraction:
    if weights is None or reference is None or reference not in weights:
        return Fraction(1)
    w: object = weights[reference]
    if isinstance(w, bool) or not isinstance(w, Decimal | int) or w < 0:
        raise InvalidValueError(
            field=f"weights[{reference!r}]", expected="a Decimal or int >= 0", value=w
        )
    return Fraction(w)


# --- explain ---------------------------------------------------------------------------
_WORDS: Final = {
    "id": {
        "realised": "Realisasi",
        "target": "target",
        "to": "s.d.",
        "year": "tahun",
        "percent": "capaian",
        "progress": "progres terhadap target tahunan",
        "status": "status",
        "rating": "predikat",
        "nilai": "nilai capaian",
        "warning": "peringatan",
        "no_data": "tidak ada data (tidak ada realisasi dalam {p}; data kosong bukan nol)",
        "latest": "nilai terakhir ({p})",
        "average": "rata-rata",
        "max": "nilai tertinggi dari",
        "plan": "rencana aksi",
        "annual": "target tahunan",
        "annual_rule": "target tahunan, rules.period_target = annual",
        "event": "kegiatan aktif {w}",
        "no_entry": "tidak ada target yang terbaca untuk {y}",
        "dash": "tidak ada target untuk {y} ('-')",
        "window": "di luar masa kegiatan ({w}): tidak ada target",
        "plan_dash": "rencana aksi TW {q}: '-' (tidak ada target)",
        "undefined": "tidak terdefinisi",
        "floored": "tidak kurang dari 0",
        "capped": "dibatasi rules.cap",
        "zero_lower": "target 0, semakin rendah semakin baik, realisasi {r}: {res} "
        "(rules.zero_target_lower = {rule})",
        "zero_higher": "target 0: {res} (rules.zero_target_higher = {rule})",
        "inverse_zero": "{t} / 0 x 100%: tidak terdefinisi (realisasi 0, "
        "rules.lower_is_better = inverse)",
        "zero_den": "Y = 0: {res} (rules.zero_denominator = {rule})",
        "below": "di bawah rentang {rng}, dibandingkan dengan batas bawah",
        "above": "di atas rentang {rng}, dibandingkan dengan batas atas",
        "inside": "di dalam rentang {rng}",
        "entry": "rentang {rng} dibaca sebagai target {b} (rules.range_target = entry_bound)",
        "no_value": "realisasi tidak bernilai",
        "pct_values": "nilai terakhir ({p}), persentase dilaporkan tanpa X dan Y",
    },
    "en": {
        "realised": "Realised",
        "target": "target",
        "to": "to",
        "year": "year",
        "percent": "achievement",
        "progress": "progress against the annual target",
        "status": "status",
        "rating": "rating",
        "nilai": "nilai capaian",
        "warning": "warning",
        "no_data": "no data (no realisation within {p}; missing is not zero)",
        "latest": "latest value ({p})",
        "average": "mean",
        "max": "highest of",
        "plan": "action plan",
        "annual": "annual target",
        "annual_rule": "annual target, rules.period_target = annual",
        "event": "event active {w}",
        "no_entry": "no readable target for {y}",
        "dash": "no target for {y} ('-')",
        "window": "outside the event's months ({w}): no target",
        "plan_dash": "action plan Q{q}: '-' (no target)",
        "undefined": "undefined",
        "floored": "not below 0",
        "capped": "capped by rules.cap",
        "zero_lower": "target 0, lower is better, realised {r}: {res} "
        "(rules.zero_target_lower = {rule})",
        "zero_higher": "target 0: {res} (rules.zero_target_higher = {rule})",
        "inverse_zero": "{t} / 0 x 100%: undefined (realised 0, rules.lower_is_better = inverse)",
        "zero_den": "Y = 0: {res} (rules.zero_denominator = {rule})",
        "below": "below the range {rng}, compared with the lower bound",
        "above": "above the range {rng}, compared with the upper bound",
        "inside": "inside the range {rng}",
        "entry": "the range {rng} read as the target {b} (rules.range_target = entry_bound)",
        "no_value": "the realisation has no value",
        "pct_values": "latest value ({p}), percentages reported without X and Y",
    },
}

_ROMAN: Final = ("I", "II", "III", "IV")


class _Explainer:
    def __init__(self, a: Achievement, plan: _Plan, lang: str) -> None:
        self.a = a
        self.plan = plan
        self.lang: Literal["id", "en"] = "en" if lang == "en" else "id"
        self.w = _WORDS[self.lang]

    # numbers ----------------------------------------------------------------------------
    def num(self, value: Ratio | Fraction | Decimal | int) -> str:
        """Exact when the decimal expansion ends, else "~ 45,83" (two places, half-up)."""
        f = Fraction(value[0], value[1]) if isinstance(value, tuple) else Fraction(value)
        d = f.denominator
        while d % 2 == 0:
            d //= 2
        while d % 5 == 0:
            d //= 5
        if d == 1:
            exact = _EXACT.divide(Decimal(f.numerator), Decimal(f.denominator))
            return format_number(exact, lang=self.lang)
        return "\u2248 " + format_number(round_half_up(f, 2), lang=self.lang)

    def qty(self, value: Ratio | Fraction | Decimal) -> str:
        return self.unit(self.num(value))

    def unit(self, text: str) -> str:
        u = self.plan.unit
        if u.is_bare:
            return text
        if u.dimension == PERCENT.dimension:
            return text + "%"
        return f"{text} {u.name}"

    def pct(self, value: Decimal) -> str:
        return format_number(value, places=self.plan.rules.places, lang=self.lang, percent=True)

    # periods ----------------------------------------------------------------------------
    def upto(self) -> str:
        p = self.a.period
        if p.kind is PeriodKind.YEAR:
            return f"{self.w['year']} {p.year}"
        return f"{self.w['to']} {self.short(p)}"

    def short(self, p: Period) -> str:
        if p.kind is PeriodKind.QUARTER:
            return f"TW {_ROMAN[p.index - 1]}" if self.lang == "id" else f"Q{p.index}"
        if p.kind is PeriodKind.SEMESTER:
            return f"Semester {_ROMAN[p.index - 1]}" if self.lang == "id" else f"H{p.index}"
        if p.kind is PeriodKind.MONTH:
            return (MONTHS_ID if self.lang == "id" else MONTHS_EN)[p.index - 1]
        return str(p.year)

    def window(self) -> str:
        y = self.plan.year(self.a.period.year)
        w = y.window
        assert w is not None
        names = MONTHS_ID if self.lang == "id" else MONTHS_EN
        return f"{names[w.first_month - 1]}-{names[w.last_month - 1]} {w.year}"

    def range_text(self, y: _Year) -> str:
        assert y.low is not None
        assert y.high is not None
        return self.unit(f"{self.num(y.low)}-{self.num(y.high)}")

    # parts ------------------------------------------------------------------------------
    def render(self, details: list[tuple[Any, ...]]) -> str:
        by = {d[0]: d[1:] for d in details}
        self.r_exact: Ratio | None = by["realised"][1] if len(by["realised"]) > 1 else None
        first = [self.realised_text(by["realised"]), self.target_text(by["target"])]
        lines: list[str] = []
        if "percent" in by:
            first.append(f"{self.w['percent']} = {self.percent_text(by['percent'])}")
        elif self.a.status is Status.UNDEFINED:
            first.append(f"{self.w['percent']}: {self.w['undefined']}")
        lines.append("; ".join(first))
        if "progress" in by:
            lines.append(f"{self.w['progress']} = {self.percent_text(by['progress'])}")
        status = f"{self.w['status']}: {_STATUS_TEXT[self.lang][self.a.status]}"
        if self.a.rating is not None:
            status += f"; {self.w['rating']}: {self.a.rating} ({self.plan.rules.scale.key})"
        lines.append(status)
        if self.a.nilai is not None:
            lines.append(f"{self.w['nilai']} = {self.nilai_text()}")
        lines.extend(f"{self.w['warning']}: {w}" for w in self.a.warnings_in(self.lang))
        return "\n".join(lines)

    def nilai_text(self) -> str:
        """The nilai's formula applied to the published percent c, e.g. "110 + 10/9 x
        (105,00 - 101) = 114,44" (the band's line, from the rules' scale)."""
        percent = self.a.percent
        assert percent is not None
        assert self.a.nilai is not None
        scale = self.plan.rules.scale
        formula = scale.band(percent).nilai
        result = format_number(self.a.nilai, places=self.plan.rules.places, lang=self.lang)
        if formula is None:  # pragma: no cover - a nilai comes from a band's formula
            return result
        c = format_number(percent, places=self.plan.rules.places, lang=self.lang)
        slope = formula.slope
        if slope == 0:  # a constant band: nilai 109 at 100%, 120 from 110%
            return result
        s = "" if slope == 1 else f"{slope} x "
        if formula.base == 0 and formula.origin == 0:
            text = f"{s}{c}"
        else:
            text = f"{self.num(formula.base)} + {s}({c} - {self.num(formula.origin)})"
        floor = scale.nilai_floor
        if floor is not None and formula(Fraction(percent)) < floor:
            return f"{text} \u2192 {result} (\u2265 {self.num(floor)})"
        return f"{text} = {result}"

    def part(self, e: _Entry) -> str:
        assert e.value is not None
        text = self.num(e.value)
        v = e.real.value
        if v is not None and v.unit != self.plan.unit and not v.unit.is_bare:
            text += f" (= {v.format(lang=self.lang)})"
        return text

    def realised_text(self, rl: tuple[Any, ...]) -> str:
        head = f"{self.w['realised']} {self.upto()}: "
        kind = rl[0]
        if kind == "none":
            return head + self.w["no_data"].format(p=self.short(self.a.period))
        value: Ratio | None = rl[1]
        if kind == "sum":
            entries: Sequence[_Entry] = rl[2]
            assert value is not None
            if len(entries) == 1:
                return head + self.unit(self.part(entries[0]))
            parts = " + ".join(self.part(e) for e in entries)
            return head + f"{parts} = {self.qty(value)}"
        if kind == "last":
            assert value is not None
            return head + f"{self.w['latest'].format(p=rl[2].real.period)} = {self.qty(value)}"
        if kind == "pct_last_value":
            assert value is not None
            text = self.w["pct_values"].format(p=rl[2].real.period)
            return head + f"{text} = {self.qty(value)}"
        if kind == "average":
            entries = rl[2]
            assert value is not None
            parts = " + ".join(self.part(e) for e in entries)
            return head + f"{self.w['average']} ({parts}) / {len(entries)} = {self.qty(value)}"
        if kind == "max":
            entries = rl[2]
            assert value is not None
            parts = ", ".join(self.part(e) for e in entries)
            return head + f"{self.w['max']} {parts} = {self.qty(value)}"
        # ratio: X and Y of a percentage formula
        chosen: Sequence[_Entry] = rl[2]
        x: Ratio = rl[3]
        y: Ratio = rl[4]
        zero: bool = rl[5]
        if self.plan.sum and len(chosen) > 1:
            xs = " + ".join(self.num(e.x) for e in chosen if e.x is not None)
            ys = " + ".join(self.num(e.y) for e in chosen if e.y is not None)
            xy = f"X = {xs} = {self.num(x)}, Y = {ys} = {self.num(y)}"
        elif self.plan.sum:
            xy = f"X = {self.num(x)}, Y = {self.num(y)}"
        else:
            xy = f"{self.w['latest'].format(p=chosen[0].real.period)}: X = {self.num(x)}, "
            xy += f"Y = {self.num(y)}"
        if zero:
            res = self.w["undefined"] if value is None else self.qty(value)
            rule = self.plan.rules.zero_denominator.value
            return head + f"{xy}; " + self.w["zero_den"].format(res=res, rule=rule)
        assert value is not None
        factor = self.num(self.plan.factor)
        return head + f"{xy}; {self.num(x)} / {self.num(y)} x {factor}% = {self.qty(value)}"

    def target_text(self, tg: tuple[Any, ...]) -> str:
        kind = tg[0]
        period = self.a.period
        y = self.plan.year(period.year)
        head = f"{self.w['target']} {self.upto()}"
        if kind == "none":
            reason = tg[3]
            if reason == "window":
                return f"{head}: " + self.w["window"].format(w=self.window())
            if reason == "plan_dash":
                names = [_ROMAN[i - 1] if self.lang == "id" else str(i) for i in tg[4:6]]
                return f"{head}: " + self.w["plan_dash"].format(
                    q=names[0] if tg[4] == tg[5] else "-".join(names)
                )
            return f"{head}: " + self.w[reason].format(y=period.year)
        if kind in ("annual", "annual_rule"):
            shown = self.range_text(y) if tg[2] is not None else self.qty(tg[1])
            if period.kind is PeriodKind.YEAR and kind == "annual":
                return f"{head}: {shown}"
            return f"{head}: {shown} ({self.w[kind]})"
        if kind == "plan_level":
            q = tg[3]
            label = self.short(Period(period.year, PeriodKind.QUARTER, q))
            return f"{head} ({self.w['plan']} {label}): {self.qty(tg[1])}"
        if kind == "plan_sum":
            used: Sequence[Ratio | None] = tg[3]
            current: Ratio | None = tg[4]
            part: int = tg[5]
            pieces = [self.num(e) for e in used if e is not None]
            if current is not None:
                pieces.append(self.num(current) if part == 3 else f"{part}/3 x {self.num(current)}")
            shown = " + ".join(pieces)
            if len(pieces) == 1 and part == 3:
                return f"{head} ({self.w['plan']}): {self.qty(tg[1])}"
            return f"{head} ({self.w['plan']}): {shown} = {self.qty(tg[1])}"
        num, den = tg[3], tg[4]
        if tg[2] is not None:
            low, high = tg[2]
            annual = f"({self.num(y.low)}-{self.num(y.high)})"  # type: ignore[arg-type]
            result = self.unit(f"{self.num(low)}-{self.num(high)}")
        else:
            assert y.annual is not None
            annual = self.num(y.annual)
            result = self.qty(tg[1])
        text = f"{head}: {num}/{den} x {annual} = {result}"
        if kind == "event":
            text += f" ({self.w['event'].format(w=self.window())})"
        return text

    def percent_text(self, pc: tuple[Any, ...]) -> str:
        p: Ratio | None = pc[0]
        how: str = pc[1]
        compared: Ratio | None = pc[2]
        position: str = pc[3]
        result: Decimal | None = pc[4]
        capped: bool = pc[5]
        rl_value = self._realised_value()
        rules = self.plan.rules
        res = self.w["undefined"] if result is None else self.pct(result)
        prefix = ""
        if position:
            y = self.plan.year(self.a.period.year)
            rng = self.range_text(y) if y.low is not None else ""
            if position == "inside":
                return f"{self.w['inside'].format(rng=rng)}: {res}"
            if position == "entry":
                assert compared is not None
                prefix = self.w["entry"].format(rng=rng, b=self.qty(compared)) + ": "
            else:
                prefix = self.w[position].format(rng=rng) + " " + self.qty(compared) + ": "  # type: ignore[arg-type]
        r = self.num(rl_value)
        assert compared is not None
        t = self.num(compared)
        if how == "zero_lower":
            return prefix + self.w["zero_lower"].format(
                r=r, res=res, rule=rules.zero_target_lower.value
            )
        if how == "zero_higher":
            return prefix + self.w["zero_higher"].format(
                res=res, rule=rules.zero_target_higher.value
            )
        if how == "inverse_zero":
            return prefix + self.w["inverse_zero"].format(t=t)
        if how == "higher":
            formula = f"{r} / {t} x 100%"
        elif how == "inverse":
            formula = f"{t} / {r} x 100%"
        else:
            formula = f"(2 x {t} - {r}) / {t} x 100%"
        if how == "floored":
            raw = Fraction(*_kondisi_khusus(rl_value, compared))
            return prefix + f"{formula} = {self.num(raw)}% \u2192 {res} ({self.w['floored']})"
        if capped:
            assert p is not None
            return prefix + f"{formula} = {self.num(p)}% \u2192 {res} ({self.w['capped']})"
        return prefix + f"{formula} = {res}"

    def _realised_value(self) -> Ratio:
        assert self.r_exact is not None
        return self.r_exact
