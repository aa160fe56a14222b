"""Module and package discovery: go.mod and go.work found and read, and the one ``./...`` walker.

* ``module_root(dir)``: the nearest directory at or above ``dir`` with a ``go.mod``;
  ``module_path(root)``: the path its ``module`` line declares (the one go.mod reader);
  ``find_module(dir)``: both.
* ``go_work(dir)``: the go.work in use (``$GOWORK``, or the nearest at or above ``dir``;
  ``GOWORK=off`` disables it); ``workspace_modules(go_work)``: its ``use`` directories;
  ``module_roots(dir)``: the modules a go command there may build.
* ``special_module_file(dir)``: a go.mod or go.work go would read there that is not a
  regular file (go would hang on a FIFO).
* ``module_files(root)``: the files that decide where a module's imports come from;
  ``local_replacements(root)``: the modules its go.mod replaces by a directory.
* ``walk(top)``: ``top`` and the directories below it as go walks ``./...``.

Every function reads through a ``FileSystem`` (``fs``, the disk by default), so an
overlay or a recorder (the launch records) sees every path it looked at. The module's
``tgo.toml`` is read by ``stubs.config.load_config`` (through the same ``fs``).
Standard library only: the cached ``tgo check`` loads it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from transpiler.fs.base import DISK, FileSystem
from transpiler.fs.read import CONFIG_LIMIT

GO_MOD = "go.mod"
GO_WORK = "go.work"
SKIPPED_DIRS = frozenset({"testdata", "vendor"})
"""Directories ``./...`` does not descend into (besides hidden ones: ``.x``, ``_x``)."""

# the files of a module whose change may change which package an import path means
MODULE_FILES = ("go.mod", "go.sum", os.path.join("vendor", "modules.txt"))


def hidden(name: str) -> bool:
    """Whether the go command ignores a file or directory of this name (``.x``, ``_x``)."""
    return name.startswith((".", "_"))


def importable_skipped(name: str) -> bool:
    """Whether ``./...`` skips a directory of this name although a package below it may be
    imported (and then built): ``testdata`` and ``_x`` (``vendor`` holds other modules'
    code; an import path element may not start with ``.``)."""
    return name == "testdata" or name.startswith("_")


def find_upwards(start: str, name: str, fs: FileSystem = DISK) -> str | None:
    """The file ``name`` in ``start`` or the nearest directory above it that has one."""
    current = os.path.abspath(start)
    while True:
        candidate = os.path.join(current, name)
        if fs.is_file(candidate):
            return candidate
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def module_root(directory: str, fs: FileSystem = DISK) -> str | None:
    """The nearest directory at or above ``directory`` that holds a ``go.mod``, or ``None``."""
    gomod = find_upwards(directory, GO_MOD, fs)
    return None if gomod is None else os.path.dirname(gomod)


def special_module_file(start: str) -> str | None:
    """A ``go.mod`` or ``go.work`` that a go command in ``start`` would read and that is not a
    regular file (a FIFO: go waits on it forever), or None. go takes the nearest of each at
    or above ``start`` that is not a directory (``$GOWORK`` names the go.work when set)."""
    env = os.environ.get("GOWORK", "")
    names = [GO_MOD] if env else [GO_MOD, GO_WORK]
    candidates: list[str] = [env] if env and env != "off" else []
    current = os.path.abspath(start)
    while names:
        for name in list(names):
            path = os.path.join(current, name)
            if os.path.exists(path) and not os.path.isdir(path):
                names.remove(name)
                candidates.append(path)
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return next((c for c in candidates if os.path.exists(c) and not os.path.isfile(c)), None)


def module_path(root: str, fs: FileSystem = DISK) -> str | None:
    """The module path the ``module`` line of ``root/go.mod`` declares (None: no readable
    go.mod, or no module line)."""
    try:
        text = fs.read(os.path.join(root, GO_MOD), CONFIG_LIMIT).decode("utf-8", "replace")
    except OSError:
        return None
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "module":
            return parts[1].strip('"')
    return None


def find_module(directory: str, fs: FileSystem = DISK) -> tuple[str, str] | None:
    """(the module root above ``directory``, its module path), or None outside a module."""
    root = module_root(directory, fs)
    if root is None:
        return None
    path = module_path(root, fs)
    return None if path is None else (root, path)


def go_work(start: str, fs: FileSystem = DISK) -> str | None:
    """The go.work file a go command in ``start`` uses: ``$GOWORK`` when set (None for
    ``off`` or a file that is not there), else the nearest at or above ``start``."""
    env = os.environ.get("GOWORK", "")
    if env == "off":
        return None
    if env:
        return env if fs.is_file(env) else None
    return find_upwards(start, GO_WORK, fs)


def _directives(path: str, keyword: str, fs: FileSystem) -> list[str]:
    """The arguments of each ``keyword`` directive of a go.mod or go.work file, one line
    ``keyword ARGS`` or a block ``keyword ( ... )`` of them ([] when it cannot be read)."""
    try:
        lines = fs.read(path, CONFIG_LIMIT).decode("utf-8", "replace").splitlines()
    except OSError:
        return []
    out: list[str] = []
    in_block = False
    for raw in lines:
        line = raw.split("//", 1)[0].strip()
        if in_block:
            if line == ")":
                in_block = False
            elif line:
                out.append(line)
            continue
        if not line.startswith((keyword + " ", keyword + "\t", keyword + "(")):
            continue
        rest = line[len(keyword):].strip()
        if rest == "(":
            in_block = True
        elif rest:
            out.append(rest)
    return out


def workspace_modules(gowork: str, fs: FileSystem = DISK) -> list[str]:
    """The module directories a go.work file uses (its ``use`` directives)."""
    base = os.path.dirname(gowork)
    return [os.path.normpath(os.path.join(base, d.strip('"'))) for d in _directives(gowork, "use", fs)]


def module_roots(workdir: str, fs: FileSystem = DISK) -> list[str]:
    """The module directories whose packages may be built from ``workdir``: every module
    of the go.work in use (``go_work``), else the main module (the nearest go.mod). Empty
    outside any module."""
    gowork = go_work(workdir, fs)
    if gowork is not None:
        return workspace_modules(os.path.abspath(gowork), fs)
    root = module_root(workdir, fs)
    return [root] if root is not None else []


def local_replacements(root: str, fs: FileSystem = DISK) -> list[tuple[str, str]]:
    """(module path, absolute directory) of each ``replace`` directive of ``root/go.mod`` whose
    target is a directory (``=> ../lib``: a path starting with ``./``, ``../`` or ``/``)."""
    out: list[tuple[str, str]] = []
    for spec in _directives(os.path.join(root, GO_MOD), "replace", fs):
        old, arrow, new = spec.partition("=>")
        target = new.split()
        if not arrow or len(target) != 1 or not old.split():
            continue  # (a replacement by a module version has two fields)
        path = target[0].strip('"')
        if path.startswith(("./", "../", "/")) or path in (".", ".."):
            out.append((old.split()[0].strip('"'), os.path.normpath(os.path.join(root, path))))
    return out


def module_files(root: str, fs: FileSystem = DISK) -> list[str]:
    """The files that decide where a module's imports' sources are (those that exist): its
    go.mod, go.sum and vendor/modules.txt, and the go.work (and go.work.sum) in use."""
    found = [p for p in (os.path.join(root, name) for name in MODULE_FILES) if fs.is_file(p)]
    gowork = go_work(root, fs)
    if gowork is not None:
        found += [p for p in (gowork, gowork + ".sum") if fs.is_file(p)]
    return found


def walk(
    top: str, fs: FileSystem = DISK, *, skip_modules: bool = False,
    onerror: Callable[[OSError], None] | None = None, skipped: list[str] | None = None,
) -> Iterator[tuple[str, list[str]]]:
    """``top`` and the directories below it as go walks ``./...``, each with the names of
    the files in it (sorted): depth first in name order, not into ``testdata``, ``vendor``,
    hidden directories or symbolic links to directories, nor (``skip_modules``) into a
    directory with a ``go.mod`` of its own. A directory that cannot be listed is given to
    ``onerror`` (when given) and left out. ``skipped``, when given, gets the path of each
    ``testdata`` or ``_x`` directory not walked into: go builds a package there only when
    one imports it (``importable_skipped``)."""
    pending = [top]
    while pending:
        directory = pending.pop()
        try:
            entries = fs.entries(directory)
        except OSError as exc:
            if onerror is not None:
                onerror(exc)
            continue
        files = [e.name for e in entries if not e.is_dir]
        if skip_modules and directory != top and GO_MOD in files and fs.is_file(os.path.join(directory, GO_MOD)):
            continue
        yield directory, files
        subdirs = [os.path.join(directory, e.name) for e in entries
                   if e.is_dir and not e.is_link and e.name not in SKIPPED_DIRS and not hidden(e.name)]
        if skipped is not None:
            skipped += [os.path.join(directory, e.name) for e in entries
                        if e.is_dir and not e.is_link and importable_skipped(e.name)]
        pending.extend(reversed(subdirs))
