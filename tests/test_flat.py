"""Trees kept on disk flattened (``syntax/flat.py``, ``stubs/parsed.py``): the tree read back is
the tree parsed, at any depth; what is not a flattened tree of these node classes is a miss.

(``tests/test_work_once.py`` reads back the bundled stubs of two packages field by field.)"""

from __future__ import annotations

import marshal

from scripts.hostile_input import big_source, chain_source
from transpiler.stubs import parsed
from transpiler.syntax import flat, parse_source


def _round_trip(text: str, name: str) -> None:
    result = parse_source(text.encode(), name)
    assert result.tree is not None and not result.diagnostics
    payload = parsed.dumps(result)
    back = parsed.loads(payload, name)
    assert back is not None and back.source.text == text
    # (every field of every node is in the payload: the same payload, the same tree; marshal's
    # bytes depend on which objects are shared, so the values are compared)
    assert _plain(parsed.dumps(back)) == _plain(payload)


def _plain(payload: bytes) -> tuple[object, ...]:
    """A payload's values, the bodies left out of the skeleton read too."""
    *head, rest = marshal.loads(payload)
    return (*head, marshal.loads(rest) if rest else None)


def test_a_big_file_and_long_chains_come_back_as_parsed() -> None:
    _round_trip(big_source(60_000), "big.tgo")
    # a chain of 30,000 links is a tree that deep: pickled, it was refused as too deep
    _round_trip(chain_source(30_000, branches=100), "chains.tgo")


def test_what_is_not_a_flattened_tree_is_a_miss() -> None:
    result = parse_source(big_source(5_000).encode(), "big.tgo")
    payload = parsed.dumps(result)
    fmt, names, text, shape, values, where, rest = marshal.loads(payload)
    assert where and rest  # (big_source has bodies a skeleton leaves out)
    bshape, bvalues = marshal.loads(rest)
    damaged = [
        payload[: len(payload) // 2],  # cut short
        marshal.dumps((fmt + 1, names, text, shape, values, where, rest)),  # another format
        marshal.dumps((fmt, names[::-1], text, shape, values, where, rest)),  # other node classes
        marshal.dumps((fmt, names, text, shape[:-5], values, where, rest)),  # a shape cut short
        marshal.dumps((fmt, names, text, shape, values[:-3], where, rest)),  # values missing
        marshal.dumps((fmt, names, text, shape, [*values, 1], where, rest)),  # values left over
        marshal.dumps((fmt, names, text, bytes([255]) + shape[1:], values, where, rest)),  # no such class
        marshal.dumps((fmt, names, text, shape[:1] + bytes([0]) + shape[1:], values, where, rest)),  # not a File
        marshal.dumps((fmt, names, text, shape, values, where[:-1], rest)),  # a body too many
        marshal.dumps((fmt, names, text, shape, values, [*where, where[-1]], rest)),  # a body too few
        marshal.dumps((fmt, names, text, shape, values, [where[0] + 1, *where[1:]], rest)),  # a body misplaced
        marshal.dumps((fmt, names, text, shape, values, where, rest[:-9])),  # the bodies cut short
        marshal.dumps((fmt, names, text, shape, values, where, marshal.dumps((bshape[:-1], bvalues)))),
        marshal.dumps((fmt, names, text, shape, values, where, marshal.dumps((bshape, bvalues[:-1])))),
    ]
    for bad in damaged:
        assert parsed.loads(bad, "big.tgo") is None
    assert flat.names()[0] < flat.names()[-1]  # (the classes in a fixed order: by name)
