"""Function bodies kept on disk between command-line checks (check/cache.py's bodies entry,
bodies.BodyMemo export/restore): after an edit inside one function only that function is
checked again, and an edit of anything a body depends on checks it again; the result is
always the cold check's, byte for byte."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from tgorun import pure_python

from transpiler.check import check_files
from transpiler.check.result import CheckResult, GoOutcome, GoStarted
from transpiler.diagnostics import format_json, format_text
from transpiler.syntax import ast, parse_source

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "checker" / "fixtures"
PACKAGES = sorted({p.parent for p in FIXTURES.rglob("*.tgo")} | {p.parent for p in (REPO / "examples").rglob("*.tgo")})


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))


def _checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the declarations whose bodies are checked from now on."""
    from transpiler.check import flowcheck

    seen: list[str] = []
    real = flowcheck._decl_body

    def spy(pc: object, fi: object, decl: ast.Decl) -> None:
        if isinstance(decl, ast.FuncDecl):
            seen.append(decl.name.name)
        real(pc, fi, decl)  # type: ignore[arg-type]

    monkeypatch.setattr(flowcheck, "_decl_body", spy)
    return seen


def _lowering(paths: list[str], pc: object, infos: list[object], prior: Mapping[str, str],
              early: bool) -> GoStarted | None:
    """A Go check that only lowers (what ``gotypes.check`` lowers: the files not in ``prior``),
    once the bodies are checked."""
    from transpiler.lower.edits import LowerError
    from transpiler.lower.lowering import lower_checked

    if early:
        return None
    todo = [fi for fi in infos if fi.is_tgo and fi.result.source.name not in prior]  # type: ignore[attr-defined]
    try:
        return GoStarted.done(GoOutcome(lowered=lower_checked(pc, todo, format=False)))  # type: ignore[arg-type]
    except LowerError:
        return GoStarted.done(GoOutcome())  # (as gotypes.check: the checker reported why)


def _same_as_cold(paths: list[str], stub_paths: list[str] | None = None,
                  go_check: Callable[..., GoStarted | None] | None = None) -> CheckResult:
    """The check through the kept entries, asserted equal to a check with no cache."""
    got = check_files(paths, stub_paths=stub_paths, go_check=go_check)
    cold = check_files(paths, stub_paths=stub_paths, use_cache=False, go_check=go_check)
    assert format_text(got.diagnostics) == format_text(cold.diagnostics)
    assert format_json(got.diagnostics) == format_json(cold.diagnostics)
    assert (got.typed, got.untyped) == (cold.typed, cold.untyped)
    for p, fr in got.files.items():
        if p in cold.files:
            assert fr.lowered == cold.files[p].lowered
    return got


