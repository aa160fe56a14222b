"""Edits: the lowering's changes to a file, as replacements of source spans.

Lowering never rebuilds a file: it replaces the spans of the nodes it lowers
(``?*T`` loses its ``?``, ``f()?`` becomes an ``if err != nil`` block) and
keeps every other byte, comments and layout included.  Where a replacement
changes the number of lines, a ``//line`` directive after it puts the
following source lines back on their ``.tgo`` line numbers, so compiler
errors and stack traces point into the ``.tgo`` file.
"""

from __future__ import annotations

from dataclasses import dataclass


class LowerError(Exception):
    """A construct the lowering cannot produce Go for (a bug, or an unsupported form)."""


@dataclass(frozen=True, slots=True)
class Edit:
    pos: int
    end: int
    text: str
    order: int = 0  # among insertions at the same position: lower first


def _key(e: Edit) -> tuple[int, int, int]:
    return (e.pos, e.order, e.end)


def apply_edits(text: str, edits: list[Edit], line_file: str | None = None) -> str:
    """``text`` with ``edits`` applied; with ``line_file``, ``//line`` directives resync lines."""
    ordered = sorted(edits, key=_key)
    if line_file is not None:
        # a line that an edit starts with a directive of its own needs none before it
        own_directive = {e.pos for e in edits if e.text.lstrip("\n").startswith("//line ")}
        marks: set[int] = set()  # offsets of the line ends after which to resync
        for e in ordered:
            if e.text.count("\n") != text.count("\n", e.pos, e.end):
                nl = text.find("\n", e.end)
                if nl >= 0 and nl + 1 not in own_directive:
                    marks.add(nl)
        # a directive lands at a line end that no edit covers (edits end before it)
        directives = [Edit(nl, nl, f"\n//line {line_file}:{text.count(chr(10), 0, nl) + 2}", order=1_000_000)
                      for nl in marks]
        ordered = sorted([*ordered, *directives], key=_key)
    out: list[str] = []
    cursor = 0
    for e in ordered:
        if e.pos < cursor:
            raise LowerError(f"overlapping edits at offset {e.pos}")
        out.append(text[cursor : e.pos])
        out.append(e.text)
        cursor = e.end
    out.append(text[cursor:])
    return "".join(out)
