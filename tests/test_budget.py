"""``workbench.budget``: a wall-clock budget per input file (issue 13).

The unit tests run real slow functions under tiny budgets; the last test runs the
real ``workbench ingest`` with a small budget on a big generated file (our own
invented words) and checks that it alone is rejected, by name, and the rest stored.
"""
from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from workbench import settings
from workbench.budget import BudgetExceeded, budget_available, per_file_budget, run_within
from workbench.engines.local import PARALLEL_MIN_ITEMS as PARALLEL_MIN_FILES
from workbench.errors import UsageError

posix = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no POSIX interval timers here")


def _spin(seconds: float) -> str:
    """Pure-Python work for ``seconds`` (what a slow parser looks like to the budget)."""
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
    return "finished"


def _spin_swallowing(seconds: float) -> str:
    """A parser that turns every ``Exception`` into a result: it must not swallow the budget."""
    try:
        return _spin(seconds)
    except Exception:
        return "swallowed"


@posix
def test_a_slow_function_is_stopped_at_its_budget():
    t0 = time.monotonic()
    with pytest.raises(BudgetExceeded):
        run_within(0.2, _spin, 10)
    assert time.monotonic() - t0 < 3


@posix
def test_except_exception_in_the_function_does_not_swallow_the_budget():
    with pytest.raises(BudgetExceeded):
        run_within(0.2, _spin_swallowing, 10)


@posix
def test_a_fast_function_returns_and_the_previous_timer_and_handler_come_back():
    fired = []
    old = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        assert run_within(5, _spin, 0.05) == "finished"
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 20 < left < 30 and not fired
        signal.setitimer(signal.ITIMER_REAL, 0.2)                  # the outer handler is ours again
        _spin(0.5)
        assert fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_off_the_main_thread_and_with_no_budget_the_function_simply_runs():
    out: list = []
    worker = threading.Thread(target=lambda: out.append((budget_available(), run_within(0.05, _spin, 0.3))))
    worker.start()
    worker.join()
    assert out == [(False, "finished")]
    assert run_within(0, _spin, 0.1) == "finished"


@posix
def test_per_file_budget_turns_the_overrun_into_the_callers_rejection(monkeypatch):
    monkeypatch.setenv("WORKBENCH_FILE_TIME_BUDGET", "0.2")
    budgeted = per_file_budget(lambda task, reason: ("rejected", task[0], reason))(lambda task: _spin(task[1]))
    assert budgeted(("quick.txt", 0.01)) == "finished"
    kind, name, reason = budgeted(("slow.txt", 10))
    assert (kind, name) == ("rejected", "slow.txt") and reason.startswith("took longer than 0.2 s")


def test_the_budget_setting_reads_the_environment(monkeypatch):
    monkeypatch.delenv("WORKBENCH_FILE_TIME_BUDGET", raising=False)
    assert settings.file_time_budget() == settings.FILE_TIME_BUDGET_SECONDS > 0
    monkeypatch.setenv("WORKBENCH_FILE_TIME_BUDGET", "1.5")
    assert settings.file_time_budget() == 1.5
    for bad in ("soon", "-1", "nan"):
        monkeypatch.setenv("WORKBENCH_FILE_TIME_BUDGET", bad)
        with pytest.raises(UsageError, match="WORKBENCH_FILE_TIME_BUDGET"):
            settings.file_time_budget()


WORDS = ["depot", "convoy", "spare", "parts", "crews", "allied", "logistics", "fuel", "stocks", "harbor",
         "repair", "schedule", "officials", "said", "the", "and", "of", "in", "to", "ship", "yard"]


def _prose(seed: int, paragraphs: int) -> str:
    rnd = random.Random(seed)
    return "\n\n".join(" ".join(" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 20))).capitalize() + "."
                                for _ in range(4)) for _ in range(paragraphs))


@pytest.mark.slow
@posix
@pytest.mark.parametrize("n_small, jobs", [(3, 1), (PARALLEL_MIN_FILES, 2)], ids=["in-process", "worker-pool"])
def test_ingest_rejects_the_file_past_its_budget_and_stores_the_rest(tmp_path, n_small, jobs):
    raw = tmp_path / "raw"
    raw.mkdir()
    big = raw / "big.txt"
    big.write_text("Depot crews work through the night\n\n" + _prose(1, 18_000), encoding="utf-8")   # ~6 MB: ~5 s
    for i in range(n_small):
        (raw / f"small-{i:02d}.txt").write_text(f"Convoy schedule number {i} changes\n\n" + _prose(10 + i, 6),
                                            encoding="utf-8")
    before = hashlib.sha256(big.read_bytes()).hexdigest()
    env = {**os.environ, "WORKBENCH_FILE_TIME_BUDGET": "2"}
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "workbench", "ingest", str(raw), "--store", str(tmp_path / "store"),
                        "--jobs", str(jobs)], capture_output=True, text=True, timeout=300, check=False, env=env,
                       cwd=tmp_path)
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    shown = p.stdout + p.stderr
    assert f"{big}: took longer than 2 s" in shown, shown
    assert f"parsed {n_small} file(s)" in shown and "rejected 1" in shown, shown
    assert time.monotonic() - t0 < 60
    from workbench.store import read_store
    records, _ = read_store(tmp_path / "store")
    assert sorted(r["doc_id"] for r in records) == [f"small-{i:02d}" for i in range(n_small)]
    assert hashlib.sha256(Path(big).read_bytes()).hexdigest() == before          # raw files untouched
