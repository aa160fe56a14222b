"""The registry of diagnostic codes and their message templates (spec §8).

Every diagnostic tgo reports is made from an entry here, in the way mypy's
``errorcodes.py`` and TypeScript's ``diagnosticMessages.json`` work: the checker
and parser name a code and fill in a template; they never build message
strings of their own.
"""

from __future__ import annotations

import enum
from typing import NamedTuple


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Code(NamedTuple):
    """A diagnostic code: its name as users see it, default severity and summary, and whether a
    ``//tgo:ignore`` comment may silence it (spec §8: not a file that does not parse, not a
    declaration the lowering refuses, not Go's own errors, not the warning about ignores).
    (Code and Message are named tuples, not frozen dataclasses: a cold ``tgo parse`` makes
    them, and a frozen dataclass takes several times as long to define.)"""

    name: str
    severity: Severity
    summary: str
    silenceable: bool = True


SYNTAX = Code("syntax", Severity.ERROR, "the source does not parse", silenceable=False)
NIL_DEREF = Code("nil-deref", Severity.ERROR, "a possibly-nil value is used where nil panics")
NIL_ASSIGN = Code("nil-assign", Severity.ERROR, "a possibly-nil value is stored where non-nil is declared")
NIL_INIT = Code("nil-init", Severity.ERROR, "a non-nil variable or field has no value")
BAD_NULLABLE = Code("bad-nullable", Severity.ERROR, "?T on a type that cannot be nil")
NONEXHAUSTIVE = Code("nonexhaustive", Severity.ERROR, "a switch misses enum members or union variants")
BAD_VARIANT = Code("bad-variant", Severity.ERROR, "a case names a type that is not a variant")
BAD_ENUM = Code("bad-enum", Severity.ERROR, "an enum declared inside a function, named _, with a member named _, or on a base type that is not an integer or string type", silenceable=False)
BAD_UNION = Code("bad-union", Severity.ERROR, "a union declared inside a function, or with a variant that cannot implement it", silenceable=False)
BAD_TRY = Code("bad-try", Severity.ERROR, "? used where it cannot propagate an error")
UNCHECKED_ERROR = Code("unchecked-error", Severity.ERROR, "an error result is dropped")
ENUM_CONVERSION = Code("enum-conversion", Severity.WARNING, "a conversion to an enum type")
UNUSED_IGNORE = Code("unused-ignore", Severity.WARNING, "a //tgo:ignore comment silences nothing", silenceable=False)
GO = Code("go", Severity.ERROR, "Go's own type checker rejects the package", silenceable=False)

CODES: dict[str, Code] = {
    c.name: c
    for c in (
        SYNTAX,
        NIL_DEREF,
        NIL_ASSIGN,
        NIL_INIT,
        BAD_NULLABLE,
        NONEXHAUSTIVE,
        BAD_VARIANT,
        BAD_ENUM,
        BAD_UNION,
        BAD_TRY,
        UNCHECKED_ERROR,
        ENUM_CONVERSION,
        UNUSED_IGNORE,
        GO,
    )
}


def silenceable(name: str) -> bool:
    """Whether a ``//tgo:ignore`` comment may silence diagnostics of code ``name``."""
    code = CODES.get(name)
    return code is None or code.silenceable


class Message(NamedTuple):
    """A message template bound to its code; ``format`` fills the ``{}`` fields."""

    code: Code
    template: str

    def format(self, **fields: object) -> str:
        return self.template.format(**fields)


# --- syntax (parser and scanner) -------------------------------------------
UNEXPECTED_EXPECTED = Message(SYNTAX, "unexpected {found}, expected {expected}")
UNEXPECTED = Message(SYNTAX, "unexpected {found}")
UNEXPECTED_AT_END = Message(SYNTAX, "unexpected {found} at end of statement")
INVALID_UTF8 = Message(SYNTAX, "invalid UTF-8 encoding")
INVALID_NUL = Message(SYNTAX, "invalid NUL character")
INVALID_BOM = Message(SYNTAX, "invalid BOM in the middle of the file")
INVALID_CHAR = Message(SYNTAX, "invalid character {char} in source")
UNTERMINATED_STRING = Message(SYNTAX, "string literal not terminated")
UNTERMINATED_RAW_STRING = Message(SYNTAX, "raw string literal not terminated")
UNTERMINATED_RUNE = Message(SYNTAX, "rune literal not terminated")
UNTERMINATED_COMMENT = Message(SYNTAX, "comment not terminated")
BAD_RUNE = Message(SYNTAX, "{problem} in rune literal")
BAD_ESCAPE = Message(SYNTAX, "{problem}")
BAD_NUMBER = Message(SYNTAX, "{problem}")
BAD_CONSTRUCT = Message(SYNTAX, "{problem}")
TOO_DEEP = Message(SYNTAX, "exceeded max nesting depth ({limit} levels)")
TOO_MANY_ERRORS = Message(SYNTAX, "too many errors")

# --- suppression comments (transpiler/check/suppress.py) --------------------
UNUSED_IGNORE_MSG = Message(UNUSED_IGNORE, "//tgo:ignore{codes} silences nothing")
UNKNOWN_IGNORE_CODE = Message(UNUSED_IGNORE, "//tgo:ignore names an unknown code: {name}")
UNIGNORABLE_CODE = Message(UNUSED_IGNORE, "//tgo:ignore cannot silence {name} diagnostics")
MALFORMED_IGNORE = Message(UNUSED_IGNORE, "malformed //tgo:ignore comment: {problem}")

