"""Suppression comments (spec §8) and the `// want:` harness (tests/want.py).

A stand-in checker makes the diagnostics: each identifier `DEREF`, `ASSIGN` or
`CONV` in the source is a nil-deref, nil-assign or enum-conversion diagnostic
at that spot.  The sources state what must be left with `// want:` comments.
"""

from __future__ import annotations

import re
import textwrap

import pytest
from want import assert_wants, wants

from transpiler.check.suppress import apply_suppressions
from transpiler.diagnostics import codes
from transpiler.diagnostics.diagnostic import Diagnostic
from transpiler.syntax import parse_source
from transpiler.syntax.scanner import Comment, scan
from transpiler.syntax.source import SourceFile

MARKERS = {"DEREF": codes.NIL_DEREF, "ASSIGN": codes.NIL_ASSIGN, "CONV": codes.ENUM_CONVERSION}
_MARKER = re.compile(r"\b(DEREF|ASSIGN|CONV)\b")


def fake_check(src: SourceFile, comments: list[Comment]) -> list[Diagnostic]:
    out = []
    for m in _MARKER.finditer(src.text):
        if any(c.pos <= m.start() < c.end for c in comments):
            continue
        code = MARKERS[m.group()]
        out.append(Diagnostic.make(codes.Message(code, f"{m.group()} here"), src.name,
                                   src.position(m.start()), src.position(m.end())))
    return out


def run(body: str, name: str = "a.tgo") -> tuple[list[Diagnostic], str]:
    text = "package p\n\n" + textwrap.dedent(body)
    result = parse_source(text.encode(), name)
    assert result.tree is not None, result.diagnostics
    diags = fake_check(result.source, result.tree.comments)
    return apply_suppressions(diags, result.source, result.tree.comments), text


def check(body: str) -> list[Diagnostic]:
    diags, text = run(body)
    assert_wants(diags, {"a.tgo": text})
    return diags


# --- the rules ----------------------------------------------------------------


def test_nothing_to_suppress() -> None:
    check("""
        func f() {
            DEREF() // want: nil-deref
            x := ASSIGN + CONV // want: nil-assign, enum-conversion
        }
        """)


def test_end_of_line_ignore_silences_all_codes_on_its_line() -> None:
    assert check("""
        func f() {
            x := ASSIGN + DEREF //tgo:ignore
            DEREF() // want: nil-deref
        }
        """) != []


def test_end_of_line_ignore_with_list() -> None:
    check("""
        func f() {
            x := ASSIGN + DEREF //tgo:ignore[nil-deref] // want: nil-assign
            y := ASSIGN + DEREF //tgo:ignore[nil-deref,nil-assign]
            z := ASSIGN + DEREF + CONV //tgo:ignore[ nil-deref , nil-assign ] // want: enum-conversion
        }
        """)


def test_ignore_alone_silences_the_next_line() -> None:
    check("""
        func f() {
            //tgo:ignore
            x := ASSIGN + DEREF
            //tgo:ignore[nil-deref]
            y := ASSIGN + DEREF // want: nil-assign
            DEREF() // want: nil-deref
        }
        """)


def test_ignore_alone_skips_comment_lines_not_blank_lines() -> None:
    check("""
        func f() {
            //tgo:ignore[nil-deref]
            //tgo:ignore[nil-assign] the value is set by init
            /* a note */
            x := ASSIGN + DEREF
            //tgo:ignore // want: unused-ignore

            DEREF() // want: nil-deref
        }
        """)


def test_ignore_after_block_comment_is_alone() -> None:
    check("""
        func f() {
            /* note */ //tgo:ignore
            DEREF()
            x := 1 /* note */ //tgo:ignore // want: unused-ignore
            DEREF() // want: nil-deref
        }
        """)


