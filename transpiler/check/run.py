"""Checking parsed files: file strictness, the stub importer, the package checker's passes."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from transpiler.check import noreturn
from transpiler.check.bodies import BodyMemo
from transpiler.check.checker import FileInfo, Importer, PackageChecker
from transpiler.check.flowcheck import check_bodies
from transpiler.check.result import CheckResult, FileResult
from transpiler.diagnostics import Diagnostic
from transpiler.fs.base import DISK, FileSystem
from transpiler.fs.modules import find_module
from transpiler.gcpause import paused
from transpiler.stubs.config import Config
from transpiler.stubs.locate import (
    DIRECTIVE_ERRCHECK_EXEMPT,
    DIRECTIVE_NORETURN,
    Stub,
    find_stub,
    first_line,
    load_stub,
)
from transpiler.syntax import ParseResult, ast, parse_file
from transpiler.types.model import Func, Interface, Package, TypeName

if TYPE_CHECKING:
    from transpiler.stubs.sources import SourceStubs

OBLIVIOUS = "//tgo:oblivious"


def file_info(result: ParseResult, name: str, config: Config | None = None) -> FileInfo | None:
    """What the checker needs of a parsed file: a ``.tgo`` file is strict (nil-checked, its
    errors must be handled) unless it starts with ``//tgo:oblivious`` or an ``oblivious``
    pattern of ``tgo.toml`` names it."""
    tree = result.checkable  # a file with syntax errors is checked in its parts that parsed
    if tree is None:
        return None
    is_tgo = name.endswith(".tgo")
    first = first_line(result.source.text)
    strict = is_tgo and first != OBLIVIOUS and not (config is not None and config.is_oblivious(name))
    return FileInfo(result, tree, is_tgo, strict)


def module_config(directory: str, fs: FileSystem = DISK) -> Config:
    """The ``tgo.toml`` settings of the module holding ``directory`` (the defaults when it
    cannot be read: the commands report that before they check)."""
    from transpiler.stubs import config

    try:
        return config.module_config(directory, fs)
    except config.StubConfigError:
        return Config()


class StubImporter(Importer):
    """Imports through ``.tgoi`` stubs: the user's stub paths, then the bundled standard library."""

    def __init__(self, stub_paths: list[str], directory: str | None = None, fs: FileSystem = DISK) -> None:
        self.fs = fs  # what stubs, tgo.toml, go.mod and the module's packages are read through
        self.stub_paths = stub_paths
        self.loaded: list[str] = []  # every stub (and module source) file read, for the result cache
        self.module = find_module(directory, fs) if directory is not None else None
        self.config = module_config(directory, fs) if directory is not None else Config()
        self.files_by_path: dict[str, list[str]] = {}
        self.directory = directory
        self._sources: SourceStubs | None = None
        self._local: list[tuple[str, str]] | None = None  # (root, module path): go.work modules, replacements
        # how a file of a module package is read and parsed (migrate's keeps the trees of its texts)
        self.parse: Callable[[str, FileSystem], ParseResult] = parse_file
        super().__init__(self._load_stub)

    @property
    def sources(self) -> SourceStubs | None:
        """The stubs made from Go sources for packages no stub directory has (None outside a directory)."""
        if self._sources is None and self.directory is not None:
            from transpiler.stubs.sources import SourceStubs

            self._sources = SourceStubs(self.directory)
        return self._sources

    def import_error(self, path: str) -> str | None:
        return None if self._sources is None else self._sources.errors.get(path)

    def get(self, path: str) -> Package | None:
        pkg = super().get(path)
        # every lookup, cached or not, is a dependency of the package being checked
        self.loaded.extend(self.files_by_path.get(path, ()))
        return pkg

    def _load_stub(self, path: str) -> Package | None:
        files = find_stub(path, self.stub_paths, self.fs)
        if not files:
            pkg = self._load_module_package(path)
            return pkg if pkg is not None or self.module_has(path) else self._load_source_stub(path)
        self.files_by_path[path] = list(files)
        return self._load_stub_files(path, files)

    def module_has(self, path: str) -> bool:
        """Whether ``path`` names a package of the module being checked."""
        return self.module is not None and (path == self.module[1] or path.startswith(self.module[1] + "/"))

    def forget_module_packages(self, paths: set[str] | None) -> None:
        """Drop the module's packages loaded so far whose import path is in ``paths`` (None: all
        of them): they are read again when next imported (their texts changed)."""
        for path in [p for p in self._cache if self.module_has(p) and (paths is None or p in paths)]:
            del self._cache[path]

    def _load_source_stub(self, path: str) -> Package | None:
        """A package no stub directory has, typed from its Go sources (stubs/sources.py)."""
        from transpiler.fs.modules import module_files
        from transpiler.stubs.locate import wants_sources

        sources = self.sources if wants_sources(path) else None
        made = sources.stub(path) if sources is not None else None
        # a changed requirement may change the package, or make a missing one importable
        deps = module_files(self.module[0]) if self.module is not None and sources is not None else []
        self.files_by_path[path] = deps + (made.dependencies if made is not None else [])
        return None if made is None else self._load_stub_files(path, made.files)

    def _load_stub_files(self, path: str, files: list[str]) -> Package | None:
        stubs = [st for st in (load_stub(f, self.fs) for f in files) if st.tree is not None]
        infos = [FileInfo(ParseResult(st.source, st.tree, st.diagnostics), st.tree, False, st.strict)
                 for st in stubs if st.tree is not None]
        if not infos:
            return None
        pc = PackageChecker(infos, self, path, report=False)
        pc.declare_all()
        pc.resolve_all()
        _apply_directives(pc, stubs)
        pc.pkg.strict = all(fi.strict for fi in infos)
        return pc.pkg

    def _local_modules(self) -> list[tuple[str, str]]:
        """(root, module path) of the modules on this disk that the package may import besides
        its own: the other modules of the go.work in use, the directories go.mod replaces them by."""
        local = self._local
        if local is None:
            from transpiler.fs.modules import local_replacements, module_roots

            own = self.module
            local = []
            if own is not None and self.directory is not None:
                for root in module_roots(self.directory, self.fs):
                    found = find_module(root, self.fs)
                    if found is not None and found[0] != own[0]:
                        local.append(found)
                local += [(d, p) for p, d in local_replacements(own[0], self.fs)]
            self._local = local
        return local

    def _load_module_package(self, path: str) -> Package | None:
        """A package of the module being checked, from its sources (no stub needed):
        its .tgo files give nil marks, its .go files unknown nullability. Also a package
        with .tgo files of another module on this disk (a go.work module, a replacement by a
        directory): the go command cannot list it (it sees no Go files there)."""
        own = self.module_has(path)
        module = self.module if own else None
        if module is None:
            module = next((m for m in self._local_modules() if path == m[1] or path.startswith(m[1] + "/")), None)
        if module is None:
            return None
        root, mod_path = module
        directory = os.path.join(root, *path[len(mod_path):].strip("/").split("/")) if path != mod_path else root
        from transpiler.check.files import package_files

        try:
            names = [f for f in package_files(directory, self.fs) if not f.endswith(("_test.go", "_test.tgo"))]
        except OSError:
            return None
        if not own and not any(f.endswith(".tgo") for f in names):
            return None  # (typed from a stub made of its Go sources)
        infos: list[FileInfo] = []
        # (another module's directory too: a file added to or removed from it changes the package)
        self.files_by_path[path] = list(names) if own else [*names, directory]
        for f in names:
            r = self.parse(f, self.fs)
            fi = file_info(r, f, self.config)
            if fi is not None:
                fi.is_tgo = False  # declarations only: its own diagnostics belong to its own check
                infos.append(fi)
        if not infos:
            return None
        pc = PackageChecker(infos, self, path, report=False)
        pc.declare_all()
        pc.resolve_all()
        noreturn.infer(pc)
        return pc.pkg


