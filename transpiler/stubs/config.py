"""The module's ``tgo.toml``: finding the module root and reading ``stub_paths``.

Kept apart from ``locate`` (which parses stubs) so that a cached ``tgo check``
reads the settings without loading the parser; ``tomllib`` is imported only when
a ``tgo.toml`` exists.
"""

from __future__ import annotations

import os
import re

CONFIG_NAME = "tgo.toml"
GO_MOD = "go.mod"
# The most directories tgo walks below one stub path (to notice stubs that changed): a
# stub path names a directory of stubs, not a tree like "/" or $HOME.
MAX_STUB_DIRS = 10_000

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
    from transpiler.fsread import CONFIG_LIMIT, read_file

    try:
        data = read_file(path, CONFIG_LIMIT)
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
