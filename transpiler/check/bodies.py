"""Function bodies checked once: a body's diagnostics reused while its text and the package's signatures are unchanged.

What a function body's check reports depends on the body's own text and on what it can
see: the package's declarations (everything outside function bodies, in every file: the
``signature_digest``), the functions known never to return, the file's
strictness, and the stubs of its imports. A ``BodyMemo`` keeps, for each body, the
diagnostics its check gave (before suppression, as the checker collects them) under a
key of all that, so that after an edit inside one function only that function is checked
again (the language server's re-check as the user types: spec §10, issue 15's
incremental re-check). A reused body's diagnostics are moved by the distance its
declaration moved (lines, and character offsets of spans and fixes).

A memo keeps the check of each package-level ``var`` and ``const`` declaration the same
way (its initializers, their function literals, a misplaced ``?``); without ``deps`` its
text is part of every key, like a signature's, so a kept one is reused only while no
declaration outside a body changed.

A reused body records nothing in the checker's ``Info`` (no expression types, no
``?`` results, no exhaustive switches): a check with a memo gives diagnostics, never a
package to answer editor queries from. The lowering reads of a body's check only its
``?`` results and functions and its exhaustive switches: a body whose check recorded one
of those is marked (``lowers``), and a memo made with ``lowering`` (for a package lowered
after its check: ``tgo check``'s Go check) checks such bodies every time, so that its
package can be lowered. Bodies that cannot be moved exactly
are checked every time: those with syntax errors, and those whose diagnostics mention a
line or carry a fix that edits outside the declaration.

The command line keeps a memo between processes (``check/cache.py``'s bodies entry,
``export`` and ``restore``): its bodies are reused under the same key (the signature digest
and the functions that never return of the check that kept them), and the entry, like the
result cache's, holds while the stubs and module sources the checks read are unchanged.
Diagnostics restored so carry their text and JSON forms only (no span, fields or fixes), as
the result cache's do.

A memo made with ``deps`` (``tgo migrate``'s, which checks the package again after each
round of ``?`` added to its declarations) keys a body by less: instead of every
declaration of the package, the declarations the body reaches (``_Deps``): the
package-level declarations whose names occur in the body's text, the fields and methods
its check selected (the member lookups record them: ``checker.SELECTING``; a type's
member is one node, not every member so named), the whole of each struct type it writes a
literal or zero value of, then what the names in those declarations reach, and so on,
plus its own file's imports and the members the package's types declare; and, of the
imports that its text or those declarations name, the caller's key of what each names
(``contexts``: migrate's, the texts of that module package and of those it imports). A kept check of
a body is reused when what the body reaches now has the digest it had then. A round that
makes one function's parameter nullable then checks again only the bodies that name it
(or reach a declaration whose text names it). A body's names are its identifiers, a
declaration's the words of its text outside comments (a comment names nothing). Reaching by
names over-approximates what the checker resolves, but it is not a proof: such a memo is
for a caller that checks its final result again without the memo (migrate's proof check).
Such a memo also reuses the check of a body whose text differs from a kept one only in whole
lines holding a ``//tgo:ignore`` comment (what settling a migration adds; found by the
scanner, so never a string's text): the tokens are the same, and the ignore only filters
findings after the check; each finding is moved to its line, unless a line that differs is
inside its span or a fix's edit (its quoted text would differ), and the reuse counts as
unproven.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence

from transpiler.diagnostics import Diagnostic
from transpiler.diagnostics.fix import Fix, TextEdit
from transpiler.syntax import ast
from transpiler.syntax.scanner import Comment
from transpiler.syntax.source import SourceFile

_WORD = re.compile(r"[^\W\d]\w*")  # (an identifier, or a keyword: a name may only be over-counted)

# How many bodies a memo keeps before it forgets the oldest half (a long editing session).
_LIMIT = 20_000
# (with deps) the checks of one body kept, by what it reached: another attempt at a package
# goes back to texts of the one before
_VERSIONS = 4


class _Body:
    """One body's kept check (a plain class, not a dataclass: one is made at import, on the path
    of every check, with an interpreted __init__; never changed once made)."""

    __slots__ = ("anchored", "diagnostics", "ignores", "line", "lowers", "pos", "reach", "selected", "signatures",
                 "typed", "untyped")

    def __init__(self, pos: int, line: int, diagnostics: tuple[Diagnostic, ...], typed: int, untyped: int,
                 anchored: tuple[tuple[int, int, int, str, int], ...] = (), signatures: str = "",
                 selected: frozenset[tuple[str, str]] = frozenset(), reach: str = "", lowers: bool = False,
                 ignores: tuple[tuple[int, str], ...] = ()) -> None:
        self.pos = pos  # the declaration's offset when it was checked
        self.line = line  # and its line
        self.diagnostics = diagnostics
        self.typed = typed
        self.untyped = untyped
        # fix edits outside the body (a ? on a declaration it reached): (diagnostic, fix, edit
        # indexes, the digest of the declaration part they edit, their offset in it)
        self.anchored = anchored
        self.signatures = signatures  # (with deps) the package's signature_digest when it was checked
        # (with deps) the members its check selected ((type name, member): ``_Deps.selected``)
        # and the digest of what it reached when it was checked
        self.selected = selected
        self.reach = reach
        # its check recorded what the lowering reads (a ``?``'s results or function, an exhaustive
        # switch): a memo for a package that is lowered checks it again (``BodyMemo.lowering``)
        self.lowers = lowers
        # (with deps) the lines of its text holding only a ``//tgo:ignore`` comment: (offset from
        # the declaration, the line with its newline); ``BodyMemo.get`` reuses it for a text that
        # differs from its own only in such lines
        self.ignores = ignores


def signature_digest(files: list[tuple[str, str, ast.File]]) -> str:
    """A hash of the package's files (name, text, tree) with their function bodies left out."""
    h = hashlib.sha256()
    for name, text, tree in sorted(files, key=lambda f: f[0]):
        h.update(b"\0F" + name.encode() + b"\0")
        at = 0
        for decl in tree.decls:
            if isinstance(decl, ast.FuncDecl) and decl.body is not None:
                h.update(text[at : decl.body.pos].encode())
                at = decl.body.end
        h.update(text[at:].encode())
    return h.hexdigest()[:32]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class _Deps:
    """The declarations of a package outside its function bodies, and the digest of what a
    body reaches through the names in its text (the module's docstring).

    A declaration is a node: a function's signature, a ``var`` or ``const`` declaration, a
    non-struct type; a struct type is three: its shell (its name, type parameters and
    embedded fields: what a value of it is), each of its fields (what ``x.f`` sees), and
    the whole (shell and fields: what its zero value and literals see). A name in a body
    reaches the nodes declaring it (a struct type's shell); a type a body writes a literal
    or zero value of (``T{}``, ``new(T)``, ``var t T``) reaches its whole. A node reaches
    what the names in its own text reach (a struct's whole, the wholes of its fields'
    value types), transitively."""

    def __init__(self, files: list[tuple[str, str, ast.File]],
                 contexts: dict[str, dict[str, str]] | None = None) -> None:
        # file -> the names its imports are known by -> the key of what each names (the
        # caller's: a node or body naming one reaches it; "." a dot import, named by every one)
        self.contexts = contexts or {}
        self._seen: dict[str, str] = {}  # (the file's whose nodes are being made)
        self._comments: list[Comment] = []  # (and its comments)
        self.digests: list[str] = []
        said: list[tuple[frozenset[str], frozenset[str]]] = []  # per node: the names and members it mentions
        # a struct's whole -> its parts, and the names of its fields' value types
        extra: dict[int, tuple[list[int], list[str]]] = {}
        self.names: dict[str, list[int]] = {}  # name -> the nodes declaring it (types: their shell)
        self.members: dict[str, list[int]] = {}  # field or method name -> the nodes declaring it
        self.wholes: dict[str, list[int]] = {}  # struct type name -> its whole
        # (type name, member) -> the nodes declaring that field or method of that type
        self.typed: dict[tuple[str, str], list[int]] = {}
        self.type_names: set[str] = set()
        self.imports: dict[str, str] = {}  # file -> the digest of its package clause and imports
        # file -> its declaration parts (signatures, fields, types, variables): (pos, end, digest)
        self.spans: dict[str, list[tuple[int, int, str]]] = {}
        self.places: dict[tuple[str, str], list[int]] = {}  # (file, a part's digest) -> where such parts are

        def node(chunk: str, names: Iterable[str], members: Iterable[str] = (), declared: Iterable[str] = (),
                 declared_members: Iterable[str] = ()) -> int:
            i = len(self.digests)
            words = frozenset(names)
            seen = self._outside(self._seen, words)
            self.digests.append(_digest(chunk + "\0" + seen if seen else chunk))
            said.append((words, frozenset(members)))
            for name in declared:
                self.names.setdefault(name, []).append(i)
            for name in declared_members:
                self.members.setdefault(name, []).append(i)
            return i

        for name, text, tree in files:
            self._seen = self.contexts.get(name, {})
            self._comments = tree.comments
            self.imports[name] = _digest(tree.package.name + "\0" + "\0".join(
                text[d.pos:d.end] for d in tree.imports))
            self._parts(name, text, tree)
            for decl in tree.decls:
                if isinstance(decl, ast.FuncDecl):
                    chunk = text[decl.pos:decl.body.pos if decl.body is not None else decl.end]
                    own = [decl.name.name]
                    i = node(chunk, self._said(text, decl.pos, decl.pos + len(chunk)), (),
                             own if decl.recv is None else (),
                             own if decl.recv else ())
                    if decl.recv is not None and decl.recv.list:
                        self.typed.setdefault((_embedded_name(decl.recv.list[0].type), decl.name.name), []).append(i)
                elif isinstance(decl, ast.GenDecl) and decl.tok == "type":
                    for spec in decl.specs:
                        if isinstance(spec, ast.TypeSpec):
                            self._type(spec, text, node, extra)
                elif isinstance(decl, ast.GenDecl) and decl.tok != "import":
                    chunk = text[decl.pos:decl.end]
                    words = self._said(text, decl.pos, decl.end)
                    node(chunk, words, words, [n.name for sp in decl.specs if isinstance(sp, ast.ValueSpec)
                                               for n in sp.names])
        # the members of the package's types (a method or field added, removed or renamed
        # changes what a member lookup finds, or where: see ``selected``)
        self.shape = _digest(repr((sorted(self.type_names), sorted((k, len(v)) for k, v in self.typed.items()))))
        self.edges: list[list[int]] = []
        for i, (names, members) in enumerate(said):
            parts, deeper = extra.get(i, ([], []))
            self.edges.append(sorted(set(self.reach(names, members, deeper)) | set(parts)))
        self._closed: dict[int, str] = {}

    def _said(self, text: str, pos: int, end: int) -> list[str]:
        """The words of ``text[pos:end]`` outside the comments of its file (a comment names
        nothing a check resolves)."""
        comments = self._comments
        i = bisect.bisect_left(comments, pos, key=_comment_pos)
        out: list[str] = []
        while i < len(comments) and comments[i].pos < end:
            out += _WORD.findall(text, pos, comments[i].pos)
            pos = max(pos, comments[i].end)
            i += 1
        return out + _WORD.findall(text, pos, end) if pos < end else out

    @staticmethod
    def _outside(seen: dict[str, str], words: frozenset[str]) -> str:
        """The keys of the imports of ``seen`` that ``words`` name, joined."""
        return "\0".join(k for w, k in sorted(seen.items()) if w == "." or w in words)

    def _parts(self, name: str, text: str, tree: ast.File) -> None:
        """The parts of ``tree``'s declarations a body's fix can edit (a ``?`` on a parameter, a
        result, a field, a variable), by their text: where an edit kept with a body goes."""
        parts: list[tuple[int, int]] = []
        for decl in tree.decls:
            if isinstance(decl, ast.FuncDecl):
                parts.append((decl.pos, decl.body.pos if decl.body is not None else decl.end))
            elif isinstance(decl, ast.GenDecl) and decl.tok == "type":
                for spec in decl.specs:
                    if isinstance(spec, ast.TypeSpec) and isinstance(spec.type, ast.StructType):
                        parts += [(f.pos, f.end) for f in spec.type.fields.list]
                    else:
                        parts.append((spec.pos, spec.end))
            elif isinstance(decl, ast.GenDecl) and decl.tok != "import":
                parts.append((decl.pos, decl.end))
        spans = self.spans[name] = []
        for pos, end in parts:
            digest = _digest(text[pos:end])
            spans.append((pos, end, digest))
            self.places.setdefault((name, digest), []).append(pos)

    def anchor(self, file: str, start: int, end: int) -> tuple[str, int] | None:
        """The digest and offset of the one declaration part of ``file`` holding [start, end)
        (None when there is none, or its text is not unique in the file)."""
        for pos, stop, digest in self.spans.get(file, ()):
            if pos <= start and end <= stop:
                return (digest, pos) if len(self.places[(file, digest)]) == 1 else None
        return None

    def place(self, file: str, digest: str) -> int | None:
        """Where the one declaration part of ``file`` with the text of ``digest`` is now."""
        found = self.places.get((file, digest), [])
        return found[0] if len(found) == 1 else None

    def _type(self, spec: ast.TypeSpec, text: str, node: Callable[..., int],
              extra: dict[int, tuple[list[int], list[str]]]) -> None:
        name = spec.name.name
        st = spec.type
        self.type_names.add(name)
        if not isinstance(st, ast.StructType):
            chunk = text[spec.pos:spec.end]
            methods = [x.name for f in st.methods.list for x in f.names] if isinstance(st, ast.InterfaceType) else []
            # (a method of an implementation is reached where a body selects it on that type:
            # the checker reads an interface's own methods only)
            i = node(chunk, self._said(text, spec.pos, spec.end), (), [name], methods)
            for m in methods:
                self.typed.setdefault((name, m), []).append(i)
            return
        head = text[spec.pos:st.fields.pos]
        embedded = [text[f.pos:f.end] for f in st.fields.list if not f.names]
        said = self._said(text, spec.pos, st.fields.pos)
        for f in st.fields.list:
            said += self._said(text, f.pos, f.end) if not f.names else []
        shell = node("\0".join([head, *embedded]), said, (), [name])
        parts = [shell]
        deeper: list[str] = []  # the value types of its fields (their zero values are in its own)
        for f in st.fields.list:
            chunk = text[f.pos:f.end]
            fname = [x.name for x in f.names] or _WORD.findall(_embedded_name(f.type))
            part = node(name + "\0" + chunk, self._said(text, f.pos, f.end), (), (), fname)
            parts.append(part)
            for n in fname:
                self.typed.setdefault((name, n), []).append(part)
            if isinstance(f.type, (ast.Ident, ast.SelectorExpr, ast.IndexExpr, ast.StructType, ast.ArrayType)):
                deeper += _WORD.findall(text[f.type.pos:f.type.end])
        whole = node("", ())
        self.wholes.setdefault(name, []).append(whole)
        extra[whole] = (parts, deeper)

    def reach(self, names: Iterable[str], members: Iterable[str], whole: Iterable[str] = ()) -> list[int]:
        """The nodes that ``names`` (plain names), ``members`` (after a dot, or a literal's key:
        fields and methods) and ``whole`` (struct types of literals and zero values) reach."""
        out = [i for w in names for i in self.names.get(w, ())]
        out += [i for w in members for i in self.members.get(w, ())]
        return out + [i for w in whole for i in self.wholes.get(w, ())]

    def selected(self, pairs: Iterable[tuple[str, str]]) -> list[int]:
        """The nodes of the members a check selected, ``(type name, member)`` pairs the checker
        recorded (``checker.SELECTING``; ``""``: the type's shell, what a lookup in it reads
        besides the member found): that type's declaration of the member (or, a type declared
        as another, every member so named). A type not declared in the package (imported)
        reaches nothing: it does not change while the memo lives."""
        out: list[int] = []
        for type_name, member in pairs:
            if type_name not in self.type_names:
                continue
            out += self.names.get(type_name, ())
            if member:
                found = self.typed.get((type_name, member))
                out += found if found is not None else self.members.get(member, ())
        return out

    def reached(self, names: frozenset[str], members: frozenset[str], whole: frozenset[str],
                selected: Iterable[tuple[str, str]] = (), file: str = "") -> str:
        """The digest of the declarations reached from a body's names and the members its
        check selected (transitively), and of the imports of its ``file`` its names name."""
        direct = sorted(set(self.reach(names, members, whole)) | set(self.selected(selected)))
        seen = self._outside(self.contexts.get(file, {}), names)
        return _digest(",".join(self._closure(i) for i in direct) + ("\0" + seen if seen else ""))

    def _closure(self, start: int) -> str:
        kept = self._closed.get(start)
        if kept is not None:
            return kept
        seen = {start}
        todo = [start]
        while todo:
            for j in self.edges[todo.pop()]:
                if j not in seen:
                    seen.add(j)
                    todo.append(j)
        out = self._closed[start] = _digest(",".join(sorted(self.digests[j] for j in seen)))
        return out


