"""Diagnostics: the table of codes is data that the docs and the code agree with, and a
diagnostic made from the catalogue renders in each language."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import attrs
import pytest

from iki_core import Document, Period, Realisation, loads_realisations, parse_quantity
from iki_core.diagnostics import CODES, Diagnostic, SourceText
from iki_core.errors import InvalidValueError
from iki_core.loaders import dumps, load, loads
from iki_core.realisations import check_realisations

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _doc_table(heading: str) -> dict[str, tuple[str, str]]:
    text = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| ([a-z /]+) \| (.*) \|$", section, re.M)
    return {code: (severity, meaning) for code, severity, meaning in rows}


@pytest.mark.parametrize(
    ("scope", "heading"),
    [("document", "Diagnostic codes"), ("realisations", "Realisation diagnostic codes")],
)
def test_the_docs_list_the_codes_of_the_table(scope: str, heading: str) -> None:
    table = {c.code: (c.severity, c.meaning) for c in CODES[scope].values()}
    assert _doc_table(heading) == table
    assert len(table) > 20


def test_every_code_the_document_loaders_report_is_in_the_table() -> None:
    found: set[tuple[str, str]] = set()
    for path in (ROOT / "src" / "iki_core" / "loaders").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'"(error|warning|info)",\s*"([a-z0-9]+(?:-[a-z0-9]+)+)"', source))
    assert len(found) > 30
    for severity, code in found:
        assert code in CODES["document"], code
        assert severity in CODES["document"][code].severity.split(" / "), code


def test_a_realisation_problem_renders_in_each_language() -> None:
    # realisations module docs: a value that does not start with a number is a bad-value
    doc = load(EXAMPLES / "kesbangpol_lampung_barat_2018-2022.txt")
    rs = loads_realisations("indicator;period;value\n3:1;2021-Q3;lima\n", doc)
    [problem] = rs.diagnostics
    assert problem.message == (
        "value: cannot read 'lima' as a quantity: it does not start with a number"
    )
    assert problem.render("en") == problem.message
    assert problem.render("id") == (
        "value: 'lima' tidak dapat dibaca sebagai besaran: it does not start with a number"
    )
    assert problem.params == (("text", "lima"), ("reason", "it does not start with a number"))
    with pytest.raises(InvalidValueError, match="lang: expected one of"):
        problem.render("fr")


def test_check_realisations_renders_its_position_in_each_language() -> None:
    doc = load(EXAMPLES / "kesbangpol_lampung_barat_2018-2022.txt")
    q3 = Period.parse("2021-Q3")
    rows = [
        Realisation("3:1", q3, value=parse_quantity("95 orang")),
        Realisation("3:1", q3, value=parse_quantity("5 orang")),
    ]
    [twice] = check_realisations(doc, rows)
    assert twice.render("id") == (
        "realisasi 2: 3:1 2021-Q3 sudah dilaporkan pada realisasi 1 (tiap baris hanya periode "
        "itu: satu baris per indikator dan periode)"
    )


def test_params_take_no_part_in_equality_nor_in_json() -> None:
    made = Diagnostic.of("encoding", "reader.encoding", line=2)
    plain = Diagnostic(2, "warning", "encoding", made.message)
    assert made == plain
    assert hash(made) == hash(plain)
    assert plain.render("id") == plain.message  # no parameters: English only
    assert repr(made) == repr(plain)
    assert pickle.loads(pickle.dumps(made)).render("id") == made.render("id")
    doc = Document(diagnostics=[made])
    again = loads(dumps(doc))
    assert again.diagnostics == (plain,)
    assert "params" not in dumps(doc)


def test_a_code_outside_the_table_needs_its_severity() -> None:
    with pytest.raises(InvalidValueError):
        Diagnostic.of("no-such-code", "reader.encoding")
    assert Diagnostic.of("x-y", "reader.encoding", severity="info").severity == "info"


def test_the_model_still_exports_the_leaf_classes() -> None:
    import iki_core
    from iki_core import model

    assert model.Diagnostic is Diagnostic is iki_core.Diagnostic
    assert model.SourceText is SourceText is iki_core.SourceText


def test_every_diagnostic_of_the_seed_renders_in_indonesian() -> None:
    # docs/formats.md: the seed loads with 228 diagnostics; each is worded by the catalogue
    seed = load(EXAMPLES / "kesbangpol_lampung_barat_2018-2022.txt")
    assert len(seed.diagnostics) == 228
    assert all(d.params is not None for d in seed.diagnostics)
    for d in seed.diagnostics:
        assert d.render("en") == d.message
        assert d.render("id") != d.message or d.code == "json-schema", d
    spaced = next(d for d in seed.diagnostics if d.code == "letter-spaced-name")
    assert spaced.render("id") == (
        "nama 'M U Z A K A R, S E' ditulis berjarak antarhuruf; dibaca sebagai 'MUZAKAR, SE'"
    )


def test_a_message_worded_when_first_read_is_the_one_worded_at_once() -> None:
    # Diagnostic.of leaves message and params to be made on first reading when the
    # params are texts and numbers; the catalogue's text (en.toml, continuation-row)
    # filled in by hand gives the message it must have.
    params = {"name": "Jumlah surat", "id": "1.2", "objective": "1", "at": 7}
    lazy = Diagnostic.of(
        "continuation-row", "document.continuation-row", params, line=8, severity="info"
    )
    eager = Diagnostic(
        8,
        "info",
        "continuation-row",
        "empty No and Sasaran: indicator 'Jumlah surat' is 1.2 of objective 1 (line 7)",
        params=tuple(params.items()),
        key="document.continuation-row",
    )
    params["name"] = "changed after"  # the caller's mapping is not kept
    assert lazy.params == eager.params
    assert lazy.message == eager.message
    assert type(lazy.message) is str
    assert lazy == eager
    assert hash(lazy) == hash(eager)
    assert repr(lazy) == repr(eager)
    assert str(lazy) == str(eager)
    assert lazy.render("id") == eager.render("id")
    fresh = Diagnostic.of(
        "continuation-row", "document.continuation-row", params, line=8, scope="document"
    )
    assert pickle.loads(pickle.dumps(fresh)).message == fresh.message  # never read before
    moved = attrs.evolve(
        Diagnostic.of("continuation-row", "document.continuation-row", params, scope="document"),
        line=9,
    )
    assert moved.line == 9
    assert moved.message.startswith("empty No and Sasaran")
    with pytest.raises(AttributeError, match="no attribute 'other'"):
        lazy.other  # type: ignore[attr-defined]  # noqa: B018


def test_a_diagnostic_with_a_changeable_param_is_worded_at_once() -> None:
    # a list param could change after the diagnostic is made: worded as it is now
    years = [2021, 2022]
    d = Diagnostic.of(
        "years-differ",
        "document.years-differ",
        {"years": years, "first": [2021]},
        line=3,
        scope="document",
    )
    years.append(2023)
    assert "2023" not in d.message
    assert d.params == (("years", [2021, 2022, 2023]), ("first", [2021]))


def test_a_bad_severity_or_code_is_refused_as_the_constructor_refuses_it() -> None:
    with pytest.raises(InvalidValueError, match=r"Diagnostic\.severity"):
        Diagnostic.of("encoding", "reader.encoding", severity="fatal")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"Diagnostic\.code"):
        Diagnostic.of(" ", "reader.encoding", severity="info")
