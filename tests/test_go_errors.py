"""tgo check reports Go's own errors (code go, spec §8) at the .tgo line and column, once,
not on lines where tgo already reported an error, and says when it could not check them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tgorun import no_traceback, tgo, write

pytestmark = pytest.mark.skipif(shutil.which("go") is None, reason="needs the Go toolchain")

GO_MOD = "module example.com/gt\n\ngo 1.22\n"

ERRORS = """package gt

import (
	"os"
	"strconv"
)

func Parse(s string) (int, error) {
	n := strconv.Atoi(s)?
	var unused int
	var t string = n
	return undefinedName + n, nil
}

func Missing(s string) int {
	if s == "" {
		return 0
	}
}

func Wrapped(s string) (int, error) {
	a := strconv.Atoi(s) ? "parsing a"
	b := strconv.Atoi(s)?
	var p *int = a
	return b + len(p), nil
}
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))


def check(directory: Path, env: dict[str, str] | None = None) -> tuple[int, list[dict[str, object]], str]:
    proc = tgo("check", "--format", "json", ".", cwd=directory, env=env)
    no_traceback(proc)
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def found(diags: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(d["line"], d["column"], d["code"], d["message"]) for d in diags]


def test_go_errors_at_the_tgo_line_and_column(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "a.tgo", ERRORS)
    status, diags, _ = check(tmp_path)
    assert status == 1
    assert found(diags) == [
        (4, 2, "go", '"os" imported and not used'),
        (10, 6, "go", "declared and not used: unused"),
        (11, 6, "go", "declared and not used: t"),
        (11, 17, "go", "cannot use n (variable of type int) as string value in variable declaration"),
        (12, 9, "go", "undefined: undefinedName"),
        (19, 1, "go", "missing return"),
        # after a ? that lowering expanded into several lines, and after a wrapping one
        (24, 15, "go", "cannot use a (variable of type int) as *int value in variable declaration"),
        (25, 17, "go", "invalid argument: p (variable of type *int) for built-in len"),
    ]
    assert all(d["file"] == "./a.tgo" for d in diags)
    # the same from the result cache (the fast path), byte for byte
    again = tgo("check", "--format", "json", ".", cwd=tmp_path)
    assert again.returncode == 1 and json.loads(again.stdout) == diags


def test_an_error_on_the_line_of_a_try(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "a.tgo", """package gt

import "strconv"

func F(s string) error {
	k := strconv.Atoi(s)?
	return nil
}
""")
    status, diags, _ = check(tmp_path)
    assert (status, found(diags)) == (1, [(6, 2, "go", "declared and not used: k")])


def test_go_errors_in_go_and_test_files(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "a.tgo", "package gt\n\nfunc F() int { return 1 }\n")
    write(tmp_path / "b.go", "package gt\n\nfunc G() int { return F() + missing }\n")
    write(tmp_path / "a_test.tgo", 'package gt\n\nimport "testing"\n\nfunc TestF(t *testing.T) {\n\tt.Log(F() + "x")\n}\n')
    status, diags, _ = check(tmp_path)
    assert status == 1
    assert [(d["file"], d["line"], d["column"], d["code"]) for d in diags] == [
        ("./a_test.tgo", 6, 8, "go"),
        ("./b.go", 3, 29, "go"),
    ]


def test_go_errors_cannot_be_ignored(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "a.tgo", "package gt\n\nfunc F() int {\n\treturn nope //tgo:ignore[go]\n}\n")
    status, diags, _ = check(tmp_path)
    assert status == 1
    assert [(d["line"], d["code"]) for d in diags] == [(4, "go"), (4, "unused-ignore")]
    assert "cannot silence go" in str(diags[1]["message"])


