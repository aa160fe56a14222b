"""Owns argument records: what click made of a command line, so that the entry point runs it, or another with other paths in the same places, without click.

Loading click costs more than a small ``tgo parse`` or a cached ``tgo check`` does
(about 130 M instructions of Python's start-up, ``inspect``, ``typing``, ``enum``,
``datetime``, ``uuid``, ``gettext`` ...), and tgo does not parse arguments by hand. So when
the click command line (``cli.py``) runs one of the commands of ``commands.RECORDED``
(``tgo parse``, ``tgo check``, the go verbs), it leaves a record of what click made of
its arguments: the command's name and its parameters, as click gave them to the command's
callback. A later process whose arguments the record fits (``lookup``) runs the command with
those parameters (``commands.run``) without loading click; any other command line goes to
click, which answers it (a usage error, ``--help``) and, for a command it runs, leaves the
record.

**Which command lines a record fits.** A record is made from one command line, and fits
others only where click has shown that the answer does not depend on the argument. Every
argument that starts with ``-`` (an option, ``--``, ``-``) is in the record's key as it is.
Any other argument is one of two kinds, as click itself says when the record is made
(``cli._free_arguments``): *free* when click took it as it is into a parameter's list (a PATH
of ``tgo parse`` or ``tgo check``, an argument of a go verb), fixed otherwise (the command's
name, an option's value such as ``json``). To know, the click command line parses the same
command line again with that argument replaced by a probe (a string that does not start
with ``-``, with spaces, ``=``, ``~``, ``$``, ``*``, non-ASCII and undecodable characters),
and then with every free argument replaced at once: an argument is free only when click's
answer is the recorded one with exactly that one element replaced by the probe. This holds
for every replacement, not only the probe: click's parser (``click.parser``) classes an
argument by its first character alone (an option starts with ``-``, and every option of
these commands does) and by the arguments before it, never by those after it; a PATH is a
``click.Path`` that takes its value as it is (no check of the file, no resolving, ``-`` not
special: ``cli._paths_argument``) and a go verb's arguments are passed on untouched
(``cli._GoVerbCommand``). ``tests/test_argrecord.py`` checks it against click's own parse of
generated command lines. So a record fits a command line with the same number of arguments,
the same arguments that start with ``-`` and the same fixed ones in the same places, and any
argument that does not start with ``-`` in each free place; the parameters are the recorded
ones with those arguments put in.

What click makes of a command line depends on nothing but the arguments: the parameters
of these commands are strings, choices, flags and paths that click does not look at (no
existence or permission check: a path tgo cannot read is reported by the command itself),
and no option reads the environment (on Windows click expands wildcards: no records there).
So a record is keyed by

- the arguments that start with ``-``, in their places among the others (the working
  directory is not part of the key: the paths stay as typed);
- the stamp of the code that defines the command line (``cli.py``, ``commands.py`` and
  tgo's version, ``caches.code_stamp``), so that a changed tgo never runs an old record;

and each of the (at most ``MAX_VARIANTS``) command lines kept under one key holds the state
(size, modification time, inode, change time) of the click modules that parsed it, checked
on use, so that another click does not use it either. The one environment variable click
reads before it parses, its shell-completion switch (``COMPLETE_VAR``), turns records off:
completion is click's.

A record is a sealed cache entry (``caches.write_entry``, ``read_entry``: verified, in a
directory that only the user may write; a damaged one is a miss); at most ``MAX_RECORDS``
are kept. Standard library only: the entry point loads it on every command.
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

RECORD_VERSION = 2

# click's shell-completion switch for the program name tgo (``cli.main`` names it to click)
COMPLETE_VAR = "_TGO_COMPLETE"

# the modules whose code says what a command line means (the stamp in every key)
DEFINITION = ("cli.py", "commands.py")

# the click modules that parse a command line (their state is in every record)
PARSER_MODULES = ("click.core", "click.parser", "click.types")

MAX_RECORDS = 1000
MAX_VARIANTS = 16  # command lines kept under one key (``tgo parse X``, ``tgo check X`` ...)
_SUFFIX = ".json"

# A free argument, as a record lists it: (its place in the arguments, the parameter, the
# element of that parameter's list it is).
Free = tuple[int, str, int]


def record_dir() -> str:
    return os.path.join(cache_root(), "args")


def fixed(arg: str) -> bool:
    """Whether ``arg`` is in a record's key as it is (it starts with ``-``); any other argument
    may be free."""
    return arg.startswith("-")


def record_path(args: Sequence[str]) -> str:
    """Where the record that may fit ``tgo ARGS`` is: keyed by the arguments that start with
    ``-``, in their places."""
    h = hashlib.sha256(f"tgo-args\0{RECORD_VERSION}\0{code_stamp(DEFINITION)}\0{len(args)}\0".encode())
    for a in args:
        h.update(b"=" + a.encode("utf-8", "surrogateescape") + b"\0" if fixed(a) else b"*\0")
    return os.path.join(record_dir(), h.hexdigest()[:40] + _SUFFIX)


def _state(path: str) -> list[object] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [path, *stat_state(st)]


def enabled() -> bool:
    """Whether records are used: not when click completes a command line (``COMPLETE_VAR``), nor
    on Windows, where click expands wildcards in the arguments (what it makes of them then
    depends on the working directory)."""
    return os.environ.get(COMPLETE_VAR) is None and os.name != "nt"


def _variants(path: str) -> list[Any]:
    """The command lines kept in the record at ``path`` (unchecked), or none."""
    data = read_entry(path)
    if data is None:
        return []
    try:
        rec = json.loads(data)
    except ValueError:
        return []
    variants = rec.get("variants") if isinstance(rec, dict) and rec.get("version") == RECORD_VERSION else None
    return variants if isinstance(variants, list) else []


def lookup(args: Sequence[str]) -> tuple[str, dict[str, Any]] | None:
    """The command and the parameters click made of ``tgo ARGS`` (of a command line the record
    fits), or None."""
    if not enabled():
        return None
    for variant in _variants(record_path(args)):
        found = _fit(variant, args)
        if found is not None:
            return found
    return None


def _fit(variant: object, args: Sequence[str]) -> tuple[str, dict[str, Any]] | None:
    """The command and parameters of ``variant`` for ``args``, or None when it does not fit them
    (or is malformed, or was made by another click)."""
    if not isinstance(variant, dict):
        return None
    argv, command, params = variant.get("argv"), variant.get("command"), variant.get("params")
    free, parser = variant.get("free"), variant.get("parser")
    if not isinstance(argv, list) or len(argv) != len(args) or not isinstance(command, str) \
            or command not in RECORDED or not isinstance(params, dict) or sorted(params) != sorted(RECORDED[command]) \
            or not isinstance(free, list) or not isinstance(parser, list) or not parser:
        return None
    if any(a is not None and a != b for a, b in zip(argv, args, strict=True)):
        return None
    params = {name: list(value) if isinstance(value, list) else value for name, value in params.items()}
    ats: set[int] = set()
    places: set[tuple[str, int]] = set()
    for entry in free:
        if not isinstance(entry, list) or len(entry) != 3:
            return None
        at, name, index = entry
        if not isinstance(at, int) or not isinstance(index, int) or not 0 <= at < len(args) or at in ats \
                or fixed(args[at]) or not isinstance(params.get(name), list) \
                or not 0 <= index < len(params[name]) or (name, index) in places:
            return None
        ats.add(at)
        places.add((name, index))
        params[name][index] = args[at]
    if ats != {i for i, a in enumerate(argv) if a is None}:
        return None
    for state in parser:
        if not isinstance(state, list) or not state or not isinstance(state[0], str) or _state(state[0]) != state:
            return None
    return command, params


def write(args: Sequence[str], command: str, params: Mapping[str, Any], free: Sequence[Free]) -> None:
    """Leave the record that click (the loaded ``PARSER_MODULES``) made ``params`` of ``tgo ARGS``
    for ``command``, where the arguments of ``free`` (none starting with ``-``, each taken as
    it is into its parameter's element) may be any other; nothing when it cannot (an unsafe or
    unwritable cache)."""
    if command not in RECORDED or not enabled() or any(fixed(args[at]) for at, _name, _index in free):
        return
    parser = [_state(str(getattr(sys.modules.get(m), "__file__", None) or "")) for m in PARSER_MODULES]
    if None in parser:
        return
    places = {at for at, _name, _index in free}
    argv = [None if i in places else a for i, a in enumerate(args)]
    variant = {"argv": argv, "command": command, "params": dict(params), "free": [list(f) for f in free],
               "parser": parser}
    path = record_path(args)
    # the newest first; one made for the same arguments in the same places (by another click) goes
    kept = [v for v in _variants(path) if not (isinstance(v, dict) and v.get("argv") == argv)]
    try:
        data = json.dumps({"version": RECORD_VERSION, "variants": [variant, *kept[: MAX_VARIANTS - 1]]},
                          separators=(",", ":")).encode()
    except (TypeError, ValueError):
        return
    try:
        write_entry(path, data)
    except OSError:
        return
    prune_entries(os.path.dirname(path), _SUFFIX, MAX_RECORDS)
