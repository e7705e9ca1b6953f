"""The corpus store: one Parquet file of article records plus the inputs ledger.

Everything lives in ``data/store/corpus.parquet``: one row per ``Article``, in
the columns of ``record.arrow_schema()`` (nested items as typed ``list<struct>``
columns, the link overlay as a struct), and in the file's schema metadata the
ledger of inputs (each file's hash, the documents it gave or the reason it was
rejected). One file means one atomic ``os.replace``: a crash or kill mid-write
leaves the previous store readable. Load and save both go through that schema.
"""
from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from workbench import settings
from workbench.errors import StoreError
from workbench.files import atomic_replace, csv_safe, file_lock
from workbench.record import (  # corrections track (issue 14.2)
    BOOL_FIELDS,
    FIELDS,
    INT_FIELDS,
    LIST_FIELDS,
    VIEW_LIST_FIELDS,
    Article,
    Fix,
    Link,
    arrow_schema,
)

STORE_FILE = "corpus.parquet"
LEDGER_KEY = b"workbench.inputs"
VERSION_KEY = b"workbench.version"
# 3: + embedded_in and the fix overlay (corrections track: a store without the related-story records is rebuilt)
# 2: typed list<struct> columns and the link overlay (1: JSON text)
STORE_VERSION = "3"
RUN_KEY = "_run"         # the ledger entry about the last run itself (not an input file)


def store_path(store: str | Path | None = None) -> Path:
    """The Parquet file of the store folder ``store`` (default ``data/store``)."""
    return Path(store or settings.store_dir()) / STORE_FILE


