"""tgo lsp without gopls: diagnostics as the user types, versions, encodings, hover, definition, formatting."""

from __future__ import annotations

from pathlib import Path

import pytest
from lspclient import change, diagnostics, latest, module, open_doc, pos, start
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.asyncio

USER = """package m

type User struct {
	Name string
}

func find(users []*User, name string) ?*User {
	for _, u := range users {
		if u.Name == name {
			return u
		}
	}
	return nil
}
"""

MAIN = """package m

func greet(users []*User) string {
	u := find(users, "ann")
	return u.Name
}
"""


def _codes(p: types.PublishDiagnosticsParams) -> list[tuple[int, str]]:
    return sorted((d.range.start.line, str(d.code)) for d in p.diagnostics)


async def test_diagnostics_on_open_and_after_an_incremental_edit(client: LanguageClient, tmp_path: Path) -> None:
    root = module(tmp_path, {"user.tgo": USER, "main.tgo": MAIN})
    result = await start(client, root)
    assert result.capabilities.text_document_sync is not None
    uri = open_doc(client, root / "main.tgo")
    first = await diagnostics(client, uri, 1)
    assert _codes(first) == [(4, "nil-deref")]
    d = first.diagnostics[0]
    assert d.source == "tgo" and d.severity == types.DiagnosticSeverity.Error
    assert (d.range.start.character, d.range.end.character) == (8, 9)  # the u of u.Name
    assert "?*User" in d.message
    # insert "if u == nil {\n\t\treturn \"\"\n\t}\n\t" before the return: an incremental edit
    at = pos(MAIN, "return u.Name")
    change(client, uri, 2, 'if u == nil {\n\t\treturn ""\n\t}\n\t', types.Range(start=at, end=at))
    second = await diagnostics(client, uri, 2)
    assert list(second.diagnostics) == []


async def test_other_open_files_are_refreshed(client: LanguageClient, tmp_path: Path) -> None:
    root = module(tmp_path, {"user.tgo": USER, "main.tgo": MAIN})
    await start(client, root)
    main = open_doc(client, root / "main.tgo")
    assert _codes(await diagnostics(client, main, 1)) == [(4, "nil-deref")]
    user = open_doc(client, root / "user.tgo")
    await diagnostics(client, user, 1)
    # find returns *User now (non-nil): main.tgo's dereference is fine, user.tgo's return nil is not
    change(client, user, 2, USER.replace(") ?*User {", ") *User {"))
    assert _codes(await diagnostics(client, user, 2)) == [(12, "nil-assign")]
    assert _codes(latest(client, main)) == []


async def test_syntax_error_keeps_checking_the_rest(client: LanguageClient, tmp_path: Path) -> None:
    broken = MAIN + "\nfunc h() {\n\tx := \n}\n"
    root = module(tmp_path, {"user.tgo": USER, "main.tgo": broken})
    await start(client, root)
    uri = open_doc(client, root / "main.tgo")
    codes = _codes(await diagnostics(client, uri, 1))
    assert (4, "nil-deref") in codes and any(c == "syntax" for _l, c in codes)


@pytest.mark.slow
async def test_rapid_edits_end_with_the_last_version(client: LanguageClient, tmp_path: Path) -> None:
    root = module(tmp_path, {"user.tgo": USER, "main.tgo": MAIN})
    await start(client, root)
    uri = open_doc(client, root / "main.tgo")
    await diagnostics(client, uri, 1)
    fixed = MAIN.replace("return u.Name", "return u!.Name")
    for v in range(2, 202):
        # odd versions have the error, even ones not; the last (201) has it
        change(client, uri, v, MAIN if v % 2 else fixed)
    last = await diagnostics(client, uri, 201)
    assert _codes(last) == [(4, "nil-deref")]
    mine = [p for p in client.published if p.uri == uri]  # type: ignore[attr-defined]
    versions = [p.version for p in mine]
    assert versions == sorted(versions), "a stale publication came after a newer one"
    assert mine[-1].version == 201
    for p in mine:  # every publication is right for the version it names
        assert _codes(p) == ([(4, "nil-deref")] if p.version % 2 else [])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
async def test_positions_in_the_negotiated_encoding(client: LanguageClient, tmp_path: Path, encoding: str) -> None:
    text = MAIN.replace('u := find(users, "ann")', 'u := find(users, "ännä😀")\n\ts := "😀é"; _ = s; _ = u.Name')
    root = module(tmp_path, {"user.tgo": USER, "main.tgo": text})
    result = await start(client, root, encodings=["utf-32", encoding] if encoding == "utf-16" else ["utf-16", "utf-8"])
    assert result.capabilities.position_encoding == encoding
    uri = open_doc(client, root / "main.tgo")
    p = await diagnostics(client, uri, 1)
    got = sorted((d.range.start.line, d.range.start.character) for d in p.diagnostics)
    want = sorted([(pos(text, "u.Name", 0, encoding).line, pos(text, "u.Name", 0, encoding).character),
                   (pos(text, "u.Name }", 0, encoding).line if "u.Name }" in text else 5,
                    pos(text, "return u.Name", 7, encoding).character)])
    assert got == want
    # an incremental edit after the non-ASCII text of the line, in the client's units
    at = pos(text, "_ = u.Name", 4, encoding)
    change(client, uri, 2, "!", types.Range(start=types.Position(at.line, at.character + 1),
                                            end=types.Position(at.line, at.character + 1)))
    after = await diagnostics(client, uri, 2)
    assert [d.range.start.line for d in after.diagnostics] == [5]
    # hover at the s of `s :=`, after the emoji of the previous string: its range is in the client's units
    h = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), pos(text, "s := ", 0, encoding)))
    assert h is not None and h.range is not None
    assert h.range.start == pos(text, "s := ", 0, encoding)


