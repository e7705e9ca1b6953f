#!/usr/bin/env python3
"""Train the line classifier shipped as ``workbench/line_model.json``.

    python benchmarks/train_line_model.py            # fit on every dev page outside the frozen split + seeds
    python benchmarks/train_line_model.py -o F.json  # write elsewhere

Needs scikit-learn (``pip install -e ".[train]"``); the runtime does not.
Pages: data/dev/extraction (Zyte benchmark half), data/dev/extraction2
(Readability test pages) and the five seeds.  The frozen split of
``cv_extraction.py`` (sites chosen by a hash of their name) is never used here.

Labels come from aligning the gold body with the dump: a unit with four or more
tokens is story when at least half of its 4-token shingles occur in the gold
body; a shorter unit (a subhead) when its tokens occur in the gold body and
the nearest longer units on both sides are story.  The model is a
histogram gradient-boosting ensemble, exported node by node to JSON; a second
ensemble, for pages that have table-layout lines, is also trained on each
page's table-layout variant (``table_variant``).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from workbench.parse.autocontext import context_names, stacked
from workbench.parse.clean import unit_features
from workbench.parse.linefeatures import feature_names
from workbench.parse.linemodel import MODEL_FORMAT, MODEL_PATH

SETS = {"dev1": ROOT / "data" / "dev" / "extraction", "dev2": ROOT / "data" / "dev" / "extraction2"}
SEEDS, GOLD = ROOT / "data" / "raw", ROOT / "data" / "gold" / "seeds.json"
FROZEN_MOD = 5               # a site is frozen when hash(site) % FROZEN_MOD == 0 (~20% of sites)
WORD = re.compile(r"\w+")    # the benchmark metric's tokens (case kept)
SHINGLE = 4
PARAMS = {"max_iter": 60, "learning_rate": 0.1, "max_depth": 3, "min_samples_leaf": 80,
          "l2_regularization": 1.0, "random_state": 0}
PARAMS2 = dict(PARAMS)       # the second stage (auto-context)
STAGE2_PARTS = ("table",)    # ensembles given a second stage (on "plain" it lost on some sites under CV: README)
INNER = 4                    # inner site-disjoint folds giving the second stage out-of-fold first-stage inputs
# Each ensemble is the mean (in raw score) of one fit per random state (a fit holds out a random tenth of
# its units for early stopping, so fits differ).  One fit: three (0, 1, 2) cost 3x the inference and did
# not hold the worst fold and the table layouts under CV (docs/measurements.md, issue 9 round 7).
BAG = (0,)
_TLD2 = {"co", "com", "org", "net", "ac", "gov", "ne", "or"}


def site_of(entry: dict) -> str:
    """A page's site: the host's registrable name ("nytimes" for www.nytimes.com
    and nytimes.co.uk), else the id without a trailing number ("bbc-2" -> "bbc")."""
    url = entry.get("url") or ""
    host = re.sub(r"^https?://", "", url).split("/")[0].split(":")[0].lower()
    labels = [x for x in host.split(".") if x]
    if len(labels) >= 2:
        labels = labels[:-1]
        if len(labels) >= 2 and labels[-1] in _TLD2:
            labels = labels[:-1]
        return labels[-1]
    return re.sub(r"-\d+$", "", entry["id"]).lower()


def frozen(page: dict) -> bool:
    """The frozen split of the dev pages: never fitted on, never used to
    choose anything (the seeds are always training pages)."""
    return page["set"] != "seed" and int(hashlib.sha1(page["site"].encode()).hexdigest(), 16) % FROZEN_MOD == 0


def load_pages() -> list[dict]:
    """Every dev page and seed: {set, id, site, text, gold}."""
    pages = []
    for name, d in SETS.items():
        for e in json.loads((d / "manifest.json").read_text(encoding="utf8")):
            pages.append({"set": name, "id": e["id"], "site": site_of(e),
                          "text": (d / f"{e['id']}.txt").read_text(encoding="utf8"),
                          "gold": (d / f"{e['id']}.gold.txt").read_text(encoding="utf8")})
    for doc in json.loads(GOLD.read_text(encoding="utf8"))["documents"]:
        pages.append({"set": "seed", "id": doc["doc_id"], "site": "seed:" + doc["doc_id"],
                      "text": (SEEDS / f"{doc['doc_id']}.txt").read_text(encoding="utf8"), "gold": doc["body"]})
    return pages


def labels(texts: list[str], gold: str) -> np.ndarray:
    """1 for units whose text belongs to the gold body (see module docstring)."""
    gtoks = WORD.findall(gold)
    gset = {tuple(gtoks[i:i + SHINGLE]) for i in range(max(1, len(gtoks) - SHINGLE + 1))}
    gjoined = " " + " ".join(gtoks) + " "
    toks = [WORD.findall(t) for t in texts]
    y = np.full(len(texts), -1)
    for i, ts in enumerate(toks):
        if len(ts) >= SHINGLE:
            sh = [tuple(ts[k:k + SHINGLE]) for k in range(len(ts) - SHINGLE + 1)]
            y[i] = sum(s in gset for s in sh) >= 0.5 * len(sh)
    longs = [i for i, ts in enumerate(toks) if len(ts) >= SHINGLE]
    for i, ts in enumerate(toks):
        if y[i] >= 0:
            continue
        before = [j for j in longs if j < i][-1:]
        after = [j for j in longs if j > i][:1]
        inside = bool(before and after and y[before[0]] == 1 and y[after[0]] == 1)
        y[i] = int(bool(ts) and inside and f" {' '.join(ts)} " in gjoined)
    return y


def table_variant(text: str, gold: str) -> str:
    """The page as an old table layout would copy: short lines that are not
    story (menus, side-column links) moved beside the long lines, one cell
    each, separated by a tab (before or after, alternately).  Few dev pages
    have such layouts; this teaches the model that a story cell stays story
    whatever stands beside it."""
    gtext = " " + " ".join(WORD.findall(gold)) + " "
    lines = text.split("\n")
    side = [i for i, ln in enumerate(lines)
            if 0 < len(WORD.findall(ln)) <= 6 and f" {' '.join(WORD.findall(ln))} " not in gtext]
    longs = [i for i, ln in enumerate(lines) if len(WORD.findall(ln)) >= 12]
    moved = dict(zip(longs, side))
    out = []
    for i, ln in enumerate(lines):
        if i in moved.values():
            continue
        if i in moved:
            cell = lines[moved[i]].strip()
            ln = f"{ln.rstrip()}\t{cell}" if len(out) % 2 else f"{cell}\t{ln.strip()}"
        out.append(ln)
    return "\n".join(out)


_PIECES: dict[tuple, tuple] = {}     # (set, id, table variant) -> (X, y, w, words): pages recur across folds


def pieces(pages: list[dict], table: bool) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """(site, features, labels, sample weights, words) of every text of
    ``pages`` (with ``table``, also of their table-layout variants, at half
    weight); each text weighs the same in total (the metric averages over pages)."""
    out = []
    for variant in (False, True) if table else (False,):
        for pg in pages:
            key = (pg["set"], pg["id"], variant)
            if key not in _PIECES:
                text = table_variant(pg["text"], pg["gold"]) if variant else pg["text"]
                units, X = unit_features(text)
                if not units:
                    _PIECES[key] = None
                    continue
                y = labels([u.text for u in units], pg["gold"])
                w = 1.0 + np.log1p(np.array([u.words for u in units]))
                _PIECES[key] = (X, y, w * (50.0 if variant else 100.0) / w.sum(),
                                np.array([u.words for u in units], dtype=float))
            if _PIECES[key] is not None:
                out.append((pg["site"], *_PIECES[key]))
    return out


def dataset(pages: list[dict], table: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels and sample weights of every unit of ``pages`` (``pieces``)."""
    ps = pieces(pages, table)
    return tuple(np.concatenate([pc[k] for pc in ps]) for k in (1, 2, 3))   # type: ignore[return-value]


