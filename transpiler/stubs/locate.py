"""Finding and reading stubs: ``tgo.toml``, stub directories, ``//tgo:`` directives.

A package's stubs are the ``.tgoi`` files in ``<stub dir>/<import path>/``. The stub
directories are searched in order: the user's ``stub_paths`` from ``tgo.toml`` at
the module root (relative to that file), then the bundled standard-library stubs.
The first directory that has any ``.tgoi`` file for the import path wins; the
others are not read (a user stub replaces a bundled one, it does not extend it).

The bundled stubs live in ``transpiler/_data/stdlib_stubs`` in an installed wheel
(pyproject force-includes the repository's ``stdlib_stubs`` there) and in
``<repo>/stdlib_stubs`` in a checkout.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from transpiler.diagnostics import Diagnostic
from transpiler.fs.base import DISK, FileSystem
from transpiler.syntax import ast
from transpiler.syntax.scanner import Comment
from transpiler.syntax.source import SourceFile

STUB_SUFFIX = ".tgoi"
STRICT_MARK = "//tgo:strict"
DIRECTIVE_PREFIX = "//tgo:"
DIRECTIVE_NORETURN = "noreturn"
DIRECTIVE_ERRCHECK_EXEMPT = "errcheck-exempt"

# .../transpiler (os.path, not pathlib: loading pathlib costs a check about 5 ms)
_PKG_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def bundled_stub_dir() -> str | None:
    """The directory of the bundled standard-library stubs, or ``None`` if there is none."""
    for candidate in (os.path.join(_PKG_DIR, "_data", "stdlib_stubs"),
                      os.path.join(os.path.dirname(_PKG_DIR), "stdlib_stubs")):
        if os.path.isdir(candidate):
            return candidate
    return None


def wants_sources(import_path: str) -> bool:
    """Whether an import path without a stub may name a package with Go sources to read
    (``stubs/sources.py``): not cgo's "C", not unsafe, not a standard library's internal package."""
    first = import_path.split("/", 1)[0]
    return import_path not in ("C", "unsafe") and ("." in first or "internal" not in import_path.split("/"))


def stub_file_name(import_path: str) -> str:
    """The generated stub's path relative to a stub directory: ``net/http/http.tgoi``."""
    return f"{import_path}/{import_path.rsplit('/', 1)[-1]}{STUB_SUFFIX}"


def _valid_import_path(import_path: str) -> bool:
    if not import_path or import_path.startswith("/") or "\\" in import_path:
        return False
    return all(elem not in ("", ".", "..") for elem in import_path.split("/"))


def find_stub(import_path: str, stub_paths: list[str], fs: FileSystem = DISK) -> list[str]:
    """The ``.tgoi`` files of ``import_path`` (sorted), from the first stub directory that has any.

    ``stub_paths`` (the user's, e.g. ``load_config(root).stub_paths``) are searched
    before the bundled standard-library stubs. An empty list means no stub: the
    package's API is unknown to the checker.
    """
    if not _valid_import_path(import_path):
        return []
    dirs = list(stub_paths)
    bundled = bundled_stub_dir()
    if bundled is not None:
        dirs.append(bundled)
    for directory in dirs:
        pkg_dir = os.path.join(directory, *import_path.split("/"))
        try:
            names = fs.listdir(pkg_dir)
        except OSError:
            continue
        files = [
            os.path.join(pkg_dir, n)
            for n in names
            if n.endswith(STUB_SUFFIX) and not n.startswith((".", "_"))
            and fs.is_file(os.path.join(pkg_dir, n))
        ]
        if files:
            return files
    return []


def first_line(text: str) -> str:
    """The first line of a file's text, without a byte-order mark and surrounding blanks
    (where ``//tgo:strict`` and ``//tgo:oblivious`` are looked for)."""
    return text.lstrip("\ufeff").split("\n", 1)[0].strip()


# ------------------------------------------------------------- reading stubs --


class Stub:
    """One parsed ``.tgoi`` file.

    ``strict`` is set when the first line is ``//tgo:strict``. ``directives`` maps a
    declaration to its ``//tgo:`` directive names (``noreturn``, ``errcheck-exempt``,
    …): a function by its name ``F``, a method by ``T.M`` (the receiver's base type
    name, pointer or not), an interface method by ``I.M``. (A plain class: a dataclass is
    made at import, about half a millisecond each, on the path of every check.)
    """

    __slots__ = ("diagnostics", "directives", "io_error", "path", "source", "strict", "tree")

    def __init__(self, path: str, tree: ast.File | None, source: SourceFile, strict: bool,
                 directives: dict[str, frozenset[str]], diagnostics: list[Diagnostic],
                 io_error: str | None = None) -> None:
        self.path = path
        self.tree = tree
        self.source = source
        self.strict = strict
        self.directives = directives
        self.diagnostics = diagnostics
        self.io_error = io_error

    def marks(self, decl: ast.FuncDecl) -> frozenset[str] | None:
        """The directives above a function or method declaration (None: no comment line
        of directives above it)."""
        if decl.recv is None:
            return self.directives.get(decl.name.name)
        base = receiver_base(decl.recv)
        return None if base is None else self.directives.get(f"{base}.{decl.name.name}")


