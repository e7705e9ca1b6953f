"""A persisted index of syndicated copies: MinHash signatures, band hashes and confirmed pairs.

What ``stories.duplicate_pairs`` does over a whole corpus at once, kept between
runs so that an ingest links only what changed:

* every document keeps its MinHash signature (``stories.NUM_PERM`` values, the
  same signature ``stories`` computes), its number of distinct 5-grams, and the
  hashes of its *prose lines* (lines of at least ``PROSE_WORDS`` words, digits
  left out of the hash);
* candidates are documents sharing a band (``BAND_ROWS`` consecutive signature
  values; ``NUM_PERM / BAND_ROWS`` bands): grouped by sorting the band hashes,
  never by comparing all pairs;
* every candidate pair is then filtered in one vectorised step on the whole
  signatures: the estimated Jaccard similarity and the two sizes give an
  estimated containment of the smaller in the larger, and pairs more than
  ``PREFILTER_MARGIN`` below ``CONTAINMENT`` go no further;
* the rest are confirmed on their *story text*, on the bodies the caller
  supplies: the words of the prose lines printed in at most ``FURNITURE_DF``
  indexed documents. A line on more pages than that is a site's furniture (author
  box, comment thread, related list) that the cleaner left in the body, not
  evidence of a copy; short lines (bylines, menus, a related list's headlines)
  are never evidence. The smaller story text must be ``CONTAINMENT`` contained in
  the larger (64-bit hash containment first, then the exact shingle sets, as
  ``stories`` does on whole bodies);
* every candidate pair is judged (a story of k copies costs k²/2 checks), and a
  story is not a connected component: documents are taken in ``doc_id`` order,
  and one joins a story only when it is confirmed against the story's first
  document and against at least ``JOIN_SHARE`` of its members (else it starts
  its own), so a chain of single pairs cannot grow a story across a site.

The line counts change as documents come and go, and with them the story text
of every document printing a line whose count crosses ``FURNITURE_DF``: those
documents are judged again (their pairs dropped and searched afresh), so that
the confirmed pairs, and hence the stories, are always those a cold run over
the same documents finds. Adding documents queries only them (and such
documents) against the index; removing one drops its pairs. The stories touched
are the connected components (over confirmed pairs) of all of these.
"""
from __future__ import annotations

import hashlib
import re
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from workbench.analyse.stories import (
    _WORD,
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
    _WordHashes,
)
from workbench.analyse.text import comparison_text, comparison_words_text

SIG_VERSION = "3"          # what is indexed (3: + prose line hashes): another version is rebuilt
_rng = np.random.RandomState(20260211)
_A = (_rng.randint(0, 2 ** 32, NUM_PERM, dtype=np.uint64) | np.uint64(1)).astype(np.uint32)   # odd: a bijection
_B = _rng.randint(0, 2 ** 32, NUM_PERM, dtype=np.uint64).astype(np.uint32)
BAND_ROWS = 2              # signature values per band: 32 bands of 2 (candidates down to J ~ 0.3)
PREFILTER_MARGIN = 0.25    # estimated containment this far below CONTAINMENT: not a candidate
PairsFn = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
ConfirmFn = Callable[[list[tuple[str, str]], dict[str, tuple[str, list[int]]], float],
                     tuple[list[tuple[str, str]], int]]
CHUNK = 200_000            # candidate pairs compared at once in the prefilter
PROSE_WORDS = 10           # a line shorter than this (byline, menu item, list headline) is no copy evidence
FURNITURE_DF = 12          # a prose line printed in more documents than this is a site's furniture
MAX_RUN = 4 * FURNITURE_DF  # documents sharing one band value: more is a template's text, not one story's copies
STORY_WORDS_KEPT = 64      # story word lists kept while confirming (as lists of str, ~40 bytes a word; the
                           # hashes stay): kept for every candidate, they were most of a 100k cold run's memory
