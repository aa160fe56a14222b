"""Source maps (``lower/sourcemap.py``): every position of text copied unchanged from a
``.tgo`` file maps to its lowered Go and back to itself, positions in tgo-only syntax map
to nothing, and the map agrees with the ``//line`` directives.

Run over every lowered file of the examples and the golden cases, over generated
programs (``tgogen_nil``: programs that check; ``gogen``: any tgo syntax, unformatted),
and on hand-made cases (non-ASCII text, sorted imports, gofmt's re-layout).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from gogen import tgo_programs
from hypothesis import HealthCheck, assume, example, given, settings
from tgogen_nil import Program, programs, render

from transpiler.lower import lower_package
from transpiler.lower.edits import LowerError
from transpiler.lower.linemap import GoPositions, line_map
from transpiler.lower.lowering import lower_alone_file
from transpiler.lower.sourcemap import LoweredFile, align, compose
from transpiler.syntax import ast, parse_source
from transpiler.syntax.scanner import scan

REPO = Path(__file__).resolve().parents[1]


def check_map(lowered: LoweredFile, lines: bool = True) -> int:
    """Check ``lowered``'s map (see the module); returns the number of tokens that mapped.
    With ``lines``, also that the ``//line`` directives put each mapped token of code on its
    line (they cannot when gofmt split a line of an unformatted source in several)."""
    sm = lowered.source_map
    tgo, go = sm.tgo, sm.go
    # every segment is the same text on both sides
    for t0, g0, n in sm.segments:
        assert tgo.text[t0 : t0 + n] == go.text[g0 : g0 + n]
    edited = sm.edited
    tree = parse_source(tgo.text.encode("utf-8"), lowered.name).tree
    assert tree is not None
    imports = [(d.pos, d.end) for d in tree.imports]
    directives = line_map(go.text, "")
    scanned = scan(tgo.text)
    spans = [(t.pos, t.end, t.text, False) for t in scanned.tokens if t.end > t.pos]
    # gofmt writes numbers in lower case (0X1 is 0x1) and drops the carriage returns of raw strings
    rewritten = {t.pos for t in scanned.tokens if t.kind in ("INT", "FLOAT", "IMAG") or
                 (t.text.startswith("`") and "\r" in t.text)}
    spans += [(c.pos, c.end, c.text, True) for c in scanned.comments]
    mapped = 0
    for pos, end, text, comment in spans:
        in_edit = any(e0 < end and pos < e1 for e0, e1 in edited)
        got = sm.to_go_span(pos, end)
        if got is None:
            # text outside every edit is copied: only gofmt may change it (a ";" or "," it
            # drops, the parentheses of a lone result type, a number or raw string it rewrites,
            # a comment it re-lays out, an import spec it drops as a duplicate),
            # never another token of the code
            in_import = any(i0 <= pos < i1 for i0, i1 in imports)
            assert in_edit or comment or in_import or pos in rewritten or text in (";", ",", "(", ")"), \
                (lowered.name, pos, text)
            continue
        mapped += 1
        assert go.text[got[0] : got[1]] == text
        assert sm.to_tgo_span(*got) == (pos, end)
        for off in range(pos, end):
            there = sm.to_go(off)
            assert there is not None and sm.to_tgo(there) == off
            assert sm.kind(off) == "copied"
        # the line the //line directives give the Go position is the token's own line (for
        # code: a doc comment above the package clause needs none, and is given none; text an
        # edit moved is not always on its line: see test_assigned_try_call_line)
        if comment or in_edit or not lines or any(i0 <= pos < i1 for i0, i1 in imports):
            continue  # (gofmt sorts import specs: their lines change)
        where = directives[go.line_of(got[0]) - 1]
        assert where is not None and where[1] == tgo.line_of(pos), (lowered.name, text, where, tgo.line_of(pos))
    # tgo-only syntax: the ? of ?T, the ! of x!, the ? of f()? map to nothing
    for node in ast.walk(tree):
        if isinstance(node, ast.NullableType):
            marks = [(node.pos, node.pos + 1)]
        elif isinstance(node, ast.NonNilExpr):
            marks = [(node.end - 1, node.end)]
        elif isinstance(node, ast.TryExpr):
            q = tgo.text.index("?", node.x.end)
            marks = [(q, q + 1)]
        else:
            continue
        for m0, m1 in marks:
            assert sm.to_go_span(m0, m1) is None, (lowered.name, m0, tgo.text[m0:m1])
            assert sm.kind(m0) == "tgo-only" or sm.to_go(m0) is not None  # its start is the end of what precedes it
    return mapped


def _lowered(paths: list[str]) -> dict[str, LoweredFile]:
    result = lower_package(paths, check=False)
    assert not [d for d in result.diagnostics if d.code == "syntax"]
    return result.files


def test_examples_and_golden_cases_map_exactly() -> None:
    packages: list[list[str]] = [[str(p)] for p in sorted((REPO / "tests" / "golden").glob("*/input.tgo"))]
    dirs = sorted({p.parent for p in (REPO / "examples").rglob("*.tgo")})
    packages += [sorted(str(p) for p in d.iterdir() if p.suffix in (".go", ".tgo")) for d in dirs]
    files = mapped = 0
    for paths in packages:
        for lowered in _lowered(paths).values():
            mapped += check_map(lowered)
            files += 1
    assert files > 30 and mapped > 5000


_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                     HealthCheck.data_too_large, HealthCheck.filter_too_much])  # fmt: skip


@_SETTINGS
@given(programs())
def test_generated_checked_programs_map_exactly(prog: Program) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        check_map(_lower_text(Path(tmp), render(prog).text))


@_SETTINGS
@given(tgo_programs())
# gofmt drops the comma of `T, T,]`: `,]` agrees with the `,]` after it for three tokens
@example(text="package p\nfunc f[T L[\n\tL[T],\n\tL[T, T,],\n], U int, K L[T]]() {}\nvar (\n\tx ?*T\n)\n")
def test_generated_unformatted_programs_map_exactly(text: str) -> None:
    result = parse_source(text.encode("utf-8"), "x.tgo")
    try:
        lowered = lower_alone_file(result, "x.tgo")
    except LowerError:
        assume(False)  # a ? the checker could not type (the generator's calls are to unknown functions)
        return
    check_map(lowered, lines=False)


def _lower_text(tmp_path: Path, text: str) -> LoweredFile:
    path = tmp_path / "x.tgo"
    path.write_text(text, encoding="utf-8")
    return _lowered([str(path)])[str(path)]


NON_ASCII = """\
package p

