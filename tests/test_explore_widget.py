"""explorer: drive the widget in the kernel — set filters, read the table,
the article view, the plotted timeline data, the co-occurrence and exports."""
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from seed_data import seed_corpus, seed_records

from workbench.explore.widget import ANY, Explorer, explorer
from workbench.store import write_store

D0, D1, D2, D3, D4 = ("000_329d62e74b5381aa", "001_6007161c3ca6bdf9", "002_13870656a1d7a076",
                      "003_b690a855f5fdafe1", "004_ea56c1c4bcc3f02c")


@pytest.fixture
def ex():
    return explorer(corpus=seed_corpus())


def rows(ex):
    return ex.table.column("doc_id")


def test_opens_with_every_story(ex):
    assert isinstance(ex, Explorer)
    assert rows(ex) == [D3, D1, D4, D0] and list(ex.results.index) == rows(ex)
    assert 'data-count="4"' in ex.status.value and "1 syndicated copy folded in" in ex.status.value
    g = ex.table
    assert g.column("date")[0] == "2026-02-14 (page)" and g.column("source")[0] == "Caliber.az"
    assert "mro-shipbuilding" in g.column("topics")[0]
    assert g.column("date")[3] == "undated" and g.column("source")[3] == "BEMIL"
    assert g.column("copies")[:2] == ["", "+1"]
    # the first page's cells show the same text (set as widget text, never HTML)
    first = [c.description for c in g.slots[0][1]]
    assert first[0] == "2026-02-14 (page)" and first[1] == "Caliber.az"
    assert ex.topic.options[0] == ANY and "mro-shipbuilding" in ex.topic.options
    assert "Randall Reed" in ex.entity.options and "IANS (agency)" in ex.outlet.options
    # the timeline plots the four dated events; one undated is counted, not drawn
    assert len(ex.timeline.data) == 4 and ex.timeline.undated == 1 and ex.timeline.mode == "points"
    svg = ET.fromstring(ex.timeline.image.value)           # an SVG image (well-formed XML)
    assert svg.tag == f"{SVG}svg" and ex.timeline.image.format == "svg+xml"
    # the mediated repr is the widget's
    assert "application/vnd.jupyter.widget-view+json" in ex._repr_mimebundle_()


SVG = "{http://www.w3.org/2000/svg}"


def _vertices(d: str) -> np.ndarray:
    """The corners of an SVG path made of M x,y then H x / V y moves."""
    x, y = (float(v) for v in re.match(r"M([-\d.]+),([-\d.]+)", d).groups())
    out = [(x, y)]
    for move, v in re.findall(r"([HV])([-\d.]+)", d):
        x, y = (float(v), y) if move == "H" else (x, float(v))
        out.append((x, y))
    return np.array(out)


def plotted(ex):
    """(x, y) of every event marker in the timeline's SVG image."""
    svg = ET.fromstring(ex.timeline.image.value)
    pts = [(float(c.get("cx")), float(c.get("cy"))) for c in svg.iter(f"{SVG}circle")
           if c.get("class") == "wb-event"]
    return np.array(pts).reshape(-1, 2)


def test_topic_filter_updates_table_and_plot(ex):
    before_png, before_draws = ex.timeline.image.value, ex.timeline.draws
    assert len(plotted(ex)) == 4
    ex.topic.value = "transport-deployment"
    assert rows(ex) == [D0]
    assert list(ex.timeline.data["date"]) == ["2025-06-09"] and list(ex.timeline.data["kind"]) == ["meeting"]
    assert len(plotted(ex)) == 1
    assert ex.timeline.draws == before_draws + 1 and ex.timeline.image.value != before_png
    assert ex.timeline.undated == 0
    ex.topic.value = ANY
    assert rows(ex) == [D3, D1, D4, D0] and len(plotted(ex)) == 4


