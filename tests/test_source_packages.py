"""Packages without a stub are typed from their Go sources (issue 9, spec §7): the module
cache, vendor/, a replace directive, a go.work workspace; curated stubs still win; the
stubs made from sources are cached and follow a local replacement's edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tgorun import no_traceback, tgo, write

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
pytestmark = pytest.mark.skipif(shutil.which("go") is None, reason="needs the Go toolchain")

LIB = """package lib

import "errors"

type Item struct{ Name string }

func Find(name string) *Item {
	if name == "" {
		return nil
	}
	return &Item{Name: name}
}

func Load(name string) (*Item, error) {
	if name == "" {
		return nil, errors.New("empty name")
	}
	return &Item{Name: name}, nil
}
"""

APP = """package app

import "example.com/lib"

func Name(n string) (string, error) {
	it := lib.Load(n)?
	return it.Name, nil
}

func Drop() {
	lib.Load("x")
}
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("TGO_CACHE_DIR", str(cache))
    return cache


def check(directory: Path, *paths: str) -> list[dict[str, object]]:
    proc = tgo("check", "--format", "json", *(paths or (".",)), cwd=directory)
    no_traceback(proc)
    assert proc.returncode in (0, 1), proc.stderr
    result: list[dict[str, object]] = json.loads(proc.stdout)
    return result


def codes_at(diags: list[dict[str, object]]) -> list[tuple[object, object, object]]:
    return [(d["line"], d["column"], d["code"]) for d in diags]


def replace_module(root: Path) -> Path:
    """app (example.com/app) using example.com/lib through ``replace => ../lib``; the app dir."""
    write(root / "lib" / "go.mod", "module example.com/lib\n\ngo 1.22\n")
    write(root / "lib" / "lib.go", LIB)
    app = root / "app"
    write(app / "go.mod", "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\n"
          "replace example.com/lib => ../lib\n")
    write(app / "app.tgo", APP)
    return app


def test_third_party_module_from_the_module_cache(tmp_path: Path) -> None:
    # uuid at the version examples/links pins (go.sum from there): no stub exists for it
    work = tmp_path / "m"
    write(work / "go.mod", "module example.com/m\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n")
    sums = [ln for ln in (EXAMPLES / "links" / "go.sum").read_text().splitlines() if "google/uuid" in ln]
    write(work / "go.sum", "\n".join(sums) + "\n")
    write(work / "m.tgo", """package m

import "github.com/google/uuid"

func Key(s string) (string, error) {
	id := uuid.Parse(s)?
	return id.String(), nil
}

func Careless(s string) {
	uuid.Parse(s)
	_, _ = uuid.Parse(s)
}

func Typo() error {
	uuid.Parsee("x")?
	return nil
}
""")
    diags = check(work)
    assert codes_at(diags) == [(11, 2, "unchecked-error"), (12, 5, "unchecked-error"), (16, 7, "go")]
    assert diags[2]["message"] == "undefined: uuid.Parsee"
    # without the typo, ? on the third-party call lowers and builds
    (work / "m.tgo").write_text((work / "m.tgo").read_text().split("func Careless")[0])
    assert check(work) == []
    build = tgo("build", "./...", cwd=work)
    assert build.returncode == 0, build.stderr


def test_an_import_that_does_not_exist_is_a_positioned_diagnostic(tmp_path: Path) -> None:
    work = tmp_path / "m"
    write(work / "go.mod", "module example.com/m\n\ngo 1.22\n")
    write(work / "m.tgo", """package m

import (
	"fmt"

	"example.org/nosuch/pkg"
)

func F() error {
	pkg.Do()?
	fmt.Println()
	return nil
}
""")
    diags = check(work)
    assert codes_at(diags) == [(6, 2, "go")]
    assert str(diags[0]["message"]).startswith("could not import example.org/nosuch/pkg (")
    build = tgo("build", ".", cwd=work)
    assert build.returncode == 1 and "m.tgo:6:2" in build.stderr and "cannot lower" not in build.stderr


def test_a_package_for_another_platform_is_no_import_error(tmp_path: Path) -> None:
    work = tmp_path / "m"
    write(work / "go.mod", "module example.com/m\n\ngo 1.22\n")
    write(work / "m.tgo", "package m\n\nfunc F() int { return 1 }\n")
    write(work / "m_js.go", 'package m\n\nimport "syscall/js"\n\nvar _ = js.Global\n')
    assert check(work) == []


def test_a_file_no_build_compiles_is_no_import_error(tmp_path: Path) -> None:
    """A file whose build constraint needs ``ignore`` (google/btree's ``btree_mem.go``, a
    program run with ``go run``) is compiled by no build of the package: go resolves none of
    its imports, and a module it alone imports is no requirement. A file for another
    system still is (its import is resolved or reported as for any file)."""
    work = tmp_path / "m"
    write(work / "go.mod", "module example.com/m\n\ngo 1.22\n")
    write(work / "m.tgo", "package m\n\nfunc F() int { return 1 }\n")
    for name, header in (("mem.go", "// +build ignore\n"), ("bench.tgo", "//go:build ignore && linux\n")):
        write(work / name, header + '\npackage main\n\nimport "example.org/nosuch/llrb"\n\nvar _ = llrb.New\n')
    assert check(work) == []
    write(work / "other.tgo", '//go:build ignore || linux\n\npackage m\n\nimport "example.org/nosuch/llrb"\n\n'
                              "var _ = llrb.New\n")
    assert codes_at(check(work)) == [(5, 8, "go")]


