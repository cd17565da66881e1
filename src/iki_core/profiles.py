"""Profiles: named, documented sets of rules for the practices agencies and apps follow.

A :class:`Profile` names a set of :class:`~iki_core.rules.Rules` settings with its source:
the PermenPANRB 8/2021 annex, the Permendagri 86/2017 RKPD evaluation, capaian "capped at
100%" as LKjIP tables print it, the apps' formulas. The shipped profiles are data
(``iki_core/data/profiles.json``, read on first use); a host writes its own in a file of
the same form and reads it with :func:`load_profiles`.

>>> from iki_core.profiles import PROFILES, profile
>>> sorted(PROFILES)[:3]
['aksara-esakip', 'capped-100', 'capped-120']
>>> rules = profile("permendagri-86-2017")
>>> rules.period_target.value, rules.scale.key
('annual', 'permendagri-86-2017')
>>> profile("capped-100").cap
Decimal('100')
>>> profile("wp-eval-sakip").lower_is_better
'inverse'

A host's profile, here from a text (a file works the same with :func:`load_profiles`):

>>> mine = loads_profiles('''{"profiles": {"kab-x": {"name": "Kabupaten X",
...     "source": "Perbup X 12/2022", "rules": {"cap": "110", "rounding": "truncate"}}}}''')
>>> mine["kab-x"].rules().cap, mine["kab-x"].rules().rounding.value
(Decimal('110'), 'truncate')
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Final

import attrs

from iki_core._lazy import LazyTable
from iki_core.errors import InvalidValueError
from iki_core.rules import SCALES, Rules, default_rules

__all__ = [
    "PROFILES",
    "Profile",
    "load_profiles",
    "loads_profiles",
    "profile",
    "profile_option",
]

_TEXT_FIELDS: Final = frozenset({"source", "about", "name"})


@attrs.frozen
class Profile:
    """A named set of rules: ``key`` ("capped-100"), ``name``, ``source`` (the regulation,
    or "no regulation" and the practice seen), ``verified`` (False when seen only in
    secondary sources or apps' code), ``about`` and ``settings``: (Rules field, value)
    pairs as the command line writes them."""

    key: str
    name: str
    source: str
    settings: tuple[tuple[str, object], ...] = ()
    verified: bool = False
    about: str = ""

    def rules(self, base: Rules | None = None) -> Rules:
        """``base`` (the default rules) with this profile's settings, each read by the
        field's own converter and validator; a field :class:`Rules` does not have is
        refused, naming the profile."""
        fields = attrs.fields_dict(Rules)
        changes: dict[str, object] = {}
        for field, value in self.settings:
            if field not in fields:
                raise InvalidValueError(
                    field=f"profile {self.key}",
                    expected="a Rules field (" + ", ".join(fields) + ")",
                    value=field,
                )
            if field == "scale" and isinstance(value, str):
                value = SCALES[value]
            elif field == "cap" and isinstance(value, str):
                try:
                    value = Decimal(value)
                except ArithmeticError:
                    raise InvalidValueError(
                        field=f"profile {self.key} cap",
                        expected="a number such as '100'",
                        value=value,
                    ) from None
            elif field in ("places", "report_grace_days") and isinstance(value, str):
                if not value.strip().isdigit():
                    raise InvalidValueError(
                        field=f"profile {self.key} {field}", expected="a whole number", value=value
                    )
                value = int(value)
            changes[field] = value
        return attrs.evolve(base if base is not None else default_rules(), **changes)  # type: ignore[arg-type]  # the converters check them


def _profile_from(key: str, spec: object, where: str) -> Profile:
    if not isinstance(spec, Mapping):
        raise InvalidValueError(field=f"{where} {key}", expected="an object", value=spec)
    for name in ("name", "source"):
        if not isinstance(spec.get(name), str) or not spec[name].strip():
            raise InvalidValueError(
                field=f"{where} {key} {name}", expected="a non-empty text", value=spec.get(name)
            )
    settings = spec.get("rules", {})
    if not isinstance(settings, Mapping):
        raise InvalidValueError(
            field=f"{where} {key} rules", expected="an object of Rules fields", value=settings
        )
    verified = spec.get("verified", False)
    if not isinstance(verified, bool):
        raise InvalidValueError(
            field=f"{where} {key} verified", expected="true or false", value=verified
        )
    found = Profile(
        key,
        spec["name"],
        spec["source"],
        tuple((str(k), v) for k, v in settings.items()),
        verified,
        str(spec.get("about", "")),
    )
    found.rules()  # every setting is checked now, not when first used
    return found


def loads_profiles(text: str, *, where: str = "profiles") -> dict[str, Profile]:
    """The profiles of a JSON text ``{"profiles": {key: {name, source, rules...}}}``, each
    checked (``where`` names the text in errors)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidValueError(
            field=where, expected=f"JSON text ({exc.msg} at line {exc.lineno})", value=text[:60]
        ) from None
    profiles = data.get("profiles") if isinstance(data, Mapping) else None
    if not isinstance(profiles, Mapping):
        raise InvalidValueError(
            field=where, expected='an object with "profiles"', value=str(data)[:60]
        )
    return {str(k): _profile_from(str(k), v, where) for k, v in profiles.items()}


def load_profiles(path: str | Path) -> dict[str, Profile]:
    """The profiles of the JSON file at ``path`` (the form of the shipped
    ``data/profiles.json``)."""
    p = Path(path)
    return loads_profiles(p.read_text(encoding="utf-8"), where=str(p))


def _read_profiles() -> dict[str, Profile]:
    text = resources.files("iki_core").joinpath("data", "profiles.json").read_text(encoding="utf-8")
    return dict(loads_profiles(text, where="data/profiles.json"))


def _no_profile(key: str, profiles: Mapping[str, Profile]) -> Exception:
    return InvalidValueError(
        field="profile", expected="one of " + ", ".join(sorted(profiles)), value=key
    )


PROFILES: Final[Mapping[str, Profile]] = LazyTable("PROFILES", _read_profiles, _no_profile)
"""The shipped profiles, by key (``data/profiles.json``)."""


def profile(name: str, extra: Mapping[str, Profile] | None = None) -> Rules:
    """The rules of the profile ``name``: one of ``extra`` (a host's, from
    :func:`load_profiles`) or a shipped one (:data:`PROFILES`)."""
    if extra is not None and name in extra:
        return extra[name].rules()
    return PROFILES[name].rules()


def profile_option(text: str) -> Rules:
    """The rules ``iki report --profile`` names: a shipped profile's key, or a host's file
    of profiles (``PATH`` holding one profile, or ``PATH#KEY``)."""
    path, _, key = text.partition("#")
    if key or (path not in PROFILES and Path(path).is_file()):
        found = load_profiles(path)
        if not key:
            if len(found) != 1:
                raise InvalidValueError(
                    field=f"profile {path}",
                    expected="one profile, or PATH#KEY naming one of " + ", ".join(found),
                    value=len(found),
                )
            key = next(iter(found))
        if key not in found:
            raise InvalidValueError(
                field=f"profile {path}", expected="one of " + ", ".join(found), value=key
            )
        return found[key].rules()
    return PROFILES[text].rules()
