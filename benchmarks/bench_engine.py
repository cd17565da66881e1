"""Benchmark of the achievement engine (figures in docs/benchmarks.md).

Computes the achievement of N generated indicators, each with four quarterly realisations
in 2021, for Q1, Q2, Q3, Q4 and the year, in two workloads:

- mix: counts aggregated by sum (some in buah reported in lusin, so that conversion
  happens), lower-is-better counts and percentage formulas X / Y;
- plans: the same counts, each with a quarterly plan (Rencana Aksi) whose quarters the
  targets to date add up (PeriodTarget.CUMULATIVE), the percentages as in the mix;

and three ways, all in the same run:

- engine: :func:`iki_core.engine.achievements` on a document of N indicators;
- bare: the same computation as a loop doing only the Decimal arithmetic (unit factors
  looked up once per indicator, no objects built but the result tuples);
- naive (mix only, on the first ``--naive-n`` indicators): a pint Quantity per value
  (Decimal magnitudes, a pint registry built from the package's own unit definitions),
  converted and added per value;

and, not timed, the engine's general path (each period on its own, recording its working)
on the first ``--general-n`` indicators of each workload.

The garbage collector stays on, as users run it (the engine pauses it while it computes, as
a load does; each timing ends after the young collection that follows, which walks what
was made). Each round times the engine and the bare
loop of each workload one after the other (interleaved, so that a change in the machine's
load touches both), on the clock (``perf_counter``) and in CPU seconds of this process
(``process_time``: what a dedicated core gives on a shared machine); the figures printed
are the medians of ``--rounds`` rounds, and the ratios are of medians of the same run. It
checks that engine, bare, naive and the general path agree on every percent, progress,
status and rating,
and gives the memory the engine's results hold and its peak (``tracemalloc``, in a round
of its own, not timed) and the process's peak resident size.

    python benchmarks/bench_engine.py            # N = 100000 (500,000 achievements a workload)
    python benchmarks/bench_engine.py --n 20000  # a quicker run
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any, NamedTuple, TypeVar

from workloads import PERIODS, YEAR, Spec, build_document, generate, with_plans

from iki_core.engine import Achievement, Status, achievements, rollup
from iki_core.engine.compiled import CompiledIndicator, PeriodFacts, Shared
from iki_core.engine.general import evaluate
from iki_core.model import Document, Realisation
from iki_core.rules import default_rules

MONTHS = tuple(p.last_month for p in PERIODS)
TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)
TWELVE = Decimal(12)
T = TypeVar("T")


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


def run_general(document: Document, realisations: list[Realisation], k: int) -> list[Result]:
    """The figures of the engine's general path (each period on its own, recording its
    working) for the first ``k`` indicators of ``document``: what the engine must equal."""
    rules = default_rules()
    shared = Shared(rules)
    facts = [PeriodFacts(p, rules) for p in PERIODS]
    mine: dict[str, list[Realisation]] = {}
    for r in realisations:
        mine.setdefault(r.indicator, []).append(r)
    out: list[Result] = []
    for ref, ind in document.references():
        if len(out) >= k * len(PERIODS):
            break
        c = CompiledIndicator(ind, rules, shared)
        series = c.prepare(mine.get(ref, []), ref).get(YEAR)
        for pf in facts:
            a = evaluate(c, series, pf, ref)
            out.append((a.percent, a.progress, a.status.value, a.rating))
    return out


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
        plan = s.plan
        for m in MONTHS:
            r = Decimal(0)
            for q, v, _, _ in reals:
                if 3 * q <= m:
                    r += v * factor if factor is not None else v
            if plan is None:
                t = annual * m / TWELVE
            else:  # the plan's quarters to date
                t = Decimal(0)
                for q in range(m // 3):
                    t += plan[q]
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


class Timing(NamedTuple):
    """The medians of several rounds: on the clock and in CPU seconds of this process."""

    wall: float
    cpu: float


def measure(fn: Callable[[], list[T]]) -> tuple[list[T], float, float]:
    """One run of ``fn`` with the garbage collector on: its result, wall and CPU seconds.
    The results of the run before are gone and collected first, so that each run starts
    from the same heap. The time counted ends after the young collection that follows
    ``fn``: the engine pauses the collector while it computes (iki_core._collector), and
    the walk of what it made, which the next collection does, is its cost too."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    gc.collect(0)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def median(times: list[tuple[float, float]]) -> Timing:
    return Timing(statistics.median(t[0] for t in times), statistics.median(t[1] for t in times))


def line(label: str, count: int, t: Timing, unit: str = "achievements") -> str:
    return (
        f"  {label:<14} {t.wall:7.2f} s {count / t.wall:>11,.0f} {unit}/s on the clock"
        f"  {t.cpu:7.2f} s {count / t.cpu:>11,.0f} per CPU second"
    )


