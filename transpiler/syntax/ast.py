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
from collections.abc import Iterator
from dataclasses import dataclass, field, fields

from transpiler.syntax.scanner import Comment


@dataclass(slots=True, eq=False)
class Node:
    pos: int
    end: int

    def children(self) -> Iterator[Node]:
        """The direct child nodes, in source order."""
        for f in fields(self):
            if f.name in ("pos", "end"):
                continue
            value = getattr(self, f.name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, Node):
                        yield item


class Expr(Node):
    __slots__ = ()


class Stmt(Node):
    __slots__ = ()


class Decl(Node):
    __slots__ = ()


# ------------------------------------------------------------- expressions --


@dataclass(slots=True, eq=False)
class Ident(Expr):
    name: str


@dataclass(slots=True, eq=False)
class BasicLit(Expr):
    kind: str  # INT FLOAT IMAG CHAR STRING
    value: str


@dataclass(slots=True, eq=False)
class CompositeLit(Expr):
    type: Expr | None  # None for an elided type inside another literal
    elts: list[Expr]
    lbrace: int


@dataclass(slots=True, eq=False)
class KeyValueExpr(Expr):
    key: Expr
    value: Expr


@dataclass(slots=True, eq=False)
class FuncLit(Expr):
    type: FuncType
    body: BlockStmt


@dataclass(slots=True, eq=False)
class ParenExpr(Expr):
    x: Expr


@dataclass(slots=True, eq=False)
class SelectorExpr(Expr):
    x: Expr
    sel: Ident


@dataclass(slots=True, eq=False)
class IndexExpr(Expr):
    """``x[i]``, and ``x[A, B]`` for generic instantiations (go/ast's IndexListExpr)."""

    x: Expr
    indices: list[Expr]


@dataclass(slots=True, eq=False)
class SliceExpr(Expr):
    x: Expr
    low: Expr | None
    high: Expr | None
    max: Expr | None
    slice3: bool


@dataclass(slots=True, eq=False)
class TypeAssertExpr(Expr):
    x: Expr
    type: Expr | None  # None for x.(type)


@dataclass(slots=True, eq=False)
class CallExpr(Expr):
    fun: Expr
    args: list[Expr]
    ellipsis: int  # offset of "...", or -1


@dataclass(slots=True, eq=False)
class StarExpr(Expr):
    x: Expr


@dataclass(slots=True, eq=False)
class UnaryExpr(Expr):
    op: str
    x: Expr


@dataclass(slots=True, eq=False)
class BinaryExpr(Expr):
    x: Expr
    op: str
    y: Expr


@dataclass(slots=True, eq=False)
class NonNilExpr(Expr):
    """tgo: ``x!``, the programmer's word that x is not nil."""

    x: Expr


@dataclass(slots=True, eq=False)
class TryExpr(Expr):
    """tgo: ``call?`` or ``call ? "msg"``: propagate the call's error."""

    x: Expr
    msg: BasicLit | None


# ------------------------------------------------------------------- types --


@dataclass(slots=True, eq=False)
class ArrayType(Expr):
    """``[N]T``, ``[...]T`` (len is an ``Ellipsis``) or the slice type ``[]T`` (len None)."""

    len: Expr | None
    elt: Expr


@dataclass(slots=True, eq=False)
class Ellipsis(Expr):
    """``...`` as an array length, or ``...T`` as a variadic parameter type."""

    elt: Expr | None


@dataclass(slots=True, eq=False)
class MapType(Expr):
    key: Expr
    value: Expr


SEND = 1
RECV = 2


@dataclass(slots=True, eq=False)
class ChanType(Expr):
    dir: int  # SEND | RECV, or both
    value: Expr


@dataclass(slots=True, eq=False)
class Field(Node):
    """A struct field, parameter, result, or interface element."""

    names: list[Ident]
    type: Expr
    tag: BasicLit | None = None


@dataclass(slots=True, eq=False)
class FieldList(Node):
    """A parenthesized or braced list of fields; ``pos``/``end`` include the brackets."""

    list: list[Field]


@dataclass(slots=True, eq=False)
class FuncType(Expr):
    type_params: FieldList | None
    params: FieldList
    results: FieldList | None


@dataclass(slots=True, eq=False)
class StructType(Expr):
    fields: FieldList


@dataclass(slots=True, eq=False)
class InterfaceType(Expr):
    """Methods are Fields with one name and a FuncType; embedded elements have no names."""

    methods: FieldList


@dataclass(slots=True, eq=False)
class NullableType(Expr):
    """tgo: ``?T``, a pointer, map, channel, function or interface type that may be nil."""

    x: Expr


@dataclass(slots=True, eq=False)
class EnumMember(Node):
    name: Ident
    value: Expr | None


