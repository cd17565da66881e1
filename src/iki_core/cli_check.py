"""What ``iki check`` prints of a document: the indicators per sheet and kind, every
diagnostic with its sheet, the columns as read (``--layout``), and for LKjIP measurement
tables the published capaian the engine does not reproduce, with the rule settings that
would (:func:`iki_core.loaders.lkjip.audit`, :func:`iki_core.engine.explain_table`)."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from iki_core import messages
from iki_core.cli_rules import _lang, _t
from iki_core.model import Diagnostic, Document

__all__ = ["diagnostic_line", "kinds_text", "print_check", "years_text"]


def years_text(years: Iterable[int]) -> str:
    """Years as ``iki`` prints them: a run as ``2019-2023``, else a list; ``-`` for none."""
    ys = sorted(set(years))
    if not ys:
        return "-"
    if ys == list(range(ys[0], ys[-1] + 1)) and len(ys) > 1:
        return f"{ys[0]}-{ys[-1]}"
    return ", ".join(str(y) for y in ys)


def kinds_text(counts: Counter[str]) -> str:
    """The counts of indicators by kind, worded in the catalogue."""
    names = ("percentage", "count", "event_report")
    parts = [_t(f"check.kind.{k}", count=counts[k]) for k in names if counts[k]]
    parts += [  # the value kinds, worded in their own catalogue section
        messages.text(f"valuekind.{k}", _lang(), count=counts[k])
        for k in ("grade", "rank", "ratio", "score")
        if counts[k]
    ]
    return ", ".join(parts) or _t("check.kind.none")


def print_check(
    document: Document,
    path: Path,
    out: TextIO,
    *,
    strict: bool = False,
    layout: bool = False,
    number_locale: str = "auto",
) -> bool:
    """Print what ``iki check`` says of ``document`` (read from ``path``): the counts per
    sheet, every diagnostic, the columns as read (``layout``) and the audit of published
    capaian. True when the input fails the check: no indicator, or (``strict``) an error
    diagnostic; the reason is on standard error."""
    indicators = [i for s in document.sheets for i in s.indicators]
    kinds = Counter(i.kind.name for i in indicators)
    years = [y for s in document.sheets for y in (s.plan_years or ())]
    print(f"{path}", file=out)
    print(
        _t(
            "check.document",
            sheets=len(document.sheets),
            indicators=len(indicators),
            kinds=kinds_text(kinds),
            years=years_text(years),
        ),
        file=out,
    )
    for sheet in document.sheets:
        sk = Counter(i.kind.name for i in sheet.indicators)
        print(
            _t(
                "check.sheet",
                number=sheet.number,
                objectives=len(sheet.objectives),
                indicators=len(sheet.indicators),
                kinds=kinds_text(sk),
                years=years_text(sheet.plan_years),
                position=sheet.position,
            ),
            file=out,
        )
    severities = Counter(d.severity for d in document.diagnostics)
    print(
        _t(
            "check.diagnostics",
            errors=severities["error"],
            warnings=severities["warning"],
            notes=severities["info"],
        ),
        file=out,
    )
    for d in document.diagnostics:
        print(f"  {diagnostic_line(d)}", file=out)
    if layout:
        _print_layout(document, out)
    _print_capaian_audit(document, out, number_locale)
    if not indicators:
        print(_t("check.no_indicator", path=path), file=sys.stderr)
        return True
    if strict and severities["error"]:
        print(_t("check.strict_failed", count=severities["error"], path=path), file=sys.stderr)
        return True
    return False


def _print_layout(document: Document, out: TextIO) -> None:
    """``iki check --layout``: which column of each sheet's table was read as what."""
    from iki_core.loaders.layout import layout_of

    lang = _lang()
    for sheet in document.sheets:
        print(
            messages.text(
                "diagnostic.layout.sheet",
                lang,
                sheet=sheet.number,
                kind=sheet.kind,
                title=sheet.title,
            ),
            file=out,
        )
        for n, field, role in layout_of(sheet):
            role_text = messages.text(f"diagnostic.layout.role.{role}", lang)
            print(
                messages.text(
                    "diagnostic.layout.column", lang, column=n, field=field, role=role_text
                ),
                file=out,
            )


def _print_capaian_audit(document: Document, out: TextIO, number_locale: str) -> None:
    """The published capaian of LKjIP measurement tables that the engine does not
    reproduce under the default rules (nothing printed for other documents)."""
    from iki_core.loaders.lkjip import audit, measurements

    if not any(m.published for m in measurements(document)):
        return
    lang = _lang()
    found = audit(document, number_locale=number_locale)
    print(messages.text("diagnostic.layout.audit", lang, count=len(found)), file=out)
    for m in found:
        key = "audit_differs" if m.computed is not None else "audit_unchecked"
        computed = str(m.computed).replace(".", ",") if m.computed is not None else ""
        print(
            messages.text(
                f"diagnostic.layout.{key}",
                lang,
                reference=m.reference,
                year=m.year,
                published=m.published,
                computed=computed,
                reason=m.reason,
            ),
            file=out,
        )
        if (line := m.settings_text(lang)) is not None:  # the settings that would
            print(line, file=out)
    _print_published_rule(document, lang, out, number_locale)


def _print_published_rule(document: Document, lang: str, out: TextIO, number_locale: str) -> None:
    """Which rule settings reproduce most of the published capaian, and the rows that
    none of them does (iki_core.engine.explain_table)."""
    from iki_core.engine import explain_table
    from iki_core.loaders.lkjip import published_rows

    rows = published_rows(document, number_locale=number_locale)
    fits = explain_table([row for _, row in rows]) if rows else ()
    if not fits:
        return
    best = fits[0]
    missed = ", ".join(rows[i][0] for i in best.missed) or "-"
    print(
        messages.text(
            "diagnostic.layout.audit_rule",
            lang,
            settings=best.describe(),
            reproduced=len(best.reproduced),
            rows=len(rows),
            missed=missed,
        ),
        file=out,
    )


def diagnostic_line(d: Diagnostic) -> str:
    """A diagnostic as ``iki`` prints it, with the sheet it is in."""
    sheet = _t("check.in_sheet", sheet=d.sheet) if d.sheet is not None else ""
    return f"{d}{sheet}"
