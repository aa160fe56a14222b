"""Reading back a lowered file's ``//line`` directives: where Go places each line, and where it drifts.

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


def line_map(go_text: str, go_name: str) -> list[tuple[str, int] | None]:
    """For each line of ``go_text`` (index 0 is line 1), the (file, line) Go reports for it;
    None for a directive line. File names are as the directives write them."""
    out: list[tuple[str, int] | None] = []
    current: tuple[str, int] | None = None
    for number, text in enumerate(go_text.split("\n"), 1):
        directive = parse_directive(text)
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
