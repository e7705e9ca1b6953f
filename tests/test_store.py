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

    import pyarrow.parquet as pq
    def boom(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(pq, "write_table", boom)
    with pytest.raises(OSError):
        write_store([_rec("b")], {}, tmp_path)
    assert store_path(tmp_path).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


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
