"""The language server on long chains (issue 14): a 10,000-operand binary chain, a 10,000-branch ``else if`` ladder, a nesting just under the limit, and past the limits.

The real server (``tgo lsp``) and the real client (pytest-lsp): the diagnostics are
published (a nil dereference planted after the chains is found, nothing else), hover and
definition answer on a token deep inside each chain, an edit checks again, and a file
past the nesting limit or past go/parser's chain limit gets its positioned ``syntax``
diagnostic while the server goes on answering. The chains are
``scripts/hostile_input.chain_source``'s (tests/test_chains.py runs them through the
command line).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from lspclient import change, diagnostics, module, open_doc, start
from lsprotocol import types
from pytest_lsp import LanguageClient

from transpiler.syntax.parser import GO_MAX_DEPTH, MAX_DEPTH

# scripts/ is not installed: import it from the checkout, after everything else on sys.path
sys.path.append(str(Path(__file__).resolve().parents[2]))

from scripts.hostile_input import chain_source

# a nil dereference after the chains: the check reaches the end of the file
PLANTED = "\n// Last reads p without a check.\nfunc Last(p ?*T) int {\n\treturn p.N\n}\n"


def _at(text: str, needle: str, nth: int, delta: int = 0) -> types.Position:
    """The position (UTF-16, all ASCII here) of the ``nth`` (from 0) ``needle`` in ``text``."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    i += delta
    line = text.count("\n", 0, i)
    return types.Position(line=line, character=i - (text.rfind("\n", 0, i) + 1))


def _line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, text.index(needle))


async def _hover(client: LanguageClient, uri: str, at: types.Position) -> str:
    h = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), at))
    assert h is not None and isinstance(h.contents, types.MarkupContent), at
    return h.contents.value


async def _definition(client: LanguageClient, uri: str, at: types.Position) -> types.Location:
    loc = await client.text_document_definition_async(types.DefinitionParams(types.TextDocumentIdentifier(uri), at))
    assert isinstance(loc, list) and len(loc) == 1, loc
    assert isinstance(loc[0], types.Location)
    return loc[0]


async def _chains(client: LanguageClient, tmp_path: Path, n: int) -> None:
    text = chain_source(n) + PLANTED
    root = module(tmp_path, {"main.tgo": text})
    await start(client, root)
    uri = open_doc(client, root / "main.tgo")
    got = (await diagnostics(client, uri, 1, timeout=300)).diagnostics
    assert [(d.code, d.range.start.line) for d in got] == [("nil-deref", _line_of(text, "return p.N"))], got
    # deep inside the binary chain: the operand a, n - 10 operands along
    deep_a = _at(text, " + a", n - 10, 3)
    assert "var a int" in await _hover(client, uri, deep_a)
    loc = await _definition(client, uri, deep_a)
    assert loc.uri == uri and loc.range.start == _at(text, "var a", 0, 4)
    # deep inside the else-if ladder: the x of branch n - 10
    deep_x = _at(text, f" else if x == {n - 10} ", 0, 9)
    assert "x int" in await _hover(client, uri, deep_x)
    loc = await _definition(client, uri, deep_x)
    assert loc.uri == uri and loc.range.start == _at(text, "func Ladder(x", 0, 12)
    # deep inside the && chain narrowing p: p is known non-nil there
    deep_p = _at(text, " && p.N >= 0", n - 10, 4)
    assert "p ?*T" in await _hover(client, uri, deep_p)
    # an edit checks again: the planted dereference fixed, nothing is left
    change(client, uri, 2, text.replace("return p.N", "return p!.N"))
    assert list((await diagnostics(client, uri, 2, timeout=300)).diagnostics) == []
    # and broken again, at the end: found again
    change(client, uri, 3, text)
    got = (await diagnostics(client, uri, 3, timeout=300)).diagnostics
    assert [d.code for d in got] == ["nil-deref"]


@pytest.mark.asyncio
async def test_chains_past_the_nesting_limit(client: LanguageClient, tmp_path: Path) -> None:
    # three times the nesting limit: chains do not count toward it, and nothing recurses on them
    await _chains(client, tmp_path, 3 * MAX_DEPTH + 1)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_chains_of_10_000(client: LanguageClient, tmp_path: Path) -> None:
    await _chains(client, tmp_path, 10_000)


def _nested(depth: int) -> str:
    return f"package m\n\nvar a = 1\n\nvar D = {'(' * depth}a{')' * depth}\n"


@pytest.mark.asyncio
async def test_nesting_under_and_past_the_limit(client: LanguageClient, tmp_path: Path) -> None:
    under = _nested(MAX_DEPTH - 10)
    root = module(tmp_path, {"d.tgo": under, "ok.tgo": "package m\n\nvar B = 2\n"})
    await start(client, root)
    uri = open_doc(client, root / "d.tgo")
    assert list((await diagnostics(client, uri, 1, timeout=120)).diagnostics) == []
    inner = _at(under, "(a)", 0, 1)
    assert "var a int" in await _hover(client, uri, inner)
    assert (await _definition(client, uri, inner)).range.start == _at(under, "var a", 0, 4)
    # past the limit: a positioned syntax diagnostic, and the server goes on answering
    change(client, uri, 2, _nested(MAX_DEPTH + 1))
    got = (await diagnostics(client, uri, 2, timeout=120)).diagnostics
    assert [d.code for d in got] == ["syntax"] and "exceeded max nesting depth" in got[0].message
    assert got[0].range.start.line == 4
    ok = open_doc(client, root / "ok.tgo")
    await diagnostics(client, ok, 1, timeout=120)
    assert "var B int" in await _hover(client, ok, _at("package m\n\nvar B = 2\n", "B", 0))
    # and back under it: checked again
    change(client, uri, 3, under)
    assert list((await diagnostics(client, uri, 3, timeout=120)).diagnostics) == []


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_chain_past_go_parsers_limit(client: LanguageClient, tmp_path: Path) -> None:
    long = "package m\n\nvar a = 1\n\nvar X = a" + " + a" * GO_MAX_DEPTH + "\n"
    root = module(tmp_path, {"p.tgo": long, "ok.tgo": "package m\n\nvar B = 2\n"})
    await start(client, root)
    uri = open_doc(client, root / "p.tgo")
    got = (await diagnostics(client, uri, 1, timeout=300)).diagnostics
    assert [d.code for d in got] == ["syntax"], got
    assert f"exceeded max nesting depth ({GO_MAX_DEPTH} levels)" in got[0].message
    assert got[0].range.start.line == 4
    ok = open_doc(client, root / "ok.tgo")
    await diagnostics(client, ok, 1, timeout=120)
    assert "var B int" in await _hover(client, ok, _at("package m\n\nvar B = 2\n", "B", 0))
