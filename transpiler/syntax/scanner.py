"""Scanner: turns decoded source text into tokens, with Go's automatic semicolons.

Like go/scanner, it reports lexical errors and keeps going.  Token kinds are the
token text itself for keywords and operators (``"func"``, ``":="``) and a class
name for the rest (``IDENT INT FLOAT IMAG CHAR STRING``); ``";"`` tokens whose
text is ``"\\n"`` (or ``""`` at the end of the file) were inserted by the
semicolon rule.  Comments are returned in a separate list, and the whitespace
between tokens is never stored: every byte of the file is either inside a
token or comment, or in a gap between them, so the tree keeps the source.

Two pieces of context are settled before parsing and marked on the tokens:
``[`` that opens a type parameter list of a type declaration (``LBRACK_TP``,
decided by go/parser's rule for ``type T[P *C] ...``), and the contextual
meaning of ``!`` (postfix non-nil assertion directly after an operand).
"""

from __future__ import annotations

import re

from transpiler.diagnostics import codes


class Tok:
    """A token: its kind, its text and its character span in the decoded source."""

    __slots__ = ("end", "kind", "pos", "text")

    def __init__(self, kind: str, text: str, pos: int, end: int) -> None:
        self.kind = kind
        self.text = text
        self.pos = pos
        self.end = end

    def __repr__(self) -> str:
        return f"Tok({self.kind!r}, {self.text!r}, {self.pos})"


class Comment:
    """A ``//`` or ``/* */`` comment with its character span."""

    # (a plain class, not a dataclass: the module that makes dataclasses loads ``inspect``,
    # a sixth of a cold `tgo parse`)
    __slots__ = ("end", "pos", "text")

    def __init__(self, text: str, pos: int, end: int) -> None:
        self.text = text
        self.pos = pos
        self.end = end

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Comment) and (self.text, self.pos, self.end) == (other.text, other.pos, other.end)


    def __repr__(self) -> str:
        return f"Comment(text={self.text!r}, pos={self.pos!r}, end={self.end!r})"


class LexError:
    """A lexical error: a registry message with its fields, at a character span."""

    __slots__ = ("end", "fields", "message", "pos")

    def __init__(self, message: codes.Message, pos: int, end: int, fields: dict[str, object]) -> None:
        self.message = message
        self.pos = pos
        self.end = end
        self.fields = fields

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LexError) and (self.message, self.pos, self.end, self.fields) == (
            other.message, other.pos, other.end, other.fields)


    def __repr__(self) -> str:
        return f"LexError(message={self.message!r}, pos={self.pos!r}, end={self.end!r}, fields={self.fields!r})"


KEYWORDS = frozenset(
    "break case chan const continue default defer else fallthrough for func go goto if "
    "import interface map package range return select struct switch type var".split()
)

# Kinds after which a newline (or the end of the file) inserts a semicolon.
_SEMI_AFTER = frozenset(
    ["IDENT", "INT", "FLOAT", "IMAG", "CHAR", "STRING", "break", "continue", "fallthrough", "return",
     "++", "--", ")", "]", "}", "?", "!postfix"]
)
# Kinds that end an operand: a `!` directly after one is the postfix assertion.
_OPERAND_END = frozenset(["IDENT", "INT", "FLOAT", "IMAG", "CHAR", "STRING", ")", "]", "}", "?", "!postfix"])

