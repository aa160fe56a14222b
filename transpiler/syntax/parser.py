"""Parser: runs the LALR(1) table of grammar/tgo.lark over the scanner's tokens.

The driver is tgo's own loop over Lark's table (see table.py): it calls the
tree builder (build.py) on each reduction, tells the scanner's ``{`` apart
from the ``LBRACE_H`` that opens an if/for/switch body, and on a syntax error
reports one diagnostic, repairs the token stream where a single missing or
extra token explains the error (a missing ``)``, ``]``, ``}``, ``,`` or ``;``)
and otherwise resynchronises at the next statement, so one typo gives one
error.  After the first error the rest of the file is only checked: a file
with errors has no tree.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from transpiler.diagnostics import Diagnostic, codes
from transpiler.syntax import ast
from transpiler.syntax.build import CALLBACKS, BuildError
from transpiler.syntax.scanner import LexError, Tok, scan
from transpiler.syntax.source import SourceFile
from transpiler.syntax.table import EOF_KIND, Table, load_table

if TYPE_CHECKING:
    from transpiler.fs.base import FileSystem

MAX_ERRORS = 10
# The deepest syntax tree a file may have (go/parser's limit is 100,000): every later
# phase (checker, lowering, printer, tgo fmt) must handle any tree the parser accepts.
MAX_DEPTH = 1000

_table: Table | None = None
_rules: list[tuple[int, int, Callable[[list[Any]], Any] | None]] = []
# per rule: 1 when its node is a level of the tree (0 for the rules that build lists)
_levels: list[int] = []


def _load() -> Table:
    global _table, _rules, _levels
    if _table is None:
        table = load_table()
        rules: list[tuple[int, int, Callable[[list[Any]], Any] | None]] = []
        levels: list[int] = []
        for lhs, length, name in table.rules:
            fn = CALLBACKS.get(name)
            if fn is None and length != 1:
                fn = _default_list
            rules.append((lhs, length, fn))
            levels.append(0 if fn is None or fn is _default_list or name.startswith("list_") else 1)
        _rules = rules
        _levels = levels
        _table = table
    return _table


def _default_list(children: list[Any]) -> Any:
    return children


@dataclass(slots=True)
class ParseResult:
    source: SourceFile
    tree: ast.File | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    io_error: str | None = None


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
    """Parse one file's bytes; the diagnostics name ``filename``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        text = data.decode("utf-8", "replace")
        src = SourceFile(filename, text)
        # positions from the bytes themselves: the bad byte is one byte wide
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        diag = Diagnostic.make(codes.INVALID_UTF8, filename, (line, column), (line, column + 1))
        return ParseResult(src, None, [diag])
    src = SourceFile(filename, text)
    nul = text.find("\0")
    if nul >= 0:
        return ParseResult(src, None, [_diag(src, codes.INVALID_NUL, nul, nul + 1, {})])
    scanned = scan(text)
    diags = [_lex_diag(src, e) for e in scanned.errors]
    tree, syntax = _Parser(src, scanned.tokens).run(build=not diags)
    # A bad character or literal usually upsets the parser right after it:
    # one mistake, one message.
    lex_lines = {d.line for d in diags}
    diags.extend(d for d in syntax if d.line not in lex_lines)
    diags.sort(key=lambda d: (d.line, d.column))
    if len(diags) > MAX_ERRORS:
        diags = diags[:MAX_ERRORS]
        last = diags[-1]
        diags.append(Diagnostic(filename, last.line, last.column, last.line, last.column,
                                codes.Severity.ERROR, "syntax", codes.TOO_MANY_ERRORS.format()))
    if diags or not isinstance(tree, ast.File):
        return ParseResult(src, None, diags)
    tree.pos, tree.end = 0, len(text)
    tree.comments = scanned.comments
    return ParseResult(src, tree, [])


def _diag(src: SourceFile, msg: codes.Message, pos: int, end: int, fields: dict[str, object]) -> Diagnostic:
    return Diagnostic.make(msg, src.name, src.position(pos), src.position(end), fields=fields)


def _lex_diag(src: SourceFile, e: LexError) -> Diagnostic:
    return _diag(src, e.message, e.pos, e.end, e.fields)


