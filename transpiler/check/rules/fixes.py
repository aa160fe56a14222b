"""The fixes of the nil rules that stay in the flow checker: declare a value ``?T`` (nil-assign, nil-init), assert it ``x!`` (nil-deref)."""

from __future__ import annotations

from transpiler.check.info import FileInfo, Info
from transpiler.diagnostics.fix import Fix, TextEdit
from transpiler.syntax import ast
from transpiler.types.model import Object, Var


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
    site = info.decl_sites.get(obj)
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
