"""Report content without a kernel: topic slices, tables, citations, sanitising."""
from __future__ import annotations

import base64
import re

import pandas as pd
import pytest
from report_support import GOLD, gold_events_for, hostile_record, seed_records

from workbench.reports import corpus as ov
from workbench.reports import figures, quality
from workbench.reports import topic as tv
from workbench.reports.html import anchor_id, figure_png, report_slug, sanitize, table_html, text
from workbench.store import records_to_frame

TOPICS = list(GOLD["topics"])


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return records_to_frame(seed_records() + [hostile_record()])


def _view(corpus, topic, **kw):
    return tv.view_of(corpus, topic, description="", ledger={"_run": {"at": "x", "rejected": [["a.bin", "bad"]]}},
                      **kw)


@pytest.mark.parametrize("topic", TOPICS)
def test_topic_articles_are_the_gold_ones(corpus, topic):
    view = _view(corpus, topic)
    want = {d["doc_id"] for d in GOLD["documents"] if topic in d["topics"]}
    got = set(view.articles["doc_id"]) - {"666_hostile"}
    assert got == want


@pytest.mark.parametrize("topic", TOPICS)
def test_events_table_holds_gold_events(corpus, topic):
    table = tv.events_table(_view(corpus, topic))
    for e in gold_events_for(topic):
        hit = sorted((r for _, r in table.iterrows() if set(e["participants"]) & set(r["participants"])),
                     key=lambda r: (-len(set(e["participants"]) & set(r["participants"])), r["date"] != e["date"]))
        assert hit, f"{topic}: gold event {e['id']} missing"
        assert (e["date"] or "undated") == hit[0]["date"]
        in_topic = {d["doc_id"] for d in GOLD["documents"] if topic in d["topics"]}
        assert set(e["sources"]) & in_topic <= set(hit[0]["sources"])


def test_syndicated_copies_count_as_one_outlet(corpus):
    table = tv.events_table(_view(corpus, "logistics-sustainment"))
    e2 = table[table["participants"].map(lambda p: "Mark Simerly" in p)].iloc[0]
    assert len(e2["sources"]) == 3 and e2["n_outlets"] == 2   # IANS story (2 copies) + Caliber.az


def test_date_range_and_undated(corpus):
    allv = _view(corpus, "logistics-sustainment")
    assert "000_329d62e74b5381aa" in set(allv.articles["doc_id"])          # no bound: undated kept
    v = _view(corpus, "logistics-sustainment", since="2026-02-12", until="2026-02-14")
    assert set(v.articles["doc_id"]) == {"003_b690a855f5fdafe1", "666_hostile"}
    assert all(d is None or d >= "2026-02" for d in v.events["date"])      # E1 (2025) out, E4 (Feb) in
    assert "2026-02" in set(v.events["date"])
    v2 = _view(corpus, "logistics-sustainment", since="2026-02-12", include_undated=True)
    assert "000_329d62e74b5381aa" in set(v2.articles["doc_id"])
    with pytest.raises(ValueError):
        _view(corpus, "logistics-sustainment", since="2026-03-01", until="2026-02-01")


def test_evidence_citations_point_at_documents(corpus):
    view = _view(corpus, "mro-shipbuilding")
    ev = tv.evidence(view)
    assert len(ev)
    ids = set(corpus["doc_id"])
    for cites in ev["citations"]:
        assert cites and all(c["doc_id"] in ids and c["title"] and c["outlet"] and c["date"] for c in cites)
    html_ = tv.evidence_html(ev) + tv.sources_html(tv.sources_table(view))
    anchors = set(re.findall(r'href="#([^"]+)"', html_))
    ids_ = set(re.findall(r'id="([^"]+)"', html_))
    assert anchors and anchors <= ids_                  # every citation jumps to its source row
    for cites in ev["citations"]:                       # one citation shown per copy group
        stories = {c["story"] for c in cites}
        shown = [c for c in cites if f'href="#{anchor_id("doc-", c["doc_id"])}"' in html_]
        assert len(shown) == len(stories)


