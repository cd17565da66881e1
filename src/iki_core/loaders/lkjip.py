"""LKjIP measurement tables (pengukuran kinerja): Target, Realisasi and Capaian columns
(docs/formats.md, "LKjIP measurement tables"). The loader reads the targets into the
document and keeps every Realisasi and Capaian cell as written in the indicator's
source; :func:`realisations_of` makes the realisations of them, and :func:`audit`
recomputes each published capaian with the engine and lists those it does not
reproduce under the rules chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING

import attrs

from iki_core import messages
from iki_core.diagnostics import Diagnostic
from iki_core.errors import IkiError
from iki_core.loaders._columns_more import column_role
from iki_core.loaders._locale import ColumnLocale, check_number_locale, detect
from iki_core.model import Document, Indicator, Polarity, Realisation, SourceText
from iki_core.numbers import NO_TARGET_MARKS, Lang
from iki_core.periods import Period
from iki_core.realisations import RealisationSet
from iki_core.rules import Rules
from iki_core.units import Quantity, get_registry

if TYPE_CHECKING:
    from iki_core.engine import PublishedRow

__all__ = ["Measurement", "Mismatch", "audit", "measurements", "realisations_of"]


@attrs.frozen
class Measurement:
    """One row of a measurement table: the indicator's ``reference`` ("1:2"), the
    ``year``, and the Realisasi and published Capaian cells as written."""

    reference: str
    year: int
    realisation: str
    published: str
    line: int | None = None


@attrs.frozen
class Mismatch:
    """A published capaian the engine does not reproduce: what the table says
    (``published``) and what the engine computes (``computed``, rounded to the places the
    table writes), or why it cannot (``reason``). ``settings`` are the rule settings that
    reproduce the published figure (:func:`iki_core.engine.explain_published`, each as
    "field = value, ..."), empty when none does (an arithmetic slip, or a rule iki_core
    does not know) or the row was not recomputed."""

    reference: str
    year: int
    published: str
    computed: Decimal | None
    reason: str = ""
    settings: tuple[str, ...] = ()

    def settings_text(self, lang: str = "en") -> str | None:
        """The line that names the settings reproducing the published figure, or says
        that none does; None when the row was not recomputed."""
        if self.computed is None:
            return None
        if not self.settings:
            return messages.text("valuekind.audit_none", lang)
        return messages.text("valuekind.audit_settings", lang, settings="; ".join(self.settings))


def _year_of(field: str, indicator: Indicator) -> int | None:
    role = column_role(field)
    if role is not None and role[1] is not None:
        return role[1]
    years = indicator.years
    return years[-1] if len(years) == 1 else None


def measurements(document: Document) -> tuple[Measurement, ...]:
    """The rows of the document that have a Realisasi or a Capaian cell."""
    out = []
    for sheet in document.sheets:
        for ind in sheet.indicators:
            if ind.source is None:
                continue
            found: dict[int, list[str]] = {}
            for field, text in ind.source.cells:
                role = column_role(field)
                if role is None or role[0] not in ("realisation", "achievement"):
                    continue
                year = _year_of(field, ind)
                if year is None:
                    continue
                cell = found.setdefault(year, ["", ""])
                cell[0 if role[0] == "realisation" else 1] = text.strip()
            for year, (real, published) in sorted(found.items()):
                reference = f"{sheet.number}:{ind.id}"
                out.append(Measurement(reference, year, real, published, ind.source.line))
    return tuple(out)


def _column(m: Measurement) -> tuple[str, int]:
    """The column of a measurement: its sheet and its year (one Realisasi column and one
    Capaian column per year in a sheet)."""
    return m.reference.partition(":")[0], m.year


def _locales(
    found: Sequence[Measurement], cell: Callable[[Measurement], str], choice: str
) -> dict[tuple[str, int], ColumnLocale]:
    """The number locale of each column of ``cell`` (the Realisasi or the Capaian of a
    measurement), detected from all its cells unless ``choice`` ("id", "en") sets it
    (docs/formats.md, "Number locale")."""
    check_number_locale(choice, "number_locale")
    texts: dict[tuple[str, int], list[str]] = {}
    for m in found:
        texts.setdefault(_column(m), []).append(cell(m))
    return {key: detect(column, choice) for key, column in texts.items()}


def realisations_of(document: Document, *, number_locale: str = "auto") -> RealisationSet:
    """The realisations of the Realisasi cells, each for its year, in the indicator's
    unit (a bare number is read in it), each column's numbers in the locale its cells
    show (stated in a ``number-locale`` diagnostic unless plainly Indonesian), or in
    ``number_locale`` ("id" or "en") when it is set; a cell that cannot be read is a
    diagnostic."""
    registry = get_registry()
    good: list[Realisation] = []
    problems: list[Diagnostic] = []
    found = measurements(document)
    locales = _locales(found, lambda m: m.realisation, number_locale)
    stated: set[tuple[str, int]] = set()
    for m in found:
        text = m.realisation
        if not text or text in NO_TARGET_MARKS:
            continue
        ind = document.indicator(m.reference)
        locale = locales[_column(m)]
        if locale.stated and _column(m) not in stated:
            stated.add(_column(m))
            problems.append(_stated(locale, f"Realisasi {m.year}", m))
        try:
            value = registry.parse_quantity(text, lang=locale.lang, field="Realisasi", line=m.line)
            if value.unit.is_bare and not ind.kind.unit.is_bare:
                value = Quantity(value.magnitude, ind.kind.unit, text=value.text, noun=value.noun)
            source = SourceText(m.line, (("Realisasi", text),))
            good.append(
                Realisation(m.reference, Period.year_of(m.year), value=value, source=source)
            )
        except IkiError as exc:
            reason = str(getattr(exc, "reason", exc))
            params = {"text": text, "reason": reason}
            problems.append(
                Diagnostic.of("bad-value", "reader.bad-value", params, line=m.line, text=text)
            )
    return RealisationSet(tuple(good), tuple(problems), source=document.source)


def _stated(locale: ColumnLocale, column: str, m: Measurement) -> Diagnostic:
    part = "mixed-" + locale.lang if locale.id_cells and locale.en_cells else locale.lang
    part = "ambiguous" if part == "id" else part
    params = {
        "column": column,
        "example": locale.example,
        "id_cells": locale.id_cells,
        "en_cells": locale.en_cells,
        "id_example": locale.id_example,
        "en_example": locale.en_example,
    }
    return Diagnostic.of(
        "number-locale",
        f"layout.number-locale-{part}",
        params,
        line=m.line,
        severity="warning" if part.startswith("mixed") else "info",
        text=locale.example,
        scope="document",
    )


def _published(text: str, lang: Lang = "id") -> Decimal | None:
    """A published capaian ("87,50", "87.50%" in an English column) as a Decimal."""
    body = text.replace("%", "").strip()
    # the English way drops the thousands commas, the Indonesian way the thousands dots
    english = body.replace(",", "")
    body = english if lang == "en" else body.replace(".", "").replace(",", ".")
    try:
        value = Decimal(body)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def audit(
    document: Document, rules: Rules | None = None, *, number_locale: str = "auto"
) -> tuple[Mismatch, ...]:
    """The published capaian that the engine, under ``rules``, does not reproduce at the
    places the table writes them (half-up): each with the figure the engine gives. The
    numbers of the Realisasi and Capaian columns are read in ``number_locale`` ("id",
    "en"), or in the locale each column's cells show ("auto")."""
    from iki_core.engine import achievement

    reals = {
        (r.indicator, r.period.year): r
        for r in realisations_of(document, number_locale=number_locale)
    }
    out: list[Mismatch] = []
    found = measurements(document)
    locales = _locales(found, lambda m: m.published, number_locale)
    for m in found:
        if not m.published or m.published in NO_TARGET_MARKS:
            continue
        published = _published(m.published, locales[_column(m)].lang)
        if published is None:
            out.append(Mismatch(m.reference, m.year, m.published, None, "not a number"))
            continue
        real = reals.get((m.reference, m.year))
        if real is None:
            out.append(Mismatch(m.reference, m.year, m.published, None, "no realisation"))
            continue
        ind = document.indicator(m.reference)
        try:
            result = achievement(ind, [real], Period.year_of(m.year), rules, reference=m.reference)
        except IkiError as exc:
            out.append(Mismatch(m.reference, m.year, m.published, None, str(exc)))
            continue
        if result.percent is None:
            out.append(Mismatch(m.reference, m.year, m.published, None, "no capaian"))
            continue
        exponent = published.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        computed = result.percent.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        if computed != published:
            settings = _explained(ind, m.year, real, published, rules)
            out.append(Mismatch(m.reference, m.year, m.published, computed, settings=settings))
    return tuple(out)


