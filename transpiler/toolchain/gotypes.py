"""Go's own errors for ``tgo check`` (code ``go``, spec §8): go/types on the lowered package, run by ``go vet -vettool``, positions mapped back to the ``.tgo`` source.

The type checker is a small Go program (``transpiler/toolchain/typecheck``, standard
library only) built on first use into ``$TGO_CACHE_DIR/gotypes/<key>/``, keyed by
its source and by the ``go`` binary (path, size, modification time): a new
toolchain builds it again. ``go vet -vettool`` runs it with everything a type
check needs: the export data of the dependencies (built and cached by the go
command), test files, the ``-overlay`` of lowered ``.tgo`` files (``gocmd.prepare``,
which also lowers the module's other ``.tgo`` packages). The configuration go vet
gives it is kept (``vetreplay.py``): while nothing it was made from changed and the
lowered files' headers are the same, tgo runs the program on the new files itself,
without go vet. ``check`` starts it and returns (``GoStarted``): the program runs while
tgo's own work goes on (``check/snapshot.py``: the bodies' check when no file's lowering
reads it, the stores), go vet when the outcome is waited for.

The package's own ``.tgo`` files are lowered from the checker's state without
gofmt and without columns placed on changed lines; a position go/types reports
in one comes back through the file's source map: the check cache keeps it with
the lowered text (``record``: the segments, then the Go), so a file whose
lowering comes from the cache maps exactly too. Text the lowering generated maps
through its ``//line`` directives, as go reports it. go/types reports every
error of a package (the compiler stops after ten).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from transpiler import caches
from transpiler.check.result import GoOutcome, GoStarted
from transpiler.diagnostics import Diagnostic, Severity
from transpiler.diagnostics import codes as M
from transpiler.fs.write import replacing
from transpiler.goexe import ToolchainError, find_go, give_go_a_home, run_bounded, tool_environ
from transpiler.lower.linemap import GoPositions
from transpiler.lower.sourcemap import SourceMap
from transpiler.syntax.source import SourceFile
from transpiler.toolchain import vetreplay
from transpiler.toolchain.vetreplay import PREFIX as _PREFIX

if TYPE_CHECKING:
    from transpiler.check.checker import FileInfo, PackageChecker
    from transpiler.lower.sourcemap import LoweredFile

HELPER_SOURCE = os.path.join(os.path.dirname(os.path.realpath(__file__)), "typecheck")  # (not pathlib: 5 ms to load)
HELPER_NAME = "tgo-gotypes"
NO_GO = "no Go toolchain was found"
_GO_POSITION = re.compile(r"^(.+?):(\d+):(\d+): (.+)$")
_WORD = re.compile(rb'"(?:[^"\\]|\\.)*"|[A-Za-z0-9_]+|\S')

GO_VET_TIMEOUT = 600.0  # seconds: the first check of a package may compile its imports



def helper(go: str) -> str:
    """The type-check program, built for ``go`` if it is not in the cache; raises ``ToolchainError``."""
    h = hashlib.sha256()
    for name in sorted(os.listdir(HELPER_SOURCE)):
        if name.endswith((".go", ".mod")):
            with open(os.path.join(HELPER_SOURCE, name), "rb") as fh:
                h.update(name.encode() + b"\0" + fh.read())
    st = os.stat(go)
    h.update(f"{os.path.realpath(go)}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    target = os.path.join(caches.cache_root(), "gotypes", h.hexdigest()[:32], HELPER_NAME)
    if caches.sum_ok(target):  # (verified: a damaged helper is built again)
        return target
    env = {**os.environ, "GOFLAGS": "-mod=mod", "GOWORK": "off", "GO111MODULE": "on", "CGO_ENABLED": "0"}
    with replacing(target, dir_mode=caches.PRIVATE_DIR_MODE) as tmp:
        proc = subprocess.run([go, "build", "-trimpath", "-o", tmp, "."], cwd=HELPER_SOURCE, env=env,
                              capture_output=True, text=True, errors="replace", check=False)
        if proc.returncode != 0:
            raise ToolchainError(f"cannot build tgo's Go type checker: {proc.stderr.strip() or 'go build failed'}")
        with open(tmp, "rb") as fh:
            caches.write_entry(target + caches.SUM_SUFFIX, hashlib.sha256(fh.read()).hexdigest().encode())
    return target


def check(paths: list[str], pc: PackageChecker, infos: list[FileInfo], prior: Mapping[str, str],
          early: bool = False) -> GoStarted | None:
    """Go's own errors in the package of ``paths``, started (a ``result.GoCheck``): the program
    runs on a kept configuration while the caller goes on (``vetreplay.start``); go vet, when
    none holds, runs when the outcome is waited for.

    ``prior`` holds the lowerings (``record``) of .tgo files whose bodies the checker did not
    check again (from their cache entries); the others are lowered here. The outcome's
    ``lowered`` holds every file's record. With ``early`` (the bodies not checked yet) None
    when a file's lowering may read their check (``lower_declared_files``) or fails.
    """
    from transpiler.lower.edits import LowerError
    from transpiler.lower.lowering import lower_checked_files, lower_declared_files

    go = find_go()
    if go is None:
        return GoStarted.done(GoOutcome(note=NO_GO))
    homeless = give_go_a_home()  # (go vet needs a build cache)
    if homeless is not None:
        return GoStarted.done(GoOutcome(note=homeless))
    todo = [fi for fi in infos if fi.is_tgo and fi.result.source.name not in prior]
    try:
        files = lower_declared_files(pc, todo) if early else lower_checked_files(pc, todo, format=False)
    except LowerError as exc:
        if early:
            return None  # (what keeps it from lowering is known once the bodies are checked)
        if any(d.severity is Severity.ERROR for d in pc.diags):
            return GoStarted.done(GoOutcome())  # (what keeps it from lowering is reported)
        return GoStarted.done(GoOutcome(note=f"the package could not be lowered: {exc}"))
    if files is None:
        return None
    texts = {fi.result.source.name: fi.result.source.text for fi in infos}
    maps = _Maps(files, prior, texts)
    new = files

    def lowerings() -> dict[str, str]:
        # (made when asked for: once the bodies are checked, not held while they are)
        return {**prior, **{src: record(f) for src, f in new.items()}}

    try:
        go_texts = {**{src: go_text(rec) for src, rec in prior.items()}, **{src: f.text for src, f in files.items()}}
        vet = _Vet(go, paths, go_texts, texts, maps)
    except (ToolchainError, OSError) as exc:
        return GoStarted.done(_failed(exc, lowerings()))
    started = GoStarted(lowerings, lambda: finish(), vet.cancel)

    def finish() -> GoOutcome:
        try:
            found, note, came_from = vet.finish()
        except (ToolchainError, OSError) as exc:
            return _failed(exc, started.lowerings())
        records, absent = (came_from.deps, came_from.absent) if came_from is not None else (None, [])
        return GoOutcome(found, started.lowerings(), note, [os.path.realpath(go)], records, absent)

    return started


def _failed(exc: ToolchainError | OSError, lowered: dict[str, str]) -> GoOutcome:
    """The outcome of a check that could not run: go failed, or the lowered files could not be
    written into the build cache (a full or read-only disk)."""
    if isinstance(exc, ToolchainError):
        return GoOutcome(lowered=lowered, note=str(exc))
    from transpiler.toolchain.gocmd import cache_dir

    where = exc.filename or f"the build cache {cache_dir()}"
    return GoOutcome(lowered=lowered, note=f"cannot write to {where}: {exc.strerror or exc}")


def record(lowered: LoweredFile) -> str:
    """What the check cache keeps of a file's lowering for Go's own check: its source map's
    segments on the first line (``tgo-offset go-offset length`` ...), then its Go text."""
    return " ".join(str(n) for seg in lowered.source_map.segments for n in seg) + "\n" + lowered.text


def go_text(rec: str) -> str:
    """The Go text of a ``record``."""
    return rec.partition("\n")[2]


class _Maps:
    """Each lowered file's source map, built when a position in it is to be mapped: from the
    lowering made here, or from the check cache's record."""

    def __init__(self, files: Mapping[str, LoweredFile], records: Mapping[str, str], texts: Mapping[str, str]) -> None:
        self._files, self._records, self._texts = files, records, texts
        self._built: dict[str, SourceMap | None] = {}

    def get(self, src: str) -> SourceMap | None:
        if src not in self._built:
            f = self._files.get(src)
            rec = self._records.get(src)
            self._built[src] = f.source_map if f is not None else (
                _map_of(rec, self._texts.get(src, "")) if rec is not None else None)
        return self._built[src]