def test_evidence_caps_sentences_per_story():
    def group(sentence: str, *stories: str) -> dict:
        return {"sentence": sentence, "score": 1.0,
                "citations": [{"doc_id": f"{s}-copy", "story": s} for s in stories]}
    ranked = [group("a1", "A"), group("a2", "A", "B"), group("a3", "A"), group("b1", "B"), group("c1", "C"),
              group("b2", "B")]
    kept = [g["sentence"] for g in tv._per_story_cap(ranked, 10)]
    assert kept == ["a1", "a2", "b1", "c1"]          # A and B reach two rows each; later ones wait
    assert [g["sentence"] for g in tv._per_story_cap(ranked, 2)] == ["a1", "a2"]


def test_headline_and_entities(corpus):
    view = _view(corpus, "logistics-sustainment")
    h = tv.headline(view)
    assert h["articles"] == 5 and h["stories"] == 4 and h["undated"] == 1 and h["first"] == "2026-02-11"
    orgs, people = tv.top_entities(view, 5)
    assert orgs.iloc[0]["organisation"] == "ROK Joint Chiefs of Staff" and len(orgs) == 5
    assert "Mark Simerly" in set(tv.top_entities(view, 10)[1]["person"])


def test_figures_render_to_png(corpus):
    for view in (_view(corpus, "logistics-sustainment"), _view(corpus, "inter-korean")):
        for fig in (figures.timeline_figure(view), figures.outlets_figure(view)):
            assert figure_png(fig)[:8] == b"\x89PNG\r\n\x1a\n"
    assert figure_png(figures.articles_figure(corpus))[:4] == b"\x89PNG"


def test_whats_new(corpus):
    view = _view(corpus, "logistics-sustainment")
    first = tv.whats_new(view, None)
    assert first["first_report"]
    prev = tv.report_content(view)
    prev["doc_ids"].remove("666_hostile")
    prev["event_keys"] = [k for k in prev["event_keys"] if "mallory" not in k]
    new = tv.whats_new(view, prev)
    assert new["new_articles"] == ["666_hostile"] and len(new["new_events"]) == 1
    page = tv.whats_new_html(view, new)
    assert "Hostile page" in page and "1 new article," in page and "1 new event." in page
    gone = dict(new, gone_articles=["000_329d62e74b5381aa"])
    assert "000_329d62e74b5381aa" not in tv.whats_new_html(view, gone)     # no ids for readers
    assert "no longer in it" in tv.whats_new_html(view, gone)
    assert "no longer in it" not in tv.whats_new_html(view, gone, whats_new_page=True)   # a shorter range
    assert tv.whats_new(view, tv.report_content(view))["new_articles"] == []


def test_quality_notes(corpus):
    view = _view(corpus, "logistics-sustainment")
    q = quality.quality_notes(view)
    assert [c["doc_id"] for c in q["undated"]] == ["000_329d62e74b5381aa"]
    assert any(c["doc_id"] == "001_6007161c3ca6bdf9" and "copy of the same story" in c["date"]
               for c in q["inferred_dates"])
    assert q["rejected_inputs"] == [{"input": "a.bin", "reason": "bad"}]
    assert any(re.match(r"[A-Z][a-z]+ 20\d\d\b", e) for e in q["imprecise_events"])      # "February 2026 — ..."


def test_overview_topics_table_links_every_topic(corpus):
    t = ov.topics_table(corpus, GOLD["topics"])
    assert list(t["topic"]) == TOPICS
    assert all(r == f"{report_slug(n)}.html" for n, r in zip(t["topic"], t["report"]))
    assert 'href="logistics-sustainment.html"' in ov.topics_html(t)


# --------------------------------------------------------------------------- escaping and sanitising

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'


def test_table_and_text_escape():
    assert "<script>" not in text(HOSTILE) and "&lt;script&gt;" in text(HOSTILE)
    t = table_html([{"a": HOSTILE, "b": ["x", "<i>y</i>"]}])
    assert "<script" not in t and "<img" not in t and "&lt;i&gt;y" in t


def test_rendered_sections_escape_hostile_article(corpus):
    view = _view(corpus, "logistics-sustainment")
    parts = [tv.events_html(view), tv.evidence_html(tv.evidence(view)), tv.sources_html(tv.sources_table(view)),
             quality.quality_html(view, quality.quality_notes(view)), tv.title_html(view)]
    orgs, people = tv.top_entities(view)
    parts += [table_html(orgs), table_html(people)]
    for p in parts:
        assert "<script" not in p and "<img" not in p and "onerror=" not in p.replace("onerror=&quot;", "")
        assert "<b " not in p


