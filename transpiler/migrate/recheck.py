"""Checking a package again with some conversions applied: the diagnostics they would add (Go's own type errors included)."""

from __future__ import annotations

from collections import Counter

from transpiler.check.snapshot import PackageCheck, Session
from transpiler.diagnostics import Diagnostic
from transpiler.diagnostics.fix import TextEdit, apply_edits


def added_diagnostics(check: PackageCheck, edits: list[TextEdit]) -> list[Diagnostic]:
    """The diagnostics the package of ``check`` has with ``edits`` applied that it did not have
    before (compared by file, code and message, since the edits move positions), Go's own
    type errors included: empty when the converted package checks and builds as well as the
    original."""
    from transpiler.toolchain import gotypes

    paths = [r.source.name for r in check.parsed]
    before = Session().snapshot({p: r.source.text for p, r in zip(paths, check.parsed, strict=True)})
    after_texts = {r.source.name: r.source.text for r in check.parsed}
    by_file: dict[str, list[TextEdit]] = {}
    for e in edits:
        by_file.setdefault(e.file, []).append(e)
    for path, file_edits in by_file.items():
        after_texts[path] = apply_edits(after_texts[path], file_edits)
    after = Session().snapshot(after_texts)
    old = before.check_files(paths, use_cache=False, go_check=gotypes.check).diagnostics
    new = after.check_files(paths, use_cache=False, go_check=gotypes.check).diagnostics
    seen = Counter((d.file, d.code, d.message) for d in old)
    out: list[Diagnostic] = []
    for d in new:
        k = (d.file, d.code, d.message)
        if seen[k] > 0:
            seen[k] -= 1
        else:
            out.append(d)
    return out
