"""The checker's recorded information (transpiler/check/info.py), read as an editor would: by offset."""

from __future__ import annotations

import os

import pytest

from transpiler.check.checker import PackageChecker
from transpiler.check.info import Info
from transpiler.check.run import check_package
from transpiler.syntax import ast
from transpiler.syntax.parser import parse_source
from transpiler.types.model import Const, Func, PkgName, TypeName, Var

SRC = """package p

import "strings"

const Mask = 1 << 3

type User struct {
	Name string
	Age  int
}

type Color enum {
	Red
	Green
}

func (u *User) Upper() string { return strings.ToUpper(u.Name) }

func (u User) Plain() string { return u.Name }

func find(users []*User, name string) ?*User {
	for _, u := range users {
		if u.Name == name {
			return u
		}
	}
	return nil
}

func greet(users []*User) string {
	u := find(users, "ann")
	if u == nil {
		return ""
	}
	f := (*User).Upper
	return u.Name + f(u) + u.Plain()
}

func kind(x any) int {
	switch v := x.(type) {
	case int:
		return v + Mask
	case string:
		return len(v)
	}
	return 0
}

func paint() Color { return Green }
"""


def _check(tmp_path: object, text: str = SRC) -> tuple[str, Info]:
    # the file exists only in memory: nothing is written at this path
    name = os.path.join(str(tmp_path), "p.tgo")
    result = parse_source(text.encode(), name)
    checked, pc, _ = check_package([(result, name)], [], record=True)
    assert checked.diagnostics == []
    assert isinstance(pc, PackageChecker)
    return name, pc.info


def _at(text: str, needle: str, skip: int = 0) -> int:
    """The offset of the ``skip``-th occurrence of ``needle``."""
    i = -1
    for _ in range(skip + 1):
        i = text.index(needle, i + 1)
    return i


def test_type_and_definition_of_identifier_at_offset(tmp_path: object) -> None:
    name, info = _check(tmp_path)
    offset = _at(SRC, "return u.Name +") + len("return ")
    ident = info.ident_at(name, offset)
    assert isinstance(ident, ast.Ident) and ident.name == "u"
    obj = info.object_of(ident)
    assert isinstance(obj, Var)
    assert repr(info.type_of(ident)) == "?*User"  # u := find(...) is nullable
    decl = info.definition(ident)
    assert decl is not None and decl.file == name
    assert SRC[decl.start:decl.end] == "u" and decl.start == _at(SRC, "u := find")
    # the defining identifier is its own definition, and the cursor just after a name finds it
    defining = info.ident_at(name, decl.end)
    assert defining is not None and info.object_of(defining) is obj and info.definition(defining) == decl
    # a package-level function, a parameter, a field
    call = info.ident_at(name, _at(SRC, "find(users"))
    assert call is not None and isinstance(info.object_of(call), Func)
    site = info.definition(call)
    assert site is not None and site.start == _at(SRC, "find(users []")
    param = info.ident_at(name, _at(SRC, "users, \"ann\""))
    site = info.definition(param) if param is not None else None
    assert site is not None and site.start == _at(SRC, "users []*User) string")
    field = info.ident_at(name, _at(SRC, "Name + f") + 1)
    site = info.definition(field) if field is not None else None
    assert site is not None and site.start == _at(SRC, "Name string")


def test_types_of_expressions_and_constants(tmp_path: object) -> None:
    name, info = _check(tmp_path)
    path = info.path_at(name, _at(SRC, "u.Name + f"), _at(SRC, "u.Name + f") + len("u.Name"))
    sel = path[-1]
    assert isinstance(sel, ast.SelectorExpr) and repr(info.type_of(sel)) == "string"
    assert isinstance(path[0], ast.File) and any(isinstance(n, ast.FuncDecl) for n in path)
    mask = info.ident_at(name, _at(SRC, "Mask\n\tcase"))
    assert mask is not None
    op = info.types[mask]
    assert op.value == 8 and isinstance(info.object_of(mask), Const)
    green = info.ident_at(name, _at(SRC, "return Green") + len("return "))
    assert green is not None
    member = info.object_of(green)
    assert isinstance(member, Const) and member.value == 1 and repr(info.type_of(green)) == "Color"
    site = info.definition(green)
    assert site is not None and site.start == _at(SRC, "Green\n}")
    # a type expression records the type it denotes
    ret = info.ident_at(name, _at(SRC, "Color { return"))
    assert ret is not None and info.types[ret].is_type and isinstance(info.object_of(ret), TypeName)


