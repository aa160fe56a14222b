"""Reliability of tgo's caches, keys and processes under faults (issue 14, the cache half).

Every cache area (lowered build entries, check entries, the parse table, launch
records, the kept go vet configurations and remembered digests, parsed trees, argument
records, the built type-check program) is damaged with seeded random bit flips, truncation and garbage, and the
next ``tgo run`` (through the native launcher) and ``tgo check`` must give what a
clean cache gives: no wrong program, no wrong diagnostics, and no failure that lasts.
Edits that keep a file's size and modification time, a new file behind a restored
directory time, a working directory reached through a symlink, a cache directory
owned by someone else, a killed ``tgo build`` and a hung ``go`` are the rest.
``scripts/fault_inject.py`` runs the long version.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_launcher import bin_dir, launcher_said
from tgorun import child_env, tgo, write

# scripts/ is not installed: import it from the checkout, after everything else on sys.path
sys.path.append(str(Path(__file__).resolve().parents[1]))
from scripts.fault_inject import (
    AREAS,
    CALC,
    EXPECTED,
    GO_MOD,
    MAIN,
    CheckAnswer,
    Project,
    Tally,
    damage_trial,
    run_kills,
)
from transpiler import caches, goexe
from transpiler.toolchain import ToolchainError, find_go, gocmd

GO = find_go()
pytestmark = pytest.mark.skipif(GO is None or os.name != "posix", reason="needs Go on a POSIX system")
__all__ = ["bin_dir"]  # (the launcher fixture, shared with test_launcher)

class App(Project):
    """The fault-injection module, run through the launcher built for the tests."""

    def __init__(self, root: Path, bin_dir: Path, cache: Path) -> None:
        super().__init__(root, bin_dir / "tgo", cache, child_env())


def _warm(app: App) -> CheckAnswer:
    want_check = app.warm()
    assert app.tgo("run", ".").stdout == EXPECTED
    assert app.check() == want_check
    return want_check


@pytest.mark.parametrize("area", sorted(AREAS))
def test_damaged_cache_entries_are_misses(tmp_path: Path, bin_dir: Path, area: str) -> None:
    app = App(tmp_path / "app", bin_dir, tmp_path / "cache")
    want_check = _warm(app)
    assert want_check[0] == 1 and want_check[1], want_check  # bad/ has an error
    rng = random.Random(f"reliability-{area}")
    tally = Tally(area)
    for _ in range(3):
        damage_trial(app, area, rng, want_check, tally)
    assert (tally.trials, tally.failures) == (3, {}), tally.examples
    # the damage was repaired, not just avoided: the warm path is back
    assert launcher_said(app.tgo("run", ".")).startswith("hit: ")


def _tamper(path: Path, old: bytes, new: bytes) -> bool:
    """Replace ``old`` with ``new`` in a cache file, keeping its times; whether it was there."""
    data = path.read_bytes()
    if old not in data:
        return False
    st = path.stat()
    path.write_bytes(data.replace(old, new))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    return True


def test_plausible_edits_of_cache_entries_are_caught(tmp_path: Path, bin_dir: Path) -> None:
    # the kind of damage that still parses: an operator in a lowered file, an emptied list
    # of diagnostics, another program in a launch record
    app = App(tmp_path / "app", bin_dir, tmp_path / "cache")
    want_check = _warm(app)
    assert GO is not None
    edits = [
        ("build/go/*.go", b"s := l + r", b"s := l / r"),
        ("check/*.json", b'"diagnostics": [{', b'"diagnostics": [], "x": [{'),
        ("launch/*.json", GO.encode(), b"/bin/echo"),
    ]
    for pattern, old, new in edits:
        assert sum(_tamper(p, old, new) for p in app.cache.glob(pattern)) > 0, pattern
        for _ in range(2):
            proc = app.tgo("run", ".")
            assert (proc.returncode, proc.stdout) == (0, EXPECTED), (pattern, proc.stderr)
            assert app.check() == want_check, pattern


def test_a_sealed_entry_checks_size_hash_and_header() -> None:
    sealed = caches.seal(b'{"diagnostics": [1]}')
    assert caches.unseal(sealed) == b'{"diagnostics": [1]}'
    assert caches.unseal(sealed.replace(b"[1]", b"[ ]")) is None
    assert caches.unseal(sealed[:-1]) is None
    assert caches.unseal(sealed + b" ") is None
    assert caches.unseal(b'{"diagnostics": []}') is None
    assert caches.unseal(b"") is None


def _same_size_and_time_edit(path: Path, old: str, new: str) -> None:
    """Change ``old`` to ``new`` (same length) in a file, then restore its size and time."""
    assert len(old) == len(new)
    st = path.stat()
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as touch -r or a tar extract leaves it
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (st.st_size, st.st_mtime_ns)


USE = """\
package use

