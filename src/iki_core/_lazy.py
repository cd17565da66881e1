"""Tables of named objects read from the package's data files on first use: the rating
scales, the grade scales and the rule profiles. Nothing is read at import; the first
lookup reads the file once, under a lock, whatever the thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

__all__ = ["LazyTable"]

V = TypeVar("V")


class LazyTable(Mapping[str, V]):
    """A read-only mapping filled by ``load()`` on first use; a missing key raises the
    error ``missing(key, table)`` builds (each table names its own field and error)."""

    def __init__(
        self,
        name: str,
        load: Callable[[], dict[str, V]],
        missing: Callable[[str, Mapping[str, V]], Exception],
    ) -> None:
        self._name = name
        self._load = load
        self._missing = missing
        self._table: dict[str, V] | None = None
        self._lock = threading.Lock()

    def _get(self) -> dict[str, V]:
        table = self._table
        if table is None:
            with self._lock:
                table = self._table
                if table is None:
                    table = self._table = self._load()
        return table

    def __getitem__(self, key: str) -> V:
        table = self._get()
        found = table.get(key)
        if found is None:
            raise self._missing(key, table)
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._get()

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return f"{self._name}({sorted(self._get())!r})"
