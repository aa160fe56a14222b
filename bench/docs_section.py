"""Writing a benchmark's section of docs/benchmarks.md, shared by the bench scripts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def replace_section(heading: str, text: str, docs: Path = DOCS) -> None:
    """Replace the section under ``heading`` (up to the next ``## `` heading), or append it."""
    old = docs.read_text() if docs.exists() else "# Benchmarks\n\n"
    lines = old.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == heading), None)
    if start is None:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        tail = "".join(lines[end:])
        new = "".join(lines[:start]) + text + ("\n" + tail if tail else "")
    docs.parent.mkdir(parents=True, exist_ok=True)
    docs.write_text(new)


def without_notes(argv: Sequence[str]) -> list[str]:
    """A command line without its ``--note`` arguments (the notes are listed in the docs anyway)."""
    out: list[str] = []
    skip = False
    for a in argv:
        if skip:
            skip = False
        elif a == "--note":
            skip = True
        elif not a.startswith("--note="):
            out.append(a)
    return out
