"""The server never dies and never hangs: malformed messages, unknown methods, hostile documents, files outside the workspace or not on disk, a bad tgo.toml."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lspclient import SERVER, change, diagnostics, module, open_doc, pos, start
from lsprotocol import types
from pygls.exceptions import JsonRpcMethodNotFound
from pytest_lsp import LanguageClient

SRC = "package m\n\nfunc f(p ?*int) int {\n\treturn *p\n}\n"


async def _answers(client: LanguageClient, uri: str, text: str) -> None:
    """The server still answers a request."""
    h = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), pos(text, "p ?")))
    assert h is not None and "?*int" in str(h.contents)


@pytest.mark.asyncio
async def test_unknown_method(client: LanguageClient, tmp_path: Path) -> None:
    root = module(tmp_path, {"f.tgo": SRC})
    await start(client, root)
    with pytest.raises(JsonRpcMethodNotFound):
        await client.protocol.send_request_async("tgo/noSuchMethod", {"x": 1})
    client.protocol.notify("tgo/noSuchNotification", {})
    uri = open_doc(client, root / "f.tgo")
    assert [d.code for d in (await diagnostics(client, uri, 1)).diagnostics] == ["nil-deref"]
    await _answers(client, uri, SRC)


@pytest.mark.asyncio
async def test_hostile_documents(client: LanguageClient, tmp_path: Path) -> None:
    root = module(tmp_path, {"f.tgo": SRC})
    await start(client, root)
    nul = root / "nul.tgo"
    uri = open_doc(client, nul, "package m\n\nvar a = 1\x00\x00\nfunc g() {}\n")
    got = await diagnostics(client, uri, 1)
    assert any(d.code == "syntax" for d in got.diagnostics)
    deep = root / "deep.tgo"
    uri2 = open_doc(client, deep, "package m\n\nvar d = " + "(" * 10000 + "1" + ")" * 10000 + "\n")
    got = await diagnostics(client, uri2, 1)
    assert any(d.code == "syntax" for d in got.diagnostics)
    change(client, uri2, 2, "package m\n\nvar d = " + "[]any{" * 10000 + "}" * 10000 + "\n")
    got = await diagnostics(client, uri2, 2)
    assert any(d.code == "syntax" for d in got.diagnostics)
    # a non-file document and a document of another language are left alone
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri="untitled:Untitled-1", language_id="tgo", version=1, text="package m\n")))
    open_doc(client, root / "notes.txt", "hello")
    f = open_doc(client, root / "f.tgo")
    await diagnostics(client, f, 1)
    await _answers(client, f, SRC)


@pytest.mark.asyncio
async def test_files_outside_the_workspace_and_not_on_disk(client: LanguageClient, tmp_path: Path) -> None:
    root = module(tmp_path / "ws", {"f.tgo": SRC})
    await start(client, root)
    outside = tmp_path / "elsewhere" / "o.tgo"
    outside.parent.mkdir()
    outside.write_text(SRC)
    uri = open_doc(client, outside)
    assert [d.code for d in (await diagnostics(client, uri, 1)).diagnostics] == ["nil-deref"]
    change(client, uri, 2, SRC.replace("*p", "*p!"))
    assert list((await diagnostics(client, uri, 2)).diagnostics) == []
    ghost = tmp_path / "no" / "such" / "dir" / "g.tgo"
    uri = open_doc(client, ghost, SRC)
    assert [d.code for d in (await diagnostics(client, uri, 1)).diagnostics] == ["nil-deref"]
    await _answers(client, uri, SRC)
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
    f = open_doc(client, root / "f.tgo")
    await diagnostics(client, f, 1)
    await _answers(client, f, SRC)


@pytest.mark.asyncio
async def test_bad_tgo_toml(client: LanguageClient, tmp_path: Path) -> None:
    root = module(tmp_path, {"f.tgo": SRC, "tgo.toml": "stubs = [1, 2\n"})
    await start(client, root)
    uri = open_doc(client, root / "f.tgo")
    h = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), pos(SRC, "p ?")))
    assert h is None
    assert any(m.type == types.MessageType.Error and "tgo.toml" in m.message for m in client.messages), client.messages
    (root / "tgo.toml").write_text("")
    change(client, uri, 2, SRC)
    assert [d.code for d in (await diagnostics(client, uri, 2)).diagnostics] == ["nil-deref"]
    await _answers(client, uri, SRC)


def _frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _reply(stream: object, request_id: int) -> dict[str, object]:
    """The server's answer to request ``request_id`` (what comes before it is skipped)."""
    while True:
        msg = _read_message(stream)
        if msg.get("id") == request_id:
            return msg


def _read_message(stream: object) -> dict[str, object]:
    length = 0
    while True:
        line = stream.readline()  # type: ignore[attr-defined]
        assert line, "the server closed its output"
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return json.loads(stream.read(length))  # type: ignore[attr-defined, no-any-return]


def test_malformed_messages(tmp_path: Path) -> None:
    """Bytes that are not JSON, JSON that is not a message: the server logs them and answers the next request."""
    env = dict(SERVER.server_env or os.environ)
    proc = subprocess.Popen([sys.executable, "-P", "-m", "transpiler", "lsp"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}}
        proc.stdin.write(_frame(b"{this is not json"))
        proc.stdin.write(_frame(b"[1, 2, 3]"))
        proc.stdin.write(_frame(b'{"jsonrpc": "2.0", "id": 7}'))
        proc.stdin.write(_frame(json.dumps(init).encode()))
        proc.stdin.flush()
        msg = _reply(proc.stdout, 1)
        assert "capabilities" in msg.get("result", {})  # type: ignore[operator]
        # a request whose parameters have the wrong shape: an error response
        bad = {"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": {"textDocument": 5}}
        proc.stdin.write(_frame(json.dumps(bad).encode()))
        proc.stdin.flush()
        msg = _reply(proc.stdout, 3)
        assert "error" in msg and "result" not in msg
        proc.stdin.write(_frame(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}).encode()))
        proc.stdin.write(_frame(json.dumps({"jsonrpc": "2.0", "method": "exit"}).encode()))
        proc.stdin.flush()
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert "Traceback" not in err or "Unable to handle message" in err