_DEC = r"[0-9](?:_?[0-9])*"
_HEX = r"(?:_?[0-9a-fA-F])"
_EXP = r"[eE][+-]?" + _DEC
_NUMBER = (
    r"(?:0[xX]" + _HEX + r"*(?:\.(?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?[pP][+-]?" + _DEC  # hex float
    + r"|0[xX]" + _HEX + r"+"
    + r"|0[oO](?:_?[0-7])+"
    + r"|0[bB](?:_?[01])+"
    + r"|" + _DEC + r"\.(?:" + _DEC + r")?(?:" + _EXP + r")?"
    + r"|" + _DEC + _EXP
    + r"|\." + _DEC + r"(?:" + _EXP + r")?"
    + r"|" + _DEC
    + r")i?"
)
# Go's operators and punctuation, the longest first: <<= >>= &^= && || <- ++ -- the
# assignment operators and comparisons ending in =, << >> &^, then the single characters;
# those that start with `.` or `/` apart (a number or a comment may start there too).
_OPS = (
    r"<<=|>>=|&\^=|&&|\|\||<-|\+\+|--|[-+*%&|^<>=!:]=|<<|>>|&\^"
    r"|[-+*%&|^<>=!()\[\]{},;:~?]"
)
_DOT_SLASH_OPS = r"\.\.\.|/=|[./]"
# One pattern for every token: the blanks before it, then one group per class (the group
# numbers below); a character nothing else matches is `err`, so that ``finditer`` walks the
# whole text, one token after another.  The order of the alternatives is the tie-break (a
# number before `.`, a comment before `/`), and else the most frequent first.
_TOKEN_RE = re.compile(
    r"[ \t\r]*+(?:"
    r"([^\W\d]\w*)"
    r"|(" + _OPS + r")"
    r"|(\n)"
    r"|(" + _NUMBER + r")"
    r"|(//[^\n]*)"
    r"|(/\*.*?\*/)"
    r'|("(?:[^"\\\n]|\\[^\n])*")'
    r"|(`[^`]*`)"
    r"|('(?:[^'\\\n]|\\[^\n])*')"
    r"|(" + _DOT_SLASH_OPS + r")"
    r"|(.))",
    re.DOTALL,
)
_ID, _OP, _NL, _NUM, _LINE_COMMENT, _BLOCK_COMMENT, _STR, _RAW, _CHR, _DOT_SLASH_OP, _ERR = range(1, 12)
# The patterns for escapes are compiled when a literal with a backslash is first scanned
# (``_pattern``): compiling them costs more than scanning a small file without one.
_ESCAPE = r"\\(?:([abfnrtv\\'\"])|([0-7]{3})|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.?))"
_patterns: dict[str, re.Pattern[str]] = {}


def _pattern(source: str) -> re.Pattern[str]:
    """``source`` compiled (``re.DOTALL``), once per process."""
    compiled = _patterns.get(source)
    if compiled is None:
        compiled = _patterns[source] = re.compile(source, re.DOTALL)
    return compiled


_BAD_NUMBER_TAIL = re.compile(r"[\w.]")


class ScanResult:
    """A file's tokens, comments and lexical errors."""

    __slots__ = ("comments", "errors", "tokens")

    def __init__(self, tokens: list[Tok], comments: list[Comment], errors: list[LexError]) -> None:
        self.tokens = tokens
        self.comments = comments
        self.errors = errors


def scan(text: str) -> ScanResult:
    """Scan ``text`` (already checked for encoding problems) into tokens and comments."""
    tokens: list[Tok] = []
    comments: list[Comment] = []
    errors: list[LexError] = []
    # where `func` and `type` stand: the only places a type parameter list can open
    decls: list[int] = []
    append = tokens.append
    keywords = KEYWORDS
    semi_after = _SEMI_AFTER
    operand_end = _OPERAND_END
    n = len(text)
    i = 1 if text.startswith("\ufeff") else 0
    last = ""  # kind of the last token, for the semicolon rule
    while i < n:
        resume = n  # where a token that ends irregularly makes the scan start again
        for m in _TOKEN_RE.finditer(text, i):
            g = m.lastindex or _ERR  # (always set: every alternative is a group)
            i, j = m.span(g)
            if g == _ID:
                word = text[i:j]
                if word in keywords:
                    if word == "func" or word == "type":
                        decls.append(len(tokens))
                    append(Tok(word, word, i, j))
                    last = word
                else:
                    append(Tok("IDENT", word, i, j))
                    last = "IDENT"
            elif g == _OP:
                op = text[i:j]
                if op == "!" and last in operand_end:
                    append(Tok("!", op, i, j))
                    last = "!postfix"
                else:
                    append(Tok(op, op, i, j))
                    last = op
            elif g == _NL:
                if last in semi_after:
                    append(Tok(";", "\n", i, i))
                last = ""
            elif g == _NUM:
                word = text[i:j]
                if j < n and _BAD_NUMBER_TAIL.match(text, j):
                    # Go scans `0x1g`, `1__2`, `09` and the like as one bad literal.
                    k = j
                    while k < n and _BAD_NUMBER_TAIL.match(text, k) and not text.startswith("..", k):
                        k += 1
                    if text[j] != "." or k > j + 1:
                        errors.append(LexError(codes.BAD_NUMBER, i, k, {"problem": f"invalid number literal {text[i:k]!r}"}))
                        j = k
                        word = text[i:k]
                kind = _number_kind(word)
                if kind == "INT" and len(word) > 1 and word[0] == "0" and word[1] in "0123456789_":
                    digits = word.replace("_", "")
                    if any(c in "89" for c in digits):
                        errors.append(LexError(codes.BAD_NUMBER, i, j, {"problem": f"invalid digit in octal literal {word}"}))
                append(Tok(kind, word, i, j))
                last = kind
                if j != m.end():
                    resume = j
                    break
            elif g == _STR:
                word = text[i:j]
                if "\\" in word:
                    _check_escapes(word, i, '"', errors)
                append(Tok("STRING", word, i, j))
                last = "STRING"
            elif g == _LINE_COMMENT:
                comments.append(Comment(text[i:j], i, j))
            elif g == _BLOCK_COMMENT:
                word = text[i:j]
                comments.append(Comment(word, i, j))
                if "\n" in word and last in semi_after:
                    append(Tok(";", "\n", i, i))
                    last = ""
            elif g == _DOT_SLASH_OP:
                op = text[i:j]
                if op == "/" and text.startswith("/*", i):
                    errors.append(LexError(codes.UNTERMINATED_COMMENT, i, n, {}))
                    comments.append(Comment(text[i:], i, n))
                    resume = n
                    break
                append(Tok(op, op, i, j))
                last = op
            elif g == _RAW:
                append(Tok("STRING", text[i:j], i, j))
                last = "STRING"
            elif g == _CHR:
                word = text[i:j]
                _check_rune(word, i, errors)
                append(Tok("CHAR", word, i, j))
                last = "CHAR"
            else:  # err: nothing starts here
                resume = _scan_error(text, i, tokens, comments, errors)
                if tokens:
                    last = tokens[-1].kind
                if resume != j:
                    break
        else:
            break
        i = resume
    if last in semi_after:
        append(Tok(";", "", n, n))
    _mark_type_params(tokens, decls)
    return ScanResult(tokens, comments, errors)


