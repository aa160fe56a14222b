#!/usr/bin/env python3
"""Real open-source Go modules at pinned versions, fetched through the Go module proxy.

A small library for the scripts that measure tgo on real code (the false-positive
audit, scripts/fp_audit.py, and later ones), and a CLI to fetch them:

* ``MODULES``: the pinned list (module path and exact version);
* ``download(module)``: ``go mod download -json PATH@VERSION`` puts the module in
  the module cache (read-only) and names its directory;
* ``copy_module(module, dest)``: the module's tree copied to a writable directory,
  so that a caller may rename or edit its files;
* ``go_files(tree)``: the ``.go`` files of a copied tree; ``rename_to_tgo(tree)``
  renames every one of them to ``.tgo``.

Exit status of the CLI: 0 when every module named was fetched (and copied with
``--copy``), 1 when one could not be, 2 on a usage error (no Go toolchain).

Examples::

    python scripts/realmods.py                      # fetch every pinned module, print its Dir
    python scripts/realmods.py --modules github.com/google/uuid --copy /tmp/mods
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Module:
    """One module at an exact version."""

    path: str
    version: str

    @property
    def spec(self) -> str:
        return f"{self.path}@{self.version}"

    @property
    def short(self) -> str:
        """A directory name for the module: its path with ``/`` as ``_``."""
        return self.path.replace("/", "_")


# Popular modules (by importers on pkg.go.dev), pinned: the versions are those of
# mid-2024, each checked with ``go mod download -json``.
MODULES: tuple[Module, ...] = (
    Module("github.com/go-chi/chi/v5", "v5.1.0"),
    Module("github.com/google/uuid", "v1.6.0"),
    Module("github.com/spf13/cobra", "v1.8.1"),
    Module("github.com/spf13/pflag", "v1.0.5"),
    Module("github.com/gin-gonic/gin", "v1.10.0"),
    Module("go.uber.org/zap", "v1.27.0"),
    Module("github.com/labstack/echo/v4", "v4.12.0"),
    Module("github.com/sirupsen/logrus", "v1.9.3"),
    Module("github.com/stretchr/testify", "v1.9.0"),
    Module("github.com/pkg/errors", "v0.9.1"),
    Module("golang.org/x/sync", "v0.8.0"),
    Module("github.com/gorilla/mux", "v1.8.1"),
)


class FetchError(Exception):
    """A module could not be fetched (no go command, no network, unknown version)."""


def find(names: Sequence[str]) -> list[Module]:
    """The pinned modules named by path (or ``path@version`` for one not in the list)."""
    by_path = {m.path: m for m in MODULES}
    out: list[Module] = []
    for name in names:
        if "@" in name:
            path, version = name.rsplit("@", 1)
            out.append(Module(path, version))
        elif name in by_path:
            out.append(by_path[name])
        else:
            raise FetchError(f"{name}: not a pinned module (give PATH@VERSION)")
    return out


def download(module: Module, timeout: float = 300.0) -> Path:
    """Fetch ``module`` into the module cache; the directory that holds it (read-only)."""
    go = shutil.which("go")
    if go is None:
        raise FetchError("go is not installed")
    cmd = [go, "mod", "download", "-json", module.spec]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=os.path.expanduser("~"))
    except (OSError, subprocess.SubprocessError) as exc:
        raise FetchError(f"{module.spec}: {exc}") from exc
    try:
        info = json.loads(proc.stdout) if proc.stdout.strip() else {}
    except json.JSONDecodeError:
        info = {}
    err = info.get("Error") if isinstance(info, dict) else None
    directory = info.get("Dir") if isinstance(info, dict) else None
    if err or not isinstance(directory, str) or not directory:
        reason = str(err or proc.stderr.strip() or f"go mod download exited {proc.returncode}")
        raise FetchError(f"{module.spec}: {reason[:500]}")
    return Path(directory)


def _make_writable(tree: Path) -> None:
    for dirpath, _dirs, files in os.walk(tree):
        os.chmod(dirpath, os.stat(dirpath).st_mode | stat.S_IWUSR | stat.S_IRUSR | stat.S_IXUSR)
        for f in files:
            p = os.path.join(dirpath, f)
            if not os.path.islink(p):
                os.chmod(p, os.stat(p).st_mode | stat.S_IWUSR | stat.S_IRUSR)


def copy_module(module: Module, dest: Path) -> Path:
    """Fetch ``module`` and copy its tree to ``dest/<short name>`` (replaced if present),
    writable; the copy's root."""
    source = download(module)
    target = dest / module.short
    if target.exists():
        _make_writable(target)
        shutil.rmtree(target)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, target, symlinks=True)
    _make_writable(target)
    _complete_sums(target)
    return target


