"""Property tests for nil safety (spec §2): generated well-typed tgo programs
with nil checks added or removed at random.

The generator (tests/tgogen_nil.py) builds programs from independent segments,
each obtaining a possibly-nil value (a call returning ``?*T``, a nullable
parameter, field, nested field path, map index, comma-ok map index, channel
receive, ``(T, error)`` result, range element, ``?func``, ``?map``) and
dereferencing it (``p.f``, ``p.m()``, ``*p``, ``p()``, ``m[k] = v``) behind
one of ~50 guard forms that protect it or not, in one of several contexts. It
records which lines dereference a value that may be nil there.

* Property 1: the lines with a diagnostic are exactly the unprotected
  dereference lines, one ``nil-deref`` each, and nothing else is reported.
  Also checked exhaustively: every guard on every source, once each.
* Property 2 (metamorphic): protecting one unprotected use (wrapping it in
  ``if p != nil``, asserting ``p!``, or switching to a protecting guard)
  removes exactly its diagnostic; removing a protecting guard adds exactly one.
* Property 3: checking is deterministic.
* Property 4 (spec §2 v0.2 flow rules, ``definite_programs`` and
  ``forgetting_programs``): a non-nil ``var p *T0`` read in random branch shapes
  is ``nil-init`` exactly where a path reaches the read unassigned; a narrowed
  nullable p is ``nil-deref`` again exactly where its address passed on, a
  write through a pointer or a called function literal may have made it nil.
* The generator writes valid Go once the extensions are erased (``go vet``).

Checker bugs the properties found are kept as regression tests at the end.
"""

from __future__ import annotations

import collections
import os
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from tgogen_nil import (
    CLOSURE_OPASSIGN,
    CONTEXTS,
    FLOW_PRELUDE,
    GUARDS,
    KINDS,
    READS,
    SOURCES,
    STMTS,
    FlowProgram,
    Program,
    Rendered,
    Segment,
    World,
    _choices,
    _value,
    closure_flow_typed_bug,
    closure_write_bug,
    copy_unchecked_bug,
    definite_programs,
    forgetting_programs,
    guard_ok,
    is_write,
    no_known_bug,
    programs,
    render,
    unprotected_segments,
)

from transpiler.check import check_parsed
from transpiler.diagnostics import Diagnostic
from transpiler.syntax import parse_source

# TGO_PROPERTY_SCALE=10 runs ten times the examples (for a longer bug hunt).
_SCALE = max(1, int(os.environ.get("TGO_PROPERTY_SCALE", "1")))
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
            HealthCheck.filter_too_much]
_PROPS = settings(max_examples=100 * _SCALE, deadline=None, suppress_health_check=_SLOW_OK)
_FEW = settings(max_examples=30 * _SCALE, deadline=None, suppress_health_check=_SLOW_OK)


def _check(text: str) -> list[Diagnostic]:
    return list(check_parsed([(parse_source(text.encode("utf-8"), "x.tgo"), "x.tgo")]).diagnostics)


