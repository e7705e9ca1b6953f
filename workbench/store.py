"""The corpus store: a partitioned Parquet dataset of article records, a manifest and the inputs ledger.

Layout of the store folder (default ``data/store``)::

    manifest.json            version, the partitions and the sidecars and their files
    parts/_ledger.<token>.parquet  the inputs ledger (``workbench.ledger``): one row per input file
    parts/<key>.<token>.parquet   one file per partition: the articles published in month
                             <key> ("2026-02"), or "undated" (the page gave no date)

A partition file holds rows in the columns of ``record.arrow_schema()`` (nested
items as typed ``list<struct>`` columns, the link overlay as a struct). Why this
shape: an ingest that changes one input file rewrites the one partition its
articles live in (plus the partitions of the copies linking touches), not the
corpus; a run that changes nothing writes no file at all; readers ask for the
columns and rows they need and pyarrow.dataset reads only those.

Commits are atomic: new partition files get fresh names (never overwritten),
then ``manifest.json`` is replaced in one ``os.replace``; the files the old
manifest named are deleted afterwards. A crash at any point leaves the previous
manifest and every file it names in place. Store version 3 (one
``corpus.parquet`` file, same columns) still reads; the next ``ingest`` migrates it once.

``store`` may also be an fsspec URL (``s3://bucket/corpus``, ``memory://corpus``):
``workbench.storage`` says how its files are written and read there.
"""
from __future__ import annotations

import contextlib
import csv
import json
import re
import secrets
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from workbench import settings
from workbench.errors import StoreError
from workbench.files import csv_safe, file_lock
from workbench.ledger import Ledger, table_of
from workbench.record import (
    BOOL_FIELDS,
    FIELDS,
    INT_FIELDS,
    LIST_FIELDS,
    VIEW_LIST_FIELDS,
    Article,
    Fix,
    Link,
    apply_fix,
    apply_link,
    arrow_schema,
)
from workbench.storage import PARTS_DIR, STORE_FILE, Files, files_of, is_url

if TYPE_CHECKING:   # pandas loads on first use (ingest never needs it)
    import pandas as pd

LEGACY_FILE = "corpus.parquet"   # store version 3: one file
LEDGER_KEY = b"workbench.inputs"
VERSION_KEY = b"workbench.version"
# 5: as 4, the inputs ledger in a Parquet sidecar (``workbench.ledger``), not in the manifest's JSON
# 4: partitioned dataset + manifest, with embedded_in and the fix overlay (corrections track): still reads
# 3: one corpus.parquet file with embedded_in and the fix overlay: still reads, the next ingest migrates it
# older ones (version 3 manifests without the related-story records, 2: one file without them, 1: JSON text)
# are rebuilt by the next ingest
STORE_VERSION = "5"
READ_VERSIONS = ("4", STORE_VERSION)   # 4: the ledger inline in the manifest; the next commit moves it out
LEGACY_VERSION = "3"
RUN_KEY = "_run"         # the ledger entry about the last run itself (not an input file)
UNDATED = "undated"
UNDATED_BUCKETS = 16
_MONTH = re.compile(r"^(\d{4})-(\d{2})")


def store_dir(store: str | Path | None = None) -> Path:
    """The store folder (not for a URL: see ``store_files``)."""
    if is_url(store):
        raise ValueError(f"{store}: a store at a URL has no local folder")
    return Path(store or settings.store_dir())


def store_path(store: str | Path | None = None) -> Path:
    """The manifest of the store folder ``store``: it exists once the store has been written."""
    return store_dir(store) / STORE_FILE


def store_files(store: str | Path | None = None) -> Files:
    """The store's files: in a folder, or at an fsspec URL (``workbench.storage``)."""
    return files_of(store or settings.store_dir(), settings.store_dir())


def store_arg(store: str | Path | None) -> str:
    """The store as another process gets it (a report's kernel): an absolute folder, or the URL."""
    return str(store) if is_url(store) else str(Path(store).resolve() if store else settings.store_dir())


def store_name(store: str | Path | None = None) -> str:
    """The store's folder or URL, for messages."""
    return store_files(store).name


