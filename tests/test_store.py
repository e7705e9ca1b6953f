"""store: round trip, dtypes, atomic replacement, clear errors."""

import pandas as pd
import pytest

from workbench.record import FIELDS, empty_record
from workbench.store import StoreError, export_records, load_corpus, read_store, store_path, write_store


def _rec(doc_id, **kw):
    return empty_record(doc_id=doc_id, body="Senior defence officials held talks in Seoul.",
                        published=kw.pop("published", None), word_count=7,
                        people=[{"name": "Koo Sang-mo", "role": "chief director", "rank": None}], **kw)


def test_round_trip_and_dtypes(tmp_path):
    recs = [_rec("a", published="2026-02-11", title="T"), _rec("b")]
    write_store(recs, {"x.txt": {"sha256": "0", "doc_ids": ["a", "b"]}}, tmp_path)
    back, ledger = read_store(tmp_path)
    assert back[0]["people"][0]["name"] == "Koo Sang-mo" and ledger["x.txt"]["doc_ids"] == ["a", "b"]
    df = load_corpus(tmp_path)
    assert list(df.columns) == list(FIELDS)
    assert pd.api.types.is_datetime64_any_dtype(df["published"])
    assert df.loc["a", "published"] == pd.Timestamp("2026-02-11") and pd.isna(df.loc["b", "published"])
    assert df["word_count"].dtype == "int64" and df.loc["b", "people"][0]["rank"] is None


def test_failed_write_keeps_previous_store(tmp_path, monkeypatch):
    write_store([_rec("a")], {}, tmp_path)
    before = store_path(tmp_path).read_bytes()
    files_before = sorted(p.name for p in (tmp_path / "parts").iterdir())

    import pyarrow.parquet as pq
    def boom(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(pq, "write_table", boom)
    with pytest.raises(OSError):
        write_store([_rec("b")], {}, tmp_path)
    assert store_path(tmp_path).read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "parts").iterdir()) == files_before
    assert [r["doc_id"] for r in read_store(tmp_path)[0]] == ["a"]


def test_damaged_store_gives_actionable_error(tmp_path):
    store_path(tmp_path).write_bytes(b"garbage")
    with pytest.raises(StoreError, match="workbench ingest"):
        read_store(tmp_path)


def test_export_jsonl_has_every_field(tmp_path):
    import io
    import json
    buf = io.StringIO()
    export_records([_rec("a", published="2026-02-11")], "jsonl", buf)
    row = json.loads(buf.getvalue())
    assert set(row) == set(FIELDS) and row["published"] == "2026-02-11"


def test_missing_store_is_empty(tmp_path):
    assert load_corpus(tmp_path / "none").empty


def test_nested_items_are_typed_list_struct_columns(tmp_path):
    """One schema for save and load: nested items come back exactly, and the Parquet
    columns are typed (any Arrow tool reads them without parsing JSON)."""
    import pyarrow.parquet as pq

    from workbench.record import Article, Link
    ev = {"kind": "CONSULT", "mode": "meeting", "date": "2026-02-11", "date_precision": "day",
          "date_basis": "explicit", "date_text": "Feb 11", "date_partial": None, "year_inferred": False,
          "place": "Seoul", "participants": ["Koo Sang-mo"], "organizations": ["DLA"], "platforms": [],
          "sentence": "They met.", "evidence": ["They met."], "planned": False}
    art = Article(doc_id="a", body="They met.", dateline_day="--02-11", events=[ev],
                  topics=[{"topic": "t", "score": 0.5, "weight": 1.0, "evidence": ["e"], "cues": ["c"]}],
                  link=Link(story_id="a", notes=["n"]))
    write_store([art], {}, tmp_path)
    (part,) = (tmp_path / "parts").glob("undated-*.parquet")
    schema = pq.read_schema(part)
    assert str(schema.field("events").type).startswith("list<element: struct<kind: string")
    assert str(schema.field("link").type).startswith("struct<story_id: string")
    from workbench.store import read_articles
    (back,), _ = read_articles(tmp_path)
    assert back == art


def test_a_record_that_does_not_fit_the_schema_is_refused_by_name(tmp_path):
    bad = empty_record(doc_id="a", people=["just a string"])
    with pytest.raises(StoreError, match="schema"):
        write_store([bad], {}, tmp_path)
    assert not store_path(tmp_path).exists()


