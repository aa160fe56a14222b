"""Recorded type information, as go/types' ``Info``: what the checker found, filled once, for the lowering and editors.

The checker (checker.py, flowcheck.py) fills one ``Info`` per package while it
checks: the ``Operand`` of every expression it evaluated (type, constant value,
nullness where the last evaluation left it, the object it names), the object
each identifier defines or uses, implicit objects (a type switch clause's
variable, an unnamed import's package name), selections (``x.f``: field,
method or method expression, the receiver type, whether a pointer is followed),
scopes, and the facts only tgo has (a ``?``'s call results and the function it
returns from, the switches counted exhaustive).  Nodes are keys by identity
(the syntax nodes compare by identity), as go/types keys by pointer: an
``Info`` is valid while its trees live.

The queries an editor needs sit on top: the path of nodes enclosing an offset
(go/ast/astutil's PathEnclosingInterval), the identifier at an offset, the type
and object of an expression, and where an object is declared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from transpiler.check.facts import Nullness, Ref
from transpiler.syntax import ParseResult, ast
from transpiler.types.model import (
    UNKNOWN,
    Const,
    Func,
    Object,
    Package,
    Scope,
    Signature,
    Type,
    Var,
)


@dataclass(slots=True)
class Operand:
    """What an expression is: its type, what is known of nil, and its constant value."""

    type: Type
    null: Nullness = Nullness.ANY
    value: object | None = None
    is_type: bool = False
    ref: Ref | None = None  # the reference it reads, for narrowing
    obj: Object | None = None
    multi: tuple[Operand, ...] = ()  # the results of a multi-value call
    guarded: bool = True  # comma-ok: the value is non-nil when ok (false when it is itself nullable)

    # (written out: the __init__ @dataclass writes is interpreted code, which the compiled
    # build runs at each of the hundreds of thousands of operands a big file's check made; this one is compiled)
    def __init__(self, type: Type, null: Nullness = Nullness.ANY, value: object | None = None,
                 is_type: bool = False, ref: Ref | None = None, obj: Object | None = None,
                 multi: tuple[Operand, ...] = (), guarded: bool = True) -> None:
        self.type = type
        self.null = null
        self.value = value
        self.is_type = is_type
        self.ref = ref
        self.obj = obj
        self.multi = multi
        self.guarded = guarded


UNKNOWN_OP = Operand(UNKNOWN)


@dataclass(slots=True)
class FileInfo:
    result: ParseResult
    tree: ast.File
    is_tgo: bool
    strict: bool  # nil-checked: a .tgo file without //tgo:oblivious, or a strict stub
    scope: Scope = field(default_factory=lambda: Scope(None))

SelectionKind = Literal["field", "method", "method-expr"]


@dataclass(frozen=True, slots=True)
class Selection:
    """``x.f`` where ``f`` is a field or method of ``x``'s type (go/types.Selection; a
    qualified identifier ``pkg.Name`` is no selection: ``Name`` is a use)."""

    kind: SelectionKind
    recv: Type  # the type of x (for a method expression, the type T of T.m)
    obj: Object  # the field's Var or the method's Func
    indirect: bool  # a pointer is followed to reach f


@dataclass(frozen=True, slots=True)
class DeclPos:
    """Where an object is declared: the file and the character span of its name."""

    file: str
    start: int
    end: int


@dataclass(slots=True)
class Info:
    """The checker's findings for one package (see the module docstring)."""

    pkg: Package  # the package checked (its scope holds the package-level objects)
    # recorded only when asked for (as go/types records Types only into a non-nil map): an
    # operand per expression is what an editor needs, and costs a plain check time (GC)
    types: dict[ast.Expr, Operand] | None = None
    selections: dict[ast.SelectorExpr, Selection] | None = None
    scopes: dict[ast.Node, Scope] | None = None
    uses: dict[ast.Ident, Object] | None = None
    defs: dict[ast.Ident, Object] = field(default_factory=dict)
    implicits: dict[ast.Node, Object] = field(default_factory=dict)
    # tgo's own: a ?'s call results and the function (signature, syntax) it returns from
    try_results: dict[ast.TryExpr, tuple[Type, ...]] = field(default_factory=dict)
    try_funcs: dict[ast.TryExpr, tuple[Signature, ast.FuncType | None]] = field(default_factory=dict)
    # switches over every member of an enum or variant of a union, without default
    exhaustive: set[ast.Stmt] = field(default_factory=set)
    # the file each definition is in (an object -> its defining identifier and file name)
    decl_sites: dict[Object, tuple[ast.Ident, str]] = field(default_factory=dict)
    files: dict[str, ast.File] = field(default_factory=dict)

    @classmethod
    def recording(cls, pkg: Package, files: dict[str, ast.File]) -> Info:
        """An Info that records types, selections, scopes and uses too."""
        return cls(pkg, {}, {}, {}, {}, files=files)

    # ------------------------------------------------------------ recording

    def define(self, ident: ast.Ident, obj: Object, file: str) -> None:
        """``ident`` declares ``obj`` in ``file``."""
        self.defs[ident] = obj
        self.decl_sites.setdefault(obj, (ident, file))

    # ------------------------------------------------------------- queries

    def type_of(self, e: ast.Expr) -> Type | None:
        """The type of an expression (a type expression's denoted type), or None when the
        checker did not evaluate it."""
        op = self.types.get(e) if self.types is not None else None
        if op is not None:
            return op.type
        if isinstance(e, ast.Ident):
            obj = self.object_of(e)  # a defining name, a store's target: its object's type
            if isinstance(obj, (Var, Const)):
                return obj.type
            if isinstance(obj, Func):
                return obj.sig
        return None

    def object_of(self, ident: ast.Ident) -> Object | None:
        """The object an identifier defines or uses (None for ``_``, labels, and names
        the checker could not resolve)."""
        obj = self.defs.get(ident)
        return obj if obj is not None or self.uses is None else self.uses.get(ident)

    def definition(self, ident: ast.Ident) -> DeclPos | None:
        """Where the object ``ident`` names is declared, when in this package."""
        obj = self.object_of(ident)
        if obj is None:
            return None
        site = self.decl_sites.get(obj)
        if site is None:
            return None
        name, file = site
        return DeclPos(file, name.pos, name.end)

    def path_at(self, file: str, start: int, end: int | None = None) -> list[ast.Node]:
        """The nodes of ``file`` enclosing the interval [start, end), outermost first, as
        astutil.PathEnclosingInterval (the innermost is last; empty when the file is unknown
        or the interval lies outside it)."""
        tree = self.files.get(file)
        if end is None:
            end = start
        if tree is None or not (tree.pos <= start <= end <= tree.end):
            return []
        path: list[ast.Node] = [tree]
        node: ast.Node = tree
        while True:
            for child in node.children():
                if child.pos <= start and end <= child.end and (child.pos < child.end or child.pos == start):
                    path.append(child)
                    node = child
                    break
            else:
                return path

    def node_at(self, file: str, offset: int) -> ast.Node | None:
        """The innermost node of ``file`` holding ``offset``."""
        path = self.path_at(file, offset)
        return path[-1] if path else None

    def ident_at(self, file: str, offset: int) -> ast.Ident | None:
        """The identifier at ``offset`` (also just after its last character, where an
        editor's cursor stands after typing it)."""
        for off in (offset, offset - 1):
            node = self.node_at(file, off)
            if isinstance(node, ast.Ident):
                return node
        return None
