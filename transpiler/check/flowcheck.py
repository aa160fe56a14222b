"""Function bodies: local scopes and types, then nil facts over the control-flow graph.

A body is checked in two passes.  The first walks it in source order with
Go's block scopes, declares every local (``:=``, ``var``, range and type
switch variables, named results) with its type, and records which object each
identifier names, so the second pass needs no scopes.  The second builds the
body's CFG (cfg.py) and solves the nil facts to a fixpoint (dataflow.py):
assignments set facts, condition edges narrow them (narrow.py).  Each block is
typed once for its diagnostics: every visit of the solver reports into a buffer
of its own, and the last visit of a block (whose incoming facts are the
solution's) gives the block's diagnostics (``run_once``; with ``BLOCK_ONCE``
off, a quiet solve and then a last walk over every block, the same diagnostics).
Function literals are checked once the facts are solved, starting from the facts of
captured variables that are not assigned again after the capture.  A non-nil
``var p *T`` without a value is unassigned until every path assigns it (a read
before is ``nil-init``); a call forgets what a called function literal assigns,
what ``f(&p)`` may write, and, once an address was bound (``pp := &p``), the
facts of that variable (spec §2 v0.2).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from transpiler.check.bodies import BodyMemo
from transpiler.check.cfg import CFG, Block, Edge, build
from transpiler.check.checker import (
    SELECTING,
    UNKNOWN_OP,
    FileInfo,
    Operand,
    PackageChecker,
    default_type,
    nil_verb,
    null_of_declared,
    value_pointer_method,
)
from transpiler.check.dataflow import solve
from transpiler.check.facts import UNREACHABLE, Nullness, Ref, State, join, same
from transpiler.check.narrow import errors_func, narrow, ref_of
from transpiler.check.result import CheckCancelled
from transpiler.check.rules import is_blank, nonexhaustive, unchecked_error
from transpiler.check.rules.fixes import declare_nullable
from transpiler.diagnostics import Diagnostic
from transpiler.diagnostics import codes as M
from transpiler.syntax import ast, kinds
from transpiler.types.model import (
    UNKNOWN,
    Array,
    Basic,
    Builtin,
    Chan,
    Func,
    Map,
    Null,
    PkgName,
    Pointer,
    Scope,
    Signature,
    Slice,
    Struct,
    Tuple,
    Type,
    TypeName,
    UnknownType,
    Var,
    can_be_nil,
    is_error_type,
    with_null,
)
from transpiler.types.universe import BASIC


def check_bodies(pc: PackageChecker, skip: frozenset[str] = frozenset(),
                 cancel: Callable[[], bool] | None = None) -> dict[str, tuple[int, int]]:
    """Checks the function bodies and package variables of every file not named in ``skip``
    (files whose results the cache holds); the expressions each file's bodies typed and
    left untyped. Raises ``CheckCancelled`` once ``cancel()`` is true (asked before each
    declaration)."""
    counts: dict[str, tuple[int, int]] = {}
    if cancel is None:
        pc.body_checker = _file_bodies
    else:
        def checker(pc: PackageChecker, fi: FileInfo) -> None:
            _file_bodies(pc, fi, cancel)

        pc.body_checker = checker
    for fi in pc.files:
        name = fi.result.source.name
        if name in skip:
            continue
        typed, untyped = pc.typed, pc.untyped
        pc._file_bodies(fi)
        counts[name] = (pc.typed - typed, pc.untyped - untyped)
    return counts


def _file_bodies(pc: PackageChecker, fi: FileInfo, cancel: Callable[[], bool] | None = None) -> None:
    if fi.is_tgo:
        pc.check_type_decls(fi)
    broken = fi.result.tree is None  # a partial tree: the file has syntax errors
    memo = pc.body_memo
    for decl in fi.tree.decls:
        if cancel is not None and cancel():
            raise CheckCancelled
        if broken and ast.has_bad(decl):
            # checked (types are known in it) but not reported: what the bad part
            # held (a nil check, an assignment) is unknown
            with pc.quiet():
                _decl_body(pc, fi, decl)
        elif memo is not None and not broken and (
                (type(decl) is kinds.FuncDecl and decl.body is not None)
                or (type(decl) is kinds.GenDecl and decl.tok in ("var", "const"))):
            _memo_body(pc, memo, fi, decl)
        else:
            _decl_body(pc, fi, decl)


def signature_names(ft: ast.FuncType, sig: Signature) -> list[tuple[ast.Ident, Var]]:
    """The named parameters and results of a function (not ``_``), with their objects."""
    out: list[tuple[ast.Ident, Var]] = []
    for fields, objs in ((ft.params.list, list(sig.params)), (ft.results.list if ft.results else [], list(sig.results))):
        i = 0
        for f in fields:
            for n in f.names:
                if i < len(objs) and n.name != "_":
                    out.append((n, objs[i]))
                i += 1
            if not f.names:
                i += 1
    return out


def _memo_body(pc: PackageChecker, memo: BodyMemo, fi: FileInfo, decl: ast.FuncDecl | ast.GenDecl) -> None:
    """``_decl_body`` of a function or a package-level ``var`` or ``const`` declaration, or its
    kept diagnostics when its text and what it sees are unchanged (bodies.py)."""
    src = fi.result.source
    key = memo.key(src, decl, fi.strict, fi.tree.comments)
    kept = memo.get(key, src, decl)
    if kept is not None:
        if type(decl) is kinds.FuncDecl:
            # its parameters are defined, as checking it would: other bodies' fixes name them
            _scope, sig = pc.decl_scope(fi, decl)
            for ident, v in signature_names(decl.type, sig):
                pc.info.define(ident, v, src.name)
        diags, typed, untyped = kept
        pc.diags.extend(diags)
        pc.typed += typed
        pc.untyped += untyped
        return
    n, typed, untyped = len(pc.diags), pc.typed, pc.untyped
    info = pc.info
    lowered = (len(info.try_results), len(info.try_funcs), len(info.exhaustive))  # (what the lowering reads)
    looked: list[tuple[TypeName, str]] = []
    if memo.deps:
        SELECTING.append(looked)  # (the members its check selects: part of what it depends on)
    try:
        _decl_body(pc, fi, decl)
    finally:
        if memo.deps:
            SELECTING.pop()
    memo.put(key, src, decl, pc.diags[n:], pc.typed - typed, pc.untyped - untyped,
             {(t.name, m) for t, m in looked},
             lowered != (len(info.try_results), len(info.try_funcs), len(info.exhaustive)))


def _decl_body(pc: PackageChecker, fi: FileInfo, decl: ast.Decl) -> None:
    if type(decl) is kinds.FuncDecl and decl.body is not None:
        scope, sig = pc.decl_scope(fi, decl)
        FunctionChecker(pc, fi, decl.body, sig, scope, decl.type, None).run()
    elif type(decl) is kinds.GenDecl and decl.tok in ("var", "const"):
        if decl.tok == "var":
            _package_vars(pc, fi, decl)
        pc.check_package_tries(fi, decl)


def _package_vars(pc: PackageChecker, fi: FileInfo, decl: ast.GenDecl) -> None:
    fc = FunctionChecker(pc, fi, ast.BlockStmt(decl.pos, decl.end, []), Signature((), ()), fi.scope, None, None)
    fc.final = True
    for spec in decl.specs:
        if type(spec) is kinds.ValueSpec:
            fc.var_spec(spec, fi.scope, State(), declare=False)


# Each block typed once (FunctionChecker.run_once); False: the fixed-point pass quiet, then a
# reporting pass typing every block again (the same diagnostics: tests/test_block_once.py)
BLOCK_ONCE = True


_LITERAL_DEPTH = 4  # nested struct literals whose fields ``literal_fields`` follows


class _Visit:
    """One visit of a block by the solver: what it reported, the function literals it met.
    (A compiled class: a named tuple is made by interpreted code, at every block visit.)"""

    def __init__(self) -> None:
        self.diags: list[Diagnostic] = []
        self.literals: list[tuple[ast.Expr, State]] = []


class FunctionChecker:
    def __init__(
        self,
        pc: PackageChecker,
        fi: FileInfo,
        body: ast.BlockStmt,
        sig: Signature,
        scope: Scope,
        ftype: ast.FuncType | None,
        outer: State | None,
    ) -> None:
        self.pc = pc
        self.fi = fi
        self.text = fi.result.source.text
        self.body = body
        self.sig = sig
        self.scope = Scope(scope)
        self.ftype = ftype
        self.outer = outer or State()
        self.flow_typed: set[int] = set()  # locals whose nullness is carried by facts alone
        self.final = False
        self.funclit_scopes: dict[int, Scope] = {}
        self.allowed_try: set[int] = set()
        self.switches: dict[int, ast.Stmt] = {}  # tag expression / type switch assign -> its switch
        self.comms: set[int] = set()  # select clauses' send/receive statements
        # local func variables bound to function literals -> what those literals assign
        self.lit_binds: dict[int, frozenset[Ref]] = {}
        self.lit_assigns_cache: dict[int, frozenset[Ref]] = {}
        self.effects_cache: dict[int, _Effects] = {}
        self.has_addr = False  # the body takes an address (&x, or x.m() on *T): calls may write variables
        self.track_calls = False  # calls can change facts here (see after_calls)
        self.returns_error = bool(sig.results) and is_error_type(sig.results[-1].type)  # (T, error): ? may return
        self.deferred: list[tuple[ast.Expr, State]] | None = None  # (run_once) function literals met in a visit
        # the body's assignments, found once (``assignments``): what ``assigned_after`` reads
        self.assigns: list[tuple[ast.Node, bool, list[ast.Expr], list[ast.Expr]]] | None = None

    # ------------------------------------------------------------- pass one

    def run(self) -> None:
        self.bind_params()
        self.scoped(self.ftype if self.ftype is not None else self.body, self.scope)
        with self.pc.quiet():
            self.declare_block(self.body, self.scope)
        self.check_try_placement()
        if self.funclit_scopes:
            self.bind_literals()
        self.track_calls = self.has_addr or bool(self.funclit_scopes) or bool(self.lit_binds) \
            or bool(self.outer.escaped)
        cfg = build(self.body, self.is_noreturn)
        entry = self.entry_state()
        try:
            if BLOCK_ONCE:
                self.run_once(cfg, entry)
                return
            states = solve(cfg, entry, self.transfer, self.edge, join, same)
            self.final = True
            outer_hint, self.pc.deref_hint = self.pc.deref_hint, self.deref_hint
            try:
                for block in cfg.blocks:
                    state = states.get(block.index)
                    if state is None:
                        state = UNREACHABLE
                    self.transfer(block, state)
            finally:
                self.pc.deref_hint = outer_hint
        finally:
            cfg.dispose()

    def run_once(self, cfg: CFG, entry: State) -> None:
        """Solve the facts with every visit of a block reporting into a buffer of its own; a
        block's last visit (whose input facts are the solution's) gives its diagnostics, so no
        block is typed again for them. Function literals are checked after the solve, from the
        facts of the visit that is kept; blocks the solve does not reach (or reaches only
        unreachable) are walked quietly, as the reporting pass walks them."""
        pc = self.pc
        visits: dict[int, _Visit] = {}
        kept = pc.diags

        def transfer(block: object, state: State) -> State:
            assert isinstance(block, Block)
            old = visits.pop(block.index, None)
            if old is not None:  # a later visit replaces it; what is reported whatever the flow stays
                kept.extend(d for d in old.diags if id(d) in pc.always)
            if state.unreachable:
                return state
            visit = _Visit()
            pc.diags, self.deferred = visit.diags, visit.literals
            try:
                out = self.transfer(block, state)
            finally:
                pc.diags, self.deferred = kept, None
            visits[block.index] = visit
            return out

        self.final = True
        outer_hint, pc.deref_hint = pc.deref_hint, self.deref_hint
        try:
            states = solve(cfg, entry, transfer, self.edge, join, same)
            for block in cfg.blocks:
                visit = visits.get(block.index)
                if visit is None:
                    state = states.get(block.index)
                    self.transfer(block, UNREACHABLE if state is None else state)
                    continue
                kept.extend(visit.diags)
                for e, state in visit.literals:
                    self.funclits(e, state)
        finally:
            pc.deref_hint = outer_hint

    def bind_params(self) -> None:
        if self.ftype is None:
            return
        results = set(map(id, self.sig.results))
        for n, v in signature_names(self.ftype, self.sig):
            self.scope.names[n.name] = v
            self.pc.info.define(n, v, self.fi.result.source.name)
            # a named result starts as its zero value: nil for reference types
            if id(v) in results and can_be_nil(v.type):
                self.flow_typed.add(id(v))

    def entry_state(self) -> State:
        state = self.outer
        for obj in self.scope.names.values():
            if isinstance(obj, Var) and id(obj) in self.flow_typed:
                state = state.set((id(obj),), Nullness.NIL)
        return state

    def declare(self, scope: Scope, ident: ast.Ident, t: Type, flow_typed: bool, decl: ast.Node,
                implicit: bool = False) -> Var | None:
        """Declare a local; ``implicit``: one of a type switch's clause variables, which all
        ``ident`` declares (go/types records them as the clauses' implicit objects)."""
        if ident.name == "_":
            return None
        v = Var(ident.name, t, decl=decl, pkg=self.pc.pkg)
        scope.names[ident.name] = v
        self.pc.bound[ident] = v
        info = self.pc.info
        if implicit:
            info.implicits[decl] = v
            info.decl_sites[v] = (ident, self.fi.result.source.name)
        else:
            info.define(ident, v, self.fi.result.source.name)
        if flow_typed:
            self.flow_typed.add(id(v))
        return v

    def scoped(self, node: ast.Node, scope: Scope) -> Scope:
        """``scope``, recorded as ``node``'s when the checker records scopes."""
        if self.pc.info.scopes is not None:
            self.pc.info.scopes[node] = scope
        return scope

    def recorded_type(self, e: ast.Expr) -> Type:
        """The type a type expression denotes, as recorded (else resolved here)."""
        types = self.pc.types
        op = types.get(e) if types is not None else None
        return op.type if op is not None else self.pc.type_expr(self.fi, e, self.scope)

    def declare_block(self, block: ast.BlockStmt, scope: Scope) -> None:
        self.scoped(block, scope)
        for s in block.list:
            self.declare_stmt(s, scope)

    def declare_stmt(self, s: ast.Stmt, scope: Scope) -> None:
        pc, fi = self.pc, self.fi
        if type(s) in (kinds.IfStmt, kinds.ForStmt, kinds.RangeStmt, kinds.SwitchStmt, kinds.TypeSwitchStmt):
            scope = self.scoped(s, Scope(scope))  # the statement's own scope (its init's names), as in Go
        if type(s) is kinds.AssignStmt:
            ops = pc.value_list(fi, s.rhs, scope, State(), len(s.lhs))
            for r in s.rhs:  # before the names are declared: their scope starts after the statement
                self.resolve_expr(r, scope)
            if s.tok == ":=":
                for i, x in enumerate(s.lhs):
                    if type(x) is kinds.Ident:
                        existing = scope.names.get(x.name)
                        if isinstance(existing, Var) and existing.decl is not None:
                            pc.bound[x] = existing  # redeclared in a multi-assign
                            if pc.uses is not None:
                                pc.uses[x] = existing
                            continue
                        op = ops[i] if i < len(ops) else UNKNOWN_OP
                        self.declare(scope, x, self.inferred(op), False, s)
            else:
                for x in s.lhs:
                    self.resolve_expr(x, scope)
        elif type(s) is kinds.DeclStmt:
            d = s.decl
            for spec in d.specs:
                if type(spec) is kinds.ValueSpec:
                    if d.tok == "var":
                        declared = pc.type_expr(fi, spec.type, scope) if spec.type is not None else None
                        ops = pc.value_list(fi, spec.values, scope, State(), len(spec.names)) if spec.values else []
                        for v in spec.values:
                            self.resolve_expr(v, scope)
                        if declared is not None and not spec.values and can_be_nil(declared):
                            self.has_addr = True  # x.m() may assign it through a method on *T
                        for i, n in enumerate(spec.names):
                            if declared is not None:
                                t = declared
                            else:
                                t = self.inferred(ops[i] if i < len(ops) else UNKNOWN_OP)
                            self.declare(scope, n, t, False, spec)
                    else:
                        pc._declare_spec(fi, d, spec, scope)
                        for n in spec.names:
                            obj = scope.names.get(n.name)
                            if obj is not None:
                                pc.bound[n] = obj
                elif type(spec) is kinds.TypeSpec:
                    pc._declare_spec(fi, d, spec, scope)
            if d.tok in ("const", "type"):
                pc._resolve_gendecl(fi, d, scope, package_level=False)
        elif type(s) is kinds.BlockStmt:
            self.declare_block(s, Scope(scope))
        elif type(s) is kinds.IfStmt:
            # an else-if chain in a loop, each if's scope (its init's names) inside the one
            # before it (an if without init declares nothing: it shares that scope)
            inner = scope
            last = s
            for link in ast.else_chain(s):
                if link is not s:
                    inner = self.scoped(link, Scope(inner) if link.init is not None else inner)
                if link.init is not None:
                    self.declare_stmt(link.init, inner)
                self.resolve_expr(link.cond, inner)
                self.declare_block(link.body, Scope(inner))
                last = link
            if last.else_ is not None:
                self.declare_stmt(last.else_, inner)
        elif type(s) is kinds.ForStmt:
            inner = scope
            if s.init is not None:
                self.declare_stmt(s.init, inner)
            if s.cond is not None:
                self.resolve_expr(s.cond, inner)
            if s.post is not None:
                self.declare_stmt(s.post, inner)
            self.declare_block(s.body, Scope(inner))
        elif type(s) is kinds.RangeStmt:
            inner = scope
            self.resolve_expr(s.x, scope)
            xop = pc.expr(fi, s.x, scope, State())
            kt, vt = range_types(xop.type)
            if s.tok == ":=":
                for e, t in ((s.key, kt), (s.value, vt)):
                    if type(e) is kinds.Ident:
                        self.declare(inner, e, t, True, s)
            else:
                for e in (s.key, s.value):
                    if e is not None:
                        self.resolve_expr(e, scope)
            self.declare_block(s.body, Scope(inner))
        elif type(s) is kinds.SwitchStmt:
            inner = scope
            if s.init is not None:
                self.declare_stmt(s.init, inner)
            if s.tag is not None:
                self.resolve_expr(s.tag, inner)
                self.switches[id(s.tag)] = s
            for c in s.body.list:
                if type(c) is kinds.CaseClause:
                    for e in c.list or []:
                        self.resolve_expr(e, inner)
                    cs = self.scoped(c, Scope(inner))
                    for b in c.body:
                        self.declare_stmt(b, cs)
        elif type(s) is kinds.TypeSwitchStmt:
            inner = scope
            self.switches[id(s.assign)] = s
            if s.init is not None:
                self.declare_stmt(s.init, inner)
            bound: ast.Ident | None = None
            guard: ast.Expr | None = None
            if type(s.assign) is kinds.AssignStmt:
                if s.assign.lhs and type(s.assign.lhs[0]) is kinds.Ident:
                    bound = s.assign.lhs[0]
                guard = s.assign.rhs[0]
            elif type(s.assign) is kinds.ExprStmt:
                guard = s.assign.x
            gx = guard.x if type(guard) is kinds.TypeAssertExpr else guard
            gtype: Type = UNKNOWN
            if gx is not None:
                self.resolve_expr(gx, inner)
                gtype = pc.expr(fi, gx, inner, State()).type
            for c in s.body.list:
                if type(c) is not kinds.CaseClause:
                    continue
                cs = self.scoped(c, Scope(inner))
                types = [pc.type_expr(fi, e, inner) if not _is_nil_ident(e) else None for e in c.list or []]
                if bound is not None:
                    t = types[0] if len(types) == 1 and types[0] is not None else gtype
                    self.declare(cs, bound, t, True, c, implicit=True)
                for b in c.body:
                    self.declare_stmt(b, cs)
        elif type(s) is kinds.SelectStmt:
            for c in s.body.list:
                if type(c) is kinds.CommClause:
                    cs = self.scoped(c, Scope(scope))
                    if c.comm is not None:
                        self.comms.add(id(c.comm))
                        self.declare_stmt(c.comm, cs)
                    for b in c.body:
                        self.declare_stmt(b, cs)
        elif type(s) is kinds.LabeledStmt:
            self.declare_stmt(s.stmt, scope)
        elif type(s) is kinds.ExprStmt:
            self.resolve_expr(s.x, scope)
        elif type(s) is kinds.SendStmt:
            self.resolve_expr(s.chan, scope)
            self.resolve_expr(s.value, scope)
        elif type(s) is kinds.IncDecStmt:
            self.resolve_expr(s.x, scope)
        elif type(s) is kinds.GoStmt or type(s) is kinds.DeferStmt:
            self.resolve_expr(s.call, scope)
        elif type(s) is kinds.ReturnStmt:
            for r in s.results:
                self.resolve_expr(r, scope)

    def inferred(self, op: Operand) -> Type:
        """The type a ``:=`` (or untyped ``var``) variable gets from its initializer.

        As Kotlin and TypeScript infer from the initializer: a non-nil value
        declares a non-nil variable, a possibly-nil one a nullable variable.
        A result under the ``(T, error)`` contract is declared as its type says
        (non-nil); the flow facts keep it nullable until the error is checked.
        """
        t = default_type(op.type)
        if isinstance(t, Tuple):
            return UNKNOWN
        if not self.fi.strict or not can_be_nil(t):
            return t
        if op.null is Nullness.NONNIL:
            return with_null(t, Null.NONNIL)
        if op.null in (Nullness.MAYBE, Nullness.NIL):
            return with_null(t, Null.NULLABLE)
        return with_null(t, Null.ANY)

    def resolve_expr(self, e: ast.Expr, scope: Scope) -> None:
        """Record the object of every identifier in ``e``; remember function literals' scopes and
        whether an address is taken."""
        bound = self.pc.bound
        stack: list[ast.Node] = [e]
        while stack:
            n = stack.pop()
            if type(n) is kinds.Ident:
                if n not in bound:
                    obj = scope.lookup(n.name)
                    if obj is not None:
                        bound[n] = obj
                continue
            # the commonest nodes' children taken here, not by ``kids`` (interpreted code; the
            # order does not matter: each identifier is bound once)
            if type(n) is kinds.BasicLit:
                continue
            if type(n) is kinds.CallExpr:
                stack.append(n.fun)
                stack.extend(n.args)
                continue
            if type(n) is kinds.BinaryExpr:
                stack.append(n.x)
                stack.append(n.y)
                continue
            if type(n) is kinds.FuncLit:
                self.funclit_scopes[id(n)] = _snapshot(scope, self.fi.scope)
                continue
            if type(n) is kinds.UnaryExpr and n.op == "&" and type(n.x) is not kinds.CompositeLit:
                self.has_addr = True
            elif type(n) is kinds.SelectorExpr:
                stack.append(n.x)
                continue
            if type(n) is kinds.KeyValueExpr:
                # a struct literal key names a field, not a variable
                if type(n.key) is not kinds.Ident:
                    stack.append(n.key)
                else:
                    obj = scope.lookup(n.key.name)
                    if obj is not None and not isinstance(obj, (Var, TypeName)):
                        bound[n.key] = obj
                stack.append(n.value)
                continue
            stack.extend(n.kids())

    # ---------------------------------------------------------------- flow

    def callee(self, call: ast.CallExpr) -> object | None:
        """What a call calls, as far as names tell: a ``Func``, the builtin ``panic``, a variable
        (a function value, a closure), or None."""
        fun = call.fun
        while type(fun) is kinds.ParenExpr:
            fun = fun.x
        if type(fun) is kinds.Ident:
            return self.pc.lookup(self.scope, fun)
        if type(fun) is kinds.SelectorExpr or type(fun) is kinds.IndexExpr:
            return self.recorded(fun).obj
        return None

    def recorded(self, e: ast.Expr) -> Operand:
        """What the checker recorded for ``e`` (its type, constant value and object, which do
        not depend on the flow; not its nullness), evaluated quietly here only where no pass
        has reached it yet (a call statement's callee, while the CFG is built)."""
        types = self.pc.types
        op = types.get(e) if types is not None else None
        if op is None:
            with self.pc.quiet():
                op = self.pc.expr(self.fi, e, self.scope, State())
        return op

    def is_noreturn(self, call: ast.CallExpr) -> bool:
        obj = self.callee(call)
        return obj is self.pc.universe_panic or (isinstance(obj, Func) and obj.noreturn)

    def deref_hint(self, x: ast.Expr, ref: Ref, state: State) -> tuple[int, str] | None:
        """Why ``ref`` may be nil at ``x`` although a nil check comes before it: the check's
        branch ends in a call not known to stop (a closure, a function value, an interface
        method, a function that can return).  Its line and the call, for the message."""
        found: ast.IfStmt | None = None
        stack: list[ast.Node] = [self.body]
        while stack:
            node = stack.pop()
            if type(node) is kinds.FuncLit or node.pos >= x.pos:
                continue
            if type(node) is kinds.IfStmt and node.end <= x.pos and (found is None or node.pos > found.pos):
                call = ast.final_call(node.body)
                if call is not None and not self.is_noreturn(call) and \
                        narrow(self.pc, self.fi, self.scope, state, node.cond, False).get(ref) is Nullness.NONNIL \
                        and not self.assigned_between(ref, node.end, x.pos):
                    found = node
            stack.extend(node.kids())
        if found is None:
            return None
        call = ast.final_call(found.body)
        assert call is not None
        return self.fi.result.source.position(found.pos)[0], self.pc.text(self.fi, call.fun) + "()"

    def assigned_between(self, ref: Ref, start: int, end: int) -> bool:
        """Whether a statement between offsets ``start`` and ``end`` assigns ``ref`` (or what it
        lies below, or under it)."""
        stack: list[ast.Node] = [self.body]
        while stack:
            node = stack.pop()
            if node.end <= start or node.pos >= end:
                continue
            targets: list[ast.Expr] = []
            if type(node) is kinds.AssignStmt:
                targets = node.lhs
            elif type(node) is kinds.IncDecStmt:
                targets = [node.x]
            elif type(node) is kinds.RangeStmt:
                targets = [t for t in (node.key, node.value) if t is not None]
            if node.pos >= start:
                for t in targets:
                    r = ref_of(self.pc, self.scope, t)
                    if r is not None and (r[: len(ref)] == ref or ref[: len(r)] == r):
                        return True
            stack.extend(node.kids())
        return False

    def transfer(self, block: object, state: State) -> State:
        assert isinstance(block, Block)
        if state.unreachable and not self.final:
            return state
        quiet = not self.final or state.unreachable
        if quiet:
            self.pc._quiet += 1
        try:
            for node in block.nodes:
                state = self.node(node, state)
        finally:
            if quiet:
                self.pc._quiet -= 1
        return state

    def edge(self, edge: object, state: State) -> State:
        assert isinstance(edge, Edge)
        if edge.cond is not None:
            with self.pc.quiet():
                state = narrow(self.pc, self.fi, self.scope, state, edge.cond, edge.value)
        if edge.case is not None and type(edge.case) is kinds.CaseClause:
            state = self.case_facts(edge.switch, edge.case, state)
        elif edge.case is None and type(edge.switch) is kinds.SwitchStmt:
            state = self.no_match_facts(edge.switch, state)
        return state

    def no_match_facts(self, switch: ast.SwitchStmt, state: State) -> State:
        """No clause of ``switch x`` matched: if one was ``case nil``, x is not nil."""
        if switch.tag is None:
            return state
        ref = ref_of(self.pc, self.scope, switch.tag)
        if ref is None:
            return state
        for c in switch.body.list:
            if type(c) is kinds.CaseClause and c.list and any(_is_nil_ident(e) for e in c.list):
                return state.narrow(ref, Nullness.NONNIL)
        return state

    def case_facts(self, switch: ast.Stmt | None, clause: ast.CaseClause, state: State) -> State:
        if type(switch) is kinds.TypeSwitchStmt:
            var = self.pc.info.implicits.get(clause)
            guard = switch.assign.rhs[0] if type(switch.assign) is kinds.AssignStmt else (
                switch.assign.x if type(switch.assign) is kinds.ExprStmt else None)
            gx = guard.x if type(guard) is kinds.TypeAssertExpr else None
            gref = ref_of(self.pc, self.scope, gx) if gx is not None else None
            if clause.list is None:
                return state
            only_nil = all(_is_nil_ident(e) for e in clause.list)
            has_nil = any(_is_nil_ident(e) for e in clause.list)
            value = Nullness.NIL if only_nil else (None if has_nil else Nullness.NONNIL)
            if value is not None:
                if var is not None:
                    state = state.set((id(var),), value)
                if gref is not None:
                    state = state.narrow(gref, value)
            return state
        if type(switch) is kinds.SwitchStmt and switch.tag is not None:
            if clause.list is None:
                return self.no_match_facts(switch, state)  # default: no other clause matched
            ref = ref_of(self.pc, self.scope, switch.tag)
            if ref is not None and all(_is_nil_ident(e) for e in clause.list):
                return state.narrow(ref, Nullness.NIL)
        return state

    # --------------------------------------------------------------- nodes

    def node(self, n: ast.Node, state: State) -> State:
        if id(n) in self.comms:
            self.pc.in_select_comm = True
            try:
                return self._node(n, state)
            finally:
                self.pc.in_select_comm = False
        return self._node(n, state)

    def _node(self, n: ast.Node, state: State) -> State:
        pc, fi, scope = self.pc, self.fi, self.scope
        sw = self.switches.get(id(n))
        if sw is not None:
            if self.final and not state.unreachable:
                self.check_switch(sw, state)
            if type(sw) is kinds.TypeSwitchStmt:
                guard = sw.assign.rhs[0] if type(sw.assign) is kinds.AssignStmt else (
                    sw.assign.x if type(sw.assign) is kinds.ExprStmt else None)
                if type(guard) is kinds.TypeAssertExpr:
                    pc.expr(fi, guard.x, scope, state)
                return self.after_calls(n, state)
        if type(n) is kinds.ExprStmt:
            op = pc.expr(fi, n.x, scope, state)
            self.funclits(n.x, state)
            if type(n.x) is kinds.CallExpr:
                unchecked_error.check_dropped(pc, fi, n.x, op, "statement", self.returns_error)
            return self.after_calls(n, state)
        if type(n) is kinds.AssignStmt:
            return self.assign(n, state)
        if type(n) is kinds.DeclStmt:
            for spec in n.decl.specs:
                if type(spec) is kinds.ValueSpec and n.decl.tok == "var":
                    state = self.var_spec(spec, scope, state, declare=True)
            return state
        if type(n) is kinds.IncDecStmt:
            self.update(n.x, state)
            self.funclits(n.x, state)
            return self.after_calls(n, state)
        if type(n) is kinds.SendStmt:
            ch = pc.expr(fi, n.chan, scope, state)
            pc.check_deref(fi, n.chan, ch, state, "send")
            v = pc.expr(fi, n.value, scope, state)
            u = ch.type.underlying()
            if isinstance(u, Chan):
                pc.check_assign(fi, n.value, v, u.elem, state, "channel element")
            self.funclits(n.value, state)
            return self.after_calls(n, state)
        if type(n) is kinds.GoStmt or type(n) is kinds.DeferStmt:
            op = pc.expr(fi, n.call, scope, state)
            self.funclits(n.call, state)
            call = n.call
            while type(call) is kinds.ParenExpr:
                call = call.x
            if type(call) is kinds.CallExpr:
                if type(n) is kinds.DeferStmt and type(call.fun) is kinds.SelectorExpr and call.fun.sel.name == "Close":
                    return self.after_calls(n, state)
                unchecked_error.check_dropped(pc, fi, call, op, "defer" if type(n) is kinds.DeferStmt else "go",
                                              self.returns_error)
            return self.after_calls(n, state)
        if type(n) is kinds.ReturnStmt:
            self.return_stmt(n, state)
            return state
        if type(n) is kinds.RangeStmt:
            return self.range_step(n, state)
        if type(n) is kinds.LabeledStmt:
            return state
        if isinstance(n, kinds.Expr):
            pc.expr(fi, n, scope, state)
            self.funclits(n, state)
            return self.after_calls(n, state)
        if isinstance(n, kinds.Stmt):
            return state
        return state

    def assign(self, n: ast.AssignStmt, state: State) -> State:
        pc, fi, scope = self.pc, self.fi, self.scope
        if n.tok not in ("=", ":="):
            for x in n.lhs:
                self.update(x, state)
                self.funclits(x, state)
            for r in n.rhs:
                pc.expr(fi, r, scope, state)
                self.funclits(r, state)
            return self.after_calls(n, state)
        pc.discarded = _discarded(n.lhs, n.rhs)
        try:
            ops = pc.value_list(fi, n.rhs, scope, state, len(n.lhs))
        finally:
            pc.discarded = None
        given = self.literal_fields(n.rhs, state) if len(n.lhs) == len(n.rhs) else None
        for r in n.rhs:
            self.funclits(r, state)
        state = self.after_calls(n, state)
        unchecked_error.check_blank(self.pc, self.fi, n.lhs, n.rhs, ops, self.recorded)
        refs: list[Ref | None] = []
        for i, x in enumerate(n.lhs):
            op = ops[i] if i < len(ops) else UNKNOWN_OP
            refs.append(self.store(x, op, state, defines=n if n.tok == ":=" else None))
        if state.escaped and any(self.through_pointer(x) for x in n.lhs):
            state = state.forget(state.escaped)  # *pp = v may write a variable whose address was taken
        state = self.apply_stores(n.lhs, refs, ops, state, n.rhs, given)
        return state

    def update(self, x: ast.Expr, state: State) -> None:
        """``x op= v`` and ``x++``: a read and a store of ``x``; a nil map panics here."""
        pc, fi, scope = self.pc, self.fi, self.scope
        if type(x) is kinds.IndexExpr:
            m = pc.expr(fi, x.x, scope, state)
            if isinstance(m.type.underlying(), Map):
                pc.check_deref(fi, x.x, m, state, "map assignment")
            for i in x.indices:
                pc.expr(fi, i, scope, state)
            return
        pc.expr(fi, x, scope, state)

    def store(self, x: ast.Expr, op: Operand, state: State, defines: ast.Stmt | None = None) -> Ref | None:
        """Check a store into ``x`` (nil-deref on the way, nil-assign into it); its reference."""
        pc, fi, scope = self.pc, self.fi, self.scope
        if is_blank(x):
            return None
        if type(x) is kinds.Ident:
            obj = pc.lookup(scope, x)
            if obj is not None and pc.uses is not None and x not in pc.info.defs:
                pc.uses[x] = obj  # (a store is no evaluation: recorded here)
            if isinstance(obj, Var):
                if obj.decl is defines and defines is not None:
                    pass  # q := p defines q from p: its nullability is p's, not a store into it
                elif id(obj) not in self.flow_typed:
                    pc.check_assign(fi, x, op, obj.type, state, x.name, obj)
                return (id(obj),)
            return None
        if type(x) is kinds.IndexExpr:
            m = pc.expr(fi, x.x, scope, state)
            for i in x.indices:
                pc.expr(fi, i, scope, state)
            u = m.type.underlying()
            if isinstance(u, Map):
                pc.check_deref(fi, x.x, m, state, "map assignment")
                pc.check_assign(fi, x, op, u.elem, state, "map element")
            elif isinstance(u, (Slice, Array)):
                pc.check_assign(fi, x, op, u.elem, state, "element")
            elif isinstance(u, Pointer) and isinstance(u.elem.underlying(), Array):
                pc.check_deref(fi, x.x, m, state, "index")
            return None
        if type(x) is kinds.SelectorExpr:
            target = pc.expr(fi, x, scope, state)
            if isinstance(target.obj, Var):
                pc.check_assign(fi, x, op, target.obj.type, state, f"field {x.sel.name}", target.obj)
            return target.ref
        if type(x) is kinds.StarExpr:
            target = pc.expr(fi, x, scope, state)
            if can_be_nil(target.type):
                pc.check_assign(fi, x, op, target.type, state, self.pc.text(fi, x))
            return target.ref
        pc.expr(fi, x, scope, state)
        return None

    def apply_stores(self, lhs: list[ast.Expr], refs: list[Ref | None], ops: list[Operand], state: State,
                     rhs: list[ast.Expr], given: list[list[tuple[str, ...]]] | None = None) -> State:
        alias = self.guard_alias(refs, ops, rhs, state) if len(refs) == 1 and len(rhs) == 1 else None
        for ref, op in zip(refs, ops, strict=False):
            if ref is not None:
                state = state.set(ref, op.null)  # (an unknown value makes the fact unknown: spec §7)
        if given is not None:
            for ref, paths in zip(refs, given, strict=False):
                # (not through *p: p.f and (*p).f are two references of one field)
                if ref is not None and "*" not in ref:
                    for path in paths:  # x := &T{f: v}: x.f = v (literal_fields)
                        state = state.set((*ref, *path), Nullness.NONNIL)
        if alias is not None:
            on, when_true, when_false = alias
            state = state.guard(on, "true", when_true).guard(on, "false", when_false)
        if len(rhs) == 1 and len(lhs) >= 2:
            r = rhs[0]
            while type(r) is kinds.ParenExpr:
                r = r.x
            last = refs[-1]
            if type(r) in (kinds.IndexExpr, kinds.UnaryExpr, kinds.TypeAssertExpr) and len(lhs) == 2:
                # comma-ok: the value is there when ok is true
                if last is not None and refs[0] is not None and ops[0].null is Nullness.MAYBE and ops[0].guarded:
                    state = state.guard(last, "true", [refs[0]])
            elif type(r) is kinds.CallExpr and ops and is_error_type(ops[-1].type):
                # the (T, error) contract: results are non-nil once the error is known nil
                # (never, when the error is dropped into _)
                guarded = []
                for ref, op in zip(refs[:-1], ops[:-1], strict=False):
                    if ref is not None and op.null is Nullness.NONNIL:
                        state = state.set(ref, Nullness.MAYBE)
                        guarded.append(ref)
                if last is not None:
                    state = state.guard(last, "nil", guarded)
        return state

    def var_spec(self, spec: ast.ValueSpec, scope: Scope, state: State, declare: bool) -> State:
        pc, fi = self.pc, self.fi
        names = spec.names
        if spec.values:
            pc.discarded = _discarded(list(names), spec.values)
            try:
                ops = pc.value_list(fi, spec.values, scope, state, len(names))
            finally:
                pc.discarded = None
            given = self.literal_fields(spec.values, state) if len(names) == len(spec.values) else None
            for v in spec.values:
                self.funclits(v, state)
            unchecked_error.check_blank(self.pc, self.fi, list(names), spec.values, ops, self.recorded)
            if declare:
                for v in spec.values:
                    state = self.after_calls(v, state)
        else:
            ops, given = [], None
        refs: list[Ref | None] = []
        for i, n in enumerate(names):
            obj = pc.lookup(scope, n)
            if not isinstance(obj, Var):
                refs.append(None)
                continue
            ref: Ref = (id(obj),)
            refs.append(ref)
            if i < len(ops):
                if id(obj) not in self.flow_typed and spec.type is not None:
                    pc.check_assign(fi, spec.values[i] if i < len(spec.values) else n, ops[i], obj.type, state, n.name,
                                    obj)
            elif fi.strict and spec.type is not None:
                if can_be_nil(obj.type) and null_of_declared(obj.type) is Nullness.NONNIL:
                    if declare:
                        # definite assignment (spec §2): reported where it is read unassigned
                        state = state.declare_unset(ref)
                        continue
                    pc.report(fi, n, M.NIL_INIT_VAR, name=n.name, type=repr(obj.type),
                              fixes=declare_nullable(pc.info, obj))
                else:
                    pc.check_zero_value(fi, n, obj.type, "the zero value")
                if can_be_nil(obj.type):
                    state = state.set(ref, Nullness.NIL)
        if ops:
            state = self.apply_stores(list(names), refs, ops, state, spec.values, given)
        return state

    def literal_fields(self, values: list[ast.Expr], state: State) -> list[list[tuple[str, ...]]]:
        """For each of ``values`` (evaluated in ``state``) that is a struct literal ``T{...}`` or
        ``&T{...}``: the paths of its nullable fields that it gives a non-nil value (a nested
        literal's too: ``("Next", "Next")``). Stored into ``x``, the literal assigns them, as
        ``x.f = v`` would (spec §2: narrowing after ``p = <non-nil>``, of the field path
        ``x.f``, which holds until ``x`` or ``x.f`` is assigned)."""
        out: list[list[tuple[str, ...]]] = []
        for value in values:
            paths: list[tuple[str, ...]] = []
            self._literal_paths(value, (), state, paths)
            out.append(paths)
        return out

    def _literal_paths(self, value: ast.Expr, prefix: tuple[str, ...], state: State,
                       paths: list[tuple[str, ...]]) -> None:
        pc, fi, scope = self.pc, self.fi, self.scope
        lit = _struct_literal(value)
        if lit is None or not lit.elts or len(prefix) >= _LITERAL_DEPTH:
            return
        u = self.recorded(lit).type.underlying()
        if not isinstance(u, Struct):
            return
        keyed = any(type(el) is kinds.KeyValueExpr for el in lit.elts)
        for i, el in enumerate(lit.elts):
            if type(el) is kinds.KeyValueExpr:
                f = u.field(el.key.name) if type(el.key) is kinds.Ident else None
                v = el.value
            else:
                f = u.fields[i] if not keyed and i < len(u.fields) else None
                v = el
            if f is None:
                continue
            path = (*prefix, f.name)
            if null_of_declared(f.type) is Nullness.MAYBE:  # (a non-nil field is non-nil without a fact)
                with pc.quiet():
                    op = pc.expr(fi, v, scope, state)
                if op.null is not Nullness.NONNIL:
                    continue
                paths.append(path)
            self._literal_paths(v, path, state, paths)

    def return_stmt(self, n: ast.ReturnStmt, state: State) -> None:
        pc, fi, scope = self.pc, self.fi, self.scope
        results = self.sig.results
        # with an error returned, the other results are zero values callers must not use:
        # a literal that leaves non-nil fields nil is fine there (the (T, error) contract)
        lenient = bool(results) and is_error_type(results[-1].type) and len(n.results) == len(results) \
            and not _is_nil_ident(n.results[-1])
        if lenient:
            pc.lenient_literals += 1
        try:
            ops = pc.value_list(fi, n.results, scope, state, len(results)) if n.results else []
        finally:
            if lenient:
                pc.lenient_literals -= 1
        for r in n.results:
            self.funclits(r, state)
        names: list[str] = []
        if not n.results and results and self.ftype is not None:
            # a bare return returns the named results as they are (spec §2: like return p)
            ops = [self.result_operand(r, state) for r in results]
            names = [r.name for r in results]
        if not ops or len(ops) != len(results):
            return
        has_error = bool(results) and is_error_type(results[-1].type)
        if has_error:
            err = ops[-1]
            if err.null is not Nullness.NIL:
                return  # an error comes back: the other results may be anything
            checked = results[:-1]
        else:
            checked = results
        for i, (res, op) in enumerate(zip(checked, ops, strict=False)):
            node = n.results[i] if len(n.results) == len(ops) else n
            if not fi.strict or state.unreachable:
                continue
            if null_of_declared(res.type) is Nullness.NONNIL and can_be_nil(res.type) and \
                    op.null in (Nullness.MAYBE, Nullness.NIL):
                # the (T, error) contract's advice only where there is an error to return
                x = names[i] if names else pc.text(fi, node)
                pc.report(fi, node, M.NIL_RETURN_MSG if has_error else M.NIL_RETURN_PLAIN_MSG,
                          x=x, index=i + 1, type=repr(res.type),
                          verb=nil_verb(fi, node, op.null, "returned"),
                          fixes=declare_nullable(pc.info, res, fi.result.source.name, f"result {i + 1}"))

    def result_operand(self, res: Var, state: State) -> Operand:
        """A named result's value at a bare return (a blank one is its zero value)."""
        if id(res) not in self.flow_typed:
            return Operand(res.type, Nullness.NIL if can_be_nil(res.type) else Nullness.NONNIL)
        fact = state.get((id(res),))
        return Operand(res.type, fact if fact is not None else null_of_declared(res.type))

    def range_step(self, n: ast.RangeStmt, state: State) -> State:
        pc, fi, scope = self.pc, self.fi, self.scope
        with pc.quiet():  # the range expression is a node of its own, checked (and reported) once
            x = pc.expr(fi, n.x, scope, state)
        u = x.type.underlying()
        if isinstance(u, Chan):
            pc.check_deref(fi, n.x, x, state, "range")
        kt, vt = range_types(x.type)
        for e, t in ((n.key, kt), (n.value, vt)):
            if e is None or is_blank(e):
                continue
            ref = ref_of(pc, scope, e)
            if ref is not None:
                state = state.set(ref, null_of_declared(t) if not isinstance(t, UnknownType) else None)
        return state

    # ------------------------------------------------------------ switches

    def check_switch(self, sw: ast.Stmt, state: State) -> None:
        """nonexhaustive (rules/nonexhaustive.py): a union's guard is evaluated here, with the
        facts of the switch (whether it may be nil); the rest is what the checker recorded."""
        if not self.fi.is_tgo:
            return
        if type(sw) is kinds.SwitchStmt:
            nonexhaustive.check_enum_switch(self.pc, self.fi, sw, self.recorded)
        elif type(sw) is kinds.TypeSwitchStmt:
            guard = sw.assign.rhs[0] if type(sw.assign) is kinds.AssignStmt else (
                sw.assign.x if type(sw.assign) is kinds.ExprStmt else None)
            if type(guard) is not kinds.TypeAssertExpr:
                return
            with self.pc.quiet():
                g = self.pc.expr(self.fi, guard.x, self.scope, state)
            nonexhaustive.check_union_switch(self.pc, self.fi, sw, g, self.recorded_type)

    # ----------------------------------------------------------- closures

    def funclits(self, e: ast.Expr, state: State) -> None:
        if not self.final or state.unreachable:
            return
        if self.text.find("func", e.pos, e.end) < 0:
            return  # no `func` in the expression's text: no function literal in it (most: no walk)
        if self.deferred is not None:  # (run_once: checked once the facts are solved)
            self.deferred.append((e, state))
            return
        stack: list[ast.Node] = [e]
        while stack:
            node = stack.pop()
            if type(node) is kinds.Ident or type(node) is kinds.BasicLit:
                continue  # (no children, nothing to find: no call of ``kids``)
            if type(node) is kinds.FuncLit:
                self.check_funclit(node, state)
                continue
            stack.extend(node.kids())

    def check_funclit(self, lit: ast.FuncLit, state: State) -> None:
        scope = self.funclit_scopes.get(id(lit), self.scope)
        sig = self.pc.signature(self.fi, lit.type, scope)
        assigned, maybe_nil = self.assigned_after(lit)
        entry = state.forget_refs(assigned).without_unset()  # the literal may run later: not checked
        for ref in maybe_nil:
            entry = entry.set(ref, Nullness.MAYBE)
        inner = FunctionChecker(self.pc, self.fi, lit.body, sig, scope, lit.type, entry)
        inner.lit_binds = dict(self.lit_binds)
        inner.run()

    def assigned_after(self, lit: ast.FuncLit) -> tuple[set[Ref], set[Ref]]:
        """What is assigned after ``lit`` in this body, or inside any function literal:
        the reference paths, and those of them a ``(T, error)`` call or a comma-ok
        form assigns (which may be nil when the closure runs)."""
        out: set[Ref] = set()
        maybe_nil: set[Ref] = set()
        for node, in_lit, targets, risky in self.assignments():
            # the statement that makes the literal counts (walk = func() { ... walk() ... })
            if in_lit or node.pos > lit.pos or (type(node) is kinds.AssignStmt and node.end > lit.pos):
                for t in targets:
                    ref = ref_of(self.pc, self.scope, t)
                    if ref is not None:
                        out.add(ref)
                        if t in risky:
                            maybe_nil.add(ref)
        return out, maybe_nil

    def assignments(self) -> list[tuple[ast.Node, bool, list[ast.Expr], list[ast.Expr]]]:
        """The statements of the body that assign (in the order a walk of it meets them), each
        with whether it is inside a function literal, the expressions it assigns (none for a
        literal's own ``:=``) and those a ``(T, error)`` call or comma-ok form assigns: one
        walk of the body for all its function literals."""
        found = self.assigns
        if found is not None:
            return found
        found = []
        stack: list[tuple[ast.Node, bool]] = [(self.body, False)]
        while stack:
            node, in_lit = stack.pop()
            if type(node) is kinds.Ident or type(node) is kinds.BasicLit:
                continue  # (no children, nothing to find: no call of ``kids``)
            targets = _assign_targets(node)
            if in_lit and (type(node) is kinds.AssignStmt or type(node) is kinds.RangeStmt) and node.tok == ":=":
                targets = []  # a := in a literal declares the literal's own variables: none captured
            if targets:
                risky: list[ast.Expr] = []
                if type(node) is kinds.AssignStmt and len(node.lhs) >= 2 and len(node.rhs) == 1:
                    risky = node.lhs[:-1]
                found.append((node, in_lit, targets, risky))
            for child in node.children():
                stack.append((child, in_lit or type(node) is kinds.FuncLit))
        self.assigns = found
        return found

    # ------------------------------------------------- what a call may change

    def bind_literals(self) -> None:
        """Record the local func variables bound to function literals (``reset := func() { q = nil }``)
        and what those literals assign, so that calling the variable forgets it (spec §2)."""
        stack: list[ast.Node] = [self.body]
        while stack:
            node = stack.pop()
            if type(node) is kinds.Ident or type(node) is kinds.BasicLit:
                continue  # (no children, nothing to find: no call of ``kids``)
            if type(node) is kinds.FuncLit:
                continue
            pairs: list[tuple[ast.Expr, ast.Expr]] = []
            if type(node) is kinds.AssignStmt and node.tok in ("=", ":=") and len(node.lhs) == len(node.rhs):
                pairs = list(zip(node.lhs, node.rhs, strict=True))
            elif type(node) is kinds.ValueSpec and len(node.names) == len(node.values):
                pairs = list(zip(node.names, node.values, strict=True))
            for x, v in pairs:
                v = _unparen(v)
                if type(x) is kinds.Ident and type(v) is kinds.FuncLit:
                    obj = self.pc.lookup(self.scope, x)
                    if isinstance(obj, Var):
                        self.lit_binds[id(obj)] = self.lit_binds.get(id(obj), frozenset()) | self.lit_assigns(v)
            stack.extend(node.kids())

    def lit_assigns(self, lit: ast.FuncLit) -> frozenset[Ref]:
        """The references a function literal (or one nested in it) assigns."""
        cached = self.lit_assigns_cache.get(id(lit))
        if cached is not None:
            return cached
        scope = self.funclit_scopes.get(id(lit), self.scope)
        out: set[Ref] = set()
        stack: list[ast.Node] = [lit.body]
        while stack:
            node = stack.pop()
            if type(node) is kinds.Ident or type(node) is kinds.BasicLit:
                continue  # (no children, nothing to find: no call of ``kids``)
            # a := in the literal declares its own variable: it assigns nothing captured
            if not ((type(node) is kinds.AssignStmt or type(node) is kinds.RangeStmt) and node.tok == ":="):
                for t in _assign_targets(node):
                    ref = ref_of(self.pc, scope, t)
                    if ref is not None:
                        out.add(ref)
            stack.extend(node.kids())
        result = frozenset(out)
        self.lit_assigns_cache[id(lit)] = result
        return result

    def after_calls(self, node: ast.Node, state: State) -> State:
        """The facts once the calls in ``node`` are made (spec §2 "What forgets a fact"): a called
        function literal's assignments, ``f(&p)`` writing p, and once an address was taken
        (``pp := &p``), any call writing through it."""
        if not self.track_calls:
            return state  # no address taken, no function literal: a call changes no local
        eff = self.effects_cache.get(id(node))
        if eff is None:
            eff = self.effects_cache[id(node)] = self.effects(node)
        if eff is _NO_EFFECTS or state.unreachable:
            return state
        if eff.calls and state.escaped:
            state = state.forget(state.escaped)
        if eff.forget:
            state = state.forget_refs(eff.forget)
        if eff.written:
            state = state.forget({r[0] for r in eff.written}).assigned(eff.written)
        if eff.maybe_written:
            state = state.forget({r[0] for r in eff.maybe_written})
        if eff.escapes:
            state = state.escape({r[0] for r in eff.escapes}).assigned(eff.escapes)
        return state

    def effects(self, root: ast.Node) -> _Effects:
        if type(root) is kinds.RangeStmt:
            return _NO_EFFECTS  # the marker: the ranged expression is a node of its own
        pc, scope = self.pc, self.scope
        deferred = type(root) is kinds.GoStmt or type(root) is kinds.DeferStmt
        calls = False
        forget: set[Ref] = set()
        written: set[Ref] = set()
        maybe_written: set[Ref] = set()
        escapes: set[Ref] = set()
        passed: set[int] = set()  # &v nodes that are a call's argument
        stack: list[ast.Node] = [root]
        while stack:
            node = stack.pop()
            if type(node) is kinds.Ident or type(node) is kinds.BasicLit:
                continue  # (no children, nothing to find: no call of ``kids``)
            if type(node) is kinds.FuncLit:
                continue
            stack.extend(node.kids())
            if type(node) is kinds.UnaryExpr and node.op == "&" and type(_unparen(node.x)) is kinds.Ident:
                if id(node) not in passed:
                    ref = ref_of(pc, scope, node.x)
                    if ref is not None:
                        escapes.add(ref)
                continue
            if type(node) is not kinds.CallExpr or deferred or not self.is_call(node):
                continue
            calls = True
            as_target = _unparen(node.args[1]) if len(node.args) == 2 and errors_func(pc, scope, node) == "As" else None
            for f in (node.fun, *node.args):
                f = _unparen(f)
                if type(f) is kinds.FuncLit:
                    forget |= self.lit_assigns(f)
                elif type(f) is kinds.Ident:
                    obj = pc.lookup(scope, f)
                    if isinstance(obj, Var) and id(obj) in self.lit_binds:
                        forget |= self.lit_binds[id(obj)]
                elif type(f) is kinds.SelectorExpr and type(f.x) is kinds.Ident and f is _unparen(node.fun):
                    # x.m() for a method on *T is (&x).m(): the method may assign x (a func or map type)
                    obj = pc.lookup(scope, f.x)
                    if isinstance(obj, Var) and can_be_nil(obj.type) and value_pointer_method(obj.type, f.sel.name):
                        written.add((id(obj),))
                elif type(f) is kinds.UnaryExpr and f.op == "&" and f is not node.fun:
                    ref = ref_of(pc, scope, f.x) if type(_unparen(f.x)) is kinds.Ident else None
                    if ref is not None:
                        passed.add(id(f))
                        # errors.As writes its target only when it reports true (narrowing says so)
                        (maybe_written if f is as_target else written).add(ref)
        if not (calls or forget or written or maybe_written or escapes):
            return _NO_EFFECTS
        return _Effects(calls, frozenset(forget), frozenset(written), frozenset(maybe_written),
                        frozenset(escapes))

    def is_call(self, call: ast.CallExpr) -> bool:
        """A call of a function (not a conversion, nor a builtin: those change no variable)."""
        fun = _unparen(call.fun)
        if type(fun) is kinds.Ident:
            return not isinstance(self.pc.lookup(self.scope, fun), (Builtin, TypeName))
        if type(fun) is kinds.SelectorExpr and type(fun.x) is kinds.Ident:
            obj = self.pc.lookup(self.scope, fun.x)
            if isinstance(obj, PkgName):
                return obj.pkg is None or not isinstance(obj.pkg.scope.names.get(fun.sel.name), TypeName)
            return True
        return not isinstance(fun, (kinds.StarExpr, kinds.ArrayType, kinds.MapType, kinds.ChanType, kinds.FuncType,
                                    kinds.InterfaceType, kinds.StructType))

    def through_pointer(self, x: ast.Expr) -> bool:
        """A store into ``x`` writes through a pointer (``*pp = v``, ``pp.f = v``)."""
        while True:
            x = _unparen(x)
            if type(x) is kinds.StarExpr:
                return True
            if type(x) is kinds.SelectorExpr:
                base = self.recorded(x.x)
                if isinstance(base.type.underlying(), (Pointer, UnknownType)) or base.is_type:
                    return True
                x = x.x
            elif type(x) is kinds.IndexExpr:
                x = x.x
            else:
                return False

    def guard_alias(self, refs: list[Ref | None], ops: list[Operand], rhs: list[ast.Expr],
                    state: State) -> tuple[Ref, set[Ref], set[Ref]] | None:
        """``ok := p != nil`` (any boolean bound to a test that narrows): what ``ok`` being true and
        false makes non-nil, as guards on ``ok`` (spec §2 "Aliases of a guard")."""
        ref = refs[0]
        if ref is None or not ops or state.unreachable:
            return None
        u = ops[0].type.underlying()
        if not (isinstance(u, Basic) and u.kind == "bool"):
            return None
        cond = rhs[0]
        with self.pc.quiet():
            when_true = narrow(self.pc, self.fi, self.scope, state, cond, True)
            when_false = narrow(self.pc, self.fi, self.scope, state, cond, False)
        if when_true is state and when_false is state:
            return None
        return ref, _made_nonnil(state, when_true, ref), _made_nonnil(state, when_false, ref)

    # ------------------------------------------------------- errors and try

    def check_try_placement(self) -> None:
        pc, fi = self.pc, self.fi
        if self.text.find("?", self.body.pos, self.body.end) < 0:
            return  # no `?` in the body's text: no try expression to place (most bodies: no walk)
        allowed: set[int] = set()
        tries: list[ast.TryExpr] = []
        # `f() ? "a" + b` is `(f() ? "a") + b`: the message was meant to be an expression
        glued: set[int] = set()
        stack: list[ast.Node] = [self.body]
        while stack:
            node = stack.pop()
            if type(node) is kinds.Ident or type(node) is kinds.BasicLit:
                continue  # (no children, nothing to find: no call of ``kids``)
            if type(node) is kinds.FuncLit:
                continue
            if type(node) is kinds.BinaryExpr and type(node.x) is kinds.TryExpr and node.x.msg is not None:
                glued.add(id(node.x))
            if type(node) is kinds.ExprStmt and type(node.x) is kinds.TryExpr:
                allowed.add(id(node.x))
            elif type(node) is kinds.AssignStmt and len(node.rhs) == 1 and type(node.rhs[0]) is kinds.TryExpr \
                    and node.tok in ("=", ":="):
                allowed.add(id(node.rhs[0]))
            elif type(node) is kinds.GenDecl and node.tok == "var":  # not const: a const is no call's result
                for spec in node.specs:
                    if type(spec) is kinds.ValueSpec and len(spec.values) == 1 and \
                            type(spec.values[0]) is kinds.TryExpr:
                        allowed.add(id(spec.values[0]))
            elif type(node) is kinds.TryExpr:
                tries.append(node)
            init = node.init if (type(node) is kinds.IfStmt or type(node) is kinds.SwitchStmt
                                 or type(node) is kinds.ForStmt or type(node) is kinds.TypeSwitchStmt) else None
            if init is not None:
                # a header's init statement is not a statement of a block
                stack.extend(init.kids())
                stack.extend([c for c in node.kids() if c is not init])
                continue
            stack.extend(node.kids())
        results = self.sig.results
        returns_error = bool(results) and is_error_type(results[-1].type)
        for t in tries:
            pc.info.try_funcs[t] = (self.sig, self.ftype)
            if id(t) in glued:
                pc.report(fi, t, M.BAD_TRY_MESSAGE)
                continue
            if id(t) not in allowed:
                pc.report(fi, t, M.BAD_TRY_PLACE)
                continue
            if not returns_error:
                pc.report(fi, t, M.BAD_TRY_FUNC)
                continue
            inner = t.x
            while type(inner) is kinds.ParenExpr:
                inner = inner.x
            if type(inner) is not kinds.CallExpr:
                pc.report(fi, t, M.BAD_TRY_CALL)
                continue
            op = self.recorded(inner)
            rtypes = [o.type for o in op.multi] if op.multi else (
                [] if isinstance(op.type, Tuple) else [op.type])
            if isinstance(op.type, UnknownType) and not op.multi:
                pc.report_unknown_try(fi, t, inner, self.scope)
                continue
            if not rtypes or not is_error_type(rtypes[-1]):
                pc.report(fi, t, M.BAD_TRY_CALL)


class _Effects(NamedTuple):
    """What the calls in a node may change (``FunctionChecker.effects``)."""

    calls: bool  # a call that may write through a pointer taken earlier
    forget: frozenset[Ref]  # references a called (or passed) function literal assigns
    written: frozenset[Ref]  # f(&v): v may be written by the call
    maybe_written: frozenset[Ref]  # errors.As(err, &v): v written only when it returns true
    escapes: frozenset[Ref]  # &v stored or bound: v may be written through it later


_NO_EFFECTS = _Effects(False, frozenset(), frozenset(), frozenset(), frozenset())


def _discarded(targets: list[ast.Expr], values: list[ast.Expr]) -> ast.Expr | None:
    """The struct literal ``T{...}`` (or ``&T{...}``) that ``targets = values`` stores only into
    ``_`` (``var _ http.Flusher = &flushWriter{}``, Go's check that a type implements an
    interface): its value is never read, so the fields it leaves nil are never read either.
    Not a literal inside another expression (``_ = T{}.M()`` reads it)."""
    if len(values) != 1 or not targets or not all(is_blank(t) for t in targets):
        return None
    return _struct_literal(values[0])


def _struct_literal(x: ast.Expr) -> ast.CompositeLit | None:
    """The composite literal ``x`` is, as ``T{...}`` or ``&T{...}`` (in parentheses or not)."""
    lit = _unparen(x)
    if type(lit) is kinds.UnaryExpr and lit.op == "&":
        lit = _unparen(lit.x)
    return lit if type(lit) is kinds.CompositeLit else None


def _unparen(x: ast.Expr) -> ast.Expr:
    while type(x) is kinds.ParenExpr:
        x = x.x
    return x


def _assign_targets(node: ast.Node) -> list[ast.Expr]:
    """The expressions a statement assigns: ``=``/``:=``/``op=`` left-hand sides, ``x++``, range key/value."""
    if type(node) is kinds.AssignStmt:
        return node.lhs
    if type(node) is kinds.IncDecStmt:
        return [node.x]
    if type(node) is kinds.RangeStmt:
        return [t for t in (node.key, node.value) if t is not None]
    return []


def _made_nonnil(before: State, after: State, skip: Ref) -> set[Ref]:
    if after.unreachable:
        return set()
    return {r for r, v in after.facts.items() if v is Nullness.NONNIL and before.get(r) is not Nullness.NONNIL
            and r != skip}


def _snapshot(scope: Scope, top: Scope) -> Scope:
    """The local scopes from ``scope`` up to ``top`` as they are now: what a function literal
    sees is declared before it (Go: a local's scope starts after its statement), not what the
    block declares later, nor the variable its own ``:=`` or ``var`` declares."""
    if scope is top or scope.parent is None:
        return scope
    return Scope(_snapshot(scope.parent, top), dict(scope.names))


def _is_nil_ident(e: ast.Expr) -> bool:
    return type(e) is kinds.Ident and e.name == "nil"


def range_types(t: Type) -> tuple[Type, Type]:
    u = t.underlying()
    if isinstance(u, Pointer) and isinstance(u.elem.underlying(), Array):
        u = u.elem.underlying()
    if isinstance(u, (Slice, Array)):
        return BASIC["int"], u.elem
    if isinstance(u, Map):
        return u.key, u.elem
    if isinstance(u, Chan):
        return u.elem, UNKNOWN
    if isinstance(u, Basic):
        if u.kind == "string":
            return BASIC["int"], BASIC["int32"]
        if u.kind in ("int", "uint"):
            return default_type(t), UNKNOWN
    if isinstance(u, Signature) and len(u.params) == 1:
        y = u.params[0].type.underlying()
        if isinstance(y, Signature):
            ps = [p.type for p in y.params]
            return (ps[0] if ps else UNKNOWN), (ps[1] if len(ps) > 1 else UNKNOWN)
    return UNKNOWN, UNKNOWN


__all__ = ["FunctionChecker", "range_types"]
