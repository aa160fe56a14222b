"""The compiled build (hatch_build.py compiles the pipeline with mypyc) and the pure-Python one.

* ``transpiler.compiled()`` and ``tgo --version`` tell which one is installed, and it is the
  extension modules that Python imports;
* the modules compiled are free of what mypyc compiles into a crash or an error at run
  time, an error that would appear only in the compiled build and only in some import
  orders (a static scan of the sources);
* both forms give the same output, byte for byte: with the compiled build installed (as
  CI installs it), the pure one is built beside it (or taken from ``$TGO_PURE_PATH``) and
  both run the examples, the checker fixtures, the golden cases and a pinned sample of
  GOROOT (``scripts/same_output.py --batched``). The whole of GOROOT is compared by the
  script (docs/benchmarks.md, "Compiled build").
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest
from tgorun import tgo, write

import transpiler

ROOT = Path(__file__).resolve().parents[1]
# scripts/ is not installed: import it from the checkout, after everything else on sys.path
sys.path.append(str(ROOT))

from scripts.same_output import compare, record  # noqa: E402

# the GOROOT packages both forms check and lower (strict and oblivious)
STD_SAMPLE = ["encoding/json", "go/scanner", "net/url", "strconv", "text/template/parse"]


def _hook_settings() -> dict[str, list[str]]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    hook: dict[str, list[str]] = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]["custom"]
    return hook


def compiled_sources() -> list[Path]:
    """The modules hatch_build.py compiles (its ``mypyc`` and ``mypyc-exclude`` settings)."""
    hook = _hook_settings()
    skip = set(hook["mypyc-exclude"])
    out: list[Path] = []
    for entry in hook["mypyc"]:
        paths = [ROOT / entry] if entry.endswith(".py") else sorted((ROOT / entry).rglob("*.py"))
        out += [p for p in paths if str(p.relative_to(ROOT)) not in skip and p.name not in skip]
    return out


def test_compiled_says_what_python_imports(tmp_path: Path) -> None:
    import transpiler.check.checker
    import transpiler.syntax.parser

    is_so = transpiler.syntax.parser.__file__.endswith(tuple(EXTENSION_SUFFIXES))
    assert transpiler.compiled() is is_so
    assert transpiler.check.checker.__file__.endswith(tuple(EXTENSION_SUFFIXES)) is is_so
    # the sources ship either way (tracebacks, inspect)
    assert Path(transpiler.syntax.parser.__file__).with_name("parser.py").is_file()
    proc = tgo("--version", cwd=tmp_path)
    assert proc.stdout == f"tgo {transpiler.__version__}{' (compiled)' if is_so else ''}\n"


def test_the_listed_modules_exist() -> None:
    hook = _hook_settings()
    for entry in [*hook["mypyc"], *hook["mypyc-exclude"]]:
        assert entry.endswith("__init__.py") or (ROOT / entry).exists(), entry
    assert any(p.name == "parser.py" for p in compiled_sources())


def _runtime_problems(path: Path) -> list[str]:
    """What mypyc 2.4 compiles into a failure at run time, in one module's source: a module
    ``__getattr__``; a class with a metaclass; a field of a dataclass or named tuple whose
    annotation is ``object`` or a class imported only under ``TYPE_CHECKING`` (mypyc loads
    field types when it makes the class: a KeyError, or a crash when that class is compiled
    and its module not yet imported)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            for imp in ast.walk(node):
                if isinstance(imp, ast.Import | ast.ImportFrom):
                    type_only |= {(a.asname or a.name).split(".")[0] for a in imp.names}
    problems = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
            problems.append(f"{path.name}:{node.lineno}: a module __getattr__")
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        if any(k.arg == "metaclass" for k in node.keywords):
            problems.append(f"{path.name}:{node.lineno}: class {node.name} has a metaclass")
        for stmt in node.body:
            if not isinstance(stmt, ast.AnnAssign) or isinstance(stmt.annotation, ast.BinOp):
                continue  # X | Y is loaded as a union, never as its members
            head = stmt.annotation.value if isinstance(stmt.annotation, ast.Subscript) else stmt.annotation
            while isinstance(head, ast.Attribute):
                head = head.value
            if isinstance(head, ast.Name) and (head.id in type_only or head.id == "object"):
                problems.append(f"{path.name}:{stmt.lineno}: {node.name}.{ast.unparse(stmt.target)}: "
                                f"{ast.unparse(stmt.annotation)} (write `object | None`, or import it at run time)")
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            problems += _narrowed_across_calls(path, fn)
    return problems


