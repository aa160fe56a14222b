"""What a cold ``tgo parse`` loads (issue 15): only the command line, the parser and what both
need, never the checker, the lowering, the toolchain, the stubs, the language server or the
migration tool. Checked by the modules a fresh process holds after the command, not by
timing it (bench/coldstart_bench.py times it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tgorun import child_env

# A fresh interpreter runs the `tgo-py` entry point as the console script does, then prints
# the modules it loaded and its exit status.
_PROBE = """
import json, sys
sys.argv = ["tgo", *sys.argv[1:]]
from transpiler.fastpath import main
try:
    main()
except SystemExit as e:
    status = e.code
sys.stdout.flush()
sys.__stdout__.write("\\nMODULES " + json.dumps([status, sorted(sys.modules)]) + "\\n")
"""

# The transpiler modules a parse may load: the entry point and the CLI, the file-system
# layer and the caches (the parse table), diagnostics, the syntax package, the collector
# pause, and the package-files helper the CLI's path arguments share with `tgo check`.
_ALLOWED = (
    "transpiler",
    "transpiler.fastpath",
    "transpiler.cli",
    "transpiler.report",
    "transpiler.caches",
    "transpiler.gcpause",
    "transpiler.fs",
    "transpiler.diagnostics",
    "transpiler.syntax",
    "transpiler.check",  # the package only: its __init__ loads the checker on first use
    "transpiler.check.files",
)
# Standard-library and third-party modules a parse has no use for.
_NEVER = ("lark", "pickle", "pathlib", "subprocess", "tracemalloc", "pygls", "lsprotocol")


def _loaded(args: list[str], cwd: Path) -> tuple[int, list[str]]:
    proc = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=cwd, env=child_env(),
                          capture_output=True, text=True, check=False)
    marker = proc.stdout.rpartition("\nMODULES ")[2]
    assert marker, proc.stderr
    status, modules = json.loads(marker)
    return status, modules


def _outside(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] == "transpiler"
            and not any(m == a or (m.startswith(a + ".") and a not in ("transpiler", "transpiler.check"))
                        for a in _ALLOWED)]


@pytest.fixture()
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))
    pkg = tmp_path / "p"
    pkg.mkdir()
    (pkg / "a.tgo").write_text("package p\n\nfunc F(x ?*int) int {\n\tif x == nil {\n\t\treturn 0\n\t}\n\treturn *x\n}\n")
    (pkg / "b.go").write_text("package p\n\nfunc G() int { return 1 }\n")
    return pkg


@pytest.mark.parametrize("args", [["parse", "a.tgo"], ["parse", "."], ["parse", "--format", "json", "a.tgo", "b.go"]])
def test_parse_loads_neither_the_checker_nor_the_toolchain(package: Path, args: list[str]) -> None:
    _loaded(["parse", "a.tgo"], package)  # the first builds the parse table (with Lark)
    status, modules = _loaded(args, package)
    assert status == 0
    assert _outside(modules) == []
    assert [m for m in modules if m.split(".")[0] in _NEVER or m in _NEVER] == []


def test_a_syntax_error_loads_no_more(package: Path) -> None:
    (package / "bad.tgo").write_text("package p\n\nfunc F( {\n")
    _loaded(["parse", "a.tgo"], package)
    status, modules = _loaded(["parse", "bad.tgo"], package)
    assert status == 1
    assert _outside(modules) == []


def test_the_probe_sees_what_check_loads(package: Path) -> None:
    # the probe itself can fail: an uncached `tgo check` loads the checker, and the test says so
    status, modules = _loaded(["check", "."], package)
    assert status in (0, 2)  # (2: no Go toolchain to check Go's own errors with)
    assert "transpiler.check.checker" in _outside(modules)
