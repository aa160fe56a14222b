"""What ``tgo parse``, ``tgo check``, ``tgo gen`` and the go verbs do once their arguments are parsed, without click.

click parses every command line (``cli.py``); what it made of one is kept in an argument
record (``argrecord.py``), and the entry point (``fastpath.py``) runs the same command line
again, or one with other paths in the same places, from that record, without loading click. Both run the commands of ``RECORDED`` through
``run``, which is here: the bodies of those commands, what they print, their exit status,
and how a failure is reported. Also here, for every command: ``Run`` (what one command
found) and ``collect_sources`` (the PATH arguments walked).

Standard library only when loaded (``typing`` is not imported: the entry point loads this
module for ``tgo parse``); each command loads what it needs when it runs.
"""

from __future__ import annotations

import os
import stat
import sys

# (mypy reads this name as typing.TYPE_CHECKING)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from typing import Any

    from transpiler.diagnostics import Diagnostic
    from transpiler.syntax.source import SourceFile

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_CANNOT_RUN = 2
EXIT_INTERRUPTED = 130

GO_SUFFIX = ".go"
TGO_SUFFIX = ".tgo"

GO_VERBS = ("build", "run", "test", "vet")


def say_error(message: str) -> None:
    """``tgo: MESSAGE`` on stderr."""
    sys.stderr.write(f"tgo: {message}\n")
    sys.stderr.flush()


def reason(exc: OSError) -> str:
    """An OSError as the go tools word it: ``no such file or directory``."""
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


def io_reason(path: str, io_error: str) -> str:
    """A read error as ``ParseResult.io_error`` gives it, without the path in front."""
    prefix = f"{path}: "
    text = io_error[len(prefix) :] if io_error.startswith(prefix) else io_error
    return text[:1].lower() + text[1:]


def failure_status(exc: BaseException) -> int | None:
    """Report an exception that ended a command and give the exit status, or None for one the
    caller lets through (a closed stdout): an interrupt exits 130 quietly, a missing Go
    toolchain (``ToolchainError``) is ``tgo: MESSAGE`` and 2, anything else an internal error
    and 2. The click command line (``cli.TgoGroup``) and the entry point share it."""
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(exc, BrokenPipeError) or not isinstance(exc, Exception):
        return None
    from transpiler.goexe import ToolchainError

    if isinstance(exc, ToolchainError):
        say_error(str(exc))
        return EXIT_CANNOT_RUN
    from transpiler.report import report_internal_error

    report_internal_error(exc)
    return EXIT_CANNOT_RUN


def warn_unsafe_cache() -> None:
    """Say once that the check cache is not used because others may write to it (the commands
    that only gain from the cache work without it; the go verbs refuse: ``gocmd``)."""
    from transpiler import caches

    why = caches.unsafe_reason(os.path.join(caches.cache_root(), "check"))
    if why is not None:
        sys.stderr.write(f"tgo: warning: not using the cache: {why}; {caches.UNSAFE_ADVICE}\n")


class Run:
    """What one command found: diagnostics, and whether tgo could not do part of its job."""

    __slots__ = ("cannot_run", "diagnostics", "unverified")

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.cannot_run = False
        self.unverified = False  # tgo check: Go's own errors were not checked

    def problem(self, path: str, why: str) -> None:
        """Report a path tgo could not use (``tgo: PATH: REASON``); the exit status becomes 2."""
        self.fail(f"{path}: {why}")

    def fail(self, message: str) -> None:
        """Report what tgo could not do (``tgo: MESSAGE``); the exit status becomes 2."""
        say_error(message)
        self.cannot_run = True

    def status(self) -> int:
        from transpiler.diagnostics import Severity

        if self.cannot_run:
            return EXIT_CANNOT_RUN
        if any(d.severity is Severity.ERROR for d in self.diagnostics):
            return EXIT_ERRORS
        return EXIT_CANNOT_RUN if self.unverified else EXIT_OK

    def sorted_diagnostics(self) -> list[Diagnostic]:
        return sorted(self.diagnostics, key=lambda d: d.sort_key())


def _walk(top: str, suffixes: tuple[str, ...], run: Run) -> Iterator[str]:
    from transpiler.fs.modules import hidden, walk

    def onerror(exc: OSError) -> None:
        run.problem(exc.filename if exc.filename else top, reason(exc))

    for dirpath, filenames in walk(top, onerror=onerror):
        for name in filenames:
            if name.endswith(suffixes) and not hidden(name):
                yield os.path.join(dirpath, name)


