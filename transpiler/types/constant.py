"""Go constants: the values of literals and exact constant arithmetic, as go/constant.

Literals are read as Go's strconv and go/constant read them; the checker and stubgen
both use this one copy.

Values are Python values: ``int`` for integers and runes (unbounded, as Go's untyped
constants), ``Fraction`` for exact floats (stubgen) or ``float`` (the checker, which needs
no more), ``bytes`` (or ``str``) for strings, ``bool``.  Literal decoding assumes a literal
the scanner accepted (its escapes and digits are valid): a malformed one raises
``ValueError``.  An operation Go would reject or cannot fold (a division by zero, a
shift by a negative count, a mix of kinds) gives ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

Number = int | Fraction | float
Value = int | Fraction | float | bytes | str | bool

# The largest shift count folded: Go limits constant shifts too (go/types: 1<<1023 is the
# largest float64, and a shift count beyond a few thousand is rejected as too large).
MAX_SHIFT = 4096

_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "'": 39, '"': 34}


# ------------------------------------------------------------------------ literals


def unescape(body: str) -> list[int | str]:
    """A quoted literal's body as a list of bytes (``\\x``, octal escapes: int) and characters
    (str; ``\\u``, ``\\U`` and the named escapes are characters)."""
    out: list[int | str] = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        e = body[i + 1]
        if e in _ESCAPES:
            out.append(chr(_ESCAPES[e]))
            i += 2
        elif e == "x":
            out.append(int(body[i + 2 : i + 4], 16))
            i += 4
        elif e in "01234567":
            out.append(int(body[i + 1 : i + 4], 8))
            i += 4
        elif e == "u":
            out.append(chr(int(body[i + 2 : i + 6], 16)))
            i += 6
        elif e == "U":
            out.append(chr(int(body[i + 2 : i + 10], 16)))
            i += 10
        else:
            raise ValueError(f"bad escape \\{e}")
    return out


def string_value(lit: str) -> bytes:
    """The bytes of a string literal: interpreted (escapes decoded, ``\\xff`` a byte) or raw
    (carriage returns dropped, as the Go spec says)."""
    if lit.startswith("`"):
        return lit[1:-1].replace("\r", "").encode("utf-8", "surrogatepass")
    parts = unescape(lit[1:-1])
    return b"".join(bytes([p]) if isinstance(p, int) else p.encode("utf-8", "surrogatepass") for p in parts)


def char_value(lit: str) -> int:
    """The code point (or byte, for ``'\\xff'`` and octal escapes) of a rune literal."""
    parts = unescape(lit[1:-1])
    if len(parts) != 1:
        raise ValueError("bad char literal")
    p = parts[0]
    return p if isinstance(p, int) else ord(p)


def int_value(lit: str) -> int:
    """An integer literal: decimal, ``0b``, ``0o``, ``0x``, a legacy octal ``017``, underscores."""
    s = lit.replace("_", "").lower()
    if len(s) > 1 and s[0] == "0" and s[1].isdigit():
        return int(s[1:], 8)
    return int(s, 0)


def float_value(lit: str) -> Fraction:
    """A floating-point literal, exactly: decimal (``1e-3``, ``.5``, ``1.``) or hexadecimal
    (``0x1.8p1``), underscores allowed."""
    s = lit.replace("_", "").lower()
    if s.startswith("0x"):
        mant, _, exp = s[2:].partition("p")
        whole, _, frac = mant.partition(".")
        digits = int(whole + frac or "0", 16)
        return Fraction(digits) * Fraction(2) ** (int(exp or "0") - 4 * len(frac))
    return Fraction(s)


def imag_value(lit: str) -> Fraction:
    """The imaginary part of an imaginary literal (``2.5i``, ``0x1p-2i``, ``1_000i``). As the Go
    spec says, an integer part of decimal digits alone is decimal even with a leading 0
    (``0123i`` is ``123i``)."""
    s = lit[:-1] if lit.endswith("i") else lit
    if s.replace("_", "").isdigit():
        return Fraction(int(s.replace("_", ""), 10))
    if s.lower().startswith(("0x", "0b", "0o")) and not any(c in s.lower() for c in ".p"):
        return Fraction(int_value(s))
    return float_value(s)


# ---------------------------------------------------------------------- arithmetic


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: object) -> bool:
    return isinstance(v, int | Fraction | float) and not isinstance(v, bool)


def unary_op(op: str, v: Value, unsigned_bits: int | None = None) -> Value | None:
    """``op v`` for ``+``, ``-``, ``!`` and ``^`` (for an unsigned type of ``unsigned_bits``
    bits, ``^`` flips those bits only, as Go does)."""
    if op == "+" and _is_number(v):
        return v
    if op == "-" and _is_number(v):
        return -v  # type: ignore[operator]  # (a number: _is_number)
    if op == "!" and isinstance(v, bool):
        return not v
    if op == "^" and _is_int(v):
        assert isinstance(v, int)
        return v ^ ((1 << unsigned_bits) - 1) if unsigned_bits is not None else ~v
    return None


def shift(op: str, x: Value, s: Value) -> int | None:
    """``x << s`` or ``x >> s`` of integer constants (a float with an integer value counts as
    one, as in Go); None for a negative count or a left shift beyond ``MAX_SHIFT``."""
    if isinstance(x, Fraction | float) and not isinstance(x, bool) and x == int(x):
        x = int(x)
    if isinstance(s, Fraction | float) and not isinstance(s, bool) and s == int(s):
        s = int(s)
    if not _is_int(x) or not _is_int(s):
        return None
    assert isinstance(x, int) and isinstance(s, int)
    if s < 0 or (op == "<<" and s > MAX_SHIFT):
        return None
    if op == "<<":
        return x << s
    if op == ">>":
        return x >> s
    return None


_COMPARE: dict[str, Callable[[object, object], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}

_INT_OPS: dict[str, Callable[[int, int], int]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "&": lambda a, b: a & b,
    "|": lambda a, b: a | b,
    "^": lambda a, b: a ^ b,
    "&^": lambda a, b: a & ~b,
}


def binary_op(op: str, a: Value, b: Value, integer: bool | None = None) -> Value | None:
    """``a op b`` for Go's binary operators but the shifts (``shift``) on two constants.

    ``integer`` says whether integer arithmetic applies (``/`` truncates toward zero, ``%``,
    the bitwise operators); by default, when both are ints.  Otherwise numbers divide
    exactly (Fractions) or as floats when either is a float.  Strings concatenate and
    compare; booleans take ``&&``, ``||``, ``==`` and ``!=``.
    """
    if op in ("<<", ">>"):
        return shift(op, a, b)
    if isinstance(a, bool) or isinstance(b, bool):
        if not (isinstance(a, bool) and isinstance(b, bool)):
            return None
        if op == "&&":
            return a and b
        if op == "||":
            return a or b
        return a == b if op == "==" else a != b if op == "!=" else None
    if isinstance(a, bytes | str) or isinstance(b, bytes | str):
        if type(a) is not type(b):
            return None
        if op == "+":
            return a + b  # type: ignore[operator]  # (both bytes or both str)
        return _COMPARE[op](a, b) if op in _COMPARE else None
    if not _is_number(a) or not _is_number(b):
        return None
    if op in _COMPARE:
        return _COMPARE[op](a, b)
    if integer is None:
        integer = _is_int(a) and _is_int(b)
    if integer:
        if not (_is_int(a) and _is_int(b)):
            return None
        assert isinstance(a, int) and isinstance(b, int)
        if op in ("/", "%"):
            if b == 0:
                return None
            q = abs(a) // abs(b)
            q = q if (a >= 0) == (b >= 0) else -q
            return q if op == "/" else a - b * q
        fn = _INT_OPS.get(op)
        return fn(a, b) if fn is not None else None
    if op not in ("+", "-", "*", "/"):
        return None
    x, y = (a, b) if isinstance(a, float) or isinstance(b, float) else (Fraction(a), Fraction(b))
    if op == "/" and y == 0:
        return None
    try:
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        return x / y
    except OverflowError:
        return None


def go_quote(data: bytes) -> str:
    """A Go interpreted string literal for ``data`` (invalid UTF-8 as ``\\x`` escapes)."""
    out = ['"']
    i, n = 0, len(data)
    named = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v", 92: "\\\\", 34: '\\"'}
    while i < n:
        b = data[i]
        if b < 0x80:
            if b in named:
                out.append(named[b])
            elif 0x20 <= b < 0x7F:
                out.append(chr(b))
            else:
                out.append(f"\\x{b:02x}")
            i += 1
            continue
        for size in (2, 3, 4):
            try:
                ch = data[i : i + size].decode("utf-8")
            except UnicodeDecodeError:
                continue
            out.append(ch if ch.isprintable() else (f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}"))
            i += size
            break
        else:
            out.append(f"\\x{b:02x}")
            i += 1
    out.append('"')
    return "".join(out)


def go_string(s: str) -> str:
    """``go_quote`` of a decoded string (bytes that are not UTF-8 held as surrogate escapes, as
    the checker decodes string constants, come back as ``\\x`` escapes)."""
    return go_quote(s.encode("utf-8", "surrogateescape"))
