#!/usr/bin/env python3
"""Parser benchmark: tgo's parser against gofmt on the Go standard library.

In one run, on the files ``scripts/parse_corpus.py`` checks (every ``.go`` file
under ``$(go env GOROOT)/src`` outside ``testdata``, or a fixed ``--sample``):

(a) ``gofmt -l`` over the file list, batched and run two at a time as
    ``find ... | xargs -0 -P2 gofmt -l`` does: wall time, and lines/s per core
    (lines over the CPU time gofmt used);
(b) tgo's ``parse_source`` in this one process (lines/s per process, parse
    time only, the parser table loaded beforehand), then in a pool over all
    cores (lines/s of wall time and per process); the ratio to gofmt per core;
(c) start-up: a fresh ``python -m transpiler parse FILE`` on a small file,
    median of 10 runs with the parser table cache warm; ``python -c pass``
    for reference;
(d) peak RSS of a fresh process parsing the largest corpus file.

Prints a markdown table; ``--write-docs`` rewrites the ``## Parser`` section of
docs/benchmarks.md with the figures, the date, the machine and the command.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from bench.docs_section import replace_section  # noqa: E402
from scripts.parse_corpus import (  # noqa: E402
    corpus_files,
    corpus_root,
    count_lines,
    go_version,
    run_corpus,
    sample_files,
)

DOCS = ROOT / "docs" / "benchmarks.md"
TARGET_LINES_PER_S = 15_000
TARGET_COLD_MS = 150.0
SMALL_EXAMPLE = ROOT / "examples" / "hello" / "main.tgo"
HELLO = """package main

import "fmt"

