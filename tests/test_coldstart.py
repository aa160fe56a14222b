"""What a cold ``tgo parse`` loads (issue 15): only the command line, the parser and what both
need, never the checker, the lowering, the toolchain, the stubs, the language server or the
migration tool. Checked by the modules a fresh process holds after the command, not by
timing it (bench/coldstart_bench.py times it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tgorun import entry_probe

# The transpiler modules a parse may load: the entry point, its argument records, the commands
# and the CLI (the first run of a command line: click parses it), the file-system
# layer and the caches (the parse table), diagnostics, the syntax package, the collector
# pause, and the package-files helper the CLI's path arguments share with `tgo check`.
_ALLOWED = (
    "transpiler",
    "transpiler.fastpath",
    "transpiler.argrecord",
    "transpiler.commands",
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
    status, _out, _err, modules = entry_probe(args, cwd)
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
    _loaded(["parse", "a.tgo"], package)  # the first puts the parse table in the cache
    status, modules = _loaded(args, package)  # (click parses a command line the first time)
    assert status == 0
    assert _outside(modules) == []
    assert [m for m in modules if m.split(".")[0] in _NEVER or m in _NEVER] == []
    again, modules = _loaded(args, package)  # then the entry point runs it from its record
    assert again == 0
    assert _outside(modules) == []
    assert [m for m in modules if m.split(".")[0] in (*_NEVER, "click") or m in _NEVER] == []
    assert "transpiler.cli" not in modules


def test_the_first_parse_after_an_install_loads_the_table_the_wheel_ships(package: Path) -> None:
    # (the cache is empty: the table comes from the package, not from Lark, and is then cached)
    status, modules = _loaded(["parse", "a.tgo"], package)
    assert status == 0
    assert [m for m in modules if m.split(".")[0] == "lark"] == []
    assert [p.name for p in (package.parent / "cache").glob("parser-*.marshal")] != []


def test_the_shipped_table_is_the_grammar_s() -> None:
    from transpiler.syntax import table

    text = table.grammar_text()
    shipped = table._loaded(table._shipped(table.table_name(text)))
    assert shipped is not None  # (a damaged or foreign file would not be taken: _well_formed)
    built = table.build_table(text)
    assert (shipped.nonterminals, len(shipped.actions), len(shipped.rules)) == (
        built.nonterminals, len(built.actions), len(built.rules))
    assert table._loaded(b"\x00garbage") is None
    assert table._shipped("parser-not-this-grammar.marshal") is None


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
