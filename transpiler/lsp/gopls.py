"""The gopls process behind the language server: finding it, starting and initializing it, restarting it when it dies.

One ``Gopls`` per workspace folder. It is found from the setting ``gopls.path``, then
``PATH``, then ``$(go env GOPATH)/bin``; spoken to as a JSON-RPC client (pygls) with raw
JSON values; initialized offering the client's position encoding first (gopls answers
which one it takes: ``encoding``). When the process dies it is started again after 1, 2,
4 … 30 s (``on_ready`` runs after each start, so the owner can send its documents again);
meanwhile requests answer None and ``status`` says why Go features are missing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from pygls.client import JsonRPCClient
from pygls.exceptions import JsonRpcException
from pygls.protocol import JsonRPCNotification, JsonRPCProtocol, JsonRPCRequestMessage, JsonRPCResponseMessage
from pygls.uris import from_fs_path

from transpiler.goexe import find_go
from transpiler.lsp.backend import Encoding

log = logging.getLogger("tgo.lsp.gopls")

GOPLS_VERSION = "v0.23.0"
INSTALL = f"install it with `go install golang.org/x/tools/gopls@{GOPLS_VERSION}`"
# The longest wait before a restart, and how long a gopls must have run for the wait to start
# over at one second.
MAX_BACKOFF = 30.0
STABLE_AFTER = 60.0
REQUEST_TIMEOUT = 30.0

NotificationSink = Callable[[str, dict[str, Any]], None]


def find_gopls(settings: Mapping[str, Any]) -> str | None:
    """The gopls to run: the ``path`` setting, else ``gopls`` on PATH, else in ``$(go env GOPATH)/bin``."""
    configured = settings.get("path")
    if isinstance(configured, str) and configured:
        return configured if os.access(configured, os.X_OK) else None
    found = shutil.which("gopls")
    if found:
        return found
    go = find_go()
    if go is None:
        return None
    try:
        gopath = subprocess.run([go, "env", "GOPATH"], capture_output=True, text=True, timeout=20,
                                check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    for entry in gopath.split(os.pathsep):
        candidate = os.path.join(entry, "bin", "gopls")
        if entry and os.access(candidate, os.X_OK):
            return candidate
    return None


def _raw(obj: dict[str, Any], cls: type[Any]) -> Any:
    return cls(**obj)


def _raw_converter() -> Any:
    """pygls's converter, leaving params and results as the JSON they came as."""
    from lsprotocol import converters

    converter = converters.get_converter()
    for cls in (JsonRPCRequestMessage, JsonRPCResponseMessage, JsonRPCNotification):
        converter.register_structure_hook(cls, _raw)
    return converter


class _Client(JsonRPCClient):
    """The JSON-RPC client of one gopls process, telling its owner when the process exits."""

    def __init__(self, on_exit: Callable[[int | None], None]) -> None:
        super().__init__(JsonRPCProtocol, _raw_converter)
        self._on_exit = on_exit

    async def server_exit(self, server: asyncio.subprocess.Process) -> None:
        self._on_exit(server.returncode)

    @property
    def process(self) -> asyncio.subprocess.Process | None:
        return self._server


# What gopls asks of its client, and the answers a proxy gives (it shows no UI of its own).
_CLIENT_REQUESTS: dict[str, Callable[[Any], Any]] = {
    "workspace/configuration": lambda params: [None for _ in params.get("items", [])],
    "window/workDoneProgress/create": lambda params: None,
    "client/registerCapability": lambda params: None,
    "client/unregisterCapability": lambda params: None,
    "window/showMessageRequest": lambda params: None,
    "window/showDocument": lambda params: {"success": False},
    "workspace/applyEdit": lambda params: {"applied": False, "failureReason": "not supported through tgo lsp"},
    "workspace/semanticTokens/refresh": lambda params: None,
    "workspace/codeLens/refresh": lambda params: None,
    "workspace/inlayHint/refresh": lambda params: None,
    "workspace/diagnostic/refresh": lambda params: None,
}
_IGNORED_NOTIFICATIONS = ("window/logMessage", "window/showMessage", "$/progress", "telemetry/event")