def test_sanitize_strips_active_content():
    png = "data:image/png;base64," + base64.b64encode(b"\x89PNG fake").decode()
    dirty = (f'<p onclick="x()">hi</p>{HOSTILE}<a href="javascript:alert(1)">j</a>'
             f'<a href="data:text/html,<script>alert(1)</script>">d</a><img src="{png}" onerror="x()">'
             '<iframe src="https://evil.example"></iframe><style>body{display:none}</style>'
             '<a href="other.html#x">ok</a><a href="../../etc/passwd.html">up</a>'
             '<svg><script>alert(1)</script></svg><form action="x"><input name=a></form>'
             '<div style="position:fixed">s</div><object data="x"></object>')
    out = sanitize(dirty)
    for bad in ("<script", "onerror", "onclick", "javascript:", "data:text", "<iframe", "<style", "<svg",
                "<form", "<input", "style=", "<object", "passwd"):
        assert bad not in out, bad
    assert f'src="{png}"' in out and 'href="other.html#x"' in out and ">hi</p>" in out


def test_report_slug_reserved_names():
    assert report_slug("Logistics & Sustainment") == "logistics-sustainment"
    assert report_slug("index") != "index" and report_slug("corpus overview") != "corpus_overview"


# --------------------------------------------------------------------------- what a reader sees (issue 11)

