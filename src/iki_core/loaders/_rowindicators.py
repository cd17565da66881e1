"""The indicator of each data row of a sheet's table: its targets read
(:class:`~iki_core.loaders._rowtargets.TargetCells`), its kind, polarity and aggregation
inferred (:class:`~iki_core.loaders.options.Inferrer`, then the loader options), and what
is worth a word reported (value kinds, percentages by the later rules, a data source
that looks like a target, formulas in markup)."""

from __future__ import annotations

import itertools

from iki_core._loaded import built_indicator, is_plain, loaded_indicator, loaded_source
from iki_core.errors import IkiError
from iki_core.kinds import VALUE_KINDS, GradeKind, IndicatorKind, Target
from iki_core.loaders._cellvalues import markup_part
from iki_core.loaders._rowtargets import Report, TargetCells, _Row
from iki_core.loaders.context import ReadContext
from iki_core.loaders.options import Candidate, Inference, Inferrer, find_formula
from iki_core.model import Indicator, SourceText
from iki_core.numbers import NO_TARGET_MARKS, Lang
from iki_core.units import Unit

__all__ = ["IndicatorReader"]


class IndicatorReader:
    """Makes the indicators of the rows of one sheet, in order, once the number locale
    of each year column (``langs``) is known."""

    def __init__(self, ctx: ReadContext, sheet: int, report: Report) -> None:
        self.ctx = ctx
        self.sheet = sheet
        self.report = report
        self.langs: dict[int, Lang] = {}
        self._targets = TargetCells(ctx, report)
        self._inferrer = Inferrer(ctx.options)
        # what a row needs that depends on one of few values, found once per value
        self._plain_options = ctx.options.infer is None and not ctx.options.overrides
        # by the id of an Inference (the inferrer keeps each alive): built without the
        # constructor's checks (is_plain), reported (a value kind or a percentage)
        self._kinds: dict[int, tuple[bool, bool]] = {}
        self._years_seen: tuple[int, ...] | None = None
        self._years_in_order = False
        self._like_targets: dict[str, bool] = {}
        self._cells = self._targets.cells
        self._plain_targets = self._targets.plain_targets
        self._plain_texts = self._targets.plain_texts
        self._infer = self._inferrer.infer_units
        self._unit = ctx.registry.unit

    def indicator(self, row: _Row, ident: str, objective: str) -> Indicator | None:
        """The indicator of ``row``: read by :meth:`_read_indicator`, in fewer steps
        when its target cells are plain (:meth:`TargetCells.cells`) and the options
        change no inference."""
        cells = self._cells(row, self.langs) if self._plain_options else None
        if cells is None:
            return self._read_indicator(row, ident, objective)
        line, name, explanation = row.line, row.name, row.explanation
        unit: Unit | None = self._unit(row.unit_text) if row.unit_text else None
        units = tuple([c.unit for c in cells if c.unit is not None])
        inference = self._infer(name, explanation, units, len(cells), unit)
        kind = inference.kind
        facts = self._kinds.get(id(inference))
        if facts is None:
            polarity, aggregation = inference.polarity, inference.aggregation
            facts = self._kinds[id(inference)] = (
                is_plain(kind, polarity, aggregation),
                isinstance(kind, VALUE_KINDS) or kind.name == "percentage",
            )
        plain, reported = facts
        if reported:
            self._report_kind(row, kind, units, unit)
        targets = self._plain_targets(row, cells, kind.unit)
        if targets is None:
            readable = [
                (c.year, c.value, raw.strip(), c.reading)
                for c, raw in zip(cells, row.raws, strict=True)
            ]
            targets = self._targets.targets(row, readable, kind.unit)
        data_source = row.data_source
        if data_source and (  # _check_data_source, unless it finds nothing to say
            self._like_targets.get(data_source) is not False
            or data_source in self._plain_texts  # a target text equal to it, maybe
        ):
            self._check_data_source(row, [c.text for c in cells])
        if "$" in explanation or "\\" in explanation:
            self._report_markup(line, explanation)
        years = row.years
        if years is not self._years_seen:
            self._years_seen = years
            self._years_in_order = all(a < b for a, b in itertools.pairwise(years))
        if plain and self._years_in_order:
            return built_indicator(
                ident,
                name,
                kind,
                tuple(targets),
                inference.polarity,
                inference.aggregation,
                explanation,
                data_source,
                loaded_source(line, row.cells),
            )
        return self._built(row, ident, kind, targets, inference)

    def _read_indicator(self, row: _Row, ident: str, objective: str) -> Indicator | None:
        ctx = self.ctx
        line = row.line
        texts, readable = self._targets.read(row, self.langs)
        unit: Unit | None = ctx.registry.unit(row.unit_text) if row.unit_text else None
        values = tuple([(y, v) for y, v, _, _ in readable])
        inference = self._inferrer.infer(row.name, row.explanation, values, unit)
        options = ctx.options
        if options.infer is not None or options.overrides:
            candidate = Candidate(
                reference=f"{self.sheet}:{ident}",
                name=row.name,
                explanation=row.explanation,
                objective=objective,
                data_source=row.data_source,
                targets=values,
                unit=unit,
                line=line,
            )
            inference = options.revise(candidate, inference)
        kind = inference.kind
        units = tuple(v.unit for _, v in values if v is not None)
        self._report_kind(row, kind, units, unit)
        targets = self._targets.targets(row, readable, kind.unit)
        self._check_data_source(row, texts)
        if "$" in row.explanation or "\\" in row.explanation:
            self._report_markup(line, row.explanation)
        return self._built(row, ident, kind, targets, inference)

    def _report_kind(
        self, row: _Row, kind: IndicatorKind, units: tuple[Unit, ...], unit: Unit | None
    ) -> None:
        """Say that ``row`` is read as a value kind, or as a percentage by one of the
        later rules."""
        if isinstance(kind, VALUE_KINDS):
            what = kind.scale.key if isinstance(kind, GradeKind) else kind.name
            self.report(row.line, "info", "value-kind", {"name": row.name, "kind": what})
        if kind.name == "percentage":
            rule = self._inferrer.percentage_rule(row.name, row.explanation, units, unit)
            if rule is not None:
                self.report(
                    row.line,
                    "info",
                    "percentage-inferred",
                    {"name": row.name},
                    key=f"percentage-from-{rule}",
                )

    def _report_markup(self, line: int, explanation: str) -> None:
        """Say how an explanation written in markup is read."""
        formula = find_formula(explanation)
        self.report(
            line,
            "info",
            "formula-markup",
            {
                "markup": markup_part(explanation),
                "factor": formula.factor if formula is not None else "",
            },
            explanation,
            key=None if formula is not None else "formula-markup-kept",
        )

    def _built(
        self,
        row: _Row,
        ident: str,
        kind: IndicatorKind,
        targets: list[Target],
        inference: Inference,
    ) -> Indicator | None:
        try:
            return loaded_indicator(
                ident,
                row.name,
                kind,
                tuple(targets),
                inference.polarity,
                inference.aggregation,
                row.explanation,
                row.data_source,
                SourceText(row.line, row.cells),
            )
        except IkiError as exc:  # not read: the row's text is kept with the error
            row_text = "\t".join(text for _, text in row.cells)
            self.report(row.line, "error", "invalid-indicator", {"reason": exc}, row_text)
            return None

    def _check_data_source(self, row: _Row, texts: list[str]) -> None:
        ds = row.data_source
        if not ds:
            return
        looks = ds in NO_TARGET_MARKS or ds in texts
        if not looks:  # a value on its own? read once per text, when first asked
            like = self._like_targets.get(ds)
            if like is None:
                like = not isinstance(self.ctx.parse_value(ds), str)
                self._like_targets[ds] = like
            looks = like
        if looks:
            self.report(
                row.line,
                "warning",
                "data-source-looks-like-target",
                {"text": ds, "years": len(row.years)},
                ds,
            )
