"""``tgo migrate PATH...``: find the packages, migrate them, print the diff or write the ``.tgo`` files, and the summary.

Exit status: 0 every package migrated (or nothing to migrate); 1 a package could not
be made to check clean (its findings are printed; nothing of it is written: see
``--oblivious``); 2 tgo could not run: a bad path, an unreadable file, a syntax
error, a file with uncommitted changes (without ``--force``), a file it could not
write.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import sys
from collections.abc import Sequence

import click

from transpiler.check.files import packages
from transpiler.diagnostics import codes
from transpiler.diagnostics.diagnostic import Diagnostic, format_text
from transpiler.gcpause import KEEPING_THRESHOLDS, paused
from transpiler.migrate.output import summary, uncommitted, unified_diff, write_migrated
from transpiler.migrate.pipeline import Migrator, Options, PackageMigration

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_CANNOT_RUN = 2
PROGRESS_FROM = 10  # packages: fewer than this, no progress lines


def _say(message: str) -> None:
    click.echo(f"tgo: {message}", err=True)


def run_migrate(paths: Sequence[str], options: Options, *, write: bool = False, force: bool = False,
                show_summary: bool = True, exiting: bool = False) -> int:
    """Migrate the packages PATHS name (see the module's docstring); the exit status.
    ``exiting``: the process ends after it (the command line's run)."""
    with paused(KEEPING_THRESHOLDS):  # (the migration's pause, until its output is written)
        status = _run_migrate(paths, options, write, force, show_summary)
        if exiting:
            # what the run made stays alive until the process ends: no collection walks it
            # again (the pause's end lets the collector's middle generation come due)
            gc.freeze()
    return status


def _run_migrate(paths: Sequence[str], options: Options, write: bool, force: bool, show_summary: bool) -> int:
    status = EXIT_OK
    groups, problems = packages(list(paths))
    for path, reason in problems:
        _say(f"{path}: {reason}")
        status = EXIT_CANNOT_RUN
    wanted: dict[str, list[str]] = {}
    for files in groups:
        go = [os.path.normpath(f) for f in files if f.endswith(".go")]
        if go:
            wanted[os.path.dirname(go[0]) or "."] = go
    progress = _progress if len(wanted) >= PROGRESS_FROM else None
    done = Migrator(options).migrate(wanted, progress)
    if progress is not None:
        click.echo("", err=True)
    migrated: list[PackageMigration] = []
    for pkg in done:
        for path, reason in pkg.problems:
            _say(f"{path}: {reason}")
            status = EXIT_CANNOT_RUN
        if pkg.left:
            click.echo(format_text(_as_given(pkg)), nl=False, err=True)
            if any(d.code == codes.SYNTAX.name for d in pkg.left):
                status = EXIT_CANNOT_RUN
            else:
                _say(f"{pkg.directory}: not migrated: it does not check clean as .tgo files "
                     "(the findings above; --oblivious marks such files //tgo:oblivious)")
                status = max(status, EXIT_ERRORS)
        if pkg.ok:
            migrated.append(pkg)
    if write:
        status = max(status, _write(migrated, force))
    else:
        out = "".join(unified_diff(f) for pkg in migrated for f in pkg.files)
        sys.stdout.write(out)
        sys.stdout.flush()
    if show_summary and migrated:
        click.echo(summary(migrated), nl=False, err=True)
    return status


def _as_given(pkg: PackageMigration) -> list[Diagnostic]:
    """The findings left in ``pkg``, naming its files by the paths given (the check names
    them absolute)."""
    names = {os.path.abspath(f.tgo_path): f.tgo_path for f in pkg.files}
    return [dataclasses.replace(d, file=names.get(d.file, d.file)) for d in pkg.left]


def _progress(i: int, n: int, directory: str) -> None:
    end = "\r" if sys.stderr.isatty() else "\n"
    if end == "\n" and i % max(1, n // 10):
        return
    click.echo(f"tgo: migrate: package {i + 1} of {n}: {directory}".ljust(60), nl=False, err=True)
    click.echo(end, nl=False, err=True)


def _write(migrated: list[PackageMigration], force: bool) -> int:
    """Write the migrated packages (refusing a package that has a file with uncommitted
    changes, unless ``force``); the exit status."""
    status = EXIT_OK
    dirty = {} if force else uncommitted([f.go_path for pkg in migrated for f in pkg.files])
    for pkg in migrated:
        refused = [f for f in pkg.files if f.go_path in dirty or os.path.abspath(f.go_path) in dirty]
        if refused:
            for f in refused:
                _say(f"{f.go_path}: has changes not committed to git; not migrating its package "
                     "(commit them, or use --force)")
            status = EXIT_CANNOT_RUN
            continue
        for f in pkg.files:
            try:
                write_migrated(f)
            except OSError as e:
                _say(f"{e.filename or f.tgo_path}: {(e.strerror or str(e)).lower()}")
                status = EXIT_CANNOT_RUN
    return status
