"""Source files: decoded text plus the line table, and every position conversion tgo makes.

Three ways name a place in a file, and ``SourceFile`` converts between all of them, both
ways (one implementation: the renderers, SARIF, the coverage report, the source maps and
the language server all go through it):

* the **offset**: a character offset into ``text`` (what tokens and nodes hold; a Python
  ``str`` index, so an astral character such as an emoji is one);
* **(line, column)** with the column in **bytes** of the UTF-8 file, as Go reports it
  (``position`` and ``offset``);
* **(line, column)** with the column in **UTF-16 code units**, as SARIF and LSP count by
  default (``utf16_position`` and ``utf16_offset``): an astral character is 2 units (and 4
  bytes), any other character 1 unit (and 1 to 3 bytes).

Lines and columns are 1-based (Go's convention; an LSP client's 0-based ``line`` and
``character`` are these minus one). Conversions clamp instead of failing: an offset
below 0 or past the end is taken as 0 or the end; a line below 1 or past the last is
taken as the first or the last; a column past the end of its line is the line's end
(the offset of its ``\\n``, or the end of the file); a column inside a character (a byte
column in the middle of a multi-byte character, a UTF-16 column between the two halves
of a surrogate pair) is that character's start. ``offset`` and ``utf16_offset`` are
the inverses of ``position`` and ``utf16_position`` on every offset, and
``position(offset(line, col)) == (line, col)`` whenever (line, col) names a character
boundary within the line (or its end).

For an all-ASCII file (most files), and on any all-ASCII line of another file, the
three agree and no text is encoded.
"""

from __future__ import annotations

from bisect import bisect_right


def utf8_width(ch: str) -> int:
    """The number of bytes of a character in UTF-8 (a lone surrogate, as Python's
    ``surrogatepass`` writes it: 3)."""
    c = ord(ch)
    return 1 if c < 0x80 else 2 if c < 0x800 else 3 if c < 0x10000 else 4


def utf16_width(ch: str) -> int:
    """The number of UTF-16 code units of a character: 2 for an astral one, else 1."""
    return 2 if ord(ch) > 0xFFFF else 1


def utf8_length(s: str) -> int:
    """The length of ``s`` in UTF-8 bytes."""
    return len(s) if s.isascii() else len(s.encode("utf-8", "surrogatepass"))


def utf16_length(s: str) -> int:
    """The length of ``s`` in UTF-16 code units."""
    return len(s) if s.isascii() else len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)


def index_of_units(s: str, units: int, utf16: bool = False, round_up: bool = False) -> int:
    """The character index in ``s`` at which ``units`` bytes (or with ``utf16``, UTF-16 code
    units) of it are counted: clamped to ``[0, len(s)]``; when ``units`` falls inside a
    character, that character's start (with ``round_up``, the next one's)."""
    if units <= 0:
        return 0
    if s.isascii():
        return min(units, len(s))
    measure = utf16_width if utf16 else utf8_width
    counted = 0
    for i, ch in enumerate(s):
        if counted == units:
            return i
        counted += measure(ch)
        if counted > units:
            return i + 1 if round_up else i
    return len(s)


class SourceFile:
    """A file's name and text, with its line table (a plain class, not a dataclass: the module
    that makes dataclasses loads ``inspect``, a sixth of a cold `tgo parse`)."""

    __slots__ = ("_ascii", "_lines", "name", "text")

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._lines = starts
        self._ascii = self.text.isascii()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SourceFile) and (self.name, self.text) == (other.name, other.text)


    def __repr__(self) -> str:
        return f"SourceFile(name={self.name!r}, text={self.text!r})"

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def line_start(self, line: int) -> int:
        """The offset of the first character of 1-based ``line`` (clamped to the file's lines)."""
        return self._lines[max(1, min(line, len(self._lines))) - 1]

    def line_end(self, line: int) -> int:
        """The offset just past the last character of 1-based ``line`` (its ``\\n``, or the end)."""
        line = max(1, min(line, len(self._lines)))
        return self._lines[line] - 1 if line < len(self._lines) else len(self.text)

    def line_of(self, offset: int) -> int:
        """The 1-based line of a character offset (clamped to the text)."""
        return bisect_right(self._lines, max(0, min(offset, len(self.text))))

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; the column counts bytes."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self._lines, offset)
        start = self._lines[line - 1]
        if self._ascii:
            return line, offset - start + 1
        return line, utf8_length(self.text[start:offset]) + 1

    def offset(self, line: int, column: int, round_up: bool = False) -> int:
        """The character offset of 1-based ``line`` and byte ``column`` (clamped: see the
        module; a column inside a character gives the next one's with ``round_up``)."""
        return self._offset(line, column, False, round_up)

    def _offset(self, line: int, column: int, utf16: bool, round_up: bool) -> int:
        line = max(1, min(line, len(self._lines)))
        start = self._lines[line - 1]
        end = self.line_end(line)
        if self._ascii:
            return start + max(0, min(column - 1, end - start))
        return start + index_of_units(self.text[start:end], column - 1, utf16, round_up)

    def utf16_position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; the column counts UTF-16 code units."""
        line = self.line_of(offset)
        start = self._lines[line - 1]
        return line, utf16_length(self.text[start : max(start, offset)]) + 1

    def utf16_offset(self, line: int, column: int) -> int:
        """The character offset of 1-based ``line`` and UTF-16 ``column`` (clamped: see the module)."""
        return self._offset(line, column, True, False)

    def utf16_column(self, line: int, column: int) -> int:
        """The UTF-16 column of 1-based ``line`` and byte ``column`` (clamped)."""
        return self.utf16_position(self.offset(line, column))[1]

    def byte_column(self, line: int, column: int) -> int:
        """The byte column of 1-based ``line`` and UTF-16 ``column`` (clamped)."""
        return self.position(self.utf16_offset(line, column))[1]

    def byte_offset(self, offset: int) -> int:
        """The byte offset in the UTF-8 file of a character offset."""
        if self._ascii:
            return max(0, min(offset, len(self.text)))
        return utf8_length(self.text[: max(0, offset)])

    def line_text(self, line: int) -> str:
        start = self._lines[line - 1]
        end = self._lines[line] - 1 if line < len(self._lines) else len(self.text)
        return self.text[start:end]
