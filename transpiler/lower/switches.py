"""Exhaustive switches: a panic after one that ends a function, where Go needs it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transpiler.lower.lowering import FileLowering


def switch_edits(fl: FileLowering) -> None:
    """Not written yet: an exhaustive switch as a function's last statement needs a panic after it."""
    del fl