def _number_kind(word: str) -> str:
    if word.endswith("i"):
        return "IMAG"
    if word[:2] in ("0x", "0X"):
        return "FLOAT" if ("p" in word or "P" in word) else "INT"
    if "." in word or "e" in word or "E" in word:
        return "FLOAT"
    return "INT"


def _scan_error(text: str, i: int, tokens: list[Tok], comments: list[Comment], errors: list[LexError]) -> int:
    """Report what cannot start a token at ``i`` and return where scanning resumes."""
    c = text[i]
    n = len(text)
    if c == '"':
        end = text.find("\n", i)
        end = n if end < 0 else end
        errors.append(LexError(codes.UNTERMINATED_STRING, i, end, {}))
        tokens.append(Tok("STRING", text[i:end], i, end))
        return end
    if c == "`":
        errors.append(LexError(codes.UNTERMINATED_RAW_STRING, i, n, {}))
        tokens.append(Tok("STRING", text[i:], i, n))
        return n
    if c == "'":
        end = text.find("\n", i)
        end = n if end < 0 else end
        errors.append(LexError(codes.UNTERMINATED_RUNE, i, end, {}))
        tokens.append(Tok("CHAR", text[i:end], i, end))
        return end
    if text.startswith("/*", i):
        errors.append(LexError(codes.UNTERMINATED_COMMENT, i, n, {}))
        comments.append(Comment(text[i:], i, n))
        return n
    if c == "\ufeff":
        errors.append(LexError(codes.INVALID_BOM, i, i + 1, {}))
        return i + 1
    errors.append(LexError(codes.INVALID_CHAR, i, i + 1, {"char": _describe_char(c)}))
    return i + 1


def _describe_char(c: str) -> str:
    if c.isprintable():
        return f"U+{ord(c):04X} {c!r}"
    return f"U+{ord(c):04X}"


# (no ``.`` in them: ``re.DOTALL`` changes nothing)
_VALID_ESCAPES = {
    q: r"(?:[^\\]|\\(?:[abfnrtv\\" + q + r"]|[0-3][0-7]{2}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}))*"
    for q in "\"'"
}


def _check_escapes(word: str, pos: int, quote: str, errors: list[LexError]) -> None:
    # Fast path for long literals (generated data): every escape well formed,
    # and no \u or \U whose value needs a closer look.
    if "\\u" not in word and "\\U" not in word and _pattern(_VALID_ESCAPES[quote]).fullmatch(word, 1, len(word) - 1):
        return
    for m in _pattern(_ESCAPE).finditer(word, 1, len(word) - 1):
        simple, octal, hx, u4, u8, bad = m.groups()
        where = pos + m.start()
        if simple is not None:
            if simple in "'\"" and simple != quote:
                errors.append(LexError(codes.BAD_ESCAPE, where, where + 2, {"problem": "unknown escape sequence"}))
        elif octal is not None:
            if int(octal, 8) > 255:
                errors.append(LexError(codes.BAD_ESCAPE, where, where + 4, {"problem": "octal escape value > 255"}))
        elif hx is not None:
            pass
        elif u4 is not None or u8 is not None:
            value = int(u4 or u8 or "0", 16)
            if 0xD800 <= value < 0xE000 or value > 0x10FFFF:
                errors.append(LexError(codes.BAD_ESCAPE, where, where + m.end() - m.start(),
                                       {"problem": "escape sequence is invalid Unicode code point"}))
        elif bad is not None:
            errors.append(LexError(codes.BAD_ESCAPE, where, where + 1 + len(bad), {"problem": "unknown escape sequence"}))


