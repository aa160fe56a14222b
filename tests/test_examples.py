"""The example modules: each checks clean and passes its tests under tgo test,
and tgo leaves the source tree as it found it (issue 4, spec §9)."""

from __future__ import annotations

import shutil
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
