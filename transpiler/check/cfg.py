"""Control-flow graphs of function bodies: basic blocks, condition edges, reachability, Graphviz dumps.

``build(body, noreturn)`` turns one function body (or function literal body)
into a ``CFG`` for the checker's flow-sensitive narrowing.  Facts flow along
``Edge``s; an edge out of a condition carries the condition and which way it
went, an edge that selects a ``switch``/``select`` clause carries the clause.

What a block's ``nodes`` are, in execution order:

* simple statements: ``ExprStmt``, ``AssignStmt``, ``IncDecStmt``,
  ``SendStmt``, ``DeclStmt``, ``GoStmt``, ``DeferStmt``, ``ReturnStmt``
  (branch, empty, block and labeled statements are structure, not nodes);
* ``if``: its init statement, then its ``cond`` expression (the last node of
  the block whose two out-edges carry ``cond``); all the branches of an
  ``else if`` chain meet in one block;
* ``for``: init (before the loop), ``cond`` (alone in the loop head), ``post``
  (alone in its own block, which continues to the head);
* ``range``: the ranged expression ``x`` (before the loop), then the
  ``RangeStmt`` itself as a marker meaning "assign key/value for one
  iteration".  The marker is the first node of the body's first block, not of
  the loop head: the head (no nodes) is where "another element?" is decided,
  so facts about key/value reach the code after the loop only through the
  iterations that assigned them;
* ``switch``: init, tag, then the case expressions in a chain of test
  blocks; ``default`` is taken last wherever it stands, as in Go;
* type ``switch``: init, then the ``assign`` statement (``x := y.(type)`` or
  ``y.(type)``, an ``AssignStmt``/``ExprStmt`` the checker must treat
  specially); the case *types* are not nodes (``*T`` would read as a
  dereference), the clause is on the edge;
* ``select``: each clause's comm statement is the first node of that clause's
  body block (only the chosen clause's send/receive happens).

Switches.  A tagless switch is a chain of conditions, one test block per case
*expression*: ``case a, b:`` is ``a`` true → body, else ``b`` true → body,
else next; so a clause with several expressions is entered by several edges,
each with its own ``cond`` (no disjunction is built).  A switch with a tag is a
chain of one test block per clause holding that clause's expressions; its
edges have no ``cond``.  A type switch has one dispatch block with an edge to
every clause.  Edges that *select* a clause (it matched, or ``default`` was
taken, or ``select`` chose it) have ``case`` = the clause and ``switch`` = the
statement; a ``fallthrough`` edge selects nothing (``case`` is None).  When a
switch has no ``default``, the edge for "no clause matched" (to the statement
after it) has ``switch`` set and ``case`` None: with the clause list the
checker can derive ``x != nil`` after ``switch x { case nil: return }``.

Other edges: an ``if``/``for`` condition's two edges carry ``cond`` with
``value`` True/False; a statement with a ``TryExpr`` (``f()?`` as the
statement, or a right-hand side of ``=``, ``:=`` or ``var``) ends its block
with an edge to the next block and an edge to ``exit`` of kind ``"try"`` (the
propagated-error return).  ``return`` goes to ``exit``.  A block that ends in
``panic(...)``, a call ``noreturn`` accepts, ``select {}``, or a branch to a
label that does not exist, has no successors at all.  ``&&``/``||`` are not
split: the checker decomposes conditions itself.  Function literals are not
entered; each gets its own CFG when needed.

Unreachable code (after ``return``, ``panic``, ``break``…) still gets blocks,
without predecessors, so the checker can visit it.  Blocks are made when code
needs them, so dead code with no statements makes none (a label or loop head
in dead code still gets its block).  Blocks are numbered in creation order, which follows the
source: ``entry`` is block 0, ``exit`` is the last block.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from transpiler.syntax import ast, kinds

Clause = ast.CaseClause | ast.CommClause
SwitchLike = ast.SwitchStmt | ast.TypeSwitchStmt | ast.SelectStmt


class Block:
    """A basic block: ``nodes`` run in order, then control leaves along one of ``succs``."""

    __slots__ = ("index", "kind", "nodes", "preds", "succs")

    def __init__(self, index: int, kind: str) -> None:
        self.index = index
        self.kind = kind  # what made it, for dumps: "entry", "if.then", "for.head", ...
        self.nodes: list[ast.Node] = []
        self.succs: list[Edge] = []
        self.preds: list[Edge] = []

    def __repr__(self) -> str:
        succ = ", ".join(str(e.dst.index) for e in self.succs)
        return f"Block({self.index} {self.kind}, {len(self.nodes)} nodes, succs=[{succ}])"


class Edge:
    """A control transfer from ``src`` to ``dst`` and what is known along it.

    * ``cond``/``value``: the boolean condition tested and its outcome (``if``,
      ``for``, each case expression of a tagless ``switch``); ``cond`` None and
      ``value`` True otherwise.
    * ``case``/``switch``: the clause this edge selects and its statement
      (``SwitchStmt``, ``TypeSwitchStmt`` or ``SelectStmt``); ``switch`` set
      with ``case`` None means no clause matched and there is no default.
    * ``kind``: ``""``, or ``"try"`` for the error-return edge of a ``TryExpr``.
    """

    __slots__ = ("case", "cond", "dst", "kind", "src", "switch", "value")

    def __init__(
        self,
        src: Block,
        dst: Block,
        cond: ast.Expr | None = None,
        value: bool = True,
        case: Clause | None = None,
        switch: SwitchLike | None = None,
        kind: str = "",
    ) -> None:
        self.src = src
        self.dst = dst
        self.cond = cond
        self.value = value
        self.case = case
        self.switch = switch
        self.kind = kind

    def __repr__(self) -> str:
        extra = ""
        if self.cond is not None:
            extra += f" cond@{self.cond.pos}={self.value}"
        if self.switch is not None:
            extra += " nomatch" if self.case is None else f" case@{self.case.pos}"
        if self.kind:
            extra += f" {self.kind}"
        return f"Edge({self.src.index}->{self.dst.index}{extra})"


class CFG:
    """The graph of one body: ``entry`` (no predecessors), ``exit`` (normal return), all ``blocks``."""

    __slots__ = ("blocks", "entry", "exit")

    def __init__(self, entry: Block, exit: Block, blocks: list[Block]) -> None:
        self.entry = entry
        self.exit = exit
        self.blocks = blocks  # blocks[i].index == i

    def dispose(self) -> None:
        """Unlink the blocks (each edge is in its source's ``succs`` and its destination's
        ``preds``: a cycle), so that reference counting frees the graph once it is dropped,
        not the cyclic garbage collector (a check makes tens of thousands of blocks and edges:
        the collections that freed them took a tenth of a check of net/http). The graph is
        not used after."""
        for b in self.blocks:
            b.succs = []
            b.preds = []


class _Pending(NamedTuple):
    """An edge whose destination does not exist yet (a break, the false edge of a condition, ...)."""

    src: Block
    cond: ast.Expr | None = None
    value: bool = True
    case: Clause | None = None
    switch: SwitchLike | None = None


class _Target:
    """An enclosing for/range/switch/type switch/select: where break and continue go."""

    __slots__ = ("breaks", "continues", "label")

    def __init__(self, label: str | None, loop: bool) -> None:
        self.label = label
        self.breaks: list[_Pending] = []
        self.continues: list[_Pending] | None = [] if loop else None


def _never(call: ast.CallExpr) -> bool:
    return False


def _unparen(x: ast.Expr) -> ast.Expr:
    while type(x) is kinds.ParenExpr:
        x = x.x
    return x


def build(body: ast.BlockStmt, noreturn: Callable[[ast.CallExpr], bool] = _never) -> CFG:
    """The CFG of a function body; ``noreturn(call)`` says a call statement never returns (``os.Exit``)."""
    return _Builder(noreturn).build(body)


class _Builder:
    def __init__(self, noreturn: Callable[[ast.CallExpr], bool]) -> None:
        self.noreturn = noreturn
        self.blocks: list[Block] = []
        self.exit = Block(-1, "exit")
        self.cur: Block | None = None
        self.targets: list[_Target] = []
        self.labels: dict[str, Block] = {}
        self.gotos: dict[str, list[_Pending]] = {}

    # ------------------------------------------------------------ plumbing --

    def new_block(self, kind: str) -> Block:
        b = Block(len(self.blocks), kind)
        self.blocks.append(b)
        return b

    def link(self, src: Block, dst: Block, p: _Pending | None = None, kind: str = "") -> None:
        if p is None:
            e = Edge(src, dst, kind=kind)
        else:
            e = Edge(src, dst, p.cond, p.value, p.case, p.switch, kind)
        src.succs.append(e)
        dst.preds.append(e)

    def land(self, pending: Iterable[_Pending], kind: str) -> Block | None:
        """A new block that the pending edges go to, or None when there are none (unreachable)."""
        pending = list(pending)
        if not pending:
            return None
        b = self.new_block(kind)
        for p in pending:
            self.link(p.src, b, p)
        return b

    def leave(self) -> list[_Pending]:
        """The fall-through edge out of the current block, if control can reach here; then no block."""
        out = [] if self.cur is None else [_Pending(self.cur)]
        self.cur = None
        return out

    def current(self) -> Block | None:
        """The current block (None: unreachable here), read past what mypy narrowed ``self.cur``
        to before a call that may have changed it (compiled code trusts the narrowing)."""
        return self.cur

    def here(self) -> Block:
        """The current block, made (without predecessors) if the code here is unreachable."""
        if self.cur is None:
            self.cur = self.new_block("unreachable")
        return self.cur

    def add(self, node: ast.Node) -> Block:
        b = self.here()
        b.nodes.append(node)
        return b

    def goto(self, dst: Block) -> None:
        """Jump from the current block (if reachable) to ``dst``, which starts the code that follows."""
        if self.cur is not None:
            self.link(self.cur, dst)
        self.cur = dst

    # -------------------------------------------------------------- build --

    def build(self, body: ast.BlockStmt) -> CFG:
        entry = self.cur = self.new_block("entry")
        self.stmts(body.list)
        cur = self.current()
        if cur is not None:
            self.link(cur, self.exit)
        self.exit.index = len(self.blocks)
        self.blocks.append(self.exit)
        return CFG(entry, self.exit, self.blocks)

    def stmts(self, stmts: list[ast.Stmt]) -> None:
        for s in stmts:
            self.stmt(s)

    def stmt(self, s: ast.Stmt, label: str | None = None) -> None:
        if type(s) is kinds.ExprStmt:
            self.simple(s)
            x = _unparen(s.x)
            if type(x) is kinds.CallExpr and self.stops(x):
                self.cur = None
        elif type(s) in (kinds.AssignStmt, kinds.IncDecStmt, kinds.SendStmt, kinds.DeclStmt):
            self.simple(s)
        elif type(s) is kinds.GoStmt or type(s) is kinds.DeferStmt:
            self.add(s)
        elif type(s) is kinds.ReturnStmt:
            self.link(self.add(s), self.exit)
            self.cur = None
        elif type(s) is kinds.BlockStmt:
            self.stmts(s.list)
        elif type(s) is kinds.IfStmt:
            self.if_(s)
        elif type(s) is kinds.ForStmt:
            self.for_(s, label)
        elif type(s) is kinds.RangeStmt:
            self.range_(s, label)
        elif type(s) is kinds.SwitchStmt:
            self.switch(s, label)
        elif type(s) is kinds.TypeSwitchStmt:
            self.type_switch(s, label)
        elif type(s) is kinds.SelectStmt:
            self.select(s, label)
        elif type(s) is kinds.LabeledStmt:
            self.labeled(s)
        elif type(s) is kinds.BranchStmt:
            self.branch(s)
        # EmptyStmt, BadStmt and clauses out of place: nothing runs

    def stops(self, call: ast.CallExpr) -> bool:
        fun = _unparen(call.fun)
        return (type(fun) is kinds.Ident and fun.name == "panic") or self.noreturn(call)

    def simple(self, s: ast.Stmt) -> None:
        """A simple statement; one that propagates an error (``f()?``) may also return."""
        b = self.add(s)
        if _has_try(s):
            nxt = self.new_block("try.ok")
            self.link(b, nxt)
            self.link(b, self.exit, kind="try")
            self.cur = nxt

    # ---------------------------------------------------------------- if --

    def if_(self, s: ast.IfStmt) -> None:
        # An else-if chain is walked in a loop (no recursion), and all its branches meet in one block.
        out: list[_Pending] = []
        while True:
            if s.init is not None:
                self.stmt(s.init)
            test = self.add(s.cond)
            self.cur = self.new_block("if.then")
            self.link(test, self.cur, _Pending(test, s.cond, True))
            self.stmts(s.body.list)
            out += self.leave()
            if s.else_ is None:
                out.append(_Pending(test, s.cond, False))
                break
            self.cur = self.new_block("if.else")
            self.link(test, self.cur, _Pending(test, s.cond, False))
            if type(s.else_) is not kinds.IfStmt:
                self.stmt(s.else_)
                out += self.leave()
                break
            s = s.else_
        self.cur = self.land(out, "if.done")

    # ------------------------------------------------------------- loops --

    def for_(self, s: ast.ForStmt, label: str | None) -> None:
        if s.init is not None:
            self.stmt(s.init)
        head = self.new_block("for.head")
        self.goto(head)
        t = _Target(label, loop=True)
        body = self.new_block("for.body")
        if s.cond is None:
            self.link(head, body)
        else:
            head.nodes.append(s.cond)
            self.link(head, body, _Pending(head, s.cond, True))
            t.breaks.append(_Pending(head, s.cond, False))
        self.loop_body(s.body, body, t)
        assert t.continues is not None
        if s.post is not None:
            # The post statement always gets a block, even when no iteration can reach it.
            self.cur = self.new_block("for.post")
            for p in t.continues:
                self.link(p.src, self.cur, p)
            self.stmt(s.post)
            cur = self.current()
            if cur is not None:
                self.link(cur, head)
        else:
            for p in t.continues:
                self.link(p.src, head, p)
        self.cur = self.land(t.breaks, "for.done")

    def range_(self, s: ast.RangeStmt, label: str | None) -> None:
        self.add(s.x)
        head = self.new_block("range.head")
        self.goto(head)
        t = _Target(label, loop=True)
        t.breaks.append(_Pending(head))
        body = self.new_block("range.body")
        self.link(head, body)
        body.nodes.append(s)
        self.loop_body(s.body, body, t)
        assert t.continues is not None
        for p in t.continues:
            self.link(p.src, head, p)
        self.cur = self.land(t.breaks, "range.done")

    def loop_body(self, body: ast.BlockStmt, first: Block, t: _Target) -> None:
        self.cur = first
        self.targets.append(t)
        self.stmts(body.list)
        self.targets.pop()
        assert t.continues is not None
        t.continues += self.leave()

    # ---------------------------------------------------------- switches --

    def switch(self, s: ast.SwitchStmt, label: str | None) -> None:
        if s.init is not None:
            self.stmt(s.init)
        if s.tag is not None:
            self.add(s.tag)
        test = self.here()
        clauses = [c for c in s.body.list if type(c) is kinds.CaseClause]
        default = next((k for k, c in enumerate(clauses) if c.list is None), None)
        t = _Target(label, loop=False)
        # The chain's edges, in order; an int destination is a clause body, made once the chain is
        # (so that blocks are numbered in source order).
        links: list[tuple[int | Block, _Pending]] = []
        last: ast.Expr | None = None  # tagless: the condition tested last
        for k, c in enumerate(clauses):
            if c.list is None:
                continue
            if s.tag is not None:
                if links:
                    nxt = self.new_block("switch.test")
                    links.append((nxt, _Pending(test)))
                    test = nxt
                test.nodes.extend(c.list)
                links.append((k, _Pending(test, case=c, switch=s)))
                continue
            for e in c.list:
                if last is not None:
                    nxt = self.new_block("switch.test")
                    links.append((nxt, _Pending(test, last, False)))
                    test = nxt
                test.nodes.append(e)
                links.append((k, _Pending(test, e, True, c, s)))
                last = e
        value = last is None
        if default is not None:
            links.append((default, _Pending(test, last, value, clauses[default], s)))
        else:
            t.breaks.append(_Pending(test, last, value, None, s))
        bodies = [self.new_block("switch.default" if c.list is None else "switch.case") for c in clauses]
        for dst, p in links:
            self.link(p.src, bodies[dst] if isinstance(dst, int) else dst, p)
        self.clauses(clauses, bodies, t, "switch")

    def type_switch(self, s: ast.TypeSwitchStmt, label: str | None) -> None:
        if s.init is not None:
            self.stmt(s.init)
        test = self.add(s.assign)
        clauses = [c for c in s.body.list if type(c) is kinds.CaseClause]
        t = _Target(label, loop=False)
        bodies = [
            self.new_block("typeswitch.default" if c.list is None else "typeswitch.case") for c in clauses
        ]
        for c, b in zip(clauses, bodies, strict=True):
            self.link(test, b, _Pending(test, case=c, switch=s))
        if all(c.list is not None for c in clauses):
            t.breaks.append(_Pending(test, switch=s))
        self.clauses(clauses, bodies, t, "typeswitch")

    def select(self, s: ast.SelectStmt, label: str | None) -> None:
        test = self.here()
        clauses = [c for c in s.body.list if type(c) is kinds.CommClause]
        t = _Target(label, loop=False)
        bodies = [self.new_block("select.default" if c.comm is None else "select.case") for c in clauses]
        for c, b in zip(clauses, bodies, strict=True):
            self.link(test, b, _Pending(test, case=c, switch=s))
            if c.comm is not None:
                b.nodes.append(c.comm)
        # select {} blocks forever: the dispatch block has no successors.
        self.clauses(clauses, bodies, t, "select")

    def clauses(self, clauses: Sequence[Clause], bodies: list[Block], t: _Target, name: str) -> None:
        """Build the clause bodies; ``fallthrough`` (in an expression switch) goes to the next body."""
        self.cur = None
        self.targets.append(t)
        for k, c in enumerate(clauses):
            self.cur = bodies[k]
            for st in c.body:
                if type(st) is kinds.BranchStmt and st.tok == "fallthrough":
                    cur = self.current()
                    if cur is not None and name == "switch" and k + 1 < len(bodies):
                        self.link(cur, bodies[k + 1])
                    self.cur = None
                else:
                    self.stmt(st)
            t.breaks += self.leave()
        self.targets.pop()
        self.cur = self.land(t.breaks, f"{name}.done")

    # ------------------------------------------------- labels and branches --

    def labeled(self, s: ast.LabeledStmt) -> None:
        name = s.label.name
        b = self.new_block(f"label {name}")
        self.goto(b)
        for p in self.gotos.pop(name, []):
            self.link(p.src, b, p)
        self.labels[name] = b
        self.stmt(s.stmt, label=name)

    def branch(self, s: ast.BranchStmt) -> None:
        src = self.cur
        self.cur = None
        if src is None:
            return
        name = s.label.name if s.label is not None else None
        if s.tok == "goto":
            if name is None:
                return
            if name in self.labels:
                self.link(src, self.labels[name])
            else:
                self.gotos.setdefault(name, []).append(_Pending(src))
            return
        if s.tok not in ("break", "continue"):
            return  # fallthrough outside a switch clause's last statement: not Go
        for t in reversed(self.targets):
            if name is not None and t.label != name:
                continue
            if s.tok == "break":
                t.breaks.append(_Pending(src))
                return
            if t.continues is not None:
                t.continues.append(_Pending(src))
                return
            if name is not None:
                return  # continue to a label that is not a loop: not Go
        # no such target: not Go; the block ends here


def _has_try(s: ast.Stmt) -> bool:
    """``f()?`` as the statement, or as a right-hand side of ``=``, ``:=`` or ``var``."""
    if type(s) is kinds.ExprStmt:
        return type(s.x) is kinds.TryExpr
    if type(s) is kinds.AssignStmt:
        return any(type(x) is kinds.TryExpr for x in s.rhs)
    if type(s) is kinds.DeclStmt:
        return any(
            type(x) is kinds.TryExpr
            for spec in s.decl.specs
            if type(spec) is kinds.ValueSpec
            for x in spec.values
        )
    return False


# ------------------------------------------------------------------ helpers --


def reachable(cfg: CFG) -> set[int]:
    """Indices of the blocks reachable from ``entry``."""
    seen = {cfg.entry.index}
    stack = [cfg.entry]
    while stack:
        b = stack.pop()
        for e in b.succs:
            if e.dst.index not in seen:
                seen.add(e.dst.index)
                stack.append(e.dst)
    return seen


def node_text(node: ast.Node, source_text: str) -> str:
    """A node's source text; a ``RangeStmt`` marker reads as its header (``range k, v := x``)."""
    if type(node) is kinds.RangeStmt:
        head = source_text[node.pos : node.body.pos].strip()
        return head.removeprefix("for").strip()
    return source_text[node.pos : node.end]


