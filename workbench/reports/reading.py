"""What the report notebooks read from the store, read once per kernel.

``workbench report`` runs the topic reports one after another in a kernel it
keeps (``reports.run.Worker``: the namespace is reset between reports, imported
modules stay). Each topic report reads the outline of every article and every
field of its own articles; read from disk per report, that was the same outline
and, for the row filter, a decode of every column of the store each time (~4 s
of CPU per report at 20k articles). Here the outline and the stored table are
kept in this module, keyed by the store's manifest (path, inode, size, mtime:
every store commit replaces the manifest), so the second report of a kernel
reads nothing from disk, and any change to the store is a fresh read.

The values are exactly what ``read_store`` returns: the outline is its
``columns=`` read, and a topic's rows go through the same ``Article.record``
(link and correction overlays) as a ``filter=`` read.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from workbench.store import (
    LEGACY_FILE,
    STORE_FILE,
    articles_from_table,
    load_ledger,
    read_store,
    read_table,
    store_dir,
)

_CACHE: dict[Any, Any] = {"key": None}


def _store_key(store: str | Path | None) -> tuple:
    d = store_dir(store).resolve()
    for name in (STORE_FILE, LEGACY_FILE):
        try:
            st = os.stat(d / name)
        except OSError:
            continue
        return (str(d), name, st.st_ino, st.st_size, st.st_mtime_ns)
    return (str(d), None)


def _entry(store: str | Path | None) -> dict[Any, Any]:
    key = _store_key(store)
    if _CACHE["key"] != key:        # one store at a time: a new key drops the old one
        _CACHE.clear()
        _CACHE["key"] = key
    return _CACHE


def outline(store: str | Path | None, columns: list[str]) -> tuple[list[dict], dict]:
    """``read_store(store, columns=columns)``, read once per store version (do not modify the records)."""
    e = _entry(store)
    k = ("outline", tuple(columns))
    if k not in e:
        e[k] = read_store(store, columns=columns)
    return e[k]


def records_of(store: str | Path | None, doc_ids: list[str]) -> tuple[list[dict], dict]:
    """``read_store(store, filter=pc.field("doc_id").isin(doc_ids))``: the full records of
    ``doc_ids`` (store order), filtered from the stored table read once per store version."""
    e = _entry(store)
    if "table" not in e:
        e["table"] = read_table(store)
        e["ledger"] = load_ledger(store)
    table: pa.Table = e["table"]
    wanted = pa.array(doc_ids, type=table.schema.field("doc_id").type)
    rows = table.filter(pc.is_in(table.column("doc_id"), value_set=wanted))
    return [a.record() for a in articles_from_table(rows)], e["ledger"]


def forget() -> None:
    """Drop what is kept (tests; a caller that knows the store changed in place)."""
    _CACHE.clear()
    _CACHE["key"] = None
