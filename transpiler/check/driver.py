"""Running the checker: files to packages, imports to stub packages, results to diagnostics."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from transpiler.check.checker import FileInfo, Importer, PackageChecker
from transpiler.diagnostics import Diagnostic
from transpiler.syntax import ParseResult, ast, parse_file
from transpiler.syntax.source import SourceFile
from transpiler.types.model import Func, Package, TypeName

OBLIVIOUS = "//tgo:oblivious"
STRICT = "//tgo:strict"


@dataclass(slots=True)
class CheckResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    typed: int = 0
    untyped: int = 0
    io_errors: list[tuple[str, str]] = field(default_factory=list)
    sources: dict[str, SourceFile] = field(default_factory=dict)

    @property
    def coverage(self) -> float:
        total = self.typed + self.untyped
        return self.typed / total if total else 1.0


def _first_line(text: str) -> str:
    return text.lstrip("\ufeff").split("\n", 1)[0].strip()


def file_info(result: ParseResult, name: str) -> FileInfo | None:
    if result.tree is None:
        return None
    is_tgo = name.endswith(".tgo")
    first = _first_line(result.source.text)
    strict = is_tgo and first != OBLIVIOUS
    return FileInfo(result, result.tree, is_tgo, strict)


class StubImporter(Importer):
    """Imports through ``.tgoi`` stubs: the user's stub paths, then the bundled standard library."""

    def __init__(self, stub_paths: list[str]) -> None:
        self.stub_paths = stub_paths
        super().__init__(self._load_stub)

    def _load_stub(self, path: str) -> Package | None:
        from transpiler.stubs.locate import find_stub

        files = find_stub(path, self.stub_paths)
        infos: list[FileInfo] = []
        for f in files:
            r = parse_file(f)
            if r.tree is None:
                continue
            strict = _first_line(r.source.text) == STRICT
            infos.append(FileInfo(r, r.tree, False, strict))
        if not infos:
            return None
        pc = PackageChecker(infos, self, path, report=False)
        pc.declare_all()
        pc.resolve_all()
        _apply_directives(pc, infos)
        pc.pkg.strict = all(fi.strict for fi in infos)
        return pc.pkg


def _directives(text: str, comments: list[object], pos: int) -> set[str]:
    """The ``//tgo:...`` comments on the lines directly above ``pos``."""
    out: set[str] = set()
    line_start = text.rfind("\n", 0, pos) + 1
    while line_start > 0:
        prev_start = text.rfind("\n", 0, line_start - 1) + 1
        line = text[prev_start : line_start - 1].strip()
        if not line.startswith("//"):
            break
        if line.startswith("//tgo:"):
            out.add(line[len("//tgo:") :].split()[0] if len(line) > 6 else "")
        line_start = prev_start
    del comments
    return out


def _apply_directives(pc: PackageChecker, infos: list[FileInfo]) -> None:
    for fi in infos:
        text = fi.result.source.text
        for decl in fi.tree.decls:
            if not isinstance(decl, ast.FuncDecl):
                continue
            marks = _directives(text, [], decl.pos)
            if not marks:
                continue
            func: Func | None = None
            if decl.recv is None:
                obj = pc.pkg.scope.names.get(decl.name.name)
                func = obj if isinstance(obj, Func) else None
            else:
                func = pc._method_obj(decl)
            if func is not None:
                func.noreturn = "noreturn" in marks
                func.errcheck_exempt = "errcheck-exempt" in marks
    # methods of interfaces declared in stubs (hash.Hash.Write) are exempted by the checker's table
    for obj in pc.pkg.scope.names.values():
        if isinstance(obj, TypeName):
            pass


