"""Syntax tree: the node classes of Go and tgo source, shaped after go/ast.

Every node has ``pos`` and ``end``: character offsets into the decoded source
text (``end`` exclusive).  ``SourceFile`` (source.py) turns them into lines,
byte columns and byte offsets, as go/token's FileSet does for token.Pos.
Fields are listed in source order, which the printer relies on.  Types are
expressions, as in go/ast: ``*T`` is a ``StarExpr`` whether it is a pointer
type or a dereference.  The tgo extensions add ``NullableType`` (``?T``),
``NonNilExpr`` (``x!``), ``TryExpr`` (``call?``, ``call ? "msg"``), and the
``EnumType`` and ``UnionType`` forms of a type declaration.

A node class lists its own fields as annotations, after its base class's; what they
decide (``__slots__``, ``_fields``, ``_kinds``, ``__init__``, ``kids``) is written out
below them by ``scripts/node_classes.py``, so that the classes are plain classes mypyc
compiles into native ones (``tests/test_kinds.py`` checks the file is what it writes).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import ClassVar, cast

from transpiler.syntax.scanner import Comment
from transpiler.syntax.walk import nodes


class Node:
    """A node of the tree: its ``pos`` and ``end``, then its class's fields (``_fields``, in
    source order; ``_kinds``: how each holds nodes, ``leaf``, ``list`` or ``node``)."""

    pos: int
    end: int

    def kids(self) -> builtins.list[Node]:
        """The direct child nodes, in source order, as a new list (made for each class from
        its fields' annotations by scripts/node_classes.py)."""
        raise NotImplementedError  # made in every class

    def children(self) -> Iterator[Node]:
        """The direct child nodes, in source order."""
        return iter(self.kids())

    def __reduce__(self) -> tuple[type[Node], tuple[object, ...]]:
        """The class and the fields: what ``copy`` and ``pickle`` make the node again of (a
        compiled class makes none without its fields)."""
        return (type(self), tuple(getattr(self, f) for f in self._fields))

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({inner})"

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("end", "pos")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf"}

    def __init__(self, pos: int, end: int) -> None:
        self.pos = pos
        self.end = end

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end)


class Expr(Node):
    """An expression, or a type (types are expressions, as in go/ast)."""

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf"}

    def __init__(self, pos: int, end: int) -> None:
        self.pos = pos
        self.end = end

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end)

    def kids(self) -> builtins.list[Node]:
        return []


class Stmt(Node):
    """A statement."""

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf"}

    def __init__(self, pos: int, end: int) -> None:
        self.pos = pos
        self.end = end

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end)

    def kids(self) -> builtins.list[Node]:
        return []


class Decl(Node):
    """A declaration: ``GenDecl`` (import, const, type, var) or ``FuncDecl``."""

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf"}

    def __init__(self, pos: int, end: int) -> None:
        self.pos = pos
        self.end = end

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end)

    def kids(self) -> builtins.list[Node]:
        return []


# ------------------------------------------------------------- expressions --


class BadExpr(Expr):
    """Where an expression did not parse (the parser reported it): its type is unknown."""

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf"}

    def __init__(self, pos: int, end: int) -> None:
        self.pos = pos
        self.end = end

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end)

    def kids(self) -> builtins.list[Node]:
        return []


class Ident(Expr):
    name: str

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("name",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "name")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "name": "leaf"}

    def __init__(self, pos: int, end: int, name: str) -> None:
        self.pos = pos
        self.end = end
        self.name = name

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.name)

    def kids(self) -> builtins.list[Node]:
        return []


class BasicLit(Expr):
    kind: str  # INT FLOAT IMAG CHAR STRING
    value: str

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("kind", "value")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "kind", "value")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "kind": "leaf", "value": "leaf"}

    def __init__(self, pos: int, end: int, kind: str, value: str) -> None:
        self.pos = pos
        self.end = end
        self.kind = kind
        self.value = value

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.kind, self.value)

    def kids(self) -> builtins.list[Node]:
        return []


class CompositeLit(Expr):
    type: Expr | None  # None for an elided type inside another literal
    elts: list[Expr]
    lbrace: int

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("elts", "lbrace", "type")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "type", "elts", "lbrace")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "type": "node", "elts": "list", "lbrace": "leaf"}

    def __init__(self, pos: int, end: int, type: Expr | None, elts: builtins.list[Expr], lbrace: int) -> None:
        self.pos = pos
        self.end = end
        self.type = type
        self.elts = elts
        self.lbrace = lbrace

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.type, self.elts, self.lbrace)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.type
        if v0 is not None:
            out.append(v0)
        v1 = self.elts
        if v1:
            out.extend([x for x in cast(builtins.list[Node | None], v1) if x is not None])
        return out