def _explain(r: Rendered, diags: list[Diagnostic]) -> str:
    """The generated functions where the diagnostics and the expectation differ (or all of
    them when there are none), each line marked U (unprotected use) or P (protected use)
    and followed by its diagnostics; then the difference."""
    by_line: dict[int, list[str]] = collections.defaultdict(list)
    for d in diags:
        by_line[d.line].append(f"{d.code}: {d.message}")
    wrong = {line for line in by_line if line not in r.unprotected or len(by_line[line]) > 1}
    wrong |= {d.line for d in diags if d.code != "nil-deref"} | (r.unprotected - set(by_line))
    lines = r.text.split("\n")
    funcs: list[tuple[int, int]] = []  # (first, last) 1-based lines of each generated function
    for i, line in enumerate(lines, 1):
        if line.startswith("func f"):
            funcs.append((i, i))
        elif line == "}" and funcs and funcs[-1][0] == funcs[-1][1]:
            funcs[-1] = (funcs[-1][0], i)
    shown = [(a, b) for a, b in funcs if any(a <= w <= b for w in wrong)] or funcs
    out = []
    for a, b in shown:
        for i in range(a, b + 1):
            mark = "U" if i in r.unprotected else "P" if i in r.protected else " "
            notes = by_line.get(i)
            out.append(f"{i:5} {mark} {lines[i - 1]}" + (f"    <-- {'; '.join(notes)}" if notes else ""))
    outside = sorted(w for w in wrong if not any(a <= w <= b for a, b in funcs))
    for w in outside:
        out.append(f"{w:5}   {lines[w - 1]}    <-- {'; '.join(by_line.get(w, []))}")
    missing = sorted(r.unprotected - set(by_line))
    extra = sorted(w for w in wrong if w not in missing)
    out.append(f"missing diagnostics on lines {missing}; unexpected diagnostics on lines {extra}")
    return "\n".join(out)


def _assert_exact(r: Rendered, diags: list[Diagnostic]) -> None:
    got = sorted(d.line for d in diags)
    ok = got == sorted(r.unprotected) and all(d.code == "nil-deref" for d in diags)
    assert ok, "\n" + _explain(r, diags)


# --- property 1: diagnostics exactly on the unprotected uses --------------------


@_PROPS
@given(programs(keep=no_known_bug))
def test_nil_deref_exactly_on_unprotected_uses(prog: Program) -> None:
    r = render(prog)
    _assert_exact(r, _check(r.text))


def _every_segment(world: World, contexts: tuple[str, ...] = CONTEXTS, every_stmt: bool = False) -> list[Segment]:
    """Every (kind, source, types, guard) the generator allows, cycling through the
    statements (or taking each one), reads and contexts."""
    out: list[Segment] = []
    i = 0
    for kind in KINDS:
        for source in SOURCES[kind]:
            for base in _choices(world, kind, source):
                v = _value(world, base, 0)
                for guard in GUARDS:
                    if not guard_ok(guard, base, v):
                        continue
                    ctxs = [c for c in contexts if not c.startswith("closure") or v.local] or ["plain"]
                    stmts = range(len(STMTS[kind])) if every_stmt else [i % len(STMTS[kind])]
                    for stmt in stmts:
                        out.append(replace(base, guard=guard, stmt=stmt, read=i % max(1, len(READS[kind])),
                                           context=ctxs[i % len(ctxs)]))
                        i += 1
    return out


def _one_per_function(segs: list[Segment], fix: bool = False) -> Program:
    return Program(_WORLD, tuple((replace(s, fix=fix),) for s in segs))


_WORLD = World(nullable=(frozenset({0, 1}), frozenset({0, 1})), nonnil=(frozenset(), frozenset({0})))


def test_every_guard_on_every_source() -> None:
    """Property 1 on one program holding every allowed combination once (each in its own
    function), and on the same program with every use protected."""
    segs = [s for s in _every_segment(_WORLD) if no_known_bug(s)]
    assert {s.guard for s in segs} == set(GUARDS)
    assert {(s.kind, s.source) for s in segs} == {(k, src) for k in KINDS for src in SOURCES[k]}
    r = render(_one_per_function(segs))
    assert r.unprotected and r.protected
    _assert_exact(r, _check(r.text))
    rf = render(_one_per_function(segs, fix=True))
    assert not rf.unprotected
    _assert_exact(rf, _check(rf.text))


# --- property 2: adding (removing) a guard removes (adds) exactly one diagnostic --


def _protecting_guards(prog: Program, seg: Segment) -> list[str]:
    v = _value(prog.world, seg, 0)
    out = []
    for g in GUARDS:
        new = replace(seg, guard=g)
        if g in ("none", "safe") or not guard_ok(g, seg, v) or not no_known_bug(new):
            continue
        r = render(Program(prog.world, ((new,),)))
        if r.protected and not r.unprotected:
            out.append(g)
    return out


