"""Running the checker: files to packages, imports to stub packages, results to diagnostics."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from transpiler.check.files import package_files
from transpiler.check.result import CheckResult, FileResult, GoCheck
from transpiler.diagnostics import Diagnostic
from transpiler.fs.modules import find_module
from transpiler.fs.read import read_file
from transpiler.syntax.source import SourceFile

if TYPE_CHECKING:
    from transpiler.stubs.config import Config
    from transpiler.syntax import ParseResult

__all__ = ["CheckResult", "FileResult", "GoCheck", "check_dir", "check_files", "check_parsed"]


def check_files(paths: list[str], stub_paths: list[str] | None = None, use_cache: bool = True,
                importers: dict[tuple[object, ...], object] | None = None,
                go_check: GoCheck | None = None) -> CheckResult:
    """Check the named files as one package; results are cached by content (see cache.py):
    an unchanged package is not parsed, and a changed one re-checks the function bodies
    only of the files that changed (or all, when a declaration changed).

    ``importers``, shared across calls, lets the packages of one run (``tgo check
    ./...``) share the stub packages they import instead of loading them again.

    ``go_check`` adds Go's own errors (code ``go``) to the result, except on lines where
    the checker reported an error already (they would be its consequences); a result whose
    Go check could not run (``go_note``) is not kept in the package entry.
    """
    from transpiler.check import cache

    out = CheckResult()
    datas: list[tuple[str, bytes]] = []
    for p in paths:
        try:
            datas.append((p, read_file(p)))
        except OSError as e:
            out.io_errors.append((p, e.strerror or str(e)))
    config = _config(os.path.dirname(os.path.abspath(paths[0])) if paths else ".")
    if stub_paths is None:
        stub_paths = config.stub_paths
    settings = config.settings_key()
    key = cache.key(datas, stub_paths, settings, go_check is not None) if use_cache else None
    if key is not None:
        hit = cache.load(key)
        if hit is not None:
            hit.io_errors = out.io_errors
            for p, data in datas:
                hit.sources[p] = SourceFile(p, data.decode("utf-8", "replace"))
            return hit
    from transpiler.check import run
    from transpiler.syntax import parse_source

    results = [(parse_source(data, p), p) for p, data in datas]
    reuse: dict[str, FileResult] = {}
    file_keys: dict[str, str] = {}
    if key is not None:
        parsed = [(p, r.source.text, r.tree) for r, p in results if r.tree is not None]
        signatures = cache.signature_digest(parsed)
        contents = dict(datas)
        for p, _text, _tree in parsed:
            file_keys[p] = fk = cache.file_key(p, contents[p], signatures, stub_paths, settings)
            cached = cache.load_file(fk)
            if cached is not None:
                reuse[p] = cached
    directory = os.path.dirname(os.path.abspath(paths[0])) if paths else None
    importer: run.StubImporter
    if importers is not None:
        module = find_module(directory) if directory is not None else None
        ikey = (tuple(stub_paths), module)
        shared = importers.get(ikey)
        if not isinstance(shared, run.StubImporter):
            shared = run.StubImporter(stub_paths, directory)
            importers[ikey] = shared
        importer = shared
        importer.loaded = []  # this package's dependencies, for its cache entry
    else:
        importer = run.StubImporter(stub_paths, directory)
    res, pc, infos = run.check_package(results, stub_paths, importer, reuse)
    res.io_errors = out.io_errors
    go_deps: list[str] = []
    if go_check is not None and pc is not None and not any(d.code == "syntax" for d in res.diagnostics):
        prior = {p: fr.lowered for p, fr in reuse.items() if fr.lowered is not None}
        outcome = go_check([p for p, _data in datas], pc, infos, prior)
        _add_go_diagnostics(res, outcome.diagnostics)
        res.go_note, go_deps = outcome.note, outcome.dependencies
        for p, text in outcome.lowered.items():
            if p in res.files:
                res.files[p].lowered = text
    if key is not None:
        deps = cache.dependencies(importer.loaded)
        go_records = cache.dependencies(go_deps)
        if deps is not None:
            if go_records is not None and res.go_note is None:
                cache.store(key, res.diagnostics, res.typed, res.untyped, deps + go_records)
            for p, fr in res.files.items():
                if p in file_keys:
                    cache.store(file_keys[p], fr.diagnostics, fr.typed, fr.untyped, deps, fr.noreturn, fr.lowered)
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


def _config(directory: str) -> Config:
    """The module's tgo.toml settings (``StubConfigError`` when it cannot be used)."""
    from transpiler.stubs.config import load_config, module_root

    return load_config(module_root(directory))


def _config_stub_paths(directory: str) -> list[str]:
    return _config(directory).stub_paths


def check_dir(path: str) -> list[Diagnostic]:
    """Check the Go package in ``path``; the diagnostics, sorted."""
    files = package_files(path)
    return check_files(files).diagnostics


def check_parsed(results: list[tuple[ParseResult, str]], stub_paths: list[str] | None = None) -> CheckResult:
    """Check parsed files as one package (no cache)."""
    from transpiler.check import run

    return run.check_parsed(results, stub_paths)
