"""A persisted index of syndicated copies: MinHash signatures, band hashes and confirmed pairs.

What ``stories.duplicate_pairs`` does over a whole corpus at once, kept between
runs so that an ingest links only what changed:

* every document keeps its MinHash signature (``stories.NUM_PERM`` values, the
  same signature ``stories`` computes) and its number of distinct 5-grams;
* candidates are documents sharing a band (``BAND_ROWS`` consecutive signature
  values; ``NUM_PERM / BAND_ROWS`` bands): grouped by sorting the band hashes,
  never by comparing all pairs;
* every candidate pair is then filtered in one vectorised step on the whole
  signatures: the estimated Jaccard similarity and the two sizes give an
  estimated containment of the smaller in the larger, and pairs more than
  ``PREFILTER_MARGIN`` below ``CONTAINMENT`` go no further;
* the rest are confirmed exactly, as ``stories`` does (64-bit hash containment,
  then the exact shingle sets), on the bodies the caller supplies;
* confirmed pairs are kept as edges; stories are the connected components.

Adding documents queries only them against the index (bands of the new ones
against all); removing one drops its edges. The stories touched are the
components of the new documents and the old components of the removed ones.
"""
from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from workbench.analyse.stories import (
    CONTAINMENT,
    EXACT_CACHE,
    HASH_MARGIN,
    MIN_SHINGLES,
    NUM_PERM,
    SHINGLE,
    _exact_shingles,
    _fmix32,
    _hash_containment,
    _shingle_hashes,
    _UnionFind,
    _WordHashes,
    _words,
)

SIG_VERSION = "2"          # the signature's definition below (2: words of comparison_text): another version is rebuilt
_rng = np.random.RandomState(20260211)
_A = (_rng.randint(0, 2 ** 32, NUM_PERM, dtype=np.uint64) | np.uint64(1)).astype(np.uint32)   # odd: a bijection
_B = _rng.randint(0, 2 ** 32, NUM_PERM, dtype=np.uint64).astype(np.uint32)
BAND_ROWS = 2              # signature values per band: 32 bands of 2 (candidates down to J ~ 0.3)
PREFILTER_MARGIN = 0.25    # estimated containment this far below CONTAINMENT: not a candidate
PairsFn = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
CHUNK = 200_000            # candidate pairs compared at once in the prefilter


class Sketch:
    """What the index needs of one body: its signature and its number of distinct 5-grams
    (kept), and its words and 5-gram hashes (recomputed only when a pair is confirmed).
    ``body`` None: not given; ``StoryIndex.add`` asks for it when the document is a candidate."""

    __slots__ = ("sig", "size", "body", "_words", "_hashes")

    def __init__(self, sig: np.ndarray, size: int, body: str | None) -> None:
        self.sig, self.size, self.body = sig, size, body
        self._words: list[str] | None = None
        self._hashes: np.ndarray | None = None

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = _words(self.body or "")
        return self._words

    def hashes(self, wh: _WordHashes) -> np.ndarray:
        if self._hashes is None:
            self._hashes = _shingle_hashes(self.words, wh)
        return self._hashes

    def forget(self) -> None:
        self._words = self._hashes = None


def sketch(body: str, wh: _WordHashes | None = None) -> Sketch | None:
    """The sketch of ``body``, or None when it is too short to be linked (as ``stories``)."""
    ws = _words(body or "")
    if len(ws) < SHINGLE:
        return None
    hs = _shingle_hashes(ws, wh if wh is not None else _WordHashes())
    n = len(hs)
    if n < MIN_SHINGLES:
        n = len(_exact_shingles(ws))
        if n < MIN_SHINGLES:
            return None
    return Sketch(signature(hs), n, body)


