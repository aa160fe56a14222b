"""Hostile input: deep nesting, big files, special files, bad environments, ``fmt -w`` on odd files.

Whatever the input, every command ends (a timeout here fails the test instead of
hanging it) with a diagnostic or a ``tgo: PATH: reason`` message and exit 0, 1 or 2,
never an internal error or a traceback.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import tgorun
from tgorun import write

from transpiler.fs.read import CONFIG_LIMIT, SOURCE_LIMIT, FileRejected, read_file
from transpiler.syntax import parse_source
from transpiler.syntax.parser import MAX_DEPTH

# scripts/ is not installed: import it from the checkout, after everything else on sys.path
sys.path.append(str(Path(__file__).resolve().parents[1]))

from scripts.hostile_input import big_source

GO_MOD = "module example.com/h\n\ngo 1.22\n"
COMMANDS = (("parse",), ("check",), ("gen",), ("fmt", "-l"))

# Each kind of nesting, as a declaration n levels deep (valid Go where the kind allows).
KINDS: dict[str, Callable[[int], str]] = {
    "parens": lambda n: "var X = " + "(" * n + "1" + ")" * n,
    "blocks": lambda n: "func F() " + "{" * n + "}" * n,
    "composite": lambda n: "var X = []any" + "{[]any" * (n - 1) + "{" + "}" * n,
    "funclit": lambda n: "var X = " + "func() { _ = " * (n - 1) + "func() {}" + " }" * (n - 1),
    "unary": lambda n: "var y = 1\n\nvar X = " + "- " * n + "y",
    "not": lambda n: "var y = true\n\nvar X = " + "!" * n + "y",
    "index": lambda n: "var a = []int{0}\n\nvar X = " + "a[" * n + "0" + "]" * n,
    "suffix": lambda n: "var a = []int{0}\n\nvar X = a" + "[0:1]" * n,
    "call": lambda n: "type G func() G\n\nfunc g() G { return g }\n\nvar X = g" + "()" * n,
    "slicetype": lambda n: "var X " + "[]" * n + "int",
    "ptrtype": lambda n: "type T int\n\nvar X ?" + "*" * n + "T",
    "ifelse": lambda n: "func F(b bool) {\n" + "if b {\n" * n + "}\n" * n + "}",
}


def check_clean(proc: subprocess.CompletedProcess[str]) -> None:
    """A diagnostic or a message, exit 0, 1 or 2: never an internal error."""
    out = proc.stdout + proc.stderr
    assert proc.returncode in (0, 1, 2), out
    assert "internal error" not in out and "Traceback" not in out, out


def tgo(*args: str, cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    # (as tgorun.tgo, but what go prints may not be UTF-8)
    proc = subprocess.run([sys.executable, "-m", "transpiler", *args], cwd=cwd, env=tgorun.child_env(env),
                          capture_output=True, text=True, errors="replace", timeout=timeout, check=False)
    check_clean(proc)
    return proc


def module(root: Path, packages: dict[str, str]) -> Path:
    write(root / "go.mod", GO_MOD)
    for name, decls in packages.items():
        write(root / name / f"{name}.tgo", f"package {name}\n\n{decls}\n")
    return root


def deepest(kind: str) -> int:
    """The most levels of ``kind`` the parser accepts (a binary search)."""
    lo, hi = 1, MAX_DEPTH
    while lo < hi:
        mid = (lo + hi + 1) // 2
        r = parse_source(f"package p\n\n{KINDS[kind](mid)}\n".encode(), "x.tgo")
        lo, hi = (mid, hi) if r.tree is not None else (lo, mid - 1)
    return lo


# --- nesting ----------------------------------------------------------------------------


@pytest.mark.slow
def test_nesting_past_the_limit_is_a_positioned_syntax_error(tmp_path: Path) -> None:
    root = module(tmp_path, {k: f(100_000) for k, f in KINDS.items()})
    for cmd in COMMANDS:
        proc = tgo(*cmd, "./...", cwd=root)
        assert proc.returncode == 1, (cmd, proc.stderr)
        lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if "exceeded max nesting depth" in ln]
        assert {ln.split("/")[1] for ln in lines} == set(KINDS), (cmd, proc.stdout + proc.stderr)
        assert all(f"({MAX_DEPTH} levels) [syntax]" in ln for ln in lines)
    proc = tgo("build", "./...", cwd=root)
    assert proc.returncode == 1 and "exceeded max nesting depth" in proc.stderr
    # the position is that of the construct that went too deep: the line and column of a token
    proc = tgo("parse", "parens", cwd=root)
    line, column = proc.stdout.split(":")[1:3]
    assert line == "3" and int(column) > 9


@pytest.mark.slow
def test_every_phase_handles_the_deepest_accepted_nesting(tmp_path: Path) -> None:
    depths = {k: deepest(k) for k in KINDS}
    # every kind is allowed close to the documented limit (the file's own levels aside)
    assert all(d >= MAX_DEPTH // 4 for d in depths.values()), depths
    root = module(tmp_path, {k: KINDS[k](d) for k, d in depths.items()})
    for cmd in COMMANDS:
        proc = tgo(*cmd, "./...", cwd=root)
        assert proc.returncode == 0, (cmd, proc.stdout + proc.stderr)
    proc = tgo("build", "./...", cwd=root, timeout=300)
    assert proc.returncode == 0, proc.stderr


# --- big files --------------------------------------------------------------------------


@pytest.mark.slow
def test_a_one_megabyte_file(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", GO_MOD)
    src = write(tmp_path / "big" / "big.tgo", big_source(1_000_000))
    for cmd in (("parse",), ("check",), ("fmt", "-l")):
        proc = tgo(*cmd, "big", cwd=tmp_path, timeout=300)
        assert proc.returncode == 0, (cmd, proc.stderr)
    assert tgo("gen", "big", cwd=tmp_path, timeout=300).returncode == 0
    out = (tmp_path / "big" / "big_tgo.go").read_text()
    assert out.count("if err != nil {") == src.read_text().count(")?")
    # gofmt split the one-line functions: the lines after them are back on their .tgo lines
    assert "//line big.tgo:" in out
    proc = tgo("build", "./big", cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr


# --- special files ----------------------------------------------------------------------


def _special(tmp_path: Path, name: str, how: str) -> Path:
    root = module(tmp_path, {"p": "func F() ?*int { return nil }"})
    target = root / "p" / name if name != "tgo.toml" else root / name
    if how == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    return root


@pytest.mark.slow
@pytest.mark.parametrize(("name", "how"), [("x.tgo", "fifo"), ("x_tgo.go", "fifo"), ("tgo.toml", "fifo"),
                                           ("x.tgo", "zero"), ("tgo.toml", "zero")])
def test_special_files_are_refused_not_read(tmp_path: Path, name: str, how: str) -> None:
    root = _special(tmp_path, name, how)
    for cmd in [*COMMANDS, ("build",)]:
        if (name == "tgo.toml" and cmd in (("parse",), ("fmt", "-l"))) or (name.endswith(".go") and cmd[0] == "fmt"):
            continue  # (these do not read tgo.toml; tgo fmt skips .go files)
        target = "./p" if cmd == ("build",) else "p"
        proc = tgo(*cmd, target, cwd=root, timeout=60)
        assert proc.returncode == 2, (cmd, proc.stderr)
        assert f"{name}: not a regular file" in proc.stderr, (cmd, proc.stderr)


@pytest.mark.parametrize("name", ["go.mod", "go.work"])
def test_a_module_file_that_is_a_fifo_is_refused_before_go_waits_on_it(tmp_path: Path, name: str) -> None:
    # go itself waits on it forever (go build, go vet, go list)
    root = module(tmp_path, {"p": "func F() ?*int { return nil }"})
    if name == "go.mod":
        (root / name).unlink()
    os.mkfifo(root / name)
    env = {"TGO_CACHE_DIR": str(tmp_path / "cache")}
    for cmd in (("build", "./p"), ("vet", "./p"), ("check", "p")):
        proc = tgo(*cmd, cwd=root, env=env, timeout=60)
        assert proc.returncode == 2 and f"{root / name}: not a regular file" in proc.stderr, (cmd, proc.stderr)


def test_read_file_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "f.tgo"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero"), tmp_path):
        with pytest.raises(FileRejected, match="not a regular file"):
            read_file(str(path))
    big = tmp_path / "big.tgo"
    with big.open("wb") as fh:
        fh.truncate(SOURCE_LIMIT + 1)  # (sparse: nothing is written)
    with pytest.raises(FileRejected, match=r"file too large \(over 64 MiB\)"):
        read_file(str(big))
    assert read_file(str(big), head=4) == b"\0" * 4
    small = write(tmp_path / "tgo.toml", "x" * (CONFIG_LIMIT + 1))
    with pytest.raises(FileRejected, match=r"over 1 MiB"):
        read_file(str(small), CONFIG_LIMIT)
    with pytest.raises(FileNotFoundError):
        read_file(str(tmp_path / "missing"))


def test_a_file_over_the_size_limit_is_a_message(tmp_path: Path) -> None:
    root = module(tmp_path, {"p": "func F() ?*int { return nil }"})
    with (root / "p" / "huge.tgo").open("wb") as fh:
        fh.truncate(SOURCE_LIMIT + 1)
    for cmd in COMMANDS:
        proc = tgo(*cmd, "p", cwd=root)
        assert proc.returncode == 2 and "huge.tgo: file too large (over 64 MiB)" in proc.stderr, (cmd, proc.stderr)


# --- a syntax error in one file of a package --------------------------------------------


def test_gen_leaves_every_output_of_a_package_with_a_syntax_error_untouched(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", GO_MOD)
    a = write(tmp_path / "p" / "a.tgo", "package p\n\nfunc Get() (int, error) {\n\tv := Parse()?\n"
                                        "\treturn v + N, nil\n}\n")
    b = write(tmp_path / "p" / "b.tgo", "package p\n\nconst N = 1\n\nfunc Parse() (int, error) { return 1, nil }\n")
    assert tgo("gen", "p", cwd=tmp_path).returncode == 0
    clean = {p.name: p.read_bytes() for p in (tmp_path / "p").glob("*_tgo.go")}
    assert sorted(clean) == ["a_tgo.go", "b_tgo.go"]
    b.write_text(b.read_text() + "\nfunc broken( {\n")
    proc = tgo("gen", "p", cwd=tmp_path)
    assert proc.returncode == 1 and "b.tgo:7:" in proc.stderr and "[syntax]" in proc.stderr
    assert {p.name: p.read_bytes() for p in (tmp_path / "p").glob("*_tgo.go")} == clean
    assert a.read_text().startswith("package p")
    # --no-check does not change that: a syntax error stops the package
    assert tgo("gen", "--no-check", "p", cwd=tmp_path).returncode == 1
    assert {p.name: p.read_bytes() for p in (tmp_path / "p").glob("*_tgo.go")} == clean


# --- bad environments -------------------------------------------------------------------


@pytest.mark.parametrize("toml", ["stub_paths = [\n", "stub_paths = 3\n", "stub_paths = [1]\n", b"# \xff\n", None])
def test_a_bad_tgo_toml_is_a_message_under_gen_check_and_build(tmp_path: Path, toml: str | bytes | None) -> None:
    root = module(tmp_path, {"p": "func F() ?*int { return nil }"})
    if toml is None:
        (root / "tgo.toml").mkdir()
    elif isinstance(toml, bytes):
        (root / "tgo.toml").write_bytes(toml)
    else:
        (root / "tgo.toml").write_text(toml)
    for cmd in (("gen", "p"), ("check", "p"), ("build", "./p")):
        proc = tgo(*cmd, cwd=root)
        assert proc.returncode == 2 and "tgo.toml" in proc.stderr, (cmd, proc.stderr)


def test_a_terminal_that_cannot_show_the_file_name(tmp_path: Path) -> None:
    root = module(tmp_path, {})
    write(root / "p" / "\u00e9.tgo", "package p\n\nvar x = )\n")
    env = {"LC_ALL": "C", "PYTHONIOENCODING": "ascii"}
    for cmd in (*COMMANDS, ("check", "--format", "json")):
        proc = subprocess.run([sys.executable, "-m", "transpiler", *cmd, "p"], cwd=root, env=tgorun.child_env(env),
                              capture_output=True, timeout=120, check=False)
        # (click writes names as UTF-8 bytes; the rest escapes what ASCII cannot show)
        out = (proc.stdout + proc.stderr).decode("utf-8")
        assert proc.returncode == 1, (cmd, out)
        assert "internal error" not in out
        assert any(f"{name}.tgo:3:9" in out or f'{name}.tgo"' in out for name in ("\\xe9", "\u00e9", "\\u00e9")), out


def test_a_go_that_prints_garbage(tmp_path: Path) -> None:
    root = module(tmp_path, {"p": "func F() ?*int { return nil }"})
    junk = write(tmp_path / "bin" / "go", "#!/bin/sh\nprintf 'garbage \\377\\376 junk\\n'\n")
    junk.chmod(0o755)
    env = {"TGO_GO": str(junk)}
    for cmd in (("build", "./p"), ("check", "p"), ("gen", "p"), ("fmt", "-l", "p")):
        tgo(*cmd, cwd=root, env=env)
    proc = tgo("stubgen", "fmt", "-o", str(tmp_path / "stubs"), cwd=root, env=env)
    assert proc.returncode == 2 and "is " + str(junk) + " a Go toolchain?" in proc.stderr


@pytest.mark.slow
def test_stub_paths_naming_the_root_is_bounded(tmp_path: Path) -> None:
    root = module(tmp_path, {"p": "func F() ?*int { return nil }"})
    write(root / "tgo.toml", 'stub_paths = ["/"]\n')
    proc = tgo("build", "./p", cwd=root, env={"TGO_CACHE_DIR": str(tmp_path / "cache")}, timeout=120)
    assert proc.returncode == 2 and "more than 10000 directories below this stub path" in proc.stderr
    assert tgo("check", "p", cwd=root).returncode == 0


# --- tgo fmt -w against gofmt -w --------------------------------------------------------

UNFORMATTED = "package p\n\nvar  x =1\n"


def _setups(root: Path, ext: str) -> dict[str, Path]:
    """The same odd files for a tool: a read-only file, a symlink, a hard link, another user's file."""
    out: dict[str, Path] = {}
    ro = write(root / f"ro{ext}", UNFORMATTED)
    ro.chmod(0o444)
    out["read-only"] = ro
    target = write(root / f"target{ext}", UNFORMATTED)
    (root / f"link{ext}").symlink_to(target.name)
    out["symlink"] = root / f"link{ext}"
    h1 = write(root / f"h1{ext}", UNFORMATTED)
    os.link(h1, root / f"h2{ext}")
    out["hard link"] = h1
    other = write(root / f"other{ext}", UNFORMATTED)
    other.chmod(0o640)
    if os.geteuid() == 0:
        shutil.chown(other, "nobody")
    out["other owner"] = other
    return out


