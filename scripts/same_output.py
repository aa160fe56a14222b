#!/usr/bin/env python3
"""Record what ``tgo check``, ``tgo gen`` and ``tgo build`` print and write, to compare two builds of tgo.

A restructuring (issue 11) must not change what users see. This script runs one
installed ``tgo`` (``--tgo``, e.g. ``.venv/bin/tgo-py`` of a checkout) on:

* every example module (``examples/*``): ``check --format json ./...``, ``gen``
  into a copy (every generated file's bytes), ``build ./...`` (exit status and
  output, with the copy's path replaced by ``$DIR``);
* every checker fixture package (``tests/checker/fixtures/<code>/<case>``) and
  golden case (``tests/golden/<case>``): ``check --format json`` and ``gen
  --stdout``;
* a sample of standard-library packages (``--std N``, default 40, chosen by a
  fixed seed from ``go list std``), each package's ``GoFiles`` copied as strict
  ``.tgo`` files into a module of their own: ``check --format json`` (strict
  files get tgo's diagnostics, and Go's own errors for ``internal`` imports) and
  ``gen --no-check --stdout``.

With ``--packages P ...`` the standard-library packages are the ones named, and
``--std 0`` takes them all. ``--batched`` runs the same inputs in few processes
(what comparing two builds of the same code needs; ``tests/test_compiled.py``
and the compiled-versus-pure run over GOROOT, see docs/benchmarks.md): each
example module's ``check`` and ``gen`` (no ``build``), the fixtures and golden
cases as one tree (``check --format json ./...``, ``gen --no-check --stdout
./...``), and the standard-library packages as one module, once strict and once
oblivious (``//tgo:oblivious`` first, as ``scripts/check_corpus.py`` reads them).

``--big SIZES`` (and ``--chains LINKS``) runs only the big files of
``scripts/hostile_input.py``, with and without errors appended: ``check``, ``gen``,
``build`` and the lowered files the build kept (their ``//line`` names absolute).

Each run's outcome (exit status, stdout, stderr, written files) goes to one JSON
file; ``compare A.json B.json`` lists every case whose outcome differs and exits
1 if any does. Paths of the temporary copies are replaced by ``$DIR`` so that two
runs compare byte for byte.

Examples::

    python scripts/same_output.py record --tgo ../base/.venv/bin/tgo-py --out /tmp/before.json
    python scripts/same_output.py record --tgo .venv/bin/tgo-py --out /tmp/after.json
    python scripts/same_output.py compare /tmp/before.json /tmp/after.json
    python scripts/same_output.py record --tgo ./pure-tgo --std 0 --batched --out /tmp/pure.json
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


TIMEOUT = [600.0]  # seconds for each tgo command (--timeout)


def _run(tgo: str, args: list[str], cwd: Path, env: dict[str, str]) -> dict[str, object]:
    proc = subprocess.run([tgo, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT[0])
    scrub = str(cwd)
    return {
        "exit": proc.returncode,
        "stdout": proc.stdout.replace(scrub, "$DIR"),
        "stderr": proc.stderr.replace(scrub, "$DIR"),
    }


def _files(root: Path, suffix: str) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text(errors="replace")
        for p in sorted(root.rglob(f"*{suffix}"))
        if p.is_file()
    }


def _std_sample(count: int, packages: list[str] | None = None) -> list[dict[str, object]]:
    """``count`` packages of the standard library chosen by a fixed seed (all when
    ``count`` <= 0), or the ``packages`` named."""
    out = subprocess.run(["go", "list", "-json", *(packages or ["std"])], capture_output=True, text=True,
                         check=True).stdout
    dec = json.JSONDecoder()
    pkgs: list[dict[str, object]] = []
    i = 0
    while i < len(out):
        while i < len(out) and out[i].isspace():
            i += 1
        if i >= len(out):
            break
        obj, i = dec.raw_decode(out, i)
        path = str(obj["ImportPath"])
        if obj.get("GoFiles") and not path.startswith(("cmd/", "vendor/")) and "internal" not in path:
            pkgs.append(obj)
    if packages or count <= 0:
        return sorted(pkgs, key=lambda p: str(p["ImportPath"]))
    rng = random.Random(11)
    return sorted(rng.sample(pkgs, min(count, len(pkgs))), key=lambda p: str(p["ImportPath"]))


def _copy_std(pkg: dict[str, object], dst: Path, first_line: str = "") -> None:
    """The package's ``GoFiles`` as ``.tgo`` files in ``dst``, each after ``first_line``."""
    dst.mkdir(parents=True)
    for name in pkg["GoFiles"]:  # type: ignore[attr-defined]
        text = (Path(str(pkg["Dir"])) / name).read_bytes()
        (dst / (name[:-3] + ".tgo")).write_bytes(first_line.encode() + text)


