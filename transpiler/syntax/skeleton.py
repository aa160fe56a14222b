"""A file's tree without the function bodies no check of another body reads: which bodies may end in a call (compiled).

An after-edit ``tgo check`` reuses every body of the files it did not edit
(``check/bodies.py``); what it reads of those files is their declarations, and of
their function bodies only the ones that may never complete: the functions that
never return are inferred from them (``check/noreturn.py``: a candidate's last
statement, in each branch, is a call). ``split(tree)`` gives the tree's skeleton (a
new ``File`` whose other function bodies are empty blocks at the same offsets) and
the bodies it left out, in order; ``graft`` puts them back, in place, into the
skeleton's declarations (``stubs/parsed.py`` keeps a tree so, and loads the bodies
only when a check needs them).

``ends(stmts, names)`` is noreturn's first stage: whether a statement list may never
complete, judged by its last statement, the calls named ``names`` taken to stop (None:
a call of any name); a body a skeleton keeps is one for which it holds with any name.
"""

from __future__ import annotations

from transpiler.syntax import ast


def ends(stmts: list[ast.Stmt], names: set[str] | None) -> bool:
    """Whether a statement list may never complete, judged by its last statement: a call of
    one of ``names`` (None: of any name), or a statement all of whose branches end so; a
    ``return`` right after such a call counts too (``log.Fatal(err); return nil``: Go cannot
    see that the call stops)."""
    stmts = [s for s in stmts if not isinstance(s, ast.EmptyStmt)]
    if not stmts:
        return False
    if isinstance(stmts[-1], ast.ReturnStmt):
        return len(stmts) > 1 and isinstance(stmts[-2], ast.ExprStmt) and ends(stmts[:-1], names)
    return _stmt_ends(stmts[-1], names)


def _stmt_ends(s: ast.Stmt, names: set[str] | None) -> bool:
    while isinstance(s, ast.LabeledStmt):
        s = s.stmt
    if isinstance(s, ast.ExprStmt):
        x = s.x
        while isinstance(x, ast.ParenExpr):
            x = x.x
        if not isinstance(x, ast.CallExpr):
            return False
        name = call_name(x)
        return name is not None and (names is None or name in names)
    if isinstance(s, ast.BlockStmt):
        return ends(s.list, names)
    if isinstance(s, ast.IfStmt):
        # (an else-if chain in a loop) every branch ends so, the last an else
        chain = ast.else_chain(s)
        last = chain[-1].else_
        return last is not None and all(ends(link.body.list, names) for link in chain) and _stmt_ends(last, names)
    if isinstance(s, ast.ForStmt):
        return s.cond is None
    if isinstance(s, (ast.SwitchStmt, ast.TypeSwitchStmt)):
        clauses = [c for c in s.body.list if isinstance(c, ast.CaseClause)]
        return any(c.list is None for c in clauses) and all(ends(c.body, names) for c in clauses)
    if isinstance(s, ast.SelectStmt):
        return all(ends(c.body, names) for c in s.body.list if isinstance(c, ast.CommClause))
    if isinstance(s, ast.BranchStmt):
        return s.tok in ("goto", "fallthrough")
    return False


def call_name(call: ast.CallExpr) -> str | None:
    """The name a call is made by: ``f`` of ``f(x)``, ``Exit`` of ``os.Exit(1)`` (None: a call
    of something else, ``fs[i]()``)."""
    fun = call.fun
    while isinstance(fun, (ast.ParenExpr, ast.IndexExpr)):
        fun = fun.x
    if isinstance(fun, ast.Ident):
        return fun.name
    if isinstance(fun, ast.SelectorExpr):
        return fun.sel.name
    return None


def split(tree: ast.File) -> tuple[ast.File, list[int], list[ast.BlockStmt]]:
    """The skeleton of ``tree``, the indices in ``decls`` of the declarations whose bodies it
    left out, and those bodies: a function declaration whose body cannot end in a call
    (``ends`` with any name) is a new one with an empty block at its body's offsets;
    ``tree`` is not changed."""
    decls: list[ast.Decl] = []
    where: list[int] = []
    out: list[ast.BlockStmt] = []
    for i, d in enumerate(tree.decls):
        body = d.body if isinstance(d, ast.FuncDecl) else None
        if isinstance(d, ast.FuncDecl) and body is not None and body.list and not ends(body.list, None):
            decls.append(ast.FuncDecl(d.pos, d.end, d.recv, d.name, d.type, ast.BlockStmt(body.pos, body.end, [])))
            where.append(i)
            out.append(body)
        else:
            decls.append(d)
    if not out:
        return tree, where, out
    return ast.File(tree.pos, tree.end, tree.package, tree.imports, decls, tree.comments), where, out


def graft(skeleton: ast.File, where: list[int], bodies: list[ast.BlockStmt]) -> None:
    """Put the bodies ``split`` left out (of the declarations at ``where``) back into
    ``skeleton``'s declarations, in place (the skeleton is the caller's own: no one else holds
    it). Raises ``ValueError`` when they do not fit (another count, other offsets)."""
    if len(where) != len(bodies):
        raise ValueError("the bodies do not fit the skeleton")
    decls = skeleton.decls
    for i, body in zip(where, bodies, strict=True):
        d = decls[i] if 0 <= i < len(decls) else None
        if not isinstance(d, ast.FuncDecl) or d.body is None or d.body.list \
                or (d.body.pos, d.body.end) != (body.pos, body.end):
            raise ValueError("a body that does not fit its declaration")
        d.body = body
