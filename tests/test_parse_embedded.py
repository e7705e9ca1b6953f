"""Related stories a page carries become records of their own (issue 14, part 3)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.parse.article import sources_from_reference
from workbench.parse.embedded import EMBEDDED_FORMAT, embedded_id, embedded_records
from workbench.pipeline import ingest
from workbench.record import Article, Embedded
from workbench.store import read_store

FIXTURES = Path(__file__).parent / "fixtures" / "embedded"
SEED_004 = "004_ea56c1c4bcc3f02c"


def _page(*embedded: Embedded) -> Article:
    return Article(doc_id="page", source_path="raw/page.txt", sha256="ab" * 32, format="text",
                   published="2026-02-11", published_basis="page", embedded_articles=list(embedded))


def test_each_related_story_is_an_article_tied_to_its_page(reference):
    page = _page(Embedded(title="Depot reopens", outlet="Yonhap News Agency",
                          body="SEOUL, Feb 10 (Yonhap) -- The depot reopened on Tuesday.\n\nCrews cheered."),
                 Embedded(title="Empty one", outlet="Yonhap", body="   "),
                 Embedded(title="Its own story", outlet="Harbor Ledger", body="A third story, told briefly."))
    out = embedded_records(page, sources_from_reference(reference))
    assert [a.doc_id for a in out] == [embedded_id("page", 1), embedded_id("page", 3)]
    first = out[0]
    assert first.format == EMBEDDED_FORMAT and first.embedded_in == "page"
    assert (first.source_path, first.sha256) == (page.source_path, page.sha256)
    assert first.title == "Depot reopens"
    assert first.dateline == "Seoul" and first.dateline_day == "--02-10"   # the wire slug is read ...
    assert first.body.startswith("The depot reopened")                     # ... and cut from the body
    assert first.published is None            # the page's own date is not the related story's
    assert first.word_count > 0 and first.language == "en"
    assert first.outlet == "Yonhap"              # through the reference's outlet aliases
    assert out[1].title == "Its own story" and out[1].record()["embedded_in"] == "page"


def test_furniture_that_names_no_outlet_or_title_is_not_a_story():
    """Terms of use or an archive menu after a "More" marker read as prose but name no outlet."""
    page = _page(Embedded(title="Terms of use", outlet=None, body="By registering you agree to our terms."),
                 Embedded(title=None, outlet="Harbor Ledger", body="Archives: January, February, March."))
    assert embedded_records(page) == []
    assert len(page.embedded_articles) == 2     # still kept on the page, as before


def test_page_without_related_stories_gives_none():
    assert embedded_records(_page()) == []


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory) -> list[dict]:
    store = tmp_path_factory.mktemp("store")
    summary = ingest([FIXTURES], store=store, progress=False, corrections=False)
    assert not summary.rejected
    return read_store(store)[0]


def test_related_stories_are_analysed_and_deduplicated(fixture_store):
    by_id = {r["doc_id"]: r for r in fixture_store}
    assert set(by_id) == {"page_with_related", "tugboat_story", "page_with_related__embedded-1",
                          "page_with_related__embedded-2"}
    tug, rail = by_id["page_with_related__embedded-1"], by_id["page_with_related__embedded-2"]
    assert tug["format"] == rail["format"] == "embedded"
    assert tug["embedded_in"] == rail["embedded_in"] == "page_with_related"
    # the same story saved on its own is its copy; the page itself is not
    assert tug["story_id"] == by_id["tugboat_story"]["story_id"]
    assert by_id["page_with_related"]["story_id"] not in (tug["story_id"], rail["story_id"])
    assert tug["published"] == "2026-02-09" and tug["published_basis"] == "syndicated-copy"
    # analysed like any article
    assert "US Forces Korea" in {o["name"] for o in rail["organizations"]}
    assert "transport-deployment" in {t["topic"] for t in rail["topics"]}
    # the page's own body keeps none of its related stories
    assert "tugboat" not in by_id["page_with_related"]["body"]


def test_related_stories_survive_an_unchanged_reingest(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES, raw)
    ingest([raw], store=tmp_path / "s", progress=False, corrections=False)
    again = ingest([raw], store=tmp_path / "s", progress=False, corrections=False)
    assert again.unchanged == 2 and again.parsed == 0 and again.documents == 4


def test_seed_004_related_stories_are_not_scored_as_seeds(repo):
    from workbench.evaluate.seeds import evaluate_seeds
    out = evaluate_seeds()
    assert out["embedded_records"] == 3
    sources = [s for ev in out["analysis"]["events"]["events"] for s in ev["sources"]]
    assert sources and not [s for s in sources if "__embedded-" in s]
    dup = out["analysis"]["duplicates"]
    assert dup["false_pairs"] == 0 and all(SEED_004 + "__" not in " ".join(p) for p in dup["false"])
