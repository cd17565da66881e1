"""Achievement formulas: each rule that turns a realisation R and a target T into percent,
stated once on exact ratios, with its name, its citation and its symbol.

The fast path, the general path, :meth:`~iki_core.engine.Achievement.explain` and the
command line's legend all read the same :class:`Formula`: its ``arithmetic`` gives the
figure, its ``symbol`` ("(2T - R) / T") the legend, its ``working`` the line explain()
fills with the numbers. :attr:`iki_core.rules.Rules.higher_is_better` and
:attr:`~iki_core.rules.Rules.lower_is_better` name the formula of each polarity.

>>> kk = formula("kondisi_khusus")
>>> kk.symbol, kk.citation
('(2T - R) / T', 'PermenPANRB 8/2021 annex, ch. VI ("kondisi khusus")')
>>> kk.percent((9, 1), (8, 1))  # target 8, realisation 9: 87.5%
(700, 8)
>>> kk.percent((20, 1), (8, 1))  # R > 2T: floored at 0
(0, 1)

A host application registers its own formula and selects it in ``Rules`` by name
(docs/extending.md shows a worked example):

>>> def capped_at_target(rn: int, rd: int, tn: int, td: int) -> tuple[int, int] | None:
...     return (rn * td, rd * tn) if rn * td < rd * tn else (1, 1)
>>> mine = register_formula(Formula("doc_capped", "no regulation fixes it",
...                                 "min(R / T, 1)", capped_at_target))
>>> formula("doc_capped") is mine
True

Zero targets are not a formula's business: a target of 0 follows
:class:`~iki_core.rules.ZeroTargetHigher` or :class:`~iki_core.rules.ZeroTargetLower`
before any formula is asked.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Final, Literal, TypeVar

import attrs

from iki_core.engine.ratios import Ratio, lt
from iki_core.errors import InvalidValueError

__all__ = [
    "INVERSE",
    "KONDISI_KHUSUS",
    "KONDISI_KHUSUS_UNFLOORED",
    "KONDISI_NORMAL",
    "KONDISI_NORMAL_FLOORED",
    "REDUCTION",
    "Arithmetic",
    "Formula",
    "Position",
    "RangeFormula",
    "formula",
    "formula_names",
    "range_formula",
    "register_formula",
]

Arithmetic = Callable[[int, int, int, int], "Ratio | None"]
"""``(rn, rd, tn, td) -> (n, d)``: realisation ``rn/rd`` against target ``tn/td`` (never 0)
as an exact ratio with ``d > 0``, where 1 is 100%; None where the formula has no value."""

Position = Literal["below", "above", "inside", "entry"]
"""Where a realisation stands against a range target, or ``entry`` for the entry bound."""

_T = TypeVar("_T")
_NAME: Final = re.compile(r"[a-z][a-z0-9_]*\Z")


def _check_name(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not _NAME.match(value):
        raise InvalidValueError(
            field=f"Formula.{attribute.name}",
            expected="a lowercase name of letters, digits and '_' such as 'my_formula'",
            value=value,
        )


def _check_text(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            field=f"Formula.{attribute.name}", expected="a non-empty text", value=value
        )


def _check_callable(instance: object, attribute: attrs.Attribute[_T], value: _T) -> None:
    if not callable(value):
        raise InvalidValueError(
            field=f"Formula.{attribute.name}",
            expected="a function (rn, rd, tn, td) -> (n, d) or None",
            value=value,
        )


def _check_floor(instance: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidValueError(
            field=f"Formula.{attribute.name}", expected="None or an int (percent)", value=value
        )


def _working_of(instance: Formula) -> str:
    return f"{instance.symbol} [R = {{R}}, T = {{T}}]"


@attrs.frozen
class Formula:
    """An achievement formula: realisation R against target T, in percent.

    - ``name``: how :class:`~iki_core.rules.Rules` selects it ("kondisi_khusus");
    - ``citation``: the regulation that fixes it, or "no regulation fixes it" and who uses it;
    - ``symbol``: its short symbolic form, as a legend prints it ("(2T - R) / T");
    - ``arithmetic``: the formula itself on exact integer ratios (:data:`Arithmetic`);
    - ``working``: the symbol with ``{R}`` and ``{T}`` where explain() writes the numbers
      ("(2 x {T} - {R}) / {T}"); by default the symbol followed by the values;
    - ``floor``: a lower bound on the percent (0 for kondisi khusus), or None.
    """

    name: str = attrs.field(validator=_check_name)
    citation: str = attrs.field(validator=_check_text)
    symbol: str = attrs.field(validator=_check_text)
    arithmetic: Arithmetic = attrs.field(validator=_check_callable, eq=False)
    working: str = attrs.field(
        default=attrs.Factory(_working_of, takes_self=True), validator=_check_text
    )
    floor: int | None = attrs.field(default=None, validator=_check_floor, kw_only=True)

    def percent(self, r: Ratio, t: Ratio) -> Ratio | None:
        """R against T in percent, exactly, after the floor (T is not 0)."""
        value = self.arithmetic(r[0], r[1], t[0], t[1])
        if value is None:
            return None
        n, d = value
        floor = self.floor
        if floor is not None and n * 100 < floor * d:
            return (floor, 1)
        return (n * 100, d)


# --- the formulas iki_core ships --------------------------------------------------------------
# Each states its sign rule inline rather than through normalised(): the fast path calls
# these once or twice per period.
def _normal(rn: int, rd: int, tn: int, td: int) -> Ratio | None:
    d = rd * tn
    return (rn * td, d) if d > 0 else (-rn * td, -d)


def _kondisi_khusus(rn: int, rd: int, tn: int, td: int) -> Ratio | None:
    d = tn * rd
    n = 2 * d - rn * td
    return (n, d) if d > 0 else (-n, -d)


def _reduction(rn: int, rd: int, tn: int, td: int) -> Ratio | None:
    d = tn * rd
    n = d - rn * td
    return (n, d) if d > 0 else (-n, -d)


def _inverse(rn: int, rd: int, tn: int, td: int) -> Ratio | None:
    if rn == 0:
        return None
    d = td * rn
    return (tn * rd, d) if d > 0 else (-tn * rd, -d)


KONDISI_NORMAL: Final = Formula(
    "kondisi_normal",
    'PermenPANRB 8/2021 annex, ch. VI ("kondisi normal")',
    "R / T",
    _normal,
    "{R} / {T}",
)
"""Higher is better: R / T x 100."""

KONDISI_KHUSUS: Final = Formula(
    "kondisi_khusus",
    'PermenPANRB 8/2021 annex, ch. VI ("kondisi khusus")',
    "(2T - R) / T",
    _kondisi_khusus,
    "(2 x {T} - {R}) / {T}",
    floor=0,
)
"""Lower is better: (2T - R) / T x 100 = (1 + (1 - R/T)) x 100, floored at 0 (the annex's
formula goes negative once R > 2T; no regulation speaks of a negative achievement: the
floor is e-SAKIP Banjarnegara's)."""

INVERSE: Final = Formula(
    "inverse",
    "no regulation fixes it; AKSARA e-SAKIP (trend_turun) and wp-eval-sakip use it",
    "T / R",
    _inverse,
    "{T} / {R}",
)
"""Lower is better: T / R x 100; no value at R = 0."""

KONDISI_NORMAL_FLOORED: Final = Formula(
    "kondisi_normal_floored",
    'no regulation fixes the floor; PermenPANRB 8/2021 annex, ch. VI ("kondisi normal") '
    "floored at 0 as apps that never print a negative achievement",
    "max(R / T, 0)",
    _normal,
    "{R} / {T}",
    floor=0,
)
"""Higher is better: R / T x 100, floored at 0 (a negative R gives 0%)."""

KONDISI_KHUSUS_UNFLOORED: Final = Formula(
    "kondisi_khusus_unfloored",
    'PermenPANRB 8/2021 annex, ch. VI ("kondisi khusus") as printed, without a floor',
    "(2T - R) / T",
    _kondisi_khusus,
    "(2 x {T} - {R}) / {T}",
)
"""Lower is better: (2T - R) / T x 100, negative once R > 2T (target 8, realisation 20
gives -50%)."""

REDUCTION: Final = Formula(
    "reduction",
    "no regulation fixes it; one app computes lower-is-better achievement this way",
    "(T - R) / T",
    _reduction,
    "({T} - {R}) / {T}",
)
"""Lower is better: (T - R) / T x 100, the share by which R stays under T."""

_lock = threading.Lock()
_formulas: dict[str, Formula] = {
    f.name: f
    for f in (
        KONDISI_NORMAL,
        KONDISI_KHUSUS,
        INVERSE,
        KONDISI_NORMAL_FLOORED,
        KONDISI_KHUSUS_UNFLOORED,
        REDUCTION,
    )
}
_BUILT_IN: Final = frozenset(_formulas)


def formula(name: str) -> Formula:
    """The formula registered as ``name`` (a :class:`~iki_core.rules.Rules` value such as
    ``"kondisi_khusus"`` or a member of its enums)."""
    found = _formulas.get(str(name))
    if found is None:
        raise InvalidValueError(
            field="formula", expected="one of " + ", ".join(formula_names()), value=name
        )
    return found


def formula_names() -> tuple[str, ...]:
    """The names of the registered formulas, those iki_core ships first."""
    return tuple(_formulas)


def register_formula(new: Formula, *, replace: bool = False) -> Formula:
    """Register ``new`` under its name, so that ``Rules(lower_is_better=new.name)`` (or
    ``higher_is_better``) selects it; returns it. A name already registered is refused
    unless ``replace``; the formulas iki_core ships cannot be replaced. Thread-safe."""
    if not isinstance(new, Formula):
        raise InvalidValueError(field="register_formula", expected="a Formula", value=new)
    with _lock:
        if new.name in _BUILT_IN or (new.name in _formulas and not replace):
            raise InvalidValueError(
                field="Formula.name",
                expected="a name not registered yet"
                + ("" if new.name in _BUILT_IN else " (or replace=True)"),
                value=new.name,
            )
        _formulas[new.name] = new
    return new


# --- the range rule ---------------------------------------------------------------------------
Choice = tuple[Position, "Ratio | None"]


def _nearest_bound(r: Ratio, low: Ratio, high: Ratio, lower: bool) -> Choice:
    if lt(r, low):
        return "below", low
    if lt(high, r):
        return "above", high
    return "inside", None


def _entry_bound(r: Ratio, low: Ratio, high: Ratio, lower: bool) -> Choice:
    return "entry", high if lower else low


@attrs.frozen
class RangeFormula:
    """How a range target "80-90%" meets a realisation R: ``choose(R, low, high, lower)``
    gives the position and the bound the polarity's :class:`Formula` compares R with, or
    None inside the range (100%)."""

    name: str = attrs.field(validator=_check_name)
    citation: str = attrs.field(validator=_check_text)
    symbol: str = attrs.field(validator=_check_text)
    choose: Callable[[Ratio, Ratio, Ratio, bool], Choice] = attrs.field(
        validator=_check_callable, eq=False
    )


_RANGE_RULES: Final = {
    f.name: f
    for f in (
        RangeFormula(
            "nearest_bound",
            "PermenPANRB 8/2021 annex",
            "R < L: f(R, L); R > H: f(R, H); L <= R <= H: 100",
            _nearest_bound,
        ),
        RangeFormula(
            "entry_bound",
            "no regulation fixes it; apps that store one number per target",
            "f(R, L) when higher is better, f(R, H) when lower is better",
            _entry_bound,
        ),
    )
}


def range_formula(name: str) -> RangeFormula:
    """The range rule ``name`` (a :class:`~iki_core.rules.RangeRule` value)."""
    found = _RANGE_RULES.get(str(name))
    if found is None:
        raise InvalidValueError(
            field="range_formula", expected="one of " + ", ".join(_RANGE_RULES), value=name
        )
    return found
