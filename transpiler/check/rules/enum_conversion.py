"""Rule ``enum-conversion`` (spec §3): a conversion to an enum type of a value not known to be a member (no fix: the remedy, ``Parse`` or ``IsValid``, is the author's choice)."""

from __future__ import annotations

from transpiler.check.info import FileInfo, Operand
from transpiler.check.rules import Reporter
from transpiler.diagnostics import codes
from transpiler.diagnostics import codes as M
from transpiler.syntax import ast
from transpiler.types.model import Named


def check(pc: Reporter, fi: FileInfo, e: ast.CallExpr, t: Named, x: Operand) -> None:
    """``E(x)`` for an enum ``E``: a warning for a non-constant ``x``, an error for a constant
    that is no member's value (an ``E`` value converts freely)."""
    if t.obj.enum is None or not fi.is_tgo:
        return
    if isinstance(x.type, Named) and x.type.obj is t.obj:
        return
    if x.value is None:
        pc.report(fi, e, M.ENUM_CONVERSION_MSG, type=t.obj.name, x=pc.text(fi, e.args[0]))
        return
    values = [m.value for m in t.obj.enum.members]
    if x.value not in values:
        pc.report(fi, e, M.ENUM_NOT_MEMBER, codes.Severity.ERROR, type=t.obj.name, value=repr(x.value))
