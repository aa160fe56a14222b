"""Edits: the lowering's changes to a file, as replacements of source spans.

Lowering never rebuilds a file: it replaces the spans of the nodes it lowers
(``?*T`` loses its ``?``, ``f()?`` becomes an ``if err != nil`` block) and
keeps every other byte, comments and layout included.  Where a replacement
changes the number of lines, a ``//line`` directive after it puts the
following source lines back on their ``.tgo`` line numbers, so compiler
errors and stack traces point into the ``.tgo`` file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class LowerError(Exception):
    """A construct the lowering cannot produce Go for (a bug, or an unsupported form)."""


@dataclass(frozen=True, slots=True)
class Edit:
    pos: int
    end: int
    text: str
    order: int = 0  # among insertions at the same position: lower first


# an edit whose text ends with a directive line and indentation: the line it ends on is synced
_ENDS_SYNCED = re.compile(r"(?:^|\n)//line [^\n]*\n[ \t]*\Z")


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
            if _ENDS_SYNCED.search(e.text):
                continue  # the edit's last directive already puts the rest of its line in place
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


_DIRECTIVE = re.compile(r"//line .*:(\d+)$")


def _source_lines(lines: list[str]) -> list[int | None]:
    """The line each of ``lines`` stands for, as the Go compiler counts it: from 1, and from N
    after a ``//line FILE:N`` directive; None for the directives themselves."""
    out: list[int | None] = []
    current = 1
    for line in lines:
        m = _DIRECTIVE.match(line)
        if m is not None:
            out.append(None)
            current = int(m.group(1))
        else:
            out.append(current)
            current += 1
    return out


# What can hold a newline in Go source: comments and strings, matched left to right as the
# scanner reads them (so that a quote inside a comment, or // inside a string, is skipped).
_SPANS = re.compile(r"""//[^\n]*|/\*[\s\S]*?\*/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`""")


def lines_inside_tokens(text: str) -> set[int]:
    """0-based numbers of the lines that start inside a raw string or a ``/* */`` comment: no
    directive can go before them."""
    inside: set[int] = set()
    for m in _SPANS.finditer(text):
        breaks = text.count("\n", m.start(), m.end())
        if breaks:
            first = text.count("\n", 0, m.start())
            inside.update(range(first + 1, first + 1 + breaks))
    return inside


def resync_after_format(before: str, after: str, line_file: str, source: str) -> str:
    """``after`` (gofmt's output for ``before``) with ``//line`` directives that put each line
    gofmt kept back on the source line it had in ``before``.

    gofmt of a file that was not gofmt-formatted joins and splits lines (``if x { return }``
    becomes three, runs of blank lines become one), so the lines after such a place no
    longer have the numbers ``before``'s directives gave them. The lines of the two texts
    are matched (whitespace ignored); before the first kept line after each place where
    the numbering went wrong, a directive restores it. Only lines that are the ``source``
    line they are numbered as are resynced (lines the lowering wrote are left alone). A
    line gofmt split off another gets the line it came from, except a line that only
    closes a block, which is counted on. Returns ``after`` itself when nothing moved.
    """
    old, new = before.split("\n"), after.split("\n")
    old_norm, new_norm = [" ".join(x.split()) for x in old], [" ".join(x.split()) for x in new]
    if old_norm == new_norm:
        return after  # (gofmt changed spacing within lines only)
    import difflib

    def squeeze(line: str) -> str:
        return "".join(line.split())

    src_sq, old_sq = [squeeze(x) for x in source.split("\n")], [squeeze(x) for x in old]
    old_src = _source_lines(old)

    def from_source(i: int) -> int | None:
        """The source line old line ``i`` is numbered as, if it is that line (else None)."""
        n = old_src[i]
        return n if n is not None and 0 < n <= len(src_sq) and src_sq[n - 1] == old_sq[i] else None

    wanted: list[int | None] = [None] * len(new)
    matcher = difflib.SequenceMatcher(None, old_norm, new_norm, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                wanted[j1 + k] = from_source(i1 + k)
            continue
        # lines gofmt split or joined: each new line comes from the old line that holds its
        # tokens (``if x {``, ``return``, ``}``: all the line of ``if x { return }``)
        at = i1
        for j in range(j1, j2):
            piece = squeeze(new[j])
            if piece.strip("})],;") == "":
                continue  # (a blank line, or one that only closes a block: the count goes on)
            for i in range(at, i2):
                if piece in old_sq[i]:
                    wanted[j], at = from_source(i), i
                    break
    blocked = lines_inside_tokens(after)
    out: list[str] = []
    current = 1
    for j, line in enumerate(new):
        m = _DIRECTIVE.match(line)
        if m is not None:
            current = int(m.group(1))
            out.append(line)
            continue
        want = wanted[j]
        if want is not None and want != current and line.strip() and j not in blocked:
            out.append(f"//line {line_file}:{want}")
            current = want
        out.append(line)
        current += 1
    return "\n".join(out)
