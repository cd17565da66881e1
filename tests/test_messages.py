"""The message catalogues: every language has every key, with the same placeholders."""

from __future__ import annotations

import string
import threading

import pytest

from iki_core import messages
from iki_core.errors import InvalidValueError


def _placeholders(entry: str | tuple[str, ...]) -> set[str]:
    texts = (entry,) if isinstance(entry, str) else entry
    return {n for t in texts for _, n, _, _ in string.Formatter().parse(t) if n is not None}


@pytest.mark.parametrize("lang", messages.languages())
def test_every_language_matches_the_reference(lang: str) -> None:
    reference = messages._catalogue("en")
    catalogue = messages._catalogue(lang)
    assert set(catalogue) == set(reference)
    for key, entry in reference.items():
        assert _placeholders(catalogue[key]) == _placeholders(entry), key
        assert isinstance(catalogue[key], str) == isinstance(entry, str), key


def test_status_labels_are_the_table_labels() -> None:
    # the Indonesian labels of docs/cli.md, "Statuses in the table"
    assert [
        messages.text(f"status.{s}", "id")
        for s in ("achieved", "not_achieved", "no_target", "no_data", "undefined")
    ] == ["tercapai", "belum tercapai", "tanpa target", "belum ada data", "tak terdefinisi"]


def test_unknown_language_and_key() -> None:
    with pytest.raises(InvalidValueError) as info:
        messages.text("status.achieved", "fr")
    assert str(info.value) == "lang: expected one of 'en', 'id', got 'fr'"
    with pytest.raises(InvalidValueError) as info:
        messages.text("status.nope", "en")
    assert str(info.value) == "message key: expected a key of the 'en' catalogue, got 'status.nope'"


def test_register_language_refuses_missing_keys() -> None:
    with pytest.raises(InvalidValueError) as info:
        messages.register_language("zz", {"status": {"achieved": "x"}})
    assert str(info.value).startswith("messages['zz']: expected every key of the English catalogue")
    assert "zz" not in messages.languages()


def test_catalogues_load_once_across_threads() -> None:
    messages._catalogues.pop("id", None)
    seen: list[str] = []
    threads = [
        threading.Thread(target=lambda: seen.append(messages.text("status.achieved", "id")))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == ["tercapai"] * 8
