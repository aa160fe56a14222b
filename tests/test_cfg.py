"""Control-flow graphs and the dataflow solver (transpiler/check/cfg.py, dataflow.py).

Each structural test builds the CFG of a small function and compares a text
picture of it: one line per block, ``index kind: nodes -> successors``, where
an edge reads ``3 (cond)`` / ``3 (!(cond))`` for a condition, ``case …`` /
``default`` / ``no case`` for a clause choice, ``try`` for the error return.
The dataflow tests run a small "may be nil" analysis to a fixpoint.  The
GOROOT test builds every function body and literal of ~200 standard-library
files and checks the graph's invariants.
"""

from __future__ import annotations

import os
import random
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tgorun import goroot_src

from transpiler.check import cfg as C
from transpiler.check.dataflow import DataflowError, reverse_postorder, solve
from transpiler.syntax import ast, parse_source
from transpiler.syntax.ast import walk

# ----------------------------------------------------------------- helpers --


def _never(call: ast.CallExpr) -> bool:
    return False


def _exits(call: ast.CallExpr) -> bool:
    """The noreturn callback of the tests: ``os.Exit(...)`` and ``log.Fatal*(...)``."""
    f = call.fun
    if isinstance(f, ast.SelectorExpr) and isinstance(f.x, ast.Ident):
        return (f.x.name, f.sel.name) == ("os", "Exit") or (
            f.x.name == "log" and f.sel.name.startswith("Fatal")
        )
    return False


def parse_func(body: str) -> tuple[ast.FuncDecl, str]:
    src = "package p\n\nfunc f() {\n" + textwrap.dedent(body).strip("\n") + "\n}\n"
    r = parse_source(src.encode(), "x.tgo")
    assert [d.text() for d in r.diagnostics] == []
    assert r.tree is not None
    fn = r.tree.decls[0]
    assert isinstance(fn, ast.FuncDecl) and fn.body is not None
    return fn, src


def picture(g: C.CFG, src: str) -> str:
    lines = []
    for b in g.blocks:
        nodes = "; ".join(" ".join(C.node_text(n, src).split()) for n in b.nodes)
        succs = []
        for e in b.succs:
            label = C.edge_label(e, src)
            succs.append(f"{e.dst.index} ({label})" if label else str(e.dst.index))
        line = f"{b.index} {b.kind}:"
        if nodes:
            line += " " + nodes
        if succs:
            line += " -> " + ", ".join(succs)
        lines.append(line)
    return "\n".join(lines)


def build(
    body: str, noreturn: Callable[[ast.CallExpr], bool] = _exits, valid: bool = True
) -> tuple[C.CFG, str]:
    fn, src = parse_func(body)
    assert fn.body is not None
    g = C.build(fn.body, noreturn)
    check_invariants(g, fn.body, noreturn, valid)
    return g, src


def describe(body: str, noreturn: Callable[[ast.CallExpr], bool] = _exits, valid: bool = True) -> str:
    g, src = build(body, noreturn, valid)
    return picture(g, src)


