"""Every text a person reads, from one catalogue per language kept as data.

The catalogues are TOML files beside the code, ``iki_core/data/messages/<lang>.toml``:
``en.toml`` and ``id.toml`` ship with the library. A key names a section and an entry
(``"status.not_achieved"``); a value is a text with ``{name}`` placeholders, or a list of
texts (``"period.months"``). Code names the key; the language picks the text:

>>> text("status.not_achieved", "id"), text("status.not_achieved", "en")
('belum tercapai', 'not achieved')
>>> words("period.months", "id")[7]
'Agustus'
>>> languages()
('en', 'id')

A third language is one more data file with the same keys and placeholders: put it in
the package's ``data/messages`` folder, or register it from a host application with
:func:`register_language` (checked against the English catalogue, so a missing key or a
misspelt placeholder is refused at once, not when a report is written). Nothing is read
when this module is imported: each catalogue is read once, on first use.
"""

from __future__ import annotations

import string
import threading
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Final

from iki_core.errors import InvalidValueError

__all__ = ["check_lang", "languages", "register_language", "text", "words"]

REFERENCE: Final = "en"
"""The catalogue every other one is checked against."""

Entry = str | tuple[str, ...]

_lock = threading.Lock()
_catalogues: dict[str, dict[str, Entry]] = {}
_registered: dict[str, dict[str, Entry]] = {}


def _flatten(data: Mapping[str, object], prefix: str, out: dict[str, Entry], lang: str) -> None:
    for name, value in data.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            _flatten(value, key + ".", out, lang)
        elif isinstance(value, str):
            out[key] = value
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[key] = tuple(value)
        else:
            raise InvalidValueError(
                field=f"messages[{lang!r}].{key}",
                expected="a text or a list of texts",
                value=value,
            )


def _bundled() -> list[str]:
    folder = resources.files("iki_core") / "data" / "messages"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _read_bundled(lang: str) -> dict[str, Entry]:
    source = resources.files("iki_core") / "data" / "messages" / f"{lang}.toml"
    out: dict[str, Entry] = {}
    _flatten(tomllib.loads(source.read_text(encoding="utf-8")), "", out, lang)
    return out


def _catalogue(lang: str) -> dict[str, Entry]:
    found = _catalogues.get(lang)
    if found is not None:
        return found
    with _lock:
        found = _catalogues.get(lang)
        if found is None:
            found = _registered.get(lang)
            if found is None:
                if lang not in _bundled():
                    raise InvalidValueError(
                        field="lang", expected=_expected(), value=lang
                    ) from None
                found = _read_bundled(lang)
            _catalogues[lang] = found
    return found


def _expected() -> str:
    return "one of " + ", ".join(repr(x) for x in languages())


def languages() -> tuple[str, ...]:
    """The languages that have a catalogue: the bundled ones and those registered."""
    return tuple(sorted({*_bundled(), *_registered}))


def check_lang(lang: object, field: str = "lang") -> str:
    """``lang`` itself when a catalogue exists for it, else
    :class:`~iki_core.errors.InvalidValueError` naming ``field`` and the languages there are.

    >>> check_lang("fr")
    Traceback (most recent call last):
    ...
    iki_core.errors.InvalidValueError: lang: expected one of 'en', 'id', got 'fr'
    """
    if isinstance(lang, str) and (lang in _catalogues or lang in languages()):
        return lang
    raise InvalidValueError(field=field, expected=_expected(), value=lang)


def _entry(key: str, lang: str) -> Entry:
    try:
        return _catalogue(lang)[key]
    except KeyError:
        raise InvalidValueError(
            field="message key", expected=f"a key of the {lang!r} catalogue", value=key
        ) from None


def text(key: str, lang: str = "id", /, **params: object) -> str:
    """The text of ``key`` in ``lang``, its ``{placeholders}`` filled from ``params``.

    >>> text("notice.missing", "en", months="2021-Q3")[:45]
    'no realisation for 2021-Q3: the figures to da'
    """
    entry = _entry(key, lang)
    if not isinstance(entry, str):
        raise InvalidValueError(field="message key", expected="a text entry", value=key)
    return entry.format(**params) if params else entry


def words(key: str, lang: str = "id") -> tuple[str, ...]:
    """The list entry ``key`` in ``lang`` (month names, column headers...)."""
    entry = _entry(key, lang)
    if isinstance(entry, str):
        raise InvalidValueError(field="message key", expected="a list entry", value=key)
    return entry


def _placeholders(entry: Entry) -> set[str]:
    texts = (entry,) if isinstance(entry, str) else entry
    return {
        name for t in texts for _, name, _, _ in string.Formatter().parse(t) if name is not None
    }


def _check_against_reference(lang: str, catalogue: Mapping[str, Entry]) -> None:
    reference = _catalogue(REFERENCE)
    missing = sorted(set(reference) - set(catalogue))
    if missing:
        raise InvalidValueError(
            field=f"messages[{lang!r}]",
            expected="every key of the English catalogue",
            value=f"missing {', '.join(missing[:5])}" + (" ..." if len(missing) > 5 else ""),
        )
    extra = sorted(set(catalogue) - set(reference))
    if extra:
        raise InvalidValueError(
            field=f"messages[{lang!r}]",
            expected="only keys of the English catalogue",
            value=f"unknown {', '.join(extra[:5])}",
        )
    for key, entry in reference.items():
        other = catalogue[key]
        if isinstance(entry, str) != isinstance(other, str) or (
            not isinstance(entry, str) and len(entry) != len(other)
        ):
            raise InvalidValueError(
                field=f"messages[{lang!r}].{key}", expected=_shape(entry), value=other
            )
        if _placeholders(other) != _placeholders(entry):
            raise InvalidValueError(
                field=f"messages[{lang!r}].{key}",
                expected="the placeholders "
                + (", ".join("{" + p + "}" for p in sorted(_placeholders(entry))) or "none"),
                value=other,
            )


def _shape(entry: Entry) -> str:
    return "a text" if isinstance(entry, str) else f"a list of {len(entry)} texts"


def register_language(lang: str, source: Mapping[str, object] | str | Path) -> None:
    """Add (or replace) the catalogue of ``lang`` from a mapping shaped like the TOML files
    or from the path of such a file; it must have exactly the keys and placeholders of the
    English catalogue. Thread-safe; affects texts produced afterwards.

    >>> import tomllib
    >>> from importlib import resources
    >>> en = tomllib.loads((resources.files("iki_core") / "data/messages/en.toml").read_text())
    >>> en["status"]["achieved"] = "atteint"
    >>> register_language("xx", en)
    >>> text("status.achieved", "xx")
    'atteint'
    >>> en["status"]["achieved"] = "{oops}"
    >>> register_language("xx", en)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    iki_core.errors.InvalidValueError: messages['xx'].status.achieved: expected the ...
    """
    if not isinstance(lang, str) or not lang.isidentifier():
        raise InvalidValueError(field="lang", expected="a language code such as 'fr'", value=lang)
    if isinstance(source, str | Path):
        try:
            data: Mapping[str, object] = tomllib.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InvalidValueError(
                field=f"messages[{lang!r}]", expected="a readable TOML file", value=str(source)
            ) from exc
    else:
        data = source
    flat: dict[str, Entry] = {}
    _flatten(data, "", flat, lang)
    _check_against_reference(lang, flat)
    with _lock:
        _registered[lang] = flat
        _catalogues[lang] = flat
