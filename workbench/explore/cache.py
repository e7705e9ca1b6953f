"""The explorer's corpus cached beside the store: one Arrow file, memory-mapped.

The store's Parquet partitions are compressed and nested: decoding them was most of
the explorer's start (~1.2 CPU s of ~2.7 at 20k articles). ``cached_frame`` keeps
the explorer's corpus (every field, overlays applied) as one uncompressed Arrow IPC
file in ``<store>/.explorer-cache/``, named by a hash of the store's manifest: any
commit to the store writes a new manifest (new partition file names), so a cache is
never read for another state of the store; it is written atomically (temporary file,
then ``os.replace``) and replaces the older ones. Reading it maps the file: strings
(bodies included) are not copied. Data only: no pickle, nothing in it is executed.
``tests/test_explore_cache.py``: the cached frame equals ``store.load_corpus``.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

from workbench import store as st
from workbench.explore.columns import _typed, read_columns
from workbench.explore.indexcache import index_of_table, index_table
from workbench.explore.query import CorpusIndex, build_index, search_texts
from workbench.explore.search import text_bytes
from workbench.files import atomic_writer
from workbench.record import BOOL_FIELDS, FIELDS, INT_FIELDS, VIEW_LIST_FIELDS, arrow_schema
from workbench.storage import is_url

CACHE_DIR = ".explorer-cache"
CACHE_VERSION = "2"       # bump when the file's layout or the frame's columns change


def cache_key(store: str | Path | None) -> str | None:
    """A name for the store's current state (None: no partitioned store)."""
    data = st.manifest_bytes(store)
    if data is None:
        return None
    h = hashlib.sha256(f"{CACHE_VERSION}|{'|'.join(FIELDS)}|".encode())
    h.update(data)
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


def _read(path: Path) -> Any:
    import pyarrow as pa
    with pa.memory_map(str(path)) as source:
        return pa.ipc.open_file(source).read_all()


def _write(table, folder: Path, name: str) -> None:
    import pyarrow as pa
    with atomic_writer(folder / name, "wb") as f, pa.ipc.new_file(f, table.schema) as w:
        w.write_table(table)
    for old in folder.glob(name.split("-")[0] + "-*.arrow"):     # other states of the store
        if old.name != name:
            with contextlib.suppress(OSError):
                old.unlink()


TEXT = "_search_text"      # the cache's extra column: ``query.search_texts`` of each row


def cached_corpus(store: str | Path | None = None, write: bool = True) -> tuple[pd.DataFrame, list[str] | None]:
    """``store.load_corpus(store)`` and its search texts (``query.search_texts``; None when
    there is no store): from the cache when it is the store's current state, else read
    (``columns.read_columns``) and, with ``write``, cached for the next start."""
    frame, texts, _ = _corpus(store, write)
    return frame, texts


def _corpus(store, write: bool, lazy: bool = False) -> tuple[pd.DataFrame, Any, str | None]:
    """``cached_corpus`` and the cache key it was read under (None: no store). ``lazy``: read
    from the cache, the list columns stay Arrow (``frame_of_table``) and the search texts are
    the cache's Arrow column (``search.search_mask`` searches it as it is)."""
    import pyarrow as pa
    key = cache_key(store)
    if key is None or is_url(store):     # (a store at an fsspec URL: no cache files beside it)
        from workbench.explore.columns import read_frame
        return read_frame(store), None, None
    folder = st.store_dir(store) / CACHE_DIR
    name = f"frame-{key}.arrow"
    table, texts, cached = None, None, False
    if (folder / name).exists():
        with contextlib.suppress(OSError, pa.ArrowException):       # damaged: read the store
            table = _read(folder / name)
            if table.column_names[-1] != TEXT:
                table = None
            cached = table is not None
    if table is None:
        cols = ["doc_id", *[f for f in FIELDS if f != "doc_id"]]
        table = _table(read_columns(store, cols, as_arrow=True))
        texts = search_texts(table.column("title").to_pylist(), table.column("body").to_pylist())
        table = table.append_column(TEXT, pa.array(texts, type=pa.large_string()))
        if write and cache_key(store) == key:          # the store did not change while it was read
            with contextlib.suppress(OSError):          # a read-only store folder: no cache, same frame
                _write(table, folder, name)
    lazy = lazy and cached
    if texts is None:
        texts = table.column(TEXT) if lazy else table.column(TEXT).to_pylist()
    return frame_of_table(table.drop_columns([TEXT]), lazy=lazy), texts, key


def cached_index(store: str | Path | None = None, write: bool = True) -> CorpusIndex:
    """``query.build_index(store.load_corpus(store))``: the corpus as ``cached_corpus`` reads
    it, the index read back from ``index-<key>.arrow`` (``indexcache``) when the frame's
    cache has one, else built and, with ``write``, cached beside the frame."""
    gc_was_on = gc.isenabled()
    gc.disable()    # ~a million new dicts, lists, strings, no cycles: at 20k 0.15 CPU s less at start, ~0.1 s net
    try:
        return _index(store, write)
    finally:
        if gc_was_on:
            gc.enable()


def _index(store, write: bool) -> CorpusIndex:
    import pyarrow as pa
    frame, texts, key = _corpus(store, write, lazy=True)
    if key is None or texts is None:
        return build_index(frame, text_lc=texts)
    folder = st.store_dir(store) / CACHE_DIR
    name = f"index-{key}.arrow"
    index = None
    if (folder / name).exists():
        with contextlib.suppress(OSError, pa.ArrowException, KeyError, IndexError, ValueError, TypeError):
            index = index_of_table(frame, texts, _read(folder / name))     # None: not ours, or damaged
    if index is not None and not isinstance(index.text_lc, list):
        text_bytes(index)        # what free-text search reads, made now rather than at the first search
    if index is None:
        index = build_index(frame, text_lc=texts)
        if write and (folder / f"frame-{key}.arrow").exists():    # derived from that state of the store
            with contextlib.suppress(OSError):
                _write(index_table(index), folder, name)
    return index


def cached_frame(store: str | Path | None = None, write: bool = True) -> pd.DataFrame:
    """``store.load_corpus(store)``, as ``cached_corpus`` reads it."""
    return cached_corpus(store, write)[0]
