"""Function bodies checked once: a body's diagnostics reused while its text and the package's signatures are unchanged.

What a function body's check reports depends on the body's own text and on what it can
see: the package's declarations (everything outside function bodies, in every file: the
``signature_digest``), the functions known never to return, the file's
strictness, and the stubs of its imports. A ``BodyMemo`` keeps, for each body, the
diagnostics its check gave (before suppression, as the checker collects them) under a
key of all that, so that after an edit inside one function only that function is checked
again (the language server's re-check as the user types: spec §10, issue 15's
incremental re-check). A reused body's diagnostics are moved by the distance its
declaration moved (lines, and character offsets of spans and fixes).

A reused body records nothing in the checker's ``Info`` (no expression types, no
``?`` results, no exhaustive switches): a check with a memo gives diagnostics only, never
a package to lower or to answer editor queries from. Bodies that cannot be moved exactly
are checked every time: those with syntax errors, and those whose diagnostics mention a
line or carry a fix that edits outside the declaration.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass

from transpiler.diagnostics import Diagnostic
from transpiler.diagnostics.fix import Fix, TextEdit
from transpiler.syntax import ast
from transpiler.syntax.source import SourceFile

# How many bodies a memo keeps before it forgets the oldest half (a long editing session).
_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class _Body:
    pos: int  # the declaration's offset when it was checked
    line: int  # and its line
    diagnostics: tuple[Diagnostic, ...]
    typed: int
    untyped: int


def signature_digest(files: list[tuple[str, str, ast.File]]) -> str:
    """A hash of the package's files (name, text, tree) with their function bodies left out."""
    h = hashlib.sha256()
    for name, text, tree in sorted(files, key=lambda f: f[0]):
        h.update(b"\0F" + name.encode() + b"\0")
        at = 0
        for decl in tree.decls:
            if isinstance(decl, ast.FuncDecl) and decl.body is not None:
                h.update(text[at : decl.body.pos].encode())
                at = decl.body.end
        h.update(text[at:].encode())
    return h.hexdigest()[:32]


class BodyMemo:
    """Kept bodies of one package's files (see the module's docstring). ``context`` is the key
    of what every body can see; set it before each check."""

    def __init__(self) -> None:
        self.context = ""
        self._kept: dict[tuple[str, ...], _Body] = {}
        self.reused = 0  # bodies reused in the last check
        self.checked = 0  # bodies checked in the last check
        self.unmovable = 0  # of which bodies whose diagnostics cannot be moved (not kept)

    def start(self, context: str) -> None:
        """Begin a check of the package in ``context``."""
        self.context = context
        self.reused = self.checked = self.unmovable = 0

    def key(self, source: SourceFile, decl: ast.FuncDecl, strict: bool) -> tuple[str, ...]:
        text = source.text[decl.pos : decl.end]
        column = decl.pos - source.line_start(source.line_of(decl.pos))
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        return (self.context, source.name, digest, str(column), "strict" if strict else "")

    def get(self, key: tuple[str, ...], source: SourceFile, decl: ast.FuncDecl) -> tuple[list[Diagnostic], int, int] | None:
        """The kept diagnostics of the body, moved to where ``decl`` is now, and its counts."""
        kept = self._kept.get(key)
        if kept is None:
            return None
        self.reused += 1
        delta = decl.pos - kept.pos
        lines = source.line_of(decl.pos) - kept.line
        return [_moved(d, lines, delta) for d in kept.diagnostics], kept.typed, kept.untyped

    def put(self, key: tuple[str, ...], source: SourceFile, decl: ast.FuncDecl, diagnostics: list[Diagnostic],
            typed: int, untyped: int) -> None:
        """Keep what checking ``decl``'s body gave, when it can be moved exactly."""
        self.checked += 1
        if not all(_movable(d, source.name, decl) for d in diagnostics):
            self.unmovable += 1
            return
        if len(self._kept) >= _LIMIT:
            for k in list(self._kept)[: _LIMIT // 2]:
                del self._kept[k]
        self._kept[key] = _Body(decl.pos, source.line_of(decl.pos), tuple(diagnostics), typed, untyped)


def _movable(d: Diagnostic, file: str, decl: ast.FuncDecl) -> bool:
    if d.file != file or any(k == "line" for k, _v in d.fields):
        return False
    return all(e.file == file and decl.pos <= e.start and e.end <= decl.end for f in d.fixes for e in f.edits)


def _moved(d: Diagnostic, lines: int, delta: int) -> Diagnostic:
    if lines == 0 and delta == 0:
        return d
    span = (d.span[0] + delta, d.span[1] + delta) if d.span is not None else None
    fixes = tuple(Fix(f.title, tuple(TextEdit(e.file, e.start + delta, e.end + delta, e.new_text) for e in f.edits))
                  for f in d.fixes)
    return dataclasses.replace(d, line=d.line + lines, end_line=d.end_line + lines, span=span, fixes=fixes)
