"""tgo lsp with the real gopls behind it, through a real LSP client: what gopls gives Go, on .tgo files and on the .go files beside them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from lspclient import change, diagnostics, latest, module, open_doc, pos, start
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("gopls") is None, reason="gopls is not on PATH (.ci/run installs it)"),
]

USER = """package m

import "strings"

// User is someone with a name.
type User struct {
	Name  string
	Email string
}

func find(users []*User, name string) ?*User {
	for _, u := range users {
		if strings.EqualFold(u.Name, name) {
			return u
		}
	}
	return nil
}

func atoi(s string) (int, error) {
	return len(s), nil
}

func parse(s string) (int, error) {
	n := atoi(s)?
	return n, nil
}
"""

GREET = """package m

func greet(users []*User) string {
	u := find(users, "ann")
	if u == nil {
		return ""
	}
	return u.Name
}
"""

PLAIN = """package m

func count(users []*User) int {
	n := 0
	for range users {
		if find(users, "x") != nil {
			n++
		}
	}
	return n
}
"""


def _files() -> dict[str, str]:
    return {"user.tgo": USER, "greet.tgo": GREET, "plain.go": PLAIN}


async def _ready(client: LanguageClient, root: Path, *names: str) -> dict[str, str]:
    """Start with gopls, open ``names``, wait for their first diagnostics; their URIs."""
    await start(client, root, gopls=True)
    uris = {}
    for name in names:
        uris[name] = open_doc(client, root / name)
        await diagnostics(client, uris[name], 1, timeout=120)
    return uris


async def _until(fn: Any, timeout: float = 60.0) -> Any:
    """``await fn()`` until it gives a true value (gopls loads the package in the background)."""
    import asyncio

    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        got = await fn()
        if got or asyncio.get_running_loop().time() > deadline:
            return got
        await asyncio.sleep(0.2)


def _locations(result: Any) -> list[tuple[str, int, int]]:
    if result is None:
        return []
    items = list(result) if isinstance(result, (list, tuple)) else [result]
    out = []
    for loc in items:
        if isinstance(loc, types.LocationLink):
            out.append((loc.target_uri, loc.target_selection_range.start.line, loc.target_selection_range.start.character))
        else:
            out.append((loc.uri, loc.range.start.line, loc.range.start.character))
    return out


async def test_completion_on_a_nullable_value_after_a_guard(client: LanguageClient, tmp_path: Path) -> None:
    root = module(tmp_path, _files())
    uris = await _ready(client, root, "greet.tgo")
    # the user types "_ = u." on a line of its own after the guard: a syntax error until more
    # is typed (the Go view gets the edit; u is a ?*User narrowed to *User by the guard)
    at = pos(GREET, "\treturn u.Name")
    change(client, uris["greet.tgo"], 2, "\t_ = u.\n", types.Range(start=at, end=at))
    after = types.Position(at.line, len("\t_ = u."))

    async def names() -> set[str]:
        got = await client.text_document_completion_async(types.CompletionParams(
            types.TextDocumentIdentifier(uris["greet.tgo"]), after))
        items = got.items if isinstance(got, types.CompletionList) else (got or [])
        return {i.label for i in items}

    labels = await _until(names)
    assert {"Name", "Email"} <= labels


async def test_hover_and_definition_into_tgo_from_go_and_back(client: LanguageClient, tmp_path: Path) -> None:
    root = module(tmp_path, _files())
    uris = await _ready(client, root, "greet.tgo", "plain.go")
    user_uri = (root / "user.tgo").as_uri()
    # from the .go file, `find` is defined in user.tgo, on its own line and column
    plain = PLAIN

    async def from_go() -> list[tuple[str, int, int]]:
        return _locations(await client.text_document_definition_async(types.DefinitionParams(
            types.TextDocumentIdentifier(uris["plain.go"]), pos(plain, "find("))))

    users = USER
    want = (user_uri, pos(users, "find(").line, pos(users, "find(").character)
    assert await _until(from_go) == [want]
    # from a .tgo file to another .tgo file
    got = _locations(await client.text_document_definition_async(types.DefinitionParams(
        types.TextDocumentIdentifier(uris["greet.tgo"]), pos(GREET, "find("))))
    assert got == [want]
    # a type: User in greet.tgo -> its declaration in user.tgo
    got = _locations(await client.text_document_definition_async(types.DefinitionParams(
        types.TextDocumentIdentifier(uris["greet.tgo"]), pos(GREET, "User"))))
    assert got == [(user_uri, pos(users, "User struct").line, pos(users, "User struct").character)]
    # hover on the field Name (through gopls): Go's own text about it
    h = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uris["greet.tgo"]), pos(GREET, "Name")))
    assert h is not None and "Name string" in str(h.contents)
    # a .tgo file's hover gives the tgo type (gopls sees the lowered *User), and keeps gopls's
    # documentation after it
    h = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uris["greet.tgo"]), pos(GREET, "u :=")))
    assert h is not None and "?*User" in h.contents.value  # type: ignore[union-attr]

    async def documented() -> str:
        got = await client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(uris["greet.tgo"]), pos(GREET, "User")))
        text = got.contents.value if got is not None else ""  # type: ignore[union-attr]
        return text if "someone with a name" in text else ""

    assert "type User struct" in await _until(documented)


async def test_references_and_rename_across_tgo_and_go(client: LanguageClient, tmp_path: Path) -> None:
    root = module(tmp_path, _files())
    uris = await _ready(client, root, "greet.tgo", "plain.go")
    users = USER

    async def refs() -> list[tuple[str, int, int]]:
        got = await client.text_document_references_async(types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uris["greet.tgo"]), position=pos(GREET, "find("),
            context=types.ReferenceContext(include_declaration=True)))
        return sorted(_locations(got))

    want = sorted([
        ((root / "user.tgo").as_uri(), pos(users, "find(").line, pos(users, "find(").character),
        (uris["greet.tgo"], pos(GREET, "find(").line, pos(GREET, "find(").character),
        (uris["plain.go"], pos(PLAIN, "find(").line, pos(PLAIN, "find(").character),
    ])
    assert await _until(lambda: _refs_if(refs, len(want))) == want

    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=types.TextDocumentIdentifier(uris["greet.tgo"]), position=pos(GREET, "find("),
        new_name="lookup"))
    assert edit is not None
    changed = _apply_workspace_edit(edit, {
        (root / "user.tgo").as_uri(): users, uris["greet.tgo"]: GREET, uris["plain.go"]: PLAIN})
    assert "func lookup(users []*User, name string) ?*User {" in changed[(root / "user.tgo").as_uri()]
    assert 'u := lookup(users, "ann")' in changed[uris["greet.tgo"]]
    assert 'if lookup(users, "x") != nil {' in changed[uris["plain.go"]]
    assert all("find" not in text for text in changed.values())


async def _refs_if(refs: Any, n: int) -> list[tuple[str, int, int]]:
    got: list[tuple[str, int, int]] = await refs()
    return got if len(got) >= n else []


def _apply_workspace_edit(edit: types.WorkspaceEdit, texts: dict[str, str]) -> dict[str, str]:
    """``texts`` with ``edit`` applied (UTF-16 positions: the texts here are ASCII)."""
    per_file: dict[str, list[types.TextEdit]] = {}
    for uri, edits in (edit.changes or {}).items():
        per_file.setdefault(uri, []).extend(edits)
    for dc in edit.document_changes or []:
        if isinstance(dc, types.TextDocumentEdit):
            per_file.setdefault(dc.text_document.uri, []).extend(
                e for e in dc.edits if isinstance(e, types.TextEdit))
    out = dict(texts)
    for uri, edits in per_file.items():
        text = out[uri]
        lines = text.split("\n")
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            a = starts[e.range.start.line] + e.range.start.character
            b = starts[e.range.end.line] + e.range.end.character
            text = text[:a] + e.new_text + text[b:]
        out[uri] = text
    return out


async def test_go_errors_are_merged_at_tgo_positions(client: LanguageClient, tmp_path: Path) -> None:
    root = module(tmp_path, _files())
    uris = await _ready(client, root, "greet.tgo")
    broken = GREET.replace('return ""', "return undefinedName")
    change(client, uris["greet.tgo"], 2, broken)
    want = pos(broken, "undefinedName")

    async def go_error() -> list[types.Diagnostic]:
        pub = latest(client, uris["greet.tgo"])
        return [d for d in pub.diagnostics if d.range.start == want and "undefinedName" in d.message]

    found = await _until(go_error)
    assert found, [(d.range, d.message, d.source) for d in latest(client, uris["greet.tgo"]).diagnostics]


async def test_a_go_file_sees_the_tgo_declarations(client: LanguageClient, tmp_path: Path) -> None:
    """Served by tgo lsp (the editor packages' tgo.serveGoFiles), a .go file of the package has
    no `undefined` error for names its .tgo files declare."""
    root = module(tmp_path, _files())
    uris = await _ready(client, root, "plain.go")
    # give gopls time to load the package, then a real edit: a Go error must appear, and only it
    broken = PLAIN.replace("n := 0", "n := 0\n\tvar unused int")

    async def only_unused() -> list[str]:
        change(client, uris["plain.go"], _next_version(), broken)
        await _quiet()
        msgs = [d.message for d in latest(client, uris["plain.go"]).diagnostics]
        # gopls has the new text, and the package's Go view (its .tgo declarations)
        return msgs if any("unused" in m for m in msgs) and not any("undefined" in m for m in msgs) else []

    msgs = await _until(only_unused, timeout=90)
    assert msgs, [d.message for d in latest(client, uris["plain.go"]).diagnostics]


_version = [1]


def _next_version() -> int:
    _version[0] += 1
    return _version[0]


async def _quiet() -> None:
    import asyncio

    await asyncio.sleep(0.5)
