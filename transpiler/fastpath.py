"""The ``tgo`` entry point: a command line that an argument record fits is run from it, without loading click.

Starting Python takes about 15 ms; loading click takes about twice that again, more
than a small ``tgo parse`` or a cached ``tgo check`` needs in all. This module does not
read the arguments: it looks up the argument record that fits this command line
(``argrecord.py``: what click made of a command line before, left by the click command
line; it fits the same command line, and one with other paths where click took the paths
as they are) and, when there is one, runs the command with the parameters click gave it
(``commands.run``: ``tgo parse``, ``tgo check``, which answers from the result cache
when every package is unchanged, ``tgo gen``, and ``tgo build | run | test | vet``, whose go then
replaces this process). Anything else goes to the click command line (``transpiler.cli``)
untouched, which answers it — a usage error, ``--help``, another command — and leaves the
record of a command it runs.
"""

from __future__ import annotations

import os
import sys

from transpiler.report import exit_now, safe_output


def main() -> None:
    """The ``tgo`` console script."""
    safe_output()
    args = sys.argv[1:]
    from transpiler import argrecord, commands

    try:
        found = argrecord.lookup(args)
        if found is not None:
            command, params = found
            exit_now(commands.run(command, params, replace_process=True))
    except BrokenPipeError:
        _closed_stdout()
    except Exception as exc:
        status = commands.failure_status(exc)
        if status is None:
            raise
        sys.exit(status)
    except KeyboardInterrupt:
        sys.exit(commands.EXIT_INTERRUPTED)
    from transpiler.cli import main as cli_main

    cli_main(args)


def _closed_stdout() -> None:
    """Exit 1 quietly when the reader of stdout went away, as click does (``tgo parse | head``)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(1)
