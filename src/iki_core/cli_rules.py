"""The options of the ``iki`` command made from the fields of
:class:`~iki_core.rules.Rules`, and the command's own texts: every rule is reachable from
the command line, each option's choices and help come from its field, and numbers are read
the Indonesian way (``--cap 1.250`` is 1250).
"""

from __future__ import annotations

import argparse
import enum
import os
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final

import attrs

from iki_core import messages
from iki_core.errors import IkiError, NumberParseError
from iki_core.numbers import parse_number
from iki_core.profiles import PROFILES, profile_option
from iki_core.rules import SCALES, RatingScale, Rules

__all__ = [
    "NONE_WORDS",
    "OPTION_NAMES",
    "RuleOption",
    "add_profile_argument",
    "add_rule_arguments",
    "rule_options",
    "rules_from",
]

NONE_WORDS: Final = frozenset({"none", "tidak", "no"})
"""What turns off an optional rule on the command line (``--cap none``)."""

OPTION_NAMES: Final = {"report_grace_days": ("--late-after", "DAYS")}
"""Rules fields whose option is not named after the field: the option and its metavar."""


def _lang() -> str:
    """The language of the command's own messages: ``IKI_LANG`` when it has a catalogue."""
    lang = os.environ.get("IKI_LANG", "en")
    return lang if lang == "en" or lang in messages.languages() else "en"


def _t(key: str, /, **params: object) -> str:
    return messages.text(f"cli.{key}", _lang(), **params)


# --- options made from the fields of Rules ------------------------------------------------
_ROLE: Final = re.compile(r":\w+:`~?(?:[\w.]+\.)?([^`]+)`")


def _plain_doc(text: str) -> str:
    """reStructuredText made plain: ``:class:`~a.B``` is ``B``, double backquotes go."""
    return " ".join(_ROLE.sub(r"\1", text).replace("``", "").split())


def _first_sentence(text: str) -> str:
    found = re.match(r"(.+?\.)(?:\s|$)", text)
    return found.group(1) if found else text


def _field_doc(field: attrs.Attribute[object], doc: str) -> str:
    """The documentation of a Rules field: its ``help`` metadata, else its bullet in the
    class docstring ("- ``cap``: an upper bound ..."), first sentence."""
    given = field.metadata.get("help")
    if isinstance(given, str):
        return given
    found = re.search(
        rf"^\s*- ``{field.name}``: (.+?)(?=^\s*- ``|\Z)", doc, re.MULTILINE | re.DOTALL
    )
    return _first_sentence(_plain_doc(found.group(1))) if found else field.name


@attrs.frozen
class RuleOption:
    """One command-line option made from a field of :class:`~iki_core.rules.Rules`."""

    field: str
    flag: str
    metavar: str
    help: str
    convert: Callable[[str], object]


def _default_text(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, RatingScale):
        return value.key
    name = getattr(value, "name", None)  # a formula object, say
    return name if isinstance(name, str) else str(value)


def _kind(tp: object) -> tuple[object, bool]:
    """The type of a field's values, and whether None is one of them (``int | None``)."""
    args = typing.get_args(tp) if isinstance(tp, types.UnionType) else (tp,)
    kinds = [a for a in args if a is not type(None)]
    return (kinds[0] if len(kinds) == 1 else str), len(kinds) < len(args)


def _converter(kind: object, optional: bool) -> tuple[Callable[[str], object], tuple[str, ...]]:
    """How to read the text of an option whose values are of type ``kind`` (and None when
    ``optional``), and its choices (none when any text may do)."""

    def choose(choices: Sequence[str], make: Callable[[str], object]) -> Callable[[str], object]:
        def read(text: str) -> object:
            if text not in choices:
                raise argparse.ArgumentTypeError(
                    _t("bad_choice", value=repr(text), choices=", ".join(map(repr, choices)))
                )
            return make(text)

        return read

    def optional_of(read: Callable[[str], object]) -> Callable[[str], object]:
        if not optional:
            return read
        return lambda text: None if text.strip().lower() in NONE_WORDS else read(text)

    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        values = tuple(str(m.value) for m in kind)
        return optional_of(choose(values, kind)), values
    if kind is RatingScale:
        keys = tuple(sorted(SCALES))
        return optional_of(choose(keys, SCALES.__getitem__)), keys

    def number(text: str) -> object:
        try:
            return parse_number(text)  # the Indonesian way: "1.250" is 1250
        except NumberParseError as exc:
            raise argparse.ArgumentTypeError(
                _t("bad_number_or_none" if optional else "bad_number", error=exc)
            ) from None

    def whole(text: str) -> object:
        if not text.strip().isdigit():
            raise argparse.ArgumentTypeError(
                _t("bad_whole_or_none" if optional else "bad_whole", value=repr(text))
            )
        return int(text)

    if kind is Decimal:
        return optional_of(number), ()
    if kind is int:
        return optional_of(whole), ()
    return optional_of(str), ()  # a name (a registered formula...): Rules reads it


