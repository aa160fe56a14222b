"""Positions survive the toolchain (spec §9): every form names the .tgo file as go names a .go file.

A compile error carries the line and column and the path go prints for a .go file in
its place (``./x.tgo:12:5``, ``sub/x.tgo:...``); a vet finding too, never a path in
tgo's cache; a test failure and a panic name the .tgo file and line; ``runtime.Caller``
gives the full path (``-trimpath``: the module path), as for a .go file. Lines after a
``?`` (where the lowering adds lines) are included.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from tgorun import tgo, write

GO = shutil.which("go")
pytestmark = pytest.mark.skipif(GO is None, reason="needs the Go toolchain")

WHERE = """\
package sub

import (
	"errors"
	"runtime"
)

func load(ok bool) (int, error) {
	if !ok {
		return 0, errors.New("no")
	}
	return 1, nil
}

func Where() (string, int, error) {
	n := load(true)?
	_, file, line, _ := runtime.Caller(0)
	return file, line + n - 1, nil
}

func Boom() error {
	v := load(true)?
	s := []int{}
	_ = s[v]
	return nil
}
"""


def line_of(text: str, marker: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if marker in line)


CALLER = line_of(WHERE, "runtime.Caller(0)")

MAIN = """\
package main

import (
	"fmt"

	"example.com/pos/sub"
)

func main() {
	file, line, err := sub.Where()
	fmt.Println(file, line, err)
}
"""

WHERE_TEST = """\
package sub

import "testing"

func TestFails(t *testing.T) {
	n := 1
	t.Errorf("failing on purpose %d", n)
}

func TestPanics(t *testing.T) {
	if err := Boom(); err != nil {
		t.Fatal(err)
	}
}
"""


@pytest.fixture
def module(tmp_path: Path) -> Path:
    root = tmp_path / "pos"
    write(root / "go.mod", "module example.com/pos\n\ngo 1.22\n")
    write(root / "sub" / "where.tgo", WHERE)
    write(root / "cmd" / "main.tgo", MAIN)
    return root


def _env(tmp_path: Path) -> dict[str, str]:
    return {"TGO_CACHE_DIR": str(tmp_path / "cache")}


def test_runtime_caller_gives_the_full_path(module: Path, tmp_path: Path) -> None:
    proc = tgo("run", "./cmd", cwd=module, env=_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(module / "sub" / "where.tgo"), str(CALLER), "<nil>"]


def test_runtime_caller_with_trimpath(module: Path, tmp_path: Path) -> None:
    proc = tgo("run", "-trimpath", "./cmd", cwd=module, env=_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["example.com/pos/sub/where.tgo", str(CALLER), "<nil>"]


def test_compile_error_has_line_column_and_gos_path(module: Path, tmp_path: Path) -> None:
    # an error on a line below a ? (the lowering added lines above it)
    broken = WHERE.replace("\ts := []int{}\n", "\ts := []int{undefinedName}\n")
    write(module / "sub" / "where.tgo", broken)
    line = line_of(broken, "undefinedName")
    at = f"{line}:{broken.split(chr(10))[line - 1].index('undefinedName') + 1}"
    proc = tgo("build", "./...", cwd=module, env=_env(tmp_path))
    assert proc.returncode == 1
    assert f"sub/where.tgo:{at}: undefined: undefinedName" in proc.stderr
    proc = tgo("build", ".", cwd=module / "sub", env=_env(tmp_path))
    assert f"./where.tgo:{at}: undefined: undefinedName" in proc.stderr
    assert "cache" not in proc.stderr


def test_vet_finding_names_the_tgo_file(module: Path, tmp_path: Path) -> None:
    # the same finding go vet gives for the file as plain Go, at the .tgo file's name
    text = 'package sub\n\nimport "fmt"\n\nfunc Show() {\n\tfmt.Printf("%d\\n", "x")\n}\n'
    write(module / "sub" / "printf.tgo", text)
    write(module / "plain" / "printf.go", text.replace("package sub", "package plain"))
    assert GO is not None
    plain = subprocess.run([GO, "vet", "./plain"], cwd=module, capture_output=True, text=True, check=False)
    want = next(line for line in plain.stderr.splitlines() if "printf.go:" in line)
    proc = tgo("vet", "./sub", cwd=module, env=_env(tmp_path))
    assert proc.returncode != 0
    assert want.replace("plain/printf.go:", "sub/printf.tgo:") in proc.stderr.splitlines()
    assert "cache" not in proc.stderr


def test_test_failure_and_panic_name_the_tgo_lines(module: Path, tmp_path: Path) -> None:
    write(module / "sub" / "where_test.tgo", WHERE_TEST)
    proc = tgo("test", "./sub", cwd=module, env=_env(tmp_path))
    assert proc.returncode == 1
    assert "where_test.tgo:7: failing on purpose 1" in proc.stdout
    # the stack trace names the .tgo file by its full path, at the dereference's line
    assert f"{module / 'sub' / 'where.tgo'}:{line_of(WHERE, 's[v]')}" in proc.stdout