def test_diagnostics_match_by_start_line() -> None:
    src = SourceFile("a.tgo", "package p\n\nvar x = f(\n\ty) //tgo:ignore\n")
    d = Diagnostic("a.tgo", 3, 9, 4, 3, codes.Severity.ERROR, "nil-assign", "spans two lines")
    out = apply_suppressions([d], src, scan(src.text).comments)
    assert [x.code for x in out] == ["nil-assign", "unused-ignore"]
    assert (out[1].line, out[1].column, out[1].end_column) == (4, 5, 17)


def test_unused_ignore() -> None:
    diags = check("""
        func f() {
            x := 1 //tgo:ignore // want: unused-ignore
            y := DEREF //tgo:ignore[nil-assign] // want: nil-deref, unused-ignore
            z := DEREF //tgo:ignore[nil-deref,nil-assign]
            //tgo:ignore[enum-conversion] // want: unused-ignore
            w := 2
        }
        """)
    messages = [d.message for d in diags if d.code == "unused-ignore"]
    # a comment that silences something is used (spec §8), even if one listed code did not
    assert messages == [
        "//tgo:ignore silences nothing",
        "//tgo:ignore[nil-assign] silences nothing",
        "//tgo:ignore[enum-conversion] silences nothing",
    ]
    assert all(d.severity is codes.Severity.WARNING for d in diags if d.code == "unused-ignore")


def test_unused_ignore_spans_the_directive_only() -> None:
    diags, _ = run("var x = 1 //tgo:ignore[nil-deref] reason\n")
    (d,) = diags
    assert (d.line, d.column, d.end_line, d.end_column) == (3, 11, 3, 34)


def test_unknown_code_is_reported_at_its_name() -> None:
    diags = check("""
        func f() {
            x := DEREF //tgo:ignore[nil-deref,nil-deraf] // want: unused-ignore
            y := DEREF //tgo:ignore[bogus] // want: nil-deref, unused-ignore
        }
        """)
    unknown = [d for d in diags if d.code == "unused-ignore"]
    assert [d.message for d in unknown] == [
        "//tgo:ignore names an unknown code: nil-deraf",
        "//tgo:ignore names an unknown code: bogus",
    ]
    line = "    x := DEREF //tgo:ignore[nil-deref,nil-deraf] // want: unused-ignore"
    assert unknown[0].column == line.index("nil-deraf") + 1
    assert unknown[0].end_column == unknown[0].column + len("nil-deraf")


def test_syntax_diagnostics_cannot_be_ignored() -> None:
    src = SourceFile("a.tgo", "package p\nx := ) //tgo:ignore\n//tgo:ignore\ny ]\n")
    syntax = [
        Diagnostic("a.tgo", 2, 6, 2, 7, codes.Severity.ERROR, "syntax", "unexpected )"),
        Diagnostic("a.tgo", 4, 3, 4, 4, codes.Severity.ERROR, "syntax", "unexpected ]"),
    ]
    out = apply_suppressions(syntax, src, scan(src.text).comments)
    # kept, and no unused-ignore noise while the file does not parse
    assert out == syntax


def test_declarations_the_lowering_refuses_cannot_be_ignored() -> None:
    # silenced, a bad-enum or bad-union would come back from tgo build as "cannot lower"
    src = SourceFile("a.tgo", "package p\n\ntype U union { int } //tgo:ignore\n//tgo:ignore[bad-enum]\n"
                              "type E enum float64 { A }\n")
    errors = [
        Diagnostic("a.tgo", 3, 16, 3, 19, codes.Severity.ERROR, "bad-union", "variant int"),
        Diagnostic("a.tgo", 5, 13, 5, 20, codes.Severity.ERROR, "bad-enum", "base float64"),
    ]
    out = apply_suppressions(errors, src, scan(src.text).comments)
    assert [(d.line, d.code, d.message) for d in out] == [
        (3, "bad-union", "variant int"),
        (3, "unused-ignore", "//tgo:ignore silences nothing"),
        (4, "unused-ignore", "//tgo:ignore cannot silence bad-enum diagnostics"),
        (5, "bad-enum", "base float64"),
    ]