func main() {
\tfmt.Println("hello, world")
}
"""


@dataclass
class Figures:
    files: int = 0
    lines: int = 0
    bytes: int = 0
    corpus: str = ""
    gofmt_wall: float = 0.0
    gofmt_cpu: float = 0.0
    gofmt_listed: int = 0
    tgo_single_seconds: float = 0.0
    tgo_single_cpu: float = 0.0
    tgo_single_failures: int = 0
    pool_jobs: int = 0
    pool_wall: float = 0.0
    pool_parse_seconds: float = 0.0
    pool_parse_cpu: float = 0.0
    pool_failures: int = 0
    cold_command: str = ""
    cold_ms: list[float] = field(default_factory=list)
    python_pass_ms: list[float] = field(default_factory=list)
    import_ms: list[float] = field(default_factory=list)
    largest: str = ""
    largest_lines: int = 0
    largest_bytes: int = 0
    largest_rss_mb: float = 0.0
    largest_parse_s: float = 0.0
    small_rss_mb: float = 0.0
    load: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


# --- (a) gofmt ----------------------------------------------------------------------


def bench_gofmt(paths: Sequence[str], procs: int, fig: Figures) -> None:
    gofmt = shutil.which("gofmt")
    xargs = shutil.which("xargs")
    if gofmt is None or xargs is None:
        fig.notes.append("gofmt or xargs is missing: (a) not measured")
        return
    stdin = b"".join(p.encode() + b"\0" for p in paths)
    best: tuple[float, float] | None = None
    for _ in range(2):  # the better of two runs: the first also loads gofmt itself
        cpu0 = children_cpu()
        t0 = time.perf_counter()
        proc = subprocess.run([xargs, "-0", f"-P{procs}", gofmt, "-l"], input=stdin, capture_output=True)
        run = (time.perf_counter() - t0, children_cpu() - cpu0)
        if best is None or run[0] < best[0]:
            best = run
        fig.gofmt_listed = len(proc.stdout.splitlines())
        if proc.returncode != 0:
            fig.notes.append(f"gofmt exited {proc.returncode}: {proc.stderr.decode(errors='replace')[:200]}")
            break
    assert best is not None
    fig.gofmt_wall, fig.gofmt_cpu = best


# --- (b) tgo parse throughput ---------------------------------------------------------


def bench_single(paths: Sequence[str], fig: Figures) -> None:
    from transpiler.syntax import parse_source

    parse_source(b"package p\n\nfunc f() {}\n", "warm.go")  # load the table first
    total = 0.0
    cpu = 0.0
    failures = 0
    last = time.perf_counter()
    for i, p in enumerate(paths):
        data = Path(p).read_bytes()
        c0 = time.process_time()
        t0 = time.perf_counter()
        try:
            result = parse_source(data, p)
            ok = result.tree is not None and not result.diagnostics
            del result
        except Exception:
            ok = False
        total += time.perf_counter() - t0
        cpu += time.process_time() - c0
        failures += not ok
        if time.perf_counter() - last > 15:
            last = time.perf_counter()
            log(f"  ... {i + 1}/{len(paths)} files, {total:.0f} s parsing")
    fig.tgo_single_seconds = total
    fig.tgo_single_cpu = cpu
    fig.tgo_single_failures = failures


def bench_pool(files: Sequence[Path], jobs: int, fig: Figures) -> None:
    results, wall = run_corpus(files, jobs, roundtrip=False, progress=False)
    fig.pool_jobs = jobs
    fig.pool_wall = wall
    fig.pool_parse_seconds = sum(r.parse_seconds for r in results)
    fig.pool_parse_cpu = sum(r.parse_cpu for r in results)
    fig.pool_failures = sum(not r.parse_ok for r in results)


# --- (c) start-up -----------------------------------------------------------------------


def _child_env() -> dict[str, str]:
    """The environment for the timed child processes, which run outside the
    repository: they import the same ``transpiler`` as this process does."""
    import transpiler

    env = dict(os.environ)
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    base = str(Path(transpiler.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join([*parts, base])
    return env


def _time_runs(cmd: Sequence[str], runs: int) -> list[float]:
    times: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=tempfile.gettempdir(), env=_child_env(), capture_output=True)
        times.append((time.perf_counter() - t0) * 1000)
        if proc.returncode != 0:
            raise RuntimeError(f"{shlex.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()[-500:]}")
    return times


def bench_startup(small: Path, runs: int, fig: Figures) -> None:
    py = sys.executable
    if (ROOT / "transpiler" / "__main__.py").exists():
        cmd = [py, "-m", "transpiler", "parse", str(small)]
    else:
        cmd = [
            py,
            "-c",
            "import sys; from transpiler.syntax import parse_file; parse_file(sys.argv[1])",
            str(small),
        ]
        fig.notes.append("transpiler/__main__.py is missing: (c) timed parse_file in python -c instead")
    fig.cold_command = shlex.join(["python", *cmd[1:]]).replace(str(ROOT) + "/", "")
    _time_runs(cmd, 2)  # warm: the parser table cache on disk, the OS file cache
    fig.cold_ms = _time_runs(cmd, runs)
    fig.python_pass_ms = _time_runs([py, "-c", "pass"], runs)
    fig.import_ms = _time_runs([py, "-c", "import transpiler.syntax"], runs)


# --- (d) memory -------------------------------------------------------------------------

# A child process's own peak RSS in kB (its VmHWM; ru_maxrss where there is no /proc), as
# ``peak``: the end of the child scripts that measure memory (check_bench.py's too).
PEAK_RSS_CODE = """
import resource
peak = 0
try:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1])
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

_RSS_SCRIPT = """
import sys, time
from transpiler.syntax import parse_file
t0 = time.perf_counter()
r = parse_file(sys.argv[1])
dt = time.perf_counter() - t0
""" + PEAK_RSS_CODE + """
print(dt, peak)
sys.exit(0 if r.tree is not None else 3)
"""


def peak_rss(path: Path) -> tuple[float, float]:
    """Peak RSS in MB of a fresh process parsing ``path``, and its parse time in seconds.

    The child reports its own ``VmHWM``: ``ru_maxrss`` would not do, since Linux
    carries the parent's high-water mark across fork and exec.
    """
    proc = subprocess.run(
        [sys.executable, "-c", _RSS_SCRIPT, str(path)],
        cwd=tempfile.gettempdir(),
        env=_child_env(),
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"parsing {path} exited {proc.returncode}: {proc.stderr[-500:]}")
    seconds, kib = proc.stdout.split()
    return int(kib) / 1024, float(seconds)


def bench_memory(files: Sequence[Path], small: Path, fig: Figures, root: Path) -> None:
    largest = max(files, key=lambda p: p.stat().st_size)
    data = largest.read_bytes()
    fig.largest = str(largest.relative_to(root)) if largest.is_relative_to(root) else str(largest)
    fig.largest_lines = count_lines(data)
    fig.largest_bytes = len(data)
    fig.largest_rss_mb, fig.largest_parse_s = peak_rss(largest)
    fig.small_rss_mb, _ = peak_rss(small)