class KeyValueExpr(Expr):
    key: Expr
    value: Expr

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("key", "value")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "key", "value")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "key": "node", "value": "node"}

    def __init__(self, pos: int, end: int, key: Expr, value: Expr) -> None:
        self.pos = pos
        self.end = end
        self.key = key
        self.value = value

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.key, self.value)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.key
        if v0 is not None:
            out.append(v0)
        v1 = self.value
        if v1 is not None:
            out.append(v1)
        return out


class FuncLit(Expr):
    type: FuncType
    body: BlockStmt

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("body", "type")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "type", "body")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "type": "node", "body": "node"}

    def __init__(self, pos: int, end: int, type: FuncType, body: BlockStmt) -> None:
        self.pos = pos
        self.end = end
        self.type = type
        self.body = body

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.type, self.body)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.type
        if v0 is not None:
            out.append(v0)
        v1 = self.body
        if v1 is not None:
            out.append(v1)
        return out


class ParenExpr(Expr):
    x: Expr

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("x",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "x")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "x": "node"}

    def __init__(self, pos: int, end: int, x: Expr) -> None:
        self.pos = pos
        self.end = end
        self.x = x

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.x)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.x
        if v0 is not None:
            out.append(v0)
        return out


class SelectorExpr(Expr):
    x: Expr
    sel: Ident

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("sel", "x")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "x", "sel")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "x": "node", "sel": "node"}

    def __init__(self, pos: int, end: int, x: Expr, sel: Ident) -> None:
        self.pos = pos
        self.end = end
        self.x = x
        self.sel = sel

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.x, self.sel)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.x
        if v0 is not None:
            out.append(v0)
        v1 = self.sel
        if v1 is not None:
            out.append(v1)
        return out


class IndexExpr(Expr):
    """``x[i]``, and ``x[A, B]`` for generic instantiations (go/ast's IndexListExpr)."""

    x: Expr
    indices: list[Expr]

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("indices", "x")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "x", "indices")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "x": "node", "indices": "list"}

    def __init__(self, pos: int, end: int, x: Expr, indices: builtins.list[Expr]) -> None:
        self.pos = pos
        self.end = end
        self.x = x
        self.indices = indices

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.x, self.indices)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.x
        if v0 is not None:
            out.append(v0)
        v1 = self.indices
        if v1:
            out.extend([x for x in cast(builtins.list[Node | None], v1) if x is not None])
        return out


class SliceExpr(Expr):
    x: Expr
    low: Expr | None
    high: Expr | None
    max: Expr | None
    slice3: bool

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("high", "low", "max", "slice3", "x")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "x", "low", "high", "max", "slice3")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "x": "node", "low": "node", "high": "node", "max": "node", "slice3": "leaf"}

    def __init__(self, pos: int, end: int, x: Expr, low: Expr | None, high: Expr | None, max: Expr | None, slice3: bool) -> None:
        self.pos = pos
        self.end = end
        self.x = x
        self.low = low
        self.high = high
        self.max = max
        self.slice3 = slice3

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.x, self.low, self.high, self.max, self.slice3)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.x
        if v0 is not None:
            out.append(v0)
        v1 = self.low
        if v1 is not None:
            out.append(v1)
        v2 = self.high
        if v2 is not None:
            out.append(v2)
        v3 = self.max
        if v3 is not None:
            out.append(v3)
        return out


class TypeAssertExpr(Expr):
    x: Expr
    type: Expr | None  # None for x.(type)

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("type", "x")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "x", "type")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "x": "node", "type": "node"}

    def __init__(self, pos: int, end: int, x: Expr, type: Expr | None) -> None:
        self.pos = pos
        self.end = end
        self.x = x
        self.type = type

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.x, self.type)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.x
        if v0 is not None:
            out.append(v0)
        v1 = self.type
        if v1 is not None:
            out.append(v1)
        return out


class CallExpr(Expr):
    fun: Expr
    args: list[Expr]
    ellipsis: int  # offset of "...", or -1

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("args", "ellipsis", "fun")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "fun", "args", "ellipsis")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "fun": "node", "args": "list", "ellipsis": "leaf"}

    def __init__(self, pos: int, end: int, fun: Expr, args: builtins.list[Expr], ellipsis: int) -> None:
        self.pos = pos
        self.end = end
        self.fun = fun
        self.args = args
        self.ellipsis = ellipsis

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.fun, self.args, self.ellipsis)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.fun
        if v0 is not None:
            out.append(v0)
        v1 = self.args
        if v1:
            out.extend([x for x in cast(builtins.list[Node | None], v1) if x is not None])
        return out


