#!/usr/bin/env python3
"""The stub phase of a `tgo check`, timed apart: loading the stubs a package imports, as a check does.

For each package (``--package``, default net/http and go/types) and each build given
with ``--tgo NAME=PYTHON`` (the Python of an installed tgo, e.g. ``/tmp/lead-vm13/bin/python``),
fresh processes run, interleaved between the builds, with the package's imports (``go list``):

* ``cold``: the stub importer of a check asked for every import, in the pause a command
  line's last check runs in (``gcpause.paused_until_exit``): the stubs found, their kept
  trees read from ``$TGO_CACHE_DIR/trees/stubs`` (warm: everything runs once first),
  declared and resolved;
* ``trees in memory``: the same with the stubs' trees already loaded (``parsed``'s memory),
  so the difference is the trees' loading.

Reported: the median CPU time of the phase alone (the process's imports and a warm-up
excluded). With ``--callgrind`` each build's ``cold`` phase is also counted in instructions
(valgrind; the same process with the phase left out subtracted): steady where the CPU time
is not, on a shared machine. Never loop it: the load average before and after is printed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence

PACKAGES = ("net/http", "go/types")

# the phase, run by the build's Python: argv = mode, package directory, imports (comma-separated)
_PHASE = r"""
import gc, os, sys, time
from transpiler.check.run import StubImporter
from transpiler.gcpause import paused, paused_until_exit
from transpiler.stubs import parsed
from transpiler.stubs.locate import load_stub
mode, directory, imports = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
with paused():
    StubImporter([], directory).get("unicode/utf8")  # (the modules loaded, as a check has them)
parsed._memory.clear()
if mode == "memory":
    first = StubImporter([], directory)
    with paused():
        for p in imports:
            first.get(p)
    files = {f for fs in first.files_by_path.values() for f in fs if f.endswith(".tgoi")}
    del first
    gc.collect()
    for f in files:
        load_stub(f)
gc.collect()
gc.freeze()
if mode == "none":
    sys.exit(0)
t0 = time.process_time()
with paused_until_exit(True):
    imp = StubImporter([], directory)
    for p in imports:
        imp.get(p)
print(time.process_time() - t0)
"""


def imports(package: str) -> tuple[str, str]:
    """The directory and the imports (comma-separated) of a standard package."""
    out = subprocess.run(["go", "list", "-f", "{{.Dir}}\n{{join .Imports \",\"}}", package],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    return out[0], out[1]


def phase(python: str, script: str, mode: str, directory: str, imps: str) -> float:
    out = subprocess.run([python, script, mode, directory, imps], capture_output=True, text=True, check=True)
    return float(out.stdout.strip() or 0)


def instructions(python: str, script: str, mode: str, directory: str, imps: str) -> int:
    """The instructions valgrind counts for one run (callgrind's total)."""
    with tempfile.TemporaryDirectory(prefix="tgo-stub-phase-") as tmp:
        out = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg", python, script,
                              mode, directory, imps], capture_output=True, text=True, check=True)
    m = re.search(r"Collected : (\d+)", out.stderr)
    if m is None:
        raise RuntimeError("valgrind gave no count")
    return int(m.group(1))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tgo", action="append", required=True, metavar="NAME=PYTHON")
    ap.add_argument("--package", action="append", default=[])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--callgrind", action="store_true")
    args = ap.parse_args(argv)
    if shutil.which("go") is None:
        print("stub_phase: go is not on PATH", file=sys.stderr)
        return 2
    builds = {name or path: path for name, _, path in (s.rpartition("=") for s in args.tgo)}
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="tgo-stub-phase-") as tmp:
        script = os.path.join(tmp, "phase.py")
        with open(script, "w") as f:
            f.write(_PHASE)
        for package in args.package or PACKAGES:
            directory, imps = imports(package)
            for python in builds.values():  # (everything once: the stubs' kept trees written)
                phase(python, script, "cold", directory, imps)
            times: dict[tuple[str, str], list[float]] = {}
            for r in range(args.rounds):
                for name in builds if r % 2 == 0 else reversed(list(builds)):
                    for mode in ("cold", "memory"):
                        times.setdefault((name, mode), []).append(phase(builds[name], script, mode, directory, imps))
            for name in builds:
                cold = statistics.median(times[name, "cold"]) * 1000
                memory = statistics.median(times[name, "memory"]) * 1000
                line = f"{package} {name}: cold {cold:.1f} ms CPU, trees in memory {memory:.1f} ms"
                if args.callgrind:
                    count = instructions(builds[name], script, "cold", directory, imps) \
                        - instructions(builds[name], script, "none", directory, imps)
                    line += f", {count / 1e6:.1f} M instructions"
                print(line)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
