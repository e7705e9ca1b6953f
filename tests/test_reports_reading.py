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
    assert reading.outline(tmp_path, OUTLINE_FIELDS) is first          # kept, not read again

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
