"""The file systems tgo reads the user's files through: the disk, an in-memory overlay, a recorder.

Every read of a user's file (a source, a stub, ``tgo.toml``, ``go.mod``, ``go.work``)
goes through a ``FileSystem``:

* ``DiskFS`` reads the disk with the guarantees of ``read.read_file`` (regular files
  only, opened without blocking, under a size cap);
* ``OverlayFS(base, {abs_path: bytes})`` puts unsaved editor buffers over another file
  system: an overlay file is read from memory, is a regular file for ``stat``, and
  appears in its directory's listing even when it does not exist on disk;
* ``RecordingFS(base)`` records what was read (with each file's SHA-256), stat'ed and
  listed, and can forward every path it touches to a sink (the launch records'
  ``Witness``).

Paths are compared absolute and normalized (``os.path.abspath``). Standard library
only: the cached ``tgo check`` loads it.
"""

from __future__ import annotations

import collections
import hashlib
import os
import stat as _stat
from collections.abc import Callable, Iterable, Mapping

from transpiler.fs.read import SOURCE_LIMIT, FileRejected, describe_limit, read_file

FILE = "file"
DIR = "dir"
OTHER = "other"  # a FIFO, a device, a socket: listed, never read


# ``typing`` is not imported at run time: it costs 3 ms, and the NamedTuple classes below,
# with this module's string annotations, 2.5 ms more, on every start of ``tgo check`` and
# ``tgo build`` (which load this module); the same tuples are made by collections.namedtuple.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple

    class Stat(NamedTuple):
        """What ``FileSystem.stat`` tells of a path (symbolic links followed): its kind
        (``FILE``, ``DIR`` or ``OTHER``) and size in bytes."""

        kind: str
        size: int

    class Entry(NamedTuple):
        """One name in a directory listing, whether it is a directory (links followed) and
        whether it is a symbolic link."""

        name: str
        is_dir: bool
        is_link: bool = False
else:
    Stat = collections.namedtuple("Stat", ("kind", "size"))
    Entry = collections.namedtuple("Entry", ("name", "is_dir", "is_link"), defaults=(False,))


def _kind(mode: int) -> str:
    return FILE if _stat.S_ISREG(mode) else DIR if _stat.S_ISDIR(mode) else OTHER


class FileSystem:
    """Reading files, their kinds and directory listings. Subclasses define ``read``,
    ``stat`` and ``entries``; the rest is derived from them."""

    def read(self, path: str, limit: int = SOURCE_LIMIT, *, head: int | None = None) -> bytes:
        """The bytes of the regular file at ``path`` (at most ``head`` from its start); raises
        ``OSError`` (``FileRejected`` for what is not a regular file or is over ``limit``)."""
        raise NotImplementedError

    def stat(self, path: str) -> Stat | None:
        """The kind and size of ``path``, or None when there is nothing there (or it cannot be
        stat'ed)."""
        raise NotImplementedError

    def entries(self, path: str) -> list[Entry]:
        """The names in the directory ``path`` (sorted); raises ``OSError``."""
        raise NotImplementedError

    def listdir(self, path: str) -> list[str]:
        """The names in the directory ``path`` (sorted); raises ``OSError``."""
        return [e.name for e in self.entries(path)]

    def exists(self, path: str) -> bool:
        return self.stat(path) is not None

    def is_file(self, path: str) -> bool:
        st = self.stat(path)
        return st is not None and st.kind == FILE

    def is_dir(self, path: str) -> bool:
        st = self.stat(path)
        return st is not None and st.kind == DIR


class DiskFS(FileSystem):
    """The disk."""

    def read(self, path: str, limit: int = SOURCE_LIMIT, *, head: int | None = None) -> bytes:
        return read_file(path, limit, head=head)

    def stat(self, path: str) -> Stat | None:
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return None
        return Stat(_kind(st.st_mode), st.st_size)

    def entries(self, path: str) -> list[Entry]:
        out: list[Entry] = []
        with os.scandir(path) as it:
            for e in it:
                try:
                    is_dir, is_link = e.is_dir(), e.is_symlink()
                except OSError:
                    is_dir, is_link = False, False
                out.append(Entry(e.name, is_dir, is_link))
        return sorted(out)


DISK = DiskFS()
"""The one ``DiskFS`` (it holds no state)."""


