"""Streaming a whole-corpus ingest through spill files, so memory does not grow with the corpus.

A cold ingest (a new store, or one rebuilt whole) used to hold every parsed
article, then every partition's table, in the main process. Here instead:

* ``Spool`` takes the articles as the workers return them, into one buffer per
  partition; a buffer goes to a spill file (uncompressed Arrow IPC: a fifth of the CPU of
  Parquet to write, a third to read back, and about its size; under the store folder in
  ``.spool-<token>``) when it reaches ``SPOOL_ROWS`` articles, or the largest one
  does when all buffers together reach ``SPOOL_TOTAL``. Each row keeps its arrival
  number (``SEQ``), so the store's rows come out in input order, as before.
* The copy index gets only each document's signature and size; the bodies it
  confirms candidate pairs with are read back by column from the spill files.
* ``link_members`` reads back only the documents in stories of two or more, a
  batch of whole stories at a time, sets their link overlays and re-analyses those
  that took a sibling's date, and spills them again (by partition); ``assemble`` then
  builds each partition from its spill files (every other document gets the link of a
  story of one), a row group at a time, each written as it comes (``store.write_part``):
  one partition's spilled rows in memory at a time.

The spill folder is removed when the run ends (``close``) or, after a crash, by
the next commit (``storage.LocalFiles.clear_temporaries``); for a store at a URL
they are in a local temporary folder. Nothing here decides *what* is
linked or how: the index and the link overlay are the ones every ingest uses.
"""
from __future__ import annotations

import secrets
import shutil
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.feather as feather

from workbench.analyse.story_index import Sketch, StoryIndex, _line_words
from workbench.record import Article, Link, arrow_schema
from workbench.storage import ROW_GROUP, SPOOL_PREFIX, is_url
from workbench.store import articles_from_table, partition_of, store_dir, to_table

SEQ = "_seq"                # a row's arrival number (input order)
SPOOL_ROWS = 1024           # articles buffered for one partition before they are spilled
SPOOL_TOTAL = 4096          # articles buffered in all before the largest buffer is spilled
MEMBERS_BATCH = 4000        # documents of multi-document stories linked (and re-analysed) at once


class Spool:
    """Per-partition buffers of articles, spilled to Arrow IPC files as they fill."""

    def __init__(self, store: str | Path | None) -> None:
        if is_url(store):       # a store at a URL: spill files are local scratch, in a temporary folder
            self.dir = Path(tempfile.mkdtemp(prefix=SPOOL_PREFIX))
        else:
            self.dir = store_dir(store) / f"{SPOOL_PREFIX}{secrets.token_hex(4)}"
            self.dir.mkdir(parents=True)
        self.buf: dict[str, list[tuple[int, Article]]] = {}
        self.files: dict[str, list[Path]] = {}
        self.seen: dict[str, None] = {}          # partitions in the order their first article came
        self.buffered = 0
        self.count = 0

    def add(self, art: Article) -> str:
        """Buffer ``art`` in its partition (spilling when full); returns the partition."""
        key = partition_of(art)
        self.seen.setdefault(key)
        rows = self.buf.setdefault(key, [])
        rows.append((self.count, art))
        self.count += 1
        self.buffered += 1
        if len(rows) >= SPOOL_ROWS:
            self._spill(key)
        elif self.buffered >= SPOOL_TOTAL:
            self._spill(max(self.buf, key=lambda k: len(self.buf[k])))
        return key

    def _spill(self, key: str) -> None:
        rows = self.buf.pop(key)
        self.buffered -= len(rows)
        self.files.setdefault(key, []).append(self.write(rows, f"{key}.{len(self.files.get(key, []))}"))

    def write(self, rows: list[tuple[int, Article]], name: str) -> Path:
        """``rows`` (arrival number, article) as spill file ``name`` (with ``SEQ``); its path."""
        table = to_table([a for _, a in rows], self.dir)
        table = table.append_column(SEQ, pa.array([s for s, _ in rows], pa.int64()))
        path = self.dir / f"{name}.arrow"
        feather.write_feather(table, path, compression="uncompressed")
        return path

    def finish(self) -> None:
        """Spill what is still buffered (before reading back)."""
        for key in list(self.buf):
            self._spill(key)

    def keys(self) -> list[str]:
        """The partitions in the order their first article came (as an in-memory ingest lists them)."""
        return list(self.seen)

    def read(self, keys: Iterable[str] | None = None, columns: Sequence[str] | None = None,
             filter: Any = None) -> pa.Table:
        """Spilled rows of the partitions ``keys`` (default all), ``columns`` only (default all, ``SEQ`` too)."""
        files = [str(f) for k in (self.files if keys is None else keys) for f in self.files.get(k, [])]
        schema = arrow_schema().append(pa.field(SEQ, pa.int64()))
        if not files:
            return schema.empty_table().select(list(columns)) if columns else schema.empty_table()
        import pyarrow.dataset as ds  # here, not at import: it loads pandas (~0.4 s), which a no-op run never needs
        return ds.dataset(files, schema=schema, format="ipc").to_table(
            columns=list(columns) if columns else None, filter=filter)

    def close(self) -> None:
        self.buf.clear()
        shutil.rmtree(self.dir, ignore_errors=True)


