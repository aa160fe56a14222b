#!/usr/bin/env python3
"""``tgo migrate`` on real modules: it checks clean, lowers to the original code, and builds and tests as before.

For each pinned module (``scripts/realmods_compare.COMPARED``), fetched through the Go
module proxy and copied twice:

* the first copy stays Go: ``go build ./...`` (and with ``--tests``, ``go test -json
  -short -count=1 ./...``);
* the second is checked once as Go (``tgo check``: tgo's caches of stubs made), then
  migrated with ``tgo migrate -w ./...`` (timed; the counts are its summary's total
  line), then ``tgo check --format json ./...`` (errors counted), ``tgo migrate ./...``
  again (idempotent: its diff must be empty),
  ``tgo build ./...`` (and with ``--tests``, ``tgo test`` with the same arguments);
* every migrated file is lowered through the library and compared with its original
  (``transpiler.migrate.verify.same_code``: the same code apart from the header, the
  ``//line`` directives and the ignore comments).

Per module it reports the lines migrated, ``?``, ``!`` and ignores per 1,000 lines, lines
per second (wall clock, and per CPU second of the migration's processes), the check errors,
the files whose lowering differs, and whether the build (or every package's test outcome)
is the same. Run it with the Python that has tgo
installed (``.venv/bin/python``), a few modules at a time on a small machine.

Exit status: 0 when every module checks clean, lowers to its code and builds (tests)
the same; 1 otherwise; 2 on a usage error (a module not fetched).

Examples::

    .venv/bin/python scripts/migrate_realmods.py --modules github.com/google/uuid
    .venv/bin/python scripts/migrate_realmods.py --tests --markdown out.md
"""

from __future__ import annotations

import argparse
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
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # (appended: an explicit PYTHONPATH wins)

from scripts.realmods import FetchError, Module, copy_module, download  # noqa: E402
from scripts.realmods_compare import chosen_modules, module_run_arguments, run_tests  # noqa: E402

_TOTAL = re.compile(r"^total\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", re.MULTILINE)


@dataclass
class Result:
    module: str
    lines: int = 0  # lines of the files migrated
    nullable: int = 0
    asserted: int = 0
    ignored: int = 0
    errors_ignored: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # user + sys of the migration's processes (a loaded machine's wall clock says little)
    migrate_status: int = 0
    not_migrated: list[str] = field(default_factory=list)  # packages left as Go
    check_errors: dict[str, int] = field(default_factory=dict)  # code -> count
    lowered_differ: list[str] = field(default_factory=list)
    lowered_aligned: list[str] = field(default_factory=list)  # the same tokens, gofmt's layout apart
    lowered_files: int = 0
    again: int = -1  # lines of the diff a second ``tgo migrate ./...`` prints (0: idempotent; -1: not run)
    go_outcome: dict[str, str] = field(default_factory=dict)
    tgo_outcome: dict[str, str] = field(default_factory=dict)
    tgo_failed: dict[str, list[str]] = field(default_factory=dict)  # tests failing only after migration

    def per_kloc(self, n: int) -> float:
        return 1000.0 * n / self.lines if self.lines else 0.0

    @property
    def same_outcome(self) -> bool:
        """The same outcome per package, of at least one package (a module whose tests do not
        even start under go, no package reported, proves nothing)."""
        return bool(self.go_outcome) and self.go_outcome == self.tgo_outcome

    @property
    def ok(self) -> bool:
        return (not self.check_errors and not self.lowered_differ and self.same_outcome and self.migrate_status == 0
                and self.again <= 0)


