"""What tgo prints besides a command's output: the check report, internal errors, safe streams.

The ``tgo check`` report (text, JSON, SARIF, the coverage line), an internal error, and
output streams that cannot fail on an encoding.  Shared by the entry point
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
