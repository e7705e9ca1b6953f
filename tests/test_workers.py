"""workers: a pool's processes end with the process that started them (kill -9 included)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from workbench.files import pid_alive

CODE = """
import os, sys, time
from workbench.workers import worker_pool
pool = worker_pool(2, context=sys.argv[1] if len(sys.argv) > 1 else None)
pids = {pool.submit(os.getpid).result() for _ in range(8)}
print(" ".join(map(str, sorted(pids))), flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("context", ["fork", "forkserver"])
def test_workers_die_when_their_parent_is_killed(context):
    """Also a fork server's workers (children of the server, not of the killed process)."""
    p = subprocess.Popen([sys.executable, "-c", CODE, context], stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None
    workers = [int(x) for x in p.stdout.readline().split()]
    assert workers and all(pid_alive(w) for w in workers)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    deadline = time.monotonic() + 10
    while any(pid_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(pid_alive(w) for w in workers), "a worker outlived its parent"


def test_word_hash_memo_sketches_as_a_fresh_memo_does_and_is_bounded(monkeypatch):
    from pathlib import Path

    from workbench import workers
    from workbench.analyse.stories import _WordHashes
    from workbench.analyse.story_index import sketch

    monkeypatch.setattr(workers, "_WORDS", _WordHashes())
    monkeypatch.setattr(workers, "WORDS_KEPT", 400)
    pages = sorted((Path(__file__).resolve().parents[1] / "data" / "raw").glob("*.txt"))
    assert pages
    cleared = 0
    for page in pages * 2:           # the second round finds the words remembered (or forgotten)
        body = page.read_text(encoding="utf-8")
        before = len(workers._WORDS)
        memo = workers.worker_word_hashes()
        cleared += before > 400 and len(memo) == 0
        shared, fresh = sketch(body, memo), sketch(body, _WordHashes())
        assert (shared is None) == (fresh is None)
        if shared is not None and fresh is not None:
            assert (shared.sig == fresh.sig).all() and shared.size == fresh.size
            assert (shared.lines == fresh.lines).all()
        assert len(memo) > 0
    assert cleared, "the memo never passed its bound on these pages"
