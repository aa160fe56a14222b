"""Parser: runs the LALR(1) table of grammar/tgo.lark over the scanner's tokens.

The driver is tgo's own loop over Lark's table (see table.py): it calls the
tree builder (build.py) on each reduction, tells the scanner's ``{`` apart
from the ``LBRACE_H`` that opens an if/for/switch body, and on a syntax error
reports one diagnostic (at most one per line, as go/parser), repairs the token
stream where a single missing or extra token explains the error (a missing
``)``, ``]``, ``}``, ``,``, ``;``, an expression, or the name after ``x.``)
and otherwise resynchronises at the next statement or declaration boundary
under a bad statement or declaration, so one typo gives one error and the
file still has a tree: ``ParseResult.partial``, with ``ast.BadExpr``,
``BadStmt`` and ``BadDecl`` where it did not parse (go/parser's bad nodes),
which the checker checks and the lowering never sees.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from transpiler.diagnostics import codes
from transpiler.gcpause import kept
from transpiler.syntax import ast
from transpiler.syntax.build import BAD_INSTEAD, CALLBACKS, BuildError, span
from transpiler.syntax.scanner import LexError, Tok, scan
from transpiler.syntax.source import SourceFile
from transpiler.syntax.table import EOF_KIND, Table, load_table

if TYPE_CHECKING:
    from transpiler.diagnostics.diagnostic import Diagnostic
    from transpiler.fs.base import FileSystem

# (a Diagnostic is imported where one is made: a file without errors makes none, and the
# module that defines it loads ``dataclasses``)

MAX_ERRORS = 10
# The deepest syntax tree a file may have (go/parser's limit is 100,000): every later
# phase (checker, lowering, printer, tgo fmt) must handle any tree the parser accepts.
MAX_DEPTH = 1000
# go/parser's limit, which gofmt enforces: there each link of a chain (below) is a level,
# so the longest chain it takes is about 100,000 links. A chain whose links and depth
# add up past it is refused as go/parser refuses it.
GO_MAX_DEPTH = 100_000
# The rules whose node continues a chain, as go/parser's loops: a binary expression whose
# left operand is one (``a + b + c``: the spine of a left-deep chain) and an ``if`` whose
# else branch is one (``else if``). Such a node is as deep as its deepest link, not one
# level deeper: every later phase walks these chains in a loop (``ast.binary_spine``,
# ``ast.else_chain``), however long.
_CHAIN_LEFT = 2  # (a value of ``_levels``)
_CHAIN_RIGHT = 3
_CHAIN_RULES = {"binary": _CHAIN_LEFT, "constraint_union": _CHAIN_LEFT,
                "if_plain": _CHAIN_RIGHT, "if_init": _CHAIN_RIGHT, "if_plain_semi": _CHAIN_RIGHT}

_table: Table | None = None
_rules: list[tuple[int, int, Callable[[list[Any]], Any] | None]] = []
# per rule: 1 when its node is a level of the tree (0 for the rules that build lists),
# _CHAIN_LEFT or _CHAIN_RIGHT for a rule whose node may continue a chain
_levels: list[int] = []
# per rule: the bad node it gives when its check fails (build.BAD_INSTEAD), or None
_bad_instead: list[type[ast.Node] | None] = []
# Precedence climbs collapsed: _climbs[s][lhs][kind] is the state the parser is in after
# the goto from state ``s`` on ``lhs`` followed, with lookahead ``kind``, by every
# reduction of a rule that passes its one child up unchanged (``expr -> or_expr -> ...
# -> primary``): the states those reductions go through are never seen, since the state
# below them is ``s`` all along. Filled as the parser meets each case (see _climb).
_climbs: list[dict[int, dict[str, int]]] = []


def _load() -> Table:
    global _table, _rules, _levels, _bad_instead, _climbs
    if _table is None:
        table = load_table()
        rules: list[tuple[int, int, Callable[[list[Any]], Any] | None]] = []
        levels: list[int] = []
        for lhs, length, name in table.rules:
            fn = CALLBACKS.get(name)
            if fn is None and length != 1:
                fn = _default_list
            rules.append((lhs, length, fn))
            if name in _CHAIN_RULES and length > 1:
                levels.append(_CHAIN_RULES[name])
            else:
                levels.append(0 if fn is None or fn is _default_list or name.startswith("list_") else 1)
        _rules = rules
        _levels = levels
        _bad_instead = [BAD_INSTEAD.get(name) for _lhs, _n, name in table.rules]
        _climbs = [{lhs: {} for lhs in goto} for goto in table.gotos]
        _table = table
    return _table


def _default_list(children: list[Any]) -> Any:
    return children


def _climb(below: int, lhs: int, kind: str) -> int:
    """The state after the goto from ``below`` on ``lhs`` and the pass-through reductions
    that follow it with lookahead ``kind`` (see ``_climbs``), remembered."""
    table = _load()
    actions = table.actions
    gotos = table.gotos
    rules = _rules
    state = gotos[below][lhs]
    while not (state == table.end_state and kind == EOF_KIND):
        act = actions[state].get(kind)
        if act is None or act >= 0:
            break
        lhs2, n, fn = rules[-act - 1]
        if n != 1 or fn is not None:
            break
        state = gotos[below][lhs2]
    _climbs[below][lhs][kind] = state
    return state


class ParseResult:
    """A parsed file: ``tree`` only when it has no syntax error (what the lowering, the
    formatter and stub generation take); with errors, ``partial`` is the tree with bad
    nodes (``ast.BadExpr``, ``BadStmt``, ``BadDecl``) where it did not parse, for the
    checker and editors (None when the parser could not make one).  (A plain class: a
    dataclass costs a cold ``tgo parse`` its definition.)"""

    __slots__ = ("diagnostics", "io_error", "partial", "source", "tree")

    def __init__(self, source: SourceFile, tree: ast.File | None, diagnostics: list[Diagnostic] | None = None,
                 io_error: str | None = None, partial: ast.File | None = None) -> None:
        self.source = source
        self.tree = tree
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics
        self.io_error = io_error
        self.partial = partial

    @property
    def checkable(self) -> ast.File | None:
        """The tree the checker checks: the whole one, or else the partial one."""
        return self.tree if self.tree is not None else self.partial


def parse_file(path: str, fs: FileSystem | None = None) -> ParseResult:
    """Read (through ``fs``, the disk by default) and parse ``path``; an unreadable file
    gives ``io_error`` and no tree."""
    from transpiler.fs.read import read_file

    try:
        data = read_file(path) if fs is None else fs.read(path)
    except OSError as e:
        return ParseResult(SourceFile(path, ""), None, [], e.strerror or str(e))
    return parse_source(data, path)


def parse_source(data: bytes, filename: str) -> ParseResult:
    """Parse one file's bytes; the diagnostics name ``filename``. The garbage collector is
    paused meanwhile (gcpause.py: ``kept``): a parse makes many objects and no cyclic garbage."""
    with kept():
        return _parse_source(data, filename)


def _parse_source(data: bytes, filename: str) -> ParseResult:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        text = data.decode("utf-8", "replace")
        src = SourceFile(filename, text)
        # positions from the bytes themselves: the bad byte is one byte wide
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        from transpiler.diagnostics.diagnostic import Diagnostic

        diag = Diagnostic.make(codes.INVALID_UTF8, filename, (line, column), (line, column + 1))
        return ParseResult(src, None, [diag])
    src = SourceFile(filename, text)
    nul = text.find("\0")
    if nul >= 0:
        return ParseResult(src, None, [_diag(src, codes.INVALID_NUL, nul, nul + 1, {})])
    scanned = scan(text)
    diags = [_lex_diag(src, e) for e in scanned.errors]
    tree, syntax = _Parser(src, scanned.tokens).run(build=True)
    # A bad character or literal usually upsets the parser right after it:
    # one mistake, one message.
    lex_lines = {d.line for d in diags}
    diags.extend(d for d in syntax if d.line not in lex_lines)
    diags.sort(key=lambda d: (d.line, d.column))
    if len(diags) > MAX_ERRORS:
        diags = diags[:MAX_ERRORS]
        last = diags[-1]
        from transpiler.diagnostics.diagnostic import Diagnostic

        diags.append(Diagnostic(filename, last.line, last.column, last.line, last.column,
                                codes.Severity.ERROR, "syntax", codes.TOO_MANY_ERRORS.format()))
    if not isinstance(tree, ast.File):
        return ParseResult(src, None, diags)
    tree.pos, tree.end = 0, len(text)
    tree.comments = scanned.comments
    if diags:
        return ParseResult(src, None, diags, partial=tree)
    return ParseResult(src, tree, [])


def _diag(src: SourceFile, msg: codes.Message, pos: int, end: int, fields: dict[str, object]) -> Diagnostic:
    from transpiler.diagnostics.diagnostic import Diagnostic

    return Diagnostic.make(msg, src.name, src.position(pos), src.position(end), fields=fields)


def _lex_diag(src: SourceFile, e: LexError) -> Diagnostic:
    return _diag(src, e.message, e.pos, e.end, e.fields)


# Kinds the header tracker looks at.
_HEADER_KW = frozenset(["if", "for", "switch"])
_OPENERS = frozenset(["(", "[", "LBRACK_TP"])
_CLOSERS = frozenset([")", "]"])
_TRACKED = _HEADER_KW | _OPENERS | _CLOSERS | {"{", "}"}

_DECL_KW = frozenset(["func", "type", "var", "const", "import"])
# The kinds the loop looks at before it gives a token to the table (disjoint sets).
_SPECIAL = _TRACKED | _DECL_KW

# Tokens a repair may insert before the offending token, in order of preference.
_INSERTABLE = (")", "]", "}", ",", ";", ":", "BAD_EXPR", "LBRACE_H")
# Keywords a repair does not drop as extra tokens: they start the next statement.
_STMT_KW = frozenset(["if", "for", "switch", "select", "return", "go", "defer", "var", "const", "type",
                      "func", "break", "continue", "goto", "fallthrough"])
_BAD_KINDS = frozenset(["BAD_DECL", "BAD_STMT", "BAD_EXPR"])
# Past this many repairs in one file the file has no tree (its first errors stand).
_MAX_RECOVERIES = 10 * MAX_ERRORS


def _chain_depth(level: int, args: list[Any], depths: list[int], links: dict[int, int]) -> int:
    """The depth of a chain rule's node (see ``_CHAIN_RULES``): one level deeper than its
    children, unless it continues the chain its first (``_CHAIN_LEFT``) or last
    (``_CHAIN_RIGHT``) child is: then no deeper than that link. ``links`` counts the links
    of each chain so far, by the offset its top node starts at (the spine of a binary
    chain starts where its first operand does); -1 when the chain's links and depth add
    up past ``GO_MAX_DEPTH``."""
    if level == _CHAIN_LEFT:
        if isinstance(args[0], ast.BinaryExpr):
            start = args[0].pos
            n = links[start] = links.get(start, 1) + 1
            depth = max(depths[0], max(depths[1:]) + 1)
            return depth if n + depth <= GO_MAX_DEPTH else -1
    elif isinstance(args[-1], ast.IfStmt):
        n = links[args[0].pos] = links.get(args[-1].pos, 1) + 1
        depth = max(depths[-1], max(depths[:-1]) + 1)
        return depth if n + depth <= GO_MAX_DEPTH else -1
    return max(depths) + 1


class _Parser:
    def __init__(self, src: SourceFile, tokens: list[Tok]) -> None:
        self.src = src
        n = len(src.text)
        self.tokens = [*tokens, Tok(EOF_KIND, "", n, n)]
        self.diags: list[Diagnostic] = []
        self.lines: set[int] = set()  # the lines with an error: one error per line, as Go

    def run(self, build: bool) -> tuple[Any, list[Diagnostic]]:
        table = _load()
        actions = table.actions
        climbs = _climbs
        rules = _rules if build else [(lhs, n, None) for lhs, n, _ in _rules]
        body_states = table.body_states
        end_state = table.end_state
        states = [table.start_state]
        values: list[Any] = []
        # the depth of each value's subtree, while the tree is built (see MAX_DEPTH)
        depths: list[int] | None = [] if build else None
        links: dict[int, int] = {}  # (see _chain_depth)
        levels = _levels
        header: list[int] = []  # for each open if/for/switch header, its bracket depth
        popped_at = -1  # the token whose closer ended a header's bracket region
        tokens = self.tokens
        special = _SPECIAL
        text = self.src.text
        i = 0
        last_error = -1
        recoveries = 0
        # The stacks before the last declaration keyword at the start of a line:
        # a missing "}" shows up a little later, and is repaired from here.
        checkpoint: tuple[int, list[int], list[Any], list[int] | None] | None = None
        while True:
            tok = tokens[i]
            kind = tok.kind
            if kind in special:
                if kind in _HEADER_KW:
                    header.append(0)
                elif kind in _DECL_KW:
                    if tok.pos == 0 or text[tok.pos - 1] == "\n":
                        checkpoint = (i, states[:], values[:], depths[:] if depths is not None else None)
                elif header:
                    if kind in _OPENERS:
                        header[-1] += 1
                    elif kind == "{":
                        # (a "{" without text is one a repair said is not a body's)
                        if header[-1] == 0 and tok.text:
                            kind = "LBRACE_H"
                        else:
                            header[-1] += 1
                    else:
                        header[-1] -= 1
                        if header[-1] < 0:
                            header.pop()
                            popped_at = i
            while True:
                act = actions[states[-1]].get(kind)
                if act is None:
                    break
                if act >= 0:
                    states.append(act)
                    values.append(tok)
                    if depths is not None:
                        depths.append(0)
                    break
                r = -act - 1
                lhs, n, fn = rules[r]
                if n == 1 and fn is None:
                    below = states[-2]
                    target = climbs[below][lhs].get(kind)
                    states[-1] = target if target is not None else _climb(below, lhs, kind)
                    if states[-1] == end_state and kind == EOF_KIND:
                        return values[-1], self.diags
                    continue
                # The rule's node takes the place of its first child (of a new slot when
                # it has none): a slot fewer to delete and to append.
                if n:
                    args = values[-n:]
                    if n > 1:
                        del values[1 - n :]
                        del states[1 - n :]
                else:
                    args = []
                    values.append(None)
                    states.append(-1)
                if depths is not None:
                    if n == 1:
                        depth = depths[-1] + levels[r]
                        depths[-1] = depth
                    elif n:
                        level = levels[r]
                        if level < 2:
                            depth = max(depths[-n:]) + level
                        else:
                            depth = _chain_depth(level, args, depths[-n:], links)
                        del depths[1 - n :]
                        depths[-1] = depth
                    else:
                        depth = 0
                        depths.append(depth)
                    if depth > MAX_DEPTH or depth < 0:
                        # as go/parser does, stop here: checking the rest of a file this
                        # deep would only cost time
                        if depth > 0:
                            self._too_deep(args, MAX_DEPTH)
                        else:  # a chain too long: at the link that went past (an operator, an if)
                            self._too_deep(args[1:] if levels[r] == _CHAIN_LEFT else args, GO_MAX_DEPTH)
                        return None, self.diags
                if fn is not None:
                    try:
                        values[-1] = fn(args)
                    except BuildError as e:
                        self._error_at(e.pos, e.end, e.message, e.fields)
                        # the rule's node becomes a bad node; where there is none to
                        # stand for it, the file has no tree
                        bad = _bad_instead[r]
                        where = span(args)
                        if bad is not None and where is not None:
                            values[-1] = bad(*where)
                        else:
                            rules = [(lhs2, n2, None) for lhs2, n2, _ in rules]
                            depths = None
                            values[-1] = None
                else:
                    values[-1] = None
                below = states[-2]
                target = climbs[below][lhs].get(kind)
                states[-1] = target if target is not None else _climb(below, lhs, kind)
                if states[-1] == end_state and kind == EOF_KIND:
                    return values[-1], self.diags
            if act is None:
                # a syntax error at tokens[i]; first undo what the header tracker did for it
                _untrack(header, tok.kind, kind, popped_at == i)
                if recoveries and kind in ("{", "LBRACE_H"):
                    # after a repair the tracker may be wrong about this brace
                    other = "{" if kind == "LBRACE_H" else "LBRACE_H"
                    if actions[states[-1]].get(other) is not None:
                        tokens[i] = Tok(other, "", tok.pos, tok.end)
                        continue
                recoveries += 1
                if recoveries > _MAX_RECOVERIES:
                    return None, self.diags
                if checkpoint is not None:
                    closed = self._close_blocks(checkpoint, i)
                    if closed is not None:
                        i, states, values, depths = closed
                        checkpoint = None
                        header = []
                        popped_at = -1
                        continue
                if i != last_error:
                    self._report(states[-1], tok, kind)
                last_error = i
                i, states, values, depths = self._recover(states, values, depths, i, kind)
                if i < 0:
                    return None, self.diags
                if tokens[i].kind in ("BAD_STMT", "BAD_DECL"):
                    header = []  # resynchronised at a statement: no header is open
                continue
            if kind == "LBRACE_H" and header:  # (no header after some repairs)
                if states[-1] in body_states:
                    header.pop()
                    if header:
                        header[-1] += 1
                else:
                    header[-1] += 1
            i += 1

    # -- errors ------------------------------------------------------------

    def _too_deep(self, args: list[Any], limit: int) -> None:
        """Report a node nested deeper than ``limit``, at its first token (as go/parser
        reports \"exceeded max nesting depth\" at the token that went too deep)."""
        pos = 0
        for arg in args:
            while isinstance(arg, (list, tuple)) and arg:
                arg = arg[0]
            if isinstance(arg, (Tok, ast.Node)):
                pos = arg.pos
                break
        self.lines.discard(self.src.position(pos)[0])
        self._error_at(pos, pos + 1, codes.TOO_DEEP, {"limit": limit})

    def _error_at(self, pos: int, end: int, msg: codes.Message, fields: dict[str, object]) -> None:
        """Report an error, unless its line has one already (go/parser's rule)."""
        diag = _diag(self.src, msg, pos, end, fields)
        if diag.line not in self.lines:
            self.lines.add(diag.line)
            self.diags.append(diag)

    def _report(self, state: int, tok: Tok, kind: str) -> None:
        table = _load()
        kinds = set(table.actions[state]) - _BAD_KINDS
        expected = _describe_expected(kinds)
        found = describe_token(tok)
        pos, end = tok.pos, tok.end
        if kind == ";" and tok.text == "\n":
            end = pos + 1
        if expected:
            self._error_at(pos, end, codes.UNEXPECTED_EXPECTED, {"found": found, "expected": expected})
        elif ";" in kinds and "++" in kinds:
            self._error_at(pos, end, codes.UNEXPECTED_AT_END, {"found": found})
        else:
            self._error_at(pos, end, codes.UNEXPECTED, {"found": found})

    def _recover(self, states: list[int], values: list[Any], depths: list[int] | None, i: int,
                 kind: str) -> tuple[int, list[int], list[Any], list[int] | None]:
        """Repair the stream at tokens[i]; returns the index to go on from and the stacks
        (the index is -1 when nothing repairs it)."""
        tokens = self.tokens
        tok = tokens[i]
        # 1. a single missing token before tokens[i]: punctuation, an expression (a
        #    BadExpr), or the name after a half-typed `x.`
        candidates: tuple[str, ...] = _INSERTABLE
        if i and tokens[i - 1].kind == ".":
            candidates = ("IDENT", *candidates)
        for ins in candidates:
            if self._accepts(states, [ins, kind, *self._kinds(i + 1, 3)]):
                tokens.insert(i, Tok(ins, "", tok.pos, tok.pos))
                return i, states, values, depths
        # 2. a wrong closing bracket
        if kind in _CLOSERS or kind == "}":
            for ins in (")", "]", "}"):
                if ins != kind and self._accepts(states, [ins, *self._kinds(i + 1, 3)]):
                    tokens[i] = Tok(ins, "", tok.pos, tok.end)
                    return i, states, values, depths
        # 3. a single extra token (a keyword that starts a statement is rarely one)
        if kind != EOF_KIND and kind not in _STMT_KW and self._accepts(states, self._kinds(i + 1, 5)):
            return i + 1, states, values, depths
        # 4. a single wrong token: a newline for a comma in a composite literal or
        #    argument list
        if kind == ";":
            for ins in (",", ")", "]", "}"):
                if self._accepts(states, [ins, *self._kinds(i + 1, 3)]):
                    tokens[i] = Tok(ins, "", tok.pos, tok.end)
                    return i, states, values, depths
        # 5. blocks left open at the end of the file
        if kind == EOF_KIND:
            for count in range(1, 6):
                fix = ["}", ";"] * count
                if self._accepts(states, [*fix, EOF_KIND]):
                    tokens[i:i] = [Tok(k, "", tok.pos, tok.pos) for k in fix]
                    return i, states, values, depths
        # 6. resynchronise: skip to a statement or declaration boundary, pop the stack
        #    to a statement list or the file's declarations, and put a bad statement or
        #    declaration over what was skipped (go/parser's BadStmt, BadDecl)
        found = self._resync(states, i)
        if found is None:
            return -1, states, values, depths
        j, depth, bad = found
        where = span(values[depth - 1 :])
        start = min(where[0], tok.pos) if where is not None else tok.pos
        end = max(start, tokens[j - 1].end if j > i else tok.pos)
        tokens.insert(j, Tok(bad, "", start, end))
        return j, states[:depth], values[: depth - 1], depths[: depth - 1] if depths is not None else None

    def _resync(self, states: list[int], i: int) -> tuple[int, int, str] | None:
        """Where to go on after an error at tokens[i]: the index of a ``;``, ``}`` or the
        end at the nesting depth of the error, the stack depth to pop to, and the bad
        token to put in between. Bounded: a deep stack or a long file does not make it
        quadratic."""
        actions = _load().actions
        levels: list[tuple[int, str]] = []  # innermost first
        for depth in range(len(states), max(0, len(states) - 2000), -1):
            row = actions[states[depth - 1]]
            if "BAD_STMT" in row:
                levels.append((depth, "BAD_STMT"))
                if len(levels) >= 6:
                    break
        for depth in range(1, min(len(states), 12) + 1):
            if "BAD_DECL" in actions[states[depth - 1]]:
                levels.append((depth, "BAD_DECL"))
        tokens = self.tokens
        nest = 0
        budget = 400
        for j in range(i, min(len(tokens), i + 20000)):
            k = tokens[j].kind
            if k == "{" or k == "LBRACE_H":
                nest += 1
                continue
            if k == "}":
                if nest:
                    nest -= 1
                    continue
            elif k == ";":
                if nest:
                    continue
            elif k != EOF_KIND:
                continue
            ahead = self._kinds(j, 3)
            for depth, bad in levels:
                budget -= 1
                if self._accepts(states, [bad, *ahead], depth):
                    return j, depth, bad
            if budget <= 0 or k == EOF_KIND:
                break
        return None

    def _close_blocks(self, checkpoint: tuple[int, list[int], list[Any], list[int] | None],
                      i: int) -> tuple[int, list[int], list[Any], list[int] | None] | None:
        """Repair an error at tokens[i] by closing blocks before the checkpoint's keyword.

        ``func`` at the start of a line inside a function body usually means the
        body above lacks its ``}``; report that, once, at the keyword.
        """
        at, states, values, depths = checkpoint
        if i - at > 40 or len(states) < 4:
            return None
        ahead = self._kinds(at, 3)
        for count in range(1, 6):
            fix = ["}", ";"] * count
            if self._accepts(states, fix + ahead) and self._accepts(states, fix + self._kinds(at, i - at + 3)):
                kw = self.tokens[at]
                self._error_at(kw.pos, kw.end, codes.UNEXPECTED_EXPECTED,
                               {"found": describe_token(kw), "expected": "}"})
                self.tokens[at:at] = [Tok(k, "", kw.pos, kw.pos) for k in fix]
                return at, states[:], values[:], depths[:] if depths is not None else None
        return None

    def _kinds(self, start: int, count: int) -> list[str]:
        out = []
        for t in self.tokens[start : start + count]:
            out.append(t.kind)
        return out

    def _accepts(self, states: list[int], kinds: list[str], depth: int | None = None) -> bool:
        """Whether the parser, from ``states[:depth]``, can consume ``kinds`` (states only;
        the stack is not copied)."""
        table = _load()
        actions = table.actions
        gotos = table.gotos
        base = len(states) if depth is None else depth  # states[:base] lie below ``extra``
        extra: list[int] = []
        for kind in kinds:
            while True:
                top = extra[-1] if extra else states[base - 1]
                act = actions[top].get(kind)
                if act is None and kind == "{":
                    # the header tracker is off after an error: either brace may fit
                    act = actions[top].get("LBRACE_H")
                if act is None:
                    return False
                if act >= 0:
                    extra.append(act)
                    break
                lhs, n, _ = _rules[-act - 1]
                keep = min(n, len(extra))
                del extra[len(extra) - keep :]
                base -= n - keep
                extra.append(gotos[extra[-1] if extra else states[base - 1]][lhs])
                if kind == EOF_KIND and extra[-1] == table.end_state:
                    return True
        return True


def _untrack(header: list[int], original: str, kind: str, popped: bool) -> None:
    """Undo what the brace tracker did for a token the parser did not take."""
    if original in _HEADER_KW:
        header.pop()
    elif popped:
        header.append(0)
    elif not header:
        return
    elif original in _OPENERS:
        header[-1] -= 1
    elif original == "{":
        if kind == "{":
            header[-1] -= 1
    elif original in _CLOSERS or original == "}":
        header[-1] += 1


_NAMES = {
    ";": "semicolon",
    ",": "comma",
    "IDENT": "name",
    "INT": "literal",
    "FLOAT": "literal",
    "IMAG": "literal",
    "CHAR": "literal",
    "STRING": "literal",
    "LBRACE_H": "{",
    "LBRACK_TP": "[",
    EOF_KIND: "EOF",
}
_EXPR_START = frozenset(["IDENT", "INT", "FLOAT", "IMAG", "CHAR", "STRING", "(", "func", "[", "map",
                          "chan", "struct", "interface", "+", "-", "!", "^", "*", "&", "<-", "~", "?"])
_TYPE_START = frozenset(["IDENT", "(", "func", "[", "map", "chan", "struct", "interface", "*", "<-", "?"])
_STMT_START = _EXPR_START | {"var", "const", "type", "go", "defer", "return", "break", "continue",
                            "goto", "fallthrough", "if", "for", "switch", "select", "{"}


def describe_token(tok: Tok) -> str:
    """How a token is named in a message: ``newline``, ``name x``, ``literal 1``, ``keyword func``."""
    kind = tok.kind
    if kind == ";":
        if tok.text == "\n":
            return "newline"
        if tok.text == "":
            return "EOF" if tok.pos >= 0 else "semicolon"
        return "semicolon"
    if kind == "IDENT":
        return f"name {tok.text}"
    if kind in ("INT", "FLOAT", "IMAG", "CHAR", "STRING"):
        text = tok.text if len(tok.text) <= 20 else tok.text[:17] + "..."
        return f"literal {text}"
    if kind == EOF_KIND:
        return "EOF"
    if kind.isalpha():
        return f"keyword {kind}"
    return tok.text or kind


def _describe_expected(kinds: set[str]) -> str:
    # `...` is rarely what was missing; naming it only muddles the message.
    kinds = {k for k in kinds if (k != EOF_KIND or len(kinds) == 1) and (k != "..." or len(kinds) == 1)}
    words: list[str] = []
    if (kinds | {"{"}) >= _STMT_START and "var" in kinds:
        kinds -= _STMT_START
        words.append("statement")
    if kinds >= _EXPR_START - {"?", "~"}:
        kinds -= _EXPR_START
        words.append("expression")
    elif kinds >= _TYPE_START - {"?"}:
        kinds -= _TYPE_START
        words.append("type")
    names: list[str] = []
    for k in sorted(kinds, key=_kind_order):
        name = _NAMES.get(k, k)
        if name not in names and name not in words:
            names.append(name)
    words.extend(names)
    if not words or len(words) > 4:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _kind_order(kind: str) -> tuple[int, str]:
    # punctuation people expect first: comma, closing brackets, semicolon
    order = {",": 0, ")": 1, "]": 2, "}": 3, ";": 4}
    return (order.get(kind, 5), kind)


def _raise_recursion_limit() -> None:
    # The tree is built without recursion, but later phases walk it recursively.
    if sys.getrecursionlimit() < 20000 and os.environ.get("TGO_NO_RECURSION_BUMP") is None:
        sys.setrecursionlimit(20000)


_raise_recursion_limit()
