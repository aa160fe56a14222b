"""What inference leaves: each remaining finding becomes ``x!`` where the code shows the invariant, else a coded ``//tgo:ignore``.

* ``nil-deref`` or ``nil-assign`` of an expression that the same function compares
  with nil before the use (a check the checker does not model: a guard in another
  branch, a flag set with it, a helper that fails), or of a variable set from a call
  whose error the function dropped (``v, _ := f()``: the author takes the call to
  succeed): ``x!``, the author's invariant written down.
* any other ``nil-deref``, ``nil-assign`` or ``nil-init``: ``//tgo:ignore[code] // tgo
  migrate: unproven`` on its own line above the line (a use the migration could not
  prove safe: what a reviewer should look at).
* ``unchecked-error`` (a dropped error, which Go allows): ``//tgo:ignore[unchecked-error]``.
  (Not ``_ = f()``: spec §6 counts that as dropping the error too.)

Codes that cannot be silenced, and lines that start inside a string literal or a
comment (where a comment line cannot go), are left for the caller (``Settled.left``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from transpiler.check.suppress import DIRECTIVE, ignore_fix
from transpiler.diagnostics import codes
from transpiler.diagnostics.diagnostic import Diagnostic
from transpiler.diagnostics.fix import TextEdit
from transpiler.migrate.infer import Evidence
from transpiler.syntax import ast
from transpiler.syntax.source import SourceFile

UNPROVEN = "// tgo migrate: unproven"
"""The reason written after the ignore of a nil finding the migration could not prove safe."""

_NIL_CODES = frozenset({codes.NIL_DEREF.name, codes.NIL_ASSIGN.name, codes.NIL_INIT.name})
_ASSERTABLE = frozenset({codes.NIL_DEREF.name, codes.NIL_ASSIGN.name})  # (a value: x! makes it non-nil)


@dataclass(slots=True)
class Settled:
    """The edits for one file's remaining findings, and what they count."""

    edits: list[TextEdit] = field(default_factory=list)
    asserted: int = 0
    ignored: int = 0  # nil findings left unproven
    errors_ignored: int = 0  # dropped errors
    left: list[Diagnostic] = field(default_factory=list)  # findings no edit can settle


def settle(source: SourceFile, tree: ast.File, diagnostics: list[Diagnostic]) -> Settled:
    """The edits that settle ``diagnostics`` (errors of the file ``source``, parsed as ``tree``)."""
    out = Settled()
    text = source.text
    blocked = _literal_spans(tree, text)
    lines: dict[int, set[str]] = {}
    asserted: set[int] = set()
    evidence = Evidence(tree, text)
    for d in diagnostics:
        if d.code in _ASSERTABLE and d.span is not None and shows_invariant(evidence, d.span):
            if d.span[1] not in asserted:
                asserted.add(d.span[1])
                out.edits.extend(_assert_edits(source.name, text, d.span))
                out.asserted += 1
            continue
        if not codes.silenceable(d.code):
            out.left.append(d)
            continue
        start = source.line_start(d.line)
        if any(a < start < b for a, b in blocked):
            out.left.append(d)
            continue
        lines.setdefault(d.line, set()).add(d.code)
    for line, found in sorted(lines.items()):
        names = sorted(found)
        fix = ignore_fix(source, source.line_start(line), ",".join(names))
        (edit,) = fix.edits
        new_text = edit.new_text
        if found & _NIL_CODES:
            new_text = new_text[:-1] + " " + UNPROVEN + "\n"
            out.ignored += len(found & _NIL_CODES)
        if codes.UNCHECKED_ERROR.name in found:
            out.errors_ignored += 1
        eol = text.find("\n", edit.start)
        if eol > 0 and text[eol - 1] == "\r":
            new_text = new_text[:-1] + "\r\n"  # the file's own line endings
        out.edits.append(TextEdit(edit.file, edit.start, edit.end, new_text))
    return out


def has_directive(line: str) -> bool:
    """Whether a line of source is an ignore comment the migration writes."""
    return line.lstrip(" \t").startswith(DIRECTIVE)


def _assert_edits(file: str, text: str, span: tuple[int, int]) -> list[TextEdit]:
    """``x!``; ``x! `` where an ``=`` follows (``x!=`` would read as ``x !=``; the blank is
    gofmt's anyway, where parentheses would stay in the lowered code)."""
    _pos, end = span
    return [TextEdit(file, end, end, "! " if text.startswith("=", end) else "!")]


def shows_invariant(evidence: Evidence, span: tuple[int, int]) -> bool:
    """Whether the code says the value at ``span`` is not nil where the checker cannot see it:
    its function compares the same expression with nil before it, or set the variable from a
    call whose error it dropped (``v, _ := f()``)."""
    return evidence.compared(span) or evidence.dropped(span)


def _literal_spans(tree: ast.File, text: str) -> list[tuple[int, int]]:
    """The spans of string literals and comments that hold a line break (no line can be put
    inside them)."""
    spans = [(c.pos, c.end) for c in tree.comments]
    if "`" in text:  # (only a raw string holds a line break)
        spans += [(n.pos, n.end) for n in ast.walk(tree) if isinstance(n, ast.BasicLit)]
    return [(a, b) for a, b in spans if "\n" in text[a:b]]
