#!/usr/bin/env python3
"""Big-file timings: every tgo command on one generated ``.tgo`` file of ~1 MB and ~8 MB.

Writes a module with one package whose only file is a generated ``big.tgo``
(small functions using ``?*T``, ``x == nil`` narrowing and ``call?``, laid out as
gofmt lays them out except for one function in fifty, written on one line, so that
``tgo gen``'s gofmt pass re-lays lines), then times ``tgo parse``, ``check``,
``gen``, ``fmt -l`` and ``build`` on it, each in a fresh process on its own copy
(the cache holds only the parse table and go's build cache), and reports the wall
time, the CPU time, the ratio to ``tgo parse`` (of CPU times: the machine may be
shared) and the peak RSS of each. Then, as the floor of ``tgo build``, ``go build``
of the Go ``tgo gen`` wrote, alone: ``tgo build``'s own part (its CPU time less the
floor's) is what the 4x target judges. Likewise for ``tgo check``, which runs Go's own
type check (go/types, through ``go vet -vettool`` and tgo's helper program,
``toolchain/gotypes.py``) on the lowered package: its floor is that helper run the same way
on the Go ``tgo gen`` wrote, alone in a module, and ``tgo check`` with no ``go`` on ``PATH``
(tgo's checker alone, no lowering) is timed too. ``--write-docs`` rewrites the
``## Big-file timings`` section of docs/reliability.md with the figures.

``--precise PYTHON`` (repeated: one per build of tgo to compare, e.g. a baseline's venv
and this checkout's) times the same commands to the millisecond instead: ``--rounds``
rounds (default 4), the builds' order alternating, each command in a fresh process on a
fresh copy of the module whose text no cache has seen (a comment naming the round and
the build appended), each build with its own cache warmed once and copied for each round
(so every ``tgo check`` is a first check of the file), CPU time of the process and the
children it waited for, with Go's floors in each round; it prints the medians, their
ratios to ``tgo parse``, and ``check``'s and ``build``'s own parts (less the floors)::

    python scripts/hostile_input.py --sizes 1000000 --precise /tmp/base/bin/python \
        --precise .venv/bin/python --rounds 4

The generator (``big_source``) is also what tests/test_hostile_input.py uses for
its ~1 MB file. ``--chains`` times a package of long chains instead (``chain_source``:
binary operators, constants, ``&&``/``||``, an ``else if`` ladder, each ``--sizes``
operands or branches long; tests/test_chains.py runs it).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from bench.docs_section import replace_section  # noqa: E402

DOCS = ROOT / "docs" / "reliability.md"
COMMANDS: tuple[tuple[str, ...], ...] = (("parse",), ("check",), ("gen",), ("fmt", "-l"), ("build",))
TARGET_RATIO = 4.0

_HEAD = """package big

import "errors"

// T is the type the functions take.
type T struct {
\tN    int
\tNext ?*T
}

var errNone = errors.New("none")

// H may fail.
func H(n int) (int, error) {
\tif n < 0 {
\t\treturn 0, errNone
\t}
\treturn n, nil
}
"""

_BLOCK = """
// F{i} reads x if there is one.
func F{i}(x ?*T) int {{
\tif x == nil {{
\t\treturn {i}
\t}}
\treturn x.N + {i}
}}

