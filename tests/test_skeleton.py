"""Kept trees loaded as skeletons (``syntax/skeleton.py``, ``stubs/parsed.py``, ``check/snapshot.py``):
after an edit inside one function the other files are only declared, their bodies read only
when a check or the lowering needs them; the result is always the cold check's."""

from __future__ import annotations

import marshal
from collections.abc import Mapping
from pathlib import Path

import pytest
from test_bodies_kept import _same_as_cold as same_as_cold
from test_bodies_kept import _write
from tgorun import pure_python

from transpiler import caches
from transpiler.check import check_files
from transpiler.check.result import CheckResult, GoOutcome, GoStarted
from transpiler.stubs import parsed
from transpiler.syntax import ast, flat, parse_source, skeleton

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(REPO / "tests" / "checker" / "fixtures").rglob("*.tgo"), *(REPO / "examples").rglob("*.tgo")])


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))


def test_a_skeleton_keeps_every_body_that_may_stop_and_grafts_back_to_the_tree() -> None:
    left_out = 0
    for path in SOURCES:
        result = parse_source(path.read_bytes(), str(path))
        if result.tree is None or result.diagnostics:
            continue
        tree = result.tree
        before = flat.flatten(tree)
        bones, where, bodies = skeleton.split(tree)
        assert flat.flatten(tree) == before  # (the tree is not changed)
        for i, (d, original) in enumerate(zip(bones.decls, tree.decls, strict=True)):
            if i in where:  # (a body noreturn never reads, left out: an empty block in its place)
                assert isinstance(original, ast.FuncDecl) and original.body is not None
                assert not skeleton.ends(original.body.list, None)
                assert isinstance(d, ast.FuncDecl) and d.body is not None and not d.body.list
                assert (d.body.pos, d.body.end) == (original.body.pos, original.body.end)
            else:
                assert d is original
        left_out += len(where)
        skeleton.graft(bones, where, bodies)
        assert flat.flatten(bones) == before
    assert left_out > 100


def _go_check(paths: list[str], pc: object, infos: list[object], prior: Mapping[str, str],
              early: bool) -> GoStarted | None:
    """A Go check that only lowers (what ``gotypes.check`` lowers: the files not in ``prior``; the
    others keep their lowerings), before the bodies are checked where it can."""
    from transpiler.lower.edits import LowerError
    from transpiler.lower.lowering import lower_checked, lower_declared_files

    todo = [fi for fi in infos if fi.is_tgo and fi.result.source.name not in prior]  # type: ignore[attr-defined]
    try:
        if early:
            files = lower_declared_files(pc, todo)  # type: ignore[arg-type]
            if files is None:
                return None
            return GoStarted.done(GoOutcome(lowered={**prior, **{p: f.text for p, f in files.items()}}))
        return GoStarted.done(GoOutcome(lowered={**prior, **lower_checked(pc, todo, format=False)}))  # type: ignore[arg-type]
    except LowerError:
        return None if early else GoStarted.done(GoOutcome())


def _same_as_cold(paths: list[str]) -> CheckResult:
    return same_as_cold(paths, [], _go_check)


def _completed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files whose skeletons are completed from now on."""
    seen: list[str] = []
    real = parsed.parse_skeleton

    def spy(path: str, data: bytes) -> object:
        result, rest = real(path, data)
        if rest is None:
            return result, rest

        def complete() -> bool:
            seen.append(Path(path).name)
            return rest()

        return result, complete

    monkeypatch.setattr(parsed, "parse_skeleton", spy)
    return seen


A = """package p

func find() ?*int { return nil }

func first() int {
	p := find()
	if p == nil {
		fail("none")
	}
	return *p
}

func second() int {
	x := 1
	return x
}
"""

B = """package p

func fail(why string) {
	println(why)
	panic(why)
}

func third() int {
	q := find()
	return *q
}

