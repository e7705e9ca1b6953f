"""Measure the workbench against hand-checked answers.

* Seeds (``data/gold/seeds.json``): the real pipeline ingests ``data/raw`` into
  a temporary store; body precision/recall/F1 per document, gold ``not_body``
  lines found inside bodies, metadata accuracy, and the analysis scores.
* Development pages (``data/dev/extraction``): bodies extracted from the text
  dumps and from the HTML, scored with the benchmark's own ``score.py``.

The metric is imported from ``score.py`` itself so figures stay comparable.
"""
from __future__ import annotations

import gzip
import importlib.util
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from workbench import settings

META_FIELDS = ("title", "published", "outlet", "author", "agency", "dateline")


def load_scorer(dev_dir: str | Path | None = None):
    """The benchmark's ``score.py`` as a module (page_scores, aggregate)."""
    path = Path(dev_dir or settings.dev_dir()) / "score.py"
    if not path.exists():
        path = settings.dev_dir() / "score.py"     # another folder of pages: use our copy of the metric
    if not path.exists():
        raise FileNotFoundError(f"{path}: the benchmark scorer is missing (copy it from the dev set)")
    spec = importlib.util.spec_from_file_location("workbench_dev_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def body_scores(gold: str, pred: str, scorer=None) -> dict:
    """Benchmark P/R/F1 of one predicted body against its gold body."""
    sc = scorer or load_scorer()
    r = sc.page_scores(gold, pred)
    p, rc = r["p"] or 0.0, r["r"] or 0.0
    return {"p": p, "r": rc, "f1": 2 * p * rc / (p + rc) if p + rc else 0.0}


# --------------------------------------------------------------------------- seeds

def evaluate_seeds(raw_dir: str | Path | None = None, gold_path: str | Path | None = None) -> dict:
    """Ingest the seeds into a temporary store and compare with gold."""
    from workbench.pipeline import ingest
    from workbench.store import read_store

    gold = json.loads(Path(gold_path or settings.gold_path()).read_text(encoding="utf-8"))
    scorer = load_scorer()
    with tempfile.TemporaryDirectory() as tmp:
        summary = ingest([raw_dir or settings.raw_dir()], store=tmp, progress=False)
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
    from workbench.evaluate.analysis import evaluate as evaluate_analysis
    out["analysis"] = evaluate_analysis(records, gold)
    return out


# --------------------------------------------------------------------------- dev pages

def _dev_predict(args) -> tuple[str, str]:
    kind, pid, path = args
    from workbench.parse.article import extract
    from workbench.parse.read import RawDoc
    from workbench.parse.article import sources_from_reference
    from workbench.reference import load_reference
    sources = sources_from_reference(load_reference())
    if kind == "text":
        raw = RawDoc(doc_id=pid, source_path=str(path), sha256="", format="text",
                     text=Path(path).read_text(encoding="utf-8"))
    else:
        from workbench.parse.read import decode_html
        html, _ = decode_html(gzip.decompress(Path(path).read_bytes()), path)
        raw = RawDoc(doc_id=pid, source_path=str(path), sha256="", format="html", html=html)
    return pid, extract(raw, sources)["body"] or ""


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


# --------------------------------------------------------------------------- printing

def _fmt(x) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def run_evaluation(html: bool = True, verbose: bool = False, dev_dir: str | None = None, out=None) -> int:
    """Print every figure; returns 0 (the figures are the result, not a verdict)."""
    out = out or sys.stdout
    seeds = evaluate_seeds()
    print("Seeds: body (benchmark metric) and metadata against data/gold/seeds.json", file=out)
    print(f"  {'doc_id':24} {'P':>6} {'R':>6} {'F1':>6}  not_body  metadata (✗ = differs from gold)", file=out)
    meta_ok = meta_n = 0
    for d in seeds["documents"]:
        if not d["found"]:
            print(f"  {d['doc_id']:24} MISSING from the store", file=out)
            continue
        bad = [f"{f}: got {m['got']!r}, gold {m['gold']!r}" for f, m in d["meta"].items() if not m["ok"]]
        meta_ok += sum(m["ok"] for m in d["meta"].values())
        meta_n += len(d["meta"])
        print(f"  {d['doc_id']:24} {_fmt(d['p'])} {_fmt(d['r'])} {_fmt(d['f1'])}  {len(d['not_body_inside']):>8}  "
              f"{'all exact' if not bad else '✗ ' + '; '.join(bad)}", file=out)
    found = [d for d in seeds["documents"] if d["found"]]
    if found:
        mean = {k: sum(d[k] for d in found) / len(found) for k in ("p", "r", "f1")}
        print(f"  {'overall (mean)':24} {_fmt(mean['p'])} {_fmt(mean['r'])} {_fmt(mean['f1'])}  "
              f"{sum(len(d['not_body_inside']) for d in found):>8}", file=out)
    print(f"  metadata fields exact: {meta_ok}/{meta_n}", file=out)
    if seeds["rejected"]:
        print(f"  rejected inputs: {seeds['rejected']}", file=out)
    a = seeds["analysis"]
    print("Seeds: analysis against gold", file=out)
    for name in ("organizations", "places", "topics"):
        r = a[name]
        print(f"  {name:14} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f}"
              f"  missed={[m[1] for m in r.get('missed', [])]} extra={[m[1] for m in r.get('extra', [])]}",
              file=out)
    p = a["people"]
    print(f"  {'people':14} recall={p['recall']:.3f} ({p['found']}/{p['total']})"
          f"  missed={[m[1] for m in p.get('missed', [])]}", file=out)
    e = a["events"]
    print(f"  {'events':14} gold found {e['found']}/{e['total']} ({e['merged_events']} merged events): "
          + "; ".join(f"{d['id']} {'ok' if d['found'] else 'MISSING'} {d['date'] or d['date_partial'] or '-'}"
                      f" ({d['n_outlets']} outlet(s))" for d in e["events"]), file=out)
    d = a["duplicates"]
    print(f"  {'duplicates':14} pairs found {d['pairs_found']}/{d['gold_pairs']}, false pairs {d['false_pairs']}"
          f"{' ' + str(d['false']) if d['false'] else ''}", file=out)
    for kind in ("text", "html") if html else ("text",):
        r = evaluate_dev(kind, dev_dir)
        if not r["pages"] or r["missing"] == r["pages"]:
            print(f"Dev pages ({kind}): none found in {dev_dir or settings.dev_dir()}", file=out)
            continue
        print(f"Dev pages ({r['pages']}, {'text dumps' if kind == 'text' else 'HTML'}): "
              f"F1={r['F1']:.3f} P={r['P']:.3f} R={r['R']:.3f} exact={r['acc']:.3f} "
              f"({r['pages'] / r['seconds']:.0f} pages/s incl. start-up"
              f"{'; ' + str(r['missing']) + ' page file(s) missing, scored as empty' if r['missing'] else ''})",
              file=out)
        if verbose:
            for d in sorted(r["documents"], key=lambda d: (d["p"] or 0) + (d["r"] or 0)):
                print(f"    {d['id'][:16]} P={_fmt(d['p'])} R={_fmt(d['r'])}", file=out)
    return 0
