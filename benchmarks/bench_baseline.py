"""This checkout against the code the scale goals were set against, in one run.

The goals in docs/benchmarks.md ("Where the goals stand") were set on another machine,
with the code of commit ab4b4bd. This script measures that code and this checkout on
this machine, alternately, each measurement in a fresh process with the collector on, in
CPU seconds, so that the speed-up measured here can be set beside the speed-up a goal
asks:

- ``engine``: the engine benchmark of that commit (``benchmarks/bench_engine.py`` of the
  other checkout: its generated mix of counts, lower-is-better counts and percentage
  formulas, five periods each), its engine loop and its bare Decimal loop, the collector
  left on (that script switched it off);
- ``plans``: the plans workload of this checkout's engine benchmark (``workloads.py``:
  the same indicators, each count given a quarterly plan, built with the model's public
  classes), computed by each version's ``achievements()``, collector on (the goals' code
  has no plans workload of its own);
- ``load``: the generated 100,000-indicator text document of ``bench_loader.py``, read
  with ``loads(text, format="text")``, the first young collection after it counted.

    git worktree add --detach /tmp/goal-code ab4b4bd
    python benchmarks/bench_baseline.py --against /tmp/goal-code --rounds 2
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def _engine(script: str, n: int, rounds: int) -> dict[str, float]:
    """The other checkout's engine benchmark, its engine and bare loops, collector on,
    each timing ending after the young collection that follows it."""
    spec = importlib.util.spec_from_file_location("goal_bench_engine", script)
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    specs = bench.generate(n, 2021)
    document, realisations = bench.build_document(specs)
    bench.run_engine(document, realisations[:10])  # warm the caches outside the timing
    engine: list[float] = []
    bare: list[float] = []
    for _ in range(rounds):
        gc.collect()
        start = time.process_time()
        result = bench.run_engine(document, realisations)
        gc.collect(0)  # the young collection after: what a paused collector left to walk
        engine.append(time.process_time() - start)
        del result
        gc.collect()
        start = time.process_time()
        result = bench.run_bare(specs)
        gc.collect(0)
        bare.append(time.process_time() - start)
        del result
    count = n * len(bench.PERIODS)
    return {
        "engine": count / statistics.median(engine),
        "bare": count / statistics.median(bare),
    }


def _plans(n: int, rounds: int) -> dict[str, float]:
    """The plans workload computed by the ``achievements()`` on the path, collector on,
    each timing ending after the young collection that follows it."""
    sys.path.insert(0, str(HERE / "benchmarks"))
    from workloads import PERIODS, build_document, generate, with_plans

    from iki_core.engine import achievements

    document, realisations = build_document(with_plans(generate(n)))
    achievements(document, realisations[:10], PERIODS)  # warm the caches outside the timing
    times: list[float] = []
    for _ in range(rounds):
        gc.collect()
        start = time.process_time()
        result = achievements(document, realisations, PERIODS)
        gc.collect(0)
        times.append(time.process_time() - start)
        del result
    return {"plans": n * len(PERIODS) / statistics.median(times)}


def _load(path: str) -> dict[str, float]:
    """One load of the document at ``path`` with the collector on, CPU seconds."""
    from iki_core.loaders import loads
    from iki_core.units import get_registry

    get_registry()
    text = Path(path).read_text(encoding="utf-8")
    gc.collect()
    start = time.process_time()
    loads(text, format="text")
    gc.collect(0)  # the young collection the host's next allocations would trigger
    return {"cpu": time.process_time() - start}


def _child(args: list[str], src: str) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=src)
    out = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout.splitlines()[-1])
    return result


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--against", help="the checkout of the goals' code (commit ab4b4bd)")
    parser.add_argument("--rounds", type=int, default=2, help="fresh processes per version")
    parser.add_argument("--n", type=int, default=20_000, help="indicators of the engine run")
    parser.add_argument("--indicators", type=int, default=100_000, help="of the document")
    parser.add_argument("--one", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:  # a measurement in this fresh process
        what, *rest = args.one
        if what == "engine":
            print(json.dumps(_engine(rest[0], int(rest[1]), int(rest[2]))))
        elif what == "plans":
            print(json.dumps(_plans(int(rest[0]), int(rest[1]))))
        else:
            print(json.dumps(_load(rest[0])))
        return
    if not args.against:
        parser.error("--against is required")
    other = Path(args.against).resolve()
    script = str(other / "benchmarks" / "bench_engine.py")
    versions = (("goals' code", str(other / "src")), ("this checkout", str(HERE / "src")))
    sys.path.insert(0, str(HERE / "src"))
    sys.path.insert(0, str(HERE / "benchmarks"))
    from bench_loader import build_text

    with tempfile.TemporaryDirectory() as tmp:
        document = Path(tmp) / "document.txt"
        document.write_text(build_text(args.indicators), encoding="utf-8")
        engine: dict[str, list[dict[str, float]]] = {name: [] for name, _ in versions}
        plans: dict[str, list[float]] = {name: [] for name, _ in versions}
        load: dict[str, list[float]] = {name: [] for name, _ in versions}
        for _ in range(args.rounds):
            for name, src in versions:
                engine[name].append(_child(["--one", "engine", script, str(args.n), "3"], src))
                plans[name].append(_child(["--one", "plans", str(args.n), "3"], src)["plans"])
                load[name].append(_child(["--one", "load", str(document)], src)["cpu"])
    for name, _ in versions:
        e = ", ".join(f"{r['engine']:,.0f}" for r in engine[name])
        b = ", ".join(f"{r['bare']:,.0f}" for r in engine[name])
        p = ", ".join(f"{r:,.0f}" for r in plans[name])
        t = ", ".join(f"{s:.2f}" for s in load[name])
        print(
            f"{name}: engine {e} per CPU s (bare loop {b}); plans {p} per CPU s; document {t} CPU s"
        )
    goal, here = (name for name, _ in versions)
    speed = statistics.median(r["engine"] for r in engine[here]) / statistics.median(
        r["engine"] for r in engine[goal]
    )
    planned = statistics.median(plans[here]) / statistics.median(plans[goal])
    faster = statistics.median(load[goal]) / statistics.median(load[here])
    print(f"speed-up over the goals' code: engine {speed:.2f}x (asked 4.1x: 97,000 to 400,000),")
    print(f"  plans {planned:.2f}x (asked 4.5x: 55,000 to 250,000),")
    print(f"  document {faster:.2f}x (asked 3.5x: 7 s to 2 s)")


if __name__ == "__main__":
    main()
