"""``tgo fmt``: gofmt's layout for ``.tgo`` files (mask tgo's syntax, gofmt, unmask, verify).

``format_parsed`` formats one parsed ``.tgo`` file the way gofmt formats Go. gofmt
cannot parse tgo's extensions, so each is first replaced by Go of the same shape
(and, where it can be, the same width, so that gofmt's alignment of comments and
columns comes out the same), gofmt formats that, and the extensions are put back.
A file without extensions is simply gofmt's output. The masks:

* ``?T`` -> ``*T``; ``f()?`` -> ``-f()``; ``f() ? "msg"`` -> ``f() + "msg"``;
* ``x!`` -> ``xM`` when x ends in an identifier, else ``Px`` when x starts with
  one (M and P are letters the file does not contain, such as U+01C3, so they
  extend the identifier), else ``x.M`` (one column wider);
* ``union {`` -> ``interface {``; a variant ``V{A, B int}`` -> the method
  ``V(A, B int)`` when its fields fit on one line as parameters, else
  ``V(struct{...})``; an existing type stays an embedded element;
* ``enum [B] {...}`` -> an empty two-line ``struct {}``, with the members
  formatted as the body of a ``const (...)`` group appended to the file (gofmt's
  alignment of ``=`` and comments), then moved back.

The masked nodes are found again in gofmt's output by their order among the nodes
of the same kind (gofmt keeps the order of expressions), or by the marker letters.
A result that differs from the source is parsed again and compared with it: the
same tgo nodes, and the same tokens apart from ``;``, ``,`` and parentheses (import
declarations as a set). Any mismatch is a ``FormatError``, and the caller leaves the
file alone. ``tgo fmt -l`` writes nothing and verifies nothing (``formatting_differs``).
"""

from __future__ import annotations

import bisect
import contextlib
import errno
import os
import re
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from transpiler import goexe
from transpiler.goexe import GofmtError, ToolchainError

if TYPE_CHECKING:
    from transpiler.syntax import ParseResult, ast


class FormatError(Exception):
    """A file tgo cannot format (gofmt rejected it, or the result would not be the same program)."""


# Letters used to mark x! in what gofmt sees; the first one the file does not contain is used.
_MARKS = ("\u01c3", "\u01c2", "\u01c1", "\u01c0", "\u0294")
_ENUM_PLACEHOLDER = "struct {\n}"


@dataclass(frozen=True, slots=True)
class _Edit:
    start: int
    end: int
    text: str
    tag: str = ""  # what the edit masks: star, neg, plus, enum, union, pre (others untagged)
    anchor: int = -1  # pre: the end of the x of x!, whose offset in the masked text is needed


def _is_ident_char(ch: str) -> bool:
    return ch == "_" or ch.isalnum()


def _skip_blank(text: str, i: int) -> int:
    """The first offset at or after ``i`` that is not white space or a comment."""
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        else:
            break
    return i


def _expect(text: str, i: int, what: str) -> None:
    if not text.startswith(what, i):
        raise FormatError(f"expected {what!r} at offset {i}, found {text[i : i + 10]!r}")


def _blank_only(text: str) -> bool:
    return text.strip(" \t\r\n") == ""


_TGO_NODES = ("NullableType", "NonNilExpr", "TryExpr", "EnumType", "UnionType")


def _tgo_counts(tree: ast.File) -> dict[str, int]:
    from transpiler.syntax import ast

    counts = dict.fromkeys((*_TGO_NODES, "EnumMember", "UnionVariant"), 0)
    for n in ast.walk(tree):
        name = type(n).__name__
        if name in counts:
            counts[name] += 1
    return counts


@dataclass
class _Mask:
    """The masked text gofmt gets, and what is needed to undo the masks in its output."""

    text: str
    mark: str  # the letter that marks x! after x (x ends in an identifier), or after "x."
    pmark: str  # the letter that marks x! before x (x starts with an identifier)
    marks: int  # how many x! are marked with ``mark``
    prefixes: list[tuple[int, int]]  # each pmark's offset in ``text`` and the offset of the end of x
    ours: dict[str, set[int]]  # tag -> offsets (in ``text``) of the nodes tgo put there
    enums: list[str]  # each enum's "enum BASE" head, in order
    unions: list[list[str]]  # each union's variant kinds (type, params, struct), in order


