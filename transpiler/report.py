"""What tgo prints besides a command's output: the check report, internal errors, safe streams, the end.

The ``tgo check`` report (text, JSON, SARIF, the coverage line), an internal error,
output streams that cannot fail on an encoding, and the end of the process with its
output flushed (``exit_now``).  Shared by the entry point
(``fastpath``) and the click command line (``cli``), which sits below it.  Standard
library only when loaded: the entry point loads it on every command.
"""

from __future__ import annotations

import contextlib
import os
import sys

# (typing is not imported: this module is loaded on every tgo command; mypy reads this name
# as typing.TYPE_CHECKING)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import NoReturn

    from transpiler.diagnostics import Diagnostic
    from transpiler.syntax.source import SourceFile

TRACEBACK_ENV_VAR = "TGO_TRACEBACK"


def safe_output() -> None:
    """Make stdout and stderr write what their encoding cannot as ``\\xe9`` escapes (a file
    name with ``é`` under ``LC_ALL=C``) instead of failing with ``UnicodeEncodeError``."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # (else the stream keeps its errors)
                reconfigure(errors="backslashreplace")


def exit_now(code: str | int | None) -> NoReturn:
    """End the process as ``sys.exit(code)`` would, without the interpreter's teardown.

    A normal exit frees every object one by one: after ``tgo gen`` of a 1 MB file, the
    tree, the checker's information and the lowering's texts and maps, about 0.35 s of
    CPU for nothing (mypy ends its runs the same way, ``mypy.util.hard_exit``). The exit
    handlers run and both streams are flushed first; a reader of stdout that went away
    makes the status 1, quietly, as ``tgo parse | head`` does. With another thread alive
    (the language server's) it is a normal exit, which waits for the thread."""
    import atexit
    import threading

    if threading.active_count() > 1:
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)  # (as sys.exit prints a message)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            if stream is sys.stdout and status == 0:
                status = 1
    os._exit(status)


def report_internal_error(exc: BaseException) -> None:
    """Say that tgo failed (a bug): no traceback unless ``TGO_TRACEBACK`` is set."""
    if os.environ.get(TRACEBACK_ENV_VAR):
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    sys.stderr.write(f"tgo: internal error: {type(exc).__name__}: {exc}\n")
    sys.stderr.write(
        "tgo: this is a bug in tgo; please report it with the command and the input that caused it"
        f" (set {TRACEBACK_ENV_VAR}=1 for a traceback)\n"
    )


def print_check_report(diags: list[Diagnostic], sources: Mapping[str, SourceFile], output_format: str,
                       coverage: tuple[int, int] | None) -> None:
    """What ``tgo check`` prints: the sorted diagnostics in ``output_format`` on stdout (nothing
    for none in text form, colour only on a terminal), then with ``coverage`` (typed, untyped)
    the coverage line, on stderr unless the format is text."""
    if diags or output_format != "text":
        from transpiler import __version__
        from transpiler.diagnostics.render import render_json, render_sarif, render_text

        if output_format == "json":
            out = render_json(diags)
        elif output_format == "sarif":
            out = render_sarif(diags, __version__, sources=sources)
        else:
            color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
            out = render_text(diags, sources, color)
        sys.stdout.write(out)
    if coverage is not None:
        typed, untyped = coverage
        total = typed + untyped
        share = 100.0 * typed / total if total else 100.0
        sys.stdout.flush()
        line = f"coverage: {share:.1f}% of {total} expressions have a known type\n"
        (sys.stderr if output_format != "text" else sys.stdout).write(line)
    sys.stdout.flush()
