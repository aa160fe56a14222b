"""Partial trees: a file with a syntax error still has a tree (bad nodes where it did not
parse), one typo gives about as many errors as gofmt reports, and the checker checks the
rest of the file (docs/partial-trees.md)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from transpiler.check import check_files
from transpiler.lower.edits import LowerError
from transpiler.lower.lowering import lower_alone
from transpiler.syntax import ast, parse_source

TYPOS = sorted((Path(__file__).parent / "data" / "typos").glob("*.tgo"))


def gofmt_errors(path: Path, tmp: Path) -> int:
    """How many errors ``gofmt -l`` reports for the file (the first on each line, up to 10)."""
    copy = tmp / (path.stem + ".go")
    shutil.copyfile(path, copy)
    proc = subprocess.run(["gofmt", "-l", str(copy)], capture_output=True, text=True, check=False)
    assert proc.returncode != 0, f"gofmt accepts {path.name}: not a typo"
    return sum(1 for line in proc.stderr.splitlines() if line.startswith(str(copy) + ":"))


def test_the_typo_set_is_large_enough() -> None:
    assert len(TYPOS) >= 20


@pytest.mark.skipif(shutil.which("gofmt") is None, reason="needs gofmt")
@pytest.mark.parametrize("path", TYPOS, ids=[p.stem for p in TYPOS])
def test_a_typo_gives_at_most_one_error_more_than_gofmt(path: Path, tmp_path: Path) -> None:
    result = parse_source(path.read_bytes(), str(path))
    ours = len(result.diagnostics)
    assert 1 <= ours <= gofmt_errors(path, tmp_path) + 1, [d.message for d in result.diagnostics]
    assert all(d.code == "syntax" for d in result.diagnostics)
    # the file still has a tree, and only the partial one (nothing may lower it)
    assert result.tree is None and result.partial is not None and result.checkable is result.partial
    text = result.source.text
    for node in ast.walk(result.partial):
        assert 0 <= node.pos <= node.end <= len(text), node


def bad_nodes(src: str) -> list[tuple[str, str]]:
    result = parse_source(src.encode(), "x.tgo")
    assert result.partial is not None and result.diagnostics
    return [(type(n).__name__, src[n.pos : n.end]) for n in ast.walk(result.partial)
            if isinstance(n, (ast.BadExpr, ast.BadStmt, ast.BadDecl))]


def test_bad_nodes_cover_what_did_not_parse() -> None:
    assert bad_nodes("package p\n\nx := 1\n\nfunc f() {}\n") == [("BadDecl", "x := 1")]
    assert bad_nodes("package p\n\nfunc f() int {\n\ttype := 1\n\treturn 2\n}\n") == [("BadStmt", "type := 1")]
    assert bad_nodes("package p\n\nfunc f() {\n\tx := \n}\n") == [("BadExpr", "")]
    assert bad_nodes("package p\n\nfunc f(s S) {\n\tg(s.)\n}\n") == [("BadExpr", "s.")]


def test_the_rest_of_the_file_keeps_its_nodes() -> None:
    src = "package p\n\nfunc f() {\n\tg(1\n}\n\nfunc h() int {\n\treturn 1\n}\n"
    result = parse_source(src.encode(), "x.tgo")
    assert len(result.diagnostics) == 1 and result.partial is not None
    names = [d.name.name for d in result.partial.decls if isinstance(d, ast.FuncDecl)]
    assert names == ["f", "h"]


def test_a_file_with_no_error_has_no_partial_tree() -> None:
    result = parse_source(b"package p\n\nfunc f() {}\n", "x.tgo")
    assert result.tree is not None and result.partial is None and result.checkable is result.tree


def test_a_partial_tree_is_never_lowered() -> None:
    result = parse_source(b"package p\n\nfunc f() {\n\tg(1\n}\n", "x.tgo")
    with pytest.raises(LowerError):
        lower_alone(result, "x.tgo")


BROKEN = """package p

type User struct {
	Name string
}

func Find(name string) (?*User, error) {
	if name == "" {
		return nil, nil
	}
	return &User{Name: name}, nil
}

func broken(u ?*User) string {
	if u == nil {
		return "none"
	]
	return u.Name
}

func leak() string {
	u, err := Find("x")
	if err != nil {
		return ""
	}
	return u.Name
}
"""

USER = """package p

func Use() (string, error) {
	u := Find("y")?
	if u == nil {
		return "", nil
	}
	return u.Name, nil
}
"""


def test_the_checker_checks_the_rest_of_a_file_with_a_typo(tmp_path: Path) -> None:
    (tmp_path / "a.tgo").write_text(BROKEN)
    (tmp_path / "b.tgo").write_text(USER)
    result = check_files([str(tmp_path / "a.tgo"), str(tmp_path / "b.tgo")], stub_paths=[], use_cache=False)
    found = [(Path(d.file).name, d.line, d.code) for d in result.diagnostics]
    # the typo; the nil dereference in another function of the broken file; nothing
    # from the broken function (its nil check did not parse), and b.tgo sees Find's
    # results (no bad-try "cannot tell the call's results")
    assert found == [("a.tgo", 17, "syntax"), ("a.tgo", 26, "nil-deref")], result.diagnostics


def test_gen_stops_at_a_typo(tmp_path: Path) -> None:
    import tgorun

    pkg = tmp_path / "p"
    pkg.mkdir()
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    (pkg / "a.tgo").write_text(BROKEN)
    proc = tgorun.tgo("gen", "p", cwd=tmp_path)
    assert proc.returncode == 1 and "a.tgo:17:2: " in proc.stderr and "[syntax]" in proc.stderr, proc.stderr
    assert not list(pkg.glob("*_tgo.go"))
