"""Packages without a stub typed from their Go sources: the go command resolves them, stubgen writes their stubs into tgo's cache.

A package that no stub directory holds and that is not in the module being
checked (the module cache, ``vendor/``, a ``replace`` directive's directory, a
``go.work`` module) is listed with ``go list -e -deps`` from the checked
package's directory, so that the go command's own rules decide where its files
are; stubgen then writes its stub (no ``//tgo:strict``: unknown nullability)
into ``$TGO_CACHE_DIR/srcstubs``. A stub is kept per package of a
``module@version`` (the module cache is read-only) and, for files that may
change (``vendor/``, local replacements, workspace modules), per content of the
package's files. The ``go list`` output is kept too (``srcstubs/list``), by what
decides it (see ``_listing_path``).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field

from transpiler import caches
from transpiler.goexe import ToolchainError
from transpiler.stubs import stubgen
from transpiler.stubs.locate import stub_file_name

FORMAT = 1
# the parts of tgo whose code decides a stub's text (the printer is in syntax, the constant
# evaluator in types, the gofmt runner in goexe)
_CODE_DIRS = ("stubs", "syntax", "types", "goexe.py")


@dataclass(slots=True)
class SourceStub:
    """A package's stub made from its sources: the stub files, and the files whose change
    makes a check that read it stale (the stub, and the sources a stub is not kept by version
    for with their directory)."""

    files: list[str]
    dependencies: list[str] = field(default_factory=list)


class SourceStubs:
    """Stubs made from Go sources for the packages a directory's code imports (lazily, with the
    go command run once per import path not yet listed)."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.listed: dict[str, stubgen.GoPackage] = {}
        self.errors: dict[str, str] = {}  # import path -> why it cannot be imported
        self._made: dict[str, SourceStub | None] = {}
        self._go: str | None = None
        self._context: stubgen._Context | None = None
        self.go_runs = 0  # (for tests: how often the go command was asked)
        self.generated = 0  # (for tests: how many stubs were written rather than found in the cache)

    def stub(self, import_path: str) -> SourceStub | None:
        """The stub of ``import_path``, or None (no Go toolchain, the package cannot be
        listed or has no files: then ``errors`` may say why)."""
        if import_path in self._made:
            return self._made[import_path]
        self._made[import_path] = None
        if import_path not in self.listed and not self._list(import_path):
            return None
        gp = self.listed.get(import_path)
        if gp is None:
            return None
        if gp.error is not None and not gp.files:
            if "build constraints exclude" not in gp.error:  # (it exists, for another platform)
                self.errors[import_path] = gp.error
            return None
        if not gp.files or gp.standard or not gp.name or gp.name == "main":
            return None
        made = self._make(gp)
        self._made[import_path] = made
        return made

    def _list(self, import_path: str) -> bool:
        listed = _load_listing(import_path, self.directory)
        if listed is None:
            try:
                self.go_runs += 1
                listed = stubgen.go_list([import_path], self.directory, deps=True)
            except (stubgen.StubgenError, ToolchainError):
                return False
            _store_listing(import_path, self.directory, listed)
        for gp in listed:
            self.listed.setdefault(gp.import_path, gp)
        if self._context is not None:
            self._context.names.update({p: gp.name for p, gp in self.listed.items() if gp.name})
        return True

    def _key(self, gp: stubgen.GoPackage) -> tuple[str, list[str]]:
        """The cache key of a package's stub, and the source files the stub is kept by content for."""
        h = hashlib.sha256(f"{FORMAT}\0{caches.code_stamp(_CODE_DIRS)}\0{gp.import_path}\0".encode())
        for f in gp.files:
            h.update(b"\0" + os.path.basename(f).encode())
        if gp.module:
            h.update(b"\0M" + gp.module.encode())
            return h.hexdigest()[:32], []
        for f in gp.files:
            with open(f, "rb") as fh:
                h.update(b"\0C" + hashlib.sha256(fh.read()).digest())
        return h.hexdigest()[:32], list(gp.files)

    def _make(self, gp: stubgen.GoPackage) -> SourceStub | None:
        try:
            key, sources = self._key(gp)
        except OSError:
            return None
        path = os.path.join(caches.cache_root(), "srcstubs", key, *stub_file_name(gp.import_path).split("/"))
        if not caches.sum_ok(path):  # (verified: a damaged stub is made again)
            try:
                if self._go is None:
                    self._go = stubgen.go_description(self.directory)
                if self._context is None:
                    names = {p: g.name for p, g in self.listed.items() if g.name}
                    self._context = stubgen._Context(names, self.listed, self.directory)
                text = stubgen.stub_text(gp, self._context, self._go)
                caches.write_with_sum(path, text.encode("utf-8"))
            except (stubgen.StubgenError, ToolchainError, OSError):
                return None
            self.generated += 1
        # (the directory too: a file added to or removed from it changes the package)
        return SourceStub([path], [path, *sources, *([gp.dir] if sources and gp.dir else [])])


# ------------------------------------------------------------ listings --
# ``go list`` of an import path, kept by what decides it: the directory, the module files
# (go.mod, go.sum, vendor/modules.txt, go.work), the go binary and the environment it
# reads; and, for packages outside the read-only module cache, their directories'
# modification times (a file added or removed changes the files go selects).

_ENV = ("GOFLAGS", "GOOS", "GOARCH", "CGO_ENABLED", "GOWORK", "GOPATH", "GOMODCACHE", "GOPROXY", "GOEXPERIMENT")


def _listing_path(import_path: str, directory: str) -> str | None:
    from transpiler.fs.modules import module_files, module_root
    from transpiler.goexe import find_go

    go = find_go()
    root = module_root(directory)
    if go is None or root is None:
        return None
    h = hashlib.sha256(f"{FORMAT}\0{import_path}\0{os.path.abspath(directory)}\0".encode())
    try:
        st = os.stat(go)
        h.update(f"{os.path.realpath(go)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        for name in _ENV:
            h.update(f"{name}={os.environ.get(name, '')}\0".encode())
        for f in module_files(root):
            with open(f, "rb") as fh:
                h.update(f.encode() + b"\0" + hashlib.sha256(fh.read()).digest())
    except OSError:
        return None
    return os.path.join(caches.cache_root(), "srcstubs", "list", h.hexdigest()[:32] + ".json")


def _load_listing(import_path: str, directory: str) -> list[stubgen.GoPackage] | None:
    path = _listing_path(import_path, directory)
    if path is None:
        return None
    raw = caches.read_entry(path)  # (verified: a damaged entry is a miss)
    if raw is None:
        return None
    try:
        entry = json.loads(raw)
        for d, mtime in entry["dirs"]:
            if os.stat(d).st_mtime_ns != mtime:
                return None
        return [stubgen.GoPackage(**p) for p in entry["packages"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store_listing(import_path: str, directory: str, listed: list[stubgen.GoPackage]) -> None:
    path = _listing_path(import_path, directory)
    if path is None:
        return
    try:
        dirs = [[gp.dir, os.stat(gp.dir).st_mtime_ns] for gp in listed if gp.dir and not gp.module and not gp.standard]
        caches.write_entry(path, json.dumps({"dirs": dirs, "packages": [asdict(gp) for gp in listed]}).encode())
    except OSError:
        return
