"""Column directives placed line by line (``lower/columns.py``) are those of the whole-file placing.

``columns.placed_by_lines`` reads only the lines that can hold a misplaced token;
``linemap.place_columns`` reads every token in every round. On the same input they must
write the same text, and the line by line one must not give up on ordinary code (else
the lowering is slow again without any test failing). Inputs: the lowerings for Go's own
check (``format=False``: the lowered text before gofmt, with its ``//line`` directives and
no column directives) of the golden cases and of cases written for the line by line
bookkeeping, placed as they are without gofmt, and formatted first and placed with gofmt
run after each round (as the lowering does: gofmt then moves comments, realigns fields,
lays a struct out on several lines).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from transpiler.check.run import StubImporter, check_package
from transpiler.lower.columns import _shape, placed_by_lines
from transpiler.lower.linemap import drifted_columns, place_columns
from transpiler.lower.lowering import gofmt, lower_checked_files
from transpiler.lower.sourcemap import LoweredFile
from transpiler.syntax import parse_source

REPO = Path(__file__).resolve().parents[1]

CASES = {
    # a one-line function gofmt lays out on several lines: the directive of its first line
    # names another line than go gives it, and the lines below are numbered on from it
    "one_line.tgo": "package p\n\ntype T struct{ N int }\n\nfunc load() (*T, error) { return nil, nil }\n\n"
                    "func F() (int, error) { t := load()?; if t != nil { return t.N, nil }; return 0, nil }\n",
    # struct fields that lost a ? (gofmt glues the comment to the name and realigns the others),
    # and an empty variant of a union
    "fields.tgo": "package p\n\ntype T struct {\n\tN    int\n\tNext ?*T\n\tLong ?*T\n\tX    string\n}\n\n"
                  "type S union {\n\tA{R float64}\n\tB{}\n}\n\nfunc g(t ?*T) ?*T { return t }\n",
    # a raw string over several lines next to a changed line
    "raw.tgo": "package p\n\nfunc load() (string, error) { return `a\nb`, nil }\n\n"
               "func F() (string, error) {\n\ts := load()?; t := `x\ny` + s\n\treturn t, nil\n}\n",
}


def _unplaced(path: str, text: str) -> LoweredFile:
    result = parse_source(text.encode(), path)
    _, pc, infos = check_package([(result, path)], [], StubImporter([], None))
    assert pc is not None
    return lower_checked_files(pc, infos, format=False)[path]


def _inputs() -> list[tuple[str, str]]:
    out = [(str(p), p.read_text(encoding="utf-8")) for p in sorted((REPO / "tests" / "golden").glob("*/input.tgo"))]
    return out + list(CASES.items())


@pytest.mark.parametrize("with_gofmt", [False, True])
def test_line_by_line_placing_writes_what_the_whole_file_placing_writes(with_gofmt: bool) -> None:
    gave_up: list[str] = []
    placed = 0
    for path, text in _inputs():
        lowered = _unplaced(path, text)
        name = os.path.basename(path)
        reformat = functools.partial(gofmt, name=name) if with_gofmt else None
        if reformat is not None:  # (formatted first, as the lowering does)
            lowered = LoweredFile(path, reformat(lowered.text), lowered.source, lowered._before, lowered._pieces,
                                  lowered._edited)
        whole = place_columns(lowered.text, lowered.wanted_positions(), name, reformat)
        by_lines = placed_by_lines(lowered.text, lowered.wanted_at, lowered.source_map.copies, name, text, reformat)
        if by_lines is None:
            gave_up.append(path)
            continue
        assert by_lines == whole, path
        placed += whole is not lowered.text
        if not with_gofmt:  # (gofmt re-lays the unformatted text: its columns are not all the source's)
            final = LoweredFile(path, by_lines, lowered.source, lowered._before, lowered._pieces, lowered._edited)
            assert drifted_columns(text, by_lines, name, final.wanted_positions()) == [], path
    assert placed >= 10
    # only the raw string's line may need the whole-file placing
    assert [os.path.basename(p) for p in gave_up if "raw" not in p] == []


def test_gofmt_reads_only_the_declarations_placed() -> None:
    """Where gofmt leaves them alone, only the top-level declarations holding the lines the
    placing wrote are given to gofmt (``columns._declarations_kept``), not the whole file;
    where it does not (the struct's fields of ``fields.tgo``), the whole file is, as before:
    both give the whole-file placing's text."""
    plain = "".join(f"// F{i} is plain.\nfunc F{i}(x ?*int) int {{\n\treturn *x!\n}}\n\n" for i in range(50))
    cases = {
        "far.tgo": "package p\n\nfunc H(n int) (int, error) {\n\treturn n, nil\n}\n\n" + plain
                   + "// G propagates.\nfunc G(n int) (int, error) {\n\tv := H(n)?\n\treturn v, nil\n}\n\n" + plain,
        "fields.tgo": CASES["fields.tgo"],
    }
    numbered = "package p\n\nfunc H(n int) (int, error) {\n\treturn n, nil\n}\n\n" + "".join(
        f"// G{i} propagates.\nfunc G{i}(n int) (int, error) {{\n\tv := H(n + {i})?\n\treturn v, nil\n}}\n\n"
        for i in range(200))
    cases["numbered.tgo"] = numbered
    sizes: dict[str, list[int]] = {}
    for path, text in cases.items():
        lowered = _unplaced(path, text)
        formatted = gofmt(lowered.text, path)
        lowered = LoweredFile(path, formatted, lowered.source, lowered._before, lowered._pieces, lowered._edited)
        given: list[int] = []

        def reformat(t: str, given: list[int] = given, path: str = path) -> str:
            given.append(len(t))
            return gofmt(t, path)

        whole = place_columns(lowered.text, lowered.wanted_positions(), path, functools.partial(gofmt, name=path))
        by_lines = placed_by_lines(lowered.text, lowered.wanted_at, lowered.source_map.copies, path, text, reformat)
        assert by_lines == whole and whole != formatted, path
        sizes[path] = [n * 10 // len(formatted) for n in given]
    assert sizes["far.tgo"] == [0]  # (one run, on a tenth of the text or less)
    # (200 numbered copies of one declaration: a few shapes, ``columns._shape``)
    assert sizes["numbered.tgo"] == [0]
    # (the declarations first: gofmt realigns the fields; then the whole text)
    assert sizes["fields.tgo"][0] < 9 and max(sizes["fields.tgo"]) == 10


def test_shape_keeps_what_gofmt_reads() -> None:
    """A run's shape (``columns._shape``): its digits but 0 as 1, and its directives' line
    numbers moved down to 1, 10, 100... with their differences and widths kept; a run with an
    import, or a directive not read, is its own shape."""
    run = ("// G{n} is.\nfunc G{n}(n int) (int, error) {{\n\tv, err := /*line a.tgo:{a}:{c}*/ H(n + {n})\n"
           "//line a.tgo:{a}:1\n\tif err != nil {{\n//line a.tgo:{b}:{d}\n\t\treturn 0, err\n\t}}\n}}")
    one, other = run.format(n=27, a=31, b=32, c=6, d=14), run.format(n=45, a=2071, b=2072, c=6, d=14)
    assert _shape(one) == run.format(n=11, a=10, b=11, c=1, d=11)
    assert _shape(other) == run.format(n=11, a=1000, b=1001, c=1, d=11)
    assert _shape(run.format(n=58, a=39, b=40, c=8, d=17)) == _shape(one)
    # (numbers of two widths stay as they are: their digits are not made 1s)
    assert _shape(run.format(n=3, a=99, b=100, c=6, d=14)) == run.format(n=1, a=99, b=100, c=1, d=11)
    assert _shape(run.format(n=3, a=91, b=9, c=6, d=14)) == run.format(n=1, a=91, b=9, c=1, d=11)
    imports = 'import "fmt"\n\nvar x = 12'
    assert _shape(imports) == imports
    inside = "var x = 12 //line a.tgo:3:1"
    assert _shape(inside) == inside
    no_column = "//line a.tgo:3\nvar x = 12"
    assert _shape(no_column) == no_column
    assert _shape("var x = 0x2F + 0123i // 45") == "var x = 0x1F + 0111i // 11"
