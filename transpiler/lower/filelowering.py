"""What the lowerings of one file share: its ``FileLowering`` state and the Go text they write.

``FileLowering`` holds the file's text, tree, checker results and edit list;
``fresh_name`` writes unused names.

Below ``lowering.py`` and the construct lowerings (``enums``, ``unions``, ``switches``),
which all import it, so that none of them imports another's driver.
"""

from __future__ import annotations

import os

from transpiler.check.checker import FileInfo
from transpiler.check.info import Info
from transpiler.lower.edits import EditList
from transpiler.syntax import ast
from transpiler.syntax.walk import nodes


class FileLowering:
    """What the construct lowerings share while they lower one file. (A plain class, not a
    dataclass: one is made when the module is loaded, on the path of every check.)"""

    __slots__ = ("_names", "_nodes", "edits", "fi", "imports_needed", "info", "line_name", "path", "shared", "text",
                 "tree")

    def __init__(self, path: str, text: str, tree: ast.File, info: Info, fi: FileInfo,
                 shared: dict[str, object] | None = None, line_name: str = "") -> None:
        self.path = path
        self.text = text
        self.tree = tree
        self.info = info  # what the checker recorded for the package
        self.fi = fi
        self.edits = EditList()
        # state computed once per package and shared by its files' lowerings (PackageNames)
        self.shared: dict[str, object] = {} if shared is None else shared
        self.imports_needed: set[str] = set()
        self._names: set[str] | None = None
        self._nodes: list[ast.Node] | None = None
        # the file's name in //line directives: its base name (for tgo gen's outputs beside it), or
        # its absolute path (for the build cache: go then names it as it names a .go file there)
        self.line_name = line_name or os.path.basename(path)

    def nodes(self) -> list[ast.Node]:
        """Every node of the file's tree, parents before children (``syntax/walk.py``), walked
        once for the lowerings that each look at them all."""
        if self._nodes is None:
            self._nodes = nodes(self.tree)
        return self._nodes

    def names_in_file(self) -> set[str]:
        if self._names is None:
            self._names = {n.name for n in self.nodes() if isinstance(n, ast.Ident)}
        return self._names

    def fresh(self, base: str, taken: set[str] | None = None) -> str:
        """A name that no identifier of the file (nor ``taken``) uses."""
        return fresh_name(base, self.names_in_file() | (taken or set()))

    def import_name(self, path: str) -> str:
        """The name under which the file can use package ``path`` (adding the import if needed)."""
        for decl in self.tree.imports:
            for spec in decl.specs:
                if isinstance(spec, ast.ImportSpec) and spec.path.value.strip('"`') == path:
                    if spec.name is None:
                        return path.rsplit("/", 1)[-1]
                    if spec.name.name not in ("_", "."):
                        return spec.name.name
        self.imports_needed.add(path)
        return path.rsplit("/", 1)[-1]

    def src(self, node: ast.Node) -> str:
        return self.text[node.pos : node.end]

    def line_of(self, offset: int) -> int:
        """The 1-based source line of an offset (through the file's ``SourceFile``)."""
        return self.fi.result.source.line_of(offset)

    def break_before(self, pos: int) -> str:
        """A newline when text inserted at ``pos`` would continue a statement or spec (the
        source is not gofmt-formatted: ``case A: return 0 }``, ``import ("os";"fmt")``)."""
        i = pos
        while i > 0 and self.text[i - 1] in " \t":
            i -= 1
        return "" if i == 0 or self.text[i - 1] in "\n;({" else "\n"

    def indent_of(self, pos: int) -> str:
        start = self.text.rfind("\n", 0, pos) + 1
        line = self.text[start:pos]
        return line[: len(line) - len(line.lstrip(" \t"))]


def fresh_name(base: str, used: set[str]) -> str:
    """``base``, or ``base2``, ``base3``... : the first not in ``used``."""
    if base not in used:
        return base
    i = 2
    while f"{base}{i}" in used:
        i += 1
    return f"{base}{i}"