def manifest_bytes(store: str | Path | None = None) -> bytes | None:
    """The manifest's bytes (None: no partitioned store there yet)."""
    try:
        return store_files(store).read_bytes(STORE_FILE)
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def locked(store: str | Path | None = None, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the store folder (one writer at a time); wait at most
    ``timeout`` seconds (default ``settings.LOCK_TIMEOUT_SECONDS``) for another run."""
    files = store_files(store)
    wait = settings.LOCK_TIMEOUT_SECONDS if timeout is None else timeout
    with file_lock(files.lock_path(), timeout=wait, what=f"the store {files.name}"):
        yield


def partition_of(art: Article) -> str:
    """The partition an article lives in: the month of its own publication date, or for an
    undated one ``undated-<h>``, one of ``UNDATED_BUCKETS`` by a hash of its doc_id.

    The article's *own* date (not one borrowed from a copy), so linking never moves it.
    Undated pages are split because in a real archive they are a large share with no
    natural order: one undated edit then rewrites 1/16 of them, not all."""
    m = _MONTH.match(art.published or "")
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    h = zlib.crc32(art.doc_id.encode("utf-8", "surrogatepass")) % UNDATED_BUCKETS
    return f"{UNDATED}-{h:x}"


# ----------------------------------------------------------------- rows <-> articles

_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))   # (``fields`` per row cost more than the row)


def _link_row(link: Link) -> dict[str, Any]:
    """``asdict(link)`` without its deep copy (a Link holds strings and a list of strings,
    read once by Arrow): the same dict, in a fifth of the time."""
    return {**vars(link), "notes": list(link.notes)}


def _row(art: Article) -> dict[str, Any]:
    row = {name: getattr(art, name) for name in _ARTICLE_FIELDS}
    row["link"] = _link_row(art.link) if art.link is not None else None
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


def _as_articles(articles: Iterable[Article | dict], where: Path) -> list[Article]:
    """Articles as given; flat records (dicts, as ``empty_record`` makes) taken as extracted values."""
    out = []
    for a in articles:
        if isinstance(a, Article):
            out.append(a)
            continue
        try:
            out.append(Article.from_record(a))
        except (TypeError, ValueError) as e:
            raise StoreError(f"{where}: record {a.get('doc_id')!r} cannot be stored: {e}") from e
    return out


def to_table(articles: Sequence[Article], where: Path) -> pa.Table:
    """The Arrow table of ``articles`` in the store's schema (a clear error naming ``where``)."""
    try:
        return pa.Table.from_pylist([_row(a) for a in articles], schema=arrow_schema())
    except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
        raise StoreError(f"{where}: a record does not fit the store's schema ({e})") from e


# ----------------------------------------------------------------- manifest

def read_manifest(store: str | Path | None = None) -> dict | None:
    """The store's manifest (None when there is no partitioned store yet)."""
    path = store_files(store).manifest_name
    data = manifest_bytes(store)
    if data is None:
        return None
    try:
        man = json.loads(data.decode("utf-8"))
        if not isinstance(man, dict) or not isinstance(man.get("partitions"), dict):
            raise ValueError("no partitions")
    except ValueError as e:
        raise StoreError(f"{path}: cannot read the corpus store's manifest ({e}); "
                         f"delete the store folder and run `workbench ingest` to rebuild it") from e
    if man.get("version") not in READ_VERSIONS:
        raise StoreError(f"{path}: written by store version {man.get('version')}, this workbench reads "
                         f"version {STORE_VERSION}; run `workbench ingest` to rebuild it")
    return man


def _part_files(store: str | Path | None, man: dict, keys: Iterable[str] | None = None) -> list[str]:
    """The paths of the partition files (on ``part_filesystem(store)``)."""
    files = store_files(store)
    parts = man["partitions"]
    return [files.path(parts[k]["file"]) for k in (parts if keys is None else keys) if k in parts]


def part_filesystem(store: str | Path | None) -> Any:
    """The pyarrow filesystem ``_part_files``' paths are on (None: the local one)."""
    return store_files(store).arrow_fs


def write_part(store: str | Path | None, key: str, table: pa.Table | Iterable[pa.Table]) -> dict:
    """Write one partition's complete table (or its slices, as ``storage.write_parquet`` takes
    them) as a new file (not yet named by the manifest: give the returned entry to ``commit``'s
    ``written``). A streaming ingest writes its partitions one at a time this way, a slice at a
    time, so it never holds them all, nor a large one whole."""
    files = store_files(store)
    files.prepare()
    rel = f"{PARTS_DIR}/{key}.{secrets.token_hex(4)}.parquet"
    return {"file": rel, "rows": files.write(table, rel)}


def commit(store: str | Path | None, man: dict | None, changed: dict[str, Any],
           ledger: dict | pa.Table, extra: dict | None = None, sidecars: dict[str, pa.Table] | None = None,
           written: dict[str, dict] | None = None) -> Path:
    """Write the partitions in ``changed`` (key -> its complete articles, or their Arrow
    table; empty or None: drop it) and the ``sidecars`` (name -> table) as new files, then
    the manifest naming them, the ``written`` ones (key -> the entry ``write_part`` gave)
    and the untouched ones, atomically; then remove the files no longer named (a written
    file too, when this fails). ``ledger``: path -> entry, or its table (``workbench.ledger``),
    written as the ``ledger`` sidecar. ``extra`` adds (or replaces) top-level manifest entries."""
    files = store_files(store)
    files.prepare()
    files.clear_temporaries()
    parts = dict((man or {}).get("partitions", {}))
    side = dict((man or {}).get("sidecars", {}))
    new_files = [e["file"] for e in (written or {}).values()]
    old_files = []
    try:
        for key, entry in sorted((written or {}).items()):
            if key in parts:
                old_files.append(parts.pop(key)["file"])
            parts[key] = dict(entry)
        for key, arts in sorted(changed.items()):
            if key in parts:
                old_files.append(parts.pop(key)["file"])
            if arts is None or len(arts) == 0:
                continue
            rel = f"{PARTS_DIR}/{key}.{secrets.token_hex(4)}.parquet"
            files.write(arts if isinstance(arts, pa.Table) else to_table(arts, Path(files.path(rel))), rel)
            new_files.append(rel)
            parts[key] = {"file": rel, "rows": len(arts)}
        ledger_table = ledger if isinstance(ledger, pa.Table) else table_of(ledger)
        for name, table in {**(sidecars or {}), "ledger": ledger_table}.items():
            if name in side:
                old_files.append(side[name])
            rel = f"{PARTS_DIR}/_{name}.{secrets.token_hex(4)}.parquet"
            files.write(table, rel, dictionary=not name.startswith("link_"))
            new_files.append(rel)
            side[name] = rel
        new_man = {**{k: v for k, v in (man or {}).items() if k not in ("ledger", "partitions", "sidecars")},
                   **(extra or {}), "version": STORE_VERSION, "partitions": dict(sorted(parts.items())),
                   "sidecars": side}
        files.write_manifest(json.dumps(new_man, ensure_ascii=False, separators=(",", ":")))
    except BaseException:
        for rel in new_files:
            files.remove(rel)
        raise
    named = {v["file"] for v in new_man["partitions"].values()} | set(side.values())
    for rel in dict.fromkeys([*old_files, *files.listed()]):
        if rel not in named:      # superseded, or written by a run that died before its manifest
            files.remove(rel)
    if not is_url(store):
        files.remove(LEGACY_FILE)           # migrated: the manifest now names every article
    return Path(files.manifest_name)


def write_store(articles: Sequence[Article | dict], ledger: dict, store: str | Path | None = None) -> Path:
    """Replace the whole store with ``articles`` and the inputs ``ledger`` (one atomic commit)."""
    d = Path(store_name(store))
    arts = _as_articles(articles, d)
    to_table(arts, d)       # refuse a misfit record before anything is written
    groups: dict[str, list[Article]] = {}
    for a in arts:
        groups.setdefault(partition_of(a), []).append(a)
    man = read_manifest(store)
    changed: dict[str, Sequence[Article]] = {k: [] for k in (man or {}).get("partitions", {})}
    changed.update(groups)
    return commit(store, man, changed, ledger)


# ----------------------------------------------------------------- reading

def read_sidecar(store: str | Path | None, man: dict, name: str, columns: list[str] | None = None) -> pa.Table:
    """A sidecar table the manifest names, its ``columns`` (default all); ``StoreError``
    when it is missing or damaged."""
    rel = man.get("sidecars", {}).get(name)
    files = store_files(store)
    path = files.path(str(rel))
    try:
        if rel is None:
            raise FileNotFoundError(f"the manifest names no {name!r} file")
        # ParquetFile, not read_table: the same table without pyarrow.dataset, which loads pandas (~0.4 s)
        with pq.ParquetFile(path, filesystem=files.arrow_fs) as f:
            return f.read(columns=columns)
    except (OSError, pa.ArrowException) as e:
        raise StoreError(f"{path}: cannot read the store's {name} index ({e}); "
                         f"delete the store folder and run `workbench ingest` to rebuild it") from e


def read_table(store: str | Path | None = None, columns: Sequence[str] | None = None,
               filter: Any = None, partitions: Iterable[str] | None = None, man: dict | None = None) -> pa.Table:
    """The stored rows as an Arrow table, reading only ``columns`` (names of the store
    schema), the rows matching ``filter`` (a ``pyarrow.compute`` expression, e.g.
    ``pc.field("published") >= "2026-01-01"``) and the ``partitions`` named (default all).
    ``man``: the manifest, when the caller has read it already."""
    import pyarrow.dataset as ds
    schema = arrow_schema()
    man = man if man is not None else read_manifest(store)
    if man is None:
        legacy = None if is_url(store) else store_dir(store) / LEGACY_FILE   # (no version 3 store at a URL)
        if legacy is None or not legacy.exists():
            return schema.empty_table().select(list(columns)) if columns else schema.empty_table()
        files = [str(legacy)]
        _legacy_ledger(legacy)      # raises for a damaged or outdated file
    else:
        files = _part_files(store, man, partitions)
    if not files:
        return schema.empty_table().select(list(columns)) if columns else schema.empty_table()
    try:
        return ds.dataset(files, schema=schema, format="parquet", filesystem=part_filesystem(store)).to_table(
            columns=list(columns) if columns else None, filter=filter)
    except (OSError, pa.ArrowException) as e:
        raise StoreError(f"{store_name(store)}: cannot read the corpus store ({e}); "
                         f"delete it and run `workbench ingest` to rebuild it") from e


def _legacy_ledger(path: Path) -> dict:
    """The ledger of a version 3 (one-file) store (raises ``StoreError`` when it is not one)."""
    try:
        meta = pq.read_schema(path).metadata or {}
    except Exception as e:  # pyarrow raises several types for a damaged file
        raise StoreError(f"{path}: cannot read the corpus store ({e}); "
                         f"delete it and run `workbench ingest` to rebuild it") from e
    version = meta.get(VERSION_KEY, b"?").decode(errors="replace")
    if version != LEGACY_VERSION:
        raise StoreError(f"{path}: written by store version {version}, this workbench reads version "
                         f"{STORE_VERSION} (and migrates {LEGACY_VERSION}); run `workbench ingest` to rebuild it")
    return json.loads(meta.get(LEDGER_KEY, b"{}"))


def read_ledger(store: str | Path | None, man: dict) -> Ledger:
    """The ledger of the store whose manifest is ``man``, as columns (``workbench.ledger``)."""
    if "ledger" in man:                     # version 4: inline in the manifest
        return Ledger.of(man["ledger"])
    if "ledger" not in man.get("sidecars", {}):
        return Ledger()
    return Ledger(load=lambda columns: read_sidecar(store, man, "ledger", columns))


def load_ledger(store: str | Path | None = None, outdated_ok: bool = False) -> dict:
    """The inputs ledger: for each input file its hash, documents, or rejection reason.

    Reads the ledger sidecar only (or a version 3 file's metadata). With ``outdated_ok`` an
    unreadable or outdated store reads as empty, so ``ingest`` rebuilds it."""
    try:
        man = read_manifest(store)
        if man is not None:
            return read_ledger(store, man).to_dict()
        legacy = None if is_url(store) else store_dir(store) / LEGACY_FILE
        return _legacy_ledger(legacy) if legacy is not None and legacy.exists() else {}
    except StoreError:
        if outdated_ok:
            return {}
        raise


def articles_from_table(table: pa.Table) -> list[Article]:
    return [_article(row) for row in table.to_pylist()]


def read_articles(store: str | Path | None = None, outdated_ok: bool = False,
                  filter: Any = None) -> tuple[list[Article], dict]:
    """The stored articles (those matching ``filter``) and the inputs ledger; empty when
    there is no store yet. An outdated or damaged store raises ``StoreError`` (with
    ``outdated_ok`` it reads as empty, so ``ingest`` rebuilds it)."""
    try:
        ledger = load_ledger(store)
        return articles_from_table(read_table(store, filter=filter)), ledger
    except StoreError:
        if outdated_ok:
            return [], {}
        raise


_OVERLAID = ("story_id", "published", "published_basis", "title", "title_basis", "warnings")


def read_store(store: str | Path | None = None, columns: Sequence[str] | None = None,
               filter: Any = None) -> tuple[list[dict], dict]:
    """The flat records (link and fix overlays applied, as exported) and the inputs ledger.

    ``columns`` (record fields) and ``filter`` (an expression on the stored columns)
    are pushed down to the Parquet reader; without them every field of every record."""
    if columns is None:
        articles, ledger = read_articles(store, filter=filter)
        return [a.record() for a in articles], ledger
    table = read_table(store, columns=record_columns(columns), filter=filter)
    return records_from_table(table, columns), load_ledger(store)


def record_columns(columns: Sequence[str]) -> list[str]:
    """The stored columns ``read_store(columns=columns)`` reads for those record fields."""
    want = list(dict.fromkeys(columns))
    stored = set(arrow_schema().names)
    need = [c for c in want if c in stored]
    if any(c in _OVERLAID for c in want):       # the overlay changes these: read what it needs
        need += [c for c in ("link", "warnings") if c not in need]
    if "fix" not in need:                       # an analyst's correction may set any field
        need.append("fix")
    return need


def records_from_table(table: pa.Table, columns: Sequence[str]) -> list[dict]:
    """``read_store(columns=columns)``'s records, from ``table``: stored rows read earlier
    with (at least) the ``record_columns(columns)`` (a reader that keeps the stored table)."""
    want = list(dict.fromkeys(columns))
    return [_overlaid(row, want) for row in table.select(record_columns(columns)).to_pylist()]


def _overlaid(row: dict[str, Any], want: list[str]) -> dict[str, Any]:
    """The ``want`` fields of a stored row with the link, then the fix overlay applied (as ``Article.record``)."""
    link, fix = row.pop("link", None), row.pop("fix", None)
    rec = {c: row.get(c) for c in want}
    rec.update({k: v for k, v in (("corrections", []), ("relevant", True)) if k in want})
    if link:
        ln = Link(**{k: v for k, v in link.items() if k != "notes"}, notes=list(link.get("notes") or []))
        over = apply_link({"warnings": row.get("warnings") or []}, ln)
        rec.update({k: v for k, v in over.items() if k in want})
    if fix:
        rec.update({k: v for k, v in apply_fix(Fix.from_row(fix)).items() if k in want})
    return rec


# ----------------------------------------------------------------- the warnings sidecar

def warnings_table(store, man: dict | None, changed: dict) -> pa.Table:
    """(part, doc_id, warning) of every stored record, link notes included: the old sidecar's
    rows for partitions not rewritten, and the rewritten partitions' own."""
    rows: dict[str, list] = {"part": [], "doc_id": [], "warning": []}
    rebuild = man is not None and "warnings" not in man.get("sidecars", {})   # a store from before the sidecar
    parts = {**{k: None for k in (man or {}).get("partitions", {})}, **changed} if rebuild else changed
    for key, table in parts.items():
        if key not in changed:
            table = read_table(store, partitions=[key], columns=["doc_id", "warnings", "link"], man=man)
        if table is None:
            continue
        for r in table.select(["doc_id", "warnings", "link"]).to_pylist():
            own = r["warnings"] or []
            notes = [n for n in ((r["link"] or {}).get("notes") or []) if n not in own]
            for w in own + notes:
                rows["part"].append(key)
                rows["doc_id"].append(r["doc_id"])
                rows["warning"].append(w)
    new = pa.table(rows, schema=_WARN_SCHEMA)
    if man is None or rebuild:
        return new
    old = read_sidecar(store, man, "warnings")
    if changed:     # (``isin`` of an empty list is of type null: no filter then)
        old = old.filter(pc.invert(pc.field("part").isin(list(changed))))
    return pa.concat_tables([old.cast(_WARN_SCHEMA), new])


_WARN_SCHEMA = pa.schema([("part", pa.string()), ("doc_id", pa.string()), ("warning", pa.string())])


def stored_warnings(store, man: dict | None) -> list[tuple[str, str]]:
    """(doc_id, warning) of the stored records, from the warnings sidecar (one small file)."""
    if man is None:
        return []
    if "warnings" not in man.get("sidecars", {}):     # an older layout: read the columns
        recs, _ = read_store(store, columns=["doc_id", "warnings"])
        return [(r["doc_id"], w) for r in recs for w in r["warnings"] or []]
    t = read_sidecar(store, man, "warnings")
    return list(zip(t.column("doc_id").to_pylist(), t.column("warning").to_pylist()))


def read_column(store: str | Path | None, column: str) -> list[Any]:
    """One stored column's values (only that column is read)."""
    return read_table(store, columns=[column]).column(column).to_pylist()


def records_to_frame(records: list[dict], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A DataFrame of records with proper dtypes: strings, a datetime
    ``published`` (NaT when unknown), an integer ``word_count``, lists as objects."""
    import pandas as pd
    cols = list(columns) if columns else list(FIELDS)
    if "doc_id" not in cols:
        cols.insert(0, "doc_id")
    df = pd.DataFrame([{f: r.get(f) for f in cols} for r in records], columns=cols)
    for f in cols:
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


def load_corpus(store: str | Path | None = None, columns: Sequence[str] | None = None,
                filter: Any = None) -> pd.DataFrame:
    """The corpus as a DataFrame, one row per article (see ``records_to_frame``);
    ``columns`` and ``filter`` as in ``read_store`` (``doc_id`` is always included)."""
    if columns is not None and "doc_id" not in columns:
        columns = ["doc_id", *columns]
    records, _ = read_store(store, columns=columns, filter=filter)
    return records_to_frame(records, columns)


def read_files(store: str | Path | None = None, columns: Sequence[str] | None = None) -> pa.Table:
    """``read_table(store, columns)`` (the same values and schema), the partition files read
    one by one without Arrow's thread pool or ``pyarrow.dataset`` (which loads pandas): less
    CPU and wall time on a machine whose cores are busy with other processes."""
    man = read_manifest(store)
    files = _part_files(store, man) if man is not None else []
    if not files:
        return read_table(store, columns=columns, man=man)     # a version 3 file or an empty store
    schema = arrow_schema()
    fs = part_filesystem(store)
    try:
        return pa.concat_tables([pq.read_table(f, schema=schema, columns=list(columns) if columns else None,
                                               use_threads=False, filesystem=fs) for f in files])
    except (OSError, pa.ArrowException) as e:
        raise StoreError(f"{store_name(store)}: cannot read the corpus store ({e}); "
                         f"delete it and run `workbench ingest` to rebuild it") from e


def topic_counts(store: str | Path | None = None) -> dict[str, int]:
    """How many stored articles carry each topic, from the ``topics`` column alone (as
    stored: an analyst's fix is not applied; for sizing work, e.g. ordering reports)."""
    col = read_files(store, ["topics"]).column("topics").combine_chunks()
    rows = pc.list_parent_indices(col)
    names = pc.struct_field(pc.list_flatten(col), "topic")
    pairs = pa.table({"row": rows, "topic": names}).group_by(["row", "topic"]).aggregate([])  # once per article
    return {str(c["values"]): int(c["counts"]) for c in pc.value_counts(pairs.column("topic").drop_null()).to_pylist()}


def input_files(ledger: dict) -> list[str]:
    """The input files a ledger accounts for (its keys, less the run's own ``_run`` entry)."""
    return [k for k in ledger if k != RUN_KEY]


def export_records(records: list[dict], fmt: str, out) -> int:
    """Write records to the text stream ``out`` as ``jsonl`` or ``csv``; returns the count."""
    if fmt == "jsonl":
        for r in records:
            out.write(json.dumps({f: r.get(f) for f in FIELDS}, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        import pandas as pd

        def cell(r: dict, f: str) -> Any:
            return csv_safe(json.dumps(r.get(f), ensure_ascii=False) if f in VIEW_LIST_FIELDS else r.get(f))
        df = pd.DataFrame([{f: cell(r, f) for f in FIELDS} for r in records], columns=list(FIELDS))
        df.to_csv(out, index=False, quoting=csv.QUOTE_NONNUMERIC)   # a CR in text stays in its cell
    else:
        raise ValueError(f"unknown export format {fmt!r}: use jsonl or csv")
    return len(records)


def partition_tables(store, man: dict | None, articles: list[Article]) -> dict:
    """Every partition's table afresh (None: a partition of the old manifest left empty)."""
    groups: dict[str, list[Article]] = {k: [] for k in (man or {}).get("partitions", {})}
    for a in articles:
        groups.setdefault(partition_of(a), []).append(a)
    return {k: to_table(v, Path(str(store))) if v else None for k, v in groups.items()}
