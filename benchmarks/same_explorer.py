#!/usr/bin/env python3
"""The explorer opened on a store shows what it shows over ``load_corpus(store)``.

    python benchmarks/same_explorer.py /tmp/wb-rs2/store-20000

Opens ``explorer(store=...)`` twice (the first start reads the store and writes the
cache beside it, the second reads the cache) and ``explorer(corpus=load_corpus(store))``,
then runs ``report_scale.py``'s session on the corpus' own values in all three and
compares, after every change: the results frame,
the grid's rows, the status, the co-occurrence table, the timeline's SVG, the article
view and copies of the first row, and the exported CSV bytes; then the index (field by field,
after the session, which ran on the cached index's Arrow columns). Exits 1 on a difference.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))


def views(ex, tmp: Path, name: str) -> dict:
    """What the user sees of ``ex`` now."""
    out = {"results": ex.results, "grid": ex.table.rows,
           "status": re.sub(r"filtered in .*?</span>", "", ex.status.value),      # less its timings
           "cooccurrence": ex.cooccurrence.value, "timeline": ex.timeline.svg}
    rows = ex.table.column("doc_id")
    if rows:
        ex.select(rows[0])
        out["article"], out["copies"] = ex.article.value, list(ex.siblings.options)
    out["csv"] = ex.export_csv(tmp / f"{name}.csv").read_bytes()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("store", type=Path)
    a = ap.parse_args(argv)
    from report_scale import corpus_session
    from test_explore_cache import same_index

    from workbench.explore.cache import CACHE_DIR
    from workbench.explore.widget import explorer
    from workbench.store import load_corpus
    cached = (a.store / CACHE_DIR).exists()
    ref = explorer(corpus=load_corpus(a.store))
    exs = {"first start": explorer(store=a.store), "from the cache": explorer(store=a.store)}
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for step, attr, value in corpus_session(ref.index.frame):
            for ex in (ref, *exs.values()):
                getattr(ex, attr).value = value
            want = views(ref, Path(tmp), "ref")
            for name, ex in exs.items():
                got = views(ex, Path(tmp), "got")
                for k in want:
                    same = (want[k].equals(got[k]) if isinstance(want[k], pd.DataFrame) else want[k] == got[k])
                    if not same:
                        bad += 1
                        print(f"DIFFERENT after {step!r} ({name}): {k}")
    for ex in exs.values():      # after the session: ``index.frame`` makes every list a cached index keeps in Arrow
        same_index(ex.index, ref.index)
    print(f"index equal ({len(ref.index):,} articles; a cache was {'already' if cached else 'not yet'} there)")
    print("every view equal" if not bad else f"{bad} difference(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
