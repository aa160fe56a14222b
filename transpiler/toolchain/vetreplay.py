"""Go's own check of a package without go vet: the configurations go vet gave tgo's go/types program, kept and run again while nothing they were made from changed.

``go vet -vettool`` spends most of its time (about 170 ms CPU on encoding/json) finding
what the package's check needs, not checking it: it loads the package and its
dependencies, hashes their sources and finds their export data in its build cache. It
then runs the program (``typecheck/``) with a configuration: the package's files, its
import map, the export data file of each dependency. That configuration depends on the
package's files only through their names, build constraints, package clauses and
imports; so tgo keeps it (``$TGO_CACHE_DIR/gotypes/replay/<key>.json``) and, after an
edit that leaves those the same, runs the program on the new files itself.

An entry is keyed by the program (its path names its source and the go binary), the
package's directory and the go arguments that name it, and the whole environment
(``GOFLAGS``, ``GOOS``, ``GOROOT``, ``GOWORK`` ...). It holds each configuration with
the environment go ran the program in (the program writes them when
``$TGO_GOTYPES_RECORD`` names a directory), the digest of every lowered file's header
(the text before its first declaration: build constraints, package clause, imports),
and the records (``caches.dependency_records``: digest, size, modification time, inode,
change time) of everything else go's answer came from: the go binary and the compiler;
every file of every package ``go list -deps -test`` lists (but a dependency's own
``_test.go`` files, which go does not build into it), and their directories (a file
added or removed); the module files (``go.mod``, ``go.sum``, ``go.work``,
``go.work.sum``, ``vendor/modules.txt``) in the package's directory and every one above
it, the main modules' go.mod and go.sum where ``-modfile`` puts them elsewhere, the go.work that ``$GOWORK`` names, and go's environment file (``go env -w``), each recorded when it exists and listed
as absent when not (one that appears is a miss); and the export data files themselves (a
cleaned build cache). The
package's own ``.tgo`` files are not recorded: their lowerings' headers are compared
instead. An entry is used only when every record still holds, and is sealed and verified
on read like every cache entry; anything else is a miss, checked through go vet, which
records a new entry.

The records serve the check cache too: a package entry of ``tgo check`` keeps a copy of
them (``GoOutcome.records``), so that a cached result is not used once a file Go's check
read changed (the standard library's sources under the same go binary, a local
replacement's). So a package a kept configuration cannot answer gets an entry all the
same, a *refused* one (no configuration, the records only; ``key`` tells the two kinds
apart).

Packages this does not cover are always checked through go vet: cgo (``import "C"``),
``//go:embed`` (go checks the patterns), a go vet run whose output was not only the
program's findings (go's own errors), a package go list reports an error for, a
package importing another ``.tgo`` package, and a check that reads export data made
from the package's own files (an external test package, ``package p_test``, imports
the package; a dependency built again for the package's tests imports it): that
export data is of the text the configuration was recorded for.

A recording run makes go vet run the program even when its own cache holds the answer:
one lowered file is given with a comment line appended (``// tgo:record ...``), a
content go has not seen.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence

from transpiler import caches
from transpiler.fs.modules import GO_WORK, MODULE_FILES, go_work
from transpiler.goexe import Bounded, ToolchainError, json_objects, run_bounded, start_bounded

FORMAT = 1
RECORD_ENV = "TGO_GOTYPES_RECORD"
PREFIX = "tgo-gotypes: "
_TIMEOUT = 600.0
_FIRST_DECL = re.compile(r"^(?:func|type|var|const)\b", re.MULTILINE)
# the files go looks for in a package's directory and each one above it
_MODULE_FILES = (*MODULE_FILES, GO_WORK, GO_WORK + ".sum")
_LOWERED = "tgo:"  # a configuration's file that is a lowered .tgo file: "tgo:" + its name in the directory


def _path(k: str) -> str:
    return os.path.join(caches.cache_root(), "gotypes", "replay", k + ".json")


def key(helper: str, directory: str, targets: Sequence[str], replay: bool = True) -> str:
    """The entry's key: the program, tgo's code, the package's directory and go arguments, the
    environment, and whether its lowered files may be checked from a kept configuration
    (``replayable``; an entry for one that may not only records what go vet's answer came from)."""
    env = caches.go_environment(frozenset({RECORD_ENV}), every=True)  # (the program runs in the whole of it)
    data = json.dumps([FORMAT, helper, caches.code_stamp(), os.path.abspath(directory), list(targets), env, replay])
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def header_digest(text: str) -> str:
    """The digest of what in a lowered file decides go's configuration: the text before its
    first top-level declaration."""
    m = _FIRST_DECL.search(text)
    return hashlib.sha256(text[: m.start() if m else len(text)].encode()).hexdigest()


def replayable(texts: Mapping[str, str]) -> bool:
    """Whether a package of lowered ``texts`` may be checked from a kept configuration."""
    return not any("//go:embed" in t or re.search(r'^import\s+"C"|^\s+"C"$', t, re.MULTILINE) for t in texts.values())


class Entry:
    """A kept entry: each configuration (with ``tgo:NAME`` for a lowered file) and its
    environment; none when the package is one a kept configuration cannot answer (``refused``:
    go vet checks it, and does not record again while the entry holds). ``deps`` and ``absent``
    are what Go's answer came from (``caches.dependency_records``) and the files that must stay
    missing: the check cache's package entry is valid while they are (``check/cache.py``)."""

    def __init__(self, runs: list[tuple[dict[str, object], list[str]]], deps: list[list[object]] | None = None,
                 absent: list[str] | None = None) -> None:
        self.runs = runs
        self.deps = deps or []
        self.absent = absent or []

    @property
    def refused(self) -> bool:
        return not self.runs


def load(k: str, headers: Mapping[str, str]) -> Entry | None:
    """The entry ``k`` when it was made for lowered files of these ``headers`` (output name ->
    ``header_digest``) and everything it records is unchanged; else None."""
    payload = caches.read_entry(_path(k))
    if payload is None:
        return None
    try:
        entry = json.loads(payload)
        absent, deps = [str(p) for p in entry["absent"]], entry["deps"]
        if entry["headers"] != dict(headers) or not caches.records_hold(deps, absent):
            return None
        runs = [(dict(c), [str(e) for e in env]) for c, env in entry["runs"]]
    except (ValueError, KeyError, TypeError):
        return None
    return Entry(runs, deps, absent) if all(isinstance(c.get("GoFiles"), list) for c, _ in runs) else None


# The program's collector while tgo runs it (unless go's environment sets one): none until
# its heap nears 256 MiB. It runs for a tenth of a second and keeps most of what it makes
# (the package's trees and types: 35 MB for net/http); collecting as it goes cost a third
# of its CPU there (103 -> 65 ms).
_HELPER_GC = {"GOGC": "off", "GOMEMLIMIT": "256MiB"}


def start(entry: Entry, helper: str, stored: Mapping[str, str]) -> Replay | None:
    """The program started on the package's current files (its first configuration; the others
    run in turn when it is waited for): ``stored`` maps each lowered file's name in the
    directory to the file holding its text. None when it cannot run as go vet would have (the
    caller asks go vet)."""
    configs: list[tuple[dict[str, object], dict[str, str]]] = []
    for config, env in entry.runs:
        files: list[str] = []
        for f in _listed(config.get("GoFiles")):
            name = str(f)
            if name.startswith(_LOWERED):
                if name[len(_LOWERED):] not in stored:
                    return None
                name = stored[name[len(_LOWERED):]]
            files.append(name)
        environment = _environ(env)
        if "GOGC" not in environment and "GOMEMLIMIT" not in environment:
            environment.update(_HELPER_GC)
        configs.append(({**config, "GoFiles": files, "VetxOnly": False, "VetxOutput": "", "Stdout": "",
                         "PackageVetx": {}}, environment))
    replay = Replay(helper, configs)
    return replay if replay.next() else None


class Replay:
    """The program running on each configuration in turn (``start``): ``wait`` for its output,
    or ``cancel`` it (the run killed, its configuration file removed)."""

    __slots__ = ("configs", "helper", "out", "running")

    def __init__(self, helper: str, configs: list[tuple[dict[str, object], dict[str, str]]]) -> None:
        self.helper, self.configs = helper, configs
        self.out: list[str] = []
        self.running: tuple[Bounded, str] | None = None  # the run and its configuration file

    def next(self) -> bool:
        """Start the next configuration's run, if any; False when it could not be started."""
        if not self.configs:
            return True
        config, environment = self.configs.pop(0)
        fd, cfg_file = tempfile.mkstemp(prefix="tgo-gotypes-", suffix=".cfg")
        try:
            with os.fdopen(fd, "w") as fh:
                json.dump(config, fh)
            self.running = (start_bounded([self.helper, cfg_file], "tgo's Go type checker", _TIMEOUT,
                                          cwd=str(config.get("Dir") or "."), env=environment), cfg_file)
        except OSError:
            _remove(cfg_file)
            return False
        return True

    def wait(self) -> str | None:
        """The program's output (stderr) over every configuration; None when a run could not
        run as go vet would have (the caller asks go vet)."""
        while self.running is not None:
            run, cfg_file = self.running
            self.running = None
            try:
                proc = run.wait()
            except ToolchainError:
                return None
            finally:
                _remove(cfg_file)
            if proc.returncode not in (0, 1):
                return None
            self.out.append(proc.stderr)
            if not self.next():
                return None
        return "".join(self.out)

    def cancel(self) -> None:
        """Kill the run going on, if any, and remove its configuration file."""
        if self.running is not None:
            run, cfg_file = self.running
            self.running = None
            try:
                run.kill()
            finally:
                _remove(cfg_file)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


@contextlib.contextmanager
def recording() -> Iterator[str]:
    """A fresh directory for the program to write its configurations into (``RECORD_ENV``)."""
    with tempfile.TemporaryDirectory(prefix="tgo-gotypes-record-") as d:
        yield d


def marker(text: str) -> str:
    """``text`` with a comment line that makes it a content go has not seen (a recording run)."""
    return text + ("" if text.endswith("\n") else "\n") + f"// tgo:record {os.urandom(8).hex()}\n"


def _environ(env: Sequence[str]) -> dict[str, str]:
    """The environment a run recorded (``NAME=value`` strings) as a mapping."""
    return dict(e.split("=", 1) for e in env if "=" in e)


def _listed(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def recorded(record_dir: str) -> list[tuple[dict[str, object], list[str]]]:
    """The configurations and environments the program wrote into ``record_dir``."""
    runs: list[tuple[dict[str, object], list[str]]] = []
    with contextlib.suppress(OSError):
        for name in sorted(os.listdir(record_dir)):
            if not name.endswith(".json"):
                continue
            with contextlib.suppress(ValueError, KeyError, TypeError, OSError):
                with open(os.path.join(record_dir, name), encoding="utf-8") as fh:
                    rec = json.load(fh)
                config, env = rec["Config"], rec["Env"]
                if isinstance(config, dict) and isinstance(env, list):
                    runs.append((config, [str(e) for e in env]))
    return runs


def store(k: str, runs: list[tuple[dict[str, object], list[str]]], outputs: Mapping[str, str],
          headers: Mapping[str, str], go: str, directory: str, targets: Sequence[str], overlay: str | None,
          own_sources: Sequence[str], refuse: bool = False) -> Entry | None:
    """Keep the configurations of a go vet run that recorded them (``runs``), for lowered files
    ``outputs`` (the file go read -> its name in the directory) of these ``headers``; the
    dependencies are found with ``go list`` and recorded. No configuration is kept (a refused
    entry, which records the dependencies all the same) when something is outside what a kept
    configuration can answer, or ``refuse`` says so (``replayable``), or go vet did not run
    the program (its own cache answered). The entry kept, or None when there is none (go list
    or go env failed)."""
    kept: list[tuple[dict[str, object], list[str]]] = []
    exports: list[str] = []
    refused = refuse
    own = {str(config.get("ImportPath")).split(" [")[0] for config, _env in runs}
    for config, env in runs:
        package_files = config.get("PackageFile")
        if config.get("NonGoFiles") or not isinstance(config.get("GoFiles"), list) or not isinstance(
                package_files, dict):
            refused = True
            continue
        # export data made from the package's own files (an external test package imports it;
        # a dependency built again for its tests imports it): made from its old text
        refused = refused or any(" [" in str(p) or str(p).split(" [")[0] in own for p in package_files)
        files = [_LOWERED + outputs[str(f)] if str(f) in outputs else str(f) for f in _listed(config.get("GoFiles"))]
        # a file go read from tgo's cache that is not one of the package's lowerings given here
        cached = os.path.join(os.path.abspath(caches.cache_root()), "")
        refused = refused or any(f.startswith(cached) for f in files)
        exports += [str(v) for v in package_files.values()]
        kept.append(({**config, "GoFiles": files}, [e for e in env if not e.startswith(RECORD_ENV + "=")]))
    if runs:
        environment = _environ(runs[0][1])
    else:  # go vet answered from its own cache (a package without .tgo files: nothing marked)
        asked = _go_env(go, directory)
        if asked is None:
            return None
        environment, refused = asked, True  # (no configuration: what it read is recorded all the same)
    listed = _listed_dirs(go, directory, targets, overlay)
    if listed is None:
        return None
    dirs, modfiles = listed
    skip = {os.path.abspath(p) for p in own_sources}
    own_dir = os.path.abspath(directory)
    paths: list[str] = [os.path.realpath(go), *([] if refused else exports)]
    for d in dirs:
        paths.append(d)
        try:
            with os.scandir(d) as it:
                # (a dependency's own tests are not part of what go builds of it)
                files = [e.path for e in it if e.is_file() and e.path not in skip
                         and (d == own_dir or not e.name.endswith("_test.go"))]
        except OSError:
            return None
        # another .tgo package: its lowering depends on tgo and its stubs too
        refused = refused or (d != own_dir and any(f.endswith(".tgo") for f in files))
        paths += files
    # go.mod, go.work and go's environment file are looked for: those found are recorded, and
    # those not found must still be missing (a directory's names change too often: /tmp)
    absent: list[str] = []
    up = own_dir
    while True:
        for f in _MODULE_FILES:
            (paths if os.path.isfile(os.path.join(up, f)) else absent).append(os.path.join(up, f))
        parent = os.path.dirname(up)
        if parent == up:
            break
        up = parent
    # the main modules' go.mod and go.sum wherever they are (-modfile)
    for f in modfiles:
        (paths if os.path.isfile(f) else absent).append(f)
    # and the go.work that $GOWORK names, wherever it is
    gowork = go_work(own_dir)
    if gowork is not None:
        paths.append(gowork)
        (paths if os.path.isfile(gowork + ".sum") else absent).append(gowork + ".sum")
    tooldir = environment.get("GOTOOLDIR")
    if tooldir:
        paths.append(os.path.join(tooldir, "compile"))
    goenv = environment.get("GOENV")
    if goenv and goenv != "off":
        (paths if os.path.exists(goenv) else absent).append(goenv)
    deps = caches.dependency_records(paths)
    if deps is None:
        return None
    entry = Entry([] if refused or not kept else kept, deps, absent)
    payload = json.dumps({"headers": dict(headers), "runs": [list(r) for r in entry.runs], "deps": deps,
                          "absent": absent})
    with contextlib.suppress(OSError):
        caches.write_entry(_path(k), payload.encode())
    return entry


def _go_env(go: str, directory: str) -> dict[str, str] | None:
    """What a recording gives of go's environment (``GOTOOLDIR``, ``GOENV``), asked of go; None
    when it does not answer."""
    try:
        proc = run_bounded([go, "env", "-json", "GOTOOLDIR", "GOENV"], "go env", _TIMEOUT, cwd=directory)
    except (OSError, ToolchainError):
        return None
    found = json_objects(proc.stdout) if proc.returncode == 0 else []
    return {str(k): str(v) for k, v in found[0].items()} if found else None


def _listed_dirs(go: str, directory: str, targets: Sequence[str],
                 overlay: str | None) -> tuple[list[str], list[str]] | None:
    """The directories of the packages go vet of ``targets`` reads (``go list -deps -test``),
    and the module files of its main modules that are not in them (``-modfile``, given in
    ``$GOFLAGS`` or by ``go env -w``, names a go.mod anywhere; its go.sum is that name with
    ``.sum`` for ``.mod``); None when go list fails or reports an error."""
    argv = [go, "list", "-e", "-deps", "-test", "-json=Dir,Error,DepsErrors,Module"]
    if overlay is not None:
        argv.append("-overlay=" + overlay)
    try:
        proc = run_bounded([*argv, "--", *targets], "go list", _TIMEOUT, cwd=directory)
    except (OSError, ToolchainError):
        return None
    if proc.returncode != 0:
        return None
    listed = json_objects(proc.stdout)
    if not listed or any(p.get("Error") or p.get("DepsErrors") for p in listed):
        return None
    modfiles: set[str] = set()
    for p in listed:
        module = p.get("Module")
        if isinstance(module, dict) and module.get("Main") and module.get("GoMod"):
            gomod = os.path.join(directory, str(module["GoMod"]))
            modfiles |= {gomod, gomod.removesuffix(".mod") + ".sum"}
    return sorted({str(p["Dir"]) for p in listed if p.get("Dir")}), sorted(modfiles)


def only_findings(stderr: str) -> bool:
    """Whether go vet's output holds nothing but the program's findings and go's package headers."""
    return all(not line.strip() or line.startswith(("#", PREFIX)) for line in stderr.splitlines())
