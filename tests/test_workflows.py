"""The go command's other workflows with .tgo files: coverage, ``tgo mod tidy``, ``tgo generate``.

Each is compared with what the go command itself does on plain Go: ``tgo tool cover
-func`` with ``go tool cover -func`` on a profile of .go files, ``tgo generate`` with
``go generate`` on a package of .go files; and on .tgo files with what go would do if
they were .go files (a profile naming x.tgo lines, requirements kept, $GOFILE x.tgo).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from tgorun import no_traceback, tgo, write

from transpiler.toolchain import find_go
from transpiler.toolchain.cover import parse_profiles, tabwrite
from transpiler.toolchain.generate import expand

GO = find_go()
needs_go = pytest.mark.skipif(GO is None, reason="no Go toolchain")

GO_MOD = "module example.com/w\n\ngo 1.22\n"

SHAPES = """\
package shapes

import "fmt"

type Shape union {
	Circle{R float64}
	Square{S float64}
}

func Area(s Shape) float64 {
	switch s := s.(type) {
	case Circle:
		return 3 * s.R * s.R
	case Square:
		return s.S * s.S
	}
}

func Describe(s ?*Circle) string {
	if s == nil {
		return "none"
	}
	return fmt.Sprint(s.R)
}

func parse(text string) (float64, error) {
	var f float64
	_, err := fmt.Sscan(text, &f)
	return f, err
}

func Scaled(text string, k float64) (float64, error) {
	f := parse(text)?
	return f * k, nil
}
"""

SHAPES_TEST = """\
package shapes

import "testing"

func TestArea(t *testing.T) {
	if Area(Square{S: 2}) != 4 {
		t.Fatal("square")
	}
	if v, err := Scaled("2", 3); err != nil || v != 6 {
		t.Fatal("scaled", v, err)
	}
}
"""

UTIL = """\
package util

func Double(x int) int {
	return 2 * x
}

func Unused(x int) int {
	if x > 0 {
		return x
	}
	return -x
}
"""

UTIL_TEST = """\
package util

import "testing"