def _map_of(rec: str, source: str) -> SourceMap | None:
    """The source map a ``record`` keeps, between ``source`` and its Go; None if it is not one."""
    head, _, text = rec.partition("\n")
    try:
        numbers = [int(n) for n in head.split()]
    except ValueError:
        return None
    if len(numbers) % 3:
        return None
    segs = [(numbers[i], numbers[i + 1], numbers[i + 2]) for i in range(0, len(numbers), 3)]
    return SourceMap(SourceFile("", source), SourceFile("", text), segs)


class _Vet:
    """Go's errors in the package (``finish``: them, why they could not be found, and the kept go
    vet configuration that records what they came from, None when there is none), the program
    started on a kept configuration when one holds (``vetreplay``), else go vet run by ``finish``."""

    def __init__(self, go: str, paths: list[str], lowered: dict[str, str], texts: dict[str, str],
                 maps: _Maps | None) -> None:
        from transpiler.fs.modules import module_root
        from transpiler.toolchain import gocmd

        self.go, self.lowered, self.texts, self.maps = go, lowered, texts, maps
        self.directory = directory = os.path.dirname(os.path.abspath(paths[0]))
        self.names = {os.path.abspath(p): p for p in paths}
        self.problem: str | None = None
        self.replay: vetreplay.Replay | None = None
        for entry in os.scandir(directory):
            if entry.name.endswith(".go") and not entry.is_file():
                # go would wait on a FIFO forever (the checker itself refuses to read one)
                self.problem = f"{os.path.join(directory, entry.name)}: not a regular file"
                return
        # outside a module, go vets named files (the package command-line-arguments)
        self.targets = ["."] if module_root(directory) is not None else [os.path.basename(p) for p in sorted(self.names)]
        self.program = helper(go)
        self.by_name = {os.path.basename(_output_name(src)): (src, text) for src, text in lowered.items()}
        self.headers = {name: vetreplay.header_digest(text) for name, (_src, text) in self.by_name.items()}
        self.replayable = vetreplay.replayable(lowered)
        self.replay_key = vetreplay.key(self.program, directory, self.targets, self.replayable)
        self.stored: dict[str, str] = {}  # absolute .tgo path -> the file holding its lowering
        self.by_file: dict[str, tuple[str, str]] = {}  # a file go reads -> (source name, lowered text)
        for src, text in lowered.items():
            cached = gocmd.store_output(text)
            self.stored[os.path.abspath(src)] = cached
            self.by_file[cached] = self.by_file[os.path.abspath(_output_name(src))] = (src, text)
        self.kept = vetreplay.load(self.replay_key, self.headers)
        if self.kept is not None and not self.kept.refused:
            self.replay = vetreplay.start(self.kept, self.program, {
                name: self.stored[os.path.abspath(src)] for name, (src, _t) in self.by_name.items()})

    def cancel(self) -> None:
        """Kill the program if it runs (the check given up)."""
        if self.replay is not None:
            self.replay.cancel()

    def finish(self) -> tuple[list[Diagnostic], str | None, vetreplay.Entry | None]:
        if self.problem is not None:
            return [], self.problem, None
        kept, by_name, stored, by_file = self.kept, self.by_name, self.stored, self.by_file
        stderr = self.replay.wait() if self.replay is not None else None
        returncode = 0 if stderr is not None and _PREFIX not in stderr else 1
        if stderr is None:
            from transpiler.toolchain import gocmd

            # (a refused entry: checked through go vet, without recording)
            record = kept is None or not kept.refused
            directory, targets = self.directory, self.targets
            with vetreplay.recording() as record_dir:
                if record and by_name:
                    # go vet keeps the program's answer for a package it has seen: one file is given
                    # with a comment line appended, so that it runs the program, which records
                    first = min(by_name)
                    src, text = by_name[first]
                    stored[os.path.abspath(src)] = marked = gocmd.store_output(vetreplay.marker(text))
                    by_file[marked] = (src, text)
                prep = gocmd.prepare("vet", ["-C", directory, f"-vettool={self.program}", *targets],
                                     given={directory: stored})
                if prep.problems or prep.blocked:
                    why = prep.problems[0][1] if prep.problems else "a package it imports has errors"
                    return [], why, None
                # (go vet and the program with Go's collector as tgo runs its tools: the program
                # keeps the package's trees and types; a third less CPU on a 1 MB file's lowering)
                env = tool_environ(sum(len(text) for text in self.lowered.values()))
                if record:
                    env[vetreplay.RECORD_ENV] = record_dir
                proc = run_bounded(prep.argv, "go vet", GO_VET_TIMEOUT, cwd=directory, env=env)
                stderr, returncode = proc.stderr, proc.returncode
                if record:
                    kept = None
                    if returncode in (0, 1) and vetreplay.only_findings(stderr):
                        outputs = {stored[os.path.abspath(src)]: name for name, (src, _t) in by_name.items()}
                        overlay = next((a[len("-overlay="):] for a in prep.argv if a.startswith("-overlay=")), None)
                        if len(outputs) == len(by_name):
                            kept = vetreplay.store(self.replay_key, vetreplay.recorded(record_dir), outputs,
                                                   self.headers, self.go, directory, targets, overlay, list(stored),
                                                   refuse=not self.replayable)
        return self._found(stderr, returncode, kept)

    def _found(self, stderr: str, returncode: int,
               kept: vetreplay.Entry | None) -> tuple[list[Diagnostic], str | None, vetreplay.Entry | None]:
        found: list[Diagnostic] = []
        for line in stderr.splitlines():
            if line.startswith(_PREFIX):
                try:
                    rec = json.loads(line[len(_PREFIX):])
                    raw, row, col, message = str(rec["file"]), int(rec["line"]), int(rec["column"]), str(rec["message"])
                except (ValueError, KeyError, TypeError):
                    continue
            else:
                m = _GO_POSITION.match(line)
                if m is None:
                    continue
                raw, row, col, message = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)
            full = os.path.normpath(os.path.join(self.directory, raw))
            d = _diagnostic(full, row, col, message.lstrip("\t"), self.by_file, self.names, self.texts, self.maps)
            if message.startswith("\t") and found:
                # a continuation of the error before it (go/types: "\tother declaration of X"),
                # which the compiler prints indented below it: said in that error's message
                where = f" at {os.path.basename(d.file)}:{d.line}:{d.column}" if d is not None else ""
                said = f"{found[-1].message} ({message.strip()}{where})"
                found[-1] = replace(found[-1], message=said, fields=(("message", said),))
            elif d is not None:
                found.append(d)
        if returncode != 0 and not found and not any(ln.startswith(_PREFIX) for ln in stderr.splitlines()):
            first = next((ln for ln in stderr.splitlines() if ln.strip() and not ln.startswith("#")), "")
            if first:
                return [], f"go vet: {first.strip()}", None
        return found, None, kept


