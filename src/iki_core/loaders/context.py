"""What one load shares: :class:`ReadContext`, handed to every format's reader."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from iki_core.diagnostics import Diagnostic, Severity
from iki_core.errors import IkiError
from iki_core.kinds import Range, Target
from iki_core.loaders._locale import detect
from iki_core.loaders.options import LoaderOptions
from iki_core.numbers import NO_TARGET_MARKS, Lang
from iki_core.units import Quantity, UnitRegistry

__all__ = ["Parsed", "ReadContext"]

Parsed = Quantity | Range | None

_MISSING: Final = object()


@attrs.define
class ReadContext:
    """What one load shares, handed to every format's reader: the unit ``registry``, the
    ``options``, the ``source`` (a path, or None), the ``diagnostics`` found so far (add
    to them with :meth:`report`) and a cache of target texts already read (documents
    repeat "1 unit" often)."""

    registry: UnitRegistry
    options: LoaderOptions = attrs.field(factory=LoaderOptions)
    diagnostics: list[Diagnostic] = attrs.field(factory=list)
    source: str | None = attrs.field(default=None, kw_only=True)
    _targets: dict[str, Parsed | str] = attrs.field(factory=dict)

    def report(
        self,
        line: int | None,
        severity: Severity,
        code: str,
        message: str,
        *,
        text: str | None = None,
        sheet: int | None = None,
    ) -> None:
        self.diagnostics.append(Diagnostic(line, severity, code, message, text, sheet))

    def note(
        self,
        line: int | None,
        severity: Severity,
        code: str,
        params: Mapping[str, object] | None = None,
        *,
        text: str | None = None,
        sheet: int | None = None,
        key: str | None = None,
    ) -> None:
        """Report ``code`` worded by the catalogue's ``diagnostic.document.<key or code>``
        with ``params`` (so that it renders in every language)."""
        self.diagnostics.append(
            Diagnostic.of(
                code,
                f"document.{key or code}",
                params,
                line=line,
                severity=severity,
                text=text,
                sheet=sheet,
                scope="document",
            )
        )

    def parse_value(self, text: str, lang: Lang = "id") -> Parsed | str:
        """The value of a target cell whose numbers are written the ``lang`` way, or the
        reason it cannot be read (cached)."""
        key = text if lang == "id" else f"{lang}\x00{text}"
        found = self._targets.get(key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        result: Parsed | str
        try:
            if lang == "id":
                # the year only labels errors; the value does not depend on it
                result = Target.parse(2000, text, registry=self.registry).value
            else:
                result = _parse_in(text, lang, self.registry)
        except IkiError as exc:
            result = str(getattr(exc, "reason", exc))
        self._targets[key] = result
        return result

    def column_locale(
        self, column: str, texts: Iterable[str], *, line: int | None, sheet: int | None
    ) -> Lang:
        """How the numbers of ``column`` (its cells ``texts``) are read, by the loader
        option or detected from the cells; stated in one ``number-locale`` diagnostic at
        the column's header ``line`` unless the column is plainly Indonesian."""
        found = detect(texts, self.options.number_locale)
        if not found.stated:
            return found.lang
        severity: Severity
        if found.chosen:
            part, severity = f"option-{found.lang}", "warning"
        elif found.id_cells and found.en_cells:
            part, severity = f"mixed-{found.lang}", "warning"
        elif found.lang == "en":
            part, severity = "en", "info"
        else:
            part, severity = "ambiguous", "info"
        params = {
            "column": column,
            "example": found.example,
            "id_cells": found.id_cells,
            "en_cells": found.en_cells,
            "id_example": found.id_example,
            "en_example": found.en_example,
        }
        self.diagnostics.append(
            Diagnostic.of(
                "number-locale",
                f"layout.number-locale-{part}",
                params,
                line=line,
                severity=severity,
                text=found.example,
                sheet=sheet,
                scope="document",
            )
        )
        return found.lang


def _parse_in(text: str, lang: Lang, registry: UnitRegistry) -> Parsed:
    """A target cell read as :meth:`Target.parse` reads it, its numbers written the
    ``lang`` way."""
    stripped = text.strip()
    if stripped in NO_TARGET_MARKS:
        return None
    bounds = registry.parse_range(stripped, lang=lang, field="target")
    if bounds is not None:
        return Range(*bounds)
    return registry.parse_quantity(stripped, lang=lang, field="target")
