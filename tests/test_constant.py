"""The one Go literal decoder and constant evaluator (``transpiler.types.constant``), which the
checker and stubgen share: real literals against their values, constant arithmetic, and the
literals of a real Go file against go/constant itself."""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tgorun import goroot_src

from transpiler.goexe import find_go
from transpiler.syntax import ast, parse_file
from transpiler.types.constant import (
    binary_op,
    char_value,
    float_value,
    imag_value,
    int_value,
    shift,
    string_value,
    unary_op,
)


@pytest.mark.parametrize(("lit", "want"), [
    ("'a'", 97), ("'\\n'", 10), ("'\\a'", 7), ("'\\\\'", 92), ("'\\''", 39),
    ("'\\x41'", 0x41), ("'\\xff'", 0xFF), ("'\\101'", 65), ("'\\377'", 255),
    ("'\\u00e9'", 0xE9), ("'\\U0001F600'", 0x1F600), ("'é'", 0xE9), ("'😀'", 0x1F600),
])
def test_rune_literals(lit: str, want: int) -> None:
    assert char_value(lit) == want


@pytest.mark.parametrize(("lit", "want"), [
    ('""', b""), ('"a\\tb"', b"a\tb"), ('"\\"q\\""', b'"q"'),
    ('"\\xff\\x00"', b"\xff\x00"),  # bytes, not code points
    ('"\\377"', b"\xff"), ('"\\u00e9"', "é".encode()), ('"\\U0001F600"', "😀".encode()),
    ('"é"', "é".encode()),
    ("`raw \\n ${x}`", b"raw \\n ${x}"), ("`a\r\nb`", b"a\nb"),  # raw: no escapes, \r dropped
    ("``", b""),
])
def test_string_literals(lit: str, want: bytes) -> None:
    assert string_value(lit) == want


@pytest.mark.parametrize(("lit", "want"), [
    ("0", 0), ("42", 42), ("1_000_000", 1_000_000), ("0b1010_1010", 0b1010_1010), ("0B1", 1),
    ("0o17", 15), ("0O_17", 15), ("017", 15), ("0_17", 15), ("00", 0),
    ("0xFF", 255), ("0x_dead_BEEF", 0xDEADBEEF),
    ("170141183460469231731687303715884105727", 2**127 - 1),  # beyond any Go integer type
])
def test_integer_literals(lit: str, want: int) -> None:
    assert int_value(lit) == want


@pytest.mark.parametrize(("lit", "want"), [
    ("1.5", Fraction(3, 2)), ("1.", Fraction(1)), (".25", Fraction(1, 4)), ("1e3", Fraction(1000)),
    ("1E-3", Fraction(1, 1000)), ("6.67428e-11", Fraction(667428, 10**16)), ("1_000.000_5", Fraction(10000005, 10000)),
    ("0x1p-2", Fraction(1, 4)), ("0x1.8p1", Fraction(3)), ("0X.8p0", Fraction(1, 2)), ("0x_1FFFp-16", Fraction(0x1FFF, 2**16)),
    ("0x1p+2", Fraction(4)), ("1e400", Fraction(10**400)),  # exact, beyond float64
])
def test_float_literals(lit: str, want: Fraction) -> None:
    assert float_value(lit) == want


@pytest.mark.parametrize(("lit", "want"), [
    ("0i", Fraction(0)), ("123i", Fraction(123)), ("0123i", Fraction(123)),  # decimal despite the 0
    ("0o123i", Fraction(0o123)), ("0x1p-2i", Fraction(1, 4)), ("2.5i", Fraction(5, 2)),
    ("1_000i", Fraction(1000)), ("1e2i", Fraction(100)), ("0b11i", Fraction(3)),
])
def test_imaginary_literals(lit: str, want: Fraction) -> None:
    assert imag_value(lit) == want


