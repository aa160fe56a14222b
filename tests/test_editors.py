"""The editor packages in editors/: Neovim's runtime files run headless, the VS Code extension built, tested and packaged by its own npm scripts.

Neovim is the real editor (0.11 or newer, for ``vim.lsp.config``) opening a real
``.tgo`` file of a module: the test reads back the filetype, the syntax groups
under tgo's constructs and the LSP config that would start ``tgo lsp``. The VS
Code part copies editors/vscode to a temporary directory and runs ``npm ci``,
``npm test`` (the TextMate grammar tests) and ``npm run package`` there, then
reads the ``.vsix``. The gopls that .ci/run pins type-checks a module with the
machine's Go. Each part is skipped, with the reason, when its tool is missing;
.ci/run installs them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
NVIM_DIR = REPO / "editors" / "nvim"
VSCODE_DIR = REPO / "editors" / "vscode"

MODULE_SOURCE = """\
//tgo:oblivious
package store

type User struct {
	Manager ?*User
}

type Color enum {
	Red
	Green = 3
}

type Shape union {
	Circle{Radius float64}
	*Polygon
}

func find(u ?*User) (?*User, error) {
	data := os.ReadFile("users.json")?
	cfg := parse(data) ? "parsing users"
	name := u.Manager!.Name
	if u!= nil {
	}
	return u, nil //tgo:ignore[nil-deref]
}
"""

# Where the syntax is read in MODULE_SOURCE: (line, text, its nth occurrence on the
# line) and the innermost syntax group Neovim must give it.
PROBES: dict[str, tuple[int, str, int, str]] = {
    "directive_first_line": (1, "tgo:oblivious", 1, "tgoDirectiveName"),
    "go_struct": (4, "struct", 1, "goDeclType"),
    "nullable_field": (5, "?", 1, "tgoNullable"),
    "enum_keyword": (8, "enum", 1, "tgoEnumKeyword"),
    "enum_member": (9, "Red", 1, "tgoEnumMember"),
    "enum_member_value": (10, "Green", 1, "tgoEnumMember"),
    "union_keyword": (13, "union", 1, "tgoUnionKeyword"),
    "new_variant": (14, "Circle", 1, "tgoUnionVariant"),
    "existing_variant": (15, "Polygon", 1, "tgoUnionVariant"),
    "nullable_param": (18, "?", 1, "tgoNullable"),
    "nullable_result": (18, "?", 2, "tgoNullable"),
    "try": (19, "?", 1, "tgoTry"),
    "try_message": (20, "?", 1, "tgoTry"),
    "try_message_string": (20, "parsing users", 1, "goString"),
    "assertion": (21, "!", 1, "tgoAssert"),
    "not_equal": (22, "!=", 1, "goBlock"),  # u!= nil is Go's !=, not an assertion
    "go_return": (24, "return", 1, "goStatement"),
    "ignore": (24, "tgo:ignore", 1, "tgoDirectiveName"),
    "ignore_code": (24, "nil-deref", 1, "tgoDirectiveCodes"),
}

# Run inside Neovim after it opened store.tgo: what the test asserts on, as JSON.
CHECK_LUA = """\
local function groups(line, text, nth)
  local l = vim.fn.getline(line)
  local col = 0
  for _ = 1, (nth or 1) do
    col = assert(string.find(l, text, col + 1, true), text)
  end
  local names = {}
  for _, id in ipairs(vim.fn.synstack(line, col)) do
    table.insert(names, vim.fn.synIDattr(id, 'name'))
  end
  return names
end
local probes = vim.json.decode(io.open(vim.env.TGO_PROBES):read('*a'))
local cfg = vim.lsp.config.tgo
local out = {
  filetype = vim.bo.filetype,
  syntax = vim.b.current_syntax,
  syntax_on = vim.g.syntax_on == 1,
  commentstring = vim.bo.commentstring,
  cmd = cfg.cmd,
  filetypes = cfg.filetypes,
  root_markers = cfg.root_markers,
  enabled = vim.lsp.is_enabled('tgo'),
  root = vim.fs.root(0, cfg.root_markers),
  syn = {},
}
for name, probe in pairs(probes) do
  out.syn[name] = groups(probe[1], probe[2], probe[3])
