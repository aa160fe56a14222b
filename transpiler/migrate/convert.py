"""The optional conversions of ``tgo migrate`` (``--try``, ``--enums``, ``--unions``) combined by flags, with counts for the summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from transpiler.check.snapshot import PackageCheck
from transpiler.diagnostics.fix import TextEdit
from transpiler.migrate.enums import enum_edits
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
    """The conversions of a package checked as ``.tgo`` (every file's text in ``check.parsed``)."""
    out = Conversions()
    if try_:
        t = try_edits(check)
        out.edits.extend(t.edits)
        out.counts["try"] = t.converted
        out.counts["try-wrapped"] = t.wrapped
        out.skipped["try"] = dict(t.skipped)
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
    return out


def conversions(check: PackageCheck, *, try_: bool, enums: bool, unions: bool) -> list[TextEdit]:
    """The edits alone (the ``convert`` hook of ``tgo migrate``'s pipeline)."""
    return convert(check, try_=try_, enums=enums, unions=unions).edits


def converted_texts(check: PackageCheck, edits: list[TextEdit]) -> dict[str, str]:
    """Each file of ``check`` that ``edits`` change, with the edits applied (path -> text)."""
    from transpiler.diagnostics.fix import apply_edits

    by_file: dict[str, list[TextEdit]] = {}
    for e in edits:
        by_file.setdefault(e.file, []).append(e)
    return {r.source.name: apply_edits(r.source.text, by_file[r.source.name])
            for r in check.parsed if r.source.name in by_file}
