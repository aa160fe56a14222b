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
from collections.abc import Iterable, Iterator

from transpiler.lower.linemap import line_directive, line_map, lines_inside_tokens, parse_directive


class LowerError(Exception):
    """A construct the lowering cannot produce Go for (a bug, or an unsupported form)."""


# A run of text copied from the ``.tgo`` source: (source offset, offset in the text that
# holds it, length). The source map (sourcemap.py) is made of these.
Piece = tuple[int, int, int]


# (a plain class, not a dataclass: one is made when the module is loaded, on the path of every
# check, with an interpreted __init__)
class Edit:
    """A replacement of the source span ``[pos, end)`` by ``text``. A value, never changed."""

    __slots__ = ("end", "moved", "order", "pos", "text")

    def __init__(self, pos: int, end: int, text: str, order: int = 0, moved: tuple[Piece, ...] = ()) -> None:
        self.pos = pos
        self.end = end
        self.text = text
        self.order = order  # among insertions at the same position: lower first
        # the runs of ``text`` that are source text moved here (``f()`` in the ``if err != nil``
        # block of ``f()?``), with their offsets in ``text``: what the source map knows of ``text``
        self.moved = moved

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Edit) and (self.pos, self.end, self.text, self.order, self.moved) == (
            other.pos, other.end, other.text, other.order, other.moved)

    def __hash__(self) -> int:
        return hash((self.pos, self.end, self.text, self.order, self.moved))

    def __repr__(self) -> str:
        return f"Edit(pos={self.pos!r}, end={self.end!r}, text={self.text!r}, order={self.order!r}, moved={self.moved!r})"


class Text:
    """The text of an edit as it is written, knowing which of its parts are source text moved
    into it (``copy``), so that the edit carries them (``Edit.moved``) for the source map."""

    __slots__ = ("_length", "_parts", "_pieces")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pieces: list[Piece] = []
        self._length = 0

    def add(self, text: str) -> Text:
        self._parts.append(text)
        self._length += len(text)
        return self

    def copy(self, moved: tuple[str, tuple[Piece, ...]]) -> Text:
        """Add moved source text (as ``take_text_mapped`` gives it)."""
        text, pieces = moved
        self._pieces.extend((src, self._length + at, n) for src, at, n in pieces)
        return self.add(text)

    def extend(self, other: Text) -> Text:
        """Add another ``Text`` (with its moved pieces)."""
        return self.copy((str(other), tuple(other._pieces)))

    def join(self, sep: str, items: Iterable[tuple[str, tuple[Piece, ...]]]) -> Text:
        for i, item in enumerate(items):
            if i:
                self.add(sep)
            self.copy(item)
        return self

    def __str__(self) -> str:
        return "".join(self._parts)

    def edit(self, pos: int, end: int) -> Edit:
        """The edit that replaces ``[pos, end)`` by this text."""
        return Edit(pos, end, str(self), moved=tuple(self._pieces))


# an edit whose text ends with a directive line and indentation: the line it ends on is synced
_ENDS_SYNCED = re.compile(r"(?:^|\n)//line [^\n]*\n[ \t]*\Z")
class EditList:
    """A file's edits, kept by position: the ones inside a span are found (and taken out)
    without a scan of them all, so that moving the text of each of a big file's ``f()?``
    statements is linear in the file, not quadratic.

    Edits are kept in buckets of ``1 << _SHIFT`` offsets, each in the order they were
    added (edits at one position stay in that order: ``apply_edits`` sorts stably).
    """

    __slots__ = ("_buckets", "_count")
    _SHIFT = 10

    def __init__(self) -> None:
        self._buckets: dict[int, list[Edit]] = {}
        self._count = 0

    def append(self, edit: Edit) -> None:
        self._buckets.setdefault(edit.pos >> self._SHIFT, []).append(edit)
        self._count += 1

    def __iter__(self) -> Iterator[Edit]:
        for k in sorted(self._buckets):
            yield from self._buckets[k]

    def __len__(self) -> int:
        return self._count

    def take(self, pos: int, end: int) -> list[Edit]:
        """Remove and return the edits inside ``[pos, end)`` (not insertions at its two ends)."""
        out: list[Edit] = []
        for k in range(pos >> self._SHIFT, (end >> self._SHIFT) + 1):
            bucket = self._buckets.get(k)
            if not bucket:
                continue
            keep: list[Edit] = []
            for e in bucket:
                inside = pos <= e.pos and e.end <= end and not (e.pos == e.end == pos) and not (e.pos == e.end == end)
                (out if inside else keep).append(e)
            if len(keep) != len(bucket):
                bucket[:] = keep
        self._count -= len(out)
        return out


