"""The exception tree of iki_core.

Every error the library raises derives from :class:`IkiError`, and each
concrete error also derives from the builtin a caller would expect
(``ValueError`` for bad values, ``TypeError`` for wrong types, ``KeyError``
for unknown references), so ``except ValueError`` keeps working in code that
does not know this library.

Errors carry their facts as attributes (``field``, ``value``, ``line``...), each
stated once, and build their message from them; they pickle and unpickle with
the same message and attributes, so they cross process boundaries (Celery,
multiprocessing).

>>> from iki_core.errors import NumberParseError, IkiError
>>> err = NumberParseError("1.2.3,4,5", reason="more than one decimal comma", field="target 2021")
>>> str(err)
"target 2021: cannot read '1.2.3,4,5' as a number: more than one decimal comma"
>>> isinstance(err, IkiError) and isinstance(err, ValueError)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from iki_core.diagnostics import Diagnostic

__all__ = [
    "FileReadError",
    "IkiError",
    "IkiParseError",
    "IkiTypeError",
    "InvalidValueError",
    "MissingFileError",
    "NumberParseError",
    "PeriodParseError",
    "QuantityParseError",
    "TextParseError",
    "UnitMismatchError",
    "UnknownIndicatorError",
    "UnknownScaleError",
    "UnknownUnitError",
]


SHOWN: int = 200
"""The most characters of a value quoted in a message; the value itself stays whole in the
error's attributes."""


def shown(text: str) -> str:
    """``text`` quoted for a message, cut to :data:`SHOWN` characters with its length.

    >>> shown("1" * 1000)[-30:]
    "1'... (1000 characters in all)"
    """
    if len(text) <= SHOWN:
        return repr(text)
    return f"{text[:SHOWN]!r}... ({len(text)} characters in all)"


def _where(field: str | None, line: int | None) -> str:
    parts = []
    if line is not None:
        parts.append(f"line {line}")
    if field:
        parts.append(field)
    return ", ".join(parts) + ": " if parts else ""


class IkiError(Exception):
    """Base of every error raised by iki_core.

    A subclass states each fact once, as an attribute, and builds its message from the
    facts; pickling keeps the message and the attributes as they are (no constructor is
    called again), so every subclass pickles without code of its own. Built directly,
    ``IkiError(message, **facts)`` keeps ``facts`` as attributes.
    """

    def __init__(self, message: str, **facts: Any) -> None:
        super().__init__(message)
        for name, value in facts.items():
            setattr(self, name, value)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, dict(vars(self))))


def _rebuild(cls: type[IkiError], args: tuple[Any, ...], facts: dict[str, Any]) -> IkiError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    vars(error).update(facts)
    return error


class IkiTypeError(IkiError, TypeError):
    """A value of the wrong type, e.g. a float where a Decimal is required.

    >>> str(IkiTypeError(field="target", expected="Decimal, int or str", value=0.1))
    'target: expected Decimal, int or str, got float 0.1'
    """

    def __init__(self, *, field: str, expected: str, value: object) -> None:
        self.field = field
        self.expected = expected
        self.value = value
        super().__init__(f"{field}: expected {expected}, got {type(value).__name__} {value!r}")


class InvalidValueError(IkiError, ValueError):
    """A value that breaks a rule of the model (raised by validators).

    >>> str(InvalidValueError(field="Indicator.id", expected="a non-empty id", value=""))
    "Indicator.id: expected a non-empty id, got ''"
    """

    def __init__(
        self, *, field: str, expected: str, value: object, line: int | None = None
    ) -> None:
        self.field = field
        self.expected = expected
        self.value = value
        self.line = line
        super().__init__(f"{_where(field, line)}expected {expected}, got {value!r}")


class TextParseError(IkiError, ValueError):
    """Text that could not be read as the value it should hold.

    The base of :class:`NumberParseError`, :class:`QuantityParseError` and
    :class:`PeriodParseError`; ``reason`` says what was wrong, ``field`` and
    ``line`` where.
    """

    what: ClassVar[str] = "a value"

    def __init__(
        self, text: str, *, reason: str, field: str | None = None, line: int | None = None
    ) -> None:
        self.text = text
        self.reason = reason
        self.field = field
        self.line = line
        super().__init__(f"{_where(field, line)}cannot read {shown(text)} as {self.what}: {reason}")


