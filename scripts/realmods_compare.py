#!/usr/bin/env python3
"""Adopting tgo in real modules changes nothing: ``tgo test``/``tgo vet`` against ``go test``/``go vet``.

For each pinned module (``scripts/realmods.py``), fetched through the Go module proxy:

* a copy is tested as it is: ``go test -json -short -count=1 ./...`` and ``go vet ./...``;
* a second copy has every ``.go`` file of its packages (what ``./...`` matches: not
  ``testdata`` or ``vendor``, but also the packages in ``testdata`` that a package or a
  test imports) renamed to ``.tgo`` and a ``tgo.toml`` with
  ``oblivious = ["..."]`` (every file oblivious without editing it, so lines keep their
  numbers), and is tested with ``tgo test`` and ``tgo vet`` with the same arguments;
* the outcome of every package (pass, fail, skip: no test files or all skipped, and
  build failures) is compared, and so are vet's findings (paths and the ``.tgo``/
  ``.go`` suffix normalised).

Differences are listed with the failing tests of the package in each run, so that
the ones expected (a test that reads its own source file by name as ``x.go``, or
runs the go command itself on the package) can be told from real regressions.

Exit status: 0 when every package of every module has the same outcome and vet
agrees, 1 otherwise, 2 on a usage error (no go, no tgo, a module not fetched).

Examples::

    python scripts/realmods_compare.py                                # every pinned module
    python scripts/realmods_compare.py --modules github.com/google/uuid --markdown out.md
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # (appended: an explicit PYTHONPATH wins)

from scripts.realmods import MODULES, FetchError, Module, copy_module, download, find, rename_to_tgo  # noqa: E402

# The audit's modules (realmods.MODULES) and four more, all pinned: the comparison wants
# at least fifteen popular modules (issue 9).
COMPARED: tuple[Module, ...] = (
    *MODULES,
    Module("github.com/google/go-cmp", "v0.6.0"),
    Module("github.com/BurntSushi/toml", "v1.4.0"),
    Module("github.com/gorilla/websocket", "v1.5.3"),
    Module("github.com/julienschmidt/httprouter", "v1.3.0"),
)

# Eight more popular modules, pinned, that nothing here was tuned against: the audit of
# ``tgo migrate`` on code nobody here wrote (docs/benchmarks.md, the ninth session). Not
# part of COMPARED (whose figures stay as they are); ``--modules`` names them by path.
AUDITED: tuple[Module, ...] = (
    Module("github.com/google/btree", "v1.1.3"),
    Module("github.com/hashicorp/golang-lru/v2", "v2.0.7"),
    Module("gopkg.in/yaml.v3", "v3.0.1"),
    Module("github.com/golang-jwt/jwt/v5", "v5.3.1"),
    Module("github.com/Masterminds/semver/v3", "v3.5.0"),
    Module("github.com/robfig/cron/v3", "v3.0.1"),
    Module("github.com/dustin/go-humanize", "v1.1.0"),
    Module("github.com/spf13/afero", "v1.15.0"),
)

OBLIVIOUS_TOML = '# every file oblivious: adopted by renaming, not yet annotated\noblivious = ["..."]\n'


@dataclass
class RunResult:
    outcomes: dict[str, str] = field(default_factory=dict)  # package -> pass | fail | skip
    failed_tests: dict[str, list[str]] = field(default_factory=dict)
    output_tail: str = ""
    seconds: float = 0.0
    exit_code: int = 0


@dataclass
class ModuleResult:
    module: Module
    go: RunResult
    tgo: RunResult
    vet_go: tuple[int, list[str]]
    vet_tgo: tuple[int, list[str]]
    lines: int

    @property
    def differing(self) -> list[str]:
        packages = sorted(set(self.go.outcomes) | set(self.tgo.outcomes))
        return [p for p in packages if self.go.outcomes.get(p) != self.tgo.outcomes.get(p)]

    @property
    def vet_same(self) -> bool:
        return self.vet_go == self.vet_tgo


def run_tests(argv: list[str], cwd: Path, env: dict[str, str], timeout: float) -> RunResult:
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                              check=False)  # fmt: skip
        stdout, stderr, code = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as exc:
        stdout = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else exc.stdout or ""
        stderr, code = f"timed out after {timeout:.0f} s", -1
    res = RunResult(seconds=time.perf_counter() - t0, exit_code=code)
    for line in stdout.splitlines():
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        pkg, action, test = ev.get("Package"), ev.get("Action"), ev.get("Test")
        if not pkg:
            continue
        if test and action == "fail":
            res.failed_tests.setdefault(pkg, []).append(test)
        elif not test and action in ("pass", "fail", "skip"):
            res.outcomes[pkg] = action
    # a package that does not build is reported on stderr (FAIL pkg [setup failed]) by some versions
    for m in re.finditer(r"^FAIL\s+(\S+)\s+\[(?:setup|build) failed\]", stdout + "\n" + stderr, re.MULTILINE):
        res.outcomes[m.group(1)] = "fail"
    res.output_tail = "\n".join((stderr.strip().splitlines() or [""])[-15:])
    return res


_POSITION = re.compile(r"\.(?:tgo|go):\d+(?::\d+)?")


def run_vet(argv: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[int, list[str]]:
    try:
        proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                              check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        return -1, ["timed out"]
    lines = []
    for line in (proc.stdout + proc.stderr).splitlines():
        if line.startswith("#") or not line.strip():
            continue
        # the file names differ by suffix (x.go, x.tgo): compare what was found where
        lines.append(line.replace(str(cwd) + os.sep, "").replace(".tgo:", ".go:"))
    return proc.returncode, sorted(lines)


def count_lines(tree: Path) -> int:
    n = 0
    for dirpath, _, files in os.walk(tree):
        for f in files:
            if f.endswith((".go", ".tgo")):
                with open(os.path.join(dirpath, f), "rb") as fh:
                    n += fh.read().count(b"\n")
    return n


def imported_skipped_packages(tree: Path, go: str) -> list[Path]:
    """The directories below ``tree``, relative to it, of the packages in ``testdata`` or
    ``_x`` directories that its packages or their tests import (``go list -deps -test``):
    code the build compiles, so an adopter renames them with the rest."""
    env = dict(os.environ, GOFLAGS="", GOTOOLCHAIN="local")
    proc = subprocess.run([go, "list", "-e", "-deps", "-test", "-f", "{{.Dir}}", "./..."], cwd=tree, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    out: set[Path] = set()
    for line in proc.stdout.splitlines():
        d = Path(line.strip())
        if not line.strip() or not d.is_relative_to(tree):
            continue
        rel = d.relative_to(tree)
        if any(part == "testdata" or part.startswith("_") for part in rel.parts):
            out.add(rel)
    return sorted(out)


def compare(module: Module, work: Path, tgo: str, go: str, test_args: list[str], timeout: float) -> ModuleResult:
    plain = copy_module(module, work / "go")
    adopted = copy_module(module, work / "tgo")
    rename_to_tgo(adopted, packages_only=True)  # (testdata is data...)
    for rel in imported_skipped_packages(plain, go):  # (...except the packages in it that are imported)
        for f in sorted((adopted / rel).glob("*.go")):
            f.rename(f.with_suffix(".tgo"))
    (adopted / "tgo.toml").write_text(OBLIVIOUS_TOML)
    env = dict(os.environ)
    env.pop("GOFLAGS", None)
    env["TGO_CACHE_DIR"] = str(work / "tgo-cache")
    env["GOTOOLCHAIN"] = "local"
    args = ["test", "-json", *test_args, "./..."]
    go_run = run_tests([go, *args], plain, env, timeout)
    tgo_run = run_tests([tgo, *args], adopted, env, timeout)
    vet_go = run_vet([go, "vet", "./..."], plain, env, timeout)
    vet_tgo = run_vet([tgo, "vet", "./..."], adopted, env, timeout)
    return ModuleResult(module, go_run, tgo_run, vet_go, vet_tgo, count_lines(plain))


def markdown(results: Sequence[ModuleResult], test_args: Sequence[str]) -> str:
    out = [
        f"Packages compared with `go test -json {' '.join(test_args)} ./...` against `tgo test` with the same "
        "arguments, every file renamed to `.tgo` and oblivious through `tgo.toml`; vet with `go vet ./...` "
        "against `tgo vet ./...`.",
        "",
        "| module | lines | packages | same outcome | differing | go test s | tgo test s | vet |",
        "|---|---:|---:|---:|---|---:|---:|---|",
    ]
    for r in results:
        packages = set(r.go.outcomes) | set(r.tgo.outcomes)
        diff = r.differing
        out.append(
            f"| {r.module.spec} | {r.lines:,} | {len(packages)} | {len(packages) - len(diff)} | "
            f"{', '.join(diff) or '—'} | {r.go.seconds:.0f} | {r.tgo.seconds:.0f} | "
            f"{'same' if r.vet_same else f'differs (go {r.vet_go[0]}, tgo {r.vet_tgo[0]})'} |"
        )
    details = [r for r in results if r.differing or not r.vet_same]
    if details:
        out += ["", "Differences:", ""]
        for r in details:
            for p in r.differing:
                out.append(
                    f"- {p}: go {r.go.outcomes.get(p, 'absent')} "
                    f"(failing: {', '.join(r.go.failed_tests.get(p, [])[:5]) or '—'}), "
                    f"tgo {r.tgo.outcomes.get(p, 'absent')} "
                    f"(failing: {', '.join(r.tgo.failed_tests.get(p, [])[:5]) or '—'})"
                )
            if not r.vet_same:
                only_go = sorted(set(r.vet_go[1]) - set(r.vet_tgo[1]))[:5]
                only_tgo = sorted(set(r.vet_tgo[1]) - set(r.vet_go[1]))[:5]
                out.append(f"- {r.module.path} vet: only go: {only_go}; only tgo: {only_tgo}")
    return "\n".join(out) + "\n"


def module_run_arguments(ap: argparse.ArgumentParser, timeout: float) -> None:
    """The options of a script that runs tgo and go over real modules (this one and
    migrate_realmods.py): which modules, where, which commands, how long, where the results go."""
    ap.add_argument("--modules", nargs="*", help="module paths or PATH@VERSION (default: the 16 of COMPARED; "
                    "the 8 of AUDITED by path)")
    ap.add_argument("--work", help="work directory (default: a temporary one, removed)")
    ap.add_argument("--tgo", default=shutil.which("tgo") or "tgo", help="the tgo command")
    ap.add_argument("--go", default=shutil.which("go") or "go", help="the go command")
    ap.add_argument("--timeout", type=float, default=timeout, help="seconds per command")
    ap.add_argument("--markdown", help="write the summary table here")
    ap.add_argument("--json", help="write the full results here")


def chosen_modules(names: Sequence[str] | None) -> list[Module] | None:
    """The modules ``--modules`` names (one of COMPARED or AUDITED by its path, else found by
    ``realmods.find``), or all of COMPARED; None, said on stderr, when one cannot be found."""
    by_path = {m.path: m for m in (*COMPARED, *AUDITED)}
    try:
        return [by_path.get(n) or find([n])[0] for n in names] if names else list(COMPARED)
    except FetchError as exc:
        print(exc, file=sys.stderr)
        return None


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    module_run_arguments(ap, timeout=1200)
    ap.add_argument("--long", action="store_true", help="without -short")
    args = ap.parse_args(argv)
    try:
        modules = find(args.modules) if args.modules else list(COMPARED)
    except FetchError as exc:
        print(exc, file=sys.stderr)
        return 2
    test_args = ["-count=1", "-timeout=10m", *([] if args.long else ["-short"])]
    work = Path(args.work or tempfile.mkdtemp(prefix="tgo-compare-"))
    results: list[ModuleResult] = []
    try:
        for m in modules:
            try:
                download(m)
            except FetchError as exc:
                print(f"{m.spec}: {exc}", file=sys.stderr)
                return 2
            print(f"== {m.spec}", file=sys.stderr, flush=True)
            r = compare(m, work / m.short, args.tgo, args.go, test_args, args.timeout)
            print(f"   {len(r.go.outcomes)} packages, differing: {r.differing or 'none'}; "
                  f"vet {'same' if r.vet_same else 'differs'}; go {r.go.seconds:.0f} s, tgo {r.tgo.seconds:.0f} s",
                  file=sys.stderr, flush=True)  # fmt: skip
            if r.differing and r.tgo.output_tail:
                print("   tgo said: " + r.tgo.output_tail.replace("\n", "\n   "), file=sys.stderr)
            results.append(r)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    text = markdown(results, test_args)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text)
    if args.json:
        Path(args.json).write_text(json.dumps([
            {"module": r.module.spec, "lines": r.lines, "go": r.go.outcomes, "tgo": r.tgo.outcomes,
             "differing": r.differing, "go_failed": r.go.failed_tests, "tgo_failed": r.tgo.failed_tests,
             "vet_go": r.vet_go, "vet_tgo": r.vet_tgo, "go_seconds": r.go.seconds, "tgo_seconds": r.tgo.seconds}
            for r in results
        ], indent=1))  # fmt: skip
    return 0 if all(not r.differing and r.vet_same for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
