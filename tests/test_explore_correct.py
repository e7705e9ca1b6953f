"""Corrections where people read the corpus: the explorer's mark and panel, the reports."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from workbench.corrections import add_correction, load_corrections
from workbench.explore.correct import CorrectionPanel, corrected_articles, correction_cells, relevant_only
from workbench.explore.widget import article_html
from workbench.pipeline import ingest
from workbench.record import empty_record
from workbench.reports.quality import quality_html, quality_notes
from workbench.reports.topic import view_of
from workbench.store import load_corpus, records_to_frame

S003, S004 = "003_b690a855f5fdafe1", "004_ea56c1c4bcc3f02c"


def test_mark_is_escaped_and_names_the_page_of_a_related_story():
    row = empty_record(doc_id="p__embedded-1", embedded_in="p<1>", corrections=["title set by <b>me</b> [c1]"])
    cells = correction_cells(row)
    assert "corrected by analyst" in cells and "&lt;b&gt;me&lt;/b&gt;" in cells and "<b>" not in cells
    assert "carried by p&lt;1&gt;" in cells
    assert correction_cells(empty_record(doc_id="x")) == ""


def test_relevant_only_and_corrected_articles():
    frame = records_to_frame([empty_record(doc_id="a"), empty_record(doc_id="b", relevant=False,
                                                                     corrections=["marked not relevant [c1]"])])
    assert list(relevant_only(frame)["doc_id"]) == ["a"]
    assert list(frame["relevant"]) == [True, False]
    assert corrected_articles(frame) == [{"doc_id": "b", "title": "", "corrections": "marked not relevant [c1]",
                                          "relevant": False}]
    assert relevant_only(pd.DataFrame({"doc_id": ["z"]}))["doc_id"].tolist() == ["z"]


def test_panel_writes_corrections_for_the_article_shown(tmp_path):
    path = tmp_path / "corrections.toml"
    shown: dict = {"row": None}
    panel = CorrectionPanel(lambda: shown["row"], path=path)
    assert panel.submit() is None and "select an article" in panel.status.value
    shown["row"] = pd.Series(empty_record(doc_id="d1", sha256="ab" * 32, url="https://x.example/a"))
    panel.action.value, panel.value.value, panel.note.value = "set title", "A better title", "typo"
    assert panel.submit() == "c1"
    panel.action.value, panel.value.value = "add topic", ""
    assert panel.submit() is None and "give a name" in panel.status.value
    panel.action.value, panel.value.value = "set published", "11 Feb"
    assert panel.submit() is None and "not saved" in panel.status.value and "YYYY-MM-DD" in panel.status.value
    panel.action.value = "mark not relevant"
    assert panel.submit() == "c2"
    got = load_corrections(path)
    assert [(c.doc_id, c.set, c.relevant, c.note) for c in got] == [
        ("d1", {"title": "A better title"}, None, "typo"), ("d1", {}, False, None)]
    assert got[0].sha256 == "ab" * 32 and got[0].url == "https://x.example/a"


@pytest.fixture(scope="module")
def corrected_corpus(tmp_path_factory, seed_paths):
    tmp = tmp_path_factory.mktemp("seeds")
    raw = tmp / "raw"
    raw.mkdir()
    for f in seed_paths:
        shutil.copy(f, raw / f.name)
    corr = tmp / "corrections.toml"
    add_correction(S003, path=corr, set={"title": "Analyst <title>"})
    add_correction(S004, path=corr, relevant=False)
    ingest([raw], store=tmp / "store", progress=False, corrections=corr)
    return load_corpus(tmp / "store")


def test_explorer_shows_corrected_by_analyst(corrected_corpus):
    html = article_html(corrected_corpus.loc[S003])
    assert "corrected by analyst" in html and "title set by analyst [c1]" in html
    assert "Analyst &lt;title&gt;" in html


def test_report_leaves_out_not_relevant_and_lists_corrections(corrected_corpus):
    view = view_of(corrected_corpus, "mro-shipbuilding")
    assert S003 in set(view.articles["doc_id"]) and S004 not in set(view.topic_all["doc_id"])
    notes = quality_notes(view)
    assert {c["doc_id"] for c in notes["corrected"]} == {S003, S004}
    page = str(quality_html(view, notes))
    assert "Corrected by analyst (2)" in page and "marked not relevant by analyst [c2]" in page
    assert "<title>" not in page


def test_the_explorer_panel_corrects_the_article_selected(corrected_corpus, tmp_path):
    from workbench.explore.widget import Explorer
    ex = Explorer(corrected_corpus)
    ex.correction.path = tmp_path / "corrections.toml"
    ex.include_copies.value = True
    ex.select(S003)
    ex.correction.action.value, ex.correction.value.value = "remove organisation", "US Indo-Pacific Command"
    assert ex.correction.submit() == "c1"
    (c,) = load_corrections(tmp_path / "corrections.toml")
    assert (c.doc_id, c.remove, c.sha256) == (S003, {"organizations": ("US Indo-Pacific Command",)},
                                             corrected_corpus.loc[S003, "sha256"])
