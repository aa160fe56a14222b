" tgo indent: Go's indent rules.
if exists('b:did_indent')
  finish
endif
runtime! indent/go.vim
