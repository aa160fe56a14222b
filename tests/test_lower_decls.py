"""Enum and union declarations the lowering cannot make: the checker and the lowering agree.

The checker reports each (``bad-enum``, ``bad-union``, tests/checker/fixtures), so the
lowering is never asked to lower it; with the check off (``tgo gen --no-check``), the
lowering refuses the same declaration with the same message.  Both judge by
``transpiler/check/typedecls.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from transpiler.lower import lower_package
from transpiler.lower.edits import LowerError

DECLS = """package p

import "strings"

type Node struct{ N int }

type Box[T any] struct{ V T }

type Face interface{ M() }

type NodeRef *Node

type SameRef NodeRef

type Alias = Node

var _ = strings.ToUpper
"""

# (code, declaration): one problem each, on the line marked "// here"
CASES = {
    "local-enum": ("bad-enum", "func f() int {\n\ttype Dir enum { // here\n\t\tUp\n\t}\n\treturn int(Up)\n}\n"),
    "local-union": ("bad-union", "var g = func() any {\n\ttype U union { // here\n\t\tA{}\n\t}\n\treturn A{}\n}\n"),
    "blank-enum": ("bad-enum", "type _ enum { // here\n\tX\n}\n"),
    "blank-member": ("bad-enum", "type Color enum {\n\tRed\n\t_ // here\n\tBlue\n}\n"),
    "float-enum": ("bad-enum", "type Ratio enum float64 { // here\n\tHalf = 0.5\n}\n"),
    "foreign": ("bad-union", "type U union {\n\tA{}\n\t*strings.Builder // here\n}\n"),
    "alias": ("bad-union", "type U union {\n\tA{}\n\tAlias // here\n}\n"),
    "predeclared": ("bad-union", "type U union {\n\tA{}\n\terror // here\n}\n"),
    "literal": ("bad-union", "type U union {\n\tA{}\n\t*[]int // here\n}\n"),
    "pointer-pointer": ("bad-union", "type U union {\n\tA{}\n\t**Node // here\n}\n"),
    "instance": ("bad-union", "type U union {\n\tA{}\n\t*Box[int] // here\n}\n"),
    "type-args": ("bad-union", "type U[T any] union {\n\tA{}\n\tBox[int] // here\n}\n"),
    "type-param": ("bad-union", "type U[T any] union {\n\tA{}\n\tT // here\n}\n"),
    "interface": ("bad-union", "type U union {\n\tA{}\n\tFace // here\n}\n"),
    "pointer": ("bad-union", "type U union {\n\tA{}\n\tSameRef // here\n}\n"),
}

def _package(tmp_path: Path, decl: str) -> str:
    path = tmp_path / "p.tgo"
    path.write_text(DECLS + "\n" + decl)
    return str(path)


@pytest.mark.parametrize("case", sorted(CASES))
def test_checked_reported_and_unchecked_refused_with_the_same_message(tmp_path: Path, case: str) -> None:
    code, decl = CASES[case]
    path = _package(tmp_path, decl)
    result = lower_package([path])
    assert not result.outputs
    [diag] = result.diagnostics
    assert diag.code == code
    assert diag.file == path
    here = [i for i, line in enumerate(decl.split("\n")) if line.endswith("// here")]
    assert diag.line == DECLS.count("\n") + 2 + here[0]
    with pytest.raises(LowerError) as refused:
        lower_package([path], check=False)
    assert str(refused.value) == diag.message


def test_the_allowed_forms_lower(tmp_path: Path) -> None:
    decl = (
        "type U union {\n\tA{}\n\tNode\n\t*(Node)\n}\n\n"
        "type G[T any] union {\n\tB{}\n\t*Box[T]\n}\n\n"
        "type Code string\n\ntype Level enum Code {\n\tLow\n}\n"
    )
    result = lower_package([_package(tmp_path, decl)])
    assert result.ok and not result.diagnostics
    [out] = result.outputs.values()
    assert "func (*Box[T]) isG(T) {}" in out
    assert "func (*Node) isU()" in out
