"""The native launcher (transpiler/toolchain/launcher) against the Python tgo's launch records.

The launcher is built from the sources tgo ships, installed in a temporary bin
directory next to a ``tgo-py`` that runs this test's tgo, and run as a user runs
``tgo``: it must answer a warm ``tgo run`` with the recorded go command, and must
hand the command to Python whenever anything tgo read has changed, so that the
program that runs is always the one the sources say.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tgorun import child_env, version_line, write

import transpiler
from transpiler.toolchain import find_go, launchrec

GO = find_go()
pytestmark = pytest.mark.skipif(GO is None or os.name != "posix", reason="needs Go on a POSIX system")

LAUNCHER_SOURCE = Path(transpiler.__file__).parent / "toolchain" / "launcher"

GO_MOD = "module example.com/app\n\ngo 1.22\n"
MAIN = """\
package main

import (
	"fmt"

	"example.com/app/lib"
)

var msg = "v1"

func find(ok bool) ?*string {
	if ok {
		return &msg
	}
	return nil
}

func main() {
	if p := find(true); p != nil {
		fmt.Println(*p, lib.Name())
	}
}
"""
LIB = 'package lib\n\nfunc Name() string { return "lib1" }\n'


@pytest.fixture(scope="module")
def bin_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bin directory holding the launcher, as ``tgo``, and ``tgo-py``."""
    assert GO is not None
    d = tmp_path_factory.mktemp("bin")
    proc = subprocess.run(
        [GO, "build", "-o", str(d / "tgo"), "."],
        cwd=LAUNCHER_SOURCE, capture_output=True, text=True, check=False,
        env=dict(os.environ, CGO_ENABLED="0", GOWORK="off", GOFLAGS=""),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    py = d / "tgo-py"
    py.write_text(f"#!{sys.executable}\nfrom transpiler.fastpath import main\n\nmain()\n")
    py.chmod(0o755)
    return d


class App:
    """A module with a .tgo main package and a plain Go package it imports."""

    def __init__(self, root: Path, bin_dir: Path, cache: Path) -> None:
        self.root = root
        self.bin_dir = bin_dir
        self.cache = cache
        write(root / "go.mod", GO_MOD)
        write(root / "main.tgo", MAIN)
        write(root / "lib" / "lib.go", LIB)

    def run(self, **env: str) -> subprocess.CompletedProcess[str]:
        full = child_env({"TGO_CACHE_DIR": str(self.cache), "TGO_LAUNCHER": "debug", **env})
        return subprocess.run(
            [str(self.bin_dir / "tgo"), "run", "."],
            cwd=self.root, env=full, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip


def launcher_said(proc: subprocess.CompletedProcess[str]) -> str:
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("tgo launcher: ")]
    assert len(lines) == 1, proc.stderr
    return lines[0][len("tgo launcher: ") :]


def test_records_are_used_only_while_nothing_changed(tmp_path: Path, bin_dir: Path) -> None:
    cache = tmp_path / "cache"
    names = ["same", "edit", "edit_keep_mtime", "new_file", "dep", "toml", "broken", "env", "off"]
    apps = {n: App(tmp_path / n, bin_dir, cache) for n in names}

    # files written this instant are not settled: no record is left for them
    fresh = App(tmp_path / "fresh", bin_dir, cache)
    for _ in range(2):
        proc = fresh.run()
        assert proc.returncode == 0 and proc.stdout == "v1 lib1\n", proc.stderr
        assert launcher_said(proc).startswith("miss: no record ")

    # a command that fails leaves no record, even when its files are settled
    failing = App(tmp_path / "failing", bin_dir, cache)
    (failing.root / "main.tgo").write_text(MAIN.replace("if p := find(true); p != nil {", "{ p := find(true)"))

    time.sleep(2.2)
    for _ in range(2):
        proc = failing.run()
        assert proc.returncode == 1 and proc.stdout == ""
        assert "main.tgo:20:16: error: possible nil dereference" in proc.stderr, proc.stderr
        assert launcher_said(proc).startswith("miss: no record ")
    for name, app in apps.items():
        first, second = app.run(), app.run()
        assert first.stdout == second.stdout == "v1 lib1\n", (name, first.stderr, second.stderr)
        assert launcher_said(first).startswith("miss: no record "), name
        assert launcher_said(second).startswith("hit: "), (name, second.stderr)
        assert "-overlay=" in launcher_said(second)

    # change each module in one way
    main = apps["edit"].root / "main.tgo"
    main.write_text(MAIN.replace('"v1"', '"v2"'))  # same size
    main = apps["edit_keep_mtime"].root / "main.tgo"
    st = main.stat()
    main.write_text(MAIN.replace('"v1"', '"v3"'))
    os.utime(main, ns=(st.st_atime_ns, st.st_mtime_ns))  # as `tar` or `cp -p` would leave it
    assert main.stat().st_size == st.st_size and main.stat().st_mtime_ns == st.st_mtime_ns
    write(apps["new_file"].root / "late.tgo", 'package main\n\nfunc init() { msg = "v4" }\n')
    (apps["dep"].root / "lib" / "lib.go").write_text(LIB.replace("lib1", "lib2"))
    write(apps["toml"].root / "tgo.toml", "stub_paths = 3\n")
    (apps["broken"].root / "main.tgo").write_text(MAIN.replace("if p := find(true); p != nil {", "{ p := find(true)"))

    proc = apps["same"].run()
    assert proc.stdout == "v1 lib1\n" and launcher_said(proc).startswith("hit: ")
    proc = apps["edit"].run()
    assert proc.stdout == "v2 lib1\n" and launcher_said(proc) == f"miss: changed: {apps['edit'].root / 'main.tgo'}"
    proc = apps["edit_keep_mtime"].run()
    assert proc.stdout == "v3 lib1\n"
    assert launcher_said(proc) == f"miss: changed: {apps['edit_keep_mtime'].root / 'main.tgo'}"
    proc = apps["new_file"].run()
    assert proc.stdout == "v4 lib1\n" and launcher_said(proc) == f"miss: changed: {apps['new_file'].root}"
    proc = apps["dep"].run()
    assert proc.stdout == "v1 lib2\n" and launcher_said(proc).startswith("miss: changed: ")
    proc = apps["toml"].run()
    assert proc.returncode == 2 and "tgo.toml" in proc.stderr and launcher_said(proc).startswith("miss: ")
    proc = apps["broken"].run()
    assert proc.returncode == 1 and "main.tgo:20:16: error: possible nil dereference" in proc.stderr
    assert launcher_said(proc) == f"miss: changed: {apps['broken'].root / 'main.tgo'}"
    proc = apps["env"].run(GOFLAGS="-trimpath")
    assert proc.stdout == "v1 lib1\n" and launcher_said(proc).startswith("miss: no record "), proc.stderr
    proc = apps["off"].run(TGO_LAUNCHER="off")
    assert proc.stdout == "v1 lib1\n" and "tgo launcher" not in proc.stderr


def test_a_removed_cache_file_is_not_trusted(tmp_path: Path, bin_dir: Path) -> None:
    app = App(tmp_path / "app", bin_dir, tmp_path / "cache")
    time.sleep(2.2)
    assert app.run().returncode == 0
    shutil.rmtree(tmp_path / "cache" / "build" / "go")
    proc = app.run()
    assert proc.stdout == "v1 lib1\n" and launcher_said(proc).startswith("miss: gone from the cache or damaged: ")


def test_other_commands_go_to_python(tmp_path: Path, bin_dir: Path) -> None:
    app = App(tmp_path / "app", bin_dir, tmp_path / "cache")
    env = child_env({"TGO_LAUNCHER": "debug", "TGO_CACHE_DIR": str(tmp_path / "cache")})
    for args in (["--version"], ["check", "."], ["build", "--help"]):
        proc = subprocess.run([str(bin_dir / "tgo"), *args], cwd=app.root, env=env,
                              capture_output=True, text=True, check=False)  # fmt: skip
        assert proc.returncode == 0, (args, proc.stderr)
        assert "tgo launcher" not in proc.stderr
    assert subprocess.run([str(bin_dir / "tgo"), "--version"], env=env, capture_output=True,
                          text=True, check=False).stdout == version_line()  # fmt: skip


def test_without_tgo_py_the_launcher_says_so(tmp_path: Path, bin_dir: Path) -> None:
    lone = tmp_path / "tgo"
    shutil.copy(bin_dir / "tgo", lone)
    proc = subprocess.run([str(lone), "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"tgo: cannot run {tmp_path / 'tgo-py'}: ")


def test_record_keys_ignore_what_only_changes_messages() -> None:
    env = {"PATH": "/bin", "GOFLAGS": "-v", "TERM": "xterm", "TGO_LAUNCHER": "debug", "OLDPWD": "/"}
    key = launchrec.record_key("/w", ["build", "."], env)
    assert key == launchrec.record_key("/w", ["build", "."], {**env, "TERM": "dumb", "TGO_LAUNCHER": "off"})
    for changed in ({**env, "GOFLAGS": ""}, {**env, "TGO_GO": "go"}, {**env, "PYTHONPATH": "/x"}):
        assert launchrec.record_key("/w", ["build", "."], changed) != key
    assert launchrec.record_key("/w", ["build", "./..."], env) != key
    assert launchrec.record_key("/v", ["build", "."], env) != key


@pytest.mark.skipif(not os.environ.get("TGO_EXPECT_INSTALLED"), reason="checks the installed commands (CI)")
def test_installed_tgo_is_the_launcher() -> None:
    bindir = Path(sys.executable).parent
    with open(bindir / "tgo", "rb") as fh:
        assert fh.read(4) == b"\x7fELF" or sys.platform == "darwin"
    assert (bindir / "tgo-py").is_file()


def test_records_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(launchrec, "MAX_RECORDS", 10)
    launch = tmp_path / "launch"
    launch.mkdir()
    for i in range(11):
        (launch / f"{i:02}.json").write_text("{}")
        os.utime(launch / f"{i:02}.json", ns=(i * 10**9, i * 10**9))
    (tmp_path / "old.tgo").write_text("package p\n")
    os.utime(tmp_path / "old.tgo", ns=(10**9, 10**9))
    w = launchrec.Witness()
    w.start_ns += 10 * 10**9  # (the file's change time is now: count it as settled)
    w.note([str(tmp_path / "old.tgo")])
    assert w.write(str(tmp_path), ["build", "."], ["go", "build", "."])
    kept = {p.name for p in launch.iterdir()}
    new = launchrec.record_key(str(tmp_path), ["build", "."], os.environ) + ".json"
    assert kept == {"07.json", "08.json", "09.json", "10.json", new}


def test_an_edited_local_replacement_misses_the_record(tmp_path: Path, bin_dir: Path) -> None:
    """The lowering of ``lib.F()?`` depends on F's results, in a module outside the main
    one (``replace => ../lib``): its files are noted, so an edit there is a miss."""
    app = App(tmp_path / "app", bin_dir, tmp_path / "cache")
    write(tmp_path / "ext" / "go.mod", "module example.com/ext\n\ngo 1.22\n")
    ext = write(tmp_path / "ext" / "ext.go", "package ext\n\nfunc F() (int, error) { return 7, nil }\n")
    write(app.root / "go.mod", GO_MOD + "\nrequire example.com/ext v0.0.0\n\nreplace example.com/ext => ../ext\n")
    write(app.root / "main.tgo", 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/ext"\n)\n\n'
          "func run() error {\n\tn := ext.F()?\n\tfmt.Println(n)\n\treturn nil\n}\n\n"
          "func main() {\n\tif err := run(); err != nil {\n\t\tpanic(err)\n\t}\n}\n")
    time.sleep(2.2)
    assert app.run().stdout == "7\n"
    time.sleep(2.2)  # (the stub made of ext's sources is settled: this run leaves a record)
    assert app.run().stdout == "7\n"
    proc = app.run()
    assert proc.stdout == "7\n" and launcher_said(proc).startswith("hit: "), proc.stderr
    ext.write_text("package ext\n\nfunc F() int { return 1 }\n")
    proc = app.run()
    assert proc.returncode == 1 and launcher_said(proc) == f"miss: changed: {ext}", proc.stderr
    assert "main.tgo:10:7: error: ? needs a call whose last result is error [bad-try]" in proc.stderr