import (
	"example.com/app/calc"
	"example.com/ext"
)

func Two() int { return *ext.Get() }

func Half() float64 { return *calc.Ptr() }
"""


def test_same_size_and_time_edits_are_seen(tmp_path: Path, bin_dir: Path) -> None:
    app = App(tmp_path / "app", bin_dir, tmp_path / "cache")
    # a stub for a Go module the app requires (replaced by a nested module)
    write(app.root / "go.mod", GO_MOD + "\nrequire example.com/ext v0.0.0\n\nreplace example.com/ext => ./ext\n")
    write(app.root / "ext" / "go.mod", "module example.com/ext\n\ngo 1.22\n")
    write(app.root / "ext" / "ext.go", "package ext\n\nvar n = 2\n\nfunc Get() *int { return &n }\n")
    write(app.root / "tgo.toml", 'stub_paths = ["stubs"]\n')
    stub = write(app.root / "stubs" / "example.com" / "ext" / "ext.tgoi", "package ext\n\nfunc Get()  *int\n")
    ptr = write(app.root / "calc" / "ptr.tgo", "package calc\n\nvar half = 0.5\n\nfunc Ptr()  *float64 { return &half }\n")
    write(app.root / "use" / "use.tgo", USE)
    main = app.root / "main.tgo"
    main.write_text(MAIN.replace('"example.com/app/calc"', '"example.com/app/calc"\n\t"example.com/app/use"')
                    .replace("calc.Name)", "calc.Name, use.Two(), use.Half())"))  # fmt: skip
    time.sleep(2.2)
    for _ in range(2):
        assert app.tgo("run", ".").stdout == "7.5 calc 2 0.5\n"
    assert app.tgo("check", "./use").returncode == 0
    assert app.tgo("build", "-o", os.devnull, ".").returncode == 0

    # a stub, then a module dependency: *T becomes ?*T, same size and time
    for path, old, new, where in (
        (stub, "()  *int", "() ?*int", "use.tgo:8:26: error: possible nil dereference"),
        (ptr, "()  *float64", "() ?*float64", "use.tgo:10:31: error: possible nil dereference"),
    ):
        _same_size_and_time_edit(path, old, new)
        for args in (("check", "./use"), ("build", "-o", os.devnull, "."), ("run", ".")):
            proc = app.tgo(*args)
            assert proc.returncode == 1 and where in proc.stdout + proc.stderr, (args, proc)
        _same_size_and_time_edit(path, new, old)
        assert app.tgo("check", "./use").returncode == 0
        assert app.tgo("run", ".").stdout == "7.5 calc 2 0.5\n"

    # a module dependency's body: the program changes
    _same_size_and_time_edit(app.root / "calc" / "calc.tgo", "s := l + r", "s := l - r")
    for _ in range(2):
        assert app.tgo("run", ".").stdout == "-4.5 calc 2 0.5\n"


EXT_USE = 'package use\n\nimport "example.com/ext"\n\nfunc Two() int { return ext.Get() }\n'
EXT_GO = "package ext\n\nfunc Get() int { return 2 }\n"
GO_SAYS_ANY = "use.tgo:5:25: error: cannot use ext.Get() (value of type any) as int value in return statement"


def test_go_check_sees_edits_of_what_go_read(tmp_path: Path) -> None:
    # tgo's checker reads the stub of example.com/ext; only Go's own check reads ext.go (a
    # local replacement), so only the cached result's record of what Go read can see it change
    root = tmp_path / "app"
    write(root / "go.mod", "module example.com/app\n\ngo 1.22\n\nrequire example.com/ext v0.0.0\n\n"
                           "replace example.com/ext => ./ext\n")
    write(root / "ext" / "go.mod", "module example.com/ext\n\ngo 1.22\n")
    ext = write(root / "ext" / "ext.go", EXT_GO)
    write(root / "tgo.toml", 'stub_paths = ["stubs"]\n')
    write(root / "stubs" / "example.com" / "ext" / "ext.tgoi", "package ext\n\nfunc Get() int\n")
    write(root / "use" / "use.tgo", EXT_USE)
    env = {"TGO_CACHE_DIR": str(tmp_path / "cache")}

    def check() -> subprocess.CompletedProcess[str]:
        return tgo("check", "./use", cwd=root, env=env)

    time.sleep(2.2)
    for _ in range(2):  # (the second is answered by the package's entry)
        assert check().returncode == 0
    # the same size and modification time: only the change time tells
    _same_size_and_time_edit(ext, "Get() int", "Get() any")
    for _ in range(2):
        proc = check()
        assert proc.returncode == 1 and GO_SAYS_ANY in proc.stdout, proc
    _same_size_and_time_edit(ext, "Get() any", "Get() int")
    assert check().returncode == 0
    ext.write_text(EXT_GO.replace("int { return 2 }", 'string { return "2" }'))  # a plain edit
    proc = check()
    assert proc.returncode == 1 and "value of type string" in proc.stdout, proc
    ext.write_text(EXT_GO)
    assert check().returncode == 0
    # a file go looks for and did not find appears: a go.work that replaces ext elsewhere
    write(root / "ext2" / "go.mod", "module example.com/ext\n\ngo 1.22\n")
    write(root / "ext2" / "ext.go", EXT_GO.replace("Get() int", "Get() any"))
    write(root / "go.work", "go 1.22\n\nuse .\n\nreplace example.com/ext => ./ext2\n")
    proc = check()
    assert proc.returncode == 1 and GO_SAYS_ANY in proc.stdout, proc


def test_a_cached_go_check_is_keyed_by_the_environment(tmp_path: Path) -> None:
    # go's choice of files depends on GOFLAGS, GOOS, CGO_ENABLED ...: b.go is built with -tags=foo only
    root = tmp_path / "app"
    write(root / "go.mod", GO_MOD)
    write(root / "p" / "a.tgo", "package p\n\nfunc F() int { return 1 }\n")
    write(root / "p" / "b.go", "//go:build foo\n\npackage p\n\nfunc F() int { return 2 }\n")
    cache = {"TGO_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):
        assert tgo("check", "./p", cwd=root, env=cache).returncode == 0
        proc = tgo("check", "./p", cwd=root, env={**cache, "GOFLAGS": "-tags=foo"})
        assert proc.returncode == 1 and "b.go:5:6: error: F redeclared in this block" in proc.stdout, proc


@pytest.mark.slow
def test_go_check_sees_an_edit_of_the_standard_library(tmp_path: Path) -> None:
    # a Go distribution of hard links to this one, but for the one file edited (a copy of its
    # own): tgo's checker reads its own stub of strings, Go's check GOROOT's sources
    assert GO is not None
    goroot = Path(os.path.realpath(GO)).parents[1]
    mine = tmp_path / "go"
    # (bin/ copied, not linked: a new link changes the real go binary's change time, and the
    # launcher's records of it in tests running beside this one would see it "changed")
    mine.mkdir()
    for entry in goroot.iterdir():
        subprocess.run(["cp", "-a" if entry.name == "bin" else "-al", str(entry), str(mine / entry.name)], check=True)
    strings_go = mine / "src" / "strings" / "strings.go"
    data = strings_go.read_bytes()
    strings_go.unlink()  # (never write through a link into the real distribution)
    strings_go.write_bytes(data)
    assert strings_go.stat().st_nlink == 1 and b"func Repeat(" in data
    root = tmp_path / "app"
    write(root / "go.mod", GO_MOD)
    write(root / "r" / "r.tgo", 'package r\n\nimport "strings"\n\nfunc R() string { return strings.Repeat("a", 2) }\n')
    env = {"TGO_CACHE_DIR": str(tmp_path / "cache"), "TGO_GO": str(mine / "bin" / "go"), "GOROOT": ""}
    time.sleep(2.2)
    for _ in range(2):
        proc = tgo("check", "./r", cwd=root, env=env)
        assert proc.returncode == 0, proc
    _same_size_and_time_edit(strings_go, "func Repeat(", "func Repeet(")
    for _ in range(2):
        proc = tgo("check", "./r", cwd=root, env=env)
        assert proc.returncode == 1 and "r.tgo:5:34: error: undefined: strings.Repeat [go]" in proc.stdout, proc


def test_a_new_file_behind_a_restored_directory_time_is_seen(tmp_path: Path, bin_dir: Path) -> None:
    app = App(tmp_path / "app", bin_dir, tmp_path / "cache")
    time.sleep(2.2)
    for _ in range(2):
        assert app.tgo("run", ".").stdout == EXPECTED
    assert launcher_said(app.tgo("run", ".")).startswith("hit: ")
    st = app.root.stat()
    write(app.root / "late.tgo", 'package main\n\nimport "example.com/app/calc"\n\nfunc init() { calc.Name = "late" }\n')
    os.utime(app.root, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert app.root.stat().st_mtime_ns == st.st_mtime_ns
    for _ in range(3):  # and it stays seen
        proc = app.tgo("run", ".")
        assert proc.stdout == "7.5 late\n", proc.stderr


STALE_GEN = """\
// Code generated by tgo from main.tgo. DO NOT EDIT.

