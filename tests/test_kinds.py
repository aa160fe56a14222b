"""``syntax/kinds.py`` names every node class of ``syntax/ast.py``, no concrete node class has a subclass, and ``ast.py`` is what ``scripts/node_classes.py`` writes.

The checker tests a node's class by ``type(n) is kinds.X``: exact where ``isinstance`` asks
for subclasses too, so it holds only while the classes it names have none.
"""

from __future__ import annotations

import copy
import pickle
import sys
from pathlib import Path

from transpiler.syntax import ast, kinds
from transpiler.syntax.flat import flatten
from transpiler.syntax.parser import parse_source

# scripts/ is not installed: import it from the checkout, after everything else on sys.path
sys.path.append(str(Path(__file__).resolve().parents[1]))

from scripts import node_classes as node_classes_script

ABSTRACT = {"Node", "Expr", "Stmt", "Decl"}


def node_classes() -> dict[str, type]:
    return {name: v for name, v in vars(ast).items()
            if isinstance(v, type) and issubclass(v, ast.Node) and v.__module__ == ast.__name__}


def test_kinds_names_every_node_class() -> None:
    classes = node_classes()
    named = {name: v for name, v in vars(kinds).items() if isinstance(v, type) and issubclass(v, ast.Node)}
    assert set(named) == set(classes) - {"Node"}
    for name, cls in named.items():
        assert cls is classes[name], name


def test_concrete_node_classes_have_no_subclasses() -> None:
    for name, cls in node_classes().items():
        if name not in ABSTRACT:
            assert cls.__subclasses__() == [], name


def test_ast_is_what_the_script_writes() -> None:
    """The made part of every node class (``__slots__``, ``_fields``, ``_kinds``, ``__init__``,
    ``kids``) is what ``scripts/node_classes.py`` writes from the fields above it."""
    text = node_classes_script.AST_PY.read_text(encoding="utf-8")
    assert node_classes_script.render(text) == text, "run scripts/node_classes.py"


def test_the_script_writes_from_the_fields() -> None:
    text = ('class Node:\n    """n"""\n\n    pos: int\n    end: int\n\n\n'
            'class Expr(Node):\n    """e"""\n\n\nclass Call(Expr):\n    """c"""\n\n'
            '    fun: Expr\n    args: list[Expr]\n    name: str\n\n\nx = 1\n')
    made = node_classes_script.render(text)
    assert node_classes_script.render(made) == made
    assert "def __init__(self, pos: int, end: int, fun: Expr, args: builtins.list[Expr], name: str)" in made
    assert '_kinds: ClassVar[dict[str, str]] = {"pos": "leaf", "end": "leaf", "fun": "node", ' \
        '"args": "list", "name": "leaf"}' in made
    assert '__slots__ = ("args", "fun", "name")' in made and "__slots__ = ()" in made
    assert made.endswith("\n\n\nx = 1\n")
    # a changed field is written again
    changed = node_classes_script.render(made.replace("    name: str\n", "    name: int\n"))
    assert "args: builtins.list[Expr], name: int)" in changed


def test_nodes_copy_and_pickle() -> None:
    """``copy``, ``deepcopy`` and ``pickle`` make a node again of its fields (a compiled class
    needs ``Node.__reduce__`` for it)."""
    tree = parse_source(b"package p\n\nfunc f(a []int) int { return a[0] + len(a) }\n", "p.go").tree
    assert tree is not None
    want = flatten(tree)
    for again in (copy.deepcopy(tree), pickle.loads(pickle.dumps(tree))):
        assert again is not tree and flatten(again) == want
    ident = tree.package
    assert copy.copy(ident) is not ident and copy.copy(ident).name == ident.name
