"""Syntax: source bytes -> tokens -> syntax tree (scanner, LALR parser, tree nodes).

Public API (the rest of tgo uses only these):

* ``parse_source(data: bytes, filename: str) -> ParseResult`` parses one file's bytes.
* ``parse_file(path: str) -> ParseResult`` reads and parses a file; an unreadable
  path gives a ``ParseResult`` with ``tree is None`` and ``io_error`` set.
* ``ParseResult.tree`` is an ``ast.File`` (``None`` when the file did not parse),
  ``ParseResult.diagnostics`` the ``syntax`` diagnostics (empty when it parsed),
  ``ParseResult.source`` the ``SourceFile`` (text, line table, byte positions).
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from transpiler.syntax.parser import ParseResult, parse_file, parse_source

__all__ = ["ParseResult", "parse_file", "parse_source"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so that e.g. a cached `tgo check` never loads the parser.
    if name in __all__:
        from transpiler.syntax import parser

        return getattr(parser, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
