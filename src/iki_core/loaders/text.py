"""The text layout of IKI documents extracted from PDFs (docs/formats.md, "Text").

Each sheet is a title line ("INDIKATOR KINERJA INDIVIDU (IKI)"), a header
block (1. Jabatan, 2. Tugas, 3. Fungsi with functions a. b. c.), a
tab-separated table and signature blocks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

import attrs

from iki_core.errors import IkiError
from iki_core.loaders._blocks import merge_blocks
from iki_core.loaders._signatures import PlaceLine, check_places, parse_signatures
from iki_core.loaders._table import TableBuilder
from iki_core.loaders.context import ReadContext
from iki_core.model import Severity, Sheet, Signatory, SourceText

__all__ = ["format_text", "parse_text"]

_TITLE: Final = re.compile(
    r"^[\s*#_]*((?:INDIKATOR\s+KINERJA\s+(?:INDIVIDU|UTAMA)(?:\s*\((?:IKI|IKU)\))?))[\s*_]*$",
    re.IGNORECASE,
)
_ITEM: Final = re.compile(r"(?:^|(?<=\s))(\d{1,2})\s*\.\s*([A-Za-z][A-Za-z /]{0,30}?)\s*:\s*")
_FUNCTION: Final = re.compile(r"(?:^|(?<=\s))([a-z])\.\s+")
_LABELS: Final = {
    "jabatan": "Jabatan",
    "position": "Jabatan",
    "tugas": "Tugas",
    "duty": "Tugas",
    "fungsi": "Fungsi",
    "function": "Fungsi",
    "functions": "Fungsi",
}
_DANGLING: Final = frozenset(
    [
        "dan",
        "serta",
        "atau",
        "di",
        "pada",
        "dari",
        "untuk",
        "yang",
        "kabupaten",
        "kota",
        "provinsi",
        "kantor",
        "dinas",
        "badan",
        "bidang",
        "bagian",
        "sub",
        "seksi",
        "kepala",
        "&",
        ",",
    ]
)
"""Words a position's name does not end with: a Jabatan ending with one was cut off."""


@attrs.define
class _Item:
    label: str
    line: int
    parts: list[str]


@attrs.define
class _SheetText:
    number: int
    line: int
    title: str
    title_raw: str
    builder: TableBuilder
    items: list[_Item] = attrs.field(factory=list)
    tail: list[tuple[int, str]] = attrs.field(factory=list)
    in_table: bool = False


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_text(text: str, ctx: ReadContext) -> tuple[Sheet, ...]:
    """The sheets of a document in the text layout; diagnostics go to ``ctx``."""
    sheets: list[Sheet] = []
    places: list[PlaceLine] = []
    current: _SheetText | None = None

    def close() -> None:
        if current is None:
            return
        sheet, place = _finish(current, ctx)
        if sheet is not None:
            sheets.append(sheet)
        if place is not None:
            places.append(place)

    counter = 0
    first_found = len(ctx.diagnostics)
    lines = _lines(text)

    def start(line: int, title: str, raw: str) -> _SheetText:
        nonlocal counter
        counter += 1
        return _SheetText(counter, line, title, raw, TableBuilder(ctx, counter))

    for n, raw in enumerate(lines, start=1):
        if "\t" not in raw:
            m = _TITLE.match(raw)
            if m is not None:
                close()
                current = start(n, _clean_title(m.group(1)), raw)
                continue
        if current is None:
            if not raw.strip():
                continue
            if "\t" in raw or _ITEM.search(raw):
                ctx.note(
                    n,
                    "warning",
                    "missing-title",
                    text=raw,
                    sheet=1,
                )
                current = start(n, "INDIKATOR KINERJA INDIVIDU (IKI)", "")
            else:
                ctx.note(
                    n,
                    "info",
                    "text-before-sheet",
                    text=raw,
                )
                continue
        if "\t" in raw:
            if current.tail:
                for ln, t in current.tail:
                    if t.strip():
                        ctx.note(
                            ln,
                            "info",
                            "unrecognised-line",
                            key="unrecognised-line-table",
                            text=t,
                            sheet=current.number,
                        )
                current.tail = []
            current.in_table = True
            current.builder.feed(n, raw.split("\t"), raw)
        elif current.in_table:
            current.tail.append((n, raw))
        elif raw.strip():
            _header_line(current, n, raw, ctx)
    close()
    check_places(places, ctx)
    ctx.diagnostics[first_found:] = merge_blocks(ctx.diagnostics[first_found:], lines)
    return tuple(sheets)


