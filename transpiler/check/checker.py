"""The package checker: declarations, types of expressions, and the rules of spec §2-§6.

One ``PackageChecker`` checks one Go package: it declares every package-level
object of every file, resolves type expressions (a ``.tgo`` file's reference
types are non-nil unless written ``?T``; plain Go and oblivious files give
unknown nullability), then checks each function body over its control-flow
graph, carrying nil facts (facts.py) from block to block to a fixpoint and
reporting on a last pass.  What cannot be typed is ``UNKNOWN`` and is never
reported on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from transpiler.check.bodies import BodyMemo
from transpiler.check.facts import Nullness, Ref, State, child_ref
from transpiler.check.files import never_built
from transpiler.check.info import UNKNOWN_OP as UNKNOWN_OP
from transpiler.check.info import FileInfo as FileInfo
from transpiler.check.info import Info, Selection
from transpiler.check.info import Operand as Operand
from transpiler.check.narrow import ChainFacts
from transpiler.check.rules import enum_conversion
from transpiler.check.rules.fixes import assert_nonnil, declare_nullable, fields_nullable, guard_nonnil
from transpiler.check.typedecls import (
    Problem,
    enum_problem,
    existing_variant,
    nested_problem,
    nested_type_specs,
    type_param_names,
)
from transpiler.diagnostics import Diagnostic, codes
from transpiler.diagnostics import codes as M
from transpiler.diagnostics.fix import Fix
from transpiler.syntax import ast, kinds
from transpiler.types import constant
from transpiler.types.model import (
    UNKNOWN,
    Array,
    Basic,
    Builtin,
    Chan,
    Const,
    EnumInfo,
    Func,
    Interface,
    Map,
    Named,
    Nil,
    Null,
    Object,
    Package,
    PkgName,
    Pointer,
    Scope,
    Signature,
    Slice,
    Struct,
    Tuple,
    Type,
    TypeName,
    TypeParam,
    UnionInfo,
    UnknownType,
    Var,
    can_be_nil,
    identical,
    is_error_type,
    nullability,
    substitute,
    with_null,
)
from transpiler.types.universe import (
    BASIC,
    ERROR,
    UNIVERSE,
    UNTYPED_BOOL,
    UNTYPED_FLOAT,
    UNTYPED_INT,
    UNTYPED_NIL,
    UNTYPED_RUNE,
    UNTYPED_STRING,
)


def null_of_declared(t: Type) -> Nullness:
    n = nullability(t)
    if n is Null.NONNIL:
        return Nullness.NONNIL
    if n is Null.NULLABLE:
        return Nullness.MAYBE
    return Nullness.ANY


class Importer:
    """Resolves an import path to a Package (from stubs); None when there is no stub."""

    def __init__(self, load: Callable[[str], Package | None]) -> None:
        self._load = load
        self._cache: dict[str, Package | None] = {}
        # the names of the functions and methods of imported packages that never return
        # (stub directives, noreturn.infer): which calls may stop, for noreturn.infer
        self.noreturn_names: set[str] = set()

    def get(self, path: str) -> Package | None:
        if path not in self._cache:
            self._cache[path] = None  # an import cycle sees no package
            self._cache[path] = self._load(path)
        return self._cache[path]

    def import_error(self, path: str) -> str | None:
        """Why ``path`` cannot be imported, when the go command said so (else None: a package
        without a stub is simply unknown)."""
        return None


class PackageChecker:
    def __init__(self, files: list[FileInfo], importer: Importer, path: str = "", report: bool = True,
                 record: bool = False) -> None:
        self.files = files
        self.importer = importer
        name = files[0].tree.package.name if files else "p"
        self.pkg = Package(path, name, Scope(UNIVERSE))
        self.diags: list[Diagnostic] = []
        self.report_enabled = report
        self.decl_file: dict[ast.Node, FileInfo] = {}
        # what the checker finds, for the lowering and editors (info.py); with ``record``, also
        # the type of every expression, the selections and the scopes
        trees = {fi.result.source.name: fi.tree for fi in files}
        self.info = Info.recording(self.pkg, trees) if record else Info(self.pkg, files=trees)
        self.types = self.info.types
        self.uses = self.info.uses
        self.methods_pending: list[tuple[ast.FuncDecl, FileInfo]] = []
        self.typed = 0
        self.untyped = 0
        self._quiet = 0
        # identifier -> object, as the first pass over a body binds it in its block scope
        # (the flow pass then needs no scopes); info.uses records every use
        self.bound: dict[ast.Ident, Object] = {}
        self.universe_panic = UNIVERSE.names["panic"]
        self.type_errors_reported: set[ast.Node] = set()
        self.always: set[int] = set()  # (ids of) the diagnostics reported whatever the flow (report_always)
        self.nullable_pending: list[tuple[FileInfo, ast.NullableType, Named]] = []
        self.in_select_comm = False
        self.lenient_literals = 0  # > 0 while checking results returned with an error
        self.discarded: ast.Expr | None = None  # a literal stored only into _ (var _ I = &T{}): never read
        # the function being reported on: why a reference may be nil although checked before
        # (flowcheck.FunctionChecker.deref_hint): the check's line and the call it ends with
        self.deref_hint: Callable[[ast.Expr, Ref, State], tuple[int, str] | None] | None = None
        # checks one file's function bodies and package variables: flowcheck.check_bodies passes
        # it in (the flow checker sits above this module)
        self.body_checker: Callable[[PackageChecker, FileInfo], None] | None = None
        # bodies whose diagnostics may be reused (a diagnostics-only check: bodies.py)
        self.body_memo: BodyMemo | None = None

    def lookup(self, scope: Scope, e: ast.Ident) -> Object | None:
        obj = self.bound.get(e)
        return obj if obj is not None else scope.lookup(e.name)

    # ------------------------------------------------------------ reporting

    def report(self, fi: FileInfo, node: ast.Node, msg: codes.Message, severity: codes.Severity | None = None,
               *, fixes: tuple[Fix, ...] = (), **fields: object) -> None:
        """Report ``msg`` about ``node`` (its value: the diagnostic's span), with the fixes
        that resolve it."""
        self.emit(fi, node, msg, severity, fields, fixes)

    def emit(self, fi: FileInfo, node: ast.Node, msg: codes.Message, severity: codes.Severity | None,
             fields: Mapping[str, object], fixes: tuple[Fix, ...] = ()) -> None:
        """``report`` with the message's fields as a mapping."""
        if self._quiet or not self.report_enabled:
            return
        if msg.code is M.UNCHECKED_ERROR and not fi.strict:
            return  # plain Go and oblivious files may drop errors, as Go lets them (spec §6)
        src = fi.result.source
        self.diags.append(
            Diagnostic.make(msg, src.name, src.position(node.pos), src.position(node.end), severity, fields,
                            (node.pos, node.end), fixes)
        )

    def report_always(self, fi: FileInfo, node: ast.Node, msg: codes.Message, **fields: object) -> None:
        """Report even inside a quiet pass (for facts that do not depend on flow)."""
        saved, self._quiet = self._quiet, 0
        n = len(self.diags)
        try:
            self.emit(fi, node, msg, None, fields)
        finally:
            self._quiet = saved
        if len(self.diags) > n:
            self.always.add(id(self.diags[-1]))

    def text(self, fi: FileInfo, node: ast.Node) -> str:
        s = fi.result.source.text[node.pos : node.end]
        return s if len(s) <= 40 else s[:37] + "..."

    # ---------------------------------------------------------- declaration

    def declare_all(self) -> None:
        for fi in self.files:
            fi.scope.parent = self.pkg.scope
            if self.info.scopes is not None:
                self.info.scopes[fi.tree] = fi.scope
            for imp in fi.tree.imports:
                for spec in imp.specs:
                    if type(spec) is kinds.ImportSpec:
                        self._import(fi, spec)
            for decl in fi.tree.decls:
                if type(decl) is kinds.GenDecl:
                    for spec in decl.specs:
                        self._declare_spec(fi, decl, spec, self.pkg.scope)
                elif type(decl) is kinds.FuncDecl:
                    self.decl_file[decl] = fi
                    if decl.recv is None:
                        if decl.name.name not in ("init", "_"):
                            f = Func(decl.name.name, UNKNOWN, self.pkg, decl)
                            self.pkg.scope.names[decl.name.name] = f
                            self.info.define(decl.name, f, fi.result.source.name)
                    else:
                        self.methods_pending.append((decl, fi))

    def _import(self, fi: FileInfo, spec: ast.ImportSpec) -> None:
        path = spec.path.value.strip('"`')
        pkg = self.importer.get(path)
        if pkg is None:
            reason = self.importer.import_error(path)
            # (a file no build compiles, //go:build ignore: go resolves none of its imports)
            if reason is not None and not never_built(fi.result.source.text):
                self.report_always(fi, spec.path, codes.GO_IMPORT, path=path, reason=reason)
        if spec.name is not None:
            name = spec.name.name
            if name in ("_", "."):
                return
        else:
            name = pkg.name if pkg is not None else path.rsplit("/", 1)[-1]
        pn = fi.scope.names[name] = PkgName(name, pkg, path)
        if spec.name is not None:
            self.info.define(spec.name, pn, fi.result.source.name)
        else:
            self.info.implicits[spec] = pn

    def _declare_spec(self, fi: FileInfo, decl: ast.GenDecl, spec: ast.Spec, scope: Scope) -> None:
        self.decl_file[spec] = fi
        if type(spec) is kinds.TypeSpec:
            file = fi.result.source.name
            obj = TypeName(spec.name.name, self.pkg, decl=spec, is_alias=spec.assign, owner=self)
            if spec.name.name != "_":
                scope.names[spec.name.name] = obj
                self.info.define(spec.name, obj, file)
            if type(spec.type) is kinds.EnumType:
                for m in spec.type.members:
                    # (recorded whatever the scope: a local enum's members are not the package's)
                    c = Const(m.name.name, Named(obj, (), Null.NONNIL), None, m, self.pkg)
                    self.info.define(m.name, c, file)
                    if m.name.name != "_":  # bad-enum (typedecls.py); like Go's const _, it names nothing
                        scope.names[m.name.name] = c
            elif type(spec.type) is kinds.UnionType:
                for v in spec.type.variants:
                    if v.name is not None:
                        vt = TypeName(v.name.name, self.pkg, decl=v, owner=self)
                        scope.names[v.name.name] = vt
                        self.info.define(v.name, vt, file)
        elif type(spec) is kinds.ValueSpec:
            for n in spec.names:
                if n.name == "_":
                    continue
                value: Object = Const(n.name, UNKNOWN, None, spec, self.pkg) if decl.tok == "const" \
                    else Var(n.name, UNKNOWN, decl=spec, pkg=self.pkg)
                scope.names[n.name] = value
                self.info.define(n, value, fi.result.source.name)

    def resolve_all(self) -> None:
        """Resolve every package-level declaration (so type errors are reported once)."""
        for fi in self.files:
            for decl in fi.tree.decls:
                if type(decl) is kinds.GenDecl:
                    self._resolve_gendecl(fi, decl, fi.scope, package_level=True)
        for fi in self.files:
            for decl in fi.tree.decls:
                if type(decl) is kinds.FuncDecl and decl.recv is None:
                    obj = self.pkg.scope.names.get(decl.name.name)
                    sig = self.signature(fi, decl.type, fi.scope, declared=True)
                    if isinstance(obj, Func) and obj.decl is decl:
                        obj.sig = sig
        for decl, fi in self.methods_pending:
            self._declare_method(decl, fi)
        for fi, e, inner in self.nullable_pending:
            if not can_be_nil(inner) and fi.is_tgo and e not in self.type_errors_reported:
                self.type_errors_reported.add(e)
                self.report_always(fi, e, M.BAD_NULLABLE_MSG, type=self.text(fi, e.x))
        self.nullable_pending.clear()

    def _declare_method(self, decl: ast.FuncDecl, fi: FileInfo) -> None:
        assert decl.recv is not None
        if not decl.recv.list:
            return
        rt = decl.recv.list[0].type
        while type(rt) is kinds.StarExpr or type(rt) is kinds.ParenExpr or type(rt) is kinds.NullableType:
            rt = rt.x
        base = rt.x if type(rt) is kinds.IndexExpr else rt
        if type(base) is not kinds.Ident:
            return
        obj = self.pkg.scope.names.get(base.name)
        if not isinstance(obj, TypeName):
            return
        scope = Scope(fi.scope)
        if type(rt) is kinds.IndexExpr:
            for i, idx in enumerate(rt.indices):
                if type(idx) is kinds.Ident and i < len(obj.type_params):
                    scope.names[idx.name] = TypeName(idx.name, None, obj.type_params[i])
        sig = self.signature(fi, decl.type, scope, declared=True)
        m = obj.methods[decl.name.name] = Func(decl.name.name, sig, self.pkg, decl, recv_type=obj)
        self.info.define(decl.name, m, fi.result.source.name)

    def _resolve_gendecl(self, fi: FileInfo, decl: ast.GenDecl, scope: Scope, package_level: bool) -> None:
        iota = 0
        last_values: list[ast.Expr] = []
        last_type: ast.Expr | None = None
        for spec in decl.specs:
            if type(spec) is kinds.TypeSpec:
                obj = scope.lookup(spec.name.name) if spec.name.name != "_" else None
                if isinstance(obj, TypeName) and obj.decl is spec:
                    self.resolve_typename(obj)
                else:
                    self.type_expr(fi, spec.type, scope)
            elif type(spec) is kinds.ValueSpec and decl.tok == "const":
                values = spec.values or last_values
                typ_expr = spec.type if spec.values else (spec.type or last_type)
                if spec.values:
                    last_values, last_type = spec.values, spec.type
                declared = self.type_expr(fi, typ_expr, scope) if typ_expr is not None else None
                for i, n in enumerate(spec.names):
                    op = self.const_expr(fi, values[i], scope, iota) if i < len(values) else UNKNOWN_OP
                    t = declared if declared is not None else op.type
                    c = scope.lookup(n.name)
                    if isinstance(c, Const) and c.decl is spec:
                        c.type, c.value = t, op.value
                iota += 1
            elif type(spec) is kinds.ValueSpec and package_level:
                self._resolve_var_spec(fi, spec, scope)

    def _resolve_var_spec(self, fi: FileInfo, spec: ast.ValueSpec, scope: Scope) -> None:
        declared = self.type_expr(fi, spec.type, scope) if spec.type is not None else None
        ops: list[Operand] = []
        if spec.values:
            with self.quiet():
                ops = self.value_list(fi, spec.values, scope, State(), len(spec.names))
        for i, n in enumerate(spec.names):
            v = scope.lookup(n.name)
            if isinstance(v, Var) and v.decl is spec:
                if declared is not None:
                    v.type = declared
                elif i < len(ops):
                    v.type = default_type(ops[i].type)

    def quiet(self) -> _Quiet:
        return _Quiet(self)

    # ------------------------------------------------------------ type exprs

    def resolve_typename(self, obj: TypeName) -> None:
        spec = obj.decl
        if type(spec) is not kinds.TypeSpec or obj.resolving or obj.underlying_type is not UNKNOWN:
            return
        if obj.owner is not self and isinstance(obj.owner, PackageChecker):
            obj.owner.resolve_typename(obj)  # declared by another package's checker (a stub)
            return
        fi = self.decl_file.get(spec)
        if fi is None:
            return
        obj.resolving = True
        scope = fi.scope
        if spec.type_params is not None:
            scope, obj.type_params = self.type_params(fi, spec.type_params, fi.scope)
        t = spec.type
        if type(t) is kinds.EnumType:
            base = self.type_expr(fi, t.base, scope) if t.base is not None else BASIC["int"]
            obj.underlying_type = base.underlying() if not isinstance(base, UnknownType) else base
            # An implicit member: with no value written before it, its position (iota); after
            # an expression using iota, that expression again (Go's const-block rule, for
            # 1 << iota flags); after any other value, the previous member plus one.
            members: list[Const] = []
            last: ast.Expr | None = None
            is_string = _is_string_type(obj.underlying_type)
            for i, m in enumerate(t.members):
                member = self.info.defs.get(m.name)
                if not isinstance(member, Const):
                    continue
                if m.value is not None:
                    last = m.value
                    member.value = self.const_expr(fi, m.value, scope, i).value
                elif is_string:
                    member.value = m.name.name  # a string member without a value is its name
                elif last is not None and uses_iota(last):
                    member.value = self.const_expr(fi, last, scope, i).value  # 1 << iota flags
                elif members and isinstance(members[-1].value, int):
                    member.value = members[-1].value + 1  # the previous member plus one
                else:
                    member.value = i  # iota order
                members.append(member)
            obj.enum = EnumInfo(members, obj.underlying_type)
            self._enum_api(obj)
        elif type(t) is kinds.UnionType:
            # a sealed interface: one unexported marker method, as the lowering writes it
            marker = Func("is" + obj.name, Signature((), ()), self.pkg)
            obj.underlying_type = Interface((marker,), (), Null.ANY)
            variants: list[Type] = []
            for v in t.variants:
                if v.name is not None and v.fields is not None:
                    vt = self.info.defs.get(v.name)
                    if isinstance(vt, TypeName):
                        vt.underlying_type = Struct(self.fields(fi, v.fields, scope))
                        vt.type_params = obj.type_params
                        variants.append(Named(vt, obj.type_params, Null.NONNIL))
                elif v.type is not None:
                    variants.append(self.type_expr(fi, v.type, scope))
            obj.union = UnionInfo(variants)
        else:
            obj.underlying_type = self.type_expr(fi, t, scope)
        obj.resolving = False

    def _enum_api(self, obj: TypeName) -> None:
        """The functions and methods the generator adds to an enum (spec §3)."""
        t = Named(obj, (), Null.NONNIL)
        string, bools = BASIC["string"], BASIC["bool"]
        byte_slice = Slice(BASIC["uint8"])

        def sig(params: list[Type], results: list[Type]) -> Signature:
            return Signature(tuple(Var("", p) for p in params), tuple(Var("", r) for r in results))

        for name, s in (
            ("String", sig([], [string])),
            ("IsValid", sig([], [bools])),
            ("MarshalText", sig([], [byte_slice, ERROR])),
            ("UnmarshalText", sig([byte_slice], [ERROR])),
        ):
            obj.methods.setdefault(name, Func(name, s, self.pkg, recv_type=obj))
        for name, s in ((f"Parse{obj.name}", sig([string], [t, ERROR])), (f"{obj.name}Values", sig([], [Slice(t)]))):
            if name not in self.pkg.scope.names:
                self.pkg.scope.names[name] = Func(name, s, self.pkg)

    def type_expr(self, fi: FileInfo, e: ast.Expr | None, scope: Scope) -> Type:
        """The type a type expression denotes; nil marks per the file's strictness."""
        if e is None:
            return UNKNOWN
        t = self._type_expr(fi, e, scope)
        if self.types is not None:
            self.types[e] = Operand(t, is_type=True)
        return t

    def _type_expr(self, fi: FileInfo, e: ast.Expr, scope: Scope) -> Type:
        null = Null.NONNIL if fi.strict else Null.ANY
        if type(e) is kinds.NullableType:
            inner = self.type_expr(fi, e.x, scope)
            if isinstance(inner, Named) and inner.obj.resolving:
                # ?T inside T's own declaration (type F func(*S); S has a ?F field): T's
                # underlying type is not known yet; it is checked once it is
                self.nullable_pending.append((fi, e, inner))
                return with_null(inner, Null.NULLABLE)
            if not isinstance(inner, (UnknownType, TypeParam)) and not can_be_nil(inner) and fi.is_tgo:
                if e not in self.type_errors_reported:
                    self.type_errors_reported.add(e)
                    self.report_always(fi, e, M.BAD_NULLABLE_MSG, type=self.text(fi, e.x))
                return inner
            return with_null(inner, Null.NULLABLE)
        if type(e) is kinds.ParenExpr:
            return self.type_expr(fi, e.x, scope)
        if type(e) is kinds.Ident:
            obj = scope.lookup(e.name)
            if isinstance(obj, TypeName):
                if self.uses is not None:
                    self.uses[e] = obj
                return self.named(obj, (), null)
            return UNKNOWN
        if type(e) is kinds.SelectorExpr and type(e.x) is kinds.Ident:
            obj = scope.lookup(e.x.name)
            if isinstance(obj, PkgName) and obj.pkg is not None:
                if self.uses is not None:
                    self.uses[e.x] = obj
                t = obj.pkg.scope.names.get(e.sel.name)
                if isinstance(t, TypeName):
                    if self.uses is not None:
                        self.uses[e.sel] = t
                    return self.named(t, (), null)
            return UNKNOWN
        if type(e) is kinds.IndexExpr:
            base = self.type_expr(fi, e.x, scope)
            if isinstance(base, Named):
                args = tuple(self.type_expr(fi, i, scope) for i in e.indices)
                return Named(base.obj, args, base.null)
            return UNKNOWN
        if type(e) is kinds.StarExpr:
            return Pointer(self.type_expr(fi, e.x, scope), null)
        if type(e) is kinds.ArrayType:
            elem = self.type_expr(fi, e.elt, scope)
            if e.len is None:
                return Slice(elem)
            n = None
            if type(e.len) is not kinds.Ellipsis:
                v = self.const_expr(fi, e.len, scope, 0).value
                n = v if isinstance(v, int) else None
            return Array(n, elem)
        if type(e) is kinds.MapType:
            return Map(self.type_expr(fi, e.key, scope), self.type_expr(fi, e.value, scope), null)
        if type(e) is kinds.ChanType:
            return Chan(e.dir, self.type_expr(fi, e.value, scope), null)
        if type(e) is kinds.FuncType:
            return with_null(self.signature(fi, e, scope), null)
        if type(e) is kinds.StructType:
            return Struct(self.fields(fi, e.fields, scope))
        if type(e) is kinds.InterfaceType:
            methods: list[Func] = []
            embedded: list[Type] = []
            constraint = False
            for f in e.methods.list:
                if f.names and type(f.type) is kinds.FuncType:
                    method = Func(f.names[0].name, self.signature(fi, f.type, scope), self.pkg)
                    self.info.define(f.names[0], method, fi.result.source.name)
                    methods.append(method)
                else:
                    if type(f.type) is kinds.BinaryExpr or type(f.type) is kinds.UnaryExpr:
                        constraint = True
                        continue
                    et = self.type_expr(fi, f.type, scope)
                    if not isinstance(et.underlying(), Interface):
                        constraint = True
                    embedded.append(et)
            return Interface(tuple(methods), tuple(embedded), Null.NULLABLE if not methods and not embedded
                             else null, constraint)
        if type(e) is kinds.Ellipsis:
            return Slice(self.type_expr(fi, e.elt, scope))
        return UNKNOWN

    def named(self, obj: TypeName, targs: tuple[Type, ...], null: Null) -> Type:
        self.resolve_typename(obj)
        if obj.is_alias or (obj.pkg is None and obj.name not in ("error", "any")):
            t = obj.underlying_type
            if obj.pkg is None:
                return t  # a predeclared basic type
            return with_null(t, null) if can_be_nil(t) else t
        if isinstance(obj.underlying_type, TypeParam):
            return obj.underlying_type
        if obj.pkg is None and obj.name == "any":
            return obj.underlying_type
        return Named(obj, targs, null)

    def fields(self, fi: FileInfo, fl: ast.FieldList, scope: Scope) -> tuple[Var, ...]:
        out: list[Var] = []
        file = fi.result.source.name
        for f in fl.list:
            t = self.type_expr(fi, f.type, scope)
            if f.names:
                for n in f.names:
                    v = Var(n.name, t, False, f, self.pkg)
                    self.info.define(n, v, file)
                    out.append(v)
            else:
                name = _embedded_name(f.type)
                out.append(Var(name, t, True, f, self.pkg))
        return tuple(out)

    def type_params(self, fi: FileInfo, fl: ast.FieldList, outer: Scope) -> tuple[Scope, tuple[TypeParam, ...]]:
        """Declare a type parameter list in a new scope (names first: constraints may use them)."""
        scope = Scope(outer)
        tps: list[TypeParam] = []
        for f in fl.list:
            for n in f.names:
                tp = TypeParam(n.name)
                tps.append(tp)
                tn = TypeName(n.name, None, tp)
                scope.names[n.name] = tn
                self.info.define(n, tn, fi.result.source.name)
        for f in fl.list:
            c = self.type_expr(fi, f.type, scope)
            for n in f.names:
                named = scope.names[n.name]
                if isinstance(named, TypeName) and isinstance(named.underlying_type, TypeParam):
                    named.underlying_type.constraint = c
        return scope, tuple(tps)

    def signature(self, fi: FileInfo, ft: ast.FuncType, scope: Scope, declared: bool = False) -> Signature:
        """The signature ``ft`` writes; ``declared``: a function declaration's, whose named
        parameters and results are sited at once (a nil passed to a function declared further
        on, checked before its body binds them, gets the fix that declares the parameter ``?``)."""
        tps: tuple[TypeParam, ...] = ()
        if ft.type_params is not None:
            scope, tps = self.type_params(fi, ft.type_params, scope)
        params: list[Var] = []
        variadic = False
        for f in ft.params.list:
            if type(f.type) is kinds.Ellipsis:
                variadic = True
            t = self.type_expr(fi, f.type, scope)
            pnames: list[ast.Ident | None] = list(f.names) or [None]
            for pn in pnames:
                params.append(Var(pn.name if pn else "", t, False, f, self.pkg))
                if declared and pn is not None and pn.name != "_":
                    self.info.decl_sites.setdefault(params[-1], (pn, fi.result.source.name))
        results: list[Var] = []
        if ft.results is not None:
            for f in ft.results.list:
                t = self.type_expr(fi, f.type, scope)
                rnames: list[ast.Ident | None] = list(f.names) or [None]
                for rn in rnames:
                    results.append(Var(rn.name if rn else "", t, False, f, self.pkg))
                    if declared and rn is not None and rn.name != "_":
                        self.info.decl_sites.setdefault(results[-1], (rn, fi.result.source.name))
        return Signature(tuple(params), tuple(results), variadic, Null.ANY, tps)

    # ------------------------------------------------------------ constants

    def const_expr(self, fi: FileInfo, e: ast.Expr, scope: Scope, iota: int) -> Operand:
        if type(e) is kinds.BasicLit:  # (most constants, thousands in the stubs: no scope, state or pass needed)
            op = _literal(e)
            self._record(e, op)
            return op
        iota_scope = Scope(scope)
        iota_scope.names["iota"] = Const("iota", UNTYPED_INT, iota)
        with self.quiet():
            return self.expr(fi, e, iota_scope, State())

    # ---------------------------------------------------------- expressions

    def value_list(self, fi: FileInfo, exprs: list[ast.Expr], scope: Scope, state: State, want: int) -> list[Operand]:
        if len(exprs) == 1 and want > 1:
            op = self.expr(fi, exprs[0], scope, state, comma_ok=want == 2)
            if op.multi:
                return list(op.multi)
            return [op] + [UNKNOWN_OP] * (want - 1)
        return [self.expr(fi, e, scope, state) for e in exprs]

    def expr(self, fi: FileInfo, e: ast.Expr, scope: Scope, state: State, comma_ok: bool = False) -> Operand:
        op = self._expr(fi, e, scope, state, comma_ok)
        self._record(e, op)
        return op

    def _record(self, e: ast.Expr, op: Operand) -> None:
        """What ``expr`` keeps of each expression it types: its operand, and the count."""
        if self.types is not None:
            self.types[e] = op
        if isinstance(op.type, UnknownType) and not op.is_type:
            self.untyped += 1
        else:
            self.typed += 1

    def _expr(self, fi: FileInfo, e: ast.Expr, scope: Scope, state: State, comma_ok: bool) -> Operand:
        if type(e) is kinds.Ident:
            return self.ident(fi, e, scope, state)
        if type(e) is kinds.BasicLit:
            return _literal(e)
        if type(e) is kinds.ParenExpr:
            op = self.expr(fi, e.x, scope, state, comma_ok)
            return op
        if type(e) is kinds.SelectorExpr:
            return self.selector(fi, e, scope, state)
        if type(e) is kinds.CallExpr:
            return self.call(fi, e, scope, state)
        if type(e) is kinds.StarExpr:
            x = self.expr(fi, e.x, scope, state)
            if x.is_type:
                return Operand(Pointer(x.type, Null.NONNIL if fi.strict else Null.ANY), is_type=True)
            self.check_deref(fi, e.x, x, state, "dereference")
            u = x.type.underlying()
            if isinstance(u, Pointer):
                return Operand(u.elem, null_of_declared(u.elem), ref=child_ref(x.ref, "*"))
            return UNKNOWN_OP
        if type(e) is kinds.UnaryExpr:
            return self.unary(fi, e, scope, state, comma_ok)
        if type(e) is kinds.BinaryExpr:
            return self.binary(fi, e, scope, state)
        if type(e) is kinds.NonNilExpr:
            x = self.expr(fi, e.x, scope, state)
            return Operand(x.type, Nullness.NONNIL, x.value, obj=x.obj)
        if type(e) is kinds.TryExpr:
            return self.try_expr(fi, e, scope, state)
        if type(e) is kinds.IndexExpr:
            return self.index(fi, e, scope, state, comma_ok)
        if type(e) is kinds.SliceExpr:
            x = self.expr(fi, e.x, scope, state)
            for part in (e.low, e.high, e.max):
                if part is not None:
                    self.expr(fi, part, scope, state)
            u = x.type.underlying()
            if isinstance(u, Pointer) and isinstance(u.elem.underlying(), Array):
                self.check_deref(fi, e.x, x, state, "slice")
                arr = u.elem.underlying()
                assert isinstance(arr, Array)
                return Operand(Slice(arr.elem), Nullness.NONNIL)
            if isinstance(u, Array):
                return Operand(Slice(u.elem), Nullness.NONNIL)
            if isinstance(u, (Slice, Basic)):
                return Operand(x.type, Nullness.NONNIL)
            return UNKNOWN_OP
        if type(e) is kinds.TypeAssertExpr:
            x = self.expr(fi, e.x, scope, state)
            if e.type is None:
                return Operand(x.type)
            t = self.type_expr(fi, e.type, scope)
            # x.(I) for an interface I panics when x is nil, so its result is never nil
            result = Operand(t, Nullness.NONNIL if isinstance(t.underlying(), Interface) else null_of_declared(t))
            if comma_ok:
                return Operand(t, multi=(Operand(t, Nullness.MAYBE if can_be_nil(t) else Nullness.NONNIL),
                                         Operand(UNTYPED_BOOL)))
            return result
        if type(e) is kinds.CompositeLit:
            return self.composite(fi, e, scope, state, None)
        if type(e) is kinds.FuncLit:
            # the body is checked by the enclosing function's last pass (flowcheck.funclits)
            sig = self.signature(fi, e.type, scope)
            return Operand(with_null(sig, Null.NONNIL), Nullness.NONNIL)
        if type(e) is kinds.KeyValueExpr:
            return UNKNOWN_OP
        # type expressions used as values (conversions, make, new)
        t = self.type_expr(fi, e, scope)
        return Operand(t, is_type=True)

    def ident(self, fi: FileInfo, e: ast.Ident, scope: Scope, state: State) -> Operand:
        if e.name == "_":
            return UNKNOWN_OP
        obj = self.lookup(scope, e)
        if obj is None:
            return UNKNOWN_OP
        if self.uses is not None:
            self.uses[e] = obj
        if isinstance(obj, Nil):
            return Operand(UNTYPED_NIL, Nullness.NIL, obj=obj)
        if isinstance(obj, TypeName):
            return Operand(self.named(obj, (), Null.NONNIL if fi.strict else Null.ANY), is_type=True, obj=obj)
        if isinstance(obj, Const):
            return Operand(obj.type, Nullness.NONNIL, obj.value, obj=obj)
        if isinstance(obj, Var):
            ref: Ref = (id(obj),)
            if state.unset and ref in state.unset and not state.unreachable:
                # definite assignment (spec §2): a non-nil local read where it may be unassigned
                self.report(fi, e, M.NIL_INIT_USE, name=e.name, type=repr(obj.type),
                            fixes=declare_nullable(self.info, obj))
            fact = state.get(ref)
            declared = self.var_null(obj)
            return Operand(obj.type, fact if fact is not None else declared, ref=ref, obj=obj)
        if isinstance(obj, Func):
            if isinstance(obj.sig, UnknownType) and type(obj.decl) is kinds.FuncDecl:
                dfi = self.decl_file.get(obj.decl, fi)
                obj.sig = self.signature(dfi, obj.decl.type, dfi.scope, declared=True)
            return Operand(obj.sig, Nullness.NONNIL, obj=obj)
        if isinstance(obj, (Builtin, PkgName)):
            return Operand(UNKNOWN, Nullness.NONNIL, obj=obj)
        return UNKNOWN_OP

    def var_null(self, v: Var) -> Nullness:
        """The declared nullness of a variable (a fact about it, where there is one, wins)."""
        return null_of_declared(v.type)

    def selector(self, fi: FileInfo, e: ast.SelectorExpr, scope: Scope, state: State) -> Operand:
        if type(e.x) is kinds.Ident:
            obj = self.lookup(scope, e.x)
            if isinstance(obj, PkgName):
                if self.uses is not None:
                    self.uses[e.x] = obj
                if obj.pkg is None:
                    return UNKNOWN_OP
                member = obj.pkg.scope.names.get(e.sel.name)
                if member is None:
                    return UNKNOWN_OP
                if self.uses is not None:
                    self.uses[e.sel] = member
                if isinstance(member, TypeName):
                    null = Null.NONNIL if fi.strict else Null.ANY
                    return Operand(self.named(member, (), null), is_type=True, obj=member)
                if isinstance(member, Func):
                    return Operand(member.sig, Nullness.NONNIL, obj=member)
                if isinstance(member, Const):
                    return Operand(member.type, Nullness.NONNIL, member.value, obj=member)
                if isinstance(member, Var):
                    ref: Ref | None = (id(member),)
                    fact = state.get((id(member),))
                    return Operand(member.type, fact or null_of_declared(member.type), ref=ref, obj=member)
                return UNKNOWN_OP
        if state.unset and type(e.x) is kinds.Ident:
            obj = self.lookup(scope, e.x)
            if isinstance(obj, Var) and (id(obj),) in state.unset and value_pointer_method(obj.type, e.sel.name):
                state = state.assigned(state.unset)  # (&x).m() may be how x gets its value
        x = self.expr(fi, e.x, scope, state)
        if isinstance(x.type, UnknownType):
            return UNKNOWN_OP
        if x.is_type:
            op = self.method_expr(x.type, e.sel.name)
            if isinstance(op.obj, Func):
                if self.info.selections is not None:
                    self.info.selections[e] = Selection("method-expr", x.type, op.obj, False)
                if self.uses is not None:
                    self.uses[e.sel] = op.obj
            return op
        found = lookup_field_or_method(x.type, e.sel.name)
        if found is None:
            return UNKNOWN_OP
        kind, member, through_ptr = found
        if self.info.selections is not None:
            self.info.selections[e] = Selection("field" if kind == "field" else "method", x.type, member, through_ptr)
        if self.uses is not None:
            self.uses[e.sel] = member
        if kind == "field":
            assert isinstance(member, Var)
            if through_ptr:
                self.check_deref(fi, e.x, x, state, f"field access .{e.sel.name}")
            ref = child_ref(x.ref, e.sel.name)
            fact = state.get(ref) if ref is not None else None
            t = member.type
            return Operand(t, fact if fact is not None else null_of_declared(t), ref=ref, obj=member)
        assert isinstance(member, Func)
        if not _nullable_receiver(member) and not (_pointer_receiver(member) and not through_ptr):
            # a method declared on ?*T handles a nil receiver itself; a pointer method
            # called on a value (a func, map, ... variable) gets the value's address, never nil
            self.check_deref(fi, e.x, x, state, f"method call .{e.sel.name}()")
        sig = member.sig
        if isinstance(sig, Signature) and isinstance(x.type, Named) and x.type.targs:
            recv_obj = x.type.obj
            sig = substitute(sig, dict(zip(recv_obj.type_params, x.type.targs, strict=False)))  # type: ignore[assignment]
        return Operand(sig, Nullness.NONNIL, obj=member)

    def method_expr(self, recv: Type, name: str) -> Operand:
        """The method expression ``T.m`` / ``(*T).m``: a function whose first parameter is the
        receiver (nullable when the method is declared on ``?*T``), then the method's own."""
        m = find_method(recv, name)
        if m is None or not isinstance(m.sig, Signature):
            return UNKNOWN_OP
        sig = m.sig
        u = recv.underlying()
        base = u.elem if isinstance(u, Pointer) else recv
        if isinstance(base, Named) and base.targs:
            sig = substitute(sig, dict(zip(base.obj.type_params, base.targs, strict=False)))  # type: ignore[assignment]
        receiver = Var("", with_null(recv, Null.NULLABLE) if _nullable_receiver(m) else recv)
        return Operand(Signature((receiver, *sig.params), sig.results, sig.variadic, Null.NONNIL, sig.type_params),
                       Nullness.NONNIL, obj=m)

    def check_deref(self, fi: FileInfo, x_expr: ast.Expr, x: Operand, state: State, what: str) -> None:
        if not fi.strict or state.unreachable or _never_nil(x.type):
            return
        if self.in_select_comm and what in ("receive", "send"):
            return  # a nil channel disables its select case: the Go idiom, not a panic
        if x.null in (Nullness.MAYBE, Nullness.NIL):
            if x.null is Nullness.NIL:
                detail = f"is nil here ({what})"
            elif nullability(x.type) is Null.NULLABLE:
                detail = f"has type {x.type!r}"  # the spec's form: u has type ?*User
            else:
                detail = f"may be nil here ({what})"
            hint = None
            if x.null is Nullness.MAYBE and x.ref is not None and self.deref_hint is not None and \
                    not self._quiet and self.report_enabled:
                hint = self.deref_hint(x_expr, x.ref, state)
            fixes = assert_nonnil(fi, x_expr)
            if x.ref is not None and not self._quiet and self.report_enabled:
                fixes += guard_nonnil(fi, x_expr, x.type)
            if hint is not None:
                self.report(fi, x_expr, M.NIL_DEREF_UNSTOPPED, x=self.text(fi, x_expr), detail=detail,
                            line=hint[0], call=hint[1], fixes=fixes)
            else:
                self.report(fi, x_expr, M.NIL_DEREF_MSG, x=self.text(fi, x_expr), detail=detail, fixes=fixes)

    def unary(self, fi: FileInfo, e: ast.UnaryExpr, scope: Scope, state: State, comma_ok: bool) -> Operand:
        if e.op == "&":
            inner = e.x
            while type(inner) is kinds.ParenExpr:
                inner = inner.x
            if type(inner) is kinds.CompositeLit:
                x = self.expr(fi, inner, scope, state)
            elif type(inner) is kinds.Ident and state.unset:
                # taking the address reads nothing: &p may be how p gets its value
                x = self.expr(fi, inner, scope, state.assigned(state.unset))
            else:
                x = self.expr(fi, e.x, scope, state)
            if isinstance(x.type, UnknownType):
                return Operand(UNKNOWN, Nullness.NONNIL)
            return Operand(Pointer(x.type, Null.NONNIL), Nullness.NONNIL)
        x = self.expr(fi, e.x, scope, state)
        if e.op == "<-":
            # a receive from a nil channel blocks; spec §2 lists only send and range
            u = x.type.underlying()
            if isinstance(u, Chan):
                if comma_ok:
                    first = Operand(u.elem, Nullness.MAYBE if can_be_nil(u.elem) else null_of_declared(u.elem),
                                    guarded=null_of_declared(u.elem) is Nullness.NONNIL)
                    return Operand(u.elem, multi=(first, Operand(UNTYPED_BOOL)))
                elem_null = null_of_declared(u.elem)
                return Operand(u.elem, Nullness.MAYBE if elem_null is Nullness.NONNIL else elem_null)
            return UNKNOWN_OP
        if e.op == "!":
            return Operand(x.type, Nullness.NONNIL, not x.value if isinstance(x.value, bool) else None)
        value = x.value
        if isinstance(value, (int, float)) and e.op == "-":
            value = -value
        elif isinstance(value, int) and e.op == "^":
            value = ~value
        elif e.op != "+":
            value = None
        return Operand(x.type, Nullness.NONNIL, value)

    def binary(self, fi: FileInfo, e: ast.BinaryExpr, scope: Scope, state: State) -> Operand:
        # a loop over the chain's left spine (``a + b + ...`` of any length), each link's
        # operand recorded as ``expr`` records it (``e``'s own is recorded by ``expr``)
        spine = ast.binary_spine(e)
        facts: ChainFacts | None = None
        x = self.expr(fi, spine[0].x, scope, state)
        for k, link in enumerate(spine):
            if link.op in ("&&", "||"):
                # the right operand runs only when the left is true (&&) / false (||)
                if facts is None:
                    facts = ChainFacts(self, fi, scope, state, spine)
                y = self.expr(fi, link.y, scope, facts.of(k - 1, link.op == "&&"))
                x = Operand(UNTYPED_BOOL, Nullness.NONNIL, _fold(link.op, x.value, y.value))
            else:
                x = _binary_operand(link.op, x, self.expr(fi, link.y, scope, state))
            if link is not e:
                self._record(link, x)
        return x

    def index(self, fi: FileInfo, e: ast.IndexExpr, scope: Scope, state: State, comma_ok: bool) -> Operand:
        x = self.expr(fi, e.x, scope, state)
        if x.is_type:
            t = self.type_expr(fi, e, scope)
            return Operand(t, is_type=True)
        if isinstance(x.type, Signature) and x.type.type_params:
            targs = [self.type_expr(fi, i, scope) for i in e.indices]
            m = dict(zip(x.type.type_params, targs, strict=False))
            sig = substitute(x.type, m)
            return Operand(sig, Nullness.NONNIL, obj=x.obj)
        for i in e.indices:
            self.expr(fi, i, scope, state)
        u = x.type.underlying()
        if isinstance(u, Map):
            # reading a nil map is fine; a missing key gives the zero value
            elem = u.elem
            if comma_ok:
                first = Operand(elem, Nullness.MAYBE if can_be_nil(elem) else null_of_declared(elem),
                                guarded=null_of_declared(elem) is Nullness.NONNIL)
                return Operand(elem, multi=(first, Operand(UNTYPED_BOOL)))
            n = null_of_declared(elem)
            return Operand(elem, Nullness.MAYBE if n is Nullness.NONNIL else n)
        if isinstance(u, Pointer) and isinstance(u.elem.underlying(), Array):
            self.check_deref(fi, e.x, x, state, "index")
            arr = u.elem.underlying()
            assert isinstance(arr, Array)
            return Operand(arr.elem, null_of_declared(arr.elem))
        if isinstance(u, (Slice, Array)):
            return Operand(u.elem, null_of_declared(u.elem))
        if isinstance(u, Basic) and u.kind == "string":
            return Operand(BASIC["uint8"], Nullness.NONNIL)
        return UNKNOWN_OP

    def report_unknown_try(self, fi: FileInfo, t: ast.TryExpr, call: ast.CallExpr, scope: Scope) -> None:
        """``?`` on a call whose results the checker cannot tell (the lowering cannot expand it):
        an undefined name is Go's error (``go``), at the name; anything else is ``bad-try``."""
        fun = call.fun
        while type(fun) is kinds.ParenExpr:
            fun = fun.x
        if type(fun) is kinds.SelectorExpr and type(fun.x) is kinds.Ident:
            obj = scope.lookup(fun.x.name)
            if isinstance(obj, PkgName):
                if obj.pkg is None:
                    if self.importer.import_error(obj.path) is None:
                        self.report(fi, t, M.BAD_TRY_UNKNOWN_PKG, name=fun.x.name)
                    return  # (else the import is reported)
                if fun.sel.name not in obj.pkg.scope.names:
                    self.report(fi, fun.sel, M.GO_ERROR, message=f"undefined: {fun.x.name}.{fun.sel.name}")
                    return
        elif type(fun) is kinds.Ident and scope.lookup(fun.name) is None:
            self.report(fi, fun, M.GO_ERROR, message=f"undefined: {fun.name}")
            return
        self.report(fi, t, M.BAD_TRY_UNKNOWN)

    def try_expr(self, fi: FileInfo, e: ast.TryExpr, scope: Scope, state: State) -> Operand:
        x = self.expr(fi, e.x, scope, state)
        results = _results_of(x)
        if results is None:
            return UNKNOWN_OP
        self.info.try_results[e] = tuple(r.type for r in results)
        if not results or not is_error_type(results[-1].type):
            return Operand(UNKNOWN, multi=())
        rest = results[:-1]
        ops = tuple(Operand(r.type, null_of_declared(r.type)) for r in rest)
        if len(ops) == 1:
            return ops[0]
        if not ops:
            return Operand(Tuple(()), multi=())
        return Operand(Tuple(tuple(o.type for o in ops)), multi=ops)

    def composite(self, fi: FileInfo, e: ast.CompositeLit, scope: Scope, state: State, elided: Type | None) -> Operand:
        t = self.type_expr(fi, e.type, scope) if e.type is not None else (elided or UNKNOWN)
        if type(e.type) is kinds.ArrayType and type(e.type.len) is kinds.Ellipsis:
            t = Array(len(e.elts), t.elem) if isinstance(t, Array) else t
        u = t.underlying()
        if isinstance(u, Pointer):  # elided &T{} in a []*T literal
            u = u.elem.underlying()
        if isinstance(u, Struct):
            given: set[str] = set()
            keyed = any(type(el) is kinds.KeyValueExpr for el in e.elts)
            for i, el in enumerate(e.elts):
                if type(el) is kinds.KeyValueExpr and type(el.key) is kinds.Ident:
                    f = u.field(el.key.name)
                    if f is not None and self.uses is not None:
                        self.uses[el.key] = f
                    given.add(el.key.name)
                    op = self.element(fi, el.value, scope, state, f.type if f else None)
                    if f is not None:
                        self.check_assign(fi, el.value, op, f.type, state, f"field {f.name}", f)
                elif not keyed and i < len(u.fields):
                    f = u.fields[i]
                    given.add(f.name)
                    op = self.element(fi, el, scope, state, f.type)
                    self.check_assign(fi, el, op, f.type, state, f"field {f.name}", f)
                else:
                    self.element(fi, el, scope, state, None)
            if e.elts and not keyed:
                given = {f.name for f in u.fields}
            if fi.strict:
                missing = [f.name + ("." + z if z else "") for f in u.fields if f.name not in given
                           for z in zero_nils(f.type)]
                if missing and (keyed or not e.elts) and not self.lenient_literals and e is not self.discarded:
                    found = fields_at(u, missing)
                    fixes = fields_nullable(self.info, found) if found is not None else ()
                    self.report(fi, e, M.NIL_INIT_FIELDS, type=repr(t), fields=", ".join(missing), fixes=fixes)
        elif isinstance(u, (Slice, Array)):
            for el in e.elts:
                v = el.value if type(el) is kinds.KeyValueExpr else el
                if type(el) is kinds.KeyValueExpr:
                    self.expr(fi, el.key, scope, state)
                op = self.element(fi, v, scope, state, u.elem)
                self.check_assign(fi, v, op, u.elem, state, "element")
        elif isinstance(u, Map):
            for el in e.elts:
                if type(el) is kinds.KeyValueExpr:
                    kop = self.element(fi, el.key, scope, state, u.key)
                    self.check_assign(fi, el.key, kop, u.key, state, "map key")
                    op = self.element(fi, el.value, scope, state, u.elem)
                    self.check_assign(fi, el.value, op, u.elem, state, "map value")
        else:
            for el in e.elts:
                v = el.value if type(el) is kinds.KeyValueExpr else el
                self.element(fi, v, scope, state, None)
        return Operand(t, Nullness.NONNIL)

    def element(self, fi: FileInfo, el: ast.Expr, scope: Scope, state: State, t: Type | None) -> Operand:
        if type(el) is kinds.CompositeLit and el.type is None:
            op = self.composite(fi, el, scope, state, t)
            if self.types is not None:
                self.types[el] = op
            if t is not None and isinstance(t.underlying(), Pointer):
                return Operand(t, Nullness.NONNIL)
            return op
        return self.expr(fi, el, scope, state)

    # ---------------------------------------------------------------- calls

    def call(self, fi: FileInfo, e: ast.CallExpr, scope: Scope, state: State) -> Operand:
        fun = self.expr(fi, e.fun, scope, state)
        if fun.is_type:
            return self.conversion(fi, e, fun.type, scope, state)
        if isinstance(fun.obj, Builtin):
            return self.builtin(fi, e, fun.obj.name, scope, state)
        sig = fun.type
        if isinstance(sig, Signature) or isinstance(sig.underlying(), Signature):
            self.check_deref(fi, e.fun, fun, state, "call")
        u = sig.underlying() if not isinstance(sig, Signature) else sig
        if not isinstance(u, Signature):
            for a in e.args:
                self.expr(fi, a, scope, state)
            return UNKNOWN_OP
        args = self.call_args(fi, e, scope, state, len(u.params))
        if u.type_params:
            m = infer(u, [a.type for a in args])
            u = substitute(u, m)
            assert isinstance(u, Signature)
        self.check_args(fi, e, u, args, state)
        results = u.results
        if len(results) == 1:
            t = results[0].type
            return Operand(t, null_of_declared(t), obj=fun.obj)
        if not results:
            return Operand(Tuple(()), Nullness.NONNIL, obj=fun.obj, multi=())
        ops = tuple(Operand(r.type, null_of_declared(r.type)) for r in results)
        return Operand(Tuple(tuple(r.type for r in results)), multi=ops, obj=fun.obj)

    def call_args(self, fi: FileInfo, e: ast.CallExpr, scope: Scope, state: State, nparams: int) -> list[Operand]:
        if len(e.args) == 1 and nparams > 1:
            op = self.expr(fi, e.args[0], scope, state)
            if op.multi:
                # f(g()): g's results, under its own (T, error) contract (spec: pass through)
                return [Operand(o.type, Nullness.ANY if o.null is Nullness.NONNIL else o.null) for o in op.multi]
            return [op]
        return [self.expr(fi, a, scope, state) for a in e.args]

    def check_args(self, fi: FileInfo, e: ast.CallExpr, sig: Signature, args: list[Operand], state: State) -> None:
        params = sig.params
        for i, a in enumerate(args):
            if i >= len(params) and not sig.variadic:
                break
            if sig.variadic and i >= len(params) - 1:
                p = params[-1]
                pt = p.type.elem if isinstance(p.type, Slice) and e.ellipsis < 0 else p.type
            else:
                p = params[i]
                pt = p.type
            node = e.args[i] if i < len(e.args) else e
            spread = sig.variadic and i >= len(params) - 1 and e.ellipsis >= 0  # f(xs...): the slice itself
            self.check_assign(fi, node, a, pt, state, f"argument {p.name or i + 1}", None if spread else p)

    def check_assign(self, fi: FileInfo, node: ast.Node, op: Operand, target: Type, state: State, what: str,
                     decl: Object | None = None) -> None:
        """nil-assign: a possibly-nil value where ``target`` is declared non-nil (the type of
        ``decl``, when a variable, parameter or field: the fix declares it nullable)."""
        if not fi.strict or state.unreachable:
            return
        if null_of_declared(target) is not Nullness.NONNIL or not can_be_nil(target):
            return
        if op.null in (Nullness.MAYBE, Nullness.NIL):
            self.report(fi, node, M.NIL_ASSIGN_MSG, x=self.text(fi, node), what=what, type=repr(target),
                        verb=nil_verb(fi, node, op.null, "assigned"), fixes=declare_nullable(self.info, decl))

    def conversion(self, fi: FileInfo, e: ast.CallExpr, t: Type, scope: Scope, state: State) -> Operand:
        if len(e.args) != 1:
            return Operand(t)
        x = self.expr(fi, e.args[0], scope, state)
        if isinstance(t, Named):
            enum_conversion.check(self, fi, e, t, x)
        null = x.null if can_be_nil(t) else Nullness.NONNIL
        return Operand(t, null, x.value if not can_be_nil(t) else None)

    def builtin(self, fi: FileInfo, e: ast.CallExpr, name: str, scope: Scope, state: State) -> Operand:
        if name in ("new", "make"):
            if not e.args:
                return UNKNOWN_OP
            t = self.type_expr(fi, e.args[0], scope)
            for a in e.args[1:]:
                self.expr(fi, a, scope, state)
            if name == "new":
                if fi.strict:
                    self.check_zero_value(fi, e, t, "new")
                return Operand(Pointer(t, Null.NONNIL), Nullness.NONNIL)
            u = t.underlying()
            if isinstance(u, Slice) and fi.strict and len(e.args) >= 2 and zero_nils(u.elem):
                n = self.expr(fi, e.args[1], scope, State())
                if n.value != 0:
                    self.report(fi, e, M.NIL_INIT_MAKE, type=repr(t))
            return Operand(with_null(t, Null.NONNIL), Nullness.NONNIL)
        args = [self.expr(fi, a, scope, state) for a in e.args]
        if name in ("len", "cap", "copy"):
            return Operand(BASIC["int"], Nullness.NONNIL)
        if name == "append":
            if args:
                base = args[0].type
                u = base.underlying()
                if isinstance(u, Slice) and e.ellipsis < 0:
                    for arg_op, arg_node in zip(args[1:], e.args[1:], strict=False):
                        self.check_assign(fi, arg_node, arg_op, u.elem, state, "element")
                return Operand(base, Nullness.NONNIL)
            return UNKNOWN_OP
        if name == "delete":
            return Operand(Tuple(()), multi=())
        if name == "recover":
            return Operand(UNIVERSE.names["any"].underlying_type, Nullness.MAYBE)  # type: ignore[union-attr]
        if name in ("min", "max") and args:
            return Operand(args[0].type, Nullness.NONNIL)
        if name in ("real", "imag"):
            return Operand(BASIC["float64"], Nullness.NONNIL)
        if name == "complex":
            return Operand(BASIC["complex128"], Nullness.NONNIL)
        if name in ("close",) and args:
            self.check_deref(fi, e.args[0], args[0], state, "close")
        return Operand(Tuple(()), multi=())

    def check_zero_value(self, fi: FileInfo, node: ast.Node, t: Type, how: str) -> None:
        missing = [z for z in zero_nils(t) if z]
        if missing:
            found = fields_at(t.underlying(), missing)
            fixes = fields_nullable(self.info, found) if found is not None else ()
            self.report(fi, node, M.NIL_INIT_ZERO, how=how, type=repr(t), fields=", ".join(missing), fixes=fixes)

    # ------------------------------------------------------------- functions

    def _file_bodies(self, fi: FileInfo) -> None:
        if self.body_checker is not None:
            self.body_checker(self, fi)

    def func_of(self, decl: ast.FuncDecl) -> Func | None:
        """The object declared for a function or method declaration (None for ``init``, ``_``,
        and methods of types that are not the package's)."""
        f = self._method_obj(decl) if decl.recv is not None else self.pkg.scope.names.get(decl.name.name)
        return f if isinstance(f, Func) and f.decl is decl else None

    def decl_scope(self, fi: FileInfo, decl: ast.FuncDecl) -> tuple[Scope, Signature]:
        """The scope a function declaration's body starts in (receiver, type parameters), and
        its signature."""
        scope = Scope(fi.scope)
        if decl.recv is not None:
            self._bind_receiver(fi, decl, scope)
        f = self.func_of(decl)
        sig = f.sig if f is not None and isinstance(f.sig, Signature) else self.signature(fi, decl.type, scope)
        for tp in sig.type_params:
            scope.names[tp.name] = TypeName(tp.name, None, tp)
        return scope, sig

    def check_type_decls(self, fi: FileInfo) -> None:
        """``bad-enum`` and ``bad-union``: the enums and unions of a file that the lowering cannot
        make (typedecls.py), judged as the lowering judges them."""
        text = fi.result.source.text
        problems = [nested_problem(spec) for spec in nested_type_specs(fi.tree, text)]
        for spec in ast.type_specs(fi.tree):
            if type(spec.type) is kinds.EnumType:
                problem = enum_problem(spec, self.pkg, text)
                if problem is not None:
                    problems.append(problem)
            elif type(spec.type) is kinds.UnionType:
                params = type_param_names(spec)
                for v in spec.type.variants:
                    if v.type is not None:
                        found = existing_variant(v.type, self.text(fi, v.type), spec.name.name, params, self.pkg)
                        if isinstance(found, Problem):
                            problems.append(found)
        for problem in problems:
            self.emit(fi, problem.node, problem.message, None, problem.fields)

    def check_package_tries(self, fi: FileInfo, decl: ast.GenDecl) -> None:
        """``?`` in a package-level var or const (outside function literals) is ``bad-try``: it is
        no statement of a block, and there is no function to return from."""
        stack: list[ast.Node] = [decl]
        while stack:
            node = stack.pop()
            if type(node) is kinds.TryExpr:
                self.report(fi, node, M.BAD_TRY_PLACE)
            if type(node) is not kinds.FuncLit:
                stack.extend(node.children())

    def _method_obj(self, decl: ast.FuncDecl) -> Func | None:
        assert decl.recv is not None
        if not decl.recv.list:
            return None
        rt = decl.recv.list[0].type
        while type(rt) is kinds.StarExpr or type(rt) is kinds.ParenExpr or type(rt) is kinds.NullableType:
            rt = rt.x
        base = rt.x if type(rt) is kinds.IndexExpr else rt
        if type(base) is kinds.Ident:
            obj = self.pkg.scope.names.get(base.name)
            if isinstance(obj, TypeName):
                return obj.methods.get(decl.name.name)
        return None

    def _bind_receiver(self, fi: FileInfo, decl: ast.FuncDecl, scope: Scope) -> None:
        assert decl.recv is not None
        if not decl.recv.list:
            return
        f = decl.recv.list[0]
        rt = f.type
        inner = rt
        while type(inner) is kinds.StarExpr or type(inner) is kinds.ParenExpr or type(inner) is kinds.NullableType:
            inner = inner.x
        if type(inner) is kinds.IndexExpr and type(inner.x) is kinds.Ident:
            obj = self.pkg.scope.names.get(inner.x.name)
            if isinstance(obj, TypeName):
                self.resolve_typename(obj)
                for i, idx in enumerate(inner.indices):
                    if type(idx) is kinds.Ident and i < len(obj.type_params):
                        scope.names[idx.name] = TypeName(idx.name, None, obj.type_params[i])
        t = self.type_expr(fi, rt, scope)  # inside the method the receiver is as declared
        for n in f.names:
            if n.name != "_":
                v = scope.names[n.name] = Var(n.name, t, decl=f, pkg=self.pkg)
                self.info.define(n, v, fi.result.source.name)


class _Quiet:
    def __init__(self, c: PackageChecker) -> None:
        self.c = c

    def __enter__(self) -> None:
        self.c._quiet += 1

    def __exit__(self, *exc: object) -> None:
        self.c._quiet -= 1


# ------------------------------------------------------------------ helpers --


def uses_iota(e: ast.Expr) -> bool:
    return any(type(n) is kinds.Ident and n.name == "iota" for n in ast.walk(e))


def zero_nils(t: Type, depth: int = 0) -> list[str]:
    """Where the zero value of ``t`` holds nil in a non-nil place: ``""`` for the value
    itself, field paths (``in.conn``) for struct fields, nested and embedded."""
    if depth > 8:
        return []
    if can_be_nil(t):
        return [""] if null_of_declared(t) is Nullness.NONNIL else []
    u = t.underlying()
    if isinstance(u, Struct):
        out: list[str] = []
        for f in u.fields:
            for sub in zero_nils(f.type, depth + 1):
                out.append(f.name + ("." + sub if sub else ""))
        return out
    if isinstance(u, Array) and u.length:
        return [f"[0]{'.' + sub if sub else ''}" for sub in zero_nils(u.elem, depth + 1)]
    return []


def fields_at(u: Type, paths: list[str]) -> list[Object] | None:
    """The fields the ``zero_nils`` paths of the struct type ``u`` name (``a.b``: field ``b``
    of ``a``'s struct type), or None when one cannot be named (an array element) or is
    embedded."""
    out: list[Object] = []
    for path in paths:
        t: Type = u
        field: Var | None = None
        for name in path.split("."):
            s = t.underlying() if not isinstance(t, Struct) else t
            field = s.field(name) if isinstance(s, Struct) else None
            if field is None:
                return None
            t = field.type
        if field is None or (type(field.decl) is kinds.Field and not field.decl.names):
            return None  # (an embedded field: its type is its name, no ? goes there)
        out.append(field)
    return out


def nil_verb(fi: FileInfo, node: ast.Node, null: Nullness, how: str) -> str:
    """How a message says a value is nil: ``is assigned`` for a literal nil, ``may be nil`` otherwise."""
    if type(node) is kinds.Ident and node.name == "nil":
        return f"is {how}"
    return "is nil" if null is Nullness.NIL else "may be nil"


def _is_string_type(t: Type) -> bool:
    u = t.underlying()
    return isinstance(u, Basic) and u.kind == "string"


def _embedded_name(t: ast.Expr) -> str:
    while type(t) is kinds.StarExpr or type(t) is kinds.ParenExpr or type(t) is kinds.NullableType:
        t = t.x
    if type(t) is kinds.IndexExpr:
        t = t.x
    if type(t) is kinds.SelectorExpr:
        return t.sel.name
    if type(t) is kinds.Ident:
        return t.name
    return "?"


def _receiver_type(m: Func) -> ast.Expr | None:
    """The receiver type a method is declared with, outside parentheses (None: not declared in source)."""
    d = m.decl
    if type(d) is kinds.FuncDecl and d.recv is not None and d.recv.list:
        t = d.recv.list[0].type
        while type(t) is kinds.ParenExpr:
            t = t.x
        return t
    return None


def _nullable_receiver(m: Func) -> bool:
    return type(_receiver_type(m)) is kinds.NullableType


def _pointer_receiver(m: Func) -> bool:
    t = _receiver_type(m)
    while type(t) is kinds.ParenExpr or type(t) is kinds.NullableType:
        t = t.x
    return type(t) is kinds.StarExpr


def value_pointer_method(t: Type, name: str) -> bool:
    """``x.name()`` on a variable x of type ``t`` calls a method declared on ``*T`` with x's
    address (Go's ``(&x).name()``): the method may assign x, and reads nothing of it."""
    found = lookup_field_or_method(t, name)
    return found is not None and found[0] == "method" and not found[2] and isinstance(found[1], Func) \
        and _pointer_receiver(found[1])


def _never_nil(t: Type) -> bool:
    """A value of ``t`` is never nil (a number, string, struct, array): the (T, error)
    contract's "may be nil" means nothing for it."""
    u = t.underlying()
    return isinstance(u, (Struct, Array)) or (isinstance(u, Basic) and u.kind not in ("unsafeptr", "nil"))


def _literal(e: ast.BasicLit) -> Operand:
    v = e.value
    if e.kind == "INT":
        try:
            return Operand(UNTYPED_INT, Nullness.NONNIL, constant.int_value(v))
        except ValueError:
            return Operand(UNTYPED_INT, Nullness.NONNIL)
    if e.kind == "FLOAT":
        try:
            return Operand(UNTYPED_FLOAT, Nullness.NONNIL, float(constant.float_value(v)))
        except (ValueError, ZeroDivisionError, OverflowError):
            return Operand(UNTYPED_FLOAT, Nullness.NONNIL)
    if e.kind == "IMAG":
        return Operand(BASIC["complex128"], Nullness.NONNIL)
    if e.kind == "CHAR":
        return Operand(UNTYPED_RUNE, Nullness.NONNIL)
    try:
        # (bytes that are not UTF-8, "\xff", stay as surrogate escapes: go_string writes them back)
        return Operand(UNTYPED_STRING, Nullness.NONNIL, constant.string_value(v).decode("utf-8", "surrogateescape"))
    except (ValueError, IndexError):
        return Operand(UNTYPED_STRING, Nullness.NONNIL)


def _binary_operand(op: str, x: Operand, y: Operand) -> Operand:
    """The operand of ``x op y`` (not ``&&``, ``||``), from its operands'."""
    if op in ("==", "!=", "<", "<=", ">", ">="):
        return Operand(UNTYPED_BOOL, Nullness.NONNIL, _fold(op, x.value, y.value))
    t = x.type
    if isinstance(t, Basic) and t.untyped and not (isinstance(y.type, Basic) and y.type.untyped):
        t = y.type
    elif isinstance(t, Basic) and t.untyped and isinstance(y.type, Basic) and y.type.untyped:
        order = ["int", "float", "complex"]
        if t.kind in order and y.type.kind in order and order.index(y.type.kind) > order.index(t.kind):
            t = y.type
        if x.type is UNTYPED_RUNE and y.type is UNTYPED_INT:
            t = UNTYPED_RUNE
    if op in ("<<", ">>"):
        t = x.type
    return Operand(t, Nullness.NONNIL, _fold(op, x.value, y.value))


def _fold(op: str, a: object, b: object) -> object:
    if not isinstance(a, constant.Value) or not isinstance(b, constant.Value):
        return None
    return constant.binary_op(op, a, b)


def default_type(t: Type) -> Type:
    if isinstance(t, Basic) and t.untyped:
        return {
            "bool": BASIC["bool"], "int": BASIC["int"], "float": BASIC["float64"],
            "complex": BASIC["complex128"], "string": BASIC["string"],
        }.get(t.kind, UNKNOWN) if t is not UNTYPED_RUNE else BASIC["int32"]
    return t


def _results_of(op: Operand) -> tuple[Var, ...] | None:
    """The result list of the call an operand came from, when known."""
    if op.multi:
        return tuple(Var("", o.type) for o in op.multi)
    if isinstance(op.type, Tuple):
        return tuple(Var("", t) for t in op.type.types)
    if isinstance(op.type, UnknownType):
        return None
    return (Var("", op.type),)


# While a body is checked for a memo with dependencies (bodies.py), the last list here
# collects the named types a member lookup looked in, with the member found there ("" for
# the others): what the body's diagnostics depend on besides the names in its text
SELECTING: list[list[tuple[TypeName, str]]] = []


def lookup_field_or_method(t: Type, name: str) -> tuple[str, Var | Func, bool] | None:
    """Find field or method ``name`` of ``t``, with embedded promotion (breadth-first).

    Returns (kind, member, reached through a pointer).
    """
    looked = SELECTING[-1] if SELECTING else None
    if looked is not None and isinstance(t, Named):
        looked.append((t.obj, ""))  # (its underlying type read: a pointer, or what is below)
    through_ptr = False
    u = t.underlying()
    if isinstance(u, Pointer):
        through_ptr = True
        t = u.elem
    seen: set[int] = set()
    level: list[tuple[Type, bool]] = [(t, through_ptr)]
    while level:
        next_level: list[tuple[Type, bool]] = []
        for typ, via_ptr in level:
            if isinstance(typ, Named):
                if id(typ.obj) in seen:
                    continue
                seen.add(id(typ.obj))
                m = typ.obj.methods.get(name)
                if looked is not None:
                    looked.append((typ.obj, name if m is not None else ""))
                if m is not None:
                    return ("method", m, via_ptr)
            u = typ.underlying()
            if isinstance(u, Interface):
                im = u.all_methods().get(name)
                if im is not None:
                    if looked is not None and isinstance(typ, Named):
                        looked.append((typ.obj, name))
                    return ("method", im, False)
            if isinstance(u, Struct):
                for f in u.fields:
                    if f.name == name:
                        if looked is not None and isinstance(typ, Named):
                            looked.append((typ.obj, name))
                        return ("field", f, via_ptr)
                for f in u.fields:
                    if f.embedded:
                        ft = f.type
                        fu = ft.underlying()
                        if isinstance(fu, Pointer):
                            next_level.append((fu.elem, True))
                        else:
                            next_level.append((ft, via_ptr))
        level = next_level
    return None


def find_method(t: Type, name: str) -> Func | None:
    found = lookup_field_or_method(t, name)
    if found is not None and found[0] == "method":
        m = found[1]
        return m if isinstance(m, Func) else None
    return None


def infer(sig: Signature, args: list[Type]) -> dict[TypeParam, Type]:
    """Simple type-argument inference: unify parameter types with argument types."""
    m: dict[TypeParam, Type] = {}

    def unify(p: Type, a: Type) -> None:
        if isinstance(p, TypeParam):
            if p not in m and not isinstance(a, UnknownType):
                m[p] = default_type(a)
            return
        if isinstance(p, Pointer) and isinstance(a.underlying(), Pointer):
            au = a.underlying()
            assert isinstance(au, Pointer)
            unify(p.elem, au.elem)
        elif isinstance(p, Slice) and isinstance(a.underlying(), Slice):
            au = a.underlying()
            assert isinstance(au, Slice)
            unify(p.elem, au.elem)
        elif isinstance(p, Map) and isinstance(a.underlying(), Map):
            au = a.underlying()
            assert isinstance(au, Map)
            unify(p.key, au.key)
            unify(p.elem, au.elem)
        elif isinstance(p, Named) and isinstance(a, Named) and p.obj is a.obj:
            for x, y in zip(p.targs, a.targs, strict=False):
                unify(x, y)

    for i, a in enumerate(args):
        if i < len(sig.params):
            unify(sig.params[i].type, a)
        elif sig.variadic and sig.params:
            last = sig.params[-1].type
            unify(last.elem if isinstance(last, Slice) else last, a)
    for tp in sig.type_params:
        if tp not in m:
            m[tp] = UNKNOWN
    return m


__all__ = [
    "ERROR",
    "UNKNOWN_OP",
    "FileInfo",
    "Importer",
    "Operand",
    "PackageChecker",
    "identical",
    "null_of_declared",
]
