#!/usr/bin/env python3
"""Check the Go standard library with tgo's checker, every file as an oblivious .tgo file.

For every standard-library package (``go list std`` without ``cmd/...`` and
``vendor/...``, or the packages named with ``--packages``), in a pool of worker
processes, one package per task:

* read each of the package's ``GoFiles`` (``go list -json``: the files built for
  this platform, no tests), prepend the line ``//tgo:oblivious`` and parse it
  under the name ``<file>.tgo``;
* check the package's files as one unit with ``transpiler.check.check_parsed``;
* record the diagnostics, the time taken and any exception (a crash is recorded
  with its package and a traceback summary; the run goes on).

An oblivious file is exempt from the rules that judge plain Go (nil checking and
``unchecked-error``) but gets every other rule (enums, unions, ``?``), so plain
Go is expected to check clean: any diagnostic here is a false positive or a crash.

Diagnostics are reported against the original ``.go`` file: the line number
is the ``.tgo`` line minus the one prepended line.

Exit status: 0 when no package crashed the checker, 1 otherwise, 2 on a usage
error (no Go toolchain, ``go list`` failed).

Examples::

    python scripts/check_corpus.py                          # the whole standard library
    python scripts/check_corpus.py --packages net/http go/types --show 20
    python scripts/check_corpus.py --json /tmp/check-corpus.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from multiprocessing import Pool
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    # Appended, not prepended, so that an explicit PYTHONPATH wins.
    sys.path.append(str(ROOT))

from scripts.parse_corpus import _last_frames, count_lines, go_version  # noqa: E402

OBLIVIOUS = b"//tgo:oblivious\n"
PREPENDED_LINES = 1
MAX_LISTED = 50
TOP_PACKAGES = 10


# --- the corpus ---------------------------------------------------------------


@dataclass
class PackageSpec:
    import_path: str
    dir: str
    files: list[str]
    size: int = 0


class GoListError(Exception):
    pass


def _decode_stream(text: str) -> list[dict[str, object]]:
    """The JSON objects ``go list -json`` prints one after another."""
    dec = json.JSONDecoder()
    out: list[dict[str, object]] = []
    i = 0
    n = len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            return out
        obj, i = dec.raw_decode(text, i)
        if isinstance(obj, dict):
            out.append(obj)


def list_packages(patterns: Sequence[str]) -> tuple[list[PackageSpec], list[str]]:
    """The packages ``go list`` gives for ``patterns``, and go list's per-package errors.

    With the default pattern ``std``, ``cmd/...`` and ``vendor/...`` are left out.
    """
    go = shutil.which("go")
    if go is None:
        raise GoListError("go is not installed")
    cmd = [go, "list", "-e", "-json=ImportPath,Dir,GoFiles,Error", *patterns]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        raise GoListError(f"{' '.join(cmd)}: {exc}") from exc
    if proc.returncode != 0 and not proc.stdout.strip():
        raise GoListError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()[:500]}")
    specs: list[PackageSpec] = []
    errors: list[str] = []
    for obj in _decode_stream(proc.stdout):
        path = str(obj.get("ImportPath", ""))
        if path.startswith(("cmd/", "vendor/")) or path == "cmd":
            continue
        err = obj.get("Error")
        if isinstance(err, dict) and err.get("Err"):
            errors.append(f"{path}: {err.get('Err')}")
        files = obj.get("GoFiles")
        directory = str(obj.get("Dir", ""))
        if not isinstance(files, list) or not files or not directory:
            continue
        names = [str(f) for f in files]
        size = 0
        for f in names:
            with contextlib.suppress(OSError):
                size += os.path.getsize(os.path.join(directory, f))
        specs.append(PackageSpec(path, directory, names, size))
    specs.sort(key=lambda s: s.import_path)
    return specs, errors


# --- one package --------------------------------------------------------------


@dataclass
class Diag:
    file: str  # the original .go file, as go list names it (Dir/name)
    line: int  # in the .go file
    column: int
    code: str
    severity: str
    message: str
    source: str  # the text of that line


@dataclass
class PackageResult:
    import_path: str
    dir: str
    files: int = 0
    lines: int = 0
    size: int = 0
    parse_seconds: float = 0.0
    check_seconds: float = 0.0
    cpu_seconds: float = 0.0
    typed: int = 0
    untyped: int = 0
    diagnostics: list[Diag] = field(default_factory=list)
    crash: str | None = None  # "stage: Type: message (at frames)"
    crash_traceback: str | None = None

    @property
    def seconds(self) -> float:
        return self.parse_seconds + self.check_seconds


class PackageTimeout(Exception):
    pass


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise PackageTimeout("package took longer than the time limit")


def _line_text(lines_cache: dict[str, list[str]], text_of: dict[str, str], name: str, line: int) -> str:
    lines = lines_cache.get(name)
    if lines is None:
        lines = text_of.get(name, "").split("\n")
        lines_cache[name] = lines
    return lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""


def check_package(spec: PackageSpec, timeout: float = 0.0) -> PackageResult:
    """Parse the package's files as oblivious .tgo files and check them as one unit."""
    from transpiler.check import check_parsed
    from transpiler.syntax import parse_source

    res = PackageResult(spec.import_path, spec.dir, files=len(spec.files), size=spec.size)
    stage = "read"
    c0 = time.process_time()
    if timeout > 0:
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        parsed = []
        text_of: dict[str, str] = {}
        go_name: dict[str, str] = {}
        for f in spec.files:
            path = os.path.join(spec.dir, f)
            stage = "read"
            data = Path(path).read_bytes()
            res.lines += count_lines(data)
            name = path + ".tgo"
            go_name[name] = path
            stage = "parse"
            t0 = time.perf_counter()
            result = parse_source(OBLIVIOUS + data, name)
            res.parse_seconds += time.perf_counter() - t0
            text_of[name] = result.source.text
            parsed.append((result, name))
        stage = "check"
        t0 = time.perf_counter()
        checked = check_parsed(parsed)
        res.check_seconds = time.perf_counter() - t0
        res.typed, res.untyped = checked.typed, checked.untyped
        lines_cache: dict[str, list[str]] = {}
        for d in checked.diagnostics:
            res.diagnostics.append(
                Diag(
                    file=go_name.get(d.file, d.file),
                    line=d.line - PREPENDED_LINES,
                    column=d.column,
                    code=d.code,
                    severity=d.severity.value,
                    message=d.message,
                    source=_line_text(lines_cache, text_of, d.file, d.line),
                )
            )
    except Exception as exc:  # a crash is a finding, not the end of the run
        res.crash = f"{stage}: {_last_frames(exc)}"
        res.crash_traceback = "".join(traceback.format_exception(exc)[-12:])
    finally:
        if timeout > 0:
            signal.setitimer(signal.ITIMER_REAL, 0)
        res.cpu_seconds = time.process_time() - c0
    return res


