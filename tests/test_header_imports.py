"""The build's import scan reads a file's header only (``gocmd._imports``), and finds what a
scan of the whole file finds: where the cut at the first top-level declaration falls inside
a comment or a raw string, or the imports run on past it, the whole file is scanned."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from transpiler.toolchain.gocmd import _imports, _walk_imports


def _whole(text: str) -> list[str]:
    return _walk_imports(text)[0]


# pieces a header is made of, some of them with a line starting a declaration's keyword
# inside a comment or a raw string, or an import group not closed before one
_PIECES = [
    'import "a"\n',
    'import b "b/c"\n',
    'import (\n\t"d"\n\t_ "e"\n)\n',
    "import (\n\t\"f\"\n",  # (not closed yet)
    ")\n",
    '\nimport "late"\n',
    "/*\nfunc x\n*/\n",
    "/* type T */\n",
    "// func y\n",
    "var s = `\nfunc\n`\n",
    "var t = `x`\n",
    "func f() {}\n",
    "type T struct{}\n",
    "const c = 1\n",
    "funcs := 1\n",
    "\n",
    "`\n",
    "/*\n",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=8), st.booleans())
def test_the_header_scan_finds_what_the_whole_scan_finds(pieces: list[str], clause: bool) -> None:
    text = ("package p\n\n" if clause else "") + "".join(pieces)
    assert _imports(text) == _whole(text)


def test_the_header_is_enough_for_a_big_file() -> None:
    body = "".join(f"func F{i}() int {{ return {i} }}\n" for i in range(2000))
    text = 'package big\n\nimport (\n\t"errors"\n\t"fmt"\n)\n\n' + body
    assert _imports(text) == ["errors", "fmt"] == _whole(text)


def test_a_declaration_keyword_in_a_comment_or_raw_string_is_not_the_cut() -> None:
    text = 'package p\n\n/*\nfunc not really\n*/\nimport "x"\n\nvar s = `\nconst\n`\n\nimport "y"\n'
    assert _imports(text) == ["x"] == _whole(text)
    text = 'package p\n\nimport `q`\nvar s = `\nfunc\n`\n'
    assert _imports(text) == ["q"]
    # an import group still open where a line starts with a keyword: the rest is read
    text = 'package p\n\nimport (\n"a"\nfunc\n"b"\n)\n'
    assert _imports(text) == _whole(text) == ["a", "b"]
