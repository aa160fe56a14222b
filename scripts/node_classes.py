#!/usr/bin/env python3
"""Writes the made part of the syntax tree's node classes (``transpiler/syntax/ast.py``) from their fields.

A node class of ``ast.py`` lists its fields as annotations, in source order, after its
base class's (``Node``: ``pos`` and ``end``); this script writes, at the end of each
node class, after a marker line, what the fields decide: ``__slots__``, ``_fields``
(every field, the base's first), ``_kinds`` (how each field holds nodes: ``leaf``, a
string, number, flag or comments; ``list``, a list of nodes; ``node``, a node or None),
``__init__`` (every field a parameter, in order), ``field_values`` (every field's value, in
order: what ``syntax/flat.py`` writes of a node) and ``kids`` (the child nodes as a new
list, unless the class writes its own). Written out, the classes are plain classes that
mypyc compiles into native ones (typed slots read by compiled code without a look-up,
nodes made without an interpreted ``__init__``); ``tests/test_kinds.py`` checks that
``ast.py`` is what this script writes.

    python scripts/node_classes.py           # write ast.py again
    python scripts/node_classes.py --check   # exit 1 if ast.py is not what it would write
"""

from __future__ import annotations

import argparse
import ast as pyast
import re
import sys
from pathlib import Path

from transpiler.fs.write import write_atomic

ROOT = Path(__file__).resolve().parents[1]
AST_PY = ROOT / "transpiler" / "syntax" / "ast.py"
MARKER = "    # made by scripts/node_classes.py from the fields above (edit those and run it)"


def field_kind(annotation: str) -> str:
    """How a field holds nodes, from its annotation: ``leaf``, ``list`` or ``node``."""
    if annotation.startswith(("str", "int", "bool", "builtins.list[Comment]")):
        return "leaf"
    if annotation.startswith(("list[", "builtins.list[")):
        return "list"
    return "node"


def _typed(annotation: str) -> str:
    """The annotation as a method's parameter may spell it (a field named ``list`` hides the builtin)."""
    return re.sub(r"(?<![\w.])list\[", "builtins.list[", annotation)


def _tuple(names: list[str]) -> str:
    """A tuple of strings as source text."""
    return _tuple_of([f'"{n}"' for n in names])


def _tuple_of(items: list[str]) -> str:
    """A tuple of expressions as source text."""
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _made(fields: list[tuple[str, str]], own: list[str], own_kids: bool) -> list[str]:
    """The lines made for a class of ``fields`` (name, annotation), ``own`` the ones it adds to its
    base's, ``own_kids`` when it writes its ``kids`` itself."""
    kinds = {f: field_kind(a) for f, a in fields}
    out = [MARKER, f"    __slots__ = {_tuple(sorted(own))}", f"    _fields: ClassVar[tuple[str, ...]] = {_tuple([f for f, _ in fields])}"]
    out.append("    _kinds: ClassVar[dict[str, str]] = {" + ", ".join(f'"{f}": "{k}"' for f, k in kinds.items()) + "}")
    params = ", ".join(f"{f}: {_typed(a)}" for f, a in fields)
    out += ["", f"    def __init__(self, {params}) -> None:"]
    out += [f"        self.{f} = {f}" for f, _ in fields]
    out += ["", "    def field_values(self) -> tuple[object, ...]:",
            f"        return {_tuple_of(['self.' + f for f, _ in fields])}"]
    if own_kids:
        return out
    out += ["", "    def kids(self) -> builtins.list[Node]:"]
    walked = [f for f, _ in fields if kinds[f] != "leaf"]
    if not walked:
        return [*out, "        return []"]
    out.append("        out: builtins.list[Node] = []")
    for i, f in enumerate(walked):
        out.append(f"        v{i} = self.{f}")
        if kinds[f] == "list":
            # (the items as they may be, not as typed: compiled code would check each is a node)
            out += [f"        if v{i}:",
                    f"            out.extend([x for x in cast(builtins.list[Node | None], v{i}) if x is not None])"]
        else:
            out += [f"        if v{i} is not None:", f"            out.append(v{i})"]
    return [*out, "        return out"]


def render(text: str) -> str:
    """``ast.py``'s text with the made part of every node class written from its fields."""
    lines = text.split("\n")
    tree = pyast.parse(text)
    fields_of: dict[str, list[tuple[str, str]]] = {}
    edits: list[tuple[int, int, list[str]]] = []  # (first line, line after the last, new lines), 0-based
    for cls in tree.body:
        if not isinstance(cls, pyast.ClassDef):
            continue
        bases = [b.id for b in cls.bases if isinstance(b, pyast.Name)]
        if cls.name != "Node" and not (len(bases) == 1 and bases[0] in fields_of):
            continue
        marker = next((i for i in range(cls.lineno, cls.end_lineno or cls.lineno) if lines[i] == MARKER), None)
        hand = [s for s in cls.body if marker is None or s.lineno - 1 < marker]
        if not hand:
            raise ValueError(f"class {cls.name}: nothing before the made part (write a docstring)")
        own: list[str] = []
        fields = list(fields_of[bases[0]]) if cls.name != "Node" else []
        for s in hand:
            if not isinstance(s, pyast.AnnAssign) or not isinstance(s.target, pyast.Name):
                continue
            annotation = pyast.get_source_segment(text, s.annotation) or ""
            if annotation.startswith("ClassVar"):
                continue
            if s.value is not None:
                raise ValueError(f"{cls.name}.{s.target.id}: fields have no defaults (every caller passes every field)")
            own.append(s.target.id)
            fields.append((s.target.id, annotation))
        fields_of[cls.name] = fields
        own_kids = any(isinstance(s, pyast.FunctionDef) and s.name == "kids" for s in hand)
        end = max(s.end_lineno or s.lineno for s in hand)  # 1-based: the line after it, 0-based
        first = end if marker is None else marker
        last = cls.end_lineno or end
        edits.append((first, last, ([""] if marker is None else []) + _made(fields, own, own_kids)))
    for first, last, new in reversed(edits):
        if first > 0 and lines[first - 1] != "" and new[0] != "":
            new = ["", *new]
        lines[first:last] = new
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="exit 1 if ast.py is not what this would write")
    args = ap.parse_args()
    text = AST_PY.read_text(encoding="utf-8")
    made = render(text)
    if args.check:
        if made != text:
            print(f"{AST_PY} is not what scripts/node_classes.py writes: run it", file=sys.stderr)
            return 1
        return 0
    if made != text:
        write_atomic(str(AST_PY), made.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
