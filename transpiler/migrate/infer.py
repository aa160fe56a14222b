"""Nullability inference: which declarations of the files being migrated can hold nil, as the checker's nil rules prove it.

The checker, run on the files as if they were ``.tgo`` files, reports every place where
nil reaches a declaration written non-nil: a ``nil`` literal assigned, passed or
returned (``nil-assign``), a zero value or an omitted composite-literal field
(``nil-init``), a map lookup or a receive flowing into a declaration, a result of a
function that is already nullable (a stub, another ``.tgo`` file, a package migrated
before). Each such report carries the fix ``declare_nullable`` (``?`` before the
declared type). Applying every such fix and checking again makes the new ``?``
types flow further (assignments, calls, returns, closures), until no fix is left: a
least fixpoint, as nilaway's constraint solving gives, with each step proven by the
checker. Parameters of exported functions that nothing in the module passes nil to
stay non-nil; ``exported_param_edits`` makes those the function itself compares with
nil nullable (the evidence that callers outside the module may pass nil).
"""

from __future__ import annotations

from collections.abc import Iterable

from transpiler.check.info import Info
from transpiler.check.rules.fixes import nullable_edit
from transpiler.diagnostics import codes
from transpiler.diagnostics.diagnostic import Diagnostic
from transpiler.diagnostics.fix import TextEdit
from transpiler.syntax import ast
from transpiler.types.model import Null, Var, can_be_nil, nullability

NIL_FLOW_CODES = frozenset({codes.NIL_ASSIGN.name, codes.NIL_INIT.name})
"""The codes whose fixes say that nil reaches a declaration."""


def nullable_fixes(diagnostics: Iterable[Diagnostic], files: set[str]) -> list[TextEdit]:
    """The ``?`` edits of the nil-flow diagnostics of ``files``, each declaration once (a fix is
    taken only when all its edits fall in ``files``: declarations elsewhere are not ours)."""
    found: dict[tuple[str, int], TextEdit] = {}
    for d in diagnostics:
        if d.code not in NIL_FLOW_CODES or d.file not in files:
            continue
        for fix in d.fixes:
            if fix.edits and all(e.new_text == "?" and e.start == e.end and e.file in files for e in fix.edits):
                for e in fix.edits:
                    found.setdefault((e.file, e.start), e)
                break
    return sorted(found.values(), key=lambda e: (e.file, e.start))


def exported_param_edits(info: Info, trees: dict[str, ast.File], text: dict[str, str]) -> list[TextEdit]:
    """``?`` on each non-nil parameter of an exported function or method of ``trees`` that its
    body compares with nil (``p == nil``, ``p != nil``): evidence that callers may pass nil."""
    out: list[TextEdit] = []
    for path, tree in trees.items():
        for decl in tree.decls:
            if not isinstance(decl, ast.FuncDecl) or decl.body is None or not decl.name.name[:1].isupper():
                continue
            params: dict[str, Var] = {}
            for field in decl.type.params.list:
                for name in field.names:
                    obj = info.defs.get(name)
                    if isinstance(obj, Var) and can_be_nil(obj.type) and nullability(obj.type) is Null.NONNIL:
                        params[name.name] = obj
            if not params:
                continue
            compared = {name for name in nil_compared(decl.body, text[path]) if name in params}
            for pname in sorted(compared):
                edit = nullable_edit(info, params[pname], path)
                if edit is not None:
                    out.append(edit)
    return out


def nil_compared(node: ast.Node, text: str, before: int | None = None) -> list[str]:
    """The source text of each expression compared with ``nil`` under ``node`` (ending before
    offset ``before``, when given)."""
    out: list[str] = []
    for n in ast.walk(node):
        if not isinstance(n, ast.BinaryExpr) or n.op not in ("==", "!=") or (before is not None and n.end > before):
            continue
        for a, b in ((n.x, n.y), (n.y, n.x)):
            if isinstance(b, ast.Ident) and b.name == "nil":
                out.append(text[a.pos:a.end])
    return out
