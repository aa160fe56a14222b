"""``tgo lsp``: the language server (pygls) — documents, checks as the user types, diagnostics, quick fixes, and requests forwarded to the Go backend.

The server owns the open documents (pygls's workspace applies full and incremental
changes in the negotiated encoding: ``utf-8`` when the client offers it, else
``utf-16``), one ``Session`` of the library, and tgo's diagnostics. An edit sets the
document's text; after a short debounce the package of the document is checked in
the one worker thread (the session is used by that thread only), and the result is
published for every file of the package, each tagged with the version of the text
the check read. A check made obsolete by a newer edit of its package is never
published (a newer one is queued behind it), and a full check (recorded types, the Go
view) that a newer edit of its package made obsolete is given up in the worker, so that
the edit's diagnostics do not wait for it. Go's own diagnostics, which the backend
sends, are merged with tgo's for the same file, dropping Go's on a line where tgo
reports an error (as ``tgo check`` does).

Requests on positions go to the backend (``backend.py``) when it handles them; without
gopls, hover and definition come from the recorded information (``local.py``).
Formatting is always ``tgo fmt``. Quick fixes are the diagnostics' own fixes plus a coded
``//tgo:ignore`` where the code may be silenced. No handler lets an exception out: it
is logged (stderr or ``--log``) and the request answered with nothing.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import to_fs_path

from transpiler import __version__
from transpiler.check.result import CheckResult
from transpiler.check.snapshot import PackageCheck, Session, Snapshot
from transpiler.diagnostics import Diagnostic, Severity, codes
from transpiler.diagnostics.fix import Fix
from transpiler.lsp import convert, local
from transpiler.lsp.backend import Encoding, GoBackend, GoRefusal, NoGo
from transpiler.lsp.gopls_backend import GoplsBackend
from transpiler.syntax.source import SourceFile

log = logging.getLogger("tgo.lsp")

DEBOUNCE = 0.005  # seconds between the last edit of a package and its check (edits made while
# a check runs are taken together by the next one)
# seconds of no edit before the full check (recorded types, the Go view) follows the
# diagnostics-only one (check/bodies.py: only the edited bodies checked again)
FULL_DELAY = 0.25
# seconds gopls waits, at most, for the first diagnostics before it starts
GOPLS_START_WAIT = 2.0
SUFFIXES = (".tgo", ".go")
REQUEST_FAILED = -32803  # LSP's RequestFailed: a request refused with a message

T = TypeVar("T")

# The requests a backend may answer (issue 12, item 3), with the request's params type.
FORWARDED: dict[str, Any] = {
    types.TEXT_DOCUMENT_COMPLETION: types.CompletionParams,
    types.TEXT_DOCUMENT_HOVER: types.HoverParams,
    types.TEXT_DOCUMENT_SIGNATURE_HELP: types.SignatureHelpParams,
    types.TEXT_DOCUMENT_DEFINITION: types.DefinitionParams,
    types.TEXT_DOCUMENT_TYPE_DEFINITION: types.TypeDefinitionParams,
    types.TEXT_DOCUMENT_IMPLEMENTATION: types.ImplementationParams,
    types.TEXT_DOCUMENT_REFERENCES: types.ReferenceParams,
    types.TEXT_DOCUMENT_RENAME: types.RenameParams,
    types.TEXT_DOCUMENT_PREPARE_RENAME: types.PrepareRenameParams,
    types.TEXT_DOCUMENT_DOCUMENT_SYMBOL: types.DocumentSymbolParams,
    types.WORKSPACE_SYMBOL: types.WorkspaceSymbolParams,
    types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT: types.DocumentHighlightParams,
    types.TEXT_DOCUMENT_FOLDING_RANGE: types.FoldingRangeParams,
}
# Options registered with a feature (what the capability advertises).
OPTIONS: dict[str, Any] = {
    types.TEXT_DOCUMENT_COMPLETION: types.CompletionOptions(trigger_characters=["."]),
    types.TEXT_DOCUMENT_SIGNATURE_HELP: types.SignatureHelpOptions(trigger_characters=["(", ","]),
    types.TEXT_DOCUMENT_RENAME: types.RenameOptions(prepare_provider=True),
    types.TEXT_DOCUMENT_CODE_ACTION: types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
}


def make_backend(options: Mapping[str, Any]) -> GoBackend:
    """The Go backend for the client's ``initializationOptions`` (``{"gopls": {"enabled": bool,
    "path": str}}``)."""
    gopls = options.get("gopls")
    settings = gopls if isinstance(gopls, Mapping) else {}
    if settings.get("enabled") is False:
        return NoGo("tgo lsp: Go features (completion, references, rename, symbols) are off: "
                    "gopls is disabled by the setting gopls.enabled; tgo's diagnostics, hover, "
                    "definition, formatting and quick fixes work without it")
    return GoplsBackend()


class _Protocol(LanguageServerProtocol):
    """pygls's protocol, with tgo's choice of position encoding: ``utf-8`` when the client
    offers it, else ``utf-16`` (LSP's default), whatever order the client lists them in."""

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, types.InitializeResult]:
        general = params.capabilities.general
        if general is not None:
            offered = general.position_encodings or []
            utf8 = types.PositionEncodingKind.Utf8
            general.position_encodings = [utf8] if utf8 in offered else [types.PositionEncodingKind.Utf16]
        result: types.InitializeResult = yield from super().lsp_initialize(params)
        return result

    def structure_message(self, data: dict[str, Any]) -> Any:
        """pygls's reading of a message; a request it cannot read (parameters of the wrong shape)
        is answered with the error, instead of never (the client would wait for ever)."""
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data, dict) and "method" in data and isinstance(data.get("id"), (int, str)):
                self._send_response(data["id"], None, exc.to_response_error())
            raise


