"""tgo's caches: where they live, how entries are written and verified, the stamp of tgo's code, dependency records.

Every cache (the parse table, check results, build outputs, launch records) lives
below ``cache_root()``: ``$TGO_CACHE_DIR``, else ``$XDG_CACHE_HOME/tgo`` or
``$HOME/.cache/tgo`` (with ``HOME`` unset, the home directory of the user in the
password database, as Python's ``expanduser`` finds it).

**Entries are verified on every read**, as the go command verifies its build cache:
an entry is written with ``write_entry``, which seals it (a header line with a
format tag, the payload's size and its SHA-256), through ``fs.write.write_atomic`` (a
reader never sees half an entry); ``read_entry`` gives the payload back only when
the seal matches, and None otherwise, so a truncated, flipped or foreign file is a
miss that the caller recomputes and writes again.  Files that other programs read
as they are (the lowered ``.go`` files and overlay files that go is given) are
named by the SHA-256 of their contents instead, and ``named_ok`` checks a file
against its name.  The native launcher (``toolchain/launcher``) checks both forms
the same way.

**Ownership.** A cache directory that is not owned by the user, or that others may
write to (group or other write bits), is never read: its entries could be anyone's
(``unsafe_reason``).  tgo creates its directories with mode 0700.

The stamp hashes the version and the name, size, modification time, inode and
change time of each source file (and of the grammar), not their bytes: reading
tgo's ~50 modules on every command would cost more than the cached work it guards.
Installing or editing tgo changes them, so the caches miss once and refill.
Standard library only: the fast paths load it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator

from transpiler import __version__
from transpiler.fs.read import file_sha256, read_file_stat
from transpiler.fs.write import write_atomic

_ROOT = os.path.dirname(os.path.abspath(__file__))


def cache_root() -> str:
    """``$TGO_CACHE_DIR``, else ``$XDG_CACHE_HOME/tgo`` or ``~/.cache/tgo``."""
    env = os.environ.get("TGO_CACHE_DIR")
    if env:
        return env
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tgo")


PRIVATE_DIR_MODE = 0o700  # tgo's cache directories: the user's alone


# --- verified entries ------------------------------------------------------------------

# The first line of every sealed entry: b"tgo-cache-1 SIZE SHA256HEX\n" (sealed() in
# launcher/main.go reads the same).
SEAL_TAG = b"tgo-cache-1"
_SEAL_MAX = len(SEAL_TAG) + 1 + 20 + 1 + 64 + 1


def seal(payload: bytes) -> bytes:
    """``payload`` behind the header line that ``unseal`` checks."""
    return b"%s %d %s\n" % (SEAL_TAG, len(payload), hashlib.sha256(payload).hexdigest().encode()) + payload


def unseal(raw: bytes) -> bytes | None:
    """The payload of a sealed entry, or None when its header, size or hash does not match."""
    end = raw.find(b"\n", 0, _SEAL_MAX)
    if end < 0:
        return None
    parts = raw[:end].split(b" ")
    if len(parts) != 3 or parts[0] != SEAL_TAG or not parts[1].isdigit():
        return None
    payload = raw[end + 1 :]
    if int(parts[1]) != len(payload) or hashlib.sha256(payload).hexdigest().encode() != parts[2]:
        return None
    return payload


ENTRY_LIMIT = 1 << 30  # bytes: a larger file is no entry tgo wrote (a miss)


def read_entry(path: str) -> bytes | None:
    """The verified payload of the entry at ``path``; None when there is none, it does not
    verify, or its directory is not safe to read (``unsafe_reason``)."""
    try:
        if unsafe_reason(os.path.dirname(path)) is not None:
            return None
        raw, st = read_file_stat(path, ENTRY_LIMIT)  # (one open, fstat and read: a check reads hundreds)
    except OSError:
        return None
    return unseal(raw) if _own(st) else None


def write_entry(path: str, payload: bytes) -> None:
    """Seal ``payload`` and write it to ``path`` atomically; raises ``OSError`` (also when the
    directory is not safe: ``UnsafeCacheError``)."""
    why = unsafe_reason(os.path.dirname(path))
    if why is not None:
        raise UnsafeCacheError(why)
    write_atomic(path, seal(payload), dir_mode=PRIVATE_DIR_MODE)


NAME_DIGITS = 40  # a content-named file's name: the first 40 hex digits of its SHA-256


def content_name(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:NAME_DIGITS]


def named_ok(path: str) -> bool:
    """Whether the file at ``path`` holds what its name (``content_name`` + a suffix) says, in a
    directory safe to read."""
    stem = os.path.basename(path).split(".", 1)[0]
    try:
        if len(stem) != NAME_DIGITS or unsafe_reason(os.path.dirname(path)) is not None:
            return False
        data, st = read_file_stat(path, ENTRY_LIMIT)
    except OSError:
        return False
    return _own(st) and content_name(data) == stem


def write_named(directory: str, data: bytes, suffix: str) -> str:
    """Store ``data`` in ``directory`` under its ``content_name`` (written again when the file
    there does not verify); its path. Raises ``OSError``."""
    path = os.path.join(directory, content_name(data) + suffix)
    if not named_ok(path):
        why = unsafe_reason(directory)
        if why is not None:
            raise UnsafeCacheError(why)
        write_atomic(path, data, dir_mode=PRIVATE_DIR_MODE)
    return path


def prune_entries(directory: str, suffix: str, most: int) -> None:
    """Keep the ``most // 2`` newest files of ``directory`` whose names end in ``suffix`` when
    there are more than ``most`` (records made one per command line)."""
    try:
        with os.scandir(directory) as it:
            entries = [e for e in it if e.name.endswith(suffix)]
        if len(entries) <= most:
            return
        aged = sorted(entries, key=lambda e: e.stat().st_mtime_ns)
    except OSError:
        return
    for e in aged[: len(aged) - most // 2]:
        with contextlib.suppress(OSError):
            os.unlink(e.path)


SUM_SUFFIX = ".sum"


def write_with_sum(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` (atomically) with its SHA-256 beside it, a sealed entry at
    ``path + SUM_SUFFIX``: for files that others read by name and that cannot carry a seal (a
    stub the parser reads, a program go built). Raises ``OSError``."""
    write_entry(path + SUM_SUFFIX, hashlib.sha256(data).hexdigest().encode())
    write_atomic(path, data, dir_mode=PRIVATE_DIR_MODE)