@_PROPS
@given(programs(keep=no_known_bug), st.data())
def test_protecting_a_use_removes_exactly_its_diagnostic(prog: Program, data: st.DataObject) -> None:
    candidates = unprotected_segments(prog)
    assume(candidates)
    f, s = data.draw(st.sampled_from(candidates), label="segment")
    seg = prog.funcs[f][s]
    how = data.draw(st.sampled_from(["wrap", "guard"]), label="how")
    guards = _protecting_guards(prog, seg)
    if how == "guard" and guards:
        new = replace(seg, guard=data.draw(st.sampled_from(guards), label="guard"))
    else:
        new = replace(seg, fix=True)
    fixed = prog.with_segment(f, s, new)
    r0, r1 = render(prog), render(fixed)
    assert len(r1.unprotected) == len(r0.unprotected) - 1
    before, after = _check(r0.text), _check(r1.text)
    assert len(before) - len(after) == 1, f"\nbefore:\n{_explain(r0, before)}\nafter:\n{_explain(r1, after)}"
    _assert_exact(r1, after)


@_PROPS
@given(programs(keep=no_known_bug), st.data())
def test_removing_a_guard_adds_exactly_one_diagnostic(prog: Program, data: st.DataObject) -> None:
    protected = [(f, s) for f, s in prog.segments() if (f, s) not in unprotected_segments(prog)
                 and prog.funcs[f][s].guard not in ("none", "safe")]
    assume(protected)
    f, s = data.draw(st.sampled_from(protected), label="segment")
    seg = prog.funcs[f][s]
    stripped = prog.with_segment(f, s, replace(seg, guard="none"))
    r0, r1 = render(prog), render(stripped)
    assert len(r1.unprotected) == len(r0.unprotected) + 1
    before, after = _check(r0.text), _check(r1.text)
    assert len(after) - len(before) == 1, f"\nbefore:\n{_explain(r0, before)}\nafter:\n{_explain(r1, after)}"
    _assert_exact(r1, after)


# --- property 3: determinism -------------------------------------------------------


def _key(d: Diagnostic) -> tuple[object, ...]:
    return (d.file, d.line, d.column, d.end_line, d.end_column, d.severity, d.code, d.message)


@_FEW
@given(programs())
def test_checking_is_deterministic(prog: Program) -> None:
    text = render(prog).text
    assert [_key(d) for d in _check(text)] == [_key(d) for d in _check(text)]


# --- property 4: the flow forms of spec §2 v0.2 ------------------------------------


def _assert_wanted(prog: FlowProgram, diags: list[Diagnostic]) -> None:
    got = sorted((d.line, d.code) for d in diags)
    want = sorted(prog.want.items())
    if got != want:
        notes: dict[int, list[str]] = collections.defaultdict(list)
        for d in diags:
            notes[d.line].append(f"{d.code}: {d.message}")
        lines = prog.text.split("\n")
        shown = [f"{i:5} {'W' if i in prog.want else ' '} {lines[i - 1]}"
                 + (f"    <-- {'; '.join(notes[i])}" if i in notes else "")
                 for i in range(FLOW_PRELUDE.count("\n") + 1, len(lines) + 1)]
        raise AssertionError("\n" + "\n".join(shown) + f"\nwanted {want}\ngot {got}")


@_FEW
@given(definite_programs())
def test_definite_assignment_exactly_where_unassigned(prog: FlowProgram) -> None:
    """A read of ``var p *T0`` is nil-init exactly where some path reaches it without an
    assignment (branch shapes, loops, early exits, closures that assign, fill(&p))."""
    _assert_wanted(prog, _check(prog.text))


@_FEW
@given(forgetting_programs())
def test_forgotten_facts_exactly_where_nil_can_reach(prog: FlowProgram) -> None:
    """A narrowed p is nullable again exactly after something that may make it nil: its
    address passed on or written through, a function literal that assigns it."""
    _assert_wanted(prog, _check(prog.text))