def _mask(tree: ast.File, text: str) -> _Mask:
    from transpiler.syntax import ast

    free = [m for m in _MARKS if m not in text]
    if len(free) < 2:
        raise FormatError("the file uses the letters tgo fmt marks x! with")
    mark, pmark = free[0], free[1]
    edits: list[_Edit] = []
    enum_heads: list[str] = []
    enum_bodies: list[str] = []
    unions: list[list[str]] = []
    nonnil = 0
    enum_end = -1  # the end of the last enum seen: the walk visits a node's children right after it

    for n in ast.walk(tree):
        if n.pos < enum_end and type(n).__name__ in _TGO_NODES:
            raise FormatError("tgo syntax inside an enum declaration")
        if isinstance(n, ast.NullableType):
            _expect(text, n.pos, "?")
            edits.append(_Edit(n.pos, n.pos + 1, "*", "star"))
        elif isinstance(n, ast.NonNilExpr):
            bang = n.end - 1
            _expect(text, bang, "!")
            if not _blank_only(text[n.x.end : bang]):
                raise FormatError("a comment between an expression and its !")
            if bang == n.x.end and _is_ident_char(text[bang - 1]):
                edits.append(_Edit(bang, bang + 1, mark))  # u! -> uM
                nonnil += 1
            elif text[n.x.pos] == "_" or text[n.x.pos].isalpha():
                edits.append(_Edit(n.x.pos, n.x.pos, pmark, "pre", n.x.end))  # f()! -> Pf()
                edits.append(_Edit(n.x.end, bang + 1, ""))
            else:
                edits.append(_Edit(n.x.end, bang + 1, "." + mark))  # (x)! -> (x).M
                nonnil += 1
        elif isinstance(n, ast.TryExpr):
            if n.msg is None:
                q = n.end - 1
                _expect(text, q, "?")
                if not _blank_only(text[n.x.end : q]):
                    raise FormatError("a comment between a call and its ?")
                edits.append(_Edit(n.x.pos, n.x.pos, "-", "neg"))
                edits.append(_Edit(n.x.end, n.end, ""))
            else:
                q = _skip_blank(text, n.x.end)
                _expect(text, q, "?")
                edits.append(_Edit(q, q + 1, "+", "plus"))
        elif isinstance(n, ast.EnumType):
            after = n.base.end if n.base is not None else n.keyword.end
            lbrace = _skip_blank(text, after)
            _expect(text, lbrace, "{")
            _expect(text, n.end - 1, "}")
            if not _blank_only(text[after:lbrace]):
                raise FormatError("a comment before the { of an enum")
            head = "enum"
            if n.base is not None:
                base = text[n.base.pos : n.base.end]
                if "/" in base:
                    raise FormatError("a comment in the base type of an enum")
                head += " " + re.sub(r"\s+", "", base)
            enum_heads.append(head)
            enum_bodies.append(_without_empty_members(text[lbrace + 1 : n.end - 1]))
            edits.append(_Edit(n.pos, n.end, _ENUM_PLACEHOLDER, "enum"))
            enum_end = n.end
        elif isinstance(n, ast.UnionType):
            edits.append(_Edit(n.keyword.pos, n.keyword.end, "interface", "union"))
            unions.append([_mask_variant(v, text, edits) for v in n.variants])

    # apply the edits (insertions before replacements at the same offset)
    edits.sort(key=lambda e: (e.start, e.end != e.start))
    # growth[k]: how much the edits before edits[k] lengthen the text (for the anchors of "pre")
    growth = [0]
    for d in edits:
        growth.append(growth[-1] + len(d.text) - (d.end - d.start))
    starts = [d.start for d in edits]
    out: list[str] = []
    ours: dict[str, set[int]] = {t: set() for t in ("star", "neg", "plus", "enum", "union")}
    prefixes: list[tuple[int, int]] = []
    cursor = size = 0
    for e in edits:
        if e.start < cursor:
            raise FormatError(f"overlapping masks at offset {e.start}")
        piece = text[cursor : e.start]
        out.append(piece)
        size += len(piece)
        if e.tag == "pre":
            # the edits that start before the anchor and end by it (they do not overlap, so
            # only the last one starting before it can reach past it)
            k = bisect.bisect_left(starts, e.anchor)
            shift = growth[k]
            if k and edits[k - 1].end > e.anchor:
                shift -= growth[k] - growth[k - 1]
            prefixes.append((size, e.anchor + shift))
        elif e.tag:
            ours[e.tag].add(size)
        out.append(e.text)
        size += len(e.text)
        cursor = e.end
    out.append(text[cursor:])
    # each enum's members, formatted by gofmt as a const group at the end of the file
    for body in enum_bodies:
        out.append(f"\n\nconst ({body})\n")
    return _Mask("".join(out), mark, pmark, nonnil, prefixes, ours, enum_heads, unions)