class StarExpr(Expr):
    x: Expr

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("x",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "x")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "x": "node"}

    def __init__(self, pos: int, end: int, x: Expr) -> None:
        self.pos = pos
        self.end = end
        self.x = x

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.x)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.x
        if v0 is not None:
            out.append(v0)
        return out


class UnaryExpr(Expr):
    op: str
    x: Expr

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("op", "x")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "op", "x")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "op": "leaf", "x": "node"}

    def __init__(self, pos: int, end: int, op: str, x: Expr) -> None:
        self.pos = pos
        self.end = end
        self.op = op
        self.x = x

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.op, self.x)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.x
        if v0 is not None:
            out.append(v0)
        return out


class BinaryExpr(Expr):
    x: Expr
    op: str
    y: Expr

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("op", "x", "y")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "x", "op", "y")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "x": "node", "op": "leaf", "y": "node"}

    def __init__(self, pos: int, end: int, x: Expr, op: str, y: Expr) -> None:
        self.pos = pos
        self.end = end
        self.x = x
        self.op = op
        self.y = y

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.x, self.op, self.y)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.x
        if v0 is not None:
            out.append(v0)
        v1 = self.y
        if v1 is not None:
            out.append(v1)
        return out


class NonNilExpr(Expr):
    """tgo: ``x!``, the programmer's word that x is not nil."""

    x: Expr

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("x",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "x")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "x": "node"}

    def __init__(self, pos: int, end: int, x: Expr) -> None:
        self.pos = pos
        self.end = end
        self.x = x

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.x)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.x
        if v0 is not None:
            out.append(v0)
        return out


class TryExpr(Expr):
    """tgo: ``call?`` or ``call ? "msg"``: propagate the call's error."""

    x: Expr
    msg: BasicLit | None

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("msg", "x")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "x", "msg")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "x": "node", "msg": "node"}

    def __init__(self, pos: int, end: int, x: Expr, msg: BasicLit | None) -> None:
        self.pos = pos
        self.end = end
        self.x = x
        self.msg = msg

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.x, self.msg)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.x
        if v0 is not None:
            out.append(v0)
        v1 = self.msg
        if v1 is not None:
            out.append(v1)
        return out


# ------------------------------------------------------------------- types --


class ArrayType(Expr):
    """``[N]T``, ``[...]T`` (len is an ``Ellipsis``) or the slice type ``[]T`` (len None)."""

    len: Expr | None
    elt: Expr

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("elt", "len")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "len", "elt")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "len": "node", "elt": "node"}

    def __init__(self, pos: int, end: int, len: Expr | None, elt: Expr) -> None:
        self.pos = pos
        self.end = end
        self.len = len
        self.elt = elt

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.len, self.elt)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.len
        if v0 is not None:
            out.append(v0)
        v1 = self.elt
        if v1 is not None:
            out.append(v1)
        return out


class Ellipsis(Expr):
    """``...`` as an array length, or ``...T`` as a variadic parameter type."""

    elt: Expr | None

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("elt",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "elt")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "elt": "node"}

    def __init__(self, pos: int, end: int, elt: Expr | None) -> None:
        self.pos = pos
        self.end = end
        self.elt = elt

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.elt)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.elt
        if v0 is not None:
            out.append(v0)
        return out


class MapType(Expr):
    key: Expr
    value: Expr

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("key", "value")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "key", "value")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "key": "node", "value": "node"}

    def __init__(self, pos: int, end: int, key: Expr, value: Expr) -> None:
        self.pos = pos
        self.end = end
        self.key = key
        self.value = value

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.key, self.value)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.key
        if v0 is not None:
            out.append(v0)
        v1 = self.value
        if v1 is not None:
            out.append(v1)
        return out


SEND = 1
RECV = 2


class ChanType(Expr):
    dir: int  # SEND | RECV, or both
    value: Expr

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("dir", "value")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "dir", "value")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "dir": "leaf", "value": "node"}

    def __init__(self, pos: int, end: int, dir: int, value: Expr) -> None:
        self.pos = pos
        self.end = end
        self.dir = dir
        self.value = value

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.dir, self.value)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.value
        if v0 is not None:
            out.append(v0)
        return out


class Field(Node):
    """A struct field, parameter, result, or interface element."""

    names: list[Ident]
    type: Expr
    tag: BasicLit | None

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("names", "tag", "type")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "names", "type", "tag")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "names": "list", "type": "node", "tag": "node"}

    def __init__(self, pos: int, end: int, names: builtins.list[Ident], type: Expr, tag: BasicLit | None) -> None:
        self.pos = pos
        self.end = end
        self.names = names
        self.type = type
        self.tag = tag

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.names, self.type, self.tag)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.names
        if v0:
            out.extend([x for x in cast(builtins.list[Node | None], v0) if x is not None])
        v1 = self.type
        if v1 is not None:
            out.append(v1)
        v2 = self.tag
        if v2 is not None:
            out.append(v2)
        return out