def _check_rune(word: str, pos: int, errors: list[LexError]) -> None:
    body = word[1:-1]
    if not body:
        errors.append(LexError(codes.BAD_RUNE, pos, pos + len(word), {"problem": "empty rune literal or unescaped '"}))
        return
    if body[0] == "\\":
        m = _pattern(_ESCAPE).match(word, 1)
        if m is None or m.end() != len(word) - 1:
            errors.append(LexError(codes.BAD_RUNE, pos, pos + len(word), {"problem": "more than one character"}))
            return
        _check_escapes(word, pos, "'", errors)
    elif len(body) != 1:
        errors.append(LexError(codes.BAD_RUNE, pos, pos + len(word), {"problem": "more than one character"}))


# ------------------------------------------------------------------------
# Type parameter lists of type declarations: `type T[P any]` vs `type T[N]int`.

_BINARY_PREC = {
    "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
    "+": 4, "-": 4, "|": 4, "^": 4, "*": 5, "/": 5, "%": 5, "<<": 5, ">>": 5, "&": 5, "&^": 5,
}
_OPEN = {"(": ")", "[": "]", "{": "}"}
_TYPE_KEYWORDS = frozenset(["struct", "func", "interface", "map", "chan"])


def _mark_type_params(tokens: list[Tok], decls: list[int]) -> None:
    """Mark the ``[`` of type parameter lists in type and function declarations;
    ``decls`` are the indices of the ``func`` and ``type`` tokens, in order."""
    n = len(tokens)
    for i in decls:
        kind = tokens[i].kind
        if kind == "func" and i + 2 < n and tokens[i + 1].kind == "IDENT" and tokens[i + 2].kind == "[":
            # `func F[` can only open a type parameter list.
            tokens[i + 2].kind = "LBRACK_TP"
        elif kind == "type":
            if i + 1 < n and tokens[i + 1].kind == "(":
                depth = 0
                j = i + 1
                at_spec = True
                while j < n:
                    k = tokens[j].kind
                    if k in _OPEN or k == "LBRACK_TP":
                        depth += 1
                        if depth == 1:
                            at_spec = True
                            j += 1
                            continue
                    elif k in (")", "]", "}"):
                        depth -= 1
                        if depth == 0:
                            break
                    elif k == ";" and depth == 1:
                        at_spec = True
                        j += 1
                        continue
                    if at_spec and depth == 1:
                        _mark_one_spec(tokens, j)
                    at_spec = False
                    j += 1
            else:
                _mark_one_spec(tokens, i + 1)


def _mark_one_spec(tokens: list[Tok], j: int) -> None:
    """``tokens[j]`` starts a type spec; mark its ``[`` if it opens type parameters."""
    if j + 1 < len(tokens) and tokens[j].kind == "IDENT" and tokens[j + 1].kind == "[":
        close = _matching(tokens, j + 1)
        if close is not None and _is_type_param_list(tokens, j + 2, close):
            tokens[j + 1].kind = "LBRACK_TP"


def _matching(tokens: list[Tok], i: int) -> int | None:
    depth = 0
    for j in range(i, len(tokens)):
        k = tokens[j].kind
        if k in _OPEN or k == "LBRACK_TP":
            depth += 1
        elif k in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                return j
    return None


def _is_type_param_list(tokens: list[Tok], start: int, close: int) -> bool:
    """go/parser's decision between an array length and a type parameter list.

    ``tokens[start:close]`` is what stands between the brackets.  A lone name is
    an array length (``[N]``); a name followed by ``[`` or by anything that
    cannot continue an expression starts a parameter list; otherwise the
    expression ``x`` is split as go/parser's ``extractName`` does.
    """
    if start >= close or tokens[start].kind != "IDENT":
        return False
    if start + 1 == close:
        return False
    nxt = tokens[start + 1].kind
    if nxt == "[":
        return True
    if nxt not in _BINARY_PREC and nxt not in ("(", ".", "{"):
        return True
    # The expression x runs to the first top-level comma (or the bracket).
    end = start
    depth = 0
    while end < close:
        k = tokens[end].kind
        if k in _OPEN:
            depth += 1
        elif k in (")", "]", "}"):
            depth -= 1
        elif k == "," and depth == 0:
            break
        end += 1
    force = end < close  # followed by a comma
    x = _parse_shape(tokens, start, end)
    if x is None:
        return False
    name, ptype = _extract_name(x, force)
    return name and (ptype or end != close)


