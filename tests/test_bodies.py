"""Function bodies checked once (check/bodies.py): after an edit inside one body, the
diagnostics-only re-check gives exactly what a fresh check gives, spans and fixes moved."""

from __future__ import annotations

from pathlib import Path

import pytest

from transpiler.check.bodies import BodyMemo
from transpiler.check.snapshot import Session
from transpiler.diagnostics import Diagnostic
from transpiler.syntax import ast, parse_source

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "checker" / "fixtures"
PACKAGES = sorted({p.parent for p in FIXTURES.rglob("*.tgo")} | {p.parent for p in (REPO / "examples").rglob("*.tgo")})


def _full(d: Diagnostic) -> tuple[object, ...]:
    return (d.file, d.line, d.column, d.end_line, d.end_column, d.severity, d.code, d.message, d.span, d.fields,
            d.fixes)


def _bodies(path: Path) -> list[ast.FuncDecl]:
    tree = parse_source(path.read_bytes(), str(path)).tree
    assert tree is not None
    return [d for d in tree.decls if isinstance(d, ast.FuncDecl) and d.body is not None]


def _fresh(directory: Path, overlays: dict[str, str]) -> list[tuple[object, ...]]:
    return [_full(d) for d in Session().snapshot(overlays).check_package(str(directory)).result.diagnostics]


