"""Source files: decoded text plus the line table that maps offsets to positions.

Offsets in tokens and nodes are character offsets into ``text``.  Go reports
columns in bytes, so ``position`` converts: for an all-ASCII file (most files)
characters and bytes agree and no conversion is done.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(slots=True)
class SourceFile:
    name: str
    text: str
    _lines: list[int] = field(default_factory=list, repr=False)
    _ascii: bool = field(default=True, repr=False)

    def __post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._lines = starts
        self._ascii = self.text.isascii()

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def line_start(self, line: int) -> int:
        """The offset of the first character of 1-based ``line``."""
        return self._lines[line - 1]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; the column counts bytes."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self._lines, offset)
        start = self._lines[line - 1]
        if self._ascii:
            return line, offset - start + 1
        return line, len(self.text[start:offset].encode("utf-8", "surrogatepass")) + 1

    def byte_offset(self, offset: int) -> int:
        """The byte offset in the UTF-8 file of a character offset."""
        if self._ascii:
            return offset
        return len(self.text[:offset].encode("utf-8", "surrogatepass"))

    def line_text(self, line: int) -> str:
        start = self._lines[line - 1]
        end = self._lines[line] - 1 if line < len(self._lines) else len(self.text)
        return self.text[start:end]
