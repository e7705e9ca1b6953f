"""Analysis scores against the hand-checked gold (``data/gold/seeds.json``).

Plain functions returning plain dicts; ``workbench evaluate`` prints them.

* organisations: recall and precision, micro over documents. A predicted name
  counts as the gold organisation when it is the canonical name or one of its
  ``organization_aliases``; ``optional_organizations`` count neither way;
* people: recall by name (case, hyphens and spacing ignored; a gold person given
  only by ``surface`` - "Ahn" - must be resolved to the full name);
* places: recall and precision;
* topics: precision, recall and F1, micro over documents;
* events: a gold event is found when a merged event has the same date (a gold
  date matches ours when equal; ours may keep the year unknown - ``date_partial``
  "--06-09" - or flag it inferred; a null gold date matches a null one) and at
  least one participant in common;
* duplicates: gold pairs found, and predicted pairs that gold does not have.
"""
from __future__ import annotations

import itertools
import json
from pathlib import Path

from workbench import settings
from workbench.analyse.text import name_key


def load_gold(path: str | Path | None = None) -> dict:
    with open(path or settings.gold_path(), encoding="utf-8") as fh:
        return json.load(fh)


def _as_list(v) -> list:
    """A record's list field (a DataFrame row may hold None)."""
    return list(v) if v is not None else []


def _by_id(records) -> dict:
    if hasattr(records, "to_dict"):
        records = records.to_dict("records")
    return {r["doc_id"]: r for r in records}


def _pairs(gold: dict, records):
    """(gold document, our record) for every gold document we have a record of."""
    recs = _by_id(records)
    for doc in gold["documents"]:
        r = recs.get(doc["doc_id"])
        if r is not None:
            yield doc, r


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def _org_names(gold: dict, canonical: str) -> set[str]:
    names = {canonical, *gold.get("organization_aliases", {}).get(canonical, [])}
    return {n.casefold() for n in names}


def organizations(gold: dict, records) -> dict:
    tp = fp = fn = 0
    misses, extras = [], []
    for doc, r in _pairs(gold, records):
        pred = {o["name"] for o in _as_list(r.get("organizations"))}
        pred_cf = {p.casefold(): p for p in pred}
        matched = set()
        for g in doc.get("organizations", []):
            names = _org_names(gold, g)
            hit = [p for cf, p in pred_cf.items() if cf in names]
            if hit:
                tp += 1
                matched.update(hit)
            else:
                fn += 1
                misses.append((doc["doc_id"], g))
        optional = set()
        for g in doc.get("optional_organizations", []):
            optional |= _org_names(gold, g)
        for cf, p in pred_cf.items():
            if p in matched or cf in optional:
                continue
            fp += 1
            extras.append((doc["doc_id"], p))
    out = _prf(tp, fp, fn)
    out.update(missed=misses, extra=extras)
    return out


def people(gold: dict, records) -> dict:
    found = total = 0
    misses = []
    for doc, r in _pairs(gold, records):
        pred = {name_key(p["name"]) for p in _as_list(r.get("people"))}
        for g in doc.get("people", []):
            total += 1
            if name_key(g["name"]) in pred:
                found += 1
            else:
                misses.append((doc["doc_id"], g["name"]))
    return {"recall": round(found / total, 4) if total else 1.0, "found": found, "total": total,
            "missed": misses}


def places(gold: dict, records) -> dict:
    tp = fp = fn = 0
    misses, extras = [], []
    for doc, r in _pairs(gold, records):
        pred = {p.casefold(): p for p in _as_list(r.get("places"))}
        gs = {g.casefold(): g for g in doc.get("places", [])}
        tp += len(set(pred) & set(gs))
        fp += len(set(pred) - set(gs))
        fn += len(set(gs) - set(pred))
        misses += [(doc["doc_id"], gs[k]) for k in set(gs) - set(pred)]
        extras += [(doc["doc_id"], pred[k]) for k in set(pred) - set(gs)]
    out = _prf(tp, fp, fn)
    out.update(missed=sorted(misses), extra=sorted(extras))
    return out