JOIN_SHARE = 0.5           # a document joins a story confirmed against its first and this share of its members
_DIGITS = re.compile(r"[0-9]+")
_BREAK = "zqxlinebreakzqx"   # a word no text has: where one prose line ends


def _line_words(body: str) -> list[list[str]]:
    """The words of each line of ``body``, as ``stories._words`` finds them, normalised in
    one ``comparison_words_text`` call (the lines joined by a marker word)."""
    joined = f" {_BREAK} ".join((body or "").split("\n"))
    text = comparison_words_text(joined)
    if text is None:
        text = comparison_text(joined)
    return [_WORD.findall(part) for part in text.split(_BREAK)]


def _prose_lines(lines: list[list[str]]) -> list[tuple[int, list[str]]]:
    """(hash, words) of the lines with at least ``PROSE_WORDS`` words. The hash leaves
    digits out, so a template's line with its date or count varied is one line."""
    out = []
    for ws in lines:
        if len(ws) >= PROSE_WORDS:
            key = _DIGITS.sub("", " ".join(ws)).encode("utf-8", "surrogatepass")
            out.append((int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little"), ws))
    return out


def line_hashes(body: str | list[list[str]]) -> np.ndarray:
    """The distinct hashes of the prose lines of ``body`` (or of its words by line; sorted uint64)."""
    lines = _line_words(body) if isinstance(body, str) else body
    return np.unique(np.array([h for h, _ in _prose_lines(lines)], dtype=np.uint64))


class Sketch:
    """What the index needs of one body: its signature, its number of distinct 5-grams and
    its prose lines' hashes (kept), and its words and 5-gram hashes (recomputed only when
    a pair is confirmed). ``body`` None: not given (a streaming ingest); ``StoryIndex`` asks
    for it through ``sketch_of`` when the document is a candidate, so ``lines`` must be given."""

    __slots__ = ("sig", "size", "body", "lines", "_words", "_hashes")

    def __init__(self, sig: np.ndarray, size: int, body: str | None, lines: np.ndarray | None = None) -> None:
        if body is None and lines is None:
            raise ValueError("a sketch without its body needs its prose line hashes")
        self.sig, self.size, self.body = sig, size, body
        self.lines = line_hashes(body or "") if lines is None else lines
        self._words: list[list[str]] | None = None
        self._hashes: np.ndarray | None = None

    @property
    def words(self) -> list[list[str]]:
        """The words of each line (computed once, on first use)."""
        if self._words is None:
            self._words = _line_words(self.body or "")
        return self._words

    def hashes(self, wh: _WordHashes) -> np.ndarray:
        if self._hashes is None:
            self._hashes = _shingle_hashes([w for ws in self.words for w in ws], wh)
        return self._hashes

    def story_words(self, df: LineCounts | Mapping[int, int]) -> list[str]:
        """The words of the prose lines printed in at most ``FURNITURE_DF`` documents."""
        return [w for h, ws in _prose_lines(self.words) if df.get(h, 0) <= FURNITURE_DF for w in ws]

    def forget(self) -> None:
        self._words = self._hashes = None


def sketch(body: str, wh: _WordHashes | None = None) -> Sketch | None:
    """The sketch of ``body``, or None when it is too short to be linked (as ``stories``)."""
    lines = _line_words(body)
    ws = [w for x in lines for w in x]
    if len(ws) < SHINGLE:
        return None
    hs = _shingle_hashes(ws, wh if wh is not None else _WordHashes())
    n = len(hs)
    if n < MIN_SHINGLES:
        n = len(_exact_shingles(ws))
        if n < MIN_SHINGLES:
            return None
    return Sketch(signature(hs), n, body, line_hashes(lines))


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


def _distinct(a: np.ndarray) -> np.ndarray:
    """The distinct values of ``a``, sorted: ``np.unique`` by one sort (numpy 2.4's ``np.unique``
    took 3.5 s of CPU for a cold 100k run's 3.3M band keys, a sort 0.2 s)."""
    s = np.sort(a)
    return s[np.concatenate(([True], s[1:] != s[:-1]))] if len(s) else s


def _pairs_in_runs(keys: np.ndarray, docs: np.ndarray, is_query: np.ndarray) -> np.ndarray:
    """(i, j) index pairs, i < j, sharing a key, where at least one is a query document.

    The keys are sorted once; only runs holding a query document are paired, the runs
    of each size in one vectorised step (one Python step a run, and ``np.unique``/``np.isin``
    over every key, were most of a cold 100k link). A run longer than ``MAX_RUN``
    is skipped: a band value shared by that many documents comes from text a template
    prints on every page (a story's copies that short story text could join are at most
    ``FURNITURE_DF``), and pairing it would grow as the square of the site's page count;
    true copies still meet through the bands drawn from their own story text."""
    if len(keys) < 2:
        return np.empty((0, 2), dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    k, d = keys[order], docs[order]
    starts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1])))
    sizes = np.diff(np.append(starts, len(k)))
    queried = np.maximum.reduceat(is_query[d].astype(np.uint8), starts) > 0
    ok = queried & (sizes >= 2) & (sizes <= MAX_RUN)
    out = []
    for n in _distinct(sizes[ok]).tolist():
        a, b = np.triu_indices(n, 1)          # every pair of positions in a run of n, in one step
        s = starts[ok & (sizes == n)][:, None]
        out.append(np.stack([d[s + a].ravel(), d[s + b].ravel()], axis=1))
    if not out:
        return np.empty((0, 2), dtype=np.int64)
    p = np.sort(np.concatenate(out).astype(np.int64), axis=1)
    p = p[(p[:, 0] != p[:, 1]) & (is_query[p[:, 0]] | is_query[p[:, 1]])]
    base = int(p.max(initial=0)) + 1
    return np.stack(np.divmod(_distinct(p[:, 0] * base + p[:, 1]), base), axis=1)   # sorted as (i, j)


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


