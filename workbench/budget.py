"""A wall-clock budget per input file (issue 13: "give each file a time budget").

``per_file_budget(on_timeout)`` wraps a function of one file's task so that a file
which takes longer than ``settings.file_time_budget()`` seconds becomes a rejection
("took longer than N s") instead of holding the run, and its lock, for as long as it
likes. The size caps bound the work on expected inputs; this bounds the unexpected
(a pathological page, a super-linear corner of a parser).

How: a POSIX interval timer (``signal.setitimer``) in the process that runs the
function (a worker of the parse pool, or the main process for small runs); its
handler raises ``BudgetExceeded``, a ``BaseException`` so that a parser's own
``except Exception`` cannot swallow it. It is a no-op where it cannot work safely:
without ``setitimer`` (Windows), off the main thread (signals are delivered to the
main thread only), or with the budget set to 0. Python checks for signals between
bytecodes, so one long call into C code (a single regular expression, say) finishes
before the budget is enforced.
"""
from __future__ import annotations

import functools
import signal
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from workbench import settings

T = TypeVar("T")


class BudgetExceeded(BaseException):
    """Raised inside a budgeted function when its time is up (not an ``Exception``:
    the function's own error handling must not catch it)."""


def budget_available() -> bool:
    """Whether a budget can be enforced here: POSIX timers, on the main thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def run_within(seconds: float, fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)``, raising ``BudgetExceeded`` once it has run ``seconds`` of wall-clock
    time. A timer or handler set before is restored afterwards; ``seconds <= 0`` or no
    timer support: ``fn`` simply runs."""
    if not 0 < seconds < 1e9 or not budget_available():
        return fn(*args)

    def _expired(signum, frame):
        raise BudgetExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, _expired)
    outer_left, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.monotonic()
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left > 0:       # an outer timer gets back what is left of its time (at least a tick)
            left = max(outer_left - (time.monotonic() - start), 1e-6)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)


def timeout_reason(seconds: float) -> str:
    """The rejection reason of a file that ran out of time."""
    return (f"took longer than {seconds:g} s to read and analyse (settings.FILE_TIME_BUDGET_SECONDS, "
            f"or WORKBENCH_FILE_TIME_BUDGET); skipped")


def per_file_budget(on_timeout: Callable[[Any, str], T]) -> Callable[[Callable[[Any], T]], Callable[[Any], T]]:
    """Decorator for a one-argument per-file worker: past the budget, return
    ``on_timeout(task, reason)`` instead (the reason names the budget; the caller's
    rejection names the file). The wrapped function stays picklable by name."""
    def wrap(fn: Callable[[Any], T]) -> Callable[[Any], T]:
        @functools.wraps(fn)
        def budgeted(task: Any) -> T:
            seconds = settings.file_time_budget()
            try:
                return run_within(seconds, fn, task)
            except BudgetExceeded:
                return on_timeout(task, timeout_reason(seconds))
        return budgeted
    return wrap
