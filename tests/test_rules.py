"""Tests of iki_core.rules: rating scales (data), the SKP predikat matrix, the Rules object."""

from __future__ import annotations

import json
import subprocess
import sys
from bisect import bisect_right
from decimal import Decimal
from importlib import resources

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iki_core.errors import IkiError, IkiTypeError, InvalidValueError, UnknownScaleError
from iki_core.rules import (
    DEFAULT_RULES,
    SCALES,
    Band,
    HigherIsBetterFormula,
    LowerIsBetterFormula,
    PeriodTarget,
    RangeRule,
    RatingScale,
    Rules,
    ZeroDenominator,
    ZeroTargetHigher,
    ZeroTargetLower,
    default_rules,
    skp_predikat,
)

D = Decimal


# --- Permendagri 86/2017 --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("percent", "label"),
    [
        # printed bands: Sangat Tinggi 91-100, Tinggi 76-90, Sedang 66-75, Rendah 51-65,
        # Sangat Rendah <= 50; gaps closed lower-inclusive, > 100 is Sangat Tinggi
        ("300.00", "Sangat Tinggi"),
        ("100.50", "Sangat Tinggi"),
        ("91.00", "Sangat Tinggi"),
        ("90.99", "Tinggi"),
        ("90.50", "Tinggi"),
        ("76.00", "Tinggi"),
        ("75.99", "Sedang"),
        ("66.00", "Sedang"),
        ("65.50", "Rendah"),
        ("51.00", "Rendah"),
        ("50.99", "Sangat Rendah"),
        ("50.50", "Sangat Rendah"),
        ("0.00", "Sangat Rendah"),
    ],
)
def test_permendagri_86_2017_bands(percent: str, label: str) -> None:
    assert SCALES["permendagri-86-2017"].rate(D(percent)) == label


def test_permendagri_is_the_default_scale_and_has_no_nilai() -> None:
    assert DEFAULT_RULES.scale is SCALES["permendagri-86-2017"]
    assert SCALES["permendagri-86-2017"].nilai(D("95")) is None


# --- PermenPANRB 8/2021 nilai capaian ---------------------------------------------------------
@pytest.mark.parametrize(
    ("percent", "label", "nilai"),
    [
        ("130", "Sangat Baik", "120.00"),  # above 110%: nilai 120
        ("110", "Sangat Baik", "120.00"),  # 110 + 10/9 x (110 - 101) = 120
        ("105.5", "Sangat Baik", "115.00"),  # 110 + 10/9 x 4.5 = 115
        ("101", "Sangat Baik", "110.00"),
        ("100.5", "Baik", "109.00"),  # gap 100-101 closed: Baik, 109
        ("100", "Baik", "109.00"),  # exactly 100%: Baik, 109
        ("99.5", "Cukup", "89.50"),  # gap 99-100 closed: 70 + (99.5 - 80)
        ("80", "Cukup", "70.00"),
        ("79.5", "Kurang", "69.50"),  # 50 + (79.5 - 60)
        ("60", "Kurang", "50.00"),
        ("59.5", "Sangat Kurang", "49.42"),  # 49 x 59.5 / 59 = 49.4152...
        ("0", "Sangat Kurang", "0.00"),
        ("-5", "Sangat Kurang", "0.00"),  # floored at 0 (never produced by the engine)
    ],
)
def test_permenpanrb_8_2021_labels_and_nilai(percent: str, label: str, nilai: str) -> None:
    scale = SCALES["permenpanrb-8-2021"]
    assert scale.rate(D(percent)) == label
    assert scale.nilai(D(percent)) == D(nilai)


def test_permenpanrb_8_2021_is_marked_unverified() -> None:
    scale = SCALES["permenpanrb-8-2021"]
    assert scale.verified is False
    assert "99.5% is Cukup" in scale.closure
    assert "100.5% is Baik" in scale.closure


# --- PP 46/2011 --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("percent", "label"),
    [
        # >= 91 Sangat Baik, 76-90 Baik, 61-75 Cukup, 51-60 Kurang, <= 50 Buruk
        ("91", "Sangat Baik"),
        ("90.5", "Baik"),
        ("76", "Baik"),
        ("75.99", "Cukup"),
        ("61", "Cukup"),
        ("60.5", "Kurang"),
        ("51", "Kurang"),
        ("50.5", "Buruk"),
    ],
)
def test_pp_46_2011_bands(percent: str, label: str) -> None:
    assert SCALES["pp-46-2011"].rate(D(percent)) == label