def retained(document: Document, realisations: list[Realisation]) -> tuple[float, float]:
    """The memory the engine's results hold once computed and the peak while computing,
    in MB (tracemalloc, which slows the run down: not timed)."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        out = run_engine(document, realisations)
        held, peak = tracemalloc.get_traced_memory()
        del out
    finally:
        tracemalloc.stop()
    return (held - base) / 1e6, (peak - base) / 1e6


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=100_000, help="indicators (default 100000)")
    parser.add_argument("--seed", type=int, default=2021, help="generator seed")
    parser.add_argument("--rounds", type=int, default=5, help="rounds, medians kept (default 5)")
    parser.add_argument(
        "--naive-n", type=int, default=5000, help="indicators of the naive pint loop (slow)"
    )
    parser.add_argument(
        "--general-n", type=int, default=5000, help="indicators checked on the general path"
    )
    args = parser.parse_args(argv)
    n: int = args.n
    count = n * len(PERIODS)
    print(f"{n} indicators x {len(PERIODS)} periods = {count} achievements a workload")
    print(f"Python {sys.version.split()[0]}, garbage collector on, thresholds {gc.get_threshold()}")
    specs = {"mix": generate(n, args.seed)}
    specs["plans"] = with_plans(specs["mix"], args.seed)
    inputs = {name: build_document(s) for name, s in specs.items()}
    timings: dict[str, list[tuple[float, float]]] = {
        f"{w} {loop}": [] for w in specs for loop in ("engine", "bare")
    }
    agree: dict[str, int] = {}
    general: dict[str, int] = {}
    for _ in range(args.rounds):
        for name in specs:
            document, realisations = inputs[name]
            computed, wall, cpu = measure(partial(run_engine, document, realisations))
            timings[f"{name} engine"].append((wall, cpu))
            engine = engine_results(computed)
            del computed
            if name not in general:  # the general path, once (not timed)
                g = run_general(document, realisations, min(args.general_n, n))
                general[name] = sum(1 for a, b in zip(engine, g, strict=False) if a != b)
            bare, wall, cpu = measure(partial(run_bare, specs[name]))
            timings[f"{name} bare"].append((wall, cpu))
            agree[name] = sum(1 for a, b in zip(engine, bare, strict=True) if a != b)
            del engine, bare
    medians = {key: median(times) for key, times in timings.items()}
    print(f"medians of {args.rounds} rounds:")
    for key, t in medians.items():
        print(line(key, count, t))
    document, realisations = inputs["mix"]
    computed = run_engine(document, realisations)
    start = time.perf_counter()
    rolled = rollup(computed, document) + rollup(computed, document, level="sheet")
    t_rollup = time.perf_counter() - start
    print(f"  rollup         {t_rollup:7.2f} s {len(rolled):>11,} roll-ups (objectives, sheets)")
    start_cpu = time.process_time()
    read = sum(1 for a in computed if a.target is not None and a.realised is not None)
    t_read = time.process_time() - start_cpu
    print(f"  reading target and realised of every result: {t_read:.2f} CPU s ({read} read)")
    del computed, rolled

    k = min(args.naive_n, n)
    ureg = pint_registry()
    ureg.Quantity(Decimal(1), "lusin").to("buah")  # warm pint's caches outside the timing
    naive, wall, cpu = measure(lambda: run_naive(specs["mix"][:k], ureg))
    t_naive = Timing(wall, cpu)
    print(line(f"mix naive ({k})", k * len(PERIODS), t_naive))
    small_doc, small_reals = build_document(specs["mix"][:k])
    small = engine_results(run_engine(small_doc, small_reals))
    differ = sum(1 for a, b in zip(small, naive, strict=True) if a != b)

    for name in specs:
        print(
            f"  {name}: engine and bare loop agree: {'yes' if agree[name] == 0 else 'no'}", end=""
        )
        print(f" ({agree[name]} differ)" if agree[name] else "")
    print(f"  mix: engine and naive loop agree: {'yes' if differ == 0 else f'no, {differ} differ'}")
    kg = min(args.general_n, n)
    for name, d in general.items():
        print(
            f"  {name}: engine and general path agree on the first {kg} indicators:"
            f" {'yes' if d == 0 else f'no, {d} differ'}"
        )
    held, peak = retained(*inputs["mix"])
    print(
        f"  memory: the results hold {held:.0f} MB ({held * 1e3 / count:.2f} KB an achievement),"
        f" peak {peak:.0f} MB while computing; process peak RSS"
        f" {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB"
    )
    print("against the goals, per CPU second (a dedicated core):")
    for name, goal in (("mix", 400_000), ("plans", 250_000)):
        engine_t, bare_t = medians[f"{name} engine"], medians[f"{name} bare"]
        rate = count / engine_t.cpu
        print(
            f"  {name}: {rate:,.0f} achievements/s (goal >= {goal:,}:"
            f" {'met' if rate >= goal else 'not met'}); engine / bare Decimal loop"
            f" {engine_t.cpu / bare_t.cpu:.2f}x CPU, {engine_t.wall / bare_t.wall:.2f}x wall"
            f" (goal <= 2x: {'met' if engine_t.cpu / bare_t.cpu <= 2 else 'not met'})"
        )
    per_naive = t_naive.cpu / (k * len(PERIODS))
    per_engine = medians["mix engine"].cpu / count
    print(f"  engine speed-up over naive pint: {per_naive / per_engine:.0f}x (per achievement)")


if __name__ == "__main__":
    main()