def _run(argv: list[str], cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(argv, -1, "", f"timed out after {timeout:.0f} s")


def build_outcome(argv: list[str], cwd: Path, env: dict[str, str], timeout: float) -> dict[str, str]:
    """``go build ./...``'s outcome: ok, or the packages it names failing."""
    proc = _run(argv, cwd, env, timeout)
    if proc.returncode == 0:
        return {"./...": "ok"}
    failed = sorted(set(re.findall(r"^# (\S+)", proc.stderr, re.MULTILINE))) or ["./..."]
    return {p: "fail" for p in failed}


def lowered_differences(plain: Path, migrated: Path) -> tuple[int, list[str], list[str]]:
    """(the migrated files lowered, the ones whose Go is not their original code, the ones
    that differ only in gofmt's layout)."""
    from transpiler.check.snapshot import Session
    from transpiler.lower.lowering import lower_checked_files
    from transpiler.migrate.verify import LAYOUT, SAME, compare

    session = Session()
    dirs = sorted({p.parent for p in migrated.rglob("*.tgo")})
    count, differ, aligned = 0, [], []
    for d in dirs:
        pc = session.snapshot().check_package(str(d))
        out = lower_checked_files(pc.checker, pc.infos) if pc.checker is not None else {}
        for path, lowered in out.items():
            rel = Path(path).relative_to(migrated).with_suffix(".go")
            count += 1
            verdict = compare((plain / rel).read_text(), lowered.text)
            if verdict == LAYOUT:
                aligned.append(str(rel))
            elif verdict != SAME:
                differ.append(str(rel))
    return count, differ, aligned


def measure(module: Module, work: Path, tgo: str, go: str, tests: bool, timeout: float,
            flags: Sequence[str] = ()) -> Result:
    plain = copy_module(module, work / "go")
    migrated = copy_module(module, work / "tgo")
    env = dict(os.environ)
    env.pop("GOFLAGS", None)
    env["TGO_CACHE_DIR"] = str(work / "tgo-cache")
    env["GOTOOLCHAIN"] = "local"
    res = Result(module.spec)
    # the stubs of the standard library and of the module's dependencies made first (what any
    # tgo command does once per cache): the time measured is the migration's
    _run([tgo, "check", "./..."], migrated, env, timeout)
    t0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = _run([tgo, "migrate", "-w", *flags, "./..."], migrated, env, timeout)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    res.seconds = time.perf_counter() - t0
    res.cpu_seconds = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    res.migrate_status = proc.returncode
    res.not_migrated = re.findall(r"^tgo: (\S+): not migrated", proc.stderr, re.MULTILINE)
    m = _TOTAL.search(proc.stderr)
    if m is not None:
        res.lines, res.nullable, res.asserted, res.ignored, res.errors_ignored = (int(m.group(i)) for i in range(1, 6))
    elif proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
    check = _run([tgo, "check", "--format", "json", "./..."], migrated, env, timeout)
    try:
        for d in json.loads(check.stdout or "[]"):
            if d.get("severity") == "error":
                res.check_errors[d["code"]] = res.check_errors.get(d["code"], 0) + 1
    except ValueError:
        res.check_errors["unreadable"] = 1
    # idempotent: migrating the migrated module again changes nothing (the diff it prints)
    res.again = len(_run([tgo, "migrate", *flags, "./..."], migrated, env, timeout).stdout.splitlines())
    os.environ["TGO_CACHE_DIR"] = env["TGO_CACHE_DIR"]
    res.lowered_files, res.lowered_differ, res.lowered_aligned = lowered_differences(plain, migrated)
    if tests:
        args = ["test", "-json", "-count=1", "-short", "-timeout=10m", "./..."]
        go_run = run_tests([go, *args], plain, env, timeout)
        tgo_run = run_tests([tgo, *args], migrated, env, timeout)
        res.go_outcome, res.tgo_outcome = go_run.outcomes, tgo_run.outcomes
        for pkg, failed in tgo_run.failed_tests.items():
            only = sorted(set(failed) - set(go_run.failed_tests.get(pkg, [])))
            if only:
                res.tgo_failed[pkg] = only
    else:
        res.go_outcome = build_outcome([go, "build", "./..."], plain, env, timeout)
        res.tgo_outcome = build_outcome([tgo, "build", "./..."], migrated, env, timeout)
    return res


def markdown(results: Sequence[Result], tests: bool) -> str:
    what = "test outcomes" if tests else "build"
    out = [
        f"| module | lines migrated | `?` /kloc | `!` /kloc | ignores /kloc (nil + error) | lines/s | lines/CPU s | "
        f"check errors | lowered = original (of which gofmt's layout apart) | {what} same |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    tot = Result("total")
    for r in results:
        errors = sum(r.check_errors.values())
        out.append(
            f"| {r.module} | {r.lines:,} | {r.per_kloc(r.nullable):.1f} | {r.per_kloc(r.asserted):.2f} | "
            f"{r.per_kloc(r.ignored + r.errors_ignored):.2f} ({r.per_kloc(r.ignored):.2f} + "
            f"{r.per_kloc(r.errors_ignored):.2f}) | {r.lines / r.seconds if r.seconds else 0:,.0f} | "
            f"{r.lines / r.cpu_seconds if r.cpu_seconds else 0:,.0f} | {errors} | "
            f"{r.lowered_files - len(r.lowered_differ)}/{r.lowered_files} ({len(r.lowered_aligned)}) | "
            f"{'yes' if r.same_outcome else 'no'} ({len(r.go_outcome)} pkgs) |")
        for name in ("lines", "nullable", "asserted", "ignored", "errors_ignored", "seconds", "cpu_seconds",
                     "lowered_files"):
            setattr(tot, name, getattr(tot, name) + getattr(r, name))
    if len(results) > 1:
        out.append(
            f"| **total** | {tot.lines:,} | {tot.per_kloc(tot.nullable):.1f} | {tot.per_kloc(tot.asserted):.2f} | "
            f"{tot.per_kloc(tot.ignored + tot.errors_ignored):.2f} ({tot.per_kloc(tot.ignored):.2f} + "
            f"{tot.per_kloc(tot.errors_ignored):.2f}) | {tot.lines / tot.seconds if tot.seconds else 0:,.0f} | "
            f"{tot.lines / tot.cpu_seconds if tot.cpu_seconds else 0:,.0f} | "
            f"{sum(sum(r.check_errors.values()) for r in results)} | "
            f"{tot.lowered_files - sum(len(r.lowered_differ) for r in results)}/{tot.lowered_files} "
            f"({sum(len(r.lowered_aligned) for r in results)}) | "
            f"{sum(r.same_outcome for r in results)}/{len(results)} |")
    changed = [f"{r.module} ({r.again} diff lines)" for r in results if r.again > 0]
    if any(r.again >= 0 for r in results):
        out += ["", "Migrated again (`tgo migrate ./...` on the migrated tree): "
                + (f"changes {', '.join(changed)}." if changed else "no change in any module migrated.")]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    module_run_arguments(ap, timeout=1800)
    ap.add_argument("--tests", action="store_true", help="compare go test and tgo test outcomes, not builds")
    ap.add_argument("--fewest-marks", action="store_true", help="migrate with tgo migrate --fewest-marks")
    args = ap.parse_args(argv)
    modules = chosen_modules(args.modules)
    if modules is None:
        return 2
    work = Path(args.work or tempfile.mkdtemp(prefix="tgo-migrate-"))
    results: list[Result] = []
    try:
        for m in modules:
            try:
                download(m)
            except FetchError as exc:
                print(f"{m.spec}: {exc}", file=sys.stderr)
                return 2
            print(f"== {m.spec}", file=sys.stderr, flush=True)
            r = measure(m, work / m.short, args.tgo, args.go, args.tests, args.timeout,
                        ["--fewest-marks"] if args.fewest_marks else [])
            print(f"   {r.lines} lines in {r.seconds:.1f} s ({r.cpu_seconds:.1f} CPU s); ? {r.nullable}, ! {r.asserted}, ignores {r.ignored} + "
                  f"{r.errors_ignored}; check errors {r.check_errors or 0}; lowered differ {r.lowered_differ or 0}; "
                  f"not migrated {r.not_migrated or 0}; same {r.same_outcome}; migrated again: {r.again} diff lines",
                  file=sys.stderr, flush=True)
            if not r.same_outcome:
                diff = {k: (r.go_outcome.get(k), r.tgo_outcome.get(k))
                        for k in sorted(set(r.go_outcome) | set(r.tgo_outcome))
                        if r.go_outcome.get(k) != r.tgo_outcome.get(k)}
                print(f"   differing: {diff}; failing only after migration: {r.tgo_failed}", file=sys.stderr)
            results.append(r)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    text = markdown(results, args.tests)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text)
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) for r in results], indent=1))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
