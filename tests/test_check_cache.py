"""The check result cache: a hit gives the same result; any input change misses."""

from __future__ import annotations

from pathlib import Path

import pytest

from transpiler.check import cache, check_files

SRC = """package p

func find() ?*int { return nil }

func use() int {
	p := find()
	return *p
}
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "check").glob("*.json"))


def test_hit_returns_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "a.tgo"
    f.write_text(SRC)
    first = check_files([str(f)], stub_paths=[])
    assert [d.code for d in first.diagnostics] == ["nil-deref"]
    assert len(_entries(tmp_path)) == 1

    # a hit must not run the checker at all
    import transpiler.check.run as run

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("checked again instead of using the cache")

    monkeypatch.setattr(run, "check_parsed", boom)
    second = check_files([str(f)], stub_paths=[])
    assert second.diagnostics == first.diagnostics
    assert (second.typed, second.untyped) == (first.typed, first.untyped)
    assert str(f) in second.sources


def test_changed_file_misses(tmp_path: Path) -> None:
    f = tmp_path / "a.tgo"
    f.write_text(SRC)
    check_files([str(f)], stub_paths=[])
    f.write_text(SRC.replace("return *p", "if p == nil {\n\t\treturn 0\n\t}\n\treturn *p"))
    assert check_files([str(f)], stub_paths=[]).diagnostics == []


def test_changed_stub_misses(tmp_path: Path) -> None:
    stubs = tmp_path / "stubs" / "example.com" / "lib"
    stubs.mkdir(parents=True)
    stub = stubs / "lib.tgoi"
    stub.write_text("//tgo:strict\npackage lib\n\nfunc Get() *int\n")
    f = tmp_path / "a.tgo"
    f.write_text('package p\n\nimport "example.com/lib"\n\nfunc use() int {\n\treturn *lib.Get()\n}\n')
    paths = [str(tmp_path / "stubs")]
    assert check_files([str(f)], stub_paths=paths).diagnostics == []
    stub.write_text("//tgo:strict\npackage lib\n\nfunc Get() ?*int\n")
    assert [d.code for d in check_files([str(f)], stub_paths=paths).diagnostics] == ["nil-deref"]


def test_key_covers_names_and_bytes() -> None:
    a = cache.key([("a.tgo", b"x")], [])
    assert a == cache.key([("a.tgo", b"x")], [])
    assert a != cache.key([("a.tgo", b"y")], [])
    assert a != cache.key([("b.tgo", b"x")], [])
    assert a != cache.key([("a.tgo", b"x")], ["stubs"])


def test_shared_importer_keeps_each_packages_dependencies(tmp_path: Path) -> None:
    # tgo check ./... shares stub packages across packages: the second package,
    # which finds the stub already loaded, must still depend on it in the cache
    stubs = tmp_path / "stubs" / "example.com" / "lib"
    stubs.mkdir(parents=True)
    stub = stubs / "lib.tgoi"
    stub.write_text("//tgo:strict\npackage lib\n\nfunc Get() *int\n")
    src = 'package {name}\n\nimport "example.com/lib"\n\nfunc use() int {{\n\treturn *lib.Get()\n}}\n'
    files = []
    for name in ("a", "b"):
        d = tmp_path / name
        d.mkdir()
        f = d / f"{name}.tgo"
        f.write_text(src.format(name=name))
        files.append(str(f))
    paths = [str(tmp_path / "stubs")]
    shared: dict[tuple[object, ...], object] = {}
    for f in files:
        assert check_files([f], stub_paths=paths, importers=shared).diagnostics == []
    stub.write_text("//tgo:strict\npackage lib\n\nfunc Get() ?*int\n")
    # a new run (new importers): both entries are stale now
    shared = {}
    for f in files:
        assert [d.code for d in check_files([f], stub_paths=paths, importers=shared).diagnostics] == ["nil-deref"]
