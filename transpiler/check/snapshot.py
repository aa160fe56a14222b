"""Sessions and snapshots: per-package check results kept across requests, keyed by contents, invalidated on change.

As gopls's ``cache.Session`` and ``cache.Snapshot``: a ``Session`` lives as long as the
process that serves requests (``tgo check`` for one command, a language server for
hours); ``session.snapshot()`` is a consistent view of the files (the disk with the
unsaved editor buffers of ``session.did_change`` over it), through which every file is
read (``fs.OverlayFS``). A snapshot's ``check_files(paths)`` and
``check_package(directory)`` are answered, in order, from:

* the session's results, kept per package under the names and contents (SHA-256) of its
  files, the stub paths and the ``tgo.toml`` settings, and reused while every stub and
  module file the check read still has the contents it had (read again through the
  snapshot's file system: an edited stub is seen without being announced);
* the disk cache of ``check/cache.py``, for snapshots without unsaved buffers;
* a check, with the session's stub importers: the stub packages loaded for one package
  serve the next, and an importer is dropped once anything it read (a stub, ``tgo.toml``,
  ``go.mod``, a source of the module) changes (``fs.RecordingFS.unchanged``). With the disk
  cache, ``check_files`` also keeps the package's function bodies between processes (its
  bodies entry, ``_KeptBodies``): a file that changed has only its changed bodies checked.

``diagnose_package(directory)`` gives the same diagnostics as ``check_package`` but
checks again only the function bodies an edit touched (``bodies.py``: the editor's check
as the user types; nothing recorded, nothing to lower).

Each file's parse is kept per content (``session.parse``: in memory for ``check_package`` and
``diagnose_package``, on disk as a flattened tree (`syntax/flat.py`) for ``check_files`` with the disk cache,
``stubs/parsed.py``): a check after an edit parses again only the files whose text changed, and ``check_package`` after ``diagnose_package``
on the same texts parses nothing. ``check_files`` loads a kept tree as its skeleton (``syntax/skeleton.py``:
the function bodies that no other body's check reads left out) and puts the bodies back only
into the files whose bodies it checks or lowers: after an edit inside one function, the other
files are only declared. A file edited since its first parse is kept apart for
``diagnose_package`` (``session.parse_edited``): each edit parses again only the
top-level declarations it touched (``syntax/reparse.py``), moving that tree in place,
while the trees ``check_package`` gives out are never changed. Parsing and checking run
with the garbage collector paused (``gcpause``). ``check_package(directory, cancel)``
gives up (``CheckCancelled``) once ``cancel()`` is true: a language server's full check
gives way to the next edit's diagnostics.

``session.did_change(path, text)`` sets (or, with ``None``, drops) an unsaved buffer and
forgets at once what depended on ``path``. ``check_package`` also gives the parsed
files, the package checker and its file infos (for the recorded information and the
lowering). A package whose files are all unsaved buffers reads none of them from disk.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from transpiler import caches
from transpiler.check.bodies import BodyMemo, signature_digest
from transpiler.check.files import package_files
from transpiler.check.result import CheckCancelled, CheckResult, FileResult, GoCheck, GoStarted
from transpiler.fs.base import DISK, FileSystem, OverlayFS, RecordingFS, digest
from transpiler.fs.modules import find_module
from transpiler.gcpause import paused
from transpiler.syntax import ast
from transpiler.syntax.source import SourceFile

if TYPE_CHECKING:
    from transpiler.check.checker import FileInfo, PackageChecker
    from transpiler.check.run import StubImporter
    from transpiler.diagnostics import Diagnostic
    from transpiler.syntax import ParseResult


# (plain classes, not dataclasses: a dataclass is made at import, about half a millisecond
# each, on the path of every check)
class PackageCheck:
    """One package's check in a snapshot: the result, the parsed files (in the order of the
    package's files), and the checker with its file infos (None and empty when no file
    parsed)."""

    __slots__ = ("checker", "infos", "parsed", "result")

    def __init__(self, result: CheckResult, parsed: list[ParseResult], checker: PackageChecker | None,
                 infos: list[FileInfo]) -> None:
        self.result = result
        self.parsed = parsed
        self.checker = checker
        self.infos = infos


class _Kept:
    """A result the session keeps, with the files it depends on beyond its own (path ->
    SHA-256 hex when it was made)."""

    __slots__ = ("deps", "files", "value")

    def __init__(self, value: CheckResult | PackageCheck, files: frozenset[str], deps: dict[str, str]) -> None:
        self.value = value
        self.files = files  # the package's own files (absolute)
        self.deps = deps


class _Importer:
    __slots__ = ("bodies", "importer", "recorder")

    def __init__(self, importer: StubImporter, recorder: RecordingFS) -> None:
        self.importer = importer
        self.recorder = recorder  # what the importer read, through the snapshot it was last used in
        # function bodies' diagnostics, per package directory, while these stubs hold (bodies.py)
        self.bodies: dict[str, BodyMemo] = {}


class Session:
    """Check results and stub importers kept across snapshots (see the module's docstring)."""

    def __init__(self, fs: FileSystem = DISK) -> None:
        self.fs = fs
        self.overlays: dict[str, bytes] = {}
        self._kept: dict[tuple[object, ...], _Kept] = {}
        self._importers: dict[tuple[object, ...], _Importer] = {}
        self._parsed: dict[str, tuple[bytes, ParseResult]] = {}  # path -> its last content and parse
        # path -> the last content and parse of a file edited since it was first parsed, for
        # diagnose_package alone: parsed again in place (syntax/reparse.py)
        self._edited: dict[str, tuple[bytes, ParseResult]] = {}

    def parse(self, path: str, data: bytes, disk: bool = False, keep: bool = True) -> ParseResult:
        """``parse_source(data, path)``, kept per file for as long as its content is the same
        (the trees are shared: nothing changes a parsed tree); with ``disk``, from and into the
        disk cache of parsed trees (``stubs/parsed.py``); without ``keep``, not kept in memory
        (``tgo check ./...`` does not hold every package's trees)."""
        from transpiler.stubs.parsed import parse_kept
        from transpiler.syntax import parse_source

        kept = self._parsed.get(path)
        if kept is not None and kept[0] == data:
            return kept[1]
        result = parse_kept(path, data) if disk else parse_source(data, path)
        if keep:
            self._parsed[path] = (data, result)
        return result

    def parse_skeleton(self, path: str, data: bytes) -> tuple[ParseResult, Callable[[], bool] | None]:
        """``parse(path, data, disk=True, keep=False)``, but a tree kept on disk comes as its
        skeleton, with what completes it (``stubs/parsed.parse_skeleton``; None: it is whole)."""
        from transpiler.stubs.parsed import parse_skeleton

        kept = self._parsed.get(path)
        if kept is not None and kept[0] == data:
            return kept[1], None
        return parse_skeleton(path, data)

    def parse_edited(self, path: str, data: bytes) -> ParseResult:
        """``parse(path, data)`` for a diagnostics-only check (``diagnose_package``), which
        keeps no tree beyond its own check: a file whose content changed since it was first
        parsed is kept apart, and after each edit only the declarations the edit touched are
        parsed again (``syntax/reparse.py``), the tree of its previous content moved in place
        (the shared trees are never changed: a lowering may be reading them in another
        thread)."""
        from transpiler.syntax import parse_source
        from transpiler.syntax.reparse import reparse

        kept = self._parsed.get(path)
        if kept is None or kept[0] == data:
            return self.parse(path, data)
        mine = self._edited.get(path)
        if mine is not None and mine[0] == data:
            return mine[1]
        result = reparse(mine[1], data) if mine is not None else None
        if result is None:
            result = parse_source(data, path)
        self._edited[path] = (data, result)
        return result

    def did_change(self, path: str, text: str | bytes | None) -> None:
        """``path`` now holds the unsaved ``text`` (None: its buffer is closed, read it from
        disk again; also to say that a file on disk changed). What depended on it is
        forgotten."""
        full = os.path.abspath(path)
        if text is None:
            self.overlays.pop(full, None)
            self._edited.pop(full, None)  # (its buffer closed: the editing is over)
        else:
            self.overlays[full] = text.encode("utf-8") if isinstance(text, str) else text
        directory = os.path.dirname(full)
        for key, imp in list(self._importers.items()):
            rec = imp.recorder
            if full in rec.reads or full in rec.probed or directory in rec.listed:
                del self._importers[key]
        for key, kept in list(self._kept.items()):
            if full in kept.deps or full in kept.files:
                del self._kept[key]

    def snapshot(self, overlays: Mapping[str, str | bytes] | None = None) -> Snapshot:
        """A view of the files: the disk, the session's unsaved buffers, and ``overlays``."""
        merged = dict(self.overlays)
        for p, text in (overlays or {}).items():
            merged[os.path.abspath(p)] = text.encode("utf-8") if isinstance(text, str) else text
        return Snapshot(self, OverlayFS(self.fs, merged) if merged else self.fs, bool(merged))


class Snapshot:
    """One consistent view of the files; checks through it (see the module's docstring)."""

    def __init__(self, session: Session, fs: FileSystem, has_overlays: bool) -> None:
        self.session = session
        self.fs = fs
        self.has_overlays = has_overlays
        self._checked_importers: set[tuple[object, ...]] = set()

    # --- what a check reads ----------------------------------------------------------

    def _read(self, paths: list[str], out: CheckResult) -> list[tuple[str, bytes]]:
        datas: list[tuple[str, bytes]] = []
        for p in paths:
            try:
                datas.append((p, self.fs.read(p)))
            except OSError as e:
                out.io_errors.append((p, e.strerror or str(e)))
        return datas

    def importer(self, stub_paths: list[str], directory: str | None) -> StubImporter:
        """The session's stub importer for ``stub_paths`` and the module of ``directory``,
        reading through this snapshot (a new one when what the kept one read has changed)."""
        return self._importer(stub_paths, directory).importer

    def _importer(self, stub_paths: list[str], directory: str | None) -> _Importer:
        from transpiler.check.run import StubImporter

        module = find_module(directory, self.fs) if directory is not None else None
        key = (tuple(stub_paths), module)
        kept = self.session._importers.get(key)
        if kept is not None and key not in self._checked_importers:
            if kept.recorder.unchanged(self.fs):
                kept.recorder.base = self.fs
            else:
                kept = None
        if kept is None:
            recorder = RecordingFS(self.fs)
            kept = _Importer(StubImporter(stub_paths, directory, recorder), recorder)
            self.session._importers[key] = kept
        self._checked_importers.add(key)
        return kept

    def _keep(self, key: tuple[object, ...], value: CheckResult | PackageCheck, paths: list[str],
              imp: _Importer, deps: list[str], known: Mapping[str, str] | None = None) -> None:
        """Keep ``value`` while ``deps`` keep their contents (as the importer read them, or as
        ``known`` gives their SHA-256: the go binary is not read and hashed twice)."""
        reads = imp.recorder.reads
        known = known or {}
        hashes = {p: reads.get(os.path.abspath(p)) or known.get(p) or digest(self.fs, p) for p in sorted(set(deps))}
        self.session._kept[key] = _Kept(value, frozenset(os.path.abspath(p) for p in paths), hashes)

    def _kept(self, key: tuple[object, ...]) -> CheckResult | PackageCheck | None:
        kept = self.session._kept.get(key)
        if kept is None:
            return None
        if all(digest(self.fs, p) == h for p, h in kept.deps.items()):
            return kept.value
        del self.session._kept[key]
        return None

    # --- checks ----------------------------------------------------------------------

    def check_files(self, paths: list[str], stub_paths: list[str] | None = None, use_cache: bool = True,
                    go_check: GoCheck | None = None) -> CheckResult:
        """Check the named files as one package (``driver.check_files``: the same result), with
        the collector paused (the lowering for Go's own check too)."""
        with paused():
            return self._check_files(paths, stub_paths, use_cache, go_check)

    def _check_files(self, paths: list[str], stub_paths: list[str] | None, use_cache: bool,
                     go_check: GoCheck | None, whole: bool = False) -> CheckResult:
        from transpiler.check import cache
        from transpiler.stubs.config import module_config

        out = CheckResult()
        datas = self._read(paths, out)
        directory = os.path.dirname(os.path.abspath(paths[0])) if paths else None
        config = module_config(directory or ".", self.fs)
        if stub_paths is None:
            stub_paths = config.stub_paths
        settings = config.settings_key()
        mkey = ("files", _contents(datas), tuple(stub_paths), settings, go_check is not None)
        kept = self._kept(mkey)
        if isinstance(kept, CheckResult):
            return _with_io(kept, out.io_errors)
        disk = use_cache and not self.has_overlays
        key = cache.key(datas, stub_paths, settings, go_check is not None) if disk else None
        if key is not None:
            hit = cache.load(key)
            if hit is not None:
                hit.io_errors = out.io_errors
                for p, data in datas:
                    hit.sources[p] = SourceFile(p, data.decode("utf-8", "replace"))
                return hit
        from transpiler.check import run

        # (not kept in memory: tgo check ./... would hold every package's trees; the disk keeps them)
        results: list[tuple[ParseResult, str]] = []
        # a kept tree is loaded as its skeleton (syntax/skeleton.py), its other bodies read only
        # when this check reads them: a file whose result is reused is only declared
        skeletons: dict[str, Callable[[], bool]] = {}
        for p, data in datas:
            if key is not None and not whole:
                r, rest = self.session.parse_skeleton(p, data)
                if rest is not None:
                    skeletons[p] = rest
            else:
                r = self.session.parse(p, data, disk=key is not None, keep=False)
            results.append((r, p))
        reuse: dict[str, FileResult] = {}
        file_keys: dict[str, str] = {}
        if key is not None:
            parsed = [(p, r.source.text, r.checkable) for r, p in results if r.checkable is not None]
            signatures = signature_digest(parsed)
            contents = dict(datas)
            with caches.stats_once():  # (the entries' records name the same stubs: each stat'ed once)
                for p, _text, _tree in parsed:
                    file_keys[p] = fk = cache.file_key(p, contents[p], signatures, stub_paths, settings)
                    cached = cache.load_file(fk)
                    if cached is not None:
                        reuse[p] = cached
        imp = self._importer(stub_paths, directory)
        importer = imp.importer
        importer.loaded = []  # this package's dependencies, for its entries
        # the bodies kept from the package's last check (cache.py's bodies entry)
        bodies = _KeptBodies(directory or ".", stub_paths, settings, go_check is not None) if key is not None else None
        prior = {p: fr.lowered for p, fr in reuse.items() if fr.lowered is not None}
        go_paths = [p for p, _data in datas]
        # Go's own check, started as soon as its input is ready: once the package is declared
        # when no file's lowering reads the bodies' check (it runs while they are checked), else
        # once they are; not on syntax errors
        started: GoStarted | None = None

        def declared(pc: PackageChecker, infos: list[FileInfo]) -> None:
            nonlocal started
            assert go_check is not None
            if skeletons:
                run.complete(skeletons, _lowered_reads(infos, prior, skeletons))
            started = go_check(go_paths, pc, infos, prior, True)

        go = go_check is not None and not any(d.code == "syntax" for r, _p in results for d in r.diagnostics)
        try:
            try:
                res, pc, infos = run.check_package(results, stub_paths, importer, reuse, self.fs,
                                                   bodies=bodies.memo if bodies is not None else None,
                                                   skeletons=skeletons, declared=declared if go else None)
                if go_check is not None and started is None and pc is not None:
                    if skeletons:
                        run.complete(skeletons, _lowered_reads(infos, prior, skeletons))
                    if go:
                        started = go_check(go_paths, pc, infos, prior, False)
            except run.SkeletonUnfit:  # (a kept tree not as written: every file parsed again)
                if started is not None:
                    started.cancel()
                return self._check_files(paths, stub_paths, use_cache, go_check, whole=True)
            return self._finish(res, started, out, key, file_keys, importer, bodies, mkey, paths, imp)
        except BaseException:
            if started is not None:
                started.cancel()  # (nothing it started outlives the check)
            raise

    def _finish(self, res: CheckResult, started: GoStarted | None, out: CheckResult, key: str | None,
                file_keys: Mapping[str, str], importer: StubImporter, bodies: _KeptBodies | None,
                mkey: tuple[object, ...], paths: list[str], imp: _Importer) -> CheckResult:
        """Store what does not need Go's answer (the kept bodies, the files' entries) while Go's
        check runs, then wait for it: its diagnostics, the package's entry with its records."""
        from transpiler.check import cache

        res.io_errors = out.io_errors
        if started is not None:
            for p, text in started.lowerings().items():
                if p in res.files:
                    res.files[p].lowered = text
        deps = cache.dependencies(importer.loaded) if key is not None else None
        if deps is not None:
            if bodies is not None:
                bodies.store(importer.loaded, deps)
            for p, fr in res.files.items():
                if p in file_keys:
                    cache.store(file_keys[p], fr.diagnostics, fr.typed, fr.untyped, deps, fr.noreturn, fr.lowered)
        go_deps: list[str] = []
        # what Go's answer came from (everything go read: the standard library's sources too)
        go_records: list[list[object]] | None = []
        absent: list[str] = []
        if started is not None:
            outcome = started.wait()
            _add_go_diagnostics(res, outcome.diagnostics)
            res.go_note, go_deps = outcome.note, outcome.dependencies
            go_records, absent = outcome.records, outcome.absent
        if key is not None and deps is not None and go_records is not None and res.go_note is None:
            cache.store(key, res.diagnostics, res.typed, res.untyped, deps + go_records, absent=absent)
        if res.go_note is None:
            known = {str(rec[0]): str(rec[1]) for rec in go_records or []}  # (path, SHA-256, stat)
            self._keep(mkey, res, paths, imp, importer.loaded + go_deps, known)
        return res

    def check_package(self, directory: str, cancel: Callable[[], bool] | None = None) -> PackageCheck:
        """Check the package in ``directory`` (its ``.go`` and ``.tgo`` files in this snapshot,
        unsaved buffers included), keeping the parsed files and the checker with its recorded
        information (every expression's type, uses, selections, scopes: what an editor asks). Raises
        ``OSError`` when the directory cannot be listed, ``StubConfigError`` for a bad
        ``tgo.toml``, ``CheckCancelled`` once ``cancel()`` is true (asked between files' parses
        and before each declaration's body: a language server's full check gives way to the
        next edit's)."""
        return self._package(directory, diagnose=False, cancel=cancel)

    def diagnose_package(self, directory: str) -> CheckResult:
        """The diagnostics of the package in ``directory`` (``check_package(directory).result``,
        the same diagnostics), checking again only the function bodies whose text changed
        since the session last diagnosed the package, while no declaration outside a body
        changed (bodies.py): the check an editor runs as the user types. Raises as
        ``check_package``."""
        return self._package(directory, diagnose=True).result

    def _package(self, directory: str, diagnose: bool, cancel: Callable[[], bool] | None = None) -> PackageCheck:
        from transpiler.check import run
        from transpiler.stubs.config import module_config

        paths = package_files(directory, self.fs)
        out = CheckResult()
        datas = self._read(paths, out)
        config = module_config(directory, self.fs)
        mkey = ("diagnose" if diagnose else "package", _contents(datas), tuple(config.stub_paths),
                config.settings_key())
        kept = self._kept(mkey)
        if isinstance(kept, PackageCheck):
            kept.result.io_errors = out.io_errors
            return kept
        parse = self.session.parse_edited if diagnose else self.session.parse
        results: list[tuple[ParseResult, str]] = []
        with paused():
            for p, data in datas:
                if cancel is not None and cancel():
                    raise CheckCancelled
                results.append((parse(p, data), p))
        full = os.path.abspath(directory)
        imp = self._importer(config.stub_paths, full)
        imp.importer.loaded = []
        memo = imp.bodies.setdefault(full + "\0" + config.settings_key(), BodyMemo()) if diagnose else None
        res, pc, infos = run.check_package(results, config.stub_paths, imp.importer, None, self.fs,
                                           record=not diagnose, bodies=memo, cancel=cancel)
        res.io_errors = out.io_errors
        checked = PackageCheck(res, [r for r, _p in results], pc, infos)
        self._keep(mkey, checked, paths, imp, imp.importer.loaded)
        return checked


class _KeptBodies:
    """The function bodies of a package kept on disk between checks (``cache.py``'s bodies
    entry, ``bodies.BodyMemo``): restored before a check, written again after one that checked
    a body or changed what they are checked in. With ``lowering`` (the package is lowered for
    Go's own check), a body whose check recorded what the lowering reads is checked again."""

    def __init__(self, directory: str, stub_paths: list[str], settings: str, lowering: bool) -> None:
        from transpiler.check import cache

        self.key = cache.bodies_key(directory, stub_paths, settings)
        self.memo = BodyMemo(lowering=lowering)
        self.context = ""  # the context of the bodies restored
        self.paths: list[str] = []  # what their checks read
        kept = cache.load_bodies(self.key)
        if kept is not None:
            data, paths = kept
            try:
                self.context = self.memo.restore(data)
            except (KeyError, TypeError, ValueError):
                self.memo = BodyMemo(lowering=lowering)  # (not what tgo wrote: a miss, written again)
                return
            self.paths = paths

    def store(self, loaded: list[str], deps: list[list[object]]) -> None:
        """Write the bodies kept after a check that read ``loaded`` (whose records are ``deps``);
        the files the restored bodies' checks read stay their dependencies too (a body reused
        here did not read them again)."""
        from transpiler.check import cache

        if not self.memo.checked and self.memo.context == self.context:
            return
        more = sorted(set(self.paths) - set(loaded)) if self.memo.context == self.context else []
        extra = cache.dependencies(more) if more else []
        if extra is not None:
            cache.store_bodies(self.key, self.memo.export(), deps + extra)


def _lowered_reads(infos: list[FileInfo], prior: Mapping[str, str], skeletons: Mapping[str, object]) -> list[str]:
    """The files among ``skeletons`` whose bodies lowering the package for Go's check reads:
    the ``.tgo`` files it lowers (those without a kept lowering), and every file when one of
    them declares an enum or a union (their generated names avoid every identifier of the
    package: ``lower/enums.PackageNames``)."""
    lowered = [fi for fi in infos if fi.is_tgo and fi.result.source.name not in prior]
    if any(isinstance(spec.type, (ast.EnumType, ast.UnionType)) for fi in lowered for spec in ast.type_specs(fi.tree)):
        return list(skeletons)
    return [fi.result.source.name for fi in lowered if fi.result.source.name in skeletons]


def _contents(datas: list[tuple[str, bytes]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((p, hashlib.sha256(d).hexdigest()) for p, d in datas))


def _with_io(res: CheckResult, io_errors: list[tuple[str, str]]) -> CheckResult:
    res.io_errors = io_errors
    return res


def _add_go_diagnostics(res: CheckResult, found: list[Diagnostic]) -> None:
    """Add Go's errors, but none on a line where the checker reported an error (a consequence
    of it: a package tgo could not lower fully, a name a syntax error left undeclared), and
    each once."""
    from transpiler.diagnostics import Severity

    taken = {(d.file, d.line) for d in res.diagnostics if d.severity is Severity.ERROR}
    seen: set[tuple[str, int, int, str]] = set()
    for d in found:
        k = (d.file, d.line, d.column, d.message)
        if (d.file, d.line) in taken or k in seen:
            continue
        seen.add(k)
        res.diagnostics.append(d)
    res.diagnostics.sort(key=lambda d: (d.file, d.line, d.column, d.code))
