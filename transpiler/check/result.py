"""What checking a package gives: its diagnostics, typed-expression counts, per-file results, Go's own check's outcome."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from transpiler.diagnostics import Diagnostic
from transpiler.syntax.source import SourceFile

if TYPE_CHECKING:
    from transpiler.check.checker import FileInfo, PackageChecker


class CheckCancelled(Exception):
    """A check given up because its caller no longer wants it (``cancel``: a newer edit)."""


@dataclass(slots=True)
class FileResult:
    """One file's part of a package's result: its diagnostics, and the expressions its
    function bodies typed and left untyped."""

    diagnostics: list[Diagnostic]
    typed: int
    untyped: int
    # the package's functions found never to return (noreturn.infer, from every file's bodies)
    # when this result was made: it is reused only while they are the same
    noreturn: str = ""
    lowered: str | None = None  # a .tgo file's lowering for Go's own check (gotypes.record: Go text and map)


@dataclass(slots=True)
class GoOutcome:
    """What Go's own type check of a package gave (``GoCheck``): its ``go`` diagnostics, the
    .tgo files' lowerings (``gotypes.record``), why the check could not run (``note``), the
    files its result depends on beyond the checker's that a process checks again (the go
    binary), and the records (``caches.dependency_records``) of everything Go's answer came
    from (the go binary, the standard library's and every dependency's sources, module files:
    the kept go vet configuration's, ``vetreplay.py``) with the files that must stay missing
    (``absent``); ``records`` is None when they are not known (the result is not kept on disk)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    lowered: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    dependencies: list[str] = field(default_factory=list)
    records: list[list[object]] | None = None
    absent: list[str] = field(default_factory=list)


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


@dataclass(slots=True)
class CheckResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    typed: int = 0
    untyped: int = 0
    io_errors: list[tuple[str, str]] = field(default_factory=list)
    sources: dict[str, SourceFile] = field(default_factory=dict)
    files: dict[str, FileResult] = field(default_factory=dict)  # the files checked (not reused)
    go_note: str | None = None  # why Go's own errors were not checked (go_check given)

    @property
    def coverage(self) -> float:
        total = self.typed + self.untyped
        return self.typed / total if total else 1.0
