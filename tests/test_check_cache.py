"""The check result cache: a hit gives the same result; any input change misses."""

from __future__ import annotations

from pathlib import Path

import pytest
from tgorun import pure_python

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


@pure_python
def test_hit_returns_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "a.tgo"
    f.write_text(SRC)
    first = check_files([str(f)], stub_paths=[])
    assert [d.code for d in first.diagnostics] == ["nil-deref"]
    assert len(_entries(tmp_path)) == 3  # the package's entry, the file's and its bodies'

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


# ------------------------------------------------------------------ file entries

FIXTURES = Path(__file__).parent / "checker" / "fixtures"

FIND = """package p

func find() ?*int { return nil }

func helper() int {
	x := 1
	return x
}
"""

USE = """package p

func use() int {
	p := find()
	return *p
}
"""

OTHER = """package p

func other() int {
	q := find()
	if q == nil {
		return 0
	}
	return *q
}
"""


def _package(tmp_path: Path) -> list[str]:
    files = {"find.tgo": FIND, "use.tgo": USE, "other.tgo": OTHER}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return [str(tmp_path / n) for n in sorted(files)]


def _bodies_checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from transpiler.check.checker import PackageChecker

    seen: list[str] = []
    real = PackageChecker._file_bodies

    def spy(self: PackageChecker, fi: object) -> None:
        seen.append(Path(fi.result.source.name).name)  # type: ignore[attr-defined]
        real(self, fi)  # type: ignore[arg-type]

    monkeypatch.setattr(PackageChecker, "_file_bodies", spy)
    return seen


def _same(a: object, b: object) -> None:
    from transpiler.check import CheckResult

    assert isinstance(a, CheckResult) and isinstance(b, CheckResult)
    assert a.diagnostics == b.diagnostics
    assert (a.typed, a.untyped) == (b.typed, b.untyped)


@pure_python
def test_a_changed_body_rechecks_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _package(tmp_path)
    check_files(paths, stub_paths=[])
    seen = _bodies_checked(monkeypatch)
    (tmp_path / "find.tgo").write_text(FIND.replace("x := 1", "x := 2"))
    result = check_files(paths, stub_paths=[])
    assert seen == ["find.tgo"]
    _same(result, check_files(paths, stub_paths=[], use_cache=False))
    assert [(Path(d.file).name, d.code) for d in result.diagnostics] == [("use.tgo", "nil-deref")]


@pure_python
def test_a_body_that_no_longer_stops_rechecks_its_callers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # which functions never return comes from bodies (noreturn.py): a file's entry holds only
    # while that set is the same, though the signature digest leaves bodies out
    (tmp_path / "fail.tgo").write_text('package p\n\nimport "os"\n\nfunc fail() {\n\tos.Exit(1)\n}\n')
    (tmp_path / "use.tgo").write_text("package p\n\nfunc find() ?*int { return nil }\n\n"
                                      "func use() int {\n\tp := find()\n\tif p == nil {\n\t\tfail()\n\t}\n"
                                      "\treturn *p\n}\n")
    paths = sorted(str(p) for p in tmp_path.glob("*.tgo"))
    assert check_files(paths, stub_paths=[]).diagnostics == []
    seen = _bodies_checked(monkeypatch)
    (tmp_path / "fail.tgo").write_text('package p\n\nimport "os"\n\nfunc fail() {\n\tos.Getpid()\n}\n')
    result = check_files(paths, stub_paths=[])
    assert sorted(seen) == ["fail.tgo", "use.tgo"]
    assert [(Path(d.file).name, d.line, d.code) for d in result.diagnostics] == [("use.tgo", 10, "nil-deref")]
    seen.clear()
    (tmp_path / "fail.tgo").write_text('package p\n\nimport "os"\n\nfunc fail() {\n\tos.Getpid()\n\tos.Getppid()\n}\n')
    assert check_files(paths, stub_paths=[]).diagnostics == result.diagnostics
    assert seen == ["fail.tgo"]  # still returns: use.tgo's entry holds


@pure_python
def test_a_changed_signature_rechecks_every_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _package(tmp_path)
    check_files(paths, stub_paths=[])
    seen = _bodies_checked(monkeypatch)
    # find no longer returns a nullable pointer: use.tgo's dereference is fine now
    (tmp_path / "find.tgo").write_text(FIND.replace("func find() ?*int { return nil }",
                                                    "func find() *int { return new(int) }"))
    result = check_files(paths, stub_paths=[])
    assert sorted(seen) == ["find.tgo", "other.tgo", "use.tgo"]
    assert result.diagnostics == []


@pure_python
def test_a_changed_comment_outside_bodies_counts_as_a_declaration_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # directives such as //tgo:ignore or //tgo:noreturn live in comments: the digest keeps them
    paths = _package(tmp_path)
    check_files(paths, stub_paths=[])
    seen = _bodies_checked(monkeypatch)
    (tmp_path / "find.tgo").write_text(FIND + "\n// a note\n")
    check_files(paths, stub_paths=[])
    assert sorted(seen) == ["find.tgo", "other.tgo", "use.tgo"]


EXAMPLES = Path(__file__).parent.parent / "examples"


def _multi_file_packages() -> list[Path]:
    dirs = [*FIXTURES.glob("*/*"), *(p.parent for p in EXAMPLES.rglob("*.tgo"))]
    return sorted({d for d in dirs if d.is_dir() and len([*d.glob("*.tgo"), *d.glob("*.go")]) > 1})


@pytest.mark.parametrize("fixture", _multi_file_packages(), ids=lambda d: f"{d.parent.name}/{d.name}")
def test_reusing_other_files_gives_the_full_result(fixture: Path) -> None:
    """For every file of a fixture package: checking it with every other file's result taken
    from a full check gives exactly the full check's result (what a file entry relies on)."""
    from transpiler.check import run
    from transpiler.check.files import package_files
    from transpiler.syntax import parse_file

    paths = package_files(str(fixture))
    full = run.check_parsed([(parse_file(p), p) for p in paths], [])
    assert set(full.files) == {p for p in paths if parse_file(p).tree is not None}
    for changed in full.files:
        reuse = {p: fr for p, fr in full.files.items() if p != changed}
        again = run.check_parsed([(parse_file(p), p) for p in paths], [], reuse=reuse)
        assert list(again.files) == [changed]
        _same(again, full)
