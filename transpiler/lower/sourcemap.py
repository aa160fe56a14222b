"""Source maps: where each position of a ``.tgo`` file is in its lowered Go, and back.

A map is a list of *segments*, runs of characters that are the same text in both files:
(tgo offset, Go offset, length), character offsets as tokens hold them. It is exact by
construction, in two steps:

1. **The edits.** The lowering replaces spans of the source and keeps every other
   character (``edits.apply_edits_mapped``); the runs it keeps, and the source text an edit
   moves into its replacement (the call of ``x := f()?``, written into the ``if err != nil``
   block: ``Edit.moved``), are the segments from the source to the text before gofmt.
2. **gofmt and the directives.** gofmt changes white space and line breaks, drops or adds
   a ``;`` or a ``,``, sorts import specs and may re-lay out a doc comment; then ``//line``
   directives and the generated-code header are added. Lines the same on both sides (most
   of them) are matched first, each run of them one segment; in the stretches between,
   the text before and the text after are both Go token streams: they are aligned token
   by token (equal tokens in order, resynchronised past the few gofmt adds or drops; a
   stretch it reordered, such as sorted imports, matched by tokens that occur once in it
   on each side), so each token keeps its segment, and the white space between two
   aligned tokens joins them when gofmt left it as it was.

The two steps compose into the file's map. A position the map has no segment for has no
counterpart: in the source, text the lowering replaced (``?`` of a try, the ``!`` of a
non-nil assertion, the ``?`` of ``?T``, an enum or union declaration: ``kind`` says
``"tgo-only"``) or white space gofmt changed (``"reformatted"``); in the Go file, text the
lowering generated (the ``if err != nil`` block, an enum's methods, the header, the
directives). Such positions give ``None``, never a guess. A position at the end of a
segment maps too (the cursor just after a token). ``to_go_span`` maps a token or range
only when all of it is in one segment.

Building the map costs a pass over the lines of both texts and a scan of the stretches
gofmt changed; ``LoweredFile.source_map`` builds it on first use: the lowering asks for it
for each file it changed, to place the columns of the tokens on changed lines
(``LoweredFile.wanted_at``, ``columns.place_columns``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Literal

from transpiler.lower.edits import Piece
from transpiler.lower.linemap import code_tokens, lines_inside_tokens, scanned
from transpiler.syntax.scanner import scan
from transpiler.syntax.source import SourceFile

Kind = Literal["copied", "tgo-only", "reformatted", "generated"]

# How many tokens ahead on each side the alignment looks for a point where the two agree again.
_LOOKAHEAD = 48
# How many tokens must agree there for it to count as one (fewer at the end of the file).
_AGREE = 3
# Of the points at the same distance that agree, the one agreeing longest is taken, up to this.
_AGREE_BEST = 16
# The largest stretch (tokens before times tokens after) matched as a common subsequence.
_GAP_WORK = 250_000
# A mark the lowering may remove alone: the ``?`` of a nullable type, the ``!`` of an assertion.
_MARK = re.compile(r"[?!]")


class SourceMap:
    """The map between a ``.tgo`` file (``tgo``) and its lowered Go (``go``); see the module."""

    __slots__ = ("_by_go", "_by_tgo", "_edited", "_edited_starts", "_go_starts", "_tgo_starts", "go", "tgo")

    def __init__(self, tgo: SourceFile, go: SourceFile, segments: list[Piece],
                 edited: Sequence[tuple[int, int]] = ()) -> None:
        self.tgo = tgo
        self.go = go
        self._by_tgo = sorted(segments)
        self._by_go = sorted(segments, key=lambda s: s[1])
        self._tgo_starts = [s[0] for s in self._by_tgo]
        self._go_starts = [s[1] for s in self._by_go]
        self._edited = sorted(edited)  # the source spans the lowering replaced
        self._edited_starts = [pos for pos, _ in self._edited]

    @property
    def edited(self) -> list[tuple[int, int]]:
        """The tgo spans the lowering replaced (some of their text may be moved, and map)."""
        return list(self._edited)

    @property
    def segments(self) -> list[Piece]:
        """The (tgo offset, Go offset, length) runs, by tgo offset."""
        return list(self._by_tgo)

    def to_go(self, tgo_offset: int) -> int | None:
        """The Go offset of a tgo offset, or None when it has no counterpart."""
        return _lookup(self._by_tgo, self._tgo_starts, tgo_offset, 0)

    def to_tgo(self, go_offset: int) -> int | None:
        """The tgo offset of a Go offset, or None when the Go text there was generated."""
        return _lookup(self._by_go, self._go_starts, go_offset, 1)

    def to_go_span(self, pos: int, end: int) -> tuple[int, int] | None:
        """The Go span of the tgo span ``[pos, end)`` when all of it is copied in one run."""
        seg = _segment(self._by_tgo, self._tgo_starts, pos, 0, end - pos)
        return None if seg is None else (seg[1] + pos - seg[0], seg[1] + end - seg[0])

    def to_tgo_span(self, pos: int, end: int) -> tuple[int, int] | None:
        """The tgo span of the Go span ``[pos, end)`` when all of it is copied in one run."""
        seg = _segment(self._by_go, self._go_starts, pos, 1, end - pos)
        return None if seg is None else (seg[0] + pos - seg[1], seg[0] + end - seg[1])

    def copies(self, pos: int, end: int) -> bool:
        """Whether any of the Go span ``[pos, end)`` is source text."""
        i = bisect_right(self._go_starts, end - 1) - 1
        return i >= 0 and self._by_go[i][1] + self._by_go[i][2] > pos and end > pos

    def replaced(self, tgo_offset: int) -> tuple[int, int] | None:
        """The span of the edit that replaced the source text at ``tgo_offset``, if one did."""
        i = bisect_right(self._edited_starts, tgo_offset) - 1
        if i >= 0 and self._edited[i][0] <= tgo_offset < self._edited[i][1]:
            return self._edited[i]
        return None

    def kind(self, tgo_offset: int) -> Kind:
        """What a tgo position is: ``copied`` (it maps), ``tgo-only`` (in text the lowering
        replaced by Go of another form), ``reformatted`` (white space gofmt changed)."""
        if self.to_go(tgo_offset) is not None:
            return "copied"
        if self.replaced(tgo_offset) is not None:
            return "tgo-only"
        return "reformatted"

    def go_kind(self, go_offset: int) -> Kind:
        """``copied`` when a Go position maps back, else ``generated``."""
        return "copied" if self.to_tgo(go_offset) is not None else "generated"

    def to_go_position(self, line: int, column: int, utf16: bool = False) -> tuple[int, int] | None:
        """The Go (line, column) of a tgo (line, column): 1-based, the column in bytes (or
        UTF-16 code units with ``utf16``, as gopls counts); None when it has no counterpart."""
        return _convert(self.tgo, self.go, self.to_go, line, column, utf16)

    def to_tgo_position(self, line: int, column: int, utf16: bool = False) -> tuple[int, int] | None:
        """The tgo (line, column) of a Go (line, column) (see ``to_go_position``)."""
        return _convert(self.go, self.tgo, self.to_tgo, line, column, utf16)


def _convert(src: SourceFile, dst: SourceFile, through: Callable[[int], int | None], line: int, column: int,
             utf16: bool) -> tuple[int, int] | None:
    if not 1 <= line <= src.line_count:
        return None
    off = src.utf16_offset(line, column) if utf16 else src.offset(line, column)
    got = through(off)
    if got is None:
        return None
    return dst.utf16_position(got) if utf16 else dst.position(got)


def _segment(segs: list[Piece], starts: list[int], offset: int, side: int, length: int = 0) -> Piece | None:
    """The segment that holds ``[offset, offset + length]`` on ``side`` (0: tgo, 1: Go): the
    one starting at or before ``offset`` that reaches its end (its end point included)."""
    i = bisect_right(starts, offset) - 1
    if i < 0:
        return None
    seg = segs[i]
    return seg if offset + length <= seg[side] + seg[2] else None


def _lookup(segs: list[Piece], starts: list[int], offset: int, side: int) -> int | None:
    seg = _segment(segs, starts, offset, side)
    if seg is None:
        return None
    return offset - seg[side] + seg[1 - side]


# ----------------------------------------------------------------- building


def _tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The (pos, end) of each token and comment of Go text (of ``text[start:end]``, whole lines
    that no token runs into or out of), in order: the semicolons the scanner inserts, and
    ``//line`` and ``/*line*/`` directives (which the lowering adds), left out."""
    if start == 0 and (end is None or end == len(text)):
        scan_ = scanned(text)
    else:
        scan_ = scan(text[start:end])
        text = text[start:end]
    toks = [(t.pos + start, t.end + start) for t in scan_.tokens if t.end > t.pos]
    toks.extend((c.pos + start, c.end + start) for c in scan_.comments if not text.startswith(("//line ", "/*line "), c.pos))
    toks.sort()
    return toks


