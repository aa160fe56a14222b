"""Golden lowering tests: each ``tests/golden/<case>/input.tgo`` lowers to ``expected.go``.

A case directory holds

* ``input.tgo`` — one file of a package; it must check without errors;
* ``expected.go`` — the whole lowered file (``TGO_UPDATE_GOLDEN=1`` rewrites it);
* optionally, plain Go files of the same package (``main_test.go``, helpers), which
  join the lowered file in a scratch module (``module golden``, ``go 1.22``);
* optionally ``stdout.txt``: what ``go run .`` prints (the package is ``main``);
* optionally ``fail_*.go`` files: each, added alone to the module, must make
  ``go build`` fail with an error matching its ``// want: <regexp>`` line.

Besides the comparison, every expected file is gofmt-clean, lowering is
deterministic, and with a Go toolchain the module passes ``go vet`` and
``go build``, its tests pass (``go test`` when there are ``_test.go`` files), and
its output matches ``stdout.txt``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from transpiler.goexe import find_gofmt
from transpiler.lower import lower_package
from transpiler.lower.naming import output_name
from transpiler.toolchain import find_go

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if (p / "input.tgo").is_file())
FAILS = [(case, f) for case in CASES for f in sorted(case.glob("fail_*.go"))]
GO = find_go()
GOFMT = find_gofmt() or shutil.which("gofmt")
UPDATE = os.environ.get("TGO_UPDATE_GOLDEN") == "1"

needs_go = pytest.mark.skipif(GO is None, reason="needs the Go toolchain")


def _lower(case: Path) -> str:
    src = str(case / "input.tgo")
    result = lower_package([src])
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    assert not errors, "\n".join(f"{d.line}:{d.column}: {d.code}: {d.message}" for d in errors)
    return result.outputs[src]


def _go_env() -> dict[str, str]:
    return {**os.environ, "GOTOOLCHAIN": "local", "GOWORK": "off", "GOFLAGS": "", "GO111MODULE": "on"}


def _go(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    assert GO is not None
    return subprocess.run([GO, *args], cwd=cwd, capture_output=True, text=True, env=_go_env(), timeout=300)


def _module(case: Path, tmp: Path, extra: Path | None = None) -> Path:
    """A scratch module with the case's expected output and its plain Go files."""
    mod = tmp / "mod"
    mod.mkdir()
    (mod / "go.mod").write_text("module golden\n\ngo 1.22\n")
    (mod / output_name("input.tgo")).write_text((case / "expected.go").read_text())
    for f in sorted(case.glob("*.go")):
        if f.name != "expected.go" and not f.name.startswith("fail_"):
            shutil.copy(f, mod / f.name)
    if extra is not None:
        shutil.copy(extra, mod / extra.name.removeprefix("fail_"))
    return mod


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_lowering_matches_expected(case: Path) -> None:
    out = _lower(case)
    assert _lower(case) == out, "lowering is not deterministic"
    expected = case / "expected.go"
    if UPDATE:
        expected.write_text(out)
    assert expected.is_file(), f"{expected} is missing: run with TGO_UPDATE_GOLDEN=1"
    assert out == expected.read_text()


@pytest.mark.skipif(GOFMT is None, reason="needs gofmt")
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_expected_is_gofmt_clean(case: Path) -> None:
    assert GOFMT is not None
    text = (case / "expected.go").read_text()
    proc = subprocess.run([GOFMT], input=text, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == text, "expected.go is not gofmt-clean"


@needs_go
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_expected_vets_builds_and_runs(case: Path, tmp_path: Path) -> None:
    mod = _module(case, tmp_path)
    for args in (["vet", "./..."], ["build", "./..."]):
        proc = _go(args, mod)
        assert proc.returncode == 0, f"go {' '.join(args)}:\n{proc.stdout}{proc.stderr}"
    if any(mod.glob("*_test.go")):
        proc = _go(["test", "-count=1", "./..."], mod)
        assert proc.returncode == 0, f"go test:\n{proc.stdout}{proc.stderr}"
    want = case / "stdout.txt"
    if want.is_file():
        proc = _go(["run", "."], mod)
        assert proc.returncode == 0, f"go run:\n{proc.stdout}{proc.stderr}"
        assert proc.stdout == want.read_text()


@needs_go
@pytest.mark.parametrize(("case", "bad"), FAILS, ids=lambda p: p.name)
def test_expected_rejects(case: Path, bad: Path, tmp_path: Path) -> None:
    m = re.search(r"^// want: (.+)$", bad.read_text(), re.M)
    assert m is not None, f"{bad} has no '// want: <regexp>' line"
    mod = _module(case, tmp_path, bad)
    proc = _go(["build", "./..."], mod)
    assert proc.returncode != 0, f"{bad.name} built, but must not"
    assert re.search(m.group(1), proc.stderr), proc.stderr


def test_every_case_is_complete() -> None:
    assert CASES, "no golden cases"
    for case in GOLDEN.iterdir():
        if case.is_dir():
            assert (case / "input.tgo").is_file(), f"{case} has no input.tgo"
