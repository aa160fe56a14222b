#!/usr/bin/env python3
"""`tgo check` against `go vet` on standard packages, in one interleaved run (issue 15).

For each package (net/http, go/types, crypto/tls, encoding/json by default), two copies
are made inside a symlinked copy of GOROOT (``cp -rs``: the real GOROOT is not
touched; the copies sit below the package, ``net/http/tgobench_go``, so that its
``internal`` packages and the standard library's vendored modules stay importable):

* ``tgobench_go``: its ``GoFiles`` as they are, for ``go vet``;
* ``tgobench_tgo``: the same files as oblivious ``.tgo`` files (``//tgo:oblivious``
  prepended), as ``scripts/check_corpus.py`` and ``bench/check_bench.py`` (b) check
  them, for ``tgo check`` (the whole command: tgo's checker and Go's own type check
  through ``go vet -vettool`` on the lowered package).

Each round, per package, in this order (every tgo build given with ``--tgo`` has a
cache directory of its own for the whole run, so the stub caches, Go's type-check
helper and the go vet configurations it keeps (``gotypes/replay/``: what go vet found
of the dependencies, as go vet's own build cache keeps it) are warm; its result cache
``check/`` and its kept trees of the package's files ``trees/files/`` are emptied
before each cold check):

1. a comment line new to go (``// tgobench N``, N a number drawn for this run plus the
   round) appended to the package's largest file in both copies: go vet keeps its
   answer for a package whose files it has seen, so without it ``go vet`` of the
   unchanged copy would answer from its cache and vet nothing (before 2026-12-05 the
   anchor was that cache hit: 0.15 s for go/types, against 0.31 s for vetting it);
2. ``go vet`` of the Go copy (its dependencies cached: everything runs once first; the
   package itself vetted), then ``go vet`` again (the same files: its cached answer,
   reported beside it, not used in the ratios);
3. ``tgo check`` of the tgo copy with an empty result cache, for each build;
4. a one-line edit in both copies (a statement added at the start of the first
   function body of the package's largest file: ``_ = N``, N as in step 1, so that go
   has not seen the edited text either);
5. ``go vet`` after the edit, and ``tgo check`` after the edit for each build (its
   result cache warm from step 3: the edited file is checked again);
6. the copies restored.

Reported per package: median wall and CPU (user + system, with children) of each;
the ratios tgo / go vet (wall, and CPU), go vet being the run that vetted the package, and the peak RSS of the largest process of a cold
``tgo check`` (``wait4``). ``--no-go-share`` skips one more cold check per build run
with no ``go`` on its PATH (the checker alone), which gives Go's share of a cold check.
Never loop it: two shared cores; the load average before and after is printed.
``--write-docs`` rewrites the ``## tgo check against go vet`` section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
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

from bench.docs_section import replace_section, without_notes  # noqa: E402
from bench.parse_bench import cpu_model  # noqa: E402
from scripts.check_corpus import OBLIVIOUS  # noqa: E402

SECTION = "## tgo check against go vet"
PACKAGES = ("net/http", "go/types", "crypto/tls", "encoding/json")
GO_COPY = "tgobench_go"
TGO_COPY = "tgobench_tgo"
_FUNC_LINE = re.compile(rb"^func .*\{\n", re.MULTILINE)


@dataclass
class Sample:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)

    def add(self, wall: float, cpu: float, rss_kb: int) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.rss_mb.append(rss_kb / 1024)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def run(cmd: Sequence[str], cwd: Path, env: dict[str, str], ok: Sequence[int] = (0, 1)) -> tuple[float, float, int]:
    """(wall s, CPU s of the process and its children, peak RSS kB of the largest of them) of one run."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {err.decode(errors='replace')[-800:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


@dataclass
class Package:
    import_path: str
    files: list[str]
    lines: int
    go_dir: Path
    tgo_dir: Path
    edit_file: str  # the largest file's name

    def originals(self) -> dict[Path, bytes]:
        return {self.go_dir / f: (self.go_dir / f).read_bytes() for f in self.files} | {
            self.tgo_dir / (f + ".tgo"): (self.tgo_dir / (f + ".tgo")).read_bytes() for f in self.files}


def make_goroot(work: Path, go: str) -> Path:
    real = Path(subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip())
    goroot = work / "goroot"
    subprocess.run(["cp", "-rs", str(real), str(goroot)], check=True)
    return goroot


