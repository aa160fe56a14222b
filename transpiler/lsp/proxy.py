"""What crosses between the client and gopls, per LSP method: positions and URIs mapped through the Go view, both ways.

A request on a ``.tgo`` document goes to gopls on its Go (``x_tgo.go``), its position
mapped through the file's source map; one on a ``.go`` document goes as it is. Every
position and URI in the answer comes back: in a Go-view file, to its ``.tgo`` file
through the map; elsewhere (real ``.go`` files, dependencies) as it is. Positions are
converted between the client's encoding and gopls's when they differ. A location that
does not map is dropped (an edit that does not map drops its completion item, and
refuses a rename), never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from transpiler.fs.read import read_file
from transpiler.lsp.backend import Encoding, GoRefusal
from transpiler.lsp.convert import offset_of, path_of, position_of, uri_of
from transpiler.lsp.goview import GoFile
from transpiler.syntax import ast, parse_source
from transpiler.syntax.source import SourceFile

Range = dict[str, Any]

# The first line of a Go file that starts a declaration other than an import.
_FIRST_DECL = re.compile(r"\n(?:func|type|var|const)\b")

# The requests the proxy forwards (all on a document but workspace/symbol).
METHODS = frozenset({
    "textDocument/completion", "textDocument/hover", "textDocument/signatureHelp",
    "textDocument/definition", "textDocument/typeDefinition", "textDocument/implementation",
    "textDocument/references", "textDocument/documentHighlight", "textDocument/rename",
    "textDocument/prepareRename", "textDocument/documentSymbol", "workspace/symbol",
    "textDocument/foldingRange",
})
_LOCATIONS = frozenset({"textDocument/definition", "textDocument/typeDefinition", "textDocument/implementation",
                        "textDocument/references"})
_RENAMES = frozenset({"textDocument/rename", "textDocument/prepareRename"})


def _on_tgo_only(gf: GoFile, off: int) -> bool:
    """Whether the cursor at ``off`` is on tgo-only syntax (the ``?`` of ``?T`` or ``f()?``, the
    ``!`` of ``x!``, an ``enum`` keyword): the character there has no Go counterpart and none of
    a name ends right before it (``u|!`` renames ``u``)."""
    text = gf.tgo.text
    if off >= len(text) or gf.map.to_go_span(off, off + 1) is not None:
        return False
    if not any(a <= off < b for a, b in gf.map.edited):
        return False
    return off == 0 or not (text[off - 1].isalnum() or text[off - 1] == "_")


def _import_head(go: str) -> str | None:
    """The start of a Go file up to its first declaration that is not an import (where its imports
    end), or None when there is none."""
    m = _FIRST_DECL.search(go)
    return go[: m.start() + 1] if m is not None else None


def _import_specs(head: str) -> list[str] | None:
    """The import specs (``"strings"``, ``name "path"``) of a file's head, or None when it does
    not parse."""
    result = parse_source(head.encode("utf-8", "surrogatepass"), "head.go")
    if result.tree is None:
        return None
    return [head[spec.pos : spec.end] for decl in result.tree.imports for spec in decl.specs
            if isinstance(spec, ast.ImportSpec)]


@dataclass(slots=True)
class Origin:
    """The document a request is on: its path, and its ``GoFile`` when it is a ``.tgo`` file."""

    path: str
    go_path: str  # the file gopls is asked about
    view: GoFile | None


@dataclass(slots=True)
class Proxy:
    """The mapping of requests and answers (see the module) over the backend's Go view."""

    files: dict[str, GoFile]  # .tgo path -> its Go in the view
    by_go: dict[str, GoFile]  # Go-view path -> the same
    go_docs: dict[str, SourceFile]  # open .go documents
    versions: dict[str, int]  # open documents' versions
    client: Encoding = "utf-16"
    gopls: Encoding = "utf-16"
    _texts: dict[str, SourceFile | None] = field(default_factory=dict)

    # ------------------------------------------------------------------ requests

    def params(self, method: str, params: dict[str, Any]) -> tuple[dict[str, Any], Origin | None] | None:
        """gopls's params for the client's, and the document they are on; None when the request
        cannot be put to gopls (its position has no Go counterpart). Raises ``GoRefusal`` for a
        rename in tgo-only syntax."""
        self._texts = {}
        doc = params.get("textDocument")
        if not isinstance(doc, dict):
            return (params, None) if method == "workspace/symbol" else None
        path = path_of(str(doc.get("uri", "")))
        if path is None:
            return None
        out = dict(params)
        if path.endswith(".tgo"):
            gf = self.files.get(path)
            if gf is None:
                return None
            origin = Origin(path, gf.go_path, gf)
            out["textDocument"] = {**doc, "uri": uri_of(gf.go_path)}
            if "position" in params:
                off = offset_of(gf.tgo, params["position"], self.client)
                if method in _RENAMES and _on_tgo_only(gf, off):
                    raise GoRefusal("cannot rename here: this is tgo-only syntax (it has no Go counterpart)")
                go = gf.map.to_go(off)
                if go is None:
                    return None
                out["position"] = position_of(gf.go, go, self.gopls)
            return out, origin
        origin = Origin(path, path, None)
        if "position" in params and self.client != self.gopls:
            src = self._text(path)
            if src is None:
                return None
            out["position"] = position_of(src, offset_of(src, params["position"], self.client), self.gopls)
        return out, origin

    # ------------------------------------------------------------------ answers

    def result(self, method: str, result: Any, origin: Origin | None) -> Any:
        """The client's answer for gopls's ``result`` (see the module)."""
        if result is None:
            return None
        if method == "textDocument/completion":
            return self._completion(result, origin)
        if method == "textDocument/hover":
            if isinstance(result, dict) and "range" in result:
                rng = self._origin_range(origin, result["range"])
                result = {k: v for k, v in result.items() if k != "range"} | ({"range": rng} if rng else {})
            return result
        if method in _LOCATIONS:
            return self._locations(result)
        if method == "textDocument/documentHighlight":
            return [h | {"range": r} for h in result if (r := self._origin_range(origin, h.get("range"))) is not None]
        if method == "textDocument/rename":
            return self._workspace_edit(result)
        if method == "textDocument/prepareRename":
            return self._prepare_rename(result, origin)
        if method == "textDocument/documentSymbol":
            return self._symbols(result, origin)
        if method == "workspace/symbol":
            return [s for s in (self._workspace_symbol(s) for s in result) if s is not None]
        if method == "textDocument/foldingRange":
            return [f for f in (self._folding(f, origin) for f in result) if f is not None]
        return result  # signatureHelp: no positions

    def diagnostics(self, params: dict[str, Any]) -> tuple[str, int | None, list[dict[str, Any]]] | None:
        """A ``publishDiagnostics`` of gopls as the client's: (path, version, diagnostics), or None
        when it is for an older Go text than the view's."""
        self._texts = {}
        path = path_of(str(params.get("uri", "")))
        if path is None:
            return None
        gf = self.by_go.get(path)
        version = params.get("version")
        if gf is not None and version is not None and version != gf.go_version:
            return None
        out: list[dict[str, Any]] = []
        for d in params.get("diagnostics") or []:
            if gf is not None and d.get("source") == "syntax":
                continue  # tgo's parser reports the .tgo file's syntax errors itself
            rng = self._range(path, d.get("range"))
            if rng is None:
                continue
            mapped = dict(d) | {"range": rng[1]}
            if d.get("relatedInformation"):
                related = [r | {"location": loc} for r in d["relatedInformation"]
                           if (loc := self._location(r.get("location"))) is not None]
                mapped["relatedInformation"] = related
            out.append(mapped)
        if gf is not None:
            return gf.tgo_path, self.versions.get(gf.tgo_path), out
        return path, version if isinstance(version, int) else self.versions.get(path), out

    # ------------------------------------------------------------------ pieces

    def _text(self, path: str) -> SourceFile | None:
        """The text of a file gopls names (an open document or the disk's), for the encodings."""
        if path in self.go_docs:
            return self.go_docs[path]
        if path not in self._texts:
            try:
                self._texts[path] = SourceFile(path, read_file(path).decode("utf-8", "surrogateescape"))
            except OSError:
                self._texts[path] = None
        return self._texts[path]

    def _range(self, path: str, rng: Any) -> tuple[str, Range] | None:
        """(client path, client range) of a range gopls gave in ``path``, or None."""
        if not isinstance(rng, dict) or "start" not in rng or "end" not in rng:
            return None
        gf = self.by_go.get(path)
        if gf is not None:
            start = gf.map.to_tgo(offset_of(gf.go, rng["start"], self.gopls))
            end = gf.map.to_tgo(offset_of(gf.go, rng["end"], self.gopls))
            if start is None or end is None or end < start:
                return None
            return gf.tgo_path, {"start": position_of(gf.tgo, start, self.client),
                                 "end": position_of(gf.tgo, end, self.client)}
        if self.client == self.gopls:
            return path, rng
        src = self._text(path)
        if src is None:
            return None
        return path, {"start": position_of(src, offset_of(src, rng["start"], self.gopls), self.client),
                      "end": position_of(src, offset_of(src, rng["end"], self.gopls), self.client)}

    def _origin_range(self, origin: Origin | None, rng: Any) -> Range | None:
        """A range in the request's own document, or None (also when it maps to another file)."""
        if origin is None:
            return None
        got = self._range(origin.go_path, rng)
        return got[1] if got is not None and got[0] == origin.path else None

    def _location(self, loc: Any) -> dict[str, Any] | None:
        if not isinstance(loc, dict):
            return None
        path = path_of(str(loc.get("uri", "")))
        if path is None:
            return loc  # not a file: nothing to map
        if "range" not in loc:  # a workspace symbol's location without a range
            gf = self.by_go.get(path)
            return loc | {"uri": uri_of(gf.tgo_path if gf is not None else path)}
        got = self._range(path, loc["range"])
        return None if got is None else loc | {"uri": uri_of(got[0]), "range": got[1]}

    def _locations(self, result: Any) -> Any:
        if isinstance(result, dict):
            return self._location(result)
        out: list[dict[str, Any]] = []
        for item in result:
            if "targetUri" in item:  # LocationLink
                path = path_of(str(item["targetUri"]))
                target = self._range(path, item.get("targetRange")) if path else None
                select = self._range(path, item.get("targetSelectionRange")) if path else None
                if target is None or select is None:
                    continue
                link = {k: v for k, v in item.items() if k != "originSelectionRange"}
                out.append(link | {"targetUri": uri_of(target[0]), "targetRange": target[1],
                                   "targetSelectionRange": select[1]})
            elif (loc := self._location(item)) is not None:
                out.append(loc)
        # locations gopls found, none of which maps (a declaration tgo generates): no answer, so
        # that the server may give its own
        return out if out or not result else None

    def _edits(self, path: str, edits: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]] | None:
        """The text edits gopls gave for ``path`` as the client's, or None when one does not map."""
        out: list[dict[str, Any]] = []
        target = path
        for e in edits:
            got = self._range(path, e.get("range"))
            if got is None:
                return None
            target = got[0]
            out.append(e | {"range": got[1]})
        return target, out

    def _completion(self, result: Any, origin: Origin | None) -> Any:
        if origin is None:
            return None
        items = result.get("items", []) if isinstance(result, dict) else result
        out: list[dict[str, Any]] = []
        for item in items:
            mapped = self._completion_item(item, origin)
            if mapped is not None:
                out.append(mapped)
        if isinstance(result, dict):
            defaults = result.get("itemDefaults")
            if isinstance(defaults, dict) and "editRange" in defaults:
                edit_range = self._edit_range(defaults["editRange"], origin)
                if edit_range is None:
                    return None
                result = result | {"itemDefaults": defaults | {"editRange": edit_range}}
            return result | {"items": out}
        return out

    def _edit_range(self, value: Any, origin: Origin) -> Any:
        """A completion's range (a ``Range`` or an ``{insert, replace}`` pair) mapped, or None."""
        if isinstance(value, dict) and "insert" in value:
            insert = self._origin_range(origin, value.get("insert"))
            replace = self._origin_range(origin, value.get("replace"))
            return None if insert is None or replace is None else {"insert": insert, "replace": replace}
        return self._origin_range(origin, value)

    def _completion_item(self, item: dict[str, Any], origin: Origin) -> dict[str, Any] | None:
        out = dict(item)
        edit = item.get("textEdit")
        if isinstance(edit, dict):
            if "insert" in edit:
                rng = self._edit_range(edit, origin)
                if rng is None:
                    return None
                out["textEdit"] = edit | rng
            else:
                r = self._origin_range(origin, edit.get("range"))
                if r is None:
                    return None
                out["textEdit"] = edit | {"range": r}
        extra = item.get("additionalTextEdits")
        if extra:
            got = self._edits(origin.go_path, extra)
            if got is not None and got[0] == origin.path:
                out["additionalTextEdits"] = got[1]
            elif origin.view is not None and (imports := self._import_edits(origin.view, extra)) is not None:
                out["additionalTextEdits"] = imports
            else:
                return None
        return out

    def _import_edits(self, gf: GoFile, edits: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
        """The ``.tgo`` edit adding the imports that ``edits`` (gopls's, in the Go view) add, when
        they do nothing else: they land in the imports the lowering added (an enum's "strconv"),
        which have no source, so the import is written where the source's imports are."""
        head = _import_head(gf.go.text)
        if head is None:
            return None
        spans: list[tuple[int, int, str]] = []
        for e in edits:
            rng = e.get("range")
            if not isinstance(rng, dict):
                return None
            start, end = offset_of(gf.go, rng["start"], self.gopls), offset_of(gf.go, rng["end"], self.gopls)
            if not start <= end <= len(head):
                return None
            spans.append((start, end, str(e.get("newText", ""))))
        after = head
        for start, end, text in sorted(spans, reverse=True):
            after = after[:start] + text + after[end:]
        old, new = _import_specs(head), _import_specs(after)
        if old is None or new is None or not set(old) <= set(new):
            return None
        added = [spec for spec in new if spec not in old]
        parsed = parse_source(gf.tgo.text.encode("utf-8", "surrogatepass"), gf.tgo_path)
        tree = parsed.tree or parsed.partial
        if not added or tree is None or tree.package is None:
            return None
        decls = tree.imports
        text = gf.tgo.text
        if decls and decls[-1].lparen >= 0:
            at = decls[-1].end - 1  # the closing parenthesis
            line_start = text.rfind("\n", 0, at) + 1
            if text[line_start:at].strip() == "":
                at, insert = line_start, "".join(f"\t{spec}\n" for spec in added)
            else:
                insert = "".join(f"; {spec}" for spec in added)
        elif decls:
            at, insert = decls[-1].end, "".join(f"\nimport {spec}" for spec in added)
        else:
            at, insert = tree.package.end, "\n" + "".join(f"\nimport {spec}" for spec in added)
        where = position_of(gf.tgo, at, self.client)
        return [{"range": {"start": where, "end": where}, "newText": insert}]

    def _workspace_edit(self, result: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {k: v for k, v in result.items() if k not in ("changes", "documentChanges")}
        refusal = GoRefusal("cannot rename: an edit would land in Go code that tgo generates (it has no tgo source)")
        if "changes" in result:
            changes: dict[str, list[dict[str, Any]]] = {}
            for uri, edits in result["changes"].items():
                path = path_of(uri)
                got = self._edits(path, edits) if path else (uri, edits)
                if got is None:
                    raise refusal
                changes.setdefault(uri_of(got[0]) if path else uri, []).extend(got[1])
            out["changes"] = changes
        if "documentChanges" in result:
            docs: list[dict[str, Any]] = []
            for change in result["documentChanges"]:
                if "textDocument" not in change:
                    docs.append(change)  # a file created, renamed or deleted: passed on
                    continue
                path = path_of(str(change["textDocument"].get("uri", "")))
                if path is None:
                    docs.append(change)
                    continue
                got = self._edits(path, change.get("edits", []))
                if got is None:
                    raise refusal
                version = self.versions.get(got[0]) if got[0] != path else change["textDocument"].get("version")
                docs.append(change | {"textDocument": {"uri": uri_of(got[0]), "version": version},
                                      "edits": got[1]})
            out["documentChanges"] = docs
        return out

    def _prepare_rename(self, result: Any, origin: Origin | None) -> Any:
        if not isinstance(result, dict):
            return None
        if "defaultBehavior" in result:
            return result
        if "range" in result:
            rng = self._origin_range(origin, result["range"])
            return None if rng is None else result | {"range": rng}
        return self._origin_range(origin, result)

    def _symbols(self, result: list[dict[str, Any]], origin: Origin | None) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for s in result:
            if "location" in s:  # SymbolInformation
                loc = self._location(s["location"])
                if loc is not None:
                    out.append(s | {"location": loc})
                continue
            select = self._origin_range(origin, s.get("selectionRange"))
            if select is None:
                continue  # a symbol of generated code (an enum's methods)
            full = self._origin_range(origin, s.get("range")) or select
            sym = s | {"range": full, "selectionRange": select}
            if s.get("children"):
                sym["children"] = self._symbols(s["children"], origin)
            out.append(sym)
        return out

    def _workspace_symbol(self, s: dict[str, Any]) -> dict[str, Any] | None:
        loc = self._location(s.get("location"))
        return None if loc is None else s | {"location": loc}

    def _folding(self, f: dict[str, Any], origin: Origin | None) -> dict[str, Any] | None:
        if origin is None:
            return None
        if origin.view is None and self.client == self.gopls:
            return f
        if "startCharacter" not in f or "endCharacter" not in f:
            return None if origin.view is not None else f
        rng = self._origin_range(origin, {"start": {"line": f["startLine"], "character": f["startCharacter"]},
                                          "end": {"line": f["endLine"], "character": f["endCharacter"]}})
        if rng is None:
            return None
        return f | {"startLine": rng["start"]["line"], "startCharacter": rng["start"]["character"],
                    "endLine": rng["end"]["line"], "endCharacter": rng["end"]["character"]}