def edge_label(e: Edge, source_text: str) -> str:
    """A short description: ``c`` / ``!(c)`` for a condition, ``case x, y`` / ``default`` / ``no case``, ``try``."""
    parts: list[str] = []
    if e.cond is not None:
        text = source_text[e.cond.pos : e.cond.end]
        parts.append(text if e.value else f"!({text})")
    if e.switch is not None:
        if e.case is None:
            parts.append("no case")
        elif isinstance(e.case, kinds.CaseClause):
            if e.case.list is None:
                parts.append("default")
            else:
                parts.append("case " + ", ".join(source_text[x.pos : x.end] for x in e.case.list))
        elif e.case.comm is None:
            parts.append("default")
        else:
            parts.append("case " + source_text[e.case.comm.pos : e.case.comm.end])
    if e.kind:
        parts.append(e.kind)
    return " ".join(parts)


def to_dot(cfg: CFG, source_text: str) -> str:
    """The graph in Graphviz form, each block listing its nodes' source text (for debugging)."""

    def q(s: str) -> str:
        s = " ".join(s.split())
        if len(s) > 60:
            s = s[:57] + "..."
        return s.replace("\\", "\\\\").replace('"', '\\"')

    live = reachable(cfg)
    out = ["digraph cfg {", '  node [shape=box fontname="monospace"];']
    for b in cfg.blocks:
        lines = [f"{b.index}: {b.kind}"] + [q(node_text(n, source_text)) for n in b.nodes]
        label = "".join(line + "\\l" for line in lines)
        style = "" if b.index in live else " style=dashed"
        out.append(f'  b{b.index} [label="{label}"{style}];')
    for b in cfg.blocks:
        for e in b.succs:
            label = edge_label(e, source_text)
            attr = f' [label="{q(label)}"]' if label else ""
            out.append(f"  b{b.index} -> b{e.dst.index}{attr};")
    out.append("}")
    return "\n".join(out) + "\n"