SketchesFn = Callable[[list[str]], Mapping[str, Sketch]]


def _stories_of(members: list[str], adj: Mapping[str, set[str]]) -> dict[str, str]:
    """doc_id -> story (its first doc_id) for one connected component, taken in doc_id order:
    a document joins the story it has most confirmed pairs with among those whose first
    document it is confirmed against and whose members it is confirmed against at least
    ``JOIN_SHARE`` of; else it starts its own. A function of the pairs alone."""
    story: dict[str, str] = {}
    size: dict[str, int] = {}
    for d in sorted(members):
        near = adj.get(d, set())
        votes: dict[str, int] = defaultdict(int)
        for n in near:
            if n in story:
                votes[story[n]] += 1
        ok = [(-v, s) for s, v in votes.items() if s in near and v >= JOIN_SHARE * size[s]]
        s = min(ok)[1] if ok else d
        story[d] = s
        size[s] = size.get(s, 0) + 1
    return story


class LineCounts:
    """Prose line hash -> the number of indexed documents printing it (0: none).

    Counts as loaded are a sorted array (``np.unique`` of every indexed line: at 100k
    documents 0.8M hashes, which as a dict cost 0.4 s of CPU to build on every incremental
    run); changes since go to a dict, looked up first. Reads are ``get``; writes ``[h] = n``."""

    def __init__(self, hashes: np.ndarray | None = None, counts: np.ndarray | None = None):
        self.hashes = hashes if hashes is not None else np.empty(0, dtype=np.uint64)
        self.counts = counts if counts is not None else np.empty(0, dtype=np.int64)
        self.delta: dict[int, int] = {}

    def get(self, h: int, default: int = 0) -> int:
        v = self.delta.get(h)
        if v is None and len(self.hashes):
            i = int(np.searchsorted(self.hashes, np.uint64(h)))
            v = int(self.counts[i]) if i < len(self.hashes) and int(self.hashes[i]) == h else None
        return v if v else default

    def __setitem__(self, h: int, n: int) -> None:
        self.delta[h] = n

    def pop(self, h: int, default: object = None) -> None:
        self.delta[h] = 0

    def as_dict(self) -> dict[int, int]:
        out = dict(zip(self.hashes.tolist(), self.counts.tolist()))
        out.update(self.delta)
        return {h: n for h, n in out.items() if n}

    def __bool__(self) -> bool:
        return bool(len(self.hashes) or any(self.delta.values()))

    def __eq__(self, other: object) -> bool:
        other_d = other.as_dict() if isinstance(other, LineCounts) else other
        return self.as_dict() == other_d


