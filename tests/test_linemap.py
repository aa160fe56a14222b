"""The mapping checker: every line of lowered Go that came from the .tgo source is placed on it.

``transpiler.lower.linemap`` reads a lowered file's ``//line`` directives as the Go
tools do and reports lines whose text is the source's but whose position is not
(spec §9: positions survive the toolchain). It runs here over the golden cases, the
examples, generated programs and a sample of the Go standard library renamed to .tgo;
``scripts/linemap_corpus.py`` runs it over all of GOROOT.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from tgogen_nil import Program, programs, render
from tgorun import goroot_src

from transpiler.lower import lower_package
from transpiler.lower.linemap import drifted_columns, drifted_lines, line_map, parse_directive
from transpiler.lower.sourcemap import LoweredFile

REPO = Path(__file__).resolve().parents[1]


def test_parse_directive() -> None:
    assert parse_directive("//line x.tgo:12") == ("x.tgo", 12)
    assert parse_directive("//line x.tgo:12:5") == ("x.tgo", 12)
    assert parse_directive("//line /a:b/x.tgo:3") == ("/a:b/x.tgo", 3)
    assert parse_directive("//line x.tgo") is None
    assert parse_directive("// line x.tgo:1") is None
    assert parse_directive("\t//line x.tgo:1") is None  # only at the start of a line


def test_line_map_follows_directives() -> None:
    text = "a\n//line x.tgo:10\nb\nc\n//line x.tgo:3\nd"
    assert line_map(text, "x.go") == [("x.go", 1), None, ("x.tgo", 10), ("x.tgo", 11), None, ("x.tgo", 3)]


def test_a_shifted_line_is_reported() -> None:
    source = "package p\n\nfunc f() int {\n\tx := g()?\n\treturn x\n}\n"
    good = (
        "// header\n\n//line s.tgo:1\npackage p\n\nfunc f() int {\n\tx, err := g()\n\tif err != nil {\n"
        "\t\treturn 0\n\t}\n//line s.tgo:5\n\treturn x\n}\n"
    )
    assert drifted_lines(source, good, "s.tgo") == []
    shifted = good.replace("//line s.tgo:5\n", "")
    assert drifted_lines(source, shifted, "s.tgo") == [(11, ("s.tgo", 8), 5)]


def _lowered_files(paths: list[str]) -> dict[str, LoweredFile]:
    result = lower_package(paths, check=False)
    assert not [d for d in result.diagnostics if d.code == "syntax"]
    return result.files


def _drift(outputs: dict[str, LoweredFile]) -> dict[str, list[object]]:
    """The lines, and the columns of the tokens of source text, Go places wrongly in each
    lowered file (on lines the lowering changed too)."""
    out: dict[str, list[object]] = {}
    for path, lowered in outputs.items():
        with open(path, encoding="utf-8") as fh:
            source = fh.read()
        text = lowered.text
        found: list[object] = [*drifted_lines(source, text, os.path.basename(path)),
                               *drifted_columns(source, text, os.path.basename(path), lowered.wanted_positions())]
        if found:
            out[path] = found
    return out


def test_golden_cases_and_examples_map_exactly() -> None:
    packages: list[list[str]] = [[str(p)] for p in sorted((REPO / "tests" / "golden").glob("*/input.tgo"))]
    dirs = sorted({p.parent for p in (REPO / "examples").rglob("*.tgo")})
    packages += [sorted(str(p) for p in d.iterdir() if p.suffix in (".go", ".tgo")) for d in dirs]
    assert len(packages) > 20
    drift: dict[str, object] = {}
    lowered = 0
    for paths in packages:
        outputs = _lowered_files(paths)
        lowered += len(outputs)
        drift.update(_drift(outputs))
    assert lowered > 30
    assert drift == {}


_FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                HealthCheck.data_too_large])  # fmt: skip


@_FEW
@given(programs())
def test_generated_programs_map_exactly(prog: Program) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "x.tgo")
        Path(path).write_text(render(prog).text)
        assert _drift(_lowered_files([path])) == {}


GOROOT_PACKAGES = 12
SEED = 20_261_204


@pytest.mark.skipif(goroot_src() is None, reason="no Go toolchain")
def test_goroot_sample_renamed_to_tgo_maps_exactly(tmp_path: Path) -> None:
    src = goroot_src()
    assert src is not None
    dirs = sorted(
        d for d in src.rglob("*")
        if d.is_dir() and "testdata" not in d.parts and "vendor" not in d.parts and d.parts[-1] != "cmd"
        and any(f.suffix == ".go" for f in d.iterdir())
    )  # fmt: skip
    chosen = random.Random(SEED).sample(dirs, GOROOT_PACKAGES)
    checked = 0
    drift: dict[str, object] = {}
    for d in chosen:
        target = tmp_path / d.relative_to(src)
        target.mkdir(parents=True)
        paths = []
        for f in sorted(d.iterdir()):
            if f.suffix == ".go" and f.stat().st_size < 200_000:
                shutil.copyfile(f, target / (f.stem + ".tgo"))
                paths.append(str(target / (f.stem + ".tgo")))
        outputs = _lowered_files(paths)
        checked += len(outputs)
        drift.update(_drift(outputs))
    assert checked > 20
    assert drift == {}
