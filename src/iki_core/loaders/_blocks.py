"""One diagnostic per block of unrecognised text: the lines outside the layout that follow
one another (blank lines between them do not end a block) are reported once, naming the
line range and keeping the text of every line.

>>> lines = ["No\\tIndikator", "stray 1", "", "stray 2", "1\\tJumlah surat", "stray 3"]
>>> found = [
...     Diagnostic.of("unrecognised-line", "document.unrecognised-line-table", line=n,
...                   severity="info", text=lines[n - 1], sheet=1, scope="document")
...     for n in (2, 4, 6)
... ]
>>> for d in merge_blocks(found, lines):
...     print(d)
line 2: info [unrecognised-line] lines 2-4: 2 lines of text between table rows are not \
part of the layout; kept here
line 6: info [unrecognised-line] text between table rows is not part of the layout; kept here
>>> merge_blocks(found, lines)[0].text
'stray 1\\nstray 2'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from iki_core.diagnostics import Diagnostic

__all__ = ["merge_blocks"]

CODE: Final = "unrecognised-line"
_PREFIX: Final = "document.unrecognised-line-"


def _end(d: Diagnostic) -> int:
    """The last line a diagnostic's text covers (a paragraph spans several)."""
    assert d.line is not None
    return d.line + (d.text or "").count("\n")


def merge_blocks(found: Sequence[Diagnostic], lines: Sequence[str]) -> list[Diagnostic]:
    """``found`` with each run of unrecognised-line diagnostics of one kind (between table
    rows, in the header, after the signatures) and one sheet, whose lines are separated
    by blank lines of ``lines`` (the text, line 1 first) at most, made one diagnostic."""
    out: list[Diagnostic] = []
    runs: dict[tuple[str | None, int | None, str], list[int]] = {}
    members: dict[int, list[Diagnostic]] = {}
    for d in found:
        if d.code != CODE or d.line is None or not (d.key or "").startswith(_PREFIX):
            out.append(d)
            continue
        key = (d.key, d.sheet, d.severity)
        run = runs.get(key)
        if run is not None:
            last = _end(members[run[0]][-1])
            if last < d.line and all(not lines[n - 1].strip() for n in range(last + 1, d.line)):
                members[run[0]].append(d)
                continue
        runs[key] = [len(out)]
        members[len(out)] = [d]
        out.append(d)
    for at, block in members.items():
        if len(block) > 1:
            out[at] = _merged(block)
    return out


def _merged(block: list[Diagnostic]) -> Diagnostic:
    first = block[0]
    part = (first.key or "")[len(_PREFIX) :]
    texts = [d.text or "" for d in block]
    params = {
        "first": first.line,
        "last": _end(block[-1]),
        "count": sum(t.count("\n") + 1 for t in texts),
    }
    return Diagnostic.of(
        CODE,
        f"layout.unrecognised-block-{part}",
        params,
        line=first.line,
        severity=first.severity,
        text="\n".join(texts),
        sheet=first.sheet,
        scope="document",
    )
