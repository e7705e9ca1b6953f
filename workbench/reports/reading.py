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

A topic report reads the whole table first (``read_whole``) and its outline from it; it
decodes only the ledger entries it shows (``topic_ledger``), the corpus overview the
whole ledger, once per store version; an outline read after the table is taken from it
(the corpus overview after topic reports), and the frame of the topic reports' outline
is made once: a topic's corpus frame is that frame with the topic's rows made from their
full records (``spliced``).

The values are exactly what ``read_store`` returns: the outline is its
``columns=`` read, and a topic's rows go through the same ``Article.record``
(link and correction overlays) as a ``filter=`` read.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from workbench.ledger import is_noted
from workbench.storage import is_url
from workbench.store import (
    LEGACY_FILE,
    RUN_KEY,
    STORE_FILE,
    articles_from_table,
    load_ledger,
    manifest_bytes,
    read_files,
    read_ledger,
    read_manifest,
    read_table,
    record_columns,
    records_from_table,
    records_to_frame,
    store_dir,
)

_CACHE: dict[Any, Any] = {"key": None}


def _store_key(store: str | Path | None) -> tuple:
    if is_url(store):       # a store at an fsspec URL: its manifest's hash (every commit replaces it)
        data = manifest_bytes(store)
        return (str(store), STORE_FILE, hashlib.sha256(data).hexdigest()) if data is not None else (str(store), None)
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


def _ledger(e: dict[Any, Any], store: str | Path | None) -> dict:
    """The inputs ledger, decoded once per store version (~1 s of CPU at 20k inputs)."""
    if "ledger" not in e:
        e["ledger"] = load_ledger(store)
    return e["ledger"]


def read_whole(store: str | Path | None) -> pa.Table:
    """``read_table(store)`` (every column and row), by ``store.read_files``: at 20k
    articles 0.7 CPU s, not 0.9–1.0, on a machine whose cores are busy with other kernels."""
    return read_files(store)


def _table(e: dict[Any, Any], store: str | Path | None) -> pa.Table:
    """The whole stored table, read once per store version."""
    if "table" not in e:
        e["table"] = read_whole(store)
    return e["table"]


def topic_ledger(store: str | Path | None) -> dict:
    """The entries of the inputs ledger a topic report reads (its data-quality notes): the
    last run's (``_run``) and every rejected input's (the ``noted`` rows: each entry whose
    status is "rejected" is one), decoded as ``load_ledger`` decodes them, in ledger order,
    once per store version. The other entries (one per input file, 20k at 20k articles)
    are not decoded; the corpus overview, which counts them, reads ``outline``'s ledger."""
    e = _entry(store)
    if "topic_ledger" not in e:
        if "ledger" in e:
            full = e["ledger"]
            e["topic_ledger"] = {p: v for p, v in full.items() if p == RUN_KEY or is_noted(v)}
        else:
            man = read_manifest(store)
            if man is None:                     # a version 3 file or no store: the whole (small) ledger
                e["topic_ledger"] = load_ledger(store)
            else:
                led = read_ledger(store, man)
                e["topic_ledger"] = {led.paths[i]: led.entry(i) for i, (p, n) in enumerate(zip(led.paths, led.noted))
                                     if n or p == RUN_KEY}
    return e["topic_ledger"]


def outline_records(store: str | Path | None, columns: list[str], whole: bool = False) -> list[dict]:
    """``read_store(store, columns=columns)[0]``, read once per store version (do not modify
    the records); from the stored table when it was read already (the corpus overview after
    topic reports in one kernel) or ``whole`` says it will be (a topic report: its rows
    are taken from it next; the outline's columns alone are not read then, ~0.4 CPU s at 20k)."""
    e = _entry(store)
    k = ("outline", tuple(columns))
    if k not in e:
        table = _table(e, store) if whole or "table" in e else read_table(store, columns=record_columns(columns))
        e[k] = records_from_table(table, columns)
    return e[k]


def outline(store: str | Path | None, columns: list[str]) -> tuple[list[dict], dict]:
    """``read_store(store, columns=columns)``: ``outline_records`` and the whole inputs
    ledger, each read once per store version."""
    return outline_records(store, columns), _ledger(_entry(store), store)


def outline_frame(store: str | Path | None, columns: list[str]):
    """``records_to_frame(outline(store, columns)[0])`` (every field), made once per store
    version (do not modify it)."""
    e = _entry(store)
    k = ("frame", tuple(columns))
    if k not in e:
        e[k] = records_to_frame(outline_records(store, columns))
    return e[k]


def rows_of(store: str | Path | None, doc_ids: list[str]) -> list[dict]:
    """``read_store(store, filter=pc.field("doc_id").isin(doc_ids))[0]``: the full records of
    ``doc_ids`` (store order), filtered from the stored table read once per store version."""
    table = _table(_entry(store), store)
    wanted = pa.array(doc_ids, type=table.schema.field("doc_id").type)
    rows = table.filter(pc.is_in(table.column("doc_id"), value_set=wanted))
    return [a.record() for a in articles_from_table(rows)]


def records_of(store: str | Path | None, doc_ids: list[str]) -> tuple[list[dict], dict]:
    """``read_store(store, filter=pc.field("doc_id").isin(doc_ids))``: ``rows_of`` and the
    whole inputs ledger."""
    return rows_of(store, doc_ids), _ledger(_entry(store), store)


def spliced(base, outline: list[dict], by_id: dict[str, dict]):
    """``records_to_frame([by_id.get(r["doc_id"], r) for r in outline])``, from ``base``, the
    frame of ``outline`` (kept per kernel): only the rows of ``by_id`` are made here, the
    others are taken from ``base`` (the same values and dtypes, in outline order)."""
    import numpy as np
    import pandas as pd
    if not by_id:
        return base.copy()
    mask = np.fromiter((r["doc_id"] in by_id for r in outline), dtype=bool, count=len(outline))
    mine = records_to_frame([by_id[r["doc_id"]] for r, m in zip(outline, mask) if m])
    both = pd.concat([base[~mask], mine])
    pos = np.concatenate([np.flatnonzero(~mask), np.flatnonzero(mask)])
    return both.iloc[np.argsort(pos, kind="stable")]


def forget() -> None:
    """Drop what is kept (tests; a caller that knows the store changed in place)."""
    _CACHE.clear()
    _CACHE["key"] = None
