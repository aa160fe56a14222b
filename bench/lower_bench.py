#!/usr/bin/env python3
"""Lowering and build benchmark: generated code against hand-written Go, tgo build against go build.

In one run:

(a) the evaluator benchmark (examples/evaluator, issue 4), in a temporary copy
    of the example: ``tgo test -run '^$' -bench
    '^(BenchmarkEval|BenchmarkEvalHandwritten)$' -benchmem -count 5 .``; ns/op
    of ``BenchmarkEval`` (the lowered tgo) against ``BenchmarkEvalHandwritten``
    (package ``handwritten``) for each tree size, min / median / max over the
    counts, B/op and allocs/op, the ratio generated / hand-written, and an exact
    two-sided Mann-Whitney U test (what benchstat uses) to tell a difference
    from noise.  Then the layout-noise control: the copy of the example also
    holds K (``--copies``, default 4) byte-identical copies of package
    handwritten under other names (hwcopy1..hwcopyK) with a benchmark each on
    the same trees; ``--rounds`` rounds (default: one per benchmark, K + 2)
    run every benchmark once (``-count 1``) in rotating order, and the
    generated / hand-written ratio is set against the copy / hand-written
    ratios: "within layout noise" when it lies in the 95% prediction interval
    of one more identical package, from the K + 1 identical packages' ratios.
(b) ``tgo build -o DIR/ ./cmd/...`` of an example (default: evaluator) with warm
    caches against ``go build`` of the same example already lowered (a copy
    after ``tgo gen``, with its ``.tgo`` files deleted), warm too: both built
    twice first (tgo's lowering cache, Go's build cache, Python's bytecode
    cache), then N=10 rounds in which the two alternate; medians, CPU time and
    the overhead.  In the same rounds: ``python -c pass``, ``python -c 'import
    transpiler.cli'``, a process that imports the CLI and runs tgo's part of the
    build (``prepare``: find, hash, load the lowered files from the cache, write
    the overlay) without starting go, and ``tgo build`` without a bytecode
    cache.  Then N rounds that delete the outputs first, so that go links again.
(c) cold lowering throughput: a synthetic package of about 100,000 lines in 200
    files (``bench/check_bench.py``'s generator, its seed), lowered by
    ``lower_package`` (parse + check + lower + gofmt) in fresh processes; lines/s
    by wall and by CPU time (gofmt's included), the share of the gofmt
    subprocesses, and whether ``go build ./...`` accepts the lowered package.

Prints a markdown table; ``--write-docs`` rewrites the ``## Lowering and build``
section of docs/benchmarks.md (appended when missing) with the figures, the date,
the machine and the command.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import math
import os
import platform
import re
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

from bench.check_bench import add_synth_arguments, write_synth_package  # noqa: E402
from bench.docs_section import replace_section, without_notes  # noqa: E402
from bench.parse_bench import cpu_model  # noqa: E402
from scripts.parse_corpus import count_lines, go_version  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Lowering and build"
EXAMPLES = ROOT / "examples"
TARGET_OVERHEAD_PCT = 20.0
GOAL_OVERHEAD_PCT = 10.0
ALPHA = 0.05  # benchstat's default significance level
SYNTH_FILES = 200
GENERATED = "BenchmarkEval"
HANDWRITTEN = "BenchmarkEvalHandwritten"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- running things -------------------------------------------------------------------------


@dataclass
class Env:
    """The scratch directories every child process shares."""

    cache: Path  # TGO_CACHE_DIR (the parser table copied in)
    pycache: Path  # PYTHONPYCACHEPREFIX: bytecode written here, never into the checkout
    no_pycache: Path  # an empty PYTHONPYCACHEPREFIX, with PYTHONDONTWRITEBYTECODE=1

    def child(self, bytecode: bool = True) -> dict[str, str]:
        env = dict(os.environ)
        parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        env["PYTHONPATH"] = os.pathsep.join([*parts, str(ROOT)])
        env["TGO_CACHE_DIR"] = str(self.cache)
        env.pop("TGO_TRACEBACK", None)
        if bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(self.pycache)
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env["PYTHONPYCACHEPREFIX"] = str(self.no_pycache)
        return env


def _parser_cache_dir() -> Path:
    from transpiler.caches import cache_root

    return Path(cache_root())


def make_env(tmp: Path) -> Env:
    env = Env(tmp / "tgo-cache", tmp / "pycache", tmp / "no-pycache")
    for d in (env.cache, env.pycache, env.no_pycache):
        d.mkdir(parents=True, exist_ok=True)
    # the parser table is cached in TGO_CACHE_DIR: copy it so that no run times building it
    src = _parser_cache_dir()
    if src.is_dir():
        for table_file in src.glob("parser-*"):
            shutil.copy2(table_file, env.cache)
    return env


def children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


@dataclass
class Timed:
    ms: float
    cpu_ms: float
    proc: subprocess.CompletedProcess[bytes]


def run(cmd: Sequence[str], cwd: Path, env: dict[str, str], check: bool = True) -> Timed:
    """Run ``cmd``; its wall time and CPU time (user + system, its children included), in ms."""
    c0 = children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.run(list(cmd), cwd=cwd, env=env, capture_output=True)
    ms = (time.perf_counter() - t0) * 1000
    cpu = (children_cpu() - c0) * 1000
    if check and proc.returncode != 0:
        out = (proc.stderr or proc.stdout).decode(errors="replace")[-1500:]
        raise RuntimeError(f"{shlex.join(cmd)} (in {cwd}) exited {proc.returncode}:\n{out}")
    return Timed(ms, cpu, proc)


def _why(exc: Exception) -> str:
    """The first two lines of an error: the command and status, and the first thing it said."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    return " ".join(lines[:2]).replace(str(ROOT) + "/", "")


def tgo(*args: str) -> list[str]:
    # what the installed `tgo` console script runs (not `python -m`, which adds runpy)
    return [sys.executable, "-c", "from transpiler.fastpath import main; main()", *args]


@dataclass
class Series:
    """Repeated timings of one command."""

    ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)

    def add(self, t: Timed) -> None:
        self.ms.append(t.ms)
        self.cpu_ms.append(t.cpu_ms)

    @property
    def median(self) -> float:
        return statistics.median(self.ms) if self.ms else 0.0

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu_ms) if self.cpu_ms else 0.0

    def spread(self) -> str:
        if not self.ms:
            return "n/a"
        return f"{self.median:,.0f} ms (min {min(self.ms):,.0f}, max {max(self.ms):,.0f}; CPU {self.median_cpu:,.0f} ms)"


# --- (a) the evaluator benchmark ------------------------------------------------------------

_BENCH_LINE = re.compile(r"^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+(.+)$")


def parse_bench_output(text: str) -> dict[str, list[dict[str, float]]]:
    """``go test -bench`` lines: benchmark name (without -GOMAXPROCS) -> one {unit: value} per run."""
    out: dict[str, list[dict[str, float]]] = {}
    for line in text.splitlines():
        m = _BENCH_LINE.match(line.strip())
        if m is None:
            continue
        fields = m.group(3).split()
        metrics: dict[str, float] = {"iterations": float(m.group(2))}
        for value, unit in zip(fields[0::2], fields[1::2], strict=False):
            try:
                metrics[unit] = float(value)
            except ValueError:
                break
        out.setdefault(m.group(1), []).append(metrics)
    return out


