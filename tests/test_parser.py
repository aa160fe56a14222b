"""Parser: the tgo extensions, the tree's spans, error messages and recovery, hostile input."""

from __future__ import annotations

import pytest

from transpiler.lower import generate
from transpiler.syntax import ast, parse_source
from transpiler.syntax.ast import walk
from transpiler.syntax.parser import GO_MAX_DEPTH, MAX_DEPTH


def parse(src: str, name: str = "x.tgo") -> ast.File:
    r = parse_source(src.encode(), name)
    assert [d.text() for d in r.diagnostics] == []
    assert r.tree is not None
    check_spans(r.tree, src)
    return r.tree


def check_spans(tree: ast.File, src: str) -> None:
    """Every child lies inside its parent, in order, without overlap."""
    for node in walk(tree):
        cursor = node.pos
        for child in node.children():
            assert node.pos <= child.pos <= child.end <= node.end, (node, child)
            assert child.pos >= cursor, ("children overlap", node, child)
            cursor = child.end
        if isinstance(node, ast.Ident):
            assert src[node.pos : node.end] == node.name
        if isinstance(node, ast.BasicLit):
            assert src[node.pos : node.end] == node.value


def errors(src: str) -> list[str]:
    r = parse_source(src.encode(), "e.go")
    assert r.tree is None or not r.diagnostics
    return [f"{d.line}:{d.column}: {d.message}" for d in r.diagnostics]


TGO = """package store

type User struct {
	Name    string
	Manager ?*User // may be nil
	Tags    map[string]?*User
}

type Color enum {
	Red
	Green
	Blue
}

type Level enum string {
	Debug = "debug"
	Info  = "info"
}

type Shape union {
	Circle{Radius float64}
	Rect{W, H float64}
	Dot{}
	*Polygon
}

type Result[T any] union {
	Ok{Value T}
	Err{Err error}
}

func find(id int) ?*User { return nil }

func load(path string) (*Config, error) {
	data := os.ReadFile(path)?
	cfg := parse(data) ? "parsing config"
	os.Remove(path)?
	var n int
	n = count(data)?
	u := users[id]!
	name := u.Manager!.Name
	ptrs := []?*User{nil, u}
	f := func() error {
		check()?
		return nil
	}
	return cfg, nil
}
"""


def test_tgo_extensions_tree() -> None:
    tree = parse(TGO)
    specs = {
        s.name.name: s
        for d in tree.decls
        if isinstance(d, ast.GenDecl)
        for s in d.specs
        if isinstance(s, ast.TypeSpec)
    }
    user = specs["User"].type
    assert isinstance(user, ast.StructType)
    manager = user.fields.list[1].type
    assert isinstance(manager, ast.NullableType) and isinstance(manager.x, ast.StarExpr)

    color = specs["Color"].type
    assert isinstance(color, ast.EnumType) and color.base is None
    assert [m.name.name for m in color.members] == ["Red", "Green", "Blue"]
    level = specs["Level"].type
    assert isinstance(level, ast.EnumType) and isinstance(level.base, ast.Ident)
    assert [
        (m.name.name, m.value.value if isinstance(m.value, ast.BasicLit) else None) for m in level.members
    ] == [("Debug", '"debug"'), ("Info", '"info"')]

    shape = specs["Shape"].type
    assert isinstance(shape, ast.UnionType)
    assert [v.name.name if v.name else type(v.type).__name__ for v in shape.variants] == [
        "Circle",
        "Rect",
        "Dot",
        "StarExpr",
    ]
    rect = shape.variants[1]
    assert rect.fields is not None and [n.name for n in rect.fields.list[0].names] == ["W", "H"]
    result = specs["Result"]
    assert result.type_params is not None and isinstance(result.type, ast.UnionType)

    tries = [n for n in walk(tree) if isinstance(n, ast.TryExpr)]
    assert len(tries) == 5
    assert [t.msg.value if t.msg else None for t in tries].count('"parsing config"') == 1
    assert all(isinstance(t.x, ast.CallExpr) for t in tries)
    nonnil = [n for n in walk(tree) if isinstance(n, ast.NonNilExpr)]
    assert [type(n.x).__name__ for n in nonnil] == ["IndexExpr", "SelectorExpr"]