def make_copies(goroot: Path, import_path: str, go: str, env: dict[str, str]) -> Package:
    listed = subprocess.run([go, "list", "-f", "{{.Dir}}\n{{join .GoFiles \" \"}}", import_path], env=env,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    src, files = Path(listed[0]), listed[1].split()
    go_dir = goroot / "src" / import_path / GO_COPY
    tgo_dir = goroot / "src" / import_path / TGO_COPY
    go_dir.mkdir()
    tgo_dir.mkdir()
    lines = 0
    for f in files:
        data = (src / f).read_bytes()
        lines += data.count(b"\n")
        (go_dir / f).write_bytes(data)
        (tgo_dir / (f + ".tgo")).write_bytes(OBLIVIOUS + data)
    largest = max(files, key=lambda f: (src / f).stat().st_size)
    return Package(import_path, files, lines, go_dir, tgo_dir, largest)


def unseen(data: bytes, n: int) -> bytes:
    """``data`` with a comment line naming ``n`` appended: a text go's vet cache has not seen."""
    return data + (b"" if data.endswith(b"\n") else b"\n") + b"// tgobench %d\n" % n


def edited(data: bytes, n: int) -> bytes:
    """``data`` with ``_ = n`` as the first statement of its first function body."""
    m = _FUNC_LINE.search(data)
    if m is None:
        raise ValueError("no function body to edit")
    return data[: m.end()] + b"\t_ = %d\n" % n + data[m.end():]


def named_builds(specs: Sequence[str]) -> dict[str, str]:
    """The builds of ``--tgo NAME=PATH`` arguments: name -> absolute path (a bare PATH names itself)."""
    builds: dict[str, str] = {}
    for spec in specs:
        name, _, path = spec.rpartition("=")
        builds[name or path] = os.path.abspath(path)
    return builds


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tgo", action="append", required=True, metavar="NAME=TGO_PY",
                    help="a tgo build to time, e.g. after=.venv/bin/tgo-py (repeat for an A/B run)")
    ap.add_argument("--package", action="append", default=[], help=f"default: {', '.join(PACKAGES)}")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-go-share", action="store_true")
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--note", action="append", default=[])
    args = ap.parse_args(argv)
    go = shutil.which("go")
    if go is None:
        print("vet_bench: go is not on PATH", file=sys.stderr)
        return 2
    builds = named_builds(args.tgo)
    packages = args.package or list(PACKAGES)
    load_before = load()
    with tempfile.TemporaryDirectory(prefix="tgo-vet-bench-") as tmp:
        work = Path(tmp)
        goroot = make_goroot(work, go)
        env0 = {k: v for k, v in os.environ.items() if k not in ("GOFLAGS", "TGO_CACHE_DIR")}
        env0["GOROOT"] = str(goroot)
        caches = {b: work / f"cache-{i}" for i, b in enumerate(builds)}
        pkgs = [make_copies(goroot, p, go, env0) for p in packages]
        src = goroot / "src"
        vet = [go, "vet"]
        times: dict[tuple[str, str, str], Sample] = {}

        def tgo_env(b: str, path: str | None = None) -> dict[str, str]:
            env = dict(env0, TGO_CACHE_DIR=str(caches[b]))
            if path is not None:
                env["PATH"] = path
            return env

        def empty(b: str) -> None:  # the result cache and the package files' trees (not the stubs')
            shutil.rmtree(caches[b] / "check", ignore_errors=True)
            shutil.rmtree(caches[b] / "trees" / "files", ignore_errors=True)

        def cold(b: str, p: Package) -> None:
            empty(b)
            times.setdefault((p.import_path, b, "cold"), Sample()).add(
                *run([builds[b], "check", f"{p.import_path}/{TGO_COPY}"], src, tgo_env(b)))

        # everything once: Go's build cache, tgo's stub caches, its type-check helper, bytecode
        for p in pkgs:
            run([*vet, f"./{p.import_path}/{GO_COPY}"], src, env0)
            for b in builds:
                run([builds[b], "check", f"{p.import_path}/{TGO_COPY}"], src, tgo_env(b))
        nonce = int.from_bytes(os.urandom(5), "big") * 1000  # (this run's texts: new to go's vet cache)
        for r in range(args.rounds):
            order = list(builds) if r % 2 == 0 else list(reversed(builds))
            for p in pkgs:
                saved = p.originals()
                try:
                    largest = ((p.go_dir, p.edit_file), (p.tgo_dir, p.edit_file + ".tgo"))
                    fresh = {d / name: unseen(saved[d / name], nonce + r) for d, name in largest}
                    for path, data in fresh.items():
                        path.write_bytes(data)
                    times.setdefault((p.import_path, "go vet", "cold"), Sample()).add(
                        *run([*vet, f"./{p.import_path}/{GO_COPY}"], src, env0))
                    times.setdefault((p.import_path, "go vet", "cached"), Sample()).add(
                        *run([*vet, f"./{p.import_path}/{GO_COPY}"], src, env0))
                    for b in order:
                        cold(b, p)
                    for path, data in fresh.items():
                        path.write_bytes(edited(data, nonce + r))
                    times.setdefault((p.import_path, "go vet", "edit"), Sample()).add(
                        *run([*vet, f"./{p.import_path}/{GO_COPY}"], src, env0))
                    for b in order:
                        times.setdefault((p.import_path, b, "edit"), Sample()).add(
                            *run([builds[b], "check", f"{p.import_path}/{TGO_COPY}"], src, tgo_env(b)))
                finally:
                    for path, data in saved.items():
                        path.write_bytes(data)
        if not args.no_go_share:  # the checker alone: no go on PATH (exit 2: Go's errors not checked)
            no_go = os.path.dirname(sys.executable)
            for p in pkgs:
                for b in builds:
                    empty(b)
                    times.setdefault((p.import_path, b, "nogo"), Sample()).add(
                        *run([builds[b], "check", f"{p.import_path}/{TGO_COPY}"], src, tgo_env(b, no_go),
                             ok=(0, 1, 2)))
    load_after = load()
    text = report(pkgs, builds, times, args.rounds, load_before, load_after, not args.no_go_share)
    print(text)
    if args.write_docs:
        command = " ".join(["python", "bench/vet_bench.py", *without_notes(sys.argv[1:] if argv is None else argv)])
        notes = "".join(f"- {n}\n" for n in args.note)
        replace_section(SECTION, f"{SECTION}\n\n{text}\n{notes}\nCommand: `{command}`\n")
    return 0


