"""Lower: checked tgo syntax trees -> the text of plain Go files.

* ``lower_package(paths) -> LowerResult`` checks and lowers one package's
  ``.tgo`` files (``outputs``: source path -> Go text; not lowered when the
  checker reports errors, which are in ``diagnostics``).
* ``generate(result, name)`` reproduces one parsed file under the generated-code
  header, without lowering (what plain Go lowers to).
"""

from __future__ import annotations

# (not from typing: tgo build loads this package for naming.py alone; mypy reads this
# name as typing.TYPE_CHECKING)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from transpiler.lower.lowering import LowerResult, header, lower_package
    from transpiler.syntax import ParseResult

__all__ = ["LowerResult", "generate", "header", "lower_package"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: `tgo build` with everything cached needs only naming.py.
    if name in ("LowerResult", "header", "lower_package"):
        from transpiler.lower import lowering

        return getattr(lowering, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def generate(result: ParseResult, source_name: str) -> str:
    """The Go text for a parsed file; ``result.tree`` must not be None."""
    from transpiler.lower.lowering import header
    from transpiler.syntax.printer import print_file

    if result.tree is None:
        raise ValueError(f"{source_name}: cannot lower a file with syntax errors")
    return header(source_name) + print_file(result.tree, result.source.text)
