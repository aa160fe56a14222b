"""Lower: checked tgo syntax trees -> the text of plain Go files.

* ``lower_package(paths) -> LowerResult`` checks and lowers one package's
  ``.tgo`` files (``outputs``: source path -> Go text; not lowered when the
  checker reports errors, which are in ``diagnostics``).
* ``generate(result, name)`` reproduces one parsed file under the generated-code
  header, without lowering (what plain Go lowers to).
"""

from __future__ import annotations

from transpiler.lower.lowering import LowerResult, header, lower_package
from transpiler.lower.printer import print_file
from transpiler.syntax import ParseResult

__all__ = ["LowerResult", "generate", "header", "lower_package"]


def generate(result: ParseResult, source_name: str) -> str:
    """The Go text for a parsed file; ``result.tree`` must not be None."""
    if result.tree is None:
        raise ValueError(f"{source_name}: cannot lower a file with syntax errors")
    return header(source_name) + print_file(result.tree, result.source.text)
