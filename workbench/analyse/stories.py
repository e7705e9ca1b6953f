"""Syndicated copies: one ``story_id`` for the copies of one story.

Candidates come from MinHash LSH Ensemble (datasketch), which indexes
*containment* rather than Jaccard similarity, so a copy that carries extra page
furniture still finds its shorter sibling. Each candidate pair is confirmed on
the exact word-shingle sets: the shorter body must be at least
``CONTAINMENT`` contained in the longer one (candidates far below it on the
64-bit shingle hashes are dropped before that, see :func:`_hash_containment`).

Cost notes (link_stories over 5,000 records: 9.6 s before these, about 5.5 s
after):

* MinHash input: 64-bit hashes of the word 5-grams (one blake2b hash per
  distinct word, 5-grams combined with numpy), folded to 32 bits; the
  signature is datasketch's "affine32" one, computed in one numpy expression
  (checked against ``MinHash.update_batch`` at import, which is used instead
  should they ever differ).
* LSH Ensemble: 64 permutations, 4 partitions, looking for containment 0.5
  (``LSH_MARGIN`` 0.3 below the confirmation threshold), ``m=2``. Against exact
  brute force this misses fewer true pairs than the former 128 permutations,
  8 partitions and 0.2 margin (672 near-threshold variants: none missed under
  eight seeds; 2,000 documents glued from shared paragraphs, 46 true pairs:
  3 missed over three seeds, against 11). ``m=2`` (at most 2 rows per band,
  default 8) only changes the parameters for partitions of sets under about 0.6
  times the query's size, which the query cannot be 0.8 contained in (such a
  pair is found by the smaller document's own query).
* Set sizes given to the LSH Ensemble are rounded up onto a 5 % geometric grid:
  datasketch's optimal partitioning is quadratic in the number of *distinct*
  sizes (2,000 distinct sizes cost it over 20 s; the grid keeps a few hundred).
* Exact shingle sets (word tuples, the same sizes and intersections as the
  joined strings of :func:`shingles`) are built only for candidates that pass
  the hash check, and at most ``EXACT_CACHE`` are kept.

:func:`duplicate_pairs` gives the pairs on whole bodies; the stories
(:func:`story_links`) are those of ``story_index.StoryIndex``, which ``ingest``
keeps: pairs judged on story text (a site's furniture and short lines left
out), and a document joins a story only when confirmed against its first
document and half its members, never through a chain of single pairs. A
story's ``story_id`` is its first (smallest) ``doc_id``; a single story's id is
its own ``doc_id``.

Siblings fill gaps: a copy with no publication date (or only an inferred one)
takes the date of a sibling whose date came from its page or dateline, with
``published_basis = "syndicated-copy"``, provided it does not contradict the
copy's own dateline month/day. A copy without a headline takes its sibling's (a
wire copy's first), with ``title_basis = "syndicated-copy"`` and a warning
``title-from-syndicated-copy: <doc_id>``; ``fill_title=False`` only notes it.
Texts are compared as :func:`workbench.analyse.text.comparison_text` gives them
("U.S."/"US", quotes and hyphens alike).

All of this is a ``record.Link`` overlay per article (:func:`story_links`), kept
beside the values extraction found, so the next ingest links afresh;
:func:`link_stories` applies it to flat records in place.
"""
from __future__ import annotations

import functools
import hashlib
import math
import re
from collections import OrderedDict, defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.analyse.text import comparison_text
from workbench.dates import parse_day_month
from workbench.record import Link, apply_link

if TYPE_CHECKING:  # datasketch (and scipy behind it) load on first use: notebooks
    from datasketch import MinHash  # that only merge events never pay for them

SHINGLE = 5
NUM_PERM = 64
NUM_PART = 4
CONTAINMENT = 0.8
LSH_MARGIN = 0.3          # the LSH Ensemble looks for containment >= CONTAINMENT - LSH_MARGIN
LSH_MAX_R = 2             # datasketch's ``m``: rows per band at most (see module doc)
MIN_SHINGLES = 8
SIZE_GRID = 1.05          # LSH Ensemble sizes rounded up to powers of this
EXACT_CACHE = 512         # exact shingle sets kept at once (built on demand)
HASH_MARGIN = 0.05        # candidates this far below the threshold on 64-bit hashes: rejected

_WORD = re.compile(r"[0-9a-z]+(?:'[a-z]+)?")


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    words = _words(text)
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}