RECENT_WORDS = 8            # word lists of the candidates looked at last, kept (a pair's two, and a few more)
_RECENT: OrderedDict[Sketch, list[list[str]]] = OrderedDict()


class _Fetched(Sketch):
    """A candidate's sketch with its body read back: its 5-gram hashes are kept once computed,
    its word list is not (rebuilt when needed again), so the candidates of a whole corpus stay
    a few KB each. Only the last ``RECENT_WORDS`` word lists are kept: a pair's check asks for
    both bodies' 5-gram hashes, then for their story words, which were split again before."""

    __slots__ = ()

    @property
    def words(self) -> list[list[str]]:
        got = _RECENT.get(self)
        if got is None:
            got = _RECENT[self] = _line_words(self.body or "")
            if len(_RECENT) > RECENT_WORDS:
                _RECENT.popitem(last=False)
        else:
            _RECENT.move_to_end(self)
        return got


def build_index(spool: Spool, sigs: dict[str, tuple[np.ndarray, int, np.ndarray]], pairs_fn: Any = None,
                confirm_fn: Any = None) -> StoryIndex:
    """The copy index of the spooled documents from their signatures and sizes alone;
    the bodies of candidate pairs are read back from the spill files when confirmed."""
    def with_bodies(ids: list[str]) -> dict[str, Sketch]:
        t = spool.read(columns=["doc_id", "body"], filter=pc.field("doc_id").isin(ids))
        return {d: _Fetched(sigs[d][0], sigs[d][1], b or "", sigs[d][2])
                for d, b in zip(t.column("doc_id").to_pylist(), t.column("body").to_pylist())}

    index = StoryIndex()
    try:
        index.add({d: Sketch(sig, size, None, lines) for d, (sig, size, lines) in sigs.items()}, with_bodies,
                  pairs_fn=pairs_fn, confirm_fn=confirm_fn)
    finally:
        _RECENT.clear()
    index.compact()
    return index