def test_outlet_dates_and_undated(ex):
    ex.outlet.value = "IANS (agency)"
    assert rows(ex) == [D1]
    ex.include_copies.value = True
    assert rows(ex) == [D2, D1]
    ex.outlet.value = ANY
    ex.since.value = dt.date(2026, 2, 12)
    assert rows(ex) == [D3]
    ex.since.value = None
    ex.until.value = dt.date(2026, 2, 13)
    assert rows(ex) == [D2, D1]
    ex.include_undated.value = True
    assert rows(ex) == [D2, D1, D4, D0]


def test_entity_type_ahead_and_cooccurrence(ex):
    ex.entity.value = "Randall"                       # partial text already narrows
    assert rows(ex) == [D0]
    ex.entity.value = "Randall Reed"
    assert rows(ex) == [D0]
    co = ex.cooccurrence_data
    assert len(co) == 3 and all("Randall Reed" in pair for pair in zip(co["a"], co["b"]))
    assert "Kim Myung Soo" in ex.cooccurrence.value
    ex.entity.value = "Nobody"
    assert rows(ex) == [] and "no organisation or person matches" in ex.status.value
    assert ex.timeline.data.empty and len(plotted(ex)) == 0


def test_search_and_copies(ex):
    ex.search.value = "submarine"
    assert rows(ex) == [D1]
    ex.include_copies.value = True
    assert rows(ex) == [D2, D1]
    # the merged event keeps one marker; its size counts both reports
    e = ex.timeline.data.set_index("date")
    assert e.loc["2026-02-11", "sources"] == 2 and len(plotted(ex)) == len(ex.timeline.data)
    ex.clear_filters()
    assert rows(ex) == [D3, D1, D4, D0] and ex.search.value == "" and ex.include_copies.value is False


def test_selecting_a_row_shows_the_highlighted_article_and_its_copies(ex):
    ex.select(D0)
    a = ex.article.value
    assert "U.S. and South Korea Strengthen Logistics Game" in a
    assert re.search(r'<mark class="[^"]*wb-person[^"]*" title="[^"]*Kim Myung Soo">Kim Myung Soo</mark>', a)
    assert '<mark class="wb-org" title="US Transportation Command">U.S. TRANSCOM</mark>' in a
    assert 'class="wb-evidence' in a and "BEMIL" in a
    assert ex.siblings.layout.display == "none"
    ex.select(D1)
    assert [v for _, v in ex.siblings.options] == [D2] and ex.siblings.layout.display != "none"
    ex.siblings.value = D2                                  # open the copy
    assert ex.shown == D2 and "(no title)" in ex.article.value and "2026-02-11 (page)" in ex.article.value
    assert ex.table.value == D1
    # a filter that keeps the row keeps the selection; one that drops it clears the view
    ex.topic.value = "mro-shipbuilding"
    assert ex.table.value == D1
    ex.topic.value = "transport-deployment"
    assert ex.table.value is None and "Select an article" in ex.article.value


def test_search_words_are_marked_in_the_article(ex):
    ex.search.value = "sustainment"
    ex.select(D1)
    assert '<mark class="wb-hit"' in ex.article.value


def test_article_text_is_escaped():
    evil = seed_corpus().iloc[[0]].copy()
    evil["title"] = pd.array(["<img src=x onerror=alert(1)>"], dtype="string")
    evil["body"] = pd.array(["<script>alert('x')</script> General Randall Reed spoke."], dtype="string")
    evil["author"] = pd.array(['"><b>x</b>'], dtype="string")
    e = explorer(corpus=evil)
    e.select(D0)
    html = e.article.value
    assert "<script>" not in html and "<img" not in html and "<b>x" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<mark class="wb-person" title="Randall Reed">Randall Reed</mark>' in html


