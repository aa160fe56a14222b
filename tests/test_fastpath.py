"""The entry point's fast path: an unchanged ``tgo check`` answered from the cache, byte for byte
as the full command line answers it, and nothing answered when anything is not cached."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tgorun import child_env, tgo

from transpiler import fastpath

BAD = """package p

func find() ?*int { return nil }

func use() int {
	p := find()
	return *p // a nil-deref
}

func quiet() int {
	return 1 //tgo:ignore[nil-deref]
}
"""

GOOD = """package q

func f() int { return 1 }
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)


def _module(tmp_path: Path) -> Path:
    root = tmp_path / "mod"
    (root / "bad").mkdir(parents=True)
    (root / "good").mkdir()
    (root / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    (root / "bad" / "bad.tgo").write_text(BAD)
    (root / "good" / "good.tgo").write_text(GOOD)
    return root


ARGS = [
    ["./..."],
    ["bad"],
    ["good"],
    ["bad/bad.tgo"],
    ["--format", "json", "./..."],
    ["--format=sarif", "bad"],
    ["--coverage", "./..."],
    ["--format", "json", "--coverage", "good"],
]


@pytest.mark.parametrize("args", ARGS, ids=" ".join)
def test_a_cached_check_is_answered_as_the_command_line_answers_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    root = _module(tmp_path)
    monkeypatch.chdir(root)
    assert fastpath.cached_check(args) is None  # nothing cached yet
    assert capsys.readouterr() == ("", "")
    full = tgo("check", *args, cwd=root)  # the fast path misses: the CLI checks and fills the cache
    assert full.returncode in (0, 1), full.stderr
    status = fastpath.cached_check(args)
    out, err = capsys.readouterr()
    assert status == full.returncode
    assert (out, err) == (full.stdout, full.stderr)
    again = tgo("check", *args, cwd=root)  # the whole console path, now from the cache
    assert (again.returncode, again.stdout, again.stderr) == (full.returncode, full.stdout, full.stderr)


def test_a_changed_file_is_not_answered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = _module(tmp_path)
    monkeypatch.chdir(root)
    assert tgo("check", "./...", cwd=root).returncode == 1
    assert fastpath.cached_check(["./..."]) == 1
    capsys.readouterr()
    (root / "bad" / "bad.tgo").write_text(BAD.replace("return *p // a nil-deref", "_ = p\n\treturn 0"))
    assert fastpath.cached_check(["./..."]) is None
    assert capsys.readouterr() == ("", "")
    assert tgo("check", "./...", cwd=root).returncode == 0
    assert fastpath.cached_check(["./..."]) == 0


@pytest.mark.parametrize("args", [["--help"], [], ["--format", "xml", "."], ["--", "."], ["-x", "."],
                                  ["missing"], ["--format"]])
def test_other_arguments_go_to_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    root = _module(tmp_path)
    monkeypatch.chdir(root)
    tgo("check", "./...", cwd=root)
    assert fastpath.cached_check(args) is None
    assert capsys.readouterr() == ("", "")


def test_the_fast_path_loads_neither_click_nor_the_checker(tmp_path: Path) -> None:
    root = _module(tmp_path)
    tgo("check", "good", cwd=root)
    code = ("import sys; from transpiler import fastpath; s = fastpath.cached_check(['good']); "
            "print(s, sorted(m for m in sys.modules if m.split('.')[0] == 'click' or m in "
            "('transpiler.check.checker', 'transpiler.syntax.parser', 'transpiler.cli')))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, env=child_env(), capture_output=True, text=True,
                          check=False)
    assert proc.stdout == "0 []\n", proc.stderr