def collect_sources(
    paths: Iterable[str],
    suffixes: tuple[str, ...],
    run: Run,
    ignored: tuple[str, ...] = (),
) -> list[str]:
    """The source files PATHS name, each once, in command-line then walk order.

    A directory is walked (``dir/...`` is the same as ``dir``). A named file must end in
    one of ``suffixes`` (else it is a problem, exit 2), except that one ending in
    ``ignored`` is skipped with a note.
    """
    from transpiler.check.files import split_pattern

    found: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            found.append(path)

    for arg in paths:
        base, _ = split_pattern(arg)  # `dir/...` is the directory: directories are walked anyway
        try:
            st = os.stat(base)
        except OSError as exc:
            run.problem(arg, reason(exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            for path in _walk(base, suffixes, run):
                add(path)
        elif arg.endswith(suffixes):
            add(arg)
        elif arg.endswith(ignored):
            say_error(f"{arg}: skipped: only {' and '.join(suffixes)} files are used here")
        else:
            kinds = " or ".join(suffixes)
            run.problem(arg, f"not a {kinds} file or a directory")
    return found


# --- the commands an argument record can run -------------------------------------------


def parse(output_format: str, paths: Sequence[str]) -> int:
    """``tgo parse``: the syntax errors of PATHS; the exit status."""
    from transpiler.gcpause import paused
    from transpiler.syntax import parse_file

    warn_unsafe_cache()
    run = Run()
    with paused():  # trees hold no cycles: each is freed as the next file is parsed
        for path in collect_sources(paths, (GO_SUFFIX, TGO_SUFFIX), run):
            result = parse_file(path)
            if result.io_error is not None:
                run.problem(path, io_reason(path, result.io_error))
                continue
            run.diagnostics.extend(result.diagnostics)
    diags = run.sorted_diagnostics()
    if output_format == "json" or diags:  # (a file without errors makes no Diagnostic: not loaded)
        from transpiler.diagnostics import format_json, format_text

        sys.stdout.write(format_json(diags) if output_format == "json" else format_text(diags))
    sys.stdout.flush()
    return run.status()


def check(output_format: str, coverage: bool, paths: Sequence[str], exiting: bool = False) -> int:
    """``tgo check``: the cached result when every package has one (``cached_check``), else
    the check of PATHS; the exit status. ``exiting``: the process ends after it (the last
    package's pause lasts to the end: ``gcpause.paused_until_exit``)."""
    warn_unsafe_cache()
    if not os.environ.get("HOME"):  # (go vet needs a home; set before the cache keys see the environment)
        from transpiler.goexe import give_go_a_home

        give_go_a_home()  # (when there is none, Go's check says so)
    status = cached_check(output_format, coverage, paths)
    if status is not None:
        return status
    import contextlib

    from transpiler.check.files import packages
    from transpiler.check.snapshot import Session
    from transpiler.gcpause import paused_until_exit
    from transpiler.report import print_check_report
    from transpiler.stubs.config import StubConfigError
    from transpiler.toolchain import gotypes

    run = Run()
    groups, problems = packages(list(paths))
    for path, why in problems:
        run.problem(path, why)
    sources = {}
    typed = untyped = 0
    snapshot = Session().snapshot()  # (its stub packages are shared by the packages checked)
    with contextlib.ExitStack() as last_pause:
        for i, files in enumerate(groups):
            if exiting and i == len(groups) - 1:
                # (the packages before it end their pauses as before: what the collector then
                # frees keeps a run of many packages as small as one)
                last_pause.enter_context(paused_until_exit(True))
            try:
                result = snapshot.check_files(files, go_check=gotypes.check)
            except StubConfigError as e:
                run.fail(str(e))  # (the message starts with the tgo.toml path)
                continue
            if result.go_note is not None:
                if result.go_note == gotypes.NO_GO:
                    if not run.unverified:
                        say_error(f"note: Go's own errors (code go) were not checked: {gotypes.NO_GO}")
                else:
                    where = os.path.dirname(files[0]) or "."
                    say_error(f"{where}: note: Go's own errors (code go) were not checked: {result.go_note}")
                run.unverified = True
            for path, why in result.io_errors:
                run.problem(path, io_reason(path, why))
            run.diagnostics.extend(result.diagnostics)
            sources.update(result.sources)
            typed += result.typed
            untyped += result.untyped
        print_check_report(run.sorted_diagnostics(), sources, output_format, (typed, untyped) if coverage else None)
        return run.status()


def cached_check(output_format: str, coverage: bool, paths: Sequence[str]) -> int | None:
    """Print the cached result of ``tgo check`` and return the exit status, or None (and print
    nothing) when some package has no valid cache entry: every file of every package is
    hashed, and nothing of the checker is loaded (``check.files``, ``check.cache`` and
    ``stubs.config`` are standard library only)."""
    from transpiler.check import cache
    from transpiler.check.files import packages
    from transpiler.fs.read import read_file
    from transpiler.stubs.config import StubConfigError, load_config, module_root

    groups, problems = packages(list(paths))
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
    status = EXIT_ERRORS if any(d.get("severity") == "error" for d in raw) else EXIT_OK
    diags: list[Diagnostic] = []
    sources: dict[str, SourceFile] = {}
    if raw:
        from transpiler.check import cache
        from transpiler.fs.read import read_file
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
    from transpiler.report import print_check_report

    print_check_report(diags, sources, output_format, (typed, untyped) if coverage else None)
    return status


GENERATED_MARK = b"// Code generated by tgo"


class NotOurs(Exception):
    """The output path holds a file that tgo did not generate."""


def _file_mode(existing: os.stat_result | None) -> int:
    if existing is not None:
        return stat.S_IMODE(existing.st_mode)
    from transpiler.fs.write import new_file_mode

    return new_file_mode()


def write_generated(path: str, data: bytes) -> bool:
    """Atomically write ``data`` to ``path``; False when the file already held exactly that.

    The data goes to a hidden temporary file in the same directory (the go command
    ignores names starting with ``.``) that then replaces ``path``, so an interrupted
    run never leaves a partial file. A file at ``path`` that does not start with tgo's
    ``// Code generated by tgo`` line is never overwritten (``NotOurs``).
    """
    from transpiler.fs.read import read_file

    try:
        existing_data: bytes | None = read_file(path)
        existing_stat: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        existing_data, existing_stat = None, None
    if existing_data is not None:
        if existing_data == data:
            return False
        if not existing_data.startswith(GENERATED_MARK):
            raise NotOurs(path)
    from transpiler.fs.write import write_atomic

    write_atomic(path, data, mode=_file_mode(existing_stat))
    return True


def write_stdout(data: bytes) -> None:
    """Write bytes to stdout exactly (no newline translation, no re-encoding)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        buffer.write(data)
        buffer.flush()


def gen(no_check: bool, to_stdout: bool, paths: Sequence[str]) -> int:
    """``tgo gen``: lower the .tgo files of PATHS next to them, each with its package; the
    exit status."""
    from transpiler.check.files import package_files
    from transpiler.lower import lower_package
    from transpiler.lower.edits import LowerError
    from transpiler.lower.naming import output_name
    from transpiler.stubs.config import StubConfigError

    warn_unsafe_cache()
    run = Run()
    wanted = collect_sources(paths, (TGO_SUFFIX,), run, ignored=(GO_SUFFIX,))
    by_dir: dict[str, list[str]] = {}
    for path in wanted:
        by_dir.setdefault(os.path.dirname(path) or ".", []).append(path)
    for directory, files in by_dir.items():
        try:
            members = package_files(directory)
        except OSError as exc:
            run.problem(directory, reason(exc))
            continue
        # the named files stand for themselves even if package_files would skip them
        keys = {os.path.realpath(m) for m in members}
        members += [f for f in files if os.path.realpath(f) not in keys]
        try:
            result = lower_package(members, check=not no_check)
        except LowerError as exc:
            run.problem(directory, f"cannot lower: {exc}")
            continue
        except StubConfigError as exc:
            run.fail(str(exc))  # (the message starts with the tgo.toml path)
            continue
        except OSError as exc:
            run.problem(exc.filename or directory, reason(exc))
            continue
        run.diagnostics.extend(result.diagnostics)
        outputs = {os.path.realpath(k): v for k, v in result.outputs.items()}
        for path in files:
            text = outputs.get(os.path.realpath(path))
            if text is None:
                continue
            data = text.encode("utf-8")
            if to_stdout:
                write_stdout(data)
                continue
            out = output_name(path)
            try:
                write_generated(out, data)
            except NotOurs:
                run.problem(out, "exists and was not generated by tgo; not overwriting it")
            except OSError as exc:
                run.problem(out, reason(exc))
    sys.stdout.flush()
    diags = run.sorted_diagnostics()
    if diags:
        # (click's echo, as the click command line wrote them: loaded only to say them)
        from click import echo

        from transpiler.diagnostics import format_text

        echo(format_text(diags), nl=False, err=True)
    return run.status()


def go_verb(verb: str, go_args: Sequence[str], replace_process: bool = False) -> int:
    """``tgo build | run | test | vet``: check and lower what go builds, then run go; go's
    exit status (``toolchain.gocmd.run_command``)."""
    from transpiler.toolchain.gocmd import run_command

    return run_command(verb, list(go_args), replace_process=replace_process)


# The commands an argument record may name, with the names of their parameters as click
# gives them (the callbacks in cli.py); ``run`` runs them.
RECORDED: dict[str, tuple[str, ...]] = {
    "parse": ("output_format", "paths"),
    "check": ("output_format", "coverage", "paths"),
    "gen": ("no_check", "to_stdout", "paths"),
    **{verb: ("go_args",) for verb in GO_VERBS},
}


def run(command: str, params: dict[str, Any], replace_process: bool = False) -> int:
    """Run a command of ``RECORDED`` with the parameters click made of its command line;
    its exit status. ``replace_process``: a go verb's go replaces this process (and the
    process ends after any command: the console script's run)."""
    if command == "parse":
        return parse(str(params["output_format"]), list(params["paths"]))
    if command == "check":
        return check(str(params["output_format"]), bool(params["coverage"]), list(params["paths"]),
                     exiting=replace_process)
    if command == "gen":
        return gen(bool(params["no_check"]), bool(params["to_stdout"]), list(params["paths"]))
    return go_verb(command, list(params["go_args"]), replace_process=replace_process)
