"""The Diagnostic record and its text and JSON forms (spec §8)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from transpiler.diagnostics.codes import Severity

if TYPE_CHECKING:  # (a parse makes no fixes: fix.py is loaded by the rules that do)
    from transpiler.diagnostics.codes import Message
    from transpiler.diagnostics.fix import Fix


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding at a source range; lines and columns are 1-based, columns in bytes.

    A rule's finding also carries, for editors and ``tgo migrate`` (not in the text or JSON
    forms, and not compared): the value it is about (``span``, character offsets of the
    expression or declaration), the reason (the message template's ``fields``), and the
    ``fixes`` that resolve it.  A diagnostic read back from the result cache has none.
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    severity: Severity
    code: str
    message: str
    span: tuple[int, int] | None = field(default=None, compare=False)
    fields: tuple[tuple[str, object], ...] = field(default=(), compare=False)
    fixes: tuple[Fix, ...] = field(default=(), compare=False)

    @classmethod
    def make(
        cls,
        msg: Message,
        file: str,
        start: tuple[int, int],
        end: tuple[int, int] | None = None,
        severity: Severity | None = None,
        fields: Mapping[str, object] | None = None,
        span: tuple[int, int] | None = None,
        fixes: tuple[Fix, ...] = (),
    ) -> Diagnostic:
        end = end or start
        return cls(
            file,
            start[0],
            start[1],
            end[0],
            end[1],
            severity or msg.code.severity,
            msg.code.name,
            msg.format(**(fields or {})),
            span,
            tuple((fields or {}).items()),
            fixes,
        )

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Diagnostic:
        """The diagnostic ``as_json`` gave; raises ``KeyError``, ``TypeError`` or ``ValueError``
        for anything else (a cache entry that is not what tgo wrote)."""

        def num(key: str) -> int:
            value = d[key]
            if not isinstance(value, int):
                raise TypeError(key)
            return value

        return cls(
            str(d["file"]), num("line"), num("column"), num("end_line"), num("end_column"),
            Severity(d["severity"]), str(d["code"]), str(d["message"]),
        )  # fmt: skip

    def text(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity.value}: {self.message} [{self.code}]"


def format_text(diags: Iterable[Diagnostic]) -> str:
    return "".join(d.text() + "\n" for d in diags)


def format_json(diags: Iterable[Diagnostic]) -> str:
    import json

    return json.dumps([d.as_json() for d in diags], indent=2) + "\n"
