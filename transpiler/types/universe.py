"""The universe scope: Go's predeclared types, constants, nil and builtins."""

from __future__ import annotations

from transpiler.types.model import (
    UNKNOWN,
    Basic,
    Builtin,
    Const,
    Func,
    Interface,
    Named,
    Nil,
    Null,
    Scope,
    Signature,
    TypeName,
    Var,
)

UNTYPED_BOOL = Basic("untyped bool", "bool", True)
UNTYPED_INT = Basic("untyped int", "int", True)
UNTYPED_RUNE = Basic("untyped rune", "int", True)
UNTYPED_FLOAT = Basic("untyped float", "float", True)
UNTYPED_COMPLEX = Basic("untyped complex", "complex", True)
UNTYPED_STRING = Basic("untyped string", "string", True)
UNTYPED_NIL = Basic("untyped nil", "nil", True)

_BASICS = {
    "bool": "bool",
    "int": "int", "int8": "int", "int16": "int", "int32": "int", "int64": "int",
    "uint": "uint", "uint8": "uint", "uint16": "uint", "uint32": "uint", "uint64": "uint", "uintptr": "uint",
    "float32": "float", "float64": "float",
    "complex64": "complex", "complex128": "complex",
    "string": "string",
}

BASIC: dict[str, Basic] = {name: Basic(name, kind) for name, kind in _BASICS.items()}
BASIC["byte"] = BASIC["uint8"]
BASIC["rune"] = BASIC["int32"]

BUILTINS = (
    "append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make", "max", "min",
    "new", "panic", "print", "println", "real", "recover",
)


def _make_universe() -> tuple[Scope, Named, Named]:
    scope = Scope(None)
    for name, t in BASIC.items():
        obj = TypeName(name, None, t)
        scope.names[name] = obj
    error_obj = TypeName("error", None)
    error_type = Named(error_obj, (), Null.NULLABLE)
    error_obj.underlying_type = Interface(
        (Func("Error", Signature((), (Var("", BASIC["string"]),))),), (), Null.NULLABLE
    )
    scope.names["error"] = error_obj
    any_obj = TypeName("any", None, Interface((), (), Null.NULLABLE), is_alias=True)
    scope.names["any"] = any_obj
    scope.names["comparable"] = TypeName("comparable", None, Interface((), (), Null.ANY, True))
    scope.names["true"] = Const("true", UNTYPED_BOOL, True)
    scope.names["false"] = Const("false", UNTYPED_BOOL, False)
    scope.names["iota"] = Const("iota", UNTYPED_INT, None)
    scope.names["nil"] = Nil()
    for name in BUILTINS:
        scope.names[name] = Builtin(name)
    return scope, error_type, Named(any_obj, (), Null.NULLABLE)


UNIVERSE, ERROR, ANY = _make_universe()

__all__ = ["ANY", "BASIC", "ERROR", "UNIVERSE", "UNKNOWN"]
