"""The explorer's index (``query.CorpusIndex``) as one Arrow row, cached beside its corpus.

``build_index`` flattens every event, walks every entity and topic and sorts the rows:
at 20k articles ~0.7 of the warm start's ~1.5 CPU s, at every start. ``index_table``
keeps what it derived (postings, pairs, events, ranks, display columns) as a
one-row Arrow table, each field a list column. ``explore.cache`` keeps one per store
partition, next to its rows, atomically, data only (no pickle); ``indexmerge`` puts the
partitions' together into the whole corpus's index without recomputing what a
partition's rows alone decide. ``tests/test_explore_cache.py``: that index equals
``build_index``'s.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbench.explore import query as q

ROWS = ("story", "quality", "order", "copies")          # int64 per corpus row
TEXTS = ("source", "date_label", "topic_names")          # str per corpus row
EVENT_TEXT = [c for c in q.EVENT_COLUMNS if c != "when"]  # events: ``when`` kept as int64 + dtype
LAYOUT = "1"


def _one(values: Any, typ: Any = None) -> Any:
    """``values`` as a one-row list column."""
    import pyarrow as pa
    arr = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values, type=typ)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pa.ListArray.from_arrays(pa.array([0, len(arr)], type=pa.int32()), arr)


def _postings(rows: dict[str, np.ndarray]) -> tuple[list[str], np.ndarray, np.ndarray]:
    keys = list(rows)
    sizes = np.array([len(rows[k]) for k in keys], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    flat = np.concatenate([rows[k] for k in keys]).astype(np.int64) if keys else np.zeros(0, dtype=np.int64)
    return keys, offsets, flat


def index_table(index: q.CorpusIndex) -> Any:
    """What ``build_index`` derived of a corpus, as a one-row Arrow table."""
    import pyarrow as pa
    df, cols = index.frame, {}
    for c in ROWS:
        cols[c] = _one(np.asarray(getattr(index, c) if c != "copies" else df[c], dtype=np.int64))
    for c in TEXTS:
        cols[c] = _one([str(v) for v in (index.source if c == "source" else df[c].tolist())], pa.string())
    for name, rows in (("topic", index.topic_rows), ("entity", index.entity_rows)):
        keys, offsets, flat = _postings(rows)
        cols[f"{name}_keys"], cols[f"{name}_offsets"], cols[f"{name}_rows"] = (
            _one(keys, pa.string()), _one(offsets), _one(flat))
    keys = list(index.entity_rows)
    cols["entity_names"] = _one([index.entity_names[k] for k in keys], pa.string())
    cols["entity_kind"] = _one([index.entity_kind[k] for k in keys], pa.string())
    cols["pair_row"], cols["pair_id"] = _one(index.pair_row.astype(np.int64)), _one(index.pair_id.astype(np.int64))
    cols["pair_a"] = _one([a for a, _ in index.pairs], pa.string())
    cols["pair_b"] = _one([b for _, b in index.pairs], pa.string())
    ev = index.events
    cols["events"] = _one(pa.Table.from_pandas(ev[EVENT_TEXT], preserve_index=False).to_struct_array())
    when = ev["when"].to_numpy()
    cols["events_when"] = _one(when.view(np.int64))
    cols["events_when_dtype"] = _one([str(when.dtype)], pa.string())
    cols["events_key_code"] = _one(ev["key_code"].to_numpy().astype(np.int64))
    cols["layout"] = _one([LAYOUT], pa.string())
    return pa.table(cols)


def _ints(table, c: str) -> np.ndarray:
    return np.array(table.column(c).chunk(0).flatten().to_numpy(), dtype=np.int64)     # a writable copy


def _strs(table, c: str) -> list[str]:
    return table.column(c).chunk(0).flatten().to_pylist()


def _str_values(arr) -> Any:
    """An Arrow column as a pandas column of Python values would be made: strings (some null, not
    all) straight into pandas' Arrow-backed ``str`` (what it infers of them), the rest as Python values."""
    import pyarrow as pa
    if len(arr) and pa.types.is_string(arr.type) and arr.null_count < len(arr):
        return pd.array(arr, dtype="str")
    return arr.to_pylist()


def _events(table) -> pd.DataFrame:
    evs = table.column("events").chunk(0).flatten()
    cols = {c: _str_values(evs.field(c)) for c in EVENT_TEXT if c not in ("participants", "organizations")}
    for c in ("participants", "organizations"):
        cols[c] = [tuple(v) if v is not None else () for v in evs.field(c).to_pylist()]
    # column by column (a row-wise frame, as ``_flatten_events`` makes, costs ~0.1 s more at 20k): same dtypes
    ev = pd.DataFrame(cols, columns=EVENT_TEXT) if len(evs) else q.events_frame([]).drop(columns=["when", "key_code"])
    when = _ints(table, "events_when").view(np.dtype(_strs(table, "events_when_dtype")[0]))
    ev.insert(q.EVENT_COLUMNS.index("when"), "when", when)
    ev["key_code"] = _ints(table, "events_key_code")
    return ev
