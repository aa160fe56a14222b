"""The contract between the language server (``server.py``) and Go's own tooling behind it (gopls, ``gopls.py``).

The server owns the documents, the session and tgo's diagnostics; a ``GoBackend`` owns
everything gopls gives: it keeps an in-memory Go view of each package with open files
(the lowered Go of its ``.tgo`` files, never written to disk, and the ``.go`` buffers),
forwards requests to gopls with every position mapped through the source maps, and maps
what comes back. ``NoGo`` is the backend when gopls is disabled or missing: it answers
nothing and says why once.

All LSP values cross this contract as JSON (``dict``/``list``, as lsprotocol's converter
unstructures them), with positions in the client's encoding (``utf-8`` or ``utf-16``,
as negotiated at ``initialize``). A backend never raises out of a method except
``GoRefusal`` from ``request``; a location that does not map is dropped, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from transpiler.check.snapshot import PackageCheck

Encoding = Literal["utf-8", "utf-16"]

# (path, version of the document the diagnostics are for or None, LSP Diagnostic JSON list)
DiagnosticsSink = Callable[[str, int | None, list[dict[str, Any]]], None]


class GoRefusal(Exception):
    """A request the backend refuses with a message for the user (a rename at a position in
    tgo-only syntax): the server answers it with a JSON-RPC error carrying the message."""


class GoBackend(Protocol):
    """What the server asks of Go's tooling (see the module's docstring)."""

    # Set by the server before ``start``: where Go's own diagnostics of a file go (a .tgo
    # file's mapped to its positions; a .go file's as gopls gave them), replacing the
    # backend's previous ones for that file.
    on_diagnostics: DiagnosticsSink

    async def start(self, root: str, encoding: Encoding, settings: Mapping[str, Any]) -> None:
        """Start for the workspace folder ``root`` (``settings``: the client's
        ``initializationOptions`` under ``gopls``, e.g. ``{"enabled": false}`` or
        ``{"path": "/usr/bin/gopls"}``). Never raises: when it cannot start, ``status`` says why."""

    async def stop(self) -> None:
        """Shut down (gopls with it)."""

    @property
    def status(self) -> str | None:
        """None while Go features work; otherwise one sentence why they are missing and how to
        get them (gopls not installed, disabled by a setting, crashed and restarting)."""

    def handles(self, method: str) -> bool:
        """Whether ``request`` answers ``method`` (an LSP method name) now."""

    async def document_changed(self, path: str, version: int, text: str,
                               changes: list[dict[str, Any]] | None) -> None:
        """A ``.tgo`` or ``.go`` document was opened (``changes`` None) or edited
        (``changes``: the client's ``contentChanges``, already applied to give ``text``).
        Called before the server checks the package; lets the backend keep its Go view
        usable for completion while the new text does not lower (a syntax error)."""

    async def document_closed(self, path: str) -> None:
        """A document was closed (its disk contents count again)."""

    async def package_checked(self, directory: str, check: PackageCheck, versions: Mapping[str, int]) -> None:
        """The package in ``directory`` was checked with the open documents' texts
        (``versions``: path -> version of each open document it read): update the Go view
        from it (lower it; a package that does not lower keeps its previous view). Also called
        with a check a newer edit made obsolete (``versions`` older than the documents'): a
        package without a view yet takes it from that check, brought up to the texts."""

    async def request(self, method: str, params: dict[str, Any]) -> Any:
        """Answer an LSP request on a ``.tgo`` or ``.go`` document (or a workspace-wide one,
        such as ``workspace/symbol``): its result as JSON, mapped back to the client's files
        and encoding, or None. Raises ``GoRefusal`` to refuse with a message."""


class NoGo:
    """The backend without gopls: no Go features, and ``status`` says why."""

    def __init__(self, why: str) -> None:
        self._why = why
        self.on_diagnostics: DiagnosticsSink = lambda path, version, diagnostics: None

    async def start(self, root: str, encoding: Encoding, settings: Mapping[str, Any]) -> None:
        return None

    async def stop(self) -> None:
        return None

    @property
    def status(self) -> str | None:
        return self._why

    def handles(self, method: str) -> bool:
        return False

    async def document_changed(self, path: str, version: int, text: str,
                               changes: list[dict[str, Any]] | None) -> None:
        return None

    async def document_closed(self, path: str) -> None:
        return None

    async def package_checked(self, directory: str, check: PackageCheck, versions: Mapping[str, int]) -> None:
        return None

    async def request(self, method: str, params: dict[str, Any]) -> Any:
        return None
