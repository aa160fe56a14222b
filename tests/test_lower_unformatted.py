"""Check-clean sources that are not gofmt-formatted lower to Go that builds and runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from tgorun import no_traceback, tgo, write

from transpiler.toolchain import find_go

needs_go = pytest.mark.skipif(find_go() is None, reason="needs the Go toolchain")

# the enum's String needs strconv, added to an import group written on one line
ONE_LINE_IMPORTS = """package main

import ("os";"fmt")

type Color enum { Red; Green }

func main() { fmt.Println(Green, len(os.Args) > 0, name(Dot)) }
"""

# the exhaustive switch's default goes after a clause that shares the line of the `}`
CLOSING_BRACE_AFTER_CASE = """package main

type Shape enum {
	Dot
	Line
}

func name(s Shape) string {
	switch s {
	case Line: return "line"
	case Dot: return "dot" }
}
"""


@needs_go
def test_unformatted_sources_build_and_run(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", "module example.com/m\n\ngo 1.22\n")
    write(tmp_path / "main.tgo", ONE_LINE_IMPORTS)
    write(tmp_path / "shape.tgo", CLOSING_BRACE_AFTER_CASE)
    env = {"TGO_CACHE_DIR": str(tmp_path / "cache")}
    assert tgo("check", ".", cwd=tmp_path, env=env).returncode == 0
    proc = tgo("run", ".", cwd=tmp_path, env=env)
    no_traceback(proc)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "Green true dot\n", "")
    gen = tgo("gen", "--stdout", "shape.tgo", cwd=tmp_path, env=env)
    assert gen.returncode == 0, gen.stderr
    # (the return gofmt moved to a line of its own is put back on its line and column)
    assert "\tcase Dot:\n//line shape.tgo:11:10\n\t\treturn \"dot\"\n\tdefault:\n" in gen.stdout