@contextlib.contextmanager
def locked(store: str | Path | None = None, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the store folder (one writer at a time); wait at most
    ``timeout`` seconds (default ``settings.LOCK_TIMEOUT_SECONDS``) for another run."""
    d = Path(store or settings.store_dir())
    wait = settings.LOCK_TIMEOUT_SECONDS if timeout is None else timeout
    with file_lock(d / ".lock", timeout=wait, what=f"the store {d}"):
        yield


def _row(art: Article) -> dict[str, Any]:
    row = {f.name: getattr(art, f.name) for f in fields(Article)}
    row["link"] = asdict(art.link) if art.link is not None else None
    row["fix"] = asdict(art.fix) if art.fix is not None else None   # corrections track (issue 14.2)
    return row


def _article(row: dict[str, Any]) -> Article:
    link = row.pop("link", None)
    fix = row.pop("fix", None)   # corrections track (issue 14.2)
    for f in fields(Article):
        if row.get(f.name) is None and f.name in LIST_FIELDS:
            row[f.name] = []
    row["word_count"] = int(row.get("word_count") or 0)
    row["body"] = row.get("body") or ""
    art = Article(**row)
    art.link = Link(**{k: v for k, v in link.items() if k != "notes"}, notes=list(link.get("notes") or [])) \
        if link else None
    art.fix = Fix.from_row(fix) if fix else None   # corrections track (issue 14.2)
    return art


def write_store(articles: Sequence[Article | dict], ledger: dict, store: str | Path | None = None) -> Path:
    """Atomically replace the store with ``articles`` and the inputs ``ledger``.

    Flat records (dicts, as ``empty_record`` makes) are taken as extracted values."""
    path = store_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(".corpus-*.parquet.tmp"):   # left by a killed run
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    arts = []
    for a in articles:
        if isinstance(a, Article):
            arts.append(a)
            continue
        try:
            arts.append(Article.from_record(a))
        except (TypeError, ValueError) as e:
            raise StoreError(f"{path}: record {a.get('doc_id')!r} cannot be stored: {e}") from e
    schema = arrow_schema().with_metadata({LEDGER_KEY: json.dumps(ledger, ensure_ascii=False).encode(),
                                           VERSION_KEY: STORE_VERSION.encode()})
    try:
        table = pa.Table.from_pylist([_row(a) for a in arts], schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
        raise StoreError(f"{path}: a record does not fit the store's schema ({e})") from e
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


def read_articles(store: str | Path | None = None, outdated_ok: bool = False) -> tuple[list[Article], dict]:
    """The stored articles and the inputs ledger; empty when there is no store yet.

    A store written by an older workbench raises ``StoreError`` (with
    ``outdated_ok``, it reads as empty, so ``ingest`` rebuilds it)."""
    path = store_path(store)
    if not path.exists():
        return [], {}
    try:
        table = pq.read_table(path)
    except Exception as e:  # pyarrow raises several types for a damaged file
        raise StoreError(f"{path}: cannot read the corpus store ({e}); "
                         f"delete it and run `workbench ingest` to rebuild it") from e
    meta = table.schema.metadata or {}
    version = meta.get(VERSION_KEY, b"?").decode(errors="replace")
    if version != STORE_VERSION:
        if outdated_ok:
            return [], {}
        raise StoreError(f"{path}: written by store version {version}, this workbench reads version "
                         f"{STORE_VERSION}; run `workbench ingest` to rebuild it")
    ledger = json.loads(meta.get(LEDGER_KEY, b"{}"))
    return [_article(row) for row in table.to_pylist()], ledger


def read_store(store: str | Path | None = None) -> tuple[list[dict], dict]:
    """The flat records (link overlay applied, as exported) and the inputs ledger."""
    articles, ledger = read_articles(store)
    return [a.record() for a in articles], ledger


def records_to_frame(records: list[dict]) -> pd.DataFrame:
    """A DataFrame of records with proper dtypes: strings, a datetime
    ``published`` (NaT when unknown), an integer ``word_count``, lists as objects."""
    df = pd.DataFrame([{f: r.get(f) for f in FIELDS} for r in records], columns=list(FIELDS))
    for f in FIELDS:
        if f in VIEW_LIST_FIELDS:   # corrections track: + "corrections"
            df[f] = df[f].map(lambda v: v if isinstance(v, list) else [])
        elif f in BOOL_FIELDS:      # corrections track: "relevant"
            df[f] = df[f].map(lambda v: v is not False).astype(bool)
        elif f in INT_FIELDS:
            df[f] = df[f].fillna(0).astype("int64")
        elif f == "published":
            df[f] = pd.to_datetime(df[f], format="%Y-%m-%d", errors="coerce")
        else:
            df[f] = df[f].astype("string")
    return df.set_index("doc_id", drop=False).rename_axis(None)


def load_corpus(store: str | Path | None = None) -> pd.DataFrame:
    """The corpus as a DataFrame, one row per article (see ``records_to_frame``)."""
    records, _ = read_store(store)
    return records_to_frame(records)


def input_files(ledger: dict) -> list[str]:
    """The input files a ledger accounts for (its keys, less the run's own ``_run`` entry)."""
    return [k for k in ledger if k != RUN_KEY]


def load_ledger(store: str | Path | None = None) -> dict:
    """The inputs ledger: for each input file its hash, documents, or rejection reason."""
    return read_articles(store)[1]


def export_records(records: list[dict], fmt: str, out) -> int:
    """Write records to the text stream ``out`` as ``jsonl`` or ``csv``; returns the count."""
    if fmt == "jsonl":
        for r in records:
            out.write(json.dumps({f: r.get(f) for f in FIELDS}, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        def cell(r: dict, f: str) -> Any:
            return csv_safe(json.dumps(r.get(f), ensure_ascii=False) if f in VIEW_LIST_FIELDS else r.get(f))
        df = pd.DataFrame([{f: cell(r, f) for f in FIELDS} for r in records], columns=list(FIELDS))
        df.to_csv(out, index=False, quoting=csv.QUOTE_NONNUMERIC)   # a CR in text stays in its cell
    else:
        raise ValueError(f"unknown export format {fmt!r}: use jsonl or csv")
    return len(records)
