"""The words of checker diagnostics where the code alone does not say enough."""

from __future__ import annotations

from pathlib import Path

from tgorun import write

from transpiler.check import check_dir
from transpiler.diagnostics import Diagnostic


def _check(tmp_path: Path, src: str) -> list[Diagnostic]:
    write(tmp_path / "go.mod", "module example.com/m\n\ngo 1.22\n")
    write(tmp_path / "p" / "p.tgo", src)
    return check_dir(str(tmp_path / "p"))


def test_nil_return_without_an_error_result_does_not_advise_returning_an_error(tmp_path: Path) -> None:
    diags = _check(tmp_path, """package p

import "errors"

func plain(p ?*int) *int {
	return p
}

func pair(p ?*int) (*int, error) {
	if p == nil {
		return p, nil
	}
	return p, errors.New("x")
}
""")
    got = {d.line: (d.code, d.message) for d in diags}
    assert got == {
        6: ("nil-assign", "p may be nil where result 1 is non-nil *int: return a non-nil value, or declare the result ?*int"),
        11: ("nil-assign", "p is nil where result 1 is non-nil *int: return a non-nil error with it, "
                           "or declare the result ?*int"),
    }


def test_try_message_that_is_not_a_string_literal(tmp_path: Path) -> None:
    diags = _check(tmp_path, """package p

import "os"

func open(name string) error {
	f := os.Open(name) ? "opening " + name
	_ = f.Close()?
	g := os.Open(name) ? "opening"
	return g.Close()
}

func placed(name string) error {
	return os.Remove(name) ? "removing"
}
""")
    got = [(d.line, d.code, d.message) for d in diags]
    assert got == [
        (6, "bad-try", "the message after ? must be a string literal (to build it, wrap the error with fmt.Errorf)"),
        (13, "bad-try", "? may only end a statement, or be the only right-hand side of =, := or var"),
    ]


def test_func_types_print_as_go_writes_them(tmp_path: Path) -> None:
    diags = _check(tmp_path, """package p

import "time"

var clock func() ?func() time.Time = nil

var pair func(...string) (int, error) = nil

var none func(int, ...*int) = nil
""")
    assert [d.message for d in diags] == [
        "nil is assigned where clock is non-nil func() ?func() time.Time",
        "nil is assigned where pair is non-nil func(...string) (int, error)",
        "nil is assigned where none is non-nil func(int, ...*int)",
    ]
