"""The ``tgo`` command line (click): parse, check, gen, stubgen, migrate, build, run, test, vet, fmt and lsp.

Exit status, for every command (spec §8): 0 no errors, 1 errors found in the
sources, 2 tgo could not run (bad usage, an unreadable or unknown path, a file it
may not overwrite, a missing Go toolchain, or an internal error). 130 after Ctrl-C.

PATH arguments are files or directories. A directory is walked recursively the way
the go command walks ``./...``: directories named ``testdata`` or ``vendor`` and
directories and files whose names start with ``.`` or ``_`` are skipped, and
symbolic links to directories are not followed. A file or directory named on the
command line is always used. Diagnostics name files by the path as given on the
command line joined with the path below it.

Set ``TGO_TRACEBACK=1`` to see the Python traceback of an internal error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from transpiler import __version__, commands, compiled
from transpiler.commands import (
    EXIT_CANNOT_RUN,
    EXIT_ERRORS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    GO_SUFFIX,
    TGO_SUFFIX,
    Run,
    collect_sources,
    failure_status,
    io_reason,
    reason,
    say_error,
    warn_unsafe_cache,
    write_stdout,
)

# Every command imports what it needs when it runs: `tgo parse` must not load the checker,
# the lowering or the toolchain (tests/test_coldstart.py).

_F = TypeVar("_F", bound=Callable[..., Any])


class TgoGroup(click.Group):
    """A click group that never shows a Python traceback.

    click's own exceptions (usage errors, ``--help``, ``ctx.exit``) pass through, and so
    does a closed stdout (click's main exits 1); any other exception is reported as
    ``commands.failure_status`` says (an interrupt exits 130 quietly, no Go is ``tgo:
    MESSAGE`` and 2, anything else an internal error and 2).
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BaseException as exc:
            status = failure_status(exc)
            if status is None:
                raise
            raise click.exceptions.Exit(status) from None


class _Probe:
    """What click made of a probe command line (``_free_arguments``): the command's callback
    (``_run_recorded``) keeps the command and its parameters here instead of running it."""

    def __init__(self) -> None:
        self.found: tuple[str, dict[str, Any]] | None = None


def _run_recorded(ctx: click.Context) -> None:
    """Run the command of ``ctx`` (one of ``commands.RECORDED``) with the parameters click made of
    its command line, after leaving the record of them for the entry point (``argrecord``). From
    the console script (``main``), a go verb's go replaces the process, as from the record."""
    args = ctx.find_root().obj  # the whole command line, as ``main`` gave it to click
    command = ctx.info_name or ""
    if isinstance(args, _Probe):
        args.found = (command, dict(ctx.params))
        return
    console = isinstance(args, list)
    if console:
        from transpiler import argrecord

        if argrecord.enabled():
            argrecord.write(args, command, ctx.params, _free_arguments(args, command, ctx.params))
    ctx.exit(commands.run(command, dict(ctx.params), replace_process=console))


# What replaces an argument in a probe (``_free_arguments``): not an option (no leading ``-``),
# with what a transforming parameter type would change (spaces, ``=``, ``~``, ``$``, wildcards,
# a backslash, non-ASCII and an undecodable byte as Python gives it, ``\udcff``).
_PROBE = "tgo probe ~$HOME *?[x]=\\é\udcff "


def _parsed(args: list[str]) -> tuple[str, dict[str, Any]] | None:
    """The command and parameters click makes of ``tgo ARGS``, without running the command; None
    when click refuses the command line (or it is not one of ``commands.RECORDED``)."""
    from transpiler.argrecord import COMPLETE_VAR

    probe = _Probe()
    try:
        cli.main(args=args, prog_name="tgo", complete_var=COMPLETE_VAR, obj=probe, standalone_mode=False)
    except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        return None
    return probe.found


def _lists(params: dict[str, Any], put: dict[tuple[str, int], str] | None = None) -> dict[str, Any]:
    """``params`` with each tuple as a list, as a record holds them, and with ``put``'s values in
    their (parameter, element) places."""
    out = {name: list(v) if isinstance(v, (list, tuple)) else v for name, v in params.items()}
    for (name, index), value in (put or {}).items():
        out[name][index] = value
    return out


def _free_arguments(args: list[str], command: str, params: dict[str, Any]) -> list[tuple[int, str, int]]:
    """The arguments of ``tgo ARGS`` that click took as they are into an element of a
    parameter's list (``params``, for ``command``), each as (its place, the parameter, the
    element): click parses the command line again with them replaced by probes, all at once,
    and gives the same parameters with just those elements replaced. Where that fails (or an
    argument is in more than one element), each is tried alone (up to ``_ALONE`` of them: a
    command line of thousands of paths is not parsed again thousands of times), then the
    ones found all at once again. Only arguments that do not start with ``-`` are tried
    (``argrecord`` says why that is exact)."""
    from transpiler.argrecord import fixed

    expected = _lists(params)
    tried: list[tuple[int, list[tuple[str, int]]]] = []
    for at, arg in enumerate(args):
        places = [(name, i) for name, v in expected.items() if isinstance(v, list) for i, x in enumerate(v) if x == arg]
        if not fixed(arg) and places:
            tried.append((at, places))
    # (two arguments with the same text may hold one element: ``--format json --format=sarif json``,
    # where click drops the first; each is then tried alone)
    if all(len(places) == 1 for _, places in tried) and len({places[0] for _, places in tried}) == len(tried):
        free = [(at, *places[0]) for at, places in tried]
        if _fit_together(args, command, params, free):
            return free
    if len(tried) > _ALONE:
        return []
    free = []
    for at, places in tried:
        probe = f"{_PROBE}{at}"
        found = _parsed([probe if i == at else a for i, a in enumerate(args)])
        if found is None or found[0] != command:
            continue
        got = _lists(found[1])
        fits = [place for place in places if got == _lists(params, {place: probe})]
        if len(fits) == 1:
            free.append((at, *fits[0]))
    if len({(name, index) for _, name, index in free}) != len(free) \
            or (len(free) > 1 and not _fit_together(args, command, params, free)):
        return []
    return free


# How many arguments are tried one by one when they cannot be shown free all at once.
_ALONE = 16


def _fit_together(args: list[str], command: str, params: dict[str, Any], free: list[tuple[int, str, int]]) -> bool:
    """Whether click, given ``args`` with each of ``free``'s places replaced by its probe, makes
    ``params`` of it with just those elements replaced."""
    if not free:
        return False
    probes = {at: f"{_PROBE}{at}" for at, _, _ in free}
    found = _parsed([probes.get(i, a) for i, a in enumerate(args)])
    want = _lists(params, {(name, index): probes[at] for at, name, index in free})
    return found is not None and found[0] == command and _lists(found[1]) == want


# readable=False: click does not look at the paths (what it makes of a command line depends on
# nothing else), and takes each as it is: no callback, no resolving, ``-`` not special (the
# argument records rely on it, argrecord.py); a path tgo cannot read is reported as tgo: PATH:
# REASON. (One instance for every command: each made costs a gettext look-up.)
_PATH = click.Path(path_type=str, readable=False)


def _paths_argument(func: _F) -> _F:
    return click.argument("paths", nargs=-1, required=True, type=_PATH)(func)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``tgo --version``: ``tgo VERSION``, and ``(compiled)`` for the compiled pipeline (found out
    only then: it looks the parser's module up)."""
    if not value or ctx.resilient_parsing:
        return
    click.echo(f"tgo {__version__}" + (" (compiled)" if compiled() else ""), color=ctx.color)
    ctx.exit()


@click.group(cls=TgoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
def cli() -> None:
    """tgo: Go with nil safety, enums, unions and error propagation, lowered to plain Go.

    Exit status: 0 no errors, 1 errors found, 2 tgo could not run.
    """


@cli.command("parse")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per diagnostic; json: one JSON array of all diagnostics.",
)
@_paths_argument
@click.pass_context
def parse_command(ctx: click.Context, output_format: str, paths: Sequence[str]) -> None:
    """Parse .go and .tgo files and report syntax errors.

    PATHS are files or directories (walked recursively). Prints nothing in text
    form when there is nothing to report. Exit status: 0 no errors, 1 syntax errors,
    2 a path could not be read.
    """
    _run_recorded(ctx)


@cli.command("check")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="text: Go-style lines with a source excerpt; json: one JSON array; sarif: SARIF 2.1.0.",
)
@click.option("--coverage", is_flag=True, help="Also report the share of expressions with a known type.")
@_paths_argument
@click.pass_context
def check_command(ctx: click.Context, output_format: str, coverage: bool, paths: Sequence[str]) -> None:
    """Check Go packages: nil safety, enums, unions, error handling.

    A directory is one package (all its .tgo and .go files; .go files only give
    types); DIR/... is every package below DIR; files are grouped by directory.
    Go's own errors (undefined names, type mismatches, unused variables and
    imports) are reported too, as code go; without a Go toolchain they are not,
    which is said once.
    Exit status: 0 no errors (warnings allowed), 1 errors found, 2 tgo could not run
    (also: no errors found, but Go's own errors could not be checked).
    """
    _run_recorded(ctx)


@cli.command("gen")
@click.option(
    "--no-check",
    is_flag=True,
    help="Lower even when the checker finds errors (syntax errors still stop the package).",
)
@click.option(
    "--stdout",
    "to_stdout",
    is_flag=True,
    help="Print the generated Go to stdout instead of writing files (several files are simply concatenated).",
)
@_paths_argument
@click.pass_context
def gen_command(ctx: click.Context, no_check: bool, to_stdout: bool, paths: Sequence[str]) -> None:
    """Lower .tgo files to Go files next to them: x.tgo -> x_tgo.go.

    PATHS are .tgo files or directories (walked recursively; .go files are not
    lowered and are skipped). Each file is checked and lowered with the rest of
    its package (the other .tgo and .go files of its directory). A package with
    errors is reported (on stderr) and its files are not written. A generated file
    whose content is unchanged is not rewritten. Exit status: 0 all written,
    1 errors found (those files not written), 2 a path could not be read or
    written, or a construct could not be lowered.
    """
    _run_recorded(ctx)


@cli.command("stubgen")
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=str),
    help="The stub directory: each stub goes to OUTPUT/<import path>/<last element>.tgoi.",
)
@click.option("--force", is_flag=True, help="Also overwrite curated stubs (files starting with //tgo:strict).")
@click.argument("import_paths", metavar="IMPORTPATH...", nargs=-1, required=True)
@click.pass_context
def stubgen_command(ctx: click.Context, out_dir: str, force: bool, import_paths: Sequence[str]) -> None:
    """Write .tgoi stubs (the exported API) of Go packages, found with go list.

    IMPORTPATH is anything go list accepts, run in the current directory (so a
    module's dependencies work too); "std" is the whole standard library except
    internal, vendor and cmd packages. A curated stub (first line //tgo:strict) is
    kept unless --force; an unchanged stub is not rewritten. Exit status: 0 all
    written, 1 a package's Go file could not be parsed, 2 a package could not be
    listed or written, or no Go toolchain.
    """
    from transpiler.stubs.stubgen import StubgenError, generate

    try:
        report = generate(import_paths, out_dir, force=force)
    except StubgenError as exc:
        say_error(str(exc))
        ctx.exit(EXIT_CANNOT_RUN)
    except OSError as exc:
        say_error(f"{exc.filename or out_dir}: {reason(exc)}")
        ctx.exit(EXIT_CANNOT_RUN)
    for path in report.kept_strict:
        say_error(f"{path}: kept: a curated stub (//tgo:strict); use --force to overwrite it")
    for error in report.source_errors:
        click.echo(error, err=True)
    for problem in report.problems:
        say_error(problem)
    if report.problems:
        ctx.exit(EXIT_CANNOT_RUN)
    ctx.exit(EXIT_ERRORS if report.source_errors else EXIT_OK)


