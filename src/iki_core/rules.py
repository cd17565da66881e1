"""The rules of achievement (capaian): every choice named, documented and selectable.

Apps that publish achievements disagree on lower-is-better formulas, zero
targets, caps and rating scales, and each hard-codes one answer. Here each
choice is a field of one frozen :class:`Rules` object whose docstring cites
its source, or says that no regulation fixes it. :func:`default_rules` (also
:data:`DEFAULT_RULES`) holds the defaults; vary them with :func:`attrs.evolve`:

>>> import attrs
>>> from decimal import Decimal
>>> from iki_core.rules import DEFAULT_RULES, SCALES, LowerIsBetterFormula
>>> DEFAULT_RULES.lower_is_better, DEFAULT_RULES.cap, DEFAULT_RULES.scale.key
('kondisi_khusus', None, 'permendagri-86-2017')
>>> strict = attrs.evolve(DEFAULT_RULES, lower_is_better=LowerIsBetterFormula.INVERSE,
...                       scale=SCALES["pp-46-2011"], cap=Decimal(120))
>>> strict.scale.rate(Decimal("90.50"))
'Baik'

Rating scales are data (``iki_core/data/rating_scales.json``), read once on
first use by :mod:`iki_core.scales`, whose names this module re-exports: nothing
is read when this module is imported.
"""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

import attrs

from iki_core._enums import ReprStrEnum
from iki_core._fields import enum_fields
from iki_core.errors import IkiTypeError, InvalidValueError
from iki_core.numbers import to_decimal
from iki_core.scales import (
    DEFAULT_SCALE,
    SCALES,
    Band,
    NilaiFormula,
    RatingScale,
    skp_predikat,
)

__all__ = [
    "DEFAULT_RULES",
    "DEFAULT_SCALE",
    "SCALES",
    "Band",
    "FormulaName",
    "GradeRule",
    "HigherIsBetterFormula",
    "LowerIsBetterFormula",
    "Measure",
    "MissingPeriod",
    "NilaiFormula",
    "PeriodTarget",
    "RangeRule",
    "RatingScale",
    "Rounding",
    "Rules",
    "YearToDate",
    "ZeroDenominator",
    "ZeroRealisation",
    "ZeroTargetHigher",
    "ZeroTargetLower",
    "default_rules",
    "skp_predikat",
]
"""Rating scales live in :mod:`iki_core.scales` and are re-exported here."""


class _Rule(ReprStrEnum):
    """The choices of a rule (:class:`Rules` fields)."""


# --- the choices ----------------------------------------------------------------------
class FormulaName(str):
    """The name of a formula a host application registered
    (:func:`iki_core.engine.register_formula`), as :class:`Rules` holds it: like the members
    of :class:`HigherIsBetterFormula` and :class:`LowerIsBetterFormula`, its ``value`` is
    its text and its repr is its value's."""

    __slots__ = ()

    @property
    def value(self) -> str:
        """The name, as a plain text."""
        return str.__str__(self)

    def __repr__(self) -> str:
        return repr(self.value)


class HigherIsBetterFormula(_Rule):
    """How a higher-is-better indicator turns realisation R and target T into percent.

    - ``KONDISI_NORMAL`` (default): R / T x 100, from the PermenPANRB 8/2021 annex, ch. VI,
      "kondisi normal".
    - ``KONDISI_NORMAL_FLOORED``: the same, floored at 0 (a negative realisation, such as a
      growth rate, gives 0%, not a negative percent); no regulation fixes it, apps that
      never print a negative achievement do it.

    A host application may select a formula it registered with
    :func:`iki_core.engine.register_formula` by its name instead.
    """

    KONDISI_NORMAL = "kondisi_normal"
    KONDISI_NORMAL_FLOORED = "kondisi_normal_floored"


