"""``syntax/kinds.py`` names every node class of ``syntax/ast.py``, and no concrete node class has a subclass.

The checker tests a node's class by ``type(n) is kinds.X``: exact where ``isinstance`` asks
for subclasses too, so it holds only while the classes it names have none.
"""

from __future__ import annotations

from transpiler.syntax import ast, kinds

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
