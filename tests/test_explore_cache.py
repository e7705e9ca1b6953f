"""explore.cache: the explorer's corpus cached beside the store, per partition, equals
``store.load_corpus`` and its index ``build_index``'s; a file is never read for another state of
its partition, and a damaged one is rebuilt."""
from __future__ import annotations

import pandas as pd
from test_explore_columns import _articles

from workbench.explore.cache import CACHE_DIR, _parts, cached_corpus, cached_frame, cached_index, part_id, warm
from workbench.explore.query import build_index
from workbench.store import load_corpus, write_store


def _files(s) -> list[str]:
    return sorted(p.name for p in (s / CACHE_DIR).glob("*.arrow"))


def _wanted(s) -> list[str]:
    """The cache files of the store's current partitions."""
    return sorted(f"{kind}-{part_id(p)}.arrow" for _, p in _parts(s) for kind in ("index", "rows"))


def test_cached_frame_equals_load_corpus_and_follows_the_store(tmp_path):
    s = tmp_path / "s"
    arts = _articles(3)
    write_store(arts, {}, s)
    assert len(_parts(s)) > 1                                 # several partitions, one pair of files each
    first = cached_frame(s)                                   # read, then cached
    assert _files(s) == _wanted(s)
    pd.testing.assert_frame_equal(first, load_corpus(s))
    pd.testing.assert_frame_equal(cached_frame(s), load_corpus(s))   # from the cache
    arts[0].title = "A new title"                             # the store changes: new partition files
    write_store(arts, {}, s)
    again = cached_frame(s)
    pd.testing.assert_frame_equal(again, load_corpus(s))
    assert again.loc[arts[0].doc_id, "title"] == "A new title"
    assert _files(s) == _wanted(s)                            # the old partitions' files gone


def test_damaged_or_stale_cache_files_are_rebuilt_never_shown(tmp_path):
    import os
    import shutil
    s = tmp_path / "s"
    write_store(_articles(3), {}, s)
    cached_frame(s, write=False)
    assert not (s / CACHE_DIR).exists()
    want = load_corpus(s)
    cached_frame(s)
    (a, pa_), (b, pb) = _parts(s)[:2]
    rows_a = s / CACHE_DIR / f"rows-{part_id(pa_)}.arrow"
    rows_b = s / CACHE_DIR / f"rows-{part_id(pb)}.arrow"
    rows_a.write_bytes(b"ARROW1 not really")                          # damaged
    shutil.copy(s / CACHE_DIR / f"index-{part_id(pa_)}.arrow", rows_b)  # another file under its name
    for _ in range(2):                                                 # rebuilt, then read back
        pd.testing.assert_frame_equal(cached_frame(s), want)
        same_index(cached_index(s), build_index(want))
    assert rows_a.read_bytes() != b"ARROW1 not really"
    data = rows_a.read_bytes()
    rows_a.write_bytes(data[: len(data) // 2])                         # truncated
    pd.testing.assert_frame_equal(cached_frame(s), want)
    old = part_id(pa_)                                                 # the partition file changed in place
    st_ = os.stat(pa_)
    os.utime(pa_, ns=(st_.st_atime_ns, st_.st_mtime_ns + 10**9))
    assert part_id(pa_) != old
    pd.testing.assert_frame_equal(cached_frame(s), want)
    assert _files(s) == _wanted(s)
    pd.testing.assert_frame_equal(cached_frame(tmp_path / "none"), load_corpus(tmp_path / "none"))


def test_warm_makes_only_the_missing_partitions_files(tmp_path):
    s = tmp_path / "s"
    arts = _articles(3)
    write_store(arts, {}, s)
    n = len(_parts(s))
    assert warm(s) == n and _files(s) == _wanted(s)
    assert warm(s) == 0
    (s / CACHE_DIR / f"index-{part_id(_parts(s)[1][1])}.arrow").unlink()    # one partition's: made again
    assert warm(s) == 1 and _files(s) == _wanted(s)
    arts[0].title = "A new title"
    write_store(arts, {}, s)
    assert warm(s) == n and _files(s) == _wanted(s)
    same_index(cached_index(s), build_index(load_corpus(s)))
    assert warm(tmp_path / "none") == 0


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

    from workbench.explore.widget import explorer
    for name, records in (("seed", seed_records()), ("generated", _articles(30))):
        s = tmp_path / name
        write_store(records, {}, s)
        want = build_index(load_corpus(s))
        for _ in range(2):                                     # read then cached, then from the cache
            frame, texts = cached_corpus(s)
            same_index(build_index(frame, text_lc=texts), want)
        same_index(explorer(store=s).index, want)


def test_the_merged_index_of_the_partitions_equals_build_index(tmp_path):
    """Stories across partitions, corrections, no events, no rows: the index put together from
    the partitions' own (``indexmerge``) is ``build_index``'s of the whole corpus."""
    from seed_data import seed_records
    for name, records in (("seed", seed_records()), ("copies", seed_records(copies=4)),
                          ("generated", _articles(30)), ("empty", [])):
        s = tmp_path / name
        write_store(records, {}, s)
        want = build_index(load_corpus(s))
        same_index(cached_index(s), want)                       # built, then cached
        assert _files(s) == _wanted(s)
        same_index(cached_index(s), want)                       # read back
        same_index(cached_index(s, write=False), want)


def test_the_explorer_of_a_store_at_an_fsspec_url_is_the_explorer_of_the_folder(tmp_path):
    """A store at a URL (``memory://``: no network) is read column by column through fsspec;
    no cache file is written beside it (the index is built at each start)."""
    import uuid

    from seed_data import seed_records

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

    from workbench.explore.query import Filters, filter_corpus
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
