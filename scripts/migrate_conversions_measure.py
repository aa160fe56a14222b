#!/usr/bin/env python3
"""How much ``tgo migrate --try --enums --unions`` converts in real code, and whether the result still builds and tests the same.

Two kinds of targets:

* GOROOT packages (``std:encoding/csv``): the package's files (``go list``'s
  ``GoFiles``) are copied into a scratch module as ``.tgo`` files, converted, and built
  with ``tgo build``;
* modules at pinned versions (``github.com/gorilla/mux@v1.8.1``), fetched through the
  Go module proxy (``scripts/realmods.py``): two copies have their ``.go`` files renamed
  ``.tgo`` (every file oblivious through ``tgo.toml``, as ``scripts/realmods_compare.py``
  adopts a module), one is converted package by package, and both are tested with
  ``tgo test -json -short -count=1 ./...``; the package outcomes must be the same.

For ``--try`` it counts the ``if err != nil { return …, err }`` blocks converted and
skipped, by reason. Exit status: 0 when everything converted builds (and tests the
same), 1 otherwise, 2 on a usage error.

Example::

    python scripts/migrate_conversions_measure.py std:encoding/csv github.com/gorilla/mux@v1.8.1
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # (appended: an explicit PYTHONPATH wins)

from scripts.realmods import FetchError, copy_module, find, rename_to_tgo  # noqa: E402
from scripts.realmods_compare import OBLIVIOUS_TOML, count_lines, run_tests  # noqa: E402
from transpiler.check.snapshot import Session  # noqa: E402
from transpiler.lower.linemap import without_inline_directives  # noqa: E402
from transpiler.migrate.convert import convert, converted_texts  # noqa: E402

# GOROOT packages that import no internal package (their copy builds outside GOROOT), and pinned modules
DEFAULT = ("std:encoding/csv", "std:encoding/xml", "std:net/mail", "std:image/png", "std:text/template/parse",
           "github.com/gorilla/mux@v1.8.1", "github.com/spf13/cobra@v1.8.1", "github.com/BurntSushi/toml@v1.4.0",
           "github.com/sirupsen/logrus@v1.9.3", "github.com/google/uuid@v1.6.0", "github.com/pkg/errors@v0.9.1")


@dataclass
class Outcome:
    target: str
    lines: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    builds: bool = False
    differing: list[str] = field(default_factory=list)
    note: str = ""


def _env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("GOFLAGS", None)
    env["TGO_CACHE_DIR"] = str(work / "tgo-cache")
    env["GOTOOLCHAIN"] = "local"
    return env


def convert_tree(tree: Path, out: Outcome) -> None:
    """Convert every package below ``tree`` in place, adding up the counts in ``out``."""
    session = Session()
    dirs = sorted({p.parent for p in tree.rglob("*.tgo")})
    for d in dirs:
        check = session.snapshot().check_package(str(d))
        if check.checker is None:
            continue
        conv = convert(check, try_=True, enums=True, unions=True)
        for k, v in conv.counts.items():
            out.counts[k] = out.counts.get(k, 0) + v
        for kind, reasons in conv.skipped.items():
            for why, n in reasons.items():
                out.skipped[f"{kind}: {why}"] = out.skipped.get(f"{kind}: {why}", 0) + n
        for path, text in converted_texts(check, conv.edits).items():
            Path(path).write_text(text)


def measure_std(pkg: str, work: Path, tgo: list[str]) -> Outcome:
    out = Outcome(f"std:{pkg}")
    listed = subprocess.run(["go", "list", "-json", pkg], capture_output=True, text=True, check=True)
    info = json.loads(listed.stdout)
    target = work / "m" / pkg.replace("/", "_")
    target.mkdir(parents=True)
    (work / "m" / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    (work / "m" / "tgo.toml").write_text(OBLIVIOUS_TOML)
    for name in info["GoFiles"]:
        shutil.copy(Path(info["Dir"]) / name, target / name)
    out.lines = count_lines(target)
    build = subprocess.run(["go", "build", "./..."], cwd=work / "m", capture_output=True, text=True, env=_env(work))
    if build.returncode != 0:
        out.note = "the copy does not build as plain Go: " + build.stderr.strip().splitlines()[-1]
        return out
    rename_to_tgo(target)
    convert_tree(target, out)
    built = subprocess.run([*tgo, "build", "./..."], cwd=work / "m", capture_output=True, text=True, env=_env(work))
    out.builds = built.returncode == 0
    if not out.builds:
        out.note = (built.stdout + built.stderr).strip()[-2000:]
    return out


def measure_module(spec: str, work: Path, tgo: list[str]) -> Outcome:
    """The module adopted as it is (``.tgo`` files, all oblivious) and adopted then converted,
    each tested with ``tgo test``: the conversions must not change a package's outcome. (The
    plain module's ``go test`` outcomes are compared too, for the record: a test that reads
    its own file by name as ``x.go`` fails under any adoption.)"""
    out = Outcome(spec)
    module = find([spec])[0]
    plain = copy_module(module, work / "go")
    out.lines = count_lines(plain)
    trees = []
    for name in ("adopted", "converted"):
        tree = copy_module(module, work / name)
        rename_to_tgo(tree, packages_only=True)
        (tree / "tgo.toml").write_text(OBLIVIOUS_TOML)
        trees.append(tree)
    convert_tree(trees[1], out)
    args = ["test", "-json", "-short", "-count=1", "./..."]
    go_run = run_tests(["go", *args], plain, _env(work), 1200)
    adopted, converted = (run_tests([*tgo, *args], t, _env(work), 1200) for t in trees)
    packages = sorted(set(adopted.outcomes) | set(converted.outcomes))
    out.differing = [p for p in packages if adopted.outcomes.get(p) != converted.outcomes.get(p)]
    out.builds = not any(v == "fail" and adopted.outcomes.get(p) != "fail" for p, v in converted.outcomes.items())
    before = [p for p in sorted(go_run.outcomes) if go_run.outcomes[p] != adopted.outcomes.get(p)]
    if before:
        out.note = f"(adopting alone changes {', '.join(before)} against go test)"
    if out.differing:
        out.note += converted.output_tail
    return out


EXAMPLES = ROOT / "examples"


@dataclass
class ExampleOutcome:
    module: str
    packages: int = 0
    hand: dict[str, int] = field(default_factory=dict)  # construct -> count in the hand-written .tgo
    got: dict[str, int] = field(default_factory=dict)  # construct -> count after the conversions
    missing: list[str] = field(default_factory=list)  # what the hand-written code has and the conversion not
    extra: list[str] = field(default_factory=list)
    tests_pass: bool = False
    note: str = ""


def _constructs(tree_dir: Path) -> tuple[dict[str, int], set[str]]:
    """The tgo constructs of the .tgo files below ``tree_dir``: counts (``?``, ``? "msg"``,
    enum, union) and the names of the enums and unions (``enum Kind``)."""
    from transpiler.syntax import ast, parse_file

    counts = {"?": 0, '? "msg"': 0, "enum": 0, "union": 0}
    names: set[str] = set()
    for p in sorted(tree_dir.rglob("*.tgo")):
        tree = parse_file(str(p)).tree
        if tree is None:
            continue
        for n in ast.walk(tree):
            if isinstance(n, ast.TryExpr):
                counts['? "msg"' if n.msg is not None else "?"] += 1
            elif isinstance(n, ast.TypeSpec) and isinstance(n.type, (ast.EnumType, ast.UnionType)):
                kind = "enum" if isinstance(n.type, ast.EnumType) else "union"
                counts[kind] += 1
                names.add(f"{kind} {n.name.name}")
    return counts, names


def plain_go(text: str) -> str:
    """A lowered file as the plain Go a programmer would have: without the generated-code header
    and the ``//line`` and ``/*line*/`` directives, gofmt-formatted."""
    lines = text.split("\n")
    if lines and lines[0].startswith("// Code generated by tgo from "):
        lines = lines[2:] if len(lines) > 1 and not lines[1].strip() else lines[1:]
    out: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith("//line "):
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if out and out[-1] == "//" and nxt.startswith("package "):
                out.pop()  # the doc comment's line before a directive gofmt moved there
            continue
        out.append(without_inline_directives(line))  # (an inline directive placing a column)
    from transpiler.goexe import run_gofmt

    return run_gofmt("\n".join(out))  # (a directive between blank lines leaves two)