# --- migrate ----------------------------------------------------------------------------

_MIGRATE_OPTIONS: list[Callable[[_F], _F]] = [
    click.option("-w", "write", is_flag=True, help="Write x.tgo in place of each x.go instead of printing the diff."),
    click.option("--force", is_flag=True, help="With -w, also migrate files with changes not committed to git."),
    click.option("--oblivious", is_flag=True,
                 help="Mark a file that cannot be made to check clean //tgo:oblivious instead of leaving its package."),
    click.option("--nullable-exported-params", is_flag=True,
                 help="Also make nullable the parameters of exported functions that compare them with nil."),
    click.option("--try", "try_", is_flag=True,
                 help="Also turn `if err != nil { return ..., err }` blocks into call? (and "
                      "fmt.Errorf(\"msg: %w\", err) into call ? \"msg\") where the behaviour is the same."),
    click.option("--enums", is_flag=True,
                 help="Also turn a named integer or string type with a const block of its members into an enum, "
                      "where every use allows it and no output can change."),
    click.option("--unions", is_flag=True,
                 help="Also turn a sealed interface (an unexported marker method, its variants in the package) "
                      "into a union."),
    click.option("--fewest-marks", is_flag=True,
                 help="Also follow nil into slices' elements and into the fields of other packages' structs "
                      "that a literal leaves out, and migrate each package again without element ? and without "
                      "the ? only its tests' nil asks for, keeping the result with fewer marks (slower: up to "
                      "a few times the time)."),
]


