"""The seeds against their hand-checked answers, through the real pipeline.

``data/raw`` is ingested into a temporary store; per document: body
precision/recall/F1 (the benchmark metric), gold ``not_body`` lines found inside
the body, metadata accuracy; then the analysis scores (``evaluate.analysis``).
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from workbench import settings
from workbench.evaluate.analysis import evaluate as evaluate_analysis
from workbench.evaluate.scorer import body_scores, load_scorer

META_FIELDS = ("title", "published", "outlet", "author", "agency", "dateline")


def evaluate_seeds(raw_dir: str | Path | None = None, gold_path: str | Path | None = None) -> dict:
    """Ingest the seeds into a temporary store and compare with gold."""
    from workbench.pipeline import ingest
    from workbench.store import read_store

    gold = json.loads(Path(gold_path or settings.gold_path()).read_text(encoding="utf-8"))
    scorer = load_scorer()
    with tempfile.TemporaryDirectory() as tmp:
        summary = ingest([raw_dir or settings.raw_dir()], store=tmp, progress=False,
                         corrections=False)   # corrections track: the automatic answers are scored
        records, _ = read_store(tmp)
    by_id = {r["doc_id"]: r for r in records}
    docs = []
    for g in gold["documents"]:
        rec = by_id.get(g["doc_id"])
        row = {"doc_id": g["doc_id"], "found": rec is not None}
        if rec is None:
            docs.append(row)
            continue
        row.update(body_scores(g["body"], rec["body"] or "", scorer))
        row["not_body_inside"] = [s for s in g.get("not_body", []) if s in (rec["body"] or "")]
        meta = {}
        for f in META_FIELDS:
            if f not in g:
                continue
            want, got = g[f], rec.get(f)
            if f == "published" and want is None:
                ok = got is None or rec.get("published_basis") == "inferred"
            elif f == "title" and want is None:
                ok = got is None or got in g.get("title_alternatives", [])
            else:
                ok = got == want
            meta[f] = {"ok": ok, "gold": want, "got": got}
        row["meta"] = meta
        docs.append(row)
    out = {"documents": docs, "rejected": summary.rejected}
    # corrections track (issue 14.3): a page's related stories are records of their own, not seeds
    out["analysis"] = evaluate_analysis([r for r in records if not r.get("embedded_in")], gold)
    out["embedded_records"] = sum(1 for r in records if r.get("embedded_in"))
    return out
