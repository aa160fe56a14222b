"""Positions Go reports on lines the lowering changed (spec §9), with the real go toolchain:
compile errors, ``tgo vet`` findings and ``tgo check``'s Go errors name the ``.tgo`` line and
column of the token after a ``?``, ``!`` or an enum member's value on the same line (after a
``?*T`` or a ``p!``, go's own commands count one column less for the removed ``?`` or ``!``;
``tgo check`` is exact there too);
the lines a ``?`` generates (its error return) are the ``?`` line for a caller's frame and
for the coverage profile, whose block of the error return is the ``?`` itself."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from tgorun import no_traceback, tgo, write

from transpiler.toolchain.cover import parse_profiles

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("go") is None, reason="needs the Go toolchain")]

GO_MOD = "module example.com/p\n\ngo 1.22\n"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))


def column_of(text: str, line: int, token: str, after: str = "") -> int:
    """The byte column of ``token`` on 1-based ``line`` (after ``after``)."""
    src = text.split("\n")[line - 1]
    return len(src[: src.index(token, src.index(after) if after else 0)].encode()) + 1


CHANGED = """package p

type T struct{ Name string }

type Level enum int {
	Low  = 1
	High = 1 << 70
}

func load() (int, error) { return 1, nil }

func F(m map[string]?*T, p ?*int) (int, error) {
	x := load()?; a := 1
	v := *p!; b := 2
	var q ?*T = m["k"]; c := q
	return x + v, nil
}
"""


def test_compile_errors_name_the_tgo_column_after_a_change_on_the_line(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "a.tgo", CHANGED)
    proc = tgo("build", ".", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    found = re.findall(r"^\./a\.tgo:(\d+):(\d+): (.*)$", proc.stderr, re.MULTILINE)
    assert found == [
        # an enum member's value: the member gained its type ("High Level = 1 << 70")
        ("7", str(column_of(CHANGED, 7, "1 << 70")), "cannot use 1 << 70 (untyped int constant "
         "1180591620717411303424) as Level value in constant declaration (overflows)"),
        ("13", str(column_of(CHANGED, 13, "a :=")), "declared and not used: a"),  # after f()?
        # after p! and ?*T: one column less for the ! or ? the lowering removed before it on the
        # line (no directive is written only for that: gofmt would lay out struct fields and
        # one-line functions again, or leave one inside an expression; tgo check and the
        # editor map Go's positions exactly, below)
        ("14", str(column_of(CHANGED, 14, "b :=") - 1), "declared and not used: b"),
        ("15", str(column_of(CHANGED, 15, "c :=") - 1), "declared and not used: c"),
    ]


VET = """package p

import "fmt"

func load() (int, error) { return 1, nil }

func F(p ?*int) (int, error) {
	x := load()?; fmt.Printf("%d\\n", "s")
	y := *p!; fmt.Printf("%s\\n", y)
	return x, nil
}
"""


def test_vet_findings_name_the_tgo_column_on_a_changed_line(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "a.tgo", VET)
    proc = tgo("vet", ".", cwd=tmp_path)
    no_traceback(proc)
    found = re.findall(r"^(?:\./)?a\.tgo:(\d+):(\d+): (fmt\.Printf .*)$", proc.stderr, re.MULTILINE)
    # vet names the verb of the format string
    assert found == [
        ("8", str(column_of(VET, 8, "%d")), 'fmt.Printf format %d has arg "s" of wrong type string'),
        # after p!: one column less for the removed ! (as after a ?*T above)
        ("9", str(column_of(VET, 9, "%s") - 1), "fmt.Printf format %s has arg y of wrong type int"),
    ]


GO_ERRORS = """package p

func load() (int, error) { return 1, nil }

func use(a, b, c, d *int) int { return 0 }

func F(p ?*int) (int, error) {
	x := load()?; unused := 1
	var q ?*int = p; spare := q
	return use(p!, p!, p!, p!) + x + undefinedName, nil
}
"""


def test_go_errors_of_tgo_check_name_the_tgo_column_also_from_the_check_cache(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "a.tgo", GO_ERRORS)
    write(tmp_path / "b.tgo", "package p\n\nfunc G() int { return 1 }\n")
    want = [
        (8, column_of(GO_ERRORS, 8, "unused"), "declared and not used: unused"),
        # exact after a ?*T and after p! too (through the source map, where go build counts one less)
        (9, column_of(GO_ERRORS, 9, "spare"), "declared and not used: spare"),
        (10, column_of(GO_ERRORS, 10, "undefinedName"), "undefined: undefinedName"),
    ]

    def go_errors() -> list[tuple[object, ...]]:
        proc = tgo("check", "--format", "json", ".", cwd=tmp_path)
        no_traceback(proc)
        return [(d["line"], d["column"], d["message"]) for d in json.loads(proc.stdout) if d["code"] == "go"]

    assert go_errors() == want
    # another file changes: a.tgo's lowered text and its source map come from the check cache
    write(tmp_path / "b.tgo", "package p\n\nfunc G() int { return 2 }\n")
    assert go_errors() == want


TRACED = """package p

import (
	"fmt"
	"runtime"
	"strings"
)

type traced struct{ at *string }

// Error records the line of F that asks for the message: the wrapping return of a ? line.
func (e traced) Error() string {
	pcs := make([]uintptr, 16)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
	for {
		f, more := frames.Next()
		if strings.HasSuffix(f.Function, ".F") {
			*e.at = fmt.Sprintf("%s:%d", f.File[strings.LastIndex(f.File, "/")+1:], f.Line)
		}
		if !more {
			return "traced"
		}
	}
}

func load(fail bool, at *string) (int, error) {
	if fail {
		return 0, traced{at}
	}
	return 1, nil
}

func F(fail bool, at *string) (int, error) {
	x := load(fail, at) ? "loading"
	return x, nil
}
"""

TRACED_TEST = """package p

import "testing"

func TestF(t *testing.T) {
	var at string
	if _, err := F(true, &at); err == nil || err.Error() != "loading: traced" {
		t.Fatal(err)
	}
	t.Log("frame of F at", at)
}
"""


def test_the_error_return_of_a_try_is_the_try_line_for_callers_and_coverage(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "a.tgo", TRACED)
    write(tmp_path / "a_test.go", TRACED_TEST)
    line = TRACED.split("\n").index('\tx := load(fail, at) ? "loading"') + 1
    proc = tgo("test", "-v", "-coverprofile=c.out", ".", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # the wrapping return calls Error (through fmt.Errorf): F's frame is on the ? line
    assert f"frame of F at a.tgo:{line}\n" in proc.stdout
    (profile,) = parse_profiles(str(tmp_path / "c.out"))
    question = column_of(TRACED, line, "?")
    blocks = [(b.start_line, b.start_col, b.end_line, b.end_col, b.count) for b in profile.blocks]
    # the statements up to the ?, the error return (the ? itself, run once), the return after
    assert (line, question, line, question + 1, 1) in blocks
    assert all(b[0] <= line + 1 for b in blocks if b[0] >= line)
    assert blocks[-1] == (line + 1, 2, line + 1, len("\treturn x, nil") + 1, 0)
    func = tgo("tool", "cover", "-func=c.out", cwd=tmp_path)
    assert func.returncode == 0, func.stderr
    rows = {row.split()[1]: row.split()[-1] for row in func.stdout.splitlines()}
    assert rows["F"] == "75.0%"  # all but the return after the ?