def pic(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


# -------------------------------------------------------------- invariants --

SIMPLE = (
    ast.ExprStmt,
    ast.AssignStmt,
    ast.IncDecStmt,
    ast.SendStmt,
    ast.DeclStmt,
    ast.GoStmt,
    ast.DeferStmt,
    ast.ReturnStmt,
)


def expected_nodes(stmts: list[ast.Stmt]) -> Iterator[ast.Node]:
    """What the CFG must hold, found by an independent walk of the statements (not entering literals)."""
    for s in stmts:
        if isinstance(s, SIMPLE):
            yield s
        elif isinstance(s, ast.BlockStmt):
            yield from expected_nodes(s.list)
        elif isinstance(s, ast.LabeledStmt):
            yield from expected_nodes([s.stmt])
        elif isinstance(s, ast.IfStmt):
            yield from expected_nodes([s.init] if s.init else [])
            yield s.cond
            yield from expected_nodes(s.body.list)
            yield from expected_nodes([s.else_] if s.else_ else [])
        elif isinstance(s, ast.ForStmt):
            yield from expected_nodes([s.init] if s.init else [])
            if s.cond is not None:
                yield s.cond
            yield from expected_nodes([s.post] if s.post else [])
            yield from expected_nodes(s.body.list)
        elif isinstance(s, ast.RangeStmt):
            yield s.x
            yield s
            yield from expected_nodes(s.body.list)
        elif isinstance(s, ast.SwitchStmt | ast.TypeSwitchStmt):
            yield from expected_nodes([s.init] if s.init else [])
            if isinstance(s, ast.SwitchStmt):
                if s.tag is not None:
                    yield s.tag
            else:
                yield s.assign
            for c in s.body.list:
                assert isinstance(c, ast.CaseClause)
                if isinstance(s, ast.SwitchStmt):
                    yield from c.list or []
                yield from expected_nodes(c.body)
        elif isinstance(s, ast.SelectStmt):
            for c in s.body.list:
                assert isinstance(c, ast.CommClause)
                yield from expected_nodes([c.comm] if c.comm else [])
                yield from expected_nodes(c.body)


def _stops(n: ast.Node, noreturn: Callable[[ast.CallExpr], bool]) -> bool:
    if not isinstance(n, ast.ExprStmt) or not isinstance(n.x, ast.CallExpr):
        return False
    fun = n.x.fun
    while isinstance(fun, ast.ParenExpr):
        fun = fun.x
    return (isinstance(fun, ast.Ident) and fun.name == "panic") or noreturn(n.x)


def check_invariants(
    g: C.CFG, body: ast.BlockStmt, noreturn: Callable[[ast.CallExpr], bool], valid: bool = True
) -> None:
    """Edges are linked both ways, nodes are in source order, every node is placed exactly once, ...

    ``valid`` False allows what only code that is not Go can make (a branch to no label).
    """
    assert g.blocks[0] is g.entry and g.blocks[-1] is g.exit
    assert not g.entry.preds and not g.exit.succs
    for i, b in enumerate(g.blocks):
        assert b.index == i
        for e in b.succs:
            assert e.src is b and any(p is e for p in e.dst.preds)
            if e.cond is not None:
                # a condition edge leaves the block that evaluated the condition
                assert b.nodes and b.nodes[-1] is e.cond
            if e.case is not None:
                assert e.switch is not None and any(c is e.case for c in e.switch.body.list)
            if e.kind == "try":
                assert e.dst is g.exit and C._has_try(b.nodes[-1])  # type: ignore[arg-type]
        for e in b.preds:
            assert e.dst is b and any(s is e for s in e.src.succs)
        # nodes in source order, not overlapping (a range marker contains the body that follows it)
        for x, y in zip(b.nodes, b.nodes[1:], strict=False):
            assert x.pos <= y.pos, (b, x, y)
            assert x.end <= y.pos or isinstance(x, ast.RangeStmt), (b, x, y)
        for k, n in enumerate(b.nodes):
            if isinstance(n, ast.RangeStmt):
                assert k == 0 and len(b.preds) == 1 and b.preds[0].src.kind == "range.head"
        # a block other than exit ends the function without successors only by panicking or
        # not returning, or in a select {}
        if valid and not b.succs and b is not g.exit and not (b.nodes and _stops(b.nodes[-1], noreturn)):
            assert any(isinstance(s, ast.SelectStmt) and not s.body.list for s in walk(body))
    placed = [n for b in g.blocks for n in b.nodes]
    want = list(expected_nodes(body.list))
    assert len(placed) == len({id(n) for n in placed}), "a node is in two places"
    assert {id(n) for n in placed} == {id(n) for n in want}


# --------------------------------------------------------------------- if --


def test_if_else_chain_with_init() -> None:
    assert describe(
        """
        x := 1
        if y := g(); y > 0 && p != nil {
            use(p)
        } else if y < 0 {
            return
        } else {
            panic("no")
        }
        h(x)
        """
    ) == pic(
        """
        0 entry: x := 1; y := g(); y > 0 && p != nil -> 1 (y > 0 && p != nil), 2 (!(y > 0 && p != nil))
        1 if.then: use(p) -> 5
        2 if.else: y < 0 -> 3 (y < 0), 4 (!(y < 0))
        3 if.then: return -> 6
        4 if.else: panic("no")
        5 if.done: h(x) -> 6
        6 exit:
        """
    )


def test_if_without_else_joins_at_a_new_block() -> None:
    assert describe(
        """
        if p == nil {
            return
        }
        use(p)
        if c {
            a()
        }
        b()
        """
    ) == pic(
        """
        0 entry: p == nil -> 1 (p == nil), 2 (!(p == nil))
        1 if.then: return -> 5
        2 if.done: use(p); c -> 3 (c), 4 (!(c))
        3 if.then: a() -> 4
        4 if.done: b() -> 5
        5 exit:
        """
    )


def test_else_if_chain_meets_in_one_block() -> None:
    assert describe(
        """
        if a {
            x()
        } else if b {
            y()
        } else {
            z()
        }
        w()
        """
    ) == pic(
        """
        0 entry: a -> 1 (a), 2 (!(a))
        1 if.then: x() -> 5
        2 if.else: b -> 3 (b), 4 (!(b))
        3 if.then: y() -> 5
        4 if.else: z() -> 5
        5 if.done: w() -> 6
        6 exit:
        """
    )


def test_long_else_if_chain_does_not_recurse() -> None:
    # (an else-if chain is not a level of the parser's nesting limit: the graph builder must not recurse)
    fn, _ = parse_func(" else ".join(f"if x == {i} {{ f() }}" for i in range(3000)))
    assert fn.body is not None
    g = C.build(fn.body, _never)
    assert len(g.blocks) == 6002 and len(g.blocks[-2].preds) == 3001


# ------------------------------------------------------------------ loops --


def test_infinite_for_with_break_and_continue() -> None:
    assert describe(
        """
        for {
            if a() {
                break
            }
            if b() {
                continue
            }
            c()
        }
        d()
        """
    ) == pic(
        """
        0 entry: -> 1
        1 for.head: -> 2
        2 for.body: a() -> 3 (a()), 4 (!(a()))
        3 if.then: -> 7
        4 if.done: b() -> 5 (b()), 6 (!(b()))
        5 if.then: -> 1
        6 if.done: c() -> 1
        7 for.done: d() -> 8
        8 exit:
        """
    )


def test_three_clause_for_continue_goes_to_post() -> None:
    assert describe(
        """
        for i := 0; i < n; i++ {
            if a() {
                continue
            }
            b()
        }
        """
    ) == pic(
        """
        0 entry: i := 0 -> 1
        1 for.head: i < n -> 2 (i < n), 6 (!(i < n))
        2 for.body: a() -> 3 (a()), 4 (!(a()))
        3 if.then: -> 5
        4 if.done: b() -> 5
        5 for.post: i++ -> 1
        6 for.done: -> 7
        7 exit:
        """
    )


def test_for_forms_and_range() -> None:
    assert describe(
        """
        for x < 3 {
        }
        for i := 0; i < n; i++ {
            return
        }
        for range 10 {
            a()
        }
        for k, v := range m {
            use(k, v)
        }
        for x := range seq {
            if x {
                break
            }
        }
        """
    ) == pic(
        """
        0 entry: -> 1
        1 for.head: x < 3 -> 2 (x < 3), 3 (!(x < 3))
        2 for.body: -> 1
        3 for.done: i := 0 -> 4
        4 for.head: i < n -> 5 (i < n), 7 (!(i < n))
        5 for.body: return -> 19
        6 for.post: i++ -> 4
        7 for.done: 10 -> 8
        8 range.head: -> 9, 10
        9 range.body: range 10; a() -> 8
        10 range.done: m -> 11
        11 range.head: -> 12, 13
        12 range.body: k, v := range m; use(k, v) -> 11
        13 range.done: seq -> 14
        14 range.head: -> 15, 18
        15 range.body: x := range seq; x -> 16 (x), 17 (!(x))
        16 if.then: -> 18
        17 if.done: -> 14
        18 range.done: -> 19
        19 exit:
        """
    )


def test_range_marker_is_the_node_itself_and_x_is_before_the_loop() -> None:
    g, _ = build(
        """
        for k, v := range m {
            use(k, v)
        }
        """
    )
    rng = g.blocks[2].nodes[0]
    assert isinstance(rng, ast.RangeStmt)
    assert g.blocks[0].nodes == [rng.x]


def test_infinite_loop_without_break_never_reaches_exit() -> None:
    g, src = build(
        """
        for {
            work()
        }
        """
    )
    assert picture(g, src) == pic(
        """
        0 entry: -> 1
        1 for.head: -> 2
        2 for.body: work() -> 1
        3 exit:
        """
    )
    assert C.reachable(g) == {0, 1, 2}


def test_labeled_break_and_continue_out_of_select_in_loops() -> None:
    assert describe(
        """
        outer:
        for {
        L:
            for i := range n {
                select {
                case v := <-c:
                    if v {
                        break outer
                    }
                    continue L
                case c <- i:
                    break
                default:
                    continue outer
                }
            }
        }
        done()
        """
    ) == pic(
        """
        0 entry: -> 1
        1 label outer: -> 2
        2 for.head: -> 3
        3 for.body: -> 4
        4 label L: n -> 5
        5 range.head: -> 6, 13
        6 range.body: i := range n -> 7 (case v := <-c), 8 (case c <- i), 9 (default)
        7 select.case: v := <-c; v -> 10 (v), 11 (!(v))
        8 select.case: c <- i -> 12
        9 select.default: -> 2
        10 if.then: -> 14
        11 if.done: -> 5
        12 select.done: -> 5
        13 range.done: -> 2
        14 for.done: done() -> 15
        15 exit:
        """
    )


def test_break_in_switch_inside_loop_leaves_the_switch_only() -> None:
    assert describe(
        """
        for x {
            switch {
            case a:
                break
            case b:
                continue
            }
            c()
        }
        """
    ) == pic(
        """
        0 entry: -> 1
        1 for.head: x -> 2 (x), 7 (!(x))
        2 for.body: a -> 4 (a case a), 3 (!(a))
        3 switch.test: b -> 5 (b case b), 6 (!(b) no case)
        4 switch.case: -> 6
        5 switch.case: -> 1
        6 switch.done: c() -> 1
        7 for.done: -> 8
        8 exit:
        """
    )


# ------------------------------------------------------------- switches --


def test_switch_with_tag_default_in_the_middle_and_fallthrough() -> None:
    assert describe(
        """
        switch x := f(); x {
        case 1, 2:
            a()
            fallthrough
        default:
            b()
        case 3:
            if c {
                break
            }
            d()
        }
        e()
        """
    ) == pic(
        """
        0 entry: x := f(); x; 1; 2 -> 2 (case 1, 2), 1
        1 switch.test: 3 -> 4 (case 3), 3 (default)
        2 switch.case: a() -> 3
        3 switch.default: b() -> 7
        4 switch.case: c -> 5 (c), 6 (!(c))
        5 if.then: -> 7
        6 if.done: d() -> 7
        7 switch.done: e() -> 8
        8 exit:
        """
    )


def test_tagless_switch_one_condition_per_case_expression() -> None:
    assert describe(
        """
        switch {
        case p == nil, q == nil:
            return
        case p.x > 0:
            a()
        }
        use(p)
        """
    ) == pic(
        """
        0 entry: p == nil -> 3 (p == nil case p == nil, q == nil), 1 (!(p == nil))
        1 switch.test: q == nil -> 3 (q == nil case p == nil, q == nil), 2 (!(q == nil))
        2 switch.test: p.x > 0 -> 4 (p.x > 0 case p.x > 0), 5 (!(p.x > 0) no case)
        3 switch.case: return -> 6
        4 switch.case: a() -> 5
        5 switch.done: use(p) -> 6
        6 exit:
        """
    )


def test_tagless_switch_default_first_falls_through() -> None:
    assert describe(
        """
        switch {
        default:
            fallthrough
        case a:
        case b:
            x()
        }
        """
    ) == pic(
        """
        0 entry: a -> 3 (a case a), 1 (!(a))
        1 switch.test: b -> 4 (b case b), 2 (!(b) default)
        2 switch.default: -> 3
        3 switch.case: -> 5
        4 switch.case: x() -> 5
        5 switch.done: -> 6
        6 exit:
        """
    )


def test_switch_without_default_has_a_no_case_edge() -> None:
    g, src = build(
        """
        switch p {
        case nil:
            return
        }
        switch {
        }
        switch {
        default:
            z()
        }
        use(p)
        """
    )
    assert picture(g, src) == pic(
        """
        0 entry: p; nil -> 1 (case nil), 2 (no case)
        1 switch.case: return -> 6
        2 switch.done: -> 3 (no case)
        3 switch.done: -> 4 (default)
        4 switch.default: z() -> 5
        5 switch.done: use(p) -> 6
        6 exit:
        """
    )
    first = g.entry.succs
    assert [e.case for e in first] == [first[0].switch.body.list[0], None]  # type: ignore[union-attr]
    assert all(isinstance(e.switch, ast.SwitchStmt) and e.cond is None for e in first)


def test_type_switch() -> None:
    g, src = build(
        """
        switch v := x.(type) {
        case nil:
            return
        case *T, *U:
            use(v)
        default:
            panic(v)
        }
        switch x.(type) {
        case int:
        }
        after()
        """
    )
    assert picture(g, src) == pic(
        """
        0 entry: v := x.(type) -> 1 (case nil), 2 (case *T, *U), 3 (default)
        1 typeswitch.case: return -> 7
        2 typeswitch.case: use(v) -> 4
        3 typeswitch.default: panic(v)
        4 typeswitch.done: x.(type) -> 5 (case int), 6 (no case)
        5 typeswitch.case: -> 6
        6 typeswitch.done: after() -> 7
        7 exit:
        """
    )
    assert all(isinstance(e.switch, ast.TypeSwitchStmt) for e in g.entry.succs)


# ---------------------------------------------------------------- select --


def test_select_clauses_and_select_forever() -> None:
    assert describe(
        """
        select {
        case v, ok := <-c:
            use(v, ok)
        case c <- 1:
        case <-d:
            return
        }
        select {}
        after()
        """
    ) == pic(
        """
        0 entry: -> 1 (case v, ok := <-c), 2 (case c <- 1), 3 (case <-d)
        1 select.case: v, ok := <-c; use(v, ok) -> 4
        2 select.case: c <- 1 -> 4
        3 select.case: <-d; return -> 6
        4 select.done:
        5 unreachable: after() -> 6
        6 exit:
        """
    )


# ------------------------------------------------- goto, labels, return --


def test_goto_backward_and_forward() -> None:
    assert describe(
        """
        i := 0
        loop:
        if i < 10 {
            i++
            goto loop
        }
        goto end
        dead()
        end:
        return
        """
    ) == pic(
        """
        0 entry: i := 0 -> 1
        1 label loop: i < 10 -> 2 (i < 10), 3 (!(i < 10))
        2 if.then: i++ -> 1
        3 if.done: -> 5
        4 unreachable: dead() -> 5
        5 label end: return -> 6
        6 exit:
        """
    )


def test_goto_from_inside_a_loop_and_label_on_a_plain_statement() -> None:
    assert describe(
        """
        for {
            if x {
                goto out
            }
        }
        out:
        x = nil
        """
    ) == pic(
        """
        0 entry: -> 1
        1 for.head: -> 2
        2 for.body: x -> 3 (x), 4 (!(x))
        3 if.then: -> 5
        4 if.done: -> 1
        5 label out: x = nil -> 6
        6 exit:
        """
    )


def test_unreachable_code_gets_blocks_without_predecessors() -> None:
    g, src = build(
        """
        if c {
            os.Exit(1)
        }
        return
        dead()
        if d {
            e()
        }
        (panic)(1)
        unreachable()
        """
    )
    assert picture(g, src) == pic(
        """
        0 entry: c -> 1 (c), 2 (!(c))
        1 if.then: os.Exit(1)
        2 if.done: return -> 7
        3 unreachable: dead(); d -> 4 (d), 5 (!(d))
        4 if.then: e() -> 5
        5 if.done: (panic)(1)
        6 unreachable: unreachable() -> 7
        7 exit:
        """
    )
    assert C.reachable(g) == {0, 1, 2, 7}
    assert not g.blocks[3].preds and not g.blocks[6].preds


def test_noreturn_callback_decides() -> None:
    body = """
        if c {
            log.Fatalf("bad %v", c)
        }
        os.Exit(2)
        """
    assert describe(body) == pic(
        """
        0 entry: c -> 1 (c), 2 (!(c))
        1 if.then: log.Fatalf("bad %v", c)
        2 if.done: os.Exit(2)
        3 exit:
        """
    )
    assert describe(body, _never) == pic(
        """
        0 entry: c -> 1 (c), 2 (!(c))
        1 if.then: log.Fatalf("bad %v", c) -> 2
        2 if.done: os.Exit(2) -> 3
        3 exit:
        """
    )


def test_bad_branches_end_the_block() -> None:
    # Not Go (the type checker reports them); the CFG must not crash.
    assert describe(
        """
        goto nowhere
        for {
            break nolabel
        }
        continue
        x++
        """,
        valid=False,
    ) == pic(
        """
        0 entry:
        1 for.head: -> 2
        2 for.body:
        3 unreachable: x++ -> 4
        4 exit:
        """
    )


# ------------------------------------------------------------------ try --


def test_try_has_an_edge_to_exit() -> None:
    g, src = build(
        """
        x := f()?
        var y = g() ? "msg"
        h()?
        if c {
            k()?
        }
        use(x, y)
        """
    )
    assert picture(g, src) == pic(
        """
        0 entry: x := f()? -> 1, 7 (try)
        1 try.ok: var y = g() ? "msg" -> 2, 7 (try)
        2 try.ok: h()? -> 3, 7 (try)
        3 try.ok: c -> 4 (c), 6 (!(c))
        4 if.then: k()? -> 5, 7 (try)
        5 try.ok: -> 6
        6 if.done: use(x, y) -> 7
        7 exit:
        """
    )
    assert [e.kind for e in g.exit.preds] == ["try", "try", "try", "try", ""]


# -------------------------------------------------------- function literals --


def test_function_literals_are_not_entered() -> None:
    fn, src = parse_func(
        """
        f := func() {
            return
        }
        if f == nil {
            panic(1)
        }
        defer func() { recover() }()
        go func() { panic(2) }()
        f()
        """
    )
    assert fn.body is not None
    g = C.build(fn.body, _never)
    assert picture(g, src) == pic(
        """
        0 entry: f := func() { return }; f == nil -> 1 (f == nil), 2 (!(f == nil))
        1 if.then: panic(1)
        2 if.done: defer func() { recover() }(); go func() { panic(2) }(); f() -> 3
        3 exit:
        """
    )
    lits = [n for n in walk(fn.body) if isinstance(n, ast.FuncLit)]
    assert picture(C.build(lits[0].body, _never), src) == pic(
        """
        0 entry: return -> 1
        1 exit:
        """
    )
    assert picture(C.build(lits[2].body, _never), src) == pic(
        """
        0 entry: panic(2)
        1 exit:
        """
    )


def test_empty_body_and_to_dot() -> None:
    g, src = build("")
    assert picture(g, src) == "0 entry: -> 1\n1 exit:"
    g, src = build(
        """
        if p == nil {
            return
        }
        panic("a \\"quoted\\" string")
        dead()
        """
    )
    dot = C.to_dot(g, src)
    assert dot.startswith("digraph cfg {") and dot.endswith("}\n")
    assert 'b0 -> b1 [label="p == nil"];' in dot
    assert 'b0 -> b2 [label="!(p == nil)"];' in dot
    assert r"panic(\"a \\\"quoted\\\" string\")\l" in dot
    assert "style=dashed" in dot  # the unreachable block


# ------------------------------------------------------------- dataflow --

MayNil = frozenset[str]


def _ident(x: ast.Expr | None) -> str | None:
    while isinstance(x, ast.ParenExpr):
        x = x.x
    return x.name if isinstance(x, ast.Ident) else None


def _assign(state: MayNil, name: str | None, value: ast.Expr | None) -> MayNil:
    if name is None or name == "_":
        return state
    src = _ident(value)
    nil = value is None or src == "nil" or (src is not None and src in state)
    return state | {name} if nil else state - {name}


def may_nil_transfer(block: C.Block, state: MayNil) -> MayNil:
    for n in block.nodes:
        state = may_nil_step(n, state)
    return state


def may_nil_step(n: ast.Node, state: MayNil) -> MayNil:
    """Names that may hold nil: ``x = nil``, ``var x *T`` and copies of such names; anything else is not nil."""
    if isinstance(n, ast.AssignStmt) and len(n.lhs) == len(n.rhs):
        for lhs, rhs in zip(n.lhs, n.rhs, strict=True):
            state = _assign(state, _ident(lhs), rhs)
    elif isinstance(n, ast.DeclStmt):
        for spec in n.decl.specs:
            if isinstance(spec, ast.ValueSpec):
                for k, name in enumerate(spec.names):
                    state = _assign(state, name.name, spec.values[k] if spec.values else None)
    return state


def _nil_test(cond: ast.Expr) -> tuple[str, str] | None:
    while isinstance(cond, ast.ParenExpr):
        cond = cond.x
    if isinstance(cond, ast.BinaryExpr) and cond.op in ("==", "!=") and _ident(cond.y) == "nil":
        name = _ident(cond.x)
        if name is not None:
            return name, cond.op
    return None


def narrow(cond: ast.Expr, value: bool, state: MayNil) -> MayNil:
    while isinstance(cond, ast.ParenExpr):
        cond = cond.x
    if isinstance(cond, ast.BinaryExpr) and cond.op == "&&" and value:
        return narrow(cond.y, True, narrow(cond.x, True, state))
    if isinstance(cond, ast.BinaryExpr) and cond.op == "||" and not value:
        return narrow(cond.y, False, narrow(cond.x, False, state))
    test = _nil_test(cond)
    if test is not None and (test[1] == "!=") == value:
        return state - {test[0]}
    return state


def may_nil_edge(e: C.Edge, state: MayNil) -> MayNil:
    if e.cond is not None:
        state = narrow(e.cond, e.value, state)
    # switch x { case nil: ... }: where no clause matched, or default was taken, x is not nil
    s = e.switch
    if isinstance(s, ast.SwitchStmt) and (
        e.case is None or (isinstance(e.case, ast.CaseClause) and e.case.list is None)
    ):
        tag = _ident(s.tag)
        nil_case = any(
            isinstance(c, ast.CaseClause) and any(_ident(x) == "nil" for x in c.list or [])
            for c in s.body.list
        )
        if tag is not None and nil_case:
            state = state - {tag}
    return state


def may_nil_join(states: list[MayNil]) -> MayNil:
    return frozenset().union(*states)


def at_uses(body: str) -> tuple[list[str], dict[int, int]]:
    """The may-be-nil set at each ``use(...)`` call, in source order, and how often each block was visited."""
    g, src = build(body)
    visits: dict[int, int] = {}

    def counting(block: C.Block, state: MayNil) -> MayNil:
        visits[block.index] = visits.get(block.index, 0) + 1
        return may_nil_transfer(block, state)

    ins = solve(g, frozenset[str](), counting, may_nil_edge, may_nil_join)
    found: list[tuple[int, str]] = []
    for b in g.blocks:
        if b.index not in ins:
            continue
        state = ins[b.index]
        for n in b.nodes:
            if isinstance(n, ast.ExprStmt) and isinstance(n.x, ast.CallExpr) and _ident(n.x.fun) == "use":
                found.append((n.pos, f"{src[n.pos : n.end]}: {','.join(sorted(state)) or '-'}"))
            state = may_nil_step(n, state)
    return [text for _, text in sorted(found)], visits


def test_dataflow_straight_line_and_narrowing() -> None:
    uses, _ = at_uses(
        """
        var p *T
        q := new(T)
        use(p, q)
        if p == nil {
            use(p)
            return
        }
        use(p)
        r := p
        if r != nil && q != nil {
            use(r)
        } else {
            use(r)
        }
        """
    )
    assert uses == [
        "use(p, q): p",
        "use(p): p",
        "use(p): -",
        "use(r): -",
        "use(r): -",
    ]


def test_dataflow_loop_needs_several_passes() -> None:
    # p takes q's value, which is nil only after one iteration: the fixpoint needs three visits of the loop.
    uses, visits = at_uses(
        """
        p := new(T)
        q := new(T)
        for cond() {
            use(p, q)
            p = q
            q = nil
        }
        use(p, q)
        """
    )
    assert uses == ["use(p, q): p,q", "use(p, q): p,q"]
    assert visits[1] == 3  # the loop head: entry, after one iteration, after two
    assert visits[2] == 3  # the body's output changes twice


def test_dataflow_for_loop_and_zero_iterations() -> None:
    uses, _ = at_uses(
        """
        var p *T
        for i := 0; i < 10; i++ {
            use(p)
            p = new(T)
        }
        use(p)
        for p == nil {
            p = new(T)
        }
        use(p)
        """
    )
    assert uses == ["use(p): p", "use(p): p", "use(p): -"]


def test_dataflow_goto_backward_and_switch_cases() -> None:
    uses, _ = at_uses(
        """
        var p *T
        again:
        use(p)
        switch p {
        case nil:
            p = new(T)
            goto again
        }
        use(p)
        switch {
        case p == nil:
            return
        default:
            use(p)
        }
        """
    )
    assert uses == ["use(p): p", "use(p): -", "use(p): -"]


def test_dataflow_unreachable_blocks_have_no_state() -> None:
    g, _ = build(
        """
        return
        x = nil
        """
    )
    ins = solve(g, frozenset[str](), may_nil_transfer, may_nil_edge, may_nil_join)
    assert set(ins) == C.reachable(g) == {0, 2}
    assert [b.index for b in reverse_postorder(g)] == [0, 2]


def test_dataflow_bound_on_a_lattice_that_never_settles() -> None:
    g, _ = build(
        """
        for {
            x()
        }
        """
    )
    with pytest.raises(DataflowError, match="did not converge after 50 block visits"):
        solve(g, 0, lambda b, n: n + 1, lambda e, n: n, max, max_iterations=50)
    with pytest.raises(DataflowError):
        solve(g, 0, lambda b, n: n + 1, lambda e, n: n, max)


def test_dataflow_definite_assignment_joins_by_intersection() -> None:
    g, _ = build(
        """
        if c {
            a := 1
            b := 2
        } else {
            a := 3
        }
        use()
        """
    )

    def transfer(block: C.Block, state: frozenset[str]) -> frozenset[str]:
        for n in block.nodes:
            if isinstance(n, ast.AssignStmt):
                state = state | {name for x in n.lhs if (name := _ident(x)) is not None}
        return state

    ins = solve(g, frozenset[str](), transfer, lambda e, s: s, lambda ss: frozenset.intersection(*ss))
    assert ins[3] == {"a"}


# ------------------------------------------------------------------ GOROOT --

SAMPLE_SIZE = 200
SEED = 20_250_301
MAX_BYTES = 60_000
# goto, labels, select, type switches, fallthrough in quantity
CHOSEN = [
    "runtime/select.go",
    "runtime/sema.go",
    "runtime/chan.go",
    "runtime/softfloat64.go",
    "database/sql/convert.go",
    "syscall/exec_linux.go",
    "go/scanner/scanner.go",
    "strconv/atof.go",
    "text/template/parse/lex.go",
    "regexp/syntax/parse.go",
    "math/big/natconv.go",
    "fmt/scan.go",
    "encoding/json/scanner.go",
    "net/http/transport.go",
    "go/types/stmt.go",
]


def _sample(src: Path) -> list[str]:
    every: list[str] = []
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if d != "testdata")
        rel = os.path.relpath(dirpath, src)
        every.extend(os.path.normpath(os.path.join(rel, f)) for f in sorted(filenames) if f.endswith(".go"))
    present = set(every)
    chosen = [p for p in CHOSEN if p in present]
    rest = [p for p in every if p not in chosen and (src / p).stat().st_size <= MAX_BYTES]
    k = max(0, min(len(rest), SAMPLE_SIZE - len(chosen)))
    return chosen + sorted(random.Random(SEED).sample(rest, k))


