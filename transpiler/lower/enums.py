"""Enum lowering: typed constants plus String, IsValid, MarshalText, UnmarshalText, ParseX, XValues.

``type Color enum { Red; Green; Blue }`` becomes ``type Color int`` in place
(the doc comment and any enclosing ``type ( … )`` group stay as written), and
after the declaration come

* a ``const`` block with the members as typed constants, made from the enum's
  body so that comments between members survive (iota order when no member has
  a value; otherwise every member gets an explicit value: the one written, or the
  previous expression again when it uses iota, as in a Go const block, else the
  previous member plus one, as the checker counts them);
* the generated API (spec §3).  ``String`` allocates nothing: a dense integer enum
  (distinct values forming one run) slices one constant string of all the names
  with an index array, as ``stringer`` does; a sparse one switches; a string enum
  is its own text.  ``ParseX`` switches on exactly the texts ``String`` gives (for
  members sharing a value, the first one's), and the text marshalling uses the
  same text: ``MarshalText`` gives the name (the value of a string enum) and is an
  error for a value that is not a member, so what it writes ``UnmarshalText`` (that
  is, ``ParseX``) reads back.  ``XValues`` returns a fresh slice on each call.

A string member written without a value has its name as its value.  A method or
function the user declares under a generated name is not generated (the checker
lets the user's declaration win too).  Generated receivers, parameters and locals
avoid every name the generated bodies use; package-level helpers avoid the
package's declarations.  ``//line`` directives put the const block on the lines
of the enum's body, and the generated functions on the enum's line.

The helpers at the end of this module (moving text with the edits inside it,
package-level names, insertion points) are shared with unions.py.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from transpiler.check.checker import uses_iota
from transpiler.check.typedecls import enum_problem, nested_problem, nested_type_specs
from transpiler.lower.edits import Edit, LowerError, Piece, Text, apply_edits_mapped
from transpiler.lower.filelowering import fresh_name
from transpiler.lower.linemap import line_directive
from transpiler.syntax import ast
from transpiler.syntax.walk import nodes
from transpiler.types.constant import go_string
from transpiler.types.model import Basic, Const, TypeName

if TYPE_CHECKING:
    from transpiler.lower.filelowering import FileLowering

# identifiers the generated bodies use from the universe scope
_PREDECLARED = {"len", "string", "byte", "error", "nil", "true", "false", "bool", "int64", "uint64", "uint8",
                "uint16", "uint32", "iota"}


def enum_edits(fl: FileLowering) -> None:
    lower_type_decls(fl, ast.EnumType, _lower_enum)


def lower_type_decls(
    fl: FileLowering,
    kind: type[ast.EnumType] | type[ast.UnionType],
    lower: Callable[[FileLowering, ast.TypeSpec, Any, PackageNames], str | Text],
) -> None:
    """Lower every type spec whose type is a ``kind`` (enum or union): the spec is rewritten
    in place and the declarations ``lower`` returns go after its group; one declared
    anywhere but at package level is an error (the checker reports it: bad-enum, bad-union)."""
    for spec in nested_type_specs(fl.tree, fl.text):
        if isinstance(spec.type, kind):
            raise LowerError(str(nested_problem(spec)))
    pkg: PackageNames | None = None
    for decl in fl.tree.decls:
        if not (isinstance(decl, ast.GenDecl) and decl.tok == "type"):
            continue
        specs = [s for s in decl.specs if isinstance(s, ast.TypeSpec) and isinstance(s.type, kind)]
        if not specs:
            continue
        if pkg is None:
            pkg = PackageNames.of(fl)
        text = Text()
        for spec in specs:
            part = lower(fl, spec, spec.type, pkg)
            if isinstance(part, str):
                text.add(part)
            else:
                text.extend(part)
        at = insertion_point(fl, decl.end)
        fl.edits.append(text.edit(at, at))


# (plain classes, not dataclasses: one is made when the module is loaded, on the path of every
# check, with an interpreted __init__)
class _Member:
    __slots__ = ("name", "value")

    def __init__(self, name: str, value: int | str | None) -> None:
        self.name = name
        self.value = value  # None: not known to the checker


class _Enum:
    __slots__ = ("distinct", "members", "name", "string", "unsigned")

    def __init__(self, name: str, members: list[_Member], string: bool, unsigned: bool) -> None:
        self.name = name
        self.members = members
        self.string = string  # a string enum (else an integer one)
        self.unsigned = unsigned
        self.distinct: list[_Member] = []  # the first member of each value


def _lower_enum(fl: FileLowering, spec: ast.TypeSpec, t: ast.EnumType, pkg: PackageNames) -> Text:
    name = spec.name.name
    if spec.type_params is not None:
        raise LowerError(f"enum {name}: an enum cannot have type parameters")
    problem = enum_problem(spec, fl.info.pkg, fl.text)
    if problem is not None:
        raise LowerError(str(problem))  # the checker reports it (bad-enum)
    obj = fl.info.pkg.scope.names.get(name)
    if not isinstance(obj, TypeName) or obj.enum is None:
        raise LowerError(f"enum {name}: not known to the checker")
    base = obj.enum.base.underlying()
    assert isinstance(base, Basic)
    is_string = base.kind == "string"
    values: dict[str, object] = {c.name: c.value for c in obj.enum.members if isinstance(c, Const)}
    members: list[_Member] = []
    for m in t.members:
        v = values.get(m.name.name)
        if is_string and m.value is None:
            v = m.name.name  # a string member without a value is its own name
        members.append(_Member(m.name.name, v if isinstance(v, (int, str)) and not isinstance(v, bool) else None))
    e = _Enum(name, members, is_string, base.kind == "uint")
    seen: set[object] = set()
    for mem in members:
        if mem.value is None or mem.value not in seen:
            e.distinct.append(mem)
            if mem.value is not None:
                seen.add(mem.value)

    # the type in place: `Color enum {…}` -> `Color int`
    base_text = Text().copy(take_text_mapped(fl, t.base.pos, t.base.end)) if t.base is not None else Text().add("int")
    fl.edits.append(base_text.edit(t.pos, t.end))

    line_file = fl.line_name
    lbrace = find_brace(fl, t.base.end if t.base is not None else t.keyword.end)
    line = fl.line_of(lbrace)
    out = Text().add(f"\n\n{line_directive(line_file, line)}\n")
    _const_block(fl, t, e, lbrace, out)
    out.add("\n")
    api = _api(fl, e, pkg)
    if api:
        # a directive just above a doc comment would be moved into it by gofmt
        out.add(f"\n{line_directive(line_file, line)}\n{chr(10) if api.startswith('//') else ''}{api}")
    return out


def _const_block(fl: FileLowering, t: ast.EnumType, e: _Enum, lbrace: int, out: Text) -> None:
    """``const ( … )`` from the enum's body, added to ``out``: its text with each member made a
    typed constant (the member names, values and the text between them are the source's)."""
    out.add("const (")
    cursor = lbrace + 1
    last: ast.Expr | None = None
    prev = ""
    for i, em in enumerate(t.members):
        out.copy(take_text_mapped(fl, cursor, em.pos))
        name = em.name.name
        out.copy((name, ((em.name.pos, 0, len(name)),)))
        if em.value is not None:
            out.add(f" {e.name} = ").copy(take_text_mapped(fl, em.value.pos, em.value.end))
            last = em.value
        elif e.string:
            out.add(f" {e.name} = {go_string(name)}")
        elif i == 0:
            out.add(f" {e.name} = iota")
        elif last is None or uses_iota(last):
            pass  # Go repeats the previous expression with the next iota
        else:
            out.add(f" {e.name} = {prev} + 1")  # the previous member plus one
        prev = name
        cursor = em.end
    out.copy(take_text_mapped(fl, cursor, t.end - 1))
    out.add(")")


def _api(fl: FileLowering, e: _Enum, pkg: PackageNames) -> str:
    T = e.name
    user_methods = pkg.methods.get(T, set())
    parse_fn, values_fn = f"Parse{T}", f"{T}Values"
    want = {
        "String": "String" not in user_methods,
        "IsValid": "IsValid" not in user_methods,
        "MarshalText": "MarshalText" not in user_methods,
        "UnmarshalText": "UnmarshalText" not in user_methods,
        parse_fn: parse_fn not in pkg.decls,
        values_fn: values_fn not in pkg.decls,
    }
    ints = [m for m in e.distinct if isinstance(m.value, int)]
    dense: tuple[_Member, _Member] | None = None
    if not e.string and e.distinct and len(ints) == len(e.distinct):
        lo = min(ints, key=lambda m: int(m.value or 0))
        hi = max(ints, key=lambda m: int(m.value or 0))
        if int(hi.value or 0) - int(lo.value or 0) + 1 == len(ints):
            dense = (lo, hi)
    fmt = fl.import_name("fmt") if any(want[k] for k in ("MarshalText", parse_fn)) else ""
    strconv = fl.import_name("strconv") if want["String"] and not e.string else ""

    helper_name = helper_index = ""
    if dense is not None and want["String"]:
        helper_name = pkg.fresh(f"_{T}_name")
        helper_index = pkg.fresh(f"_{T}_index")
    reserved = {T, parse_fn, values_fn, helper_name, helper_index, fmt, strconv, *_PREDECLARED}
    reserved |= {m.name for m in e.members}
    recv = fresh_name(_receiver_base(T), reserved)
    blocks: list[str] = []

    # String
    if want["String"]:
        if e.string:
            body = f"\treturn string({recv})\n"
            doc = f"// String returns {recv} as a string: a member's value."
        else:
            num = (f'"{T}(" + {strconv}.FormatUint(uint64({recv}), 10) + ")"' if e.unsigned else
                   f'"{T}(" + {strconv}.FormatInt(int64({recv}), 10) + ")"')
            doc = f"// String returns the name of the member {recv}, or {T}(n) for another value."
            if dense is not None:
                lo, hi = dense
                ordered = sorted(ints, key=lambda m: int(m.value or 0))
                names = "".join(m.name for m in ordered)
                offsets = [0]
                for m in ordered:
                    offsets.append(offsets[-1] + len(m.name.encode()))
                width = 8 if offsets[-1] < 1 << 8 else 16 if offsets[-1] < 1 << 16 else 32
                blocks.append(f"const {helper_name} = {go_string(names)}\n\n"
                              f"var {helper_index} = [...]uint{width}{{{', '.join(map(str, offsets))}}}\n")
                cond = _range_cond(recv, lo, hi, e.unsigned, negate=True)
                if lo.value == 0:
                    idx = recv
                    body = f"\tif {cond} {{\n\t\treturn {num}\n\t}}\n"
                else:
                    idx = fresh_name("i", reserved | {recv})
                    body = f"\tif {cond} {{\n\t\treturn {num}\n\t}}\n\t{idx} := {recv} - {lo.name}\n"
                body += f"\treturn {helper_name}[{helper_index}[{idx}]:{helper_index}[{idx}+1]]\n"
            else:
                cases = "".join(f"\tcase {m.name}:\n\t\treturn {go_string(m.name)}\n" for m in e.distinct)
                body = f"\tswitch {recv} {{\n{cases}\t}}\n" if cases else ""
                body += f"\treturn {num}\n"
        blocks.append(f"{doc}\nfunc ({recv} {T}) String() string {{\n{body}}}\n")

    # IsValid
    if want["IsValid"]:
        if dense is not None:
            body = f"\treturn {_range_cond(recv, dense[0], dense[1], e.unsigned, negate=False)}\n"
        elif e.distinct:
            body = (f"\tswitch {recv} {{\n\tcase {', '.join(m.name for m in e.distinct)}:\n\t\treturn true\n\t}}\n"
                    "\treturn false\n")
        else:
            body = "\treturn false\n"
        blocks.append(f"// IsValid reports whether {recv} is a member of {T}.\n"
                      f"func ({recv} {T}) IsValid() bool {{\n{body}}}\n")

    # MarshalText
    if want["MarshalText"]:
        bad = (f'{fmt}.Errorf("invalid {T} %q", string({recv}))' if e.string else
               f'{fmt}.Errorf("invalid {T} %d", {"uint64" if e.unsigned else "int64"}({recv}))')
        text = f"[]byte({recv})" if e.string else f"[]byte({recv}.String())"
        what = "value" if e.string else "name"
        blocks.append(f"// MarshalText encodes {recv} as its {what}; a value that is not a member is an error.\n"
                      f"func ({recv} {T}) MarshalText() ([]byte, error) {{\n"
                      f"\tif !{recv}.IsValid() {{\n\t\treturn nil, {bad}\n\t}}\n"
                      f"\treturn {text}, nil\n}}\n")

    # UnmarshalText
    if want["UnmarshalText"]:
        local = reserved | {recv}
        text = fresh_name("text", local)
        v = fresh_name("v", local | {text})
        err = fresh_name("err", local | {text, v})
        blocks.append(f"// UnmarshalText decodes the text {parse_fn} accepts.\n"
                      f"func ({recv} *{T}) UnmarshalText({text} []byte) error {{\n"
                      f"\t{v}, {err} := {parse_fn}(string({text}))\n"
                      f"\tif {err} != nil {{\n\t\treturn {err}\n\t}}\n"
                      f"\t*{recv} = {v}\n\treturn nil\n}}\n")

    # ParseX
    if want[parse_fn]:
        s = fresh_name("s", reserved)
        zero = '""' if e.string else "0"
        if e.string:
            cases = "".join(f"\tcase {go_string(str(m.value))}:\n\t\treturn {m.name}, nil\n"
                            for m in e.distinct if m.value is not None)
            # a value the checker could not compute is compared as written
            cases += "".join(f"\tcase string({m.name}):\n\t\treturn {m.name}, nil\n"
                             for m in e.distinct if m.value is None)
        else:
            cases = "".join(f"\tcase {go_string(m.name)}:\n\t\treturn {m.name}, nil\n" for m in e.distinct)
        body = f"\tswitch {s} {{\n{cases}\t}}\n" if cases else ""
        body += f'\treturn {zero}, {fmt}.Errorf("invalid {T} %q", {s})\n'
        blocks.append(f"// {parse_fn} returns the member of {T} whose String is {s}.\n"
                      f"func {parse_fn}({s} string) ({T}, error) {{\n{body}}}\n")

    # XValues
    if want[values_fn]:
        blocks.append(f"// {values_fn} returns the members of {T} in declaration order, in a new slice.\n"
                      f"func {values_fn}() []{T} {{\n"
                      f"\treturn []{T}{{{', '.join(m.name for m in e.members)}}}\n}}\n")
    return "\n".join(blocks)


def _range_cond(recv: str, lo: _Member, hi: _Member, unsigned: bool, negate: bool) -> str:
    """``lo <= recv && recv <= hi`` (or its negation), leaving out a test unsigned values always pass."""
    if negate:
        return f"{recv} > {hi.name}" if unsigned and lo.value == 0 else f"{recv} < {lo.name} || {recv} > {hi.name}"
    return f"{recv} <= {hi.name}" if unsigned and lo.value == 0 else f"{recv} >= {lo.name} && {recv} <= {hi.name}"


def _receiver_base(type_name: str) -> str:
    for ch in type_name:
        if ch.isalpha():
            return ch.lower()
    return "v"


# ------------------------------------------------------------ shared helpers


class PackageNames:
    """The names a generated declaration must not collide with, over every file of the package.
    (A plain class, not a dataclass: one is made when the module is loaded.)"""

    __slots__ = ("by_file", "decls", "generated", "idents", "methods")

    def __init__(self, decls: set[str], methods: dict[str, set[str]], idents: set[str],
                 by_file: list[tuple[ast.File, list[int], list[str]]] | None = None) -> None:
        self.decls = decls  # package-level declarations (and union variants, enum members)
        self.methods = methods  # receiver base type name -> method names
        self.idents = idents  # every identifier of every file
        self.generated: set[str] = set()
        # each file's identifiers by position: (tree, their offsets in order, their names)
        self.by_file: list[tuple[ast.File, list[int], list[str]]] = [] if by_file is None else by_file

    def idents_in(self, tree: ast.File, node: ast.Node) -> set[str]:
        """The names of the identifiers under ``node`` of ``tree`` (without walking it again)."""
        for t, offsets, names in self.by_file:
            if t is tree:
                return set(names[bisect.bisect_left(offsets, node.pos) : bisect.bisect_left(offsets, node.end)])
        return {n.name for n in nodes(node) if isinstance(n, ast.Ident)}

    @staticmethod
    def of(fl: FileLowering) -> PackageNames:
        """The package's names, computed once per package (every file shares them, and the
        names generated for one file are then reserved for the others too)."""
        cached = fl.shared.get("package_names")
        if isinstance(cached, PackageNames):
            return cached
        names = PackageNames._compute(fl)
        fl.shared["package_names"] = names
        return names

    @staticmethod
    def _compute(fl: FileLowering) -> PackageNames:
        decls: set[str] = set()
        methods: dict[str, set[str]] = {}
        idents: set[str] = set()
        trees = list(fl.info.files.values())
        if not any(tree is fl.tree for tree in trees):
            trees.append(fl.tree)
        by_file: list[tuple[ast.File, list[int], list[str]]] = []
        for tree in trees:
            walked = fl.nodes() if tree is fl.tree else nodes(tree)
            found = [node for node in walked if isinstance(node, ast.Ident)]
            offsets = [node.pos for node in found]
            names = [node.name for node in found]
            # (the walk meets them in source order: sorted only where a tree says otherwise;
            # ``idents_in`` reads a set of names, so the order of equal offsets is no matter)
            if any(offsets[k] > offsets[k + 1] for k in range(len(offsets) - 1)):
                pairs = sorted(zip(offsets, names, strict=True))
                offsets, names = [pos for pos, _ in pairs], [name for _, name in pairs]
            idents.update(names)
            by_file.append((tree, offsets, names))
            for decl in tree.decls:
                if isinstance(decl, ast.FuncDecl):
                    if decl.recv is None:
                        decls.add(decl.name.name)
                    elif decl.recv.list:
                        base = receiver_base(decl.recv.list[0].type)
                        if base is not None:
                            methods.setdefault(base, set()).add(decl.name.name)
                elif isinstance(decl, ast.GenDecl):
                    for spec in decl.specs:
                        if isinstance(spec, ast.TypeSpec):
                            decls.add(spec.name.name)
                            if isinstance(spec.type, ast.EnumType):
                                decls.update(m.name.name for m in spec.type.members)
                            elif isinstance(spec.type, ast.UnionType):
                                decls.update(v.name.name for v in spec.type.variants if v.name is not None)
                        elif isinstance(spec, ast.ValueSpec):
                            decls.update(n.name for n in spec.names)
        return PackageNames(decls, methods, idents, by_file=by_file)

    def fresh(self, base: str) -> str:
        """A package-level name no declaration of the package (nor an earlier ``fresh``) uses."""
        name = fresh_name(base, self.decls | self.generated)
        self.generated.add(name)
        return name


def receiver_base(t: ast.Expr) -> str | None:
    """The type name of a receiver type expression: ``*List[T]`` -> ``List``."""
    while isinstance(t, (ast.StarExpr, ast.ParenExpr, ast.IndexExpr, ast.NullableType)):
        t = t.x
    return t.name if isinstance(t, ast.Ident) else None


def take_text(fl: FileLowering, pos: int, end: int) -> str:
    """The text of ``[pos, end)`` with the edits already made inside it applied; those edits are
    removed from the file's edits, since the text is moved elsewhere."""
    return take_text_mapped(fl, pos, end)[0]


def take_text_mapped(fl: FileLowering, pos: int, end: int) -> tuple[str, tuple[Piece, ...]]:
    """``take_text``, with the runs of source text in it (for ``edits.Text.copy``)."""
    inner = fl.edits.take(pos, end)
    if not inner:
        return fl.text[pos:end], ((pos, 0, end - pos),) if end > pos else ()
    shifted = [Edit(e.pos - pos, e.end - pos, e.text, e.order, e.moved) for e in inner]
    text, pieces = apply_edits_mapped(fl.text[pos:end], shifted, base=pos)
    return text, tuple(pieces)


def _comment_spans(fl: FileLowering) -> list[tuple[int, int]]:
    return [(c.pos, c.end) for c in fl.tree.comments]


def find_brace(fl: FileLowering, start: int) -> int:
    """The offset of the first ``{`` at or after ``start`` that is not inside a comment."""
    spans = _comment_spans(fl)
    i = start
    while True:
        i = fl.text.find("{", i)
        if i < 0:
            raise LowerError("no '{' where one was expected")
        inside = next((e for p, e in spans if p <= i < e), None)
        if inside is None:
            return i
        i = inside


def insertion_point(fl: FileLowering, pos: int) -> int:
    """Where to insert declarations after a node ending at ``pos``: the end of its line when only
    white space and comments follow on it (so a trailing comment stays with the node), else ``pos``."""
    spans = _comment_spans(fl)
    i = pos
    text = fl.text
    while i < len(text):
        ch = text[i]
        if ch == "\n":
            return i
        if ch in " \t\r":
            i += 1
            continue
        comment = next((e for p, e in spans if p == i), None)
        if comment is None or "\n" in text[i:comment]:
            return pos
        i = comment
    return i
