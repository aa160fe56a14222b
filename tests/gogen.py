"""Hypothesis strategies that generate Go and tgo source files as text.

* ``go_programs()`` draws syntactically valid Go files (gofmt -e accepts every one;
  see ``test_generator_output_is_valid_go``) covering most of the language: the
  package clause, every import form, const/var/type declarations, all type
  literals, generics, functions and methods, every statement, every expression
  form and literal syntax, comments in odd places, and varied layout (newlines
  versus explicit semicolons, trailing commas, one-line blocks, CRLF, BOM).
* ``tgo_programs()`` adds the dialect's extensions (``?T``, ``x!``, ``call?``,
  ``call ? "msg"``, enums, unions, generic unions) on top of the same language.

Both also use ``enum`` and ``union`` as ordinary identifiers, which the dialect
promises stay legal wherever Go allows them.  ``tgo_programs_with_erasure()``
draws a tgo program together with the same program minus its ``?T``/``x!``/
``call?`` tokens, so a test can check where the parser put those nodes.

The generator is syntax-directed only: programs parse but need not type-check.
It does keep labels, ``fallthrough``, ``break``/``continue`` and ``goto`` where the
Go compiler's parser accepts them, and never emits constructs that only
go/parser (not cmd/compile) tolerates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from hypothesis import strategies as st

_T = TypeVar("_T")

KEYWORDS = frozenset(
    "break case chan const continue default defer else fallthrough for func go goto if "
    "import interface map package range return select struct switch type var".split()
)

# --- vocabulary -------------------------------------------------------------

_VALUE_NAMES = ("x", "y", "a", "b", "i", "n", "s", "v", "err", "ok", "p", "m", "ch", "buf", "_x", "x1",
                "π", "ñandú", "日本", "len", "nil", "true", "iota", "string")
_FUNC_NAMES = ("f", "g", "run", "Do", "print", "append", "copy", "panic", "h2", "λ")
_TYPE_NAMES = ("T", "Point", "Node", "int", "string", "error", "any", "bool", "byte", "rune",
               "float64", "uint8", "int64", "complex128", "Ω")
_GENERIC_TYPES = ("List", "Map", "Pair", "Set")
_PKGS = ("fmt", "os", "strings", "io", "http", "sync", "atomic", "日志")
_FIELDS = ("X", "Y", "Name", "next", "val", "Len", "String", "Err", "data", "Ω")
_METHODS = ("M", "String", "Len", "Close", "next", "Do", "Write")
_LABEL_BASES = ("L", "Loop", "outer", "inner", "retry", "π")
_IMPORT_PATHS = ("fmt", "os", "strings", "net/http", "sync/atomic", "github.com/x/y-z", "example.com/日志",
                 "io", "unicode/utf8", "C")

_BINOPS = ("+", "-", "*", "/", "%", "<<", ">>", "&", "&^", "|", "^", "==", "!=", "<", "<=", ">", ">=",
           "&&", "||")
_UNOPS = ("-", "!", "^", "*", "&", "<-", "+")
_ASSIGN_OPS = ("+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "&^=")

_LINE_COMMENTS = ("// c", "//", "// TODO(x): y", "// a /* b */ c", "// \"s\" 'r' `raw` ?!", "// 日本語",
                  "// */ not a close", "//go:noinline", "// x // y", "// enum union { }",
                  "//line other.go:10", "//export F")
_BLOCK_COMMENTS = ("/* c */", "/**/", "/***/", "/* a // b */", "/* \"x\" ` ' */", "/* * / */", "/* 日本 */",
                   "/* ? ! */", "/*line x.go:3:7*/")
_NL_BLOCK_COMMENTS = ("/*\n*/", "/* a\n\tb */", "/*\n * doc\n */")

_ESCAPES = ("\\a", "\\b", "\\f", "\\n", "\\r", "\\t", "\\v", "\\\\")
_UNICODE_CHARS = ("é", "日", "π", "😀", "ß", "\u00a0", "\u200b", "Ω")


@dataclass
class _Func:
    """What the body of the function being generated may refer to."""

    nres: int = 0
    named: bool = False
    goto_label: str | None = None
    labels: set[str] = field(default_factory=set)  # every label declared in the function
    used: set[str] = field(default_factory=set)  # labels some branch statement names
    error_result: bool = False  # last result is error: `call?` is at home here


@dataclass(frozen=True)
class _Ctx:
    """Statement context: the branch statements that are legal here."""

    depth: int
    fn: _Func
    loop: bool = False  # unlabeled continue
    brk: bool = False  # unlabeled break
    loop_labels: tuple[str, ...] = ()
    brk_labels: tuple[str, ...] = ()


class _Gen:
    """One program's worth of drawing; every choice goes through ``draw``."""

    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any], tgo: bool, erase_decls: bool = False) -> None:
        self._draw = draw
        self.tgo = tgo
        # The text is written with markers for `?T`, `x!` and `call?` (see
        # _real/_erased); erase_decls writes enums and unions as Go declarations.
        self.erase_decls = erase_decls
        self.ind = 0
        self.tab = "\t"
        self.types: list[str] = []  # type names declared at top level
        self.generics: list[str] = []
        self.use_keywordish = False  # enum/union as identifiers

    # --- choices ----------------------------------------------------------
    # Every helper shrinks towards the first/smallest/False choice.

    def n(self, lo: int, hi: int) -> int:
        return int(self._draw(st.integers(lo, hi)))

    def p(self, pct: int) -> bool:
        return bool(self._draw(st.integers(0, 99)) >= 100 - pct)

    def pick(self, seq: Sequence[_T]) -> _T:
        return self._draw(st.sampled_from(seq))  # type: ignore[no-any-return]

    # --- names ------------------------------------------------------------

    def kw(self) -> tuple[str, ...]:
        return ("enum", "union") if self.use_keywordish else ()

    def val_name(self) -> str:
        return self.pick(_VALUE_NAMES + self.kw())

    def new_name(self) -> str:
        """A name being declared (never a predeclared one, to stay realistic)."""
        return self.pick(("x", "y", "a", "b", "i", "n", "s", "v", "err", "ok", "p", "x1", "_", "π", "日本",
                          *self.kw()))

    def func_name(self) -> str:
        return self.pick(_FUNC_NAMES + self.kw())

    def field_name(self) -> str:
        return self.pick(_FIELDS + self.kw())

    def type_name(self) -> str:
        return self.pick(_TYPE_NAMES + tuple(self.types) + self.kw())

    def pkg(self) -> str:
        return self.pick(_PKGS)

    # --- layout -----------------------------------------------------------

    def indent(self, extra: int = 0) -> str:
        return self.tab * (self.ind + extra)

    def sp(self) -> str:
        """Space between two tokens on one line, sometimes with a comment."""
        if self.p(4):
            return " " + self.pick(_BLOCK_COMMENTS) + " "
        return " "

    def nl(self, extra: int = 0) -> str:
        """A line break where Go allows one (no semicolon would be inserted)."""
        r = self.n(0, 19)
        ind = self.indent(extra)
        if r == 1:
            return " " + self.pick(_LINE_COMMENTS) + "\n" + ind
        if r == 2:
            return "\n\n" + ind
        if r == 3:
            return " " + self.pick(_NL_BLOCK_COMMENTS) + " "
        return "\n" + ind

    def comma(self) -> str:
        r = self.n(0, 19)
        if r == 1:
            return ","
        if r == 2:
            return " /* c */, "
        return ", "

    def lst(self, open_: str, items: Sequence[str], close: str, trailing: bool = True) -> str:
        """A comma-separated list in one of Go's layouts."""
        if not items:
            if self.p(5):
                return open_ + self.sp() + close
            return open_ + close
        r = self.n(0, 9)
        if r <= 6 or (not trailing and r <= 8):
            s = open_ + "".join(it + self.comma() for it in items[:-1]) + items[-1]
            if trailing and self.p(10):
                s += ","
            return s + close
        if r <= 8:
            # one per line with the trailing comma Go requires before the newline
            s = open_
            for it in items:
                s += self.nl(1) + it + ","
            return s + self.nl(0) + close
        # wrapped: line breaks after some commas, closer on the last line
        s = open_ + items[0]
        for it in items[1:]:
            s += "," + (self.nl(1) if self.p(50) else " ") + it
        return s + close

    # --- literals ---------------------------------------------------------

    def digits(self, alphabet: str, lo: int = 1, hi: int = 4, underscores: bool = True) -> str:
        ds = [self.pick(alphabet) for _ in range(self.n(lo, hi))]
        out = ds[0]
        for d in ds[1:]:
            out += ("_" if underscores and self.p(15) else "") + d
        return out

    def int_lit(self) -> str:
        k = self.n(0, 5)
        if k == 0:
            return self.pick(("0", "1", "2", "42", "10"))
        if k == 1:
            return self.pick("123456789") + (self.digits("0123456789", 0 + 1, 4) if self.p(60) else "")
        if k == 2:
            return self.pick(("0x", "0X")) + ("_" if self.p(15) else "") + self.digits("0123456789abcdefABCDEF")
        if k == 3:
            return self.pick(("0o", "0O")) + ("_" if self.p(15) else "") + self.digits("01234567")
        if k == 4:
            return self.pick(("0b", "0B")) + ("_" if self.p(15) else "") + self.digits("01")
        return "0" + ("_" if self.p(15) else "") + self.digits("01234567")  # legacy octal

    def float_lit(self) -> str:
        dec = "0123456789"
        k = self.n(0, 4)
        exp = ""
        if self.p(40):
            exp = self.pick("eE") + self.pick(("", "+", "-")) + self.digits(dec)
        if k == 0:
            return self.digits(dec) + "." + (self.digits(dec) if self.p(70) else "") + exp
        if k == 1:
            return self.digits(dec) + (exp or "e" + self.digits(dec))
        if k == 2:
            return "." + self.digits(dec) + exp
        hexd = "0123456789abcdefABCDEF"
        mant = self.pick(("0x", "0X")) + ("_" if self.p(15) else "")
        shape = self.n(0, 2)
        if shape == 0:
            mant += self.digits(hexd)
        elif shape == 1:
            mant += self.digits(hexd) + "." + (self.digits(hexd) if self.p(50) else "")
        else:
            mant = mant.rstrip("_") + "." + self.digits(hexd)
        return mant + self.pick("pP") + self.pick(("", "+", "-")) + self.digits(dec)

    def imag_lit(self) -> str:
        base = self.int_lit() if self.p(50) else self.float_lit()
        return base + "i"

    def escape(self, quote: str) -> str:
        k = self.n(0, 5)
        if k == 0:
            return self.pick((*_ESCAPES, "\\" + quote))
        if k == 1:
            return "\\" + self.pick("0123") + self.pick("01234567") + self.pick("01234567")
        if k == 2:
            return "\\x" + self.pick("0123456789abcdefABCDEF") + self.pick("0123456789abcdefABCDEF")
        if k == 3:
            return "\\u" + self.pick(("00e9", "65E5", "0041", "FFFD", "d7ff", "e000"))
        if k == 4:
            return "\\U" + self.pick(("0001F600", "00000041", "0010ffff", "0000E9E9"))
        return self.pick(_UNICODE_CHARS)

    def rune_lit(self) -> str:
        k = self.n(0, 3)
        if k == 0:
            return "'" + self.pick(("a", "Z", "0", " ", '"', "?", "!", "/", "*", "`")) + "'"
        if k == 1:
            return "'" + self.pick(_UNICODE_CHARS) + "'"
        return "'" + self.escape("'") + "'"

    def string_lit(self) -> str:
        if self.p(20):
            return self.raw_string()
        parts: list[str] = []
        for _ in range(self.n(0, 4)):
            k = self.n(0, 3)
            if k == 0:
                parts.append(self.pick(("abc", " ", "x y", "//", "/*", "*/", "'", "?", "!", "`", "%v", "{}")))
            elif k == 1:
                parts.append(self.pick(_UNICODE_CHARS))
            else:
                parts.append(self.escape('"'))
        return '"' + "".join(parts) + '"'

    def raw_string(self) -> str:
        parts = [self.pick(("", "abc", "\\n", "\\", '"', "'", "\n", "/*", "//", "x\n\ty", "日本", "?", "\r\n"))
                 for _ in range(self.n(0, 3))]
        return "`" + "".join(parts) + "`"

    def literal(self) -> tuple[str, bool]:
        """A basic literal and whether it is a number (no selector may follow)."""
        k = self.n(0, 5)
        if k == 0:
            return self.int_lit(), True
        if k == 1:
            return self.float_lit(), True
        if k == 2:
            return self.imag_lit(), True
        if k == 3:
            return self.rune_lit(), False
        return self.string_lit(), False

    # --- types ------------------------------------------------------------

    def qualified(self) -> str:
        return self.pkg() + "." + self.pick(("Reader", "Writer", "Stringer", "Mutex", "Int64", "T"))

    def type_args(self, d: int) -> str:
        args = [self.typ(d - 1, decl=self.p(30)) for _ in range(self.n(1, 2))]
        return self.lst("[", args, "]")

    def generic_inst(self, d: int) -> str:
        g = self.pick(_GENERIC_TYPES + tuple(self.generics))
        if self.p(10):
            g = self.pkg() + "." + g
        return g + self.type_args(d)

    def named_type(self, d: int) -> str:
        k = self.n(0, 5)
        if k <= 2 or d <= 0:
            return self.type_name()
        if k == 3:
            return self.qualified()
        return self.generic_inst(d)

    def nullable(self, d: int) -> str:
        """tgo: a ``?T`` over a type that can be nil."""
        k = self.n(0, 5)
        if k == 0:
            inner = "*" + self.named_type(d - 1)
        elif k == 1:
            inner = "map[" + self.typ(d - 1) + "]" + self.typ(d - 1, decl=True)
        elif k == 2:
            inner = self.pick(("chan ", "<-chan ", "chan<- ")) + self.typ(d - 1)
        elif k == 3:
            inner = self.func_type(d - 1)
        elif k == 4:
            inner = self.pick(("error", "any", "interface{}", "fmt.Stringer", "io.Reader", "Shape"))
        else:
            inner = self.named_type(d - 1)
        return _Q + inner

    def typ(self, d: int, decl: bool = False) -> str:
        """A type; ``decl`` marks a declaration position (tgo may write ``?T``)."""
        if d <= 0:
            if decl and self.tgo and self.p(15):
                return _Q + "*" + self.type_name()
            return self.type_name()
        if decl and self.tgo and self.p(15):
            return self.nullable(d)
        k = self.n(0, 13)
        if k <= 3:
            return self.named_type(d)
        if k == 4:
            return "*" + self.typ(d - 1)
        if k == 5:
            return "[]" + self.typ(d - 1, decl)
        if k == 6:
            return "[" + self.array_len() + "]" + self.typ(d - 1, decl)
        if k == 7:
            return "map[" + self.typ(d - 1) + "]" + self.typ(d - 1, decl)
        if k == 8:
            return self.chan_type(d)
        if k == 9:
            return self.func_type(d)
        if k == 10:
            return self.struct_type(d)
        if k == 11:
            return self.interface_type(d)
        if k == 12:
            return "(" + self.typ(d - 1) + ")"
        return self.generic_inst(d)

    def array_len(self) -> str:
        return self.pick(("4", "N", "0x10", "N * 2", "1 << 3", "len(x)", "'a'", "unsafe.Sizeof(x)",
                          "(N + 1)", "N/2"))

    def chan_type(self, d: int) -> str:
        k = self.n(0, 2)
        elem = self.typ(d - 1)
        if k == 0:
            if elem.startswith("<-"):
                elem = "(" + elem + ")"
            return "chan " + elem
        if k == 1:
            return self.pick(("<-chan ", "<-chan ", "<- chan ")) + elem
        return self.pick(("chan<- ", "chan <- ")) + elem

    def params(self, d: int, variadic: bool = True, named: bool | None = None) -> str:
        if named is None:
            named = self.p(60)
        count = self.n(0, 3)
        items: list[str] = []
        for i in range(count):
            last = i == count - 1
            is_var = variadic and last and self.p(20)
            t = self.typ(d - 1, decl=True)
            if is_var:
                t = "..." + t
            if named:
                names = [self.new_name()]
                if not is_var:
                    names += [self.new_name() for _ in range(self.n(0, 1))]
                items.append(", ".join(names) + " " + t)
            else:
                items.append(t)
        return self.lst("(", items, ")")

    def results(self, d: int, force: int | None = None) -> tuple[str, int, bool, bool]:
        """A result list: (text, count, named, last is error)."""
        count = self.n(0, 3) if force is None else force
        if count == 0:
            return "", 0, False, False
        types = [self.typ(d - 1, decl=True) for _ in range(count)]
        if self.tgo and self.p(60):
            types[-1] = "error"
        is_err = types[-1] == "error"
        if count == 1 and self.p(70):
            t = types[0]
            if t.startswith("("):
                t = "(" + t + ")"
            return " " + t, 1, False, is_err
        named = self.p(40)
        items = [self.new_name() + " " + t for t in types] if named else types
        return " " + self.lst("(", items, ")"), count, named, is_err

    def func_type(self, d: int) -> str:
        res = self.results(d)[0]
        return "func" + self.params(d) + res

    def tags(self) -> str:
        if self.p(20):
            return " " + self.pick(('`json:"x,omitempty"`', '"tag"', '`a:"b" c:"d"`', '"k:\\"v\\""'))
        return ""

    def field_decls(self, d: int) -> list[str]:
        out: list[str] = []
        for _ in range(self.n(0, 3)):
            k = self.n(0, 5)
            if k <= 2:
                names = [self.field_name() for _ in range(self.n(1, 2))]
                out.append(", ".join(names) + " " + self.typ(d - 1, decl=True) + self.tags())
            elif k == 3:
                out.append(self.pick(("", "*")) + self.type_name() + self.tags())
            elif k == 4:
                out.append(self.pick(("", "*")) + self.qualified() + self.tags())
            else:
                # embedded instance vs. a field of array type: `List[int]` / `data [4]byte`
                if self.p(50):
                    out.append(self.generic_inst(d))
                else:
                    out.append(self.field_name() + " [" + self.array_len() + "]" + self.type_name())
        return out

    def braced_lines(self, head: str, lines: Sequence[str]) -> str:
        """``head{ a; b }`` or the multi-line form, for struct/interface/enum bodies."""
        if not lines:
            return head + self.pick(("{}", "{ }", "{\n" + self.indent() + "}"))
        if self.p(40):
            return head + "{ " + "; ".join(lines) + (";" if self.p(15) else "") + " }"
        s = head + "{"
        for ln in lines:
            s += self.nl(1) + ln
            if self.p(10):
                s += ";"
        return s + "\n" + self.indent() + "}"

    def struct_type(self, d: int) -> str:
        self.ind += 1
        fields = self.field_decls(d)
        self.ind -= 1
        return self.braced_lines(self.pick(("struct", "struct ")), fields)

    def method_spec(self, d: int) -> str:
        return self.pick(_METHODS + self.kw()) + self.params(d) + self.results(d)[0]

    def interface_type(self, d: int, constraint: bool = False) -> str:
        elems: list[str] = []
        self.ind += 1
        for _ in range(self.n(0, 3)):
            k = self.n(0, 4)
            if k <= 1:
                elems.append(self.method_spec(d - 1))
            elif k == 2:
                elems.append(self.pick(("fmt.Stringer", "io.Reader", "error", "Node", *self.kw())))
            elif constraint:
                elems.append(self.type_union(d - 1))
            else:
                elems.append(self.method_spec(d - 1))
        self.ind -= 1
        return self.braced_lines(self.pick(("interface", "interface ")), elems)

    def type_term(self, d: int) -> str:
        t = self.pick(("int", "string", "float64", "[]byte", "uint8", "Point", "fmt.Stringer"))
        if self.p(20) and d > 0:
            t = self.typ(d - 1)
            if t.startswith("*") or t.startswith("("):  # keep it a plain term
                t = "int"
        return ("~" if self.p(50) else "") + t

    def type_union(self, d: int) -> str:
        terms = [self.type_term(d) for _ in range(self.n(1, 3))]
        return " | ".join(terms)

    def constraint(self, d: int, in_type_decl: bool) -> str:
        k = self.n(0, 7)
        if k <= 1:
            return self.pick(("any", "comparable"))
        if k == 2:
            return self.type_union(d)
        if k == 3:
            return self.interface_type(d, constraint=True)
        if k == 4:
            return self.pick(("fmt.Stringer", "Number", "constraints.Ordered", "cmp.Ordered"))
        if k == 5:
            return self.pick(("[]E", "~[]E", "map[K]V", "chan int", "func(int) bool", "interface{ ~int }"))
        if k == 6 and not in_type_decl:
            return self.pick(("*int", "*T"))
        return self.generic_inst(d)

    def type_params(self, d: int, in_type_decl: bool) -> str:
        groups: list[str] = []
        names = ["T", "U", "K", "V", "E", "S", "P", "Q"]
        ni = 0
        for _ in range(self.n(1, 3)):
            g = []
            for _ in range(self.n(1, 2)):
                g.append(names[ni % len(names)] + ("" if ni < len(names) else str(ni)))
                ni += 1
            groups.append(", ".join(g) + " " + self.constraint(d, in_type_decl))
        if in_type_decl and self.p(10):
            # go/parser's `type T[P *C,]`: the comma makes it a type parameter list
            return "[P *" + self.type_name() + ",]"
        return self.lst("[", groups, "]")

    # --- expressions --------------------------------------------------------

    def expr(self, d: int, hdr: bool = False) -> str:
        """An expression; ``hdr``: in an if/for/switch header, where ``T{`` opens the block."""
        s = self.unary(d, hdr)
        if d <= 0:
            return s
        for _ in range(self.n(0, 2)):
            op = self.pick(_BINOPS)
            rhs = self.unary(d - 1, hdr)
            s += self.binsep(s, op, rhs) + rhs
        return s

    def binsep(self, lhs: str, op: str, rhs: str) -> str:
        r = self.n(0, 19)
        if r in (1, 2) and (lhs[-1].isalnum() or lhs[-1] in "_)]}\"'`") and (
                rhs[0].isalnum() or rhs[0] in "_\"'`("):
            return op
        if r == 3:
            return " " + op + self.nl(1)
        if r == 4:
            return self.sp() + op + self.sp()
        return " " + op + " "

    def unary(self, d: int, hdr: bool) -> str:
        if d > 0 and self.p(15):
            op = self.pick(_UNOPS)
            x = self.unary(d - 1, hdr)
            if x[0] in "+-&^<*!/" or (op == "<-" and x.startswith("chan")):
                x = " " + x if self.p(50) else "(" + x + ")"
            elif op == "<-" and self.p(20):
                x = " " + x
            return op + x
        return self.primary(d, hdr)

    def primary(self, d: int, hdr: bool) -> str:
        s, is_num = self.operand(d, hdr)
        for _ in range(self.n(0, 2) if d > 0 else self.n(0, 1)):
            s = self.postfix(d, s, is_num)
            is_num = False
        return s

    def postfix(self, d: int, s: str, is_num: bool) -> str:
        k = self.n(0, 9)
        if k <= 2 and not is_num:
            return s + "." + self.pick(_FIELDS + _METHODS + self.kw())
        if k == 3:
            if self.p(15):
                # an index list (an instantiation): the first entry may be any expression, the others types
                items = [self.expr(d - 1), *(self.typ(d - 1) for _ in range(self.n(1, 2)))]
                return s + self.lst("[", items, "]")
            return s + "[" + self.expr(d - 1) + "]"
        if k == 4:
            lo = self.expr(d - 1) if self.p(60) else ""
            hi = self.expr(d - 1) if self.p(60) else ""
            if self.p(30):
                return s + "[" + lo + ":" + (hi or "n") + ":" + self.expr(d - 1) + "]"
            return s + "[" + lo + ":" + hi + "]"
        if k == 5 and not is_num:
            return s + ".(" + self.typ(d - 1) + ")"
        if k == 6 and self.tgo and not is_num:
            return s + _BANG
        return s + self.args(d)

    def args(self, d: int) -> str:
        items = [self.expr(d - 1) for _ in range(self.n(0, 3))]
        if items and self.p(15):
            m = re.search(r"[\w.]+$", items[-1])
            # `1...` would scan as the float `1.` and `..`
            items[-1] += " ..." if m and m.group()[0] in "0123456789." else "..."
        return self.lst("(", items, ")")

    def conv_type(self, d: int) -> str:
        k = self.n(0, 7)
        if k <= 1:
            return self.type_name()
        if k in (2, 3):
            t = "[]" + self.typ(d - 1) if k == 2 else "map[" + self.typ(d - 1) + "]" + self.typ(d - 1)
            # `[]func()(x)` would read `(x)` as the func type's results
            return "(" + t + ")" if "func" in t else t
        if k == 4:
            return self.generic_inst(d)
        if k == 5:
            return self.pick(("interface{}", "struct{}", "[4]int", "[N]byte", "any"))
        # pointer, func and receive-channel types need parentheses
        t = self.pick(("*" + self.type_name(), self.func_type(d - 1), "<-chan int", "chan int", "chan<- T"))
        if self.tgo and self.p(20):
            t = _Q + t
        return "(" + t + ")"

    def operand(self, d: int, hdr: bool) -> tuple[str, bool]:
        k = self.n(0, 15) if d > 0 else self.n(0, 3)
        if k == 0:
            return self.val_name(), False
        if k == 1:
            return self.literal()
        if k == 2:
            return self.pick(_PKGS) + "." + self.pick(("X", "Pi", "Println", "EOF", "F")), False
        if k == 3:
            return self.func_name(), False
        if k == 4:
            return "(" + self.expr(d - 1) + ")", False
        if k == 5:
            return self.func_lit(d), False
        if k == 6:
            return self.complit(d, hdr), False
        if k == 7:
            x = self.complit(d, hdr)
            return ("(&" + x + ")" if self.p(50) else x), False
        if k == 8:
            return self.conv_type(d) + "(" + self.expr(d - 1) + self.pick(("", ",")) + ")", False
        if k == 9:
            f = self.pick(("F", "Map", "Sum", "pkg.F")) + self.type_args(d)
            return f, False
        if k == 10:
            return self.pick(("(*T).M", "T.M", "(*List[int]).Push", "Point.String", "(T).M")), False
        if k == 11:
            b = self.n(0, 3)
            if b == 0:
                return "make(" + self.pick(("[]int", "map[string]int", "chan int", "chan struct{}")) + \
                    self.pick(("", ", 0", ", n, 10")) + ")", False
            if b == 1:
                return "new(" + self.typ(d - 1) + ")", False
            if b == 2:
                return "len(" + self.expr(d - 1) + ")", False
            return self.pick(("append(s, 1, 2)", "append(s, t...)", "copy(a, b)", "min(1, 2.5)")), False
        return self.literal() if k <= 13 else (self.val_name(), False)

    def func_lit(self, d: int) -> str:
        res, nres, named, is_err = self.results(d)
        sig = "func" + self.params(d) + res
        fn = _Func(nres=nres, named=named, error_result=is_err)
        c = _Ctx(depth=min(d - 1, 1), fn=fn)
        return sig + self.sp() + self.func_body(c)

    def complit_type(self, d: int) -> tuple[str, bool]:
        """A composite literal type and whether it is name-like (needs parens in a header)."""
        k = self.n(0, 8)
        if k <= 1:
            return self.pick(("T", "Point", "pkg.T", "Node", *tuple(self.types), *self.kw())), True
        if k == 2:
            return self.generic_inst(d), True
        if k == 3:
            return "[]" + self.typ(d - 1, decl=self.p(30)), False
        if k == 4:
            return "[" + self.pick(("...", "4", "N")) + "]" + self.typ(d - 1), False
        if k == 5:
            return "map[" + self.typ(d - 1) + "]" + self.typ(d - 1, decl=self.p(30)), False
        if k == 6:
            return self.struct_type(d - 1), False
        if k == 7:
            return "[][]" + self.type_name(), False
        return "[]*" + self.type_name(), False

    def elements(self, d: int) -> str:
        items: list[str] = []
        self.ind += 1
        for _ in range(self.n(0, 3)):
            v = self.element(d - 1)
            if self.p(35):
                key = self.element(d - 1) if self.p(30) else self.pick((*_FIELDS, "0", '"k"', "x"))
                v = key + ":" + (self.nl(1) if self.p(5) else self.pick((" ", "", "  "))) + v
            items.append(v)
        self.ind -= 1
        return self.lst("{", items, "}")

    def element(self, d: int) -> str:
        if d > 0 and self.p(25):
            return self.elements(d)  # elided type
        if d > 0 and self.p(10):
            return "&" + self.complit(d, False)
        return self.expr(d)

    def complit(self, d: int, hdr: bool) -> str:
        t, namelike = self.complit_type(d)
        s = t + self.elements(d)
        if hdr and namelike:
            return "(" + s + ")"
        return s

    def hdr_expr(self, d: int) -> str:
        """An if/for/switch condition, often holding composite literals Go allows there."""
        k = self.n(0, 9)
        if k == 1:
            return self.expr(d, hdr=True) + " == " + self.complit(d, hdr=True)
        if k == 2:
            return self.pick(("len([]int{1, 2}) > 0", "x == (T{})", "f(T{X: 1})", "m[Point{1, 2}]",
                              "struct{}{} == s", "[...]int{1}[0] > n", "(Point{}).X > 0",
                              "func() bool { return T{} == t }()", "map[string]int{}[k] == 0",
                              "x == (List[int]{})", "*&[]T{} == t", "x != (&T{})"))
        return self.expr(d, hdr=True)

    # --- statements ---------------------------------------------------------

    def func_body(self, c: _Ctx) -> str:
        stmts = self.stmt_list(c, self.n(0, 3))
        fn = c.fn
        if fn.goto_label is not None:
            # a backward goto target: the first statement of the body
            lab = fn.goto_label
            stmts.insert(0, lab + ":" + self.pick((" ", "\n" + self.indent(1))) + self.simple(c, False))
            if lab not in fn.used:
                stmts.append("goto " + lab)
        if fn.goto_label is not None and self.p(30):
            # a label on the empty statement that ends the body: `goto End; End: }`
            end = self.new_label(fn)
            stmts += ["goto " + end, end + ":"]
        return self.braced(stmts)

    def stmt_list(self, c: _Ctx, count: int) -> list[str]:
        self.ind += 1
        out = [self.stmt(c) for _ in range(count)]
        self.ind -= 1
        return out

    def braced(self, stmts: Sequence[str]) -> str:
        r = self.n(0, 9)
        if not stmts:
            if r <= 6:
                return "{}"
            if r == 7:
                return "{ }"
            if r == 8:
                return "{\n" + self.indent() + "}"
            return "{" + self.pick(("/* empty */", ";", " ; ")) + "}"
        if r <= 2:
            inner = "; ".join(stmts)
            if self.p(10):
                inner += ";"
            if self.p(5):
                inner = "; " + inner
            return "{ " + inner + " }"
        s = "{"
        if self.p(5):
            s += " " + self.pick(_LINE_COMMENTS)
        for st_ in stmts:
            s += "\n"
            if self.p(5):
                s += "\n"
            if self.p(5):
                s += self.indent(1) + self.pick(_LINE_COMMENTS + _BLOCK_COMMENTS) + "\n"
            s += self.indent(1) + st_
            e = self.n(0, 29)
            if e == 1:
                s += ";"
            elif e == 2:
                s += " " + self.pick(_LINE_COMMENTS)
            elif e == 3:
                s += " " + self.pick(_BLOCK_COMMENTS)
            elif e == 4:
                s += "; ;"
        return s + "\n" + self.indent() + "}"

    def stmt(self, c: _Ctx) -> str:
        if c.depth <= 0:
            kinds: tuple[str, ...] = ("simple", "simple", "return", "decl", "branch", "godefer")
        else:
            kinds = ("simple", "simple", "simple", "return", "if", "for", "switch", "typeswitch", "select",
                     "block", "godefer", "decl", "labeled", "branch", "if", "for")
        if self.tgo:
            kinds += ("try", "try")
        k = self.pick(kinds)
        if k == "simple":
            return self.simple(c, False)
        if k == "return":
            return self.return_stmt(c)
        if k == "decl":
            return self.decl_stmt(c)
        if k == "branch":
            b = self.branch(c)
            return b if b is not None else self.simple(c, False)
        if k == "godefer":
            return self.pick(("go", "defer")) + self.sp() + self.call_expr(1)
        if k == "try":
            return self.try_stmt(c)
        d = replace(c, depth=c.depth - 1)
        if k == "if":
            return self.if_stmt(d)
        if k == "for":
            return self.for_stmt(d, None)
        if k == "switch":
            return self.switch_stmt(d, None)
        if k == "typeswitch":
            return self.type_switch(d, None)
        if k == "select":
            return self.select_stmt(d, None)
        if k == "block":
            return self.braced(self.stmt_list(d, self.n(0, 2)))
        return self.labeled(d)

    def branch(self, c: _Ctx) -> str | None:
        opts: list[str] = []
        if c.brk:
            opts.append("break")
        if c.loop:
            opts.append("continue")
        opts += ["break " + lab for lab in c.brk_labels]
        opts += ["continue " + lab for lab in c.loop_labels]
        if c.fn.goto_label is not None:
            opts.append("goto " + c.fn.goto_label)
        if not opts:
            return None
        s = self.pick(opts)
        if " " in s:
            c.fn.used.add(s.split(" ", 1)[1])
        return s

    def new_label(self, fn: _Func) -> str:
        base = self.pick(_LABEL_BASES + self.kw())
        lab = base
        i = 1
        while lab in fn.labels:
            lab = f"{base}{i}"
            i += 1
        fn.labels.add(lab)
        return lab

    def labeled(self, c: _Ctx) -> str:
        lab = self.new_label(c.fn)
        k = self.n(0, 3)
        sep = ":" + self.pick((" ", "\n" + self.indent(), "\n" + self.indent(-1) if self.ind else " "))
        if k <= 1:
            body = self.for_stmt(c, lab)
        elif k == 2:
            body = self.switch_stmt(c, lab)
        else:
            body = self.select_stmt(c, lab)
        return lab + sep + body

    def call_expr(self, d: int, hdr: bool = False) -> str:
        k = self.n(0, 6)
        if k <= 1:
            f = self.func_name()
        elif k == 2:
            f = self.pick(_PKGS) + "." + self.pick(("Println", "F", "Do"))
        elif k == 3:
            f = self.val_name() + "." + self.pick(_METHODS + self.kw())
        elif k == 4:
            f = self.pick(("F", "Map", "pkg.F")) + self.type_args(d)
        elif k == 5:
            f = self.func_lit(max(d, 1))
        else:
            f = self.primary(d, hdr) if d > 0 else self.func_name()
            if f.endswith(("...", "}")):
                f = "(" + f + ")"
        return f + self.args(d)

    def lhs(self, d: int, hdr: bool) -> str:
        k = self.n(0, 5)
        if k <= 1:
            return self.val_name() if self.p(80) else "_"
        if k == 2:
            return self.val_name() + "." + self.field_name()
        if k == 3:
            return self.val_name() + "[" + self.expr(d - 1) + "]"
        if k == 4:
            return "*" + self.val_name()
        if d <= 0:
            return "(" + self.val_name() + ")"
        x = self.primary(d, hdr)
        if x.endswith(_BANG):
            x += ".X"  # `p!.X = v`, never an assignment to `p!` itself
        return x

    def rhs_list(self, n: int, d: int, hdr: bool) -> str:
        if n == 2 and self.p(30):
            return self.pick(("m[k]", "x.(T)", "<-ch", "f()", "pkg.F(x)"))
        if n > 1 and self.p(20):
            return self.call_expr(d, hdr)
        return ", ".join(self.expr(d, hdr) for _ in range(n))

    def simple(self, c: _Ctx, hdr: bool, post: bool = False) -> str:
        d = 2 if c.depth > 0 else 1
        kinds = ["call", "assign", "define", "opassign", "incdec", "send", "recv"]
        if post:
            kinds.remove("define")
        k = self.pick(kinds)
        if k == "call":
            return self.call_expr(d, hdr)
        if k == "recv":
            return "<-" + self.pick(("ch", "done", "c.ch", "f()"))
        if k == "send":
            return self.pick(("ch", "out", "c.ch", "chans[i]")) + self.pick((" <- ", "<-", " <-")) + self.expr(d, hdr)
        if k == "incdec":
            return self.lhs(d, hdr) + self.pick(("++", "--"))
        if k == "opassign":
            return self.lhs(d, hdr) + " " + self.pick(_ASSIGN_OPS) + self.sp() + self.expr(d, hdr)
        n = self.n(1, 3)
        if k == "assign":
            lhs = ", ".join(self.lhs(d, hdr) for _ in range(n))
            return lhs + self.pick((" = ", "=", " =")) + self.rhs_list(n, d, hdr)
        names = ", ".join(self.new_name() for _ in range(n))
        return names + self.pick((" := ", ":=", " :=" + self.sp())) + self.rhs_list(n, d, hdr)

    def return_stmt(self, c: _Ctx) -> str:
        fn = c.fn
        if fn.nres == 0 or (fn.named and self.p(50)):
            return "return"
        vals = [self.expr(1) for _ in range(fn.nres)]
        if fn.nres > 1 and self.p(10):
            return "return " + self.call_expr(1)
        return "return" + self.sp() + self.lst("", vals, "", trailing=False)

    def try_stmt(self, c: _Ctx) -> str:
        call = self.call_expr(1)
        q = self.pick(("?", " ?", "?"))
        if self.p(35):
            q += " " + (self.raw_string() if self.p(20) else '"' + self.pick(("parsing config", "x", "ß %", "")) + '"')
        q = _TRY_OPEN + q + _TRY_CLOSE
        k = self.n(0, 4)
        if k == 0:
            return call + q
        if k == 1:
            return ", ".join(self.new_name() for _ in range(self.n(1, 2))) + " := " + call + q
        if k == 2:
            return ", ".join(self.lhs(1, False) for _ in range(self.n(1, 2))) + " = " + call + q
        if k == 3:
            return "var " + self.new_name() + " = " + call + q
        return "var " + self.new_name() + " " + self.typ(1, decl=True) + " = " + call + q

    def decl_stmt(self, c: _Ctx) -> str:
        k = self.n(0, 2)
        if k == 0:
            return self.var_decl(1)
        if k == 1:
            return self.const_decl(1)
        return self.type_decl(1, local=True)

    def if_stmt(self, c: _Ctx) -> str:
        s = "if" + self.sp()
        if self.p(35):
            s += self.simple(c, True) + self.pick(("; ", ";")) + self.sp().lstrip()
        s += self.hdr_expr(2) + " " + self.braced(self.stmt_list(c, self.n(0, 2)))
        r = self.n(0, 5)
        if r == 1 and c.depth > 0:
            s += self.pick((" else ", " /* c */ else ", " else /* c */ ")) + self.if_stmt(replace(c, depth=c.depth - 1))
        elif r == 2:
            s += " else " + self.braced(self.stmt_list(c, self.n(0, 2)))
        return s

    def for_stmt(self, c: _Ctx, label: str | None) -> str:
        inner = replace(c, loop=True, brk=True,
                        loop_labels=c.loop_labels + ((label,) if label else ()),
                        brk_labels=c.brk_labels + ((label,) if label else ()))
        k = self.n(0, 7)
        if k == 0:
            head = "for "
        elif k == 1:
            head = "for " + self.hdr_expr(2) + " "
        elif k == 2:
            init = self.simple(c, True) if self.p(70) else ""
            cond = self.hdr_expr(1) if self.p(70) else ""
            post = self.simple(c, True, post=True) if self.p(70) else ""
            head = "for " + init + "; " + (cond + "; " if cond else ";" + self.pick((" ", ""))) + post + " "
        elif k == 3:
            head = "for " + self.pick(("i := 0; i < n; i++", "i, j := 0, len(s)-1; i < j; i, j = i+1, j-1",
                                       ";;", "; ;", "x := range 10", "range 3")) + " "
        else:
            head = "for " + self.range_clause(c) + " "
        body = self.stmt_list(inner, self.n(0, 3))
        if label is not None and label not in c.fn.used:
            body.append(self.pick(("break ", "continue ")) + label)
            c.fn.used.add(label)
        return head + self.braced(body)

    def range_clause(self, c: _Ctx) -> str:
        k = self.n(0, 4)
        if k == 0:
            vars_ = ""
        elif k <= 2:
            vars_ = ", ".join(self.new_name() for _ in range(self.n(1, 2))) + " := "
        else:
            vars_ = ", ".join(self.lhs(1, True) for _ in range(self.n(1, 2))) + " = "
        r = self.n(0, 5)
        if r == 0:
            x = self.val_name()
        elif r == 1:
            x = self.pick(("10", "n", "len(s)", "int64(3)"))  # range over int
        elif r == 2:
            # range over a function (iterator), possibly a literal in the header
            x = self.pick(("seq", "maps.Keys(m)", "func(yield func(int) bool) {}",
                           "func(yield func(K, V) bool) { yield(k, v) }", "slices.Values(s)"))
        elif r == 3:
            x = self.complit(2, hdr=True)
        else:
            x = self.hdr_expr(2)
        return vars_ + "range" + self.sp() + x

    def clauses(self, cases: list[tuple[str, list[str]]]) -> str:
        if not cases:
            return self.pick(("{}", "{ }", "{\n" + self.indent() + "}"))
        if self.p(20):
            parts = []
            for head, body in cases:
                parts.append(head + ("" if not body else " " + "; ".join(body) + ";"))
            return "{ " + " ".join(parts) + " }"
        s = "{"
        for head, body in cases:
            s += "\n" + self.indent() + head
            if self.p(10):
                s += " " + self.pick(_LINE_COMMENTS)
            for b in body:
                s += "\n" + self.indent(1) + b
        return s + "\n" + self.indent() + "}"

    def case_body(self, c: _Ctx) -> list[str]:
        return self.stmt_list(c, self.n(0, 2))

    def switch_stmt(self, c: _Ctx, label: str | None) -> str:
        inner = replace(c, brk=True, brk_labels=c.brk_labels + ((label,) if label else ()))
        s = "switch" + self.sp()
        k = self.n(0, 3)
        if k == 1:
            s += self.simple(c, True) + "; "
        if k == 2:
            s += self.simple(c, True) + "; " + self.hdr_expr(2) + " "
        elif k == 3 or self.p(50):
            s += self.hdr_expr(2) + " "
        cases: list[tuple[str, list[str]]] = []
        ncases = self.n(0, 3)
        default_at = self.n(0, ncases) if self.p(40) else -1
        for i in range(ncases + (1 if default_at >= 0 else 0)):
            if i == default_at:
                head = "default:"
            else:
                head = "case " + self.lst("", [self.expr(1) for _ in range(self.n(1, 2))], "", trailing=False) + ":"
            body = self.case_body(inner)
            cases.append((head, body))
        if label is not None and label not in c.fn.used:
            if not cases:
                cases.append(("default:", []))
            cases[-1][1].append("break " + label)
            c.fn.used.add(label)
        for i in range(len(cases) - 1):
            if self.p(15):
                cases[i][1].append("fallthrough")
        return s + self.clauses(cases)

    def type_switch(self, c: _Ctx, label: str | None) -> str:
        inner = replace(c, brk=True, brk_labels=c.brk_labels + ((label,) if label else ()))
        s = "switch" + self.sp()
        if self.p(25):
            s += self.simple(c, True) + "; "
        if self.p(50):
            s += self.new_name() + " := "
        x = self.primary(1, True)
        if x[0].isdigit() or x[0] == ".":
            x = "(" + x + ")"
        s += x + ".(type) "
        cases: list[tuple[str, list[str]]] = []
        for _ in range(self.n(0, 3)):
            if self.p(15):
                head = "default:"
            else:
                ts = [self.typ(2) if self.p(85) else "nil" for _ in range(self.n(1, 3))]
                head = "case " + ", ".join(ts) + ":"
            cases.append((head, self.case_body(inner)))
        return s + self.clauses(cases)

    def select_stmt(self, c: _Ctx, label: str | None) -> str:
        inner = replace(c, brk=True, brk_labels=c.brk_labels + ((label,) if label else ()))
        cases: list[tuple[str, list[str]]] = []
        for _ in range(self.n(0, 3)):
            k = self.n(0, 5)
            if k == 0:
                head = "default:"
            elif k == 1:
                head = "case " + self.pick(("ch", "out", "c.ch")) + " <- " + self.expr(1) + ":"
            elif k == 2:
                head = "case <-" + self.pick(("ch", "done", "ctx.Done()", "time.After(d)")) + ":"
            elif k == 3:
                head = "case " + self.pick(("v", "v, ok", "_, ok", "enum")) + " := <-" + self.pick(("ch", "c.in")) + ":"
            else:
                head = "case " + self.pick(("v", "a[i], ok", "p.x")) + " = <-ch:"
            cases.append((head, self.case_body(inner)))
        if label is not None and label not in c.fn.used:
            if not cases:
                cases.append(("default:", []))
            cases[-1][1].append("break " + label)
            c.fn.used.add(label)
        return "select" + self.sp() + self.clauses(cases)

    # --- declarations -------------------------------------------------------

    def group(self, kw: str, specs: list[str]) -> str:
        """``kw spec`` or a parenthesised group ``kw ( ... )``."""
        if len(specs) == 1 and self.p(60):
            return kw + self.sp() + specs[0]
        if self.p(25):
            return kw + " (" + "; ".join(specs) + (";" if self.p(20) else "") + ")"
        s = kw + " ("
        if self.p(10):
            s += " " + self.pick(_LINE_COMMENTS)
        for sp_ in specs:
            s += "\n" + self.indent(1) + sp_
            if self.p(10):
                s += " " + self.pick(_LINE_COMMENTS + _BLOCK_COMMENTS)
            if self.p(5):
                s += "\n"
        return s + "\n" + self.indent() + ")"

    def var_decl(self, d: int) -> str:
        specs = []
        self.ind += 1
        for _ in range(self.n(1, 3)):
            names = [self.new_name() for _ in range(self.n(1, 2))]
            k = self.n(0, 2)
            s = ", ".join(names)
            if k in (0, 2):
                s += " " + self.typ(d, decl=True)
            if k in (1, 2):
                s += " =" + self.sp() + ", ".join(self.expr(d) for _ in names)
            specs.append(s)
        self.ind -= 1
        return self.group("var", specs)

    def const_decl(self, d: int) -> str:
        specs = []
        self.ind += 1
        count = self.n(1, 4)
        for i in range(count):
            names = [self.new_name() for _ in range(self.n(1, 2))]
            s = ", ".join(names)
            if i > 0 and self.p(50):
                specs.append(s)  # repeats the previous spec's expression list
                continue
            if self.p(30):
                s += " " + self.pick(("int", "string", "float64", "Weekday", "time.Duration", *self.kw()))
            vals = [self.pick(("iota", "1 << iota", "iota + 1", "1 << (10 * iota)", "iota * 2", "\"s\"", "1.5",
                               "'x'", "0x_FF", "N", "len(\"ab\")", "unsafe.Sizeof(x)", "-1", "true"))
                    for _ in names]
            specs.append(s + " = " + ", ".join(vals))
        self.ind -= 1
        return self.group("const", specs)

    def type_spec(self, d: int, local: bool) -> str:
        name = self.pick(("T", "Point", "Node", "Ω", "myInt", "S", *self.kw()))
        k = self.n(0, 6)
        if k == 0 and not local:
            body = self.pick((self.struct_type(d), "[]T", "map[K]V", "func(T) error", "*Node[T]", "chan T",
                              self.interface_type(d, constraint=True), "List[T]"))
            return name + self.type_params(d, True) + " " + body
        if k == 1:
            return name + self.pick((" = ", "=")) + self.typ(d, decl=True)
        if k == 2:
            return name + " [" + self.array_len() + "]" + self.type_name()
        if k == 3 and not local and self.p(30):
            return name + self.type_params(d, True) + " = " + self.generic_inst(d)  # generic alias
        if k == 4:
            return name + " " + self.interface_type(d, constraint=not local and self.p(30))
        t = self.typ(d, decl=True)
        return name + " " + t

    def type_decl(self, d: int, local: bool = False) -> str:
        specs = []
        self.ind += 1
        for _ in range(self.n(1, 2)):
            specs.append(self.type_spec(d, local))
        self.ind -= 1
        return self.group("type", specs)

    def func_decl(self) -> str:
        s = "func" + self.sp()
        is_method = self.p(35)
        if is_method:
            recv_t = self.pick(("T", "*T", "Point", "*Node", "List[T]", "*List[T]", "Map[K, V]", "*Pair[_, V]", "Ω", *self.kw()))
            recv = self.pick(("", "r ", "_ ", "this ", "enum " if self.use_keywordish else "x "))
            if recv and self.p(5):
                recv_t = "(" + recv_t + ")"  # `func (r (*T)) M()`
            s += "(" + recv + recv_t + ") " + self.pick(_METHODS + _FUNC_NAMES + self.kw())
        else:
            s += self.pick(("main", "init", "F", "run", "Do", "_", "λ", *self.kw()))
            if self.p(30):
                s += self.type_params(2, False)
        res, nres, named, is_err = self.results(2)
        s += self.params(2) + res
        if self.p(4):
            return s  # body-less declaration (implemented in assembly)
        fn = _Func(nres=nres, named=named, error_result=is_err)
        if self.p(15):
            fn.goto_label = self.new_label(fn)
        c = _Ctx(depth=self.n(1, 3), fn=fn)
        return s + " " + self.func_body(c)

    # --- tgo declarations -----------------------------------------------------

    def enum_decl(self) -> str:
        name = self.pick(("Color", "Level", "Ω", "State"))
        base = ""
        k = self.n(0, 3)
        members = self.pick((("Red", "Green", "Blue"), ("A",), ("Debug", "Info", "Warn", "Error"),
                             ("Σ", "λ", "enum", "union"), ("Low", "Mid")))
        lines: list[str] = []
        if k == 0:
            lines = list(members)
        elif k == 1:
            base = " string"
            lines = [m + " = " + self.string_lit() for m in members]
        elif k == 2:
            base = " " + self.pick(("int", "uint8", "int64", "myInt"))
            lines = [m + (" = " + self.pick(("1", "2", "0x10", "-1", "1 << 3", "'a'")) if self.p(60) else "")
                     for m in members]
        else:
            base = " string"
            lines = [m + " = " + self.raw_string().replace("\n", "") for m in members]
        self.ind += 1
        lines = [ln + (" " + self.pick(_BLOCK_COMMENTS) if self.p(10) else "") for ln in lines]
        self.ind -= 1
        if self.erase_decls:
            body = self.braced_lines("", lines).replace("{", "(", 1)[:-1] + ")"
            return "type " + name + (base or " int") + "\n\nconst " + body
        return "type " + name + " enum" + base + " " + self.braced_lines("", lines)

    def union_decl(self) -> str:
        name = self.pick(("Shape", "Result", "Expr", "Ω"))
        tparams = self.type_params(1, True) if self.p(30) else ""
        lines: list[str] = []
        self.ind += 1
        for _ in range(self.n(1, 4)):
            k = self.n(0, 4)
            vname = self.pick(("Circle", "Rect", "Dot", "Ok", "Err", "Σ", "Lit", "enum", "union"))
            if k <= 1:
                fields = [self.field_name() + ", " + self.field_name() + " float64"
                          if self.p(20) else self.field_name() + " " + self.typ(1, decl=True)
                          for _ in range(self.n(1, 2))]
                if self.p(20):
                    body = "{" + "".join(self.nl(1) + f for f in fields) + "\n" + self.indent() + "}"
                else:
                    body = "{" + "; ".join(fields) + "}"
                lines.append(vname + body)
            elif k == 2:
                lines.append(vname + self.pick(("{}", "{ }")))
            elif k == 3:
                lines.append("*" + self.pick(("Polygon", "Node", "T")))
            else:
                lines.append(self.pick(("Polygon", "Node", "T", "enum", "union", "pkg.T", "*pkg.T", "List[T]",
                                        "*Pair[int, T]")))
        self.ind -= 1
        if self.erase_decls:
            return "type " + name + tparams + " interface{ is" + name + "() }"
        return "type " + name + tparams + " union " + self.braced_lines("", lines)

    # --- files ----------------------------------------------------------------

    def imports(self) -> list[str]:
        out = []
        for _ in range(self.n(0, 2)):
            specs = []
            for _ in range(self.n(1, 3)):
                path = self.pick(_IMPORT_PATHS)
                lit = '"' + path + '"' if self.p(90) else "`" + path + "`"
                alias = self.pick(("", "", "", "f ", ". ", "_ ", "日志 ", "enum " if self.use_keywordish else "u "))
                specs.append(alias + lit)
            if len(specs) == 1 and self.p(60):
                out.append("import" + self.sp() + specs[0])
            elif self.p(5):
                out.append("import ()")
            else:
                out.append(self.group("import", specs))
        return out

    def keywordish_decls(self) -> list[str]:
        """Declarations using `enum` and `union` as ordinary Go identifiers."""
        return [self.pick((
            "type enum int",
            "type union struct{ enum int }",
            "type T enum",
            "type T union",
            "type T[P any] enum",
            "type T[P any, Q union] union",
            "type (A enum; B union)",
            "type E enum; var union enum",
            "type (\n\tA enum\n\tB = union\n)",
            "type T struct {\n\tenum\n\t*union\n\tx enum\n}",
            "var enum, union = 1, 2",
            "var x enum = enum(3)",
            "const enum = iota",
            "func enum() union { return union{} }",
            "func (union) enum(enum enum) union { return enum.union }",
            "func f(enum, union int) (enum2 enum) { return }",
            "type I interface {\n\tenum\n\tunion() enum\n}",
            "var m = map[enum]union{{1}: {}}",
            "func g() {\n\tenum := union{enum: 1}\n\tenum.enum++\n\tswitch union := enum.(type) {\n\tcase enum:\n\t}\n}",
            "type enum struct{}\n\nfunc (e enum) String() string { return \"\" }",
        ))]

    def top_decl(self) -> str:
        kinds: tuple[str, ...] = ("func", "func", "var", "const", "type", "type", "func")
        if self.tgo:
            kinds += ("enum", "union", "func")
        if self.use_keywordish:
            kinds += ("keywordish",)
        k = self.pick(kinds)
        if k == "func":
            return self.func_decl()
        if k == "var":
            return self.var_decl(2)
        if k == "const":
            return self.const_decl(2)
        if k == "type":
            return self.type_decl(2)
        if k == "enum":
            return self.enum_decl()
        if k == "union":
            return self.union_decl()
        return self.keywordish_decls()[0]

    def file(self) -> str:
        self.tab = self.pick(("\t", "\t", "    ", "  "))
        self.use_keywordish = self.p(25)
        self.types = ["Shape", "Color"] if self.tgo else []
        head = ""
        if self.tgo and self.p(15):
            head += "//tgo:oblivious\n\n"
        if self.p(10):
            head += "//go:build linux && !cgo\n\n"
        if self.p(15):
            head += self.pick(("// Package p does things.\n", "/* doc */\n", "/*\nPackage p\n*/\n"))
        pkg_name = self.pick(("p", "main", "foo_test", "日本", "enum" if self.use_keywordish else "p"))
        s = head + "package" + self.sp() + pkg_name
        comment_ends_line = self.p(10)
        if comment_ends_line:
            s += " " + self.pick(_LINE_COMMENTS)
        parts = [*self.imports(), *(self.top_decl() for _ in range(self.n(0, 4)))]
        if self.p(5):
            parts.append(self.pick(("var ()", "const ()", "type ()", "var ( )", "const (\n)")))
        for part in parts:
            r = self.n(0, 9)
            if comment_ends_line and r == 0:
                r = 1
            comment_ends_line = False
            if r == 0:
                s += "; " + part  # explicit semicolon on the same line
            elif r == 1:
                s += "\n" + part
            elif r == 2:
                s += "\n\n" + self.pick(_LINE_COMMENTS) + "\n" + part
            else:
                s += "\n\n" + part
        r = self.n(0, 9)
        if r == 1:
            pass  # no final newline
        elif r == 2:
            s += "\n" + self.pick(_LINE_COMMENTS)  # comment at EOF without a newline
        elif r == 3:
            s += ";\n"
        else:
            s += "\n"
        if self.p(5):
            s = s.replace("\n", "\r\n")
        if self.p(3):
            s = "\ufeff" + s
        return s