def topics(gold: dict, records) -> dict:
    tp = fp = fn = 0
    errors = []
    for doc, r in _pairs(gold, records):
        pred = {t["topic"] for t in _as_list(r.get("topics"))}
        gs = set(doc.get("topics", []))
        tp += len(pred & gs)
        fp += len(pred - gs)
        fn += len(gs - pred)
        errors += [(doc["doc_id"], "extra", t) for t in sorted(pred - gs)]
        errors += [(doc["doc_id"], "missed", t) for t in sorted(gs - pred)]
    out = _prf(tp, fp, fn)
    out["errors"] = errors
    return out


def _date_matches(gold_date: str | None, ev: dict) -> bool:
    ours = ev.get("date")
    partial = ev.get("date_partial")
    if gold_date is None:
        return ours is None or bool(ev.get("year_inferred"))
    if ours and ours == gold_date:
        return True
    if ours is None and partial:
        # year unknown: month and day (or month) must agree
        return ("--" + gold_date[5:]) == partial
    return False


_ACTOR_KEYS = ("participants", "organizations", "platforms")


def _actors(ev: dict) -> set[str]:
    """People, organisations and ships of a (gold or merged) event, as comparison keys."""
    out: set[str] = set()
    for k in _ACTOR_KEYS:
        v = ev.get(k)
        out.update(name_key(str(a)) for a in (v if v is not None else []))
    return out


def events(gold: dict, merged) -> dict:
    """``merged`` is the DataFrame (or list of dicts) from ``merge_events``. A gold event is
    found by a merged event sharing an actor and its date; ``wrong_date`` counts gold events
    only matched by actors, with another date."""
    rows = merged.to_dict("records") if hasattr(merged, "to_dict") else list(merged)
    rows = [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in rows]
    found, wrong_date, details = 0, 0, []
    for g in gold.get("events", []):
        gp = _actors(g)
        hit = None
        for ev in rows:
            if gp & _actors(ev) and _date_matches(g.get("date"), ev):
                hit = ev
                break
        if hit is not None:
            found += 1
        elif any(gp & _actors(ev) and (ev.get("date") or ev.get("date_partial")) for ev in rows):
            wrong_date += 1
        details.append({"id": g["id"], "found": hit is not None, "gold_date": g.get("date"),
                        "date": hit.get("date") if hit else None,
                        "date_partial": hit.get("date_partial") if hit else None,
                        "sources": list(hit.get("sources", [])) if hit else [],
                        "n_outlets": int(hit["n_outlets"]) if hit else 0})
    return {"found": found, "total": len(gold.get("events", [])), "events": details,
            "merged_events": len(rows), "wrong_date": wrong_date}


def duplicates(gold: dict, records) -> dict:
    recs = _by_id(records)
    gold_pairs = set()
    for grp in gold.get("duplicate_groups", []):
        for a, b in itertools.combinations(sorted(grp), 2):
            gold_pairs.add((a, b))
    by_story: dict[str, list[str]] = {}
    for d, r in recs.items():
        by_story.setdefault(r.get("story_id") or d, []).append(d)
    pred = set()
    for ids in by_story.values():
        for a, b in itertools.combinations(sorted(ids), 2):
            pred.add((a, b))
    return {"pairs_found": len(pred & gold_pairs), "gold_pairs": len(gold_pairs),
            "false_pairs": len(pred - gold_pairs), "false": sorted(pred - gold_pairs),
            "missed": sorted(gold_pairs - pred)}


def evaluate(records, gold: dict | None = None, merged=None) -> dict:
    """All analysis scores for analysed ``records`` (with story_id and the
    analysis fields). ``merged`` defaults to ``merge_events(records)``."""
    gold = gold or load_gold()
    if merged is None:
        from workbench.analyse import merge_events
        merged = merge_events(records)
    return {
        "organizations": organizations(gold, records),
        "people": people(gold, records),
        "places": places(gold, records),
        "topics": topics(gold, records),
        "events": events(gold, merged),
        "duplicates": duplicates(gold, records),
    }