end
vim.cmd.edit('helper.go')
out.go_filetype = vim.bo.filetype
vim.cmd.edit('store.tgoi')
out.stub_filetype = vim.bo.filetype
io.stdout:write(vim.json.encode(out) .. '\\n')
"""


def _nvim() -> tuple[str | None, str]:
    nvim = shutil.which("nvim")
    if nvim is None:
        return None, "needs Neovim 0.11+ (nvim) on PATH; .ci/run installs it"
    first = subprocess.run([nvim, "--version"], capture_output=True, text=True, timeout=60).stdout
    found = re.match(r"NVIM v(\d+)\.(\d+)", first)
    if found is None or (int(found[1]), int(found[2])) < (0, 11):
        return None, f"needs Neovim 0.11+ for vim.lsp.config, found {first.splitlines()[:1]}"
    return nvim, ""


NVIM, NVIM_REASON = _nvim()


@pytest.fixture(scope="module")
def nvim_result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if NVIM is None:
        pytest.skip(NVIM_REASON)
    root = tmp_path_factory.mktemp("nvim")
    module = root / "module"
    (module / "store").mkdir(parents=True)
    (module / "go.mod").write_text("module example.com/store\n\ngo 1.22\n")
    (module / "store" / "store.tgo").write_text(MODULE_SOURCE)
    (module / "store" / "helper.go").write_text("package store\n")
    (module / "store" / "store.tgoi").write_text("//tgo:strict\npackage store\n")
    check = root / "check.lua"
    check.write_text(CHECK_LUA)
    probes = root / "probes.json"
    probes.write_text(json.dumps({name: probe[:3] for name, probe in PROBES.items()}))
    # No user configuration, state or data: only the runtime and editors/nvim.
    env = {**os.environ, **{f"XDG_{kind}_HOME": str(root / kind.lower()) for kind in ("CONFIG", "DATA", "STATE", "CACHE")},
           "TGO_PROBES": str(probes)}
    proc = subprocess.run(
        [NVIM, "--headless", "--clean", "--cmd", f"set rtp^={NVIM_DIR}", "store.tgo",
         "+luafile " + str(check), "+qa!"],
        cwd=module / "store", env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    assert line, f"no result from nvim: stdout={proc.stdout!r} stderr={proc.stderr!r}"
    result: dict[str, Any] = json.loads(line[-1])
    result["module"] = str(module.resolve())
    return result


def test_nvim_filetype(nvim_result: dict[str, Any]) -> None:
    assert nvim_result["filetype"] == "tgo"
    assert nvim_result["stub_filetype"] == "tgo"
    assert nvim_result["go_filetype"] == "go"
    assert nvim_result["commentstring"] == "// %s"  # Go's ftplugin


def test_nvim_lsp_config_starts_tgo_lsp(nvim_result: dict[str, Any]) -> None:
    assert nvim_result["cmd"] == ["tgo", "lsp"]
    assert nvim_result["filetypes"] == ["tgo"]
    assert nvim_result["root_markers"] == ["go.work", "go.mod", "tgo.toml", ".git"]
    assert nvim_result["enabled"] is True
    assert Path(nvim_result["root"]).resolve() == Path(nvim_result["module"])


def test_nvim_syntax(nvim_result: dict[str, Any]) -> None:
    assert nvim_result["syntax"] == "tgo"
    assert nvim_result["syntax_on"] is True
    syn = nvim_result["syn"]
    innermost = {name: groups[-1] if groups else "" for name, groups in syn.items()}
    assert innermost == {name: probe[3] for name, probe in PROBES.items()}
    assert "tgoAssert" not in syn["not_equal"]


@pytest.mark.skipif(shutil.which("gopls") is None or shutil.which("go") is None,
                    reason="needs gopls and go on PATH; .ci/run installs gopls")
def test_gopls_works_with_this_go(tmp_path: Path) -> None:
    """The gopls on PATH (the one .ci/run pins) type-checks a module with the machine's Go."""
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    (tmp_path / "a.go").write_text('package m\n\nfunc F() int {\n\treturn "x"\n}\n')
    proc = subprocess.run(["gopls", "check", "a.go"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert 'a.go:4:9-12: cannot use "x" (untyped string constant) as int value in return statement' in proc.stdout


def test_vscode_manifest_pins_and_grammar() -> None:
    manifest = json.loads((VSCODE_DIR / "package.json").read_text())
    lock = json.loads((VSCODE_DIR / "package-lock.json").read_text())
    for section in ("dependencies", "devDependencies"):
        for name, version in manifest[section].items():
            assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name}@{version} is not pinned"
            assert lock["packages"][f"node_modules/{name}"]["version"] == version
    language = manifest["contributes"]["languages"][0]
    assert language["id"] == "tgo" and ".tgo" in language["extensions"]
    grammar_entry = manifest["contributes"]["grammars"][0]
    grammar = json.loads((VSCODE_DIR / grammar_entry["path"]).read_text())
    assert grammar["scopeName"] == grammar_entry["scopeName"] == "source.tgo"
    assert {"include": "source.go"} in grammar["patterns"]
    settings = manifest["contributes"]["configuration"]["properties"]
    assert settings["tgo.serveGoFiles"]["default"] is False
    assert {"tgo.path", "tgo.gopls.enabled", "tgo.trace.server"} <= settings.keys()


def _node_reason() -> str:
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "needs node and npm on PATH"
    version = subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=60).stdout
    found = re.match(r"v(\d+)\.", version)
    if found is None or int(found[1]) < 20:
        return f"needs node 20+ (@vscode/vsce), found {version.strip()!r}"
    return ""