# --- the report ---------------------------------------------------------------------------


def _n(x: float) -> str:
    return f"{x:,.0f}"


def table(fig: Figures, cores: int) -> str:
    gofmt_per_core = fig.lines / fig.gofmt_cpu if fig.gofmt_cpu else 0.0
    single = fig.lines / fig.tgo_single_seconds if fig.tgo_single_seconds else 0.0
    pool_total = fig.lines / fig.pool_wall if fig.pool_wall else 0.0
    pool_per = fig.lines / fig.pool_parse_seconds if fig.pool_parse_seconds else 0.0
    cold = statistics.median(fig.cold_ms) if fig.cold_ms else 0.0
    pypass = statistics.median(fig.python_pass_ms) if fig.python_pass_ms else 0.0
    imp = statistics.median(fig.import_ms) if fig.import_ms else 0.0

    def mark(ok: bool) -> str:
        return "met" if ok else "**missed**"

    rows = [
        ("Measure", "Result", "Target"),
        ("---", "---:", "---"),
        ("corpus", f"{fig.files:,} files, {fig.lines:,} lines, {fig.bytes / 1e6:.1f} MB", ""),
        (
            "(a) `gofmt -l` via `xargs -0 -P2`, wall (better of 2 runs)",
            f"{fig.gofmt_wall:.2f} s ({fig.gofmt_cpu:.2f} s CPU)",
            "",
        ),
        ("(a) gofmt, lines/s per core (lines / CPU s)", _n(gofmt_per_core), ""),
        (
            "(b) tgo parse, 1 process, lines/s",
            f"{_n(single)} ({fig.tgo_single_seconds:.1f} s; {_n(fig.lines / fig.tgo_single_cpu) if fig.tgo_single_cpu else 'n/a'} by CPU time)",
            f">= {TARGET_LINES_PER_S:,} lines/s per process: {mark(single >= TARGET_LINES_PER_S)}",
        ),
        (
            f"(b) tgo parse, pool of {fig.pool_jobs} on {cores} cores, lines/s of wall time",
            f"{_n(pool_total)} ({fig.pool_wall:.1f} s)",
            "",
        ),
        (
            f"(b) tgo parse, pool of {fig.pool_jobs}, lines/s per process",
            f"{_n(pool_per)} ({_n(fig.lines / fig.pool_parse_cpu) if fig.pool_parse_cpu else 'n/a'} by CPU time)",
            "",
        ),
        (
            "(b) tgo per process / gofmt per core",
            f"{single / gofmt_per_core:.3f}" if gofmt_per_core else "n/a",
            "",
        ),
        (
            f"(c) cold `{fig.cold_command}`, median of {len(fig.cold_ms)}",
            f"{cold:.0f} ms (min {min(fig.cold_ms, default=0):.0f})",
            f"< {TARGET_COLD_MS:.0f} ms: {mark(cold < TARGET_COLD_MS)}",
        ),
        ("(c) `python -c 'import transpiler.syntax'`, median", f"{imp:.0f} ms", ""),
        ("(c) `python -c pass`, median", f"{pypass:.0f} ms", ""),
        (
            f"(d) peak RSS parsing the largest file, `{fig.largest}` "
            f"({fig.largest_lines:,} lines, {fig.largest_bytes / 1e6:.1f} MB)",
            f"{fig.largest_rss_mb:,.0f} MB (parse {fig.largest_parse_s:.1f} s)",
            "",
        ),
        ("(d) peak RSS parsing a small file", f"{fig.small_rss_mb:,.0f} MB", ""),
    ]
    if fig.tgo_single_failures or fig.pool_failures:
        rows.append(
            (
                "files that did not parse cleanly (1 process / pool)",
                f"{fig.tgo_single_failures} / {fig.pool_failures}",
                "0",
            )
        )
    return "\n".join("| " + " | ".join(r) + " |" for r in rows) + "\n"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def section(fig: Figures, cores: int, command: str) -> str:
    today = datetime.date.today().isoformat()
    notes = "".join(f"- {n}\n" for n in fig.notes)
    return (
        "## Parser\n\n"
        f"Measured {today} on {cpu_model()}, nproc {cores}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {go_version()}. "
        f"Corpus: {fig.corpus}. "
        f"Load average (1 min) at the start of each step: {', '.join(f'{x:.1f}' for x in fig.load)}.\n\n"
        "Command (from the repository root):\n\n"
        f"    {command}\n\n" + table(fig, cores) + "\n"
        "How it is measured: gofmt's per-core rate is the corpus lines over the CPU time (user + system) "
        "of `xargs` and its `gofmt` children; tgo's per-process rate is the corpus lines over the time "
        "spent inside `parse_source` (each file read outside the timed call, the parser table already loaded), so it "
        "excludes start-up; the pool figure divides the lines by the wall time of the whole pool run, "
        "start-up included. The cold start is a fresh interpreter running the command after two warm-up "
        "runs, so the parser table cache on disk is warm. Peak RSS is the `VmHWM` a fresh "
        "process reports after it has imported the parser and parsed one file.\n"
        + (f"\nNotes:\n\n{notes}" if notes else "")
    )


