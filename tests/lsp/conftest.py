"""A real LSP client (pytest-lsp) against the real server (``python -m transpiler lsp``) in a subprocess."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest_lsp
from lspclient import SERVER
from pytest_lsp import LanguageClient


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    yield
    with contextlib.suppress(Exception):
        await asyncio.wait_for(lsp_client.shutdown_session(), 30)


