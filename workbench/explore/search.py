"""Free-text search over the explorer's index (``query.CorpusIndex.text_lc``).

``search_terms`` splits a query into lower-cased words and "quoted phrases";
``search_mask`` finds the rows whose search text holds every one: over a list of
strings (``build_index``) with Python's ``in``, over the cache's Arrow string
column (``explore.cache``) with ``bytes.find`` in its UTF-8 bytes (``TextBytes``),
the same matches (UTF-8: a byte match is a character match).
"""
from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from workbench.explore.query import CorpusIndex


def search_terms(text: str) -> list[str]:
    """Lower-cased words and "quoted phrases" of a free-text query."""
    text = (text or "").strip()
    if not text:
        return []
    try:
        parts = shlex.split(text)
    except ValueError:            # an unbalanced quote: take the words as typed
        parts = text.replace('"', " ").split()
    return [p.lower() for p in parts if p.strip()]


def search_mask(index: CorpusIndex, text: str, rows: np.ndarray | None = None) -> np.ndarray:
    """Rows whose text has every term of ``text``: exact for the rows where ``rows`` is True
    (default all); elsewhere False. Rows once checked are remembered per query, so narrowing
    other filters first checks only the rows still in play (a full scan of 20k bodies was
    ~90 ms), and widening them later checks only the rows not seen yet."""
    terms = tuple(search_terms(text))
    n = len(index)
    want = np.ones(n, dtype=bool) if rows is None else rows
    cache = index._search_cache
    if terms in cache:
        cache.move_to_end(terms)
        hit, known = cache[terms]
    else:
        hit, known = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        cache[terms] = (hit, known)
        while len(cache) > 64:
            cache.popitem(last=False)
    todo = np.flatnonzero(want & ~known)
    if len(todo):
        if not terms:
            hit[todo] = True
        else:
            # the longest term first: it rules out most rows, the rest check few
            ordered = sorted(terms, key=len, reverse=True)
            texts = index.text_lc if isinstance(index.text_lc, list) else text_bytes(index)
            pos = todo
            for term in ordered:
                if isinstance(texts, list):
                    keep = np.fromiter((term in texts[i] for i in pos.tolist()), dtype=bool, count=len(pos))
                else:
                    keep = texts.contains(pos, term)
                pos = pos[keep]
            hit[pos] = True
        known[todo] = True
    return hit & want


def text_bytes(index: CorpusIndex) -> TextBytes:
    """The ``TextBytes`` of an index whose ``text_lc`` is the cache's Arrow column, made once
    (``explore.cache`` makes it at start: ~0.2 CPU s at 100k articles, not in a first search)."""
    if index._text_bytes is None:
        index._text_bytes = TextBytes(index.text_lc)
    return index._text_bytes


def _contains(texts, pos: np.ndarray, term: str) -> np.ndarray:
    """``term in texts[i]`` for each i of ``pos``, ``texts`` an Arrow string array (or a ``TextBytes``
    of one)."""
    view = texts if isinstance(texts, TextBytes) else TextBytes(texts)
    return view.contains(pos, term)


class TextBytes:
    """An Arrow string column's UTF-8 bytes, one ``bytes``, and each row's span in it: ``term in
    row`` is ``bytes.find`` within the span (UTF-8: a byte match is a character match). Made once
    per index (``text_bytes``; a copy of the column's bytes; Arrow's ``match_substring``
    was ~3x slower than Python's search, its ``take`` of a row subset slower still)."""

    def __init__(self, texts) -> None:
        import pyarrow as pa
        chunks = texts.chunks if isinstance(texts, pa.ChunkedArray) else [texts]
        parts, starts, ends, base = [], [], [], 0
        for ch in chunks:
            if not len(ch):
                continue
            wide = pa.types.is_large_string(ch.type)
            bufs = ch.buffers()
            off = np.frombuffer(bufs[1], dtype=np.int64 if wide else np.int32)[ch.offset:ch.offset + len(ch) + 1]
            lo, hi = int(off[0]), int(off[-1])
            if hi > lo:
                parts.append(memoryview(bufs[2])[lo:hi])
            starts.append(off[:-1].astype(np.int64) - lo + base)
            ends.append(off[1:].astype(np.int64) - lo + base)
            base += hi - lo
        self.data = b"".join(parts)
        self.start = np.concatenate(starts).tolist() if starts else []
        self.end = np.concatenate(ends).tolist() if ends else []

    def __len__(self) -> int:
        return len(self.start)

    def contains(self, pos: np.ndarray, term: str) -> np.ndarray:
        t, find, start, end = term.encode("utf-8"), self.data.find, self.start, self.end
        return np.fromiter((find(t, start[i], end[i]) >= 0 for i in pos.tolist()), dtype=bool, count=len(pos))
