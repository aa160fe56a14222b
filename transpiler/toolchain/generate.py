"""``tgo generate``: go generate's ``//go:generate`` directives, in ``.go`` and ``.tgo`` files.

go generate reads files from disk and does not know ``.tgo`` files, so tgo runs
the directives itself, with go generate's rules (cmd/go/internal/generate): the
packages come from ``go list`` (with the ``generate`` build tag, and a stand-in
overlay so that packages of ``.tgo`` files are seen); within a package the files
are taken in go's order (``GoFiles``, ``CgoFiles``, ``TestGoFiles``, then
``XTestGoFiles``), a ``.tgo`` file in the place of the file it lowers to; a
directive is a line starting with ``//go:generate`` and a space or tab; words
are split and quoted strings decoded as go does, ``-command`` defines a
shorthand for the rest of the file, ``$NAME`` is expanded (``$GOFILE`` is
``x.tgo`` for a ``.tgo`` file, ``$GOLINE`` its line); the command runs in the
package directory with ``$GOROOT/bin`` first on ``PATH``; the first failure
stops that package and makes the exit status 1. Flags: ``-run``, ``-skip``,
``-n``, ``-v``, ``-x`` and go's build flags (``-tags``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence

from transpiler.goexe import json_objects, require_go
from transpiler.toolchain.gocmd import GoCommandError, go_workdir, stand_in_overlay

_VALUE_FLAGS = frozenset(
    {
        "run", "skip", "C", "p", "asmflags", "buildmode", "compiler", "gccgoflags", "gcflags",
        "installsuffix", "ldflags", "mod", "modfile", "overlay", "pkgdir", "tags", "toolexec",
    }
)  # fmt: skip
_PACKAGE_CLAUSE = re.compile(rb"^package[ \t]+(\w+)", re.MULTILINE)
_SPECIAL = frozenset("*#$@!?-0123456789")


class _Stop(Exception):
    """A directive failed: the rest of its package is skipped."""


class Options:
    def __init__(self) -> None:
        self.run: re.Pattern[str] | None = None
        self.skip: re.Pattern[str] | None = None
        self.dry_run = False  # -n
        self.verbose = False  # -v
        self.trace = False  # -x
        self.tags: list[str] = []
        self.list_flags: list[str] = []  # -mod=..., -modfile=...
        self.chdir: str | None = None
        self.patterns: list[str] = []


def parse_args(args: Sequence[str]) -> Options:
    opts = Options()
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            opts.patterns += args[i + 1 :]
            break
        if not arg.startswith("-") or arg == "-":
            opts.patterns += args[i:]
            break
        body = arg.lstrip("-")
        name, eq, value = body.partition("=")
        if name in _VALUE_FLAGS and not eq:
            if i + 1 >= len(args):
                raise GoCommandError(f"flag needs an argument: {arg}")
            i += 1
            value = args[i]
        i += 1
        if name in ("run", "skip"):
            try:
                pattern = re.compile(value)
            except re.error as exc:
                raise GoCommandError(f"generate: bad -{name} pattern {value!r}: {exc}") from exc
            if name == "run":
                opts.run = pattern
            else:
                opts.skip = pattern
        elif name in ("n", "v", "x"):
            on = not eq or value in ("true", "1", "t", "T", "TRUE", "True")
            if name == "n":
                opts.dry_run = on
            elif name == "v":
                opts.verbose = on
            else:
                opts.trace = on
        elif name == "tags":
            opts.tags += [t for t in re.split(r"[ ,]", value) if t]
        elif name == "C":
            opts.chdir = value
        elif name in ("mod", "modfile"):
            opts.list_flags.append(f"-{name}={value}")
    return opts


def expand(s: str, mapping: Callable[[str], str]) -> str:
    """os.Expand of Go: ``$NAME``, ``${NAME}`` and the one-character special names."""
    out: list[str] = []
    i = j = 0
    n = len(s)
    while j < n:
        if s[j] == "$" and j + 1 < n:
            out.append(s[i:j])
            name, w = _shell_name(s[j + 1 :])
            if name == "" and w > 0:
                pass  # bad syntax: the characters are eaten
            elif name == "":
                out.append("$")
            else:
                out.append(mapping(name))
            j += w
            i = j + 1
        j += 1
    out.append(s[i:])
    return "".join(out)


def _shell_name(s: str) -> tuple[str, int]:
    if s[0] == "{":
        if len(s) > 2 and s[1] in _SPECIAL and s[2] == "}":
            return s[1:2], 3
        for k in range(1, len(s)):
            if s[k] == "}":
                return ("", 2) if k == 1 else (s[1:k], k + 1)
        return "", 1
    if s[0] in _SPECIAL:
        return s[0:1], 1
    k = 0
    while k < len(s) and (s[k] == "_" or (s[k].isascii() and s[k].isalnum())):
        k += 1
    return s[:k], k


class FileGenerator:
    """The directives of one file: go generate's Generator."""

    def __init__(self, path: str, shown: str, gofile: str, package: str, base_env: Mapping[str, str],
                 opts: Options) -> None:  # fmt: skip
        self.path = path
        self.shown = shown  # the file as messages name it
        self.dir = os.path.dirname(path)
        self.gofile = gofile
        self.package = package
        self.base_env = base_env
        self.opts = opts
        self.commands: dict[str, list[str]] = {}
        self.line = 0
        self.env: dict[str, str] = {}

    def fail(self, message: str) -> _Stop:
        sys.stderr.write(f"{self.shown}:{self.line}: {message}\n")
        return _Stop()

    def run(self, data: bytes) -> None:
        if self.opts.verbose:
            sys.stderr.write(self.shown + "\n")
        lines = data.split(b"\n")
        for index, raw in enumerate(lines):
            self.line = index + 1
            last = index == len(lines) - 1
            if not (raw.startswith(b"//go:generate ") or raw.startswith(b"//go:generate\t")):
                continue
            if last:
                raise self.fail(f"error reading {self.shown}: unexpected EOF")
            text = os.fsdecode(raw)
            if self.opts.run is not None and not self.opts.run.search(text.strip()):
                continue
            if self.opts.skip is not None and self.opts.skip.search(text.strip()):
                continue
            self.env = {
                **self.base_env,
                "GOFILE": self.gofile,
                "GOLINE": str(self.line),
                "GOPACKAGE": self.package,
                "DOLLAR": "$",
                "PWD": self.dir,
            }
            words = self.split(text)
            if not words:
                raise self.fail("no arguments to directive")
            if words[0] == "-command":
                if len(words) == 1:
                    raise self.fail("no command specified for -command")
                if words[1] in self.commands:
                    raise self.fail(f"command {words[1]!r} multiply defined")
                self.commands[words[1]] = words[2:]
                continue
            if self.opts.dry_run or self.opts.trace:
                sys.stderr.write(" ".join(words) + "\n")
            if self.opts.dry_run:
                continue
            self.exec(words)

    def split(self, line: str) -> list[str]:
        from transpiler.types.constant import string_value

        line = line[len("//go:generate ") :]
        if line.endswith("\r"):
            line = line[:-1]
        words: list[str] = []
        while True:
            line = line.lstrip(" \t")
            if not line:
                break
            if line[0] == '"':
                k = 1
                while k < len(line):
                    if line[k] == "\\":
                        if k + 1 == len(line):
                            raise self.fail("bad backslash")
                        k += 2
                        continue
                    if line[k] == '"':
                        break
                    k += 1
                else:
                    raise self.fail("mismatched quoted string")
                try:
                    words.append(os.fsdecode(string_value(line[: k + 1])))
                except (ValueError, IndexError):
                    raise self.fail("bad quoted string") from None
                line = line[k + 1 :]
                if line and line[0] not in " \t":
                    raise self.fail("expect space after quoted argument")
                continue
            m = re.search(r"[ \t]", line)
            end = m.start() if m else len(line)
            words.append(line[:end])
            line = line[end:]
        if words and words[0] in self.commands:
            words = [*self.commands[words[0]], *words[1:]]
        return [expand(w, self._var) for w in words]

    def _var(self, name: str) -> str:
        if name in self.env:
            return self.env[name]
        return os.environ.get(name, "")

    def exec(self, words: list[str]) -> None:
        path = words[0]
        if path and os.sep not in path:
            candidate = os.path.join(self.base_env["GOROOT"], "bin", path)
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                path = candidate
        env = {**os.environ, **self.env}
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            proc = subprocess.run([path, *words[1:]], cwd=self.dir, env=env, check=False)
        except OSError as exc:
            raise self.fail(f'running "{words[0]}": {exc.strerror or exc}') from None
        if proc.returncode != 0:
            raise self.fail(f'running "{words[0]}": exit status {proc.returncode}')