# Kinds the header tracker looks at.
_HEADER_KW = frozenset(["if", "for", "switch"])
_OPENERS = frozenset(["(", "[", "LBRACK_TP"])
_CLOSERS = frozenset([")", "]"])
_TRACKED = _HEADER_KW | _OPENERS | _CLOSERS | {"{", "}"}

_DECL_KW = frozenset(["func", "type", "var", "const", "import"])

# Tokens a repair may insert before the offending token, in order of preference.
_INSERTABLE = (")", "]", "}", ",", ";")


class _Parser:
    def __init__(self, src: SourceFile, tokens: list[Tok]) -> None:
        self.src = src
        n = len(src.text)
        self.tokens = [*tokens, Tok(EOF_KIND, "", n, n)]
        self.diags: list[Diagnostic] = []

    def run(self, build: bool) -> tuple[Any, list[Diagnostic]]:
        table = _load()
        actions = table.actions
        gotos = table.gotos
        rules = _rules if build else [(lhs, n, None) for lhs, n, _ in _rules]
        body_states = table.body_states
        end_state = table.end_state
        states = [table.start_state]
        values: list[Any] = []
        # the depth of each value's subtree, while the tree is built (see MAX_DEPTH)
        depths: list[int] | None = [] if build else None
        levels = _levels
        header: list[int] = []  # for each open if/for/switch header, its bracket depth
        tokens = self.tokens
        tracked = _TRACKED
        text = self.src.text
        i = 0
        last_error = -1
        # The stack before the last declaration keyword at the start of a line:
        # a missing "}" shows up a little later, and is repaired from here.
        checkpoint: tuple[int, list[int]] | None = None
        while True:
            tok = tokens[i]
            kind = tok.kind
            if kind in tracked:
                if kind in _HEADER_KW:
                    header.append(0)
                elif header:
                    if kind in _OPENERS:
                        header[-1] += 1
                    elif kind == "{":
                        if header[-1] == 0:
                            kind = "LBRACE_H"
                        else:
                            header[-1] += 1
                    else:
                        header[-1] -= 1
                        if header[-1] < 0:
                            header.pop()
            if kind in _DECL_KW and (tok.pos == 0 or text[tok.pos - 1] == "\n"):
                checkpoint = (i, states[:])
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
                lhs, n, fn = rules[-act - 1]
                if n == 1 and fn is None:
                    states[-1] = gotos[states[-2]][lhs]
                    if states[-1] == end_state and kind == EOF_KIND:
                        return values[-1], self.diags
                    continue
                if n:
                    args = values[-n:]
                    del values[-n:]
                    del states[-n:]
                else:
                    args = []
                if depths is not None:
                    if n:
                        depth = max(depths[-n:]) + levels[-act - 1]
                        del depths[-n:]
                    else:
                        depth = 0
                    depths.append(depth)
                    if depth > MAX_DEPTH:
                        # as go/parser does, stop here: checking the rest of a file this
                        # deep would only cost time
                        self._too_deep(args)
                        return None, self.diags
                if fn is not None:
                    try:
                        values.append(fn(args))
                    except BuildError as e:
                        self._error_at(e.pos, e.end, e.message, e.fields)
                        rules = [(lhs2, n2, None) for lhs2, n2, _ in rules]
                        depths = None
                        values.append(None)
                else:
                    values.append(None)
                states.append(gotos[states[-1]][lhs])
                if states[-1] == end_state and kind == EOF_KIND:
                    return values[-1], self.diags
            if act is None:
                # a syntax error at tokens[i]
                if len(self.diags) >= MAX_ERRORS + 1:
                    return None, self.diags
                rules = [(lhs2, n2, None) for lhs2, n2, _ in rules]
                depths = None
                closed = self._close_blocks(checkpoint, i) if checkpoint else None
                if closed is not None:
                    i, states = closed
                    values = [None] * (len(states) - 1)
                    checkpoint = None
                    header = []
                    tracked = frozenset()
                    continue
                if i != last_error:
                    self._report(states[-1], tok, kind)
                last_error = i
                i, states, values = self._recover(states, values, i, kind)
                if i < 0:
                    return None, self.diags
                header = []  # the header context is unknowable now: stop tracking braces
                tracked = frozenset()
                continue
            if kind == "LBRACE_H":
                if states[-1] in body_states:
                    header.pop()
                    if header:
                        header[-1] += 1
                else:
                    header[-1] += 1
            i += 1

    # -- errors ------------------------------------------------------------

    def _too_deep(self, args: list[Any]) -> None:
        """Report a node nested deeper than ``MAX_DEPTH``, at its first token (as go/parser
        reports \"exceeded max nesting depth\" at the token that went too deep)."""
        pos = 0
        for arg in args:
            while isinstance(arg, (list, tuple)) and arg:
                arg = arg[0]
            if isinstance(arg, (Tok, ast.Node)):
                pos = arg.pos
                break
        self._error_at(pos, pos + 1, codes.TOO_DEEP, {"limit": MAX_DEPTH})

    def _error_at(self, pos: int, end: int, msg: codes.Message, fields: dict[str, object]) -> None:
        self.diags.append(_diag(self.src, msg, pos, end, fields))

    def _report(self, state: int, tok: Tok, kind: str) -> None:
        table = _load()
        kinds = set(table.actions[state])
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

    def _recover(self, states: list[int], values: list[Any], i: int, kind: str) -> tuple[int, list[int], list[Any]]:
        """Repair the stream at tokens[i]; returns the index to go on from and the stacks."""
        tokens = self.tokens
        tok = tokens[i]
        # 1. a single missing token before tokens[i]
        for ins in _INSERTABLE:
            if self._accepts(states, [ins, kind, *self._kinds(i + 1, 3)]):
                synthetic = Tok(ins, "", tok.pos, tok.pos)
                self.tokens.insert(i, synthetic)
                return i, states, values
        # 2. a single extra token
        if kind != EOF_KIND and self._accepts(states, self._kinds(i + 1, 4)):
            return i + 1, states, values
        # 3. resynchronise: skip to a statement or declaration boundary and pop
        #    the stack until the parser can go on from there.
        # Bounded: a stack 40,000 levels deep must not make recovery quadratic; past
        # the bound the rest of the file is not checked (the first error stands).
        j = i
        budget = 512
        while j < len(tokens) and budget > 0:
            k = tokens[j].kind
            if k in (";", "}", EOF_KIND):
                start = j + 1 if k == ";" else j
                ahead = self._kinds(start, 3)
                for depth in range(len(states), max(0, len(states) - 64), -1):
                    budget -= 1
                    if self._accepts(states[:depth], ahead):
                        return start, states[:depth], values[: depth - 1]
                if k == EOF_KIND:
                    return -1, states, values
            j += 1
        return -1, states, values

    def _close_blocks(self, checkpoint: tuple[int, list[int]], i: int) -> tuple[int, list[int]] | None:
        """Repair an error at tokens[i] by closing blocks before the checkpoint's keyword.

        ``func`` at the start of a line inside a function body usually means the
        body above lacks its ``}``; report that, once, at the keyword.
        """
        at, states = checkpoint
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
                return at, states
        return None

    def _kinds(self, start: int, count: int) -> list[str]:
        out = []
        for t in self.tokens[start : start + count]:
            out.append(t.kind)
        return out

    def _accepts(self, states: list[int], kinds: list[str]) -> bool:
        """Whether the parser, from ``states``, can consume ``kinds`` (states only)."""
        table = _load()
        actions = table.actions
        gotos = table.gotos
        stack = list(states)
        for kind in kinds:
            while True:
                act = actions[stack[-1]].get(kind)
                if act is None and kind == "{":
                    # the header tracker is off after an error: either brace may fit
                    act = actions[stack[-1]].get("LBRACE_H")
                if act is None:
                    return False
                if act >= 0:
                    stack.append(act)
                    break
                lhs, n, _ = _rules[-act - 1]
                del stack[len(stack) - n :]
                stack.append(gotos[stack[-1]][lhs])
                if kind == EOF_KIND and stack[-1] == table.end_state:
                    return True
        return True


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