def _ranks(values: Sequence[float]) -> list[float]:
    """Mid-ranks (1-based; tied values share the mean of their ranks)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def mann_whitney_p(a: Sequence[float], b: Sequence[float]) -> float:
    """The exact two-sided p-value of the Mann-Whitney U test (by enumeration; fine for a few samples)."""
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return 1.0
    ranks = _ranks([*a, *b])
    mean = n * (n + m + 1) / 2
    observed = abs(sum(ranks[:n]) - mean)
    total = extreme = 0
    for combo in itertools.combinations(range(n + m), n):
        total += 1
        if abs(sum(ranks[i] for i in combo) - mean) >= observed - 1e-9:
            extreme += 1
    return extreme / total


@dataclass
class SizeResult:
    size: str
    nodes: float
    gen_ns: list[float]
    hand_ns: list[float]
    gen_bytes: float
    gen_allocs: float
    hand_bytes: float
    hand_allocs: float

    @property
    def ratio(self) -> float:
        return statistics.median(self.gen_ns) / statistics.median(self.hand_ns)

    @property
    def ratio_range(self) -> tuple[float, float]:
        return min(self.gen_ns) / max(self.hand_ns), max(self.gen_ns) / min(self.hand_ns)

    @property
    def p(self) -> float:
        return mann_whitney_p(self.gen_ns, self.hand_ns)

    @property
    def same_speed(self) -> bool:
        return self.p > ALPHA


# --- (a) the layout-noise control ----------------------------------------------------------
#
# A Go type switch over concrete types dispatches by a binary search over the types' hashes,
# and those hash the package path: two byte-identical packages under different paths lay out
# and dispatch differently, and the difference is constant within a build, so repeating the
# runs (Mann-Whitney) cannot see it. The control measures it: K copies of package handwritten
# that differ from it only in the package clause and the directory, benchmarked on the same
# trees as BenchmarkEvalHandwritten, in the same rounds as the generated and hand-written code.

COPY_PREFIX = "hwcopy"
_HANDWRITTEN_PKG = "handwritten"
LAYOUT_TEST_FILE = "layout_noise_test.tgo"  # generated in the temporary copy of the example


def copy_names(k: int) -> list[str]:
    """The package names of the K identical copies: hwcopy1 .. hwcopyK."""
    return [f"{COPY_PREFIX}{i}" for i in range(1, k + 1)]


def copy_benchmark(name: str) -> str:
    """The benchmark that runs copy ``name``: BenchmarkEvalHwcopy1 for hwcopy1."""
    return f"BenchmarkEval{name.capitalize()}"


def copy_package_source(text: str, name: str) -> str:
    """Package handwritten's source under another package name: the package clause is all that changes."""
    new, n = re.subn(rf"^package {_HANDWRITTEN_PKG}$", f"package {name}", text, count=1, flags=re.M)
    if n != 1:
        raise ValueError(f"no `package {_HANDWRITTEN_PKG}` clause to rename")
    return new


def _top_level_func(text: str, name: str) -> str:
    """The text of ``func name(...)`` up to its closing brace at the start of a line (gofmt's layout)."""
    m = re.search(rf"^func {re.escape(name)}\(.*?^\}}\n", text, flags=re.M | re.S)
    if m is None:
        raise ValueError(f"no top-level func {name} in the benchmark file")
    return m.group(0)


def copies_bench_source(bench: str, module: str, names: Sequence[str]) -> str:
    """A test file (tgo, package evaluator) with one benchmark per copy.

    ``bench`` is the example's bench_test.tgo: its ``toHandwritten`` and ``BenchmarkEvalHandwritten``
    are repeated for each copy with only the package and the function names changed, so every copy
    runs on the same trees, with the same loop, as the hand-written benchmark.
    """
    convert = _top_level_func(bench, "toHandwritten")
    benchmark = _top_level_func(bench, HANDWRITTEN)
    imports = "".join(f'\t"{module}/{n}"\n' for n in names)
    parts = [
        "// Generated by bench/lower_bench.py: the layout-noise control (identical copies of package\n"
        "// handwritten). Not part of the example.\n\n"
        f'package evaluator\n\nimport (\n\t"testing"\n\n{imports})\n'
    ]
    for n in names:
        for src in (convert, benchmark):
            out = (
                src.replace(HANDWRITTEN, copy_benchmark(n))
                .replace("toHandwritten", f"to{n.capitalize()}")
                .replace(f"{_HANDWRITTEN_PKG}.", f"{n}.")
            )
            if "andwritten" in out:
                raise ValueError(
                    f"the benchmark file refers to the hand-written code in a way not renamed: {out!r}"
                )
            parts.append("\n" + out)
    return "".join(parts)


def _module_path(go_mod: str) -> str:
    m = re.search(r"^module\s+(\S+)", go_mod, flags=re.M)
    if m is None:
        raise ValueError("go.mod has no module line")
    return m.group(1)


def layout_copy(example: Path, dest: Path, names: Sequence[str]) -> None:
    """Copy the example to ``dest`` and add the identical copies of package handwritten and their benchmarks."""
    shutil.copytree(example, dest)
    sources = sorted(p for p in (example / _HANDWRITTEN_PKG).glob("*.go") if not p.name.endswith("_test.go"))
    if not sources:
        raise ValueError(f"no package {_HANDWRITTEN_PKG} in {example}")
    for n in names:
        (dest / n).mkdir()
        for src in sources:
            (dest / n / src.name).write_text(copy_package_source(src.read_text(), n))
    module = _module_path((example / "go.mod").read_text())
    bench = (example / "bench_test.tgo").read_text()
    (dest / LAYOUT_TEST_FILE).write_text(copies_bench_source(bench, module, names))


def round_order(variants: Sequence[str], i: int) -> list[str]:
    """Round ``i``'s order: the variants rotated by ``i``, so over len(variants) rounds each runs once in each place."""
    if not variants:
        return []
    k = i % len(variants)
    return [*variants[k:], *variants[:k]]


# Student's t, two-sided 95% (the 0.975 quantile), by degrees of freedom; 1.96 beyond.
_T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262,
         10: 2.228, 12: 2.179, 15: 2.131, 20: 2.086, 30: 2.042}


def _t975(df: int) -> float:
    return next((_T975[d] for d in sorted(_T975) if d >= df), 1.96)


def layout_noise_range(copy_ratios: Sequence[float]) -> tuple[float, float]:
    """Where one more byte-identical package would land, 95% of the time: the prediction interval
    mean ± t(0.975, n-1)·s·√(1 + 1/n) of the log ratios of the n = K + 1 identical packages (each
    copy / hand-written, and 1 for the hand-written package against itself); (1, 1) without copies.

    Not the range the copies span: a new sample falls outside the range of n exchangeable ones
    with probability 2 / (n + 1), a third of the time for 4 copies, even for identical code."""
    logs = [0.0, *(math.log(r) for r in copy_ratios)]
    if len(logs) < 2:
        return 1.0, 1.0
    n = len(logs)
    half = _t975(n - 1) * statistics.stdev(logs) * math.sqrt(1 + 1 / n)
    mean = statistics.fmean(logs)
    return math.exp(mean - half), math.exp(mean + half)