def test_export_csv_and_dataframe(ex, tmp_path, monkeypatch):
    ex.topic.value = "mro-shipbuilding"
    ex.include_copies.value = True
    path = ex.export_csv(tmp_path / "sel.csv")
    back = pd.read_csv(path)
    assert list(back["doc_id"]) == [D3, D2, D1, D4]
    assert json.loads(back.loc[0, "topics"])[0]["topic"] == "mro-shipbuilding"

    df = ex.selection_frame()
    assert list(df.index) == [D3, D2, D1, D4] and "date_label" not in df.columns and "body" in df.columns
    df.loc[D3, "title"] = "changed"
    assert ex.results.loc[D3, "title"] != "changed"

    # the buttons: CSV with a download link, a DataFrame in the kernel's namespace
    ex.export_path.value = str(tmp_path / "button.csv")
    ex.export_button.click()
    assert (tmp_path / "button.csv").exists() and 'href="data:text/csv;base64,' in ex.export_status.value

    class Shell:
        user_ns = {}
    import IPython
    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell)
    ex.frame_name.value = "picked"
    ex.frame_button.click()
    assert list(Shell.user_ns["picked"].index) == [D3, D2, D1, D4]
    ex.frame_name.value = "not a name"
    ex.frame_button.click()
    assert "not a Python variable name" in ex.export_status.value