@dataclass
class StoryIndex:
    """Signatures, sizes, prose line hashes and confirmed pairs of the linkable documents."""

    ids: list[str] = field(default_factory=list)
    sigs: np.ndarray = field(default_factory=lambda: np.empty((0, NUM_PERM), dtype=np.uint32))
    sizes: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    lines: list[np.ndarray] = field(default_factory=list)
    edges: set[tuple[str, str]] = field(default_factory=set)
    df: LineCounts = field(default_factory=LineCounts)    # prose line hash -> documents printing it
    checked: int = 0           # exact confirmations run (for benchmarks)

    def __post_init__(self) -> None:
        if not self.df and self.lines:
            self.compact()

    def compact(self) -> None:
        """The line counts as sorted arrays again (as loaded), changes folded in: built by ``add``,
        a cold 100k index held them as a dict of 0.8M Python ints (68 MiB; arrays: 13 MiB)."""
        self.df = LineCounts(*np.unique(np.concatenate(self.lines), return_counts=True)) if self.lines \
            else LineCounts()

    def _adjacency(self) -> dict[str, set[str]]:
        adj: dict[str, set[str]] = defaultdict(set)
        for a, b in self.edges:
            adj[a].add(b)
            adj[b].add(a)
        return adj

    def stories(self, ids: Iterable[str]) -> dict[str, str]:
        """doc_id -> its story (see :func:`_stories_of`) for ``ids``."""
        adj = self._adjacency()
        ids = list(ids)
        story: dict[str, str] = {}
        for d in ids:
            if d not in story:
                story.update(_stories_of(sorted(self._reach([d], adj)), adj))
        return {d: story[d] for d in ids}

    def component(self, seeds: Iterable[str]) -> set[str]:
        """The documents connected to ``seeds`` through confirmed pairs (the seeds included)."""
        return self._reach(seeds, self._adjacency())

    @staticmethod
    def _reach(seeds: Iterable[str], adj: Mapping[str, set[str]]) -> set[str]:
        seen, todo = set(seeds), list(seeds)
        while todo:
            for n in adj.get(todo.pop(), ()):
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        return seen

    def _count(self, lines: Iterable[np.ndarray], step: int) -> set[int]:
        """Add ``step`` to the counts of ``lines``; the line hashes that crossed ``FURNITURE_DF``."""
        crossed = set()
        for hs in lines:
            for h in hs.tolist():
                before = self.df.get(h, 0)
                after = before + step
                if after:
                    self.df[h] = after
                else:
                    self.df.pop(h, None)
                if (before > FURNITURE_DF) != (after > FURNITURE_DF):
                    crossed.add(h)
        return crossed

    def _printing(self, crossed: set[int], exclude: set[str]) -> set[str]:
        """The indexed documents (not in ``exclude``) printing one of the ``crossed`` lines:
        their story text changed."""
        if not crossed or not self.ids:
            return set()
        flat = np.concatenate(self.lines) if self.lines else np.empty(0, dtype=np.uint64)
        owner = np.repeat(np.arange(len(self.ids)), [len(x) for x in self.lines])
        hit = owner[np.isin(flat, np.fromiter(crossed, dtype=np.uint64, count=len(crossed)))]
        return {self.ids[i] for i in np.unique(hit).tolist()} - exclude

    def remove(self, doc_ids: Iterable[str], sketch_of: SketchesFn | None = None,
               confirm_fn: ConfirmFn | None = None) -> set[str]:
        """Drop ``doc_ids`` and their pairs; returns the other documents whose stories may change
        (those connected to them, and to documents judged again, before and after).

        Documents printing a line whose count fell to ``FURNITURE_DF`` are judged again
        (given ``sketch_of``, which reads their bodies): lines that were furniture are story
        text again."""
        gone = set(doc_ids) & set(self.ids)
        if not gone:
            return set()
        pos = {d: i for i, d in enumerate(self.ids)}
        crossed = self._count((self.lines[pos[d]] for d in gone), -1)
        again = self._printing(crossed, gone) if sketch_of else set()
        touched = self.component(gone | again) - gone
        self._drop(gone)
        if again and sketch_of is not None:
            self._judge_again(again, sketch_of, confirm_fn)
            touched |= self.component(again)       # their pairs found now
        return touched

    def _drop(self, gone: set[str]) -> None:
        keep = np.array([d not in gone for d in self.ids], dtype=bool)
        self.ids = [d for d, k in zip(self.ids, keep) if k]
        self.lines = [x for x, k in zip(self.lines, keep) if k]
        self.sigs, self.sizes = self.sigs[keep], self.sizes[keep]
        self.edges = {e for e in self.edges if e[0] not in gone and e[1] not in gone}

    def _judge_again(self, again: set[str], sketch_of: SketchesFn, confirm_fn: ConfirmFn | None = None) -> None:
        """Drop the pairs of ``again`` and search theirs afresh (their story text changed)."""
        self.edges = {e for e in self.edges if e[0] not in again and e[1] not in again}
        is_query = np.array([d in again for d in self.ids], dtype=bool)
        self._link(is_query, dict(sketch_of(sorted(again))), sketch_of, CONTAINMENT, None, confirm_fn)

    def add(self, new: Mapping[str, Sketch], sketch_of: SketchesFn,
            threshold: float = CONTAINMENT, pairs_fn: PairsFn | None = None,
            confirm_fn: ConfirmFn | None = None) -> set[str]:
        """Index the documents in ``new`` and judge their pairs with every indexed document.

        ``sketch_of(doc_ids)`` gives full sketches (with words) of already indexed documents
        that turn out to be candidates (the caller reads their bodies from the store).
        ``pairs_fn(keys, docs, is_query)`` finds the pairs sharing a band (default: here, by
        sorting; ``engines.dask.band_pairs`` does it on a cluster with a shuffle);
        ``confirm_fn`` confirms the candidate pairs (default: here; ``engines.dask.confirm_pairs``
        on the cluster's workers, a chunk of pairs per task). Returns the
        indexed documents whose stories may change beyond those connected to the new ones:
        documents printing a line that became furniture (judged again) and those connected
        to them, before and after."""
        known = set(self.ids)
        ids = [d for d in new if d not in known]
        if not ids:
            return set()
        crossed = self._count((new[d].lines for d in ids), +1)
        again = self._printing(crossed, set())
        touched = self.component(again)
        n_old = len(self.ids)
        self.ids = self.ids + ids
        self.lines = self.lines + [new[d].lines for d in ids]
        self.sigs = np.concatenate([self.sigs, np.stack([new[d].sig for d in ids])])
        self.sizes = np.concatenate([self.sizes, np.array([new[d].size for d in ids], dtype=np.int64)])
        self.edges = {e for e in self.edges if e[0] not in again and e[1] not in again}
        is_query = np.zeros(len(self.ids), dtype=bool)
        is_query[n_old:] = True
        is_query[[i for i, d in enumerate(self.ids[:n_old]) if d in again]] = True
        have = dict(new)
        if again:
            have.update(sketch_of(sorted(again)))
        self._link(is_query, have, sketch_of, threshold, pairs_fn, confirm_fn)
        return (touched | self.component(again)) - set(ids)

    def _link(self, is_query: np.ndarray, have: dict[str, Sketch], sketch_of: SketchesFn,
              threshold: float, pairs_fn: PairsFn | None, confirm_fn: ConfirmFn | None = None) -> None:
        """Find the candidate pairs of the query documents and judge them."""
        keys = _band_keys(self.sigs)
        rows = np.repeat(np.arange(len(self.ids)), keys.shape[1])
        pairs = (pairs_fn or _pairs_in_runs)(keys.ravel(), rows, is_query)
        pairs = _prefilter(pairs, self.sigs, self.sizes, threshold)
        # bodies of candidates not at hand, or given without one (a streaming ingest)
        cand = {self.ids[i] for i in _distinct(pairs.ravel()).tolist()}
        needed = sorted(d for d in cand if d not in have or have[d].body is None)
        if needed:
            have.update(sketch_of(needed))
        self._confirm(pairs, have, threshold, confirm_fn)

    def _confirm(self, pairs: np.ndarray, have: dict[str, Sketch], threshold: float,
                 confirm_fn: ConfirmFn | None = None) -> None:
        """Keep the pairs whose story texts are ``threshold`` contained (``judge_pairs``), here
        or, given ``confirm_fn`` (``engines.dask.confirm_pairs``), on a cluster: each pair's
        documents go with their bodies and furniture lines (``judge_chunk``). Here, a
        candidate's sketch is let go after its last pair (``Sketch.forget``)."""
        cands = []
        for i, j in pairs.tolist():
            a, b = self.ids[i], self.ids[j]
            a, b = (a, b) if a < b else (b, a)
            if (a, b) not in self.edges and a in have and b in have:
                cands.append((a, b))
        if confirm_fn is not None and cands:
            docs = {d: (have[d].body or "", [h for h in have[d].lines.tolist() if self.df.get(h, 0) > FURNITURE_DF])
                    for d in sorted({x for p in cands for x in p})}
            found, checked = confirm_fn(cands, docs, threshold)
        else:
            def release(d: str) -> None:
                sk = have.pop(d, None)
                if sk is not None:
                    sk.forget()
            found, checked = judge_pairs(cands, lambda d, wh: have[d].hashes(wh),
                                         lambda d: have[d].story_words(self.df), threshold, release)
        self.checked += checked
        self.edges.update(found)


