"""``tgo migrate`` as a user runs it: the diff, ``-w``, the git guard, idempotence, bad input."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import tgorun
from tgorun import no_traceback, write

GO_MOD = "module example.com/m\n\ngo 1.22\n"
STORE = """package store

import "os"

type User struct {
	Name    string
	Manager *User
}

func New(name string) *User {
	return &User{Name: name}
}

func Boss(u *User) *User {
	return u.Manager
}

func Find(users []*User, name string) *User {
	for _, u := range users {
		if u.Name == name {
			return u
		}
	}
	return nil
}

func Drop(path string) {
	os.Remove(path)
}
"""
STORE_TEST = """package store

import "testing"

func TestFind(t *testing.T) {
	if Find(nil, "x") != nil {
		t.Fatal("found")
	}
}
"""


def tgo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return tgorun.tgo(*args, cwd=cwd, timeout=300)


def module(tmp_path: Path) -> Path:
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "store" / "store.go", STORE)
    write(tmp_path / "store" / "store_test.go", STORE_TEST)
    return tmp_path


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=cwd, check=True,
                   capture_output=True)


def test_prints_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    root = module(tmp_path)
    proc = tgo("migrate", "./...", cwd=root)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert "--- store/store.go\n+++ store/store.tgo\n" in proc.stdout
    assert "+\tManager ?*User\n" in proc.stdout
    assert "+func Find(users []*User, name string) ?*User {\n" in proc.stdout
    assert "+func Boss(u *User) ?*User {\n" in proc.stdout
    assert "+\t//tgo:ignore[unchecked-error]\n" in proc.stdout
    assert "--- store/store_test.go\n+++ store/store_test.tgo\n" in proc.stdout
    assert (root / "store" / "store.go").read_text() == STORE
    assert not (root / "store" / "store.tgo").exists()
    # the summary, on stderr
    assert "store/store.tgo" in proc.stderr and "total" in proc.stderr


def test_write_renames_checks_clean_and_is_idempotent(tmp_path: Path) -> None:
    root = module(tmp_path)
    proc = tgo("migrate", "-w", "./...", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert not (root / "store" / "store.go").exists()
    text = (root / "store" / "store.tgo").read_text()
    assert "Manager ?*User" in text and "func Boss(u *User) ?*User" in text
    assert (root / "store" / "store_test.tgo").read_text() == STORE_TEST
    check = tgo("check", "./...", cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr
    again = tgo("migrate", "-w", "./...", cwd=root)
    assert again.returncode == 0 and again.stdout == ""
    assert (root / "store" / "store.tgo").read_text() == text


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("go") is None, reason="needs the go command")
def test_tests_pass_after_migration(tmp_path: Path) -> None:
    root = module(tmp_path)
    assert tgo("migrate", "-w", "./...", cwd=root).returncode == 0
    proc = tgo("test", "./...", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok  \texample.com/m/store" in proc.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_refuses_files_with_uncommitted_changes(tmp_path: Path) -> None:
    root = module(tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    edited = STORE.replace("func Drop", "// Drop removes path.\nfunc Drop")
    (root / "store" / "store.go").write_text(edited)
    proc = tgo("migrate", "-w", "./...", cwd=root)
    no_traceback(proc)
    assert proc.returncode == 2
    assert "store/store.go: has changes not committed to git" in proc.stderr
    assert (root / "store" / "store.go").read_text() == edited
    assert (root / "store" / "store_test.go").exists()  # the whole package is left
    assert not (root / "store" / "store.tgo").exists()
    forced = tgo("migrate", "-w", "--force", "./...", cwd=root)
    assert forced.returncode == 0, forced.stderr
    assert "// Drop removes path." in (root / "store" / "store.tgo").read_text()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_untracked_files_are_refused_too(tmp_path: Path) -> None:
    root = module(tmp_path)
    git(root, "init", "-q")
    proc = tgo("migrate", "-w", "store", cwd=root)
    assert proc.returncode == 2
    assert (root / "store" / "store.go").read_text() == STORE


def test_syntax_error_is_reported_with_its_position(tmp_path: Path) -> None:
    root = module(tmp_path)
    write(root / "store" / "bad.go", "package store\n\nvar x = )\n")
    proc = tgo("migrate", "-w", "./...", cwd=root)
    no_traceback(proc)
    assert proc.returncode == 2
    assert "bad.tgo:3:9: error:" in proc.stderr
    assert (root / "store" / "store.go").read_text() == STORE
    assert not list(root.rglob("*.tgo"))


def test_bad_path(tmp_path: Path) -> None:
    proc = tgo("migrate", "nowhere", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2
    assert proc.stderr.startswith("tgo: nowhere: no such file or directory")


def test_package_that_cannot_be_made_clean(tmp_path: Path) -> None:
    root = module(tmp_path)
    write(root / "fmtd" / "f.go", 'package fmtd\n\nimport "fmt"\n\ntype T struct{ v int }\n\n'
          'func show(ts map[string]*T) string {\n\treturn fmt.Sprintf(`value:\n%d`, ts["a"].v)\n}\n')
    proc = tgo("migrate", "-w", "./...", cwd=root)
    no_traceback(proc)
    assert proc.returncode == 1
    assert "fmtd/f.tgo:9:6: error: possible nil dereference" in proc.stderr
    assert "fmtd: not migrated" in proc.stderr
    assert (root / "fmtd" / "f.go").exists() and (root / "store" / "store.tgo").exists()
    oblivious = tgo("migrate", "-w", "--oblivious", "./...", cwd=root)
    assert oblivious.returncode == 0, oblivious.stderr
    assert (root / "fmtd" / "f.tgo").read_text().startswith("//tgo:oblivious\npackage fmtd\n")
    assert "(oblivious)" in oblivious.stderr


def test_try_enums_unions_flags_convert_with_the_annotations(tmp_path: Path) -> None:
    """The conversions (--try, --enums, --unions: migrate/convert.py) go through the command,
    together with the inferred ?, and the result checks clean and runs as before."""
    root = tmp_path / "m"
    write(root / "go.mod", GO_MOD)
    write(root / "main.go", """package main

import (
	"fmt"
	"os"
	"strconv"
)

type level int

const (
	low level = iota
	high
)

type Shape interface{ isShape() }

type Circle struct{ R float64 }

func (Circle) isShape() {}

type Square struct{ S float64 }

func (Square) isShape() {}

func area(s Shape) float64 {
	switch v := s.(type) {
	case Circle:
		return 3 * v.R * v.R
	case Square:
		return v.S * v.S
	}
	return 0
}

func parse(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("parse: %w", err)
	}
	return n, nil
}

var cache map[string]*int

func main() {
	n, err := parse("42")
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	lv := high
	fmt.Println(n, area(Circle{1}), area(Square{2}), lv == high, cache["x"] == nil)
}
""")
    before = subprocess.run(["go", "run", "."], cwd=root, capture_output=True, text=True, timeout=300)
    assert before.returncode == 0, before.stderr
    out = tgo("migrate", "-w", "--try", "--enums", "--unions", ".", cwd=root)
    assert out.returncode == 0, out.stderr
    no_traceback(out)
    text = (root / "main.tgo").read_text()
    assert 'n := strconv.Atoi(s) ? "parse"' in text
    assert "type level enum {" in text
    assert "type Shape union {" in text
    assert tgo("check", ".", cwd=root).returncode == 0
    after = tgo("run", ".", cwd=root)
    assert (after.returncode, after.stdout) == (0, before.stdout), after.stderr