def _visible(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def _all_sections(view) -> str:
    h = tv.headline(view)
    parts = [tv.title_html(view), tv.headline_html(h), tv.events_html(view), tv.evidence_html(tv.evidence(view)),
             tv.sources_html(tv.sources_table(view)), quality.quality_html(view, quality.quality_notes(view)),
             tv.whats_new_html(view, tv.whats_new(view, {"doc_ids": [], "event_keys": [],
                                                         "generated_at": "2026-11-29T21:54:54+00:00"}))]
    return "".join(parts)


@pytest.mark.parametrize("topic", TOPICS)
def test_no_internal_identifiers_or_codes_reach_the_reader(corpus, topic):
    view = _view(corpus, topic)
    page = _all_sections(view)
    seen = _visible(page)
    for doc_id in corpus["doc_id"]:
        assert doc_id not in seen, doc_id
    for code in ("CONSULT", "COOPERATE", "MOBILIZE", "syndicated-copy", "(page)", "data/raw", "(untitled",
                 "logistics-sustainment", topic, "1 articles", "1 events"):
        assert code not in seen, code
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", seen)          # no ISO timestamps
    assert "¶" not in page
    assert f"<h1>{tv.W.topic_label(topic)}</h1>" in page


def test_copy_cites_its_siblings_title(corpus):
    untitled = corpus[corpus["title"].isna() & corpus["story_id"].notna()
                      & (corpus["story_id"] != corpus["doc_id"])].iloc[0]
    siblings = set(corpus[(corpus["story_id"] == untitled["story_id"]) & corpus["title"].notna()]["title"])
    assert siblings
    assert tv.citation(untitled, tv.story_titles(corpus))["title"] in siblings
    lone = dict(untitled, story_id="lonely")
    assert tv.citation(lone, tv.story_titles(corpus))["title"] == "(no title)"


def test_anchors_are_unique_per_key():
    keys = ["a b", "a_b", "a+b", "a-b", "김정은", "이재명", "a b "]
    ids = [anchor_id("doc-", k) for k in keys]
    assert len(set(ids)) == len(keys)
    assert all(re.fullmatch(r"doc-[A-Za-z0-9-]+", i) for i in ids)
    assert anchor_id("doc-", "a b") == anchor_id("doc-", "a b")             # stable


def _copies_corpus(corpus, n=4):
    """The hostile article plus ``n`` syndicated copies of it, each lightly edited."""
    base = hostile_record("700_story")
    recs = seed_records()
    for i in range(n):
        r = hostile_record(f"70{i + 1}_copy")
        r["story_id"] = "700_story"
        r["outlet"] = f"Outlet {i}"
        r["topics"] = [{"topic": "logistics-sustainment", "score": 5.0,
                        "evidence": [f"Officials said logistics cooperation and sustainment of supply chains "
                                     f"would expand{' soon' if i % 2 else ''}."]}]
        recs.append(r)
    base["topics"] = [{"topic": "logistics-sustainment", "score": 5.0,
                       "evidence": ["Officials said logistics cooperation and sustainment of supply chains "
                                    "would expand."]}]
    return records_to_frame(recs + [base])


def test_copies_are_shown_once_with_a_count(corpus):
    view = _view(_copies_corpus(corpus), "logistics-sustainment")
    ev = tv.evidence(view)
    same = [s for s in ev["sentence"] if s.startswith("Officials said logistics cooperation")]
    assert len(same) == 1                                               # near-identical sentences: one row
    html_ = tv.evidence_html(ev)
    assert "(+4 copies)" in html_
    events = tv.events_html(view)
    assert "(+4 copies)" in events and events.count("Outlet ") <= 1


def test_borrowed_date_drops_the_contradicting_warning(corpus):
    df = corpus.copy()
    i = df.index[df["doc_id"] == "001_6007161c3ca6bdf9"][0]
    df.at[i, "warnings"] = ["page shows a day and month without a year; published left unknown", "other note"]
    view = _view(df, "logistics-sustainment")
    notes = quality.quality_notes(view)
    warned = {w["doc_id"]: w["warnings"] for w in notes["warnings"]}
    assert warned["001_6007161c3ca6bdf9"] == ["other note"]


def test_outlets_counted_as_summary_counts_them(corpus):
    df = corpus.copy()
    df.loc[df.index[0], ["outlet", "agency"]] = [None, "IANS"]
    df.loc[df.index[1], ["outlet", "agency"]] = [None, None]
    named = df["outlet"].dropna().nunique()
    assert ov.headline(df, {})["outlets"] == named
    listed = set(ov.outlets_table(df)["outlet"])
    assert "IANS" not in listed and "IANS (agency)" not in listed and "(unknown source)" not in listed
    no_outlet = df["outlet"].isna()
    n_agency, n_none = int((no_outlet & df["agency"].notna()).sum()), int((no_outlet & df["agency"].isna()).sum())
    note = ov.outlets_note(df)
    assert f"{n_agency} articles name only a wire agency" in note and f"{n_none} articles name no source" in note
    one = df[~(no_outlet & df["agency"].notna()) | (df.index == df.index[0])]
    assert "1 article names only a wire agency" in ov.outlets_note(one)


# --------------------------------------------------------------------------- figures

def _texts(fig):
    from matplotlib.text import Text
    fig.canvas.draw() if hasattr(fig.canvas, "draw") else None
    return [t for t in fig.findobj(Text) if t.get_text() and t.get_visible()]


def test_figures_draw_untrusted_text_as_plain_text(corpus):
    df = corpus.copy()
    df["outlet"] = "$$ Finance $$"
    df["people"] = [[{"name": r"$\alpha$ Kim", "role": None, "rank": None}] for _ in range(len(df))]
    view = _view(df, "logistics-sustainment")
    for fig in (figures.timeline_figure(view), figures.outlets_figure(view), figures.articles_figure(df)):
        png = figure_png(fig)                                       # mathtext would raise on "$$ Finance $$"
        assert png[:4] == b"\x89PNG"
        assert all(not t.get_parse_math() for t in _texts(fig))
    legend = [t.get_text() for t in figures.outlets_figure(view).axes[0].get_legend().get_texts()]
    assert "$$ Finance $$" in legend


def test_figure_text_is_legible_and_the_period_named(corpus):
    view = _view(corpus, "logistics-sustainment")
    fig = figures.outlets_figure(view)
    figure_png(fig)
    assert fig.axes[0].get_title().startswith("Articles per week by outlet")
    assert all(t.get_fontsize() >= figures.MIN_PT for t in fig.axes[0].get_legend().get_texts())
    tl = figures.timeline_figure(view)
    figure_png(tl)
    labels = [t.get_text() for t in tl.axes[0].get_yticklabels()]
    assert labels and not any(re.search(r"[A-Z]{4,}", s) for s in labels)        # kinds in words
    assert all(t.get_fontsize() >= figures.MIN_PT for t in _texts(tl))


def test_timeline_axis_stays_in_the_datas_months(corpus):
    view = _view(corpus, "logistics-sustainment", since="2026-02-01", until="2026-02-28")
    fig = figures.timeline_figure(view)
    figure_png(fig)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert ticks and all("Feb" in t or "Mar" not in t for t in ticks)
    lo, hi = fig.axes[0].get_xlim()
    import matplotlib.dates as mdates
    assert mdates.num2date(hi).month in (2, 3) and mdates.num2date(lo).month in (1, 2)


def test_timeline_rows_are_capped(corpus):
    view = _view(corpus, "logistics-sustainment")
    many = pd.concat([view.events] * 40, ignore_index=True)
    many["n_outlets"] = range(len(many))
    view.events = many
    rows, more = figures.timeline_rows(view, cap=25)
    assert len(rows) == 25 and more == len(many) - 25
    assert set(rows["n_outlets"]) == set(range(len(many) - 25, len(many)))   # the most widely reported
    fig = figures.timeline_figure(view)
    assert f"+{more} more" in fig.axes[0].get_title()
    assert fig.get_size_inches()[1] < 14


def test_coded_warnings_are_told_in_words(corpus):
    df = corpus.copy()
    i = df.index[df["doc_id"] == "002_13870656a1d7a076"][0]
    df.at[i, "warnings"] = ["title-from-syndicated-copy: 001_6007161c3ca6bdf9: South Korea, US Boost"]
    notes = quality.quality_notes(_view(df, "logistics-sustainment"))
    (w,) = [x["warnings"] for x in notes["warnings"] if x["doc_id"] == "002_13870656a1d7a076"]
    assert w == ["title taken from a copy of the same story"]


def test_load_topic_corpus_is_the_outline_with_the_topics_rows_in_full(tmp_path):
    """load_topic splices the topic's full rows into the kept frame of the outline: the
    same frame as records_to_frame of the outline records with those rows replaced."""
    from workbench.explore.query import topic_names
    from workbench.reports import reading
    from workbench.store import read_store, write_store
    write_store(seed_records() + [hostile_record()], {}, tmp_path)
    reading.forget()
    outline, _ = read_store(tmp_path, columns=tv.OUTLINE_FIELDS)
    for topic in [*TOPICS, "no-such-topic"]:
        full = {r["doc_id"]: r for r in read_store(tmp_path)[0] if topic in topic_names(r["topics"])}
        expected = records_to_frame([full.get(r["doc_id"], r) for r in outline])
        pd.testing.assert_frame_equal(tv.load_topic(topic, store=tmp_path, description="").corpus, expected,
                                      check_exact=True)
    reading.forget()


def test_rows_give_the_values_iterrows_gives(corpus):
    """html.rows reads a column at a time; each row holds what ``iterrows`` would give."""
    from workbench.reports.html import rows
    view = _view(corpus, TOPICS[0])
    for frame in (corpus, view.articles, view.events, tv.events_table(view), corpus.iloc[0:0]):
        want = [dict(r) for _, r in frame.iterrows()]
        got = rows(frame)
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert list(g) == list(w)
            for k, v in w.items():
                if pd.api.types.is_scalar(v) and pd.isna(v):
                    assert g[k] is v or (pd.isna(g[k]) and type(g[k]) is type(v))
                else:
                    assert g[k] == v and type(g[k]) is type(v)
    assert rows(corpus, ["doc_id"]) == [{"doc_id": d} for d in corpus["doc_id"]]


def test_stacked_bars_set_the_limits_bar_by_bar_limits_would():
    """figures._stacked_bars updates the data limits once: the same limits (and PNG) as
    matplotlib's per-bar updates, on uneven counts, zeros and fractional bar edges."""
    import random
    rnd = random.Random(3)
    tab = pd.DataFrame({f"o{j}": [rnd.choice([0, 0, 1, 2, 7, 30]) for _ in range(37)] for j in range(5)})

    def drawn(stacked: bool):
        fig = figures.new_figure(9, 3.6)
        ax = fig.add_subplot()
        if stacked:
            figures._stacked_bars(ax, range(len(tab)), tab)
        else:
            bottom = [0] * len(tab)
            for col in tab.columns:
                ax.bar(range(len(tab)), tab[col].tolist(), bottom=bottom, label=col)
                bottom = [b + v for b, v in zip(bottom, tab[col].tolist())]
        png = figure_png(fig)
        return ax.dataLim.get_points().tolist(), ax.dataLim.minpos.tolist(), ax.get_xlim(), ax.get_ylim(), png

    assert drawn(True) == drawn(False)