def within_layout_noise(ratio: float, copy_ratios: Sequence[float]) -> bool:
    """Whether generated / hand-written lies in the interval :func:`layout_noise_range` gives."""
    lo, hi = layout_noise_range(copy_ratios)
    return lo <= ratio <= hi


@dataclass
class LayoutResult:
    """One tree size in the rounds: ns/op of each round, per variant."""

    size: str
    gen_ns: list[float]
    hand_ns: list[float]
    copies: list[tuple[str, list[float]]]  # (package name, ns/op per round)

    @property
    def ratio(self) -> float:
        return statistics.median(self.gen_ns) / statistics.median(self.hand_ns)

    @property
    def copy_ratios(self) -> list[float]:
        hand = statistics.median(self.hand_ns)
        return [statistics.median(ns) / hand for _, ns in self.copies]

    @property
    def noise_range(self) -> tuple[float, float]:
        return layout_noise_range(self.copy_ratios)

    @property
    def within(self) -> bool:
        return within_layout_noise(self.ratio, self.copy_ratios)


def layout_results(runs: dict[str, list[dict[str, float]]], names: Sequence[str]) -> list[LayoutResult]:
    """Per tree size, the rounds' ns/op of the generated, hand-written and copied benchmarks."""
    out: list[LayoutResult] = []
    for pair in _pairs(runs):
        copies = [(n, [r["ns/op"] for r in runs.get(f"{copy_benchmark(n)}/{pair.size}", [])]) for n in names]
        if any(not ns for _, ns in copies):
            continue
        out.append(LayoutResult(pair.size, pair.gen_ns, pair.hand_ns, copies))
    return out


@dataclass
class EvalFigures:
    command: str = ""
    count: int = 0
    sizes: list[SizeResult] = field(default_factory=list)
    wall_s: float = 0.0
    cpu_s: float = 0.0
    raw: str = ""
    error: str = ""
    # the rounds: every benchmark once per round (`-count 1`, its own process), in rotating order
    copies: list[str] = field(default_factory=list)
    rounds: int = 0
    rounds_wall_s: float = 0.0
    rounds_cpu_s: float = 0.0
    interleaved: list[SizeResult] = field(default_factory=list)  # generated against hand-written
    layout: list[LayoutResult] = field(default_factory=list)  # and the identical copies


def _pairs(runs: dict[str, list[dict[str, float]]]) -> list[SizeResult]:
    """Per tree size, the generated and hand-written runs side by side."""
    out: list[SizeResult] = []
    sizes = sorted({name.split("/", 1)[1] for name in runs if "/" in name}, key=lambda s: (s != "small", s))
    for size in sizes:
        gen = runs.get(f"{GENERATED}/{size}", [])
        hand = runs.get(f"{HANDWRITTEN}/{size}", [])
        if not gen or not hand:
            continue
        out.append(
            SizeResult(
                size=size,
                nodes=gen[0].get("nodes", 0.0),
                gen_ns=[r["ns/op"] for r in gen],
                hand_ns=[r["ns/op"] for r in hand],
                gen_bytes=max(r.get("B/op", 0.0) for r in gen),
                gen_allocs=max(r.get("allocs/op", 0.0) for r in gen),
                hand_bytes=max(r.get("B/op", 0.0) for r in hand),
                hand_allocs=max(r.get("allocs/op", 0.0) for r in hand),
            )
        )
    return out


def bench_evaluator(
    env: Env, count: int, copies: int, rounds: int, benchtime: str, tmp: Path, fig: EvalFigures
) -> None:
    """(a) in a temporary copy of examples/evaluator with ``copies`` identical copies of package handwritten."""
    pkg = tmp / "evaluator"
    names = copy_names(copies)
    fig.copies, fig.rounds = names, rounds
    bt = ["-benchtime", benchtime] if benchtime else []
    both = f"^({GENERATED}|{HANDWRITTEN})$"
    args = ["test", "-run", "^$", "-bench", both, "-benchmem", "-count", str(count), *bt, "."]
    fig.command = shlex.join(["tgo", *args])
    fig.count = count
    try:
        layout_copy(EXAMPLES / "evaluator", pkg, names)
        # the build and the lowering are not part of what is timed: compile the tests first
        run(tgo("test", "-run", "^$", "./..."), pkg, env.child())
        t = run(tgo(*args), pkg, env.child())
    except (RuntimeError, ValueError) as exc:
        fig.error = _why(exc)
        return
    fig.wall_s, fig.cpu_s = t.ms / 1000, t.cpu_ms / 1000
    fig.raw = t.proc.stdout.decode(errors="replace")
    fig.sizes = _pairs(parse_bench_output(fig.raw))
    if not fig.sizes:
        fig.error = f"no {GENERATED}/{HANDWRITTEN} pairs in the output"
        return
    # The rounds: -count N runs all counts of one benchmark before the next, so a change of load
    # in between would look like a difference. Here every benchmark runs once per round, in its
    # own process, and the order rotates from round to round.
    variants = [GENERATED, HANDWRITTEN, *map(copy_benchmark, names)]
    control: dict[str, list[dict[str, float]]] = {}
    wall = cpu = 0.0
    for i in range(rounds):
        for name in round_order(variants, i):
            one = ["test", "-run", "^$", "-bench", f"^{name}$", "-benchmem", "-count", "1", *bt, "."]
            try:
                t = run(tgo(*one), pkg, env.child())
            except RuntimeError as exc:
                fig.error = _why(exc)
                return
            wall, cpu = wall + t.ms / 1000, cpu + t.cpu_ms / 1000
            for key, values in parse_bench_output(t.proc.stdout.decode(errors="replace")).items():
                control.setdefault(key, []).extend(values)
    fig.rounds_wall_s, fig.rounds_cpu_s = wall, cpu
    fig.interleaved = _pairs(control)
    fig.layout = layout_results(control, names)
    if not fig.layout:
        fig.error = "no results for the identical copies in the rounds"


# --- (b) tgo build against go build ---------------------------------------------------------


@dataclass
class BuildFigures:
    example: str = ""
    packages: str = ""
    runs: int = 0
    tgo: Series = field(default_factory=Series)  # the installed `tgo`: the native launcher
    go: Series = field(default_factory=Series)
    tgo_py: Series = field(default_factory=Series)  # the Python command, `tgo-py`
    launcher_said: str = ""  # what the launcher says of the timed command (TGO_LAUNCHER=debug)
    tgo_no_bytecode: Series = field(default_factory=Series)
    prepare: Series = field(default_factory=Series)
    go_overlay: Series = field(default_factory=Series)  # the go command tgo build runs, alone
    python_pass: Series = field(default_factory=Series)
    import_cli: Series = field(default_factory=Series)
    tgo_link: Series = field(default_factory=Series)
    go_link: Series = field(default_factory=Series)
    lowered_files: int = 0
    error: str = ""

    @property
    def overhead_pct(self) -> float:
        return 100 * (self.tgo.median - self.go.median) / self.go.median if self.go.median else 0.0

    @property
    def py_overhead_pct(self) -> float:
        return 100 * (self.tgo_py.median - self.go.median) / self.go.median if self.go.median else 0.0

    @property
    def link_overhead_pct(self) -> float:
        g = self.go_link.median
        return 100 * (self.tgo_link.median - g) / g if g else 0.0


