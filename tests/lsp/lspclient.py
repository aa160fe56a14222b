"""Helpers of the language server's tests: the client's configuration, a module on disk, document edits, waiting for diagnostics."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES

_CACHE = tempfile.mkdtemp(prefix="tgo-lsp-cache-")


def _client() -> LanguageClient:
    """pytest-lsp's client, also keeping every publication of diagnostics (with its version)."""
    from pygls.protocol import default_converter

    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]
    for method, func in DEFAULT_CLIENT_FEATURES.items():
        if method != types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            client.feature(method)(func)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(ls: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        ls.published.append(params)  # type: ignore[attr-defined]
        ls.diagnostics[params.uri] = params.diagnostics

    return client


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-P", "-m", "transpiler", "lsp"],
    server_env={**os.environ, "TGO_CACHE_DIR": _CACHE},
    client_factory=_client,
)


async def start(client: LanguageClient, root: Path, encodings: list[str] | None = None,
                gopls: bool = False) -> types.InitializeResult:
    """Initialize the session for the module in ``root`` (``encodings``: what the client offers)."""
    general = None if encodings is None else types.GeneralClientCapabilities(position_encodings=encodings)
    caps = types.ClientCapabilities(
        general=general,
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
        ),
        window=types.WindowClientCapabilities(),
    )
    return await client.initialize_session(types.InitializeParams(
        capabilities=caps, root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="m")],
        initialization_options={"gopls": {"enabled": gopls}}))


def module(root: Path, files: dict[str, str]) -> Path:
    """A Go module in ``root`` with ``files`` (name -> text)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


def open_doc(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id="tgo" if path.suffix == ".tgo" else "go", version=version,
        text=path.read_text() if text is None else text)))
    return uri


def change(client: LanguageClient, uri: str, version: int, text: str,
           rng: types.Range | None = None) -> None:
    """A full change (``rng`` None) or an incremental one."""
    event: Any = (types.TextDocumentContentChangeWholeDocument(text=text) if rng is None
                  else types.TextDocumentContentChangePartial(range=rng, text=text))
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=version), [event]))


async def diagnostics(client: LanguageClient, uri: str, version: int | None = None,
                      timeout: float = 60) -> types.PublishDiagnosticsParams:
    """The first publication for ``uri`` (of ``version`` when given) not yet returned."""
    seen: set[int] = getattr(client, "_seen", set())
    client._seen = seen  # type: ignore[attr-defined]
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        for i, p in enumerate(client.published):  # type: ignore[attr-defined]
            if i not in seen and p.uri == uri and (version is None or p.version == version):
                seen.add(i)
                return p
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"no diagnostics for {uri} version {version}: "
                                 f"{[(p.uri, p.version) for p in client.published]}")  # type: ignore[attr-defined]
        await asyncio.sleep(0.01)


def pos(text: str, needle: str, delta: int = 0, encoding: str = "utf-16") -> types.Position:
    """The LSP position of the first ``needle`` in ``text`` (plus ``delta`` characters)."""
    i = text.index(needle) + delta
    line = text.count("\n", 0, i)
    col = text[text.rfind("\n", 0, i) + 1:i]
    units = len(col.encode("utf-8")) if encoding == "utf-8" else len(col.encode("utf-16-le")) // 2
    return types.Position(line=line, character=units)


def latest(client: LanguageClient, uri: str) -> types.PublishDiagnosticsParams:
    """The last publication of diagnostics for ``uri``."""
    return [p for p in client.published if p.uri == uri][-1]  # type: ignore[attr-defined]