def signature(hashes: np.ndarray) -> np.ndarray:
    """MinHash signature of distinct 64-bit 5-gram hashes: datasketch's "affine32" scheme
    (fold to 32 bits, MurmurHash3 finaliser, ``a * h + b`` mod 2**32, minimum) with our own
    fixed permutations, so a stored index does not depend on datasketch's version (and
    datasketch, with scipy behind it, is not imported to extend it)."""
    h32 = ((hashes ^ (hashes >> np.uint64(32))) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    return (_fmix32(h32)[:, None] * _A + _B).min(axis=0)


def _band_keys(sigs: np.ndarray) -> np.ndarray:
    """uint64 band hashes, one column per band (band number mixed in)."""
    s = sigs.astype(np.uint64).reshape(len(sigs), -1, BAND_ROWS)
    key = np.zeros(s.shape[:2], dtype=np.uint64)
    for j in range(BAND_ROWS):
        key = key * np.uint64(0x100000001B3) + s[:, :, j]
    return key ^ (np.arange(key.shape[1], dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))


def _pairs_in_runs(keys: np.ndarray, docs: np.ndarray, is_query: np.ndarray) -> np.ndarray:
    """(i, j) index pairs, i < j, sharing a key, where at least one is a query document.

    Only keys some query document has are looked at; runs of two (most of them) are
    paired in one vectorised step, longer runs one by one."""
    qkeys = np.unique(keys[is_query[docs]])
    sel = np.isin(keys, qkeys)
    order = np.argsort(keys[sel], kind="stable")
    k, d = keys[sel][order], docs[sel][order]
    if len(k) < 2:
        return np.empty((0, 2), dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1])))
    sizes = np.diff(np.append(starts, len(k)))
    two = starts[sizes == 2]
    out = [np.stack([d[two], d[two + 1]], axis=1)]
    for s, n in zip(starts[sizes > 2], sizes[sizes > 2]):
        members = np.unique(d[s:s + n])
        q = members[is_query[members]]
        a, b = np.meshgrid(q, members, indexing="ij")
        out.append(np.stack([a.ravel(), b.ravel()], axis=1))
    p = np.concatenate(out).astype(np.int64)
    p = p[(p[:, 0] != p[:, 1]) & (is_query[p[:, 0]] | is_query[p[:, 1]])]
    return np.unique(np.sort(p, axis=1), axis=0)


def _prefilter(pairs: np.ndarray, sigs: np.ndarray, sizes: np.ndarray, threshold: float) -> np.ndarray:
    """The candidate pairs whose signatures estimate a containment near ``threshold`` or above."""
    keep = []
    for i in range(0, len(pairs), CHUNK):
        p = pairs[i:i + CHUNK]
        j = (sigs[p[:, 0]] == sigs[p[:, 1]]).mean(axis=1)
        na, nb = sizes[p[:, 0]].astype(float), sizes[p[:, 1]].astype(float)
        est = j * (na + nb) / (1.0 + j) / np.minimum(na, nb)
        keep.append(p[est >= threshold - PREFILTER_MARGIN])
    return np.concatenate(keep) if keep else pairs


