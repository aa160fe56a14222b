"""Go's errors and stack traces point into the .tgo file, even where lowering added lines.

spec §9: //line directives where the line structure changes, so that go build
errors and panic stack traces name x.tgo and its line.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from transpiler.lower import lower_package

GO = shutil.which("go")
pytestmark = pytest.mark.skipif(GO is None, reason="needs the Go toolchain")

PROGRAM = """package main

import (
	"errors"
	"os"
)

type Node struct{ Next ?*Node; Val int }

func load(ok bool) (*Node, error) {
	if !ok {
		return nil, errors.New("no")
	}
	return &Node{Val: 1}, nil
}

func run() error {
	n := load(true)?
	m := load(true) ? "loading again"
	_ = m
	BODY
	return nil
}

func main() {
	if err := run(); err != nil {
		os.Exit(1)
	}
}
"""


def _module(tmp_path: Path, body: str) -> tuple[Path, int]:
    src = PROGRAM.replace("BODY", body)
    line = src.splitlines().index("\t" + body.split("\n")[0]) + 1
    (tmp_path / "go.mod").write_text("module linetest\n\ngo 1.22\n")
    path = tmp_path / "main.tgo"
    path.write_text(src)
    result = lower_package([str(path)])
    assert result.ok, [d.text() for d in result.diagnostics]
    (tmp_path / "main_tgo.go").write_text(result.outputs[str(path)])
    return tmp_path, line


def test_compile_error_points_into_the_tgo_file(tmp_path: Path) -> None:
    # the checker does not type-check Go's assignability: go reports it, at the .tgo line
    d, line = _module(tmp_path, 'var s int = "text"; _ = s')
    proc = subprocess.run([GO, "build", "-o", "prog", "."], cwd=d, capture_output=True, text=True)  # type: ignore[list-item]
    assert proc.returncode != 0
    assert f"main.tgo:{line}:" in proc.stderr, proc.stderr


def test_panic_stack_trace_names_the_tgo_line(tmp_path: Path) -> None:
    d, line = _module(tmp_path, "println(n.Next!.Val)")
    proc = subprocess.run([GO, "run", "."], cwd=d, capture_output=True, text=True)  # type: ignore[list-item]
    assert proc.returncode != 0
    assert "nil pointer dereference" in proc.stderr
    assert f"main.tgo:{line}" in proc.stderr, proc.stderr


SWITCH_PROGRAM = """package main

type Shape union {
	Circle{R float64}
	Square{S float64}
}

func area(s Shape) float64 {
	switch s := s.(type) {
	case Circle:
		return 3 * s.R * s.R
	case Square:
		return s.S * s.S
	}
}

