"""Owns argument records: what click made of an exact command line, so that the entry point runs it again without click.

Loading click costs more than a small ``tgo parse`` or a cached ``tgo check`` does
(about 130 M instructions of Python's start-up, ``inspect``, ``typing``, ``enum``,
``datetime``, ``uuid``, ``gettext`` ...), and tgo does not parse arguments by hand. So when
the click command line (``cli.py``) runs one of the commands of ``commands.RECORDED``
(``tgo parse``, ``tgo check``, the go verbs), it leaves a record of what click made of
its arguments: the command's name and its parameters, as click gave them to the command's
callback. The next process started with exactly the same arguments finds the record
(``lookup``) and runs the command with those parameters (``commands.run``) without loading
click; any other command line goes to click, which answers it (a usage error, ``--help``)
and, for a command it runs, leaves the record.

What click makes of a command line depends on nothing but the arguments: the parameters
of these commands are strings, choices, flags and paths that click does not look at (no
existence or permission check: a path tgo cannot read is reported by the command itself),
and no option reads the environment (on Windows click expands wildcards: no records there).
So a record is keyed by

- the arguments, the exact vector (not the working directory: the paths stay as typed);
- the stamp of the code that defines the command line (``cli.py``, ``commands.py`` and
  tgo's version, ``caches.code_stamp``), so that a changed tgo never runs an old record;

and holds the state (size, modification time, inode, change time) of the click modules
that parsed it, checked on use, so that another click does not either. The one
environment variable click reads before it parses, its shell-completion switch
(``COMPLETE_VAR``), turns records off: completion is click's.

A record is a sealed cache entry (``caches.write_entry``, ``read_entry``: verified, in a
directory that only the user may write); at most ``MAX_RECORDS`` are kept.
Standard library only: the entry point loads it on every command.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

from transpiler.caches import cache_root, code_stamp, prune_entries, read_entry, stat_state, write_entry
from transpiler.commands import RECORDED

# (typing is not imported: the entry point loads this module on every command)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

RECORD_VERSION = 1

# click's shell-completion switch for the program name tgo (``cli.main`` names it to click)
COMPLETE_VAR = "_TGO_COMPLETE"

# the modules whose code says what a command line means (the stamp in every key)
DEFINITION = ("cli.py", "commands.py")

# the click modules that parse a command line (their state is in every record)
PARSER_MODULES = ("click.core", "click.parser", "click.types")

MAX_RECORDS = 1000
_SUFFIX = ".json"


def record_dir() -> str:
    return os.path.join(cache_root(), "args")


def record_path(args: Sequence[str]) -> str:
    """Where the record of ``tgo ARGS`` is."""
    h = hashlib.sha256(f"tgo-args\0{RECORD_VERSION}\0{code_stamp(DEFINITION)}\0{len(args)}\0".encode())
    for a in args:
        h.update(a.encode("utf-8", "surrogateescape") + b"\0")
    return os.path.join(record_dir(), h.hexdigest()[:40] + _SUFFIX)


def _state(path: str) -> list[object] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [path, *stat_state(st)]


def _off() -> bool:
    """Whether records are not to be used: click completes a command line (``COMPLETE_VAR``), or
    on Windows, where click expands wildcards in the arguments (what it makes of them then
    depends on the working directory)."""
    return os.environ.get(COMPLETE_VAR) is not None or os.name == "nt"


def lookup(args: Sequence[str]) -> tuple[str, dict[str, Any]] | None:
    """The command and the parameters click made of ``tgo ARGS`` before, or None."""
    if _off():
        return None
    data = read_entry(record_path(args))
    if data is None:
        return None
    try:
        rec = json.loads(data)
    except ValueError:
        return None
    if not isinstance(rec, dict) or rec.get("version") != RECORD_VERSION or rec.get("argv") != list(args):
        return None
    command, params, parser = rec.get("command"), rec.get("params"), rec.get("parser")
    if not isinstance(command, str) or command not in RECORDED or not isinstance(params, dict) \
            or sorted(params) != sorted(RECORDED[command]) or not isinstance(parser, list) or not parser:
        return None
    for state in parser:
        if not isinstance(state, list) or not state or not isinstance(state[0], str) or _state(state[0]) != state:
            return None
    return command, params


def write(args: Sequence[str], command: str, params: Mapping[str, Any]) -> None:
    """Leave the record that click (the loaded ``PARSER_MODULES``) made ``params`` of ``tgo ARGS``
    for ``command``; nothing when it cannot (an unsafe or unwritable cache)."""
    if command not in RECORDED or _off():
        return
    parser = [_state(str(getattr(sys.modules.get(m), "__file__", None) or "")) for m in PARSER_MODULES]
    if None in parser:
        return
    rec = {"version": RECORD_VERSION, "argv": list(args), "command": command, "params": dict(params),
           "parser": parser}
    try:
        data = json.dumps(rec, separators=(",", ":")).encode()
    except (TypeError, ValueError):
        return
    path = record_path(args)
    try:
        write_entry(path, data)
    except OSError:
        return
    prune_entries(os.path.dirname(path), _SUFFIX, MAX_RECORDS)
