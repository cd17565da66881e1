"""The engine benchmark's generated workloads (docs/benchmarks.md, "Achievement engine").

Built with the model's public classes alone, so that ``bench_baseline.py`` builds the same
workloads for an older checkout of the package as for this one:

- mix: N indicators, four quarterly realisations each in 2021: 60% counts (orang, laporan,
  kali, unit), 10% counts in buah reported in lusin, 15% lower-is-better counts of kasus,
  15% percentage formulas X / Y;
- plans: the same, each count given a quarterly plan (Rencana Aksi).

The indicators and their values are invented, reproducible from a seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from iki_core.model import (
    Count,
    Document,
    Indicator,
    Objective,
    PercentageFormula,
    Polarity,
    QuarterlyPlan,
    Realisation,
    Sheet,
    Target,
)
from iki_core.periods import Period
from iki_core.units import Quantity, get_registry

__all__ = ["PERIODS", "YEAR", "Spec", "build_document", "generate", "with_plans"]

YEAR = 2021
PERIODS = (*(Period.quarter(YEAR, q) for q in range(1, 5)), Period(YEAR))
PER_SHEET = 1000
PER_OBJECTIVE = 10


class Spec(NamedTuple):
    """One generated indicator, the input the three loops share."""

    reference: str
    kind: str  # "count" or "percentage"
    unit: str  # the indicator's unit ("" for percentages)
    lower: bool
    annual: Decimal
    realisations: tuple[tuple[int, Decimal, Decimal, str], ...]  # (quarter, value or X, Y, unit)
    plan: tuple[Decimal, ...] | None = None  # the quarters' own targets (counts only)


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


def with_plans(specs: Sequence[Spec], seed: int = 2021) -> list[Spec]:
    """The same indicators, each count given a quarterly plan: four positive quarters
    adding up to about the annual target."""
    rng = random.Random(seed)
    out: list[Spec] = []
    for s in specs:
        if s.kind != "count":
            out.append(s)
            continue
        share = [rng.randint(1, 4) for _ in range(4)]
        plan = tuple(Decimal(max(1, int(s.annual) * k // sum(share))) for k in share)
        out.append(s._replace(plan=plan))
    return out


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
            plans: tuple[QuarterlyPlan, ...] = ()
            if s.plan is not None:
                q1, q2, q3, q4 = (Quantity(v, kind.unit) for v in s.plan)
                plans = (QuarterlyPlan(YEAR, (q1, q2, q3, q4)),)
            indicators.append(
                Indicator(
                    ind_id,
                    f"Indikator {s.reference}",
                    kind,
                    targets=(Target(YEAR, target, target.text or ""),),
                    polarity=Polarity.LOWER_IS_BETTER if s.lower else Polarity.HIGHER_IS_BETTER,
                    plans=plans,
                )
            )
        objectives = [
            Objective(str(k // PER_OBJECTIVE + 1), "Sasaran", indicators[k : k + PER_OBJECTIVE])
            for k in range(0, len(indicators), PER_OBJECTIVE)
        ]
        sheets.append(Sheet(start // PER_SHEET + 1, "Jabatan", objectives=objectives))
    return Document(sheets), realisations