def judge_pairs(pairs: list[tuple[str, str]], hashes: Callable[[str, _WordHashes], np.ndarray],
                story_words: Callable[[str], list[str]], threshold: float,
                release: Callable[[str], None] | None = None) -> tuple[list[tuple[str, str]], int]:
    """The ``pairs`` whose story texts are ``threshold`` contained (the smaller in the larger),
    and how many exact checks that took. ``hashes(d, wh)``: the 5-gram hashes of ``d``'s
    whole body; ``story_words(d)``: the words of its story text; ``release(d)``, if given, is
    called after ``d``'s last pair (what is held for it here is dropped then too).

    Cheap looks first, on 64-bit 5-gram hashes: the whole bodies must be as contained as
    the prefilter estimated (``PREFILTER_MARGIN`` below the threshold), the story texts
    within ``HASH_MARGIN`` of it; then the exact story shingle sets decide. A story's
    hashes are kept (8 bytes a 5-gram), its words only for the last ``STORY_WORDS_KEPT``
    documents (recomputed, the same words, when an exact check needs them again)."""
    wh = _WordHashes()
    found: list[tuple[str, str]] = []
    checked = 0
    story: dict[str, np.ndarray] = {}
    words: OrderedDict[str, list[str]] = OrderedDict()
    exact: OrderedDict[str, set] = OrderedDict()

    def words_of(d: str) -> list[str]:
        ws = words.get(d)
        if ws is None:
            ws = words[d] = story_words(d)
            if len(words) > STORY_WORDS_KEPT:
                words.popitem(last=False)
        else:
            words.move_to_end(d)
        return ws

    def story_of(d: str) -> np.ndarray:
        h = story.get(d)
        if h is None:
            ws = words_of(d)
            h = story[d] = _shingle_hashes(ws, wh) if len(ws) >= SHINGLE else np.empty(0, np.uint64)
        return h

    def exact_of(d: str) -> set:
        s = exact.get(d)
        if s is None:
            s = exact[d] = _exact_shingles(words_of(d))
            if len(exact) > EXACT_CACHE:
                exact.popitem(last=False)
        return s

    def judged(a: str, b: str) -> bool:
        if _hash_containment(hashes(a, wh), hashes(b, wh)) < threshold - PREFILTER_MARGIN:
            return False
        ha, hb = story_of(a), story_of(b)
        if min(len(ha), len(hb)) < MIN_SHINGLES or _hash_containment(ha, hb) < threshold - HASH_MARGIN:
            return False
        nonlocal checked
        checked += 1
        sa, sb = exact_of(a), exact_of(b)
        small, large = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
        return len(small) >= MIN_SHINGLES and len(small & large) / len(small) >= threshold

    last = {d: k for k, pair in enumerate(pairs) for d in pair} if release is not None else {}   # (then let go)
    for k, (a, b) in enumerate(pairs):
        if judged(a, b):
            found.append((a, b))
        if release is not None:
            for d in (a, b):
                if last[d] == k:
                    story.pop(d, None), words.pop(d, None), exact.pop(d, None)
                    release(d)
    return found, checked