# tgo's part of `tgo build`: what the console script does before it starts go
_PREPARE = """
import json, sys
import transpiler.fastpath
from transpiler.toolchain.gocmd import prepare
p = prepare("build", sys.argv[1:])
print(json.dumps(p.argv))
sys.exit(1 if p.blocked or p.problems else 0)
"""


# the modules a cached `tgo build` loads before it execs go
_IMPORTS = "import transpiler.fastpath, transpiler.toolchain.gocmd, transpiler.lower.naming"


def _delete_tgo(directory: Path) -> None:
    for p in directory.rglob("*.tgo"):
        p.unlink()


def plain_copy(example: Path, dest: Path, env: Env) -> int:
    """A copy of the example lowered by ``tgo gen``, without its .tgo files; how many files were lowered."""
    shutil.copytree(example, dest)
    run(tgo("gen", "."), dest, env.child())
    _delete_tgo(dest)
    return sum(1 for _ in dest.rglob("*_tgo*.go"))


# pip's console-script template (distlib's), which the installed `tgo-py` is
_CONSOLE_SCRIPT = """#!{python}
# -*- coding: utf-8 -*-
import re
import sys
from transpiler.fastpath import main
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit(main())
"""


def install_commands(go: str, bin_dir: Path, env: Env) -> tuple[str, str]:
    """``tgo`` and ``tgo-py`` in ``bin_dir`` as a wheel installs them (the launcher built as
    hatch_build.py builds it; the console script as pip writes it); their paths."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    launcher = bin_dir / "tgo"
    run([go, "build", "-trimpath", "-ldflags=-s -w", "-o", str(launcher), "."],
        ROOT / "transpiler" / "toolchain" / "launcher", env.child() | {"CGO_ENABLED": "0", "GOWORK": "off"})
    script = bin_dir / "tgo-py"
    script.write_text(_CONSOLE_SCRIPT.format(python=sys.executable))
    script.chmod(0o755)
    return str(launcher), str(script)


def bench_build(env: Env, example: Path, packages: str, runs: int, tmp: Path, fig: BuildFigures) -> None:
    go = shutil.which("go")
    if go is None:
        fig.error = "go is not installed"
        return
    launcher, tgo_py = install_commands(go, tmp / "bin", env)
    fig.example = str(example.relative_to(ROOT)) if example.is_relative_to(ROOT) else str(example)
    fig.packages = packages
    fig.runs = runs
    plain = tmp / "plain"
    fig.lowered_files = plain_copy(example, plain, env)
    out_tgo, out_go, out_nb = tmp / "out-tgo", tmp / "out-go", tmp / "out-nobytecode"
    out_py = tmp / "out-py"
    for d in (out_tgo, out_go, out_nb, out_py):
        d.mkdir()
    tgo_cmd = [launcher, "build", "-o", f"{out_tgo}/", packages]
    py_cmd = [tgo_py, "build", "-o", f"{out_py}/", packages]
    nb_cmd = [tgo_py, "build", "-o", f"{out_nb}/", packages]
    go_cmd = [go, "build", "-o", f"{out_go}/", packages]
    prep_cmd = [sys.executable, "-c", _PREPARE, "-o", f"{out_tgo}/", packages]
    py = sys.executable
    with_bc, without_bc = env.child(), env.child(bytecode=False)
    for e in (with_bc, without_bc):
        e.pop("TGO_LAUNCHER", None)
    # warm: tgo's lowering cache, Go's build cache, the bytecode cache, the outputs; a launch
    # record is left only for files last changed more than 2 s before the command starts
    time.sleep(2.1)
    for _ in range(2):
        run(tgo_cmd, example, with_bc)
        run(py_cmd, example, with_bc)
        run(nb_cmd, example, without_bc)
        run(go_cmd, plain, with_bc)
        overlay_cmd: list[str] = json.loads(run(prep_cmd, example, with_bc).proc.stdout)
        run(overlay_cmd, example, with_bc)
    said = run(tgo_cmd, example, with_bc | {"TGO_LAUNCHER": "debug"}).proc.stderr.decode(errors="replace")
    fig.launcher_said = next((ln for ln in said.splitlines() if ln.startswith("tgo launcher: ")), "nothing")
    for i in range(runs):
        # alternate which goes first, so that none always follows another
        trio = [(fig.tgo, tgo_cmd, example), (fig.go, go_cmd, plain), (fig.tgo_py, py_cmd, example)]
        for series, cmd, cwd in trio if i % 2 == 0 else reversed(trio):
            series.add(run(cmd, cwd, with_bc))
        fig.prepare.add(run(prep_cmd, example, with_bc))
        fig.go_overlay.add(run(overlay_cmd, example, with_bc))
        fig.tgo_no_bytecode.add(run(nb_cmd, example, without_bc))
        fig.python_pass.add(run([py, "-c", "pass"], example, with_bc))
        fig.import_cli.add(run([py, "-c", _IMPORTS], example, with_bc))
    # again, with the outputs deleted before each build: go links the binary again
    for i in range(runs):
        jobs = [(fig.tgo_link, tgo_cmd, example, out_tgo), (fig.go_link, go_cmd, plain, out_go)]
        for series, cmd, cwd, out in jobs if i % 2 == 0 else reversed(jobs):
            shutil.rmtree(out)
            out.mkdir()
            series.add(run(cmd, cwd, with_bc))


# --- (c) cold lowering throughput -----------------------------------------------------------

# In a fresh process: lower_package over the files, with gofmt and lower_checked timed
# (both are looked up as globals of transpiler.lower.lowering, so wrapping them there
# times every call). Prints one JSON object.
_LOWER = r"""
import json, os, resource, sys, time

def children_cpu():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime

t_import = time.perf_counter()
import transpiler.lower.lowering as lowering
from transpiler.lower import lower_package
from transpiler.lower.naming import output_name
import_s = time.perf_counter() - t_import

stats = {"gofmt_s": 0.0, "gofmt_cpu_s": 0.0, "gofmt_calls": 0, "lower_s": 0.0, "lower_cpu_s": 0.0}
real_gofmt, real_lower_checked = lowering.gofmt, lowering.lower_checked_files

def gofmt(text, name):
    c0, t0 = children_cpu(), time.perf_counter()
    try:
        return real_gofmt(text, name)
    finally:
        stats["gofmt_s"] += time.perf_counter() - t0
        stats["gofmt_cpu_s"] += children_cpu() - c0
        stats["gofmt_calls"] += 1

def lower_checked(pc, infos, *args, **kwargs):
    c0, p0, t0 = children_cpu(), time.process_time(), time.perf_counter()
    try:
        return real_lower_checked(pc, infos, *args, **kwargs)
    finally:
        stats["lower_s"] += time.perf_counter() - t0
        stats["lower_cpu_s"] += time.process_time() - p0 + children_cpu() - c0