def _words(text: str) -> list[str]:
    return _WORD.findall(comparison_text(text or ""))


def _exact_shingles(words: list[str], k: int = SHINGLE) -> set[tuple[str, ...]]:
    """The exact shingle set as word tuples: a tuple for each joined string of
    :func:`shingles`, so sizes and intersections are the same."""
    if len(words) < k:
        return {tuple(words)} if words else set()
    return set(zip(*(words[i:] for i in range(k))))


@functools.cache
def _template() -> MinHash:
    """A MinHash whose permutations every signature shares (made once)."""
    from datasketch import MinHash
    return MinHash(num_perm=NUM_PERM, seed=7)
_MUL = np.uint64(0x9E3779B97F4A7C15)             # odd: 5-gram hash = polynomial in word hashes
_LOW32 = np.uint64(0xFFFFFFFF)
_SHIFT32 = np.uint64(32)


class _WordHashes(dict):
    """word -> 64-bit hash (blake2b), computed once per distinct word."""

    def __missing__(self, w: str) -> int:
        v = self[w] = int.from_bytes(hashlib.blake2b(w.encode("utf-8", "surrogatepass"),
                                                     digest_size=8).digest(), "little")
        return v


def _shingle_hashes(words: list[str], wh: _WordHashes, k: int = SHINGLE) -> np.ndarray:
    """Distinct 64-bit hashes of the word k-grams (sorted)."""
    w = np.fromiter(map(wh.__getitem__, words), dtype=np.uint64, count=len(words))
    n = len(w) - k + 1
    h = w[:n].copy()
    for j in range(1, k):       # wraps modulo 2**64, as intended
        h *= _MUL
        h += w[j:j + n]
    h.sort()
    return h[np.concatenate(([True], h[1:] != h[:-1]))]


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser (what datasketch's "affine32" scheme
    applies to every input hash before its permutations)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _minhash_batch(hashes: np.ndarray) -> MinHash:
    """datasketch's own way: ``update_batch`` (a Python call per input)."""
    from datasketch import MinHash
    t = _template()
    m = MinHash(num_perm=NUM_PERM, hashfunc=int, permutations=t.permutations, scheme=t.scheme)
    m.update_batch(((hashes ^ (hashes >> _SHIFT32)) & _LOW32).tolist())
    return m


def _minhash_numpy(hashes: np.ndarray) -> MinHash:
    """The same signature as :func:`_minhash_batch`, computed in one numpy
    expression (affine32: min over inputs of a * fmix32(h) + b, modulo 2**32)."""
    from datasketch import MinHash
    t = _template()
    a, b = t.permutations
    hv = _fmix32(((hashes ^ (hashes >> _SHIFT32)) & _LOW32).astype(np.uint32))
    return MinHash(num_perm=NUM_PERM, hashvalues=(hv[:, None] * a + b).min(axis=0),
                   permutations=t.permutations, scheme=t.scheme)


def _numpy_matches_datasketch() -> bool:
    try:
        probe = np.array([0, 1, 2 ** 32 + 7, 2 ** 63 + 12345, 2 ** 64 - 1], dtype=np.uint64)
        return _template().scheme == "affine32" and bool(
            (_minhash_numpy(probe).hashvalues == _minhash_batch(probe).hashvalues).all())
    except Exception:
        return False


# The 64-bit 5-gram hashes, folded to 32 bits, are the MinHash input (the
# signatures live for one run only, and every candidate pair is confirmed by
# exact containment afterwards). The numpy path is used while it gives exactly
# datasketch's values (checked once here), else datasketch computes them.
@functools.cache
def _signature_fn():
    return _minhash_numpy if _numpy_matches_datasketch() else _minhash_batch


def _minhash(hashes: np.ndarray) -> MinHash:
    return _signature_fn()(hashes)


def _hash_containment(ha: np.ndarray, hb: np.ndarray) -> float:
    """Containment of the smaller in the larger, on sorted distinct 5-gram hashes.

    A cheap first look at an LSH candidate: it equals the exact containment
    unless 64-bit hashes collide, and a candidate is dropped only when it is
    ``HASH_MARGIN`` (5 % of the shingles) below the threshold, which would take
    that many collisions. Everything kept is confirmed on the exact sets."""
    small, large = (ha, hb) if len(ha) <= len(hb) else (hb, ha)
    i = np.searchsorted(large, small)
    i[i == len(large)] = 0
    return float(np.count_nonzero(large[i] == small)) / len(small)


