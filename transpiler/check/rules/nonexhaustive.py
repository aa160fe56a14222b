"""Rule ``nonexhaustive`` (spec §3, §4): a switch on an enum or type switch on a union, without default, misses members; fix: add the missing cases."""

from __future__ import annotations

from collections.abc import Callable

from transpiler.check.facts import Nullness
from transpiler.check.info import FileInfo, Operand
from transpiler.check.rules import Reporter
from transpiler.diagnostics import codes as M
from transpiler.diagnostics.fix import Fix, TextEdit
from transpiler.syntax import ast
from transpiler.types.model import (
    Const,
    Named,
    Null,
    PkgName,
    Pointer,
    Type,
    UnknownType,
    identical,
    substitute,
)

Recorded = Callable[[ast.Expr], Operand]


def check_enum_switch(pc: Reporter, fi: FileInfo, sw: ast.SwitchStmt, recorded: Recorded) -> None:
    """``switch x`` on an enum value: every member must have a case, unless there is a
    default (types and constant values as the checker recorded them)."""
    if not fi.is_tgo or sw.tag is None:
        return
    t = recorded(sw.tag).type
    if not isinstance(t, Named) or t.obj.enum is None:
        return
    clauses = [c for c in sw.body.list if isinstance(c, ast.CaseClause)]
    if any(c.list is None for c in clauses):
        return
    covered: set[object] = set()
    for c in clauses:
        for e in c.list or []:
            op = recorded(e)
            if op.value is not None:
                covered.add(op.value)
            if isinstance(op.obj, Const):
                covered.add(id(op.obj))
    # a member named _ (bad-enum) cannot be named in a case
    missing = [m.name for m in t.obj.enum.members if id(m) not in covered and m.name != "_" and
               (m.value is None or m.value not in covered)]
    if not missing:
        pc.info.exhaustive.add(sw)
        return
    qual = _qualifier(pc, fi, t)
    fixes = _add_cases(fi, sw, [qual + m for m in missing]) if qual is not None else ()
    pc.report(fi, _keyword(sw), M.NONEXHAUSTIVE_ENUM, type=t.obj.name, missing=", ".join(missing), fixes=fixes)


def check_union_switch(pc: Reporter, fi: FileInfo, sw: ast.TypeSwitchStmt, guard: Operand,
                       case_type: Callable[[ast.Expr], Type]) -> None:
    """A type switch on a union value: every variant (and nil, where the value may be nil
    here: ``guard`` is its operand at the switch, the flow-sensitive part) must have a case,
    unless there is a default; a case that is no variant is ``bad-variant`` (``case_type``:
    the type a case's type expression denotes)."""
    if not fi.is_tgo:
        return
    t = guard.type
    if not isinstance(t, Named) or t.obj.union is None:
        return
    m = dict(zip(t.obj.type_params, t.targs, strict=False))
    variants = [substitute(v, m) for v in t.obj.union.variants]
    clauses = [c for c in sw.body.list if isinstance(c, ast.CaseClause)]
    has_default = any(c.list is None for c in clauses)
    covered_idx: set[int] = set()
    has_nil = False
    for c in clauses:
        for e in c.list or []:
            if isinstance(e, ast.Ident) and e.name == "nil":
                has_nil = True
                continue
            ct = case_type(e)
            if isinstance(ct, UnknownType):
                continue
            hit = [i for i, v in enumerate(variants) if identical(ct, v)]
            if not hit:
                pc.report(fi, e, M.BAD_VARIANT_MSG, case=pc.text(fi, e), type=repr(t.with_null(Null.ANY)))
            covered_idx.update(hit)
    if has_default:
        return
    left = [v for i, v in enumerate(variants) if i not in covered_idx]
    missing = [variant_name(v) for v in left]
    nil = not has_nil and guard.null in (Nullness.MAYBE, Nullness.NIL)
    if nil:
        missing.append("nil")
    if not missing:
        pc.info.exhaustive.add(sw)
        return
    labels = [_case_type(pc, fi, v) for v in left] + (["nil"] if nil else [])
    fixes = _add_cases(fi, sw, [x for x in labels if x is not None]) if None not in labels else ()
    pc.report(fi, _keyword(sw), M.NONEXHAUSTIVE_UNION, type=repr(t.with_null(Null.ANY)),
              missing=", ".join(missing), fixes=fixes)


def variant_name(t: Type) -> str:
    if isinstance(t, Named):
        return t.obj.name
    return repr(t)


def _keyword(sw: ast.Stmt) -> ast.Node:
    """The ``switch`` keyword: where the diagnostic is."""
    return ast.Ident(sw.pos, sw.pos + len("switch"), "switch")


def _qualifier(pc: Reporter, fi: FileInfo, t: Named) -> str | None:
    """What names of ``t``'s package are written with in ``fi`` (None: not imported by name)."""
    if t.obj.pkg is None or t.obj.pkg is pc.pkg:
        return ""
    for name, obj in fi.scope.names.items():
        if isinstance(obj, PkgName) and obj.pkg is t.obj.pkg:
            return name + "."
    return None


def _case_type(pc: Reporter, fi: FileInfo, v: Type) -> str | None:
    """How a case names variant ``v``: ``Name`` or ``*Name`` (None where it takes type arguments
    or a qualifier, which the fix does not write)."""
    ptr = isinstance(v, Pointer)
    base = v.elem if isinstance(v, Pointer) else v
    if not isinstance(base, Named) or base.targs or _qualifier(pc, fi, base) != "":
        return None
    return ("*" if ptr else "") + base.obj.name


def _add_cases(fi: FileInfo, sw: ast.SwitchStmt | ast.TypeSwitchStmt, labels: list[str]) -> tuple[Fix, ...]:
    """One empty ``case`` per missing label, before the switch's closing brace."""
    text = fi.result.source.text
    close = sw.body.end - 1
    if not labels or text[close:close + 1] != "}":
        return ()
    line_start = text.rfind("\n", 0, close) + 1
    before = text[line_start:close]
    indent = before if not before.strip() else ""
    lead = "" if not before.strip() else "\n"
    cases = "".join(f"{lead if i == 0 else indent}case {label}:\n" for i, label in enumerate(labels))
    return (Fix("add the missing cases", (TextEdit(fi.result.source.name, close, close, cases + indent),)),)