def _output_name(src: str) -> str:
    from transpiler.lower.naming import output_name

    return output_name(src)


def _diagnostic(full: str, row: int, col: int, message: str, by_file: dict[str, tuple[str, str]],
                names: dict[str, str], texts: dict[str, str],
                maps: _Maps | None = None) -> Diagnostic | None:
    """A ``go`` diagnostic at a position go reported, in the package's own files; None elsewhere.
    A lowered file's source map gives the position (see ``mapped_position``)."""
    if full in by_file:
        src, text = by_file[full]
        sm = maps.get(src) if maps is not None else None
        if sm is not None and sm.go.text == text:
            line, col = _through_map(sm, row, col)
        else:  # (a damaged record: where the directives place it)
            line, col = map_position(text, texts.get(src, ""), row, col)
    elif full in names:
        src, line = names[full], row
    else:
        return None
    source = texts.get(src, "").split("\n")
    end = col
    if 0 < line <= len(source):
        data = source[line - 1].encode()
        m = _WORD.match(data, col - 1) if 0 < col <= len(data) else None
        end = col + (len(m.group()) if m else 0)
    return Diagnostic.make(M.GO_ERROR, src, (line, col), (line, end), None, {"message": message})


def mapped_position(lowered: LoweredFile, row: int, col: int) -> tuple[int, int]:
    """The source line and column of (``row``, byte ``col``) in ``lowered``'s Go, through its source
    map: exact where the map has the position; else (text the lowering wrote) where the
    directives place it, as go itself reports it (``map_position``)."""
    return _through_map(lowered.source_map, row, col)


def _through_map(sm: SourceMap, row: int, col: int) -> tuple[int, int]:
    at = sm.to_tgo(sm.go.offset(row, col))
    if at is not None:
        return sm.tgo.position(at)
    return map_position(sm.go.text, sm.tgo.text, row, col)


def map_position(lowered: str, source: str, row: int, col: int) -> tuple[int, int]:
    """The source line and column of (``row``, ``col``) in lowered Go, read through its ``//line``
    and ``/*line*/`` directives as go reads them (the lowering places every token of source
    text at its line and column with them); where they leave the column unknown, the source
    line's first non-blank column."""
    positions = GoPositions(lowered)
    go = positions.source
    if not 0 < row <= go.line_count:
        return row, col
    _, line, column = positions.at(go.offset(row, col))
    if column:
        return line, column
    src = SourceFile("", source)
    if not 0 < line <= src.line_count:
        return line, 1
    text = src.line_text(line)
    return line, len(text.encode()) - len(text.lstrip().encode()) + 1