func TestDouble(t *testing.T) {
	if Double(2) != 4 {
		t.Fatal("double")
	}
}
"""


@pytest.fixture
def covmod(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "w"
    write(root / "go.mod", GO_MOD)
    write(root / "shapes" / "shapes.tgo", SHAPES)
    write(root / "shapes" / "shapes_test.tgo", SHAPES_TEST)
    write(root / "util" / "util.go", UTIL)
    write(root / "util" / "util_test.go", UTIL_TEST)
    return root


# --- coverage ---------------------------------------------------------------------------


@needs_go
def test_cover_profile_names_tgo_lines(covmod: Path) -> None:
    proc = tgo("test", "-coverprofile=c.out", "./...", cwd=covmod)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "coverage:" in proc.stdout
    profile = (covmod / "c.out").read_text()
    assert "example.com/w/shapes/shapes.tgo:" in profile
    assert "_tgo.go" not in profile  # never the lowered file
    by_file = {p.file_name: p for p in parse_profiles(str(covmod / "c.out"))}
    shapes = by_file["example.com/w/shapes/shapes.tgo"]
    lines = (covmod / "shapes" / "shapes.tgo").read_text().splitlines()
    # the blocks are on the .tgo lines of the statements they count
    def text(count_ok: bool) -> str:
        return "\n".join(
            lines[n - 1]
            for b in shapes.blocks
            if (b.count > 0) == count_ok
            for n in range(b.start_line, b.end_line + 1)
            if 1 <= n <= len(lines)
        )

    assert "return s.S * s.S" in text(True)
    assert "return 3 * s.R * s.R" in text(False)
    assert 'return "none"' in text(False)
    assert "return 3 * s.R * s.R" not in text(True)


@needs_go
def test_tool_cover_func_on_go_files_is_go_tool_covers(covmod: Path) -> None:
    assert GO is not None
    proc = tgo("test", "-coverprofile=c.out", "./util", cwd=covmod)
    assert proc.returncode == 0, proc.stderr
    ours = tgo("tool", "cover", "-func=c.out", cwd=covmod)
    theirs = subprocess.run([GO, "tool", "cover", "-func=c.out"], cwd=covmod, capture_output=True, text=True,
                            check=False)  # fmt: skip
    assert theirs.returncode == 0, theirs.stderr
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == theirs.stdout


@needs_go
def test_tool_cover_func_and_html_on_tgo_files(covmod: Path) -> None:
    assert tgo("test", "-coverprofile=c.out", "./...", cwd=covmod).returncode == 0
    proc = tgo("tool", "cover", "-func=c.out", cwd=covmod)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[1]: line.split()[-1] for line in proc.stdout.splitlines()}
    # the switch and one of its two cases; the lowering's default (a panic no value of the
    # union reaches) is a statement too, so 2 of 4
    assert rows["Area"] == "50.0%"
    assert rows["Describe"] == "0.0%"
    assert rows["Scaled"] != "0.0%"
    assert rows["Double"] == "100.0%"
    assert rows["Unused"] == "0.0%"
    assert proc.stdout.splitlines()[-1].startswith("total:")
    out = covmod / "cover.html"
    proc = tgo("tool", "cover", "-html=c.out", "-o", str(out), cwd=covmod)
    assert proc.returncode == 0, proc.stderr
    page = out.read_text()
    assert "example.com/w/shapes/shapes.tgo" in page
    assert 'class="cov0"' in page and 'class="cov8"' in page
    assert "Square{S float64}" in page  # tgo syntax shown as written


@needs_go
def test_cover_with_the_users_toolexec(covmod: Path, tmp_path: Path) -> None:
    log = tmp_path / "tools.log"
    wrapper = write(tmp_path / "logtools.sh", f'#!/bin/sh\necho "$1" >> {log}\nexec "$@"\n')
    wrapper.chmod(0o755)
    proc = tgo("test", "-cover", f"-toolexec={wrapper}", "./shapes", cwd=covmod)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "coverage:" in proc.stdout
    tools = {os.path.basename(line) for line in log.read_text().split()}
    assert "cover" in tools and "compile" in tools


def test_tool_cover_bad_profile(tmp_path: Path) -> None:
    write(tmp_path / "bad.out", "not a profile\n")
    proc = tgo("tool", "cover", "-func=bad.out", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2
    assert "bad.out:1: bad mode line" in proc.stderr


def test_parse_profiles_merges_repeated_blocks(tmp_path: Path) -> None:
    write(tmp_path / "c.out", "mode: set\nm/a.tgo:3.2,4.3 1 0\nm/a.tgo:3.2,4.3 1 1\nm/a.tgo:1.1,2.2 2 0\n")
    (p,) = parse_profiles(str(tmp_path / "c.out"))
    assert [(b.start_line, b.count) for b in p.blocks] == [(1, 0), (3, 1)]


def test_tabwrite_matches_tabwriter() -> None:
    # text/tabwriter with minwidth 1, tabwidth 8, padding 1, tab padding: a cell of 7 takes one
    # tab, a cell of 8 two
    assert tabwrite([("abcdefg", "x", "1%"), ("abcdefgh", "y", "2%")]) == "abcdefg\t\tx\t1%\nabcdefgh\ty\t2%\n"


# --- mod tidy ---------------------------------------------------------------------------


def _tidy_module(root: Path) -> None:
    write(root / "go.mod", "module example.com/t\n\ngo 1.22\n\nrequire example.com/dep v0.0.0\n\n"
          "replace example.com/dep => ./dep\n")  # fmt: skip
    write(root / "dep" / "go.mod", "module example.com/dep\n\ngo 1.22\n")
    write(root / "dep" / "dep.go", "package dep\n\nfunc Hello() string { return \"hi\" }\n")
    write(root / "main.go", "package main\n\nfunc main() { run() }\n")
    write(root / "run.tgo", 'package main\n\nimport "example.com/dep"\n\nfunc run() { println(dep.Hello()) }\n')


@needs_go
def test_mod_tidy_keeps_requirements_only_tgo_files_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert GO is not None
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))
    plain, ours = tmp_path / "plain", tmp_path / "ours"
    _tidy_module(plain)
    _tidy_module(ours)
    subprocess.run([GO, "mod", "tidy"], cwd=plain, capture_output=True, check=True)
    assert "example.com/dep" not in (plain / "go.mod").read_text().split("replace")[0]  # go drops it
    proc = tgo("mod", "tidy", cwd=ours)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert "require example.com/dep v0.0.0" in (ours / "go.mod").read_text()
    assert tgo("build", ".", cwd=ours).returncode == 0


@needs_go
def test_mod_tidy_refuses_a_tgo_file_that_does_not_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))
    _tidy_module(tmp_path)
    write(tmp_path / "broken.tgo", "package main\n\nfunc broken( {\n")
    before = (tmp_path / "go.mod").read_bytes()
    proc = tgo("mod", "tidy", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    assert "broken.tgo:3:" in proc.stderr
    assert (tmp_path / "go.mod").read_bytes() == before


# --- generate ---------------------------------------------------------------------------

GEN_A = """\
package gent