# --- the pool -----------------------------------------------------------------


def _warm_up() -> None:
    """Load the parser table and the checker in a worker before it is timed."""
    from transpiler.check import check_parsed
    from transpiler.syntax import parse_source

    src = b"//tgo:oblivious\npackage p\n\nfunc f() int { return 1 }\n"
    check_parsed([(parse_source(src, "warm.go.tgo"), "warm.go.tgo")])


def _work(task: tuple[PackageSpec, float]) -> PackageResult:
    spec, timeout = task
    return check_package(spec, timeout)


def run_corpus(
    specs: Sequence[PackageSpec], jobs: int, timeout: float = 0.0, progress: bool = True
) -> tuple[list[PackageResult], float]:
    """Check every package in ``jobs`` processes; the results (sorted by import path) and the wall time."""
    # Largest first, so that the big packages start early and the small ones fill in at the end.
    tasks = [(s, timeout) for s in sorted(specs, key=lambda s: s.size, reverse=True)]
    results: list[PackageResult] = []
    total = len(tasks)
    start = time.perf_counter()
    last_report = start

    def note(r: PackageResult) -> None:
        nonlocal last_report
        results.append(r)
        now = time.perf_counter()
        if r.crash is not None and progress:
            print(f"  crash in {r.import_path}: {r.crash}", file=sys.stderr, flush=True)
        if progress and (now - last_report >= 10 or len(results) == total):
            last_report = now
            lines = sum(x.lines for x in results)
            diags = sum(len(x.diagnostics) for x in results)
            crashes = sum(x.crash is not None for x in results)
            print(
                f"  ... {len(results)}/{total} packages, {lines:,} lines, {diags:,} diagnostics, "
                f"{crashes} crashes, {now - start:.0f} s",
                file=sys.stderr,
                flush=True,
            )

    if jobs <= 1:
        _warm_up()
        start = time.perf_counter()
        for t in tasks:
            note(_work(t))
    else:
        with Pool(processes=jobs, initializer=_warm_up, maxtasksperchild=50) as pool:
            for r in pool.imap_unordered(_work, tasks):
                note(r)
    wall = time.perf_counter() - start
    results.sort(key=lambda r: r.import_path)
    return results, wall


