"""What ``tgo build/run/test/vet`` lower and when they lower it again (issue 9).

* A package in ``testdata`` (or a ``_x`` directory) is skipped by ``./...`` but built by
  the go command when a package or a test imports it: its ``.tgo`` files are lowered too.
* A cached lowering depends on the types of the packages it imports: one whose sources
  are outside the module (a ``replace`` to a local directory, a ``go.work`` module) and
  change (a function gains a result, a file is added or removed) is lowered again, as
  ``tgo check`` checks again.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from tgorun import no_traceback, tgo, write

pytestmark = pytest.mark.skipif(shutil.which("go") is None, reason="needs the Go toolchain")


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("TGO_CACHE_DIR", str(cache))
    return cache


HELPER = """package helper

func Twice(x int) int { return 2 * x }

func Parse(s string) (?*int, error) {
	if s == "" {
		return nil, nil
	}
	n := len(s)
	return &n, nil
}
"""

TEST = """package t1

import (
	"testing"

	"example.com/t1/testdata/helper"
)

func TestTwice(t *testing.T) {
	if helper.Twice(One()) != 2 {
		t.Fatal("bad")
	}
}
"""

MAIN = """package main

import (
	"fmt"

	"example.com/t1/%s"
)

func run() error {
	p := helper.Parse("abc")?
	if p != nil {
		fmt.Println(helper.Twice(21), *p)
	}
	return nil
}

func main() {
	if err := run(); err != nil {
		panic(err)
	}
}
"""


def module_with_testdata(root: Path, where: str = "testdata/helper") -> Path:
    """A module whose test and whose command import a .tgo package in ``where`` (below a
    directory ``./...`` skips)."""
    write(root / "go.mod", "module example.com/t1\n\ngo 1.22\n")
    write(root / where / "helper.tgo", HELPER)
    write(root / "t1.tgo", "package t1\n\nfunc One() int { return 1 }\n")
    write(root / "t1_test.tgo", TEST.replace("testdata/helper", where))
    write(root / "cmd" / "main.tgo", MAIN % where)
    return root


def run_ok(root: Path, *args: str) -> str:
    proc = tgo(*args, cwd=root)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@pytest.mark.slow
def test_a_testdata_package_imported_by_a_test_and_a_program_is_lowered(tmp_path: Path) -> None:
    root = module_with_testdata(tmp_path / "m")
    assert "ok  \texample.com/t1" in run_ok(root, "test", ".")
    assert run_ok(root, "run", "./cmd") == "42 3\n"
    run_ok(root, "build", "./...")
    run_ok(root, "vet", "./...")
    run_ok(root, "check", "./...")  # Go's own check of both importers sees the lowered package


@pytest.mark.slow
def test_a_package_below_an_underscore_directory_imported_by_a_program(tmp_path: Path) -> None:
    root = module_with_testdata(tmp_path / "m", "_internal/helper")
    assert run_ok(root, "run", "./cmd") == "42 3\n"


@pytest.mark.slow
def test_the_checker_types_an_imported_testdata_package_from_its_tgo_sources(tmp_path: Path) -> None:
    root = module_with_testdata(tmp_path / "m")
    write(root / "cmd" / "main.tgo", (MAIN % "testdata/helper").replace("if p != nil {", "if true {"))
    for verb in ("check", "build"):
        proc = tgo(verb, "./cmd", cwd=root)
        no_traceback(proc)
        assert proc.returncode == 1 and "[nil-deref]" in proc.stderr + proc.stdout, proc.stderr


@pytest.mark.slow
def test_a_testdata_package_imported_through_another_one(tmp_path: Path) -> None:
    root = module_with_testdata(tmp_path / "m")
    write(root / "testdata" / "outer" / "outer.tgo",
          'package outer\n\nimport "example.com/t1/testdata/helper"\n\nfunc Four() int { return helper.Twice(2) }\n')
    write(root / "cmd" / "main.tgo", 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/t1/testdata/outer"\n)\n\n'
          "func main() { fmt.Println(outer.Four()) }\n")
    assert run_ok(root, "run", "./cmd") == "4\n"


LIB_GO_MOD = "module example.com/lib\n\ngo 1.22\n"
LIB_TWO = "package lib\n\nfunc F() (int, error) { return %d, nil }\n"
LIB_ONE = "package lib\n\nfunc F() int { return 1 }\n"
APP = """package main

import (
	"fmt"

	"example.com/lib"
)

func run() error {
	n := lib.F()?
	fmt.Println(n)
	return nil
}

func main() {
	if err := run(); err != nil {
		panic(err)
	}
}
"""


def replaced(root: Path, work: bool = False) -> Path:
    """An app using example.com/lib in ``root/lib`` through ``replace => ../lib`` (or, with
    ``work``, a go.work using both); the app's directory."""
    write(root / "lib" / "go.mod", LIB_GO_MOD)
    write(root / "lib" / "lib.go", LIB_TWO % 7)
    app = root / "app"
    if work:
        write(root / "go.work", "go 1.22\n\nuse (\n\t./app\n\t./lib\n)\n")
        write(app / "go.mod", "module example.com/app\n\ngo 1.22\n")
    else:
        write(app / "go.mod", "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\n"
              "replace example.com/lib => ../lib\n")
    write(app / "main.tgo", APP)
    return app


