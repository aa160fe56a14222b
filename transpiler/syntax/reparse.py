"""Parsing a file again after an edit: only the top-level declarations the edit touched, the rest of the old tree moved.

``reparse(old, data)`` gives what ``parse_source(data, name)`` gives (the same tree, node
for node, position for position, and the same comments) for a file whose previous parse
``old`` had no syntax error, parsing only the text between the last declaration that
ends before the first changed character and the first one that starts after the last
changed character. The declarations before that region are kept as they are; those
after it are kept too, their positions moved by the change of length (in place: the old
tree is given up, its caller must not use it again).

Why the region parses as it does in the whole file: the scanner and the parser carry no
state from one top-level declaration to the next beyond the semicolon between them, and
the region starts just after a declaration's last token, at a newline (or a line
comment then a newline), and ends just after a newline, before the next declaration's
first token. So the region is parsed alone behind a stand-in for what precedes it: the
file's text up to its package name, then blanks of the same length as the rest (so
every offset is the file's own). Whenever that is not certain, ``reparse`` gives None
and the caller parses the whole file: the edit reaches the package clause or the
imports, the region holds an import, the region does not parse without an error (a
file with errors is parsed whole, for its messages), or the text is not valid UTF-8 or
holds a NUL.
"""

from __future__ import annotations

import re

from transpiler.syntax import ast
from transpiler.syntax.parser import ParseResult, parse_source
from transpiler.syntax.scanner import Comment
from transpiler.syntax.source import SourceFile

# After a declaration's last token: blanks, perhaps a line comment, then the newline that ends it.
_LINE_END = re.compile(r"[ \t\r]*(?://[^\n]*)?\n")
_CHUNK = 4096


def common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix of ``a`` and ``b``."""
    n = min(len(a), len(b))
    i = 0
    while i + _CHUNK <= n and a[i:i + _CHUNK] == b[i:i + _CHUNK]:
        i += _CHUNK
    while i < n and a[i] == b[i]:
        i += 1
    return i


def common_suffix(a: str, b: str, limit: int) -> int:
    """The length of the longest common suffix of ``a`` and ``b``, at most ``limit``."""
    la, lb = len(a), len(b)
    k = 0
    while k + _CHUNK <= limit and a[la - k - _CHUNK:la - k] == b[lb - k - _CHUNK:lb - k]:
        k += _CHUNK
    while k < limit and a[la - k - 1] == b[lb - k - 1]:
        k += 1
    return k


def reparse(old: ParseResult, data: bytes) -> ParseResult | None:
    """``parse_source(data, old.source.name)``, parsing only the declarations an edit touched
    (the module's docstring); None when that cannot be done exactly. Moves the nodes of
    ``old``'s tree after the edit: ``old`` must not be used again."""
    tree = old.tree
    if tree is None or old.diagnostics:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\0" in text:
        return None
    was = old.source.text
    if text == was:
        return ParseResult(SourceFile(old.source.name, text), tree, [])
    p = common_prefix(was, text)
    s = common_suffix(was, text, min(len(was), len(text)) - p)
    changed_end = len(was) - s  # the old text's changed part is [p, changed_end)
    decls = tree.decls
    i = 0  # the declarations before i end before the change
    while i < len(decls) and decls[i].end < p:
        i += 1
    k = i  # those from k on start after it
    while k < len(decls) and decls[k].pos <= changed_end:
        k += 1
    head = tree.imports[-1].end if tree.imports else tree.package.end
    start = decls[i - 1].end if i > 0 else head
    if start >= p or not _LINE_END.match(text, start):
        return None
    delta = len(text) - len(was)
    old_stop = decls[k].pos if k < len(decls) else len(was)
    stop = old_stop + delta
    if k < len(decls) and text[stop - 1] != "\n":
        return None
    package_end = tree.package.end
    stand_in = text[:package_end] + " " * (start - package_end) + text[start:stop]
    part = parse_source(stand_in.encode("utf-8"), old.source.name)
    region = part.tree
    if region is None or part.diagnostics or region.imports:
        return None
    after = decls[k:]
    if delta:
        for decl in after:
            _move(decl, delta)
    comments = [c for c in tree.comments if c.end <= start]
    comments += [c for c in region.comments if c.pos >= start]
    comments += [c if not delta else Comment(c.text, c.pos + delta, c.end + delta)
                 for c in tree.comments if c.pos >= old_stop]
    new = ast.File(0, len(text), tree.package, tree.imports, decls[:i] + region.decls + after, comments)
    return ParseResult(SourceFile(old.source.name, text), new, [])


def _move(node: ast.Node, delta: int) -> None:
    """Move every position in ``node``'s subtree by ``delta``."""
    stack = [node]
    while stack:
        n = stack.pop()
        n.pos += delta
        n.end += delta
        if isinstance(n, ast.CompositeLit):
            n.lbrace += delta
        elif isinstance(n, ast.CallExpr) and n.ellipsis >= 0:
            n.ellipsis += delta
        elif isinstance(n, ast.GenDecl) and n.lparen >= 0:
            n.lparen += delta
        stack.extend(n.kids())
