"""Printer: writes a syntax tree back out as source text.

The text of every node comes from the tree: a node is printed as its
children, in order, with the source text between them (keywords, punctuation,
white space and comments) copied from the file.  An unchanged tree therefore
reproduces its file byte for byte, and a lowering that replaces a node only
changes that node's text.  The walk is iterative, so deeply nested
expressions cannot exhaust Python's stack.
"""

from __future__ import annotations

from transpiler.syntax import ast


def print_file(tree: ast.File, text: str) -> str:
    return print_node(tree, text)


def print_node(node: ast.Node, text: str) -> str:
    out: list[str] = []
    # Each frame: (node, iterator over its children, cursor into text).
    stack: list[tuple[ast.Node, list[ast.Node], int]] = []
    stack.append((node, list(node.children())[::-1], node.pos))
    while stack:
        current, kids, cursor = stack.pop()
        if kids:
            child = kids.pop()
            if child.pos < cursor or child.end > current.end:
                raise ValueError(
                    f"tree spans out of order: {type(child).__name__} at {child.pos} in "
                    f"{type(current).__name__} at {current.pos}"
                )
            out.append(text[cursor : child.pos])
            stack.append((current, kids, child.end))
            stack.append((child, list(child.children())[::-1], child.pos))
        else:
            out.append(text[cursor : current.end])
    return "".join(out)