def test_syntax_and_unused_ignore_in_a_list_are_reported() -> None:
    diags = check("""
        func f() {
            x := DEREF //tgo:ignore[syntax,nil-deref] // want: unused-ignore
            y := 1 //tgo:ignore[unused-ignore] // want: unused-ignore
        }
        """)
    assert [d.message for d in diags] == [
        "//tgo:ignore cannot silence syntax diagnostics",
        "//tgo:ignore cannot silence unused-ignore diagnostics",
    ]


@pytest.mark.parametrize(
    "comment,problem",
    [
        ("//tgo:ignore[nil-deref", "missing ] after the code list"),
        ("//tgo:ignorenil-deref", "expected //tgo:ignore or //tgo:ignore[code,...], then a blank before any other text"),
        ("//tgo:ignore[nil-deref]x", "expected //tgo:ignore or //tgo:ignore[code,...], then a blank before any other text"),
        ("//tgo:ignore[]", "empty code name in the list"),
        ("//tgo:ignore[nil-deref,]", "empty code name in the list"),
    ],
)
def test_malformed_directive(comment: str, problem: str) -> None:
    diags, _ = run(f"var x = DEREF {comment}\n")
    assert [(d.code, d.message) for d in diags] == [
        ("nil-deref", "DEREF here"),
        ("unused-ignore", f"malformed //tgo:ignore comment: {problem}"),
    ]


def test_not_directives() -> None:
    check("""
        func f() {
            x := DEREF // tgo:ignore // want: nil-deref
            y := DEREF /*tgo:ignore*/ // want: nil-deref
            z := "//tgo:ignore" + DEREF // want: nil-deref
        }
        """)


def test_other_files_pass_through_and_result_is_sorted() -> None:
    result = parse_source(b"package p\n\nvar x = 1 //tgo:ignore\n", "a.tgo")
    assert result.tree is not None
    other = Diagnostic("b.tgo", 3, 1, 3, 2, codes.Severity.ERROR, "nil-deref", "m")
    mine = Diagnostic("a.tgo", 3, 9, 3, 10, codes.Severity.ERROR, "nil-deref", "m")
    out = apply_suppressions([other, mine], result.source, result.tree.comments)
    assert out == [other]
    out = apply_suppressions([other], result.source, result.tree.comments)
    assert [(d.file, d.code) for d in out] == [("a.tgo", "unused-ignore"), ("b.tgo", "nil-deref")]


def test_two_ignores_on_one_line_both_count_as_used() -> None:
    check("""
        func f() {
            //tgo:ignore[nil-deref]
            x := DEREF //tgo:ignore
        }
        """)


# --- the want harness ---------------------------------------------------------


def test_wants_parse() -> None:
    text = textwrap.dedent("""\
        package p
        var a = 1 // want: nil-deref
        var b = 2 // want: nil-deref, nil-assign,enum-conversion
        var c = "// want: nil-deref"
        var d = 3 //tgo:ignore[nil-deref] // want: unused-ignore
        //tgo:ignore // want: unused-ignore
        var e = 4 /* want: nil-deref */
        var f = 5 // we want: nil-deref
        """)
    assert wants(text) == {
        2: ["nil-deref"],
        3: ["nil-deref", "nil-assign", "enum-conversion"],
        5: ["unused-ignore"],
        6: ["unused-ignore"],
    }


@pytest.mark.parametrize(
    "comment",
    ["// want:", "// want: nil-deref nil-assign", "// want: nil-deref // want: nil-assign", "// want: nil-deref,"],
)
def test_wants_malformed(comment: str) -> None:
    with pytest.raises(ValueError, match="bad want comment"):
        wants(f"package p\nvar x = 1 {comment}\n")


def test_wants_unknown_code() -> None:
    with pytest.raises(ValueError, match="unknown code 'nil-deraf'"):
        wants("package p\nvar x = 1 // want: nil-deraf\n")


