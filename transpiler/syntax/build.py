"""Tree builder: the reduction callbacks that turn grammar rules into ast nodes.

``CALLBACKS`` maps a rule's alias (or name) in grammar/tgo.lark to a function
of the rule's children: tokens (``Tok``), nodes, lists, or None.  A rule of
one child with no callback passes its child up unchanged.  The checks that
go/parser makes beyond the grammar (names on the left of ``:=``, a composite
literal's type, parameter lists mixing named and unnamed entries) raise
``BuildError``, which the parser reports as a ``syntax`` diagnostic.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from transpiler.diagnostics import codes
from transpiler.syntax import ast
from transpiler.syntax.scanner import Tok

C = list[Any]


class BuildError(Exception):
    def __init__(self, pos: int, end: int, message: codes.Message, **fields: object) -> None:
        super().__init__(message.template)
        self.pos = pos
        self.end = end
        self.message = message
        self.fields = fields


def _problem(node: Any, text: str) -> BuildError:
    return BuildError(node.pos, node.end, codes.BAD_CONSTRUCT, problem=text)


CALLBACKS: dict[str, Callable[[C], Any]] = {}


def cb(*names: str) -> Callable[[Callable[[C], Any]], Callable[[C], Any]]:
    def register(fn: Callable[[C], Any]) -> Callable[[C], Any]:
        for name in names or (fn.__name__.lstrip("_"),):
            CALLBACKS[name] = fn
        return fn

    return register


def ident(t: Tok) -> ast.Ident:
    return ast.Ident(t.pos, t.end, t.text)


# ------------------------------------------------------------- bad nodes --
# The parser's error recovery shifts a BAD_* token over what it skipped.


@cb("bad_decl")
def _bad_decl(c: C) -> ast.BadDecl:
    return ast.BadDecl(c[0].pos, c[0].end)


@cb("bad_stmt")
def _bad_stmt(c: C) -> ast.BadStmt:
    return ast.BadStmt(c[0].pos, c[0].end)


@cb("bad_expr")
def _bad_expr(c: C) -> ast.BadExpr:
    return ast.BadExpr(c[0].pos, c[0].end)


def span(items: list[Any]) -> tuple[int, int] | None:
    """The source span of reduction values (tokens, nodes, lists and tuples of them)."""
    first = last = None
    for item in items:
        while isinstance(item, (list, tuple)):
            inner = [x for x in item if isinstance(x, (Tok, ast.Node, list, tuple))]
            item = inner[0] if inner else None
        if isinstance(item, (Tok, ast.Node)):
            first = item.pos
            break
    for item in items[::-1]:  # (not reversed(): mypyc 2.4 cannot compile it here)
        while isinstance(item, (list, tuple)):
            inner = [x for x in item if isinstance(x, (Tok, ast.Node, list, tuple))]
            item = inner[-1] if inner else None
        if isinstance(item, (Tok, ast.Node)):
            last = item.end
            break
    return None if first is None or last is None else (first, max(first, last))


# What a rule whose check fails (BuildError) gives instead of its node, so that the
# tree is still built: a statement or an expression of the tree that did not parse.
BAD_INSTEAD: dict[str, type[ast.Node]] = {
    **dict.fromkeys(["labeled_stmt", "go_stmt", "defer_stmt", "assign_stmt", "switch_0", "switch_semi",
                     "switch_tag", "switch_init", "switch_semi_tag", "switch_init_tag", "for_clause",
                     "for_range"], ast.BadStmt),
    **dict.fromkeys(["unary", "composite_named"], ast.BadExpr),
}


# ------------------------------------------------------------------ lists --


@cb("list_empty")
def _list_empty(c: C) -> list[Any]:
    return []


@cb("nothing")
def _nothing(c: C) -> None:
    return None


@cb("list_first")
def _list_first(c: C) -> list[Any]:
    return [] if c[0] is None else [c[0]]


@cb("list_next")
def _list_next(c: C) -> list[Any]:
    items: list[Any] = c[0]
    if c[2] is not None:
        items.append(c[2])
    return items


@cb("list_first_item")
def _list_first_item(c: C) -> list[Any]:
    return [c[0]]


@cb("list_next_item")
def _list_next_item(c: C) -> list[Any]:
    items: list[Any] = c[0]
    items.append(c[2])
    return items


@cb("list_append")
def _list_append(c: C) -> list[Any]:
    items: list[Any] = c[0]
    items.append(c[1])
    return items


@cb("list_append_skip1")
def _list_append_skip1(c: C) -> list[Any]:
    items: list[Any] = c[0]
    items.append(c[1])
    return items


@cb("list_empty_skip")
def _list_empty_skip(c: C) -> list[Any]:
    return []


@cb("list_first_skip")
def _list_first_skip(c: C) -> list[Any]:
    return [c[1]]


@cb("list_keep")
def _list_keep(c: C) -> list[Any]:
    items: list[Any] = c[0]
    return items


@cb("list_pair")
def _list_pair(c: C) -> list[Any]:
    return [c[0], c[2]]


# ------------------------------------------------------------------ files --


@cb("source_file")
def _source_file(c: C) -> ast.File:
    imports: list[ast.GenDecl] = c[3]
    decls: list[ast.Decl] = c[4]
    return ast.File(c[0].pos, c[2].end, ident(c[1]), imports, decls, [])


@cb("import_decl", "gen_decl")
def _gen_decl(c: C) -> ast.GenDecl:
    kw: Tok = c[0]
    if len(c) == 2:
        spec = c[1]
        return ast.GenDecl(kw.pos, spec.end, kw.text, [spec], -1)
    specs = c[2] if isinstance(c[2], list) else []  # "(" ")" has none
    return ast.GenDecl(kw.pos, c[-1].end, kw.text, specs, c[1].pos)


@cb("import_spec")
def _import_spec(c: C) -> ast.ImportSpec:
    path_tok: Tok = c[-1]
    path = ast.BasicLit(path_tok.pos, path_tok.end, "STRING", path_tok.text)
    name = ident(c[0]) if len(c) == 2 else None
    return ast.ImportSpec(c[0].pos, path.end, name, path)


@cb("const_spec", "var_spec")
def _value_spec(c: C) -> ast.ValueSpec:
    names = [ident(t) for t in c[0]]
    typ: ast.Expr | None = None
    values: list[ast.Expr] = []
    if len(c) == 2:
        typ = c[1]
    elif len(c) == 3:
        values = c[2]
    elif len(c) == 4:
        typ, values = c[1], c[3]
    end = values[-1].end if values else (typ.end if typ is not None else names[-1].end)
    return ast.ValueSpec(names[0].pos, end, names, typ, values)


@cb("type_spec")
def _type_spec(c: C) -> ast.TypeSpec:
    name = ident(c[0])
    tparams = c[1] if len(c) == 3 else None
    typ = c[-1]
    return ast.TypeSpec(name.pos, typ.end, name, tparams, False, typ)


@cb("alias_spec")
def _alias_spec(c: C) -> ast.TypeSpec:
    name = ident(c[0])
    tparams = c[1] if len(c) == 4 else None
    typ = c[-1]
    return ast.TypeSpec(name.pos, typ.end, name, tparams, True, typ)


@cb("tgo_type_spec")
def _tgo_type_spec(c: C) -> ast.TypeSpec:
    name = ident(c[0])
    rest = c[1:]
    tparams: ast.FieldList | None = None
    if isinstance(rest[0], ast.FieldList):
        tparams = rest[0]
        rest = rest[1:]
    kw: Tok = rest[0]
    base: ast.Expr | None = None
    if isinstance(rest[1], Tok) and rest[1].kind == "IDENT":
        base = ident(rest[1])
        rest = rest[1:]
    members: list[Any] = [m for m in rest[2] if m is not None]
    rbrace: Tok = rest[3]
    keyword = ident(kw)
    if kw.text == "enum":
        if tparams is not None:
            raise _problem(tparams, "an enum cannot have type parameters")
        enum_members: list[ast.EnumMember] = []
        for m in members:
            if isinstance(m, ast.Ident):
                enum_members.append(ast.EnumMember(m.pos, m.end, m, None))
            elif isinstance(m, ast.EnumMember):
                enum_members.append(m)
            else:
                raise _problem(m, "an enum member is a name, optionally with = value")
        typ: ast.Expr = ast.EnumType(kw.pos, rbrace.end, keyword, base, enum_members)
    elif kw.text == "union":
        if base is not None:
            raise _problem(base, "a union has no base type: write union { ... }")
        variants: list[ast.UnionVariant] = []
        for m in members:
            if isinstance(m, ast.UnionVariant):
                variants.append(m)
            elif isinstance(m, ast.EnumMember):
                raise _problem(m, "a union variant is Name{fields} or an existing type, not name = value")
            else:
                variants.append(ast.UnionVariant(m.pos, m.end, None, None, m))
        typ = ast.UnionType(kw.pos, rbrace.end, keyword, variants)
    else:
        raise BuildError(kw.pos, kw.end, codes.UNEXPECTED_EXPECTED,
                         found=f"name {kw.text}", expected="type, enum or union")
    return ast.TypeSpec(name.pos, typ.end, name, tparams, False, typ)


@cb("member_name")
def _member_name(c: C) -> ast.Ident:
    return ident(c[0])


@cb("member_value")
def _member_value(c: C) -> ast.EnumMember:
    name = ident(c[0])
    value: ast.Expr = c[2]
    return ast.EnumMember(name.pos, value.end, name, value)


@cb("member_struct")
def _member_struct(c: C) -> ast.UnionVariant:
    name = ident(c[0])
    fl = ast.FieldList(c[1].pos, c[3].end, [f for f in c[2] if f is not None])
    return ast.UnionVariant(name.pos, fl.end, name, fl, None)


@cb("member_type")
def _member_type(c: C) -> ast.Expr:
    typ: ast.Expr
    if len(c) == 2:
        typ = _star_type(c)
    elif len(c) == 3:
        typ = _qualified(c)
    else:
        typ = _type_inst(c)
    return typ


@cb("type_params")
def _type_params(c: C) -> ast.FieldList:
    return ast.FieldList(c[0].pos, c[-1].end, c[1])


@cb("tparam_decl")
def _tparam_decl(c: C) -> ast.Field:
    names = [ident(t) for t in c[0]]
    typ: ast.Expr = c[1]
    return ast.Field(names[0].pos, typ.end, names, typ, None)


@cb("constraint_union")
def _constraint_union(c: C) -> ast.BinaryExpr:
    return ast.BinaryExpr(c[0].pos, c[2].end, c[0], "|", c[2])


@cb("tilde")
def _tilde(c: C) -> ast.UnaryExpr:
    return ast.UnaryExpr(c[0].pos, c[1].end, "~", c[1])


@cb("func_decl")
def _func_decl(c: C) -> ast.FuncDecl:
    name = ident(c[1])
    tparams: ast.FieldList | None = None
    i = 2
    if isinstance(c[2], ast.FieldList):
        tparams = c[2]
        i = 3
    ftype: ast.FuncType = c[i]
    body: ast.BlockStmt | None = c[i + 1] if len(c) > i + 1 else None
    if tparams is not None:
        ftype.type_params = tparams
        ftype.pos = tparams.pos
    end = body.end if body is not None else ftype.end
    return ast.FuncDecl(c[0].pos, end, None, name, ftype, body)


@cb("method_decl")
def _method_decl(c: C) -> ast.FuncDecl:
    recv: ast.FieldList = c[1]
    name = ident(c[2])
    ftype: ast.FuncType = c[3]
    body: ast.BlockStmt | None = c[4] if len(c) > 4 else None
    end = body.end if body is not None else ftype.end
    return ast.FuncDecl(c[0].pos, end, recv, name, ftype, body)


# ------------------------------------------------------------------ types --


@cb("paren_type", "paren")
def _paren(c: C) -> ast.ParenExpr:
    return ast.ParenExpr(c[0].pos, c[2].end, c[1])


@cb("star_type")
def _star_type(c: C) -> ast.StarExpr:
    return ast.StarExpr(c[0].pos, c[1].end, c[1])


@cb("nullable_type")
def _nullable_type(c: C) -> ast.NullableType:
    return ast.NullableType(c[0].pos, c[1].end, c[1])


@cb("name")
def _name(c: C) -> ast.Ident:
    t: Tok = c[0]
    return ast.Ident(t.pos, t.end, t.text)


@cb("qualified")
def _qualified(c: C) -> ast.Expr:
    x = ident(c[0])
    if not c[2].text:  # a half-typed `pkg.` (see _selector)
        return ast.BadExpr(x.pos, c[1].end)
    sel = ident(c[2])
    return ast.SelectorExpr(x.pos, sel.end, x, sel)


@cb("type_inst")
def _type_inst(c: C) -> ast.IndexExpr:
    x = ident(c[0])
    indices = [c[2], *c[3]] if len(c) == 5 else [c[2]]
    return ast.IndexExpr(x.pos, c[-1].end, x, indices)


@cb("type_inst_q")
def _type_inst_q(c: C) -> ast.IndexExpr:
    x = _qualified(c[:3])
    indices = [c[4], *c[5]] if len(c) == 7 else [c[4]]
    return ast.IndexExpr(x.pos, c[-1].end, x, indices)


@cb("array_type")
def _array_type(c: C) -> ast.ArrayType:
    return ast.ArrayType(c[0].pos, c[3].end, c[1], c[3])


@cb("ellipsis_array_type")
def _ellipsis_array_type(c: C) -> ast.ArrayType:
    dots: Tok = c[1]
    return ast.ArrayType(c[0].pos, c[3].end, ast.Ellipsis(dots.pos, dots.end, None), c[3])


@cb("slice_type")
def _slice_type(c: C) -> ast.ArrayType:
    return ast.ArrayType(c[0].pos, c[2].end, None, c[2])


@cb("map_type")
def _map_type(c: C) -> ast.MapType:
    return ast.MapType(c[0].pos, c[4].end, c[2], c[4])


@cb("chan_both")
def _chan_both(c: C) -> ast.ChanType:
    return ast.ChanType(c[0].pos, c[1].end, ast.SEND | ast.RECV, c[1])


@cb("chan_send")
def _chan_send(c: C) -> ast.ChanType:
    return ast.ChanType(c[0].pos, c[2].end, ast.SEND, c[2])


@cb("chan_recv")
def _chan_recv(c: C) -> ast.ChanType:
    return ast.ChanType(c[0].pos, c[2].end, ast.RECV, c[2])


@cb("func_type")
def _func_type(c: C) -> ast.FuncType:
    ftype: ast.FuncType = c[1]
    ftype.pos = c[0].pos
    return ftype


@cb("signature")
def _signature(c: C) -> ast.FuncType:
    params: ast.FieldList = c[0]
    return ast.FuncType(params.pos, params.end, None, params, None)


@cb("signature_results")
def _signature_results(c: C) -> ast.FuncType:
    params: ast.FieldList = c[0]
    results: ast.FieldList = c[1]
    for f in results.list:
        if isinstance(f.type, ast.Ellipsis):
            raise _problem(f.type, "can only use ... with final parameter in list")
    return ast.FuncType(params.pos, results.end, None, params, results)


@cb("signature_result")
def _signature_result(c: C) -> ast.FuncType:
    params: ast.FieldList = c[0]
    typ: ast.Expr = c[1]
    results = ast.FieldList(typ.pos, typ.end, [ast.Field(typ.pos, typ.end, [], typ, None)])
    return ast.FuncType(params.pos, typ.end, None, params, results)


@cb("params_empty")
def _params_empty(c: C) -> ast.FieldList:
    return ast.FieldList(c[0].pos, c[1].end, [])


@cb("params")
def _params(c: C) -> ast.FieldList:
    entries: list[tuple[Any, ...]] = c[1]
    fields: list[ast.Field] = []
    if any(e[0] == "named" for e in entries):
        pending: list[ast.Ident] = []
        for e in entries:
            if e[0] == "ident":
                pending.append(ident(e[1]))
            elif e[0] == "named":
                names = [*pending, ident(e[1])]
                typ: ast.Expr = e[2]
                fields.append(ast.Field(names[0].pos, typ.end, names, typ, None))
                pending = []
            else:
                raise _problem(e[1], "mixed named and unnamed parameters")
        if pending:
            raise _problem(pending[-1], "mixed named and unnamed parameters")
    else:
        for e in entries:
            typ = ident(e[1]) if e[0] == "ident" else e[1]
            fields.append(ast.Field(typ.pos, typ.end, [], typ, None))
    return ast.FieldList(c[0].pos, c[-1].end, fields)


@cb("param_ident")
def _param_ident(c: C) -> tuple[Any, ...]:
    return ("ident", c[0])


@cb("param_qualified")
def _param_qualified(c: C) -> tuple[Any, ...]:
    return ("type", _qualified(c))


@cb("param_inst")
def _param_inst(c: C) -> tuple[Any, ...]:
    return ("type", _type_inst(c))


@cb("param_inst_q")
def _param_inst_q(c: C) -> tuple[Any, ...]:
    return ("type", _type_inst_q(c))


@cb("param_named")
def _param_named(c: C) -> tuple[Any, ...]:
    return ("named", c[0], c[1])


@cb("param_named_array")
def _param_named_array(c: C) -> tuple[Any, ...]:
    return ("named", c[0], _array_type(c[1:]))


@cb("param_named_ellipsis_array")
def _param_named_ellipsis_array(c: C) -> tuple[Any, ...]:
    return ("named", c[0], _ellipsis_array_type(c[1:]))


@cb("param_named_slice")
def _param_named_slice(c: C) -> tuple[Any, ...]:
    return ("named", c[0], _slice_type(c[1:]))


@cb("param_named_variadic")
def _param_named_variadic(c: C) -> tuple[Any, ...]:
    return ("named", c[0], ast.Ellipsis(c[1].pos, c[2].end, c[2]))


@cb("param_variadic")
def _param_variadic(c: C) -> tuple[Any, ...]:
    return ("type", ast.Ellipsis(c[0].pos, c[1].end, c[1]))


@cb("param_type")
def _param_type(c: C) -> tuple[Any, ...]:
    return ("type", c[0])


@cb("param_paren_type")
def _param_paren_type(c: C) -> tuple[Any, ...]:
    return ("type", _paren(c))


@cb("struct_type")
def _struct_type(c: C) -> ast.StructType:
    fl = ast.FieldList(c[1].pos, c[3].end, [f for f in c[2] if f is not None])
    return ast.StructType(c[0].pos, fl.end, fl)


def _tag(c: C, names: list[ast.Ident], typ: ast.Expr) -> ast.Field:
    last = c[-1]
    tag = None
    if isinstance(last, Tok) and last.kind == "STRING":
        tag = ast.BasicLit(last.pos, last.end, "STRING", last.text)
    start = names[0].pos if names else c[0].pos
    end = tag.end if tag is not None else typ.end
    return ast.Field(start, end, names, typ, tag)


@cb("field_one")
def _field_one(c: C) -> ast.Field:
    return _tag(c, [ident(c[0])], c[1])


@cb("field_one_slice")
def _field_one_slice(c: C) -> ast.Field:
    return _tag(c, [ident(c[0])], _slice_type(c[1:4]))


@cb("field_one_array")
def _field_one_array(c: C) -> ast.Field:
    return _tag(c, [ident(c[0])], _array_type(c[1:5]))


@cb("field_one_ellipsis_array")
def _field_one_ellipsis_array(c: C) -> ast.Field:
    return _tag(c, [ident(c[0])], _ellipsis_array_type(c[1:5]))


@cb("field_many")
def _field_many(c: C) -> ast.Field:
    return _tag(c, [ident(t) for t in c[0]], c[1])


@cb("embedded")
def _embedded(c: C) -> ast.Field:
    return _tag(c, [], ident(c[0]))


@cb("embedded_q")
def _embedded_q(c: C) -> ast.Field:
    return _tag(c, [], _qualified(c[:3]))


@cb("embedded_inst")
def _embedded_inst(c: C) -> ast.Field:
    n = 5 if isinstance(c[3], list) else 4
    return _tag(c, [], _type_inst(c[:n]))


@cb("embedded_inst_q")
def _embedded_inst_q(c: C) -> ast.Field:
    n = 7 if isinstance(c[5], list) else 6
    return _tag(c, [], _type_inst_q(c[:n]))


@cb("embedded_star")
def _embedded_star(c: C) -> ast.Field:
    inner = c[1].x if isinstance(c[1], ast.NullableType) else c[1]
    if not _is_type_name(inner):
        raise _problem(c[1], "embedded field type must be a type name")
    return _tag(c, [], _star_type(c[:2]))


@cb("embedded_paren")
def _embedded_paren(c: C) -> ast.Field:
    raise _problem(c[0], "cannot parenthesize embedded type")


@cb("interface_type")
def _interface_type(c: C) -> ast.InterfaceType:
    fl = ast.FieldList(c[1].pos, c[3].end, [f for f in c[2] if f is not None])
    return ast.InterfaceType(c[0].pos, fl.end, fl)


@cb("method_elem")
def _method_elem(c: C) -> ast.Field:
    name = ident(c[0])
    ftype: ast.FuncType = c[1]
    return ast.Field(name.pos, ftype.end, [name], ftype, None)


@cb("type_elem")
def _type_elem(c: C) -> ast.Field:
    typ: ast.Expr = c[0]
    return ast.Field(typ.pos, typ.end, [], typ, None)


# ------------------------------------------------------------- statements --


@cb("block")
def _block(c: C) -> ast.BlockStmt:
    return ast.BlockStmt(c[0].pos, c[2].end, [s for s in c[1] if s is not None])


@cb("decl_stmt")
def _decl_stmt(c: C) -> ast.DeclStmt:
    d: ast.GenDecl = c[0]
    return ast.DeclStmt(d.pos, d.end, d)


@cb("labeled_stmt")
def _labeled_stmt(c: C) -> ast.LabeledStmt:
    label = ident(c[0])
    stmt = c[2]
    if stmt is None:
        colon: Tok = c[1]
        stmt = ast.EmptyStmt(colon.end, colon.end, True)
    return ast.LabeledStmt(label.pos, stmt.end, label, stmt)


def _call_of(kw: Tok, x: ast.Expr) -> ast.Expr:
    if isinstance(x, ast.ParenExpr):
        raise _problem(x, f"expression in {kw.text} must not be parenthesized")
    if not isinstance(x, ast.CallExpr):
        raise _problem(x, f"expression in {kw.text} must be function call")
    return x


@cb("go_stmt")
def _go_stmt(c: C) -> ast.GoStmt:
    return ast.GoStmt(c[0].pos, c[1].end, _call_of(c[0], c[1]))


@cb("defer_stmt")
def _defer_stmt(c: C) -> ast.DeferStmt:
    return ast.DeferStmt(c[0].pos, c[1].end, _call_of(c[0], c[1]))


@cb("return_stmt")
def _return_stmt(c: C) -> ast.ReturnStmt:
    results: list[ast.Expr] = c[1] if len(c) == 2 else []
    end = results[-1].end if results else c[0].end
    return ast.ReturnStmt(c[0].pos, end, results)


@cb("branch_stmt")
def _branch_stmt(c: C) -> ast.BranchStmt:
    label = ident(c[1]) if len(c) == 2 else None
    return ast.BranchStmt(c[0].pos, c[-1].end, c[0].text, label)


@cb("expr_stmt")
def _expr_stmt(c: C) -> ast.ExprStmt:
    x: ast.Expr = c[0]
    return ast.ExprStmt(x.pos, x.end, x)


@cb("send_stmt")
def _send_stmt(c: C) -> ast.SendStmt:
    return ast.SendStmt(c[0].pos, c[2].end, c[0], c[2])


@cb("incdec_stmt")
def _incdec_stmt(c: C) -> ast.IncDecStmt:
    return ast.IncDecStmt(c[0].pos, c[1].end, c[0], c[1].text)


@cb("assign_stmt")
def _assign_stmt(c: C) -> ast.AssignStmt:
    lhs: list[ast.Expr] = c[0]
    op: Tok = c[1]
    rhs: list[ast.Expr] = c[2]
    if op.text == ":=":
        for x in lhs:
            if not isinstance(x, ast.Ident):
                raise _problem(x, "non-name on left side of :=")
    elif op.text != "=" and (len(lhs) > 1 or len(rhs) > 1):
        raise _problem(lhs[0], f"assignment operation {op.text} requires single-valued expressions")
    return ast.AssignStmt(lhs[0].pos, rhs[-1].end, lhs, op.text, rhs)


def _if(c: C, init: ast.Stmt | None, cond: ast.Expr, rest: C) -> ast.IfStmt:
    body: ast.BlockStmt = rest[0]
    else_ = rest[2] if len(rest) == 3 else None
    end = else_.end if else_ is not None else body.end
    return ast.IfStmt(c[0].pos, end, init, cond, body, else_)


@cb("if_plain")
def _if_plain(c: C) -> ast.IfStmt:
    return _if(c, None, c[1], c[2:])


@cb("if_init")
def _if_init(c: C) -> ast.IfStmt:
    return _if(c, c[1], c[3], c[4:])


@cb("if_plain_semi")
def _if_plain_semi(c: C) -> ast.IfStmt:
    return _if(c, None, c[2], c[3:])


def _switch(c: C, init: ast.Stmt | None, tag: ast.Stmt | None) -> ast.Stmt:
    lbrace: Tok = c[-3]
    body = ast.BlockStmt(lbrace.pos, c[-1].end, c[-2])
    if tag is not None:
        guard = None
        if isinstance(tag, ast.ExprStmt):
            guard = tag.x
        elif isinstance(tag, ast.AssignStmt) and tag.tok == ":=" and len(tag.lhs) == 1 and len(tag.rhs) == 1:
            guard = tag.rhs[0]
        if isinstance(guard, ast.TypeAssertExpr) and guard.type is None:
            return ast.TypeSwitchStmt(c[0].pos, body.end, init, tag, body)
        if not isinstance(tag, ast.ExprStmt):
            raise _problem(tag, "switch expression must be an expression")
        return ast.SwitchStmt(c[0].pos, body.end, init, tag.x, body)
    return ast.SwitchStmt(c[0].pos, body.end, init, None, body)


@cb("switch_0", "switch_semi")
def _switch_0(c: C) -> ast.Stmt:
    return _switch(c, None, None)


@cb("switch_tag")
def _switch_tag(c: C) -> ast.Stmt:
    return _switch(c, None, c[1])


@cb("switch_init")
def _switch_init(c: C) -> ast.Stmt:
    return _switch(c, c[1], None)


@cb("switch_semi_tag")
def _switch_semi_tag(c: C) -> ast.Stmt:
    return _switch(c, None, c[2])


@cb("switch_init_tag")
def _switch_init_tag(c: C) -> ast.Stmt:
    return _switch(c, c[1], c[3])


def _clause_end(c: C) -> int:
    body: list[ast.Stmt] = [s for s in c[-1] if s is not None]
    colon: Tok = c[-2]
    return body[-1].end if body else colon.end


@cb("case_clause")
def _case_clause(c: C) -> ast.CaseClause:
    exprs: list[ast.Expr] | None = c[1] if len(c) == 4 else None
    return ast.CaseClause(c[0].pos, _clause_end(c), exprs, [s for s in c[-1] if s is not None])


@cb("select_stmt")
def _select_stmt(c: C) -> ast.SelectStmt:
    body = ast.BlockStmt(c[1].pos, c[3].end, c[2])
    return ast.SelectStmt(c[0].pos, body.end, body)


@cb("comm_clause")
def _comm_clause(c: C) -> ast.CommClause:
    comm: ast.Stmt | None = c[1] if len(c) == 4 else None
    return ast.CommClause(c[0].pos, _clause_end(c), comm, [s for s in c[-1] if s is not None])


@cb("for_ever")
def _for_ever(c: C) -> ast.ForStmt:
    return ast.ForStmt(c[0].pos, c[1].end, None, None, None, c[1])


@cb("for_while")
def _for_while(c: C) -> ast.ForStmt:
    return ast.ForStmt(c[0].pos, c[2].end, None, c[1], None, c[2])


@cb("for_clause")
def _for_clause(c: C) -> ast.ForStmt:
    post: ast.Stmt | None = c[5]
    if isinstance(post, ast.AssignStmt) and post.tok == ":=":
        raise _problem(post, "cannot declare in post statement of for loop")
    return ast.ForStmt(c[0].pos, c[6].end, c[1], c[3], post, c[6])


@cb("for_range")
def _for_range(c: C) -> ast.RangeStmt:
    body: ast.BlockStmt = c[-1]
    x: ast.Expr = c[-2]
    if len(c) == 4:
        return ast.RangeStmt(c[0].pos, body.end, None, None, "", x, body)
    lhs: list[ast.Expr] = c[1]
    tok: str = c[2].text
    if len(lhs) > 2:
        raise _problem(lhs[2], "range clause permits at most two iteration variables")
    if tok == ":=":
        for v in lhs:
            if not isinstance(v, ast.Ident):
                raise _problem(v, "non-name on left side of :=")
    value = lhs[1] if len(lhs) == 2 else None
    return ast.RangeStmt(c[0].pos, body.end, lhs[0], value, tok, x, body)


# ------------------------------------------------------------ expressions --


@cb("binary")
def _binary(c: C) -> ast.BinaryExpr:
    x: ast.Expr = c[0]
    y: ast.Expr = c[2]
    return ast.BinaryExpr(x.pos, y.end, x, c[1].text, y)


@cb("unary")
def _unary(c: C) -> ast.Expr:
    op: Tok = c[0]
    x: ast.Expr = c[1]
    if op.kind == "*":
        return ast.StarExpr(op.pos, x.end, x)
    if op.kind == "<-" and isinstance(x, ast.ChanType):
        # `<-chan T` (and `<-chan <-chan T`): re-associate the arrow, as go/parser does.
        typ: ast.Expr = x
        direction = ast.SEND
        while isinstance(typ, ast.ChanType) and direction == ast.SEND:
            if typ.dir == ast.RECV:
                raise _problem(typ, "unexpected <-, expected chan")
            direction, typ.dir = typ.dir, ast.RECV
            typ = typ.value
        if direction == ast.SEND:
            raise _problem(x, "unexpected <-, expected channel type")
        x.pos = op.pos
        return x
    return ast.UnaryExpr(op.pos, x.end, op.text, x)


@cb("selector")
def _selector(c: C) -> ast.Expr:
    x: ast.Expr = c[0]
    if not c[2].text:  # the name the parser's recovery put after a half-typed `x.`
        return ast.BadExpr(x.pos, c[1].end)
    sel = ident(c[2])
    return ast.SelectorExpr(x.pos, sel.end, x, sel)


@cb("type_assert")
def _type_assert(c: C) -> ast.TypeAssertExpr:
    return ast.TypeAssertExpr(c[0].pos, c[4].end, c[0], c[3])


@cb("type_switch_guard")
def _type_switch_guard(c: C) -> ast.TypeAssertExpr:
    return ast.TypeAssertExpr(c[0].pos, c[4].end, c[0], None)


@cb("index")
def _index(c: C) -> ast.IndexExpr:
    x: ast.Expr = c[0]
    indices = [c[2], *c[3]] if len(c) == 5 else [c[2]]
    return ast.IndexExpr(x.pos, c[-1].end, x, indices)


@cb("slice_expr")
def _slice_expr(c: C) -> ast.SliceExpr:
    x: ast.Expr = c[0]
    if len(c) == 6:
        return ast.SliceExpr(x.pos, c[5].end, x, c[2], c[4], None, False)
    return ast.SliceExpr(x.pos, c[7].end, x, c[2], c[4], c[6], True)


@cb("call")
def _call(c: C) -> ast.CallExpr:
    fun: ast.Expr = c[0]
    if len(c) == 3:
        return ast.CallExpr(fun.pos, c[2].end, fun, [], -1)
    args, ellipsis = c[2]
    return ast.CallExpr(fun.pos, c[3].end, fun, args, ellipsis)


@cb("args", "args_comma")
def _args(c: C) -> tuple[list[ast.Expr], int]:
    return c[0], -1


@cb("args_ellipsis")
def _args_ellipsis(c: C) -> tuple[list[ast.Expr], int]:
    dots: Tok = c[1]
    return c[0], dots.pos


def _is_type_name(x: ast.Expr) -> bool:
    if isinstance(x, ast.Ident):
        return True
    if isinstance(x, ast.SelectorExpr):
        return isinstance(x.x, ast.Ident)
    if isinstance(x, ast.IndexExpr):
        return _is_type_name(x.x)
    return False


@cb("composite_named")
def _composite_named(c: C) -> ast.CompositeLit:
    typ: ast.Expr = c[0]
    if not _is_type_name(typ):
        raise BuildError(c[1].pos, c[1].end, codes.UNEXPECTED_EXPECTED, found="{", expected="statement or newline")
    elts: list[ast.Expr] = c[2] if len(c) == 4 else []
    return ast.CompositeLit(typ.pos, c[-1].end, typ, elts, c[1].pos)


@cb("composite_lit")
def _composite_lit(c: C) -> ast.CompositeLit:
    typ: ast.Expr = c[0]
    elts: list[ast.Expr] = c[2] if len(c) == 4 else []
    return ast.CompositeLit(typ.pos, c[-1].end, typ, elts, c[1].pos)


@cb("composite_elided")
def _composite_elided(c: C) -> ast.CompositeLit:
    elts: list[ast.Expr] = c[1] if len(c) == 3 else []
    return ast.CompositeLit(c[0].pos, c[-1].end, None, elts, c[0].pos)


@cb("elements")
def _elements(c: C) -> list[ast.Expr]:
    items: list[ast.Expr] = c[0]
    return items


@cb("key_value")
def _key_value(c: C) -> ast.KeyValueExpr:
    return ast.KeyValueExpr(c[0].pos, c[2].end, c[0], c[2])


@cb("nonnil")
def _nonnil(c: C) -> ast.NonNilExpr:
    return ast.NonNilExpr(c[0].pos, c[1].end, c[0])


@cb("try")
def _try(c: C) -> ast.TryExpr:
    msg = None
    if len(c) == 3:
        t: Tok = c[2]
        msg = ast.BasicLit(t.pos, t.end, "STRING", t.text)
    return ast.TryExpr(c[0].pos, c[-1].end, c[0], msg)


@cb("basic_lit")
def _basic_lit(c: C) -> ast.BasicLit:
    t: Tok = c[0]
    return ast.BasicLit(t.pos, t.end, t.kind, t.text)


@cb("func_lit")
def _func_lit(c: C) -> ast.FuncLit:
    ftype: ast.FuncType = c[0]
    body = ast.BlockStmt(c[1].pos, c[3].end, [s for s in c[2] if s is not None])
    return ast.FuncLit(ftype.pos, body.end, ftype, body)