# --- main ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--root", type=Path, help="corpus directory (default: $(go env GOROOT)/src)")
    ap.add_argument("--sample", type=int, metavar="N", help="a fixed random sample of N files (default: all)")
    ap.add_argument("--seed", type=int, default=0, help="seed for --sample (default 0)")
    ap.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="pool size for (b) (default: all cores)"
    )
    ap.add_argument("--gofmt-procs", type=int, default=2, help="xargs -P for (a) (default 2)")
    ap.add_argument("--runs", type=int, default=10, help="runs for the start-up medians (default 10)")
    ap.add_argument(
        "--write-docs", action="store_true", help="rewrite the ## Parser section of docs/benchmarks.md"
    )
    args = ap.parse_args(argv)

    root = corpus_root(args.root, "parse_bench")
    if root is None:
        return 2
    files = corpus_files(root)
    what = f"every .go file under {'GOROOT/src' if args.root is None else root} outside testdata"
    if args.sample is not None:
        files = sample_files(files, args.sample, args.seed)
        what = f"a sample of {len(files)} files (seed {args.seed}) of {what}"
    if not files:
        print(f"parse_bench: no .go files under {root}", file=sys.stderr)
        return 2
    paths = [str(p) for p in files]

    fig = Figures(files=len(files))
    for p in files:  # also warms the OS file cache for both contenders
        data = p.read_bytes()
        fig.lines += count_lines(data)
        fig.bytes += len(data)
    fig.corpus = f"{what}: {fig.files:,} files, {fig.lines:,} lines"
    cores = os.cpu_count() or 1

    small = SMALL_EXAMPLE
    tmp = tempfile.TemporaryDirectory()
    if not small.exists():
        small = Path(tmp.name, "main.tgo")
        small.write_text(HELLO)
        fig.notes.append(f"{SMALL_EXAMPLE.relative_to(ROOT)} is missing: (c) used a 7-line hello world")

    log(f"(a) gofmt -l over {len(files):,} files, xargs -P{args.gofmt_procs} ...")
    fig.load.append(os.getloadavg()[0])
    bench_gofmt(paths, args.gofmt_procs, fig)
    log(f"    {fig.gofmt_wall:.2f} s")
    log("(b) tgo parse, 1 process ...")
    fig.load.append(os.getloadavg()[0])
    bench_single(paths, fig)
    log(f"    {fig.tgo_single_seconds:.1f} s")
    log(f"(b) tgo parse, pool of {args.jobs} ...")
    fig.load.append(os.getloadavg()[0])
    bench_pool(files, max(1, args.jobs), fig)
    log(f"    {fig.pool_wall:.1f} s")
    log("(c) start-up ...")
    fig.load.append(os.getloadavg()[0])
    bench_startup(small, args.runs, fig)
    log("(d) peak RSS ...")
    fig.load.append(os.getloadavg()[0])
    bench_memory(files, small, fig, root)
    tmp.cleanup()

    print(table(fig, cores), end="")
    print(f"load average (1 min) at the start of each step: {', '.join(f'{x:.2f}' for x in fig.load)}")
    for n in fig.notes:
        print(f"note: {n}")
    if args.write_docs:
        command = shlex.join(["python", "bench/parse_bench.py", *argv])
        replace_section("## Parser", section(fig, cores, command))
        print(f"wrote the ## Parser section of {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