class LowerIsBetterFormula(_Rule):
    """How a lower-is-better indicator ("semakin rendah semakin baik") turns realisation R
    and target T into percent.

    - ``KONDISI_KHUSUS`` (default): (2T - R) / T x 100, i.e. (1 + (1 - R/T)) x 100, from the
      PermenPANRB 8/2021 annex, ch. VI, "kondisi khusus" (target 8, realisation 9 gives
      87.50%; target 7, realisation 6.5 gives 107.14%). The annex formula goes below zero
      once R > 2T; the result is floored at 0 as e-SAKIP Banjarnegara does (no regulation
      speaks of a negative achievement).
    - ``INVERSE``: T / R x 100, as AKSARA e-SAKIP (``trend_turun``) and wp-eval-sakip
      compute it; no regulation prescribes it. At T = 10, R = 5 it gives 200% where
      ``KONDISI_KHUSUS`` gives 150%. It has no value at R = 0 (status ``undefined``,
      unless :class:`ZeroRealisation` says otherwise).
    - ``KONDISI_KHUSUS_UNFLOORED``: the annex formula as printed, without the floor at 0
      (R > 2T gives a negative percent), as the apps that apply it literally.
    - ``REDUCTION``: (T - R) / T x 100, the share by which R stays under T, as one app
      computes it; no regulation prescribes it (T = 10, R = 5 gives 50%).

    A host application may select a formula it registered with
    :func:`iki_core.engine.register_formula` by its name instead. Each formula is stated
    once, in :mod:`iki_core.engine.formulas`.
    """

    KONDISI_KHUSUS = "kondisi_khusus"
    INVERSE = "inverse"
    KONDISI_KHUSUS_UNFLOORED = "kondisi_khusus_unfloored"
    REDUCTION = "reduction"


class ZeroTargetHigher(_Rule):
    """What a target of 0 gives when higher is better (R / 0 has no value).

    No regulation fixes it; apps give 0, null or an error (docs/rules.md, `zero_target_higher`).

    - ``UNDEFINED`` (default): no percent, status ``undefined`` (DHIS2 gives "no value").
    - ``ZERO``: 0% (status ``not_achieved``), as apps that default an empty ratio to 0.
    - ``FULL``: 100% (status ``achieved``) for any realisation R >= 0, which meets a target
      of 0; a negative R (a percentage reported as a value can be negative) falls short of
      it and gives 0% (status ``not_achieved``).
    """

    UNDEFINED = "undefined"
    ZERO = "zero"
    FULL = "full"


class ZeroTargetLower(_Rule):
    """What a target of 0 gives when lower is better ((2T - R) / T has no value at T = 0).

    No regulation fixes it; apps give 100% for T = 0, R = 0 (docs/rules.md).

    - ``ALL_OR_NOTHING`` (default): 100% when nothing happened (R = 0), else 0%: a
      negative R (a percentage reported as a value can be negative) is not "nothing
      happened" and gives 0% too.
    - ``UNDEFINED``: no percent, status ``undefined``.
    - ``ZERO``: always 0% (status ``not_achieved``), as one app does.
    """

    ALL_OR_NOTHING = "all_or_nothing"
    UNDEFINED = "undefined"
    ZERO = "zero"


class ZeroRealisation(_Rule):
    """What a formula without a value at R = 0 gives (T / R, ``INVERSE``, at R = 0).

    No regulation fixes it; apps disagree (docs/rules.md, ``zero_realisation``).

    - ``UNDEFINED`` (default): no percent, status ``undefined``.
    - ``FULL``: 100% (nothing happened, so the target was met), as one app does.
    - ``ZERO``: 0%, as another app does.
    """

    UNDEFINED = "undefined"
    FULL = "full"
    ZERO = "zero"


class Rounding(_Rule):
    """How ``percent`` and ``progress`` are rounded to ``places`` decimals, once, at the end.

    - ``HALF_UP`` (default): half away from zero, as the apps that publish achievements do
      (PHP ``round``): 87.125 gives 87.13. No regulation fixes the rounding; two decimals
      half-up is the published practice.
    - ``TRUNCATE``: the digits beyond ``places`` dropped (toward zero), as LKjIP tables
      that print a truncated percent: 87.129 gives 87.12.
    - ``HALF_EVEN``: half to even (banker's rounding, Python's ``round`` on floats, as some
      apps): 87.125 gives 87.12, 87.135 gives 87.14.
    """

    HALF_UP = "half_up"
    TRUNCATE = "truncate"
    HALF_EVEN = "half_even"


class YearToDate(_Rule):
    """How the percent of a period that counts several reported periods (a year of
    quarters) is formed.

    - ``RATIO`` (default): the realisation to date against the target to date (sum(X) /
      sum(Y) for percentages), one ratio, as docs/rules.md and DHIS2 aggregate.
    - ``MEAN_OF_PERIODS``: the mean of the percents of the reported periods, each
      against its own target (the quarter's plan entry, or the annual target prorated to
      its months for a flow, or the annual target), as one app does; never the default,
      and flagged with a warning (it weighs a quarter of 1 case like one of 100). No
      regulation prescribes it.
    """

    RATIO = "ratio"
    MEAN_OF_PERIODS = "mean_of_periods"


