"""The lowering of tgo's declarations and switches: enums, unions, exhaustive switches.

``apply(fl)`` adds the edits of every construct lowering to a file's edits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transpiler.lower.filelowering import FileLowering


def apply(fl: FileLowering) -> None:
    from transpiler.lower import enums, switches, unions

    enums.enum_edits(fl)
    unions.union_edits(fl)
    switches.switch_edits(fl)
