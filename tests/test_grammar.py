"""The grammar's accepted shift/reduce conflicts, each reviewed against Go's own rule.

Lark resolves a shift/reduce conflict as a shift without a word.  Every one the
grammar has is listed here with the reason the shift is what Go does; a new
conflict fails this test until it is reviewed and added.
"""

from __future__ import annotations

import pytest

from transpiler.syntax import parse_source
from transpiler.syntax.table import build_table, grammar_text

REVIEWED = {
    # `func(...) {` in an expression is a function literal, never the type
    # followed by a block (go/parser: parseFuncTypeOrLit).
    "LBRACE: <operand : func_type>": "func literal",
    "LBRACE_H: <operand : func_type>": "func literal in an if/for/switch header",
    # `[]T{`, `map[K]V{`, `struct{...}{` start a composite literal.
    "LBRACE: <operand : literal_type>": "composite literal",
    "LBRACE_H: <operand : literal_type>": "composite literal of a non-name type in a header (Go allows it)",
    # After `func(...)`, a `(`, `[`, `*`, `<-` or `?` starts the result type;
    # Go reads `func() (x)` as a result list too.
    "LPAR: <signature : params>": "result list",
    "LSQB: <signature : params>": "result of array/slice type",
    "STAR: <signature : params>": "pointer result type",
    "__ANON_1: <signature : params>": "`<-chan` result type",
    "QMARK: <signature : params>": "nullable result type ?T",
    # In a type, `T[` instantiates T and `pkg.` qualifies (go/parser's parseType).
    "LSQB: <type_name : IDENT>": "generic instantiation T[A]",
    "LSQB: <type_name : IDENT DOT IDENT>": "generic instantiation pkg.T[A]",
    "DOT: <type_name : IDENT>": "qualified type name pkg.T",
}


@pytest.fixture(scope="module")
def table():  # type: ignore[no-untyped-def]
    return build_table(grammar_text())


def test_conflicts_are_all_reviewed(table) -> None:  # type: ignore[no-untyped-def]
    found = set(table.conflicts)
    assert found - REVIEWED.keys() == set(), "new shift/reduce conflicts: review them"
    assert REVIEWED.keys() - found == set(), "a reviewed conflict is gone: drop it from the list"


def test_body_braces_are_told_apart(table) -> None:  # type: ignore[no-untyped-def]
    # if/for/switch bodies open in their own states, never shared with a literal brace
    assert len(table.body_states) >= 3


@pytest.mark.parametrize(
    "src",
    [
        "if x == (T{}) {}",
        "if x := (T{1}); x.a {}",
        "for _, v := range []int{1, 2} {}",
        "for _, v := range map[string]int{\"a\": 1} {}",
        "for _, v := range []struct{ a int }{{1}} {}",
        "if f := func() bool { return T{} == T{} }; f() {}",
        "switch x := (T{}); x {}",
        "for x := range func(yield func(int) bool) { yield(T{}.a) } {}",
        "if a { if b { _ = T{} } }",
        "if x {} else if y {} else { _ = T{} }",
        "for {}",
        "for ;; {}",
        "switch {}",
        "if ; x {}",
    ],
)
def test_header_braces(src: str) -> None:
    r = parse_source(f"package p\nfunc f() {{\n{src}\n}}\n".encode(), "x.go")
    assert r.diagnostics == []


def test_bare_name_literal_in_header_is_the_body() -> None:
    # Go: `if x == T{} {` opens the body at the first brace, so this is an error.
    r = parse_source(b"package p\nfunc f() {\n\tif x == T{} {\n\t}\n}\n", "x.go")
    assert [d.code for d in r.diagnostics] == ["syntax"]
