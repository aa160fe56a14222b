"""A tree as two flat lists of plain values and back, for the disk cache of parsed trees (compiled; no recursion, at any depth).

``flatten(tree)`` gives the tree's shape (a byte per node: its class; per absent node
and per list of nodes, a mark) and the values of its leaf fields (strings, numbers,
flags, comments as ``(text, pos, end)``, the length of each list of nodes), in one walk,
children before parents; ``unflatten`` makes the same tree of them in one pass, each
node when its code comes, of its leaf values and the children made just before it. Both are plain
values that ``marshal`` writes and reads at memory speed: the pickled tree, one
reducer call and two memo entries per node, cost the first ``tgo check`` of a 1 MB file
a sixth of its time (``stubs/parsed.py`` keeps the trees).
"""

from __future__ import annotations

from typing import Any, Final

from transpiler.syntax import ast
from transpiler.syntax.scanner import Comment

_NONE: Final = 0  # an absent node (a field or list item that is None)
_LIST: Final = 1  # a list of nodes: its length is the value read with it
_FIRST: Final = 2  # the code of the first node class

# every node class, in a fixed order (a class's code is _FIRST + its index)
CLASSES: list[type] = []
_CODES: dict[type, int] = {}
# per class (its fields all at once: ``field_values()``, in ``_fields`` order): the indices of
# its leaf fields (last first, as written), of its fields that hold nodes, and whether each field
# is a leaf
_LEAVES: list[list[int]] = []
_KIDS: list[list[int]] = []
_IS_LEAF: list[list[bool]] = []
_NKIDS: list[int] = []


def _classes() -> None:
    """Fill the tables of node classes (on first use): the node classes of ``ast``, by name."""
    for name, cls in sorted(vars(ast).items()):
        if isinstance(cls, type) and issubclass(cls, ast.Node) and cls.__name__ == name:
            _CODES[cls] = _FIRST + len(CLASSES)
            CLASSES.append(cls)
            fields: tuple[str, ...] = getattr(cls, "_fields", ())
            kinds: dict[str, str] = getattr(cls, "_kinds", {})
            leaf = [kinds.get(f, "leaf") == "leaf" for f in fields]
            _LEAVES.append([i for i in range(len(fields) - 1, -1, -1) if leaf[i]])
            _KIDS.append([i for i in range(len(fields)) if not leaf[i]])
            _IS_LEAF.append(leaf)
            _NKIDS.append(leaf.count(False))
    if len(CLASSES) + _FIRST > 256:
        raise ValueError("too many node classes for a byte each")


def names() -> list[str]:
    """The node classes' names, in the order of their codes (kept with a flattened tree)."""
    if not CLASSES:
        _classes()
    return [c.__name__ for c in CLASSES]


def flatten(tree: Any) -> tuple[bytes, list[object]]:
    """The shape and the leaf values of ``tree`` (see the module), children before their
    parent: each node's leaf values and then its code come after those of its children,
    in order. Raises ``ValueError`` on what is not a tree of node classes (a leaf list of
    something other than comments)."""
    if not CLASSES:
        _classes()
    # (written parent first, the children last to first, then both read backwards)
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
            stack.extend(x)
            continue
        code = _CODES.get(type(x))
        if code is None:
            raise ValueError(f"not a node: {type(x).__name__}")
        shape.append(code)
        node: ast.Node = x
        got = node.field_values()
        for i in _LEAVES[code - _FIRST]:
            v = got[i]
            if isinstance(v, list):
                values.append([_comment(c) for c in v])
            else:
                values.append(v)
        for i in _KIDS[code - _FIRST]:
            stack.append(got[i])
    shape.reverse()
    values.reverse()
    return bytes(shape), values


def _comment(c: object) -> tuple[str, int, int]:
    if not isinstance(c, Comment):
        raise ValueError(f"a leaf list holds {type(c).__name__}, not comments")
    return (c.text, c.pos, c.end)


def unflatten(shape: bytes, values: list[Any], names_: list[str]) -> Any:
    """The tree ``flatten`` gave ``shape`` and ``values`` for, the classes named ``names_`` in
    code order. Raises ``ValueError`` (or ``IndexError``) where they do not make one."""
    if names() != names_:
        raise ValueError("other node classes")
    classes, nkids_of, is_leaf_of, comment = CLASSES, _NKIDS, _IS_LEAF, Comment
    nclasses = len(classes)
    made: list[Any] = [None] * (len(shape) + 1)  # the nodes and lists made whose parent is to come: made[:top]
    top = 0
    j = 0
    nv = len(values)
    for k in range(len(shape)):
        code = shape[k]
        if code == _NONE:
            made[top] = None
            top += 1
        elif code == _LIST:
            count = values[j]
            j += 1
            if not isinstance(count, int) or not 0 <= count <= top:
                raise ValueError("a bad list length")
            items = made[top - count:top]
            top -= count
            made[top] = items
            top += 1
        else:
            c = code - _FIRST
            if c >= nclasses:
                raise ValueError("a bad node code")
            kids = top - nkids_of[c]
            if kids < 0:
                raise ValueError("a node without its children")
            base = kids
            args: list[Any] = []
            for is_leaf in is_leaf_of[c]:
                if is_leaf:
                    v = values[j]
                    j += 1
                    args.append([comment(t[0], t[1], t[2]) for t in v] if isinstance(v, list) else v)
                else:
                    args.append(made[kids])
                    kids += 1
            made[base] = classes[c](*args)
            top = base + 1
    if top != 1 or j != nv:
        raise ValueError("not one tree")
    return made[0]
