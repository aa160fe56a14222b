"""Union lowering: a sealed interface and one struct type per new variant."""

from __future__ import annotations

from typing import TYPE_CHECKING

from transpiler.lower.edits import LowerError
from transpiler.syntax import ast

if TYPE_CHECKING:
    from transpiler.lower.lowering import FileLowering


def union_edits(fl: FileLowering) -> None:
    for node in ast.walk(fl.tree):
        if isinstance(node, ast.UnionType):
            raise LowerError("union declarations cannot be lowered yet")