def _directive_lines(source: SourceFile, comments: list[Comment]) -> dict[int, str]:
    """Line comments alone on their line, by 1-based line number."""
    text = source.text
    lines: dict[int, str] = {}
    for c in comments:
        if not c.text.startswith("//"):
            continue
        line, _ = source.position(c.pos)
        if text[source.line_start(line) : c.pos].strip():
            continue
        lines[line] = c.text
    return lines


def _directed_lines(lines: dict[int, str]) -> set[int]:
    """The lines whose ``_directives_above`` is not empty: those just below a line comment
    naming a directive, or below a run of line comments that holds one."""
    directed: set[int] = set()
    for line, text in lines.items():
        if text.startswith(DIRECTIVE_PREFIX) and text[len(DIRECTIVE_PREFIX):].split():
            line += 1
            directed.add(line)
            while line in lines:
                line += 1
                directed.add(line)
    return directed


def _directives_above(line: int, lines: dict[int, str]) -> frozenset[str]:
    found: set[str] = set()
    line -= 1
    while line in lines:
        text = lines[line]
        if text.startswith(DIRECTIVE_PREFIX):
            words = text[len(DIRECTIVE_PREFIX) :].split()
            if words:
                found.add(words[0])
        line -= 1
    return frozenset(found)


def receiver_base(recv: ast.FieldList | None) -> str | None:
    """The base type name of a method receiver: ``T`` for ``(t *T[K])``."""
    if recv is None or not recv.list:
        return None
    typ: ast.Expr = recv.list[0].type
    while True:
        if isinstance(typ, ast.StarExpr | ast.ParenExpr | ast.NullableType | ast.IndexExpr):
            typ = typ.x
        else:
            break
    return typ.name if isinstance(typ, ast.Ident) else None


def directive_sites(tree: ast.File, source: SourceFile, lines: set[int] | None) -> Iterator[tuple[str, int]]:
    """The key (see ``Stub``) and position of each function, method and interface method of
    ``tree``, which directives may be written above; with ``lines``, only those starting on one."""
    for decl in tree.decls:
        if isinstance(decl, ast.FuncDecl):
            if lines is not None and source.line_of(decl.pos) not in lines:
                continue
            base = receiver_base(decl.recv)
            if decl.recv is None:
                yield decl.name.name, decl.pos
            elif base is not None:
                yield f"{base}.{decl.name.name}", decl.pos
        elif isinstance(decl, ast.GenDecl) and decl.tok == "type":
            for spec in decl.specs:
                if isinstance(spec, ast.TypeSpec) and isinstance(spec.type, ast.InterfaceType):
                    for f in spec.type.methods.list:
                        if len(f.names) == 1 and isinstance(f.type, ast.FuncType) \
                                and (lines is None or source.line_of(f.pos) in lines):
                            yield f"{spec.name.name}.{f.names[0].name}", f.pos


def load_stub(path: str, fs: FileSystem = DISK) -> Stub:
    """Read (through ``fs``) and parse one stub file (once per content: parsed.py) and collect
    its directives (see ``Stub``)."""
    from transpiler.stubs.parsed import parse_stub

    try:
        data = fs.read(path)
    except OSError as e:
        return Stub(path, None, SourceFile(path, ""), False, {}, [], e.strerror or str(e))
    result = parse_stub(path, data)
    source = result.source
    strict = first_line(source.text) == STRICT_MARK
    directives: dict[str, frozenset[str]] = {}
    tree = result.tree
    lines = _directive_lines(source, tree.comments) if tree is not None else {}
    # (only a declaration on one of these lines can have directives: most stubs have none)
    directed = _directed_lines(lines)
    if tree is not None and directed:
        for key, pos in directive_sites(tree, source, directed):
            found = _directives_above(source.position(pos)[0], lines)
            if found:
                directives[key] = directives.get(key, frozenset()) | found
    return Stub(path, tree, source, strict, directives, result.diagnostics, result.io_error)
