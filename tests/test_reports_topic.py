"""Report content without a kernel: topic slices, tables, citations, sanitising."""
from __future__ import annotations

import base64

import pandas as pd
import pytest
from report_support import GOLD, gold_events_for, hostile_record, seed_records

from workbench.reports import corpus as ov
from workbench.reports import figures
from workbench.reports import topic as tv
from workbench.reports.html import figure_png, report_slug, sanitize, table_html, text
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
    for cites in ev["citations"]:
        for c in cites:
            assert f'href="#doc-{c["doc_id"]}"' in html_ and f'id="doc-{c["doc_id"]}"' in html_


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
    assert "Hostile page" in tv.whats_new_html(view, new)
    assert tv.whats_new(view, tv.report_content(view))["new_articles"] == []


def test_quality_notes(corpus):
    view = _view(corpus, "logistics-sustainment")
    q = tv.quality_notes(view)
    assert [c["doc_id"] for c in q["undated"]] == ["000_329d62e74b5381aa"]
    assert any(c["doc_id"] == "001_6007161c3ca6bdf9" and c["basis"] == "syndicated-copy" for c in q["inferred_dates"])
    assert q["rejected_inputs"] == [{"input": "a.bin", "reason": "bad"}]
    assert any(e["precision"] == "month" for e in q["imprecise_events"])


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
             tv.quality_html(view, tv.quality_notes(view)), tv.title_html(view)]
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
