"""Which checker errors stop tgo build | test | vet, and how soon they are reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from tgorun import no_traceback, tgo, write

from transpiler.diagnostics import Diagnostic
from transpiler.syntax.source import SourceFile
from transpiler.toolchain import find_go, gocmd

needs_go = pytest.mark.skipif(find_go() is None, reason="no Go toolchain")

GO_MOD = "module example.com/m\n\ngo 1.22\n"
LIB = """package lib

type U struct{ Name string }

func Find(ok bool) ?*U {
	if ok {
		return &U{Name: "u"}
	}
	return nil
}
"""
# a nil dereference in a test file: only `test` (and `vet`) of lib compile it
LIB_TEST = """package lib

import "testing"

func TestFind(t *testing.T) {
	if Find(true).Name != "u" {
		t.Fatal("no u")
	}
}
"""
MAIN = """package main

import (
	"fmt"

	"example.com/m/lib"
)

func main() {
	if u := lib.Find(true); u != nil {
		fmt.Println(u.Name)
	}
}
"""
MAIN_TEST = """package main

import "testing"

func TestNothing(t *testing.T) {}
"""


@needs_go
def test_errors_in_test_files_stop_only_test_and_vet_of_their_package(tmp_path: Path) -> None:
    env = {"TGO_CACHE_DIR": str(tmp_path / "cache")}
    tmp_path = tmp_path / "m"
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "main.tgo", MAIN)
    write(tmp_path / "main_test.tgo", MAIN_TEST)
    write(tmp_path / "lib" / "lib.tgo", LIB)
    write(tmp_path / "lib" / "lib_test.tgo", LIB_TEST)
    where = "lib/lib_test.tgo:6:5: error: possible nil dereference"

    for args in (["./..."], ["-o", str(tmp_path / "app"), "."]):
        build = tgo("build", *args, cwd=tmp_path, env=env)
        no_traceback(build)
        assert (build.returncode, build.stderr) == (0, ""), build.stderr
    run = tgo("run", ".", cwd=tmp_path, env=env)
    assert (run.returncode, run.stdout) == (0, "u\n")
    # main's tests do not compile lib's
    test_main = tgo("test", ".", cwd=tmp_path, env=env)
    assert test_main.returncode == 0, test_main.stderr
    assert where not in test_main.stderr

    for verb in ("test", "vet"):
        for pattern in ("./lib", "./..."):
            proc = tgo(verb, pattern, cwd=tmp_path, env=env)
            no_traceback(proc)
            assert proc.returncode == 1, (verb, pattern, proc.stderr)
            assert where in proc.stderr and "[nil-deref]" in proc.stderr
            assert "ok " not in proc.stdout  # go did not run


@needs_go
def test_first_stopping_error_is_reported_before_the_rest_is_lowered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))
    tmp_path = tmp_path / "m"
    write(tmp_path / "go.mod", GO_MOD)
    # a comes first in the walk; its error stops the command
    write(tmp_path / "a" / "a.tgo", LIB.replace("package lib", "package a") + "\nfunc Bad() string { return Find(false).Name }\n")
    for name in ("b", "c", "d"):
        write(tmp_path / name / f"{name}.tgo", LIB.replace("package lib", f"package {name}"))
    monkeypatch.chdir(tmp_path)
    lowered: list[str] = []
    real = gocmd._lower_one

    def recording(files: list[str]) -> object:
        lowered.append(Path(files[0]).parent.name)
        return real(files)

    monkeypatch.setattr(gocmd, "_lower_one", recording)
    reports: list[tuple[list[str], list[str]]] = []

    def report(diags: list[Diagnostic], sources: dict[str, SourceFile]) -> None:
        reports.append(([f"{d.file}:{d.line}:{d.code}" for d in diags], list(lowered)))

    prep = gocmd.prepare("test", ["./..."], jobs=1, report=report)
    assert prep.blocked and prep.diagnostics == [] and prep.problems == []
    # reported as soon as a was checked, and nothing else was lowered after it
    assert reports == [(["a/a.tgo:12:nil-deref"], ["a"])]
    assert lowered == ["a"]

    # once known, the error comes from the cache before anything is lowered
    lowered.clear()
    reports.clear()
    prep = gocmd.prepare("build", ["./b", "./a"], jobs=1, report=report)
    assert prep.blocked
    assert reports == [(["a/a.tgo:12:nil-deref"], [])]
    assert lowered == []

    # a command that does not build a: its error is not reported and does not stop it
    prep = gocmd.prepare("build", ["./b"], jobs=1, report=report)
    assert not prep.blocked and len(reports) == 1
    assert sorted(lowered) == ["b", "c", "d"]
