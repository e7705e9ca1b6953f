"""``reports.state.sweep_temporaries`` and ``reports.index.index_stale``: what a run
killed with ``kill -9`` leaves, and how the next run knows to clean up and re-index.
The end-to-end kills are in ``tests/robustness/test_report_faults.py``."""
from __future__ import annotations

import os
from pathlib import Path

from workbench.files import atomic_write
from workbench.reports.index import index_stale
from workbench.reports.state import sweep_temporaries, write_state


def _touch(p: Path) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text("x", encoding="utf-8")
    return p


def test_sweep_removes_only_the_temporaries_of_that_report(tmp_path):
    rep = tmp_path
    mine = [_touch(rep / ".alpha.html.k2j4_x9q.tmp"), _touch(rep / ".state" / ".alpha.json.a1b2c3d4.tmp"),
            _touch(rep / ".state" / ".alpha.pending.json.zz99yy88.tmp"),
            _touch(rep / ".locks" / ".alpha.lock.owner.qwe_rty1.tmp"),
            _touch(rep / ".state" / "tmp" / "alpha.4242.139871234.ipynb")]
    others = [_touch(rep / ".alpha_range_2026-01-01_to_latest.html.k2j4_x9q.tmp"),
              _touch(rep / ".alpha_new_2026-11-30.html.abcdefgh.tmp"),
              _touch(rep / ".state" / "tmp" / "alpha_range_start_to_2026-02-01.4242.1.ipynb"),
              _touch(rep / ".index.html.abcdefgh.tmp"), _touch(rep / "alpha.html"),
              _touch(rep / ".state" / "alpha.json"), _touch(rep / ".locks" / "alpha.lock")]
    assert sorted(sweep_temporaries(rep, "alpha")) == sorted(mine)
    assert not any(p.exists() for p in mine) and all(p.exists() for p in others)
    assert sweep_temporaries(rep, "alpha") == []
    assert sweep_temporaries(rep, "index") == [rep / ".index.html.abcdefgh.tmp"]


def test_a_real_atomic_write_temporary_matches_the_sweep(tmp_path):
    """The names the sweep looks for are the names ``atomic_write`` really uses."""
    import tempfile
    fd, name = tempfile.mkstemp(prefix=".beta.html.", suffix=".tmp", dir=tmp_path)   # as atomic_writer makes it
    os.close(fd)
    assert sweep_temporaries(tmp_path, "beta") == [Path(name)]


def test_the_index_is_stale_when_missing_or_older_than_a_state(tmp_path):
    rep = tmp_path
    assert index_stale(rep)                                  # no index yet
    write_state(rep, "alpha", {"status": "ok"})
    index = atomic_write(rep / "index.html", "<!doctype html><html></html>")
    os.utime(rep / ".state" / "alpha.json", ns=(1, 1))
    assert not index_stale(rep)
    atomic_write(rep / ".state" / "alpha.pending.json", "{}")   # pending content is not a finished run
    os.utime(index, ns=(10**9, 10**9))
    os.utime(rep / ".state" / "alpha.json", ns=(1, 1))
    assert not index_stale(rep)
    os.utime(rep / ".state" / "alpha.json", ns=(2 * 10**9, 2 * 10**9))   # a report finished after the index
    assert index_stale(rep)
