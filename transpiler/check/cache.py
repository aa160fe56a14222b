"""Result cache: diagnostics keyed by file contents, the package's signatures and the stubs read.

Three kinds of entry, in ``$TGO_CACHE_DIR/check`` (default ``~/.cache/tgo/check``):

* A **package entry** is keyed by the tgo version, a stamp of tgo's own code, the
  stub paths, and every file of the package (name and content hash); one with Go's own
  errors (``tgo check``) by the environment go reads too (``caches.go_environment``:
  ``GOFLAGS``, ``GOOS``, ``CGO_ENABLED``, the ``go`` that ``PATH`` finds ...).  An
  unchanged package is answered from it without parsing anything; the ``tgo``
  command does this before it even loads its command line (``transpiler.fastpath``).
* A **file entry** is keyed by the same stamp and stub paths, one file's name and
  content hash, and the package's *signature digest*: every file of the package
  with its function bodies left out.  A file's diagnostics depend on its own
  text and on the declarations of the package and of its imports, and on
  another file's function bodies only through which functions never return
  (noreturn.py): an entry records that set and is reused only while the set is
  the same.  So when one file of a package changes the others are not checked
  again: their function bodies are skipped and their diagnostics come from their
  entries.

* A **bodies entry** is keyed by the same stamp and stub paths and the package's
  directory: the diagnostics of each function body (and package-level ``var`` and
  ``const`` declaration) of the package as its last check gave them, under the key
  ``bodies.BodyMemo`` gives them (the body's text and column, its file's strictness, the
  package's signature digest and the functions that never return). When one file of
  a package changes, its bodies whose text and key are unchanged are not checked
  again: an edit inside one function checks that function only. A body whose check
  recorded what the lowering reads (a ``?``, an exhaustive switch) is checked again
  when the package is lowered for Go's own check.

Every entry lists the stub (and module source) files the check read, and the
directories of the sources a stub was made from, with their hashes, sizes,
modification times, inodes and change times (``caches.dependency_records``); one
that changed since makes the entry stale.  A package entry with Go's own errors
lists what Go's check read too, as the kept go vet configuration records it
(``toolchain/vetreplay.py``): the go binary and compiler, every file of every
package the check loaded (the standard library's and module dependencies' sources,
local replacements), their directories and the module files, with the module files
that must stay missing (``absent``).  A dependency is hashed again only when
one of those changed, as the go command does for its build cache (an edit that
keeps the size and modification time, as ``touch -r`` or a tar extract does, still
changes the change time); a directory's hash is that of its names (a file added or
removed).  Entries are sealed and verified on every read
(``caches.read_entry``): a damaged one is a miss, and is written again.  A cache
that cannot be read or written is simply not used.

Standard library only at import time: the fast path loads this module, not the checker.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os

from transpiler import caches
from transpiler.caches import cache_root

TYPE_CHECKING = False  # (typing is not imported: the cached `tgo check` loads this module)
if TYPE_CHECKING:
    from typing import Any

    from transpiler.check.result import CheckResult, FileResult
    from transpiler.diagnostics import Diagnostic

# (4: a file entry's lowered Go is gotypes.record's, with its source map; 5: a package entry
# with Go's errors records everything Go's check read, not only the go binary, and is keyed
# by the environment)
FORMAT = 5
# the parts of tgo whose code decides a check's result
_CODE_DIRS = ("check", "types", "syntax", "stubs", "diagnostics")


def _dir() -> str:
    return os.path.join(cache_root(), "check")


def code_stamp() -> str:
    """A stamp of the code that decides a check's result."""
    return caches.code_stamp(_CODE_DIRS)


def _base(stub_paths: list[str], settings: str) -> hashlib._Hash:
    return hashlib.sha256(f"{FORMAT}\0{code_stamp()}\0{stub_paths!r}\0{settings}\0".encode())


def key(files: list[tuple[str, bytes]], stub_paths: list[str], settings: str = "", go: bool = False) -> str:
    """The package entry's key; ``settings`` is ``Config.settings_key()`` of the module's
    tgo.toml (which files are oblivious); ``go``: the result includes Go's own errors
    (``tgo check``)."""
    h = _base(stub_paths, settings)
    if go:  # (Go's check depends on the environment: GOFLAGS, GOOS, CGO_ENABLED, the go on PATH ...)
        h.update(b"go\0" + json.dumps(caches.go_environment()).encode())
    digests: dict[int, tuple[bytes, bytes]] = {}
    for name, data in sorted(files):
        digest = hashlib.sha256(data).digest()
        digests[id(data)] = (data, digest)
        h.update(b"P" + name.encode() + b"\0" + digest)
    global _digests
    _digests = digests
    return h.hexdigest()[:32]


# the SHA-256 of each file of the package ``key`` last keyed (id -> the bytes and their digest):
# its file entries' keys are made from the same bytes (one package's files, which its check holds)
_digests: dict[int, tuple[bytes, bytes]] = {}


