"""``//line`` directives: writing them, reading them back as Go does, and the line-mapping checker.

``lines_inside_tokens`` finds the lines that start inside a raw string or a block
comment: no directive can stand there, and text there that looks like one is not one.

``line_directive`` writes one: ``//line NAME:LINE:1`` names the line that follows it
and says that its first character is column 1 there, so every column of an unchanged
line is exact (cmd/compile and go/token take a column given on the directive's line
as relative, and the columns of the lines after it as their own); ``drop_columns``
turns them into the ``//line NAME:LINE`` form (columns unknown) where the lowered
lines no longer have the source's layout (gofmt re-indented them).

``line_map`` gives, for each line of a lowered file, the file and line the Go tools
report for it (cmd/compile's and go/scanner's reading of ``//line FILE:LINE`` and
``//line FILE:LINE:COL`` at the start of a line: the directive names the line that
follows it). ``drifted_lines`` is the mapping checker: every line of the lowered file
whose text (ignoring indentation) occurs exactly once in the source and exactly once
in the lowered file is a line of the source that went through unchanged, and must map
to that source line. Lines that occur more than once (``return nil, err``) are not
judged: which source line they came from is not certain from the text alone. Nor are
lines that hold no code (comments) or only closing brackets (``}``, ``)`` with or
without a comment after them): no Go tool reports a position on them.
"""

from __future__ import annotations

import os
import re
from collections import Counter

_DIRECTIVE = re.compile(r"//line (.+)$")
_NO_POSITIONS = re.compile(r"(//.*|/\*.*|\*.*|[)\]}]+,?\s*(//.*)?)")


def line_directive(name: str, line: int) -> str:
    """The directive (without a line break) that puts the next line on ``line`` of ``name``, from
    its column 1."""
    return f"//line {name}:{line}:1"


_COLUMN = re.compile(r"^(//line .+:\d+):\d+$", re.MULTILINE)


def drop_columns(text: str) -> str:
    """``text`` with its directives' columns removed (Go then takes columns as unknown)."""
    return _COLUMN.sub(r"\1", text)


def columns_hold(source_text: str, go_text: str) -> bool:
    """Whether the columns the directives of ``go_text`` give are the source's: no line of the
    source was re-laid out (a line placed on a source line with the same tokens, but other
    spacing, as gofmt leaves an unformatted source)."""
    src = source_text.split("\n")
    for text, where in zip(go_text.split("\n"), line_map(go_text, ""), strict=True):
        if where is None or not where[0] or not 0 < where[1] <= len(src):
            continue
        original = src[where[1] - 1]
        if text != original and text.split() == original.split():
            return False
    return True


def parse_directive(line: str) -> tuple[str, int] | None:
    """The (file, line) a ``//line`` directive names, or None if ``line`` is not one."""
    m = _DIRECTIVE.match(line)
    if m is None:
        return None
    body = m.group(1).rstrip()
    head, sep, last = body.rpartition(":")
    if not sep or not last.isdigit():
        return None
    name, sep2, mid = head.rpartition(":")
    if sep2 and mid.isdigit():  # FILE:LINE:COL
        return (name, int(mid)) if name else None
    return (head, int(last)) if head else None


# What can hold a newline in Go source: comments and strings, matched left to right as the
# scanner reads them (so that a quote inside a comment, or // inside a string, is skipped).
_SPANS = re.compile(r"""//[^\n]*|/\*[\s\S]*?\*/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`""")


def lines_inside_tokens(text: str) -> set[int]:
    """0-based numbers of the lines that start inside a raw string or a ``/* */`` comment: no
    directive can go before them."""
    inside: set[int] = set()
    line, counted = 0, 0  # the 0-based line of offset ``counted``
    for m in _SPANS.finditer(text):
        breaks = text.count("\n", m.start(), m.end())
        if breaks:
            line += text.count("\n", counted, m.start())
            counted = m.start()
            inside.update(range(line + 1, line + 1 + breaks))
    return inside


def line_map(go_text: str, go_name: str) -> list[tuple[str, int] | None]:
    """For each line of ``go_text`` (index 0 is line 1), the (file, line) Go reports for it;
    None for a directive line. File names are as the directives write them. A line that
    starts inside a raw string or a block comment is never a directive (Go's own tests
    hold ``//line`` text in raw strings)."""
    out: list[tuple[str, int] | None] = []
    current: tuple[str, int] | None = None
    inside = lines_inside_tokens(go_text) if "//line " in go_text else set()
    for number, text in enumerate(go_text.split("\n"), 1):
        directive = parse_directive(text) if number - 1 not in inside else None
        if directive is not None:
            out.append(None)
            current = directive
            continue
        if current is None:
            out.append((go_name, number))
        else:
            out.append(current)
            current = (current[0], current[1] + 1)
    return out


def drifted_lines(source_text: str, go_text: str, source_name: str) -> list[tuple[int, tuple[str, int] | None, int]]:
    """The lines of the lowered ``go_text`` that Go places wrongly: (lowered line, where Go
    places it, the source line it came from). ``source_name`` is the ``.tgo`` file's name as
    its directives write it (its base name)."""
    src = [line.strip() for line in source_text.split("\n")]
    low = go_text.split("\n")
    stripped = [line.strip() for line in low]
    in_src = Counter(src)
    in_low = Counter(stripped)
    where = {text: n for n, text in enumerate(src, 1) if in_src[text] == 1}
    mapped = line_map(go_text, "")
    out: list[tuple[int, tuple[str, int] | None, int]] = []
    base = os.path.basename(source_name)
    for i, text in enumerate(stripped):
        if not text or in_low[text] != 1 or text not in where or _NO_POSITIONS.fullmatch(text):
            continue
        got = mapped[i]
        want = where[text]
        if got is None or os.path.basename(got[0]) != base or got[1] != want:
            out.append((i + 1, got, want))
    return out
