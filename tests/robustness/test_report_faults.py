"""``workbench report`` under faults: ``kill -9`` while a notebook runs and while the
index is written, and two runs at once. Each runs the real command in a subprocess
(real kernels, real notebooks) on the seed corpus and one topic, and asserts the exit
status, the messages, that every page stays whole, and that the next run completes
and brings every report and the index up to date.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.files import owner_path, pid_alive, read_owner

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform != "linux", reason="kill -9, SIGSTOP and /proc as on Linux")]

TOPIC = "logistics-sustainment"
PAGES = (f"{TOPIC}.html", "corpus_overview.html", "index.html")


def _env(home: Path) -> dict:
    return {**os.environ, "WORKBENCH_HOME": str(home)}


def _cmd(*extra: str) -> list[str]:
    return [sys.executable, "-m", "workbench", "report", "--topic", TOPIC, "-q", "--jobs", "2", *extra]


def _start(home: Path, log: Path, *extra: str) -> subprocess.Popen:
    """Start a run in the background: its standard error goes to ``log``, its output beside it (``.out``)."""
    with open(log, "w", encoding="utf-8") as err, open(log.with_suffix(".out"), "w", encoding="utf-8") as out:
        return subprocess.Popen(_cmd(*extra), cwd=home, env=_env(home), stdout=out, stderr=err)


def _written(log: Path) -> int:
    """How many reports a finished background run wrote (its closing line)."""
    import re
    m = re.search(r"report\(s\): (\d+) written", log.with_suffix(".out").read_text(encoding="utf-8"))
    assert m, log.with_suffix(".out").read_text(encoding="utf-8")
    return int(m.group(1))


def _run(home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(_cmd(), cwd=home, env=_env(home), capture_output=True, text=True, timeout=300, check=False)


def _wait_for(cond, seconds: float, step: float = 0.02) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return cond()


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                kids = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            out += kids
            todo += kids
    return out


def _holder(reports: Path, name: str) -> int | None:
    owner = read_owner(reports / ".locks" / f"{name}.lock")
    return owner["pid"] if owner else None


def _whole(page: Path) -> bool:
    text = page.read_text(encoding="utf-8")
    return text.lstrip().lower().startswith("<!doctype html") and text.rstrip().endswith("</html>")


def _leftovers(reports: Path) -> list[str]:
    return sorted(str(p.relative_to(reports)) for p in reports.rglob("*")
                  if p.name.endswith(".tmp") or p.parent.name == "tmp" and p.is_file())


def _add_article(home: Path, n: int) -> None:
    """A new article in the store, so every report is due again (our own invented story)."""
    from workbench.store import read_store, write_store
    store = home / "data" / "store"
    recs, ledger = read_store(store)
    new = dict(next(r for r in recs if any(t["topic"] == TOPIC for t in r.get("topics") or [])))
    doc = f"900_added_{n}"
    new.update(doc_id=doc, story_id=doc, source_path=f"data/raw/{doc}.txt",
               title=f"Depot crews restock spare parts, round {n}")
    ledger[new["source_path"]] = {"sha256": f"{n:064d}", "status": "parsed", "doc_ids": [doc], "rejected": []}
    write_store([*recs, new], ledger, store)


def _due_fingerprints(home: Path) -> dict[str, str]:
    from report_support import workbench_home

    from workbench.reports.run import plan
    with workbench_home(home):
        jobs, _, _ = plan([TOPIC])
    return {j.name: j.fingerprint for j in jobs}


def _state(reports: Path, name: str) -> dict:
    from workbench.reports.state import read_state
    return read_state(reports, name)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A project home with the seed corpus and one finished report run."""
    from report_support import copy_data, seed_records

    from workbench.store import write_store
    home = tmp_path_factory.mktemp("report-faults")
    copy_data(home)
    recs = seed_records()
    ledger = {r["source_path"]: {"sha256": "0" * 64, "status": "parsed", "doc_ids": [r["doc_id"]], "rejected": []}
              for r in recs}
    write_store(recs, ledger, home / "data" / "store")
    first = _run(home)
    assert first.returncode == 0 and "2 written" in first.stdout, first.stdout + first.stderr
    return home


@pytest.fixture()
def home(built, tmp_path) -> Path:
    dst = tmp_path / "home"
    shutil.copytree(built, dst, symlinks=True)
    return dst


