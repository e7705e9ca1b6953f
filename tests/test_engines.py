"""engines: the Dask engine gives the records the local engine gives, on the same inputs."""
import shutil
from pathlib import Path

import pytest

from workbench.engines import map_files
from workbench.pipeline import ingest
from workbench.store import read_store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "data" / "raw").glob("*.txt"))


def _square(x: int) -> int:
    return x * x


def test_local_engine_keeps_order_in_and_out_of_the_pool():
    assert map_files(_square, list(range(100)), engine="local", jobs=2) == [x * x for x in range(100)]
    assert map_files(_square, [3, 1], engine="local", jobs=2) == [9, 1]


def _pid(x: int) -> tuple[int, int]:
    import os
    return x, os.getpid()


def test_local_workers_are_replaced_after_a_share_of_the_items(monkeypatch):
    """Fresh workers every ``RECYCLE_ITEMS`` (a worker's memory grows with the files it parses);
    results still come in input order, one at a time."""
    from workbench.engines import Engine, local
    monkeypatch.setattr(local, "RECYCLE_ITEMS", 80)
    out = list(Engine("local", 2).imap(_pid, list(range(200))))
    assert [x for x, _ in out] == list(range(200))
    pools = [{pid for _, pid in out[i:i + 80]} for i in (0, 80, 160)]
    assert not pools[0] & pools[1] and not pools[1] & pools[2]


def test_unknown_engine_is_named():
    with pytest.raises(ValueError, match="'spark'"):
        map_files(_square, [1], engine="spark")


def test_dask_engine_gives_the_records_of_the_local_engine(tmp_path):
    pytest.importorskip("distributed")
    raw = tmp_path / "raw"
    raw.mkdir()
    for p in SEEDS:
        shutil.copy(p, raw / p.name)
    (raw / "broken.json").write_text('{"title": "x", ', encoding="utf-8")
    local = ingest([raw], store=tmp_path / "local", progress=False, jobs=2)
    dask = ingest([raw], store=tmp_path / "dask", progress=False, jobs=2, engine="dask")
    assert (dask.parsed, dask.documents, dask.rejected) == (local.parsed, local.documents, local.rejected)
    records = read_store(tmp_path / "local")[0]
    assert read_store(tmp_path / "dask")[0] == records
    assert any(r["story_id"] != r["doc_id"] for r in records)    # a pair confirmed (on the workers for dask)


def test_band_pairs_by_a_dask_shuffle_are_the_local_pairs():
    pytest.importorskip("distributed")
    import numpy as np

    from workbench.analyse.story_index import _pairs_in_runs
    from workbench.engines import open_engine
    rng = np.random.default_rng(1)
    keys = rng.integers(0, 300, 4000).astype(np.uint64)     # many shared keys, runs of 1 to ~30
    docs = rng.integers(0, 900, 4000)
    is_query = np.zeros(900, dtype=bool)
    is_query[600:] = True
    with open_engine("dask", jobs=2) as eng:
        found = eng.pairs_fn()(keys, docs, is_query)
    expected = _pairs_in_runs(keys, docs, is_query)
    assert len(expected) > 1000 and np.array_equal(found, expected)


def _linkable_corpus():
    """Bodies of prose lines in made-up words: stories with edited copies, and pages sharing only
    a furniture block (three lines printed on 14 pages, more than ``FURNITURE_DF``)."""
    import random
    rng = random.Random(7)

    def line(n=14):
        return " ".join("".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))
                        for _ in range(n))
    furniture = "\n".join(line(30) for _ in range(3))
    recs = []
    for s in range(12):
        body = "\n".join(line() for _ in range(8))
        recs.append({"doc_id": f"s{s:02d}", "body": body})
        recs.append({"doc_id": f"s{s:02d}c", "body": body.replace("a", "o", 3) + "\nSubscribe today."})
    for f in range(14):
        recs.append({"doc_id": f"f{f:02d}", "body": furniture + "\n" + line(10)})
    return recs


def test_pairs_confirmed_on_dask_workers_are_the_local_ones(monkeypatch):
    """The exact check on the workers (chunks of pairs, bodies and furniture lines sent along)
    keeps the pairs the local check keeps: copies linked, pages sharing only furniture not."""
    pytest.importorskip("distributed")
    from workbench.analyse.story_index import StoryIndex, sketches
    from workbench.engines import dask as dask_engine
    from workbench.engines import open_engine
    monkeypatch.setattr(dask_engine, "CONFIRM_PAIRS", 7)     # several tasks
    recs = _linkable_corpus()
    local = StoryIndex()
    local.add(sketches(recs), lambda ids: {})
    by_id = sketches(recs)
    with open_engine("dask", jobs=2) as eng:
        on_dask = StoryIndex()
        on_dask.add(sketches(recs), lambda ids: {}, pairs_fn=eng.pairs_fn(), confirm_fn=eng.confirm_fn())
        assert on_dask.edges == local.edges and on_dask.checked == local.checked
        assert ("s03", "s03c") in local.edges and not any(a.startswith("f") for a, _ in local.edges)
        assert len(local.edges) == 12
        # two pages gone: the block is on 12 pages, story text again, and the other 12 are judged again
        local.remove(["f00", "f01"], lambda ids: {d: by_id[d] for d in ids})
        on_dask.remove(["f00", "f01"], lambda ids: {d: by_id[d] for d in ids}, confirm_fn=eng.confirm_fn())
    assert on_dask.edges == local.edges and len(local.edges) == 12 + 66


def test_dask_engine_writes_a_store_at_an_fsspec_url(tmp_path):
    """``ingest --engine dask`` to a store at a URL (``memory://``: no network): the local records."""
    pytest.importorskip("distributed")
    import uuid
    url = f"memory://wb-{uuid.uuid4().hex}/store"
    local = ingest([ROOT / "data" / "raw"], store=tmp_path / "local", progress=False)
    dask = ingest([ROOT / "data" / "raw"], store=url, progress=False, jobs=2, engine="dask")
    assert (dask.store, dask.documents) == (url, local.documents)
    assert read_store(url)[0] == read_store(tmp_path / "local")[0]
