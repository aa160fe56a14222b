"""tgo lsp in a real editor: headless Neovim with the shipped editors/nvim config opens a .tgo file of a module and reads tgo's diagnostics and a hover through its own LSP client."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lspclient import module

REPO = Path(__file__).resolve().parents[2]
NVIM_DIR = REPO / "editors" / "nvim"
TOOLS = Path.home() / ".cache" / "tgo-ci-tools" / "bin"  # where .ci/run installs Neovim

SOURCE = """package m

type User struct {
	Name string
}

func find(users []*User) ?*User {
	if len(users) == 0 {
		return nil
	}
	return users[0]
}

func greet(users []*User) string {
	u := find(users)
	return u.Name
}
"""

SCRIPT = r"""
local out = {}
vim.cmd.edit(vim.env.TGO_FILE)
local buf = vim.api.nvim_get_current_buf()
out.filetype = vim.bo[buf].filetype
out.got = vim.wait(60000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
out.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(out.diagnostics, { lnum = d.lnum, col = d.col, end_col = d.end_col, code = d.code,
                                  source = d.source, severity = d.severity, message = d.message })
end
out.clients = {}
for _, c in ipairs(vim.lsp.get_clients({ bufnr = buf })) do
  table.insert(out.clients, { name = c.name, cmd = c.config.cmd })
end
local params = { textDocument = { uri = vim.uri_from_bufnr(buf) },
                 position = { line = tonumber(vim.env.TGO_LINE), character = tonumber(vim.env.TGO_COL) } }
local answers = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 30000) or {}
for _, a in pairs(answers) do
  if a.result then out.hover = a.result.contents.value end
  if a.err then out.hover_error = a.err.message end
end
io.stdout:write(vim.json.encode(out) .. '\n')
vim.cmd('qa!')
"""


def _nvim() -> tuple[str | None, str]:
    nvim = shutil.which("nvim") or shutil.which("nvim", path=str(TOOLS))
    if nvim is None:
        return None, f"needs Neovim 0.11+ (nvim on PATH or in {TOOLS}); .ci/run installs it"
    first = subprocess.run([nvim, "--version"], capture_output=True, text=True, timeout=60).stdout
    found = re.match(r"NVIM v(\d+)\.(\d+)", first)
    if found is None or (int(found[1]), int(found[2])) < (0, 11):
        return None, f"needs Neovim 0.11+ for vim.lsp.config, found {first.splitlines()[:1]}"
    return nvim, ""


@pytest.mark.slow
def test_neovim_shows_diagnostics_and_hover(tmp_path: Path) -> None:
    nvim, reason = _nvim()
    if nvim is None:
        pytest.skip(reason)
    root = module(tmp_path / "module", {"m.tgo": SOURCE})
    script = tmp_path / "check.lua"
    script.write_text(SCRIPT)
    line = SOURCE.splitlines().index("\tu := find(users)")
    # the venv's tgo first on PATH: the shipped config's cmd is { 'tgo', 'lsp' }
    bindir = os.path.dirname(sys.executable)
    assert os.path.exists(os.path.join(bindir, "tgo")), "the tgo command is not installed next to python"
    env = {**os.environ, **{f"XDG_{kind}_HOME": str(tmp_path / kind.lower()) for kind in ("CONFIG", "DATA", "STATE", "CACHE")},
           "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
           "TGO_FILE": str(root / "m.tgo"), "TGO_LINE": str(line), "TGO_COL": "1"}
    proc = subprocess.run([nvim, "--headless", "--clean", "--cmd", f"set rtp^={NVIM_DIR}", "-l", str(script)],
                          cwd=root, env=env, capture_output=True, text=True, timeout=180)
    out = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    assert out, f"no result from nvim: rc={proc.returncode} stdout={proc.stdout!r} stderr={proc.stderr!r}"
    result = json.loads(out[-1])
    assert result["filetype"] == "tgo"
    assert [c["name"] for c in result["clients"]] == ["tgo"]
    assert result["clients"][0]["cmd"] == ["tgo", "lsp"]
    assert result["got"] is True, result
    diags = result["diagnostics"]
    assert [(d["lnum"], d["col"], d["end_col"], d["code"], d["source"]) for d in diags] == \
        [(15, 8, 9, "nil-deref", "tgo")]
    assert "?*User" in diags[0]["message"]
    assert "hover_error" not in result, result
    assert "```go\nvar u ?*User\n```" in result["hover"]
