"""story_index: the persisted index links as the whole-corpus linker does, batch or one at a time."""
import random

from workbench.analyse.stories import _groups, duplicate_pairs
from workbench.analyse.story_index import StoryIndex, from_tables, sketches, to_tables

WORDS = ("convoy depot barge pier crane fuel ammunition ration truck rail yard ship hangar runway "
         "inspection schedule contract tender exercise drill maintenance spare part inventory audit").split()


def _corpus(n_stories=30, seed=3):
    """Bodies in made-up words: stories, their lightly edited copies, and copies with extra lines."""
    rng = random.Random(seed)
    recs = []
    for s in range(n_stories):
        body = " ".join(rng.choice(WORDS) + str(rng.randint(0, 999)) for _ in range(120))
        recs.append({"doc_id": f"s{s:02d}", "body": body})
        if s % 3 == 0:      # a copy with one word changed and a footer
            words = body.split()
            words[40] = "edited"
            recs.append({"doc_id": f"s{s:02d}c", "body": " ".join(words) + " Subscribe to our newsletter today."})
        if s % 5 == 0:      # a copy cut to its first 70 %
            recs.append({"doc_id": f"s{s:02d}t", "body": " ".join(body.split()[:84])})
    recs.append({"doc_id": "short", "body": "too short to link"})
    return recs


def _stories(index, recs):
    return index.stories(r["doc_id"] for r in recs)


def test_index_finds_the_groups_of_the_whole_corpus_linker():
    recs = _corpus()
    index = StoryIndex()
    index.add(sketches(recs), lambda ids: {})
    expected = _groups([r["doc_id"] for r in recs], duplicate_pairs(recs))
    assert _stories(index, recs) == expected
    assert expected["s00c"] == expected["s00t"] == "s00" and expected["s01"] == "s01"


def test_adding_one_at_a_time_through_the_stored_tables_ends_where_one_batch_does():
    recs = _corpus()
    batch = StoryIndex()
    batch.add(sketches(recs), lambda ids: {})
    by_id = {r["doc_id"]: r for r in recs}
    index = StoryIndex()
    for r in random.Random(5).sample(recs, len(recs)):
        index = from_tables(*to_tables(index))           # as the store keeps it between runs
        index.add(sketches([r]), lambda ids: sketches([by_id[d] for d in ids]))
    assert _stories(index, recs) == _stories(batch, recs)


def test_a_compacted_index_counts_the_same_lines_and_links_on_as_before():
    recs = _corpus()
    recs = [{"doc_id": f"f{r['doc_id']}", "body": r["body"][:300] + "\n" + " ".join(WORDS[:12])}
            for r in recs[:20]] + recs          # a line printed by several documents
    by_id = {r["doc_id"]: r for r in recs}
    kept, compacted = StoryIndex(), StoryIndex()
    for index in (kept, compacted):
        index.add(sketches(recs[:30]), lambda ids: {})
    before = kept.df.as_dict()
    assert any(n > 1 for n in before.values())
    compacted.compact()
    assert not compacted.df.delta and compacted.df == before
    for index in (kept, compacted):
        index.add(sketches(recs[30:]), lambda ids: sketches([by_id[d] for d in ids]))
    assert compacted.df == kept.df.as_dict() and compacted.edges == kept.edges


def test_removing_a_document_drops_its_edges_and_its_story_id():
    recs = _corpus()
    index = StoryIndex()
    index.add(sketches(recs), lambda ids: {})
    assert index.component(["s00t"]) == {"s00", "s00c", "s00t"}
    by_id = {r["doc_id"]: r for r in recs}
    assert index.remove(["s00"], lambda ids: sketches([by_id[d] for d in ids])) == {"s00c", "s00t"}
    assert index.stories(["s00c", "s00t"]) == {"s00c": "s00c", "s00t": "s00c"}   # still copies of each other
    assert "s00" not in index.ids and not any("s00" in e for e in index.edges)


def test_judging_a_chunk_from_bodies_and_furniture_lines_keeps_the_index_pairs():
    """``judge_chunk`` (what a Dask worker runs, without the index) keeps the pairs the index keeps."""
    from workbench.analyse.story_index import FURNITURE_DF, judge_chunk
    recs = _corpus()
    index = StoryIndex()
    index.add(sketches(recs), lambda ids: {})
    sk = sketches(recs)
    ids = sorted(sk)
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    docs = {d: (sk[d].body, [h for h in sk[d].lines.tolist() if index.df.get(h, 0) > FURNITURE_DF]) for d in ids}
    found, checked = judge_chunk(pairs, docs, 0.8)
    assert set(found) == index.edges and len(found) >= 10 and checked >= len(found)


def _pairs_one_run_at_a_time(keys, docs, is_query, max_run):
    """The pairs ``_pairs_in_runs`` must give, found the plain way: a dict of runs, a set of pairs."""
    runs: dict[int, list[int]] = {}
    for k, d in zip(keys.tolist(), docs.tolist()):
        runs.setdefault(k, []).append(d)
    out = set()
    for members in runs.values():
        if len(members) > max_run or not any(is_query[d] for d in members):
            continue
        for i, x in enumerate(members):
            for y in members[i + 1:]:
                if x != y and (is_query[x] or is_query[y]):
                    out.add((min(x, y), max(x, y)))
    return sorted(out)


def test_band_runs_paired_in_one_step_per_run_size_are_the_pairs_of_each_run():
    import numpy as np

    from workbench.analyse.story_index import MAX_RUN, _pairs_in_runs
    rng = np.random.default_rng(5)
    for n_keys, n_docs, rows, query_from in ((40, 300, 1800, 0), (400, 900, 4000, 600), (5, 60, 20, 30)):
        keys = rng.integers(0, n_keys, rows).astype(np.uint64)    # runs of 1 to over MAX_RUN, a doc twice in some
        docs = rng.integers(0, n_docs, rows)
        is_query = np.zeros(n_docs, dtype=bool)
        is_query[query_from:] = True
        got = _pairs_in_runs(keys, docs, is_query)
        assert got.dtype == np.int64 and got.shape[1] == 2
        assert [tuple(p) for p in got.tolist()] == _pairs_one_run_at_a_time(keys, docs, is_query, MAX_RUN)
    assert _pairs_in_runs(keys[:0], docs[:0], is_query).shape == (0, 2)
