"""What one conversion of ``tgo migrate`` (``--try``, ``--enums``, ``--unions``) gives: its edits, what it converted, and what it left and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from transpiler.diagnostics.fix import TextEdit

IN_GO_FILE = "a declaration to change is in a .go file (plain Go stays plain Go)"


@dataclass(slots=True)
class Report:
    """The edits of one conversion over a package, how many it made (``names``: the types
    converted, for enums and unions), and the candidates it left (reason -> count, and where)."""

    edits: list[TextEdit] = field(default_factory=list)
    converted: int = 0
    names: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    skipped_at: list[tuple[str, int, str]] = field(default_factory=list)  # (file, offset, reason)

    def skip(self, file: str, at: int, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1
        self.skipped_at.append((file, at, reason))