# --- checker (spec §2-§6) -----------------------------------------------------
BAD_NULLABLE_MSG = Message(BAD_NULLABLE, "?{type}: {type} cannot be nil, so it cannot be marked nullable")
NIL_DEREF_MSG = Message(NIL_DEREF, "possible nil dereference: {x} {detail}")
NIL_DEREF_UNSTOPPED = Message(NIL_DEREF, "possible nil dereference: {x} {detail} (the check at line {line} may not exit: {call} is not known to stop)")
NIL_ASSIGN_MSG = Message(NIL_ASSIGN, "{x} {verb} where {what} is non-nil {type}")
NIL_RETURN_MSG = Message(NIL_ASSIGN, "{x} {verb} where result {index} is non-nil {type}: return a non-nil error with it, or declare the result ?{type}")
NIL_RETURN_PLAIN_MSG = Message(NIL_ASSIGN, "{x} {verb} where result {index} is non-nil {type}: return a non-nil value, or declare the result ?{type}")
NIL_INIT_VAR = Message(NIL_INIT, "{name} has non-nil type {type} and no value")
NIL_INIT_USE = Message(NIL_INIT, "{name} is used before it is assigned (non-nil type {type})")
NIL_INIT_FIELDS = Message(NIL_INIT, "{type} literal leaves non-nil field(s) {fields} nil")
NIL_INIT_ZERO = Message(NIL_INIT, "{how} of {type} leaves non-nil field(s) {fields} nil")
NIL_INIT_MAKE = Message(NIL_INIT, "make({type}, n) fills the slice with nil, but its elements are non-nil: use make({type}, 0, n) and append")
NONEXHAUSTIVE_ENUM = Message(NONEXHAUSTIVE, "switch on {type} misses {missing}")
NONEXHAUSTIVE_UNION = Message(NONEXHAUSTIVE, "type switch on {type} misses {missing}")
BAD_VARIANT_MSG = Message(BAD_VARIANT, "{case} is not a variant of {type}")
BAD_TRY_PLACE = Message(BAD_TRY, "? may only end a statement, or be the only right-hand side of =, := or var")
BAD_TRY_FUNC = Message(BAD_TRY, "? returns the error, but the enclosing function's last result is not error")
BAD_TRY_CALL = Message(BAD_TRY, "? needs a call whose last result is error")
BAD_TRY_MESSAGE = Message(BAD_TRY, "the message after ? must be a string literal (to build it, wrap the error with fmt.Errorf)")
BAD_TRY_UNKNOWN = Message(BAD_TRY, "? needs the call's results, and the checker cannot tell them here: assign them (v, err := ...) and check err")
BAD_TRY_UNKNOWN_PKG = Message(BAD_TRY, "? needs the call's results, and package {name} is not known to tgo (no stub, and no Go sources found for it)")
UNCHECKED_ERROR_MSG = Message(UNCHECKED_ERROR, "error result of {call} is not checked")
UNCHECKED_ERROR_BLANK = Message(UNCHECKED_ERROR, "error result of {call} is assigned to _")
ENUM_CONVERSION_MSG = Message(ENUM_CONVERSION, "conversion of non-constant {x} to enum {type}: use Parse{type}, or check IsValid()")
ENUM_NOT_MEMBER = Message(ENUM_CONVERSION, "{value} is not a member of enum {type}")

# --- Go's own errors (spec §8: an import the go command cannot resolve; transpiler/check/gocheck.py) --
GO_IMPORT = Message(GO, "could not import {path} ({reason})")
GO_ERROR = Message(GO, "{message}")

# --- enum and union declarations (transpiler/check/typedecls.py; spec §3, §4) --
LOCAL_ENUM = Message(BAD_ENUM, "enum {name} is declared inside a function: declare it at package level (Go declares its generated methods only on package-level types)")
BLANK_ENUM = Message(BAD_ENUM, "an enum cannot be named _: its members are constants of its type and its generated API is named after it; give it a name")
BLANK_ENUM_MEMBER = Message(BAD_ENUM, "enum {name} has a member named _: its members are named constants that its generated API (String, Parse{name}, {name}Values) lists by name; give it a name")
ENUM_BASE = Message(BAD_ENUM, "enum {name} has base type {base}, which is not an integer or string type: name an integer or string type, or write no base for int")
LOCAL_UNION = Message(BAD_UNION, "union {name} is declared inside a function: declare it at package level (Go declares its variants' marker methods only on package-level types)")
FOREIGN_VARIANT = Message(BAD_UNION, "variant {variant} of union {union} is declared in another package: a variant must be a type of this package; declare a new variant with a field of that type instead")
NOT_OWN_VARIANT = Message(BAD_UNION, "variant {variant} of union {union} is neither a type declared in this package nor a pointer to one: declare a new variant with a field of that type instead")
ALIAS_VARIANT = Message(BAD_UNION, "variant {variant} of union {union} is an alias: name the type it stands for, or declare a new variant with a field of that type")
INSTANCE_VARIANT = Message(BAD_UNION, "variant {variant} of union {union} is an instantiated generic type, which cannot have the union's marker method: make {union} generic, or declare a new variant with a field of that type")
VARIANT_TYPE_ARGS = Message(BAD_UNION, "variant {variant} of generic union {union} must take the union's type parameters [{params}] as its type arguments, each once: write them, or declare a new variant")
METHODLESS_VARIANT = Message(BAD_UNION, "variant {variant} of union {union} is {kind} type, which cannot have the union's marker method: declare a new variant with a field of that type instead")
