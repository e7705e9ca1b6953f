"""Run safety under faults: ``kill -9`` of an ingest at several points, two ingests at
once, a run blocked past its lock timeout, a full disk. Each runs the real command in
a subprocess and asserts the exit status, the message, and that the store still loads.

Inputs are generated here (our own invented sentences), big ones at test time.
"""
from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.files import file_lock, owner_path, pid_alive, sha256_file
from workbench.store import read_store, store_path

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="kill -9, /proc and RLIMIT_FSIZE as on Linux")

PEOPLE = ["Col. Kim Min-jun", "Adm. Sarah Holt", "Maj. Park Ji-hoon", "Gen. Omar Bell", "Capt. Emily Warren"]
ORGS = ["US Forces Korea", "the Eighth Army", "Hanwha Ocean", "the Ministry of National Defense", "HD Hyundai"]
PLACES = ["Camp Humphreys", "Busan", "Pyeongtaek", "Ulsan", "Geoje", "Jinhae"]
THINGS = ["spare parts", "fuel stocks", "munitions", "repair slots", "dry docks", "convoy routes"]
N_FILES = 70          # over pipeline.PARALLEL_MIN_FILES, so worker processes are used


def _story(seed: int, paragraphs: int = 4) -> str:
    rnd = random.Random(seed)
    paras = [" ".join(f"{rnd.choice(PEOPLE)} met officials of {rnd.choice(ORGS)} in {rnd.choice(PLACES)} on "
                      f"Tuesday to review {rnd.randint(2, 900)} {rnd.choice(THINGS)}, a spokesperson said."
                      for _ in range(rnd.randint(3, 5))) for _ in range(paragraphs)]
    return f"Allies review {rnd.choice(THINGS)} plan number {seed}\n\n" + "\n\n".join(paras) + "\n"


def _corpus(d: Path, n: int, edit: str = "") -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (d / f"story-{i:03d}.txt").write_text(_story(i) + (f"\n{edit}\n" if edit else ""), encoding="utf-8")
    return d


def _cmd(*paths: Path, store: Path, timeout: float = 60, jobs: int = 2) -> list[str]:
    return [sys.executable, "-m", "workbench", "ingest", *map(str, paths), "--store", str(store), "-q",
            "--jobs", str(jobs), "--lock-timeout", str(timeout)]


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def _workers(pid: int) -> list[int]:
    """The run's worker processes: its children, but for a fork server (which outlives its pools)
    the server's children, and not the resource tracker a fork server starts."""
    out = []
    for c in _children(pid):
        try:
            cmd = Path(f"/proc/{c}/cmdline").read_bytes()
        except OSError:
            cmd = b""
        if b"multiprocessing.forkserver" in cmd:
            out += _children(c)
        elif b"multiprocessing.resource_tracker" not in cmd:
            out.append(c)
    return out


def _files(store: Path) -> dict[str, bytes]:
    """Every file of the store folder (manifest, partitions, sidecars; not the lock) and its bytes."""
    return {str(f.relative_to(store)): f.read_bytes() for f in sorted(store.rglob("*"))
            if f.is_file() and not f.name.startswith(".lock")}


def _consistent(store: Path) -> bool:
    """No temporary file left, and every partition file is one the manifest names."""
    import json
    man = json.loads(store_path(store).read_text(encoding="utf-8"))
    named = {v["file"] for v in man["partitions"].values()} | set(man.get("sidecars", {}).values())
    parts = {str(f.relative_to(store)) for f in (store / "parts").glob("*.parquet")}
    return not list(store.rglob("*.tmp")) and parts == named


