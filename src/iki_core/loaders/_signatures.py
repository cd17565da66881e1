"""Signature blocks at the foot of a sheet: who approved ("Mengetahui"), who holds
the position, their rank (pangkat / golongan, PP 99/2000), NIP and the place and
date of signing."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Final, Literal, Protocol

import attrs

from iki_core.errors import IkiError
from iki_core.loaders.context import ReadContext
from iki_core.model import Severity, Signatory
from iki_core.periods import PlaceDate, parse_place_date
from iki_core.personnel import Nip, parse_rank

__all__ = ["PlaceLine", "check_places", "parse_signatures"]


class Report(Protocol):
    """Where a problem goes: ``code`` worded by ``diagnostic.document.<key or code>``
    with ``params``, the offending ``text``."""

    def __call__(
        self,
        line: int | None,
        severity: Severity,
        code: str,
        params: Mapping[str, object] | None,
        text: str | None,
        *,
        key: str | None = None,
    ) -> None: ...


_BOLD: Final = re.compile(r"\*\*|__")
_SPACES: Final = re.compile(r"\s+")
_APPROVER: Final = re.compile(r"^\s*mengetahui\b[\s,:]*", re.IGNORECASE)
_PLACE_DATE: Final = re.compile(r"^[A-Za-z][A-Za-z .'\-]{1,40},\s*(?:$|.*\d.*$)")
_NIP: Final = re.compile(r"^\s*NIP\b", re.IGNORECASE)
_SPACED: Final = re.compile(r"(?<![A-Za-z])(?:[A-Za-z] ){2,}[A-Za-z](?![A-Za-z])")
_SPACED_SHORT: Final = re.compile(r"(?<![A-Za-z])(?:[A-Za-z] )+[A-Za-z](?![A-Za-z])")


@attrs.frozen
class PlaceLine:
    """A place-and-date line read in a sheet, for the document-wide check."""

    sheet: int
    line: int
    place_date: PlaceDate


@attrs.define
class _Para:
    lines: list[tuple[int, str, str]]  # (line, clean, raw)

    @property
    def raw(self) -> str:
        return "\n".join(r for _, _, r in self.lines)


def _clean(raw: str) -> str:
    return _SPACES.sub(" ", _BOLD.sub("", raw)).strip()


def _title(parts: Sequence[str]) -> str:
    return " ".join(p for p in parts if p).strip().rstrip(",").strip()


def _name(text: str) -> str:
    if _SPACED.search(text) is None:
        return text.rstrip(",").strip()
    return _SPACED_SHORT.sub(lambda m: m.group(0).replace(" ", ""), text).rstrip(",").strip()


def parse_signatures(
    lines: Sequence[tuple[int, str]], sheet: int, report: Report
) -> tuple[tuple[Signatory, ...], PlaceLine | None]:
    """The signatories of the lines after a sheet's table (blank lines separate blocks)."""
    bold = [ln for ln, raw in lines if _BOLD.search(raw)]
    if bold:
        report(
            bold[0],
            "info",
            "bold-markup",
            {"count": len(bold), "first": bold[0], "last": bold[-1]},
            None,
        )
    paras: list[_Para] = []
    current: list[tuple[int, str, str]] = []
    for ln, raw in lines:
        clean = _clean(raw)
        if not clean:
            if current:
                paras.append(_Para(current))
                current = []
            continue
        current.append((ln, clean, raw))
    if current:
        paras.append(_Para(current))

    approver_title: _Para | None = None
    owner_title: _Para | None = None
    place: PlaceLine | None = None
    names: list[_Para] = []
    for para in paras:
        first_line, first, _ = para.lines[0]
        if approver_title is None and _APPROVER.match(first):
            approver_title = para
        elif owner_title is None and not names and _PLACE_DATE.match(first):
            owner_title = para
            place = PlaceLine(sheet, first_line, parse_place_date(first))
        else:
            names.append(para)

    def title_of(para: _Para | None, *, approver: bool) -> str:
        if para is None:
            return ""
        first = para.lines[0][1]
        head = _APPROVER.sub("", first) if approver else ""
        return _title([head, *(c for _, c, _ in para.lines[1:])])

    roles: list[tuple[Literal["approver", "owner"], _Para | None]] = []
    if approver_title is not None:
        roles.append(("approver", approver_title))
    roles.append(("owner", owner_title))
    if approver_title is not None and len(names) == 1:
        roles = [("owner", owner_title)]
        report(
            names[0].lines[0][0],
            "warning",
            "missing-signatory",
            None,
            names[0].raw,
            key="missing-signatory-approver",
        )
    signatories: list[Signatory] = []
    for (role, title_para), name_para in zip(roles, names, strict=False):
        signatories.append(
            _signatory(
                name_para,
                role,
                title_of(title_para, approver=role == "approver"),
                title_para,
                place.place_date if role == "owner" and place is not None else None,
                report,
            )
        )
    for para in names[len(roles) :]:
        report(
            para.lines[0][0],
            "warning",
            "unrecognised-line",
            None,
            para.raw,
            key="unrecognised-line-signatures",
        )
    titled = owner_title or approver_title
    if not names and titled is not None:
        report(
            titled.lines[0][0],
            "warning",
            "missing-signatory",
            None,
            None,
        )
    return tuple(signatories), place


def _signatory(
    para: _Para,
    role: Literal["approver", "owner"],
    title: str,
    title_para: _Para | None,
    place_date: PlaceDate | None,
    report: Report,
) -> Signatory:
    name_line, name_clean, name_raw = para.lines[0]
    name = _name(name_clean)
    if name != name_clean.rstrip(",").strip():
        report(
            name_line,
            "info",
            "letter-spaced-name",
            {"written": name_clean, "name": name},
            name_raw,
        )
    rank = None
    nip = None
    for ln, clean, raw in para.lines[1:]:
        if _NIP.match(clean):
            try:
                nip = Nip.parse(clean, line=ln)
            except IkiError as exc:
                report(ln, "warning", "invalid-nip", {"reason": exc}, raw)
            continue
        parsed = parse_rank(clean)
        if parsed.pangkat is None and parsed.golongan is None:
            report(
                ln,
                "warning",
                "unreadable-rank",
                {"text": clean},
                raw,
            )
            continue
        rank = parsed
        if not parsed.consistent:
            report(
                ln,
                "warning",
                "rank-mismatch",
                {
                    "pangkat": parsed.pangkat,
                    "golongan": parsed.golongan,
                    "expected": parsed.expected_pangkat,
                },
                raw,
            )
    text = "\n".join(p.raw for p in (title_para, para) if p is not None)
    return Signatory(
        name=name,
        title=title,
        rank=rank,
        nip=nip,
        role=role,
        place_date=place_date,
        text=text,
        line=name_line,
    )


def check_places(places: Sequence[PlaceLine], ctx: ReadContext) -> None:
    """Warn on a place that differs from the one the rest of the document uses
    ("Lima," where every other sheet is signed in "Liwa"), and on a place line
    without a year."""
    counts = Counter(p.place_date.place for p in places if p.place_date.place)
    common = counts.most_common(1)
    usual, n = common[0] if common else (None, 0)
    for p in places:
        pd = p.place_date
        if usual is not None and n >= 2 and pd.place and pd.place != usual:
            ctx.note(
                p.line,
                "warning",
                "place-differs",
                {"place": pd.place, "text": pd.text, "usual": usual, "count": n},
                text=pd.text,
                sheet=p.sheet,
            )
        if pd.year is None:
            ctx.note(
                p.line,
                "warning",
                "place-date-incomplete",
                {"text": pd.text},
                text=pd.text,
                sheet=p.sheet,
            )
