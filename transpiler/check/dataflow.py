"""A generic forward dataflow solver over ``cfg.CFG``: worklist in reverse postorder to a fixpoint.

The caller gives the lattice as functions: ``transfer`` runs a block's nodes
over its IN state, ``edge`` refines a block's OUT state along one out-edge
(narrowing on ``edge.cond``/``edge.case``), ``join`` merges the states that
reach a block, ``eq`` tells when nothing changed.  ``solve`` returns the IN
state of every reachable block.  States are treated as values: the solver
never mutates them, and passes ``join`` a fresh list.
"""

from __future__ import annotations

import heapq
import operator
from collections.abc import Callable
from typing import TypeVar

from mypy_extensions import mypyc_attr

from transpiler.check.cfg import CFG, Block, Edge

S = TypeVar("S")


@mypyc_attr(native_class=False)  # mypyc compiles no subclass of RuntimeError
class DataflowError(RuntimeError):
    """The solver did not reach a fixpoint within its bound: the lattice or a transfer is not monotone."""


def reverse_postorder(cfg: CFG) -> list[Block]:
    """The blocks reachable from ``entry``, each before its successors except along back edges."""
    order: list[Block] = []
    seen = {cfg.entry.index}
    # Iterative DFS: (block, index of the next successor to visit).
    stack: list[tuple[Block, int]] = [(cfg.entry, 0)]
    while stack:
        b, i = stack[-1]
        if i < len(b.succs):
            stack[-1] = (b, i + 1)
            d = b.succs[i].dst
            if d.index not in seen:
                seen.add(d.index)
                stack.append((d, 0))
        else:
            stack.pop()
            order.append(b)
    order.reverse()
    return order


def solve(
    cfg: CFG,
    entry_state: S,
    transfer: Callable[[Block, S], S],
    edge: Callable[[Edge, S], S],
    join: Callable[[list[S]], S],
    eq: Callable[[S, S], bool] = operator.eq,
    max_iterations: int | None = None,
) -> dict[int, S]:
    """The IN state of each block reachable from ``cfg.entry``, keyed by block index.

    Unreachable blocks have no entry (use ``states.get(i, bottom)``).  The IN
    state of a block is ``join`` of ``edge(e, OUT[e.src])`` over its
    predecessor edges whose source has been reached (and of ``entry_state`` for
    the entry block); ``join`` is never given an empty list.  Blocks are taken
    from the worklist in reverse postorder, so an acyclic graph is solved in
    one pass and each loop costs a few passes more.

    ``max_iterations`` bounds the number of block visits (default
    ``1000 + 100 * reachable blocks``); going past it raises
    ``DataflowError``.  A monotone analysis over a finite lattice never does.
    """
    order = reverse_postorder(cfg)
    rank = {b.index: r for r, b in enumerate(order)}
    limit = max_iterations if max_iterations is not None else 1000 + 100 * len(order)
    ins: dict[int, S] = {}
    outs: dict[int, S] = {}
    queued = {0}
    heap = [0]
    visits = 0
    while heap:
        r = heapq.heappop(heap)
        queued.discard(r)
        b = order[r]
        visits += 1
        if visits > limit:
            raise DataflowError(
                f"dataflow did not converge after {limit} block visits "
                f"({len(order)} reachable blocks; last visited block {b.index} {b.kind})"
            )
        states = [edge(e, outs[e.src.index]) for e in b.preds if e.src.index in outs]
        if b is cfg.entry:
            states.insert(0, entry_state)
        new_in = join(states)
        seen = b.index in outs
        if seen and eq(ins[b.index], new_in):
            continue
        ins[b.index] = new_in
        new_out = transfer(b, new_in)
        if seen and eq(outs[b.index], new_out):
            outs[b.index] = new_out
            continue
        outs[b.index] = new_out
        for e in b.succs:
            rs = rank[e.dst.index]
            if rs not in queued:
                queued.add(rs)
                heapq.heappush(heap, rs)
    return ins
