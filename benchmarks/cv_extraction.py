#!/usr/bin/env python3
"""Site-disjoint cross-validation of text-dump extraction on every dev page.

    python benchmarks/cv_extraction.py            # baseline, then the line model under 5-fold CV
    python benchmarks/cv_extraction.py --final    # also: fit on all CV pages, score the frozen split once
    python benchmarks/cv_extraction.py --pages    # also list the out-of-fold pages below F1 0.5
    python benchmarks/cv_extraction.py --shapes   # also group the out-of-fold pages below F1 0.8 by shape
    python benchmarks/cv_extraction.py --kinds    # also: out-of-fold story/furniture words kept and lost
                                                  # by rule kind of the unit, and the pages that lose most
    python benchmarks/cv_extraction.py --speed    # only the ms/page of both cleaners (no fitting)
    python benchmarks/cv_extraction.py --outputs F.json  # only: every output of the shipped cleaner, all
                                                         # pages and table variants; compared with F if it exists

Pages: data/dev/extraction (dev1, Zyte benchmark half) and data/dev/extraction2
(dev2, Readability test pages), grouped by site (``train_line_model.site_of``).
About 20% of the sites (by a hash of the site name) form a frozen split that
nothing is fitted on or chosen with; it is scored only with ``--final``.  The
other sites are dealt into K folds; each fold is scored by a model fitted on
the other folds (plus the five seeds, which are never scored here).

Scores use the sets' own ``score.py`` (page-averaged shingle P and R, F1 of
the means).  Printed: per-fold F1, mean and worst fold, the pooled
out-of-fold F1 per set, pages below F1 0.5, ms/page.  The baseline is the
rule-based cleaner as it stood before the line model (``clean.py`` at commit
BASELINE_COMMIT, read from git), which needs no fitting.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
import train_line_model as train

from workbench.parse import clean, linekinds
from workbench.parse.linemodel import check_model

K = 5
BASELINE_COMMIT = "66c0854"


def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod          # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


METRIC = _module("extraction_score", ROOT / "data" / "dev" / "extraction" / "score.py")


def baseline_cleaner():
    """``clean_page`` of the rule-based cleaner at BASELINE_COMMIT."""
    src = subprocess.run(["git", "-C", str(ROOT), "show", f"{BASELINE_COMMIT}:workbench/clean.py"],
                         capture_output=True, text=True, check=True).stdout
    tmp = Path(tempfile.mkdtemp()) / "baseline_clean.py"
    tmp.write_text(src, encoding="utf8")
    return _module("baseline_clean", tmp)


def folds(pages: list[dict]) -> list[list[dict]]:
    """Non-frozen pages dealt into K site-disjoint folds of similar size
    (sites in hash order, each to the currently smallest fold)."""
    by_site: dict[str, list[dict]] = {}
    for p in pages:
        by_site.setdefault(p["site"], []).append(p)
    out: list[list[dict]] = [[] for _ in range(K)]
    for site in sorted(by_site, key=lambda s: hashlib.sha1(s.encode()).hexdigest()):
        min(out, key=len).extend(by_site[site])
    return out


def page_f1(row: dict) -> float:
    p, r = row["p"] or 0.0, row["r"] or 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score(pages: list[dict], bodies: dict[str, str]) -> tuple[float, list[dict]]:
    """(benchmark F1 over ``pages``, per-page rows)."""
    rows = [dict(METRIC.page_scores(p["gold"], bodies[p["key"]]), key=p["key"]) for p in pages]
    return METRIC.aggregate(rows)[2], rows


def run(cleaner, pages: list[dict], table: bool = False, **kw) -> tuple[dict[str, str], dict[str, float], float]:
    """Bodies and confidences of ``pages`` (or of their table-layout variants)
    and CPU seconds spent cleaning."""
    bodies, conf, dt = {}, {}, 0.0
    for p in pages:
        text = train.table_variant(p["text"], p["gold"]) if table else p["text"]
        t0 = time.process_time()
        page = cleaner(text, **kw)
        dt += time.process_time() - t0
        bodies[p["key"]], conf[p["key"]] = page.body, getattr(page, "confidence", 1.0)
    return bodies, conf, dt


def report(label: str, fold_pages: list[list[dict]], bodies: dict[str, str], dt: float, show: bool) -> list[dict]:
    """Print per-fold, mean, worst fold, per-set pooled F1, low pages, ms/page."""
    f1s, rows = [], []
    for fp in fold_pages:
        f, r = score(fp, bodies)
        f1s.append(f)
        rows += r
    allp = [p for fp in fold_pages for p in fp]
    sets = {s: score([p for p in allp if p["set"] == s], bodies)[0] for s in ("dev1", "dev2")}
    low = [r["key"] for r in rows if page_f1(r) < 0.5]
    print(f"{label}: folds " + " ".join(f"{f:.3f}" for f in f1s)
          + f" | mean {np.mean(f1s):.3f} worst {min(f1s):.3f} | pooled dev1 {sets['dev1']:.3f} dev2 {sets['dev2']:.3f}"
          + f" | pages<0.5: {len(low)}/{len(rows)} | {1000 * dt / len(allp):.2f} ms/page")
    if show:
        print("   below 0.5:", ", ".join(sorted(low)))
    return rows


SHAPE_F1 = 0.8     # pages below this out-of-fold F1 are grouped by shape (``--shapes``)


def shape_of(row: dict, body: str) -> str:
    """How an extraction failed: nothing kept, the wrong block (no shingle of
    the story), furniture kept beside the story (precision lost), story lines
    left out (recall lost), or both."""
    p, r = row["p"] or 0.0, row["r"] or 0.0
    if not body.strip():
        return "empty body"
    if p == 0.0:
        return "wrong block"
    if p < SHAPE_F1 <= r:
        return "furniture kept beside the story"
    if r < SHAPE_F1 <= p:
        return "story lines left out"
    return "both"


def shapes(label: str, rows: list[dict], bodies: dict[str, str]) -> None:
    """Print the out-of-fold pages below SHAPE_F1 grouped by ``shape_of``."""
    groups: dict[str, list[str]] = {}
    for r in rows:
        if page_f1(r) < SHAPE_F1:
            groups.setdefault(shape_of(r, bodies[r["key"]]), []).append(f"{r['key']} {page_f1(r):.2f}")
    print(f"   {label}: {sum(map(len, groups.values()))} pages below F1 {SHAPE_F1}")
    for name, keys in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"     {name} ({len(keys)}): {', '.join(sorted(keys))}")


KIND_NAMES = ("empty", "prose", "short", "item", "boiler", "meta", "marker", "table", "dup", "key")


def error_kinds(label: str, pages: list[dict], bodies: dict[str, str], table: bool) -> None:
    """Where the out-of-fold errors are, in words (what the metric's recall and
    precision count): per rule kind of the unit (``linekinds``), the story
    words kept and lost and the furniture words kept, story and furniture
    as labelled by the training aligner (``train.labels``); then the pages
    that lose the largest share.  A unit counts as kept when its text is one
    of the body's paragraphs."""
    agg: dict[int, np.ndarray] = {}
    worst = []
    for p in pages:
        text = train.table_variant(p["text"], p["gold"]) if table else p["text"]
        units, _ = clean.unit_features(text)
        y = train.labels([u.text for u in units], p["gold"]) if units else np.zeros(0)
        paras = set(bodies[p["key"]].split("\n\n"))
        lost = extra = 0.0
        for u, story in zip(units, y.tolist()):
            kept = u.text in paras
            row = agg.setdefault(u.kind, np.zeros(4))
            row[(0 if kept else 1) if story == 1 else (2 if kept else 3)] += u.words
            lost += u.words * (story == 1 and not kept)
            extra += u.words * (story != 1 and kept)
        story_words = sum(u.words for u, s in zip(units, y.tolist()) if s == 1)
        worst.append(((lost + extra) / max(story_words, 1.0), p["key"], story_words, lost, extra))
    print(f"   {label}: words by rule kind -- story kept / story lost / furniture kept / furniture left out")
    for kind, row in sorted(agg.items(), key=lambda kv: -(kv[1][1] + kv[1][2])):
        if kind != linekinds.EMPTY:
            print(f"     {KIND_NAMES[kind]:7s} " + " ".join(f"{v:8.0f}" for v in row))
    print("   pages losing most (story words lost + furniture words kept, share of story words):")
    for share, key, story_words, lost, extra in sorted(worst, reverse=True)[:10]:
        print(f"     {key[:40]:40s} {share:5.2f}  story {story_words:6.0f}  lost {lost:6.0f}  "
              f"furniture kept {extra:6.0f}")


