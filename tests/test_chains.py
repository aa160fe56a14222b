"""Long chains: binary operands and ``else if`` branches, through every command.

The parser counts neither a binary chain's links nor an ``else if`` chain's toward its
nesting limit (go/parser parses both in loops), so every later phase walks them in a
loop: chains three times the limit here (and 5,000 long under Python's default recursion
limit, so that a recursion on a chain fails), 10,000 long (slow), and 99,000 through
``parse`` and ``check``, just under go/parser's own limit, which gofmt enforces and tgo
enforces as go/parser does, with its positioned message. Each command exits 0, prints
no internal error, and the built program prints what Go's arithmetic says
(``scripts/hostile_input.chain_output``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import tgorun
from tgorun import write

from transpiler.lower.linemap import without_inline_directives
from transpiler.syntax.parser import GO_MAX_DEPTH, MAX_DEPTH

# scripts/ is not installed: import it from the checkout, after everything else on sys.path
sys.path.append(str(Path(__file__).resolve().parents[1]))

from scripts.hostile_input import chain_output, chain_source

GO_MOD = "module example.com/chains\n\ngo 1.22\n"


def tgo(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    proc = tgorun.tgo(*args, cwd=cwd, timeout=timeout)
    out = proc.stdout + proc.stderr
    assert "internal error" not in out and "Traceback" not in out, out[-3000:]
    return proc


def _all_commands(root: Path, n: int) -> None:
    src = write(root / "main.tgo", chain_source(n)).read_text()
    write(root / "go.mod", GO_MOD)
    for cmd in (("parse", "."), ("check", "."), ("fmt", "-l", ".")):
        proc = tgo(*cmd, cwd=root)
        assert proc.returncode == 0 and proc.stdout == "", (cmd, proc.stdout[-2000:], proc.stderr[-2000:])
    proc = tgo("gen", ".", cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    # nothing to lower but the nullable parameter: the chains are written as they were
    # (one /*line*/ comment puts `*T` on its column after the ? that was dropped)
    lowered = without_inline_directives((root / "main_tgo.go").read_text())
    assert lowered.split("\n", 3)[3] == src.replace("p ?*T", "p *T"), lowered[:300]
    (root / "main_tgo.go").unlink()
    binary = root / "prog"
    proc = tgo("build", "-o", str(binary), ".", cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    run = subprocess.run([str(binary)], capture_output=True, text=True, timeout=60, check=False)
    assert run.stdout == chain_output(n), run.stderr


def test_chains_longer_than_the_nesting_limit(tmp_path: Path) -> None:
    _all_commands(tmp_path, 3 * MAX_DEPTH + 1)


@pytest.mark.slow
def test_chains_of_10_000(tmp_path: Path) -> None:
    # (not longer: gofmt, which tgo fmt and tgo gen run, takes time quadratic in a binary
    # chain's length, and go build in an else-if ladder's: see docs/reliability.md)
    _all_commands(tmp_path, 10_000)


@pytest.mark.slow
def test_chains_of_99_000_parse_and_check(tmp_path: Path) -> None:
    # just under go/parser's limit (the ladder shorter: go/types, which tgo check runs, takes
    # time quadratic in its length)
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "main.tgo", chain_source(GO_MAX_DEPTH - 1000, branches=10_000))
    for cmd in (("parse", "."), ("check", ".")):
        proc = tgo(*cmd, cwd=tmp_path)
        assert proc.returncode == 0 and proc.stdout == "", (cmd, proc.stdout[-2000:], proc.stderr[-2000:])


@pytest.mark.slow
def test_a_chain_past_go_parsers_limit_is_a_positioned_error(tmp_path: Path) -> None:
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "p" / "p.tgo", "package p\n\nvar a = 1\n\nvar X = a" + " + a" * GO_MAX_DEPTH + "\n")
    for cmd in (("parse", "p"), ("check", "p"), ("gen", "p"), ("fmt", "-l", "p"), ("build", "./p")):
        proc = tgo(*cmd, cwd=tmp_path)
        assert proc.returncode == 1, (cmd, proc.stderr[-2000:])
        out = proc.stdout + proc.stderr
        assert "p.tgo:5:" in out and f"error: exceeded max nesting depth ({GO_MAX_DEPTH} levels) [syntax]" in out, cmd


def test_a_chain_does_not_recurse(tmp_path: Path) -> None:
    # under Python's own recursion limit (1,000 frames), a chain of 5,000 still checks
    write(tmp_path / "go.mod", GO_MOD)
    write(tmp_path / "main.tgo", chain_source(5000))
    env = {"TGO_NO_RECURSION_BUMP": "1"}
    for cmd in (("check", "."), ("gen", "."), ("fmt", "-l", ".")):
        proc = tgorun.tgo(*cmd, cwd=tmp_path, env=env)
        assert proc.returncode == 0 and "internal error" not in proc.stderr, (cmd, proc.stderr[-3000:])
