"""Oblivious files (spec §2, §6): a Go file renamed to .tgo, marked by its first line or by
an ``oblivious`` pattern of tgo.toml, checks clean and builds, tests and vets as before."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from tgorun import no_traceback, tgo, write

from transpiler.stubs import StubConfigError, load_config
from transpiler.stubs.config import oblivious_match
from transpiler.toolchain import find_go

GO = find_go()
needs_go = pytest.mark.skipif(GO is None, reason="needs the Go toolchain")

GO_MOD = "module example.com/legacy\n\ngo 1.22\n"

# plain Go that drops errors and uses values that may be nil, as Go allows
STORE = """package store

import (
	"fmt"
	"os"
	"strconv"
)

type Item struct {
	Name string
	Next *Item
}

var head *Item

func Add(name string) {
	head = &Item{Name: name, Next: head}
	os.Setenv("LAST_ITEM", name)
}

func Second() string {
	return head.Next.Name
}

func Count(s string) int {
	n, _ := strconv.Atoi(s)
	_ = os.Chdir(".")
	return n
}

func Show(w *os.File) {
	fmt.Fprintf(w, "%d items\\n", 2)
	w.Sync()
}
"""
STORE_TEST = """package store

import (
	"os"
	"testing"
)

func TestSecond(t *testing.T) {
	Add("a")
	Add("b")
	os.Unsetenv("NOTHING")
	if Second() != "a" || Count("3") != 3 {
		t.Fatal(Second())
	}
}
"""
MAIN = """package main

import (
	"fmt"
	"os"

	"example.com/legacy/internal/store"
)