def _migrate_options(func: _F) -> _F:
    for option in reversed(_MIGRATE_OPTIONS):
        func = option(func)
    return func


@cli.command("migrate")
@_migrate_options
@_paths_argument
@click.pass_context
def migrate_command(ctx: click.Context, write: bool, force: bool, oblivious: bool, nullable_exported_params: bool,
                    try_: bool, enums: bool, unions: bool, fewest_marks: bool, paths: Sequence[str]) -> None:
    """Turn .go files into .tgo files that check clean and lower to the same Go.

    PATHS are directories (DIR/... is every package below DIR) or .go files. Each
    package's nil flows are inferred: ? goes on every declaration nil can reach;
    a use still not proven safe gets x! (where the code compares x with nil
    first) or a //tgo:ignore[code] // tgo migrate: unproven line; a dropped error
    gets //tgo:ignore[unchecked-error]. Prints a unified diff (-w: writes x.tgo
    and removes x.go) and, on stderr, a summary per file. Generated and cgo
    files are left as they are. --try, --enums and --unions convert more (see
    docs/migrate-conversions.md). Exit status: 0 migrated, 1 a package does not
    check clean (nothing of it written), 2 tgo could not run (a bad path, a syntax
    error, uncommitted changes without --force, a file it could not write).
    See docs/migrate.md.
    """
    from transpiler.migrate.command import run_migrate
    from transpiler.migrate.pipeline import Options

    convert = None
    if try_ or enums or unions:
        from transpiler.check.snapshot import PackageCheck
        from transpiler.diagnostics.fix import TextEdit
        from transpiler.migrate.convert import conversions

        def convert_package(check: PackageCheck) -> list[TextEdit]:
            return conversions(check, try_=try_, enums=enums, unions=unions)

        convert = convert_package
    options = Options(nullable_exported_params=nullable_exported_params, oblivious=oblivious, convert=convert,
                      fewest_marks=fewest_marks)
    ctx.exit(run_migrate(paths, options, write=write, force=force, exiting=True))


