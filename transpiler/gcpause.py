"""Python's cyclic garbage collector paused around tgo's allocation-heavy work (parsing, checking), with a bounded cost in memory.

Parsing and checking make millions of long-lived objects (trees, types, scopes) and
little cyclic garbage: the collector, run every 700 allocations, spends a third of a
check walking objects that stay alive, again and again as they age. ``paused()`` sets
the collector's thresholds to ``PAUSED_THRESHOLDS`` for the duration (nested uses
share one pause): young cycles still get collected, every 20,000 allocations, so the
garbage kept alive is bounded, each object is walked about once, and the previous
thresholds come back at the end.

The end of a pause is dear when much was made under it: the young collections have moved
everything that lived into the middle generation and counted up to its threshold, so the
first allocations after the pause walk all of it (115-130 ms after a check of net/http,
an eighth of the command). A command whose process ends soon after uses
``paused_until_exit``: what it made is frozen (``gc.freeze``) before the pause ends, and
no collection walks it again; within it, the trees it parses or loads are frozen as soon
as they are made (``kept``): the young collections do not walk them either.
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
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            if _saved[0] != 0:  # (0: the collector is off already; leave it so)
                gc.set_threshold(*(max(p, s) for p, s in zip(thresholds, _saved, strict=True)))
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_saved)


_exiting = False  # inside paused_until_exit(True): the process ends after the pause


@contextmanager
def paused_until_exit(exiting: bool, thresholds: tuple[int, int, int] = PAUSED_THRESHOLDS) -> Iterator[None]:
    """``paused(thresholds)``; with ``exiting`` (the process ends after the body: a command
    line's run), what is alive at the body's end is frozen first (see the module's docstring),
    and ``kept`` freezes what it makes."""
    global _exiting
    with paused(thresholds):
        was, _exiting = _exiting, _exiting or exiting
        try:
            yield
            if exiting:
                gc.freeze()
        finally:
            _exiting = was


@contextmanager
def kept() -> Iterator[None]:
    """Around making objects that hold no cycles and stay alive (a parsed tree, or one read back from the disk):
    ``paused()``; in a run that ends the process (``paused_until_exit(True)``), the collector
    off meanwhile and what is alive frozen after, so that no young collection walks it (the
    tree's garbage, with no cycles, is freed as ever)."""
    if not _exiting or not gc.isenabled():
        with paused():
            yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
