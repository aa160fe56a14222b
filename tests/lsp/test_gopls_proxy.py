"""The gopls backend against the real gopls: the Go view of a temporary module, requests and Go's diagnostics mapped."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

from transpiler.check.snapshot import Session
from transpiler.lsp.gopls_backend import GoplsBackend

TOOLS = os.path.expanduser("~/.cache/tgo-ci-tools/bin")
if os.path.isdir(TOOLS) and TOOLS not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = TOOLS + os.pathsep + os.environ.get("PATH", "")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("gopls") is None,
                       reason="gopls is not on PATH (go install golang.org/x/tools/gopls@v0.23.0)"),
]

MODEL = """package app

import "errors"

// User is someone.
type User struct {
	Name  string
	Email string
}

type Color enum {
	Red
	Green
}

func find(ok bool) (?*User, error) {
	if !ok {
		return nil, errors.New("no user")
	}
	return &User{Name: "ann"}, nil
}

func Lookup(ok bool) (string, error) {
	u := find(ok)?
	if u == nil {
		return "", nil
	}
	return u.Name, nil
}
"""

USE = """package app

func Greeting() string {
	name, _ := Lookup(true)
	return "hi " + name
}
"""


class Env:
    """A temporary module, a session checking it, and the backend under test."""

    def __init__(self, root: str, encoding: str = "utf-16") -> None:
        self.root = root
        self.backend = GoplsBackend()
        self.encoding = encoding
        self.session = Session()
        self.texts: dict[str, str] = {}
        self.doc_versions: dict[str, int] = {}
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self.backend.on_diagnostics = lambda path, version, diags: self.diagnostics.__setitem__(path, diags)

    def path(self, name: str) -> str:
        return os.path.join(self.root, name)

    async def start(self) -> None:
        await self.backend.start(self.root, self.encoding, {})  # type: ignore[arg-type]
        assert self.backend.status is None, self.backend.status

    async def open(self, name: str) -> None:
        await self.change(name, read(self.path(name)), None)

    async def change(self, name: str, text: str, changes: list[dict[str, Any]] | None) -> None:
        path = self.path(name)
        self.texts[path] = text
        self.doc_versions[path] = self.doc_versions.get(path, 0) + 1
        self.session.did_change(path, text)
        await self.backend.document_changed(path, self.doc_versions[path], text, changes)

    async def ready(self, *names: str) -> None:
        """Open ``names``, check the package, and wait for gopls to have loaded it."""
        for name in names:
            await self.open(name)
        await self.check()
        assert await self.until(lambda: self.ask("textDocument/hover", "model.tgo", "Lookup(ok"))

    async def check(self) -> None:
        check = self.session.snapshot(self.texts).check_package(self.root)
        await self.backend.package_checked(self.root, check, dict(self.doc_versions))

    def pos(self, name: str, needle: str, delta: int = 0) -> dict[str, Any]:
        """The client position of ``needle`` (plus ``delta`` characters) in ``name``'s text."""
        text = self.texts.get(self.path(name)) or read(self.path(name))
        off = text.index(needle) + delta
        line = text.count("\n", 0, off)
        col_text = text[text.rfind("\n", 0, off) + 1 : off]
        units = len(col_text.encode("utf-16-le")) // 2 if self.encoding == "utf-16" else len(col_text.encode())
        return {"line": line, "character": units}

    def uri(self, name: str) -> str:
        return "file://" + self.path(name)

    async def ask(self, method: str, name: str, needle: str, delta: int = 0, **extra: Any) -> Any:
        params = {"textDocument": {"uri": self.uri(name)}, "position": self.pos(name, needle, delta), **extra}
        return await self.backend.request(method, params)

    async def until(self, what: Callable[[], Awaitable[Any]], timeout: float = 20.0) -> Any:
        """``what()`` once it gives something true (gopls loads the package in the background)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            got = await what()
            if got or asyncio.get_running_loop().time() > deadline:
                return got
            await asyncio.sleep(0.1)


def read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def write_module(root: str, files: dict[str, str]) -> None:
    with open(os.path.join(root, "go.mod"), "w", encoding="utf-8") as f:
        f.write("module example.com/app\n\ngo 1.22\n")
    for name, text in files.items():
        with open(os.path.join(root, name), "w", encoding="utf-8") as f:
            f.write(text)


def run(env: Env, body: Callable[[Env], Awaitable[None]]) -> None:
    async def main() -> None:
        await env.start()
        try:
            await body(env)
        finally:
            await env.backend.stop()

    asyncio.run(main())


@pytest.fixture
def env(tmp_path: Any) -> Iterator[Env]:
    root = str(tmp_path.resolve())
    write_module(root, {"model.tgo": MODEL, "use.go": USE})
    yield Env(root)


def labels(result: Any) -> list[str]:
    items = result.get("items", []) if isinstance(result, dict) else (result or [])
    return [i["label"] for i in items]


def test_view_is_never_written_to_disk(env: Env) -> None:
    async def body(env: Env) -> None:
        await env.open("model.tgo")
        await env.check()
        assert env.backend.files
        hover = await env.until(lambda: env.ask("textDocument/hover", "model.tgo", "Lookup(ok"))
        assert hover and "func Lookup(ok bool) (string, error)" in str(hover["contents"])
        assert not os.path.exists(env.path("model_tgo.go"))
        gf = env.backend.files[env.path("model.tgo")]
        assert "DO NOT EDIT" not in gf.go.text and "//line" not in gf.go.text

    run(env, body)


def test_completion_on_a_nullable_pointer_after_typing_a_dot(env: Env) -> None:
    async def body(env: Env) -> None:
        await env.ready("model.tgo")
        # the user deletes "Name" of "return u.Name": "return u., nil" does not parse
        text = env.texts[env.path("model.tgo")]
        at = env.pos("model.tgo", "u.Name", 2)
        end = {"line": at["line"], "character": at["character"] + 4}
        new = text.replace("return u.Name, nil", "return u., nil")
        await env.change("model.tgo", new, [{"range": {"start": at, "end": end}, "text": ""}])
        await env.check()  # a syntax error: the view keeps the edit applied to it
        gf = env.backend.files[env.path("model.tgo")]
        assert "return u., nil" in gf.go.text
        result = await env.until(lambda: env.ask("textDocument/completion", "model.tgo", "u., nil", 2))
        assert {"Name", "Email"} <= set(labels(result))
        item = next(i for i in result["items"] if i["label"] == "Email")
        edit = item["textEdit"]
        rng = edit.get("range") or edit["insert"]
        assert rng["start"] == env.pos("model.tgo", "u., nil", 2)

    run(env, body)


def test_hover_and_definitions(env: Env) -> None:
    async def body(env: Env) -> None:
        await env.open("model.tgo")
        await env.open("use.go")
        await env.check()
        hover = await env.until(lambda: env.ask("textDocument/hover", "model.tgo", "find(ok)?"))
        assert "func find(ok bool) (*User, error)" in str(hover["contents"])
        assert hover["range"]["start"] == env.pos("model.tgo", "find(ok)?")
        # .tgo -> .tgo: the call moved into the lowered if-err block maps back
        got = await env.ask("textDocument/definition", "model.tgo", "find(ok)?")
        assert got == [{"uri": env.uri("model.tgo"), "range": {
            "start": env.pos("model.tgo", "find(ok bool)"), "end": env.pos("model.tgo", "find(ok bool)", 4)}}]
        # .go -> .tgo
        got = await env.ask("textDocument/definition", "use.go", "Lookup(true)")
        assert got == [{"uri": env.uri("model.tgo"), "range": {
            "start": env.pos("model.tgo", "Lookup(ok bool)"), "end": env.pos("model.tgo", "Lookup(ok bool)", 6)}}]
        # a type through a ?*User
        got = await env.ask("textDocument/typeDefinition", "model.tgo", "u == nil")
        assert [loc["range"]["start"] for loc in got] == [env.pos("model.tgo", "User struct")]

    run(env, body)


def test_go_file_sees_the_tgo_declarations(env: Env) -> None:
    async def body(env: Env) -> None:
        await env.open("use.go")
        await env.check()  # the server checks the package of an open .go file too

        async def settled() -> bool:
            return env.diagnostics.get(env.path("use.go")) == []

        assert await env.until(settled), env.diagnostics

    run(env, body)


def test_references_and_rename_across_tgo_and_go(env: Env) -> None:
    async def body(env: Env) -> None:
        await env.ready("model.tgo", "use.go")
        refs = await env.ask("textDocument/references", "model.tgo", "Lookup(ok",
                             context={"includeDeclaration": True})
        assert sorted((r["uri"], r["range"]["start"]["line"]) for r in refs) == [
            (env.uri("model.tgo"), env.pos("model.tgo", "Lookup(ok")["line"]),
            (env.uri("use.go"), env.pos("use.go", "Lookup(true)")["line"])]
        prep = await env.ask("textDocument/prepareRename", "model.tgo", "find(ok)?")
        assert prep is not None
        edit = await env.ask("textDocument/rename", "model.tgo", "find(ok)?", newName="search")
        changed = apply_workspace_edit(env, edit)
        assert changed[env.path("model.tgo")].count("search(") == 2
        assert "find" not in changed[env.path("model.tgo")]
        edit = await env.ask("textDocument/rename", "use.go", "Lookup(true)", newName="Fetch")
        changed = apply_workspace_edit(env, edit)
        assert "func Fetch(ok bool)" in changed[env.path("model.tgo")]
        assert "Fetch(true)" in changed[env.path("use.go")]
        from transpiler.lsp.backend import GoRefusal

        for needle, delta in (("find(ok)?", 8), ("?*User", 0)):
            with pytest.raises(GoRefusal, match="tgo-only syntax"):
                await env.ask("textDocument/rename", "model.tgo", needle, delta, newName="x")

    run(env, body)


def apply_workspace_edit(env: Env, edit: dict[str, Any]) -> dict[str, str]:
    """The texts of the files a WorkspaceEdit changes, with its edits applied."""
    from transpiler.lsp.convert import offset_of
    from transpiler.syntax.source import SourceFile

    per_file: dict[str, list[dict[str, Any]]] = {}
    for uri, edits in (edit.get("changes") or {}).items():
        per_file.setdefault(uri, []).extend(edits)
    for change in edit.get("documentChanges") or []:
        per_file.setdefault(change["textDocument"]["uri"], []).extend(change["edits"])
    out: dict[str, str] = {}
    for uri, edits in per_file.items():
        path = uri.removeprefix("file://")
        text = env.texts.get(path) or read(path)
        src = SourceFile(path, text)
        spans = sorted(((offset_of(src, e["range"]["start"], env.encoding),  # type: ignore[arg-type]
                         offset_of(src, e["range"]["end"], env.encoding), e["newText"]) for e in edits),  # type: ignore[arg-type]
                       reverse=True)
        for start, end, new in spans:
            text = text[:start] + new + text[end:]
        out[path] = text
    return out


def test_document_symbols_leave_out_generated_code(env: Env) -> None:
    async def body(env: Env) -> None:
        await env.open("model.tgo")
        await env.check()
        symbols = await env.until(lambda: env.ask("textDocument/documentSymbol", "model.tgo", "package"))
        names = {s["name"] for s in symbols}
        assert {"User", "Color", "find", "Lookup"} <= names
        assert not names & {"ParseColor", "ColorValues", "_Color_name"}
        assert all(not s["name"].startswith("(Color)") and not s["name"].startswith("(*Color)") for s in symbols)
        user = next(s for s in symbols if s["name"] == "User")
        assert user["selectionRange"]["start"] == env.pos("model.tgo", "User struct")
        assert {c["name"] for c in user.get("children", [])} == {"Name", "Email"}
        folds = await env.ask("textDocument/foldingRange", "model.tgo", "package")
        assert any(f["startLine"] == env.pos("model.tgo", "func Lookup")["line"] for f in folds)

    run(env, body)


def test_go_diagnostics_mapped_to_the_tgo_file(env: Env) -> None:
    async def body(env: Env) -> None:
        bad = MODEL.replace("\treturn u.Name, nil\n}", "\t_ = undefinedThing\n\treturn u.Name, nil\n}")
        await env.change("model.tgo", bad, None)
        await env.check()

        async def mapped() -> list[dict[str, Any]]:
            return [d for d in env.diagnostics.get(env.path("model.tgo"), []) if "undefinedThing" in d["message"]]

        got = await env.until(mapped)
        assert got, env.diagnostics
        assert got[0]["range"]["start"] == env.pos("model.tgo", "undefinedThing")
        # an edit in tgo-only syntax (the ? of ?*User becomes "?\n"): the Go does not change,
        # gopls publishes nothing new, and its diagnostics are mapped again where they now are
        text = env.texts[env.path("model.tgo")]
        q = env.pos("model.tgo", "?*User")
        await env.change("model.tgo", text.replace("?*User", "?\n*User", 1), [{
            "range": {"start": q, "end": {"line": q["line"], "character": q["character"] + 1}}, "text": "?\n"}])
        got = await mapped()
        assert got and got[0]["range"]["start"] == env.pos("model.tgo", "undefinedThing")

    run(env, body)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_positions_on_a_non_ascii_line(tmp_path: Any, encoding: str) -> None:
    root = str(tmp_path.resolve())
    model = MODEL + '\nconst Suffix = "!"\n\nvar Greeting = "😀 héllo" + Suffix\n'
    write_module(root, {"model.tgo": model})
    env = Env(root, encoding)

    async def body(env: Env) -> None:
        await env.ready("model.tgo")
        # gopls v0.23.0 answers utf-16 even when utf-8 is offered first: a utf-8 client's
        # positions are then converted both ways
        assert env.backend.gopls.encoding in ("utf-8", "utf-16")
        refs = await env.ask("textDocument/references", "model.tgo", "Suffix\n",
                             context={"includeDeclaration": True})
        starts = sorted((r["range"]["start"]["line"], r["range"]["start"]["character"]) for r in refs)
        use = env.pos("model.tgo", "Suffix\n")
        assert (use["line"], use["character"]) in starts
        assert use["character"] == (len('var Greeting = "😀 héllo" + '.encode()) if encoding == "utf-8"
                                    else len('var Greeting = "😀 héllo" + '.encode("utf-16-le")) // 2)

    run(env, body)


def test_a_killed_gopls_is_restarted_with_the_view(env: Env) -> None:
    async def body(env: Env) -> None:
        await env.open("model.tgo")
        await env.check()
        assert await env.until(lambda: env.ask("textDocument/hover", "model.tgo", "Lookup(ok"))
        pid = env.backend.gopls.pid
        assert pid is not None
        os.kill(pid, 9)

        async def down() -> bool:
            return not env.backend.gopls.ready

        assert await env.until(down)
        assert "restarting" in (env.backend.status or "")
        assert await env.ask("textDocument/hover", "model.tgo", "Lookup(ok") is None
        hover = await env.until(lambda: env.ask("textDocument/hover", "model.tgo", "Lookup(ok"))
        assert "func Lookup" in str(hover["contents"])
        assert env.backend.status is None and env.backend.gopls.pid != pid

    run(env, body)


def test_a_generated_file_on_disk_is_hidden_by_the_view(env: Env) -> None:
    """``tgo gen`` left ``model_tgo.go`` on disk, out of date: gopls sees the view instead."""
    stale = "// Code generated by tgo from model.tgo. DO NOT EDIT.\n\npackage app\n\nfunc Old() {}\n"
    with open(env.path("model_tgo.go"), "w", encoding="utf-8") as f:
        f.write(stale)

    async def body(env: Env) -> None:
        await env.open("model.tgo")
        await env.open("use.go")
        await env.check()

        async def clean() -> bool:
            return env.diagnostics.get(env.path("use.go")) == []

        assert await env.until(clean), env.diagnostics
        got = await env.ask("textDocument/definition", "use.go", "Lookup(true)")
        assert [loc["uri"] for loc in got] == [env.uri("model.tgo")]
        symbols = await env.backend.request("workspace/symbol", {"query": "Old"})
        assert not [s for s in symbols or [] if s["name"] == "Old"]
        with open(env.path("model_tgo.go"), encoding="utf-8") as f:
            assert f.read() == stale  # never written

    run(env, body)


def test_more_requests_mapped(env: Env) -> None:
    with open(env.path("model.tgo"), "a", encoding="utf-8") as f:
        f.write("\n// Namer has a name.\ntype Namer interface {\n\tGetName() string\n}\n\n"
                "func (u ?*User) GetName() string {\n\tif u == nil {\n\t\treturn \"\"\n\t}\n\treturn u.Name\n}\n")

    async def body(env: Env) -> None:
        await env.ready("model.tgo", "use.go")
        symbols = await env.backend.request("workspace/symbol", {"query": "Lookup"})
        assert {"uri": env.uri("model.tgo"), "range": {"start": env.pos("model.tgo", "Lookup(ok"),
                "end": env.pos("model.tgo", "Lookup(ok", 6)}} in [s["location"] for s in symbols]
        impl = await env.ask("textDocument/implementation", "model.tgo", "Namer interface")
        assert [(i["uri"], i["range"]["start"]) for i in impl] == [(env.uri("model.tgo"),
                                                                    env.pos("model.tgo", "User struct"))]
        sig = await env.ask("textDocument/signatureHelp", "model.tgo", "find(ok)?", 5)
        assert "find(ok bool)" in sig["signatures"][0]["label"]
        highlights = await env.ask("textDocument/documentHighlight", "model.tgo", "u == nil")
        lines = sorted(h["range"]["start"]["line"] for h in highlights)
        assert lines == [env.pos("model.tgo", "u := find")["line"], env.pos("model.tgo", "u == nil")["line"],
                         env.pos("model.tgo", "u.Name")["line"]]
        # completion of a package not imported yet: its import edit lands in the .tgo import block
        text = env.texts[env.path("model.tgo")]
        at = env.pos("model.tgo", "\treturn u.Name")
        new = text.replace("\treturn u.Name", "\tstrings.ToUp\n\treturn u.Name")
        await env.change("model.tgo", new, [{"range": {"start": at, "end": at}, "text": "\tstrings.ToUp\n"}])
        result = await env.until(lambda: env.ask("textDocument/completion", "model.tgo", "strings.ToUp", 12))
        item = next(i for i in result["items"] if i["label"] == "ToUpper")
        # gopls adds "strings" after the "strconv" the enum's lowering imports (no source there):
        # the edit is written among the .tgo file's own imports
        changed = apply_workspace_edit(env, {"changes": {env.uri("model.tgo"): item["additionalTextEdits"]}})
        assert changed[env.path("model.tgo")].startswith('package app\n\nimport "errors"\nimport "strings"\n\n')

    run(env, body)


def test_a_request_waits_for_the_first_view(env: Env) -> None:
    """Right after opening, a request comes before the package is checked and lowered: it waits
    for the view instead of answering nothing."""
    async def body(env: Env) -> None:
        await env.open("model.tgo")
        asked = asyncio.create_task(env.ask("textDocument/definition", "model.tgo", "find(ok)?"))
        await asyncio.sleep(0)
        await env.check()
        got = await asked
        assert got and got[0]["range"]["start"] == env.pos("model.tgo", "find(ok bool)")

    run(env, body)
