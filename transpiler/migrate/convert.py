"""The optional conversions of ``tgo migrate`` (``--try``, ``--enums``, ``--unions``) combined by flags, with counts for the summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from transpiler.check.snapshot import PackageCheck
from transpiler.diagnostics.fix import TextEdit
from transpiler.migrate.enums import enum_edits
from transpiler.migrate.spans import unused_imports
from transpiler.migrate.trys import try_edits
from transpiler.migrate.unions import union_edits


@dataclass(slots=True)
class Conversions:
    """The edits of the conversions asked for, and per kind how many were made and how many
    candidates were left (with why)."""

    edits: list[TextEdit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # kind ("try", "try-wrapped", "enum", "union") -> made
    skipped: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> reason -> count


def convert(check: PackageCheck, *, try_: bool, enums: bool, unions: bool) -> Conversions:
    """The conversions of a package checked as ``.tgo`` (every file's text in ``check.parsed``).

    Enums and unions first: they remove declarations, and a ``--try`` block inside one that
    goes is left to them. Removals that overlap are merged, and an import the removals
    together leave unused goes too.
    """
    out = Conversions()
    if enums:
        en = enum_edits(check)
        out.edits.extend(en.edits)
        out.counts["enum"] = en.converted
        out.skipped["enum"] = dict(en.skipped)
    if unions:
        u = union_edits(check)
        out.edits.extend(u.edits)
        out.counts["union"] = u.converted
        out.skipped["union"] = dict(u.skipped)
    if try_:
        t = try_edits(check)
        taken = list(out.edits)
        kept = [e for e in t.edits if not any(e.file == o.file and e.start < o.end and o.start < e.end for o in taken)]
        out.edits.extend(kept)
        out.counts["try"] = t.converted - (len(t.edits) - len(kept))
        out.counts["try-wrapped"] = t.wrapped
        out.skipped["try"] = dict(t.skipped)
        if len(kept) < len(t.edits):
            out.skipped["try"][INSIDE_REMOVED] = len(t.edits) - len(kept)
    out.edits = _combined(check, out.edits)
    return out


INSIDE_REMOVED = "inside a declaration another conversion removes"


def _combined(check: PackageCheck, edits: list[TextEdit]) -> list[TextEdit]:
    """``edits`` with overlapping removals merged, and the imports they leave unused removed."""
    by_file: dict[str, list[TextEdit]] = {}
    for e in edits:
        by_file.setdefault(e.file, []).append(e)
    out: list[TextEdit] = []
    for r in check.parsed:
        name = r.source.name
        file_edits = by_file.get(name)
        if not file_edits:
            continue
        removed = [(e.start, e.end) for e in file_edits if not e.new_text]
        if r.tree is not None:
            removed += unused_imports(r.source.text, r.tree, [(e.start, e.end, e.new_text) for e in file_edits])
        merged: list[list[int]] = []
        for start, end in sorted(set(removed)):
            if merged and merged[-1][1] >= start:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        out.extend(TextEdit(name, start, end, "") for start, end in merged)
        out.extend(e for e in file_edits if e.new_text)
    return out


def conversions(check: PackageCheck, *, try_: bool, enums: bool, unions: bool) -> list[TextEdit]:
    """The edits alone (the ``convert`` hook of ``tgo migrate``'s pipeline)."""
    return convert(check, try_=try_, enums=enums, unions=unions).edits


def converted_texts(check: PackageCheck, edits: list[TextEdit]) -> dict[str, str]:
    """Each file of ``check`` that ``edits`` change, with the edits applied (path -> text)."""
    from transpiler.diagnostics.fix import apply_file_edits

    texts = {r.source.name: r.source.text for r in check.parsed}
    return apply_file_edits(texts, [e for e in edits if e.file in texts])
