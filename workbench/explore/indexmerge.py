"""The explorer's index of a whole store put together from its partitions' indexes.

``explore.cache`` keeps, per store partition, the partition's rows and the
``indexcache.index_table`` of its own ``build_index``. What ``build_index`` derives of a
row alone (search text, source and date labels, topic names, entity and topic postings,
events) is taken from the parts, offset by the rows before; what depends on the whole
corpus is computed here as ``build_index`` computes it: story codes and copies, the
quality rank, the display order, the entity pairs (ids by first appearance) and the
events' key codes. ``tests/test_explore_cache.py``: the merged index equals
``build_index(load_corpus(store))``.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbench.explore import query as q
from workbench.explore.indexcache import TEXTS, _events, _ints, _one, _str_values, _strs


def _concat(itables: list, c: str) -> Any:
    import pyarrow as pa
    return pa.concat_arrays([t.column(c).chunk(0).flatten() for t in itables])


def _postings(itables: list, offsets: list[int], name: str) -> dict[str, np.ndarray]:
    """A partition's postings (row positions in it) as one dict over the whole corpus."""
    acc: dict[str, list[np.ndarray]] = {}
    for t, off in zip(itables, offsets):
        keys, bounds, flat = _strs(t, f"{name}_keys"), _ints(t, f"{name}_offsets"), _ints(t, f"{name}_rows")
        flat += off
        for i, k in enumerate(keys):
            acc.setdefault(k, []).append(flat[bounds[i]:bounds[i + 1]])
    return {k: v[0] if len(v) == 1 else np.concatenate(v) for k, v in acc.items()}


def _first(itables: list, field: str) -> dict[str, str]:
    """Entity names or kinds: the first partition's (as ``build_index``'s first row's)."""
    out: dict[str, str] = {}
    for t in itables:
        for k, v in zip(_strs(t, "entity_keys"), _strs(t, field)):
            out.setdefault(k, v)
    return out


def _pairs(n: int, entity_rows: dict[str, np.ndarray], ent_names: dict[str, str]) -> tuple:
    """``query._entity_pairs`` of the rows' sorted entity lists, made from the postings."""
    names = sorted(ent_names)
    if not names or not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), []
    code = {k: i for i, k in enumerate(names)}
    rows = np.concatenate([entity_rows[k] for k in entity_rows])
    codes = np.concatenate([np.full(len(v), code[k], dtype=np.int64) for k, v in entity_rows.items()])
    order = np.lexsort((codes, rows))              # row by row, each row's names sorted
    rows, codes = rows[order], codes[order]
    counts = np.bincount(rows, minlength=n)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    groups = ((sel.astype(np.int64), codes[start[sel][:, None] + np.arange(length)])
              for length in np.unique(counts[counts > 1]).tolist()
              for sel in [np.flatnonzero(counts == length)])
    return q.pairs_of_rows(groups, names, ent_names)


def _same_types(structs: list) -> list:
    """The partitions' event structs in one type: a field all null in one partition (Arrow's
    ``null`` type) takes the type it has in the others."""
    import pyarrow as pa
    names = [structs[0].type.field(i).name for i in range(structs[0].type.num_fields)]
    types = {}
    for c in names:
        typed = [s.field(c).type for s in structs if not pa.types.is_null(s.field(c).type)]
        types[c] = typed[0] if typed else pa.null()
    return [pa.StructArray.from_arrays([s.field(c).cast(types[c]) for c in names], names=names) for s in structs]


def _merged_events(itables: list, offsets: list[int]) -> pd.DataFrame | None:
    """The partitions' events, rows offset, key codes over the whole corpus (None: their
    ``when`` columns are of different units, not merged here)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    structs, whens, dated, dtype = [], [], set(), None
    nat = np.iinfo(np.int64).min
    for t, off in zip(itables, offsets):
        ev = t.column("events").chunk(0).flatten()
        if not len(ev):
            continue
        when, unit = _ints(t, "events_when"), _strs(t, "events_when_dtype")[0]
        dtype = dtype or unit
        if (when != nat).any():                # an all-NaT column's unit is no one's
            dated.add(unit)
        names = [ev.type.field(i).name for i in range(ev.type.num_fields)]
        arrays = [ev.field(c) for c in names]
        arrays[names.index("row")] = pa.array(ev.field("row").to_numpy(zero_copy_only=False) + off,
                                              type=ev.field("row").type)
        structs.append(pa.StructArray.from_arrays(arrays, names=names))
        whens.append(when)
    if len(dated) > 1:
        return None
    if not structs:
        return q.events_frame([])
    evs = pa.concat_arrays(_same_types(structs))
    codes = np.asarray(pc.dictionary_encode(evs.field("key")).indices, dtype=np.int64)   # by first appearance
    table = pa.table({"events": _one(evs), "events_when": _one(np.concatenate(whens)),
                      "events_when_dtype": _one([dated.pop() if dated else dtype], pa.string()),
                      "events_key_code": _one(codes)})
    return _events(table)


def part_keys(titles: list, bodies: list) -> dict[str, Any]:
    """What the whole corpus's ranks need of a partition's rows (their titles and bodies),
    kept beside its index: each title lower-cased and each body's length (``build_index``'s
    ``t.lower()`` and ``len(body)``, Python's own)."""
    import pyarrow as pa
    lows = [q._str(t).lower() for t in titles]
    lengths = [len(q._str(b)) for b in bodies]
    return {"title_lc": _one(lows, pa.string()), "body_len": _one(np.array(lengths, dtype=np.int64))}


