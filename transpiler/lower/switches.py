"""Exhaustive switches: a ``default`` that panics, where Go needs one to end a function.

tgo counts an exhaustive switch without ``default`` (one the checker put in
``Info.exhaustive``) whose every clause ends in a terminating statement as
terminating (spec §4); Go does not, and reports "missing return" when such a
switch ends a function with results.  For each function (and function literal)
with results whose body terminates by tgo's rules but not by Go's, the lowering
follows the path of last statements down to each exhaustive switch Go does not
accept (through blocks, labels, both branches of an ``if``/``else``, and the
clauses of switches and selects) and gives it the clause hand-written Go uses:

    default:
        panic(fmt.Sprintf("tgo: no case matched in exhaustive switch on Color: %v", c))

``%T`` of the bound value for a type switch (``<nil>`` for a nil interface, the
commonest way to get there), ``%v`` for a value switch (an enum's ``String``
gives ``Color(7)``).  The value is named only when naming it again cannot
evaluate anything (an identifier or a selector path) and ``fmt`` can be used
under its name; otherwise the message is a constant.  A switch nested in a
clause gets its own ``default``, so the message names the switch that matched
nothing; a ``//line`` directive before the panic makes its stack trace name the
line of the ``switch``.  Nowhere else: the panic is reached only by a value the checker could
not see, such as ``Color(7)`` from a conversion or a nil interface from
unchecked code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from transpiler.lower.edits import Edit
from transpiler.lower.linemap import line_directive
from transpiler.syntax import ast
from transpiler.types.constant import go_string
from transpiler.types.model import Const, Named, PkgName, Pointer, Type, TypeName

if TYPE_CHECKING:
    from transpiler.lower.filelowering import FileLowering

_Switch = ast.SwitchStmt | ast.TypeSwitchStmt


def switch_edits(fl: FileLowering) -> None:
    exhaustive = fl.info.exhaustive
    if not exhaustive:
        return
    for node in fl.nodes():
        if not isinstance(node, (ast.FuncDecl, ast.FuncLit)):
            continue
        ftype, body = node.type, node.body
        if body is None or ftype.results is None or not ftype.results.list:
            continue
        t = _Terminating(exhaustive)
        if t.stmt(body, tgo=True) and not t.stmt(body, tgo=False):
            _Fixer(fl, t).stmt(body)


def defaults_possible(funcs: list[ast.FuncDecl | ast.FuncLit], switches: set[_Switch]) -> bool:
    """Whether ``switch_edits`` could add a ``default`` to one of ``switches`` in one of the
    file's functions ``funcs``, whatever the checker finds exhaustive: were every switch
    exhaustive, a function with results would terminate by tgo's rules and not by Go's
    (never in a file Go accepts as it is)."""
    t = _Terminating(switches)  # (terminating only grows with the switches counted exhaustive)
    for f in funcs:
        ftype, body = f.type, f.body
        if body is not None and ftype.results is not None and ftype.results.list \
                and not t.stmt(body, tgo=False) and t.stmt(body, tgo=True):
            return True
    return False


class _Terminating:
    """Go's terminating statements (spec "Terminating statements"), and tgo's, in which an
    exhaustive switch without default counts as if it had one."""

    def __init__(self, exhaustive: set[ast.Stmt] | set[_Switch]) -> None:
        self.exhaustive: set[ast.Stmt] | set[_Switch] = exhaustive

    def list(self, stmts: list[ast.Stmt], tgo: bool) -> bool:
        last = _last(stmts)
        return last is not None and self.stmt(last, tgo)

    def stmt(self, s: ast.Stmt, tgo: bool, label: str | None = None) -> bool:
        if isinstance(s, ast.ReturnStmt):
            return True
        if isinstance(s, ast.BranchStmt):
            return s.tok == "goto"
        if isinstance(s, ast.ExprStmt):
            return _is_panic(s.x)
        if isinstance(s, ast.BlockStmt):
            return self.list(s.list, tgo)
        if isinstance(s, ast.IfStmt):
            # (an else-if chain in a loop) every branch terminating, the last an else
            chain = ast.else_chain(s)
            last = chain[-1].else_
            return last is not None and all(self.stmt(link.body, tgo) for link in chain) and self.stmt(last, tgo)
        if isinstance(s, ast.LabeledStmt):
            return self.stmt(s.stmt, tgo, s.label.name)
        if isinstance(s, ast.ForStmt):
            return s.cond is None and not _has_break(s.body, label)
        if isinstance(s, (ast.SwitchStmt, ast.TypeSwitchStmt)):
            clauses = [c for c in s.body.list if isinstance(c, ast.CaseClause)]
            has_default = any(c.list is None for c in clauses)
            if not has_default and not (tgo and s in self.exhaustive):
                return False
            if _has_break(s.body, label):
                return False
            return all(self.list(c.body, tgo) or _ends_in_fallthrough(c.body) for c in clauses)
        if isinstance(s, ast.SelectStmt):
            if _has_break(s.body, label):
                return False
            return all(self.list(c.body, tgo) for c in s.body.list if isinstance(c, ast.CommClause))
        return False


class _Fixer:
    """Adds the panics that make a statement terminating for Go, where it is for tgo."""

    def __init__(self, fl: FileLowering, t: _Terminating) -> None:
        self.fl = fl
        self.t = t

    def list(self, stmts: list[ast.Stmt]) -> None:
        last = _last(stmts)
        if last is not None:
            self.stmt(last)

    def stmt(self, s: ast.Stmt) -> None:
        if self.t.stmt(s, tgo=False) or not self.t.stmt(s, tgo=True):
            return
        if isinstance(s, ast.LabeledStmt):
            self.stmt(s.stmt)  # terminating for tgo, so no break refers to the label
        elif isinstance(s, ast.BlockStmt):
            self.list(s.list)
        elif isinstance(s, ast.IfStmt):
            # (an else-if chain in a loop: each link is terminating for tgo as the whole is)
            chain = ast.else_chain(s)
            for link in chain:
                self.stmt(link.body)
            if chain[-1].else_ is not None:
                self.stmt(chain[-1].else_)
        elif isinstance(s, (ast.SwitchStmt, ast.TypeSwitchStmt)):
            # a clause that ends in a nested exhaustive switch: the nested one gets its own default
            # (for Go the outer one still needs one too)
            for c in s.body.list:
                if isinstance(c, ast.CaseClause) and not _ends_in_fallthrough(c.body):
                    self.list(c.body)
            if self._needs_panic(s):
                self._add_default(s)
        elif isinstance(s, ast.SelectStmt):
            for c in s.body.list:
                if isinstance(c, ast.CommClause):
                    self.list(c.body)

    def _needs_panic(self, s: _Switch) -> bool:
        return s in self.t.exhaustive and not any(
            isinstance(c, ast.CaseClause) and c.list is None for c in s.body.list)

    def _add_default(self, sw: _Switch) -> None:
        """Adds ``default: panic(...)`` as the last clause of ``sw``."""
        fl = self.fl
        what = _subject(fl, sw)
        kind = "type switch" if isinstance(sw, ast.TypeSwitchStmt) else "switch"
        msg = f"tgo: no case matched in exhaustive {kind}" + (f" on {what}" if what else "")
        value = _value_of(fl, sw)
        fmt_name = _fmt_name(fl) if value else None
        if value and fmt_name:
            verb = "%T" if isinstance(sw, ast.TypeSwitchStmt) else "%v"
            call = f"panic({fmt_name}.Sprintf({go_string(msg + ': ' + verb)}, {value}))"
            fl.import_name("fmt")
        else:
            call = f"panic({go_string(msg)})"
        indent = fl.indent_of(sw.pos)
        rbrace = sw.body.end - 1
        # the panic's stack trace names the line of the switch; the closing brace is back on its own
        name = fl.line_name
        line = fl.line_of(sw.pos)
        rbrace_line = fl.line_of(rbrace)
        fl.edits.append(Edit(rbrace, rbrace, f"{fl.break_before(rbrace)}default:\n{line_directive(name, line)}\n"
                             f"{indent}\t{call}\n{line_directive(name, rbrace_line)}\n{indent}"))


def _value_of(fl: FileLowering, sw: _Switch) -> str:
    """Source for the switched-on value inside a ``default`` clause, or "" when there is none that
    can be named again without evaluating anything."""
    if isinstance(sw, ast.TypeSwitchStmt):
        a = sw.assign
        if isinstance(a, ast.AssignStmt) and len(a.lhs) == 1 and isinstance(a.lhs[0], ast.Ident):
            return a.lhs[0].name if a.lhs[0].name != "_" else ""
        x = a.x if isinstance(a, ast.ExprStmt) else None
        if isinstance(x, ast.TypeAssertExpr):
            x = x.x
        return _path(fl, x)
    return _path(fl, sw.tag)


def _path(fl: FileLowering, e: ast.Expr | None) -> str:
    """The source of ``e`` when it is an identifier or a selector path (``a.b.c``), else ""."""
    node = e
    while isinstance(node, ast.ParenExpr):
        node = node.x
    x = node
    while isinstance(x, ast.SelectorExpr):
        x = x.x
    if not isinstance(x, ast.Ident) or x.name == "_" or node is None:
        return ""
    return fl.src(node)


def _fmt_name(fl: FileLowering) -> str | None:
    """The name under which ``fmt`` can be used: imported under it, or free in the file."""
    for decl in fl.tree.imports:
        for spec in decl.specs:
            if isinstance(spec, ast.ImportSpec) and spec.path.value.strip('"`') == "fmt":
                if spec.name is None:
                    return "fmt"
                return spec.name.name if spec.name.name not in ("_", ".") else None
    return None if "fmt" in fl.names_in_file() else "fmt"


def _last(stmts: list[ast.Stmt]) -> ast.Stmt | None:
    for s in reversed(stmts):
        if not isinstance(s, ast.EmptyStmt):
            return s
    return None


def _is_panic(e: ast.Expr) -> bool:
    while isinstance(e, ast.ParenExpr):
        e = e.x
    if not isinstance(e, ast.CallExpr):
        return False
    f = e.fun
    while isinstance(f, ast.ParenExpr):
        f = f.x
    return isinstance(f, ast.Ident) and f.name == "panic"


def _ends_in_fallthrough(stmts: list[ast.Stmt]) -> bool:
    last = _last(stmts)
    while isinstance(last, ast.LabeledStmt):
        last = last.stmt
    return isinstance(last, ast.BranchStmt) and last.tok == "fallthrough"


def _has_break(body: ast.Node, label: str | None) -> bool:
    """Whether ``body`` (of a for, switch or select) has a break that refers to that statement."""
    stack: list[tuple[ast.Node, bool]] = [(body, False)]  # (node, inside a nested breakable statement)
    while stack:
        node, nested = stack.pop()
        if isinstance(node, ast.FuncLit):
            continue
        if isinstance(node, ast.BranchStmt) and node.tok == "break":
            if node.label is None and not nested:
                return True
            if node.label is not None and node.label.name == label:
                return True
        inner = nested or isinstance(node, (ast.ForStmt, ast.RangeStmt, ast.SwitchStmt, ast.TypeSwitchStmt,
                                            ast.SelectStmt))
        stack.extend((c, inner) for c in node.children())
    return False


# -------------------------------------------------------------- the message


def _subject(fl: FileLowering, sw: _Switch) -> str:
    """The enum or union a switch is on, named from its cases, or "" when that is not clear."""
    for c in sw.body.list:
        if not isinstance(c, ast.CaseClause):
            continue
        for e in c.list or []:
            name = _enum_of(fl, e) if isinstance(sw, ast.SwitchStmt) else _union_of(fl, e)
            if name:
                return name
            if not (isinstance(e, ast.Ident) and e.name == "nil"):
                return ""
    return ""


def _resolve(fl: FileLowering, e: ast.Expr) -> tuple[object, str]:
    """The package-level object an identifier or ``pkg.Name`` denotes, with the qualifier to print."""
    if isinstance(e, ast.Ident):
        return fl.info.pkg.scope.names.get(e.name), ""
    if isinstance(e, ast.SelectorExpr) and isinstance(e.x, ast.Ident):
        pn = fl.fi.scope.names.get(e.x.name)
        if isinstance(pn, PkgName) and pn.pkg is not None:
            return pn.pkg.scope.names.get(e.sel.name), e.x.name + "."
    return None, ""


def _enum_of(fl: FileLowering, e: ast.Expr) -> str:
    while isinstance(e, ast.ParenExpr):
        e = e.x
    obj, qual = _resolve(fl, e)
    if isinstance(obj, Const) and isinstance(obj.type, Named) and obj.type.obj.enum is not None:
        return qual + obj.type.obj.name
    return ""


def _union_of(fl: FileLowering, e: ast.Expr) -> str:
    """The union whose variant the case type ``e`` names (only when exactly one union has it)."""
    star = False
    while isinstance(e, (ast.ParenExpr, ast.StarExpr)):
        star = star or isinstance(e, ast.StarExpr)
        e = e.x
    if isinstance(e, ast.IndexExpr):
        e = e.x
    obj, qual = _resolve(fl, e)
    if not isinstance(obj, TypeName) or obj.pkg is None:
        return ""
    key = f"unions of {id(obj)} {star}"  # (once per type and package: the scope is large)
    found = fl.shared.get(key)
    if not isinstance(found, list):
        found = fl.shared[key] = [tn.name for tn in obj.pkg.scope.names.values()
                                  if isinstance(tn, TypeName) and tn.union is not None
                                  and any(_variant_is(v, obj, star) for v in tn.union.variants)]
    return qual + found[0] if len(found) == 1 else ""


def _variant_is(v: Type, obj: TypeName, star: bool) -> bool:
    if isinstance(v, Pointer):
        return star and isinstance(v.elem, Named) and v.elem.obj is obj
    return not star and isinstance(v, Named) and v.obj is obj
