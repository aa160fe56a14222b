"""The ``tgo`` entry point: the cached ``tgo check`` and the go verbs, without loading the CLI.

Starting Python takes about 15 ms; loading click, the parser and the checker
takes several times that.  ``tgo check`` of packages whose every file is
unchanged (the package entries of ``check/cache.py``) needs none of them: this
module finds the packages, hashes their files and prints the cached diagnostics
with the standard library and the small modules ``check.files``, ``check.cache``,
``stubs.config`` and ``report`` (what it prints, shared with the CLI).  Anything
else — another command, an option it does not know, a path that is not a
package, a package without a valid entry — goes to
the click command line (``transpiler.cli``) untouched, which gives the same
output and exit status the slow way.

``tgo build | run | test | vet`` pass every argument but a leading ``--help`` to
go, so they need no command-line parsing either: they go straight to
``toolchain.gocmd.run_command``, which loads the parser, checker and lowering
only for packages whose lowering is not cached.
"""

from __future__ import annotations

import os
import sys

from transpiler.fs.read import read_file
from transpiler.report import print_check_report, report_internal_error, safe_output

# (typing is not imported: this module runs first on every tgo command; mypy reads
# this name as typing.TYPE_CHECKING)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from transpiler.diagnostics import Diagnostic
    from transpiler.syntax.source import SourceFile

FORMATS = ("text", "json", "sarif")


GO_VERBS = ("build", "run", "test", "vet")


def main() -> None:
    """The ``tgo`` console script."""
    safe_output()
    args = sys.argv[1:]
    status: int | None = None
    try:
        if args[:1] and args[0] in _CACHING_COMMANDS:
            _warn_unsafe_cache()
        if args[:1] == ["check"]:
            status = cached_check(args[1:])
        elif args[:1] and args[0] in GO_VERBS and args[1:2] != ["--help"]:
            # every other argument is go's: no command-line parsing to do
            from transpiler.toolchain.gocmd import run_command

            status = run_command(args[0], args[1:], replace_process=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        report_internal_error(exc)
        sys.exit(2)
    if status is not None:
        sys.exit(status)
    from transpiler.cli import main as cli_main

    cli_main()


# The commands that use the parse table and check caches without needing them: with a cache
# that is not safe to use they work uncached, and say so (the go verbs refuse: gocmd).
_CACHING_COMMANDS = ("check", "gen", "parse", "fmt")


def _warn_unsafe_cache() -> None:
    from transpiler import caches

    why = caches.unsafe_reason(os.path.join(caches.cache_root(), "check"))
    if why is not None:
        sys.stderr.write(f"tgo: warning: not using the cache: {why}; {caches.UNSAFE_ADVICE}\n")


def _options(args: Sequence[str]) -> tuple[str, bool, list[str]] | None:
    """``--format``, ``--coverage`` and the paths of ``tgo check ARGS``; None for anything else."""
    output_format, coverage, paths = "text", False, []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--coverage":
            coverage = True
        elif a == "--format" and i + 1 < len(args):
            output_format = args[i + 1]
            i += 1
        elif a.startswith("--format="):
            output_format = a[len("--format="):]
        elif a.startswith("-"):
            return None  # --help, --, a typo: the CLI answers
        else:
            paths.append(a)
        i += 1
    if output_format not in FORMATS or not paths:
        return None
    return output_format, coverage, paths


def cached_check(args: Sequence[str]) -> int | None:
    """Print the cached result of ``tgo check ARGS`` and return the exit status, or None (and
    print nothing) when some package has no valid cache entry."""
    opts = _options(args)
    if opts is None:
        return None
    output_format, coverage, paths = opts
    from transpiler.check import cache
    from transpiler.check.files import packages
    from transpiler.stubs.config import StubConfigError, load_config, module_root

    groups, problems = packages(paths)
    if problems or not groups:
        return None
    entries = []
    for files in groups:
        try:
            config = load_config(module_root(os.path.dirname(os.path.abspath(files[0]))))
            datas = []
            for p in files:
                datas.append((p, read_file(p)))
        except (StubConfigError, OSError):
            return None
        entry = cache.load_entry(cache.key(datas, config.stub_paths, config.settings_key(), go=True))  # tgo check includes Go's errors
        if entry is None:
            return None
        entries.append(entry)
    return _report(entries, output_format, coverage)


def _report(entries: list[dict[str, Any]], output_format: str, coverage: bool) -> int | None:
    raw = [d for e in entries for d in e["diagnostics"]]
    status = 1 if any(d.get("severity") == "error" for d in raw) else 0
    diags: list[Diagnostic] = []
    sources: dict[str, SourceFile] = {}
    if raw:
        from transpiler.check import cache
        from transpiler.syntax.source import SourceFile

        try:
            diags = sorted((d for e in entries for d in cache.diagnostics_of(e)), key=lambda d: d.sort_key())
        except (KeyError, TypeError, ValueError):
            return None
        if output_format != "json":
            for name in {d.file for d in diags}:
                try:
                    sources[name] = SourceFile(name, read_file(name).decode("utf-8", "replace"))
                except OSError:
                    return None
    typed = sum(int(e["typed"]) for e in entries)
    untyped = sum(int(e["untyped"]) for e in entries)
    print_check_report(diags, sources, output_format, (typed, untyped) if coverage else None)
    return status
