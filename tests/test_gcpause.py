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


def test_a_collector_that_is_off_stays_off() -> None:
    before = gc.get_threshold()
    gc.set_threshold(0)
    try:
        with gcpause.paused():
            assert gc.get_threshold()[0] == 0
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)