def _grid_size(n: int) -> int:
    """``n`` rounded up to the size grid (see module doc)."""
    return max(n, int(math.ceil(SIZE_GRID ** math.ceil(math.log(n, SIZE_GRID) - 1e-9))))


def duplicate_pairs(records: Sequence[Mapping[str, Any]], threshold: float = CONTAINMENT,
                    skip_joined: bool = False) -> list[tuple[str, str, float]]:
    """Confirmed near-duplicate pairs (doc_id_a, doc_id_b, containment), a < b.

    ``skip_joined`` leaves out candidates already joined through other
    confirmed pairs: the groups come out the same, but a story with k copies
    costs k confirmations instead of k²/2.

    Bodies with the same word sequence have the same shingle set, signature
    and size, so they are interchangeable here: only the first of them goes
    through the LSH and the confirmations, and its pairs are then given to the
    others (with containment 1.0 among themselves)."""
    wh = _WordHashes()
    same_words: dict[tuple[str, ...], str] = {}     # word sequence -> first doc_id with it
    copies: dict[str, list[str]] = {}               # that doc_id -> later ones with the same words
    words: dict[str, list[str]] = {}
    hashed: dict[str, np.ndarray] = {}
    size: dict[str, int] = {}
    mh: dict[str, MinHash] = {}
    for r in records:
        ws = _words(r.get("body") or "")
        if len(ws) < SHINGLE:
            continue            # at most one shingle: below MIN_SHINGLES
        first = same_words.setdefault(tuple(ws), r["doc_id"])
        if first != r["doc_id"]:
            if first in copies:
                copies[first].append(r["doc_id"])
            continue
        hs = _shingle_hashes(ws, wh)
        n = len(hs)             # hash collisions can only merge shingles: n <= exact size
        if n < MIN_SHINGLES:
            n = len(_exact_shingles(ws))
            if n < MIN_SHINGLES:
                continue
        d = r["doc_id"]
        words[d], hashed[d], size[d], mh[d] = ws, hs, n, _minhash(hs)
        copies.setdefault(d, [])
    pairs = _representative_pairs(words, hashed, size, mh, threshold, skip_joined) if len(words) >= 2 else {}
    # the copies with the same words
    for d, same in copies.items():
        if not same:
            continue
        group = [d, *same]
        if skip_joined:
            intra = [(d, x) for x in same]
        else:
            intra = [(x, y) for i, x in enumerate(group) for y in group[i + 1:]]
        for x, y in intra:
            pairs[(x, y) if x < y else (y, x)] = 1.0
    if not skip_joined:
        for (a, b), c in list(pairs.items()):
            for x in (a, *copies.get(a, ())):
                for y in (b, *copies.get(b, ())):
                    if x != y and (x, y) != (a, b):
                        pairs[(x, y) if x < y else (y, x)] = c
    return sorted((a, b, round(c, 3)) for (a, b), c in pairs.items())


def _representative_pairs(words: dict, hashed: dict, size: dict, mh: dict, threshold: float,
                          skip_joined: bool) -> dict[tuple[str, str], float]:
    """Confirmed pairs among documents with distinct word sequences."""
    from datasketch import MinHashLSHEnsemble
    lsh = MinHashLSHEnsemble(threshold=max(0.05, threshold - LSH_MARGIN), num_perm=NUM_PERM,
                             num_part=NUM_PART, m=LSH_MAX_R)
    lsh.index([(d, mh[d], _grid_size(size[d])) for d in words])

    exact_cache: OrderedDict[str, set] = OrderedDict()

    def exact(d: str) -> set:
        s = exact_cache.get(d)
        if s is None:
            s = exact_cache[d] = _exact_shingles(words[d])
            if len(exact_cache) > EXACT_CACHE:
                exact_cache.popitem(last=False)
        else:
            exact_cache.move_to_end(d)
        return s

    pairs = {}
    uf = _UnionFind()
    root = uf.find

    for d in words:
        rd = root(d)
        for other in lsh.query(mh[d], size[d]):
            if other == d or (skip_joined and root(other) == rd):
                continue
            a, b = (d, other) if d < other else (other, d)
            if (a, b) in pairs:
                continue
            ha, hb = hashed[a], hashed[b]
            if _hash_containment(ha, hb) < threshold - HASH_MARGIN:
                continue
            sa, sb = exact(a), exact(b)
            small, large = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
            c = len(small & large) / len(small)
            if c >= threshold:
                pairs[(a, b)] = c
                uf.union(a, b)
                rd = root(d)
    return pairs


