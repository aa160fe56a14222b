"""The ``// want:`` harness for checker tests, after Go's analysistest (spec §8).

A test source states the diagnostics it expects inline: a comment ``// want: code``
or ``// want: code, code`` at the end of the line where each is expected to start.
The want clause is always the last thing on its line: either a ``//`` comment of
its own or the tail of the line's last ``//`` comment, which is how
``x := f() //tgo:ignore[nil-deref] // want: unused-ignore`` scans (a ``//`` comment
runs to the end of the line, so that is one comment, whose directive part is
``//tgo:ignore[nil-deref]`` and whose ``// want:`` part is the test's).  A want
comment never starts with ``//tgo:ignore``, so it is never taken for a directive.
Wants are found with the scanner, so ``"// want: x"`` inside a string is not one.

``assert_wants(diags, files)`` fails with every unexpected diagnostic and every
unmet want listed, each with its source line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from transpiler.diagnostics.codes import CODES
from transpiler.diagnostics.diagnostic import Diagnostic
from transpiler.syntax.scanner import scan
from transpiler.syntax.source import SourceFile

_WANT = re.compile(r"//[ \t]*want:(.*)\Z", re.DOTALL)
_NAME = re.compile(r"[a-z][a-z0-9-]*\Z")


def wants(source_text: str) -> dict[int, list[str]]:
    """The codes wanted on each 1-based line of ``source_text``; a malformed want raises ValueError."""
    src = SourceFile("<want>", source_text)
    out: dict[int, list[str]] = {}
    for c in scan(source_text).comments:
        if not c.text.startswith("//"):
            continue
        m = _WANT.search(c.text)
        if m is None:
            continue
        line = src.position(c.pos)[0]
        names = [n.strip() for n in m.group(1).strip().split(",")]
        for name in names:
            if not _NAME.match(name):
                raise ValueError(f"line {line}: bad want comment {c.text[m.start():]!r}: {name!r} is not a code name")
            if name not in CODES:
                raise ValueError(f"line {line}: want comment names an unknown code {name!r}")
        out.setdefault(line, []).extend(names)
    return out


def assert_wants(diags: Iterable[Diagnostic], files: dict[str, str]) -> None:
    """Every diagnostic is wanted and every want met; otherwise AssertionError listing the difference.

    ``files`` maps each file name (as the diagnostics give it) to its source text.
    """
    __tracebackhide__ = True
    expected: Counter[tuple[str, int, str]] = Counter()
    for name, text in files.items():
        for line, names in wants(text).items():
            for code in names:
                expected[(name, line, code)] += 1
    unexpected: list[Diagnostic] = []
    for d in sorted(diags, key=Diagnostic.sort_key):
        key = (d.file, d.line, d.code)
        if expected[key] > 0:
            expected[key] -= 1
        else:
            unexpected.append(d)
    unmet = sorted(key for key, n in expected.items() for _ in range(n))
    if not unexpected and not unmet:
        return
    sources = {name: SourceFile(name, text) for name, text in files.items()}
    report = ["diagnostics and // want: comments disagree"]
    if unexpected:
        report.append("unexpected diagnostics:")
        for d in unexpected:
            report.append(f"  {d.file}:{d.line}:{d.column}: {d.code}: {d.message}")
            report.extend(_quote(sources.get(d.file), d.line))
    if unmet:
        report.append("unmet wants:")
        for file, line, code in unmet:
            report.append(f"  {file}:{line}: {code}")
            report.extend(_quote(sources.get(file), line))
    raise AssertionError("\n".join(report))


def _quote(src: SourceFile | None, line: int) -> list[str]:
    if src is None or not 1 <= line <= src.line_count:
        return []
    return [f"      | {src.line_text(line).strip()}"]
