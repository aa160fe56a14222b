"""Reading the user's files (sources, stubs, ``tgo.toml``, ``go.mod``): regular files only, under a size cap.

Every read of a ``.tgo``, ``.go`` or ``.tgoi`` file, of ``tgo.toml``, ``go.mod`` and
``go.work`` goes through ``read_file``, so that no input can hang tgo or exhaust its
memory: a FIFO named ``x.tgo`` would block ``open`` until a writer comes (forever),
``/dev/zero`` never ends. The file is opened with ``O_NONBLOCK`` (opening a FIFO
then returns at once), checked with ``fstat`` on the open descriptor (so what is
checked is what is read, even if the name is changed meanwhile: a symbolic link is
followed, and what it points to must be a regular file), and read with a cap.

This module imports only the standard library: the cached ``tgo check`` loads it.
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False  # (the cached `tgo check` loads this module: no typing, no collections)
if TYPE_CHECKING:
    from collections.abc import Iterator

SOURCE_LIMIT = 64 << 20
"""The largest ``.tgo``, ``.go`` or ``.tgoi`` file tgo reads (64 MiB)."""

CONFIG_LIMIT = 1 << 20
"""The largest ``tgo.toml``, ``go.mod`` or ``go.work`` tgo reads (1 MiB)."""

_CHUNK = 1 << 20


class FileRejected(OSError):
    """A path tgo will not read: not a regular file, or over the size limit.

    An ``OSError`` (so every caller's handling of unreadable files applies) whose
    ``strerror`` is the reason in the go tools' words: ``not a regular file``.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(errno.EINVAL, reason, path)


def describe_limit(limit: int) -> str:
    """A size limit as messages give it: ``64 MiB``, ``300 bytes``."""
    return f"{limit >> 20} MiB" if limit >= 1 << 20 and limit % (1 << 20) == 0 else f"{limit} bytes"


def read_file(path: str, limit: int = SOURCE_LIMIT, *, head: int | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (at most ``head`` bytes from its start, if given).

    Raises ``FileRejected`` for anything but a regular file, and for a file over
    ``limit`` bytes (unless only its ``head`` is read); other ``OSError`` as ``open``
    raises them (``FileNotFoundError``, ``PermissionError``...).
    """
    # (one chunk, the whole file, is returned as it is: joining chunks held the file twice)
    return b"".join(list(_chunks(path, limit, head, whole=True)))


def read_file_stat(path: str, limit: int = SOURCE_LIMIT) -> tuple[bytes, os.stat_result]:
    """``read_file(path, limit)`` and the ``fstat`` of what was read (its owner and mode: a
    cache entry is read only when it is the user's own). Raises as ``read_file``."""
    seen: list[os.stat_result] = []
    data = b"".join(list(_chunks(path, limit, None, whole=True, seen=seen)))
    return data, seen[0]


def file_sha256(path: str, limit: int = SOURCE_LIMIT) -> str:
    """The SHA-256 hex of the regular file at ``path``, read a chunk at a time (a check's cache
    entry depends on the 15 MB go binary: it is never held whole); raises as ``read_file``."""
    import hashlib

    h = hashlib.sha256()
    for chunk in _chunks(path, limit, None, whole=False):
        h.update(chunk)
    return h.hexdigest()


def _chunks(path: str, limit: int, head: int | None, whole: bool,
            seen: list[os.stat_result] | None = None) -> Iterator[bytes]:
    """The file's bytes as ``read_file`` reads them, in chunks (with ``whole``, the first
    asks for the whole file: its size and one byte more, to see it grow, or a chunk when its
    size says 0, as a file of ``/proc`` does); ``seen`` is given
    the ``fstat`` of the open file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if seen is not None:
            seen.append(st)
        if not stat.S_ISREG(st.st_mode):
            raise FileRejected(path, "not a regular file")
        want = head if head is not None else limit + 1
        if head is None and st.st_size > limit:
            raise FileRejected(path, f"file too large (over {describe_limit(limit)})")
        got = 0
        size = (st.st_size + 1 if st.st_size else _CHUNK) if whole else _CHUNK  # (a buffer that fits: no 1 MiB ones)
        while got < want:
            chunk = os.read(fd, min(size, want - got))
            size = _CHUNK
            if not chunk:
                break
            got += len(chunk)
            if head is None and got > limit:  # (it grew while being read)
                raise FileRejected(path, f"file too large (over {describe_limit(limit)})")
            yield chunk
    finally:
        os.close(fd)