# --- the report ---------------------------------------------------------------


@dataclass
class Summary:
    go_version: str
    python: str
    jobs: int
    packages: int
    files: int
    lines: int
    bytes: int
    wall_seconds: float
    parse_seconds: float
    check_seconds: float
    cpu_seconds: float
    typed: int
    untyped: int
    diagnostics: int
    by_code: dict[str, int]
    top_packages: list[dict[str, object]]
    crashes: list[dict[str, object]]
    slowest: list[dict[str, object]]
    go_list_errors: list[str]
    load_before: float = 0.0
    load_after: float = 0.0


def summarize(results: Sequence[PackageResult], wall: float, jobs: int, go_list_errors: list[str]) -> Summary:
    by_code: Counter[str] = Counter()
    for r in results:
        by_code.update(d.code for d in r.diagnostics)
    top = sorted(results, key=lambda r: (-len(r.diagnostics), r.import_path))[:TOP_PACKAGES]
    slow = sorted(results, key=lambda r: r.cpu_seconds, reverse=True)[:10]
    return Summary(
        go_version=go_version(),
        python=sys.version.split()[0],
        jobs=jobs,
        packages=len(results),
        files=sum(r.files for r in results),
        lines=sum(r.lines for r in results),
        bytes=sum(r.size for r in results),
        wall_seconds=wall,
        parse_seconds=sum(r.parse_seconds for r in results),
        check_seconds=sum(r.check_seconds for r in results),
        cpu_seconds=sum(r.cpu_seconds for r in results),
        typed=sum(r.typed for r in results),
        untyped=sum(r.untyped for r in results),
        diagnostics=sum(by_code.values()),
        by_code=dict(sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0]))),
        top_packages=[
            {
                "package": r.import_path,
                "diagnostics": len(r.diagnostics),
                "by_code": dict(Counter(d.code for d in r.diagnostics).most_common()),
                "lines": r.lines,
            }
            for r in top
            if r.diagnostics
        ],
        crashes=[
            {"package": r.import_path, "crash": r.crash, "traceback": r.crash_traceback}
            for r in results
            if r.crash is not None
        ],
        slowest=[
            {
                "package": r.import_path,
                "lines": r.lines,
                "seconds": round(r.seconds, 3),
                "cpu_seconds": round(r.cpu_seconds, 3),
                "lines_per_second": round(r.lines / r.seconds) if r.seconds else 0,
            }
            for r in slow
        ],
        go_list_errors=go_list_errors,
    )


def _rate(lines: int, seconds: float) -> str:
    return f"{lines / seconds:,.0f}" if seconds > 0 else "n/a"