def _apply_directives(pc: PackageChecker, stubs: list[Stub]) -> None:
    """Set what the stubs' ``//tgo:noreturn`` and ``//tgo:errcheck-exempt`` say on the
    functions, methods and interface methods they declare."""
    for stub in stubs:
        assert stub.tree is not None
        if not stub.directives:
            continue  # (most stubs: nothing to set; every interface type is resolved already)
        for decl in stub.tree.decls:
            if not isinstance(decl, ast.FuncDecl):
                continue
            marks = stub.marks(decl)
            if not marks:
                continue
            func: Func | None = None
            if decl.recv is None:
                obj = pc.pkg.scope.names.get(decl.name.name)
                func = obj if isinstance(obj, Func) else None
            else:
                func = pc._method_obj(decl)
            if func is not None:
                func.noreturn = DIRECTIVE_NORETURN in marks
                func.errcheck_exempt = DIRECTIVE_ERRCHECK_EXEMPT in marks
                if func.noreturn:
                    pc.importer.noreturn_names.add(func.name)
        # directives on interface methods (hash.Hash's Write is errcheck-exempt)
        for spec in ast.type_specs(stub.tree):
            if not isinstance(spec.type, ast.InterfaceType):
                continue
            obj = pc.pkg.scope.names.get(spec.name.name)
            if not isinstance(obj, TypeName):
                continue
            pc.resolve_typename(obj)
            iface = obj.underlying_type
            if not isinstance(iface, Interface):
                continue
            for field in spec.type.methods.list:
                if not field.names:
                    continue
                marks = stub.directives.get(f"{spec.name.name}.{field.names[0].name}", frozenset())
                for m in iface.methods:
                    if m.name == field.names[0].name:
                        m.noreturn = m.noreturn or DIRECTIVE_NORETURN in marks
                        m.errcheck_exempt = m.errcheck_exempt or DIRECTIVE_ERRCHECK_EXEMPT in marks
                        if m.noreturn:
                            pc.importer.noreturn_names.add(m.name)


