-- tgo: *.tgo sources and *.tgoi stubs are the filetype 'tgo'.
vim.filetype.add({ extension = { tgo = 'tgo', tgoi = 'tgo' } })
