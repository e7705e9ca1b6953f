"""The analysis layer: who met whom, when, where, about what.

* :func:`analyse_record` - organisations, people, places, events and topics of one
  record (pure; about a millisecond per article once the matchers are built);
* :func:`story_links` - each article's ``Link`` overlay: ``story_id`` for
  syndicated copies, a date (or title) borrowed from a sibling; :func:`link_stories`
  applies it to flat records (run it *before* :func:`analyse_record`, so a copy
  that got its date from a sibling resolves "on Wednesday" too);
* :func:`analyse_records` - both, in that order, for a list of records;
* :func:`merge_events` - the same event reported by several articles as one row.

Knowledge (gazetteer, topics, sources) is in ``data/reference/*.toml``, loaded by
:func:`workbench.reference.load_reference`.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.analyse import timex as D
from workbench.analyse.events import extract_events
from workbench.analyse.gazetteer_match import is_location_use, matcher, pattern_ships
from workbench.analyse.merge import merge_events
from workbench.analyse.people import recogniser
from workbench.analyse.stories import duplicate_pairs, link_stories, story_links
from workbench.analyse.text import lower_same_length, normalise, split_sentences
from workbench.analyse.topics import scorer
from workbench.record import ANALYSIS_FIELDS
from workbench.reference import Reference, load_reference

__all__ = ["analyse_record", "analyse_records", "link_stories", "story_links", "merge_events", "duplicate_pairs",
           "ANALYSIS_FIELDS"]


def analyse_record(rec: Mapping[str, Any], ref: Reference | None = None, extras: bool = False) -> dict:
    """Analysis fields for one flat record (``Article.record()``), from its ``body`` only
    (not comments or related stories) and its date anchor (``published`` with its basis,
    else ``dateline_day``). ``extras`` is accepted for older callers (platforms are always given)."""
    ref = ref or load_reference()
    body = rec.get("body") or ""
    gm = matcher(ref)
    norm = normalise(body)              # once, for every analyser
    low = lower_same_length(norm)
    sentences = split_sentences(body, norm)
    gaz = gm.find(body, norm, low)
    extra_ships = pattern_ships(norm, gaz)
    if extra_ships:
        gaz = sorted([*gaz, *extra_ships], key=lambda m: (m.start, m.end))

    orgs: dict[str, dict] = {}
    places: list[str] = []
    platforms: dict[str, int] = {}
    for m in gaz:
        if m.category == "organization":
            o = orgs.setdefault(m.name, {"name": m.name, "aliases": [], "mentions": 0,
                                         "kind": gm.org_kind.get(m.name), "misprints": []})
            o["mentions"] += 1
            if m.surface not in o["aliases"]:
                o["aliases"].append(m.surface)
            if m.misprint and m.surface not in o["misprints"]:
                o["misprints"].append(m.surface)
            if m.prefix_place and m.prefix_place not in places:
                places.append(m.prefix_place)
        elif m.category == "place":
            if m.name in gm.capitals and not is_location_use(body, m):
                continue
            if m.name not in places:
                places.append(m.name)
        elif m.category == "platform":
            platforms[m.name] = platforms.get(m.name, 0) + 1

    people = recogniser(ref).find(body, gaz, norm, low)
    media = ref.compiled("media_organizations",
                         lambda r: frozenset(o.name for o in r.organizations if o.kind == "media"))
    anchor = D.anchor_from_record(rec)
    ships = ref.compiled("ship_platforms", lambda r: frozenset(p.name for p in r.platforms if p.kind == "ship"))
    ships = ships | {m.name for m in extra_ships}
    evs = extract_events(body, sentences, gaz, people, anchor, gm.capitals, media, ships)
    topics = scorer(ref).score(body, sentences, low)

    out = {
        "organizations": list(orgs.values()),
        "people": [{k: p[k] for k in ("name", "role", "rank", "mentions", "aliases", "known")} for p in people],
        "places": places,
        "platforms": [],
        "events": evs,
        "topics": topics,
    }
    kinds = ref.compiled("platform_kinds", lambda r: {p.name: p.kind for p in r.platforms})
    out["platforms"] = [{"name": n, "kind": kinds.get(n, "ship"), "mentions": c} for n, c in platforms.items()]
    return out


def analyse_records(records: list[dict], ref: Reference | None = None, fill_title: bool = True) -> list[dict]:
    """Link syndicated copies, then analyse each record; updates the records in
    place (and returns them)."""
    ref = ref or load_reference()
    link_stories(records, fill_title=fill_title)
    for r in records:
        r.update(analyse_record(r, ref))
    return records
