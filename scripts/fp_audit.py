#!/usr/bin/env python3
"""The false-positive audit: tgo's checker on real modules renamed to strict .tgo files.

For each pinned module of ``scripts/realmods.py`` (or those named with ``--modules``):

* fetch it through the Go module proxy (``go mod download -json``) and copy it
  to a work directory, writable;
* rename every ``.go`` file to ``.tgo`` without ``//tgo:oblivious``, so every
  nil rule applies — ``_test.go`` files included (they are code a user would
  rename too, and leaving them out would hide what they show);
* check the tree the way ``tgo check ROOT/...`` does (the same grouping of
  files into packages, ``transpiler.check.files.packages``, and the same
  ``check_files`` call, without the result cache), one package at a time; an
  exception is recorded as a crash with its package and the run goes on;
* count lines (every line of every checked file) and diagnostics, by code and
  by module, and draw a reproducible random sample of diagnostics (fixed seed)
  with their source context, to be classified by hand (docs/fp-audit.md).

Exit status: 0 when no package crashed the checker, 1 when one did or a module
could not be fetched, 2 on a usage error (no Go toolchain, unknown module).

Examples::

    python scripts/fp_audit.py                                   # all pinned modules
    python scripts/fp_audit.py --modules github.com/google/uuid --sample 10
    python scripts/fp_audit.py --json /tmp/fp.json --markdown /tmp/fp.md --seed 10
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    # Appended, not prepended, so that an explicit PYTHONPATH wins.
    sys.path.append(str(ROOT))

from scripts import realmods  # noqa: E402
from scripts.check_corpus import _on_alarm  # noqa: E402
from scripts.parse_corpus import _last_frames, count_lines, go_version  # noqa: E402

DEFAULT_SEED = 10
DEFAULT_SAMPLE = 100
DEFAULT_CONTEXT = 3


@dataclass
class Diag:
    module: str
    file: str  # relative to the module root, as the .tgo file
    line: int
    column: int
    code: str
    severity: str
    message: str
    context: list[str] = field(default_factory=list)  # "NNN| text" lines around it; ">" marks the line

    @property
    def test_file(self) -> bool:
        return self.file.endswith("_test.tgo")


@dataclass
class ModuleResult:
    module: str
    version: str
    packages: int = 0
    files: int = 0
    test_files: int = 0
    lines: int = 0
    test_lines: int = 0
    seconds: float = 0.0
    diagnostics: list[Diag] = field(default_factory=list)
    crashes: list[dict[str, str]] = field(default_factory=list)  # {"package", "crash", "traceback"}
    fetch_error: str | None = None


def _context(lines: list[str], line: int, n: int) -> list[str]:
    lo, hi = max(1, line - n), min(len(lines), line + n)
    return [f"{'>' if i == line else ' '}{i:5d}| {lines[i - 1].rstrip()}" for i in range(lo, hi + 1)]


def audit_module(module: realmods.Module, workdir: Path, context: int, timeout: float) -> ModuleResult:
    """Copy ``module`` to ``workdir``, rename its files to .tgo and check every package."""
    from transpiler.check.driver import check_files
    from transpiler.check.files import packages

    res = ModuleResult(module.path, module.version)
    start = time.perf_counter()
    try:
        tree = realmods.copy_module(module, workdir.resolve())
    except (realmods.FetchError, OSError) as exc:
        res.fetch_error = str(exc)
        return res
    realmods.rename_to_tgo(tree)
    groups, _problems = packages([f"{tree}/..."])
    importers: dict[tuple[object, ...], object] = {}
    for files in groups:
        tgo_files = [f for f in files if f.endswith(".tgo")]
        if not tgo_files:
            continue
        res.packages += 1
        texts: dict[str, list[str]] = {}
        for f in tgo_files:
            data = Path(f).read_bytes()
            n = count_lines(data)
            res.files += 1
            res.lines += n
            if f.endswith("_test.tgo"):
                res.test_files += 1
                res.test_lines += n
            texts[f] = data.decode("utf-8", "replace").split("\n")
        package = str(Path(tgo_files[0]).parent.relative_to(tree))
        if timeout > 0:
            signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            result = check_files(files, use_cache=False, importers=importers)
        except Exception as exc:  # a crash is a finding, not the end of the run
            res.crashes.append(
                {
                    "package": package,
                    "crash": _last_frames(exc),
                    "traceback": "".join(traceback.format_exception(exc)[-12:]),
                }
            )
            continue
        finally:
            if timeout > 0:
                signal.setitimer(signal.ITIMER_REAL, 0)
        for d in result.diagnostics:
            lines = texts.get(d.file, [])
            res.diagnostics.append(
                Diag(
                    module=module.path,
                    file=os.path.relpath(d.file, tree),
                    line=d.line,
                    column=d.column,
                    code=d.code,
                    severity=d.severity.value,
                    message=d.message,
                    context=_context(lines, d.line, context),
                )
            )
    res.seconds = time.perf_counter() - start
    return res


# --- the report ---------------------------------------------------------------


def per_kloc(n: int, lines: int) -> float:
    return 1000.0 * n / lines if lines else 0.0


def draw_sample(results: Sequence[ModuleResult], n: int, seed: int) -> list[Diag]:
    """``n`` diagnostics drawn at random with ``seed`` (from a sorted list, so the draw
    depends only on the diagnostics), sorted by module, file and line."""
    every = sorted(
        (d for r in results for d in r.diagnostics),
        key=lambda d: (d.module, d.file, d.line, d.column, d.code, d.message),
    )
    picked = random.Random(seed).sample(every, min(n, len(every)))
    picked.sort(key=lambda d: (d.module, d.file, d.line, d.column, d.code))
    return picked


@dataclass
class Summary:
    go_version: str
    modules: list[dict[str, object]]
    lines: int
    test_lines: int
    test_diagnostics: int
    files: int
    packages: int
    diagnostics: int
    per_kloc: float
    by_code: dict[str, int]
    by_code_per_kloc: dict[str, float]
    crashes: int
    fetch_errors: list[str]
    seconds: float
    seed: int
    sample_size: int


def summarize(results: Sequence[ModuleResult], seconds: float, seed: int, sample_size: int) -> Summary:
    by_code: Counter[str] = Counter(d.code for r in results for d in r.diagnostics)
    lines = sum(r.lines for r in results)
    total = sum(by_code.values())
    return Summary(
        go_version=go_version(),
        modules=[
            {
                "module": r.module,
                "version": r.version,
                "packages": r.packages,
                "files": r.files,
                "lines": r.lines,
                "test_lines": r.test_lines,
                "diagnostics": len(r.diagnostics),
                "per_kloc": round(per_kloc(len(r.diagnostics), r.lines), 1),
                "by_code": dict(Counter(d.code for d in r.diagnostics).most_common()),
                "crashes": len(r.crashes),
                "seconds": round(r.seconds, 1),
            }
            for r in results
        ],
        lines=lines,
        test_lines=sum(r.test_lines for r in results),
        test_diagnostics=sum(d.test_file for r in results for d in r.diagnostics),
        files=sum(r.files for r in results),
        packages=sum(r.packages for r in results),
        diagnostics=total,
        per_kloc=round(per_kloc(total, lines), 1),
        by_code=dict(sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_code_per_kloc={c: round(per_kloc(n, lines), 2) for c, n in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0]))},
        crashes=sum(len(r.crashes) for r in results),
        fetch_errors=[f"{r.module}: {r.fetch_error}" for r in results if r.fetch_error],
        seconds=round(seconds, 1),
        seed=seed,
        sample_size=sample_size,
    )


def markdown_summary(s: Summary) -> str:
    """The summary as markdown tables (for docs/checker.md)."""
    out: list[str] = []
    out.append(
        f"{len(s.modules)} modules, {s.packages} packages, {s.files:,} files, {s.lines:,} lines "
        f"({s.test_lines:,} in `_test` files, included); {s.diagnostics:,} diagnostics, "
        f"**{s.per_kloc} per 1,000 lines**; {s.crashes} crashes; {s.seconds} s ({s.go_version}).\n"
    )
    code_lines, code_diags = s.lines - s.test_lines, s.diagnostics - s.test_diagnostics
    out.append(
        f"Outside `_test` files: {code_lines:,} lines, {code_diags:,} diagnostics "
        f"({per_kloc(code_diags, code_lines):.1f} per 1,000 lines); in `_test` files: {s.test_lines:,} lines, "
        f"{s.test_diagnostics:,} diagnostics ({per_kloc(s.test_diagnostics, s.test_lines):.1f} per 1,000 lines).\n"
    )
    out.append("| module | version | lines | diagnostics | per 1,000 lines | by code |")
    out.append("|---|---|---:|---:|---:|---|")
    for m in s.modules:
        by = m["by_code"]
        codes = ", ".join(f"{c} {n}" for c, n in by.items()) if isinstance(by, dict) else ""
        out.append(
            f"| {m['module']} | {m['version']} | {m['lines']:,} | {m['diagnostics']:,} | {m['per_kloc']} | {codes} |"
        )
    out.append("")
    out.append("| code | diagnostics | per 1,000 lines |")
    out.append("|---|---:|---:|")
    for code, n in s.by_code.items():
        out.append(f"| `{code}` | {n:,} | {s.by_code_per_kloc[code]} |")
    out.append(f"| all | {s.diagnostics:,} | {s.per_kloc} |")
    return "\n".join(out) + "\n"


def markdown_sample(sample: Sequence[Diag], seed: int) -> str:
    """The sampled diagnostics with their context, to classify by hand."""
    out = [f"{len(sample)} diagnostics drawn with seed {seed}.\n"]
    for i, d in enumerate(sample, 1):
        out.append(f"### {i}. {d.module} `{d.file}:{d.line}:{d.column}` [{d.code}]\n")
        out.append(f"{d.message}\n")
        out.append("```go")
        out.extend(d.context)
        out.append("```\n")
    return "\n".join(out)


def print_summary(s: Summary) -> None:
    print(f"fp audit: {len(s.modules)} modules as strict .tgo ({s.go_version})")
    for m in s.modules:
        print(
            f"  {m['module']}@{m['version']}: {m['lines']:,} lines, {m['diagnostics']:,} diagnostics "
            f"({m['per_kloc']} per 1,000 lines), {m['crashes']} crashes, {m['seconds']} s"
        )
    print(f"total: {s.lines:,} lines, {s.diagnostics:,} diagnostics ({s.per_kloc} per 1,000 lines), {s.seconds} s")
    for code, n in s.by_code.items():
        print(f"  {n:6,d}  {s.by_code_per_kloc[code]:6.2f}/kloc  {code}")
    for e in s.fetch_errors:
        print(f"fetch error: {e}")
    print("result: " + ("OK (no crashes)" if not s.crashes else f"FAILED ({s.crashes} packages crashed)"))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--modules", nargs="+", metavar="M", help="module paths or PATH@VERSION (default: all pinned)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed of the sample (default {DEFAULT_SEED})")
    ap.add_argument("--sample", type=int, default=DEFAULT_SAMPLE, metavar="N", help=f"diagnostics to draw (default {DEFAULT_SAMPLE})")
    ap.add_argument("--context", type=int, default=DEFAULT_CONTEXT, metavar="N", help=f"source lines either side (default {DEFAULT_CONTEXT})")
    ap.add_argument("--workdir", type=Path, metavar="DIR", help="where the modules are copied (default: a temporary directory, removed)")
    ap.add_argument("--json", type=Path, metavar="OUT", help="write the summary, the sample and every diagnostic here")
    ap.add_argument("--markdown", type=Path, metavar="OUT", help="write the summary tables and the sample here")
    ap.add_argument("--timeout", type=float, default=300.0, metavar="S", help="count a package that takes longer as a crash (default 300; 0: no limit)")
    args = ap.parse_args(argv)
    if shutil.which("go") is None:
        print("fp_audit: go is not installed", file=sys.stderr)
        return 2
    try:
        modules = realmods.find(args.modules) if args.modules else list(realmods.MODULES)
    except realmods.FetchError as exc:
        print(f"fp_audit: {exc}", file=sys.stderr)
        return 2
    temp = None
    workdir: Path = args.workdir
    if workdir is None:
        temp = tempfile.TemporaryDirectory(prefix="tgo-fp-audit-")
        workdir = Path(temp.name)
    start = time.perf_counter()
    results: list[ModuleResult] = []
    try:
        for m in modules:
            print(f"  {m.spec} ...", file=sys.stderr, flush=True)
            results.append(audit_module(m, workdir, args.context, args.timeout))
    finally:
        if temp is not None:
            temp.cleanup()
    seconds = time.perf_counter() - start
    sample = draw_sample(results, args.sample, args.seed)
    summary = summarize(results, seconds, args.seed, len(sample))
    print_summary(summary)
    for r in results:
        for c in r.crashes:
            print(f"crash in {r.module} {c['package']}: {c['crash']}")
    command = shlex.join(["python", "scripts/fp_audit.py", *(sys.argv[1:] if argv is None else argv)])
    if args.json is not None:
        doc = {
            "command": command,
            "summary": asdict(summary),
            "sample": [asdict(d) for d in sample],
            "modules": [asdict(r) for r in results],
        }
        args.json.write_text(json.dumps(doc, indent=1) + "\n")
        print(f"wrote {args.json}")
    if args.markdown is not None:
        args.markdown.write_text(
            f"Produced by `{command}`.\n\n" + markdown_summary(summary) + "\n## Sample\n\n" + markdown_sample(sample, args.seed)
        )
        print(f"wrote {args.markdown}")
    failed = summary.crashes > 0 or bool(summary.fetch_errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
