"""The lean path's loop over the periods asked, written out once per shape of realisations.

:func:`~iki_core.engine.lean.lean` computes each period of an indicator by a loop whose
every step asks again what does not change from one indicator to the next of the same
shape: how many realisations count to date in the period, whether its target is prorated,
the annual target, a plan's quarters or the one of the period before, which formula the
polarity takes, whether the progress is the percent itself. :func:`kernel` answers those
questions once, for a shape, a kind (count or percentage formula), with or without a
quarterly plan and a polarity's formula, and returns the loop written out for that case,
with only the arithmetic left: the same integer arithmetic, the same single half-up
rounding and the same look-up of a percent's figures (:meth:`~iki_core.engine.run.Run.figure`)
as the loop, in the same order. Python's own ``collections.namedtuple`` and attrs'
generated ``__init__`` are made the same way, from source text.

A kernel computes every period or none: where the loop would send one period to the
general path (a target to date of 0 or none, a sum of Y of 0, a percent below zero), the
kernel returns False before it builds any result, and the loop computes the indicator.
It covers the common rules only (half-up rounding, no cap, the shipped formulas of
kondisi normal and kondisi khusus, realisations without a date of report): for any other,
:func:`kernel` returns None and the loop computes. The tests hold kernel and loop equal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import gcd
from typing import TYPE_CHECKING, Final

from iki_core.engine.frame import Frame
from iki_core.engine.results import Achievement, Building
from iki_core.kinds import IndicatorKind
from iki_core.model import Indicator, Realisation
from iki_core.periods import Period
from iki_core.units import BARE, Quantity

if TYPE_CHECKING:  # the run keeps the kernels it made
    from iki_core.engine.run import Run

__all__ = ["Kernel", "Row", "kernel", "source"]

Kernel = Callable[
    [
        "Run",
        Indicator,
        IndicatorKind,
        Sequence[Realisation],
        "str | None",
        Quantity,
        "tuple[Quantity | None, ...] | None",
        list[Achievement],
    ],
    "bool | None",
]
"""A loop written out: (the run, indicator, its kind, the realisations of the year, reference, the
year's target, the entries of the year's quarterly plan (None: no plan), out) -> whether
it appended the results of every period (False: the loop computes them), or None when
the realisations are not of its shape (their count, or their periods' identities)."""

Row = tuple[int, int, int, int, int]
"""A period asked, as the loop reads it: how many realisations count to date (k, at least
1), its last month, the quarter it ends in (from 0), how many months of that quarter it
reaches, and the quarter it starts in (from 1)."""

_NORMAL, _KHUSUS = 1, 2  # as iki_core.engine.run.NORMAL and KHUSUS
_MADE: Final[dict[tuple[int, bool, bool, int, bool, tuple[Row, ...]], Callable[..., Kernel]]] = {}
"""The kernels' factories made in this process, by case (at most :data:`_KEEP`)."""
_KEEP: Final = 1 << 9
_LONGEST: Final = 64
"""The most realisations in a year, and periods asked, a kernel is written out for (its
text grows with both; beyond, the loop computes)."""


def kernel(
    run: Run,
    held: tuple[Period, ...],
    lasts: tuple[int, ...],
    periods: tuple[Period, ...],
    rows: tuple[Row, ...],
    is_pct: bool,
    plan: bool,
    code: int,
) -> Kernel | None:
    """The loop over ``rows`` (the periods asked, ``periods``) of an indicator whose
    realisations of the year are of the periods ``held`` (their last months ``lasts``),
    written out for this case under the run's rules; None when the rules or the formula
    are not the common ones, or the loop too long."""
    if not run.half_up or run.cap is not None or code not in (_NORMAL, _KHUSUS):
        return None
    count = len(held)
    if count > _LONGEST or len(rows) > _LONGEST:
        return None
    case = (count, is_pct, plan, code, run.annual_rule, rows)
    make = _MADE.get(case)
    if make is None:
        scope: dict[str, Callable[..., Kernel]] = {}
        exec(source(*case), scope)  # the text is ours, made from integers and names
        make = scope["make"]
        if len(_MADE) < _KEEP:
            _MADE[case] = make
    # nothing of the run is kept by the kernel (it is passed): the run keeps its kernels,
    # and a cycle would be left to the collector
    return make(run.scale, run.figures, Frame, Building, Achievement, BARE, lasts, *held, *periods)


def source(
    count: int, is_pct: bool, plan: bool, code: int, annual_rule: bool, rows: tuple[Row, ...]
) -> str:
    """The text of the factory of a kernel: ``make(S, figures, F, B, A, BARE, LASTS, R0, R1,
    ..., P0, P1, ...)`` returns the loop over ``count`` realisations (of
    the periods R0, R1, ...) and ``rows`` (the periods asked P0, P1, ...) for that case, as
    :func:`~iki_core.engine.lean.lean` states it (the frame, the running sums, the target
    to date, the percent and the progress, their figures)."""
    prorate = not is_pct
    body: list[str] = []
    emit = body.append
    _frame(emit, count, is_pct, plan and not annual_rule)
    _sums(emit, count, is_pct)
    if plan and not annual_rule:
        _plan(emit, prorate)
    done: dict[tuple[int, object], int] = {}  # (k, target) computed -> the row that did
    names: list[int] = []  # per row, the row whose figures it takes
    progressed: set[int] = set()  # k whose progress against the annual target is computed
    if code == _NORMAL and (not plan or annual_rule):
        emit("adS = ad * S")
    for i, (k, last, qi, part, fq) in enumerate(rows):
        emit(f"# period {i}: {k} realisation(s) to date, to month {last}")
        # the target to date, as lean() states it; annual: whether it is the annual target
        # (True, False, or None: known when computed)
        target: object
        annual: bool | None
        if not plan or annual_rule:  # the annual target, prorated for a sum
            if prorate and last != 12 and not annual_rule:
                target, annual = ("prorated", last), False
            else:
                target, annual = "annual", True
        else:
            target, annual = ("plan", qi, part), None
            if prorate:  # emitted for each period: the quarters it starts in may differ
                emit(f"if h{qi} < {fq}:  # its quarters are all '-'")
                emit("    return False")
        same = done.get((k, target))
        if same is not None:  # the same realisations against the same target
            names.append(same)
            continue
        done[(k, target)] = i
        names.append(i)
        if annual is not None:  # the annual target, or its share to date
            if k not in progressed:
                progressed.add(k)
                _progress(emit, code, k, is_pct)
            if annual:  # the percent is the progress
                emit(f"f{i} = figures.get(g{k}) or run.figure(g{k})")
                emit(f"p{i} = f{i}[0]")
                continue
            _prorated(emit, code, k, last)
            emit(f"f{i} = figures.get(q) or run.figure(q)")
            emit(f"p{i} = f{i}[0] if g{k} == q else (figures.get(g{k}) or run.figure(g{k}))[0]")
            continue
        # a plan's quarters: their target to date
        if not prorate:  # the level of the quarter the period ends in
            emit(f"if e{qi} is None:")
            emit("    return False")
            emit(f"tn, td = e{qi}")
        elif part == 3:  # to the end of a quarter: its entries added up
            emit(f"tn, td = s{qi}, t{qi}")
        else:  # to a month inside it: its share of the quarter's entry
            emit(f"tn, td = s{qi - 1}, t{qi - 1}" if qi else "tn, td = 0, 1")
            emit(f"c = e{qi}")
            emit("if c is not None:")
            emit(f"    cn, cd = c[0] * {part}, c[1] * 3")
            emit("    tn, td = (tn + cn, td) if td == cd else (tn * cd + cn * td, td * cd)")
        emit("if tn <= 0:")
        emit("    return False")
        if is_pct:
            emit(f"if not y{k - 1}:")
            emit("    return False")
            emit(f"rn, rd = n{k - 1} * z{k - 1} * fn, d{k - 1} * y{k - 1} * fd")
        else:
            emit(f"rn, rd = n{k - 1}, d{k - 1}")
        _points(emit, code, "q", "tn", "td")
        emit(f"f{i} = figures.get(q) or run.figure(q)")
        emit("if tn == an and td == ad:  # the plan's target may be the annual one")
        emit("    g = q")
        emit("else:")
        _points(lambda line: emit(f"    {line}"), code, "g", "an", "ad")
        emit(f"p{i} = f{i}[0] if g == q else (figures.get(g) or run.figure(g))[0]")
    emit("append = out.append")
    for i, j in enumerate(names):
        emit("a = B()")
        emit("a.indicator = ind")
        emit(f"a.period = P{i}")
        emit("a.reference = reference")
        emit(f"a.percent, a.status, a.rating = f{j}")
        emit(f"a.progress = p{j}")
        emit("a._pending = frame")
        emit("a.__class__ = A")
        emit("append(a)")
    emit("return True")
    params = ", ".join([*(f"R{i}" for i in range(count)), *(f"P{i}" for i in range(len(rows)))])
    return "\n".join(
        [
            f"def make(S, figures, F, B, A, BARE, LASTS, {params}):",
            "    def kernel(run, ind, kind, reals, reference, value, plan, out):",
            *(f"        {line}" for line in body),
            "    return kernel",
            "",
        ]
    )


def _frame(emit: Callable[[str], object], count: int, is_pct: bool, plan: bool) -> None:
    """Emit the check that the ``count`` realisations are of the kernel's shape (None when
    not), their names r0, r1, ..., the frame of the indicator's results (``plan``: whether
    the kernel sets its plan), the annual target an / ad in the indicator's unit (False
    when not above 0: the loop says why) and, for a formula, its factor fn / fd."""
    emit(f"if len(reals) != {count}:")
    emit("    return None")
    emit(f"{''.join(f'r{i}, ' for i in range(count))}= reals")
    same = " or ".join(f"r{i}.period is not R{i}" for i in range(count))
    emit(f"if {same}:  # the periods of another shape")
    emit("    return None")
    emit("unit = kind.unit")
    emit("frame = F()  # every slot set: see Frame")
    for slot, value in (
        ("run", "run"),
        ("indicator", "ind"),
        ("realisations", "reals"),
        ("reference", "reference"),
        ("c", "None"),
        ("written", "value"),
        ("lasts", "LASTS"),
        ("built", "None"),
    ):
        emit(f"frame.{slot} = {value}")
    if not plan:
        emit("frame.quarters = None")
    if not is_pct:
        emit("frame.ysums = ()")
    emit("u = value.unit")
    emit("if u is unit or u is BARE:")
    emit("    annual = value.magnitude.as_integer_ratio()")
    emit("else:  # in another unit, or the same written otherwise")
    emit("    annual = frame.ratio(value)")
    emit("an, ad = annual")
    emit("if an <= 0:")
    emit("    return False")
    emit("frame.annual = annual")
    if is_pct:
        emit("fn, fd = kind.factor.as_integer_ratio()")


def _sums(emit: Callable[[str], object], count: int, is_pct: bool) -> None:
    """Emit the running sums of the ``count`` realisations as integer ratios, n0/d0 the
    first (X for a formula, its Y y0/z0), n1/d1 the first two, ..., kept on the frame
    (flat); the kernel returns False where the loop would not be lean or a date of report
    is given."""
    for i in range(count):
        if is_pct:
            emit(f"x, y = r{i}.numerator, r{i}.denominator")
            emit(f"if x is None or y is None or x > y or r{i}.reported_on is not None:")
            emit("    return False")
            emit("vn, vd = x.as_integer_ratio()")
            emit("wn, wd = y.as_integer_ratio()")
        else:
            emit(f"v = r{i}.value")
            emit(f"if v is None or r{i}.reported_on is not None:")
            emit("    return False")
            emit("u = v.unit")
            emit("if u is unit or u is BARE:")
            emit("    vn, vd = v.magnitude.as_integer_ratio()")
            emit("else:  # another unit: its factor to the indicator's, found once per run")
            emit(f"    vn, vd = frame.ratio(v, r{i})")
        if not i:
            emit("n0, d0 = vn, vd")
            if is_pct:
                emit("y0, z0 = wn, wd")
            continue
        j = i - 1
        emit(f"if d{j} == vd:")
        emit(f"    n{i}, d{i} = n{j} + vn, vd")
        emit("else:")
        emit(f"    n{i}, d{i} = n{j} * vd + vn * d{j}, d{j} * vd")
        if is_pct:
            emit(f"if z{j} == wd:")
            emit(f"    y{i}, z{i} = y{j} + wn, wd")
            emit("else:")
            emit(f"    y{i}, z{i} = y{j} * wd + wn * z{j}, z{j} * wd")
    emit(f"frame.sums = ({''.join(f'n{i}, d{i}, ' for i in range(count))})")
    if is_pct:
        emit(f"frame.ysums = ({''.join(f'y{i}, z{i}, ' for i in range(count))})")


def _plan(emit: Callable[[str], object], prorate: bool) -> None:
    """Emit the plan's entries e0 to e3 as integer ratios in the indicator's unit (None for
    "-"), kept on the frame; for a sum, the entries added up to each quarter (s0/t0 to
    s3/t3) and the last quarter with an entry up to each, from 1 (h0 to h3; 0: none)."""
    emit("q0, q1, q2, q3 = plan")
    for i in range(4):
        emit(f"if q{i} is None:")
        emit(f"    e{i} = None")
        emit(f"elif q{i}.unit is unit or q{i}.unit is BARE:")
        emit(f"    e{i} = q{i}.magnitude.as_integer_ratio()")
        emit("else:  # another unit: its factor to the indicator's, found once per run")
        emit(f"    e{i} = frame.ratio(q{i})")
    emit("frame.quarters = (e0, e1, e2, e3)")
    if not prorate:
        return
    for i in range(4):
        before = f"s{i - 1}, t{i - 1}, h{i - 1}" if i else "0, 1, 0"
        emit(f"if e{i} is None:")
        emit(f"    s{i}, t{i}, h{i} = {before}")
        emit("else:")
        emit(f"    en, ed = e{i}")
        if not i:
            emit(f"    s{i}, t{i} = en, ed")
        else:
            j = i - 1
            emit(f"    if t{j} == ed:")
            emit(f"        s{i}, t{i} = s{j} + en, ed")
            emit("    else:")
            emit(f"        s{i}, t{i} = s{j} * ed + en * t{j}, t{j} * ed")
        emit(f"    h{i} = {i + 1}")


def _progress(emit: Callable[[str], object], code: int, k: int, is_pct: bool) -> None:
    """Emit ``g{k}``: R, the first ``k`` realisations, against the annual target T = an /
    ad, in units of the last place kept, rounded once half-up, and what the percent
    against T's share to date is computed from (:func:`_prorated`): for kondisi normal
    ``m{k}`` / ``e{k}``, R / T over 100 before the places, for kondisi khusus ``x{k}`` and
    ``e{k}``, R and T on one denominator; below zero, False (the loop)."""
    if is_pct:
        emit(f"if not y{k - 1}:")
        emit("    return False")
        rn, rd = f"n{k - 1} * z{k - 1} * fn", f"d{k - 1} * y{k - 1} * fd"
    else:
        rn, rd = f"n{k - 1}", f"d{k - 1}"
    emit(f"e{k} = {rd} * an")
    if code == _NORMAL:  # R / T x 100 = (rn x ad x 100) / (rd x an)
        emit(f"m{k} = {rn} * adS")
        emit(f"if m{k} < 0:")
        emit("    return False")
        emit(f"g{k}, rem = divmod(m{k}, e{k})")
    else:  # (2T - R) / T x 100 = (2 x rd x an - rn x ad) x 100 / (rd x an), floored at 0
        emit(f"x{k} = {rn} * ad")
        emit(f"n = (2 * e{k} - x{k}) * S")
        emit("if n < 0:")
        emit("    n = 0")
        emit(f"g{k}, rem = divmod(n, e{k})")
    emit(f"if 2 * rem >= e{k}:")
    emit(f"    g{k} += 1")


def _prorated(emit: Callable[[str], object], code: int, k: int, last: int) -> None:
    """Emit ``q``: R against the annual target's share to month ``last``, T x last / 12,
    from what :func:`_progress` computed for ``k``, rounded once half-up. T x last / 12
    is T x b / a with a / b = 12 / last in lowest terms: R / T x a / b. Numerator and
    denominator are scaled alike, which changes neither the quotient nor the rounding."""
    c = gcd(12, last)
    a, b = 12 // c, last // c
    times_a = "" if a == 1 else f" * {a}"
    times_b = "" if b == 1 else f" * {b}"
    if code == _NORMAL:  # R / (T x b / a) x 100 = (m x a) / (e x b)
        emit(f"n = m{k}{times_a}")
    else:  # (2 x T x b / a - R) / (T x b / a) x 100 = (2 x e x b - x x a) x 100 / (e x b)
        emit(f"n = (2 * e{k}{times_b} - x{k}{times_a}) * S")
        emit("if n < 0:")
        emit("    n = 0")
    d = f"e{k}"
    if b != 1:
        emit(f"d = e{k}{times_b}")
        d = "d"
    emit(f"q, rem = divmod(n, {d})")
    emit(f"if 2 * rem >= {d}:")
    emit("    q += 1")


def _points(emit: Callable[[str], object], code: int, var: str, tn: str, td: str) -> None:
    """Emit ``var``: R = rn / rd against T = ``tn`` / ``td`` in units of the last place
    kept under the polarity's formula, rounded once half-up, as the loop states it; below
    zero, the loop's general arithmetic (the kernel returns False)."""
    if code == _NORMAL:  # R / T x 100 (PermenPANRB 8/2021 annex, ch. VI, kondisi normal)
        emit(f"n, d = rn * {td} * S, rd * {tn}")
        emit("if n < 0:")
        emit("    return False")
    else:  # (2T - R) / T x 100, floored at 0 (kondisi khusus)
        emit(f"d = {tn} * rd")
        emit(f"n = (2 * d - rn * {td}) * S")
        emit("if n < 0:")
        emit("    n = 0")
    emit(f"{var}, rem = divmod(n, d)")
    emit("if 2 * rem >= d:")
    emit(f"    {var} += 1")