class OverlayFS(FileSystem):
    """``base`` with some files replaced or added by contents held in memory (unsaved
    editor buffers), keyed by absolute path."""

    def __init__(self, base: FileSystem, overlays: Mapping[str, bytes]) -> None:
        self.base = base
        self.overlays: dict[str, bytes] = {os.path.abspath(p): data for p, data in overlays.items()}
        self._dirs: dict[str, set[str]] = {}  # directory -> names of overlay files in it
        for p in self.overlays:
            self._dirs.setdefault(os.path.dirname(p), set()).add(os.path.basename(p))

    def read(self, path: str, limit: int = SOURCE_LIMIT, *, head: int | None = None) -> bytes:
        data = self.overlays.get(os.path.abspath(path))
        if data is None:
            return self.base.read(path, limit, head=head)
        if head is not None:
            return data[:head]
        if len(data) > limit:
            raise FileRejected(path, f"file too large (over {describe_limit(limit)})")
        return data

    def stat(self, path: str) -> Stat | None:
        full = os.path.abspath(path)
        data = self.overlays.get(full)
        if data is not None:
            return Stat(FILE, len(data))
        st = self.base.stat(path)
        if st is None and self._holds_dir(full):
            return Stat(DIR, 0)
        return st

    def _holds_dir(self, directory: str) -> bool:
        prefix = directory.rstrip(os.sep) + os.sep
        return any(d == directory or d.startswith(prefix) for d in self._dirs)

    def entries(self, path: str) -> list[Entry]:
        full = os.path.abspath(path)
        try:
            found = {e.name: e for e in self.base.entries(path)}
        except OSError:
            if not self._holds_dir(full):
                raise
            found = {}
        for name in self._dirs.get(full, ()):
            found[name] = Entry(name, False)
        prefix = full.rstrip(os.sep) + os.sep
        for d in self._dirs:  # a directory that only overlay files are in
            if d.startswith(prefix):
                name = d[len(prefix) :].split(os.sep, 1)[0]
                found.setdefault(name, Entry(name, True))
        return sorted(found.values())


class RecordingFS(FileSystem):
    """``base``, recording every file read (``reads``: path -> SHA-256 hex of what was read),
    every path whose kind was asked (``probed``: path -> what ``stat`` said) and every
    directory listed (``listed``: path -> its names, None when it could not be listed).

    ``sink``, when given, is called with each path touched (the launch records note the
    state of those paths: see ``toolchain/launchrec.py``). ``unchanged(fs)`` says whether
    everything recorded is still the same in ``fs``: what a cached result read through
    it is still valid."""

    def __init__(self, base: FileSystem, sink: Callable[[Iterable[str]], None] | None = None) -> None:
        self.base = base
        self.sink = sink
        self.reads: dict[str, str] = {}
        self.probed: dict[str, Stat | None] = {}
        self.listed: dict[str, tuple[str, ...] | None] = {}

    def _touch(self, path: str) -> str:
        full = os.path.abspath(path)
        if self.sink is not None:
            self.sink((full,))
        return full

    def read(self, path: str, limit: int = SOURCE_LIMIT, *, head: int | None = None) -> bytes:
        full = self._touch(path)
        try:
            data = self.base.read(path, limit, head=head)
        except OSError:
            self.reads[full] = ""  # (unreadable: it stays so while it cannot be read)
            raise
        if head is None:
            self.reads[full] = hashlib.sha256(data).hexdigest()
        else:
            self.reads.setdefault(full, "head:" + hashlib.sha256(data).hexdigest() + f":{head}")
        return data

    def stat(self, path: str) -> Stat | None:
        full = self._touch(path)
        st = self.probed[full] = self.base.stat(path)
        return st

    def entries(self, path: str) -> list[Entry]:
        full = self._touch(path)
        try:
            found = self.base.entries(path)
        except OSError:
            self.listed[full] = None
            raise
        self.listed[full] = tuple(e.name for e in found)
        return found

    def touched(self) -> list[str]:
        """Every path read, probed or listed, each once."""
        return list(dict.fromkeys([*self.reads, *self.probed, *self.listed]))

    def unchanged(self, fs: FileSystem) -> bool:
        """Whether every file read, path probed and directory listed is the same in ``fs``."""
        return (all(digest(fs, p, d) == d for p, d in self.reads.items())
                and all(fs.stat(p) == st for p, st in self.probed.items())
                and all(_names(fs, p) == names for p, names in self.listed.items()))


def digest(fs: FileSystem, path: str, like: str = "") -> str:
    """The SHA-256 hex of the file at ``path`` in ``fs`` ("" when it cannot be read); ``like``
    a ``RecordingFS`` digest of only its start (``head:HASH:N``): of its first N bytes."""
    try:
        if like.startswith("head:"):
            head = int(like.rsplit(":", 1)[1])
            return "head:" + hashlib.sha256(fs.read(path, head=head)).hexdigest() + f":{head}"
        return hashlib.sha256(fs.read(path)).hexdigest()
    except OSError:
        return ""


def _names(fs: FileSystem, path: str) -> tuple[str, ...] | None:
    try:
        return tuple(fs.listdir(path))
    except OSError:
        return None
