"""The Go view gopls sees: each ``.tgo`` file's lowered Go in memory, its source map kept exact through edits.

For each ``.tgo`` file of a package with open documents, a ``GoFile`` holds the file's
current text, the Go text given to gopls as an open document named as ``tgo gen`` would
name it (``x.tgo`` → ``x_tgo.go``, never written to disk), and the segments (runs of text
identical in both, ``lower/sourcemap.py``) between them. A new lowering replaces the
whole file (``GoFile.from_lowered``); between two lowerings, each edit the user makes is
applied to the view (``GoFile.edit``): inside text copied from the source, to the Go
text too (so completion right after typing ``u.`` finds ``u.`` in the Go), elsewhere to
the ``.tgo`` text only, leaving that stretch without a counterpart. Either way the map
stays exact: a position it has no segment for maps to nothing.

Positions: ``offset_of`` and ``position_of`` go between a text's character offsets and an
LSP position (0-based line and character) in ``utf-8`` or ``utf-16``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from transpiler.lower.edits import Piece
from transpiler.lower.naming import output_name
from transpiler.lower.sourcemap import LoweredFile, SourceMap
from transpiler.syntax.source import SourceFile


def go_view_path(tgo_path: str) -> str:
    """The path of a ``.tgo`` file's Go in the view (the name ``tgo gen`` gives it)."""
    return output_name(tgo_path)


@dataclass(slots=True)
class GoFile:
    """One ``.tgo`` file in the Go view (see the module)."""

    tgo_path: str
    go_path: str
    tgo: SourceFile  # the .tgo text the map is for (the document's current text)
    go: SourceFile  # the Go text gopls has
    segments: list[Piece]  # (tgo offset, Go offset, length), by tgo offset
    edited: list[tuple[int, int]]  # tgo spans the lowering replaced (tgo-only syntax)
    go_version: int = 0  # the version of the Go document gopls has
    _map: SourceMap | None = field(default=None, repr=False)

    @classmethod
    def from_lowered(cls, lowered: LoweredFile) -> GoFile:
        sm = lowered.source_map
        return cls(lowered.name, go_view_path(lowered.name), sm.tgo, sm.go, sm.segments, sm.edited)

    @property
    def map(self) -> SourceMap:
        if self._map is None:
            self._map = SourceMap(self.tgo, self.go, self.segments, self.edited)
        return self._map

    def edit(self, pos: int, end: int, text: str) -> bool:
        """Apply the user's replacement of ``[pos, end)`` of the ``.tgo`` text by ``text``; to the
        Go text too when that span is copied text (then True: the Go changed)."""
        delta = len(text) - (end - pos)
        old = self.tgo.text
        self.tgo = SourceFile(self.tgo.name, old[:pos] + text + old[end:])
        self.edited = _shift_spans(self.edited, pos, end, len(text))
        span = self.map.to_go_span(pos, end)
        self._map = None
        if span is None:
            self.segments = _cut(self.segments, pos, end, delta)
            return False
        gpos, gend = span
        go = self.go.text
        self.go = SourceFile(self.go.name, go[:gpos] + text + go[gend:])
        i = bisect_right([s[0] for s in self.segments], pos) - 1
        out: list[Piece] = []
        for k, (t0, g0, n) in enumerate(self.segments):
            if k == i:
                if n + delta > 0:
                    out.append((t0, g0, n + delta))
                continue
            out.append((t0 + delta if t0 >= end else t0, g0 + delta if g0 >= gend else g0, n))
        self.segments = out
        return True


def _cut(segments: list[Piece], pos: int, end: int, delta: int) -> list[Piece]:
    """The segments after the ``.tgo`` text's ``[pos, end)`` was replaced and the Go left as it
    was: the parts before the span kept, those after it moved by ``delta``, none inside."""
    out: list[Piece] = []
    for t0, g0, n in segments:
        if t0 < pos:
            out.append((t0, g0, min(n, pos - t0)))
        if t0 + n > end:
            start = max(t0, end)
            if t0 + n > start:
                out.append((start + delta, g0 + start - t0, t0 + n - start))
    return [s for s in out if s[2] > 0]


def _shift_spans(spans: list[tuple[int, int]], pos: int, end: int, length: int) -> list[tuple[int, int]]:
    """Spans of a text after ``[pos, end)`` was replaced by ``length`` characters: the ones the
    edit touches grow to cover it."""
    delta = length - (end - pos)
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if b <= pos:
            out.append((a, b))
        elif a >= end:
            out.append((a + delta, b + delta))
        else:
            out.append((min(a, pos), max(b + delta, pos + length)))
    return out
