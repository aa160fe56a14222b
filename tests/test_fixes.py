"""Rules' fixes (transpiler/diagnostics/fix.py): applying one makes its diagnostic go away.

Every fix every checker fixture's diagnostics offer is applied to the package's
text in memory, and the package is checked again: it still parses, and no
diagnostic of the same code starts where the fixed one did (its offset moved
by the edits before it).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transpiler.check.run import check_package
from transpiler.diagnostics import Diagnostic, Severity
from transpiler.diagnostics.fix import Fix, TextEdit, apply_edits
from transpiler.syntax.parser import parse_source

FIXTURES = Path(__file__).parent / "checker" / "fixtures"
# the rules that offer fixes, and how many fixes the fixtures must exercise for each
EXPECTED = {"nil-assign": 35, "nil-init": 20, "nil-deref": 100, "nonexhaustive": 12, "unchecked-error": 55,
            "unused-ignore": 8}


def _check(texts: dict[str, str]) -> list[Diagnostic]:
    results = [(parse_source(text.encode(), name), name) for name, text in sorted(texts.items())]
    for r, name in results:
        assert not r.diagnostics, f"{name} does not parse after the fix:\n{texts[name]}"
    checked, _, _ = check_package(results, [])
    return checked.diagnostics


def _moved(offset: int, edits: list[TextEdit]) -> int:
    """Where ``offset`` is after ``edits`` (insertions at it move it too)."""
    return offset + sum(len(e.new_text) - (e.end - e.start) for e in edits if e.end <= offset)


def _apply(texts: dict[str, str], fix: Fix) -> dict[str, str]:
    out = dict(texts)
    for name in {e.file for e in fix.edits}:
        out[name] = apply_edits(out[name], [e for e in fix.edits if e.file == name])
    return out


def _fixture_dirs() -> list[Path]:
    return sorted(d for d in FIXTURES.glob("*/*") if d.is_dir())


def _texts(d: Path) -> dict[str, str]:
    return {str(p): p.read_text() for p in sorted(d.iterdir()) if p.suffix in (".tgo", ".go")}


@pytest.mark.slow
def test_every_fix_resolves_its_diagnostic() -> None:
    applied: Counter[str] = Counter()
    for d in _fixture_dirs():
        texts = _texts(d)
        for diag in _check(texts):
            assert diag.span is not None or not diag.fixes
            for fix in diag.fixes:
                assert fix.title and fix.edits
                after = _apply(texts, fix)
                assert diag.span is not None
                start = _moved(diag.span[0], [e for e in fix.edits if e.file == diag.file])
                again = [x for x in _check(after) if x.file == diag.file and x.code == diag.code and
                         x.span is not None and x.span[0] == start]
                assert not again, f"{d.name}: {fix.title} left {again[0].text()}\n{after[diag.file]}"
                applied[diag.code] += 1
    for code, least in EXPECTED.items():
        assert applied[code] >= least, f"only {applied[code]} {code} fixes exercised"


SAMPLES = {
    "nil-assign": ("func f() {\n\tvar p *int = nil\n\t_ = p\n}\n", "func f() {\n\tvar p ?*int = nil\n\t_ = p\n}\n"),
    "nil-init": ("type T struct{ P *int }\n\nfunc f() T {\n\treturn T{}\n}\n",
                 "type T struct{ P ?*int }\n\nfunc f() T {\n\treturn T{}\n}\n"),
    "nil-deref": ("func f(p ?*int) int {\n\treturn *p\n}\n", "func f(p ?*int) int {\n\treturn *p!\n}\n"),
    "unchecked-error": ("func g() error { return nil }\n\nfunc f() error {\n\tg()\n\treturn nil\n}\n",
                        "func g() error { return nil }\n\nfunc f() error {\n\tg()?\n\treturn nil\n}\n"),
    "nonexhaustive": ("type C enum {\n\tRed\n\tBlue\n}\n\nfunc f(c C) int {\n\tswitch c {\n\tcase Red:\n"
                      "\t\treturn 1\n\t}\n\treturn 0\n}\n",
                      "type C enum {\n\tRed\n\tBlue\n}\n\nfunc f(c C) int {\n\tswitch c {\n\tcase Red:\n"
                      "\t\treturn 1\n\tcase Blue:\n\t}\n\treturn 0\n}\n"),
}


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_first_fix_is_the_expected_edit(tmp_path: Path, code: str) -> None:
    """The fix a quick-fix menu shows first, byte for byte, and the fixed file checks clean."""
    before, after = SAMPLES[code]
    name = str(tmp_path / "p.tgo")
    texts = {name: "package p\n\n" + before}
    diags = _check(texts)
    assert [d.code for d in diags] == [code]
    fixed = _apply(texts, diags[0].fixes[0])
    assert fixed[name] == "package p\n\n" + after
    assert _check(fixed) == []


def test_fixes_stay_out_of_text_and_json() -> None:
    d = Diagnostic("a.tgo", 1, 1, 1, 2, Severity.ERROR, "nil-deref", "m", (0, 1), (("x", "p"),), (Fix("t", (TextEdit("a.tgo", 1, 1, "!"),)),))
    plain = Diagnostic(d.file, d.line, d.column, d.end_line, d.end_column, d.severity, d.code, d.message)
    assert d == plain and d.as_json() == plain.as_json() and d.text() == plain.text()
    assert Diagnostic.from_json(d.as_json()) == d


@given(st.text(max_size=30), st.lists(st.tuples(st.integers(0, 30), st.integers(0, 5), st.text(max_size=4)),
                                      max_size=4))
def test_apply_edits_is_a_splice(text: str, raw: list[tuple[int, int, str]]) -> None:
    """Non-overlapping edits applied together equal the same edits applied one by one from the end."""
    edits: list[TextEdit] = []
    last = -1
    for start, length, new in sorted(raw):
        start = min(start, len(text))
        end = min(start + length, len(text))
        if start <= last:
            continue
        edits.append(TextEdit("f", start, end, new))
        last = end
    want = text
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        want = want[:e.start] + e.new_text + want[e.end:]
    assert apply_edits(text, edits) == want


GUARDED = {
    "assignment": ("func f(p ?*T) {\n\tp.X = 1\n}\n", "func f(p ?*T) {\n\tif p != nil {\n\t\tp.X = 1\n\t}\n}\n"),
    "call": ("func f(p ?*T) {\n\tuse(p.X)\n}\n", "func f(p ?*T) {\n\tif p != nil {\n\t\tuse(p.X)\n\t}\n}\n"),
    "if, lines indented": ("func f(p ?*T) {\n\tif p.X > 0 {\n\t\tuse(1)\n\n\t}\n}\n",
                           "func f(p ?*T) {\n\tif p != nil {\n\t\tif p.X > 0 {\n\t\t\tuse(1)\n\n\t\t}\n\t}\n}\n"),
    "field path": ("func f(t T) {\n\tt.N.X++\n}\n", "func f(t T) {\n\tif t.N != nil {\n\t\tt.N.X++\n\t}\n}\n"),
}
_DECLS = "type T struct {\n\tX int\n\tN ?*T\n}\n\nfunc use(int) {}\n\n"


@pytest.mark.parametrize("case", sorted(GUARDED))
def test_nil_check_fix(tmp_path: Path, case: str) -> None:
    """nil-deref's second fix wraps the statement in a nil check: the exact text, checking clean."""
    before, after = GUARDED[case]
    name = str(tmp_path / "p.tgo")
    texts = {name: "package p\n\n" + _DECLS + before}
    diags = _check(texts)
    assert [d.code for d in diags] == ["nil-deref"]
    guard = [f for f in diags[0].fixes if f.title.startswith("check ")]
    assert len(guard) == 1
    fixed = _apply(texts, guard[0])
    assert fixed[name] == "package p\n\n" + _DECLS + after
    assert _check(fixed) == []


