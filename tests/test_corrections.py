"""Analyst corrections (issue 14, part 2): validated on load, applied after analysis and
linking on every ingest, holding through re-ingest and re-linking, reported when they
cannot be applied."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.corrections import add_correction, apply_corrections, correction_for, entry_text, load_corrections
from workbench.errors import ReferenceDataError
from workbench.pipeline import ingest
from workbench.record import Article, Event, Link, Organization, TopicHit
from workbench.store import load_corpus, read_articles, read_store

S000, S001, S002, S003, S004 = ("000_329d62e74b5381aa", "001_6007161c3ca6bdf9", "002_13870656a1d7a076",
                                "003_b690a855f5fdafe1", "004_ea56c1c4bcc3f02c")


# --------------------------------------------------------------------------- loading


def _load(tmp_path: Path, text: str):
    p = tmp_path / "corrections.toml"
    p.write_text(text, encoding="utf-8")
    return load_corrections(p)


def test_the_shipped_template_holds_no_corrections(repo):
    assert load_corrections(repo / "data" / "corrections.toml") == []


def test_missing_file_means_no_corrections(tmp_path):
    assert load_corrections(tmp_path / "none.toml") == []


@pytest.mark.parametrize("entry, message", [
    ('doc_id = "a"\ncolour = "red"', "unknown key(s) colour"),
    ('set = { title = "x" }', "needs doc_id (or url)"),
    ('doc_id = "a"\nset = { published = "Feb 11" }', "set.published: 'Feb 11' is not a YYYY-MM-DD date"),
    ('doc_id = "a"\nset = { published = "2026-02-30" }', "is not a YYYY-MM-DD date"),
    ('doc_id = "a"\nset = { body = "x" }', "set.body: not a field a correction sets"),
    ('doc_id = "a"\nrelevant = "no"', "relevant: expected true or false"),
    ('doc_id = "a"\nadd_people = [1]', "add_people: expected a non-empty string"),
    ('doc_id = "a"\nsplit = true\nmerge_with = "b"', "contradict"),
    ('doc_id = "a"\nnote = "only a note"', "corrects nothing"),
    ('doc_id = "a"\n[[correction.event]]\nsentence = "x"\nset_date = "10 Feb"', "set_date '10 Feb' is not"),
    ('doc_id = "a"\n[[correction.event]]\nsentence = "x"', "says neither set_kind nor set_date"),
    ('doc_id = "a"\n[[correction.event]]\nset_kind = "visit"', "event #1: sentence"),
])
def test_malformed_entries_name_the_file_and_the_entry(tmp_path, entry, message):
    ok = '[[correction]]\nid = "first"\ndoc_id = "z"\nrelevant = false\n'
    with pytest.raises(ReferenceDataError) as err:
        _load(tmp_path, ok + "\n[[correction]]\n" + entry + "\n")
    text = str(err.value)
    assert "corrections.toml: correction #2" in text and message in text


def test_duplicate_ids_and_bad_toml_are_refused(tmp_path):
    with pytest.raises(ReferenceDataError, match=r"correction #2 \('c'\): id already used by correction #1"):
        _load(tmp_path, '[[correction]]\nid="c"\ndoc_id="a"\nsplit=true\n[[correction]]\nid="c"\ndoc_id="b"\n'
                        'split=true\n')
    with pytest.raises(ReferenceDataError, match="corrections.toml: not valid TOML"):
        _load(tmp_path, "[[correction]\n")
    with pytest.raises(ReferenceDataError, match="unknown table"):
        _load(tmp_path, '[fixes]\ndoc_id = "a"\n')


# --------------------------------------------------------------------------- applying, one article


def _org(name: str) -> Organization:
    return Organization(name=name, aliases=["USFK"] if name == "US Forces Korea" else [], mentions=2, kind=None,
                        misprints=[])


def _event(kind: str, sentence: str, date: str | None) -> Event:
    return Event(kind=kind, mode=None, date=date, date_precision="day" if date else None, date_basis="timex",
                 date_text="Tuesday", date_partial=None, year_inferred=False, place=None, participants=[],
                 organizations=[], sentence=sentence, evidence=[], planned=False)


def _art(doc_id: str, **kw) -> Article:
    base = dict(title="Old title", published=None, sha256="11" * 32, url=f"https://news.example/{doc_id}",
                organizations=[_org("US Forces Korea"), _org("Defense Logistics Agency")],
                topics=[TopicHit(topic="logistics-sustainment", score=2.0, weight=1.0, evidence=[], cues=[])],
                events=[_event("visit", "The general visited the depot on Tuesday.", "2026-02-10"),
                        _event("agreement", "Both sides signed a maintenance deal.", None)])
    base.update(kw)
    return Article(doc_id=doc_id, **base)


def _entries(tmp_path: Path, *entries: dict) -> list:
    p = tmp_path / "c.toml"
    p.write_text("".join(entry_text(e) for e in entries), encoding="utf-8")
    return load_corrections(p)


def test_set_fields_overlay_the_extracted_values(tmp_path):
    a = _art("a")
    probs = apply_corrections([a], _entries(tmp_path, {"id": "t", "doc_id": "a", "set": {
        "title": "Right title", "published": "2026-02-12", "outlet": "Harbor Ledger", "author": ""}}))
    rec = a.record()
    assert probs == []
    assert (rec["title"], rec["published"], rec["published_basis"]) == ("Right title", "2026-02-12", "analyst")
    assert rec["outlet"] == "Harbor Ledger" and rec["author"] is None
    assert a.title == "Old title" and a.published is None       # what the page gave is kept apart
    assert "title set by analyst [t]" in rec["corrections"] and rec["relevant"] is True


def test_lists_relevance_and_events(tmp_path):
    a = _art("a")
    probs = apply_corrections([a], _entries(tmp_path, {
        "doc_id": "a", "remove_organizations": ["usfk", "Nobody Inc"], "add_organizations": ["Busan Port Authority"],
        "add_people": ["Mina Park"], "add_topics": ["mro-shipbuilding", "no-such-topic"],
        "remove_topics": ["logistics-sustainment"], "relevant": False,
        "event": [{"sentence": "signed a  MAINTENANCE deal", "set_date": "2026-02", "set_kind": "contract"},
                  {"sentence": "never said", "set_kind": "visit"}]}), topics={"mro-shipbuilding"})
    rec = a.record()
    assert [o["name"] for o in rec["organizations"]] == ["Defense Logistics Agency", "Busan Port Authority"]
    assert [p["name"] for p in rec["people"]] == ["Mina Park"]
    assert [t["topic"] for t in rec["topics"]] == ["mro-shipbuilding"]
    assert rec["relevant"] is False
    deal = rec["events"][1]
    assert (deal["kind"], deal["date"], deal["date_precision"], deal["date_basis"]) == \
        ("contract", "2026-02", "month", "analyst")
    assert rec["events"][0] == a.events[0] and a.events[1]["kind"] == "agreement"   # analysis untouched
    said = " | ".join(m for _, m in probs)
    assert "'Nobody Inc' is not among" in said and "'no-such-topic' is not a topic" in said
    assert "'never said' is no longer among the article's events" in said


def test_merge_and_split_stories(tmp_path):
    a, b, c, d = (_art(x) for x in "abcd")
    a.link, b.link = Link(story_id="a"), Link(story_id="a", published="2026-02-01", published_from="a")
    c.link, d.link = Link(story_id="c"), Link(story_id="d")
    apply_corrections([a, b, c, d], _entries(tmp_path, {"id": "s", "doc_id": "a", "split": True},
                                             {"id": "m", "doc_id": "d", "merge_with": "c"}))
    story = {x.doc_id: x.record()["story_id"] for x in (a, b, c, d)}
    assert story == {"a": "a", "b": "b", "c": "c", "d": "c"}
    assert b.record()["published"] == "2026-02-01"      # b was not split: it keeps what it borrowed
    assert any("story changed" in n for n in b.record()["corrections"])
    probs = apply_corrections([a, b], _entries(tmp_path, {"doc_id": "b", "split": True}))
    assert b.record()["published"] is None and b.record()["story_id"] == "b"   # a false copy borrows nothing
    assert probs == []


def test_problems_are_reported_never_dropped(tmp_path):
    a = _art("renamed", url="https://news.example/a")
    probs = apply_corrections([a], _entries(
        tmp_path, {"id": "gone", "doc_id": "nowhere", "relevant": False},
        {"id": "moved", "doc_id": "a", "url": "https://news.example/a", "sha256": "22" * 32,
         "set": {"title": "T"}},
        {"id": "m", "doc_id": "renamed", "merge_with": "nowhere"}), where="c.toml")
    said: dict[str, list[str]] = {}
    for who, what in probs:
        said.setdefault(who, []).append(what)
    assert "is not in the corpus" in said["c.toml [gone] (doc nowhere)"][0]
    assert a.record()["title"] == "T"          # found by its url ...
    moved = " | ".join(said["c.toml [moved] (doc a)"])
    assert "applied to renamed" in moved and "raw file changed" in moved   # ... and its changed file noticed
    assert "article nowhere is not in the corpus; not merged" in said["c.toml [m] (doc renamed)"][0]


def test_removing_a_correction_undoes_it(tmp_path):
    a = _art("a")
    apply_corrections([a], _entries(tmp_path, {"doc_id": "a", "set": {"title": "New"}}))
    apply_corrections([a], [])
    assert a.fix is None and a.record()["title"] == "Old title" and a.record()["corrections"] == []


# --------------------------------------------------------------------------- the writer


def test_add_correction_appends_a_valid_entry_and_keeps_the_file(tmp_path):
    p = tmp_path / "corrections.toml"
    p.write_text("# my notes stay\n", encoding="utf-8")
    art = _art("a")
    c1 = add_correction(path=p, **correction_for(art, set={"title": 'He said "no"\\ \x7f'}, by="kim"))
    c2 = add_correction("b", path=p, relevant=False)
    assert (c1.id, c2.id) == ("c1", "c2") and c1.sha256 == art.sha256 and c1.url == art.url
    assert p.read_text(encoding="utf-8").startswith("# my notes stay\n")
    assert [c.set for c in load_corrections(p)] == [{"title": 'He said "no"\\ \x7f'}, {}]
    before = p.read_bytes()
    with pytest.raises(ReferenceDataError, match=r"correction #3 .*set.published"):
        add_correction("c", path=p, set={"published": "yesterday"})
    assert p.read_bytes() == before            # a bad correction is never written


# --------------------------------------------------------------------------- through ingest


@pytest.fixture()
def seeds(tmp_path, seed_paths):
    raw = tmp_path / "raw"
    raw.mkdir()
    for f in seed_paths:
        shutil.copy(f, raw / f.name)
    return raw, tmp_path / "store", tmp_path / "corrections.toml"


def _run(raw, store, corr, paths=None):
    summary = ingest(paths or [raw], store=store, progress=False, corrections=corr)
    return summary, {r["doc_id"]: r for r in read_store(store)[0]}


def _check_holds(recs: dict) -> None:
    r0, r1, r2, r3, r4 = (recs[d] for d in (S000, S001, S002, S003, S004))
    assert r0["published"] == "2025-06-10" and r0["published_basis"] == "analyst"
    # the analyst's date is the anchor: "June 9" now has its year
    assert "2025-06-09" in {e["date"] for e in r0["events"]}
    assert r1["story_id"] == S001 and r2["story_id"] == S002      # the false copy split off ...
    assert r1["published"] is None                                # ... borrows no date
    assert {e["date"] for e in r1["events"]}.isdisjoint({"2026-02-11", "2026-02-10"})   # nor anchors on it
    ev = [e for e in r3["events"] if "delegation" in e["sentence"]]
    assert ev and ev[0]["date"] == "2026-02-05" and ev[0]["kind"] == "visit"
    assert "command-control" in {t["topic"] for t in r4["topics"]} and r4["relevant"] is False
    assert r3["corrections"] == ["event kind 'visit' and date 2026-02-05 set by analyst [c3]"]


def test_a_correction_survives_reingest_relink_and_a_changed_file(seeds):
    raw, store, corr = seeds
    _, recs = _run(raw, store, corr)
    arts = {a.doc_id: a for a in read_articles(store)[0]}
    add_correction(path=corr, **correction_for(arts[S000], set={"published": "2025-06-10"}))
    add_correction(path=corr, **correction_for(arts[S001], split=True))
    add_correction(path=corr, **correction_for(arts[S003], event=[
        {"sentence": "visit earlier this month by a US delegation", "set_date": "2026-02-05", "set_kind": "visit"}]))
    add_correction(path=corr, **correction_for(arts[S004], add_topics=["command-control"], relevant=False))
    summary, recs = _run(raw, store, corr)
    assert summary.corrections == [] and summary.parsed == 0
    _check_holds(recs)
    summary, recs = _run(raw, store, corr)                       # unchanged inputs
    _check_holds(recs)
    f003 = raw / "003_b690a855f5fdafe1.txt"                      # a changed raw file
    f003.write_bytes(f003.read_bytes() + b"\n\n")
    extra = Path(__file__).parent / "fixtures" / "embedded"       # new articles: linking is redone
    summary, recs = _run(raw, store, corr, paths=[raw, extra])
    assert summary.parsed == 3
    _check_holds(recs)
    assert [w for _, w in summary.corrections if "raw file changed" in w]
    assert any("correction" in line and "raw file changed" in line for line in summary.lines())
    frame = load_corpus(store)
    assert not frame.loc[S004, "relevant"] and frame.loc[S000, "relevant"]
    assert list(frame.loc[S000, "corrections"]) == ["published set by analyst [c1]"]


def test_an_orphan_correction_is_reported_and_removing_one_reverts(seeds):
    raw, store, corr = seeds
    add_correction(S004, path=corr, set={"title": "Analyst title"})
    _, recs = _run(raw, store, corr)
    assert recs[S004]["title"] == "Analyst title"
    (raw / "004_ea56c1c4bcc3f02c.txt").unlink()
    summary, recs = _run(raw, store, corr)
    assert S004 not in recs
    assert summary.corrections and "is not in the corpus" in summary.corrections[0][1]
    corr.write_text("", encoding="utf-8")
    summary, recs = _run(raw, store, corr)
    assert summary.corrections == [] and all(not r["corrections"] for r in recs.values())


def _mtimes(store: Path) -> dict[str, int]:
    return {str(p.relative_to(store)): p.stat().st_mtime_ns for p in store.rglob("*") if p.is_file()}


def test_unchanged_corrections_write_nothing_and_an_edited_one_is_applied(seeds):
    """The partitioned store (issue 12) writes nothing when inputs and corrections are unchanged;
    an edit to the corrections alone is a change (their fingerprint is in the manifest)."""
    raw, store, corr = seeds
    add_correction(S003, path=corr, set={"title": "First analyst title"})
    add_correction("no_such_doc", path=corr, relevant=False)
    first, recs = _run(raw, store, corr)
    assert recs[S003]["title"] == "First analyst title"
    before = _mtimes(store)
    again, recs2 = _run(raw, store, corr)
    assert _mtimes(store) == before and recs2 == recs
    assert again.corrections == first.corrections and "is not in the corpus" in again.corrections[0][1]
    assert again.empty == first.empty
    corr.write_text(corr.read_text(encoding="utf-8").replace("First analyst title", "Second analyst title"),
                    encoding="utf-8")
    third, recs3 = _run(raw, store, corr)
    assert third.parsed == 0 and recs3[S003]["title"] == "Second analyst title"
    assert _mtimes(store) != before


def test_a_malformed_corrections_file_stops_ingest_before_any_write(seeds):
    raw, store, corr = seeds
    corr.write_text('[[correction]]\ndoc_id = "x"\nset = { colour = "red" }\n', encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="corrections.toml: correction #1"):
        ingest([raw], store=store, progress=False, corrections=corr)
    assert not (store / "manifest.json").exists() and not (store / "parts").exists()


def test_add_correction_refuses_an_id_already_used(tmp_path):
    p = tmp_path / "corrections.toml"
    add_correction("a", path=p, id="mine", relevant=False)
    with pytest.raises(ReferenceDataError, match=r"correction #2 \('mine'\): id already used by correction #1"):
        add_correction("b", path=p, id="mine", relevant=False)
    assert len(load_corrections(p)) == 1