lowering.gofmt, lowering.lower_checked_files = gofmt, lower_checked

out_dir, paths = sys.argv[1], sys.argv[2:]
c0, p0, t0 = children_cpu(), time.process_time(), time.perf_counter()
result = lower_package(paths)
wall = time.perf_counter() - t0
cpu = time.process_time() - p0
child = children_cpu() - c0
if out_dir != "-":
    for src, text in result.outputs.items():
        with open(os.path.join(out_dir, os.path.basename(output_name(src))), "w") as fh:
            fh.write(text)
codes = {}
for d in result.diagnostics:
    codes[d.code] = codes.get(d.code, 0) + 1
print(json.dumps({
    "wall_s": wall, "cpu_s": cpu, "children_cpu_s": child, "import_s": import_s,
    "outputs": len(result.outputs), "diagnostics": len(result.diagnostics), "codes": codes,
    "examples": [d.text() for d in result.diagnostics[:5]], **stats,
}))
"""


@dataclass
class LowerRun:
    wall_s: float
    cpu_s: float  # this process's own CPU time
    children_cpu_s: float  # gofmt's
    import_s: float
    process_ms: float  # the whole fresh process, start-up included
    gofmt_s: float
    gofmt_cpu_s: float
    gofmt_calls: int
    lower_s: float
    lower_cpu_s: float
    outputs: int
    diagnostics: int
    codes: dict[str, int]
    examples: list[str]

    @property
    def total_cpu_s(self) -> float:
        return self.cpu_s + self.children_cpu_s


@dataclass
class LowerFigures:
    files: int = 0
    lines: int = 0
    seed: int = 0
    runs: list[LowerRun] = field(default_factory=list)
    build: str = ""
    build_s: float = 0.0
    build_cpu_s: float = 0.0
    error: str = ""
    scale: list[tuple[int, int, LowerRun]] = field(default_factory=list)  # (files, lines, run), smaller

    def median_run(self) -> LowerRun | None:
        if not self.runs:
            return None
        return sorted(self.runs, key=lambda r: r.wall_s)[(len(self.runs) - 1) // 2]


def lower_once(env: Env, paths: Sequence[Path], out: Path | None, cwd: Path) -> LowerRun:
    """``lower_package`` over ``paths`` in a fresh process; the outputs written to ``out`` if given."""
    t = run([sys.executable, "-c", _LOWER, str(out) if out else "-", *map(str, paths)], cwd, env.child())
    doc = json.loads(t.proc.stdout.decode().strip().splitlines()[-1])
    return LowerRun(process_ms=t.ms, **doc)


def bench_lower(
    env: Env, files: int, lines_per_file: int, seed: int, runs: int, tmp: Path, fig: LowerFigures
) -> None:
    pkg = tmp / "synth"
    paths = write_synth_package(pkg, files, lines_per_file, seed)
    fig.files = len(paths)
    fig.lines = sum(count_lines(p.read_bytes()) for p in paths)
    fig.seed = seed
    out = tmp / "synth-lowered"
    out.mkdir()
    shutil.copy2(pkg / "go.mod", out / "go.mod")
    for p in paths:  # the OS file cache: every run reads warm files
        p.read_bytes()
    # for scale: a package a tenth the size, from the same generator (one run)
    if files >= 20:
        small_paths = write_synth_package(tmp / "synth-small", files // 10, lines_per_file, seed)
        small = lower_once(env, small_paths, None, tmp)
        small_lines = sum(count_lines(p.read_bytes()) for p in small_paths)
        fig.scale.append((len(small_paths), small_lines, small))
        log(f"    {len(small_paths)} files, {small_lines:,} lines: {small.wall_s:.2f} s")
    for i in range(runs):
        r = lower_once(env, paths, out if i == 0 else None, tmp)
        fig.runs.append(r)
        log(
            f"    run {i + 1}: {r.wall_s:.2f} s ({r.total_cpu_s:.2f} s CPU), gofmt {r.gofmt_s:.2f} s, "
            f"{r.diagnostics} diagnostics, {r.outputs} outputs"
        )
        if r.diagnostics or r.outputs != len(paths):
            fig.error = (
                f"the synthetic package did not check clean: {r.diagnostics} diagnostics "
                f"({', '.join(f'{c} {n}' for c, n in r.codes.items())}); first: "
                + (r.examples[0] if r.examples else "none")
            )
            return
    go = shutil.which("go")
    if go is None:
        fig.build = "not run: go is not installed"
        return
    t = run([go, "build", "./..."], out, env.child(), check=False)
    fig.build_s, fig.build_cpu_s = t.ms / 1000, t.cpu_ms / 1000
    if t.proc.returncode == 0:
        fig.build = "builds"
    else:
        lines = [ln for ln in t.proc.stderr.decode(errors="replace").splitlines() if not ln.startswith("#")]
        fig.build = f"**go build exited {t.proc.returncode}**: {lines[0] if lines else ''}"


# --- the report -----------------------------------------------------------------------------


def _n(x: float) -> str:
    return f"{x:,.0f}"


def _short(text: str) -> str:
    """``text`` with temporary paths (also in ``-flag=PATH``) cut to their last component."""
    tmp = tempfile.gettempdir()

    def cut(word: str) -> str:
        flag, eq, path = word.rpartition("=") if "=" in word else ("", "", word)
        if not path.startswith(tmp):
            return word
        return flag + eq + "…/" + os.path.basename(path.rstrip("/")) + ("/" if path.endswith("/") else "")

    return " ".join(cut(w) for w in text.split())


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _ns1(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def _ns(xs: Sequence[float]) -> str:
    return f"{_ns1(min(xs))} / {_ns1(statistics.median(xs))} / {_ns1(max(xs))}"


@dataclass
class Figures:
    ev: EvalFigures = field(default_factory=EvalFigures)
    build: BuildFigures = field(default_factory=BuildFigures)
    lower: LowerFigures = field(default_factory=LowerFigures)
    load: list[tuple[str, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def table(fig: Figures) -> str:
    rows = [("Measure", "Result", "Target"), ("---", "---:", "---")]
    ev = fig.ev
    if ev.error:
        rows.append((f"(a) `{ev.command}` in examples/evaluator", f"**failed**: {ev.error}", ""))
    for s in ev.sizes:
        lo, hi = s.ratio_range
        rows += [
            (
                f"(a) `{GENERATED}/{s.size}` ({s.nodes:,.0f} nodes), ns/op min / median / max of {ev.count}",
                _ns(s.gen_ns),
                "",
            ),
            (f"(a) `{HANDWRITTEN}/{s.size}`, ns/op min / median / max", _ns(s.hand_ns), ""),
            (
                f"(a) {s.size}: generated / hand-written, ratio of medians (range over all pairs)",
                f"{s.ratio:.3f} ({lo:.3f} to {hi:.3f}); Mann-Whitney p = {s.p:.3f}: "
                + ("within noise" if s.same_speed else "a real difference"),
                f"same speed (p > {ALPHA}): {_mark(s.same_speed)}",
            ),
            (
                f"(a) {s.size}: B/op, allocs/op (generated; hand-written)",
                f"{s.gen_bytes:.0f}, {s.gen_allocs:.0f}; {s.hand_bytes:.0f}, {s.hand_allocs:.0f}",
                f"0 allocs/op: {_mark(s.gen_allocs == 0)}",
            ),
        ]
    if ev.sizes:
        rows.append(("(a) the whole `tgo test` run", f"{ev.wall_s:.1f} s ({ev.cpu_s:.1f} s CPU)", ""))
    k = len(ev.copies)
    if ev.interleaved:
        rows.append(
            (
                f"(a) the rounds: {len(ev.copies) + 2} benchmarks (generated, hand-written, {k} identical "
                f"copies) x {ev.rounds} rounds, each `-count 1` in its own `tgo test`, in rotating order",
                f"{ev.rounds_wall_s:.1f} s ({ev.rounds_cpu_s:.1f} s CPU)",
                "",
            )
        )
    for s in ev.interleaved:
        lo, hi = s.ratio_range
        rows.append(
            (
                f"(a) control, {s.size}: the same two benchmarks in the rounds, {len(s.gen_ns)} runs each: "
                "generated / hand-written ns/op medians, ratio (range), p",
                f"{_ns1(statistics.median(s.gen_ns))} / {_ns1(statistics.median(s.hand_ns))}; {s.ratio:.3f} "
                f"({lo:.3f} to {hi:.3f}); p = {s.p:.3f}",
                "",
            )
        )
    for lr in ev.layout:
        lo, hi = lr.noise_range
        ratios = lr.copy_ratios
        rows += [
            (
                f"(a) layout control, {lr.size}: ns/op medians in the rounds: generated / hand-written / "
                f"the {k} identical copies of package handwritten ({', '.join(n for n, _ in lr.copies)})",
                f"{_ns1(statistics.median(lr.gen_ns))} / {_ns1(statistics.median(lr.hand_ns))} / "
                + ", ".join(_ns1(statistics.median(ns)) for _, ns in lr.copies),
                "",
            ),
            (
                f"(a) layout control, {lr.size}: generated / hand-written; copy / hand-written for each "
                "identical copy (min..max: the noise identical code shows here)",
                f"{lr.ratio:.3f}; copies {min(ratios):.3f}..{max(ratios):.3f} "
                f"({', '.join(f'{r:.3f}' for r in ratios)})",
                f"within layout noise ({lo:.3f} <= ratio <= {hi:.3f}, the 95% prediction interval "
                f"of identical packages): {_mark(lr.within)}",
            ),
        ]
    b = fig.build
    if b.error:
        rows.append(("(b) tgo build against go build", f"**failed**: {b.error}", ""))
    elif b.runs:
        where = f"in {b.example}"
        rows += [
            (
                f"(b) `tgo build -o DIR/ {b.packages}` {where}, warm, median of {b.runs} "
                "(the installed `tgo`: the native launcher)",
                b.tgo.spread(),
                "",
            ),
            (
                f"(b) `go build -o DIR/ {b.packages}` of the lowered copy, warm, median of {b.runs}",
                b.go.spread(),
                "",
            ),
            (
                "(b) overhead of tgo build (difference of medians)",
                f"{b.tgo.median - b.go.median:+,.0f} ms, {b.overhead_pct:+.0f}% "
                f"(CPU {b.tgo.median_cpu - b.go.median_cpu:+,.0f} ms)",
                f"<= {TARGET_OVERHEAD_PCT:.0f}%: {_mark(b.overhead_pct <= TARGET_OVERHEAD_PCT)} "
                f"(goal {GOAL_OVERHEAD_PCT:.0f}%: {_mark(b.overhead_pct <= GOAL_OVERHEAD_PCT)})",
            ),
            ("(b) what the launcher said of the timed command (`TGO_LAUNCHER=debug`)",
             f"`{_short(b.launcher_said)}`", ""),
            (
                f"(b) `tgo-py build -o DIR/ {b.packages}` (the Python command, as pip installs it), warm, "
                f"median of {b.runs}",
                f"{b.tgo_py.spread()}; overhead {b.tgo_py.median - b.go.median:+,.0f} ms, "
                f"{b.py_overhead_pct:+.0f}%",
                "",
            ),
            ("(b) of the Python command: `python -c pass`", b.python_pass.spread(), ""),
            ("(b) of the Python command: `python -c` importing what a cached build loads",
             b.import_cli.spread(), ""),
            (
                "(b) of the Python command: those imports + tgo's part of the build (`prepare`), without go",
                b.prepare.spread(),
                "",
            ),
            (
                "(b) the go command `tgo build` runs (`go build -overlay=FILE ...`), alone",
                b.go_overlay.spread(),
                "",
            ),
            (
                "(b) `tgo-py build` without a bytecode cache (`PYTHONDONTWRITEBYTECODE=1`), median",
                f"{b.tgo_no_bytecode.spread()}; overhead "
                f"{100 * (b.tgo_no_bytecode.median - b.go.median) / b.go.median:+.0f}%"
                if b.go.median
                else "n/a",
                "",
            ),
            (
                f"(b) outputs deleted before each build (go links again): tgo / go, median of {b.runs}",
                f"{b.tgo_link.median:,.0f} / {b.go_link.median:,.0f} ms "
                f"(CPU {b.tgo_link.median_cpu:,.0f} / {b.go_link.median_cpu:,.0f} ms); "
                f"overhead {b.link_overhead_pct:+.0f}%",
                f"<= {TARGET_OVERHEAD_PCT:.0f}%: {_mark(b.link_overhead_pct <= TARGET_OVERHEAD_PCT)}",
            ),
        ]
    lw = fig.lower
    m = lw.median_run()
    if lw.files:
        rows.append(
            (
                f"(c) synthetic package: {lw.files} files, {lw.lines:,} lines (seed {lw.seed})",
                "0 diagnostics" if not lw.error else lw.error,
                "checks clean: " + _mark(not lw.error),
            )
        )
    if m is not None and not lw.error:
        cpu = m.total_cpu_s
        rows += [
            (
                f"(c) `lower_package`, fresh process, median of {len(lw.runs)} (by wall time)",
                f"{_rate(lw.lines, m.wall_s)} lines/s ({m.wall_s:.2f} s; min {min(r.wall_s for r in lw.runs):.2f} s); "
                f"{_rate(lw.lines, cpu)} lines/s by CPU time ({cpu:.2f} s, gofmt's included)",
                "",
            ),
            (
                "(c) of which parse + check (until `lower_checked`)",
                f"{m.wall_s - m.lower_s:.2f} s ({_rate(lw.lines, m.wall_s - m.lower_s)} lines/s)",
                "",
            ),
            (
                "(c) of which lowering (`lower_checked`, gofmt included)",
                f"{m.lower_s:.2f} s ({m.lower_cpu_s:.2f} s CPU)",
                "",
            ),
            (
                f"(c) of which gofmt subprocesses ({m.gofmt_calls} calls)",
                f"{m.gofmt_s:.2f} s, {100 * m.gofmt_s / m.wall_s:.0f}% of the wall time "
                f"({m.gofmt_cpu_s:.2f} s CPU in gofmt, {100 * m.gofmt_cpu_s / cpu:.0f}% of the CPU time)",
                "",
            ),
            *(
                (
                    f"(c) for scale: the same generator, {n} files, {k:,} lines, one fresh process",
                    f"{_rate(k, r.wall_s)} lines/s ({r.wall_s:.2f} s, of which lowering {r.lower_s:.2f} s); "
                    f"{_rate(k, r.total_cpu_s)} lines/s by CPU time",
                    "",
                )
                for n, k, r in lw.scale
            ),
            (
                "(c) the fresh process as a whole (start-up and imports included)",
                f"{m.process_ms / 1000:.2f} s (imports {1000 * m.import_s:,.0f} ms)",
                "",
            ),
            (
                "(c) `go build ./...` of the lowered package (cold for this package)",
                f"{lw.build} ({lw.build_s:.1f} s, {lw.build_cpu_s:.1f} s CPU)",
                f"builds: {_mark(lw.build == 'builds')}",
            ),
        ]
    return "\n".join("| " + " | ".join(r) + " |" for r in rows) + "\n"


def _rate(lines: int, seconds: float) -> str:
    return _n(lines / seconds) if seconds > 0 else "n/a"


def auto_notes(fig: Figures) -> list[str]:
    out: list[str] = []
    cores = os.cpu_count() or 1
    loads = [x for _, x in fig.load]
    if loads and max(loads) > 0.75 * cores:  # the benchmark itself keeps one core busy
        out.append(
            f"the machine was shared (load average up to {max(loads):.1f} on {cores} cores): wall times "
            "include waiting for a core; the CPU times are given beside them"
        )
    ev = fig.ev
    if ev.sizes:
        floor = mann_whitney_p(
            [float(i) for i in range(ev.count)], [float(ev.count + i) for i in range(ev.count)]
        )
        real = [s for s in ev.sizes if not s.same_speed]
        control = {s.size: s for s in ev.interleaved}
        confirmed = [s for s in real if s.size in control and not control[s.size].same_speed]
        text = (
            f"`-count {ev.count}` runs each benchmark {ev.count} times in a row (all of `{GENERATED}`, then all "
            f"of `{HANDWRITTEN}`), so a change of load between the two could look like a difference; the "
            f"rounds run every benchmark once per round, in rotating order, instead. With {ev.count} runs "
            f"against {ev.count} the smallest p-value the test can give is {floor:.3f}"
        )
        if real:
            text += "; " + ", ".join(f"{s.size}: generated {100 * (s.ratio - 1):+.1f}%" for s in real)
            text += (" is" if len(real) == 1 else " are") + " outside the run-to-run noise of this build"
            if confirmed:
                text += " (" + ", ".join(s.size for s in confirmed) + " also in the control)"
        out.append(text)
    for lr in ev.layout:
        low, high = lr.noise_range
        by_p = next((s for s in ev.sizes if s.size == lr.size), None)
        if by_p is None or by_p.same_speed == lr.within:
            continue
        if lr.within:
            out.append(
                f"{lr.size}: Mann-Whitney calls the difference real (p = {by_p.p:.3f}), but generated / "
                f"hand-written ({lr.ratio:.3f}) lies where a byte-identical copy of the hand-written package "
                f"could land ({low:.3f}..{high:.3f}): repeated runs of one build cannot see the layout of the "
                "code, which is fixed within a build"
            )
        else:
            out.append(
                f"{lr.size}: Mann-Whitney sees no difference (p = {by_p.p:.3f}), but generated / hand-written "
                f"({lr.ratio:.3f}) is outside the 95% prediction interval of the identical packages "
                f"({low:.3f}..{high:.3f})"
            )
    b = fig.build
    if b.runs and b.go.median:
        startup = b.import_cli.median
        tgo_part = b.prepare.median
        out.append(
            f"where (b)'s {b.tgo.median - b.go.median:+,.0f} ms go: the launcher (a Go program of its own) "
            "starts, reads the launch record of the command and stats every file and directory tgo's answer "
            f"depended on, then execs the recorded go command, which alone takes {b.go_overlay.median:,.0f} ms "
            f"against {b.go.median:,.0f} ms for the plain copy without `-overlay`"
        )
        out.append(
            f"without the launcher (`tgo-py`, the Python command) the overhead is "
            f"{b.tgo_py.median - b.go.median:+,.0f} ms: starting Python and importing what a cached build "
            f"needs take {startup:,.0f} ms ({b.python_pass.median:,.0f} ms of it bare `python`), pip's "
            "console script imports `re` on top, and tgo's own work before it execs go (`prepare`: walking "
            "the module, stat-ing the sources against the remembered hashes, loading the lowered files' names "
            f"from the cache, writing the overlay and the launch record) {tgo_part - startup:,.0f} ms more. A "
            "warm `go build` of an unchanged package only checks its cache and the output's build ID, so a "
            "fixed cost is large in proportion: Python's own start is about a quarter of it, which is why "
            "`tgo` is a native launcher"
        )
    lo = fig.lower
    m = lo.median_run()
    if m is not None and not lo.error and m.gofmt_calls:
        out.append(
            "gofmt runs once per lowered file, and once more where the lowering put back lines gofmt "
            "moved (the synthetic sources are not gofmt-formatted), to check that gofmt leaves those "
            f"//line directives in place ({m.gofmt_calls} processes, about "
            f"{1000 * m.gofmt_s / m.gofmt_calls:.0f} ms each)"
        )
    return out


def tgo_revision() -> str:
    """The commit the measured tgo is at, and whether its code or examples had uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "transpiler", "grammar", "examples"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
    return f"tgo at {head}" + (" with uncommitted changes" if dirty else "")


