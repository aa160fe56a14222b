"""Functions that never return, inferred from bodies (transpiler/check/noreturn.py).

The fixtures (tests/checker/fixtures/nil-deref/noreturn_helpers) pin which calls end a
branch; these tests pin what fixtures cannot: the keys ``infer`` returns, the message of a
nil-deref whose check may not exit, and helpers of another package of the module read
from its sources.
"""

from __future__ import annotations

from pathlib import Path

from tgorun import write

from transpiler.check import check_files
from transpiler.check import run as check_run
from transpiler.check.checker import PackageChecker
from transpiler.check.noreturn import infer
from transpiler.syntax import parse_source

HELPERS = """package p

import (
	"log"
	"os"
	"testing"
)

type M struct{ t testing.TB }

func (m *M) fail(msg string) { m.t.Log(msg); m.t.FailNow() }

func (m M) skip() { m.t.SkipNow() }

func exit() { os.Exit(1) }

func exitf(code int) {
	if code > 0 {
		exit()
	} else {
		log.Fatalf("code %d", code)
	}
}

func loop(n int) { if n > 0 { loop(n - 1) }; ping(n) }

func ping(n int) { loop(n) }

func mustNot() int { log.Fatal("no"); return 0 }

func local(t *testing.T) { t := t; t.FailNow() }

func returns(err error) { if err != nil { exit() } }

func early(n int) { if n == 0 { return }; exit() }

func closure() { f := func() { exit() }; f() }

func viaValue(f func()) { f() }
"""


def _checker(text: str) -> PackageChecker:
    r = parse_source(text.encode(), "p.tgo")
    fi = check_run.file_info(r, "p.tgo")
    assert fi is not None
    pc = PackageChecker([fi], check_run.StubImporter([]))
    pc.declare_all()
    pc.resolve_all()
    return pc


def test_infer_keys() -> None:
    # loop and ping only recurse into each other: they never return either
    assert infer(_checker(HELPERS)) == ["M.fail", "M.skip", "exit", "exitf", "loop", "mustNot", "ping"]


GUARDED = """package a

func find() ?*int { return nil }

func use(stop func()) int {
	p := find()
	if p == nil {
		stop()
	}
"""


def _messages(tmp_path: Path, rest: str) -> list[str]:
    src = write(tmp_path / "a.tgo", GUARDED + rest)
    return [d.message for d in check_files([str(src)], stub_paths=[], use_cache=False).diagnostics]


def test_message_names_the_check_and_the_call(tmp_path: Path) -> None:
    rest = '\tq := find()\n\tif q == nil {\n\t\tprintln("no q")\n\t}\n\treturn *p + *q\n}\n'
    assert _messages(tmp_path, rest) == [
        "possible nil dereference: p has type ?*int (the check at line 7 may not exit: stop() is not known to stop)",
        "possible nil dereference: q has type ?*int (the check at line 11 may not exit: println() is not known to stop)",
    ]


def test_a_reassigned_value_gets_no_note(tmp_path: Path) -> None:
    rest = "\tp = find()\n\treturn *p\n}\n"
    assert _messages(tmp_path, rest) == ["possible nil dereference: p has type ?*int"]


def test_helpers_of_another_package_of_the_module(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", "module example.com/m\n\ngo 1.22\n")
    write(tmp_path / "must" / "must.go", """package must

import "fmt"

func Fail(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

type Checker struct{ name string }

func (c *Checker) Stop() { Fail("%s stopped", c.name) }

func Warn(msg string) { fmt.Println(msg) }
""")
    app = write(tmp_path / "app" / "app.tgo", """package app

import "example.com/m/must"

func find() ?*int { return nil }

func use(c *must.Checker) int {
	p := find()
	if p == nil {
		must.Fail("no p")
	}
	q := find()
	if q == nil {
		c.Stop()
	}
	r := find()
	if r == nil {
		must.Warn("no r")
	}
	return *p + *q + *r
}
""")
    diags = check_files([str(app)], stub_paths=[], use_cache=False).diagnostics
    assert [(d.line, d.column, d.code) for d in diags] == [(20, 20, "nil-deref")]