def _without_empty_members(body: str) -> str:
    """An enum body without the ``;`` of empty members (``{; A;; B}``), which a const group
    may not have."""
    from transpiler.syntax.scanner import scan

    drop: list[int] = []
    after_separator = True
    for t in scan(body).tokens:
        if t.kind == ";":
            if t.text == ";" and after_separator:
                drop.append(t.pos)
            after_separator = True
        else:
            after_separator = False
    for pos in reversed(drop):
        body = body[:pos] + body[pos + 1 :]
    return body


def _mask_variant(v: ast.UnionVariant, text: str, edits: list[_Edit]) -> str:
    """Mask one union variant as an interface element; its kind (type, params or struct)."""
    if v.fields is None or v.name is None:
        return "type"
    fl = v.fields
    span = text[fl.pos : fl.end]
    named = [f for f in fl.list if f.names]
    params = (
        "\n" not in span
        and "/" not in span
        and all(f.tag is None for f in fl.list)
        and (len(named) == len(fl.list) or (len(fl.list) == 1 and not named))
    )
    if params:
        edits.append(_Edit(fl.pos, fl.pos + 1, "("))
        for a in fl.list[:-1]:
            semi = _skip_blank(text, a.end)
            _expect(text, semi, ";")
            edits.append(_Edit(semi, semi + 1, ","))
        if fl.list:
            last = _skip_blank(text, fl.list[-1].end)
            if text.startswith(";", last):
                edits.append(_Edit(last, last + 1, ""))
        edits.append(_Edit(fl.end - 1, fl.end, ")"))
        return "params"
    edits.append(_Edit(v.name.end, fl.pos, "(struct"))
    edits.append(_Edit(fl.end, fl.end, ")"))
    return "struct"


@dataclass
class _Tree:
    """A parsed file with each node's parent and the identifier at each offset."""

    parents: dict[int, ast.Node]  # id(node) -> parent
    idents: dict[int, ast.Ident]  # offset -> the identifier covering it

    @classmethod
    def of(cls, tree: ast.File) -> _Tree:
        from transpiler.syntax import ast

        out = cls({}, {})
        for n in ast.walk(tree):
            for c in n.children():
                out.parents[id(c)] = n
            if isinstance(n, ast.Ident):
                for off in range(n.pos, n.end):
                    out.idents[off] = n
        return out

    def up(self, node: ast.Node | None) -> ast.Node | None:
        return None if node is None else self.parents.get(id(node))


def _binary_op(text: str, n: ast.BinaryExpr) -> int:
    return _skip_blank(text, n.x.end)


def _nodes_by_kind(tree: ast.File, text: str) -> dict[str, list[ast.Node]]:
    """The nodes a mask can turn into, by tag, in source order."""
    from transpiler.syntax import ast

    kinds: dict[str, list[tuple[int, ast.Node]]] = {t: [] for t in ("star", "neg", "plus", "enum", "union")}
    for n in ast.walk(tree):
        if isinstance(n, ast.StarExpr):
            kinds["star"].append((n.pos, n))
        elif isinstance(n, ast.UnaryExpr) and n.op == "-":
            kinds["neg"].append((n.pos, n))
        elif isinstance(n, ast.BinaryExpr) and n.op == "+":
            kinds["plus"].append((_binary_op(text, n), n))
        elif isinstance(n, ast.StructType):
            kinds["enum"].append((n.pos, n))
        elif isinstance(n, ast.InterfaceType):
            kinds["union"].append((n.pos, n))
    return {t: [n for _, n in sorted(v, key=lambda p: p[0])] for t, v in kinds.items()}


