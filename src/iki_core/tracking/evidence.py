"""Evidence (bukti dukung) of a realisation report: where it is kept and the SHA-256 of its
content, so that an evaluator can check it was not changed since it was reported."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Final

import attrs

from iki_core.errors import IkiTypeError, InvalidValueError

__all__ = ["Evidence", "evidence_tuple"]

_SHA256: Final = re.compile(r"[0-9a-f]{64}")


def _sha256(value: object) -> str:
    if not isinstance(value, str) or not _SHA256.fullmatch(value.lower()):
        raise InvalidValueError(
            field="Evidence.sha256", expected="64 hexadecimal digits (a SHA-256)", value=value
        )
    return value.lower()


def _location(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(field="Evidence.location", expected="a path or URL", value=value)
    return value.strip()


@attrs.frozen
class Evidence:
    """A piece of evidence (bukti dukung): where it is kept (a path or a URL) and the
    SHA-256 of its content, so that an evaluator can check it was not changed since."""

    location: str = attrs.field(converter=_location)
    sha256: str = attrs.field(converter=_sha256)

    @classmethod
    def of_file(cls, path: str | os.PathLike[str], location: str | None = None) -> Evidence:
        """The evidence of a file: its content hashed now, ``location`` (default the path)
        recorded as where it is kept."""
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 16), b""):
                digest.update(block)
        return cls(location if location is not None else str(Path(path)), digest.hexdigest())


def evidence_tuple(values: Iterable[Evidence]) -> tuple[Evidence, ...]:
    items = tuple(values)
    for item in items:
        if not isinstance(item, Evidence):
            raise IkiTypeError(field="Report.evidence", expected="Evidence", value=item)
    return items
