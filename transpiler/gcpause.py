"""Python's cyclic garbage collector paused around tgo's allocation-heavy work (parsing, checking), with a bounded cost in memory.

Parsing and checking make millions of long-lived objects (trees, types, scopes) and
little cyclic garbage: the collector, run every 700 allocations, spends a third of a
check walking objects that stay alive, again and again as they age. ``paused()`` sets
the collector's thresholds to ``PAUSED_THRESHOLDS`` for the duration (nested uses
share one pause): young cycles still get collected, every 20,000 allocations, so the
garbage kept alive is bounded, each object is walked about once, and the previous
thresholds come back at the end. ``hold()`` pauses it until the process ends, for a
command that exits when its work is done (``tgo check``): the end of a pause would make the
collector walk most of what the work kept, just before the exit frees it.
Standard library only (the fast paths may load it).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# while paused: a young collection every 20,000 container allocations, the middle generation
# every 100 of those, the oldest as rarely (each object is walked about once)
PAUSED_THRESHOLDS = (20_000, 100, 100)
# a long run that keeps what it makes (``tgo migrate``: every tree and type of its packages
# for the whole run): the middle generation, which those reach as they age, collected only
# every 1,000 young collections (each collection of it walked them all again: a tenth of a
# migration); the cyclic garbage that outlives a young collection waits that long
KEEPING_THRESHOLDS = (20_000, 1_000, 100)

_depth = 0
_saved: tuple[int, int, int] = (0, 0, 0)
_lock = threading.Lock()  # (the language server parses and checks on more than one thread)


@contextmanager
def paused(thresholds: tuple[int, int, int] = PAUSED_THRESHOLDS) -> Iterator[None]:
    """Run the body with the collector paused (see the module's docstring) to ``thresholds``
    (those of the outermost use)."""
    global _depth
    _begin(thresholds)
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_saved)


def _begin(thresholds: tuple[int, int, int]) -> None:
    """Enter a pause (the outermost one sets ``thresholds``)."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            if _saved[0] != 0:  # (0: the collector is off already; leave it so)
                gc.set_threshold(*(max(p, s) for p, s in zip(thresholds, _saved, strict=True)))
        _depth += 1


def hold() -> None:
    """Pause the collector (as ``paused``) until the process ends: for a command that ends once
    its work is done (``report.exit_now``, no teardown). The end of a pause lowers the
    thresholds back, and the next allocation then collects the middle generation, which holds
    most of what the work made (everything promoted by the young collections of the pause):
    up to 134 ms of an after-edit ``tgo check`` of net/http, for objects the exit frees
    anyway."""
    _begin(PAUSED_THRESHOLDS)  # (never ended: the pauses within it keep its thresholds)
