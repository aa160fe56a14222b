"""The name of the Go file a ``.tgo`` file lowers to (spec §9).

``x.tgo`` lowers to ``x_tgo.go``. The ``_tgo`` goes *before* any suffix that the go
command reads from a file name, so the generated file keeps the source's meaning:

* a ``_test`` suffix (``x_test.tgo`` -> ``x_tgo_test.go``, still a test file);
* a ``_GOOS``, ``_GOARCH`` or ``_GOOS_GOARCH`` build-constraint suffix
  (``x_linux_amd64_test.tgo`` -> ``x_tgo_linux_amd64_test.go``).

The rules are go/build's own (``goodOSArchFile`` and the ``_test.go`` check):

* only the part of the name before its first ``.`` is read for GOOS/GOARCH;
* everything before the first ``_`` is ignored, so ``linux.go`` and ``linux_test.go``
  have no constraint and ``linux_amd64.go`` is constrained by ``amd64`` only;
* a trailing ``_test`` is dropped, then the last two elements are a constraint if
  they are a known GOOS followed by a known GOARCH, else the last element is one if it
  is a known GOOS or GOARCH.

``tgo`` is neither a GOOS nor a GOARCH, so inserting ``_tgo`` right before those
suffixes never changes which suffixes Go sees, and it can be found again: the map from
source name to output name is one-to-one.
"""

from __future__ import annotations

import os

# Go's syslist.KnownOS (src/internal/syslist/syslist.go, Go 1.26): "the list of past,
# present, and future known GOOS values ... used for filename matching".
KNOWN_OS: frozenset[str] = frozenset(
    {
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "js",
        "linux",
        "nacl",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
        "wasip1",
        "windows",
        "zos",
    }
)

# Go's syslist.KnownArch (same file): every GOARCH value used for filename matching.
KNOWN_ARCH: frozenset[str] = frozenset(
    {
        "386",
        "amd64",
        "amd64p32",
        "arm",
        "armbe",
        "arm64",
        "arm64be",
        "loong64",
        "mips",
        "mipsle",
        "mips64",
        "mips64le",
        "mips64p32",
        "mips64p32le",
        "ppc",
        "ppc64",
        "ppc64le",
        "riscv",
        "riscv64",
        "s390",
        "s390x",
        "sparc",
        "sparc64",
        "wasm",
    }
)

TGO_SUFFIX = ".tgo"
GO_SUFFIX = ".go"
_MARKER = "tgo"


def _suffix_count(parts: list[str]) -> int:
    """How many trailing ``_``-separated elements of a name Go reads as suffixes.

    ``parts`` is the name (before its first ``.``) split at ``_``; ``parts[0]`` is
    what precedes the first ``_`` and is never a suffix, as in go/build.
    """
    count = 0
    n = len(parts)
    if n > 1 and parts[-1] == "test":
        count = 1
        n -= 1
    # Only parts[1:n] can be constraint elements.
    if n >= 3 and parts[n - 2] in KNOWN_OS and parts[n - 1] in KNOWN_ARCH:
        count += 2
    elif n >= 2 and (parts[n - 1] in KNOWN_OS or parts[n - 1] in KNOWN_ARCH):
        count += 1
    return count


def _insert_marker(head: str) -> str:
    parts = head.split("_")
    cut = len(parts) - _suffix_count(parts)
    return "_".join([*parts[:cut], _MARKER, *parts[cut:]])


def output_name(tgo_filename: str) -> str:
    """The generated ``.go`` file for ``tgo_filename``, in the same directory.

    ``tgo_filename`` may be a bare name or a path; the directory part is kept as
    given. Raises ``ValueError`` for anything that is not a ``.tgo`` file (``.go``
    files are never lowered).
    """
    directory, base = os.path.split(tgo_filename)
    if base.endswith(GO_SUFFIX):
        raise ValueError(f"{tgo_filename}: .go files are not lowered; only .tgo files are")
    if not base.endswith(TGO_SUFFIX):
        raise ValueError(f"{tgo_filename}: not a .tgo file")
    stem = base[: -len(TGO_SUFFIX)]
    if not stem:
        raise ValueError(f"{tgo_filename}: a .tgo file needs a name before the extension")
    # go/build reads GOOS/GOARCH only from the part before the first dot; the _test
    # check looks at the end of the whole name, which stays the same when the rest
    # after the dot is non-empty, and is handled in _insert_marker when it is empty.
    head, dot, rest = stem.partition(".")
    out = _insert_marker(head) + dot + rest + GO_SUFFIX
    return os.path.join(directory, out) if directory else out


def is_test_file(filename: str) -> bool:
    """Whether the go command treats ``filename`` (``.go`` or ``.tgo``) as a test file."""
    base = os.path.basename(filename)
    for suffix in (GO_SUFFIX, TGO_SUFFIX):
        if base.endswith(suffix):
            return base[: -len(suffix)].endswith("_test")
    return False


def name_constraints(filename: str) -> tuple[str | None, str | None]:
    """The (GOOS, GOARCH) a file name constrains its file to, ``None`` for no constraint.

    Follows go/build's ``goodOSArchFile``; works on ``.go`` and ``.tgo`` names alike.
    """
    head = os.path.basename(filename).partition(".")[0]
    parts = head.split("_")
    if len(parts) > 1 and parts[-1] == "test":
        parts = parts[:-1]
    n = len(parts)
    if n >= 3 and parts[n - 2] in KNOWN_OS and parts[n - 1] in KNOWN_ARCH:
        return parts[n - 2], parts[n - 1]
    if n >= 2 and parts[n - 1] in KNOWN_OS:
        return parts[n - 1], None
    if n >= 2 and parts[n - 1] in KNOWN_ARCH:
        return None, parts[n - 1]
    return None, None
