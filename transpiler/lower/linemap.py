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
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence

from transpiler.syntax.scanner import Comment, ScanResult, Tok, scan
from transpiler.syntax.source import SourceFile

_DIRECTIVE = re.compile(r"//line (.+)$")
_NO_POSITIONS = re.compile(r"(//.*|/\*.*|\*.*|[)\]}]+,?\s*(//.*)?)")


def line_directive(name: str, line: int, column: int = 1) -> str:
    """The directive (without a line break) that puts the next line on ``line`` of ``name``, its
    first character on ``column``."""
    return f"//line {name}:{line}:{column}"


def inline_directive(name: str, line: int, column: int) -> str:
    """The ``/*line*/`` comment that puts the character right after it on ``line``:``column``
    of ``name`` (the rest of its line follows on from there, the lines after it from ``line``)."""
    return f"/*line {name}:{line}:{column}*/"


_INLINE = re.compile(r" ?/\*line \S+:\d+(:\d+)?\*/")


def without_inline_directives(text: str) -> str:
    """``text`` without its ``/*line*/`` comments (and the blank gofmt puts before each): the
    lowered Go as it reads without the columns placed on changed lines."""
    return _INLINE.sub("", text) if "/*line " in text else text


_COLUMN = re.compile(r"^(//line .+:\d+):\d+$", re.MULTILINE)


def drop_columns(text: str) -> str:
    """``text`` with its directives' columns removed (Go then takes columns as unknown)."""
    return _COLUMN.sub(r"\1", text)


def columns_hold(source_text: str, go_text: str) -> bool:
    """Whether the columns the directives of ``go_text`` give are the source's: no line of the
    source was re-laid out (a line placed on a source line with the same tokens, but other
    spacing, as gofmt leaves an unformatted source; a trailing comment gofmt aligned moves no
    code). A line of closing brackets is not judged: an enum's generated methods run on
    over the lines below it, and their ``}`` would meet a source line's. Lines above the
    first directive are the source's (the header's directive places them)."""
    src = source_text.split("\n")
    for text, where in zip(go_text.split("\n"), line_map(go_text, ""), strict=True):
        if where is None or not 0 < where[1] <= len(src) or text == src[where[1] - 1]:
            continue  # (a line that is its source line byte for byte holds)
        # (up to a line comment: gofmt aligns trailing comments, which moves no code)
        original, code = src[where[1] - 1].split("//", 1)[0].rstrip(), text.split("//", 1)[0].rstrip()
        if code != original and code.split() == original.split() and not _NO_POSITIONS.fullmatch(code.strip()):
            return False
    return True


def parse_directive(line: str) -> tuple[str, int] | None:
    """The (file, line) a ``//line`` directive names, or None if ``line`` is not one."""
    if not line.startswith("//line "):
        return None  # (most lines: no match to try)
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
    if "`" not in text and "/*" not in text:
        return inside  # (no other token runs over a line break)
    line, counted = 0, 0  # the 0-based line of offset ``counted``
    for m in _SPANS.finditer(text):
        breaks = text.count("\n", m.start(), m.end())
        if breaks:
            line += text.count("\n", counted, m.start())
            counted = m.start()
            inside.update(range(line + 1, line + 1 + breaks))
    return inside


# what go/printer takes for a directive in a doc comment (its isDirective): ``//line ``,
# ``//extern ``, ``//export ``, ``//word:word``
_DOC_DIRECTIVE = re.compile(r"//(?:line |extern |export |[a-z0-9]+:[a-z0-9])")
# a doc comment's line of text (a letter or digit in it)
_DOC_TEXT = re.compile(r"//.*[^\W_]")


def directive_joins_doc(text: str) -> bool:
    """Whether gofmt certainly changes ``text``, as one that formats doc comments does (from Go
    1.19: go/printer moves the directives of a doc comment to its end, after a ``//`` line):
    a ``//line`` line starts the doc comment of a declaration.

    Only a sure case is told: the ``//line`` line follows a blank line after a ``}`` or ``)``
    line, and is followed by ``//`` lines (one at least with text, none a ``//line``) and then,
    at column 1, the declaration; the line it names is at most one past the line Go gives
    the directive line itself, through the ``//line`` line above it (go/parser groups
    comments by the lines Go gives them: else the ``//line`` line is a comment group of
    its own), with a column (else Go gives no column, and the comment is no doc comment);
    none of these lines is inside a raw string or a block comment, and no ``/*line*/``
    comment stands between the two directives.
    """
    if "\n//line " not in text:
        return False
    lines = text.split("\n")
    inside = lines_inside_tokens(text)
    for k in range(2, len(lines) - 2):
        if not lines[k].startswith("//line ") or lines[k - 1] or lines[k - 2] not in ("}", ")") or \
                not inside.isdisjoint((k - 2, k - 1, k)):
            continue
        named = _directive_parts(lines[k][7:].rstrip())
        at = _go_line(lines, k, inside)
        if named is None or at is None or named[1] > at + 1:
            continue
        m, said = k + 1, False
        while m < len(lines) and lines[m].startswith("//") and not lines[m].startswith("//line ") and \
                m not in inside:
            said = said or (_DOC_TEXT.match(lines[m]) is not None and _DOC_DIRECTIVE.match(lines[m]) is None)
            m += 1
        if said and m < len(lines) and m not in inside and lines[m][:1] not in ("", " ", "\t", "/"):
            return True
    return False


