"""The achievement engine: capaian per month, quarter, semester and year, with its working.

Given an indicator, its realisations (realisasi) and a period P of year Y,
:func:`achievement` computes what Indonesian performance reports publish:

- ``target``: the target for P, cumulative (the quarterly plan when there is one;
  otherwise counts aggregated by sum get the annual target x months of Y elapsed by the
  end of P / 12, event reports their target prorated over the event's active months, and
  everything else the annual target; see :class:`~iki_core.rules.PeriodTarget`);
- ``realised``: the realisations from the start of Y to the end of P, aggregated by the
  indicator's aggregation (percentages: sum(X) / sum(Y));
- ``percent``: realised against ``target`` under the polarity's :class:`Formula`;
- ``progress``: realised against the whole annual target (Permendagri 86/2017);
- ``status`` and ``rating`` (:class:`~iki_core.rules.RatingScale`);
- ``warnings`` that do not stop the computation (``notices``: each with a stable code and
  its parameters, written in any language of the catalogue), and
  :meth:`Achievement.explain`.

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

The package, one job per module: :mod:`~iki_core.engine.results` (what it returns),
:mod:`~iki_core.engine.ratios` (exact arithmetic), :mod:`~iki_core.engine.formulas` (the
achievement formulas and their registry), :mod:`~iki_core.engine.compiled` (an indicator
compiled against rules), :mod:`~iki_core.engine.lean` (the lean path: every period of a
common indicator in one pass, each result one object whose quantities are built when
first read, from the frame of :mod:`~iki_core.engine.frame`; what a run works out once,
the periods' facts and the shapes of the realisations' periods, in
:mod:`~iki_core.engine.run`; its loop over the periods written out once per shape of
realisations, in :mod:`~iki_core.engine.unrolled`),
:mod:`~iki_core.engine.fast` (the fast path and the entry points),
:mod:`~iki_core.engine.general` (the general path, which records its working
as the typed steps of :mod:`~iki_core.engine.steps`), :mod:`~iki_core.engine.notices`,
:mod:`~iki_core.engine.rollup`, :mod:`~iki_core.engine.explain` and
:mod:`~iki_core.engine.audit` (which rule settings reproduce a published figure) and
:mod:`~iki_core.engine.baseline` (baselines, the end-of-plan target, trends).
"""

from __future__ import annotations

from iki_core.engine.audit import (
    Match,
    PublishedRow,
    TableFit,
    explain_published,
    explain_table,
)
from iki_core.engine.baseline import (
    TrendRow,
    baseline_achievement,
    end_of_plan_achievement,
    trend,
)
from iki_core.engine.fast import achievement, achievements
from iki_core.engine.formulas import (
    Formula,
    RangeFormula,
    formula,
    formula_names,
    range_formula,
    register_formula,
)
from iki_core.engine.results import Achievement, Notice, Rollup, Status
from iki_core.engine.rollup import rollup

__all__ = [
    "Achievement",
    "Formula",
    "Match",
    "Notice",
    "PublishedRow",
    "RangeFormula",
    "Rollup",
    "Status",
    "TableFit",
    "TrendRow",
    "achievement",
    "achievements",
    "baseline_achievement",
    "end_of_plan_achievement",
    "explain_published",
    "explain_table",
    "formula",
    "formula_names",
    "range_formula",
    "register_formula",
    "rollup",
    "trend",
]