def _wait_for(cond, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def _kill_at(p: subprocess.Popen, point: str) -> list[int]:
    """``kill -9`` the run at ``point``: "start" (0.3 s in: imports, planning), "parsing" (as soon as
    its worker processes are up), "after-parsing" (once they are gone: linking, analysis, writing).
    Returns the worker pids seen."""
    seen: list[int] = []
    if point == "start":
        time.sleep(0.3)
    deadline = time.monotonic() + 120
    while point != "start" and p.poll() is None and time.monotonic() < deadline:
        kids = _workers(p.pid)
        if kids:
            seen = kids
            if point == "parsing":
                break
        elif seen:                                     # after-parsing: the pool has closed
            break
        time.sleep(0.005)
    p.kill()
    p.wait()
    return seen


def test_kill_9_mid_ingest_leaves_a_loadable_store_and_the_next_run_completes(tmp_path):
    raw, store = _corpus(tmp_path / "raw", N_FILES), tmp_path / "store"
    first = subprocess.run(_cmd(raw, store=store), capture_output=True, text=True, timeout=300, check=False)
    assert first.returncode == 0, first.stderr
    for n, point in enumerate(("start", "parsing", "after-parsing"), 1):
        _corpus(raw, N_FILES, edit=f"Edit {n}: the convoy schedule changed again.")
        p = subprocess.Popen(_cmd(raw, store=store), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers = _kill_at(p, point)
        if point == "parsing":
            assert workers, "the run used no worker processes"
        assert _wait_for(lambda ws=workers: not any(pid_alive(w) for w in ws), 10), "a worker outlived the run"
        records, _ = read_store(store)               # the previous (or the new) store, whole
        assert len(records) == N_FILES
    t1 = time.monotonic()
    last = subprocess.run(_cmd(raw, store=store, timeout=20), capture_output=True, text=True, timeout=300,
                          check=False)
    assert last.returncode == 0 and "Traceback" not in last.stderr, last.stderr
    assert "waiting for" not in last.stderr                         # never stuck behind a dead run's lock
    assert "took over the lock of the store" in last.stderr and "no longer running" in last.stderr
    assert time.monotonic() - t1 < 120
    records, _ = read_store(store)
    assert len(records) == N_FILES
    assert all(r["sha256"] == sha256_file(raw / f"{r['doc_id']}.txt") for r in records)   # the last edit is in
    assert _consistent(store) and not owner_path(store / ".lock").exists()


def test_two_ingests_are_serialised_with_a_waiting_message(tmp_path):
    big = tmp_path / "big"
    big.mkdir()
    text = "".join(_story(i, paragraphs=6) for i in range(2_000))      # ~6 MB of prose, one file
    (big / "huge.txt").write_text(text, encoding="utf-8")
    small = _corpus(tmp_path / "small", 3)
    store = tmp_path / "store"
    a = subprocess.Popen(_cmd(big, store=store, jobs=1), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert _wait_for(lambda: owner_path(store / ".lock").exists() or a.poll() is not None, 60)
        b = subprocess.run(_cmd(small, store=store, timeout=120, jobs=1), capture_output=True, text=True,
                           timeout=300, check=False)
    finally:
        a_out, a_err = a.communicate(timeout=300)
    assert a.returncode == 0 and b.returncode == 0, a_err + b.stderr
    assert "waiting for the lock of the store" in b.stderr and f"pid {a.pid}" in b.stderr, b.stderr
    records, _ = read_store(store)
    ids = {r["doc_id"] for r in records}
    assert ids == {"huge", "story-000", "story-001", "story-002"}
    huge = next(r for r in records if r["doc_id"] == "huge")
    assert any("were analysed" in w for w in huge["warnings"])        # the analysis cap, warned


def test_a_run_blocked_past_its_lock_timeout_gives_up_naming_the_holder(tmp_path):
    raw, store = _corpus(tmp_path / "raw", 2), tmp_path / "store"
    store.mkdir()
    with file_lock(store / ".lock", what="the store"):
        t0 = time.monotonic()
        p = subprocess.run(_cmd(raw, store=store, timeout=1), capture_output=True, text=True, timeout=120,
                           check=False)
    assert p.returncode == 75 and "Traceback" not in p.stderr, p.stderr
    assert "gave up after 1 s waiting for the lock of the store" in p.stderr and f"pid {os.getpid()}" in p.stderr
    assert time.monotonic() - t0 < 60 and not store_path(store).exists()


def _file_size_limit(limit: int):
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


def test_disk_full_is_a_message_and_the_old_store_stays(tmp_path):
    raw, store = _corpus(tmp_path / "raw", 5), tmp_path / "store"
    assert subprocess.run(_cmd(raw, store=store), capture_output=True, timeout=300, check=False).returncode == 0
    before = _files(store)
    smallest = min(len(b) for name, b in before.items() if name.startswith("parts/") and "/_" not in name)
    assert smallest > 4000              # an article partition file: any new one passes the limit below
    _corpus(tmp_path / "more", 12)
    p = subprocess.run(_cmd(raw, tmp_path / "more", store=store), capture_output=True, text=True, timeout=300,
                       check=False, preexec_fn=_file_size_limit(smallest // 2))
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
    assert "no room to write the store" in p.stderr and str(store_path(store)) in p.stderr
    assert "previous store is unchanged" in p.stderr
    assert _files(store) == before and _consistent(store)      # every file as it was, nothing left over


def test_disk_full_during_export_keeps_the_previous_file(tmp_path):
    raw, store = _corpus(tmp_path / "raw", 5), tmp_path / "store"
    assert subprocess.run(_cmd(raw, store=store), capture_output=True, timeout=300, check=False).returncode == 0
    out = tmp_path / "corpus.jsonl"
    out.write_text("previous export\n", encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "workbench", "export", "--store", str(store), "-o", str(out)],
                       capture_output=True, text=True, timeout=120, check=False, preexec_fn=_file_size_limit(2000))
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
    assert f"{out}: no room to write the export" in p.stderr
    assert out.read_text(encoding="utf-8") == "previous export\n" and [q.name for q in tmp_path.glob(".corpus*")] == []
