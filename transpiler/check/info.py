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


# (plain classes, not dataclasses: a dataclass is made when the module is loaded, on the path
# of every check, and the __init__ @dataclass writes is interpreted code even in the compiled
# build, which runs at each of the hundreds of thousands of operands a big file's check makes)
class Operand:
    """What an expression is: its type, what is known of nil, and its constant value."""

    __slots__ = ("guarded", "is_type", "multi", "null", "obj", "ref", "type", "value")

    def __init__(self, type: Type, null: Nullness = Nullness.ANY, value: object | None = None,
                 is_type: bool = False, ref: Ref | None = None, obj: Object | None = None,
                 multi: tuple[Operand, ...] = (), guarded: bool = True) -> None:
        self.type = type
        self.null = null
        self.value = value
        self.is_type = is_type
        self.ref = ref  # the reference it reads, for narrowing
        self.obj = obj
        self.multi = multi  # the results of a multi-value call
        self.guarded = guarded  # comma-ok: the value is non-nil when ok (false when it is itself nullable)

    def _fields(self) -> tuple[object, ...]:
        return (self.type, self.null, self.value, self.is_type, self.ref, self.obj, self.multi, self.guarded)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Operand) and self._fields() == other._fields()

    def __repr__(self) -> str:
        return (f"Operand(type={self.type!r}, null={self.null!r}, value={self.value!r}, is_type={self.is_type!r}, "
                f"ref={self.ref!r}, obj={self.obj!r}, multi={self.multi!r}, guarded={self.guarded!r})")


UNKNOWN_OP = Operand(UNKNOWN)


class FileInfo:
    """One file of the package checked: its parse, its tree, whether it is a ``.tgo`` file,
    and whether it is nil-checked (a .tgo file without //tgo:oblivious, or a strict stub)."""

    __slots__ = ("is_tgo", "result", "scope", "strict", "tree")

    def __init__(self, result: ParseResult, tree: ast.File, is_tgo: bool, strict: bool,
                 scope: Scope | None = None) -> None:
        self.result = result
        self.tree = tree
        self.is_tgo = is_tgo
        self.strict = strict
        self.scope = Scope(None) if scope is None else scope


SelectionKind = Literal["field", "method", "method-expr"]


class Selection:
    """``x.f`` where ``f`` is a field or method of ``x``'s type (go/types.Selection; a
    qualified identifier ``pkg.Name`` is no selection: ``Name`` is a use). A value."""

    __slots__ = ("indirect", "kind", "obj", "recv")

    def __init__(self, kind: SelectionKind, recv: Type, obj: Object, indirect: bool) -> None:
        self.kind = kind
        self.recv = recv  # the type of x (for a method expression, the type T of T.m)
        self.obj = obj  # the field's Var or the method's Func
        self.indirect = indirect  # a pointer is followed to reach f

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Selection) and (self.kind, self.recv, self.obj, self.indirect) == (
            other.kind, other.recv, other.obj, other.indirect)

    def __hash__(self) -> int:
        return hash((self.kind, self.recv, self.obj, self.indirect))

    def __repr__(self) -> str:
        return f"Selection(kind={self.kind!r}, recv={self.recv!r}, obj={self.obj!r}, indirect={self.indirect!r})"


class DeclPos:
    """Where an object is declared: the file and the character span of its name. A value."""

    __slots__ = ("end", "file", "start")

    def __init__(self, file: str, start: int, end: int) -> None:
        self.file = file
        self.start = start
        self.end = end

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DeclPos) and (self.file, self.start, self.end) == (other.file, other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.file, self.start, self.end))

    def __repr__(self) -> str:
        return f"DeclPos(file={self.file!r}, start={self.start!r}, end={self.end!r})"


class Info:
    """The checker's findings for one package (see the module docstring)."""

    __slots__ = ("decl_sites", "defs", "exhaustive", "files", "implicits", "pkg", "scopes", "selections",
                 "try_funcs", "try_results", "types", "uses")

    def __init__(self, pkg: Package, types: dict[ast.Expr, Operand] | None = None,
                 selections: dict[ast.SelectorExpr, Selection] | None = None,
                 scopes: dict[ast.Node, Scope] | None = None, uses: dict[ast.Ident, Object] | None = None,
                 files: dict[str, ast.File] | None = None) -> None:
        self.pkg = pkg  # the package checked (its scope holds the package-level objects)
        # recorded only when asked for (as go/types records Types only into a non-nil map): an
        # operand per expression is what an editor needs, and costs a plain check time (GC)
        self.types = types
        self.selections = selections
        self.scopes = scopes
        self.uses = uses
        self.defs: dict[ast.Ident, Object] = {}
        self.implicits: dict[ast.Node, Object] = {}
        # tgo's own: a ?'s call results and the function (signature, syntax) it returns from
        self.try_results: dict[ast.TryExpr, tuple[Type, ...]] = {}
        self.try_funcs: dict[ast.TryExpr, tuple[Signature, ast.FuncType | None]] = {}
        # switches over every member of an enum or variant of a union, without default
        self.exhaustive: set[ast.Stmt] = set()
        # the file each definition is in (an object -> its defining identifier and file name)
        self.decl_sites: dict[Object, tuple[ast.Ident, str]] = {}
        self.files: dict[str, ast.File] = {} if files is None else files

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
