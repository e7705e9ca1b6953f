"""explore.columns: the corpus read column-wise equals ``store.load_corpus``, overlays included."""
from __future__ import annotations

import pandas as pd
from seed_data import seed_records

from workbench.explore.columns import read_columns, read_frame
from workbench.record import Article, Fix, Link
from workbench.store import load_corpus, read_store, write_store


def _articles(copies: int) -> list[Article]:
    arts = [Article.from_record(r) for r in seed_records(copies=copies)]
    # the overlays: a link borrowing a date and a title, with notes; an analyst's corrections
    arts[1].link = Link(story_id="s-1", published="2026-01-02", published_from=arts[0].doc_id,
                        title="A <borrowed> title", notes=["date from a copy", arts[1].warnings[0]
                                                           if arts[1].warnings else "n2"])
    arts[2].link = Link(story_id="s-1", notes=[])
    arts[3].fix = Fix(notes=["title set by analyst [c1]"], values=[{"field": "title", "value": "Fixed"},
                                                                   {"field": "published", "value": "2025-12-31"}],
                      relevant=False, topics=[{"topic": "t-fixed", "score": 1.0, "weight": 1.0,
                                               "evidence": [], "cues": []}])
    arts[4].body = ""
    return arts


def test_frame_equals_load_corpus_with_both_overlays(tmp_path):
    write_store(_articles(3), {}, tmp_path / "s")
    want = load_corpus(tmp_path / "s")
    got = read_frame(tmp_path / "s")
    pd.testing.assert_frame_equal(got, want)
    arts = _articles(3)
    fixed, linked = got.loc[arts[3].doc_id], got.loc[arts[1].doc_id]      # the overlays did apply
    assert fixed["title"] == "Fixed" and not fixed["relevant"] and fixed["corrections"] == ["title set by analyst [c1]"]
    assert linked["published_basis"] == "syndicated-copy" and linked["story_id"] == "s-1"
    assert linked["title"] == "A <borrowed> title" and "date from a copy" in linked["warnings"]


def test_frame_equals_load_corpus_without_corrections_and_for_chosen_columns(tmp_path):
    arts = _articles(40)
    arts[3].fix = None
    write_store(arts, {}, tmp_path / "s")
    pd.testing.assert_frame_equal(read_frame(tmp_path / "s"), load_corpus(tmp_path / "s"))
    cols = ["title", "published", "topics", "relevant"]
    pd.testing.assert_frame_equal(read_frame(tmp_path / "s", cols), load_corpus(tmp_path / "s", cols))
    recs, _ = read_store(tmp_path / "s", columns=["doc_id", "title", "warnings", "story_id"])
    cols_ = read_columns(tmp_path / "s", ["doc_id", "title", "warnings", "story_id"])
    assert [dict(zip(cols_, v)) for v in zip(*cols_.values())] == recs


def test_no_store_is_an_empty_frame(tmp_path):
    pd.testing.assert_frame_equal(read_frame(tmp_path / "none"), load_corpus(tmp_path / "none"))


def test_parts_read_file_by_file_equal_the_dataset_read_cut_to_the_fields_asked(tmp_path):
    import pyarrow as pa

    from workbench.explore.columns import _trimmed, read_parts
    from workbench.store import read_table
    write_store(_articles(3), {}, tmp_path / "s")
    cols, kids = ["doc_id", "title", "link", "fix"], {"link": ["story_id", "notes"], "fix": ["relevant"]}
    got = read_parts(tmp_path / "s", cols, kids)
    assert got.schema.field("link").type == pa.struct([pa.field("story_id", pa.string()),
                                                      pa.field("notes", pa.list_(pa.string()))])
    assert got.equals(_trimmed(read_table(tmp_path / "s", columns=cols), got.schema))
    assert got.column("fix").null_count == got.num_rows - 1          # one article has a fix