class _UnionFind:
    """Disjoint sets of doc_ids; a set's root is its smallest id."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        p = self.parent
        while p.get(x, x) != x:
            p[x] = p.get(p[x], p[x])
            x = p[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _groups(ids: list[str], pairs) -> dict[str, str]:
    """doc_id -> the smallest doc_id of its group of copies."""
    uf = _UnionFind()
    for a, b, _ in pairs:
        uf.union(a, b)
    members = defaultdict(list)
    for d in ids:
        members[uf.find(d)].append(d)
    return {d: min(members[uf.find(d)]) for d in ids}


def _borrow_date(r: Mapping[str, Any], dated: list[Mapping[str, Any]], ln: Link) -> None:
    """A copy without a date (or with an inferred one) takes its earliest-id dated sibling's,
    unless its own dateline's month and day say otherwise."""
    src = min(dated, key=lambda x: x["doc_id"])
    md = parse_day_month(r.get("dateline_day"))
    pub = src["published"]
    if md and (int(pub[5:7]), int(pub[8:10])) != md:
        ln.notes.append(f"syndicated-copy date {pub} from {src['doc_id']} contradicts the dateline "
                        f"({r.get('dateline') or 'no place'}, {r.get('dateline_day')}); not used")
    else:
        ln.published, ln.published_from = pub, src["doc_id"]


def _borrow_title(titled: list[Mapping[str, Any]], ln: Link, fill_title: bool) -> None:
    """The headline a copy without one takes: the headline its sibling prints right above the
    shared body (the wire's, not an outlet's rewrite at the top), a wire copy's first."""
    src = min(titled, key=lambda x: (not x.get("agency"), x["doc_id"]))
    title = src.get("headline_near_body") or src["title"]
    if fill_title:
        ln.title, ln.title_from = title, src["doc_id"]
        ln.notes.append(f"title-from-syndicated-copy: {src['doc_id']}")
    else:
        ln.title_from, ln.sibling_title = src["doc_id"], title
        ln.notes.append(f"title-from-syndicated-copy: {src['doc_id']}: {title}")


def story_links(records: Sequence[Mapping[str, Any]], fill_title: bool = True) -> dict[str, Link]:
    """The link overlay of every record (doc_id -> ``Link``), from the records' own values:
    ``story_id`` for each, and for copies a date (or title) their siblings give. The stories
    are those of ``story_index.StoryIndex`` (what ``ingest`` links with): site furniture
    discounted, no chains of single pairs."""
    from workbench.analyse.story_index import StoryIndex, sketches  # (it imports this module)
    index = StoryIndex()
    index.add(sketches(records), lambda ids: {})
    return links_for(records, index.stories(r["doc_id"] for r in records), fill_title)


def links_for(records: Sequence[Mapping[str, Any]], story: Mapping[str, str],
              fill_title: bool = True) -> dict[str, Link]:
    """The link overlays of ``records`` given each one's ``story`` (doc_id -> story_id); the
    records of a story must all be given (an incremental ingest passes the stories it touched)."""
    links = {r["doc_id"]: Link(story_id=story[r["doc_id"]]) for r in records}
    by_story = defaultdict(list)
    for r in records:
        by_story[story[r["doc_id"]]].append(r)
    for group in by_story.values():
        if len(group) < 2:
            continue
        dated = [r for r in group if r.get("published") and r.get("published_basis") in ("page", "feed", "dateline")]
        titled = [r for r in group if r.get("title")]
        for r in group:
            ln = links[r["doc_id"]]
            if (not r.get("published") or r.get("published_basis") in (None, "inferred")) and dated:
                _borrow_date(r, dated, ln)
            if not r.get("title") and titled:
                _borrow_title(titled, ln, fill_title)
    return links


def link_stories(records: list[dict], fill_title: bool = True) -> list[dict]:
    """Set ``story_id`` on every flat record (in place; also returned) and fill a
    copy's missing date (and, with ``fill_title``, title) from its siblings."""
    links = story_links(records, fill_title)
    for r in records:
        r.update(apply_link(r, links[r["doc_id"]]))
    return records