@dataclass
class StoryIndex:
    """Signatures, sizes and confirmed pairs of the linkable documents of a corpus."""

    ids: list[str] = field(default_factory=list)
    sigs: np.ndarray = field(default_factory=lambda: np.empty((0, NUM_PERM), dtype=np.uint32))
    sizes: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    edges: set[tuple[str, str]] = field(default_factory=set)
    checked: int = 0           # exact confirmations run (for benchmarks)

    def stories(self, ids: Iterable[str]) -> dict[str, str]:
        """doc_id -> its story (the smallest doc_id of its component) for ``ids``."""
        uf = _UnionFind()
        for a, b in self.edges:
            uf.union(a, b)
        return {d: uf.find(d) for d in ids}

    def component(self, seeds: Iterable[str]) -> set[str]:
        """The documents connected to ``seeds`` (the seeds included)."""
        adj = defaultdict(list)
        for a, b in self.edges:
            adj[a].append(b)
            adj[b].append(a)
        seen, todo = set(seeds), list(seeds)
        while todo:
            for n in adj.get(todo.pop(), ()):
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        return seen

    def remove(self, doc_ids: Iterable[str],
               sketch_of: Callable[[list[str]], Mapping[str, Sketch]] | None = None) -> set[str]:
        """Drop ``doc_ids`` and their edges; returns the other members of their stories.

        Those are re-linked from scratch (given ``sketch_of``): a story's edges are only
        the pairs needed to join it, so two copies joined through the one removed may
        still be copies of each other with no edge between them yet."""
        gone = set(doc_ids)
        if not gone:
            return set()
        orphans = self.component(gone) - gone
        self._drop(gone | orphans if sketch_of else gone)
        if sketch_of and orphans:
            self.add(sketch_of(sorted(orphans)), sketch_of)
        return orphans

    def _drop(self, gone: set[str]) -> None:
        keep = np.array([d not in gone for d in self.ids], dtype=bool)
        self.ids = [d for d, k in zip(self.ids, keep) if k]
        self.sigs, self.sizes = self.sigs[keep], self.sizes[keep]
        self.edges = {e for e in self.edges if e[0] not in gone and e[1] not in gone}

    def add(self, new: Mapping[str, Sketch], sketch_of: Callable[[list[str]], Mapping[str, Sketch]],
            threshold: float = CONTAINMENT, pairs_fn: PairsFn | None = None) -> None:
        """Index the documents in ``new`` and confirm their pairs with every indexed document.

        ``sketch_of(doc_ids)`` gives full sketches (with words) of already indexed documents
        that turn out to be candidates (the caller reads their bodies from the store).
        ``pairs_fn(keys, docs, is_query)`` finds the pairs sharing a band (default: here, by
        sorting; ``engines.dask.band_pairs`` does it on a cluster with a shuffle)."""
        known = set(self.ids)
        ids = [d for d in new if d not in known]
        if not ids:
            return
        n_old = len(self.ids)
        self.ids = self.ids + ids
        self.sigs = np.concatenate([self.sigs, np.stack([new[d].sig for d in ids])])
        self.sizes = np.concatenate([self.sizes, np.array([new[d].size for d in ids], dtype=np.int64)])
        is_query = np.zeros(len(self.ids), dtype=bool)
        is_query[n_old:] = True
        keys = _band_keys(self.sigs)
        rows = np.repeat(np.arange(len(self.ids)), keys.shape[1])
        pairs = (pairs_fn or _pairs_in_runs)(keys.ravel(), rows, is_query)
        pairs = _prefilter(pairs, self.sigs, self.sizes, threshold)
        # bodies of the documents indexed before, and of new ones given without (a streaming ingest)
        needed = sorted({d for d in (self.ids[i] for i in np.unique(pairs)) if d not in new or new[d].body is None})
        have = {**{d: s for d, s in new.items() if s.body is not None}, **(sketch_of(needed) if needed else {})}
        self._confirm(pairs, have, threshold)

    def _confirm(self, pairs: np.ndarray, have: Mapping[str, Sketch], threshold: float) -> None:
        uf = _UnionFind()
        for a, b in self.edges:
            uf.union(a, b)
        wh = _WordHashes()
        exact: OrderedDict[str, set] = OrderedDict()

        def exact_of(d: str) -> set:
            s = exact.get(d)
            if s is None:
                s = exact[d] = _exact_shingles(have[d].words)
                if len(exact) > EXACT_CACHE:
                    exact.popitem(last=False)
            return s

        for i, j in pairs.tolist():
            a, b = self.ids[i], self.ids[j]
            a, b = (a, b) if a < b else (b, a)
            if uf.find(a) == uf.find(b) or a not in have or b not in have:
                continue        # already one story (the same groups, fewer checks)
            if _hash_containment(have[a].hashes(wh), have[b].hashes(wh)) < threshold - HASH_MARGIN:
                continue
            self.checked += 1
            sa, sb = exact_of(a), exact_of(b)
            small, large = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
            if len(small & large) / len(small) >= threshold:
                self.edges.add((a, b))
                uf.union(a, b)


def to_tables(index: StoryIndex):
    """The index as two Arrow tables (documents, edges), for the store's sidecar files."""
    import pyarrow as pa
    docs = pa.table({"doc_id": pa.array(index.ids, pa.string()),
                     "size": pa.array(index.sizes, pa.int64()),
                     "sig": pa.FixedSizeListArray.from_arrays(pa.array(index.sigs.ravel(), pa.uint32()), NUM_PERM)})
    a, b = zip(*sorted(index.edges)) if index.edges else ((), ())
    edges = pa.table({"a": pa.array(a, pa.string()), "b": pa.array(b, pa.string())})
    return docs, edges


def from_tables(docs, edges) -> StoryIndex:
    """The index the two tables of :func:`to_tables` hold."""
    sig = docs.column("sig").combine_chunks()
    sigs = sig.flatten().to_numpy(zero_copy_only=False).astype(np.uint32).reshape(-1, NUM_PERM) \
        if len(sig) else np.empty((0, NUM_PERM), dtype=np.uint32)
    return StoryIndex(ids=docs.column("doc_id").to_pylist(), sigs=sigs,
                      sizes=docs.column("size").to_numpy().astype(np.int64),
                      edges=set(zip(edges.column("a").to_pylist(), edges.column("b").to_pylist())))


def sketches(records: Sequence[Mapping]) -> dict[str, Sketch]:
    """doc_id -> sketch for the linkable records (``doc_id`` and ``body`` keys)."""
    wh = _WordHashes()
    out = {}
    for r in records:
        s = sketch(r.get("body") or "", wh)
        if s is not None:
            out[r["doc_id"]] = s
    return out