package main

func main() { println("stale") }
"""


def test_a_working_directory_through_a_symlink(tmp_path: Path, bin_dir: Path) -> None:
    app = App(tmp_path / "real" / "app", bin_dir, tmp_path / "cache")
    write(app.root / "main_tgo.go", STALE_GEN)  # an old tgo gen output: go must not build it
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "real")
    via = link / "app"
    time.sleep(2.2)
    for _ in range(2):  # (the second through the launcher)
        proc = app.tgo("run", ".", cwd=via)
        assert (proc.returncode, proc.stdout) == (0, EXPECTED), proc.stderr
    out = tmp_path / "prog"
    proc = app.tgo("build", "-o", str(out), ".", cwd=via / "calc")
    assert proc.returncode == 0, proc.stderr
    proc = app.tgo("build", "-o", str(out), "..", cwd=via / "calc")
    assert proc.returncode == 0, proc.stderr
    assert subprocess.run([str(out)], capture_output=True, text=True, check=False).stdout == EXPECTED
    for cwd, target in ((tmp_path, "link/app"), (link, "app"), (via, str(via))):
        for _ in range(2):
            proc = app.tgo("run", "-C", target, ".", cwd=cwd)
            assert (proc.returncode, proc.stdout) == (0, EXPECTED), (cwd, target, proc.stderr)


def test_a_cache_directory_others_may_write_is_refused(tmp_path: Path, bin_dir: Path) -> None:
    app = App(tmp_path / "app", bin_dir, tmp_path / "cache")
    want_check = _warm(app)
    assert launcher_said(app.tgo("run", ".")).startswith("hit: ")
    record = next((app.cache / "launch").glob("*.json"))

    app.cache.chmod(0o775)
    proc = app.tgo("run", ".")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "not trusted: " in launcher_said(proc)
    assert f"tgo: the cache directory {app.cache} is writable by other users (mode 775)" in proc.stderr
    assert app.check() == want_check
    assert "tgo: warning: not using the cache: " in app.tgo("check", ".").stderr
    app.cache.chmod(0o700)
    assert app.tgo("run", ".").stdout == EXPECTED

    if os.geteuid() != 0:
        return  # (giving a file to another user needs root)
    nobody = 65534
    os.chown(record, nobody, nobody)
    proc = app.tgo("run", ".")
    assert proc.stdout == EXPECTED and "belongs to another user" in launcher_said(proc)
    assert launcher_said(app.tgo("run", ".")).startswith("hit: ")  # tgo replaced the record
    os.chown(app.cache / "launch", nobody, nobody)
    proc = app.tgo("run", ".")
    assert proc.returncode == 2 and proc.stdout == "" and "belongs to another user" in proc.stderr
    os.chown(app.cache / "launch", 0, 0)
    os.chown(app.cache, nobody, nobody)
    proc = app.tgo("run", ".")
    assert proc.returncode == 2 and f"tgo: the cache directory {app.cache} belongs to another user" in proc.stderr
    assert app.check() == want_check


def test_without_home_go_still_runs(tmp_path: Path, bin_dir: Path) -> None:
    app = App(tmp_path / "app", bin_dir, tmp_path / "cache")
    gocache = subprocess.run([str(GO), "env", "GOCACHE"], capture_output=True, text=True, check=True).stdout.strip()
    env = app.env(GOCACHE=gocache)
    del env["HOME"]
    for _ in range(2):
        proc = subprocess.run([str(bin_dir / "tgo"), "run", "."], cwd=app.root, env=env,
                              capture_output=True, text=True, check=False)  # fmt: skip
        assert (proc.returncode, proc.stdout) == (0, EXPECTED), proc.stderr


def test_without_home_go_checks_too(tmp_path: Path) -> None:
    # no HOME and no GOCACHE: go vet finds its build cache below the password database's home
    root = tmp_path / "app"
    write(root / "go.mod", GO_MOD)
    write(root / "p" / "p.tgo", 'package p\n\nfunc F() int { return "x" }\n')
    env = child_env({"TGO_CACHE_DIR": str(tmp_path / "cache")})
    for name in ("HOME", "GOCACHE", "XDG_CACHE_HOME"):
        env.pop(name, None)
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-m", "transpiler", "check", "./p"], cwd=root, env=env,
                              capture_output=True, text=True, check=False)  # fmt: skip
        assert proc.returncode == 1 and "[go]" in proc.stdout and "not checked" not in proc.stderr, proc


# --- processes -------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    """The live (not zombie) processes whose parent is ``pid``."""
    out: set[int] = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path("/proc", entry, "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.add(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path("/proc", str(pid), "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_a_killed_build(tmp_path: Path, sig: signal.Signals) -> None:
    root = tmp_path / "mod"
    write(root / "go.mod", GO_MOD)
    for i in range(4):
        write(root / f"p{i}" / "p.tgo", CALC.replace("package calc", f"package p{i}"))
    env = child_env({"TGO_CACHE_DIR": str(tmp_path / "cache"), "TGO_LAUNCHER": "off"})
    tgo_py = Path(sys.executable).with_name("tgo-py")
    proc = subprocess.Popen([str(tgo_py), "build", "./..."], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers = _children(proc.pid)
        time.sleep(0.005)
    assert len(workers) >= 2, "no workers seen"
    proc.send_signal(sig)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers)


HANGING_GO = """\
#!/bin/sh
if [ "$1" = env ]; then
    echo "$$" >> "{log}"
    sleep 1000 &
    echo "$!" > "{pid}"
    wait
