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
allocate meanwhile sees the collector paused for that time (docs/embedding.md). The
objects the call made are walked once, as young objects, by the first collection after
it, as usual. Calls in several threads at once share one pause: the first to start
records whether the collector was on, the last to finish puts it back, so one call
finishing never switches it on under another.

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


@contextmanager
def collector_paused() -> Iterator[None]:
    """The garbage collector paused for the ``with`` block, and put back as it was."""
    global _running, _was_on
    with _lock:
        if _running == 0:
            _was_on = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _was_on:
                gc.enable()