class FieldList(Node):
    """A parenthesized or braced list of fields; ``pos``/``end`` include the brackets."""

    list: list[Field]

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("list",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "list")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "list": "list"}

    def __init__(self, pos: int, end: int, list: builtins.list[Field]) -> None:
        self.pos = pos
        self.end = end
        self.list = list

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.list)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.list
        if v0:
            out.extend([x for x in cast(builtins.list[Node | None], v0) if x is not None])
        return out


class FuncType(Expr):
    type_params: FieldList | None
    params: FieldList
    results: FieldList | None

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("params", "results", "type_params")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "type_params", "params", "results")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "type_params": "node", "params": "node", "results": "node"}

    def __init__(self, pos: int, end: int, type_params: FieldList | None, params: FieldList, results: FieldList | None) -> None:
        self.pos = pos
        self.end = end
        self.type_params = type_params
        self.params = params
        self.results = results

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.type_params, self.params, self.results)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.type_params
        if v0 is not None:
            out.append(v0)
        v1 = self.params
        if v1 is not None:
            out.append(v1)
        v2 = self.results
        if v2 is not None:
            out.append(v2)
        return out


class StructType(Expr):
    fields: FieldList

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("fields",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "fields")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "fields": "node"}

    def __init__(self, pos: int, end: int, fields: FieldList) -> None:
        self.pos = pos
        self.end = end
        self.fields = fields

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.fields)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.fields
        if v0 is not None:
            out.append(v0)
        return out


class InterfaceType(Expr):
    """Methods are Fields with one name and a FuncType; embedded elements have no names."""

    methods: FieldList

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("methods",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "methods")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "methods": "node"}

    def __init__(self, pos: int, end: int, methods: FieldList) -> None:
        self.pos = pos
        self.end = end
        self.methods = methods

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.methods)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.methods
        if v0 is not None:
            out.append(v0)
        return out


class NullableType(Expr):
    """tgo: ``?T``, a pointer, map, channel, function or interface type that may be nil."""

    x: Expr

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("x",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "x")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "x": "node"}

    def __init__(self, pos: int, end: int, x: Expr) -> None:
        self.pos = pos
        self.end = end
        self.x = x

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.x)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.x
        if v0 is not None:
            out.append(v0)
        return out


class EnumMember(Node):
    name: Ident
    value: Expr | None

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("name", "value")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "name", "value")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "name": "node", "value": "node"}

    def __init__(self, pos: int, end: int, name: Ident, value: Expr | None) -> None:
        self.pos = pos
        self.end = end
        self.name = name
        self.value = value

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.name, self.value)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.name
        if v0 is not None:
            out.append(v0)
        v1 = self.value
        if v1 is not None:
            out.append(v1)
        return out


class EnumType(Expr):
    """tgo: ``enum [Base] { A; B = v }`` as the type of a type declaration."""

    keyword: Ident
    base: Expr | None
    members: list[EnumMember]

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("base", "keyword", "members")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "keyword", "base", "members")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "keyword": "node", "base": "node", "members": "list"}

    def __init__(self, pos: int, end: int, keyword: Ident, base: Expr | None, members: builtins.list[EnumMember]) -> None:
        self.pos = pos
        self.end = end
        self.keyword = keyword
        self.base = base
        self.members = members

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.keyword, self.base, self.members)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.keyword
        if v0 is not None:
            out.append(v0)
        v1 = self.base
        if v1 is not None:
            out.append(v1)
        v2 = self.members
        if v2:
            out.extend([x for x in cast(builtins.list[Node | None], v2) if x is not None])
        return out


class UnionVariant(Node):
    """A union variant: a new struct type ``Name{fields}`` or an existing type."""

    name: Ident | None  # set for a new variant type
    fields: FieldList | None  # set for a new variant type
    type: Expr | None  # set for an existing type

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("fields", "name", "type")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "name", "fields", "type")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "name": "node", "fields": "node", "type": "node"}

    def __init__(self, pos: int, end: int, name: Ident | None, fields: FieldList | None, type: Expr | None) -> None:
        self.pos = pos
        self.end = end
        self.name = name
        self.fields = fields
        self.type = type

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.name, self.fields, self.type)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.name
        if v0 is not None:
            out.append(v0)
        v1 = self.fields
        if v1 is not None:
            out.append(v1)
        v2 = self.type
        if v2 is not None:
            out.append(v2)
        return out


