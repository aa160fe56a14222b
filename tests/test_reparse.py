"""Parsing again after an edit (syntax/reparse.py): the same tree and comments as a whole parse, or None."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transpiler.syntax import ParseResult, parse_source
from transpiler.syntax.reparse import common_prefix, common_suffix, reparse

REPO = Path(__file__).resolve().parents[1]
FILES = sorted([*(REPO / "examples").rglob("*.tgo"), *(REPO / "tests" / "checker" / "fixtures").rglob("*.tgo")])
FILES = [p for p in FILES if parse_source(p.read_bytes(), str(p)).tree is not None][:40]
GOROOT = Path(subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip())
GO_FILES = [GOROOT / "src" / p for p in ("net/http/server.go", "go/types/expr.go", "encoding/json/decode.go")]

# What an edit inserts: statements and declarations, and the pieces that change how the rest
# scans or nests (an opened comment, string or brace, a newline, an import).
SNIPPETS = ["\t_ = 1\n", "x", "}", "{", "\n", "/*", "*/", "`", '"', "// c\n", "func f() {}\n", 'import "os"\n',
            "var v = 1\n", "type T int\n", ";", "\n\n", " ", "(", ")", "func g() {\n\treturn\n}\n", "é", "😀",
            "package q\n", "\ufeff", "/* a\nb */", "x!", "f()?", "type E enum {\n\tA\n}\n"]


def _same(got: ParseResult | None, data: bytes, name: str) -> None:
    """``got`` is None, or what a whole parse of ``data`` gives (tree, positions, comments)."""
    if got is None:
        return
    full = parse_source(data, name)
    assert full.tree is not None and not full.diagnostics, "reparse gave a tree where the whole parse has errors"
    assert got.tree is not None and not got.diagnostics
    assert got.source.text == full.source.text
    assert repr(got.tree) == repr(full.tree)
    assert got.tree.comments == full.tree.comments


def _edit(text: str, at: int, cut: int, insert: str) -> str:
    at = min(at, len(text))
    return text[:at] + insert + text[at + cut:]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_reparse_gives_the_whole_parse(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(FILES + GO_FILES))
    text = path.read_text()
    old = parse_source(text.encode(), str(path))
    for _ in range(data.draw(st.integers(1, 4))):  # edits one after another, each on the last tree
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 12))
        insert = data.draw(st.sampled_from(["", *SNIPPETS]) | st.text(alphabet="xyz(){}[]\"`/*\n\t ;.:=!?", max_size=6))
        text = _edit(text, at, cut, insert)
        new = text.encode()
        got = reparse(old, new) if old.tree is not None else None
        _same(got, new, str(path))
        old = got if got is not None else parse_source(new, str(path))


@pytest.mark.parametrize("path", GO_FILES, ids=lambda p: p.name)
def test_a_body_edit_parses_only_its_declaration(path: Path) -> None:
    text = path.read_text()
    old = parse_source(text.encode(), str(path))
    assert old.tree is not None
    for n, decl in enumerate(old.tree.decls[:: max(1, len(old.tree.decls) // 15)]):
        body = getattr(decl, "body", None)
        if body is None:
            continue
        at = body.pos + 1 + (len(text) - len(old.source.text))  # (the text grew by earlier edits)
        text = text[:at] + f"\n\t_ = {n}\n" + text[at:]
        got = reparse(old, text.encode())
        assert got is not None
        _same(got, text.encode(), str(path))
        old = got


@pytest.mark.parametrize(("before", "after"), [
    ('package p\n\nimport "os"\n\nfunc f() {}\n', 'package p\n\nimport "io"\n\nfunc f() {}\n'),  # an import
    ("package p\n\nfunc f() {}\n", "package q\n\nfunc f() {}\n"),  # the package clause
    ("package p\n\nfunc f() {}\n", 'package p\n\nimport "os"\n\nfunc f() {}\n'),  # an import added
    ("package p\n\nfunc f() {}\n\nfunc g() {}\n", "package p\n\nfunc f() {/*}\n\nfunc g() {}\n"),  # a comment opened
    ("package p\n\nfunc f() {}\n", "package p\n\nfunc f() {\n"),  # a syntax error
    ("package p\n\nfunc f() {}\n", b"package p\n\nfunc f() {\xff}\n"),  # not UTF-8
])
def test_what_is_parsed_whole(before: str, after: str | bytes) -> None:
    old = parse_source(before.encode(), "a.tgo")
    new = after if isinstance(after, bytes) else after.encode()
    assert reparse(old, new) is None


def test_insertions_at_the_edges_and_comments_moved() -> None:
    text = "// head\npackage p\n\n// f does\nfunc f() {\n\tx := 1 // one\n\t_ = x\n}\n\n/* g */\nfunc g() {}\n// tail\n"
    old = parse_source(text.encode(), "a.tgo")
    for new in [text + "\nfunc h() {}\n", text.replace("func g() {}", "func g() { return }"),
                text.replace("x := 1 // one", "x := 12 // one more"), text.replace("// f does\n", ""),
                text.replace("package p\n", "package p\n\nvar v = 1\n"),
                text.replace("func f() {", "func f() {}; func h() {")]:
        got = reparse(parse_source(text.encode(), "a.tgo"), new.encode())
        assert got is not None
        _same(got, new.encode(), "a.tgo")
    assert reparse(old, text.encode()) is not None


def test_common_prefix_and_suffix() -> None:
    a = "x" * 10_000 + "abc" + "y" * 9_000
    b = "x" * 10_000 + "aXbc" + "y" * 9_000
    p = common_prefix(a, b)
    assert p == 10_001
    assert common_suffix(a, b, min(len(a), len(b)) - p) == 9_002
    assert common_prefix("", "a") == 0 and common_suffix("ab", "ab", 0) == 0
