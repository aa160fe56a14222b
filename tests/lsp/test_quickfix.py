"""Quick fixes through the server: each one offered for a diagnostic, applied as the editor would, leaves the file checking clean of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from lspclient import change, diagnostics, module, open_doc, start
from lsprotocol import types
from pytest_lsp import LanguageClient

from transpiler.syntax.source import SourceFile

pytestmark = pytest.mark.asyncio

SAMPLES = {
    "nil-assign": "func f() {\n\tvar p *int = nil\n\t_ = p\n}\n",
    "nil-init": "type T struct{ P *int }\n\nfunc f() T {\n\treturn T{}\n}\n",
    "nil-deref": "func f(p ?*int) (n int) {\n\ts := \"é😀\"; n = len(s) + *p\n\treturn n\n}\n",
    "unused-ignore": "func f() int {\n\t//tgo:ignore[nil-deref] not needed\n\treturn 1\n}\n",
    "unchecked-error": "func g() error { return nil }\n\nfunc f() error {\n\tg()\n\treturn nil\n}\n",
    "nonexhaustive": "type C enum {\n\tRed\n\tBlue\n}\n\nfunc f(c C) int {\n\tswitch c {\n\tcase Red:\n"
                     "\t\treturn 1\n\t}\n\treturn 0\n}\n",
}


def _apply(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    """The editor's side: ``edits`` (positions in ``encoding``) applied to ``text``."""
    src = SourceFile("x", text)

    def off(p: types.Position) -> int:
        if encoding == "utf-8":
            return src.offset(p.line + 1, p.character + 1)
        return src.utf16_offset(p.line + 1, p.character + 1)

    spans = sorted(((off(e.range.start), off(e.range.end), e.new_text) for e in edits), reverse=True)
    for first, last, new in spans:
        text = text[:first] + new + text[last:]
    return text


async def _actions(client: LanguageClient, uri: str, d: types.Diagnostic) -> list[types.CodeAction]:
    got = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext(diagnostics=[d])))
    assert got is not None
    return [a for a in got if isinstance(a, types.CodeAction)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@pytest.mark.parametrize("code", sorted(SAMPLES))
async def test_each_fix_applied_checks_clean(client: LanguageClient, tmp_path: Path, code: str, encoding: str) -> None:
    text = "package m\n\n" + SAMPLES[code]
    root = module(tmp_path, {"f.tgo": text})
    await start(client, root, encodings=[encoding])
    uri = open_doc(client, root / "f.tgo")
    first = await diagnostics(client, uri, 1)
    assert [d.code for d in first.diagnostics] == [code]
    actions = await _actions(client, uri, first.diagnostics[0])
    titles = [a.title for a in actions]
    if code == "unused-ignore":
        assert titles == ["remove the unused //tgo:ignore"]
    else:
        assert f"ignore {code} on this line" in titles
        assert len(titles) >= 2, titles  # the rule's own fixes, and the ignore
    if code == "nil-deref":
        assert titles[:2] == ["assert p is not nil (!)", "check p for nil (if p != nil)"]
    version = 1
    for action in actions:
        assert action.kind == types.CodeActionKind.QuickFix
        assert action.diagnostics is not None and action.diagnostics[0].code == code
        assert action.edit is not None and action.edit.changes is not None
        assert list(action.edit.changes) == [uri]
        fixed = _apply(text, list(action.edit.changes[uri]), encoding)
        version += 1
        change(client, uri, version, fixed)
        after = await diagnostics(client, uri, version)
        assert [d.code for d in after.diagnostics if d.code == code] == [], (action.title, fixed)
        assert [d for d in after.diagnostics if d.severity == types.DiagnosticSeverity.Error] == [], fixed
    version += 1
    change(client, uri, version, text)
    await diagnostics(client, uri, version)


async def test_no_actions_away_from_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    text = "package m\n\n" + SAMPLES["nil-deref"]
    root = module(tmp_path, {"f.tgo": text})
    await start(client, root)
    uri = open_doc(client, root / "f.tgo")
    await diagnostics(client, uri, 1)
    got = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), types.Range(types.Position(0, 0), types.Position(0, 3)),
        types.CodeActionContext(diagnostics=[])))
    assert got is not None and list(got) == []
