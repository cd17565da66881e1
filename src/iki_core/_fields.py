"""Validators and converters for the model's attrs fields, in the attrs style: each
validator reads the field's name from the attribute it checks (``Indicator.id``,
``Sheet.objectives``), so no name is restated as a string, and they compose
(``[items_of(Target, "Target"), ...]``).

>>> import attrs
>>> @attrs.frozen
... class Box:
...     name: str = attrs.field(validator=nonempty)
...     sizes: tuple[int, ...] = attrs.field(
...         default=(), converter=to_tuple, validator=items_of(int, "int"))
>>> Box("a", [1, 2]).sizes
(1, 2)
>>> Box("a", "12")
Traceback (most recent call last):
...
iki_core.errors.IkiTypeError: Box.sizes: expected a sequence of int, got str '12'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from enum import Enum
from typing import Any, TypeAlias, TypeVar, cast

import attrs

from iki_core.errors import IkiTypeError, InvalidValueError
from iki_core.numbers import to_decimal

__all__ = [
    "enum_fields",
    "exact",
    "field_name",
    "instance_of",
    "items_of",
    "member_of",
    "nonempty",
    "one_of",
    "to_decimal_or_keep",
    "to_optional_decimal",
    "to_tuple",
    "whole_number",
]

_T = TypeVar("_T")
Validator: TypeAlias = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def field_name(instance: object, attribute: attrs.Attribute[Any]) -> str:
    """``Class.field``, the name a message gives to a field."""
    return f"{type(instance).__name__}.{attribute.name}"


def nonempty(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A text with something other than spaces in it."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            field=field_name(instance, attribute), expected="a non-empty text", value=value
        )


def instance_of(types: type | tuple[type, ...], expected: str) -> Validator:
    """A value of ``types`` (``expected`` names them in the message)."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, types):
            raise IkiTypeError(
                field=field_name(instance, attribute), expected=expected, value=value
            )

    return check


def one_of(choices: tuple[object, ...], expected: str | None = None) -> Validator:
    """One of ``choices``."""
    wanted = expected or f"one of {', '.join(str(c) for c in choices)}"

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in choices:
            raise InvalidValueError(
                field=field_name(instance, attribute), expected=wanted, value=value
            )

    return check


def whole_number(low: int, high: int) -> Validator:
    """An int (not a bool) from ``low`` to ``high``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidValueError(
                field=field_name(instance, attribute),
                expected=f"a whole number {low}-{high}",
                value=value,
            )

    return check


def member_of(cls: type[Enum]) -> Validator:
    """A member of the enum ``cls`` (after :func:`enum_fields` converted its value)."""
    return one_of(tuple(cls), f"one of {', '.join(str(m.value) for m in cls)}")


def items_of(types: type | tuple[type, ...], expected: str) -> Validator:
    """A tuple (as :func:`to_tuple` makes of a sequence) whose items are of ``types``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise IkiTypeError(
                field=field_name(instance, attribute),
                expected=f"a sequence of {expected}",
                value=value,
            )
        for item in value:
            if not isinstance(item, types):
                raise IkiTypeError(
                    field=field_name(instance, attribute), expected=expected, value=item
                )

    return check


def to_tuple(values: Iterable[_T]) -> tuple[_T, ...]:
    """A tuple of ``values``; a text or a non-sequence is left as it is, for
    :func:`items_of` to refuse with the field's name.

    (mypy's attrs plugin takes a field's ``__init__`` type from its converter's
    signature and cannot resolve a generic one, so the model names one typed alias of
    this function per field type: ``def _targets(v: Iterable[Target]) -> ...``.)
    """
    kind = type(values)
    if kind is tuple:
        return cast(tuple[_T, ...], values)
    if kind is list:
        return tuple(values)
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        return cast(tuple[_T, ...], values)
    return tuple(values)


def enum_fields(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """An attrs ``field_transformer``: a field declared ``converter=SomeEnum`` converts a
    member's value to the member and refuses anything else with the field's name
    (:func:`member_of`).

    mypy's attrs plugin reads ``converter=SomeEnum`` as "takes the enum's value type", so
    ``Rules(rounding="truncate")`` type-checks, and no converter restates its field's name.

    >>> from iki_core._enums import ReprStrEnum
    >>> class Size(ReprStrEnum):
    ...     SMALL = "small"
    ...     LARGE = "large"
    >>> @attrs.frozen(field_transformer=enum_fields)
    ... class Box:
    ...     size: Size = attrs.field(default=Size.SMALL, converter=Size)
    >>> Box("large").size
    'large'
    >>> Box("huge")
    Traceback (most recent call last):
    ...
    iki_core.errors.InvalidValueError: Box.size: expected one of small, large, got 'huge'
    """
    return [_enum_field(field) for field in fields]


def _enum_field(field: attrs.Attribute[Any]) -> attrs.Attribute[Any]:
    kind: object = field.converter
    if not (isinstance(kind, type) and issubclass(kind, Enum)):
        return field
    members: dict[object, Enum] = dict(kind._value2member_map_)
    members.update((member, member) for member in kind)

    def convert(value: object) -> object:
        try:
            return members.get(value, value)
        except TypeError:  # an unhashable value: left for the validator to refuse
            return value

    check = member_of(kind)
    validator = check if field.validator is None else attrs.validators.and_(check, field.validator)
    return field.evolve(converter=convert, validator=validator)


def to_decimal_or_keep(value: object) -> Decimal:
    """A Decimal of ``value`` when :func:`~iki_core.numbers.to_decimal` takes it; else the
    value as it is, for :func:`exact` to refuse with the field's name."""
    try:
        return to_decimal(value, field="")
    except IkiTypeError:
        return value  # type: ignore[return-value]


def to_optional_decimal(value: object) -> Decimal | None:
    return None if value is None else to_decimal_or_keep(value)


def exact(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A finite Decimal, or None."""
    if value is not None:
        to_decimal(value, field=field_name(instance, attribute))  # raises, naming the field
