#!/usr/bin/env python3
"""Cold start of `tgo parse` and `tgo check` of a small package, against gofmt, go vet and Python's own start (issue 15).

"Cold" is a fresh process every time. What differs is what tgo's cache directory
(``$TGO_CACHE_DIR``) holds when it starts, so each task says it:

* ``python -c pass``: the interpreter tgo runs on, starting and doing nothing (the floor
  of any Python command);
* ``gofmt -l``: gofmt of the same file as plain Go (the lowered ``a.tgo``), the issue's yardstick;
* ``tgo parse`` (**table warm**): the parse table in the cache, as after any earlier tgo run, and
  the argument record of the same command line (``transpiler/argrecord.py``), as after an earlier
  run of it: the entry point runs it without loading click;
* ``tgo parse`` (**table warm, no record**): the first run of this command line, with no argument
  record at all (as after installing tgo): click parses it (and the record is left);
* ``tgo parse`` (**table warm, new path**): the first run of a command line for a path never
  given before (``../elsewhere/b.tgo``, the same text), the record of ``tgo parse a.tgo``
  present (each run starts with no record and runs that first, untimed): what a record that
  fits another path does;
* ``tgo parse`` (**cache empty**): a new cache directory, so the table is built with Lark
  first (once per grammar, the first tgo run on a machine);
* ``tgo check`` (**result cached**): the package checked before and unchanged, answered by the
  entry point from the argument record and the result cache, without click;
* ``tgo check`` (**result cached, no record**): the same, but the first run of this command line,
  with no argument record at all: click parses it;
* ``tgo check`` (**result cached, new path**): ``tgo check ./...`` (the same package, so its result
  is cached) after ``tgo check .`` (run first, untimed, with no record before it): the first run
  of a command line with a path never given before;
* ``tgo check`` (**result cache empty**): no result and no kept tree of the package's files, the
  stub caches and Go's type-check helper warm: the checker runs, and Go's own type check
  through ``go vet -vettool`` on the lowered package;
* ``go vet``: a bare ``go vet`` of the same package as plain Go (its dependencies cached), the
  floor of the line above;
* ``tgo check`` (**all caches empty**): a new cache directory: the parse table, the stubs' trees and
  Go's type-check helper are made first.

The package is one ``.tgo`` file of 20 lines with a ``go.mod``. Every build given with
``--tgo NAME=TGO`` (its ``tgo-py``, or the ``tgo`` launcher next to it, which is what users run)
is timed in the same rounds, interleaved, so all see the same machine load. Reported: the median
wall and CPU time (user + system, with children) of each, and ratios to ``python -c pass`` and to
``gofmt -l`` by wall time. ``--instructions`` also counts the instructions of one run of each
cheap task under valgrind (callgrind; ``tgo-py`` in place of the launcher), which the load of a
shared machine does not change. The load average before and after is printed. Never loop it: two shared
cores. ``--write-docs`` rewrites the ``## Cold start`` section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from bench.docs_section import replace_section, without_notes  # noqa: E402
from bench.parse_bench import cpu_model  # noqa: E402
from bench.vet_bench import load, named_builds, run  # noqa: E402

SECTION = "## Cold start"

SOURCE = """package p

import "strings"

type Named struct {
	Name ?*string
}

// Greeting says hello to a name, or to nobody.
func Greeting(n *Named) string {
	if n.Name == nil {
		return "hello, nobody"
	}
	return "hello, " + strings.TrimSpace(*n.Name)
}

