"""The domain case catalogue (tests/fixtures/domain_cases.toml) is well formed
and speaks the reference data's language: every case has the keys its stage
needs, every expected name is a canonical name of data/reference, every date is
a real date, and every failure class of issue 10 has cases. (The cases
themselves become tests of the code step.)"""
import datetime as dt
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from workbench.reference import load_reference

CASES_FILE = Path(__file__).parent / "fixtures" / "domain_cases.toml"
CLASSES = {"dates", "headers", "captions", "entities", "events", "copies", "evidence", "topics"}
STAGES = {"analysis", "document", "corpus"}
CASE_KEYS = {"id", "class", "what", "stage", "input", "published", "url", "docs", "expect"}
DOC_KEYS = {"id", "input", "url", "published"}
RECORD_FIELDS = {"title", "published", "outlet", "author", "agency", "dateline"}
EXPECT_KEYS = RECORD_FIELDS | {
    "null", "published_basis", "title_basis", "body_includes", "body_excludes", "body_starts", "sentences",
    "summary_excludes",
    "organizations", "people", "places", "platforms", "not_people", "not_organizations", "role_contains",
    "role_excludes", "events", "no_event_date", "topics_include", "topics_exclude", "same_story",
    "different_story", "docs", "merged_events", "evidence_excludes", "max_evidence_per_story"}
EVENT_KEYS = {"kind", "date", "actors", "place", "place_any", "planned"}
DATE = re.compile(r"^\d{4}(?:-\d\d(?:-\d\d)?)?$")


def _load() -> dict:
    with CASES_FILE.open("rb") as fh:
        return tomllib.load(fh)


CATALOGUE = _load()
CASES = CATALOGUE["case"]


def _date_ok(s: str) -> bool:
    if not DATE.match(s):
        return False
    parts = [int(x) for x in s.split("-")] + [1, 1]
    try:
        dt.date(*parts[:3])
    except ValueError:
        return False
    return True


def test_ids_unique_and_every_class_covered():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    counts = Counter(c["class"] for c in CASES)
    assert set(counts) == CLASSES
    for cls in ("dates", "headers", "captions", "entities", "events", "copies"):
        assert counts[cls] >= 5, cls


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_is_well_formed(case):
    assert set(case) <= CASE_KEYS, set(case) - CASE_KEYS
    assert case["class"] in CLASSES and case["stage"] in STAGES
    assert case["what"].strip() and case["expect"]
    if case["stage"] == "corpus":
        assert "docs" in case and len(case["docs"]) >= 1 and "input" not in case
        for d in case["docs"]:
            assert set(d) <= DOC_KEYS and d["input"].strip()
        doc_ids = {d["id"] for d in case["docs"]}
        groups = case["expect"].get("same_story", []) + case["expect"].get("different_story", [])
        assert all(set(g) <= doc_ids for g in groups)
        assert all(set(m["sources"]) <= doc_ids for m in case["expect"].get("merged_events", []))
        assert all(d["id"] in doc_ids for d in case["expect"].get("docs", []))
    else:
        assert case["input"].strip() and "docs" not in case
    exp = case["expect"]
    assert set(exp) <= EXPECT_KEYS, set(exp) - EXPECT_KEYS
    assert set(exp.get("null", [])) <= RECORD_FIELDS
    assert not set(exp.get("null", [])) & set(exp), "a field cannot be both null and given"
    for key in ("published",):
        if key in exp:
            assert _date_ok(exp[key]) and len(exp[key]) == 10
    for d in [case.get("published"), *[x.get("published") for x in case.get("docs", [])]]:
        assert d is None or (_date_ok(d) and len(d) == 10)
    assert all(_date_ok(d) for d in exp.get("no_event_date", []))
    if case["stage"] == "analysis":
        assert not set(exp) & (RECORD_FIELDS | {"null", "body_starts", "title_basis"}), \
            "record header fields need the document stage"


@pytest.mark.parametrize("case", [c for c in CASES if "events" in c["expect"]],
                         ids=[c["id"] for c in CASES if "events" in c["expect"]])
