"""reports.reading: the store read once per kernel gives exactly what read_store gives,
and a store commit (a new manifest) is read afresh."""
import pyarrow.compute as pc
from seed_data import seed_records

from workbench.reports import reading
from workbench.reports.corpus import OVERVIEW_FIELDS
from workbench.reports.topic import OUTLINE_FIELDS
from workbench.store import read_store, records_to_frame, write_store


def test_reads_equal_read_store_and_follow_a_commit(tmp_path):
    recs = seed_records()
    write_store(recs, {}, tmp_path)
    reading.forget()
    ids = [r["doc_id"] for r in recs][1:4] + ["not-stored"]
    assert reading.outline(tmp_path, OUTLINE_FIELDS) == read_store(tmp_path, columns=OUTLINE_FIELDS)
    assert reading.records_of(tmp_path, ids) == read_store(tmp_path, filter=pc.field("doc_id").isin(ids))
    assert reading.records_of(tmp_path, [])[0] == []
    first = reading.outline(tmp_path, OUTLINE_FIELDS)
    again = reading.outline(tmp_path, OUTLINE_FIELDS)
    assert again[0] is first[0] and again[1] is first[1]               # kept, not read again

    changed = [dict(r, title=f"changed {i}") for i, r in enumerate(recs)][:3]
    write_store(changed, {}, tmp_path)                                # a commit: a new manifest
    assert reading.outline(tmp_path, OUTLINE_FIELDS) == read_store(tmp_path, columns=OUTLINE_FIELDS)
    assert [r["title"] for r in reading.records_of(tmp_path, ids)[0]] == \
        [r["title"] for r in read_store(tmp_path, filter=pc.field("doc_id").isin(ids))[0]]
    assert all(r["title"].startswith("changed") for r in reading.outline(tmp_path, OUTLINE_FIELDS)[0])
    reading.forget()


def test_outlines_taken_from_the_kept_table_equal_read_store(tmp_path):
    """After a topic's rows (the whole stored table kept), other outlines are taken from
    that table: the same records as read_store's; the frame of an outline is records_to_frame's."""
    recs = seed_records()
    write_store(recs, {}, tmp_path)
    reading.forget()
    ids = [r["doc_id"] for r in recs][:2]
    _, ledger = reading.records_of(tmp_path, ids)
    assert "table" in reading._CACHE
    assert reading.outline(tmp_path, OVERVIEW_FIELDS) == read_store(tmp_path, columns=OVERVIEW_FIELDS)
    assert reading.outline(tmp_path, OUTLINE_FIELDS)[1] is ledger          # the ledger decoded once
    frame = reading.outline_frame(tmp_path, OUTLINE_FIELDS)
    assert frame.equals(records_to_frame(read_store(tmp_path, columns=OUTLINE_FIELDS)[0]))
    assert reading.outline_frame(tmp_path, OUTLINE_FIELDS) is frame
    reading.forget()


def test_a_topic_reports_outline_comes_from_the_whole_table(tmp_path):
    """``whole=True`` (a topic report, whose rows come from the whole table next): the table
    is read first and the outline taken from it, equal to read_store's."""
    recs = seed_records()
    write_store(recs, {}, tmp_path)
    reading.forget()
    want = read_store(tmp_path, columns=OUTLINE_FIELDS)[0]
    assert reading.outline_records(tmp_path, OUTLINE_FIELDS, whole=True) == want
    assert reading._CACHE["table"].num_rows == len(recs) and "ledger" not in reading._CACHE
    ids = [r["doc_id"] for r in recs][:2]
    assert reading.rows_of(tmp_path, ids) == read_store(tmp_path, filter=pc.field("doc_id").isin(ids))[0]
    reading.forget()


def test_the_whole_read_equals_read_table(tmp_path):
    """read_whole: the same table as read_table, also with a partition written before a
    column existed (filled with nulls) and for no store; a damaged file is a StoreError."""
    import pyarrow.parquet as pq
    import pytest

    from workbench.errors import StoreError
    from workbench.record import empty_record
    from workbench.store import read_table
    assert reading.read_whole(tmp_path / "none").equals(read_table(tmp_path / "none"))
    recs = [empty_record(doc_id=d, body="Talks in Seoul.", published=p, word_count=3)
            for d, p in (("a", "2026-01-02"), ("b", "2026-03-04"), ("c", None))]
    write_store(recs, {}, tmp_path)
    parts = sorted((tmp_path / "parts").iterdir())
    assert len(parts) >= 2
    pq.write_table(pq.read_table(parts[0]).drop_columns(["word_count"]), parts[0])
    whole = read_table(tmp_path)
    assert whole.column("word_count").null_count >= 1
    serial = reading.read_whole(tmp_path)
    assert serial.schema == whole.schema and serial.equals(whole)
    parts[1].write_bytes(b"garbage")
    with pytest.raises(StoreError, match="workbench ingest"):
        reading.read_whole(tmp_path)


def test_a_topic_reports_ledger_is_the_run_and_the_rejected_inputs(tmp_path):
    """topic_ledger: of the whole ledger (``load_ledger``), the ``_run`` entry and the rejected
    inputs' entries, the same values in the same order, whether the whole ledger was decoded
    in the kernel already or not; so a topic's quality notes are the same."""
    from workbench.store import load_ledger
    recs = seed_records()
    ledger = {"a.txt": {"sha256": "0" * 64, "doc_ids": [recs[0]["doc_id"]], "size": 3},
              "b.txt": {"status": "rejected", "reason": "not an article", "size": 5},
              "c.txt": {"sha256": "1" * 64, "doc_ids": [r["doc_id"] for r in recs[1:]], "rejected": [{"i": 2}]},
              "_run": {"at": "2026-01-02T03:04:05+00:00", "rejected": []},
              "d.txt": {"status": "rejected", "reason": "empty"}}
    write_store(recs, ledger, tmp_path)
    whole = load_ledger(tmp_path)
    want = {p: whole[p] for p in ("b.txt", "c.txt", "_run", "d.txt")}
    for first_whole in (False, True):
        reading.forget()
        if first_whole:
            assert reading.outline(tmp_path, OUTLINE_FIELDS)[1] == whole
        got = reading.topic_ledger(tmp_path)
        assert got == want and list(got) == list(want)
        assert reading.topic_ledger(tmp_path) is got
    reading.forget()
