"""The entry point's fast path: a command line click parsed before run again from its argument
record without click, and an unchanged ``tgo check`` answered from the result cache, byte for
byte as the full command line answers them; anything else goes to click."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tgorun import child_env, entry_probe, tgo

from transpiler import argrecord, commands

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


def _probe(args: list[str], cwd: Path) -> tuple[int, str, str, list[str]]:
    """(exit status, stdout, stderr, which of click, the CLI and the checker it loaded) of ``tgo
    ARGS`` through the entry point in a fresh process."""
    status, out, err, modules = entry_probe(args, cwd)
    return status, out, err, [m for m in modules if m.split(".")[0] == "click" or m in (
        "transpiler.cli", "transpiler.check.checker", "transpiler.syntax.parser")]


@pytest.mark.parametrize("args", ARGS, ids=" ".join)
def test_a_cached_check_is_answered_as_the_command_line_answers_it(tmp_path: Path, args: list[str]) -> None:
    root = _module(tmp_path)
    full = tgo("check", *args, cwd=root)  # click parses the command line, checks, fills the caches
    assert full.returncode in (0, 1), full.stderr
    status, out, err, loaded = _probe(["check", *args], root)  # from the argument record and the result cache
    assert (status, out, err) == (full.returncode, full.stdout, full.stderr)
    assert loaded == []
    again = tgo("check", *args, cwd=root)  # the whole console path
    assert (again.returncode, again.stdout, again.stderr) == (full.returncode, full.stdout, full.stderr)


@pytest.mark.parametrize("args", ARGS[:4], ids=" ".join)
def test_a_cached_check_answers_from_the_result_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    root = _module(tmp_path)
    monkeypatch.chdir(root)
    assert commands.cached_check("text", False, args) is None  # nothing cached yet
    assert capsys.readouterr() == ("", "")
    full = tgo("check", *args, cwd=root)
    assert commands.cached_check("text", False, args) == full.returncode
    assert capsys.readouterr() == (full.stdout, full.stderr)


def test_a_changed_file_is_not_answered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = _module(tmp_path)
    monkeypatch.chdir(root)
    assert tgo("check", "./...", cwd=root).returncode == 1
    assert commands.cached_check("text", False, ["./..."]) == 1
    capsys.readouterr()
    (root / "bad" / "bad.tgo").write_text(BAD.replace("return *p // a nil-deref", "_ = p\n\treturn 0"))
    assert commands.cached_check("text", False, ["./..."]) is None
    assert capsys.readouterr() == ("", "")
    # the argument record still stands: the entry point checks, without click
    status, out, err, loaded = _probe(["check", "./..."], root)
    assert (status, err) == (0, "") and "[unused-ignore]" in out
    assert "transpiler.check.checker" in loaded and "click" not in loaded
    full = tgo("check", "./...", cwd=root, env={"TGO_CACHE_DIR": str(tmp_path / "another")})
    assert (full.returncode, full.stdout, full.stderr) == (status, out, err)
    assert commands.cached_check("text", False, ["./..."]) == 0


@pytest.mark.parametrize("args", [["--help"], ["-h"], [], ["--format", "xml", "."], ["-x", "."], ["--format"]])
def test_other_arguments_go_to_the_command_line(tmp_path: Path, args: list[str]) -> None:
    root = _module(tmp_path)
    tgo("check", "./...", cwd=root)
    for _ in range(2):  # no record is left of a command line click refused (or that only asked for help)
        status, out, err, loaded = _probe(["check", *args], root)
        assert "click" in loaded
        assert "Traceback" not in err
        assert argrecord.lookup(["check", *args]) is None
    full = tgo("check", *args, cwd=root)
    assert (status, out, err) == (full.returncode, full.stdout, full.stderr)
    assert status == (0 if args in (["--help"], ["-h"]) else 2)


def test_a_path_tgo_cannot_use_is_reported_the_same_from_the_record(tmp_path: Path) -> None:
    root = _module(tmp_path)
    first = tgo("check", "missing", "good", cwd=root)
    assert first.returncode == 2 and first.stderr == "tgo: missing: no such file or directory\n"
    status, out, err, loaded = _probe(["check", "missing", "good"], root)
    assert (status, out, err) == (first.returncode, first.stdout, first.stderr)
    assert "click" not in loaded


def test_a_record_is_kept_only_for_the_same_definition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _module(tmp_path)
    monkeypatch.chdir(root)
    assert argrecord.lookup(["check", "--format=json", "good"]) is None
    tgo("check", "--format=json", "good", cwd=root)
    assert argrecord.lookup(["check", "--format=json", "good"]) == (
        "check", {"output_format": "json", "coverage": False, "paths": ["good"]})
    assert argrecord.lookup(["check", "--format=json", "good", ""]) is None  # another number of arguments
    assert argrecord.lookup(["check", "--format=json", "bad"]) == (  # another path: click took it as it is
        "check", {"output_format": "json", "coverage": False, "paths": ["bad"]})
    assert argrecord.lookup(["check", "--format=sarif", "good"]) is None  # another option
    monkeypatch.setenv(argrecord.COMPLETE_VAR, "bash_complete")  # completion is click's
    assert argrecord.lookup(["check", "--format=json", "good"]) is None
    monkeypatch.delenv(argrecord.COMPLETE_VAR)
    monkeypatch.setattr(argrecord, "DEFINITION", ("report.py",))  # another command line's code
    assert argrecord.lookup(["check", "--format=json", "good"]) is None


def test_a_go_verb_runs_from_its_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _module(tmp_path)
    monkeypatch.chdir(root)
    first = tgo("build", "./good", cwd=root)
    assert first.returncode == 0, first.stderr
    assert argrecord.lookup(["build", "./good"]) == ("build", {"go_args": ["./good"]})
    again = tgo("build", "./good", cwd=root)  # (go replaces the process: no probe of what it loaded)
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    assert argrecord.lookup(["build", "--help"]) is None
    assert "Usage: tgo build" in tgo("build", "--help", cwd=root).stdout


def test_completion_stays_clicks(tmp_path: Path) -> None:
    root = _module(tmp_path)
    tgo("check", "good", cwd=root)
    proc = tgo("check", "good", cwd=root, env={argrecord.COMPLETE_VAR: "bash_source"})
    assert proc.returncode == 0 and "_tgo_completion" in proc.stdout, proc.stderr


def test_the_fast_path_loads_neither_click_nor_the_checker(tmp_path: Path) -> None:
    root = _module(tmp_path)
    tgo("check", "good", cwd=root)
    code = ("import sys; from transpiler import commands; s = commands.cached_check('text', False, ['good']); "
            "print(s, sorted(m for m in sys.modules if m.split('.')[0] == 'click' or m in "
            "('transpiler.check.checker', 'transpiler.syntax.parser', 'transpiler.cli')))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, env=child_env(), capture_output=True, text=True,
                          check=False)
    assert proc.stdout == "0 []\n", proc.stderr


@pytest.mark.parametrize("args", [["parse", "good"], ["fmt", "good"], ["gen", "--stdout", "good"]], ids=" ".join)
def test_a_cache_others_may_write_is_warned_of_once(tmp_path: Path, args: list[str]) -> None:
    root = _module(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o775)
    for _ in range(2):  # (no record is written in that cache: click parses both times)
        proc = tgo(*args, cwd=root)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr.count("tgo: warning: not using the cache: ") == 1, proc.stderr
    assert not (cache / "args").exists()
