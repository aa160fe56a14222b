"""A package file's new content is parsed from the last tree kept for its path (stubs/parsed.py,
syntax/reparse.py): the same tree as a whole parse, whatever the edit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from transpiler import caches
from transpiler.stubs import parsed
from transpiler.syntax import ParseResult, ast, parse_source
from transpiler.syntax.scanner import Comment
from transpiler.syntax.source import SourceFile

SOURCE = """package p

import "strconv"

// F parses.
func F(s string) (int, error) {
	return strconv.Atoi(s)
}

func G(n int) int {
	if n > 0 {
		return n * 2
	}
	return -n
}

type T struct{ a, b int }

func (t T) Sum() int { return t.a + t.b }
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))


def same_as_whole(path: str, data: bytes) -> None:
    got = parsed.parse_kept(path, data)
    whole = parse_source(data, path)
    assert (got.source.name, got.source.text) == (whole.source.name, whole.source.text)
    assert [str(d) for d in got.diagnostics] == [str(d) for d in whole.diagnostics]
    if whole.tree is not None and not whole.diagnostics:
        assert parsed.dumps(got) == parsed.dumps(whole)


@pytest.mark.parametrize("edit", [
    ("return n * 2", "return n * 3 + 1"),  # a body
    ("func G(n int) int {\n\tif", "func G(n int) int {\n\t_ = 1\n\tif"),  # a new statement
    ('import "strconv"', 'import (\n\t"strconv"\n\t"os"\n)'),  # the imports: parsed whole
    ("// F parses.", "// F parses a number."),  # a comment
    ("type T struct{ a, b int }", "type T struct{ a, b, c int }"),
    ("return -n\n}", "return -n\n"),  # a syntax error: parsed whole, for its messages
])
def test_an_edit_parses_as_the_whole_file(tmp_path: Path, edit: tuple[str, str]) -> None:
    path = str(tmp_path / "a.tgo")
    same_as_whole(path, SOURCE.encode())
    edited = SOURCE.replace(*edit).encode()
    same_as_whole(path, edited)
    same_as_whole(path, SOURCE.replace("Sum", "Add").encode())  # (from the edited one's tree, or whole)


def test_the_new_content_starts_from_the_tree_kept_for_the_path(tmp_path: Path) -> None:
    # the tree kept for the first content is replaced by one whose untouched declaration
    # differs (sealed: a valid entry): the edit's parse carries that declaration over, so
    # it was parsed from the kept tree, not whole
    path = str(tmp_path / "a.tgo")
    data = SOURCE.encode()
    parsed.parse_kept(path, data)
    marked = parse_source(SOURCE.replace("Sum", "Mul").encode(), path).tree  # (the same positions)
    entry = os.path.join(caches.cache_root(), "trees", "files", parsed.key(path, data) + ".tree")
    caches.write_entry(entry, parsed.dumps(ParseResult(SourceFile(path, SOURCE), marked, [])))
    got = parsed.parse_kept(path, SOURCE.replace("return n * 2", "return n * 4").encode())
    assert got.tree is not None
    assert "Mul" in [d.name.name for d in got.tree.decls if isinstance(d, ast.FuncDecl)]


def test_a_damaged_entry_naming_the_last_tree_is_a_miss(tmp_path: Path) -> None:
    path = str(tmp_path / "a.tgo")
    parsed.parse_kept(path, SOURCE.encode())
    last = os.path.join(caches.cache_root(), "trees", "files", "last")
    for name in os.listdir(last):
        with open(os.path.join(last, name), "r+b") as fh:
            fh.seek(-3, os.SEEK_END)
            fh.write(b"zzz")
    same_as_whole(path, SOURCE.replace("return n * 2", "return n * 5").encode())


def _shape(x: object) -> object:
    """A tree as nested tuples."""
    if isinstance(x, list | tuple):
        return tuple(_shape(y) for y in x)
    if isinstance(x, ast.Node):
        return (type(x).__name__, *(_shape(getattr(x, f)) for f in x._fields))
    if isinstance(x, Comment):
        return (x.text, x.pos, x.end)
    return x


def test_a_small_edit_s_tree_is_not_written_a_large_one_s_is(tmp_path: Path) -> None:
    path = str(tmp_path / "a.tgo")
    big = SOURCE + "".join(f"\nfunc H{i}(n int) int {{\n\treturn n + {i}\n}}\n" for i in range(40))

    def kept(text: str) -> bool:
        return os.path.exists(os.path.join(caches.cache_root(), "trees", "files",
                                           parsed.key(path, text.encode()) + ".tree"))

    def same(text: str) -> None:
        got, whole = parsed.parse_kept(path, text.encode()), parse_source(text.encode(), path)
        assert got.source.text == whole.source.text and not got.diagnostics
        assert _shape(got.tree) == _shape(whole.tree)

    same(big)
    assert kept(big)
    small = big.replace("return n * 2", "return n * 3")
    same(small)
    assert not kept(small)  # (parsed from big's tree again next time)
    same(small)
    large = small.replace("return n + 1\n", "return n + 100\n").replace("return n + 39\n", "return n + 99\n")
    same(large)  # from big's tree: the edit spans the file
    assert kept(large)
    again = large.replace("return n + 100\n", "return n + 101\n")
    same(again)
    assert not kept(again)
