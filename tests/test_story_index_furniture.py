"""story_index on an archive dominated by site templates: furniture is no copy evidence,
stories do not grow through chains, and an incremental index ends where a cold one does."""
import random

import numpy as np

from workbench.analyse.story_index import (
    FURNITURE_DF,
    PROSE_WORDS,
    StoryIndex,
    _stories_of,
    from_tables,
    line_hashes,
    sketches,
    to_tables,
)

VOCAB = [f"{a}{b}" for a in ("con", "dep", "bar", "pie", "cra", "fue", "amm", "rat", "tru", "rai", "yar", "shi")
         for b in ("vo", "ot", "ge", "er", "ne", "el", "mo", "io", "ck", "il", "rd", "ip", "ar", "an")]


def _sentence(rng, n=18):
    return " ".join(rng.choice(VOCAB) for _ in range(n)) + "."


def _furniture(rng, long_lines):
    """A template's furniture: ``long_lines`` long ones (author box, comment thread, related
    list: the same on every page of the site) and a few short ones (menu, byline)."""
    long = [_sentence(rng, rng.randint(16, 24)) for _ in range(long_lines)]
    short = [" ".join(rng.choice(VOCAB) for _ in range(rng.randint(2, PROSE_WORDS - 1))) for _ in range(4)]
    return long + short


