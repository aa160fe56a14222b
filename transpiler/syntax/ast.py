"""Syntax tree: the node classes of Go and tgo source, shaped after go/ast.

Every node has ``pos`` and ``end``: character offsets into the decoded source
text (``end`` exclusive).  ``SourceFile`` (source.py) turns them into lines,
byte columns and byte offsets, as go/token's FileSet does for token.Pos.
Fields are listed in source order, which the printer relies on.  Types are
expressions, as in go/ast: ``*T`` is a ``StarExpr`` whether it is a pointer
type or a dereference.  The tgo extensions add ``NullableType`` (``?T``),
``NonNilExpr`` (``x!``), ``TryExpr`` (``call?``, ``call ? "msg"``), and the
``EnumType`` and ``UnionType`` forms of a type declaration.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, TypeVar, dataclass_transform

from transpiler.syntax.scanner import Comment
from transpiler.syntax.walk import nodes

_C = TypeVar("_C", bound=type)


@dataclass_transform(eq_default=False)
def _node(cls: _C) -> _C:
    """Makes a node class like ``@dataclass(slots=True, eq=False)``, at a fraction of the import cost.

    The annotated fields become ``__slots__`` and ``__init__`` parameters, in
    order, after the base class's; ``_fields`` lists them all.  A class's
    ``__init__`` and ``kids`` are compiled when first called (compiling all of
    them took a third of a cold ``tgo parse``, which makes a few kinds of node).
    The class is made again from the decorated one's namespace by ``type`` itself, as
    a class statement without a metaclass makes it (a metaclass of its own, which
    this was, sends every ``isinstance`` with a node class down CPython's slow path:
    a look-up of ``__instancecheck__`` and a bound method made at each call, a fifth
    of the checker's time on the compiled build).
    """
    ns = {k: v for k, v in cls.__dict__.items() if k not in ("__dict__", "__weakref__")}
    annotations = {k: str(v) for k, v in ns.get("__annotations__", {}).items()}
    own = [k for k, v in annotations.items() if not v.startswith("ClassVar")]
    defaults = {k: ns.pop(k) for k in own if k in ns}
    ns["__slots__"] = tuple(own)
    bases = cls.__bases__
    inherited: tuple[str, ...] = ()
    for base in bases:
        inherited = getattr(base, "_fields", inherited)
    fields = inherited + tuple(own)
    made: Any = type(cls.__name__, bases, ns)
    made.__qualname__ = cls.__qualname__
    if own or "_fields" not in ns:
        made._fields = fields
        made.__init__ = _on_first_call(made, "__init__", lambda: _init_method(fields, defaults))
    kinds = dict(getattr(made, "_kinds", {}))
    kinds.update({k: _field_kind(annotations[k]) for k in own})
    made._kinds = kinds
    if "children" not in ns:
        walked = tuple(f for f in fields if kinds.get(f) != "leaf")
        made.kids = _on_first_call(made, "kids", lambda: _kids_method(walked, kinds))
    result: _C = made
    return result


def _on_first_call(cls: type, name: str, make: Callable[[], Any]) -> Any:
    """A method that, called once, puts ``make()`` in its place on ``cls`` and calls that."""

    def first_call(self: Any, *args: Any, **kwargs: Any) -> Any:
        method = make()
        setattr(cls, name, method)
        return method(self, *args, **kwargs)

    return first_call


def _init_method(fields: tuple[str, ...], defaults: dict[str, Any]) -> Any:
    """A class's ``__init__``: its fields as parameters, in order, with their defaults."""
    params = ", ".join(f"{f}=_d_{f}" if f in defaults else f for f in fields)
    body = "".join(f"\n    self.{f} = {f}" for f in fields) or "\n    pass"
    env = {f"_d_{k}": v for k, v in defaults.items()}
    exec(f"def __init__(self, {params}):{body}", env)
    return env["__init__"]


def _field_kind(annotation: str) -> str:
    """How a field holds nodes, from its annotation: ``leaf`` (a string, number, flag or
    comments: no node), ``list`` (a list of nodes, or None), ``node`` (a node, or None)."""
    a = annotation.split("#")[0].strip()
    if a.startswith(("str", "int", "bool", "ClassVar", "builtins.list[Comment]")):
        return "leaf"
    if a.startswith(("list[", "builtins.list[")):
        return "list"
    return "node"


def _kids_method(fields: tuple[str, ...], kinds: dict[str, str]) -> Any:
    """A class's ``kids``: its child nodes as a list, made from its fields' kinds (as fast as
    code written by hand for each class: ``walk`` calls it for every node)."""
    lines = ["def kids(self):", "    out = []"]
    for f in fields:
        if f in ("pos", "end"):
            continue
        if kinds.get(f) == "list":
            lines += [f"    v = self.{f}", "    if v:", "        out.extend([x for x in v if x is not None])"]
        else:
            lines += [f"    v = self.{f}", "    if v is not None:", "        out.append(v)"]
    lines.append("    return out")
    env: dict[str, Any] = {}
    exec("\n".join(lines), env)
    return env["kids"]


@_node
class Node:
    _fields: ClassVar[tuple[str, ...]]
    _kinds: ClassVar[dict[str, str]]
    pos: int
    end: int

    def kids(self) -> builtins.list[Node]:
        """The direct child nodes, in source order, as a new list (made for each class from
        its fields' annotations by ``_node``)."""
        raise NotImplementedError  # replaced in every class

    def children(self) -> Iterator[Node]:
        """The direct child nodes, in source order."""
        return iter(self.kids())

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({inner})"


@_node
class Expr(Node):
    pass


@_node
class Stmt(Node):
    pass


@_node
class Decl(Node):
    pass


# ------------------------------------------------------------- expressions --


@_node
class BadExpr(Expr):
    """Where an expression did not parse (the parser reported it): its type is unknown."""


@_node
class Ident(Expr):
    name: str


@_node
class BasicLit(Expr):
    kind: str  # INT FLOAT IMAG CHAR STRING
    value: str


@_node
class CompositeLit(Expr):
    type: Expr | None  # None for an elided type inside another literal
    elts: list[Expr]
    lbrace: int


@_node
class KeyValueExpr(Expr):
    key: Expr
    value: Expr


@_node
class FuncLit(Expr):
    type: FuncType
    body: BlockStmt


@_node
class ParenExpr(Expr):
    x: Expr


@_node
class SelectorExpr(Expr):
    x: Expr
    sel: Ident


@_node
class IndexExpr(Expr):
    """``x[i]``, and ``x[A, B]`` for generic instantiations (go/ast's IndexListExpr)."""

    x: Expr
    indices: list[Expr]


@_node
class SliceExpr(Expr):
    x: Expr
    low: Expr | None
    high: Expr | None
    max: Expr | None
    slice3: bool


@_node
class TypeAssertExpr(Expr):
    x: Expr
    type: Expr | None  # None for x.(type)


@_node
class CallExpr(Expr):
    fun: Expr
    args: list[Expr]
    ellipsis: int  # offset of "...", or -1


@_node
class StarExpr(Expr):
    x: Expr


@_node
class UnaryExpr(Expr):
    op: str
    x: Expr


@_node
class BinaryExpr(Expr):
    x: Expr
    op: str
    y: Expr


@_node
class NonNilExpr(Expr):
    """tgo: ``x!``, the programmer's word that x is not nil."""

    x: Expr


@_node
class TryExpr(Expr):
    """tgo: ``call?`` or ``call ? "msg"``: propagate the call's error."""

    x: Expr
    msg: BasicLit | None


# ------------------------------------------------------------------- types --


@_node
class ArrayType(Expr):
    """``[N]T``, ``[...]T`` (len is an ``Ellipsis``) or the slice type ``[]T`` (len None)."""

    len: Expr | None
    elt: Expr


@_node
class Ellipsis(Expr):
    """``...`` as an array length, or ``...T`` as a variadic parameter type."""

    elt: Expr | None


@_node
class MapType(Expr):
    key: Expr
    value: Expr


SEND = 1
RECV = 2


@_node
class ChanType(Expr):
    dir: int  # SEND | RECV, or both
    value: Expr


@_node
class Field(Node):
    """A struct field, parameter, result, or interface element."""

    names: list[Ident]
    type: Expr
    tag: BasicLit | None = None


@_node
class FieldList(Node):
    """A parenthesized or braced list of fields; ``pos``/``end`` include the brackets."""

    list: list[Field]


@_node
class FuncType(Expr):
    type_params: FieldList | None
    params: FieldList
    results: FieldList | None


@_node
class StructType(Expr):
    fields: FieldList


@_node
class InterfaceType(Expr):
    """Methods are Fields with one name and a FuncType; embedded elements have no names."""

    methods: FieldList


@_node
class NullableType(Expr):
    """tgo: ``?T``, a pointer, map, channel, function or interface type that may be nil."""

    x: Expr


@_node
class EnumMember(Node):
    name: Ident
    value: Expr | None


@_node
class EnumType(Expr):
    """tgo: ``enum [Base] { A; B = v }`` as the type of a type declaration."""

    keyword: Ident
    base: Expr | None
    members: list[EnumMember]


@_node
class UnionVariant(Node):
    """A union variant: a new struct type ``Name{fields}`` or an existing type."""

    name: Ident | None  # set for a new variant type
    fields: FieldList | None  # set for a new variant type
    type: Expr | None  # set for an existing type


@_node
class UnionType(Expr):
    """tgo: ``union { Circle{R float64}; *Polygon }`` as the type of a type declaration."""

    keyword: Ident
    variants: list[UnionVariant]


# -------------------------------------------------------------- statements --


@_node
class BadStmt(Stmt):
    """Where a statement did not parse (the parser reported it, or the checker did not check it)."""


@_node
class DeclStmt(Stmt):
    decl: GenDecl


@_node
class EmptyStmt(Stmt):
    implicit: bool


@_node
class LabeledStmt(Stmt):
    label: Ident
    stmt: Stmt


@_node
class ExprStmt(Stmt):
    x: Expr


@_node
class SendStmt(Stmt):
    chan: Expr
    value: Expr


@_node
class IncDecStmt(Stmt):
    x: Expr
    tok: str


@_node
class AssignStmt(Stmt):
    lhs: list[Expr]
    tok: str  # = := += ...
    rhs: list[Expr]


@_node
class GoStmt(Stmt):
    call: Expr


@_node
class DeferStmt(Stmt):
    call: Expr


@_node
class ReturnStmt(Stmt):
    results: list[Expr]


@_node
class BranchStmt(Stmt):
    tok: str  # break continue goto fallthrough
    label: Ident | None


@_node
class BlockStmt(Stmt):
    list: list[Stmt]


@_node
class IfStmt(Stmt):
    init: Stmt | None
    cond: Expr
    body: BlockStmt
    else_: Stmt | None


@_node
class CaseClause(Stmt):
    list: builtins.list[Expr] | None  # None for default
    body: builtins.list[Stmt]


@_node
class SwitchStmt(Stmt):
    init: Stmt | None
    tag: Expr | None
    body: BlockStmt  # of CaseClause


@_node
class TypeSwitchStmt(Stmt):
    init: Stmt | None
    assign: Stmt  # x := y.(type) or y.(type)
    body: BlockStmt  # of CaseClause


@_node
class CommClause(Stmt):
    comm: Stmt | None  # None for default
    body: list[Stmt]


@_node
class SelectStmt(Stmt):
    body: BlockStmt  # of CommClause


@_node
class ForStmt(Stmt):
    init: Stmt | None
    cond: Expr | None
    post: Stmt | None
    body: BlockStmt


@_node
class RangeStmt(Stmt):
    key: Expr | None
    value: Expr | None
    tok: str  # "", "=" or ":="
    x: Expr
    body: BlockStmt


# ------------------------------------------------------------ declarations --


@_node
class ImportSpec(Node):
    name: Ident | None
    path: BasicLit


@_node
class ValueSpec(Node):
    names: list[Ident]
    type: Expr | None
    values: list[Expr]


@_node
class TypeSpec(Node):
    name: Ident
    type_params: FieldList | None
    assign: bool  # an alias: type A = B
    type: Expr


Spec = ImportSpec | ValueSpec | TypeSpec


@_node
class BadDecl(Decl):
    """Where a declaration did not parse (the parser reported it): it declares nothing."""


@_node
class GenDecl(Decl):
    tok: str  # import const type var
    specs: list[Spec]
    lparen: int  # offset of "(", or -1


@_node
class FuncDecl(Decl):
    recv: FieldList | None
    name: Ident
    type: FuncType
    body: BlockStmt | None


@_node
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
