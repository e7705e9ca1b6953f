"""Helpers for the report tests: a project home in a temp folder with a corpus store.

``make_home(tmp)`` copies data/raw, data/reference and data/gold into ``tmp``
and builds ``tmp/data/store`` with the real ``workbench ingest`` when the
pipeline runs; when the analysis layer is not available yet it writes the
store from the hand-labelled seeds instead (``tests/seed_data.seed_corpus``),
so the report machinery is still tested end to end.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import time
from pathlib import Path

import pandas as pd
from conftest import REPO

GOLD = json.loads((REPO / "data" / "gold" / "seeds.json").read_text(encoding="utf-8"))

HOSTILE_TITLE = 'Hostile page <script>window.__pwned=1</script> about logistics'
HOSTILE_BODY = (
    "The Defense Logistics Agency and the ROK Joint Chiefs of Staff discussed military logistics, "
    "sustainment and spare parts supply chains in Seoul. "
    "<script>window.__pwned=1</script> "
    "<img src=x onerror=\"window.__pwned=1\"> "
    "Officials said logistics cooperation and sustainment of supply chains would expand."
)


def copy_data(home: Path) -> Path:
    for sub in ("raw", "reference", "gold"):
        shutil.copytree(REPO / "data" / sub, home / "data" / sub)
    return home


def _records_from_frame(df: pd.DataFrame) -> list[dict]:
    from workbench.record import FIELDS
    recs = []
    for _, r in df.iterrows():
        rec = {}
        for f in FIELDS:
            v = r.get(f)
            if f == "published":
                v = None if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m-%d")
            elif not isinstance(v, (list, dict)) and v is not None and pd.isna(v):
                v = None
            rec[f] = v
        recs.append(rec)
    return recs


def seed_records() -> list[dict]:
    from seed_data import seed_corpus
    return _records_from_frame(seed_corpus(REPO / "data" / "gold" / "seeds.json"))


def hostile_record(doc_id: str = "666_hostile") -> dict:
    from workbench.record import empty_record
    ev_sentence = "<img src=x onerror=\"window.__pwned=1\"> logistics talks <script>window.__pwned=1</script>"
    return empty_record(
        doc_id=doc_id, source_path="data/raw/666_hostile.txt", title=HOSTILE_TITLE,
        published="2026-02-12", published_basis="page", outlet="Evil <b onmouseover=alert(1)>Times</b>",
        body=HOSTILE_BODY, word_count=len(HOSTILE_BODY.split()),
        organizations=[{"name": "Defense Logistics Agency <script>window.__pwned=1</script>",
                        "aliases": [], "mentions": 1}],
        people=[{"name": "Mallory <img src=x onerror=\"window.__pwned=1\">", "role": None, "rank": None}],
        events=[{"kind": "meeting", "date": "2026-02-12", "date_precision": "day", "date_basis": "text",
                 "place": "Seoul <script>window.__pwned=1</script>",
                 "participants": ["Mallory <img src=x onerror=\"window.__pwned=1\">"],
                 "organizations": [], "sentence": ev_sentence}],
        topics=[{"topic": "logistics-sustainment", "score": 5.0,
                 "evidence": ["<script>window.__pwned=1</script> logistics and sustainment",
                              "<img src=x onerror=\"window.__pwned=1\"> supply chains"]}],
        warnings=["<script>window.__pwned=1</script> warning text"],
        story_id=doc_id)


LONG_WORD = "Supply" + "chain" * 60          # one unbroken 306-character "word"


def long_record(doc_id: str = "668_long_strings") -> dict:
    """An article whose title, outlet, URL, place and names are long unbroken strings
    (pages must still fit a phone's width)."""
    r = hostile_record(doc_id)
    r.update(title=f"Logistics {LONG_WORD} report", outlet="Outlet" + "x" * 120,
             url="https://news.example.com/" + "a" * 250, story_id=doc_id,
             people=[{"name": "Person" + "y" * 90, "role": None, "rank": None}])
    r["events"][0].update(place="Place" + "z" * 100, participants=["Person" + "y" * 90])
    r["topics"][0]["evidence"] = [f"Officials said logistics {LONG_WORD} sustainment would expand."]
    return r


def real_ingest_works() -> bool:
    try:
        from workbench.analyse import analyse_record, link_stories, merge_events  # noqa: F401
        from workbench.pipeline import ingest  # noqa: F401
    except ImportError:
        return False
    return True


def make_home(home: Path, hostile: bool = False) -> Path:
    """A project home with data and a store; returns the store folder."""
    copy_data(home)
    store = home / "data" / "store"
    if real_ingest_works():
        from workbench.pipeline import ingest
        if hostile:
            (home / "data" / "raw" / "666_hostile.txt").write_text(
                HOSTILE_TITLE + "\n\nEvil Times\n\n12 February 2026\n\n" + HOSTILE_BODY + "\n", encoding="utf-8")
        ingest([home / "data" / "raw"], store=store, reference=home / "data" / "reference",
               progress=False, jobs=1)
        if hostile:
            # make sure the hostile strings reach the report whatever the cleaner kept
            from workbench.store import read_store, write_store
            recs, ledger = read_store(store)
            write_store(recs + [hostile_record("667_hostile_injected"), long_record()], ledger, store)
    else:
        from workbench.store import write_store
        recs = seed_records() + ([hostile_record()] if hostile else [])
        ledger = {r["source_path"]: {"sha256": "0" * 64, "status": "parsed", "doc_ids": [r["doc_id"]],
                                     "rejected": []} for r in recs}
        ledger["data/raw/broken.bin"] = {"sha256": "1" * 64, "status": "rejected",
                                         "reason": "not a supported input", "doc_ids": []}
        ledger["_run"] = {"at": "2026-11-22T00:00:00+00:00",
                          "rejected": [["data/raw/broken.bin", "not a supported input"]]}
        write_store(recs, ledger, store)
    return store


def gold_events_for(topic: str) -> list[dict]:
    """Gold events with at least one source article labelled with ``topic``."""
    docs = {d["doc_id"]: d for d in GOLD["documents"]}
    return [e for e in GOLD["events"] if any(topic in docs[s]["topics"] for s in e["sources"])]


# --------------------------------------------------------------------------- one real run, shared

_BUILT: dict = {}


@contextlib.contextmanager
def workbench_home(home: Path):
    """Point the workbench (and the kernels it starts) at ``home``."""
    old = os.environ.get("WORKBENCH_HOME")
    os.environ["WORKBENCH_HOME"] = str(home)
    try:
        yield home
    finally:
        if old is None:
            os.environ.pop("WORKBENCH_HOME", None)
        else:
            os.environ["WORKBENCH_HOME"] = old


def run(home: Path, **kw) -> tuple[int, str, float]:
    """``workbench report`` in ``home`` through the real command line: (exit status, printed lines, seconds).
    ``kw``: topics, since, until, force, since_last_run, jobs, as ``run_reports`` takes them."""
    from workbench.cli import main
    argv = ["report"]
    for t in kw.pop("topics", None) or []:
        argv += ["--topic", t]
    for k in ("since", "until", "jobs", "store"):
        if kw.get(k) is not None:
            argv += [f"--{k}", str(kw.pop(k))]
    for k in ("force", "since_last_run"):
        if kw.pop(k, False):
            argv.append("--" + k.replace("_", "-"))
    assert not kw, f"unknown options {kw}"
    buf = io.StringIO()
    t0 = time.perf_counter()
    with workbench_home(home), contextlib.redirect_stdout(buf):
        rc = main(argv)
    return rc, buf.getvalue(), time.perf_counter() - t0


def built_reports(tmp_path_factory) -> dict:
    """Every report of the seed corpus (plus one hostile article), built once per session."""
    if not _BUILT:
        home = tmp_path_factory.mktemp("reports-home")
        with workbench_home(home):
            store = make_home(home, hostile=True)
        rc, out, secs = run(home)
        _BUILT.update(home=home, store=store, reports=home / "reports", rc=rc, out=out, seconds=secs,
                      real_ingest=real_ingest_works())
    return _BUILT