# A tiny expression shape for _extract_name: ("name",), ("bin", op, x, y),
# ("call", fun, nargs_ok, arg), ("unary", op, x), ("paren", x), ("typelit",), ("other",)
Shape = tuple[object, ...]


def _parse_shape(tokens: list[Tok], start: int, end: int) -> Shape | None:
    pos = [start]

    def peek() -> str:
        return tokens[pos[0]].kind if pos[0] < end else ""

    def skip_group() -> None:
        depth = 0
        while pos[0] < end:
            k = tokens[pos[0]].kind
            pos[0] += 1
            if k in _OPEN:
                depth += 1
            elif k in (")", "]", "}"):
                depth -= 1
                if depth == 0:
                    return

    def unary() -> Shape:
        k = peek()
        if k in ("+", "-", "!", "^", "*", "&", "<-", "~"):
            pos[0] += 1
            if k == "<-" and peek() == "chan":
                primary()
                return ("typelit",)
            return ("unary", k, unary())
        return primary()

    def primary() -> Shape:
        k = peek()
        if k == "IDENT":
            pos[0] += 1
            x: Shape = ("name",)
        elif k == "(":
            inner_start = pos[0] + 1
            skip_group()
            x = ("paren", _parse_shape(tokens, inner_start, pos[0] - 1) or ("other",))
        elif k in _TYPE_KEYWORDS or k == "[":
            # a type literal: consume tokens that can belong to it
            if k == "[":
                skip_group()
            else:
                pos[0] += 1
            while pos[0] < end and tokens[pos[0]].kind not in _BINARY_PREC and tokens[pos[0]].kind != ",":
                if tokens[pos[0]].kind in _OPEN:
                    skip_group()
                else:
                    pos[0] += 1
            return ("typelit",)
        else:
            pos[0] += 1
            x = ("other",)
        while pos[0] < end:
            k = peek()
            if k == ".":
                pos[0] += 2
                x = ("other",)
            elif k == "(":
                args_start = pos[0] + 1
                skip_group()
                args_end = pos[0] - 1
                x = ("call", x, _single_arg(tokens, args_start, args_end))
            elif k in ("[", "{"):
                skip_group()
                x = ("other",)
            else:
                break
        return x

    def binary(prec: int) -> Shape:
        x = unary()
        while True:
            op = peek()
            p = _BINARY_PREC.get(op, 0)
            if p < prec:
                return x
            pos[0] += 1
            y = binary(p + 1)
            x = ("bin", op, x, y)

    result = binary(1)
    return result if pos[0] == end else None


def _single_arg(tokens: list[Tok], start: int, end: int) -> Shape | None:
    """The shape of a call's argument when there is exactly one (no `...`)."""
    depth = 0
    last = end
    for j in range(start, end):
        k = tokens[j].kind
        if k in _OPEN:
            depth += 1
        elif k in (")", "]", "}"):
            depth -= 1
        elif depth == 0 and k == "...":
            return None
        elif depth == 0 and k == ",":
            if j + 1 < end:  # a second argument
                return None
            last = j
            break
    if start >= last:
        return None
    return _parse_shape(tokens, start, last)


def _is_type_elem(x: Shape) -> bool:
    tag = x[0]
    if tag == "typelit":
        return True
    if tag == "bin":
        return _is_type_elem(x[2]) or _is_type_elem(x[3])  # type: ignore[arg-type]
    if tag == "unary":
        return x[1] == "~"
    if tag == "paren":
        return _is_type_elem(x[1])  # type: ignore[arg-type]
    return False


def _extract_name(x: Shape, force: bool) -> tuple[bool, bool]:
    """go/parser's extractName: (x starts with a name, a type follows the name)."""
    tag = x[0]
    if tag == "name":
        return True, False
    if tag == "bin":
        op, lhs, rhs = x[1], x[2], x[3]
        assert isinstance(lhs, tuple) and isinstance(rhs, tuple)
        if op == "*" and lhs[0] == "name" and (force or _is_type_elem(rhs)):
            return True, True
        if op == "|":
            name, has_type = _extract_name(lhs, force or _is_type_elem(rhs))
            if name and has_type:
                return True, True
    if tag == "call":
        fun, arg = x[1], x[2]
        assert isinstance(fun, tuple)
        if fun[0] == "name" and isinstance(arg, tuple) and (force or _is_type_elem(arg)):
            return True, True
    return False, False