def check_parsed(results: list[tuple[ParseResult, str]], stub_paths: list[str] | None = None,
                 importer: Importer | None = None,
                 reuse: Mapping[str, FileResult] | None = None) -> CheckResult:
    """Check parsed files as one package (files with syntax errors give their diagnostics only).

    ``reuse`` holds cached results of files whose text and package signatures are
    unchanged (cache.py): their function bodies are not checked again.
    """
    return check_package(results, stub_paths, importer, reuse)[0]


def check_package(
    results: list[tuple[ParseResult, str]], stub_paths: list[str] | None = None, importer: Importer | None = None,
    reuse: Mapping[str, FileResult] | None = None, fs: FileSystem = DISK, record: bool = False,
    bodies: BodyMemo | None = None, cancel: Callable[[], bool] | None = None,
    skeletons: dict[str, Callable[[], bool]] | None = None,
    declared: Callable[[PackageChecker, list[FileInfo]], None] | None = None,
) -> tuple[CheckResult, PackageChecker | None, list[FileInfo]]:
    """Check parsed files as one package; also the checker and file infos (for the lowering).
    With ``record`` the checker's ``info`` holds the type of every expression, the
    selections and the scopes too (for editors). With ``bodies``, function bodies whose
    text and package signatures are unchanged since the memo saw them are not checked
    again (bodies.py): the checker and infos are then not for editor queries, nor for the
    lowering unless the memo was made with ``lowering``. ``tgo.toml``, and stubs when no ``importer`` is given, are
    read through ``fs``. The garbage collector is paused meanwhile (gcpause.py). Raises
    ``CheckCancelled`` once ``cancel()`` is true (asked before each declaration's body).

    ``skeletons`` names the files whose trees are skeletons (``syntax/skeleton.py``: the
    bodies no other body's check reads left out), with what completes each in place: the
    check completes (and takes out of it) those whose bodies it checks, before it reads
    them, and raises ``SkeletonUnfit`` when one's bodies do not fit (check whole trees).

    ``declared(pc, infos)`` is called once the package is declared and resolved, before any
    body is checked (Go's own check, started while they are: ``snapshot.py``)."""
    with paused():
        return _check_package(results, stub_paths, importer, reuse, fs, record, bodies, cancel, skeletons, declared)


