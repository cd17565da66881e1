"""Only what was asked for: a document cut down to some sheets or some indicators
(``--sheet N`` and ``--indicator REF`` of every ``iki`` command).

The cut keeps the document's order whatever order the selection names them in, and the
objectives, signatories and plan years of the sheets it keeps; the document's
diagnostics are kept for the sheets kept (and those of no sheet).

>>> from iki_core import loaders
>>> doc = loaders.load("examples/kesbangpol_lampung_barat_2018-2022.txt")
>>> cut = select_document(doc, indicators=["3:2", "2:1.1"])
>>> [ref for ref, _ in cut.references()]
['2:1.1', '3:2']
>>> [s.number for s in select_document(doc, sheets=[3, 1]).sheets]
[1, 3]
>>> select_document(doc, sheets=[9])
Traceback (most recent call last):
...
iki_core.errors.InvalidValueError: --sheet: expected a sheet of the document (1, 2, 3, 4, 5), got 9
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import attrs

from iki_core.errors import InvalidValueError
from iki_core.model import Document, Sheet

__all__ = ["select_document"]


def select_document(
    document: Document, *, sheets: Iterable[int] = (), indicators: Iterable[str] = ()
) -> Document:
    """``document`` with only the ``sheets`` (numbers) and ``indicators`` (references
    ``"2:1.1"``) named; all of it when both are empty. Naming both keeps the indicators
    named that lie in the sheets named. A sheet or an indicator the document lacks is
    refused with :class:`~iki_core.errors.InvalidValueError`, which names the choices
    (or the references that look alike)."""
    wanted_sheets = set(sheets)
    wanted = {"".join(r.split()) for r in indicators}
    if not wanted_sheets and not wanted:
        return document
    numbers = [s.number for s in document.sheets]
    for n in sorted(wanted_sheets):
        if n not in numbers:
            raise InvalidValueError(
                field="--sheet",
                expected="a sheet of the document (" + ", ".join(map(str, numbers)) + ")",
                value=n,
            )
    known = [ref for ref, _ in document.references()]
    for ref in sorted(wanted):
        if ref not in known:
            near = difflib.get_close_matches(ref, known, n=3, cutoff=0.6)
            hint = " such as " + ", ".join(repr(r) for r in near) if near else ""
            raise InvalidValueError(
                field="--indicator",
                expected=f"a reference 'sheet:id' of the document{hint}",
                value=ref,
            )
    kept: list[Sheet] = []
    for sheet in document.sheets:
        if wanted_sheets and sheet.number not in wanted_sheets:
            continue
        if not wanted:
            kept.append(sheet)
            continue
        objectives = []
        for o in sheet.objectives:
            mine = [i for i in o.indicators if f"{sheet.number}:{i.id}" in wanted]
            if mine:
                objectives.append(attrs.evolve(o, indicators=mine))
        if objectives:
            kept.append(attrs.evolve(sheet, objectives=objectives))
    if not kept:
        raise InvalidValueError(
            field="--indicator",
            expected="an indicator of the sheets named by --sheet",
            value=sorted(wanted),
        )
    numbers_kept = {s.number for s in kept}
    diagnostics = [d for d in document.diagnostics if d.sheet is None or d.sheet in numbers_kept]
    return attrs.evolve(document, sheets=kept, diagnostics=diagnostics)