def sum_ok(path: str) -> bool:
    """Whether the file at ``path`` holds what the sum beside it (``write_with_sum``) says (a
    large file's digest remembered by its state, as a dependency's is: Go's type-check
    program, 5 MB, is verified on every ``tgo check``)."""
    digest = read_entry(path + SUM_SUFFIX)
    if digest is None:
        return False
    try:
        st = os.stat(path)
        return stat.S_ISREG(st.st_mode) and _own(st) and _digest(path, st).encode() == digest
    except OSError:
        return False
    finally:
        _save_digests()


# --- dependency records ------------------------------------------------------------------
# What a cached result read outside its key (stubs, the sources of a local replacement or a
# go.work module, their directories): each path with a digest of what it held and its state
# (size, modification time, inode, change time). A result is reused while every record is
# unchanged: a path is digested again only when its state changed, as the go command does
# for its file hashes (an edit that keeps the size and modification time, as ``touch -r``
# or a tar extract does, still changes the change time). A directory's digest is that of
# its names: a file added or removed changes it, ``touch`` does not.

# (record, the path's state now) -> unchanged: a path is digested again only when its state
# is one not seen yet in this process, and a path changed since is seen (its state is a new
# one), however long the process lives
_valid: dict[tuple[object, ...], bool] = {}


def stat_state(st: os.stat_result) -> list[object]:
    """What keys a file's state, as the go command keys its files: size, modification time,
    inode and change time."""
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]