def _key(tag: str, n: ast.Node, text: str) -> int:
    from transpiler.syntax import ast

    return _binary_op(text, n) if tag == "plus" and isinstance(n, ast.BinaryExpr) else n.pos


def _parse_go(text: str, what: str) -> ast.File:
    from transpiler.syntax import parse_source

    result = parse_source(text.encode("utf-8"), what)
    if result.tree is None or result.diagnostics:
        first = result.diagnostics[0].text() if result.diagnostics else "no tree"
        raise FormatError(f"{what} does not parse: {first}")
    return result.tree


def _indent_of(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    line = text[start:pos]
    return line[: len(line) - len(line.lstrip("\t"))]


def _unmask(masked: _Mask, formatted: str) -> str:
    """gofmt's output of the masked text, with tgo's syntax put back."""
    from transpiler.syntax import ast

    masked_tree = _parse_go(masked.text, "the masked file")
    before = _nodes_by_kind(masked_tree, masked.text)
    tree = _parse_go(formatted, "gofmt's output")
    after = _nodes_by_kind(tree, formatted)
    edits: list[_Edit] = []
    picked: dict[str, list[ast.Node]] = {}
    for tag, nodes in before.items():
        if len(nodes) != len(after[tag]):
            raise FormatError(f"gofmt changed the number of {tag} nodes")
        picked[tag] = [after[tag][i] for i, n in enumerate(nodes) if _key(tag, n, masked.text) in masked.ours[tag]]
        if len(picked[tag]) != len(masked.ours[tag]):
            raise FormatError(f"lost track of a masked {tag} node")

    for n in picked["star"]:
        _expect(formatted, n.pos, "*")
        edits.append(_Edit(n.pos, n.pos + 1, "?"))
    for n in picked["neg"]:
        assert isinstance(n, ast.UnaryExpr)
        _expect(formatted, n.pos, "-")
        edits.append(_Edit(n.pos, n.x.pos, ""))
        edits.append(_Edit(n.x.end, n.x.end, "?"))
    for n in picked["plus"]:
        op = _key("plus", n, formatted)
        _expect(formatted, op, "+")
        edits.append(_Edit(op, op + 1, "?"))

    # x!: every mark letter in the output is one tgo put there
    count = 0
    for m in re.finditer(re.escape(masked.mark), formatted):
        i = m.start()
        start = i - 1 if formatted[i - 1] == "." else i
        edits.append(_Edit(start, i + 1, "!"))
        count += 1
    if count != masked.marks:
        raise FormatError("lost track of a masked x!")
    # Pf()! : x is as many levels above the marked identifier as it was in the masked text
    found = [m.start() for m in re.finditer(re.escape(masked.pmark), formatted)]
    if len(found) != len(masked.prefixes):
        raise FormatError("lost track of a masked x!")
    if found:
        masked_nodes, output_nodes = _Tree.of(masked_tree), _Tree.of(tree)
    for i, (p, x_end) in zip(found, masked.prefixes, strict=True):
        node: ast.Node | None = masked_nodes.idents.get(p)
        levels = 0
        while node is not None and node.end != x_end:
            node, levels = masked_nodes.up(node), levels + 1
        out_node: ast.Node | None = output_nodes.idents.get(i)
        for _ in range(levels):
            out_node = output_nodes.up(out_node)
        if node is None or out_node is None:
            raise FormatError("lost track of a masked x!")
        edits.append(_Edit(i, i + 1, ""))
        edits.append(_Edit(out_node.end, out_node.end, "!"))

    # unions: interface -> union, V(params) -> V{fields}, V(struct{...}) -> V{...}
    for n, kinds in zip(picked["union"], masked.unions, strict=True):
        assert isinstance(n, ast.InterfaceType)
        _expect(formatted, n.pos, "interface")
        edits.append(_Edit(n.pos, n.pos + len("interface"), "union"))
        elements = n.methods.list
        if len(elements) != len(kinds):
            raise FormatError("gofmt changed the number of union variants")
        for el, kind in zip(elements, kinds, strict=True):
            if kind == "type":
                continue
            ft = el.type
            if not isinstance(ft, ast.FuncType):
                raise FormatError("a union variant is not a method after gofmt")
            pl = ft.params
            if kind == "params":
                edits.append(_Edit(pl.pos, pl.pos + 1, "{"))
                for a in pl.list[:-1]:
                    comma = _skip_blank(formatted, a.end)
                    _expect(formatted, comma, ",")
                    edits.append(_Edit(comma, comma + 1, ";"))
                edits.append(_Edit(pl.end - 1, pl.end, "}"))
                continue
            st = pl.list[0].type if len(pl.list) == 1 else None
            if not isinstance(st, ast.StructType):
                raise FormatError("a union variant lost its fields")
            fields = st.fields
            edits.append(_Edit(pl.pos, fields.pos, ""))
            one_line = formatted[fields.pos : fields.end]
            if "\n" not in one_line and one_line.startswith("{ ") and one_line.endswith(" }"):
                edits.append(_Edit(fields.pos + 1, fields.pos + 2, ""))
                edits.append(_Edit(fields.end - 2, fields.end - 1, ""))
            edits.append(_Edit(pl.end - 1, pl.end, ""))

    # enums: the placeholder struct gets the members gofmt formatted at the end of the file
    cut = len(formatted)
    if masked.enums:
        tail = [d for d in tree.decls if isinstance(d, ast.GenDecl)][-len(masked.enums) :]
        if len(tail) != len(masked.enums) or any(d.tok != "const" or d.lparen < 0 for d in tail):
            raise FormatError("lost track of an enum's members")
        cut = tail[0].pos
        for n, head, group in zip(picked["enum"], masked.enums, tail, strict=True):
            _expect(formatted, group.end - 1, ")")
            body = formatted[group.lparen + 1 : group.end - 1]
            if "`" in body:
                raise FormatError("a raw string in an enum declaration")
            depth = _indent_of(formatted, n.pos)
            lines = body.split("\n")
            body = "\n".join([lines[0], *((depth + ln) if ln else ln for ln in lines[1:])])
            if not body:  # like gofmt's struct{} and interface{}
                edits.append(_Edit(n.pos, n.end, head + "{}"))
                continue
            closing = depth + "}" if body.endswith("\n") else "}"
            edits.append(_Edit(n.pos, n.end, f"{head} {{{body}{closing}"))

    edits.sort(key=lambda e: (e.start, e.end != e.start))
    out: list[str] = []
    cursor = 0
    for e in edits:
        if e.start < cursor or e.start > cut:
            raise FormatError(f"overlapping restorations at offset {e.start}")
        out.append(formatted[cursor : e.start])
        out.append(e.text)
        cursor = e.end
    out.append(formatted[cursor:cut])
    result = "".join(out)
    if masked.enums:
        result = result.rstrip() + "\n"
    return result


def run_gofmt(text: str, gofmt: str) -> str:
    """gofmt's formatting of Go source ``text`` (``goexe.run_gofmt``); ``FormatError`` with
    gofmt's message if it rejects it."""
    try:
        return goexe.run_gofmt(text, gofmt)
    except GofmtError as exc:
        raise FormatError(f"gofmt: {exc}" if exc.status is not None else str(exc)) from None
    except ToolchainError as exc:
        raise FormatError(str(exc)) from None


def format_parsed(result: ParseResult, gofmt: str) -> str:
    """The formatted text of a parsed ``.tgo`` file (``result.tree`` must be set).

    Raises ``FormatError`` when gofmt rejects the file or the result would not be
    the same program; the caller then leaves the file alone. A file gofmt leaves as it
    is (through the masks) is not parsed again; one it changes is parsed three times
    more (the masked text, gofmt's output, the result verified against the source).
    """
    text, masked, output = _gofmt_masked(result, gofmt)
    if masked is None or output == masked.text:
        return output if masked is None else text  # (unmasking what gofmt left alone gives the source)
    formatted = _unmask(masked, output)
    if formatted == text:
        return formatted  # already formatted: the file stays as it is, nothing to verify
    assert result.tree is not None
    tree = _parse_tgo(formatted, result.source.name)
    if _tgo_counts(tree) != _tgo_counts(result.tree) or _tokens(text, result.tree) != _tokens(formatted, tree):
        raise FormatError("the formatted file would not be the same program (a bug in tgo fmt)")
    return formatted


def formatting_differs(result: ParseResult, gofmt: str) -> bool:
    """Whether ``format_parsed`` would change the file (``tgo fmt -l``). Nothing is written,
    so nothing is verified. A file gofmt leaves alone (through the masks) is decided
    without a parse beyond the caller's, and so is one it changes when every mask kept
    each line's length (no enum moved, no union, no ``(x).M``): then unmasking cannot
    undo what gofmt changed. Else gofmt may only have moved what a mask widened, and
    its output is unmasked (two parses) to tell."""
    text, masked, output = _gofmt_masked(result, gofmt)
    if masked is None or output == masked.text:
        return masked is None and output != text
    if not masked.enums and not masked.unions and _same_layout(text, masked.text):
        return True
    return _unmask(masked, output) != text


def _same_layout(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` have the same lines, each as long in both."""
    if len(a) != len(b) or a.count("\n") != b.count("\n"):
        return False
    return all(len(x) == len(y) for x, y in zip(a.split("\n"), b.split("\n"), strict=True))


def _gofmt_masked(result: ParseResult, gofmt: str) -> tuple[str, _Mask | None, str]:
    """The source text, its mask (None for a file without tgo syntax: gofmt formats it as
    it is) and gofmt's output of the masked text."""
    if result.tree is None:
        raise FormatError("the file did not parse")
    text = result.source.text
    counts = _tgo_counts(result.tree)
    if not any(counts[k] for k in _TGO_NODES):
        return text, None, run_gofmt(text, gofmt)
    masked = _mask(result.tree, text)
    return text, masked, run_gofmt(masked.text, gofmt)


_IGNORED_TOKENS = frozenset({";", "(", ")", ","})  # gofmt may add, drop or move these


def _tokens(text: str, tree: ast.File) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The tokens that formatting must keep: those of the import declarations (gofmt sorts
    them) as a sorted list, and the rest in order."""
    from transpiler.syntax.scanner import scan

    spans = [(d.pos, d.end) for d in tree.imports]
    imports: list[tuple[str, str]] = []
    rest: list[tuple[str, str]] = []
    for t in scan(text).tokens:
        if t.kind in _IGNORED_TOKENS:
            continue
        value = t.text
        if t.kind in ("INT", "FLOAT", "IMAG"):
            value = value.lower()  # gofmt normalizes 0X1F to 0x1F
        elif t.kind == "STRING":
            value = value.replace("\r", "")  # and drops carriage returns from raw strings
        key = (t.kind, value)
        (imports if any(a <= t.pos < b for a, b in spans) else rest).append(key)
    return sorted(imports), rest


def _parse_tgo(text: str, name: str) -> ast.File:
    from transpiler.syntax import parse_source

    result = parse_source(text.encode("utf-8"), name)
    if result.tree is None or result.diagnostics:
        first = result.diagnostics[0].text() if result.diagnostics else "no tree"
        raise FormatError(f"the formatted file does not parse: {first}")
    return result.tree


def write_formatted(path: str, data: bytes, original: bytes) -> None:
    """Rewrite the file at ``path`` (which held ``original``) with ``data`` in place, as ``gofmt -w`` does.

    The file itself is written, not replaced: a symbolic link keeps pointing at it (and
    the file it points to is the one formatted), hard links stay linked, and its owner,
    group and mode stay what they were. Opening it for writing is the permission check,
    so a read-only file is refused (``permission denied``) unless the user may write it
    anyway (root may, and gofmt as root writes it too). As gofmt does, a backup copy of
    ``original`` is written next to the file first (a hidden ``.NAME.*.bak``), put back
    if the write fails, and removed after it.
    """
    target = os.path.realpath(path)
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        bfd, backup = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".", suffix=".bak",
                                       dir=os.path.dirname(target))
        with os.fdopen(bfd, "wb") as out:
            out.write(original)
        try:
            _write_all(fd, data)
        except BaseException:
            try:
                _write_all(fd, original)
            except OSError:
                raise OSError(errno.EIO, f"write failed; the original is kept in {backup}", path) from None
            with contextlib.suppress(OSError):
                os.unlink(backup)
            raise
        os.unlink(backup)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    """``data`` as the whole content of the open file ``fd``."""
    os.lseek(fd, 0, os.SEEK_SET)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.ftruncate(fd, len(data))
