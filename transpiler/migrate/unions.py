"""``tgo migrate --unions``: a sealed interface (one unexported marker method, implemented by types of the package) to a ``union`` of those types.

``type Shape interface { isShape() }`` with ``func (Circle) isShape() {}`` and
``func (*Rect) isShape() {}`` becomes ``type Shape union { Circle; *Rect }`` (spec §4),
and the marker methods go: the lowering writes them again (``lower/unions.py``: an
interface with one unexported marker method, on exactly the listed variants), so the
package's method sets, and so its behaviour, are what they were. It converts only when:

* the interface is declared at package level, is not generic, has exactly one method,
  unexported, with no parameters or results, and nothing but that method (no embedded
  interface, no comment inside it);
* every marker method (a method of that name, no parameters or results) has an empty
  body, no comment, no doc comment, and a receiver ``T`` or ``*T`` that
  ``check/typedecls.existing_variant`` accepts as a union's existing variant;
* the marker's name is mentioned nowhere else in the package (a call of it, another
  interface with it) — the lowering's marker may have another name (``is<Name>``);
* at least one type implements it; and the package checked with the conversion has no
  diagnostic the original does not have (a type switch without ``default`` that misses a
  variant is ``nonexhaustive`` for a union: such an interface is left).
"""

from __future__ import annotations

from dataclasses import dataclass

from transpiler.check.snapshot import PackageCheck
from transpiler.check.typedecls import Problem, existing_variant
from transpiler.diagnostics.fix import TextEdit
from transpiler.migrate.layout import formatted_type
from transpiler.migrate.recheck import Recheck
from transpiler.migrate.report import IN_GO_FILE, Report
from transpiler.migrate.spans import doc_start, line_span, removals
from transpiler.syntax import ast
from transpiler.types.model import Package

NOT_SEALED = "not a sealed interface (one unexported marker method and nothing else)"
MARKER_BODY = "a marker method has a body or a comment"
MARKER_USED = "the marker method is mentioned elsewhere"
BAD_VARIANT = "an implementing type cannot be a union variant"
NEW_DIAGNOSTICS = "the converted package does not check as cleanly"


@dataclass(slots=True)
class _Marker:
    file: str
    decl: ast.FuncDecl
    receiver: str  # as the union lists it: T or *T


def union_edits(check: PackageCheck, verify: bool = True) -> Report:
    """The ``--unions`` edits of a checked package (see the module docstring); with ``verify``
    each conversion is checked by checking the converted package again."""
    report = Report()
    if check.checker is None:
        return report
    pkg = check.checker.info.pkg
    files = [(fi.result.source.name, fi.result.source.text, fi.tree) for fi in check.infos
             if fi.result.tree is not None]
    tgo_files = {fi.result.source.name for fi in check.infos if fi.is_tgo}
    recheck = Recheck(check)
    for name, text, tree in files:
        comments = [(c.pos, c.end) for c in tree.comments]
        for spec in ast.type_specs(tree):
            if not isinstance(spec.type, ast.InterfaceType):
                continue
            marker = _marker(spec, text, comments)
            if marker is None:
                if _has_unexported_marker(spec):
                    report.skip(name, spec.pos, NOT_SEALED)
                continue
            found = _markers(files, marker, spec.name.name, pkg)
            if isinstance(found, str):
                report.skip(name, spec.pos, found)
                continue
            if not found:
                continue
            edits = _edits(name, text, spec, found, files)
            if any(e.file not in tgo_files for e in edits):
                report.skip(name, spec.pos, IN_GO_FILE)
                continue
            if verify and recheck.added(edits):
                report.skip(name, spec.pos, NEW_DIAGNOSTICS)
                continue
            report.edits.extend(edits)
            report.converted += 1
            report.names.append(spec.name.name)
    return report


def _has_unexported_marker(spec: ast.TypeSpec) -> bool:
    """Whether the interface has an unexported method without parameters or results (a
    sealed interface that has more than its marker)."""
    t = spec.type
    assert isinstance(t, ast.InterfaceType)
    return any(f.names and not f.names[0].name[0].isupper() and isinstance(f.type, ast.FuncType)
               and not f.type.params.list and f.type.results is None for f in t.methods.list)


def _marker(spec: ast.TypeSpec, text: str, comments: list[tuple[int, int]]) -> str | None:
    """The marker method's name when ``spec`` is a sealed interface the conversion takes."""
    t = spec.type
    assert isinstance(t, ast.InterfaceType)
    if spec.type_params is not None or spec.assign or len(t.methods.list) != 1:
        return None
    f = t.methods.list[0]
    if len(f.names) != 1 or not isinstance(f.type, ast.FuncType):
        return None
    name = f.names[0].name
    if name[0].isupper() or name == "_" or f.type.params.list or f.type.results is not None:
        return None
    if any(t.pos <= p < t.end for p, _e in comments):
        return None
    return name