class Bag:
    """Fitted ensembles whose raw scores are averaged (what ``export`` writes as one ensemble)."""

    def __init__(self, fits: list) -> None:
        self.fits = fits

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-np.mean([f.decision_function(X) for f in self.fits], axis=0)))
        return np.stack([1.0 - p, p], axis=1)


def _fit_one(X: np.ndarray, y: np.ndarray, w: np.ndarray, params: dict) -> Bag:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return Bag([HistGradientBoostingClassifier(**dict(params, random_state=seed)).fit(X, y, sample_weight=w)
                for seed in BAG])


def inner_folds(sites: list[str], k: int = INNER) -> list[set[str]]:
    """Sites dealt into ``k`` groups (hash order, each to the smallest group by
    pages): the inner folds that give the second stage out-of-fold inputs."""
    count: dict[str, int] = {}
    for s in sites:
        count[s] = count.get(s, 0) + 1
    groups: list[set[str]] = [set() for _ in range(k)]
    size = [0] * k
    for site in sorted(count, key=lambda s: hashlib.sha1(s.encode()).hexdigest()):
        j = size.index(min(size))
        groups[j].add(site)
        size[j] += count[site]
    return groups


def oof_probabilities(ps: list[tuple]) -> list[np.ndarray]:
    """First-stage story probabilities of every text of ``ps``, each from an
    ensemble fitted without its site (inner site-disjoint folds)."""
    out: list[np.ndarray] = [np.zeros(0)] * len(ps)
    for group in inner_folds([pc[0] for pc in ps]):
        train_ix = [i for i, pc in enumerate(ps) if pc[0] not in group]
        test_ix = [i for i, pc in enumerate(ps) if pc[0] in group]
        if not test_ix:
            continue
        clf = _fit_one(*(np.concatenate([ps[i][k] for i in train_ix]) for k in (1, 2, 3)), PARAMS)
        for i in test_ix:
            out[i] = clf.predict_proba(ps[i][1])[:, 1]
    return out


