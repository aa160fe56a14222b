"""The module's ``tgo.toml``: reading ``stub_paths`` and ``oblivious`` (the module root and the files that select its dependencies are found by ``fs.modules``).

Kept apart from ``locate`` (which parses stubs) so that a cached ``tgo check``
reads the settings without loading the parser; ``tomllib`` is imported only when
a ``tgo.toml`` exists.
"""

from __future__ import annotations

import fnmatch
import os
import re

from transpiler.fs.base import DISK, FileSystem
from transpiler.fs.modules import module_files, module_root
from transpiler.fs.read import CONFIG_LIMIT

__all__ = [
    "CONFIG_NAME",
    "MAX_STUB_DIRS",
    "Config",
    "StubConfigError",
    "load_config",
    "module_files",
    "module_root",
    "oblivious_match",
]

CONFIG_NAME = "tgo.toml"
# The most directories tgo walks below one stub path (to notice stubs that changed): a
# stub path names a directory of stubs, not a tree like "/" or $HOME.
MAX_STUB_DIRS = 10_000

NEWLINE = b"\n"
_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


class StubConfigError(Exception):
    """A ``tgo.toml`` that cannot be used; the message starts with ``file:line:col:`` when known."""


class Config:
    """The settings of ``tgo.toml``: absolute stub directories, in search order, and the
    patterns of the files that are oblivious (relative to ``root``, the module root)."""

    __slots__ = ("oblivious", "root", "stub_paths")

    def __init__(self, stub_paths: list[str] | None = None, oblivious: list[str] | None = None,
                 root: str = "") -> None:
        self.stub_paths: list[str] = list(stub_paths or [])
        self.oblivious: list[str] = list(oblivious or [])
        self.root = root

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Config) and (other.stub_paths, other.oblivious, other.root) == (
            self.stub_paths, self.oblivious, self.root)

    def __hash__(self) -> int:
        return hash((tuple(self.stub_paths), tuple(self.oblivious), self.root))

    def __repr__(self) -> str:
        return f"Config(stub_paths={self.stub_paths!r}, oblivious={self.oblivious!r})"

    def settings_key(self) -> str:
        """What of the settings besides ``stub_paths`` decides a check or a lowering, for
        cache keys: which files are oblivious."""
        return repr((self.root, self.oblivious)) if self.oblivious else ""

    def is_oblivious(self, path: str) -> bool:
        """Whether an ``oblivious`` pattern names the file ``path`` (see ``oblivious_match``)."""
        if not self.oblivious or not self.root:
            return False
        rel = os.path.relpath(os.path.abspath(path), self.root)
        if rel.startswith(".."):
            return False
        rel = rel.replace(os.sep, "/")
        return any(oblivious_match(p, rel) for p in self.oblivious)


def oblivious_match(pattern: str, rel: str) -> bool:
    """Whether the ``oblivious`` pattern ``pattern`` names the file at ``rel`` (a slash path
    relative to the module root).

    * No ``/``: a shell glob (``*``, ``?``, ``[...]``) on the file's base name, in any
      directory: ``*_test.tgo``, ``legacy_*.tgo``.
    * With a ``/``: globs element by element (``*`` never crosses a ``/``) on the file's
      path, or on its directory's path, so a directory names the files directly in it, as
      a go package pattern does: ``internal/legacy``, ``cmd/*/main.tgo``.
    * Ending in ``/...`` (or ``...`` alone): that directory and everything below it, as
      in ``go build ./internal/legacy/...``.
    """
    if "/" not in pattern and pattern != "...":
        return fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern)
    parts = rel.split("/")
    want = pattern.split("/")
    if want[-1] == "...":
        prefix = want[:-1]
        dirs = parts[:-1]
        return len(dirs) >= len(prefix) and all(
            fnmatch.fnmatchcase(d, w) for d, w in zip(dirs, prefix, strict=False))
    for candidate in (parts, parts[:-1]):
        if len(candidate) == len(want) and all(
                fnmatch.fnmatchcase(d, w) for d, w in zip(candidate, want, strict=True)):
            return True
    return False


def _check_pattern(pattern: object) -> str:
    """Why ``pattern`` is not a usable ``oblivious`` pattern, or ""."""
    if not isinstance(pattern, str) or not pattern:
        return "each pattern must be a non-empty string"
    if "\\" in pattern:
        return f"{pattern!r}: use / between path elements"
    if pattern.startswith("/") or re.match(r"^[A-Za-z]:", pattern):
        return f"{pattern!r}: a pattern is relative to the module root"
    elements = pattern.removeprefix("./").split("/")
    for i, e in enumerate(elements):
        if e in ("", ".", ".."):
            return f"{pattern!r}: empty, . and .. elements are not allowed"
        if "..." in e and (e != "..." or i != len(elements) - 1):
            return f"{pattern!r}: ... must be the last element (dir/...)"
    return ""


def module_config(directory: str, fs: FileSystem = DISK) -> Config:
    """The ``tgo.toml`` settings of the module holding ``directory`` (``load_config`` of its
    root); raises ``StubConfigError`` when they cannot be used."""
    return load_config(module_root(directory, fs), fs)


def load_config(root: str | None, fs: FileSystem = DISK) -> Config:
    """Read ``tgo.toml`` in the module root ``root``; no root or no file gives the defaults.

    ``stub_paths = ["dir", ...]`` is a list of directories relative to the toml
    file. Raises ``StubConfigError`` for a file that is unreadable, not valid TOML
    (``file:line:col: message``) or has a ``stub_paths`` that is not a list of strings.
    """
    if root is None:
        return Config()
    path = os.path.join(root, CONFIG_NAME)
    try:
        data = fs.read(path, CONFIG_LIMIT)
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise StubConfigError(f"{path}: {exc.strerror or exc}") from exc
    import tomllib

    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise StubConfigError(f"{path}: not valid UTF-8 (byte offset {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _TOML_POS.search(message)
        if m is not None:
            raise StubConfigError(f"{path}:{m.group(1)}:{m.group(2)}: {message[: m.start()]}") from exc
        raise StubConfigError(f"{path}: {message}") from exc
    raw = doc.get("stub_paths", [])
    if not isinstance(raw, list) or not all(isinstance(p, str) and p for p in raw):
        raise StubConfigError(f"{path}: stub_paths must be a list of directory names (strings)")
    patterns = doc.get("oblivious", [])
    where = _key_line(data, "oblivious", path)
    if not isinstance(patterns, list):
        raise StubConfigError(f"{where}: oblivious must be a list of file patterns (strings), "
                              'e.g. oblivious = ["internal/legacy/...", "*_test.tgo"]')
    for p in patterns:
        why = _check_pattern(p)
        if why:
            raise StubConfigError(f"{where}: oblivious: {why}")
    base = os.path.dirname(os.path.abspath(path))
    return Config([os.path.normpath(os.path.join(base, p)) for p in raw],
                  [str(p).removeprefix("./") for p in patterns], base)


def _key_line(data: bytes, key: str, path: str) -> str:
    """``path:LINE`` of the line that sets ``key`` at the top of the file (``path`` if none)."""
    m = re.search(rb"^[ \t]*" + re.escape(key.encode()) + rb"[ \t]*=", data, re.MULTILINE)
    if m is None:
        return path
    return f"{path}:{data.count(NEWLINE, 0, m.start()) + 1}"