class UnionType(Expr):
    """tgo: ``union { Circle{R float64}; *Polygon }`` as the type of a type declaration."""

    keyword: Ident
    variants: list[UnionVariant]

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("keyword", "variants")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "keyword", "variants")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "keyword": "node", "variants": "list"}

    def __init__(self, pos: int, end: int, keyword: Ident, variants: builtins.list[UnionVariant]) -> None:
        self.pos = pos
        self.end = end
        self.keyword = keyword
        self.variants = variants

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.keyword, self.variants)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.keyword
        if v0 is not None:
            out.append(v0)
        v1 = self.variants
        if v1:
            out.extend([x for x in cast(builtins.list[Node | None], v1) if x is not None])
        return out


# -------------------------------------------------------------- statements --


class BadStmt(Stmt):
    """Where a statement did not parse (the parser reported it, or the checker did not check it)."""

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf"}

    def __init__(self, pos: int, end: int) -> None:
        self.pos = pos
        self.end = end

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end)

    def kids(self) -> builtins.list[Node]:
        return []


class DeclStmt(Stmt):
    decl: GenDecl

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("decl",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "decl")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "decl": "node"}

    def __init__(self, pos: int, end: int, decl: GenDecl) -> None:
        self.pos = pos
        self.end = end
        self.decl = decl

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.decl)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.decl
        if v0 is not None:
            out.append(v0)
        return out


class EmptyStmt(Stmt):
    implicit: bool

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("implicit",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "implicit")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "implicit": "leaf"}

    def __init__(self, pos: int, end: int, implicit: bool) -> None:
        self.pos = pos
        self.end = end
        self.implicit = implicit

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.implicit)

    def kids(self) -> builtins.list[Node]:
        return []


class LabeledStmt(Stmt):
    label: Ident
    stmt: Stmt

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("label", "stmt")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "label", "stmt")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "label": "node", "stmt": "node"}

    def __init__(self, pos: int, end: int, label: Ident, stmt: Stmt) -> None:
        self.pos = pos
        self.end = end
        self.label = label
        self.stmt = stmt

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.label, self.stmt)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.label
        if v0 is not None:
            out.append(v0)
        v1 = self.stmt
        if v1 is not None:
            out.append(v1)
        return out


class ExprStmt(Stmt):
    x: Expr

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("x",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "x")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "x": "node"}

    def __init__(self, pos: int, end: int, x: Expr) -> None:
        self.pos = pos
        self.end = end
        self.x = x

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.x)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.x
        if v0 is not None:
            out.append(v0)
        return out


class SendStmt(Stmt):
    chan: Expr
    value: Expr

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("chan", "value")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "chan", "value")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "chan": "node", "value": "node"}

    def __init__(self, pos: int, end: int, chan: Expr, value: Expr) -> None:
        self.pos = pos
        self.end = end
        self.chan = chan
        self.value = value

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.chan, self.value)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.chan
        if v0 is not None:
            out.append(v0)
        v1 = self.value
        if v1 is not None:
            out.append(v1)
        return out


class IncDecStmt(Stmt):
    x: Expr
    tok: str

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("tok", "x")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "x", "tok")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "x": "node", "tok": "leaf"}

    def __init__(self, pos: int, end: int, x: Expr, tok: str) -> None:
        self.pos = pos
        self.end = end
        self.x = x
        self.tok = tok

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.x, self.tok)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.x
        if v0 is not None:
            out.append(v0)
        return out


class AssignStmt(Stmt):
    lhs: list[Expr]
    tok: str  # = := += ...
    rhs: list[Expr]

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("lhs", "rhs", "tok")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "lhs", "tok", "rhs")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "lhs": "list", "tok": "leaf", "rhs": "list"}

    def __init__(self, pos: int, end: int, lhs: builtins.list[Expr], tok: str, rhs: builtins.list[Expr]) -> None:
        self.pos = pos
        self.end = end
        self.lhs = lhs
        self.tok = tok
        self.rhs = rhs

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.lhs, self.tok, self.rhs)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.lhs
        if v0:
            out.extend([x for x in cast(builtins.list[Node | None], v0) if x is not None])
        v1 = self.rhs
        if v1:
            out.extend([x for x in cast(builtins.list[Node | None], v1) if x is not None])
        return out


class GoStmt(Stmt):
    call: Expr

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("call",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "call")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "call": "node"}

    def __init__(self, pos: int, end: int, call: Expr) -> None:
        self.pos = pos
        self.end = end
        self.call = call

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.call)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.call
        if v0 is not None:
            out.append(v0)
        return out


class DeferStmt(Stmt):
    call: Expr

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("call",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "call")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "call": "node"}

    def __init__(self, pos: int, end: int, call: Expr) -> None:
        self.pos = pos
        self.end = end
        self.call = call

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.call)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.call
        if v0 is not None:
            out.append(v0)
        return out


