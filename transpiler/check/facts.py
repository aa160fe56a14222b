"""Flow facts: what is known about nil at a program point, and how conditions narrow it.

A fact is kept per *reference*: a variable, or a field path from a variable
(``x.f.g``).  ``State`` maps a reference to ``NONNIL`` or ``NIL`` (a reference
with no fact has its declared nullability), and records *guards*: references
that become non-nil when another reference is known nil (the ``(T, error)``
contract: ``v`` once ``err`` is nil), non-nil (a correlated check such as
``(a != nil) == (b != nil)``), true (comma-ok: ``v`` once ``ok``; a boolean
bound to a nil test: ``p`` once ``ok := p != nil``) or false.  ``unset`` holds
the non-nil locals that may not be assigned yet (definite assignment), and
``escaped`` the variables whose address has been taken, so that a call or a
write through a pointer may change them.  States are immutable; the join of
two states keeps what both know (and what any may leave unset or escaped).
"""

from __future__ import annotations

import enum
from collections.abc import Collection

Ref = tuple[int, ...] | tuple[object, ...]


class Nullness(enum.Enum):
    NONNIL = "nonnil"
    MAYBE = "maybe"  # possibly nil
    NIL = "nil"  # certainly nil
    ANY = "any"  # unknown: never reported


# (plain classes, not dataclasses: a dataclass is made when the module is loaded, on the path
# of every check, and the compiled build compiles a plain class's __init__, __eq__ and __hash__)
class Guard:
    """When ``on`` is nil, non-nil, true or false (``when``), ``refs`` are non-nil. A value:
    equal to, and hashed as, another with the same three."""

    __slots__ = ("on", "refs", "when")

    def __init__(self, on: Ref, when: str, refs: frozenset[Ref]) -> None:
        self.on = on
        self.when = when  # "nil" | "nonnil" | "true" | "false"
        self.refs = refs

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Guard) and self.on == other.on and self.when == other.when and self.refs == other.refs

    def __hash__(self) -> int:
        return hash((self.on, self.when, self.refs))

    def __repr__(self) -> str:
        return f"Guard(on={self.on!r}, when={self.when!r}, refs={self.refs!r})"


class State:
    """What is known at a program point (see the module docstring). Treated as a value and
    never changed once made (equal to another with the same facts, guards and sets)."""

    __slots__ = ("escaped", "facts", "guards", "unreachable", "unset")

    def __init__(self, facts: dict[Ref, Nullness] | None = None, guards: tuple[Guard, ...] = (),
                 unreachable: bool = False, unset: frozenset[Ref] = frozenset(),
                 escaped: frozenset[object] = frozenset()) -> None:
        self.facts: dict[Ref, Nullness] = {} if facts is None else facts
        self.guards = guards
        self.unreachable = unreachable
        self.unset = unset  # non-nil locals that may still be unassigned
        self.escaped = escaped  # roots of variables whose address was taken

    def __eq__(self, other: object) -> bool:
        return isinstance(other, State) and same(self, other)

    def __repr__(self) -> str:
        return (f"State(facts={self.facts!r}, guards={self.guards!r}, unreachable={self.unreachable!r}, "
                f"unset={self.unset!r}, escaped={self.escaped!r})")

    def get(self, ref: Ref) -> Nullness | None:
        return self.facts.get(ref)

    def _with(self, facts: dict[Ref, Nullness], guards: tuple[Guard, ...], unset: frozenset[Ref] | None = None,
              escaped: frozenset[object] | None = None) -> State:
        return State(facts, guards, self.unreachable, self.unset if unset is None else unset,
                     self.escaped if escaped is None else escaped)

    def set(self, ref: Ref, value: Nullness | None) -> State:
        """Assign ``ref``: its fact (None: back to declared), and forget facts below it."""
        facts = {k: v for k, v in self.facts.items() if not _below(k, ref)}
        if value is not None:
            facts[ref] = value
        return self._with(facts, _drop_guards(self.guards, (ref,)), self.unset - {ref} if ref in self.unset else None)

    def narrow(self, ref: Ref, value: Nullness) -> State:
        """A condition says ``ref`` is ``value`` (without assigning it)."""
        facts = dict(self.facts)
        facts[ref] = value
        if value is Nullness.NONNIL:
            state = self._with(facts, self.guards, self.unset - {ref} if ref in self.unset else None)
            return state._fire(ref, "nonnil")
        state = self._with(facts, self.guards)
        return state._fire(ref, "nil") if value is Nullness.NIL else state

    def truth(self, ref: Ref, value: bool) -> State:
        """A boolean reference is known true or false."""
        return self._fire(ref, "true" if value else "false")

    def guard(self, on: Ref, when: str, refs: Collection[Ref]) -> State:
        if not refs:
            return self
        g = Guard(on, when, frozenset(refs))
        if g in self.guards:
            return self
        return self._with(self.facts, (*self.guards, g))

    def _fire(self, ref: Ref, when: str) -> State:
        fired: list[Ref] = []
        for g in self.guards:
            if g.on == ref and g.when == when:
                fired.extend(g.refs)
        if not fired:
            return self
        facts = dict(self.facts)
        for r in fired:
            facts[r] = Nullness.NONNIL
        unset = self.unset.difference(fired) if self.unset else None
        return self._with(facts, self.guards, unset)

    def forget_refs(self, refs: Collection[Ref]) -> State:
        """Drop the facts about ``refs`` and what lies below them (they may be assigned)."""
        if not refs:
            return self
        facts = {k: v for k, v in self.facts.items() if not any(_below(k, r) for r in refs)}
        unset = self.unset.difference(refs) if self.unset else None
        return self._with(facts, _drop_guards(self.guards, refs), unset)

    def forget(self, roots: Collection[object]) -> State:
        """Drop every fact about references rooted at ``roots`` (a loop, a closure or a write through
        a pointer may change them)."""
        if not roots:
            return self
        facts = {k: v for k, v in self.facts.items() if k[0] not in roots}
        guards = tuple(
            g2
            for g in self.guards
            if g.on[0] not in roots
            for g2 in [Guard(g.on, g.when, frozenset(r for r in g.refs if r[0] not in roots))]
            if g2.refs
        )
        return self._with(facts, guards)

    def declare_unset(self, ref: Ref) -> State:
        """A non-nil local declared without a value: unassigned until every path assigns it."""
        facts = {k: v for k, v in self.facts.items() if not _below(k, ref)}
        return self._with(facts, _drop_guards(self.guards, (ref,)), self.unset | {ref})

    def assigned(self, refs: Collection[Ref]) -> State:
        """``refs`` may have been assigned (through a pointer): no longer reported as unassigned."""
        if not self.unset or self.unset.isdisjoint(refs):
            return self
        return self._with(self.facts, self.guards, self.unset.difference(refs))

    def escape(self, roots: Collection[object]) -> State:
        """The address of the variables ``roots`` was taken and may be written through later."""
        if self.escaped.issuperset(roots):
            return self
        return self._with(self.facts, self.guards, None, self.escaped.union(roots))

    def without_unset(self) -> State:
        """The state a function literal starts from: its reads are not checked for definite assignment."""
        return self._with(self.facts, self.guards, frozenset()) if self.unset else self


