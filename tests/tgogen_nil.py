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

``definite_programs`` and ``forgetting_programs`` (at the end) generate the
flow forms of spec §2 v0.2 with their own small prelude: definite assignment
over random branch shapes, and address-taken variables and closures that
assign, each with the lines where a diagnostic must appear.
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


# --- flow forms of spec §2 v0.2: definite assignment, forgetting facts ---------------
#
# Each program comes with the lines where a diagnostic must appear (and no other
# line may have one): the lines where a nil can reach the use, worked out on the
# generated tree by a small interpreter independent of the checker's CFG.
# Conditions are opaque calls ``c(k)`` with distinct k, so every path is feasible.

FLOW_PRELUDE = """\
package p

type T0 struct {
\tV int
}

func c(k int) bool { return k%3 == 0 }

func touch(i int) {}

func getT(n int) ?*T0 {
\tif c(n) {
\t\treturn nil
\t}
\treturn &T0{V: n}
}

func fill(pp **T0) {
\t*pp = &T0{V: 3}
}

func mayClear(pp *?*T0, n int) {
\tif c(n) {
\t\t*pp = nil
\t}
}

func sinkf(f func() int) {}

var sink int
"""


@dataclass(frozen=True)
class FlowProgram:
    text: str
    want: dict[int, str]  # line -> the one code expected there


# A definite-assignment statement tree: ("assign"|"fill"|"iife"|"read"|"lit_read"|"return"|"panic"|
# "break"|"continue",), ("if", then, else_or_None), ("switch", (bodies...), has_default), ("loop", body).
DTree = tuple[Any, ...]

_SIMPLE = ("assign", "fill", "iife", "read", "read", "lit_read")


def _terminates(s: DTree) -> bool:
    """Go's terminating statements (and branches): nothing may follow them in their block."""
    k = s[0]
    if k in ("return", "panic", "break", "continue"):
        return True
    if k == "if":
        return s[2] is not None and _block_terminates(s[1]) and _block_terminates(s[2])
    if k == "switch":
        return bool(s[2]) and all(_block_terminates(b) for b in s[1])
    return False


def _block_terminates(b: tuple[DTree, ...]) -> bool:
    return bool(b) and _terminates(b[-1])


@st.composite
def _dblock(draw: Draw, depth: int, in_loop: bool, in_switch: bool) -> tuple[DTree, ...]:
    out: list[DTree] = []
    for _ in range(draw(st.integers(0 if depth else 1, 3))):
        kinds = [*_SIMPLE, "return", "panic"]
        if in_loop:
            kinds.append("continue")
            if not in_switch:
                kinds.append("break")
        if depth < 3:
            kinds += ["if", "if", "switch", "loop"]
        k = draw(st.sampled_from(kinds))
        s: DTree
        if k == "if":
            then = draw(_dblock(depth + 1, in_loop, in_switch))
            else_ = draw(st.none() | _dblock(depth + 1, in_loop, in_switch))
            s = ("if", then, else_)
        elif k == "switch":
            n = draw(st.integers(1, 3))
            bodies = tuple(draw(_dblock(depth + 1, in_loop, True)) for _ in range(n))
            s = ("switch", bodies, draw(st.booleans()))
        elif k == "loop":
            s = ("loop", draw(_dblock(depth + 1, True, False)))
        else:
            s = (k,)
        out.append(s)
        if _terminates(s):
            break
    return tuple(out)


def _join(*us: bool | None) -> bool | None:
    live = [u for u in us if u is not None]
    return any(live) if live else None


