"""What the server answers itself, without gopls: hover and definition from the checker's recorded information, formatting by ``tgo fmt``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from transpiler.check.info import Info
from transpiler.lsp.backend import Encoding
from transpiler.lsp.convert import Json, span_range, uri_of, whole_range
from transpiler.syntax import ast
from transpiler.types.model import Const, Func, PkgName, TypeName, Var

if TYPE_CHECKING:
    from transpiler.check.snapshot import PackageCheck
    from transpiler.syntax.source import SourceFile


def sources_of(check: PackageCheck) -> dict[str, SourceFile]:
    """The decoded text of each file the check parsed, by path."""
    return {r.source.name: r.source for r in check.parsed}


def _ident(check: PackageCheck, path: str, offset: int) -> tuple[Info, ast.Ident] | None:
    if check.checker is None:
        return None
    info = check.checker.info
    ident = info.ident_at(path, offset)
    return None if ident is None else (info, ident)


def _summary(info: Info, ident: ast.Ident) -> str | None:
    """One line of Go saying what ``ident`` is, with its type as tgo writes it (``?*User``)."""
    obj = info.object_of(ident)
    if isinstance(obj, Var):
        kind = "field" if isinstance(obj.decl, ast.Field) and _is_struct_field(info, obj) else "var"
        return f"{kind} {obj.name} {obj.type!r}"
    if isinstance(obj, Const):
        value = f" = {obj.value!r}" if isinstance(obj.value, (int, float, str, bool)) else ""
        return f"const {obj.name} {obj.type!r}{value}"
    if isinstance(obj, Func):
        sig = repr(obj.sig)
        return f"func {obj.name}{sig[4:] if sig.startswith('func') else ' ' + sig}"
    if isinstance(obj, TypeName):
        return f"type {obj.name} {obj.underlying_type!r}"
    if isinstance(obj, PkgName):
        return f'package {obj.name} ("{obj.path}")'
    t = info.type_of(ident)
    return None if t is None else f"{ident.name} {t!r}"


def _is_struct_field(info: Info, obj: Var) -> bool:
    site = info.decl_sites.get(obj)
    if site is None:
        return False
    return any(isinstance(node, ast.StructType) for node in info.path_at(site[1], site[0].pos, site[0].end))


def _declaration_line(source: SourceFile, start: int) -> str:
    line = source.line_text(source.position(start)[0]).strip()
    return line[:-1].rstrip() if line.endswith("{") else line


def hover(check: PackageCheck, path: str, offset: int, encoding: Encoding) -> Json | None:
    """The hover of the identifier at ``offset`` of ``path``: what it is, with its tgo type, and
    its declaration's line when declared in the package (None elsewhere)."""
    found = _ident(check, path, offset)
    if found is None:
        return None
    info, ident = found
    summary = _summary(info, ident)
    if summary is None:
        return None
    blocks = [summary]
    sources = sources_of(check)
    decl = info.definition(ident)
    if decl is not None and decl.file in sources:
        line = _declaration_line(sources[decl.file], decl.start)
        if line and line != summary:
            blocks.append(line)
    value = "\n\n".join(f"```go\n{b}\n```" for b in blocks)
    source = sources.get(path)
    out: Json = {"contents": {"kind": "markdown", "value": value}}
    if source is not None:
        out["range"] = span_range(source, ident.pos, ident.end, encoding)
    return out


def merge_hover(mine: Json | None, go: Any) -> Any:
    """tgo's hover (``hover``) with gopls's (``go``: JSON) after it: gopls's first code block
    (the Go declaration, with lowered types) gives way to tgo's, the rest of it (documentation,
    links) is kept. Either alone when the other is None."""
    if mine is None or not isinstance(go, dict):
        return mine if mine is not None else go
    contents = go.get("contents")
    value = contents.get("value") if isinstance(contents, dict) else None
    if not isinstance(value, str):
        return mine
    rest = value
    if rest.startswith("```"):
        close = rest.find("\n```", 3)
        rest = rest[close + 4 :] if close >= 0 else ""
    rest = rest.strip("\n")
    if not rest:
        return mine
    return {**mine, "contents": {"kind": "markdown", "value": f"{mine['contents']['value']}\n\n{rest}"}}


def definition(check: PackageCheck, path: str, offset: int, encoding: Encoding) -> list[Json] | None:
    """Where the object named at ``offset`` is declared, when in the package (None otherwise)."""
    found = _ident(check, path, offset)
    if found is None:
        return None
    info, ident = found
    decl = info.definition(ident)
    if decl is None:
        return None
    source = sources_of(check).get(decl.file)
    if source is None:
        return None
    return [{"uri": uri_of(decl.file), "range": span_range(source, decl.start, decl.end, encoding)}]


def formatting(text: str, path: str, source: SourceFile, encoding: Encoding) -> list[Json] | None:
    """``tgo fmt`` of a document as one edit of the whole text: [] when it is formatted, None when
    it does not parse or cannot be formatted (the buffer is left alone). Raises ``ToolchainError``
    when gofmt is missing."""
    from transpiler.syntax import parse_source
    from transpiler.toolchain import require_gofmt
    from transpiler.toolchain.fmt import FormatError, format_parsed

    result = parse_source(text.encode("utf-8", "surrogatepass"), path)
    if result.diagnostics or result.tree is None:
        return None
    try:
        formatted = format_parsed(result, require_gofmt())
    except FormatError:
        return None
    if formatted == text:
        return []
    return [{"range": whole_range(source, encoding), "newText": formatted}]


def versions_match(check_versions: Mapping[str, int], current: Mapping[str, int]) -> bool:
    """Whether a check made of ``check_versions`` is of the documents' current texts."""
    return all(current.get(p) == v for p, v in check_versions.items())
