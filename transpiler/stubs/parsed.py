"""Parsed files kept per content: stubs in memory for the process, stubs and package files on disk as sealed flattened trees.

A stub file (``.tgoi``) is parsed once per content: ``parse_stub(path, data)`` gives
the ``ParseResult`` of ``parse_source(data, path)``, from

* this process's memory (a language server, or a command that checks several
  packages, parses a stub once), keyed by the path, the SHA-256 of the bytes and the
  stamp of the parser's code;
* the disk, ``$TGO_CACHE_DIR/trees/stubs/<key>.tree``: the tree flattened into plain
  values (``syntax/flat.py``: its shape and its leaf values) written by ``marshal``, in an
  entry sealed and verified on read (``caches.read_entry``: a damaged or foreign entry
  is a miss, parsed again and written again; a cache directory others can write to is
  never read). Loading a kept tree takes about a third of parsing its text (with the
  collector paused, or off and the tree frozen after in a run that ends the process:
  ``gcpause.kept``), and so does writing it.

``parse_kept`` does the same for a package's files (in ``trees/files/``; ``tgo check``: after an edit, only the
edited file is parsed again; the session keeps the trees in memory, ``snapshot.py``). And
for an edited file, only the declarations the edit touched: each file's last tree written
is named by a sealed entry in ``trees/files/last/`` (keyed by the path, the parser's code
and the format), and a content not seen before is parsed as ``syntax/reparse.py`` parses
it, from that tree and the text it holds (``reparse``: the same tree as a whole parse, or
None and the whole file is parsed). The tree of a content parsed so is written only when the
edit changed a fair share of the file (``REWRITE``): after a small edit the next content is
parsed from the same last tree.

A kept tree is written as its skeleton and, apart, the function bodies the skeleton left
out (``syntax/skeleton.py``): ``parse_skeleton`` gives a package's file as its skeleton and
what puts the bodies back when they are wanted; an after-edit ``tgo check`` reads the
bodies of the files it did not edit only when it checks them (``check/snapshot.py``).

Only a file that parsed without an error is kept (a broken stub is parsed again each
time, and says so each time). The trees are shared: nothing may change a stub's tree.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
from collections.abc import Callable

from transpiler import caches
from transpiler.gcpause import kept
from transpiler.syntax import ast
from transpiler.syntax.flat import flatten, names, unflatten
from transpiler.syntax.parser import ParseResult, parse_source
from transpiler.syntax.skeleton import graft, split
from transpiler.syntax.source import SourceFile

FORMAT = 3
_CODE_DIRS = ("syntax",)  # the parser and the node classes decide a tree

_memory: dict[str, ParseResult] = {}


def dumps(result: ParseResult) -> bytes:
    """The text and tree of a parse without errors, as ``marshal`` writes them: the tree's
    skeleton flattened (``syntax/flat.py``, ``syntax/skeleton.py``), and the bodies it left
    out flattened apart, in bytes of their own (unread until they are wanted). Raises
    ``ValueError`` when the tree cannot be kept."""
    if result.tree is None:
        raise ValueError("cannot keep a file that did not parse")
    try:
        tree, where, bodies = split(result.tree)
        shape, values = flatten(tree)
        rest = marshal.dumps(flatten(bodies)) if bodies else b""
    except (AttributeError, TypeError) as e:
        raise ValueError(f"cannot keep the tree: {e}") from e
    return marshal.dumps((FORMAT, names(), result.source.text, shape, values, where, rest))


def loads(payload: bytes, path: str) -> ParseResult | None:
    """The parse that ``dumps`` wrote, named ``path``; None when the payload is not one."""
    got = _loads(payload, path)
    if got is None:
        return None
    result, rest = got
    if rest is not None and not rest():
        return None
    return result


def _loads(payload: bytes, path: str) -> tuple[ParseResult, Callable[[], bool] | None] | None:
    """The parse ``dumps`` wrote, its tree a skeleton, and what puts the bodies it left out back
    (None: none were; it says whether they fitted); None when the payload is not one."""
    try:
        with kept():
            fmt, classes, text, shape, values, where, rest = marshal.loads(payload)
            if fmt != FORMAT or not isinstance(text, str) or not isinstance(shape, bytes) \
                    or not isinstance(values, list) or not isinstance(classes, list) \
                    or not isinstance(where, list) or not isinstance(rest, bytes):
                return None
            tree = unflatten(shape, values, classes)
    except Exception:  # (a verified entry of another layout: a miss)
        return None
    if not isinstance(tree, ast.File):
        return None
    if not where:
        return ParseResult(SourceFile(path, text), tree, []), None
    skeleton: ast.File = tree

    def complete() -> bool:
        try:
            with kept():
                bshape, bvalues = marshal.loads(rest)
                bodies = unflatten(bshape, bvalues, classes)
                if not isinstance(bodies, list) or not all(isinstance(b, ast.BlockStmt) for b in bodies):
                    return False
                graft(skeleton, where, bodies)
        except Exception:  # (not what dumps wrote)
            return False
        return True

    return ParseResult(SourceFile(path, text), tree, []), complete


def key(path: str, data: bytes) -> str:
    """The cache key of a stub file's parse: its path, its bytes, the parser's code."""
    h = hashlib.sha256(f"{FORMAT}\0{caches.code_stamp(_CODE_DIRS)}\0{path}\0".encode())
    h.update(data)
    return h.hexdigest()[:40]


def _entry_path(k: str, kind: str) -> str:
    return os.path.join(caches.cache_root(), "trees", kind, k + ".tree")


def _last_path(path: str) -> str:
    """The entry naming the key of the last tree written for the package file ``path``."""
    h = hashlib.sha256(f"{FORMAT}\0{caches.code_stamp(_CODE_DIRS)}\0{path}".encode())
    return os.path.join(caches.cache_root(), "trees", "files", "last", h.hexdigest()[:40])


# An edit that changed less than this share of a file's text (1/REWRITE) is parsed from the
# last tree written for its path and its own tree is not written: the next content of the file
# (the next edit, or the same text when another file changed) is parsed from that tree again,
# which costs its loading, as loading its own tree would, and the parse of what differs from
# it; pickling the tree of every edited content cost more (net/http's largest file, 11k
# lines: 50 ms against a 4 ms parse of one function). An edit of more, or of many places
# across the file, is written, and parses from then on start from its tree.
REWRITE = 4


def _reparsed(last: str, path: str, data: bytes) -> tuple[ParseResult | None, bool]:
    """``data`` parsed from the last tree written for its path (``reparse``), or None; and
    whether the edit from that tree changed less than 1/``REWRITE`` of the text."""
    from transpiler.syntax.reparse import common_prefix, common_suffix, reparse

    k = caches.read_entry(last)
    if k is None or not k.isalnum():
        return None, False
    payload = caches.read_entry(_entry_path(k.decode("ascii"), "files"))
    old = loads(payload, path) if payload is not None else None
    if old is None:
        return None, False
    was = old.source.text
    result = reparse(old, data)
    if result is None:
        return None, False
    text = result.source.text
    same = common_prefix(was, text)
    same += common_suffix(was, text, min(len(was), len(text)) - same)
    return result, (len(text) - same) * REWRITE < len(text)


def parse_stub(path: str, data: bytes) -> ParseResult:
    """``parse_source(data, path)``, from the process's memory or the disk cache when this
    content was parsed before (see the module's docstring)."""
    return parse_kept(path, data, _memory, "stubs")


def parse_kept(path: str, data: bytes, memory: dict[str, ParseResult] | None = None, kind: str = "files") -> ParseResult:
    """``parse_source(data, path)``, from ``memory`` (when given) or the disk cache (the
    ``kind`` of file: ``stubs`` or ``files``) when this content was parsed before; kept in both."""
    k = key(path, data)
    kept = memory.get(k) if memory is not None else None
    if kept is not None:
        return kept
    entry = _entry_path(k, kind)
    payload = caches.read_entry(entry)
    result = loads(payload, path) if payload is not None else None
    if result is None:
        last = _last_path(path) if memory is None else None
        result, small = _reparsed(last, path, data) if last is not None else (None, False)
        if result is None:
            result = parse_source(data, path)
        if result.tree is None or result.diagnostics:
            return result
        if not small:  # (a small edit: parsed from the last tree again next time, REWRITE)
            with contextlib.suppress(OSError, ValueError):  # (else not kept on disk: parsed again next time)
                caches.write_entry(entry, dumps(result))
                if last is not None:
                    caches.write_entry(last, k.encode())
    if memory is not None:
        memory[k] = result
    return result


def parse_skeleton(path: str, data: bytes) -> tuple[ParseResult, Callable[[], bool] | None]:
    """``parse_kept(path, data)`` of a package's file, but when a tree of this content is kept,
    its skeleton (``syntax/skeleton.py``: the function bodies no other body's check reads left
    out) and what puts the rest back in place, once the caller finds it needs them (it says
    whether they fitted: when not, parse the file again); None: the tree is whole."""
    payload = caches.read_entry(_entry_path(key(path, data), "files"))
    got = _loads(payload, path) if payload is not None else None
    if got is not None:
        return got
    return parse_kept(path, data), None