def test_no_cascade_on_a_line_tgo_reported(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", GO_MOD)
    # the dropped error and Go's undefined name share line 6: only tgo's error is reported
    write(tmp_path / "a.tgo", """package gt

import "strconv"

func F() {
	strconv.Atoi(undefinedName)
}

func G() error {
	x := undefinedFunc()?
	return nil
}
""")
    status, diags, _ = check(tmp_path)
    assert status == 1
    assert [(d["line"], d["column"], d["code"]) for d in diags] == [(6, 2, "unchecked-error"), (10, 7, "go")]
    assert diags[1]["message"] == "undefined: undefinedFunc"


def test_a_clean_check_means_the_package_builds(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "a.tgo", ERRORS.split("func Missing")[0].replace("\tvar unused int\n\tvar t string = n\n", "")
          .replace("undefinedName + n", "n").replace('\t"os"\n', ""))
    status, diags, stderr = check(tmp_path)
    assert (status, diags, stderr) == (0, [], "")
    assert tgo("build", ".", cwd=tmp_path).returncode == 0


def test_without_go_the_tgo_rules_still_run(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "a.tgo", "package gt\n\nfunc F() int {\n\treturn nope\n}\n")
    nogo = {"TGO_GO": str(tmp_path / "no-such-go")}
    status, diags, stderr = check(tmp_path, nogo)
    assert (status, diags) == (2, [])
    assert stderr.count("Go's own errors (code go) were not checked") == 1
    # the unchecked result is not cached: with Go, the error shows
    status, diags, stderr = check(tmp_path)
    assert (status, [d["code"] for d in diags], stderr) == (1, ["go"], "")
    write(tmp_path / "b.tgo", "package gt\n\nfunc G() int {\n\tvar p *int\n\treturn *p\n}\n")
    status, diags, _ = check(tmp_path, nogo)
    # spec §2 v0.2 definite assignment: one nil-init, at the read *p
    assert (status, [(d["code"], d["line"]) for d in diags]) == (1, [("nil-init", 5)])


def test_outside_a_module(tmp_path: Path) -> None:
    write(tmp_path / "a.tgo", "package p\n\nfunc F() int { return nope }\n")
    write(tmp_path / "a_test.tgo", 'package p\n\nimport "testing"\n\nfunc TestF(t *testing.T) { t.Log(F() + "x") }\n')
    status, diags, stderr = check(tmp_path)
    assert (status, stderr) == (1, "")
    assert [(d["file"], d["line"], d["column"], d["code"]) for d in diags] == [
        ("./a.tgo", 3, 23, "go"),
        ("./a_test.tgo", 5, 34, "go"),
    ]


CHANGED_LINE = """package gt

func use(a, b, c, d int) int { return a + b + c + d }

func F(p ?*int) int {
	if p == nil {
		return 0
	}
	return use(p!, p!, p!, p!)
}
"""


def test_go_errors_on_a_line_the_lowering_changed_have_exact_columns(tmp_path: Path) -> None:
    # the lowered line is "return use(p, p, p, p)": each error's column comes back through the
    # source map, not by looking for the word "p" near where it was in the lowered line
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "a.tgo", CHANGED_LINE)
    status, diags, _ = check(tmp_path)
    assert status == 1
    go = [(d["line"], d["column"], d["end_column"]) for d in diags if d["code"] == "go"]
    assert go == [(9, 13, 14), (9, 17, 18), (9, 21, 22), (9, 25, 26)]


def test_a_continuation_of_go_s_error_is_said_in_it(tmp_path: Path) -> None:
    # go/types reports "\tother declaration of X" as an error of its own, after the error it
    # continues (the compiler prints it indented below that one)
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "a.tgo", "package p\n\nfunc X() ?*int { return nil }\n")
    write(tmp_path / "b.tgo", "package p\n\nfunc X() int { return 2 }\n")
    status, diags, _ = check(tmp_path)
    assert status == 1
    assert [(d["file"], *t) for d, t in zip(diags, found(diags), strict=True)] == [
        ("./b.tgo", 3, 6, "go", "X redeclared in this block (other declaration of X at a.tgo:3:6)")]