def record(tgo: str, std: int, packages: list[str] | None = None, batched: bool = False) -> dict[str, object]:
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="tgo-same-") as tmp:
        env = dict(os.environ, TGO_CACHE_DIR=os.path.join(tmp, "cache"), GOFLAGS="-mod=mod")
        work = Path(tmp) / "w"
        for ex in sorted(p for p in (REPO / "examples").iterdir() if (p / "go.mod").is_file()):
            dst = work / "examples" / ex.name
            shutil.copytree(ex, dst)
            results[f"examples/{ex.name}: check"] = _run(tgo, ["check", "--format", "json", "./..."], dst, env)
            gen = _run(tgo, ["gen", "."], dst, env)
            gen["files"] = _files(dst, "_tgo.go") | _files(dst, "_tgo_test.go")
            results[f"examples/{ex.name}: gen"] = gen
            for p in list(dst.rglob("*_tgo.go")) + list(dst.rglob("*_tgo_test.go")):
                p.unlink()
            if not batched:
                results[f"examples/{ex.name}: build"] = _run(tgo, ["build", "-o", os.devnull, "./..."], dst, env)
        if batched:
            _record_batched(tgo, work, _std_sample(std, packages), env, results)
            return results
        cases = sorted((REPO / "tests" / "checker" / "fixtures").glob("*/*")) + sorted(
            (REPO / "tests" / "golden").glob("*"))
        for case in cases:
            if not case.is_dir():
                continue
            rel = case.relative_to(REPO)
            dst = work / rel
            shutil.copytree(case, dst)
            results[f"{rel}: check"] = _run(tgo, ["check", "--format", "json", "."], dst, env)
            results[f"{rel}: gen"] = _run(tgo, ["gen", "--stdout", "."], dst, env)
        for pkg in _std_sample(std, packages):
            path = str(pkg["ImportPath"])
            dst = work / "std" / path
            _copy_std(pkg, dst)
            (dst / "go.mod").write_text(f"module std.example/{path}\n\ngo 1.22\n")
            results[f"std/{path}: check"] = _run(tgo, ["check", "--format", "json", "."], dst, env)
            results[f"std/{path}: gen"] = _run(tgo, ["gen", "--no-check", "--stdout", "."], dst, env)
    return results


# appended to a big file: errors of tgo's checker and of Go's own check far into it
_BIG_ERRORS = """
func Bad(p ?*T) int {
\tunused := 1
\treturn p.N
}
"""


# the comment ``toolchain/vetreplay.marker`` appends (random: another in each run)
_RECORD_MARK = re.compile(r"^// tgo:record [0-9a-f]+$", re.MULTILINE)


def _with_errors(source: Callable[[int], str], errors: str, size: int) -> str:
    return source(size) + errors


def record_big(tgo: str, sizes: list[int], chains: list[int]) -> dict[str, object]:
    """The big files of ``scripts/hostile_input.py``: for each of ``sizes`` (bytes) a module of
    ``big_source``, and for each of ``chains`` (links) one of ``chain_source``, each with and
    without errors appended: ``check --format json``, ``gen`` (the file written) and ``build``
    (its output, and the lowered files it kept in the cache, with their absolute ``//line``
    names), each with a cache of its own."""
    if str(REPO) not in sys.path:
        sys.path.append(str(REPO))
    from scripts.hostile_input import big_source, chain_source, write_module

    results: dict[str, object] = {}
    cases = [(f"big {n}", n, big_source) for n in sizes] + [(f"chains {n}", n, chain_source) for n in chains]
    with tempfile.TemporaryDirectory(prefix="tgo-same-") as tmp:
        for name, n, source in cases:
            for errors in ("", _BIG_ERRORS):
                key = name + (" with errors" if errors else "")
                work = Path(tmp) / key.replace(" ", "_")
                cache = work / "cache"
                env = dict(os.environ, TGO_CACHE_DIR=str(cache), TGO_LAUNCHER="off")
                pkg = write_module(work / "m", n, functools.partial(_with_errors, source, errors))
                mod = pkg.parent
                results[f"{key}: check"] = _run(tgo, ["check", "--format", "json", "./..."], mod, env)
                gen = _run(tgo, ["gen", "./..."], mod, env)
                gen["files"] = _files(mod, "_tgo.go")
                results[f"{key}: gen"] = gen
                for f in mod.rglob("*_tgo.go"):
                    f.unlink()
                build = _run(tgo, ["build", "-o", os.devnull, "./..."], mod, env)
                # (the copy go vet was given by the first check ends in a random comment: scrubbed)
                build["kept"] = sorted(_RECORD_MARK.sub("// tgo:record $RANDOM", f.read_text(errors="replace"))
                                       .replace(str(mod), "$DIR")
                                       for f in (cache / "build").rglob("*.go") if f.is_file())
                results[f"{key}: build"] = build
    return results