# Markers the generator writes for the tgo expression forms, so that one draw
# gives both the tgo text and the same program with those forms erased.
_Q = "\ue000"  # the `?` of a nullable type
_BANG = "\ue001"  # the `!` of a non-nil assertion
_TRY_OPEN, _TRY_CLOSE = "\ue002", "\ue003"  # around the `?` or `? "msg"` of an error propagation
_TRY_RE = re.compile(_TRY_OPEN + ".*?" + _TRY_CLOSE, re.DOTALL)


def _real(marked: str) -> str:
    return marked.replace(_Q, "?").replace(_BANG, "!").replace(_TRY_OPEN, "").replace(_TRY_CLOSE, "")


def _erased(marked: str) -> str:
    return _TRY_RE.sub("", marked).replace(_Q, "").replace(_BANG, "")


@st.composite
def _programs(draw: Callable[[st.SearchStrategy[Any]], Any], tgo: bool, erase: bool = False) -> str:
    """Programs; ``erase`` writes a tgo program's extensions as plain Go (for gofmt)."""
    marked = _Gen(draw, tgo, erase_decls=erase).file()
    return _erased(marked) if erase else _real(marked)


def go_programs() -> st.SearchStrategy[str]:
    """Syntactically valid Go source files."""
    return _programs(False)


def tgo_programs() -> st.SearchStrategy[str]:
    """tgo source files using the dialect's extensions (and plain Go)."""
    return _programs(True)


@st.composite
def tgo_programs_with_erasure(draw: Callable[[st.SearchStrategy[Any]], Any]) -> tuple[str, str]:
    """A tgo program and the same program with every ``?`` of a nullable type,
    ``!`` of a non-nil assertion and ``?``/``? "msg"`` of an error propagation
    removed (enums and unions are kept)."""
    marked = _Gen(draw, True).file()
    return _real(marked), _erased(marked)


def go_expressions() -> st.SearchStrategy[str]:
    """Go expressions (handy for shrinking an expression-level failure)."""

    @st.composite
    def _e(draw: Callable[[st.SearchStrategy[Any]], Any]) -> str:
        return _Gen(draw, False).expr(3)

    return _e()
