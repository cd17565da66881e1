"""Tests of iki_core.profiles: the shipped profiles, a host's profiles, ``--profile``.

Expected figures are worked by hand from the rules each profile names (docs/rules.md,
"Profiles"); the command-line figures use the rules document of tests/test_cli.py.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from iki_core.errors import InvalidValueError
from iki_core.profiles import PROFILES, Profile, load_profiles, loads_profiles, profile
from iki_core.rules import DEFAULT_RULES, Rules
from tests.test_cli import RULES_DOCUMENT, RULES_REALISATIONS, iki


def test_every_shipped_profile_builds_its_rules_and_cites_a_source() -> None:
    assert len(PROFILES) >= 8
    for key, p in PROFILES.items():
        assert isinstance(p, Profile)
        assert p.key == key
        assert p.source.strip()
        assert p.name.strip()
        assert isinstance(p.rules(), Rules)


def test_default_profile_is_the_default_rules() -> None:
    assert profile("default") == DEFAULT_RULES


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        ("permendagri-86-2017", "period_target", "annual"),
        ("permenpanrb-8-2021", "scale", "permenpanrb-8-2021"),
        ("capped-100", "cap", Decimal(100)),
        ("capped-120", "cap", Decimal(120)),
        ("aksara-esakip", "lower_is_better", "inverse"),
        ("truncated", "rounding", "truncate"),
        ("dhis2", "missing_period", "to_date"),
    ],
)
def test_profiles_set_their_rules(name: str, field: str, value: object) -> None:
    rules = Rules.from_profile(name)
    got = getattr(rules, field)
    got = got.key if field == "scale" else got
    assert got == value


def test_unknown_profile_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(InvalidValueError) as exc:
        profile("capped-99")
    assert str(exc.value).startswith("profile: expected one of aksara-esakip, capped-100, ")
    assert str(exc.value).endswith("got 'capped-99'")


def test_a_host_profile_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(
        json.dumps(
            {
                "profiles": {
                    "kab-x": {
                        "name": "Kabupaten X",
                        "source": "Perbup X 12/2022",
                        "rules": {"cap": "110", "places": "1", "scale": "pp-46-2011"},
                    }
                }
            }
        ),
        encoding="utf-8",
    )
    found = load_profiles(path)
    rules = found["kab-x"].rules()
    assert (rules.cap, rules.places, rules.scale.key) == (Decimal(110), 1, "pp-46-2011")
    assert profile("kab-x", found) == rules


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"profiles": {"x": {"name": "X", "source": "s", "rules": {"kap": "100"}}}}',
            "profile x: expected a Rules field (higher_is_better, ",
        ),
        (
            '{"profiles": {"x": {"name": "X", "source": "s", "rules": {"rounding": "up"}}}}',
            "Rules.rounding: expected one of half_up, truncate, half_even, got 'up'",
        ),
        ('{"profiles": {"x": {"name": "", "source": "s"}}}', "p.json x name: expected a non-empty"),
        ('{"rules": {}}', 'p.json: expected an object with "profiles"'),
        ("{", "p.json: expected JSON text"),
    ],
)
def test_bad_host_profiles_are_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidValueError) as exc:
        loads_profiles(text, where="p.json")
    assert message in str(exc.value)


def _percents(folder: Path, *options: str) -> dict[str, str | None]:
    (folder / "doc.txt").write_text(RULES_DOCUMENT, encoding="utf-8")
    (folder / "r.csv").write_text(RULES_REALISATIONS, encoding="utf-8")
    result = iki(
        "report", str(folder / "doc.txt"), "-r", str(folder / "r.csv"), "-p", "2021-Q1",
        "--period-target", "annual", "--format", "json", *options,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return {r["indicator"]: r["percent"] for r in json.loads(result.stdout)}


def test_report_profile_option(tmp_path: Path) -> None:
    # The rules document (tests/test_cli.py): 1:1 realised 95% against the range 80-90%
    # gives 95 / 90 = 105.56; 1:2 lower is better, T = 10, R = 5: (20 - 5) / 10 = 150.
    # capped-100: both capped at 100.00.
    capped = _percents(tmp_path, "--profile", "capped-100")
    assert (capped["1:1"], capped["1:2"]) == ("100.00", "100.00")
    # aksara-esakip: T / R = 10 / 5 = 200.00; an option given after it wins: --cap 120
    aksara = _percents(tmp_path, "--profile", "aksara-esakip", "--cap", "120")
    assert (aksara["1:1"], aksara["1:2"]) == ("105.56", "120.00")
    # a host's file: truncation, 105.5555... -> 105.55
    (tmp_path / "p.json").write_text(
        '{"profiles": {"t": {"name": "T", "source": "s", "rules": {"rounding": "truncate"}}}}',
        encoding="utf-8",
    )
    assert _percents(tmp_path, "--profile", str(tmp_path / "p.json"))["1:1"] == "105.55"
    assert _percents(tmp_path, "--profile", f"{tmp_path / 'p.json'}#t")["1:1"] == "105.55"


def test_report_refuses_an_unknown_profile(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(RULES_DOCUMENT, encoding="utf-8")
    result = iki("report", str(tmp_path / "doc.txt"), "-p", "2021", "--profile", "nope")
    assert result.returncode == 2
    assert "argument --profile: profile: expected one of aksara-esakip" in result.stderr
