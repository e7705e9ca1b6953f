"""explore.cache: the explorer's corpus cached beside the store equals ``store.load_corpus``,
and a cache is never read for another state of the store."""
from __future__ import annotations

import pandas as pd
from test_explore_columns import _articles

from workbench.explore.cache import CACHE_DIR, cache_key, cached_frame
from workbench.store import load_corpus, write_store


def test_cached_frame_equals_load_corpus_and_follows_the_store(tmp_path):
    s = tmp_path / "s"
    arts = _articles(3)
    write_store(arts, {}, s)
    first = cached_frame(s)                                   # read, then cached
    (cache,) = (s / CACHE_DIR).glob("frame-*.arrow")
    assert cache.name == f"frame-{cache_key(s)}.arrow"
    pd.testing.assert_frame_equal(first, load_corpus(s))
    pd.testing.assert_frame_equal(cached_frame(s), load_corpus(s))   # from the cache
    arts[0].title = "A new title"                             # the store changes: a new state, a new cache
    write_store(arts, {}, s)
    again = cached_frame(s)
    pd.testing.assert_frame_equal(again, load_corpus(s))
    assert again.loc[arts[0].doc_id, "title"] == "A new title"
    assert [p.name for p in (s / CACHE_DIR).glob("frame-*.arrow")] == [f"frame-{cache_key(s)}.arrow"]


def test_a_damaged_cache_is_not_trusted_and_no_store_reads_empty(tmp_path):
    s = tmp_path / "s"
    write_store(_articles(1), {}, s)
    cached_frame(s, write=False)
    assert not (s / CACHE_DIR).exists()
    (s / CACHE_DIR).mkdir()
    (s / CACHE_DIR / f"frame-{cache_key(s)}.arrow").write_bytes(b"ARROW1 not really")
    pd.testing.assert_frame_equal(cached_frame(s), load_corpus(s))
    pd.testing.assert_frame_equal(cached_frame(tmp_path / "none"), load_corpus(tmp_path / "none"))
