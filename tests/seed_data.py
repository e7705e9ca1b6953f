"""Test-only records built from the hand-labelled seeds (``data/gold/seeds.json``).

``seed_records``/``seed_corpus``: records shaped like an ingest's, with the gold
answers as analysis fields (``copies > 1`` replicates them for speed runs);
``records_from_gold``: bodies and metadata only, as a correct extraction would give.
Used by tests and benchmark scripts; not part of the package.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from workbench import settings
from workbench.evaluate.analysis import load_gold
from workbench.record import empty_record
from workbench.store import records_to_frame


def seed_corpus(seeds_path: str | Path | None = None, copies: int = 1, seed: int = 0) -> pd.DataFrame:
    """A corpus built from the hand-labelled seed articles (``data/gold/seeds.json``),
    shaped like ``load_corpus()``: for tests, benchmarks and demos only.

    With ``copies > 1`` the seed records are replicated with fresh ids,
    shifted dates and varied outlets (story groups kept within a replica),
    to give a corpus of ``5 * copies`` articles for speed measurements.
    """
    return records_to_frame(seed_records(seeds_path, copies, seed))


def seed_records(seeds_path: str | Path | None = None, copies: int = 1, seed: int = 0) -> list[dict]:
    """The records behind ``seed_corpus`` (what ``store.write_store`` takes)."""
    data = json.loads(Path(seeds_path or settings.gold_path()).read_text(encoding="utf-8"))
    aliases = data.get("organization_aliases", {})
    topic_words = {t: {w for w in re.findall(r"[a-z]{5,}", desc.lower())} for t, desc in data["topics"].items()}
    story_of = {}
    for group in data.get("duplicate_groups", []):
        for d in group:
            story_of[d] = group[0]
    basis_of = {"001_6007161c3ca6bdf9": "syndicated-copy"}

    base = []
    for d in data["documents"]:
        body = d["body"]
        sentences = re.split(r"(?<![A-Z]\.[A-Z]\.)(?<=[.!?”\"])\s+", body.replace("\n\n", " "))
        topics = []
        for k, t in enumerate(d.get("topics", [])):
            words = topic_words.get(t, set())
            ev = [s for s in sentences if words & set(re.findall(r"[a-z]{5,}", s.lower()))][:2]
            topics.append({"topic": t, "score": round(1.0 - 0.1 * k, 2), "evidence": ev})
        orgs = [{"name": o, "aliases": aliases.get(o, []),
                 "mentions": sum(body.count(a) for a in [o, *aliases.get(o, [])])}
                for o in d.get("organizations", [])]
        people = [{"name": p["name"], "role": p.get("role"), "rank": p.get("rank")} for p in d.get("people", [])]
        events = []
        for e in data.get("events", []):
            if d["doc_id"] not in e.get("sources", []):
                continue
            sent = next((s for s in sentences if any(p.split()[-1] in s for p in e.get("participants", []))), None)
            date = e.get("date")
            events.append({"kind": e["kind"], "date": date,
                           "date_precision": None if not date else ("day" if len(date) == 10 else "month"),
                           "date_basis": None if not date else "text",
                           "place": e.get("place"), "participants": e.get("participants", []),
                           "organizations": e.get("organizations", []), "sentence": sent})
        pub = d.get("published")
        base.append(empty_record(
            doc_id=d["doc_id"], source_path=f"data/raw/{d['doc_id']}.txt", title=d.get("title"),
            published=pub, published_basis=(basis_of.get(d["doc_id"], "page") if pub else None),
            outlet=d.get("outlet"), author=d.get("author"), agency=d.get("agency"),
            dateline=d.get("dateline"), body=body, summary=None, word_count=len(body.split()),
            organizations=orgs, people=people, places=list(d.get("places", [])), events=events,
            topics=topics, story_id=story_of.get(d["doc_id"], d["doc_id"])))
    if copies <= 1:
        return base

    rng = np.random.default_rng(seed)
    outlets = ["Yonhap", "Korea Herald", "Korea JoongAng Daily", "Stars and Stripes", "Defense News",
               "BEMIL", "Caliber.az", "The Korea Times", "Breaking Defense", "UPI"]
    records = []
    for c in range(copies):
        shift = int(rng.integers(-900, 120))
        outlet = outlets[c % len(outlets)]
        for r in base:
            r = json.loads(json.dumps(r))
            r["doc_id"] = f"{r['doc_id']}_r{c:05d}"
            r["story_id"] = f"{r['story_id']}_r{c:05d}"
            if r["published"]:
                r["published"] = (dt.date.fromisoformat(r["published"]) + dt.timedelta(days=shift)).isoformat()
            if r["outlet"]:
                r["outlet"] = outlet
            r["body"] = f"{r['body']}\n\n(replica {c})"
            for e in r["events"]:
                if e["date"] and len(e["date"]) == 10:
                    e["date"] = (dt.date.fromisoformat(e["date"]) + dt.timedelta(days=shift)).isoformat()
            records.append(r)
    return records


def records_from_gold(gold: dict | None = None, dateline_day: dict | None = None) -> list[dict]:
    """Records as a correct ingest would produce them from the seeds (bodies and
    metadata from gold; 001 without its year, as its page gives only "Seoul,
    Feb 11"). For tests and for working before ingestion is ready."""
    gold = gold or load_gold()
    out = []
    for d in gold["documents"]:
        pub = d.get("published")
        basis = "page" if pub else None
        note = (d.get("published_note") or "").lower()
        if pub and "only 'seoul, feb 11'" in note:
            pub, basis = None, None
        rec = empty_record(doc_id=d["doc_id"], title=d.get("title"), published=pub, published_basis=basis,
                           outlet=d.get("outlet"), author=d.get("author"), agency=d.get("agency"),
                           dateline=d.get("dateline"), body=d["body"])
        if d.get("title") and d.get("title_alternatives"):
            rec["headline_near_body"] = d["title_alternatives"][0]   # the page's second headline
        if d.get("dateline") == "Seoul" and d.get("agency") == "IANS":
            rec["dateline_day"] = "--02-11"
        if dateline_day and d["doc_id"] in dateline_day:
            rec["dateline_day"] = dateline_day[d["doc_id"]]
        out.append(rec)
    return out


def seed_raw(folder: Path) -> Path:
    """A ``raw`` folder under ``folder`` holding copies of the seed dumps (``data/raw/*.txt``)."""
    import shutil
    raw = folder / "raw"
    raw.mkdir()
    for p in sorted((Path(__file__).resolve().parent.parent / "data" / "raw").glob("*.txt")):
        shutil.copy(p, raw / p.name)
    return raw