@pytest.mark.parametrize("body", [
    "\tv := p.X\n\tuse(v)\n",  # declares a name used after it
    "\treturn p.X\n",  # would leave the function without a result
    "\tfor p.X > 0 {\n\t\tp = nil\n\t}\n",  # the condition is evaluated again after the body
    "\tif true {\n\t} else if p.X > 0 {\n\t}\n",  # an else if is not a statement of a block
    "\tuse(p.X + len(`a\nb`))\n",  # a raw string over lines: its text would change
])
def test_no_nil_check_where_it_changes_more(tmp_path: Path, body: str) -> None:
    name = str(tmp_path / "p.tgo")
    fn = "func f(p ?*T) int {\n" + body + ("\treturn 0\n" if "return" not in body else "") + "}\n"
    diags = _check({name: "package p\n\n" + _DECLS + fn})
    derefs = [d for d in diags if d.code == "nil-deref"]
    assert derefs, diags
    assert all(not f.title.startswith("check ") for d in derefs for f in d.fixes)


@pytest.mark.parametrize(("before", "after"), [
    ("func f() int {\n\t//tgo:ignore[nil-deref] not needed\n\treturn 1\n}\n", "func f() int {\n\treturn 1\n}\n"),
    ("func f() int {\n\treturn 1 //tgo:ignore\n}\n", "func f() int {\n\treturn 1\n}\n"),
    ("func f() int {\n\treturn 1 /* kept */ //tgo:ignore[unchecked-error]\n}\n",
     "func f() int {\n\treturn 1 /* kept */\n}\n"),
])
def test_remove_unused_ignore(tmp_path: Path, before: str, after: str) -> None:
    name = str(tmp_path / "p.tgo")
    texts = {name: "package p\n\n" + before}
    diags = _check(texts)
    assert [d.code for d in diags] == ["unused-ignore"]
    assert [f.title for f in diags[0].fixes] == ["remove the unused //tgo:ignore"]
    fixed = _apply(texts, diags[0].fixes[0])
    assert fixed[name] == "package p\n\n" + after
    assert _check(fixed) == []
