"""gcpause.paused: the collector's thresholds raised for the duration, nested uses sharing one
pause, the previous thresholds back afterwards (also after an exception); a collector that is
off stays off."""

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


def test_a_hold_keeps_the_collector_paused_past_the_pauses_within_it(monkeypatch: pytest.MonkeyPatch) -> None:
    before = gc.get_threshold()
    monkeypatch.setattr(gcpause, "_depth", 0)
    try:
        gcpause.hold()
        held = gc.get_threshold()
        assert held[0] >= gcpause.PAUSED_THRESHOLDS[0]
        with gcpause.paused():
            pass
        assert gc.get_threshold() == held  # (the end of the pause within does not lower them)
    finally:
        gc.set_threshold(*before)