class _DRender:
    """Renders a tree and interprets it: ``u`` is None (unreachable), False (p assigned on every
    path here) or True (p may be unassigned: a read here is nil-init)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.read_lines: list[tuple[int, int]] = []  # (id of the read node, its line in lines)
        self.k = 0

    def fresh(self) -> int:
        self.k += 1
        return self.k

    def block(self, b: tuple[DTree, ...], depth: int) -> None:
        for s in b:
            self.stmt(s, depth)

    def stmt(self, s: DTree, depth: int) -> None:
        ind = "\t" * depth
        k = s[0]
        if k == "assign":
            self.lines.append(f"{ind}p = &T0{{V: {self.fresh()}}}")
        elif k == "fill":
            self.lines.append(f"{ind}fill(&p)")
        elif k == "iife":
            self.lines += [f"{ind}func() {{", f"{ind}\tp = &T0{{V: {self.fresh()}}}", f"{ind}}}()"]
        elif k == "read":
            self.lines.append(f"{ind}touch(p.V)")
            self.read_lines.append((id(s), len(self.lines)))
        elif k == "lit_read":
            self.lines.append(f"{ind}sinkf(func() int {{ return p.V }})")
        elif k == "return":
            self.lines.append(f"{ind}return")
        elif k == "panic":
            self.lines.append(f'{ind}panic("x")')
        elif k in ("break", "continue"):
            self.lines.append(f"{ind}{k}")
        elif k == "if":
            self.lines.append(f"{ind}if c({self.fresh()}) {{")
            self.block(s[1], depth + 1)
            if s[2] is not None:
                self.lines.append(f"{ind}}} else {{")
                self.block(s[2], depth + 1)
            self.lines.append(f"{ind}}}")
        elif k == "switch":
            self.lines.append(f"{ind}switch n % {len(s[1]) + 1} {{")
            for i, body in enumerate(s[1]):
                self.lines.append(f"{ind}case {i}:")
                self.block(body, depth + 1)
            if s[2]:
                self.lines.append(f"{ind}default:")
                self.lines.append(f"{ind}\ttouch(n)")
            self.lines.append(f"{ind}}}")
        elif k == "loop":
            i = f"i{self.fresh()}"
            self.lines.append(f"{ind}for {i} := 0; {i} < n; {i}++ {{")
            self.block(s[1], depth + 1)
            self.lines.append(f"{ind}}}")


def _interpret(b: tuple[DTree, ...], u: bool | None, reads: dict[int, bool | None],
               loops: list[tuple[list[bool | None], list[bool | None]]]) -> bool | None:
    for s in b:
        if u is None:
            break
        k = s[0]
        if k in ("assign", "fill", "iife"):
            u = False
        elif k == "read":
            reads[id(s)] = u
        elif k in ("return", "panic"):
            u = None
        elif k == "break":
            loops[-1][0].append(u)
            u = None
        elif k == "continue":
            loops[-1][1].append(u)
            u = None
        elif k == "if":
            a = _interpret(s[1], u, reads, loops)
            e = _interpret(s[2], u, reads, loops) if s[2] is not None else u
            u = _join(a, e)
        elif k == "switch":
            outs = [_interpret(body, u, reads, loops) for body in s[1]]
            # the default clause only touches n; without one, no clause may match: either way p is as before
            u = _join(*outs, u)
        elif k == "loop":
            head: bool | None = u
            while True:
                breaks: list[bool | None] = []
                conts: list[bool | None] = []
                loops.append((breaks, conts))
                end = _interpret(s[1], head, reads, loops)
                loops.pop()
                new_head = _join(u, end, *conts)
                if new_head == head:
                    break
                head = new_head
            u = _join(head, *breaks)
    return u


@st.composite
def definite_programs(draw: Draw) -> FlowProgram:
    """Functions that declare ``var p *T0`` and assign and read it in random branch shapes
    (if/else, switch with and without default, loops with break/continue, early returns,
    panics, a closure that assigns, ``fill(&p)``); a read where p may be unassigned is nil-init,
    a read inside a function literal is never checked."""
    lines = FLOW_PRELUDE.splitlines()
    want: dict[int, str] = {}
    for f in range(draw(st.integers(1, 3))):
        tree = draw(_dblock(0, False, False))
        r = _DRender()
        r.lines = ["\tvar p *T0", "\tsinkf(func() int { return p.V })"]
        r.block(tree, 1)
        reads: dict[int, bool | None] = {}
        _interpret(tree, True, reads, [])
        base = len(lines) + 2  # the blank line and the func line
        lines += ["", f"func d{f}(n int) {{", *r.lines, "}"]
        for sid, line in r.read_lines:
            if reads.get(sid):
                want[base + line] = "nil-init"
    return FlowProgram("\n".join(lines) + "\n", want)


# Ops on a nullable local p (``p := getT(n)``): their lines, and whether p may be nil after
# them. "escape" takes p's address (pp := &p) and passes it on to a call that may clear it;
# once escaped, "via" calls such a function and "deref_*" write through pp.
FORGET_OPS: dict[str, tuple[tuple[str, ...], bool]] = {
    "narrow": (("if p == nil {", "\treturn", "}"), False),
    "escape": (("pp := &p", "mayClear(pp, n)"), True),
    "via": (("mayClear(pp, n)",), True),
    "deref_nil": (("*pp = nil",), True),
    "deref_get": (("*pp = getT(n)",), True),
    "fill": (("mayClear(&p, n)",), True),
    "set_nonnil": (("p = &T0{V: 1}",), False),
    "set_get": (("p = getT(n)",), True),
    "iife_nil": (("func() {", "\tp = nil", "}()"), True),
    "iife_get": (("func() {", "\tp = getT(n)", "}()"), True),
}


@st.composite
def forgetting_programs(draw: Draw) -> FlowProgram:
    """Functions that narrow a nullable p and then take its address, write through the
    pointer, pass &p to a function that may clear it, or call function literals that assign
    it (or not); a read of p is nil-deref exactly where p may be nil (spec §2 "What forgets
    a fact")."""
    lines = FLOW_PRELUDE.splitlines()
    want: dict[int, str] = {}
    for f in range(draw(st.integers(1, 3))):
        # literals defined up front: r0 assigns nil, r1 a maybe-nil value, r2 leaves p alone
        lits = draw(st.lists(st.sampled_from(["nil", "get", "none"]), min_size=0, max_size=3))
        body: list[str] = ["\tp := getT(n)"]
        for i, what in enumerate(lits):
            inner = {"nil": "p = nil", "get": "p = getT(n)", "none": f"touch({i})"}[what]
            body.append(f"\tr{i} := func() {{ {inner} }}")
        called = [False] * len(lits)
        may_nil = True
        escaped = False
        reads: list[tuple[int, bool]] = []
        for _ in range(draw(st.integers(1, 10))):
            ops = [o for o in FORGET_OPS if (o != "escape" or not escaped)
                   and (o not in ("via", "deref_nil", "deref_get") or escaped)]
            ops += ["read", "read"] + (["call_lit"] if lits else [])
            op = draw(st.sampled_from(ops))
            if op == "read":
                body.append("\tsink = p.V")  # not a call: once p escaped, any call forgets it (spec §2)
                reads.append((len(body), may_nil))
            elif op == "call_lit":
                i = draw(st.integers(0, len(lits) - 1))
                if lits[i] == "none" and escaped:
                    continue  # a call that writes nothing: the checker forgets an escaped p anyway
                body.append(f"\tr{i}()")
                called[i] = True
                may_nil = may_nil or lits[i] != "none"
            else:
                lines_, may_nil = FORGET_OPS[op]
                body += ["\t" + line for line in lines_]
                escaped = escaped or op == "escape"
        for i, was in enumerate(called):
            if not was:
                body.append(f"\t_ = r{i}")
        if not any(b.startswith("\tsink = p") for b in body):
            body.append("\t_ = p")
        base = len(lines) + 2
        lines += ["", f"func a{f}(n int) {{", *body, "}"]
        for line, bad in reads:
            if bad:
                want[base + line] = "nil-deref"
    return FlowProgram("\n".join(lines) + "\n", want)
