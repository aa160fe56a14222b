"""Rules that are modules of their own: each owns its check, its messages and its fixes, with its fixture folder.

A rule here sees the package checker through ``Reporter`` (what it reports
with, and the recorded ``Info``), so it stays below checker.py and
flowcheck.py, which call it where its facts are known: ``enum_conversion``
where a conversion is typed, ``nonexhaustive`` where the flow pass reaches a
switch, ``unchecked_error`` where it reaches a call statement or an
assignment to ``_``.  ``fixes`` builds the edits of the rules that stay in
the flow checker (nil-assign, nil-init, nil-deref).  Each rule's cases are
``tests/checker/fixtures/<code>/``.
"""

from __future__ import annotations

from typing import Protocol

from transpiler.check.info import FileInfo, Info
from transpiler.diagnostics import codes
from transpiler.diagnostics.fix import Fix
from transpiler.syntax import ast
from transpiler.types.model import Package


class Reporter(Protocol):
    """What a rule needs of the package checker (checker.PackageChecker)."""

    info: Info
    pkg: Package

    def report(self, fi: FileInfo, node: ast.Node, msg: codes.Message, severity: codes.Severity | None = None,
               *, fixes: tuple[Fix, ...] = (), **fields: object) -> None: ...

    def text(self, fi: FileInfo, node: ast.Node) -> str: ...


def is_blank(e: ast.Expr) -> bool:
    """``_``."""
    return isinstance(e, ast.Ident) and e.name == "_"
