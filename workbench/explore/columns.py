"""The corpus DataFrame read column by column: what ``store.load_corpus`` returns, faster.

``load_corpus`` makes every stored row a Python dict, then an ``Article``, then a
flat record, then a DataFrame row: at 20k articles most of the explorer's start.
``read_frame`` reads the same columns as Arrow and converts each column once;
the link overlay (story, a date or title borrowed from a copy, notes; every
stored row has one) is applied column-wise, the analyst's corrections (few rows)
row by row with the store's own ``_overlaid``. ``tests/test_explore_columns.py``
checks the frame equals ``load_corpus``'s, value for value.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from workbench import store as st
from workbench.record import (
    BOOL_FIELDS,
    FIELDS,
    INT_FIELDS,
    LIST_FIELDS,
    SCALAR_FIELDS,
    VIEW_LIST_FIELDS,
    arrow_schema,
)

SYNDICATED = "syndicated-copy"


def read_parts(store: str | Path | None, columns: list[str], children: dict[str, list[str]] | None = None,
               keys: list[str] | None = None) -> Any:
    """``store.read_table(store, columns=columns)``: the partition files read one by one
    without threads (on a busy machine Arrow's thread pool cost twice the CPU and more
    than twice the wall time of this); ``read_table`` itself for anything unusual.
    ``children``: of these struct columns, only the fields named (the rest is not decoded).
    ``keys``: only these partitions (default all)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    children = children or {}
    schema = arrow_schema()
    fields = [schema.field(c) if c not in children else
              pa.field(c, pa.struct([schema.field(c).type.field(k) for k in children[c]])) for c in columns]
    want = pa.schema(fields)
    paths = [p for c in columns for p in ([f"{c}.{k}" for k in children[c]] if c in children else [c])]
    man = st.read_manifest(store)
    if man is None:
        return _trimmed(st.read_table(store, columns=columns, partitions=keys), want)
    tables = []
    fs = st.part_filesystem(store)      # None: local files (a store at an fsspec URL: its filesystem)
    try:
        for path in st._part_files(store, man, keys):
            with pq.ParquetFile(path, filesystem=fs) as f:
                if not set(columns) <= set(f.schema_arrow.names):
                    return _trimmed(st.read_table(store, columns=columns, partitions=keys, man=man), want)
                tables.append(f.read(columns=paths, use_threads=False).select(columns).cast(want))
    except (OSError, pa.ArrowException):
        return _trimmed(st.read_table(store, columns=columns, partitions=keys, man=man), want)   # the store's error
    return pa.concat_tables(tables) if tables else want.empty_table()


def _trimmed(table, want) -> Any:
    """``table``'s struct columns cut down to the fields of ``want``."""
    import pyarrow as pa
    cols = []
    for f in want:
        col = table.column(f.name)
        if pa.types.is_struct(f.type) and col.type != f.type:
            col = pa.chunked_array([pa.StructArray.from_arrays([ch.field(k.name) for k in f.type],
                                                               fields=list(f.type), mask=ch.is_null())
                                    for ch in col.chunks], type=f.type)
        cols.append(col)
    return pa.table(cols, schema=want)


def _column(table, name: str) -> list[Any]:
    return table.column(name).to_pylist()


def _link_overlay(cols: dict[str, list], links: list[dict | None]) -> None:
    """``record.apply_link`` on every row, a column at a time (rows without a link keep their values)."""
    n = len(links)
    story = [None] * n
    for c in ("published", "published_basis", "title", "title_basis", "warnings"):
        cols.setdefault(c, [None] * n)
    pub, pbasis, title, tbasis, warns = (cols[c] for c in ("published", "published_basis", "title",
                                                            "title_basis", "warnings"))
    for i, ln in enumerate(links):
        if not ln:
            continue
        story[i] = ln.get("story_id")
        if ln.get("published"):
            pub[i], pbasis[i] = ln["published"], SYNDICATED
        if ln.get("title"):
            title[i], tbasis[i] = ln["title"], SYNDICATED
        notes = ln.get("notes") or []
        if notes:
            own = warns[i] or []
            new = [x for x in notes if x not in own]
            if new:
                warns[i] = [*own, *new]
    cols["story_id"] = story


