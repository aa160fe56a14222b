#!/usr/bin/env python3
"""Run the line-mapping checker over every package of a tree of Go code renamed to .tgo.

For each directory with ``.go`` files under ``--root`` (default ``$(go env
GOROOT)/src``; ``testdata`` and ``vendor`` skipped), in a pool of worker processes:
copy its ``.go`` files to a temporary directory as ``.tgo`` files (same names, same
bytes), lower the package with ``transpiler.lower.lower_package(check=False)`` and
run ``transpiler.lower.linemap.drifted_lines`` and ``drifted_columns`` on every output: a
line of the source that the lowered file places on another line, or a token of source
text it places at another column, is a drift. Files over ``--max-bytes``
are left out; a package that does not lower (a syntax error, a crash) is counted and
listed, not fatal.

Exit status: 0 when no line drifted and nothing crashed, 1 otherwise, 2 on a usage
error.

Examples::

    python scripts/linemap_corpus.py                          # all of GOROOT
    python scripts/linemap_corpus.py --root ~/go/pkg/mod/github.com/go-chi/chi/v5@v5.1.0
    python scripts/linemap_corpus.py --json /tmp/linemap.json --jobs 2
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field

SKIP = frozenset({"testdata", "vendor"})


@dataclass
class PackageResult:
    directory: str
    files: int = 0
    lines: int = 0
    lowered: int = 0
    drifted: dict[str, list[list[object]]] = field(default_factory=dict)
    problem: str | None = None


def package_dirs(root: str) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP and not d.startswith((".", "_")))
        if any(f.endswith(".go") for f in filenames):
            out.append(dirpath)
    return out


def check_package(directory: str, max_bytes: int) -> PackageResult:
    from transpiler.lower import lower_package
    from transpiler.lower.linemap import drifted_columns, drifted_lines

    res = PackageResult(directory)
    with tempfile.TemporaryDirectory(prefix="tgo-linemap-") as tmp:
        paths: list[str] = []
        for name in sorted(os.listdir(directory)):
            src = os.path.join(directory, name)
            if not name.endswith(".go") or not os.path.isfile(src) or os.path.getsize(src) > max_bytes:
                continue
            dst = os.path.join(tmp, name[: -len(".go")] + ".tgo")
            shutil.copyfile(src, dst)
            paths.append(dst)
            with open(src, "rb") as fh:
                res.lines += fh.read().count(b"\n")
        res.files = len(paths)
        if not paths:
            return res
        try:
            result = lower_package(paths, check=False)
        except Exception as exc:  # a crash is a finding, not the end of the run
            res.problem = "crash: " + "".join(traceback.format_exception_only(type(exc), exc)).strip()
            return res
        syntax = [d for d in result.diagnostics if d.code == "syntax"]
        if syntax:
            res.problem = f"syntax: {syntax[0].text()}"
        res.lowered = len(result.outputs)
        for path, lowered in result.files.items():
            with open(path, encoding="utf-8", errors="surrogateescape") as fh:
                source = fh.read()
            name = os.path.basename(path)
            found: list[tuple[object, ...]] = [
                *drifted_lines(source, lowered.text, name),
                *drifted_columns(source, lowered.text, name, lowered.wanted_positions()),
            ]
            if found:
                res.drifted[os.path.basename(path)[: -len(".tgo")] + ".go"] = [list(f) for f in found]
    return res


def _task(args: tuple[str, int]) -> PackageResult:
    return check_package(*args)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--root", help="the tree to check (default: $(go env GOROOT)/src)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--max-bytes", type=int, default=400_000, help="leave out larger files")
    ap.add_argument("--json", help="write every package's result here")
    args = ap.parse_args(argv)
    root = args.root
    if root is None:
        from transpiler.toolchain import goroot

        go_root = goroot()
        if go_root is None:
            print("no Go toolchain: give --root", file=sys.stderr)
            return 2
        root = os.path.join(go_root, "src")
    if not os.path.isdir(root):
        print(f"{root}: not a directory", file=sys.stderr)
        return 2
    dirs = package_dirs(root)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(_task, [(d, args.max_bytes) for d in dirs], chunksize=4))
    wall = time.perf_counter() - t0
    lowered = sum(r.lowered for r in results)
    drifted_files = sum(len(r.drifted) for r in results)
    drifted_lines_ = sum(len(v) for r in results for v in r.drifted.values())
    problems = [r for r in results if r.problem]
    crashes = [r for r in problems if (r.problem or "").startswith("crash")]
    print(f"root: {root}")
    print(f"packages: {len(results)}, files: {sum(r.files for r in results)}, "
          f"lines: {sum(r.lines for r in results)}, lowered files: {lowered}, {wall:.0f} s")  # fmt: skip
    print(f"files with drifted lines or columns: {drifted_files} ({drifted_lines_} lines or tokens)")
    for r in results:
        for name, found in sorted(r.drifted.items())[:3]:
            print(f"  {os.path.relpath(os.path.join(r.directory, name), root)}: {found[:3]}")
    print(f"packages not lowered: {len(problems)} (crashes: {len(crashes)})")
    for r in problems[:20]:
        print(f"  {os.path.relpath(r.directory, root)}: {r.problem}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump([asdict(r) for r in results], fh, indent=1)
    return 1 if drifted_files or crashes else 0


if __name__ == "__main__":
    sys.exit(main())
