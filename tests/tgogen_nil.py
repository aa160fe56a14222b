"""Hypothesis strategies for well-typed tgo programs whose nil dereferences are
known to be protected (narrowed to non-nil) or not, line by line.

A program is a few struct types (``V int``, nullable fields ``N<j> ?*T<j>``,
non-nil fields ``S<j> *T<j>`` pointing only at earlier types so literals are
finite, and on ``T0`` a nullable func ``F`` and map ``M``), helpers that return
nullable values (``getT<k>``, ``getF``, ``getM``) or follow the ``(T, error)``
contract (``loadT<k>``), and functions made of independent *segments*. A segment
obtains one possibly-nil value ``P`` (its *source*), dereferences it on one or
more lines (its *use*), each behind a randomly chosen *guard* (or none, or a
guard that does not protect), and sits in a *context* (plain, a block, an
``if``, a loop, a ``switch`` case, an immediately called closure). Every
segment has its own variables and parameters, so segments never affect each
other's facts and the generator knows exactly which lines dereference a value
that may be nil there: ``Rendered.unprotected``.

``Segment.fix`` protects the segment's unprotected use: a path ``P`` gets the
use statement wrapped in ``if P != nil { ... }``; a value that is not a path
(``getT0(n).V``, ``m["k"].V``) gets the assertion ``P!``.

``Rendered.erased`` is the same program in plain Go (every ``?`` of a type and
``!`` of an assertion removed), for type-checking the generator with ``go vet``.

``no_known_bug`` leaves out the patterns the checker is known to get wrong
(each pinned by an xfail test in test_property_check.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from hypothesis import strategies as st

Draw = Callable[[st.SearchStrategy[Any]], Any]

# --- the types -----------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """``nullable[i]``: the j with a field ``N<j> ?*T<j>`` in T<i> (always i);
    ``nonnil[i]``: the j < i with a field ``S<j> *T<j>``."""

    nullable: tuple[frozenset[int], ...]
    nonnil: tuple[frozenset[int], ...]

    @property
    def n(self) -> int:
        return len(self.nullable)

    def lit(self, i: int, v: str = "1") -> str:
        """A non-nil ``*T<i>`` literal with every non-nil field set."""
        parts = [f"V: {v}"] + [f"S{j}: {self.lit(j)}" for j in sorted(self.nonnil[i])]
        return f"&T{i}{{{', '.join(parts)}}}"

    def decls(self) -> list[str]:
        out: list[str] = []
        for i in range(self.n):
            out.append(f"type T{i} struct {{")
            out.append("\tV int")
            out.extend(f"\tN{j} ?*T{j}" for j in sorted(self.nullable[i]))
            out.extend(f"\tS{j} *T{j}" for j in sorted(self.nonnil[i]))
            if i == 0:
                out.append("\tF ?func() int")
                out.append("\tM ?map[string]int")
            out.append("}")
            out.append("")
        for i in range(self.n):
            out += [
                f"func (t *T{i}) Get() int {{ return t.V }}",
                "",
                f"func (t T{i}) Val() int {{ return t.V }}",
                "",
                f"func (t ?*T{i}) Safe() int {{",
                "\tif t == nil {",
                "\t\treturn 0",
                "\t}",
                "\treturn t.V",
                "}",
                "",
                f"func getT{i}(i int) ?*T{i} {{",
                "\tif i < 0 {",
                "\t\treturn nil",
                "\t}",
                f"\treturn {self.lit(i, 'i')}",
                "}",
                "",
                f"func loadT{i}(i int) (*T{i}, error) {{",
                "\tif i < 0 {",
                "\t\treturn nil, errT{}",
                "\t}",
                f"\treturn {self.lit(i, 'i')}, nil",
                "}",
                "",
            ]
        return out


PRELUDE = """\
package p

type errT struct{}

func (errT) Error() string { return "e" }

func getF(i int) ?func() int {
\tif i < 0 {
\t\treturn nil
\t}
\treturn func() int { return i }
}

func getM(i int) ?map[string]int {
\tif i < 0 {
\t\treturn nil
\t}
\treturn map[string]int{}
}

func sinkb(b bool) {}

