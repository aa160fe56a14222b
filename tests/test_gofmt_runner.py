"""The one gofmt runner (``goexe.run_gofmt``): formatting, rejection, and a missing gofmt as a
clear error (``tgo: gofmt not found ...``, exit 2), never unformatted output."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from tgorun import tgo

from transpiler import goexe
from transpiler.goexe import GofmtError, ToolchainError, find_go, find_gofmt, run_gofmt

GOFMT = find_gofmt()
needs_gofmt = pytest.mark.skipif(GOFMT is None, reason="needs gofmt")
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="uses a POSIX shell script as a fake go")


@needs_gofmt
def test_formats_go_source() -> None:
    assert run_gofmt("package p\nfunc  f( ) {x:=1;_=x}\n") == "package p\n\nfunc f() { x := 1; _ = x }\n"


@needs_gofmt
def test_rejection_carries_gofmts_message_and_status() -> None:
    with pytest.raises(GofmtError) as info:
        run_gofmt("package p\nfunc f( {\n")
    assert info.value.status not in (None, 0)
    assert str(info.value).startswith("<standard input>:2:")
    assert str(info.value) == info.value.stderr.splitlines()[0]


def test_an_unrunnable_gofmt_is_a_toolchain_error(tmp_path: Path) -> None:
    with pytest.raises(ToolchainError, match=r"^cannot run .*missing-gofmt"):
        run_gofmt("package p\n", str(tmp_path / "missing-gofmt"))


def test_no_gofmt_is_a_toolchain_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(goexe.GO_ENV_VAR, raising=False)
    monkeypatch.setattr(goexe, "wheel_go", lambda: None)
    monkeypatch.setattr(goexe, "_gofmts", {})
    with pytest.raises(ToolchainError, match=r"^gofmt not found: no gofmt on PATH, and no Go toolchain"):
        run_gofmt("package p\n")


@posix_only
@pytest.mark.skipif(find_go() is None, reason="needs the go command for the fake go's GOROOT answer")
def test_tgo_gen_without_gofmt_fails_and_writes_nothing(tmp_path: Path) -> None:
    """The lowering ran gofmt through a runner of its own that returned the text unformatted
    when there was no gofmt; now ``tgo gen`` says so and exits 2."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    go = bin_dir / "go"  # a go with no gofmt beside it, in its GOROOT or on PATH
    go.write_text(f"#!/bin/sh\n[ \"$1 $2\" = 'env GOROOT' ] && echo {tmp_path / 'goroot'}\n")
    go.chmod(go.stat().st_mode | stat.S_IXUSR)
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "go.mod").write_text("module example.com/p\n\ngo 1.22\n")
    src = pkg / "p.tgo"
    src.write_text("package p\n\nfunc F(p ?*int) int {\n\treturn *p!\n}\n")
    env = {"PATH": str(bin_dir), goexe.GO_ENV_VAR: str(go), "TGO_CACHE_DIR": str(tmp_path / "cache")}
    proc = tgo("gen", str(src), cwd=pkg, env=env)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"tgo: gofmt not found: no gofmt next to {go}"), proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in pkg.iterdir()) == ["go.mod", "p.tgo"]


@posix_only
@pytest.mark.parametrize(("user", "want"), [
    ({}, f"GOGC=off GOMEMLIMIT={256 << 20}"),  # (the collector off below 256 MiB)
    ({"GOGC": "50"}, "GOGC=50 GOMEMLIMIT="),  # the user's environment decides
    ({"GOMEMLIMIT": "1GiB"}, "GOGC= GOMEMLIMIT=1GiB"),
])
def test_gofmt_runs_with_the_collector_of_tgo_s_tools(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                      user: dict[str, str], want: str) -> None:
    for name in ("GOGC", "GOMEMLIMIT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in user.items():
        monkeypatch.setenv(name, value)
    fake = tmp_path / "gofmt"  # prints the collector settings it was given as its "formatting"
    fake.write_text('#!/bin/sh\ncat >/dev/null\necho "GOGC=$GOGC GOMEMLIMIT=$GOMEMLIMIT"\n')
    fake.chmod(0o755)
    assert run_gofmt("package p\n", str(fake)) == want + "\n"


def test_the_heap_limit_of_tgo_s_tools_grows_with_their_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed limit below the live heap makes Go's collector run without end (go/types of
    14 MB of lowered Go took 2.8 times the CPU of the default collector under 256 MiB)."""
    for name in ("GOGC", "GOMEMLIMIT"):
        monkeypatch.delenv(name, raising=False)
    small, big = goexe.tool_environ(1_700_000), goexe.tool_environ(14_000_000)
    assert small["GOGC"] == big["GOGC"] == "off"
    assert int(small["GOMEMLIMIT"]) == 256 << 20
    assert int(big["GOMEMLIMIT"]) >= 64 * 14_000_000