# A large file's digest is remembered between commands by its state (``digests.json`` in the
# cache root, a sealed entry: path -> [size, mtime, inode, ctime, digest]), as the go command
# remembers its file hashes: only for a file not modified or changed within the last 2 s
# (a change within a timestamp's resolution of it could go unseen). The go binary (15 MB,
# 20 ms to hash) is a dependency of every check with Go's errors; a small file is hashed
# sooner than the memo would be read.
_MODTIME_CUTOFF_NS = 2_000_000_000
_MEMO_SIZE = 256 * 1024  # bytes: smaller files are not remembered
_MEMO_MOST = 2_000
_memo: dict[str, list[object]] | None = None
_memo_added = False


def _memo_path() -> str:
    return os.path.join(cache_root(), "digests.json")


def _digests() -> dict[str, list[object]]:
    global _memo
    if _memo is None:
        import json

        _memo = {}
        payload = read_entry(_memo_path())
        with contextlib.suppress(ValueError):
            loaded = json.loads(payload) if payload is not None else None
            if isinstance(loaded, dict):
                _memo = loaded
    return _memo


def _digest(path: str, st: os.stat_result) -> str:
    global _memo_added
    if stat.S_ISDIR(st.st_mode):
        return "dir:" + hashlib.sha256("\0".join(sorted(os.listdir(path))).encode()).hexdigest()
    if st.st_size < _MEMO_SIZE:
        return file_sha256(path)
    state = stat_state(st)
    memo = _digests()
    known = memo.get(path)
    if isinstance(known, list) and len(known) == 5 and known[:4] == state and isinstance(known[4], str):
        return known[4]
    digest = file_sha256(path)  # (a chunk at a time: the go binary is among the dependencies)
    import time

    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > _MODTIME_CUTOFF_NS:
        if len(memo) >= _MEMO_MOST:
            memo.clear()
        memo[path] = [*state, digest]
        _memo_added = True
    return digest


def _save_digests() -> None:
    global _memo_added
    if _memo_added and _memo is not None:
        import json

        _memo_added = False
        with contextlib.suppress(OSError):
            write_entry(_memo_path(), json.dumps(_memo).encode())


def dependency_records(paths: Iterable[str]) -> list[list[object]] | None:
    """The records of the files and directories a cached result depends on (each once,
    sorted); None if one cannot be read (the result is then not cached)."""
    out: list[list[object]] = []
    try:
        for path in sorted(set(paths)):
            try:
                st = os.stat(path)
                out.append([path, _digest(path, st), *stat_state(st)])
            except OSError:
                return None
    finally:
        _save_digests()
    return out


def dependency_paths(records: object) -> list[str] | None:
    """The paths of ``records`` (as ``dependency_records`` made them), None if they are not records."""
    return [str(r[0]) for r in records] if isinstance(records, list) and _are_records(records) else None


def _are_records(records: list[object]) -> bool:
    return all(isinstance(r, list) and len(r) == 6 and isinstance(r[0], str) for r in records)


# path -> its stat and state (``stat_state``; None: it could not be read), while ``stats_once``
# holds: the file entries of one package's check name the same stubs (net/http: 31 entries of
# about 60 records each)
_stats: dict[str, tuple[os.stat_result, list[object]] | None] | None = None


@contextlib.contextmanager
def stats_once() -> Iterator[None]:
    """Within the block, ``records_unchanged`` reads each path's state once (what a check
    reads of its entries at its start: as for any cache read, a change while it reads them
    is seen by the next check)."""
    global _stats
    outermost = _stats is None
    if outermost:
        _stats = {}
    try:
        yield
    finally:
        if outermost:  # (only the block that made the states drops them: never one left behind)
            _stats = None


def _stat(path: str) -> tuple[os.stat_result, list[object]] | None:
    known = _stats
    if known is not None and path in known:
        return known[path]
    try:
        st = os.stat(path)
        read: tuple[os.stat_result, list[object]] | None = (st, stat_state(st))
    except OSError:
        read = None
    if known is not None:
        known[path] = read
    return read


def records_unchanged(records: Iterable[list[object]]) -> bool:
    """Whether every path of ``records`` still holds what it held when they were made."""
    for record in records:
        path = record[0]
        read = _stat(str(path))
        if read is None:
            return False
        st, now = read
        if record[2:] == now:
            continue
        digest = record[1]
        key = (path, digest, *now)
        known = _valid.get(key)
        if known is None:
            try:
                known = _digest(str(path), st) == digest
            except OSError:
                known = False
            _valid[key] = known
        if not known:
            return False
    return True


