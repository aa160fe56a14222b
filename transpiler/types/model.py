"""The type model: Go's types, tgo's nullability, objects and scopes.

Shaped after go/types, cut down to what the gradual checker needs.  A type
that cannot be worked out is ``UNKNOWN``, and anything about an unknown type
is never reported.  Reference types (pointer, map, channel, function,
interface, and named types over them) carry a ``Null`` mark: ``NONNIL`` and
``NULLABLE`` where a ``.tgo`` file or a strict stub wrote the type, ``ANY``
where the type came from plain Go, an oblivious file or a loose stub.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transpiler.syntax import ast


class Null(enum.Enum):
    NONNIL = "nonnil"
    NULLABLE = "nullable"
    ANY = "any"  # unknown nullability: never reported


class Type:
    """Base of all types."""

    __slots__ = ()

    def underlying(self) -> Type:
        return self


class UnknownType(Type):
    __slots__ = ()

    def __repr__(self) -> str:
        return "unknown"


UNKNOWN = UnknownType()


class Basic(Type):
    __slots__ = ("kind", "name", "untyped")

    def __init__(self, name: str, kind: str, untyped: bool = False) -> None:
        self.name = name
        self.kind = kind  # bool int uint float complex string unsafeptr nil
        self.untyped = untyped

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Basic) or type(other) is not type(self):
            return NotImplemented
        return (self.name, self.kind, self.untyped) == (other.name, other.kind, other.untyped)

    def __hash__(self) -> int:
        return hash((self.name, self.kind, self.untyped))

    def __repr__(self) -> str:
        return self.name


class Pointer(Type):
    __slots__ = ("elem", "null")

    def __init__(self, elem: Type, null: Null = Null.ANY) -> None:
        self.elem = elem
        self.null = null

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Pointer) or type(other) is not type(self):
            return NotImplemented
        return (self.elem, self.null) == (other.elem, other.null)

    def __hash__(self) -> int:
        return hash((self.elem, self.null))

    def __repr__(self) -> str:
        return f"{'?' if self.null is Null.NULLABLE else ''}*{self.elem!r}"


class Slice(Type):
    __slots__ = ("elem",)

    def __init__(self, elem: Type) -> None:
        self.elem = elem

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Slice) or type(other) is not type(self):
            return NotImplemented
        return (self.elem,) == (other.elem,)

    def __hash__(self) -> int:
        return hash((self.elem,))

    def __repr__(self) -> str:
        return f"[]{self.elem!r}"


class Array(Type):
    __slots__ = ("elem", "length")

    def __init__(self, length: int | None, elem: Type) -> None:
        self.length = length
        self.elem = elem

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Array) or type(other) is not type(self):
            return NotImplemented
        return (self.length, self.elem) == (other.length, other.elem)

    def __hash__(self) -> int:
        return hash((self.length, self.elem))

    def __repr__(self) -> str:
        return f"[{'' if self.length is None else self.length}]{self.elem!r}"


class Map(Type):
    __slots__ = ("elem", "key", "null")

    def __init__(self, key: Type, elem: Type, null: Null = Null.ANY) -> None:
        self.key = key
        self.elem = elem
        self.null = null

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Map) or type(other) is not type(self):
            return NotImplemented
        return (self.key, self.elem, self.null) == (other.key, other.elem, other.null)

    def __hash__(self) -> int:
        return hash((self.key, self.elem, self.null))

    def __repr__(self) -> str:
        return f"{'?' if self.null is Null.NULLABLE else ''}map[{self.key!r}]{self.elem!r}"


class Chan(Type):
    __slots__ = ("dir", "elem", "null")

    def __init__(self, dir: int, elem: Type, null: Null = Null.ANY) -> None:
        self.dir = dir  # 1 send, 2 recv, 3 both
        self.elem = elem
        self.null = null

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Chan) or type(other) is not type(self):
            return NotImplemented
        return (self.dir, self.elem, self.null) == (other.dir, other.elem, other.null)

    def __hash__(self) -> int:
        return hash((self.dir, self.elem, self.null))

    def __repr__(self) -> str:
        q = "?" if self.null is Null.NULLABLE else ""
        return q + {1: "chan<- ", 2: "<-chan ", 3: "chan "}[self.dir] + repr(self.elem)


class Var:
    """A variable, parameter, result or struct field."""

    # origin: the declared variable this one is an instance of, its type parameters substituted
    # (``substitute``: a parameter of ``New[int]``, a field of ``L[K, V]``); None for a declared one
    __slots__ = ("decl", "embedded", "name", "origin", "pkg", "type")

    def __init__(self, name: str, type: Type, embedded: bool = False, decl: ast.Node | None = None,
                 pkg: Package | None = None, origin: Var | None = None) -> None:
        self.name = name
        self.type = type
        self.embedded = embedded
        self.decl = decl
        self.pkg = pkg
        self.origin = origin

    @property
    def declared(self) -> Var:
        """The declared variable: this one, or the one it is an instance of."""
        return self.origin or self

    def __repr__(self) -> str:
        return f"var {self.name} {self.type!r}"


class Signature(Type):
    __slots__ = ("null", "params", "recv", "results", "type_params", "variadic")

    def __init__(self, params: tuple[Var, ...], results: tuple[Var, ...], variadic: bool = False,
                 null: Null = Null.ANY, type_params: tuple[TypeParam, ...] = (), recv: Var | None = None) -> None:
        self.params = params
        self.results = results
        self.variadic = variadic
        self.null = null
        self.type_params = type_params
        self.recv = recv

    def __repr__(self) -> str:
        """As Go writes the type: ``?func(int, ...string) T``, ``func() (T, error)``."""
        ps = [repr(p.type) for p in self.params]
        last = self.params[-1].type if self.params else None
        if self.variadic and isinstance(last, Slice):
            ps[-1] = "..." + repr(last.elem)
        rs = ", ".join(repr(r.type) for r in self.results)
        q = "?" if self.null is Null.NULLABLE else ""
        return f"{q}func({', '.join(ps)})" + ("" if not self.results else f" {rs}" if len(self.results) == 1
                                             else f" ({rs})")


class Struct(Type):
    __slots__ = ("fields",)

    def __init__(self, fields: tuple[Var, ...]) -> None:
        self.fields = fields

    def field(self, name: str) -> Var | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None

    def __repr__(self) -> str:
        return "struct{" + "; ".join(f"{f.name} {f.type!r}" for f in self.fields) + "}"


class Interface(Type):
    __slots__ = ("embedded", "is_constraint", "methods", "null")

    def __init__(self, methods: tuple[Func, ...], embedded: tuple[Type, ...] = (), null: Null = Null.ANY,
                 is_constraint: bool = False) -> None:
        self.methods = methods
        self.embedded = embedded
        self.null = null
        self.is_constraint = is_constraint  # has type terms: not a value type

    def all_methods(self) -> dict[str, Func]:
        out: dict[str, Func] = {}
        for e in self.embedded:
            u = e.underlying()
            if isinstance(u, Interface):
                out.update(u.all_methods())
        for m in self.methods:
            out[m.name] = m
        return out

    def __repr__(self) -> str:
        return "interface{" + "; ".join(m.name for m in self.methods) + "}"


class Tuple(Type):
    __slots__ = ("types",)

    def __init__(self, types: tuple[Type, ...]) -> None:
        self.types = types

    def __repr__(self) -> str:
        return "(" + ", ".join(map(repr, self.types)) + ")"


class TypeParam(Type):
    __slots__ = ("constraint", "name")

    def __init__(self, name: str, constraint: Type = UNKNOWN) -> None:
        self.name = name
        self.constraint = constraint

    def __repr__(self) -> str:
        return self.name


class EnumInfo:
    __slots__ = ("base", "members")

    def __init__(self, members: list[Const], base: Type) -> None:
        self.members = members
        self.base = base

    def __repr__(self) -> str:
        return f"EnumInfo(members={self.members!r}, base={self.base!r})"


class UnionInfo:
    __slots__ = ("variants",)

    def __init__(self, variants: list[Type]) -> None:
        self.variants = variants  # Named (new variants) or the existing types as written

    def __repr__(self) -> str:
        return f"UnionInfo(variants={self.variants!r})"


class TypeName:
    """A declared type: its underlying type, methods, and tgo enum/union facts."""

    __slots__ = (
        "decl",
        "enum",
        "is_alias",
        "methods",
        "name",
        "owner",
        "pkg",
        "resolving",
        "type_params",
        "underlying_type",
        "union",
    )

    def __init__(self, name: str, pkg: Package | None, underlying_type: Type = UNKNOWN,
                 methods: dict[str, Func] | None = None, type_params: tuple[TypeParam, ...] = (),
                 enum: EnumInfo | None = None, union: UnionInfo | None = None, decl: ast.Node | None = None,
                 resolving: bool = False, is_alias: bool = False, owner: object | None = None) -> None:
        self.name = name
        self.pkg = pkg
        self.underlying_type = underlying_type
        self.methods: dict[str, Func] = {} if methods is None else methods
        self.type_params = type_params
        self.enum = enum
        self.union = union
        self.decl = decl
        self.resolving = resolving
        self.is_alias = is_alias
        self.owner = owner  # the checker that declared it, which resolves it on demand

    def __repr__(self) -> str:
        return f"type {self.name}"


class Named(Type):
    __slots__ = ("null", "obj", "targs")

    def __init__(self, obj: TypeName, targs: tuple[Type, ...] = (), null: Null = Null.ANY) -> None:
        self.obj = obj
        self.targs = targs
        self.null = null

    def underlying(self) -> Type:
        u = self.obj.underlying_type
        if self.targs and self.obj.type_params:
            return substitute(u, dict(zip(self.obj.type_params, self.targs, strict=False)))
        # follow `type A B` chains; an invalid cycle (`type A B; type B A`, which go build
        # reports) has no underlying type
        seen = [self.obj]
        while isinstance(u, Named) and not (u.targs and u.obj.type_params):
            if any(u.obj is o for o in seen):
                return UNKNOWN
            seen.append(u.obj)
            u = u.obj.underlying_type
        return u.underlying() if isinstance(u, Named) else u

    def with_null(self, null: Null) -> Named:
        return Named(self.obj, self.targs, null)

    def __repr__(self) -> str:
        q = "?" if self.null is Null.NULLABLE else ""
        pkg = f"{self.obj.pkg.name}." if self.obj.pkg is not None and self.obj.pkg.path else ""
        args = "[" + ", ".join(map(repr, self.targs)) + "]" if self.targs else ""
        return f"{q}{pkg}{self.obj.name}{args}"


class Const:
    __slots__ = ("decl", "name", "pkg", "type", "value")

    def __init__(self, name: str, type: Type, value: object | None = None, decl: ast.Node | None = None,
                 pkg: Package | None = None) -> None:
        self.name = name
        self.type = type
        self.value = value  # int, float, str, bool, or None when not known
        self.decl = decl
        self.pkg = pkg

    def __repr__(self) -> str:
        return f"const {self.name} {self.type!r}"


class Func:
    __slots__ = ("decl", "errcheck_exempt", "name", "noreturn", "pkg", "recv_type", "sig")

    def __init__(self, name: str, sig: Signature | UnknownType, pkg: Package | None = None,
                 decl: ast.Node | None = None, noreturn: bool = False, errcheck_exempt: bool = False,
                 recv_type: TypeName | None = None) -> None:
        self.name = name
        self.sig = sig
        self.pkg = pkg
        self.decl = decl
        self.noreturn = noreturn
        self.errcheck_exempt = errcheck_exempt
        self.recv_type = recv_type

    def __repr__(self) -> str:
        return f"func {self.name} {self.sig!r}"


class Builtin:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"builtin {self.name}"


class PkgName:
    __slots__ = ("name", "path", "pkg")

    def __init__(self, name: str, pkg: Package | None, path: str = "") -> None:
        self.name = name
        self.pkg = pkg  # None when the import could not be resolved
        self.path = path  # the import path

    def __repr__(self) -> str:
        return f"package {self.name} {self.path!r}"


class Nil:
    __slots__ = ()

    def __repr__(self) -> str:
        return "nil"


Object = Var | Const | TypeName | Func | Builtin | PkgName | Nil


class Scope:
    __slots__ = ("names", "parent")

    def __init__(self, parent: Scope | None, names: dict[str, Object] | None = None) -> None:
        self.parent = parent
        self.names = {} if names is None else names

    def lookup(self, name: str) -> Object | None:
        s: Scope | None = self
        while s is not None:
            obj = s.names.get(name)
            if obj is not None:
                return obj
            s = s.parent
        return None


class Package:
    __slots__ = ("name", "path", "scope", "strict")

    def __init__(self, path: str, name: str, scope: Scope, strict: bool = True) -> None:
        self.path = path
        self.name = name
        self.scope = scope
        self.strict = strict  # stubs: //tgo:strict

    def __repr__(self) -> str:
        return f"package {self.path!r}"


# ------------------------------------------------------------------ helpers --


def substitute(t: Type, m: dict[TypeParam, Type]) -> Type:
    """``t`` with type parameters replaced (shallow enough for checking)."""
    if not m:
        return t
    if isinstance(t, TypeParam):
        return m.get(t, t)
    if isinstance(t, Pointer):
        return Pointer(substitute(t.elem, m), t.null)
    if isinstance(t, Slice):
        return Slice(substitute(t.elem, m))
    if isinstance(t, Array):
        return Array(t.length, substitute(t.elem, m))
    if isinstance(t, Map):
        return Map(substitute(t.key, m), substitute(t.elem, m), t.null)
    if isinstance(t, Chan):
        return Chan(t.dir, substitute(t.elem, m), t.null)
    if isinstance(t, Named) and t.targs:
        return Named(t.obj, tuple(substitute(a, m) for a in t.targs), t.null)
    if isinstance(t, Signature):
        return Signature(
            tuple(Var(p.name, substitute(p.type, m), p.embedded, p.decl, origin=p.declared) for p in t.params),
            tuple(Var(r.name, substitute(r.type, m), r.embedded, r.decl, origin=r.declared) for r in t.results),
            t.variadic,
            t.null,
            (),
            t.recv,
        )
    if isinstance(t, Struct):
        return Struct(tuple(Var(f.name, substitute(f.type, m), f.embedded, f.decl, origin=f.declared)
                            for f in t.fields))
    if isinstance(t, Tuple):
        return Tuple(tuple(substitute(x, m) for x in t.types))
    return t


def nullability(t: Type) -> Null:
    """The nil mark of a reference type; NONNIL for types that cannot be nil."""
    if isinstance(t, (Pointer, Map, Chan, Signature, Interface)):
        if isinstance(t, Interface):
            return Null.NULLABLE if t.null is Null.NULLABLE else t.null
        return t.null
    if isinstance(t, Named):
        if is_always_nullable(t):
            return Null.NULLABLE
        u = t.underlying()
        if can_be_nil(u):
            return t.null
        return Null.NONNIL
    if isinstance(t, (UnknownType, TypeParam)):
        return Null.ANY
    if isinstance(t, Basic) and t.kind == "nil":
        return Null.NULLABLE
    return Null.NONNIL


def can_be_nil(t: Type) -> bool:
    """Whether nil is a value of ``t`` and tgo tracks it (slices are not tracked)."""
    u = t.underlying() if isinstance(t, Named) else t
    return isinstance(u, (Pointer, Map, Chan, Signature, Interface)) or (isinstance(u, Basic) and u.kind == "unsafeptr")


def is_always_nullable(t: Type) -> bool:
    """``error``, ``any`` and ``interface{}`` are nullable whatever is written."""
    if isinstance(t, Named) and t.obj.pkg is None and t.obj.name in ("error", "any"):
        return True
    u = t.underlying() if isinstance(t, Named) else t
    return isinstance(u, Interface) and not u.methods and not u.embedded and not u.is_constraint


def with_null(t: Type, null: Null) -> Type:
    if isinstance(t, Pointer):
        return Pointer(t.elem, null)
    if isinstance(t, Map):
        return Map(t.key, t.elem, null)
    if isinstance(t, Chan):
        return Chan(t.dir, t.elem, null)
    if isinstance(t, Signature):
        return Signature(t.params, t.results, t.variadic, null, t.type_params, t.recv)
    if isinstance(t, Interface):
        return Interface(t.methods, t.embedded, null, t.is_constraint)
    if isinstance(t, Named):
        return t.with_null(null)
    return t


def deref(t: Type) -> Type:
    u = t.underlying()
    if isinstance(u, Pointer):
        return u.elem
    return t


def is_error_type(t: Type) -> bool:
    return isinstance(t, Named) and t.obj.pkg is None and t.obj.name == "error"


def identical(a: Type, b: Type) -> bool:
    """Type identity, ignoring nil marks (cut down: enough for variants and switches)."""
    if a is b:
        return True
    if isinstance(a, Named) and isinstance(b, Named):
        return a.obj is b.obj and len(a.targs) == len(b.targs) and all(
            identical(x, y) for x, y in zip(a.targs, b.targs, strict=True)
        )
    if type(a) is not type(b):
        return False
    if isinstance(a, Pointer) and isinstance(b, Pointer):
        return identical(a.elem, b.elem)
    if isinstance(a, Slice) and isinstance(b, Slice):
        return identical(a.elem, b.elem)
    if isinstance(a, Map) and isinstance(b, Map):
        return identical(a.key, b.key) and identical(a.elem, b.elem)
    if isinstance(a, Chan) and isinstance(b, Chan):
        return a.dir == b.dir and identical(a.elem, b.elem)
    if isinstance(a, Array) and isinstance(b, Array):
        return a.length == b.length and identical(a.elem, b.elem)
    if isinstance(a, Basic) and isinstance(b, Basic):
        return a.name == b.name
    return False
