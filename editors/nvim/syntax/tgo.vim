" Vim syntax file
" Language: tgo (typed Go: shared/spec/language.md §2-§5)
" Go's syntax (runtime syntax/go.vim) plus tgo's own: ?T, x!, call? and
" call ? "msg", enum and union declarations, //tgo: directives.

if exists('b:current_syntax')
  finish
endif

runtime! syntax/go.vim
unlet! b:current_syntax

" ?T: a ? before a type (a type never starts with a string literal or ends a line).
syn match tgoNullable /?\ze\s*\%([*[(]\|<-\|\h\)/
" call? and call ? "msg": return the call's error from the enclosing function.
syn match tgoTry /?\ze\s*\%($\|;\|\/\/\|\/\*\|[)}\],]\|"\|`\)/
" x!: a postfix ! right after an operand; x!= y is Go's x != y.
syn match tgoAssert /\%([[:alnum:]_)\]}"'`]\)\@1<=!=\@!/

" type Name enum [Base] { Member [= value] ... }
" (Vim's syntax matching starts at the current column, so what comes before the
" keyword and the brace is a look-behind.)
syn match tgoEnumKeyword /\%(\%(\<type\s\+\|^\s*\)\h\w*\s\+\)\@<=enum\ze\%(\s\+\h[[:alnum:]_.]*\)\=\s*{/
syn region tgoEnumBody matchgroup=goBraces start=/\%(\%(\<type\s\+\|^\s*\)\h\w*\s\+enum\%(\s\+\h[[:alnum:]_.]*\)\=\s*\)\@<={/ end=/}/ contains=TOP
syn match tgoEnumMember /\%(\%(^\|[;{]\)\s*\)\@<=\h\w*/ contained containedin=tgoEnumBody

" type Name[TypeParams] union { New{fields} | Existing | *Existing ... }
syn match tgoUnionKeyword /\%(\%(\<type\s\+\|^\s*\)\h\w*\%(\[[^\]]*\]\)\=\s\+\)\@<=union\ze\s*{/
syn region tgoUnionBody matchgroup=goBraces start=/\%(\%(\<type\s\+\|^\s*\)\h\w*\%(\[[^\]]*\]\)\=\s\+union\s*\)\@<={/ end=/}/ contains=TOP
syn match tgoUnionVariant /\%(^\s*\)\@<=\*\=\h\w*/ contained containedin=tgoUnionBody

" //tgo:ignore, //tgo:ignore[code,code], //tgo:oblivious, //tgo:strict
syn match tgoDirective "//tgo:\%(ignore\|oblivious\|strict\)\>.*$" contains=tgoDirectiveName,tgoDirectiveCodes
syn match tgoDirectiveName "tgo:\%(ignore\|oblivious\|strict\)\>" contained
syn match tgoDirectiveCodes "\[\zs[^\]]*\ze\]" contained

hi def link tgoNullable       StorageClass
hi def link tgoTry            Statement
hi def link tgoAssert         Operator
hi def link tgoEnumKeyword    Keyword
hi def link tgoUnionKeyword   Keyword
hi def link tgoEnumMember     Constant
hi def link tgoUnionVariant   Type
hi def link tgoDirective      Comment
hi def link tgoDirectiveName  PreProc
hi def link tgoDirectiveCodes Constant

let b:current_syntax = 'tgo'
