"""The garbage collector paused while iki_core builds what it returns
(iki_core._collector): during a computation of achievements as during a load, put back
as it was, also when the call fails, and shared by calls that overlap."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from iki_core._collector import collector_paused
from iki_core.engine import achievements
from iki_core.errors import UnknownIndicatorError
from iki_core.loaders import loads
from iki_core.model import Realisation
from iki_core.periods import Period
from iki_core.units import parse_quantity

TABLE = (
    "No\tSasaran\tIndikator\tPenjelasan\t2021\tSumber Data\n"
    "1\tTersedianya jasa surat\tJumlah surat masuk\tCukup Jelas\t550 surat\tAgenda\n"
)
Q1 = Period.parse("2021-Q1")


def _watched(reals: list[Realisation], seen: list[bool]) -> Iterator[Realisation]:
    """The realisations, noting whether the collector is on as the engine reads each."""
    for r in reals:
        seen.append(gc.isenabled())
        yield r


def test_achievements_pause_the_collector_and_put_it_back() -> None:
    doc = loads(TABLE)
    reals = [Realisation("1:1", Q1, value=parse_quantity("110 surat"))]
    seen: list[bool] = []
    assert gc.isenabled()
    (a,) = achievements(doc, _watched(reals, seen), [Q1])
    assert seen == [False]
    assert gc.isenabled()
    # 110 surat against 3/12 x 550 = 137.5 (PeriodTarget.CUMULATIVE): 80.00% (half-up)
    assert str(a.percent) == "80.00"


def test_a_failed_computation_puts_the_collector_back() -> None:
    doc = loads(TABLE)
    stray = [Realisation("1:9", Q1, value=parse_quantity("1 surat"))]
    with pytest.raises(UnknownIndicatorError):
        achievements(doc, stray, [Q1])
    assert gc.isenabled()


def test_a_collector_the_host_switched_off_stays_off() -> None:
    doc = loads(TABLE)
    gc.disable()
    try:
        achievements(doc, [], [Q1])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_load_inside_a_computation_shares_its_pause() -> None:
    # the realisations are read while the engine runs; a load made meanwhile finishes
    # first, and must not switch the collector on under the computation still running
    doc = loads(TABLE)
    seen: list[bool] = []

    def reals() -> Iterator[Realisation]:
        loads(TABLE)
        seen.append(gc.isenabled())
        yield Realisation("1:1", Q1, value=parse_quantity("110 surat"))

    achievements(doc, reals(), [Q1])
    assert seen == [False]
    assert gc.isenabled()


def test_nested_pauses_end_with_the_outermost() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


class _Loop:
    """An object in a cycle with itself: freed only by the collector."""

    def __init__(self) -> None:
        self.me = self


def _generation(obj: object) -> int | None:
    """The generation the collector keeps ``obj`` in (None: not tracked)."""
    for g in range(3):
        if any(o is obj for o in gc.get_objects(generation=g)):
            return g
    return None


def test_what_a_call_made_goes_to_the_oldest_generation() -> None:
    # what a load or a computation returns is held by the host and has no cycles: put
    # in the oldest generation at once, it is not walked by young and middle collections
    doc = loads(TABLE)
    assert _generation(doc) == 2
    reals = [Realisation("1:1", Q1, value=parse_quantity("110 surat"))]
    (a,) = achievements(doc, reals, [Q1])
    assert _generation(a) == 2
    assert gc.get_count()[0] < 100  # left to the next young collection: next to nothing
    assert gc.get_freeze_count() == 0


def test_the_hosts_young_garbage_is_collected_not_moved() -> None:
    # a cycle the host dropped just before the call is collected when the pause begins
    # (what the collector would have done soon), not kept until a full collection
    gone = _Loop()
    ref = weakref.ref(gone)
    del gone
    assert ref() is not None
    loads(TABLE)
    assert ref() is None


def test_what_a_failed_call_made_stays_young() -> None:
    doc = loads(TABLE)
    made: list[list[int]] = []

    def stray() -> Iterator[Realisation]:
        made.append([1])  # made by the host during the call
        yield Realisation("1:9", Q1, value=parse_quantity("1 surat"))

    with pytest.raises(UnknownIndicatorError):
        achievements(doc, stray(), [Q1])
    assert _generation(made[0]) in (0, 1)  # not moved to the oldest
    assert gc.isenabled()


def test_objects_the_host_froze_stay_frozen() -> None:
    # unfreezing would thaw what the host froze (a server before it forks): nothing moves
    doc = loads(TABLE)
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        (a,) = achievements(doc, [Realisation("1:1", Q1, value=parse_quantity("1 surat"))], [Q1])
        assert gc.get_freeze_count() == frozen
        assert _generation(a) in (0, 1)
    finally:
        gc.unfreeze()