def test_enum_and_union_stay_identifiers() -> None:
    src = """package p

type enum int
type union struct{ enum enum }

func enum2(enum enum, union union) (enum, union) {
	enum := enum + 1
	var union = union{enum: enum}
	m := map[string]enum{"a": 1}
	_ = []union{{enum: 1}}
	return enum, union
}
"""
    tree = parse(src)
    assert not any(isinstance(n, (ast.EnumType, ast.UnionType)) for n in walk(tree))


def test_round_trip_keeps_every_byte() -> None:
    src = "\ufeffpackage p // c\r\n\r\n/* doc */\nfunc f() {\r\n\tx := `raw\r\nstring` //tail\n}\n"
    r = parse_source(src.encode(), "x.go")
    assert r.tree is not None
    assert generate(r, "x.go").split("\n", 3)[3] == src


def test_generic_forms() -> None:
    parse("""package p

type List[T any] struct{ next *List[T] }
type Pair[K comparable, V any] struct{ k K; v V }
type Num interface{ ~int | ~int64 | float64 }
type Set[T comparable] = map[T]struct{}
type A [N]int
type B[P *C,] struct{}
type C[P *C | ~int] struct{}
type (
	S[_ any] struct{}
	T2[P, Q T2[P, Q]] interface{}
	A2[P any] [10]A2[*P]
)
const _ int
var _ = ~x

func Map[S ~[]E, E, R any](s S, f func(E) R) []R { return nil }

func (l *List[T]) Push(v T) { l.next = &List[T]{} }

func use() {
	_ = Map[[]int, int, string](nil, nil)
	var _ Pair[string, List[int]]
	_ = List[int]{}
	f := Map[[]int, int, bool]
	_ = f
	x := a[b[c]]
	_ = x
}
""")


def test_statements() -> None:
    parse("""package p

func f(ch chan<- int, r <-chan <-chan int) (n int, err error) {
L:
	for i := range 10 {
		select {
		case v, ok := <-r:
			_, _ = v, ok
		case ch <- 1:
		default:
			break L
		}
		goto M
	M:
		continue
	}
	switch x := y.(type) {
	case nil, int, []string, map[string]int, func(), chan int, *T:
		fallthrough
	}
	defer func() { recover() }()
	go g()
	n++
	n <<= 2
	x, y = y, x
	var a, b = 1, 2
	const c = iota
	type local struct{}
	{
	}
	;
	return
}
""")


@pytest.mark.parametrize(
    "src,expected",
    [
        ("package p\nfunc f() {\n\tg(a, b\n}\n", ["3:8: unexpected newline, expected comma or )"]),
        ("package p\nvar x = []int{1, 2\n}\n", ["2:19: unexpected newline, expected comma, } or :"]),
        (
            "package p\nfunc f() {\n\tif x {\n\t\ty()\n}\n\nfunc g() {}\n",
            ["7:1: unexpected keyword func, expected }"],
        ),
        ("package p\nfunc f() { a b }\n", ["2:14: unexpected name b at end of statement"]),
        ("package p\nfunc f() { x := 1 + }\n", ["2:21: unexpected }, expected expression"]),
        ("package p\nvar x = \"abc\n", ["2:9: string literal not terminated"]),
        ("package p\n/* open", ["2:1: comment not terminated"]),
        ("package p\nvar x = `open", ["2:9: raw string literal not terminated"]),
        ("package p\nvar c = 'ab'\n", ["2:9: more than one character in rune literal"]),
        ("package p\nfunc f() { f(x) := 1 }\n", ["2:12: non-name on left side of :="]),
        ("package p\nfunc f() { go x }\n", ["2:15: expression in go must be function call"]),
        ("package p\nfunc f(a int, string) {}\n", ["2:15: mixed named and unnamed parameters"]),
        ("package p\ntype T blah { A }\n", ["2:8: unexpected name blah, expected type, enum or union"]),
        ("package p\nvar x = 1 @ 2\n", ["2:11: invalid character U+0040 '@' in source"]),
        ("package p\nvar s = \"\\q\"\n", ["2:10: unknown escape sequence"]),
    ],
)
def test_error_messages(src: str, expected: list[str]) -> None:
    assert errors(src) == expected


