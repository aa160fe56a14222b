"""Parse table: builds the LALR(1) table of grammar/tgo.lark with Lark, and caches it.

Lark computes the table; tgo's own driver (parser.py) runs it.  The table is
stored on disk keyed by a hash of the grammar text, so a cold ``tgo parse`` loads
it with ``marshal`` and never imports Lark.  The stored table is a sealed cache
entry (``caches.read_entry``), checked for its shape before use: a damaged one
is built again and rewritten.  The wheel ships the table of its grammar
(``hatch_build.py``), checked the same way, for a cache that does not hold it yet.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os

TABLE_FORMAT = 4
EOF_KIND = "EOF"


class Table:
    """An LALR(1) table in the form the driver wants.

    ``actions[state][kind]`` is a shift to state ``s`` (``s >= 0``) or a reduce by
    rule ``r`` (``-r - 1``); ``gotos[state][lhs]`` is the state after reducing to
    nonterminal number ``lhs``.  ``rules[r]`` is ``(lhs, length, callback)``.
    (A plain class: a dataclass costs a cold ``tgo parse`` its definition.)
    """

    __slots__ = ("actions", "body_states", "conflicts", "end_state", "gotos", "nonterminals", "rules",
                 "start_state")

    def __init__(self, actions: list[dict[str, int]], gotos: list[dict[int, int]], rules: list[tuple[int, int, str]],
                 nonterminals: list[str], start_state: int, end_state: int, body_states: frozenset[int],
                 conflicts: list[str]) -> None:
        self.actions = actions
        self.gotos = gotos
        self.rules = rules
        self.nonterminals = nonterminals
        self.start_state = start_state
        self.end_state = end_state
        self.body_states = body_states
        self.conflicts = conflicts


def grammar_text() -> str:
    """The text of grammar/tgo.lark, from the installed package or the source tree."""
    here = os.path.dirname(os.path.abspath(__file__))
    installed = os.path.join(here, os.pardir, "_data", "grammar", "tgo.lark")  # in the wheel
    source = os.path.join(here, os.pardir, os.pardir, "grammar", "tgo.lark")  # in a checkout
    path = installed if os.path.exists(installed) else source
    with open(path, encoding="utf-8") as f:
        return f.read()


def _cache_dir() -> str:
    from transpiler.caches import cache_root

    return cache_root()


def table_name(text: str) -> str:
    """The file name of the table of the grammar ``text``: keyed by the grammar itself (any
    LALR table Lark makes for it is correct) and the table's format."""
    key = hashlib.sha256(f"{TABLE_FORMAT}\0{text}".encode()).hexdigest()[:24]
    return f"parser-{key}.marshal"


def load_table() -> Table:
    """The parse table, from the on-disk cache when it is there and current; else the one the
    wheel ships for this grammar (``hatch_build.py`` builds it, so that the first run after an
    install, or every run in a fresh container, does not import Lark to build it: about a third
    of a second); else built with Lark. The cache then holds it."""
    text = grammar_text()
    name = table_name(text)
    path = os.path.join(_cache_dir(), name)
    from transpiler.caches import read_entry

    table = _loaded(read_entry(path))
    if table is not None:
        return table
    table = _loaded(_shipped(name))
    if table is None:
        table = build_table(text)
    _store(path, table)
    return table


def _loaded(payload: bytes | None) -> Table | None:
    if payload is None:
        return None
    try:
        return _well_formed(marshal.loads(payload))
    except (EOFError, ValueError, TypeError):
        return None


# The largest table file read from the package (the table is about 0.3 MB).
_SHIPPED_LIMIT = 16 << 20


def _shipped(name: str) -> bytes | None:
    """The bytes of the table file ``name`` the installed package ships, or None."""
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        with open(os.path.join(here, os.pardir, "_data", name), "rb") as f:
            data = f.read(_SHIPPED_LIMIT + 1)
    except OSError:
        return None
    return data if len(data) <= _SHIPPED_LIMIT else None


def table_bytes(table: Table) -> bytes:
    """``table`` as it is stored (``marshal``), in the cache and in the wheel."""
    data = (
        table.actions,
        table.gotos,
        table.rules,
        table.nonterminals,
        table.start_state,
        table.end_state,
        sorted(table.body_states),
        table.conflicts,
    )
    return marshal.dumps(data)


