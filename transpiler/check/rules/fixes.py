"""The fixes of the nil rules that stay in the flow checker: declare a value ``?T`` (nil-assign, nil-init), assert it ``x!`` or guard the statement with a nil check (nil-deref)."""

from __future__ import annotations

from transpiler.check.info import FileInfo, Info
from transpiler.diagnostics.fix import Fix, TextEdit
from transpiler.syntax import ast
from transpiler.types.model import (
    Chan,
    Interface,
    Map,
    Object,
    Pointer,
    Signature,
    Slice,
    Type,
    TypeParam,
    Var,
)


def declare_nullable(info: Info, obj: Object | None, file: str = "", what: str = "") -> tuple[Fix, ...]:
    """``?`` before the declared type of ``obj`` (a variable, parameter, result or field
    declared with a written type in a .tgo file of the package: ``file`` names it for an
    unnamed result of the function being checked); none where the type is inferred or
    declared elsewhere (a stub)."""
    edit = nullable_edit(info, obj, file)
    if edit is None:
        return ()
    assert isinstance(obj, Var)
    return (Fix(f"declare {what or obj.name} nullable (?)", (edit,)),)


def nullable_edit(info: Info, obj: Object | None, file: str = "") -> TextEdit | None:
    """The edit of ``declare_nullable``, or None."""
    if not isinstance(obj, Var) or obj.name == "_":
        return None
    declared = obj.declared  # (a generic's parameter or field: where it is declared)
    if declared is not obj and isinstance(declared.type, TypeParam):
        return None  # (``v T`` made ``v ?T`` is not the instance's ``?*User``: no fix)
    site = info.decl_sites.get(declared)
    if site is not None:
        file = site[1]
    decl = obj.decl
    typ = decl.type if isinstance(decl, (ast.Field, ast.ValueSpec)) else None
    if isinstance(typ, ast.Ellipsis):
        typ = typ.elt  # ...?*T: each argument may be nil
    if not file.endswith(".tgo") or typ is None or isinstance(typ, ast.NullableType):
        return None
    return TextEdit(file, typ.pos, typ.pos, "?")


def fields_nullable(info: Info, fields: list[Object]) -> tuple[Fix, ...]:
    """One fix declaring every field of ``fields`` nullable (none unless each can be)."""
    edits = [nullable_edit(info, f) for f in fields]
    if not edits or any(e is None for e in edits):
        return ()
    unique = {(e.file, e.start): e for e in edits if e is not None}
    names = ", ".join(f.name for f in fields if isinstance(f, Var))
    return (Fix(f"declare {names} nullable (?)", tuple(unique.values())),)


def assert_nonnil(fi: FileInfo, x: ast.Expr) -> tuple[Fix, ...]:
    """``x!``: the author asserts ``x`` is not nil here (it panics if it is)."""
    text = fi.result.source.text[x.pos:x.end]
    return (Fix(f"assert {text if len(text) <= 40 else text[:37] + '...'} is not nil (!)",
                (TextEdit(fi.result.source.name, x.end, x.end, "!"),)),)


# Statements a nil check may wrap without changing what else the code means: they declare no
# name used after them, and transfer no control out of their block (an if, switch or range
# statement's own names live inside it). Not a for statement: its condition is evaluated
# again after its body, which may change the value.
_GUARDABLE = (ast.ExprStmt, ast.AssignStmt, ast.IncDecStmt, ast.SendStmt, ast.GoStmt, ast.DeferStmt,
              ast.IfStmt, ast.SwitchStmt, ast.TypeSwitchStmt, ast.RangeStmt)


def guard_nonnil(fi: FileInfo, x: ast.Expr, t: Type) -> tuple[Fix, ...]:
    """``if x != nil { ... }`` around the statement that dereferences ``x`` (a value that narrowing
    follows, of a type Go compares with nil), where that is always correct Go: the statement is
    one of a block's (or a case's) statements, declares nothing used after it and leaves the
    block only by its end; it is indented one more level (none when a raw string spans its
    lines, whose text the indent would change)."""
    u = t.underlying()
    if not fi.is_tgo or not isinstance(u, (Pointer, Slice, Map, Chan, Signature, Interface)):
        return ()
    stmt = _statement_of(fi.tree, x)
    if stmt is None or (isinstance(stmt, ast.AssignStmt) and stmt.tok == ":="):
        return ()
    text = fi.result.source.text
    if any(isinstance(n, ast.BasicLit) and n.value.startswith("`") and "\n" in n.value for n in _walk(stmt)):
        return ()
    name = fi.result.source.name
    line_start = text.rfind("\n", 0, stmt.pos) + 1
    indent = text[line_start:len(text) - len(text[line_start:].lstrip(" \t"))]
    cond = text[x.pos:x.end]
    edits = [TextEdit(name, stmt.pos, stmt.pos, f"if {cond} != nil {{\n{indent}\t")]
    i = text.find("\n", stmt.pos, stmt.end)
    while i >= 0:
        if text[i + 1:i + 2] not in ("\n", ""):
            edits.append(TextEdit(name, i + 1, i + 1, "\t"))
        i = text.find("\n", i + 1, stmt.end)
    edits.append(TextEdit(name, stmt.end, stmt.end, f"\n{indent}}}"))
    shown = cond if len(cond) <= 40 else cond[:37] + "..."
    return (Fix(f"check {shown} for nil (if {shown} != nil)", tuple(edits)),)


def _walk(node: ast.Node) -> list[ast.Node]:
    out: list[ast.Node] = []
    stack = [node]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(n.children())
    return out


def _statement_of(tree: ast.File, x: ast.Expr) -> ast.Stmt | None:
    """The innermost statement holding ``x`` when it may be guarded (``_GUARDABLE``) and is an
    element of a block's or a case clause's statement list; else None."""
    found: tuple[ast.Stmt, ast.Node] | None = None
    node: ast.Node = tree
    while node is not x:
        for child in node.children():
            if child.pos <= x.pos and x.end <= child.end and (child.pos < child.end or child is x):
                if isinstance(child, ast.Stmt) and not isinstance(child, (ast.BlockStmt, ast.CaseClause,
                                                                          ast.CommClause)):
                    found = (child, node)
                node = child
                break
        else:
            return None
    if found is None:
        return None
    stmt, holder = found
    in_list = (isinstance(holder, ast.BlockStmt) and any(s is stmt for s in holder.list)) or \
        (isinstance(holder, (ast.CaseClause, ast.CommClause)) and any(s is stmt for s in holder.body))
    return stmt if in_list and isinstance(stmt, _GUARDABLE) else None
