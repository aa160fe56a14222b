"""Go's own check of ``tgo check`` started while tgo's own work goes on (check/snapshot.py,
toolchain/gotypes.py, toolchain/vetreplay.py): before the bodies are checked when no file's
lowering reads their check, the stores done while it runs; the same output as a check that
starts it last, and nothing left behind when it fails, is killed, or is given up."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import pytest
from tgorun import pure_python, write

from transpiler.check import check_files
from transpiler.check.result import GoOutcome, GoStarted
from transpiler.diagnostics import format_json

ENUM = "package p\n\ntype Color enum {\n\tRed\n\tGreen\n}\n"
# a plain function ending in a switch without default: on an enum, tgo finds it exhaustive and
# the lowering adds the default Go needs (the checker's finding, from the body's check)
SWITCH = "package p\n\nfunc Name(c Color) int {\n\tswitch c {\n\tcase Red:\n\t\treturn 1\n\tcase Green:\n\t\treturn 2\n\t}\n}\n"
PLAIN = "package p\n\nimport \"strings\"\n\nfunc Up(s string) string {\n\tx := 1\n\treturn strings.ToUpper(s)\n}\n"
NULLABLE = "package p\n\nfunc First(xs []*int) ?*int {\n\tif len(xs) == 0 {\n\t\treturn nil\n\t}\n\treturn xs[0]\n}\n"
TRY = ("package p\n\nimport \"strconv\"\n\nfunc Parse(s string) (int, error) {\n\tn := strconv.Atoi(s)?\n"
       "\treturn n, nil\n}\n")


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))


def _package(tmp_path: Path, files: Mapping[str, str]) -> list[str]:
    write(tmp_path / "p" / "go.mod", "module example.com/p\n\ngo 1.22\n")
    return [str(write(tmp_path / "p" / name, text)) for name, text in files.items()]


def _declared(paths: list[str]) -> tuple[object, list[object]]:
    """The package of ``paths`` declared and resolved, its bodies not checked."""
    from transpiler.check import run
    from transpiler.syntax import parse_file

    seen: list[tuple[object, list[object]]] = []

    def stop(pc: object, infos: list[object]) -> None:
        seen.append((pc, infos))
        raise _Stop

    with pytest.raises(_Stop):
        run.check_package([(parse_file(p), p) for p in paths], [], declared=stop)  # type: ignore[arg-type]
    return seen[0]


class _Stop(Exception):
    pass


@pytest.mark.parametrize(("files", "early"), [
    ({"a.tgo": PLAIN}, True),
    ({"a.tgo": NULLABLE, "b.tgo": PLAIN}, True),
    ({"a.tgo": PLAIN, "b.tgo": TRY}, False),  # f()?: the types of f's results
    ({"a.tgo": PLAIN, "b.tgo": ENUM}, False),  # an enum: named apart from every identifier
    ({"a.tgo": "package p\n\ntype Shape union {\n\tCircle{R float64}\n\tSquare{S float64}\n}\n"}, False),
    ({"a.tgo": SWITCH, "b.go": ENUM.replace("enum {\n\tRed\n\tGreen\n}", "int\n\nconst (\n\tRed Color = iota\n"
                                             "\tGreen\n)")}, False),  # a switch Go does not count as terminating
])
def test_a_file_is_lowered_before_the_bodies_only_when_its_lowering_cannot_read_them(
        tmp_path: Path, files: dict[str, str], early: bool) -> None:
    from transpiler.lower.lowering import lower_checked_files, lower_declared_files

    paths = _package(tmp_path, files)
    pc, infos = _declared(paths)
    before = lower_declared_files(pc, infos)  # type: ignore[arg-type]
    assert (before is not None) == early
    _res, pc2, infos2 = _checked(paths)
    after = lower_checked_files(pc2, infos2, format=False)  # type: ignore[arg-type]
    if before is not None:
        assert {p: (f.text, f.source_map.segments) for p, f in before.items()} == {
            p: (f.text, f.source_map.segments) for p, f in after.items()}


def test_a_switch_the_check_may_find_exhaustive_waits_for_the_bodies(tmp_path: Path) -> None:
    from transpiler.lower.lowering import lower_checked_files, lower_declared_files

    paths = _package(tmp_path, {"a.tgo": SWITCH, "b.tgo": ENUM})
    pc, infos = _declared(paths)
    assert lower_declared_files(pc, [fi for fi in infos if fi.result.source.name == paths[0]]) is None  # type: ignore[attr-defined,arg-type]
    _res, pc2, infos2 = _checked(paths)
    lowered = lower_checked_files(pc2, infos2, format=False)  # type: ignore[arg-type]
    assert "no case matched in exhaustive switch" in lowered[paths[0]].text


def _checked(paths: list[str]) -> tuple[object, object, list[object]]:
    from transpiler.check import run
    from transpiler.syntax import parse_file

    return run.check_package([(parse_file(p), p) for p in paths], [])  # type: ignore[return-value]


class _Spy:
    """A Go check that only lowers, as ``gotypes.check`` does, logging when it is called and
    started relative to the bodies' check (``events``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, early: bool = True) -> None:
        from transpiler.check import run

        self.events: list[str] = []
        self.allow_early = early
        real = run.check_bodies

        def bodies(*args: object, **kw: object) -> object:
            self.events.append("bodies")
            return real(*args, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(run, "check_bodies", bodies)

    def __call__(self, paths: list[str], pc: object, infos: list[object], prior: Mapping[str, str],
                 early: bool) -> GoStarted | None:
        from transpiler.toolchain import gotypes

        self.events.append(f"go early={early}")
        if early and not self.allow_early:
            return None
        started = gotypes.check(paths, pc, infos, prior, early)  # type: ignore[arg-type]
        if started is None:
            return None
        self.events.append("started")

        def wait() -> GoOutcome:
            self.events.append("wait")
            return started.wait()

        def cancel() -> None:
            self.events.append("cancel")
            started.cancel()

        return GoStarted(started.lowerings, wait, cancel)


needs_go = pytest.mark.skipif(shutil.which("go") is None, reason="needs the Go toolchain")


@pure_python
@needs_go
@pytest.mark.parametrize("files", [
    {"a.tgo": PLAIN, "b.tgo": NULLABLE},
    {"a.tgo": PLAIN, "b.tgo": TRY},
    {"a.tgo": SWITCH, "b.tgo": ENUM, "c.tgo": PLAIN},
])
def test_go_s_check_early_or_last_gives_the_same_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       files: dict[str, str]) -> None:
    paths = _package(tmp_path, files)
    early = _Spy(monkeypatch)
    got = check_files(paths, stub_paths=[], use_cache=False, go_check=early)
    plain = all(t in (PLAIN, NULLABLE) for t in files.values())
    assert early.events == (["go early=True", "started", "bodies", "wait"] if plain else
                            ["go early=True", "bodies", "go early=False", "started", "wait"])
    last = _Spy(monkeypatch, early=False)
    want = check_files(paths, stub_paths=[], use_cache=False, go_check=last)
    assert last.events == ["go early=True", "bodies", "go early=False", "started", "wait"]
    assert got.go_note is None and want.go_note is None
    assert format_json(got.diagnostics) == format_json(want.diagnostics)
    assert any(d.code == "go" and "declared and not used: x" in d.message for d in got.diagnostics)
    assert {p: fr.lowered for p, fr in got.files.items()} == {p: fr.lowered for p, fr in want.files.items()}
    # and through the disk cache: the files' entries stored while Go's check ran
    cached = check_files(paths, stub_paths=[], go_check=early)
    again = check_files(paths, stub_paths=[], go_check=early)
    assert format_json(cached.diagnostics) == format_json(again.diagnostics) == format_json(want.diagnostics)


