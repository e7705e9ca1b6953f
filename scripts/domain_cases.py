"""Run the domain case catalogue (tests/fixtures/domain_cases.toml) against the
current code and print, per case, PASS or the first expectation that fails, then
a count per failure class. Analysis and document stages are run; corpus cases
(several documents) are listed as not run.

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

from workbench.analyse import analyse_record
from workbench.extract import extract, sources_from_reference
from workbench.read import RawDoc
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
    rec = extract(raw, sources_from_reference(ref))
    rec.update(analyse_record(rec, ref))
    return rec


def run_analysis(case: dict, ref) -> dict:
    rec = {"body": case["input"], "published": case.get("published"),
           "published_basis": "page" if case.get("published") else None}
    out = analyse_record(rec, ref)
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
        if case["stage"] == "corpus":
            tally[(case["class"], "not run")] += 1
            print(f"  -   {case['id']}: corpus case, not run")
            continue
        rec = run_document(case, ref) if case["stage"] == "document" else run_analysis(case, ref)
        msg = check(case, rec, kinds)
        tally[(case["class"], "pass" if msg is None else "fail")] += 1
        print(f"{'PASS' if msg is None else 'FAIL'} {case['id']}" + ("" if msg is None else f": {msg}"))
    print()
    for cls in sorted({c for c, _ in tally}):
        print(f"{cls:10} pass {tally[(cls, 'pass')]:2}  fail {tally[(cls, 'fail')]:2}  not run {tally[(cls, 'not run')]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