def _assigned(block: C.Block, state: frozenset[str]) -> frozenset[str]:
    for n in block.nodes:
        if isinstance(n, ast.AssignStmt):
            state = state | {name for x in n.lhs if (name := _ident(x)) is not None}
    return state


@pytest.mark.slow
def test_goroot_bodies_build_with_sound_invariants() -> None:
    src = goroot_src()
    if src is None:
        pytest.skip("go is not installed")
    files = _sample(src)
    assert len(files) >= min(SAMPLE_SIZE, 100)
    bodies = 0
    kinds: set[str] = set()
    for rel in files:
        data = (src / rel).read_bytes()
        result = parse_source(data, rel)
        if result.tree is None:
            continue  # the parser's own tests cover GOROOT parsing
        text = result.source.text
        for node in walk(result.tree):
            body = node.body if isinstance(node, ast.FuncDecl | ast.FuncLit) else None
            if body is None:
                continue
            try:
                g = C.build(body, _exits)
                check_invariants(g, body, _exits)
                solve(g, frozenset[str](), _assigned, lambda e, s: s, may_nil_join)
                solve(g, frozenset[str](), may_nil_transfer, may_nil_edge, may_nil_join)
            except Exception as exc:  # pragma: no cover - the message names the function
                line = result.source.position(body.pos)[0]
                raise AssertionError(f"{rel}:{line}: {exc!r}") from exc
            bodies += 1
            kinds.update(b.kind for b in g.blocks)
            if bodies % 97 == 0:
                assert C.to_dot(g, text).startswith("digraph")
    assert bodies > 2000
    for kind in (
        "label",
        "select.case",
        "typeswitch.case",
        "switch.test",
        "range.body",
        "for.post",
        "unreachable",
    ):
        assert any(k.startswith(kind) for k in kinds), kind
