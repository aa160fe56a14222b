"""gcpause.paused: the collector's thresholds raised for the duration, nested uses sharing one
pause, the previous thresholds back afterwards (also after an exception); a collector that is
off stays off. paused_until_exit: what a command line's run made frozen before its pause ends."""

from __future__ import annotations

import gc
from pathlib import Path

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


_CHECK_PROBE = """
import gc, sys
from transpiler import commands
status = commands.run("check", {"output_format": "text", "coverage": False, "paths": sys.argv[2:]},
                      replace_process=sys.argv[1] == "console")
print(status, gc.get_freeze_count() > 0)
"""


@pytest.mark.parametrize("console", [True, False])
def test_tgo_check_from_the_command_line_freezes_what_it_made(tmp_path: Path, console: bool) -> None:
    """``commands.run`` from the console script (the process ends after it) checks the last
    package paused to the end and freezes what it made; a run within a longer one does not."""
    import os
    import subprocess
    import sys

    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.tgo").write_text(f"package {name}\n\nfunc F() int {{ return 1 }}\n")
    env = dict(os.environ, TGO_CACHE_DIR=str(tmp_path / "cache"), PATH=os.path.dirname(sys.executable))
    out = subprocess.run([sys.executable, "-c", _CHECK_PROBE, "console" if console else "library",
                          str(tmp_path / "a"), str(tmp_path / "b")],
                         capture_output=True, text=True, env=env).stdout.split()
    assert out[1:] == [str(console)]


_KEPT_PROBE = """
import gc
from transpiler import gcpause
out = []
with gcpause.kept():  # (not in a run that ends the process: paused, as before)
    out.append((gc.isenabled(), gc.get_threshold()[0] >= gcpause.PAUSED_THRESHOLDS[0]))
out.append(gc.get_freeze_count() == 0)
with gcpause.paused_until_exit(True):
    with gcpause.kept():
        tree = [[i] for i in range(20_000)]
        out.append(gc.isenabled())
    out.append((gc.isenabled(), gc.get_freeze_count() >= 20_000))
print(out)
"""


def test_kept_freezes_a_tree_as_it_is_made_only_in_a_run_that_ends_the_process() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _KEPT_PROBE], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[(True, True), True, False, (True, True)]"