def _archive(seed=1, pages=FURNITURE_DF + 8, clean=2, copies=4):
    """Pages of one untidy site (``pages`` short stories, each above 8 long furniture lines the
    cleaner kept: over 80 % of every body is the site's) and of ``clean`` tidy sites (three
    paragraphs above short lines only); ``copies`` tidy stories copied onto the other tidy
    site and onto the untidy one."""
    rng = random.Random(seed)
    untidy = _furniture(rng, 8)
    tidy = [_furniture(rng, 0) for _ in range(clean)]
    recs = [{"doc_id": f"u{p:03d}", "body": "\n\n".join([_sentence(rng) + " " + _sentence(rng)] + untidy)}
            for p in range(pages)]
    stories = {}
    for s in range(clean):
        for p in range(pages // 2):
            stories[f"t{s}-{p:03d}"] = [_sentence(rng) + " " + _sentence(rng) for _ in range(3)]
            recs.append({"doc_id": f"t{s}-{p:03d}", "body": "\n\n".join(stories[f"t{s}-{p:03d}"] + tidy[s])})
    for c, src in enumerate(rng.sample(sorted(stories), copies)):
        other = tidy[(int(src[1]) + 1) % clean]
        recs.append({"doc_id": f"c{c}", "body": "\n\n".join(stories[src] + other), "src": src})
        recs.append({"doc_id": f"d{c}", "body": "\n\n".join(stories[src] + untidy), "src": src})
    return recs


def _cold(recs):
    index = StoryIndex()
    index.add(sketches(recs), lambda ids: {})
    return index


def test_pages_of_one_template_are_not_copies_but_a_syndicated_copy_is():
    recs = _archive()
    story = _cold(recs).stories(r["doc_id"] for r in recs)
    for r in recs:
        if "src" in r:
            assert story[r["doc_id"]] == story[r["src"]]
    groups: dict = {}
    for d, s in story.items():
        groups.setdefault(s, []).append(d)
    assert sorted(len(g) for g in groups.values() if len(g) > 1) == [3] * 4   # each story with its two copies


def test_the_same_pages_are_linked_while_their_site_is_small():
    """Below ``FURNITURE_DF`` pages a long furniture line is story text: pages whose short story
    sits above the same long furniture are copies then (as the old linker found at any size)."""
    recs = _archive(pages=4, copies=0)
    story = _cold(recs).stories(r["doc_id"] for r in recs)
    assert len({story[r["doc_id"]] for r in recs if r["doc_id"].startswith("u")}) < 4


def test_a_chain_of_single_pairs_does_not_make_one_story():
    adj = {"a": {"b"}, "b": {"a", "c"}, "c": {"b", "d"}, "d": {"c"}}
    assert _stories_of(["a", "b", "c", "d"], adj) == {"a": "a", "b": "a", "c": "c", "d": "c"}
    clique = {x: {"a", "b", "c"} - {x} for x in "abc"}
    assert set(_stories_of(["a", "b", "c"], clique).values()) == {"a"}


def test_line_hashes_skip_short_lines_and_digits():
    long = "the convoy reached the depot at 0400 after a drill on the rail yard near the pier"
    assert len(line_hashes("Home | News\n" + long)) == 1
    assert (line_hashes(long) == line_hashes(long.replace("0400", "0515"))).all()


def _updates(recs, seed):
    """Random batches of additions and removals over ``recs``, ending with all of them present."""
    rng = random.Random(seed)
    order = rng.sample(recs, len(recs))
    present: list = []
    steps = []
    while order:
        batch = [order.pop() for _ in range(min(len(order), rng.randint(1, 9)))]
        gone = rng.sample(present, min(len(present), rng.randint(0, 3)))
        steps.append((gone, batch))
        present = [r for r in present if r not in gone] + batch
        order += gone               # removed pages come back later
    return steps


def test_an_incremental_index_ends_where_a_cold_one_does():
    """Additions and removals in batches, through the stored tables, with line counts
    crossing ``FURNITURE_DF`` both ways on the way: the same pairs and stories as a cold run."""
    recs = _archive(seed=2)
    by_id = {r["doc_id"]: r for r in recs}

    def sketch_of(ids):
        return sketches([by_id[d] for d in ids])

    for seed in (3, 4):
        index = StoryIndex()
        for gone, batch in _updates(recs, seed):
            index = from_tables(*to_tables(index))
            index.remove([r["doc_id"] for r in gone], sketch_of)
            index.add(sketches(batch), sketch_of)
        cold = _cold(recs)
        assert index.edges == cold.edges and index.df == cold.df
        ids = [r["doc_id"] for r in recs]
        assert index.stories(ids) == cold.stories(ids)


def test_a_site_growing_past_the_count_unlinks_its_pages_and_says_which():
    recs = _archive(pages=FURNITURE_DF + 1, clean=1, copies=0)[:FURNITURE_DF + 1]
    by_id = {r["doc_id"]: r for r in recs}
    index = _cold(recs[:-1])
    assert index.edges                                 # the furniture still counts as story text
    touched = index.add(sketches(recs[-1:]), lambda ids: sketches([by_id[d] for d in ids]))
    assert not index.edges and touched
    assert touched <= {r["doc_id"] for r in recs[:-1]}
    back = index.remove([recs[-1]["doc_id"]], lambda ids: sketches([by_id[d] for d in ids]))
    assert index.edges == _cold(recs[:-1]).edges and back


def test_tables_keep_the_line_hashes_and_counts():
    recs = _archive(pages=4)
    index = _cold(recs)
    again = from_tables(*to_tables(index))
    assert again.df == index.df and again.edges == index.edges and again.ids == index.ids
    assert all((a == b).all() for a, b in zip(again.lines, index.lines))
    assert all(x.dtype == np.uint64 for x in again.lines)


def test_a_band_value_shared_by_a_whole_template_gives_no_pairs():
    from workbench.analyse.story_index import MAX_RUN, _pairs_in_runs
    n = MAX_RUN + 1                      # one band value on every page of a site, three pages of a story
    keys = np.array([7] * n + [9] * MAX_RUN + [11] * 3, dtype=np.uint64)
    docs = np.concatenate([np.arange(n), np.arange(n, n + MAX_RUN), np.arange(n + MAX_RUN, n + MAX_RUN + 3)])
    pairs = _pairs_in_runs(keys, docs, np.ones(n + MAX_RUN + 3, dtype=bool))
    assert not np.isin(pairs, np.arange(n)).any()                     # the template's run is skipped
    assert len(pairs) == MAX_RUN * (MAX_RUN - 1) // 2 + 3             # a run of MAX_RUN is still paired