def _go_line(lines: list[str], k: int, inside: set[int]) -> int | None:
    """The line Go gives line ``k`` (0-based) of ``lines``, through the nearest ``//line`` line
    above it (that line's own count when there is none); None where that is not sure (a
    ``/*line*/`` comment between, a directive without a column or inside a token)."""
    j = k - 1
    while j >= 0 and not lines[j].startswith("//line "):
        if "/*line " in lines[j]:
            return None
        j -= 1
    if j < 0:
        return k + 1
    parts = _directive_parts(lines[j][7:].rstrip())
    if j in inside or parts is None or parts[2] == 0:
        return None
    return parts[1] + k - (j + 1)


def line_map(go_text: str, go_name: str) -> list[tuple[str, int] | None]:
    """For each line of ``go_text`` (index 0 is line 1), the (file, line) Go reports for it (for
    its first character); None for a directive line. File names are as the directives write
    them. A line that starts inside a raw string or a block comment is never a directive (Go's
    own tests hold ``//line`` text in raw strings). A ``/*line*/`` comment inside a line
    numbers the lines after it."""
    out: list[tuple[str, int] | None] = []
    current: tuple[str, int] | None = None
    inside = lines_inside_tokens(go_text) if "//line " in go_text else set()
    positions = GoPositions(go_text) if "/*line " in go_text else None
    offset = 0
    for number, text in enumerate(go_text.split("\n"), 1):
        start, offset = offset, offset + len(text) + 1
        directive = parse_directive(text) if number - 1 not in inside else None
        if directive is not None:
            out.append(None)
            current = directive
            continue
        if positions is not None:
            name, line, _ = positions.at(start)
            out.append((name or go_name, line))
        elif current is None:
            out.append((go_name, number))
        else:
            out.append(current)
            current = (current[0], current[1] + 1)
    return out


def _directive_parts(body: str) -> tuple[str, int, int] | None:
    """(file, line, column or 0) of a directive's text after ``//line `` or ``/*line ``, read from
    the back as go/scanner reads it; None if it is not one."""
    head, sep, last = body.rpartition(":")
    if not sep or not last.isdigit() or int(last) == 0:
        return None
    name, sep2, mid = head.rpartition(":")
    if sep2 and mid.isdigit() and int(mid) > 0:
        return name, int(mid), int(last)
    return head, int(last), 0


# a directive's base: (its Go offset, that offset's Go line and byte column, file, line, column)
Base = tuple[int, int, int, str, int, int]


class GoPositions:
    """Where the Go tools place each character of a Go text: through the ``//line`` directives
    at the start of a line and the ``/*line*/`` comments anywhere before it, as go/scanner
    and cmd/compile read them. A directive names the position of the character right after
    it (for ``//line``, the next line's first); the rest of that line follows on in columns,
    the lines after it count on from its line with their own columns. A directive without a
    column makes columns unknown (0) up to the next one."""

    __slots__ = ("_after", "_bases", "source")

    def __init__(self, text: str, comments: Sequence[Comment] | None = None) -> None:
        self.source = SourceFile("", text)
        if comments is None:
            comments = scanned(text).comments if "line " in text else []
        self._bases: list[Base] = []
        file = ""
        for c in comments:
            if c.text.startswith("//line ") and self.source.position(c.pos)[1] == 1:
                body, after = c.text[7:], c.end + 1 if text.startswith("\n", c.end) else c.end
            elif c.text.startswith("/*line ") and c.text.endswith("*/") and "\n" not in c.text:
                body, after = c.text[7:-2], c.end
            else:
                continue
            parts = _directive_parts(body.rstrip() if c.text.startswith("//") else body)
            if parts is None:
                continue
            name, line, col = parts
            if not name and col:
                name = file
            file = name
            self._bases.append((after, *self.source.position(after), name, line, col))
        self._after = [b[0] for b in self._bases]

    def base(self, offset: int) -> Base | None:
        """The directive that places ``offset`` (the last one before it), if any."""
        i = bisect_right(self._after, offset) - 1
        return self._bases[i] if i >= 0 else None

    def at(self, offset: int) -> tuple[str, int, int]:
        """(file, line, byte column) Go reports for a character offset; the file is "" where no
        directive names one, the column 0 where it is unknown."""
        line, col = self.source.position(offset)
        return placed(self.base(offset), line, col)


