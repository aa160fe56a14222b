"""Spans of source text a conversion removes: whole lines (with a declaration's doc comment), and one blank line where two would meet."""

from __future__ import annotations

import re

from transpiler.diagnostics.fix import TextEdit
from transpiler.syntax import ast


def line_span(text: str, pos: int, end: int) -> tuple[int, int] | None:
    """``[pos, end)`` widened to whole lines when nothing else is on them, else None."""
    start = text.rfind("\n", 0, pos) + 1
    stop = text.find("\n", end)
    stop = len(text) if stop < 0 else stop + 1
    if text[start:pos].strip() or text[end:stop].strip():
        return None
    return start, stop


def doc_start(text: str, pos: int) -> int:
    """The start of the ``//`` comment lines right above the line of ``pos`` (a doc comment), else
    the start of that line."""
    start = text.rfind("\n", 0, pos) + 1
    while start > 0:
        above = text.rfind("\n", 0, start - 1) + 1
        if not text[above:start].strip().startswith("//"):
            break
        start = above
    return start


def removals(file: str, text: str, spans: list[tuple[int, int]]) -> list[TextEdit]:
    """Edits removing ``spans`` of ``text`` (adjacent ones merged); where a removed run of
    lines had a blank line on each side, one of them goes too."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and merged[-1][1] >= s:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out: list[TextEdit] = []
    for s, e in merged:
        whole_lines = (s == 0 or text[s - 1] == "\n") and (e == len(text) or text[e - 1] == "\n")
        if whole_lines and text[:s].endswith("\n\n") and e < len(text) and text.startswith("\n", e):
            e += 1
        out.append(TextEdit(file, s, e, ""))
    return out


def unused_imports(text: str, tree: ast.File, edits: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """The lines of the import specs of a file (``text``, ``tree``) whose package is used, but
    only inside the spans ``edits`` replace, and not in the texts that replace them (a whole
    ``import "x"`` declaration when it has one spec)."""
    out: list[tuple[int, int]] = []
    for d in tree.imports:
        for s in d.specs:
            if not isinstance(s, ast.ImportSpec):
                continue
            path = s.path.value.strip('"`')
            local = s.name.name if s.name is not None else path.rsplit("/", 1)[-1]
            if local in ("_", "."):
                continue
            uses = [n.pos for n in ast.walk(tree) if isinstance(n, ast.SelectorExpr) and isinstance(n.x, ast.Ident)
                    and n.x.name == local]
            again = re.compile(rf"(?<![\w.]){re.escape(local)}\s*\.")
            if uses and all(any(a <= u < b for a, b, _new in edits) for u in uses) and \
                    not any(again.search(new) for _a, _b, new in edits):
                span = line_span(text, s.pos, s.end) if d.lparen >= 0 else line_span(text, d.pos, d.end)
                if span is not None:
                    out.append(span)
    return out
