"""Scanner: literals, automatic semicolons, `!` in context and type parameter lists."""

from __future__ import annotations

import pytest

from transpiler.syntax.scanner import scan


def kinds(src: str) -> list[str]:
    return [t.kind for t in scan(src).tokens]


@pytest.mark.parametrize(
    "lit,kind",
    [
        ("42", "INT"), ("4_2", "INT"), ("0600", "INT"), ("0_600", "INT"), ("0o600", "INT"),
        ("0O600", "INT"), ("0xBadFace", "INT"), ("0xBad_Face", "INT"), ("0x_67_7a_2f_cc_40_c6", "INT"),
        ("0b1011", "INT"), ("170141183460469231731687303715884105727", "INT"),
        ("0.", "FLOAT"), ("72.40", "FLOAT"), ("072.40", "FLOAT"), ("2.71828", "FLOAT"), ("1.e+0", "FLOAT"),
        ("6.67428e-11", "FLOAT"), ("1E6", "FLOAT"), (".25", "FLOAT"), (".12345E+5", "FLOAT"),
        ("1_5.", "FLOAT"), ("0.15e+0_2", "FLOAT"), ("0x1p-2", "FLOAT"), ("0x2.p10", "FLOAT"),
        ("0x1.Fp+0", "FLOAT"), ("0X.8p-0", "FLOAT"), ("0X_1FFFP-16", "FLOAT"),
        ("0i", "IMAG"), ("0123i", "IMAG"), ("0o123i", "IMAG"), ("0xabci", "IMAG"), ("1.e+0i", "IMAG"),
        ("6.67428e-11i", "IMAG"), ("1E6i", "IMAG"), (".25i", "IMAG"), ("0x1p-2i", "IMAG"),
        ("'a'", "CHAR"), ("'ä'", "CHAR"), ("'本'", "CHAR"), ("'\\t'", "CHAR"), ("'\\000'", "CHAR"),
        ("'\\007'", "CHAR"), ("'\\377'", "CHAR"), ("'\\x07'", "CHAR"), ("'\\xff'", "CHAR"),
        ("'\\u12e4'", "CHAR"), ("'\\U00101234'", "CHAR"), ("'\\''", "CHAR"),
        ('"abc"', "STRING"), ('"\\n"', "STRING"), ('"\\""', "STRING"), ('"日本語"', "STRING"),
        ('"\\u65e5本\\U00008a9e"', "STRING"), ('"\\xff\\u00FF"', "STRING"), ("`abc`", "STRING"),
        ("`\\n\n\\n`", "STRING"),
    ],
)
def test_literals(lit: str, kind: str) -> None:
    result = scan(lit)
    assert result.errors == []
    assert [(t.kind, t.text) for t in result.tokens] == [(kind, lit), (";", "")]


@pytest.mark.parametrize(
    "lit",
    ["'aa'", "'\\k'", "'\\xa'", "'\\0'", "'\\400'", "'\\uDFFF'", "'\\U00110000'", '"\\uD800"', '"\\q"',
     "''", "0x", "1__2", "0b12", "09", "0x1.5", "1e+"],
)
def test_bad_literals(lit: str) -> None:
    assert scan(lit).errors, lit


@pytest.mark.parametrize(
    "src,expected",
    [
        ("x\ny", ["IDENT", ";", "IDENT", ";"]),
        ("x // c\ny", ["IDENT", ";", "IDENT", ";"]),
        ("x /* a\nb */ y", ["IDENT", ";", "IDENT", ";"]),
        ("x /* a b */ y", ["IDENT", "IDENT", ";"]),
        ("return\n", ["return", ";"]),
        ("f(\na,\n)\n", ["IDENT", "(", "IDENT", ",", ")", ";"]),
        ("x++\n}", ["IDENT", "++", ";", "}", ";"]),
        ("a +\nb", ["IDENT", "+", "IDENT", ";"]),
        # tgo: a postfix `!` and `?` end a line like an operand does
        ("p!\nq", ["IDENT", "!", ";", "IDENT", ";"]),
        ("f()?\nq", ["IDENT", "(", ")", "?", ";", "IDENT", ";"]),
        # a prefix `!` does not: `x := !\ny` is one statement in Go
        ("x := !\ny", ["IDENT", ":=", "!", "IDENT", ";"]),
    ],
)
def test_semicolons(src: str, expected: list[str]) -> None:
    assert kinds(src) == expected


@pytest.mark.parametrize(
    "decl,is_tparams",
    [
        ("type T[P any] int", True),
        ("type T[P *C] int", False),  # the Go spec: an array type declaration
        ("type T[P *C,] int", True),
        ("type T[P *C|Q] int", False),
        ("type T[P *C | ~int] int", True),
        ("type T[P (C)] int", False),
        ("type T[P ([]int)] int", True),
        ("type T[P []int] int", True),
        ("type T[N] int", False),
        ("type T[N * M] int", False),
        ("type T[N + 1] int", False),
        ("type T[P, Q any] int", True),
        ("type T[P interface{ M() }] int", True),
        ("type T[P *struct{}] int", True),
        ("type T[pkg.N] int", False),
        ("type T[] int", False),
        ("type ( A int; T[P any] int )", True),
        ("type ( S[_ any] struct{}; T2[P, Q T2[P, Q]] interface{} )", True),
    ],
)
def test_type_parameter_decision(decl: str, is_tparams: bool) -> None:
    assert ("LBRACK_TP" in kinds(decl)) == is_tparams


def test_positions_are_character_offsets() -> None:
    toks = scan("a := \"é\"\nb").tokens
    assert [(t.text, t.pos, t.end) for t in toks if t.kind != ";"] == [
        ("a", 0, 1), (":=", 2, 4), ('"é"', 5, 8), ("b", 9, 10)
    ]
