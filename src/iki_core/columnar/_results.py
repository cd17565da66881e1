"""The results table: the kernel's figures on the rows it computes, the object engine's
on the others, as Arrow columns (:data:`~iki_core.columnar.frame.RESULT_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from iki_core import engine
from iki_core.model import Document, Objective, Realisation, Sheet
from iki_core.periods import Period
from iki_core.rules import Rules

from ._amounts import Bools, Ints
from ._route import Inputs, Routed
from .kernel import Kernel, KernelResult
from .tables import decimal_type, document_from_indicators, realisations_from_table

__all__ = ["Fetch", "Results"]

_STATUSES: Final = tuple(s.value for s in engine.Status)
_UNDEFINED: Final = _STATUSES.index(engine.Status.UNDEFINED.value)


def _decimal_array(words: Ints, valid: Bools, places: int) -> pa.Array:
    """The decimal column whose values x 10**places are ``words[:, 0]`` (its high words
    are set here from their sign), without a copy."""
    words[:, 1] = words[:, 0] >> 63
    validity = None if valid.all() else pa.array(valid, pa.bool_()).buffers()[1]
    return pa.Array.from_buffers(
        decimal_type(places) if places else pa.decimal128(38, 0),
        len(words),
        [validity, pa.py_buffer(words)],  # the array's own memory, not a copy
    )


def _scaled(value: Decimal | None, places: int) -> int:
    """A published figure x 10**places (0 for None: its validity bit says so)."""
    return 0 if value is None else int(value.scaleb(places))


def _compute(kernel: Kernel, inputs: Inputs, ok: Bools) -> KernelResult:
    rn, rd, tn, td, an, ad, lower = inputs
    if ok.all():  # the kernel's every row: no copies
        return kernel.compute(rn=rn, rd=rd, tn=tn, td=td, an=an, ad=ad, lower=lower)
    return kernel.compute(
        rn=rn[ok], rd=rd[ok], tn=tn[ok], td=td[ok], an=an[ok], ad=ad[ok], lower=lower[ok]
    )


Fetch = Callable[[pa.Array], tuple[pa.Table, pa.Table]]
"""The indicators and the realisations tables of the references named (for the engine)."""


class _Part:
    """The result rows of one chunk of references, from row ``low`` of the table."""

    def __init__(self, low: int, n: int, nilai: bool) -> None:
        self.low = low
        self.percent = np.zeros((n, 2), np.int64)  # the decimal's two words
        self.progress = np.zeros((n, 2), np.int64)
        self.has_percent = np.zeros(n, np.bool_)
        self.has_progress = np.zeros(n, np.bool_)
        self.status = np.zeros(n, np.int8)
        self.rating = np.zeros(n, np.int16)
        self.has_rating = np.zeros(n, np.bool_)
        self.ok = np.zeros(n, np.bool_)
        self.nilai = np.zeros((n if nilai else 0, 2), np.int64)
        self.has_nilai = np.zeros(n, np.bool_)
        self.notes: dict[int, tuple[str, ...]] = {}


class Results:
    """The results table of references x ``wanted`` periods, filled chunk of references
    by chunk (:meth:`put`: the kernel's rows), then the engine's rows (:meth:`complete`),
    and given as Arrow columns over the same memory (:meth:`table`), about 40 bytes a
    row. Each chunk's arrays are its own (chunk-sized arrays are reused by the allocator
    from one computation to the next; arrays of the whole table would be fresh pages)."""

    def __init__(self, kernel: Kernel, wanted: list[Period], rules: Rules) -> None:
        self.kernel, self.wanted, self.rules, self.places = kernel, wanted, rules, rules.places
        self.with_nilai = any(b.nilai is not None for b in rules.scale.bands)
        self.labels = list(kernel.labels)
        self.parts: list[_Part] = []

    def put(self, first: int, routed: Routed) -> None:
        """The kernel's rows of the references from ``first`` on (``routed``)."""
        kernel, ok = self.kernel, routed.ok
        result = _compute(kernel, routed.inputs, ok)
        if not result.fits.all():  # a figure beyond int64: the engine's
            ok = ok.copy()
            ok[np.flatnonzero(ok)[~result.fits]] = False
            result = _compute(kernel, routed.inputs, ok)
        part = _Part(first * len(self.wanted), len(ok), self.with_nilai)
        self.parts.append(part)
        part.ok = ok
        # _STATUSES order: achieved, not_achieved, ..., undefined (a target of 0)
        # (achieved is defined: by arithmetic, numpy's where is slow on a changing mask)
        statuses = (~result.defined).astype(np.int8) * np.int8(_UNDEFINED - 1) + np.int8(1)
        statuses *= ~result.achieved
        at: slice | Bools = slice(None) if ok.all() else ok
        part.percent[at, 0] = result.percent
        part.progress[at, 0] = result.progress
        part.has_percent[at] = result.defined
        part.has_progress[at] = result.progress_defined
        part.has_rating[at] = result.defined
        part.status[at] = statuses
        part.rating[at] = result.rating
        if self.with_nilai:
            places, scale = self.places, self.rules.scale
            unique, inverse = np.unique(result.percent, return_inverse=True)
            values = [scale.nilai(Decimal(int(u)).scaleb(-places), places) for u in unique]
            part.nilai[at, 0] = np.array([_scaled(v, places) for v in values], np.int64)[inverse]
            has = np.array([v is not None for v in values], np.bool_)[inverse]
            part.has_nilai[at] = has & result.defined

    def complete(
        self,
        refs: pa.Array,
        fetch: Fetch | None,
        document: Document | None,
        objects: Sequence[Realisation] | None,
    ) -> None:
        """The rows the kernel does not compute, by the object engine (on ``document``
        and ``objects`` when given, else on the tables ``fetch`` gives)."""
        parts = self.parts
        pieces = [p.low + np.flatnonzero(~p.ok) for p in parts]
        missing = np.concatenate(pieces) if pieces else np.zeros(0, np.int64)
        if not len(missing):
            return
        lows = np.array([p.low for p in parts], np.int64)
        places = self.places
        for i, a in _engine_rows(missing, refs, self.wanted, self.rules, fetch, document, objects):
            part = parts[int(np.searchsorted(lows, i, side="right")) - 1]
            k = i - part.low
            part.has_percent[k] = a.percent is not None
            part.has_progress[k] = a.progress is not None
            part.percent[k, 0] = _scaled(a.percent, places)
            part.progress[k, 0] = _scaled(a.progress, places)
            part.status[k] = _STATUSES.index(a.status.value)
            if a.rating is not None:
                if a.rating not in self.labels:
                    self.labels.append(a.rating)
                part.rating[k] = self.labels.index(a.rating)
                part.has_rating[k] = True
            if a.warnings:
                part.notes[k] = a.warnings
            part.has_nilai[k] = a.nilai is not None
            if a.nilai is not None:
                if not len(part.nilai):
                    part.nilai = np.zeros((len(part.ok), 2), np.int64)
                part.nilai[k, 0] = _scaled(a.nilai, places)

    def table(self, refs: pa.Array) -> pa.Table:
        """The results table (its decimal columns over this object's memory)."""
        nper = len(self.wanted)
        periods = pa.array([str(p) for p in self.wanted], pa.string())
        statuses = pa.array(list(_STATUSES), pa.string())
        labels = pa.array(self.labels, pa.string())
        paths = pa.array(["kernel", "engine"])
        decimal = decimal_type(self.places) if self.places else pa.decimal128(38, 0)
        batches = []
        longest = max((len(p.ok) for p in self.parts), default=0)
        period_at = np.tile(np.arange(nper, dtype=np.int32), longest // max(nper, 1))
        for part in self.parts:
            n = len(part.ok)
            # every part holds whole references
            first, count = (part.low // nper, n // nper) if nper else (0, 0)
            ref_at = np.repeat(np.arange(first, first + count, dtype=np.int32), nper)
            notes = part.notes
            lengths = np.zeros(n, np.int32)
            if notes:
                at = np.fromiter(notes, np.int64, len(notes))
                lengths[at] = [len(notes[i]) for i in at.tolist()]
            offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
            texts = [w for i in sorted(notes) for w in notes[i]]
            columns = {
                "reference": pa.DictionaryArray.from_arrays(pa.array(ref_at), refs),
                "period": pa.DictionaryArray.from_arrays(pa.array(period_at[:n]), periods),
                "percent": _decimal_array(part.percent, part.has_percent, self.places),
                "progress": _decimal_array(part.progress, part.has_progress, self.places),
                "status": pa.DictionaryArray.from_arrays(pa.array(part.status), statuses),
                "rating": pa.DictionaryArray.from_arrays(
                    pa.array(part.rating, mask=~part.has_rating), labels
                ),
                "nilai": (  # the scale gives no nilai: no buffer for it
                    _decimal_array(part.nilai, part.has_nilai, self.places)
                    if part.has_nilai.any()
                    else pa.nulls(n, decimal)
                ),
                "warnings": pa.ListArray.from_arrays(
                    pa.array(offsets), pa.array(texts, pa.string())
                ),
                "path": pa.DictionaryArray.from_arrays(
                    pa.array((~part.ok).view(np.int8)),
                    paths,  # 0: kernel, 1: engine
                ),
            }
            batches.append(pa.record_batch(columns))
        if not batches:
            return _empty(refs, periods, decimal)
        return pa.Table.from_batches(batches)


def _empty(refs: pa.Array, periods: pa.Array, decimal: pa.DataType) -> pa.Table:
    none = pa.array([], pa.int32())
    text = pa.array([], pa.string())
    return pa.table(
        {
            "reference": pa.DictionaryArray.from_arrays(none, refs),
            "period": pa.DictionaryArray.from_arrays(none, periods),
            "percent": pa.array([], decimal),
            "progress": pa.array([], decimal),
            "status": pa.DictionaryArray.from_arrays(pa.array([], pa.int8()), text),
            "rating": pa.DictionaryArray.from_arrays(pa.array([], pa.int16()), text),
            "nilai": pa.array([], decimal),
            "warnings": pa.array([], pa.list_(pa.string())),
            "path": pa.DictionaryArray.from_arrays(pa.array([], pa.int8()), text),
        }
    )


def _engine_rows(
    missing: Ints,
    refs: pa.Array,
    wanted: list[Period],
    rules: Rules,
    fetch: Fetch | None,
    document: Document | None,
    objects: Sequence[Realisation] | None,
) -> Iterable[tuple[int, engine.Achievement]]:
    """The achievements of the rows the kernel does not compute, by the object engine on
    the indicators they belong to, for the periods each of them needs only (a zero entry
    of a plan sends one quarter of an indicator to the engine, not its year): one engine
    call per distinct set of periods, so each indicator is compiled once."""
    nper = len(wanted)
    needs: dict[int, list[int]] = {}
    for i in missing.tolist():
        needs.setdefault(i // nper, []).append(i)
    chosen_refs = np.fromiter(needs, np.int64, len(needs))
    names = pc.take(refs, pa.array(chosen_refs))
    name_of = dict(zip(needs, names.to_pylist(), strict=True))
    coded = pa.types.is_integer(refs.type)
    if document is None or objects is None or coded:
        assert fetch is not None
        ind, real = fetch(names)
        if coded:  # integer codes: the engine names each indicator "sheet:id"
            ind, real, name_of = _named(ind, real, name_of)
    chosen = set(name_of.values())
    whole = document_from_indicators(ind) if document is None else _subdocument(document, chosen)
    if objects is None:
        reals = realisations_from_table(real)
    else:
        reals = [r for r in objects if r.indicator in chosen]
    groups: dict[tuple[int, ...], list[int]] = {}
    for r, rows in needs.items():
        groups.setdefault(tuple(sorted({i % nper for i in rows})), []).append(r)
    for ps, members in groups.items():
        these = {name_of[r] for r in members}
        sub = whole if these == chosen else _subdocument(whole, these)
        periods = [wanted[p] for p in ps]
        mine_reals = reals if these == chosen else [r for r in reals if r.indicator in these]
        computed = engine.achievements(sub, mine_reals, periods, rules)
        at = {name: k for k, name in enumerate(ref for ref, _ in sub.references())}
        column = {p: c for c, p in enumerate(ps)}
        for r in members:
            k = at[name_of[r]] * len(ps)
            for i in needs[r]:
                yield i, computed[k + column[i % nper]]


def _named(
    ind: pa.Table, real: pa.Table, name_of: dict[int, object]
) -> tuple[pa.Table, pa.Table, dict[int, object]]:
    """The tables and the chosen references with each integer code replaced by the
    reference the engine knows the indicator by, "sheet:id" (from the indicators'
    ``sheet`` and ``id``)."""
    codes = ind["reference"].combine_chunks()
    if pa.types.is_dictionary(codes.type):
        codes = codes.cast(codes.type.value_type)
    sheet = pc.cast(ind["sheet"], pa.string())
    texts = pc.binary_join_element_wise(sheet, ind["id"].cast(pa.string()), ":")
    text_of = dict(zip(codes.to_pylist(), texts.to_pylist(), strict=True))
    keys, values = pa.array(list(text_of), codes.type), pa.array(list(text_of.values()))
    at = real.schema.get_field_index("indicator")
    named = pc.take(values, pc.index_in(real["indicator"], value_set=keys))
    real = real.set_column(at, "indicator", named)
    at = ind.schema.get_field_index("reference")
    ind = ind.set_column(at, "reference", pc.take(values, pc.index_in(codes, value_set=keys)))
    return ind, real, {r: text_of[c] for r, c in name_of.items()}


def _subdocument(document: Document, references: set[str]) -> Document:
    sheets = []
    for sheet in document.sheets:
        kept = [i for i in sheet.indicators if f"{sheet.number}:{i.id}" in references]
        if kept:
            sheets.append(
                Sheet(sheet.number, sheet.position, objectives=[Objective("1", "", kept)])
            )
    return Document(sheets)