def test_one_typo_one_error() -> None:
    src = "package p\n\nfunc f() {\n\tx := g(1, 2\n\ty := 3\n\tz := []int{1, 2}\n\t_ = x + y + z[0]\n}\n"
    assert len(errors(src)) == 1


def test_errors_are_capped() -> None:
    src = "package p\n" + "".join(f'var x{i} = "\\q"\n' for i in range(40))
    msgs = errors(src)
    assert len(msgs) == 11 and msgs[-1].endswith("too many errors")


@pytest.mark.parametrize(
    "data,message",
    [
        (b'package p\nvar x = "\xff"\n', "2:10: invalid UTF-8 encoding"),
        (b"package p\nvar x = 1\x00\n", "2:10: invalid NUL character"),
        (b"package p\nvar x = 1\n\xef\xbb\xbf", "3:1: invalid BOM in the middle of the file"),
    ],
)
def test_bad_bytes(data: bytes, message: str) -> None:
    r = parse_source(data, "e.go")
    assert r.tree is None
    assert [f"{d.line}:{d.column}: {d.message}" for d in r.diagnostics] == [message]


_DEEP = MAX_DEPTH - 10  # the file, the declaration and the spec are levels too


@pytest.mark.parametrize(
    "expr",
    ["(" * _DEEP + "1" + ")" * _DEEP, "+".join(["1"] * _DEEP), "!" * _DEEP + "x", "[]" * _DEEP + "int{}"],
)
def test_deep_nesting(expr: str) -> None:
    src = f"package p\nvar x = {expr}\n"
    r = parse_source(src.encode(), "deep.go")
    assert r.diagnostics == [] and r.tree is not None
    assert generate(r, "deep.go").split("\n", 3)[3] == src


@pytest.mark.parametrize(
    "expr",
    ["(" * 10000 + "1" + ")" * 10000, "1" + "+(1" * 10000 + ")" * 10000, "!" * 10000 + "x", "[]" * 10000 + "int{}"],
)
def test_nesting_past_the_limit_is_a_syntax_error(expr: str) -> None:
    r = parse_source(f"package p\nvar x = {expr}\n".encode(), "deep.go")
    assert r.tree is None
    assert [(d.line, d.code, d.message) for d in r.diagnostics] == [
        (2, "syntax", f"exceeded max nesting depth ({MAX_DEPTH} levels)")
    ]


def test_binary_and_else_if_chains_are_not_levels() -> None:
    # as go/parser: a chain is a loop there, only its operands' own nesting counts
    n = MAX_DEPTH * 20
    src = "package p\nvar x = 1" + " + (1 * 2)" * n + "\nfunc F(x int) int {\n\tif x == 0 {\n\t\treturn 0\n\t}" + \
        "".join(f" else if x == {i} {{\n\t\treturn {i}\n\t}}" for i in range(1, n)) + "\n\treturn -1\n}\n"
    tree = parse(src)
    assert generate(parse_source(src.encode(), "deep.go"), "deep.go").split("\n", 3)[3] == src
    decl = tree.decls[1]
    assert isinstance(decl, ast.FuncDecl) and decl.body is not None and isinstance(decl.body.list[0], ast.IfStmt)
    assert len(ast.else_chain(decl.body.list[0])) == n
    spec = tree.decls[0]
    assert isinstance(spec, ast.GenDecl) and isinstance(spec.specs[0], ast.ValueSpec)
    value = spec.specs[0].values[0]
    assert isinstance(value, ast.BinaryExpr) and len(ast.binary_spine(value)) == n
    # the operands' own nesting still counts (at the parenthesis that went past the limit)
    deep = "(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1)
    r = parse_source(f"package p\nvar x = 1 + 1 + {deep}\n".encode(), "deep.go")
    assert [(d.line, d.column, d.message) for d in r.diagnostics] == [
        (2, 18, f"exceeded max nesting depth ({MAX_DEPTH} levels)")]


