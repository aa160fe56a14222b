"""Owns the walk of a tree: every node under one, parents before children, as a list (compiled)."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar


class _Tree(Protocol):
    """A node as the walk sees it (``ast.Node``, which imports this module: not imported here)."""

    def kids(self) -> list[Any]: ...


_N = TypeVar("_N", bound=_Tree)


def nodes(node: _N) -> list[_N]:
    """Every node of the tree under ``node``, parents before children, in source order:
    ``ast.walk``'s order, made at once by a compiled loop (an interpreted generator cost the
    lowering of a 1 MB file a tenth of a second per walk)."""
    out: list[_N] = []
    stack = [node]
    while stack:
        n = stack.pop()
        out.append(n)
        kids = n.kids()
        if kids:
            kids.reverse()
            stack.extend(kids)
    return out