func Count(xs []string) int {
	return len(xs)
}
"""

# (task, cache state); the command is made per build in _command
TASKS = (
    ("python -c pass", ""),
    ("gofmt -l", ""),
    # (each "no record" task removes the argument records, then leaves its own for the next task)
    ("tgo parse", "table warm, no record"),
    ("tgo parse", "table warm, new path"),
    ("tgo parse", "table warm"),
    ("tgo parse", "cache empty"),
    ("tgo check", "result cached, no record"),
    ("tgo check", "result cached, new path"),
    ("tgo check", "result cached"),
    ("tgo check", "result cache empty"),
    ("go vet", ""),
    ("tgo check", "all caches empty"),
)
GO_TASKS = {("gofmt -l", ""), ("go vet", "")}
CHEAP = {("python -c pass", ""), ("gofmt -l", ""), ("tgo parse", "table warm"), ("tgo parse", "table warm, no record"),
         ("tgo parse", "table warm, new path"), ("tgo check", "result cached"),
         ("tgo check", "result cached, no record"), ("tgo check", "result cached, new path")}


def interpreter(tgo: str) -> str:
    """The Python a ``tgo-py`` console script (or the ``tgo`` launcher next to one) runs on."""
    script = Path(tgo).with_name("tgo-py") if Path(tgo).name == "tgo" else Path(tgo)
    first = script.read_text(errors="replace").splitlines()[0]
    return first[2:].strip() if first.startswith("#!") else sys.executable


def make_package(work: Path, tgo: str, env: dict[str, str]) -> tuple[Path, Path]:
    """The small package as .tgo (``tgo/``) and, lowered, as plain Go (``go/``), each a module."""
    tgo_dir, go_dir = work / "tgo", work / "go"
    for d, name in ((tgo_dir, "example.com/tgo"), (go_dir, "example.com/go")):
        d.mkdir()
        (d / "go.mod").write_text(f"module {name}\n\ngo 1.22\n")
    (tgo_dir / "a.tgo").write_text(SOURCE)
    (work / "elsewhere").mkdir()  # b.tgo: a path never given before (outside the module: ./... does not see it)
    (work / "elsewhere" / "b.tgo").write_text(SOURCE)
    lowered = subprocess.run([tgo, "gen", "--stdout", "a.tgo"], cwd=tgo_dir, env=env, capture_output=True,
                             check=True).stdout
    (go_dir / "a.go").write_bytes(lowered)
    return tgo_dir, go_dir


def instructions(cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> int | None:
    """The instructions one run of ``cmd`` executes (callgrind), or None without valgrind. The
    ``tgo`` launcher (Go, which valgrind runs badly) is replaced by the ``tgo-py`` it execs for
    these commands."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    if Path(cmd[0]).name == "tgo":
        cmd = [str(Path(cmd[0]).with_name("tgo-py")), *cmd[1:]]
    proc = subprocess.run([valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                          cwd=cwd, env=env, capture_output=True, text=True, check=False)
    total = 0
    for line in proc.stderr.splitlines():
        if "Collected :" in line:
            total += int(line.rsplit(":", 1)[1])
    return total or None


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tgo", action="append", required=True, metavar="NAME=TGO",
                    help="a tgo build: its tgo-py or tgo launcher, e.g. pure=.venv/bin/tgo (repeat for an A/B run)")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--instructions", action="store_true", help="also count instructions with valgrind")
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--note", action="append", default=[])
    args = ap.parse_args(argv)
    go, gofmt = shutil.which("go"), shutil.which("gofmt")
    if go is None or gofmt is None:
        print("coldstart_bench: go and gofmt must be on PATH", file=sys.stderr)
        return 2
    builds = named_builds(args.tgo)
    load_before = load()
    with tempfile.TemporaryDirectory(prefix="tgo-coldstart-") as tmp:
        work = Path(tmp)
        env0 = {k: v for k, v in os.environ.items() if k not in ("GOFLAGS", "TGO_CACHE_DIR", "TGO_LAUNCHER")}
        warm = {b: work / f"cache-{i}" for i, b in enumerate(builds)}
        tgo_dir, go_dir = make_package(work, next(iter(builds.values())), dict(env0, TGO_CACHE_DIR=str(work / "gen")))
        fresh = [0]

        def new_cache() -> Path:
            fresh[0] += 1
            return work / f"empty-{fresh[0]}"

        def command(b: str, task: tuple[str, str]) -> tuple[list[str], Path, dict[str, str], tuple[int, ...]]:
            tgo, (what, state) = builds[b], task
            env = dict(env0, TGO_CACHE_DIR=str(warm[b]))
            if state in ("cache empty", "all caches empty"):
                env["TGO_CACHE_DIR"] = str(new_cache())
            if state.endswith(("no record", "new path")):
                shutil.rmtree(warm[b] / "args", ignore_errors=True)
            if state.endswith("new path"):  # the record of another path, left by click (untimed)
                run([tgo, what.split()[1], "a.tgo" if what == "tgo parse" else "."], tgo_dir, env, (0,))
            if state == "result cache empty":
                shutil.rmtree(warm[b] / "check", ignore_errors=True)
                shutil.rmtree(warm[b] / "trees" / "files", ignore_errors=True)
            if what == "python -c pass":
                return [interpreter(tgo), "-c", "pass"], tgo_dir, env, (0,)
            if what == "gofmt -l":
                return [gofmt, "-l", "a.go"], go_dir, env, (0,)
            if what == "go vet":
                return [go, "vet", "."], go_dir, env, (0,)
            if what == "tgo parse":
                return [tgo, "parse", "../elsewhere/b.tgo" if state.endswith("new path") else "a.tgo"], tgo_dir, env, (0,)
            return [tgo, "check", "./..." if state.endswith("new path") else "."], tgo_dir, env, (0,)

        for b in builds:  # warm: the parse table, the stubs, Go's type-check helper, the result
            for task in (("tgo parse", "table warm"), ("tgo check", "result cache empty"), ("tgo check", "result cached")):
                cmd, cwd, env, ok = command(b, task)
                run(cmd, cwd, env, ok)
        times: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
        for r in range(args.rounds):
            order = list(builds) if r % 2 == 0 else list(reversed(builds))
            for task in TASKS:
                # gofmt and go vet do not depend on the build: once a round (under the first's name)
                for b in ([next(iter(builds))] if task in GO_TASKS else order):
                    cmd, cwd, env, ok = command(b, task)
                    wall, cpu, _rss = run(cmd, cwd, env, ok)
                    times.setdefault((*task, b), []).append((wall, cpu))
        counts: dict[tuple[str, str, str], int | None] = {}
        if args.instructions:
            for b in builds:
                for task in TASKS:
                    if task in CHEAP and (task not in GO_TASKS or b == next(iter(builds))):
                        cmd, cwd, env, _ok = command(b, task)
                        counts[(*task, b)] = instructions(cmd, cwd, env)
    load_after = load()
    text = report(builds, times, counts, args.rounds, load_before, load_after)
    print(text)
    if args.write_docs:
        command_line = " ".join(["python", "bench/coldstart_bench.py",
                                 *without_notes(sys.argv[1:] if argv is None else argv)])
        notes = "".join(f"- {n}\n" for n in args.note)
        replace_section(SECTION, f"{SECTION}\n\n{text}\n{notes}\nCommand: `{command_line}`\n")
    return 0


