"""The report every output writes: one typed object, and the texts all outputs share.

A :class:`Report` holds what an output needs: the document, the achievements, the periods,
the rules, the language and the facts of the header (where the document and the
realisations came from). The roll-ups per objective and per sheet are computed from it on
first use, so outputs that do not show them (JSON, CSV) do not pay for them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Literal

import attrs

from iki_core import messages
from iki_core.engine import Achievement, Rollup, formula, rollup
from iki_core.model import Document
from iki_core.numbers import EXACT, format_number
from iki_core.periods import Period
from iki_core.rules import Rules

__all__ = ["Report", "amount_text", "formula_text", "notice_texts", "number_text", "separators"]


def _achievements(value: Iterable[Achievement]) -> tuple[Achievement, ...]:
    return tuple(value)


def _periods(value: Iterable[Period]) -> tuple[Period, ...]:
    return tuple(sorted(set(value)))


def _lang(value: str) -> str:
    return messages.check_lang(value, "Report.lang")


def _layout(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if value not in ("long", "wide"):
        from iki_core.errors import InvalidValueError

        raise InvalidValueError(field="Report.layout", expected="'long' or 'wide'", value=value)


ChartMode = Literal["sheet", "indicator", "none"]
"""Which charts the HTML and PDF outputs draw under each sheet's table."""

CHART_MODES: tuple[ChartMode, ...] = ("sheet", "indicator", "none")


def _charts(value: bool | str) -> ChartMode:
    """A chart mode; True and False are ``"sheet"`` and ``"none"``, as before there were
    modes."""
    if value is True or value is False:
        return "sheet" if value else "none"
    for mode in CHART_MODES:
        if value == mode:
            return mode
    from iki_core.errors import InvalidValueError

    raise InvalidValueError(
        field="Report.charts", expected="'sheet', 'indicator' or 'none'", value=value
    )


def _default_rules() -> Rules:
    from iki_core import rules  # DEFAULT_RULES is built on first access (rules.__getattr__)

    return rules.DEFAULT_RULES


@attrs.frozen(slots=False)
class Report:
    """The achievements of a document for some periods, ready to be written.

    ``achievements`` are those of :func:`iki_core.engine.achievements`, in document order;
    ``periods`` are kept sorted and distinct; ``lang`` is any language that has a message
    catalogue (:func:`iki_core.messages.languages`). ``document_source`` and
    ``realisations_source`` name where the document and the realisations came from (a path,
    a database, an upload) and ``realisation_count`` how many realisations were read: the
    table prints them in its header when they are given. ``weights`` go to the roll-ups
    (:func:`iki_core.engine.rollup`). ``layout`` is the LKjIP table's layout (``"long"``,
    one row per indicator and period; ``"wide"``, the periods side by side) and ``charts``
    which charts the HTML and PDF outputs draw under each sheet's table: ``"sheet"`` (the
    sheet's mean per period; also ``True``), ``"indicator"`` (one per indicator of the
    sheet) or ``"none"`` (also ``False``); ``history`` the achievements those charts draw
    (the quarters of the year up to the report's period, say), when they are more than
    the report's own.
    """

    document: Document
    achievements: tuple[Achievement, ...] = attrs.field(converter=_achievements)
    periods: tuple[Period, ...] = attrs.field(converter=_periods)
    rules: Rules = attrs.field(factory=_default_rules)
    lang: str = attrs.field(default="id", converter=_lang)
    document_source: str = ""
    realisations_source: str = ""
    realisation_count: int = 0
    weights: Mapping[str, Decimal] | None = None
    layout: Literal["long", "wide"] = attrs.field(default="long", validator=_layout)
    charts: ChartMode = attrs.field(default="sheet", converter=_charts)
    history: tuple[Achievement, ...] = attrs.field(default=(), converter=_achievements)

    @functools.cached_property
    def objectives(self) -> tuple[Rollup, ...]:
        """The roll-ups per objective (sasaran), computed once on first use."""
        return self._rollup("objective")

    @functools.cached_property
    def sheets(self) -> tuple[Rollup, ...]:
        """The roll-ups per sheet, computed once on first use."""
        return self._rollup("sheet")

    def _rollup(self, level: Literal["objective", "sheet"]) -> tuple[Rollup, ...]:
        rows = rollup(
            self.achievements, self.document, level=level, weights=self.weights, rules=self.rules
        )
        return tuple(rows)

    def text(self, key: str, /, **params: object) -> str:
        """The catalogue text of ``key`` in the report's language."""
        return messages.text(key, self.lang, **params)


# --- texts every output shares ---------------------------------------------------------------
def formula_text(rules: Rules) -> str:
    """The lower-is-better formula of ``rules`` as the rules line of the table names it:
    its name, then its arithmetic (the registered formula object's ``symbol``).

    >>> from iki_core.rules import Rules
    >>> formula_text(Rules()), formula_text(Rules(lower_is_better="inverse"))
    ('kondisi_khusus, (2T - R) / T', 'inverse, T / R')
    """
    f = formula(str(rules.lower_is_better.value))
    return f"{f.name}, {f.symbol}"


def notice_texts(a: Achievement, lang: str) -> tuple[str, ...]:
    """The warnings of ``a`` in ``lang``: each notice's text; an achievement built by hand
    without notices keeps its ``warnings`` as written."""
    notices = a.notices
    if len(notices) != len(a.warnings):
        return a.warnings
    return tuple(n.text(lang) for n in notices)


def separators(lang: str) -> dict[int, str]:
    """The table that turns a number written the English way into one written with the
    separators of ``lang``'s catalogue (``str.translate``); look it up once per report."""
    group, decimal = messages.text("number.group", lang), messages.text("number.decimal", lang)
    return {ord(","): group, ord("."): decimal}


def number_text(
    value: Decimal | int,
    lang: str | dict[int, str],
    *,
    places: int | None = None,
    percent: bool = False,
    grouping: bool = True,
) -> str:
    """``value`` written with the separators of ``lang``'s catalogue (``number.group``,
    ``number.decimal``), as :func:`iki_core.numbers.format_number` writes it in English.
    ``lang`` may also be the table :func:`separators` gives.

    >>> number_text(Decimal("1234.5"), "id", places=2), number_text(Decimal("1234.5"), "en")
    ('1.234,50', '1,234.5')
    """
    english = format_number(value, places=places, lang="en", percent=percent, grouping=grouping)
    return english.translate(separators(lang) if isinstance(lang, str) else lang)


def amount_text(value: Decimal, lang: str | dict[int, str], *, grouping: bool = True) -> str:
    """A magnitude as written in the table: exact up to two decimals, else rounded to two."""
    exponent = value.as_tuple().exponent
    places = 2 if isinstance(exponent, int) and exponent < -2 else None
    if places is None and value == value.to_integral_value(context=EXACT):
        value = value.quantize(Decimal(1), context=EXACT)
    return number_text(value, lang, places=places, grouping=grouping)
