"""Tests of iki_core.engine.audit: which rule settings reproduce a published capaian.

Each published figure below is worked out by hand from the rule that should be found
(docs/rules.md, "Which rule made this figure?")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from iki_core.engine import Match, PublishedRow, TableFit, explain_published, explain_table
from iki_core.errors import IkiTypeError


def described(*args: object, **kw: object) -> list[str]:
    return [m.describe() for m in explain_published(*args, **kw)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("target", "realised", "published", "lower", "expected"),
    [
        # kondisi khusus, the annex's example: (2 x 8 - 9) / 8 = 87.5%
        ("8", "9", "87,50", True, ["the defaults"]),
        # the annex's second example: (14 - 6,5) / 7 = 107.142857...% -> 107.14
        ("7", "6,5", "107,14", True, ["the defaults"]),
        # T / R on a lower-is-better indicator: 10 / 5 = 200%
        ("10", "5", "200", True, ["lower_is_better = inverse"]),
        # (T - R) / T: (10 - 5) / 10 = 50%; and R / T, as if the agency took the indicator
        # as higher is better: 5 / 10 = 50% as well: both readings are listed
        (
            "10",
            "5",
            "50,00",
            True,
            ["lower_is_better = reduction", "polarity = higher_is_better"],
        ),
        # the annex formula without its floor: (16 - 20) / 8 = -50%
        ("8", "20", "-50,00", True, ["lower_is_better = kondisi_khusus_unfloored"]),
        # capped at 100: 125 / 100 = 125% printed as 100,00
        ("100", "125", "100,00", False, ["cap = 100"]),
        # capped at 120: 150% printed as 120
        ("100", "150", "120", False, ["cap = 120"]),
        # truncated: 2 / 3 = 66.666...% printed 66,66 (half-up would print 66,67)
        ("3", "2", "66,66", False, ["rounding = truncate"]),
        # 5 / 8 = 62.5% printed without decimals: half-up 63, truncated 62, half-even 62
        ("8", "5", "62", False, ["rounding = truncate", "rounding = half_even"]),
        # a zero target, lower is better, nothing happened: all or nothing gives 100
        ("0", "0", "100,00", True, ["the defaults"]),
        # ... printed 0: the "always 0" rule, or the higher-is-better zero rule "zero"
        (
            "0",
            "0",
            "0,00",
            True,
            ["zero_target_lower = zero", "polarity = higher_is_better, zero_target_higher = zero"],
        ),
        # R = 0 against T = 10 printed 100: kondisi khusus (20 - 0) / 10 = 200 capped at 100,
        # (T - R) / T = 10 / 10 = 100, or T / R at R = 0 read as 100
        (
            "10",
            "0",
            "100",
            True,
            [
                "cap = 100",
                "lower_is_better = reduction",
                "lower_is_better = inverse, zero_realisation = full",
            ],
        ),
    ],
)
def test_published_figures(
    target: str, realised: str, published: str, lower: bool, expected: list[str]
) -> None:
    assert described(target, realised, published, lower=lower) == expected


def test_an_arithmetic_slip_matches_no_rule() -> None:
    # 9 against 8, lower is better: 87.5 (kondisi khusus), 88.89 (T/R), -12.5 (T-R)/T,
    # 112.5 (R/T): nothing gives 88,00
    assert explain_published("8", "9", "88,00", lower=True) == ()


def test_x_and_y_give_the_realisation() -> None:
    # X = 45, Y = 50: 90%; target 80%: 90 / 80 = 112.5%
    (m,) = explain_published("80", None, "112,50", numerator=45, denominator=50)
    assert isinstance(m, Match)
    assert m.settings == ()
    assert m.percent == Decimal("112.50")
    assert m.rules.places == 2


def test_the_published_decimals_set_the_places() -> None:
    (m,) = explain_published(3, 2, "66,7")  # 66.666... at one decimal, half-up
    assert m.rules.places == 1


def test_a_realisation_is_required() -> None:
    with pytest.raises(IkiTypeError):
        explain_published("8", None, "87,5")


def test_x_and_y_are_exact() -> None:
    # X = 1, Y = 3: 33.333...%; against 33,33: (100 / 3) / 33.33 = 100 / 99.99 = 100.010001%
    (m,) = explain_published("33,33", None, "100,01", numerator=1, denominator=3)
    assert m.settings == ()
    # a zero denominator has no figure to explain
    assert explain_published("80", None, "0", numerator=0, denominator=0) == ()


def test_a_table_is_explained_by_its_best_rule_and_its_slips_named() -> None:
    rows = [
        # lower is better, T / R: 10 / 5 = 200, 8 / 10 = 80, 6 / 4 = 150
        PublishedRow("10", "5", "200,00", lower=True, label="angka kesakitan"),
        PublishedRow("8", "10", "80,00", lower=True, label="waktu tunggu"),
        PublishedRow("6", "4", "150,00", lower=True, label="jumlah temuan"),
        # higher is better, R / T = 45 / 50 = 90
        PublishedRow("50", "45", "90,00", label="peserta"),
        # a slip: 9 against 8 lower is better is 87.5 (annex) or 88.89 (T / R), never 89
        PublishedRow("8", "9", "89,00", lower=True, label="kasus"),
    ]
    fits = explain_table(rows)
    best = fits[0]
    assert isinstance(best, TableFit)
    assert best.describe() == "lower_is_better = inverse"
    assert best.reproduced == (0, 1, 2, 3)
    assert best.missed == (4,)
    # the defaults reproduce only the higher-is-better row (and 8 / 10 under kondisi
    # khusus is (16 - 10) / 8 = 75, not 80)
    defaults = next(f for f in fits if f.settings == ())
    assert defaults.reproduced == (3,)
