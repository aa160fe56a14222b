"""The syntax tree's node classes as final names, for compiled code's tests of a node's class.

A final name of a compiled module is a static load, and ``type(n) is kinds.Ident`` narrows
``n`` as ``isinstance`` does (the concrete node classes have no subclasses). The names date
from when ``ast.py`` was not compiled (compiled code that read ``ast.Ident`` looked the name
up in the module at every test); now that its classes are native, ``isinstance(n, ast.Ident)``
is as cheap. ``tests/test_kinds.py`` keeps the two modules in step.
"""

from __future__ import annotations

from typing import Final

from transpiler.syntax import ast

Expr: Final = ast.Expr
Stmt: Final = ast.Stmt
Decl: Final = ast.Decl
BadExpr: Final = ast.BadExpr
Ident: Final = ast.Ident
BasicLit: Final = ast.BasicLit
CompositeLit: Final = ast.CompositeLit
KeyValueExpr: Final = ast.KeyValueExpr
FuncLit: Final = ast.FuncLit
ParenExpr: Final = ast.ParenExpr
SelectorExpr: Final = ast.SelectorExpr
IndexExpr: Final = ast.IndexExpr
SliceExpr: Final = ast.SliceExpr
TypeAssertExpr: Final = ast.TypeAssertExpr
CallExpr: Final = ast.CallExpr
StarExpr: Final = ast.StarExpr
UnaryExpr: Final = ast.UnaryExpr
BinaryExpr: Final = ast.BinaryExpr
NonNilExpr: Final = ast.NonNilExpr
TryExpr: Final = ast.TryExpr
ArrayType: Final = ast.ArrayType
Ellipsis: Final = ast.Ellipsis
MapType: Final = ast.MapType
ChanType: Final = ast.ChanType
Field: Final = ast.Field
FieldList: Final = ast.FieldList
FuncType: Final = ast.FuncType
StructType: Final = ast.StructType
InterfaceType: Final = ast.InterfaceType
NullableType: Final = ast.NullableType
EnumMember: Final = ast.EnumMember
EnumType: Final = ast.EnumType
UnionVariant: Final = ast.UnionVariant
UnionType: Final = ast.UnionType
BadStmt: Final = ast.BadStmt
DeclStmt: Final = ast.DeclStmt
EmptyStmt: Final = ast.EmptyStmt
LabeledStmt: Final = ast.LabeledStmt
ExprStmt: Final = ast.ExprStmt
SendStmt: Final = ast.SendStmt
IncDecStmt: Final = ast.IncDecStmt
AssignStmt: Final = ast.AssignStmt
GoStmt: Final = ast.GoStmt
DeferStmt: Final = ast.DeferStmt
ReturnStmt: Final = ast.ReturnStmt
BranchStmt: Final = ast.BranchStmt
BlockStmt: Final = ast.BlockStmt
IfStmt: Final = ast.IfStmt
CaseClause: Final = ast.CaseClause
SwitchStmt: Final = ast.SwitchStmt
TypeSwitchStmt: Final = ast.TypeSwitchStmt
CommClause: Final = ast.CommClause
SelectStmt: Final = ast.SelectStmt
ForStmt: Final = ast.ForStmt
RangeStmt: Final = ast.RangeStmt
ImportSpec: Final = ast.ImportSpec
ValueSpec: Final = ast.ValueSpec
TypeSpec: Final = ast.TypeSpec
BadDecl: Final = ast.BadDecl
GenDecl: Final = ast.GenDecl
FuncDecl: Final = ast.FuncDecl
File: Final = ast.File