def confidence_table(rows: list[dict], conf: dict[str, float]) -> None:
    """How the confidence separates bad extractions (out-of-fold)."""
    f = {r["key"]: page_f1(r) for r in rows}
    for t in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75):
        flagged = [k for k in f if conf[k] < t]
        bad = [k for k in f if f[k] < 0.8]
        hit = [k for k in flagged if f[k] < 0.8]
        print(f"   confidence < {t}: flags {len(flagged)} pages, {len(hit)} of them F1<0.8; "
              f"catches {len(hit)}/{len(bad)} pages with F1<0.8")


def speed(old, pages: list[dict], rounds: int = 3) -> None:
    """CPU ms/page of both cleaners over ``pages``, best of ``rounds``: cold
    (line caches emptied first: only lines shared by pages of one site are
    reused) and warm (every line seen before)."""
    texts = [p["text"] for p in pages]
    for label, mod in (("baseline", old), ("line model", clean)):
        mod.clean_page("warm up")
        out = []
        for cold in (True, False):
            best = float("inf")
            for _ in range(rounds):
                if cold:
                    getattr(mod, "clear_caches", mod._LINE_CACHE.clear)()
                t0 = time.process_time()
                for t in texts:
                    mod.clean_page(t)
                best = min(best, time.process_time() - t0)
            out.append(1000 * best / len(texts))
        print(f"speed {label}: {out[0]:.2f} ms/page cold, {out[1]:.2f} ms/page warm ({len(texts)} pages, CPU time)")