def _key(e: Edit) -> tuple[int, int, int]:
    return (e.pos, e.order, e.end)


def apply_edits(text: str, edits: Iterable[Edit], line_file: str | None = None) -> str:
    """``text`` with ``edits`` applied; with ``line_file``, ``//line`` directives resync lines."""
    return apply_edits_mapped(text, edits, line_file)[0]


def apply_edits_mapped(text: str, edits: Iterable[Edit], line_file: str | None = None,
                       base: int = 0) -> tuple[str, list[Piece]]:
    """``apply_edits``, and the runs of the result copied from ``text`` (unchanged, or moved by an
    edit), as pieces (offset in ``text`` plus ``base``, offset in the result, length)."""
    ordered = sorted(edits, key=_key)
    if line_file is not None:
        # a line that an edit starts with a directive of its own needs none before it
        own_directive = {e.pos for e in ordered if e.text.lstrip("\n").startswith("//line ")}
        marks: set[int] = set()  # offsets of the line ends after which to resync
        for e in ordered:
            if _ENDS_SYNCED.search(e.text):
                continue  # the edit's last directive already puts the rest of its line in place
            if e.text.count("\n") != text.count("\n", e.pos, e.end):
                nl = text.find("\n", e.end)
                if nl >= 0 and nl + 1 not in own_directive:
                    marks.add(nl)
        # a directive lands at a line end that no edit covers (edits end before it); the line
        # numbers are counted on from one mark to the next (not from the start: linear)
        directives: list[Edit] = []
        line, counted = 1, 0
        for nl in sorted(marks):
            line += text.count("\n", counted, nl)
            counted = nl
            directives.append(Edit(nl, nl, "\n" + line_directive(line_file, line + 1), order=1_000_000))
        ordered = sorted([*ordered, *directives], key=_key)
    out: list[str] = []
    pieces: list[Piece] = []
    cursor = at = 0
    for e in ordered:
        if e.pos < cursor:
            raise LowerError(f"overlapping edits at offset {e.pos}")
        if e.pos > cursor:
            pieces.append((base + cursor, at, e.pos - cursor))
            at += e.pos - cursor
        out.append(text[cursor : e.pos])
        out.append(e.text)
        pieces.extend((src, at + rel, n) for src, rel, n in e.moved)
        at += len(e.text)
        cursor = e.end
    if cursor < len(text):
        pieces.append((base + cursor, at, len(text) - cursor))
    out.append(text[cursor:])
    return "".join(out), pieces


def _squeeze(line: str) -> str:
    return "".join(line.split())


# How far ahead (in characters without white space) a line gofmt changed is looked for.
_ALIGN_WINDOW = 4096