def section(fig: Figures, command: str) -> str:
    today = datetime.date.today().isoformat()
    cores = os.cpu_count() or 1
    notes = "".join(f"- {n}\n" for n in [*auto_notes(fig), *fig.notes])
    loads = ", ".join(f"{x:.1f} ({what})" for what, x in fig.load)
    return (
        f"{SECTION}\n\n"
        f"Measured {today} on {cpu_model()}, nproc {cores}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {go_version()}"
        + (f", {rev}" if (rev := tgo_revision()) else "")
        + f". Load average (1 min) at the start of each step: {loads}.\n\n"
        "Command (from the repository root):\n\n"
        f"    {command}\n\n" + table(fig) + "\n"
        "How it is measured: every command runs in a fresh process with `TGO_CACHE_DIR` in a temporary "
        "directory (the parser table copied in) and Python's bytecode cached in another "
        "(`PYTHONPYCACHEPREFIX`), as an installed tgo has its bytecode compiled; wall time is measured "
        "around the process, CPU time is the user + system time of it and its children "
        "(`RUSAGE_CHILDREN`). "
        "(a) copies examples/evaluator to a temporary directory and adds "
        f"{len(fig.ev.copies) or 'K'} byte-identical copies of package handwritten "
        f"({COPY_PREFIX}1, {COPY_PREFIX}2, ...: only the package clause and the directory differ) and a "
        f"generated `{LAYOUT_TEST_FILE}` with one benchmark per copy, `toHandwritten` and `{HANDWRITTEN}` "
        "with the package and function names changed (the same trees, the same loop). There it runs "
        f"`{fig.ev.command or 'tgo test ...'}` after one `tgo test -run '^$'` has built the tests; the "
        "p-value is the exact two-sided Mann-Whitney U test over the ns/op of the runs, as benchstat "
        'computes it, and "within noise" means p > 0.05. Then come the rounds: in each, every benchmark '
        "(generated, hand-written, each copy) runs once (`-count 1`, its own `tgo test` process), the order "
        "rotated by one place from round to round (over as many rounds as there are benchmarks, each runs "
        "once in each place), so that a drift of load does not favour one of them; the control and "
        "layout-control rows are medians over the rounds. The copies measure the "
        "noise that code layout alone makes: a Go type switch dispatches by a binary search over hashes of "
        "the types, which depend on the package path, and the code lands elsewhere in the binary, so "
        "identical code in another package runs a few percent faster or slower, by an amount fixed within "
        "a build, which repeated runs (and so the p-value) cannot see. The rule: with r_k = median of copy "
        "k / median of hand-written over the rounds, and R = median of generated / median of hand-written "
        "over the same rounds, the n = K + 1 identical packages have log ratios 0 (the hand-written "
        "package against itself), log r_1..log r_K, with mean m and standard deviation s; "
        '"within layout noise" means |log R - m| <= t(0.975, n - 1) s sqrt(1 + 1/n), the 95% prediction '
        "interval of one more identical package: the generated code is where a byte-identical copy of the "
        "hand-written code could land. "
        "(b) builds the example's commands with `tgo build` (lowered files from tgo's cache, given to go "
        "with `-overlay`), `tgo` and `tgo-py` installed in a temporary bin directory as the wheel installs "
        "them (the launcher built from `transpiler/toolchain/launcher`, pip's console-script template), "
        "and, for the baseline, a copy of the example lowered with `tgo gen` whose `.tgo` "
        "files were then deleted, with `go build`; each is built twice before timing, so Go's build cache "
        "holds both and the outputs are up to date; the timed rounds alternate which goes first. "
        "The outputs go to separate directories (`-o DIR/`), so each build finds its binary current. "
        "(c) writes the synthetic package of `bench/check_bench.py` (same generator and seed, more files) "
        "to a temporary directory and runs `lower_package` on its file list in fresh processes, with "
        "`gofmt` and `lower_checked` wrapped to time them; the first run's outputs are written as "
        "`*_tgo.go` files next to a copy of the `go.mod`, which `go build ./...` then builds.\n"
        + (f"\nNotes:\n\n{notes}" if notes else "")
    )


