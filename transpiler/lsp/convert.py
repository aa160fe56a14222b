"""Between tgo's records and LSP's JSON: positions in the client's encoding, diagnostics, fixes as workspace edits.

Every conversion goes through ``SourceFile`` (offsets <-> line and byte column <-> line
and UTF-16 column); LSP lines and characters are 0-based, tgo's 1-based. With the
``utf-8`` encoding a character is a byte column, with ``utf-16`` a UTF-16 column.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pygls.uris import from_fs_path, to_fs_path

from transpiler.diagnostics import Diagnostic, Severity
from transpiler.diagnostics.fix import Fix
from transpiler.lsp.backend import Encoding
from transpiler.syntax.source import SourceFile

Json = dict[str, Any]


def uri_of(path: str) -> str:
    """The ``file:`` URI of an absolute path."""
    return from_fs_path(path) or "file://" + path


def path_of(uri: str) -> str | None:
    """The file-system path of a ``file:`` URI, else None."""
    return to_fs_path(uri) if uri.startswith("file:") else None


def position_of(source: SourceFile, offset: int, encoding: Encoding) -> Json:
    """The LSP position (in ``encoding``) of a character offset."""
    line, column = source.position(offset) if encoding == "utf-8" else source.utf16_position(offset)
    return {"line": line - 1, "character": column - 1}


def offset_of(source: SourceFile, pos: Mapping[str, Any], encoding: Encoding) -> int:
    """The character offset of an LSP position (in ``encoding``; clamped to the text, as
    ``SourceFile`` clamps). A position without its line or character raises ``KeyError``."""
    line, column = int(pos["line"]) + 1, int(pos["character"]) + 1
    return source.offset(line, column) if encoding == "utf-8" else source.utf16_offset(line, column)


def span_range(source: SourceFile, start: int, end: int, encoding: Encoding) -> Json:
    return {"start": position_of(source, start, encoding), "end": position_of(source, end, encoding)}


def whole_range(source: SourceFile, encoding: Encoding) -> Json:
    """The range of the whole text."""
    return span_range(source, 0, len(source.text), encoding)


def diagnostic_span(d: Diagnostic, source: SourceFile | None) -> tuple[int, int] | None:
    """The character span of a diagnostic in ``source`` (its own span, else its line and byte columns)."""
    if source is None:
        return None
    if d.span is not None:
        return d.span
    start = source.offset(d.line, d.column)
    return start, max(start, source.offset(d.end_line, d.end_column))


def diagnostic(d: Diagnostic, source: SourceFile | None, encoding: Encoding) -> Json:
    """An LSP Diagnostic of a tgo diagnostic (``source`` None: the file was not read, the
    byte columns are given as they are)."""
    span = diagnostic_span(d, source)
    if span is not None and source is not None:
        rng = span_range(source, span[0], span[1], encoding)
    else:
        rng = {"start": {"line": max(0, d.line - 1), "character": max(0, d.column - 1)},
               "end": {"line": max(0, d.end_line - 1), "character": max(0, d.end_column - 1)}}
    return {
        "range": rng,
        "severity": 1 if d.severity is Severity.ERROR else 2,
        "code": d.code,
        "source": "tgo",
        "message": d.message,
    }


def workspace_edit(fix: Fix, sources: Mapping[str, SourceFile], encoding: Encoding) -> Json | None:
    """The WorkspaceEdit of a fix (None when an edit names a file whose text is unknown)."""
    changes: dict[str, list[Json]] = {}
    for e in fix.edits:
        source = sources.get(e.file)
        if source is None:
            return None
        changes.setdefault(uri_of(e.file), []).append(
            {"range": span_range(source, e.start, e.end, encoding), "newText": e.new_text})
    return {"changes": changes}
