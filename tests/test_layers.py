"""tgo's layers: no module imports one of a higher layer, and no two modules import each other.

The layers, lowest first (docs/architecture.md says why each exists):

    root       transpiler/__init__.py: the version and the distribution name, nothing else
    base       file access (fsread, fs), caches, the diagnostics registry and its output
               forms, positions (syntax/source.py), finding and running go and gofmt (goexe)
    syntax     scanner, parse table, parser, tree, printer
    types      the type model and the universe
    stubs      .tgoi stubs: tgo.toml, finding, reading and generating them
    check      the checker and its driver
    lower      checked trees -> Go text
    toolchain  tgo build/run/test/vet/fmt/generate/cover: the go command around the library
    report     what every command prints (the check report, internal errors)
    tools      the click command line, the commands it runs and their argument records; the
               language server and the migration tool
    entry      the `tgo-py` entry point (fastpath) and `python -m transpiler`

Policy: EVERY import counts, wherever it is written: at module level, inside a
function (tgo imports lazily to start fast, and a lazy import is still a dependency:
the issue asks for no cycle "even counting imports made inside functions"), and under
``if TYPE_CHECKING:``.  A type-only import is a dependency of the module's meaning: its
signatures name the other module's types, mypy reads the two together, and such an
import turns into a runtime one as soon as the name is used in an ``isinstance`` or a
default value.  A lower layer that needs a higher one's type is a sign that the type
lives in the wrong layer (``FileLowering`` moved out of ``lowering.py`` for this reason).
Not counted: the import of a package's ``__init__`` that Python makes before each of
its submodules (a container, not a dependency); the ``__init__`` modules' own imports
count like any other module's.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import transpiler

ROOT = Path(transpiler.__file__).parent

# (layer name, module prefixes); a module is in the layer of its longest matching prefix.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("root", ("transpiler",)),
    ("base", ("transpiler.fsread", "transpiler.fs", "transpiler.caches", "transpiler.diagnostics",
              "transpiler.goexe", "transpiler.gcpause", "transpiler.syntax.source")),
    ("syntax", ("transpiler.syntax",)),
    ("types", ("transpiler.types",)),
    ("stubs", ("transpiler.stubs",)),
    ("check", ("transpiler.check",)),
    ("lower", ("transpiler.lower",)),
    ("toolchain", ("transpiler.toolchain",)),
    ("report", ("transpiler.report",)),
    ("tools", ("transpiler.cli", "transpiler.commands", "transpiler.argrecord", "transpiler.lsp", "transpiler.migrate")),
    ("entry", ("transpiler.fastpath", "transpiler.__main__")),
]

# TEMPORARY, named allowances: import cycles inside check/ that other work on issue 11
# removes (the recorded-information work: checker/flowcheck/narrow; the file-system and
# snapshot work: driver/run/cache). Remove each entry when its cycle is gone; the test
# fails while an entry names a cycle that no longer exists, so none outlives its cycle.
ALLOWED_CYCLES: dict[frozenset[str], str] = {}


@dataclass(frozen=True)
class Import:
    """One import statement's dependency: ``importer`` (a module) names ``target`` (a module)."""

    importer: str
    target: str
    file: str  # the importer's file, relative to the directory holding the package
    line: int
    where: str  # "module level", "in a function" or "under TYPE_CHECKING"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.importer} imports {self.target} ({self.where})"


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package below ``root``, by dotted name (a package by its own name)."""
    out = {}
    for p in sorted(root.rglob("*.py")):
        parts = p.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(name: str, path: Path, modules: Mapping[str, Path]) -> list[Import]:
    """The imports of tgo modules that module ``name`` (the file ``path``) makes, anywhere in it."""
    is_package = path.name == "__init__.py"
    file = "/".join(path.parts[-(name.count(".") + 1 + is_package):])
    found: list[Import] = []

    def resolve(target: str) -> str | None:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        return target or None

    def add(target: str, node: ast.stmt, where: str) -> None:
        module = resolve(target)
        if module is not None and module != name:
            found.append(Import(name, module, file, node.lineno, where))

    def visit(node: ast.AST, where: str) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "transpiler":
                    add(alias.name, node, where)
            return
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            if source.split(".")[0] != "transpiler":
                return
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                add(submodule if submodule in modules else source, node, where)
            return
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, "under TYPE_CHECKING")
            for child in node.orelse:
                visit(child, where)
            return
        inner = "in a function" if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) \
            else where
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), "module level")
    return found


def all_imports(modules: Mapping[str, Path]) -> list[Import]:
    """The imports of every module, once per statement and target (``from m import a, b``: one)."""
    return list(dict.fromkeys(imp for name, path in modules.items() for imp in imports_of(name, path, modules)))


def layer_of(module: str) -> int | None:
    """The index in ``LAYERS`` of the layer holding ``module`` (its longest matching prefix)."""
    best: tuple[int, int] | None = None  # (prefix length, layer index)
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    return None if best is None else best[1]


def cycles(imports: Iterable[Import]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan, without recursion)."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        graph.setdefault(imp.importer, set()).add(imp.target)
        graph.setdefault(imp.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                component = set()
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.add(w)
                    if w == v:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def layer_violations(imports: Iterable[Import]) -> list[str]:
    out = []
    for imp in imports:
        low, high = layer_of(imp.importer), layer_of(imp.target)
        if low is not None and high is not None and high > low:
            out.append(f"{imp}: layer {LAYERS[low][0]} imports layer {LAYERS[high][0]}, which is above it")
    return out


def cycle_report(component: frozenset[str], imports: Iterable[Import]) -> str:
    inside = sorted(str(imp) for imp in imports if imp.importer in component and imp.target in component)
    return "import cycle among " + ", ".join(sorted(component)) + ":\n    " + "\n    ".join(inside)


# ---------------------------------------------------------------------------------------- tests


MODULES = module_files()
IMPORTS = all_imports(MODULES)


def test_the_import_graph_is_read() -> None:
    # not vacuous: the modules and the kinds of import this test is about are all found
    assert {"transpiler.check.checker", "transpiler.syntax.parser", "transpiler.cli"} <= MODULES.keys()
    kinds = {imp.where for imp in IMPORTS}
    assert kinds == {"module level", "in a function", "under TYPE_CHECKING"}
    assert any(imp.importer == "transpiler.fastpath" and imp.target == "transpiler.cli" for imp in IMPORTS)


def test_every_module_has_a_layer() -> None:
    missing = [m for m in MODULES if layer_of(m) is None]
    assert not missing, f"modules in no layer (add them to LAYERS in {Path(__file__).name}): {missing}"


def test_no_module_imports_a_higher_layer() -> None:
    violations = layer_violations(IMPORTS)
    assert not violations, "imports against the layer order:\n" + "\n".join(violations)


def test_no_import_cycle() -> None:
    found = cycles(IMPORTS)
    unexpected = [c for c in found if not any(c <= allowed for allowed in ALLOWED_CYCLES)]
    assert not unexpected, "\n".join(cycle_report(c, IMPORTS) for c in unexpected)
    stale = [why for allowed, why in ALLOWED_CYCLES.items() if not any(c & allowed for c in found)]
    assert not stale, f"ALLOWED_CYCLES names cycles that no longer exist; remove them: {stale}"


def test_the_root_module_imports_nothing_of_tgo() -> None:
    # every module imports it (Python loads a package before its modules): it must stay a leaf
    assert [str(imp) for imp in IMPORTS if imp.importer == "transpiler"] == []


def test_the_checks_catch_what_they_are_for(tmp_path: Path) -> None:
    """A planted upward import (inside a function) and a planted cycle (under TYPE_CHECKING) in a
    copy of a small package are both reported, with file and line."""
    pkg = tmp_path / "transpiler"
    (pkg / "syntax").mkdir(parents=True)
    (pkg / "lower").mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "syntax" / "__init__.py").write_text("")
    (pkg / "lower" / "__init__.py").write_text("")
    (pkg / "syntax" / "a.py").write_text("import os\n\n\ndef f():\n    from transpiler.lower.b import g\n")
    (pkg / "lower" / "b.py").write_text(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from transpiler.lower import c\n")
    (pkg / "lower" / "c.py").write_text("from . import b\nfrom transpiler.syntax import a\n")
    modules = module_files(pkg)
    imports = all_imports(modules)
    assert [str(i) for i in imports if i.importer == "transpiler.syntax.a"] == [
        "transpiler/syntax/a.py:5: transpiler.syntax.a imports transpiler.lower.b (in a function)"]
    violations = layer_violations(imports)
    assert violations == ["transpiler/syntax/a.py:5: transpiler.syntax.a imports transpiler.lower.b (in a function): "
                          "layer syntax imports layer lower, which is above it"]
    assert cycles(imports) == [frozenset({"transpiler.syntax.a", "transpiler.lower.b", "transpiler.lower.c"})]
    report = cycle_report(cycles(imports)[0], imports)
    assert "transpiler/lower/b.py:4: transpiler.lower.b imports transpiler.lower.c (under TYPE_CHECKING)" in report
    assert "transpiler/lower/c.py:1: transpiler.lower.c imports transpiler.lower.b (module level)" in report
