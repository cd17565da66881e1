"""Signatory metadata: NIP (Perka BKN 22/2007) and pangkat / golongan (PP 99/2000)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from iki_core.errors import InvalidValueError
from iki_core.personnel import GOLONGAN_PANGKAT, Golongan, Nip, Rank, parse_rank

SEED = (
    Path(__file__).resolve().parent.parent / "examples" / "kesbangpol_lampung_barat_2018-2022.txt"
)
SEED_LINES = SEED.read_text(encoding="utf-8").splitlines()

# --- NIP -------------------------------------------------------------------------------------

# Every NIP of the seed, decoded by hand: birth date (digits 1-8), TMT CPNS year and month
# (digits 9-14), gender (digit 15: 1 male) and sequence (digits 16-18).
SEED_NIPS: dict[str, tuple[dt.date, tuple[int, int], str, int]] = {
    "196605121988031004": (dt.date(1966, 5, 12), (1988, 3), "male", 4),
    "197901252002121003": (dt.date(1979, 1, 25), (2002, 12), "male", 3),
    "197310012009061001": (dt.date(1973, 10, 1), (2009, 6), "male", 1),
    "197806222002121010": (dt.date(1978, 6, 22), (2002, 12), "male", 10),
    "196609251998021006": (dt.date(1966, 9, 25), (1998, 2), "male", 6),
}


def seed_nip_lines() -> list[str]:
    return [line.strip() for line in SEED_LINES if line.strip().startswith("NIP")]


def test_seed_nip_lines_are_all_covered() -> None:
    found = {re.sub(r"\D", "", line) for line in seed_nip_lines()}
    assert found == set(SEED_NIPS)
    # Two signatures on each of the five sheets; the Bupati of sheet 1 signs without a NIP.
    assert len(seed_nip_lines()) == 9


@pytest.mark.parametrize("line", sorted(set(seed_nip_lines())))
def test_seed_nip(line: str) -> None:
    nip = Nip.parse(line)
    birth, appointed, gender, sequence = SEED_NIPS[nip.digits]
    assert nip.scheme == "pns"
    assert (nip.birth_date, nip.appointed, nip.gender, nip.sequence) == (
        birth,
        appointed,
        gender,
        sequence,
    )
    d = nip.digits
    assert str(nip) == f"{d[:8]} {d[8:14]} {d[14]} {d[15:]}"
    assert nip.text == line


def test_nip_spellings() -> None:
    expected = Nip.parse("19660512 198803 1 004")
    for text in (
        "NIP.19660512 198803 1 004",
        "NIP. 19660512 198803 1 004",
        "NIP: 19660512.198803.1.004",
        "nip 19660512-198803-1-004",
        "196605121988031004",
    ):
        nip = Nip.parse(text)
        assert (nip.digits, nip.birth_date, nip.appointed) == (
            expected.digits,
            expected.birth_date,
            expected.appointed,
        )
    assert str(Nip.parse("196605121988031004")) == "19660512 198803 1 004"


def test_female_and_pppk() -> None:
    nip = Nip.parse("19790125 200213 2 003")
    # The middle block's month 13 is no month: a PPPK number, appointed in 2002.
    assert (nip.scheme, nip.appointed, nip.gender) == ("pppk", (2002, None), "female")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19660512 198803 1 00", "18 digits (got 17 characters)"),
        ("", "18 digits (got 0 characters)"),
        ("19660512 198803 1 00x", "18 digits (got 18 characters)"),
        (
            "19661305 198803 1 004",
            "a birth date YYYYMMDD in the first 8 digits (month 13 does not exist)",
        ),
        (
            "19660230 198803 1 004",
            "a birth date YYYYMMDD in the first 8 digits (day is out of range for month)",
        ),
        ("19660512 195003 1 004", "an appointment year (digits 9-12) after the birth year"),
        ("19660512 198803 3 004", "gender digit 1 or 2 at position 15, not 3"),
    ],
)
def test_invalid_nip(text: str, expected: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        Nip.parse(text, line=29)
    assert str(info.value) == f"line 29, NIP: expected {expected}, got {text!r}"


# --- golongan and rank -----------------------------------------------------------------------


def test_golongan_table_follows_pp_99_2000() -> None:
    assert len(GOLONGAN_PANGKAT) == 17
    assert GOLONGAN_PANGKAT["III/d"] == "Penata Tingkat I"
    assert GOLONGAN_PANGKAT["IV/b"] == "Pembina Tingkat I"
    assert GOLONGAN_PANGKAT["IV/e"] == "Pembina Utama"
    assert [str(Golongan.parse(g)) for g in GOLONGAN_PANGKAT] == list(GOLONGAN_PANGKAT)


@pytest.mark.parametrize(
    ("text", "room", "grade"),
    [("IV/b", 4, "b"), ("IV.b", 4, "b"), ("IV b", 4, "b"), ("III/d", 3, "d"), ("iv/B", 4, "b"),
     ("I/a", 1, "a"), ("II-c", 2, "c")],
)  # fmt: skip
def test_golongan_parse(text: str, room: int, grade: str) -> None:
    assert Golongan.parse(text) == Golongan(room, grade)


def test_golongan_order() -> None:
    grades = [Golongan.parse(g) for g in ("IV/a", "III/d", "I/a", "IV/e", "III/a")]
    assert [str(g) for g in sorted(grades)] == ["I/a", "III/a", "III/d", "IV/a", "IV/e"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((5, "a"), "Golongan.room: expected 1, 2, 3 or 4 (golongan I-IV), got 5"),
        ((True, "a"), "Golongan.room: expected 1, 2, 3 or 4 (golongan I-IV), got True"),
        ((3, "e"), "Golongan.grade: expected one of a, b, c, d for golongan III, got 'e'"),
        ((4, "ab"), "Golongan.grade: expected one of a, b, c, d, e for golongan IV, got 'ab'"),
        ((4, ""), "Golongan.grade: expected one of a, b, c, d, e for golongan IV, got ''"),
    ],
)
def test_invalid_golongan(args: tuple[object, object], message: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        Golongan(*args)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_golongan_parse_error() -> None:
    with pytest.raises(InvalidValueError) as info:
        Golongan.parse("V/a")
    assert str(info.value) == "golongan: expected a golongan such as 'III/c' or 'IV.b', got 'V/a'"


# Every rank line of the seed, as written, with what it means (PP 99/2000).
SEED_RANKS: dict[str, tuple[str, str]] = {
    "Pembina Tk.I /IV.b": ("Pembina Tingkat I", "IV/b"),
    "Pembina Tk.1 /IV.b": ("Pembina Tingkat I", "IV/b"),  # "1" for "I", an OCR slip
    "Penata Tingkat I /III.d": ("Penata Tingkat I", "III/d"),
    "Penata /III.c": ("Penata", "III/c"),
    "PEMBINA IV/a": ("Pembina", "IV/a"),
    "Pembina /IV.a": ("Pembina", "IV/a"),
}


def test_seed_rank_lines_are_all_covered() -> None:
    rank_lines = {
        line.strip() for line in SEED_LINES if re.search(r"(?i)^\s*(pembina|penata)\b", line)
    }
    assert rank_lines == set(SEED_RANKS)


@pytest.mark.parametrize("text", sorted(SEED_RANKS))
def test_seed_rank(text: str) -> None:
    rank = parse_rank(text)
    assert (rank.pangkat, str(rank.golongan)) == SEED_RANKS[text]
    assert rank.consistent
    assert rank.expected_pangkat == rank.pangkat
    assert rank.text == text


@pytest.mark.parametrize(("golongan", "pangkat"), sorted(GOLONGAN_PANGKAT.items()))
def test_every_rank_reads_back(golongan: str, pangkat: str) -> None:
    for text in (
        f"{pangkat} /{golongan}",
        f"{pangkat.upper()} {golongan}",
        f"{pangkat} ({golongan})",
    ):
        rank = parse_rank(text)
        assert (rank.pangkat, str(rank.golongan), rank.consistent) == (pangkat, golongan, True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Pembina Tk. I / IV.b",
            Rank("Pembina Tingkat I", Golongan(4, "b"), "Pembina Tk. I / IV.b"),
        ),
        ("Pembina Tkt I IV/b", Rank("Pembina Tingkat I", Golongan(4, "b"), "Pembina Tkt I IV/b")),
        ("Pembina, IV/a", Rank("Pembina", Golongan(4, "a"), "Pembina, IV/a")),
        ("Pembina", Rank("Pembina", None, "Pembina")),
        ("IV/b", Rank(None, Golongan(4, "b"), "IV/b")),
        # A golongan that does not exist is left out; the pangkat is still read.
        ("Pembina IV/f", Rank("Pembina", None, "Pembina IV/f")),
        ("Penata III/e", Rank("Penata", None, "Penata III/e")),
        ("", Rank(None, None, "")),
    ],
)
def test_parse_rank(text: str, expected: Rank) -> None:
    assert parse_rank(text) == expected


def test_inconsistent_rank() -> None:
    rank = parse_rank("Pembina /III.c")
    assert not rank.consistent
    assert (rank.pangkat, rank.expected_pangkat) == ("Pembina", "Penata")
    assert parse_rank("IV/b").consistent  # nothing to disagree with
