"""explore.cache: the explorer's corpus cached beside the store equals ``store.load_corpus``,
and a cache is never read for another state of the store."""
from __future__ import annotations

import pandas as pd
from test_explore_columns import _articles

from workbench.explore.cache import CACHE_DIR, cache_key, cached_corpus, cached_frame
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


def same_index(a, b) -> None:
    """Two ``CorpusIndex`` equal field by field."""
    import numpy as np
    pd.testing.assert_frame_equal(a.frame, b.frame)
    pd.testing.assert_frame_equal(a.events, b.events)
    texts = [t if isinstance(t, list) else t.to_pylist() for t in (a.text_lc, b.text_lc)]   # Arrow: the cache's
    assert texts[0] == texts[1] and a.pairs == b.pairs
    for f in ("published", "source", "story", "quality", "order", "pair_row", "pair_id"):
        x, y = getattr(a, f), getattr(b, f)
        assert x.dtype == y.dtype and pd.Series(x).equals(pd.Series(y)), f      # NaT where NaT
    for f in ("topic_rows", "entity_rows"):
        x, y = getattr(a, f), getattr(b, f)
        assert list(x) == list(y) and all(np.array_equal(x[k], y[k]) for k in x), f
    assert (a.entity_names, a.entity_kind) == (b.entity_names, b.entity_kind)


def test_the_explorers_index_from_the_cache_equals_build_index_of_load_corpus(tmp_path):
    from seed_data import seed_records

    from workbench.explore.query import build_index
    from workbench.explore.widget import explorer
    for name, records in (("seed", seed_records()), ("generated", _articles(30))):
        s = tmp_path / name
        write_store(records, {}, s)
        want = build_index(load_corpus(s))
        for _ in range(2):                                     # read then cached, then from the cache
            frame, texts = cached_corpus(s)
            same_index(build_index(frame, text_lc=texts), want)
        same_index(explorer(store=s).index, want)


def test_the_index_is_cached_beside_the_frame_and_read_back_equal(tmp_path):
    from seed_data import seed_records

    from workbench.explore.cache import _read, cached_index
    from workbench.explore.indexcache import index_of_table
    from workbench.explore.query import build_index
    for name, records in (("seed", seed_records()), ("generated", _articles(30)), ("empty", [])):
        s = tmp_path / name
        write_store(records, {}, s)
        want = build_index(load_corpus(s))
        same_index(cached_index(s), want)                       # built, then cached
        (idx,) = (s / CACHE_DIR).glob("index-*.arrow")
        assert idx.name == f"index-{cache_key(s)}.arrow"
        same_index(cached_index(s), want)                       # read back
        frame, texts = cached_corpus(s)
        read_back = index_of_table(frame, texts, _read(idx))
        assert read_back is not None                            # from the file, not rebuilt
        same_index(read_back, want)
    s = tmp_path / "generated"
    (s / CACHE_DIR / f"index-{cache_key(s)}.arrow").write_bytes(b"ARROW1 not really")   # damaged: rebuilt
    same_index(cached_index(s), build_index(load_corpus(s)))


def test_the_explorer_of_a_store_at_an_fsspec_url_is_the_explorer_of_the_folder(tmp_path):
    """A store at a URL (``memory://``: no network) is read column by column through fsspec;
    no cache file is written beside it (the index is built at each start)."""
    import uuid

    from seed_data import seed_records

    from workbench.explore.query import build_index
    from workbench.explore.widget import explorer
    url = f"memory://wb-{uuid.uuid4().hex}/store"
    write_store(seed_records(), {}, url)
    write_store(seed_records(), {}, tmp_path / "s")
    want = build_index(load_corpus(tmp_path / "s"))
    frame, texts = cached_corpus(url)
    assert frame.equals(load_corpus(tmp_path / "s"))
    same_index(explorer(store=url).index, want)
    import fsspec
    assert not fsspec.filesystem("memory").glob(f"{url[len('memory://'):]}/{CACHE_DIR}*")


def test_a_cached_index_keeps_its_lists_in_arrow_until_rows_are_asked_for(tmp_path):
    import numpy as np
    from seed_data import seed_records

    from workbench.explore.cache import cached_index
    from workbench.explore.query import Filters, build_index, filter_corpus
    s = tmp_path / "s"
    write_store(seed_records(copies=4), {}, s)
    want = build_index(load_corpus(s))
    cached_index(s)                                              # built, then cached
    idx = cached_index(s)                                        # read back: lists still Arrow
    assert "people" in idx.lazy and isinstance(idx.base["people"].dtype, pd.ArrowDtype)
    n = len(want)
    for pos in (np.array([3, 0], dtype=np.int64), np.zeros(0, dtype=np.int64), np.arange(n)[::-1]):
        pd.testing.assert_frame_equal(idx.rows(pos), want.frame.iloc[pos])
    assert idx.lazy                                              # a few rows made only their lists
    for f in (Filters(text="submarine"), Filters(include_copies=True), Filters(text="zz-none")):
        pd.testing.assert_frame_equal(filter_corpus(idx, f), filter_corpus(want, f))
    pd.testing.assert_frame_equal(idx.frame, want.frame)         # the whole frame: every list made
    assert not idx.lazy
