"""Worker processes that die with the process that started them.

A worker pool's processes must never outlive a ``kill -9`` (or an OOM kill) of the
run that owns them: an orphan would keep working for nobody, and before the lock
fix kept the store's lock. Each worker asks the kernel for SIGKILL when its parent
dies (Linux ``prctl``) and, everywhere, watches its parent id once a second.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0


def _parent_death_signal() -> None:
    """Linux: have the kernel send SIGKILL to this process when its parent ends."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _watch_parent(parent: int) -> None:
    stop = threading.Event()
    while not stop.wait(WATCH_SECONDS):
        if os.getppid() != parent:
            os._exit(1)


def die_with_parent() -> None:
    """Worker initializer: end this process as soon as its parent is gone."""
    _parent_death_signal()
    parent = os.getppid()
    if parent == 1:                     # the parent ended before we got here
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="parent-watch").start()


def worker_pool(jobs: int, context: str | None = None) -> ProcessPoolExecutor:
    """A process pool of ``jobs`` workers that end with this process; ``context`` a
    multiprocessing start method ("forkserver": workers do not copy a large parent)."""
    ctx = multiprocessing.get_context(context) if context else None
    return ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent, mp_context=ctx)
