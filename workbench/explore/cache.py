"""The explorer's corpus and index cached beside the store, one pair of Arrow files per partition.

The store's Parquet partitions are compressed and nested: decoding them, making the
search texts and building the index was a first start of 14.6 s at 100k articles.
For each partition file of the store, ``<store>/.explorer-cache/`` keeps two
uncompressed Arrow IPC files named by that file's identity (its name, which a commit
never reuses, size and mtime, and this cache's version): ``rows-<id>.arrow``, the
explorer's rows of it (every field, overlays applied, and the search text), and
``index-<id>.arrow``, ``indexcache.index_table`` of its own index. A start maps the
files of the partitions the manifest names (strings, bodies included, are not copied),
builds only the missing ones (a partition an ingest rewrote) and puts the whole index
together (``indexmerge``). A file that does not read, or is not the one its name says
(each file carries its id), is rebuilt, never shown. Files are written atomically
(temporary file, then ``os.replace``); those of partitions no longer named are deleted.
``warm`` (``workbench ingest`` calls it after a commit) makes the missing files
without building the whole index. Data only: no pickle, nothing in it is executed.
``tests/test_explore_cache.py``: the cached frame equals ``store.load_corpus``, the
index ``build_index``'s.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import os
from pathlib import Path
from typing import Any

import pandas as pd

from workbench import store as st
from workbench.explore.columns import _typed, read_columns
from workbench.explore.indexcache import LAYOUT, index_table
from workbench.explore.indexmerge import merged_index, part_keys
from workbench.explore.query import CorpusIndex, build_index, search_texts
from workbench.explore.search import text_bytes
from workbench.files import atomic_writer
from workbench.record import BOOL_FIELDS, FIELDS, INT_FIELDS, VIEW_LIST_FIELDS, arrow_schema
from workbench.storage import is_url

CACHE_DIR = ".explorer-cache"
CACHE_VERSION = "4"       # bump when the files' layout or the frame's columns change


def part_id(path: str | Path) -> str:
    """A name for one partition file's current state (its name, size and mtime; this cache's version)."""
    info = os.stat(path)
    h = hashlib.sha256(f"{CACHE_VERSION}|{LAYOUT}|{'|'.join(FIELDS)}|".encode())
    h.update(f"{Path(path).name}|{info.st_size}|{info.st_mtime_ns}".encode())
    return h.hexdigest()[:32]


def _types() -> dict[str, Any]:
    import pyarrow as pa
    schema = arrow_schema()
    out = {f: schema.field(f).type for f in FIELDS if f in schema.names}
    out.update({"story_id": pa.string(), "corrections": pa.list_(pa.string()), "relevant": pa.bool_()})
    return out


def _table(cols: dict[str, Any]) -> Any:
    """The columns (lists, or Arrow arrays) as one Arrow table in the store's types."""
    import pyarrow as pa
    types = _types()
    arrays = {c: v if not isinstance(v, list) else pa.array(v, type=types[c]) for c, v in cols.items()}
    return pa.table(arrays)


def frame_of_table(table, lazy: bool = False) -> pd.DataFrame:
    """The corpus DataFrame (as ``store.load_corpus``) of a cached table. ``lazy``: list
    columns stay Arrow (``pd.ArrowDtype``, not copied), for ``CorpusIndex.lazy``."""
    import pyarrow as pa
    cols = list(table.column_names)
    data = {}
    for c in cols:
        col = table.column(c)
        if lazy and c in VIEW_LIST_FIELDS:
            data[c] = pd.Series(pd.arrays.ArrowExtensionArray(col))
        elif c in VIEW_LIST_FIELDS or c in BOOL_FIELDS or c in INT_FIELDS or c == "published":
            data[c] = _typed(c, col.to_pylist())
        elif pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            data[c] = _typed(c, col)
        else:
            data[c] = _typed(c, col.to_pylist())
    df = pd.DataFrame(data, columns=cols)
    return df.set_index("doc_id", drop=False).rename_axis(None)



TEXT = "_search_text"      # the rows file's extra column: ``query.search_texts`` of each row
META = b"workbench-explorer-part"      # each file's id, checked on read
COLUMNS = ["doc_id", *[f for f in FIELDS if f != "doc_id"]]


def _schema() -> Any:
    import pyarrow as pa
    types = _types()
    return pa.schema([pa.field(c, types[c]) for c in COLUMNS] + [pa.field(TEXT, pa.large_string())])


def _read(path: Path, pid: str) -> Any:
    """A cache file, memory-mapped; ValueError when it is not the file ``pid`` names."""
    import pyarrow as pa
    with pa.memory_map(str(path)) as source:
        table = pa.ipc.open_file(source).read_all()
    if (table.schema.metadata or {}).get(META) != pid.encode():
        raise ValueError(f"{path.name}: not the cache of that partition")
    return table


def _write(table, path: Path, pid: str) -> None:
    import pyarrow as pa
    table = table.replace_schema_metadata({META: pid.encode()})
    with atomic_writer(path, "wb") as f, pa.ipc.new_file(f, table.schema) as w:
        w.write_table(table)


def _parts(store) -> list[tuple[str, str]] | None:
    """(partition key, file path) of each partition the manifest names, in its order (None:
    no partitioned store here, or one at a URL: no cache files beside it)."""
    man = None if is_url(store) else st.read_manifest(store)
    if man is None:
        return None
    return [(k, st._part_files(store, man, [k])[0]) for k in man["partitions"]]


