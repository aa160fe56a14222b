"""Plain Go lowers to itself (spec §1, promise 3): the header, then the source byte for
byte, never reformatted; compiled, vetted, listed and documented with the real go."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from tgorun import no_traceback, tgo, write

from transpiler.lower import header
from transpiler.toolchain import find_go

GO = find_go()
needs_go = pytest.mark.skipif(GO is None, reason="needs the Go toolchain")

FILES = {
    # a licence right above the package clause (it is the package's doc comment to go)
    "lic/lic.tgo": "// Copyright 2020 The Authors. All rights reserved.\n// Use of this source code is governed by a"
                   " BSD-style licence.\npackage lic\n\nfunc Two() int { return 2 }\n",
    # a package doc comment after a licence and a blank line, with a directive in it
    "doc/doc.tgo": "// Copyright 2020 The Authors.\n\n// Package doc adds numbers.\n//\n// It is documented.\n"
                   "//\n//go:generate echo hi\npackage doc\n\n// Add adds.\nfunc Add(a, b int) int { return a + b }\n",
    # not gofmt-clean: kept as it is
    "main.tgo": 'package main\nimport ("fmt";"example.com/p/lic"\n"example.com/p/doc")\nfunc  main( ) {\n'
                '  fmt.Println( doc.Add(lic.Two(),  old()),  tagged() )\n}\n',
    # old-style build constraints only: one always true, one never
    "old.tgo": "// +build go1.1\n\npackage main\n\nfunc old() int { return 40 }\n",
    "never.tgo": "// +build ignore\n\npackage main\n\nfunc old() int { return undefined }\n",
    "tagged.tgo": "//go:build !never\n// +build !never\n\n// tagged is kept too.\n\npackage main\n\n"
                  "func tagged() string { return \"tagged\" }\n",
}


def _write(root: Path, ext: str = ".tgo") -> None:
    write(root / "go.mod", "module example.com/p\n\ngo 1.22\n")
    for rel, text in FILES.items():
        write(root / rel.replace(".tgo", ext), text)


def _go(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert GO is not None
    env = {**os.environ, "GOFLAGS": "", "GOWORK": "off"}
    return subprocess.run([GO, *args], cwd=root, env=env, capture_output=True, text=True, timeout=600, check=False)


@needs_go
def test_plain_go_lowers_byte_for_byte_and_go_builds_vets_lists_and_documents_it(tmp_path: Path) -> None:
    root = tmp_path / "m"
    _write(root)
    env = {"TGO_CACHE_DIR": str(tmp_path / "cache")}
    for rel, text in FILES.items():
        gen = tgo("gen", "--stdout", rel, cwd=root, env=env)
        no_traceback(gen)
        assert gen.returncode == 0, gen.stderr
        assert gen.stdout == header(rel) + text, rel

    # through the overlay
    run = tgo("run", ".", cwd=root, env=env)
    assert (run.returncode, run.stdout, run.stderr) == (0, "42 tagged\n", "")
    vet = tgo("vet", "./...", cwd=root, env=env)
    assert (vet.returncode, vet.stderr) == (0, "")

    # written next to the sources: what go itself makes of the generated files
    gen = tgo("gen", "./...", cwd=root, env=env)
    assert gen.returncode == 0, gen.stderr
    # the same module as .go files: go sees the generated files as it sees those
    plain = tmp_path / "plain"
    _write(plain, ".go")
    fmt = "{{.ImportPath}}|{{.Doc}}|{{.GoFiles}}|{{.IgnoredGoFiles}}"
    listed = _go(root, "list", "-f", fmt, "./...")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.replace("_tgo.go", ".go") == _go(plain, "list", "-f", fmt, "./...").stdout
    assert listed.stdout.splitlines() == [
        "example.com/p||[main_tgo.go old_tgo.go tagged_tgo.go]|[never_tgo.go]",
        "example.com/p/doc|Package doc adds numbers.|[doc_tgo.go]|[]",
        "example.com/p/lic||[lic_tgo.go]|[]",  # (go/doc's synopsis leaves out a copyright)
    ]
    assert _go(root, "doc", "./doc").stdout == _go(plain, "doc", "./doc").stdout
    doc = _go(root, "doc", "./doc")
    assert doc.returncode == 0, doc.stderr
    assert "Package doc adds numbers.\n\nIt is documented.\n" in doc.stdout
    assert "go:generate" not in doc.stdout and "//line" not in doc.stdout
    assert "Code generated" not in doc.stdout
    for args in (("build", "./..."), ("vet", "./...")):
        proc = _go(root, *args)
        assert (proc.returncode, proc.stderr) == (0, ""), args
    generate = _go(root, "generate", "./doc")
    assert (generate.returncode, generate.stdout) == (0, "hi\n")


@needs_go
def test_plain_go_positions_are_the_sources(tmp_path: Path) -> None:
    # an unformatted plain file keeps its lines: go's error names them without //line resyncs
    root = tmp_path / "m"
    write(root / "go.mod", "module example.com/p\n\ngo 1.22\n")
    write(root / "main.tgo", "package main\nimport \"fmt\"\nfunc main() {\n\n\n  fmt.Println( x )\n}\n")
    proc = tgo("build", ".", cwd=root, env={"TGO_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 1
    assert "main.tgo:6: undefined: x" in proc.stderr