def check_parsed(results: list[tuple[ParseResult, str]], stub_paths: list[str] | None = None,
                 importer: Importer | None = None) -> CheckResult:
    """Check parsed files as one package (files with syntax errors give their diagnostics only)."""
    out = CheckResult()
    infos: list[FileInfo] = []
    for r, name in results:
        out.sources[r.source.name] = r.source
        out.diagnostics.extend(r.diagnostics)
        fi = file_info(r, name)
        if fi is not None:
            infos.append(fi)
    if infos:
        imp = importer or StubImporter(stub_paths or [])
        pc = PackageChecker(infos, imp)
        pc.declare_all()
        pc.resolve_all()
        pc.check_bodies()
        diags = pc.diags
        try:
            from transpiler.check.suppress import apply_suppressions
        except ImportError:  # pragma: no cover
            apply_suppressions = None  # type: ignore[assignment]
        if apply_suppressions is not None:
            by_file: dict[str, list[Diagnostic]] = {}
            for d in diags:
                by_file.setdefault(d.file, []).append(d)
            diags = []
            for fi in infos:
                name = fi.result.source.name
                if fi.is_tgo:
                    diags.extend(apply_suppressions(by_file.get(name, []), fi.result.source, fi.tree.comments))
                else:
                    diags.extend(by_file.get(name, []))
        out.diagnostics.extend(diags)
        out.typed, out.untyped = pc.typed, pc.untyped
    out.diagnostics.sort(key=lambda d: (d.file, d.line, d.column, d.code))
    return out


def package_files(directory: str) -> list[str]:
    """The .go and .tgo files of the package in ``directory`` (not its subdirectories)."""
    names = sorted(os.listdir(directory))
    return [
        os.path.join(directory, n)
        for n in names
        if (n.endswith(".go") or n.endswith(".tgo"))
        and not n.startswith((".", "_"))
        and os.path.isfile(os.path.join(directory, n))
        and not _is_generated_from_tgo(directory, n)
    ]


def _is_generated_from_tgo(directory: str, name: str) -> bool:
    """``x_tgo.go`` next to ``x.tgo`` is tgo's own output: check the source, not it."""
    if not name.endswith(".go") or "_tgo" not in name:
        return False
    try:
        with open(os.path.join(directory, name), "rb") as f:
            return f.read(32).startswith(b"// Code generated by tgo")
    except OSError:
        return False


def check_files(paths: list[str], stub_paths: list[str] | None = None) -> CheckResult:
    results = []
    out = CheckResult()
    for p in paths:
        r = parse_file(p)
        if r.io_error is not None:
            out.io_errors.append((p, r.io_error))
            continue
        results.append((r, p))
    if stub_paths is None:
        stub_paths = _config_stub_paths(os.path.dirname(os.path.abspath(paths[0])) if paths else ".")
    res = check_parsed(results, stub_paths)
    res.io_errors = out.io_errors
    return res


def packages(args: list[str]) -> tuple[list[list[str]], list[tuple[str, str]]]:
    """Group command-line paths into packages: a directory is one package, ``dir/...`` every
    package below it, files are grouped by their directory.  Returns (packages, problems)."""
    groups: dict[str, list[str]] = {}
    problems: list[tuple[str, str]] = []
    for arg in args:
        recursive = arg.endswith("/...") or arg == "..."
        base = arg[: -len("/...")] if arg.endswith("/...") else ("." if arg == "..." else arg)
        if os.path.isdir(base):
            dirs = [base]
            if recursive:
                dirs = []
                for dirpath, dirnames, _files in os.walk(base):
                    dirnames[:] = sorted(d for d in dirnames
                                         if d not in ("testdata", "vendor") and not d.startswith((".", "_")))
                    dirs.append(dirpath)
            for d in dirs:
                try:
                    files = package_files(d)
                except OSError as e:
                    problems.append((d, e.strerror or str(e)))
                    continue
                if files:
                    groups.setdefault(os.path.normpath(d), []).extend(files)
        elif os.path.isfile(base) and (base.endswith(".go") or base.endswith(".tgo")):
            groups.setdefault(os.path.normpath(os.path.dirname(base) or "."), []).append(base)
        elif os.path.exists(base):
            problems.append((arg, "not a .go or .tgo file or a directory"))
        else:
            problems.append((arg, "no such file or directory"))
    return list(groups.values()), problems


def _config_stub_paths(directory: str) -> list[str]:
    from transpiler.stubs.locate import load_config, module_root

    return load_config(module_root(directory)).stub_paths


def check_dir(path: str) -> list[Diagnostic]:
    """Check the Go package in ``path``; the diagnostics, sorted."""
    files = package_files(path)
    return check_files(files).diagnostics