func main() {
	var s Shape // nil: a value the checker cannot rule out in plain Go callers
	println(area(s))
}
"""


def test_exhaustive_switch_panic_names_the_switch_line(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module linetest\n\ngo 1.22\n")
    path = tmp_path / "main.tgo"
    path.write_text(SWITCH_PROGRAM)
    result = lower_package([str(path)], check=False)
    assert result.ok, [d.text() for d in result.diagnostics]
    (tmp_path / "main_tgo.go").write_text(result.outputs[str(path)])
    proc = subprocess.run([GO, "run", "."], cwd=tmp_path, capture_output=True, text=True)  # type: ignore[list-item]
    assert proc.returncode != 0
    assert "panic: tgo: no case matched in exhaustive type switch on Shape: <nil>" in proc.stderr, proc.stderr
    line = SWITCH_PROGRAM.splitlines().index("\tswitch s := s.(type) {") + 1
    assert f"main.tgo:{line}" in proc.stderr, proc.stderr


def test_compile_errors_in_a_split_var_group_point_into_the_tgo_file(tmp_path: Path) -> None:
    # a var group with ? is split into declarations and if blocks: the specs keep their lines
    body = "\n".join([
        "var (",
        "\t\ta = load(true)?",
        '\t\ts int = "first"',
        "\t\tb = load(true) ? \"again\"",
        '\t\tt, u int = 1, "second"',
        "\t)",
        "\t_, _, _, _, _ = a, s, b, t, u",
    ])
    d, start = _module(tmp_path, body)
    want = [start + 2, start + 4]  # the lines of "first" and "second"
    proc = subprocess.run([GO, "build", "-o", "prog", "."], cwd=d, capture_output=True, text=True)  # type: ignore[list-item]
    assert proc.returncode != 0
    for line in want:
        assert f"main.tgo:{line}:" in proc.stderr, proc.stderr


DOC_SHAPES = [
    "// Package main is documented.\npackage main\n",
    "// Package main is documented\n// over two lines.\n//\n// And a paragraph.\npackage main\n",
    "// Package main shows code:\n//\n//\tx := 1\npackage main\n",
    "// Package main has a directive.\n//\n//go:generate echo hi\npackage main\n",
    "//go:build linux || !linux\n\n// Package main has a build line above it.\npackage main\n",
    "// Copyright notice, not a doc comment.\n\n// Package main is documented.\npackage main\n",
]


# (sources as gofmt writes them: gofmt of a lowered file would also fix a source's layout,
# such as a doc comment ending in "//", and move the lines below it)
@pytest.mark.parametrize("top", DOC_SHAPES, ids=range(len(DOC_SHAPES)))
def test_header_before_a_doc_comment_is_gofmt_clean_and_keeps_lines(tmp_path: Path, top: str) -> None:
    # a nil dereference three lines below the package clause, so its line must map through
    src = top + "\nfunc main() {\n\tvar p ?*int\n\tprintln(*p!)\n}\n"
    (tmp_path / "go.mod").write_text("module doctest\n\ngo 1.22\n")
    path = tmp_path / "main.tgo"
    path.write_text(src)
    result = lower_package([str(path)], check=False)
    assert result.ok, [d.text() for d in result.diagnostics]
    out = result.outputs[str(path)]
    assert out.startswith("// Code generated by tgo from main.tgo. DO NOT EDIT.\n\n")
    gofmt = shutil.which("gofmt")
    if gofmt is not None:
        proc = subprocess.run([gofmt], input=out, capture_output=True, text=True, check=False)
        assert proc.stdout == out, "not gofmt-clean"
    (tmp_path / "main_tgo.go").write_text(out)
    proc = subprocess.run([GO, "run", "."], cwd=tmp_path, capture_output=True, text=True)  # type: ignore[list-item]
    line = src.splitlines().index("\tprintln(*p!)") + 1
    assert "nil pointer dereference" in proc.stderr
    assert f"main.tgo:{line}" in proc.stderr, proc.stderr


UNFORMATTED = """package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
)

var bad int

func check(want int) {
	_, file, line, _ := runtime.Caller(1)
	if line != want || !strings.HasSuffix(file, "main.tgo") {
		fmt.Println("MISMATCH", file, line, "want", want)
		bad++
	}
}

func load(n int) (int, error) {
	if n < 0 { return 0, errors.New("negative") }
	return n, nil
}

func run(k int) error {
    n := load(k)?
  check(@)
	if n == 0 { return nil }
	check(@)



	check(@)
	raw := `one
  two`
	check(@); check(@)
	for i := 0; i < 1; i++ { check(@) }
	check(@)
	switch { case n > 0: check(@); default: check(@) }
	m := load(n) ? "again"
	check(@)
	fmt.Print(len(raw), m, "\\n")
	if n > 100 { check(@) }
	check(@)
	return nil
}

func main() {
	if err := run(7); err != nil { os.Exit(3) }
	os.Exit(bad)
}
"""


def test_lines_stay_exact_when_gofmt_reformats_the_source(tmp_path: Path) -> None:
    # gofmt of the lowered file splits one-line blocks and merges blank lines; the lines after
    # each such place are put back on their .tgo lines (every check(N) sits on line N)
    lines = UNFORMATTED.split("\n")
    src = "\n".join(ln.replace("@", str(i + 1)) for i, ln in enumerate(lines))
    (tmp_path / "go.mod").write_text("module linetest\n\ngo 1.22\n")
    path = tmp_path / "main.tgo"
    path.write_text(src)
    result = lower_package([str(path)])
    assert result.ok, [d.text() for d in result.diagnostics]
    out = result.outputs[str(path)]
    (tmp_path / "main_tgo.go").write_text(out)
    assert "`one\n  two`" in out  # no directive inside the raw string
    assert subprocess.run(["gofmt", "-l", "main_tgo.go"], cwd=tmp_path, capture_output=True,
                          text=True, check=True).stdout == ""  # fmt: skip
    proc = subprocess.run([str(GO), "run", "."], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert "MISMATCH" not in proc.stdout, proc.stdout
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "9 7\n"


def test_lines_inside_raw_strings_and_block_comments() -> None:
    from transpiler.lower.linemap import lines_inside_tokens

    text = 'a := `x\ny\nz` // c `\nb := "`" /* q\nr */\nc := \'`\'\nd := `e\nf`\n// `\ng := 1\n'
    assert lines_inside_tokens(text) == {1, 2, 4, 7}
