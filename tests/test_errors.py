"""The exception tree: every error is an IkiError and a builtin, says what it means, pickles."""

from __future__ import annotations

import copy
import pickle

import pytest

from iki_core import errors
from iki_core.errors import (
    FileReadError,
    IkiError,
    IkiParseError,
    IkiTypeError,
    InvalidValueError,
    MissingFileError,
    NumberParseError,
    PeriodParseError,
    QuantityParseError,
    TextParseError,
    UnitMismatchError,
    UnknownIndicatorError,
    UnknownScaleError,
    UnknownUnitError,
)
from iki_core.model import Diagnostic

TRUNCATED = Diagnostic(
    line=92,
    severity="warning",
    code="truncated-target",
    message="target 2018 'dokum' is not a quantity; kept as text",
)
REPEATED = Diagnostic(line=101, severity="error", code="repeated-row", message="row 30 repeats")

# (error, builtin it also is, exact message, attributes it carries)
CASES: list[tuple[IkiError, type[Exception], str, dict[str, object]]] = [
    (
        IkiError("the sheet has no table"),
        Exception,
        "the sheet has no table",
        {},
    ),
    (
        IkiTypeError(field="target", expected="Decimal, int or str", value=0.1),
        TypeError,
        "target: expected Decimal, int or str, got float 0.1",
        {"field": "target", "expected": "Decimal, int or str", "value": 0.1},
    ),
    (
        InvalidValueError(field="Indicator.id", expected="a non-empty id", value="", line=7),
        ValueError,
        "line 7, Indicator.id: expected a non-empty id, got ''",
        {"field": "Indicator.id", "expected": "a non-empty id", "value": "", "line": 7},
    ),
    (
        TextParseError("Rp", reason="no digits", field="anggaran", line=4),
        ValueError,
        "line 4, anggaran: cannot read 'Rp' as a value: no digits",
        {"text": "Rp", "reason": "no digits", "field": "anggaran", "line": 4},
    ),
    (
        NumberParseError("1.2.3,4,5", reason="more than one decimal comma", field="target 2021"),
        ValueError,
        "target 2021: cannot read '1.2.3,4,5' as a number: more than one decimal comma",
        {"text": "1.2.3,4,5", "reason": "more than one decimal comma", "field": "target 2021"},
    ),
    (
        QuantityParseError("dokum", reason="no number", field="target 2018", line=92),
        ValueError,
        "line 92, target 2018: cannot read 'dokum' as a quantity: no number",
        {"text": "dokum", "reason": "no number", "field": "target 2018", "line": 92},
    ),
    (
        PeriodParseError("2021-Q5", reason="quarter 5 does not exist (1 to 4)", line=3),
        ValueError,
        "line 3: cannot read '2021-Q5' as a period: quarter 5 does not exist (1 to 4)",
        {"text": "2021-Q5", "reason": "quarter 5 does not exist (1 to 4)", "line": 3},
    ),
    (
        UnitMismatchError(
            "3 unit",
            "200 orang peserta",
            left_unit="unit",
            right_unit="orang",
            field="realisation 2021-Q3",
        ),
        ValueError,
        "realisation 2021-Q3: '3 unit' is not convertible to '200 orang peserta' "
        "(unit is not orang)",
        {
            "left": "3 unit",
            "right": "200 orang peserta",
            "left_unit": "unit",
            "right_unit": "orang",
        },
    ),
    (
        UnitMismatchError("550", "12 kali", left_unit="", right_unit="kali"),
        ValueError,
        "'550' is not convertible to '12 kali' (a bare number is not kali)",
        {"left_unit": "", "right_unit": "kali", "field": None, "line": None},
    ),
    (
        UnknownUnitError("SKHU"),
        KeyError,
        "unknown unit 'SKHU'",
        {"name": "SKHU"},
    ),
    (
        UnknownIndicatorError("2:9", known=["2:1", "2:2"]),
        KeyError,
        "no indicator '2:9' (known: 2:1, 2:2)",
        {"reference": "2:9", "known": ("2:1", "2:2")},
    ),
    (
        UnknownIndicatorError("9:1", known=[f"1:{i}" for i in range(1, 8)]),
        KeyError,
        "no indicator '9:1' (known: 1:1, 1:2, 1:3, 1:4, 1:5 and 2 more)",
        {"reference": "9:1"},
    ),
    (
        UnknownIndicatorError("x"),
        KeyError,
        "no indicator 'x'",
        {"known": ()},
    ),
    (
        UnknownScaleError("skp-2099", known=("permendagri-86-2017", "pp-46-2011")),
        KeyError,
        "no rating scale 'skp-2099' (known: permendagri-86-2017, pp-46-2011)",
        {"key": "skp-2099", "known": ("permendagri-86-2017", "pp-46-2011")},
    ),
    (
        IkiParseError([TRUNCATED, REPEATED], source="iki.txt"),
        ValueError,
        "iki.txt: 1 problem(s) found\n  line 101: error [repeated-row] row 30 repeats",
        {"diagnostics": (TRUNCATED, REPEATED), "source": "iki.txt"},
    ),
    (
        IkiParseError([TRUNCATED]),
        ValueError,
        "1 problem(s) found\n  line 92: warning [truncated-target] target 2018 'dokum' is not a "
        "quantity; kept as text",
        {"source": None},
    ),
    (
        FileReadError("/srv/iki", reason="Is a directory"),
        OSError,
        "/srv/iki: cannot read the file: Is a directory",
        {"path": "/srv/iki", "reason": "Is a directory", "filename": "/srv/iki"},
    ),
    (
        MissingFileError("realisasi.csv", reason="No such file or directory"),
        FileNotFoundError,
        "realisasi.csv: cannot read the file: No such file or directory",
        {"path": "realisasi.csv", "reason": "No such file or directory"},
    ),
]
IDS = [f"{type(e).__name__}-{i}" for i, (e, *_) in enumerate(CASES)]


