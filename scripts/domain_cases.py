"""Run the domain case catalogue (tests/fixtures/domain_cases.toml) against the
current code and print, per case, PASS or the first expectation that fails, then
a count per failure class. Analysis and document stages are run; corpus cases
(several documents) are extracted, linked and merged in memory; their key-evidence
limit is not checked here (reported as not checked).

    .venv/bin/python scripts/domain_cases.py [--class dates] [--reference DIR]

A status report for the code step of issue 10, not a test: most cases describe
behaviour that does not exist yet.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.analyse import analyse_record, analyse_records, merge_events
from workbench.parse.article import extract, sources_from_reference
from workbench.parse.read import RawDoc
from workbench.reference import load_reference

CASES = ROOT / "tests" / "fixtures" / "domain_cases.toml"
RECORD_FIELDS = ("title", "published", "outlet", "author", "agency", "dateline",
                 "published_basis", "title_basis")


def run_document(case: dict, ref) -> dict:
    """Extract and analyse one text dump as the pipeline would."""
    text = case["input"]
    fields = {"url": case["url"]} if case.get("url") else {}
    raw = RawDoc(doc_id=case["id"], source_path=f"{case['id']}.txt",
                 sha256=hashlib.sha256(text.encode()).hexdigest(), format="text", text=text, fields=fields)
    rec = extract(raw, sources_from_reference(ref)).record()
    rec.update(analyse_record(rec, ref, extras=True))
    return rec


def run_corpus(case: dict, ref) -> tuple[dict, list]:
    """Records of a corpus case by doc id (copies linked, titles filled) and
    its merged events as dicts."""
    src = sources_from_reference(ref)
    records = []
    for d in case["docs"]:
        fields = {"url": d["url"]} if d.get("url") else {}
        raw = RawDoc(doc_id=d["id"], source_path=f"{d['id']}.txt",
                     sha256=hashlib.sha256(d["input"].encode()).hexdigest(), format="text",
                     text=d["input"], fields=fields)
        rec = extract(raw, src).record()
        if d.get("published") and not rec.get("published"):
            rec["published"], rec["published_basis"] = d["published"], "page"
        records.append(rec)
    analyse_records(records, ref, fill_title=True)
    return {r["doc_id"]: r for r in records}, merge_events(records).to_dict("records")


def check_corpus(exp: dict, recs: dict, merged: list, kinds: dict) -> str | None:
    """The first failed corpus expectation, or None."""
    for group in exp.get("same_story", []):
        if len({recs[i]["story_id"] for i in group}) != 1:
            return f"not one story: {group}"
    for group in exp.get("different_story", []):
        if len({recs[i]["story_id"] for i in group}) != len(group):
            return f"one story: {group}"
    for d in exp.get("docs", []):
        for f in RECORD_FIELDS:
            if f in d and recs[d["id"]].get(f) != d[f]:
                return f"{d['id']}.{f}: want {d[f]!r}, got {recs[d['id']].get(f)!r}"
    for want in exp.get("merged_events", []):
        hit = [m for m in merged if _kind_ok(want["kind"], m, kinds) and set(m["sources"]) == set(want["sources"])]
        if not hit or ("n_outlets" in want and hit[0]["n_outlets"] != want["n_outlets"]):
            found = [(m['kind'], list(m['sources']), m['n_outlets']) for m in merged]
            return f"merged event {want} not found in {found}"
    return None


def run_analysis(case: dict, ref) -> dict:
    rec = {"body": case["input"], "published": case.get("published"),
           "published_basis": "page" if case.get("published") else None}
    out = analyse_record(rec, ref, extras=True)
    out["body"] = case["input"]
    return out


def _names(items, key: str = "name") -> set[str]:
    return {i[key] if isinstance(i, dict) else i for i in items or []}


def _actors(ev: dict) -> set[str]:
    return set(ev.get("participants", [])) | set(ev.get("organizations", [])) | _names(ev.get("platforms", []))


def _kind_ok(want: str, ev: dict, kinds: dict) -> bool:
    kind, modes = kinds[want]
    return ev.get("kind") == kind and re.fullmatch(modes, ev.get("mode") or "") is not None


def _event_ok(want: dict, ev: dict, kinds: dict) -> bool:
    if not _kind_ok(want["kind"], ev, kinds) or _actors(ev) != set(want["actors"]):
        return False
    date = ev.get("date") or ""
    if want["date"] == "" and date:
        return False
    if want["date"] and not (date or "").startswith(want["date"]):
        return False
    if "place" in want and ev.get("place") != want["place"]:
        return False
    if "place_any" in want and ev.get("place") not in want["place_any"]:
        return False
    return bool(ev.get("planned")) == bool(want.get("planned", False))


def _check_events(exp: dict, rec: dict, kinds: dict) -> str | None:
    got = list(rec.get("events") or [])
    for want in exp.get("events", []):
        hit = next((e for e in got if _event_ok(want, e, kinds)), None)
        if hit is None:
            summary = [(e.get("kind"), e.get("mode"), e.get("date"), sorted(_actors(e))) for e in rec["events"]]
            return f"event {want} not found in {summary}"
        got.remove(hit)
    if "events" in exp and got:
        return f"unexpected events {[(e.get('kind'), e.get('date'), sorted(_actors(e))) for e in got]}"
    for d in exp.get("no_event_date", []):
        if any((e.get("date") or "").startswith(d) for e in rec.get("events") or []):
            return f"an event carries the excluded date {d}"
    return None


def _check_fields(exp: dict, rec: dict) -> str | None:
    for f in RECORD_FIELDS:
        if f in exp and rec.get(f) != exp[f]:
            return f"{f}: want {exp[f]!r}, got {rec.get(f)!r}"
    for f in exp.get("null", []):
        if rec.get(f) is not None:
            return f"{f}: want null, got {rec.get(f)!r}"
    body = rec.get("body") or ""
    for s in exp.get("body_includes", []):
        if s not in body:
            return f"body lacks {s!r}"
    for s in exp.get("body_excludes", []):
        if s in body:
            return f"body holds {s!r}"
    for x in exp.get("summary_excludes", []):
        if x in (rec.get("summary") or ""):
            return f"summary holds {x!r}"
    if "body_starts" in exp and not body.startswith(exp["body_starts"]):
        return f"body starts {body[:50]!r}"
    return None


def _check_entities(exp: dict, rec: dict) -> str | None:
    got = {"organizations": _names(rec.get("organizations")), "people": _names(rec.get("people")),
           "places": _names(rec.get("places")), "platforms": _names(rec.get("platforms"))}
    for key, have in got.items():
        if key in exp and have != set(exp[key]):
            return f"{key}: want {sorted(exp[key])}, got {sorted(have)}"
    for key, base in (("not_people", "people"), ("not_organizations", "organizations")):
        bad = set(exp.get(key, [])) & got[base]
        if bad:
            return f"{base} holds {sorted(bad)}"
    roles = {p["name"]: p.get("role") or "" for p in rec.get("people") or [] if isinstance(p, dict)}
    for rc in exp.get("role_contains", []):
        if rc["text"] not in roles.get(rc["person"], ""):
            return f"role of {rc['person']} is {roles.get(rc['person'])!r}"
    for rc in exp.get("role_excludes", []):
        if rc["text"] in roles.get(rc["person"], ""):
            return f"role of {rc['person']} is {roles.get(rc['person'])!r}"
    topics = _names(rec.get("topics"), "topic")
    missing = set(exp.get("topics_include", [])) - topics
    extra = set(exp.get("topics_exclude", [])) & topics
    if missing or extra:
        return f"topics {sorted(topics)}"
    evidence = {s for t in rec.get("topics") or [] for s in t.get("evidence", [])}
    bad = evidence & set(exp.get("evidence_excludes", []))
    if bad:
        return f"evidence holds {sorted(bad)}"
    return None


def check(case: dict, rec: dict, kinds: dict) -> str | None:
    """The first failed expectation of ``case`` on ``rec``, or None."""
    exp = case["expect"]
    for step in (_check_fields, _check_entities):
        msg = step(exp, rec)
        if msg:
            return msg
    return _check_events(exp, rec, kinds)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--class", dest="cls")
    ap.add_argument("--reference", help="reference directory (default data/reference)")
    args = ap.parse_args(argv)
    with CASES.open("rb") as fh:
        cat = tomllib.load(fh)
    ref = load_reference(args.reference)
    kinds = cat["event_kinds"]
    tally: Counter = Counter()
    for case in cat["case"]:
        if args.cls and case["class"] != args.cls:
            continue
        if set(case["expect"]) <= {"max_evidence_per_story"}:
            tally[(case["class"], "not checked")] += 1
            print(f"  -  {case['id']}: key-evidence limit, not checked by this script")
            continue
        if case["stage"] == "corpus":
            recs, merged = run_corpus(case, ref)
            msg = check_corpus(case["expect"], recs, merged, kinds)
        else:
            rec = run_document(case, ref) if case["stage"] == "document" else run_analysis(case, ref)
            msg = check(case, rec, kinds)
        tally[(case["class"], "pass" if msg is None else "fail")] += 1
        print(f"{'PASS' if msg is None else 'FAIL'} {case['id']}" + ("" if msg is None else f": {msg}"))
    print()
    for cls in sorted({c for c, _ in tally}):
        print(f"{cls:10} pass {tally[(cls, 'pass')]:2}  fail {tally[(cls, 'fail')]:2}"
              f"  not checked {tally[(cls, 'not checked')]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