def test_store_of_another_version_says_what_to_do(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    tmp_path.mkdir(exist_ok=True)
    pq.write_table(pa.table({"doc_id": ["a"]}).replace_schema_metadata({b"workbench.version": b"1"}),
                   tmp_path / "corpus.parquet")
    with pytest.raises(StoreError, match="version 1.*workbench ingest"):
        read_store(tmp_path)
    from workbench.store import read_articles
    assert read_articles(tmp_path, outdated_ok=True) == ([], {})   # what ingest uses: a fresh rebuild


def test_a_record_with_an_unknown_date_basis_is_refused_by_name(tmp_path):
    with pytest.raises(StoreError, match="'a'.*published_basis"):
        write_store([empty_record(doc_id="a", published="2026-02-11", published_basis="guessed")], {}, tmp_path)


def test_articles_are_partitioned_by_their_own_month(tmp_path):
    import zlib
    write_store([_rec("a", published="2026-02-11"), _rec("b", published="2026-02-01"),
                 _rec("c", published="2025-12-30"), _rec("d")], {}, tmp_path)
    import json
    man = json.loads(store_path(tmp_path).read_text())
    undated = f"undated-{zlib.crc32(b'd') % 16:x}"     # undated pages spread by a hash of their id
    assert {k: v["rows"] for k, v in man["partitions"].items()} == {"2025-12": 1, "2026-02": 2, undated: 1}
    assert sorted(p.name.split(".")[0] for p in (tmp_path / "parts").glob("*.parquet")) == \
        sorted(["2025-12", "2026-02", undated, "_ledger"])     # + the inputs ledger's sidecar


def test_columns_and_filters_are_pushed_down(tmp_path):
    import pyarrow.compute as pc

    from workbench.record import Article, Link
    a = Article(doc_id="a", body="x", title=None, published=None, warnings=["own"],
                link=Link(story_id="b", published="2026-02-11", published_from="b", notes=["linked"]))
    write_store([a, _rec("b", published="2026-02-11", title="T")], {}, tmp_path)
    recs, _ = read_store(tmp_path, columns=["doc_id", "published", "warnings"])
    assert sorted(recs, key=lambda r: r["doc_id"]) == [
            {"doc_id": "a", "published": "2026-02-11", "warnings": ["own", "linked"]},
            {"doc_id": "b", "published": "2026-02-11", "warnings": []}]
    df = load_corpus(tmp_path, columns=["title"], filter=pc.field("published") >= "2026-01-01")
    assert list(df.index) == ["b"] and list(df.columns) == ["doc_id", "title"]


def _one_file_store(path, version: bytes) -> None:
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    from workbench.record import Article, arrow_schema
    from workbench.store import _row
    schema = arrow_schema().with_metadata({b"workbench.inputs": json.dumps({"x.txt": {"doc_ids": ["a"]}}).encode(),
                                           b"workbench.version": version})
    pq.write_table(pa.Table.from_pylist([_row(Article(doc_id="a", body="b c"))], schema=schema),
                   path / "corpus.parquet")


def test_a_version_3_file_still_reads(tmp_path):
    """A store written before partitioning (one corpus.parquet, version 3: same columns) reads as it did."""
    _one_file_store(tmp_path, b"3")
    recs, ledger = read_store(tmp_path)
    assert [r["doc_id"] for r in recs] == ["a"] and ledger == {"x.txt": {"doc_ids": ["a"]}}
    write_store([_rec("z")], {}, tmp_path)          # the first commit migrates: the old file goes
    assert not (tmp_path / "corpus.parquet").exists() and [r["doc_id"] for r in read_store(tmp_path)[0]] == ["z"]


def test_older_stores_say_to_rebuild(tmp_path):
    """A version 2 file and a version 3 manifest predate the related-story records: rebuilt, not read."""
    import json

    from workbench.store import read_articles
    _one_file_store(tmp_path, b"2")
    with pytest.raises(StoreError, match="version 2.*workbench ingest"):
        read_store(tmp_path)
    (tmp_path / "corpus.parquet").unlink()
    store_path(tmp_path).write_text(json.dumps({"version": "3", "partitions": {}, "ledger": {}}))
    with pytest.raises(StoreError, match="version 3.*workbench ingest"):
        read_store(tmp_path)
    assert read_articles(tmp_path, outdated_ok=True) == ([], {})   # what ingest uses: a fresh rebuild


def test_a_commit_removes_files_no_manifest_names(tmp_path):
    """A run killed after writing a partition but before its manifest leaves a file behind;
    the next commit removes it (and never a file the new manifest names)."""
    write_store([_rec("a", published="2026-02-11")], {}, tmp_path)
    stray = tmp_path / "parts" / "2026-03.deadbeef.parquet"
    stray.write_bytes(b"left by a killed run")
    write_store([_rec("a", published="2026-02-11"), _rec("b")], {}, tmp_path)
    assert not stray.exists() and len(list((tmp_path / "parts").glob("*.parquet"))) == 3   # 2 parts + the ledger
    assert sorted(r["doc_id"] for r in read_store(tmp_path)[0]) == ["a", "b"]


def test_columns_read_apply_the_analysts_fix_as_the_full_read_does(tmp_path):
    """Column push-down (issue 12) gives the same view as a full read with corrections (issue 14):
    the link overlay first, then the fix; ``corrections``/``relevant`` are never stored columns."""
    from workbench.record import Article, Fix, Link
    a = Article(doc_id="a", body="x", title=None, warnings=["own"],
                link=Link(story_id="b", title="Copied headline", title_from="b", notes=["linked"]),
                fix=Fix(notes=["title set by analyst [c1]"], values=[{"field": "title", "value": "Analyst"}],
                        relevant=False))
    write_store([a, _rec("b", title="T")], {}, tmp_path)
    want = ["doc_id", "title", "title_basis", "story_id", "warnings", "corrections", "relevant"]
    full = {r["doc_id"]: {k: r[k] for k in want} for r in read_store(tmp_path)[0]}
    part = {r["doc_id"]: r for r in read_store(tmp_path, columns=want)[0]}
    assert part == full
    assert part["a"]["title"] == "Analyst" and part["a"]["relevant"] is False and part["b"]["relevant"] is True


def test_topic_counts_count_the_articles_carrying_each_topic(tmp_path):
    from collections import Counter

    from workbench.store import topic_counts

    def rec(i, *topics):
        return dict(empty_record(), doc_id=f"d{i}", title=f"t{i}",
                    topics=[{"topic": t, "score": 1.0, "weight": 1.0, "evidence": [], "cues": []} for t in topics])
    recs = [rec(0, "a", "b"), rec(1, "a"), rec(2), rec(3, "b", "b"), rec(4, "c")]
    write_store(recs, {}, tmp_path)
    want = Counter(t for r in read_store(tmp_path)[0] for t in {x["topic"] for x in r["topics"]})
    assert topic_counts(tmp_path) == dict(want) == {"a": 2, "b": 2, "c": 1}
    assert topic_counts(tmp_path / "none") == {}