class MissingPeriod(_Rule):
    """What a period with no realisation of its own gives (Q3 asked, Q1 and Q2 reported,
    Q3 not). No regulation fixes it.

    - ``NO_DATA`` (default): no figure, status ``no_data`` (missing is not zero, as DHIS2).
    - ``TO_DATE``: the realisations reported to date, with a warning naming the periods
      missing (as DHIS2 aggregates what was reported).
    - ``CARRY_LAST``: as ``TO_DATE``; an indicator aggregated by its last value (a stock)
      keeps its last reported value and the warning names the period it comes from (two
      apps use the last filled quarter).
    - ``AS_ZERO``: the missing period counts as a realisation of 0 (one app); the result
      is flagged with a warning. A stock's last value is then 0.
    """

    NO_DATA = "no_data"
    TO_DATE = "to_date"
    CARRY_LAST = "carry_last"
    AS_ZERO = "as_zero"


class ZeroDenominator(_Rule):
    """The value of a percentage formula X / Y x 100 when sum(Y) = 0 (no case at all).

    No regulation fixes it: DHIS2 gives "no value", most apps 0 or 100 (docs/rules.md,
    "Percentage formula").

    - ``UNDEFINED`` (default): the realised value has none; status ``undefined``.
    - ``ZERO``: realised 0%.
    - ``FULL``: realised 100% ("no conflict arose, so none was left unresolved").
    """

    UNDEFINED = "undefined"
    ZERO = "zero"
    FULL = "full"


class RangeRule(_Rule):
    """How a range target "80-90%" is compared with a realisation.

    - ``NEAREST_BOUND`` (default): below the range compare to the lower bound, above it to
      the upper bound, inside it count 100% (PermenPANRB 8/2021 annex). The polarity
      formula applies to the bound chosen, so above a higher-is-better range gives more
      than 100%.
    - ``ENTRY_BOUND``: read the range as the single target one must reach to enter it: the
      lower bound when higher is better, the upper bound when lower is better, as apps that
      store one number per target do. No regulation prescribes it.
    """

    NEAREST_BOUND = "nearest_bound"
    ENTRY_BOUND = "entry_bound"


class PeriodTarget(_Rule):
    """Which target a period shorter than the year is measured against (``percent``).

    - ``CUMULATIVE`` (default): the cumulative target to date. The quarterly plan (Rencana
      Aksi) when the indicator has one: counts aggregated by sum add the quarters up to the
      period (AKSARA, wp-eval-sakip: sum of realisations over sum of quarterly targets so
      far); other indicators take the entry of the quarter the period ends in. A "-" entry
      is no target for its quarter, never zero: sums add the quarters that have an entry
      and give no target when every quarter the period itself covers is "-" (plan 10, -,
      30, 40: Q2 has none, Q3 has 10 + 30 = 40); the others give no target when the
      quarter the period ends in is "-". Without a
      plan, counts aggregated by sum get the annual target x months elapsed / 12, event
      reports their target prorated over the event's active months, everything else the
      annual target. No regulation fixes the proration; it is Rencana Aksi practice.
    - ``ANNUAL``: the whole annual target, as the Permendagri 86/2017 RKPD evaluation form
      reports "tingkat capaian" (then ``percent`` equals ``progress``).
    - ``REPORTED_QUARTERS``: as ``CUMULATIVE``, but a quarterly plan's sum adds only the
      quarters that have a realisation (one app: plan 10, 20, 30, 40 with Q1 and Q3
      reported gives 10 + 30 = 40 at Q3). No regulation prescribes it.
    """

    CUMULATIVE = "cumulative"
    ANNUAL = "annual"
    REPORTED_QUARTERS = "reported_quarters"


class GradeRule(_Rule):
    """The percent of a grade against its target grade (opini BPK, nilai SAKIP,
    akreditasi, maturitas SPIP). No regulation fixes it; the grade is achieved when the
    realised grade reaches the target's under either rule.

    - ``ALL_OR_NOTHING`` (default): 100% when the realised grade reaches the target's,
      else 0% (a WDP is not a WTP), as a SAKIP evaluator reads an opini target.
    - ``POSITION_RATIO``: the realised grade's position over the target's, counting from
      the lowest grade as 1 (opini BPK: TMP 1, TW 2, WDP 3, WTP 4; WDP against WTP is
      3 / 4 = 75%), as apps that turn grades into numbers do.
    """

    ALL_OR_NOTHING = "all_or_nothing"
    POSITION_RATIO = "position_ratio"


