"""Argument records that fit other command lines: a record made from one command line answers
another only as click answers it (click's own parse of generated command lines, and real
processes: the paths with spaces, ``=``, non-ASCII and undecodable bytes, ``-``, ``--``)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tgorun import entry_probe, tgo

from transpiler import argrecord, cli

GOOD = "package q\n\nfunc f() int { return 1 }\n"
BAD = "package q\n\nfunc f() int { return 1 +\n"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv(argrecord.COMPLETE_VAR, raising=False)


@pytest.fixture
def shared_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """One cache directory for every example of a property test (records accumulate in it, as
    in a user's cache)."""
    directory = tempfile.mkdtemp(prefix="tgo-argrecord-")
    monkeypatch.setenv("TGO_CACHE_DIR", directory)
    yield
    shutil.rmtree(directory, ignore_errors=True)


def _norm(found: tuple[str, dict[str, Any]] | None) -> tuple[str, dict[str, Any]] | None:
    """What click made of a command line, with tuples as lists (as a record gives them)."""
    if found is None:
        return None
    command, params = found
    return command, {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in params.items()}


def _record(args: list[str]) -> tuple[str, dict[str, Any]] | None:
    """Let click parse ``tgo ARGS`` and leave its record, as the click command line does; what
    click made of it (None when it refused it)."""
    found = cli._parsed(args)
    if found is not None:
        command, params = found
        argrecord.write(args, command, params, cli._free_arguments(args, command, params))
    return _norm(found)


# --- click's own parse of generated command lines ----------------------------------------

# a path as a shell gives it: any text (spaces, `=`, quotes, non-ASCII), an undecodable byte as
# Python decodes it (surrogateescape), and the arguments that are not paths to click
PATHS = st.one_of(
    st.text(st.characters(exclude_characters="\0", exclude_categories=("Cs",)), max_size=12),
    st.text(st.sampled_from("ab/.=~$* é\udc80\udcff-"), min_size=1, max_size=6),
    st.sampled_from(["-", "--", "-x", "--format", "json", "text", "sarif", "xml", "parse", "check", "./...", ""]),
)
OPTIONS = {
    "parse": [["--format", "json"], ["--format", "text"], ["--format=json"], ["--format", "xml"], ["--"], ["-"]],
    "check": [["--format", "json"], ["--format=sarif"], ["--coverage"], ["--format", "text"], ["--"], ["-q"]],
    "gen": [["--stdout"], ["--no-check"], ["--"], ["-q"]],
    "build": [["-o", "out"], ["-v"], ["--"], ["-tags=x"]],
    "vet": [["-v"], ["--"]],
}


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(sorted(OPTIONS)))
    parts: list[list[str]] = draw(st.lists(st.one_of(st.sampled_from(OPTIONS[command]), PATHS.map(lambda p: [p])),
                                           max_size=5))
    return [command, *(a for part in parts for a in part)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# (found by hypothesis: the first `json`, an option's value click drops, took the path's element too)
@example(first=["check", "--format", "json", "--format=sarif", "json"], other=[""] * 8, keep=[False] * 8)
@given(first=command_lines(), other=st.lists(PATHS, min_size=8, max_size=8), keep=st.lists(st.booleans(), min_size=8,
                                                                                            max_size=8))
def test_a_record_answers_only_as_click_does(shared_cache: None, first: list[str], other: list[str],
                                             keep: list[bool]) -> None:
    """Record one command line; then take another with the same number of arguments, some of
    those that do not start with ``-`` replaced by anything: when a record answers it, click gives
    the same answer; and a command line that differs from the recorded one only in free places is
    answered."""
    recorded = _record(first)
    if recorded is not None:
        assert argrecord.lookup(first) == recorded
    changed = [a if argrecord.fixed(a) or keep[i % 8] else other[i % 8] for i, a in enumerate(first)]
    found = argrecord.lookup(changed)
    if found is not None:
        assert found == _norm(cli._parsed(changed)), (first, changed)
    if recorded is None:
        return
    free = {at for at, _name, _index in cli._free_arguments(first, *cli._parsed(first) or ("", {}))}
    swapped = [other[i % 8] if i in free and not argrecord.fixed(other[i % 8]) else a for i, a in enumerate(first)]
    assert argrecord.lookup(swapped) == _norm(cli._parsed(swapped)), (first, swapped)


@pytest.mark.parametrize(("first", "then", "fits"), [
    (["parse", "a.tgo"], ["parse", "dir with space/ü é.tgo"], True),
    (["parse", "a.tgo"], ["parse", "x=y.tgo"], True),
    (["parse", "a.tgo"], ["parse", "\udcff.tgo"], True),
    (["parse", "a.tgo"], ["parse", ""], True),
    (["parse", "a.tgo"], ["parse", "-"], False),  # an argument starting with - is always in the key
    (["parse", "a.tgo"], ["parse", "--"], False),
    (["parse", "a.tgo"], ["check", "a.tgo"], False),  # the command's name is not a path
    (["parse", "--", "a.tgo"], ["parse", "--", "b"], True),
    (["parse", "--", "-a.tgo"], ["parse", "--", "-b"], False),
    (["check", "--format", "json", "a"], ["check", "--format", "json", "b"], True),
    (["check", "--format", "json", "a"], ["check", "--format", "sarif", "a"], False),  # an option's value is fixed
    (["check", "--format", "json", "json"], ["check", "--format", "json", "text"], True),
    (["check", "a", "a"], ["check", "b", "c"], True),
    (["check", "a", "--coverage"], ["check", "b", "--coverage"], True),
    (["gen", "a"], ["gen", "b"], True),
    (["gen", "--stdout", "a"], ["gen", "b"], False),  # (a flag is in the key)
    (["gen", "--no-check", "a", "b"], ["gen", "--no-check", "c", "d"], True),
    (["build", "-o", "out", "./cmd"], ["build", "-o", "bin", "./..."], True),  # go's arguments, untouched
])
def test_which_command_lines_a_record_fits(first: list[str], then: list[str], fits: bool) -> None:
    assert _record(first) is not None
    found = argrecord.lookup(then)
    assert (found is not None) == fits
    if fits:
        assert found == _norm(cli._parsed(then))


def test_a_command_line_of_many_paths_is_parsed_again_once(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [f"p{i}.tgo" for i in range(500)]
    parses: list[list[str]] = []
    real = cli._parsed

    def counted(args: list[str]) -> tuple[str, dict[str, Any]] | None:
        parses.append(args)
        return real(args)

    monkeypatch.setattr(cli, "_parsed", counted)
    assert _record(["check", *paths]) is not None
    assert len(parses) == 2  # (click's own parse, then the probe of all the paths at once)
    other = ["check", *[f"q{i}.tgo" for i in range(500)]]
    assert argrecord.lookup(other) == _norm(real(other))


def test_each_command_line_under_one_key_is_kept() -> None:
    for command in ("parse", "check", "build", "vet", "test", "run"):
        _record([command, "a"])
    for command in ("parse", "check", "build", "vet", "test", "run"):
        assert argrecord.lookup([command, "other"]) == _norm(cli._parsed([command, "other"]))
    assert argrecord.record_path(["parse", "a"]) == argrecord.record_path(["build", "b"])
    assert argrecord.record_path(["parse", "a"]) != argrecord.record_path(["parse", "-"])


def test_a_damaged_or_unsafe_record_is_a_miss(tmp_path: Path) -> None:
    root = _tree(tmp_path / "mod")
    assert _record(["parse", "a.tgo"]) is not None
    path = Path(argrecord.record_path(["parse", "b.tgo"]))
    data = path.read_bytes()
    path.write_bytes(data.replace(b'"paths"', b'"pathz"'))  # the seal no longer matches
    assert argrecord.lookup(["parse", "b.tgo"]) is None
    path.write_bytes(data)
    assert argrecord.lookup(["parse", "b.tgo"]) is not None
    path.parent.chmod(0o770)  # others may write to it: click parses (in a process that has not seen it safe)
    try:
        status, _out, err, modules = entry_probe(["parse", "a.tgo"], root)
        assert status == 0 and "click" in modules, err
    finally:
        path.parent.chmod(0o700)


# --- real processes ----------------------------------------------------------------------


def _tree(root: Path) -> Path:
    (root / "dir with space").mkdir(parents=True)
    (root / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    (root / "a.tgo").write_text(GOOD)
    (root / "dir with space" / "ü=é.tgo").write_text(BAD)
    (root / "dir with space" / "good.tgo").write_text(GOOD)
    return root


@pytest.mark.parametrize(("first", "then"), [
    (["parse", "a.tgo"], ["parse", "dir with space/ü=é.tgo"]),
    (["parse", "a.tgo"], ["parse", "missing.tgo"]),
    (["parse", "--format", "json", "a.tgo"], ["parse", "--format", "json", "dir with space"]),
    (["check", "."], ["check", "dir with space"]),
    (["check", "--coverage", "a.tgo"], ["check", "--coverage", "dir with space/good.tgo"]),
], ids=lambda a: " ".join(a))
def test_a_new_path_runs_from_the_record_as_click_runs_it(tmp_path: Path, first: list[str], then: list[str]) -> None:
    root = _tree(tmp_path / "mod")
    tgo(*first, cwd=root)  # click parses it and leaves the record
    status, out, err, modules = entry_probe(then, root)
    assert not [m for m in modules if m.split(".")[0] == "click" or m == "transpiler.cli"]
    full = tgo(*then, cwd=root, env={"TGO_CACHE_DIR": str(tmp_path / "another")})  # click's, from the start
    assert (status, out, err) == (full.returncode, full.stdout, full.stderr)
    assert "Traceback" not in err


def test_a_record_is_made_in_the_first_run_of_a_command_line(tmp_path: Path) -> None:
    root = _tree(tmp_path / "mod")
    assert not os.path.exists(argrecord.record_dir())
    status, _out, _err, modules = entry_probe(["parse", "a.tgo"], root)
    assert status == 0 and "click" in modules
    assert argrecord.lookup(["parse", "b.tgo"]) == ("parse", {"output_format": "text", "paths": ["b.tgo"]})
