"""The corpus store: one Parquet file of article records plus the inputs ledger.

Everything lives in ``data/store/corpus.parquet``: the records as columns, and
in the file's schema metadata the ledger of inputs (each file's hash, the
documents it gave or the reason it was rejected). One file means one atomic
``os.replace``: a crash or kill mid-write leaves the previous store readable.
List-valued fields are stored as JSON text and decoded on load.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from workbench import settings
from workbench.errors import StoreError
from workbench.files import atomic_replace, file_lock
from workbench.record import FIELDS, INT_FIELDS, LIST_FIELDS

STORE_FILE = "corpus.parquet"
LEDGER_KEY = b"workbench.inputs"
VERSION_KEY = b"workbench.version"
STORE_VERSION = "1"
RUN_KEY = "_run"         # the ledger entry about the last run itself (not an input file)
BASE_COLUMN = "_base"   # record values before cross-document linking (for re-linking)


def store_path(directory: str | Path | None = None) -> Path:
    return Path(directory or settings.store_dir()) / STORE_FILE


@contextlib.contextmanager
def locked(directory: str | Path | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the store folder (one writer at a time)."""
    d = Path(directory or settings.store_dir())
    with file_lock(d / ".lock", what=f"the store {d}"):
        yield


def _schema() -> pa.Schema:
    cols = []
    for f in FIELDS:
        cols.append(pa.field(f, pa.int64() if f in INT_FIELDS else pa.string()))
    cols.append(pa.field(BASE_COLUMN, pa.string()))
    return pa.schema(cols)


def write_store(records: list[dict], ledger: dict, directory: str | Path | None = None) -> Path:
    """Atomically replace the store with ``records`` and the inputs ``ledger``."""
    path = store_path(directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(".corpus-*.parquet.tmp"):   # left by a killed run
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    cols: dict[str, list] = {f: [] for f in FIELDS}
    cols[BASE_COLUMN] = []
    for rec in records:
        for f in FIELDS:
            v = rec.get(f)
            if f in LIST_FIELDS:
                v = json.dumps(v or [], ensure_ascii=False)
            elif f in INT_FIELDS:
                v = int(v or 0)
            cols[f].append(v)
        cols[BASE_COLUMN].append(json.dumps(rec.get(BASE_COLUMN) or {}, ensure_ascii=False))
    schema = _schema().with_metadata({LEDGER_KEY: json.dumps(ledger, ensure_ascii=False).encode(),
                                      VERSION_KEY: STORE_VERSION.encode()})
    table = pa.table(cols, schema=schema)
    fd, tmp = tempfile.mkstemp(prefix=".corpus-", suffix=".parquet.tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    atomic_replace(tmp, path)
    return path


def read_store(directory: str | Path | None = None) -> tuple[list[dict], dict]:
    """Records (list fields decoded) and the inputs ledger; empty when no store yet."""
    path = store_path(directory)
    if not path.exists():
        return [], {}
    try:
        table = pq.read_table(path)
    except Exception as e:  # pyarrow raises several types for a damaged file
        raise StoreError(f"{path}: cannot read the corpus store ({e}); "
                         f"delete it and run `workbench ingest` to rebuild it") from e
    meta = table.schema.metadata or {}
    ledger = json.loads(meta.get(LEDGER_KEY, b"{}"))
    records = []
    for row in table.to_pylist():
        for f in LIST_FIELDS:
            row[f] = json.loads(row[f]) if row.get(f) else []
        row[BASE_COLUMN] = json.loads(row.get(BASE_COLUMN) or "{}")
        records.append(row)
    return records, ledger


def records_to_frame(records: list[dict]) -> pd.DataFrame:
    """A DataFrame of records with proper dtypes: strings, a datetime
    ``published`` (NaT when unknown), an integer ``word_count``, lists as objects."""
    df = pd.DataFrame([{f: r.get(f) for f in FIELDS} for r in records], columns=list(FIELDS))
    for f in FIELDS:
        if f in LIST_FIELDS:
            df[f] = df[f].map(lambda v: v if isinstance(v, list) else [])
        elif f in INT_FIELDS:
            df[f] = df[f].fillna(0).astype("int64")
        elif f == "published":
            df[f] = pd.to_datetime(df[f], format="%Y-%m-%d", errors="coerce")
        else:
            df[f] = df[f].astype("string")
    return df.set_index("doc_id", drop=False).rename_axis(None)


def load_corpus(directory: str | Path | None = None) -> pd.DataFrame:
    """The corpus as a DataFrame, one row per article (see ``records_to_frame``)."""
    records, _ = read_store(directory)
    return records_to_frame(records)


def input_files(ledger: dict) -> list[str]:
    """The input files a ledger accounts for (its keys, less the run's own ``_run`` entry)."""
    return [k for k in ledger if k != RUN_KEY]


def load_ledger(directory: str | Path | None = None) -> dict:
    """The inputs ledger: for each input file its hash, documents, or rejection reason."""
    return read_store(directory)[1]


def export_records(records: list[dict], fmt: str, out) -> int:
    """Write records to the text stream ``out`` as ``jsonl`` or ``csv``; returns the count."""
    if fmt == "jsonl":
        for r in records:
            out.write(json.dumps({f: r.get(f) for f in FIELDS}, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        df = pd.DataFrame([{f: (json.dumps(r.get(f), ensure_ascii=False) if f in LIST_FIELDS else r.get(f))
                            for f in FIELDS} for r in records], columns=list(FIELDS))
        df.to_csv(out, index=False)
    else:
        raise ValueError(f"unknown export format {fmt!r}: use jsonl or csv")
    return len(records)
