"""Benchmark of the achievement engine (figures in docs/benchmarks.md).

Computes the achievement of N generated indicators, each with four quarterly realisations
in 2021, for Q1, Q2, Q3, Q4 and the year, three ways, all measured in the same run:

- engine: :func:`iki_core.engine.achievements` on a document of N indicators (each
  indicator compiled once: units, formula, targets);
- naive: the same computation with a pint Quantity per value (Decimal magnitudes, a pint
  registry built from the package's own unit definitions), converted and added per value;
- bare: the same computation as a loop doing only the Decimal arithmetic (unit factors
  looked up once per indicator, no objects built but the results).

It also times the roll-ups of the engine's achievements per objective and per sheet
(:func:`iki_core.engine.rollup`), once.

It prints achievements per second for each, the engine's speed-up over the naive loop and
its slow-down against the bare loop, and checks that the three agree on every percent.
The indicators mix counts aggregated by sum (some in buah reported in lusin, so that
conversion happens), lower-is-better counts and percentage formulas X / Y.

    python benchmarks/bench_engine.py            # N = 100000
    python benchmarks/bench_engine.py --n 2000   # a quick run

The engine and bare loops keep the best of three runs (``--repeat``), the naive loop runs
once (``--naive-repeat``); the cyclic garbage collector is off while timing, as in timeit.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple, TypeVar

from iki_core.engine import Achievement, Status, achievements, rollup
from iki_core.model import (
    Count,
    Document,
    Indicator,
    Objective,
    PercentageFormula,
    Polarity,
    Realisation,
    Sheet,
    Target,
)
from iki_core.periods import Period
from iki_core.units import Quantity, get_registry

YEAR = 2021
PERIODS = (*(Period.quarter(YEAR, q) for q in range(1, 5)), Period(YEAR))
MONTHS = tuple(p.last_month for p in PERIODS)
TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)
TWELVE = Decimal(12)
PER_SHEET = 1000
PER_OBJECTIVE = 10
T = TypeVar("T")


class Spec(NamedTuple):
    """One generated indicator, the input the three loops share."""

    reference: str
    kind: str  # "count" or "percentage"
    unit: str  # the indicator's unit ("" for percentages)
    lower: bool
    annual: Decimal
    realisations: tuple[tuple[int, Decimal, Decimal, str], ...]  # (quarter, value or X, Y, unit)


def generate(n: int, seed: int = 2021) -> list[Spec]:
    """N indicators: 60% counts (orang, laporan, kali, unit), 10% counts in buah reported
    in lusin, 15% lower-is-better counts of kasus, 15% percentage formulas."""
    rng = random.Random(seed)
    specs: list[Spec] = []
    for i in range(n):
        sheet, index = divmod(i, PER_SHEET)
        ref = f"{sheet + 1}:{index + 1}"
        roll = rng.randrange(100)
        if roll < 15:
            reals = []
            for q in range(1, 5):
                y = rng.randint(1, 40)
                reals.append((q, Decimal(rng.randint(0, y)), Decimal(y), ""))
            specs.append(Spec(ref, "percentage", "", False, Decimal(100), tuple(reals)))
            continue
        if roll < 25:
            unit, real_unit, lower = "buah", "lusin", False
        elif roll < 40:
            unit, real_unit, lower = "kasus", "kasus", True
        else:
            unit = real_unit = rng.choice(("orang", "laporan", "kali", "unit"))
            lower = False
        annual = Decimal(rng.randint(4, 800))
        reals = [
            (
                q,
                Decimal(rng.randint(0, 300)) / (4 if rng.randrange(4) == 0 else 1),
                Decimal(0),
                real_unit,
            )
            for q in range(1, 5)
        ]
        specs.append(Spec(ref, "count", unit, lower, annual, tuple(reals)))
    return specs


def build_document(specs: Sequence[Spec]) -> tuple[Document, list[Realisation]]:
    """The engine's input: a document of sheets of 1000 indicators, and the realisations."""
    reg = get_registry()
    sheets: list[Sheet] = []
    realisations: list[Realisation] = []
    periods = {q: Period.quarter(YEAR, q) for q in range(1, 5)}
    for start in range(0, len(specs), PER_SHEET):
        chunk = specs[start : start + PER_SHEET]
        indicators: list[Indicator] = []
        for s in chunk:
            ind_id = s.reference.partition(":")[2]
            if s.kind == "percentage":
                kind: Count | PercentageFormula = PercentageFormula("X", "Y")
                target = Quantity(s.annual, kind.unit, text=f"{s.annual}%")
                for q, x, y, _ in s.realisations:
                    realisations.append(
                        Realisation(s.reference, periods[q], numerator=x, denominator=y)
                    )
            else:
                kind = Count(reg.unit(s.unit))
                target = Quantity(s.annual, kind.unit, text=f"{s.annual} {s.unit}")
                for q, v, _, u in s.realisations:
                    realisations.append(
                        Realisation(s.reference, periods[q], value=Quantity(v, reg.unit(u)))
                    )
            indicators.append(
                Indicator(
                    ind_id,
                    f"Indikator {s.reference}",
                    kind,
                    targets=(Target(YEAR, target, target.text or ""),),
                    polarity=Polarity.LOWER_IS_BETTER if s.lower else Polarity.HIGHER_IS_BETTER,
                )
            )
        objectives = [
            Objective(str(k // PER_OBJECTIVE + 1), "Sasaran", indicators[k : k + PER_OBJECTIVE])
            for k in range(0, len(indicators), PER_OBJECTIVE)
        ]
        sheets.append(Sheet(start // PER_SHEET + 1, "Jabatan", objectives=objectives))
    return Document(sheets), realisations


Result = tuple[Decimal | None, Decimal | None, str, str | None]
BANDS = (
    (Decimal(91), "Sangat Tinggi"),
    (Decimal(76), "Tinggi"),
    (Decimal(66), "Sedang"),
    (Decimal(51), "Rendah"),
)
"""Permendagri 86/2017, lower-inclusive (the engine's default scale), for the other loops."""


def _rating(percent: Decimal) -> str:
    for low, label in BANDS:
        if percent >= low:
            return label
    return "Sangat Rendah"


def run_engine(document: Document, realisations: list[Realisation]) -> list[Achievement]:
    return achievements(document, realisations, PERIODS)


def engine_results(computed: list[Achievement]) -> list[Result]:
    """The figures the other loops compute, read from the achievements (not timed)."""
    return [(a.percent, a.progress, a.status.value, a.rating) for a in computed]


def _status(percent: Decimal) -> str:
    return Status.ACHIEVED.value if percent >= HUNDRED else Status.NOT_ACHIEVED.value


def run_bare(specs: Sequence[Spec]) -> list[Result]:
    """Only the Decimal arithmetic (and the rating's comparisons): unit factors looked up
    once per indicator, no objects built but the result tuples."""
    factors = {"lusin": Decimal(12)}
    out: list[Result] = []
    for s in specs:
        annual = s.annual
        reals = s.realisations
        if s.kind == "percentage":
            for m in MONTHS:
                x = y = Decimal(0)
                for q, rx, ry, _ in reals:
                    if 3 * q <= m:
                        x += rx
                        y += ry
                r = x / y * HUNDRED
                p = (r / annual * HUNDRED).quantize(TWO_PLACES, ROUND_HALF_UP)
                out.append((p, p, _status(p), _rating(p)))
            continue
        factor = factors.get(reals[0][3]) if reals[0][3] != s.unit else None
        for m in MONTHS:
            r = Decimal(0)
            for q, v, _, _ in reals:
                if 3 * q <= m:
                    r += v * factor if factor is not None else v
            t = annual * m / TWELVE
            if s.lower:
                raw = (2 * t - r) / t * HUNDRED
                p = max(raw, Decimal(0)).quantize(TWO_PLACES, ROUND_HALF_UP)
                g = max((2 * annual - r) / annual * HUNDRED, Decimal(0))
            else:
                p = (r / t * HUNDRED).quantize(TWO_PLACES, ROUND_HALF_UP)
                g = r / annual * HUNDRED
            out.append((p, g.quantize(TWO_PLACES, ROUND_HALF_UP), _status(p), _rating(p)))
    return out


def pint_registry() -> Any:
    """A pint registry with Decimal magnitudes, built from the package's definitions."""
    import pint

    from iki_core.units import _default_definitions

    ureg = pint.UnitRegistry(None, non_int_type=Decimal, cache_folder=None)
    ureg.load_definitions(_default_definitions().splitlines())
    return ureg


def run_naive(specs: Sequence[Spec], ureg: Any) -> list[Result]:
    """A pint Quantity per value: each realisation built, converted and added with pint."""
    out: list[Result] = []
    zero = Decimal(0)
    for s in specs:
        if s.kind == "percentage":
            target = ureg.Quantity(s.annual, "persen")
            for m in MONTHS:
                x: Any = None
                y: Any = None
                for q, rx, ry, _ in s.realisations:
                    if 3 * q <= m:
                        qx, qy = ureg.Quantity(rx), ureg.Quantity(ry)
                        x = qx if x is None else x + qx
                        y = qy if y is None else y + qy
                r = ureg.Quantity((x / y).to("dimensionless").magnitude * HUNDRED, "persen")
                raw = (r / target).to("dimensionless").magnitude * HUNDRED
                p = raw.quantize(TWO_PLACES, ROUND_HALF_UP)
                out.append((p, p, _status(p), _rating(p)))
            continue
        annual = ureg.Quantity(s.annual, s.unit)
        for m in MONTHS:
            total: Any = None
            for q, v, _, u in s.realisations:
                if 3 * q <= m:
                    value = ureg.Quantity(v, u).to(s.unit)
                    total = value if total is None else total + value
            t = annual * Decimal(m) / TWELVE
            if s.lower:
                raw = ((2 * t - total) / t).to("dimensionless").magnitude * HUNDRED
                p = max(raw, zero).quantize(TWO_PLACES, ROUND_HALF_UP)
                graw = ((2 * annual - total) / annual).to("dimensionless").magnitude * HUNDRED
                g = max(graw, zero)
            else:
                p = ((total / t).to("dimensionless").magnitude * HUNDRED).quantize(
                    TWO_PLACES, ROUND_HALF_UP
                )
                g = (total / annual).to("dimensionless").magnitude * HUNDRED
            out.append((p, g.quantize(TWO_PLACES, ROUND_HALF_UP), _status(p), _rating(p)))
    return out


def timed(label: str, fn: Callable[[], list[T]], repeat: int) -> tuple[list[T], float]:
    """The best of ``repeat`` runs (the first also pays for the process's memory growth),
    with the cyclic collector off, as timeit does: the computation, not the collector."""
    best = float("inf")
    result: list[T] = []
    for _ in range(repeat):
        result = []
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            result = fn()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    print(f"  {label:<8} {best:8.2f} s  {len(result) / best:>12,.0f} achievements/s")
    return result, best


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=100_000, help="indicators (default 100000)")
    parser.add_argument("--seed", type=int, default=2021, help="generator seed")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of the engine and bare loops, best kept"
    )
    parser.add_argument(
        "--naive-repeat", type=int, default=1, help="runs of the naive loop (slow), best kept"
    )
    args = parser.parse_args(argv)
    n: int = args.n
    print(f"{n} indicators x {len(PERIODS)} periods = {n * len(PERIODS)} achievements")
    specs = generate(n, args.seed)
    document, realisations = build_document(specs)
    ureg = pint_registry()
    ureg.Quantity(Decimal(1), "lusin").to("buah")  # warm pint's caches outside the timing
    computed, t_engine = timed("engine", lambda: run_engine(document, realisations), args.repeat)
    engine = engine_results(computed)
    start = time.perf_counter()  # once, with the collector on, as a report would run it
    rolled = rollup(computed, document) + rollup(computed, document, level="sheet")
    t_rollup = time.perf_counter() - start
    print(f"  rollup   {t_rollup:8.2f} s  {len(rolled):>12,} roll-ups (objectives and sheets)")
    bare, t_bare = timed("bare", lambda: run_bare(specs), args.repeat)
    naive, t_naive = timed("naive", lambda: run_naive(specs, ureg), args.naive_repeat)
    differ = sum(1 for a, b, c in zip(engine, bare, naive, strict=True) if not a == b == c)
    print(f"  results agree: {'yes' if differ == 0 else f'no, {differ} differ'}")
    print(f"  engine speed-up over naive pint: {t_naive / t_engine:.1f}x (goal >= 25x)")
    print(f"  engine slow-down against bare Decimal: {t_engine / t_bare:.1f}x (goal <= 4x)")


if __name__ == "__main__":
    main()
