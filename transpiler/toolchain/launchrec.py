"""Owns launch records: what a prepared go command depended on, for the native launcher.

The native launcher (``launcher/main.go``, installed as ``tgo``) answers a warm
``tgo build | run | test | vet`` without starting Python. It can, because after
the Python tgo prepares a go command, ``Witness.write`` leaves a record of it:

- its key: the working directory, the arguments and the environment variables
  tgo reads (``keyed_env``), hashed by ``record_key`` (the launcher hashes the same);
- the go command line that was run (``argv``);
- the state of every path the answer depended on (read through ``fs()``, a
  ``RecordingFS`` that notes each path it reads, probes or lists, or ``note``d by hand
  where a read does not go through it): for a
  file or a directory its size, modification time, inode and change time (adding,
  removing or renaming an entry changes a directory's; restoring its modification
  time afterwards changes its change time), as the go command keys its file hashes;
  paths that did not exist; and tgo's own cache files the command line names, which
  are named by their contents (the launcher hashes them before it trusts them).

A record is a sealed cache entry (``caches.write_entry``): the launcher checks its
size and hash, and that the cache directory, the ``launch`` directory and the record
belong to the user and are not writable by others, before it uses it.

When every path still has its recorded state, nothing tgo read has changed and
the answer is the same, so the launcher execs the recorded go command. A record is
written only for a clean command (nothing printed, nothing blocked) and only when
every path was last modified more than two seconds before the command started, so
a change made while tgo was reading, or within a timestamp's resolution of it,
always shows as a changed state (the go command's rule for its file hash cache).

Standard library only: the warm build path loads it.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Iterable, Mapping, Sequence

from transpiler.caches import cache_root, prune_entries, read_entry, write_entry
from transpiler.fs.base import DISK, FileSystem, RecordingFS

# Must match recordVersion in launcher/main.go.
RECORD_VERSION = 2
LAUNCHER_ENV_VAR = "TGO_LAUNCHER"  # "off": the launcher always runs Python; "debug": it says why

# A path modified this recently may change again within its timestamp's resolution.
_SETTLED_NS = 2_000_000_000

# At most this many records are kept (one per command line, directory and environment:
# `tgo run . ARGS` with changing ARGS makes many); beyond it the oldest half goes.
MAX_RECORDS = 1000

_KEYED_NAMES = frozenset({"PATH", "HOME", "XDG_CACHE_HOME"})
_UNKEYED_NAMES = frozenset({LAUNCHER_ENV_VAR, "TGO_TRACEBACK"})


def keyed_env(name: str) -> bool:
    """Whether an environment variable is part of a record's key: every variable tgo or the
    Python it runs on reads (``TGO_*``, ``GO*``, ``PYTHON*``, ``PATH``, ``HOME``,
    ``XDG_CACHE_HOME``), except those that only change what the launcher prints."""
    if name in _UNKEYED_NAMES:
        return False
    return name in _KEYED_NAMES or name.startswith(("TGO_", "GO", "PYTHON"))


def record_key(cwd: str, args: Sequence[str], environ: Mapping[str, str]) -> str:
    """The key of the record for ``tgo ARGS`` run in ``cwd`` (``recordKey`` in main.go)."""
    h = hashlib.sha256(f"tgo-launch\0{RECORD_VERSION}\0{cwd}\0{len(args)}\0".encode())
    for a in args:
        h.update(a.encode("utf-8", "surrogateescape") + b"\0")
    for kv in sorted(f"{k}={v}" for k, v in environ.items() if keyed_env(k)):
        h.update(kv.encode("utf-8", "surrogateescape") + b"\0")
    return h.hexdigest()[:40]


def record_dir() -> str:
    return os.path.join(cache_root(), "launch")


def record_path(key: str) -> str:
    return os.path.join(record_dir(), key + ".json")


class Witness:
    """The paths one command's answer depends on, noted while it is prepared."""

    def __init__(self) -> None:
        self.start_ns = time.time_ns()
        self.paths: dict[str, None] = {}  # files and directories, in the order noted
        self.cache_files: dict[str, None] = {}
        self.spoiled: str | None = None  # why this command must not be recorded
        # reads made through it are noted by themselves (``fs()``)
        self.fs = RecordingFS(DISK, self.note)

    def note(self, paths: Iterable[str]) -> None:
        for p in paths:
            self.paths[os.path.abspath(p)] = None

    def spoil(self, why: str) -> None:
        if self.spoiled is None:
            self.spoiled = why

    def record(self, argv: Sequence[str]) -> dict[str, object] | None:
        """The record of this command, or None when it must not be recorded."""
        if self.spoiled is not None:
            return None
        files: list[list[object]] = []
        dirs: list[list[object]] = []
        absent: list[str] = []
        settled = self.start_ns - _SETTLED_NS
        for p in self.paths:
            try:
                st = os.stat(p)
            except FileNotFoundError:
                absent.append(p)
                continue
            except OSError:
                return None
            if st.st_mtime_ns >= settled or st.st_ctime_ns >= settled:
                return None
            state = [p, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]
            (dirs if stat.S_ISDIR(st.st_mode) else files).append(state)
        if not all(os.path.isfile(p) for p in self.cache_files):
            return None
        return {
            "version": RECORD_VERSION,
            "argv": list(argv),
            "files": files,
            "dirs": dirs,
            "absent": absent,
            "exist": list(self.cache_files),
        }

    def write(self, cwd: str, args: Sequence[str], argv: Sequence[str]) -> bool:
        """Leave the record of ``tgo ARGS`` in ``cwd`` that ran ``argv``; whether one was left
        (an existing record with the same contents is not written again)."""
        rec = self.record(argv)
        if rec is None:
            return False
        data = json.dumps(rec, separators=(",", ":")).encode()
        path = record_path(record_key(cwd, args, os.environ))
        if read_entry(path) == data:
            return True
        try:
            write_entry(path, data)
        except OSError:
            return False
        prune_entries(os.path.dirname(path), ".json", MAX_RECORDS)
        return True


# The witness of the command being prepared (``gocmd.run_command`` sets it), or None: the
# preparing code calls ``note`` wherever it reads the file system, whether or not anyone
# records.
current: Witness | None = None


def fs() -> FileSystem:
    """The file system the command being prepared reads through: one that notes every path
    it reads, probes or lists, or the disk when no command is being recorded."""
    return DISK if current is None else current.fs


def note(*paths: str) -> None:
    """Note that the command being prepared read these files or listed these directories."""
    if current is not None:
        current.note(paths)


def note_all(paths: Iterable[str]) -> None:
    if current is not None:
        current.note(paths)


def note_cache_file(path: str) -> None:
    """Note a file of tgo's cache that the go command line names (it must still exist)."""
    if current is not None:
        current.cache_files[path] = None


def spoil(why: str) -> None:
    """Say that the command being prepared cannot be recorded (its answer depends on more
    than the paths noted)."""
    if current is not None:
        current.spoil(why)