def outputs(pages: list[dict], path: Path) -> None:
    """Every output of ``clean_page`` (shipped model) on ``pages`` and their
    table-layout variants, written to ``path`` -- or, when ``path`` exists,
    compared with it (a speed change must leave them all identical)."""
    out = {}
    for p in pages:
        for table in (False, True):
            pg = clean.clean_page(train.table_variant(p["text"], p["gold"]) if table else p["text"])
            out[f"{p['key']}{' (table)' * table}"] = [pg.body, pg.body_start, pg.body_end, pg.summary, pg.comments,
                                                      pg.embedded_articles, pg.warnings, round(pg.confidence, 9)]
    if not path.exists():
        path.write_text(json.dumps(out), encoding="utf8")
        print(f"wrote the outputs of {len(out)} pages and variants to {path}")
        return
    ref = json.loads(path.read_text(encoding="utf8"))
    now = json.loads(json.dumps(out))
    diff = sorted(k for k in ref.keys() | now.keys() if ref.get(k) != now.get(k))
    print(f"{len(diff)} of {len(ref)} pages and variants differ from {path}", *diff[:20])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--final", action="store_true", help="score the frozen split once (fit on all CV pages)")
    ap.add_argument("--pages", action="store_true", help="list the pages below F1 0.5")
    ap.add_argument("--shapes", action="store_true", help="group the pages below F1 0.8 by how they failed")
    ap.add_argument("--kinds", action="store_true", help="the errors' words by rule kind of the unit, worst pages")
    ap.add_argument("--speed", action="store_true", help="only time both cleaners on the CV pages")
    ap.add_argument("--outputs", type=Path, help="only write (or compare with) every output of the shipped cleaner")
    a = ap.parse_args()
    pages = train.load_pages()
    for p in pages:
        p["key"] = f"{p['set']}/{p['id']}"
    if a.outputs:
        outputs(pages, a.outputs)
        return
    seeds = [p for p in pages if p["set"] == "seed"]
    dev = [p for p in pages if p["set"] != "seed"]
    frozen = [p for p in dev if train.frozen(p)]
    fold_pages = folds([p for p in dev if not train.frozen(p)])
    print(f"{len(dev)} dev pages: {len(dev) - len(frozen)} in {K} site-disjoint folds "
          f"({', '.join(str(len(f)) for f in fold_pages)} pages), {len(frozen)} frozen")

    old = baseline_cleaner()
    cv = [p for f in fold_pages for p in f]
    if a.speed:
        speed(old, cv)
        return
    label = f"baseline (clean.py@{BASELINE_COMMIT})"
    bodies, _, dt = run(old.clean_page, cv)
    report(label, fold_pages, bodies, dt, a.pages)
    bodies, _, dt = run(old.clean_page, cv, table=True)
    report(label + " on table-layout variants", fold_pages, bodies, dt, False)

    models = []
    for k in range(K):
        fit_on = [p for j, f in enumerate(fold_pages) if j != k for p in f] + seeds
        models.append(check_model(train.fit(fit_on), f"fold {k}"))
    for table in (False, True):
        bodies, conf, dt = {}, {}, 0.0
        for model, fp in zip(models, fold_pages):
            clean.clear_caches()
            b, c, t = run(clean.clean_page, fp, table=table, model=model)
            bodies.update(b)
            conf.update(c)
            dt += t
        rows = report("line model (out-of-fold)" + " on table-layout variants" * table, fold_pages, bodies, dt,
                      a.pages and not table)
        if a.shapes:
            shapes("line model" + " (table-layout variants)" * table, rows, bodies)
        if a.kinds:
            error_kinds("line model" + " (table-layout variants)" * table, cv, bodies, table)
        if not table:
            confidence_table(rows, conf)

    speed(old, cv)
    if a.final:
        model = check_model(train.fit(cv + seeds), "final")
        fb, _, ft = run(old.clean_page, frozen)
        report("FROZEN baseline", [frozen], fb, ft, a.pages)
        clean.clear_caches()
        fb, _fc, ft = run(clean.clean_page, frozen, model=model)
        report("FROZEN line model", [frozen], fb, ft, a.pages)


if __name__ == "__main__":
    main()