def _build_part(store, key: str) -> tuple[Any, Any]:
    """One partition's rows (with their search texts) and its own index, as Arrow tables."""
    import pyarrow as pa
    table = _table(read_columns(store, COLUMNS, as_arrow=True, keys=[key]))
    titles, bodies = table.column("title").to_pylist(), table.column("body").to_pylist()
    texts = search_texts(titles, bodies)
    itable = index_table(build_index(frame_of_table(table), text_lc=texts))
    for c, v in part_keys(titles, bodies).items():
        itable = itable.append_column(c, v)
    return table.append_column(TEXT, pa.array(texts, type=pa.large_string())), itable


def _cached_part(folder: Path, pid: str) -> tuple[Any, Any] | None:
    """A partition's two cache files, when both read and are what their names say."""
    import pyarrow as pa
    try:
        table, itable = _read(folder / f"rows-{pid}.arrow", pid), _read(folder / f"index-{pid}.arrow", pid)
        ok = (table.schema.remove_metadata().equals(_schema()) and "body_len" in itable.column_names
              and itable.column("layout").chunk(0).flatten().to_pylist() == [LAYOUT]
              and all(len(itable.column(c).chunk(0).flatten()) == table.num_rows for c in ("story", "body_len")))
    except (OSError, pa.ArrowException, ValueError, KeyError, IndexError):
        return None
    return (table, itable) if ok else None


def _part(store, key: str, path: str, folder: Path, write: bool) -> tuple[Any, Any, str]:
    pid = part_id(path)
    got = _cached_part(folder, pid)
    if got is None:
        got = _build_part(store, key)
        if write and part_id(path) == pid:       # the file did not change while it was read
            with contextlib.suppress(OSError):    # a read-only store folder: no cache, same index
                _write(got[0], folder / f"rows-{pid}.arrow", pid)
                _write(got[1], folder / f"index-{pid}.arrow", pid)
    return got[0], got[1], pid


def _prune(folder: Path, keep: set[str]) -> None:
    """Delete the cache files of partitions no longer named (and older layouts' files)."""
    with contextlib.suppress(OSError):
        for old in folder.glob("*.arrow"):
            if old.stem.split("-", 1)[-1] not in keep:
                with contextlib.suppress(OSError):
                    old.unlink()


def _tables(store, write: bool) -> tuple[Any, list] | None:
    """Every partition's rows as one table (in the store's order) and the partitions' index
    tables (None: no partitioned store on local disk)."""
    import pyarrow as pa
    parts = _parts(store)
    if parts is None:
        return None
    folder = st.store_dir(store) / CACHE_DIR
    got = [_part(store, k, p, folder, write) for k, p in parts]
    if write and folder.exists():
        _prune(folder, {pid for _, _, pid in got})
    full = pa.concat_tables([t for t, _, _ in got]) if got else _schema().empty_table()
    return full, [i for _, i, _ in got]


def warm(store: str | Path | None = None) -> int:
    """Make the cache files of the partitions that have none yet (after an ingest: the ones
    it wrote) and delete those of partitions no longer named; the number made."""
    parts = _parts(store)
    if parts is None:
        return 0
    folder, made, keep = st.store_dir(store) / CACHE_DIR, 0, set()
    for key, path in parts:
        pid = part_id(path)
        keep.add(pid)
        if not ((folder / f"rows-{pid}.arrow").exists() and (folder / f"index-{pid}.arrow").exists()):
            _part(store, key, path, folder, True)
            made += 1
    if folder.exists():
        _prune(folder, keep)
    return made


def cached_corpus(store: str | Path | None = None, write: bool = True) -> tuple[pd.DataFrame, list[str] | None]:
    """``store.load_corpus(store)`` and its search texts (``query.search_texts``; None when
    there is no partitioned store on local disk), read from the cache, the partitions
    without one read from the store and, with ``write``, cached for the next start."""
    got = _tables(store, write)
    if got is None:
        from workbench.explore.columns import read_frame
        return read_frame(store), None
    full = got[0]
    return frame_of_table(full.drop_columns([TEXT])), full.column(TEXT).to_pylist()


def cached_index(store: str | Path | None = None, write: bool = True) -> CorpusIndex:
    """``query.build_index(store.load_corpus(store))``, put together from the partitions'
    cached indexes (``indexmerge``); the partitions without one are read and indexed and,
    with ``write``, cached."""
    gc_was_on = gc.isenabled()
    gc.disable()    # ~a million new dicts, lists, strings, no cycles: at 20k 0.15 CPU s less at start, ~0.1 s net
    try:
        return _index(store, write)
    finally:
        if gc_was_on:
            gc.enable()


def _index(store, write: bool) -> CorpusIndex:
    got = _tables(store, write)
    if got is None:
        from workbench.explore.columns import read_frame
        return build_index(read_frame(store))
    full, itables = got
    frame = frame_of_table(full.drop_columns([TEXT]), lazy=True)
    texts = full.column(TEXT)
    index = merged_index(frame, texts, full, itables)
    if index is None:
        return build_index(frame, text_lc=texts.to_pylist())
    text_bytes(index)        # what free-text search reads, made now rather than at the first search
    return index


def cached_frame(store: str | Path | None = None, write: bool = True) -> pd.DataFrame:
    """``store.load_corpus(store)``, as ``cached_corpus`` reads it."""
    return cached_corpus(store, write)[0]