@pytest.mark.slow
def test_a_chain_past_go_parsers_limit_is_a_syntax_error() -> None:
    # go/parser counts each link of a chain: gofmt refuses a chain of 100,000 operands, so does tgo
    line = "var x = 1" + " + 1" * GO_MAX_DEPTH
    r = parse_source(f"package p\n{line}\n".encode(), "deep.go")
    assert r.tree is None
    assert [(d.line, d.message) for d in r.diagnostics] == [(2, f"exceeded max nesting depth ({GO_MAX_DEPTH} levels)")]
    # at the operator of the link that went past it
    assert line[r.diagnostics[0].column - 1] == "+" and r.diagnostics[0].column > 9


def test_deep_unclosed_nesting() -> None:
    r = parse_source(("package p\nvar x = " + "(" * 10000 + "1\n").encode(), "deep.go")
    assert r.tree is None and len(r.diagnostics) == 1


def test_byte_columns() -> None:
    r = parse_source('package p\nvar s = "日本" + @\n'.encode(), "u.go")
    # "日本" is 6 bytes: the @ is at byte column 20 (character column 16)
    assert (r.diagnostics[0].line, r.diagnostics[0].column) == (2, 20)


@pytest.mark.parametrize(
    "src,message",
    [
        ("package p\nfunc f() { defer (f()) }\n", "expression in defer must not be parenthesized"),
        ("package p\nfunc f() (...int) {}\n", "can only use ... with final parameter in list"),
        ("package p\ntype S struct{ *[]int }\n", "embedded field type must be a type name"),
    ],
)
def test_invalid_go_the_grammar_accepts_is_rejected(src: str, message: str) -> None:
    # found by the property tests: gofmt rejects these, so must tgo
    assert [m.split(": ", 1)[1] for m in errors(src)] == [message]


def test_deep_unclosed_nesting_gives_one_error() -> None:
    # recovery is bounded (it was quadratic in the depth: 5-11 s for this input)
    r = parse_source(b"package p\nvar x = " + b"(" * 40000, "deep.go")
    assert r.tree is None and len(r.diagnostics) == 1


@pytest.mark.parametrize(
    "src",
    ["package p\ntype ( ; T int )\n", "package p\nvar ( x int;; y int )\n", 'package p\nimport ( ; "fmt" )\n',
     "package p\nconst ( x = 1;; y = 2 )\n"],
)
def test_empty_specs_in_groups_are_rejected(src: str) -> None:
    # Go's grammar is "(" { Spec ";" } ")": gofmt rejects an empty spec
    assert errors(src)


def test_empty_and_trailing_semicolon_groups_parse() -> None:
    parse('package p\n\nimport ()\n\nimport (\n\t"fmt";\n)\n\nvar ()\n\nconst (\n\tA = 1\n\tB\n)\n\nvar _ = fmt.Sprint\n')


def _children_by_fields(n: ast.Node) -> list[ast.Node]:
    """A node's children found the slow, generic way: every field holding a node or a list of nodes."""
    if isinstance(n, ast.File):
        return [n.package, *n.imports, *n.decls]
    out: list[ast.Node] = []
    for name in n._fields[2:]:
        v = getattr(n, name)
        if isinstance(v, ast.Node):
            out.append(v)
        elif isinstance(v, list):
            out.extend(x for x in v if isinstance(x, ast.Node))
    return out


def test_kids_made_from_annotations_are_every_child_node() -> None:
    """``Node.kids`` (generated per class from its fields' annotations, for speed) gives
    exactly the nodes the fields hold, in order, for every node of the examples, the
    checker fixtures and a slice of GOROOT, partial trees included."""
    import glob
    import os
    import subprocess
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    paths = sorted(glob.glob(str(repo / "examples" / "**" / "*.tgo"), recursive=True))
    paths += sorted(glob.glob(str(repo / "tests" / "checker" / "fixtures" / "**" / "*.tgo"), recursive=True))
    goroot = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True).stdout.strip()
    for pkg in ("go/ast", "go/types", "net/http", "encoding/json"):
        paths += sorted(glob.glob(os.path.join(goroot, "src", pkg, "*.go")))
    seen = 0
    for p in paths:
        with open(p, "rb") as f:
            data = f.read()
        for text in (data, data[: len(data) // 2]):  # the second is cut short: a partial tree
            r = parse_source(text, p)
            tree = r.tree or r.partial
            if tree is None:
                continue
            for n in walk(tree):
                assert n.kids() == _children_by_fields(n), (p, type(n).__name__)
                seen += 1
    assert seen > 100_000