def test_export_default_path_is_under_reports(ex, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    path = ex.export_csv()
    assert path.parent == tmp_path / "reports" / "explorer" and path.suffix == ".csv"


def test_opens_the_store_and_says_when_it_is_empty(tmp_path):
    write_store(seed_records(), {}, tmp_path / "store")
    e = explorer(store=tmp_path / "store")
    assert rows(e) == [D3, D1, D4, D0]
    empty = explorer(store=tmp_path / "nothing")
    assert rows(empty) == [] and "workbench ingest" in empty.status.value
    empty.topic.value = ANY                      # nothing to choose, nothing breaks
    assert empty.timeline.data.empty


def test_timeline_switches_to_monthly_counts_when_crowded():
    e = explorer(corpus=seed_corpus(copies=200))           # 1,000 articles
    assert e.timeline.mode == "monthly"
    assert int(e.timeline.counts.to_numpy().sum()) == len(e.timeline.data) > e.timeline.max_points
    # one filled step outline per kind, stacked, each in the next colour of matplotlib's cycle
    from workbench.explore.timeline import CYCLE
    svg = ET.fromstring(e.timeline.image.value)
    steps = [p for p in svg.iter(f"{SVG}path") if p.get("class") == "wb-kind"]
    kinds = list(e.timeline.counts.columns)
    assert [p.get("data-kind") for p in steps] == kinds and [p.get("fill") for p in steps] == list(CYCLE[:len(kinds)])
    cum = e.timeline.counts.to_numpy().cumsum(axis=1)
    n = len(cum)
    outline = [_vertices(p.get("d")) for p in steps]
    axis_y = outline[0][2 * n: 4 * n: 2, 1]                # the first kind's lower edge: the x axis
    assert np.ptp(axis_y) == 0
    tops = [axis_y[0] - o[: 2 * n: 2, 1] for o in outline]  # each month's stack top, in pixels above the axis
    px = tops[-1].max() / cum[:, -1].max()
    for i in range(len(kinds)):
        assert np.allclose(tops[i] / px, cum[:, i], atol=0.05)
        assert i == 0 or np.allclose(outline[i][2 * n: 4 * n: 2, 1][::-1], outline[i - 1][: 2 * n: 2, 1])  # stacked
    legend = [t.text for t in svg.iter(f"{SVG}text")]
    assert all(k in legend for k in kinds) if len(kinds) > 1 else True
    assert len(e.table.column("doc_id")) == len(e.results) and e.table.pages > 1
    e.entity.value = "Randall Reed"
    assert e.timeline.mode == "points" and len(plotted(e)) == len(e.timeline.data)
    assert e.timing["total_ms"] > 0               # speed itself: benchmarks/explorer_speed.py


def test_end_to_end_on_an_ingested_store(tmp_path):
    try:
        from workbench.pipeline import ingest
    except ImportError as err:
        pytest.skip(f"the ingest pipeline is not importable yet: {err}")
    from workbench import settings
    summary = ingest([settings.raw_dir()], store=tmp_path / "store", progress=False)
    assert summary.documents >= 5
    e = explorer(store=tmp_path / "store")
    assert len(e.results) >= 1 and len(e.table.column("doc_id")) == len(e.results)
    total = len(e.results)
    e.include_copies.value = True
    assert len(e.results) == summary.documents
    # any topic narrows to the articles carrying it, and each shows
    for topic in e.topic.options[1:]:
        e.topic.value = topic
        assert all(topic in t for t in e.results["topic_names"])
    e.topic.value = ANY
    e.search.value = "logistics"
    assert 0 < len(e.results) <= summary.documents
    with_word = [v for v in e.table.column("doc_id") if "logistics" in str(e.results.loc[v, "body"]).lower()]
    assert with_word                              # the search found the word in some body
    e.select(with_word[0])
    assert re.search(r'<mark class="[^"]*wb-hit[^"]*"[^>]*>logistics</mark>', e.article.value, re.I)
    assert total <= summary.documents


def test_the_notebook_runs_headless(tmp_path, monkeypatch):
    nbclient = pytest.importorskip("nbclient")
    from pathlib import Path

    import nbformat
    write_store(seed_records(), {}, tmp_path / "data" / "store")
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    path = Path(__file__).resolve().parent.parent / "notebooks" / "explore.ipynb"
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


def test_grid_sorts_every_row_and_keeps_the_selection(ex):
    g = ex.table
    g.sort_by("source")
    names = g.column("source")
    assert names == sorted(names, key=str.casefold)
    assert g.headers[1].description.endswith("▲")
    g.headers[1].click()                                  # the same heading again reverses
    assert g.column("source") == sorted(names, key=str.casefold, reverse=True)
    assert g.headers[1].description.endswith("▼")
    g.headers[0].click()                                  # dates: oldest first, undated last
    assert set(g.column("doc_id")[-2:]) == {D0, D4} and g.column("date")[0].startswith("2026-02-11")
    assert g.column("date")[-2:] == ["undated", "undated"]
    g.headers[2].click()
    assert g.column("copies")[-1] == "+1" or g.column("copies")[0] == ""
    # a click on any cell of a row selects it and shows the article
    g.slots[1][1][3].click()
    assert ex.table.value == g.column("doc_id")[1] and ex.shown == g.column("doc_id")[1]
    assert "wb-grid-selected" in g.slots[1][0]._dom_classes
    # sorting again keeps the selected article selected
    g.headers[3].click()
    assert ex.table.value == ex.shown


def test_grid_pages_through_a_big_selection():
    e = explorer(corpus=seed_corpus(copies=40))
    e.include_copies.value = True
    g = e.table
    n = len(e.results)
    assert g.pages == -(-n // g.page_rows) and f'data-rows="{n}"' in g.where.value
    g.next.click()
    assert g.page == 1 and g.visible_ids() == g.column("doc_id")[g.page_rows:2 * g.page_rows]
    last = g.column("doc_id")[-1]
    e.select(last)                                        # selecting a row elsewhere turns to its page
    assert g.page == g.pages - 1 and e.shown == last


def test_kernel_only_actions_hidden_under_voila(monkeypatch):
    monkeypatch.setenv("VOILA_KERNEL_ID", "x")
    e = explorer(corpus=seed_corpus())
    shown = [w for box in e.widget.children if hasattr(box, "children") for w in box.children]
    assert e.frame_button not in shown and e.export_button in shown
    monkeypatch.delenv("VOILA_KERNEL_ID")
    e = explorer(corpus=seed_corpus())
    shown = [w for box in e.widget.children if hasattr(box, "children") for w in box.children]
    assert e.frame_button in shown
