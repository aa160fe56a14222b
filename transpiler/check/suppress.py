"""Suppression comments (spec §8): ``//tgo:ignore`` and ``//tgo:ignore[code,code]``.

Rules, as ``apply_suppressions`` implements them:

* The directive is a ``//`` comment that starts exactly ``//tgo:ignore`` (no space,
  as Go's ``//go:`` directives), optionally followed by ``[code,code]`` (spaces
  around names allowed).  After it, only the end of the comment or a blank and
  free text (a reason, or a test's ``// want:``): ``//tgo:ignore[nil-deref] u is
  set by init``.  ``/* */`` comments are never directives.
* After code on its line, it silences diagnostics that start on that line.
  Alone on its line (only blanks and other comments before it), it silences the
  next line that holds code; lines holding only comments are skipped, so
  directives can be stacked, but a blank line stops the search (the directive
  then silences nothing).
* With no list it silences every code; with a list, only the listed codes.
  Diagnostics match by the line where they start.
* Codes whose registry entry says ``silenceable=False`` cannot be silenced
  (``codes.silenceable``): ``syntax``, ``bad-enum``, ``bad-union`` and ``go``
  (declarations the lowering refuses: silenced, they would only come back from
  ``tgo build`` without a position), and ``unused-ignore`` (which this pass makes).
* A directive that silences nothing (none of its codes matched) is an
  ``unused-ignore`` warning at the directive, naming its codes (spec §8: a
  comment that silences something is used, even if some listed codes did not); so are unknown code names (at the name), codes that
  cannot be silenced, and malformed directives.  When the file has syntax
  errors the checker has not run, so no ``unused-ignore`` is reported at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from transpiler.diagnostics import codes
from transpiler.diagnostics.diagnostic import Diagnostic
from transpiler.diagnostics.fix import Fix, TextEdit

if TYPE_CHECKING:
    from transpiler.syntax.scanner import Comment
    from transpiler.syntax.source import SourceFile

DIRECTIVE = "//tgo:ignore"
_FORM = re.compile(r"//tgo:ignore(?:\[([^\]\n]*)\])?(?=\s|\Z)")


@dataclass(slots=True)
class _Ignore:
    pos: int  # character span of the directive (without any trailing reason)
    end: int
    target: int  # the line it silences
    names: list[tuple[str, int, int]] | None  # listed codes with their spans; None: all codes
    used: set[str] = field(default_factory=set)  # codes it silenced
    comment_end: int = -1  # the end of the whole comment (with its reason)


def apply_suppressions(diags: list[Diagnostic], source: SourceFile, comments: list[Comment]) -> list[Diagnostic]:
    """The diagnostics of ``source`` left after its ignore comments, plus ``unused-ignore`` warnings, sorted.

    Diagnostics of other files pass through untouched.
    """
    warnings: list[Diagnostic] = []
    ignores: list[_Ignore] = []
    directives = [c for c in comments if c.text.startswith(DIRECTIVE)]
    if directives:
        code_lines = _code_lines(source.text, comments)
        for c in directives:
            ig = _parse(c, source, code_lines, warnings)
            if ig is not None:
                ignores.append(ig)

    by_line: dict[int, list[_Ignore]] = {}
    for ig in ignores:
        by_line.setdefault(ig.target, []).append(ig)
    kept: list[Diagnostic] = []
    for d in diags:
        if d.file != source.name or not codes.silenceable(d.code) or d.line not in by_line:
            kept.append(d)
            continue
        silenced = False
        for ig in by_line[d.line]:
            if ig.names is None or any(name == d.code for name, _, _ in ig.names):
                ig.used.add(d.code)
                silenced = True
        if not silenced:
            kept.append(d)

    if any(d.file == source.name and d.code == codes.SYNTAX.name for d in diags):
        return sorted(kept, key=Diagnostic.sort_key)
    for ig in ignores:
        warnings.extend(_unused(ig, source))
    return sorted(kept + warnings, key=Diagnostic.sort_key)


def _parse(c: Comment, source: SourceFile, code_lines: set[int], warnings: list[Diagnostic]) -> _Ignore | None:
    m = _FORM.match(c.text)
    if m is None:
        rest = c.text[len(DIRECTIVE) :]
        problem = (
            "missing ] after the code list"
            if rest.startswith("[") and "]" not in rest
            else "expected //tgo:ignore or //tgo:ignore[code,...], then a blank before any other text"
        )
        warnings.append(_warn(codes.MALFORMED_IGNORE, source, c.pos, c.end, problem=problem))
        return None
    line = source.position(c.pos)[0]
    target = line if line in code_lines else _next_code_line(source, line, code_lines)
    ig = _Ignore(c.pos, c.pos + m.end(), target, None, comment_end=c.end)
    if m.group(1) is None:
        return ig
    names: list[tuple[str, int, int]] = []
    offset = c.pos + m.start(1)
    for part in m.group(1).split(","):
        name = part.strip()
        start = offset + len(part) - len(part.lstrip())
        offset += len(part) + 1
        if not name:
            warnings.append(_warn(codes.MALFORMED_IGNORE, source, ig.pos, ig.end, problem="empty code name in the list"))
            return None
        if name not in codes.CODES:
            warnings.append(_warn(codes.UNKNOWN_IGNORE_CODE, source, start, start + len(name), name=name))
        elif not codes.silenceable(name):
            warnings.append(_warn(codes.UNIGNORABLE_CODE, source, start, start + len(name), name=name))
        elif all(name != n for n, _, _ in names):
            names.append((name, start, start + len(name)))
    if not names:  # every name was reported already: nothing left to silence with
        return None
    ig.names = names
    return ig


def _unused(ig: _Ignore, source: SourceFile) -> list[Diagnostic]:
    if ig.names is None:
        if ig.used:
            return []
        return [_warn(codes.UNUSED_IGNORE_MSG, source, ig.pos, ig.end, _removal(ig, source), codes="")]
    unused = [name for name, _, _ in ig.names if name not in ig.used]
    if len(unused) < len(ig.names):
        return []  # spec §8: only a comment that silences nothing at all is unused
    return [_warn(codes.UNUSED_IGNORE_MSG, source, ig.pos, ig.end, _removal(ig, source),
                  codes="[" + ",".join(unused) + "]")]


def _removal(ig: _Ignore, source: SourceFile) -> tuple[Fix, ...]:
    """Remove an unused directive with its comment: its whole line when the comment is alone on
    it, else the comment and the blanks before it."""
    text = source.text
    line = source.position(ig.pos)[0]
    start, end = source.line_start(line), source.line_end(line)
    if ig.comment_end < 0 or "\n" in text[ig.pos:ig.comment_end]:
        return ()
    if not text[start:ig.pos].strip() and not text[ig.comment_end:end].strip():
        cut = (start, min(end + 1, len(text)))
    else:
        before = len(text[start:ig.pos].rstrip(" \t"))
        cut = (start + before, ig.comment_end)
    return (Fix("remove the unused //tgo:ignore", (TextEdit(source.name, cut[0], cut[1], ""),)),)


def _warn(msg: codes.Message, source: SourceFile, pos: int, end: int, fixes: tuple[Fix, ...] = (),
          **fields: object) -> Diagnostic:
    return Diagnostic.make(msg, source.name, source.position(pos), source.position(end), fields=fields,
                           span=(pos, end), fixes=fixes)


def _code_lines(text: str, comments: list[Comment]) -> set[int]:
    """The 1-based lines that hold something other than blanks and comments."""
    lines: set[int] = set()
    line = 1
    pos = 0
    for c in sorted(comments, key=lambda c: c.pos):
        if c.pos < pos:
            continue
        line = _scan_gap(text, pos, c.pos, line, lines)
        line += text.count("\n", c.pos, c.end)
        pos = c.end
    _scan_gap(text, pos, len(text), line, lines)
    return lines


def _scan_gap(text: str, pos: int, end: int, line: int, lines: set[int]) -> int:
    """Add the lines of ``text[pos:end]`` (starting on ``line``) that hold non-blanks; the line at ``end``."""
    for i, chunk in enumerate(text[pos:end].split("\n")):
        if chunk.strip():
            lines.add(line + i)
    return line + text.count("\n", pos, end)


def _next_code_line(source: SourceFile, line: int, code_lines: set[int]) -> int:
    """The line a directive alone on ``line`` silences: the next code line, unless a blank line comes first."""
    n = line + 1
    while n <= source.line_count and n not in code_lines and source.line_text(n).strip():
        n += 1
    return n


def ignore_fix(source: SourceFile, offset: int, code: str) -> Fix:
    """A coded ``//tgo:ignore[code]`` on its own line above the line of ``offset`` (indented as
    that line), which silences that line's ``code`` diagnostics."""
    line = source.position(offset)[0]
    start = source.line_start(line)
    text = source.line_text(line)
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    return Fix(f"ignore {code} on this line", (TextEdit(source.name, start, start, f"{indent}{DIRECTIVE}[{code}]\n"),))
