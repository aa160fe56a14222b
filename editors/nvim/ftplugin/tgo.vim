" tgo filetype plugin: Go's (comments, commentstring, tabs, gofmt as formatprg).
if exists('b:did_ftplugin')
  finish
endif
runtime! ftplugin/go.vim