NODE_REASON = _node_reason()


@pytest.mark.slow
@pytest.mark.skipif(bool(NODE_REASON), reason=NODE_REASON or "node is there")
def test_vscode_extension_builds_tests_and_packages(tmp_path: Path) -> None:
    """npm ci, npm test (the grammar tests) and npm run package in a copy; the .vsix holds the grammar and the client."""
    work = tmp_path / "vscode"
    shutil.copytree(VSCODE_DIR, work, ignore=shutil.ignore_patterns("node_modules", "out", "*.vsix"))
    env = {**os.environ, "npm_config_audit": "false", "npm_config_fund": "false",
           "npm_config_update_notifier": "false", "npm_config_prefer_offline": "true"}

    def npm(*args: str) -> str:
        proc = subprocess.run(["npm", *args], cwd=work, env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, f"npm {' '.join(args)}:\n{proc.stdout}\n{proc.stderr}"
        return proc.stdout

    npm("ci")
    tested = npm("test")
    cases = sorted(p.name for p in (VSCODE_DIR / "testdata").glob("*.tgo"))
    assert len(cases) >= 7
    for case in cases:
        assert f"testdata/{case} run successfuly" in tested, tested

    npm("run", "package")
    version = json.loads((work / "package.json").read_text())["version"]
    vsix = work / f"tgo-{version}.vsix"
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        assert archive.read("extension/syntaxes/tgo.tmLanguage.json") == (
            VSCODE_DIR / "syntaxes" / "tgo.tmLanguage.json"
        ).read_bytes()
        client = archive.read("extension/out/extension.js").decode()
        packaged = json.loads(archive.read("extension/package.json"))
    assert {"extension/language-configuration.json",
            "extension/node_modules/vscode-languageclient/package.json"} <= names
    assert not any(name.startswith("extension/node_modules/typescript/") for name in names)
    assert not any(name.startswith(("extension/src/", "extension/testdata/")) for name in names)
    assert 'require("vscode-languageclient/node")' in client
    assert "'lsp'" in client
    assert packaged["main"] == "./out/extension.js"

    # The grammar tests are not vacuous: a grammar that loses a tgo construct fails them.
    path = work / "syntaxes" / "tgo.tmLanguage.json"
    grammar = json.loads(path.read_text())
    del grammar["repository"]["non-nil-assertion"]
    grammar["repository"]["tgo"]["patterns"].remove({"include": "#non-nil-assertion"})
    path.write_text(json.dumps(grammar))
    proc = subprocess.run(["npm", "test"], cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode != 0
    assert "testdata/assertion.tgo failed" in proc.stdout