def test_never_built_reads_the_constraint_as_go_does() -> None:
    from transpiler.check.files import never_built

    assert never_built("// Copyright\n\n//go:build ignore\n\npackage main\n")
    assert never_built("// +build ignore\n\npackage main\n")
    assert never_built("//go:build !linux && (ignore || ignore)\n\npackage p\n")
    assert never_built("// +build linux darwin\n// +build ignore,linux\n\npackage p\n")
    assert not never_built("//go:build !ignore\n\npackage p\n")
    assert not never_built("//go:build ignore || linux\n\npackage p\n")
    assert not never_built("// +build ignore linux\n\npackage p\n")
    assert not never_built("//go:build !go1.18\n\npackage p\n")
    assert not never_built("package p\n\n//go:build ignore\n")  # (below the package clause: no constraint)
    assert not never_built("//go:build (ignore\n\npackage p\n")  # (malformed: go rejects it, no guess)


def test_replace_directive_to_a_local_directory(tmp_path: Path) -> None:
    app = replace_module(tmp_path)
    assert codes_at(check(app)) == [(11, 2, "unchecked-error")]


def test_vendor_directory(tmp_path: Path) -> None:
    app = tmp_path / "app"
    write(app / "go.mod", "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v1.0.0\n")
    write(app / "vendor" / "modules.txt", "# example.com/lib v1.0.0\n## explicit; go 1.22\nexample.com/lib\n")
    write(app / "vendor" / "example.com" / "lib" / "lib.go", LIB)
    write(app / "app.tgo", APP)
    assert codes_at(check(app)) == [(11, 2, "unchecked-error")]
    (app / "app.tgo").write_text(APP.split("func Drop")[0])
    build = tgo("build", ".", cwd=app)
    assert build.returncode == 0, build.stderr


def test_go_work_workspace(tmp_path: Path) -> None:
    write(tmp_path / "go.work", "go 1.22\n\nuse (\n\t./app\n\t./lib\n)\n")
    write(tmp_path / "lib" / "go.mod", "module example.com/lib\n\ngo 1.22\n")
    write(tmp_path / "lib" / "lib.go", LIB)
    app = tmp_path / "app"
    write(app / "go.mod", "module example.com/app\n\ngo 1.22\n")
    write(app / "app.tgo", APP)
    assert codes_at(check(app)) == [(11, 2, "unchecked-error")]


def test_curated_stubs_override_the_sources(tmp_path: Path) -> None:
    app = replace_module(tmp_path)
    use = "\nfunc Use() string {\n\treturn lib.Find(\"x\").Name\n}\n"
    (app / "app.tgo").write_text(APP + use)
    assert codes_at(check(app)) == [(11, 2, "unchecked-error")]  # from the sources: nil unknown
    write(app / "tgo.toml", 'stub_paths = ["stubs"]\n')
    write(app / "stubs" / "example.com" / "lib" / "lib.tgoi", """//tgo:strict
package lib

type Item struct{ Name string }

func Find(name string) ?*Item

//tgo:errcheck-exempt
func Load(name string) (*Item, error)
""")
    assert codes_at(check(app)) == [(15, 9, "nil-deref")]


def test_source_stubs_are_cached_and_follow_a_local_replacement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from transpiler.check.driver import check_files
    from transpiler.stubs import stubgen

    app = replace_module(tmp_path)
    made: list[str] = []
    real = stubgen.stub_text

    def spy(gp: stubgen.GoPackage, ctx: stubgen._Context, go: str) -> str:
        made.append(gp.import_path)
        return real(gp, ctx, go)

    monkeypatch.setattr(stubgen, "stub_text", spy)
    listed: list[list[str]] = []
    real_list = stubgen.go_list

    def list_spy(patterns: list[str], cwd: str | None = None, deps: bool = False) -> list[stubgen.GoPackage]:
        listed.append(list(patterns))
        return real_list(patterns, cwd, deps)

    monkeypatch.setattr(stubgen, "go_list", list_spy)
    files = [str(app / "app.tgo")]
    first = check_files(files, use_cache=False)
    assert [d.code for d in first.diagnostics] == ["unchecked-error"] and made == ["example.com/lib"]
    assert listed == [["example.com/lib"]]
    again = check_files(files, use_cache=False)  # the listing and the stub from the cache
    assert [d.code for d in again.diagnostics] == ["unchecked-error"] and made == ["example.com/lib"]
    assert listed == [["example.com/lib"]]
    write(tmp_path / "lib" / "extra.go", "package lib\n\nfunc Extra() error { return nil }\n")
    (app / "app.tgo").write_text(APP + "\nfunc More() {\n\tlib.Extra()\n}\n")
    more = check_files(files, use_cache=False)  # a file added to the replacement: listed again
    assert [(d.line, d.code) for d in more.diagnostics] == [(11, "unchecked-error"), (15, "unchecked-error")]
    assert listed == [["example.com/lib"], ["example.com/lib"]] and len(made) == 2
    (tmp_path / "lib" / "extra.go").unlink()
    (app / "app.tgo").write_text(APP)
    made.clear()
    made.append("example.com/lib")
    cached = check_files(files)  # the result cache, then an edit of the replacement
    assert [d.code for d in cached.diagnostics] == ["unchecked-error"]
    lib = tmp_path / "lib" / "lib.go"
    lib.write_text(LIB.replace("func Load(name string) (*Item, error) {", "func Load(name string) *Item {")
                   .replace('return nil, errors.New("empty name")', "return nil")
                   .replace("return &Item{Name: name}, nil", "return &Item{Name: name}")
                   .replace('import "errors"\n', ""))
    changed = check_files(files)
    assert [(d.line, d.code) for d in changed.diagnostics] == [(6, "bad-try")]
    assert made == ["example.com/lib", "example.com/lib"]
