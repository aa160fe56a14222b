"""gofmt is not run where its answer is certain: a ``//line`` line the resync put above a doc
comment is moved by gofmt (``linemap.directive_joins_doc``), so the check that gofmt leaves the
resynced text alone is skipped, and the lowering is the one that check gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tgorun import pure_python

from transpiler.goexe import find_gofmt, run_gofmt
from transpiler.lower import lowering
from transpiler.lower.edits import resync_after_format, resync_head
from transpiler.lower.linemap import directive_joins_doc
from transpiler.syntax import parse_source

needs_gofmt = pytest.mark.skipif(find_gofmt() is None, reason="no gofmt")

# what the resync writes after a function gofmt split over more lines than the source had
MOVED = """package p

func a() {
\treturn
}

//line :3:1
// B does.
func B() {}
"""


@needs_gofmt
def test_a_directive_starting_a_doc_comment_is_told_and_gofmt_moves_it() -> None:
    assert directive_joins_doc(MOVED)
    assert run_gofmt(MOVED) != MOVED
    assert lowering._gofmt_moves_doc_directives()


@needs_gofmt
@pytest.mark.parametrize("text", [
    # the line it names is two past its own: go/parser may make it a comment group of its own
    # (gofmt changes the text anyway, but the rule does not tell on what it cannot be sure of)
    MOVED.replace("//line :3:1", "//line :9:1"),
    # no blank line above it
    MOVED.replace("}\n\n//line", "}\n//line"),
    # no text in the doc comment
    MOVED.replace("// B does.", "//"),
    # a directive without a column above it: Go gives the comment no column, so no doc comment
    MOVED.replace("package p\n", "package p\n\n//line :1\n"),
    # inside a raw string
    "package p\n\nvar s = `\n}\n\n//line :3:1\n// B does.\nfunc B() {}\n`\n",
])
def test_what_is_not_sure_is_not_told(text: str) -> None:
    assert not directive_joins_doc(text)


def _func(i: int, one_line: bool) -> str:
    return f"func f{i}() {{ return }}\n" if one_line else f"func f{i}() {{\n\treturn\n}}\n"


@needs_gofmt
@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "//line :{n}:1\n", "//line :{n}\n", "//line x.tgo:{n}:3\n"]),
                          st.integers(1, 40),
                          st.sampled_from(["", "// F does.\n", "//go:noinline\n", "// F does.\n//\n// More.\n",
                                           "//\n"]),
                          st.booleans()),
                min_size=1, max_size=6))
def test_what_is_told_is_what_gofmt_does(parts: list[tuple[str, int, str, bool]]) -> None:
    # a gofmt-formatted file but for the //line lines put in (as the resync puts them)
    text = "package p\n\nfunc a() {\n}\n"
    for i, (directive, n, doc, one_line) in enumerate(parts):
        text += "\n" + directive.format(n=n) + doc + _func(i, one_line)
    if directive_joins_doc(text):
        assert run_gofmt(text) != text


# a function on one line (gofmt splits it: the resync puts a //line line above the next
# function's doc comment)
SOURCE = "package p\n\n" + "".join(
    f"// F{i} reads x.\nfunc F{i}(x ?*int) int {{ if x == nil {{ return {i} }}; return *x }}\n\n"
    if i % 3 == 0 else
    f"// F{i} reads x.\nfunc F{i}(x ?*int) int {{\n\tif x == nil {{\n\t\treturn {i}\n\t}}\n\treturn *x\n}}\n\n"
    for i in range(9))


@needs_gofmt
@pure_python
def test_the_lowering_is_the_one_the_check_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    result = parse_source(SOURCE.encode(), "p.tgo")
    # the one-time probe of gofmt made before counting (else the first lowering in a process
    # counts it)
    assert lowering._gofmt_moves_doc_directives()
    ran: list[str] = []
    real = lowering.run_gofmt

    def counted(text: str) -> str:
        ran.append(text)
        return real(text)

    monkeypatch.setattr(lowering, "run_gofmt", counted)
    told = lowering.lower_alone(result, "p.tgo")
    runs = len(ran)
    monkeypatch.setattr(lowering, "directive_joins_doc", lambda text: False)
    ran.clear()
    checked = lowering.lower_alone(result, "p.tgo")
    assert told == checked
    assert runs == len(ran) - 1  # (the check's run saved)


def _unformatted(funcs: list[tuple[bool, bool, int]]) -> str:
    """Go with documented functions, some on one line (gofmt splits them), some after more
    than one blank line (gofmt joins them)."""
    out = "package p\n"
    for i, (one_line, doc, blanks) in enumerate(funcs):
        out += "\n" * blanks + (f"// F{i} reads x.\n" if doc else "")
        out += (f"func F{i}(x *int) int {{ if x == nil {{ return {i} }}; return *x }}\n" if one_line else
                f"func F{i}(x *int) int {{\n\tif x == nil {{\n\t\treturn {i}\n\t}}\n\treturn *x\n}}\n")
    return out


@needs_gofmt
@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(1, 3)), min_size=2, max_size=14),
       st.integers(3, 80))
def test_the_head_of_the_resync_is_the_start_of_the_whole(funcs: list[tuple[bool, bool, int]], lines: int) -> None:
    before = _unformatted(funcs)
    after = run_gofmt(before)
    whole = resync_after_format(before, after, "p.tgo", before)
    head = resync_head(before, after, "p.tgo", before, lines)
    assert head == whole.split("\n")[: len(head)]
    if head:
        assert len(head) <= 2 * lines  # (from the first lines only: one directive at most above each)


@needs_gofmt
def test_the_head_tells_the_big_file() -> None:
    before = _unformatted([(i % 50 == 49, True, 1) for i in range(800)])
    after = run_gofmt(before)
    head = resync_head(before, after, "", before)
    assert head and directive_joins_doc("\n".join(head))
    whole = resync_after_format(before, after, "", before)
    assert head == whole.split("\n")[: len(head)] and directive_joins_doc(whole)
    # (a raw string anywhere: the head cannot tell)
    assert resync_head(before + "var s = `x`\n", run_gofmt(before + "var s = `x`\n"), "", before) == []