@dataclass(slots=True, eq=False)
class EnumType(Expr):
    """tgo: ``enum [Base] { A; B = v }`` as the type of a type declaration."""

    keyword: Ident
    base: Expr | None
    members: list[EnumMember]


@dataclass(slots=True, eq=False)
class UnionVariant(Node):
    """A union variant: a new struct type ``Name{fields}`` or an existing type."""

    name: Ident | None  # set for a new variant type
    fields: FieldList | None  # set for a new variant type
    type: Expr | None  # set for an existing type


@dataclass(slots=True, eq=False)
class UnionType(Expr):
    """tgo: ``union { Circle{R float64}; *Polygon }`` as the type of a type declaration."""

    keyword: Ident
    variants: list[UnionVariant]


# -------------------------------------------------------------- statements --


@dataclass(slots=True, eq=False)
class BadStmt(Stmt):
    pass


@dataclass(slots=True, eq=False)
class DeclStmt(Stmt):
    decl: GenDecl


@dataclass(slots=True, eq=False)
class EmptyStmt(Stmt):
    implicit: bool


@dataclass(slots=True, eq=False)
class LabeledStmt(Stmt):
    label: Ident
    stmt: Stmt


@dataclass(slots=True, eq=False)
class ExprStmt(Stmt):
    x: Expr


@dataclass(slots=True, eq=False)
class SendStmt(Stmt):
    chan: Expr
    value: Expr


@dataclass(slots=True, eq=False)
class IncDecStmt(Stmt):
    x: Expr
    tok: str


@dataclass(slots=True, eq=False)
class AssignStmt(Stmt):
    lhs: list[Expr]
    tok: str  # = := += ...
    rhs: list[Expr]


@dataclass(slots=True, eq=False)
class GoStmt(Stmt):
    call: Expr


@dataclass(slots=True, eq=False)
class DeferStmt(Stmt):
    call: Expr


@dataclass(slots=True, eq=False)
class ReturnStmt(Stmt):
    results: list[Expr]


@dataclass(slots=True, eq=False)
class BranchStmt(Stmt):
    tok: str  # break continue goto fallthrough
    label: Ident | None


@dataclass(slots=True, eq=False)
class BlockStmt(Stmt):
    list: list[Stmt]


@dataclass(slots=True, eq=False)
class IfStmt(Stmt):
    init: Stmt | None
    cond: Expr
    body: BlockStmt
    else_: Stmt | None


@dataclass(slots=True, eq=False)
class CaseClause(Stmt):
    list: builtins.list[Expr] | None  # None for default
    body: builtins.list[Stmt]


@dataclass(slots=True, eq=False)
class SwitchStmt(Stmt):
    init: Stmt | None
    tag: Expr | None
    body: BlockStmt  # of CaseClause


@dataclass(slots=True, eq=False)
class TypeSwitchStmt(Stmt):
    init: Stmt | None
    assign: Stmt  # x := y.(type) or y.(type)
    body: BlockStmt  # of CaseClause


@dataclass(slots=True, eq=False)
class CommClause(Stmt):
    comm: Stmt | None  # None for default
    body: list[Stmt]


@dataclass(slots=True, eq=False)
class SelectStmt(Stmt):
    body: BlockStmt  # of CommClause


@dataclass(slots=True, eq=False)
class ForStmt(Stmt):
    init: Stmt | None
    cond: Expr | None
    post: Stmt | None
    body: BlockStmt


@dataclass(slots=True, eq=False)
class RangeStmt(Stmt):
    key: Expr | None
    value: Expr | None
    tok: str  # "", "=" or ":="
    x: Expr
    body: BlockStmt


# ------------------------------------------------------------ declarations --


@dataclass(slots=True, eq=False)
class ImportSpec(Node):
    name: Ident | None
    path: BasicLit


@dataclass(slots=True, eq=False)
class ValueSpec(Node):
    names: list[Ident]
    type: Expr | None
    values: list[Expr]


@dataclass(slots=True, eq=False)
class TypeSpec(Node):
    name: Ident
    type_params: FieldList | None
    assign: bool  # an alias: type A = B
    type: Expr


Spec = ImportSpec | ValueSpec | TypeSpec


@dataclass(slots=True, eq=False)
class GenDecl(Decl):
    tok: str  # import const type var
    specs: list[Spec]
    lparen: int  # offset of "(", or -1


@dataclass(slots=True, eq=False)
class FuncDecl(Decl):
    recv: FieldList | None
    name: Ident
    type: FuncType
    body: BlockStmt | None


@dataclass(slots=True, eq=False)
class File(Node):
    package: Ident
    imports: list[GenDecl]
    decls: list[Decl]
    comments: list[Comment] = field(default_factory=list)

    def children(self) -> Iterator[Node]:
        yield self.package
        yield from self.imports
        yield from self.decls


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree under ``node``, parents before children, iteratively."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        kids = list(n.children())
        kids.reverse()
        stack.extend(kids)
