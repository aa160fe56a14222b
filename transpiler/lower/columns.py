"""Exact columns on the lines the lowering changed: the directives placed line by line, from the source map.

``place_columns`` gives the text ``linemap.place_columns`` gives (the same directives, the
same rounds with gofmt), reading only the lines that need it: a line that is, byte for
byte, the source line its ``//line`` directive names has every token in place, and a line
that holds no source text (the source map has none there: the ``if err != nil`` block of
a ``?``, an enum's methods) has no token to place. The other lines are scanned alone, their
tokens' source positions looked up in the source map, and the directives written as
``linemap.place_columns`` writes them. After gofmt, only the lines it changed are read
again (their tokens are the same as before, in the same order, only moved along the line),
so a round costs the lines it touches, not the file. Where that does not hold (gofmt
changed the number of lines or the tokens of a line; a line to read is part of a raw
string or block comment over several lines; a directive would renumber the lines after
it), the whole file is placed by ``linemap.place_columns``.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Sequence

from transpiler.lower.edits import LowerError
from transpiler.lower.linemap import (
    _ONE_LINE_TYPE,
    _ROUNDS,
    _UNPLACED,
    _directive_parts,
    inline_directive,
    line_directive,
    lines_inside_tokens,
    parse_directive,
)
from transpiler.lower.linemap import place_columns as place_everywhere
from transpiler.lower.sourcemap import _resync, line_starts
from transpiler.syntax.scanner import ScanResult, scan

Want = tuple[int, int] | None
# a line's position before its first inline directive: (file, line, column of its first
# character; 0: columns unknown)
State = tuple[str, int, int]


# a ``/*line*/`` comment written here: its file and line
_INLINE_MARK = re.compile(r"/\*line (.+?):(\d+):\d+\*/")


class _GiveUp(Exception):
    """The line by line placing cannot tell: the whole file is placed instead."""


def _byte_col(line: str, k: int) -> int:
    return k + 1 if line.isascii() else len(line[:k].encode()) + 1


class _Placer:
    """The lines of a text being placed, where Go puts each line, and the code tokens each
    holds with their source positions."""

    def __init__(self, text: str, want_at: Callable[[int, int], Want], copied: Callable[[int, int], bool], name: str,
                 source_text: str) -> None:
        self.name = name
        self.copied = copied
        self.inline = "*/" not in name and "\n" not in name
        self.want_at = want_at
        self.lines = text.split("\n")
        self.orig = text
        self.orig_starts = line_starts(self.lines)
        self.origin: list[int | None] = list(range(len(self.lines)))  # each line's line in ``text``
        # each line's code tokens and their source positions, once known
        self.known: list[list[tuple[str, Want]] | None] = [None] * len(self.lines)
        self.inside = lines_inside_tokens(text)
        self.source = source_text.split("\n")
        self.states: list[State | None] = self._states()
        self._scanned: dict[str, ScanResult] = {}  # each line's scan, by its text (read twice, or alike)

    def _states(self) -> list[State | None]:
        """For each line, where Go puts its first character (None: a directive line): through
        the ``//line`` lines and the ``/*line*/`` comments (all written here) above it."""
        out: list[State | None] = []
        current: tuple[str, int] | None = None
        column = 1
        for number, text in enumerate(self.lines):
            o = self.origin[number]
            directive = None
            if text.startswith("//line ") and (o is None or o not in self.inside):
                directive = _directive_parts(text[7:].rstrip())
            if directive is not None:
                out.append(None)
                file, line, col = directive
                if not file and col:
                    file = current[0] if current is not None else ""
                current, column = (file, line), col
                continue
            if current is None:
                out.append(("", number + 1, 1))
                current = ("", number + 1)
            else:
                out.append((current[0], current[1], column))
            column = column and 1  # (the lines after a directive keep their own columns, or none)
            if "/*line " in text:
                marks = _INLINE_MARK.findall(text)
                if marks:
                    current, column = (marks[-1][0], int(marks[-1][1])), 1
            current = (current[0], current[1] + 1)
        return out

    def needs_reading(self, i: int) -> bool:
        """Whether line ``i`` may hold a token Go puts elsewhere than the source: not when it is
        the source line its directives name, byte for byte, nor when it holds no source text."""
        state = self.states[i]
        if state is None:
            return False
        file, line, col = state
        if col == 1 and file == self.name and 0 < line <= len(self.source):
            here, there = self.lines[i], self.source[line - 1]
            # (the same but for the marks the lowering removed: the tokens stand where they
            # are wanted, one column left per removed ``?`` of a type or ``!`` of an assertion,
            # ``LoweredFile.wanted_at``; a ``?`` of error propagation is never removed alone,
            # nor a ``!`` of ``!=`` or ``!x``, nor a mark in a string)
            if here == there or (("?" in there or "!" in there)
                                 and here == there.replace("?", "").replace("!", "")):
                return False
        o = self.origin[i]
        if self.known[i] is None and o is not None and not self.copied(self.orig_starts[o], self.orig_starts[o + 1] - 1):
            return False
        return any(w is not None for _, w in self.tokens_of(i))

    def tokens_of(self, i: int) -> list[tuple[str, Want]]:
        """The code tokens line ``i`` holds, with their source positions."""
        got = self.known[i]
        if got is None:
            o = self.origin[i]
            if o is None or o in self.inside or o + 1 in self.inside:
                raise _GiveUp  # (a token runs over several lines)
            line, start = self.orig[self.orig_starts[o]: self.orig_starts[o + 1] - 1], self.orig_starts[o]
            got = [(t.text, self.want_at(start + t.pos, start + t.end)) for t in self.scan(line).tokens if t.end > t.pos]
            self.known[i] = got
        return got

    def scan(self, line: str) -> ScanResult:
        """``scanner.scan(line)``, once per line text (the result is only read)."""
        got = self._scanned.get(line)
        if got is None:
            got = self._scanned[line] = scan(line)
        return got

    def _read(self, i: int) -> tuple[str, list[tuple[int, str, Want]], list[tuple[int, int, str]]]:
        """Line ``i``: its text, its code tokens (offset in the line, text, source position) and
        its ``/*line*/`` comments (offset, end, text)."""
        text = self.lines[i]
        scanned = self.scan(text)
        toks = [t for t in scanned.tokens if t.end > t.pos]
        wanted = self.tokens_of(i)
        if len(toks) != len(wanted) or any(t.text != w[0] for t, w in zip(toks, wanted, strict=True)):
            raise _GiveUp  # (gofmt changed the tokens of the line)
        comments = [(c.pos, c.end, c.text) for c in scanned.comments if c.text.startswith("/*line ")]
        return text, [(t.pos, t.text, w[1]) for t, w in zip(toks, wanted, strict=True)], comments

    def place(self, i: int) -> tuple[list[tuple[int, int, str]], tuple[bool, int, int] | None, int | None]:
        """The edits of line ``i`` (offset, end, new text) that put its tokens in place, the
        directive line to write above it (whether it replaces the one there, its line and
        column), as ``linemap.place_columns`` makes them, and the line the last directive
        written names (None: none written)."""
        text, toks, comments = self._read(i)
        state = self.states[i]
        if state is None:
            raise _GiveUp
        file, line, col = state
        # the inline directives already on the line: (end offset, byte column there, file, line, column)
        marks = []
        for _pos, end, body in comments:
            parts = _directive_parts(body[7:-2])
            if parts is not None:
                f, ln, c = parts
                marks.append((end, _byte_col(text, end), f or file, ln, c))
        edits: list[tuple[int, int, str]] = []
        above: tuple[bool, int, int] | None = None
        named: int | None = None
        mine: tuple[int, int, str, int, int] | None = None  # (offset, byte column there, file, line, column)
        for pos, tok, want in toks:
            if want is None or tok in _UNPLACED:
                continue
            gc = _byte_col(text, pos)
            base = mine
            for m in marks:
                if m[0] <= pos and (base is None or m[0] > base[0]):
                    base = m
            if base is None:
                got = (file, line, 0 if col == 0 else col + gc - 1)
            else:
                got = (base[2], base[3], 0 if base[4] == 0 else base[4] + gc - base[1])
            if got == (self.name, *want):
                continue
            first = not text[:pos].strip()
            column = want[1] - (gc - 1)
            if first and column >= 1:
                replace = i > 0 and self.states[i - 1] is None and parse_directive(self.lines[i - 1]) is not None
                above = (replace and self._prev_not_inside(i), want[0], column)
                mine = (-1, 1, self.name, want[0], column)
                named = want[0]
            elif self.inline and want[1] >= 2 and not _ONE_LINE_TYPE.search(text, 0, pos + len(tok) + 1):
                blank = "" if pos > 0 and text[pos - 1] in " \t" else " "
                edits.append((pos, pos, f"{blank}{inline_directive(self.name, want[0], want[1] - 1)} "))
                mine = (pos, gc, self.name, want[0], want[1])
                named = want[0]
        return edits, above, named

    def _prev_not_inside(self, i: int) -> bool:
        o = self.origin[i - 1]
        return o is None or o not in self.inside

    def renumbered(self, i: int, line: int) -> list[int]:
        """Number the lines after ``i`` on from ``line`` (a directive written on line ``i`` names
        it), up to the next directive line: the lines whose numbering changed."""
        out: list[int] = []
        k = i + 1
        while k < len(self.lines):
            state = self.states[k]
            if state is None:
                break
            new = (self.name, line + k - i, 1)
            if state != new:
                self.states[k] = new
                out.append(k)
            if "/*line " in self.lines[k]:
                break
            k += 1
        return out

    def settle(self, i: int) -> list[tuple[int, int, str]]:
        """The edits of line ``i`` that give each of its inline directives the column that puts the
        next placed token after it where it belongs (``linemap._settle``)."""
        text, toks, comments = self._read(i)
        edits: list[tuple[int, int, str]] = []
        for pos, end, body in comments:
            if not body.startswith(f"/*line {self.name}:"):
                continue
            nxt = next(((p, w) for p, tok, w in toks if p > end and w is not None and tok not in _UNPLACED), None)
            if nxt is None:
                if not text[end:].strip():
                    raise _GiveUp  # (the line was broken after it)
                continue
            p, want = nxt
            column = want[1] - (_byte_col(text, p) - _byte_col(text, end))
            new = inline_directive(self.name, want[0], column)
            if column >= 1 and new != body:
                edits.append((pos, end, new))
        return edits

    def apply(self, i: int, edits: list[tuple[int, int, str]]) -> None:
        parts: list[str] = []
        at = 0
        text = self.lines[i]
        for pos, end, new in sorted(edits):
            parts += [text[at:pos], new]
            at = end
        parts.append(text[at:])
        self.lines[i] = "".join(parts)

    def text(self) -> str:
        return "\n".join(self.lines)

    def insert_above(self, above_at: dict[int, str], written: list[bool]) -> list[bool]:
        """Write the directive lines ``above_at`` names above their lines, all in one pass (one
        list insertion each made the placing quadratic in the file's length: a tenth of ``tgo
        gen`` of an 8 MB file); ``written`` carried over, the directives marked in it."""
        lines: list[str] = []
        origin: list[int | None] = []
        known: list[list[tuple[str, Want]] | None] = []
        states: list[State | None] = []
        marks: list[bool] = []
        for k in range(len(self.lines)):
            directive = above_at.get(k)
            if directive is not None:
                lines.append(directive)
                origin.append(None)
                known.append([])
                states.append(None)
                marks.append(True)
            lines.append(self.lines[k])
            origin.append(self.origin[k])
            known.append(self.known[k])
            states.append(self.states[k])
            marks.append(written[k])
        self.lines, self.origin, self.known, self.states = lines, origin, known, states
        return marks

    def reformatted(self, new_text: str) -> list[int]:
        """Take gofmt's ``new_text``: the lines it changed. Where it split or joined lines, the
        lines are matched on their text, and the code tokens of each stretch that differs are
        dealt out to its new lines (they must be the same tokens, in the same order)."""
        new = new_text.split("\n")
        old = self.lines
        if len(new) == len(old):
            changed = [k for k, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
            self.lines = new
            if any(_INLINE_MARK.findall(old[k]) != _INLINE_MARK.findall(new[k]) or new[k].startswith("//line ")
                   for k in changed):
                self.states = self._states()  # (else the lines are numbered as they were)
            return changed
        origin: list[int | None] = []
        known: list[list[tuple[str, Want]] | None] = []
        changed = []
        i = j = 0
        while i < len(old) or j < len(new):
            if i < len(old) and j < len(new) and old[i] == new[j]:
                origin.append(self.origin[i])
                known.append(self.known[i])
                i += 1
                j += 1
                continue
            found = _resync(old, new, i, j) if i < len(old) and j < len(new) else None
            i1, j1 = found if found is not None else (len(old), len(new))
            pool = [t for k in range(i, i1) for t in self.tokens_of(k)]
            at = 0
            for k in range(j, j1):
                toks = [t.text for t in scan(new[k]).tokens if t.end > t.pos]
                if [t for t, _ in pool[at: at + len(toks)]] != toks:
                    raise _GiveUp
                origin.append(None)
                known.append(pool[at: at + len(toks)])
                changed.append(k)
                at += len(toks)
            if at != len(pool):
                raise _GiveUp
            i, j = i1, j1
        self.lines, self.origin, self.known = new, origin, known
        self.states = self._states()
        return changed


def place_columns(text: str, want_at: Callable[[int, int], Want], copied: Callable[[int, int], bool], name: str,
                  source_text: str, wanted: Callable[[], Sequence[Want]],
                  reformat: Callable[[str], str] | None = None) -> str:
    """``linemap.place_columns(text, wanted(), name, reformat)``, reading only the lines that
    need it (``placed_by_lines``), or, where that cannot tell, every token."""
    got = placed_by_lines(text, want_at, copied, name, source_text, reformat)
    return got if got is not None else place_everywhere(text, wanted(), name, reformat)


def placed_by_lines(text: str, want_at: Callable[[int, int], Want], copied: Callable[[int, int], bool], name: str,
                    source_text: str, reformat: Callable[[str], str] | None = None) -> str | None:
    """``linemap.place_columns``'s result, reading only the lines that need it (see the module);
    None where this cannot tell. ``want_at(pos, end)`` is the source (line, byte column) of
    the token at ``[pos, end)`` of ``text`` (None where the lowering wrote it),
    ``copied(pos, end)`` whether that span holds any source text; ``source_text`` is the
    source's text."""
    if "/*line " in text:
        return None
    try:
        return _placed(_Placer(text, want_at, copied, name, source_text), reformat) or text
    except _GiveUp:
        return None


# the keywords of a top-level declaration, at column 1 (in a body, a line at column 1 is a
# label, a ``}`` or a directive: none of these)
_DECLARATION = ("func ", "type ", "var ", "const ", "import ")


def _declarations_kept(lines: list[str], written: list[bool], reformat: Callable[[str], str]) -> bool:
    """Whether gofmt leaves ``lines`` as they are, told from the top-level declarations that
    hold the lines ``written`` marks alone, when it can be: the text is gofmt's output but for
    those lines, and go/printer lays out each run of declarations between two blank lines by
    itself (a blank line ends every column block of its alignment, and keeps the declarations'
    separation as it is). The runs are cut at a blank line followed by the declaration's
    ``//`` lines, if any, and its keyword at column 1, none inside a raw string or block
    comment; they are formatted together, each once per shape (``_shape``), after a package
    clause of their own (one gofmt run on a small text, not the file). False where that
    cannot tell (a written line before the first cut, gofmt refusing or changing the runs):
    gofmt is then run on the whole text."""
    marked = [k for k, w in enumerate(written) if w]
    if not marked:
        return True
    inside = lines_inside_tokens("\n".join(lines))
    n = len(lines)

    def cut(b: int) -> bool:  # a blank line before a top-level declaration (and its comments)
        if lines[b] or b in inside:
            return False
        j = b + 1
        while j < n and lines[j].startswith("//") and j not in inside:
            j += 1
        # (or the end: the text's last line, empty, or comments after the last declaration)
        return j == n or (j not in inside and lines[j].startswith(_DECLARATION))

    runs: list[tuple[int, int]] = []  # [first, end) of each run of declarations, in order
    for m in marked:
        if runs and m < runs[-1][1]:
            continue
        b = m - 1
        while b >= 0 and not cut(b):
            b -= 1
        if b < 0:
            return False  # (the package clause and imports: the whole text is formatted)
        e = m + 1
        while e < n and not cut(e):
            e += 1
        runs.append((b + 1, e))
    # each run once per shape (``_shape``): numbered copies of a declaration, as generated
    # code writes them, are laid out alike
    shapes = dict.fromkeys(_shape("\n".join(lines[first:end])) for first, end in runs)
    text = "package p\n" + "".join("\n" + run + "\n" for run in shapes)
    try:
        return reformat(text) == text
    except LowerError:
        return False


def _shape(run: str) -> str:
    """The shape of a run of declarations: gofmt leaves it as it is only if it leaves the run
    as it is (given, as ``_declarations_kept`` takes, that it lays out the run alike whatever
    line the lines above end on).

    Every ASCII digit but 0 is written as 1, but the line numbers of the directives, which are
    moved down (when all have the same number of digits) so that the least is 1, 10, 100... gofmt
    lays out a text and its shape alike: every token keeps its kind and width (a digit stays
    a digit, a 0 a 0, so a literal or escape stays a valid one of the same kind), go/printer
    and the doc-comment formatting look at a digit only as a digit or as a 0 (the leading
    zeros gofmt drops from an integer imaginary literal), and the lines Go gives the tokens
    and comments through the directives, by which go/parser groups the comments, keep their
    differences. A run with an import declaration (whose specs gofmt sorts and deduplicates
    by their text), or with a directive not read here, is its own shape."""
    if run.startswith("import") or "\nimport" in run:
        return run
    shaped = run.encode().translate(_SHAPE).decode()  # (bytes: a tenth of str.translate's time)
    if "line " not in run:
        return shaped
    # where each directive's line number is
    fields = [m.span(1) if m.start(1) >= 0 else m.span(2) for m in _SHAPE_DIRECTIVE.finditer(run)]
    if len(fields) != run.count("//line ") + run.count("/*line "):
        return run  # (a ``//line`` not at a line's start, a name with a colon, no column...)
    if not fields:
        return shaped
    numbers = [int(run[f:e]) for f, e in fields]
    width = fields[0][1] - fields[0][0]
    low, high = min(numbers), max(numbers)
    base = 10 ** (width - 1)
    if not all(e - f == width for f, e in fields) or high - low + base >= 10 * base:
        base = low  # (numbers of different widths: kept as they are)
    out: list[str] = []
    at = 0
    for (f, e), number in zip(fields, numbers, strict=True):
        out += [shaped[at:f], str(number - low + base)]
        at = e
    out.append(shaped[at:])
    return "".join(out)


_SHAPE = bytes.maketrans(b"23456789", b"11111111")
# a directive with a line and column, at a line's start or inline, its name without a colon;
# its line number (not starting with 0) in group 1 or 2 (written to start with a ``/``, which
# the regular expression engine then looks for alone)
_SHAPE_DIRECTIVE = re.compile(r"/(?:(?<=^/)/line [^:\n]*:([1-9][0-9]*):[0-9]+$|\*line [^:\n]*:([1-9][0-9]*):[0-9]+\*/)",
                              re.MULTILINE)


def _placed(p: _Placer, reformat: Callable[[str], str] | None) -> str | None:
    dirty = [i for i in range(len(p.lines)) if p.needs_reading(i)]
    for _ in range(_ROUNDS):
        placing: list[tuple[int, list[tuple[int, int, str]], tuple[bool, int, int] | None]] = []
        work = list(dirty)
        heapq.heapify(work)
        seen = set(work)
        while work:
            i = heapq.heappop(work)
            edits, above, named = p.place(i)
            if edits or above is not None:
                placing.append((i, edits, above))
            state = p.states[i]
            if named is not None and state is not None and named != state[1]:
                # (the lines below count on from the line it names: they are read again)
                for k in p.renumbered(i, named):
                    if k not in seen and p.needs_reading(k):
                        seen.add(k)
                        heapq.heappush(work, k)
        if not placing:
            return p.text() if reformat is not None else None
        written = [False] * len(p.lines)  # each line this round wrote or changed
        above_at: dict[int, str] = {}  # a directive line to write above line i
        for i, edits, above in reversed(placing):  # (from the end, as the lines above were written)
            p.apply(i, edits)
            written[i] = True
            if above is not None:
                replace, line, column = above
                directive = line_directive(p.name, line, column)
                if replace:
                    p.lines[i - 1] = directive
                    written[i - 1] = True
                else:
                    above_at[i] = directive
                p.states[i] = (p.name, line, column)
        if above_at:
            written = p.insert_above(above_at, written)
        if reformat is None:
            return p.text()
        if _declarations_kept(p.lines, written, reformat):
            return p.text()
        dirty_set = set(p.reformatted(reformat(p.text())))
        # gofmt moved comments: their columns are worked out again from where they stand
        changed = set(dirty_set)
        for _ in range(_ROUNDS):
            settling = [(i, e) for i in sorted(changed) for e in [p.settle(i)] if e]
            if not settling:
                break
            for i, e in settling:
                p.apply(i, e)
            changed = set(p.reformatted(reformat(p.text())))
            dirty_set |= changed
        dirty = sorted(dirty_set)
    return p.text()