func touch(i int) {}
"""

# --- segments ------------------------------------------------------------------

KINDS = ("ptr", "func", "map")

# Where P comes from. "direct_*" values are not paths (never narrowed).
SOURCES = {
    "ptr": ("call", "param", "var", "field", "deep", "chain", "mapget", "commaok", "err", "range", "recv",
            "direct_call", "direct_map"),
    "func": ("call", "param", "field", "var"),
    "map": ("call", "param", "field", "var"),
}
LOCAL_SOURCES = frozenset({"call", "var", "mapget", "commaok", "err", "recv"})

# Use statements; "{R}" is a read of P (ptr/func only), "{P}" the value itself.
READS = {"ptr": ("{P}.V", "{P}.Get()", "{P}.Val()", "(*{P}).V"), "func": ("{P}()",), "map": ()}
STMTS = {
    "ptr": ("total += {R}", "sinkb({R} > 0)", "{P}.V = n", "{P}.V++", "(*{P}).V = n", "{P}.V += n"),
    "func": ("total += {R}", "sinkb({R} > 0)"),
    "map": ('{P}["k"] = n', '{P}["k"]++', '{P}["k"] += n'),
}

# Guards (how each protects its use, or why it does not, is in _segment); each
# needs some of: read (a read of P: not for maps), assign (P assignable),
# nullable (a maybe-nil value of P's declared type), reassign (a statement
# making P maybe nil again), prefix (a prefix of P to reassign), sibling (a
# sibling field), local (P a local variable), ptr (P a pointer), commaok / err
# (P from ``v, ok := m[k]`` / ``v, err := f()``). "safe" calls a method with a
# nullable receiver (never a dereference).
GUARDS: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "assert": frozenset(),
    "safe": frozenset({"ptr"}),
    "if_nonnil": frozenset(),
    "nil_first": frozenset(),
    "if_nil_wrong": frozenset(),
    "ret": frozenset(),
    "panic": frozenset(),
    "goto": frozenset(),
    "cont": frozenset(),
    "brk": frozenset(),
    "nonexit": frozenset(),
    "partial_exit": frozenset(),
    "nested_exit": frozenset(),
    "other_exit": frozenset(),
    "else_ok": frozenset(),
    "else_wrong": frozenset(),
    "nested_in": frozenset(),
    "nested_out": frozenset(),
    "and": frozenset({"read"}),
    "and_wrong": frozenset({"read"}),
    "or": frozenset({"read"}),
    "or_wrong": frozenset({"read"}),
    "or_exit": frozenset({"read"}),
    "expr_and": frozenset({"read"}),
    "assign_nonnil": frozenset({"assign"}),
    "assign_nonnil_branch": frozenset({"assign"}),
    "assign_both": frozenset({"assign"}),
    "assign_nullable_branch": frozenset({"assign", "nullable"}),
    "reassign_nullable": frozenset({"assign", "nullable"}),
    "retry_loop": frozenset({"assign"}),
    "prefix_reassign": frozenset({"prefix"}),
    "sibling_assign": frozenset({"sibling"}),
    "call_between": frozenset(),
    "switch_exit": frozenset(),
    "switch_case": frozenset(),
    "switch_noexit": frozenset(),
    "switch_value": frozenset({"ptr"}),
    "switch_value_exit": frozenset({"ptr"}),
    "not_eq": frozenset(),
    "not_or": frozenset(),
    "not_wrong": frozenset(),
    "else_if": frozenset(),
    "or_other_exit": frozenset(),
    "and_other": frozenset(),
    "cont_outer": frozenset(),
    "infinite": frozenset(),
    "loop_outside": frozenset(),
    "loop_nullable_after": frozenset({"assign", "nullable"}),
    "loop_nullable_before": frozenset({"assign", "nullable"}),
    "loop_nonnil_after": frozenset({"assign"}),
    "for_cond": frozenset({"assign", "nullable", "ptr"}),
    "alias_after": frozenset(),
    "alias_before": frozenset(),
    "closure_ok": frozenset({"local"}),
    "closure_wrong": frozenset({"local"}),
    "closure_reassigned": frozenset({"local", "reassign"}),
    "ok_if": frozenset({"commaok"}),
    "ok_exit": frozenset({"commaok"}),
    "ok_wrong": frozenset({"commaok"}),
    "err_exit": frozenset({"err"}),
    "err_eq_nil": frozenset({"err"}),
    "err_else": frozenset({"err"}),
    "err_noexit": frozenset({"err"}),
}
NON_PATH_GUARDS = ("none", "assert")

CONTEXTS = ("plain", "block", "if", "for", "switch", "closure")
# A closure on the right of ``total +=``: the checker does not look into it (see the tests).
CLOSURE_OPASSIGN = "closure_opassign"


@dataclass(frozen=True)
class Segment:
    kind: str
    source: str
    tk: int = 0  # P's pointee type (ptr)
    ti: int = 0  # the struct holding the field (field sources)
    tj: int = 0  # the middle type (deep and chain sources)
    guard: str = "none"
    stmt: int = 0
    read: int = 0
    context: str = "plain"
    fix: bool = False


@dataclass(frozen=True)
class Program:
    world: World
    funcs: tuple[tuple[Segment, ...], ...]

    def segments(self) -> list[tuple[int, int]]:
        return [(f, s) for f, segs in enumerate(self.funcs) for s in range(len(segs))]

    def with_segment(self, f: int, s: int, seg: Segment) -> Program:
        funcs = list(self.funcs)
        segs = list(funcs[f])
        segs[s] = seg
        funcs[f] = tuple(segs)
        return replace(self, funcs=tuple(funcs))


# A line: its text (without indentation), its depth, and whether it
# dereferences a value that may be nil there (False), a value known non-nil
# (True), or nothing in question (None).
Tag = bool | None


@dataclass
class _Lines:
    items: list[tuple[int, str, Tag]] = field(default_factory=list)

    def add(self, depth: int, text: str, tag: Tag = None) -> None:
        self.items.append((depth, text, tag))

    def extend(self, depth: int, other: _Lines) -> None:
        for d, text, tag in other.items:
            self.items.append((d + depth, text, tag))


@dataclass(frozen=True)
class _Value:
    """What a segment knows about its P."""

    p: str
    setup: tuple[str, ...]  # lines before the guard (depth-relative, "\t" for nesting)
    params: tuple[str, ...]
    path: bool
    local: bool
    nonnil: str | None  # a non-nil value to assign to P
    nullable: str | None  # a maybe-nil value to assign to P
    prefix: str | None  # a statement assigning a prefix of P
    sibling: str | None  # a statement assigning a sibling of P
    ok: str | None = None
    err: str | None = None
    reassign: str | None = None  # a statement that makes P maybe nil again


def _nonnil_value(world: World, kind: str, tk: int) -> str:
    if kind == "ptr":
        return world.lit(tk)
    if kind == "func":
        return "func() int { return 1 }"
    return "map[string]int{}"


def _nullable_value(kind: str, tk: int) -> str:
    return {"ptr": f"getT{tk}(n)", "func": "getF(n)", "map": "getM(n)"}[kind]


def _type(kind: str, tk: int) -> str:
    return {"ptr": f"?*T{tk}", "func": "?func() int", "map": "?map[string]int"}[kind]


def _value(world: World, seg: Segment, s: int) -> _Value:
    k, src, tk = seg.kind, seg.source, seg.tk
    nn = _nonnil_value(world, k, tk)
    nl = _nullable_value(k, tk)
    p = f"p{s}"
    base = _Value(p, (), (), path=True, local=False, nonnil=nn, nullable=nl, prefix=None, sibling=None)
    local = replace(base, local=True)
    if src == "call":
        return replace(local, setup=(f"{p} := {nl}",))
    if src == "param":
        return replace(base, params=(f"{p} {_type(k, tk)}",))
    if src == "var":
        return replace(local, setup=(f"var {p} {_type(k, tk)}", f"if n > {s % 3} {{", f"\t{p} = {nn}", "}"))
    if src == "recv":
        return replace(local, setup=(f"{p} := <-ch{s}",), params=(f"ch{s} chan *T{tk}",))
    if src == "mapget":
        return replace(local, setup=(f'{p} := m{s}["k"]',), params=(f"m{s} map[string]*T{tk}",))
    if src == "commaok":
        return replace(local, setup=(f'{p}, ok{s} := m{s}["k"]',), params=(f"m{s} map[string]*T{tk}",),
                       nullable=None, ok=f"ok{s}", reassign=f'{p}, ok{s} = m{s}["k"]')
    if src == "err":
        return replace(local, setup=(f"{p}, err{s} := loadT{tk}(n)",), nullable=None, err=f"err{s}",
                       reassign=f"{p}, err{s} = loadT{tk}(n)")
    if src == "range":
        return replace(base, params=(f"s{s} []?*T{tk}",))
    x, y = f"x{s}", f"y{s}"
    if src == "field":
        f = {"ptr": f"N{tk}", "func": "F", "map": "M"}[k]
        return replace(base, p=f"{x}.{f}", params=(f"{x}, {y} *T{seg.ti}",), prefix=f"{x} = {y}",
                       sibling=f"{x}.V = n")
    if src == "deep":
        return replace(base, p=f"{x}.S{seg.tj}.N{tk}", params=(f"{x} *T{seg.ti}",),
                       prefix=f"{x}.S{seg.tj} = {world.lit(seg.tj)}", sibling=f"{x}.S{seg.tj}.V = n")
    if src == "chain":
        mid = f"{x}.N{seg.tj}"
        return replace(base, p=f"{mid}.N{tk}", setup=(f"if {mid} == nil {{", "\treturn total", "}"),
                       params=(f"{x} *T{seg.ti}",), prefix=f"{mid} = {world.lit(seg.tj)}", sibling=f"{mid}.V = n")
    if src == "direct_call":
        return replace(base, p=nl, path=False, nonnil=None, nullable=None)
    if src == "direct_map":
        return replace(base, p=f'm{s}["k"]', params=(f"m{s} map[string]*T{tk}",), path=False, nonnil=None,
                       nullable=None)
    raise AssertionError(src)


def guard_ok(guard: str, seg: Segment, v: _Value) -> bool:
    if not v.path:
        return guard in NON_PATH_GUARDS
    for need in GUARDS[guard]:
        ok = {
            "read": bool(READS[seg.kind]),
            "assign": v.nonnil is not None,
            "nullable": v.nullable is not None,
            "prefix": v.prefix is not None,
            "reassign": v.nullable is not None or v.reassign is not None,
            "sibling": v.sibling is not None,
            "local": v.local and v.p.isidentifier(),
            "ptr": seg.kind == "ptr",
            "commaok": v.ok is not None,
            "err": v.err is not None,
        }[need]
        if not ok:
            return False
    return True


def _use_stmt(seg: Segment, p: str) -> str:
    stmts = STMTS[seg.kind]
    reads = READS[seg.kind]
    stmt = stmts[seg.stmt % len(stmts)]
    read = reads[seg.read % len(reads)] if reads else ""
    return stmt.replace("{R}", read).replace("{P}", p)


def _read(seg: Segment, p: str) -> str:
    reads = READS[seg.kind]
    return reads[seg.read % len(reads)].replace("{P}", p)


def _segment(world: World, seg: Segment, s: int) -> tuple[_Lines, tuple[str, ...]]:
    """The lines of one segment (depth 0 = the function body) and its parameters."""
    v = _value(world, seg, s)
    p, g = v.p, seg.guard
    out = _Lines()
    body = _Lines()  # what goes after the setup, at its depth
    fixed = seg.fix

    def use(lines: _Lines, depth: int, protected: bool, base: str | None = None) -> None:
        """The use statement (of P, or of ``base``); wrapped in a guard (or asserted) when
        the segment is fixed."""
        stmt = _use_stmt(seg, base or p)
        if protected or not fixed:
            lines.add(depth, stmt, protected)
        elif v.path:
            lines.add(depth, f"if {base or p} != nil {{")
            lines.add(depth + 1, stmt, True)
            lines.add(depth, "}")
        else:
            lines.add(depth, stmt.replace(p, p + "!", 1), True)

    def cond_use(lines: _Lines, depth: int, protected: bool, header: str, inner: Sequence[str]) -> None:
        """An if statement whose condition holds the use."""
        d = depth
        if fixed and not protected:
            lines.add(depth, f"if {p} != nil {{")
            d = depth + 1
        lines.add(d, header, protected or fixed)
        for text in inner:
            lines.add(d + 1, text)
        lines.add(d, "}")
        if d != depth:
            lines.add(depth, "}")

    r = _read(seg, p) if READS[seg.kind] and v.path else ""
    b = body
    if g == "none":
        use(b, 0, False)
    elif g == "assert":
        b.add(0, _use_stmt(seg, p + "!"), True)
    elif g == "safe":
        b.add(0, f"total += {p}.Safe()")
    elif g == "if_nonnil":
        b.add(0, f"if {p} != nil {{")
        use(b, 1, True)
        b.add(0, "}")
    elif g == "nil_first":
        b.add(0, f"if nil != {p} {{")
        use(b, 1, True)
        b.add(0, "}")
    elif g == "if_nil_wrong":
        b.add(0, f"if {p} == nil {{")
        use(b, 1, False)
        b.add(0, "}")
    elif g in ("ret", "panic", "goto"):
        exit_ = {"ret": "return total", "panic": 'panic("x")', "goto": f"goto L{s}"}[g]
        b.add(0, f"if {p} == nil {{")
        b.add(1, exit_)
        b.add(0, "}")
        use(b, 0, True)
        if g == "goto":
            b.add(0, f"L{s}:")
            b.add(0, "total++")
    elif g in ("cont", "brk"):
        b.add(0, f"if {p} == nil {{")
        b.add(1, "continue" if g == "cont" else "break")
        b.add(0, "}")
        use(b, 0, True)
    elif g == "nonexit":
        b.add(0, f"if {p} == nil {{")
        b.add(1, "total++")
        b.add(0, "}")
        use(b, 0, False)
    elif g == "partial_exit":
        b.add(0, f"if {p} == nil {{")
        b.add(1, "if n > 1 {")
        b.add(2, "return total")
        b.add(1, "}")
        b.add(1, "total++")
        b.add(0, "}")
        use(b, 0, False)
    elif g == "nested_exit":
        b.add(0, f"if {p} == nil {{")
        b.add(1, "if n > 1 {")
        b.add(2, 'panic("x")')
        b.add(1, "}")
        b.add(1, "return total")
        b.add(0, "}")
        use(b, 0, True)
    elif g == "other_exit":
        b.add(0, "if n < 0 {")
        b.add(1, "return total")
        b.add(0, "}")
        use(b, 0, False)
    elif g in ("else_ok", "else_wrong"):
        b.add(0, f"if {p} {'==' if g == 'else_ok' else '!='} nil {{")
        b.add(1, "total++")
        b.add(0, "} else {")
        use(b, 1, g == "else_ok")
        b.add(0, "}")
    elif g == "nested_in":
        b.add(0, f"if {p} != nil {{")
        b.add(1, "if n > 1 {")
        use(b, 2, True)
        b.add(1, "}")
        b.add(0, "}")
    elif g == "nested_out":
        b.add(0, "if n > 1 {")
        b.add(1, f"if {p} != nil {{")
        use(b, 2, True)
        b.add(1, "}")
        b.add(0, "}")
    elif g == "and":
        cond_use(b, 0, True, f"if {p} != nil && {r} > 0 {{", ["total++"])
    elif g == "and_wrong":
        cond_use(b, 0, False, f"if n > 0 && {r} > 0 {{", ["total++"])
    elif g == "or":
        cond_use(b, 0, True, f"if {p} == nil || {r} > 0 {{", ["total++"])
    elif g == "or_wrong":
        cond_use(b, 0, False, f"if n > 0 || {r} > 0 {{", ["total++"])
    elif g == "or_exit":
        cond_use(b, 0, True, f"if {p} == nil || {r} < 0 {{", ["return total"])
        use(b, 0, True)
    elif g == "expr_and":
        b.add(0, f"sinkb({p} != nil && {r} > 0)", True)
    elif g == "assign_nonnil":
        b.add(0, f"{p} = {v.nonnil}")
        use(b, 0, True)
    elif g in ("assign_nonnil_branch", "assign_nullable_branch"):
        b.add(0, f"if {p} == nil {{")
        b.add(1, f"{p} = {v.nonnil if g == 'assign_nonnil_branch' else v.nullable}")
        b.add(0, "}")
        use(b, 0, g == "assign_nonnil_branch")
    elif g == "assign_both":
        b.add(0, "if n > 0 {")
        b.add(1, f"{p} = {v.nonnil}")
        b.add(0, "} else {")
        b.add(1, f"{p} = {v.nonnil}")
        b.add(0, "}")
        use(b, 0, True)
    elif g in ("reassign_nullable", "prefix_reassign", "sibling_assign", "call_between"):
        b.add(0, f"if {p} == nil {{")
        b.add(1, "return total")
        b.add(0, "}")
        between = {"reassign_nullable": f"{p} = {v.nullable}", "prefix_reassign": v.prefix,
                   "sibling_assign": v.sibling, "call_between": "touch(n)"}[g]
        assert between is not None
        b.add(0, between)
        use(b, 0, g in ("sibling_assign", "call_between"))
    elif g == "retry_loop":
        b.add(0, f"for {p} == nil {{")
        b.add(1, f"{p} = {v.nullable or v.nonnil}")
        b.add(0, "}")
        use(b, 0, True)
    elif g in ("switch_exit", "switch_case", "switch_noexit"):
        b.add(0, "switch {")
        if g == "switch_exit":
            b.add(0, f"case {p} == nil:")
            b.add(1, "return total")
            b.add(0, "default:")
            use(b, 1, True)
            b.add(0, "}")
        elif g == "switch_case":
            b.add(0, f"case {p} != nil:")
            use(b, 1, True)
            b.add(0, "}")
        else:
            b.add(0, f"case {p} == nil:")
            b.add(1, "total++")
            b.add(0, "}")
            use(b, 0, False)
    elif g in ("alias_after", "alias_before"):
        if g == "alias_before":
            b.add(0, f"q{s} := {p}")
        b.add(0, f"if {p} == nil {{")
        b.add(1, "return total")
        b.add(0, "}")
        if g == "alias_after":
            b.add(0, f"q{s} := {p}")
        use(b, 0, g == "alias_after", base=f"q{s}")
    elif g == "switch_value_exit":
        b.add(0, f"switch {p} {{")
        b.add(0, "case nil:")
        b.add(1, "return total")
        b.add(0, "}")
        use(b, 0, True)
    elif g in ("not_eq", "not_or", "not_wrong", "and_other"):
        cond = {"not_eq": f"!({p} == nil)", "not_or": f"!({p} == nil || n > 0)", "not_wrong": f"!({p} != nil)",
                "and_other": f"n > 3 && {p} != nil"}[g]
        b.add(0, f"if {cond} {{")
        use(b, 1, g != "not_wrong")
        b.add(0, "}")
    elif g == "else_if":
        b.add(0, f"if {p} == nil {{")
        b.add(1, "total++")
        b.add(0, "} else if n > 0 {")
        use(b, 1, True)
        b.add(0, "}")
    elif g == "or_other_exit":
        b.add(0, f"if {p} == nil || n > 3 {{")
        b.add(1, "return total")
        b.add(0, "}")
        use(b, 0, True)
    elif g == "cont_outer":
        b.add(0, f"O{s}:")
        b.add(0, f"for a{s} := 0; a{s} < n; a{s}++ {{")
        b.add(1, f"for b{s} := 0; b{s} < n; b{s}++ {{")
        b.add(2, f"if {p} == nil {{")
        b.add(3, f"continue O{s}")
        b.add(2, "}")
        use(b, 2, True)
        b.add(1, "}")
        b.add(0, "}")
    elif g == "infinite":
        b.add(0, f"if {p} == nil {{")
        b.add(1, "for {")
        b.add(1, "}")
        b.add(0, "}")
        use(b, 0, True)
    elif g == "switch_value":
        b.add(0, f"switch {p} {{")
        b.add(0, "case nil:")
        b.add(1, "total++")
        b.add(0, "default:")
        use(b, 1, True)
        b.add(0, "}")
    elif g.startswith("loop_"):
        b.add(0, f"if {p} == nil {{")
        b.add(1, "return total")
        b.add(0, "}")
        b.add(0, f"for i{s} := 0; i{s} < n; i{s}++ {{")
        if g == "loop_nullable_before":
            b.add(1, f"{p} = {v.nullable}")
        use(b, 1, g in ("loop_outside", "loop_nonnil_after"))
        if g == "loop_nullable_after":
            b.add(1, f"{p} = {v.nullable}")
        elif g == "loop_nonnil_after":
            b.add(1, f"{p} = {v.nonnil}")
        b.add(0, "}")
    elif g == "for_cond":
        b.add(0, f"for {p} != nil && total < 100 {{")
        use(b, 1, True)
        b.add(1, f"{p} = {p}.N{seg.tk}", True)
        b.add(0, "}")
    elif g in ("closure_ok", "closure_wrong"):
        if g == "closure_ok":
            b.add(0, f"if {p} == nil {{")
            b.add(1, "return total")
            b.add(0, "}")
        b.add(0, "func() {")
        use(b, 1, g == "closure_ok")
        b.add(0, "}()")
    elif g == "closure_reassigned":
        b.add(0, f"if {p} == nil {{")
        b.add(1, "return total")
        b.add(0, "}")
        b.add(0, f"f{s} := func() {{")
        use(b, 1, False)
        b.add(0, "}")
        b.add(0, v.reassign or f"{p} = {v.nullable}")
        b.add(0, f"f{s}()")
    elif g in ("ok_if", "ok_wrong"):
        b.add(0, f"if {'' if g == 'ok_if' else '!'}{v.ok} {{")
        use(b, 1, g == "ok_if")
        b.add(0, "}")
    elif g == "ok_exit":
        b.add(0, f"if !{v.ok} {{")
        b.add(1, "return total")
        b.add(0, "}")
        use(b, 0, True)
    elif g == "err_exit":
        b.add(0, f"if {v.err} != nil {{")
        b.add(1, "return total")
        b.add(0, "}")
        use(b, 0, True)
    elif g == "err_eq_nil":
        b.add(0, f"if {v.err} == nil {{")
        use(b, 1, True)
        b.add(0, "}")
    elif g == "err_else":
        b.add(0, f"if {v.err} != nil {{")
        b.add(1, "total++")
        b.add(0, "} else {")
        use(b, 1, True)
        b.add(0, "}")
    elif g == "err_noexit":
        b.add(0, f"if {v.err} != nil {{")
        b.add(1, "total++")
        b.add(0, "}")
        use(b, 0, False)
    else:
        raise AssertionError(g)

    # The setup, then the guarded body; a loop around both for continue/break.
    inner = _Lines()
    for line in v.setup:
        depth = len(line) - len(line.lstrip("\t"))
        inner.add(depth, line.lstrip("\t"))
    if v.ok is not None and not g.startswith("ok_"):
        inner.add(0, f"_ = {v.ok}")
    if v.err is not None and not g.startswith("err_"):
        inner.add(0, f"if {v.err} != nil {{")
        inner.add(1, "total++")
        inner.add(0, "}")
    inner.extend(0, body)
    seg_lines = _Lines()
    if seg.source == "range":
        seg_lines.add(0, f"for _, {p} := range s{s} {{")
        seg_lines.extend(1, inner)
        seg_lines.add(0, "}")
    elif g in ("cont", "brk"):
        seg_lines.add(0, f"for i{s} := 0; i{s} < n; i{s}++ {{")
        seg_lines.extend(1, inner)
        seg_lines.add(0, "}")
    else:
        seg_lines = inner

    c = seg.context
    if c == "plain":
        out = seg_lines
    else:
        head, tail = {
            "block": (["{"], ["}"]),
            "if": ([f"if n != {s} {{"], ["}"]),
            "for": ([f"for j{s} := 0; j{s} < n; j{s}++ {{"], ["}"]),
            "switch": (["switch n {", f"case {s}, -1:"], ["}"]),
            "closure": (["total = total + func() int {"], ["\treturn 0", "}()"]),
            CLOSURE_OPASSIGN: (["total += func() int {"], ["\treturn 0", "}()"]),
        }[c]
        for line in head:
            out.add(0, line)
        out.extend(1, seg_lines)
        for line in tail:
            out.add(len(line) - len(line.lstrip("\t")), line.lstrip("\t"))
    return out, v.params


@dataclass(frozen=True)
class Rendered:
    text: str
    unprotected: frozenset[int]  # 1-based lines that dereference a maybe-nil value
    protected: frozenset[int]  # lines that dereference a value known non-nil

    @property
    def erased(self) -> str:
        """The program as plain Go: no ``?`` types, no ``!`` assertions."""
        text = self.text.replace("?", "")
        return re.sub(r"(?<=[\w\])])!(?=[.(\[)])", "", text)


def render(prog: Program) -> Rendered:
    lines: list[str] = [*PRELUDE.splitlines(), "", *prog.world.decls()]
    bad: set[int] = set()
    good: set[int] = set()
    s = 0
    for fi, segs in enumerate(prog.funcs):
        params = ["n int"]
        body = _Lines()
        body.add(0, "total := 0")
        for seg in segs:
            seg_lines, seg_params = _segment(prog.world, seg, s)
            params += seg_params
            body.extend(0, seg_lines)
            s += 1
        body.add(0, "return total")
        lines.append(f"func f{fi}({', '.join(params)}) int {{")
        for depth, text, tag in body.items:
            if text.endswith(":") and not text.startswith("case") and text != "default:":
                lines.append(text)  # a label, at the left margin as gofmt puts it
            else:
                lines.append("\t" * (depth + 1) + text)
            if tag is False:
                bad.add(len(lines))
            elif tag is True:
                good.add(len(lines))
        lines.append("}")
        lines.append("")
    return Rendered("\n".join(lines), frozenset(bad), frozenset(good))


def unprotected_segments(prog: Program) -> list[tuple[int, int]]:
    """The (function, segment) positions whose use is not protected."""
    out = []
    for f, s in prog.segments():
        seg = prog.funcs[f][s]
        if not seg.fix and render(Program(prog.world, ((seg,),))).unprotected:
            out.append((f, s))
    return out


# --- strategies ----------------------------------------------------------------


@st.composite
def worlds(draw: Draw) -> World:
    n = draw(st.integers(1, 3))
    nullable = []
    nonnil = []
    for i in range(n):
        others = draw(st.sets(st.integers(0, n - 1), max_size=2))
        nullable.append(frozenset(others | {i}))
        nonnil.append(frozenset(draw(st.sets(st.integers(0, i - 1), max_size=2))) if i else frozenset())
    return World(tuple(nullable), tuple(nonnil))


def _choices(world: World, kind: str, source: str) -> list[Segment]:
    """The segments of a kind and source, one per choice of types (tk, ti, tj)."""
    n = world.n
    if kind != "ptr":
        return [Segment(kind, source)]
    if source == "field":
        return [Segment(kind, source, ti=i, tk=k) for i in range(n) for k in sorted(world.nullable[i])]
    if source == "deep":
        return [Segment(kind, source, ti=i, tj=j, tk=k) for i in range(n) for j in sorted(world.nonnil[i])
                for k in sorted(world.nullable[j])]
    if source == "chain":
        return [Segment(kind, source, ti=i, tj=j, tk=k) for i in range(n) for j in sorted(world.nullable[i])
                for k in sorted(world.nullable[j])]
    return [Segment(kind, source, tk=k) for k in range(n)]


@st.composite
def _segments(draw: Draw, world: World, guards: Sequence[str] | None, kinds: Sequence[str],
              stmt_filter: Callable[[str, str], bool] | None, contexts: Sequence[str]) -> Segment:
    kind = draw(st.sampled_from(list(kinds)))
    sources = [s for s in SOURCES[kind] if _choices(world, kind, s)]
    source = draw(st.sampled_from(sources))
    template: Segment = draw(st.sampled_from(_choices(world, kind, source)))
    stmts = [i for i, t in enumerate(STMTS[kind]) if stmt_filter is None or stmt_filter(kind, t)]
    stmt = draw(st.sampled_from(stmts))
    read = draw(st.integers(0, max(0, len(READS[kind]) - 1)))
    base = replace(template, stmt=stmt, read=read)
    v = _value(world, base, 0)
    allowed = [g for g in (guards or GUARDS) if guard_ok(g, base, v)]
    guard = draw(st.sampled_from(allowed or ["none"]))
    allowed_contexts = [c for c in contexts if not c.startswith("closure") or source in LOCAL_SOURCES]
    context = draw(st.sampled_from(allowed_contexts or ["plain"]))
    return replace(base, guard=guard, context=context)


def segments(world: World, guards: Sequence[str] | None = None, kinds: Sequence[str] = KINDS,
             stmt_filter: Callable[[str, str], bool] | None = None, contexts: Sequence[str] = CONTEXTS,
             keep: Callable[[Segment], bool] | None = None) -> st.SearchStrategy[Segment]:
    """Segments over ``world``; ``guards`` restricts the guard forms, ``stmt_filter(kind, stmt)``
    the use statements, ``contexts`` the contexts, ``keep`` the segments."""
    strategy = _segments(world, guards, kinds, stmt_filter, contexts)
    return strategy if keep is None else strategy.filter(keep)


@st.composite
def programs(draw: Draw, guards: Sequence[str] | None = None, kinds: Sequence[str] = KINDS,
             stmt_filter: Callable[[str, str], bool] | None = None, contexts: Sequence[str] = CONTEXTS,
             keep: Callable[[Segment], bool] | None = None, max_segments: int = 4) -> Program:
    world = draw(worlds())
    nfuncs = draw(st.integers(1, 3))
    funcs = tuple(
        tuple(draw(st.lists(segments(world, guards, kinds, stmt_filter, contexts, keep), min_size=1,
                            max_size=max_segments)))
        for _ in range(nfuncs)
    )
    return Program(world, funcs)


# --- patterns of once-known checker bugs (now regression tests) --------------------


def is_write(seg: Segment) -> bool:
    """The use stores through P's pointer: ``p.V = n``, ``p.V++``, ``p.V += n``, ``(*p).V = n``."""
    return seg.kind == "ptr" and not _use_stmt(seg, "P").startswith(("total +=", "sinkb("))


def closure_write_bug(seg: Segment) -> bool:
    """A store through a captured variable inside a function literal makes the checker forget
    what it knew about the variable itself."""
    return seg.guard.startswith("closure_") and is_write(seg)


def closure_flow_typed_bug(seg: Segment) -> bool:
    """A captured ``(T, error)`` or comma-ok result reassigned after the capture is taken
    as its declared non-nil type inside the function literal."""
    return seg.guard == "closure_reassigned" and seg.source in ("err", "commaok")


def copy_unchecked_bug(seg: Segment) -> bool:
    """``q := p`` with ``p`` an unchecked ``(T, error)`` result reports ``nil-assign`` (q has no
    declared type)."""
    return seg.guard == "alias_before" and seg.source == "err"


def no_known_bug(seg: Segment) -> bool:
    """Every pattern is back in the properties: the bugs below were fixed (the
    predicates stay to name the regression tests' patterns)."""
    del seg
    return True
