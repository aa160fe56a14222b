"""Running the checker: files to packages, imports to stub packages, results to diagnostics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from transpiler.check.files import package_files
from transpiler.check.result import CheckResult, FileResult, GoCheck
from transpiler.diagnostics import Diagnostic

if TYPE_CHECKING:
    from transpiler.syntax import ParseResult

__all__ = ["CheckResult", "FileResult", "GoCheck", "check_dir", "check_files", "check_parsed"]


def check_files(paths: list[str], stub_paths: list[str] | None = None, use_cache: bool = True,
                importers: dict[tuple[object, ...], object] | None = None,
                go_check: GoCheck | None = None) -> CheckResult:
    """Check the named files as one package, on the disk as it is (``snapshot.Snapshot``);
    results are cached by content (see cache.py): an unchanged package is not parsed, and
    a changed one re-checks the function bodies only of the files that changed (or all,
    when a declaration changed).

    ``importers``, shared across calls, holds the ``Session`` the calls share, so that
    the packages of one run (``tgo check ./...``) share the stub packages they import
    instead of loading them again.

    ``go_check`` adds Go's own errors (code ``go``) to the result, except on lines where
    the checker reported an error already (they would be its consequences); a result whose
    Go check could not run (``go_note``) is not kept in the package entry.
    """
    from transpiler.check.snapshot import Session

    session = importers.get(_SESSION) if importers is not None else None
    if not isinstance(session, Session):
        session = Session()
        if importers is not None:
            importers[_SESSION] = session
    return session.snapshot().check_files(paths, stub_paths, use_cache, go_check)


_SESSION = ("session",)


def check_dir(path: str) -> list[Diagnostic]:
    """Check the Go package in ``path``; the diagnostics, sorted."""
    files = package_files(path)
    return check_files(files).diagnostics


def check_parsed(results: list[tuple[ParseResult, str]], stub_paths: list[str] | None = None) -> CheckResult:
    """Check parsed files as one package (no cache)."""
    from transpiler.check import run

    return run.check_parsed(results, stub_paths)
