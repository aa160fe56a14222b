#!/usr/bin/env python3
"""Fault injection for tgo's caches and processes: the long version of tests/test_reliability_cache.py.

Two experiments, each on a small module built in a temporary directory (a .tgo main
package and packages it imports, plus a nested module whose package has a checker
error), with its own ``TGO_CACHE_DIR``, through the ``tgo`` command (the native
launcher when it is installed):

* **Damage.** For each cache area (build entries, check entries, the parse table,
  launch records, the kept go vet configurations with the remembered digests, the
  parsed-tree cache, the argument records, the built type-check program and its sum),
  ``--trials`` times: pick a file of the area, damage it with a
  seeded random bit flip, a truncation or garbage (keeping its times, as a disk
  would), then run ``tgo run .`` and ``tgo check`` twice. Each answer is compared
  with the one a clean cache gives: a *wrong program* or *wrong diagnostics* on the
  first run is a trusted bad entry, a wrong answer on the second a *persistent
  failure* (the entry was not repaired). For the parse table and the parsed trees,
  the check and build entries are removed first, so that both commands parse; for the
  go vet configurations and the type-check program, the check entries, so that
  ``tgo check`` runs Go's check.
* **Kills.** ``--kills`` times: start a cold ``tgo build`` in its own process
  group, send it SIGKILL or SIGTERM after a random delay (up to the time a cold
  build takes), then check that the sources are byte-identical, that every entry
  left in the cache verifies, that no process of its group is alive 10 s later,
  and that the next ``tgo run`` prints the right answer.

Everything is seeded (``--seed``): the same arguments damage the same bytes.
Prints one line per experiment and exits 1 when any trial failed.

Examples::

    python scripts/fault_inject.py                       # 200 damages per area, 250 kills
    python scripts/fault_inject.py --trials 20 --kills 0 --areas "parse table"
    python scripts/fault_inject.py --json /tmp/faults.json
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from transpiler import caches

MAIN = """\
package main

import (
	"fmt"

	"example.com/app/calc"
)

func pick(ok bool) ?*float64 {
	if ok {
		v := calc.Mean(3, 12)
		return &v
	}
	return nil
}

func main() {
	if p := pick(true); p != nil {
		fmt.Println(*p, calc.Name)
	}
}
"""
CALC = """\
package calc

var Name = "calc"

func sum(l, r float64) ?*float64 {
	s := l + r
	return &s
}

func Mean(l, r float64) float64 {
	if s := sum(l, r); s != nil {
		return *s / 2
	}
	return 0
}
"""
BAD = """\
package bad

func find(ok bool) ?*int {
	if ok {
		x := 1
		return &x
	}
	return nil
}