def bad_try(app: Path, verb: str) -> None:
    proc = tgo(verb, ".", cwd=app)
    no_traceback(proc)
    assert proc.returncode == 1, proc.stderr
    assert "main.tgo:10:7: error: ? needs a call whose last result is error [bad-try]" in proc.stdout + proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize("work", [False, True], ids=["replace", "go.work"])
def test_an_edited_local_module_is_lowered_again(tmp_path: Path, work: bool) -> None:
    app = replaced(tmp_path, work)
    lib = tmp_path / "lib" / "lib.go"
    assert run_ok(app, "run", ".") == "7\n"
    lib.write_text(LIB_ONE)  # F loses its error result: the cached lowering of F()? is stale
    for verb in ("build", "run", "test", "vet", "check"):
        bad_try(app, verb)
    lib.write_text(LIB_TWO % 8)
    assert run_ok(app, "run", ".") == "8\n"


@pytest.mark.slow
def test_a_file_added_to_or_removed_from_a_local_module_is_seen(tmp_path: Path) -> None:
    app = replaced(tmp_path)
    lib = tmp_path / "lib"
    lib.joinpath("lib.go").write_text("package lib\n")
    write(lib / "f.go", LIB_ONE)
    bad_try(app, "build")
    bad_try(app, "check")
    time.sleep(0.01)
    (lib / "f.go").rename(lib / "f.txt")  # the package's file set changes; lib.go does not
    write(lib / "g.go", LIB_TWO % 9)
    assert run_ok(app, "run", ".") == "9\n"
    run_ok(app, "check", ".")
    (lib / "g.go").unlink()
    (lib / "f.txt").rename(lib / "f.go")
    bad_try(app, "build")
    bad_try(app, "check")


TGO_LIB = """package lib

import "example.com/lib/sub"

func F() (?*int, error) {
	if sub.N() < 0 {
		return nil, nil
	}
	n := sub.N()
	return &n, nil
}
"""
TGO_APP = APP.replace("fmt.Println(n)", "if n != nil {\n\t\tfmt.Println(*n)\n\t}")


@pytest.mark.slow
@pytest.mark.parametrize("work", [False, True], ids=["replace", "go.work"])
def test_a_local_module_written_in_tgo(tmp_path: Path, work: bool) -> None:
    """Its imported .tgo packages are lowered (go sees no Go files there) and typed from
    their .tgo sources (``?*int``: the app must test ``n``); an edit of it is seen."""
    app = replaced(tmp_path, work)
    (tmp_path / "lib" / "lib.go").unlink()
    write(tmp_path / "lib" / "lib.tgo", TGO_LIB)
    write(tmp_path / "lib" / "sub" / "sub.tgo", "package sub\n\nfunc N() int { return 5 }\n")
    write(app / "main.tgo", TGO_APP)
    assert run_ok(app, "run", ".") == "5\n"
    run_ok(app, "check", ".")
    run_ok(app, "vet", ".")
    (app / "main.tgo").write_text(TGO_APP.replace("if n != nil {", "if true {"))
    proc = tgo("build", ".", cwd=app)
    assert proc.returncode == 1 and "[nil-deref]" in proc.stdout + proc.stderr, proc.stderr
    (app / "main.tgo").write_text(TGO_APP)
    write(tmp_path / "lib" / "sub" / "sub.tgo", "package sub\n\nfunc N() int { return 6 }\n")
    assert run_ok(app, "run", ".") == "6\n"
    (tmp_path / "lib" / "lib.tgo").write_text("package lib\n\nfunc F() int { return 1 }\n")
    bad_try(app, "build")
    bad_try(app, "check")


def test_local_replacements_are_the_replace_directives_to_directories(tmp_path: Path) -> None:
    from transpiler.fs.modules import local_replacements

    write(tmp_path / "m" / "go.mod", 'module example.com/m\n\ngo 1.22\n\nreplace example.com/a => ../a\n\n'
          'replace (\n\texample.com/b v1.0.0 => ./b // pinned\n\texample.com/c => example.com/c2 v1.2.3\n'
          '\t"example.com/d" => /abs/d\n)\n')
    assert local_replacements(str(tmp_path / "m")) == [
        ("example.com/a", str(tmp_path / "a")), ("example.com/b", str(tmp_path / "m" / "b")),
        ("example.com/d", "/abs/d")]
    assert local_replacements(str(tmp_path / "none")) == []


def test_a_module_whose_testdata_holds_no_tgo_is_not_read_for_imports(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from transpiler.toolchain import gocmd

    root = tmp_path / "m"
    write(root / "go.mod", "module example.com/m\n\ngo 1.22\n")
    write(root / "a.tgo", "package m\n")
    write(root / "testdata" / "deep" / "x.go", "package x\n")
    write(root / "sub" / "_tools" / "y.go", "package y\n")
    read: list[str] = []
    real = gocmd._Sources.imports_of

    def counted(self: gocmd._Sources, path: str) -> list[str]:
        read.append(path)
        return real(self, path)

    monkeypatch.setattr(gocmd._Sources, "imports_of", counted)
    assert gocmd.package_dirs(str(root), ["./..."]) == [str(root)]
    assert read == []
    # a .tgo file below testdata: the imports are read, and the package is found when imported
    write(root / "testdata" / "deep" / "x.tgo", "package x\n")
    write(root / "a.tgo", 'package m\n\nimport _ "example.com/m/testdata/deep"\n')
    assert gocmd.package_dirs(str(root), ["./..."]) == [str(root), str(root / "testdata" / "deep")]
    assert read
