"""Enum lowering: typed constants plus String, IsValid, MarshalText, UnmarshalText, ParseX, XValues."""

from __future__ import annotations

from typing import TYPE_CHECKING

from transpiler.lower.edits import LowerError
from transpiler.syntax import ast

if TYPE_CHECKING:
    from transpiler.lower.lowering import FileLowering


def enum_edits(fl: FileLowering) -> None:
    for node in ast.walk(fl.tree):
        if isinstance(node, ast.EnumType):
            raise LowerError("enum declarations cannot be lowered yet")