class ReturnStmt(Stmt):
    results: list[Expr]

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("results",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "results")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "results": "list"}

    def __init__(self, pos: int, end: int, results: builtins.list[Expr]) -> None:
        self.pos = pos
        self.end = end
        self.results = results

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.results)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.results
        if v0:
            out.extend([x for x in cast(builtins.list[Node | None], v0) if x is not None])
        return out


class BranchStmt(Stmt):
    tok: str  # break continue goto fallthrough
    label: Ident | None

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("label", "tok")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "tok", "label")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "tok": "leaf", "label": "node"}

    def __init__(self, pos: int, end: int, tok: str, label: Ident | None) -> None:
        self.pos = pos
        self.end = end
        self.tok = tok
        self.label = label

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.tok, self.label)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.label
        if v0 is not None:
            out.append(v0)
        return out


class BlockStmt(Stmt):
    list: list[Stmt]

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("list",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "list")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "list": "list"}

    def __init__(self, pos: int, end: int, list: builtins.list[Stmt]) -> None:
        self.pos = pos
        self.end = end
        self.list = list

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.list)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.list
        if v0:
            out.extend([x for x in cast(builtins.list[Node | None], v0) if x is not None])
        return out


class IfStmt(Stmt):
    init: Stmt | None
    cond: Expr
    body: BlockStmt
    else_: Stmt | None

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("body", "cond", "else_", "init")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "init", "cond", "body", "else_")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "init": "node", "cond": "node", "body": "node", "else_": "node"}

    def __init__(self, pos: int, end: int, init: Stmt | None, cond: Expr, body: BlockStmt, else_: Stmt | None) -> None:
        self.pos = pos
        self.end = end
        self.init = init
        self.cond = cond
        self.body = body
        self.else_ = else_

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.init, self.cond, self.body, self.else_)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.init
        if v0 is not None:
            out.append(v0)
        v1 = self.cond
        if v1 is not None:
            out.append(v1)
        v2 = self.body
        if v2 is not None:
            out.append(v2)
        v3 = self.else_
        if v3 is not None:
            out.append(v3)
        return out


class CaseClause(Stmt):
    list: builtins.list[Expr] | None  # None for default
    body: builtins.list[Stmt]

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("body", "list")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "list", "body")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "list": "list", "body": "list"}

    def __init__(self, pos: int, end: int, list: builtins.list[Expr] | None, body: builtins.list[Stmt]) -> None:
        self.pos = pos
        self.end = end
        self.list = list
        self.body = body

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.list, self.body)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.list
        if v0:
            out.extend([x for x in cast(builtins.list[Node | None], v0) if x is not None])
        v1 = self.body
        if v1:
            out.extend([x for x in cast(builtins.list[Node | None], v1) if x is not None])
        return out


class SwitchStmt(Stmt):
    init: Stmt | None
    tag: Expr | None
    body: BlockStmt  # of CaseClause

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("body", "init", "tag")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "init", "tag", "body")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "init": "node", "tag": "node", "body": "node"}

    def __init__(self, pos: int, end: int, init: Stmt | None, tag: Expr | None, body: BlockStmt) -> None:
        self.pos = pos
        self.end = end
        self.init = init
        self.tag = tag
        self.body = body

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.init, self.tag, self.body)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.init
        if v0 is not None:
            out.append(v0)
        v1 = self.tag
        if v1 is not None:
            out.append(v1)
        v2 = self.body
        if v2 is not None:
            out.append(v2)
        return out


class TypeSwitchStmt(Stmt):
    init: Stmt | None
    assign: Stmt  # x := y.(type) or y.(type)
    body: BlockStmt  # of CaseClause

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("assign", "body", "init")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "init", "assign", "body")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "init": "node", "assign": "node", "body": "node"}

    def __init__(self, pos: int, end: int, init: Stmt | None, assign: Stmt, body: BlockStmt) -> None:
        self.pos = pos
        self.end = end
        self.init = init
        self.assign = assign
        self.body = body

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.init, self.assign, self.body)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.init
        if v0 is not None:
            out.append(v0)
        v1 = self.assign
        if v1 is not None:
            out.append(v1)
        v2 = self.body
        if v2 is not None:
            out.append(v2)
        return out


class CommClause(Stmt):
    comm: Stmt | None  # None for default
    body: list[Stmt]

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("body", "comm")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "comm", "body")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "comm": "node", "body": "list"}

    def __init__(self, pos: int, end: int, comm: Stmt | None, body: builtins.list[Stmt]) -> None:
        self.pos = pos
        self.end = end
        self.comm = comm
        self.body = body

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.comm, self.body)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.comm
        if v0 is not None:
            out.append(v0)
        v1 = self.body
        if v1:
            out.extend([x for x in cast(builtins.list[Node | None], v1) if x is not None])
        return out