class NumberParseError(TextParseError):
    """Text that is not an Indonesian (or English) numeral."""

    what = "a number"


class QuantityParseError(TextParseError):
    """Text that is not a quantity such as ``"200 orang peserta"``.

    >>> str(QuantityParseError("dokum", reason="no number", field="target 2018", line=92))
    "line 92, target 2018: cannot read 'dokum' as a quantity: no number"
    """

    what = "a quantity"


class PeriodParseError(TextParseError):
    """Text that is not a period (year, semester, quarter or month) or a date."""

    what = "a period"


class UnitMismatchError(IkiError, ValueError):
    """Two quantities whose units cannot be converted into each other.

    >>> str(UnitMismatchError("3 unit", "200 orang peserta", left_unit="unit",
    ...                       right_unit="orang", field="realisation 2021-Q3"))
    "realisation 2021-Q3: '3 unit' is not convertible to '200 orang peserta' (unit is not orang)"
    """

    def __init__(
        self,
        left: str,
        right: str,
        *,
        left_unit: str,
        right_unit: str,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.left = left
        self.right = right
        self.left_unit = left_unit
        self.right_unit = right_unit
        self.field = field
        self.line = line
        super().__init__(
            f"{_where(field, line)}{left!r} is not convertible to {right!r} "
            f"({left_unit or 'a bare number'} is not {right_unit or 'a bare number'})"
        )


class UnknownUnitError(IkiError, KeyError):
    """A unit name the registry does not know, where an unknown one is not allowed."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"unknown unit {name!r}")

    def __str__(self) -> str:  # KeyError would quote the message again
        return str(self.args[0])


class UnknownIndicatorError(IkiError, KeyError):
    """A reference (``"2:1.2"``) that names no indicator of a document."""

    def __init__(self, reference: str, *, known: Sequence[str] = ()) -> None:
        self.reference = reference
        self.known = tuple(known)
        hint = ""
        if self.known:
            shown = ", ".join(self.known[:5])
            more = f" and {len(self.known) - 5} more" if len(self.known) > 5 else ""
            hint = f" (known: {shown}{more})"
        super().__init__(f"no indicator {reference!r}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class IkiParseError(IkiError, ValueError):
    """A document that did not load cleanly in strict mode.

    Carries every diagnostic at once (``.diagnostics``), not only the first.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic], *, source: str | None = None) -> None:
        self.diagnostics = tuple(diagnostics)
        self.source = source
        errors = [d for d in self.diagnostics if d.severity == "error"] or list(self.diagnostics)
        head = f"{source}: " if source else ""
        lines = "\n".join(f"  {d}" for d in errors[:20])
        more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{head}{len(errors)} problem(s) found\n{lines}{more}")


class UnknownScaleError(IkiError, KeyError):
    """A rating scale key that the shipped scales (``iki_core.rules.SCALES``) do not hold.

    >>> str(UnknownScaleError("skp-2099", known=("permendagri-86-2017", "pp-46-2011")))
    "no rating scale 'skp-2099' (known: permendagri-86-2017, pp-46-2011)"
    """

    def __init__(self, key: str, *, known: Sequence[str] = ()) -> None:
        self.key = key
        self.known = tuple(known)
        hint = f" (known: {', '.join(self.known)})" if self.known else ""
        super().__init__(f"no rating scale {key!r}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class FileReadError(IkiError, OSError):
    """A file that cannot be read: a directory, not permitted, a device error.

    >>> str(FileReadError("/tmp", reason="Is a directory"))
    '/tmp: cannot read the file: Is a directory'
    """

    def __init__(self, path: str, *, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: cannot read the file: {reason}")
        self.filename = path

    def __str__(self) -> str:  # OSError would show only its arguments
        return str(self.args[0])


class MissingFileError(FileReadError, FileNotFoundError):
    """A file that does not exist (also a :class:`FileNotFoundError`).

    >>> str(MissingFileError("/nonexistent", reason="No such file or directory"))
    '/nonexistent: cannot read the file: No such file or directory'
    """


def file_error(path: str, error: OSError) -> FileReadError:
    """The :class:`FileReadError` (:class:`MissingFileError` for a missing file) of an
    :class:`OSError` raised while reading ``path``."""
    cls = MissingFileError if isinstance(error, FileNotFoundError) else FileReadError
    return cls(path, reason=error.strerror or type(error).__name__)