def _write(tmp_path: Path, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return sorted(str(p) for p in tmp_path.glob("*.tgo"))


# ------------------------------------------------------------------ reuse


A = """package p

func find() ?*int { return nil }

func first() int {
	p := find()
	return *p
}

func second() int {
	x := 1
	return x
}

func third() int {
	q := find()
	return *q
}
"""


@pure_python
def test_an_edit_inside_one_body_checks_that_body_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _write(tmp_path, {"a.tgo": A, "b.tgo": "package p\n\nfunc other() int {\n\treturn second()\n}\n"})
    check_files(paths, stub_paths=[])
    seen = _checked(monkeypatch)
    (tmp_path / "a.tgo").write_text(A.replace("x := 1", "x := 2\n\t_ = x"))
    result = check_files(paths, stub_paths=[])
    assert seen == ["second"]  # not find, first, third (kept), nor other (its file's entry)
    # the kept diagnostics moved down with their bodies
    assert [(d.line, d.code) for d in result.diagnostics] == [(7, "nil-deref"), (18, "nil-deref")]
    assert format_text(_same_as_cold(paths, []).diagnostics) == format_text(result.diagnostics)


@pure_python
def test_a_damaged_bodies_entry_is_a_miss_and_written_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _write(tmp_path, {"a.tgo": A})
    check_files(paths, stub_paths=[])
    from transpiler.check import cache

    entry = Path(tmp_path / "cache" / "check" / (cache.bodies_key(str(tmp_path), [], "") + ".json"))
    raw = entry.read_bytes()
    entry.write_bytes(raw[:-5] + b"XXXXX")  # (the seal no longer matches)
    seen = _checked(monkeypatch)
    (tmp_path / "a.tgo").write_text(A.replace("x := 1", "x := 2"))
    _same_as_cold(paths, [])
    assert sorted(seen[:4]) == ["find", "first", "second", "third"]  # nothing reused
    assert entry.read_bytes() != raw[:-5] + b"XXXXX"
    seen.clear()
    (tmp_path / "a.tgo").write_text(A.replace("x := 1", "x := 3"))
    check_files(paths, stub_paths=[])
    assert seen == ["second"]  # written again: reused


# ------------------------------------------------------------------ invalidation
# Each edit below changes what a body's check gives while leaving the body's text as it was:
# a kept body reused across it would give the old diagnostics.


def _edit_keeps_no_stale_body(tmp_path: Path, before: dict[str, str], after: dict[str, str],
                              stub_paths: list[str] | None = None) -> tuple[str, str]:
    """Check ``before``, change the files as ``after`` says, check again: the result is a cold
    check's, and differs from the first (so a stale body would have shown). Both results."""
    paths = _write(tmp_path, before)
    first = format_text(check_files(paths, stub_paths=stub_paths or []).diagnostics)
    for name, text in after.items():
        (tmp_path / name).write_text(text)
    second = format_text(_same_as_cold(paths, stub_paths or []).diagnostics)
    assert first != second
    return first, second


USE = """
func use() int {
	return *get()
}
"""


def test_a_changed_signature_checks_the_bodies_again(tmp_path: Path) -> None:
    src = "package p\n\nfunc get() *int { return new(int) }\n" + USE
    _edit_keeps_no_stale_body(tmp_path, {"a.tgo": src},
                              {"a.tgo": src.replace("func get() *int", "func get() ?*int")})


def test_a_changed_declaration_in_another_file_checks_the_bodies_again(tmp_path: Path) -> None:
    decl = "package p\n\nfunc get() *int { return new(int) }\n"
    _edit_keeps_no_stale_body(tmp_path, {"a.tgo": "package p\n" + USE, "b.tgo": decl},
                              {"b.tgo": decl.replace("func get() *int", "func get() ?*int")})


def test_a_changed_type_checks_the_bodies_again(tmp_path: Path) -> None:
    src = "package p\n\ntype T struct {\n\tp *int\n}\n\nfunc use(t T) int {\n\treturn *t.p\n}\n"
    _edit_keeps_no_stale_body(tmp_path, {"a.tgo": src}, {"a.tgo": src.replace("\tp *int", "\tp ?*int")})


def test_a_changed_const_checks_the_bodies_again(tmp_path: Path) -> None:
    src = "package p\n\ntype Color enum {\n\tRed\n\tGreen\n}\n\nconst k = 1\n\nfunc f() Color {\n\treturn Color(k)\n}\n"
    _first, second = _edit_keeps_no_stale_body(tmp_path, {"a.tgo": src},
                                              {"a.tgo": src.replace("const k = 1", "const k = 5")})
    assert "5 is not a member of enum Color" in second


def test_a_changed_enum_checks_the_bodies_again(tmp_path: Path) -> None:
    src = """package p

type Color enum {
	Red
	Green
}

func name(c Color) string {
	switch c {
	case Red:
		return "red"
	case Green:
		return "green"
	}
	return ""
}
"""
    first, second = _edit_keeps_no_stale_body(tmp_path, {"a.tgo": src},
                                              {"a.tgo": src.replace("\tGreen\n}", "\tGreen\n\tBlue\n}")})
    assert "Blue" in second and "Blue" not in first


def test_a_changed_import_checks_the_bodies_again(tmp_path: Path) -> None:
    stubs = tmp_path / "stubs" / "example.com"
    for name, result in (("sure", "*int"), ("maybe", "?*int")):
        (stubs / name).mkdir(parents=True)
        (stubs / name / "lib.tgoi").write_text(f"//tgo:strict\npackage lib\n\nfunc Get() {result}\n")
    src = 'package p\n\nimport "example.com/sure"\n\nfunc use() int {\n\treturn *lib.Get()\n}\n'
    _edit_keeps_no_stale_body(tmp_path, {"a.tgo": src},
                              {"a.tgo": src.replace('"example.com/sure"', '"example.com/maybe"')},
                              [str(tmp_path / "stubs")])


def test_a_changed_stub_checks_the_bodies_again(tmp_path: Path) -> None:
    stubs = tmp_path / "stubs" / "example.com" / "lib"
    stubs.mkdir(parents=True)
    stub = stubs / "lib.tgoi"
    stub.write_text("//tgo:strict\npackage lib\n\nfunc Get() *int\n")
    src = ('package p\n\nimport "example.com/lib"\n\nfunc use() int {\n\treturn *lib.Get()\n}\n\n'
           "func other() int {\n\treturn 1\n}\n")
    paths = _write(tmp_path, {"a.tgo": src})
    stub_paths = [str(tmp_path / "stubs")]
    assert check_files(paths, stub_paths=stub_paths).diagnostics == []
    stub.write_text("//tgo:strict\npackage lib\n\nfunc Get() ?*int\n")
    # the package's own text changes too (its entry and its file's miss): only the kept bodies
    # could still say the old stub's
    (tmp_path / "a.tgo").write_text(src.replace("return 1", "return 2"))
    assert [d.code for d in _same_as_cold(paths, stub_paths).diagnostics] == ["nil-deref"]


def test_a_body_that_no_longer_stops_checks_its_callers_again(tmp_path: Path) -> None:
    src = ('package p\n\nimport "os"\n\nfunc fail() {\n\tos.Exit(1)\n}\n\nfunc find() ?*int { return nil }\n\n'
           "func use() int {\n\tp := find()\n\tif p == nil {\n\t\tfail()\n\t}\n\treturn *p\n}\n")
    _edit_keeps_no_stale_body(tmp_path, {"a.tgo": src}, {"a.tgo": src.replace("os.Exit(1)", "os.Getpid()")})


def test_a_changed_strictness_checks_the_bodies_again(tmp_path: Path) -> None:
    src = "package p\n\nfunc get() ?*int { return nil }\n" + USE
    _edit_keeps_no_stale_body(tmp_path, {"a.tgo": src}, {"a.tgo": "//tgo:oblivious\n" + src})


TRY = """package p

import "strconv"

func parse(s string) (int, error) {
	n := strconv.Atoi(s)?
	return n, nil
}

func other() int {
	return 1
}
"""


@pure_python
def test_a_body_the_lowering_reads_is_checked_again_when_the_package_is_lowered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _write(tmp_path, {"a.tgo": TRY})
    check_files(paths, stub_paths=[], go_check=_lowering)
    seen = _checked(monkeypatch)
    (tmp_path / "a.tgo").write_text(TRY.replace("return 1", "return 2"))
    result = _same_as_cold(paths, [], _lowering)
    assert seen[:2] == ["parse", "other"]  # (parse: its ? is lowered from what its check recorded)
    assert "if err != nil" in (result.files[paths[0]].lowered or "")
    # without the lowering, its kept diagnostics serve
    check_files(paths, stub_paths=[])
    seen.clear()
    (tmp_path / "a.tgo").write_text(TRY.replace("return 1", "return 3"))
    check_files(paths, stub_paths=[])
    assert seen == ["other"]


# ------------------------------------------------------------------ the examples and fixtures


def _bodies(text: str, name: str) -> list[ast.FuncDecl]:
    tree = parse_source(text.encode(), name).tree
    return [] if tree is None else [d for d in tree.decls if isinstance(d, ast.FuncDecl) and d.body is not None]


@pytest.mark.parametrize("directory", PACKAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_checks_after_edits_give_the_cold_checks_result(tmp_path: Path, directory: Path) -> None:
    """Every example and fixture package, copied: after each of several edits (inside the first
    body, inside the last, of a signature), the check through the kept entries gives what a
    check without any cache gives (diagnostics in text and JSON, counts, the lowering)."""
    from transpiler.check.files import package_files

    copy = tmp_path / "pkg"
    copy.mkdir()
    for p in directory.iterdir():
        if p.is_file():
            (copy / p.name).write_bytes(p.read_bytes())
    paths = package_files(str(copy))
    if not paths:
        pytest.skip("no files")
    _same_as_cold(paths, [], _lowering)
    files = [p for p in paths if p.endswith(".tgo") and _bodies(Path(p).read_text(), p)]
    if not files:
        pytest.skip("no function bodies")
    path = Path(files[0])
    for which in ("first", "last", "signature"):
        text = path.read_text()
        funcs = _bodies(text, str(path))
        func = funcs[0] if which == "first" else funcs[-1]
        if which == "signature":
            at = func.type.params.pos + 1
            text = text[:at] + "edited__ int, " + text[at:]
        else:
            at = func.body.pos + 1
            text = text[:at] + "\n\t_ = 0 // edited\n" + text[at:]
        path.write_text(text)
        _same_as_cold(paths, [], _lowering)
        _same_as_cold(paths, [])