class SelectStmt(Stmt):
    body: BlockStmt  # of CommClause

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("body",)
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "body")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "body": "node"}

    def __init__(self, pos: int, end: int, body: BlockStmt) -> None:
        self.pos = pos
        self.end = end
        self.body = body

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.body)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.body
        if v0 is not None:
            out.append(v0)
        return out


class ForStmt(Stmt):
    init: Stmt | None
    cond: Expr | None
    post: Stmt | None
    body: BlockStmt

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("body", "cond", "init", "post")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "init", "cond", "post", "body")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "init": "node", "cond": "node", "post": "node", "body": "node"}

    def __init__(self, pos: int, end: int, init: Stmt | None, cond: Expr | None, post: Stmt | None, body: BlockStmt) -> None:
        self.pos = pos
        self.end = end
        self.init = init
        self.cond = cond
        self.post = post
        self.body = body

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.init, self.cond, self.post, self.body)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.init
        if v0 is not None:
            out.append(v0)
        v1 = self.cond
        if v1 is not None:
            out.append(v1)
        v2 = self.post
        if v2 is not None:
            out.append(v2)
        v3 = self.body
        if v3 is not None:
            out.append(v3)
        return out


class RangeStmt(Stmt):
    key: Expr | None
    value: Expr | None
    tok: str  # "", "=" or ":="
    x: Expr
    body: BlockStmt

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("body", "key", "tok", "value", "x")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "key", "value", "tok", "x", "body")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "key": "node", "value": "node", "tok": "leaf", "x": "node", "body": "node"}

    def __init__(self, pos: int, end: int, key: Expr | None, value: Expr | None, tok: str, x: Expr, body: BlockStmt) -> None:
        self.pos = pos
        self.end = end
        self.key = key
        self.value = value
        self.tok = tok
        self.x = x
        self.body = body

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.key, self.value, self.tok, self.x, self.body)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.key
        if v0 is not None:
            out.append(v0)
        v1 = self.value
        if v1 is not None:
            out.append(v1)
        v2 = self.x
        if v2 is not None:
            out.append(v2)
        v3 = self.body
        if v3 is not None:
            out.append(v3)
        return out


# ------------------------------------------------------------ declarations --


class ImportSpec(Node):
    name: Ident | None
    path: BasicLit

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("name", "path")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "name", "path")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "name": "node", "path": "node"}

    def __init__(self, pos: int, end: int, name: Ident | None, path: BasicLit) -> None:
        self.pos = pos
        self.end = end
        self.name = name
        self.path = path

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.name, self.path)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.name
        if v0 is not None:
            out.append(v0)
        v1 = self.path
        if v1 is not None:
            out.append(v1)
        return out


class ValueSpec(Node):
    names: list[Ident]
    type: Expr | None
    values: list[Expr]

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("names", "type", "values")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "names", "type", "values")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "names": "list", "type": "node", "values": "list"}

    def __init__(self, pos: int, end: int, names: builtins.list[Ident], type: Expr | None, values: builtins.list[Expr]) -> None:
        self.pos = pos
        self.end = end
        self.names = names
        self.type = type
        self.values = values

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.names, self.type, self.values)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.names
        if v0:
            out.extend([x for x in cast(builtins.list[Node | None], v0) if x is not None])
        v1 = self.type
        if v1 is not None:
            out.append(v1)
        v2 = self.values
        if v2:
            out.extend([x for x in cast(builtins.list[Node | None], v2) if x is not None])
        return out


class TypeSpec(Node):
    name: Ident
    type_params: FieldList | None
    assign: bool  # an alias: type A = B
    type: Expr

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("assign", "name", "type", "type_params")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "name", "type_params", "assign", "type")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "name": "node", "type_params": "node", "assign": "leaf", "type": "node"}

    def __init__(self, pos: int, end: int, name: Ident, type_params: FieldList | None, assign: bool, type: Expr) -> None:
        self.pos = pos
        self.end = end
        self.name = name
        self.type_params = type_params
        self.assign = assign
        self.type = type

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.name, self.type_params, self.assign, self.type)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.name
        if v0 is not None:
            out.append(v0)
        v1 = self.type_params
        if v1 is not None:
            out.append(v1)
        v2 = self.type
        if v2 is not None:
            out.append(v2)
        return out


Spec = ImportSpec | ValueSpec | TypeSpec


class BadDecl(Decl):
    """Where a declaration did not parse (the parser reported it): it declares nothing."""

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf"}

    def __init__(self, pos: int, end: int) -> None:
        self.pos = pos
        self.end = end

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end)

    def kids(self) -> builtins.list[Node]:
        return []


