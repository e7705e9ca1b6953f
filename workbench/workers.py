"""Worker processes that die with the process that started them, and what a parse worker keeps between files.

A worker pool's processes must never outlive a ``kill -9`` (or an OOM kill) of the
run that owns them: an orphan would keep working for nobody, and before the lock
fix kept the store's lock. Each worker asks the kernel for SIGKILL when its parent
dies (Linux ``prctl``) and, everywhere, watches its parent id once a second.

A worker parses many files: the reference it analyses with and the word hashes its
copy sketches use are kept per process (``worker_reference``, ``worker_word_hashes``)
instead of being found again for every file.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from workbench.analyse.stories import _WordHashes
from workbench.files import pid_alive
from workbench.reference import load_reference

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0
WORDS_KEPT = 200_000        # distinct word hashes a process remembers at most (~25 MB), then forgets at once
FORKSERVER_PRELOAD = ["workbench.pipeline"]   # imported once by the fork server, not by each worker

_REFERENCE: dict[tuple[str, str], Any] = {}
_WORDS = _WordHashes()


def _parent_death_signal() -> None:
    """Linux: have the kernel send SIGKILL to this process when its parent ends."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _watch_parent(parent: int, owner: int | None = None) -> None:
    stop = threading.Event()
    while not stop.wait(WATCH_SECONDS):
        if os.getppid() != parent or (owner is not None and not pid_alive(owner)):
            os._exit(1)


def die_with_parent(owner: int | None = None) -> None:
    """Worker initializer: end this process as soon as its parent is gone, or ``owner``, the
    process that started the pool when that is not the parent: a fork server's workers are
    its children, and they (holding the server's liveness pipe) would keep it, and it them, alive."""
    _parent_death_signal()
    parent = os.getppid()
    if parent == 1 or (owner is not None and not pid_alive(owner)):    # gone before we got here
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent, owner), daemon=True, name="parent-watch").start()


def _worker_start(owner: int | None = None) -> None:
    """Pool worker initializer: end with the parent (and ``owner``), and move every object the worker
    already holds (the modules, the reference, all a forked worker inherits) to the
    collector's permanent generation, so that its full collections, one every few files
    while parsing, no longer walk them all (nor touch their pages shared with the parent)."""
    die_with_parent(owner)
    gc.freeze()


def worker_pool(jobs: int, context: str | None = None) -> ProcessPoolExecutor:
    """A process pool of ``jobs`` workers that end with this process; ``context`` a
    multiprocessing start method ("forkserver": workers do not copy a large parent; they are
    forked from a small server process that has imported ``FORKSERVER_PRELOAD`` once)."""
    ctx = multiprocessing.get_context(context) if context else None
    if ctx is not None and context == "forkserver":
        # (no effect once the server runs: it keeps the modules it started with)
        ctx.set_forkserver_preload(FORKSERVER_PRELOAD)   # type: ignore[attr-defined]
    return ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start, initargs=(os.getpid(),), mp_context=ctx)


def worker_reference(ref_dir: Path, ref_fp: str) -> Any:
    """The reference a worker analyses with: loaded once per process and fingerprint
    (``load_reference`` checks its cache against the files on every call: a path resolve
    and a stat of each file, once per parsed file before)."""
    key = (str(ref_dir), ref_fp)
    ref = _REFERENCE.get(key)
    if ref is None:
        _REFERENCE.clear()
        ref = _REFERENCE[key] = load_reference(ref_dir)
    return ref


def worker_word_hashes() -> _WordHashes:
    """The word -> hash memo a process's copy sketches share. A word's hash (blake2b: the
    same value wherever computed) was computed again for every file printing the word,
    a third of a sketch's CPU; a corpus's vocabulary is mostly shared between its files."""
    if len(_WORDS) > WORDS_KEPT:
        _WORDS.clear()
    return _WORDS
