"""A tree as two flat lists of plain values and back, for the disk cache of parsed trees (compiled; no recursion, at any depth).

``flatten(tree)`` gives the tree's shape (a byte per node: its class; per absent node
and per list of nodes, a mark) and the values of its leaf fields (strings, numbers,
flags, comments as ``(text, pos, end)``, the length of each list of nodes), in one walk,
parents before children; ``unflatten`` makes the same tree of them. Both are plain
values that ``marshal`` writes and reads at memory speed: the pickled tree, one
reducer call and two memo entries per node, cost the first ``tgo check`` of a 1 MB file
a sixth of its time (``stubs/parsed.py`` keeps the trees).
"""

from __future__ import annotations

from typing import Any

from transpiler.syntax import ast
from transpiler.syntax.scanner import Comment

_NONE = 0  # an absent node (a field or list item that is None)
_LIST = 1  # a list of nodes: its length is the next value
_FIRST = 2  # the code of the first node class

# every node class, in a fixed order (a class's code is _FIRST + its index)
CLASSES: list[type] = []
_CODES: dict[type, int] = {}
# per class: the indices of its leaf fields and of its fields that hold nodes, in ``_fields`` order
_LEAVES: list[list[int]] = []
_KIDS: list[list[int]] = []


def _classes() -> None:
    """Fill the tables of node classes (on first use): the node classes of ``ast``, by name."""
    for name, cls in sorted(vars(ast).items()):
        if isinstance(cls, type) and issubclass(cls, ast.Node) and cls.__name__ == name:
            _CODES[cls] = _FIRST + len(CLASSES)
            CLASSES.append(cls)
            fields: tuple[str, ...] = getattr(cls, "_fields", ())
            kinds: dict[str, str] = getattr(cls, "_kinds", {})
            _LEAVES.append([i for i, f in enumerate(fields) if kinds.get(f, "leaf") == "leaf"])
            _KIDS.append([i for i, f in enumerate(fields) if kinds.get(f, "leaf") != "leaf"])
    if len(CLASSES) + _FIRST > 256:
        raise ValueError("too many node classes for a byte each")


def names() -> list[str]:
    """The node classes' names, in the order of their codes (kept with a flattened tree)."""
    if not CLASSES:
        _classes()
    return [c.__name__ for c in CLASSES]


def flatten(tree: Any) -> tuple[bytes, list[object]]:
    """The shape and the leaf values of ``tree`` (see the module). Raises ``ValueError`` on
    what is not a tree of node classes (a leaf list of something other than comments)."""
    if not CLASSES:
        _classes()
    shape = bytearray()
    values: list[object] = []
    stack: list[Any] = [tree]
    while stack:
        x = stack.pop()
        if x is None:
            shape.append(_NONE)
            continue
        if isinstance(x, list):
            shape.append(_LIST)
            values.append(len(x))
            stack.extend(reversed(x))
            continue
        code = _CODES.get(type(x))
        if code is None:
            raise ValueError(f"not a node: {type(x).__name__}")
        shape.append(code)
        fields: tuple[str, ...] = x._fields
        for i in _LEAVES[code - _FIRST]:
            v = getattr(x, fields[i])
            if isinstance(v, list):
                values.append([_comment(c) for c in v])
            else:
                values.append(v)
        kids = _KIDS[code - _FIRST]
        for k in range(len(kids) - 1, -1, -1):
            stack.append(getattr(x, fields[kids[k]]))
    return bytes(shape), values


def _comment(c: object) -> tuple[str, int, int]:
    if not isinstance(c, Comment):
        raise ValueError(f"a leaf list holds {type(c).__name__}, not comments")
    return (c.text, c.pos, c.end)


class _Open:
    """A node or list being made: its class (None: a list), its items so far, the places of
    the items still to come."""

    __slots__ = ("cls", "items", "k", "places")

    def __init__(self, cls: type | None, items: list[Any], places: list[int]) -> None:
        self.cls = cls
        self.items = items
        self.places = places
        self.k = 0


def unflatten(shape: bytes, values: list[Any], names_: list[str]) -> Any:
    """The tree ``flatten`` gave ``shape`` and ``values`` for, the classes named ``names_`` in
    code order. Raises ``ValueError`` where they do not make one."""
    if names() != names_:
        raise ValueError("other node classes")
    stack: list[_Open] = []
    i = j = 0
    n = len(shape)
    while i < n:
        code = shape[i]
        i += 1
        made: Any
        if code == _NONE:
            made = None
        elif code == _LIST:
            count = values[j]
            j += 1
            if not isinstance(count, int) or count < 0:
                raise ValueError("a bad list length")
            if count:
                stack.append(_Open(None, [None] * count, list(range(count))))
                continue
            made = []
        else:
            c = code - _FIRST
            if c >= len(CLASSES):
                raise ValueError("a bad node code")
            cls = CLASSES[c]
            fields: tuple[str, ...] = getattr(cls, "_fields", ())
            args: list[Any] = [None] * len(fields)
            for f in _LEAVES[c]:
                v = values[j]
                j += 1
                args[f] = [Comment(t[0], t[1], t[2]) for t in v] if isinstance(v, list) else v
            kids = _KIDS[c]
            if kids:
                stack.append(_Open(cls, args, kids))
                continue
            made = cls(*args)
        while True:  # (the item made fills the next place of the node or list it is in)
            if not stack:
                if i != n or j != len(values):
                    raise ValueError("values left over")
                return made
            top = stack[-1]
            top.items[top.places[top.k]] = made
            top.k += 1
            if top.k < len(top.places):
                break
            stack.pop()
            made = top.items if top.cls is None else top.cls(*top.items)
    raise ValueError("a shape cut short")
