"""Diagnostics: the one registry of codes and message templates, and their output forms."""

from typing import TYPE_CHECKING, Any

from transpiler.diagnostics.codes import CODES, Code, Severity

if TYPE_CHECKING:
    from transpiler.diagnostics.diagnostic import Diagnostic, format_json, format_text

__all__ = ["CODES", "Code", "Diagnostic", "Severity", "format_json", "format_text"]

_LAZY = ("Diagnostic", "format_json", "format_text")


def __getattr__(name: str) -> Any:
    # Loaded on first use: a parse without errors makes no Diagnostic (and defining the frozen
    # dataclass loads ``dataclasses`` and ``inspect``, a sixth of a cold `tgo parse`).
    if name in _LAZY:
        from transpiler.diagnostics import diagnostic

        return getattr(diagnostic, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