def _markers(files: list[tuple[str, str, ast.File]], marker: str, union: str,
             pkg: Package) -> list[_Marker] | str:
    out: list[_Marker] = []
    mentions = 0
    for name, text, tree in files:
        comments = [(c.pos, c.end) for c in tree.comments]
        for node in ast.walk(tree):
            if isinstance(node, ast.Ident) and node.name == marker:
                mentions += 1
        for decl in tree.decls:
            if not (isinstance(decl, ast.FuncDecl) and decl.recv is not None and decl.name.name == marker):
                continue
            ft = decl.type
            if ft.params.list or ft.results is not None or len(decl.recv.list) != 1:
                continue  # another method of that name: the type does not implement the interface
            body = decl.body
            line_start = text.rfind("\n", 0, decl.pos) + 1
            above = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
            doc = text[above:line_start].strip().startswith("//") and line_start > 0
            if body is None or body.list or doc or any(decl.pos <= p < decl.end for p, _e in comments):
                return MARKER_BODY
            recv_type = decl.recv.list[0].type
            found = existing_variant(recv_type, text[recv_type.pos:recv_type.end], union, [], pkg)
            if isinstance(found, Problem):
                return BAD_VARIANT
            out.append(_Marker(name, decl, found.receiver()))
    # the interface's method and each marker method are the only mentions
    if mentions != len(out) + 1:
        return MARKER_USED
    return out


def _edits(file: str, text: str, spec: ast.TypeSpec, markers: list[_Marker],
           files: list[tuple[str, str, ast.File]]) -> list[TextEdit]:
    t = spec.type
    line_start = text.rfind("\n", 0, spec.pos) + 1
    top = text[line_start:spec.pos] == "type "
    tree = next(tr for name, _text, tr in files if name == file)
    inline = _inlined(text, tree, markers) if top else {}
    lines: list[str] = []
    spans: dict[str, list[tuple[int, int]]] = {}
    for m in markers:
        found = inline.get(m.receiver)
        if found is None:
            lines.append(f"\t{m.receiver}\n")
            continue
        ts, doc, span = found
        assert isinstance(ts.type, ast.StructType)
        fields = ts.type.fields
        lines.extend(f"\t{ln.strip()}\n" for ln in text[doc:text.rfind("\n", 0, ts.pos) + 1].splitlines())
        lines.append(f"\t{m.receiver}{text[fields.pos:fields.end]}\n")
        spans.setdefault(file, []).append(span)
    union = f"union {{\n{''.join(lines)}}}"
    edits = [TextEdit(file, t.pos, t.end, formatted_type(spec.name.name, union) if top else union)]
    texts = {name: text for name, text, _tree in files}
    for m in markers:
        own = line_span(texts[m.file], m.decl.pos, m.decl.end)
        spans.setdefault(m.file, []).append(own if own is not None else (m.decl.pos, m.decl.end))
    for name, ss in spans.items():
        edits.extend(removals(name, texts[name], ss))
    return edits


def _inlined(text: str, tree: ast.File, markers: list[_Marker]) -> dict[str, tuple[ast.TypeSpec, int, tuple[int, int]]]:
    """The variants written as new ones (``Circle{R float64}``): value receivers whose type is
    a struct declared at the top level of the union's file, with its spec on lines of its own.
    Each with its spec, where its doc comment starts, and the span that goes (its lines, or
    its whole ``type`` declaration when it is the only spec or all of a group's go)."""
    names = {m.receiver for m in markers if not m.receiver.startswith("*")}
    found: dict[str, tuple[ast.TypeSpec, int, tuple[int, int]]] = {}
    for decl in tree.decls:
        if not (isinstance(decl, ast.GenDecl) and decl.tok == "type"):
            continue
        taken: list[tuple[ast.TypeSpec, int, tuple[int, int]]] = []
        for ts in decl.specs:
            if not (isinstance(ts, ast.TypeSpec) and ts.name.name in names and isinstance(ts.type, ast.StructType)
                    and ts.type_params is None and not ts.assign):
                continue
            doc = doc_start(text, ts.pos)
            span = line_span(text, doc, ts.end)
            if span is not None and decl.lparen >= 0:
                taken.append((ts, doc, span))
            elif decl.lparen < 0:
                alone = line_span(text, doc_start(text, decl.pos), decl.end)
                if alone is not None:
                    taken.append((ts, doc_start(text, decl.pos), alone))
        if decl.lparen >= 0 and len(taken) == len(decl.specs):  # the whole group goes
            group = line_span(text, decl.pos, decl.end)
            if group is None or doc_start(text, decl.pos) < group[0]:
                continue  # (a group's doc comment would have nowhere to go)
            taken = [(ts, doc, group) for ts, doc, _span in taken]
        for ts, doc, span in taken:
            found[ts.name.name] = (ts, doc, span)
    return found
