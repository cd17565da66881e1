"""Where a JSON document breaks its schema: the field's path, the value as written and the
line of the document it is on.

cattrs wraps each failure of a structure hook in a group and names only the path of the
object it was structuring (``$.sheets[0]...targets[0]``): the magnitude inside, its text
and its line were lost. :func:`schema_errors` takes the groups apart, goes down from that
path to the value the error names, and finds where the text holds it.

>>> import json
>>> from iki_core.errors import InvalidValueError
>>> text = '{"sheets": [\\n  {"targets": [{"magnitude": "1/0"}]}\\n]}'
>>> error = InvalidValueError(field="magnitude", expected="a decimal string", value="1/0")
>>> schema_errors(At(("sheets", 0, "targets", 0), error), json.loads(text), text)
[(2, "magnitude: expected a decimal string, got '1/0' @ $.sheets[0].targets[0].magnitude")]
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from typing import Final

from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.v import format_exception

from iki_core.errors import IkiError

__all__ = ["At", "schema_errors"]

Path = tuple[str | int, ...]
_Trie = dict[str | int, "_Trie"]


class At(Exception):
    """``error`` raised at ``path`` of the document, outside cattrs (the ``units`` table)."""

    def __init__(self, path: Path, error: BaseException) -> None:
        super().__init__(str(error))
        self.path = path
        self.error = error


Leaf = tuple[BaseException, Path, type | None]


def _leaves(exc: BaseException, path: Path, kind: type | None = None) -> Iterator[Leaf]:
    """Each failure inside ``exc`` with the path (and the type) cattrs noted for it."""
    if isinstance(exc, At):
        yield exc.error, path + exc.path, None
    elif isinstance(exc, IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            yield from _leaves(inner, (*path, note.index), note.type)
        for inner in without:
            yield from _leaves(inner, path)
    elif isinstance(exc, ClassValidationError):
        with_class_notes, without = exc.group_exceptions()
        for inner, class_note in with_class_notes:
            yield from _leaves(inner, (*path, class_note.name), class_note.type)
        for inner in without:
            yield from _leaves(inner, path)
    else:
        yield exc, path, kind


def _at(data: object, path: Path) -> tuple[bool, object]:
    """(True, the value at ``path`` of ``data``), or (False, None) when there is none."""
    for part in path:
        in_dict = isinstance(data, dict) and isinstance(part, str) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_dict or in_list):
            return False, None
        data = data[part]  # type: ignore[index]
    return True, data


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


_BUDGET: Final = 10_000
"""Values looked at under an error's path for the value it names: an error high in the
tree (a whole sheet's) keeps its path rather than search the whole document."""


def _down_to(data: object, path: Path, value: object, field: object) -> Path:
    """The path of ``value`` (the value an error names) at or under ``path``: a hook
    structures a whole object, its error names a value inside. A value under the key
    ``field`` (the field the error names) is preferred; a null or an empty text is taken
    only there, as so many other fields hold one."""
    found, here = _at(data, path)
    if not found or _same(here, value):
        return path
    common = value is None or value == ""
    first: Path | None = None
    stack: list[tuple[object, Path]] = [(here, path)]
    budget = _BUDGET
    while stack and budget:  # depth first, in document order
        budget -= 1
        node, at = stack.pop()
        if _same(node, value):
            if at[-1:] == (field,):
                return at
            first = first or at
        if isinstance(node, dict):
            stack.extend((v, (*at, k)) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((v, (*at, i)) for i, v in reversed(list(enumerate(node))))
    return path if first is None or common else first


_DECODER: Final = json.JSONDecoder()
_SPACE: Final = re.compile(r"[ \t\n\r]*")


def _offsets(text: str, wanted: set[Path]) -> dict[Path, int]:
    """The offset in ``text`` (valid JSON) of the value at each path of ``wanted``: the
    objects and arrays on those paths are walked, every other value is skipped by the
    decoder (in C), so the cost is at most one more decoding of the text."""
    trie: _Trie = {}
    for path in wanted:
        node = trie
        for part in path:
            node = node.setdefault(part, {})
    found: dict[Path, int] = {}

    def space(at: int) -> int:
        match = _SPACE.match(text, at)
        return at if match is None else match.end()

    def skip(at: int) -> int:
        return int(_DECODER.raw_decode(text, at)[1])

    def walk(at: int, path: Path, node: _Trie) -> int:
        at = space(at)
        if path in wanted:
            found[path] = at
        opening = text[at]
        if not node or opening not in "{[":
            return skip(at)
        closing = "}" if opening == "{" else "]"
        at = space(at + 1)
        index = 0
        while text[at] != closing:
            part: str | int = index
            if opening == "{":
                part, at = _DECODER.raw_decode(text, at)
                at = space(at) + 1  # the colon
            at = walk(at, (*path, part), node[part]) if part in node else skip(space(at))
            at = space(at)
            if text[at] == ",":
                at = space(at + 1)
            index += 1
        return at + 1

    # text and data disagreeing (they cannot, the text was decoded): what was found so far
    with contextlib.suppress(ValueError, IndexError, RecursionError):
        walk(0, (), trie)
    return found


def _shown(path: Path) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _value(exc: BaseException) -> object:
    for name in ("value", "text"):
        if hasattr(exc, name):
            return getattr(exc, name)
    return None


def schema_errors(
    exc: BaseException, data: object, text: str, limit: int = 50
) -> list[tuple[int | None, str]]:
    """The (line, message) of each failure in ``exc``, at most ``limit``: the message names
    the field, the value as written and its path; the line is where the text holds it."""
    errors: list[Leaf] = []
    for leaf, path, kind in _leaves(exc, ()):
        if isinstance(leaf, IkiError):
            path = _down_to(data, path, _value(leaf), getattr(leaf, "field", None))
        errors.append((leaf, path, kind))
        if len(errors) == limit:
            break
    # a field that is missing is at the object that lacks it: every prefix is looked for
    offsets = _offsets(text, {path[:n] for _, path, _ in errors for n in range(len(path) + 1)})
    out: list[tuple[int | None, str]] = []
    for leaf, path, kind in errors:
        at = next(
            (offsets[path[:n]] for n in range(len(path), -1, -1) if path[:n] in offsets), None
        )
        line = None if at is None else text.count("\n", 0, at) + 1
        said = str(leaf) if isinstance(leaf, IkiError) else format_exception(leaf, kind)
        out.append((line, f"{said} @ {_shown(path)}"))
    return out