def fit(pages: list[dict], stack: bool = True) -> dict:
    """Fit both ensembles on ``pages`` and return the model as a JSON-able
    dict: "plain" for pages without table-layout lines, "table" (trained
    with the table-layout variants too) for pages with them; with ``stack``,
    also the second stage of the STAGE2_PARTS ("stage2",
    ``workbench.parse.autocontext``), fitted on out-of-fold first-stage
    probabilities of ``pages``."""
    model: dict = {"format": MODEL_FORMAT, "features": feature_names()}
    if stack:
        model["stage2"] = {"features": feature_names() + context_names()}
    for part, table in (("plain", False), ("table", True)):
        ps = pieces(pages, table)
        X, y, w = (np.concatenate([pc[k] for pc in ps]) for k in (1, 2, 3))
        model[part] = export(_fit_one(X, y, w, PARAMS))
        model[part]["trained_on"] = {"pages": len(pages), "units": len(y), "params": PARAMS, "bag": BAG}
        if stack and part in STAGE2_PARTS:
            p1 = oof_probabilities(ps)
            X2 = np.concatenate([stacked(pc[1], p, pc[4]) for pc, p in zip(ps, p1)])
            m2 = model["stage2"][part] = export(_fit_one(X2, y, w, PARAMS2))
            m2["trained_on"] = {"pages": len(pages), "units": len(y), "params": PARAMS2, "inner_folds": INNER,
                                 "bag": BAG}
    return model


def export(bag: Bag) -> dict:
    """The bag's trees as one ensemble of flat node arrays (global indices; a
    leaf has feature -1 and points to itself): every fit's trees, leaf values
    divided by the number of fits, the mean of their biases."""
    return merge([_export_fit(clf) for clf in bag.fits])


def merge(ensembles: list[dict]) -> dict:
    """Exported ensembles as one whose raw score is the mean of theirs."""
    n = len(ensembles)
    nodes: dict[str, list] = {k: [] for k in ("feature", "threshold", "left", "right", "value")}
    roots: list[int] = []
    for e in ensembles:
        base, nd = len(nodes["feature"]), e["nodes"]
        roots += [r + base for r in e["roots"]]
        nodes["feature"] += nd["feature"]
        nodes["threshold"] += nd["threshold"]
        nodes["left"] += [x + base for x in nd["left"]]
        nodes["right"] += [x + base for x in nd["right"]]
        nodes["value"] += [v / n for v in nd["value"]]
    return {"bias": sum(e["bias"] for e in ensembles) / n, "depth": max(e["depth"] for e in ensembles),
            "roots": roots, "nodes": nodes}


def _export_fit(clf) -> dict:
    """One fitted ensemble's trees as flat node arrays."""
    feature, threshold, left, right, value, roots = [], [], [], [], [], []
    depth = 0
    for (tree,) in clf._predictors:   # sklearn's fitted trees (training-time only)
        nodes, base = tree.nodes, len(feature)
        roots.append(base)
        depth = max(depth, int(nodes["depth"].max()))
        for k, nd in enumerate(nodes):
            leaf = bool(nd["is_leaf"])
            feature.append(-1 if leaf else int(nd["feature_idx"]))
            threshold.append(0.0 if leaf else float(nd["num_threshold"]))
            left.append(base + k if leaf else base + int(nd["left"]))
            right.append(base + k if leaf else base + int(nd["right"]))
            value.append(float(nd["value"]) if leaf else 0.0)
    return {"bias": float(clf._baseline_prediction.ravel()[0]), "depth": depth, "roots": roots,
            "nodes": {"feature": feature, "threshold": threshold, "left": left, "right": right, "value": value}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--out", type=Path, default=MODEL_PATH)
    a = ap.parse_args()
    pages = [p for p in load_pages() if not frozen(p)]
    model = fit(pages)
    tmp = a.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(model, separators=(",", ":")), encoding="utf8")
    tmp.replace(a.out)
    for part in ("plain", "table"):
        m = model[part]
        print(f"{a.out} [{part}]: {len(m['roots'])} trees, {len(m['nodes']['feature'])} nodes, "
              f"{m['trained_on']['units']} units of {len(pages)} pages")


if __name__ == "__main__":
    main()