func fourth() int {
	return second() + 1
}
"""


@pure_python
def test_an_edit_inside_one_body_only_declares_the_other_files(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _write(tmp_path, {"a.tgo": A, "b.tgo": B})
    check_files(paths, stub_paths=[], go_check=_go_check)
    seen = _completed(monkeypatch)
    (tmp_path / "a.tgo").write_text(A.replace("x := 1", "x := 2"))
    got = _same_as_cold(paths)
    assert seen == []  # b's bodies not read by the check after the edit
    # fail (kept in b's skeleton: its body ends in a call) still never returns: no nil-deref in first
    assert [(Path(d.file).name, d.line, d.code) for d in got.diagnostics] == [("b.tgo", 10, "nil-deref")]


@pure_python
def test_a_changed_signature_reads_the_other_files_bodies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _write(tmp_path, {"a.tgo": A, "b.tgo": B})
    check_files(paths, stub_paths=[], go_check=_go_check)
    seen = _completed(monkeypatch)
    (tmp_path / "a.tgo").write_text(A.replace("func find() ?*int", "func find() *int"))
    got = _same_as_cold(paths)
    assert "b.tgo" in seen
    # (b's bodies checked again: find no longer returns nil)
    assert "nil-deref" not in [d.code for d in got.diagnostics]


@pure_python
def test_a_function_that_stops_no_more_reads_the_other_files_bodies(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    b = B.replace("func fourth() int {\n\treturn second() + 1\n}", "func fourth() int {\n\tp := find()\n\tif p == nil {\n\t\tstop()\n\t}\n\treturn *p\n}")
    a = A + "\nfunc stop() {\n\tpanic(1)\n}\n"
    paths = _write(tmp_path, {"a.tgo": a, "b.tgo": b})
    check_files(paths, stub_paths=[], go_check=_go_check)
    seen = _completed(monkeypatch)
    (tmp_path / "a.tgo").write_text(a.replace("\tpanic(1)\n", "\tprintln(1)\n"))  # (a body edit: stop returns now)
    got = _same_as_cold(paths)
    assert "b.tgo" in seen  # (b's results were for other functions that stop)
    assert ("b.tgo", 18, "nil-deref") in [(Path(d.file).name, d.line, d.code) for d in got.diagnostics]


@pure_python
def test_a_union_lowered_reads_every_files_bodies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the union's marker method avoids every identifier of the package, in bodies too
    a = "package p\n\ntype Shape union {\n\tCircle{R float64}\n\tSquare{S float64}\n}\n\nfunc area() int {\n\treturn 1\n}\n"
    b = "package p\n\nfunc other() int {\n\tisShape := 2\n\treturn isShape\n}\n"
    paths = _write(tmp_path, {"a.tgo": a, "b.tgo": b})
    cold = check_files(paths, stub_paths=[], go_check=_go_check)
    lowered_a = cold.files[paths[0]].lowered
    assert lowered_a is not None and "isShape2" in lowered_a
    seen = _completed(monkeypatch)
    (tmp_path / "a.tgo").write_text(a.replace("return 1", "return 2"))
    got = _same_as_cold(paths)
    assert "b.tgo" in seen
    lowered = got.files[paths[0]].lowered
    assert lowered is not None and "isShape2" in lowered


@pure_python
def test_bodies_that_do_not_fit_their_skeleton_parse_every_file_again(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _write(tmp_path, {"a.tgo": A, "b.tgo": B})
    check_files(paths, stub_paths=[], go_check=_go_check)
    data = (tmp_path / "b.tgo").read_bytes()
    entry = Path(parsed._entry_path(parsed.key(paths[1], data), "files"))
    raw = caches.read_entry(str(entry))
    assert raw is not None
    fmt, names, text, shape, values, where, rest = marshal.loads(raw)
    # sealed as tgo seals, but bodies at other offsets: the skeleton is declared, then unfit
    bshape, bvalues = marshal.loads(rest)
    damaged = marshal.dumps((fmt, names, text, shape, values, where, marshal.dumps((bshape, [v + 1 if isinstance(v, int) and v > 5 else v for v in bvalues]))))
    caches.write_entry(str(entry), damaged)
    seen = _completed(monkeypatch)
    (tmp_path / "a.tgo").write_text(A.replace("func find() ?*int", "func find() *int"))  # (b's bodies are read)
    _same_as_cold(paths)
    assert "b.tgo" in seen
    assert caches.read_entry(str(entry)) != damaged  # (written again)
