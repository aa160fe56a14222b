"""Fixes a diagnostic offers: text edits by character offset, for quick fixes (LSP) and ``tgo migrate``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace ``[start, end)`` of ``file``'s decoded text (character offsets, as syntax nodes
    hold them) by ``new_text``; ``start == end`` inserts."""

    file: str
    start: int
    end: int
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """One way to resolve a diagnostic: a title for a menu, and its edits (in any files)."""

    title: str
    edits: tuple[TextEdit, ...]


def apply_file_edits(texts: Mapping[str, str], edits: Iterable[TextEdit]) -> dict[str, str]:
    """The texts (path -> text) of the files ``edits`` change, with their edits applied; an edit
    of a file not in ``texts`` raises ``KeyError``."""
    by_file: dict[str, list[TextEdit]] = {}
    for e in edits:
        by_file.setdefault(e.file, []).append(e)
    return {path: apply_edits(texts[path], file_edits) for path, file_edits in by_file.items()}


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """``text`` with ``edits`` (all of one file, not overlapping) applied."""
    out: list[str] = []
    last = len(text)
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        if e.end > last or e.start > e.end:
            raise ValueError(f"overlapping or inverted edit at {e.start}..{e.end}")
        out.append(text[e.end:last])
        out.append(e.new_text)
        last = e.start
    out.append(text[:last])
    return "".join(reversed(out))
