"""Flow facts: what is known about nil at a program point, and how conditions narrow it.

A fact is kept per *reference*: a variable, or a field path from a variable
(``x.f.g``).  ``State`` maps a reference to ``NONNIL`` or ``NIL`` (a reference
with no fact has its declared nullability), and records *guards*: references
that become non-nil when another reference is known nil (the ``(T, error)``
contract: ``v`` once ``err`` is nil) or true (comma-ok: ``v`` once ``ok``).
States are immutable; the join of two states keeps what both know.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass, field

Ref = tuple[int, ...] | tuple[object, ...]


class Nullness(enum.Enum):
    NONNIL = "nonnil"
    MAYBE = "maybe"  # possibly nil
    NIL = "nil"  # certainly nil
    ANY = "any"  # unknown: never reported


@dataclass(frozen=True, slots=True)
class Guard:
    """When ``on`` is nil (``when_nil``) or true (``when_true``), ``refs`` are non-nil."""

    on: Ref
    when: str  # "nil" | "true"
    refs: frozenset[Ref]


@dataclass(frozen=True, slots=True)
class State:
    facts: dict[Ref, Nullness] = field(default_factory=dict)
    guards: tuple[Guard, ...] = ()
    unreachable: bool = False

    def get(self, ref: Ref) -> Nullness | None:
        return self.facts.get(ref)

    def set(self, ref: Ref, value: Nullness | None) -> State:
        """Assign ``ref``: its fact (None: back to declared), and forget facts below it."""
        facts = {k: v for k, v in self.facts.items() if not _below(k, ref)}
        if value is not None:
            facts[ref] = value
        guards = tuple(
            g2
            for g in self.guards
            if not _below(g.on, ref)
            for g2 in [Guard(g.on, g.when, frozenset(r for r in g.refs if not _below(r, ref)))]
            if g2.refs
        )
        return State(facts, guards, self.unreachable)

    def narrow(self, ref: Ref, value: Nullness) -> State:
        """A condition says ``ref`` is ``value`` (without assigning it)."""
        facts = dict(self.facts)
        facts[ref] = value
        state = State(facts, self.guards, self.unreachable)
        if value is Nullness.NIL:
            state = state._fire(ref, "nil")
        return state

    def truth(self, ref: Ref, value: bool) -> State:
        """A boolean reference is known true or false."""
        return self._fire(ref, "true") if value else self

    def guard(self, on: Ref, when: str, refs: list[Ref]) -> State:
        if not refs:
            return self
        return State(self.facts, (*self.guards, Guard(on, when, frozenset(refs))), self.unreachable)

    def _fire(self, ref: Ref, when: str) -> State:
        facts = dict(self.facts)
        changed = False
        for g in self.guards:
            if g.on == ref and g.when == when:
                for r in g.refs:
                    facts[r] = Nullness.NONNIL
                    changed = True
        return State(facts, self.guards, self.unreachable) if changed else self

    def forget_refs(self, refs: Collection[Ref]) -> State:
        """Drop the facts about ``refs`` and what lies below them (they may be assigned)."""
        facts = {k: v for k, v in self.facts.items() if not any(_below(k, r) for r in refs)}
        guards = tuple(g for g in self.guards if not any(_below(g.on, r) for r in refs))
        return State(facts, guards, self.unreachable)

    def forget(self, roots: Collection[object]) -> State:
        """Drop every fact about references rooted at ``roots`` (a loop or a closure may change them)."""
        facts = {k: v for k, v in self.facts.items() if k[0] not in roots}
        guards = tuple(g for g in self.guards if g.on[0] not in roots)
        return State(facts, guards, self.unreachable)


UNREACHABLE = State({}, (), True)


def _below(ref: Ref, root: Ref) -> bool:
    return ref[: len(root)] == root


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
    return State(facts, guards, False)


def same(a: State, b: State) -> bool:
    return a.unreachable == b.unreachable and a.facts == b.facts and a.guards == b.guards