class GenDecl(Decl):
    tok: str  # import const type var
    specs: list[Spec]
    lparen: int  # offset of "(", or -1

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("lparen", "specs", "tok")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "tok", "specs", "lparen")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "tok": "leaf", "specs": "list", "lparen": "leaf"}

    def __init__(self, pos: int, end: int, tok: str, specs: builtins.list[Spec], lparen: int) -> None:
        self.pos = pos
        self.end = end
        self.tok = tok
        self.specs = specs
        self.lparen = lparen

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.tok, self.specs, self.lparen)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.specs
        if v0:
            out.extend([x for x in cast(builtins.list[Node | None], v0) if x is not None])
        return out


class FuncDecl(Decl):
    recv: FieldList | None
    name: Ident
    type: FuncType
    body: BlockStmt | None

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("body", "name", "recv", "type")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "recv", "name", "type", "body")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "recv": "node", "name": "node", "type": "node", "body": "node"}

    def __init__(self, pos: int, end: int, recv: FieldList | None, name: Ident, type: FuncType, body: BlockStmt | None) -> None:
        self.pos = pos
        self.end = end
        self.recv = recv
        self.name = name
        self.type = type
        self.body = body

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.recv, self.name, self.type, self.body)

    def kids(self) -> builtins.list[Node]:
        out: builtins.list[Node] = []
        v0 = self.recv
        if v0 is not None:
            out.append(v0)
        v1 = self.name
        if v1 is not None:
            out.append(v1)
        v2 = self.type
        if v2 is not None:
            out.append(v2)
        v3 = self.body
        if v3 is not None:
            out.append(v3)
        return out


class File(Node):
    package: Ident
    imports: list[GenDecl]
    decls: list[Decl]
    comments: builtins.list[Comment]

    def children(self) -> Iterator[Node]:
        yield self.package
        yield from self.imports
        yield from self.decls

    def kids(self) -> builtins.list[Node]:
        return [self.package, *self.imports, *self.decls]

    # made by scripts/node_classes.py from the fields above (edit those and run it)
    __slots__ = ("comments", "decls", "imports", "package")
    _fields: ClassVar[tuple[str, ...]] = ("pos", "end", "package", "imports", "decls", "comments")
    _kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "package": "node", "imports": "list", "decls": "list", "comments": "leaf"}

    def __init__(self, pos: int, end: int, package: Ident, imports: builtins.list[GenDecl], decls: builtins.list[Decl], comments: builtins.list[Comment]) -> None:
        self.pos = pos
        self.end = end
        self.package = package
        self.imports = imports
        self.decls = decls
        self.comments = comments

    def field_values(self) -> tuple[object, ...]:
        return (self.pos, self.end, self.package, self.imports, self.decls, self.comments)


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree under ``node``, parents before children (``walk.nodes``: the
    list made at once by the compiled walk)."""
    return iter(nodes(node))


def binary_spine(e: BinaryExpr) -> builtins.list[BinaryExpr]:
    """The left spine of a binary chain, innermost first: for ``a + b - c``, ``[a + b, a + b - c]``.

    The first operand is ``spine[0].x``, then each link adds its ``op`` and ``y``: a phase
    that loops over the spine, combining the operands left to right, handles a chain of any
    length (the parser does not count its links toward the nesting limit, as go/parser).
    """
    spine = [e]
    x = e.x
    while isinstance(x, BinaryExpr):
        spine.append(x)
        x = x.x
    spine.reverse()
    return spine


def else_chain(s: IfStmt) -> builtins.list[IfStmt]:
    """An ``if`` and the ``else if`` statements that follow it, in order; the last one's
    ``else_`` is a block or None (the parser does not count an ``else if`` toward the
    nesting limit, as go/parser: a phase loops over the chain)."""
    chain = [s]
    while isinstance(s.else_, IfStmt):
        s = s.else_
        chain.append(s)
    return chain


def type_specs(tree: File) -> Iterator[TypeSpec]:
    """The type specs of a file's top-level ``type`` declarations, in order."""
    for decl in tree.decls:
        if isinstance(decl, GenDecl) and decl.tok == "type":
            for spec in decl.specs:
                if isinstance(spec, TypeSpec):
                    yield spec


def has_bad(node: Node) -> bool:
    """Whether the tree under ``node`` holds a bad node (a part that did not parse)."""
    return any(isinstance(n, (BadExpr, BadStmt, BadDecl)) for n in walk(node))


def final_call(block: BlockStmt) -> CallExpr | None:
    """The call a block ends with, when its last statement is a call statement."""
    stmts = [s for s in block.list if not isinstance(s, EmptyStmt)]
    if not stmts or not isinstance(stmts[-1], ExprStmt):
        return None
    x = stmts[-1].x
    while isinstance(x, ParenExpr):
        x = x.x
    return x if isinstance(x, CallExpr) else None