UNREACHABLE = State({}, (), True)


def child_ref(ref: Ref | None, name: str) -> Ref | None:
    """The reference of field ``name`` (or ``"*"``, the pointee) of ``ref``; ``(*p).f`` is
    ``p.f``: one reference for both spellings (``_below`` reads them so)."""
    if ref is None:
        return None
    if name != "*" and ref and ref[-1] == "*":
        return (*ref[:-1], name)
    return (*ref, name)


def _below(ref: Ref, root: Ref) -> bool:
    """Whether ``ref`` is ``root`` or lies below it; below ``*p`` lies every field path of ``p``
    (``p.f``, which is ``(*p).f``), though not ``p``."""
    if root and root[-1] == "*":
        n = len(root) - 1
        return len(ref) > n and ref[:n] == root[:n]
    return ref[: len(root)] == root


def _drop_guards(guards: tuple[Guard, ...], refs: Collection[Ref]) -> tuple[Guard, ...]:
    """The guards that still hold once ``refs`` (and what lies below them) may have changed."""
    if not guards:
        return guards
    return tuple(
        g2
        for g in guards
        if not any(_below(g.on, r) for r in refs)
        for g2 in [Guard(g.on, g.when, frozenset(x for x in g.refs if not any(_below(x, r) for r in refs)))]
        if g2.refs
    )


def join(states: list[State]) -> State:
    live = [s for s in states if not s.unreachable]
    if not live:
        return UNREACHABLE
    first = live[0]
    if len(live) == 1:
        return first
    facts: dict[Ref, Nullness] = {}
    for ref, value in first.facts.items():
        values = {s.facts.get(ref) for s in live}
        if len(values) == 1:
            facts[ref] = value
        elif None not in values:
            facts[ref] = Nullness.MAYBE if Nullness.NIL in values or Nullness.MAYBE in values else Nullness.ANY
    # references some paths know nothing about: back to their declared nullability
    guards = tuple(g for g in first.guards if all(g in s.guards for s in live[1:]))
    unset = first.unset
    escaped = first.escaped
    for s in live[1:]:
        if s.unset and s.unset is not unset:
            unset = unset | s.unset
        if s.escaped and s.escaped is not escaped:
            escaped = escaped | s.escaped
    return State(facts, guards, False, unset, escaped)


def same(a: State, b: State) -> bool:
    return a.unreachable == b.unreachable and a.facts == b.facts and a.guards == b.guards \
        and a.unset == b.unset and a.escaped == b.escaped
