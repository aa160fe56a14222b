#!/usr/bin/env python3
"""Two builds of tgo side by side: parse, check, lower and warm build, interleaved in one run.

A restructuring must not make tgo slower. This benchmark takes two installed
``tgo`` commands (``--a`` and ``--b``, e.g. ``.venv/bin/tgo-py`` of two
checkouts) and times fresh processes of each, alternating A, B, A, B... for
``--rounds`` rounds, so that both see the same machine load:

* **parse**: ``tgo parse`` of a fixed sample of the GOROOT sources (``--parse-files``
  files by a fixed seed), one process;
* **check**: ``tgo check`` of the synthetic 50,000-line package of
  ``bench/check_bench.py`` (generated once, ``--generate-only``) with an empty
  result cache (each round gets a new cache directory; the parser table is
  copied in first, so only checking is timed), Go's own errors included;
* **check (warm)**: the same check again with the cache warm, unchanged;
* **lower**: ``tgo gen --stdout --no-check`` of the synthetic package;
* **warm build**: ``tgo build -o DIR/ ./cmd/...`` of examples/evaluator, the
  caches warm (both built twice first).

``--only TASK`` times some of them (e.g. ``--only parse``).

For each, the median wall time and CPU time (user + system of the process and
its children) of each build and the ratio B / A. Prints a markdown table;
``--write-docs`` rewrites the ``## A/B: two builds`` section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from bench.docs_section import replace_section, without_notes  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def _timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode


def _sample(count: int) -> list[str]:
    root = Path(subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip())
    files = sorted(str(p) for p in (root / "src").rglob("*.go") if "testdata" not in p.parts)
    return sorted(random.Random(0).sample(files, min(count, len(files))))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--a", required=True, help="the first tgo (e.g. ../base/.venv/bin/tgo-py)")
    ap.add_argument("--b", required=True, help="the second tgo")
    ap.add_argument("--a-name", default="A")
    ap.add_argument("--b-name", default="B")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--parse-files", type=int, default=400)
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--note", action="append", default=[])
    ap.add_argument("--only", action="append", default=[], metavar="TASK",
                    help="time only this task (a name of the table's first column, e.g. parse); repeatable")
    args = ap.parse_args()
    if args.only and args.write_docs:
        ap.error("--write-docs writes the whole table: not with --only")
    tgos = {"A": os.path.abspath(args.a), "B": os.path.abspath(args.b)}
    with tempfile.TemporaryDirectory(prefix="tgo-ab-") as tmp:
        base = Path(tmp)
        synth = base / "synth"
        subprocess.run([sys.executable, str(REPO / "bench" / "check_bench.py"), "--generate-only", "--keep", str(synth)],
                       check=True, stdout=subprocess.DEVNULL)
        evaluator = base / "evaluator"
        shutil.copytree(REPO / "examples" / "evaluator", evaluator)
        files = _sample(args.parse_files)
        lines = sum(Path(f).read_text(errors="replace").count("\n") for f in files)
        synth_lines = sum(p.read_text().count("\n") for p in synth.rglob("*.tgo"))
        env0 = dict(os.environ)
        warm = {k: base / f"cache-{k}" for k in tgos}
        tasks: dict[str, list[str]] = {
            "parse": ["parse", *files],
            "check (empty result cache)": ["check", "."],
            "check (warm, unchanged)": ["check", "."],
            "lower": ["gen", "--stdout", "--no-check", "."],
            "warm build": ["build", "-o", "OUT/", "./cmd/..."],
        }
        if args.only:
            unknown = sorted(set(args.only) - set(tasks))
            if unknown:
                ap.error(f"unknown task {', '.join(unknown)}; the tasks: {', '.join(tasks)}")
            tasks = {t: argv for t, argv in tasks.items() if t in args.only}
        for k, tgo in tgos.items():  # warm the parser table, the build caches and bytecode
            env = dict(env0, TGO_CACHE_DIR=str(warm[k]))
            for _ in range(2):
                _timed([tgo, "parse", files[0]], base, env)
                if "warm build" in tasks:
                    _timed([tgo, "build", "-o", str(base / f"out-{k}") + "/", "./cmd/..."], evaluator, env)
                if any(t.startswith("check") for t in tasks):
                    _timed([tgo, "check", "."], synth, env)
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for r in range(args.rounds):
            for task, argv in tasks.items():
                for k in (("A", "B") if r % 2 == 0 else ("B", "A")):
                    cwd = evaluator if task == "warm build" else (base if task == "parse" else synth)
                    cache = warm[k]
                    if task.startswith("check (empty"):
                        cache = base / f"cold-{k}-{r}"
                        cache.mkdir()
                        for entry in warm[k].glob("parser-*.marshal"):  # the parser table only
                            shutil.copy2(entry, cache / entry.name)
                    env = dict(env0, TGO_CACHE_DIR=str(cache))
                    cmd = [tgos[k], *[a.replace("OUT", str(base / f"out-{k}")) for a in argv]]
                    wall, cpu, rc = _timed(cmd, cwd, env)
                    if rc not in (0, 1):
                        print(f"{task} ({k}): exit {rc}", file=sys.stderr)
                    times.setdefault((task, k), []).append((wall, cpu))
    rows = ["| task | A wall | B wall | B / A wall | A CPU | B CPU | B / A CPU |", "|---|---|---|---|---|---|---|"]
    for task in tasks:
        a = times[(task, "A")]
        b = times[(task, "B")]
        aw, bw = statistics.median(w for w, _ in a), statistics.median(w for w, _ in b)
        ac, bc = statistics.median(c for _, c in a), statistics.median(c for _, c in b)
        rows.append(f"| {task} | {aw * 1000:.0f} ms | {bw * 1000:.0f} ms | {bw / aw:.2f} | "
                    f"{ac * 1000:.0f} ms | {bc * 1000:.0f} ms | {bc / ac:.2f} |")
    table = "\n".join(rows)
    print(table)
    if args.write_docs:
        command = " ".join(["python", "bench/ab_bench.py", *without_notes(sys.argv[1:])])
        note_text = "".join(f"\n{n}\n" for n in args.note)
        text = (f"## A/B: two builds\n\n"
                f"A = {args.a_name}, B = {args.b_name}; {datetime.date.today()}, {platform.machine()}, "
                f"{os.cpu_count()} cores; median of {args.rounds} interleaved rounds of fresh processes. "
                f"parse: {len(files)} GOROOT files ({lines:,} lines); check and lower: the synthetic package of "
                f"check_bench.py ({synth_lines:,} lines); warm build: examples/evaluator `./cmd/...`.\n\n"
                f"{table}\n{note_text}\nCommand: `{command}`\n")
        replace_section("## A/B: two builds", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