class Measure(_Rule):
    """What ``percent`` measures.

    - ``TARGET`` (default): the realisation against the target, by the polarity's formula
      (PermenPANRB 8/2021 annex, ch. VI).
    - ``BASELINE``: the way travelled from the indicator's baseline B (kondisi awal) to the
      target: (R - B) / (T - B) x 100, which is also the lower-is-better mirror
      (B - R) / (B - T) of "persentase penurunan" indicators, as OKR-style tools (Akvo RSR)
      measure progress. No regulation prescribes it; an indicator without a baseline keeps
      the polarity's formula, and T = B has no value.
    """

    TARGET = "target"
    BASELINE = "baseline"


# --- the rules object -----------------------------------------------------------------------
def _cap(value: object) -> Decimal | None:
    if value is None:
        return None
    cap = to_decimal(value, field="Rules.cap")
    if cap <= 0:
        raise InvalidValueError(field="Rules.cap", expected="a cap above 0 or None", value=cap)
    return cap


def _places(instance: Rules, attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
        raise InvalidValueError(field="Rules.places", expected="an int from 0 to 6", value=value)


def _grace_days(instance: Rules, attribute: object, value: int | None) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366
    ):
        raise InvalidValueError(
            field="Rules.report_grace_days", expected="None or an int from 0 to 366", value=value
        )


def _default_scale() -> RatingScale:
    return SCALES[DEFAULT_SCALE]


_R = TypeVar("_R", bound=_Rule)


def _formula_choice(cls: type[_R], field: str, value: object) -> _R | FormulaName:
    """A member of ``cls``, or the name of a formula registered with
    :func:`iki_core.engine.register_formula`."""
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        if value in cls._value2member_map_:
            return cls(value)
        # Imported when a Rules is built, never at import: the engine imports this module.
        from iki_core.engine.formulas import formula_names

        if value in formula_names():
            return FormulaName(value)
    raise InvalidValueError(
        field=field,
        expected=f"one of {', '.join(m.value for m in cls)} or a registered formula's name",
        value=value,
    )


def _higher_is_better(value: object) -> HigherIsBetterFormula | FormulaName:
    return _formula_choice(HigherIsBetterFormula, "Rules.higher_is_better", value)


def _lower_is_better(value: object) -> LowerIsBetterFormula | FormulaName:
    return _formula_choice(LowerIsBetterFormula, "Rules.lower_is_better", value)


def _is_scale(instance: object, attribute: object, value: object) -> None:
    if not isinstance(value, RatingScale):
        raise IkiTypeError(field="Rules.scale", expected="a RatingScale", value=value)


