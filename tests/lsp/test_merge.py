"""Merging Go's diagnostics (from the backend) with tgo's for one file, as the server publishes them."""

from __future__ import annotations

from typing import Any

from transpiler.lsp.server import _Published


def _d(line: int, source: str, code: str) -> dict[str, Any]:
    return {"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 1}},
            "severity": 1, "code": code, "source": source, "message": code}


def test_go_diagnostics_on_a_tgo_error_line_are_dropped() -> None:
    pub = _Published(tgo_version=3, tgo=[_d(4, "tgo", "nil-deref")], error_lines={4},
                     go_version=3, go=[_d(4, "go", "undefined"), _d(7, "go", "mismatched")])
    version, merged = pub.merged(tgo_file=True)
    assert version == 3
    assert [(d["source"], d["range"]["start"]["line"]) for d in merged] == [("tgo", 4), ("go", 7)]


def test_go_files_get_gos_diagnostics_as_given() -> None:
    pub = _Published(tgo_version=2, tgo=[_d(4, "tgo", "syntax")], error_lines={4},
                     go_version=2, go=[_d(4, "go", "undefined")])
    assert [d["source"] for d in pub.merged(tgo_file=False)[1]] == ["tgo", "go"]


def test_go_diagnostics_of_another_version_wait() -> None:
    """Go's diagnostics of an older or newer text than tgo's are not mixed in (positions differ)."""
    pub = _Published(tgo_version=5, tgo=[_d(1, "tgo", "nil-deref")], error_lines={1},
                     go_version=4, go=[_d(9, "go", "undefined")])
    assert pub.merged(tgo_file=True) == (5, [_d(1, "tgo", "nil-deref")])
    only_go = _Published(go_version=7, go=[_d(9, "go", "undefined")])
    assert only_go.merged(tgo_file=True) == (7, [_d(9, "go", "undefined")])