def _clean_title(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().upper()


def _header_line(sheet: _SheetText, n: int, raw: str, ctx: ReadContext) -> None:
    starts = list(_ITEM.finditer(raw))
    starts = [m for m in starts if m.group(2).strip().lower() in _LABELS] or starts

    def keep(text: str) -> None:
        """Text before any item: it continues the last item, or is unrecognised."""
        if sheet.items:
            sheet.items[-1].parts.append(text)
        else:
            ctx.note(
                n,
                "info",
                "unrecognised-line",
                key="unrecognised-line-header",
                text=text,
                sheet=sheet.number,
            )

    if not starts:
        keep(raw)
        return
    head = raw[: starts[0].start()]
    if head.strip():
        keep(head)
    elif head and (starts[0].group(1) != "1" or sheet.items):
        ctx.note(
            n,
            "info",
            "indented-header-item",
            {"number": starts[0].group(1), "item": starts[0].group(2).strip()},
            text=raw,
            sheet=sheet.number,
        )
    if len(starts) > 1:
        ctx.note(
            n,
            "info",
            "joined-header-items",
            {"count": len(starts), "items": ", ".join(m.group(2).strip() for m in starts)},
            text=raw,
            sheet=sheet.number,
        )
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(raw)
        label = m.group(2).strip()
        sheet.items.append(_Item(_LABELS.get(label.lower(), label), n, [raw[m.end() : end]]))


def _functions(text: str) -> tuple[str, ...]:
    marks: list[re.Match[str]] = []
    expected = "a"
    for m in _FUNCTION.finditer(text):
        if m.group(1) == expected:
            marks.append(m)
            expected = chr(ord(expected) + 1)
    if not marks:
        return (text.strip(),) if text.strip() else ()
    result = []
    head = text[: marks[0].start()].strip()
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        part = re.sub(r"\s+", " ", text[m.end() : end]).strip()
        result.append(part)
    if head:
        result.insert(0, head)
    return tuple(result)


def _finish(sheet: _SheetText, ctx: ReadContext) -> tuple[Sheet | None, PlaceLine | None]:
    objectives = sheet.builder.finish()
    values: dict[str, str] = {}
    cells: list[tuple[str, str]] = [("title", sheet.title_raw)] if sheet.title_raw else []
    for item in sheet.items:
        raw = "\n".join(item.parts)
        cells.append((item.label, raw))
        joined = re.sub(r"\s+", " ", raw).strip()
        if item.label in values:
            ctx.note(
                item.line,
                "warning",
                "duplicate-header-item",
                {"item": item.label},
                text=raw,
                sheet=sheet.number,
            )
            continue
        values[item.label] = joined
        if item.label not in ("Jabatan", "Tugas", "Fungsi"):
            ctx.note(
                item.line,
                "info",
                "unknown-header-item",
                {"item": item.label},
                text=raw,
                sheet=sheet.number,
            )
    cells += (("header", row) for row in sheet.builder.header_rows)
    position = values.get("Jabatan", "")
    if "Jabatan" not in values:
        ctx.note(
            sheet.line,
            "warning",
            "missing-position",
            sheet=sheet.number,
        )
    else:
        last = position.split()[-1].lower() if position.split() else ""
        if last in _DANGLING or position.endswith((",", "&")):
            item = next(i for i in sheet.items if i.label == "Jabatan")
            ctx.note(
                item.line,
                "warning",
                "truncated-header",
                {"position": position, "word": position.split()[-1]},
                text="\n".join(item.parts),
                sheet=sheet.number,
            )
    signatories: tuple[Signatory, ...] = ()
    place: PlaceLine | None = None
    if sheet.tail:

        def report(
            line: int | None,
            severity: Severity,
            code: str,
            params: Mapping[str, object] | None,
            text: str | None,
            *,
            key: str | None = None,
        ) -> None:
            ctx.note(line, severity, code, params, text=text, sheet=sheet.number, key=key)

        signatories, place = parse_signatures(sheet.tail, sheet.number, report)
    if sheet.builder.rows == 0:
        ctx.note(
            sheet.line,
            "warning",
            "empty-sheet",
            sheet=sheet.number,
        )
    try:
        return (
            Sheet(
                number=sheet.number,
                position=position,
                duty=values.get("Tugas", ""),
                functions=_functions(values.get("Fungsi", "")),
                plan_years=sheet.builder.plan_years,
                objectives=objectives,
                signatories=signatories,
                title=sheet.title,
                source=SourceText(sheet.line, tuple(cells)),
            ),
            place,
        )
    except IkiError as exc:  # pragma: no cover - the builder keeps ids unique
        ctx.note(sheet.line, "error", "invalid-sheet", {"reason": exc}, sheet=sheet.number)
        return None, place


# --- writing -------------------------------------------------------------------------------
def _cell(text: str) -> str:
    return re.sub(r"[\t\r\n]+", " ", text)


def format_text(sheets: Sequence[Sheet]) -> str:
    """The sheets in the text layout, readable by :func:`parse_text`.

    Targets are written as their text; a year without a target entry is written
    as the cell it was read from, if any. Tabs and line breaks inside cells
    become spaces (the layout cannot hold them).
    """
    out: list[str] = []
    for sheet in sheets:
        out += ["", f"**{sheet.title}**", "", f"1. Jabatan : {_cell(sheet.position)}"]
        out.append(f"2. Tugas : {_cell(sheet.duty)}")
        for i, f in enumerate(sheet.functions):
            letter = chr(ord("a") + i) if i < 26 else "z"
            prefix = "3. Fungsi : " if i == 0 else " "
            out.append(f"{prefix}{letter}. {_cell(f)}")
        if not sheet.functions:
            out.append("3. Fungsi : ")
        years = list(sheet.plan_years) or sorted(
            {t.year for i in sheet.indicators for t in i.targets}
        )
        out.append("")
        header = ["No", "Sasaran / Kinerja", "Indikator Kinerja", "Penjelasan / Alasan"]
        out.append("\t".join([*header, "Target", *[""] * (len(years) - 1), "Sumber Data"]))
        out.append("\t".join(["", "", "", "", *(str(y) for y in years), ""]))
        for objective in sheet.objectives:
            for k, ind in enumerate(objective.indicators):
                cells = [objective.number, objective.name] if k == 0 else ["", ""]
                cells += [ind.name, ind.explanation]
                cells += [ind.target_text(y) for y in years]
                cells.append(ind.data_source)
                out.append("\t".join(_cell(c) for c in cells))
        out += _format_signatures(sheet.signatories)
    return "\n".join(out) + "\n"


def _format_signatures(signatories: Sequence[Signatory]) -> list[str]:
    approver = next((s for s in signatories if s.role == "approver"), None)
    owner = next((s for s in signatories if s.role == "owner"), None)
    out: list[str] = []
    if approver is None and owner is None:
        return out
    if approver is not None:
        out += ["", "Mengetahui,", f"**{_cell(approver.title)},**"]
    if owner is not None:
        place = owner.place_date.text if owner.place_date is not None else ""
        out += ["", place or ",", f"**{_cell(owner.title)},**"]
    for s in (approver, owner):
        if s is None:
            continue
        out += ["", f"**{_cell(s.name)}**"]
        if s.rank is not None:
            out.append(f" {_cell(s.rank.text.strip())}")
        if s.nip is not None:
            out.append(f" {_cell(s.nip.text.strip())}")
    return out
