"""files: atomic replacement, hashing, paths as shown, the cross-platform lock."""
from __future__ import annotations

import hashlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from workbench.files import (
    atomic_write,
    atomic_writer,
    csv_safe,
    display_path,
    file_lock,
    owner_path,
    pid_alive,
    read_owner,
    sha256_file,
)


def test_atomic_write_replaces_whole_or_not_at_all(tmp_path):
    p = tmp_path / "sub" / "out.txt"
    atomic_write(p, "first")
    with pytest.raises(RuntimeError):
        with atomic_writer(p) as fh:
            fh.write("half of the second")
            raise RuntimeError("crash mid-write")
    assert p.read_text() == "first"
    assert [q.name for q in p.parent.iterdir()] == ["out.txt"]          # no temporary left behind


def test_sha256_file_matches_hashlib(tmp_path):
    p = tmp_path / "x.bin"
    data = bytes(range(256)) * 5000                                      # several read chunks
    p.write_bytes(data)
    assert sha256_file(p) == hashlib.sha256(data).hexdigest()


def test_display_path_relative_inside_home_absolute_outside(tmp_path):
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    assert display_path(home / "data" / "a.txt", home) == "data/a.txt"
    assert display_path(tmp_path / "elsewhere.txt", home) == str((tmp_path / "elsewhere.txt").resolve())


def test_file_lock_excludes_a_second_holder_and_names_what_timed_out(tmp_path):
    lock = tmp_path / "x.lock"
    waited = []
    with file_lock(lock):
        errors = []

        def second():
            try:
                with file_lock(lock, timeout=0.3, on_wait=lambda: waited.append(1), what="the store"):
                    pass
            except TimeoutError as e:
                errors.append(str(e))

        t = threading.Thread(target=second)
        t.start()
        t.join(10)
    assert waited == [1] and len(errors) == 1 and "the store" in errors[0]
    with file_lock(lock, timeout=1):                                     # free again once released
        pass


def _holder(lock, *, fork_child: bool = False) -> subprocess.Popen:
    """Another process that takes ``lock`` (and optionally forks a child that sleeps), then sleeps."""
    code = (
        "import os, sys, time\n"
        "from workbench.files import file_lock\n"
        f"with file_lock({str(lock)!r}, what='the test store'):\n"
        f"    if {fork_child!r} and os.fork() == 0:\n"
        "        time.sleep(60); os._exit(0)\n"
        "    print('held', flush=True)\n"
        "    time.sleep(60)\n")
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None and p.stdout.readline().strip() == "held"
    return p


def test_busy_lock_names_its_holder_and_gives_up_after_the_timeout(tmp_path, caplog):
    lock = tmp_path / ".lock"
    p = _holder(lock)
    try:
        owner = read_owner(lock)
        assert owner and owner["pid"] == p.pid and owner["since"]
        t0 = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="workbench"):
            with pytest.raises(TimeoutError) as e:
                with file_lock(lock, timeout=0.5, what="the test store"):
                    pass
        assert 0.4 < time.monotonic() - t0 < 10
        assert f"pid {p.pid}" in str(e.value) and "gave up after 0.5 s" in str(e.value)
        assert any("waiting for the lock of the test store held by" in r.message and f"pid {p.pid}" in r.message
                   for r in caplog.records)
    finally:
        p.kill()
        p.wait()


def test_lock_of_a_killed_process_is_taken_over_with_a_message(tmp_path, caplog):
    lock = tmp_path / ".lock"
    p = _holder(lock, fork_child=True)           # its forked child must not keep the lock alive
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    with caplog.at_level(logging.WARNING, logger="workbench"):
        with file_lock(lock, timeout=5, what="the test store"):
            assert read_owner(lock)["pid"] == os.getpid()
    assert any("took over the lock of the test store" in r.message and f"pid {p.pid}" in r.message
               and "no longer running" in r.message for r in caplog.records)
    assert not owner_path(lock).exists()         # released: nobody holds it


def test_pid_alive():
    assert pid_alive(os.getpid())
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    assert not pid_alive(p.pid)


def test_csv_safe_neutralises_formula_starts_only():
    assert [csv_safe(x) for x in ("=1+1", "+1", "-1", "@A", "\tx", "\rx")] == \
        ["'=1+1", "'+1", "'-1", "'@A", "'\tx", "'\rx"]
    assert [csv_safe(x) for x in ("Seoul", "", None, -1, 2.5)] == ["Seoul", "", None, -1, 2.5]