class _LineKeys:
    """What ``align`` matches lines on: each line without its white space, made when first
    asked for (most lines are matched on their text as it is, ``same``); a line that a token
    runs into or out of (a raw string's, a block comment's) matches nothing (``side`` makes
    it differ from any key of the other text)."""

    __slots__ = ("keys", "lines", "made", "odd")

    def __init__(self, text: str, lines: list[str], side: str) -> None:
        self.lines = lines
        self.keys = [side] * len(lines)
        self.made = [False] * len(lines)
        self.odd: set[int] = set()
        for i in lines_inside_tokens(text):
            self.odd.update((i, i - 1))
        for i in self.odd:
            self.made[i] = True

    def key(self, i: int) -> str:
        if not self.made[i]:
            self.keys[i] = "".join(self.lines[i].split())
            self.made[i] = True
        return self.keys[i]

    def window(self, i: int) -> list[str]:
        """The keys, made for the lines ``_resync`` may read from line ``i`` on."""
        for k in range(i, min(i + _LOOKAHEAD + _AGREE_BEST + 1, len(self.lines))):
            self.key(k)
        return self.keys


def align(before: str, after: str) -> list[Piece]:
    """Segments (offset in ``before``, offset in ``after``, length) for the text gofmt (and the
    directives and header placed after it) kept: ``after`` is ``before`` reformatted.

    Lines first: the lines are matched on their text without white space (in order, past a
    stretch that disagrees at the nearest point where ``_AGREE`` lines agree again); a line
    that is the same on both sides is one segment (a run of them, one), and only the
    stretches that differ (a line gofmt re-spaced, lines it joined or split, the header and
    the directives) are scanned and aligned token by token (``_align_tokens``)."""
    la, lb = before.split("\n"), after.split("\n")
    ka, kb = _LineKeys(before, la, "\0"), _LineKeys(after, lb, "\1")
    odd = bool(ka.odd or kb.odd)
    sa, sb = line_starts(la), line_starts(lb)
    na, nb = len(la), len(lb)
    segs: list[Piece] = []
    stretches: list[tuple[int, int, int, int]] = []  # line ranges aligned token by token
    i = j = 0
    while i < na and j < nb:
        # (the same text, on lines no token runs into or out of: the same keys)
        same = la[i] == lb[j] and not (odd and (i in ka.odd or j in kb.odd))
        if same or ka.key(i) == kb.key(j):
            if not same:
                stretches.append((i, i + 1, j, j + 1))
            elif segs and segs[-1][0] + segs[-1][2] == sa[i] and segs[-1][1] + segs[-1][2] == sb[j]:
                s0, s1, _ = segs[-1]
                segs[-1] = (s0, s1, min(sa[i + 1], len(before)) - s0)
            else:
                segs.append((sa[i], sb[j], min(sa[i + 1], len(before)) - sa[i]))
            i += 1
            j += 1
            continue
        found = _resync(ka.window(i), kb.window(j), i, j)
        i1, j1 = found if found is not None else (na, nb)
        stretches.append((i, i1, j, j1))
        i, j = i1, j1
    if i < na or j < nb:
        stretches.append((i, na, j, nb))
    for i0, i1, j0, j1 in _merged(stretches):
        segs.extend(_align_tokens(before, after, _tokens(before, sa[i0], sa[i1]), _tokens(after, sb[j0], sb[j1])))
    segs.sort()
    return segs