# --- main -----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--count", type=int, default=5, help="go test -count for (a) (default 5)")
    ap.add_argument(
        "--copies",
        type=int,
        default=4,
        help="identical copies of package handwritten for (a)'s layout control (default 4)",
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=0,
        help="(a)'s rounds: every benchmark once per round, in rotating order "
        "(default: one per benchmark, copies + 2, so that each runs once in each place)",
    )
    ap.add_argument("--benchtime", default="", help="go test -benchtime for (a) (default: go's, 1s)")
    ap.add_argument("--example", default="evaluator", help="the example (b) builds (default evaluator)")
    ap.add_argument("--packages", default="./cmd/...", help="what (b) builds (default ./cmd/...)")
    ap.add_argument("--runs", type=int, default=10, help="timed rounds for (b) (default 10)")
    add_synth_arguments(ap, SYNTH_FILES, " for (c)")
    ap.add_argument("--lower-runs", type=int, default=3, help="fresh processes for (c) (default 3)")
    ap.add_argument("--parts", default="abc", help="which parts to run (default abc)")
    ap.add_argument(
        "--write-docs", action="store_true", help=f"rewrite the {SECTION} section of docs/benchmarks.md"
    )
    ap.add_argument(
        "--note", action="append", default=[], metavar="TEXT", help="a note for the docs (repeatable)"
    )
    args = ap.parse_args(argv)

    example = EXAMPLES / args.example
    if not example.is_dir():
        print(f"lower_bench: {example}: no such example", file=sys.stderr)
        return 2
    if shutil.which("go") is None:
        print("lower_bench: go is not installed", file=sys.stderr)
        return 2
    fig = Figures(notes=list(args.note))
    with tempfile.TemporaryDirectory(prefix="tgo-lower-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = make_env(tmp)
        if "a" in args.parts:
            copies = max(1, args.copies)
            rounds = max(1, args.rounds or copies + 2)
            log(
                f"(a) the evaluator benchmark, -count {args.count}, then {rounds} rounds "
                f"with {copies} identical copies of package handwritten ..."
            )
            fig.load.append(("a", os.getloadavg()[0]))
            (tmp / "a").mkdir()
            bench_evaluator(env, max(1, args.count), copies, rounds, args.benchtime, tmp / "a", fig.ev)
            for s in fig.ev.sizes:
                log(f"    {s.size}: ratio {s.ratio:.3f}, p = {s.p:.3f}")
            for lr in fig.ev.layout:
                lo, hi = lr.noise_range
                log(f"    {lr.size} in the rounds: ratio {lr.ratio:.3f}, identical packages' 95% interval "
                    f"{lo:.3f}..{hi:.3f}")
            if fig.ev.error:
                log(f"    failed: {fig.ev.error}")
        if "b" in args.parts:
            log(f"(b) tgo build against go build in {example.name}, {args.runs} rounds ...")
            fig.load.append(("b", os.getloadavg()[0]))
            (tmp / "b").mkdir()
            try:
                bench_build(env, example, args.packages, max(1, args.runs), tmp / "b", fig.build)
            except RuntimeError as exc:
                fig.build.error = _why(exc)
            log(f"    tgo {fig.build.tgo.median:,.0f} ms, go {fig.build.go.median:,.0f} ms")
        if "c" in args.parts:
            log(f"(c) lower_package on {args.files} synthetic files, {args.lower_runs} fresh processes ...")
            fig.load.append(("c", os.getloadavg()[0]))
            (tmp / "c").mkdir()
            try:
                bench_lower(
                    env,
                    args.files,
                    args.lines_per_file,
                    args.seed,
                    max(1, args.lower_runs),
                    tmp / "c",
                    fig.lower,
                )
            except RuntimeError as exc:
                fig.lower.error = _why(exc)
            log(f"    go build: {fig.lower.build}")
        fig.load.append(("end", os.getloadavg()[0]))

    print(table(fig), end="")
    print(f"load average (1 min): {', '.join(f'{x:.2f} ({w})' for w, x in fig.load)}")
    for n in [*auto_notes(fig), *fig.notes]:
        print(f"note: {n}")
    if args.write_docs:
        command = shlex.join(["python", "bench/lower_bench.py", *without_notes(argv)])
        if args.note:
            command += " --note TEXT" * len(args.note)
        replace_section(SECTION, section(fig, command))
        print(f"wrote the {SECTION} section of {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
