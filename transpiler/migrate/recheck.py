"""Checking a package again with some conversions applied: the diagnostics they would add (Go's own type errors included)."""

from __future__ import annotations

from collections import Counter

from transpiler.check.snapshot import PackageCheck, Session
from transpiler.diagnostics import Diagnostic
from transpiler.diagnostics.fix import TextEdit, apply_file_edits


class Recheck:
    """Checks of one package with some conversions applied, against the package as it is
    (checked once, on the first question: Go's own type check makes a check cost a second)."""

    def __init__(self, check: PackageCheck) -> None:
        self.check = check
        self.paths = [r.source.name for r in check.parsed]
        self._before: list[Diagnostic] | None = None

    def _diagnostics(self, texts: dict[str, str]) -> list[Diagnostic]:
        from transpiler.toolchain import gotypes

        snapshot = Session().snapshot(texts)
        return snapshot.check_files(self.paths, use_cache=False, go_check=gotypes.check).diagnostics

    def added(self, edits: list[TextEdit]) -> list[Diagnostic]:
        """The diagnostics the package has with ``edits`` applied that it did not have before
        (compared by file, code and message, since the edits move positions), Go's own type
        errors included: empty when the converted package checks and builds as well as the
        original."""
        texts = {r.source.name: r.source.text for r in self.check.parsed}
        if self._before is None:
            self._before = self._diagnostics(texts)
        texts.update(apply_file_edits(texts, edits))
        seen = Counter((d.file, d.code, d.message) for d in self._before)
        out: list[Diagnostic] = []
        for d in self._diagnostics(texts):
            k = (d.file, d.code, d.message)
            if seen[k] > 0:
                seen[k] -= 1
            else:
                out.append(d)
        return out
