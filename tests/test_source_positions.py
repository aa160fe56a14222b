"""Positions in one place (``syntax/source.py``): offset <-> (line, byte column) <-> (line,
UTF-16 column), both ways, on ASCII and non-ASCII text (astral characters: 4 bytes, 2
UTF-16 units), with clamping past the end of a line or of the file."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from transpiler.syntax.source import SourceFile

# ASCII, 2-byte, 3-byte and astral (4-byte, 2-unit) characters, and line breaks
TEXT = st.text(alphabet=st.sampled_from(["a", "x", " ", "\t", "\n", "\r", "é", "€", "世", "😀", "𝄞"]), max_size=60)


def _reference(text: str, offset: int) -> tuple[int, int, int]:
    """(line, byte column, UTF-16 column) of ``offset`` by encoding the text before it."""
    before = text[:offset]
    line = before.count("\n") + 1
    col_text = before[before.rfind("\n") + 1 :]
    return line, len(col_text.encode("utf-8")) + 1, len(col_text.encode("utf-16-le")) // 2 + 1


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_round_trips_on_every_offset(text: str) -> None:
    src = SourceFile("f.tgo", text)
    for offset in range(len(text) + 1):
        line, col, col16 = _reference(text, offset)
        assert src.position(offset) == (line, col)
        assert src.utf16_position(offset) == (line, col16)
        assert src.offset(line, col) == offset
        assert src.utf16_offset(line, col16) == offset
        assert src.utf16_column(line, col) == col16
        assert src.byte_column(line, col16) == col
        assert src.line_of(offset) == line


@settings(max_examples=200, deadline=None)
@given(TEXT, st.integers(-3, 70), st.integers(-3, 250))
def test_any_line_and_column_lands_on_a_character_boundary_of_that_line(text: str, line: int, col: int) -> None:
    src = SourceFile("f.tgo", text)
    for off in (src.offset(line, col), src.utf16_offset(line, col)):
        clamped = max(1, min(line, src.line_count))
        assert src.line_start(clamped) <= off <= src.line_end(clamped)
        # the conversion back gives a column no further than asked (rounded down inside a character)
        got_line, _ = src.position(off)
        assert got_line == clamped
    got = src.position(src.offset(line, col))[1]
    assert got <= max(1, col) or src.line_start(max(1, min(line, src.line_count))) == src.offset(line, col)
    up = src.offset(line, col, round_up=True)
    assert src.offset(line, col) <= up <= src.offset(line, col) + 1


def test_astral_characters_count_four_bytes_and_two_utf16_units() -> None:
    src = SourceFile("f.tgo", "a😀b\n€x")
    assert src.position(2) == (1, 6)  # after a (1) and 😀 (4 bytes)
    assert src.utf16_position(2) == (1, 4)  # after a (1) and 😀 (2 units)
    assert src.offset(1, 6) == 2 and src.utf16_offset(1, 4) == 2
    # inside the astral character: its start (or, rounding up, the next one)
    assert src.offset(1, 3) == 1 and src.offset(1, 3, round_up=True) == 2
    assert src.utf16_offset(1, 3) == 1
    assert src.position(5) == (2, 4)  # after € (3 bytes)
    assert src.utf16_column(2, 4) == 2 and src.byte_column(2, 2) == 4


def test_positions_past_the_end_are_clamped() -> None:
    src = SourceFile("f.tgo", "ab\ncd")
    assert src.offset(1, 99) == 2  # the line's end: its newline
    assert src.offset(9, 1) == 3 and src.offset(9, 99) == 5  # the last line
    assert src.offset(0, 1) == 0 and src.offset(1, -4) == 0
    assert src.position(99) == (2, 3) and src.position(-1) == (1, 1)
    assert src.utf16_offset(2, 50) == 5 and src.utf16_position(50) == (2, 3)
