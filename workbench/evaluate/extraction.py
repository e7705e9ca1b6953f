"""Bodies extracted from the development pages, scored with the benchmark's own metric.

``data/dev/extraction``: 91 real pages as text dumps and as gzipped HTML, each
with its gold body; ``evaluate_dev`` runs the real extractor on one half or the
other and aggregates the benchmark's precision/recall/F1.
"""
from __future__ import annotations

import gzip
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from workbench import settings
from workbench.evaluate.scorer import load_scorer


def _dev_predict(args) -> tuple[str, str]:
    kind, pid, path = args
    from workbench.parse.article import extract, sources_from_reference
    from workbench.parse.read import RawDoc
    from workbench.reference import load_reference
    sources = sources_from_reference(load_reference())
    if kind == "text":
        raw = RawDoc(doc_id=pid, source_path=str(path), sha256="", format="text",
                     text=Path(path).read_text(encoding="utf-8"))
    else:
        from workbench.parse.read import decode_html
        html, _ = decode_html(gzip.decompress(Path(path).read_bytes()), path)
        raw = RawDoc(doc_id=pid, source_path=str(path), sha256="", format="html", html=html)
    return pid, extract(raw, sources).body or ""


def evaluate_dev(kind: str = "text", dev_dir: str | Path | None = None, jobs: int | None = None) -> dict:
    """Benchmark scores of bodies extracted from the dev pages' text dumps
    (``kind="text"``) or HTML (``kind="html"``)."""
    d = Path(dev_dir or settings.dev_dir())
    scorer = load_scorer(d)
    ids = [m["id"] for m in json.loads((d / "manifest.json").read_text(encoding="utf-8"))]
    tasks = [(kind, i, d / f"{i}.txt" if kind == "text" else d / "html" / f"{i}.html.gz") for i in ids]
    missing = [t for t in tasks if not t[2].exists()]
    if len(missing) == len(tasks):
        return {"kind": kind, "pages": 0, "missing": len(missing)}
    tasks = [t for t in tasks if t[2].exists()]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        preds = dict(pool.map(_dev_predict, tasks, chunksize=4))
    secs = time.perf_counter() - t0
    rows, per_doc = [], []
    for i in ids:
        gold = (d / f"{i}.gold.txt").read_text(encoding="utf-8")
        r = scorer.page_scores(gold, preds.get(i, ""))
        rows.append(r)
        per_doc.append({"id": i, "p": r["p"], "r": r["r"]})
    P, R, F, acc = scorer.aggregate(rows)
    return {"kind": kind, "pages": len(ids), "P": P, "R": R, "F1": F, "acc": acc,
            "seconds": secs, "documents": per_doc, "missing": len(missing)}
