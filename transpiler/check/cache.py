"""Result cache: a package's diagnostics, keyed by its files' contents and the stubs it read.

The key hashes the tgo version and every file of the package (name and
bytes).  An entry also lists the stub files the check read, with their
hashes; a stub that changed since makes the entry stale.  Entries live in
``$TGO_CACHE_DIR/check`` (default ``~/.cache/tgo/check``); a cache that cannot
be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import TYPE_CHECKING

from transpiler import __version__
from transpiler.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from transpiler.check.driver import CheckResult

FORMAT = 1


def _dir() -> str:
    env = os.environ.get("TGO_CACHE_DIR")
    if env:
        return os.path.join(env, "check")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tgo", "check")


def _checker_hash() -> str:
    """A hash of the checker's own code, so a changed checker never reads old results."""
    here = os.path.dirname(os.path.abspath(__file__))
    h = hashlib.sha256()
    for sub in (here, os.path.join(here, os.pardir, "types")):
        for name in sorted(os.listdir(sub)):
            if name.endswith(".py"):
                with open(os.path.join(sub, name), "rb") as f:
                    h.update(f.read())
    return h.hexdigest()[:16]


def key(files: list[tuple[str, bytes]], stub_paths: list[str]) -> str:
    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{_checker_hash()}\0{stub_paths!r}".encode())
    for name, data in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()[:32]


def _file_hash(path: str) -> str | None:
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None


def load(k: str) -> CheckResult | None:
    from transpiler.check.driver import CheckResult

    try:
        with open(os.path.join(_dir(), k + ".json"), encoding="utf-8") as f:
            entry = json.load(f)
        for path, digest in entry["deps"]:
            if _file_hash(path) != digest:
                return None
        diags = [
            Diagnostic(d["file"], d["line"], d["column"], d["end_line"], d["end_column"],
                       Severity(d["severity"]), d["code"], d["message"])
            for d in entry["diagnostics"]
        ]
        return CheckResult(diags, entry["typed"], entry["untyped"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(k: str, result: CheckResult, deps: list[str]) -> None:
    entry = {
        "diagnostics": [d.as_json() for d in result.diagnostics],
        "typed": result.typed,
        "untyped": result.untyped,
        "deps": [(p, _file_hash(p)) for p in sorted(set(deps))],
    }
    try:
        os.makedirs(_dir(), exist_ok=True)
        tmp = os.path.join(_dir(), f".{k}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(entry, f)
        os.replace(tmp, os.path.join(_dir(), k + ".json"))
    except OSError:
        pass