import "errors"

// Größe: 😀 in a comment
func load(s string) (int, error) {
	if s == "" {
		return 0, errors.New("leer: 😀")
	}
	return len(s), nil
}

func f(名前 string) (*int, error) {
	n := load(名前)?
	var p ?*int = &n
	if p == nil { return nil, nil }
	return p!, nil
}
"""


def test_non_ascii_source_maps_in_utf16_and_bytes(tmp_path: Path) -> None:
    lowered = _lower_text(tmp_path, NON_ASCII)
    check_map(lowered, lines=False)  # gofmt splits the one-line if: no directive can place its parts
    sm = lowered.source_map
    line = NON_ASCII.split("\n").index("\tn := load(名前)?") + 1
    tgo_line = sm.tgo.line_text(line)
    # the argument 名前: UTF-16 column 12 in both (tab, "n := load(" is 10 units), bytes too
    col16 = tgo_line.index("名前") + 1
    go_pos = sm.to_go_position(line, col16, utf16=True)
    assert go_pos is not None
    go_line = sm.go.line_text(go_pos[0])
    assert go_line.startswith("\tn, err := /*line x.tgo:14:6*/ load(名前)")  # (load is at its column)
    assert go_pos[1] == go_line.index("名前") + 1
    assert sm.to_tgo_position(*go_pos, utf16=True) == (line, col16)
    byte_col = len(tgo_line[: tgo_line.index("名前")].encode()) + 1
    got = sm.to_go_position(line, byte_col)
    assert got is not None and got[1] == len(go_line[: go_line.index("名前")].encode()) + 1
    # the ? of the try has no counterpart; the generated if err != nil block has no source
    q = sm.tgo.line_start(line) + tgo_line.index("?")
    assert sm.to_go_span(q, q + 1) is None and sm.kind(q + 1) in ("tgo-only", "reformatted", "copied")
    block = sm.go.text.index("if err != nil")
    assert sm.to_tgo(block) is None and sm.go_kind(block) == "generated"
    # gofmt split "if p == nil { return nil, nil }" over three lines: its tokens still map
    ret = NON_ASCII.index("return nil, nil")
    assert sm.to_go_span(ret, ret + len("return")) is not None


def test_sorted_imports_map_to_their_new_places(tmp_path: Path) -> None:
    text = 'package p\n\nimport (\n\t"strings"\n\t"errors"\n)\n\nvar x ?*int\n\nvar _ = strings.ToUpper\nvar _ = errors.New\n'
    lowered = _lower_text(tmp_path, text)
    check_map(lowered)
    sm = lowered.source_map
    assert sm.go.text.index('"errors"') < sm.go.text.index('"strings"')  # gofmt sorted them
    for path in ('"strings"', '"errors"'):
        at = text.index(path)
        assert sm.to_go_span(at, at + len(path)) == (sm.go.text.index(path), sm.go.text.index(path) + len(path))


def test_an_enum_declaration_is_tgo_only_but_its_members(tmp_path: Path) -> None:
    text = "package p\n\ntype Color enum {\n\tRed\n\tGreen\n}\n\nfunc f() int { return 1 }\n"
    lowered = _lower_text(tmp_path, text)
    check_map(lowered)
    sm = lowered.source_map
    at = text.index("enum")
    assert sm.to_go(at + 1) is None and sm.kind(at + 1) == "tgo-only"
    ret = text.index("return 1")
    got = sm.to_go(ret)
    assert got is not None and sm.go.text.startswith("return 1", got)
    # the members are the constants of the generated const block; its methods have no source
    red = text.index("Red")
    span = sm.to_go_span(red, red + 3)
    assert span is not None and sm.go.text[span[0] : span[1]] == "Red"
    assert sm.go.text[sm.go.line_start(sm.go.line_of(span[0])) : span[1]].strip() == "Red"  # "Red Color = iota"
    assert sm.to_tgo(sm.go.text.index("func (c Color) String()")) is None


def test_align_and_compose() -> None:
    before = "package p\nfunc f() { x := 1; _ = x }\n"
    after = "package p\n\nfunc f() {\n\tx := 1\n\t_ = x\n}\n"
    segs = align(before, after)
    for b0, a0, n in segs:
        assert before[b0 : b0 + n] == after[a0 : a0 + n]
    # every token of before but the dropped ";" is in a segment
    covered = {b0 + k for b0, _, n in segs for k in range(n)}
    assert all(i in covered for i, ch in enumerate(before) if not ch.isspace() and ch != ";")
    assert compose([(0, 10, 5)], [(12, 0, 10)]) == [(2, 0, 3)]


@pytest.mark.parametrize("name", ["hello", "evaluator"])
def test_lowered_file_builds_its_map_once(name: str) -> None:
    d = REPO / "examples" / name
    paths = sorted(str(p) for p in d.rglob("*") if p.suffix in (".go", ".tgo") and p.parent == next(
        q.parent for q in d.rglob("*.tgo")))
    for lowered in _lowered(paths).values():
        assert lowered.source_map is lowered.source_map


def test_assigned_try_call_line(tmp_path: Path) -> None:
    text = ("package p\n\nimport \"strconv\"\n\nfunc f(a string) (x int, err error) {\n"
            "\tx = strconv.Atoi(a)?\n\treturn\n}\n")
    sm = _lower_text(tmp_path, text).source_map
    call = text.index("strconv.Atoi")
    got = sm.to_go(call)
    assert got is not None
    where = line_map(sm.go.text, "")[sm.go.line_of(got) - 1]
    assert where is not None and where[1] == sm.tgo.line_of(call)


def test_go_positions_map_back_exactly_or_to_the_line_only(tmp_path: Path) -> None:
    from transpiler.toolchain.gotypes import mapped_position

    lowered = _lower_text(tmp_path, NON_ASCII)
    go = lowered.source_map.go
    # a token the lowering kept, on a line it changed: the exact column (bytes, after 名前)
    at = go.text.index("load(名前)") + len("load(名前")
    row, col = go.position(at)
    line = NON_ASCII.split("\n").index("\tn := load(名前)?") + 1
    assert mapped_position(lowered, row, col) == (line, len("\tn := load(名前".encode()) + 1)
    # generated text (the if err != nil block): where the directives place it, as go itself
    # reports it: on the line of the ?, at the column they give it
    row, col = go.position(go.text.index("if err != nil") + 3)
    _, placed_line, placed_col = GoPositions(go.text).at(go.offset(row, col))
    assert placed_line == line and placed_col > 0
    assert mapped_position(lowered, row, col) == (line, placed_col)


def test_union_variants_map_to_their_struct_types(tmp_path: Path) -> None:
    """A new variant's name and fields, moved into a type group by the lowering, map both ways
    (definition from Go code lands on the variant in the union)."""
    text = ("package p\n\ntype Shape union {\n\tCircle{R float64}\n\tRect{W, H ?*int}\n}\n\n"
            "func area(s Shape) float64 {\n\tswitch v := s.(type) {\n\tcase Circle:\n\t\treturn v.R\n"
            "\tcase Rect:\n\t\treturn 0\n\t}\n}\n")
    lowered = _lower_text(tmp_path, text)
    sm = lowered.source_map
    for token in ("Circle{", "R float64", "Rect{", "W, H"):
        pos = text.index(token)
        got = sm.to_go_span(pos, pos + len(token) - 1)
        assert got is not None, token
        assert lowered.text[got[0] : got[1]] == token[:-1]
        assert sm.to_tgo(got[0]) == pos
    # the variant's declaration in Go is its struct type
    go_at = sm.to_go(text.index("Circle{"))
    assert go_at is not None and lowered.text[go_at:].startswith("Circle struct{")


def test_the_editor_lowering_maps_exactly() -> None:
    """``lower_checked_files(editor=True)``, the language server's copy for gopls: no header, no
    ``//line`` directives, the Go tokens of the build's, and a map as exact."""
    from transpiler.check.run import check_package
    from transpiler.lower.lowering import lower_checked_files
    from transpiler.stubs.config import module_config
    from transpiler.syntax import parse_file

    dirs = sorted({p.parent for p in (REPO / "examples").rglob("*.tgo")})
    packages = [sorted(str(p) for p in d.iterdir() if p.suffix in (".go", ".tgo")) for d in dirs]
    packages += [[str(p)] for p in sorted((REPO / "tests" / "golden").glob("*/input.tgo"))]
    files = 0
    for paths in packages:
        build = _lowered(paths)
        _, pc, infos = check_package([(parse_file(p), p) for p in paths],
                                     module_config(str(Path(paths[0]).parent)).stub_paths)
        assert pc is not None
        for path, lowered in lower_checked_files(pc, infos, editor=True).items():
            assert "DO NOT EDIT" not in lowered.text.split("package", 1)[0]
            assert not [ln for ln in lowered.text.split("\n") if ln.startswith("//line ")]
            # the same tokens (gofmt may sort import specs the build's directives kept apart, and
            # lay out on several lines what has inline directives: its semicolons are left out)
            tokens = sorted(t.text for t in scan(lowered.text).tokens if t.end > t.pos)
            assert tokens == sorted(t.text for t in scan(build[path].text).tokens if t.end > t.pos), path
            check_map(lowered, lines=False)
            files += 1
    assert files > 30