def print_summary(s: Summary) -> None:
    p = print
    p(
        f"tgo check corpus: the standard library as oblivious .tgo ({s.go_version}, Python {s.python}, {s.jobs} processes)"
    )
    rows = [
        ("packages", f"{s.packages:,}"),
        ("files", f"{s.files:,}"),
        ("lines", f"{s.lines:,} ({s.bytes / 1e6:.1f} MB)"),
        (
            "wall time",
            f"{s.wall_seconds:.1f} s ({_rate(s.lines, s.wall_seconds)} lines/s over {s.jobs} processes)",
        ),
        (
            "per process",
            f"{_rate(s.lines, s.parse_seconds + s.check_seconds)} lines/s parse + check, "
            f"{_rate(s.lines, s.cpu_seconds)} lines/s by CPU time "
            f"(parse {s.parse_seconds:.1f} s, check {s.check_seconds:.1f} s, CPU {s.cpu_seconds:.1f} s)",
        ),
        (
            "typed expressions",
            f"{s.typed:,} of {s.typed + s.untyped:,} ({100 * s.typed / max(1, s.typed + s.untyped):.1f}%)",
        ),
        ("crashes", f"{len(s.crashes)}"),
        ("diagnostics", f"{s.diagnostics:,}"),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        p(f"  {k:<{width}}  {v}")
    if s.by_code:
        p("diagnostics by code:")
        for code, n in s.by_code.items():
            p(f"  {n:7,d}  {code}")
    if s.top_packages:
        p(f"top {len(s.top_packages)} packages by diagnostics:")
        for t in s.top_packages:
            by = t["by_code"]
            codes = ", ".join(f"{c} {n}" for c, n in by.items()) if isinstance(by, dict) else ""
            p(f"  {t['diagnostics']:6,d}  {t['package']} ({t['lines']:,} lines; {codes})")
    if s.crashes:
        p(f"crashes: {len(s.crashes)}")
        for c in s.crashes[:MAX_LISTED]:
            p(f"  {c['package']}: {c['crash']}")
        if len(s.crashes) > MAX_LISTED:
            p(f"  ... and {len(s.crashes) - MAX_LISTED} more")
    if s.go_list_errors:
        p(f"go list errors (the packages were still checked): {len(s.go_list_errors)}")
        for e in s.go_list_errors[:MAX_LISTED]:
            p(f"  {e}")
    p("slowest packages (by CPU time):")
    for f in s.slowest[:5]:
        p(
            f"  {f['package']}: {f['lines']:,} lines in {f['seconds']} s, {f['cpu_seconds']} s CPU "
            f"({f['lines_per_second']:,} lines/s)"
        )
    p(
        f"load average (1 min) before / after: {s.load_before:.2f} / {s.load_after:.2f} on {os.cpu_count()} cores"
    )
    p("result: " + ("OK (no crashes)" if not s.crashes else f"FAILED ({len(s.crashes)} packages crashed)"))


def show_sample(results: Sequence[PackageResult], n: int, seed: int) -> None:
    """Print ``n`` random diagnostics with their source lines, to judge by eye whether they are right."""
    every = [d for r in results for d in r.diagnostics]
    if not every:
        print("no diagnostics to show")
        return
    picked = random.Random(seed).sample(every, min(n, len(every)))
    picked.sort(key=lambda d: (d.file, d.line, d.column))
    print(f"{len(picked)} random diagnostics of {len(every):,} (seed {seed}):")
    for d in picked:
        print(f"{d.file}:{d.line}:{d.column}: {d.severity}: {d.message} [{d.code}]")
        print(f"    {d.source.strip()}")


# --- main ---------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument(
        "--packages", nargs="+", metavar="P", help="import paths or go list patterns (default: std)"
    )
    ap.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)"
    )
    ap.add_argument("--json", type=Path, metavar="OUT", help="write the summary and per-package results here")
    ap.add_argument(
        "--show",
        type=int,
        nargs="?",
        const=20,
        default=0,
        metavar="N",
        help="print N random diagnostics with their source lines (N defaults to 20)",
    )
    ap.add_argument("--seed", type=int, default=0, help="seed for --show (default 0)")
    ap.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        metavar="S",
        help="count a package that takes longer than S seconds as a crash (default 600; 0: no limit)",
    )
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    args = ap.parse_args(argv)

    patterns = args.packages or ["std"]
    try:
        specs, go_list_errors = list_packages(patterns)
    except GoListError as exc:
        print(f"check_corpus: {exc}", file=sys.stderr)
        return 2
    if not specs:
        print(f"check_corpus: no packages with Go files for {' '.join(patterns)}", file=sys.stderr)
        return 2
    jobs = max(1, min(args.jobs, len(specs)))
    if not args.quiet:
        nfiles = sum(len(s.files) for s in specs)
        print(f"checking {len(specs):,} packages ({nfiles:,} files) with {jobs} processes", file=sys.stderr)

    load_before = os.getloadavg()[0]
    results, wall = run_corpus(specs, jobs, timeout=args.timeout, progress=not args.quiet)
    load_after = os.getloadavg()[0]
    summary = summarize(results, wall, jobs, go_list_errors)
    summary.load_before, summary.load_after = load_before, load_after
    print_summary(summary)
    if args.show:
        show_sample(results, args.show, args.seed)
    if args.json is not None:
        doc = {
            "command": shlex.join(
                ["python", "scripts/check_corpus.py", *(sys.argv[1:] if argv is None else argv)]
            ),
            "summary": asdict(summary),
            "packages": [asdict(r) for r in results],
        }
        args.json.write_text(json.dumps(doc, indent=1) + "\n")
        print(f"wrote {args.json}")
    return 1 if summary.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
