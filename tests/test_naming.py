"""Output file names of lowered .tgo files (spec §9) against go/build's file-name rules."""

from __future__ import annotations

import json
import os
import re
import subprocess
import textwrap
from pathlib import Path

import pytest

from transpiler.lower.naming import (
    KNOWN_ARCH,
    KNOWN_OS,
    is_test_file,
    name_constraints,
    output_name,
)
from transpiler.toolchain import find_go

CASES = [
    # plain
    ("x.tgo", "x_tgo.go"),
    ("main.tgo", "main_tgo.go"),
    ("user_store.tgo", "user_store_tgo.go"),
    ("a_b_c.tgo", "a_b_c_tgo.go"),
    # _test
    ("x_test.tgo", "x_tgo_test.go"),
    ("user_store_test.tgo", "user_store_tgo_test.go"),
    # GOOS, GOARCH, both, with and without _test
    ("x_linux.tgo", "x_tgo_linux.go"),
    ("x_amd64.tgo", "x_tgo_amd64.go"),
    ("x_linux_amd64.tgo", "x_tgo_linux_amd64.go"),
    ("x_linux_amd64_test.tgo", "x_tgo_linux_amd64_test.go"),
    ("x_linux_test.tgo", "x_tgo_linux_test.go"),
    ("x_arm64_test.tgo", "x_tgo_arm64_test.go"),
    ("x_windows_386.tgo", "x_tgo_windows_386.go"),
    ("x_js_wasm.tgo", "x_tgo_js_wasm.go"),
    ("x_wasip1_wasm.tgo", "x_tgo_wasip1_wasm.go"),
    ("zsyscall_openbsd_riscv64.tgo", "zsyscall_tgo_openbsd_riscv64.go"),
    # past and future entries of Go's lists count too
    ("x_nacl.tgo", "x_tgo_nacl.go"),
    ("x_zos_s390x.tgo", "x_tgo_zos_s390x.go"),
    ("x_mips64p32le.tgo", "x_tgo_mips64p32le.go"),
    # arch before OS: only the last element is a constraint
    ("x_amd64_linux.tgo", "x_amd64_tgo_linux.go"),
    # OS, OS: only the last is a constraint
    ("x_linux_darwin.tgo", "x_linux_tgo_darwin.go"),
    # a known word in the middle is not a suffix
    ("linux_helpers.tgo", "linux_helpers_tgo.go"),
    ("x_linux_helpers.tgo", "x_linux_helpers_tgo.go"),
    ("x_test_helpers.tgo", "x_test_helpers_tgo.go"),
    # no prefix before the suffix: Go does not read it as a constraint
    ("linux.tgo", "linux_tgo.go"),
    ("amd64.tgo", "amd64_tgo.go"),
    ("test.tgo", "test_tgo.go"),
    ("windows.tgo", "windows_tgo.go"),
    # ... and everything before the first _ is ignored
    ("linux_test.tgo", "linux_tgo_test.go"),
    ("linux_amd64.tgo", "linux_tgo_amd64.go"),
    ("linux_amd64_test.tgo", "linux_tgo_amd64_test.go"),
    # case matters, as in Go
    ("x_Linux.tgo", "x_Linux_tgo.go"),
    ("x_TEST.tgo", "x_TEST_tgo.go"),
    # names that look odd
    ("x_.tgo", "x__tgo.go"),
    ("x__linux.tgo", "x__tgo_linux.go"),
    ("x_tgo.tgo", "x_tgo_tgo.go"),
    # dots: only the part before the first dot is read for GOOS/GOARCH
    ("x.pb.tgo", "x_tgo.pb.go"),
    ("x_linux.pb.tgo", "x_tgo_linux.pb.go"),
    ("x.y_linux.tgo", "x_tgo.y_linux.go"),
    ("x.y_test.tgo", "x_tgo.y_test.go"),
    ("x_test.y.tgo", "x_tgo_test.y.go"),
    # names the go command ignores stay ignored
    ("_x.tgo", "_x_tgo.go"),
    ("_linux.tgo", "_tgo_linux.go"),
    (".x.tgo", "_tgo.x.go"),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_output_name(source: str, expected: str) -> None:
    assert output_name(source) == expected


def test_output_name_keeps_directory() -> None:
    assert output_name("a/b/x_test.tgo") == os.path.join("a/b", "x_tgo_test.go")
    assert output_name("./x.tgo") == os.path.join(".", "x_tgo.go")
    assert output_name("/abs/dir.tgo/x_linux.tgo") == os.path.join("/abs/dir.tgo", "x_tgo_linux.go")


@pytest.mark.parametrize("name", ["x.go", "x_test.go", "dir/x_linux.go"])
def test_go_files_are_not_lowered(name: str) -> None:
    with pytest.raises(ValueError, match=r"\.go files are not lowered"):
        output_name(name)


@pytest.mark.parametrize("name", ["x", "x.TGO", "x.tgoi", "x.tgo.bak", ".tgo", "dir/.tgo", "dir/"])
def test_non_tgo_names_are_rejected(name: str) -> None:
    with pytest.raises(ValueError):
        output_name(name)


@pytest.mark.parametrize(("source", "_expected"), CASES)
def test_output_keeps_test_and_constraints(source: str, _expected: str) -> None:
    out = output_name(source)
    as_go = source[: -len(".tgo")] + ".go"
    assert is_test_file(out) == is_test_file(as_go) == is_test_file(source)
    assert name_constraints(out) == name_constraints(as_go) == name_constraints(source)


@pytest.mark.parametrize(("source", "_expected"), CASES)
def test_output_name_is_invertible(source: str, _expected: str) -> None:
    """Removing the one inserted ``_tgo`` element gives the source name back."""
    out = output_name(source)[: -len(".go")]
    candidates = {
        out[:i] + out[i + len("_tgo") :] + ".tgo" for i in (m.start() for m in re.finditer("(?=_tgo)", out))
    }
    assert source in candidates


def test_distinct_sources_give_distinct_outputs() -> None:
    sources = [s for s, _ in CASES]
    outputs = [output_name(s) for s in sources]
    assert len(set(outputs)) == len(set(sources))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("x.go", (None, None)),
        ("x_linux.go", ("linux", None)),
        ("x_arm.go", (None, "arm")),
        ("x_linux_arm.go", ("linux", "arm")),
        ("x_linux_arm_test.go", ("linux", "arm")),
        ("linux.go", (None, None)),
        ("linux_arm.go", (None, "arm")),
        ("x_arm_linux.go", ("linux", None)),
        ("x_linux.pb.go", ("linux", None)),
        ("x.pb_linux.go", (None, None)),
    ],
)
def test_name_constraints(name: str, expected: tuple[str | None, str | None]) -> None:
    assert name_constraints(name) == expected