@pytest.mark.parametrize(("op", "a", "b", "want"), [
    ("/", -7, 2, -3), ("%", -7, 2, -1), ("/", 7, -2, -3), ("%", 7, -2, 1),  # truncated, as Go
    ("/", 1, 0, None), ("%", 1, 0, None), ("/", Fraction(1), Fraction(0), None),
    ("&^", 0b1111, 0b0101, 0b1010), ("^", 6, 3, 5), ("|", 4, 1, 5), ("&", 6, 3, 2),
    ("*", 2**64, 2**64, 2**128),  # untyped constants are unbounded
    ("/", Fraction(1), Fraction(3), Fraction(1, 3)), ("+", Fraction(1, 2), 1, Fraction(3, 2)),
    ("/", 7.0, 2, 3.5), ("<", 1, Fraction(3, 2), True), ("==", 2, Fraction(2), True),
    ("+", b"ab", b"c", b"abc"), ("<", "a", "b", True), ("+", "a", b"b", None),
    ("&&", True, False, False), ("||", True, False, True), ("!=", True, False, True), ("+", True, 1, None),
    ("%", 7.0, 2, None),  # % on floats is not Go
])
def test_binary_operations(op: str, a: int | Fraction | float | bytes | str | bool,
                           b: int | Fraction | float | bytes | str | bool, want: object) -> None:
    assert binary_op(op, a, b) == want


def test_integer_division_is_exact_for_big_values() -> None:
    a = 10**40 + 7
    assert binary_op("/", a, 10) == 10**39
    assert binary_op("%", a, 10) == 7
    assert binary_op("/", 7, 2, integer=False) == Fraction(7, 2)  # typed float constants
    assert binary_op("/", Fraction(7), 2, integer=True) is None


def test_shifts() -> None:
    assert shift("<<", 1, 100) == 2**100
    assert shift(">>", 2**100, 98) == 4
    assert shift(">>", -8, 1) == -4  # arithmetic shift
    assert shift("<<", Fraction(3), 2.0) == 12  # floats with integer values shift as integers
    assert shift("<<", Fraction(1, 2), 1) is None
    assert shift("<<", 1, -1) is None
    assert shift("<<", 1, 5000) is None and shift(">>", 1, 5000) == 0
    assert binary_op("<<", 1, 62) == 1 << 62


def test_unary_operations() -> None:
    assert unary_op("-", 5) == -5
    assert unary_op("-", Fraction(1, 2)) == Fraction(-1, 2)
    assert unary_op("^", 0) == -1
    assert unary_op("^", 1, unsigned_bits=8) == 0xFE  # ^uint8(1)
    assert unary_op("^", 0, unsigned_bits=64) == 2**64 - 1
    assert unary_op("!", True) is False
    assert unary_op("-", True) is None and unary_op("!", 1) is None and unary_op("-", b"x") is None


# --- against go/constant: every literal of a real Go file --------------------------------------

_GO_PROGRAM = r"""
package main

import (
	"bufio"
	"fmt"
	"go/constant"
	"go/token"
	"os"
	"strings"
)

func main() {
	kinds := map[string]token.Token{"INT": token.INT, "FLOAT": token.FLOAT, "IMAG": token.IMAG, "CHAR": token.CHAR, "STRING": token.STRING}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(nil, 1<<24)
	for in.Scan() {
		kind, lit, _ := strings.Cut(in.Text(), " ")
		lit = strings.NewReplacer(`\r`, "\r", `\n`, "\n", `\\`, `\`).Replace(lit)
		v := constant.MakeFromLiteral(lit, kinds[kind], 0)
		switch kind {
		case "STRING":
			fmt.Printf("%x\n", constant.StringVal(v))
		case "IMAG":
			im := constant.Imag(v)
			fmt.Println(constant.Num(im).ExactString() + "/" + constant.Denom(im).ExactString())
		default:
			f := constant.ToFloat(v)
			fmt.Println(constant.Num(f).ExactString() + "/" + constant.Denom(f).ExactString())
		}
	}
}
"""


def _one_line(text: str) -> str:
    """``text`` on one line for the Go program: backslashes doubled, CR and LF as ``\\r``, ``\\n``."""
    return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")


def _ours(lit: ast.BasicLit) -> str:
    if lit.kind == "STRING":
        return string_value(lit.value).hex()
    if lit.kind == "IMAG":
        value = imag_value(lit.value)
    elif lit.kind == "FLOAT":
        value = float_value(lit.value)
    else:
        value = Fraction(char_value(lit.value) if lit.kind == "CHAR" else int_value(lit.value))
    return f"{value.numerator}/{value.denominator}"