// G{i} propagates H's error.
func G{i}(n int) (int, error) {{
\tv := H(n + {i})?
\treturn v * 2, nil
}}
"""

# one function in fifty is not gofmt-formatted: gofmt splits it into five lines
_ONE_LINE = """
func K{i}(x ?*T) int {{ if x != nil {{ return x.N }}; return {i} }}
"""


def big_source(size: int) -> str:
    """A gofmt-clean-but-for-a-few-lines ``.tgo`` file of about ``size`` bytes."""
    parts = [_HEAD]
    total = len(_HEAD)
    i = 0
    while total < size:
        block = _BLOCK.format(i=i)
        if i % 50 == 49:
            block += _ONE_LINE.format(i=i)
        parts.append(block)
        total += len(block)
        i += 1
    return "".join(parts)


# --- long chains: binary operands and else-if branches ------------------------------------

# The operators of ``Ops``, in turn: both precedence levels of Go's arithmetic, so the
# chain's spine is the ``+`` level and some right operands are ``*``-level chains.
_OPS = ("+", "*", "-", "|", "^", "&^")


def chain_source(n: int, branches: int | None = None) -> str:
    """A ``package main`` whose declarations are chains of ``n`` operands (binary operators
    of both precedence levels, a constant int and a constant string, ``||`` and ``&&``
    chains, an ``&&`` chain narrowing a ``?*T``) and an ``else if`` ladder of ``branches``
    (default ``n``) branches, and a ``main`` that prints what ``chain_output`` says. Valid
    Go but for the ``?``, as long as go/parser takes it (below about 100,000)."""
    m = n if branches is None else branches
    ladder = "".join(f" else if x == {i} {{\n\t\treturn {i}\n\t}}" for i in range(1, m))
    return "".join([
        "package main\n\nimport \"fmt\"\n\n// T is what Narrow tests.\ntype T struct{ N int }\n\n",
        "var a = 1\n\nvar b = 3\n\n",
        "var Sum = a", " + a" * (n - 1), "\n\n",
        "var Ops = b", "".join(_op(_OPS[i % len(_OPS)]) + "b" for i in range(n - 1)), "\n\n",
        "const C = 1", " + 1" * (n - 1), "\n\n",
        'const S = "a"', ' + "b"' * (n - 1), "\n\n",
        "func Or(x int) bool {\n\treturn x == 0", "".join(f" || x == {i}" for i in range(1, n)), "\n}\n\n",
        "func And(x int) bool {\n\treturn x != 0", "".join(f" && x != {i}" for i in range(1, n)), "\n}\n\n",
        "func Narrow(p ?*T) bool {\n\treturn p != nil", " && p.N >= 0" * (n - 1), "\n}\n\n",
        "func Ladder(x int) int {\n\tif x == 0 {\n\t\treturn 0\n\t}", ladder, " else {\n\t\treturn -1\n\t}\n}\n\n",
        "func main() {\n",
        "\tfmt.Println(Sum, Ops, C, len(S), S[len(S)-1:])\n",
        f"\tfmt.Println(Or({n - 1}), Or({n}), And({n}), And({n // 2}), Narrow(&T{{N: 1}}), Narrow(nil))\n",
        f"\tfmt.Println(Ladder({m - 1}), Ladder({m // 2}), Ladder({m}))\n",
        "}\n",
    ])


def _op(op: str) -> str:
    """``op`` as gofmt spaces it in a chain of both precedence levels."""
    return op if op in ("*", "&^") else f" {op} "


def chain_output(n: int, branches: int | None = None) -> str:
    """What the program of ``chain_source(n, branches)`` prints (Go's int arithmetic, 64 bits)."""
    m = n if branches is None else branches
    b = 3
    terms = [b]  # the + level's operands, each a * level chain worked out
    adds: list[str] = []
    for i in range(n - 1):
        op = _OPS[i % len(_OPS)]
        if op in ("*", "&^"):
            terms[-1] = terms[-1] * b if op == "*" else terms[-1] & ~b
        else:
            adds.append(op)
            terms.append(b)
    ops = terms[0]
    for op, t in zip(adds, terms[1:], strict=True):
        ops = ops + t if op == "+" else ops - t if op == "-" else ops | t if op == "|" else ops ^ t
        ops = (ops + 2**63) % 2**64 - 2**63
    return (f"{n} {ops} {n} {n} {'b' if n > 1 else 'a'}\n"
            f"true false true false true false\n"
            f"{m - 1} {m // 2} -1\n")


def write_module(directory: Path, size: int, source: Callable[[int], str] = big_source) -> Path:
    """A module in ``directory`` whose package ``big`` is one generated file (``source(size)``);
    the package's path."""
    pkg = directory / "big"
    pkg.mkdir(parents=True, exist_ok=True)
    (directory / "go.mod").write_text("module example.com/big\n\ngo 1.22\n")
    (pkg / "big.tgo").write_text(source(size))
    return pkg


@dataclass
class Timing:
    command: str
    status: int
    seconds: float
    cpu: float
    peak_mb: float


def run_timed(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> Timing:
    """Run ``argv``; its wall time and the peak RSS of it (and the children it waited for)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr is not None else ""
    if proc.stderr is not None:
        proc.stderr.close()
    if "internal error" in err or "Traceback" in err:
        raise SystemExit(f"{' '.join(argv)}: {err}")
    cpu = usage.ru_utime + usage.ru_stime
    return Timing(" ".join(argv[3:]), proc.returncode, seconds, cpu, usage.ru_maxrss / 1024)


def measure(size: int, python: str, source: Callable[[int], str] = big_source) -> list[Timing]:
    """Each command on a fresh copy of the module of ``source(size)``, with an empty cache each time."""
    out: list[Timing] = []
    with tempfile.TemporaryDirectory(prefix="tgo-big-") as tmp:
        # one cache, with the parse table (and go's build cache) warm: nothing of the big
        # file is in it (each command gets its own copy, and none reads another's entries)
        env = {**os.environ, "TGO_CACHE_DIR": str(Path(tmp) / "cache"), "TGO_LAUNCHER": "off"}
        warm = Path(tmp) / "warm"
        (warm / "big").mkdir(parents=True)
        (warm / "go.mod").write_text("module example.com/big\n\ngo 1.22\n")
        (warm / "big" / "w.tgo").write_text(_HEAD)
        run_timed([python, "-m", "transpiler", "build", "./big"], warm, env)
        for cmd in COMMANDS:
            work = Path(tmp) / "_".join(cmd)
            write_module(work, size, source)
            # (-o: a package main would be written as ./big, where the directory is)
            target = ("-o", os.devnull, "./big") if cmd == ("build",) else ("big",)
            out.append(run_timed([python, "-m", "transpiler", *cmd, *target], work, env))
        # (a cache of its own: the check cache keeps `tgo check`'s result of the same file)
        alone = {**_without_go(env), "TGO_CACHE_DIR": str(Path(tmp) / "cache_no_go")}
        run_timed([python, "-m", "transpiler", "parse", "./big"], warm, alone)
        work = Path(tmp) / "check_no_go"
        write_module(work, size, source)
        out.append(run_timed([python, "-m", "transpiler", "check", "big"], work, alone))
        out[-1].command = CHECK_NO_GO
        out.append(_go_floor(Path(tmp), env, GO_FLOOR, ["build", "-o", os.devnull, "./big"]))
        vettool = subprocess.run([python, "-c", _HELPER], env=env, capture_output=True, text=True, check=True)
        out.append(_go_floor(Path(tmp), env, GO_CHECK_FLOOR, ["vet", f"-vettool={vettool.stdout.strip()}", "./big"]))
    return out


GO_FLOOR = "go build (the lowered Go alone)"
GO_CHECK_FLOOR = "Go's type check (the lowered Go alone)"
CHECK_NO_GO = "check big (no go on PATH: tgo's checker alone)"
FLOORS = {"build": GO_FLOOR, "check": GO_CHECK_FLOOR}
# the path of tgo's go/types helper (``tgo check`` has built it into the cache)
_HELPER = "from transpiler.goexe import require_go; from transpiler.toolchain.gotypes import helper; " \
          "print(helper(require_go()))"


def precise(size: int, pythons: Sequence[str], rounds: int, source: Callable[[int], str] = big_source,
            out: Callable[[str], None] = print,
            commands: Sequence[tuple[str, ...]] = COMMANDS) -> dict[str, dict[str, list[float]]]:
    """Millisecond CPU times (children included) of each command under each of ``pythons``,
    ``rounds`` rounds interleaved (the builds' order alternating from round to round), each
    command in a fresh process on a fresh copy of the module whose file ends in a comment
    naming the round and the build (no cache of tgo's or go's has seen its text), each
    build with a cache of its own warmed once (parse table, argument records, go/types
    helper, go's build cache of the imports) and copied afresh for each round; with Go's floors (``go build`` and go/types
    through ``go vet`` on the Go ``tgo gen`` wrote, for the ``commands`` that have one). CPU
    seconds by build, then command."""
    floors = [(FLOORS[c[0]], args) for c in commands if c[0] in FLOORS
              for args in [["build", "-o", os.devnull, "./big"] if c[0] == "build" else ["vet"]]]
    if ("parse",) not in commands:
        raise ValueError("the ratios are to tgo parse: time parse too")
    if floors and ("gen",) not in commands:
        raise ValueError("Go's floors are timed on the Go tgo gen writes: time gen too")
    times: dict[str, dict[str, list[float]]] = {py: {} for py in pythons}
    with tempfile.TemporaryDirectory(prefix="tgo-precise-") as tmp:
        envs: dict[str, dict[str, str]] = {}
        for i, py in enumerate(pythons):
            env = {**os.environ, "TGO_CACHE_DIR": str(Path(tmp) / f"cache{i}"), "TGO_LAUNCHER": "off"}
            warm = Path(tmp) / f"warm{i}"
            (warm / "big").mkdir(parents=True)
            (warm / "go.mod").write_text("module example.com/big\n\ngo 1.22\n")
            (warm / "big" / "w.tgo").write_text(_HEAD)
            for cmd in COMMANDS:
                target = ("-o", os.devnull, "./big") if cmd == ("build",) else ("big",)
                run_timed([py, "-m", "transpiler", *cmd, *target], warm, env)
            envs[py] = env
        for r in range(rounds):
            order = list(pythons) if r % 2 == 0 else list(reversed(pythons))
            for py in order:
                i = pythons.index(py)
                base = Path(tmp) / f"r{r}b{i}"
                # (a copy of the warmed cache for each round: no tree or result of the big file
                # from a round before, the first check of it every time)
                shutil.copytree(envs[py]["TGO_CACHE_DIR"], base / "cache", symlinks=True)
                env = {**envs[py], "TGO_CACHE_DIR": str(base / "cache")}
                marked = functools.partial(_marked, source, f"\n// round {r}, build {i}\n")
                for cmd in commands:
                    work = base / "_".join(cmd)
                    write_module(work, size, marked)
                    target = ("-o", os.devnull, "./big") if cmd == ("build",) else ("big",)
                    t = run_timed([py, "-m", "transpiler", *cmd, *target], work, env)
                    times[py].setdefault(" ".join(cmd), []).append(t.cpu)
                for name, args in floors:
                    if args == ["vet"]:
                        vettool = subprocess.run([py, "-c", _HELPER], env=env, capture_output=True, text=True,
                                                 check=True)
                        args = ["vet", f"-vettool={vettool.stdout.strip()}", "./big"]
                    t = _go_floor(base, env, name, args)
                    times[py].setdefault(name, []).append(t.cpu)
                out(f"round {r + 1}/{rounds} {py}: " + ", ".join(
                    f"{k} {v[-1]:.3f}" for k, v in times[py].items()))
    return times


def _marked(source: Callable[[int], str], mark: str, size: int) -> str:
    """``source(size)`` with ``mark`` appended."""
    return source(size) + mark


def precise_table(size: int, times: dict[str, dict[str, list[float]]], unit: str = "MB") -> str:
    """The medians of ``precise``, a column pair (CPU s, ratio to ``tgo parse``) per build;
    ``check`` and ``build`` also less their floor (tgo's own part)."""
    what = f"{size / 1e6:.1f} MB" if unit == "MB" else f"{size:,} {unit}"
    pys = list(times)
    lines = [f"| {what} | " + " | ".join(f"{py}: CPU (s) | / parse" for py in pys) + " |",
             "|---|" + "---|---|" * len(pys)]
    med = {py: {k: statistics.median(v) for k, v in times[py].items()} for py in pys}
    rows = [(" ".join(c), f"`tgo {' '.join(c)}`") for c in COMMANDS] + [(f, f) for f in FLOORS.values()]
    for key, name in [(k, n) for k, n in rows if k in med[pys[0]]]:
        cells = []
        for py in pys:
            value, parse = med[py][key], med[py]["parse"]
            cells.append(f"{value:.3f} | {value / parse:.2f}" if key not in FLOORS.values() else f"{value:.3f} | ")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for cmd, floor in [(c, f) for c, f in FLOORS.items() if f in med[pys[0]]]:
        cells = []
        for py in pys:
            own, parse = med[py][cmd] - med[py][floor], med[py]["parse"]
            cells.append(f"{own:.3f} | {own / parse:.2f}")
        lines.append(f"| `tgo {cmd}` less the floor (tgo's own part) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _without_go(env: dict[str, str]) -> dict[str, str]:
    """``env`` with no ``go`` to be found (the directories holding one taken off ``PATH``)."""
    dirs = env.get("PATH", os.defpath).split(os.pathsep)
    kept = [d for d in dirs if not d or not os.path.exists(os.path.join(d, "go"))]
    return {**{k: v for k, v in env.items() if k != "TGO_GO"}, "PATH": os.pathsep.join(kept)}


def _go_floor(tmp: Path, env: dict[str, str], name: str, args: Sequence[str]) -> Timing:
    """``go ARGS`` on the Go ``tgo gen`` wrote, alone in a module of its own: the part of
    a tgo command that is Go's (``go build``: the compiler; ``go vet`` with tgo's helper:
    go/types), with a comment appended, so that go's caches, shared with the commands
    before, have no entry for it."""
    work = tmp / f"floor_{args[0]}"
    (work / "big").mkdir(parents=True)
    (work / "go.mod").write_text("module example.com/big\n\ngo 1.22\n")
    lowered = (tmp / "gen" / "big" / "big_tgo.go").read_text()
    (work / "big" / "big.go").write_text(lowered + f"\n// the floor: {name}\n")
    timing = run_timed(["go", *args], work, env)
    timing.command = name
    return timing


def table(results: dict[int, list[Timing]], unit: str = "MB") -> str:
    lines = ["| file | command | exit | wall (s) | CPU (s) | CPU / parse | peak RSS (MB) |",
             "|---|---|---|---|---|---|---|"]
    for size, timings in results.items():
        parse = timings[0].cpu
        what = f"{size / 1e6:.1f} MB" if unit == "MB" else f"{size:,} {unit}"
        for t in timings:
            name = t.command if t.command in FLOORS.values() else f"`tgo {t.command}`"
            lines.append(f"| {what} | {name} | {t.status} | {t.seconds:.1f} | {t.cpu:.1f} | "
                         f"{t.cpu / parse:.1f} | {t.peak_mb:.0f} |")
        for t in timings:
            if _floor(t, timings) is not None:
                own = _own(t, timings)
                lines.append(f"| {what} | `tgo {t.command.split(' ')[0]}` less the floor (tgo's own part) |  |  | "
                             f"{own:.1f} | {own / parse:.1f} |  |")
    return "\n".join(lines)


def _floor(t: Timing, timings: list[Timing]) -> Timing | None:
    """The timing of Go's part of ``t`` (for ``build`` and ``check``), if it was measured."""
    name = FLOORS.get(t.command.split(" ")[0]) if t.command != CHECK_NO_GO else None
    return next((f for f in timings if f.command == name), None)


def _own(t: Timing, timings: list[Timing]) -> float:
    """The CPU time of ``t`` that is tgo's: for ``build`` and ``check``, less their floor's."""
    floor = _floor(t, timings)
    return t.cpu - floor.cpu if floor is not None else t.cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1000000,8000000",
                        help="comma-separated file sizes in bytes (default: %(default)s)")
    parser.add_argument("--python", default=sys.executable,
                        help="the Python that has tgo installed (default: this one)")
    parser.add_argument("--chains", action="store_true",
                        help="time a package of chains instead (chain_source: --sizes are the operands "
                             "and else-if branches of each chain)")
    parser.add_argument("--write", metavar="DIR", help="only write the module for the first size into DIR")
    parser.add_argument("--write-docs", action="store_true", help=f"rewrite the Big-file timings section of {DOCS}")
    parser.add_argument("--precise", metavar="PYTHON", action="append", default=[],
                        help="time to the millisecond under this Python (repeat to compare builds, e.g. a "
                             "baseline's): fresh module text and process per command, a warmed cache per build, "
                             "--rounds interleaved rounds, medians")
    parser.add_argument("--rounds", type=int, default=4, help="rounds of --precise (default: %(default)s)")
    parser.add_argument("--commands", default=",".join(c[0] for c in COMMANDS),
                        help="with --precise: the commands to time, comma-separated (default: %(default)s; "
                             "check's and build's floors need gen)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    source = chain_source if args.chains else big_source
    if args.write:
        print(write_module(Path(args.write), sizes[0], source))
        return 0
    if shutil.which("go") is None:
        print("hostile_input: no go on PATH", file=sys.stderr)
        return 2
    if args.precise:
        for size in sizes:
            chosen = [c for c in COMMANDS if c[0] in args.commands.split(",")]
            times = precise(size, args.precise, args.rounds, source, commands=chosen)
            print(f"load average {os.getloadavg()[0]:.2f}\n" + precise_table(size, times, "links" if args.chains else "MB"))
        return 0
    results = {size: measure(size, args.python, source) for size in sizes}
    text = table(results, "links" if args.chains else "MB")
    print(text)
    # (tgo build and check are judged by their own part: Go's is the floor, reported beside it)
    worst = max(_own(t, ts) / ts[0].cpu for ts in results.values() for t in ts if t.command not in FLOORS.values())
    print(f"\nworst ratio to tgo parse: {worst:.1f} (target {TARGET_RATIO:.0f})")
    if args.write_docs and not args.chains:
        when = datetime.date.today().isoformat()
        body = (f"Measured {when} on {platform.machine()} ({os.cpu_count()} CPUs), Python "
                f"{platform.python_version()}, with `python scripts/hostile_input.py --write-docs`: "
                f"each command in a fresh process with an empty cache (`TGO_LAUNCHER=off`).\n\n{text}\n")
        replace_section("## Big-file timings", "## Big-file timings\n\n" + body, DOCS)
    return 0 if worst <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