def _ranks(df: pd.DataFrame, itables: list, full: Any) -> tuple[np.ndarray, ...]:
    """``build_index``'s story codes, copies, quality rank and display order, sorted by Arrow
    (its string order is Python's: UTF-8 bytes sort as code points)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    n = len(df)
    if not n:
        return tuple(np.zeros(0, dtype=np.int64) for _ in range(4))
    doc = full.column("doc_id") if full.column("doc_id").null_count == 0 else pa.array(df["doc_id"].tolist())
    sid = full.column("story_id")
    story_ids = pc.if_else(pc.fill_null(pc.greater(pc.utf8_length(sid), 0), False), sid, doc)
    story = np.asarray(pc.dictionary_encode(story_ids.combine_chunks()).indices, dtype=np.int64)
    copies = np.bincount(story)[story] - 1
    title_lc, lengths = _concat(itables, "title_lc"), _concat(itables, "body_len")
    basis = pc.fill_null(full.column("published_basis"), "").combine_chunks().dictionary_encode()
    rank = pa.array([q.BASIS_RANK.get(b, 9) for b in basis.dictionary.to_pylist()], type=pa.int64())
    pub = df["published"].to_numpy(dtype="datetime64[D]")
    undated = np.isnat(pub)
    keys = pa.table({"t": pc.equal(pc.utf8_length(title_lc), 0), "p": undated, "b": rank.take(basis.indices),
                     "l": pc.negate(lengths), "d": doc})
    best_first = pc.sort_indices(keys, sort_keys=[(c, "ascending") for c in "tpbld"]).to_numpy()
    quality = np.empty(n, dtype=np.int64)
    quality[best_first] = np.arange(n)
    days = np.where(undated, 0, pub.astype(np.int64))
    keys = pa.table({"u": undated, "day": -days, "t": title_lc, "d": doc})
    order = pc.sort_indices(keys, sort_keys=[(c, "ascending") for c in ("u", "day", "t", "d")]).to_numpy()
    return story, copies, quality, order.astype(np.int64)


def merged_index(frame: pd.DataFrame, texts: Any, full: Any, itables: list) -> q.CorpusIndex | None:
    """The ``CorpusIndex`` of ``frame`` (its partitions' rows in order) from the partitions'
    ``index_table``s with their ``part_keys`` (``full``: the rows as one Arrow table; None: they
    cannot be merged here, build the index whole)."""
    df = q._normalised_frame(frame)
    sizes = [len(t.column("story").chunk(0).flatten()) for t in itables]
    if sum(sizes) != len(df) or len(texts) != len(df):
        return None
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64).tolist() if sizes else []
    events = _merged_events(itables, offsets)
    if events is None:
        return None
    labels = {c: _str_values(_concat(itables, c)) if itables else [] for c in TEXTS}
    source = np.array(_concat(itables, "source").to_pylist() if itables else [], dtype=object)
    story, copies, quality, order = _ranks(df, itables, full)
    df["date_label"], df["source"] = labels["date_label"], labels["source"] if len(source) else source
    df["topic_names"], df["copies"] = labels["topic_names"], copies
    entity_rows = _postings(itables, offsets, "entity")
    ent_names = _first(itables, "entity_names")
    prow, pid, pairs = _pairs(len(df), entity_rows, ent_names)
    return q.CorpusIndex(
        base=df, text_lc=texts, published=df["published"].to_numpy(dtype="datetime64[D]"),
        source=source, story=story, quality=quality, order=order,
        topic_rows=_postings(itables, offsets, "topic"), entity_rows=entity_rows,
        entity_names=ent_names, entity_kind=_first(itables, "entity_kind"),
        events=events, pair_row=prow, pair_id=pid, pairs=pairs,
        lazy=[c for c in df.columns if isinstance(df[c].dtype, pd.ArrowDtype)],
    )

