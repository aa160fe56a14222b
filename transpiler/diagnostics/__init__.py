"""Diagnostics: the one registry of codes and message templates, and their output forms."""

from transpiler.diagnostics.codes import CODES, Code, Severity
from transpiler.diagnostics.diagnostic import Diagnostic, format_json, format_text

__all__ = ["CODES", "Code", "Diagnostic", "Severity", "format_json", "format_text"]