async def test_hover_and_definition_without_gopls(client: LanguageClient, tmp_path: Path) -> None:
    root = module(tmp_path, {"user.tgo": USER, "main.tgo": MAIN})
    await start(client, root)
    uri = open_doc(client, root / "main.tgo")
    await diagnostics(client, uri, 1)
    assert any(m.type == types.MessageType.Warning and "gopls" in m.message for m in client.messages)
    assert len(client.messages) == 1  # said once
    h = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), pos(MAIN, "u := ")))
    assert h is not None and isinstance(h.contents, types.MarkupContent)
    assert "```go\nvar u ?*User\n```" in h.contents.value
    h = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), pos(MAIN, "find(", 2)))
    assert h is not None and isinstance(h.contents, types.MarkupContent)
    assert "func find(users []*User, name string) ?*User" in h.contents.value
    nothing = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), types.Position(0, 0)))
    assert nothing is None or "package" in str(nothing.contents)
    loc = await client.text_document_definition_async(types.DefinitionParams(
        types.TextDocumentIdentifier(uri), pos(MAIN, "find(")))
    assert isinstance(loc, list) and len(loc) == 1
    assert loc[0].uri == (root / "user.tgo").as_uri()
    assert loc[0].range.start == pos(USER, "find(")
    assert loc[0].range.end == pos(USER, "find(", 4)
    # forwarded features answer nothing without gopls (no error)
    comp = await client.text_document_completion_async(types.CompletionParams(
        types.TextDocumentIdentifier(uri), pos(MAIN, ".Name", 1)))
    assert comp is None


async def test_formatting(client: LanguageClient, tmp_path: Path) -> None:
    ugly = "package m\n\nfunc  f( p ?*int )int{\nreturn *p!\n}\n"
    root = module(tmp_path, {"f.tgo": ugly})
    await start(client, root)
    uri = open_doc(client, root / "f.tgo")
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        types.TextDocumentIdentifier(uri), types.FormattingOptions(tab_size=8, insert_spaces=False)))
    assert edits is not None and len(edits) == 1
    assert edits[0].range.start == types.Position(0, 0)
    assert edits[0].new_text == "package m\n\nfunc f(p ?*int) int {\n\treturn *p!\n}\n"
    change(client, uri, 2, edits[0].new_text)
    again = await client.text_document_formatting_async(types.DocumentFormattingParams(
        types.TextDocumentIdentifier(uri), types.FormattingOptions(tab_size=8, insert_spaces=False)))
    assert again is not None and list(again) == []
    change(client, uri, 3, "package m\n\nfunc f( {\n")
    broken = await client.text_document_formatting_async(types.DocumentFormattingParams(
        types.TextDocumentIdentifier(uri), types.FormattingOptions(tab_size=8, insert_spaces=False)))
    assert broken is None


async def test_a_file_changed_on_disk(client: LanguageClient, tmp_path: Path) -> None:
    """The client's file watcher says a file of the package changed on disk: the package is checked again."""
    root = module(tmp_path, {"user.tgo": USER, "main.tgo": MAIN})
    await start(client, root)
    main = open_doc(client, root / "main.tgo")
    assert _codes(await diagnostics(client, main, 1)) == [(4, "nil-deref")]
    (root / "user.tgo").write_text(USER.replace(") ?*User {", ") *User {").replace("return nil", "return &User{}"))
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent(uri=(root / "user.tgo").as_uri(), type=types.FileChangeType.Changed)]))
    assert _codes(await diagnostics(client, main, 1)) == []


async def test_go_files(client: LanguageClient, tmp_path: Path) -> None:
    """A .go file of a package with .tgo files is checked with it; one of a plain Go package is left to gopls."""
    root = module(tmp_path, {"user.tgo": USER, "helper.go": "package m\n\nfunc helper() int { return 1 }\n",
                             "plain/p.go": "package plain\n\nfunc P() {}\n"})
    await start(client, root)
    helper = open_doc(client, root / "helper.go")
    assert list((await diagnostics(client, helper, 1)).diagnostics) == []
    user = (root / "user.tgo").as_uri()
    assert list((await diagnostics(client, user, None)).diagnostics) == []  # the package's .tgo file, not open
    change(client, helper, 2, "package m\n\nfunc helper() int { return 1\n")
    assert [d.code for d in (await diagnostics(client, helper, 2)).diagnostics] == ["syntax"]
    plain = open_doc(client, root / "plain" / "p.go")
    change(client, helper, 3, "package m\n\nfunc helper() int { return 1 }\n")
    await diagnostics(client, helper, 3)
    assert all(p.uri != plain for p in client.published)  # type: ignore[attr-defined]