def _well_formed(data: object) -> Table | None:
    """The table ``data`` (as ``_store`` writes it) holds, or None when it is not one: every
    action, goto and rule must point inside the table (a sealed entry is what tgo wrote,
    but the check is cheap next to the parse it guards)."""
    if not (isinstance(data, tuple) and len(data) == 8):
        return None
    actions, gotos, rules, nonterminals, start, end, body, conflicts = data
    if not (
        isinstance(actions, list)
        and isinstance(gotos, list)
        and isinstance(rules, list)
        and isinstance(nonterminals, list)
        and isinstance(body, list)
        and isinstance(conflicts, list)
        and len(gotos) == len(actions)
        and isinstance(start, int)
        and isinstance(end, int)
        and 0 <= start < len(actions)
        and 0 <= end < len(actions)
    ):
        return None
    states, nrules, nnts = len(actions), len(rules), len(nonterminals)
    for rule in rules:
        if not (isinstance(rule, tuple) and len(rule) == 3 and isinstance(rule[2], str)):
            return None
        if not (isinstance(rule[0], int) and 0 <= rule[0] < nnts and isinstance(rule[1], int) and rule[1] >= 0):
            return None
    for row, goto in zip(actions, gotos, strict=True):
        if not (isinstance(row, dict) and isinstance(goto, dict)):
            return None
        for kind, act in row.items():
            if not (isinstance(kind, str) and isinstance(act, int) and -nrules <= act < states):
                return None
        for lhs, target in goto.items():
            if not (isinstance(lhs, int) and isinstance(target, int) and 0 <= target < states):
                return None
    return Table(actions, gotos, rules, nonterminals, start, end, frozenset(body), conflicts)


def _store(path: str, table: Table) -> None:
    from transpiler.caches import write_entry

    with contextlib.suppress(OSError):  # a read-only home: build the table in memory each time
        write_entry(path, table_bytes(table))


# Rules whose LBRACE_H opens the body of an if/for/switch statement.
_BODY_RULES = frozenset(["body", "switch_stmt"])


def build_table(text: str) -> Table:
    """Run Lark's LALR analysis over the grammar and convert its table."""
    import io
    import logging

    from lark import Lark, logger
    from lark.lexer import PatternStr

    log = io.StringIO()
    handler = logging.StreamHandler(log)
    old_level, old_handlers = logger.level, logger.handlers[:]
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG)
    try:
        # debug=True keeps the item sets, which tell body braces from the others
        lk = Lark(text, parser="lalr", lexer="basic", debug=True, start="start")
    finally:
        logger.handlers[:] = old_handlers
        logger.setLevel(old_level)
    conflicts = _conflicts(log.getvalue())

    kinds: dict[str, str] = {"$END": EOF_KIND}
    for term in lk.terminals:
        pattern = term.pattern
        kinds[str(term.name)] = str(pattern.value) if isinstance(pattern, PatternStr) else str(term.name)
    for name in ("IDENT", "INT", "FLOAT", "IMAG", "CHAR", "STRING", "LBRACE_H", "LBRACK_TP",
                 "BAD_DECL", "BAD_STMT", "BAD_EXPR"):
        kinds.setdefault(name, name)

    parse_table = lk.parser.parser._parse_table
    states = list(parse_table.states)
    index = {s: i for i, s in enumerate(states)}
    rule_list = list(lk.rules)
    rule_index = {id(r): i for i, r in enumerate(rule_list)}
    nonterminals = sorted({str(r.origin.name) for r in rule_list})
    nt_index = {name: i for i, name in enumerate(nonterminals)}

    from lark.parsers.lalr_analysis import Shift

    actions: list[dict[str, int]] = []
    gotos: list[dict[int, int]] = []
    body_states: set[int] = set()
    for state in states:
        row: dict[str, int] = {}
        goto: dict[int, int] = {}
        for sym, (action, arg) in parse_table.states[state].items():
            if action is Shift:
                if sym in nt_index:
                    goto[nt_index[sym]] = index[arg]
                else:
                    row[kinds[sym]] = index[arg]
                    if sym == "LBRACE_H":
                        kernel = [rp for rp in arg if rp.index > 0]
                        origins = {rp.rule.origin.name for rp in kernel}
                        if origins <= _BODY_RULES:
                            body_states.add(index[arg])
                        elif origins & _BODY_RULES:
                            raise RuntimeError(f"a state mixes a body brace with another: {origins}")
            else:
                row[kinds[sym]] = -rule_index[id(arg)] - 1
        actions.append(row)
        gotos.append(goto)

    rules = [
        (nt_index[str(r.origin.name)], len(r.expansion), str(r.alias or r.origin.name)) for r in rule_list
    ]
    start_state = index[parse_table.start_states["start"]]
    end_state = index[parse_table.end_states["start"]]
    return Table(actions, gotos, rules, nonterminals, start_state, end_state, frozenset(body_states), conflicts)


def _conflicts(log: str) -> list[str]:
    """The shift/reduce conflicts Lark resolved as shifts, one line per rule and terminal."""
    lines = log.splitlines()
    found: set[str] = set()
    for i, line in enumerate(lines):
        if "Shift/Reduce conflict for terminal" in line and i + 1 < len(lines):
            terminal = line.split("terminal ", 1)[1].split(":", 1)[0].strip()
            rule = lines[i + 1].strip().lstrip("* ").strip()
            found.add(f"{terminal}: {rule}")
    return sorted(found)
