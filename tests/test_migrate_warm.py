"""Inference started from a fixpoint the result holds (``Migrator.warm``): the same migration as from the original texts, in fewer rounds.

Another attempt at a package (``?`` on the fields of its zero values) starts from the
first attempt's fixpoint, and a package migrated again (it sees more of the packages it
imports, or nil passed to it) from its previous migration's: both are least fixpoints of
more nil sources, so they hold those. Each case migrates the same module both ways and
compares every text and count.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tgorun import write

from transpiler.migrate.pipeline import Migrator, PackageMigration, _insertions

GO_MOD = "module example.com/m\n\ngo 1.22\n"

# store's chain of nil flows takes a round per step from the original texts; api passes nil
# to store.Describe, so store is migrated again, and then from its first migration's fixpoint
STORE = """package store

type User struct {
	Name string
	next *User
}

type Box struct {
	u *User
	w *User
}

func NewBox() *Box {
	return new(Box)
}

func Describe(u *User, fallback string) string {
	if u == nil {
		return fallback
	}
	return Pick(u).Name + head4().Name
}

func Head() *User {
	return nil
}

func head2() *User {
	return Head()
}

func head3() *User {
	return head2()
}

func head4() *User {
	return head3()
}

func Pick(u *User) *User {
	return u
}

func (b *Box) Get() string {
	return b.u.Name + b.w.Name + b.u.next.Name
}
"""

API = """package api

import "example.com/m/store"

func Anonymous() string {
	b := new(store.Box)
	return store.Describe(nil, "anonymous") + b.Get() + store.Pick(nil).Name
}
"""


def migrate(root: Path, warm: bool) -> tuple[Migrator, list[PackageMigration]]:
    write(root / "go.mod", GO_MOD)
    wanted = {str(root / "store"): [str(write(root / "store" / "store.go", STORE))],
              str(root / "api"): [str(write(root / "api" / "api.go", API))]}
    m = Migrator()
    m.warm = warm
    return m, m.migrate(wanted)


def outcome(done: list[PackageMigration]) -> list[tuple[object, ...]]:
    return [(pkg.ok, [(Path(f.tgo_path).name, f.text, f.nullable, f.asserted, f.ignored, f.errors_ignored)
                      for f in pkg.files]) for pkg in done]


def test_warm_inference_is_the_same_migration_in_fewer_rounds(tmp_path: Path) -> None:
    _m, cold = migrate(tmp_path / "cold", warm=False)
    _m, warm = migrate(tmp_path / "warm", warm=True)
    assert all(pkg.ok for pkg in cold)
    assert outcome(warm) == outcome(cold)
    text = {Path(f.tgo_path).name: f.text for pkg in warm for f in pkg.files}
    assert "func head4() ?*User" in text["store.tgo"]  # (the chain, to its end)
    assert "func Describe(u ?*User, fallback string)" in text["store.tgo"]  # (nil passed by api)
    assert "func Pick(u ?*User) ?*User" in text["store.tgo"]
    assert sum(p.rounds for p in warm) < sum(p.rounds for p in cold)


@pytest.mark.parametrize(("original", "text", "found"), [
    ("a b", "a ?b", [2]),
    ("f(x *T, y *T)", "f(x ?*T, y ?*T)", [4, 10]),
    ("s := \"?\"; p *T", "s := \"?\"; p ?*T", [12]),
    ("a b", "a b", []),
    ("a b", "a !b", None),
    ("a b", "a b?", [3]),
    ("a b", "a", None),
])
def test_insertions(original: str, text: str, found: list[int] | None) -> None:
    assert _insertions(original, text) == found


def put(original: str, offsets: list[int]) -> str:
    """``original`` with a ``?`` inserted at each of ``offsets`` (sorted)."""
    out, at = [], 0
    for i in offsets:
        out += [original[at:i], "?"]
        at = i
    return "".join(out) + original[at:]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab?* \n", max_size=30), st.data())
def test_insertions_put_back_give_the_text(original: str, data: st.DataObject) -> None:
    """Whatever ``?`` were inserted, the offsets found put them back to the same text."""
    text = put(original, sorted(data.draw(st.lists(st.integers(0, len(original)), max_size=6))))
    found = _insertions(original, text)
    assert found is not None and len(found) == len(text) - len(original)
    assert put(original, found) == text
