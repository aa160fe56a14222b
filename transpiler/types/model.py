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
from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class Basic(Type):
    name: str
    kind: str  # bool int uint float complex string unsafeptr nil
    untyped: bool = False

    def __repr__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Pointer(Type):
    elem: Type
    null: Null = Null.ANY

    def __repr__(self) -> str:
        return f"{'?' if self.null is Null.NULLABLE else ''}*{self.elem!r}"


@dataclass(frozen=True, slots=True)
class Slice(Type):
    elem: Type

    def __repr__(self) -> str:
        return f"[]{self.elem!r}"


@dataclass(frozen=True, slots=True)
class Array(Type):
    length: int | None
    elem: Type

    def __repr__(self) -> str:
        return f"[{'' if self.length is None else self.length}]{self.elem!r}"


@dataclass(frozen=True, slots=True)
class Map(Type):
    key: Type
    elem: Type
    null: Null = Null.ANY

    def __repr__(self) -> str:
        return f"{'?' if self.null is Null.NULLABLE else ''}map[{self.key!r}]{self.elem!r}"


@dataclass(frozen=True, slots=True)
class Chan(Type):
    dir: int  # 1 send, 2 recv, 3 both
    elem: Type
    null: Null = Null.ANY

    def __repr__(self) -> str:
        q = "?" if self.null is Null.NULLABLE else ""
        return q + {1: "chan<- ", 2: "<-chan ", 3: "chan "}[self.dir] + repr(self.elem)


@dataclass(slots=True, eq=False)
class Var:
    """A variable, parameter, result or struct field."""

    name: str
    type: Type
    embedded: bool = False
    decl: ast.Node | None = None
    pkg: Package | None = None
    # the declared variable this one is an instance of, its type parameters substituted
    # (``substitute``: a parameter of ``New[int]``, a field of ``L[K, V]``); None for a declared one
    origin: Var | None = None

    # (written out: the __init__ @dataclass writes is interpreted code, which the compiled
    # build runs at each of the variables a check made; this one is compiled)
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


@dataclass(frozen=True, slots=True, eq=False)
class Signature(Type):
    params: tuple[Var, ...]
    results: tuple[Var, ...]
    variadic: bool = False
    null: Null = Null.ANY
    type_params: tuple[TypeParam, ...] = ()
    recv: Var | None = None

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


@dataclass(frozen=True, slots=True, eq=False)
class Struct(Type):
    fields: tuple[Var, ...]

    def field(self, name: str) -> Var | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None

    def __repr__(self) -> str:
        return "struct{" + "; ".join(f"{f.name} {f.type!r}" for f in self.fields) + "}"


@dataclass(frozen=True, slots=True, eq=False)
class Interface(Type):
    methods: tuple[Func, ...]
    embedded: tuple[Type, ...] = ()
    null: Null = Null.ANY
    is_constraint: bool = False  # has type terms: not a value type

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


@dataclass(frozen=True, slots=True, eq=False)
class Tuple(Type):
    types: tuple[Type, ...]

    def __repr__(self) -> str:
        return "(" + ", ".join(map(repr, self.types)) + ")"


@dataclass(slots=True, eq=False)
class TypeParam(Type):
    name: str
    constraint: Type = UNKNOWN

    def __repr__(self) -> str:
        return self.name


@dataclass(slots=True, eq=False)
class EnumInfo:
    members: list[Const]
    base: Type


@dataclass(slots=True, eq=False)
class UnionInfo:
    variants: list[Type]  # Named (new variants) or the existing types as written


@dataclass(slots=True, eq=False)
class TypeName:
    """A declared type: its underlying type, methods, and tgo enum/union facts."""

    name: str
    pkg: Package | None
    underlying_type: Type = UNKNOWN
    methods: dict[str, Func] = field(default_factory=dict)
    type_params: tuple[TypeParam, ...] = ()
    enum: EnumInfo | None = None
    union: UnionInfo | None = None
    decl: ast.Node | None = None
    resolving: bool = False
    is_alias: bool = False
    owner: object | None = None  # the checker that declared it, which resolves it on demand

    def __repr__(self) -> str:
        return f"type {self.name}"


@dataclass(frozen=True, slots=True, eq=False)
class Named(Type):
    obj: TypeName
    targs: tuple[Type, ...] = ()
    null: Null = Null.ANY

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


@dataclass(slots=True, eq=False)
class Const:
    name: str
    type: Type
    value: object | None = None  # int, float, str, bool, or None when not known
    decl: ast.Node | None = None
    pkg: Package | None = None


@dataclass(slots=True, eq=False)
class Func:
    name: str
    sig: Signature | UnknownType
    pkg: Package | None = None
    decl: ast.Node | None = None
    noreturn: bool = False
    errcheck_exempt: bool = False
    recv_type: TypeName | None = None


@dataclass(slots=True, eq=False)
class Builtin:
    name: str


@dataclass(slots=True, eq=False)
class PkgName:
    name: str
    pkg: Package | None  # None when the import could not be resolved
    path: str = ""  # the import path


@dataclass(slots=True, eq=False)
class Nil:
    pass


Object = Var | Const | TypeName | Func | Builtin | PkgName | Nil


@dataclass(slots=True, eq=False)
class Scope:
    parent: Scope | None
    names: dict[str, Object] = field(default_factory=dict)

    # (written out: the __init__ @dataclass writes is interpreted code, which the compiled
    # build runs at each of the scopes a check made; this one is compiled)
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


@dataclass(slots=True, eq=False)
class Package:
    path: str
    name: str
    scope: Scope
    strict: bool = True  # stubs: //tgo:strict


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