def test_every_error_class_is_covered() -> None:
    assert {type(e).__name__ for e, *_ in CASES} == set(errors.__all__)


@pytest.mark.parametrize(("error", "builtin", "message", "attributes"), CASES, ids=IDS)
def test_message(
    error: IkiError, builtin: type[Exception], message: str, attributes: dict[str, object]
) -> None:
    assert str(error) == message
    for name, value in attributes.items():
        assert getattr(error, name) == value, name


@pytest.mark.parametrize(("error", "builtin", "message", "attributes"), CASES, ids=IDS)
def test_is_an_iki_error_and_a_builtin(
    error: IkiError, builtin: type[Exception], message: str, attributes: dict[str, object]
) -> None:
    assert isinstance(error, IkiError)
    assert isinstance(error, builtin)
    with pytest.raises(builtin):
        raise error


@pytest.mark.parametrize(("error", "builtin", "message", "attributes"), CASES, ids=IDS)
def test_pickle_round_trip(
    error: IkiError, builtin: type[Exception], message: str, attributes: dict[str, object]
) -> None:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(error, protocol=protocol))
        assert type(again) is type(error)
        assert str(again) == message
        assert again.args == error.args
        assert vars(again) == vars(error)
    assert str(copy.deepcopy(error)) == message


def test_subclass_of_the_base_pickles() -> None:
    again = pickle.loads(pickle.dumps(_HostError("quota exceeded", tenant="kesbangpol")))
    assert type(again) is _HostError
    assert str(again) == "quota exceeded"


class _HostError(IkiError):
    """An error a host application derives from the base."""


def test_parse_error_lists_at_most_twenty() -> None:
    many = [
        Diagnostic(line=n, severity="error", code="bad-cell", message=f"cell {n}")
        for n in range(1, 24)
    ]
    text = str(IkiParseError(many))
    assert text.splitlines()[0] == "23 problem(s) found"
    assert text.splitlines()[20] == "  line 20: error [bad-cell] cell 20"
    assert text.splitlines()[-1] == "  ... and 3 more"
    assert len(text.splitlines()) == 22