func Use() int {
	p := find(false)
	return *p
}
"""
EXPECTED = "7.5 calc\n"
GO_MOD = "module example.com/app\n\ngo 1.22\n"

# cache area -> the files of it that are damaged
AREAS: dict[str, list[str]] = {
    "build entries": ["build/pkg/*.json", "build/go/*.go", "build/overlay/*.json", "build/files/*.json"],
    "check entries": ["check/*.json"],
    "parse table": ["parser-*.marshal"],
    "launch records": ["launch/*.json"],
    "go vet configurations": ["gotypes/replay/*.json", "digests.json"],
    "parsed trees": ["trees/*/*.tree", "trees/files/last/*"],
    "argument records": ["args/*.json"],
    "type-check program": ["gotypes/*/tgo-gotypes", "gotypes/*/tgo-gotypes.sum"],
}
# areas read only when the commands parse (the check and build entries are removed first),
# and only when tgo check runs Go's check (the check entries are removed first)
_PARSING = ("parse table", "parsed trees")
_GO_CHECKING = ("go vet configurations", "type-check program")
DAMAGES = ("flip", "truncate", "garbage")

CheckAnswer = tuple[int, object]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


class Project:
    """A module to build, its cache, and the ``tgo`` command that runs on it."""

    def __init__(self, root: Path, tgo: Path, cache: Path, env: dict[str, str] | None = None, extra: int = 0) -> None:
        self.root, self.tgo_path, self.cache = root, tgo, cache
        self.base_env = dict(os.environ if env is None else env)
        write(root / "go.mod", GO_MOD)
        imports, uses = "", ""
        for i in range(extra):  # more packages: a cold build takes longer
            write(root / f"p{i}" / "p.tgo", CALC.replace("package calc", f"package p{i}"))
            imports += f'\t"example.com/app/p{i}"\n'
            uses += f"\t_ = p{i}.Mean\n"
        main = MAIN.replace('\t"example.com/app/calc"\n', '\t"example.com/app/calc"\n' + imports)
        write(root / "main.tgo", main.replace("func main() {\n", "func main() {\n" + uses))
        write(root / "calc" / "calc.tgo", CALC)
        write(root / "bad" / "go.mod", "module example.com/bad\n\ngo 1.22\n")  # (not built by tgo run .)
        write(root / "bad" / "bad.tgo", BAD)

    def env(self, **extra: str) -> dict[str, str]:
        return {**self.base_env, "TGO_CACHE_DIR": str(self.cache), "TGO_LAUNCHER": "debug", "PWD": str(self.root), **extra}

    def tgo(self, *args: str, cwd: Path | None = None, **extra: str) -> subprocess.CompletedProcess[str]:
        env = self.env(**extra)
        if cwd is not None:
            env["PWD"] = str(cwd)
        return subprocess.run(
            [str(self.tgo_path), *args], cwd=cwd or self.root, env=env,
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip

    def check(self, cache: Path | None = None) -> CheckAnswer:
        """``tgo check --format json`` of the three packages (with another cache directory):
        (exit status, diagnostics); the stderr text instead of the diagnostics when it failed."""
        proc = self.tgo("check", "--format", "json", "./bad", "./calc", ".", TGO_CACHE_DIR=str(cache or self.cache))
        try:
            return proc.returncode, json.loads(proc.stdout)
        except ValueError:
            return proc.returncode, proc.stderr

    def warm(self) -> CheckAnswer:
        """Fill the cache (with a launch record: the files settle first); what ``tgo check``
        says with no cache at all."""
        want_check = self.check(self.cache.parent / (self.cache.name + "-clean"))
        time.sleep(2.2)
        for _ in range(2):
            self.tgo("run", ".")
        self.check()
        return want_check


def corrupt(path: Path, rng: random.Random, how: str) -> None:
    """Damage a cache file in place, keeping its times (as a disk or a stray write would)."""
    data = bytearray(path.read_bytes())
    st = path.stat()
    if how == "flip" and data:
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
    elif how == "truncate":
        del data[rng.randrange(len(data) + 1) :]
    else:
        data = bytearray(rng.randbytes(rng.randrange(1, 200)))
    path.write_bytes(bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


class Tally:
    """What the trials of one experiment found."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.trials = 0
        self.failures: dict[str, int] = {}
        self.notes: dict[str, int] = {}  # counts that are not failures
        self.examples: list[str] = []
        self.seconds = 0.0

    def fail(self, kind: str, detail: str) -> None:
        self.failures[kind] = self.failures.get(kind, 0) + 1
        if len(self.examples) < 5:
            self.examples.append(f"{kind}: {detail}")

    def note(self, what: str) -> None:
        self.notes[what] = self.notes.get(what, 0) + 1

    def line(self) -> str:
        failed = ", ".join(f"{k} {v}" for k, v in sorted(self.failures.items())) or "no failures"
        notes = "".join(f" ({k}: {v})" for k, v in sorted(self.notes.items()))
        return f"{self.name}: {self.trials} trials, {failed}, {self.seconds:.0f} s{notes}"

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "trials": self.trials, "failures": self.failures, "notes": self.notes,
                "examples": self.examples, "seconds": round(self.seconds, 1)}  # fmt: skip


def damage_trial(project: Project, area: str, rng: random.Random, want_check: CheckAnswer, tally: Tally) -> None:
    """Damage one file of ``area`` and compare two rounds of answers with the clean ones."""
    if area in _PARSING:  # make both commands parse
        for sub in ("check", "build/pkg"):
            shutil.rmtree(project.cache / sub, ignore_errors=True)
    if area in _GO_CHECKING:  # make tgo check run Go's check
        shutil.rmtree(project.cache / "check", ignore_errors=True)
    files = sorted(p for pattern in AREAS[area] for p in project.cache.glob(pattern))
    if not files:
        tally.fail("nothing to damage", area)
        return
    victim = rng.choice(files)
    how = rng.choice(DAMAGES)
    corrupt(victim, rng, how)
    tally.trials += 1
    what = f"{how} of {victim.relative_to(project.cache)}"
    for round_ in ("first", "second"):
        proc = project.tgo("run", ".")
        if "Traceback" in proc.stderr or "internal error" in proc.stderr:
            tally.fail("internal error", f"{what}: {proc.stderr.strip()[-300:]}")
        if (proc.returncode, proc.stdout) != (0, EXPECTED):
            kind = "wrong program" if round_ == "first" else "persistent failure"
            tally.fail(kind, f"{what}: exit {proc.returncode}, {proc.stdout!r} {proc.stderr.strip()[-300:]}")
        got = project.check()
        if got != want_check:
            kind = "wrong diagnostics" if round_ == "first" else "persistent failure"
            tally.fail(kind, f"{what}: {str(got)[:300]}")


def run_damage(tgo: Path, work: Path, area: str, trials: int, seed: int, env: dict[str, str] | None = None) -> Tally:
    tally = Tally(f"damage: {area}")
    start = time.monotonic()
    project = Project(work / "app", tgo, work / "cache", env)
    want_check = project.warm()
    rng = random.Random(f"{seed}-{area}")
    for _ in range(trials):
        damage_trial(project, area, rng, want_check, tally)
    tally.seconds = time.monotonic() - start
    return tally


# --- kills -----------------------------------------------------------------------------


