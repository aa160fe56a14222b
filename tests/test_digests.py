"""The digests of large dependencies remembered between commands (caches.py: ``digests.json``):
used only for a file in exactly the state it was hashed in, never for one changed within
2 s of being hashed, and a change that keeps the size and modification time is still seen."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from transpiler import caches

BIG = 300 * 1024


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TGO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(caches, "_memo", None)
    monkeypatch.setattr(caches, "_valid", {})


def fresh_process() -> None:
    """What a new command knows: nothing in memory, the memo on disk."""
    caches._memo = None
    caches._valid.clear()


def test_a_large_file_s_digest_is_remembered_and_a_same_size_edit_is_seen(tmp_path: Path) -> None:
    f = tmp_path / "big.bin"
    f.write_bytes(b"a" * BIG)
    time.sleep(2.1)  # (older than the cutoff: remembered)
    records = caches.dependency_records([str(f)])
    assert records is not None
    memo = caches.read_entry(os.path.join(caches.cache_root(), "digests.json"))
    assert memo is not None and str(f).encode() in memo
    fresh_process()
    assert caches.records_unchanged(records)
    # the same size, the modification time set back: the change time tells
    st = f.stat()
    f.write_bytes(b"b" * BIG)
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    fresh_process()
    assert not caches.records_unchanged(records)
    again = caches.dependency_records([str(f)])
    assert again is not None and again[0][1] != records[0][1]


def test_a_file_changed_just_now_is_not_remembered(tmp_path: Path) -> None:
    f = tmp_path / "big.bin"
    f.write_bytes(b"a" * BIG)
    assert caches.dependency_records([str(f)]) is not None
    memo = caches.read_entry(os.path.join(caches.cache_root(), "digests.json"))
    assert memo is None or str(f).encode() not in memo


def test_a_remembered_digest_is_used_only_for_the_state_it_was_made_in(tmp_path: Path) -> None:
    f = tmp_path / "big.bin"
    f.write_bytes(b"a" * BIG)
    time.sleep(2.1)
    first = caches.dependency_records([str(f)])
    assert first is not None
    # a memo saying something else for another state of the file is not believed
    fresh_process()
    memo = caches._digests()
    memo[str(f)] = [1, 2, 3, 4, "0" * 64]
    assert caches.dependency_records([str(f)]) == first


def test_a_large_file_with_a_sum_is_verified_by_its_remembered_digest_while_its_state_holds(tmp_path: Path) -> None:
    f = tmp_path / "program"
    caches.write_with_sum(str(f), b"a" * BIG)
    time.sleep(2.1)
    assert caches.sum_ok(str(f))  # (hashed, and remembered: older than the cutoff)
    memo = caches.read_entry(os.path.join(caches.cache_root(), "digests.json"))
    assert memo is not None and str(f).encode() in memo
    fresh_process()
    caches._digests()[str(f)][4] = "0" * 64  # (what the memo says for this very state is believed)
    assert not caches.sum_ok(str(f))
    # damaged in place, its modification time kept: the change time tells, and it is hashed again
    fresh_process()
    st = f.stat()
    with open(f, "r+b") as fh:
        fh.write(b"b")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert not caches.sum_ok(str(f))
    f.write_bytes(b"a" * BIG)
    assert caches.sum_ok(str(f))


def test_stats_once_reads_each_state_once_and_a_change_after_it_is_seen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "stub.tgoi"
    f.write_bytes(b"package p\n")
    records = caches.dependency_records([str(f)])
    assert records is not None
    calls: list[str] = []
    real_stat = os.stat

    def counting(path: str, *args: object, **kwargs: object) -> os.stat_result:
        calls.append(str(path))
        return real_stat(path)

    monkeypatch.setattr(caches.os, "stat", counting)
    with caches.stats_once():
        assert all(caches.records_unchanged(records) for _ in range(5))  # (five entries naming one stub)
        assert calls.count(str(f)) == 1
    calls.clear()
    # a change keeping the size and modification time, after the block: seen by the next check
    st = real_stat(f)
    f.write_bytes(b"package q\n")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert not caches.records_unchanged(records)
    assert calls.count(str(f)) == 1
    with caches.stats_once():
        assert not caches.records_unchanged(records)
        f.write_bytes(b"package p\n")  # (within one check, the state it read first holds)
        assert not caches.records_unchanged(records)
    assert caches._stats is None


def test_stats_once_blocks_that_end_out_of_order_leave_no_states_behind() -> None:
    """Two checks on two threads (the language server's worker and another): the first block
    may end before the second; no states may outlive both, or every later check would read
    them instead of the files."""
    first, second = caches.stats_once(), caches.stats_once()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    second.__exit__(None, None, None)
    assert caches._stats is None
