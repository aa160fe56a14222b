"""gcpause.paused: the collector's thresholds raised for the duration, nested uses sharing one
pause, the previous thresholds back afterwards (also after an exception); a collector that is
off stays off. paused_until_exit: what a command line's run made frozen before its pause ends."""

from __future__ import annotations

import gc

import pytest

from transpiler import gcpause


def test_paused_raises_the_thresholds_and_restores_them() -> None:
    before = gc.get_threshold()
    with gcpause.paused():
        during = gc.get_threshold()
        assert during == tuple(max(p, s) for p, s in zip(gcpause.PAUSED_THRESHOLDS, before, strict=True))
        with gcpause.paused():
            assert gc.get_threshold() == during
        assert gc.get_threshold() == during  # (the inner exit does not end the outer pause)
    assert gc.get_threshold() == before
    with pytest.raises(ValueError), gcpause.paused():
        raise ValueError
    assert gc.get_threshold() == before


def test_a_long_run_pauses_to_its_own_thresholds_and_inner_pauses_keep_them() -> None:
    """``tgo migrate``'s pause (the middle generation collected rarely) holds through the
    parses and checks that pause inside it."""
    before = gc.get_threshold()
    with gcpause.paused(gcpause.KEEPING_THRESHOLDS):
        during = gc.get_threshold()
        assert during == tuple(max(p, s) for p, s in zip(gcpause.KEEPING_THRESHOLDS, before, strict=True))
        assert during[1] > gcpause.PAUSED_THRESHOLDS[1]
        with gcpause.paused():
            assert gc.get_threshold() == during
    assert gc.get_threshold() == before


def test_a_collector_that_is_off_stays_off() -> None:
    before = gc.get_threshold()
    gc.set_threshold(0)
    try:
        with gcpause.paused():
            assert gc.get_threshold()[0] == 0
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


def test_threads_pausing_at_once_leave_the_thresholds_as_they_were() -> None:
    # the language server checks on a worker thread while requests parse on another
    import sys
    import threading

    before = gc.get_threshold()
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    start = threading.Barrier(4)

    def work() -> None:
        start.wait()
        for _ in range(2000):
            with gcpause.paused():
                pass

    try:
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old_interval)
    assert gc.get_threshold() == before


_FREEZE_PROBE = """
import gc, sys
from transpiler import gcpause
exiting = sys.argv[1] == "exiting"
kept = []
before = gc.get_threshold()
with gcpause.paused_until_exit(exiting):
    kept.extend([i] for i in range(50_000))  # (what a check keeps alive to the end)
    assert gc.get_threshold() != before
print(gc.get_freeze_count() >= 50_000, gc.get_threshold() == before)
"""


@pytest.mark.parametrize("exiting", [True, False])
def test_a_run_that_ends_the_process_freezes_what_it_made(exiting: bool) -> None:
    """Without the freeze, the pause's end let the first allocations after it walk everything
    the run made (the middle generation had come due): 115-130 ms after a check of net/http."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _FREEZE_PROBE, "exiting" if exiting else "staying"],
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(exiting), "True"]


def test_tgo_check_from_the_command_line_runs_to_its_end_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    """``commands.run`` (the console script's run: the process ends after it) gives ``tgo check``
    ``exiting``; a call from within a longer run does not."""
    from transpiler import commands

    seen: list[tuple[int, ...]] = []
    monkeypatch.setattr(commands, "cached_check", lambda *a: None)
    monkeypatch.setattr(commands, "_check", lambda *a: seen.append(gc.get_threshold()) or 0)
    frozen = gc.get_freeze_count()
    params = {"output_format": "text", "coverage": False, "paths": []}
    assert commands.run("check", params, replace_process=False) == 0
    assert gc.get_freeze_count() == frozen
    calls: list[bool] = []
    monkeypatch.setattr(gcpause.gc, "freeze", lambda: calls.append(True))
    assert commands.run("check", params, replace_process=True) == 0
    assert calls == [True]
    assert len(seen) == 2 and all(t[0] >= gcpause.PAUSED_THRESHOLDS[0] for t in seen)  # (both checked paused)
