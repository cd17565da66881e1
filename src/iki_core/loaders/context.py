"""What one load shares: :class:`ReadContext`, handed to every format's reader."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from iki_core.diagnostics import Diagnostic, Severity
from iki_core.errors import IkiError
from iki_core.kinds import Range, Target
from iki_core.loaders.options import LoaderOptions
from iki_core.units import Quantity, UnitRegistry

__all__ = ["Parsed", "ReadContext"]

Parsed = Quantity | Range | None


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

    def parse_value(self, text: str) -> Parsed | str:
        """The value of a target cell, or the reason it cannot be read (cached)."""
        try:
            return self._targets[text]
        except KeyError:
            pass
        result: Parsed | str
        try:
            # the year only labels errors; the value does not depend on it
            result = Target.parse(2000, text, registry=self.registry).value
        except IkiError as exc:
            result = str(getattr(exc, "reason", exc))
        self._targets[text] = result
        return result
