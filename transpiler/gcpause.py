"""Python's cyclic garbage collector paused around tgo's allocation-heavy work (parsing, checking), with a bounded cost in memory.

Parsing and checking make millions of long-lived objects (trees, types, scopes) and
little cyclic garbage: the collector, run every 700 allocations, spends a third of a
check walking objects that stay alive. ``paused()`` raises the collector's first
threshold to ``PAUSED_THRESHOLD`` allocations for the duration (nested uses share
one pause): cycles still get collected, after at most that many allocations, so the
garbage kept alive is bounded, and the previous thresholds come back at the end.
Standard library only (the fast paths may load it).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

PAUSED_THRESHOLD = 200_000  # container allocations between young collections while paused

_depth = 0
_saved: tuple[int, int, int] = (0, 0, 0)


@contextmanager
def paused() -> Iterator[None]:
    """Run the body with the collector paused (see the module's docstring)."""
    global _depth, _saved
    if _depth == 0:
        _saved = gc.get_threshold()
        if _saved[0] != 0:  # (0: the collector is off already; leave it so)
            gc.set_threshold(max(PAUSED_THRESHOLD, _saved[0]), _saved[1], _saved[2])
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            gc.set_threshold(*_saved)