def line_starts(lines: list[str]) -> list[int]:
    """The offset of each line's start, and one past the end (as if a last line followed)."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    return starts


def _merged(stretches: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Stretches that follow each other on both sides, as one."""
    out: list[tuple[int, int, int, int]] = []
    for st in stretches:
        if out and out[-1][1] == st[0] and out[-1][3] == st[2]:
            out[-1] = (out[-1][0], st[1], out[-1][2], st[3])
        else:
            out.append(st)
    return out


def _align_tokens(before: str, after: str, a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[Piece]:
    """Segments for two token streams (``_tokens`` of a stretch of each text): equal tokens in
    order, resynchronised past a disagreement (``_resync``, ``_gap_pairs``), and the white
    space between two aligned tokens when it is the same on both sides."""
    ta = [before[p:e] for p, e in a]
    tb = [after[p:e] for p, e in b]
    pairs: list[tuple[int, int]] = []
    i = j = 0
    na, nb = len(a), len(b)
    while i < na and j < nb:
        if ta[i] == tb[j]:
            pairs.append((i, j))
            i += 1
            j += 1
            continue
        found = _resync(ta, tb, i, j)
        if found is None:
            pairs.extend(_gap_pairs(ta, tb, i, na, j, nb))
            i, j = na, nb
            break
        pairs.extend(_gap_pairs(ta, tb, i, found[0], j, found[1]))
        i, j = found
    pairs.sort()
    segs: list[Piece] = []
    prev: tuple[int, int] | None = None
    for x, y in pairs:
        (pa, ea), pb = a[x], b[y][0]
        if prev is not None and segs:
            la, lb = a[prev[0]][1], b[prev[1]][1]
            s0, s1, n = segs[-1]
            # the two tokens follow each other on both sides, with the same text between them
            if prev == (x - 1, y - 1) and s0 + n == la and s1 + n == lb and before[la:pa] == after[lb:pb]:
                segs[-1] = (s0, s1, ea - s0)
                prev = (x, y)
                continue
        segs.append((pa, pb, ea - pa))
        prev = (x, y)
    return segs


def _resync(ta: list[str], tb: list[str], i: int, j: int) -> tuple[int, int] | None:
    """The nearest (i', j') past a mismatch at (i, j) from which the two streams agree again
    (``_AGREE`` tokens, or up to the end of both), trying the smallest total skip first; of
    the points at the same skip, the one that agrees longest (up to ``_AGREE_BEST`` tokens:
    after ``T, T,]`` lost its comma, ``,]`` also agrees with the next ``,]`` for a while)."""
    na, nb = len(ta), len(tb)
    for d in range(1, 2 * _LOOKAHEAD + 1):
        best: tuple[int, int] | None = None
        best_k = -1
        for x in range(max(0, d - _LOOKAHEAD), min(d, _LOOKAHEAD) + 1):
            ii, jj = i + x, j + d - x
            if ii > na or jj > nb:
                continue
            k = 0
            while k < _AGREE_BEST and ii + k < na and jj + k < nb and ta[ii + k] == tb[jj + k]:
                k += 1
            if ii + k == na and jj + k == nb:
                k = _AGREE_BEST  # (agrees up to the end of both)
            if k >= _AGREE and k > best_k:
                best, best_k = (ii, jj), k
        if best is not None:
            return best
    return None


def _gap_pairs(ta: list[str], tb: list[str], i0: int, i1: int, j0: int, j1: int) -> list[tuple[int, int]]:
    """The pairs of equal tokens in a stretch the two streams disagree on: the longest common
    subsequence (tokens gofmt dropped: parentheses, commas), then, of the tokens left, those
    that occur exactly once on each side (import paths gofmt sorted)."""
    if i0 >= i1 or j0 >= j1:
        return []
    pairs: list[tuple[int, int]] = []
    if (i1 - i0) * (j1 - j0) <= _GAP_WORK:
        from difflib import SequenceMatcher  # (loaded when a map is aligned: 2 ms)

        blocks = SequenceMatcher(None, ta[i0:i1], tb[j0:j1], autojunk=False).get_matching_blocks()
        pairs = [(i0 + x + k, j0 + y + k) for x, y, n in blocks for k in range(n)]
    used_a, used_b = {x for x, _ in pairs}, {y for _, y in pairs}
    rest_a = [x for x in range(i0, i1) if x not in used_a]
    rest_b = [y for y in range(j0, j1) if y not in used_b]
    ca, cb = Counter(ta[x] for x in rest_a), Counter(tb[y] for y in rest_b)
    where = {tb[y]: y for y in rest_b if cb[tb[y]] == 1}
    pairs += [(x, where[ta[x]]) for x in rest_a if ca[ta[x]] == 1 and ta[x] in where]
    return pairs


def compose(first: list[Piece], second: list[Piece]) -> list[Piece]:
    """The map A -> C of ``first`` (A -> B) and ``second`` (B -> C): the runs of both."""
    by_mid = sorted(first, key=lambda s: s[1])
    mids = [s[1] for s in by_mid]
    out: list[Piece] = []
    for b0, c0, n in second:
        k = max(0, bisect_right(mids, b0) - 1)
        while k < len(by_mid) and by_mid[k][1] < b0 + n:
            a0, m0, m = by_mid[k]
            lo, hi = max(b0, m0), min(b0 + n, m0 + m)
            if lo < hi:
                out.append((a0 + lo - m0, c0 + lo - b0, hi - lo))
            k += 1
    return out


def shift(text_before: str, text_after: str) -> list[Piece] | None:
    """The one segment of a text copied whole into another (``after`` ends with ``before``:
    a header added), or None."""
    if text_after.endswith(text_before):
        return [(0, len(text_after) - len(text_before), len(text_before))] if text_before else []
    return None


class LoweredFile:
    """A ``.tgo`` file's lowered Go ``text`` and, built on first use, its ``source_map``. (A plain
    class, not a dataclass: one is made when the module is loaded, on the path of every check.)"""

    __slots__ = ("_before", "_edited", "_map", "_pieces", "_removed_marks", "name", "source", "text")

    def __init__(self, name: str, text: str, source: SourceFile, _before: str = "",
                 _pieces: list[Piece] | None = None, _edited: list[tuple[int, int]] | None = None) -> None:
        self.name = name  # the .tgo file's path
        self.text = text
        self.source = source  # the .tgo source
        # what the map is built from: the text before gofmt and its pieces from the source
        self._before = _before
        self._pieces: list[Piece] = [] if _pieces is None else _pieces
        self._edited: list[tuple[int, int]] = [] if _edited is None else _edited
        self._map: SourceMap | None = None
        # per source line start: the offsets of the marks (``?T``, ``x!``) the lowering removed there (``_marks_removed``)
        self._removed_marks: dict[int, list[int]] = {}

    def __repr__(self) -> str:
        return f"LoweredFile(name={self.name!r}, text={self.text!r}, source={self.source!r})"

    def wanted_positions(self) -> list[tuple[int, int] | None]:
        """For each of ``linemap.code_tokens(text)``: its (line, byte column) in the source when
        it is source text (copied, or moved by an edit), else None (the lowering wrote it)."""
        return [self.wanted_at(t.pos, t.end) for t in code_tokens(self.text)]

    def wanted_at(self, pos: int, end: int) -> tuple[int, int] | None:
        """The source (line, byte column) of the token at ``[pos, end)`` of ``text`` when it is
        source text, else None.

        The column of a token the lowering left in place is the source's less one for each
        mark it removed before the token on its line, the ``?`` of a nullable type (``a ?*T,
        b ?*T`` became ``a *T, b *T``) or the ``!`` of an assertion (``p!.f`` became ``p.f``):
        Go's messages there name the column as if the mark were not written, so removing one
        writes no directive, which would make gofmt lay out a struct's fields or a one-line
        function again, or leave ``p. /*line a.tgo:6:11*/ f`` (the lowered code would not read
        as its source does). ``tgo check`` and the editor map Go's positions through the
        source map, exactly."""
        sm = self.source_map
        span = sm.to_tgo_span(pos, end)
        if span is None:
            return None
        line, column = sm.tgo.position(span[0])
        if sm.replaced(span[0]) is not None:
            return line, column  # (moved by an edit: its line is written anew, with a directive)
        start = sm.tgo.line_start(line)
        marks = self._removed_marks.get(start)
        if marks is None:
            marks = self._removed_marks[start] = _marks_removed(sm, start)
        return line, column - bisect_right(marks, span[0] - 1)

    @property
    def source_map(self) -> SourceMap:
        if self._map is None:
            second = shift(self._before, self.text)
            if second is None:
                second = align(self._before, self.text)
            segs = compose(self._pieces, second)
            self._map = SourceMap(self.source, SourceFile(self.name, self.text), segs, self._edited)
        return self._map


def _marks_removed(sm: SourceMap, start: int) -> list[int]:
    """The offsets, on the source line from ``start``, of the marks the lowering removed by an
    edit of their own: the ``?`` of a nullable type (written right before the type: ``?*T``,
    ``?T``, ``?[]``, ``?map``...; gofmt may have left a blank of its own there, which the map
    may align them with) and the ``!`` of a non-nil assertion (``p!.f``). A ``?`` of error
    propagation (``f()?``) is followed by no type; a ``!`` of ``!=`` or ``!x`` is not edited."""
    text = sm.tgo.text
    end = text.find("\n", start)
    if end < 0:
        end = len(text)
    out = []
    for m in _MARK.finditer(text, start, end):
        at = m.start()
        if sm.replaced(at) != (at, at + 1):
            continue
        if text[at] == "!":
            out.append(at)
        else:
            nxt = text[at + 1: at + 2]
            if nxt and (nxt in "*[(_" or nxt.isalpha()):
                out.append(at)
    return out
