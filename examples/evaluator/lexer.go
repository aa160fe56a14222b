package evaluator

// The lexer is plain Go: a package may mix .go and .tgo files, and tgo
// sees Go code with unknown nullability, so it never complains about it.

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

type tokenKind int

const (
	tokEOF tokenKind = iota
	tokNum
	tokIdent
	tokPlus
	tokMinus
	tokStar
	tokLParen
	tokRParen
)

var punctuation = map[byte]tokenKind{
	'+': tokPlus,
	'-': tokMinus,
	'*': tokStar,
	'(': tokLParen,
	')': tokRParen,
}

type token struct {
	kind tokenKind
	pos  int // byte offset in the source
	text string
	num  float64 // for tokNum
}

func (t token) String() string {
	if t.kind == tokEOF {
		return "end of input"
	}
	return strconv.Quote(t.text)
}

// lex splits src into tokens, ending with a tokEOF.
func lex(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		if kind, ok := punctuation[src[i]]; ok {
			toks = append(toks, token{kind: kind, pos: i, text: src[i : i+1]})
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '.' || isDigit(src[i]):
			j := i
			for j < len(src) && (src[j] == '.' || isDigit(src[j])) {
				j++
			}
			// An exponent: 1e9, 2.5E-3.
			if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
				k := j + 1
				if k < len(src) && (src[k] == '+' || src[k] == '-') {
					k++
				}
				if k < len(src) && isDigit(src[k]) {
					j = k
					for j < len(src) && isDigit(src[j]) {
						j++
					}
				}
			}
			v, err := strconv.ParseFloat(src[i:j], 64)
			if err != nil {
				return nil, &SyntaxError{Pos: i, Msg: fmt.Sprintf("bad number %q", src[i:j])}
			}
			toks = append(toks, token{kind: tokNum, pos: i, text: src[i:j], num: v})
			i = j
		case r == '_' || unicode.IsLetter(r):
			j := i + size
			for j < len(src) {
				r, size := utf8.DecodeRuneInString(src[j:])
				if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					break
				}
				j += size
			}
			toks = append(toks, token{kind: tokIdent, pos: i, text: src[i:j]})
			i = j
		default:
			return nil, &SyntaxError{Pos: i, Msg: fmt.Sprintf("unexpected character %q", r)}
		}
	}
	return append(toks, token{kind: tokEOF, pos: len(src)}), nil
}

func isDigit(c byte) bool {
	return '0' <= c && c <= '9'
}