def test_want_comments_are_not_ignore_comments() -> None:
    # the want comment names unused-ignore but neither is an ignore nor silences anything
    diags, text = run("var x = DEREF // want: nil-deref\n")
    assert [d.code for d in diags] == ["nil-deref"]
    assert_wants(diags, {"a.tgo": text})


def test_assert_wants_reports_both_sides() -> None:
    diags, text = run("""
        func f() {
            x := DEREF // want: nil-assign
            y := 1 // want: nil-deref, nil-deref
            z := CONV
        }
        """)
    with pytest.raises(AssertionError) as info:
        assert_wants(diags, {"a.tgo": text})
    assert str(info.value) == textwrap.dedent("""\
        diagnostics and // want: comments disagree
        unexpected diagnostics:
          a.tgo:5:10: nil-deref: DEREF here
              | x := DEREF // want: nil-assign
          a.tgo:7:10: enum-conversion: CONV here
              | z := CONV
        unmet wants:
          a.tgo:5: nil-assign
              | x := DEREF // want: nil-assign
          a.tgo:6: nil-deref
              | y := 1 // want: nil-deref, nil-deref
          a.tgo:6: nil-deref
              | y := 1 // want: nil-deref, nil-deref""")


def test_assert_wants_counts_duplicates_and_other_files() -> None:
    two = [
        Diagnostic("a.tgo", 2, 1, 2, 2, codes.Severity.ERROR, "nil-deref", "m"),
        Diagnostic("a.tgo", 2, 5, 2, 6, codes.Severity.ERROR, "nil-deref", "m"),
    ]
    assert_wants(two, {"a.tgo": "package p\nx // want: nil-deref, nil-deref\n"})
    with pytest.raises(AssertionError, match=r"unexpected diagnostics:\n  a.tgo:2:5: nil-deref"):
        assert_wants(two, {"a.tgo": "package p\nx // want: nil-deref\n"})
    with pytest.raises(AssertionError, match=r"  b.tgo:1:1: nil-deref: m\nunmet"):
        assert_wants(
            [Diagnostic("b.tgo", 1, 1, 1, 1, codes.Severity.ERROR, "nil-deref", "m")],
            {"a.tgo": "package p\nx // want: nil-deref\n"},
        )


@pytest.mark.parametrize("code", sorted(codes.CODES.values(), key=lambda c: c.name), ids=lambda c: c.name)
def test_the_registry_says_which_codes_can_be_silenced(code: codes.Code) -> None:
    """Each code, bare ``//tgo:ignore`` and ``//tgo:ignore[code]`` alike: silenced exactly when its
    registry entry is ``silenceable`` (no list of codes anywhere else)."""
    src = SourceFile("a.tgo", "package p\n\nvar x = 1 //tgo:ignore\n\n//tgo:ignore[" + code.name + "]\nvar y = 2\n")
    diags = [Diagnostic("a.tgo", line, 5, line, 6, code.severity, code.name, "here") for line in (3, 6)]
    out = [(d.line, d.code, d.message) for d in apply_suppressions(diags, src, scan(src.text).comments)]
    if code.silenceable:
        assert out == []
    elif code is codes.SYNTAX:  # kept, and no unused-ignore noise while the file does not parse
        assert out == [(3, "syntax", "here"), (6, "syntax", "here")]
    else:
        assert out == [
            (3, code.name, "here"),
            (3, "unused-ignore", "//tgo:ignore silences nothing"),
            (5, "unused-ignore", f"//tgo:ignore cannot silence {code.name} diagnostics"),
            (6, code.name, "here"),
        ]


def test_spec_section_8_codes_cannot_be_silenced() -> None:
    # spec §8: "syntax, bad-enum, bad-union and go cannot be silenced"; unused-ignore is made by
    # the suppression pass itself
    assert {c.name for c in codes.CODES.values() if not c.silenceable} == {
        "syntax", "bad-enum", "bad-union", "go", "unused-ignore"}
