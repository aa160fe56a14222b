"""tgo on a full disk and on a read-only cache (issue 14): a clear message and exit 2, or success; never a traceback.

The cache directory is a real file system in each case: a 64 KiB tmpfs (full
after tgo's first few entries) and a read-only bind mount. Both need the right to
mount (root, or CAP_SYS_ADMIN); without it the tests are skipped, and say so.
Root ignores permission bits, so a read-only *mount* is the only way to give root
a cache it cannot write.

What must hold in each: every command either does its job (caches are an
optimisation: a build may go on without one) or stops with exit 2 and a one-line
``tgo: ...`` message that names the cache and the reason; the sources are never
changed; a program that is built is the right program.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tgorun import no_traceback, tgo, write

from transpiler.toolchain import find_go

MAIN = """package main

import "fmt"

type User struct{ Name string }

func find(name string) ?*User {
\tif name == "" {
\t\treturn nil
\t}
\treturn &User{Name: name}
}

func main() {
\tif u := find("ada"); u != nil {
\t\tfmt.Println("hello,", u.Name)
\t}
}
"""

pytestmark = pytest.mark.skipif(find_go() is None or os.name != "posix" or shutil.which("mount") is None,
                                reason="needs Go and mount(8) on a POSIX system")


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True, check=False).returncode == 0


@contextlib.contextmanager
def _mounted(target: Path, *args: str) -> Iterator[None]:
    target.mkdir(parents=True, exist_ok=True)
    if not _mount(*args, str(target)):
        pytest.skip("cannot mount here (needs root or CAP_SYS_ADMIN)")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


def _project(root: Path) -> dict[Path, bytes]:
    write(root / "go.mod", "module example.com/hello\n\ngo 1.22\n")
    write(root / "main.tgo", MAIN)
    return {p: p.read_bytes() for p in root.iterdir()}


def _ok_or_clear(proc: subprocess.CompletedProcess[str], cache: Path) -> None:
    no_traceback(proc)
    assert proc.returncode in (0, 2), proc.stderr
    if proc.returncode == 2:
        assert proc.stderr.startswith("tgo: "), proc.stderr
        assert str(cache) in proc.stderr, proc.stderr


def _commands(root: Path, cache: Path) -> None:
    env = {"TGO_CACHE_DIR": str(cache)}
    sources = {p: p.read_bytes() for p in root.iterdir()}
    out = root.parent / "bin" / "hello"
    build = tgo("build", "-o", str(out), ".", cwd=root, env=env)
    _ok_or_clear(build, cache)
    if build.returncode == 0:
        assert subprocess.run([str(out)], capture_output=True, text=True, check=True).stdout == "hello, ada\n"
    run = tgo("run", ".", cwd=root, env=env)
    _ok_or_clear(run, cache)
    if run.returncode == 0:
        assert run.stdout == "hello, ada\n"
    check = tgo("check", ".", cwd=root, env=env)
    _ok_or_clear(check, cache)
    assert "error" not in check.stdout  # the package is clean: nothing may be reported as wrong in it
    assert {p: p.read_bytes() for p in root.iterdir()} == sources


def test_a_full_disk(tmp_path: Path) -> None:
    root = tmp_path / "hello"
    _project(root)
    disk = tmp_path / "disk"
    with _mounted(disk, "-t", "tmpfs", "-o", "size=64k", "tmpfs"):
        filler = disk / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as f:  # leave about 8 KiB
            f.write(b"x" * (56 << 10))
        _commands(root, disk / "cache")
        with contextlib.suppress(OSError):
            filler.unlink()
        _commands(root, disk / "cache")  # a half-written cache from the full disk is read back safely


@pytest.mark.parametrize("warm", [False, True], ids=["empty", "warm"])
def test_a_read_only_cache(tmp_path: Path, warm: bool) -> None:
    root = tmp_path / "hello"
    _project(root)
    ro = tmp_path / "ro"
    (ro / "cache").mkdir(parents=True)
    if warm:
        first = tgo("build", "-o", str(tmp_path / "first"), ".", cwd=root, env={"TGO_CACHE_DIR": str(ro / "cache")})
        assert first.returncode == 0, first.stderr
    with _mounted(ro, "--bind", str(ro)):
        if not _mount("-o", "remount,ro,bind", str(ro)):
            pytest.skip("cannot remount read-only here")
        _commands(root, ro / "cache")
