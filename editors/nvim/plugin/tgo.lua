-- tgo for Neovim: enables the tgo language server for 'tgo' buffers.
-- Neovim 0.11+: vim.lsp.enable('tgo') with the config of lsp/tgo.lua.
-- Neovim 0.8-0.10: vim.lsp.start with the same config on each 'tgo' buffer.
-- Set vim.g.tgo_lsp = false before this file runs to leave the server off.
if vim.g.loaded_tgo then
  return
end
vim.g.loaded_tgo = true

if vim.g.tgo_lsp == false then
  return
end

if vim.lsp.config ~= nil and vim.lsp.enable ~= nil then
  vim.lsp.enable('tgo')
  return
end

if vim.lsp.start == nil then
  vim.notify('tgo: the language server needs Neovim 0.8 or newer (syntax and filetype work)', vim.log.levels.WARN)
  return
end

local file = vim.api.nvim_get_runtime_file('lsp/tgo.lua', false)[1]
local config = dofile(file)
vim.api.nvim_create_autocmd('FileType', {
  pattern = config.filetypes,
  group = vim.api.nvim_create_augroup('tgo_lsp', { clear = true }),
  callback = function(args)
    local found = nil
    for _, marker in ipairs(config.root_markers) do
      found = vim.fs.find(marker, { upward = true, path = vim.fs.dirname(vim.api.nvim_buf_get_name(args.buf)) })[1]
      if found ~= nil then
        break
      end
    end
    vim.lsp.start({
      name = 'tgo',
      cmd = config.cmd,
      root_dir = found and vim.fs.dirname(found) or nil,
      init_options = config.init_options,
    }, { bufnr = args.buf })
  end,
})