@pytest.mark.slow
@pytest.mark.skipif(find_go() is None or goroot_src() is None, reason="needs Go and its sources")
def test_literals_of_real_go_files_decode_as_go_constant_does(tmp_path: Path) -> None:
    src = goroot_src()
    assert src is not None
    files = [src / "strconv" / "quote_test.go", src / "strconv" / "number_test.go", src / "math" / "const.go",
             src / "go" / "constant" / "value_test.go", src / "unicode" / "utf8" / "utf8_test.go"]
    lits: list[ast.BasicLit] = []
    for f in files:
        result = parse_file(str(f))
        assert result.tree is not None, f
        lits += [n for n in ast.walk(result.tree) if isinstance(n, ast.BasicLit)]
    kinds = {lit.kind for lit in lits}
    assert kinds == {"INT", "FLOAT", "IMAG", "CHAR", "STRING"} and len(lits) > 1000
    (tmp_path / "go.mod").write_text("module lits\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text(_GO_PROGRAM)
    lines = "".join(f"{lit.kind} {_one_line(lit.value)}\n" for lit in lits)
    go = find_go()
    assert go is not None
    proc = subprocess.run([go, "run", "."], cwd=tmp_path, input=lines, capture_output=True, text=True,
                          check=False, timeout=600)
    assert proc.returncode == 0, proc.stderr
    theirs = proc.stdout.splitlines()
    assert len(theirs) == len(lits)
    wrong = [(lit.kind, lit.value, _ours(lit), want) for lit, want in zip(lits, theirs, strict=True)
             if _ours(lit) != want]
    assert not wrong, wrong[:10]


@given(st.binary(max_size=40) | st.text(max_size=40).map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_go_quote_is_the_inverse_of_string_value(data: bytes) -> None:
    """The one Go string writer (stubs and lowering): what it writes reads back as the bytes,
    and as the decoded text the checker holds (go_string)."""
    from transpiler.types.constant import go_quote, go_string

    lit = go_quote(data)
    assert lit.isprintable() and string_value(lit) == data
    text = data.decode("utf-8", "surrogateescape")
    assert string_value(go_string(text)) == data


def test_literal_constants_typed_as_any_constant_expression(tmp_path: Path) -> None:
    """A constant whose value is a plain literal is typed at once (``const_expr``): the same type,
    value and count as the same literal in parentheses, which goes the whole expression's way."""
    from transpiler.check.run import check_package
    from transpiler.syntax.parser import parse_source
    from transpiler.types.model import Const

    lits = ["0", "42", "0x1F", "0o17", "017", "0b101", "1_000", "18446744073709551616", "1.5", "1e300", "0x1p-2",
            "2i", "1.5i", "'a'", "'\\n'", "'\\u00e9'", '"s"', '"\\x00\\u00e9"', "`raw\\n`"]
    text = "package p\n\nconst (\n" + "".join(f"\tA{i} = {v}\n\tB{i} = ({v})\n" for i, v in enumerate(lits)) \
        + ")\n\nconst (\n\tC0 int = 7\n\tC1\n\tD0 int = (7)\n\tD1\n)\n"
    name = str(tmp_path / "p.tgo")
    checked, pc, _ = check_package([(parse_source(text.encode(), name), name)], [], record=True)
    assert pc is not None and checked.diagnostics == []
    names = [(f"A{i}", f"B{i}") for i in range(len(lits))] + [("C0", "D0"), ("C1", "D1")]
    for a, b in names:
        ca, cb = pc.pkg.scope.names[a], pc.pkg.scope.names[b]
        assert isinstance(ca, Const) and isinstance(cb, Const)
        assert (ca.type, ca.value) == (cb.type, cb.value), (a, ca.type, ca.value, cb.type, cb.value)
    # each value counted as typed once, the parenthesized ones twice (the literal inside too), the
    # repeated ones (C1, D1) as their group's last value
    assert pc.typed == 3 * len(lits) + (1 + 1) + (2 + 2)