def _sha256(data: bytes) -> bytes:
    known = _digests.get(id(data))
    return known[1] if known is not None and known[0] is data else hashlib.sha256(data).digest()


def file_key(name: str, data: bytes, signatures: str, stub_paths: list[str], settings: str = "") -> str:
    """A file entry's key: the file and the package's signature digest."""
    h = _base(stub_paths, settings)
    h.update(b"F" + name.encode() + b"\0" + _sha256(data) + signatures.encode())
    return h.hexdigest()[:32]


def bodies_key(directory: str, stub_paths: list[str], settings: str = "") -> str:
    """The key of the entry of kept function bodies (``bodies.BodyMemo.export``) of the package
    in ``directory``."""
    h = _base(stub_paths, settings)
    h.update(b"B" + os.path.abspath(directory).encode())
    return h.hexdigest()[:32]


# ------------------------------------------------------------------ entries


def load_entry(k: str) -> dict[str, Any] | None:
    """The raw entry for ``k`` (``diagnostics``, ``typed``, ``untyped``) if its dependencies
    are unchanged, else None."""
    payload = caches.read_entry(os.path.join(_dir(), k + ".json"))
    if payload is None:
        return None
    try:
        entry = json.loads(payload)
        if not isinstance(entry, dict) or not caches.records_hold(entry["deps"], entry.get("absent", ())):
            return None
        return entry
    except (ValueError, KeyError, TypeError):
        return None


def diagnostics_of(entry: dict[str, Any]) -> list[Diagnostic]:
    from transpiler.diagnostics import Diagnostic

    return [Diagnostic.from_json(d) for d in entry["diagnostics"]]


def load(k: str) -> CheckResult | None:
    """The package entry for ``k`` as a result, or None."""
    from transpiler.check.result import CheckResult

    entry = load_file(k)  # a package entry holds what a file entry holds
    return None if entry is None else CheckResult(entry.diagnostics, entry.typed, entry.untyped)


def load_file(k: str) -> FileResult | None:
    """The file entry for ``k``, or None."""
    from transpiler.check.result import FileResult

    entry = load_entry(k)
    if entry is None:
        return None
    try:
        lowered = entry.get("lowered")
        return FileResult(diagnostics_of(entry), entry["typed"], entry["untyped"], entry.get("noreturn", ""),
                          lowered if isinstance(lowered, str) else None)
    except (KeyError, TypeError, ValueError):
        return None


def dependencies(paths: list[str]) -> list[list[object]] | None:
    """The records of the files a check read, for its entries; None if one cannot be read."""
    return caches.dependency_records(paths)


def store(k: str, diagnostics: list[Diagnostic], typed: int, untyped: int, deps: list[list[object]],
          noreturn: str = "", lowered: str | None = None, absent: list[str] | None = None) -> None:
    """Write an entry, valid while ``deps`` are unchanged and the files ``absent`` names stay
    missing; a file entry of a .tgo file may hold its ``lowered`` Go with its source map
    (``gotypes.record``, for Go's own check)."""
    entry: dict[str, object] = {
        "diagnostics": [d.as_json() for d in diagnostics],
        "typed": typed,
        "untyped": untyped,
        "deps": deps,
        "noreturn": noreturn,
    }
    if lowered is not None:
        entry["lowered"] = lowered
    if absent:
        entry["absent"] = absent
    _write(k, entry)


# the records last written (a copy) and their JSON: the file entries of a package's check
# name the same records (go/types: 73 entries of 28 records, net/http: 30 of 57), encoded once
_deps_json: tuple[object, list[list[object]], str] | None = None


def _json_deps(deps: list[list[object]]) -> str:
    global _deps_json
    known = _deps_json
    if known is not None and known[0] is deps and known[1] == deps:
        return known[2]
    text = json.dumps(deps)
    _deps_json = (deps, [list(r) for r in deps], text)
    return text


def _write(k: str, entry: dict[str, object]) -> None:
    # (json.dumps(entry) written out, its "deps" from _json_deps: the same text)
    text = "{" + ", ".join(f"{json.dumps(name)}: {_json_deps(v) if name == 'deps' and isinstance(v, list) else json.dumps(v)}"
                           for name, v in entry.items()) + "}"
    with contextlib.suppress(OSError):
        caches.write_entry(os.path.join(_dir(), k + ".json"), text.encode())


def load_bodies(k: str) -> tuple[object, list[str]] | None:
    """The kept function bodies of entry ``k`` (``bodies.BodyMemo.restore`` takes them) and the
    paths of the files they depend on, if those are unchanged; else None."""
    entry = load_entry(k)
    if entry is None:
        return None
    paths = caches.dependency_paths(entry.get("deps"))
    return None if paths is None else (entry.get("bodies"), paths)


def store_bodies(k: str, bodies: object, deps: list[list[object]]) -> None:
    """Write the entry of kept function bodies ``bodies`` (``bodies.BodyMemo.export``), valid
    while ``deps`` (``dependencies``: the stubs and module sources every kept body's check could
    read) are unchanged."""
    _write(k, {"bodies": bodies, "deps": deps})
