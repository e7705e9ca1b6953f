"""workers: a pool's processes end with the process that started them (kill -9 included)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from workbench.files import pid_alive

CODE = """
import os, time
from workbench.workers import worker_pool
pool = worker_pool(2)
pids = {pool.submit(os.getpid).result() for _ in range(8)}
print(" ".join(map(str, sorted(pids))), flush=True)
time.sleep(60)
"""


def test_workers_die_when_their_parent_is_killed():
    p = subprocess.Popen([sys.executable, "-c", CODE], stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None
    workers = [int(x) for x in p.stdout.readline().split()]
    assert workers and all(pid_alive(w) for w in workers)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    deadline = time.monotonic() + 10
    while any(pid_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(pid_alive(w) for w in workers), "a worker outlived its parent"
