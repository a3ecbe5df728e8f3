"""Ctrl-C held back over the few steps that must not be cut in half."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator


@contextlib.contextmanager
def ctrl_c_held() -> Iterator[None]:
    """Block SIGINT in this thread for the block; one that arrives meanwhile is raised when it ends.

    Processes started inside the block inherit the mask, so they start with Ctrl-C held too.
    Where there are no signal masks (Windows) the block runs unguarded.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def ignore_ctrl_c() -> None:
    """For a worker process: Ctrl-C is its parent's to handle. Ignoring it drops one held since start."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