def placed(base: Base | None, line: int, col: int) -> tuple[str, int, int]:
    """Where Go places Go ``line``:``col`` under the directive ``base``."""
    if base is None:
        return "", line, col
    _, bl, bc, name, dline, dcol = base
    row = dline + line - bl
    if dcol == 0:
        return name, row, 0
    return name, row, dcol + col - bc if line == bl else col


# the last text scanned here and its scan: the source map, the wanted positions and each
# round of the column placement read the same lowered text (kept small: a scan of a big
# file is many times its size)
_SCANNED: list[tuple[str, ScanResult]] = []
_KEEP_SCANS = 1


def scanned(text: str) -> ScanResult:
    """``scanner.scan(text)``, shared by the readers of one lowered text (the result is only
    read, never changed)."""
    for kept, result in _SCANNED:
        if kept == text:
            return result
    result = scan(text)
    _SCANNED.insert(0, (text, result))
    del _SCANNED[_KEEP_SCANS:]
    return result


def code_tokens(text: str) -> list[Tok]:
    """The tokens of Go text (not its comments, nor the semicolons the scanner inserts)."""
    return [t for t in scanned(text).tokens if t.end > t.pos]


# tokens no Go tool reports a position at (go/ast keeps none for them), and past which gofmt
# moves a comment
_UNPLACED = frozenset({",", ";", "."})
# a struct or interface type on one line: gofmt lays one with a comment in it out on several
# lines, so no inline directive goes inside it (its tokens keep go's columns)
_ONE_LINE_TYPE = re.compile(r"\b(?:struct|interface)\{ ")
# how many times the directives are placed and checked again (gofmt may move a comment)
_ROUNDS = 4


def place_columns(text: str, wanted: Sequence[tuple[int, int] | None], name: str,
                  reformat: Callable[[str], str] | None = None) -> str:
    """``text`` with directives where Go would place a token elsewhere than ``wanted``.

    ``wanted`` holds, for each of ``code_tokens(text)``, its (line, byte column) in the
    source ``name`` (None for a token the lowering wrote). Where the lowering made a line
    shorter or longer (``f()?`` became ``x, err := f()``), or gofmt split it, Go would count
    the tokens after the change at other columns, or on other lines. Before the first such
    token a directive puts it back: a ``//line NAME:L:C`` line above its line when it is the
    first on it, else an inline ``/*line NAME:L:C*/`` right before it (gofmt writes a blank
    after the comment: the blank is given column C-1). The tokens after it on its line follow
    on from it, so only where a column shifted is one written. ``reformat`` (gofmt) is run
    on the result; where it moved a comment (before a ``,``), the comment's column is worked
    out again from where it stands. Returns ``text`` itself when every token is in place.
    """
    inline = "*/" not in name and "\n" not in name
    current = text
    for _ in range(_ROUNDS):
        scan_ = scanned(current)
        toks = [t for t in scan_.tokens if t.end > t.pos]
        if len(toks) != len(wanted):
            return current  # (reformatting changed the tokens: leave it as it was)
        positions = GoPositions(current, scan_.comments)
        src = positions.source
        inside = lines_inside_tokens(current)
        edits: list[tuple[int, int, str]] = []
        mine: Base | None = None  # the last directive written here, in current's coordinates
        for tok, want in zip(toks, wanted, strict=True):
            if want is None or tok.text in _UNPLACED:
                continue
            gl, gc = src.position(tok.pos)
            base = positions.base(tok.pos)
            if mine is not None and (base is None or mine[0] >= base[0]):
                base = mine
            if placed(base, gl, gc) == (name, *want):
                continue
            start = src.line_start(gl)
            first = not current[start : tok.pos].strip() and gl - 1 not in inside
            column = want[1] - (gc - 1)
            if first and column >= 1:
                directive = line_directive(name, want[0], column)
                prev = src.line_start(gl - 1) if gl > 1 else -1
                if prev >= 0 and gl - 2 not in inside and parse_directive(current[prev : start - 1]) is not None:
                    edits.append((prev, start - 1, directive))  # (in place of the directive above)
                else:
                    edits.append((start, start, directive + "\n"))
                mine = (start, gl, 1, name, want[0], column)
            elif inline and want[1] >= 2 and not _ONE_LINE_TYPE.search(current, start, tok.end + 1):
                blank = "" if tok.pos > 0 and current[tok.pos - 1] in " \t" else " "
                edits.append((tok.pos, tok.pos, f"{blank}{inline_directive(name, want[0], want[1] - 1)} "))
                mine = (tok.pos, gl, gc, name, want[0], want[1])
        if not edits:
            return current
        current = _replaced(current, edits)
        if reformat is not None:
            current = _settle(reformat(current), wanted, name, reformat)
    return current