def report(pkgs: list[Package], builds: dict[str, str], times: dict[tuple[str, str, str], Sample], rounds: int,
           load_before: str, load_after: str, go_share: bool) -> str:
    names = list(builds)
    head = ["| package | lines | go vet | " + " | ".join(f"tgo check ({b})" for b in names) + " | "
            + " | ".join(f"ratio ({b}): wall, CPU" for b in names) + " |"]
    head.append("|---" * (3 + 2 * len(names)) + "|")
    out = [
        f"{datetime.date.today()}, {cpu_model()}, {platform.machine()}, {os.cpu_count()} cores (shared), "
        f"Python {platform.python_version()}; load average before {load_before}, after {load_after}. "
        f"Median of {rounds} interleaved rounds of fresh processes; wall time, CPU time (user + system with "
        "children) in parentheses; ratio = tgo check / go vet (wall). Packages copied into a symlinked GOROOT "
        "(`tgobench_go`: the `GoFiles`; `tgobench_tgo`: the same as oblivious .tgo files).",
        "",
        "**Empty result cache** (`tgo check`: no result and no kept tree of the package's files; the stub "
        "caches, Go's type-check helper and its kept go vet configurations warm; `go vet`: dependencies "
        "cached, the package itself vetted: its largest file ends in a comment line go has not seen):",
        "",
        *head,
    ]

    def cell(s: Sample) -> str:
        return f"{s.median * 1000:,.0f} ms ({s.median_cpu * 1000:,.0f})"

    def rows(kind: str) -> list[str]:
        lines = []
        for p in pkgs:
            v = times[(p.import_path, "go vet", kind)]
            ts = [times[(p.import_path, b, kind)] for b in names]
            lines.append(f"| {p.import_path} | {p.lines:,} | {cell(v)} | " + " | ".join(cell(t) for t in ts)
                         + " | " + " | ".join(f"{t.median / v.median:.2f}x, {t.median_cpu / v.median_cpu:.2f}x"
                                              for t in ts) + " |")
        return lines

    out += rows("cold")
    cached = ", ".join(f"{p.import_path} {cell(times[(p.import_path, 'go vet', 'cached')])}" for p in pkgs)
    out += ["", f"`go vet` again on the same files, answering from its cache (not vetting; not a ratio's anchor): {cached}."]
    out += ["", "**After a one-line edit** in a function body of the package's largest file (`_ = N` added as "
            "the first statement of its first function, N new to go's cache; `tgo check`'s result cache and kept trees warm "
            "from the cold check):", "",
            *head, *rows("edit"), ""]
    rss = ["| package | " + " | ".join(f"peak RSS ({b})" for b in names) + " |", "|---" * (1 + len(names)) + "|"]
    for p in pkgs:
        rss.append(f"| {p.import_path} | " + " | ".join(
            f"{max(times[(p.import_path, b, 'cold')].rss_mb):,.0f} MB" for b in names) + " |")
    out += ["Peak RSS of a cold `tgo check` (the largest process: tgo itself, or go vet with Go's type "
            "check):", "", *rss, ""]
    if go_share:
        share = ["| package | " + " | ".join(f"checker alone ({b})" for b in names) + " |",
                 "|---" * (1 + len(names)) + "|"]
        for p in pkgs:
            share.append(f"| {p.import_path} | " + " | ".join(
                f"{cell(times[(p.import_path, b, 'nogo')])}; Go's check adds "
                f"{(times[(p.import_path, b, 'cold')].median - times[(p.import_path, b, 'nogo')].median) * 1000:,.0f} ms"
                for b in names) + " |")
        out += ["The checker alone (a cold `tgo check` with no `go` on PATH, one run), and what Go's own type "
                "check adds to a cold check's wall time (it runs beside the checker where it can: the difference "
                "can be about nothing, or below it within the noise):", "", *share, ""]
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
