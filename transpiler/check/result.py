"""What checking a package gives: its diagnostics, typed-expression counts, per-file results, Go's own check's outcome."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from transpiler.diagnostics import Diagnostic
from transpiler.syntax.source import SourceFile

if TYPE_CHECKING:
    from transpiler.check.checker import FileInfo, PackageChecker


class CheckCancelled(Exception):
    """A check given up because its caller no longer wants it (``cancel``: a newer edit)."""


# (plain classes, not dataclasses: a dataclass is made when the module is loaded, on the path
# of every check; values compared by their fields, as the dataclasses were)
class FileResult:
    """One file's part of a package's result: its diagnostics, and the expressions its
    function bodies typed and left untyped."""

    __slots__ = ("diagnostics", "lowered", "noreturn", "typed", "untyped")

    def __init__(self, diagnostics: list[Diagnostic], typed: int, untyped: int, noreturn: str = "",
                 lowered: str | None = None) -> None:
        self.diagnostics = diagnostics
        self.typed = typed
        self.untyped = untyped
        # the package's functions found never to return (noreturn.infer, from every file's bodies)
        # when this result was made: it is reused only while they are the same
        self.noreturn = noreturn
        self.lowered = lowered  # a .tgo file's lowering for Go's own check (gotypes.record: Go text and map)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileResult) and (
            self.diagnostics, self.typed, self.untyped, self.noreturn, self.lowered) == (
            other.diagnostics, other.typed, other.untyped, other.noreturn, other.lowered)

    def __repr__(self) -> str:
        return (f"FileResult(diagnostics={self.diagnostics!r}, typed={self.typed!r}, untyped={self.untyped!r}, "
                f"noreturn={self.noreturn!r}, lowered={self.lowered!r})")


class GoOutcome:
    """What Go's own type check of a package gave (``GoCheck``): its ``go`` diagnostics, the
    .tgo files' lowerings (``gotypes.record``), why the check could not run (``note``), the
    files its result depends on beyond the checker's that a process checks again (the go
    binary), and the records (``caches.dependency_records``) of everything Go's answer came
    from (the go binary, the standard library's and every dependency's sources, module files:
    the kept go vet configuration's, ``vetreplay.py``) with the files that must stay missing
    (``absent``); ``records`` is None when they are not known (the result is not kept on disk)."""

    __slots__ = ("absent", "dependencies", "diagnostics", "lowered", "note", "records")

    def __init__(self, diagnostics: list[Diagnostic] | None = None, lowered: dict[str, str] | None = None,
                 note: str | None = None, dependencies: list[str] | None = None,
                 records: list[list[object]] | None = None, absent: list[str] | None = None) -> None:
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics
        self.lowered: dict[str, str] = {} if lowered is None else lowered
        self.note = note
        self.dependencies: list[str] = [] if dependencies is None else dependencies
        self.records = records
        self.absent: list[str] = [] if absent is None else absent


class GoStarted:
    """Go's own check of a package, started (``GoCheck``): the .tgo files' lowerings
    (``gotypes.record``) it was started on (``lowerings``, made when first asked for), ``wait``
    for its outcome (once), or ``cancel`` it (a check given up: nothing it started is left
    running)."""

    __slots__ = ("_cancel", "_lowerings", "_made", "_wait")

    def __init__(self, lowerings: Callable[[], dict[str, str]], wait: Callable[[], GoOutcome],
                 cancel: Callable[[], None] | None = None) -> None:
        self._lowerings, self._wait, self._cancel = lowerings, wait, cancel
        self._made: dict[str, str] | None = None

    @staticmethod
    def done(outcome: GoOutcome) -> GoStarted:
        """A check whose outcome is known at its start."""
        return GoStarted(lambda: outcome.lowered, lambda: outcome)

    def lowerings(self) -> dict[str, str]:
        if self._made is None:
            self._made = self._lowerings()
        return self._made

    def wait(self) -> GoOutcome:
        return self._wait()

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel()


# Go's own check of a checked package (transpiler/toolchain/gotypes.py), started: the package's
# paths, the checker and its files, the lowerings (gotypes.record) of the files whose bodies
# were not checked again, and ``early``: the bodies are not checked yet (declared and resolved
# only), so it starts only when no file's lowering reads what their check records (None: call
# it again once they are checked).
GoCheck = Callable[[list[str], "PackageChecker", "list[FileInfo]", Mapping[str, str], bool], "GoStarted | None"]


class CheckResult:
    """A package's check: its diagnostics, the expressions typed and left untyped, the files
    that could not be read, the sources (for reports), the files checked and, with Go's own
    check asked for, why it could not run."""

    __slots__ = ("diagnostics", "files", "go_note", "io_errors", "sources", "typed", "untyped")

    def __init__(self, diagnostics: list[Diagnostic] | None = None, typed: int = 0, untyped: int = 0,
                 io_errors: list[tuple[str, str]] | None = None, sources: dict[str, SourceFile] | None = None,
                 files: dict[str, FileResult] | None = None, go_note: str | None = None) -> None:
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics
        self.typed = typed
        self.untyped = untyped
        self.io_errors: list[tuple[str, str]] = [] if io_errors is None else io_errors
        self.sources: dict[str, SourceFile] = {} if sources is None else sources
        self.files: dict[str, FileResult] = {} if files is None else files  # the files checked (not reused)
        self.go_note = go_note  # why Go's own errors were not checked (go_check given)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CheckResult) and (
            self.diagnostics, self.typed, self.untyped, self.io_errors, self.sources, self.files, self.go_note) == (
            other.diagnostics, other.typed, other.untyped, other.io_errors, other.sources, other.files, other.go_note)

    @property
    def coverage(self) -> float:
        total = self.typed + self.untyped
        return self.typed / total if total else 1.0