class SkeletonUnfit(Exception):
    """A kept tree's bodies did not fit its skeleton (``check_package``): check whole trees."""


def complete(skeletons: dict[str, Callable[[], bool]], names: list[str]) -> None:
    """Complete the skeletons of ``names`` in place (taken out of ``skeletons``); raises
    ``SkeletonUnfit`` when one's bodies do not fit it."""
    for name in names:
        rest = skeletons.pop(name, None)
        if rest is not None and not rest():
            raise SkeletonUnfit(name)


def _check_package(
    results: list[tuple[ParseResult, str]], stub_paths: list[str] | None, importer: Importer | None,
    reuse: Mapping[str, FileResult] | None, fs: FileSystem, record: bool, bodies: BodyMemo | None,
    cancel: Callable[[], bool] | None, skeletons: dict[str, Callable[[], bool]] | None,
    declared: Callable[[PackageChecker, list[FileInfo]], None] | None = None,
) -> tuple[CheckResult, PackageChecker | None, list[FileInfo]]:
    out = CheckResult()
    infos: list[FileInfo] = []
    config = module_config(os.path.dirname(os.path.abspath(results[0][1])), fs) if results else None
    for r, name in results:
        out.sources[r.source.name] = r.source
        out.diagnostics.extend(r.diagnostics)
        fi = file_info(r, name, config)
        if fi is not None:
            infos.append(fi)
    pc: PackageChecker | None = None
    if infos:
        first = os.path.dirname(os.path.abspath(infos[0].result.source.name))
        imp = importer or StubImporter(stub_paths or [], first, fs)
        pc = PackageChecker(infos, imp, record=record)
        pc.declare_all()
        pc.resolve_all()
        # a file's cached result holds while the functions that never return are the same
        stops = ",".join(noreturn.infer(pc))
        reused = {fi.result.source.name for fi in infos} & {n for n, fr in (reuse or {}).items() if fr.noreturn == stops}
        if skeletons:  # (the bodies this check reads; all of them for a memo that reads every file's)
            complete(skeletons, [n for n in skeletons if n not in reused or (bodies is not None and bodies.deps)])
        if bodies is not None:
            trees = [(fi.result.source.name, fi.result.source.text, fi.tree) for fi in infos]
            bodies.start_package(trees, stops)
            pc.body_memo = bodies
        if declared is not None:
            declared(pc, infos)
        counts = check_bodies(pc, frozenset(reused), cancel)
        from transpiler.check.suppress import apply_suppressions

        by_file: dict[str, list[Diagnostic]] = {}
        for d in pc.diags:
            by_file.setdefault(d.file, []).append(d)
        out.typed, out.untyped = pc.typed, pc.untyped
        for fi in infos:
            name = fi.result.source.name
            if name in reused:
                assert reuse is not None
                fr = reuse[name]
                out.typed += fr.typed
                out.untyped += fr.untyped
            else:
                mine = by_file.get(name, [])
                if fi.is_tgo:
                    mine = apply_suppressions(mine, fi.result.source, fi.tree.comments)
                typed, untyped = counts.get(name, (0, 0))
                fr = FileResult(mine, typed, untyped, stops)
                out.files[name] = fr
            out.diagnostics.extend(fr.diagnostics)
    out.diagnostics.sort(key=lambda d: (d.file, d.line, d.column, d.code))
    return out, pc, infos
