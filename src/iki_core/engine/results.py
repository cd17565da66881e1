"""What the engine returns: :class:`Achievement`, its :class:`Status` and :class:`Notice`
warnings, and the :class:`Rollup` of a group of achievements.

Every text here comes from the message catalogues (``status.*``, ``notice.*``):

>>> Status.NOT_ACHIEVED.label("id"), Status.NOT_ACHIEVED.label("en")
('belum tercapai', 'not achieved')
>>> n = Notice("overlap", {"months": "2021-07"})
>>> n.code, dict(n.params)
('overlap', {'months': '2021-07'})
>>> n.en
'realisations overlap in 2021-07: those months are counted more than once'
>>> n.text("id")
'realisasi tumpang tindih pada 2021-07: bulan-bulan itu terhitung lebih dari sekali'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Final, Literal, Protocol

import attrs

from iki_core._enums import ReprStrEnum
from iki_core.engine.words import local_number
from iki_core.errors import InvalidValueError
from iki_core.messages import check_lang, text
from iki_core.model import Indicator, Range, Realisation
from iki_core.periods import Period
from iki_core.rules import Rules
from iki_core.units import Quantity

__all__ = [
    "DEFERRED",
    "Achievement",
    "Building",
    "Notice",
    "Param",
    "Pending",
    "Rollup",
    "Status",
    "forget_pending",
    "pending_result",
    "set_pending",
]


class Status(ReprStrEnum):
    """What an achievement amounts to.

    - ``ACHIEVED``: percent >= 100 (after rounding and the optional cap).
    - ``NOT_ACHIEVED``: percent < 100.
    - ``NO_TARGET``: the year's target is "-", or the indicator has no target entry for the
      year at all (an unreadable cell: then a warning says so); the quarterly plan gives no
      target for the period ("-", see :class:`~iki_core.rules.PeriodTarget`); or the period
      lies wholly outside the event's window.
    - ``NO_DATA``: no realisation within the period: missing is never zero.
    - ``UNDEFINED``: a zero denominator (sum(Y) = 0, a target of 0 when higher is better,
      T / R at R = 0), under the default zero rules.
    """

    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"
    UNDEFINED = "undefined"

    def label(self, lang: str = "id") -> str:
        """The status as people read it, from the catalogue (``status.<value>``)."""
        return text(f"status.{self.value}", lang)


Param = str | int | Decimal
"""A parameter of a notice: a text (periods and dates as written), a count or a number."""


def _params(
    value: Mapping[str, Param] | Iterable[tuple[str, Param]],
) -> tuple[tuple[str, Param], ...]:
    pairs = tuple(value.items() if isinstance(value, Mapping) else value)
    for pair in pairs:
        if (
            not isinstance(pair, tuple)
            or len(pair) != 2
            or not isinstance(pair[0], str)
            or isinstance(pair[1], bool)
            or not isinstance(pair[1], str | int | Decimal)
        ):
            raise InvalidValueError(
                field="Notice.params", expected="names with a text, an int or a Decimal", value=pair
            )
    return pairs


def _render(value: Param, lang: str) -> str:
    if isinstance(value, str):
        return value
    # English keeps numbers ungrouped, as its warnings have always been written
    return local_number(value, lang, grouping=lang != "en")


@attrs.frozen
class Notice:
    """A warning of an achievement: what does not stop the computation but a reviewer
    should know, with a stable ``code`` and the ``params`` its text is made from. The text
    is the catalogue's ``notice.<code>`` in any language: :meth:`text`; ``en`` and ``id``
    are the English and Indonesian texts. ``dict(notice.params)`` gives the parameters.

    Codes: ``numerator-above-denominator``, ``late-report``, ``overlap``, ``missing``
    (periods without a realisation inside the figures to date), ``percent-values``
    (percentages reported without X and Y), ``plan-conflict`` (quarterly targets under a
    year without one), ``no-target-entry`` (no readable target for the year).
    """

    code: str
    params: tuple[tuple[str, Param], ...] = attrs.field(default=(), converter=_params)

    def text(self, lang: str = "id") -> str:
        """The text in ``lang`` (any language with a catalogue; default Indonesian)."""
        check_lang(lang)
        return text(f"notice.{self.code}", lang, **{k: _render(v, lang) for k, v in self.params})

    @property
    def en(self) -> str:
        """The English text."""
        return self.text("en")

    @property
    def id(self) -> str:
        """The Indonesian text."""
        return self.text("id")


class Pending(Protocol):
    """What an achievement's deferred fields are built from (the engine's own)."""

    def fill(self, achievement: Achievement) -> None:
        """Set every deferred field of ``achievement`` (:data:`DEFERRED`) and forget it."""


DEFERRED: Final = frozenset(
    (
        "annual_target",
        "nilai",
        "notices",
        "realised",
        "_realisations",
        "_rules",
        "target",
        "warnings",
    )
)
"""The fields the engine may leave to be built on first reading: quantities it would
otherwise make for every result, and what it shares between the periods of an indicator."""


class _Deferred:
    """The base of :class:`Achievement`: a slot for what its deferred fields are built from.

    The engine's lean and fast paths leave the fields in :data:`DEFERRED` unset and store a
    :class:`Pending` instead; the first reading of any of them builds them all, with the
    values and types the general path gives. Fewer objects per result: fewer for the
    garbage collector to walk."""

    __slots__ = ("_pending",)
    if TYPE_CHECKING:
        _pending: Pending | None

    if not TYPE_CHECKING:  # hidden from the type checker: it would accept any name

        def __getattr__(self, name: str) -> object:
            pending = _get_pending(self) if name in DEFERRED else None
            if pending is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            pending.fill(self)
            return getattr(self, name)


_pending_slot: Final = _Deferred.__dict__["_pending"]
set_pending: Final = _pending_slot.__set__


def _get_pending(achievement: _Deferred) -> Pending | None:
    """What the deferred fields of ``achievement`` are built from; None when they are set."""
    try:
        pending: Pending | None = _pending_slot.__get__(achievement)
    except AttributeError:  # built by hand: every field set
        return None
    return pending


def pending_result(
    indicator: Indicator,
    period: Period,
    reference: str | None,
    percent: Decimal,
    progress: Decimal,
    status: Status,
    rating: str,
    pending: Pending,
) -> Achievement:
    """An achievement of the fast paths: its figures set, its other fields
    (:data:`DEFERRED`) built by ``pending`` when first read. One object for the garbage
    collector, made without the constructor's checks (the figures are the engine's own)."""
    a: Building = Building()
    a.indicator = indicator
    a.period = period
    a.reference = reference
    a.percent = percent
    a.progress = progress
    a.status = status
    a.rating = rating
    a._pending = pending
    a.__class__ = Achievement  # type: ignore[assignment]  # its base: allowed, see Building
    return a


def forget_pending(achievement: Achievement) -> None:
    """Drop what ``achievement``'s deferred fields were built from, once they are set (to
    None, not deleted: two threads reading the same result at once both find the slot)."""
    set_pending(achievement, None)


@attrs.frozen(weakref_slot=False)  # 16 bytes less each: nothing refers to results weakly
class Achievement(_Deferred):
    """The achievement (capaian) of one indicator in one period, with its working.

    ``target`` is the target for the period (cumulative), ``annual_target`` the year's
    target as written, ``realised`` the realisation to date (in the indicator's unit),
    ``percent`` the achievement against ``target`` and ``progress`` against the annual
    target (both rounded once, half-up). ``nilai`` is the nilai capaian of ``percent`` when
    the rules' scale defines one (PermenPANRB 8/2021), rounded once, half-up, to
    ``rules.places``; None otherwise. ``reference`` is ``"sheet:id"`` when computed from a
    document. ``warnings`` are in English; ``notices`` are the same warnings, in the same
    order, each with a stable code and its parameters (:class:`Notice`), and
    :meth:`warnings_in` gives them in any language. :meth:`explain` shows the derivation.
    """

    indicator: Indicator = attrs.field(repr=lambda i: repr(i.id))
    period: Period
    reference: str | None
    target: Quantity | None
    annual_target: Quantity | Range | None
    realised: Quantity | None
    percent: Decimal | None
    progress: Decimal | None
    status: Status
    rating: str | None
    warnings: tuple[str, ...] = ()
    nilai: Decimal | None = None
    _realisations: tuple[Realisation, ...] = attrs.field(default=(), eq=False, repr=False)
    _rules: Rules | None = attrs.field(default=None, eq=False, repr=False)
    notices: tuple[Notice, ...] = attrs.field(default=(), kw_only=True, eq=False, repr=False)

    def warnings_in(self, lang: str = "id") -> tuple[str, ...]:
        """The warnings in ``lang`` (default Indonesian; English is ``warnings``). An
        achievement built by hand without ``notices`` keeps its ``warnings`` as written in
        every language."""
        check_lang(lang)
        notices = self.notices
        if lang == "en" or len(notices) != len(self.warnings):
            return self.warnings
        return tuple(n.text(lang) for n in notices)

    def explain(self, lang: str = "id") -> str:
        """The derivation in words and numbers a reviewer can check, in ``lang`` (default
        Indonesian)."""
        check_lang(lang)
        # imported here: the explainer reads this module's classes
        from iki_core.engine.explain import explain

        return explain(self, lang)


@attrs.frozen
class Rollup:
    """A mean achievement over the indicators of an objective or a sheet: the
    "rata-rata capaian kinerja" row of the Permendagri 86/2017 evaluation form.

    ``reference`` is ``"2:1"`` (sheet 2, objective number 1) or ``"2"`` (sheet 2);
    ``percent`` is the (weighted) mean of the published percents that exist, rounded once;
    ``count`` how many were averaged.
    """

    level: Literal["objective", "sheet"]
    reference: str
    name: str
    period: Period
    percent: Decimal | None
    count: int
    rating: str | None


class Building(Achievement):
    """An :class:`Achievement` being built by the engine's fast paths, which set its
    slots as plain attributes and then make it an ``Achievement``
    (``a.__class__ = Achievement``: CPython allows it between a class and a subclass that
    adds no slots). Never returned: every result is an ``Achievement``. Setting a slot this
    way costs about a fifth of calling its descriptor's setter, and a result of the lean
    path sets eight."""

    __slots__ = ()
    # the fields the fast paths set (annotations only: the slots are Achievement's)
    indicator: Indicator
    period: Period
    reference: str | None
    percent: Decimal | None
    progress: Decimal | None
    status: Status
    rating: str | None
    __setattr__ = object.__setattr__  # the frozen class's refusal lifted, here only
    __delattr__ = object.__delattr__  # both, or CPython keeps the slow path for both
    # made empty by calling the class, which costs two thirds of object.__new__(Building)
    __init__ = object.__init__


# The slot setters of Achievement, for the fast paths, which build results without the
# constructor (pending_result, and the deferred fields their frames fill in).
_FIELDS: Final = Achievement.__dict__  # attrs gives Achievement __slots__
set_indicator: Final = _FIELDS["indicator"].__set__
set_period: Final = _FIELDS["period"].__set__
set_reference: Final = _FIELDS["reference"].__set__
set_target: Final = _FIELDS["target"].__set__
set_annual_target: Final = _FIELDS["annual_target"].__set__
set_realised: Final = _FIELDS["realised"].__set__
set_percent: Final = _FIELDS["percent"].__set__
set_progress: Final = _FIELDS["progress"].__set__
set_status: Final = _FIELDS["status"].__set__
set_rating: Final = _FIELDS["rating"].__set__
set_warnings: Final = _FIELDS["warnings"].__set__
set_nilai: Final = _FIELDS["nilai"].__set__
set_realisations: Final = _FIELDS["_realisations"].__set__
set_rules: Final = _FIELDS["_rules"].__set__
set_notices: Final = _FIELDS["notices"].__set__
