"""Streaming cold ingest (workbench.spool): the store it writes is the one the in-memory
path writes, with spilling and linking in batches forced on a small corpus."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from workbench import pipeline, spool
from workbench.pipeline import ingest
from workbench.store import load_ledger, read_manifest, read_sidecar, read_table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import make_corpus as mc  # noqa: E402  (benchmarks/ is not a package)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A generated corpus with near-copies, plus the five seeds."""
    base = tmp_path_factory.mktemp("corpus")
    mc.generate(150, base, seed=11)
    for p in sorted((ROOT / "data" / "raw").glob("*.txt")):
        shutil.copy(p, base / "raw" / p.name)
    return base / "raw"


def _contents(store: Path) -> tuple:
    """Every partition's rows in stored order, the sidecars, the ledger (file times aside), the manifest's rest."""
    man = read_manifest(store)
    assert man is not None
    parts = {k: read_table(store, partitions=[k], man=man).to_pylist() for k in man["partitions"]}
    side = {k: read_sidecar(store, man, k).to_pylist() for k in man["sidecars"] if k != "ledger"}
    ledger = {k: {f: v for f, v in e.items() if f != "mtime_ns"} for k, e in load_ledger(store).items() if k != "_run"}
    rest = {k: v for k, v in man.items() if k not in ("partitions", "sidecars", "ledger")}
    return parts, side, ledger, rest


def _summary(s) -> tuple:
    return s.parsed, s.documents, s.rejected, s.warnings, s.empty


def test_streamed_cold_ingest_writes_the_store_of_the_in_memory_path(corpus, tmp_path, monkeypatch):
    streamed_ok = []
    real = pipeline._streams
    monkeypatch.setattr(pipeline, "_streams", lambda *a: streamed_ok.append(real(*a)) or streamed_ok[-1])
    monkeypatch.setattr(spool, "SPOOL_ROWS", 4)          # many spill files per partition
    monkeypatch.setattr(spool, "SPOOL_TOTAL", 9)
    monkeypatch.setattr(spool, "MEMBERS_BATCH", 3)       # stories linked a few at a time
    monkeypatch.setattr(spool, "ROW_GROUP", 5)           # partitions assembled and written in many slices
    streamed = ingest([corpus], store=tmp_path / "streamed", jobs=2, progress=False, corrections=False)
    assert streamed_ok == [True]

    monkeypatch.setattr(pipeline, "_streams", lambda *a: False)     # the in-memory path, as before streaming
    whole = ingest([corpus], store=tmp_path / "whole", jobs=2, progress=False, corrections=False)

    assert _summary(streamed) == _summary(whole)
    a, b = _contents(tmp_path / "streamed"), _contents(tmp_path / "whole")
    assert a == b
    stories = [r["link"]["story_id"] for rows in a[0].values() for r in rows]
    assert len(set(stories)) < len(stories)          # some stories of several documents were linked
    assert sum(len(rows) for rows in a[0].values()) == streamed.documents > 150


def test_spill_files_never_outlive_a_run(corpus, tmp_path):
    store = tmp_path / "store"
    ingest([corpus], store=store, jobs=1, progress=False, corrections=False)
    assert not list(store.glob(".spool-*"))
    dead = store / ".spool-0badc0de"                 # as a killed run would leave it
    dead.mkdir()
    (dead / "2019-11.0.arrow").write_bytes(b"partial")
    page = corpus / "000000.txt"
    before = page.read_text(encoding="utf-8")
    page.write_text(before.replace(".", ". Later it was corrected.", 1), encoding="utf-8")
    try:
        s = ingest([corpus], store=store, jobs=1, progress=False, corrections=False)   # an incremental run
    finally:
        page.write_text(before, encoding="utf-8")
    assert s.parsed == 1 and not dead.exists()