def _state(root: Path) -> list[tuple[str, bool, int, int, int, str]]:
    """Every name in ``root``: link?, mode, owner, link count, content (the extension ignored)."""
    out = []
    for p in sorted(root.iterdir()):
        st = p.lstat()
        content = p.read_text() if p.exists() else ""
        out.append((p.stem, p.is_symlink(), stat.S_IMODE(os.stat(p).st_mode), st.st_uid, os.stat(p).st_nlink, content))
    return out


def test_fmt_w_treats_odd_files_as_gofmt_w_does(tmp_path: Path) -> None:
    gofmt = shutil.which("gofmt")
    if gofmt is None:
        pytest.skip("no gofmt")
    theirs, ours = tmp_path / "gofmt", tmp_path / "tgo"
    go_files, tgo_files = _setups(theirs, ".go"), _setups(ours, ".tgo")
    for what in go_files:
        ran = subprocess.run([gofmt, "-w", go_files[what].name], cwd=theirs, capture_output=True, text=True, check=False)
        proc = tgo("fmt", "-w", tgo_files[what].name, cwd=ours)
        assert (proc.returncode == 0) == (ran.returncode == 0), (what, proc.stderr, ran.stderr)
    assert _state(ours) == _state(theirs)
    assert (ours / "target.tgo").read_text() == "package p\n\nvar x = 1\n"
    assert (ours / "h2.tgo").read_text() == "package p\n\nvar x = 1\n"
    assert not [p for p in ours.iterdir() if p.name.startswith(".")]  # no backup left behind


@pytest.mark.parametrize("typo", ["\tz := f(1", "\tif x {", "\t)", "\tx.", "}", "\t" + "{" * 3000, "\tx := " + "(" * 3000])
def test_error_recovery_on_a_megabyte_of_typos_is_bounded(typo: str) -> None:
    # a typo every 50 lines of a 1 MB file: recovery gives up after a bounded number of
    # repairs (no partial tree then), reports at most ten errors and "too many errors"
    lines = big_source(1_000_000).split("\n")
    broken = "\n".join(line + ("\n" + typo if k % 50 == 10 else "") for k, line in enumerate(lines))
    r = parse_source(broken.encode(), "big.tgo")
    assert 1 <= len(r.diagnostics) <= 11 and all(d.code == "syntax" for d in r.diagnostics)
    assert r.tree is None
