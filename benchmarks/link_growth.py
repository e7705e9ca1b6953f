"""Where a cold link's time goes, step by step, and how each step grows with N: figures, not asserts.

    python benchmarks/link_growth.py STORE [STORE ...] [--json OUT]

For each store (a cold ingest of a ``make_corpus.py`` corpus), the copy index is
built again over the stored bodies as a cold ``ingest`` builds it (``StoryIndex.add``
with every document new), its steps timed one by one in CPU seconds: the line
counts, the band keys, the band runs paired, the signature prefilter, the exact
confirmation (``judge_pairs``) and the stories. The sketches (computed in the
parse workers by an ingest) are made first, off the clock. Also counted: the
band runs by size (how many, how many pairs each size class gives, the runs
skipped as longer than ``MAX_RUN``), the candidate pairs after each filter, the
exact checks and the confirmed pairs. Over several stores, the slope of log
CPU against log N for each step (1: linear; 2: quadratic).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
# --tree CHECKOUT: time another checkout's code (taken before the imports below)
_TREE = sys.argv[sys.argv.index("--tree") + 1] if "--tree" in sys.argv[:-1] else str(ROOT)
sys.path.insert(0, _TREE)

import workbench  # noqa: E402
from workbench.analyse import story_index as si  # noqa: E402

assert Path(workbench.__file__).resolve().is_relative_to(Path(_TREE).resolve()), workbench.__file__
SIZE_CLASSES = ((2, 2), (3, 8), (9, 16), (17, 32), (33, si.MAX_RUN), (si.MAX_RUN + 1, 10 ** 9))


def run_sizes(keys: np.ndarray) -> dict[str, list[int]]:
    """Band runs by size class: [runs, pairs they give (skipped ones: would give)]."""
    k = np.sort(keys)
    starts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1])))
    sizes = np.diff(np.append(starts, len(k)))
    out = {}
    for lo, hi in SIZE_CLASSES:
        s = sizes[(sizes >= lo) & (sizes <= hi)].astype(np.int64)
        out[f"{lo}-{hi if hi < 10 ** 9 else 'inf'}"] = [int(len(s)), int((s * (s - 1) // 2).sum())]
    return out


def measure(store: Path) -> dict:
    from workbench.store import read_manifest, read_sidecar
    recs = workbench.load_corpus(store, columns=["body"]).to_dict("records")
    bodies = {r["doc_id"]: r["body"] or "" for r in recs}
    # the sketches the ingest's parse workers made, as its index keeps them (off the clock)
    stored = si.from_tables(read_sidecar(store, read_manifest(store), "link_docs"),
                            read_sidecar(store, read_manifest(store), "link_edges"))
    new = {d: si.Sketch(stored.sigs[i], int(stored.sizes[i]), None, stored.lines[i])
           for i, d in enumerate(stored.ids)}
    if len(recs) <= 20_000:       # they are those of the stored bodies (checked where it is cheap)
        sk = si.sketches(recs)
        assert set(sk) == set(new) and all(np.array_equal(sk[d].sig, new[d].sig) and sk[d].size == new[d].size
                                             and np.array_equal(sk[d].lines, new[d].lines) for d in sk)
    idx = si.StoryIndex()
    t: dict[str, float] = {}
    c: dict = {"docs": len(recs), "linkable": len(new)}

    def clock(name: str, t0: float) -> float:
        now = time.process_time()
        t[name] = t.get(name, 0.0) + now - t0
        return now

    t0 = time.process_time()
    ids = list(new)
    idx._count((new[d].lines for d in ids), +1)
    idx.ids = ids
    idx.lines = [new[d].lines for d in ids]
    idx.sigs = np.stack([new[d].sig for d in ids])
    idx.sizes = np.array([new[d].size for d in ids], dtype=np.int64)
    t0 = clock("line counts + arrays", t0)
    keys = si._band_keys(idx.sigs)
    rows = np.repeat(np.arange(len(ids)), keys.shape[1])
    t0 = clock("band keys", t0)
    pairs = si._pairs_in_runs(keys.ravel(), rows, np.ones(len(ids), dtype=bool))
    t0 = clock("band runs paired", t0)
    c["band pairs"] = len(pairs)
    pairs = si._prefilter(pairs, idx.sigs, idx.sizes, si.CONTAINMENT)
    t0 = clock("prefilter", t0)
    c["after prefilter"] = len(pairs)
    have = {ids[i]: si.Sketch(new[ids[i]].sig, new[ids[i]].size, bodies[ids[i]], new[ids[i]].lines)
            for i in np.unique(pairs).tolist()}
    t0 = clock("candidates' sketches", t0)
    c["candidate docs"] = len(have)
    idx._confirm(pairs, have, si.CONTAINMENT)
    t0 = clock("confirm (judge_pairs)", t0)
    c["exact checks"] = idx.checked
    c["confirmed pairs"] = len(idx.edges)
    c["the stored index's pairs"] = idx.edges == stored.edges
    story = idx.stories(ids)
    clock("stories", t0)
    groups: dict[str, int] = {}
    for s in story.values():
        groups[s] = groups.get(s, 0) + 1
    c["multi-document stories"] = sum(1 for v in groups.values() if v > 1)
    c["their documents"] = sum(v for v in groups.values() if v > 1)
    c["band runs [runs, pairs] by size"] = run_sizes(keys.ravel())
    return {"n": len(recs), "cpu": t, "counts": c, "edges": sorted(idx.edges)}


def replay(store: Path) -> dict:
    """CPU seconds of a cold ingest's link phase replayed in this process over ``store``'s
    articles: spilled (their link and analysis key reset, as the parse workers leave them),
    then ``build_index`` and ``link_members`` with ``_link_and_analyse`` as ``_stream`` calls
    them (``jobs=1``: the re-analysis runs here, timed apart)."""
    from workbench import pipeline, settings, spool
    from workbench.store import articles_from_table, read_manifest, read_sidecar, read_table

    ref_dir = settings.reference_dir()
    ref_fp = pipeline.reference_fingerprint(ref_dir)
    sp = spool.Spool(Path(f"/tmp/link-growth-spool-{id(store)}"))
    t: dict[str, float] = {}
    real = pipeline._analyse_chunk

    def timed_chunk(args):
        t0 = time.process_time()
        out = real(args)
        t["re-analysis"] = t.get("re-analysis", 0.0) + time.process_time() - t0
        t["re-analysed"] = t.get("re-analysed", 0) + len(args[0])
        return out

    try:
        man = read_manifest(store)
        stored = si.from_tables(read_sidecar(store, man, "link_docs"), read_sidecar(store, man, "link_edges"))
        # the sketches the parse workers made (as the index keeps them), in arrival order
        sigs = {d: (stored.sigs[i], int(stored.sizes[i]), stored.lines[i]) for i, d in enumerate(stored.ids)}
        ids = []
        for key in sorted(man["partitions"]):
            for a in articles_from_table(read_table(store, partitions=[key])):
                a.link = None
                a.analysis_key = pipeline.analysis_key(a.record(), ref_fp)
                sp.add(a)
                ids.append(a.doc_id)
        sp.finish()
        pipeline._analyse_chunk = timed_chunk
        t0 = time.process_time()
        index = spool.build_index(sp, sigs)
        t["build_index"] = time.process_time() - t0
        t0 = time.process_time()
        story = index.stories(ids)
        t["stories (all)"] = time.process_time() - t0
        t0 = time.process_time()
        members, _ = spool.link_members(sp, story, lambda arts: pipeline._link_and_analyse(
            arts, index, ref_dir, ref_fp, 1, False))
        t["link_members (incl. re-analysis)"] = time.process_time() - t0
        t["members"] = len(members)
    finally:
        pipeline._analyse_chunk = real
        sp.close()
    return {"n": len(ids), "cpu": t}


def _slope(xs: list[float], ys: list[float]) -> float:
    lx, ly = [math.log(x) for x in xs], [math.log(max(y, 1e-6)) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    den = sum((a - mx) ** 2 for a in lx)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / den if den else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("stores", nargs="+", type=Path)
    ap.add_argument("--tree", help="a checkout whose workbench is timed (default: this one)")
    ap.add_argument("--replay", action="store_true", help="replay the pipeline's link phase instead")
    ap.add_argument("--json", type=Path, help="write the figures (and the confirmed pairs) as JSON here")
    a = ap.parse_args()
    out = []
    if a.replay:
        for store in a.stores:
            r = replay(store)
            print(f"== {store}: N = {r['n']}: " + ", ".join(f"{k} {v:.2f}" for k, v in r["cpu"].items()))
            sys.stdout.flush()
        return
    for store in a.stores:
        r = measure(store)
        out.append(r)
        print(f"== {store}: N = {r['n']}, total {sum(r['cpu'].values()):.2f} CPU s")
        for k, v in r["cpu"].items():
            print(f"  {k:28s} {v:8.2f} CPU s")
        for k, v in r["counts"].items():
            print(f"  {k:28s} {v}")
        sys.stdout.flush()
    if len(out) > 1:
        ns = [r["n"] for r in out]
        print(f"\n== growth over N = {ns} (slope of log CPU / log count against log N)")
        for k in out[0]["cpu"]:
            ys = [r["cpu"][k] for r in out]
            print(f"  {k:28s} {'  '.join(f'{y:7.2f}' for y in ys)}   exponent {_slope(ns, ys):4.2f}")
        ys = [sum(r["cpu"].values()) for r in out]
        print(f"  {'total':28s} {'  '.join(f'{y:7.2f}' for y in ys)}   exponent {_slope(ns, ys):4.2f}")
        for k in ("band pairs", "after prefilter", "candidate docs", "exact checks", "confirmed pairs"):
            ys = [r["counts"][k] for r in out]
            print(f"  {k:28s} {'  '.join(f'{y:7d}' for y in ys)}   exponent {_slope(ns, ys):4.2f}")
    if a.json:
        a.json.write_text(json.dumps(out), "utf-8")


if __name__ == "__main__":
    main()
