"""Owns the lifetime of tgo's worker processes: they die with the process that started them.

``tgo build`` lowers packages in a pool of worker processes. If the tgo process is
killed (``kill -9``, SIGTERM, a closed terminal), the pool's own shutdown never runs,
and its workers would live on, lowering for no one. Two guards, both set up in the
worker's initializer (``bind``):

* On Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker when
  its parent dies.
* Everywhere (POSIX), a *lifeline*: a pipe whose write end only the parent holds
  (``Lifeline``). A thread in each worker blocks reading it; end of file means the
  parent is gone, and the worker exits at once.

Workers are forked (the default on Linux and macOS for Python 3.11-3.13, and
asked for explicitly here), so the pipe's read end is inherited.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
from types import TracebackType

_PR_SET_PDEATHSIG = 1


class Lifeline:
    """A pipe that stays open while this process lives; workers watch it (``bind``)."""

    def __init__(self) -> None:
        self.read_fd, self.write_fd = os.pipe()
        self.parent = os.getpid()

    def args(self) -> tuple[int, int, int]:
        """The initializer arguments for ``bind``."""
        return (self.read_fd, self.write_fd, self.parent)

    def __enter__(self) -> Lifeline:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for fd in (self.read_fd, self.write_fd):
            with contextlib.suppress(OSError):
                os.close(fd)


def bind(read_fd: int, write_fd: int, parent: int) -> None:
    """Make this worker die with ``parent`` (run in the worker, as the pool's initializer)."""
    with contextlib.suppress(OSError):
        os.close(write_fd)  # the parent's copy is the only writer left
    if sys.platform.startswith("linux"):
        _die_with_parent()
    threading.Thread(target=_watch, args=(read_fd,), name="tgo-lifeline", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the guards were set
        os._exit(1)


def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # (the lifeline still holds)


def _watch(read_fd: int) -> None:
    """Exit this process when the lifeline's write end closes (the parent died)."""
    try:
        while os.read(read_fd, 1):
            pass
    except OSError:
        pass
    os._exit(1)


def fork_context() -> multiprocessing.context.BaseContext:
    """The multiprocessing context for the pool: fork, where there is one (the lifeline is an
    inherited file descriptor)."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()
