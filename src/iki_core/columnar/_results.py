"""The results table: the kernel's figures on the rows it computes, the object engine's
on the others, as Arrow columns (:data:`~iki_core.columnar.frame.RESULT_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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

__all__ = ["assemble"]

_STATUSES: Final = tuple(s.value for s in engine.Status)
_UNDEFINED: Final = _STATUSES.index(engine.Status.UNDEFINED.value)


def _decimals(q: Ints, valid: Bools, places: int) -> pa.Array:
    """int64 ``q`` as decimals with ``places`` decimals (q x 10**-places, exactly)."""
    words = np.empty((len(q), 2), np.int64)
    words[:, 0] = q
    words[:, 1] = q >> 63
    mask = pa.array(valid, pa.bool_())
    validity = None if valid.all() else mask.buffers()[1]
    return pa.Array.from_buffers(
        decimal_type(places) if places else pa.decimal128(38, 0),
        len(q),
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


def assemble(
    kernel: Kernel,
    routed: Routed,
    wanted: list[Period],
    ind: pa.Table,
    real: pa.Table,
    rules: Rules,
    document: Document | None,
    objects: Sequence[Realisation] | None,
) -> pa.Table:
    """The results table of the ``routed`` rows: the kernel computes those it covers, the
    engine the others (from ``document`` and ``objects`` when given, else from the
    tables)."""
    refs, rows_ref, rows_p, ok, inputs = (
        routed.refs,
        routed.rows_ref,
        routed.rows_p,
        routed.ok,
        routed.inputs,
    )
    n = len(rows_ref)
    places = rules.places
    result = _compute(kernel, inputs, ok)
    if not result.fits.all():  # a figure beyond int64: the engine's
        ok = ok.copy()
        ok[np.flatnonzero(ok)[~result.fits]] = False
        result = _compute(kernel, inputs, ok)
    percent = np.zeros(n, np.int64)
    progress = np.zeros(n, np.int64)
    has_percent = ok.copy()
    has_progress = ok.copy()
    has_percent[ok] = result.defined
    has_progress[ok] = result.progress_defined
    status = np.zeros(n, np.int8)
    rating = np.zeros(n, np.int16)
    has_rating = has_percent.copy()
    percent[ok] = result.percent
    progress[ok] = result.progress
    # _STATUSES order: achieved, not_achieved, ..., undefined (a target of 0, no figure)
    status[ok] = np.where(result.achieved, 0, np.where(result.defined, 1, _UNDEFINED))
    rating[ok] = result.rating
    labels = list(kernel.labels)
    notes: dict[int, tuple[str, ...]] = {}
    scale = rules.scale
    nilai = np.zeros(n, np.int64)
    has_nilai = np.zeros(n, np.bool_)
    if any(b.nilai is not None for b in scale.bands):
        unique, inverse = np.unique(result.percent, return_inverse=True)
        values = [scale.nilai(Decimal(int(u)).scaleb(-places), places) for u in unique]
        nilai[ok] = np.array([_scaled(v, places) for v in values], np.int64)[inverse]
        has_nilai[ok] = np.array([v is not None for v in values], np.bool_)[inverse]
        has_nilai &= has_percent
    missing = np.flatnonzero(~ok)
    if len(missing):
        for i, a in _engine_rows(
            missing, refs, wanted, rows_ref, rows_p, ind, real, rules, document, objects
        ):
            has_percent[i] = a.percent is not None
            has_progress[i] = a.progress is not None
            percent[i] = _scaled(a.percent, places)
            progress[i] = _scaled(a.progress, places)
            status[i] = _STATUSES.index(a.status.value)
            if a.rating is not None:
                if a.rating not in labels:
                    labels.append(a.rating)
                rating[i] = labels.index(a.rating)
                has_rating[i] = True
            if a.warnings:
                notes[i] = a.warnings
            has_nilai[i] = a.nilai is not None
            nilai[i] = _scaled(a.nilai, places)
    lengths = np.zeros(n, np.int32)
    if notes:
        at = np.fromiter(notes, np.int64, len(notes))
        lengths[at] = [len(notes[i]) for i in at.tolist()]
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    texts = [w for i in sorted(notes) for w in notes[i]]
    warnings = pa.ListArray.from_arrays(pa.array(offsets), pa.array(texts, pa.string()))
    periods = pa.array([str(p) for p in wanted], pa.string())
    columns = {
        "reference": pa.DictionaryArray.from_arrays(pa.array(rows_ref.astype(np.int32)), refs),
        "period": pa.DictionaryArray.from_arrays(pa.array(rows_p.astype(np.int32)), periods),
        "percent": _decimals(percent, has_percent, places),
        "progress": _decimals(progress, has_progress, places),
        "status": pa.DictionaryArray.from_arrays(
            pa.array(status), pa.array(list(_STATUSES), pa.string())
        ),
        "rating": pa.DictionaryArray.from_arrays(
            pa.array(rating, mask=~has_rating), pa.array(labels, pa.string())
        ),
        "nilai": (  # the scale gives no nilai: no buffer for it
            _decimals(nilai, has_nilai, places)
            if has_nilai.any()
            else pa.nulls(n, decimal_type(places) if places else pa.decimal128(38, 0))
        ),
        "warnings": warnings,
        "path": pa.DictionaryArray.from_arrays(
            pa.array(np.where(ok, 0, 1).astype(np.int8)), pa.array(["kernel", "engine"])
        ),
    }
    return pa.table(columns)


def _engine_rows(
    missing: Ints,
    refs: pa.Array,
    wanted: list[Period],
    rows_ref: Ints,
    rows_p: Ints,
    ind: pa.Table,
    real: pa.Table,
    rules: Rules,
    document: Document | None,
    objects: Sequence[Realisation] | None,
) -> Iterable[tuple[int, engine.Achievement]]:
    """The achievements of the rows the kernel does not compute, by the object engine on
    the indicators they belong to, for the periods each of them needs only (a zero entry
    of a plan sends one quarter of an indicator to the engine, not its year): one engine
    call per distinct set of periods, so each indicator is compiled once."""
    needs: dict[int, list[int]] = {}
    for i in missing.tolist():
        needs.setdefault(int(rows_ref[i]), []).append(i)
    name_of = {r: str(refs[r]) for r in needs}
    chosen = set(name_of.values())
    names = pa.array(sorted(chosen))
    if document is None:
        whole = document_from_indicators(ind.filter(pc.is_in(ind["reference"], value_set=names)))
    else:
        whole = _subdocument(document, chosen)
    if objects is None:
        mine = real.filter(pc.is_in(real["indicator"], value_set=names))
        reals = realisations_from_table(mine)
    else:
        reals = [r for r in objects if r.indicator in chosen]
    groups: dict[tuple[int, ...], list[int]] = {}
    for r, rows in needs.items():
        groups.setdefault(tuple(sorted({int(rows_p[i]) for i in rows})), []).append(r)
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
                yield i, computed[k + column[int(rows_p[i])]]


def _subdocument(document: Document, references: set[str]) -> Document:
    sheets = []
    for sheet in document.sheets:
        kept = [i for i in sheet.indicators if f"{sheet.number}:{i.id}" in references]
        if kept:
            sheets.append(
                Sheet(sheet.number, sheet.position, objectives=[Objective("1", "", kept)])
            )
    return Document(sheets)