def _self_attr(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return None


def _narrowed_across_calls(path: Path, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """``self.x = v``, then a call of a method of ``self``, then ``self.x is None`` (or ``is not
    None``) in one function: mypy keeps ``self.x`` narrowed to ``v``'s type across the call, and
    compiled code trusts it (a TypeError when the call set it to None)."""
    events: list[tuple[int, int, str, str]] = []
    for n in ast.walk(fn):
        if isinstance(n, ast.Assign):
            events += [(n.lineno, n.col_offset, "set", a) for t in n.targets if (a := _self_attr(t))]
        elif isinstance(n, ast.Compare) and any(isinstance(o, ast.Is | ast.IsNot) for o in n.ops):
            if a := _self_attr(n.left):
                events.append((n.lineno, n.col_offset, "test", a))
        elif isinstance(n, ast.Call) and _self_attr(n.func):
            events.append((n.lineno, n.col_offset, "call", ""))
    events.sort()
    problems = []
    for i, (line, _col, kind, attr) in enumerate(events):
        if kind != "set":
            continue
        called = False
        for later, _c, k, a in events[i + 1 :]:
            if k == "set" and a == attr:
                break
            called = called or k == "call"
            if k == "test" and a == attr and called:
                problems.append(f"{path.name}:{later}: self.{attr} is narrowed by line {line} across a call")
                break
    return problems


def test_compiled_modules_have_nothing_mypyc_breaks() -> None:
    problems = [p for path in compiled_sources() for p in _runtime_problems(path)]
    assert not problems, "exclude the module in pyproject.toml (mypyc-exclude) or change:\n" + "\n".join(problems)


def test_the_scan_finds_what_breaks(tmp_path: Path) -> None:
    src = write(tmp_path / "m.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from a import B\n"
                "class C:\n    b: B\n    o: object\n    ok: B | None\n    n: list[B]\n"
                "class M(metaclass=type):\n    pass\n"
                "def __getattr__(name: str) -> object:\n    return name\n"
                "class D:\n    def f(self) -> None:\n        self.x = 1\n        self.g()\n"
                "        if self.x is not None:\n            pass\n")
    # (list[B] and B | None are loaded as list and as a union: they do not count)
    assert sorted(p.split(": ")[0] for p in _runtime_problems(src)) == [
        "m.py:11", "m.py:17", "m.py:5", "m.py:6", "m.py:9"]


def _pure_path(tmp_path: Path) -> Path:
    """A pure-Python install of this checkout: ``$TGO_PURE_PATH`` (CI builds it once), or
    built here with ``TGO_NO_MYPYC=1`` (no dependencies: they come from this venv)."""
    given = os.environ.get("TGO_PURE_PATH")
    if given:
        return Path(given)
    target = tmp_path / "pure"
    env = dict(os.environ, TGO_NO_MYPYC="1", TGO_NO_LAUNCHER="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(ROOT)], env=env, check=True, timeout=600)  # fmt: skip
    return target


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("go") is None, reason="needs the Go toolchain")
@pytest.mark.skipif(not transpiler.compiled(), reason="the installed pipeline is pure Python "
                    "(TGO_NO_MYPYC=1, as scripts/test builds it, or no C compiler); CI installs the compiled one")
def test_compiled_and_pure_give_the_same_output(tmp_path: Path) -> None:
    pure = _pure_path(tmp_path)
    assert not list(pure.rglob("*.so")) and (pure / "transpiler" / "syntax" / "parser.py").is_file()
    shims = {
        form: write(tmp_path / form / "tgo", f'#!/bin/sh\n{setting}exec {sys.executable} -P -m transpiler "$@"\n')
        for form, setting in (("compiled", ""), ("pure", f"export PYTHONPATH='{pure}'\n"))
    }
    for shim in shims.values():
        shim.chmod(0o755)
    said = subprocess.run([str(shims["pure"]), "--version"], capture_output=True, text=True, check=True).stdout
    assert said == f"tgo {transpiler.__version__}\n"  # the pure one is what runs
    said = subprocess.run([str(shims["compiled"]), "--version"], capture_output=True, text=True, check=True).stdout
    assert said == f"tgo {transpiler.__version__} (compiled)\n"
    outcomes = [record(str(shims[form]), 0, STD_SAMPLE, batched=True) for form in ("compiled", "pure")]
    assert len(outcomes[0]) > 10
    assert compare(*outcomes) == []