def test_is_test_file() -> None:
    assert is_test_file("x_test.tgo")
    assert is_test_file("x_linux_test.go")
    assert not is_test_file("test.go")
    assert not is_test_file("x_test.pb.go")
    assert not is_test_file("x_tests.go")


def test_os_and_arch_lists_are_disjoint_and_exclude_tgo() -> None:
    assert not KNOWN_OS & KNOWN_ARCH
    assert "tgo" not in KNOWN_OS | KNOWN_ARCH
    assert "test" not in KNOWN_OS | KNOWN_ARCH


# --- against the real Go toolchain, when there is one --------------------------------

GO = find_go()
needs_go = pytest.mark.skipif(GO is None, reason="no Go toolchain")


def _go_env(name: str) -> str:
    assert GO is not None
    return subprocess.run([GO, "env", name], capture_output=True, text=True, check=True).stdout.strip()


@needs_go
def test_lists_cover_go_syslist() -> None:
    """Every GOOS/GOARCH the installed Go knows for file names is in our lists."""
    syslist = Path(_go_env("GOROOT")) / "src" / "internal" / "syslist" / "syslist.go"
    if not syslist.is_file():
        pytest.skip(f"{syslist} not found")
    text = syslist.read_text()

    def table(name: str) -> set[str]:
        m = re.search(r"var " + name + r" = map\[string\]bool\{(.*?)\n\}", text, re.S)
        assert m is not None, name
        return set(re.findall(r'"([^"]+)":\s*true', m[1]))

    assert table("KnownOS") <= KNOWN_OS
    assert table("KnownArch") <= KNOWN_ARCH


@needs_go
def test_lists_cover_go_dist_list() -> None:
    assert GO is not None
    out = subprocess.run([GO, "tool", "dist", "list"], capture_output=True, text=True, check=True).stdout
    for port in out.split():
        goos, goarch = port.split("/")
        assert goos in KNOWN_OS
        assert goarch in KNOWN_ARCH


MATCH_PROGRAM = textwrap.dedent(
    """\
    package main

    import (
    \t"encoding/json"
    \t"go/build"
    \t"os"
    \t"strings"
    )

    func main() {
    \tdir := os.Args[1]
    \tnames := strings.Split(os.Args[2], ",")
    \tports := strings.Fields(os.Args[3])
    \tout := map[string][]bool{}
    \tfor _, name := range names {
    \t\tfor _, port := range ports {
    \t\t\tctx := build.Default
    \t\t\tctx.GOOS, ctx.GOARCH, _ = strings.Cut(port, "/")
    \t\t\tok, err := ctx.MatchFile(dir, name)
    \t\t\tif err != nil {
    \t\t\t\tpanic(err)
    \t\t\t}
    \t\t\tout[name] = append(out[name], ok)
    \t\t}
    \t}
    \tjson.NewEncoder(os.Stdout).Encode(out)
    }
    """
)


@needs_go
def test_go_build_matches_source_and_output_alike(tmp_path: Path) -> None:
    """For every port, go/build accepts the output name exactly when it accepts the source as .go."""
    assert GO is not None
    files = tmp_path / "files"
    files.mkdir()
    names: list[str] = []
    for source, _ in CASES:
        if source.startswith((".", "_")):
            continue  # MatchFile rejects these outright, whatever the suffix
        for name in (source[: -len(".tgo")] + ".go", output_name(source)):
            if name not in names:
                (files / name).write_text("package p\n")
                names.append(name)
    prog = tmp_path / "prog"
    prog.mkdir()
    (prog / "main.go").write_text(MATCH_PROGRAM)
    (prog / "go.mod").write_text("module matchfile\n\ngo 1.22\n")
    ports = subprocess.run([GO, "tool", "dist", "list"], capture_output=True, text=True, check=True).stdout
    env = {**os.environ, "GOFLAGS": "-mod=mod", "GOWORK": "off", "CGO_ENABLED": "0"}
    proc = subprocess.run(
        [GO, "run", ".", str(files), ",".join(names), ports],
        cwd=prog,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    matches: dict[str, list[bool]] = json.loads(proc.stdout)
    for source, _ in CASES:
        if source.startswith((".", "_")):
            continue
        as_go = source[: -len(".tgo")] + ".go"
        assert matches[output_name(source)] == matches[as_go], source