def _record_batched(tgo: str, work: Path, std: list[dict[str, object]], env: dict[str, str],
                    results: dict[str, object]) -> None:
    """The fixtures and golden cases as one tree, the ``std`` packages as one module (strict,
    then oblivious): each checked and lowered by one process."""
    tree = work / "cases"
    shutil.copytree(REPO / "tests" / "checker" / "fixtures", tree / "fixtures")
    shutil.copytree(REPO / "tests" / "golden", tree / "golden")
    trees = {"cases": tree}
    for form, first_line in (("strict", ""), ("oblivious", "//tgo:oblivious\n")):
        root = trees[f"std-{form}"] = work / f"std-{form}"
        for pkg in std:
            _copy_std(pkg, root / str(pkg["ImportPath"]), first_line)
        (root / "go.mod").write_text("module std.example\n\ngo 1.22\n")
    for name, root in trees.items():
        results[f"{name}: check"] = _run(tgo, ["check", "--format", "json", "./..."], root, env)
        results[f"{name}: gen"] = _run(tgo, ["gen", "--no-check", "--stdout", "./..."], root, env)


def compare(a: dict[str, object], b: dict[str, object]) -> list[str]:
    diffs = []
    for key in sorted(set(a) | set(b)):
        if key not in a or key not in b:
            diffs.append(f"{key}: only in {'the second' if key not in a else 'the first'} run")
        elif a[key] != b[key]:
            ra, rb = a[key], b[key]
            assert isinstance(ra, dict) and isinstance(rb, dict)
            parts = [k for k in sorted(set(ra) | set(rb)) if ra.get(k) != rb.get(k)]
            diffs.append(f"{key}: {', '.join(parts)} differ")
    return diffs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    rec = sub.add_parser("record", help="run one tgo and write its outcomes as JSON")
    rec.add_argument("--tgo", required=True, help="the tgo executable (e.g. .venv/bin/tgo-py)")
    rec.add_argument("--out", required=True)
    rec.add_argument("--std", type=int, default=40, help="standard-library packages to sample (default 40, 0: all)")
    rec.add_argument("--packages", nargs="+", help="these standard-library packages instead of a sample")
    rec.add_argument("--batched", action="store_true", help="run the cases in few processes (no build)")
    rec.add_argument("--timeout", type=float, default=600, help="seconds for each tgo command (default 600)")
    rec.add_argument("--big", metavar="SIZES", help="only the big files of scripts/hostile_input.py, of these "
                     "comma-separated sizes in bytes (check, gen, build and the lowered files it kept)")
    rec.add_argument("--chains", metavar="LINKS", default="", help="with --big: packages of chains of these "
                     "comma-separated lengths too")
    cmp = sub.add_parser("compare", help="list the cases whose outcomes differ")
    cmp.add_argument("a")
    cmp.add_argument("b")
    cmp.add_argument("--show", type=int, default=0, help="print the first N differing outcomes in full")
    args = ap.parse_args()
    if args.cmd == "record":
        if shutil.which("go") is None:
            print("same_output: no go toolchain on PATH", file=sys.stderr)
            return 2
        TIMEOUT[0] = args.timeout
        if args.big is not None:
            res = record_big(os.path.abspath(args.tgo), [int(n) for n in args.big.split(",") if n],
                             [int(n) for n in args.chains.split(",") if n])
        else:
            res = record(os.path.abspath(args.tgo), args.std, args.packages, args.batched)
        Path(args.out).write_text(json.dumps(res, indent=1, sort_keys=True))
        print(f"{len(res)} outcomes -> {args.out}")
        return 0
    a = json.loads(Path(args.a).read_text())
    b = json.loads(Path(args.b).read_text())
    diffs = compare(a, b)
    for d in diffs:
        print(d)
    for d in diffs[: args.show]:
        key = d.split(": ")[0] + ": " + d.split(": ")[1]
        print(json.dumps({"first": a.get(key), "second": b.get(key)}, indent=1)[:4000])
    print(f"{len(set(a) | set(b))} cases, {len(diffs)} differ")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