def _proc_stat(pid: str) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def group_members(pgid: int) -> list[int]:
    """The live (not zombie) processes of a process group (from /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _proc_stat(entry)
            if fields is not None and int(fields[2]) == pgid and fields[0] != "Z":
                out.append(int(entry))
    return out


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def unverified_entries(cache: Path) -> list[str]:
    """The cache files that a reader would not accept (temporary files aside)."""
    bad = []
    for p in sorted(cache.rglob("*")):
        if not p.is_file() or p.name.endswith(".tmp"):
            continue
        rel = str(p.relative_to(cache))
        named = rel.startswith(("build/go/", "build/overlay/", "build/toolexec/"))
        summed = p.with_name(p.name + caches.SUM_SUFFIX).exists()
        if summed:
            ok = caches.sum_ok(str(p))
        else:
            ok = caches.named_ok(str(p)) if named else caches.unseal(p.read_bytes()) is not None
        if not ok:
            bad.append(rel)
    return bad


def kill_trial(project: Project, rng: random.Random, cold: float, tally: Tally) -> None:
    """Kill a cold ``tgo build`` at a random point; check what it left."""
    for sub in ("build", "launch"):
        shutil.rmtree(project.cache / sub, ignore_errors=True)
    before = tree_digest(project.root)
    out = project.root.parent / "prog"
    with contextlib.suppress(FileNotFoundError):
        out.unlink()
    sig = rng.choice((signal.SIGKILL, signal.SIGTERM))
    delay = rng.uniform(0, cold)
    proc = subprocess.Popen(
        [str(project.tgo_path), "build", "-o", str(out), "."], cwd=project.root, env=project.env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    time.sleep(delay)
    running = group_members(proc.pid)
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(sig)
    if proc.wait() == -sig:
        tally.note("killed while running")
        if len(running) > 1:
            tally.note("killed with child processes")
    tally.trials += 1
    what = f"{sig.name} after {delay:.2f} s"
    deadline = time.monotonic() + 10
    left = group_members(proc.pid)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = group_members(proc.pid)
    if left:
        tally.fail("process left", f"{what}: {left}")
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    if tree_digest(project.root) != before:
        tally.fail("sources changed", what)
    bad = unverified_entries(project.cache)
    if bad:
        tally.fail("half-written entry", f"{what}: {bad}")
    if out.exists():
        ran = subprocess.run([str(out)], capture_output=True, text=True, check=False)
        if ran.stdout != EXPECTED:
            tally.fail("half-written output", f"{what}: {ran.stdout!r}")
    after = project.tgo("run", ".")
    if (after.returncode, after.stdout) != (0, EXPECTED):
        tally.fail("persistent failure", f"{what}: {after.stderr.strip()[-300:]}")


def run_kills(tgo: Path, work: Path, trials: int, seed: int, env: dict[str, str] | None = None) -> Tally:
    tally = Tally("kill tgo build")
    start = time.monotonic()
    project = Project(work / "app", tgo, work / "cache", env, extra=4)
    project.tgo("check", ".")  # (the parse table, kept between trials)
    t0 = time.monotonic()
    proc = project.tgo("build", "-o", os.devnull, ".")
    cold = time.monotonic() - t0
    if proc.returncode != 0:
        tally.fail("cannot build", proc.stderr.strip()[-300:])
        return tally
    rng = random.Random(f"{seed}-kill")
    for _ in range(trials):
        kill_trial(project, rng, cold * 1.2, tally)
    tally.seconds = time.monotonic() - start
    return tally


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=200, help="damages per cache area (default 200)")
    ap.add_argument("--kills", type=int, default=250, help="killed builds (default 250)")
    ap.add_argument("--areas", nargs="*", default=list(AREAS), choices=list(AREAS), help="cache areas to damage")
    ap.add_argument("--seed", type=int, default=14, help="random seed (default 14)")
    ap.add_argument("--tgo", type=Path, default=Path(sys.executable).with_name("tgo"),
                    help="the tgo command (default: the one next to this Python)")  # fmt: skip
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args(argv)
    if not args.tgo.is_file():
        print(f"fault_inject: no tgo command at {args.tgo}", file=sys.stderr)
        return 2
    experiments: list[Callable[[Path], Tally]] = [
        functools.partial(run_damage, args.tgo, area=area, trials=args.trials, seed=args.seed) for area in args.areas
    ]
    if args.kills:
        if not os.path.isdir("/proc"):
            print("fault_inject: the kill experiment reads /proc (Linux)", file=sys.stderr)
            return 2
        experiments.append(functools.partial(run_kills, args.tgo, trials=args.kills, seed=args.seed))
    tallies = []
    for experiment in experiments:
        with tempfile.TemporaryDirectory(prefix="tgo-faults-") as work:
            tally = experiment(Path(work))
        print(tally.line(), flush=True)
        for example in tally.examples:
            print(f"    {example}", flush=True)
        tallies.append(tally)
    if args.json is not None:
        args.json.write_text(json.dumps([t.as_json() for t in tallies], indent=1) + "\n")
    return 1 if any(t.failures for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