# --- the go commands: build, run, test, vet ---------------------------------------------



class _GoVerbCommand(click.Command):
    """A command whose arguments all go to go untouched (click's parser would drop a ``--``).

    Only ``--help`` as the first argument is tgo's; ``-h`` and anything else reach go.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args[:1] == ["--help"]:
            return super().parse_args(ctx, args)
        ctx.params["go_args"] = tuple(args)
        return []


_GO_CONTEXT = {"help_option_names": ["--help"]}


def _go_args_argument(func: _F) -> _F:
    return click.argument("go_args", metavar="[GO FLAGS] [PACKAGES]", nargs=-1, type=click.UNPROCESSED)(func)


@cli.command("build", cls=_GoVerbCommand, context_settings=_GO_CONTEXT)
@_go_args_argument
@click.pass_context
def build_command(ctx: click.Context, go_args: Sequence[str]) -> None:
    """Check, lower and build packages: go build with the lowered files overlaid.

    Takes what go build takes; every flag and argument is passed to go, and go's
    exit status is tgo's. The .tgo packages of the module are lowered into tgo's
    cache (unchanged ones are not lowered again) and given to go with -overlay, so
    the source tree is not touched. Checker errors in a package being built are
    printed and stop the build (exit 1); exit 2 when tgo cannot run (no Go).
    """
    _run_recorded(ctx)


@cli.command("run", cls=_GoVerbCommand, context_settings=_GO_CONTEXT)
@_go_args_argument
@click.pass_context
def run_command(ctx: click.Context, go_args: Sequence[str]) -> None:
    """Check, lower and run a main package: go run with the lowered files overlaid.

    tgo run [go flags] PACKAGE|FILE.tgo... [program arguments]. Exit status: the
    program's as go run reports it, 1 checker errors, 2 tgo could not run.
    """
    _run_recorded(ctx)


@cli.command("test", cls=_GoVerbCommand, context_settings=_GO_CONTEXT)
@_go_args_argument
@click.pass_context
def test_command(ctx: click.Context, go_args: Sequence[str]) -> None:
    """Check, lower and test packages: go test with the lowered files overlaid.

    x_test.tgo files are tests. Flags (-v, -run, -args ...) go to go test. Exit
    status: go test's, 1 checker errors, 2 tgo could not run.
    """
    _run_recorded(ctx)


@cli.command("vet", cls=_GoVerbCommand, context_settings=_GO_CONTEXT)
@_go_args_argument
@click.pass_context
def vet_command(ctx: click.Context, go_args: Sequence[str]) -> None:
    """Check and lower packages, print the checker's findings, then run go vet on them.

    Exit status: go vet's, 1 checker errors (go vet is then not run), 2 tgo could
    not run.
    """
    _run_recorded(ctx)


def _run_go_workflow(ctx: click.Context, run: Callable[[list[str]], int], go_args: Sequence[str]) -> None:
    """Exit with ``run(go_args)``'s status, or 2 with a message when tgo or go cannot run."""
    from transpiler.goexe import ToolchainError
    from transpiler.toolchain.gocmd import GoCommandError

    try:
        ctx.exit(run(list(go_args)))
    except (GoCommandError, ToolchainError) as exc:
        say_error(str(exc))
        ctx.exit(EXIT_CANNOT_RUN)


