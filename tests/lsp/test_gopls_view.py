"""The Go view and the proxy's mapping on real lowered files, without gopls: edits keep the map exact, positions convert between encodings, what does not map is dropped."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transpiler.check.snapshot import Session
from transpiler.lower.lowering import lower_checked_files
from transpiler.lsp.backend import GoRefusal
from transpiler.lsp.convert import offset_of, position_of, uri_of
from transpiler.lsp.goview import GoFile
from transpiler.lsp.proxy import Proxy
from transpiler.syntax.source import SourceFile

MODEL = """package app

import "errors"

type User struct {
	Name string // 😀 naïve
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
	return u!.Name, nil
}
"""


def lowered_view(tmp: Path, text: str = MODEL) -> GoFile:
    (tmp / "go.mod").write_text("module example.com/app\n\ngo 1.22\n", encoding="utf-8")
    (tmp / "model.tgo").write_text(text, encoding="utf-8")
    check = Session().snapshot().check_package(str(tmp))
    assert check.checker is not None
    (lowered,) = lower_checked_files(check.checker, check.infos, editor=True).values()
    return GoFile.from_lowered(lowered)


def assert_exact(gf: GoFile) -> None:
    for t0, g0, n in gf.segments:
        assert gf.tgo.text[t0 : t0 + n] == gf.go.text[g0 : g0 + n]


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> GoFile:
    return lowered_view(tmp_path_factory.mktemp("view"))


def fresh(gf: GoFile) -> GoFile:
    return GoFile(gf.tgo_path, gf.go_path, gf.tgo, gf.go, list(gf.segments), list(gf.edited))


def test_an_edit_in_copied_text_reaches_the_go(view: GoFile) -> None:
    gf = fresh(view)
    at = gf.tgo.text.index("u!.Name") + 3
    assert gf.edit(at, at + 4, "") is True  # "u!." : typing after the dot
    assert "return u., nil" in gf.go.text and "return u!., nil" in gf.tgo.text
    assert_exact(gf)
    assert gf.map.to_go(at) == gf.go.text.index("u., nil") + 2


def test_an_edit_in_tgo_only_text_leaves_the_go(view: GoFile) -> None:
    gf = fresh(view)
    q = gf.tgo.text.index("?*User")
    assert gf.edit(q, q + 1, "") is False  # the ? of ?*User has no counterpart
    assert gf.go.text == view.go.text
    assert_exact(gf)
    # text after the edit still maps, moved by one
    name = gf.tgo.text.index("Lookup")
    assert gf.map.to_go(name) == view.map.to_go(name + 1)


_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 6), st.sampled_from(["", "x", "u.", "é😀", "\n\t", "?"])),
                min_size=1, max_size=12))
def test_any_edits_keep_the_map_exact(view: GoFile, edits: list[tuple[float, int, str]]) -> None:
    gf = fresh(view)
    text = gf.tgo.text
    for where, length, new in edits:
        pos = int(where * len(text))
        end = min(len(text), pos + length)
        gf.edit(pos, end, new)
        text = text[:pos] + new + text[end:]
        assert gf.tgo.text == text
        assert_exact(gf)
        assert all(s[2] > 0 for s in gf.segments)


def test_positions_convert_between_encodings(tmp_path: Path) -> None:
    gf = lowered_view(tmp_path)
    gf.tgo_path, gf.go_path = str(tmp_path / "model.tgo"), str(tmp_path / "model_tgo.go")
    proxy = Proxy({gf.tgo_path: gf}, {gf.go_path: gf}, {}, {}, client="utf-8", gopls="utf-16")
    comment = gf.tgo.text.index("naïve")
    pos8 = position_of(gf.tgo, comment, "utf-8")
    assert pos8["character"] == len("\tName string // 😀 ".encode())
    mapped = proxy.params("textDocument/hover", {"textDocument": {"uri": uri_of(gf.tgo_path)}, "position": pos8})
    assert mapped is not None
    params, origin = mapped
    assert params["textDocument"]["uri"] == uri_of(gf.go_path)
    go_off = offset_of(gf.go, params["position"], "utf-16")
    assert gf.go.text[go_off:].startswith("naïve")
    assert params["position"]["character"] == len("\tName string // 😀 ".encode("utf-16-le")) // 2
    # a location back: in the Go view to the .tgo file, in the client's encoding
    rng = {"start": params["position"], "end": position_of(gf.go, go_off + 5, "utf-16")}
    back = proxy.result("textDocument/definition", [{"uri": uri_of(gf.go_path), "range": rng}], origin)
    assert back == [{"uri": uri_of(gf.tgo_path), "range": {"start": pos8, "end": position_of(gf.tgo, comment + 5,
                                                                                               "utf-8")}}]
    # a real .go file: read from the disk for its encoding
    real = tmp_path / "other.go"
    real.write_text("package app\n\nvar s = \"😀\" + X\n", encoding="utf-8")
    got = proxy.result("textDocument/references", [{"uri": uri_of(str(real)), "range": {
        "start": {"line": 2, "character": 15}, "end": {"line": 2, "character": 16}}}], origin)
    assert got[0]["range"]["start"] == {"line": 2, "character": 17}  # 😀: 2 units, 4 bytes


def test_what_does_not_map_is_dropped_or_refused(tmp_path: Path) -> None:
    gf = lowered_view(tmp_path)
    gf.tgo_path, gf.go_path = str(tmp_path / "model.tgo"), str(tmp_path / "model_tgo.go")
    proxy = Proxy({gf.tgo_path: gf}, {gf.go_path: gf}, {}, {gf.tgo_path: 7})
    generated = gf.go.text.index("func (c Color) String()") + len("func (c Color) ")
    user = gf.go.text.index("User struct")

    def rng(off: int, n: int) -> dict[str, Any]:
        return {"start": position_of(gf.go, off, "utf-16"), "end": position_of(gf.go, off + n, "utf-16")}

    origin = proxy.params("textDocument/completion", {"textDocument": {"uri": uri_of(gf.tgo_path)},
                                                      "position": {"line": 0, "character": 0}})
    assert origin is not None
    items = [{"label": "a", "textEdit": {"range": rng(user, 4), "newText": "User"}},
             {"label": "b", "textEdit": {"range": rng(generated, 6), "newText": "String"}},
             {"label": "c", "textEdit": {"insert": rng(user, 2), "replace": rng(user, 4), "newText": "Us"},
              "additionalTextEdits": [{"range": rng(generated, 1), "newText": "x"}]}]
    got = proxy.result("textDocument/completion", {"isIncomplete": False, "items": items}, origin[1])
    assert [i["label"] for i in got["items"]] == ["a"]
    tgo_user = gf.tgo.text.index("User struct")
    assert got["items"][0]["textEdit"]["range"]["start"] == position_of(gf.tgo, tgo_user, "utf-16")
    # a rename whose edit lands in generated Go is refused, in both forms
    with pytest.raises(GoRefusal, match="generates"):
        proxy.result("textDocument/rename", {"changes": {uri_of(gf.go_path): [
            {"range": rng(user, 4), "newText": "U"}, {"range": rng(generated, 6), "newText": "S"}]}}, origin[1])
    edit = proxy.result("textDocument/rename", {"documentChanges": [{
        "textDocument": {"uri": uri_of(gf.go_path), "version": 3},
        "edits": [{"range": rng(user, 4), "newText": "U"}]}]}, origin[1])
    assert edit["documentChanges"][0]["textDocument"] == {"uri": uri_of(gf.tgo_path), "version": 7}
    # symbols of generated code are left out; a symbol whose full range does not map keeps its name's
    symbols = [{"name": "String", "kind": 6, "range": rng(generated, 6), "selectionRange": rng(generated, 6)},
               {"name": "User", "kind": 23, "range": rng(gf.go.text.index("type User"), 40),
                "selectionRange": rng(user, 4)}]
    got = proxy.result("textDocument/documentSymbol", symbols, origin[1])
    assert [s["name"] for s in got] == ["User"]
    assert got[0]["range"]["start"] == position_of(gf.tgo, gf.tgo.text.index("type User"), "utf-16")
    assert got[0]["selectionRange"]["start"] == position_of(gf.tgo, tgo_user, "utf-16")
    # Go's diagnostics: those in generated code dropped, the rest at their .tgo position
    published = proxy.diagnostics({"uri": uri_of(gf.go_path), "version": gf.go_version, "diagnostics": [
        {"range": rng(generated, 6), "message": "generated"}, {"range": rng(user, 4), "message": "user"}]})
    assert published is not None
    path, version, diags = published
    assert (path, version, [d["message"] for d in diags]) == (gf.tgo_path, 7, ["user"])
    assert proxy.diagnostics({"uri": uri_of(gf.go_path), "version": gf.go_version + 1, "diagnostics": []}) is None


def test_a_rename_on_tgo_only_syntax_is_refused(tmp_path: Path) -> None:
    gf = lowered_view(tmp_path)
    gf.tgo_path, gf.go_path = str(tmp_path / "model.tgo"), str(tmp_path / "model_tgo.go")
    proxy = Proxy({gf.tgo_path: gf}, {gf.go_path: gf}, {}, {})
    uri = uri_of(gf.tgo_path)
    for needle, delta in (("?*User", 0), ("find(ok)?", 8)):
        pos = position_of(gf.tgo, gf.tgo.text.index(needle) + delta, "utf-16")
        with pytest.raises(GoRefusal, match="tgo-only"):
            proxy.params("textDocument/rename", {"textDocument": {"uri": uri}, "position": pos, "newName": "x"})
    # right after a name, before its !: the name is renamed
    pos = position_of(gf.tgo, gf.tgo.text.index("u!.Name") + 1, "utf-16")
    assert proxy.params("textDocument/rename", {"textDocument": {"uri": uri}, "position": pos, "newName": "x"})


def test_gopls_missing_or_disabled_says_why(tmp_path: Path) -> None:
    import asyncio

    from transpiler.lsp.gopls_backend import GoplsBackend

    async def main() -> None:
        missing = GoplsBackend()
        await missing.start(str(tmp_path), "utf-16", {"path": str(tmp_path / "no-gopls")})
        assert "go install golang.org/x/tools/gopls@v0.23.0" in (missing.status or "")
        assert not missing.handles("textDocument/hover")
        assert await missing.request("textDocument/hover", {}) is None
        off = GoplsBackend()
        await off.start(str(tmp_path), "utf-16", {"enabled": False})
        assert "disabled" in (off.status or "") and not off.handles("textDocument/hover")

    asyncio.run(main())
    assert not os.path.exists(tmp_path / "model_tgo.go")


@pytest.mark.parametrize(("imports", "want"), [
    ('import "errors"\n', 'import "errors"\nimport "strings"\n'),
    ('import (\n\t"errors"\n)\n', 'import (\n\t"errors"\n\t"strings"\n)\n'),
    ('import ("errors")\n', 'import ("errors"; "strings")\n'),
])
def test_an_import_completion_adds_lands_among_the_tgo_imports(tmp_path: Path, imports: str, want: str) -> None:
    gf = lowered_view(tmp_path, MODEL.replace('import "errors"\n', imports))
    gf.tgo_path, gf.go_path = str(tmp_path / "model.tgo"), str(tmp_path / "model_tgo.go")
    proxy = Proxy({gf.tgo_path: gf}, {gf.go_path: gf}, {}, {})
    origin = proxy.params("textDocument/completion", {"textDocument": {"uri": uri_of(gf.tgo_path)},
                                                      "position": {"line": 0, "character": 0}})
    assert origin is not None
    # gopls adds "strings" after "strconv", which the enum's lowering imported
    at = position_of(gf.go, gf.go.text.index('"strconv"') + len('"strconv'), "utf-16")
    item = {"label": "ToUpper", "additionalTextEdits": [{"range": {"start": at, "end": at},
                                                           "newText": '"\n\t"strings'}]}
    got = proxy.result("textDocument/completion", [item], origin[1])
    (edit,) = got[0]["additionalTextEdits"]
    start = offset_of(gf.tgo, edit["range"]["start"], "utf-16")
    text = gf.tgo.text[:start] + edit["newText"] + gf.tgo.text[start:]
    assert text == gf.tgo.text.replace(imports, want)
    # an edit that changes more than the imports is not translated: the item is dropped
    body = position_of(gf.go, gf.go.text.index("func find"), "utf-16")
    item["additionalTextEdits"].append({"range": {"start": body, "end": body}, "newText": "x"})
    assert proxy.result("textDocument/completion", [item], origin[1]) == []


def test_whole_texts_and_malformed_changes_keep_the_view(tmp_path: Path) -> None:
    """A client that sends whole texts keeps completion after "u." (the changed part is found);
    a malformed change raises nothing and leaves the view right for the text."""
    import asyncio

    from transpiler.lsp.gopls_backend import GoplsBackend

    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.22\n", encoding="utf-8")
    path = str(tmp_path / "model.tgo")
    Path(path).write_text(MODEL, encoding="utf-8")
    check = Session().snapshot().check_package(str(tmp_path))

    async def main() -> None:
        backend = GoplsBackend()  # not started: nothing goes to a gopls
        await backend.document_changed(path, 1, MODEL, None)
        await backend.package_checked(str(tmp_path), check, {path: 1})
        gf = backend.files[path]
        assert not os.path.exists(gf.go_path)
        typed = MODEL.replace("u!.Name", "u!.")
        await backend.document_changed(path, 2, typed, [{"text": typed}])
        assert "return u., nil" in backend.files[path].go.text
        assert_exact(backend.files[path])
        await backend.document_changed(path, 3, MODEL, [{"range": {"start": {"line": "x"}}, "text": 5}])
        assert backend.files[path].tgo.text == MODEL and "return u.Name, nil" in backend.files[path].go.text
        assert_exact(backend.files[path])
        assert await backend.request("textDocument/hover", {"textDocument": {}}) is None
        # the package's last document closed: its view goes
        await backend.document_closed(path)
        assert not backend.files and not backend.by_go

    asyncio.run(main())


def test_a_lowering_overtaken_by_edits_is_brought_up_to_date(tmp_path: Path) -> None:
    """The user types "u." while the package is checked and lowered: the lowering, once done, gets
    the edits made since (so completion after "u." works although "u." never lowers); an older
    lowering never replaces a newer one."""
    import asyncio

    from transpiler.lsp.gopls_backend import GoplsBackend

    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.22\n", encoding="utf-8")
    path = str(tmp_path / "model.tgo")
    Path(path).write_text(MODEL, encoding="utf-8")
    session = Session()
    first = session.snapshot({path: MODEL}).check_package(str(tmp_path))
    typed = MODEL.replace("u!.Name", "u!.")
    at = position_of(SourceFile(path, MODEL), MODEL.index("u!.Name") + 3, "utf-16")
    end = {"line": at["line"], "character": at["character"] + 4}

    async def main() -> None:
        backend = GoplsBackend()
        await backend.document_changed(path, 1, MODEL, None)
        await backend.document_changed(path, 2, typed, [{"range": {"start": at, "end": end}, "text": ""}])
        await backend.package_checked(str(tmp_path), first, {path: 1})  # checked before the edit
        gf = backend.files[path]
        assert gf.tgo.text == typed and "return u., nil" in gf.go.text
        assert gf.map.to_go(offset_of(gf.tgo, at, "utf-16")) == gf.go.text.index("u., nil") + 2
        assert_exact(gf)
        await backend.document_changed(path, 3, MODEL, [{"range": {"start": at, "end": at}, "text": "Name"}])
        third = session.snapshot({path: MODEL}).check_package(str(tmp_path))
        await backend.package_checked(str(tmp_path), third, {path: 3})
        await backend.package_checked(str(tmp_path), first, {path: 1})  # late: ignored
        gf = backend.files[path]
        assert gf.tgo.text == MODEL and "return u.Name, nil" in gf.go.text
        assert_exact(gf)

    asyncio.run(main())


def test_go_diagnostics_of_a_package_without_its_view_wait(tmp_path: Path) -> None:
    """Before the Go view of a package is open, gopls sees its .go files without the .tgo
    declarations: what it says of them (``undefined``) is not passed on."""
    import asyncio

    from transpiler.lsp.gopls_backend import GoplsBackend

    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.22\n", encoding="utf-8")
    path = str(tmp_path / "model.tgo")
    Path(path).write_text(MODEL, encoding="utf-8")
    use = str(tmp_path / "use.go")
    Path(use).write_text("package app\n\nvar _ = Lookup\n", encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    plain = str(other / "plain.go")
    Path(plain).write_text("package other\n\nvar _ = missing\n", encoding="utf-8")
    got: list[tuple[str, list[dict[str, Any]]]] = []
    undefined = [{"range": {"start": {"line": 2, "character": 8}, "end": {"line": 2, "character": 14}},
                  "message": "undefined: Lookup"}]

    async def main() -> None:
        backend = GoplsBackend()
        backend.on_diagnostics = lambda p, v, d: got.append((p, d))
        backend._notification("textDocument/publishDiagnostics", {"uri": uri_of(use), "diagnostics": undefined})
        backend._notification("textDocument/publishDiagnostics", {"uri": uri_of(plain), "diagnostics": undefined})
        assert got == [(plain, undefined)]  # a package without .tgo files: as gopls says
        await backend.document_changed(path, 1, MODEL, None)
        await backend.package_checked(str(tmp_path), Session().snapshot().check_package(str(tmp_path)), {path: 1})
        backend._notification("textDocument/publishDiagnostics", {"uri": uri_of(use), "diagnostics": []})
        assert got[-1] == (use, [])

    asyncio.run(main())
