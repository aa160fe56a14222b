"""``tgo migrate --enums``: a named integer or string type with a ``const`` block of its members to an ``enum``, where every use stays valid and behaves the same.

``type Color int`` with ``const ( Red Color = iota; Green; Blue )`` becomes
``type Color enum { Red; Green; Blue }`` (spec §3): the const block moves into the
enum's body (its comments and blank lines with it, its doc comment at the top of the
body) and goes. It converts only when:

* the type is declared at package level as ``type T B``, ``B`` a predeclared integer or
  string type, not generic, not an alias;
* its members (every constant of type ``T`` in the package) are the whole of one
  grouped ``const`` declaration, one name per line, none named ``_``; the first has the
  type ``T`` and a value; a member without a value follows one whose value uses
  ``iota`` (Go repeats that expression, as the enum does; after any other value the
  enum counts on by one where Go would repeat); a string enum's members all have values;
* no value of ``T`` takes part in arithmetic (``+``, ``|``, ``-x``, ``++``, ``+=``, …),
  and a conversion ``T(x)`` converts a constant that is a member's value;
* the generated API (``String``, ``IsValid``, ``MarshalText``, ``UnmarshalText``,
  ``ParseT``, ``TValues``, spec §3) changes nothing: the methods the enum adds that
  ``fmt``, ``encoding/json`` and the other encoders look for (``String``,
  ``MarshalText``, ``UnmarshalText``) either existed already, or no other package can
  get a value holding a ``T`` (``T`` is unexported, and so is every constant, variable,
  function, method and field whose type holds it) and no such value reaches an
  interface in the package (an
  argument, assignment, return, literal element, send or conversion whose type is an
  interface or a type parameter). ``IsValid``, ``ParseT`` and ``TValues`` are added (a
  type assertion to an interface with ``IsValid() bool`` would see the difference);
* and the package checked with the conversion (Go's own type errors included) has no
  diagnostic the original does not have.

The user's ``String`` (hand-written, or ``stringer``'s) is kept, since the generator
leaves out a method the user declares: its output cannot change. Each declaration of
the API that is, token for token, what the generator writes (as in Go code lowered
from an enum) is removed, the generator writing it again; ``String`` goes only with
its ``_T_name`` and ``_T_index`` tables. An import only they used goes with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from transpiler.check.checker import uses_iota
from transpiler.check.info import Info
from transpiler.check.snapshot import PackageCheck
from transpiler.diagnostics.fix import TextEdit
from transpiler.migrate.layout import formatted_type
from transpiler.migrate.recheck import Recheck
from transpiler.migrate.report import IN_GO_FILE, Report
from transpiler.migrate.spans import doc_start, line_span, removals, unused_imports
from transpiler.migrate.trys import own_nodes
from transpiler.syntax import ast
from transpiler.types.model import (
    Array,
    Basic,
    Chan,
    Const,
    Func,
    Interface,
    Map,
    Named,
    Pointer,
    Signature,
    Slice,
    Struct,
    Type,
    TypeName,
    TypeParam,
    UnknownType,
    Var,
)

NOT_ONE_BLOCK = "the members are not one const block of their own"
IMPLICIT_VALUE = "a member without a value would get another value in an enum"
BLANK_MEMBER = "a member is named _"
ARITHMETIC = "arithmetic on its values"
CONVERSION = "a conversion from a value that is not a member"
REACHES_INTERFACE = "it would gain String/MarshalText/UnmarshalText and its values reach an interface"
EXPORTED = "other packages can have its values, and it would gain String/MarshalText/UnmarshalText"
NEW_DIAGNOSTICS = "the converted package does not check as cleanly"

_ARITH = {"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "&^"}
_OBSERVED = ("String", "MarshalText", "UnmarshalText")  # what fmt and the encoders look for


@dataclass(slots=True)
class _File:
    name: str
    text: str
    tree: ast.File
    comments: list[tuple[int, int]]


def enum_edits(check: PackageCheck, verify: bool = True) -> Report:
    """The ``--enums`` edits of a checked package (see the module docstring)."""
    report = Report()
    if check.checker is None:
        return report
    info = check.checker.info
    files = [_File(fi.result.source.name, fi.result.source.text, fi.tree, [(c.pos, c.end) for c in fi.tree.comments])
             for fi in check.infos if fi.result.tree is not None]
    tgo_files = {fi.result.source.name for fi in check.infos if fi.is_tgo}
    recheck = Recheck(check)
    for f in files:
        for spec in ast.type_specs(f.tree):
            obj = info.defs.get(spec.name)
            if not isinstance(obj, TypeName) or not _candidate(spec, obj):
                continue
            members = [c for c in info.pkg.scope.names.values()
                       if isinstance(c, Const) and isinstance(c.type, Named) and c.type.obj is obj]
            if not members:
                continue
            made = _convert(info, files, f, spec, obj, members)
            if isinstance(made, str):
                report.skip(f.name, spec.pos, made)
                continue
            if any(e.file not in tgo_files for e in made):
                report.skip(f.name, spec.pos, IN_GO_FILE)
                continue
            if verify and recheck.added(made):
                report.skip(f.name, spec.pos, NEW_DIAGNOSTICS)
                continue
            report.edits.extend(made)
            report.converted += 1
            report.names.append(spec.name.name)
    return report


def _candidate(spec: ast.TypeSpec, obj: TypeName) -> bool:
    if spec.type_params is not None or spec.assign or obj.is_alias or not isinstance(spec.type, ast.Ident):
        return False
    u = obj.underlying_type
    return isinstance(u, Basic) and u.kind in ("int", "uint", "string") and not u.untyped


def _convert(info: Info, files: list[_File], f: _File, spec: ast.TypeSpec,
             obj: TypeName, members: list[Const]) -> list[TextEdit] | str:
    block = _const_block(files, members)
    if block is None:
        return NOT_ONE_BLOCK
    cf, decl = block
    specs = [s for s in decl.specs if isinstance(s, ast.ValueSpec)]
    is_string = isinstance(obj.underlying_type, Basic) and obj.underlying_type.kind == "string"
    problem = _members_problem(specs, obj, is_string)
    if problem is not None:
        return problem
    api = _api_removals(files, obj, spec, members, specs, cf, decl, is_string)
    values = {c.value for c in members}
    problem = _uses_problem(info, files, obj, values, api)
    if problem is not None:
        return problem
    before = set(obj.methods)
    gained = [m for m in _OBSERVED if m not in before]
    if gained:
        if spec.name.name[0].isupper() or _exposed(info, obj):
            return EXPORTED
        if _reaches_interface(info, files, obj):
            return REACHES_INTERFACE
    return [*_enum_edits(f, spec, cf, decl, specs, is_string), *api]


def _const_block(files: list[_File], members: list[Const]) -> tuple[_File, ast.GenDecl] | None:
    """The grouped ``const`` declaration that declares exactly ``members``, one per spec."""
    wanted = {id(c.decl) for c in members}
    for f in files:
        for decl in f.tree.decls:
            if isinstance(decl, ast.GenDecl) and decl.tok == "const" and any(id(s) in wanted for s in decl.specs):
                ok = decl.lparen >= 0 and len(decl.specs) == len(members) and all(
                    id(s) in wanted and isinstance(s, ast.ValueSpec) and len(s.names) == 1 for s in decl.specs)
                return (f, decl) if ok else None
    return None


def _members_problem(specs: list[ast.ValueSpec], obj: TypeName, is_string: bool) -> str | None:
    first = specs[0]
    if not (isinstance(first.type, ast.Ident) and first.type.name == obj.name and first.values):
        return NOT_ONE_BLOCK
    last: ast.Expr | None = None
    for s in specs:
        if s.names[0].name == "_":
            return BLANK_MEMBER
        if s.values:
            if s is not first and not (isinstance(s.type, ast.Ident) and s.type.name == obj.name):
                return NOT_ONE_BLOCK
            last = s.values[0]
        elif s.type is not None or is_string or last is None or not uses_iota(last):
            return IMPLICIT_VALUE
    return None


def _nodes(files: list[_File], gone: dict[str, list[tuple[int, int]]]) -> Iterator[ast.Node]:
    """The nodes of ``files``, but those inside the spans ``gone`` removes."""
    for f in files:
        spans = gone.get(f.name, [])
        stack: list[ast.Node] = [f.tree]
        while stack:
            node = stack.pop()
            if any(a <= node.pos and node.end <= b for a, b in spans):
                continue
            yield node
            stack.extend(node.children())


def _is_t(info: Info, e: ast.Node, obj: TypeName) -> bool:
    if not isinstance(e, ast.Expr) or info.types is None:
        return False
    op = info.types.get(e)
    return op is not None and not op.is_type and isinstance(op.type, Named) and op.type.obj is obj


def _uses_problem(info: Info, files: list[_File], obj: TypeName, values: set[object],
                  removed: list[TextEdit]) -> str | None:
    """Why a use of ``T`` outside the ``removed`` declarations (the generator's own, which
    go) would not suit an enum, or None."""
    gone: dict[str, list[tuple[int, int]]] = {}
    for e in removed:
        gone.setdefault(e.file, []).append((e.start, e.end))
    for node in _nodes(files, gone):
        if isinstance(node, ast.BinaryExpr) and node.op in _ARITH and (_is_t(info, node.x, obj)
                                                                        or _is_t(info, node.y, obj)):
            return ARITHMETIC
        if isinstance(node, ast.UnaryExpr) and node.op in ("-", "+", "^") and _is_t(info, node.x, obj):
            return ARITHMETIC
        if isinstance(node, ast.IncDecStmt) and _is_t(info, node.x, obj):
            return ARITHMETIC
        if isinstance(node, ast.AssignStmt) and node.tok not in ("=", ":=") and any(_is_t(info, x, obj)
                                                                                  for x in node.lhs):
            return ARITHMETIC
        if isinstance(node, ast.CallExpr) and len(node.args) == 1:
            fun = node.fun
            while isinstance(fun, ast.ParenExpr):
                fun = fun.x
            if isinstance(fun, ast.Ident) and info.object_of(fun) is obj:
                op = info.types.get(node.args[0]) if info.types is not None else None
                if op is None or op.value is None or op.value not in values:
                    return CONVERSION
    return None


def _holds(t: Type, obj: TypeName, seen: set[int] | None = None) -> bool:
    """Whether a value of type ``t`` holds a ``T`` (``obj``) somewhere reflection can reach."""
    seen = set() if seen is None else seen
    if id(t) in seen:
        return False
    seen.add(id(t))
    if isinstance(t, Named):
        if t.obj is obj:
            return True
        if id(t.obj) in seen:
            return False
        seen.add(id(t.obj))
        return _holds(t.underlying(), obj, seen)
    if isinstance(t, (Pointer, Slice, Array, Chan)):
        return _holds(t.elem, obj, seen)
    if isinstance(t, Map):
        return _holds(t.key, obj, seen) or _holds(t.elem, obj, seen)
    if isinstance(t, Struct):
        return any(_holds(fl.type, obj, seen) for fl in t.fields)
    return False


def _exposed(info: Info, obj: TypeName) -> bool:
    """Whether another package can get a value holding a ``T``: through an exported constant,
    variable, function, method (of any type: an interface reaches it) or struct field."""
    def sig_holds(sig: object) -> bool:
        return isinstance(sig, Signature) and any(_holds(v.type, obj) for v in (*sig.params, *sig.results))

    for name, o in info.pkg.scope.names.items():
        exported = name[:1].isupper()
        if isinstance(o, (Const, Var)) and exported and _holds(o.type, obj):
            return True
        if isinstance(o, Func) and exported and sig_holds(o.sig):
            return True
        if isinstance(o, TypeName):
            if exported and o is not obj and _holds(o.underlying_type, obj):
                return True
            if any(m[:1].isupper() and sig_holds(f.sig) for m, f in o.methods.items()):
                return True
            u = o.underlying_type
            if isinstance(u, Struct) and any(fl.name[:1].isupper() and _holds(fl.type, obj) for fl in u.fields):
                return True
    return False


def _open(t: Type | None) -> bool:
    """Whether a value put where ``t`` is expected may become an interface value."""
    if t is None or isinstance(t, (UnknownType, TypeParam)):
        return True
    return isinstance(t.underlying(), (Interface, UnknownType, TypeParam))


def _reaches_interface(info: Info, files: list[_File], obj: TypeName) -> bool:
    """Whether a value of a type holding ``T`` is put where an interface (or a type parameter,
    or a type the checker does not know) is expected, anywhere in the package."""
    types = info.types or {}

    def holds(e: ast.Expr) -> bool:
        op = types.get(e)
        return op is not None and not op.is_type and _holds(op.type, obj)

    for f in files:
        for func in ast.walk(f.tree):
            if not isinstance(func, (ast.FuncDecl, ast.FuncLit)) or func.body is None:
                continue
            results = _results(info, func)
            for node in own_nodes(func.body):
                if isinstance(node, ast.ReturnStmt) and any(
                        holds(r) and (results is None or i >= len(results) or _open(results[i]))
                        for i, r in enumerate(node.results)):
                    return True
        for node in ast.walk(f.tree):
            if isinstance(node, ast.CallExpr) and _call_reaches(info, node, holds):
                return True
            if isinstance(node, ast.AssignStmt) and node.tok == "=" and len(node.lhs) == len(node.rhs) and any(
                    holds(r) and _open(info.type_of(x)) and not (isinstance(x, ast.Ident) and x.name == "_")
                    for x, r in zip(node.lhs, node.rhs, strict=True)):
                return True
            if isinstance(node, ast.ValueSpec) and node.type is not None and node.values and \
                    any(holds(v) for v in node.values) and _open(info.type_of(node.type)):
                return True
            if isinstance(node, ast.SendStmt) and holds(node.value):
                ct = info.type_of(node.chan)
                if ct is None or not isinstance(ct.underlying(), Chan) or _open(_elem(ct)):
                    return True
            if isinstance(node, ast.CompositeLit) and _literal_reaches(info, node, holds):
                return True
    return False


def _elem(t: Type) -> Type | None:
    u = t.underlying()
    return u.elem if isinstance(u, (Chan, Slice, Array, Pointer)) else u.elem if isinstance(u, Map) else None


def _results(info: Info, func: ast.FuncDecl | ast.FuncLit) -> list[Type] | None:
    sig: Type | None
    if isinstance(func, ast.FuncDecl):
        o = info.defs.get(func.name)
        sig = o.sig if isinstance(o, Func) else None
    else:
        sig = info.type_of(func)
    return [r.type for r in sig.results] if isinstance(sig, Signature) else None


def _call_reaches(info: Info, call: ast.CallExpr, holds: Callable[[ast.Expr], bool]) -> bool:
    args = [a for a in call.args if holds(a)]
    if not args:
        return False
    op = info.types.get(call.fun) if info.types is not None else None
    if op is not None and op.is_type:  # a conversion
        return _open(op.type)
    sig = info.type_of(call.fun)
    if not isinstance(sig, Signature):
        fun = call.fun
        name = fun.name if isinstance(fun, ast.Ident) else ""
        if name in ("len", "cap", "delete", "min", "max", "print", "println", "copy", "clear"):
            return False
        if name == "append" and call.args:
            st = info.type_of(call.args[0])
            return st is None or _open(_elem(st)) if st is not None and isinstance(st.underlying(), Slice) else True
        return True  # panic, a call of something the checker does not know
    params = [p.type for p in sig.params]
    for i, a in enumerate(call.args):
        if not holds(a):
            continue
        if i < len(params) - (1 if sig.variadic else 0):
            want: Type | None = params[i]
        elif sig.variadic and params:
            last = params[-1]
            want = last if call.ellipsis >= 0 else _elem(last)
        else:
            want = None
        if _open(want):
            return True
    return False


def _literal_reaches(info: Info, lit: ast.CompositeLit, holds: Callable[[ast.Expr], bool]) -> bool:
    t = info.type_of(lit)
    u = t.underlying() if t is not None else None
    if isinstance(u, Pointer):
        u = u.elem.underlying()
    for i, el in enumerate(lit.elts):
        key: ast.Expr | None = el.key if isinstance(el, ast.KeyValueExpr) else None
        value = el.value if isinstance(el, ast.KeyValueExpr) else el
        if isinstance(u, Map):
            if (key is not None and holds(key) and _open(u.key)) or (holds(value) and _open(u.elem)):
                return True
            continue
        if not holds(value):
            continue
        if isinstance(u, Struct):
            fld = u.field(key.name) if isinstance(key, ast.Ident) else u.fields[i] if key is None and \
                i < len(u.fields) else None
            if fld is None or _open(fld.type):
                return True
        elif isinstance(u, (Slice, Array)):
            if _open(u.elem):
                return True
        else:
            return True
    return False


# ------------------------------------------------------------------ the edits


def _enum_text(cf: _File, decl: ast.GenDecl, specs: list[ast.ValueSpec], is_string: bool, base: str) -> str:
    """``enum [base] { … }`` made of the const block ``decl`` of ``cf``: its doc comment, then its
    text with each spec a member."""
    text = cf.text
    body: list[str] = []
    doc = doc_start(text, decl.pos)
    line = text.rfind("\n", 0, decl.pos) + 1
    if doc < line:  # the block's doc comment opens the enum's body
        body.extend("\n\t" + ln.strip() for ln in text[doc:line].splitlines())
    cursor = decl.lparen + 1
    for s in specs:
        body.append(text[cursor:s.pos])
        name = s.names[0].name
        v = s.values[0] if s.values else None
        if v is None or (s is specs[0] and not is_string and isinstance(v, ast.Ident) and v.name == "iota"):
            body.append(name)
        else:
            body.append(f"{name} = {text[v.pos:v.end]}")
        cursor = s.end
    body.append(text[cursor:decl.end - 1])
    inner = "".join(body)
    if not inner.startswith("\n"):
        inner = "\n\t" + inner.lstrip()
    if not inner.endswith("\n"):
        inner = inner.rstrip() + "\n"
    return ("enum" if base == "int" else f"enum {base}") + f" {{{inner}}}"


def _enum_edits(f: _File, spec: ast.TypeSpec, cf: _File, decl: ast.GenDecl, specs: list[ast.ValueSpec],
                is_string: bool) -> list[TextEdit]:
    """The type made an enum, and the const block gone (with its doc comment)."""
    assert isinstance(spec.type, ast.Ident)
    enum = _enum_text(cf, decl, specs, is_string, spec.type.name)
    line_start = f.text.rfind("\n", 0, spec.pos) + 1
    if f.text[line_start:spec.pos] == "type ":  # alone at the top level: laid out as gofmt would
        enum = formatted_type(spec.name.name, enum)
    edits = [TextEdit(f.name, spec.type.pos, spec.type.end, enum)]
    span = line_span(cf.text, doc_start(cf.text, decl.pos), decl.end)
    edits.extend(removals(cf.name, cf.text, [span if span is not None else (decl.pos, decl.end)]))
    return edits


def _api_removals(files: list[_File], obj: TypeName, spec: ast.TypeSpec, members: list[Const],
                  specs: list[ast.ValueSpec], cf: _File, decl: ast.GenDecl, is_string: bool) -> list[TextEdit]:
    """The removals of the user's API declarations that are what the generator writes, and of
    the imports only they used."""
    generated = _generated_api(obj.name, spec, specs, cf, decl, is_string)
    if not generated:
        return []
    found: dict[str, tuple[_File, ast.Decl]] = {}
    for f in files:
        for d in f.tree.decls:
            key = _api_key(d, obj.name)
            if key is not None and key in generated and key not in found:
                found[key] = (f, d)
    same = {k for k, (f, d) in found.items() if _tokens(f.text[d.pos:d.end]) == generated[k]}
    helpers = {k for k in generated if k.startswith("_")}
    if "String" in same and not helpers <= same:
        same.discard("String")
    if "String" not in same:
        same -= helpers
    spans: dict[str, list[tuple[int, int]]] = {}
    gone: dict[str, list[tuple[int, int]]] = {}
    texts = {f.name: f for f in files}
    for k in same:
        f, d = found[k]
        start = doc_start(f.text, d.pos)
        span = line_span(f.text, start, d.end)
        spans.setdefault(f.name, []).append(span if span is not None else (d.pos, d.end))
        gone.setdefault(f.name, []).append((d.pos, d.end))
    for name, removed in gone.items():
        spans[name].extend(unused_imports(texts[name].text, texts[name].tree, [(a, b, "") for a, b in removed]))
    out: list[TextEdit] = []
    for name, ss in spans.items():
        out.extend(removals(name, texts[name].text, ss))
    return out


def _api_key(d: ast.Decl, type_name: str) -> str | None:
    """Which piece of the generated API ``d`` would be: a method name, the parse or values
    function's name, or a helper table's name (``_T_name``)."""
    if isinstance(d, ast.FuncDecl):
        if d.recv is not None and d.recv.list:
            t = d.recv.list[0].type
            if isinstance(t, ast.StarExpr):
                t = t.x
            return d.name.name if isinstance(t, ast.Ident) and t.name == type_name else None
        if d.name.name in (f"Parse{type_name}", f"{type_name}Values"):
            return d.name.name
        return None
    if isinstance(d, ast.GenDecl) and d.tok in ("const", "var") and d.lparen < 0 and len(d.specs) == 1:
        s = d.specs[0]
        if isinstance(s, ast.ValueSpec) and len(s.names) == 1 and s.names[0].name.startswith(f"_{type_name}_"):
            return s.names[0].name
    return None


def _tokens(text: str) -> list[str]:
    """The text's Go tokens without comments (what two declarations are compared by)."""
    from transpiler.syntax.scanner import scan

    return [t.text for t in scan(text).tokens]


def _generated_api(name: str, spec: ast.TypeSpec, specs: list[ast.ValueSpec], cf: _File, decl: ast.GenDecl,
                   is_string: bool) -> dict[str, list[str]]:
    """What the generator writes for the enum, alone in a file: each declaration of its API by
    key (``_api_key``), as tokens. Empty when the lowering refuses it."""
    from transpiler.lower.edits import LowerError
    from transpiler.lower.lowering import lower_alone
    from transpiler.syntax import parse_source

    assert isinstance(spec.type, ast.Ident)
    enum_text = _enum_text(cf, decl, specs, is_string, spec.type.name)
    source = f"package p\n\ntype {name} {enum_text}\n"
    try:
        lowered = lower_alone(parse_source(source.encode(), "enum.tgo"), "enum.tgo")
    except (LowerError, OSError):
        return {}
    tree = parse_source(lowered.encode(), "enum_tgo.go").tree
    if tree is None:
        return {}
    out: dict[str, list[str]] = {}
    for d in tree.decls:
        key = _api_key(d, name)
        if key is not None:
            out[key] = _tokens(lowered[d.pos:d.end])
    return out