def _complete_sums(tree: Path) -> None:
    """Give a module that ships requirements but no ``go.sum`` (gopkg.in/yaml.v3: its tests
    need gopkg.in/check.v1) the sums of its requirements, as its developers' checkout has:
    else go refuses to build its tests. ``go.mod`` is kept byte for byte (``go mod download``
    would add a ``go`` line, which changes the language version)."""
    mod, sums = tree / "go.mod", tree / "go.sum"
    go = shutil.which("go")
    if go is None or sums.exists() or not mod.is_file():
        return
    env = dict(os.environ, GOFLAGS="", GOTOOLCHAIN="local")
    proc = subprocess.run([go, "mod", "edit", "-json"], cwd=tree, env=env, capture_output=True, text=True, check=False)
    try:
        required = [r["Path"] for r in json.loads(proc.stdout).get("Require") or []]
    except (ValueError, KeyError, TypeError):
        return
    if required:
        text = mod.read_bytes()
        subprocess.run([go, "mod", "download", *required], cwd=tree, env=env, capture_output=True, check=False)
        mod.write_bytes(text)


def go_files(tree: Path) -> list[Path]:
    """The ``.go`` files below ``tree``, sorted."""
    return sorted(Path(d) / f for d, _dirs, files in os.walk(tree) for f in files if f.endswith(".go"))


def rename_to_tgo(tree: Path, packages_only: bool = False) -> list[Path]:
    """Rename every ``.go`` file below ``tree`` to ``.tgo``; the new paths, sorted. With
    ``packages_only``, not the files ``./...`` leaves out (in ``testdata`` and ``vendor``
    directories, and below names starting with ``.`` or ``_``): they are data, or other
    people's code, which an adopter does not rename."""
    out: list[Path] = []
    for p in go_files(tree):
        if packages_only and any(
            part in ("testdata", "vendor") or part.startswith((".", "_")) for part in p.relative_to(tree).parts[:-1]
        ):
            continue
        q = p.with_suffix(".tgo")
        p.rename(q)
        out.append(q)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--modules", nargs="+", metavar="M", help="module paths (or PATH@VERSION); default: all pinned")
    ap.add_argument("--copy", type=Path, metavar="DIR", help="also copy each module to DIR/<name>, writable")
    ap.add_argument("--list", action="store_true", help="print the pinned list and exit")
    args = ap.parse_args(argv)
    if args.list:
        for m in MODULES:
            print(m.spec)
        return 0
    if shutil.which("go") is None:
        print("realmods: go is not installed", file=sys.stderr)
        return 2
    try:
        modules = find(args.modules) if args.modules else list(MODULES)
    except FetchError as exc:
        print(f"realmods: {exc}", file=sys.stderr)
        return 2
    status = 0
    for m in modules:
        try:
            where = copy_module(m, args.copy) if args.copy is not None else download(m)
        except (FetchError, OSError) as exc:
            print(f"realmods: {exc}", file=sys.stderr)
            status = 1
            continue
        print(f"{m.spec}\t{where}")
    return status


if __name__ == "__main__":
    sys.exit(main())
