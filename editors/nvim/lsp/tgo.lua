-- The tgo language server for Neovim 0.11+ (`vim.lsp.config` finds this file on
-- 'runtimepath' as lsp/tgo.lua; `vim.lsp.enable('tgo')` turns it on, plugin/tgo.lua
-- does that). Override any field with vim.lsp.config('tgo', { ... }), e.g. the
-- command: vim.lsp.config('tgo', { cmd = { '/path/to/.venv/bin/tgo', 'lsp' } }).
---@type vim.lsp.Config
return {
  cmd = { 'tgo', 'lsp' },
  filetypes = { 'tgo' },
  -- go.work first: one server (and one gopls) for a whole Go workspace.
  root_markers = { 'go.work', 'go.mod', 'tgo.toml', '.git' },
  init_options = { gopls = { enabled = true } },
}
