"""Laying out a converted type declaration as ``tgo fmt`` would: formatted alone in a snippet, then put in place."""

from __future__ import annotations


def formatted_type(name: str, type_text: str) -> str:
    """``type_text`` (an ``enum`` or ``union`` type of the type named ``name``) as ``tgo fmt``
    lays it out at the top level (aligned ``=`` and comments, indented fields), or as it is
    when it cannot be formatted."""
    from transpiler.goexe import ToolchainError, find_gofmt
    from transpiler.syntax import parse_source
    from transpiler.toolchain.fmt import FormatError, format_parsed

    gofmt = find_gofmt()
    head = f"package p\n\ntype {name} "
    if gofmt is None:
        return type_text
    try:
        out = format_parsed(parse_source((head + type_text + "\n").encode(), "type.tgo"), gofmt)
    except (FormatError, ToolchainError, OSError):
        return type_text
    return out[len(head):].rstrip("\n") if out.startswith(head) else type_text
