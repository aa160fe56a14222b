"""Narrowing: the nil facts a condition establishes when it is true or false.

As TypeScript narrows on control flow: ``p != nil`` makes ``p`` non-nil where it
is true; ``a && b`` is true when both are; ``!c`` swaps; ``err != nil`` being
false fires the ``(T, error)`` guards on ``err``; a boolean ``ok`` being true
fires the comma-ok guards; ``errors.As(err, &t)`` being true makes ``t`` non-nil.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from transpiler.check.facts import Nullness, Ref, State, join
from transpiler.syntax import ast
from transpiler.types.model import Nil, PkgName, Scope, Var

if TYPE_CHECKING:
    from transpiler.check.checker import FileInfo, PackageChecker


def ref_of(pc: PackageChecker, scope: Scope, e: ast.Expr) -> Ref | None:
    """The reference an expression names (a variable or a field path), if any."""
    while isinstance(e, ast.ParenExpr):
        e = e.x
    if isinstance(e, ast.Ident):
        obj = pc.lookup(scope, e)
        if isinstance(obj, Var):
            return (id(obj),)
        return None
    if isinstance(e, ast.SelectorExpr):
        if isinstance(e.x, ast.Ident):
            obj = pc.lookup(scope, e.x)
            if isinstance(obj, PkgName):
                if obj.pkg is None:
                    return None
                member = obj.pkg.scope.names.get(e.sel.name)
                return (id(member),) if isinstance(member, Var) else None
        base = ref_of(pc, scope, e.x)
        return (*base, e.sel.name) if base is not None else None
    if isinstance(e, ast.StarExpr):
        base = ref_of(pc, scope, e.x)
        return (*base, "*") if base is not None else None
    return None


def _is_nil(pc: PackageChecker, scope: Scope, e: ast.Expr) -> bool:
    while isinstance(e, ast.ParenExpr):
        e = e.x
    return isinstance(e, ast.Ident) and isinstance(pc.lookup(scope, e), Nil)


def narrow(pc: PackageChecker, fi: FileInfo, scope: Scope, state: State, cond: ast.Expr, value: bool) -> State:
    if state.unreachable:
        return state
    while isinstance(cond, ast.ParenExpr):
        cond = cond.x
    if isinstance(cond, ast.UnaryExpr) and cond.op == "!":
        return narrow(pc, fi, scope, state, cond.x, not value)
    if isinstance(cond, ast.BinaryExpr):
        if cond.op == "&&":
            if value:
                return narrow(pc, fi, scope, narrow(pc, fi, scope, state, cond.x, True), cond.y, True)
            return join([
                narrow(pc, fi, scope, state, cond.x, False),
                narrow(pc, fi, scope, narrow(pc, fi, scope, state, cond.x, True), cond.y, False),
            ])
        if cond.op == "||":
            if value:
                return join([
                    narrow(pc, fi, scope, state, cond.x, True),
                    narrow(pc, fi, scope, narrow(pc, fi, scope, state, cond.x, False), cond.y, True),
                ])
            return narrow(pc, fi, scope, narrow(pc, fi, scope, state, cond.x, False), cond.y, False)
        if cond.op in ("==", "!="):
            other = None
            if _is_nil(pc, scope, cond.y):
                other = cond.x
            elif _is_nil(pc, scope, cond.x):
                other = cond.y
            if other is not None:
                ref = ref_of(pc, scope, other)
                if ref is None:
                    return state
                is_nil = (cond.op == "==") == value
                return state.narrow(ref, Nullness.NIL if is_nil else Nullness.NONNIL)
            return state
        return state
    if isinstance(cond, (ast.Ident, ast.SelectorExpr)):
        ref = ref_of(pc, scope, cond)
        if ref is not None:
            return state.truth(ref, value)
        return state
    if isinstance(cond, ast.CallExpr) and value and len(cond.args) == 2:
        which = _errors_func(pc, scope, cond)
        if which in ("Is", "As"):
            # errors.Is(err, t) / errors.As(err, &t) are false for a nil err
            ref = ref_of(pc, scope, cond.args[0])
            if ref is not None and not _is_nil(pc, scope, cond.args[1]):
                state = state.narrow(ref, Nullness.NONNIL)
        if which == "As":
            target = cond.args[1]
            while isinstance(target, ast.ParenExpr):
                target = target.x
            if isinstance(target, ast.UnaryExpr) and target.op == "&":
                ref = ref_of(pc, scope, target.x)
                if ref is not None:
                    return state.narrow(ref, Nullness.NONNIL)
    return state


def _errors_func(pc: PackageChecker, scope: Scope, call: ast.CallExpr) -> str | None:
    """``Is`` or ``As`` for a call of errors.Is / errors.As, else None."""
    fun = call.fun
    if isinstance(fun, ast.SelectorExpr) and isinstance(fun.x, ast.Ident) and fun.sel.name in ("Is", "As"):
        obj = pc.lookup(scope, fun.x)
        if isinstance(obj, PkgName) and obj.pkg is not None and obj.pkg.path == "errors":
            return fun.sel.name
    return None
