"""The one atomic file writer: a file is replaced whole or not at all, never left half written.

Every file tgo writes by replacing it (cache entries, generated ``.go`` files, stubs,
the built Go type-check helper) goes through ``write_atomic`` (bytes in hand) or
``replacing`` (a file another program fills): the new contents go to a
hidden temporary file in the same directory (``.NAME.XXXX.tmp``: the go command ignores
names starting with ``.``), which then replaces the target with ``os.replace``; on any
failure the temporary file is removed and the target is left as it was.  (Formatting a
file in place, ``tgo fmt -w``, keeps the file itself and its links instead:
``toolchain/fmt.py``.)

Standard library only: the fast paths load it.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator


def make_dirs(directory: str, mode: int = 0o777) -> None:
    """Create ``directory`` and any missing parent, each with ``mode`` (as ``os.makedirs``
    would, but without giving the umask a say in the intermediate levels' mode beyond
    ``mode``); raises ``OSError``."""
    if os.path.isdir(directory):
        return
    parent = os.path.dirname(directory)
    if parent and parent != directory:
        make_dirs(parent, mode)
    with contextlib.suppress(FileExistsError):
        os.mkdir(directory, mode)


def new_file_mode() -> int:
    """The mode a newly created file gets (``0o666`` less the umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


# how mkstemp opens a temporary file: a new one, not through a symbolic link
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_ATTEMPTS = 100


def _open_temporary(directory: str, name: str, dir_mode: int | None) -> tuple[str, int]:
    """Create ``directory/.NAME.XXXXXXXXXXXX.tmp``, empty and private (mode 0600), with a name
    no other file had, as ``tempfile.mkstemp`` does (a random name opened with ``O_EXCL``,
    another on a clash), without loading ``tempfile`` (which loads ``shutil`` and ``random``:
    about 4% of the first run of a ``tgo`` command line, which writes its argument record); its
    path and an open descriptor of it. ``dir_mode``: when ``directory`` is missing, create it
    (and missing parents) with that mode (looked at only then: a file is created in an
    existing directory without a ``stat`` first). Raises ``OSError``."""
    for _ in range(_ATTEMPTS):
        tmp = os.path.join(directory, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            return tmp, os.open(tmp, _CREATE, 0o600)
        except FileExistsError:
            continue
        except FileNotFoundError:
            if dir_mode is None:
                raise
            make_dirs(directory, dir_mode)
            dir_mode = None  # (made: a second miss is the caller's)
            with contextlib.suppress(FileExistsError):
                return tmp, os.open(tmp, _CREATE, 0o600)
    raise FileExistsError(errno.EEXIST, "no free temporary file name", directory)


@contextlib.contextmanager
def replacing(path: str, *, mode: int | None = None, dir_mode: int | None = None) -> Iterator[str]:
    """A new, empty temporary file next to ``path`` (private: mode 0600) for the caller to
    fill; when the block ends normally it is given ``mode`` (if any) and replaces ``path``,
    and when the block raises it is removed. ``dir_mode``: create ``path``'s directory
    (and missing parents) with that mode first. Raises ``OSError``."""
    tmp, fd = _open_temporary(os.path.dirname(path) or ".", os.path.basename(path), dir_mode)
    os.close(fd)
    try:
        yield tmp
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path: str, data: bytes, *, mode: int | None = None, dir_mode: int | None = None) -> None:
    """Write ``data`` to ``path`` atomically (see ``replacing`` for ``mode`` and
    ``dir_mode``); raises ``OSError``. (The temporary file is written through the descriptor
    that created it: a cold ``tgo check`` writes a few hundred cache entries, and each
    further ``open`` of a file costs about as much as writing it.)"""
    tmp, fd = _open_temporary(os.path.dirname(path) or ".", os.path.basename(path), dir_mode)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if mode is not None:
                os.fchmod(fd, mode)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
