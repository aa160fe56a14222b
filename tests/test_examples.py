"""The example modules: each checks clean and passes its tests under tgo test,
and tgo leaves the source tree as it found it (issue 4, spec §9)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from tgorun import tgo

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
MODULES = sorted(p for p in EXAMPLES.iterdir() if (p / "go.mod").is_file() and p.name != "hello")
pytestmark = pytest.mark.skipif(shutil.which("go") is None, reason="needs the Go toolchain")


def snapshot(d: Path) -> dict[str, float]:
    return {str(p.relative_to(d)): p.stat().st_mtime for p in d.rglob("*") if p.is_file()}


def test_there_are_examples() -> None:
    assert len(MODULES) >= 4


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_example_checks_and_passes_its_tests(module: Path, tmp_path: Path) -> None:
    work = tmp_path / module.name
    shutil.copytree(module, work)
    before = snapshot(work)
    check = tgo("check", "--format", "json", "./...", cwd=work)
    assert check.returncode == 0 and check.stdout.strip() == "[]", check.stdout + check.stderr
    test = tgo("test", "-count=1", "./...", cwd=work)
    assert test.returncode == 0, test.stdout + test.stderr
    assert "FAIL" not in test.stdout
    assert snapshot(work) == before, "tgo changed the source tree"


def unformat(text: str) -> str:
    """``text`` as a careless hand would leave it: no indentation, and every blank line doubled
    (lines inside raw strings and block comments are left alone)."""
    from transpiler.lower.linemap import lines_inside_tokens

    inside = lines_inside_tokens(text)
    out = []
    for i, line in enumerate(text.split("\n")):
        if i in inside:
            out.append(line)
        elif not line.strip():
            out += ["", ""]
        else:
            out.append(line.lstrip())
    return "\n".join(out)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["config", "events"])
def test_an_unformatted_example_still_passes_its_tests(name: str, tmp_path: Path) -> None:
    # gofmt of the lowered files reflows every line: the //line directives that put them back
    # on their .tgo lines must keep the Go valid and gofmt-clean (raw strings untouched)
    work = tmp_path / name
    shutil.copytree(EXAMPLES / name, work)
    for path in work.rglob("*.tgo"):
        path.write_text(unformat(path.read_text()))
    gen = tgo("gen", "./...", cwd=work)
    assert gen.returncode == 0, gen.stderr
    generated = sorted(work.rglob("*_tgo*.go"))
    assert generated
    # plain Go (no tgo forms) comes out byte for byte after the header, unformatted;
    # what the lowering changed is gofmt-clean
    from transpiler.lower import header

    changed = []
    for p in generated:
        source = p.with_name(p.name.replace("_tgo", "", 1).removesuffix(".go") + ".tgo")
        if p.read_text() != header(source.name) + source.read_text():
            changed.append(p)
    assert changed
    gofmt = subprocess.run(["gofmt", "-l", *map(str, changed)], capture_output=True, text=True, check=True)
    assert gofmt.stdout == ""
    for p in generated:
        p.unlink()
    test = tgo("test", "-count=1", "./...", cwd=work)
    assert test.returncode == 0, test.stdout + test.stderr