def judge_chunk(pairs: list[tuple[str, str]], docs: Mapping[str, tuple[str, list[int]]],
                threshold: float) -> tuple[list[tuple[str, str]], int]:
    """``judge_pairs`` where the index is not at hand (a Dask worker): ``docs`` maps each
    document of ``pairs`` to its body and the hashes of its lines that are furniture
    (printed in more than ``FURNITURE_DF`` indexed documents)."""
    none = np.empty(0, np.uint64)
    sk = {d: Sketch(np.empty(0, np.uint32), 0, body, none) for d, (body, _) in docs.items()}
    df = {d: dict.fromkeys(furniture, FURNITURE_DF + 1) for d, (_, furniture) in docs.items()}
    return judge_pairs(pairs, lambda d, wh: sk[d].hashes(wh), lambda d: sk[d].story_words(df[d]), threshold)


def to_tables(index: StoryIndex):
    """The index as two Arrow tables (documents, edges), for the store's sidecar files."""
    import pyarrow as pa
    lines = pa.ListArray.from_arrays(
        pa.array(np.cumsum([0] + [len(x) for x in index.lines]), pa.int32()),
        pa.array(np.concatenate(index.lines) if index.lines else np.empty(0, np.uint64), pa.uint64()))
    docs = pa.table({"doc_id": pa.array(index.ids, pa.string()),
                     "size": pa.array(index.sizes, pa.int64()),
                     "sig": pa.FixedSizeListArray.from_arrays(pa.array(index.sigs.ravel(), pa.uint32()), NUM_PERM),
                     "lines": lines})
    a, b = zip(*sorted(index.edges)) if index.edges else ((), ())
    edges = pa.table({"a": pa.array(a, pa.string()), "b": pa.array(b, pa.string())})
    return docs, edges


def from_tables(docs, edges) -> StoryIndex:
    """The index the two tables of :func:`to_tables` hold."""
    sig = docs.column("sig").combine_chunks()
    sigs = sig.flatten().to_numpy(zero_copy_only=False).astype(np.uint32).reshape(-1, NUM_PERM) \
        if len(sig) else np.empty((0, NUM_PERM), dtype=np.uint32)
    col = docs.column("lines").combine_chunks() if "lines" in docs.column_names else None
    if col is not None and len(col):
        flat = col.flatten().to_numpy(zero_copy_only=False).astype(np.uint64)
        lines = np.split(flat, col.offsets.to_numpy()[1:-1])
    else:
        lines = [np.empty(0, dtype=np.uint64) for _ in range(docs.num_rows)]
    return StoryIndex(ids=docs.column("doc_id").to_pylist(), sigs=sigs,
                      sizes=docs.column("size").to_numpy().astype(np.int64), lines=lines,
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
