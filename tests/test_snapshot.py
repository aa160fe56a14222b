"""Sessions and snapshots (check/snapshot.py): unsaved buffers, reuse, and invalidation on change."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from transpiler.check.snapshot import Session
from transpiler.fs import DISK, RecordingFS

USE = 'package app\n\nimport "example.com/lib"\n\nfunc use() int {\n\treturn *lib.Get()\n}\n'
SAFE = "//tgo:strict\npackage lib\n\nfunc Get() *int\n"
NULLABLE = "//tgo:strict\npackage lib\n\nfunc Get() ?*int\n"


def _module(tmp_path: Path, stub: str = SAFE) -> Path:
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.22\n")
    (tmp_path / "tgo.toml").write_text('stub_paths = ["stubs"]\n')
    lib = tmp_path / "stubs" / "example.com" / "lib"
    lib.mkdir(parents=True)
    (lib / "lib.tgoi").write_text(stub)
    app = tmp_path / "app"
    app.mkdir()
    return app


def _codes(res: object) -> list[tuple[str, int, str]]:
    from transpiler.check.result import CheckResult

    assert isinstance(res, CheckResult)
    return [(os.path.basename(d.file), d.line, d.code) for d in res.diagnostics]


def test_unsaved_buffers_are_checked_without_reading_the_package_from_disk(tmp_path: Path) -> None:
    app = _module(tmp_path, NULLABLE)
    # on disk: a.tgo is fine; in the editor it dereferences a nullable pointer, and
    # new.tgo exists only in the editor
    (app / "a.tgo").write_text("package app\n\nfunc fine() int {\n\treturn 1\n}\n")
    disk = RecordingFS(DISK)
    session = Session(disk)
    session.did_change(str(app / "a.tgo"), USE)
    snap = session.snapshot({str(app / "new.tgo"): "package app\n\nfunc more() int {\n\treturn use() + fine2()\n}\n"
                                                   "\nfunc fine2() int {\n\treturn 2\n}\n"})
    checked = snap.check_package(str(app))
    assert _codes(checked.result) == [("a.tgo", 6, "nil-deref")]
    assert [os.path.basename(r.source.name) for r in checked.parsed] == ["a.tgo", "new.tgo"]
    assert checked.checker is not None and {"use", "more", "fine2"} <= set(checked.checker.pkg.scope.names)
    assert "fine" not in checked.checker.pkg.scope.names  # (the disk's a.tgo was not read)
    package_reads = [p for p in disk.reads if os.path.dirname(p) == str(app)]
    assert package_reads == []
    assert str(tmp_path / "stubs" / "example.com" / "lib" / "lib.tgoi") in disk.reads  # (the stub was)
    # the same snapshot state again: the kept result, nothing checked again
    assert session.snapshot({str(app / "new.tgo"): checked.parsed[1].source.text}).check_package(str(app)) is checked
    # the buffer closed: the disk's file again
    session.did_change(str(app / "a.tgo"), None)
    again = session.snapshot().check_package(str(app))
    assert _codes(again.result) == []
    assert again.checker is not None and "fine" in again.checker.pkg.scope.names


def test_a_changed_stub_is_seen_by_the_next_snapshot(tmp_path: Path) -> None:
    app = _module(tmp_path)
    (app / "a.tgo").write_text(USE)
    stub = tmp_path / "stubs" / "example.com" / "lib" / "lib.tgoi"
    session = Session()
    first = session.snapshot().check_package(str(app))
    assert _codes(first.result) == []
    assert session.snapshot().check_package(str(app)) is first  # unchanged: kept
    stub.write_text(NULLABLE)  # (not announced: seen by its contents)
    assert _codes(session.snapshot().check_package(str(app)).result) == [("a.tgo", 6, "nil-deref")]
    # and through check_files, the path tgo check takes (no disk cache: the session's own)
    files = [str(app / "a.tgo")]
    assert _codes(session.snapshot().check_files(files, use_cache=False)) == [("a.tgo", 6, "nil-deref")]
    stub.write_text(SAFE)
    assert _codes(session.snapshot().check_files(files, use_cache=False)) == []
    # an unsaved stub buffer is a change too
    session.did_change(str(stub), NULLABLE)
    assert _codes(session.snapshot().check_files(files, use_cache=False)) == [("a.tgo", 6, "nil-deref")]


def test_a_changed_configuration_is_seen(tmp_path: Path) -> None:
    app = _module(tmp_path, NULLABLE)
    (app / "a.tgo").write_text(USE)
    session = Session()
    assert _codes(session.snapshot().check_package(str(app)).result) == [("a.tgo", 6, "nil-deref")]
    (tmp_path / "tgo.toml").write_text('oblivious = ["app/..."]\nstub_paths = ["stubs"]\n')
    assert _codes(session.snapshot().check_package(str(app)).result) == []
    (tmp_path / "tgo.toml").write_text("")  # no stub path: the import cannot be found
    assert [c for _f, _l, c in _codes(session.snapshot().check_package(str(app)).result)] in ([], ["go"])
    (tmp_path / "tgo.toml").write_text('stub_paths = ["stubs"]\n')
    assert _codes(session.snapshot().check_package(str(app)).result) == [("a.tgo", 6, "nil-deref")]


def test_the_disk_cache_sees_a_stub_changed_in_a_long_running_process(tmp_path: Path) -> None:
    # check/cache.py remembers which dependency records are still valid; a stub edited
    # later in the same process must not be answered from that memory
    from transpiler.check.driver import check_files

    app = _module(tmp_path)
    (app / "a.tgo").write_text(USE)
    stub = tmp_path / "stubs" / "example.com" / "lib" / "lib.tgoi"
    files = [str(app / "a.tgo")]
    assert _codes(check_files(files)) == []
    assert _codes(check_files(files)) == []  # (from the cache)
    stub.write_text(NULLABLE)
    assert _codes(check_files(files)) == [("a.tgo", 6, "nil-deref")]
    stub.write_text(SAFE)
    assert _codes(check_files(files)) == []


def test_an_unsaved_edit_is_answered_from_the_recorded_information(tmp_path: Path) -> None:
    """Issue 11: a package with an edit held only in memory; the type and the definition of an
    identifier in the edited text are read from the checker's recorded Info, and no file of the
    package is read from disk."""
    app = _module(tmp_path, NULLABLE)
    (app / "a.tgo").write_text("package app\n\nfunc fine() int {\n\treturn 1\n}\n")
    (app / "b.tgo").write_text("package app\n\ntype User struct{ Name string }\n")
    disk = RecordingFS(DISK)
    session = Session(disk)
    edited = ("package app\n\nimport \"example.com/lib\"\n\nfunc find() ?*User {\n\treturn nil\n}\n\n"
              "func use() int {\n\tu := find()\n\tif u != nil {\n\t\t_ = u.Name\n\t}\n\tp := lib.Get()\n"
              "\tif p == nil {\n\t\treturn 0\n\t}\n\treturn *p\n}\n")
    session.did_change(str(app / "a.tgo"), edited)
    checked = session.snapshot().check_package(str(app))
    assert _codes(checked.result) == []
    assert checked.checker is not None
    info = checked.checker.info
    a = str(app / "a.tgo")
    use_u = edited.index("u.Name")
    ident = info.ident_at(a, use_u)
    assert ident is not None and ident.name == "u"
    typ = info.type_of(ident)
    assert typ is not None and str(typ) == "?*User"
    where = info.definition(ident)
    assert where is not None and where.file == a and edited[where.start:where.end] == "u"
    assert where.start == edited.index("u := find()")
    # a field: its definition is in the file on disk (b.tgo), its type string
    name = info.ident_at(a, use_u + 2)
    assert name is not None and name.name == "Name"
    field = info.definition(name)
    assert field is not None and os.path.basename(field.file) == "b.tgo"
    assert str(info.type_of(name)) == "string"
    # the call's result type comes from the stub
    p = info.ident_at(a, edited.index("*p") + 1)
    assert p is not None and str(info.type_of(p)) == "?*int"
    assert [r for r in disk.reads if r == a] == []  # the buffer, never the disk's a.tgo


def test_types_are_answered_in_the_rest_of_a_file_with_a_syntax_error(tmp_path: Path) -> None:
    """Issue 11 item 4: a typo in one function (an unsaved buffer) leaves a partial tree; the
    other functions of the file are checked and their identifiers' types and definitions are
    read from the recorded information, as a hover would."""
    app = _module(tmp_path, NULLABLE)
    (app / "b.tgo").write_text("package app\n\ntype User struct{ Name string }\n")
    broken = ("package app\n\nfunc typo() int {\n\treturn len(\"x\"\n}\n\n"
              "func find() ?*User {\n\treturn nil\n}\n\n"
              "func greet() string {\n\tu := find()\n\treturn u.Name\n}\n")
    a = str(app / "a.tgo")
    session = Session()
    session.did_change(a, broken)
    checked = session.snapshot().check_package(str(app))
    # the typo is one syntax error, and the unguarded u.Name in another function is still found
    assert _codes(checked.result) == [("a.tgo", 4, "syntax"), ("a.tgo", 13, "nil-deref")]
    assert checked.checker is not None
    info = checked.checker.info
    u = info.ident_at(a, broken.index("u.Name"))
    assert u is not None and str(info.type_of(u)) == "?*User"
    where = info.definition(u)
    assert where is not None and where.start == broken.index("u := find()")
    call = info.ident_at(a, broken.index("find()\n\treturn u"))
    assert call is not None and call.name == "find"
    decl = info.definition(call)
    assert decl is not None and decl.start == broken.index("find() ?*User")


def test_a_files_parse_is_kept_per_content(tmp_path: Path) -> None:
    app = _module(tmp_path, NULLABLE)
    (app / "a.tgo").write_text(USE)
    (app / "b.tgo").write_text("package app\n\nfunc two() int {\n\treturn 2\n}\n")
    session = Session()
    diagnosed = session.snapshot().diagnose_package(str(app))
    checked = session.snapshot().check_package(str(app))
    assert _codes(checked.result) == _codes(diagnosed) == [("a.tgo", 6, "nil-deref")]
    # the full check after the diagnostics-only one parsed nothing again
    kept = {os.path.basename(r.source.name): r for r in checked.parsed}
    assert all(session._parsed[r.source.name][1] is r for r in checked.parsed)
    # an edit parses the edited file again, not the other
    session.did_change(str(app / "b.tgo"), "package app\n\nfunc two() int {\n\treturn 3\n}\n")
    edited = session.snapshot().check_package(str(app))
    now = {os.path.basename(r.source.name): r for r in edited.parsed}
    assert now["a.tgo"] is kept["a.tgo"] and now["b.tgo"] is not kept["b.tgo"]
    assert _codes(edited.result) == [("a.tgo", 6, "nil-deref")]


def test_an_edited_files_tree_is_kept_apart_for_the_diagnostics(tmp_path: Path) -> None:
    """diagnose_package parses an edited file again only where it changed (syntax/reparse.py),
    moving its own tree in place; the tree a full check took is never changed (a lowering
    may be reading it)."""
    app = _module(tmp_path, NULLABLE)
    b = app / "b.tgo"
    two = "package app\n\nfunc two() int {\n\treturn 2\n}\n\nfunc three() int {\n\treturn 3\n}\n"
    (app / "a.tgo").write_text(USE)
    b.write_text(two)
    session = Session()
    session.snapshot().diagnose_package(str(app))
    full = session.snapshot().check_package(str(app))
    shared = {r.source.name: repr(r.tree) for r in full.parsed}
    for n in range(3):
        edited = two.replace("\treturn 2\n", "\t_ = 0\n" * (n + 1) + "\treturn 2\n")
        session.did_change(str(b), edited)
        assert _codes(session.snapshot().diagnose_package(str(app))) == [("a.tgo", 6, "nil-deref")]
        assert session._edited[str(b)][0] == edited.encode()
    assert {r.source.name: repr(r.tree) for r in full.parsed} == shared
    session.did_change(str(b), None)  # the buffer closed: its tree is let go
    assert str(b) not in session._edited


def test_a_full_check_is_given_up_when_cancelled(tmp_path: Path) -> None:
    from transpiler.check.result import CheckCancelled

    app = _module(tmp_path, NULLABLE)
    (app / "a.tgo").write_text(USE)
    (app / "b.tgo").write_text("package app\n\nfunc two() int {\n\treturn 2\n}\n")
    session = Session()
    asked: list[int] = []

    def cancel_at(n: int) -> Callable[[], bool]:
        asked.clear()

        def cancel() -> bool:
            asked.append(1)
            return len(asked) >= n
        return cancel

    for n in (1, 3, 4):  # while parsing, and before a body of each file
        with pytest.raises(CheckCancelled):
            session.snapshot().check_package(str(app), cancel_at(n))
    # nothing of a given-up check is kept: the next one is whole
    checked = session.snapshot().check_package(str(app), lambda: False)
    assert _codes(checked.result) == [("a.tgo", 6, "nil-deref")]
    assert checked.checker is not None and checked.checker.info.types
