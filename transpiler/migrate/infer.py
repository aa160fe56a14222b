"""Nullability inference: which declarations of the files being migrated can hold nil, as the checker's nil rules prove it.

The checker, run on the files as if they were ``.tgo`` files, reports every place where
nil reaches a declaration written non-nil: a ``nil`` literal assigned, passed or
returned (``nil-assign``), a variable's zero value or an omitted composite-literal field
(``nil-init``; not the fields of ``new(S)`` or ``var s S``: see ``zero_value``), a map lookup or a receive flowing into a declaration, a result of a
function that is already nullable (a stub, another ``.tgo`` file, a package migrated
before). Each such report carries the fix ``declare_nullable`` (``?`` before the
declared type). Applying every such fix and checking again makes the new ``?``
types flow further (assignments, calls, returns, closures), until no fix is left: a
least fixpoint, as nilaway's constraint solving gives, with each step proven by the
checker. Parameters of exported functions that nothing in the module passes nil to
stay non-nil; ``exported_param_edits`` makes those the function itself compares with
nil nullable (the evidence that callers outside the module may pass nil). Nil put into a
slice's elements is followed by ``element_flows`` (the checker does not compare slice types
by their elements' ``?``); nil passed to, or left by a literal in, another package of the
module (``passed_nil``, ``fields_left_nil``) is that package's to take (``param_edits``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from transpiler.check.info import Info
from transpiler.check.rules.fixes import nullable_edit
from transpiler.check.snapshot import PackageCheck
from transpiler.diagnostics import codes
from transpiler.diagnostics.diagnostic import Diagnostic
from transpiler.diagnostics.fix import TextEdit
from transpiler.syntax import ast
from transpiler.types.model import (
    Array,
    Func,
    Named,
    Null,
    Pointer,
    Signature,
    Slice,
    Struct,
    Type,
    TypeName,
    Var,
    can_be_nil,
    nullability,
)

NIL_FLOW_CODES = frozenset({codes.NIL_ASSIGN.name, codes.NIL_INIT.name})
"""The codes whose fixes say that nil reaches a declaration."""


def nullable_fixes(diagnostics: Iterable[Diagnostic], files: set[str],
                   zero_fields: bool | frozenset[str] = False, tests_reach: bool = True) -> list[TextEdit]:
    """The ``?`` edits of the nil-flow diagnostics of ``files``, each declaration once (a fix is
    taken only when all its edits fall in ``files``: declarations elsewhere are not ours;
    the fix of a zero value only with ``zero_fields``: all, or those of the struct types it
    names, as ``zero_type`` gives them; without ``tests_reach``, not a fix of a test file's
    finding that edits a file that is not a test: ``from_tests``)."""
    found: dict[tuple[str, int], TextEdit] = {}
    for d in diagnostics:
        if d.code not in NIL_FLOW_CODES or d.file not in files:
            continue
        if zero_value(d) and not (zero_fields is True or (zero_fields and zero_type(d) in zero_fields)):
            continue
        for fix in d.fixes:
            if fix.edits and all(e.new_text == "?" and e.start == e.end and e.file in files for e in fix.edits):
                if not tests_reach and from_tests(d.file, fix.edits):
                    break
                for e in fix.edits:
                    found.setdefault((e.file, e.start), e)
                break
    return sorted(found.values(), key=lambda e: (e.file, e.start))


def is_test(file: str) -> bool:
    return file.endswith("_test.tgo")


def from_tests(file: str, edits: Iterable[TextEdit]) -> bool:
    """Whether a finding of ``file`` whose fix is ``edits`` is nil that a test file passes (or
    assigns, returns) into a declaration of a file that is not a test. The pipeline migrates a
    package whose tests do that both ways, with the ``?`` and with an ignore at the test's
    line (nil that only tests pass makes every use of the declaration in the package's code
    unproven), and keeps the one with fewer marks."""
    return is_test(file) and any(not is_test(e.file) for e in edits)


def zero_value(d: Diagnostic) -> bool:
    """Whether ``d`` is ``nil-init`` of a zero value, ``new(S)`` or ``var s S`` for a struct
    with non-nil fields. Its fix (those fields ``?``) is often the worse one: the idiom is
    to set the fields right after (``s := new(S); s.p = p``), and ``?`` there makes every
    later use of the field unproven, where an ignore at the site is one mark. The pipeline
    tries both and keeps the one with fewer marks."""
    return d.code == codes.NIL_INIT.name and "how" in dict(d.fields)


def zero_type(d: Diagnostic) -> str:
    """The struct type whose zero value ``d`` (``zero_value``) is about."""
    return str(dict(d.fields).get("type", ""))


def zero_fields_of(d: Diagnostic) -> list[str]:
    """The fields (last names: ``conf.log`` is ``log``) the zero value of ``d`` leaves nil."""
    return [f.strip().rsplit(".", 1)[-1] for f in str(dict(d.fields).get("fields", "")).split(",") if f.strip()]


def exported_param_edits(info: Info, trees: dict[str, ast.File], text: dict[str, str]) -> list[TextEdit]:
    """``?`` on each non-nil parameter of an exported function or method of ``trees`` that its
    body compares with nil (``p == nil``, ``p != nil``): evidence that callers may pass nil."""
    out: list[TextEdit] = []
    for path, tree in trees.items():
        for decl in tree.decls:
            if not isinstance(decl, ast.FuncDecl) or decl.body is None or not decl.name.name[:1].isupper():
                continue
            params: dict[str, Var] = {}
            for field in decl.type.params.list:
                for name in field.names:
                    obj = info.defs.get(name)
                    if isinstance(obj, Var) and can_be_nil(obj.type) and nullability(obj.type) is Null.NONNIL:
                        params[name.name] = obj
            if not params:
                continue
            compared = {name for name in Evidence(tree, text[path]).all_compared(decl.body) if name in params}
            for pname in sorted(compared):
                edit = nullable_edit(info, params[pname], path)
                if edit is not None:
                    out.append(edit)
    return out


ParamRef = tuple[str, str, str | None, int]
"""A parameter of a function of another package: (its import path, the function's name,
its receiver's type name or None, the parameter's index); or, with the index ``FIELD``, a
field of a struct type of another package: (its import path, the field's name, the type's
name, ``FIELD``)."""

FIELD = -1


def passed_nil(pc: PackageCheck, diagnostics: Iterable[Diagnostic], module: str) -> set[ParamRef]:
    """The parameters of functions of other packages of ``module`` (an import path prefix)
    that ``diagnostics`` (nil-assign findings of ``pc`` without a fix) say nil is passed to."""
    out: set[ParamRef] = set()
    if pc.checker is None:
        return out
    info = pc.checker.info
    for d in diagnostics:
        what = dict(d.fields).get("what")
        if d.code != codes.NIL_ASSIGN.name or d.span is None or not isinstance(what, str) or \
                not what.startswith("argument "):
            continue
        path = info.path_at(d.file, d.span[0], d.span[1])
        call = next((n for n in reversed(path) if isinstance(n, ast.CallExpr)), None)
        if call is None or call.ellipsis >= 0:
            continue
        index = next((i for i, a in enumerate(call.args) if a.pos <= d.span[0] and d.span[1] <= a.end), None)
        fun = call.fun.sel if isinstance(call.fun, ast.SelectorExpr) else call.fun
        obj = info.uses.get(fun) if isinstance(fun, ast.Ident) and info.uses is not None else None
        if index is None or not isinstance(obj, Func) or obj.pkg is None or obj.pkg is info.pkg:
            continue
        if isinstance(call.fun, ast.SelectorExpr) and obj.recv_type is not None and _is_type(info, call.fun.x):
            index -= 1  # a method expression, (*T).M(x, nil): its first argument is the receiver
            if index < 0:
                continue
        if isinstance(obj.sig, Signature) and obj.sig.variadic:
            index = min(index, len(obj.sig.params) - 1)  # (an element of the variadic parameter)
        if obj.pkg.path == module or obj.pkg.path.startswith(module + "/"):
            recv = obj.recv_type.name if obj.recv_type is not None else None
            out.add((obj.pkg.path, obj.name, recv, index))
    return out


def _is_type(info: Info, e: ast.Expr) -> bool:
    """Whether the checker recorded ``e`` as a type (``T``, ``*T``, ``(*p.T)``)."""
    op = info.types.get(e) if info.types is not None else None
    return op is not None and op.is_type


def fields_left_nil(pc: PackageCheck, diagnostics: Iterable[Diagnostic], module: str) -> set[ParamRef]:
    """The fields of struct types of other packages of ``module`` (an import path prefix) that
    a composite literal leaves nil (nil-init findings of ``pc`` without a fix; not a zero
    value's, not a field of an embedded or nested struct)."""
    out: set[ParamRef] = set()
    if pc.checker is None:
        return out
    info = pc.checker.info
    for d in diagnostics:
        fields = dict(d.fields)
        if d.code != codes.NIL_INIT.name or d.fixes or d.span is None or "how" in fields or "fields" not in fields:
            continue
        lit = next((n for n in reversed(info.path_at(d.file, d.span[0], d.span[1]))
                    if isinstance(n, ast.CompositeLit)), None)
        t = _op_type(info, lit) if lit is not None else None
        if isinstance(t, Pointer):
            t = t.elem
        if not isinstance(t, Named) or t.obj.pkg is None or t.obj.pkg is info.pkg or \
                not (t.obj.pkg.path == module or t.obj.pkg.path.startswith(module + "/")):
            continue
        for name in str(fields["fields"]).split(","):
            if name.strip() and "." not in name:
                out.add((t.obj.pkg.path, name.strip(), t.obj.name, FIELD))
    return out


def param_edits(file: str, tree: ast.File, wanted: set[ParamRef]) -> list[TextEdit]:
    """``?`` on the parameters (and fields: ``FIELD``) ``wanted`` names that ``tree`` (the file
    ``file``) declares (once on a type that several names share: ``x, y T``)."""
    out: dict[int, TextEdit] = {}
    struct_fields = {(ref[2], ref[1]) for ref in wanted if ref[3] == FIELD}
    for decl in tree.decls if struct_fields else ():
        for spec in decl.specs if isinstance(decl, ast.GenDecl) else ():
            if isinstance(spec, ast.TypeSpec) and isinstance(spec.type, ast.StructType):
                for field in spec.type.fields.list:
                    if any((spec.name.name, n.name) in struct_fields for n in field.names) and \
                            not isinstance(field.type, ast.NullableType):
                        out.setdefault(field.type.pos, TextEdit(file, field.type.pos, field.type.pos, "?"))
    for decl in tree.decls:
        if not isinstance(decl, ast.FuncDecl):
            continue
        recv = _recv_name(decl)
        fields = [f for f in decl.type.params.list for _ in range(max(1, len(f.names)))]
        for _path, name, want_recv, index in wanted:
            if index == FIELD or name != decl.name.name or want_recv != recv or index >= len(fields):
                continue
            typ = fields[index].type
            if isinstance(typ, ast.Ellipsis):  # (a variadic parameter: the argument is one element of it)
                if typ.elt is None:
                    continue
                typ = typ.elt
            if not isinstance(typ, ast.NullableType):
                out.setdefault(typ.pos, TextEdit(file, typ.pos, typ.pos, "?"))
    return sorted(out.values(), key=lambda e: e.start)


def _recv_name(decl: ast.FuncDecl) -> str | None:
    if decl.recv is None or not decl.recv.list:
        return None
    t = decl.recv.list[0].type
    while isinstance(t, (ast.StarExpr, ast.ParenExpr, ast.NullableType, ast.IndexExpr)):
        t = t.x
    return t.name if isinstance(t, ast.Ident) else None


def enclosing_function(tree: ast.File, span: tuple[int, int]) -> ast.Node | None:
    """The innermost function declaration or literal of ``tree`` holding ``span``."""
    pos, end = span
    found: ast.Node | None = None
    # down the one path of nodes holding the span (not the whole declaration: this runs per finding)
    node: ast.Node | None = next((d for d in tree.decls if d.pos <= pos and end <= d.end), None)
    while node is not None:
        if isinstance(node, (ast.FuncDecl, ast.FuncLit)):
            found = node
        node = next((k for k in node.kids() if k.pos <= pos and end <= k.end), None)
    return found


class Evidence:
    """What the functions of one file (``tree``, its text ``text``) show about their values,
    gathered once per function (a settle round asks per finding, and the functions of tests
    can be long): the expressions each compares with nil, and the variables each sets from
    a call whose error it drops (``v, _ := f()``), with where each ends."""

    def __init__(self, tree: ast.File, text: str) -> None:
        self.tree = tree
        self.text = text
        self._facts: dict[int, tuple[list[tuple[int, str]], list[tuple[int, str]]]] = {}

    def _of(self, func: ast.Node) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        found = self._facts.get(id(func))
        if found is None:
            compared: list[tuple[int, str]] = []
            dropped: list[tuple[int, str]] = []
            for n in ast.walk(func):
                if isinstance(n, ast.BinaryExpr) and n.op in ("==", "!="):
                    for a, b in ((n.x, n.y), (n.y, n.x)):
                        if isinstance(b, ast.Ident) and b.name == "nil":
                            compared.append((n.end, self.text[a.pos:a.end]))
                    continue
                if isinstance(n, ast.AssignStmt) and n.tok in ("=", ":="):
                    lhs, rhs = n.lhs, n.rhs
                elif isinstance(n, ast.ValueSpec):
                    lhs, rhs = list(n.names), n.values
                else:
                    continue
                if len(rhs) == 1 and isinstance(rhs[0], ast.CallExpr) and len(lhs) >= 2 and \
                        isinstance(lhs[-1], ast.Ident) and lhs[-1].name == "_":
                    dropped += [(n.end, x.name) for x in lhs[:-1] if isinstance(x, ast.Ident)]
            found = self._facts[id(func)] = (compared, dropped)
        return found

    def all_compared(self, func: ast.Node) -> list[str]:
        """The text of each expression ``func`` compares with nil."""
        return [t for _end, t in self._of(func)[0]]

    def compared(self, span: tuple[int, int]) -> bool:
        """Whether the function holding ``span`` compares its expression with nil before it."""
        func = enclosing_function(self.tree, span)
        if func is None:
            return False
        want = self.text[span[0]:span[1]]
        return any(end <= span[0] and t == want for end, t in self._of(func)[0])

    def dropped(self, span: tuple[int, int]) -> bool:
        """Whether ``span`` is a variable that its function set, before ``span``, from a call
        whose error it dropped: ``v, _ := f()`` (the author takes the call to succeed, and the
        ``(T, error)`` contract then says ``v`` is not nil), and that it never compares with
        nil (``v, _ := f()`` then ``if v == nil``: the author does not take the call to succeed,
        and the nil flows on)."""
        name = self.text[span[0]:span[1]]
        func = enclosing_function(self.tree, span) if name.isidentifier() else None
        if func is None:
            return False
        compared, dropped = self._of(func)
        return any(end <= span[0] and n == name for end, n in dropped) and \
            all(t != name for _end, t in compared)


def error_dropped(tree: ast.File, text: str, span: tuple[int, int]) -> bool:
    """``Evidence.dropped`` of one span."""
    return Evidence(tree, text).dropped(span)


# --- element nullability: [] ?T, ...?T ---------------------------------------------------------
#
# The checker checks a value put into a slice element against the element type (nil-assign,
# "element"), but compares slice types without their elements' nil marks: a ``[]?T`` value goes
# where ``[]T`` is declared with no finding. So the inference follows those flows itself: a
# ``?`` written on the element type of a slice literal (the fix of its element's finding) is
# written on every declaration the slice then flows into (an assignment, a field of a literal,
# an argument, a variadic argument spread with ``...``, a conversion, a return), so that what a
# declaration says of its elements stays true, and the checker then checks their uses.


def _element_finding(d: Diagnostic) -> bool:
    """Whether ``d`` is nil put into a slice's element where no declaration takes a ``?``:
    nil-assign of an "element" without a fix. (Not ``make([]T, n)`` of non-nil elements: the
    idiom fills them right after, ``copy(s, src)``, as a zero value's fields are set; ``?`` on
    its element type would say nil reaches what it is returned to, often exported API.)"""
    return not d.fixes and d.code == codes.NIL_ASSIGN.name and dict(d.fields).get("what") == "element"


def asks_for_elements(diagnostics: Iterable[Diagnostic], files: Iterable[str], texts: Iterable[str]) -> bool:
    """Whether ``element_flows`` may find something: an element finding of ``files`` among
    ``diagnostics``, or a slice type of nullable elements written in ``texts``."""
    wanted = set(files)
    return any(d.file in wanted and _element_finding(d) for d in diagnostics) or \
        any(_NULLABLE_ELEMENTS.search(t) for t in texts)


_NULLABLE_ELEMENTS = re.compile(r"(\]|\.\.\.)\?")  # []?T, ...?T (and map[K]?V: a check more, no edit)


def _elem_nonnil(t: Type) -> bool:
    """Whether ``t`` is a slice or array type whose elements are declared non-nil."""
    u = t.underlying()
    return isinstance(u, (Slice, Array)) and can_be_nil(u.elem) and nullability(u.elem) is Null.NONNIL


def _elem_nullable(t: Type | None) -> bool:
    """Whether ``t`` is a slice or array type whose elements are declared nullable."""
    u = t.underlying() if t is not None else None
    return isinstance(u, (Slice, Array)) and can_be_nil(u.elem) and nullability(u.elem) is Null.NULLABLE


def _type_elem_edit(info: Info, typ: ast.Expr | None, file: str, files: set[str]) -> TextEdit | None:
    """``?`` before the element type that the type expression ``typ`` (of ``file``) writes:
    ``[]T``, ``[N]T``, ``...T``, or the name of a slice type of ``files`` (``type Ts []T``)."""
    while isinstance(typ, ast.ParenExpr):
        typ = typ.x
    if isinstance(typ, (ast.ArrayType, ast.Ellipsis)):
        elt = typ.elt
        if elt is None or isinstance(elt, ast.NullableType) or file not in files:
            return None
        return TextEdit(file, elt.pos, elt.pos, "?")
    name = typ.sel if isinstance(typ, ast.SelectorExpr) else typ
    obj = info.uses.get(name) if isinstance(name, ast.Ident) and info.uses is not None else None
    site = info.decl_sites.get(obj) if isinstance(obj, TypeName) else None
    if isinstance(obj, TypeName) and isinstance(obj.decl, ast.TypeSpec) and site is not None and not obj.type_params:
        return _type_elem_edit(info, obj.decl.type, site[1], files)
    return None


def _var_elem_edit(info: Info, obj: object, files: set[str]) -> TextEdit | None:
    """``?`` before the element type of the declared type of ``obj`` (a variable, parameter,
    result or field of ``files`` whose declared slice type has non-nil elements)."""
    if not isinstance(obj, Var) or not _elem_nonnil(obj.type):
        return None
    site = info.decl_sites.get(obj.declared)
    decl = obj.decl
    typ = decl.type if isinstance(decl, (ast.Field, ast.ValueSpec)) else None
    if site is None or typ is None:
        return None
    return _type_elem_edit(info, typ, site[1], files)


def _op_type(info: Info, e: ast.Expr) -> Type | None:
    op = info.types.get(e) if info.types is not None else None
    return op.type if op is not None else None


def element_flows(pc: PackageCheck, diagnostics: Iterable[Diagnostic], files: set[str],
                  module: str) -> tuple[list[TextEdit], set[ParamRef]]:
    """The ``?`` on element types that nil reaching a slice's elements asks for (``[]?T``):
    the literal, ``append`` or ``s[i] = v`` an element finding of ``diagnostics`` (nil-assign,
    "element", without a fix) is in, and every declaration of ``files`` that a slice of nullable elements
    flows into while it declares non-nil ones; and the variadic parameters of functions of
    the module's packages (an import path prefix) that such a slice is spread into."""
    edits: dict[tuple[str, int], TextEdit] = {}
    refs: set[ParamRef] = set()
    if pc.checker is None:
        return [], refs
    info = pc.checker.info

    def add(edit: TextEdit | None) -> None:
        if edit is not None:
            edits.setdefault((edit.file, edit.start), edit)

    for d in diagnostics:
        if d.file not in files or d.span is None or not _element_finding(d):
            continue
        for node in reversed(info.path_at(d.file, d.span[0], d.span[1])):
            if isinstance(node, ast.CompositeLit):
                if node.type is not None:
                    add(_type_elem_edit(info, node.type, d.file, files))
                break
            if isinstance(node, ast.CallExpr) and isinstance(node.fun, ast.Ident) and node.fun.name == "append":
                if node.args:
                    add(_expr_elem_edit(info, node.args[0], files))
                break
            if isinstance(node, ast.Stmt):
                if isinstance(node, ast.AssignStmt):  # s[i] = v
                    for lhs in node.lhs:
                        if isinstance(lhs, ast.IndexExpr) and lhs.pos <= d.span[0] and d.span[1] <= lhs.end:
                            add(_expr_elem_edit(info, lhs.x, files))
                break
    for path in sorted(files):
        tree = info.files.get(path)
        if tree is None:
            continue
        for n in ast.walk(tree):
            if isinstance(n, ast.CallExpr):
                _call_flows(info, n, path, files, module, add, refs)
            elif isinstance(n, ast.AssignStmt) and n.tok == "=" and len(n.lhs) == len(n.rhs):
                for lhs, rhs in zip(n.lhs, n.rhs, strict=True):
                    if _elem_nullable(_op_type(info, rhs)):
                        add(_expr_elem_edit(info, lhs, files))
            elif isinstance(n, ast.ValueSpec) and n.type is not None and len(n.names) == len(n.values):
                for name, value in zip(n.names, n.values, strict=True):
                    if _elem_nullable(_op_type(info, value)):
                        add(_var_elem_edit(info, info.defs.get(name), files))
            elif isinstance(n, ast.CompositeLit):
                lit = _op_type(info, n)
                u = lit.underlying() if lit is not None else None
                if isinstance(u, Struct):
                    fields = {f.name: f for f in u.fields}
                    for i, el in enumerate(n.elts):
                        if isinstance(el, ast.KeyValueExpr):
                            f = fields.get(el.key.name) if isinstance(el.key, ast.Ident) else None
                            v = el.value
                        else:
                            f = u.fields[i] if i < len(u.fields) else None
                            v = el
                        if f is not None and _elem_nullable(_op_type(info, v)):
                            add(_var_elem_edit(info, f, files))
            elif isinstance(n, (ast.FuncDecl, ast.FuncLit)):
                _return_flows(info, n, path, files, add)
    return sorted(edits.values(), key=lambda e: (e.file, e.start)), refs


def _expr_elem_edit(info: Info, e: ast.Expr, files: set[str]) -> TextEdit | None:
    """``_var_elem_edit`` of the variable or field ``e`` names (``x``, ``x.f``)."""
    while isinstance(e, ast.ParenExpr):
        e = e.x
    if isinstance(e, ast.Ident):
        obj = info.uses.get(e) if info.uses is not None else None
        return _var_elem_edit(info, obj if obj is not None else info.defs.get(e), files)
    if isinstance(e, ast.SelectorExpr):
        sel = info.selections.get(e) if info.selections is not None else None
        obj = sel.obj if sel is not None else (info.uses.get(e.sel) if info.uses is not None else None)
        return _var_elem_edit(info, obj, files)
    return None


def _call_flows(info: Info, call: ast.CallExpr, file: str, files: set[str], module: str,
                add: Callable[[TextEdit | None], None], refs: set[ParamRef]) -> None:
    """The flows of slices of nullable elements into a call's parameters (or a conversion)."""
    fop = info.types.get(call.fun) if info.types is not None else None
    if fop is None:
        return
    if fop.is_type:
        if len(call.args) == 1 and _elem_nullable(_op_type(info, call.args[0])) and _elem_nonnil(fop.type):
            add(_type_elem_edit(info, call.fun, file, files))
        return
    sig = fop.type.underlying()
    if not isinstance(sig, Signature):
        return
    fun = call.fun.sel if isinstance(call.fun, ast.SelectorExpr) else call.fun
    obj = info.uses.get(fun) if isinstance(fun, ast.Ident) and info.uses is not None else None
    for i, arg in enumerate(call.args):
        if i >= len(sig.params) or not _elem_nullable(_op_type(info, arg)):
            continue
        spread = sig.variadic and i == len(sig.params) - 1
        if spread and not (call.ellipsis >= 0 and i == len(call.args) - 1):
            continue  # (one element of the variadic parameter, itself a slice)
        param = sig.params[i]
        if not _elem_nonnil(param.type):
            continue
        if param.declared in info.decl_sites:
            add(_var_elem_edit(info, param, files))
        elif spread and isinstance(obj, Func) and obj.pkg is not None and obj.pkg is not info.pkg and \
                (obj.pkg.path == module or obj.pkg.path.startswith(module + "/")) and \
                not (isinstance(call.fun, ast.SelectorExpr) and _is_type(info, call.fun.x)):
            recv = obj.recv_type.name if obj.recv_type is not None else None
            refs.add((obj.pkg.path, obj.name, recv, i))


def _return_flows(info: Info, fn: ast.FuncDecl | ast.FuncLit, file: str, files: set[str],
                  add: Callable[[TextEdit | None], None]) -> None:
    """The flows of slices of nullable elements into the results of ``fn`` (of ``file``; its
    own returns, not those of the function literals in it)."""
    if fn.type.results is None or fn.body is None:
        return
    results = [f.type for f in fn.type.results.list for _ in range(max(1, len(f.names)))]
    todo: list[ast.Node] = list(fn.body.children())
    while todo:
        n = todo.pop()
        if isinstance(n, ast.FuncLit):
            continue
        todo.extend(n.children())
        if isinstance(n, ast.ReturnStmt) and len(n.results) == len(results):
            for typ, value in zip(results, n.results, strict=True):
                declared = _op_type(info, typ)
                if declared is not None and _elem_nonnil(declared) and _elem_nullable(_op_type(info, value)):
                    add(_type_elem_edit(info, typ, file, files))
