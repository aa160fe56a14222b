"""Rule ``unchecked-error`` (spec §6): an error result dropped by a call statement or assigned to ``_``; fixes: ``?``, a coded ignore."""

from __future__ import annotations

from collections.abc import Callable

from transpiler.check.info import FileInfo, Operand
from transpiler.check.rules import Reporter, is_blank
from transpiler.check.suppress import ignore_fix
from transpiler.diagnostics import codes as M
from transpiler.diagnostics.fix import Fix, TextEdit
from transpiler.syntax import ast
from transpiler.types.model import Builtin, Func, Tuple, is_error_type


def exempt(op: Operand) -> bool:
    """A call (or its function) whose error may be dropped: one a stub marks
    ``//tgo:errcheck-exempt``.  The bundled stubs mark spec §6's list and errcheck's
    calls that cannot fail (stubgen.ERRCHECK_EXEMPT, the one list)."""
    return isinstance(op.obj, Func) and op.obj.errcheck_exempt


def check_dropped(pc: Reporter, fi: FileInfo, call: ast.CallExpr, op: Operand, how: str,
                  returns_error: bool) -> None:
    """A call ``how`` (a statement, ``defer``, ``go``) whose results hold an error; in a
    function that returns an error, a call statement can take ``?``."""
    if not fi.is_tgo:
        return
    results = [o.type for o in op.multi] if op.multi else ([op.type] if not isinstance(op.type, Tuple) else [])
    if not any(is_error_type(t) for t in results) or exempt(op):
        return
    fixes: list[Fix] = []
    if how == "statement" and returns_error and results and is_error_type(results[-1]):
        fixes.append(Fix("return the error (?)", (TextEdit(fi.result.source.name, call.end, call.end, "?"),)))
    fixes.append(ignore_fix(fi.result.source, call.pos, M.UNCHECKED_ERROR.name))
    pc.report(fi, call, M.UNCHECKED_ERROR_MSG, call=pc.text(fi, call.fun) + "()", fixes=tuple(fixes))


def check_blank(pc: Reporter, fi: FileInfo, lhs: list[ast.Expr], rhs: list[ast.Expr], ops: list[Operand],
                recorded: Callable[[ast.Expr], Operand]) -> None:
    """An error result of a call assigned to ``_``, in every form (spec §6): ``_ = f()``,
    ``v, _ := f()``, ``_, y := f(), 5``, ``_, _ = f(), g()``, and the same in a ``var``
    (``recorded``: what the checker recorded for an expression)."""
    if not fi.is_tgo or not any(is_blank(x) for x in lhs):
        return
    pairs: list[tuple[ast.Expr, ast.Expr, Operand]]
    if len(rhs) == 1:
        results = list(ops[0].multi) if len(lhs) == 1 and ops and ops[0].multi else ops
        pairs = [(x, rhs[0], op) for x, op in zip(lhs, results, strict=False)]
    elif len(rhs) == len(lhs):
        pairs = list(zip(lhs, rhs, ops, strict=False))
    else:
        return
    for x, r, op in pairs:
        while isinstance(r, ast.ParenExpr):
            r = r.x
        if not (is_blank(x) and isinstance(r, ast.CallExpr) and is_error_type(op.type)):
            continue
        fun = recorded(r.fun)
        if fun.is_type or isinstance(fun.obj, Builtin) or exempt(fun):
            continue  # a conversion (var _ error = error(nil)) drops nothing
        pc.report(fi, x, M.UNCHECKED_ERROR_BLANK, call=pc.text(fi, r.fun) + "()",
                  fixes=(ignore_fix(fi.result.source, x.pos, M.UNCHECKED_ERROR.name),))