# --- the generator writes valid Go --------------------------------------------------


def test_generator_output_is_valid_go() -> None:
    """``go vet`` accepts the generated programs (and their fixed versions) with ``?``
    and ``!`` erased: the programs are well-typed, every variable and label used."""
    go = shutil.which("go")
    if go is None:
        pytest.skip("go is not on PATH")
    samples: list[str] = []

    @settings(max_examples=40, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(programs(contexts=(*CONTEXTS, CLOSURE_OPASSIGN)))
    def collect(prog: Program) -> None:
        samples.append(render(prog).erased)
        fixed = Program(prog.world, tuple(tuple(replace(s, fix=True) for s in segs) for segs in prog.funcs))
        samples.append(render(fixed).erased)

    collect()
    every = _every_segment(_WORLD, (*CONTEXTS, CLOSURE_OPASSIGN), every_stmt=True)
    samples.append(render(_one_per_function(every)).erased)
    samples.append(render(_one_per_function(every, fix=True)).erased)

    @settings(max_examples=30, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(definite_programs(), forgetting_programs())
    def collect_flow(a: FlowProgram, b: FlowProgram) -> None:
        samples.extend(Rendered(p.text, frozenset(), frozenset()).erased for p in (a, b))

    collect_flow()
    _go_vet(go, samples)


def _go_vet(go: str, samples: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "go.mod").write_text("module gen\n\ngo 1.22\n")
        for i, src in enumerate(samples):
            (root / f"p{i}").mkdir()
            (root / f"p{i}" / "x.go").write_text(src)
        env = {**os.environ, "GOFLAGS": "-mod=mod", "GOWORK": "off", "GOTOOLCHAIN": "local"}
        proc = subprocess.run([go, "vet", "./..."], cwd=root, capture_output=True, text=True, env=env,
                              timeout=300)
        assert proc.returncode == 0, proc.stderr[:4000]


# --- regression tests: checker bugs these properties found --------------------------
# Each was found by the properties, pinned by a minimal program and by the
# generator's whole pattern, and fixed; the reasons say what was wrong.

_FUNCLIT_BUG = ("function literals on the right of x op= y and inside x++/x-- are never checked: "
                "FunctionChecker.assign returns early for op-assignments and the IncDecStmt case only "
                "calls update(); neither calls self.funclits()")

_OPASSIGN_CLOSURE = """\
package p

type T struct{ V int }

func get(i int) ?*T { return nil }

func f(n int) int {
	total := 0
	total += func() int {
		p := get(n)
		return p.V
	}()
	return total
}
"""

_INCDEC_CLOSURE = """\
package p

type T struct{ V int }

func get(i int) ?*T { return nil }

func f(n int, m map[int]int) {
	m[func() int {
		p := get(n)
		return p.V
	}()]++
}
"""


@pytest.mark.parametrize(("src", "line"), [(_OPASSIGN_CLOSURE, 11), (_INCDEC_CLOSURE, 10)],
                         ids=["op-assign", "inc-dec"])
def test_bug_function_literal_in_op_assign_or_inc_dec(src: str, line: int) -> None:
    assert [(d.line, d.code) for d in _check(src)] == [(line, "nil-deref")]


def test_bug_pattern_function_literal_in_op_assign() -> None:
    """Every allowed segment inside ``total += func() int { ... }()``."""
    segs = [s for s in _every_segment(_WORLD, (CLOSURE_OPASSIGN,))
            if s.context == CLOSURE_OPASSIGN and not closure_write_bug(s) and not closure_flow_typed_bug(s)]
    r = render(_one_per_function(segs))
    _assert_exact(r, _check(r.text))


_CLOSURE_WRITE_BUG = ("a store through a captured variable inside a function literal (p.f = v, p.f++, "
                      "p.f += v, *p = v) counts as an assignment of p itself in "
                      "FunctionChecker.assigned_after (it keeps ref[0], the root of the target path), so "
                      "the literal forgets p's fact: a false nil-deref when p was narrowed, and a missed "
                      "one when p is a (T, error) or comma-ok result that was not checked (it falls back "
                      "to the declared non-nil type)")

_CLOSURE_WRITE_NARROWED = """\
package p

type T struct{ V int }

func get(i int) ?*T { return nil }

func f(n int) {
	p := get(n)
	if p == nil {
		return
	}
	func() {
		p.V = n
	}()
}
"""

_CLOSURE_WRITE_UNCHECKED = """\
package p

type T struct{ V int }

type errT struct{}

func (errT) Error() string { return "e" }

func load(i int) (*T, error) { return nil, errT{} }

func f(n int) {
	p, err := load(n)
	if err != nil {
		n++
	}
	func() {
		p.V = n
	}()
}
"""


@pytest.mark.parametrize(("src", "lines"), [(_CLOSURE_WRITE_NARROWED, []), (_CLOSURE_WRITE_UNCHECKED, [17])],
                         ids=["narrowed-false-positive", "unchecked-missed"])
def test_bug_store_through_captured_variable(src: str, lines: list[int]) -> None:
    assert [d.line for d in _check(src)] == lines


def test_bug_pattern_store_through_captured_variable() -> None:
    segs = [s for s in _every_segment(_WORLD, every_stmt=True) if closure_write_bug(s)
            and not closure_flow_typed_bug(s)]
    assert segs and all(is_write(s) for s in segs)
    r = render(_one_per_function(segs))
    _assert_exact(r, _check(r.text))


_CLOSURE_FLOW_TYPED_BUG = ("a captured (T, error) or comma-ok result reassigned after the capture is taken "
                           "as its declared non-nil type inside the function literal (the forgotten fact "
                           "falls back to the declaration, not to maybe-nil), so a dereference there is "
                           "missed")

_CLOSURE_REASSIGNED_ERR = """\
package p

type T struct{ V int }

type errT struct{}

func (errT) Error() string { return "e" }

func load(i int) (*T, error) { return nil, errT{} }

func f(n int) int {
	p, err := load(n)
	if err != nil {
		return 0
	}
	g := func() int { return p.V }
	p, err = load(n + 1)
	n = g()
	if err != nil {
		return 0
	}
	return n
}
"""


def test_bug_captured_error_result_reassigned() -> None:
    assert [(d.line, d.code) for d in _check(_CLOSURE_REASSIGNED_ERR)] == [(16, "nil-deref")]


def test_bug_pattern_captured_error_result_reassigned() -> None:
    segs = [s for s in _every_segment(_WORLD, every_stmt=True) if closure_flow_typed_bug(s)
            and not closure_write_bug(s)]
    assert segs
    r = render(_one_per_function(segs))
    _assert_exact(r, _check(r.text))


_COPY_UNCHECKED_BUG = ("q := p, with p the unchecked result of a (T, error) call, reports nil-assign "
                       "'q may be nil where q is non-nil *T': q has no declared type, so it should take "
                       "p's flow-sensitive nullability (as q := v does for a comma-ok v)")

_COPY_UNCHECKED = """\
package p

type T struct{ V int }

type errT struct{}

func (errT) Error() string { return "e" }

func load(i int) (*T, error) { return nil, errT{} }

func f(n int) int {
	p, err := load(n)
	q := p
	if err != nil {
		return 0
	}
	if q == nil {
		return 0
	}
	return q.V
}
"""


def test_bug_copy_of_unchecked_error_result() -> None:
    assert [(d.line, d.code) for d in _check(_COPY_UNCHECKED)] == []


def test_bug_pattern_copy_of_unchecked_error_result() -> None:
    segs = [s for s in _every_segment(_WORLD, every_stmt=True) if copy_unchecked_bug(s)]
    assert segs
    r = render(_one_per_function(segs))
    _assert_exact(r, _check(r.text))
