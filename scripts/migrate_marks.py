#!/usr/bin/env python3
"""The marks ``tgo migrate`` left in migrated trees, by kind: each ignore line taken out (in memory), the package checked again, each finding classified.

For every directory with ``.tgo`` files under each ROOT, the files are checked with the
migration's ignore lines (``//tgo:ignore[...]``) removed; each error found is what one
of those ignores silenced. Dropped errors are classified by their line (an explicit
``_`` for the error, a ``Write``-style call, a ``Close``, another call); nil findings by
their expression (a call's result used right away, an expression the function
dereferenced before on the same name without assigning it since, the ``nil`` literal, an
element of a map or slice, a use after a nil check whose branch does not stop, a
variable or field path declared nullable, a literal or zero value leaving a non-nil
field nil (of the package's own struct or another package's), ``make`` of non-nil
elements, other: ``nil_kind``), and all by test or non-test file. ``!`` marks are not counted here (the summary of ``tgo migrate``
counts them). Run it with the Python that has tgo installed, on the trees
``scripts/migrate_realmods.py --work DIR`` keeps (``DIR/*/tgo``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

_IGNORE = re.compile(r"^[ \t]*//tgo:ignore\[[^\]]+\].*\n", re.MULTILINE)


def error_kind(line: str) -> str:
    """The kind of a dropped error, from its line."""
    s = line.strip()
    if re.search(r",\s*_\s*:?=|^_\s*(,\s*_)*\s*:?=", s):
        return "error: explicit _ for the error (v, _ := f())"
    if re.search(r"\.(Write|WriteString|WriteByte|WriteRune)\(|fmt\.Fprint|io\.WriteString", s):
        return "error: Write-style call (w.Write, fmt.Fprint*, io.WriteString)"
    if re.search(r"\.Close\(\)", s):
        return "error: Close()"
    return "error: another call"


def dereferenced_before(text: str, start: int, pos: int, expr: str) -> bool:
    """Whether ``expr`` is dereferenced (``expr.``, ``expr[``) in ``text[start:pos]`` and not
    assigned after its first dereference there (a textual estimate)."""
    seg = text[start:pos]
    e = re.escape(expr)
    uses = [m.end() for m in re.finditer(r"(?<![\w.])" + e + r"(\.|\[)", seg)]
    if not uses:
        return False
    assigns = [m.start() for m in re.finditer(r"(?<![\w.])" + e + r"\s*(,[^=\n]*)?:?=[^=]", seg)]
    return not any(a > uses[0] for a in assigns)


def nil_kind(code: str, message: str, expr: str, deref_before: bool) -> str:
    """The kind of a nil finding, from its code, message and expression (``deref_before``: the
    function dereferenced the same name before, without assigning it since)."""
    if code == "nil-init":
        if "fills the slice with nil" in message:
            return "make([]T, n) of non-nil elements"
        m = re.search(r"(?:^new of |^the zero value of |^)(\S+) (?:literal )?leaves non-nil field", message)
        if m is not None:
            own = "." not in m.group(1).split("{", 1)[0]
            return "a literal or zero value leaves a non-nil field nil" + \
                ("" if own else " (a struct of another package)")
        return "other"
    if expr.endswith(")") and "(" in expr:
        return "a call's result used right away"
    if deref_before:
        return "dereferenced before in the function (same name, not assigned since)"
    if expr == "nil":
        return "the nil literal passed or assigned"
    if "is not known to stop" in message:
        return "after a nil check whose branch does not stop (t.Errorf, a logger)"
    if expr.endswith("]"):
        return "a map or slice element (m[k] is nullable)"
    if " has type ?" in message or " may be nil where" in message:
        return ("a field path" if "." in expr else "a variable or parameter") + " declared nullable"
    return "other"


def classify(roots: Sequence[str]) -> Counter[tuple[str, str]]:
    """(kind, test or non-test) -> how many findings the ignores under ``roots`` silence."""
    from transpiler.check.snapshot import Session
    from transpiler.diagnostics.codes import Severity

    found: Counter[tuple[str, str]] = Counter()
    session = Session()
    for root in roots:
        for d in sorted({p.parent for p in Path(root).rglob("*.tgo")}):
            stripped = {str(f): _IGNORE.sub("", f.read_text()) for f in sorted(d.glob("*.tgo"))}
            for dg in session.snapshot(stripped).diagnose_package(str(d)).diagnostics:
                if dg.severity is not Severity.ERROR or dg.file not in stripped:
                    continue
                where = "test" if dg.file.endswith("_test.tgo") else "non-test"
                text = stripped[dg.file]
                if dg.code == "unchecked-error":
                    found[(error_kind(text.split("\n")[dg.line - 1]), where)] += 1
                    continue
                kind = "other"
                if dg.span is not None:
                    expr = text[dg.span[0]:dg.span[1]]
                    func = max(text.rfind("\nfunc ", 0, dg.span[0]), 0)
                    kind = nil_kind(dg.code, dg.message, expr, dereferenced_before(text, func, dg.span[0], expr))
                found[(f"{dg.code}: {kind}", where)] += 1
    return found


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    ap.add_argument("roots", nargs="+", help="migrated trees")
    args = ap.parse_args(argv)
    found = classify(args.roots)
    for (kind, where), n in sorted(found.items()):
        print(f"{n:6d}  {where:8s}  {kind}")
    print(f"{sum(found.values()):6d}  total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
