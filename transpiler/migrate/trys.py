"""``tgo migrate --try``: ``if err != nil { return …, err }`` blocks to ``call?`` / ``call ? "msg"`` where the lowering gives the same behaviour.

A block converts when what ``?`` lowers to (spec §5, ``lower/lowering.py``) does what
it did. The forms, ``E`` an error variable:

* ``x, y, E := f()`` (or ``=``) then ``if E != nil { return Z…, E }`` →
  ``x, y := f()?`` (``=`` when no name on the left is new);
* ``E := f()`` / ``E = f()`` / ``_, E := f()`` then the block, and
  ``if E := f(); E != nil { return Z…, E }`` (no ``else``) → ``f()?``;
* the same with ``return Z…, fmt.Errorf("msg: %w", E)`` → ``f() ? "msg"``.

It converts only when:

* the call's last result and the enclosing function's last result are ``error``;
* the ``return`` names every result (not a bare return), and every other returned
  value is the zero value the lowering returns (``nil``, a constant zero of a
  non-interface basic type, ``T{}`` of a struct or array type, ``*new(T)``): so named
  results hold what they held, also for a deferred function that reads them;
* ``E`` is a variable of the function, not a named result, declared by one of the
  converted statements (or by a ``var E error`` of its own, which goes too), and every
  mention of it is one of the converted blocks' (so its value is read nowhere else:
  not after the block, not by a closure); blocks of one variable convert together or
  not at all;
* the ``fmt.Errorf`` format is a string literal ``msg: %w`` whose ``msg`` has no verb
  (``%%`` stands for ``%``) and no escape or quote, and ``fmt`` is the package ``fmt``;
* no comment lies in the statement or the block (it would be lost), and the statement
  is not labelled.

``try_edits`` returns the edits and, for the summary, what was skipped and why.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from transpiler.check.info import Info
from transpiler.check.snapshot import PackageCheck
from transpiler.diagnostics.fix import TextEdit
from transpiler.migrate.report import Report
from transpiler.migrate.spans import line_span, removals
from transpiler.syntax import ast
from transpiler.types.constant import go_string, string_value
from transpiler.types.model import (
    Array,
    Basic,
    Builtin,
    Func,
    Interface,
    Nil,
    PkgName,
    Signature,
    Struct,
    Tuple,
    Type,
    Var,
    is_error_type,
)

# why a block was not converted (the keys of TryReport.skipped)
NOT_ZERO = "a returned value is not the zero value"
USED_ELSEWHERE = "the error variable is used outside the block"
WRAPPED = "the error is wrapped in another way than fmt.Errorf(\"msg: %w\", err)"
COMMENT = "a comment inside the block"
NOT_ERROR = "the call's or the function's last result is not error"
UNKNOWN = "types unknown to the checker"
NOT_AFTER_CALL = "not right after the call that sets the error"


@dataclass(slots=True)
class TryReport(Report):
    """What ``--try`` did to a package (``Report``), and how many of the blocks converted wrap."""

    wrapped: int = 0  # of converted: ``? "msg"``


@dataclass(slots=True)
class _Site:
    """A candidate: the statement with the call (None for ``if E := f(); …``), the ``if``,
    and what the converted statement is."""

    stmt: ast.AssignStmt | None
    if_stmt: ast.IfStmt
    call: ast.CallExpr
    err: Var
    targets: list[ast.Expr]  # the left-hand side without E
    tok: str
    msg: str | None  # the wrapping message
    mentions: list[ast.Ident]  # the identifiers of E this site holds


def try_edits(check: PackageCheck) -> TryReport:
    """The ``--try`` edits of a checked package (see the module docstring)."""
    report = TryReport()
    if check.checker is None:
        return report
    info = check.checker.info
    for fi in check.infos:
        if fi.result.tree is None or not fi.is_tgo:  # a .go file stays plain Go
            continue
        name = fi.result.source.name
        text = fi.result.source.text
        comments = [(c.pos, c.end) for c in fi.tree.comments]
        for func, body in _functions(fi.tree):
            _convert_function(info, name, text, comments, func, body, report)
    return report


def _functions(tree: ast.File) -> Iterator[tuple[ast.FuncDecl | ast.FuncLit, ast.BlockStmt]]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FuncDecl, ast.FuncLit)) and node.body is not None:
            yield node, node.body


def own_nodes(body: ast.BlockStmt) -> Iterator[ast.Node]:
    """The nodes of a function body, not those of the function literals in it."""
    stack: list[ast.Node] = [body]
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.FuncLit):
            stack.extend(node.children())


def _statement_lists(body: ast.BlockStmt) -> Iterator[list[ast.Stmt]]:
    for node in own_nodes(body):
        if isinstance(node, ast.BlockStmt):
            yield node.list
        elif isinstance(node, (ast.CaseClause, ast.CommClause)):
            yield node.body


def _signature(info: Info, func: ast.FuncDecl | ast.FuncLit) -> Signature | None:
    if isinstance(func, ast.FuncDecl):
        obj = info.defs.get(func.name)
        return obj.sig if isinstance(obj, Func) and isinstance(obj.sig, Signature) else None
    t = info.type_of(func)
    return t if isinstance(t, Signature) else None


def _convert_function(info: Info, file: str, text: str, comments: list[tuple[int, int]],
                      func: ast.FuncDecl | ast.FuncLit, body: ast.BlockStmt, report: TryReport) -> None:
    sig = _signature(info, func)
    sites: list[_Site] = []
    for stmts in _statement_lists(body):
        for i, s in enumerate(stmts):
            if isinstance(s, ast.IfStmt) and _is_err_check(info, s) is not None:
                prev = stmts[i - 1] if i > 0 and s.init is None else None
                found = _site(info, text, comments, prev, s, sig)
                if isinstance(found, str):
                    report.skip(file, s.pos, found)
                elif found is not None:
                    sites.append(found)
    # the blocks of one variable convert together, when they are all its mentions
    by_var: dict[int, list[_Site]] = {}
    for site in sites:
        by_var.setdefault(id(site.err), []).append(site)
    mentions: dict[int, int] = {}  # closures' mentions count too
    for node in ast.walk(body):
        if isinstance(node, ast.Ident):
            obj = info.object_of(node)
            if obj is not None and id(obj) in by_var:
                mentions[id(obj)] = mentions.get(id(obj), 0) + 1
    for key, group in by_var.items():
        held = sum(len(site.mentions) for site in group)
        declared_here = any(_declares(info, m) for site in group for m in site.mentions)
        var = None if declared_here else _var_decl(info, body, group[0].err, comments)
        if held + (var is not None) != mentions.get(key, 0) or not (declared_here or var is not None):
            for site in group:
                report.skip(file, site.if_stmt.pos, USED_ELSEWHERE)
            continue
        joined = False
        for site in group:
            edit = _edit(info, file, text, site)
            if var is not None and site.stmt is not None and not text[var.end:site.stmt.pos].strip():
                edit = TextEdit(file, var.pos, edit.end, edit.new_text)  # `var E error` goes with it
                joined = True
            report.edits.append(edit)
            report.converted += 1
            report.wrapped += site.msg is not None
        if var is not None and not joined:
            span = line_span(text, var.pos, var.end)
            report.edits.extend(removals(file, text, [span if span is not None else (var.pos, var.end)]))


def _var_decl(info: Info, body: ast.BlockStmt, err: Var, comments: list[tuple[int, int]]) -> ast.DeclStmt | None:
    """The statement ``var E error`` (alone, without a value or a comment) that declares ``err`` in ``body``."""
    for node in own_nodes(body):
        if isinstance(node, ast.DeclStmt) and node.decl.tok == "var" and len(node.decl.specs) == 1:
            spec = node.decl.specs[0]
            if isinstance(spec, ast.ValueSpec) and len(spec.names) == 1 and info.defs.get(spec.names[0]) is err:
                ok = not spec.values and isinstance(spec.type, ast.Ident) and spec.type.name == "error" \
                    and not any(node.pos <= p < node.end for p, _e in comments)
                return node if ok else None
    return None


def _declares(info: Info, ident: ast.Ident) -> bool:
    """Whether ``ident`` declares its object (not a ``:=`` redeclaration, which assigns)."""
    obj = info.defs.get(ident)
    site = info.decl_sites.get(obj) if obj is not None else None
    return site is not None and site[0] is ident


def _is_err_check(info: Info, s: ast.IfStmt) -> Var | None:
    """The variable ``E`` of ``if [init;] E != nil { … }`` without ``else``, when it is an error."""
    c = s.cond
    if s.else_ is not None or not (isinstance(c, ast.BinaryExpr) and c.op == "!="):
        return None
    x, y = c.x, c.y
    if isinstance(x, ast.Ident) and x.name == "nil":
        x, y = y, x
    if not (isinstance(x, ast.Ident) and isinstance(y, ast.Ident) and isinstance(info.object_of(y), Nil)):
        return None
    obj = info.object_of(x)
    return obj if isinstance(obj, Var) and is_error_type(obj.type) else None


def _returns_err(info: Info, s: ast.IfStmt, err: Var) -> ast.ReturnStmt | None:
    """The ``return …, E`` (or ``…, wrap(E)``) that is the whole body of ``s``: what makes an
    ``if E != nil`` block one ``--try`` is about."""
    if len(s.body.list) != 1 or not isinstance(s.body.list[0], ast.ReturnStmt) or not s.body.list[0].results:
        return None
    ret = s.body.list[0]
    last = ret.results[-1]
    if any(isinstance(n, ast.Ident) and info.object_of(n) is err for n in ast.walk(last)):
        return ret
    return None


def _site(info: Info, text: str, comments: list[tuple[int, int]], prev: ast.Stmt | None, s: ast.IfStmt,
          sig: Signature | None) -> _Site | str | None:
    """The candidate made of ``prev`` (or the ``if``'s init) and the ``if`` ``s``, a reason it
    cannot convert, or None when ``s`` is not an ``if E != nil { return …, E }`` block at all."""
    err = _is_err_check(info, s)
    assert err is not None
    ret = _returns_err(info, s, err)
    if ret is None:
        return None
    assign = s.init if s.init is not None else prev
    if not (isinstance(assign, ast.AssignStmt) and assign.tok in (":=", "=") and len(assign.rhs) == 1
            and isinstance(assign.rhs[0], ast.CallExpr) and assign.lhs
            and isinstance(assign.lhs[-1], ast.Ident) and info.object_of(assign.lhs[-1]) is err):
        return NOT_AFTER_CALL
    last = assign.lhs[-1]
    assert isinstance(last, ast.Ident)
    if s.init is not None and any(not (isinstance(x, ast.Ident) and x.name == "_") for x in assign.lhs[:-1]):
        return NOT_AFTER_CALL  # (cannot compile: the names would be unused)
    call = assign.rhs[0]
    assert isinstance(call, ast.CallExpr)
    if sig is None:
        return UNKNOWN
    ctype = info.type_of(call)
    call_results = ctype.types if isinstance(ctype, Tuple) else (ctype,) if ctype is not None else ()
    if not call_results or len(call_results) != len(assign.lhs):
        return UNKNOWN
    if not is_error_type(call_results[-1]) or not sig.results or not is_error_type(sig.results[-1].type):
        return NOT_ERROR
    if len(ret.results) != len(sig.results):
        return UNKNOWN
    for r, want in zip(ret.results[:-1], sig.results[:-1], strict=True):
        if not _is_zero(info, r, want.type):
            return NOT_ZERO
    cond = s.cond
    assert isinstance(cond, ast.BinaryExpr)
    mentions = [m for m in (last, cond.x, cond.y) if isinstance(m, ast.Ident) and info.object_of(m) is err]
    msg: str | None = None
    last_result = ret.results[-1]
    if isinstance(last_result, ast.Ident) and info.object_of(last_result) is err:
        mentions.append(last_result)
    else:
        wrapped = _errorf_message(info, last_result, err)
        if wrapped is None:
            return WRAPPED
        msg, ident = wrapped
        mentions.append(ident)
    start = assign.pos if s.init is None else s.pos
    if any(start < c_end and c_pos < s.end for c_pos, c_end in comments):
        return COMMENT
    return _Site(assign if s.init is None else None, s, call, err, list(assign.lhs[:-1]), assign.tok, msg,
                 mentions)


def _is_zero(info: Info, e: ast.Expr, t: Type) -> bool:
    """Whether ``e``, returned as a result of type ``t``, is ``t``'s zero value."""
    while isinstance(e, ast.ParenExpr):
        e = e.x
    if isinstance(e, ast.Ident) and isinstance(info.object_of(e), Nil):
        return True
    u = t.underlying()
    if isinstance(u, Interface):
        return False  # anything but nil makes a non-nil interface
    if isinstance(e, ast.CompositeLit):
        return not e.elts and isinstance(u, (Struct, Array))
    if isinstance(e, ast.StarExpr) and isinstance(e.x, ast.CallExpr):
        fun = e.x.fun
        new = info.object_of(fun) if isinstance(fun, ast.Ident) else None
        return isinstance(new, Builtin) and new.name == "new" and len(e.x.args) == 1
    op = info.types.get(e) if info.types is not None else None
    if op is None or op.value is None or not isinstance(u, Basic):
        return False
    v = op.value
    if isinstance(v, bool):
        return v is False
    if isinstance(v, (str, bytes)):
        return len(v) == 0
    try:
        return bool(v == 0)
    except TypeError:
        return False


def _errorf_message(info: Info, e: ast.Expr, err: Var) -> tuple[str, ast.Ident] | None:
    """``msg`` and the ``E`` of ``fmt.Errorf("msg: %w", E)``, when ``? "msg"`` lowers to exactly that."""
    if not (isinstance(e, ast.CallExpr) and isinstance(e.fun, ast.SelectorExpr) and e.fun.sel.name == "Errorf"
            and isinstance(e.fun.x, ast.Ident) and len(e.args) == 2 and e.ellipsis < 0):
        return None
    pkg = info.object_of(e.fun.x)
    if not (isinstance(pkg, PkgName) and pkg.path == "fmt"):
        return None
    lit, arg = e.args
    if not (isinstance(lit, ast.BasicLit) and lit.kind == "STRING" and isinstance(arg, ast.Ident)
            and info.object_of(arg) is err):
        return None
    try:
        fmt_text = string_value(lit.value).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    if not fmt_text.endswith(": %w"):
        return None
    prefix = fmt_text[: -len(": %w")]
    if "%" in prefix.replace("%%", ""):
        return None
    msg = prefix.replace("%%", "%")
    if not msg or any(ch in msg for ch in '\\"`') or not msg.isprintable():
        return None
    # what the lowering writes for ? "msg" must be this format
    if string_value(go_string(msg.replace("%", "%%") + ": %w")) != string_value(lit.value):
        return None
    return msg, arg


def _edit(info: Info, file: str, text: str, s: _Site) -> TextEdit:
    call = text[s.call.pos : s.call.end] + ("?" if s.msg is None else f" ? {go_string(s.msg)}")
    named_targets = [x for x in s.targets if not (isinstance(x, ast.Ident) and x.name == "_")]
    if not named_targets:
        new = call
    else:
        fresh = any(isinstance(x, ast.Ident) and _declares(info, x) for x in s.targets)
        tok = ":=" if s.tok == ":=" and fresh else "="
        lhs = ", ".join(text[x.pos : x.end] for x in s.targets)
        new = f"{lhs} {tok} {call}"
    start = s.stmt.pos if s.stmt is not None else s.if_stmt.pos
    return TextEdit(file, start, s.if_stmt.end, new)


__all__ = ["TryReport", "try_edits"]

