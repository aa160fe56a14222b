"""GOROOT's testdata files, many deliberately invalid: no crash, and gofmt's verdict.

The Go tree's testdata folders hold the parser and type checker test inputs of
the Go project itself, with syntax errors on purpose.  tgo must never crash on
them, and must accept a file exactly when gofmt (go/parser) does, except for a
short list of files whose errors go/parser leaves to the type checker.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from tgorun import goroot_src

from transpiler.lower import generate
from transpiler.syntax import parse_source

GO = shutil.which("go")
GOFMT = shutil.which("gofmt")

# Files where tgo and go/parser disagree, and why tgo's verdict stands.
KNOWN = {
    # `a[0], b := 1, 2`: tgo reports the non-name on the left of := while
    # parsing; Go reports it in the type checker.  Invalid Go either way.
    "internal/types/testdata/fixedbugs/issue43087.go": "rejected",
    # `[10]bool[1]{}`: tgo parses type arguments as expressions (as go/parser
    # did before it parsed them as types); Go's type checker rejects the file.
    "internal/types/testdata/fixedbugs/issue48827.go": "accepted",
}


def _testdata_files() -> tuple[Path, list[Path]]:
    if GO is None:
        return Path(), []
    root = goroot_src()
    if root is None:
        return Path(), []
    out = []
    for d, _dirs, files in os.walk(root):
        if "testdata" in Path(d).parts:
            out.extend(Path(d) / f for f in files if f.endswith(".go"))
    return root, sorted(out)


ROOT, FILES = _testdata_files()


@pytest.mark.skipif(GO is None or GOFMT is None, reason="needs the Go toolchain")
def test_testdata_files_agree_with_gofmt() -> None:
    assert len(FILES) > 500
    disagreements = []
    # gofmt -l -e lists nothing for a good file and fails for a bad one; run it in batches
    bad_for_go: set[Path] = set()
    for i in range(0, len(FILES), 200):
        batch = FILES[i : i + 200]
        proc = subprocess.run([GOFMT, "-e", "-l", *map(str, batch)], capture_output=True, text=True)
        for line in proc.stderr.splitlines():
            name = line.split(":", 1)[0]
            bad_for_go.add(Path(name))
    for f in FILES:
        data = f.read_bytes()
        r = parse_source(data, str(f))  # must not raise
        accepted = r.tree is not None
        if accepted:
            assert generate(r, f.name).split("\n", 3)[3] == data.decode()
        rel = f.relative_to(ROOT).as_posix()
        if accepted == (f in bad_for_go):
            disagreements.append((rel, "accepted" if accepted else "rejected"))
    assert sorted(disagreements) == sorted(KNOWN.items())
