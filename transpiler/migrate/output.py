"""What ``tgo migrate`` shows and writes: the unified diff, the summary table, the version-control guard, the renaming writer."""

from __future__ import annotations

import difflib
import os
import subprocess
from collections.abc import Iterable

from transpiler.fs.write import write_atomic
from transpiler.migrate.pipeline import FileMigration, PackageMigration


def unified_diff(fm: FileMigration) -> str:
    """The change of one file as a unified diff from ``x.go`` to ``x.tgo``."""
    diff = difflib.unified_diff(fm.original.splitlines(keepends=True), fm.text.splitlines(keepends=True),
                                fromfile=fm.go_path, tofile=fm.tgo_path)
    out = []
    for line in diff:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    if not out:  # a rename alone
        out = [f"--- {fm.go_path}\n", f"+++ {fm.tgo_path}\n"]
    return "".join(out)


def summary(packages: Iterable[PackageMigration]) -> str:
    """The table of what was added per file (``?``, ``!``, ignores of unproven nil uses and of
    dropped errors), with a total line."""
    rows: list[tuple[str, ...]] = [("file", "lines", "?", "!", "ignore", "ignore-err", "ms")]
    total = [0, 0, 0, 0, 0]
    seconds = 0.0
    for pkg in packages:
        if not pkg.ok:
            continue
        for f in pkg.files:
            name = f.tgo_path + (" (oblivious)" if f.oblivious else "")
            counts = [f.lines, f.nullable, f.asserted, f.ignored, f.errors_ignored]
            rows.append((name, *(str(c) for c in counts), f"{f.seconds * 1000:.0f}"))
            total = [a + b for a, b in zip(total, counts, strict=True)]
            seconds += f.seconds
    rows.append(("total", *(str(c) for c in total), f"{seconds * 1000:.0f}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip() + "\n")
    return "".join(lines)


def uncommitted(paths: list[str]) -> dict[str, str]:
    """The files of ``paths`` that git holds changes of not committed (modified, staged,
    untracked), each with git's two-letter status; files outside a git work tree are
    not under version control and never listed."""
    out: dict[str, str] = {}
    by_dir: dict[str, list[str]] = {}
    for p in paths:
        by_dir.setdefault(os.path.dirname(os.path.abspath(p)), []).append(os.path.abspath(p))
    for directory, files in by_dir.items():
        try:
            top = subprocess.run(["git", "-C", directory, "rev-parse", "--show-toplevel"], capture_output=True,
                                 text=True, timeout=60)
            if top.returncode != 0:
                continue
            root = top.stdout.strip()
            st = subprocess.run(["git", "-C", directory, "status", "--porcelain=v1", "-z", "--untracked-files=all",
                                 "--", "."], capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if st.returncode != 0:
            continue
        changed: dict[str, str] = {}
        entries = st.stdout.split("\0")
        i = 0
        while i < len(entries):
            entry = entries[i]
            i += 1
            if len(entry) < 4:
                continue
            code, name = entry[:2], entry[3:]
            if code[0] in "RC":
                i += 1  # the rename's source path follows
            changed[os.path.realpath(os.path.join(root, name))] = code
        for f in files:
            status = changed.get(os.path.realpath(f))
            if status is not None:
                out[f] = status
    return out


def write_migrated(fm: FileMigration) -> None:
    """Write ``x.tgo`` (atomically, with ``x.go``'s mode), then remove ``x.go``: at every
    moment one of the two holds the code. Raises ``FileExistsError`` when ``x.tgo`` exists,
    ``OSError``."""
    if os.path.lexists(fm.tgo_path):
        raise FileExistsError(17, "File exists", fm.tgo_path)
    import stat

    mode = stat.S_IMODE(os.stat(fm.go_path).st_mode)
    write_atomic(fm.tgo_path, fm.text.encode("utf-8"), mode=mode)
    os.unlink(fm.go_path)