def _explained(
    ind: Indicator, year: int, real: Realisation, published: Decimal, rules: Rules | None
) -> tuple[str, ...]:
    """The settings that reproduce ``published`` for the row (engine.explain_published)."""
    from iki_core.engine import explain_published

    target = ind.target_for(year)
    if target is None or not isinstance(target.value, Quantity) or real.value is None:
        return ()
    try:
        found = explain_published(
            target.value.magnitude,
            real.value.magnitude,
            published,
            lower=ind.polarity is Polarity.LOWER_IS_BETTER,
            base=rules,
        )
    except IkiError:
        return ()
    return tuple(m.describe() for m in found)


def published_rows(
    document: Document, *, number_locale: str = "auto"
) -> tuple[tuple[str, PublishedRow], ...]:
    """Each published capaian with its target and realisation, as the rows
    :func:`iki_core.engine.explain_table` reads, beside its reference ("1:2 2022"): the
    rows whose target, realisation or capaian cannot be read as numbers are left out."""
    from iki_core.engine import PublishedRow

    reals = {
        (r.indicator, r.period.year): r
        for r in realisations_of(document, number_locale=number_locale)
    }
    out: list[tuple[str, PublishedRow]] = []
    found = measurements(document)
    locales = _locales(found, lambda m: m.published, number_locale)
    for m in found:
        lang = locales[_column(m)].lang
        published = _published(m.published, lang) if m.published else None
        real = reals.get((m.reference, m.year))
        if published is None or real is None or real.value is None:
            continue
        ind = document.indicator(m.reference)
        target = ind.target_for(m.year)
        if target is None or not isinstance(target.value, Quantity):
            continue
        row = PublishedRow(
            target.value.magnitude,
            real.value.magnitude,
            published,
            lower=ind.polarity is Polarity.LOWER_IS_BETTER,
            label=f"{m.reference} {m.year}",
        )
        out.append((row.label, row))
    return tuple(out)