def test_kill_9_mid_notebook_and_mid_index_then_the_next_run_completes(home, tmp_path):
    reports = home / "reports"
    before = {p: (reports / p).read_bytes() for p in PAGES}
    _add_article(home, 1)

    # 1. kill -9 while the topic notebook runs (papermill has written its first copy of the
    #    executed notebook, which it replaces when done; the report's lock is held)
    p = _start(home, tmp_path / "run1.err")
    running = lambda: list((reports / ".state" / "tmp").glob(f"{TOPIC}.{p.pid}.*.ipynb"))  # noqa: E731
    assert _wait_for(lambda: running() or p.poll() is not None, 120, step=0.005)
    kernels = _descendants(p.pid)
    p.kill()
    p.wait()
    assert running(), "the run ended before it could be killed mid-notebook"
    assert _wait_for(lambda: not any(pid_alive(k) for k in kernels), 15), "a kernel outlived the killed run"
    for page in PAGES:                                  # each page is the previous one or a new whole one
        assert _whole(reports / page), page
    assert (reports / "index.html").read_bytes() == before["index.html"]
    assert _leftovers(reports)                         # the half-run notebook, for the next run to sweep
    assert _holder(reports, TOPIC) == p.pid and not pid_alive(p.pid)       # a lock left by a dead run

    # 2. the next run takes the dead run's lock over; kill -9 it while it writes the index
    q = _start(home, tmp_path / "run2.err")
    index_owner = owner_path(reports / ".locks" / "index.lock")
    assert _wait_for(lambda: index_owner.exists() or q.poll() is not None, 120, step=0.0005)
    q.kill()
    assert q.wait() == -signal.SIGKILL, "the run ended before it could be killed at the index"
    err2 = (tmp_path / "run2.err").read_text(encoding="utf-8")
    assert f"took over the lock of report {TOPIC!r} left by pid {p.pid}" in err2, err2
    assert "no longer running" in err2 and "Traceback" not in err2
    for page in PAGES:
        assert _whole(reports / page), page
    killed_in_index = _holder(reports, "index") == q.pid     # so far, every time (a few ms to hit)

    # 3. the next run completes: up to date reports, an index newer than every state, no leftovers
    r = _run(home)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert "waiting for" not in r.stderr                   # never stuck behind a dead run's lock
    if killed_in_index:
        assert f"took over the lock of report 'index' left by pid {q.pid}" in r.stderr, r.stderr
    due = _due_fingerprints(home)
    for name, fp in due.items():
        st = _state(reports, name)
        assert st["status"] == "ok" and st["fingerprint"] == fp, (name, st)
        assert _whole(reports / f"{name}.html")
    index = reports / "index.html"
    assert _whole(index) and index.read_bytes() != before["index.html"]
    assert all(index.stat().st_mtime_ns >= (reports / ".state" / f"{n}.json").stat().st_mtime_ns for n in due)
    assert _leftovers(reports) == []
    assert not any(owner_path(lock).exists() for lock in (reports / ".locks").glob("*.lock"))
    again = _run(home)
    assert again.returncode == 0 and "0 written, 2 unchanged" in again.stdout, again.stdout


@pytest.mark.parametrize("second", ["skips", "redoes"])
def test_two_runs_at_once_are_serialised_per_report(home, tmp_path, second):
    """B starts while A holds the topic's lock: B waits, naming A; then B finds the report
    up to date (or, with ``--force``, writes it again); both exit 0, the index is current."""
    reports = home / "reports"
    _add_article(home, 2)
    a = _start(home, tmp_path / "a.err")
    try:
        # hold A still while it owns the topic's lock, so B surely meets it
        assert _wait_for(lambda: _holder(reports, TOPIC) == a.pid or a.poll() is not None, 120)
        assert a.poll() is None, "the first run ended before the second started"
        os.kill(a.pid, signal.SIGSTOP)
        b_err = tmp_path / "b.err"
        b = _start(home, b_err, *(["--force"] if second == "redoes" else []))
        waiting = f"waiting for the lock of report {TOPIC!r} held by pid {a.pid}"
        met = _wait_for(lambda: waiting in b_err.read_text(encoding="utf-8") or b.poll() is not None, 120)
    finally:
        os.kill(a.pid, signal.SIGCONT)
    assert a.wait(timeout=300) == 0 and b.wait(timeout=300) == 0
    a_err, b_text = (tmp_path / "a.err").read_text(encoding="utf-8"), b_err.read_text(encoding="utf-8")
    assert met and waiting in b_text, b_text
    assert "Traceback" not in a_err + b_text and "took over" not in a_err + b_text
    b_out = b_err.with_suffix(".out").read_text(encoding="utf-8")
    if second == "skips":       # B found what A had just written up to date: each report was written once
        assert _written(tmp_path / "a.err") + _written(b_err) == 2 and f"unchanged  {TOPIC}" in b_out, b_out
    else:                       # B waited for A, then wrote both again, as --force asks
        assert _written(tmp_path / "a.err") >= 1 and _written(b_err) == 2 and f"ok         {TOPIC}" in b_out, b_out
    due = _due_fingerprints(home)
    for name, fp in due.items():
        st = _state(reports, name)
        assert st["status"] == "ok" and st["fingerprint"] == fp, (name, st)
    index = reports / "index.html"
    assert _whole(index)
    assert all(index.stat().st_mtime_ns >= (reports / ".state" / f"{n}.json").stat().st_mtime_ns for n in due)
    assert _leftovers(reports) == []
    again = _run(home)
    assert again.returncode == 0 and "0 written, 2 unchanged" in again.stdout, again.stdout
