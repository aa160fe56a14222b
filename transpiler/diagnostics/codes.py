"""The registry of diagnostic codes and their message templates (spec §8).

Every diagnostic tgo reports is made from an entry here, in the way mypy's
``errorcodes.py`` and TypeScript's ``diagnosticMessages.json`` work: the checker
and parser name a code and fill in a template; they never build message
strings of their own.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Code:
    """A diagnostic code: its name as users see it, default severity and summary."""

    name: str
    severity: Severity
    summary: str


SYNTAX = Code("syntax", Severity.ERROR, "the source does not parse")
NIL_DEREF = Code("nil-deref", Severity.ERROR, "a possibly-nil value is used where nil panics")
NIL_ASSIGN = Code("nil-assign", Severity.ERROR, "a possibly-nil value is stored where non-nil is declared")
NIL_INIT = Code("nil-init", Severity.ERROR, "a non-nil variable or field has no value")
BAD_NULLABLE = Code("bad-nullable", Severity.ERROR, "?T on a type that cannot be nil")
NONEXHAUSTIVE = Code("nonexhaustive", Severity.ERROR, "a switch misses enum members or union variants")
BAD_VARIANT = Code("bad-variant", Severity.ERROR, "a case names a type that is not a variant")
BAD_TRY = Code("bad-try", Severity.ERROR, "? used where it cannot propagate an error")
UNCHECKED_ERROR = Code("unchecked-error", Severity.ERROR, "an error result is dropped")
ENUM_CONVERSION = Code("enum-conversion", Severity.WARNING, "a conversion to an enum type")
UNUSED_IGNORE = Code("unused-ignore", Severity.WARNING, "a //tgo:ignore comment silences nothing")

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
        BAD_TRY,
        UNCHECKED_ERROR,
        ENUM_CONVERSION,
        UNUSED_IGNORE,
    )
}


@dataclass(frozen=True, slots=True)
class Message:
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
TOO_DEEP = Message(SYNTAX, "expression nested too deeply (more than {limit} levels)")
TOO_MANY_ERRORS = Message(SYNTAX, "too many errors")
