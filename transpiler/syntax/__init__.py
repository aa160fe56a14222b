"""Syntax: source bytes -> tokens -> syntax tree (scanner, LALR parser, tree nodes).

Public API (the rest of tgo uses only these):

* ``parse_source(data: bytes, filename: str) -> ParseResult`` parses one file's bytes.
* ``parse_file(path: str) -> ParseResult`` reads and parses a file; an unreadable
  path gives a ``ParseResult`` with ``tree is None`` and ``io_error`` set.
* ``ParseResult.tree`` is an ``ast.File`` (``None`` when the file did not parse),
  ``ParseResult.diagnostics`` the ``syntax`` diagnostics (empty when it parsed),
  ``ParseResult.source`` the ``SourceFile`` (text, line table, byte positions).
"""

from transpiler.syntax.parser import ParseResult, parse_file, parse_source

__all__ = ["ParseResult", "parse_file", "parse_source"]
