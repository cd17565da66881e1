"""The library's one base for text enumerations: a member is its value (a ``str``), and
its ``repr`` is the value's, so results and rules print as the JSON and the docs write them
(``'achieved'``, not ``<Status.ACHIEVED: 'achieved'>``)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ReprStrEnum"]


class ReprStrEnum(StrEnum):
    """A :class:`~enum.StrEnum` whose ``repr`` is its value's."""

    def __repr__(self) -> str:
        return repr(self.value)
