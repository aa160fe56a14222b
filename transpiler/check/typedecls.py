"""Which enum and union declarations can be lowered (spec §3, §4): one rule for the checker and the lowering.

The lowering declares methods on an enum (its generated API) and on every variant of a
union (the union's marker method, spec §4), and Go declares methods only on defined types
of the package, declared at package level, whose underlying type is neither an interface
nor a pointer.  Hence:

* an enum or a union is declared at package level, not inside a function
  (``nested_type_specs``);
* an enum has a name (not ``_``), no member named ``_``, and its base type is an
  integer or string type (``enum_problem``);
* an existing variant of a union is a type declared in this package, or a pointer to
  one (``*Polygon``), not an alias, with an underlying type that can have methods; in a
  non-generic union it is not an instance of a generic type (``Box[int]``), and in a
  generic union it takes exactly the union's type parameters as its type arguments, in
  any order (``*Node[T]``), which become the receiver's (``existing_variant``).

(An enum with type parameters does not parse: it is a ``syntax`` error.)  The checker
reports what these functions find (``bad-enum``, ``bad-union``) at the node they name;
the lowering refuses the same declarations with the same messages (a ``LowerError``),
should it be asked to lower a package the checker rejected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from transpiler.diagnostics import codes
from transpiler.diagnostics import codes as M
from transpiler.syntax import ast
from transpiler.types.model import Basic, Interface, Named, Package, Pointer, Type, TypeName


@dataclass(frozen=True, slots=True, eq=False)
class Problem:
    """A declaration the lowering cannot make: the message, the node it is reported at, the fields."""

    message: codes.Message
    node: ast.Node
    fields: dict[str, object]

    def __str__(self) -> str:
        return self.message.format(**self.fields)


@dataclass(frozen=True, slots=True)
class ExistingVariant:
    """An existing variant as the marker method's receiver takes it: ``*Node[T]``."""

    pointer: bool
    name: str
    args: tuple[str, ...]  # the union's type parameters, in the order the variant takes them

    def receiver(self) -> str:
        t = f"{self.name}[{', '.join(self.args)}]" if self.args else self.name
        return "*" + t if self.pointer else t


def nested_type_specs(tree: ast.File, text: str) -> list[ast.TypeSpec]:
    """The enum and union type specs of a file that are not package-level declarations (so
    are in a function body or a function literal), in source order.  Only the top-level
    declarations whose source text holds ``enum`` or ``union`` are walked."""
    out: list[ast.TypeSpec] = []
    for decl in tree.decls:
        if text.find("enum", decl.pos, decl.end) < 0 and text.find("union", decl.pos, decl.end) < 0:
            continue
        top = {id(s) for s in decl.specs} if isinstance(decl, ast.GenDecl) and decl.tok == "type" else set()
        for node in ast.walk(decl):
            if isinstance(node, ast.TypeSpec) and isinstance(node.type, (ast.EnumType, ast.UnionType)) \
                    and id(node) not in top:
                out.append(node)
    return out


def type_param_names(spec: ast.TypeSpec) -> list[str]:
    """The names of a type declaration's type parameters, in order."""
    if spec.type_params is None:
        return []
    return [n.name for f in spec.type_params.list for n in f.names]


def nested_problem(spec: ast.TypeSpec) -> Problem:
    """The problem of an enum or union type spec that ``nested_type_specs`` found."""
    t = spec.type
    assert isinstance(t, (ast.EnumType, ast.UnionType))
    message = M.LOCAL_ENUM if isinstance(t, ast.EnumType) else M.LOCAL_UNION
    return Problem(message, t.keyword, {"name": spec.name.name})


def enum_problem(spec: ast.TypeSpec, pkg: Package, text: str) -> Problem | None:
    """Why the package-level enum ``spec`` of ``pkg`` cannot be lowered, as far as the checker
    knows it: it is named ``_``, a member is named ``_`` (the first is reported), or its base
    is not an integer or string type; None when it can.  ``text`` is the file's source."""
    t = spec.type
    assert isinstance(t, ast.EnumType)
    if spec.name.name == "_":
        return Problem(M.BLANK_ENUM, spec.name, {})
    for m in t.members:
        if m.name.name == "_":
            return Problem(M.BLANK_ENUM_MEMBER, m.name, {"name": spec.name.name})
    obj = pkg.scope.names.get(spec.name.name)
    if not isinstance(obj, TypeName) or obj.enum is None:
        return None
    u = obj.enum.base.underlying()
    if isinstance(u, Basic) and u.kind in ("int", "uint", "string"):
        return None
    node = t.base if t.base is not None else t.keyword
    return Problem(M.ENUM_BASE, node, {"name": spec.name.name, "base": text[node.pos:node.end]})


def existing_variant(t: ast.Expr, text: str, union: str, params: Sequence[str], pkg: Package) -> ExistingVariant | Problem:
    """The existing variant ``t`` (written ``text``) of the package-level union ``union`` of
    ``pkg`` with type parameters ``params``, or why it cannot be one."""

    def problem(message: codes.Message, **more: object) -> Problem:
        return Problem(message, t, {"variant": text, "union": union, **more})

    inner = _unparen(t)
    pointer = isinstance(inner, ast.StarExpr)
    if isinstance(inner, ast.StarExpr):
        inner = _unparen(inner.x)
    args: list[ast.Expr] = []
    if isinstance(inner, ast.IndexExpr):
        args = inner.indices
        inner = inner.x
    if isinstance(inner, ast.SelectorExpr):
        return problem(M.FOREIGN_VARIANT)
    if not isinstance(inner, ast.Ident) or inner.name in params:
        return problem(M.NOT_OWN_VARIANT)
    names = [a.name for a in args if isinstance(a, ast.Ident)]
    if args and not params:
        return problem(M.INSTANCE_VARIANT)
    if params and (len(names) != len(args) or sorted(names) != sorted(params)):
        return problem(M.VARIANT_TYPE_ARGS, params=", ".join(params))
    obj = pkg.scope.names.get(inner.name)
    if not isinstance(obj, TypeName) or obj.pkg is not pkg:
        return problem(M.NOT_OWN_VARIANT)
    if obj.is_alias:
        return problem(M.ALIAS_VARIANT)
    u = _underlying(obj)
    if isinstance(u, (Interface, Pointer)):
        return problem(M.METHODLESS_VARIANT, kind="an interface" if isinstance(u, Interface) else "a pointer")
    return ExistingVariant(pointer, inner.name, tuple(names))


def _unparen(e: ast.Expr) -> ast.Expr:
    while isinstance(e, ast.ParenExpr):
        e = e.x
    return e


def _underlying(obj: TypeName) -> Type:
    """The underlying type of a declared type, following ``type A B`` (a cycle, which Go
    rejects, ends where it closes)."""
    t = obj.underlying_type
    seen = {id(obj)}
    while isinstance(t, Named) and id(t.obj) not in seen:
        seen.add(id(t.obj))
        t = t.obj.underlying_type
    return t