func main() {
	store.Add("x")
	store.Add("y")
	os.Stdout.WriteString("second: ")
	fmt.Println(store.Second(), store.Count("12"))
	n := len(os.Args)
	n = n
}
"""


def test_oblivious_patterns() -> None:
    cases = {
        "*_test.tgo": (["a_test.tgo", "x/y/a_test.tgo"], ["a.tgo", "x/a_test.go.tgo"]),
        "internal/legacy/...": (["internal/legacy/a.tgo", "internal/legacy/x/y/b.tgo"],
                                ["internal/legacyx/a.tgo", "internal/a.tgo", "a.tgo"]),
        "internal/legacy": (["internal/legacy/a.tgo"], ["internal/legacy/x/b.tgo"]),
        "cmd/*/main.tgo": (["cmd/tool/main.tgo"], ["cmd/main.tgo", "cmd/a/b/main.tgo", "cmd/tool/util.tgo"]),
        "...": (["a.tgo", "x/y/z.tgo"], []),
        "old_[ab].tgo": (["old_a.tgo", "p/old_b.tgo"], ["old_c.tgo"]),
    }
    for pattern, (yes, no) in cases.items():
        for rel in yes:
            assert oblivious_match(pattern, rel), (pattern, rel)
        for rel in no:
            assert not oblivious_match(pattern, rel), (pattern, rel)


def test_config_reads_oblivious_and_rejects_bad_values(tmp_path: Path) -> None:
    write(tmp_path / "tgo.toml", 'stub_paths = []\noblivious = ["./internal/legacy/...", "*_test.tgo"]\n')
    config = load_config(str(tmp_path))
    assert config.oblivious == ["internal/legacy/...", "*_test.tgo"]
    assert config.is_oblivious(str(tmp_path / "internal" / "legacy" / "x" / "a.tgo"))
    assert config.is_oblivious(str(tmp_path / "cmd" / "a_test.tgo"))
    assert not config.is_oblivious(str(tmp_path / "cmd" / "a.tgo"))
    assert not config.is_oblivious(str(tmp_path.parent / "a_test.tgo"))  # outside the module
    bad = {
        'oblivious = "internal/..."': "oblivious must be a list of file patterns",
        "oblivious = [1]": "each pattern must be a non-empty string",
        'oblivious = [""]': "each pattern must be a non-empty string",
        'oblivious = ["/abs/x.tgo"]': "relative to the module root",
        'oblivious = ["../other/..."]': "empty, . and .. elements are not allowed",
        'oblivious = ["a/.../b"]': "... must be the last element",
        'oblivious = ["a\\\\b.tgo"]': "use / between path elements",
    }
    for line, why in bad.items():
        write(tmp_path / "tgo.toml", f"# settings\n\n{line}\n")
        with pytest.raises(StubConfigError) as info:
            load_config(str(tmp_path))
        assert str(info.value).startswith(f"{tmp_path / 'tgo.toml'}:3: "), str(info.value)
        assert why in str(info.value)


def _module(root: Path, as_tgo: bool) -> None:
    """The legacy module as Go, or renamed to .tgo: store.tgo by its first line, the
    others by tgo.toml patterns (so their lines stay where they were)."""
    write(root / "go.mod", GO_MOD)
    ext = ".tgo" if as_tgo else ".go"
    write(root / f"main{ext}", MAIN)
    write(root / "internal" / "store" / f"store{ext}", ("//tgo:oblivious\n" if as_tgo else "") + STORE)
    write(root / "internal" / "store" / f"store_test{ext}", STORE_TEST)
    if as_tgo:
        write(root / "tgo.toml", 'oblivious = ["main.tgo", "*_test.tgo"]\n')


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=600, check=False)


@needs_go
@pytest.mark.slow
def test_renamed_module_checks_clean_and_builds_tests_and_vets_as_before(tmp_path: Path) -> None:
    assert GO is not None
    env = {"TGO_CACHE_DIR": str(tmp_path / "cache"), "GOFLAGS": "-count=1"}
    go_root, tgo_root = tmp_path / "go", tmp_path / "tgo"
    _module(go_root, as_tgo=False)
    _module(tgo_root, as_tgo=True)

    check = tgo("check", "./...", cwd=tgo_root, env=env)
    no_traceback(check)
    assert (check.returncode, check.stdout, check.stderr) == (0, "", "")

    want = _run([GO, "run", "."], go_root, env)
    got = tgo("run", ".", cwd=tgo_root, env=env)
    assert (got.returncode, got.stdout) == (want.returncode, want.stdout) == (0, "second: x 12\n")
    want = _run([GO, "test", "./..."], go_root, env)
    got = tgo("test", "./...", cwd=tgo_root, env=env)
    assert got.returncode == want.returncode == 0, got.stderr
    assert [ln.split("\t")[:2] for ln in got.stdout.splitlines()] == \
        [ln.split("\t")[:2] for ln in want.stdout.splitlines()]
    # go vet finds the same thing, at the same line of the renamed file
    want = _run([GO, "vet", "./..."], go_root, env)
    got = tgo("vet", "./...", cwd=tgo_root, env=env)
    assert want.returncode == got.returncode == 1
    finding = ":16:2: self-assignment of n\n"
    assert "main.go" + finding in want.stderr
    # (the same line and column: the //line directives give both)
    assert "main.tgo" + finding in got.stderr

    # the check and build caches key on tgo.toml: without the pattern, main.tgo is judged
    write(tgo_root / "tgo.toml", 'oblivious = ["*_test.tgo"]\n')
    check = tgo("check", "./...", cwd=tgo_root, env=env)
    assert check.returncode == 1
    assert "main.tgo:13:2: error: " in check.stdout and "[unchecked-error]" in check.stdout
    build = tgo("build", ".", cwd=tgo_root, env=env)
    assert build.returncode == 1 and "[unchecked-error]" in build.stderr
    write(tgo_root / "tgo.toml", 'oblivious = ["main.tgo", "*_test.tgo"]\n')
    assert tgo("build", "-o", str(tmp_path / "app"), ".", cwd=tgo_root, env=env).returncode == 0


def test_bad_oblivious_value_is_a_clear_error(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "tgo.toml", 'stub_paths = []\noblivious = ["../x"]\n')
    write(tmp_path / "a.tgo", "package a\n")
    env = {"TGO_CACHE_DIR": str(tmp_path / "cache")}
    for args in (["check", "."], ["build", "."]):
        proc = tgo(*args, cwd=tmp_path, env=env)
        no_traceback(proc)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "tgo.toml:2: oblivious: '../x': empty, . and .. elements are not allowed" in proc.stderr