def test_events_use_known_kinds_and_dates(case):
    kinds = set(CATALOGUE["event_kinds"])
    for ev in case["expect"]["events"]:
        assert set(ev) <= EVENT_KEYS and {"kind", "date", "actors"} <= set(ev)
        assert ev["kind"] in kinds
        assert ev["date"] == "" or _date_ok(ev["date"])
        assert not ("place" in ev and "place_any" in ev)


def _names(ref):
    orgs = {o.name for o in ref.organizations}
    people = {p.name for p in ref.people}
    places = {p.name for p in ref.places}
    platforms = {p.name for p in ref.platforms}
    ships = {p.name for p in ref.platforms if p.kind == "ship"}
    return orgs, people, places, platforms, ships


def test_expected_names_are_canonical_reference_names():
    """Organisations, places, platforms and actors must be canonical gazetteer
    names (people may also be people the gazetteer does not know)."""
    ref = load_reference()
    orgs, people, places, platforms, ships = _names(ref)
    media = {o.name for o in ref.organizations if o.kind == "media"}
    outlets = {o.name for o in ref.outlets} | {a.name for a in ref.agencies if a.domains}
    agencies = {a.name for a in ref.agencies}
    topics = {t.name for t in ref.topics}
    problems = []
    for c in CASES:
        exp = c["expect"]
        for key, known in (("organizations", orgs), ("not_organizations", orgs), ("places", places),
                           ("platforms", platforms), ("topics_include", topics), ("topics_exclude", topics)):
            problems += [(c["id"], key, n) for n in exp.get(key, []) if n not in known]
        for ev in exp.get("events", []):
            for a in ev["actors"]:
                if a in media or a not in orgs | ships | people | set(exp.get("people", [])):
                    problems.append((c["id"], "actor", a))
            for p in [ev.get("place")] + ev.get("place_any", []):
                if p and p not in places:
                    problems.append((c["id"], "event place", p))
        if "outlet" in exp and exp["outlet"] not in outlets:
            problems.append((c["id"], "outlet", exp["outlet"]))
        if "agency" in exp and exp["agency"] not in agencies:
            problems.append((c["id"], "agency", exp["agency"]))
    assert problems == []


def test_known_people_in_expectations_are_gazetteer_people():
    """A person who is in the gazetteer under another spelling must be expected
    under the canonical name (Ahn Gyu-back, not An Kyu-baek)."""
    ref = load_reference()
    alias_of = {a.casefold(): p.name for p in ref.people for a in p.aliases}
    wrong = [(c["id"], n) for c in CASES for n in c["expect"].get("people", []) + c["expect"].get("not_people", [])
             if n.casefold() in alias_of and alias_of[n.casefold()] != n]
    assert wrong == []


# --------------------------------------------------------------------------- behaviour
# Every case run against the code (scripts/domain_cases.py does the running and checking).
# The cases below are known not to hold yet; strict xfail makes one that starts holding fail
# here, so the list is kept honest.
KNOWN_FAILING = {
}


def _runner():
    import importlib.util
    path = Path(__file__).resolve().parent.parent / "scripts" / "domain_cases.py"
    spec = importlib.util.spec_from_file_location("domain_cases_runner", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def runner():
    return _runner(), load_reference()


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c["id"], marks=[pytest.mark.xfail(reason=KNOWN_FAILING[c["id"]], strict=True)]
                 if c["id"] in KNOWN_FAILING else [])
    for c in CASES if set(c["expect"]) - {"max_evidence_per_story"}])
def test_case_holds(case, runner):
    mod, ref = runner
    kinds = CATALOGUE["event_kinds"]
    if case["stage"] == "corpus":
        recs, merged = mod.run_corpus(case, ref)
        msg = mod.check_corpus(case["expect"], recs, merged, kinds)
    else:
        rec = mod.run_document(case, ref) if case["stage"] == "document" else mod.run_analysis(case, ref)
        msg = mod.check(case, rec, kinds)
    assert msg is None, msg


def test_evidence_two_per_story(runner):
    mod, ref = runner
    case = next(c for c in CASES if c["id"] == "evidence-two-per-story")
    recs, _ = mod.run_corpus(case, ref)
    assert any(len(t["evidence"]) == 2 for r in recs.values() for t in r["topics"])   # the limit bites
    for r in recs.values():
        for t in r["topics"]:
            assert len(t["evidence"]) <= case["expect"]["max_evidence_per_story"]
