"""What a reader reports and where a value came from: :class:`Diagnostic`, :class:`SourceText`,
and the table of diagnostic codes (``data/diagnostics.toml``: code, severity, meaning).

A diagnostic built from the catalogue (:meth:`Diagnostic.of`) keeps its parameters and
renders in any language that has a catalogue:

>>> d = Diagnostic.of("encoding", "reader.encoding", line=2)
>>> str(d)
'line 2: warning [encoding] the file is not UTF-8 (first bad byte here); read as \
Windows-1252, as spreadsheets on Windows save CSV'
>>> d.render("id")
'berkas bukan UTF-8 (bita salah pertama di sini); dibaca sebagai Windows-1252, seperti \
spreadsheet di Windows menyimpan CSV'
>>> CODES["realisations"]["encoding"].severity
'warning'
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from importlib import resources
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

import attrs

from iki_core import messages
from iki_core.errors import InvalidValueError

__all__ = ["CODES", "Diagnostic", "DiagnosticCode", "Severity", "SourceText"]

Severity: TypeAlias = Literal["error", "warning", "info"]
_SEVERITIES: Final = ("error", "warning", "info")


def _severity(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if value not in _SEVERITIES:
        raise InvalidValueError(
            field=f"{type(instance).__name__}.{attribute.name}",
            expected=f"one of {', '.join(_SEVERITIES)}",
            value=value,
        )


def _code(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            field=f"{type(instance).__name__}.{attribute.name}",
            expected="a non-empty text",
            value=value,
        )


@attrs.frozen
class SourceText:
    """Where an object was read from and the text of each of its fields as written.

    ``cells`` pairs a field name with its original text, e.g.
    ``(("target 2018", "dokum"), ("Sumber Data", "12 kali"))``.
    """

    line: int | None = None
    cells: tuple[tuple[str, str], ...] = ()

    def get(self, field: str, default: str | None = None) -> str | None:
        """The original text of ``field``."""
        for name, text in self.cells:
            if name == field:
                return text
        return default


class _Worded:
    """The base of :class:`Diagnostic`: slots for what its ``message`` and ``params`` are
    made from when first read.

    A load makes an info diagnostic for most indicators (continuation rows, formulas,
    unitless targets) and few of them are ever read; :meth:`Diagnostic.of` keeps the
    catalogue's English text and the parameters as given (texts and numbers, which
    cannot change) and leaves ``message`` and ``params`` to be made on first reading,
    with the values and types they would have had. Fewer objects per diagnostic: fewer
    for the garbage collector to walk."""

    __slots__ = ("_given", "_template")

    if not TYPE_CHECKING:  # hidden from the type checker: it would accept any name

        def __getattr__(self, name: str) -> object:
            if name == "params":
                params = tuple(_given_slot.__get__(self).items())
                _set_params(self, params)
                return params
            if name != "message":
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            template: str = _template_slot.__get__(self)
            given = _given_slot.__get__(self)
            message = template.format(**given) if given else template
            _set_message(self, message)
            return message


_template_slot: Final = _Worded.__dict__["_template"]
_given_slot: Final = _Worded.__dict__["_given"]

# Parameter values that cannot change after a diagnostic is made, so that its message can
# be worded later with the value it would have had at once.
_SETTLED: Final = frozenset((str, int, Decimal, type(None)))


@attrs.frozen
class Diagnostic(_Worded):
    """A problem found while reading a document, with where it is.

    ``code`` is stable (``"truncated-target"``, ``"repeated-row"``...) so that
    applications can filter on it (:data:`CODES` says what each means); ``text`` holds
    the offending line or cell; ``message`` is in English. A diagnostic made with
    :meth:`of` also keeps the ``params`` of its catalogue text, so that :meth:`render`
    can write it in another language (``params`` take no part in equality and are not
    written to JSON documents).

    >>> str(Diagnostic(line=92, severity="warning", code="truncated-target",
    ...                message="target 2018 'dokum' is not a quantity; kept as text"))
    "line 92: warning [truncated-target] target 2018 'dokum' is not a quantity; kept as text"
    """

    line: int | None
    severity: Severity = attrs.field(validator=_severity)
    code: str = attrs.field(validator=_code)
    message: str
    text: str | None = None
    sheet: int | None = None
    params: tuple[tuple[str, object], ...] | None = attrs.field(
        default=None, eq=False, repr=False, kw_only=True
    )
    key: str | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)

    @classmethod
    def of(
        cls,
        code: str,
        key: str,
        params: Mapping[str, object] | None = None,
        *,
        line: int | None = None,
        severity: Severity | None = None,
        text: str | None = None,
        sheet: int | None = None,
        scope: str = "realisations",
    ) -> Diagnostic:
        """The diagnostic ``code`` whose English message is the catalogue's text
        ``diagnostic.<key>`` with its placeholders filled from ``params`` (a param that is
        itself a Diagnostic is filled in with its message); the severity is that of the
        code in :data:`CODES` (of ``scope``) unless given."""
        given = dict(params or {})
        sev = severity or _default_severity(scope, code)
        if (
            cls is not Diagnostic
            or sev not in _SEVERITIES  # the constructor's checks, which say what is wrong
            or type(code) is not str
            or not code.strip()
            or not _SETTLED.issuperset(map(type, given.values()))
        ):
            message = _render(key, "en", given)
            return cls(line, sev, code, message, text, sheet, params=tuple(given.items()), key=key)
        template = messages.text(f"diagnostic.{key}", "en")  # the key is checked now
        d: Diagnostic = _new(cls)
        _set_line(d, line)
        _set_severity(d, sev)
        _set_code(d, code)
        _set_text(d, text)
        _set_sheet(d, sheet)
        _set_key(d, key)
        _given_slot.__set__(d, given)
        _template_slot.__set__(d, template)
        return d

    def render(self, lang: str = "en") -> str:
        """The message in ``lang`` (the English ``message`` when the diagnostic was not
        made from the catalogue, e.g. read back from a JSON document)."""
        if self.params is None or self.key is None:
            messages.check_lang(lang)
            return self.message
        return _render(self.key, lang, dict(self.params))

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.severity} [{self.code}] {self.message}"


# The slot setters of Diagnostic, for Diagnostic.of, which leaves ``message`` to be worded
# when first read.
_new: Final = object.__new__
_SLOTS: Final = Diagnostic.__dict__
_set_line: Final = _SLOTS["line"].__set__
_set_severity: Final = _SLOTS["severity"].__set__
_set_code: Final = _SLOTS["code"].__set__
_set_message: Final = _SLOTS["message"].__set__
_set_text: Final = _SLOTS["text"].__set__
_set_sheet: Final = _SLOTS["sheet"].__set__
_set_params: Final = _SLOTS["params"].__set__
_set_key: Final = _SLOTS["key"].__set__


def worded_maker(
    code: str, key: str, severity: Severity, *, sheet: int | None
) -> Callable[[int | None, dict[str, str | int]], Diagnostic]:
    """A maker of the diagnostics ``Diagnostic.of(code, key, params, line=line,
    severity=severity, sheet=sheet)`` for a caller that reports one of them
    for many lines: the code, the severity and the catalogue's text are checked once,
    here, and each call takes the line and the parameters (texts and numbers, in a dict
    of the caller's that the diagnostic keeps)."""
    if severity not in _SEVERITIES or type(code) is not str or not code.strip():
        raise InvalidValueError(field="Diagnostic", expected="a code and a severity", value=code)
    template = messages.text(f"diagnostic.{key}", "en")
    scope, _, part = key.rpartition(".")
    scope += "."
    new, set_line, set_severity, set_code = _new, _set_line, _set_severity, _set_code
    set_text, set_sheet, set_key = _set_text, _set_sheet, _set_key
    set_given, set_template = _given_slot.__set__, _template_slot.__set__

    def make(line: int | None, given: dict[str, str | int]) -> Diagnostic:
        d: Diagnostic = new(Diagnostic)
        set_line(d, line)
        set_severity(d, severity)
        set_code(d, code)
        set_text(d, None)
        set_sheet(d, sheet)
        set_key(d, scope + part)  # a text of its own, as each call of Diagnostic.of makes
        set_given(d, given)
        set_template(d, template)
        return d

    return make


def _render(key: str, lang: str, params: Mapping[str, object]) -> str:
    if any(isinstance(v, Diagnostic) for v in params.values()):
        params = {k: v.render(lang) if isinstance(v, Diagnostic) else v for k, v in params.items()}
    return messages.text(f"diagnostic.{key}", lang, **params)


@attrs.frozen
class DiagnosticCode:
    """One row of the table of codes: the ``code``, its ``severity`` (``"info /
    warning"`` when it depends on where the problem is) and its ``meaning`` in English."""

    code: str
    severity: str
    meaning: str


_lock = threading.Lock()
_codes: dict[str, dict[str, DiagnosticCode]] = {}


def _load() -> dict[str, dict[str, DiagnosticCode]]:
    with _lock:
        if not _codes:
            source = resources.files("iki_core") / "data" / "diagnostics.toml"
            data = tomllib.loads(source.read_text(encoding="utf-8"))
            for scope, table in data.items():
                _codes[scope] = {
                    code: DiagnosticCode(code, row["severity"], row["meaning"])
                    for code, row in sorted(table.items())
                }
    return _codes


class _Codes(Mapping[str, Mapping[str, DiagnosticCode]]):
    """The table of diagnostic codes by scope ("document", "realisations"), read from
    ``data/diagnostics.toml`` on first use."""

    def __getitem__(self, scope: str) -> Mapping[str, DiagnosticCode]:
        return _load()[scope]

    def __iter__(self) -> Iterator[str]:
        return iter(_load())

    def __len__(self) -> int:
        return len(_load())


CODES: Final[Mapping[str, Mapping[str, DiagnosticCode]]] = _Codes()
"""Every diagnostic code, by scope: ``CODES["document"]`` (the document loaders) and
``CODES["realisations"]`` (the realisations reader and check); docs/formats.md lists the
same rows."""


def _default_severity(scope: str, code: str) -> Severity:
    found = CODES[scope].get(code)
    severity = found.severity if found is not None else ""
    for s in _SEVERITIES:
        if severity == s:
            return s
    raise InvalidValueError(
        field="severity", expected=f"a code of one severity in {scope}", value=code
    )