def measure_example(module: Path, work: Path, tgo: list[str]) -> ExampleOutcome:
    """The example lowered to plain Go (each ``.tgo`` file replaced by its lowered Go, as plain
    Go in a ``.tgo`` file, every file oblivious), converted with all three options, compared
    with the hand-written example, and tested with ``tgo test``."""
    out = ExampleOutcome(module.name)
    hand = work / "hand"
    shutil.copytree(module, hand)
    tree = work / "plain"
    shutil.copytree(module, tree)
    gen = subprocess.run([*tgo, "gen", "./..."], cwd=tree, capture_output=True, text=True, env=_env(work))
    if gen.returncode != 0:
        out.note = "tgo gen failed: " + gen.stderr.strip()[-300:]
        return out
    for p in sorted(tree.rglob("*_tgo*.go")):
        first = p.read_text().split("\n", 1)[0]
        source = p.with_name(first.removeprefix("// Code generated by tgo from ").split(".tgo")[0] + ".tgo")
        source.write_text(plain_go(p.read_text()))
        p.unlink()
    (tree / "tgo.toml").write_text(OBLIVIOUS_TOML)
    out.packages = len({p.parent for p in tree.rglob("*.tgo")})
    result = Outcome(module.name)
    convert_tree(tree, result)
    out.hand, hand_names = _constructs(hand)
    out.got, got_names = _constructs(tree)
    out.missing = sorted(hand_names - got_names)
    out.extra = sorted(got_names - hand_names)
    test = subprocess.run([*tgo, "test", "-count=1", "./..."], cwd=tree, capture_output=True, text=True,
                          env=_env(work))
    out.tests_pass = test.returncode == 0
    if not out.tests_pass:
        out.note = (test.stdout + test.stderr).strip()[-1500:]
    return out


