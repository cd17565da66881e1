"""The columnar path under rules its kernel does not state: every row goes to the engine,
so the results are the engine's (docs/rules.md, "measure")."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pyarrow as pa

from iki_core.columnar import (
    achievements_from_tables,
    achievements_table,
    indicators_table,
    realisations_table,
)
from iki_core.engine import achievements
from iki_core.model import (
    Count,
    Document,
    Indicator,
    Objective,
    Realisation,
    Sheet,
    Target,
)
from iki_core.periods import Period
from iki_core.rules import DEFAULT_RULES
from iki_core.units import get_registry, parse_quantity


def test_the_baseline_measure_is_the_engines_on_the_columnar_path() -> None:
    # Rules.measure = baseline: (R - B) / (T - B). B 40 orang, T 60 orang, realised 15, 20,
    # 10 and 10 orang in the quarters (55 in the year): (55 - 40) / (60 - 40) = 75.00%,
    # where the target measure gives 55 / 60 = 91.666..., 91.67%
    orang = get_registry().unit("orang")
    ind = Indicator(
        "1",
        "Jumlah peserta pelatihan",
        Count(orang),
        [Target.parse(2021, "60 orang")],
        baseline=Target(2020, parse_quantity("40 orang"), "40 orang"),
    )
    doc = Document([Sheet(1, "Kepala", objectives=[Objective("1", "Sasaran", [ind])])])
    reals = [
        Realisation("1:1", Period.parse(f"2021-Q{q}"), value=parse_quantity(f"{v} orang"))
        for q, v in ((1, 15), (2, 20), (3, 10), (4, 10))
    ]
    year = [Period.parse("2021")]
    baseline = attrs.evolve(DEFAULT_RULES, measure="baseline")
    table = achievements_table(doc, reals, year, baseline)
    assert table.column("percent").to_pylist() == [Decimal("75.00")]
    (a,) = achievements(doc, reals, year, baseline)
    assert a.percent == Decimal("75.00")
    target = achievements_table(doc, reals, year, DEFAULT_RULES)
    assert target.column("percent").to_pylist() == [Decimal("91.67")]
    # the tables carry the baseline (its year and text): from them alone, the same 75.00%
    ind = indicators_table(doc)
    assert ind.column("baseline").to_pylist() == ["40 orang"]
    assert ind.column("baseline_year").to_pylist() == [2020]
    tables = achievements_from_tables(ind, realisations_table(reals), year, baseline)
    assert isinstance(tables, pa.Table)
    assert tables.column("percent").to_pylist() == [Decimal("75.00")]
