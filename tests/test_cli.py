"""The tgo command line, run as a user runs it: ``python -m transpiler ...`` in a subprocess.

The subprocess imports the same ``transpiler`` package this test process imported
(the installed wheel in CI, see .ci/run), through PYTHONPATH.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import tgorun
from click.testing import CliRunner
from tgorun import no_traceback, pure_python, version_line, write

import transpiler
from transpiler.cli import cli
from transpiler.toolchain import find_go

REPO = Path(__file__).resolve().parents[1]

GOOD = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n'
# The only syntax error is the ")" at line 3, column 9.
BAD = "package p\n\nvar x = )\n"
DIAGNOSTIC_KEYS = {"file", "line", "column", "end_line", "end_column", "severity", "code", "message"}


def tgo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return tgorun.tgo(*args, cwd=cwd, timeout=300)


@pytest.mark.skipif(not os.environ.get("TGO_EXPECT_INSTALLED"), reason="only where CI asks for it")
def test_ci_tests_the_installed_package() -> None:
    """.ci/run sets TGO_EXPECT_INSTALLED: the tests must import the wheel, not the source tree."""
    assert not Path(transpiler.__file__).resolve().is_relative_to(REPO)


# --- usage --------------------------------------------------------------------------


def test_version(tmp_path: Path) -> None:
    proc = tgo("--version", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout == version_line()


def test_help(tmp_path: Path) -> None:
    proc = tgo("--help", cwd=tmp_path)
    assert proc.returncode == 0
    assert "parse" in proc.stdout
    assert "gen" in proc.stdout


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["parse"],
        ["gen"],
        ["frobnicate"],
        ["parse", "--format", "xml", "x.tgo"],
        ["parse", "--bogus", "x.tgo"],
        ["gen", "--bogus", "x.tgo"],
    ],
)
def test_bad_usage_exits_2(tmp_path: Path, args: list[str]) -> None:
    proc = tgo(*args, cwd=tmp_path)
    assert proc.returncode == 2
    no_traceback(proc)


# --- tgo parse ----------------------------------------------------------------------


def test_parse_clean_file_prints_nothing(tmp_path: Path) -> None:
    write(tmp_path / "main.tgo", GOOD)
    write(tmp_path / "plain.go", GOOD)
    proc = tgo("parse", "main.tgo", "plain.go", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_parse_syntax_error_text(tmp_path: Path) -> None:
    write(tmp_path / "pkg" / "bad.tgo", BAD)
    proc = tgo("parse", "pkg/bad.tgo", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert lines
    assert lines[0].startswith("pkg/bad.tgo:3:9: error: ")
    assert all(line.startswith("pkg/bad.tgo:") and line.endswith(" [syntax]") for line in lines)


def test_parse_json_shape(tmp_path: Path) -> None:
    write(tmp_path / "bad.tgo", BAD)
    write(tmp_path / "bad.go", BAD)
    proc = tgo("parse", "--format", "json", "bad.tgo", "bad.go", cwd=tmp_path)
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert isinstance(data, list)
    assert {d["file"] for d in data} == {"bad.tgo", "bad.go"}
    for d in data:
        assert set(d) == DIAGNOSTIC_KEYS
        for key in ("line", "column", "end_line", "end_column"):
            assert isinstance(d[key], int)
            assert d[key] >= 1
        assert (d["end_line"], d["end_column"]) >= (d["line"], d["column"])
        assert d["severity"] == "error"
        assert d["code"] == "syntax"
        assert isinstance(d["message"], str)
        assert d["message"]
    first = data[0]
    assert (first["file"], first["line"], first["column"]) == ("bad.go", 3, 9)


def test_parse_json_without_diagnostics_is_empty_array(tmp_path: Path) -> None:
    write(tmp_path / "main.tgo", GOOD)
    proc = tgo("parse", "--format=json", "main.tgo", cwd=tmp_path)
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == []


def test_parse_sorts_across_files(tmp_path: Path) -> None:
    write(tmp_path / "b.tgo", BAD)
    write(tmp_path / "a.tgo", BAD)
    proc = tgo("parse", "b.tgo", "a.tgo", cwd=tmp_path)
    assert proc.returncode == 1
    files = [line.split(":")[0] for line in proc.stdout.splitlines()]
    assert files == sorted(files)
    assert set(files) == {"a.tgo", "b.tgo"}
    data = json.loads(tgo("parse", "--format", "json", "b.tgo", "a.tgo", cwd=tmp_path).stdout)
    keys = [(d["file"], d["line"], d["column"]) for d in data]
    assert keys == sorted(keys)


def test_parse_walks_directories_like_the_go_command(tmp_path: Path) -> None:
    src = tmp_path / "src"
    used = ["a.tgo", "a.go", "sub/b.tgo", "sub/deeper/c_test.go", "x.tgo/d.go"]
    skipped = [
        "testdata/t.tgo",
        "sub/testdata/t.go",
        "vendor/v.go",
        ".hidden/h.tgo",
        "_underscore/u.go",
        "_e.tgo",
        ".e.go",
        "notes.txt",
        "e.tgoi",
    ]
    for name in used + skipped:
        write(src / name, BAD)
    proc = tgo("parse", "--format", "json", "src", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    files = {d["file"] for d in json.loads(proc.stdout)}
    assert files == {os.path.join("src", name) for name in used}


def test_parse_paths_keep_the_spelling_given(tmp_path: Path) -> None:
    write(tmp_path / "src" / "sub" / "bad.tgo", BAD)
    for arg, expected in [
        ("src", "src/sub/bad.tgo"),
        ("src/", "src/sub/bad.tgo"),
        ("./src", "./src/sub/bad.tgo"),
        (".", "./src/sub/bad.tgo"),
    ]:
        proc = tgo("parse", "--format", "json", arg, cwd=tmp_path)
        assert {d["file"] for d in json.loads(proc.stdout)} == {expected}, arg
    proc = tgo("parse", "--format", "json", "../sub/bad.tgo", cwd=tmp_path / "src" / "sub")
    assert {d["file"] for d in json.loads(proc.stdout)} == {"../sub/bad.tgo"}


def test_parse_explicit_skipped_dirs_are_used(tmp_path: Path) -> None:
    write(tmp_path / "testdata" / "t.tgo", BAD)
    write(tmp_path / "_build" / "vendor" / "v.go", BAD)
    write(tmp_path / "_x.tgo", BAD)
    proc = tgo("parse", "--format", "json", "testdata", "_build/vendor", "_x.tgo", cwd=tmp_path)
    assert proc.returncode == 1
    files = {d["file"] for d in json.loads(proc.stdout)}
    assert files == {"testdata/t.tgo", "_build/vendor/v.go", "_x.tgo"}


def test_parse_same_file_twice_is_reported_once(tmp_path: Path) -> None:
    write(tmp_path / "bad.tgo", BAD)
    once = json.loads(tgo("parse", "--format", "json", "bad.tgo", cwd=tmp_path).stdout)
    twice = json.loads(tgo("parse", "--format", "json", "bad.tgo", ".", "bad.tgo", cwd=tmp_path).stdout)
    assert twice == once


def test_parse_nonexistent_path_exits_2(tmp_path: Path) -> None:
    write(tmp_path / "bad.tgo", BAD)
    proc = tgo("parse", "nosuch.tgo", "bad.tgo", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == "tgo: nosuch.tgo: no such file or directory\n"
    assert proc.stdout.startswith("bad.tgo:3:9: ")  # the other file is still parsed
    no_traceback(proc)


def test_parse_path_through_a_file_exits_2(tmp_path: Path) -> None:
    """Works as root too: a file cannot be used as a directory."""
    write(tmp_path / "main.tgo", GOOD)
    proc = tgo("parse", "--format", "json", "main.tgo/x.tgo", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == "tgo: main.tgo/x.tgo: not a directory\n"
    assert json.loads(proc.stdout) == []


def test_parse_unreadable_file_exits_2(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read a file whatever its permissions")
    path = write(tmp_path / "secret.tgo", GOOD)
    path.chmod(0)
    try:
        proc = tgo("parse", "secret.tgo", cwd=tmp_path)
    finally:
        path.chmod(0o644)
    assert proc.returncode == 2
    assert proc.stderr.startswith("tgo: secret.tgo: ")
    assert "permission denied" in proc.stderr.lower()
    no_traceback(proc)


def test_parse_dangling_symlink_exits_2(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "gone.tgo").symlink_to(tmp_path / "nowhere.tgo")
    proc = tgo("parse", "src", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == "tgo: src/gone.tgo: no such file or directory\n"
    no_traceback(proc)


def test_parse_file_of_another_kind_exits_2(tmp_path: Path) -> None:
    write(tmp_path / "README.md", "# hi\n")
    proc = tgo("parse", "README.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("tgo: README.md: ")


# --- tgo gen ------------------------------------------------------------------------


def test_gen_writes_output_next_to_source(tmp_path: Path) -> None:
    src = write(tmp_path / "pkg" / "main.tgo", GOOD)
    before = src.stat()
    proc = tgo("gen", "pkg/main.tgo", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    out = tmp_path / "pkg" / "main_tgo.go"
    text = out.read_text()
    assert text.startswith("// Code generated by tgo from main.tgo. DO NOT EDIT.\n\n//line main.tgo:1:1\n")
    assert "package main" in text
    assert src.read_text() == GOOD
    assert src.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in (tmp_path / "pkg").iterdir()) == ["main.tgo", "main_tgo.go"]


def test_gen_output_names(tmp_path: Path) -> None:
    for name in ("x_test.tgo", "x_linux.tgo", "x_linux_amd64_test.tgo", "linux.tgo"):
        write(tmp_path / name, "package p\n")
    proc = tgo("gen", ".", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    generated = sorted(p.name for p in tmp_path.glob("*.go"))
    assert generated == sorted(
        ["x_tgo_test.go", "x_tgo_linux.go", "x_tgo_linux_amd64_test.go", "linux_tgo.go"]
    )


def test_gen_stdout_writes_no_file(tmp_path: Path) -> None:
    write(tmp_path / "a.tgo", "package p\n\nvar A = 1\n")
    write(tmp_path / "b.tgo", "package p\n\nvar B = 2\n")
    proc = tgo("gen", "--stdout", "b.tgo", "a.tgo", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.tgo", "b.tgo"]
    # files in command-line order, simply concatenated
    assert proc.stdout.index("from b.tgo.") < proc.stdout.index("from a.tgo.")
    assert proc.stdout.count("// Code generated by tgo from ") == 2
    assert "var A = 1" in proc.stdout
    assert "var B = 2" in proc.stdout


def test_gen_stdout_equals_written_file(tmp_path: Path) -> None:
    write(tmp_path / "main.tgo", GOOD)
    shown = tgo("gen", "--stdout", "main.tgo", cwd=tmp_path).stdout
    assert tgo("gen", "main.tgo", cwd=tmp_path).returncode == 0
    assert (tmp_path / "main_tgo.go").read_text() == shown


def test_gen_refuses_to_write_on_syntax_error(tmp_path: Path) -> None:
    # a syntax error in one file stops the whole package: the other files' outputs would
    # be lowered without the broken file's declarations
    write(tmp_path / "bad.tgo", BAD)
    write(tmp_path / "good.tgo", GOOD)
    proc = tgo("gen", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith("./bad.tgo:3:9: error: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tgo", "good.tgo"]
    assert (tmp_path / "bad.tgo").read_text() == BAD


def test_gen_stdout_with_syntax_error(tmp_path: Path) -> None:
    write(tmp_path / "bad.tgo", BAD)
    proc = tgo("gen", "--stdout", "bad.tgo", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "bad.tgo:3:9:" in proc.stderr


def test_gen_skips_go_files(tmp_path: Path) -> None:
    # .go files are not lowered, but they are part of the package: gen reads
    # them for their types, so a syntax error there is reported (exit 1) and
    # stops the package like one in a .tgo file
    write(tmp_path / "plain.go", BAD)
    write(tmp_path / "main.tgo", GOOD)
    proc = tgo("gen", ".", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("./plain.go:3:9: error: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main.tgo", "plain.go"]
    proc = tgo("gen", "plain.go", cwd=tmp_path)
    assert proc.returncode == 0
    assert "skipped" in proc.stderr
    assert not (tmp_path / "plain_tgo.go").exists()


def test_gen_does_not_overwrite_a_hand_written_file(tmp_path: Path) -> None:
    write(tmp_path / "main.tgo", GOOD)
    mine = write(tmp_path / "main_tgo.go", "package main // mine\n")
    proc = tgo("gen", "main.tgo", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("tgo: main_tgo.go: ")
    assert mine.read_text() == "package main // mine\n"


def test_gen_rewrites_its_own_output_only_when_changed(tmp_path: Path) -> None:
    src = write(tmp_path / "main.tgo", GOOD)
    assert tgo("gen", "main.tgo", cwd=tmp_path).returncode == 0
    out = tmp_path / "main_tgo.go"
    os.utime(out, ns=(1_000_000_000, 1_000_000_000))
    assert tgo("gen", "main.tgo", cwd=tmp_path).returncode == 0
    assert out.stat().st_mtime_ns == 1_000_000_000  # same bytes: not rewritten
    src.write_text(GOOD.replace("hi", "hello"))
    assert tgo("gen", "--no-check", "main.tgo", cwd=tmp_path).returncode == 0
    assert "hello" in out.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main.tgo", "main_tgo.go"]


def test_gen_nonexistent_path_exits_2(tmp_path: Path) -> None:
    write(tmp_path / "main.tgo", GOOD)
    proc = tgo("gen", "nosuch", "main.tgo", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == "tgo: nosuch: no such file or directory\n"
    assert (tmp_path / "main_tgo.go").exists()


BLANK_MEMBER = "package main\n\ntype Color enum {\n\tRed\n\t_\n\tBlue\n}\n\nfunc main() {\n\tprintln(Blue.String())\n}\n"


@pytest.mark.parametrize("verb", ["gen", "build"])
def test_an_enum_member_named_blank_is_refused_at_its_position(tmp_path: Path, verb: str) -> None:
    # spec §3: bad-enum at the _, not "cannot lower" (nor a clean check and a failing go build)
    write(tmp_path / "go.mod", "module example.com/blank\n\ngo 1.22\n")
    write(tmp_path / "main.tgo", BLANK_MEMBER)
    proc = tgo(verb, ".", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1, proc.stderr
    assert "main.tgo:5:2: error: enum Color has a member named _" in proc.stderr
    assert proc.stderr.count("[bad-enum]") == 1 and "cannot lower" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["go.mod", "main.tgo"]


def test_gen_unwritable_directory_exits_2(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    write(tmp_path / "ro" / "main.tgo", GOOD)
    (tmp_path / "ro").chmod(0o555)
    try:
        proc = tgo("gen", "ro", cwd=tmp_path)
    finally:
        (tmp_path / "ro").chmod(0o755)
    assert proc.returncode == 2
    assert proc.stderr.startswith("tgo: ro/main_tgo.go: ")
    no_traceback(proc)


@pytest.mark.skipif(find_go() is None, reason="no Go toolchain")
def test_gen_output_builds_with_go(tmp_path: Path) -> None:
    example = tmp_path / "hello"
    shutil.copytree(REPO / "examples" / "hello", example)
    for generated in example.glob("*_tgo.go"):
        generated.unlink()
    proc = tgo("gen", "hello", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    go = find_go()
    assert go is not None
    env = {**os.environ, "GOFLAGS": "-mod=mod", "GOWORK": "off", "GOTOOLCHAIN": "local"}
    run = subprocess.run([go, "run", "."], cwd=example, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "Hello" in run.stdout


# --- never a traceback --------------------------------------------------------------


def test_internal_error_is_reported_without_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import transpiler.syntax

    def boom(path: str) -> object:
        raise ValueError("kaboom")

    monkeypatch.setattr(transpiler.syntax, "parse_file", boom)
    monkeypatch.delenv("TGO_TRACEBACK", raising=False)
    write(tmp_path / "main.tgo", GOOD)
    result = CliRunner().invoke(cli, ["parse", str(tmp_path / "main.tgo")])
    assert result.exit_code == 2
    assert "tgo: internal error: ValueError: kaboom" in result.output
    assert "report" in result.output
    assert "Traceback" not in result.output


def test_toolchain_error_exits_2_with_its_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import transpiler.syntax
    from transpiler.toolchain import ToolchainError

    def no_go(path: str) -> object:
        raise ToolchainError("no Go toolchain found: install Go, set TGO_GO, or pip install 'tgo-lang[go]'")

    monkeypatch.setattr(transpiler.syntax, "parse_file", no_go)
    write(tmp_path / "main.tgo", GOOD)
    result = CliRunner().invoke(cli, ["parse", str(tmp_path / "main.tgo")])
    assert result.exit_code == 2
    assert result.output == "tgo: no Go toolchain found: install Go, set TGO_GO, or pip install 'tgo-lang[go]'\n"


@pure_python
def test_keyboard_interrupt_exits_130_quietly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import transpiler.check.run  # binds the real parse_file before the patch, for later tests
    import transpiler.syntax

    def interrupted(path: str) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(transpiler.syntax, "parse_file", interrupted)
    write(tmp_path / "main.tgo", GOOD)
    result = CliRunner().invoke(cli, ["gen", str(tmp_path / "main.tgo")])
    assert result.exit_code == 130
    assert result.output == ""