@pytest.mark.parametrize("directory", PACKAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_reused_bodies_give_a_fresh_checks_diagnostics(directory: Path) -> None:
    session = Session()
    first = session.snapshot().diagnose_package(str(directory))
    assert [_full(d) for d in first.diagnostics] == _fresh(directory, {})
    files = sorted(p for p in directory.glob("*.tgo") if _bodies(p))
    if not files:
        pytest.skip("no function bodies")
    path = files[0]
    text = path.read_text()
    # an edit inside the first body (everything after it moves down a line and along), then
    # one inside the last body (nothing before it moves)
    for which in (0, -1):
        func = _bodies_of_text(path, text)[which]
        brace = func.body.pos + 1
        text = text[:brace] + "\n\t_ = 0 // edited\n" + text[brace:]
        session.did_change(str(path), text)
        got = session.snapshot().diagnose_package(str(directory))
        assert [_full(d) for d in got.diagnostics] == _fresh(directory, {str(path): text})
        (imp,) = session._importers.values()
        (memo,) = imp.bodies.values()
        assert memo.checked >= 1
        total = sum(_memoed(p, p.read_text()) for p in directory.glob("*.go")) + sum(
            _memoed(p, text if p == path else p.read_text()) for p in directory.glob("*.tgo"))
        assert memo.reused + memo.checked == total
        # checked again: the edited body, and those whose diagnostics cannot move (a fix
        # editing another declaration, a message naming a line)
        assert memo.checked <= 1 + memo.unmovable
        assert memo.reused >= 1 or total - memo.unmovable <= 1


def _memoed(path: Path, text: str) -> int:
    """How many declarations of the file the memo keeps: function bodies, package-level
    ``var`` and ``const`` declarations."""
    tree = parse_source(text.encode(), str(path)).tree
    assert tree is not None
    return len(_bodies_of_text(path, text)) + sum(
        1 for d in tree.decls if isinstance(d, ast.GenDecl) and d.tok in ("var", "const"))


def _bodies_of_text(path: Path, text: str) -> list[ast.FuncDecl]:
    tree = parse_source(text.encode(), str(path)).tree
    assert tree is not None
    return [d for d in tree.decls if isinstance(d, ast.FuncDecl) and d.body is not None]


# packages with diagnostics in several bodies (every tenth, for time)
EDITED = [p for p in PACKAGES if len(list(p.glob("*.tgo"))) >= 1][::10]


@pytest.mark.parametrize("directory", EDITED, ids=lambda p: str(p.relative_to(REPO)))
def test_edits_one_after_another_give_a_fresh_checks_diagnostics(directory: Path) -> None:
    """Edits as the user types them, each on the last: the edited file is parsed again only
    where it changed (syntax/reparse.py, its tree moved in place), and each re-check still
    gives what a fresh check of the same texts gives."""
    session = Session()
    session.snapshot().diagnose_package(str(directory))
    path = max(directory.glob("*.tgo"), key=lambda p: len(_bodies(p)) if _bodies(p) else -1)
    text = path.read_text()
    if not _bodies_of_text(path, text):
        pytest.skip("no function bodies")
    edits = [
        lambda t, f: t[:f.body.pos + 1] + "\n\t_ = 1\n" + t[f.body.pos + 1:],  # a statement added
        lambda t, f: t[:f.body.pos + 1] + "\n\tvar unused int\n" + t[f.body.pos + 1:],  # one with a message
        lambda t, f: t[:f.body.pos + 1] + "\n\t_ = (\n" + t[f.body.pos + 1:],  # a syntax error
        lambda t, f: t.replace("\n\t_ = (\n", "\n", 1),  # mended
        lambda t, f: t[:f.pos] + "// doc\n" + t[f.pos:],  # a comment before a declaration
        lambda t, f: t[:f.end] + "\n\nfunc addedByEdit() {}\n" + t[f.end:],  # a declaration added
    ]
    funcs = _bodies_of_text(path, text)
    for n, edit in enumerate(edits * 2):
        if parse_source(text.encode(), str(path)).tree is not None:
            funcs = _bodies_of_text(path, text)
        text = edit(text, funcs[(n * 7) % len(funcs)])
        if n >= len(edits):
            text = text.replace("func addedByEdit() {}", f"func addedByEdit{n}() {{}}")
        session.did_change(str(path), text)
        got = session.snapshot().diagnose_package(str(directory))
        assert [_full(d) for d in got.diagnostics] == _fresh(directory, {str(path): text}), n


def _one_file(directory: Path, text: str) -> tuple[Path, Session]:
    """A module of one file ``a.tgo`` holding ``text``, and a new session."""
    (directory / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    src = directory / "a.tgo"
    src.write_text(text)
    return src, Session()


def test_a_signature_edit_checks_every_body_again(tmp_path: Path) -> None:
    text = ("package m\n\ntype T struct{ next *T }\n\nfunc f(t ?*T) *T {\n\treturn t.next\n}\n\n"
            "func g(t *T) *T {\n\treturn t.next\n}\n")
    src, session = _one_file(tmp_path, text)
    codes = [d.code for d in session.snapshot().diagnose_package(str(tmp_path)).diagnostics]
    assert codes == ["nil-deref"]
    # g's parameter becomes nullable: its body, unchanged, must now be reported too
    text = text.replace("func g(t *T)", "func g(t ?*T)")
    session.did_change(str(src), text)
    got = session.snapshot().diagnose_package(str(tmp_path)).diagnostics
    assert [(d.code, d.line) for d in got] == [("nil-deref", 6), ("nil-deref", 10)]


def test_package_variables_are_kept_as_bodies_are(tmp_path: Path) -> None:
    """A package-level var's check (its initializer, a function literal in it, a misplaced ``?``)
    is reused after an edit in a body, moved with its file; a change of a var's text checks
    every body and declaration again."""
    text = ('package m\n\nimport "strconv"\n\nfunc f() int {\n\treturn 1\n}\n\n'
            'var n = strconv.Atoi("1")?\n\nvar g = func(p ?*int) int {\n\treturn *p\n}\n\nconst c = 2\n')
    src, session = _one_file(tmp_path, text)
    first = session.snapshot().diagnose_package(str(tmp_path)).diagnostics
    assert [(d.code, d.line) for d in first] == [("bad-try", 9), ("nil-deref", 12)]
    for n, edited in enumerate([text.replace("\treturn 1\n", "\t_ = 0\n\treturn 1\n"),
                                text.replace("\treturn 1\n", "\n\n\treturn 1\n"),
                                text.replace('Atoi("1")', 'Atoi("12")')]):
        session.did_change(str(src), edited)
        got = session.snapshot().diagnose_package(str(tmp_path))
        assert [_full(d) for d in got.diagnostics] == _fresh(tmp_path, {str(src): edited})
        (imp,) = session._importers.values()
        (memo,) = imp.bodies.values()
        assert (memo.reused, memo.checked) == ((3, 1) if n < 2 else (0, 4))


def _check(directory: Path, texts: dict[str, str], memo: BodyMemo | None) -> list[tuple[object, ...]]:
    """``texts`` (path -> text) checked as the package in ``directory``, with ``memo`` or not."""
    from transpiler.check import run
    from transpiler.stubs.config import module_config

    config = module_config(str(directory))
    results = [(parse_source(t.encode(), p), p) for p, t in sorted(texts.items())]
    res, _pc, _infos = run.check_package(results, config.stub_paths, None, None, bodies=memo)
    return [_full(d) for d in res.diagnostics]


@pytest.mark.parametrize("directory", PACKAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_declarations_memo_after_nullable_fixes_gives_a_fresh_checks_diagnostics(directory: Path) -> None:
    """``BodyMemo(deps=True)`` (migrate's): after the ``?`` of every nil-flow finding are added to
    the declarations (what an inference round does), the re-check equals a fresh one."""
    from transpiler.check import run
    from transpiler.diagnostics.fix import apply_file_edits
    from transpiler.migrate.infer import nullable_fixes
    from transpiler.stubs.config import module_config

    texts = {str(p): p.read_text() for p in sorted(directory.glob("*.tgo"))}
    memo = BodyMemo(deps=True)
    for _round in range(3):
        config = module_config(str(directory))
        results = [(parse_source(t.encode(), p), p) for p, t in sorted(texts.items())]
        res, _pc, _infos = run.check_package(results, config.stub_paths, None, None, bodies=memo)
        assert [_full(d) for d in res.diagnostics] == _check(directory, texts, None)
        edits = nullable_fixes(res.diagnostics, set(texts), zero_fields=True)
        if not edits:
            break
        texts.update(apply_file_edits(texts, edits))


def test_declarations_memo_checks_again_only_the_bodies_that_name_a_changed_declaration(tmp_path: Path) -> None:

    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    path = str(tmp_path / "a.tgo")
    text = ("package m\n\ntype T struct {\n\tnext *T\n\tname string\n}\n\n"
            "func g(t *T) *T {\n\treturn t.next\n}\n\n"
            "func callsG(t *T) *T {\n\treturn g(t)\n}\n\n"
            "func usesNext(t *T) *T {\n\treturn t.next\n}\n\n"
            "func usesName(t *T) string {\n\treturn t.name\n}\n\n"
            "func makesT() T {\n\treturn T{name: \"x\"}\n}\n\n"
            "func other(n int) int {\n\treturn n + 1\n}\n")
    memo = BodyMemo(deps=True)
    assert _check(tmp_path, {path: text}, memo) == _check(tmp_path, {path: text}, None)
    assert (memo.reused, memo.checked) == (0, 6)
    # g's parameter nullable: g's body and its caller's are checked again, the others kept
    edited = text.replace("func g(t *T)", "func g(t ?*T)")
    got = _check(tmp_path, {path: edited}, memo)
    assert got == _check(tmp_path, {path: edited}, None)
    assert [d[6] for d in got] == ["nil-deref", "nil-init"]  # (t.next; the literal leaves next out)
    # (makesT is kept too: its finding's fix, ? on the field, is put where the field's text is)
    assert (memo.reused, memo.checked, memo.unmovable) == (4, 2, 0)
    # the field next nullable: the bodies naming it, and the literal of T (its omitted fields)
    edited = edited.replace("\tnext *T", "\tnext ?*T")
    got = _check(tmp_path, {path: edited}, memo)
    assert got == _check(tmp_path, {path: edited}, None)
    assert [d[6] for d in got] == ["nil-assign", "nil-deref", "nil-assign"]  # (returning t.next, twice)
    assert (memo.reused, memo.checked) == (3, 3)
    # a declaration no body names, added above everything: every body kept, every finding
    # and fix (those editing the fields and signatures too) moved down with the text
    edited = edited.replace("package m\n", "package m\n\nvar unrelated = 1\n")
    got = _check(tmp_path, {path: edited}, memo)
    assert got == _check(tmp_path, {path: edited}, None)
    assert (memo.reused, memo.checked) == (6, 1)  # (the new declaration's own check)
    # checked again with nothing changed: the package-level declaration is kept too
    assert _check(tmp_path, {path: edited}, memo) == got
    assert (memo.reused, memo.checked) == (7, 0)


def test_declarations_memo_checks_again_only_the_bodies_whose_check_selected_a_changed_member(tmp_path: Path) -> None:
    """A body depends on the fields and methods its check selected (recorded by the member
    lookups), not on every member named like a selector in its text: a field of one type
    made nullable re-checks the bodies that select that type's field, not those selecting a
    field of the same name on another type (nor on an imported type, nor through an
    interface whose method is named like the changed method), and the result is a full check's."""
    text = ("package m\n\nimport \"reflect\"\n\n"
            "type A struct {\n\tnext *A\n}\n\ntype B struct {\n\tnext *B\n\ta    *A\n}\n\n"
            "type Stepper interface {\n\tType() *A\n}\n\n"
            "func (b *B) Type() *A {\n\treturn b.a\n}\n\n"
            "func a(x *A) *A {\n\treturn x.next.next\n}\n\n"
            "func b(x *B) *B {\n\treturn x.next.next\n}\n\n"
            "func viaB(x *B) *A {\n\treturn x.Type().next\n}\n\n"
            "func viaStepper(s Stepper) *A {\n\treturn s.Type()\n}\n\n"
            "func kinds(v reflect.Value) reflect.Type {\n\treturn v.Type()\n}\n")
    # B.next nullable; then (*B).Type's result too
    edited = text.replace("\tnext *B", "\tnext ?*B")
    both = edited.replace("func (b *B) Type() *A", "func (b *B) Type() ?*A")
    assert _memo_steps(tmp_path, [text, edited, both]) == [
        ([], 0, 6),
        # b is checked again (B's field, selected twice); a (A.next) is kept
        (["nil-assign", "nil-deref"], 5, 1),
        # Type's own body and viaB (which selects it on a *B) are checked again; viaStepper
        # (the interface's Type) and kinds (reflect.Value's) are kept
        (["nil-assign", "nil-deref", "nil-deref"], 4, 2),  # (x.Type().next in viaB)
    ]


def _memo_steps(directory: Path, texts: list[str]) -> list[tuple[list[object], int, int]]:
    """The package of one file checked with one ``BodyMemo(deps=True)`` as each of ``texts``
    in turn, each check equal to a full one: per text, its findings' codes, and the bodies
    the memo reused and checked."""
    (directory / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    path = str(directory / "a.tgo")
    memo = BodyMemo(deps=True)
    out: list[tuple[list[object], int, int]] = []
    for text in texts:
        got = _check(directory, {path: text}, memo)
        assert got == _check(directory, {path: text}, None)
        out.append(([d[6] for d in got], memo.reused, memo.checked))
    return out


_IGNORED = "\t//tgo:ignore[nil-deref] // tgo migrate: unproven\n"


def test_declarations_memo_reuses_a_body_whose_text_differs_only_in_ignore_lines(tmp_path: Path) -> None:
    """A body whose text differs from a kept one only in whole lines holding a ``//tgo:ignore``
    comment (what settling a migration adds) has the same tokens: its kept check is reused,
    its findings moved to their lines (the ignore only filters them), the same as a full check."""
    text = ("package m\n\ntype T struct {\n\tn int\n}\n\n"
            "func f(m map[string]*T, k string) int {\n\ta := m[k].n\n\tb := m[k].n\n\treturn a + b\n}\n\n"
            "func g(m map[string]*T) int {\n\treturn m[\"x\"].n\n}\n\n"
            "func e() error {\n\treturn nil\n}\n\nfunc drops() {\n\te()\n}\n")
    second = text.replace("\tb := m[k].n\n", _IGNORED + "\tb := m[k].n\n")
    both = second.replace("\ta := m[k].n\n", _IGNORED + "\ta := m[k].n\n").replace(
        "\treturn m[\"x\"]", _IGNORED + "\treturn m[\"x\"]").replace(
        "\te()\n", _IGNORED + "\te()\n")
    steps = _memo_steps(tmp_path, [text, second, both, text, second])
    # (f's text has a line more: kept, its second finding moved down; drops' finding too, below
    # an ignore line of another code, with its fix, an ignore line above it: where a full
    # check puts it, below the one added)
    dropped = ["nil-deref", "nil-deref", "nil-deref", "unchecked-error"]
    assert steps == [(dropped, 0, 4), (dropped[1:], 4, 0), (["unused-ignore", "unchecked-error"], 4, 0),
                     (dropped, 4, 0), (dropped[1:], 4, 0)]


def test_declarations_memo_checks_again_a_body_whose_ignore_like_line_is_no_comment(tmp_path: Path) -> None:
    """A line reading like an ignore comment inside a raw string is the string's text, not a
    comment: the body is checked again (its tokens changed)."""
    text = ("package m\n\nfunc f(p *int) (string, int) {\n\ts := `a\n`\n\treturn s, *p\n}\n")
    inside = text.replace("`a\n`", "`a\n//tgo:ignore[nil-deref]\n`")
    assert [(r, c) for _codes, r, c in _memo_steps(tmp_path, [text, inside])] == [(0, 1), (0, 1)]


def test_declarations_memo_checks_again_a_body_whose_finding_spans_a_new_ignore_line(tmp_path: Path) -> None:
    """A finding whose span holds the added ignore line quotes a text that now holds it: the body
    is checked again (a kept message would quote the old text), the same as a full check."""
    text = ("package m\n\ntype T struct {\n\tn int\n}\n\n"
            "func f(m map[string]*T) int {\n\treturn m[\n\t\t\"k\"].n\n}\n")
    inside = text.replace("\treturn m[\n", "\treturn m[\n" + _IGNORED)
    steps = _memo_steps(tmp_path, [text, inside])
    assert [(r, c) for _codes, r, c in steps] == [(0, 1), (0, 1)]
    assert steps[1][0][0] == "nil-deref"


def test_declarations_memo_reaches_nothing_by_the_words_of_comments(tmp_path: Path) -> None:
    """The words of comments (in a body, or in a declaration it reaches) name nothing the check
    resolves: a body whose comment, or the comment of a variable it names, mentions a
    function is kept when that function changes; one calling it is checked again (and each
    check equals a full one)."""
    text = ("package m\n\nvar (\n\t// what g gives without a value\n\tdef = 1\n)\n\n"
            "func g(p *int) int {\n\treturn *p\n}\n\n"
            "func usesDef() int {\n\t// not g\n\treturn def\n}\n\n"
            "func callsG() int {\n\treturn g(nil)\n}\n")
    steps = _memo_steps(tmp_path, [text, text.replace("func g(p *int)", "func g(p ?*int)")])
    assert steps == [(["nil-assign"], 0, 4), (["nil-deref"], 2, 2)]  # (def, usesDef kept; g and callsG checked)