def link_members(spool: Spool, story: dict[str, str],
                 link: Callable[[list[Article]], list[Article]]) -> tuple[set[str], dict[str, list[Path]]]:
    """The documents of stories of two or more, linked by ``link`` (whole stories, a batch
    at a time): their ids, and their rows (with ``SEQ``) by partition, in spill files (held
    until their partition is written, they were most of a cold 100k run's write-phase memory)."""
    groups: dict[str, list[str]] = {}
    for d, s in story.items():
        groups.setdefault(s, []).append(d)
    multi = [g for g in groups.values() if len(g) > 1]
    members = {d for g in multi for d in g}
    out: dict[str, list[Path]] = {}
    if not members:
        return members, out
    table = spool.read(filter=pc.field("doc_id").isin(sorted(members)))
    batches: list[list[str]] = [[]]
    for g in multi:
        if len(batches[-1]) + len(g) > MEMBERS_BATCH and batches[-1]:
            batches.append([])
        batches[-1].extend(g)
    for ids in batches:
        rows = table.filter(pc.field("doc_id").isin(ids))
        seq = dict(zip(rows.column("doc_id").to_pylist(), rows.column(SEQ).to_pylist()))
        arts = link(articles_from_table(rows.drop_columns([SEQ])))
        by_key: dict[str, list[Article]] = {}
        for a in arts:
            by_key.setdefault(partition_of(a), []).append(a)
        for key, part in by_key.items():
            name = f"linked.{key}.{len(out.get(key, []))}"
            out.setdefault(key, []).append(spool.write([(seq[a.doc_id], a) for a in part], name))
    return members, out


def singles_link(ids: list[str], keep: Iterable[bool] | None = None) -> pa.Array:
    """The link column of documents in stories of their own (as the link step sets it); with
    ``keep``, null for the rows it marks False (rows about to be dropped)."""
    typ = arrow_schema().field("link").type
    alone = asdict(Link(story_id=""))        # the same dict for every one but its story_id (made once)
    if keep is None:
        return pa.array([{**alone, "story_id": d} for d in ids], type=typ)
    return pa.array([{**alone, "story_id": d} if k else None for d, k in zip(ids, keep)], type=typ)


def assemble(spool: Spool, key: str, members: set[str], linked_files: list[Path]) -> Iterator[pa.Table]:
    """Partition ``key``'s final rows, in input order, a row group (``ROW_GROUP``) at a time: its spilled rows
    with the link of a story of one, the rows in ``linked_files`` (``link_members``) in place of
    the members' (``SEQ`` kept, for the caller); one empty slice if none. The spilled rows are read once and each slice
    taken from them: filtering, then sorting the whole partition made two more copies of it
    (a large month, 29k articles at 100k documents, was the peak of a cold run)."""
    t = spool.read(keys=[key])
    linked = [feather.read_table(str(f)) for f in linked_files]
    keep = np.ones(t.num_rows + sum(x.num_rows for x in linked), dtype=bool)
    if members:
        keep[:t.num_rows] = ~pc.is_in(t.column("doc_id"), value_set=pa.array(sorted(members), pa.string())) \
            .to_numpy(zero_copy_only=False)
    t = t.set_column(t.schema.get_field_index("link"), "link",      # (none made for the members' rows)
                     singles_link(t.column("doc_id").to_pylist(), keep[:t.num_rows].tolist()))
    batches = [b for part in (t, *linked) for b in part.to_batches()]
    del t
    owner = np.repeat(np.arange(len(batches)), [b.num_rows for b in batches])
    local = np.concatenate([np.arange(b.num_rows) for b in batches] or [np.empty(0, np.int64)])
    seq = np.concatenate([b.column(SEQ).to_numpy() for b in batches] or [np.empty(0, np.int64)])
    rows = np.flatnonzero(keep)
    order = rows[np.argsort(seq[rows], kind="stable")]
    if not len(order):
        yield batches[0].schema.empty_table() if batches else spool.read(keys=[key]).schema.empty_table()
    for off in range(0, len(order), ROW_GROUP):
        at = order[off:off + ROW_GROUP]
        yield _take(batches, owner[at], local[at])


def _take(batches: list[pa.RecordBatch], owner: np.ndarray, local: np.ndarray) -> pa.Table:
    """Row ``local[k]`` of batch ``owner[k]``, for each k, as one table (taken batch by batch:
    a take across a table's chunks first joins each column whole)."""
    parts, pos = [], []
    for b in np.unique(owner).tolist():
        at = np.flatnonzero(owner == b)
        parts.append(batches[b].take(pa.array(local[at])))
        pos.append(at)
    return pa.Table.from_batches(parts).combine_chunks().take(pa.array(np.argsort(np.concatenate(pos))))