# string fields neither overlay touches when no row has an analyst's correction: Arrow -> pandas as is
_PLAIN = set(SCALAR_FIELDS) - set(st._OVERLAID) - {"body"}
_LISTS = set(LIST_FIELDS) - set(st._OVERLAID)      # and list fields (not ``warnings``: link notes)


def read_columns(store: str | Path | None = None, columns: list[str] | None = None,
                 as_arrow: bool = False, keys: list[str] | None = None) -> dict[str, Any]:
    """The flat records' ``columns`` (default every field) as lists, overlays applied, as
    ``store.read_store(store, columns)`` would give them row by row. ``as_arrow``: string
    columns no overlay changed stay Arrow arrays (``body`` with "" for null, as ``store._article``).
    ``keys``: the rows of these partitions only (default all)."""
    import pyarrow.compute as pc
    want = list(dict.fromkeys(columns or FIELDS))
    stored = set(arrow_schema().names)
    need = [c for c in want if c in stored]
    need += [c for c in ("link", "warnings", "fix") if c not in need]
    # of the overlays, what they change (the fix: whether there is one; read whole only then)
    table = read_parts(store, need, {"link": ["story_id", "published", "title", "notes"], "fix": ["relevant"]}, keys)
    n = table.num_rows
    fixes = table.column("fix")
    if fixes.null_count < n:
        fixes = read_parts(store, ["fix"], keys=keys).column("fix")
    arrow = as_arrow and fixes.null_count == n
    keep = {c for c in need if c in _PLAIN or c == "body" or c in _LISTS} if arrow else set()
    cols = {c: _column(table, c) for c in need if c not in ("link", "fix") and c not in keep}
    if "body" in cols:
        cols["body"] = [b or "" for b in cols["body"]]          # as ``store._article``
    _link_overlay(cols, _column(table, "link"))
    cols["corrections"] = [[] for _ in range(n)]
    cols["relevant"] = [True] * n
    if fixes.null_count < n:          # the analyst's corrections: the store's own code, row by row
        for i, fx in enumerate(fixes.to_pylist()):
            if fx:
                row = {c: cols[c][i] for c in cols}
                row["link"], row["fix"] = None, fx      # the link is applied already
                rec = st._overlaid(row, list(cols))
                for c in cols:
                    cols[c][i] = rec[c]
    for c in keep:
        cols[c] = pc.fill_null(table.column(c), "") if c == "body" else table.column(c)
    return {c: cols[c] if c in cols else [None] * n for c in want}


def read_frame(store: str | Path | None = None, columns: list[str] | None = None) -> pd.DataFrame:
    """``store.load_corpus(store, columns)``, the same DataFrame, read column-wise."""
    cols = list(columns) if columns else list(FIELDS)
    if "doc_id" not in cols:
        cols.insert(0, "doc_id")
    data = read_columns(store, cols, as_arrow=True)
    df = pd.DataFrame({c: _typed(c, data[c]) for c in cols}, columns=cols)
    return df.set_index("doc_id", drop=False).rename_axis(None)


def _typed(f: str, values: Any) -> Any:
    """A column as ``store.records_to_frame`` types it."""
    if not isinstance(values, list):            # an Arrow column: strings as they are, the rest as lists
        import pyarrow as pa
        if not pa.types.is_string(values.type):
            return _typed(f, values.to_pylist())
        return pd.Series(values.to_pandas(types_mapper={values.type: pd.StringDtype()}.get))
    if f in VIEW_LIST_FIELDS:
        return pd.Series([v if isinstance(v, list) else [] for v in values], dtype=object)
    if f in BOOL_FIELDS:
        return pd.Series([v is not False for v in values], dtype=bool)
    if f in INT_FIELDS:
        return pd.Series(values, dtype=object).fillna(0).astype("int64")
    if f == "published":
        return pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d", errors="coerce")
    return pd.Series(values, dtype=object).astype("string")