@attrs.frozen(field_transformer=enum_fields)
class Rules:
    """Every choice the achievement engine makes, in one frozen object.

    - ``higher_is_better``: :class:`HigherIsBetterFormula` (default ``KONDISI_NORMAL``,
      R / T, PermenPANRB 8/2021 annex), or the name of a registered formula.
    - ``lower_is_better``: :class:`LowerIsBetterFormula` (default ``KONDISI_KHUSUS``,
      PermenPANRB 8/2021 annex), or the name of a registered formula
      (:func:`iki_core.engine.register_formula`).
    - ``zero_target_higher``: :class:`ZeroTargetHigher`, a target of 0 when higher is better
      (default ``UNDEFINED``; no regulation).
    - ``zero_target_lower``: :class:`ZeroTargetLower`, a target of 0 when lower is better
      (default ``ALL_OR_NOTHING``: 100% when nothing happened, else 0; no regulation).
    - ``zero_denominator``: :class:`ZeroDenominator`, a percentage formula with sum(Y) = 0
      (default ``UNDEFINED``, as DHIS2; no regulation).
    - ``range_target``: :class:`RangeRule` (default ``NEAREST_BOUND``, PermenPANRB 8/2021
      annex).
    - ``period_target``: :class:`PeriodTarget` (default ``CUMULATIVE``, Rencana Aksi
      practice; ``ANNUAL`` is the Permendagri 86/2017 view).
    - ``cap``: an upper bound on ``percent`` and ``progress``, or None (default). No
      regulation caps the plain percentage; PermenPANRB 8/2021 caps the nilai capaian at
      120 (that cap is in its scale's nilai, not here), Kemenkeu its IKU index at 120%
      (unverified), many apps clip at 100%.
    - ``scale``: the :class:`RatingScale` of ``rating`` (default Permendagri 86/2017).
    - ``report_grace_days``: a realisation reported more than this many days after the end
      of the period being computed gets a warning (a late or back-filled report: the
      figure published at the time did not include it). Default 30; None turns the
      warning off. No regulation fixes this for the purpose of the warning; reports are
      always filed some days after a period ends, so 0 would flag nearly every one.
    - ``places``: decimals of ``percent`` and ``progress`` (default 2; achievements are
      published with two). Results are rounded once, half away from zero, as the apps that
      publish them do (PHP ``round``), unless ``rounding`` says otherwise.
    - ``zero_realisation``: :class:`ZeroRealisation`, a formula without a value at R = 0
      (T / R) (default ``UNDEFINED``; no regulation).
    - ``rounding``: :class:`Rounding` (default ``HALF_UP``; no regulation).
    - ``missing_period``: :class:`MissingPeriod`, a period with no realisation of its own
      (default ``NO_DATA``; no regulation).
    - ``year_to_date``: :class:`YearToDate`, one ratio to date or the mean of the period
      percents (default ``RATIO``; the mean is an app practice, flagged).
    - ``grade_rule``: :class:`GradeRule`, the percent of a grade against a target grade
      (default ``ALL_OR_NOTHING``; no regulation).
    - ``measure``: :class:`Measure`, the percent against the target or from the baseline
      (default ``TARGET``; the baseline view is OKR practice, no regulation).
    """

    higher_is_better: HigherIsBetterFormula | FormulaName = attrs.field(
        default=HigherIsBetterFormula.KONDISI_NORMAL,
        converter=_higher_is_better,
    )
    lower_is_better: LowerIsBetterFormula | FormulaName = attrs.field(
        default=LowerIsBetterFormula.KONDISI_KHUSUS,
        converter=_lower_is_better,
    )
    zero_target_higher: ZeroTargetHigher = attrs.field(
        default=ZeroTargetHigher.UNDEFINED,
        converter=ZeroTargetHigher,
    )
    zero_target_lower: ZeroTargetLower = attrs.field(
        default=ZeroTargetLower.ALL_OR_NOTHING,
        converter=ZeroTargetLower,
    )
    zero_denominator: ZeroDenominator = attrs.field(
        default=ZeroDenominator.UNDEFINED,
        converter=ZeroDenominator,
    )
    range_target: RangeRule = attrs.field(default=RangeRule.NEAREST_BOUND, converter=RangeRule)
    period_target: PeriodTarget = attrs.field(
        default=PeriodTarget.CUMULATIVE, converter=PeriodTarget
    )
    cap: Decimal | None = attrs.field(default=None, converter=_cap)
    scale: RatingScale = attrs.field(factory=_default_scale, validator=_is_scale)
    places: int = attrs.field(default=2, validator=_places)
    report_grace_days: int | None = attrs.field(default=30, validator=_grace_days)
    zero_realisation: ZeroRealisation = attrs.field(
        default=ZeroRealisation.UNDEFINED, converter=ZeroRealisation, kw_only=True
    )
    rounding: Rounding = attrs.field(default=Rounding.HALF_UP, converter=Rounding, kw_only=True)
    missing_period: MissingPeriod = attrs.field(
        default=MissingPeriod.NO_DATA, converter=MissingPeriod, kw_only=True
    )
    year_to_date: YearToDate = attrs.field(
        default=YearToDate.RATIO, converter=YearToDate, kw_only=True
    )
    grade_rule: GradeRule = attrs.field(
        default=GradeRule.ALL_OR_NOTHING, converter=GradeRule, kw_only=True
    )
    measure: Measure = attrs.field(default=Measure.TARGET, converter=Measure, kw_only=True)

    @classmethod
    def from_profile(cls, name: str) -> Rules:
        """The rules of the shipped profile ``name`` (:mod:`iki_core.profiles`), such as
        ``"permendagri-86-2017"`` or ``"capped-100"``.

        >>> Rules.from_profile("capped-100").cap
        Decimal('100')
        """
        from iki_core.profiles import profile  # the profiles read this module

        return profile(name)


_default_rules: Rules | None = None
_default_lock = threading.Lock()


def default_rules() -> Rules:
    """The default :class:`Rules`, built once on first call (it reads the rating scales
    file, which is why it is not built at import). Call this from code; the module
    attribute :data:`DEFAULT_RULES` gives the same object."""
    global _default_rules
    if _default_rules is None:
        with _default_lock:
            if _default_rules is None:
                _default_rules = Rules()
    return _default_rules


if TYPE_CHECKING:
    DEFAULT_RULES: Rules
    """The default :class:`Rules` (built on first use, with the scales file): the same
    object as :func:`default_rules`."""


def __getattr__(name: str) -> Rules:
    # DEFAULT_RULES is built on first access so that importing this module reads no file.
    if name == "DEFAULT_RULES":
        return default_rules()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