def report(builds: dict[str, str], times: dict[tuple[str, str, str], list[tuple[float, float]]],
           counts: dict[tuple[str, str, str], int | None], rounds: int, load_before: str, load_after: str) -> str:
    def median(key: tuple[str, str, str], i: int) -> float:
        return statistics.median(t[i] for t in times[key])

    first = next(iter(builds))
    gofmt = median(("gofmt -l", "", first), 0)
    lines = [
        f"{datetime.date.today()}, {cpu_model()}, {platform.machine()}, {os.cpu_count()} cores (shared), "
        f"Python {platform.python_version()}; load average before {load_before}, after {load_after}. "
        f"Median of {rounds} interleaved rounds of fresh processes: wall time, CPU time (user + system with "
        "children) in parentheses; the ratios are by wall time. The package: one 20-line .tgo file "
        "(and, for gofmt and go vet, the same lowered to Go). Builds: "
        + ", ".join(f"{b} = `{builds[b]}`" for b in builds) + ".",
        "",
        "| task | caches | build | wall (CPU) | / python -c pass | / gofmt -l |"
        + (" instructions |" if counts else ""),
        "|---|---|---|---|---|---|" + ("---|" if counts else ""),
    ]
    for what, state in TASKS:
        for b in builds:
            key = (what, state, b)
            if key not in times:
                continue
            wall, cpu = median(key, 0), median(key, 1)
            py = median(("python -c pass", "", b), 0)
            shown = "(Go)" if (what, state) in GO_TASKS else b
            row = (f"| `{what}` | {state or '-'} | {shown} | {wall * 1000:,.0f} ms ({cpu * 1000:,.0f}) | "
                   f"{wall / py:.1f}x | {wall / gofmt:.1f}x |")
            if counts:
                n = counts.get(key)
                row += f" {n / 1e6:,.0f} M |" if n else " |"
            lines.append(row)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
