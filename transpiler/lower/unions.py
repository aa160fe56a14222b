"""Union lowering: a sealed interface and one struct type per new variant.

``type Shape union { Circle{Radius float64}; Dot{}; *Polygon }`` becomes

* ``type Shape interface { isShape() }`` in place (doc comment and any enclosing
  ``type ( … )`` group kept): one unexported marker method, so only types of this
  package can implement it;
* after the declaration, a ``type ( … )`` group made from the union's body, each
  new variant ``Circle{Radius float64}`` turned into ``Circle struct{Radius float64}``
  (comments between variants survive; existing variants leave the group);
* the marker method on every variant: ``func (Circle) isShape() {}``, and on an
  existing type as written, ``func (*Polygon) isShape() {}``.

A generic union ``type Result[T any] union { Ok{Value T}; Err{Err error} }`` gives
its type parameters to each new variant (``type Ok[T any] struct{ Value T }``), and
its marker method takes them as parameters, ``isResult(T)``: ``Ok[int]`` has
``isResult(int)`` and so implements ``Result[int]`` but not ``Result[string]``
(spec §4).  (Not ``isResult(Result[T])``: that would require every existing variant's
type parameters to satisfy the union's constraints.)  An existing variant of a
generic union must take the union's type parameters as its type arguments
(``*Node[T]``), which become the receiver's type parameters: ``func (*Node[T])
isResult(T) {}``.

The marker is named ``is<Union>`` unless an identifier of the package already
uses that name, in which case a numbered name is taken.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from transpiler.check.typedecls import Problem, existing_variant, type_param_names
from transpiler.lower.edits import Edit, LowerError, Text
from transpiler.lower.enums import PackageNames, find_brace, lower_type_decls, take_text, take_text_mapped
from transpiler.lower.linemap import line_directive
from transpiler.syntax import ast

if TYPE_CHECKING:
    from transpiler.lower.filelowering import FileLowering


def union_edits(fl: FileLowering) -> None:
    lower_type_decls(fl, ast.UnionType, _lower_union)


def _marker_name(name: str, pkg: PackageNames) -> str:
    base = "is" + name
    used = pkg.idents | pkg.generated
    marker = base
    i = 2
    while marker in used:
        marker = f"{base}{i}"
        i += 1
    pkg.generated.add(marker)
    return marker


def _lower_union(fl: FileLowering, spec: ast.TypeSpec, t: ast.UnionType, pkg: PackageNames) -> Text:
    name = spec.name.name
    marker = _marker_name(name, pkg)
    params = type_param_names(spec)
    tparams = ""
    if spec.type_params is not None:
        tparams = take_text(fl, spec.type_params.pos, spec.type_params.end)
    # a generic union's marker takes its type parameters: Ok[int] has isResult(int), so it is a
    # Result[int] and not a Result[string]
    instance = ", ".join(params)

    # the union in place: a sealed interface
    fl.edits.append(Edit(t.pos, t.end, f"interface {{\n\t{marker}({instance})\n}}"))

    line_file = fl.line_name
    lbrace = find_brace(fl, t.keyword.end)
    line = fl.line_of(lbrace)

    # the new variants: the union's body as a type group, its text moved (and mapped: the
    # source map leads from a variant's name and fields in the Go file back to the union)
    group = Text().add("type (")
    cursor = lbrace + 1
    methods = Text()
    for v in t.variants:
        if v.name is not None and v.fields is not None:
            group.copy(take_text_mapped(fl, cursor, v.pos))
            cursor = v.end
            fields = take_text_mapped(fl, v.fields.pos, v.fields.end)
            group.copy((v.name.name, ((v.name.pos, 0, len(v.name.name)),)))
            group.add(tparams)  # (not mapped: the type parameters stay in place too)
            group.add(" struct").copy(fields)
            recv = f"{v.name.name}[{', '.join(params)}]" if params else v.name.name
            methods.add(f"func ({recv}) {marker}({instance}) {{}}\n")
        elif v.type is not None:
            # an existing type leaves the group; the comments on its lines go to its marker method
            start, end, comments = _own_lines(fl, v, cursor, t.end - 1)
            group.copy(take_text_mapped(fl, cursor, start))
            cursor = end
            recv = _existing_receiver(fl, name, v.type, params)
            methods.add(f"{comments}func ({recv}) {marker}({instance}) {{}}\n")
    group.copy(take_text_mapped(fl, cursor, t.end - 1))
    group.add(")")

    out = Text()
    if any(v.name is not None for v in t.variants):
        out.add(f"\n\n{line_directive(line_file, line)}\n").extend(group)
    if str(methods):
        out.add(f"\n\n{line_directive(line_file, line)}\n").extend(methods)
    return out


def _own_lines(fl: FileLowering, v: ast.UnionVariant, lo: int, hi: int) -> tuple[int, int, str]:
    """The span ``[start, end)`` of an existing variant (within ``[lo, hi)``, the text after the
    previous variant) with the ``//`` comment lines just above it and a ``//`` comment after it on
    its line, when it has its lines to itself; and those comments, one per line."""
    text = fl.text
    line_start = text.rfind("\n", 0, v.pos) + 1
    eol = text.find("\n", v.end, hi)
    if line_start < lo or text[line_start:v.pos].strip() or eol < 0:
        return v.pos, v.end, ""
    rest = text[v.end:eol].strip()
    if rest and not rest.startswith("//"):
        return v.pos, v.end, ""
    start = line_start
    lead: list[str] = []
    while True:
        prev_start = text.rfind("\n", 0, start - 1) + 1
        if prev_start < lo:
            break
        line = text[prev_start:start - 1].strip()
        if not line.startswith("//"):
            break
        lead.insert(0, line)
        start = prev_start
    if rest:
        lead.append(rest)
    return start, eol + 1, "".join(c + "\n" for c in lead)


def _existing_receiver(fl: FileLowering, union: str, t: ast.Expr, params: list[str]) -> str:
    """The receiver type of the marker method on an existing variant type, as written."""
    found = existing_variant(t, take_text(fl, t.pos, t.end), union, params, fl.info.pkg)
    if isinstance(found, Problem):
        raise LowerError(str(found))  # the checker reports it (bad-union)
    return found.receiver()
