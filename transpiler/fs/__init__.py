"""The file-system layer: every read of a user's file, the one atomic writer, module and package discovery.

* ``base``: ``FileSystem`` and its kinds: ``DiskFS`` (``DISK``), ``OverlayFS`` (unsaved
  buffers over another file system), ``RecordingFS`` (what was read, with hashes);
* ``read``: ``read_file``, the guarded read they rest on (regular files only,
  ``O_NONBLOCK``, size caps);
* ``write``: ``write_atomic`` and ``replacing``, the one way tgo replaces a file;
* ``modules``: go.mod, go.work and tgo.toml discovery, the go.mod reader and the one
  ``./...`` walker.

Standard library only: the cached ``tgo check`` and the warm build load it.
"""

from __future__ import annotations

# (typing is not imported: the cached tgo check loads this package; mypy reads this name
# as typing.TYPE_CHECKING)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from transpiler.fs.base import DISK, DiskFS, Entry, FileSystem, OverlayFS, RecordingFS, Stat
    from transpiler.fs.read import CONFIG_LIMIT, SOURCE_LIMIT, FileRejected, read_file
    from transpiler.fs.write import replacing, write_atomic

__all__ = [
    "CONFIG_LIMIT",
    "DISK",
    "SOURCE_LIMIT",
    "DiskFS",
    "Entry",
    "FileRejected",
    "FileSystem",
    "OverlayFS",
    "RecordingFS",
    "Stat",
    "read_file",
    "replacing",
    "write_atomic",
]


def __getattr__(name: str) -> Any:
    # Loaded on first use: the cached tgo check reads files without loading the writer.
    if name in ("replacing", "write_atomic"):
        from transpiler.fs import write

        return getattr(write, name)
    if name in ("CONFIG_LIMIT", "SOURCE_LIMIT", "FileRejected", "read_file"):
        from transpiler.fs import read

        return getattr(read, name)
    if name in __all__:
        from transpiler.fs import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
