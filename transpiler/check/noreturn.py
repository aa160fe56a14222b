"""Which functions of a package never return, inferred from their bodies (spec §2's early exits).

A function or method whose every path ends in a call that never returns — ``panic``,
a function a stub marks ``//tgo:noreturn`` (``os.Exit``, ``log.Fatal``, ``t.FailNow``,
``runtime.Goexit``), or another such function of the package — is marked ``noreturn``
as that directive marks a stub's, so a call of it ends a branch (``if u == nil {
m.fail("no user") }`` narrows ``u``).  "Every path" is the body's control-flow graph
(cfg.py): its exit is unreachable once such calls end their blocks.  A body that can
fall off its end or return is not noreturn.  Functions that call each other are decided
together, to the greatest fixpoint: every candidate is taken not to return, and one
whose exit is reachable all the same returns, until none changes.  What is left cannot
return: a path out of one would need a call of another to return first (functions
that only recurse into each other never return either).

Two stages keep this cheap.  First, by names alone: a candidate's body must end —
in each branch, Go's terminating-statement shapes — in a call whose name (``Exit``,
``fail``) is that of a noreturn function of a stub or of another candidate, to a
fixpoint; this reads only the last statements (``syntax/skeleton.ends``: a body that
cannot end so with any name is all a kept tree's skeleton leaves out).  Then the candidates left are decided
on their CFGs with calls resolved by name and type as the checker resolves them,
without the body's local declarations: a call through a local name (a closure, a
local variable's method) is not known to stop.

The result depends on function bodies, so a package's check records which functions
it found (``infer`` returns their keys) and a cached result of one file is reused only
with the same set (run.py).
"""

from __future__ import annotations

from collections.abc import Callable

from transpiler.check.cfg import build, reachable
from transpiler.check.checker import FileInfo, PackageChecker
from transpiler.check.flowcheck import FunctionChecker
from transpiler.syntax import ast
from transpiler.syntax.skeleton import ends
from transpiler.types.model import UNKNOWN, Func, Var


def infer(pc: PackageChecker) -> list[str]:
    """Mark the functions and methods of ``pc``'s package that never return; their keys
    (``F``, ``T.M``), sorted.  Their names join ``pc.importer.noreturn_names`` (for the
    packages that import this one)."""
    decls: list[tuple[FileInfo, ast.FuncDecl, Func]] = []
    for fi in pc.files:
        for decl in fi.tree.decls:
            if isinstance(decl, ast.FuncDecl) and decl.body is not None and decl.body.list:
                if fi.result.tree is None and ast.has_bad(decl.body):
                    continue  # a body with a part that did not parse may return there
                func = pc.func_of(decl)
                if func is not None and not func.noreturn:
                    decls.append((fi, decl, func))
    known = pc.importer.noreturn_names | {"panic"}
    while True:  # by names: the candidates' names may stop a call, no other name of the package
        names = known | {d.name.name for _fi, d, _f in decls}
        left = [c for c in decls if c[1].body is not None and ends(c[1].body.list, names)]
        if len(left) == len(decls):
            break
        decls = left
    if not decls:
        return []
    typed, untyped = pc.typed, pc.untyped  # resolving calls here is no part of the coverage
    pending: list[tuple[Func, ast.BlockStmt, Callable[[ast.CallExpr], bool]]] = []
    for fi, decl, func in decls:
        assert decl.body is not None
        scope, sig = pc.decl_scope(fi, decl)
        fc = FunctionChecker(pc, fi, decl.body, sig, scope, decl.type, None)
        fc.bind_params()
        for name in _local_names(decl.body):
            fc.scope.names[name] = Var(name, UNKNOWN)  # unknown: its declaration is not read here
        func.noreturn = True
        pending.append((func, decl.body, _stopper(pc, fc)))
    changed = True
    while changed:
        changed = False
        still = []
        for func, body, stops in pending:
            cfg = build(body, stops)
            if cfg.exit.index in reachable(cfg):
                func.noreturn = False
                changed = True
            else:
                still.append((func, body, stops))
            cfg.dispose()
        pending = still
    pc.typed, pc.untyped = typed, untyped
    pc.importer.noreturn_names.update(f.name for f, _b, _s in pending)
    return sorted(f"{f.recv_type.name}.{f.name}" if f.recv_type is not None else f.name for f, _b, _s in pending)


def _stopper(pc: PackageChecker, fc: FunctionChecker) -> Callable[[ast.CallExpr], bool]:
    """Whether a call statement of ``fc``'s body stops, with its callee resolved once."""
    callees: dict[int, object] = {}

    def stops(call: ast.CallExpr) -> bool:
        if id(call) not in callees:
            callees[id(call)] = fc.callee(call)
        obj = callees[id(call)]
        return obj is pc.universe_panic or (isinstance(obj, Func) and obj.noreturn)

    return stops


def _local_names(body: ast.BlockStmt) -> set[str]:
    """Every name a body's statements declare (declarations are statements: expressions,
    function literals included, are not walked)."""
    out: set[str] = set()
    stack: list[ast.Stmt | None] = list(body.list)
    while stack:
        s = stack.pop()
        if isinstance(s, ast.AssignStmt):
            if s.tok == ":=":
                out.update(x.name for x in s.lhs if isinstance(x, ast.Ident))
        elif isinstance(s, ast.DeclStmt):
            for spec in s.decl.specs:
                if isinstance(spec, ast.ValueSpec):
                    out.update(n.name for n in spec.names)
                elif isinstance(spec, ast.TypeSpec):
                    out.add(spec.name.name)
        elif isinstance(s, ast.BlockStmt):
            stack.extend(s.list)
        elif isinstance(s, ast.LabeledStmt):
            stack.append(s.stmt)
        elif isinstance(s, ast.IfStmt):
            stack.extend((s.init, s.body, s.else_))
        elif isinstance(s, ast.ForStmt):
            stack.extend((s.init, s.post, s.body))
        elif isinstance(s, ast.RangeStmt):
            if s.tok == ":=":
                out.update(x.name for x in (s.key, s.value) if isinstance(x, ast.Ident))
            stack.append(s.body)
        elif isinstance(s, (ast.SwitchStmt, ast.TypeSwitchStmt, ast.SelectStmt)):
            if not isinstance(s, ast.SelectStmt):
                stack.append(s.init)
            if isinstance(s, ast.TypeSwitchStmt):
                stack.append(s.assign)
            for c in s.body.list:
                if isinstance(c, ast.CaseClause):
                    stack.extend(c.body)
                elif isinstance(c, ast.CommClause):
                    stack.append(c.comm)
                    stack.extend(c.body)
    return out


__all__ = ["infer"]