# --- user-defined scales, the mapping, the data file -------------------------------------------
def test_user_thresholds_in_any_order() -> None:
    scale = RatingScale.from_thresholds(
        "lampu", [(70, "kuning"), ("90", "hijau")], below="merah", source="dashboard"
    )
    assert [scale.rate(D(p)) for p in ("90", "89.99", "70", "69.99")] == [
        "hijau",
        "kuning",
        "kuning",
        "merah",
    ]
    assert scale.source == "dashboard"


def test_user_thresholds_must_differ() -> None:
    with pytest.raises(InvalidValueError) as exc:
        RatingScale.from_thresholds("x", [(70, "a"), (70, "b")], below="c")
    assert str(exc.value) == (
        "RatingScale x bands: expected strictly decreasing lower bounds, got ['70', '70']"
    )


def test_threshold_text_must_be_a_number() -> None:
    with pytest.raises(InvalidValueError) as exc:
        RatingScale.from_thresholds("x", [("tinggi", "a")], below="c")
    assert str(exc.value) == "threshold: expected a number such as '90' or '75.5', got 'tinggi'"


def test_float_thresholds_are_refused() -> None:
    with pytest.raises(IkiTypeError):
        RatingScale.from_thresholds("x", [(70.5, "a")], below="c")  # type: ignore[list-item]


def test_scales_mapping() -> None:
    assert sorted(SCALES) == [
        "permendagri-86-2017",
        "permenpanrb-8-2021",
        "pp-46-2011",
        "traffic-light",
        "traffic-light-upper",
    ]
    assert len(SCALES) == 5
    assert "skp-2099" not in SCALES
    assert SCALES.get("skp-2099") is None
    with pytest.raises(UnknownScaleError) as exc:
        SCALES["skp-2099"]
    assert str(exc.value) == (
        "no rating scale 'skp-2099' (known: permendagri-86-2017, permenpanrb-8-2021, pp-46-2011, "
        "traffic-light, traffic-light-upper)"
    )
    assert isinstance(exc.value, KeyError)


def test_every_shipped_scale_cites_its_source_and_closes_its_gaps() -> None:
    text = resources.files("iki_core").joinpath("data", "rating_scales.json").read_text("utf-8")
    data = json.loads(text)
    for key, spec in data["scales"].items():
        assert spec["source"], key
        assert spec["printed"], key
        assert spec["closure"], key
        assert SCALES[key].source == spec["source"]
    assert data["predikat"]["verified"] is False


def test_scales_are_read_on_first_use_not_at_import() -> None:
    code = (
        "import iki_core.rules as r, iki_core.scales as s, iki_core.engine\n"
        "assert s._data is None\n"
        "r.SCALES['pp-46-2011']\n"
        "assert s._data is not None\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- PermenPANRB 6/2022 predikat ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("hasil_kerja", "perilaku", "predikat"),
    [
        # the matrix of docs/rules.md (apps' code and BKN slides; unverified)
        ("Di Bawah Ekspektasi", "Di Bawah Ekspektasi", "Sangat Kurang"),
        ("Di Bawah Ekspektasi", "Sesuai Ekspektasi", "Butuh Perbaikan"),
        ("Di Bawah Ekspektasi", "Di Atas Ekspektasi", "Butuh Perbaikan"),
        ("Sesuai Ekspektasi", "Di Bawah Ekspektasi", "Kurang/Misconduct"),
        ("Sesuai Ekspektasi", "Sesuai Ekspektasi", "Baik"),
        ("Sesuai Ekspektasi", "Di Atas Ekspektasi", "Baik"),
        ("Di Atas Ekspektasi", "Di Bawah Ekspektasi", "Kurang/Misconduct"),
        ("Di Atas Ekspektasi", "Sesuai Ekspektasi", "Baik"),
        ("Di Atas Ekspektasi", "Di Atas Ekspektasi", "Sangat Baik"),
        ("DIATAS", "above expectations", "Sangat Baik"),
        ("  sesuai  ", "meets", "Baik"),
        ("below", "dibawah ekspektasi", "Sangat Kurang"),
    ],
)
def test_skp_predikat(hasil_kerja: str, perilaku: str, predikat: str) -> None:
    assert skp_predikat(hasil_kerja, perilaku) == predikat


def test_skp_predikat_names_the_bad_argument() -> None:
    with pytest.raises(InvalidValueError) as exc:
        skp_predikat("Sesuai", "Luar Biasa")
    assert str(exc.value) == (
        "perilaku: expected Di Atas, Sesuai or Di Bawah Ekspektasi, got 'Luar Biasa'"
    )


