"""tgo's caches: where they live, how entries are written, and the stamp of tgo's own code.

Every cache (the parse table, check results, build outputs) lives below
``cache_root()``: ``$TGO_CACHE_DIR``, else ``$XDG_CACHE_HOME/tgo`` or
``~/.cache/tgo``.  Entries are written with ``write_atomic``, so a reader never
sees half an entry.  ``code_stamp`` is what the caches key on so that a changed
tgo never reads old results.  Standard library only: the fast paths load it.

The stamp hashes the version and the name, size and modification time of each
source file (and of the grammar), not their bytes: reading tgo's ~50 modules on
every command would cost more than the cached work it guards.  Installing or
editing tgo changes the times, so the caches miss once and refill.
"""

from __future__ import annotations

import contextlib
import hashlib
import os

from transpiler import __version__

_ROOT = os.path.dirname(os.path.abspath(__file__))


def cache_root() -> str:
    """``$TGO_CACHE_DIR``, else ``$XDG_CACHE_HOME/tgo`` or ``~/.cache/tgo``."""
    env = os.environ.get("TGO_CACHE_DIR")
    if env:
        return env
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tgo")


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a hidden temporary file in the same directory (created
    if needed) that then replaces it; raises ``OSError``."""
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
_stamps: dict[tuple[str, ...], str] = {}


def code_stamp(subpackages: tuple[str, ...] = ()) -> str:
    """The stamp of the named subpackages of ``transpiler`` (all of it, and the grammar, when
    none are named)."""
    stamp = _stamps.get(subpackages)
    if stamp is not None:
        return stamp
    h = hashlib.sha256(__version__.encode() + b"\0")
    for path, st in _walk_code(subpackages)[1]:
        rel = os.path.relpath(path, _ROOT)
        h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    stamp = _stamps[subpackages] = h.hexdigest()[:32]
    return stamp


def code_paths() -> list[str]:
    """The directories and files whose state ``code_stamp()`` stands for."""
    dirs, files = _walk_code(())
    return [*dirs, *(path for path, _st in files)]


def _walk_code(subpackages: tuple[str, ...]) -> tuple[list[str], list[tuple[str, os.stat_result]]]:
    """(the directories walked, the source files and their stats) of tgo's code."""
    if subpackages:
        tops = [os.path.join(_ROOT, s) for s in subpackages]
    else:
        tops = [_ROOT, os.path.join(_ROOT, "_data", "grammar"), os.path.join(os.path.dirname(_ROOT), "grammar")]
    dirs: list[str] = []
    files: list[tuple[str, os.stat_result]] = []
    for top in tops:
        for dirpath, dirnames, filenames in os.walk(top):
            dirs.append(dirpath)
            # _data holds the grammar (walked on its own) and the stubs (the caches track those)
            dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", "_data"))
            for name in sorted(filenames):
                if name.endswith((".py", ".lark")):
                    path = os.path.join(dirpath, name)
                    try:
                        files.append((path, os.stat(path)))
                    except OSError:
                        continue
    return dirs, files
