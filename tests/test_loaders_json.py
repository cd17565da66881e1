"""JSON: the documented schema, the golden snapshot of the seed, the round trip.

Regenerate the golden file after an intended change of the loader with::

    python -m tests.test_loaders_json     (from the project's root)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given

from iki_core.errors import IkiParseError
from iki_core.loaders import dump, dumps, load, loads
from iki_core.model import Document
from tests.strategies import documents

ROOT = Path(__file__).resolve().parent.parent
SEED_NAME = "examples/kesbangpol_lampung_barat_2018-2022.txt"
GOLDEN = ROOT / "tests" / "golden" / "seed_document.json"


def seed_document() -> Document:
    """The seed as loaded, with a source that does not depend on the checkout's place."""
    return loads((ROOT / SEED_NAME).read_bytes(), source=SEED_NAME)


def test_the_seed_matches_its_golden_snapshot() -> None:
    assert dumps(seed_document()) == GOLDEN.read_text(encoding="utf-8")


def test_the_golden_snapshot_loads_back_to_the_seed() -> None:
    assert load(GOLDEN) == seed_document()


def test_the_schema_writes_numbers_as_strings() -> None:
    data = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["source"]) == ("iki-core-document", 1, SEED_NAME)
    assert data["units"]["persen"] == {"dimension": "[persen]", "scale": "1", "known": True}
    assert data["units"]["SKHU"] == {"dimension": "[skhu]", "scale": "1", "known": False}
    conflicts = data["sheets"][0]["objectives"][0]["indicators"][0]
    assert conflicts["kind"] == {
        "type": "percentage",
        "numerator": "Jumlah gejala konflik yang dapat diatasi",
        "denominator": "Jumlah gejala konflik dalam setahun",
        "factor": "100",
    }
    assert conflicts["targets"][0] == {
        "year": 2018,
        "value": {"magnitude": "100.00", "unit": "persen", "text": "100,00%"},
        "text": "100,00%",
    }
    owner = data["sheets"][0]["signatories"][1]
    assert owner["nip"]["digits"] == "196605121988031004"
    assert owner["rank"] == {"text": "Pembina Tk.I /IV.b", "pangkat": "Pembina Tingkat I",
                             "golongan": "IV/b"}  # fmt: skip


def test_floats_and_schema_errors_become_diagnostics() -> None:
    text = dumps(Document()).replace('"sheets": []', '"sheets": [{"number": 1.5}]')
    doc = loads(text)
    assert [(d.severity, d.code) for d in doc.diagnostics] == [("error", "json-syntax")]
    assert doc.diagnostics[0].message == (
        "not valid JSON: number: expected a string for a number with a fraction, got '1.5'"
    )
    wrong = loads('{"format": "iki-core-document", "version": 2}')
    assert [d.message for d in wrong.diagnostics] == [
        "JSON: expected format 'iki-core-document' version 1, got \"'iki-core-document' version 2\""
    ]
    missing = loads('{"format": "iki-core-document", "version": 1, "sheets": [{}]}')
    assert [d.code for d in missing.diagnostics] == ["json-schema", "json-schema"]
    assert "required field missing @ $.sheets[0].number" in missing.diagnostics[0].message
    with pytest.raises(IkiParseError):
        loads("{", strict=True)


def test_dump_and_load_a_file(tmp_path: Path) -> None:
    doc = seed_document()
    path = tmp_path / "seed.json"
    dump(doc, path)
    assert load(path) == doc
    anonymous = Document(doc.sheets, doc.diagnostics)
    dump(anonymous, path)
    assert load(path).source == str(path)


@given(documents())
def test_the_json_round_trip_is_the_identity(document: Document) -> None:
    assert loads(dumps(document)) == document


def regenerate() -> None:
    """Write the golden snapshot of the seed anew."""
    GOLDEN.write_text(dumps(seed_document()), encoding="utf-8")


if __name__ == "__main__":
    regenerate()


def test_a_unit_name_with_a_hash_survives_the_round_trip() -> None:
    # The "#2" suffix of the units table once cut "SK#HU" to "SK" on the way back.
    text = (ROOT / SEED_NAME).read_text(encoding="utf-8").replace("SKHU", "SK#HU")
    doc = loads(text, format="text")
    data = json.loads(dumps(doc))
    assert data["units"]["SK#HU"] == {
        "name": "SK#HU",
        "dimension": "[sk#hu]",
        "scale": "1",
        "known": False,
    }
    assert loads(dumps(doc)) == doc


def _with_unit_scale(scale: str) -> Document:
    data = json.loads(GOLDEN.read_text(encoding="utf-8"))
    data["units"]["SKHU"]["scale"] = scale
    return loads(json.dumps(data))


@pytest.mark.parametrize("scale", ["1E+999999999", "0", "-1", "1/0", "12e3", ""])
def test_unit_scales_out_of_range_are_refused(scale: str) -> None:
    # "1E+999999999" was a fraction of a billion digits; 0 divided by zero, -1 made negative
    # achievements.
    doc = _with_unit_scale(scale)
    assert not doc.sheets
    assert [d.code for d in doc.diagnostics] == ["json-schema"]
    assert "scale" in doc.diagnostics[0].message


def test_magnitudes_out_of_range_are_refused() -> None:
    text = GOLDEN.read_text(encoding="utf-8").replace(
        '"magnitude": "100.00"', '"magnitude": "1E+999999999"', 1
    )
    doc = loads(text)
    assert not doc.sheets
    assert [d.code for d in doc.diagnostics] == ["json-schema"]
    assert _with_unit_scale("1/3").sheets  # a sane scale loads
