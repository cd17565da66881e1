"""Bounded memories of texts already read: files repeat the same spellings ("2021-Q3",
"12", "3 unit", "2021-10-05") on thousands of rows, and each spelling reads to the same
immutable value, so the readers read each spelling once.

A memory holds successes only (a text that fails is read again, so its error names the
field and line of each place it occurs) and forgets everything when it is full, so a
long-running application's memory stays bounded whatever it reads.

>>> memo: dict[str, int] = {}
>>> remember(memo, "12", 12)
12
>>> memo
{'12': 12}
"""

from __future__ import annotations

from typing import Final, TypeVar

__all__ = ["LIMIT", "remember"]

K = TypeVar("K")
V = TypeVar("V")

LIMIT: Final = 8192
"""The most spellings one memory holds before it starts afresh."""


def remember(memo: dict[K, V], key: K, value: V) -> V:
    """Keep ``value`` as what ``key`` reads to, and return it. Safe under threads: a
    dict's item assignment and ``clear`` are each atomic, and a value lost to a
    concurrent ``clear`` is only read again."""
    if len(memo) >= LIMIT:
        memo.clear()
    memo[key] = value
    return value
