"""The inputs ledger as columns: what the last ingest read, one row per input file.

A row holds a file's shown path, size, mtime, content hash, status, the doc_ids it gave
and their partitions; anything else an entry carries (a rejection reason, the records of
it that were rejected, keys a caller added) is kept as JSON in ``extra``. Why columns and
not one JSON object: at 100k files the JSON ledger was 24 MB, and parsing it (then
comparing it whole) cost more than a run with nothing to do may take. As columns, a run
compares sizes and mtimes as lists, and decodes only the entries of files that changed.
The store keeps it as the ``ledger`` sidecar (``workbench.store``); ``to_dict`` gives the
mapping ``path -> entry`` that readers of the store have always had.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

SCHEMA = pa.schema([("path", pa.string()), ("size", pa.int64()), ("mtime_ns", pa.int64()),
                    ("sha256", pa.string()), ("status", pa.string()), ("doc_ids", pa.list_(pa.string())),
                    ("partitions", pa.list_(pa.string())), ("noted", pa.bool_()), ("docs", pa.int32()),
                    ("extra", pa.string())])
_INTS = ("size", "mtime_ns")
_STRS = ("sha256", "status")
_LISTS = ("doc_ids", "partitions")


def _is_str_list(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _row(path: str, entry: Any) -> dict[str, Any]:
    """One entry as a row: the known keys in their columns (when of their type), the rest in ``extra``."""
    if not isinstance(entry, dict):
        return {"path": path, "noted": False, "docs": 0, "extra": json.dumps({"": entry}, ensure_ascii=False)}
    row: dict[str, Any] = {"path": path}
    rest = dict(entry)
    for k in _INTS:
        if isinstance(rest.get(k), int) and not isinstance(rest[k], bool):
            row[k] = rest.pop(k)
    for k in _STRS:
        if isinstance(rest.get(k), str):
            row[k] = rest.pop(k)
    for k in _LISTS:
        if _is_str_list(rest.get(k)):
            row[k] = rest.pop(k)
    row["noted"] = is_noted(entry)
    row["docs"] = len(row.get("doc_ids") or [])
    row["extra"] = json.dumps(rest, ensure_ascii=False) if rest else None
    return row


def is_noted(entry: Any) -> bool:
    """Whether a ledger entry is one a report's data-quality notes list: a rejected input."""
    return isinstance(entry, dict) and bool(entry.get("status") == "rejected" or entry.get("rejected"))


def _entry(row: dict[str, Any]) -> Any:
    extra = json.loads(row["extra"]) if row.get("extra") else {}
    if "" in extra and len(extra) == 1 and all(row.get(k) is None for k in (*_INTS, *_STRS, *_LISTS)):
        return extra[""]                      # an entry that was not a dict
    out = {k: row[k] for k in (*_INTS, *_STRS, *_LISTS) if row.get(k) is not None}
    out.update(extra)
    return out


def table_of(ledger: Mapping[str, Any]) -> pa.Table:
    """The ledger mapping ``path -> entry`` as a table."""
    return pa.Table.from_pylist([_row(p, e) for p, e in ledger.items()], schema=SCHEMA)


PLAN_COLUMNS = ["path", "size", "mtime_ns", "noted", "docs"]     # what a run's stat check reads


class Ledger:
    """A loaded ledger: the columns a run's stat check needs, as lists; the rest on demand.

    ``row(path)`` finds a file's row, ``entry(i)`` decodes that one entry; ``to_dict``
    decodes all of them (for readers of the store, not for planning). ``load(columns)``
    reads the stored table's ``columns`` (None: all); given it, a run that changes
    nothing never reads the doc_ids, partitions or extras (at 100k files: 0.03 s, not 0.1–0.5)."""

    def __init__(self, table: pa.Table | None = None, load: Callable[[list[str] | None], pa.Table] | None = None):
        if table is None and load is None:
            table = SCHEMA.empty_table()
        self._table = table.cast(SCHEMA) if table is not None else None
        self._load = load
        cols = self._table if self._table is not None else load(PLAN_COLUMNS)   # type: ignore[misc]
        self.paths: list[str] = cols.column("path").to_pylist()
        self.sizes: list[int | None] = cols.column("size").to_pylist()
        self.mtimes: list[int | None] = cols.column("mtime_ns").to_pylist()
        self.noted: list[bool] = cols.column("noted").to_pylist()
        self.docs: list[int] = cols.column("docs").to_pylist()
        self.index = dict(zip(self.paths, range(len(self.paths))))

    @property
    def table(self) -> pa.Table:
        """The whole table (read when first needed)."""
        if self._table is None:
            assert self._load is not None
            self._table = self._load(None).cast(SCHEMA)
        return self._table

    @classmethod
    def of(cls, ledger: Mapping[str, Any] | pa.Table | Ledger | None) -> Ledger:
        if isinstance(ledger, Ledger):
            return ledger
        if isinstance(ledger, pa.Table):
            return cls(ledger)
        return cls(table_of(ledger or {}))

    def __len__(self) -> int:
        return len(self.paths)

    def row(self, path: str) -> int | None:
        return self.index.get(path)

    def entry(self, i: int) -> Any:
        return _entry(self.table.slice(i, 1).to_pylist()[0])

    def get(self, path: str) -> Any:
        i = self.index.get(path)
        return None if i is None else self.entry(i)

    def ids_and_parts(self, i: int) -> tuple[list[str], list[str]]:
        """The doc_ids row ``i`` gave and the partitions they were stored in."""
        r = self.table.slice(i, 1).select(["doc_ids", "partitions"]).to_pylist()[0]
        return r["doc_ids"] or [], r["partitions"] or []

    def to_dict(self) -> dict[str, Any]:
        return {r["path"]: _entry(r) for r in self.table.to_pylist()}

    def doc_ids(self, rows: Iterable[int]) -> list[str]:
        """The doc_ids of ``rows``, in row order."""
        t = self.table.take(pa.array(sorted(rows), pa.int64())).column("doc_ids")
        return pc.list_flatten(t).to_pylist()

    def doc_count(self, rows: Iterable[int]) -> int:
        docs = self.docs
        return sum(docs[i] for i in rows)

    def partitions_of(self, ids: Iterable[str]) -> dict[str, str]:
        """doc_id -> the partition the ledger stored it in (ids not found are left out)."""
        t = self.table.filter(pc.equal(pc.list_value_length(self.table.column("doc_ids")),
                                       pc.list_value_length(self.table.column("partitions"))))
        flat_ids = pc.list_flatten(t.column("doc_ids"))
        flat_parts = pc.list_flatten(t.column("partitions"))
        hit = pc.is_in(flat_ids, value_set=pa.array(sorted(set(ids)), pa.string()))
        return dict(zip(flat_ids.filter(hit).to_pylist(), flat_parts.filter(hit).to_pylist()))

    def updated(self, keep: Iterable[int], entries: Mapping[str, Any]) -> pa.Table:
        """The table of this ledger's ``keep`` rows (as they are) plus ``entries`` (path -> entry)."""
        kept = self.table.take(pa.array(sorted(keep), pa.int64()))
        return pa.concat_tables([kept, table_of(entries)]) if entries else kept