def records_hold(records: object, absent: Iterable[object] = ()) -> bool:
    """Whether a kept entry's ``records`` (``dependency_records``) are records and still hold,
    and the files ``absent`` names are still missing."""
    if any(os.path.lexists(str(p)) for p in absent):
        return False
    return isinstance(records, list) and _are_records(records) and records_unchanged(records)


# --- ownership -------------------------------------------------------------------------


class UnsafeCacheError(OSError):
    """A cache directory that others own or may write to: tgo does not use it."""


_safe: dict[str, str | None] = {}  # directory -> why it is unsafe (None: safe), in this process


def _own(st: os.stat_result) -> bool:
    """Whether a file or directory belongs to this user and no one else may write to it."""
    return (not hasattr(os, "geteuid") or st.st_uid == os.geteuid()) and not st.st_mode & 0o022


def _unsafe_dir(directory: str) -> str | None:
    known = _safe.get(directory, "")
    if known != "":
        return known
    try:
        st = os.stat(directory)
    except FileNotFoundError:
        return None  # (not remembered: tgo creates it, mode 0700)
    except OSError as exc:
        why: str | None = f"cannot use the cache directory {directory}: {exc.strerror or exc}"
    else:
        why = None
        if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
            why = f"the cache directory {directory} belongs to another user (uid {st.st_uid})"
        elif st.st_mode & 0o022:
            why = f"the cache directory {directory} is writable by other users (mode {st.st_mode & 0o777:o})"
    _safe[directory] = why
    return why


def unsafe_reason(directory: str | None = None) -> str | None:
    """Why tgo must not use its cache root, or ``directory`` in it (another user owns it or
    may write to it); None when it is safe (or does not exist yet)."""
    root = cache_root()
    why = _unsafe_dir(root)
    if why is None and directory is not None and directory != root:
        why = _unsafe_dir(directory)
    return why


UNSAFE_ADVICE = "tgo does not use a cache others can write to: fix its owner and mode (chmod go-w) or set TGO_CACHE_DIR"


# environment variables a shell changes between commands, which no go command reads
VOLATILE_ENV = frozenset({"OLDPWD", "PWD", "SHLVL", "_"})


# what the go command reads of the environment besides GO* and CGO_* (the C tools, where its
# caches and environment file are, the go and tools PATH finds), and the go tgo runs
_GO_READS = frozenset({"CC", "CXX", "FC", "AR", "PKG_CONFIG", "GCCGO", "PATH", "HOME", "XDG_CONFIG_HOME",
                       "XDG_CACHE_HOME", "TGO_GO"})


def go_environment(exclude: frozenset[str] = frozenset(), every: bool = False) -> list[tuple[str, str]]:
    """The environment a result of a go command depends on (the key of one kept), sorted: the
    variables go reads (``GOFLAGS``, ``GOOS``, ``CGO_ENABLED``, ``PATH``, ``HOME`` ...) and
    ``TGO_GO``; with ``every``, every variable but those a shell changes between commands;
    never those of ``exclude``."""
    return sorted((k, v) for k, v in os.environ.items() if k not in VOLATILE_ENV and k not in exclude and (
        every or k in _GO_READS or k.startswith(("GO", "CGO_"))))


_stamps: dict[tuple[str, ...], str] = {}


def code_stamp(subpackages: tuple[str, ...] = ()) -> str:
    """The stamp of the named subpackages (or modules, ``goexe.py``) of ``transpiler`` (all of
    it, and the grammar, when none are named)."""
    stamp = _stamps.get(subpackages)
    if stamp is not None:
        return stamp
    h = hashlib.sha256(__version__.encode() + b"\0")
    for path, st in _walk_code(subpackages)[1]:
        rel = os.path.relpath(path, _ROOT)
        h.update((f"{rel}\0" + "".join(f"{v}\0" for v in stat_state(st))).encode())
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
        if top.endswith(".py"):  # a module of its own
            with contextlib.suppress(OSError):
                files.append((top, os.stat(top)))
            continue
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