//go:generate echo A $GOFILE $GOLINE $GOPACKAGE "q\\x41\\u00e9 $GOFILE" ${GOFILE} $ $$ ${} x${GOOS}y $1
//go:generate -command e echo E
//go:generate e one\ttwo
//go:generate false
//go:generate echo after-false
"""


@needs_go
@pytest.mark.parametrize("flags", [[], ["-n"], ["-x"], ["-v"], ["-run", "A"], ["-skip", "false"]])
def test_generate_on_go_files_is_go_generate(tmp_path: Path, flags: list[str]) -> None:
    assert GO is not None
    write(tmp_path / "go.mod", "module example.com/gent\n\ngo 1.22\n")
    write(tmp_path / "a.go", GEN_A)
    write(tmp_path / "b.go", "package gent\n//go:generate echo B\n")
    write(tmp_path / "b_test.go", "package gent_test\n//go:generate echo BX $GOPACKAGE\n")
    theirs = subprocess.run([GO, "generate", *flags, "./..."], cwd=tmp_path, capture_output=True, text=True,
                            check=False)  # fmt: skip
    ours = tgo("generate", *flags, "./...", cwd=tmp_path)
    no_traceback(ours)
    assert (ours.returncode, ours.stdout, ours.stderr) == (theirs.returncode, theirs.stdout, theirs.stderr)


@needs_go
def test_generate_runs_directives_of_tgo_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))
    write(tmp_path / "go.mod", "module example.com/g\n\ngo 1.22\n")
    write(tmp_path / "a.go", "package g\n\n//go:generate echo first $GOFILE\n")
    write(tmp_path / "b.tgo", "package g\n\n\n//go:generate sh -c \"echo $GOFILE:$GOLINE > gen.txt\"\n"
          "type E enum {\n\tX\n}\n")  # fmt: skip
    write(tmp_path / "only" / "c.tgo", "package only\n\n//go:generate echo only $GOPACKAGE $GOFILE\n"
          "func f() ?*int { return nil }\n")  # fmt: skip
    proc = tgo("generate", "./...", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "first a.go\nonly only c.tgo\n"
    assert (tmp_path / "gen.txt").read_text() == "b.tgo:4\n"


def test_expand_is_os_expand() -> None:
    env = {"A": "1", "B_2": "two", "*": "star"}

    def get(name: str) -> str:
        return env.get(name, "")

    # the results of Go's os.Expand with the same mapping
    cases = {
        "$A ${B_2} $ $$ ${} x$Ay $* ${*} $": "1 two $   x star star $",
        "${ x$Ay": " x",
        "a$": "a$",
        "$1$2${A}b": "1b",
        "${A": "A",
    }
    for text, want in cases.items():
        assert expand(text, get) == want, text