def rule_options() -> tuple[RuleOption, ...]:
    """The options of ``iki report`` made from the fields of :class:`Rules`, in order."""
    from iki_core.rules import DEFAULT_RULES  # built on first access (rules.__getattr__)

    hints = typing.get_type_hints(Rules)
    doc = Rules.__doc__ or ""
    out = []
    for field in attrs.fields(Rules):
        flag, metavar = OPTION_NAMES.get(field.name, ("--" + field.name.replace("_", "-"), ""))
        kind, optional = _kind(hints[field.name])
        read, choices = _converter(kind, optional)
        if isinstance(kind, type) and issubclass(kind, enum.Enum) and kind.__doc__:
            about = _plain_doc(kind.__doc__.split("\n\n")[0])
        else:
            about = _field_doc(field, doc)
        about = re.sub(r"\s*\(default[^)]*\)", "", about).rstrip(".")
        if about[1:2].islower():
            about = about[0].lower() + about[1:]
        default = _default_text(getattr(DEFAULT_RULES, field.name))
        help_text = _t(
            "rule_help_or_none" if optional else "rule_help", about=about, default=default
        )

        def convert(
            text: str, name: str = field.name, read: Callable[[str], object] = read
        ) -> object:
            value = read(text)
            try:  # the field's own converter and validator judge the value
                _evolve(DEFAULT_RULES, {name: value})
            except IkiError as exc:
                raise argparse.ArgumentTypeError(str(exc)) from None
            return value

        if choices:
            metavar = "{" + ",".join(choices) + "}"
        out.append(RuleOption(field.name, flag, metavar or "N", help_text, convert))
    return tuple(out)


def add_profile_argument(parser: argparse.ArgumentParser) -> None:
    """``--profile NAME``: the rules of a shipped profile (or a host's file of them), over
    which the rule options given apply (:func:`rules_from`)."""
    parser.add_argument(
        "--profile",
        metavar="NAME",
        type=_profile,
        default=None,
        help=messages.text("profile.option", _lang(), names=", ".join(PROFILES)),
    )


def add_rule_arguments(parser: argparse.ArgumentParser, options: Iterable[RuleOption]) -> None:
    """An option of ``parser`` for each rule option (``--zero-target-higher`` ...), left
    out of the parsed arguments when not given, so that :func:`rules_from` keeps the
    profile's setting or the default."""
    for o in options:
        parser.add_argument(
            o.flag,
            dest=o.field,
            metavar=o.metavar,
            type=o.convert,
            default=argparse.SUPPRESS,
            help=o.help.replace("%", "%%"),
        )


def rules_from(args: argparse.Namespace, options: Iterable[RuleOption]) -> Rules:
    """The rules the options of ``args`` choose; the default for each option not given."""
    from iki_core.rules import DEFAULT_RULES

    changes = {o.field: getattr(args, o.field) for o in options if hasattr(args, o.field)}
    base = getattr(args, "profile", None)  # --profile, then the options given over it
    return _evolve(DEFAULT_RULES if base is None else base, changes)


def _profile(text: str) -> Rules:
    """The rules of ``--profile NAME`` (a shipped profile, or a host's file of them)."""
    try:
        return profile_option(text)
    except IkiError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _evolve(rules: Rules, changes: Mapping[str, object]) -> Rules:
    """``rules`` with the fields named in ``changes`` set through their converters and
    validators (which turn away a value of the wrong type)."""
    return attrs.evolve(rules, **changes)  # type: ignore[arg-type]  # the converters check them