def examples_markdown(results: Sequence[ExampleOutcome]) -> str:
    rows = ["| example | `?` hand / converted | `? \"msg\"` hand / converted | enums | unions | "
            "left out | tests |", "|---|---:|---:|---:|---:|---|---|"]
    for r in results:
        cells = [f"{r.hand.get(k, 0)} / {r.got.get(k, 0)}" for k in ("?", '? "msg"', "enum", "union")]
        left = ", ".join(r.missing) or "-"
        rows.append(f"| {r.module} | {' | '.join(cells)} | {left} | {'pass' if r.tests_pass else 'FAIL'} |")
    return "\n".join(rows) + "\n"


def markdown(results: Sequence[Outcome]) -> str:
    rows = ["| target | lines | `?` | `? \"msg\"` | blocks skipped | enums | unions | builds, same tests |",
            "|---|---:|---:|---:|---:|---:|---:|---|"]
    reasons: dict[str, int] = {}
    for r in results:
        try_skipped = sum(n for k, n in r.skipped.items() if k.startswith("try:"))
        for k, n in r.skipped.items():
            reasons[k] = reasons.get(k, 0) + n
        same = "yes" if r.builds and not r.differing else f"no ({', '.join(r.differing) or r.note[:80]})"
        if r.note.startswith("(adopting"):
            same += " " + r.note.split(")")[0] + ")"
        rows.append(f"| {r.target} | {r.lines} | {r.counts.get('try', 0)} | {r.counts.get('try-wrapped', 0)} | "
                    f"{try_skipped} | {r.counts.get('enum', 0)} | {r.counts.get('union', 0)} | {same} |")
    rows += ["", "| left because | how many |", "|---|---:|"]
    rows += [f"| {k} | {n} |" for k, n in sorted(reasons.items(), key=lambda kv: -kv[1])]
    return "\n".join(rows) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    ap.add_argument("targets", nargs="*", default=list(DEFAULT), help="std:PKG or MODULE@VERSION")
    ap.add_argument("--tgo", default=f"{sys.executable} -m transpiler", help="the tgo command")
    ap.add_argument("--work", help="work directory (default: a temporary one, removed)")
    ap.add_argument("--markdown", help="write the table here too")
    ap.add_argument("--examples", action="store_true",
                    help="instead: the examples lowered to plain Go, converted, compared with the hand-written ones")
    args = ap.parse_args(argv)
    if shutil.which("go") is None:
        print("migrate_conversions_measure: go is not installed", file=sys.stderr)
        return 2
    tgo = args.tgo.split()
    work = Path(args.work or tempfile.mkdtemp(prefix="tgo-conversions-"))
    if args.examples:
        try:
            found = [measure_example(m, work / m.name, tgo) for m in sorted(EXAMPLES.iterdir())
                     if (m / "go.mod").is_file() and m.name != "hello"]
        finally:
            if not args.work:
                shutil.rmtree(work, ignore_errors=True)
        for ex in found:
            if ex.note:
                print(f"{ex.module}: {ex.note}", file=sys.stderr)
        print(examples_markdown(found))
        return 0 if all(ex.tests_pass for ex in found) else 1
    results: list[Outcome] = []
    try:
        for i, t in enumerate(args.targets):
            d = work / str(i)
            print(f"== {t}", file=sys.stderr, flush=True)
            try:
                r = measure_std(t[4:], d, tgo) if t.startswith("std:") else measure_module(t, d, tgo)
            except (FetchError, subprocess.CalledProcessError, OSError) as exc:
                print(f"   {t}: {exc}", file=sys.stderr)
                return 2
            print(f"   {r.counts} skipped {r.skipped} builds={r.builds} differing={r.differing} {r.note[:300]}",
                  file=sys.stderr, flush=True)
            results.append(r)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    text = markdown(results)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text)
    return 0 if all(r.builds and not r.differing for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
