"""The module's ``tgo.toml``: finding the module root, reading ``stub_paths``, and the module files that select its dependencies.

Kept apart from ``locate`` (which parses stubs) so that a cached ``tgo check``
reads the settings without loading the parser; ``tomllib`` is imported only when
a ``tgo.toml`` exists.
"""

from __future__ import annotations

import os
import re

CONFIG_NAME = "tgo.toml"
GO_MOD = "go.mod"

_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


class StubConfigError(Exception):
    """A ``tgo.toml`` that cannot be used; the message starts with ``file:line:col:`` when known."""


class Config:
    """The stub settings of ``tgo.toml``: absolute stub directories, in search order."""

    __slots__ = ("stub_paths",)

    def __init__(self, stub_paths: list[str] | None = None) -> None:
        self.stub_paths: list[str] = list(stub_paths or [])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Config) and other.stub_paths == self.stub_paths

    def __hash__(self) -> int:
        return hash(tuple(self.stub_paths))

    def __repr__(self) -> str:
        return f"Config(stub_paths={self.stub_paths!r})"


def module_root(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` that holds a ``go.mod``, or ``None``."""
    current = os.path.abspath(directory)
    while True:
        if os.path.isfile(os.path.join(current, GO_MOD)):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def load_config(root: str | None) -> Config:
    """Read ``tgo.toml`` in the module root ``root``; no root or no file gives the defaults.

    ``stub_paths = ["dir", ...]`` is a list of directories relative to the toml
    file. Raises ``StubConfigError`` for a file that is unreadable, not valid TOML
    (``file:line:col: message``) or has a ``stub_paths`` that is not a list of strings.
    """
    if root is None:
        return Config()
    path = os.path.join(root, CONFIG_NAME)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
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
    base = os.path.dirname(os.path.abspath(path))
    return Config([os.path.normpath(os.path.join(base, p)) for p in raw])


# the files of a module whose change may change which package an import path means
MODULE_FILES = ("go.mod", "go.sum", os.path.join("vendor", "modules.txt"))


def module_files(root: str) -> list[str]:
    """The files that decide where a module's imports' sources are (those that exist): its
    go.mod, go.sum and vendor/modules.txt, and the go.work (and go.work.sum) at or above it."""
    found = [p for p in (os.path.join(root, name) for name in MODULE_FILES) if os.path.isfile(p)]
    gowork = os.environ.get("GOWORK", "")
    current: str | None = None if gowork else os.path.abspath(root)
    while current is not None:
        if os.path.isfile(os.path.join(current, "go.work")):
            gowork = os.path.join(current, "go.work")
            break
        parent = os.path.dirname(current)
        current = parent if parent != current else None
    if gowork and gowork != "off":
        found += [p for p in (gowork, gowork + ".sum") if os.path.isfile(p)]
    return found