# --- Rules ---------------------------------------------------------------------------------
def test_default_rules() -> None:
    r = DEFAULT_RULES
    assert r.lower_is_better is LowerIsBetterFormula.KONDISI_KHUSUS
    assert r.zero_target_higher is ZeroTargetHigher.UNDEFINED
    assert r.zero_target_lower is ZeroTargetLower.ALL_OR_NOTHING
    assert r.zero_denominator is ZeroDenominator.UNDEFINED
    assert r.range_target is RangeRule.NEAREST_BOUND
    assert r.period_target is PeriodTarget.CUMULATIVE
    assert r.cap is None
    assert r.places == 2
    assert r == Rules()


def test_rules_vary_with_evolve() -> None:
    r = attrs.evolve(
        DEFAULT_RULES,
        lower_is_better="inverse",
        scale=SCALES["pp-46-2011"],
        cap=Decimal(120),
    )
    assert r.lower_is_better is LowerIsBetterFormula.INVERSE
    assert r.scale.key == "pp-46-2011"
    assert r.cap == Decimal(120)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        r.cap = None  # type: ignore[misc]


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        (
            {"lower_is_better": "minimize"},
            InvalidValueError,
            "Rules.lower_is_better: expected one of kondisi_khusus, inverse, "
            "kondisi_khusus_unfloored, reduction or a registered formula's name, got 'minimize'",
        ),
        (
            {"zero_denominator": 0},
            InvalidValueError,
            "Rules.zero_denominator: expected one of undefined, zero, full, got 0",
        ),
        (
            {"cap": 0},
            InvalidValueError,
            "Rules.cap: expected a cap above 0 or None, got Decimal('0')",
        ),
        ({"places": 7}, InvalidValueError, "Rules.places: expected an int from 0 to 6, got 7"),
        (
            {"scale": "pp-46-2011"},
            IkiTypeError,
            "Rules.scale: expected a RatingScale, got str 'pp-46-2011'",
        ),
    ],
)
def test_bad_rules_are_refused(
    changes: dict[str, object], error: type[IkiError], message: str
) -> None:
    with pytest.raises(error) as exc:
        Rules(**changes)  # type: ignore[arg-type]
    assert str(exc.value) == message


def test_float_cap_is_refused() -> None:
    with pytest.raises(IkiTypeError) as exc:
        Rules(cap=120.0)
    assert str(exc.value) == (
        "Rules.cap: expected Decimal or int (floats lose digits; pass Decimal(str(x))), "
        "got float 120.0"
    )


@pytest.mark.parametrize(
    "rule",
    [
        LowerIsBetterFormula,
        ZeroTargetHigher,
        ZeroTargetLower,
        ZeroDenominator,
        RangeRule,
        PeriodTarget,
    ],
)
def test_every_rule_cites_its_source_or_says_none_does(rule: type) -> None:
    doc = rule.__doc__ or ""
    assert any(
        s in doc for s in ("PermenPANRB", "Permendagri", "No regulation", "no regulation")
    ), rule


# --- one statement of the band boundaries ----------------------------------------------------
@given(
    st.sampled_from(("permendagri-86-2017", "permenpanrb-8-2021", "pp-46-2011")),
    st.sampled_from((0, 1, 2, 3)),
    st.integers(-1000, 200_000),
)
def test_the_integer_thresholds_rate_as_rate_does(key: str, places: int, q: int) -> None:
    # the engine's hot path rates q x 10**-places at integer thresholds: the same label
    scale = SCALES[key]
    percent = Decimal(q).scaleb(-places)
    assert scale.labels[bisect_right(scale.thresholds(places), q)] == scale.rate(percent)
    assert scale.band(percent).label == scale.rate(percent)


def test_thresholds_round_a_bound_up_to_the_places_kept() -> None:
    # 90.5 at no decimals: 91 reaches it, 90 does not, so the threshold is 91
    scale = RatingScale.from_thresholds("t", [("90.5", "hijau")], below="merah")
    assert scale.thresholds(0) == (91,)
    assert scale.thresholds(1) == (905,)
    assert SCALES["permendagri-86-2017"].thresholds(2) == (5100, 6600, 7600, 9100)


def test_a_lowest_band_with_a_bound_also_takes_what_lies_below() -> None:
    # bands need a lower bound on all but the last; the last may have one too
    scale = RatingScale("t", "t", (Band("A", "50"), Band("B", "10")))
    assert [scale.rate(D(p)) for p in ("60", "50", "20", "5")] == ["A", "A", "B", "B"]
    assert scale.band(D("5")).label == "B"


# --- the default rules -----------------------------------------------------------------------
def test_default_rules_is_built_once_and_is_default_rules_attribute() -> None:
    assert default_rules() is default_rules() is DEFAULT_RULES
    assert default_rules() == Rules()
    assert default_rules().higher_is_better is HigherIsBetterFormula.KONDISI_NORMAL