def _align(old: list[str], new: list[str], head: bool = False) -> list[int | None]:
    """For each of the ``new`` lines (white space removed), the ``old`` line it comes from.

    gofmt changes white space and line breaks, and little else (a ``;`` dropped where it
    splits a line, a ``,`` added, imports sorted): with white space removed, the old
    lines make one stream of text and the new lines cut the same stream differently. Each
    new line is found at the point of the stream where the one before it ended, or a
    little further on (within ``_ALIGN_WINDOW``: gofmt dropped something), and comes from
    the old line that holds its start. A line found nowhere near (gofmt added or moved
    it) comes from no line and does not move the point. So the matching is linear, where
    a line diff (difflib) is quadratic on a big file. A blank line, and a line that only
    closes brackets cut from a longer old line, come from no line (the count goes on).
    With ``head`` the lines are the first ones of longer texts: the answers stop before the
    first line whose search would reach past the end of ``old`` (the rest of the old text
    could change it), so each one given is the one the whole texts give.
    """
    stream = "".join(old)
    starts: list[int] = []
    at = 0
    for line in old:
        starts.append(at)
        at += len(line)
    out: list[int | None] = [None] * len(new)
    cursor = i = 0
    for j, piece in enumerate(new):
        if not piece:
            continue
        if head and cursor + _ALIGN_WINDOW + len(piece) > len(stream):
            return out[:j]
        if stream.startswith(piece, cursor):
            found = cursor
        else:
            found = stream.find(piece, cursor, cursor + _ALIGN_WINDOW + len(piece))
            if found < 0:
                continue
        while i + 1 < len(starts) and starts[i + 1] <= found:
            i += 1
        whole = found == starts[i] and piece == old[i]
        if whole or piece.strip("})],;") != "":
            out[j] = i
        cursor = found + len(piece)
    return out


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
    Linear in the size of the texts (see ``_align``).
    """
    old, new = before.split("\n"), after.split("\n")
    if _spacing_only(old, new):
        return after  # (gofmt changed spacing within lines only)
    return "\n".join(_resynced(old, new, line_map(before, ""), lines_inside_tokens(after), line_file, source))


def _spacing_only(old: list[str], new: list[str]) -> bool:
    """Whether the lines differ only in their spacing within lines."""
    return len(old) == len(new) and all(a == b or a.split() == b.split() for a, b in zip(old, new, strict=True))


# how many lines of each text ``resync_head`` reads
HEAD_LINES = 4096


def resync_head(before: str, after: str, line_file: str, source: str, lines: int = HEAD_LINES) -> list[str]:
    """The first lines of ``resync_after_format(before, after, line_file, source)``, worked out
    from the first ``lines`` lines of each text (a start to judge the whole by, at a
    fraction of the cost); [] where it would return ``after`` itself, or where the first
    lines cannot tell: a text too short to cut (the whole is as cheap), a raw string or a
    block comment in either (a line's being inside one hangs on the text before it, and the
    cut could fall inside one)."""
    if any(mark in text for text in (before, after) for mark in ("`", "/*")):
        return []
    old, new = before.split("\n", lines), after.split("\n", lines)
    if len(old) <= lines or len(new) <= lines:
        return []
    if before.count("\n") == after.count("\n") and _spacing_only(before.split("\n"), after.split("\n")):
        return []  # (resync_after_format returns ``after``)
    old, new = old[:lines], new[:lines]
    return _resynced(old, new, line_map("\n".join(old), ""), set(), line_file, source, head=True)


def _resynced(old: list[str], new: list[str], old_lines: list[tuple[str, int] | None], blocked: set[int],
              line_file: str, source: str, head: bool = False) -> list[str]:
    """The lines of ``resync_after_format``'s text: ``old_lines`` is ``line_map`` of the old
    text, ``blocked`` the new lines inside a raw string or block comment; with ``head`` the
    lines are the first ones of longer texts, and the lines given are those of the new
    lines ``_align`` answers for."""
    src, old_sq = source.split("\n"), [_squeeze(x) for x in old]
    src_sq: dict[int, str] = {}  # (the source lines asked for, squeezed)
    old_src = [m[1] if m is not None else None for m in old_lines]

    def from_source(i: int) -> int | None:
        """The source line old line ``i`` is numbered as, if it is that line (else None)."""
        n = old_src[i]
        if n is None or not 0 < n <= len(src):
            return None
        squeezed = src_sq.get(n)
        if squeezed is None:
            squeezed = src_sq[n] = _squeeze(src[n - 1])
        return n if squeezed == old_sq[i] else None

    wanted = [None if i is None else from_source(i) for i in _align(old_sq, [_squeeze(x) for x in new], head)]
    out: list[str] = []
    current = 1
    for j, line in enumerate(new[: len(wanted)]):
        directive = parse_directive(line)
        if directive is not None:
            current = directive[1]
            out.append(line)
            continue
        want = wanted[j]
        if want is not None and want != current and line.strip() and j not in blocked:
            out.append(line_directive(line_file, want))
            current = want
        out.append(line)
        current += 1
    return out
