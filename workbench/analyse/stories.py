"""Syndicated copies: one ``story_id`` for the copies of one story.

Candidates come from MinHash LSH Ensemble (datasketch), which indexes
*containment* rather than Jaccard similarity, so a copy that carries extra page
furniture still finds its shorter sibling. Each candidate pair is confirmed on
the exact word-shingle sets: the shorter body must be at least
``CONTAINMENT`` contained in the longer one. Confirmed pairs are joined
(union-find); a group's ``story_id`` is its smallest ``doc_id`` (a single
story's id is its own ``doc_id``).

Siblings fill gaps: a copy with no publication date (or only an inferred one)
takes the date of a sibling whose date came from its page or dateline, with
``published_basis = "syndicated-copy"``, provided it does not contradict the
copy's own dateline month/day. Titles are *not* copied (a copy's missing title is
a fact about that page, and the gold keeps it null); instead a warning
``title-from-syndicated-copy: <doc_id>: <title>`` records the sibling's title.
Pass ``fill_title=True`` to copy it as well.
"""
from __future__ import annotations

import re
import zlib
from collections import defaultdict

from datasketch import MinHash, MinHashLSHEnsemble

SHINGLE = 5
NUM_PERM = 128
CONTAINMENT = 0.8
MIN_SHINGLES = 8

_WORD = re.compile(r"[0-9a-z]+(?:'[a-z]+)?")


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    words = _WORD.findall((text or "").lower().replace("\u2019", "'"))
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=7)    # permutations made once, shared


def _minhash(sh: set[str]) -> MinHash:
    # crc32 (C speed) as the base hash: the signatures live for one run only, and
    # every candidate pair is confirmed by exact containment afterwards.
    m = MinHash(num_perm=NUM_PERM, hashfunc=zlib.crc32, permutations=_TEMPLATE.permutations,
                scheme=_TEMPLATE.scheme)
    m.update_batch([s.encode("utf-8") for s in sh])
    return m


def duplicate_pairs(records: list[dict], threshold: float = CONTAINMENT,
                    skip_joined: bool = False) -> list[tuple[str, str, float]]:
    """Confirmed near-duplicate pairs (doc_id_a, doc_id_b, containment), a < b.

    ``skip_joined`` leaves out candidates already joined through other
    confirmed pairs: the groups come out the same, but a story with k copies
    costs k confirmations instead of k²/2."""
    sh = {}
    for r in records:
        s = shingles(r.get("body") or "")
        if len(s) >= MIN_SHINGLES:
            sh[r["doc_id"]] = s
    if len(sh) < 2:
        return []
    mh = {d: _minhash(s) for d, s in sh.items()}
    lsh = MinHashLSHEnsemble(threshold=max(0.05, threshold - 0.2), num_perm=NUM_PERM, num_part=8)
    lsh.index([(d, mh[d], len(sh[d])) for d in sh])
    pairs = {}
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for d, s in sh.items():
        for other in lsh.query(mh[d], len(s)):
            if other == d:
                continue
            a, b = sorted((d, other))
            if (a, b) in pairs or (skip_joined and root(a) == root(b)):
                continue
            sa, sb = sh[a], sh[b]
            small, large = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
            c = len(small & large) / len(small)
            if c >= threshold:
                pairs[(a, b)] = c
                ra, rb = root(a), root(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    return sorted((a, b, round(c, 3)) for (a, b), c in pairs.items())


def _groups(ids: list[str], pairs) -> dict[str, str]:
    parent = {d: d for d in ids}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _ in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members = defaultdict(list)
    for d in ids:
        members[find(d)].append(d)
    return {d: min(members[find(d)]) for d in ids}


_DL = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})\b")
_MON = {m: i for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                    "Nov", "Dec"], 1)}


def _dateline_md(rec: dict) -> tuple[int, int] | None:
    t = rec.get("dateline_text")
    if isinstance(t, str):
        m = _DL.search(t)
        if m:
            return _MON[m.group(1)], int(m.group(2))
    return None


def link_stories(records: list[dict], fill_title: bool = False) -> list[dict]:
    """Set ``story_id`` on every record (in place; also returned) and fill a
    copy's missing date (and, with ``fill_title``, title) from its siblings."""
    ids = [r["doc_id"] for r in records]
    pairs = duplicate_pairs(records, skip_joined=True)
    story = _groups(ids, pairs)
    by_story = defaultdict(list)
    for r in records:
        r["story_id"] = story[r["doc_id"]]
        by_story[r["story_id"]].append(r)
    for sid, group in by_story.items():
        if len(group) < 2:
            continue
        dated = [r for r in group if r.get("published") and r.get("published_basis") in ("page", "dateline")]
        titled = [r for r in group if r.get("title")]
        for r in group:
            r.setdefault("warnings", [])
            if (not r.get("published") or r.get("published_basis") in (None, "inferred")) and dated:
                src = sorted(dated, key=lambda x: x["doc_id"])[0]
                md = _dateline_md(r)
                pub = src["published"]
                if md and (int(pub[5:7]), int(pub[8:10])) != md:
                    r["warnings"].append(f"syndicated-copy date {pub} from {src['doc_id']} "
                                         f"contradicts dateline {r.get('dateline_text')!r}; not used")
                else:
                    r["published"] = pub
                    r["published_basis"] = "syndicated-copy"
            if not r.get("title") and titled:
                src = sorted(titled, key=lambda x: x["doc_id"])[0]
                if fill_title:
                    r["title"] = src["title"]
                    r["warnings"].append(f"title-from-syndicated-copy: {src['doc_id']}")
                else:
                    msg = f"title-from-syndicated-copy: {src['doc_id']}: {src['title']}"
                    if msg not in r["warnings"]:
                        r["warnings"].append(msg)
    return records