@cli.command("generate", cls=_GoVerbCommand, context_settings=_GO_CONTEXT)
@click.argument("go_args", metavar="[-run RE] [-skip RE] [-n] [-v] [-x] [BUILD FLAGS] [PACKAGES]", nargs=-1,
                type=click.UNPROCESSED)
@click.pass_context
def generate_command(ctx: click.Context, go_args: Sequence[str]) -> None:
    """Run the //go:generate directives of .go and .tgo files, as go generate does.

    For a .tgo file $GOFILE is its name (x.tgo) and $GOLINE the directive's line.
    Exit status: 0, 1 when a generator failed, 2 when tgo could not run.
    """
    from transpiler.toolchain.generate import generate_command as run_generate

    _run_go_workflow(ctx, run_generate, go_args)


@cli.command("mod", cls=_GoVerbCommand, context_settings=_GO_CONTEXT)
@click.argument("go_args", metavar="SUBCOMMAND [ARGS]", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def mod_command(ctx: click.Context, go_args: Sequence[str]) -> None:
    """go mod, with the imports of .tgo files seen: tgo mod tidy keeps what only they use.

    tidy, vendor and why see every .tgo file of the module (its build constraint,
    package clause and imports); a .tgo file with a syntax error stops them
    (exit 1). Other subcommands are go mod's unchanged.
    """
    from transpiler.toolchain.gocmd import mod_command as run_mod

    _run_go_workflow(ctx, run_mod, go_args)


@cli.command("tool", cls=_GoVerbCommand, context_settings=_GO_CONTEXT)
@click.argument("go_args", metavar="TOOL [ARGS]", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def tool_command(ctx: click.Context, go_args: Sequence[str]) -> None:
    """go tool, with tgo's own cover: tgo tool cover -func=c.out | -html=c.out [-o FILE].

    go tool cover cannot read .tgo files; tgo's reads a profile of .go and .tgo
    files (tgo test -coverprofile=c.out) with the cover tool's rules and output
    forms. -html without -o writes the page to a temporary file and opens it in a
    browser. Other tools (and other cover modes) are go tool's.
    """
    from transpiler.goexe import ToolchainError, require_go
    from transpiler.toolchain.cover import CoverError, cover_command
    from transpiler.toolchain.gocmd import Prepared, execute

    try:
        go = require_go()
        if go_args[:1] == ("cover",):
            status = cover_command(list(go_args[1:]), go)
            if status is not None:
                ctx.exit(status)
        ctx.exit(execute(Prepared([go, "tool", *go_args])))
    except CoverError as exc:
        say_error(str(exc))
        ctx.exit(EXIT_CANNOT_RUN)
    except ToolchainError as exc:
        say_error(str(exc))
        ctx.exit(EXIT_CANNOT_RUN)


# --- fmt --------------------------------------------------------------------------------


@cli.command("fmt")
@click.option("-l", "list_files", is_flag=True, help="List the files whose formatting differs.")
@click.option("-w", "write", is_flag=True, help="Write the result to the file instead of printing it.")
@_paths_argument
@click.pass_context
def fmt_command(ctx: click.Context, list_files: bool, write: bool, paths: Sequence[str]) -> None:
    """Format .tgo files in gofmt's style.

    PATHS are .tgo files or directories (walked recursively; .go files are
    skipped: use gofmt). Without -l or -w the formatted files are printed. A file
    with syntax errors is reported and left alone (exit 1); a file tgo cannot
    format or write is left alone (exit 2). -w writes each file in place as gofmt -w
    does: links, owner and mode are kept.
    """
    from transpiler.diagnostics import format_text
    from transpiler.fs.read import read_file
    from transpiler.gcpause import paused
    from transpiler.syntax import parse_file
    from transpiler.toolchain import require_gofmt
    from transpiler.toolchain.fmt import FormatError, format_parsed, formatting_differs, write_formatted

    warn_unsafe_cache()
    run = Run()
    gofmt: str | None = None
    for path in collect_sources(paths, (TGO_SUFFIX,), run, ignored=(GO_SUFFIX,)):
        with paused():
            result = parse_file(path)
        if result.io_error is not None:
            run.problem(path, io_reason(path, result.io_error))
            continue
        if result.diagnostics or result.tree is None:
            run.diagnostics.extend(result.diagnostics)
            continue
        if gofmt is None:
            gofmt = require_gofmt()
        if list_files and not write:  # only whether it differs: one parse, nothing verified
            try:
                if formatting_differs(result, gofmt):
                    click.echo(path)
            except FormatError as exc:
                run.problem(path, f"cannot format: {exc}")
            continue
        try:
            with paused():
                formatted = format_parsed(result, gofmt)
            original = read_file(path)
        except FormatError as exc:
            run.problem(path, f"cannot format: {exc}")
            continue
        except OSError as exc:
            run.problem(path, reason(exc))
            continue
        data = formatted.encode("utf-8")
        changed = data != original
        if list_files and changed:
            click.echo(path)
        if write:
            if changed:
                try:
                    write_formatted(path, data, original)
                except OSError as exc:
                    run.problem(path, reason(exc))
        elif not list_files:
            write_stdout(data)
    sys.stdout.flush()
    diags = run.sorted_diagnostics()
    if diags:
        click.echo(format_text(diags), nl=False, err=True)
    ctx.exit(run.status())


# --- lsp --------------------------------------------------------------------------------


@cli.command("lsp")
@click.option("--log", "log_file", type=click.Path(dir_okay=False), default=None,
              help="Write the server's log to FILE (default: errors to stderr).")
def lsp_command(log_file: str | None) -> None:
    """Run the language server (LSP 3.17) on stdin and stdout.

    Editors start it (editors/vscode, editors/nvim; see docs/editors.md). It gives
    tgo's diagnostics as you type, quick fixes, hover, definition and formatting
    for .tgo files, and what gopls gives for Go behind it.
    """
    from transpiler.lsp.server import serve

    serve(log_file)

def main(argv: Sequence[str] | None = None) -> None:
    """The click command line: ``tgo ARGV`` (by default ``sys.argv[1:]``)."""
    from transpiler.argrecord import COMPLETE_VAR
    from transpiler.report import exit_now, safe_output

    safe_output()
    args = list(argv) if argv is not None else sys.argv[1:]
    try:
        # obj: the command line, for the argument record (_run_recorded)
        cli.main(args=args, prog_name="tgo", complete_var=COMPLETE_VAR, obj=list(args))
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except SystemExit as done:  # (click ends every command line so)
        exit_now(done.code)
