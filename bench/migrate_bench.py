#!/usr/bin/env python3
"""CPU seconds of ``tgo migrate -w ./...`` on real modules, two builds interleaved, and whether their outputs are the same.

For each pinned module (``scripts/realmods_compare.COMPARED``, or ``--modules``) and each
round, every build (``--tgo``, given once per build) migrates a fresh copy of the
module: its stub caches made first (``tgo check ./...`` in the build's own
``TGO_CACHE_DIR``, as ``scripts/migrate_realmods.py`` does), then ``tgo migrate -w
./...`` timed by the CPU seconds (user + system) of the process and its children
(``resource.getrusage``), which a loaded machine inflates far less than the wall clock.
The output compared: a digest of every ``.tgo`` file written and of what the command
printed (the summary's counts per file; its milliseconds apart) and its exit status;
builds whose outputs differ are reported. With ``--diffs``, each build also migrates a
fresh copy without ``-w`` (untimed) and what it prints (the unified diff of every file) is
compared byte for byte too; the files (``.tgo`` texts, the diff) that differ from the first
build's are named.

The builds run one after the other per module and round (A, B, A, B, ...), so that a
change of the machine's load falls on both. Lines per CPU second are over the lines of
the files migrated (the summary's total).

Example::

    python bench/migrate_bench.py --tgo /tmp/main-venv/bin/tgo --tgo .venv/bin/tgo \\
        --modules github.com/google/go-cmp github.com/BurntSushi/toml --rounds 2
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from scripts.realmods import copy_module  # noqa: E402
from scripts.realmods_compare import chosen_modules  # noqa: E402

# the summary's total line: lines, ?, !, ignores, dropped errors (then milliseconds, not compared)
_TOTAL = re.compile(r"^total\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s", re.MULTILINE)


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _digest(tree: Path, total: str, status: int) -> str:
    h = hashlib.sha256(f"{status}\n{total}\n".encode())
    for p in sorted(tree.rglob("*.tgo")):
        h.update(str(p.relative_to(tree)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _fresh_copy(source: Path, tree: Path) -> None:
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(source, tree, symlinks=True)
    for d, _dirs, files in os.walk(tree):
        os.chmod(d, 0o755)
        for f in files:
            os.chmod(os.path.join(d, f), 0o644)


def outputs(tree: Path, diff: bytes | None) -> dict[str, bytes]:
    """What a migration of ``tree`` gave, byte for byte: every ``.tgo`` file written (by its
    path in the tree) and, when given, the diff ``tgo migrate`` printed (``(diff)``)."""
    out = {str(p.relative_to(tree)): p.read_bytes() for p in sorted(tree.rglob("*.tgo"))}
    if diff is not None:
        out["(diff)"] = diff
    return out


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    """The names of ``outputs`` whose bytes differ (or that only one has)."""
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def run_once(tgo: str, source: Path, work: Path, cache: Path, timeout: float,
             diffs: bool = False) -> dict[str, object]:
    """One migration of a fresh copy of ``source`` by ``tgo``: CPU and wall seconds, lines,
    the digest of its output (with ``diffs``, also of what ``tgo migrate`` without ``-w``
    prints) and, under ``outputs``, that output byte for byte."""
    tree = work / "tree"
    _fresh_copy(source, tree)
    env = dict(os.environ, TGO_CACHE_DIR=str(cache), GOTOOLCHAIN="local")
    env.pop("GOFLAGS", None)
    subprocess.run([tgo, "check", "./..."], cwd=tree, env=env, capture_output=True, timeout=timeout, check=False)
    diff: bytes | None = None
    if diffs:
        printed = subprocess.run([tgo, "migrate", "./..."], cwd=tree, env=env, capture_output=True,
                                 timeout=timeout, check=False)
        diff = printed.stdout + f"\n(exit status {printed.returncode})\n".encode()
        _fresh_copy(source, tree)
    cpu0, wall0 = _children_cpu(), time.perf_counter()
    proc = subprocess.run([tgo, "migrate", "-w", "./..."], cwd=tree, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    cpu, wall = _children_cpu() - cpu0, time.perf_counter() - wall0
    m = _TOTAL.search(proc.stderr)
    total = " ".join(m.groups()) if m else ""
    lines = int(m.group(1)) if m else 0
    # (what it printed, each line's last number apart, the summary's milliseconds, and the
    # blanks: its columns are as wide as their widest number, milliseconds included)
    said = "\n".join(" ".join(w[:-1] if w and w[-1].isdigit() else w)
                      for w in (line.split() for line in proc.stderr.splitlines()))
    digest = _digest(tree, said, proc.returncode)
    if diff is not None:
        digest = hashlib.sha256(digest.encode() + diff).hexdigest()[:16]
    return {"cpu": cpu, "wall": wall, "lines": lines, "status": proc.returncode, "total": total,
            "digest": digest, "outputs": outputs(tree, diff)}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    ap.add_argument("--tgo", action="append", required=True, help="a build's tgo command (give two or more)")
    ap.add_argument("--modules", nargs="*", help="module paths or PATH@VERSION (default: every one of COMPARED)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--work", help="work directory (default: a temporary one, removed)")
    ap.add_argument("--json", help="write every run here")
    ap.add_argument("--diffs", action="store_true",
                    help="also compare what `tgo migrate` without -w prints (one more, untimed run per build)")
    args = ap.parse_args(argv)
    modules = chosen_modules(args.modules)
    if modules is None:
        return 2
    work = Path(args.work or tempfile.mkdtemp(prefix="tgo-migrate-bench-"))
    runs: list[dict[str, object]] = []
    status = 0
    try:
        for m in modules:
            source = copy_module(m, work / "src")
            by_build: dict[str, list[dict[str, object]]] = {}
            for rnd in range(args.rounds):
                for i, tgo in enumerate(args.tgo):
                    r = run_once(tgo, source, work / f"b{i}", work / f"cache{i}", args.timeout, args.diffs)
                    r.update(module=m.spec, build=tgo, round=rnd, load=os.getloadavg()[0])
                    runs.append(r)
                    by_build.setdefault(tgo, []).append(r)
                    print(f"{m.spec} [{i}] round {rnd}: cpu {r['cpu']:.2f} s, wall {r['wall']:.2f} s, "
                          f"{r['lines']} lines, digest {r['digest']}, load {r['load']:.1f}", file=sys.stderr, flush=True)
            digests = {str(r["digest"]) for rs in by_build.values() for r in rs}
            best = {t: min(float(str(r["cpu"])) for r in rs) for t, rs in by_build.items()}
            lines = int(str(runs[-1]["lines"]))
            cells = " | ".join(f"{c:.2f} ({lines / c:,.0f}/s)" for c in best.values())
            same = "same" if len(digests) == 1 else "DIFFERENT"
            if len(digests) != 1:
                status = 1
                first = next(iter(by_build.values()))[0]["outputs"]
                for tgo, rs in by_build.items():
                    for r in rs:
                        differ = differences(first, r["outputs"])  # type: ignore[arg-type]
                        if differ:
                            print(f"{m.spec}: {tgo} round {r['round']} differs from the first build in: "
                                  + ", ".join(differ), file=sys.stderr)
            print(f"| {m.spec} | {lines:,} | {cells} | {same} |", flush=True)
    finally:
        if args.json:
            kept = [{k: v for k, v in r.items() if k != "outputs"} for r in runs]
            Path(args.json).write_text(json.dumps(kept, indent=1))
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