fi
exec {go} "$@"
"""


def test_a_hung_go_env_is_killed_with_what_it_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "bin" / "go"
    log, pid = tmp_path / "calls", tmp_path / "grandchild"
    write(fake, HANGING_GO.format(log=log, pid=pid, go=GO)).chmod(0o755)
    monkeypatch.setattr(goexe, "_GO_ENV_TIMEOUT", 1.0)
    with pytest.raises(ToolchainError, match=r"^go env did not answer within 1 s"):
        goexe.goroot(str(fake))
    grandchild = int(pid.read_text())
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)
    # a go that answers is asked once per process
    monkeypatch.setattr(goexe, "_GO_ENV_TIMEOUT", 60.0)
    assert goexe.goroot(GO) == goexe.goroot(GO) is not None
    assert GO in goexe._goroots


def test_go_env_is_asked_once_per_build(tmp_path: Path) -> None:
    wrapper = tmp_path / "bin" / "go"
    log = tmp_path / "calls"
    write(wrapper, f'#!/bin/sh\n[ "$1" = env ] && echo "$*" >> "{log}"\nexec {GO} "$@"\n').chmod(0o755)
    root = tmp_path / "mod"
    write(root / "go.mod", GO_MOD)
    for i in range(3):
        write(root / f"p{i}" / "a.tgo", CALC.replace("package calc", f"package p{i}"))
        write(root / f"p{i}" / "b.tgo", f"package p{i}\n\nfunc B() int {{ return 1 }}\n")
    env = child_env({"TGO_CACHE_DIR": str(tmp_path / "cache"), "TGO_GO": str(wrapper)})
    proc = subprocess.run([sys.executable, "-m", "transpiler", "build", "./..."], cwd=root, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert log.read_text().splitlines() == ["env GOROOT"]


def test_a_hung_go_list_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "bin" / "go"
    write(fake, '#!/bin/sh\nsleep 1000 &\nwait\n').chmod(0o755)
    monkeypatch.setattr(gocmd, "GO_LIST_TIMEOUT", 0.5)
    ga = gocmd.parse_go_args("vet", ["."])
    t0 = time.monotonic()
    with pytest.raises(ToolchainError, match=r"^go list did not answer within 0.5 s"):
        gocmd._go_list(str(fake), ga, None, ["."], str(tmp_path))
    assert time.monotonic() - t0 < 10


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_killed_builds_leave_nothing_behind(tmp_path: Path, bin_dir: Path) -> None:
    tally = run_kills(bin_dir / "tgo", tmp_path, 3, 14, child_env())
    assert (tally.trials, tally.failures) == (3, {}), tally.examples
