"""Ctrl-C held back over the few steps that must not be cut in half."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


@contextlib.contextmanager
def ctrl_c_held() -> Iterator[None]:
    """Hold SIGINT for the block; one that arrives meanwhile is delivered, once, when it ends.

    In the main thread the SIGINT handler is swapped for one that only notes the signal: a signal
    mask is per thread, and the kernel hands a process's SIGINT to any thread not blocking it (a
    progress bar's refresh thread, say), after which Python raises in the main thread all the same.
    The mask is blocked too, so processes started inside the block start with Ctrl-C held.
    Blocks nest. Without signal masks (Windows) only the handler is swapped.
    """
    held: list[int] = []

    def note(signum: int, _frame: FrameType | None) -> None:
        held.append(signum)

    previous_handler = None
    if threading.current_thread() is threading.main_thread():
        previous_handler = signal.getsignal(signal.SIGINT)
        if previous_handler is not None:  # None: installed outside Python, leave it be
            signal.signal(signal.SIGINT, note)
    masks = hasattr(signal, "pthread_sigmask")
    previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if masks else set()
    try:
        yield
    finally:
        if masks:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)
        if previous_handler is not None:
            signal.signal(signal.SIGINT, previous_handler)
        if held:  # handled now as it would have been: KeyboardInterrupt, an outer hold, or ignored
            signal.raise_signal(signal.SIGINT)


def ignore_ctrl_c() -> None:
    """For a worker process: Ctrl-C is its parent's to handle. Ignoring it drops one held since start."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