def _body_names(decl: ast.FuncDecl | ast.GenDecl, text: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """What a function (or a package-level ``var`` or ``const``) declaration names: every
    identifier in it (not the words of its comments and strings, which the check resolves
    nothing by); the keys of its literals (fields: the members it selects are what its
    check recorded, ``BodyMemo.put``); the names in the types of its composite literals and
    zero values (``T{}``, ``new(T)``, ``make([]T, n)``, ``var t T``, a named result: what
    sees every field of a struct type)."""
    names: set[str] = set()
    members: set[str] = set()
    types: list[ast.Expr] = []
    if isinstance(decl, ast.FuncDecl) and decl.type.results is not None:
        types += [f.type for f in decl.type.results.list if f.names]
    for n in ast.walk(decl):
        if isinstance(n, ast.Ident):
            names.add(n.name)
        elif isinstance(n, ast.KeyValueExpr) and isinstance(n.key, ast.Ident):
            members.add(n.key.name)
        elif isinstance(n, ast.CompositeLit) and n.type is not None:
            types.append(n.type)
        elif isinstance(n, ast.CallExpr) and isinstance(n.fun, ast.Ident) and n.fun.name in ("new", "make") \
                and n.args:
            types.append(n.args[0])
        elif isinstance(n, ast.ValueSpec) and n.type is not None and not n.values:
            types.append(n.type)
    whole = frozenset(w for t in types for w in _WORD.findall(text[t.pos:t.end]))
    return frozenset(names), frozenset(members), whole


def _embedded_name(t: ast.Expr) -> str:
    """The field name of an embedded type (``T``, ``*T``, ``p.T``, ``T[X]``)."""
    while isinstance(t, (ast.StarExpr, ast.NullableType, ast.IndexExpr, ast.ParenExpr)):
        t = t.x
    if isinstance(t, ast.SelectorExpr):
        return t.sel.name
    return t.name if isinstance(t, ast.Ident) else ""


class BodyMemo:
    """Kept bodies of one package's files (see the module's docstring). ``context`` is the key
    of what every body can see; ``start_package`` sets it before each check. With ``deps``,
    a body's key is what it reaches by name instead (the module's docstring); ``fresh``
    holds offsets (file, offset) whose bodies are checked whatever is kept (so that a
    recording check records them)."""

    def __init__(self, deps: bool = False, lowering: bool = False) -> None:
        self.context = ""
        self.deps = deps
        self.lowering = lowering
        self._deps: _Deps | None = None
        # a body's text digest -> its names, and those in the types of its literals and zero values
        self._words: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]] = {}
        # (with deps) a body's text digest -> the digest of its text without its ignore lines, and
        # those lines (``_ignore_lines``); and the key without them -> the key last kept so
        self._bare_of: dict[str, tuple[str, tuple[tuple[int, str], ...]]] = {}
        self._bare: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.fresh: set[tuple[str, int]] = set()
        # a body's key -> what its checks gave (with deps: one per version of what it reached, newest last)
        self._kept: dict[tuple[str, ...], list[_Body]] = {}
        self._count = 0  # bodies kept
        self.reused = 0  # bodies reused in the last check
        # of which (with deps) kept from a check where a declaration outside the bodies differed:
        # what only the names said was safe to reuse (the module's docstring)
        self.unproven = 0
        self.signatures = ""
        # (with deps) set by the caller before a check: per file, the names of its imports whose
        # packages can change while the memo lives, each with the key of what it names (a body,
        # or a declaration it reaches, naming one is reused only under the same key), and the
        # key of what the package sees outside itself (a body reused across a change of it is
        # unproven)
        self.contexts: dict[str, dict[str, str]] = {}
        self.outside = ""
        self.checked = 0  # bodies checked in the last check
        self.unmovable = 0  # of which bodies whose diagnostics cannot be moved (not kept)

    def start(self, context: str) -> None:
        """Begin a check of the package in ``context``."""
        self.context = context
        self.reused = self.checked = self.unmovable = self.unproven = 0

    def start_package(self, files: list[tuple[str, str, ast.File]], stops: str) -> None:
        """Begin a check of the package of ``files`` (name, text, tree) whose functions that
        never return are ``stops``."""
        if self.deps:
            self._deps = _Deps(files, self.contexts)
            self.start(_digest("\0".join(sorted(f[0] for f in files))) + "|" + stops)
            self.signatures = signature_digest(files) + self.outside
        else:
            self.start(signature_digest(files) + "|" + stops)

    def key(self, source: SourceFile, decl: ast.FuncDecl | ast.GenDecl, strict: bool,
            comments: Sequence[Comment] = ()) -> tuple[str, ...]:
        """The key of ``decl``'s body (``comments``: its file's, sorted; with deps, a text that
        differs from a kept one only in lines holding an ignore comment reuses its check)."""
        text = source.text[decl.pos : decl.end]
        column = decl.pos - source.line_start(source.line_of(decl.pos))
        digest = _digest(text)
        key = (self.context, source.name, digest, str(column), "strict" if strict else "")
        if self._deps is None:
            return key
        if digest not in self._words:
            self._words[digest] = _body_names(decl, source.text)
            ignores = _ignore_lines(source.text, decl, comments)
            bare = text
            for at, line in reversed(ignores):
                bare = bare[:at] + bare[at + len(line):]
            self._bare_of[digest] = (_digest(bare) if ignores else digest, ignores)
        # (what it reached is compared in ``get``: the members its check selected are kept with it)
        return (*key, self._deps.imports.get(source.name, ""), self._deps.shape)

    def _reach(self, key: tuple[str, ...], selected: frozenset[tuple[str, str]]) -> str:
        """(With deps) the digest of what the body of ``key`` reaches now, selecting ``selected``."""
        if self._deps is None or len(key) < 6:
            return ""
        words = self._words.get(key[2])
        return self._deps.reached(*words, selected, key[1]) if words is not None else "?"

    def get(self, key: tuple[str, ...], source: SourceFile,
            decl: ast.FuncDecl | ast.GenDecl) -> tuple[list[Diagnostic], int, int] | None:
        """The kept diagnostics of the body, moved to where ``decl`` is now, and its counts
        (with deps: of a check that reached what the body reaches now)."""
        if any(f == source.name and decl.pos <= at < decl.end for f, at in self.fresh):
            return None
        versions = self._kept.get(key)
        realign: _Realign | None = None
        if not versions and self._deps is not None:
            # (a text that differs only in whole //tgo:ignore lines from one kept: the same
            # tokens, so the same check, its findings moved to where their lines are now)
            now = self._bare_of.get(key[2])
            before = self._bare.get((key[0], key[1], now[0], *key[3:])) if now is not None else None
            versions = self._kept.get(before) if before is not None and before != key else None
            if not versions or now is None:
                return None
            realign = _Realign(versions[-1].ignores, now[1])
        if not versions:
            return None
        kept: _Body | None = None
        for body in reversed(versions):
            if body.lowers and self.lowering:
                continue
            if body.reach == self._reach(key, body.selected):
                kept = body
                break
        if kept is None:
            return None
        placed: dict[tuple[int, int, int], int] = {}
        for i, j, k, digest, rel in kept.anchored:
            at = self._deps.place(kept.diagnostics[i].fixes[j].edits[k].file, digest) if self._deps else None
            if at is None:
                return None
            placed[(i, j, k)] = at + rel
        delta = decl.pos - kept.pos
        lines = source.line_of(decl.pos) - kept.line
        if realign is None:
            moved = [_moved(d, lines, delta, i, placed) for i, d in enumerate(kept.diagnostics)]
        else:
            found = [realign.moved(d, kept.pos, source, decl.pos, lines, i, placed)
                     for i, d in enumerate(kept.diagnostics)]
            if any(d is None for d in found):
                return None
            moved = [d for d in found if d is not None]
        self.reused += 1
        # (one realigned is counted unproven too: a proof check of the package's result covers it)
        if kept.signatures != self.signatures or realign is not None:
            self.unproven += 1
        return moved, kept.typed, kept.untyped

    def put(self, key: tuple[str, ...], source: SourceFile, decl: ast.FuncDecl | ast.GenDecl,
            diagnostics: list[Diagnostic], typed: int, untyped: int,
            selected: Iterable[tuple[str, str]] = (), lowers: bool = False) -> None:
        """Keep what checking ``decl``'s body gave, when it can be moved exactly; ``selected``
        (with deps): the members its check selected, ``(type name, member)``; ``lowers``: its
        check recorded what the lowering reads."""
        self.checked += 1
        anchored: list[tuple[int, int, int, str, int]] = []
        for i, d in enumerate(diagnostics):
            if d.file != source.name or any(k == "line" for k, _v in d.fields):
                self.unmovable += 1
                return
            for j, f in enumerate(d.fixes):
                for k, e in enumerate(f.edits):
                    if e.file == source.name and decl.pos <= e.start and e.end <= decl.end:
                        continue
                    # (with deps, an edit of a declaration part the body reaches: its key holds
                    # that part's text, so the part is where its text is when the body is reused)
                    found = self._deps.anchor(e.file, e.start, e.end) if self._deps is not None else None
                    if found is None:
                        self.unmovable += 1
                        return
                    anchored.append((i, j, k, found[0], e.start - found[1]))
        chosen = frozenset(selected) if self._deps is not None else frozenset()
        bare = self._bare_of.get(key[2])
        body = _Body(decl.pos, source.line_of(decl.pos), tuple(diagnostics), typed, untyped,
                     tuple(anchored), self.signatures, chosen, self._reach(key, chosen), lowers,
                     bare[1] if bare is not None else ())
        if self._count >= _LIMIT:
            for key_ in list(self._kept)[: len(self._kept) // 2]:
                self._count -= len(self._kept.pop(key_))
            self._words.clear()
            self._bare_of.clear()
            self._bare.clear()
        if bare is not None:
            self._bare[(key[0], key[1], bare[0], *key[3:])] = key
        versions = self._kept.setdefault(key, [])
        before = len(versions)
        versions[:] = [b for b in versions if (b.selected, b.reach) != (chosen, body.reach)]
        versions.append(body)
        if len(versions) > _VERSIONS:
            del versions[0]
        self._count += len(versions) - before

    # --- kept across processes (the command line's check: check/cache.py) -------------------

    def export(self) -> dict[str, object]:
        """The bodies kept in the current context (``start_package``'s), as JSON data for
        ``restore`` in a later process. Diagnostics keep their text and JSON forms only (as the
        result cache's do: no span, fields or fixes). Not for a memo with deps."""
        assert not self.deps
        files: dict[str, list[list[object]]] = {}
        for key, versions in self._kept.items():
            if key[0] == self.context and versions:
                b = versions[-1]
                files.setdefault(key[1], []).append(
                    [key[2], key[3], key[4], b.pos, b.line, b.typed, b.untyped, b.lowers,
                     [d.as_json() for d in b.diagnostics]])
        return {"context": self.context, "files": files}

    def restore(self, data: object) -> str:
        """Keep the bodies that ``export`` gave in another process (checked in the context they
        were: reused only in the same); that context. Raises ``KeyError``, ``TypeError`` or
        ``ValueError`` (keeping nothing) for data ``export`` does not give."""
        if not isinstance(data, dict) or not isinstance(data["files"], dict):
            raise TypeError("not a memo")
        context = str(data["context"])
        kept: dict[tuple[str, ...], list[_Body]] = {}
        for name, bodies in data["files"].items():
            for digest, column, strict, pos, line, typed, untyped, lowers, diags in bodies:
                if not all(isinstance(n, int) for n in (pos, line, typed, untyped)):
                    raise TypeError("not a body")
                body = _Body(pos, line, tuple(Diagnostic.from_json(d) for d in diags), typed, untyped,
                             lowers=bool(lowers))
                kept[(context, str(name), str(digest), str(column), str(strict))] = [body]
        self._kept.update(kept)
        self._count += len(kept)
        return context


_IGNORE = "//tgo:ignore"


def _comment_pos(c: Comment) -> int:
    return c.pos


def _ignore_lines(text: str, decl: ast.Node, comments: Sequence[Comment]) -> tuple[tuple[int, str], ...]:
    """The lines inside ``decl`` (in ``text``) that hold only a ``//tgo:ignore`` comment: one the
    scanner found (``comments``, sorted), so never the text of a string; (the line's offset
    from ``decl.pos``, the line with its newline). Removing such a line changes no token."""
    out: list[tuple[int, str]] = []
    i = bisect.bisect_left(comments, decl.pos, key=_comment_pos)
    while i < len(comments) and comments[i].pos < decl.end:
        c = comments[i]
        i += 1
        start = text.rfind("\n", 0, c.pos) + 1
        if c.text.startswith(_IGNORE) and decl.pos < start and not text[start:c.pos].strip(" \t") \
                and text.startswith("\n", c.end) and c.end < decl.end:
            out.append((start - decl.pos, text[start:c.end + 1]))
    return tuple(out)


class _Realign:
    """Offsets in a body's text moved to another text of the body that differs from it only in
    whole ignore lines (``_ignore_lines``: ``old`` its, ``new`` the other's)."""

    def __init__(self, old: tuple[tuple[int, str], ...], new: tuple[tuple[int, str], ...]) -> None:
        self.old = old
        self.new = self._bare(new)  # (where each line of the other is in the text without them, its length)
        # where the two differ, in the text without those lines: a finding whose span (or a fix
        # whose edit) holds one of these is not moved (its text, quoted in a message, differs)
        self.changed = {(b, line) for b, line in self._bare_lines(old)} ^ {(b, line) for b, line in self._bare_lines(new)}
        self.points = sorted(b for b, _line in self.changed)

    @staticmethod
    def _bare_lines(lines: tuple[tuple[int, str], ...]) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        removed = 0
        for at, line in lines:
            out.append((at - removed, line))
            removed += len(line)
        return out

    def _bare(self, lines: tuple[tuple[int, str], ...]) -> list[tuple[int, int]]:
        return [(b, len(line)) for b, line in self._bare_lines(lines)]

    def _to_bare(self, rel: int) -> tuple[int, int] | None:
        """``rel`` (from the declaration) in the text without the ignore lines, and how many lines
        were before it; None inside one."""
        removed = lines = 0
        for at, line in self.old:
            if at + len(line) <= rel:
                removed += len(line)
                lines += 1
            elif at < rel:
                return None
        return rel - removed, lines

    def _place(self, rel: int) -> tuple[int, int] | None:
        """``rel`` moved to the other text, and the lines it moved by."""
        found = self._to_bare(rel)
        if found is None:
            return None
        bare, before = found
        added = [n for b, n in self.new if b <= bare]
        return bare + sum(added), len(added) - before

    def _clear(self, start: int, end: int) -> bool:
        """No line differs inside [start, end] (offsets from the declaration, in the old text)."""
        a, b = self._to_bare(start), self._to_bare(end)
        if a is None or b is None:
            return False
        i = bisect.bisect_left(self.points, a[0])
        return i == len(self.points) or self.points[i] > b[0]

    def moved(self, d: Diagnostic, was: int, source: SourceFile, now: int, lines: int, i: int,
              placed: dict[tuple[int, int, int], int]) -> Diagnostic | None:
        """``d`` (the ``i``-th kept diagnostic of a declaration at ``was``) where it is in the
        other text (``source``), the declaration at ``now`` and ``lines`` lines further; None
        when it cannot be moved exactly."""
        if d.span is None or not self._clear(d.span[0] - was, d.span[1] - was):
            return None
        start, end = self._place(d.span[0] - was), self._place(d.span[1] - was)
        if start is None or end is None:
            return None
        # (an insertion at the start of the finding's line, where the lines differ: the start of
        # that line in the other text too, below its ignore lines: an ignore comment's fix)
        own = source.line_start(source.line_of(now + start[0]))
        fixes: list[Fix] = []
        for j, f in enumerate(d.fixes):
            edits: list[TextEdit] = []
            for k, e in enumerate(f.edits):
                at = placed.get((i, j, k))
                if at is not None:
                    edits.append(TextEdit(e.file, at, at + e.end - e.start, e.new_text))
                    continue
                a, b = self._place(e.start - was), self._place(e.end - was)
                if a is None or b is None or not (
                        self._clear(e.start - was, e.end - was) or (e.start == e.end and now + a[0] == own)):
                    return None
                edits.append(TextEdit(e.file, now + a[0], now + b[0], e.new_text))
            fixes.append(Fix(f.title, tuple(edits)))
        return dataclasses.replace(d, line=d.line + lines + start[1], end_line=d.end_line + lines + end[1],
                                   span=(now + start[0], now + end[0]), fixes=tuple(fixes))


def _moved(d: Diagnostic, lines: int, delta: int, i: int = 0,
           placed: dict[tuple[int, int, int], int] | None = None) -> Diagnostic:
    """``d`` (the ``i``-th kept diagnostic) moved by ``lines`` and ``delta``, its edits outside
    the body put where ``placed`` says."""
    if lines == 0 and delta == 0 and not placed:
        return d
    span = (d.span[0] + delta, d.span[1] + delta) if d.span is not None else None
    fixes = tuple(Fix(f.title, tuple(_moved_edit(e, delta, (placed or {}).get((i, j, k)))
                                     for k, e in enumerate(f.edits))) for j, f in enumerate(d.fixes))
    return dataclasses.replace(d, line=d.line + lines, end_line=d.end_line + lines, span=span, fixes=fixes)


def _moved_edit(e: TextEdit, delta: int, at: int | None) -> TextEdit:
    if at is None:
        return TextEdit(e.file, e.start + delta, e.end + delta, e.new_text)
    return TextEdit(e.file, at, at + e.end - e.start, e.new_text)
