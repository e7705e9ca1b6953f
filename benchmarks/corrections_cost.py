"""What applying the analyst's corrections costs an ingest, per run.

Ingests the seeds into a temporary store, repeats their analysed articles to N
(fresh doc_ids), writes K corrections (titles, topics, relevance, one event each
tenth, dates each twentieth) and times ``corrections.correct`` with the pipeline's
own stale check: the part of every ``ingest`` this track adds. Prints figures.

    python benchmarks/corrections_cost.py --docs 10000 --corrections 200
"""
from __future__ import annotations

import argparse
import copy
import tempfile
import time
from pathlib import Path

from workbench import settings
from workbench.corrections import add_correction, correct, load_corrections
from workbench.pipeline import _analyse_chunk, analysis_key, ingest, reference_fingerprint
from workbench.reference import load_reference
from workbench.store import read_articles


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--corrections", type=int, default=200)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ingest([settings.raw_dir()], store=tmp, progress=False, corrections=False)
        seeds, _ = read_articles(tmp)
        arts = []
        for i in range(a.docs):
            art = copy.deepcopy(seeds[i % len(seeds)])
            art.doc_id = f"{art.doc_id}-{i}"
            arts.append(art)
        path = Path(tmp) / "corrections.toml"
        t0 = time.perf_counter()
        for j in range(a.corrections):
            art = arts[(j * 37) % len(arts)]
            what: dict = {"set": {"title": f"Corrected title {j}"}, "add_topics": ["command-control"]}
            if j % 10 == 0 and art.events:
                what["event"] = [{"sentence": art.events[0]["sentence"][:40], "set_kind": "visit"}]
            if j % 20 == 0:
                what["set"]["published"] = "2026-01-15"
            add_correction(art.doc_id, path=path, **what)
        t_write = time.perf_counter() - t0
        t0 = time.perf_counter()
        fixes = load_corrections(path)
        t_load = time.perf_counter() - t0
        ref_dir = settings.reference_dir()
        ref, ref_fp = load_reference(ref_dir), reference_fingerprint(ref_dir)
        topics = {t.name for t in ref.topics}

        def run() -> tuple[float, list]:
            t = time.perf_counter()
            probs = correct(arts, fixes, topics=topics,
                            is_stale=lambda x: x.analysis_key != analysis_key(x.record(), ref_fp),
                            reanalyse=lambda st: _analyse_chunk((st, ref_dir, ref_fp)))
            return time.perf_counter() - t, probs

        first, probs = run()     # corrected dates: those articles are analysed again
        again, _ = run()         # a later run: nothing stale
    from collections import Counter
    kinds = Counter(w.split(":")[0] for _, w in probs)
    print(f"{a.docs} articles, {a.corrections} corrections; reported: {dict(kinds) or 'none'}")
    print(f"  add_correction: {1000 * t_write / a.corrections:.1f} ms per correction (lock, validate, write)")
    print(f"  load + validate the file: {1000 * t_load:.1f} ms")
    print(f"  apply, first run (re-analyses the re-dated articles): {first:.2f} s")
    print(f"  apply, next runs: {again:.2f} s ({1e6 * again / a.docs:.0f} µs per article)")


if __name__ == "__main__":
    main()
