"""Narrowing: the nil facts a condition establishes when it is true or false.

As TypeScript narrows on control flow: ``p != nil`` makes ``p`` non-nil where it
is true; ``a && b`` is true when both are; ``!c`` swaps; ``err != nil`` being
false fires the ``(T, error)`` guards on ``err``; a boolean ``ok`` being true
(or false) fires the comma-ok guards and those of a boolean bound to a nil
test; ``errors.As(err, &t)`` being true makes ``t`` non-nil.  A nil test never
makes a value declared non-nil nullable (a defensive check), and two nil tests
whose outcomes are tied (``!(a == nil && b == nil)``, ``(a != nil) == (b !=
nil)``) leave guards that keep the tie after the join.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from transpiler.check.facts import UNREACHABLE, Nullness, Ref, State, child_ref, join
from transpiler.check.info import FileInfo, Operand
from transpiler.syntax import ast, kinds
from transpiler.types.model import Nil, Null, Object, PkgName, Scope, Var, nullability


class PackageChecker(Protocol):
    """What narrowing needs of the package checker (checker.PackageChecker, which calls in
    here: a protocol keeps this module below it)."""

    def lookup(self, scope: Scope, e: ast.Ident) -> Object | None: ...

    def quiet(self) -> AbstractContextManager[None]: ...

    def expr(self, fi: FileInfo, e: ast.Expr, scope: Scope, state: State, comma_ok: bool = False) -> Operand: ...


def ref_of(pc: PackageChecker, scope: Scope, e: ast.Expr) -> Ref | None:
    """The reference an expression names (a variable or a field path), if any."""
    while type(e) is kinds.ParenExpr:
        e = e.x
    if type(e) is kinds.Ident:
        obj = pc.lookup(scope, e)
        if isinstance(obj, Var):
            return (id(obj),)
        return None
    if type(e) is kinds.SelectorExpr:
        if type(e.x) is kinds.Ident:
            obj = pc.lookup(scope, e.x)
            if isinstance(obj, PkgName):
                if obj.pkg is None:
                    return None
                member = obj.pkg.scope.names.get(e.sel.name)
                return (id(member),) if isinstance(member, Var) else None
        return child_ref(ref_of(pc, scope, e.x), e.sel.name)
    if type(e) is kinds.StarExpr:
        return child_ref(ref_of(pc, scope, e.x), "*")
    return None


def _is_nil(pc: PackageChecker, scope: Scope, e: ast.Expr) -> bool:
    while type(e) is kinds.ParenExpr:
        e = e.x
    return type(e) is kinds.Ident and isinstance(pc.lookup(scope, e), Nil)


def nil_test(pc: PackageChecker, scope: Scope, e: ast.Expr) -> tuple[Ref, bool] | None:
    """For ``x != nil`` / ``x == nil`` (either way round): x's reference, and whether the test
    is true when x is non-nil."""
    while type(e) is kinds.ParenExpr:
        e = e.x
    if type(e) is not kinds.BinaryExpr or e.op not in ("==", "!="):
        return None
    if _is_nil(pc, scope, e.y):
        other = e.x
    elif _is_nil(pc, scope, e.x):
        other = e.y
    else:
        return None
    ref = ref_of(pc, scope, other)
    return (ref, e.op == "!=") if ref is not None else None


def narrow(pc: PackageChecker, fi: FileInfo, scope: Scope, state: State, cond: ast.Expr, value: bool) -> State:
    if state.unreachable:
        return state
    while type(cond) is kinds.ParenExpr:
        cond = cond.x
    if type(cond) is kinds.UnaryExpr and cond.op == "!":
        return narrow(pc, fi, scope, state, cond.x, not value)
    if type(cond) is kinds.BinaryExpr:
        if cond.op in ("&&", "||"):
            spine = ast.binary_spine(cond)
            return ChainFacts(pc, fi, scope, state, spine).of(len(spine) - 1, value)
        if cond.op in ("==", "!="):
            test = nil_test(pc, scope, cond)
            if test is not None:
                tested, when_nonnil = test
                if when_nonnil == value:
                    return state.narrow(tested, Nullness.NONNIL)
                return _narrow_nil(pc, fi, scope, state, cond, tested)
            if nil_test(pc, scope, cond.x) is not None and nil_test(pc, scope, cond.y) is not None:
                # (a != nil) == (b != nil): both tests have the same outcome (or, with !=, opposite ones)
                same = (cond.op == "==") == value
                pairs = [(True, True), (False, False)] if same else [(True, False), (False, True)]
                out = join([
                    narrow(pc, fi, scope, narrow(pc, fi, scope, state, cond.x, x), cond.y, y) for x, y in pairs
                ])
                return _correlate(pc, scope, out, cond.x, cond.y, pairs)
            return state
        return state
    if type(cond) is kinds.Ident or type(cond) is kinds.SelectorExpr:
        ref = ref_of(pc, scope, cond)
        if ref is not None:
            return state.truth(ref, value)
        return state
    if type(cond) is kinds.CallExpr and value and len(cond.args) == 2:
        which = errors_func(pc, scope, cond)
        if which in ("Is", "As"):
            # errors.Is(err, t) / errors.As(err, &t) are false for a nil err
            ref = ref_of(pc, scope, cond.args[0])
            if ref is not None and not _is_nil(pc, scope, cond.args[1]):
                state = state.narrow(ref, Nullness.NONNIL)
        if which == "As":
            target = cond.args[1]
            while type(target) is kinds.ParenExpr:
                target = target.x
            if type(target) is kinds.UnaryExpr and target.op == "&":
                ref = ref_of(pc, scope, target.x)
                if ref is not None:
                    return state.narrow(ref, Nullness.NONNIL)
    return state


class ChainFacts:
    """The facts where each prefix of a binary chain's left spine is true or false, worked
    out left to right and kept: ``a && b`` is true where ``b`` is true in the facts of
    ``a`` being true; it is false where ``a`` is, or where ``a`` is true and ``b`` false
    (and ``||`` the other way round). A chain of n operands costs at most 2n narrowings,
    without recursion on its spine, however long (``ast.binary_spine``)."""

    def __init__(self, pc: PackageChecker, fi: FileInfo, scope: Scope, state: State,
                 spine: list[ast.BinaryExpr]) -> None:
        self.pc = pc
        self.fi = fi
        self.scope = scope
        self.state = state
        self.spine = spine
        self.known: dict[tuple[int, bool], State] = {}

    def _prefix(self, k: int) -> ast.Expr:
        """Prefix ``k`` of the chain: its first operand for -1, else the link ``spine[k]``."""
        return self.spine[k].x if k < 0 else self.spine[k]

    def _needs(self, k: int, value: bool) -> list[tuple[int, bool]]:
        """What prefix ``k`` being ``value`` is worked out from (none: narrowed directly)."""
        if k < 0 or self.spine[k].op not in ("&&", "||"):
            return []
        if (self.spine[k].op == "&&") == value:  # a && b true, a || b false: both so
            return [(k - 1, value)]
        return [(k - 1, False), (k - 1, True)]

    def of(self, k: int, value: bool) -> State:
        """The facts where prefix ``k`` (-1: the first operand, else ``spine[k]``) is ``value``."""
        known = self.known
        todo = [(k, value)]
        while todo:
            item = todo[-1]
            if item in known:
                todo.pop()
                continue
            missing = [need for need in self._needs(*item) if need not in known]
            if missing:
                todo.extend(missing)
                continue
            todo.pop()
            known[item] = self._work_out(*item)
        return known[(k, value)]

    def _work_out(self, k: int, value: bool) -> State:
        pc, fi, scope = self.pc, self.fi, self.scope
        if k < 0 or self.spine[k].op not in ("&&", "||"):
            return narrow(pc, fi, scope, self.state, self._prefix(k), value)
        link = self.spine[k]
        both = link.op == "&&"  # value of x and y where the link is true (&&) / false (||)
        if both == value:
            return narrow(pc, fi, scope, self.known[(k - 1, value)], link.y, value)
        # && false: x false, or x true and y false; || true: x true, or x false and y true
        out = join([self.known[(k - 1, value)], narrow(pc, fi, scope, self.known[(k - 1, both)], link.y, value)])
        # (&&: not both, where one test holds the other does not; ||: where one fails the other holds)
        return _correlate(pc, scope, out, link.x, link.y, [(True, False)] if both else [(False, True)])


def _narrow_nil(pc: PackageChecker, fi: FileInfo, scope: Scope, state: State, cond: ast.BinaryExpr,
                ref: Ref) -> State:
    """A nil test says ``ref`` is nil.  A value declared non-nil stays non-nil (a defensive check:
    the code under it is checked as if it were not nil); a value declared nullable but known
    non-nil here cannot be nil, so the branch does not run."""
    if state.get(ref) in (Nullness.MAYBE, Nullness.NIL, Nullness.ANY):
        return state.narrow(ref, Nullness.NIL)
    x = cond.y if _is_nil(pc, scope, cond.x) else cond.x
    with pc.quiet():
        op = pc.expr(fi, x, scope, state)
    declared_nonnil = nullability(op.obj.type) is Null.NONNIL if isinstance(op.obj, Var) else True
    if op.null is Nullness.NONNIL:
        if state.get(ref) is Nullness.NONNIL and not declared_nonnil:
            return UNREACHABLE
        return state
    return state.narrow(ref, Nullness.NIL)


def _correlate(pc: PackageChecker, scope: Scope, state: State, x: ast.Expr, y: ast.Expr,
               implies: list[tuple[bool, bool]]) -> State:
    """Guards for two nil tests whose outcomes are tied: each ``(a, b)`` of ``implies`` says that
    where ``x`` is ``a``, ``y`` is ``b`` (and the same read from ``y`` to ``x`` by swapping).
    A guard is kept when it makes a reference non-nil: that is what the join lost."""
    if state.unreachable:
        return state
    tx, ty = nil_test(pc, scope, x), nil_test(pc, scope, y)
    if tx is None or ty is None or tx[0] == ty[0]:
        return state
    for (rx, sx), (ry, sy), pairs in ((tx, ty, implies), (ty, tx, [(b, a) for a, b in implies])):
        for a, b in pairs:
            if b == sy:  # y's outcome b means ry is non-nil
                state = state.guard(rx, "nonnil" if a == sx else "nil", [ry])
    return state


def errors_func(pc: PackageChecker, scope: Scope, call: ast.CallExpr) -> str | None:
    """``Is`` or ``As`` for a call of errors.Is / errors.As, else None."""
    fun = call.fun
    if type(fun) is kinds.SelectorExpr and type(fun.x) is kinds.Ident and fun.sel.name in ("Is", "As"):
        obj = pc.lookup(scope, fun.x)
        if isinstance(obj, PkgName) and obj.pkg is not None and obj.pkg.path == "errors":
            return fun.sel.name
    return None