def _go_env(go: str, names: Sequence[str]) -> dict[str, str]:
    proc = subprocess.run([go, "env", "-json", *names], capture_output=True, text=True, errors="replace", check=False,
                          timeout=120)
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        raise GoCommandError(f"go env failed: {proc.stderr.strip() or 'no answer'}") from None
    return {k: str(v) for k, v in data.items()}


def _listed(go: str, opts: Options, overlay: str | None, workdir: str) -> list[dict[str, object]]:
    argv = [go, "list", "-e", "-json=Dir,ImportPath,Name,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles,Module,Error"]
    argv.append("-tags=" + ",".join(["generate", *opts.tags]))
    argv += opts.list_flags
    if overlay is not None:
        argv.append("-overlay=" + overlay)
    from transpiler.lower.naming import output_name

    patterns = [output_name(p) if p.endswith(".tgo") else p for p in opts.patterns] or ["."]
    argv += ["--", *patterns]
    proc = subprocess.run(argv, cwd=workdir, capture_output=True, text=True, errors="replace", check=False)
    if proc.returncode != 0 and not proc.stdout.strip():
        raise GoCommandError(proc.stderr.strip() or "go list failed")
    return json_objects(proc.stdout)


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def generate_command(args: Sequence[str]) -> int:
    """``tgo generate [flags] [packages]``; the exit status."""
    from transpiler.lower.naming import output_name

    opts = parse_args(args)
    go = require_go()
    cwd = go_workdir()
    workdir = os.path.normpath(os.path.join(cwd, opts.chdir)) if opts.chdir else cwd
    overlay, _ = stand_in_overlay(workdir, cwd)  # (a directive may run before the code parses)
    genv = _go_env(go, ["GOROOT", "GOOS", "GOARCH"])
    base_env = {
        **genv,
        "PATH": os.path.join(genv["GOROOT"], "bin") + os.pathsep + os.environ.get("PATH", ""),
    }
    status = 0
    said_deps = False
    for pkg in _listed(go, opts, overlay, workdir):
        module = pkg.get("Module")
        if isinstance(module, dict) and not module.get("Main"):
            if not said_deps:
                sys.stderr.write("go: not generating in packages in dependency modules\n")
                said_deps = True
            continue
        directory = str(pkg.get("Dir") or "")
        files = [*_strings(pkg.get("GoFiles")), *_strings(pkg.get("CgoFiles")), *_strings(pkg.get("TestGoFiles"))]
        xfiles = _strings(pkg.get("XTestGoFiles"))
        error = pkg.get("Error")
        if isinstance(error, dict) and not files and not xfiles:
            sys.stderr.write(f"{error.get('Err')}\n")
            status = 1
            continue
        sources: dict[str, str] = {}
        try:
            for name in os.listdir(directory):
                if name.endswith(".tgo"):
                    sources[output_name(name)] = name
        except OSError:
            pass
        for group in (files, xfiles):
            try:
                for name in group:
                    src = sources.get(name, name)
                    path = os.path.join(directory, src)
                    try:
                        with open(path, "rb") as fh:
                            data = fh.read()
                    except OSError as exc:
                        sys.stderr.write(f"generate: {path}: {exc.strerror or exc}\n")
                        return 1
                    m = _PACKAGE_CLAUSE.search(data)
                    if m is None:
                        continue
                    rel = os.path.relpath(path, cwd)
                    shown = rel if len(rel) < len(path) else path
                    gen = FileGenerator(path, shown, src, m.group(1).decode(), base_env, opts)
                    gen.run(data)
            except _Stop:
                status = 1  # (go goes on with the package's external test files)
    return status
