"""The garbage collector paused while iki_core builds a large graph of values it holds
until it returns: a document being read (:func:`~iki_core.loaders.loads`), the
achievements being computed (:func:`~iki_core.engine.achievements`).

Such a call makes many objects without cycles and keeps all of them until it returns,
so every collection during it walks what is already built, and what the host held
before (the document, the realisations), and frees nothing. At 100,000 indicators the
collector took a quarter of a load's time and a fifth to a quarter of the engine's
(docs/benchmarks.md). Mercurial pauses the collector the same way around its bulk
parsers (``nogc`` in mercurial/util.py, applied to the dirstate parser in
mercurial/dirstatemap.py).

The pause lasts the call and no longer, and puts the collector back as it was, also when
the call fails; a collector the host switched off stays off. A host whose other threads
allocate meanwhile sees the collector paused for that time (docs/embedding.md). Calls in
several threads at once share one pause: the first to start records whether the
collector was on, the last to finish puts it back, so one call finishing never switches
it on under another.

What a call that succeeds made is long-lived and without cycles: the document the host
goes on to compute, the achievements it goes on to report. Left young, all of it would
be walked by the next young collection, then by a middle one, before reaching the oldest
generation (at 100,000 indicators, about a tenth of the engine's time), and none of it
freed by either. So it is put in the oldest generation at once, as ``gc.unfreeze``
documents: ``gc.freeze()`` moves every tracked object to the permanent generation and
``gc.unfreeze()`` puts them all back in the oldest. The host's own young objects are
collected first, when the pause begins (``gc.collect(1)``, what the collector would have
done soon), so that only what the call made, and what other threads made meanwhile, is
moved. Nothing is moved when the host has frozen objects itself (``gc.get_freeze_count()``:
unfreezing would thaw them), when the collector was off, or when a call fails (what it
made is garbage, possibly with the cycles of its traceback). The objects moved are freed
by their reference counts as any others; only cyclic garbage among them waits for a full
collection, and the engine and the loaders make none (the tests hold it).

>>> import gc
>>> with collector_paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

__all__ = ["collector_paused"]

_lock: Final = threading.Lock()
_running = 0
_was_on = False
_failed = False  # a call of the pause failed: nothing is moved


@contextmanager
def collector_paused() -> Iterator[None]:
    """The garbage collector paused for the ``with`` block, and put back as it was; what
    the block made put in the oldest generation when it succeeds."""
    global _running, _was_on, _failed
    with _lock:
        if _running == 0:
            _was_on = gc.isenabled()
            _failed = False
            if _was_on:
                gc.disable()
                if not gc.get_freeze_count():
                    gc.collect(1)  # the host's young objects: only the call's are moved
        _running += 1
    try:
        yield
    except BaseException:
        with _lock:
            _failed = True
        raise
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _was_on:
                if not _failed and not gc.get_freeze_count():
                    gc.freeze()  # every tracked object to the permanent generation,
                    gc.unfreeze()  # and back, into the oldest
                gc.enable()