@dataclass(slots=True)
class _Package:
    """The checks of one package directory: the generation of its newest edit, the check
    waiting for the debounce, and the last check published (with the versions it read)."""

    generation: int = 0
    pending: asyncio.Task[None] | None = None
    full_wait: asyncio.Task[None] | None = None  # the full check waiting for FULL_DELAY
    full_done: bool = False  # a full check has been made (the first one does not wait)
    checked: PackageCheck | None = None
    versions: dict[str, int] = field(default_factory=dict)
    published: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Published:
    """What was last published for a file: tgo's part and Go's part, with their versions."""

    tgo_version: int | None = None
    tgo: list[convert.Json] = field(default_factory=list)
    error_lines: set[int] = field(default_factory=set)  # 0-based lines of tgo's errors
    go_version: int | None = None
    go: list[convert.Json] = field(default_factory=list)

    def merged(self, tgo_file: bool) -> tuple[int | None, list[convert.Json]]:
        """The version and diagnostics to publish: tgo's, and Go's when they are of the same text
        (in a .tgo file without those on a line where tgo reports an error: a consequence of it;
        in a .go file as given)."""
        merged = list(self.tgo)
        if self.go_version is None or self.tgo_version is None or self.go_version == self.tgo_version:
            merged.extend(d for d in self.go if not tgo_file or _start_line(d) not in self.error_lines)
        return (self.tgo_version if self.tgo_version is not None else self.go_version), merged


