"""The ``GoBackend`` on gopls: the Go view of the open packages kept in gopls as open documents, requests proxied through it.

Each package with open documents is lowered (``lower_checked_files(editor=True)``) and
its Go given to gopls as open documents named as ``tgo gen`` names them (never written
to disk: gopls takes an open document over the file on disk, or in place of a missing
one). The ``.go`` documents of the client go to gopls as they are, so they see the
``.tgo`` declarations of their package. Requests and Go's diagnostics are mapped by
``proxy.py``; the process (start, restart with backoff) is ``gopls.py``.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pygls.exceptions import JsonRpcException

from transpiler.lsp.backend import DiagnosticsSink, Encoding, GoRefusal
from transpiler.lsp.convert import offset_of, path_of, uri_of
from transpiler.lsp.gopls import Gopls
from transpiler.lsp.goview import GoFile
from transpiler.lsp.proxy import METHODS, Proxy
from transpiler.syntax.source import SourceFile

if TYPE_CHECKING:
    from transpiler.check.snapshot import PackageCheck
    from transpiler.lower.sourcemap import LoweredFile

log = logging.getLogger("tgo.lsp.gopls")

# The most changes of a document kept for replay onto a lowering that an edit overtook.
MAX_LOGGED_CHANGES = 10_000
# How long a request on a .tgo file waits for its package's first view (its lowering under way).
FIRST_VIEW_WAIT = 5.0


class GoplsBackend:
    """Go's tooling for the language server, on gopls (see the module)."""

    def __init__(self) -> None:
        self.on_diagnostics: DiagnosticsSink = lambda path, version, diagnostics: None
        self.files: dict[str, GoFile] = {}  # .tgo path -> its Go in the view
        self.by_go: dict[str, GoFile] = {}
        self.go_docs: dict[str, SourceFile] = {}  # open .go documents
        self.versions: dict[str, int] = {}  # open documents' versions
        self.proxy = Proxy(self.files, self.by_go, self.go_docs, self.versions)
        self.gopls = Gopls(self._notification, self._resend)
        self._opened: set[str] = set()  # the paths gopls has open
        self._retired: set[str] = set()  # Go-view paths closed (gopls may still publish for them)
        # gopls's last diagnostics of each Go-view file, mapped again when the map changes and the
        # Go does not (gopls publishes nothing new then)
        self._published: dict[str, dict[str, Any]] = {}
        self._go_versions: dict[str, int] = {}  # versions of the .go documents as gopls has them
        self._disabled: str | None = None
        # per open .tgo document: its text, and its changes (version, contentChanges) since the
        # version its view was lowered from, replayed on a lowering that an edit overtook
        self._texts: dict[str, str] = {}
        self._changes: dict[str, list[tuple[int, list[dict[str, Any]]]]] = {}
        self._lowered_at: dict[str, int] = {}  # the document version each view was lowered from
        self._dropped: dict[str, int] = {}  # the last version whose changes were dropped from the log
        # the packages whose first view is being made (by directory): a request on one of their
        # files waits for it (at most FIRST_VIEW_WAIT), as it would wait for gopls to load them
        self._lowering: dict[str, asyncio.Event] = {}

    async def start(self, root: str, encoding: Encoding, settings: Mapping[str, Any]) -> None:
        self.proxy.client = encoding
        if settings.get("enabled") is False:
            self._disabled = ("Go completion, hover, references and rename are off: "
                              "gopls is disabled by the setting gopls.enabled")
            return
        await self.gopls.start(root, encoding, settings)

    async def stop(self) -> None:
        await self.gopls.stop()

    @property
    def status(self) -> str | None:
        return self._disabled or self.gopls.status

    def handles(self, method: str) -> bool:
        return self._disabled is None and self.gopls.ready and method in METHODS

    # ------------------------------------------------------------------ documents

    async def document_changed(self, path: str, version: int, text: str,
                               changes: list[dict[str, Any]] | None) -> None:
        self.versions[path] = version
        if path.endswith(".go"):
            if path in self.by_go:
                return  # the Go view of a .tgo file (tgo gen's output opened): the view is what gopls sees
            self.go_docs[path] = SourceFile(path, text)
            self._go_versions[path] = version
            self._send(path, text, version)
            return
        self._texts[path] = text
        log_ = self._changes.setdefault(path, [])
        log_.append((version, changes or [{"text": text}]))
        if len(log_) > MAX_LOGGED_CHANGES:
            # a lowering from before the changes dropped is then only given the text's difference
            self._dropped[path] = log_[len(log_) // 2 - 1][0]
            del log_[: len(log_) // 2]
        gf = self.files.get(path)
        if gf is None:  # no view yet: the check of the package will make it
            self._lowering.setdefault(os.path.dirname(path), asyncio.Event())
            return
        go_changed = self._apply(gf, changes or [], text)
        if go_changed:
            gf.go_version += 1
            self._send(gf.go_path, gf.go.text, gf.go_version)
        else:
            self._republish(gf.go_path)

    def _apply(self, gf: GoFile, changes: list[dict[str, Any]], text: str) -> bool:
        """Apply the client's ``changes`` to the view, then make sure it has ``text``; whether the
        Go changed."""
        go_changed = False
        try:
            for change in changes:
                new = str(change.get("text", ""))
                rng = change.get("range")
                if isinstance(rng, dict):
                    start = offset_of(gf.tgo, rng["start"], self.proxy.client)
                    end = offset_of(gf.tgo, rng["end"], self.proxy.client)
                    go_changed |= gf.edit(start, max(start, end), new)
                else:
                    go_changed |= _replace(gf, new)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a malformed change
            log.debug("%s: change not applied to the Go view: %s", gf.tgo_path, exc)
        if gf.tgo.text != text:  # opened again, or the changes did not give the text
            go_changed |= _replace(gf, text)
        return go_changed

    async def document_closed(self, path: str) -> None:
        self.versions.pop(path, None)
        for state in (self._texts, self._changes, self._lowered_at, self._dropped):
            state.pop(path, None)
        if path.endswith(".go") and path not in self.by_go:
            self.go_docs.pop(path, None)
            self._go_versions.pop(path, None)
            self._close(path, view=False)
        directory = os.path.dirname(path)
        if any(os.path.dirname(p) == directory for p in self.versions):
            return  # the package is still open: its view stays until the next check
        for tgo_path in [p for p in self.files if os.path.dirname(p) == directory]:
            gf = self.files.pop(tgo_path)
            self.by_go.pop(gf.go_path, None)
            self._close(gf.go_path)

    async def package_checked(self, directory: str, check: PackageCheck, versions: Mapping[str, int]) -> None:
        try:
            await self._view_from(directory, check, versions)
        finally:  # the requests waiting for the package's first view go on, with or without it
            waiting = self._lowering.pop(os.path.abspath(directory), None)
            if waiting is not None:
                waiting.set()

    async def _view_from(self, directory: str, check: PackageCheck, versions: Mapping[str, int]) -> None:
        if check.checker is None:
            return
        tgo = [fi for fi in check.infos if fi.is_tgo]
        if not tgo or any(fi.result.tree is None for fi in tgo):
            return  # a syntax error: the view stays as it was (edits still reach it)
        try:
            lowered = await asyncio.to_thread(_lower, check)
        except Exception as exc:  # a package that does not lower keeps its previous view
            log.debug("lowering %s for gopls: %s", directory, exc)
            return
        names = {os.path.abspath(p) for p in lowered}
        for tgo_path in [p for p in self.files if os.path.dirname(p) == os.path.abspath(directory)]:
            if tgo_path not in names:  # a file gone from the package
                gf = self.files.pop(tgo_path)
                self.by_go.pop(gf.go_path, None)
                self._close(gf.go_path)
        for path, lf in lowered.items():
            self._install(os.path.abspath(path), lf, versions.get(path, versions.get(os.path.abspath(path))))

    def _install(self, path: str, lf: LoweredFile, version: int | None) -> None:
        """Make ``lf`` (lowered from ``version`` of the document, None: from the disk) the view of
        ``path``, brought up to the document's text by the changes made since (edits typed while
        it was checked and lowered)."""
        if version is not None and version < self._lowered_at.get(path, version):
            return  # a newer lowering is in place
        gf = GoFile.from_lowered(lf)
        gf.tgo_path, gf.go_path = path, os.path.abspath(gf.go_path)
        if path in self._texts:
            later: list[dict[str, Any]] = []
            if version is not None and version >= self._dropped.get(path, version):
                later = [c for v, changes in self._changes.get(path, []) if v > version for c in changes]
            self._apply(gf, later, self._texts[path])
        if version is not None:
            self._lowered_at[path] = version
            self._changes[path] = [(v, c) for v, c in self._changes.get(path, []) if v > version]
        old = self.files.get(path)
        if old is not None and old.go.text == gf.go.text:
            gf.go_version = old.go_version
        else:
            gf.go_version = (old.go_version if old is not None else 0) + 1
        self.files[path] = gf
        self.by_go[gf.go_path] = gf
        self._retired.discard(gf.go_path)
        if old is None or old.go_version != gf.go_version or gf.go_path not in self._opened:
            self._send(gf.go_path, gf.go.text, gf.go_version)
        else:
            self._republish(gf.go_path)

    def _send(self, path: str, text: str, version: int) -> None:
        uri = uri_of(path)
        if path in self._opened:
            self.gopls.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                         "contentChanges": [{"text": text}]})
            return
        if not self.gopls.ready:
            return  # sent when gopls (re)starts
        self._opened.add(path)
        self.gopls.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "go",
                                                                    "version": version, "text": text}})

    def _close(self, path: str, view: bool = True) -> None:
        if view:
            self._retired.add(path)
            self._published.pop(path, None)
        if path in self._opened:
            self._opened.discard(path)
            self.gopls.notify("textDocument/didClose", {"textDocument": {"uri": uri_of(path)}})

    async def _resend(self) -> None:
        """gopls (re)started: give it the view and the .go documents."""
        self.proxy.gopls = self.gopls.encoding
        self._opened.clear()
        for gf in list(self.files.values()):
            self._send(gf.go_path, gf.go.text, gf.go_version)
        for path, src in list(self.go_docs.items()):
            self._send(path, src.text, self._go_versions.get(path, 0))

    # ------------------------------------------------------------------ requests

    async def request(self, method: str, params: dict[str, Any]) -> Any:
        if not self.handles(method):
            return None
        try:
            path = path_of(str(params["textDocument"]["uri"])) if "textDocument" in params else None
        except (KeyError, TypeError):
            path = None
        if path and path not in self.files:
            await self._first_view(os.path.dirname(path))
        try:
            mapped = self.proxy.params(method, params)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:  # malformed params
            log.debug("%s: %s", method, exc)
            return None
        if mapped is None:
            return None
        gopls_params, origin = mapped
        try:
            result = await self.gopls.request(method, gopls_params)
        except JsonRpcException as exc:
            if method in ("textDocument/rename", "textDocument/prepareRename"):
                raise GoRefusal(str(getattr(exc, "message", None) or exc)) from None
            return None
        try:
            return self.proxy.result(method, result, origin)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:  # an answer not as LSP says
            log.warning("gopls's answer to %s not understood: %s", method, exc)
            return None

    async def _first_view(self, directory: str) -> None:
        """Wait (at most ``FIRST_VIEW_WAIT``) for the first view of the package in ``directory``
        when it is being checked and lowered."""
        lowering = self._lowering.get(directory)
        if lowering is None:
            return
        try:
            await asyncio.wait_for(lowering.wait(), FIRST_VIEW_WAIT)
        except TimeoutError:  # no check came (the package could not be read): wait no more
            if self._lowering.get(directory) is lowering:
                del self._lowering[directory]

    def _notification(self, method: str, params: dict[str, Any]) -> None:
        if method != "textDocument/publishDiagnostics":
            return
        path = path_of(str(params.get("uri", "")))
        if path in self._retired:
            return  # a Go view no longer open: its .tgo file's diagnostics are not gopls's to clear
        if path in self.by_go:
            self._published[path] = params
        elif path is not None and not self._sees_tgo(os.path.dirname(path)):
            return  # a .go file of a package whose .tgo declarations gopls does not have yet
        got = self.proxy.diagnostics(params)
        if got is not None:
            self.on_diagnostics(*got)

    def _sees_tgo(self, directory: str) -> bool:
        """Whether gopls has the package in ``directory`` whole: it has no .tgo file, or their Go
        view is open (else its .go files' uses of .tgo declarations would be ``undefined``)."""
        if any(os.path.dirname(p) == directory for p in self.files):
            return True
        try:
            return not any(name.endswith(".tgo") for name in os.listdir(directory))
        except OSError:
            return True

    def _republish(self, go_path: str) -> None:
        """Map gopls's last diagnostics of a Go-view file again (its map changed, its Go did not)."""
        params = self._published.get(go_path)
        if params is not None:
            got = self.proxy.diagnostics(params)
            if got is not None:
                self.on_diagnostics(*got)


def _replace(gf: GoFile, text: str) -> bool:
    """Make ``text`` the ``.tgo`` text of ``gf`` by one edit, of the part that changed (the text
    before and after it kept, so that a client sending whole texts keeps its map)."""
    old = gf.tgo.text
    limit = min(len(old), len(text))
    start = 0
    while start < limit and old[start] == text[start]:
        start += 1
    end = 0
    while end < limit - start and old[len(old) - 1 - end] == text[len(text) - 1 - end]:
        end += 1
    return gf.edit(start, len(old) - end, text[start : len(text) - end])


def _lower(check: PackageCheck) -> dict[str, LoweredFile]:
    """The editor's lowering of a checked package, each file's source map built."""
    from transpiler.lower.lowering import lower_checked_files

    assert check.checker is not None
    out = lower_checked_files(check.checker, check.infos, editor=True)
    for lf in out.values():
        _ = lf.source_map  # built here, in the worker thread
    return out
