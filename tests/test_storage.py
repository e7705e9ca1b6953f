"""storage: a store at an fsspec URL (no network: ``memory://`` and local files behind
``file://`` and ``dir::``) holds and gives back what a store folder does."""
import uuid

import fsspec
import pytest
from seed_data import seed_raw

from workbench.explore.columns import read_columns
from workbench.pipeline import ingest
from workbench.record import FIELDS
from workbench.store import load_corpus, read_files, read_manifest, read_store, store_files, topic_counts


def _url(kind, tmp_path):
    return {"memory": f"memory://wb-{uuid.uuid4().hex}/store",
            "file": f"file://{tmp_path}/url-store",
            "dir": f"dir::file://{tmp_path}/dir-store"}[kind]


def _parts(store):
    """Partition key -> the bytes of its file (sidecars, which hold run times, left out)."""
    files, man = store_files(store), read_manifest(store)
    return {k: files.read_bytes(e["file"]) for k, e in man["partitions"].items()}


def _files_are_the_named_ones(store):
    files, man = store_files(store), read_manifest(store)
    named = {e["file"] for e in man["partitions"].values()} | set(man["sidecars"].values())
    assert sorted(files.listed()) == sorted(named)


@pytest.mark.parametrize("kind", ["memory", "file", "dir"])
def test_ingest_to_a_url_stores_what_a_folder_stores(tmp_path, kind):
    raw, url = seed_raw(tmp_path), _url(kind, tmp_path)
    local = ingest([raw], store=tmp_path / "local", progress=False)
    remote = ingest([raw], store=url, progress=False)
    assert remote.store == url and (remote.parsed, remote.documents) == (local.parsed, local.documents)
    assert read_store(url)[0] == read_store(tmp_path / "local")[0]
    assert _parts(url) == _parts(tmp_path / "local")          # the same Parquet bytes, partition by partition
    _files_are_the_named_ones(url)
    for cols in (None, ["doc_id", "story_id", "topics"]):      # what reports and the explorer read
        assert load_corpus(url, columns=cols).equals(load_corpus(tmp_path / "local", columns=cols))
    assert read_files(url).equals(read_files(tmp_path / "local"))
    assert topic_counts(url) == topic_counts(tmp_path / "local")
    assert read_columns(url, list(FIELDS)) == read_columns(tmp_path / "local", list(FIELDS))


def test_a_changed_and_a_removed_file_rewrite_a_url_store_as_a_folder(tmp_path):
    raw, url = seed_raw(tmp_path), _url("memory", tmp_path)
    for store in (tmp_path / "local", url):
        ingest([raw], store=store, progress=False)
    before = store_files(url).read_bytes("manifest.json")
    ingest([raw], store=url, progress=False)                   # nothing changed: nothing written
    assert store_files(url).read_bytes("manifest.json") == before
    first = sorted(raw.iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n\nOne more paragraph was added to this page "
                     "after it was first saved, long enough to count.\n", encoding="utf-8")
    sorted(raw.iterdir())[-1].unlink()
    for store in (tmp_path / "local", url):
        ingest([raw], store=store, progress=False)
    assert read_store(url)[0] == read_store(tmp_path / "local")[0]
    assert _parts(url) == _parts(tmp_path / "local")
    _files_are_the_named_ones(url)                             # superseded files were deleted


def test_a_failed_write_at_a_url_keeps_the_previous_store(tmp_path, monkeypatch):
    raw, url = seed_raw(tmp_path), _url("memory", tmp_path)
    ingest([raw], store=url, progress=False)
    before, records = store_files(url).read_bytes("manifest.json"), read_store(url)
    listed = sorted(store_files(url).listed())
    (raw / "new.txt").write_text("A new page\n\n" + "Words of a page that is new here. " * 20, encoding="utf-8")
    import pyarrow.parquet as pq

    def boom(*a, **k):
        raise OSError("no room")
    monkeypatch.setattr(pq, "write_table", boom)
    with pytest.raises(OSError):
        ingest([raw], store=url, progress=False)
    assert store_files(url).read_bytes("manifest.json") == before and read_store(url) == records
    assert sorted(store_files(url).listed()) == listed


def test_the_manifest_is_renamed_where_the_filesystem_can_and_put_whole_elsewhere(tmp_path):
    assert store_files(f"file://{tmp_path}/s").renames() and store_files(f"dir::file://{tmp_path}/s").renames()
    assert not store_files("memory://x/s").renames()
    url = f"file://{tmp_path}/s"
    ingest([seed_raw(tmp_path)], store=url, progress=False)
    fs = fsspec.filesystem("file")
    assert not [p for p in fs.ls(str(tmp_path / "s")) if p.endswith(".tmp")]


def test_a_table_written_in_slices_is_the_file_of_the_table_written_whole(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from workbench.storage import ROW_GROUP, write_parquet
    n = 2 * ROW_GROUP + 123
    table = pa.table({"n": range(n), "s": [f"text {i % 7}" for i in range(n)],
                      "l": [[str(i)] * (i % 3) for i in range(n)]})
    whole, sliced = tmp_path / "whole.parquet", tmp_path / "sliced.parquet"
    assert write_parquet(table, str(whole)) == n
    assert write_parquet((table.slice(o, ROW_GROUP) for o in range(0, n, ROW_GROUP)), str(sliced)) == n
    assert pq.read_table(sliced).equals(table)
    groups = pq.ParquetFile(sliced).metadata
    assert [groups.row_group(i).num_rows for i in range(groups.num_row_groups)] == [ROW_GROUP, ROW_GROUP, 123]
    assert sliced.read_bytes() == whole.read_bytes()