@pure_python
@needs_go
def test_a_check_given_up_while_go_s_runs_kills_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from transpiler.check import flowcheck

    paths = _package(tmp_path, {"a.tgo": PLAIN})
    spy = _Spy(monkeypatch)

    def broken(*args: object, **kw: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(flowcheck, "_file_bodies", broken)
    with pytest.raises(KeyboardInterrupt):
        check_files(paths, stub_paths=[], use_cache=False, go_check=spy)
    assert spy.events[:3] == ["go early=True", "started", "bodies"] and spy.events[-1] == "cancel"


@pure_python
def test_syntax_errors_start_no_go_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _package(tmp_path, {"a.tgo": PLAIN, "b.tgo": "package p\n\nfunc {\n"})
    spy = _Spy(monkeypatch)
    res = check_files(paths, stub_paths=[], use_cache=False, go_check=spy)
    assert spy.events == ["bodies"]
    assert any(d.code == "syntax" for d in res.diagnostics)


@pure_python
@needs_go
def test_a_lowering_error_is_reported_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # an enum declared in a function: the checker reports it, the lowering cannot lower it
    nested = "package p\n\nfunc F() {\n\ttype C enum {\n\t\tA\n\t}\n\t_ = A\n}\n"
    paths = _package(tmp_path, {"a.tgo": PLAIN, "b.tgo": nested})
    spy = _Spy(monkeypatch)
    got = check_files(paths, stub_paths=[], use_cache=False, go_check=spy)
    assert spy.events == ["go early=True", "bodies", "go early=False", "started", "wait"]
    assert got.go_note is None and any(d.code == "bad-enum" for d in got.diagnostics)
    assert not any(d.code == "go" for d in got.diagnostics)


# --- the program's runs (vetreplay.start) -------------------------------------------------


def _program(tmp_path: Path, body: str) -> str:
    program = write(tmp_path / "prog", "#!/bin/sh\n" + body)
    program.chmod(0o755)
    return str(program)


def _entry(tmp_path: Path, *envs: list[str]) -> object:
    from transpiler.toolchain import vetreplay

    return vetreplay.Entry([({"GoFiles": [], "Dir": str(tmp_path)}, [f"PATH={os.environ['PATH']}", *env])
                            for env in envs or ([],)])


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary directory the configurations are written into (to see that none is left)."""
    d = tmp_path / "tmp"
    d.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(d))
    return d


def test_each_configuration_runs_in_turn(tmp_path: Path, temp: Path) -> None:
    from transpiler.toolchain import vetreplay

    program = _program(tmp_path, 'test -f "$1" && echo "run $N" >&2\n')
    replay = vetreplay.start(_entry(tmp_path, ["N=1"], ["N=2"]), program, {})  # type: ignore[arg-type]
    assert replay is not None
    assert replay.wait() == "run 1\nrun 2\n"
    assert not list(temp.iterdir())


def test_a_run_that_fails_or_hangs_is_a_refusal_and_leaves_nothing(tmp_path: Path, temp: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from transpiler.toolchain import vetreplay

    failing = _program(tmp_path, "echo broken >&2\nexit 2\n")
    replay = vetreplay.start(_entry(tmp_path, [], []), failing, {})  # type: ignore[arg-type]
    assert replay is not None and replay.wait() is None
    assert not list(temp.iterdir())
    monkeypatch.setattr(vetreplay, "_TIMEOUT", 0.5)
    hanging = _program(tmp_path, "sleep 30\n")
    t0 = time.monotonic()
    replay = vetreplay.start(_entry(tmp_path), hanging, {})  # type: ignore[arg-type]
    assert replay is not None and replay.wait() is None
    assert time.monotonic() - t0 < 10
    assert not list(temp.iterdir())
    missing = vetreplay.start(_entry(tmp_path), str(tmp_path / "none"), {})  # type: ignore[arg-type]
    assert missing is None and not list(temp.iterdir())


def test_a_cancelled_run_is_killed_and_reaped(tmp_path: Path, temp: Path) -> None:
    from transpiler.toolchain import vetreplay

    pid_file = tmp_path / "pid"
    program = _program(tmp_path, f"echo $$ > {pid_file}\nexec sleep 30\n")
    replay = vetreplay.start(_entry(tmp_path), program, {})  # type: ignore[arg-type]
    assert replay is not None and replay.running is not None
    run = replay.running[0]
    for _ in range(100):
        if pid_file.exists() and pid_file.read_text().strip():
            break
        time.sleep(0.05)
    replay.cancel()
    assert run.proc.returncode is not None  # (reaped: no zombie)
    assert not list(temp.iterdir())
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


def test_a_started_process_keeps_the_time_limit_from_its_start(tmp_path: Path) -> None:
    from transpiler.goexe import ToolchainError, start_bounded

    started = start_bounded(["sleep", "30"], "sleep", 0.5)
    time.sleep(0.6)
    t0 = time.monotonic()
    with pytest.raises(ToolchainError, match=r"sleep did not answer within 0.5 s"):
        started.wait()
    assert time.monotonic() - t0 < 5
    assert started.proc.returncode is not None


def test_a_process_blocked_on_its_unread_pipe_past_the_limit_is_read_not_killed() -> None:
    """Go's check started early writes its findings while tgo's own check runs and reads nothing:
    with more than a pipe's worth of them it waits on the pipe, past its time limit if tgo's
    check is long. Waited for then, it is read and finishes."""
    import sys

    from transpiler.goexe import start_bounded

    big = 256 * 1024
    started = start_bounded([sys.executable, "-c", f"import sys; sys.stderr.write('x' * {big})"], "writer", 0.5)
    time.sleep(1.0)
    done = started.wait()
    assert done.returncode == 0 and len(done.stderr) == big
