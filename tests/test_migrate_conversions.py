"""``tgo migrate --try --enums --unions``: the conversions (transpiler/migrate/), on before/after fixtures.

Each case is a Go module in ``tests/data/migrate_conversions/<kind>/<case>/`` (``.go``
files, a ``main`` package that prints what its functions return) with ``want/``, the
``.tgo`` files the conversion must give. The case is checked as ``.tgo`` files (plain Go
is tgo), converted, and compared with ``want/``; the converted package must check clean,
convert to nothing again (idempotence), and, built by the real ``go`` through tgo, print
exactly what the original prints under ``go run``.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from tgorun import tgo

from transpiler.check.snapshot import PackageCheck, Session
from transpiler.diagnostics import Severity
from transpiler.migrate.convert import convert, converted_texts

DATA = Path(__file__).resolve().parent / "data" / "migrate_conversions"
CASES = sorted(p for p in DATA.glob("*/*") if (p / "go.mod").is_file())
FLAGS = {"try": {"try_": True, "enums": False, "unions": False},
         "enums": {"try_": False, "enums": True, "unions": False},
         "unions": {"try_": False, "enums": False, "unions": True}}
needs_go = pytest.mark.skipif(shutil.which("go") is None, reason="needs the Go toolchain")


def as_tgo(case: Path, work: Path) -> Path:
    """The case's module in ``work`` with its ``.go`` files renamed ``.tgo``, but ``*_plain.go``
    files (a package that mixes kinds of files: they stay plain Go, and must not be changed)."""
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(case / "go.mod", work / "go.mod")
    for p in case.glob("*.go"):
        shutil.copy(p, work / (p.name if p.stem.endswith("_plain") else p.stem + ".tgo"))
    return work


def checked(directory: Path) -> PackageCheck:
    return Session().snapshot().check_package(str(directory))


def convert_in_place(directory: Path, kind: str) -> dict[str, str]:
    """Convert the package in ``directory`` (``kind``'s flags), write it, and return the new texts by file name."""
    check = checked(directory)
    assert not [d for d in check.result.diagnostics if d.severity is Severity.ERROR]
    texts = converted_texts(check, convert(check, **FLAGS[kind]).edits)
    for path, text in texts.items():
        Path(path).write_text(text)
    return {Path(p).name: t for p, t in texts.items()}


def test_there_are_cases_of_each_kind() -> None:
    assert {c.parent.name for c in CASES} >= {"try", "enums", "unions"}


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}-{p.name}")
def test_conversion_gives_the_wanted_files(case: Path, tmp_path: Path) -> None:
    work = as_tgo(case, tmp_path / "m")
    texts = convert_in_place(work, case.parent.name)
    want = {p.name: p.read_text() for p in (case / "want").glob("*.tgo")}
    assert set(texts) == set(want)
    for name, text in want.items():
        assert texts[name] == text, name
    # every byte the conversion does not own is kept: the unconverted files are untouched
    for p in [*work.glob("*.tgo"), *work.glob("*.go")]:
        if p.name not in want:
            assert p.read_text() == (case / (p.stem + ".go")).read_text()


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}-{p.name}")
def test_converted_package_checks_clean_and_converts_to_nothing_again(case: Path, tmp_path: Path) -> None:
    work = as_tgo(case, tmp_path / "m")
    convert_in_place(work, case.parent.name)
    check = checked(work)
    assert [d.text() for d in check.result.diagnostics] == []
    assert convert(check, **FLAGS[case.parent.name]).edits == []


def _run(cmd: list[str], cwd: Path) -> tuple[int, str]:
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    return p.returncode, p.stdout


@needs_go
@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}-{p.name}")
def test_converted_program_behaves_as_the_original(case: Path, tmp_path: Path) -> None:
    original = tmp_path / "orig"
    shutil.copytree(case, original, ignore=shutil.ignore_patterns("want"))
    status, out = _run(["go", "run", "."], original)
    assert out, "the case prints nothing"
    work = as_tgo(case, tmp_path / "m")
    convert_in_place(work, case.parent.name)
    run = tgo("run", ".", cwd=work)
    assert "Traceback" not in run.stderr
    assert (run.returncode, run.stdout) == (status, out), run.stderr


def _measure_script() -> ModuleType:
    """scripts/migrate_conversions_measure.py as a module, by path (tests use the installed tgo)."""
    path = Path(__file__).resolve().parent.parent / "scripts" / "migrate_conversions_measure.py"
    spec = importlib.util.spec_from_file_location("_tgo_script_migrate_conversions_measure", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@needs_go
@pytest.mark.slow
@pytest.mark.parametrize("name", ["config", "evaluator", "events", "httperrors", "repository"])
def test_an_example_lowered_to_plain_go_converts_back_to_its_constructs(name: str, tmp_path: Path) -> None:
    # the plain Go of an example (its lowered Go without header and //line directives),
    # converted with all three options: every enum and union of the hand-written example
    # comes back, at least as many ? and ? "msg", and its tests pass
    measure = _measure_script()
    examples = Path(__file__).resolve().parent.parent / "examples"
    r = measure.measure_example(examples / name, tmp_path, [sys.executable, "-m", "transpiler"])
    assert r.tests_pass, r.note
    assert r.missing == [] and r.extra == []
    for construct in ("?", '? "msg"'):
        assert r.got[construct] >= r.hand[construct], construct