def _settle(text: str, wanted: Sequence[tuple[int, int] | None], name: str,
            reformat: Callable[[str], str]) -> str:
    """``text`` with the column of each inline directive of ``name`` worked out from where it
    stands: the next placed token on its line is to be at its wanted column."""
    for _ in range(_ROUNDS):
        scan_ = scanned(text)
        toks = [t for t in scan_.tokens if t.end > t.pos]
        if len(toks) != len(wanted):
            return text
        src = SourceFile("", text)
        starts = [t.pos for t in toks]
        edits: list[tuple[int, int, str]] = []
        for c in scan_.comments:
            if not c.text.startswith(f"/*line {name}:"):
                continue
            line = src.line_of(c.end)
            i = bisect_right(starts, c.end)
            while i < len(toks) and (wanted[i] is None or toks[i].text in _UNPLACED):
                i += 1
            want = wanted[i] if i < len(toks) else None
            if i < len(toks) and src.line_of(toks[i].pos) != line and not text[c.end : toks[i].pos].strip():
                # gofmt broke the line after it (a struct it no longer keeps on one line): the
                # token has a line of its own, which the next round places from its start
                blank = c.pos - len(text[: c.pos]) + len(text[: c.pos].rstrip(" \t"))
                edits.append((blank, c.end, ""))
                continue
            if want is None or src.line_of(toks[i].pos) != line:
                continue
            column = want[1] - (src.position(toks[i].pos)[1] - src.position(c.end)[1])
            new = inline_directive(name, want[0], column)
            if column >= 1 and new != c.text:
                edits.append((c.pos, c.end, new))
        if not edits:
            return text
        text = reformat(_replaced(text, edits))
    return text


def _replaced(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with each ``(pos, end, new)`` of ``edits`` (not overlapping) made."""
    parts: list[str] = []
    at = 0
    for pos, end, new in sorted(edits):
        parts += [text[at:pos], new]
        at = end
    parts.append(text[at:])
    return "".join(parts)


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


def drifted_columns(source_text: str, go_text: str, source_name: str,
                    copied: Sequence[tuple[int, int] | None]) -> list[tuple[int, int, str, tuple[str, int, int]]]:
    """The tokens of source text in the lowered ``go_text`` that Go places where the source does
    not hold them: (Go line, Go column, token, where Go places it).

    The column checker: ``copied`` says, for each of ``code_tokens(go_text)``, whether it is
    source text (not None: ``LoweredFile.wanted_positions``); each such token, read through
    the directives as Go reads them, must stand on a line and column of the source that
    holds the same text, or at its wanted position (the source column less one for each
    ``?`` of a nullable type or ``!`` of an assertion removed before it on its line). Tokens the lowering wrote (``err``, ``if err != nil``) are not
    judged; nor are ``,``, ``;`` and a selector's ``.`` (no Go tool reports a position
    there), nor tokens in a stretch whose columns the directives leave unknown, nor those
    of a struct or interface type on one line (no inline directive goes there).
    """
    base = os.path.basename(source_name)
    src = SourceFile("", source_text)
    positions = GoPositions(go_text)
    out: list[tuple[int, int, str, tuple[str, int, int]]] = []
    for t, want in zip(code_tokens(go_text), copied, strict=True):
        if want is None or t.text in _UNPLACED:
            continue
        name, line, col = positions.at(t.pos)
        if col == 0 and os.path.basename(name) == base:
            continue
        go_line = positions.source.line_of(t.pos)
        if _ONE_LINE_TYPE.search(go_text, positions.source.line_start(go_line), t.end + 1):
            continue  # (inside a struct or interface type on one line: see place_columns)
        if os.path.basename(name) == base and (line, col) == want:
            continue  # (where it is wanted: the source's column, less the removed ``?`` of types before it)
        at = src.offset(line, col) if 0 < line <= src.line_count else -1
        if os.path.basename(name) != base or at < 0 or src.position(at) != (line, col) or \
                not source_text.startswith(t.text, at):
            out.append((*positions.source.position(t.pos), t.text, (name, line, col)))
    return out