class Gopls:
    """One gopls process for a workspace folder (see the module)."""

    def __init__(self, on_notification: NotificationSink, on_ready: Callable[[], Awaitable[None]]) -> None:
        self._on_notification = on_notification
        self._on_ready = on_ready
        self._client: _Client | None = None
        self._exe: str | None = None
        self._root = ""
        self._prefer: Encoding = "utf-16"
        self.encoding: Encoding = "utf-16"
        self.capabilities: dict[str, Any] = {}
        self._ready = False
        self._stopping = False
        self._status: str | None = "gopls is starting"
        self._delay = 1.0
        self._started_at = 0.0
        self._restart: asyncio.Task[None] | None = None
        self.starts = 0  # how many times a gopls process was started (for tests and the log)

    @property
    def ready(self) -> bool:
        return self._ready

    @property
    def status(self) -> str | None:
        return self._status

    @property
    def pid(self) -> int | None:
        proc = self._client.process if self._client is not None else None
        return proc.pid if proc is not None else None

    async def start(self, root: str, prefer: Encoding, settings: Mapping[str, Any]) -> None:
        """Find gopls and start it for ``root``; never raises (``status`` says what went wrong)."""
        self._root, self._prefer = root, prefer
        self._exe = await asyncio.to_thread(find_gopls, settings)
        if self._exe is None:
            where = settings.get("path")
            self._status = (f"gopls not found at {where} (the gopls.path setting): {INSTALL}" if where else
                            f"gopls not found on PATH or in $(go env GOPATH)/bin: {INSTALL}; "
                            "Go completion, hover, references and rename are off")
            return
        await self._launch()

    async def _launch(self) -> None:
        assert self._exe is not None
        self._ready = False
        client = _Client(self._exited)
        for method, answer in _CLIENT_REQUESTS.items():
            client.feature(method)(answer)
        for method in _IGNORED_NOTIFICATIONS:
            client.feature(method)(lambda params: None)
        client.feature("textDocument/publishDiagnostics")(
            lambda params: self._on_notification("textDocument/publishDiagnostics", params))
        self._client = client
        self.starts += 1
        self._started_at = time.monotonic()
        try:
            await client.start_io(self._exe, "serve", cwd=self._root or None)
            root_uri = from_fs_path(self._root) if self._root else None
            encodings = [self._prefer, "utf-16" if self._prefer == "utf-8" else "utf-8"]
            result = await asyncio.wait_for(client.protocol.send_request_async("initialize", {
                "processId": os.getpid(),
                "clientInfo": {"name": "tgo lsp"},
                "rootUri": root_uri,
                "workspaceFolders": [{"uri": root_uri, "name": os.path.basename(self._root) or self._root}]
                if root_uri else None,
                "capabilities": _CAPABILITIES | {"general": {"positionEncodings": encodings}},
            }), REQUEST_TIMEOUT)
        except (OSError, RuntimeError, JsonRpcException, TimeoutError) as exc:
            self._status = f"gopls ({self._exe}) did not start: {exc}"
            await self._kill(client, 0.0)
            self._schedule_restart()
            return
        self.capabilities = dict(result.get("capabilities") or {}) if isinstance(result, dict) else {}
        self.encoding = "utf-8" if self.capabilities.get("positionEncoding") == "utf-8" else "utf-16"
        client.protocol.notify("initialized", {})
        self._ready = True
        self._status = None
        try:
            await self._on_ready()
        except Exception:  # the owner's resending must not stop gopls
            log.exception("re-sending the documents to gopls")

    def _exited(self, code: int | None) -> None:
        self._ready = False
        if self._stopping:
            return
        if time.monotonic() - self._started_at > STABLE_AFTER:
            self._delay = 1.0
        log.warning("gopls exited (status %s); restarting it in %g s", code, self._delay)
        # one sentence per cause (the server says it once), whatever the exit status and the wait
        self._status = ("gopls stopped unexpectedly and is restarting: Go completion, hover, references "
                        "and rename are back when it is up")
        self._schedule_restart()

    def _schedule_restart(self) -> None:
        if self._stopping or (self._restart is not None and not self._restart.done()):
            return
        delay = self._delay
        self._delay = min(self._delay * 2, MAX_BACKOFF)
        self._restart = asyncio.get_running_loop().create_task(self._restart_after(delay))

    async def _restart_after(self, delay: float) -> None:
        await asyncio.sleep(delay)
        if not self._stopping:
            await self._launch()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        """Send a notification (dropped while gopls is not running: documents are re-sent on start)."""
        if self._ready and self._client is not None:
            try:
                self._client.protocol.notify(method, params)
            except (OSError, RuntimeError):
                log.debug("gopls gone while sending %s", method)

    async def request(self, method: str, params: dict[str, Any]) -> Any:
        """gopls's answer to a request as JSON; None while gopls is not running or when it fails
        (``JsonRpcException`` passes through: the request's own error, such as a refused rename)."""
        if not self._ready or self._client is None:
            return None
        try:
            return await asyncio.wait_for(self._client.protocol.send_request_async(method, params),
                                          REQUEST_TIMEOUT)
        except JsonRpcException:
            raise
        except (OSError, RuntimeError, TimeoutError) as exc:
            log.debug("gopls %s failed: %s", method, exc)
            return None

    async def stop(self) -> None:
        self._stopping = True
        if self._restart is not None:
            self._restart.cancel()
        client = self._client
        if client is None:
            return
        if self._ready:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.protocol.send_request_async("shutdown", None), 5)
                client.protocol.notify("exit", None)
        self._ready = False
        await self._kill(client, 5.0)

    async def _kill(self, client: _Client, grace: float) -> None:
        """End ``client``'s process: after ``grace`` seconds for it to exit on its own, killed."""
        proc = client.process
        if proc is not None and proc.returncode is None:
            try:
                await asyncio.wait_for(proc.wait(), grace)
            except TimeoutError:
                proc.kill()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.stop(), 5)  # type: ignore[no-untyped-call]


_CAPABILITIES: dict[str, Any] = {
    "workspace": {"configuration": True, "workspaceFolders": True, "workspaceEdit": {"documentChanges": True}},
    "textDocument": {
        "synchronization": {"didSave": False},
        "completion": {"completionItem": {"snippetSupport": True, "insertReplaceSupport": True,
                                          "documentationFormat": ["markdown", "plaintext"]}},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "signatureHelp": {"signatureInformation": {"documentationFormat": ["markdown", "plaintext"]}},
        "definition": {"linkSupport": False},
        "typeDefinition": {"linkSupport": False},
        "implementation": {"linkSupport": False},
        "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
        "rename": {"prepareSupport": True},
        "foldingRange": {"lineFoldingOnly": False},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
    },
}