class TgoServer(LanguageServer):
    """The tgo language server (see the module's docstring)."""

    def __init__(self) -> None:
        super().__init__("tgo", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         protocol_cls=_Protocol)
        self.session = Session()
        self.worker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="tgo-check")
        self.backend: GoBackend = NoGo("tgo lsp: the Go backend has not started")
        self.packages: dict[str, _Package] = {}
        self.background: set[asyncio.Future[None]] = set()  # backend calls running on their own
        self.diagnostics: dict[str, _Published] = {}
        self.unsynced: dict[str, str | None] = {}  # path -> text (None: closed) not yet in the session
        self.said_status = False
        self.first_published = asyncio.Event()  # set by the first publication of diagnostics
        self.said_config: set[str] = set()
        self.root = os.getcwd()
        self.fixes: dict[str, list[tuple[convert.Json, Diagnostic]]] = {}  # path -> published tgo diagnostics
        self.sources: dict[str, SourceFile] = {}  # the text of each file as last checked

    # --- basics ----------------------------------------------------------------------

    @property
    def encoding(self) -> Encoding:
        return "utf-8" if self.workspace.position_encoding == types.PositionEncodingKind.Utf8 else "utf-16"

    def open_documents(self) -> dict[str, tuple[int, str]]:
        """path -> (version, text) of each open .tgo or .go document."""
        out: dict[str, tuple[int, str]] = {}
        for uri, doc in self.workspace.text_documents.items():
            path = _path(uri)
            if path is not None:
                out[path] = (doc.version or 0, doc.source)
        return out

    async def in_worker(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` in the worker thread, the only one that uses the session."""
        return await asyncio.get_running_loop().run_in_executor(self.worker, fn)

    async def start_backend(self, settings: Mapping[str, Any]) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.first_published.wait(), GOPLS_START_WAIT)
        await self.backend.start(self.root, self.encoding, settings)

    def say_status(self) -> None:
        """Say once why Go features are missing, when they are."""
        status = self.backend.status
        if status is not None and not self.said_status:
            self.said_status = True
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=status))

    # --- checks ----------------------------------------------------------------------

    async def document_event(self, uri: str, changes: list[dict[str, Any]] | None, closed: bool = False) -> None:
        """A document was opened (``changes`` None), changed or closed: tell the backend, and check
        its package after the debounce (a .go document's only when the package has .tgo files)."""
        path = _path(uri)
        if path is None:
            return
        # the text is taken now, before any await, so that texts reach the session in the order
        # of the edits
        text = None if closed else self.workspace.get_text_document(uri).source
        self.unsynced[path] = text
        if closed:
            await self._backend_call(self.backend.document_closed(path))
        else:
            version = self.workspace.get_text_document(uri).version or 0
            await self._backend_call(self.backend.document_changed(path, version, text or "", changes))
        directory = os.path.dirname(path)
        if path.endswith(".tgo") or self._has_tgo(directory):
            self.schedule(directory)

    def files_changed(self, paths: list[str]) -> None:
        """Files changed on disk (the client's file watcher): what depended on them is forgotten, and
        the packages they belong to are checked again (every package checked so far after a change
        of ``go.mod``, ``go.work``, ``tgo.toml`` or a stub)."""
        open_paths = self.open_documents()
        again: set[str] = set()
        for path in (os.path.abspath(p) for p in paths if p):
            if path in open_paths:
                continue  # the buffer is what counts
            self.unsynced[path] = None
            if path.endswith(SUFFIXES):
                again.add(os.path.dirname(path))
            else:
                again.update(self.packages)
        for directory in again & set(self.packages):
            self.schedule(directory)

    def _has_tgo(self, directory: str) -> bool:
        if any(p.endswith(".tgo") and os.path.dirname(p) == directory for p in self.open_documents()):
            return True
        try:
            return any(n.endswith(".tgo") for n in os.listdir(directory))
        except OSError:
            return False

    def schedule(self, directory: str) -> None:
        pkg = self.packages.setdefault(directory, _Package())
        pkg.generation += 1
        if pkg.pending is not None and not pkg.pending.done():
            pkg.pending.cancel()
        if pkg.full_wait is not None and not pkg.full_wait.done():
            pkg.full_wait.cancel()
        pkg.pending = asyncio.get_running_loop().create_task(self._check_later(directory, pkg.generation))

    async def _check_later(self, directory: str, generation: int) -> None:
        try:
            await asyncio.sleep(DEBOUNCE)
            await self.check(directory, generation)
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("checking %s", directory)

    async def _checked(self, directory: str, check: Callable[[Snapshot], T]) -> tuple[T, dict[str, int]] | None:
        """``check`` of a snapshot with the open documents' texts, in the worker, and the
        versions of the package's open documents it read; None when the package could not be
        checked (a bad ``tgo.toml`` is said in a message, once)."""
        from transpiler.check.result import CheckCancelled
        from transpiler.stubs.config import StubConfigError

        unsynced, self.unsynced = self.unsynced, {}
        docs = self.open_documents()
        versions = {p: v for p, (v, _text) in docs.items() if os.path.dirname(p) == directory}

        def run() -> T:
            for path, text in unsynced.items():
                self.session.did_change(path, text)
            return check(self.session.snapshot())

        try:
            return await self.in_worker(run), versions
        except CheckCancelled:
            pass
        except StubConfigError as exc:
            self._say_config(str(exc))
        except OSError as exc:
            log.warning("cannot check %s: %s", directory, exc)
        return None

    def _current(self, versions: Mapping[str, int]) -> bool:
        """Whether the open documents a check read are still at the versions it read."""
        return {p: v for p, (v, _text) in self.open_documents().items() if p in versions} == versions

    async def check(self, directory: str, generation: int | None = None) -> None:
        """Publish the diagnostics of the package in ``directory`` with the open documents' texts
        (a diagnostics-only check: the bodies an edit did not touch are not checked again),
        unless a newer edit made them obsolete (``generation`` given: the edit they are for);
        then the full check (``full_check``) follows, at once for a package that has none
        yet, else once no edit came for ``FULL_DELAY``."""
        pkg = self.packages.setdefault(directory, _Package())
        done = await self._checked(directory, lambda snapshot: snapshot.diagnose_package(directory))
        if done is None:
            return
        result, versions = done
        if (generation is not None and generation != pkg.generation) or not self._current(versions):
            return  # a newer edit: its check is queued behind this one
        self.publish_check(directory, pkg, result, versions)
        self.say_status()
        if not pkg.full_done:
            self._in_background(self.full_check(directory))
        else:
            pkg.full_wait = asyncio.get_running_loop().create_task(self._full_later(directory, pkg.generation))

    async def _full_later(self, directory: str, generation: int) -> None:
        pkg = self.packages.setdefault(directory, _Package())
        try:
            await asyncio.sleep(FULL_DELAY)
        except asyncio.CancelledError:
            return
        pkg.full_wait = None  # from here on, an edit cancels it in the worker (full_check)
        if generation == pkg.generation:
            await self.full_check(directory)

    async def full_check(self, directory: str) -> PackageCheck | None:
        """Check the package in ``directory`` with the open documents' texts, recording the
        types (hover, definition) and giving the backend its Go view; the check is kept for
        requests while the texts it read are the documents' texts. A check a newer edit made
        obsolete still goes to the backend (a package's first Go view comes from it). Once the
        package has had a full check, a newer edit of it gives this one up where it is (between
        files' parses, before each declaration's body), so that the edit's diagnostics do not wait
        for it: it runs again once the edits pause. None when it could not be checked (or was
        given up)."""
        pkg = self.packages.setdefault(directory, _Package())
        generation = pkg.generation
        cancel = (lambda: pkg.generation != generation) if pkg.full_done else None
        done = await self._checked(directory, lambda snapshot: snapshot.check_package(directory, cancel))
        if done is None:
            return None
        checked, versions = done
        pkg.full_done = True
        self._in_background(self.backend.package_checked(directory, checked, versions))
        if self._current(versions):
            pkg.checked, pkg.versions = checked, versions
        return checked

    def _say_config(self, message: str) -> None:
        log.warning("%s", message)
        if message not in self.said_config:
            self.said_config.add(message)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=f"tgo: {message}"))

    def publish_check(self, directory: str, pkg: _Package, result: CheckResult, versions: Mapping[str, int]) -> None:
        self.first_published.set()
        sources = result.sources
        self.sources.update(sources)
        by_file: dict[str, list[Diagnostic]] = {p: [] for p in sources if p in versions or p.endswith(".tgo")}
        for d in result.diagnostics:
            if d.file in by_file or d.file in versions:
                by_file.setdefault(d.file, []).append(d)
        for p in pkg.published - set(by_file):
            by_file[p] = []  # a file that left the package (closed, deleted): clear it
        for p, diags in by_file.items():
            source = sources.get(p)
            converted = [(convert.diagnostic(d, source, self.encoding), d) for d in diags]
            self.fixes[p] = converted
            pub = self.diagnostics.setdefault(p, _Published())
            pub.tgo_version = versions.get(p)
            pub.tgo = [c for c, _d in converted]
            pub.error_lines = {c["range"]["start"]["line"] for c, d in converted if d.severity is Severity.ERROR}
            self.publish(p)
        pkg.published = {p for p, diags in by_file.items() if diags or p in versions}

    def go_diagnostics(self, path: str, version: int | None, diagnostics: list[dict[str, Any]]) -> None:
        """The backend's Go diagnostics of a file (``backend.on_diagnostics``)."""
        pub = self.diagnostics.setdefault(path, _Published())
        pub.go_version, pub.go = version, list(diagnostics)
        self.publish(path)

    def publish(self, path: str) -> None:
        pub = self.diagnostics.get(path)
        if pub is None:
            return
        version, merged = pub.merged(path.endswith(".tgo"))
        converter = self.protocol._converter
        diagnostics: list[types.Diagnostic] = []
        for d in merged:
            try:
                diagnostics.append(converter.structure(d, types.Diagnostic))
            except Exception:
                log.exception("a diagnostic of %s that is not LSP's: %r", path, d)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=convert.uri_of(path), diagnostics=diagnostics, version=version))

    def _in_background(self, call: Awaitable[Any]) -> None:
        """Run a backend call as a task of its own: the check that made it may be cancelled by
        the next edit, the lowering for the Go view must not be (it is the view's only source
        while the text does not parse)."""
        task = asyncio.ensure_future(self._backend_call(call))
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def _backend_call(self, call: Awaitable[Any]) -> None:
        try:
            await call
        except Exception:
            log.exception("the Go backend failed")

    # --- requests --------------------------------------------------------------------

    async def package_of(self, path: str) -> PackageCheck | None:
        """The check of ``path``'s package with the open documents' current texts (the
        session's kept result when nothing changed)."""
        directory = os.path.dirname(path)
        pkg = self.packages.get(directory)
        docs = self.open_documents()
        if pkg is not None and pkg.checked is not None and path in pkg.versions and \
                all(docs.get(p, (None, ""))[0] == v for p, v in pkg.versions.items()) and not self.unsynced:
            return pkg.checked
        return await self.full_check(directory)

    async def forward(self, method: str, params: Any) -> Any:
        """The backend's answer to a request, as JSON (None when it does not handle it)."""
        if not self.backend.handles(method):
            return None
        try:
            return await self.backend.request(method, self.protocol._converter.unstructure(params))
        except GoRefusal as exc:
            raise JsonRpcException(message=str(exc), code=REQUEST_FAILED) from None


def _path(uri: str) -> str | None:
    """The path of a ``file:`` URI of a .tgo or .go document (None for anything else)."""
    path = convert.path_of(uri)
    if path is None or not path.endswith(SUFFIXES):
        return None
    return os.path.abspath(path)


def _start_line(d: Mapping[str, Any]) -> int | None:
    try:
        return int(d["range"]["start"]["line"])
    except (KeyError, TypeError, ValueError):
        return None


def _range_overlaps(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    def key(p: Mapping[str, Any]) -> tuple[int, int]:
        return int(p["line"]), int(p["character"])

    return key(a["start"]) <= key(b["end"]) and key(b["start"]) <= key(a["end"])


def _fixes(d: Diagnostic, source: SourceFile | None) -> list[Fix]:
    """The diagnostic's fixes, and a coded ``//tgo:ignore`` above its line where its code may be
    silenced (unless a fix adds one already)."""
    from transpiler.check.suppress import ignore_fix

    fixes = list(d.fixes)
    span = convert.diagnostic_span(d, source)
    if source is not None and span is not None and codes.silenceable(d.code) and d.code in codes.CODES:
        extra = ignore_fix(source, span[0], d.code)
        if all(f.title != extra.title for f in fixes):
            fixes.append(extra)
    return fixes


def create_server() -> TgoServer:
    """The server with its handlers."""
    server = TgoServer()

    def guarded(fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def run(ls: TgoServer, params: Any) -> Any:
            try:
                return await fn(ls, params)
            except JsonRpcException:
                raise
            except Exception:
                log.exception("handling %s", getattr(fn, "__name__", "a request"))
                return None

        run.__name__ = fn.__name__
        return run

    def feature(method: str) -> Callable[[Callable[..., Awaitable[Any]]], Any]:
        def register(fn: Callable[..., Awaitable[Any]]) -> Any:
            wrapped = guarded(fn)

            async def handler(params: Any) -> Any:
                return await wrapped(server, params)

            return server.feature(method, OPTIONS.get(method))(handler)

        return register

    @feature(types.INITIALIZE)
    async def initialize(ls: TgoServer, params: types.InitializeParams) -> None:
        options = params.initialization_options if isinstance(params.initialization_options, Mapping) else {}
        if params.root_uri and params.root_uri.startswith("file:"):
            ls.root = to_fs_path(params.root_uri) or ls.root
        elif params.root_path:
            ls.root = params.root_path
        ls.backend = make_backend(options)
        ls.backend.on_diagnostics = ls.go_diagnostics
        gopls = options.get("gopls")
        # gopls starts in the background once the first diagnostics are out (or after
        # GOPLS_START_WAIT): loading its packages on the second core would slow the first check;
        # the backend answers nothing until it is ready, and sends it the Go view then
        ls._in_background(ls.start_backend(gopls if isinstance(gopls, Mapping) else {}))

    @feature(types.INITIALIZED)
    async def initialized(ls: TgoServer, params: types.InitializedParams) -> None:
        ls.say_status()

    @feature(types.SHUTDOWN)
    async def shutdown(ls: TgoServer, params: Any) -> None:
        await ls._backend_call(ls.backend.stop())
        ls.worker.shutdown(wait=False, cancel_futures=True)

    @feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: TgoServer, params: types.DidOpenTextDocumentParams) -> None:
        await ls.document_event(params.text_document.uri, None)

    @feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: TgoServer, params: types.DidChangeTextDocumentParams) -> None:
        await ls.document_event(params.text_document.uri, ls.protocol._converter.unstructure(params.content_changes))

    @feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: TgoServer, params: types.DidCloseTextDocumentParams) -> None:
        await ls.document_event(params.text_document.uri, None, closed=True)

    @feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: TgoServer, params: types.DidSaveTextDocumentParams) -> None:
        return None

    @feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched(ls: TgoServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.files_changed([to_fs_path(c.uri) or "" for c in params.changes if c.uri.startswith("file:")])

    def forwarding(method: str) -> None:
        @feature(method)
        async def forward(ls: TgoServer, params: Any) -> Any:
            return await ls.forward(method, params)

        forward.__name__ = method

    for method in FORWARDED:
        if method not in (types.TEXT_DOCUMENT_HOVER, types.TEXT_DOCUMENT_DEFINITION):
            forwarding(method)

    async def local_answer(ls: TgoServer, method: str, params: Any,
                           answer: Callable[[PackageCheck, str, int, Encoding], Any]) -> Any:
        path = _path(params.text_document.uri)
        result = None
        if ls.backend.handles(method):
            result = await ls.forward(method, params)
            if path is None or not path.endswith(".tgo"):
                return result
            if result is not None and method != types.TEXT_DOCUMENT_HOVER:
                return result
        if path is None or not path.endswith(".tgo"):
            return None
        mine = await _local(ls, params, path, answer)
        if method == types.TEXT_DOCUMENT_HOVER:
            # a .tgo file's hover says the tgo type (?*User, where gopls sees the lowered
            # *User), with what gopls adds after its own first block (doc comment, links)
            return local.merge_hover(mine, result)
        return mine

    async def _local(ls: TgoServer, params: Any, path: str,
                     answer: Callable[[PackageCheck, str, int, Encoding], Any]) -> Any:
        check = await ls.package_of(path)
        if check is None:
            return None
        source = local.sources_of(check).get(path)
        if source is None:
            return None
        offset = convert.offset_of(source, ls.protocol._converter.unstructure(params.position), ls.encoding)
        return answer(check, path, offset, ls.encoding)

    @feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: TgoServer, params: types.HoverParams) -> Any:
        return await local_answer(ls, types.TEXT_DOCUMENT_HOVER, params, local.hover)

    @feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(ls: TgoServer, params: types.DefinitionParams) -> Any:
        return await local_answer(ls, types.TEXT_DOCUMENT_DEFINITION, params, local.definition)

    @feature(types.TEXT_DOCUMENT_FORMATTING)
    async def formatting(ls: TgoServer, params: types.DocumentFormattingParams) -> Any:
        from transpiler.goexe import ToolchainError

        path = _path(params.text_document.uri)
        if path is None:
            return None
        doc = ls.workspace.get_text_document(params.text_document.uri)
        text = doc.source
        source = SourceFile(path, text)
        try:
            return await asyncio.get_running_loop().run_in_executor(
                None, lambda: local.formatting(text, path, source, ls.encoding))
        except ToolchainError as exc:
            ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=f"tgo fmt: {exc}"))
            return None

    @feature(types.TEXT_DOCUMENT_CODE_ACTION)
    async def code_action(ls: TgoServer, params: types.CodeActionParams) -> Any:
        path = _path(params.text_document.uri)
        if path is None:
            return None
        if params.context.only and not any(k.startswith(types.CodeActionKind.QuickFix) or k == ""
                                           for k in params.context.only):
            return None
        check = await ls.package_of(path)
        if check is None:
            return None
        wanted = ls.protocol._converter.unstructure(params.range)
        sources = local.sources_of(check)
        actions: list[convert.Json] = []
        for lsp_diag, d in ls.fixes.get(path, []):
            if not _range_overlaps(lsp_diag["range"], wanted):
                continue
            for fix in _fixes(d, sources.get(path)):
                edit = convert.workspace_edit(fix, sources, ls.encoding)
                if edit is None:
                    continue
                actions.append({"title": fix.title, "kind": types.CodeActionKind.QuickFix,
                                "diagnostics": [lsp_diag], "edit": edit})
        return actions

    return server


def serve(log_file: str | None = None) -> None:
    """Run the server on stdin and stdout until the client says exit."""
    handler: logging.Handler = logging.FileHandler(log_file) if log_file else logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("tgo", "pygls"):  # not the root logger: Lark's table warnings are no news
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO if log_file else logging.WARNING)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but the protocol on the real stdout
    create_server().start_io(stdin, stdout)
