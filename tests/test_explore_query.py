"""query: the explorer's filtering, events, co-occurrence, highlighting and export,
on a corpus built from the hand-labelled seed articles (data/gold/seeds.json)."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from seed_data import seed_corpus, seed_records

from workbench.explore import query as q
from workbench.explore.export import write_csv
from workbench.explore.highlight import article_spans, highlight
from workbench.explore.query import Filters, build_index, filter_corpus, filter_positions
from workbench.record import empty_record
from workbench.store import load_corpus, write_store

D0, D1, D2, D3, D4 = ("000_329d62e74b5381aa", "001_6007161c3ca6bdf9", "002_13870656a1d7a076",
                      "003_b690a855f5fdafe1", "004_ea56c1c4bcc3f02c")


@pytest.fixture(scope="module")
def corpus():
    return seed_corpus()


@pytest.fixture(scope="module")
def idx(corpus):
    return build_index(corpus)


def ids(index, **kw):
    return list(filter_corpus(index, Filters(**kw))["doc_id"])


def test_seed_corpus_has_the_contract_shape(corpus):
    assert len(corpus) == 5 and corpus.index.tolist() == corpus["doc_id"].tolist()
    assert pd.api.types.is_datetime64_any_dtype(corpus["published"])
    r = corpus.loc[D0]
    assert {"name", "aliases", "mentions"} <= set(r["organizations"][0])
    assert {"topic", "score", "evidence"} <= set(r["topics"][0]) and r["topics"][0]["evidence"]
    assert r["events"][0]["date"] == "2025-06-09" and r["events"][0]["participants"] == ["Kim Myung Soo", "Randall Reed"]  # noqa: E501
    assert corpus.loc[D1, "story_id"] == corpus.loc[D2, "story_id"]


def test_index_lists_choices(idx):
    assert idx.topics == sorted(idx.topics) and "mro-shipbuilding" in idx.topics and "inter-korean" not in idx.topics
    assert idx.sources[-1] == q.UNKNOWN_SOURCE and {"BEMIL", "Caliber.az", "IANS (agency)"} <= set(idx.sources)
    assert "Randall Reed" in idx.names and "US Transportation Command" in idx.names
    assert idx.entity_kind["randall reed"] == "person" and idx.entity_kind["us forces korea"] == "organization"


def test_no_filters_folds_copies_and_orders_newest_first(idx):
    # 001 and 002 are one story: 001 represents it (it has a title); undated last
    assert ids(idx) == [D3, D1, D4, D0]
    assert ids(idx, include_copies=True) == [D3, D2, D1, D4, D0]
    assert q.hidden_copies(idx, Filters()) == 1
    assert filter_corpus(idx, Filters()).loc[D1, "copies"] == 1


def test_topic_filter(idx):
    assert set(ids(idx, topics="transport-deployment")) == {D0}
    assert set(ids(idx, topics=("transport-deployment", "trade-industry"), include_copies=True)) == {D0, D1, D2}
    assert ids(idx, topics="no-such-topic") == []


def test_date_range_is_inclusive_and_drops_undated_unless_asked(idx):
    assert ids(idx, since="2026-02-12") == [D3]
    assert ids(idx, since=dt.date(2026, 2, 11), until=dt.date(2026, 2, 11), include_copies=True) == [D2, D1]
    assert ids(idx, until="2026-02-13", include_undated=True) == [D1, D4, D0]
    assert ids(idx, since="2027-01-01") == []


def test_outlet_filter_uses_the_source_label(idx):
    assert ids(idx, outlets="BEMIL") == [D0]
    assert ids(idx, outlets="IANS (agency)", include_copies=True) == [D2, D1]
    assert ids(idx, outlets=q.UNKNOWN_SOURCE) == [D4]


def test_folding_keeps_the_matching_copy(corpus):
    # a copy that alone matches the filter must not vanish behind its story's representative
    c = corpus.copy()
    c.loc[D2, "outlet"] = "Yonhap"
    index = build_index(c)
    assert ids(index, outlets="Yonhap") == [D2]
    assert ids(index) == [D3, D1, D4, D0]


def test_entity_filter_exact_case_insensitive_and_partial(idx):
    assert ids(idx, entity="Randall Reed") == [D0]
    assert ids(idx, entity="randall reed") == [D0]
    assert ids(idx, entity="  US Transportation Command ") == [D0]
    assert ids(idx, entity="Simerly", include_copies=True) == [D2, D1]      # partial type-ahead
    assert set(ids(idx, entity="Defense Logistics Agency")) == {D3, D1}
    assert ids(idx, entity="Nobody At All") == []
    assert q.matching_entities(idx, "ROK Navy") == ["rok navy"]          # exact beats "rok navy logistics command"


def test_text_search_words_and_phrases(idx):
    assert ids(idx, text="TRANSCOM") == [D0]
    assert ids(idx, text="hegseth") == [D4]
    assert ids(idx, text='"combined sustainment" Koo', include_copies=True) == [D2, D1]
    assert ids(idx, text='"sustainment combined"') == []
    assert ids(idx, text="logistics game") == [D0]                           # title words count too
    assert ids(idx, text='unbalanced "quote') == []                          # no crash
    assert q.search_terms('Koo "combined  sustainment"') == ["koo", "combined  sustainment"]


def test_filters_combine(idx):
    assert ids(idx, topics="mro-shipbuilding", entity="Koo Sang-mo", since="2026-02-01") == [D1]
    assert ids(idx, topics="mro-shipbuilding", entity="Randall Reed") == []


def test_siblings(idx):
    assert list(q.siblings(idx, D1)["doc_id"]) == [D2]
    assert q.siblings(idx, D0).empty and q.siblings(idx, "missing").empty


def test_events_are_merged_across_reports(idx):
    ev = q.events_for(idx, filter_positions(idx, Filters(include_copies=True)), with_docs=True)
    assert list(ev["date"].fillna("")) == ["2025-06-09", "2026-02-03", "2026-02-11", "2026-02", ""]
    e2 = ev[ev["date"] == "2026-02-11"].iloc[0]
    assert e2["sources"] == 3 and set(e2["doc_ids"]) == {D1, D2, D3}
    assert ev.iloc[3]["date_precision"] == "month" and ev.iloc[3]["when"] == pd.Timestamp("2026-02-15")
    assert pd.isna(ev.iloc[4]["when"])
    one = q.events_for(idx, filter_positions(idx, Filters(entity="Randall Reed")))
    assert list(one["participants"]) == [("Kim Myung Soo", "Randall Reed")] and list(one["sources"]) == [1]
    assert q.events_for(idx, filter_positions(idx, Filters(topics="nothing"))).empty


def test_cooccurrence(idx):
    pos = filter_positions(idx, Filters())
    co = q.cooccurrence(idx, pos, top=3)
    assert list(co.columns) == ["a", "b", "articles"] and list(co["articles"]) == [2, 2, 2]
    assert ("Defense Logistics Agency", "ROK Joint Chiefs of Staff") in set(zip(co["a"], co["b"]))
    # with copies the 001/002 pairs count twice
    co2 = q.cooccurrence(idx, filter_positions(idx, Filters(include_copies=True)), top=1)
    assert co2.iloc[0]["articles"] == 3
    reed = q.cooccurrence(idx, pos, top=50, entity="Randall Reed")
    assert len(reed) == 3 and all("Randall Reed" in (a, b) for a, b in zip(reed["a"], reed["b"]))
    assert q.cooccurrence(idx, pos[:0]).empty


def test_highlight_escapes_untrusted_text_first():
    body = 'x <script>alert(1)</script> Randall Reed & "USFK" <img src=x onerror=alert(2)>'
    rec = {"body": body, "people": [{"name": "Randall Reed"}],
           "organizations": [{"name": 'US Forces "Korea" <b>', "aliases": ["USFK"], "mentions": 1}],
           "topics": [{"topic": "t<1>", "evidence": ['Randall Reed & "USFK"']}]}
    out = highlight(body, article_spans(rec, "alert"))
    assert "<script>" not in out and "<img" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out and "&lt;img src=x onerror=" in out
    assert '<mark class="wb-evidence wb-person" title="t&lt;1&gt;; Randall Reed">Randall Reed</mark>' in out
    assert 'title="t&lt;1&gt;; US Forces &quot;Korea&quot; &lt;b&gt;">USFK</mark>' in out
    assert out.count('class="wb-hit"') == 2
    # stripping the marks gives back exactly the escaped text
    import re
    assert re.sub(r"</?mark[^>]*>", "", out) == __import__("html").escape(body)


def test_highlight_whole_words_only():
    spans = article_spans({"body": "DLAX and DLA, not xDLA", "organizations": [{"name": "Defense Logistics Agency",
                                                                                  "aliases": ["DLA"]}]})
    assert [(s.start, s.end) for s in spans] == [(9, 12)]
    assert highlight("plain <text>", []) == "plain &lt;text&gt;"


def test_export_frame_and_csv(idx, tmp_path):
    res = filter_corpus(idx, Filters(include_copies=True))
    path = write_csv(res, tmp_path / "out" / "sel.csv")
    back = pd.read_csv(path)
    assert list(back["doc_id"]) == list(res["doc_id"])
    assert "date_label" not in back.columns and "source" not in back.columns
    assert back.loc[0, "published"] == "2026-02-14"
    import json
    assert json.loads(back.loc[back["doc_id"] == D0, "people"].iloc[0])[0]["name"] == "Kim Myung Soo"
    assert not list(tmp_path.joinpath("out").glob(".export-*"))


def test_works_on_a_corpus_read_from_the_store(tmp_path):
    write_store(seed_records(), {}, tmp_path)
    index = build_index(load_corpus(tmp_path))
    assert ids(index, topics="mro-shipbuilding") == [D3, D1, D4]
    assert ids(index, entity="Marco Rubio", include_copies=True) == [D2, D1]


def test_empty_and_sparse_corpora():
    empty = build_index(load_corpus("/nonexistent/store"))
    assert len(empty) == 0 and ids(empty, text="x", topics="t") == [] and empty.names == []
    assert q.events_for(empty, filter_positions(empty, Filters())).empty
    bare = build_index(pd.DataFrame([empty_record(doc_id="a"), empty_record(doc_id="b", body="Hello")]))
    assert ids(bare) == ["a", "b"] and ids(bare, text="hello") == ["b"]


def test_filters_scale_exactly_on_thousands_of_articles():
    """On 1,000 replicas of the seeds every date-free filter finds 1,000 times what it finds on
    the seeds (speed itself is measured by benchmarks/explorer_speed.py)."""
    small, big = build_index(seed_corpus()), build_index(seed_corpus(copies=1000))   # 5 and 5,000 articles
    assert len(big) == 5000
    for f in (Filters(topics="mro-shipbuilding"), Filters(entity="Koo Sang-mo"), Filters(text="submarine"),
              Filters(text="submarine", include_copies=True), Filters(include_copies=True)):
        n = len(filter_corpus(small, f))
        assert n > 0 and len(filter_corpus(big, f)) == 1000 * n, f


def _pairs_by_loops(row_entities, ent_names):
    """The nested loops the pair index replaced: row by row, (a, b) with a before b."""
    ids: dict = {}
    prow, pid = [], []
    for i, lows in enumerate(row_entities):
        for a in range(len(lows)):
            for b in range(a + 1, len(lows)):
                prow.append(i)
                pid.append(ids.setdefault((lows[a], lows[b]), len(ids)))
    return prow, pid, [(ent_names[a], ent_names[b]) for a, b in ids]


def test_entity_pairs_are_the_nested_loops_pairs():
    import random
    rnd = random.Random(5)
    names = [f"n{k:02d}" for k in range(40)]
    ent_names = {k: k.upper() for k in names}
    for _ in range(30):
        rows = [sorted(rnd.sample(names, rnd.choice([0, 1, 2, 2, 3, 5, 9, 15]))) for _ in range(rnd.randint(0, 60))]
        prow, pid, pairs = q._entity_pairs(rows, ent_names)
        want = _pairs_by_loops(rows, ent_names)
        assert (prow.tolist(), pid.tolist(), pairs) == want
    empty = q._entity_pairs([[], ["n01"]], ent_names)
    assert (empty[0].tolist(), empty[1].tolist(), empty[2]) == ([], [], [])


def test_search_checks_only_the_rows_in_play_and_remembers_the_rest():
    big = build_index(seed_corpus(copies=40))
    texts = ("submarine", '"combined sustainment" koo', "koo", "zz-none")
    for text in texts:
        scan = np.array([all(t in s for t in q.search_terms(text)) for s in big.text_lc])
        big._search_cache.clear()
        for topic in ("transport-deployment", "mro-shipbuilding", None):     # narrow, other, then all rows
            f = Filters(topics=(topic,) if topic else (), text=text, include_copies=True)
            rows = Filters(topics=(topic,) if topic else (), include_copies=True)
            want = q.filter_mask(big, rows) & scan
            assert np.array_equal(q.filter_mask(big, f), want), (text, topic)
        hit, known = big._search_cache[tuple(q.search_terms(text))]
        assert known.all() and np.array_equal(hit, scan)