def test_selections(tmp_path: object) -> None:
    name, info = _check(tmp_path)
    by_text = {SRC[s.pos:s.end]: (s, sel) for s, sel in info.selections.items()}
    _, field = by_text["u.Name"]
    assert field.kind == "field" and field.indirect and repr(field.recv) in ("*User", "?*User")
    assert isinstance(field.obj, Var) and field.obj.name == "Name"
    _, plain = by_text["u.Plain"]
    assert plain.kind == "method" and plain.indirect  # a value method reached through *User
    assert isinstance(plain.obj, Func) and plain.obj.name == "Plain"
    expr, method_expr = by_text["(*User).Upper"]
    assert method_expr.kind == "method-expr" and repr(method_expr.recv) == "*User"
    assert repr(info.type_of(expr)) == "func(*User) string"
    # a qualified identifier is no selection: its parts are uses
    assert "strings.ToUpper" not in by_text
    pkg = info.ident_at(name, _at(SRC, "strings.ToUpper"))
    member = info.ident_at(name, _at(SRC, "ToUpper"))
    assert pkg is not None and member is not None
    assert isinstance(info.object_of(pkg), PkgName)
    upper = info.object_of(member)
    assert isinstance(upper, Func) and upper.name == "ToUpper"
    assert info.definition(member) is None  # declared in a stub, not in this package


def test_implicits_and_scopes(tmp_path: object) -> None:
    name, info = _check(tmp_path)
    spec = next(n for n in info.implicits if isinstance(n, ast.ImportSpec))
    imported = info.implicits[spec]
    assert isinstance(imported, PkgName) and imported.path == "strings"
    clauses = [(n, v) for n, v in info.implicits.items() if isinstance(n, ast.CaseClause)]
    assert [repr(v.type) for _, v in clauses if isinstance(v, Var)] == ["int", "string"]
    header_v = _at(SRC, "v := x.(type)")
    for skip, clause_index in ((0, 0), (1, 1)):
        use = info.ident_at(name, _nth_v_use(skip))
        assert use is not None and info.object_of(use) is clauses[clause_index][1]
        site = info.definition(use)
        assert site is not None and site.start == header_v
    # the scopes: the file, a function's (its parameters), a clause's (its variable)
    tree = info.files[name]
    assert "strings" in info.scopes[tree].names
    find = next(d for d in tree.decls if isinstance(d, ast.FuncDecl) and d.name.name == "find")
    assert set(info.scopes[find.type].names) == {"users", "name"}
    assert [info.scopes[c].names["v"] for c, _ in clauses] == [v for _, v in clauses]


def _nth_v_use(n: int) -> int:
    """The offset of the ``n``-th use of the type switch variable ``v`` (after its header)."""
    start = _at(SRC, "v := x.(type)") + 1
    found = [i for i in range(start, len(SRC)) if SRC[i] == "v" and not SRC[i - 1].isalnum()
             and not SRC[i + 1].isalnum()]
    return found[n]


@pytest.mark.parametrize("offset", [-5, 10**6])
def test_offsets_outside_the_file(tmp_path: object, offset: int) -> None:
    name, info = _check(tmp_path)
    assert info.ident_at(name, offset) is None and info.path_at(name, offset) == []
    assert info.node_at("other.tgo", 3) is None


def test_stores_and_interface_methods(tmp_path: object) -> None:
    text = """package p

type Store interface {
	Get(key string) (int, error)
}

func total(s Store, keys []string) int {
	n := 0
	for _, k := range keys {
		v, err := s.Get(k)
		if err != nil {
			continue
		}
		n = n + v
	}
	return n
}
"""
    name, info = _check(tmp_path, text)
    target = info.ident_at(name, _at(text, "n = n"))
    assert target is not None and isinstance(info.object_of(target), Var)
    assert repr(info.type_of(target)) == "int"
    site = info.definition(target)
    assert site is not None and site.start == _at(text, "n := 0")
    get = info.ident_at(name, _at(text, "Get(k)"))
    site = info.definition(get) if get is not None else None
    assert site is not None and site.start == _at(text, "Get(key")
