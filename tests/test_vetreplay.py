"""Go's own check from a kept go vet configuration (toolchain/vetreplay.py): used after an edit
that leaves the lowered files' headers the same, and a miss (go vet runs again) whenever
anything go's answer came from changed; the result is always that of a check with empty caches."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from tgorun import no_traceback, tgo, write

pytestmark = pytest.mark.skipif(shutil.which("go") is None, reason="needs the Go toolchain")

GO_MOD = "module example.com/vr\n\ngo 1.22\n"
LIB = "package lib\n\nfunc Twice(n int) int { return 2 * n }\n"
A = """package vr

import "example.com/vr/lib"

func F() int {
	x := 1
	return lib.Twice(2)
}
"""


class Setup:
    def __init__(self, tmp_path: Path) -> None:
        self.mod = tmp_path / "m"
        self.cache = tmp_path / "cache"
        self.log = tmp_path / "go.log"
        real = shutil.which("go")
        assert real is not None
        self.go = write(tmp_path / "bin" / "go", f'#!/bin/sh\necho "$*" >> {self.log}\nexec {real} "$@"\n')
        self.go.chmod(0o755)
        write(self.mod / "go.mod", GO_MOD)
        write(self.mod / "lib" / "lib.go", LIB)
        write(self.mod / "a.tgo", A)

    def check(self, cache: Path | None = None, env: dict[str, str] | None = None) -> list[dict[str, object]]:
        """A check with the result cache emptied (so that Go's check runs), in ``cache``."""
        cache = cache or self.cache
        shutil.rmtree(cache / "check", ignore_errors=True)
        self.log.write_text("")
        proc = tgo("check", "--format", "json", ".", cwd=self.mod,
                   env={"TGO_CACHE_DIR": str(cache), "TGO_GO": str(self.go), **(env or {})})
        no_traceback(proc)
        assert proc.returncode in (0, 1), proc.stderr
        return list(json.loads(proc.stdout))

    def prime(self) -> list[dict[str, object]]:
        """The first checks: go vet, recording; a second time when the first one built a
        dependency (its export data was in go's temporary directory, gone when it ended: nothing
        kept); then a check from the kept configuration."""
        first = self.check()
        assert self.vetted() and self.recorded()
        for _ in range(2):
            assert self.check() == first
            if not self.vetted():
                return first
        raise AssertionError("no configuration was kept")

    def vetted(self) -> bool:
        """Whether the last check ran go vet."""
        return any(line.startswith("vet ") for line in self.log.read_text().splitlines())

    def recorded(self) -> bool:
        """Whether the last check recorded a configuration (go list of the dependencies)."""
        return any(line.startswith("list -e -deps -test") for line in self.log.read_text().splitlines())

    def cold(self) -> list[dict[str, object]]:
        """The same check with every cache empty."""
        fresh = self.cache.parent / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        out = self.check(fresh)
        assert self.vetted()
        return out


def messages(diags: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(d["line"], d["column"], d["code"], d["message"]) for d in diags]


def test_a_body_edit_is_checked_without_go_vet(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    first = s.prime()
    assert messages(first) == [(6, 2, "go", "declared and not used: x")]
    again = s.check()
    assert not s.vetted()
    assert again == first
    # an edit inside a body: the same configuration, Go's check of the new text
    write(s.mod / "a.tgo", A.replace("\tx := 1\n", "\tx := 1\n\ty := 2\n"))
    edited = s.check()
    assert not s.vetted()
    assert messages(edited) == [(6, 2, "go", "declared and not used: x"), (7, 2, "go", "declared and not used: y")]
    assert edited == s.cold()
    # and a clean package
    write(s.mod / "a.tgo", A.replace("\tx := 1\n", ""))
    assert s.check() == [] and not s.vetted()


def test_a_same_size_dependency_edit_with_its_time_kept_is_a_miss(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.prime()
    lib = s.mod / "lib" / "lib.go"
    st = lib.stat()
    changed = LIB.replace(") int {", ") any {")
    assert len(changed) == len(LIB)
    lib.write_text(changed)
    os.utime(lib, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = s.check()
    assert s.vetted()
    assert after == s.cold()
    assert any("any" in str(d["message"]) for d in after)


def test_an_import_change_is_a_miss(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.prime()
    write(s.mod / "a.tgo", A.replace('import "example.com/vr/lib"', 'import (\n\t"example.com/vr/lib"\n\t"strings"\n)'))
    after = s.check()
    assert s.vetted() and s.recorded()
    assert after == s.cold()
    assert any('"strings" imported and not used' in str(d["message"]) for d in after)
    s.check()
    assert not s.vetted()


def test_an_edit_of_the_go_work_gowork_names_is_a_miss(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    work = write(tmp_path / "elsewhere" / "x.work", "go 1.22\n\nuse ../m\n")
    env = {"GOWORK": str(work)}
    first = s.check(env=env)
    assert s.vetted() and s.recorded()
    for _ in range(2):
        assert s.check(env=env) == first
        if not s.vetted():
            break
    assert not s.vetted()
    # the same key (the environment names the same file), another go.work
    write(work, "go 1.22\n\nuse ../m\n\nreplace example.com/none => ../none\n")
    assert s.check(env=env) == first
    assert s.vetted()


def test_an_edit_of_the_go_mod_modfile_names_is_a_miss(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    alt = write(tmp_path / "elsewhere" / "alt.mod", GO_MOD)
    env = {"GOFLAGS": f"-modfile={alt}"}
    write(s.mod / "a.tgo", A.replace("\tx := 1\n", "\t_ = min(1, 2)\n"))
    first = s.check(env=env)
    assert first == [] and s.vetted() and s.recorded()
    for _ in range(2):
        assert s.check(env=env) == first
        if not s.vetted():
            break
    assert not s.vetted()
    # the same key (the environment names the same file), a go.mod of an older language
    # version, the same size and modification time: min is not a builtin in it
    st = alt.stat()
    alt.write_text(GO_MOD.replace("go 1.22", "go 1.20"))
    os.utime(alt, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = s.check(env=env)
    assert s.vetted()
    assert any("go1.21" in str(d["message"]) for d in after), after


@pytest.mark.slow
def test_go_s_state_changing_is_a_miss(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.prime()
    s.check()
    assert not s.vetted()
    # the environment
    tagged = s.check(env={"GOFLAGS": "-tags=other"})
    assert s.vetted() and tagged == s.cold()
    # a go.work that appears above the module
    write(tmp_path / "go.work", "go 1.22\n\nuse ./m\n")
    s.check()
    assert s.vetted()
    s.check()
    assert not s.vetted()
    # a file added to a dependency (a new declaration the package uses)
    write(s.mod / "a.tgo", A.replace("lib.Twice(2)", "lib.Twice(lib.Three)"))
    assert s.check() == s.cold()
    write(s.mod / "lib" / "three.go", "package lib\n\nconst Three = 3\n")
    after = s.check()
    assert s.vetted()
    assert after == s.cold()
    assert messages(after) == [(6, 2, "go", "declared and not used: x")]
    # the kept entry damaged: a miss, written again
    for entry in (s.cache / "gotypes" / "replay").iterdir():
        entry.write_bytes(entry.read_bytes()[:-3] + b"xyz")
    assert s.check() == after and s.vetted() and s.recorded()


@pytest.mark.slow
def test_a_package_importing_another_tgo_package_is_always_vetted(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    (s.mod / "lib" / "lib.go").unlink()
    write(s.mod / "lib" / "lib.tgo", LIB)
    first = s.check()
    assert s.vetted()
    s.check()
    second = s.check()
    # go vet, without recording again (the entry says the package is not one to replay)
    assert s.vetted() and not s.recorded()
    assert first == second == s.cold()


def test_tests_in_the_package(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    write(s.mod / "a_test.tgo", 'package vr\n\nimport "testing"\n\nfunc TestF(t *testing.T) {\n\tz := F()\n}\n')
    first = s.prime()
    assert messages(first) == [(6, 2, "go", "declared and not used: x"), (6, 2, "go", "declared and not used: z")]
    write(s.mod / "a_test.tgo", (s.mod / "a_test.tgo").read_text().replace("z := F()", "z, v := F(), 1"))
    edited = s.check()
    assert not s.vetted()
    assert edited == s.cold()
    assert len(edited) == 3


def test_an_external_test_package_is_always_vetted(tmp_path: Path) -> None:
    # go vet type-checks p_test against export data of the package (with its tests) made from
    # its text of that run: a kept configuration would name the export data of an old text
    s = Setup(tmp_path)
    write(s.mod / "a.tgo", A.replace("\tx := 1\n", ""))
    write(s.mod / "b_test.tgo", 'package vr_test\n\nimport (\n\t"testing"\n\n\t"example.com/vr"\n)\n\n'
                                 'func TestG(t *testing.T) {\n\tw := vr.F()\n}\n')
    first = s.check()
    assert s.vetted() and s.recorded()
    assert messages(first) == [(10, 2, "go", "declared and not used: w")]
    # a new exported declaration after the header, used by the external test
    write(s.mod / "a.tgo", A.replace("\tx := 1\n", "") + "\nfunc G() string { return \"\" }\n")
    write(s.mod / "b_test.tgo", (s.mod / "b_test.tgo").read_text().replace("w := vr.F()", "var w int = vr.G()"))
    edited = s.check()
    assert s.vetted() and not s.recorded()
    assert edited == s.cold()
    assert any("vr.G()" in str(d["message"]) for d in edited)


@pytest.mark.parametrize(("recorded", "want"), [
    ([], "GOGC=off GOMEMLIMIT=256MiB"),  # (tgo's default: no collection below 256 MiB)
    (["GOGC=50"], "GOGC=50 GOMEMLIMIT="),  # go's environment decides
    (["GOMEMLIMIT=1GiB"], "GOGC= GOMEMLIMIT=1GiB"),
])
def test_the_program_runs_with_the_collector_of_go_s_environment_or_none(
        tmp_path: Path, recorded: list[str], want: str) -> None:
    from transpiler.toolchain import vetreplay

    program = write(tmp_path / "prog", '#!/bin/sh\necho "GOGC=$GOGC GOMEMLIMIT=$GOMEMLIMIT" >&2\n')
    program.chmod(0o755)
    entry = vetreplay.Entry([({"GoFiles": [], "Dir": str(tmp_path)}, [f"PATH={os.environ['PATH']}", *recorded])])
    replay = vetreplay.start(entry, str(program), {})
    assert replay is not None and replay.wait() == want + "\n"


def test_a_package_go_vet_answered_from_its_own_cache_is_kept(tmp_path: Path) -> None:
    # a package without .tgo files, which go vet checked before (another tgo cache): the program
    # does not run, nothing is recorded, but what Go's check read is (go env asked for the
    # rest), so the next tgo check is answered from the result cache without running go
    s = Setup(tmp_path)
    (s.mod / "a.tgo").unlink()
    env = {"TGO_CACHE_DIR": str(s.cache), "TGO_GO": str(s.go)}
    for cache in (tmp_path / "other", s.cache):
        proc = tgo("check", "./lib", cwd=s.mod, env={**env, "TGO_CACHE_DIR": str(cache)})
        assert proc.returncode == 0, proc.stderr
    s.log.write_text("")
    assert tgo("check", "./lib", cwd=s.mod, env=env).returncode == 0
    assert s.log.read_text() == ""  # (go was not run)
    write(s.mod / "lib" / "lib.go", LIB.replace("2 * n", '"2"'))  # and an edit is seen
    proc = tgo("check", "./lib", cwd=s.mod, env=env)
    assert proc.returncode == 1 and "[go]" in proc.stdout, proc
